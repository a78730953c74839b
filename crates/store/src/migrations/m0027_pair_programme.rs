//! Migration 27: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// A pair may be made by a cross-1on1 programme (部署を越えた1on1): which one, so the
/// programme page lists its pairs and cancelling the programme ends them.
pub(super) fn m0027_pair_programme(engine: Engine) -> Statements {
    let column = Table::alter()
        .table(Pairs::Table)
        .add_column(ColumnDef::new(Pairs::ProgrammeId).big_integer().null())
        .to_owned();
    let by_programme = Index::create()
        .name("pairs_programme")
        .table(Pairs::Table)
        .col(Pairs::TenantId)
        .col(Pairs::ProgrammeId)
        .to_owned();
    vec![
        match engine {
            Engine::Sqlite => column.to_string(SqliteQueryBuilder),
            Engine::Postgres => column.to_string(PostgresQueryBuilder),
        },
        render_index(engine, &by_programme),
    ]
}
