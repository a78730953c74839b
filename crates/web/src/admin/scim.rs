//! SCIM プロビジョニング (`/admin/scim`): the address to give the identity provider, the
//! company's bearer token — made (shown this once), made again (the earlier one stops)
//! or revoked —, and the groups the provider keeps with the role each gives. The same
//! as `kyoritsu scim token`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/scim", get(show))
        .route("/admin/scim/token", post(make_token))
        .route("/admin/scim/revoke", post(revoke))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/scim.html")]
struct ScimPage {
    shell: Shell,
    base_url: String,
    /// When the current token was made, if there is one.
    token_at: Option<String>,
    /// The token just made: shown this once.
    new_token: Option<String>,
    /// (name, members, the role's translation key if it gives one).
    groups: Vec<(String, usize, Option<String>)>,
}

async fn view(state: &AppState, page: &Page, auth: &Auth) -> Result<ScimPage, AppError> {
    let (_, groups) = state
        .store
        .scim_groups(auth.tenant(), None, 0, app::scim::MAX_RESULTS)
        .await?;
    Ok(ScimPage {
        shell: page.shell(Some(auth), "/admin"),
        base_url: format!("{}/scim/v2", state.config.public_url),
        token_at: state.store.scim_token_at(auth.tenant()).await?.map(when),
        new_token: None,
        groups: groups
            .into_iter()
            .map(|g| {
                let role = domain::scim::role_of_group(&g.display_name)
                    .map(|r| format!("role.{}", r.as_str()));
                (g.display_name, g.members.len(), role)
            })
            .collect(),
    })
}

/// GET /admin/scim
async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<ScimPage, AppError> {
    app::accounts::admin(&auth.caller(&origin))?;
    view(&state, &page, &auth).await
}

/// POST /admin/scim/token — a new token, on this page only; making one again needs the
/// confirmation that the earlier one stops.
async fn make_token(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let exists = state.store.scim_token_at(auth.tenant()).await?.is_some();
    if exists && form.get("confirm") != "on" {
        set_flash(&page.session, "error", page.t("scim.replace_unconfirmed")).await?;
        return Ok(Redirect::to("/admin/scim").into_response());
    }
    let secret = app::scim::make_token(&state.store, &by, state.clock.now()).await?;
    let mut body = view(&state, &page, &auth).await?;
    body.new_token = Some(secret);
    Ok(body.into_response())
}

/// POST /admin/scim/revoke
async fn revoke(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    if form.get("confirm") != "on" {
        set_flash(&page.session, "error", page.t("scim.revoke_unconfirmed")).await?;
        return Ok(Redirect::to("/admin/scim").into_response());
    }
    app::scim::revoke_token(&state.store, &by).await?;
    set_flash(&page.session, "success", page.t("scim.revoked")).await?;
    Ok(Redirect::to("/admin/scim").into_response())
}
