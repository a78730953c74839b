//! 副業・兼業 over the JSON API: the same rules as the page (`app::side_jobs`). An
//! application the caller may not see answers 404 and is in no list.

use crate::AppState;
use crate::Origin;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::side_job::{Decision, DecisionRefusal, SideJobInput};
use serde::{Deserialize, Serialize};
use store::side_jobs::StoredSideJob;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SideJobOut {
    id: i64,
    /// Null for one's own.
    applicant: Option<String>,
    field: String,
    client: String,
    work: String,
    hours_per_month: u32,
    starts_on: String,
    ends_on: String,
    /// `submitted`, `changes_requested`, `approved`, `refused` or `withdrawn`.
    status: String,
    reason: String,
    report: String,
}

#[derive(Serialize, ToSchema)]
pub struct SideJobs {
    /// The caller's own applications, the latest first.
    mine: Vec<SideJobOut>,
    /// HR: everyone else's; empty for anyone else.
    others: Vec<SideJobOut>,
}

fn out(s: &StoredSideJob, own: bool) -> SideJobOut {
    SideJobOut {
        id: s.id,
        applicant: (!own).then(|| s.person_name.clone()),
        field: s.job.field.clone(),
        client: s.job.client.clone(),
        work: s.job.work.clone(),
        hours_per_month: s.job.hours_per_month,
        starts_on: s.job.starts_on.to_string(),
        ends_on: s.job.ends_on.to_string(),
        status: s.status.key().into(),
        reason: s.reason.clone(),
        report: s.report.clone(),
    }
}

/// The caller's side-job applications, and for HR everyone else's.
#[utoipa::path(get, path = "/api/v1/side-jobs", tag = "opportunities",
    responses((status = 200, body = SideJobs), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<SideJobs>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let mine = app::side_jobs::mine(&state.store, &caller)
        .await?
        .iter()
        .map(|s| out(s, true))
        .collect();
    let others = app::side_jobs::all(&state.store, &caller)
        .await?
        .iter()
        .filter(|s| auth.actor.person_id != Some(s.person))
        .map(|s| out(s, false))
        .collect();
    Ok(Json(SideJobs { mine, others }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SideJobIn {
    #[schema(max_length = 1000)]
    field: String,
    #[schema(max_length = 1000)]
    client: String,
    #[schema(max_length = 1000)]
    work: String,
    #[schema(minimum = 1, maximum = 744)]
    hours_per_month: u32,
    /// YYYY-MM-DD
    starts_on: String,
    ends_on: String,
    /// The information-handling pledge; must be true.
    pledge: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SideJobCreated {
    id: i64,
}

/// Applies for a side job. 409 `invalid` lists the form's problems and the rules'
/// refusals (competing field or client, over the hours cap) as JSON in the message.
#[utoipa::path(post, path = "/api/v1/side-jobs", tag = "opportunities", request_body = SideJobIn,
    responses((status = 201, body = SideJobCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(a): ApiJson<SideJobIn>,
) -> Result<(StatusCode, Json<SideJobCreated>), ApiError> {
    let caller = auth.caller(&Origin::default());
    let input = SideJobInput {
        field: a.field,
        client: a.client,
        work: a.work,
        hours_per_month: a.hours_per_month.to_string(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        pledge: a.pledge,
    };
    match app::side_jobs::apply(&state.store, &caller, &input, state.clock.now()).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(SideJobCreated { id }))),
        Err(n) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid",
            serde_json::to_string(&n).unwrap_or_default(),
        )),
    }
}

/// HR's decision.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum SideJobDecisionKind {
    Approve,
    RequestChanges,
    Refuse,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SideJobDecisionIn {
    decision: SideJobDecisionKind,
    /// Required for `request_changes` and `refuse`; the applicant reads it.
    #[serde(default)]
    #[schema(max_length = 1000)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct SideJobDecided {
    status: String,
}

/// HR decides a submitted application (never their own).
#[utoipa::path(post, path = "/api/v1/side-jobs/{id}/decision", tag = "opportunities", request_body = SideJobDecisionIn,
    params(("id" = i64, Path, description = "the application's id")),
    responses((status = 200, body = SideJobDecided), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_waiting: decided or withdrawn already; reason_missing")))]
pub async fn decide(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<SideJobDecisionIn>,
) -> Result<Json<SideJobDecided>, ApiError> {
    let decision = match d.decision {
        SideJobDecisionKind::Approve => Decision::Approve,
        SideJobDecisionKind::RequestChanges => Decision::RequestChanges,
        SideJobDecisionKind::Refuse => Decision::Refuse,
    };
    if d.reason.chars().count() > 1000 || d.reason.contains('\0') {
        return Err(ApiError::bad_request("reason: at most 1000 characters"));
    }
    let caller = auth.caller(&Origin::default());
    match app::side_jobs::decide(
        &state.store,
        &caller,
        id,
        decision,
        &d.reason,
        state.clock.now(),
    )
    .await?
    {
        Ok(status) => {
            let s = app::side_jobs::open(&state.store, &caller, id).await?;
            if let Some((u, _)) = state
                .store
                .account_of_person(auth.actor.tenant_id, s.person)
                .await?
            {
                super::applications::notify(
                    &state,
                    auth.actor.tenant_id,
                    u,
                    "email.side_job_decided",
                    &format!("side_job:{id}:{}", status.key()),
                    "/opportunities/side-jobs",
                )
                .await?;
            }
            Ok(Json(SideJobDecided {
                status: status.key().into(),
            }))
        }
        Err(DecisionRefusal::ReasonMissing) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reason_missing",
            "give the reason the applicant will read",
        )),
        Err(DecisionRefusal::NotWaiting) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_waiting",
            "the application is decided or withdrawn already",
        )),
    }
}
