//! Migration 19: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 節目プログラム: programmes with their frozen cohort (participants and their steps) and
/// training sessions (研修) with the instructor's style.
pub(super) fn m0019_programmes(engine: Engine) -> Statements {
    let p = Programmes::Table;
    let programmes = Table::create()
        .table(p)
        .col(id_col(Programmes::Id))
        .col(tenant_col(Programmes::TenantId))
        .col(big(Programmes::FiscalYear))
        .col(text(Programmes::Name))
        .col(text(Programmes::Template))
        .col(text(Programmes::Rule))
        .col(
            ColumnDef::new(Programmes::Mandatory)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(text(Programmes::PreLearning))
        .col(big(Programmes::GroupMin))
        .col(big(Programmes::GroupMax))
        .col(big(Programmes::CreatedByUserId))
        .col(ts(Programmes::CreatedAt))
        .foreign_key(&mut fk(
            p,
            Programmes::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            p,
            Programmes::CreatedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let s = TrainingSessions::Table;
    let sessions = Table::create()
        .table(s)
        .col(id_col(TrainingSessions::Id))
        .col(tenant_col(TrainingSessions::TenantId))
        .col(big(TrainingSessions::ProgrammeId))
        .col(ts(TrainingSessions::StartsAt))
        .col(ts(TrainingSessions::EndsAt))
        .col(text(TrainingSessions::Place))
        .col(big(TrainingSessions::Capacity))
        .col(big(TrainingSessions::InstructorUserId))
        .col(text(TrainingSessions::Style))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::InstructorUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let pp = ProgrammeParticipants::Table;
    let participants = Table::create()
        .table(pp)
        .col(id_col(ProgrammeParticipants::Id))
        .col(tenant_col(ProgrammeParticipants::TenantId))
        .col(big(ProgrammeParticipants::ProgrammeId))
        .col(big(ProgrammeParticipants::PersonId))
        .col(ts(ProgrammeParticipants::AddedAt))
        .col(
            ColumnDef::new(ProgrammeParticipants::LateJoiner)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::PreLearningDoneAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::SessionId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::Pinned)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::GroupNo)
                .big_integer()
                .null(),
        )
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::PersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::SessionId,
            TrainingSessions::Table,
            TrainingSessions::Id,
        ))
        .to_owned();
    let one_each = Index::create()
        .name("programme_participants_person")
        .table(pp)
        .col(ProgrammeParticipants::ProgrammeId)
        .col(ProgrammeParticipants::PersonId)
        .unique()
        .to_owned();
    let by_person = Index::create()
        .name("programme_participants_by_person")
        .table(pp)
        .col(ProgrammeParticipants::TenantId)
        .col(ProgrammeParticipants::PersonId)
        .to_owned();
    let by_instructor = Index::create()
        .name("training_sessions_instructor")
        .table(s)
        .col(TrainingSessions::TenantId)
        .col(TrainingSessions::InstructorUserId)
        .to_owned();
    vec![
        render(engine, &programmes),
        render(engine, &sessions),
        render(engine, &participants),
        render_index(engine, &one_each),
        render_index(engine, &by_person),
        render_index(engine, &by_instructor),
    ]
}
