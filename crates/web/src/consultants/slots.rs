//! 空き枠 (`/consultant/slots`): a consultant offers the times employees may book —
//! one slot or the same slot weekly — and removes free ones. Booked slots show only
//! that they are booked, with a link to the session (which the consultant holds). The
//! consultant's ratings appear here as an aggregate once there are enough of them.

use super::FieldErrors;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::{jst, when};
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::consultant::{MAX_SLOT_WEEKS, SLOT_MINUTES, SlotInput, parse_slots};

/// A slot as the list shows it.
pub struct SlotRow {
    pub id: i64,
    pub when: String,
    pub minutes: u32,
    pub setting: String,
    pub dialogue: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/slots.html")]
pub struct SlotsPage {
    shell: Shell,
    form: SlotInput,
    errors: FieldErrors,
    /// A new slot that would overlap one the consultant has (when, Japan time).
    overlap: Option<String>,
    rows: Vec<SlotRow>,
    free: usize,
    minutes: Vec<u32>,
    max_weeks: u32,
    /// (count, mean, would-talk-again %) once at least k ratings exist.
    ratings: Option<(u32, String, String)>,
    k: u32,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    form: SlotInput,
    errors: FieldErrors,
    overlap: Option<String>,
) -> Result<SlotsPage, AppError> {
    let caller = auth.caller(&Origin::default());
    let slots = app::consultations::my_slots(&state.store, &caller, state.clock.now()).await?;
    let ratings = app::consultations::my_ratings(&state.store, &caller)
        .await?
        .map(|(n, mean, again)| (n, format!("{mean:.1}"), format!("{:.0}", again * 100.0)));
    let k = state
        .store
        .tenant(auth.tenant())
        .await?
        .settings
        .anonymity_k;
    Ok(SlotsPage {
        shell: page.shell(Some(auth), "/consultant/slots"),
        free: slots.iter().filter(|s| s.dialogue_id.is_none()).count(),
        rows: slots
            .into_iter()
            .map(|s| SlotRow {
                id: s.id,
                when: when(s.starts_at),
                minutes: s.duration_minutes,
                setting: page.t(&format!("consultant.setting.{}", s.setting.key())),
                dialogue: s.dialogue_id,
            })
            .collect(),
        form,
        errors,
        overlap,
        minutes: SLOT_MINUTES.to_vec(),
        max_weeks: MAX_SLOT_WEEKS,
        ratings,
        k,
    })
}

/// GET /consultant/slots — the consultant's own open slots for eight weeks.
pub async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<SlotsPage, AppError> {
    let form = SlotInput {
        minutes: "60".into(),
        setting: "online".into(),
        weeks: "1".into(),
        ..SlotInput::default()
    };
    render(&state, &page, &auth, form, FieldErrors::default(), None).await
}

/// POST /consultant/slots — adds one slot or the same slot for several weeks; a form
/// with a problem comes back as typed and nothing is added.
pub async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    // Asked first, so that nobody else learns what the form would say.
    app::consultations::my_slots(&state.store, &caller, state.clock.now()).await?;
    let input = SlotInput {
        date: form.get("date").into(),
        time: form.get("time").into(),
        minutes: form.get("minutes").into(),
        setting: form.get("setting").into(),
        weeks: form.get("weeks").into(),
    };
    let problem = match parse_slots(&input, jst(state.clock.now())) {
        Err(problems) => Some((
            FieldErrors::said(&page, "consultant.slot_error", problems),
            None,
        )),
        Ok(slots) => match app::consultations::add_slots(&state.store, &caller, &slots).await? {
            Ok(ids) => {
                set_flash(
                    &page.session,
                    "success",
                    page.tf("consultant.slots_added", "n", ids.len()),
                )
                .await?;
                None
            }
            Err(app::consultations::SlotProblem::Overlap(at)) => {
                Some((FieldErrors::default(), Some(when(at))))
            }
            Err(app::consultations::SlotProblem::Fields(problems)) => Some((
                FieldErrors::said(&page, "consultant.slot_error", problems),
                None,
            )),
        },
    };
    match problem {
        None => Ok(Redirect::to("/consultant/slots").into_response()),
        Some((errors, overlap)) => {
            let p = render(&state, &page, &auth, input, errors, overlap).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /consultant/slots/{id}/remove — removes a free slot of the consultant's own.
pub async fn remove(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let removed = app::consultations::remove_slot(&state.store, &auth.caller(&origin), id).await?;
    let (kind, key) = if removed {
        ("success", "consultant.slot_removed")
    } else {
        ("error", "consultant.slot_not_removed")
    };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/consultant/slots"))
}
