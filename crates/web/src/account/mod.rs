//! アカウント: what concerns one's own account — setting a password from an e-mailed link
//! (an invitation or a reset, no sign-in needed), the signed-in user's own settings, and
//! their private calendar feed.
//! The admin's side (inviting people, disabling accounts) is in `admin`.

use crate::AppState;
use axum::Router;

mod feed;
mod links;
mod settings;
mod tokens;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(links::router())
        .merge(settings::router())
        .merge(tokens::router())
        .route("/calendar/{file}", axum::routing::get(feed::feed))
}
