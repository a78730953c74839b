//! Each company's single sign-on provider (`tenant_sso`): the settings, and the client
//! secret sealed under the note key (bound to its tenant), opened only for the token
//! exchange.

use crate::schema::TenantSso;
use crate::{Result, Store};
use chrono::{DateTime, Utc};
use domain::sso::SsoSettings;
use domain::{TenantId, UserId};
use sea_query::{Expr, ExprTrait, OnConflict, Query};

fn aad(tenant: TenantId) -> String {
    format!("{0}:sso:{0}", tenant.0)
}

#[derive(sqlx::FromRow)]
struct Row {
    issuer: String,
    client_id: String,
    email_claim: String,
    create_users: bool,
    sso_only: bool,
    break_glass_user_id: Option<i64>,
}

impl Row {
    fn settings(self) -> SsoSettings {
        SsoSettings {
            issuer: self.issuer,
            client_id: self.client_id,
            email_claim: self.email_claim,
            create_users: self.create_users,
            sso_only: self.sso_only,
            break_glass: self.break_glass_user_id.map(UserId),
        }
    }
}

impl Store {
    /// The company's provider, if it has one.
    pub async fn sso_settings(&self, tenant: TenantId) -> Result<Option<SsoSettings>> {
        let row: Option<Row> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        TenantSso::Issuer,
                        TenantSso::ClientId,
                        TenantSso::EmailClaim,
                        TenantSso::CreateUsers,
                        TenantSso::SsoOnly,
                        TenantSso::BreakGlassUserId,
                    ])
                    .from(TenantSso::Table)
                    .and_where(Expr::col(TenantSso::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(Row::settings))
    }

    /// The client secret, opened (for the token exchange only).
    pub async fn sso_client_secret(&self, tenant: TenantId) -> Result<Option<String>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(TenantSso::ClientSecret)
                    .from(TenantSso::Table)
                    .and_where(Expr::col(TenantSso::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        row.map(|(sealed,)| self.keys.open(&aad(tenant), &sealed))
            .transpose()
    }

    /// Sets the company's provider; `secret: None` keeps the one stored (there must be
    /// one: the caller checks).
    pub async fn set_sso(
        &self,
        tenant: TenantId,
        settings: &SsoSettings,
        secret: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let sealed = match secret {
            Some(s) => self.keys.seal(&aad(tenant), s)?,
            None => {
                self.fetch_one::<(String,), _>(
                    &Query::select()
                        .column(TenantSso::ClientSecret)
                        .from(TenantSso::Table)
                        .and_where(Expr::col(TenantSso::TenantId).eq(tenant.0))
                        .to_owned(),
                )
                .await?
                .0
            }
        };
        self.execute(
            &Query::insert()
                .into_table(TenantSso::Table)
                .columns([
                    TenantSso::TenantId,
                    TenantSso::Issuer,
                    TenantSso::ClientId,
                    TenantSso::ClientSecret,
                    TenantSso::EmailClaim,
                    TenantSso::CreateUsers,
                    TenantSso::SsoOnly,
                    TenantSso::BreakGlassUserId,
                    TenantSso::UpdatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    settings.issuer.clone().into(),
                    settings.client_id.clone().into(),
                    sealed.into(),
                    settings.email_claim.clone().into(),
                    settings.create_users.into(),
                    settings.sso_only.into(),
                    settings.break_glass.map(|u| u.0).into(),
                    now.into(),
                ])
                .on_conflict(
                    OnConflict::column(TenantSso::TenantId)
                        .update_columns([
                            TenantSso::Issuer,
                            TenantSso::ClientId,
                            TenantSso::ClientSecret,
                            TenantSso::EmailClaim,
                            TenantSso::CreateUsers,
                            TenantSso::SsoOnly,
                            TenantSso::BreakGlassUserId,
                            TenantSso::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Removes the company's provider: everyone signs in with a password again.
    pub async fn remove_sso(&self, tenant: TenantId) -> Result<bool> {
        Ok(self
            .execute(
                &Query::delete()
                    .from_table(TenantSso::Table)
                    .and_where(Expr::col(TenantSso::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?
            > 0)
    }
}
