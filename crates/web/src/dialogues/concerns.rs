//! The 相談テーマ section of the dialogue page: the facilitator of a career interview or
//! consultation ticks the themes the person raised (`app::concerns`). Only the tags reach
//! the organisation report, counted under the anonymity rule; nothing of the notes does.

use super::saved;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;

pub fn router() -> Router<AppState> {
    Router::new().route("/dialogues/{id}/concerns", post(tag))
}

/// POST /dialogues/{id}/concerns — replaces the themes tagged on the dialogue.
async fn tag(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("concern");
    let kept = app::concerns::tag(
        &state.store,
        &auth.caller(&origin),
        id,
        form.get_all("theme"),
    )
    .await?;
    set_flash(
        &page.session,
        "success",
        page.tf("concern.saved", "n", kept.len()),
    )
    .await?;
    saved(&state, &page, &auth, &origin, id, &raw, "concern").await
}
