//! Commitments (行動計画) over the JSON API, as the pages show them: one's own (the
//! employee's, in every dialogue about them, with whether a follow-up is due), those
//! recorded in dialogues one held (the facilitator's to follow up), and moving one on
//! (始めた・続けている・できた・止めた) with the version of its wording the caller read — a
//! newer wording answers `409 stale` with `current_version`.

use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use app::commitments::StatusRefusal;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use store::commitments::Commitment;
use utoipa::ToSchema;

/// A commitment as its employee and its facilitator see it.
#[derive(Serialize, ToSchema)]
pub struct CommitmentBody {
    id: i64,
    dialogue_id: i64,
    subject_id: i64,
    /// The wording's version (a new wording, once confirmed, is a new version).
    version: i64,
    /// What the employee will do, in their own words.
    action: String,
    first_step: String,
    evidence: String,
    vision: String,
    target: String,
    starts_on: NaiveDate,
    due_on: Option<NaiveDate>,
    /// 客観性: anyone could see whether it was done.
    objective: bool,
    /// 開始時期: it says from when.
    has_start: bool,
    confirmed_at: Option<DateTime<Utc>>,
    /// Objective, with a start, and confirmed by the employee.
    counts: bool,
    /// `not_started`, `started`, `continuing`, `done` or `stopped`.
    status: String,
    status_reason: Option<String>,
    /// A follow-up (始めましたか？) is due today.
    check_in_due: bool,
}

fn body_of(c: &Commitment, due: bool) -> CommitmentBody {
    CommitmentBody {
        id: c.id,
        dialogue_id: c.dialogue_id,
        subject_id: c.subject.0,
        version: c.version,
        action: c.content.action.clone(),
        first_step: c.content.first_step.clone(),
        evidence: c.content.evidence.clone(),
        vision: c.content.vision.clone(),
        target: c.content.target.clone(),
        starts_on: c.starts_on,
        due_on: c.due_on,
        objective: c.objective,
        has_start: c.has_start,
        confirmed_at: c.confirmed_at,
        counts: c.counts(),
        status: c.status.key().into(),
        status_reason: c.status_reason.clone(),
        check_in_due: due,
    }
}

async fn bodies(
    state: &AppState,
    auth: &ApiAuth,
    all: Vec<Commitment>,
) -> Result<Vec<CommitmentBody>, ApiError> {
    let grace = state
        .store
        .check_in_grace_days(auth.actor.tenant_id)
        .await?;
    let due: Vec<i64> = app::commitments::due_check_ins(&all, grace, state.clock.today())
        .iter()
        .map(|c| c.id)
        .collect();
    Ok(all
        .iter()
        .map(|c| body_of(c, due.contains(&c.id)))
        .collect())
}

/// The caller's own commitments, in every dialogue about them.
#[utoipa::path(get, path = "/api/v1/me/commitments", tag = "commitments", params(Paging),
    responses((status = 200, body = [CommitmentBody]), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<CommitmentBody>, ApiError> {
    paging.only(&[])?;
    let all = app::commitments::mine(&state.store, &auth.caller(&Origin::default())).await?;
    Ok(paging.of(bodies(&state, &auth, all).await?))
}

/// The commitments recorded in dialogues the caller held (theirs to follow up).
#[utoipa::path(get, path = "/api/v1/commitments/recorded", tag = "commitments", params(Paging),
    responses((status = 200, body = [CommitmentBody]), (status = 401, body = ErrorBody)))]
pub async fn recorded(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<CommitmentBody>, ApiError> {
    paging.only(&[])?;
    let all =
        app::commitments::recorded_by_me(&state.store, &auth.caller(&Origin::default())).await?;
    Ok(paging.of(bodies(&state, &auth, all).await?))
}

/// Where a commitment stands now.
#[derive(Deserialize, ToSchema)]
pub struct StatusIn {
    /// `not_started`, `started`, `continuing`, `done` or `stopped`.
    #[schema(pattern = "^(not_started|started|continuing|done|stopped)$")]
    status: String,
    /// Why it stopped (required for `stopped`), at most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    reason: String,
    /// The version of the wording the caller read.
    version: i64,
}

/// Moves a commitment on, as its employee or the facilitator of its dialogue.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/status", tag = "commitments", request_body = StatusIn,
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentBody), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "stale: a newer wording exists (`current_version`), or not confirmed yet"),
        (status = 422, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusIn>,
) -> Result<Json<CommitmentBody>, ApiError> {
    let caller = auth.caller(&origin);
    match app::commitments::set_status(
        &state.store,
        &caller,
        id,
        &body.status,
        &body.reason,
        Some(body.version),
    )
    .await?
    {
        Ok(c) => {
            let grace = state
                .store
                .check_in_grace_days(auth.actor.tenant_id)
                .await?;
            let due = !app::commitments::due_check_ins(
                std::slice::from_ref(&c),
                grace,
                state.clock.today(),
            )
            .is_empty();
            Ok(Json(body_of(&c, due)))
        }
        Err(StatusRefusal::NotYours) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the employee and the facilitator of its dialogue move a commitment",
        )),
        Err(StatusRefusal::Stale { current }) => Err(ApiError::stale(
            current,
            format!("the wording changed: version {current} is current; read it and try again"),
        )),
        Err(StatusRefusal::Unconfirmed) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "unconfirmed",
            "this commitment does not count yet (unconfirmed, or failing a check): it has no status to move",
        )),
        Err(StatusRefusal::Invalid(key)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            match key {
                "reason_required" => "a reason is required for stopped".to_string(),
                "too_long" => "the reason is longer than 500 characters".to_string(),
                _ => "status: not_started, started, continuing, done or stopped".to_string(),
            },
        )),
    }
}
