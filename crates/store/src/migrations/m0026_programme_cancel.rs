//! Migration 26: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// HR may cancel a programme: when and by whom. Its history (participants, sessions,
/// placements, dialogues) is kept; it no longer shows on anyone's マイキャリア.
pub(super) fn m0026_programme_cancel(engine: Engine) -> Statements {
    let at = Table::alter()
        .table(Programmes::Table)
        .add_column(
            ColumnDef::new(Programmes::CancelledAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .to_owned();
    let by = Table::alter()
        .table(Programmes::Table)
        .add_column(
            ColumnDef::new(Programmes::CancelledByUserId)
                .big_integer()
                .null(),
        )
        .to_owned();
    [at, by]
        .into_iter()
        .map(|a| match engine {
            Engine::Sqlite => a.to_string(SqliteQueryBuilder),
            Engine::Postgres => a.to_string(PostgresQueryBuilder),
        })
        .collect()
}
