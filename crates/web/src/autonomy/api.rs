//! キャリア自律 over the JSON API, as `/autonomy` shows it: the company's definition for
//! everyone, and — for HR — the company's rate by fiscal year from the KPI counts,
//! hidden as the page hides it (`value` and `people` null below the anonymity
//! threshold; `counting` while a year is being counted).

use crate::AppState;
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use domain::Role;
use domain::autonomy::PerformanceRule;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct DefinitionBody {
    /// The company's own words.
    statement: String,
    /// `above_mean` (above the mean of everyone rated that year) or `at_least`.
    performance: String,
    /// With `at_least`: the lowest rating that counts.
    rating: Option<String>,
    /// The shortest horizon, in years, of a vision that counts.
    min_horizon_years: u8,
}

#[derive(Serialize, ToSchema)]
pub struct YearBody {
    fiscal_year: i32,
    /// The share of people who are career-autonomous (0–1); null when hidden or counting.
    rate: Option<f64>,
    people: Option<u64>,
    suppressed: bool,
    /// The year is being counted; ask again shortly.
    counting: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AutonomyBody {
    definition: DefinitionBody,
    /// HR only (empty for everyone else), the last ten fiscal years.
    years: Vec<YearBody>,
}

/// The company's definition of career autonomy, and its yearly rate for HR.
#[utoipa::path(get, path = "/api/v1/autonomy", tag = "surveys",
    responses((status = 200, body = AutonomyBody), (status = 401, body = ErrorBody)))]
pub async fn autonomy(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<AutonomyBody>, ApiError> {
    let tenant_id = auth.actor.tenant_id;
    let def = state.store.autonomy_definition(tenant_id).await?;
    let (performance, rating) = match &def.performance {
        PerformanceRule::AboveMean => ("above_mean", None),
        PerformanceRule::AtLeast { rating } => ("at_least", Some(rating.clone())),
    };
    let mut years = Vec::new();
    if auth.actor.has(Role::Hr) {
        let tenant = state.store.tenant(tenant_id).await?;
        let current = tenant
            .settings
            .calendar
            .fiscal_year_of(state.clock.today())
            .0;
        let series = app::kpi::company_series(
            &state.store,
            tenant_id,
            domain::kpi::Kpi::AutonomyRate,
            current,
            state.clock.now(),
        )
        .await?;
        for (fy, f) in series {
            years.push(match f {
                Some(f) => YearBody {
                    fiscal_year: fy,
                    rate: f.value.zip(f.people).map(|(r, _)| r),
                    people: f.value.zip(f.people).map(|(_, p)| p),
                    suppressed: f.value.is_none() || f.people.is_none(),
                    counting: false,
                },
                None => YearBody {
                    fiscal_year: fy,
                    rate: None,
                    people: None,
                    suppressed: false,
                    counting: true,
                },
            });
        }
    }
    Ok(Json(AutonomyBody {
        definition: DefinitionBody {
            statement: def.statement,
            performance: performance.into(),
            rating,
            min_horizon_years: def.min_horizon_years,
        },
        years,
    }))
}
