//! The feedback-report section of the dialogue page (面談所感): the consultant drafts the
//! four parts, previews exactly what the manager will see, and sends it — only as
//! `policy::may_send_feedback` allows (`app::reports::send_check`).

use super::{Retry, again, back, load, need, saved};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::report_doc::{PartView, ReportPage, part_views};
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::PersonId;
use domain::audit::AuditAction;
use domain::feedback::{Leak, MAX_PART_CHARS, Parts};
use domain::policy::{DialogueRole, SendRefusal};
use store::audit::NewAuditEntry;
use store::dialogues::Dialogue;
use store::feedback::Report;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dialogues/{id}/report", post(save_draft))
        .route("/dialogues/{id}/report/preview", get(preview))
        .route("/dialogues/{id}/report/send", post(send))
}

/// Whether this draft may go (`app::reports::send_check`).
async fn send_check(
    state: &AppState,
    auth: &Auth,
    d: &Dialogue,
    role: DialogueRole,
    parts: &Parts,
    report: Option<&Report>,
) -> Result<(Result<(), SendRefusal>, Option<PersonId>), AppError> {
    Ok(app::reports::send_check(&state.store, auth.tenant(), d, role, parts, report).await?)
}

/// Why a report may not go, without quoting anything confidential: for a message that
/// is stored outside the sealed records (the flash in the session).
pub fn refusal_summary(page: &Page, r: &SendRefusal) -> Vec<String> {
    match r {
        SendRefusal::Leaks(leaks) => leaks
            .iter()
            .map(|l| match l {
                Leak::Withheld { part, .. } | Leak::WithheldParaphrase { part, .. } => page.tf(
                    "report.refused.withheld_part",
                    "part",
                    page.t(&format!("report.part.{part}")),
                ),
                Leak::PrivateNote { part } => page.tf(
                    "report.refused.private",
                    "part",
                    page.t(&format!("report.part.{part}")),
                ),
                Leak::PrivateParaphrase { part, .. } => page.tf(
                    "report.refused.private_like_summary",
                    "part",
                    page.t(&format!("report.part.{part}")),
                ),
            })
            .collect(),
        other => refusal_texts(page, other),
    }
}

/// Why a report may not go, in words (on the page, from the sealed records).
pub fn refusal_texts(page: &Page, r: &SendRefusal) -> Vec<String> {
    match r {
        SendRefusal::Leaks(leaks) => leaks
            .iter()
            .map(|l| match l {
                Leak::Withheld { part, topic } => page.lang.catalog().format(
                    "report.refused.withheld",
                    &[
                        ("part", &page.t(&format!("report.part.{part}"))),
                        ("topic", topic),
                    ],
                ),
                Leak::PrivateNote { part } => page.tf(
                    "report.refused.private",
                    "part",
                    page.t(&format!("report.part.{part}")),
                ),
                Leak::WithheldParaphrase { part, topic, words } => page.lang.catalog().format(
                    "report.refused.withheld_like",
                    &[
                        ("part", &page.t(&format!("report.part.{part}"))),
                        ("topic", topic),
                        ("words", &words.join("・")),
                    ],
                ),
                Leak::PrivateParaphrase { part, words } => page.lang.catalog().format(
                    "report.refused.private_like",
                    &[
                        ("part", &page.t(&format!("report.part.{part}"))),
                        ("words", &words.join("・")),
                    ],
                ),
            })
            .collect(),
        other => vec![page.t(match other {
            SendRefusal::NotTheFacilitator => "report.refused.not_facilitator",
            SendRefusal::NotAConsultantSession => "report.refused.not_consultant_session",
            SendRefusal::NoConsent => "report.refused.no_consent",
            SendRefusal::ConsentWithdrawn => "report.refused.withdrawn",
            SendRefusal::ConsentUnconfirmed => "report.refused.unconfirmed",
            SendRefusal::AlreadySent => "report.refused.already_sent",
            SendRefusal::NotHeld => "report.refused.not_held",
            SendRefusal::Empty => "report.refused.empty",
            _ => "report.refused.no_manager",
        })],
    }
}

/// The draft as the dialogue page shows it.
pub struct DraftView {
    pub parts: Vec<PartView>,
    pub sent: Option<String>,
    pub acknowledged: Option<String>,
    /// Where the email telling the manager stands, once sent.
    pub email: Option<String>,
    pub support: String,
    /// Why it may not be sent now (empty: it may).
    pub blocked: Vec<String>,
    pub limit: usize,
    /// The `for_manager` items the consultant may draw on.
    pub material: Vec<String>,
    /// What the employee asked to withhold, topic by topic: the report must not say it.
    pub withheld: Vec<String>,
}

/// The report section of the dialogue page, for the consultant of a consultant session
/// (what `app::dialogues::view` gave them of it).
pub async fn draft_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    v: &app::dialogues::View,
    typed: Option<Parts>,
) -> Result<Option<DraftView>, AppError> {
    let Some(draft) = &v.report else {
        return Ok(None);
    };
    let report = draft.report.as_ref();
    let parts = match (typed, report) {
        // A draft that could not be saved comes back exactly as typed.
        (Some(t), _) => t,
        (None, Some(r)) => r.parts.clone(),
        (None, None) => Parts {
            // What they committed to, filled in from the commitments that count.
            committed: v
                .commitments
                .iter()
                .filter(|c| c.counts())
                .map(|c| format!("・{}（{}から）", c.content.action, c.starts_on))
                .collect::<Vec<_>>()
                .join("\n"),
            ..Parts::default()
        },
    };
    let (verdict, _) = send_check(state, auth, &v.dialogue, v.role, &parts, report).await?;
    let email = match report.filter(|r| r.sent_at.is_some()) {
        Some(r) => Some(email_status(
            page,
            state
                .store
                .job_status(auth.tenant(), &report_email_key(r.id))
                .await?,
        )),
        None => None,
    };
    Ok(Some(DraftView {
        email,
        parts: part_views(page, &parts),
        sent: report.and_then(|r| r.sent_at).map(when),
        acknowledged: report.and_then(|r| r.acknowledged_at).map(when),
        support: report.and_then(|r| r.support.clone()).unwrap_or_default(),
        blocked: verdict
            .err()
            .map(|r| refusal_texts(page, &r))
            .unwrap_or_default(),
        limit: MAX_PART_CHARS,
        material: draft.material.clone(),
        withheld: app::reports::topics_withheld(
            v.consent.as_ref().and_then(|c| c.in_force.as_ref()),
        ),
    }))
}

fn parts_from(form: &FormData) -> Result<Parts, Vec<&'static str>> {
    Parts::parse(|k| form.get(k).to_string())
}

/// POST /dialogues/{id}/report — saves the draft (never once sent).
async fn save_draft(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("report");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator && d.kind.is_consultant_session())?;
    match parts_from(&form) {
        Err(_) => {
            // Nothing is saved; the page comes back with every part as typed.
            let typed = Parts {
                unknown_side: form.get("unknown_side").to_string(),
                motivation: form.get("motivation").to_string(),
                committed: form.get("committed").to_string(),
                support: form.get("support").to_string(),
            };
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    report: Some((
                        typed,
                        page.tf("dialogue.error.too_long", "n", MAX_PART_CHARS),
                    )),
                    ..Retry::keeping(&raw, "report")
                },
            )
            .await;
        }
        Ok(parts) => {
            let saved = state
                .store
                .save_report_draft(auth.tenant(), d.id, d.subject, auth.user.id, &parts)
                .await?;
            set_flash(
                &page.session,
                if saved { "success" } else { "error" },
                page.t(if saved {
                    "report.saved"
                } else {
                    "report.refused.already_sent"
                }),
            )
            .await?;
            if saved && form.get("then") == "preview" {
                return Ok(Redirect::to(&format!("/dialogues/{id}/report/preview")).into_response());
            }
        }
    }
    saved(&state, &page, &auth, &origin, id, &raw, "report").await
}

/// GET /dialogues/{id}/report/preview — exactly what the manager will see.
async fn preview(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<ReportPage, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator && d.kind.is_consultant_session())?;
    let report = state
        .store
        .report_of_dialogue(auth.tenant(), d.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let (verdict, _) = send_check(&state, &auth, &d, role, &report.parts, Some(&report)).await?;
    Ok(ReportPage {
        shell: page.shell(Some(&auth), "/dialogues"),
        preview: true,
        dialogue_id: d.id,
        report_id: report.id,
        subject: d.subject_name.clone(),
        kind: page.t(&format!("dialogue.kind.{}", d.kind.key())),
        held_on: when(d.starts_at),
        author: d.facilitator_name.clone(),
        parts: part_views(&page, &report.parts),
        sent: report.sent_at.map(when),
        acknowledged: report.acknowledged_at.map(when),
        support: report.support.clone().unwrap_or_default(),
        blocked: verdict
            .err()
            .map(|r| refusal_texts(&page, &r))
            .unwrap_or_default(),
        may_acknowledge: false,
        may_print: true,
        withheld: app::reports::withheld_topics(&state.store, auth.tenant(), d.id).await?,
        retracted: None,
    })
}

/// POST /dialogues/{id}/report/send — sends the saved draft, if the policy allows.
async fn send(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    let report = state.store.report_of_dialogue(auth.tenant(), d.id).await?;
    let parts = report.as_ref().map(|r| r.parts.clone()).unwrap_or_default();
    let (verdict, manager) = send_check(&state, &auth, &d, role, &parts, report.as_ref()).await?;
    // The automatic check cannot catch a paraphrase: the consultant ticks every topic the
    // employee withheld as absent before anything goes.
    if verdict.is_ok() {
        let topics = app::reports::withheld_topics(&state.store, auth.tenant(), d.id).await?;
        let ticked: Vec<&str> = form.get_all("withheld_ok").collect();
        if !domain::feedback::withheld_confirmed(&topics, &ticked) {
            set_flash(&page.session, "error", page.t("report.refused.unticked")).await?;
            return Ok(Redirect::to(&format!("/dialogues/{id}/report/preview")).into_response());
        }
    }
    match (verdict, report, manager) {
        (Ok(()), Some(r), Some(m)) => {
            // The manager hears of it by email (queued with the sending, in one
            // transaction); the email only says a report is waiting.
            let account = state.store.account_of_person(auth.tenant(), m).await?;
            let mut emails = Vec::new();
            if let Some((_, address)) = &account {
                let manager_name = state
                    .store
                    .person(auth.tenant(), m)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                let email = crate::shared::email::compose(
                    &state,
                    address.clone(),
                    "email.report",
                    &[
                        ("name", &manager_name),
                        ("consultant", &auth.user.name),
                        ("subject", &d.subject_name),
                    ],
                    &format!("/reports/{}", r.id),
                );
                emails.push(store::jobs::NewJob::email(
                    auth.tenant(),
                    report_email_key(r.id),
                    &email,
                    state.clock.now(),
                )?);
            }
            if state
                .store
                .send_report(auth.tenant(), r.id, m, &emails)
                .await?
            {
                auth.audit(
                    &state,
                    &origin,
                    NewAuditEntry::new(Some(auth.tenant()), AuditAction::ReportSent)
                        .target("feedback_report", r.id)
                        .detail(domain::audit::detail("report_to", &[("id", &m.0)])),
                )
                .await?;
                let said = if account.is_some() {
                    "report.sent"
                } else {
                    "report.sent_no_account"
                };
                set_flash(&page.session, "success", page.t(said)).await?;
            } else {
                set_flash(
                    &page.session,
                    "error",
                    page.t("report.refused.already_sent"),
                )
                .await?;
            }
        }
        (Err(SendRefusal::NotTheFacilitator), _, _) => return Err(AppError::forbidden()),
        (Err(r), _, _) => {
            // The flash lives in the session row, stored as it is: it names the part and
            // the kind of problem only. The page below lists the topic itself, read from
            // the sealed consent record each time it is shown.
            let text = refusal_summary(&page, &r).join(" ");
            set_flash(&page.session, "error", text).await?;
        }
        _ => set_flash(&page.session, "error", page.t("report.refused.empty")).await?,
    }
    Ok(back(id))
}

/// Where an outbox email stands, in words (none: nobody could be emailed).
pub fn email_status(page: &Page, job: Option<store::jobs::JobStatus>) -> String {
    use store::jobs::JobState;
    match job {
        None => page.t("email.status.none"),
        Some(j) => match j.state {
            JobState::Done => page.tf(
                "email.status.sent",
                "at",
                j.finished_at.map(when).unwrap_or_default(),
            ),
            JobState::Failed => page.t("email.status.failed"),
            JobState::Queued if j.attempts > 0 => page.lang.catalog().format(
                "email.status.retrying",
                &[("n", &j.attempts), ("at", &when(j.run_at))],
            ),
            JobState::Queued | JobState::Running => page.t("email.status.queued"),
        },
    }
}

/// The outbox key of the email telling the manager that report `id` arrived.
pub fn report_email_key(id: i64) -> String {
    format!("email:report:{id}")
}
