//! Requests for a dialogue (1on1・キャリア面談の依頼) over the JSON API, as the requests
//! page lists them: those the caller sent and those addressed to them, with the times
//! proposed, the answer and the dialogue booked from one (`app::requests`).

use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use store::requests::Request;
use utoipa::ToSchema;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestParams {
    /// `to_me` (addressed to the caller, the default) or `mine` (sent by the caller).
    side: Option<Side>,
}

#[derive(Deserialize, ToSchema, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    ToMe,
    Mine,
}

#[derive(Serialize, ToSchema)]
pub struct RequestOut {
    id: i64,
    /// `one_on_one` or `career_interview`.
    kind: String,
    requester_person_id: i64,
    requester_name: String,
    addressee_user_id: i64,
    addressee_name: String,
    /// The times proposed, Japan time (`2026-12-13T10:00:00`, no offset), in order.
    #[schema(value_type = Vec<String>)]
    slots: Vec<NaiveDateTime>,
    message: String,
    /// `open`, `booked`, `declined` or `withdrawn`.
    status: String,
    /// Why it was declined, in the addressee's words.
    answer: String,
    dialogue_id: Option<i64>,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

fn out(r: Request) -> RequestOut {
    RequestOut {
        id: r.id,
        kind: r.kind.key().into(),
        requester_person_id: r.requester.0,
        requester_name: r.requester_name,
        addressee_user_id: r.addressee.0,
        addressee_name: r.addressee_name,
        slots: r.slots,
        message: r.message,
        status: r.status.key().into(),
        answer: r.answer,
        dialogue_id: r.dialogue_id,
        created_at: r.created_at,
        answered_at: r.answered_at,
    }
}

/// The requests addressed to the caller, or those they sent.
#[utoipa::path(get, path = "/api/v1/requests", tag = "dialogues", params(Paging, RequestParams),
    responses((status = 200, body = [RequestOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    q: Result<Query<RequestParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Listed<RequestOut>, ApiError> {
    paging.only(&["side"])?;
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let caller = auth.caller(&Origin::default());
    let found = match q.side.unwrap_or_default() {
        Side::ToMe => app::requests::to_me(&state.store, &caller, false).await?,
        Side::Mine => app::requests::mine(&state.store, &caller).await?,
    };
    Ok(paging.of(found.into_iter().map(out).collect()))
}
