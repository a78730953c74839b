//! 学ぶ and 資格取得支援 over the JSON API: the same rules as the pages (`app::learning`).
//! A completion or a claim the caller may not see answers 404 and is in no list. Claims
//! themselves are made on the page (they carry the receipt as a file).

use crate::AppState;
use crate::Origin;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::learning::{CourseInput, Rate};
use domain::side_job::{Decision, DecisionRefusal};
use serde::{Deserialize, Serialize};
use store::learning::{Completion, StoredClaim, StoredCourse};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    id: i64,
    title: String,
    /// `internal`, `external` or `e_learning`.
    kind: String,
    provider: String,
    description: String,
    url: Option<String>,
    tags: Vec<String>,
    hours: Option<u32>,
    retired: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Courses {
    courses: Vec<CourseOut>,
}

fn course_out(c: &StoredCourse) -> CourseOut {
    CourseOut {
        id: c.id,
        title: c.course.title.clone(),
        kind: c.course.kind.key().into(),
        provider: c.course.provider.clone(),
        description: c.course.description.clone(),
        url: c.course.url.clone(),
        tags: c.course.tags.clone(),
        hours: c.course.hours,
        retired: c.retired,
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CourseQuery {
    /// Keyword (Japanese; width and kana folded) over title, provider, content and tags.
    #[serde(default)]
    #[param(max_length = 200)]
    q: String,
    /// One tag, exactly.
    #[serde(default)]
    #[param(max_length = 30)]
    tag: String,
}

/// The course catalogue (courses still offered), searched by keyword and tag.
#[utoipa::path(get, path = "/api/v1/courses", tag = "learning", params(CourseQuery),
    responses((status = 200, body = Courses), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn courses(
    State(state): State<AppState>,
    auth: ApiAuth,
    Query(q): Query<CourseQuery>,
) -> Result<Json<Courses>, ApiError> {
    if q.q.chars().count() > 200 || q.tag.chars().count() > 30 {
        return Err(ApiError::bad_request("q: at most 200 characters; tag: 30"));
    }
    let caller = auth.caller(&Origin::default());
    let courses = app::learning::courses(&state.store, &caller, &q.q, &q.tag, false)
        .await?
        .iter()
        .map(course_out)
        .collect();
    Ok(Json(Courses { courses }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseIn {
    #[schema(max_length = 200)]
    title: String,
    /// `internal`, `external` or `e_learning`.
    #[schema(max_length = 20)]
    kind: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    provider: String,
    #[schema(max_length = 1000)]
    description: String,
    /// Required for e-learning; http(s).
    #[serde(default)]
    #[schema(max_length = 2000)]
    url: String,
    #[serde(default)]
    #[schema(max_items = 10)]
    tags: Vec<String>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2000)]
    hours: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CourseCreated {
    id: i64,
}

/// HR adds a course to the catalogue. 409 `invalid` lists the problems as JSON in the
/// message.
#[utoipa::path(post, path = "/api/v1/courses", tag = "learning", request_body = CourseIn,
    responses((status = 201, body = CourseCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn add_course(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(c): ApiJson<CourseIn>,
) -> Result<(StatusCode, Json<CourseCreated>), ApiError> {
    let input = CourseInput {
        title: c.title,
        kind: c.kind,
        provider: c.provider,
        description: c.description,
        url: c.url,
        tags: c.tags.join(","),
        hours: c.hours.map(|h| h.to_string()).unwrap_or_default(),
    };
    let caller = auth.caller(&Origin::default());
    match app::learning::save_course(&state.store, &caller, None, &input, state.clock.now()).await?
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(CourseCreated { id }))),
        Err(problems) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid",
            serde_json::to_string(&problems).unwrap_or_default(),
        )),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CompletionOut {
    id: i64,
    person: String,
    course_id: i64,
    course: String,
    completed_on: String,
    /// The employee's note on using it at work ("" until written).
    employee_use: String,
    /// Their manager's.
    manager_use: String,
}

#[derive(Serialize, ToSchema)]
pub struct Completions {
    /// The caller's own, the latest first.
    mine: Vec<CompletionOut>,
    /// Those of the people below the caller.
    members: Vec<CompletionOut>,
}

fn completion_out(c: &Completion) -> CompletionOut {
    CompletionOut {
        id: c.id,
        person: c.person_name.clone(),
        course_id: c.course_id,
        course: c.course_title.clone(),
        completed_on: c.completed_on.to_string(),
        employee_use: c.employee_use.clone(),
        manager_use: c.manager_use.clone(),
    }
}

/// The caller's completed courses and their members'.
#[utoipa::path(get, path = "/api/v1/completions", tag = "learning",
    responses((status = 200, body = Completions), (status = 401, body = ErrorBody)))]
pub async fn completions(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<Completions>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let mine = app::learning::my_completions(&state.store, &caller)
        .await?
        .iter()
        .map(completion_out)
        .collect();
    let members = app::learning::members_completions(&state.store, &caller)
        .await?
        .iter()
        .map(completion_out)
        .collect();
    Ok(Json(Completions { mine, members }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionIn {
    course_id: i64,
    /// YYYY-MM-DD, not after today.
    #[schema(max_length = 10)]
    completed_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct CompletionCreated {
    id: i64,
}

/// The caller records that they completed a course. 409 `date_invalid`, `in_future` or
/// `already` (that course on that day).
#[utoipa::path(post, path = "/api/v1/completions", tag = "learning", request_body = CompletionIn,
    responses((status = 201, body = CompletionCreated), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(c): ApiJson<CompletionIn>,
) -> Result<(StatusCode, Json<CompletionCreated>), ApiError> {
    let caller = auth.caller(&Origin::default());
    let r = app::learning::record_completion(
        &state.store,
        &caller,
        c.course_id,
        &c.completed_on,
        state.clock.now(),
    )
    .await?;
    use app::learning::NotRecorded;
    use domain::learning::CompletionProblem as P;
    match r {
        Ok(id) => Ok((StatusCode::CREATED, Json(CompletionCreated { id }))),
        Err(n) => {
            let (code, words) = match n {
                NotRecorded::Already => ("already", "that course is recorded for that day already"),
                NotRecorded::Problem(P::InFuture) => ("in_future", "the day cannot be after today"),
                NotRecorded::Problem(_) => ("date_invalid", "completed_on: YYYY-MM-DD"),
            };
            Err(ApiError::new(StatusCode::CONFLICT, code, words))
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UseNoteIn {
    /// How it will be used at work: the person writes theirs, their direct manager the
    /// manager's.
    #[schema(min_length = 1, max_length = 1000)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct UseNoted {
    /// `employee` or `manager`: which note was written.
    by: String,
}

/// The person or their direct manager notes how a completed course will be used at work.
#[utoipa::path(post, path = "/api/v1/completions/{id}/use", tag = "learning", request_body = UseNoteIn,
    params(("id" = i64, Path, description = "the completion's id")),
    responses((status = 200, body = UseNoted), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn note_use(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(n): ApiJson<UseNoteIn>,
) -> Result<Json<UseNoted>, ApiError> {
    let caller = auth.caller(&Origin::default());
    match app::learning::note_use(&state.store, &caller, id, &n.note, state.clock.now()).await? {
        Ok(by) => Ok(Json(UseNoted {
            by: match by {
                app::learning::UseNoteBy::Employee => "employee",
                app::learning::UseNoteBy::Manager => "manager",
            }
            .into(),
        })),
        Err(_) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "note_invalid",
            "note: 1 to 1000 characters",
        )),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CertificationOut {
    name: String,
    /// `percent` (of the fee) or `fixed` (yen, at most).
    rate: String,
    value: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimOut {
    id: i64,
    /// Null for one's own.
    claimant: Option<String>,
    certification: String,
    exam_on: String,
    fiscal_year: i32,
    fee_yen: u32,
    /// Estimated when claimed, fixed when approved.
    amount_yen: u32,
    /// `submitted`, `changes_requested`, `approved`, `paid`, `refused` or `withdrawn`.
    status: String,
    reason: String,
    paid_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Subsidies {
    certifications: Vec<CertificationOut>,
    /// Yen per person and fiscal year.
    cap_per_fy: u32,
    /// The caller's own claims, the latest first.
    mine: Vec<ClaimOut>,
    /// HR: everyone else's; empty for anyone else.
    others: Vec<ClaimOut>,
}

fn claim_out(c: &StoredClaim, own: bool) -> ClaimOut {
    ClaimOut {
        id: c.id,
        claimant: (!own).then(|| c.person_name.clone()),
        certification: c.claim.certification.clone(),
        exam_on: c.claim.exam_on.to_string(),
        fiscal_year: c.fiscal_year,
        fee_yen: c.claim.fee_yen,
        amount_yen: c.amount_yen,
        status: c.status.key().into(),
        reason: c.reason.clone(),
        paid_on: c.paid_on.map(|d| d.to_string()),
    }
}

/// The company's subsidy rules, the caller's claims, and for HR everyone else's.
#[utoipa::path(get, path = "/api/v1/subsidies", tag = "learning",
    responses((status = 200, body = Subsidies), (status = 401, body = ErrorBody)))]
pub async fn subsidies(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<Subsidies>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let rules = state.store.subsidy_rules(auth.actor.tenant_id).await?;
    let mine = app::learning::my_claims(&state.store, &caller)
        .await?
        .iter()
        .map(|c| claim_out(c, true))
        .collect();
    let others = app::learning::all_claims(&state.store, &caller)
        .await?
        .iter()
        .filter(|c| auth.actor.person_id != Some(c.person))
        .map(|c| claim_out(c, false))
        .collect();
    Ok(Json(Subsidies {
        certifications: rules
            .certifications
            .iter()
            .map(|c| {
                let (rate, value) = match c.rate {
                    Rate::Percent(p) => ("percent", u32::from(p)),
                    Rate::Fixed(y) => ("fixed", y),
                };
                CertificationOut {
                    name: c.name.clone(),
                    rate: rate.into(),
                    value,
                }
            })
            .collect(),
        cap_per_fy: rules.cap_per_fy,
        mine,
        others,
    }))
}

/// HR's decision on a claim.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum SubsidyDecisionKind {
    Approve,
    RequestChanges,
    Refuse,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubsidyDecisionIn {
    decision: SubsidyDecisionKind,
    /// Required for `request_changes` and `refuse`; the claimant reads it.
    #[serde(default)]
    #[schema(max_length = 1000)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubsidyDecided {
    status: String,
    amount_yen: u32,
}

/// HR decides a submitted claim (never their own); an approval fixes the amount within
/// the person's cap for the year.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/decision", tag = "learning", request_body = SubsidyDecisionIn,
    params(("id" = i64, Path, description = "the claim's id")),
    responses((status = 200, body = SubsidyDecided), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "not_waiting; reason_missing; cap_used")))]
pub async fn decide(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<SubsidyDecisionIn>,
) -> Result<Json<SubsidyDecided>, ApiError> {
    if d.reason.chars().count() > 1000 || d.reason.contains('\0') {
        return Err(ApiError::bad_request("reason: at most 1000 characters"));
    }
    let decision = match d.decision {
        SubsidyDecisionKind::Approve => Decision::Approve,
        SubsidyDecisionKind::RequestChanges => Decision::RequestChanges,
        SubsidyDecisionKind::Refuse => Decision::Refuse,
    };
    let caller = auth.caller(&Origin::default());
    let now = state.clock.now();
    use app::learning::NotDecided;
    match app::learning::decide_claim(&state.store, &caller, id, decision, &d.reason, now).await? {
        Ok(status) => {
            let c = app::learning::open_claim(&state.store, &caller, id).await?;
            super::subsidies::tell_claimant(&state, auth.actor.tenant_id, &c).await?;
            Ok(Json(SubsidyDecided {
                status: status.key().into(),
                amount_yen: c.amount_yen,
            }))
        }
        Err(n) => {
            let (code, words) = match n {
                NotDecided::Refused(DecisionRefusal::ReasonMissing) => {
                    ("reason_missing", "give the reason the claimant will read")
                }
                NotDecided::Refused(DecisionRefusal::NotWaiting) => {
                    ("not_waiting", "the claim is decided or withdrawn already")
                }
                NotDecided::CapUsed => ("cap_used", "the person's cap for the year is used up"),
            };
            Err(ApiError::new(StatusCode::CONFLICT, code, words))
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIn {
    /// YYYY-MM-DD, not after today.
    #[schema(max_length = 10)]
    paid_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentRecorded {
    status: String,
}

/// HR records that an approved claim was paid. 409 `not_approved`, `date_invalid` or
/// `in_future`.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/payment", tag = "learning", request_body = PaymentIn,
    params(("id" = i64, Path, description = "the claim's id")),
    responses((status = 200, body = PaymentRecorded), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn pay(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<PaymentIn>,
) -> Result<Json<PaymentRecorded>, ApiError> {
    let caller = auth.caller(&Origin::default());
    use app::learning::NotPaid;
    match app::learning::mark_paid(&state.store, &caller, id, &p.paid_on, state.clock.now()).await?
    {
        Ok(()) => {
            let c = app::learning::open_claim(&state.store, &caller, id).await?;
            super::subsidies::tell_claimant(&state, auth.actor.tenant_id, &c).await?;
            Ok(Json(PaymentRecorded {
                status: c.status.key().into(),
            }))
        }
        Err(n) => {
            let (code, words) = match n {
                NotPaid::NotApproved => ("not_approved", "only an approved claim is paid"),
                NotPaid::DateInvalid => ("date_invalid", "paid_on: YYYY-MM-DD"),
                NotPaid::InFuture => ("in_future", "the day cannot be after today"),
            };
            Err(ApiError::new(StatusCode::CONFLICT, code, words))
        }
    }
}
