//! API tokens for `Authorization: Bearer`. Only a SHA-256 of each token is stored; the
//! token itself is shown once, when created.

use crate::schema::{ApiTokens, Users};
use crate::{Result, Store, TenantId, UserId};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_query::{Expr, ExprTrait, Order, Query};
use sha2::{Digest, Sha256};

const PREFIX: &str = "kyr_";

/// A stored token, without its secret.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Creates a token for a user; returns the stored record and the secret (shown once).
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, user.id = %user))]
    pub async fn create_token(
        &self,
        tenant: TenantId,
        user: UserId,
        label: &str,
    ) -> Result<(ApiToken, String)> {
        self.user(tenant, user).await?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        );
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(ApiTokens::Table)
                    .columns([
                        ApiTokens::TenantId,
                        ApiTokens::UserId,
                        ApiTokens::Label,
                        ApiTokens::TokenHash,
                        ApiTokens::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        user.0.into(),
                        label.trim().into(),
                        digest(&secret).into(),
                        Utc::now().into(),
                    ])
                    .returning_col(ApiTokens::Id)
                    .to_owned(),
            )
            .await?;
        let token = self.token(tenant, id).await?;
        Ok((token, secret))
    }

    pub async fn token(&self, tenant: TenantId, id: i64) -> Result<ApiToken> {
        self.fetch_one(
            &select()
                .and_where(Expr::col(ApiTokens::TenantId).eq(tenant.0))
                .and_where(Expr::col(ApiTokens::Id).eq(id))
                .to_owned(),
        )
        .await
    }

    pub async fn list_tokens(
        &self,
        tenant: TenantId,
        user: Option<UserId>,
    ) -> Result<Vec<ApiToken>> {
        let mut q = select()
            .and_where(Expr::col(ApiTokens::TenantId).eq(tenant.0))
            .order_by(ApiTokens::Id, Order::Asc)
            .to_owned();
        if let Some(u) = user {
            q.and_where(Expr::col(ApiTokens::UserId).eq(u.0));
        }
        self.fetch_all(&q).await
    }

    /// Revokes one token. Revoking twice is not an error.
    pub async fn revoke_token(&self, tenant: TenantId, id: i64) -> Result<ApiToken> {
        let token = self.token(tenant, id).await?;
        self.execute(
            &Query::update()
                .table(ApiTokens::Table)
                .values([(ApiTokens::RevokedAt, Utc::now().into())])
                .and_where(Expr::col(ApiTokens::TenantId).eq(tenant.0))
                .and_where(Expr::col(ApiTokens::Id).eq(id))
                .and_where(Expr::col(ApiTokens::RevokedAt).is_null())
                .to_owned(),
        )
        .await?;
        Ok(token)
    }

    /// The (tenant, user) a presented secret belongs to, if it is valid, unrevoked and its
    /// user is enabled.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Option<(TenantId, UserId)>> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let found: Option<(i64, i64, i64)> = self
            .fetch_optional(
                &Query::select()
                    .column((ApiTokens::Table, ApiTokens::Id))
                    .column((ApiTokens::Table, ApiTokens::TenantId))
                    .column((ApiTokens::Table, ApiTokens::UserId))
                    .from(ApiTokens::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((ApiTokens::Table, ApiTokens::UserId)),
                    )
                    .and_where(
                        Expr::col((ApiTokens::Table, ApiTokens::TokenHash)).eq(digest(secret)),
                    )
                    .and_where(Expr::col((ApiTokens::Table, ApiTokens::RevokedAt)).is_null())
                    .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                    .to_owned(),
            )
            .await?;
        let Some((id, tenant, user)) = found else {
            return Ok(None);
        };
        self.execute(
            &Query::update()
                .table(ApiTokens::Table)
                .values([(ApiTokens::LastUsedAt, Utc::now().into())])
                .and_where(Expr::col(ApiTokens::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(Some((TenantId(tenant), UserId(user))))
    }
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            ApiTokens::Id,
            ApiTokens::UserId,
            ApiTokens::Label,
            ApiTokens::CreatedAt,
            ApiTokens::LastUsedAt,
            ApiTokens::RevokedAt,
        ])
        .from(ApiTokens::Table)
        .to_owned()
}
