//! アカウント設定 (`/account`): every signed-in user's own account — who they are signed in
//! as, their password (the current one first; every other session is signed out), their
//! language (used at sign-in and for their e-mails) and where their notices go. Each
//! section posts on its own and keeps what was typed when refused.

use crate::shared::auth::{Auth, Page, keep_after_password_change, remember_language, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::i18n::Lang;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::NotifyChannels;
use store::jobs::{CHAT, CHAT_ATTEMPTS, ChatPayload, NewJob};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(page))
        .route("/account/password", post(change_password))
        .route("/account/preferences", post(save_preferences))
        .route("/account/chat", post(save_chat))
        .route("/account/chat/test", post(test_chat))
        .route("/account/calendar", post(calendar_feed))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/settings.html")]
pub struct SettingsPage {
    shell: Shell,
    name: String,
    email: String,
    company: String,
    code: String,
    /// Translation keys of the roles held.
    roles: Vec<String>,
    has_password: bool,
    /// The company signs in through its provider alone, and this is not its break-glass
    /// admin: no password to change.
    sso_only: bool,
    password_error: Option<String>,
    /// `ja`, `en` or empty (the browser's).
    language: String,
    notify: &'static str,
    channels: Vec<(&'static str, String)>,
    preferences_error: Option<String>,
    min_chars: usize,
    /// The services the company allows.
    chat_services: Vec<&'static str>,
    /// The user's connection: (service, masked address).
    chat: Option<(&'static str, String)>,
    /// The chat form as typed after a refusal: (service, address).
    chat_typed: (String, String),
    chat_error: Option<String>,
    /// A calendar feed runs.
    feed: bool,
    /// Its address, shown once, right after it was started.
    feed_url: Option<String>,
}

async fn view(state: &AppState, page: &Page, auth: &Auth) -> Result<SettingsPage, AppError> {
    let tenant = state.store.tenant(auth.tenant()).await?;
    Ok(SettingsPage {
        shell: page.shell(Some(auth), "/account"),
        name: auth.user.name.clone(),
        email: auth.user.email.clone(),
        company: tenant.name,
        code: tenant.slug,
        roles: auth
            .actor
            .roles
            .iter()
            .map(|r| format!("role.{}", r.as_str()))
            .collect(),
        has_password: state
            .store
            .has_password(auth.tenant(), auth.user.id)
            .await?,
        sso_only: !app::sso::password_allowed(&state.store, auth.tenant(), auth.user.id).await?,
        password_error: None,
        language: auth.user.language.clone().unwrap_or_default(),
        notify: auth.user.notify.key(),
        channels: NotifyChannels::ALL
            .iter()
            .map(|c| (c.key(), format!("account.notify_{}", c.key())))
            .collect(),
        preferences_error: None,
        min_chars: domain::values::MIN_PASSWORD_CHARS,
        chat_services: state
            .store
            .chat_services(auth.tenant())
            .await?
            .iter()
            .map(|s| s.key())
            .collect(),
        chat: auth
            .user
            .chat
            .as_ref()
            .map(|(s, u)| (s.key(), domain::chat::masked(u))),
        chat_typed: Default::default(),
        chat_error: None,
        feed: state
            .store
            .has_calendar_feed(auth.tenant(), auth.user.id)
            .await?,
        feed_url: None,
    })
}

/// GET /account
async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<SettingsPage, AppError> {
    view(&state, &page, &auth).await
}

/// POST /account/password — the current password, then the new one twice.
async fn change_password(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    match app::accounts::change_password(
        &state.store,
        &auth.caller(&origin),
        form.get("current"),
        form.get("password"),
        form.get("password_again"),
    )
    .await?
    {
        Ok(()) => {
            let user = state.store.user(auth.tenant(), auth.user.id).await?;
            keep_after_password_change(&page.session, &user).await?;
            set_flash(&page.session, "success", page.t("account.password_changed")).await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(problem) => {
            let mut body = view(&state, &page, &auth).await?;
            let key = match problem {
                "current" | "same" => format!("account.error.{problem}"),
                other => format!("invitation.error.{other}"),
            };
            body.password_error = Some(page.tf(&key, "n", domain::values::MIN_PASSWORD_CHARS));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /account/preferences — language and notices; the pages switch to the language
/// chosen at once.
async fn save_preferences(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let language = form.get("language").to_string();
    let notify = form.get("notify").to_string();
    match app::accounts::set_preferences(&state.store, &auth.caller(&origin), &language, &notify)
        .await?
    {
        Ok(()) => {
            let lang = Lang::parse(language.trim());
            let said = lang.unwrap_or(page.lang).catalog().get("account.saved");
            set_flash(&page.session, "success", said.to_string()).await?;
            let mut r = Redirect::to("/account").into_response();
            if let Some(lang) = lang {
                remember_language(&mut r, lang)?;
            }
            Ok(r)
        }
        Err(problem) => {
            let mut body = view(&state, &page, &auth).await?;
            body.language = language;
            body.preferences_error = Some(page.t(&format!("account.error.{problem}")));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /account/chat — connects the user's own webhook (or, with no service,
/// disconnects it).
async fn save_chat(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let service = form.get("service").to_string();
    let url = form.get("url").to_string();
    match app::accounts::set_chat(
        &state.store,
        &auth.caller(&origin),
        &service,
        &url,
        &state.config.webhook_hosts,
    )
    .await?
    {
        Ok(()) => {
            let key = if service.trim().is_empty() {
                "chat.disconnected"
            } else {
                "chat.saved"
            };
            set_flash(&page.session, "success", page.t(key)).await?;
            Ok(Redirect::to("/account#chat").into_response())
        }
        Err(problem) => {
            let mut body = view(&state, &page, &auth).await?;
            body.chat_typed = (service, url);
            body.chat_error = Some(page.t(&format!("chat.error.{problem}")));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /account/chat/test — posts a test message to the user's own webhook (through
/// the queue, like every notice).
async fn test_chat(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    _form: FormData,
) -> Result<Response, AppError> {
    let Some((service, url)) = auth.user.chat.clone() else {
        set_flash(&page.session, "error", page.t("chat.none")).await?;
        return Ok(Redirect::to("/account#chat").into_response());
    };
    let now = state.clock.now();
    let lang = auth
        .user
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(page.lang);
    let payload = serde_json::to_string(&ChatPayload {
        service,
        url,
        text: lang.catalog().get("chat.test_text").to_string(),
        path: "/account".into(),
        language: Some(lang.code().to_string()),
    })
    .map_err(|e| AppError::internal("chat payload", e))?;
    let job = NewJob {
        tenant: auth.tenant(),
        kind: CHAT.into(),
        key: format!("chat-test-{}-{}", auth.user.id.0, now.timestamp_millis()),
        payload,
        run_at: now,
        max_attempts: CHAT_ATTEMPTS,
    };
    state.store.enqueue_jobs(&[job], now).await?;
    set_flash(&page.session, "success", page.t("chat.test_queued")).await?;
    Ok(Redirect::to("/account#chat").into_response())
}

/// POST /account/calendar — starts or restarts the private calendar feed (its address is
/// shown on the page this once; an earlier one stops working) or, with `stop`, ends it.
async fn calendar_feed(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let on = form.get("action") != "stop";
    let secret = state
        .store
        .set_calendar_feed(auth.tenant(), auth.user.id, on)
        .await?;
    auth.caller(&origin)
        .record(
            &state.store,
            domain::audit::AuditAction::PreferencesChanged,
            ("user", auth.user.id.0),
            domain::audit::detail(
                "calendar_feed",
                &[("state", &if on { "started" } else { "stopped" })],
            ),
        )
        .await?;
    let mut body = view(&state, &page, &auth).await?;
    body.feed_url = secret.map(|s| {
        format!(
            "{}/calendar/{s}.ics",
            state.config.public_url.trim_end_matches('/')
        )
    });
    if !on {
        set_flash(&page.session, "success", page.t("feed.stopped")).await?;
        return Ok(Redirect::to("/account#calendar").into_response());
    }
    Ok(body.into_response())
}
