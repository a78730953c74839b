//! Migration 18: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Career Anchor answer sheets, every take kept (history); scores are computed from them.
pub(super) fn m0018_anchor_results(engine: Engine) -> Statements {
    let t = AnchorResults::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(AnchorResults::Id))
        .col(tenant_col(AnchorResults::TenantId))
        .col(big(AnchorResults::PersonId))
        .col(text(AnchorResults::Ratings))
        .col(text(AnchorResults::Picks))
        .col(ts(AnchorResults::TakenAt))
        .foreign_key(&mut fk(
            t,
            AnchorResults::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            AnchorResults::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let by_person = Index::create()
        .name("anchor_results_person")
        .table(t)
        .col(AnchorResults::TenantId)
        .col(AnchorResults::PersonId)
        .to_owned();
    vec![render(engine, &table), render_index(engine, &by_person)]
}
