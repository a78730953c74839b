//! Internal postings over the JSON API: the same rules as the pages (`app::postings`).
//! An application the caller may not see answers 404 like one that does not exist, and
//! is in no list or count.

use crate::AppState;
use crate::Origin;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use app::postings::{Placement, Problems, Recorded, Shelf};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::policy::ApplicationView;
use domain::posting::{ApplyRefusal, Outcome, PostingInput, Progress, StageRefusal};
use serde::{Deserialize, Serialize};
use store::postings::{Application, StoredPosting};
use utoipa::ToSchema;

/// A posting as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct PostingOut {
    id: i64,
    title: String,
    department_id: i64,
    department: String,
    hiring_manager: String,
    /// Grades who may apply; empty: any.
    grades: Vec<String>,
    work: String,
    required: String,
    welcome: String,
    /// The published selection criteria (選考基準).
    criteria: String,
    headcount: u32,
    /// Japan dates, inclusive.
    opens_on: String,
    closes_on: String,
    stages: Vec<String>,
    /// From this stage on (an index into `stages`), the applicant's manager sees the
    /// application.
    reveal_stage: usize,
    /// Open to applications today.
    open: bool,
    taken_down: bool,
    saved: bool,
    /// The caller's own application, if any.
    my_application: Option<i64>,
    /// Applications the caller may see: only for its hiring side and HR, else null.
    applications: Option<usize>,
}

fn posting_out(p: &StoredPosting, today: chrono::NaiveDate) -> PostingOut {
    let q = &p.posting;
    PostingOut {
        id: p.id,
        title: q.title.clone(),
        department_id: p.department_id,
        department: p.department_name.clone(),
        hiring_manager: p.hiring_manager_name.clone(),
        grades: q.grades.clone(),
        work: q.work.clone(),
        required: q.required.clone(),
        welcome: q.welcome.clone(),
        criteria: q.criteria.clone(),
        headcount: q.headcount,
        opens_on: q.opens_on.to_string(),
        closes_on: q.closes_on.to_string(),
        stages: q.stages.clone(),
        reveal_stage: q.reveal_at,
        open: p.accepts(today),
        taken_down: p.withdrawn_at.is_some(),
        saved: false,
        my_application: None,
        applications: None,
    }
}

/// Which postings a list shows.
#[derive(Deserialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShelfParam {
    /// Open to applications today (and every posting the caller manages).
    #[default]
    Open,
    Saved,
    Managed,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `open` (the default), `saved` or `managed`.
    shelf: Option<ShelfParam>,
    /// Keywords (Japanese is matched by character pairs, folded to one width and to
    /// katakana); every word must appear.
    #[param(max_length = 100)]
    q: Option<String>,
}

/// Postings on a shelf, matching `q`.
#[utoipa::path(get, path = "/api/v1/postings", tag = "opportunities", params(Paging, ListParams),
    responses((status = 200, body = Vec<PostingOut>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    q: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Listed<PostingOut>, ApiError> {
    paging.only(&["shelf", "q"])?;
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let shelf = match q.shelf.unwrap_or_default() {
        ShelfParam::Open => Shelf::Open,
        ShelfParam::Saved => Shelf::Saved,
        ShelfParam::Managed => Shelf::Managed,
    };
    let words = q.q.unwrap_or_default();
    if words.chars().count() > 100 || words.contains('\0') {
        return Err(ApiError::bad_request("q: at most 100 characters"));
    }
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let mine = app::postings::mine(&state.store, &caller).await?;
    let out = app::postings::browse(&state.store, &caller, shelf, &words, today)
        .await?
        .into_iter()
        .map(|l| {
            let mut o = posting_out(&l.posting, today);
            o.saved = l.saved;
            o.applications = l.applications;
            o.my_application = mine
                .iter()
                .find(|(a, _)| a.posting_id == l.posting.id)
                .map(|(a, _)| a.id);
            o
        })
        .collect();
    Ok(paging.of(out))
}

/// One posting (every employee reads an opened one; its hiring side and HR earlier too).
#[utoipa::path(get, path = "/api/v1/postings/{id}", tag = "opportunities",
    params(("id" = i64, Path, description = "the posting's id")),
    responses((status = 200, body = PostingOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PostingOut>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let p = app::postings::open_posting(&state.store, &caller, id, today).await?;
    let listed = app::postings::browse(&state.store, &caller, Shelf::Managed, "", today)
        .await?
        .into_iter()
        .find(|l| l.posting.id == id);
    let mut o = posting_out(&p, today);
    o.applications = listed.and_then(|l| l.applications);
    if let Some(me) = auth.actor.person_id {
        o.saved = state
            .store
            .saved_postings(auth.actor.tenant_id, me)
            .await?
            .contains(&id);
    }
    o.my_application = app::postings::mine(&state.store, &caller)
        .await?
        .into_iter()
        .find(|(a, _)| a.posting_id == id)
        .map(|(a, _)| a.id);
    Ok(Json(o))
}

/// A posting to publish.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingIn {
    #[schema(max_length = 120)]
    title: String,
    /// The department's code.
    department: String,
    /// The hiring manager's email (HR only); the caller when left out.
    #[serde(default)]
    hiring_manager: String,
    /// Grades who may apply; empty or left out: any.
    #[serde(default)]
    grades: Vec<String>,
    work: String,
    #[serde(default)]
    required: String,
    #[serde(default)]
    welcome: String,
    /// The published selection criteria (選考基準); required.
    criteria: String,
    #[schema(minimum = 1, maximum = 999)]
    headcount: u32,
    /// YYYY-MM-DD (Japan date).
    opens_on: String,
    closes_on: String,
    /// Stage names in order; left out: 書類選考 → 面接 → 内定.
    #[serde(default)]
    stages: Vec<String>,
    /// The stage from which the applicant's manager sees the application; left out: the
    /// last (the offer).
    #[serde(default)]
    reveal_stage: String,
}

#[derive(Serialize, ToSchema)]
pub struct PostingCreated {
    id: i64,
}

/// A posting the company's rules refuse — a date that is no date, the close before the
/// opening, no criteria, an unknown department: a conflict with the rules, which the
/// schema cannot state.
fn problems_error(p: &Problems) -> ApiError {
    let words = serde_json::to_string(p).unwrap_or_default();
    ApiError::new(StatusCode::CONFLICT, "invalid", words)
}

/// Publishes a posting (HR, or a manager for their own organisation). Every problem of
/// the posting answers 409 `invalid` with the problems listed in the message as JSON.
#[utoipa::path(post, path = "/api/v1/postings", tag = "opportunities", request_body = PostingIn,
    responses((status = 201, body = PostingCreated),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "invalid: the problems, as JSON in the message")))]
pub async fn publish(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(p): ApiJson<PostingIn>,
) -> Result<(StatusCode, Json<PostingCreated>), ApiError> {
    let caller = auth.caller(&Origin::default());
    let input = PostingInput {
        title: p.title,
        grades: p.grades.join(","),
        work: p.work,
        required: p.required,
        welcome: p.welcome,
        criteria: p.criteria,
        headcount: p.headcount.to_string(),
        opens_on: p.opens_on,
        closes_on: p.closes_on,
        stages: p.stages.join("\n"),
        reveal_stage: p.reveal_stage,
    };
    let at = Placement {
        department: p.department,
        hiring_manager: p.hiring_manager,
    };
    match app::postings::publish(&state.store, &caller, &input, &at, state.clock.now()).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(PostingCreated { id }))),
        Err(problems) => Err(problems_error(&problems)),
    }
}

/// An application as the API gives it: what the caller's view allows.
#[derive(Serialize, ToSchema)]
pub struct ApplicationOut {
    id: i64,
    posting_id: i64,
    posting_title: String,
    /// `applicant`, `hiring` or `line_above`.
    view: String,
    /// Null for the applicant themselves.
    applicant: Option<String>,
    applied_at: chrono::DateTime<chrono::Utc>,
    /// `in_stage`, `offered`, `not_selected` or `withdrawn`.
    status: String,
    /// The stage it is in (or ended at), by name.
    stage: String,
    /// The applicant's and the hiring side's words; empty for the line above.
    motivation: String,
    outcomes: Vec<OutcomeOut>,
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeOut {
    stage: String,
    /// `passed`, `not_selected` or `withdrawn`.
    outcome: String,
    reason: String,
    recorded_at: chrono::DateTime<chrono::Utc>,
}

fn status_key(p: Progress) -> &'static str {
    store::postings::progress_columns(p).0
}

fn application_out(
    a: &Application,
    p: &StoredPosting,
    view: ApplicationView,
    outcomes: Vec<OutcomeOut>,
) -> ApplicationOut {
    let stages = &p.posting.stages;
    let stage = a.progress.stage(stages.len());
    ApplicationOut {
        id: a.id,
        posting_id: p.id,
        posting_title: p.posting.title.clone(),
        view: match view {
            ApplicationView::Applicant => "applicant",
            ApplicationView::Hiring => "hiring",
            ApplicationView::LineAbove => "line_above",
        }
        .into(),
        applicant: (view != ApplicationView::Applicant).then(|| a.person_name.clone()),
        applied_at: a.created_at,
        status: status_key(a.progress).into(),
        stage: stages.get(stage).cloned().unwrap_or_default(),
        motivation: if view == ApplicationView::LineAbove {
            String::new()
        } else {
            a.motivation.clone()
        },
        outcomes,
    }
}

/// The caller's own applications.
#[utoipa::path(get, path = "/api/v1/applications", tag = "opportunities", params(Paging),
    responses((status = 200, body = Vec<ApplicationOut>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<ApplicationOut>, ApiError> {
    paging.only(&[])?;
    let caller = auth.caller(&Origin::default());
    Ok(paging.of(app::postings::mine(&state.store, &caller)
        .await?
        .iter()
        .map(|(a, p)| application_out(a, p, ApplicationView::Applicant, Vec::new()))
        .collect()))
}

/// A posting's applications the caller may see (its hiring side and HR; empty for
/// anyone else).
#[utoipa::path(get, path = "/api/v1/postings/{id}/applications", tag = "opportunities",
    params(Paging, ("id" = i64, Path, description = "the posting's id")),
    responses((status = 200, body = Vec<ApplicationOut>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn applications_to(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    ApiPath(id): ApiPath<i64>,
) -> Result<Listed<ApplicationOut>, ApiError> {
    paging.only(&[])?;
    let caller = auth.caller(&Origin::default());
    let p = app::postings::open_posting(&state.store, &caller, id, state.clock.today()).await?;
    Ok(
        paging.of(app::postings::applications_to(&state.store, &caller, &p)
            .await?
            .iter()
            .map(|(a, v)| application_out(a, &p, *v, Vec::new()))
            .collect()),
    )
}

/// An application to apply with.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationIn {
    /// 志望動機.
    #[schema(min_length = 1, max_length = 2000)]
    motivation: String,
}

/// Applies to a posting. Every reason the caller may not answers 409 `refused` with the
/// reasons listed in the message as JSON (closed, already applied, grade, months in the
/// department, one's own department or manager, the motivation).
#[utoipa::path(post, path = "/api/v1/postings/{id}/applications", tag = "opportunities", request_body = ApplicationIn,
    params(("id" = i64, Path, description = "the posting's id")),
    responses((status = 201, body = PostingCreated),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "refused: the reasons, as JSON in the message")))]
pub async fn apply(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(a): ApiJson<ApplicationIn>,
) -> Result<(StatusCode, Json<PostingCreated>), ApiError> {
    // The documented limit counts what was sent, blank space included (the page trims).
    if a.motivation.chars().count() > domain::posting::MAX_MOTIVATION {
        return Err(ApiError::bad_request(format!(
            "motivation: at most {} characters",
            domain::posting::MAX_MOTIVATION
        )));
    }
    let caller = auth.caller(&Origin::default());
    match app::postings::apply(&state.store, &caller, id, &a.motivation, state.clock.now()).await? {
        Ok(application) => {
            if let Some(p) = state.store.posting(auth.actor.tenant_id, id).await? {
                super::applications::notify(
                    &state,
                    auth.actor.tenant_id,
                    p.hiring_manager,
                    "email.application_received",
                    &format!("application:{application}:received"),
                    &format!("/applications/{application}"),
                )
                .await?;
            }
            Ok((
                StatusCode::CREATED,
                Json(PostingCreated { id: application }),
            ))
        }
        Err(r) => Err(refused(&r)),
    }
}

fn refused(r: &[ApplyRefusal]) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "refused",
        serde_json::to_string(r).unwrap_or_default(),
    )
}

/// One application, as the caller's view allows (404 when they may not see it).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "opportunities",
    params(("id" = i64, Path, description = "the application's id")),
    responses((status = 200, body = ApplicationOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn application(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ApplicationOut>, ApiError> {
    let caller = auth.caller(&Origin::default());
    let seen = app::postings::open_application(&state.store, &caller, id).await?;
    let stages = &seen.posting.posting.stages;
    let outcomes = seen
        .outcomes
        .iter()
        .map(|o| OutcomeOut {
            stage: stages.get(o.stage).cloned().unwrap_or_default(),
            outcome: o.outcome.clone(),
            reason: o.reason.clone(),
            recorded_at: o.recorded_at,
        })
        .collect();
    Ok(Json(application_out(
        &seen.application,
        &seen.posting,
        seen.view,
        outcomes,
    )))
}

/// A stage's outcome, as the hiring side records it.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Passed,
    NotSelected,
}

/// A stage's outcome.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeIn {
    /// The stage recorded (an index into the posting's stages): the one the application
    /// is in.
    #[schema(minimum = 0, maximum = 100)]
    stage: u8,
    outcome: OutcomeKind,
    /// Why (the applicant reads it); required.
    #[schema(min_length = 1, max_length = 2000, pattern = "\\S")]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct StageOut {
    /// `in_stage`, `offered` or `not_selected`.
    status: String,
    /// The stage it is in now (or ended at), as an index.
    stage: usize,
}

/// Records the outcome of the stage an application is in (its hiring side and HR).
#[utoipa::path(post, path = "/api/v1/applications/{id}/outcomes", tag = "opportunities", request_body = OutcomeIn,
    params(("id" = i64, Path, description = "the application's id")),
    responses((status = 201, body = StageOut),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "out_of_order: another stage than the current one; finished: decided or withdrawn already; reason_missing")))]
pub async fn record(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(o): ApiJson<OutcomeIn>,
) -> Result<(StatusCode, Json<StageOut>), ApiError> {
    let outcome = match o.outcome {
        OutcomeKind::Passed => Outcome::Passed,
        OutcomeKind::NotSelected => Outcome::NotSelected,
    };
    if o.reason.chars().count() > domain::posting::MAX_MOTIVATION || o.reason.contains('\0') {
        return Err(ApiError::bad_request("reason: at most 2000 characters"));
    }
    let caller = auth.caller(&Origin::default());
    match app::postings::record(
        &state.store,
        &caller,
        id,
        (usize::from(o.stage), outcome),
        &o.reason,
        state.clock.now(),
    )
    .await?
    {
        Recorded::Done(p) => {
            let seen = app::postings::open_application(&state.store, &caller, id).await?;
            let n = seen.posting.posting.stages.len();
            if let Some(u) =
                app::postings::applicant_account(&state.store, &caller, &seen.application).await?
            {
                super::applications::notify(
                    &state,
                    auth.actor.tenant_id,
                    u,
                    "email.application_stage",
                    &format!("application:{id}:stage:{}", o.stage),
                    &format!("/applications/{id}"),
                )
                .await?;
            }
            Ok((
                StatusCode::CREATED,
                Json(StageOut {
                    status: status_key(p).into(),
                    stage: p.stage(n),
                }),
            ))
        }
        Recorded::Refused(StageRefusal::ReasonMissing) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "reason_missing",
            "give the reason the applicant will read",
        )),
        Recorded::Refused(StageRefusal::Finished) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "finished",
            "the application is decided or withdrawn already",
        )),
        Recorded::Refused(StageRefusal::OutOfOrder { current }) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "out_of_order",
            match current {
                Some(c) => format!("the application is at stage {c}; record that stage first"),
                None => "the application changed meanwhile; read it again".into(),
            },
        )),
    }
}
