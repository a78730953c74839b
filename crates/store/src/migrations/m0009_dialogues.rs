//! Migration 9: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 面談・1on1: consultant assignments, dialogues (and recurring series), note items with
/// their earlier revisions, the employee's topics, and consent events. Confidential texts
/// are stored sealed (see `crypto`).
pub(super) fn m0009_dialogues(engine: Engine) -> Statements {
    let assignments = Table::create()
        .table(ConsultantAssignments::Table)
        .col(id_col(ConsultantAssignments::Id))
        .col(tenant_col(ConsultantAssignments::TenantId))
        .col(big(ConsultantAssignments::ConsultantUserId))
        .col(big(ConsultantAssignments::PersonId))
        .col(ts(ConsultantAssignments::AssignedAt))
        .col(big(ConsultantAssignments::AssignedByUserId))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::ConsultantUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let assignments_unique = Index::create()
        .name("consultant_assignments_pair")
        .table(ConsultantAssignments::Table)
        .col(ConsultantAssignments::TenantId)
        .col(ConsultantAssignments::ConsultantUserId)
        .col(ConsultantAssignments::PersonId)
        .unique()
        .to_owned();
    let series = Table::create()
        .table(DialogueSeries::Table)
        .col(id_col(DialogueSeries::Id))
        .col(tenant_col(DialogueSeries::TenantId))
        .col(text(DialogueSeries::Cadence))
        .col(big(DialogueSeries::Count))
        .col(ts(DialogueSeries::CreatedAt))
        .foreign_key(&mut fk(
            DialogueSeries::Table,
            DialogueSeries::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let dialogues = Table::create()
        .table(Dialogues::Table)
        .col(id_col(Dialogues::Id))
        .col(tenant_col(Dialogues::TenantId))
        .col(text(Dialogues::Kind))
        .col(big(Dialogues::SubjectPersonId))
        .col(big(Dialogues::FacilitatorUserId))
        .col(ts(Dialogues::StartsAt))
        .col(big(Dialogues::DurationMinutes))
        .col(text(Dialogues::Place))
        .col(text(Dialogues::State))
        .col(ColumnDef::new(Dialogues::SeriesId).big_integer().null())
        .col(big(Dialogues::CreatedByUserId))
        .col(ts(Dialogues::CreatedAt))
        .col(
            ColumnDef::new(Dialogues::ClosedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Dialogues::SubjectRating)
                .big_integer()
                .null(),
        )
        .col(ColumnDef::new(Dialogues::SubjectReflection).text().null())
        .col(
            ColumnDef::new(Dialogues::ReflectedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::FacilitatorUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::SeriesId,
            DialogueSeries::Table,
            DialogueSeries::Id,
        ))
        .to_owned();
    let by_facilitator = Index::create()
        .name("dialogues_facilitator_starts")
        .table(Dialogues::Table)
        .col(Dialogues::TenantId)
        .col(Dialogues::FacilitatorUserId)
        .col(Dialogues::StartsAt)
        .to_owned();
    let by_subject = Index::create()
        .name("dialogues_subject_starts")
        .table(Dialogues::Table)
        .col(Dialogues::TenantId)
        .col(Dialogues::SubjectPersonId)
        .col(Dialogues::StartsAt)
        .to_owned();
    let notes = Table::create()
        .table(DialogueNotes::Table)
        .col(id_col(DialogueNotes::Id))
        .col(tenant_col(DialogueNotes::TenantId))
        .col(big(DialogueNotes::DialogueId))
        .col(big(DialogueNotes::AuthorUserId))
        .col(text(DialogueNotes::Visibility))
        .col(text(DialogueNotes::CarryOver))
        .col(
            ColumnDef::new(DialogueNotes::QuestionCategory)
                .text()
                .null(),
        )
        .col(text(DialogueNotes::Body))
        .col(big(DialogueNotes::Revision))
        .col(
            ColumnDef::new(DialogueNotes::AfterClose)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(ts(DialogueNotes::CreatedAt))
        .col(ts(DialogueNotes::UpdatedAt))
        .foreign_key(&mut fk(
            DialogueNotes::Table,
            DialogueNotes::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let notes_by_dialogue = Index::create()
        .name("dialogue_notes_dialogue")
        .table(DialogueNotes::Table)
        .col(DialogueNotes::TenantId)
        .col(DialogueNotes::DialogueId)
        .to_owned();
    let revisions = Table::create()
        .table(DialogueNoteRevisions::Table)
        .col(id_col(DialogueNoteRevisions::Id))
        .col(tenant_col(DialogueNoteRevisions::TenantId))
        .col(big(DialogueNoteRevisions::NoteId))
        .col(big(DialogueNoteRevisions::DialogueId))
        .col(big(DialogueNoteRevisions::Revision))
        .col(text(DialogueNoteRevisions::Visibility))
        .col(text(DialogueNoteRevisions::CarryOver))
        .col(text(DialogueNoteRevisions::Body))
        .col(ts(DialogueNoteRevisions::WrittenAt))
        .col(ts(DialogueNoteRevisions::ReplacedAt))
        .foreign_key(&mut fk(
            DialogueNoteRevisions::Table,
            DialogueNoteRevisions::NoteId,
            DialogueNotes::Table,
            DialogueNotes::Id,
        ))
        .to_owned();
    let topics = Table::create()
        .table(DialogueTopics::Table)
        .col(id_col(DialogueTopics::Id))
        .col(tenant_col(DialogueTopics::TenantId))
        .col(big(DialogueTopics::DialogueId))
        .col(big(DialogueTopics::AuthorUserId))
        .col(text(DialogueTopics::Wanted))
        .col(text(DialogueTopics::Body))
        .col(ts(DialogueTopics::CreatedAt))
        .foreign_key(&mut fk(
            DialogueTopics::Table,
            DialogueTopics::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let consents = Table::create()
        .table(DialogueConsents::Table)
        .col(id_col(DialogueConsents::Id))
        .col(tenant_col(DialogueConsents::TenantId))
        .col(big(DialogueConsents::DialogueId))
        .col(text(DialogueConsents::Event))
        .col(text(DialogueConsents::Withheld))
        .col(big(DialogueConsents::RecordedByUserId))
        .col(ts(DialogueConsents::RecordedAt))
        .foreign_key(&mut fk(
            DialogueConsents::Table,
            DialogueConsents::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let mut out = vec![
        render(engine, &assignments),
        render_index(engine, &assignments_unique),
        render(engine, &series),
        render(engine, &dialogues),
        render_index(engine, &by_facilitator),
        render_index(engine, &by_subject),
        render(engine, &notes),
        render_index(engine, &notes_by_dialogue),
        render(engine, &revisions),
        render(engine, &topics),
        render(engine, &consents),
    ];
    // Earlier revisions of note items and consent events are history: never changed or
    // removed (the same guard as the audit log), except re-sealing under a new key.
    out.extend(append_only(engine, "dialogue_consents", false));
    out.extend(append_only(engine, "dialogue_note_revisions", true));
    out
}
