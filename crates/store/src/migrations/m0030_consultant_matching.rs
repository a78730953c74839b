//! Migration 30: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 相談相手を選ぶ: the consultant's open slots (空き枠), which an employee books (the slot
/// then holds the dialogue it became); the employee's own choice of consultant, kept
/// apart from HR's assignments so that no company page lists it; ratings after each
/// session (5 levels and "would talk again"), tied to the dialogue and the consultant
/// only; how many sessions a year the company pays for (no limit when empty); and a
/// version of the tenant's consultant profiles, bumped on every change, by which each
/// process knows its keyword index is stale (as `directory_version` does for people);
/// and invitations (招待): a link by which someone whose account was made for them — a
/// consultant HR invites — sets their own password (only the secret's digest is kept);
/// and a consultant's profile photo (checked by content: `domain::consultant::photo_kind`).
pub(super) fn m0030_consultant_matching(engine: Engine) -> Statements {
    let s = ConsultantSlots::Table;
    let slots = Table::create()
        .table(s)
        .col(id_col(ConsultantSlots::Id))
        .col(tenant_col(ConsultantSlots::TenantId))
        .col(big(ConsultantSlots::UserId))
        .col(ts(ConsultantSlots::StartsAt))
        .col(big(ConsultantSlots::DurationMinutes))
        .col(text(ConsultantSlots::Setting))
        .col(
            ColumnDef::new(ConsultantSlots::DialogueId)
                .big_integer()
                .null(),
        )
        .col(ts(ConsultantSlots::CreatedAt))
        .foreign_key(&mut fk(
            s,
            ConsultantSlots::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(s, ConsultantSlots::UserId, Users::Table, Users::Id))
        .to_owned();
    let slots_by_user = Index::create()
        .name("consultant_slots_user_start")
        .table(s)
        .col(ConsultantSlots::TenantId)
        .col(ConsultantSlots::UserId)
        .col(ConsultantSlots::StartsAt)
        .to_owned();
    let slots_by_dialogue = Index::create()
        .name("consultant_slots_dialogue")
        .table(s)
        .col(ConsultantSlots::TenantId)
        .col(ConsultantSlots::DialogueId)
        .to_owned();
    let c = ConsultationChoices::Table;
    let choices = Table::create()
        .table(c)
        .col(id_col(ConsultationChoices::Id))
        .col(tenant_col(ConsultationChoices::TenantId))
        .col(big(ConsultationChoices::PersonId))
        .col(big(ConsultationChoices::ConsultantUserId))
        .col(text(ConsultationChoices::Source))
        .col(ts(ConsultationChoices::ChosenAt))
        .col(
            ColumnDef::new(ConsultationChoices::EndedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            c,
            ConsultationChoices::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            c,
            ConsultationChoices::PersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            c,
            ConsultationChoices::ConsultantUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let choices_by_person = Index::create()
        .name("consultation_choices_person")
        .table(c)
        .col(ConsultationChoices::TenantId)
        .col(ConsultationChoices::PersonId)
        .to_owned();
    let choices_by_consultant = Index::create()
        .name("consultation_choices_consultant")
        .table(c)
        .col(ConsultationChoices::TenantId)
        .col(ConsultationChoices::ConsultantUserId)
        .to_owned();
    let r = ConsultationRatings::Table;
    let ratings = Table::create()
        .table(r)
        .col(id_col(ConsultationRatings::Id))
        .col(tenant_col(ConsultationRatings::TenantId))
        .col(big(ConsultationRatings::DialogueId))
        .col(big(ConsultationRatings::ConsultantUserId))
        .col(big(ConsultationRatings::Level))
        .col(
            ColumnDef::new(ConsultationRatings::Again)
                .boolean()
                .not_null(),
        )
        .col(ts(ConsultationRatings::RatedAt))
        .foreign_key(&mut fk(
            r,
            ConsultationRatings::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            r,
            ConsultationRatings::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let one_rating = Index::create()
        .name("consultation_ratings_dialogue")
        .table(r)
        .col(ConsultationRatings::TenantId)
        .col(ConsultationRatings::DialogueId)
        .unique()
        .to_owned();
    let ratings_by_consultant = Index::create()
        .name("consultation_ratings_consultant")
        .table(r)
        .col(ConsultationRatings::TenantId)
        .col(ConsultationRatings::ConsultantUserId)
        .to_owned();
    let allowance = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::ConsultationsPerYear)
                .big_integer()
                .null(),
        )
        .to_owned();
    let i = Invitations::Table;
    let invitations = Table::create()
        .table(i)
        .col(id_col(Invitations::Id))
        .col(tenant_col(Invitations::TenantId))
        .col(big(Invitations::UserId))
        .col(text(Invitations::TokenHash))
        .col(
            ColumnDef::new(Invitations::CreatedByUserId)
                .big_integer()
                .null(),
        )
        .col(ts(Invitations::CreatedAt))
        .col(ts(Invitations::ExpiresAt))
        .col(
            ColumnDef::new(Invitations::UsedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            i,
            Invitations::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(i, Invitations::UserId, Users::Table, Users::Id))
        .to_owned();
    let by_token = Index::create()
        .name("invitations_token")
        .table(i)
        .col(Invitations::TokenHash)
        .unique()
        .to_owned();
    let ph = ConsultantPhotos::Table;
    let photos = Table::create()
        .table(ph)
        .col(id_col(ConsultantPhotos::Id))
        .col(tenant_col(ConsultantPhotos::TenantId))
        .col(big(ConsultantPhotos::UserId))
        .col(text(ConsultantPhotos::ContentType))
        .col(ColumnDef::new(ConsultantPhotos::Bytes).blob().not_null())
        .col(ts(ConsultantPhotos::UpdatedAt))
        .foreign_key(&mut fk(
            ph,
            ConsultantPhotos::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            ph,
            ConsultantPhotos::UserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let one_photo = Index::create()
        .name("consultant_photos_user")
        .table(ph)
        .col(ConsultantPhotos::TenantId)
        .col(ConsultantPhotos::UserId)
        .unique()
        .to_owned();
    let version = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::ConsultantProfilesVersion)
                .big_integer()
                .not_null()
                .default(0),
        )
        .to_owned();
    let alter = |t: &sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    vec![
        render(engine, &slots),
        render_index(engine, &slots_by_user),
        render_index(engine, &slots_by_dialogue),
        render(engine, &choices),
        render_index(engine, &choices_by_person),
        render_index(engine, &choices_by_consultant),
        render(engine, &ratings),
        render_index(engine, &one_rating),
        render_index(engine, &ratings_by_consultant),
        alter(&allowance),
        alter(&version),
        render(engine, &invitations),
        render_index(engine, &by_token),
        render(engine, &photos),
        render_index(engine, &one_photo),
    ]
}
