//! Dialogues (面談・1on1) over the JSON API, under the same policy as the pages: the
//! caller's dialogues, one dialogue with the note items the caller may read, booking,
//! adding a note as the facilitator, and the caller's own records (本人に返却).
//! Times are Japan time (`2026-12-01T10:00`) when booking, RFC 3339 when answering.

use super::{BookingOutcome, BookingRequest, book_dialogues};
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::booking::refusal_key;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::dialogue::{self, Cadence, CarryOver, DialogueKind, ScheduleWarning, Visibility};
use domain::policy::{self, DialogueRole};
use domain::question_bank::Category;
use domain::{PersonId, UserId};
use serde::{Deserialize, Serialize};
use store::dialogues::{Dialogue, Note, NoteInput};
use utoipa::ToSchema;

/// When, who and where: what anyone who may know of a dialogue sees.
#[derive(Serialize, ToSchema)]
pub struct DialogueBody {
    id: i64,
    /// `career_interview`, `milestone_interview`, `one_on_one`, `cross_one_on_one`,
    /// `mentor_one_on_one` or `consultation`.
    kind: String,
    subject_id: i64,
    subject_name: String,
    facilitator_user_id: i64,
    facilitator_name: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    /// Omitted for the subject's manager.
    place: Option<String>,
    /// `scheduled`, `held`, `cancelled` or `no_show`.
    state: String,
    series_id: Option<i64>,
}

fn body_of(d: &Dialogue, role: DialogueRole) -> DialogueBody {
    DialogueBody {
        id: d.id,
        kind: d.kind.key().into(),
        subject_id: d.subject.0,
        subject_name: d.subject_name.clone(),
        facilitator_user_id: d.facilitator.0,
        facilitator_name: d.facilitator_name.clone(),
        starts_at: d.starts_at,
        duration_minutes: d.duration_minutes,
        place: policy::dialogue_parts(role, d.kind.is_consultant_session())
            .place
            .then(|| d.place.clone()),
        state: d.state.key().into(),
        series_id: d.series_id,
    }
}

/// A note item the caller may read.
#[derive(Serialize, ToSchema)]
pub struct NoteBody {
    id: i64,
    /// `private`, `shared` or `for_manager`.
    visibility: String,
    /// `none`, `next_time` or `remember`.
    carry_over: String,
    question_category: Option<String>,
    body: String,
    revision: i64,
    after_close: bool,
    updated_at: DateTime<Utc>,
}

impl From<Note> for NoteBody {
    fn from(n: Note) -> Self {
        NoteBody {
            id: n.id,
            visibility: n.visibility.key().into(),
            carry_over: n.carry_over.key().into(),
            question_category: n.question_category,
            body: n.body,
            revision: n.revision,
            after_close: n.after_close,
            updated_at: n.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConsentBody {
    agreed: bool,
    withdrawn: bool,
    /// The employee chose or confirmed this answer themselves (one the consultant
    /// recorded permits no report until it is confirmed).
    confirmed: bool,
    /// What the employee asked not to be told to their manager.
    withheld: String,
}

/// A topic the employee prepared, with the response they want.
#[derive(Serialize, ToSchema)]
pub struct TopicBody {
    id: i64,
    /// `advice`, `think_together` or `just_listen`.
    wanted: String,
    body: String,
    created_at: DateTime<Utc>,
}

/// One dialogue as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct DialogueDetail {
    dialogue: DialogueBody,
    /// `facilitator`, `subject`, `subjects_manager` or `scheduler`.
    role: String,
    /// Only the items the caller may read; empty for the manager and HR.
    notes: Vec<NoteBody>,
    /// The employee's consent, for the facilitator and the employee of a consultant session.
    consent: Option<ConsentBody>,
    /// The topics the employee prepared: for them and the facilitator; empty for anyone else.
    topics: Vec<TopicBody>,
}

/// The dialogues the caller's lists show, by start time: those they hold, those about
/// them, their reports' (a manager: when and what kind) and those they booked (HR).
#[utoipa::path(get, path = "/api/v1/dialogues", tag = "dialogues", params(Paging),
    responses((status = 200, body = Vec<DialogueBody>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<DialogueBody>, ApiError> {
    paging.only(&[])?;
    let out = app::dialogues::listed(&state.store, &auth.actor)
        .await?
        .iter()
        .map(|(d, role)| body_of(d, *role))
        .collect();
    Ok(paging.of(out))
}

/// One dialogue with the note items the caller may read. Reads by anyone but the
/// facilitator are audited.
#[utoipa::path(get, path = "/api/v1/dialogues/{id}", tag = "dialogues",
    params(("id" = i64, Path, description = "dialogue id")),
    responses((status = 200, body = DialogueDetail), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DialogueDetail>, ApiError> {
    let v = app::dialogues::view(
        &state.store,
        &auth.caller(&origin),
        state.clock.today(),
        id,
        app::dialogues::Via::Api,
    )
    .await?;
    let (d, role) = (&v.dialogue, v.role);
    let consent = v.consent.and_then(|c| c.in_force).map(|c| ConsentBody {
        agreed: c.agreed,
        withdrawn: c.withdrawn,
        confirmed: c.confirmed,
        withheld: c.withheld,
    });
    Ok(Json(DialogueDetail {
        dialogue: body_of(d, role),
        role: match role {
            DialogueRole::Facilitator => "facilitator",
            DialogueRole::Subject => "subject",
            DialogueRole::SubjectsManager => "subjects_manager",
            DialogueRole::Scheduler => "scheduler",
            DialogueRole::Outsider => "outsider",
        }
        .into(),
        notes: v.notes.into_iter().map(|r| r.note.into()).collect(),
        consent,
        topics: v
            .topics
            .into_iter()
            .map(|t| TopicBody {
                id: t.id,
                wanted: t.wanted.key().into(),
                body: t.body,
                created_at: t.created_at,
            })
            .collect(),
    }))
}

/// A booking: one dialogue, or a series when `repeat` is given.
#[derive(Deserialize, ToSchema)]
pub struct BookDialogue {
    kind: String,
    subject_id: i64,
    /// The facilitator; the caller when omitted. Only HR books for someone else.
    facilitator_user_id: Option<i64>,
    /// Japan time, e.g. `2026-12-01T10:00` (seconds may follow).
    #[schema(
        pattern = r"^[0-9]{4}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
    )]
    starts_at: String,
    #[schema(minimum = 15, maximum = 240)]
    duration_minutes: u32,
    /// At most 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    place: String,
    /// `weekly`, `biweekly` or `monthly`: a series (needs `count`).
    #[serde(default, deserialize_with = "crate::shared::api::present")]
    #[schema(nullable = false)]
    repeat: Option<String>,
    /// Meetings in the series (2–52; only with `repeat`).
    #[serde(default, deserialize_with = "crate::shared::api::present")]
    #[schema(nullable = false, minimum = 2, maximum = 52)]
    count: Option<u32>,
    /// Book even when the time is in the past or overlaps the facilitator's other dialogues.
    #[serde(default)]
    confirm: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Booked {
    ids: Vec<i64>,
}

/// Books a dialogue or a series. A time in the past or over another of the
/// facilitator's dialogues answers 409 `needs_confirmation` until `confirm` is true.
#[utoipa::path(post, path = "/api/v1/dialogues", tag = "dialogues", request_body = BookDialogue,
    responses((status = 201, body = Booked),
        (status = 400, body = ErrorBody, description = "a field is missing, malformed or out of range"),
        (status = 403, body = ErrorBody, description = "the policy refuses this booking (code says why)"),
        (status = 404, body = ErrorBody, description = "no such subject or facilitator"),
        (status = 409, body = ErrorBody, description = "needs_confirmation: past or overlapping; nothing was written"),
        (status = 401, body = ErrorBody)))]
pub async fn book(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(b): ApiJson<BookDialogue>,
) -> Result<(StatusCode, Json<Booked>), ApiError> {
    let tenant = auth.actor.tenant_id;
    let kind = DialogueKind::parse(&b.kind)
        .ok_or_else(|| ApiError::bad_request(format!("kind: unknown kind '{}'", b.kind)))?;
    let start = NaiveDateTime::parse_from_str(&b.starts_at, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&b.starts_at, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            ApiError::bad_request("starts_at: expected Japan time like 2026-12-01T10:00")
        })?;
    if !dialogue::DURATION_MINUTES.contains(&b.duration_minutes) {
        return Err(ApiError::bad_request(format!(
            "duration_minutes: must be {} to {}",
            dialogue::DURATION_MINUTES.start(),
            dialogue::DURATION_MINUTES.end()
        )));
    }
    let place = dialogue::parse_text(&b.place, dialogue::MAX_PLACE_CHARS).map_err(|_| {
        ApiError::bad_request(format!(
            "place: at most {} characters",
            dialogue::MAX_PLACE_CHARS
        ))
    })?;
    let cadence = match b.repeat.as_deref() {
        None => None,
        Some(r) => Some(
            Cadence::parse(r)
                .ok_or_else(|| ApiError::bad_request(format!("repeat: unknown cadence '{r}'")))?,
        ),
    };
    let count = match (cadence, b.count) {
        (None, None) => 1,
        (None, Some(_)) => {
            return Err(ApiError::bad_request(
                "count: only a series (repeat) has a count",
            ));
        }
        (Some(_), Some(n)) if (2..=dialogue::MAX_SERIES_COUNT).contains(&n) => n,
        (Some(_), _) => {
            return Err(ApiError::bad_request(format!(
                "count: a series has 2 to {} meetings",
                dialogue::MAX_SERIES_COUNT
            )));
        }
    };
    let subject = state
        .store
        .person(tenant, PersonId(b.subject_id))
        .await?
        .ok_or_else(|| ApiError::not_found("subject"))?;
    let facilitator = UserId(b.facilitator_user_id.unwrap_or(auth.user.id.0));
    if state.store.user(tenant, facilitator).await.is_err() {
        return Err(ApiError::not_found("facilitator"));
    }
    let req = BookingRequest {
        kind,
        subject: PersonId(subject.id),
        facilitator,
        start,
        duration_minutes: b.duration_minutes,
        place,
        cadence,
        count,
        confirmed: b.confirm,
    };
    match book_dialogues(&state, &auth.actor, &req).await? {
        BookingOutcome::Booked(ids) => Ok((StatusCode::CREATED, Json(Booked { ids }))),
        BookingOutcome::Warn(ws) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "needs_confirmation",
            ws.iter()
                .map(|w| match w {
                    ScheduleWarning::InThePast => "the start is in the past".to_string(),
                    ScheduleWarning::Overlaps {
                        dialogue_id,
                        starts_at,
                    } => format!(
                        "overlaps dialogue {dialogue_id} starting {}",
                        starts_at.format("%Y-%m-%dT%H:%M")
                    ),
                })
                .collect::<Vec<_>>()
                .join("; ")
                + "; send confirm: true to book anyway",
        )),
        BookingOutcome::Refused(r) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            crate::shared::i18n::Lang::En
                .catalog()
                .get(refusal_key(r))
                .to_string(),
        )),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AddNote {
    /// 1–4,000 characters, not only blank space.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    body: String,
    /// `private`, `shared` or `for_manager`; the kind's default when omitted.
    visibility: Option<String>,
    /// `none` (default), `next_time` or `remember`.
    carry_over: Option<String>,
    /// A question-bank category, e.g. `meaning`.
    question_category: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Added {
    id: i64,
}

/// The facilitator adds a note item (after closing: an addendum).
#[utoipa::path(post, path = "/api/v1/dialogues/{id}/notes", tag = "dialogues", request_body = AddNote,
    params(("id" = i64, Path, description = "dialogue id")),
    responses((status = 201, body = Added), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(n): ApiJson<AddNote>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    let (d, role) = app::dialogues::open(&state.store, &auth.actor, id).await?;
    if role != DialogueRole::Facilitator {
        return Err(ApiError::forbidden());
    }
    let visibility = match n.visibility.as_deref() {
        None => d.kind.default_visibility(),
        Some(v) => Visibility::parse(v)
            .ok_or_else(|| ApiError::bad_request(format!("visibility: unknown '{v}'")))?,
    };
    let carry_over = match n.carry_over.as_deref() {
        None => CarryOver::None,
        Some(c) => CarryOver::parse(c)
            .ok_or_else(|| ApiError::bad_request(format!("carry_over: unknown '{c}'")))?,
    };
    let question_category = match n.question_category.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            Category::parse(c)
                .ok_or_else(|| ApiError::bad_request(format!("question_category: unknown '{c}'")))?
                .key()
                .to_string(),
        ),
    };
    let body = dialogue::parse_note_body(&n.body).map_err(|e| {
        ApiError::bad_request(if e == "empty" {
            "body: must not be empty".to_string()
        } else {
            format!("body: at most {} characters", dialogue::MAX_NOTE_CHARS)
        })
    })?;
    let id = state
        .store
        .add_note(
            auth.actor.tenant_id,
            &d,
            auth.user.id,
            &NoteInput {
                visibility,
                carry_over,
                question_category,
                body,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Added { id })))
}

/// One dialogue in the caller's records.
#[derive(Serialize, ToSchema)]
pub struct RecordBody {
    dialogue: DialogueBody,
    /// The items shared with the caller (never the facilitator's private ones).
    notes: Vec<NoteBody>,
    rating: Option<i64>,
    reflection: Option<String>,
}

/// Every dialogue about the caller with what they may read of it (本人に返却).
#[utoipa::path(get, path = "/api/v1/me/records", tag = "dialogues", params(Paging),
    responses((status = 200, body = Vec<RecordBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_records(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    origin: Origin,
) -> Result<Listed<RecordBody>, ApiError> {
    paging.only(&[])?;
    auth.actor.person_id.ok_or_else(ApiError::forbidden)?;
    let out = app::dialogues::records(&state.store, &auth.caller(&origin), "api")
        .await?
        .into_iter()
        .map(|(d, notes)| RecordBody {
            dialogue: body_of(&d, DialogueRole::Subject),
            notes: notes.into_iter().map(Into::into).collect(),
            rating: d.subject_rating,
            reflection: d.subject_reflection,
        })
        .collect();
    Ok(paging.of(out))
}
