//! The KPI dashboard over the JSON API: the same figures, hidden the same way, as `/kpi`.

use crate::AppState;
use crate::Origin;
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use app::org_report::ReportUnavailable;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KpiParams {
    /// The fiscal year; this year when left out.
    #[param(minimum = 2000, maximum = 2100)]
    fy: Option<i32>,
    /// A department's id; the whole company (HR) or the caller's own unit (a manager)
    /// when left out.
    unit: Option<i64>,
}

/// The KPIs of a fiscal year for a unit and its sub-units, with each KPI's ten-year trend
/// for the unit. A figure covering fewer people than the anonymity threshold, or one that
/// would let such a figure be worked out, comes with `value` and `people` null and
/// `suppressed` true.
#[utoipa::path(get, path = "/api/v1/kpi", tag = "surveys", params(KpiParams),
    responses((status = 200, description = "{fiscal_year, k, kpis, total: {label, figures: [{kpi, value, people, suppressed}]}, rows: [...], trend: [{fiscal_year, figures}], path, whole_company}"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn kpi(
    State(state): State<AppState>,
    auth: ApiAuth,
    q: Result<Query<KpiParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<app::kpi::Dashboard>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if q.fy.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(ApiError::bad_request("fy: a fiscal year from 2000 to 2100"));
    }
    let caller = auth.caller(&Origin::default());
    let today = state.clock.today();
    let fy = match q.fy {
        Some(y) => y,
        None => {
            state
                .store
                .tenant(auth.actor.tenant_id)
                .await?
                .settings
                .calendar
                .fiscal_year_of(today)
                .0
        }
    };
    match app::kpi::dashboard(
        &state.store,
        &caller,
        fy,
        q.unit,
        (true, app::org_report::Listing::All),
        state.clock.now(),
    )
    .await?
    {
        Ok(d) => Ok(Json(d)),
        Err(ReportUnavailable::NoUnit)
        | Err(ReportUnavailable::StillOpen)
        | Err(ReportUnavailable::Counting) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "no_unit",
            "you manage no unit",
        )),
    }
}
