//! The organisation report as XLSX and PDF: the same cells as the page — every one through
//! `app::surveys::report`, so hidden ones are empty here too — for the unit asked, by unit,
//! by age band and by grade (one sheet or section each). Audited as an export.

use super::report::ReportQuery;
use super::row_label;
use crate::shared::auth::{Auth, Page};
use crate::shared::download::{PDF, XLSX, download};
use crate::shared::error::AppError;
use crate::shared::pdf::{Block, render};
use crate::{AppState, Origin};
use app::surveys::{By, OrgReport, ReportUnavailable, Row};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::survey::Measure;

fn value(m: &Measure, v: Option<f64>) -> String {
    match (m, v) {
        (_, None) => "—".into(),
        (Measure::Indicator(_), Some(v)) => format!("{:.0}%", v * 100.0),
        (_, Some(v)) => format!("{v:.1}"),
    }
}

fn cells(r: &OrgReport, row: &Row) -> Vec<String> {
    r.measures
        .iter()
        .zip(&row.cells)
        .map(|(m, c)| value(m, c.value))
        .collect()
}

/// The three breakdowns of the unit asked; while the report is being counted, the way
/// back to its page (which says so).
async fn reports(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    q: &ReportQuery,
) -> Result<Result<(i64, Vec<OrgReport>), Response>, AppError> {
    let caller = auth.caller(origin);
    let id = q.survey.ok_or_else(AppError::bad_request)?;
    let mut out = Vec::new();
    for by in By::ALL {
        match app::surveys::report(
            &state.store,
            &caller,
            id,
            q.unit,
            (by, app::surveys::Listing::All),
            state.clock.now(),
        )
        .await?
        {
            Ok(r) => out.push(r),
            Err(ReportUnavailable::StillOpen) | Err(ReportUnavailable::NoUnit) => {
                return Err(AppError::not_found());
            }
            Err(ReportUnavailable::Counting) => {
                let to = format!("/org-report?survey={id}");
                return Ok(Err(Redirect::to(&to).into_response()));
            }
        }
    }
    auth.audit(
        state,
        origin,
        store::audit::NewAuditEntry::new(Some(auth.tenant()), domain::audit::AuditAction::Export)
            .detail(format!("org report of survey {id} unit {:?}", q.unit)),
    )
    .await?;
    Ok(Ok((id, out)))
}

fn heads(page: &Page, r: &OrgReport) -> Vec<String> {
    [page.t("org_report.row"), page.t("org_report.respondents")]
        .into_iter()
        .chain(
            r.measures
                .iter()
                .map(|m| page.t(&format!("surveys.measure.{}", m.key()))),
        )
        .collect()
}

/// GET /org-report/export.xlsx?survey=&unit= — one sheet per breakdown.
pub(super) async fn xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let (id, reports) = match reports(&state, &auth, &origin, &q).await? {
        Ok(r) => r,
        Err(back) => return Ok(back),
    };
    let sheets: Vec<(String, Vec<Vec<String>>)> = reports
        .iter()
        .map(|r| {
            let mut rows = vec![heads(&page, r)];
            for row in std::iter::once(&r.total).chain(&r.rows) {
                let mut line = vec![
                    row_label(&page, &row.label),
                    row.respondents.map(|n| n.to_string()).unwrap_or("—".into()),
                ];
                line.extend(cells(r, row));
                rows.push(line);
            }
            rows.push(vec![page.tf("org_report.hidden_help", "k", r.k)]);
            (page.t(&format!("org_report.by.{}", r.by.key())), rows)
        })
        .collect();
    let bytes = domain::import::export::sheets_to_xlsx(&sheets)
        .map_err(|e| AppError::internal("org report xlsx", e))?;
    Ok(download(XLSX, format!("org-report-{id}.xlsx"), bytes))
}

/// GET /org-report/export.pdf?survey=&unit= — a section per breakdown.
pub(super) async fn pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let (id, reports) = match reports(&state, &auth, &origin, &q).await? {
        Ok(r) => r,
        Err(back) => return Ok(back),
    };
    let title = reports
        .first()
        .map(|r| format!("{} {}", page.t("org_report.title"), r.title))
        .unwrap_or_default();
    let mut blocks = vec![Block::Title(title.clone())];
    if let Some(r) = reports.first() {
        blocks.push(Block::Meta(page.tf("org_report.lead", "k", r.k)));
    }
    for r in &reports {
        blocks.push(Block::Heading(
            page.t(&format!("org_report.by.{}", r.by.key())),
        ));
        let names: Vec<String> = r
            .measures
            .iter()
            .map(|m| page.t(&format!("surveys.measure.{}", m.key())))
            .collect();
        for row in std::iter::once(&r.total).chain(&r.rows) {
            let text = match row.respondents {
                None => page.tf("org_report.hidden_row", "k", r.k),
                Some(n) => std::iter::once(page.tf("org_report.people", "n", n))
                    .chain(
                        names
                            .iter()
                            .zip(cells(r, row))
                            .map(|(m, v)| format!("{m} {v}")),
                    )
                    .collect::<Vec<_>>()
                    .join(" · "),
            };
            blocks.push(Block::Labelled(row_label(&page, &row.label), text));
        }
    }
    let bytes = render(&title, &blocks).map_err(|e| AppError::internal("org report pdf", e))?;
    Ok(download(PDF, format!("org-report-{id}.pdf"), bytes))
}
