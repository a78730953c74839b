//! Migration 29: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 価値観診断: one per employee (`domain::consultant::Diagnosis`), redone by replacing it.
/// The employee's own words are sealed like notes; empty preferences are empty text.
pub(super) fn m0029_consultant_diagnoses(engine: Engine) -> Statements {
    let t = ConsultantDiagnoses::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(ConsultantDiagnoses::Id))
        .col(tenant_col(ConsultantDiagnoses::TenantId))
        .col(big(ConsultantDiagnoses::PersonId))
        .col(text(ConsultantDiagnoses::Themes))
        .col(text(ConsultantDiagnoses::OwnWords))
        .col(text(ConsultantDiagnoses::Style))
        .col(text(ConsultantDiagnoses::AgeBand))
        .col(text(ConsultantDiagnoses::Gender))
        .col(text(ConsultantDiagnoses::Industry))
        .col(text(ConsultantDiagnoses::Setting))
        .col(ts(ConsultantDiagnoses::UpdatedAt))
        .foreign_key(&mut fk(
            t,
            ConsultantDiagnoses::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            ConsultantDiagnoses::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let one = Index::create()
        .name("consultant_diagnoses_person")
        .table(t)
        .col(ConsultantDiagnoses::TenantId)
        .col(ConsultantDiagnoses::PersonId)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &one)]
}
