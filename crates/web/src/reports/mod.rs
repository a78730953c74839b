//! Feedback reports (面談所感) as the manager receives them: the list of reports sent to
//! them, each report (its read audited), acknowledging it with the support they gave, and
//! printing it. Writing and sending one is a section of the dialogue page
//! (`dialogues::report`).

pub mod api;

use crate::shared::access::need;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::report_doc::{ReportPage, part_views};
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::audit::AuditAction;
use domain::feedback::MAX_PART_CHARS;
use domain::policy::{DialogueRole, ReportView};
use store::audit::NewAuditEntry;
use store::dialogues::Dialogue;
use store::feedback::Report;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(inbox))
        .route("/reports/{id}", get(show))
        .route("/reports/{id}/acknowledge", post(acknowledge))
        .route("/reports/{id}/report.pdf", get(pdf))
}

/// A report in the manager's list.
pub struct InboxRow {
    pub id: i64,
    pub subject: String,
    pub sent: String,
    pub acknowledged: bool,
    /// The employee withdrew consent after it was sent: shown without a link.
    pub withdrawn: bool,
}

/// What the manager sees of a report the employee withdrew: that, and nothing else.
#[derive(Template, WebTemplate)]
#[template(path = "reports/withdrawn.html")]
struct WithdrawnPage {
    shell: Shell,
    subject: String,
    sent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/list.html")]
struct InboxPage {
    shell: Shell,
    rows: Vec<InboxRow>,
}

/// GET /reports — 面談所感: the reports sent to me as a manager.
async fn inbox(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<InboxPage, AppError> {
    let rows = app::reports::inbox(&state.store, &auth.actor)
        .await?
        .into_iter()
        .map(|i| InboxRow {
            id: i.report.id,
            subject: i.subject_name,
            sent: i.report.sent_at.map(when).unwrap_or_default(),
            acknowledged: i.report.acknowledged_at.is_some(),
            withdrawn: i.report.retracted_at.is_some(),
        })
        .collect();
    Ok(InboxPage {
        shell: page.shell(Some(&auth), "/reports"),
        rows,
    })
}

/// The sent report, the dialogue it came from and how much `auth` may read of it
/// (`policy::feedback_view`).
async fn readable(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> Result<(Report, Dialogue, ReportView), AppError> {
    Ok(app::reports::readable(&state.store, &auth.actor, id).await?)
}

/// The page a manager gets for a report the employee withdrew (410: it is gone for them).
fn withdrawn(page: &Page, auth: &Auth, r: &Report, d: &Dialogue) -> Response {
    (
        StatusCode::GONE,
        WithdrawnPage {
            shell: page.shell(Some(auth), "/reports"),
            subject: d.subject_name.clone(),
            sent: r.sent_at.map(when).unwrap_or_default(),
        },
    )
        .into_response()
}

async fn audit_report_read(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    r: &Report,
    what: &str,
) -> Result<(), AppError> {
    if auth.user.id != r.author {
        auth.audit(
            state,
            origin,
            NewAuditEntry::new(Some(auth.tenant()), AuditAction::ConfidentialRead)
                .target("feedback_report", r.id)
                .detail(what),
        )
        .await?;
    }
    Ok(())
}

/// GET /reports/{id} — the report as its manager reads it.
async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (r, d, view) = readable(&state, &auth, id).await?;
    if view == ReportView::Withdrawn {
        return Ok(withdrawn(&page, &auth, &r, &d));
    }
    audit_report_read(&state, &auth, &origin, &r, "report").await?;
    let role = app::dialogues::role_in(&state.store, &auth.actor, &d).await?;
    let retracted = r.retracted_at.map(when);
    Ok(ReportPage {
        shell: page.shell(Some(&auth), "/reports"),
        preview: false,
        dialogue_id: d.id,
        report_id: r.id,
        subject: d.subject_name.clone(),
        kind: page.t(&format!("dialogue.kind.{}", d.kind.key())),
        held_on: when(d.starts_at),
        author: d.facilitator_name.clone(),
        parts: part_views(&page, &r.parts),
        sent: r.sent_at.map(when),
        acknowledged: r.acknowledged_at.map(when),
        support: r.support.clone().unwrap_or_default(),
        blocked: Vec::new(),
        may_acknowledge: role == DialogueRole::SubjectsManager
            && r.addressed_to == auth.actor.person_id,
        may_print: true,
        withheld: Vec::new(),
        retracted,
    }
    .into_response())
}

/// POST /reports/{id}/acknowledge — the manager acknowledges it and records the support
/// they gave (the report changes the manager's behaviour, not only the employee's).
async fn acknowledge(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (r, _, view) = readable(&state, &auth, id).await?;
    need(r.addressed_to == auth.actor.person_id && view == ReportView::Full)?;
    let support = form.get("support").trim();
    if support.chars().count() > MAX_PART_CHARS {
        set_flash(
            &page.session,
            "error",
            page.tf("dialogue.error.too_long", "n", MAX_PART_CHARS),
        )
        .await?;
        return Ok(Redirect::to(&format!("/reports/{id}")).into_response());
    }
    state
        .store
        .acknowledge_report(auth.tenant(), id, (!support.is_empty()).then_some(support))
        .await?;
    set_flash(&page.session, "success", page.t("report.acknowledged")).await?;
    Ok(Redirect::to(&format!("/reports/{id}")).into_response())
}

/// GET /reports/{id}/report.pdf — the report to print (IPAexGothic embedded).
async fn pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use crate::shared::pdf::Block;
    let (r, d, view) = readable(&state, &auth, id).await?;
    if view == ReportView::Withdrawn {
        return Ok(withdrawn(&page, &auth, &r, &d));
    }
    audit_report_read(&state, &auth, &origin, &r, "report (pdf)").await?;
    let mut blocks = vec![
        Block::Title(page.tf("report.title_for", "name", &d.subject_name)),
        Block::Meta(page.lang.catalog().format(
            "report.meta",
            &[
                ("kind", &page.t(&format!("dialogue.kind.{}", d.kind.key()))),
                ("at", &when(d.starts_at)),
                ("author", &d.facilitator_name),
            ],
        )),
        Block::Text(page.t("report.confidential")),
    ];
    for p in part_views(&page, &r.parts) {
        blocks.push(Block::Heading(p.title));
        blocks.push(Block::Text(if p.text.is_empty() {
            page.t("report.part_empty")
        } else {
            p.text
        }));
    }
    let bytes = crate::shared::pdf::render(&page.t("report.title"), &blocks)
        .map_err(|e| AppError::internal("report pdf", e))?;
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export)
            .target("feedback_report", r.id)
            .detail(domain::audit::detail("report_pdf", &[])),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"feedback-report.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
