//! What the employee adds themselves: topics to raise before, their rating and reflection after.

use super::*;

/// POST /dialogues/{id}/topics — the employee prepares a topic, with the response wanted.
pub(super) async fn add_topic(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("topic");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Subject)?;
    let typed = form.get("body").to_string();
    use app::dialogues::TopicRefusal;
    let problem = match WantedResponse::parse(form.get("wanted")) {
        _ if d.is_closed() => Some(page.t("dialogue.error.topic_closed")),
        None if typed.chars().count() > MAX_TOPIC_CHARS => {
            Some(page.tf("dialogue.error.too_long", "n", MAX_TOPIC_CHARS))
        }
        None if typed.trim().is_empty() => Some(page.t("dialogue.error.topic_empty")),
        None => Some(page.t("dialogue.error.wanted")),
        Some(w) => {
            match app::dialogues::add_topic(&state.store, &auth.actor, d.id, w, &typed).await? {
                Ok(_) => None,
                Err(TopicRefusal::Closed) => Some(page.t("dialogue.error.topic_closed")),
                Err(TopicRefusal::TooLong) => {
                    Some(page.tf("dialogue.error.too_long", "n", MAX_TOPIC_CHARS))
                }
                Err(TopicRefusal::Empty) => Some(page.t("dialogue.error.topic_empty")),
            }
        }
    };
    match problem {
        None => {
            set_flash(&page.session, "success", page.t("dialogue.topic_added")).await?;
            saved(&state, &page, &auth, &origin, id, &raw, "topic").await
        }
        Some(e) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    topic_text: typed,
                    topic_error: Some(e),
                    ..Retry::keeping(&raw, "topic")
                },
            )
            .await
        }
    }
}

/// POST /dialogues/{id}/reflection — after a held dialogue, the employee rates it (1–5)
/// and may write their own reflection.
pub(super) async fn reflect(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("reflection");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Subject)?;
    let typed = form.get("reflection").to_string();
    let problem = if d.state != DialogueState::Held {
        Some(page.t("dialogue.error.reflect_not_held"))
    } else {
        match (
            dialogue::parse_rating(form.get("rating")),
            dialogue::parse_text(&typed, MAX_TOPIC_CHARS),
        ) {
            (_, Err(_)) => Some(page.tf("dialogue.error.too_long", "n", MAX_TOPIC_CHARS)),
            (None, _) => Some(page.t("dialogue.error.rating")),
            (Some(r), Ok(text)) => {
                state
                    .store
                    .reflect_on_dialogue(auth.tenant(), d.id, r, &text)
                    .await?;
                None
            }
        }
    };
    match problem {
        None => {
            set_flash(&page.session, "success", page.t("dialogue.reflected")).await?;
            saved(&state, &page, &auth, &origin, id, &raw, "reflection").await
        }
        Some(e) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    reflection: Some((typed, Some(e))),
                    ..Retry::keeping(&raw, "reflection")
                },
            )
            .await
        }
    }
}
