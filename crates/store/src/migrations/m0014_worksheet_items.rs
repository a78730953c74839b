//! Migration 14: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 損益分岐: the merits and demerits the employee weighs in an interview (texts sealed).
pub(super) fn m0014_worksheet_items(engine: Engine) -> Statements {
    let table = Table::create()
        .table(WorksheetItems::Table)
        .col(id_col(WorksheetItems::Id))
        .col(tenant_col(WorksheetItems::TenantId))
        .col(big(WorksheetItems::DialogueId))
        .col(text(WorksheetItems::Side))
        .col(text(WorksheetItems::Text))
        .col(big(WorksheetItems::Weight))
        .col(ts(WorksheetItems::CreatedAt))
        .foreign_key(&mut fk(
            WorksheetItems::Table,
            WorksheetItems::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    vec![render(engine, &table)]
}
