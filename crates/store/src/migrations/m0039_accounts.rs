//! Migration 39: not yet released — may still change until it lands.

use super::*;

/// Accounts on the web: each user's language (ja/en, unset = the browser's), where
/// their notices go (email, in-app or both; unset = both) and their own chat webhook
/// (service and address); the chat services the company allows (JSON on `tenants`);
/// and the purpose of a link sent by e-mail (an invitation, or a password reset —
/// unset = invitation).
pub(super) fn m0039_accounts(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    vec![
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
