//! 行動変容 storage: one evaluation per person per fiscal year, its reason and the
//! manager's input sealed (bound to tenant and person). The organisation reads only the
//! distribution per year.

use crate::schema::BehaviourEvaluations;
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::behaviour::{Change, Distribution};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use std::collections::BTreeMap;

/// An evaluation, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    pub person: PersonId,
    pub fiscal_year: i32,
    pub level: Change,
    pub reason: String,
    pub manager_input: String,
    pub evaluated_by: UserId,
    pub evaluated_at: DateTime<Utc>,
}

pub(crate) fn aad(tenant: TenantId, person: PersonId) -> String {
    format!("{}:{}", tenant.0, person.0)
}

impl Store {
    /// Records (or replaces) a person's evaluation for a fiscal year.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_behaviour(
        &self,
        tenant: TenantId,
        person: PersonId,
        fiscal_year: i32,
        level: Change,
        reason: &str,
        manager_input: &str,
        by: UserId,
    ) -> Result<()> {
        let a = aad(tenant, person);
        self.execute(
            &Query::insert()
                .into_table(BehaviourEvaluations::Table)
                .columns([
                    BehaviourEvaluations::TenantId,
                    BehaviourEvaluations::PersonId,
                    BehaviourEvaluations::FiscalYear,
                    BehaviourEvaluations::Level,
                    BehaviourEvaluations::Reason,
                    BehaviourEvaluations::ManagerInput,
                    BehaviourEvaluations::EvaluatedByUserId,
                    BehaviourEvaluations::EvaluatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    person.0.into(),
                    i64::from(fiscal_year).into(),
                    level.key().into(),
                    self.keys.seal(&a, reason)?.into(),
                    self.keys.seal(&a, manager_input)?.into(),
                    by.0.into(),
                    Utc::now().into(),
                ])
                .on_conflict(
                    OnConflict::columns([
                        BehaviourEvaluations::TenantId,
                        BehaviourEvaluations::PersonId,
                        BehaviourEvaluations::FiscalYear,
                    ])
                    .update_columns([
                        BehaviourEvaluations::Level,
                        BehaviourEvaluations::Reason,
                        BehaviourEvaluations::ManagerInput,
                        BehaviourEvaluations::EvaluatedByUserId,
                        BehaviourEvaluations::EvaluatedAt,
                    ])
                    .to_owned(),
                )
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// A person's evaluation for a fiscal year, if any.
    pub async fn behaviour_of(
        &self,
        tenant: TenantId,
        person: PersonId,
        fiscal_year: i32,
    ) -> Result<Option<Evaluation>> {
        let row: Option<(String, String, String, i64, DateTime<Utc>)> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        BehaviourEvaluations::Level,
                        BehaviourEvaluations::Reason,
                        BehaviourEvaluations::ManagerInput,
                        BehaviourEvaluations::EvaluatedByUserId,
                        BehaviourEvaluations::EvaluatedAt,
                    ])
                    .from(BehaviourEvaluations::Table)
                    .and_where(Expr::col(BehaviourEvaluations::TenantId).eq(tenant.0))
                    .and_where(Expr::col(BehaviourEvaluations::PersonId).eq(person.0))
                    .and_where(
                        Expr::col(BehaviourEvaluations::FiscalYear).eq(i64::from(fiscal_year)),
                    )
                    .to_owned(),
            )
            .await?;
        let a = aad(tenant, person);
        row.map(|(level, reason, input, by, at)| {
            Ok(Evaluation {
                person,
                fiscal_year,
                level: Change::parse(&level)
                    .ok_or_else(|| StoreError::Integrity(format!("behaviour level '{level}'")))?,
                reason: self.keys.open(&a, &reason)?,
                manager_input: self.keys.open(&a, &input)?,
                evaluated_by: UserId(by),
                evaluated_at: at,
            })
        })
        .transpose()
    }

    /// How many people were evaluated at each level, per fiscal year (no text opened).
    pub async fn behaviour_distribution(
        &self,
        tenant: TenantId,
    ) -> Result<BTreeMap<i32, Distribution>> {
        let rows: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        BehaviourEvaluations::FiscalYear,
                        BehaviourEvaluations::Level,
                    ])
                    .from(BehaviourEvaluations::Table)
                    .and_where(Expr::col(BehaviourEvaluations::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let mut out: BTreeMap<i32, Distribution> = BTreeMap::new();
        for (fy, level) in rows {
            if let Some(c) = Change::parse(&level) {
                out.entry(fy as i32).or_default().add(c);
            }
        }
        Ok(out)
    }
}
