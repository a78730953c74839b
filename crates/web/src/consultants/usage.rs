//! HR's consultation figures on 外部コンサルタント: how many sessions the company paid
//! for this fiscal year and how well matching works — counts and rates only, each
//! hidden while it rests on fewer than k people — and the yearly allowance per employee.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use app::consultations::Figure;
use axum::extract::State;
use axum::response::Redirect;

/// The figures as the page shows them: (label, value, test id).
pub struct UsageView {
    pub fiscal_year: i32,
    pub k: u32,
    pub figures: Vec<(String, String, &'static str)>,
    pub allowance: String,
}

fn shown(page: &Page, f: Figure, unit: &str) -> String {
    match f {
        Figure::Count(n) => page.tf(unit, "n", n),
        Figure::Value(v) => page.tf(unit, "n", format!("{v:.1}")),
        Figure::Hidden => page.t("usage.hidden"),
    }
}

pub async fn view(state: &AppState, page: &Page, auth: &Auth) -> Result<UsageView, AppError> {
    let u = app::consultations::usage(
        &state.store,
        &auth.caller(&Origin::default()),
        state.clock.today(),
    )
    .await?;
    Ok(UsageView {
        fiscal_year: u.fiscal_year,
        k: u.k,
        figures: vec![
            (
                page.t("usage.booked"),
                shown(page, u.booked, "usage.sessions_n"),
                "usage-booked",
            ),
            (
                page.t("usage.held"),
                shown(page, u.held, "usage.sessions_n"),
                "usage-held",
            ),
            (
                page.t("usage.people"),
                shown(page, u.people, "usage.people_n"),
                "usage-people",
            ),
            (
                page.t("usage.from_proposals"),
                shown(page, u.from_proposals_rate, "usage.percent_n"),
                "usage-from-proposals",
            ),
            (
                page.t("usage.second_session"),
                shown(page, u.second_session_rate, "usage.percent_n"),
                "usage-second-session",
            ),
            (
                page.t("usage.mean_rating"),
                shown(page, u.mean_rating, "usage.rating_n"),
                "usage-mean-rating",
            ),
            (
                page.t("usage.again"),
                shown(page, u.would_talk_again_rate, "usage.percent_n"),
                "usage-again",
            ),
        ],
        allowance: u.allowance.map(|n| n.to_string()).unwrap_or_default(),
    })
}

/// POST /consultants/allowance — HR sets how many sessions per employee per fiscal year
/// the company pays for (empty: no limit). A number outside 0–100 changes nothing.
pub async fn set_allowance(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Redirect, AppError> {
    let raw = domain::import::values::normalise(form.get("allowance"));
    let raw = raw.trim();
    let n = if raw.is_empty() {
        Some(None)
    } else {
        raw.parse::<u32>().ok().filter(|n| *n <= 100).map(Some)
    };
    match n {
        Some(n) => {
            app::consultations::set_allowance(&state.store, &auth.caller(&origin), n).await?;
            set_flash(&page.session, "success", page.t("usage.allowance_saved")).await?;
        }
        None => {
            // Asked first, so that nobody else learns what the form would say.
            app::consultations::usage(&state.store, &auth.caller(&origin), state.clock.today())
                .await?;
            set_flash(&page.session, "error", page.t("usage.allowance_invalid")).await?;
        }
    }
    Ok(Redirect::to("/consultants#usage"))
}
