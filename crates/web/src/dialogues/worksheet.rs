//! 自律のメカニズム on the dialogue page: the merits/demerits worksheet the employee weighs
//! (with the facilitator) during an interview, and, for the facilitator, which of the three
//! conditions looks missing with the approach that fits it.

use super::{Retry, again, load, need, saved};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use domain::career_sheet::Section;
use domain::mechanism::{self, Condition, MAX_ITEM_CHARS, Side, Signs};
use domain::policy::DialogueRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dialogues/{id}/worksheet", post(add))
        .route("/dialogues/{id}/worksheet/{item}/remove", post(remove))
}

/// The worksheet and the conditions as the dialogue page shows them.
pub struct MechanismView {
    /// (id, side key, side label, text, weight)
    pub items: Vec<(i64, &'static str, String, String, u8)>,
    pub balance_text: String,
    /// For the facilitator: (condition label, looks met, the approach when missing).
    pub conditions: Vec<(String, bool, String)>,
    /// For the facilitator, when the merits do not yet outweigh the demerits (the fear of
    /// failure): role-model stories to offer, tried-and-failed ones first.
    pub role_models: Vec<crate::shared::cards::StoryCard>,
    pub may_edit: bool,
    pub limit: usize,
}

fn party(role: DialogueRole) -> bool {
    matches!(role, DialogueRole::Facilitator | DialogueRole::Subject)
}

pub async fn view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    v: &app::dialogues::View,
) -> Result<Option<MechanismView>, AppError> {
    if !v.parts.worksheet {
        return Ok(None);
    }
    let (d, role) = (&v.dialogue, v.role);
    let items = v.worksheet.clone();
    let weights: Vec<(Side, u8)> = items.iter().map(|(_, s, _, w)| (*s, *w)).collect();
    let balance = mechanism::balance(&weights);
    let mut conditions = Vec::new();
    let mut role_models = Vec::new();
    if role == DialogueRole::Facilitator {
        // Only what the employee shares on their sheet counts as a sign.
        let shared = v.preparation.as_ref().and_then(|p| p.sheet.clone());
        let has = |s: Section| {
            shared
                .as_ref()
                .and_then(|sheet| sheet.entry(s))
                .is_some_and(|e| !e.text.trim().is_empty())
        };
        let missing = mechanism::missing(&Signs {
            moving_events: has(Section::Events),
            successes: has(Section::Successes),
            balance: (!items.is_empty()).then_some(balance),
        });
        if missing.contains(&Condition::Merits) {
            // What they shared about their intentions and concerns steers the choice.
            let concerns: String = [Section::Intention, Section::Concerns]
                .into_iter()
                .filter_map(|s| shared.as_ref().and_then(|sheet| sheet.entry(s)))
                .map(|e| e.text.clone())
                .collect::<Vec<_>>()
                .join("\n");
            role_models = app::role_models::suggestions(&state.store, auth.tenant(), &concerns)
                .await?
                .iter()
                .filter_map(|s| crate::shared::cards::card(s, auth))
                .collect();
        }
        for c in Condition::ALL {
            conditions.push((
                page.t(&format!("mechanism.condition.{}", c.key())),
                !missing.contains(&c),
                page.t(&format!("mechanism.approach.{}", c.key())),
            ));
        }
    }
    Ok(Some(MechanismView {
        items: items
            .into_iter()
            .map(|(id, s, text, w)| {
                (
                    id,
                    s.key(),
                    page.t(&format!("mechanism.side.{}", s.key())),
                    text,
                    w,
                )
            })
            .collect(),
        balance_text: if weights.is_empty() {
            page.t("mechanism.balance_none")
        } else if balance > 0 {
            page.tf("mechanism.balance_merits", "n", balance)
        } else {
            page.tf("mechanism.balance_demerits", "n", -balance)
        },
        conditions,
        role_models,
        may_edit: !d.is_closed(),
        limit: MAX_ITEM_CHARS,
    }))
}

/// POST /dialogues/{id}/worksheet — an item the employee weighs (either party writes it).
async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("worksheet");
    let (d, role) = load(&state, &auth, id).await?;
    need(party(role) && d.kind.is_consultant_session())?;
    if d.is_closed() {
        set_flash(&page.session, "error", page.t("mechanism.error.closed")).await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "worksheet").await;
    }
    match mechanism::parse_item(form.get("side"), form.get("text"), form.get("weight")) {
        Ok((side, text, weight)) => {
            state
                .store
                .add_worksheet_item(auth.tenant(), d.id, side, &text, weight)
                .await?;
            set_flash(&page.session, "success", page.t("mechanism.added")).await?;
        }
        Err(code) => {
            let msg = match code {
                "too_long" => page.tf("dialogue.error.too_long", "n", MAX_ITEM_CHARS),
                "empty" => page.t("mechanism.error.empty"),
                _ => page.t("mechanism.error.fields"),
            };
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    worksheet: Some((
                        form.get("side").to_string(),
                        form.get("text").to_string(),
                        form.get("weight").to_string(),
                        msg,
                    )),
                    ..Retry::keeping(&raw, "worksheet")
                },
            )
            .await;
        }
    }
    saved(&state, &page, &auth, &origin, id, &raw, "worksheet").await
}

/// POST /dialogues/{id}/worksheet/{item}/remove
async fn remove(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, item)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let (d, role) = load(&state, &auth, id).await?;
    need(party(role) && d.kind.is_consultant_session() && !d.is_closed())?;
    state
        .store
        .remove_worksheet_item(auth.tenant(), d.id, item)
        .await?;
    set_flash(&page.session, "success", page.t("mechanism.removed")).await?;
    saved(&state, &page, &auth, &origin, id, &raw, "remove").await
}
