//! Migration 6: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// A counter bumped by every change to a tenant's people or departments: each server
/// process rebuilds its in-memory directory (search, org tree) when it moves.
pub(super) fn m0006_directory_version(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::DirectoryVersion)
                .big_integer()
                .not_null()
                .default(0),
        )
        .to_owned();
    vec![
        match engine {
            Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
            Engine::Postgres => alter.to_string(PostgresQueryBuilder),
        },
        // Planner statistics for databases loaded before imports refreshed them.
        "ANALYZE".into(),
    ]
}
