//! Pairs (ペア) over the JSON API, as the pairs page lists them: the caller's own pairs —
//! with their side and whether an invitation waits on their answer — or, for HR, every
//! open pair of the company (`app::pairs`). The invitation's message and the shared
//! career-sheet sections go to the pair's two sides only (`app::pairs::Seen`).

use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairParams {
    /// `mine` (the caller's own pairs, the default) or `all` (every open pair of the
    /// company; HR only).
    scope: Option<Scope>,
}

#[derive(Deserialize, ToSchema, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schema(as = PairScope)]
pub enum Scope {
    #[default]
    Mine,
    All,
}

#[derive(Serialize, ToSchema)]
pub struct PairOut {
    id: i64,
    /// `cross` (部署を越えた1on1) or `mentor` (メンター).
    kind: String,
    partner_user_id: i64,
    partner_name: String,
    subject_person_id: i64,
    subject_name: String,
    subject_employee_number: String,
    /// `invited`, `active`, `declined` or `ended`.
    status: String,
    /// While invited: the side that must answer (`partner` or `subject`).
    awaiting: Option<String>,
    /// The caller's side of it (`partner` or `subject`); null when they are neither.
    my_side: Option<String>,
    /// The invitation waits on the caller's answer.
    awaiting_me: bool,
    /// The invitation's message; to the pair's two sides only (null for anyone else).
    message: Option<String>,
    /// The career-sheet sections the subject lets the partner see; to the two sides
    /// only (null for anyone else).
    shared_sections: Option<Vec<String>>,
    /// The cross-1on1 programme that made it, if one did.
    programme_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn out(s: app::pairs::Seen) -> PairOut {
    let message = s.message().map(str::to_string);
    let shared_sections = s
        .sections()
        .map(|v| v.iter().map(|x| x.key().to_string()).collect());
    let p = s.pair;
    PairOut {
        id: p.id,
        kind: p.kind.key().into(),
        partner_user_id: p.partner.0,
        partner_name: p.partner_name,
        subject_person_id: p.subject.0,
        subject_name: p.subject_name,
        subject_employee_number: p.subject_number,
        status: p.status.key().into(),
        awaiting: p.awaiting.map(|x| x.key().to_string()),
        my_side: s.side.map(|x| x.key().to_string()),
        awaiting_me: s.awaiting_me,
        message,
        shared_sections,
        programme_id: p.programme,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// The caller's pairs (as partner or subject), or — for HR — every open pair, most
/// recently changed first.
#[utoipa::path(get, path = "/api/v1/pairs", tag = "pairs", params(Paging, PairParams),
    responses((status = 200, body = [PairOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`scope=all` by anyone but HR")))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    q: Result<Query<PairParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Listed<PairOut>, ApiError> {
    paging.only(&["scope"])?;
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let caller = auth.caller(&Origin::default());
    let found = match q.scope.unwrap_or_default() {
        Scope::Mine => app::pairs::mine(&state.store, &caller).await?,
        Scope::All => app::pairs::all(&state.store, &caller, true, ALL_CAP).await?,
    };
    Ok(paging.of(found
        .into_iter()
        .map(|p| out(app::pairs::seen(&caller, p)))
        .collect()))
}

/// At most this many open pairs are read for `scope=all` (then paged).
const ALL_CAP: u64 = 100_000;
