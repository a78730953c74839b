//! サインイン: with a password, or through the company's OpenID Connect provider
//! (シングルサインオン); and signing out. The session itself (establishing it, the
//! extractors that check it) is `shared::auth`'s.

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

mod password;
mod sso;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(password::login_form).post(password::login))
        .route("/logout", post(password::logout))
        .route("/sso/start", get(sso::start))
        .route("/sso/callback", get(sso::callback))
}
