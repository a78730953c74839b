//! 相談相手を選ぶ (`/my/consultants`): the employee's own page for choosing a career
//! consultant — ten proposals from their values diagnosis with the reasons for each, a
//! keyword search over profiles, the consultants they chose with their coming sessions
//! (and changing consultant, no reason asked), and rating sessions that took place.
//! Booking a slot happens from a consultant's profile (`/consultants/{id}`).
//!
//! Nothing here reaches the company: no notice to the manager, no audit entry naming
//! the employee; the consultant learns of a booking (they hold the session).

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::consultations::{BookOutcome, RateProblem, SearchQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::UserId;
use domain::consultant::{Style, Theme};
use store::consultations::Source;

/// A consultant as a card shows them (a proposal or a search hit).
pub struct Card {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub style: String,
    pub themes: String,
    pub years: u8,
    /// Why proposed (proposals only).
    pub reasons: Vec<String>,
    /// The next free slot, and how many in the next weeks (proposals only).
    pub next_slot: Option<String>,
    pub open: u32,
}

/// A consultant the employee chose, with their coming sessions.
pub struct Chosen {
    pub id: i64,
    pub name: String,
    pub since: String,
    pub upcoming: Vec<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/choose.html")]
pub struct ChoosePage {
    shell: Shell,
    diagnosed: bool,
    themes_alone: bool,
    proposals: Vec<Card>,
    chosen: Vec<Chosen>,
    to_rate: Vec<(i64, String, String)>,
    /// (used, allowance) this fiscal year.
    used: u32,
    allowance: Option<u32>,
    /// The search as typed, and its results (None before a search).
    q: String,
    theme: String,
    style: String,
    free_only: bool,
    themes: Vec<(&'static str, String)>,
    styles: Vec<(&'static str, String)>,
    hits: Option<Vec<Card>>,
    weeks: i64,
}

#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    style: String,
    #[serde(default)]
    free: String,
}

fn names(page: &Page, themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| page.t(&format!("consultant.theme.{}", t.key())))
        .collect::<Vec<_>>()
        .join("、")
}

/// GET /my/consultants — 相談相手を選ぶ.
pub async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(params): Query<SearchParams>,
) -> Result<ChoosePage, AppError> {
    let caller = auth.caller(&Origin::default());
    let now = state.clock.now();
    let p = app::consultations::my_proposals(&state.store, &caller, now).await?;
    let catalog = page.lang.catalog();
    let proposals = p
        .proposals
        .into_iter()
        .map(|v| Card {
            id: v.consultant.0,
            name: v.name,
            kana: v.kana,
            style: page.t(&format!("consultant.style.{}", v.style.key())),
            themes: names(&page, &v.themes),
            years: v.years_of_practice,
            reasons: v
                .reasons
                .iter()
                .take(3)
                .map(|r| app::consultations::reason_text(catalog, r))
                .collect(),
            next_slot: v.next_slot.map(when),
            open: v.open,
        })
        .collect();
    let upcoming = app::consultations::my_upcoming(&state.store, &caller, now).await?;
    let chosen = app::consultations::my_choices(&state.store, &caller)
        .await?
        .into_iter()
        .map(|c| Chosen {
            id: c.consultant.0,
            name: c.name,
            since: when(c.chosen_at),
            upcoming: upcoming
                .iter()
                .filter(|d| d.facilitator == c.consultant)
                .map(|d| (d.id, when(d.starts_at)))
                .collect(),
        })
        .collect();
    let to_rate = app::consultations::sessions_to_rate(&state.store, &caller)
        .await?
        .into_iter()
        .map(|r| (r.dialogue, when(r.starts_at), r.consultant))
        .collect();
    let (used, allowance) =
        app::consultations::my_allowance(&state.store, &caller, state.clock.today()).await?;
    let query = SearchQuery {
        q: params.q.chars().take(200).collect(),
        theme: Theme::parse(&params.theme),
        style: Style::parse(&params.style),
        free_only: params.free == "1",
    };
    let hits = if query.is_empty() {
        None
    } else {
        Some(
            app::consultations::search(&state.store, &state.consultant_index, &caller, &query, now)
                .await?
                .into_iter()
                .map(|h| Card {
                    id: h.consultant.0,
                    name: h.name,
                    kana: h.kana,
                    style: page.t(&format!("consultant.style.{}", h.style.key())),
                    themes: names(&page, &h.themes),
                    years: h.years_of_practice,
                    reasons: Vec::new(),
                    next_slot: None,
                    open: 0,
                })
                .collect(),
        )
    };
    Ok(ChoosePage {
        shell: page.shell(Some(&auth), "/my/consultants"),
        diagnosed: p.diagnosed,
        themes_alone: p.themes_alone,
        proposals,
        chosen,
        to_rate,
        used,
        allowance,
        q: query.q,
        theme: params.theme,
        style: params.style,
        free_only: query.free_only,
        themes: Theme::ALL
            .map(|t| (t.key(), page.t(&format!("consultant.theme.{}", t.key()))))
            .to_vec(),
        styles: Style::ALL
            .map(|s| (s.key(), page.t(&format!("consultant.style.{}", s.key()))))
            .to_vec(),
        hits,
        weeks: domain::matching::SLOT_WEEKS,
    })
}

/// POST /my/consultants/book — the employee books a free slot (`slot`), coming from the
/// proposals, a search or a profile (`from`). Booked: the session's page; refused: back
/// to the profile with the reason (and, when someone took the slot first, the
/// consultant's next free slot).
pub async fn book(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let slot: i64 = form
        .get("slot")
        .parse()
        .map_err(|_| AppError::bad_request())?;
    let source = Source::parse(form.get("from"));
    let caller = auth.caller(&origin);
    let consultant = state
        .store
        .slot(auth.tenant(), slot)
        .await?
        .map(|s| s.consultant.0);
    match app::consultations::book(&state.store, &caller, state.clock.now(), slot, source).await? {
        BookOutcome::Booked(d) => {
            if let Some(c) = consultant {
                let user = state.store.user(auth.tenant(), UserId(c)).await?;
                crate::shared::email::send_notice(
                    &state,
                    auth.tenant(),
                    format!("email.consultation_booked-{d}"),
                    user.email,
                    "email.consultation_booked",
                    &[],
                    &format!("/dialogues/{d}"),
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("choose.booked")).await?;
            Ok(Redirect::to(&format!("/dialogues/{d}")).into_response())
        }
        BookOutcome::Refused(r, next) => {
            let mut msg = page.t(&format!("consultation.refusal.{}", r.key()));
            if let Some(n) = next {
                msg.push(' ');
                msg.push_str(&page.tf("choose.next_free", "at", when(n.starts_at)));
            }
            set_flash(&page.session, "error", msg).await?;
            let back = consultant
                .map(|c| format!("/consultants/{c}"))
                .unwrap_or_else(|| "/my/consultants".into());
            Ok(Redirect::to(&back).into_response())
        }
    }
}

/// POST /my/consultants/{id}/change — 相談相手を変える: ends the choice without a
/// reason; sessions that have not started are cancelled and the consultant told so.
pub async fn change(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let cancelled = app::consultations::change(
        &state.store,
        &auth.caller(&origin),
        UserId(id),
        state.clock.now(),
    )
    .await?;
    if !cancelled.is_empty() {
        let user = state.store.user(auth.tenant(), UserId(id)).await?;
        for d in &cancelled {
            crate::shared::email::send_notice(
                &state,
                auth.tenant(),
                format!("email.consultation_cancelled-{d}"),
                user.email.clone(),
                "email.consultation_cancelled",
                &[],
                "/consultant/slots",
            )
            .await?;
        }
    }
    set_flash(
        &page.session,
        "success",
        page.tf("choose.changed", "n", cancelled.len()),
    )
    .await?;
    Ok(Redirect::to("/my/consultants"))
}

/// POST /my/consultants/sessions/{id}/rating — the employee rates a held session once.
pub async fn rate(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let level: u8 = form.get("level").parse().unwrap_or(0);
    let again = form.get("again") == "1";
    let (kind, key) =
        match app::consultations::rate(&state.store, &auth.caller(&origin), id, level, again)
            .await?
        {
            Ok(()) => ("success", "choose.rated"),
            Err(RateProblem::Level) => ("error", "choose.rate_level"),
            Err(RateProblem::Already) => ("error", "choose.rate_already"),
        };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/my/consultants").into_response())
}
