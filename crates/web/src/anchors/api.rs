//! The caller's Career Anchor inventory (キャリア・アンカー) over the JSON API, as
//! マイキャリア shows it: the 40 statements to rate, the caller's takes with their
//! profile and dominant anchor(s), and a new take. Only the person sees their own
//! (`app::anchors`); anyone outside the employee master is refused.

use crate::AppState;
use crate::shared::api::{ApiJson, Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::anchor::{self, AnswerSheet, PICKS, SheetError};
use serde::{Deserialize, Serialize};
use store::anchors::AnchorResult;
use utoipa::ToSchema;

/// A statement of the inventory, in both languages.
#[derive(Serialize, ToSchema)]
pub struct StatementOut {
    /// 1–40.
    number: usize,
    ja: String,
    en: String,
}

/// The 40 statements, in order: rate each 1 (not true at all) to 6 (always true), then
/// pick the three most true of you.
#[utoipa::path(get, path = "/api/v1/anchors/statements", tag = "anchors",
    responses((status = 200, body = [StatementOut]), (status = 401, body = ErrorBody)))]
pub async fn statements(_auth: ApiAuth) -> Json<Vec<StatementOut>> {
    Json(
        anchor::statements()
            .into_iter()
            .map(|s| StatementOut {
                number: s.number,
                ja: s.ja.into(),
                en: s.en.into(),
            })
            .collect(),
    )
}

/// One anchor's score in a take.
#[derive(Serialize, ToSchema)]
pub struct ScoreOut {
    /// `technical_functional`, `general_managerial`, `autonomy`, `security`,
    /// `entrepreneurial`, `service`, `pure_challenge` or `lifestyle`.
    anchor: String,
    /// Total divided by 5 (0–8.4).
    score: f64,
}

/// A take: the answers, the profile and the dominant anchor(s) (several when tied).
#[derive(Serialize, ToSchema)]
pub struct TakeOut {
    id: i64,
    taken_at: DateTime<Utc>,
    ratings: Vec<u8>,
    picks: Vec<usize>,
    scores: Vec<ScoreOut>,
    dominant: Vec<String>,
}

fn take_out(t: &AnchorResult) -> TakeOut {
    let p = anchor::score(&t.sheet);
    TakeOut {
        id: t.id,
        taken_at: t.taken_at,
        ratings: t.sheet.ratings.clone(),
        picks: t.sheet.picks.clone(),
        scores: p
            .totals
            .iter()
            .map(|(a, _)| ScoreOut {
                anchor: a.key().into(),
                score: (p.score(*a) * 10.0).round() / 10.0,
            })
            .collect(),
        dominant: p.dominant.iter().map(|a| a.key().to_string()).collect(),
    }
}

/// The caller's takes, newest first.
#[utoipa::path(get, path = "/api/v1/me/anchors", tag = "anchors", params(Paging),
    responses((status = 200, body = [TakeOut]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "the caller is not in the employee master")))]
pub async fn mine(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<TakeOut>, ApiError> {
    paging.only(&[])?;
    let takes = app::anchors::takes(&state.store, &auth.actor).await?;
    Ok(paging.of(takes.iter().map(take_out).collect()))
}

/// A new take.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeIn {
    /// The ratings of statements 1–40, in order, each 1–6.
    #[schema(min_items = 40, max_items = 40)]
    ratings: Vec<u8>,
    /// The numbers (1–40) of the three statements most true of the caller.
    #[schema(min_items = 3, max_items = 3)]
    picks: Vec<usize>,
}

/// Every problem of a sheet, in one sentence each.
fn problems(errors: &[SheetError]) -> String {
    errors
        .iter()
        .map(|e| match e {
            SheetError::Missing { numbers } => format!(
                "statements without a rating: {}",
                numbers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            SheetError::OutOfRange { number, value } => {
                format!("statement {number}: a rating is 1–6, not {value}")
            }
            SheetError::PickCount { picked } => {
                format!("pick exactly {PICKS} statements (got {picked})")
            }
            SheetError::BadPick { value } => {
                format!("pick {value}: not a statement number (1–40), or picked twice")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Scores and keeps a take of the caller. A sheet with any problem keeps nothing and
/// answers 422 naming every problem.
#[utoipa::path(post, path = "/api/v1/me/anchors", tag = "anchors", request_body = TakeIn,
    responses((status = 201, body = TakeOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "the sheet is incomplete or out of range")))]
pub async fn take(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(body): ApiJson<TakeIn>,
) -> Result<Response, ApiError> {
    let person = app::anchors::own_person(&state.store, &auth.actor).await?;
    let invalid =
        |message: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_sheet", message);
    if body.ratings.len() > anchor::STATEMENTS {
        return Err(invalid(format!(
            "{} ratings sent: the inventory has {} statements",
            body.ratings.len(),
            anchor::STATEMENTS
        )));
    }
    let picks: Vec<String> = body.picks.iter().map(ToString::to_string).collect();
    let rating = |n: usize| {
        body.ratings
            .get(n - 1)
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let sheet = AnswerSheet::parse(rating, &picks).map_err(|e| invalid(problems(&e)))?;
    let at = state.clock.now();
    let id = app::anchors::keep(&state.store, &auth.actor, &sheet, at).await?;
    let out = take_out(&AnchorResult {
        id,
        person,
        sheet,
        taken_at: at,
    });
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
