//! Migration 13: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 行動変容: one evaluation per person per fiscal year (re-evaluating replaces it); the
/// reason and the manager's input sealed.
pub(super) fn m0013_behaviour_evaluations(engine: Engine) -> Statements {
    let table = Table::create()
        .table(BehaviourEvaluations::Table)
        .col(id_col(BehaviourEvaluations::Id))
        .col(tenant_col(BehaviourEvaluations::TenantId))
        .col(big(BehaviourEvaluations::PersonId))
        .col(big(BehaviourEvaluations::FiscalYear))
        .col(text(BehaviourEvaluations::Level))
        .col(text(BehaviourEvaluations::Reason))
        .col(text(BehaviourEvaluations::ManagerInput))
        .col(big(BehaviourEvaluations::EvaluatedByUserId))
        .col(ts(BehaviourEvaluations::EvaluatedAt))
        .foreign_key(&mut fk(
            BehaviourEvaluations::Table,
            BehaviourEvaluations::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let unique = Index::create()
        .name("behaviour_evaluations_person_year")
        .table(BehaviourEvaluations::Table)
        .col(BehaviourEvaluations::TenantId)
        .col(BehaviourEvaluations::PersonId)
        .col(BehaviourEvaluations::FiscalYear)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &unique)]
}
