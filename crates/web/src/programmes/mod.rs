//! 節目プログラム pages: HR launches a programme from a template or a custom rule (the
//! cohort is frozen at launch), adds training sessions, places everyone with the button
//! (instructor fit by exact min-cost assignment, workshop groups by Career Anchor), makes
//! overrides, adds late joiners and reads the funnel. Instructors see their sessions'
//! rosters and groups; participants see their own path on マイキャリア.
//!
//! [`plan`] is the placement both the button and `kyoritsu programme assign` use, and
//! [`report`] the figures both the dashboard and `kyoritsu programme report` show.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::{from_jst, jst};
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::policy::Action;
use domain::programme::{CohortRule, Funnel, Stage, Step, StepState, Template as Kind};
use domain::training::Style;
use domain::{PersonId, Role, TenantId, UserId};
use std::collections::{BTreeMap, HashMap};
use store::programmes::{NewProgramme, NewSession, Programme, TrainingSession};

pub mod api;
mod cross;
mod detail;
mod feedback;
mod interviews;
mod launch;
mod list;
mod my_path;
mod pre_learning;
mod roster;
mod sessions;

use cross::*;
use detail::*;
use feedback::*;
use interviews::*;
use launch::*;
use my_path::*;
use pre_learning::*;
use roster::*;
use sessions::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(list::router())
        .route("/programmes/new", get(new_form).post(create))
        .route("/programmes/{id}", get(detail))
        .route("/programmes/{id}/cancel", post(cancel))
        .route("/programmes/{id}/pairs", post(pair_cohort))
        .route("/programmes/{id}/sessions", post(add_session))
        .route("/programmes/{id}/place", post(place))
        .route(
            "/programmes/{id}/sessions/{sid}/delete",
            post(remove_session),
        )
        .route("/programmes/{id}/interviews", post(book_interviews))
        .route("/programmes/{id}/pin", post(pin))
        .route("/programmes/{id}/participants", post(add_late_joiner))
        .route("/programmes/{id}/sessions/{sid}", get(roster))
        .route(
            "/programmes/{id}/sessions/{sid}/roster.xlsx",
            get(roster_xlsx),
        )
        .route(
            "/programmes/{id}/sessions/{sid}/roster.pdf",
            get(roster_pdf),
        )
        .route("/programmes/{id}/export.xlsx", get(export_xlsx))
        .route(
            "/programmes/{id}/pre-learning",
            post(save_pre_learning).layer(axum::extract::DefaultBodyLimit::max(
                domain::programme::MAX_PRE_LEARNING_BYTES + 1024 * 1024,
            )),
        )
        .route(
            "/programmes/{id}/pre-learning/remove",
            post(remove_pre_learning_file),
        )
        .route("/programmes/{id}/pre-learning/file", get(pre_learning_file))
        .route("/my/programmes/{id}", get(my_path))
        .route("/my/programmes/{id}/pre-learning", post(pre_learning_done))
        .route("/my/programmes/{id}/training-feedback", post(give_feedback))
}

// Placement and figures are `app::programmes`, shared with the CLI.
use app::programmes::{AutonomyYear, Placed, Report, cadence_of, plan, report, segments};

/// Cohort against company by fiscal year, as paired bars (inline SVG).
fn autonomy_chart(
    years: &[AutonomyYear],
    cohort_label: &str,
    company_label: &str,
) -> Option<String> {
    if years
        .iter()
        .all(|y| y.cohort_rate.is_none() && y.company_rate.is_none())
    {
        return None;
    }
    let max = years
        .iter()
        .flat_map(|y| [y.cohort_rate, y.company_rate])
        .flatten()
        .fold(0.05_f64, f64::max)
        .min(1.0);
    let (bar, gap, h, top, bottom) = (20.0, 18.0, 190.0, 34.0, 22.0);
    // At least wide enough for the legend.
    let w = (years.len() as f64 * (2.0 * bar + gap) + gap + 10.0).max(gap + 134.0 + 90.0);
    let esc = |t: &str| {
        askama::filters::escape(t, askama::filters::Html)
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let mut svg = format!(
        r##"<svg class="chart" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" xmlns="http://www.w3.org/2000/svg"><rect x="{gap:.0}" y="6" width="10" height="10" fill="currentColor" opacity="0.85"/><text x="{:.0}" y="15">{}</text><rect x="{:.0}" y="6" width="10" height="10" fill="#9aa5b1"/><text x="{:.0}" y="15">{}</text>"##,
        gap + 14.0,
        esc(cohort_label),
        gap + 120.0,
        gap + 134.0,
        esc(company_label),
    );
    for (i, y) in years.iter().enumerate() {
        let x = gap + i as f64 * (2.0 * bar + gap);
        for (j, (rate, fill)) in [
            (y.cohort_rate, r#"fill="currentColor" opacity="0.85""#),
            (y.company_rate, r##"fill="#9aa5b1""##),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(r) = rate {
                let bh = (r / max) * (h - top - bottom);
                let bx = x + j as f64 * bar;
                svg += &format!(
                    r#"<rect x="{bx:.1}" y="{:.1}" width="{:.0}" height="{bh:.1}" {fill}/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="v">{:.0}%</text>"#,
                    h - bottom - bh,
                    bar - 2.0,
                    bx + bar / 2.0 - 1.0,
                    h - bottom - bh - 3.0,
                    r * 100.0
                );
            }
        }
        svg += &format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="fy">{}</text>"#,
            x + bar,
            h - 6.0,
            y.fiscal_year
        );
    }
    svg += "</svg>";
    Some(svg)
}

async fn department_name(
    state: &AppState,
    tenant: TenantId,
    rule: &CohortRule,
) -> store::Result<Option<String>> {
    match &rule.department {
        Some(code) => state.store.department_name(tenant, code).await,
        None => Ok(None),
    }
}

/// What a hidden behaviour-change figure says: "under k" when fewer than k were
/// evaluated, otherwise only "hidden" (a small cell must not be worked out).
pub fn hidden_label(page: &Page, evaluated: u64, k: u32) -> String {
    if evaluated < u64::from(k) {
        page.tf("programmes.suppressed", "k", k)
    } else {
        page.t("behaviour.hidden")
    }
}

/// A programme's line on the HR home: how far it got, year after year.
pub struct Summary {
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub rule: String,
    pub targeted: u64,
    pub committed: String,
    pub adherence: String,
    /// Behaviour-change rate, or "under k" / "not yet".
    pub behaviour: String,
    pub cancelled: bool,
}

/// Every programme with its headline figures (the funnel's, no autonomy).
pub async fn summaries(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    k: u32,
) -> store::Result<Vec<Summary>> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let now = state.clock.now();
    let mut out = Vec::new();
    for p in state.store.programmes(tenant).await? {
        let progress = state
            .store
            .programme_progress(tenant, &p, &cal, now)
            .await?;
        let f = Funnel::of(progress.iter().map(|(_, x)| x));
        let behaviour = if f.behaviour.evaluated() == 0 {
            "—".to_string()
        } else {
            match f.behaviour.anonymised(u64::from(k)).rate {
                Some(r) => pct(r),
                None => hidden_label(page, f.behaviour.evaluated(), k),
            }
        };
        // The 1on1 programmes have no interviews or evaluations of their own.
        let milestone = p.template.has_training();
        let or_dash = |v: String| if milestone { v } else { "—".to_string() };
        out.push(Summary {
            id: p.id,
            fiscal_year: p.fiscal_year,
            rule: rule_text(
                page,
                &p.rule,
                department_name(state, tenant, &p.rule).await?.as_deref(),
            ),
            name: p.name,
            targeted: f.count(Stage::Targeted),
            committed: or_dash(pct(f.rate(Stage::Committed))),
            adherence: or_dash(pct(f.start_adherence())),
            behaviour: or_dash(behaviour),
            cancelled: p.cancelled_at.is_some(),
        });
    }
    Ok(out)
}
