//! お知らせ over the JSON API, as the notices page shows them: the caller's own notices,
//! newest first, each in the caller's chosen language with where it points; marking one
//! or all read. Anyone else's notice is not found.

use crate::AppState;
use crate::shared::api::{ApiPath, Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use app::i18n::Lang;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    id: i64,
    /// The notice's line, in the caller's language (Japanese unless they chose English).
    text: String,
    /// Where it points, inside the product.
    path: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// The caller's notices, newest first (the latest 500).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(Paging),
    responses((status = 200, body = [NoticeOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<NoticeOut>, ApiError> {
    paging.only(&[])?;
    let lang = auth
        .user
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::Ja);
    let notices = state
        .store
        .notifications(auth.actor.tenant_id, auth.user.id, 500)
        .await?
        .into_iter()
        .map(|n| NoticeOut {
            id: n.id,
            text: super::text_of(lang, &n),
            path: n.path.clone(),
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    Ok(paging.of(notices))
}

/// Marks one of the caller's notices read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "notice id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .open_notification(auth.actor.tenant_id, auth.user.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all the caller's notices read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn read_all(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .read_all_notifications(auth.actor.tenant_id, auth.user.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
