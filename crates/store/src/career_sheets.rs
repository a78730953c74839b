//! キャリアシート storage: versions that are only ever added, and one autosaved draft per
//! person so nothing typed is lost when a tab closes. Who may read a sheet is decided by
//! `domain::policy::career_sheet_view`, never here.

use crate::schema::{CareerSheetDrafts, CareerSheetVersions};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::career_sheet::CareerSheet;
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

/// One saved version.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetVersion {
    pub version: i64,
    pub saved_at: DateTime<Utc>,
    pub sheet: CareerSheet,
}

/// A version in the list of versions.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct VersionInfo {
    pub version: i64,
    pub saved_at: DateTime<Utc>,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    Saved {
        version: i64,
    },
    /// Someone (another tab, another device) saved a newer version after the one this
    /// edit started from. Nothing was written.
    Stale {
        latest: i64,
    },
}

/// An autosaved draft: the form as typed (JSON of the raw fields) and the version it
/// started from.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Draft {
    pub base_version: i64,
    pub content: String,
    pub updated_at: DateTime<Utc>,
}

/// A draft larger than this is refused (the form's limits make a real one far smaller).
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    saved_at: DateTime<Utc>,
    content: String,
}

impl VersionRow {
    fn into_version(self) -> Result<SheetVersion> {
        let sheet = serde_json::from_str(&self.content)
            .map_err(|e| StoreError::Integrity(format!("career sheet version: {e}")))?;
        Ok(SheetVersion {
            version: self.version,
            saved_at: self.saved_at,
            sheet,
        })
    }
}

fn versions_of(tenant: TenantId, person: PersonId) -> sea_query::SelectStatement {
    Query::select()
        .from(CareerSheetVersions::Table)
        .and_where(Expr::col(CareerSheetVersions::TenantId).eq(tenant.0))
        .and_where(Expr::col(CareerSheetVersions::PersonId).eq(person.0))
        .to_owned()
}

/// Whole versions ([`VersionRow`]) of one person's sheet.
fn version_rows(tenant: TenantId, person: PersonId) -> sea_query::SelectStatement {
    versions_of(tenant, person)
        .columns([
            CareerSheetVersions::Version,
            CareerSheetVersions::SavedAt,
            CareerSheetVersions::Content,
        ])
        .to_owned()
}

impl Store {
    async fn one_version(&self, q: sea_query::SelectStatement) -> Result<Option<SheetVersion>> {
        let row: Option<VersionRow> = self.fetch_optional(&q).await?;
        row.map(VersionRow::into_version).transpose()
    }

    /// The newest version of a person's career sheet, if they saved one.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, person.id = %person))]
    pub async fn latest_career_sheet(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Option<SheetVersion>> {
        self.one_version(
            version_rows(tenant, person)
                .order_by(CareerSheetVersions::Version, Order::Desc)
                .limit(1)
                .to_owned(),
        )
        .await
    }

    /// One version.
    pub async fn career_sheet_version(
        &self,
        tenant: TenantId,
        person: PersonId,
        version: i64,
    ) -> Result<Option<SheetVersion>> {
        self.one_version(
            version_rows(tenant, person)
                .and_where(Expr::col(CareerSheetVersions::Version).eq(version))
                .to_owned(),
        )
        .await
    }

    /// Every version, newest first.
    pub async fn career_sheet_versions(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<VersionInfo>> {
        self.fetch_all(
            &versions_of(tenant, person)
                .columns([CareerSheetVersions::Version, CareerSheetVersions::SavedAt])
                .order_by(CareerSheetVersions::Version, Order::Desc)
                .to_owned(),
        )
        .await
    }

    /// Saves a new version, unless a newer one than `base_version` (0: none yet) exists.
    /// The person's draft goes with a successful save.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, person.id = %person))]
    pub async fn save_career_sheet(
        &self,
        tenant: TenantId,
        person: PersonId,
        by: UserId,
        base_version: i64,
        sheet: &CareerSheet,
    ) -> Result<SaveOutcome> {
        let content = serde_json::to_string(sheet)
            .map_err(|e| StoreError::Integrity(format!("career sheet: {e}")))?;
        let mut tx = self.begin().await?;
        let (latest,): (Option<i64>,) = tx
            .fetch_one(
                &versions_of(tenant, person)
                    .expr(Expr::col(CareerSheetVersions::Version).max())
                    .to_owned(),
            )
            .await?;
        let latest = latest.unwrap_or(0);
        if latest != base_version {
            return Ok(SaveOutcome::Stale { latest });
        }
        let version = latest + 1;
        let inserted = tx
            .execute(
                &Query::insert()
                    .into_table(CareerSheetVersions::Table)
                    .columns([
                        CareerSheetVersions::TenantId,
                        CareerSheetVersions::PersonId,
                        CareerSheetVersions::Version,
                        CareerSheetVersions::Content,
                        CareerSheetVersions::SavedAt,
                        CareerSheetVersions::SavedByUserId,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        version.into(),
                        content.into(),
                        Utc::now().into(),
                        by.0.into(),
                    ])
                    .to_owned(),
            )
            .await;
        match inserted {
            Ok(_) => {}
            // Two saves from the same version at the same moment: the other one won.
            Err(StoreError::Conflict(_)) => return Ok(SaveOutcome::Stale { latest: version }),
            Err(e) => return Err(e),
        }
        tx.execute(
            &Query::delete()
                .from_table(CareerSheetDrafts::Table)
                .and_where(Expr::col(CareerSheetDrafts::TenantId).eq(tenant.0))
                .and_where(Expr::col(CareerSheetDrafts::PersonId).eq(person.0))
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(SaveOutcome::Saved { version })
    }

    /// Keeps what is being typed (the raw form as JSON), replacing the previous draft.
    pub async fn save_career_sheet_draft(
        &self,
        tenant: TenantId,
        person: PersonId,
        base_version: i64,
        content: &str,
    ) -> Result<()> {
        if content.len() > MAX_DRAFT_BYTES {
            return Err(StoreError::Integrity("draft too large".into()));
        }
        self.execute(
            &Query::insert()
                .into_table(CareerSheetDrafts::Table)
                .columns([
                    CareerSheetDrafts::TenantId,
                    CareerSheetDrafts::PersonId,
                    CareerSheetDrafts::BaseVersion,
                    CareerSheetDrafts::Content,
                    CareerSheetDrafts::UpdatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    person.0.into(),
                    base_version.into(),
                    content.into(),
                    Utc::now().into(),
                ])
                .on_conflict(
                    OnConflict::column(CareerSheetDrafts::PersonId)
                        .update_columns([
                            CareerSheetDrafts::BaseVersion,
                            CareerSheetDrafts::Content,
                            CareerSheetDrafts::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The person's unsaved draft, if any.
    pub async fn career_sheet_draft(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Option<Draft>> {
        self.fetch_optional(
            &Query::select()
                .columns([
                    CareerSheetDrafts::BaseVersion,
                    CareerSheetDrafts::Content,
                    CareerSheetDrafts::UpdatedAt,
                ])
                .from(CareerSheetDrafts::Table)
                .and_where(Expr::col(CareerSheetDrafts::TenantId).eq(tenant.0))
                .and_where(Expr::col(CareerSheetDrafts::PersonId).eq(person.0))
                .to_owned(),
        )
        .await
    }

    /// Throws the draft away (the person chose to start from the saved version).
    pub async fn discard_career_sheet_draft(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(CareerSheetDrafts::Table)
                .and_where(Expr::col(CareerSheetDrafts::TenantId).eq(tenant.0))
                .and_where(Expr::col(CareerSheetDrafts::PersonId).eq(person.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }
}
