//! Surveys over the JSON API: the surveys the caller was asked in (and, for HR, every
//! survey with its participation), answering one, and the organisation report — the same
//! rules and the same suppressed cells as the pages (`app::surveys`).

use crate::AppState;
use crate::Origin;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use app::surveys::{AnswerProblem, By, ReportUnavailable};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::surveys::AnswerRefused;
use utoipa::ToSchema;

/// A question as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct QuestionOut {
    key: String,
    /// What it measures, e.g. `support.safe_road`, `indicator.isolation`.
    measure: String,
    text_ja: String,
    text_en: String,
    /// May be left out (not applicable).
    optional: bool,
}

/// A survey the caller was asked in.
#[derive(Serialize, ToSchema)]
pub struct AskedSurvey {
    id: i64,
    title: String,
    /// `five_supports` or `satisfaction`.
    kind: String,
    fiscal_year: i32,
    /// The last day answers are taken (Japan date).
    closes_on: String,
    open: bool,
    answered: bool,
    questions: Vec<QuestionOut>,
    /// Labels of the points 1–5.
    scale_ja: Vec<String>,
    scale_en: Vec<String>,
}

/// A survey as HR follows it.
#[derive(Serialize, ToSchema)]
pub struct ManagedSurvey {
    id: i64,
    title: String,
    kind: String,
    fiscal_year: i32,
    closes_on: String,
    open: bool,
    asked: i64,
    answered: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyList {
    /// The surveys the caller was asked in, newest first.
    asked: Vec<AskedSurvey>,
    /// Every survey of the company with its participation: HR only, empty otherwise.
    managed: Vec<ManagedSurvey>,
}

/// The surveys the caller was asked in; for HR also every survey with participation.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, body = SurveyList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<SurveyList>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let asked = app::surveys::mine(&state.store, &caller)
        .await?
        .into_iter()
        .map(|(s, answered)| AskedSurvey {
            id: s.id,
            title: s.title.clone(),
            kind: s.kind.key().into(),
            fiscal_year: s.fiscal_year,
            closes_on: s.closes_on.to_string(),
            open: s.is_open(today),
            answered,
            questions: s
                .questionnaire
                .questions
                .iter()
                .map(|q| QuestionOut {
                    key: q.key.clone(),
                    measure: q.measure.key(),
                    text_ja: q.text_ja.clone(),
                    text_en: q.text_en.clone(),
                    optional: q.optional,
                })
                .collect(),
            scale_ja: s.questionnaire.scale_ja.clone(),
            scale_en: s.questionnaire.scale_en.clone(),
        })
        .collect();
    let managed = match app::surveys::list(&state.store, &caller).await {
        Ok(all) => all
            .into_iter()
            .map(|(s, p)| ManagedSurvey {
                id: s.id,
                title: s.title.clone(),
                kind: s.kind.key().into(),
                fiscal_year: s.fiscal_year,
                closes_on: s.closes_on.to_string(),
                open: s.is_open(today),
                asked: p.asked,
                answered: p.answered,
            })
            .collect(),
        Err(app::Error::Forbidden) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(Json(SurveyList { asked, managed }))
}

/// One person's answers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIn {
    /// Question key → 1..5. Optional questions may be left out.
    answers: BTreeMap<String, i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Answered {
    answered: bool,
}

/// Answer a survey the caller was asked in, once. Nothing of the answer is tied to the
/// caller: it is stored with their unit, age band and grade only.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/answers", tag = "surveys", request_body = AnswerIn,
    params(("id" = i64, Path, description = "the survey's id")),
    responses((status = 201, body = Answered),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such survey, or the caller was not asked"),
        (status = 409, body = ErrorBody, description = "closed; already_answered (the first answer stays); incomplete (the message lists this survey's questions left unanswered)")))]
pub async fn answer(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(a): ApiJson<AnswerIn>,
) -> Result<(StatusCode, Json<Answered>), ApiError> {
    let caller = auth.caller(&Origin::default());
    let values: BTreeMap<String, String> = a
        .answers
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    match app::surveys::answer(
        &state.store,
        &caller,
        id,
        |k| values.get(k).map(String::as_str),
        state.clock.today(),
    )
    .await?
    {
        Ok(()) => Ok((StatusCode::CREATED, Json(Answered { answered: true }))),
        // The answers do not fit this survey's own questions, which the schema cannot
        // state: a conflict with the survey, as a closed survey is.
        Err(AnswerProblem::Missing(keys)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "incomplete",
            format!("answer every question with 1–5: {}", keys.join(", ")),
        )),
        Err(AnswerProblem::Refused(AnswerRefused::Closed)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "closed",
            "the survey is closed",
        )),
        Err(AnswerProblem::Refused(AnswerRefused::AlreadyAnswered)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_answered",
            "you have answered this survey; the first answer stays",
        )),
        Err(AnswerProblem::Refused(AnswerRefused::NotAsked)) => Err(ApiError::not_found("survey")),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// A closed survey's id.
    survey: Option<i64>,
    /// The fiscal year (its last closed 5-supports survey, and its themes); the survey's
    /// year when `survey` is given, this year when neither is.
    #[param(minimum = 2000, maximum = 2100)]
    fy: Option<i32>,
    /// A department's id; the whole company (HR) or the caller's own unit (a manager)
    /// when left out.
    unit: Option<i64>,
    /// `unit` (the default), `age` or `grade`.
    by: Option<String>,
}

/// The organisation report of a fiscal year: a closed survey's figures (`survey`: the one
/// asked for, or the year's last closed 5-supports survey; null when there is none) and the
/// themes raised in interviews and consultations (`themes`). Cells below the anonymity
/// threshold, and cells that would let one be worked out, come as null.
#[utoipa::path(get, path = "/api/v1/org-report", tag = "surveys", params(ReportParams),
    responses((status = 200, description = "{fiscal_year, survey: {measures, total, rows: cells with value and respondents, null when hidden} | null, themes: {themes, total, rows: consulted and per-theme counts, null when hidden}}"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "still_open: reports open when the survey closes")))]
pub async fn org_report(
    State(state): State<AppState>,
    auth: ApiAuth,
    q: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let by = match q.by.as_deref() {
        None | Some("") => By::Unit,
        Some(b) => {
            By::parse(b).ok_or_else(|| ApiError::bad_request(format!("by: unknown value '{b}'")))?
        }
    };
    if q.fy.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(ApiError::bad_request("fy: a fiscal year from 2000 to 2100"));
    }
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let unavailable = |e: ReportUnavailable| match e {
        ReportUnavailable::StillOpen => ApiError::new(
            StatusCode::CONFLICT,
            "still_open",
            "the report opens when the survey closes",
        ),
        ReportUnavailable::NoUnit => {
            ApiError::new(StatusCode::FORBIDDEN, "no_unit", "you manage no unit")
        }
        ReportUnavailable::Counting => ApiError::new(
            StatusCode::CONFLICT,
            "counting",
            "the report is being counted; ask again in a minute",
        ),
    };
    // The survey: the one asked for, or the last closed 5-supports survey of the year.
    let survey = match q.survey {
        Some(id) => Some(id),
        None => app::surveys::reportable(&state.store, &caller, today)
            .await?
            .into_iter()
            .find(|s| {
                s.kind == domain::survey::Kind::FiveSupports
                    && q.fy.is_none_or(|y| y == s.fiscal_year)
            })
            .map(|s| s.id),
    };
    let survey = match survey {
        Some(id) => Some(
            app::surveys::report(
                &state.store,
                &caller,
                id,
                q.unit,
                (by, app::surveys::Listing::All),
                state.clock.now(),
            )
            .await?
            .map_err(unavailable)?,
        ),
        None => None,
    };
    let cal = state
        .store
        .tenant(auth.actor.tenant_id)
        .await?
        .settings
        .calendar;
    let fy = survey
        .as_ref()
        .map(|s| s.fiscal_year)
        .or(q.fy)
        .unwrap_or_else(|| cal.fiscal_year_of(today).0);
    let themes = app::concerns::report(
        &state.store,
        &caller,
        fy,
        q.unit,
        (by, app::surveys::Listing::All),
        state.clock.now(),
    )
    .await?
    .map_err(unavailable)?;
    Ok(Json(serde_json::json!({
        "fiscal_year": fy,
        "survey": survey,
        "themes": themes,
    })))
}
