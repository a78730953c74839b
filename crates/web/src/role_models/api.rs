//! Role-model stories (ロールモデル) over the JSON API, as the pages show them: the
//! published stories the caller may read, searched by words and tags, and one story —
//! named or not as the colleague chose; the consent state only to the colleague and the
//! writer (`app::role_models`, `policy::role_model_view`).

use crate::AppState;
use crate::shared::api::{ApiPath, Listed, Paged, Paging, key_or_any};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use domain::anchor::Anchor;
use domain::policy::StoryView;
use domain::role_model::{Outcome, Search, Theme};
use serde::{Deserialize, Serialize};
use store::role_models::Story;
use utoipa::ToSchema;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoryParams {
    /// Words that must all appear in the title or the story (widths, case and
    /// hiragana/katakana folded). At most 200 characters.
    #[param(max_length = 200)]
    q: Option<String>,
    /// A Career Anchor key (`technical_functional` … `lifestyle`); empty for any.
    anchor: Option<String>,
    /// A theme key (e.g. `internal_move`); empty for any.
    theme: Option<String>,
    /// `achieved`, `tried_and_failed` …; empty for any.
    outcome: Option<String>,
}

/// A story as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct StoryOut {
    id: i64,
    title: String,
    body: String,
    /// The colleague's name; absent when they chose not to be named.
    name: Option<String>,
    anchor: Option<String>,
    themes: Vec<String>,
    outcome: String,
    /// `pending`, `given`, `refused` or `withdrawn` — only for the colleague and the
    /// writer.
    consent: Option<String>,
    created_at: DateTime<Utc>,
}

fn out(s: &Story, view: StoryView) -> StoryOut {
    let named = matches!(view, StoryView::Full | StoryView::Published { named: true });
    StoryOut {
        id: s.id,
        title: s.title.clone(),
        body: s.body.clone(),
        name: named.then(|| s.subject_name.clone()),
        anchor: s.anchor.map(|a| a.key().to_string()),
        themes: s.themes.iter().map(|t| t.key().to_string()).collect(),
        outcome: s.outcome.key().to_string(),
        consent: (view == StoryView::Full).then(|| s.consent.key().to_string()),
        created_at: s.created_at,
    }
}

/// The published stories the caller may read that match the search (the search page's
/// list).
#[utoipa::path(get, path = "/api/v1/role-models", tag = "role models", params(Paging, StoryParams),
    responses((status = 200, body = [StoryOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    q: Result<Query<StoryParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Listed<StoryOut>, ApiError> {
    paging.only(&["q", "anchor", "theme", "outcome"])?;
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let words = q.q.unwrap_or_default();
    if words.chars().count() > 200 || words.contains('\0') {
        return Err(ApiError::bad_request("q: at most 200 characters"));
    }
    let search = Search {
        anchor: key_or_any(q.anchor.as_deref(), Anchor::parse, "anchor")?,
        theme: key_or_any(q.theme.as_deref(), Theme::parse, "theme")?,
        outcome: key_or_any(q.outcome.as_deref(), Outcome::parse, "outcome")?,
        ..Search::new(&words)
    };
    let found = app::role_models::found(&state.store, &auth.actor, &search).await?;
    Ok(paging.of(found.iter().map(|(s, v)| out(s, *v)).collect()))
}

/// One story, as the caller may see it; one they may not see answers 404, as one that
/// does not exist.
#[utoipa::path(get, path = "/api/v1/role-models/{id}", tag = "role models",
    params(("id" = i64, Path, description = "story id")),
    responses((status = 200, body = StoryOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StoryOut>, ApiError> {
    let (s, view) = app::role_models::readable(&state.store, &auth.actor, id)
        .await?
        .ok_or_else(|| ApiError::not_found("story"))?;
    Ok(Json(out(&s, view)))
}
