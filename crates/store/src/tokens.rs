//! API tokens for `Authorization: Bearer`. Only a SHA-256 of each token is stored; the
//! token itself is shown once, when created.

use crate::schema::{ApiTokens, Users};
use crate::{Result, Store, TenantId, UserId};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use domain::account::TokenScope;
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
    /// `read` or `write` (unset: write).
    pub scope: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    pub fn scope(&self) -> TokenScope {
        self.scope
            .as_deref()
            .and_then(TokenScope::parse)
            .unwrap_or_default()
    }

    /// Neither revoked nor expired at `now`.
    pub fn works_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// Who a presented token speaks for, and what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHolder {
    pub tenant: TenantId,
    pub user: UserId,
    pub scope: TokenScope,
}

/// The SHA-256 of a secret, in hex: what is stored of every token and link secret.
pub(crate) fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Creates a token (reads and writes, no expiry) for a user; returns the stored
    /// record and the secret (shown once).
    pub async fn create_token(
        &self,
        tenant: TenantId,
        user: UserId,
        label: &str,
    ) -> Result<(ApiToken, String)> {
        self.create_token_with(tenant, user, label, TokenScope::Write, None)
            .await
    }

    /// Creates a token of `scope` that stops working at `expires_at` (never with `None`).
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, user.id = %user))]
    pub async fn create_token_with(
        &self,
        tenant: TenantId,
        user: UserId,
        label: &str,
        scope: TokenScope,
        expires_at: Option<DateTime<Utc>>,
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
                        ApiTokens::Scope,
                        ApiTokens::ExpiresAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        user.0.into(),
                        label.trim().into(),
                        digest(&secret).into(),
                        Utc::now().into(),
                        scope.key().into(),
                        expires_at.into(),
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

    /// Whom a presented secret speaks for, if it is valid, unrevoked, unexpired and its
    /// user is enabled.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Option<TokenHolder>> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let now = Utc::now();
        let found: Option<(i64, i64, i64, Option<String>)> = self
            .fetch_optional(
                &Query::select()
                    .column((ApiTokens::Table, ApiTokens::Id))
                    .column((ApiTokens::Table, ApiTokens::TenantId))
                    .column((ApiTokens::Table, ApiTokens::UserId))
                    .column((ApiTokens::Table, ApiTokens::Scope))
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
                    .and_where(
                        Expr::col((ApiTokens::Table, ApiTokens::ExpiresAt))
                            .is_null()
                            .or(Expr::col((ApiTokens::Table, ApiTokens::ExpiresAt)).gt(now)),
                    )
                    .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                    .to_owned(),
            )
            .await?;
        let Some((id, tenant, user, scope)) = found else {
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
        Ok(Some(TokenHolder {
            tenant: TenantId(tenant),
            user: UserId(user),
            scope: scope
                .as_deref()
                .and_then(TokenScope::parse)
                .unwrap_or_default(),
        }))
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
            ApiTokens::Scope,
            ApiTokens::ExpiresAt,
        ])
        .from(ApiTokens::Table)
        .to_owned()
}
