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
use crate::shared::time::{from_jst, jst, when};
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};
use domain::audit::AuditAction;
use domain::dialogue::{
    self, Approach, Cadence, CarryOver, DialogueKind, DialogueState, MAX_NOTE_CHARS,
    MAX_PLACE_CHARS, MAX_SERIES_COUNT, MAX_TOPIC_CHARS, MAX_WITHHELD_CHARS, ScheduleWarning,
    Visibility, WantedResponse,
};
use domain::policy::{self, DialogueRole, Relation, ScheduleFacts, ScheduleRefusal};
use domain::question_bank::{BUILT_IN, Category};
use domain::{PersonId, Role, UserId};
use store::audit::NewAuditEntry;
use store::dialogues::{Dialogue, NewDialogue, Note, NoteEdit, NoteInput, consent_in_force};

pub mod api;
mod commitments;
mod report;
mod vision;
mod worksheet;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(commitments::router())
        .merge(report::router())
        .merge(vision::router())
        .merge(worksheet::router())
        .route("/dialogues", get(list).post(book))
        .route("/dialogues/new", get(new_form))
        .route("/dialogues/{id}", get(show))
        .route("/dialogues/{id}/calendar.ics", get(calendar))
        .route("/dialogues/{id}/series.ics", get(series_calendar))
        .route("/dialogues/{id}/notes", post(add_note))
        .route("/dialogues/{id}/notes/{note}", post(edit_note))
        .route("/dialogues/{id}/close", post(close))
        .route("/dialogues/{id}/consent", post(record_consent))
        .route("/dialogues/{id}/consent/withdraw", post(withdraw_consent))
        .route("/dialogues/{id}/topics", post(add_topic))
        .route("/dialogues/{id}/reflection", post(reflect))
        .route("/my/records", get(my_records))
        .route("/my/records.csv", get(my_records_csv))
        .route("/my/records.pdf", get(my_records_pdf))
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

// ----- booking -----

/// What someone asked to book, parsed.
#[derive(Debug, Clone)]
pub(crate) struct BookingRequest {
    pub kind: DialogueKind,
    pub subject: PersonId,
    pub facilitator: UserId,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub place: String,
    pub cadence: Option<Cadence>,
    pub count: u32,
    /// The person booking saw the warnings and books anyway.
    pub confirmed: bool,
}

/// What came of a booking request.
pub(crate) enum BookingOutcome {
    Booked(Vec<i64>),
    /// Needs a second look; nothing was written.
    Warn(Vec<ScheduleWarning>),
    Refused(ScheduleRefusal),
}

/// Asks the policy, checks the time, and books. Shared by the page and the API.
pub(crate) async fn book_dialogues(
    state: &AppState,
    actor: &policy::Actor,
    req: &BookingRequest,
) -> Result<BookingOutcome, store::StoreError> {
    let tenant = actor.tenant_id;
    let facilitator = state.store.user(tenant, req.facilitator).await?;
    let fac_actor = crate::shared::auth::actor_for(state, &facilitator).await?;
    let relation = state
        .store
        .relation(tenant, facilitator.person_id, req.subject)
        .await?;
    let facts = ScheduleFacts {
        tenant,
        kind: req.kind,
        facilitator: req.facilitator,
        facilitator_is_consultant: fac_actor.has(Role::Consultant),
        facilitator_is_mentor: fac_actor.has(Role::Mentor),
        facilitator_person: facilitator.person_id,
        subject: req.subject,
        facilitator_assigned: state
            .store
            .is_assigned(tenant, req.facilitator, req.subject)
            .await?,
        subject_reports_to_facilitator: relation == Relation::InReportingLine,
    };
    if let Err(r) = policy::may_schedule(actor, &facts) {
        return Ok(BookingOutcome::Refused(r));
    }
    let starts: Vec<NaiveDateTime> = match req.cadence {
        Some(c) => c.occurrences(req.start, req.count.clamp(1, MAX_SERIES_COUNT)),
        None => vec![req.start],
    };
    if !req.confirmed {
        let (Some(first), Some(last)) = (starts.first(), starts.last()) else {
            return Ok(BookingOutcome::Booked(Vec::new()));
        };
        let span = chrono::Duration::hours(5);
        let others: Vec<(i64, NaiveDateTime, u32)> = state
            .store
            .bookings_between(
                tenant,
                req.facilitator,
                from_jst(*first) - span,
                from_jst(*last) + span,
            )
            .await?
            .into_iter()
            .map(|(id, s, m)| (id, jst(s), m.clamp(0, i64::from(u32::MAX)) as u32))
            .collect();
        let now = jst(state.clock.now());
        let mut warnings = Vec::new();
        for s in &starts {
            for w in dialogue::schedule_warnings(*s, req.duration_minutes, now, &others) {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        if !warnings.is_empty() {
            return Ok(BookingOutcome::Warn(warnings));
        }
    }
    let ids = state
        .store
        .create_dialogues(
            tenant,
            &NewDialogue {
                kind: req.kind,
                subject: req.subject,
                facilitator: req.facilitator,
                duration_minutes: req.duration_minutes,
                place: req.place.clone(),
                created_by: actor.user_id,
                starts: starts.into_iter().map(from_jst).collect(),
                cadence: req.cadence,
            },
        )
        .await?;
    Ok(BookingOutcome::Booked(ids))
}

/// A person the booking form offers.
pub struct Candidate {
    pub id: i64,
    pub label: String,
}

/// The booking form as typed.
#[derive(Default, Clone)]
pub struct BookingForm {
    pub kind: String,
    pub subject: String,
    pub subject_number: String,
    pub facilitator_email: String,
    pub date: String,
    pub time: String,
    pub duration: String,
    pub place: String,
    pub repeat: String,
    pub count: String,
}

impl BookingForm {
    fn from(form: &FormData) -> BookingForm {
        BookingForm {
            kind: form.get("kind").into(),
            subject: form.get("subject").into(),
            subject_number: form.get("subject_number").trim().into(),
            facilitator_email: form.get("facilitator_email").trim().into(),
            date: form.get("date").trim().into(),
            time: form.get("time").trim().into(),
            duration: form.get("duration").trim().into(),
            place: form.get("place").into(),
            repeat: form.get("repeat").into(),
            count: form.get("count").trim().into(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dialogue_new.html")]
struct NewPage {
    shell: Shell,
    form: BookingForm,
    kinds: Vec<(&'static str, String)>,
    candidates: Vec<Candidate>,
    may_book_for_others: bool,
    /// (field, message)
    errors: Vec<(&'static str, String)>,
    warnings: Vec<String>,
    place_limit: usize,
    max_count: u32,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The people the actor typically books with: a consultant's assigned people, a
/// manager's reporting line.
async fn candidates(state: &AppState, auth: &Auth) -> Result<Vec<Candidate>, AppError> {
    let mut out = Vec::new();
    if auth.actor.has(Role::Consultant) {
        for p in state
            .store
            .assigned_people(auth.tenant(), auth.user.id)
            .await?
        {
            out.push(Candidate {
                id: p.person_id,
                label: format!("{}（{}）", p.name, p.employee_number),
            });
        }
    }
    if let (true, Some(me)) = (auth.actor.has(Role::Manager), auth.actor.person_id) {
        for (_, p) in state.store.reports_of(auth.tenant(), me).await? {
            if !out.iter().any(|c| c.id == p.id) {
                out.push(Candidate {
                    id: p.id,
                    label: format!("{}（{}）", p.name, p.employee_number),
                });
            }
        }
    }
    Ok(out)
}

/// Who may open the booking form at all: those who facilitate, and HR.
fn may_book(auth: &Auth) -> bool {
    [Role::Consultant, Role::Manager, Role::Mentor, Role::Hr]
        .into_iter()
        .any(|r| auth.actor.has(r))
        || auth.actor.person_id.is_some()
}

async fn render_new(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    form: BookingForm,
    errors: Vec<(&'static str, String)>,
    warnings: Vec<String>,
) -> Result<NewPage, AppError> {
    Ok(NewPage {
        shell: page.shell(Some(auth), "/dialogues"),
        form,
        kinds: DialogueKind::ALL
            .into_iter()
            .map(|k| (k.key(), page.t(&format!("dialogue.kind.{}", k.key()))))
            .collect(),
        candidates: candidates(state, auth).await?,
        may_book_for_others: auth.actor.has(Role::Hr),
        errors,
        warnings,
        place_limit: MAX_PLACE_CHARS,
        max_count: MAX_SERIES_COUNT,
    })
}

#[derive(serde::Deserialize)]
struct NewQuery {
    subject: Option<i64>,
    kind: Option<String>,
}

/// GET /dialogues/new — the booking form.
async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, AppError> {
    need(may_book(&auth))?;
    let tomorrow = state.clock.today() + chrono::Duration::days(1);
    let default_kind = if auth.actor.has(Role::Consultant) {
        DialogueKind::CareerInterview
    } else {
        DialogueKind::OneOnOne
    };
    let form = BookingForm {
        kind: q
            .kind
            .filter(|k| DialogueKind::parse(k).is_some())
            .unwrap_or_else(|| default_kind.key().into()),
        subject: q.subject.map(|s| s.to_string()).unwrap_or_default(),
        date: tomorrow.format("%Y-%m-%d").to_string(),
        time: "10:00".into(),
        duration: "60".into(),
        repeat: "none".into(),
        count: "6".into(),
        ..Default::default()
    };
    render_new(&state, &page, &auth, form, Vec::new(), Vec::new()).await
}

fn warning_text(page: &Page, w: &ScheduleWarning) -> String {
    match w {
        ScheduleWarning::InThePast => page.t("dialogue.warn_past"),
        ScheduleWarning::Overlaps { starts_at, .. } => page.tf(
            "dialogue.warn_overlap",
            "at",
            starts_at.format("%Y-%m-%d %H:%M"),
        ),
    }
}

pub(crate) fn refusal_key(r: ScheduleRefusal) -> &'static str {
    match r {
        ScheduleRefusal::NotYours => "dialogue.refused.not_yours",
        ScheduleRefusal::WithThemselves => "dialogue.refused.with_themselves",
        ScheduleRefusal::ConsultantNotAssigned => "dialogue.refused.not_assigned",
        ScheduleRefusal::NotInReportingLine => "dialogue.refused.not_in_line",
        ScheduleRefusal::SameReportingLine => "dialogue.refused.same_line",
        ScheduleRefusal::NotAMentor => "dialogue.refused.not_a_mentor",
        ScheduleRefusal::NoPerson => "dialogue.refused.no_person",
    }
}

/// POST /dialogues — books, or shows the form again with what was typed and every problem.
async fn book(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    need(may_book(&auth))?;
    let typed = BookingForm::from(&form);
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let kind = DialogueKind::parse(&typed.kind);
    if kind.is_none() {
        errors.push(("kind", page.t("dialogue.error.kind")));
    }
    let subject = if !typed.subject_number.is_empty() {
        state
            .store
            .person_by_number(auth.tenant(), &typed.subject_number)
            .await?
            .map(|p| PersonId(p.id))
    } else {
        match typed.subject.parse::<i64>() {
            Ok(id) => state
                .store
                .person(auth.tenant(), PersonId(id))
                .await?
                .map(|p| PersonId(p.id)),
            Err(_) => None,
        }
    };
    if subject.is_none() {
        errors.push(("subject", page.t("dialogue.error.subject")));
    }
    let facilitator = if typed.facilitator_email.is_empty() || !auth.actor.has(Role::Hr) {
        Some(auth.user.id)
    } else {
        match domain::EmailAddress::parse(&typed.facilitator_email) {
            Ok(e) => state
                .store
                .user_by_email(auth.tenant(), &e)
                .await?
                .filter(|u| !u.disabled)
                .map(|u| u.id),
            Err(_) => None,
        }
    };
    if facilitator.is_none() {
        errors.push(("facilitator_email", page.t("dialogue.error.facilitator")));
    }
    let date = NaiveDate::parse_from_str(&typed.date, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(("date", page.t("dialogue.error.date")));
    }
    let time = NaiveTime::parse_from_str(&typed.time, "%H:%M").ok();
    if time.is_none() {
        errors.push(("time", page.t("dialogue.error.time")));
    }
    let duration = typed
        .duration
        .parse::<u32>()
        .ok()
        .filter(|m| dialogue::DURATION_MINUTES.contains(m));
    if duration.is_none() {
        errors.push((
            "duration",
            page.lang.catalog().format(
                "dialogue.error.duration",
                &[
                    ("min", dialogue::DURATION_MINUTES.start()),
                    ("max", dialogue::DURATION_MINUTES.end()),
                ],
            ),
        ));
    }
    let place = match dialogue::parse_text(&typed.place, MAX_PLACE_CHARS) {
        Ok(p) => p,
        Err(_) => {
            errors.push((
                "place",
                page.tf("dialogue.error.too_long", "n", MAX_PLACE_CHARS),
            ));
            String::new()
        }
    };
    let cadence = Cadence::parse(&typed.repeat);
    let count = if cadence.is_some() {
        match typed.count.parse::<u32>() {
            Ok(n) if (2..=MAX_SERIES_COUNT).contains(&n) => n,
            _ => {
                errors.push((
                    "count",
                    page.tf("dialogue.error.count", "max", MAX_SERIES_COUNT),
                ));
                1
            }
        }
    } else {
        1
    };
    let (Some(kind), Some(subject), Some(facilitator), Some(date), Some(time), Some(duration)) =
        (kind, subject, facilitator, date, time, duration)
    else {
        let p = render_new(&state, &page, &auth, typed, errors, Vec::new()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    if !errors.is_empty() {
        let p = render_new(&state, &page, &auth, typed, errors, Vec::new()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let req = BookingRequest {
        kind,
        subject,
        facilitator,
        start: date.and_time(time),
        duration_minutes: duration,
        place,
        cadence,
        count,
        confirmed: form.get("confirm") == "1",
    };
    match book_dialogues(&state, &auth.actor, &req).await? {
        BookingOutcome::Booked(ids) => {
            let first = ids.first().copied().ok_or_else(AppError::not_found)?;
            set_flash(
                &page.session,
                "success",
                if ids.len() > 1 {
                    page.tf("dialogue.booked_series", "n", ids.len())
                } else {
                    page.t("dialogue.booked")
                },
            )
            .await?;
            Ok(Redirect::to(&format!("/dialogues/{first}")).into_response())
        }
        BookingOutcome::Warn(ws) => {
            let warnings = ws.iter().map(|w| warning_text(&page, w)).collect();
            let p = render_new(&state, &page, &auth, typed, Vec::new(), warnings).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        BookingOutcome::Refused(r) => {
            let p = render_new(
                &state,
                &page,
                &auth,
                typed,
                vec![("kind", page.t(refusal_key(r)))],
                Vec::new(),
            )
            .await?;
            Ok((StatusCode::FORBIDDEN, p).into_response())
        }
    }
}

// ----- lists -----

#[derive(Template, WebTemplate)]
#[template(path = "dialogues.html")]
struct ListPage {
    shell: Shell,
    upcoming: Vec<Row>,
    past: Vec<Row>,
    booked: Vec<Row>,
    is_hr: bool,
    members: Vec<Row>,
    is_manager: bool,
    check_ins: Vec<CheckIn>,
}

/// GET /dialogues — 面談: the dialogues I hold (and, for HR, those I booked for others).
async fn list(State(state): State<AppState>, page: Page, auth: Auth) -> Result<ListPage, AppError> {
    need(may_book(&auth))?;
    let mine = state
        .store
        .dialogues_facilitated_by(auth.tenant(), auth.user.id)
        .await?;
    let now = state.clock.now();
    let (mut past, upcoming): (Vec<&Dialogue>, Vec<&Dialogue>) = mine
        .iter()
        .partition(|d| d.is_closed() || d.ends_at() < now);
    past.reverse();
    // A manager learns when their reports had dialogues with others (date and kind only).
    let mut of_members = Vec::new();
    if let (true, Some(me)) = (auth.actor.has(Role::Manager), auth.actor.person_id) {
        let line: Vec<PersonId> = state
            .store
            .reports_of(auth.tenant(), me)
            .await?
            .into_iter()
            .map(|(_, p)| PersonId(p.id))
            .collect();
        for d in state
            .store
            .dialogues_about_any(auth.tenant(), &line)
            .await?
        {
            if app::dialogues::role_in(&state.store, &auth.actor, &d).await?
                == DialogueRole::SubjectsManager
            {
                of_members.push(d);
            }
        }
        of_members.reverse();
    }
    // Follow-ups due on commitments made in my dialogues (始めましたか？).
    let recorded = state
        .store
        .commitments_recorded_by_facilitator(auth.tenant(), auth.user.id)
        .await?;
    let mut check_ins = Vec::new();
    let grace = state.store.check_in_grace_days(auth.tenant()).await?;
    for c in app::commitments::due_check_ins(&recorded, grace, state.clock.today()) {
        let subject = mine
            .iter()
            .find(|d| d.id == c.dialogue_id)
            .map(|d| d.subject_name.clone())
            .unwrap_or_default();
        check_ins.push(CheckIn {
            dialogue_id: c.dialogue_id,
            action: c.content.action.clone(),
            starts_on: c.starts_on.to_string(),
            subject,
        });
    }
    let booked = if auth.actor.has(Role::Hr) {
        state
            .store
            .dialogues_booked_by(auth.tenant(), auth.user.id)
            .await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        shell: page.shell(Some(&auth), "/dialogues"),
        upcoming: upcoming.into_iter().map(|d| row(&page, d)).collect(),
        past: past.into_iter().map(|d| row(&page, d)).collect(),
        booked: booked.iter().map(|d| row(&page, d)).collect(),
        is_hr: auth.actor.has(Role::Hr),
        members: of_members.iter().map(|d| row(&page, d)).collect(),
        is_manager: auth.actor.has(Role::Manager),
        check_ins,
    })
}

// ----- the dialogue page -----

pub struct NoteView {
    pub id: i64,
    pub body: String,
    pub visibility: &'static str,
    pub visibility_label: String,
    pub carry_over: &'static str,
    pub carry_label: String,
    pub category: String,
    pub category_label: String,
    pub revision: i64,
    pub after_close: bool,
    pub updated: String,
    /// (revision, text, written at) of earlier wordings.
    pub history: Vec<(i64, String, String)>,
}

pub struct Carried {
    pub from: String,
    pub label: String,
    pub body: String,
}

pub struct TopicView {
    pub wanted: String,
    pub body: String,
}

pub struct Suggestion {
    pub label: String,
    pub covered: bool,
    pub questions: Vec<String>,
}

pub struct ConsentView {
    /// `given`, `refused`, `withdrawn`
    pub status: &'static str,
    pub status_label: String,
    pub withheld: String,
    /// (when, what, withheld topics)
    pub events: Vec<(String, String, String)>,
}

/// The add-note form as typed, or an edit that could not be saved.
#[derive(Default)]
pub struct NoteDraft {
    pub body: String,
    pub visibility: String,
    pub carry_over: String,
    pub category: String,
    pub error: Option<String>,
    /// Set when the draft belongs to an existing item (edit).
    pub note_id: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dialogue.html")]
struct ShowPage {
    shell: Shell,
    d: Row,
    duration: i64,
    series: bool,
    closed: bool,
    role: &'static str,
    consultant_session: bool,
    may_manage: bool,
    may_calendar: bool,
    // the facilitator's preparation
    sheet: Vec<(String, String)>,
    sheet_horizon: Option<u8>,
    sheet_saved: bool,
    carried: Vec<Carried>,
    topics: Vec<TopicView>,
    suggestions: Vec<Suggestion>,
    approach: Option<(String, String)>,
    // notes
    notes: Vec<NoteView>,
    draft: NoteDraft,
    visibilities: Vec<(&'static str, String, String)>,
    carry_options: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, String)>,
    note_limit: usize,
    // consent
    consent: Option<ConsentView>,
    consent_error: Option<String>,
    withheld_limit: usize,
    // the employee
    wanted_options: Vec<(&'static str, String)>,
    topic_text: String,
    topic_error: Option<String>,
    topic_limit: usize,
    rating: Option<i64>,
    rating_options: Vec<(i64, String)>,
    reflection: String,
    reflection_error: Option<String>,
    // commitments (行動計画)
    commitments: Vec<commitments::CommitmentView>,
    commitment_form: commitments::CommitmentForm,
    commitment_check: Option<commitments::CheckView>,
    commitment_limit: usize,
    milestone: bool,
    milestone_number: usize,
    outcome: Option<String>,
    subject_id: i64,
    status_options: Vec<(&'static str, String)>,
    report: Option<report::DraftView>,
    report_error: Option<String>,
    /// The vision recorded in this interview: (text, horizon) — facilitator and subject.
    vision: Option<(String, i64)>,
    /// The vision form as typed, with its problem.
    vision_form: (String, String, Option<String>),
    mechanism: Option<worksheet::MechanismView>,
    /// The worksheet form as typed: (side, text, weight, error).
    worksheet_form: (String, String, String, Option<String>),
}

impl ShowPage {
    /// Is the commitment form showing an edit of this commitment (after a problem)?
    fn editing(&self, id: &i64) -> bool {
        self.commitment_form.id == Some(*id)
    }

    fn rated(&self, n: &i64) -> bool {
        self.rating == Some(*n)
    }

    fn has_draft_for(&self, id: &i64) -> bool {
        self.draft.note_id == Some(*id)
    }
}

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

fn visibility_label(page: &Page, v: Visibility) -> String {
    page.t(&format!("dialogue.visibility.{}", v.key()))
}

async fn render_show(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    d: &Dialogue,
    role: DialogueRole,
    retry: Retry,
) -> Result<ShowPage, AppError> {
    let subject = role == DialogueRole::Subject;
    let role_key = match role {
        DialogueRole::Facilitator => "facilitator",
        DialogueRole::Subject => "subject",
        DialogueRole::SubjectsManager => "manager",
        DialogueRole::Scheduler => "scheduler",
        DialogueRole::Outsider => return Err(AppError::forbidden()),
    };
    // Everything confidential comes through the application layer, as the policy allows.
    let v = app::dialogues::view_of(
        &state.store,
        &auth.caller(origin),
        state.clock.today(),
        d.clone(),
        role,
        app::dialogues::Via::Page,
    )
    .await?;
    let d = &v.dialogue;
    let note_views = v
        .notes
        .iter()
        .map(|r| {
            let n = &r.note;
            let category = n.question_category.clone().unwrap_or_default();
            NoteView {
                id: n.id,
                body: n.body.clone(),
                visibility: n.visibility.key(),
                visibility_label: visibility_label(page, n.visibility),
                carry_over: n.carry_over.key(),
                carry_label: page.t(&format!("dialogue.carry.{}", n.carry_over.key())),
                category_label: if category.is_empty() {
                    String::new()
                } else {
                    page.t(&format!("questions.category.{category}"))
                },
                category,
                revision: n.revision,
                after_close: n.after_close,
                updated: when(n.updated_at),
                history: r
                    .history
                    .iter()
                    .map(|h| (h.revision, h.body.clone(), when(h.replaced_at)))
                    .collect(),
            }
        })
        .collect();
    // The facilitator's preparation.
    let (mut sheet, mut sheet_horizon, mut sheet_saved) = (Vec::new(), None, false);
    let (mut carried, mut suggestions, mut approach) = (Vec::new(), Vec::new(), None);
    if let Some(prep) = &v.preparation {
        if let Some(shared) = &prep.sheet {
            sheet_saved = true;
            sheet_horizon = shared.vision_horizon_years;
            sheet = shared
                .sections
                .iter()
                .filter(|(_, e)| !e.text.is_empty())
                .map(|(s, e)| {
                    (
                        page.t(&format!("sheet.section.{}", s.key())),
                        e.text.clone(),
                    )
                })
                .collect();
        }
        for (from, n) in &prep.carried {
            carried.push(Carried {
                from: when(*from),
                label: page.t(&format!("dialogue.carry.{}", n.carry_over.key())),
                body: n.body.clone(),
            });
        }
        let own = state.store.tenant_questions(auth.tenant()).await?;
        let english = page.lang == crate::shared::i18n::Lang::En;
        let mut all: Vec<Suggestion> = Category::ALL
            .into_iter()
            .map(|c| Suggestion {
                label: page.t(&format!("questions.category.{}", c.key())),
                covered: prep.covered.iter().any(|k| k == c.key()),
                questions: BUILT_IN
                    .iter()
                    .filter(|b| b.category == c)
                    .map(|b| if english { b.en } else { b.ja }.to_string())
                    .chain(own.iter().filter(|q| q.category == c).map(|q| {
                        if english && !q.text_en.is_empty() {
                            q.text_en.clone()
                        } else {
                            q.text_ja.clone()
                        }
                    }))
                    .collect(),
            })
            .collect();
        // Categories not yet covered with this person come first.
        all.sort_by_key(|s| s.covered);
        suggestions = all;
        let tenure = prep.tenure_years;
        approach = dialogue::approach_for(tenure).map(|a| {
            let key = match a {
                Approach::Coaching => "coaching",
                Approach::Teaching => "teaching",
            };
            (
                page.t(&format!("dialogue.approach.{key}")),
                page.tf(
                    &format!("dialogue.approach.{key}_hint"),
                    "years",
                    tenure.unwrap_or_default(),
                ),
            )
        });
    }
    // The employee's topics: theirs to write, the facilitator's to read.
    let topics = v
        .topics
        .iter()
        .map(|t| TopicView {
            wanted: page.t(&format!("dialogue.wanted.{}", t.wanted.key())),
            body: t.body.clone(),
        })
        .collect();
    // Consent: the facilitator and the employee see it.
    let consent = v.consent.as_ref().and_then(|cs| {
        cs.in_force.as_ref().map(|c| {
            let status = if c.withdrawn {
                "withdrawn"
            } else if c.agreed {
                "given"
            } else {
                "refused"
            };
            ConsentView {
                status,
                status_label: page.t(&format!("dialogue.consent.status.{status}")),
                withheld: c.withheld.clone(),
                events: cs
                    .events
                    .iter()
                    .map(|e| {
                        (
                            when(e.recorded_at),
                            page.t(&format!("dialogue.consent.event.{}", e.event)),
                            e.withheld.clone(),
                        )
                    })
                    .collect(),
            }
        })
    });
    let default_visibility = d.kind.default_visibility().key();
    let mut draft = retry.draft;
    if draft.visibility.is_empty() {
        draft.visibility = default_visibility.into();
    }
    if draft.carry_over.is_empty() {
        draft.carry_over = CarryOver::None.key().into();
    }
    let commitments = v
        .commitments
        .iter()
        .map(|c| commitments::view(page, c))
        .collect();
    let commitment_form = retry.commitment.unwrap_or_default();
    let commitment_check = (commitment_form.id.is_none() && !commitment_form.action.is_empty())
        .then(|| commitments::CheckView::of(&commitment_form.action, page.lang));
    let milestone = d.kind == DialogueKind::MilestoneInterview;
    let milestone_number = if milestone && v.parts.commitments {
        commitments::milestone_session_number(state, auth, d).await?
    } else {
        0
    };
    let outcome = d
        .outcome
        .as_ref()
        .map(|o| page.t(&format!("commitment.outcome.{o}")));
    let (reflection, reflection_error) = match retry.reflection {
        Some((t, e)) => (t, e),
        None => (d.subject_reflection.clone().unwrap_or_default(), None),
    };
    Ok(ShowPage {
        shell: page.shell(Some(auth), if subject { "/my" } else { "/dialogues" }),
        d: row(page, d),
        duration: d.duration_minutes,
        series: d.series_id.is_some(),
        closed: d.is_closed(),
        role: role_key,
        consultant_session: d.kind.is_consultant_session(),
        may_manage: policy::may_manage_dialogue(role),
        may_calendar: policy::may_download_calendar(role),
        sheet,
        sheet_horizon,
        sheet_saved,
        carried,
        topics,
        suggestions,
        approach,
        notes: note_views,
        draft,
        visibilities: Visibility::ALL
            .into_iter()
            .map(|v| {
                (
                    v.key(),
                    visibility_label(page, v),
                    page.t(&format!("dialogue.visibility_help.{}", v.key())),
                )
            })
            .collect(),
        carry_options: CarryOver::ALL
            .into_iter()
            .map(|c| (c.key(), page.t(&format!("dialogue.carry.{}", c.key()))))
            .collect(),
        categories: Category::ALL
            .into_iter()
            .map(|c| (c.key(), page.t(&format!("questions.category.{}", c.key()))))
            .collect(),
        note_limit: MAX_NOTE_CHARS,
        consent,
        consent_error: retry.consent_error,
        withheld_limit: MAX_WITHHELD_CHARS,
        wanted_options: WantedResponse::ALL
            .into_iter()
            .map(|w| (w.key(), page.t(&format!("dialogue.wanted.{}", w.key()))))
            .collect(),
        topic_text: retry.topic_text,
        topic_error: retry.topic_error,
        topic_limit: MAX_TOPIC_CHARS,
        rating: d.subject_rating,
        rating_options: (1..=5)
            .map(|n| (n, page.t(&format!("dialogue.rating.{n}"))))
            .collect(),
        reflection,
        reflection_error,
        commitments,
        commitment_form,
        commitment_check,
        commitment_limit: domain::commitment::MAX_ACTION_CHARS,
        milestone,
        milestone_number,
        outcome,
        subject_id: d.subject.0,
        report_error: retry.report.as_ref().map(|(_, e)| e.clone()),
        report: report::draft_view(state, page, auth, &v, retry.report.map(|(p, _)| p)).await?,
        vision: d.vision.clone().zip(d.vision_horizon),
        mechanism: worksheet::view(state, page, auth, &v).await?,
        worksheet_form: match retry.worksheet {
            Some((side, text, weight, e)) => (side, text, weight, Some(e)),
            None => ("merit".into(), String::new(), "3".into(), None),
        },
        vision_form: match retry.vision {
            Some((v, h, e)) => (v, h, Some(e)),
            None => (
                d.vision.clone().unwrap_or_default(),
                d.vision_horizon.map(|h| h.to_string()).unwrap_or_default(),
                None,
            ),
        },
        status_options: domain::commitment::Status::ALL
            .into_iter()
            .map(|st| (st.key(), page.t(&format!("commitment.status.{}", st.key()))))
            .collect(),
    })
}

/// GET /dialogues/{id}
async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<ShowPage, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    render_show(&state, &page, &auth, &origin, &d, role, Retry::default()).await
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

/// A note item from a form, or the draft to show again with its problem.
fn parse_note(page: &Page, form: &FormData) -> Result<NoteInput, Box<NoteDraft>> {
    let mut draft = NoteDraft {
        body: form.get("body").to_string(),
        visibility: form.get("visibility").to_string(),
        carry_over: form.get("carry_over").to_string(),
        category: form.get("category").to_string(),
        error: None,
        note_id: None,
    };
    let visibility = Visibility::parse(&draft.visibility);
    let carry_over = CarryOver::parse(&draft.carry_over).or(Some(CarryOver::None));
    let category = if draft.category.is_empty() {
        Some(None)
    } else {
        Category::parse(&draft.category).map(|c| Some(c.key().to_string()))
    };
    let body = dialogue::parse_note_body(&draft.body);
    match (visibility, carry_over, category, body) {
        (Some(visibility), Some(carry_over), Some(question_category), Ok(body)) => Ok(NoteInput {
            visibility,
            carry_over,
            question_category,
            body,
        }),
        (_, _, _, Err("empty")) => {
            draft.error = Some(page.t("dialogue.error.note_empty"));
            Err(Box::new(draft))
        }
        (_, _, _, Err(_)) => {
            draft.error = Some(page.tf("dialogue.error.too_long", "n", MAX_NOTE_CHARS));
            Err(Box::new(draft))
        }
        _ => {
            draft.error = Some(page.t("dialogue.error.note_fields"));
            Err(Box::new(draft))
        }
    }
}

/// POST /dialogues/{id}/notes — the facilitator adds an item (after closing: an addendum).
async fn add_note(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    match parse_note(&page, &form) {
        Ok(note) => {
            state
                .store
                .add_note(auth.tenant(), &d, auth.user.id, &note)
                .await?;
            set_flash(&page.session, "success", page.t("dialogue.note_added")).await?;
            Ok(back(id))
        }
        Err(draft) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    draft: *draft,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

/// POST /dialogues/{id}/notes/{note} — the author edits an item while the dialogue is
/// open; a stale edit (another tab saved first) or an edit after closing writes nothing
/// and keeps what was typed.
async fn edit_note(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, note_id)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    let before = state
        .store
        .note(auth.tenant(), note_id)
        .await?
        .filter(|n| n.dialogue_id == d.id)
        .ok_or_else(AppError::not_found)?;
    let base: i64 = form.get("revision").parse().unwrap_or(-1);
    let note = match parse_note(&page, &form) {
        Ok(n) => n,
        Err(mut draft) => {
            draft.note_id = Some(note_id);
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    draft: *draft,
                    ..Default::default()
                },
            )
            .await;
        }
    };
    let keep = |error: String| NoteDraft {
        body: note.body.clone(),
        visibility: note.visibility.key().into(),
        carry_over: note.carry_over.key().into(),
        category: note.question_category.clone().unwrap_or_default(),
        error: Some(error),
        note_id: Some(note_id),
    };
    let outcome = state
        .store
        .edit_note(auth.tenant(), note_id, auth.user.id, base, &note)
        .await?;
    let (status, draft) = match outcome {
        NoteEdit::Saved { .. } => {
            if before.visibility != note.visibility {
                auth.audit(
                    &state,
                    &origin,
                    NewAuditEntry::new(Some(auth.tenant()), AuditAction::VisibilityChanged)
                        .target("note", note_id)
                        .detail(format!(
                            "{} → {}",
                            before.visibility.key(),
                            note.visibility.key()
                        )),
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("dialogue.note_saved")).await?;
            return Ok(back(id));
        }
        NoteEdit::Stale { latest } => (
            StatusCode::CONFLICT,
            keep(page.tf("dialogue.error.note_stale", "revision", latest)),
        ),
        // Closed: items no longer change, so what was typed goes into the addendum form.
        NoteEdit::Closed => (
            StatusCode::CONFLICT,
            NoteDraft {
                note_id: None,
                ..keep(page.t("dialogue.error.note_closed"))
            },
        ),
        NoteEdit::NotAuthor => return Err(AppError::forbidden()),
    };
    again(
        &state,
        &page,
        &auth,
        &origin,
        (&d, role),
        status,
        Retry {
            draft,
            ..Default::default()
        },
    )
    .await
}

/// POST /dialogues/{id}/close — held (記録を確定), cancelled or no-show.
async fn close(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_manage_dialogue(role))?;
    let to = DialogueState::parse(form.get("state"))
        .ok_or(AppError::Page(crate::shared::error::ErrorPage::BadRequest))?;
    // HR who booked it may cancel it; only the facilitator knows it was held or missed.
    need(role == DialogueRole::Facilitator || to == DialogueState::Cancelled)?;
    // A milestone interview ends in a commitment, or in booking the next session.
    if d.kind == DialogueKind::MilestoneInterview && to == DialogueState::Held && !d.is_closed() {
        use commitments::MilestoneClose;
        let (outcome, msg) = match commitments::milestone_close(&state, &auth, &d).await? {
            MilestoneClose::Committed => ("committed", "commitment.closed_committed"),
            MilestoneClose::Continued => ("continued", "commitment.closed_continued"),
            MilestoneClose::NeedsNextSession => {
                set_flash(
                    &page.session,
                    "error",
                    page.t("commitment.error.needs_next_session"),
                )
                .await?;
                return Ok(back(id));
            }
        };
        let done = state
            .store
            .close_with_outcome(auth.tenant(), d.id, outcome)
            .await?;
        set_flash(
            &page.session,
            if done { "success" } else { "error" },
            page.t(if done {
                msg
            } else {
                "dialogue.error.already_closed"
            }),
        )
        .await?;
        return Ok(back(id));
    }
    if state.store.close_dialogue(auth.tenant(), d.id, to).await? {
        set_flash(
            &page.session,
            "success",
            page.t(&format!("dialogue.closed.{}", to.key())),
        )
        .await?;
    } else {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.error.already_closed"),
        )
        .await?;
    }
    Ok(back(id))
}

/// Appends a consent event and audits the change: consent is never changed silently.
async fn change_consent(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    d: &Dialogue,
    event: &str,
    withheld: &str,
) -> Result<(), AppError> {
    state
        .store
        .record_consent(auth.tenant(), d.id, event, withheld, auth.user.id)
        .await?;
    auth.audit(
        state,
        origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::ConsentChanged)
            .target("dialogue", d.id)
            .detail(event),
    )
    .await?;
    Ok(())
}

/// POST /dialogues/{id}/consent — the consultant records the employee's answer and what
/// they ask to withhold from their manager.
async fn record_consent(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_record_consent(role) && d.kind.is_consultant_session())?;
    let event = match form.get("agreed") {
        "yes" => "given",
        "no" => "refused",
        _ => {
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    consent_error: Some(page.t("dialogue.error.consent_choice")),
                    ..Default::default()
                },
            )
            .await;
        }
    };
    let Ok(withheld) = dialogue::parse_text(form.get("withheld"), MAX_WITHHELD_CHARS) else {
        return again(
            &state,
            &page,
            &auth,
            &origin,
            (&d, role),
            StatusCode::UNPROCESSABLE_ENTITY,
            Retry {
                consent_error: Some(page.tf("dialogue.error.too_long", "n", MAX_WITHHELD_CHARS)),
                ..Default::default()
            },
        )
        .await;
    };
    change_consent(&state, &auth, &origin, &d, event, &withheld).await?;
    set_flash(
        &page.session,
        "success",
        page.t("dialogue.consent.recorded"),
    )
    .await?;
    Ok(back(id))
}

/// POST /dialogues/{id}/consent/withdraw — the employee (or the consultant for them)
/// withdraws consent; from now on nothing may be fed back to the manager.
async fn withdraw_consent(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    _form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_withdraw_consent(role) && d.kind.is_consultant_session())?;
    let events = state.store.consent_events(auth.tenant(), d.id).await?;
    if !consent_in_force(&events).is_some_and(|c| c.permits_feedback()) {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.consent.nothing_to_withdraw"),
        )
        .await?;
        return Ok(back(id));
    }
    change_consent(&state, &auth, &origin, &d, "withdrawn", "").await?;
    set_flash(
        &page.session,
        "success",
        page.t("dialogue.consent.withdrawn"),
    )
    .await?;
    Ok(back(id))
}

/// POST /dialogues/{id}/topics — the employee prepares a topic, with the response wanted.
async fn add_topic(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Subject)?;
    let typed = form.get("body").to_string();
    let problem = match (
        WantedResponse::parse(form.get("wanted")),
        dialogue::parse_text(&typed, MAX_TOPIC_CHARS),
    ) {
        _ if d.is_closed() => Some(page.t("dialogue.error.topic_closed")),
        (_, Err(_)) => Some(page.tf("dialogue.error.too_long", "n", MAX_TOPIC_CHARS)),
        (_, Ok(b)) if b.is_empty() => Some(page.t("dialogue.error.topic_empty")),
        (None, _) => Some(page.t("dialogue.error.wanted")),
        (Some(w), Ok(body)) => {
            state
                .store
                .add_topic(auth.tenant(), d.id, auth.user.id, w, &body)
                .await?;
            None
        }
    };
    match problem {
        None => {
            set_flash(&page.session, "success", page.t("dialogue.topic_added")).await?;
            Ok(back(id))
        }
        Some(e) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    topic_text: typed,
                    topic_error: Some(e),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

/// POST /dialogues/{id}/reflection — after a held dialogue, the employee rates it (1–5)
/// and may write their own reflection.
async fn reflect(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Subject)?;
    let typed = form.get("reflection").to_string();
    let problem = if d.state != DialogueState::Held {
        Some(page.t("dialogue.error.reflect_not_held"))
    } else {
        match (
            dialogue::parse_rating(form.get("rating")),
            dialogue::parse_text(&typed, MAX_TOPIC_CHARS),
        ) {
            (_, Err(_)) => Some(page.tf("dialogue.error.too_long", "n", MAX_TOPIC_CHARS)),
            (None, _) => Some(page.t("dialogue.error.rating")),
            (Some(r), Ok(text)) => {
                state
                    .store
                    .reflect_on_dialogue(auth.tenant(), d.id, r, &text)
                    .await?;
                None
            }
        }
    };
    match problem {
        None => {
            set_flash(&page.session, "success", page.t("dialogue.reflected")).await?;
            Ok(back(id))
        }
        Some(e) => {
            again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    reflection: Some((typed, Some(e))),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

// ----- calendar files (RFC 5545) -----

fn event_for(page: &Page, d: &Dialogue) -> icalendar::Event {
    use icalendar::{Component, EventLike};
    let mut e = icalendar::Event::new();
    // Dialogue ids are unique across tenants, so the UID is stable and unique.
    e.uid(&format!("dialogue-{}@kyoritsu", d.id))
        .summary(&format!(
            "{}：{}",
            page.t(&format!("dialogue.kind.{}", d.kind.key())),
            d.subject_name
        ))
        .starts(d.starts_at)
        .ends(d.ends_at())
        .class(icalendar::Class::Confidential);
    if !d.place.is_empty() {
        e.location(&d.place);
    }
    if d.state == DialogueState::Cancelled {
        e.status(icalendar::EventStatus::Cancelled);
    }
    e.done()
}

fn ics_response(cal: icalendar::Calendar, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        cal.to_string(),
    )
        .into_response()
}

/// GET /dialogues/{id}/calendar.ics — one dialogue, for those who attend it.
async fn calendar(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_download_calendar(role))?;
    let mut cal = icalendar::Calendar::new();
    cal.push(event_for(&page, &d));
    Ok(ics_response(cal.done(), &format!("dialogue-{id}.ics")))
}

/// GET /dialogues/{id}/series.ics — every meeting of the dialogue's recurring series.
async fn series_calendar(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_download_calendar(role))?;
    let series = d.series_id.ok_or_else(AppError::not_found)?;
    let mut cal = icalendar::Calendar::new();
    for other in state
        .store
        .dialogues_facilitated_by(auth.tenant(), d.facilitator)
        .await?
        .iter()
        .filter(|o| o.series_id == Some(series))
    {
        cal.push(event_for(&page, other));
    }
    Ok(ics_response(cal.done(), &format!("series-{series}.ics")))
}

// ----- my records (本人に返却) -----

pub struct RecordView {
    pub row: Row,
    pub notes: Vec<(String, String)>,
    pub rating: Option<i64>,
    pub reflection: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "my_records.html")]
struct RecordsPage {
    shell: Shell,
    records: Vec<RecordView>,
}

async fn records_of_me(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    via: &str,
) -> Result<Vec<(Dialogue, Vec<Note>)>, AppError> {
    auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    Ok(app::dialogues::records(&state.store, &auth.caller(origin), via).await?)
}

/// GET /my/records — 面談の記録: every dialogue about me, its shared items, my reflections.
async fn my_records(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<RecordsPage, AppError> {
    let records = records_of_me(&state, &auth, &origin, "page")
        .await?
        .into_iter()
        .rev()
        .map(|(d, notes)| RecordView {
            row: row(&page, &d),
            notes: notes
                .into_iter()
                .map(|n| (visibility_label(&page, n.visibility), n.body))
                .collect(),
            rating: d.subject_rating,
            reflection: d.subject_reflection.clone().unwrap_or_default(),
        })
        .collect();
    Ok(RecordsPage {
        shell: page.shell(Some(&auth), "/my"),
        records,
    })
}

/// GET /my/records.csv — the same, to keep (UTF-8 with BOM so Excel reads it).
async fn my_records_csv(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    let records = records_of_me(&state, &auth, &origin, "csv").await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "dialogue.csv.date",
        "dialogue.csv.kind",
        "dialogue.csv.facilitator",
        "dialogue.csv.state",
        "dialogue.csv.item",
        "dialogue.csv.visibility",
        "dialogue.csv.rating",
        "dialogue.csv.reflection",
    ]
    .map(|k| page.t(k));
    let csv_err = |e: csv::Error| AppError::internal("records csv", e);
    w.write_record(&header).map_err(csv_err)?;
    for (d, notes) in &records {
        let r = row(&page, d);
        let rating = d.subject_rating.map(|r| r.to_string()).unwrap_or_default();
        let reflection = d.subject_reflection.clone().unwrap_or_default();
        let mut lines: Vec<(String, String)> = notes
            .iter()
            .map(|n| (n.body.clone(), visibility_label(&page, n.visibility)))
            .collect();
        if lines.is_empty() {
            lines.push((String::new(), String::new()));
        }
        for (body, vis) in lines {
            w.write_record([
                r.when.as_str(),
                r.kind.as_str(),
                r.facilitator.as_str(),
                r.state.as_str(),
                // A cell starting with = + - @ would be a formula in Excel: quote it.
                &spreadsheet_safe(&body),
                vis.as_str(),
                rating.as_str(),
                &spreadsheet_safe(&reflection),
            ])
            .map_err(csv_err)?;
        }
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        w.into_inner()
            .map_err(|e| AppError::internal("records csv", e))?,
    );
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export).detail("my records (csv)"),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-records.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// GET /my/records.pdf — the same as a document to print or keep (IPAexGothic embedded).
async fn my_records_pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    use crate::shared::pdf::Block;
    let records = records_of_me(&state, &auth, &origin, "pdf").await?;
    let mut blocks = vec![
        Block::Title(page.t("records.title")),
        Block::Meta(page.lang.catalog().format(
            "records.pdf_meta",
            &[("name", &auth.user.name), ("at", &when(Utc::now()))],
        )),
        Block::Text(page.t("records.lead")),
    ];
    if records.is_empty() {
        blocks.push(Block::Text(page.t("records.empty")));
    }
    for (d, notes) in records.iter().rev() {
        let r = row(&page, d);
        blocks.push(Block::Heading(format!(
            "{} {}（{}）",
            r.when, r.kind, r.state
        )));
        blocks.push(Block::Meta(page.tf("records.with", "name", &r.facilitator)));
        if d.state == DialogueState::Scheduled {
            blocks.push(Block::Text(page.t("records.not_yet_print")));
        } else if notes.is_empty() {
            blocks.push(Block::Text(page.t("records.no_items")));
        }
        for n in notes {
            blocks.push(Block::Labelled(
                visibility_label(&page, n.visibility),
                n.body.clone(),
            ));
        }
        if let Some(rating) = d.subject_rating {
            blocks.push(Block::Text(page.tf("records.rating", "n", rating)));
        }
        if let Some(text) = d.subject_reflection.as_ref().filter(|t| !t.is_empty()) {
            blocks.push(Block::Labelled(page.t("records.reflection"), text.clone()));
        }
    }
    let pdf = crate::shared::pdf::render(&page.t("records.title"), &blocks)
        .map_err(|e| AppError::internal("records pdf", e))?;
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export).detail("my records (pdf)"),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-records.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// Text that a spreadsheet would take for a formula gets a leading apostrophe.
fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn cells_that_look_like_formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("資格の勉強"), "資格の勉強");
    }
}
