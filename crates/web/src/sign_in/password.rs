//! Signing in with a password, and signing out. When the company signs in through its
//! provider (`sso`), the page offers that first; with "SSO only" the password form is
//! folded away for the break-glass admin, and a password that is right signs in nobody
//! else.

use crate::shared::auth::{
    Page, actor_for, establish, remember_language, safe_next, session_err, signed_in_ids,
};
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::shell::{Flash, Shell, home_of};
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::audit::AuditAction;
use domain::{TenantId, UserId};
use store::audit::NewAuditEntry;
use store::users::SignIn;

/// How the company's provider is offered on the sign-in page.
#[derive(Default, Clone)]
pub struct SsoChoice {
    /// A company signs in through its provider.
    pub offered: bool,
    /// The link to it, once the company is known (the only one, or the code typed). A
    /// link and not a form: the pages' `form-action 'self'` would stop a form's
    /// redirect to the provider.
    pub start: Option<String>,
    /// The one company signs in through its provider alone: the password form is folded
    /// away, for the break-glass admin.
    pub only: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "sign_in/login.html")]
pub struct LoginPage {
    shell: Shell,
    pub error: Option<String>,
    email: String,
    pub tenant: String,
    next: String,
    pub ask_tenant: bool,
    sso: SsoChoice,
}

/// The sign-in page, empty, for `next`; `sso_tenant`: the company code typed to sign
/// in through its provider (several companies).
pub async fn login_page(
    state: &AppState,
    page: &Page,
    next: &str,
    sso_tenant: &str,
) -> Result<LoginPage, AppError> {
    let tenants = state.store.list_tenants().await?;
    let code = sso_tenant.trim().to_ascii_lowercase();
    let mut sso = SsoChoice::default();
    let next_arg: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    for t in &tenants {
        if let Some(s) = state.store.sso_settings(t.id).await? {
            sso.offered = true;
            if tenants.len() == 1 {
                sso.only = s.sso_only;
                sso.start = Some(format!("/sso/start?next={next_arg}"));
            } else if t.slug == code {
                sso.start = Some(format!("/sso/start?tenant={code}&next={next_arg}"));
            }
        }
    }
    let mut error = None;
    if !code.is_empty() && sso.start.is_none() {
        error = Some(page.tf("sso.no_such_company", "code", &code));
    }
    Ok(LoginPage {
        shell: page.shell(None, ""),
        error,
        email: String::new(),
        tenant: code,
        next: next.to_string(),
        ask_tenant: tenants.len() > 1,
        sso,
    })
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    signed_out: Option<String>,
    /// The company code typed to sign in through its provider.
    #[serde(default)]
    sso_tenant: String,
}

/// GET /login
pub async fn login_form(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if signed_in_ids(&page.session).await?.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    if q.signed_out.is_some() && page.flash.is_none() {
        page.flash = Some(Flash {
            kind: "info".into(),
            text: page.t("login.signed_out"),
        });
    } else if !q.next.is_empty() && page.flash.is_none() {
        page.flash = Some(Flash {
            kind: "info".into(),
            text: page.t("login.required"),
        });
    }
    Ok(login_page(&state, &page, &q.next, &q.sso_tenant)
        .await?
        .into_response())
}

/// POST /login
pub async fn login(
    State(state): State<AppState>,
    page: Page,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let email = form.get("email").trim().to_string();
    let password = form.get("password").to_string();
    let tenant_code = form.get("tenant").trim().to_string();
    let next = form.get("next").to_string();
    let tenants = state.store.list_tenants().await?;
    let ask_tenant = tenants.len() > 1;
    let sso = login_page(&state, &page, &next, "").await?.sso;
    let fail = |status: StatusCode, message: String| {
        let body = LoginPage {
            shell: page.shell(None, ""),
            error: Some(message),
            email: email.clone(),
            tenant: tenant_code.clone(),
            next: next.clone(),
            ask_tenant,
            sso: sso.clone(),
        };
        Ok((status, body).into_response())
    };
    if email.is_empty() || password.is_empty() {
        return fail(StatusCode::BAD_REQUEST, page.t("login.missing_fields"));
    }
    let tenant = if ask_tenant {
        if tenant_code.is_empty() {
            return fail(StatusCode::BAD_REQUEST, page.t("login.tenant_required"));
        }
        match tenants
            .iter()
            .find(|t| t.slug == tenant_code.to_ascii_lowercase())
        {
            Some(t) => t.clone(),
            None => {
                return fail(
                    StatusCode::UNAUTHORIZED,
                    page.tf("login.unknown_tenant", "code", &tenant_code),
                );
            }
        }
    } else {
        match tenants.into_iter().next() {
            Some(t) => t,
            None => return fail(StatusCode::UNAUTHORIZED, page.t("login.failed")),
        }
    };
    let now = Utc::now();
    let audit = |action: AuditAction, user: Option<UserId>| {
        NewAuditEntry::new(Some(tenant.id), action)
            .actor(user, &email)
            .origin(origin.ip.clone(), origin.request_id.clone())
    };
    match state
        .store
        .sign_in(tenant.id, &email, &password, origin.ip.as_deref(), now)
        .await?
    {
        SignIn::Success(user)
            if !app::sso::password_allowed(&state.store, tenant.id, user.id).await? =>
        {
            // The password was right, but the company signs in through its provider.
            state
                .store
                .append_audit(
                    audit(AuditAction::SignInFailed, Some(user.id))
                        .detail(domain::audit::detail("password_off", &[])),
                )
                .await?;
            fail(StatusCode::FORBIDDEN, page.t("login.sso_only"))
        }
        SignIn::Success(user) => {
            establish(&page.session, &user, now).await?;
            state
                .store
                .append_audit(audit(AuditAction::SignIn, Some(user.id)))
                .await?;
            let actor = actor_for(&state, &user).await?;
            // An empty or unsafe `next` leads home.
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
        SignIn::Rejected {
            user_id,
            wait_until,
        } => {
            state
                .store
                .append_audit(audit(AuditAction::SignInFailed, user_id))
                .await?;
            if let Some(until) = wait_until {
                state
                    .store
                    .append_audit(audit(AuditAction::SignInLocked, user_id).detail(
                        domain::audit::detail(
                            "sign_in_wait",
                            &[("n", &(until - now).num_seconds())],
                        ),
                    ))
                    .await?;
            }
            fail(StatusCode::UNAUTHORIZED, page.t("login.failed"))
        }
        SignIn::Throttled { user_id, until } => {
            state
                .store
                .append_audit(
                    audit(AuditAction::SignInFailed, user_id)
                        .detail(domain::audit::detail("sign_in_throttled", &[])),
                )
                .await?;
            // The same answer for every account, real or not, and for the address.
            let seconds = (until - now).num_seconds().max(1);
            let mut r = fail(
                StatusCode::TOO_MANY_REQUESTS,
                page.tf("login.throttled", "seconds", seconds),
            )?;
            if let Ok(v) = header::HeaderValue::from_str(&seconds.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(r)
        }
        SignIn::Disabled { user_id } => {
            state
                .store
                .append_audit(
                    audit(AuditAction::SignInFailed, Some(user_id))
                        .detail(domain::audit::detail("sign_in_disabled", &[])),
                )
                .await?;
            fail(StatusCode::FORBIDDEN, page.t("login.disabled"))
        }
    }
}

/// POST /logout
pub async fn logout(
    State(state): State<AppState>,
    page: Page,
    origin: Origin,
) -> Result<Response, AppError> {
    if let Some((TenantId(tid), UserId(uid))) = signed_in_ids(&page.session).await? {
        let email = state
            .store
            .user(TenantId(tid), UserId(uid))
            .await
            .map(|u| u.email)
            .unwrap_or_default();
        state
            .store
            .append_audit(
                NewAuditEntry::new(Some(TenantId(tid)), AuditAction::SignOut)
                    .actor(Some(UserId(uid)), &email)
                    .origin(origin.ip, origin.request_id),
            )
            .await?;
    }
    page.session.flush().await.map_err(session_err)?;
    Ok(Redirect::to("/login?signed_out=1").into_response())
}
