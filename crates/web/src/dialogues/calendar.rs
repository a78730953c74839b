//! Calendar files (RFC 5545) for one dialogue and for a series.

use super::*;

use crate::shared::calendar::{event, ics_response};

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
    cal.push(event(page.lang, &d));
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
        cal.push(event(page.lang, other));
    }
    Ok(ics_response(cal.done(), &format!("series-{series}.ics")))
}
