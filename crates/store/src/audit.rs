//! The append-only audit log: who did what to which record, when and from where.
//! There is no update or delete here, and the database refuses them too.

use crate::schema::AuditLog;
use crate::{Result, Store, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use sea_query::{Cond, Expr, ExprTrait, Order, Query};

/// One event to append.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry {
    pub tenant_id: Option<TenantId>,
    pub actor_user_id: Option<UserId>,
    /// The actor's email as typed or known (kept even if the account is later renamed).
    pub actor_email: String,
    pub action: Option<AuditAction>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// A short, non-confidential detail (never note text).
    pub detail: Option<String>,
}

impl NewAuditEntry {
    pub fn new(tenant: Option<TenantId>, action: AuditAction) -> Self {
        NewAuditEntry {
            tenant_id: tenant,
            action: Some(action),
            ..Default::default()
        }
    }

    pub fn actor(mut self, user: Option<UserId>, email: &str) -> Self {
        self.actor_user_id = user;
        self.actor_email = email.to_string();
        self
    }

    pub fn target(mut self, kind: &str, id: impl ToString) -> Self {
        self.target_type = Some(kind.to_string());
        self.target_id = Some(id.to_string());
        self
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    pub fn origin(mut self, ip: Option<String>, request_id: Option<String>) -> Self {
        self.ip = ip;
        self.request_id = request_id;
        self
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_email: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

/// Filters for browsing the log. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor_email: Option<String>,
    pub target_type: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Targets whose entries the reader may not see, as (target type, ids): an
    /// application or an FA declaration the policy hides from them
    /// (`app::postings::hidden_from`, `app::fa::hidden_from`). Left out of the log.
    pub hidden_targets: Vec<(&'static str, Vec<i64>)>,
}

impl AuditFilter {
    fn condition(&self, tenant: TenantId) -> Cond {
        let mut c = Cond::all().add(Expr::col(AuditLog::TenantId).eq(tenant.0));
        if let Some(a) = self.action {
            c = c.add(Expr::col(AuditLog::Action).eq(a.as_str()));
        }
        if let Some(e) = self.actor_email.as_deref().filter(|e| !e.is_empty()) {
            c = c.add(
                Expr::col(AuditLog::ActorEmail)
                    .like(format!("%{}%", escape_like(&e.to_lowercase()))),
            );
        }
        if let Some(t) = self.target_type.as_deref().filter(|t| !t.is_empty()) {
            c = c.add(Expr::col(AuditLog::TargetType).eq(t));
        }
        if let Some(f) = self.from {
            c = c.add(Expr::col(AuditLog::At).gte(f));
        }
        if let Some(u) = self.until {
            c = c.add(Expr::col(AuditLog::At).lt(u));
        }
        for (kind, ids) in &self.hidden_targets {
            if ids.is_empty() {
                continue;
            }
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            c = c.add(
                Cond::any()
                    .add(Expr::col(AuditLog::TargetType).is_null())
                    .add(Expr::col(AuditLog::TargetType).ne(*kind))
                    .add(Expr::col(AuditLog::TargetId).is_null())
                    .add(Expr::col(AuditLog::TargetId).is_not_in(ids)),
            );
        }
        c
    }
}

pub(crate) fn escape_like(s: &str) -> String {
    // LIKE wildcards typed by a user are taken literally by dropping them.
    s.chars().filter(|c| *c != '%' && *c != '_').collect()
}

/// The statement that appends one event (in a transaction of its caller's, or alone).
pub(crate) fn audit_insert(e: NewAuditEntry) -> sea_query::InsertStatement {
    let action = e.action.map(|a| a.as_str()).unwrap_or("unknown");
    Query::insert()
        .into_table(AuditLog::Table)
        .columns([
            AuditLog::TenantId,
            AuditLog::At,
            AuditLog::ActorUserId,
            AuditLog::ActorEmail,
            AuditLog::Action,
            AuditLog::TargetType,
            AuditLog::TargetId,
            AuditLog::Ip,
            AuditLog::RequestId,
            AuditLog::Detail,
        ])
        .values_panic([
            e.tenant_id.map(|t| t.0).into(),
            Utc::now().into(),
            e.actor_user_id.map(|u| u.0).into(),
            e.actor_email.to_lowercase().into(),
            action.into(),
            e.target_type.into(),
            e.target_id.into(),
            e.ip.into(),
            e.request_id.into(),
            e.detail.into(),
        ])
        .to_owned()
}

impl Store {
    /// Appends one event. Callers must not put confidential text in `detail`.
    pub async fn append_audit(&self, e: NewAuditEntry) -> Result<()> {
        self.execute(&audit_insert(e)).await?;
        Ok(())
    }

    /// A page of a tenant's log, newest first, and the total matching the filter.
    pub async fn list_audit(
        &self,
        tenant: TenantId,
        filter: &AuditFilter,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let rows = self
            .fetch_all(
                &Query::select()
                    .columns([
                        AuditLog::Id,
                        AuditLog::TenantId,
                        AuditLog::At,
                        AuditLog::ActorUserId,
                        AuditLog::ActorEmail,
                        AuditLog::Action,
                        AuditLog::TargetType,
                        AuditLog::TargetId,
                        AuditLog::Ip,
                        AuditLog::RequestId,
                        AuditLog::Detail,
                    ])
                    .from(AuditLog::Table)
                    .cond_where(filter.condition(tenant))
                    .order_by(AuditLog::Id, Order::Desc)
                    // Both engines take signed 64-bit numbers: beyond that there is nothing.
                    .limit(Ord::min(limit, i64::MAX as u64))
                    .offset(Ord::min(offset, i64::MAX as u64))
                    .to_owned(),
            )
            .await?;
        let (total,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(AuditLog::Id).count())
                    .from(AuditLog::Table)
                    .cond_where(filter.condition(tenant))
                    .to_owned(),
            )
            .await?;
        Ok((rows, total))
    }
}

impl Store {
    /// Tries to rewrite history; exists only so tests can prove the database refuses it.
    #[doc(hidden)]
    pub async fn tamper_with_audit_for_test(&self) -> Result<u64> {
        let n = self
            .execute_raw("UPDATE audit_log SET action = 'nothing'")
            .await?;
        self.execute_raw("DELETE FROM audit_log")
            .await
            .map(|m| n + m)
    }
}
