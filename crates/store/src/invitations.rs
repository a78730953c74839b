//! 招待 (invitations): a link by e-mail with which someone whose account was made for
//! them sets their own password. The link's secret is stored only as its SHA-256
//! digest; it works once, until it expires. Who may invite whom is decided in `app`.

use crate::schema::{Invitations, Users};
use crate::{Result, Store, StoreError, TenantId, UserId};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_query::{Expr, ExprTrait, Query};
use sha2::{Digest, Sha256};

/// How long an invitation link works.
pub const VALID_FOR_DAYS: i64 = 7;

fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

type InvitationRow = (
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// An invitation as the link's page needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub tenant: TenantId,
    pub user: UserId,
    pub email: String,
    pub name: String,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

impl Store {
    /// Makes an invitation for a user; returns the secret for the link (never stored).
    /// Earlier unused invitations of the same user stop working.
    pub async fn create_invitation(
        &self,
        tenant: TenantId,
        user: UserId,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::update()
                .table(Invitations::Table)
                .value(Invitations::ExpiresAt, now)
                .and_where(Expr::col(Invitations::TenantId).eq(tenant.0))
                .and_where(Expr::col(Invitations::UserId).eq(user.0))
                .and_where(Expr::col(Invitations::UsedAt).is_null())
                .and_where(Expr::col(Invitations::ExpiresAt).gt(now))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(Invitations::Table)
                .columns([
                    Invitations::TenantId,
                    Invitations::UserId,
                    Invitations::TokenHash,
                    Invitations::CreatedByUserId,
                    Invitations::CreatedAt,
                    Invitations::ExpiresAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    user.0.into(),
                    digest(&secret).into(),
                    by.map(|u| u.0).into(),
                    now.into(),
                    (now + Duration::days(VALID_FOR_DAYS)).into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The invitation a link's secret names, in any tenant (the link carries no tenant).
    pub async fn invitation(&self, secret: &str) -> Result<Option<Invitation>> {
        let row: Option<InvitationRow> = self
            .fetch_optional(
                &Query::select()
                    .column((Invitations::Table, Invitations::TenantId))
                    .column((Invitations::Table, Invitations::UserId))
                    .column((Users::Table, Users::Email))
                    .column((Users::Table, Users::Name))
                    .column((Invitations::Table, Invitations::ExpiresAt))
                    .column((Invitations::Table, Invitations::UsedAt))
                    .from(Invitations::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((Invitations::Table, Invitations::UserId)),
                    )
                    .and_where(
                        Expr::col((Invitations::Table, Invitations::TokenHash)).eq(digest(secret)),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(t, u, email, name, expires_at, used)| Invitation {
            tenant: TenantId(t),
            user: UserId(u),
            email,
            name,
            expires_at,
            used: used.is_some(),
        }))
    }

    /// Uses an invitation: sets the password and marks it used, in one transaction, only
    /// if it is unused and not expired (false otherwise: nothing changes). Sessions are
    /// not voided: an invited account had none, and voiding them in the same second
    /// would refuse the sign-in that follows at once.
    pub async fn accept_invitation(
        &self,
        secret: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let Some(inv) = self.invitation(secret).await? else {
            return Ok(false);
        };
        let hash = crate::users::hash_password(password)?;
        let mut tx = self.begin().await?;
        let n = tx
            .execute(
                &Query::update()
                    .table(Invitations::Table)
                    .value(Invitations::UsedAt, now)
                    .and_where(Expr::col(Invitations::TokenHash).eq(digest(secret)))
                    .and_where(Expr::col(Invitations::UsedAt).is_null())
                    .and_where(Expr::col(Invitations::ExpiresAt).gt(now))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        let n = tx
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values([
                        (Users::PasswordHash, hash.into()),
                        (Users::FailedAttempts, 0.into()),
                        (Users::LockedUntil, Option::<DateTime<Utc>>::None.into()),
                    ])
                    .and_where(Expr::col(Users::TenantId).eq(inv.tenant.0))
                    .and_where(Expr::col(Users::Id).eq(inv.user.0))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Does the account have a password yet?
    pub async fn has_password(&self, tenant: TenantId, user: UserId) -> Result<bool> {
        let (hash,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(Users::PasswordHash)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(user.0))
                    .to_owned(),
            )
            .await?;
        Ok(hash.is_some())
    }
}
