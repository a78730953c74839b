//! 相談テーマの集計: people who raised each theme in a fiscal year's career interviews and
//! consultations, by unit, age band or grade (`app::concerns::report`); and HR's themes
//! of the company's own.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::pager::UnitsPager;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::surveys::{By, Listing, ReportUnavailable, RowLabel};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(serde::Deserialize, Default)]
pub struct ThemesQuery {
    pub fy: Option<i32>,
    pub unit: Option<i64>,
    pub by: Option<String>,
    /// The page of sub-units (from 1).
    pub page: Option<usize>,
}

pub struct ThemeRowView {
    pub label: String,
    pub down: Option<String>,
    pub consulted: String,
    pub hidden: bool,
    /// (count as shown, inline style); empty when hidden.
    pub cells: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/themes.html")]
pub(super) struct ThemesPage {
    shell: Shell,
    fy: i32,
    years: Vec<i32>,
    bys: Vec<(&'static str, String, bool)>,
    unit: Option<i64>,
    path: Vec<(String, String)>,
    themes: Vec<String>,
    total: Option<ThemeRowView>,
    rows: Vec<ThemeRowView>,
    notice: Option<String>,
    k: u32,
    /// When the year's themes were counted.
    as_of: String,
    pager: Option<UnitsPager>,
}

/// GET /org-report/themes — HR for the company, a manager for their own unit.
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ThemesQuery>,
) -> Result<ThemesPage, AppError> {
    let caller = auth.caller(&origin);
    let settings = state.store.tenant(auth.tenant()).await?.settings;
    let now = settings.calendar.fiscal_year_of(state.clock.today()).0;
    let fy = q.fy.filter(|y| (now - 9..=now).contains(y)).unwrap_or(now);
    let by = q.by.as_deref().and_then(By::parse).unwrap_or(By::Unit);
    let mut p = ThemesPage {
        shell: page.shell(Some(&auth), "/org-report"),
        fy,
        years: (now - 9..=now).rev().collect(),
        bys: By::ALL
            .into_iter()
            .map(|b| {
                (
                    b.key(),
                    page.t(&format!("org_report.by.{}", b.key())),
                    b == by,
                )
            })
            .collect(),
        unit: q.unit,
        path: Vec::new(),
        themes: Vec::new(),
        total: None,
        rows: Vec::new(),
        notice: None,
        k: settings.anonymity_k,
        as_of: String::new(),
        pager: None,
    };
    let report = match app::concerns::report(
        &state.store,
        &caller,
        fy,
        q.unit,
        (by, Listing::Page(q.page.unwrap_or(1))),
        state.clock.now(),
    )
    .await?
    {
        Ok(r) => r,
        Err(ReportUnavailable::Counting) => {
            p.notice = Some(page.t("org_report.themes_counting"));
            return Ok(p);
        }
        Err(ReportUnavailable::NoUnit) | Err(ReportUnavailable::StillOpen) => {
            p.notice = Some(page.t("org_report.no_unit"));
            return Ok(p);
        }
    };
    p.as_of = crate::shared::time::when(report.as_of);
    p.pager = UnitsPager::of(report.paged, |n| {
        let unit = q.unit.map(|u| format!("&unit={u}")).unwrap_or_default();
        format!("/org-report/themes?fy={fy}{unit}&by={}&page={n}", by.key())
    });
    let list = app::concerns::list(&state.store, auth.tenant()).await?;
    let ja = page.lang == crate::shared::i18n::Lang::Ja;
    p.themes = report
        .themes
        .iter()
        .map(|k| list.label(k, page.lang.catalog(), ja))
        .collect();
    let link = |unit: Option<i64>| match unit {
        Some(u) => format!("/org-report/themes?fy={fy}&unit={u}&by={}", by.key()),
        None => format!("/org-report/themes?fy={fy}&by={}", by.key()),
    };
    if report.whole_company {
        p.path.push((link(None), page.t("org_report.company")));
    }
    for (d, name) in &report.path {
        p.path.push((link(Some(*d)), name.clone()));
    }
    let view = |r: &app::concerns::ThemeRow| {
        let most = r.consulted.unwrap_or(0).max(1) as f64;
        ThemeRowView {
            label: super::row_label(&page, &r.label),
            down: match &r.label {
                RowLabel::Unit { id, .. } if r.has_children && r.consulted.is_some() => {
                    Some(link(Some(*id)))
                }
                _ => None,
            },
            consulted: r
                .consulted
                .map(|n| page.tf("org_report.people", "n", n))
                .unwrap_or_default(),
            hidden: r.consulted.is_none(),
            cells: r
                .themes
                .iter()
                .map(|c| match c {
                    Some(n) => (
                        n.to_string(),
                        format!(
                            "background: rgba(30, 107, 92, {:.2})",
                            (*n as f64 / most * 0.6).clamp(0.0, 0.6)
                        ),
                    ),
                    None => (String::new(), String::new()),
                })
                .collect(),
        }
    };
    let total = view(&report.total);
    if total.hidden {
        p.notice = Some(page.tf("org_report.unit_too_small", "k", p.k));
        return Ok(p);
    }
    p.rows = report.rows.iter().map(view).collect();
    p.total = Some(total);
    Ok(p)
}

/// POST /surveys/themes — HR adds a theme of the company's own.
pub(super) async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let (ja, en) = (form.get("label_ja"), form.get("label_en"));
    match app::concerns::add(&state.store, &caller, ja, en, state.clock.now()).await? {
        Ok(t) => {
            set_flash(
                &page.session,
                "success",
                page.tf("concern.added", "label", &t.label_ja),
            )
            .await?;
            Ok(Redirect::to("/surveys#themes").into_response())
        }
        Err(problem) => {
            let error = page.t(&format!("concern.error.{}", problem.key()));
            let p = super::manage::list_with_theme_error(
                &state,
                &page,
                &auth,
                &origin,
                (ja, en),
                error,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
