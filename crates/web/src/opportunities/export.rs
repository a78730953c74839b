//! HR's XLSX of postings and applications: every posting, and every application the
//! policy lets the caller see (an application hidden from them — they are above its
//! applicant and it has not reached the reveal stage — is not in it). Motivations and
//! reasons stay in the product: the file holds who applied to what, when, and where it
//! stands. Audited as an export.

use super::progress_text;
use crate::shared::auth::{Auth, Page};
use crate::shared::download::{XLSX, download};
use crate::shared::error::AppError;
use crate::{AppState, Origin};
use axum::extract::State;
use axum::response::Response;
use domain::audit::AuditAction;
use store::audit::NewAuditEntry;

/// GET /postings/export.xlsx — HR only.
pub(super) async fn xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    if !auth.actor.has(domain::Role::Hr) {
        return Err(AppError::forbidden());
    }
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let postings = app::postings::browse(
        &state.store,
        &caller,
        app::postings::Shelf::Managed,
        "",
        today,
    )
    .await?;
    let applications = app::postings::all_visible(&state.store, &caller).await?;
    let t = |k: &str| page.t(&format!("postings.export.{k}"));
    let mut sheet_postings = vec![vec![
        t("id"),
        t("title"),
        t("department"),
        t("hiring_manager"),
        t("grades"),
        t("headcount"),
        t("opens_on"),
        t("closes_on"),
        t("stages"),
        t("reveal_stage"),
        t("applications"),
    ]];
    for l in &postings {
        let p = &l.posting;
        sheet_postings.push(vec![
            p.id.to_string(),
            p.posting.title.clone(),
            p.department_name.clone(),
            p.hiring_manager_name.clone(),
            p.posting.grades.join("・"),
            p.posting.headcount.to_string(),
            p.posting.opens_on.to_string(),
            p.posting.closes_on.to_string(),
            p.posting.stages.join(" → "),
            super::stage_name(&page, &p.posting.stages, p.posting.reveal_at),
            l.applications.unwrap_or(0).to_string(),
        ]);
    }
    let mut sheet_applications = vec![vec![
        t("application"),
        t("id"),
        t("title"),
        t("employee_number"),
        t("name"),
        t("applicant_department"),
        t("applied_on"),
        t("status"),
    ]];
    for (a, p, _) in &applications {
        sheet_applications.push(vec![
            a.id.to_string(),
            p.id.to_string(),
            p.posting.title.clone(),
            a.employee_number.clone(),
            a.person_name.clone(),
            a.department_name.clone(),
            crate::shared::time::jst(a.created_at)
                .format("%Y-%m-%d")
                .to_string(),
            progress_text(&page, &p.posting.stages, a.progress).1,
        ]);
    }
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export).detail(domain::audit::detail(
            "postings_export",
            &[("n", &postings.len()), ("count", &applications.len())],
        )),
    )
    .await?;
    let sheets = vec![
        (t("sheet_postings"), sheet_postings),
        (t("sheet_applications"), sheet_applications),
    ];
    let bytes = domain::import::export::sheets_to_xlsx(&sheets)
        .map_err(|e| AppError::internal("postings xlsx", e))?;
    Ok(download(XLSX, format!("postings-{today}.xlsx"), bytes))
}
