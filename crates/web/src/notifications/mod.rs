//! お知らせ: every notice that goes out by email also waits here for the account it is
//! addressed to (`store::notifications`, written with the email job). The header shows
//! the unread count; opening a notice marks it read and goes where it points. Each person
//! sees only their own.

pub mod api;

use crate::AppState;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read-all", post(read_all))
        .route("/notifications/{id}", get(open))
}

/// A notice's line in `lang` (the e-mail's subject).
pub(crate) fn text_of(
    lang: crate::shared::i18n::Lang,
    n: &store::notifications::Notification,
) -> String {
    let args: Vec<(&str, &dyn std::fmt::Display)> = n
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v as &dyn std::fmt::Display))
        .collect();
    lang.catalog().format(&format!("{}.subject", n.key), &args)
}

/// How many notices the list shows, newest first.
const LIMIT: u64 = 100;

pub struct NoticeRow {
    pub id: i64,
    pub text: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/list.html")]
struct NoticesPage {
    shell: Shell,
    rows: Vec<NoticeRow>,
    limit: u64,
}

/// GET /notifications — my notices, newest first.
async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<NoticesPage, AppError> {
    let rows = state
        .store
        .notifications(auth.tenant(), auth.user.id, LIMIT)
        .await?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            text: text_of(page.lang, &n),
            at: when(n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(NoticesPage {
        shell: page.shell(Some(&auth), "/notifications"),
        rows,
        limit: LIMIT,
    })
}

/// GET /notifications/{id} — marks it read and goes where it points (only one's own:
/// anyone else's id is not found).
async fn open(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let path = state
        .store
        .open_notification(auth.tenant(), auth.user.id, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // Only a path inside the product.
    let path = if path.starts_with('/') && !path.starts_with("//") {
        path
    } else {
        "/".to_string()
    };
    Ok(Redirect::to(&path))
}

/// POST /notifications/read-all
async fn read_all(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<Redirect, AppError> {
    state
        .store
        .read_all_notifications(auth.tenant(), auth.user.id)
        .await?;
    set_flash(&page.session, "success", page.t("notice.all_read")).await?;
    Ok(Redirect::to("/notifications"))
}
