//! Note items (記録): adding one, editing one (its history kept), append-only once closed.

use super::*;

/// A note item from a form, or the draft to show again with its problem.
pub(super) fn parse_note(page: &Page, form: &FormData) -> Result<NoteInput, Box<NoteDraft>> {
    let mut draft = NoteDraft {
        body: form.get("body").to_string(),
        visibility: form.get("visibility").to_string(),
        carry_over: form.get("carry_over").to_string(),
        category: form.get("category").to_string(),
        error: None,
        note_id: None,
    };
    let visibility = Visibility::parse(&draft.visibility);
    let carry_over = CarryOver::parse(&draft.carry_over).or(Some(CarryOver::None));
    let category = if draft.category.is_empty() {
        Some(None)
    } else {
        Category::parse(&draft.category).map(|c| Some(c.key().to_string()))
    };
    let body = dialogue::parse_note_body(&draft.body);
    match (visibility, carry_over, category, body) {
        (Some(visibility), Some(carry_over), Some(question_category), Ok(body)) => Ok(NoteInput {
            visibility,
            carry_over,
            question_category,
            body,
        }),
        (_, _, _, Err("empty")) => {
            draft.error = Some(page.t("dialogue.error.note_empty"));
            Err(Box::new(draft))
        }
        (_, _, _, Err(_)) => {
            draft.error = Some(page.tf("dialogue.error.too_long", "n", MAX_NOTE_CHARS));
            Err(Box::new(draft))
        }
        _ => {
            draft.error = Some(page.t("dialogue.error.note_fields"));
            Err(Box::new(draft))
        }
    }
}

/// POST /dialogues/{id}/notes — the facilitator adds an item (after closing: an addendum).
pub(super) async fn add_note(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("note");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    match parse_note(&page, &form) {
        Ok(note) => {
            state
                .store
                .add_note(auth.tenant(), &d, auth.user.id, &note)
                .await?;
            set_flash(&page.session, "success", page.t("dialogue.note_added")).await?;
            saved(&state, &page, &auth, &origin, id, &raw, "note").await
        }
        Err(draft) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    draft: *draft,
                    ..Retry::keeping(&raw, "note")
                },
            )
            .await
        }
    }
}

/// POST /dialogues/{id}/notes/{note} — the author edits an item while the dialogue is
/// open; a stale edit (another tab saved first) or an edit after closing writes nothing
/// and keeps what was typed.
pub(super) async fn edit_note(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, note_id)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped(&format!("note-{note_id}"));
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    let before = state
        .store
        .note(auth.tenant(), note_id)
        .await?
        .filter(|n| n.dialogue_id == d.id)
        .ok_or_else(AppError::not_found)?;
    let base: i64 = form.get("revision").parse().unwrap_or(-1);
    let note = match parse_note(&page, &form) {
        Ok(n) => n,
        Err(mut draft) => {
            draft.note_id = Some(note_id);
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    draft: *draft,
                    ..Retry::keeping(&raw, &format!("note-{note_id}"))
                },
            )
            .await;
        }
    };
    let keep = |error: String| NoteDraft {
        body: note.body.clone(),
        visibility: note.visibility.key().into(),
        carry_over: note.carry_over.key().into(),
        category: note.question_category.clone().unwrap_or_default(),
        error: Some(error),
        note_id: Some(note_id),
    };
    let outcome = state
        .store
        .edit_note(auth.tenant(), note_id, auth.user.id, base, &note)
        .await?;
    let (status, draft) = match outcome {
        NoteEdit::Saved { .. } => {
            if before.visibility != note.visibility {
                auth.audit(
                    &state,
                    &origin,
                    NewAuditEntry::new(Some(auth.tenant()), AuditAction::VisibilityChanged)
                        .target("note", note_id)
                        .detail(format!(
                            "{} → {}",
                            before.visibility.key(),
                            note.visibility.key()
                        )),
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("dialogue.note_saved")).await?;
            return saved(
                &state,
                &page,
                &auth,
                &origin,
                id,
                &raw,
                &format!("note-{note_id}"),
            )
            .await;
        }
        NoteEdit::Stale { latest } => (
            StatusCode::CONFLICT,
            keep(page.tf("dialogue.error.note_stale", "revision", latest)),
        ),
        // Closed: items no longer change, so what was typed goes into the addendum form.
        NoteEdit::Closed => (
            StatusCode::CONFLICT,
            NoteDraft {
                note_id: None,
                ..keep(page.t("dialogue.error.note_closed"))
            },
        ),
        NoteEdit::NotAuthor => return Err(AppError::forbidden()),
    };
    again(
        &state,
        &page,
        &auth,
        &origin,
        (&d, role),
        status,
        Retry {
            draft,
            ..Retry::keeping(&raw, &format!("note-{note_id}"))
        },
    )
    .await
}
