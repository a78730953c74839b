//! 面談・1on1 pages: booking (one dialogue or a recurring series) with warnings for past
//! times and overlaps, the dialogue page as each party may see it (the facilitator's
//! preparation and notes, the employee's topics and reflection, the manager's and HR's
//! bare logistics), consent, calendar files, and the employee's own records (本人に返却).
//!
//! Every page asks `domain::policy` through [`load`], which works out how the signed-in
//! user stands to the dialogue; note items are filtered by `policy::may_read_note`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::cards::{CheckIn, Row, row};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, NaiveTime, Utc};
use domain::audit::AuditAction;
use domain::dialogue::{
    self, Approach, Cadence, CarryOver, DialogueKind, DialogueState, MAX_NOTE_CHARS,
    MAX_PLACE_CHARS, MAX_SERIES_COUNT, MAX_TOPIC_CHARS, MAX_WITHHELD_CHARS, Visibility,
    WantedResponse,
};
use domain::policy::{self, DialogueRole};
use domain::question_bank::{BUILT_IN, Category};
use domain::{PersonId, Role};
use std::collections::HashMap;
use store::audit::NewAuditEntry;
use store::dialogues::{Dialogue, Note, NoteEdit, NoteInput};

pub mod api;
mod booking;
mod calendar;
mod close;
mod commitments;
pub mod commitments_api;
mod concerns;
mod consent;
pub mod consent_api;
mod employee;
mod list;
mod notes;
mod page;
mod records;
mod report;
mod vision;
mod worksheet;

use crate::shared::booking::{refusal_key, warning_text};
use booking::{BookingOutcome, BookingRequest, book_dialogues, may_book};
use page::{NoteDraft, render_show, visibility_label};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(commitments::router())
        .merge(report::router())
        .merge(vision::router())
        .merge(concerns::router())
        .merge(worksheet::router())
        .route("/dialogues", get(list::list).post(booking::book))
        .route("/dialogues/new", get(booking::new_form))
        .route("/dialogues/{id}", get(page::show))
        .route("/dialogues/{id}/keep", post(page::keep))
        .route("/dialogues/{id}/calendar.ics", get(calendar::calendar))
        .route("/dialogues/{id}/series.ics", get(calendar::series_calendar))
        .route("/dialogues/{id}/notes", post(notes::add_note))
        .route("/dialogues/{id}/notes/{note}", post(notes::edit_note))
        .route("/dialogues/{id}/close", post(close::close))
        .route("/dialogues/{id}/consent", post(consent::record_consent))
        .route(
            "/dialogues/{id}/consent/confirm",
            post(consent::confirm_consent),
        )
        .route(
            "/dialogues/{id}/consent/withdraw",
            post(consent::withdraw_consent),
        )
        .route("/dialogues/{id}/topics", post(employee::add_topic))
        .route("/dialogues/{id}/reflection", post(employee::reflect))
        .route("/my/records", get(records::my_records))
        .route("/my/records.csv", get(records::my_records_csv))
        .route("/my/records.pdf", get(records::my_records_pdf))
}

// ----- how the signed-in user stands to a dialogue -----

/// The dialogue and the caller's role in it (`app::dialogues::open`): a 404 when it does
/// not exist in the tenant, a 403 when the caller may not even know of it.
pub(crate) async fn load(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> Result<(Dialogue, DialogueRole), AppError> {
    Ok(app::dialogues::open(&state.store, &auth.actor, id).await?)
}

pub(crate) use crate::shared::access::need;

/// What was typed in every section of the dialogue page. The page is one form whose
/// buttons each post to their section's route, so a section's post carries the others'
/// text too; when the page comes back (a refusal, or a save while something else is
/// still unsaved) it comes back with that text in place.
#[derive(Default)]
pub(crate) struct Kept {
    pub note: Option<NoteDraft>,
    /// The edit box of note items: id → text.
    pub note_edits: HashMap<i64, String>,
    /// (agreed, withheld)
    pub consent: Option<(String, String)>,
    pub topic: Option<String>,
    /// (rating, reflection)
    pub reflection: Option<(String, String)>,
    pub commitment: Option<commitments::CommitmentForm>,
    /// The edit box of commitments: id → action.
    pub commitment_edits: HashMap<i64, String>,
    /// The reason typed with a commitment's status: id → reason.
    pub reasons: HashMap<i64, String>,
    /// (vision, horizon)
    pub vision: Option<(String, String)>,
    /// (side, text, weight)
    pub worksheet: Option<(String, String, String)>,
    pub report: Option<domain::feedback::Parts>,
    /// The themes ticked in the 相談テーマ section.
    pub concerns: Option<Vec<String>>,
}

impl Kept {
    /// Everything typed in `form` except the section `posted` (its own result replaces it).
    pub fn from(form: &FormData, posted: &str) -> Kept {
        let section = |prefix: &str| -> Option<FormData> {
            (prefix != posted && form.names().any(|n| n.starts_with(&format!("{prefix}."))))
                .then(|| form.scoped(prefix))
        };
        // The ids of the per-item sections named `{kind}-{id}.field`.
        let ids = |kind: &str| -> Vec<i64> {
            let mut out: Vec<i64> = form
                .names()
                .filter_map(|n| n.strip_prefix(kind)?.split_once('.')?.0.parse().ok())
                .collect();
            out.dedup();
            out
        };
        let per_item = |kind: &str, field: &str| -> HashMap<i64, String> {
            ids(kind)
                .into_iter()
                .filter_map(|id| {
                    let f = section(&format!("{kind}{id}"))?;
                    Some((id, f.get(field).to_string()))
                })
                .collect()
        };
        Kept {
            note: section("note").map(|f| NoteDraft {
                body: f.get("body").into(),
                visibility: f.get("visibility").into(),
                carry_over: f.get("carry_over").into(),
                category: f.get("category").into(),
                error: None,
                note_id: None,
            }),
            note_edits: per_item("note-", "body"),
            consent: section("consent").map(|f| (f.get("agreed").into(), f.get("withheld").into())),
            topic: section("topic").map(|f| f.get("body").into()),
            reflection: section("reflection")
                .map(|f| (f.get("rating").into(), f.get("reflection").into())),
            commitment: section("commitment").map(|f| commitments::CommitmentForm::typed(&f)),
            commitment_edits: per_item("commitment-", "action"),
            reasons: per_item("status-", "reason"),
            vision: section("vision").map(|f| (f.get("vision").into(), f.get("horizon").into())),
            concerns: section("concern").map(|f| f.get_all("theme").map(String::from).collect()),
            worksheet: section("worksheet").map(|f| {
                (
                    f.get("side").into(),
                    f.get("text").into(),
                    f.get("weight").into(),
                )
            }),
            report: section("report").map(|f| domain::feedback::Parts {
                unknown_side: f.get("unknown_side").into(),
                motivation: f.get("motivation").into(),
                committed: f.get("committed").into(),
                support: f.get("support").into(),
            }),
        }
    }

    /// Is anything typed here not what the page would show anyway (so that going back to
    /// the page would lose it)?
    pub fn unsaved(&self, v: &app::dialogues::View) -> bool {
        let typed = |s: &str| !s.trim().is_empty();
        let note_of = |id: &i64| {
            v.notes
                .iter()
                .find(|r| r.note.id == *id)
                .map(|r| r.note.body.as_str())
        };
        let commitment_of = |id: &i64| v.commitments.iter().find(|c| c.id == *id);
        self.note.as_ref().is_some_and(|n| typed(&n.body))
            || self
                .note_edits
                .iter()
                .any(|(id, b)| note_of(id).is_some_and(|s| s != b))
            || self.consent.as_ref().is_some_and(|(_, w)| typed(w))
            || self.topic.as_deref().is_some_and(typed)
            || self.reflection.as_ref().is_some_and(|(_, r)| {
                r.as_str() != v.dialogue.subject_reflection.as_deref().unwrap_or_default()
            })
            || self.commitment.as_ref().is_some_and(|c| {
                [&c.action, &c.first_step, &c.evidence, &c.vision, &c.target]
                    .into_iter()
                    .any(|t| typed(t))
            })
            || self
                .commitment_edits
                .iter()
                .any(|(id, a)| commitment_of(id).is_some_and(|c| &c.content.action != a))
            || self.reasons.iter().any(|(id, r)| {
                commitment_of(id)
                    .is_some_and(|c| c.status_reason.as_deref().unwrap_or_default() != r)
            })
            || self.vision.as_ref().is_some_and(|(t, _)| {
                t.as_str() != v.dialogue.vision.as_deref().unwrap_or_default()
            })
            || self.worksheet.as_ref().is_some_and(|(_, t, _)| typed(t))
            || self.report.as_ref().is_some_and(|p| {
                let stored = v
                    .report
                    .as_ref()
                    .and_then(|r| r.report.as_ref())
                    .map(|r| &r.parts);
                match stored {
                    Some(s) => s != p,
                    // Before a first save the form offers the commitments as "committed".
                    None => domain::feedback::Parts::KEYS
                        .into_iter()
                        .filter(|k| *k != "committed")
                        .any(|k| typed(p.get(k))),
                }
            })
    }
}

/// What to show again after a form on the dialogue page failed.
#[derive(Default)]
pub(crate) struct Retry {
    /// What was typed in the other sections.
    pub kept: Kept,
    pub draft: NoteDraft,
    pub consent_error: Option<String>,
    pub topic_text: String,
    pub topic_error: Option<String>,
    pub reflection: Option<(String, Option<String>)>,
    pub commitment: Option<commitments::CommitmentForm>,
    /// (vision, horizon, error) as typed.
    pub vision: Option<(String, String, String)>,
    /// (side, text, weight, error) of a worksheet item as typed.
    pub worksheet: Option<(String, String, String, String)>,
    /// A feedback-report draft as typed, with why it was not saved.
    pub report: Option<(domain::feedback::Parts, String)>,
}

/// The dialogue page again, with a form's problem, and the status to send it with.
pub(crate) async fn again(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    (d, role): (&Dialogue, DialogueRole),
    status: StatusCode,
    retry: Retry,
) -> Result<Response, AppError> {
    let p = render_show(state, page, auth, origin, d, role, retry).await?;
    Ok((status, p).into_response())
}

impl Retry {
    /// A retry that keeps what was typed in every section but `posted`.
    pub fn keeping(form: &FormData, posted: &str) -> Retry {
        Retry {
            kept: Kept::from(form, posted),
            ..Default::default()
        }
    }
}

/// After a section saved: back to the page, unless something typed in another section
/// is not saved yet — then the page comes back now, with the saved section fresh, the
/// others as typed, and the flash of this save.
pub(crate) async fn saved(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    id: i64,
    form: &FormData,
    posted: &str,
) -> Result<Response, AppError> {
    let kept = Kept::from(form, posted);
    if form.names().all(|n| !n.contains('.')) {
        return Ok(back(id));
    }
    let (d, role) = load(state, auth, id).await?;
    let v = app::dialogues::view_of(
        &state.store,
        &auth.caller(origin),
        state.clock.today(),
        d,
        role,
        app::dialogues::Via::Page,
    )
    .await?;
    // Themes ticked but not saved count as unsaved too (their list is not in the view).
    let ticks_unsaved = match &kept.concerns {
        Some(ticked) => {
            let caller = auth.caller(origin);
            let mut stored = app::concerns::of_dialogue(&state.store, &caller, id).await?;
            let keys = app::concerns::list(&state.store, auth.tenant())
                .await?
                .keys();
            let mut ticked: Vec<String> = ticked
                .iter()
                .filter(|t| keys.contains(t))
                .cloned()
                .collect();
            ticked.sort();
            ticked.dedup();
            stored.sort();
            ticked != stored
        }
        None => false,
    };
    if !kept.unsaved(&v) && !ticks_unsaved {
        return Ok(back(id));
    }
    let page = page.with_new_flash().await?;
    let p = page::render_view(
        state,
        &page,
        auth,
        v,
        Retry {
            kept,
            ..Default::default()
        },
    )
    .await?;
    Ok(p.into_response())
}

pub(crate) fn back(id: i64) -> Response {
    Redirect::to(&format!("/dialogues/{id}")).into_response()
}
