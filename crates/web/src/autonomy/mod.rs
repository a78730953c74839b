//! キャリア自律 pages: the company's definition of a career-autonomous person, explained to
//! every employee; admin edits it; HR sees the autonomy rate by fiscal year as a chart,
//! each year shown only when its population reaches the anonymity threshold k.
//! Also the facilitator's record of the vision stated in an interview.

pub mod api;

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::Role;
use domain::audit::AuditAction;
use domain::autonomy::{Definition, MAX_STATEMENT_CHARS, PerformanceRule};
use domain::policy::Action;
use store::audit::NewAuditEntry;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/autonomy", get(page))
        .route("/autonomy/definition", post(save_definition))
}

/// One fiscal year on HR's chart.
pub struct YearRate {
    pub fy: i32,
    /// None when the population is below k (suppressed).
    pub rate: Option<f64>,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/autonomy.html")]
struct AutonomyPage {
    shell: Shell,
    statement: String,
    above_mean: bool,
    rating: String,
    horizon: u8,
    may_edit: bool,
    /// The form as typed (admin), and what is wrong with it.
    form: Option<(String, String, String, String)>,
    error: Option<String>,
    ratings: Vec<String>,
    years: Vec<YearRate>,
    chart: Option<String>,
    statement_limit: usize,
    /// The anonymity threshold: years with fewer people are not shown.
    k: u32,
}

/// A bar chart of rates by fiscal year, as inline SVG (suppressed years left empty).
pub fn rate_chart(years: &[YearRate]) -> Option<String> {
    if years.iter().all(|y| y.rate.is_none()) {
        return None;
    }
    let max = years
        .iter()
        .filter_map(|y| y.rate)
        .fold(0.05_f64, f64::max)
        .min(1.0);
    let (bar, gap, h, top, bottom) = (34.0, 12.0, 170.0, 18.0, 22.0);
    let w = years.len() as f64 * (bar + gap) + gap;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, y) in years.iter().enumerate() {
        let x = gap + i as f64 * (bar + gap);
        if let Some(r) = y.rate {
            let bh = (r / max) * (h - top - bottom);
            svg += &format!(
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar:.0}" height="{bh:.1}" fill="currentColor" opacity="0.75"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="v">{:.0}%</text>"#,
                h - bottom - bh,
                x + bar / 2.0,
                h - bottom - bh - 4.0,
                r * 100.0
            );
        }
        svg += &format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="fy">{}</text>"#,
            x + bar / 2.0,
            h - 6.0,
            y.fy
        );
    }
    svg += "</svg>";
    Some(svg)
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    form: Option<(String, String, String, String)>,
    error: Option<String>,
) -> Result<AutonomyPage, AppError> {
    let tenant = state.store.tenant(auth.tenant()).await?;
    let def = state.store.autonomy_definition(auth.tenant()).await?;
    let mut years = Vec::new();
    if auth.actor.has(Role::Hr) {
        // From the KPI counts the worker keeps (counted here the first time a year is
        // asked for), hidden as the KPI dashboard hides them.
        let cal = tenant.settings.calendar;
        let now = cal.fiscal_year_of(state.clock.today()).0;
        let k = tenant.settings.anonymity_k;
        let series = app::kpi::company_series(
            &state.store,
            auth.tenant(),
            domain::kpi::Kpi::AutonomyRate,
            now,
            state.clock.now(),
        )
        .await?;
        for (fy, f) in series {
            let Some(f) = f else {
                years.push(YearRate {
                    fy,
                    rate: None,
                    label: page.t("kpi.counting_year"),
                });
                continue;
            };
            let shown = f.value.zip(f.people);
            years.push(YearRate {
                fy,
                rate: shown.map(|(r, _)| r),
                label: match shown {
                    Some((rate, population)) => page.lang.catalog().format(
                        "autonomy.year_rate",
                        &[
                            ("rate", &format!("{:.1}", rate * 100.0)),
                            ("n", &((rate * population as f64).round() as u64)),
                            ("population", &population),
                        ],
                    ),
                    None => page.tf("programmes.suppressed", "k", k),
                },
            });
        }
    }
    let (above_mean, rating) = match &def.performance {
        PerformanceRule::AboveMean => (true, String::new()),
        PerformanceRule::AtLeast { rating } => (false, rating.clone()),
    };
    Ok(AutonomyPage {
        k: tenant.settings.anonymity_k,
        shell: page.shell(Some(auth), "/autonomy"),
        statement: def.statement.clone(),
        above_mean,
        rating,
        horizon: def.min_horizon_years,
        may_edit: domain::policy::authorize(
            &auth.actor,
            Action::ManageTenantSettings {
                tenant: auth.tenant(),
            },
        )
        .is_ok(),
        form,
        error,
        ratings: tenant
            .settings
            .rating_scale
            .to_string()
            .split(',')
            .filter_map(|l| l.split('=').next().map(str::to_string))
            .collect(),
        chart: rate_chart(&years),
        years,
        statement_limit: MAX_STATEMENT_CHARS,
    })
}

/// GET /autonomy — キャリア自律: the company's definition, for every employee.
async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<AutonomyPage, AppError> {
    render(&state, &page, &auth, None, None).await
}

/// POST /autonomy/definition — admin states the company's definition.
async fn save_definition(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageTenantSettings {
            tenant: auth.tenant(),
        },
    )?;
    let tenant = state.store.tenant(auth.tenant()).await?;
    let typed = (
        form.get("rule").to_string(),
        form.get("rating").to_string(),
        form.get("horizon").to_string(),
        form.get("statement").to_string(),
    );
    match Definition::parse(
        &typed.0,
        &typed.1,
        &typed.2,
        &typed.3,
        &tenant.settings.rating_scale,
    ) {
        Ok(def) => {
            state
                .store
                .set_autonomy_definition(auth.tenant(), &def)
                .await?;
            auth.audit(
                &state,
                &origin,
                NewAuditEntry::new(Some(auth.tenant()), AuditAction::SettingsChanged)
                    .detail(domain::audit::detail("autonomy_definition", &[])),
            )
            .await?;
            set_flash(&page.session, "success", page.t("autonomy.saved")).await?;
            Ok(Redirect::to("/autonomy").into_response())
        }
        Err(code) => {
            let msg = match code {
                "rating" => page.t("autonomy.error.rating"),
                "horizon" => page.t("autonomy.error.horizon"),
                "statement" => page.tf("dialogue.error.too_long", "n", MAX_STATEMENT_CHARS),
                _ => page.t("autonomy.error.rule"),
            };
            let p = render(&state, &page, &auth, Some(typed), Some(msg)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
