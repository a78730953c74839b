//! KPIダッシュボード: the figures that keep the company's career support honest, for a
//! fiscal year and a unit (HR from the whole company down, a manager from their own
//! unit), with each KPI's one-line definition, a ten-year trend and an XLSX export. Every
//! figure is what `app::kpi` lets through `domain::anonymity`; a hidden one says why,
//! never how many. The JSON form is `api`.

pub mod api;

use crate::shared::auth::{Auth, Page};
use crate::shared::download::{XLSX, download};
use crate::shared::error::AppError;
use crate::shared::figures::shown;
use crate::shared::pager::UnitsPager;
use crate::shared::shell::Shell;
use crate::{AppState, Origin};
use app::kpi::{Dashboard, Figure, KpiRow};
use app::org_report::{Listing, ReportUnavailable, RowLabel};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::kpi::{Kpi, Unit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kpi", get(page))
        .route("/kpi/export.xlsx", get(xlsx))
}

#[derive(serde::Deserialize, Default)]
pub struct KpiQuery {
    pub fy: Option<String>,
    pub unit: Option<i64>,
    /// The page of sub-units (from 1).
    pub page: Option<usize>,
}

/// One figure as the table draws it.
pub struct FigureView {
    pub text: String,
    /// Hidden by the anonymity rule (shown as —).
    pub hidden: bool,
    pub people: String,
}

/// One unit's row.
pub struct RowView {
    pub label: String,
    pub down: Option<String>,
    pub figures: Vec<FigureView>,
}

/// One KPI's line in the summary: name, definition, value, and its trend.
pub struct KpiView {
    pub key: &'static str,
    pub name: String,
    pub definition: String,
    pub value: FigureView,
    /// Inline SVG of the trend, when at least one year shows.
    pub chart: Option<String>,
    /// (FY, value as shown, hidden) from the oldest year.
    pub years: Vec<(i32, String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "kpi/kpi.html")]
pub(crate) struct KpiPage {
    shell: Shell,
    /// (fy, selected)
    years: Vec<(i32, bool)>,
    fy: i32,
    unit: Option<i64>,
    path: Vec<(String, String)>,
    kpis: Vec<KpiView>,
    /// Column heads of the unit table: short names.
    heads: Vec<String>,
    rows: Vec<RowView>,
    notice: Option<String>,
    k: u32,
    /// When the year's figures were counted (Japan time).
    as_of: String,
    pager: Option<UnitsPager>,
}

fn figure_view(page: &Page, f: &Figure) -> FigureView {
    FigureView {
        text: shown(page, f),
        hidden: f.suppressed,
        people: f
            .people
            .map(|n| page.tf("org_report.people", "n", n))
            .unwrap_or_default(),
    }
}

pub(crate) fn row_name(page: &Page, l: &RowLabel) -> String {
    match l {
        RowLabel::Unit { name, .. } => name.clone(),
        _ => page.t("org_report.company"),
    }
}

/// A line of the trend: a point per fiscal year shown, gaps where hidden.
fn trend_chart(kpi: Kpi, years: &[(i32, Option<f64>)]) -> Option<String> {
    let values: Vec<f64> = years.iter().filter_map(|(_, v)| *v).collect();
    if values.is_empty() {
        return None;
    }
    let (lo, hi) = match kpi.unit() {
        Unit::Share => (0.0, 1.0),
        Unit::Score => (1.0, 5.0),
        Unit::Sessions => (0.0, values.iter().copied().fold(1.0, f64::max)),
    };
    let (w, h, pad) = (240.0, 48.0, 4.0);
    let step = (w - 2.0 * pad) / (years.len().max(2) - 1) as f64;
    let y = |v: f64| h - pad - (v - lo) / (hi - lo).max(f64::EPSILON) * (h - 2.0 * pad);
    let mut svg = format!(
        r#"<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><line x1="0" y1="{b}" x2="{w}" y2="{b}" stroke="currentColor" opacity="0.2"/>"#,
        b = h - pad
    );
    let mut path = String::new();
    for (i, (_, v)) in years.iter().enumerate() {
        let x = pad + i as f64 * step;
        match v {
            Some(v) => {
                path += &format!(
                    "{}{x:.1},{:.1} ",
                    if path.is_empty() { "M" } else { "L" },
                    y(*v)
                );
                svg += &format!(
                    r#"<circle cx="{x:.1}" cy="{:.1}" r="2.5" fill="currentColor"/>"#,
                    y(*v)
                );
            }
            None => {
                if !path.is_empty() {
                    svg += &format!(
                        r#"<path d="{path}" fill="none" stroke="currentColor" stroke-width="1.5"/>"#
                    );
                    path.clear();
                }
            }
        }
    }
    if !path.is_empty() {
        svg +=
            &format!(r#"<path d="{path}" fill="none" stroke="currentColor" stroke-width="1.5"/>"#);
    }
    svg += "</svg>";
    Some(svg)
}

/// The fiscal year asked for (this one when none or not a year).
pub(crate) async fn fiscal_year(
    state: &AppState,
    auth: &Auth,
    asked: Option<&str>,
) -> Result<(i32, i32), AppError> {
    let cal = state.store.tenant(auth.tenant()).await?.settings.calendar;
    let now = cal.fiscal_year_of(state.clock.today()).0;
    let fy = asked
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (now - app::kpi::TREND_YEARS + 1..=now).contains(y))
        .unwrap_or(now);
    Ok((fy, now))
}

/// GET /kpi?fy=&unit= — HR for the whole company, a manager for their own unit.
pub(crate) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<KpiQuery>,
) -> Result<KpiPage, AppError> {
    let (fy, now) = fiscal_year(&state, &auth, q.fy.as_deref()).await?;
    let caller = auth.caller(&origin);
    let k = state
        .store
        .tenant(auth.tenant())
        .await?
        .settings
        .anonymity_k;
    let mut p = KpiPage {
        shell: page.shell(Some(&auth), "/kpi"),
        years: (now - app::kpi::TREND_YEARS + 1..=now)
            .rev()
            .map(|y| (y, y == fy))
            .collect(),
        fy,
        unit: q.unit,
        path: Vec::new(),
        kpis: Vec::new(),
        heads: Kpi::ALL
            .iter()
            .map(|k| page.t(&format!("kpi.short.{}", k.key())))
            .collect(),
        rows: Vec::new(),
        notice: None,
        k,
        as_of: String::new(),
        pager: None,
    };
    let listing = Listing::Page(q.page.unwrap_or(1));
    let d = match app::kpi::dashboard(
        &state.store,
        &caller,
        fy,
        q.unit,
        (true, listing),
        state.clock.now(),
    )
    .await?
    {
        Ok(d) => d,
        Err(ReportUnavailable::NoUnit)
        | Err(ReportUnavailable::StillOpen)
        | Err(ReportUnavailable::Counting) => {
            p.notice = Some(page.t("kpi.no_unit"));
            return Ok(p);
        }
    };
    match d.as_of {
        Some(at) => p.as_of = crate::shared::time::when(at),
        None => p.notice = Some(page.t("kpi.counting")),
    }
    let link = |unit: Option<i64>| match unit {
        Some(u) => format!("/kpi?fy={fy}&unit={u}"),
        None => format!("/kpi?fy={fy}"),
    };
    if d.whole_company {
        p.path.push((link(None), page.t("org_report.company")));
    }
    for (id, name) in &d.path {
        p.path.push((link(Some(*id)), name.clone()));
    }
    if d.as_of.is_none() {
        return Ok(p);
    }
    p.heads = d
        .kpis
        .iter()
        .map(|k| page.t(&format!("kpi.short.{}", k.key())))
        .collect();
    p.kpis = d
        .total
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let years: Vec<(i32, Option<f64>)> = d
                .trend
                .iter()
                .map(|y| (y.fiscal_year, y.figures.get(i).and_then(|f| f.value)))
                .collect();
            KpiView {
                key: f.kpi.key(),
                name: page.t(&format!("kpi.name.{}", f.kpi.key())),
                definition: page.t(&format!("kpi.def.{}", f.kpi.key())),
                value: figure_view(&page, f),
                chart: trend_chart(f.kpi, &years),
                years: d
                    .trend
                    .iter()
                    .filter_map(|y| {
                        y.figures.get(i).map(|g| {
                            let text = if y.counted {
                                shown(&page, g)
                            } else {
                                page.t("kpi.counting_year")
                            };
                            (y.fiscal_year, text, g.suppressed)
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    p.rows = d
        .rows
        .iter()
        .map(|r| RowView {
            label: row_name(&page, &r.label),
            down: match &r.label {
                RowLabel::Unit { id, .. } if r.has_children => Some(link(Some(*id))),
                _ => None,
            },
            figures: r.figures.iter().map(|f| figure_view(&page, f)).collect(),
        })
        .collect();
    p.pager = UnitsPager::of(d.paged, |n| {
        let unit = q.unit.map(|u| format!("&unit={u}")).unwrap_or_default();
        format!("/kpi?fy={fy}{unit}&page={n}")
    });
    Ok(p)
}

fn sheet_row(page: &Page, r: &KpiRow) -> Vec<String> {
    std::iter::once(row_name(page, &r.label))
        .chain(r.figures.iter().map(|f| {
            if f.suppressed {
                "—".to_string()
            } else {
                shown(page, f)
            }
        }))
        .collect()
}

/// GET /kpi/export.xlsx?fy=&unit= — the unit and its sub-units, and the ten-year trend,
/// with the same hidden figures as the page. Audited as an export.
pub(crate) async fn xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<KpiQuery>,
) -> Result<Response, AppError> {
    let (fy, _) = fiscal_year(&state, &auth, q.fy.as_deref()).await?;
    let caller = auth.caller(&origin);
    let d: Dashboard = match app::kpi::dashboard(
        &state.store,
        &caller,
        fy,
        q.unit,
        (true, Listing::All),
        state.clock.now(),
    )
    .await?
    {
        Ok(d) => d,
        Err(_) => return Err(AppError::not_found()),
    };
    auth.audit(
        &state,
        &origin,
        store::audit::NewAuditEntry::new(Some(auth.tenant()), domain::audit::AuditAction::Export)
            .detail(format!("kpi of FY{fy} unit {:?}", q.unit)),
    )
    .await?;
    let names: Vec<String> = d
        .kpis
        .iter()
        .map(|k| page.t(&format!("kpi.name.{}", k.key())))
        .collect();
    let mut units = vec![
        std::iter::once(page.t("org_report.row"))
            .chain(names.iter().cloned())
            .collect::<Vec<_>>(),
    ];
    for r in std::iter::once(&d.total).chain(&d.rows) {
        units.push(sheet_row(&page, r));
    }
    units.push(vec![page.tf("kpi.hidden_help", "k", d.k)]);
    let mut trend = vec![
        std::iter::once(page.t("kpi.fiscal_year"))
            .chain(names.iter().cloned())
            .collect::<Vec<_>>(),
    ];
    for y in &d.trend {
        trend.push(
            std::iter::once(y.fiscal_year.to_string())
                .chain(y.figures.iter().map(|f| {
                    if f.suppressed {
                        "—".to_string()
                    } else {
                        shown(&page, f)
                    }
                }))
                .collect(),
        );
    }
    let mut definitions = vec![vec![page.t("kpi.kpi"), page.t("kpi.definition")]];
    for (k, name) in d.kpis.iter().zip(&names) {
        definitions.push(vec![name.clone(), page.t(&format!("kpi.def.{}", k.key()))]);
    }
    let sheets = vec![
        (page.tf("kpi.sheet_units", "fy", fy), units),
        (page.t("kpi.sheet_trend"), trend),
        (page.t("kpi.sheet_definitions"), definitions),
    ];
    let bytes = domain::import::export::sheets_to_xlsx(&sheets)
        .map_err(|e| AppError::internal("kpi xlsx", e))?;
    Ok(download(XLSX, format!("kpi-{fy}.xlsx"), bytes))
}
