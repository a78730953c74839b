//! Migration 12: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// キャリア自律: the vision and its horizon as the facilitator recorded them in an
/// interview (sealed), and each tenant's own definition of a career-autonomous person.
pub(super) fn m0012_autonomy(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    vec![
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(ColumnDef::new(VisionColumns::Vision).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(
                    ColumnDef::new(VisionColumns::VisionHorizon)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Tenants::Table)
                .add_column(
                    ColumnDef::new(AutonomyColumn::AutonomyDefinition)
                        .text()
                        .null(),
                )
                .to_owned(),
        ),
    ]
}
