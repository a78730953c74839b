//! カレンダーの購読: a private address (`/calendar/{secret}.ics`) a calendar program
//! subscribes to, listing the dialogues the user attends — as the facilitator or as the
//! employee — from 90 days ago on, cancelled ones marked so. The address is the
//! credential (only its SHA-256 is stored); the user restarts it (the old one stops)
//! or stops it on アカウント設定. Events carry the kind, the employee's name, the time
//! and the place, never what was said.

use crate::AppState;
use crate::shared::calendar::{event, ics_response};
use crate::shared::error::AppError;
use app::i18n::Lang;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Duration;

/// How far back the feed reaches.
const PAST_DAYS: i64 = 90;

/// GET /calendar/{secret}.ics
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let secret = file.strip_suffix(".ics").unwrap_or_default();
    let user = state
        .store
        .user_by_calendar_feed(secret)
        .await?
        .ok_or_else(AppError::not_found)?;
    let tenant = user.tenant_id;
    let since = state.clock.now() - Duration::days(PAST_DAYS);
    let mut dialogues = state
        .store
        .dialogues_facilitated_by(tenant, user.id)
        .await?;
    if let Some(person) = user.person_id {
        dialogues.extend(state.store.dialogues_about(tenant, person).await?);
    }
    dialogues.retain(|d| d.starts_at >= since);
    dialogues.sort_by_key(|d| (d.starts_at, d.id));
    dialogues.dedup_by_key(|d| d.id);
    let lang = user
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::Ja);
    let mut cal = icalendar::Calendar::new();
    cal.name(lang.catalog().get("feed.name"));
    for d in &dialogues {
        cal.push(event(lang, d));
    }
    Ok(ics_response(cal.done(), "kyoritsu.ics"))
}
