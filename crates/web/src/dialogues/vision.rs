//! The vision section of the dialogue page: the facilitator records the career vision the
//! employee stated, with its horizon (the autonomy judgement's second condition).

use super::{Retry, again, load, need, saved};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use domain::dialogue;
use domain::policy::DialogueRole;

pub fn router() -> Router<AppState> {
    Router::new().route("/dialogues/{id}/vision", post(record_vision))
}

/// POST /dialogues/{id}/vision — the facilitator records the career vision the employee
/// stated, with its horizon (the autonomy judgement's second condition).
async fn record_vision(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("vision");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator && d.kind.is_consultant_session())?;
    let text = dialogue::parse_text(form.get("vision"), dialogue::MAX_TOPIC_CHARS);
    let horizon = form
        .get("horizon")
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|h| (1..=30).contains(h));
    match (text, horizon) {
        (Ok(t), Some(h)) if !t.is_empty() => {
            state
                .store
                .record_vision(auth.tenant(), d.id, &t, h)
                .await?;
            set_flash(&page.session, "success", page.t("autonomy.vision_saved")).await?;
        }
        _ => {
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    vision: Some((
                        form.get("vision").to_string(),
                        form.get("horizon").to_string(),
                        page.t("autonomy.error.vision"),
                    )),
                    ..Retry::keeping(&raw, "vision")
                },
            )
            .await;
        }
    }
    saved(&state, &page, &auth, &origin, id, &raw, "vision").await
}
