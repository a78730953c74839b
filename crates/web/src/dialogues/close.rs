//! Closing a dialogue: held, cancelled or missed.

use super::*;

/// POST /dialogues/{id}/close — held (記録を確定), cancelled or no-show.
pub(super) async fn close(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("close");
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_manage_dialogue(role))?;
    let to = DialogueState::parse(form.get("state"))
        .ok_or(AppError::Page(crate::shared::error::ErrorPage::BadRequest))?;
    // HR who booked it may cancel it; only the facilitator knows it was held or missed.
    need(role == DialogueRole::Facilitator || to == DialogueState::Cancelled)?;
    // Nobody holds, or misses, a meeting that has not begun.
    if !d.is_closed()
        && let Err(dialogue::CloseRefusal::NotStarted) =
            dialogue::may_close(to, d.starts_at, state.clock.now())
    {
        set_flash(
            &page.session,
            "error",
            page.tf(
                "dialogue.error.not_started",
                "at",
                crate::shared::time::when(d.starts_at),
            ),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "close").await;
    }
    // A milestone interview ends in a commitment, or in booking the next session.
    if d.kind == DialogueKind::MilestoneInterview && to == DialogueState::Held && !d.is_closed() {
        use commitments::MilestoneClose;
        let (outcome, msg) =
            match commitments::milestone_close(&state.store, auth.tenant(), &d).await? {
                MilestoneClose::Committed => (
                    domain::commitment::MilestoneOutcome::Committed,
                    "commitment.closed_committed",
                ),
                MilestoneClose::Continued => (
                    domain::commitment::MilestoneOutcome::Continued,
                    "commitment.closed_continued",
                ),
                MilestoneClose::NeedsNextSession => {
                    set_flash(
                        &page.session,
                        "error",
                        page.t("commitment.error.needs_next_session"),
                    )
                    .await?;
                    return saved(&state, &page, &auth, &origin, id, &raw, "close").await;
                }
            };
        let done = state
            .store
            .close_with_outcome(auth.tenant(), d.id, outcome)
            .await?;
        set_flash(
            &page.session,
            if done { "success" } else { "error" },
            page.t(if done {
                msg
            } else {
                "dialogue.error.already_closed"
            }),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "close").await;
    }
    if state.store.close_dialogue(auth.tenant(), d.id, to).await? {
        set_flash(
            &page.session,
            "success",
            page.t(&format!("dialogue.closed.{}", to.key())),
        )
        .await?;
    } else {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.error.already_closed"),
        )
        .await?;
    }
    saved(&state, &page, &auth, &origin, id, &raw, "close").await
}
