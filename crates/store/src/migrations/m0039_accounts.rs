//! Migration 39: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Accounts on the web: each user's language (ja/en, unset = the browser's), where
/// their notices go (email, in-app or both; unset = both) and their own chat webhook
/// (service and address); the chat services the company allows (JSON on `tenants`);
/// the purpose of a link sent by e-mail (an invitation, or a password reset — unset =
/// invitation); and each dialogue's calendar invitation: its SEQUENCE and whether an
/// invitation or cancellation waits to be sent (existing dialogues: none waits, so an
/// upgrade e-mails nobody about what was booked before it).
pub(super) fn m0039_accounts(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    let due = Index::create()
        .name("dialogues_calendar_due")
        .table(Dialogues::Table)
        .col(Dialogues::CalendarDue)
        .col(Dialogues::TenantId)
        .to_owned();
    vec![
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(
                    ColumnDef::new(Dialogues::CalendarSeq)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(
                    ColumnDef::new(Dialogues::CalendarDue)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        ),
        render_index(engine, &due),
        alter(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::Language).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::Notify).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::ChatService).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::ChatUrl).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::CalendarFeedHash).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(ApiTokens::Table)
                .add_column(ColumnDef::new(ApiTokens::Scope).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(ApiTokens::Table)
                .add_column(
                    ColumnDef::new(ApiTokens::ExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Tenants::Table)
                .add_column(ColumnDef::new(ChatColumns::ChatServices).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Invitations::Table)
                .add_column(ColumnDef::new(Invitations::Purpose).text().null())
                .to_owned(),
        ),
    ]
}
