//! Migration 23: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// When a sent feedback report was retracted because the employee withdrew consent: the
/// manager then sees only that it was withdrawn at the employee's request.
pub(super) fn m0023_report_retraction(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(FeedbackReports::Table)
        .add_column(
            ColumnDef::new(FeedbackReports::RetractedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .to_owned();
    vec![match engine {
        Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
        Engine::Postgres => alter.to_string(PostgresQueryBuilder),
    }]
}
