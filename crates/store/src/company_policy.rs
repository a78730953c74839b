//! 会社の方針 storage: each version of the company's career-support policy
//! (`domain::company_policy`), kept whole; the latest is the one shown. It is written for
//! every employee to read, so it is kept in clear.

use crate::schema::{CompanyPolicies, Users};
use crate::{Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::company_policy::CompanyPolicy;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};

/// One version as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredPolicy {
    pub version: i64,
    pub policy: CompanyPolicy,
    pub written_by_name: Option<String>,
    pub written_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    version: i64,
    message: String,
    notes: String,
    written_by_name: Option<String>,
    written_at: DateTime<Utc>,
}

impl Store {
    /// Every version, the latest first.
    pub async fn company_policies(&self, tenant: TenantId) -> Result<Vec<StoredPolicy>> {
        let c = CompanyPolicies::Table;
        let rows: Vec<Row> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (c, CompanyPolicies::Version),
                        (c, CompanyPolicies::Message),
                        (c, CompanyPolicies::Notes),
                        (c, CompanyPolicies::WrittenAt),
                    ])
                    .expr_as(
                        Expr::col((Users::Table, Users::Name)),
                        Alias::new("written_by_name"),
                    )
                    .from(c)
                    .left_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((c, CompanyPolicies::WrittenByUserId)),
                    )
                    .and_where(Expr::col((c, CompanyPolicies::TenantId)).eq(tenant.0))
                    .order_by((c, CompanyPolicies::Version), Order::Desc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(StoredPolicy {
                    version: r.version,
                    policy: CompanyPolicy {
                        message: r.message,
                        notes: serde_json::from_str(&r.notes).map_err(|e| {
                            StoreError::Integrity(format!("company policy notes: {e}"))
                        })?,
                    },
                    written_by_name: r.written_by_name,
                    written_at: r.written_at,
                })
            })
            .collect()
    }

    /// Saves a new version; its number. Two saves at once: one of them gets a conflict
    /// (the versions are unique per tenant) and may save again.
    pub async fn add_company_policy(
        &self,
        tenant: TenantId,
        policy: &CompanyPolicy,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let notes = serde_json::to_string(&policy.notes)
            .map_err(|e| StoreError::Integrity(format!("company policy notes: {e}")))?;
        let mut tx = self.begin().await?;
        let (last,): (Option<i64>,) = tx
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(CompanyPolicies::Version).max())
                    .from(CompanyPolicies::Table)
                    .and_where(Expr::col(CompanyPolicies::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let version = last.unwrap_or(0) + 1;
        tx.execute(
            &Query::insert()
                .into_table(CompanyPolicies::Table)
                .columns([
                    CompanyPolicies::TenantId,
                    CompanyPolicies::Version,
                    CompanyPolicies::Message,
                    CompanyPolicies::Notes,
                    CompanyPolicies::WrittenByUserId,
                    CompanyPolicies::WrittenAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    version.into(),
                    policy.message.clone().into(),
                    notes.into(),
                    by.map(|u| u.0).into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }
}
