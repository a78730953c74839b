//! Calendar files (RFC 5545) for one dialogue and for a series.

use super::*;

pub(super) fn event_for(page: &Page, d: &Dialogue) -> icalendar::Event {
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

pub(super) fn ics_response(cal: icalendar::Calendar, name: &str) -> Response {
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
pub(super) async fn calendar(
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
pub(super) async fn series_calendar(
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
