//! Migration 10: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 行動計画・コミット: commitments recorded in a dialogue (their texts sealed), each edit
/// after confirmation a new version; and the outcome of a milestone interview
/// (`committed`, or `continued` when the next session was booked instead).
pub(super) fn m0010_commitments(engine: Engine) -> Statements {
    let commitments = Table::create()
        .table(Commitments::Table)
        .col(id_col(Commitments::Id))
        .col(tenant_col(Commitments::TenantId))
        .col(big(Commitments::DialogueId))
        .col(big(Commitments::SubjectPersonId))
        .col(big(Commitments::Version))
        .col(
            ColumnDef::new(Commitments::SupersedesId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(Commitments::Replaced)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(text(Commitments::Content))
        .col(ColumnDef::new(Commitments::StartsOn).date().not_null())
        .col(ColumnDef::new(Commitments::DueOn).date().null())
        .col(ColumnDef::new(Commitments::Objective).boolean().not_null())
        .col(ColumnDef::new(Commitments::HasStart).boolean().not_null())
        .col(big(Commitments::RecordedByUserId))
        .col(ts(Commitments::RecordedAt))
        .col(
            ColumnDef::new(Commitments::ConfirmedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(text(Commitments::Status))
        .col(ColumnDef::new(Commitments::StatusReason).text().null())
        .col(
            ColumnDef::new(Commitments::StatusAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            Commitments::Table,
            Commitments::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .foreign_key(&mut fk(
            Commitments::Table,
            Commitments::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let by_dialogue = Index::create()
        .name("commitments_dialogue")
        .table(Commitments::Table)
        .col(Commitments::TenantId)
        .col(Commitments::DialogueId)
        .to_owned();
    let by_subject = Index::create()
        .name("commitments_subject")
        .table(Commitments::Table)
        .col(Commitments::TenantId)
        .col(Commitments::SubjectPersonId)
        .to_owned();
    let outcome = Table::alter()
        .table(Dialogues::Table)
        .add_column(ColumnDef::new(DialogueOutcome::Outcome).text().null())
        .to_owned();
    vec![
        render(engine, &commitments),
        render_index(engine, &by_dialogue),
        render_index(engine, &by_subject),
        match engine {
            Engine::Sqlite => outcome.to_string(SqliteQueryBuilder),
            Engine::Postgres => outcome.to_string(PostgresQueryBuilder),
        },
    ]
}
