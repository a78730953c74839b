//! APIトークン: each user makes tokens that act as them over the API — read-only or
//! read-and-write, for a week up to a year — sees and revokes their own
//! (`/account/tokens`); the admin sees and revokes every token of the company
//! (`/admin/tokens`). A secret is shown once, when made; only its SHA-256 is kept.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::TOKEN_DAYS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(own).post(make))
        .route("/account/tokens/{id}/revoke", post(revoke))
        .route("/admin/tokens", get(everyone))
}

/// A token as the list shows it.
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    /// The owner's address (on the admin's list).
    pub owner: String,
    pub scope: &'static str,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/tokens.html")]
pub struct TokensPage {
    shell: Shell,
    /// The admin's list of every token.
    all: bool,
    rows: Vec<TokenRow>,
    days: Vec<i64>,
    /// The form as typed after a refusal: (label, scope, days).
    typed: (String, String, String),
    error: Option<String>,
    /// A secret just made, shown this once.
    secret: Option<String>,
}

async fn view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    all: bool,
) -> Result<TokensPage, AppError> {
    let caller = auth.caller(&Origin::default());
    let tokens = app::accounts::tokens(&state.store, &caller, all).await?;
    let owners: std::collections::HashMap<i64, String> = if all {
        state
            .store
            .list_users(auth.tenant())
            .await?
            .into_iter()
            .map(|u| (u.id.0, u.email))
            .collect()
    } else {
        Default::default()
    };
    let now = state.clock.now();
    let rows = tokens
        .into_iter()
        .rev()
        .map(|t| TokenRow {
            id: t.id,
            owner: owners.get(&t.user_id).cloned().unwrap_or_default(),
            scope: t.scope().key(),
            created: when(t.created_at),
            expires: t.expires_at.map(when).unwrap_or_default(),
            last_used: t.last_used_at.map(when).unwrap_or_default(),
            state: if t.revoked_at.is_some() {
                "revoked"
            } else if t.works_at(now) {
                "active"
            } else {
                "expired"
            },
            label: t.label,
        })
        .collect();
    Ok(TokensPage {
        shell: page.shell(Some(auth), if all { "/admin" } else { "/account" }),
        all,
        rows,
        days: TOKEN_DAYS.to_vec(),
        typed: (String::new(), "read".into(), "90".into()),
        error: None,
        secret: None,
    })
}

/// GET /account/tokens — my tokens.
async fn own(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<TokensPage, AppError> {
    view(&state, &page, &auth, false).await
}

/// GET /admin/tokens — every token of the company (admin).
async fn everyone(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<TokensPage, AppError> {
    view(&state, &page, &auth, true).await
}

/// POST /account/tokens — makes a token; its secret is on the page this once.
async fn make(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let typed = (
        form.get("label").to_string(),
        form.get("scope").to_string(),
        form.get("days").to_string(),
    );
    let made = app::accounts::create_token(
        &state.store,
        &auth.caller(&origin),
        &typed.0,
        &typed.1,
        &typed.2,
        state.clock.now(),
    )
    .await?;
    let mut body = view(&state, &page, &auth, false).await?;
    match made {
        Ok((_, secret)) => {
            body.secret = Some(secret);
            Ok(body.into_response())
        }
        Err(problem) => {
            body.typed = typed;
            body.error = Some(page.tf(
                &format!("tokens.error.{problem}"),
                "n",
                app::accounts::MAX_TOKEN_LABEL_CHARS,
            ));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /account/tokens/{id}/revoke — the owner's own, or any for the admin (who comes
/// back to the company's list).
async fn revoke(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    app::accounts::revoke_token(&state.store, &auth.caller(&origin), id).await?;
    set_flash(&page.session, "success", page.t("tokens.revoked")).await?;
    let back = if form.get("back") == "admin" {
        "/admin/tokens"
    } else {
        "/account/tokens"
    };
    Ok(Redirect::to(back).into_response())
}
