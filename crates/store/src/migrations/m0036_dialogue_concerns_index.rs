//! Migration 36: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// One dialogue's concern themes (相談テーマ) are read and replaced by tenant and
/// dialogue. With only the key (dialogue, theme) and the index by tenant and theme, SQLite
/// without fresh statistics chose the tenant's index and walked every theme the tenant
/// ever tagged for each save — a save took seconds with years of history. An index on
/// exactly (tenant, dialogue) is the one both engines pick.
pub(super) fn m0036_dialogue_concerns_index(engine: Engine) -> Statements {
    vec![render_index(
        engine,
        &Index::create()
            .name("dialogue_concerns_dialogue")
            .table(DialogueConcerns::Table)
            .col(DialogueConcerns::TenantId)
            .col(DialogueConcerns::DialogueId)
            .to_owned(),
    )]
}
