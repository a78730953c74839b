//! The caller's own career sheet (キャリアシート) over the JSON API: read the latest
//! version, list and read versions, save a new one. Same policy as the pages: only the
//! owner, who must be in the employee master.

use crate::AppState;
use crate::shared::api::{ApiJson, ApiPath};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::PersonId;
use domain::career_sheet::{CareerSheet, EntryInput, Section};
use domain::policy::{self, SheetView};
use serde::{Deserialize, Serialize};
use store::career_sheets::{SaveOutcome, SheetVersion};
use utoipa::ToSchema;

fn owner(auth: &ApiAuth) -> Result<PersonId, ApiError> {
    let me = auth.actor.person_id.ok_or_else(ApiError::forbidden)?;
    match policy::career_sheet_view(&auth.actor, auth.actor.tenant_id, me) {
        Some(SheetView::Full) => Ok(me),
        _ => Err(ApiError::forbidden()),
    }
}

/// One section of a career sheet.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SheetSection {
    /// `work_history`, `skills`, `strengths`, `meaning`, `intention`, `vision`,
    /// `concerns`, `events` or `successes`.
    section: String,
    /// At most 4,000 characters once surrounding blank space is trimmed.
    #[schema(max_length = 4000)]
    text: String,
    /// Kept to the employee: never shown to anyone else, not even a facilitator.
    private: bool,
}

/// A saved version of the caller's career sheet. `version` 0 means none saved yet.
#[derive(Serialize, ToSchema)]
pub struct SheetBody {
    version: i64,
    saved_at: Option<DateTime<Utc>>,
    vision_horizon_years: Option<u8>,
    sections: Vec<SheetSection>,
}

impl From<SheetVersion> for SheetBody {
    fn from(v: SheetVersion) -> Self {
        SheetBody {
            version: v.version,
            saved_at: Some(v.saved_at),
            vision_horizon_years: v.sheet.vision_horizon_years,
            sections: v
                .sheet
                .sections
                .into_iter()
                .map(|(s, e)| SheetSection {
                    section: s.key().into(),
                    text: e.text,
                    private: e.private,
                })
                .collect(),
        }
    }
}

/// The caller's latest career sheet.
#[utoipa::path(get, path = "/api/v1/me/career-sheet", tag = "career sheet",
    responses((status = 200, body = SheetBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_sheet(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<SheetBody>, ApiError> {
    let me = owner(&auth)?;
    Ok(Json(
        match state
            .store
            .latest_career_sheet(auth.actor.tenant_id, me)
            .await?
        {
            Some(v) => v.into(),
            None => SheetBody {
                version: 0,
                saved_at: None,
                vision_horizon_years: None,
                sections: Vec::new(),
            },
        },
    ))
}

/// A new version: the whole sheet, and the version it was edited from.
#[derive(Deserialize, ToSchema)]
pub struct SaveSheet {
    /// The version this edit started from (0 when none was saved). If a newer one exists,
    /// nothing is written and the answer is 409.
    base_version: i64,
    /// How many years ahead the vision looks (1–30).
    #[schema(minimum = 1, maximum = 30)]
    vision_horizon_years: Option<u8>,
    /// Sections not listed are saved empty.
    sections: Vec<SheetSection>,
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    version: i64,
}

/// Saves a new version of the caller's career sheet.
#[utoipa::path(put, path = "/api/v1/me/career-sheet", tag = "career sheet", request_body = SaveSheet,
    responses((status = 200, body = Saved),
        (status = 400, body = ErrorBody, description = "unknown section, or a field too long or out of range"),
        (status = 409, body = ErrorBody, description = "a newer version was saved meanwhile; nothing was written"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_sheet(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(body): ApiJson<SaveSheet>,
) -> Result<Json<Saved>, ApiError> {
    let me = owner(&auth)?;
    for s in &body.sections {
        if Section::parse(&s.section).is_none() {
            return Err(ApiError::bad_request(format!(
                "unknown section '{}'",
                s.section
            )));
        }
    }
    let sheet = CareerSheet::parse(
        |s| {
            body.sections
                .iter()
                .find(|x| x.section == s.key())
                .map(|x| EntryInput {
                    text: x.text.clone(),
                    private: x.private,
                })
                .unwrap_or_default()
        },
        &body
            .vision_horizon_years
            .map(|y| y.to_string())
            .unwrap_or_default(),
    )
    .map_err(|errors| {
        ApiError::bad_request(
            errors
                .iter()
                .map(|e| match e.code {
                    "too_long" => format!(
                        "{}: longer than {} characters",
                        e.field,
                        domain::career_sheet::MAX_SECTION_CHARS
                    ),
                    _ => format!(
                        "{}: must be from 1 to {}",
                        e.field,
                        domain::career_sheet::MAX_HORIZON_YEARS
                    ),
                })
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    match state
        .store
        .save_career_sheet(
            auth.actor.tenant_id,
            me,
            auth.user.id,
            body.base_version,
            &sheet,
        )
        .await?
    {
        SaveOutcome::Saved { version } => Ok(Json(Saved { version })),
        SaveOutcome::Stale { latest } => Err(ApiError::stale(
            latest,
            format!(
                "version {latest} was saved after version {}; read it, merge, and save with base_version {latest}",
                body.base_version
            ),
        )),
    }
}

#[derive(Serialize, ToSchema)]
pub struct VersionItem {
    version: i64,
    saved_at: DateTime<Utc>,
}

/// Every saved version of the caller's career sheet, newest first.
#[utoipa::path(get, path = "/api/v1/me/career-sheet/versions", tag = "career sheet", params(Paging),
    responses((status = 200, body = [VersionItem]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<VersionItem>, ApiError> {
    paging.only(&[])?;
    let me = owner(&auth)?;
    Ok(paging.of(state
        .store
        .career_sheet_versions(auth.actor.tenant_id, me)
        .await?
        .into_iter()
        .map(|v| VersionItem {
            version: v.version,
            saved_at: v.saved_at,
        })
        .collect()))
}

/// One saved version of the caller's career sheet.
#[utoipa::path(get, path = "/api/v1/me/career-sheet/versions/{version}", tag = "career sheet",
    params(("version" = i64, Path, description = "version number, from 1")),
    responses((status = 200, body = SheetBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(version): ApiPath<i64>,
) -> Result<Json<SheetBody>, ApiError> {
    let me = owner(&auth)?;
    state
        .store
        .career_sheet_version(auth.actor.tenant_id, me, version)
        .await?
        .map(|v| Json(v.into()))
        .ok_or_else(|| ApiError::not_found("career sheet version"))
}
