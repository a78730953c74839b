//! What the employee prepares and decides about a consultant session, over the JSON API,
//! as on the dialogue page: topics to raise (with the response wanted), and consent to
//! feedback for the manager — given or refused (with what to withhold), confirmed,
//! withdrawn (`app::dialogues::add_topic`, `app::consent::change`: the same policy and
//! audit as the page).

use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::dialogue::{self, ConsentChange, MAX_TOPIC_CHARS, MAX_WITHHELD_CHARS, WantedResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A topic the employee wants to raise.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicIn {
    /// `advice`, `think_together` or `just_listen`: the response they want.
    wanted: String,
    /// What they want to talk about (1–1,000 characters, not only blank space).
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    body: String,
}

#[derive(Serialize, ToSchema)]
pub struct TopicAdded {
    id: i64,
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// The employee prepares a topic for one of their dialogues (not once it is closed).
/// The facilitator sees it in the preparation; nobody else.
#[utoipa::path(post, path = "/api/v1/dialogues/{id}/topics", tag = "dialogues", request_body = TopicIn,
    params(("id" = i64, Path, description = "dialogue id")),
    responses((status = 201, body = TopicAdded), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "closed: topics are prepared before the dialogue"),
        (status = 422, body = ErrorBody, description = "empty or too long")))]
pub async fn add_topic(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TopicIn>,
) -> Result<Response, ApiError> {
    let wanted = WantedResponse::parse(&body.wanted).ok_or_else(|| {
        ApiError::bad_request("wanted: one of advice, think_together, just_listen")
    })?;
    // The documented limit counts what was sent, blank space included.
    if body.body.chars().count() > MAX_TOPIC_CHARS {
        return Err(ApiError::bad_request(format!(
            "body: at most {MAX_TOPIC_CHARS} characters"
        )));
    }
    use app::dialogues::TopicRefusal;
    match app::dialogues::add_topic(&state.store, &auth.actor, id, wanted, &body.body).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(TopicAdded { id })).into_response()),
        Err(TopicRefusal::Closed) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "closed",
            "the dialogue is closed: topics are prepared before it",
        )),
        Err(TopicRefusal::Empty) => Err(unprocessable("empty", "write the topic")),
        Err(TopicRefusal::TooLong) => Err(unprocessable(
            "too_long",
            format!("at most {MAX_TOPIC_CHARS} characters"),
        )),
    }
}

/// A change of the employee's consent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    /// `give` or `refuse` (the employee, or the consultant recording what was agreed in
    /// the session — which then waits for the employee's confirmation); `confirm` (the
    /// employee confirms what the consultant recorded); `withdraw` (either; after a
    /// report was sent it is retracted from the manager).
    action: String,
    /// With `give` or `refuse`: what the employee asks not to be told to their manager
    /// (at most 2,000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    withheld: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentOut {
    /// A report already sent was retracted from the manager.
    retracted: bool,
    /// The consultant recorded it: it permits nothing until the employee confirms it.
    awaits_confirmation: bool,
}

/// Gives, refuses, confirms or withdraws the employee's consent to feedback for their
/// manager on a consultant session. Audited.
#[utoipa::path(post, path = "/api/v1/dialogues/{id}/consent", tag = "dialogues", request_body = ConsentIn,
    params(("id" = i64, Path, description = "dialogue id")),
    responses((status = 200, body = ConsentOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "nothing to confirm or to withdraw")))]
pub async fn consent(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConsentIn>,
) -> Result<Json<ConsentOut>, ApiError> {
    let event = match body.action.as_str() {
        "give" => ConsentChange::Given,
        "refuse" => ConsentChange::Refused,
        "confirm" => ConsentChange::Confirmed,
        "withdraw" => ConsentChange::Withdrawn,
        _ => {
            return Err(ApiError::bad_request(
                "action: one of give, refuse, confirm, withdraw",
            ));
        }
    };
    if body.withheld.chars().count() > MAX_WITHHELD_CHARS {
        return Err(ApiError::bad_request(format!(
            "withheld: at most {MAX_WITHHELD_CHARS} characters"
        )));
    }
    let withheld = dialogue::parse_text(&body.withheld, MAX_WITHHELD_CHARS).map_err(|_| {
        ApiError::bad_request(format!("withheld: at most {MAX_WITHHELD_CHARS} characters"))
    })?;
    let (d, role) = app::dialogues::open(&state.store, &auth.actor, id).await?;
    let caller = auth.caller(&origin);
    match app::consent::change(&state.store, &caller, &d, role, event, &withheld).await? {
        Ok(changed) => {
            if !changed.by_subject {
                super::consent::ask_to_confirm(&state, auth.actor.tenant_id, &auth.user.name, &d)
                    .await?;
            }
            Ok(Json(ConsentOut {
                retracted: changed.retracted,
                awaits_confirmation: !changed.by_subject
                    && matches!(event, ConsentChange::Given | ConsentChange::Refused),
            }))
        }
        Err(app::consent::Refusal::NothingToConfirm) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_confirm",
            "no answer recorded by the consultant waits for confirmation",
        )),
        Err(app::consent::Refusal::NothingToWithdraw) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_withdraw",
            "no consent is in force",
        )),
    }
}
