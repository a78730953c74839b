//! Migration 11: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 面談所感: one report per consultant dialogue, drafted, then sent once to the manager,
/// who acknowledges it and records the support they gave. Texts sealed.
pub(super) fn m0011_feedback_reports(engine: Engine) -> Statements {
    let reports = Table::create()
        .table(FeedbackReports::Table)
        .col(id_col(FeedbackReports::Id))
        .col(tenant_col(FeedbackReports::TenantId))
        .col(big(FeedbackReports::DialogueId))
        .col(big(FeedbackReports::SubjectPersonId))
        .col(big(FeedbackReports::AuthorUserId))
        .col(text(FeedbackReports::Content))
        .col(ts(FeedbackReports::CreatedAt))
        .col(ts(FeedbackReports::UpdatedAt))
        .col(
            ColumnDef::new(FeedbackReports::SentAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(FeedbackReports::AddressedToPersonId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(FeedbackReports::AcknowledgedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ColumnDef::new(FeedbackReports::Support).text().null())
        .col(
            ColumnDef::new(FeedbackReports::SupportAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            FeedbackReports::Table,
            FeedbackReports::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let one_per_dialogue = Index::create()
        .name("feedback_reports_dialogue")
        .table(FeedbackReports::Table)
        .col(FeedbackReports::DialogueId)
        .unique()
        .to_owned();
    let by_manager = Index::create()
        .name("feedback_reports_addressed")
        .table(FeedbackReports::Table)
        .col(FeedbackReports::TenantId)
        .col(FeedbackReports::AddressedToPersonId)
        .to_owned();
    vec![
        render(engine, &reports),
        render_index(engine, &one_per_dialogue),
        render_index(engine, &by_manager),
    ]
}
