//! Migration 24: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 依頼: an employee asks their manager for a 1on1 or their consultant for an interview,
/// proposing up to three times (`domain::request`). The message and the reason for
/// declining are sealed like notes.
pub(super) fn m0024_dialogue_requests(engine: Engine) -> Statements {
    let t = DialogueRequests::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(DialogueRequests::Id))
        .col(tenant_col(DialogueRequests::TenantId))
        .col(text(DialogueRequests::Kind))
        .col(big(DialogueRequests::RequesterPersonId))
        .col(big(DialogueRequests::AddresseeUserId))
        .col(text(DialogueRequests::Slots))
        .col(text(DialogueRequests::Message))
        .col(text(DialogueRequests::Status))
        .col(text(DialogueRequests::Answer))
        .col(
            ColumnDef::new(DialogueRequests::DialogueId)
                .big_integer()
                .null(),
        )
        .col(ts(DialogueRequests::CreatedAt))
        .col(
            ColumnDef::new(DialogueRequests::AnsweredAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            t,
            DialogueRequests::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            DialogueRequests::RequesterPersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            t,
            DialogueRequests::AddresseeUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let by_addressee = Index::create()
        .name("dialogue_requests_addressee")
        .table(t)
        .col(DialogueRequests::TenantId)
        .col(DialogueRequests::AddresseeUserId)
        .col(DialogueRequests::Status)
        .to_owned();
    let by_requester = Index::create()
        .name("dialogue_requests_requester")
        .table(t)
        .col(DialogueRequests::TenantId)
        .col(DialogueRequests::RequesterPersonId)
        .to_owned();
    vec![
        render(engine, &table),
        render_index(engine, &by_addressee),
        render_index(engine, &by_requester),
    ]
}
