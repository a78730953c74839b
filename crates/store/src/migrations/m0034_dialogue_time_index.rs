//! Migration 34: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// The KPI facts read a fiscal year's held dialogues by kind (interviews, 1on1s,
/// consultations, any dialogue in the last twelve months): an index by tenant, kind and
/// start holding the state, the subject and the facilitator answers each of those reads
/// from the index alone, instead of a walk over every dialogue of the tenant (15 million
/// with ten years of history at 300,000 people; see bench/README.md). The autonomy
/// judgement reads the year's dialogues with a vision recorded: a partial index holds
/// just those (a few in a hundred).
pub(super) fn m0034_dialogue_time_index(engine: Engine) -> Statements {
    let by_kind = Index::create()
        .name("dialogues_kind_starts")
        .table(Dialogues::Table)
        .col(Dialogues::TenantId)
        .col(Dialogues::Kind)
        .col(Dialogues::StartsAt)
        .col(Dialogues::State)
        .col(Dialogues::SubjectPersonId)
        .col(Dialogues::FacilitatorUserId)
        .to_owned();
    vec![
        render_index(engine, &by_kind),
        // Partial indexes are written the same way on both engines.
        "CREATE INDEX dialogues_vision_starts ON dialogues (tenant_id, starts_at) \
         WHERE vision_horizon IS NOT NULL"
            .into(),
    ]
}
