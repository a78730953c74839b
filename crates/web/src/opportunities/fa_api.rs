//! 社内FA over the JSON API: the same rules as the page (`app::fa`). A declaration the
//! caller may not see answers 404 like one that does not exist, and is in no list.

use crate::AppState;
use crate::Origin;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use app::fa::{NotDeclared, NotRequested};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::fa::DeclarationInput;
use domain::policy::DeclarationView;
use serde::{Deserialize, Serialize};
use store::fa::{InterviewRequest, StoredDeclaration};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FaRequestOut {
    id: i64,
    from: String,
    message: String,
    /// `waiting`, `accepted` or `declined`.
    status: String,
    answer: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DeclarationOut {
    id: i64,
    /// Null for one's own.
    name: Option<String>,
    department: String,
    grade: String,
    wants: String,
    experience: String,
    declared_on: String,
    /// The last day it is in force (the end of its fiscal year).
    expires_on: String,
    active: bool,
    /// `declarant`, `scout` (a hiring manager) or `hr`.
    view: String,
    /// The requests the caller may see: all to the declarant and HR, a scout's own.
    requests: Vec<FaRequestOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Declarations {
    /// The caller's own declarations, the latest first.
    mine: Vec<DeclarationOut>,
    /// Those the caller may browse (hiring managers: in force, outside their own
    /// department and line; HR: all but their own department's and line's).
    others: Vec<DeclarationOut>,
}

fn out(
    d: &StoredDeclaration,
    view: DeclarationView,
    requests: &[InterviewRequest],
    today: chrono::NaiveDate,
) -> DeclarationOut {
    DeclarationOut {
        id: d.id,
        name: (view != DeclarationView::Declarant).then(|| d.person_name.clone()),
        department: d.department_name.clone(),
        grade: d.grade.clone(),
        wants: d.declaration.wants.clone(),
        experience: d.declaration.experience.clone(),
        declared_on: d.declared_on.to_string(),
        expires_on: d.expires_on.to_string(),
        active: d.active(today),
        view: match view {
            DeclarationView::Declarant => "declarant",
            DeclarationView::Scout => "scout",
            DeclarationView::Hr => "hr",
        }
        .into(),
        requests: requests
            .iter()
            .map(|r| FaRequestOut {
                id: r.id,
                from: r.from_name.clone(),
                message: r.message.clone(),
                status: r.status.key().into(),
                answer: r.answer.clone(),
                created_at: r.created_at,
            })
            .collect(),
    }
}

/// The caller's own FA declarations and those they may browse.
#[utoipa::path(get, path = "/api/v1/fa/declarations", tag = "opportunities",
    responses((status = 200, body = Declarations), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<Declarations>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let mine = app::fa::mine(&state.store, &caller)
        .await?
        .iter()
        .map(|(d, r)| out(d, DeclarationView::Declarant, r, today))
        .collect();
    let others = app::fa::browse(&state.store, &caller, today)
        .await?
        .iter()
        .map(|(d, v, r)| out(d, *v, r, today))
        .collect();
    Ok(Json(Declarations { mine, others }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaDeclareIn {
    /// What the caller wants to do next.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    wants: String,
    /// Their experience and strengths.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    experience: String,
}

#[derive(Serialize, ToSchema)]
pub struct FaCreated {
    id: i64,
}

/// Declares (社内FA). 409 `invalid` lists the form's problems; 409 `refused` the rules'
/// refusals (months in the department; a declaration in force already), as JSON in the
/// message.
#[utoipa::path(post, path = "/api/v1/fa/declarations", tag = "opportunities", request_body = FaDeclareIn,
    responses((status = 201, body = FaCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn declare(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(d): ApiJson<FaDeclareIn>,
) -> Result<(StatusCode, Json<FaCreated>), ApiError> {
    let caller = auth.caller(&Origin::default());
    let input = DeclarationInput {
        wants: d.wants,
        experience: d.experience,
    };
    match app::fa::declare(&state.store, &caller, &input, state.clock.now()).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(FaCreated { id }))),
        Err(NotDeclared::Problems(p)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid",
            serde_json::to_string(&p).unwrap_or_default(),
        )),
        Err(NotDeclared::Refused(r)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "refused",
            serde_json::to_string(&r).unwrap_or_default(),
        )),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaRequestIn {
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    message: String,
}

/// A hiring manager asks a declarant for an interview (once per declaration).
#[utoipa::path(post, path = "/api/v1/fa/declarations/{id}/requests", tag = "opportunities", request_body = FaRequestIn,
    params(("id" = i64, Path, description = "the declaration's id")),
    responses((status = 201, body = FaCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already_requested, message_missing, message_too_long")))]
pub async fn request(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<FaRequestIn>,
) -> Result<(StatusCode, Json<FaCreated>), ApiError> {
    let caller = auth.caller(&Origin::default());
    match app::fa::request_interview(&state.store, &caller, id, &r.message, state.clock.now())
        .await?
    {
        Ok((request, person)) => {
            if let Some((u, _)) = state
                .store
                .account_of_person(auth.actor.tenant_id, person)
                .await?
            {
                super::applications::notify(
                    &state,
                    auth.actor.tenant_id,
                    u,
                    "email.fa_request",
                    &format!("fa:{request}:requested"),
                    "/opportunities/fa",
                )
                .await?;
            }
            Ok((StatusCode::CREATED, Json(FaCreated { id: request })))
        }
        Err(NotRequested::AlreadyRequested) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_requested",
            "you have asked this person already",
        )),
        Err(NotRequested::MessageMissing) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "message_missing",
            "write a message",
        )),
        Err(NotRequested::MessageTooLong) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "message_too_long",
            "the message may be up to 1000 characters",
        )),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaAnswerIn {
    accept: bool,
    #[serde(default)]
    #[schema(max_length = 1000)]
    answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct FaAnswered {
    /// False when it had been answered already (nothing changed).
    answered: bool,
}

/// The declarant accepts or declines an interview request.
#[utoipa::path(post, path = "/api/v1/fa/requests/{id}/answer", tag = "opportunities", request_body = FaAnswerIn,
    params(("id" = i64, Path, description = "the request's id")),
    responses((status = 200, body = FaAnswered), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(a): ApiJson<FaAnswerIn>,
) -> Result<Json<FaAnswered>, ApiError> {
    if a.answer.contains('\0') {
        return Err(ApiError::bad_request("answer: no U+0000"));
    }
    let caller = auth.caller(&Origin::default());
    let scout = app::fa::answer(
        &state.store,
        &caller,
        id,
        a.accept,
        &a.answer,
        state.clock.now(),
    )
    .await?;
    if let Some(u) = scout {
        super::applications::notify(
            &state,
            auth.actor.tenant_id,
            u,
            "email.fa_answered",
            &format!("fa:{id}:answered"),
            "/opportunities/fa",
        )
        .await?;
    }
    Ok(Json(FaAnswered {
        answered: scout.is_some(),
    }))
}
