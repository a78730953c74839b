//! 副業・兼業: the employee's applications (apply under the company's rules, resubmit
//! after HR asks for changes, withdraw, report back after the period) and HR's side
//! (decide with a reason, set the rules). The rules are `app::side_jobs` over
//! `domain::side_job` and `domain::policy::may_see_side_job`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::side_jobs::{NotApplied, NotReported};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::side_job::{Decision, DecisionRefusal, Problem, Refusal, Rules, SideJobInput, Status};
use store::side_jobs::StoredSideJob;

/// An application as the page shows it.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub field: String,
    pub client: String,
    pub work: String,
    pub hours: u32,
    pub period: String,
    pub status: (&'static str, String),
    pub reason: String,
    pub decided: String,
    pub report: String,
    /// The applicant may report back now.
    pub report_due: bool,
    /// The applicant may edit and submit again (HR asked for changes).
    pub may_resubmit: bool,
    pub may_withdraw: bool,
    /// An approval ending soon or ended: the applicant may apply for the next period.
    pub may_renew: bool,
    /// An approval whose period has ended.
    pub ended: bool,
}

fn row(page: &Page, s: &StoredSideJob, today: chrono::NaiveDate) -> Row {
    Row {
        id: s.id,
        name: s.person_name.clone(),
        field: s.job.field.clone(),
        client: s.job.client.clone(),
        work: s.job.work.clone(),
        hours: s.job.hours_per_month,
        period: format!("{} 〜 {}", s.job.starts_on, s.job.ends_on),
        status: (
            s.status.key(),
            page.t(&format!("side_jobs.status.{}", s.status.key())),
        ),
        reason: s.reason.clone(),
        decided: s
            .decided_at
            .map(|at| {
                format!(
                    "{}・{}",
                    when(at),
                    s.decided_by_name.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        report: s.report.clone(),
        report_due: s.reported_at.is_none()
            && domain::side_job::report_due(s.status, &s.job, today),
        may_resubmit: s.status == Status::ChangesRequested,
        may_withdraw: matches!(s.status, Status::Submitted | Status::ChangesRequested),
        may_renew: domain::side_job::renewable(s.status, &s.job, today),
        ended: s.status == Status::Approved && s.job.ends_on < today,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/side_jobs.html")]
pub(super) struct SideJobsPage {
    shell: Shell,
    has_person: bool,
    is_hr: bool,
    rules: Rules,
    mine: Vec<Row>,
    /// The form as typed, which application it resubmits (None: a new one), and what is
    /// wrong with it.
    form: SideJobInput,
    editing: Option<i64>,
    errors: Vec<String>,
    /// HR: applications waiting, then the rest.
    waiting: Vec<Row>,
    decided: Vec<Row>,
    /// A decision's or report's problem: (application id, words).
    row_error: Option<(i64, String)>,
    /// A problem about an application not shown with a form of its own.
    page_error: Option<String>,
    rules_error: Option<String>,
    today: String,
}

fn problem_text(page: &Page, p: &Problem) -> String {
    let field = |f: &str| page.t(&format!("side_jobs.field.{f}"));
    match p {
        Problem::Missing { field: f } => page.tf("side_jobs.problem.missing", "field", field(f)),
        Problem::TooLong { field: f, max } => page.lang.catalog().format(
            "side_jobs.problem.too_long",
            &[("field", &field(f)), ("n", max)],
        ),
        Problem::HoursInvalid => page.t("side_jobs.problem.hours"),
        Problem::DateInvalid { field: f } => page.tf("side_jobs.problem.date", "field", field(f)),
        Problem::EndsBeforeStarts => page.t("side_jobs.problem.ends_before_starts"),
        Problem::PeriodTooLong { max_months } => {
            page.tf("side_jobs.problem.period_too_long", "n", max_months)
        }
        Problem::PledgeMissing => page.t("side_jobs.problem.pledge"),
    }
}

fn refusal_text(page: &Page, r: &Refusal) -> String {
    match r {
        Refusal::CompetingField { listed } => {
            page.tf("side_jobs.refusal.competing_field", "listed", listed)
        }
        Refusal::CompetingClient { listed } => {
            page.tf("side_jobs.refusal.competing_client", "listed", listed)
        }
        Refusal::OverHoursCap { hours, cap } => page.lang.catalog().format(
            "side_jobs.refusal.over_cap",
            &[("hours", hours), ("cap", cap)],
        ),
    }
}

pub(super) fn not_applied_text(page: &Page, n: &NotApplied) -> Vec<String> {
    n.refusals
        .iter()
        .map(|r| refusal_text(page, r))
        .chain(n.problems.iter().map(|p| problem_text(page, p)))
        .collect()
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    (form, editing, errors): (SideJobInput, Option<i64>, Vec<String>),
    (row_error, rules_error): (Option<(i64, String)>, Option<String>),
) -> Result<SideJobsPage, AppError> {
    let caller = auth.caller(origin);
    let today = state.clock.today();
    let mine: Vec<Row> = app::side_jobs::mine(&state.store, &caller)
        .await?
        .iter()
        .map(|s| row(page, s, today))
        .collect();
    let (waiting, decided): (Vec<Row>, Vec<Row>) = app::side_jobs::all(&state.store, &caller)
        .await?
        .iter()
        .filter(|s| auth.actor.person_id != Some(s.person))
        .map(|s| row(page, s, today))
        .partition(|r| r.status.0 == Status::Submitted.key());
    let page_error = row_error.as_ref().and_then(|(id, words)| {
        let shown = waiting.iter().chain(mine.iter()).any(|r: &Row| r.id == *id);
        (!shown).then(|| words.clone())
    });
    Ok(SideJobsPage {
        page_error,
        shell: page.shell(Some(auth), "/opportunities"),
        has_person: auth.actor.person_id.is_some(),
        is_hr: auth.actor.has(domain::Role::Hr),
        rules: state.store.side_job_rules(auth.tenant()).await?,
        mine,
        form,
        editing,
        errors,
        waiting,
        decided,
        row_error,
        rules_error,
        today: today.to_string(),
    })
}

#[derive(serde::Deserialize, Default)]
pub(super) struct EditQuery {
    /// The caller's application HR asked to change: the form starts from it.
    edit: Option<i64>,
    /// The caller's approval to renew: a new application starts from it.
    renew: Option<i64>,
}

/// GET /opportunities/side-jobs[?edit=ID]
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<EditQuery>,
) -> Result<SideJobsPage, AppError> {
    let caller = auth.caller(&origin);
    let mut form = SideJobInput::default();
    let mut editing = None;
    if let Some(id) = q.edit {
        let s = app::side_jobs::open(&state.store, &caller, id).await?;
        if auth.actor.person_id == Some(s.person) && s.status == Status::ChangesRequested {
            form = SideJobInput {
                field: s.job.field.clone(),
                client: s.job.client.clone(),
                work: s.job.work.clone(),
                hours_per_month: s.job.hours_per_month.to_string(),
                starts_on: s.job.starts_on.to_string(),
                ends_on: s.job.ends_on.to_string(),
                pledge: false,
            };
            editing = Some(id);
        }
    }
    if let Some(id) = q.renew {
        let s = app::side_jobs::open(&state.store, &caller, id).await?;
        let today = state.clock.today();
        if auth.actor.person_id == Some(s.person)
            && domain::side_job::renewable(s.status, &s.job, today)
        {
            form = SideJobInput {
                field: s.job.field.clone(),
                client: s.job.client.clone(),
                work: s.job.work.clone(),
                hours_per_month: s.job.hours_per_month.to_string(),
                starts_on: std::cmp::max(s.job.ends_on + chrono::Duration::days(1), today)
                    .to_string(),
                ends_on: String::new(),
                pledge: false,
            };
        }
    }
    render(
        &state,
        &page,
        &auth,
        &origin,
        (form, editing, Vec::new()),
        (None, None),
    )
    .await
}

fn typed(form: &FormData) -> SideJobInput {
    SideJobInput {
        field: form.get("field").into(),
        client: form.get("client").into(),
        work: form.get("work").into(),
        hours_per_month: form.get("hours").into(),
        starts_on: form.get("starts_on").into(),
        ends_on: form.get("ends_on").into(),
        pledge: form.get("pledge") == "1",
    }
}

/// POST /side-jobs — applies (or, with `id`, resubmits after changes were asked for).
pub(super) async fn apply(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let input = typed(&form);
    let editing = form.get("id").parse::<i64>().ok();
    let caller = auth.caller(&origin);
    let now = state.clock.now();
    let result = match editing {
        Some(id) => app::side_jobs::resubmit(&state.store, &caller, id, &input, now)
            .await?
            .map(|()| id),
        None => app::side_jobs::apply(&state.store, &caller, &input, now).await?,
    };
    match result {
        Ok(_) => {
            set_flash(&page.session, "success", page.t("side_jobs.applied")).await?;
            Ok(Redirect::to("/opportunities/side-jobs").into_response())
        }
        Err(n) => {
            let errors = not_applied_text(&page, &n);
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                (input, editing, errors),
                (None, None),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /side-jobs/{id}/decision — HR: decision = approve | request_changes | refuse.
pub(super) async fn decide(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let decision = match form.get("decision") {
        "approve" => Some(Decision::Approve),
        "request_changes" => Some(Decision::RequestChanges),
        "refuse" => Some(Decision::Refuse),
        _ => None,
    };
    let again = |words: String| {
        let (state, page, auth, origin) = (&state, &page, &auth, &origin);
        async move {
            let p = render(
                state,
                page,
                auth,
                origin,
                Default::default(),
                (Some((id, words)), None),
            )
            .await?;
            Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    };
    let Some(decision) = decision else {
        return again(page.t("side_jobs.decision_missing")).await;
    };
    match app::side_jobs::decide(
        &state.store,
        &caller,
        id,
        decision,
        form.get("reason"),
        state.clock.now(),
    )
    .await?
    {
        Ok(_) => {
            let s = app::side_jobs::open(&state.store, &caller, id).await?;
            if let Some((u, _)) = state
                .store
                .account_of_person(auth.tenant(), s.person)
                .await?
            {
                super::applications::notify(
                    &state,
                    auth.tenant(),
                    u,
                    "email.side_job_decided",
                    &format!("side_job:{id}:{}", s.status.key()),
                    "/opportunities/side-jobs",
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("side_jobs.decided")).await?;
            Ok(Redirect::to("/opportunities/side-jobs").into_response())
        }
        Err(DecisionRefusal::ReasonMissing) => again(page.t("side_jobs.reason_missing")).await,
        Err(DecisionRefusal::NotWaiting) => again(page.t("side_jobs.not_waiting")).await,
    }
}

/// POST /side-jobs/{id}/withdraw — after a confirmation on the page.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    app::side_jobs::withdraw(&state.store, &caller, id, state.clock.now()).await?;
    set_flash(&page.session, "success", page.t("side_jobs.withdrawn")).await?;
    Ok(Redirect::to("/opportunities/side-jobs").into_response())
}

/// POST /side-jobs/{id}/report — what was learned, after the period.
pub(super) async fn report(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    match app::side_jobs::report(
        &state.store,
        &caller,
        id,
        form.get("report"),
        state.clock.now(),
    )
    .await?
    {
        Ok(()) => {
            set_flash(&page.session, "success", page.t("side_jobs.reported")).await?;
            Ok(Redirect::to("/opportunities/side-jobs").into_response())
        }
        Err(n) => {
            let key = match n {
                NotReported::NotDue => "side_jobs.report_error.not_due",
                NotReported::Missing => "side_jobs.report_error.missing",
                NotReported::TooLong => "side_jobs.report_error.too_long",
                NotReported::Already => "side_jobs.report_error.already",
            };
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                Default::default(),
                (Some((id, page.t(key))), None),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /side-jobs/rules — HR sets the competing fields and clients (one a line) and
/// the hours cap.
pub(super) async fn rules(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let lines = |s: &str| -> Vec<String> {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.chars().take(100).collect())
            .take(200)
            .collect()
    };
    let cap = domain::import::values::normalise(form.get("hours_cap"))
        .parse::<u32>()
        .ok()
        .filter(|h| (1..=200).contains(h));
    let Some(hours_cap) = cap else {
        let p = render(
            &state,
            &page,
            &auth,
            &origin,
            Default::default(),
            (None, Some(page.t("side_jobs.rules_error.cap"))),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    let rules = Rules {
        competing_fields: lines(form.get("competing_fields")),
        competing_clients: lines(form.get("competing_clients")),
        hours_cap,
    };
    app::side_jobs::set_rules(&state.store, &caller, &rules).await?;
    set_flash(&page.session, "success", page.t("side_jobs.rules_saved")).await?;
    Ok(Redirect::to("/opportunities/side-jobs").into_response())
}
