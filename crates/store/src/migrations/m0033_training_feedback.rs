//! Migration 33: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 研修後アンケート: whether each participant has answered (a flag on their place in the
/// programme, for the page and participation only) and the answers, which carry no
/// person: a random id, the programme, the instructor's style and the participant's
/// segment, the two ratings and the chosen topics.
pub(super) fn m0033_training_feedback(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(ProgrammeParticipants::Table)
        .add_column(
            ColumnDef::new(ProgrammeParticipants::FeedbackGiven)
                .boolean()
                .not_null()
                .default(false),
        )
        .to_owned();
    let f = TrainingFeedback::Table;
    let answers = Table::create()
        .table(f)
        .col(
            ColumnDef::new(TrainingFeedback::Id)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(tenant_col(TrainingFeedback::TenantId))
        .col(big(TrainingFeedback::ProgrammeId))
        .col(text(TrainingFeedback::Style))
        .col(text(TrainingFeedback::Segment))
        .col(big(TrainingFeedback::Useful))
        .col(big(TrainingFeedback::Fit))
        .col(text(TrainingFeedback::Topics))
        .foreign_key(&mut fk(
            f,
            TrainingFeedback::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            f,
            TrainingFeedback::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .to_owned();
    let by_programme = Index::create()
        .name("training_feedback_programme")
        .table(f)
        .col(TrainingFeedback::TenantId)
        .col(TrainingFeedback::ProgrammeId)
        .to_owned();
    vec![
        match engine {
            Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
            Engine::Postgres => alter.to_string(PostgresQueryBuilder),
        },
        render(engine, &answers),
        render_index(engine, &by_programme),
    ]
}
