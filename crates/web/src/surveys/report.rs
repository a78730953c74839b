//! 組織レポート: a closed survey's scores and indicator shares for one unit, by its units,
//! age bands or grades, as a heatmap. Every cell is what `app::surveys::report` lets
//! through `domain::anonymity`: a hidden one says why, never how many.

use crate::shared::auth::{Auth, Page};
use crate::shared::error::AppError;
use crate::shared::pager::UnitsPager;
use crate::shared::shell::Shell;
use crate::{AppState, Origin};
use app::surveys::{By, Listing, OrgReport, ReportUnavailable, Row, RowLabel};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use domain::survey::Measure;

#[derive(serde::Deserialize, Default)]
pub struct ReportQuery {
    pub survey: Option<i64>,
    pub unit: Option<i64>,
    pub by: Option<String>,
    /// The page of sub-units (from 1).
    pub page: Option<usize>,
}

/// One cell as the heatmap draws it.
pub struct CellView {
    /// The figure as shown (3.8 / 24%), or empty when hidden.
    pub text: String,
    /// Inline background for the heat, empty when hidden.
    pub style: String,
    pub hidden: bool,
}

/// One row as the heatmap draws it.
pub struct RowView {
    pub label: String,
    /// Link to go down into the unit, when it has units below it.
    pub down: Option<String>,
    pub respondents: String,
    pub hidden: bool,
    pub cells: Vec<CellView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/report.html")]
pub(super) struct ReportPage {
    shell: Shell,
    /// (id, label, selected)
    surveys: Vec<(i64, String, bool)>,
    /// (key, label, selected)
    bys: Vec<(&'static str, String, bool)>,
    unit: Option<i64>,
    /// The survey shown (for the export links).
    survey: Option<i64>,
    /// (link, name) from the top
    path: Vec<(String, String)>,
    /// Measures as column heads: (label, is an indicator).
    measures: Vec<(String, bool)>,
    total: Option<RowView>,
    rows: Vec<RowView>,
    /// Why nothing is shown, when nothing is.
    notice: Option<String>,
    k: u32,
    pager: Option<UnitsPager>,
}

fn heat(m: Measure, v: f64) -> String {
    match m {
        // Indicators: a share agreeing, the more the redder.
        Measure::Indicator(_) => {
            let a = (v * 1.6).clamp(0.05, 0.9);
            format!("background: rgba(200, 60, 40, {a:.2})")
        }
        // Scores 1–5: low in warm orange, high in green.
        _ => {
            let t = ((v - 1.0) / 4.0).clamp(0.0, 1.0);
            let hue = 20.0 + t * 110.0;
            format!("background: hsl({hue:.0}, 55%, 78%)")
        }
    }
}

fn row_view(page: &Page, r: &OrgReport, row: &Row, survey: i64) -> RowView {
    let label = super::row_label(page, &row.label);
    let down = match &row.label {
        RowLabel::Unit { id, .. } if row.has_children && row.respondents.is_some() => Some(
            format!("/org-report?survey={survey}&unit={id}&by={}", r.by.key()),
        ),
        _ => None,
    };
    RowView {
        label,
        down,
        respondents: row
            .respondents
            .map(|n| page.tf("org_report.people", "n", n))
            .unwrap_or_default(),
        hidden: row.respondents.is_none(),
        cells: r
            .measures
            .iter()
            .zip(&row.cells)
            .map(|(m, c)| match c.value {
                Some(v) => CellView {
                    text: match m {
                        Measure::Indicator(_) => format!("{:.0}%", v * 100.0),
                        _ => format!("{v:.1}"),
                    },
                    style: heat(*m, v),
                    hidden: false,
                },
                None => CellView {
                    text: String::new(),
                    style: String::new(),
                    hidden: true,
                },
            })
            .collect(),
    }
}

/// GET /org-report — HR for the whole company, a manager for their own unit.
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, AppError> {
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let k = state
        .store
        .tenant(auth.tenant())
        .await?
        .settings
        .anonymity_k;
    let reportable = app::surveys::reportable(&state.store, &caller, today).await?;
    let survey = q.survey.or_else(|| reportable.first().map(|s| s.id));
    let by = q.by.as_deref().and_then(By::parse).unwrap_or(By::Unit);
    let mut p = ReportPage {
        shell: page.shell(Some(&auth), "/org-report"),
        surveys: reportable
            .iter()
            .map(|s| {
                (
                    s.id,
                    format!("{} {}", s.fiscal_year, s.title),
                    Some(s.id) == survey,
                )
            })
            .collect(),
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
        survey,
        path: Vec::new(),
        measures: Vec::new(),
        total: None,
        rows: Vec::new(),
        notice: None,
        k,
        pager: None,
    };
    let Some(id) = survey else {
        p.notice = Some(page.t("org_report.none_closed"));
        return Ok(p);
    };
    let report = match app::surveys::report(
        &state.store,
        &caller,
        id,
        q.unit,
        (by, Listing::Page(q.page.unwrap_or(1))),
        state.clock.now(),
    )
    .await?
    {
        Ok(r) => r,
        Err(ReportUnavailable::StillOpen) => {
            p.notice = Some(page.t("org_report.still_open"));
            return Ok(p);
        }
        Err(ReportUnavailable::NoUnit) => {
            p.notice = Some(page.t("org_report.no_unit"));
            return Ok(p);
        }
        Err(ReportUnavailable::Counting) => {
            p.notice = Some(page.t("org_report.counting"));
            return Ok(p);
        }
    };
    p.measures = report
        .measures
        .iter()
        .map(|m| {
            (
                page.t(&format!("surveys.measure.{}", m.key())),
                matches!(m, Measure::Indicator(_)),
            )
        })
        .collect();
    let link = |unit: Option<i64>| match unit {
        Some(u) => format!("/org-report?survey={id}&unit={u}&by={}", by.key()),
        None => format!("/org-report?survey={id}&by={}", by.key()),
    };
    if report.whole_company {
        p.path.push((link(None), page.t("org_report.company")));
    }
    for (d, name) in &report.path {
        p.path.push((link(Some(*d)), name.clone()));
    }
    let total = row_view(&page, &report, &report.total, id);
    if total.hidden {
        p.notice = Some(page.tf("org_report.unit_too_small", "k", k));
        return Ok(p);
    }
    p.rows = report
        .rows
        .iter()
        .map(|r| row_view(&page, &report, r, id))
        .collect();
    p.total = Some(total);
    p.pager = UnitsPager::of(report.paged, |n| {
        let unit = q.unit.map(|u| format!("&unit={u}")).unwrap_or_default();
        format!("/org-report?survey={id}{unit}&by={}&page={n}", by.key())
    });
    Ok(p)
}
