//! 相談相手を選ぶ over the JSON API: search consultants' profiles, the caller's ten
//! proposals, a consultant's free slots, and booking one. Same rules as the pages
//! (`app::consultations` over `domain::policy`); reasons come in Japanese.

use crate::AppState;
use crate::shared::api::key_or_any;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{Origin, shared::time::jst};
use app::consultations::{BookOutcome, SearchQuery};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::UserId;
use domain::consultant::{Style, Theme};
use serde::{Deserialize, Serialize};
use store::consultations::Source;
use utoipa::ToSchema;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find in names (kanji or kana), messages, themes, industries and job
    /// families; widths and hiragana/katakana are folded. At most 200 characters.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only consultants who know this theme (e.g. `care_and_work`); empty for any.
    theme: Option<String>,
    /// Only consultants who work in this style (`listen`, `think_together`, `advise`);
    /// empty for any.
    style: Option<String>,
    /// Only consultants with a free slot in the next four weeks.
    free: Option<bool>,
}

/// A consultant as a search or a proposal lists them.
#[derive(Serialize, ToSchema)]
pub struct ConsultantOut {
    id: i64,
    name: String,
    kana: String,
    style: String,
    themes: Vec<String>,
    years_of_practice: u8,
}

#[derive(Serialize, ToSchema)]
pub struct ConsultantList {
    /// At most 50, best first (by reading when no words were given).
    consultants: Vec<ConsultantOut>,
}

fn keys(themes: &[Theme]) -> Vec<String> {
    themes.iter().map(|t| t.key().to_string()).collect()
}

/// Search consultants' profiles by keyword and filters.
#[utoipa::path(get, path = "/api/v1/consultants", tag = "consultants", params(SearchParams),
    responses((status = 200, body = ConsultantList), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    auth: ApiAuth,
    q: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ConsultantList>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let words = q.q.unwrap_or_default();
    if words.chars().count() > 200 {
        return Err(ApiError::bad_request("q: at most 200 characters"));
    }
    let query = SearchQuery {
        q: words,
        theme: key_or_any(q.theme.as_deref(), Theme::parse, "theme")?,
        style: key_or_any(q.style.as_deref(), Style::parse, "style")?,
        free_only: q.free.unwrap_or(false),
    };
    let hits = app::consultations::search(
        &state.store,
        &state.consultant_index,
        &auth.caller(&Origin::default()),
        &query,
        state.clock.now(),
    )
    .await?;
    Ok(Json(ConsultantList {
        consultants: hits
            .into_iter()
            .map(|h| ConsultantOut {
                id: h.consultant.0,
                name: h.name,
                kana: h.kana,
                style: h.style.key().into(),
                themes: keys(&h.themes),
                years_of_practice: h.years_of_practice,
            })
            .collect(),
    }))
}

/// One of the ten proposals.
#[derive(Serialize, ToSchema)]
pub struct ProposalOut {
    consultant_id: i64,
    name: String,
    kana: String,
    style: String,
    themes: Vec<String>,
    score: f64,
    /// Why it was proposed, strongest first, in Japanese.
    reasons: Vec<String>,
    /// Free slots in the next four weeks, and the first of them.
    open_slots: u32,
    next_slot: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalsOut {
    /// False until the caller took the values diagnosis (no proposals then).
    diagnosed: bool,
    /// No anchor results yet: the proposals come from themes and preferences alone.
    themes_alone: bool,
    proposals: Vec<ProposalOut>,
}

/// The caller's ten proposals from their values diagnosis.
#[utoipa::path(get, path = "/api/v1/me/consultant-proposals", tag = "consultants",
    responses((status = 200, body = ProposalsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn proposals(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<ProposalsOut>, ApiError> {
    let p = app::consultations::my_proposals(
        &state.store,
        &auth.caller(&Origin::default()),
        state.clock.now(),
    )
    .await?;
    let catalog = app::i18n::Lang::Ja.catalog();
    Ok(Json(ProposalsOut {
        diagnosed: p.diagnosed,
        themes_alone: p.themes_alone,
        proposals: p
            .proposals
            .into_iter()
            .map(|v| ProposalOut {
                consultant_id: v.consultant.0,
                name: v.name,
                kana: v.kana,
                style: v.style.key().into(),
                themes: keys(&v.themes),
                score: v.score,
                reasons: v
                    .reasons
                    .iter()
                    .map(|r| app::consultations::reason_text(catalog, r))
                    .collect(),
                open_slots: v.open,
                next_slot: v.next_slot,
            })
            .collect(),
    }))
}

/// A free slot.
#[derive(Serialize, ToSchema)]
pub struct SlotOut {
    id: i64,
    starts_at: DateTime<Utc>,
    /// The same moment as Japan's wall clock, e.g. `2026-12-24T10:00`.
    starts_at_japan: String,
    duration_minutes: u32,
    /// `online` or `in_person`.
    setting: String,
}

#[derive(Serialize, ToSchema)]
pub struct SlotList {
    slots: Vec<SlotOut>,
}

/// A consultant's free slots in the next four weeks.
#[utoipa::path(get, path = "/api/v1/consultants/{id}/slots", tag = "consultants",
    params(("id" = i64, Path, description = "the consultant's user id")),
    responses((status = 200, body = SlotList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn slots(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SlotList>, ApiError> {
    let caller = auth.caller(&Origin::default());
    // Not found for anyone who is not a bookable consultant.
    app::consultants::profile_of(&state.store, &caller, UserId(id)).await?;
    let slots =
        app::consultations::free_slots_of(&state.store, &caller, UserId(id), state.clock.now())
            .await?;
    Ok(Json(SlotList {
        slots: slots
            .into_iter()
            .map(|s| SlotOut {
                id: s.id,
                starts_at: s.starts_at,
                starts_at_japan: jst(s.starts_at).format("%Y-%m-%dT%H:%M").to_string(),
                duration_minutes: s.duration_minutes,
                setting: s.setting.key().into(),
            })
            .collect(),
    }))
}

/// What to book.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookConsultation {
    /// A free slot's id (from `/api/v1/consultants/{id}/slots`).
    slot_id: i64,
    /// Where the choice came from: `proposal`, `search` or `profile` (the default).
    #[serde(default)]
    from: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BookedConsultation {
    dialogue_id: i64,
}

/// Book a consultant's free slot for oneself: a consultation dialogue is created. Only
/// the caller and the consultant learn of it.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "consultants", request_body = BookConsultation,
    responses((status = 201, body = BookedConsultation),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "the policy refuses (code: not_an_employee, unavailable, with_themselves, in_reporting_line, at_capacity, allowance_used)"),
        (status = 404, body = ErrorBody, description = "no such slot"),
        (status = 409, body = ErrorBody, description = "slot_taken or slot_past; the message names the consultant's next free slot if any")))]
pub async fn book(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(b): ApiJson<BookConsultation>,
) -> Result<(StatusCode, Json<BookedConsultation>), ApiError> {
    let source = match b.from.as_deref() {
        None | Some("profile") => Source::Profile,
        Some("proposal") => Source::Proposal,
        Some("search") => Source::Search,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "from: unknown value '{other}'"
            )));
        }
    };
    let caller = auth.caller(&Origin::default());
    match app::consultations::book(&state.store, &caller, state.clock.now(), b.slot_id, source)
        .await?
    {
        BookOutcome::Booked(d) => Ok((
            StatusCode::CREATED,
            Json(BookedConsultation { dialogue_id: d }),
        )),
        BookOutcome::Refused(r, next) => {
            use domain::policy::ConsultationRefusal as R;
            let status = match r {
                R::SlotTaken | R::SlotPast => StatusCode::CONFLICT,
                _ => StatusCode::FORBIDDEN,
            };
            let mut message = app::i18n::Lang::En
                .catalog()
                .get(&format!("consultation.refusal.{}", r.key()))
                .to_string();
            if let Some(n) = next {
                message.push_str(&format!(
                    " Next free slot: id {} at {}.",
                    n.id,
                    jst(n.starts_at).format("%Y-%m-%dT%H:%M")
                ));
            }
            Err(ApiError::new(status, r.key(), message))
        }
    }
}
