//! An application's page: the applicant follows it (every stage and the reasons given)
//! and may withdraw it while it is considered; the hiring side reads the motivation and
//! records each stage's outcome with a reason, one stage at a time. Anyone else — the
//! applicant's manager before the reveal stage included — finds no such page.

use super::{progress_text, stage_name, stage_refusal_text};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::postings::{Recorded, Seen};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::UserId;
use domain::policy::ApplicationView;
use domain::posting::{MAX_MOTIVATION, Outcome};

/// One recorded outcome as the page says it.
pub struct OutcomeRow {
    pub stage: String,
    pub outcome: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/application.html")]
pub(super) struct ApplicationPage {
    shell: Shell,
    seen: Seen,
    /// `applicant`, `hiring` or `line_above`.
    view: &'static str,
    progress: (&'static str, String),
    applied_at: String,
    outcomes: Vec<OutcomeRow>,
    /// The stage the hiring side records next: (index, name).
    next_stage: Option<(usize, String)>,
    /// Passing the stage is the offer.
    next_is_offer: bool,
    /// The stage form as typed, and its problem.
    reason: String,
    error: Option<String>,
    reason_limit: usize,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    id: i64,
    (reason, error): (String, Option<String>),
) -> Result<ApplicationPage, AppError> {
    let caller = auth.caller(origin);
    let seen = app::postings::open_application(&state.store, &caller, id).await?;
    let stages = &seen.posting.posting.stages;
    let outcomes = seen
        .outcomes
        .iter()
        .map(|o| OutcomeRow {
            stage: stage_name(page, stages, o.stage),
            outcome: page.t(&format!("postings.outcome.{}", o.outcome)),
            reason: o.reason.clone(),
            by: o.recorded_by_name.clone().unwrap_or_default(),
            at: when(o.recorded_at),
        })
        .collect();
    let next_stage = match (seen.view, seen.application.progress) {
        (ApplicationView::Hiring, domain::posting::Progress::InStage { stage }) => {
            Some((stage, stage_name(page, stages, stage)))
        }
        _ => None,
    };
    Ok(ApplicationPage {
        shell: page.shell(Some(auth), "/opportunities"),
        view: match seen.view {
            ApplicationView::Applicant => "applicant",
            ApplicationView::Hiring => "hiring",
            ApplicationView::LineAbove => "line_above",
        },
        progress: progress_text(page, stages, seen.application.progress),
        applied_at: when(seen.application.created_at),
        outcomes,
        next_is_offer: next_stage
            .as_ref()
            .is_some_and(|(s, _)| s + 2 >= stages.len()),
        next_stage,
        reason,
        error,
        reason_limit: MAX_MOTIVATION,
        seen,
    })
}

/// GET /applications/{id}
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<ApplicationPage, AppError> {
    render(&state, &page, &auth, &origin, id, (String::new(), None)).await
}

/// POST /applications/{id}/stage — the hiring side records the current stage's outcome
/// (stage, outcome = passed | not_selected, reason).
pub(super) async fn stage(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let reason = form.get("reason").to_string();
    let outcome = match form.get("outcome") {
        "passed" => Outcome::Passed,
        "not_selected" => Outcome::NotSelected,
        _ => {
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                id,
                (
                    reason,
                    Some(page.t("postings.stage_refusal.outcome_missing")),
                ),
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    let Ok(at) = form.get("stage").parse::<usize>() else {
        return Err(AppError::bad_request());
    };
    match app::postings::record(
        &state.store,
        &caller,
        id,
        (at, outcome),
        &reason,
        state.clock.now(),
    )
    .await?
    {
        Recorded::Done(_) => {
            if let Some(a) = state.store.application(auth.tenant(), id).await?
                && let Some(u) = app::postings::applicant_account(&state.store, &caller, &a).await?
            {
                notify(
                    &state,
                    auth.tenant(),
                    u,
                    "email.application_stage",
                    &format!("application:{id}:stage:{at}"),
                    &format!("/applications/{id}"),
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("postings.stage_recorded")).await?;
            Ok(Redirect::to(&format!("/applications/{id}")).into_response())
        }
        Recorded::Refused(r) => {
            let seen = app::postings::open_application(&state.store, &caller, id).await?;
            let text = stage_refusal_text(&page, &seen.posting.posting.stages, r);
            let p = render(&state, &page, &auth, &origin, id, (reason, Some(text))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /applications/{id}/withdraw — the applicant takes it back (after a
/// confirmation on the page).
pub(super) async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    match app::postings::withdraw(
        &state.store,
        &caller,
        id,
        form.get("reason"),
        state.clock.now(),
    )
    .await?
    {
        Recorded::Done(_) => {
            let seen = app::postings::open_application(&state.store, &caller, id).await?;
            notify(
                &state,
                auth.tenant(),
                seen.posting.hiring_manager,
                "email.application_withdrawn",
                &format!("application:{id}:withdrawn"),
                &format!("/postings/{}", seen.posting.id),
            )
            .await?;
            set_flash(&page.session, "success", page.t("postings.withdrawn")).await?;
            Ok(Redirect::to(&format!("/applications/{id}")).into_response())
        }
        Recorded::Refused(r) => {
            let seen = app::postings::open_application(&state.store, &caller, id).await?;
            let text = stage_refusal_text(&page, &seen.posting.posting.stages, r);
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                id,
                (String::new(), Some(text)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// Tells one account by email and in the app that something about an application waits
/// at `path` — never whose, nor any words of it.
pub(super) async fn notify(
    state: &AppState,
    tenant: domain::TenantId,
    to: UserId,
    key: &str,
    job_key: &str,
    path: &str,
) -> Result<(), store::StoreError> {
    let user = state.store.user(tenant, to).await?;
    if user.disabled {
        return Ok(());
    }
    crate::shared::email::send_notice(
        state,
        tenant,
        format!("email:{job_key}:{}", user.id.0),
        user.email,
        key,
        &[],
        path,
    )
    .await?;
    Ok(())
}
