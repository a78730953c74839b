//! People: the directory and organisation tree (社員検索・組織), a person's profile, the
//! employee master's import and export, and people over the API.

pub mod api;
mod directory;
mod import;
mod profile;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(directory::router())
        .merge(import::router())
        .route("/people/{id}", get(profile::person))
}
