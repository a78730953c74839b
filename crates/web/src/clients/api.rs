//! A consultant's clients (担当者) and their behaviour change (行動変容) over the JSON API,
//! as the clients page has them:
//! this fiscal year's evaluation of a client, read and recorded by their assigned
//! consultant only (`app::behaviour`). The organisation's figures are the programmes'
//! (`GET /api/v1/programmes/{id}`), never one person's level.

use crate::shared::api::{ApiJson, ApiPath, Listed, Paged, Paging, allow};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::behaviour::{Change, MAX_REASON_CHARS};
use domain::policy::Action;
use domain::{PersonId, Role};
use serde::{Deserialize, Serialize};
use store::behaviour::Evaluation;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct EvaluationOut {
    person_id: i64,
    fiscal_year: i32,
    /// `remarkable` (著しい変化があった), `changed`, `trying` or `none`.
    level: String,
    reason: String,
    /// What the manager said, as the consultant gathered it.
    manager_input: String,
    evaluated_by_user_id: i64,
    evaluated_at: DateTime<Utc>,
}

fn out(e: Evaluation) -> EvaluationOut {
    EvaluationOut {
        person_id: e.person.0,
        fiscal_year: e.fiscal_year,
        level: e.level.key().into(),
        reason: e.reason,
        manager_input: e.manager_input,
        evaluated_by_user_id: e.evaluated_by.0,
        evaluated_at: e.evaluated_at,
    }
}

/// This fiscal year's evaluation of a client (their assigned consultant); 404 when
/// there is none yet.
#[utoipa::path(get, path = "/api/v1/clients/{person}/behaviour", tag = "behaviour change",
    params(("person" = i64, Path, description = "the client's person id")),
    responses((status = 200, body = EvaluationOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(person): ApiPath<i64>,
) -> Result<Json<EvaluationOut>, ApiError> {
    app::behaviour::of_client(
        &state.store,
        &auth.actor,
        PersonId(person),
        state.clock.today(),
    )
    .await?
    .map(|e| Json(out(e)))
    .ok_or_else(|| ApiError::not_found("evaluation"))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationIn {
    /// `remarkable`, `changed`, `trying` or `none`.
    level: String,
    /// Why (required, not only blank space; at most 500 characters).
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    reason: String,
    /// What the manager said (at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    manager_input: String,
}

/// Records (or replaces) this fiscal year's evaluation of a client (their assigned
/// consultant).
#[utoipa::path(put, path = "/api/v1/clients/{person}/behaviour", tag = "behaviour change",
    request_body = EvaluationIn,
    params(("person" = i64, Path, description = "the client's person id")),
    responses((status = 200, body = EvaluationOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no reason, or too long")))]
pub async fn put(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(person): ApiPath<i64>,
    ApiJson(body): ApiJson<EvaluationIn>,
) -> Result<Json<EvaluationOut>, ApiError> {
    let person = PersonId(person);
    let level = Change::parse(&body.level)
        .ok_or_else(|| ApiError::bad_request("level: one of remarkable, changed, trying, none"))?;
    if body.reason.chars().count() > MAX_REASON_CHARS
        || body.manager_input.chars().count() > MAX_REASON_CHARS
    {
        return Err(ApiError::bad_request(format!(
            "reason and manager_input: at most {MAX_REASON_CHARS} characters each"
        )));
    }
    let today = state.clock.today();
    let kept = app::behaviour::evaluate(
        &state.store,
        &auth.actor,
        person,
        level,
        &body.reason,
        &body.manager_input,
        today,
    )
    .await?;
    if let Err(refusal) = kept {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            match refusal {
                app::behaviour::Refusal::NoReason => "reason: write why".to_string(),
                app::behaviour::Refusal::TooLong => {
                    format!("reason and manager_input: at most {MAX_REASON_CHARS} characters each")
                }
            },
        ));
    }
    app::behaviour::of_client(&state.store, &auth.actor, person, today)
        .await?
        .map(|e| Json(out(e)))
        .ok_or_else(|| ApiError::not_found("evaluation"))
}

#[derive(Serialize, ToSchema)]
pub struct ClientOut {
    person_id: i64,
    name: String,
    employee_number: String,
    hire_date: Option<chrono::NaiveDate>,
}

/// The people assigned to the calling consultant (担当者), as their clients page lists them.
#[utoipa::path(get, path = "/api/v1/clients", tag = "behaviour change", params(Paging),
    responses((status = 200, body = [ClientOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<ClientOut>, ApiError> {
    paging.only(&[])?;
    allow(&auth, Action::OpenHome(Role::Consultant))?;
    let people = state
        .store
        .assigned_people(auth.actor.tenant_id, auth.user.id)
        .await?;
    Ok(paging.of(people
        .into_iter()
        .map(|p| ClientOut {
            person_id: p.person_id,
            name: p.name,
            employee_number: p.employee_number,
            hire_date: p.hire_date,
        })
        .collect()))
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentOut {
    consultant_user_id: i64,
    consultant_name: String,
    person_id: i64,
    person_name: String,
    employee_number: String,
    assigned_at: DateTime<Utc>,
}

/// Who is assigned to whom (担当), as HR's assignments page lists them.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "behaviour change", params(Paging),
    responses((status = 200, body = [AssignmentOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn assignments(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<AssignmentOut>, ApiError> {
    paging.only(&[])?;
    let all = app::assignments::all(&state.store, &auth.caller(&Origin::default())).await?;
    Ok(paging.of(all
        .into_iter()
        .map(|a| AssignmentOut {
            consultant_user_id: a.consultant_user_id,
            consultant_name: a.consultant_name,
            person_id: a.person_id,
            person_name: a.person_name,
            employee_number: a.employee_number,
            assigned_at: a.assigned_at,
        })
        .collect()))
}
