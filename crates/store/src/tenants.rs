//! Tenants (companies sharing a deployment) and their settings.

use crate::schema::Tenants;
use crate::{Result, Store, StoreError, TenantId};
use chrono::{DateTime, Utc};
use domain::calendar::{AgeRule, FiscalCalendar};
use domain::rating::RatingScale;
use domain::{DomainError, TenantSlug};
use sea_query::{Expr, ExprTrait, Order, Query};

/// A company using the product.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub settings: TenantSettings,
    pub created_at: DateTime<Utc>,
}

/// What an admin configures (設定).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TenantSettings {
    pub calendar: FiscalCalendar,
    /// Minimum people per aggregate cell shown to the organisation (never below 3).
    pub anonymity_k: u32,
    /// The performance-rating labels and their values.
    pub rating_scale: RatingScale,
}

impl TenantSettings {
    /// Settings with the default rating scale; see [`TenantSettings::with_rating_scale`].
    pub fn new(
        fy_start_month: u32,
        age_rule: AgeRule,
        anonymity_k: u32,
    ) -> Result<Self, DomainError> {
        if anonymity_k < 3 {
            return Err(DomainError::AnonymityThresholdTooLow(anonymity_k));
        }
        Ok(TenantSettings {
            calendar: FiscalCalendar::new(fy_start_month, age_rule)?,
            anonymity_k,
            rating_scale: RatingScale::default(),
        })
    }

    pub fn with_rating_scale(mut self, scale: RatingScale) -> Self {
        self.rating_scale = scale;
        self
    }
}

#[derive(sqlx::FromRow)]
struct TenantRow {
    id: i64,
    slug: String,
    name: String,
    fy_start_month: i32,
    age_rule: String,
    anonymity_k: i32,
    rating_scale: String,
    created_at: DateTime<Utc>,
}

impl From<TenantRow> for Tenant {
    fn from(r: TenantRow) -> Self {
        let calendar = FiscalCalendar::new(
            r.fy_start_month as u32,
            AgeRule::parse(&r.age_rule).unwrap_or_default(),
        )
        .unwrap_or_default();
        Tenant {
            id: TenantId(r.id),
            slug: r.slug,
            name: r.name,
            settings: TenantSettings {
                calendar,
                anonymity_k: Ord::max(r.anonymity_k, 3) as u32,
                rating_scale: RatingScale::parse(&r.rating_scale).unwrap_or_default(),
            },
            created_at: r.created_at,
        }
    }
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Tenants::Id,
            Tenants::Slug,
            Tenants::Name,
            Tenants::FyStartMonth,
            Tenants::AgeRule,
            Tenants::AnonymityK,
            Tenants::RatingScale,
            Tenants::CreatedAt,
        ])
        .from(Tenants::Table)
        .to_owned()
}

impl Store {
    /// A company's rules kept as JSON in a column of `tenants` (side jobs, subsidies):
    /// the defaults until HR sets them.
    pub(crate) async fn tenant_json<T: serde::de::DeserializeOwned + Default>(
        &self,
        tenant: TenantId,
        column: impl sea_query::IntoIden,
        what: &str,
    ) -> Result<T> {
        let (raw,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(column)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        match raw {
            Some(r) => {
                serde_json::from_str(&r).map_err(|e| StoreError::Integrity(format!("{what}: {e}")))
            }
            None => Ok(T::default()),
        }
    }

    pub(crate) async fn set_tenant_json<T: serde::Serialize>(
        &self,
        tenant: TenantId,
        column: impl sea_query::IntoIden,
        value: &T,
    ) -> Result<()> {
        let raw = serde_json::to_string(value)
            .map_err(|e| StoreError::Integrity(format!("company rules: {e}")))?;
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(column, raw)
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(tenant.slug = %slug))]
    pub async fn create_tenant(&self, slug: &TenantSlug, name: &str) -> Result<Tenant> {
        let name = name.trim();
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Tenants::Table)
                    .columns([Tenants::Slug, Tenants::Name, Tenants::CreatedAt])
                    .values_panic([slug.as_str().into(), name.into(), Utc::now().into()])
                    .returning_col(Tenants::Id)
                    .to_owned(),
            )
            .await?;
        self.tenant(TenantId(id)).await
    }

    pub async fn tenant(&self, id: TenantId) -> Result<Tenant> {
        let row: TenantRow = self
            .fetch_one(
                &select()
                    .and_where(Expr::col(Tenants::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.into())
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>> {
        let row: Option<TenantRow> = self
            .fetch_optional(
                &select()
                    .and_where(Expr::col(Tenants::Slug).eq(slug.trim().to_ascii_lowercase()))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    pub async fn list_tenants(&self) -> Result<Vec<Tenant>> {
        let rows: Vec<TenantRow> = self
            .fetch_all(&select().order_by(Tenants::Id, Order::Asc).to_owned())
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The tenant named by `slug`, or the only tenant when `slug` is `None` and there is
    /// exactly one. The error explains what to pass instead.
    pub async fn resolve_tenant(&self, slug: Option<&str>) -> Result<Tenant, ResolveTenantError> {
        match slug {
            Some(s) => self
                .tenant_by_slug(s)
                .await?
                .ok_or_else(|| ResolveTenantError::Unknown(s.to_string())),
            None => {
                let mut all = self.list_tenants().await?;
                match all.len() {
                    0 => Err(ResolveTenantError::None),
                    1 => Ok(all.remove(0)),
                    _ => Err(ResolveTenantError::Ambiguous(
                        all.into_iter().map(|t| t.slug).collect(),
                    )),
                }
            }
        }
    }

    #[tracing::instrument(skip_all, fields(tenant.id = %tenant))]
    pub async fn update_tenant_settings(&self, tenant: TenantId, s: TenantSettings) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .values([
                    (
                        Tenants::FyStartMonth,
                        (s.calendar.start_month() as i32).into(),
                    ),
                    (Tenants::AgeRule, s.calendar.age_rule.as_str().into()),
                    (Tenants::AnonymityK, (s.anonymity_k as i32).into()),
                    (Tenants::RatingScale, s.rating_scale.to_string().into()),
                ])
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await?;
        // k, the fiscal calendar and the rating scale all change what the KPIs show.
        self.kpi_stale(tenant).await
    }
}

/// Why `--tenant` could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveTenantError {
    #[error(
        "there is no tenant yet: create one with `kyoritsu tenant create` or `kyoritsu demo-data`"
    )]
    None,
    #[error("no tenant is called '{0}' (see `kyoritsu tenant list`)")]
    Unknown(String),
    #[error("there are several tenants ({}); say which with --tenant", .0.join(", "))]
    Ambiguous(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
}
