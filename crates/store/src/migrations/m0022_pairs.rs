//! Migration 22: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// ペア: the pairs cross-department and mentor 1on1s need (`domain::pairing`). One row per
/// partner, subject and kind; an ended or declined pair is opened again on the same row
/// (its history is in the audit log).
pub(super) fn m0022_pairs(engine: Engine) -> Statements {
    let t = Pairs::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(Pairs::Id))
        .col(tenant_col(Pairs::TenantId))
        .col(text(Pairs::Kind))
        .col(big(Pairs::PartnerUserId))
        .col(big(Pairs::SubjectPersonId))
        .col(text(Pairs::Status))
        .col(ColumnDef::new(Pairs::Awaiting).text().null())
        .col(text(Pairs::Message))
        .col(text(Pairs::Sections))
        .col(big(Pairs::CreatedByUserId))
        .col(ts(Pairs::CreatedAt))
        .col(ts(Pairs::UpdatedAt))
        .foreign_key(&mut fk(t, Pairs::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(t, Pairs::PartnerUserId, Users::Table, Users::Id))
        .foreign_key(&mut fk(
            t,
            Pairs::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(t, Pairs::CreatedByUserId, Users::Table, Users::Id))
        .to_owned();
    let one = Index::create()
        .name("pairs_one_per_kind")
        .table(t)
        .col(Pairs::TenantId)
        .col(Pairs::PartnerUserId)
        .col(Pairs::SubjectPersonId)
        .col(Pairs::Kind)
        .unique()
        .to_owned();
    let by_subject = Index::create()
        .name("pairs_subject")
        .table(t)
        .col(Pairs::TenantId)
        .col(Pairs::SubjectPersonId)
        .to_owned();
    vec![
        render(engine, &table),
        render_index(engine, &one),
        render_index(engine, &by_subject),
    ]
}
