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
    MAX_PLACE_CHARS, MAX_SERIES_COUNT, MAX_TOPIC_CHARS, MAX_WITHHELD_CHARS, ScheduleWarning,
    Visibility, WantedResponse,
};
use domain::policy::{self, DialogueRole, ScheduleRefusal};
use domain::question_bank::{BUILT_IN, Category};
use domain::{PersonId, Role};
use store::audit::NewAuditEntry;
use store::dialogues::{Dialogue, Note, NoteEdit, NoteInput, consent_in_force};

pub mod api;
mod booking;
mod calendar;
mod close;
mod commitments;
mod consent;
mod employee;
mod list;
mod notes;
mod page;
mod records;
mod report;
mod vision;
mod worksheet;

use booking::{BookingOutcome, BookingRequest, book_dialogues, may_book, refusal_key};
use page::{NoteDraft, render_show, visibility_label};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(commitments::router())
        .merge(report::router())
        .merge(vision::router())
        .merge(worksheet::router())
        .route("/dialogues", get(list::list).post(booking::book))
        .route("/dialogues/new", get(booking::new_form))
        .route("/dialogues/{id}", get(page::show))
        .route("/dialogues/{id}/calendar.ics", get(calendar::calendar))
        .route("/dialogues/{id}/series.ics", get(calendar::series_calendar))
        .route("/dialogues/{id}/notes", post(notes::add_note))
        .route("/dialogues/{id}/notes/{note}", post(notes::edit_note))
        .route("/dialogues/{id}/close", post(close::close))
        .route("/dialogues/{id}/consent", post(consent::record_consent))
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

/// What to show again after a form on the dialogue page failed.
#[derive(Default)]
pub(crate) struct Retry {
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

pub(crate) fn back(id: i64) -> Response {
    Redirect::to(&format!("/dialogues/{id}")).into_response()
}
