//! お知らせ storage: every email notice also waits in the app for the account it is
//! addressed to, unread until opened. Written in the same transaction as its email job
//! ([`write`], called by the job queue), so neither exists without the other; a notice
//! holds a translation key, its arguments and a path — never what was said.

use crate::db::Tx;
use crate::jobs::{NewJob, Notice};
use crate::schema::{ChatColumns, Notifications, Tenants, Users};
use crate::{Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::account::NotifyChannels;
use domain::chat::ChatService;

/// id, language, notices, chat service, chat address, the company's chat services.
type RecipientRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
use sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query};

/// A notice in someone's list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub key: String,
    pub args: Vec<(String, String)>,
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// The account an e-mail is addressed to, as its notices need it.
pub(crate) struct Recipient {
    pub user: i64,
    pub language: Option<String>,
    pub notify: NotifyChannels,
    /// Their own chat webhook, when the company allows its service.
    pub chat: Option<(ChatService, String)>,
}

/// The tenant's account with this address, if any.
pub(crate) async fn recipient(
    tx: &mut Tx,
    tenant: TenantId,
    address: &str,
) -> Result<Option<Recipient>> {
    let row: Option<RecipientRow> = tx
        .fetch_optional(
            &Query::select()
                .column((Users::Table, Users::Id))
                .column((Users::Table, Users::Language))
                .column((Users::Table, Users::Notify))
                .column((Users::Table, Users::ChatService))
                .column((Users::Table, Users::ChatUrl))
                .column((Tenants::Table, ChatColumns::ChatServices))
                .from(Users::Table)
                .inner_join(
                    Tenants::Table,
                    Expr::col((Tenants::Table, Tenants::Id))
                        .equals((Users::Table, Users::TenantId)),
                )
                .and_where(Expr::col((Users::Table, Users::TenantId)).eq(tenant.0))
                .and_where(Expr::col((Users::Table, Users::Email)).eq(address.to_lowercase()))
                .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                .to_owned(),
        )
        .await?;
    Ok(row.map(|(user, language, notify, service, url, allowed)| {
        let allowed: Vec<ChatService> = allowed
            .and_then(|a| serde_json::from_str(&a).ok())
            .unwrap_or_default();
        Recipient {
            user,
            language,
            notify: notify
                .as_deref()
                .and_then(NotifyChannels::parse)
                .unwrap_or_default(),
            chat: service
                .as_deref()
                .and_then(ChatService::parse)
                .filter(|s| allowed.contains(s))
                .zip(url),
        }
    }))
}

/// Writes the in-app notice of an e-mail job for its recipient's account, once per job
/// key; returns how many were written (0 or 1).
pub(crate) async fn write(
    tx: &mut Tx,
    job: &NewJob,
    user: i64,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<u64> {
    let args = serde_json::to_string(&notice.args)
        .map_err(|e| StoreError::Integrity(format!("notice args: {e}")))?;
    tx.execute(
        &Query::insert()
            .into_table(Notifications::Table)
            .columns([
                Notifications::TenantId,
                Notifications::UserId,
                Notifications::Key,
                Notifications::Args,
                Notifications::Path,
                Notifications::JobKey,
                Notifications::CreatedAt,
            ])
            .values_panic([
                job.tenant.0.into(),
                user.into(),
                notice.key.clone().into(),
                args.into(),
                notice.path.clone().into(),
                job.key.clone().into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::column(Notifications::JobKey)
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned(),
    )
    .await
}

type Row = (
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

impl Store {
    /// Someone's notices, newest first.
    pub async fn notifications(
        &self,
        tenant: TenantId,
        user: UserId,
        limit: u64,
    ) -> Result<Vec<Notification>> {
        let rows: Vec<Row> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        Notifications::Id,
                        Notifications::Key,
                        Notifications::Args,
                        Notifications::Path,
                        Notifications::CreatedAt,
                        Notifications::ReadAt,
                    ])
                    .from(Notifications::Table)
                    .and_where(Expr::col(Notifications::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Notifications::UserId).eq(user.0))
                    .order_by(Notifications::Id, Order::Desc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(id, key, args, path, created_at, read_at)| {
                Ok(Notification {
                    id,
                    key,
                    args: serde_json::from_str(&args)
                        .map_err(|e| StoreError::Integrity(format!("notice args: {e}")))?,
                    path,
                    created_at,
                    read_at,
                })
            })
            .collect()
    }

    /// How many of someone's notices are unread (the header's count).
    pub async fn unread_notifications(&self, tenant: TenantId, user: UserId) -> Result<i64> {
        let (n,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Func::count(Expr::col(Notifications::Id)))
                    .from(Notifications::Table)
                    .and_where(Expr::col(Notifications::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Notifications::UserId).eq(user.0))
                    .and_where(Expr::col(Notifications::ReadAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n)
    }

    /// Marks one notice read and gives where it points; `None` when it is not theirs.
    pub async fn open_notification(
        &self,
        tenant: TenantId,
        user: UserId,
        id: i64,
    ) -> Result<Option<String>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Notifications::Path)
                    .from(Notifications::Table)
                    .and_where(Expr::col(Notifications::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Notifications::UserId).eq(user.0))
                    .and_where(Expr::col(Notifications::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        if row.is_some() {
            self.execute(
                &Query::update()
                    .table(Notifications::Table)
                    .value(Notifications::ReadAt, Utc::now())
                    .and_where(Expr::col(Notifications::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Notifications::UserId).eq(user.0))
                    .and_where(Expr::col(Notifications::Id).eq(id))
                    .and_where(Expr::col(Notifications::ReadAt).is_null())
                    .to_owned(),
            )
            .await?;
        }
        Ok(row.map(|(p,)| p))
    }

    /// Marks all of someone's notices read.
    pub async fn read_all_notifications(&self, tenant: TenantId, user: UserId) -> Result<u64> {
        self.execute(
            &Query::update()
                .table(Notifications::Table)
                .value(Notifications::ReadAt, Utc::now())
                .and_where(Expr::col(Notifications::TenantId).eq(tenant.0))
                .and_where(Expr::col(Notifications::UserId).eq(user.0))
                .and_where(Expr::col(Notifications::ReadAt).is_null())
                .to_owned(),
        )
        .await
    }
}
