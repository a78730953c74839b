//! シングルサインオン: the OpenID Connect authorization code flow with the company's
//! provider (the `openidconnect` crate).
//!
//! `/sso/start` discovers the provider, keeps a fresh state, nonce and PKCE verifier in
//! this browser's session and sends the browser to the provider. `/sso/callback` takes
//! them back out of the session at once — a second answer with the same state finds
//! nothing (a replay), and an answer this browser never asked for does not match —
//! exchanges the code with the verifier, and lets the crate check the ID token's
//! signature (the provider's published keys), issuer, audience (our client id), expiry
//! and nonce. Only then is the configured claim read for the address, and
//! `app::sso::sign_in` decides whose account it is. Every refusal is a clear page with
//! the password form still there (folded away when the company signs in through its
//! provider alone), and is audited.

use super::password::{LoginPage, login_page};
use crate::shared::auth::{Page, establish, remember_language, safe_next, session_err};
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::oidc::{client, http_client};
use crate::shared::shell::home_of;
use crate::{AppState, Origin};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use domain::TenantId;
use domain::sso::Refusal;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier, Scope,
};
use store::tenants::Tenant;

/// Where the pending sign-in waits in the session.
const PENDING: &str = "sso_pending";
/// How long a browser may stay at the provider before its answer is no longer taken.
const PENDING_MINUTES: i64 = 10;

/// A sign-in this browser started: what the provider's answer must match.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    tenant: i64,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    started_ms: i64,
}

#[derive(serde::Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    next: String,
}

/// The provider's answer (`code` and `state`, or `error`).
#[derive(serde::Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// The tenant a sign-in is for: the code typed, else the only one.
async fn tenant_named(state: &AppState, code: &str) -> Result<Option<Tenant>, AppError> {
    let tenants = state.store.list_tenants().await?;
    let code = code.trim().to_ascii_lowercase();
    Ok(if code.is_empty() {
        if tenants.len() == 1 {
            tenants.into_iter().next()
        } else {
            None
        }
    } else {
        tenants.into_iter().find(|t| t.slug == code)
    })
}

/// GET /sso/start — to the company's provider.
pub async fn start(
    State(state): State<AppState>,
    page: Page,
    origin: Origin,
    Query(q): Query<StartQuery>,
) -> Result<Response, AppError> {
    let Some(tenant) = tenant_named(&state, &q.tenant).await? else {
        let key = if q.tenant.trim().is_empty() {
            "login.tenant_required"
        } else {
            "login.unknown_tenant"
        };
        let message = page.tf(key, "code", q.tenant.trim());
        return refused_page(
            &state,
            &page,
            None,
            StatusCode::BAD_REQUEST,
            message,
            &q.next,
        )
        .await;
    };
    let Some(settings) = app::sso::settings(&state.store, tenant.id).await? else {
        return refuse(
            &state,
            &page,
            &origin,
            Some(&tenant),
            Refusal::NotConfigured,
            &q.next,
        )
        .await;
    };
    let http = http_client()?;
    let client = match client(&state, &http, tenant.id, &settings).await? {
        Ok(c) => c,
        Err(why) => return refuse(&state, &page, &origin, Some(&tenant), why, &q.next).await,
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        tenant: tenant.id.0,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: safe_next(&q.next).to_string(),
        started_ms: chrono::Utc::now().timestamp_millis(),
    };
    page.session
        .insert(PENDING, &pending)
        .await
        .map_err(session_err)?;
    Ok(Redirect::to(url.as_str()).into_response())
}

/// GET /sso/callback — the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    page: Page,
    origin: Origin,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    // Taken out at once: whatever happens next, this state is never taken again.
    let pending: Option<Pending> = page.session.remove(PENDING).await.map_err(session_err)?;
    let Some(pending) = pending else {
        let only = tenant_named(&state, "").await?;
        return refuse(&state, &page, &origin, only.as_ref(), Refusal::State, "").await;
    };
    let tenant = state.store.tenant(TenantId(pending.tenant)).await?;
    let next = pending.next.clone();
    let fail = |why: Refusal| refuse(&state, &page, &origin, Some(&tenant), why, &next);
    let fresh =
        chrono::Utc::now().timestamp_millis() - pending.started_ms <= PENDING_MINUTES * 60_000;
    if !fresh || !same(&q.state, &pending.state) {
        return fail(Refusal::State).await;
    }
    if !q.error.is_empty() || q.code.is_empty() {
        return fail(Refusal::Denied).await;
    }
    let Some(settings) = app::sso::settings(&state.store, tenant.id).await? else {
        return fail(Refusal::NotConfigured).await;
    };
    let http = http_client()?;
    let client = match client(&state, &http, tenant.id, &settings).await? {
        Ok(c) => c,
        Err(why) => return fail(why).await,
    };
    let exchange = match client.exchange_code(AuthorizationCode::new(q.code.clone())) {
        Ok(request) => {
            request
                .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
                .request_async(&http)
                .await
        }
        Err(e) => {
            tracing::warn!(tenant = tenant.id.0, error = %e, "the SSO provider names no token endpoint");
            return fail(Refusal::ProviderDown).await;
        }
    };
    let tokens = match exchange {
        Ok(t) => t,
        Err(openidconnect::RequestTokenError::ServerResponse(e)) => {
            tracing::info!(tenant = tenant.id.0, error = %e, "the SSO provider refused the code");
            return fail(Refusal::BadToken).await;
        }
        Err(e) => {
            tracing::warn!(tenant = tenant.id.0, error = %e, "the SSO token exchange failed");
            return fail(Refusal::ProviderDown).await;
        }
    };
    let Some(id_token) = tokens.extra_fields().id_token() else {
        return fail(Refusal::BadToken).await;
    };
    let verifier = client.id_token_verifier();
    if let Err(e) = id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())) {
        tracing::info!(tenant = tenant.id.0, error = %e, "an SSO ID token failed its checks");
        return fail(Refusal::BadToken).await;
    }
    // Verified above: its payload may now be read for the configured claim.
    let payload = verified_payload(&id_token.to_string());
    let claim = payload
        .as_ref()
        .and_then(|p| p.get(&settings.email_claim))
        .and_then(|v| v.as_str());
    let verified = payload
        .as_ref()
        .and_then(|p| p.get("email_verified"))
        .and_then(|v| v.as_bool());
    let email = match domain::sso::asserted_email(claim, verified) {
        Ok(e) => e,
        Err(why) => return fail(why).await,
    };
    let audit_origin = app::sso::Origin {
        ip: origin.ip.clone(),
        request_id: origin.request_id.clone(),
    };
    let now = state.clock.now();
    let user = match app::sso::sign_in(&state.store, tenant.id, &email, &audit_origin, now).await? {
        Ok(u) => u,
        // Audited by `sign_in` itself.
        Err(why) => {
            return refused_page(
                &state,
                &page,
                Some(&tenant),
                status_of(why),
                message(&page, why),
                &next,
            )
            .await;
        }
    };
    establish(&page.session, &user, chrono::Utc::now()).await?;
    let actor = crate::shared::auth::actor_for(&state, &user).await?;
    let target = match safe_next(&next) {
        "/" => home_of(actor.roles.landing()),
        path => path,
    };
    let mut r = Redirect::to(target).into_response();
    if let Some(lang) = user.language.as_deref().and_then(Lang::parse) {
        remember_language(&mut r, lang)?;
    }
    Ok(r)
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The JSON payload of a JWT whose signature was checked already.
fn verified_payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn status_of(why: Refusal) -> StatusCode {
    match why {
        Refusal::ProviderDown => StatusCode::BAD_GATEWAY,
        Refusal::Disabled => StatusCode::FORBIDDEN,
        Refusal::NotConfigured => StatusCode::NOT_FOUND,
        _ => StatusCode::UNAUTHORIZED,
    }
}

fn message(page: &Page, why: Refusal) -> String {
    page.t(&format!("sso.refused.{}", why.key()))
}

/// Audits the refusal and shows the sign-in page with it.
async fn refuse(
    state: &AppState,
    page: &Page,
    origin: &Origin,
    tenant: Option<&Tenant>,
    why: Refusal,
    next: &str,
) -> Result<Response, AppError> {
    if let Some(t) = tenant {
        let o = app::sso::Origin {
            ip: origin.ip.clone(),
            request_id: origin.request_id.clone(),
        };
        app::sso::refused(&state.store, t.id, why, None, &o).await?;
    }
    refused_page(
        state,
        page,
        tenant,
        status_of(why),
        message(page, why),
        next,
    )
    .await
}

async fn refused_page(
    state: &AppState,
    page: &Page,
    tenant: Option<&Tenant>,
    status: StatusCode,
    message: String,
    next: &str,
) -> Result<Response, AppError> {
    let mut p: LoginPage = login_page(state, page, next, "").await?;
    p.error = Some(message);
    if let Some(t) = tenant
        && p.ask_tenant
    {
        p.tenant = t.slug.to_string();
    }
    Ok((status, p).into_response())
}
