//! Migration 15: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Days after a commitment's start before the follow-up asks whether it started (a tenant
/// setting; unset means the default).
pub(super) fn m0015_check_in_grace(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(GraceColumn::CheckInGraceDays)
                .big_integer()
                .null(),
        )
        .to_owned();
    vec![match engine {
        Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
        Engine::Postgres => alter.to_string(PostgresQueryBuilder),
    }]
}
