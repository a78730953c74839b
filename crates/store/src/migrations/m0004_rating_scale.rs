//! Migration 4: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Each tenant's rating scale (label=value pairs), default S=5,A=4,B=3,C=2,D=1.
pub(super) fn m0004_rating_scale(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::RatingScale)
                .text()
                .not_null()
                .default("S=5,A=4,B=3,C=2,D=1"),
        )
        .to_owned();
    vec![match engine {
        Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
        Engine::Postgres => alter.to_string(PostgresQueryBuilder),
    }]
}
