//! シングルサインオンの設定 (`/admin/sso`): the company's OpenID Connect provider — the
//! callback address to register there, the issuer, client id and secret (never shown
//! again once saved), the claim carrying the address, whether accounts are made at the
//! first sign-in, and "SSO only" with its break-glass admin; a connection check that
//! discovers the provider; removing it. The same as `kyoritsu sso set`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::oidc;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::sso::SsoInput;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::Role;
use domain::sso::DEFAULT_EMAIL_CLAIM;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/sso", get(show).post(save))
        .route("/admin/sso/check", post(check))
        .route("/admin/sso/remove", post(remove))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/sso.html")]
struct SsoPage {
    shell: Shell,
    /// Whether a provider is set (the secret is then kept when the field stays empty).
    configured: bool,
    redirect_uri: String,
    issuer: String,
    client_id: String,
    email_claim: String,
    create_users: bool,
    sso_only: bool,
    /// The break-glass admin's address (as chosen or typed).
    break_glass: String,
    /// Admins who can break the glass: (address, name).
    admins: Vec<(String, String)>,
    errors: Vec<String>,
}

async fn admins(state: &AppState, auth: &Auth) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    for u in state.store.list_users(auth.tenant()).await? {
        if u.roles.contains(Role::Admin)
            && !u.disabled
            && state.store.has_password(auth.tenant(), u.id).await?
        {
            out.push((u.email, u.name));
        }
    }
    Ok(out)
}

async fn view(state: &AppState, page: &Page, auth: &Auth) -> Result<SsoPage, AppError> {
    let settings = app::sso::settings(&state.store, auth.tenant()).await?;
    let break_glass = match settings.as_ref().and_then(|s| s.break_glass) {
        Some(id) => state.store.user(auth.tenant(), id).await?.email,
        None => String::new(),
    };
    Ok(SsoPage {
        shell: page.shell(Some(auth), "/admin"),
        configured: settings.is_some(),
        redirect_uri: oidc::redirect_uri(state),
        issuer: settings
            .as_ref()
            .map(|s| s.issuer.clone())
            .unwrap_or_default(),
        client_id: settings
            .as_ref()
            .map(|s| s.client_id.clone())
            .unwrap_or_default(),
        email_claim: settings
            .as_ref()
            .map(|s| s.email_claim.clone())
            .unwrap_or_else(|| DEFAULT_EMAIL_CLAIM.into()),
        create_users: settings.as_ref().is_some_and(|s| s.create_users),
        sso_only: settings.as_ref().is_some_and(|s| s.sso_only),
        break_glass,
        admins: admins(state, auth).await?,
        errors: Vec::new(),
    })
}

/// GET /admin/sso
async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<SsoPage, AppError> {
    app::accounts::admin(&auth.caller(&origin))?;
    view(&state, &page, &auth).await
}

/// POST /admin/sso — saves; every problem is named and what was typed stays (but the
/// secret, which is never put back on a page).
async fn save(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let input = SsoInput {
        issuer: form.get("issuer").to_string(),
        client_id: form.get("client_id").to_string(),
        client_secret: form.get("client_secret").to_string(),
        email_claim: form.get("email_claim").to_string(),
        create_users: form.get("create_users") == "on",
        sso_only: form.get("sso_only") == "on",
        break_glass: form.get("break_glass").to_string(),
    };
    match app::sso::set(&state.store, &by, &input, state.clock.now()).await? {
        Ok(_) => {
            set_flash(&page.session, "success", page.t("sso.saved")).await?;
            Ok(Redirect::to("/admin/sso").into_response())
        }
        Err(problems) => {
            let mut body = view(&state, &page, &auth).await?;
            body.issuer = input.issuer;
            body.client_id = input.client_id;
            body.email_claim = input.email_claim;
            body.create_users = input.create_users;
            body.sso_only = input.sso_only;
            body.break_glass = input.break_glass;
            body.errors = problems
                .iter()
                .map(|p| page.t(&format!("sso.error.{}", p.key())))
                .collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /admin/sso/check — discovers the provider as a sign-in would, and says whether
/// it answered.
async fn check(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    app::accounts::admin(&auth.caller(&origin))?;
    let (kind, text) = match app::sso::settings(&state.store, auth.tenant()).await? {
        None => ("error", page.t("sso.refused.not_configured")),
        Some(s) => {
            let http = oidc::http_client()?;
            match oidc::client(&state, &http, auth.tenant(), &s).await? {
                Ok(_) => ("success", page.tf("sso.check_ok", "issuer", &s.issuer)),
                Err(why) => ("error", page.t(&format!("sso.refused.{}", why.key()))),
            }
        }
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to("/admin/sso").into_response())
}

/// POST /admin/sso/remove — everyone with a password signs in with it again.
async fn remove(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    if form.get("confirm") != "on" {
        set_flash(&page.session, "error", page.t("sso.remove_unconfirmed")).await?;
        return Ok(Redirect::to("/admin/sso").into_response());
    }
    app::sso::remove(&state.store, &by).await?;
    set_flash(&page.session, "success", page.t("sso.removed")).await?;
    Ok(Redirect::to("/admin/sso").into_response())
}
