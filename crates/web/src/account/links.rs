//! Links by e-mail that set a password, and asking for one. No sign-in is needed: the link
//! is the credential.
//!
//! - 招待 (`/invitations/{secret}`): someone whose account was made for them sets their
//!   first password, under the rule the page states.
//! - パスワードの再設定 (`/password-reset`): someone who forgot theirs gives their address
//!   (and company code when the deployment has several companies); the page says the
//!   same whatever the address, so it tells nobody who has an account. The e-mail's link
//!   (`/password-reset/{secret}`) works an hour, once, and signs out every session.
//!
//! A used or expired link says so and how to get a new one.

use crate::shared::auth::{Page, set_flash};
use crate::shared::email::compose_link;
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::accounts::LinkState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::account::{LinkPurpose, RESET_VALID_MINUTES};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/invitations/{secret}",
            get(invitation).post(use_invitation),
        )
        .route("/password-reset", get(reset_form).post(ask_reset))
        .route("/password-reset/{secret}", get(reset).post(use_reset))
}

/// The translation section of a purpose's texts.
fn section(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::Invitation => "invitation",
        LinkPurpose::Reset => "reset",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account/link.html")]
pub struct LinkPage {
    shell: Shell,
    /// `invitation` or `reset`: the section of the page's texts.
    kind: &'static str,
    /// (name, e-mail, until when) while the link works.
    open: Option<(String, String, String)>,
    error: Option<String>,
    min_chars: usize,
    /// The company signs in through its provider: where to start, and whether this
    /// account may still set a password ("SSO only" leaves it to the break-glass admin).
    sso: Option<(String, bool)>,
}

impl LinkPage {
    /// The translation key of one of this purpose's texts.
    fn key(&self, key: &str) -> String {
        format!("{}.{key}", self.kind)
    }

    /// Whether the password form is offered (not when only the provider signs this
    /// account in).
    fn password_form(&self) -> bool {
        self.sso.as_ref().is_none_or(|s| s.1)
    }

    fn text(&self, key: &str) -> String {
        self.shell.t(&self.key(key)).to_string()
    }
}

async fn render(
    state: &AppState,
    page: &Page,
    secret: &str,
    purpose: LinkPurpose,
    error: Option<String>,
) -> Result<LinkPage, AppError> {
    let (open, sso) =
        match app::accounts::open_link(&state.store, secret, purpose, state.clock.now()).await? {
            LinkState::Open(i) => {
                let sso = match app::sso::settings(&state.store, i.tenant).await? {
                    Some(s) => {
                        let slug = state.store.tenant(i.tenant).await?.slug;
                        Some((
                            format!("/sso/start?tenant={slug}"),
                            domain::sso::password_allowed(Some(&s), i.user),
                        ))
                    }
                    None => None,
                };
                (Some((i.name, i.email, when(i.expires_at))), sso)
            }
            LinkState::Gone => (None, None),
        };
    Ok(LinkPage {
        shell: page.shell(None, ""),
        kind: section(purpose),
        open,
        error,
        min_chars: domain::values::MIN_PASSWORD_CHARS,
        sso,
    })
}

async fn show(
    state: &AppState,
    page: &Page,
    secret: &str,
    purpose: LinkPurpose,
) -> Result<Response, AppError> {
    let p = render(state, page, secret, purpose, None).await?;
    let status = if p.open.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok((status, p).into_response())
}

/// GET /invitations/{secret} — the form, or why the link no longer works.
async fn invitation(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &page, &secret, LinkPurpose::Invitation).await
}

/// GET /password-reset/{secret}
async fn reset(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &page, &secret, LinkPurpose::Reset).await
}

/// POST /invitations/{secret} — sets the password; then to the sign-in page.
async fn use_invitation(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    set_password(&state, &page, &secret, LinkPurpose::Invitation, &form).await
}

/// POST /password-reset/{secret}
async fn use_reset(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    set_password(&state, &page, &secret, LinkPurpose::Reset, &form).await
}

async fn set_password(
    state: &AppState,
    page: &Page,
    secret: &str,
    purpose: LinkPurpose,
    form: &FormData,
) -> Result<Response, AppError> {
    match app::accounts::use_link(
        &state.store,
        secret,
        purpose,
        form.get("password"),
        form.get("password_again"),
        state.clock.now(),
    )
    .await?
    {
        Ok(tenant) => {
            let code = state.store.tenant(tenant).await?.slug;
            set_flash(
                &page.session,
                "success",
                page.tf(&format!("{}.done", section(purpose)), "code", code),
            )
            .await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(problem) => {
            let p = render(
                state,
                page,
                secret,
                purpose,
                Some(page.tf(
                    &format!("invitation.error.{problem}"),
                    "n",
                    domain::values::MIN_PASSWORD_CHARS,
                )),
            )
            .await?;
            let status = if p.open.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::GONE
            };
            Ok((status, p).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account/reset_request.html")]
pub struct ResetRequestPage {
    shell: Shell,
    ask_tenant: bool,
    tenant: String,
    email: String,
    error: Option<String>,
    /// The request was taken: the page says what happens next (whatever the address).
    sent: bool,
    minutes: i64,
}

/// GET /password-reset — the form.
async fn reset_form(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    Ok(ResetRequestPage {
        shell: page.shell(None, ""),
        ask_tenant: state.store.list_tenants().await?.len() > 1,
        tenant: String::new(),
        email: String::new(),
        error: None,
        sent: false,
        minutes: RESET_VALID_MINUTES,
    }
    .into_response())
}

/// POST /password-reset — e-mails a link when the address has an enabled account; the
/// answer is the same either way.
async fn ask_reset(
    State(state): State<AppState>,
    page: Page,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let email = form.get("email").trim().to_string();
    let code = form.get("tenant").trim().to_ascii_lowercase();
    let tenants = state.store.list_tenants().await?;
    let ask_tenant = tenants.len() > 1;
    let mut body = ResetRequestPage {
        shell: page.shell(None, ""),
        ask_tenant,
        tenant: code.clone(),
        email: email.clone(),
        error: None,
        sent: false,
        minutes: RESET_VALID_MINUTES,
    };
    if email.is_empty() || (ask_tenant && code.is_empty()) {
        body.error = Some(page.t("reset.missing"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let tenant = if ask_tenant {
        tenants.into_iter().find(|t| t.slug == code)
    } else {
        tenants.into_iter().next()
    };
    let Some(tenant) = tenant else {
        body.error = Some(page.tf("login.unknown_tenant", "code", &code));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let now = state.clock.now();
    if let Some(link) = app::accounts::request_reset(
        &state.store,
        tenant.id,
        &email,
        (origin.ip.clone(), origin.request_id.clone()),
        now,
    )
    .await?
    {
        let mail = compose_link(
            &state.config.public_url,
            link.email.clone(),
            "email.password_reset",
            &[("name", &link.name), ("minutes", &RESET_VALID_MINUTES)],
            &format!("/password-reset/{}", link.secret),
        );
        let job = store::jobs::NewJob::email(
            tenant.id,
            format!("email.password_reset-{}", &link.secret[..12]),
            &mail,
            now,
        )?;
        state.store.enqueue_jobs(&[job], now).await?;
    }
    body.sent = true;
    Ok(body.into_response())
}
