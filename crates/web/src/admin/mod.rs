//! 設定 (admin): tenant settings, users and roles, the audit log and its CSV export.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use domain::audit::AuditAction;
use domain::calendar::AgeRule;
use domain::policy::Action;
use domain::rating::RatingScale;
use domain::throttle::ThrottleKind;
use domain::{Role, RoleSet, UserId};
use store::audit::{AuditEntry, AuditFilter, NewAuditEntry};
use store::tenants::TenantSettings;

pub mod api;
mod audit;
pub mod invitations;
mod outbox;
mod scim;
mod sso;

use audit::{audit_csv, audit_page};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(outbox::router())
        .merge(invitations::router())
        .merge(sso::router())
        .merge(scim::router())
        .route("/admin/check-in", post(set_grace))
        .route("/admin", get(settings_page))
        .route("/admin/settings", post(save_settings))
        .route("/admin/chat", post(save_chat))
        .route("/admin/users", get(users_page))
        .route("/admin/users/{id}/roles", post(save_roles))
        .route("/admin/users/{id}/disable", post(disable_user))
        .route("/admin/users/{id}/enable", post(enable_user))
        .route("/admin/sign-in-throttles/{id}/clear", post(clear_throttle))
        .route("/admin/audit", get(audit_page))
        .route("/admin/audit.csv", get(audit_csv))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    shell: Shell,
    company: String,
    code: String,
    fy_start_month: u32,
    age_rule: String,
    anonymity_k: String,
    rating_scale: String,
    errors: Vec<String>,
    /// Days after a commitment's start before the follow-up asks (as typed after an error).
    check_in_grace_days: String,
    grace_error: Option<String>,
    /// What waits on the admin (やること): (sentence, where to act, test id).
    to_do: Vec<(String, &'static str, &'static str)>,
    /// Chat services people may connect: (key, allowed).
    chat: Vec<(&'static str, bool)>,
}

/// The settings page with the grace period form as typed and what is wrong with it.
pub async fn settings_with_grace_error(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: &str,
    error: String,
) -> Result<Response, AppError> {
    let mut body = settings_view(state, page, auth).await?;
    body.check_in_grace_days = typed.to_string();
    body.grace_error = Some(error);
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

/// GET /admin — 設定
async fn settings_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<SettingsPage, AppError> {
    allow(
        &auth,
        Action::ManageTenantSettings {
            tenant: auth.tenant(),
        },
    )?;
    settings_view(&state, &page, &auth).await
}

async fn settings_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
) -> Result<SettingsPage, AppError> {
    let t = state.store.tenant(auth.tenant()).await?;
    let to_do = admin_to_do(state, page, auth).await?;
    Ok(SettingsPage {
        to_do,
        shell: page.shell(Some(auth), "/admin"),
        company: t.name,
        code: t.slug,
        fy_start_month: t.settings.calendar.start_month(),
        age_rule: t.settings.calendar.age_rule.as_str().into(),
        anonymity_k: t.settings.anonymity_k.to_string(),
        rating_scale: t.settings.rating_scale.to_string(),
        errors: Vec::new(),
        check_in_grace_days: state
            .store
            .check_in_grace_days(auth.tenant())
            .await?
            .to_string(),
        grace_error: None,
        chat: chat_choices(state, auth).await?,
    })
}

async fn chat_choices(
    state: &AppState,
    auth: &Auth,
) -> Result<Vec<(&'static str, bool)>, AppError> {
    let allowed = state.store.chat_services(auth.tenant()).await?;
    Ok(domain::chat::ChatService::ALL
        .iter()
        .map(|s| (s.key(), allowed.contains(s)))
        .collect())
}

/// POST /admin/chat — which chat services people may connect their own webhook of.
async fn save_chat(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let chosen: Vec<domain::chat::ChatService> = form
        .get_all("service")
        .filter_map(domain::chat::ChatService::parse)
        .collect();
    app::accounts::set_chat_services(&state.store, &auth.caller(&origin), &chosen).await?;
    set_flash(&page.session, "success", page.t("admin.saved")).await?;
    Ok(Redirect::to("/admin#chat").into_response())
}

/// The admin's やること: mail that could not be sent, accounts whose sign-in is paused,
/// and accounts nobody has signed in to yet.
async fn admin_to_do(
    state: &AppState,
    page: &Page,
    auth: &Auth,
) -> Result<Vec<(String, &'static str, &'static str)>, AppError> {
    let tenant = auth.tenant();
    let now = state.clock.now();
    let mut out = Vec::new();
    let mail = state.store.queue_counts(tenant, store::jobs::EMAIL).await?;
    if mail.failed > 0 {
        out.push((
            page.tf("admin.to_do_mail_failed", "n", mail.failed),
            "/admin/outbox",
            "admin-to-do-mail-failed",
        ));
    }
    if mail.retrying > 0 {
        out.push((
            page.tf("admin.to_do_mail_retrying", "n", mail.retrying),
            "/admin/outbox",
            "admin-to-do-mail-retrying",
        ));
    }
    let paused = state
        .store
        .sign_in_throttles(tenant, now)
        .await?
        .iter()
        .filter(|t| t.kind == ThrottleKind::Account && t.blocked_until.is_some_and(|u| u > now))
        .count();
    if paused > 0 {
        out.push((
            page.tf("admin.to_do_paused", "n", paused),
            "/admin/users",
            "admin-to-do-paused",
        ));
    }
    let uninvited = state.store.count_people_without_account(tenant).await?;
    if uninvited > 0 {
        out.push((
            page.tf("admin.to_do_uninvited", "n", uninvited),
            "/admin/invitations",
            "admin-to-do-uninvited",
        ));
    }
    let never = state
        .store
        .list_users(tenant)
        .await?
        .iter()
        .filter(|u| !u.disabled && u.last_sign_in_at.is_none())
        .count();
    if never > 0 {
        out.push((
            page.tf("admin.to_do_never_signed_in", "n", never),
            "/admin/users",
            "admin-to-do-never",
        ));
    }
    Ok(out)
}

/// POST /admin/settings — validated as a whole; on error the form comes back as typed.
async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageTenantSettings {
            tenant: auth.tenant(),
        },
    )?;
    let t = state.store.tenant(auth.tenant()).await?;
    let month_raw = form.get("fy_start_month").trim().to_string();
    let k_raw = form.get("anonymity_k").trim().to_string();
    let rule_raw = form.get("age_rule").to_string();
    let scale_raw = form.get("rating_scale").trim().to_string();
    let mut errors = Vec::new();
    let scale = match RatingScale::parse(&scale_raw) {
        Ok(s) => Some(s),
        Err(_) => {
            errors.push(page.t("admin.rating_scale_invalid"));
            None
        }
    };
    let month = month_raw.parse::<u32>().ok();
    let k = k_raw.parse::<u32>().ok();
    let rule = AgeRule::parse(&rule_raw);
    if month.is_none() || k.is_none() || rule.is_none() {
        errors.push(page.t("error.invalid_number"));
    }
    let parsed = match (month, k, rule) {
        (Some(m), Some(k), Some(r)) => match TenantSettings::new(m, r, k) {
            Ok(s) => scale.map(|scale| s.with_rating_scale(scale)),
            Err(e) => {
                errors.push(page.t(&format!("error.{}", e.code())));
                None
            }
        },
        _ => None,
    };
    let Some(settings) = parsed.filter(|_| errors.is_empty()) else {
        let body = SettingsPage {
            shell: page.shell(Some(&auth), "/admin"),
            company: t.name,
            code: t.slug,
            fy_start_month: month.unwrap_or(t.settings.calendar.start_month()),
            age_rule: rule_raw,
            anonymity_k: k_raw,
            rating_scale: scale_raw,
            errors,
            check_in_grace_days: state
                .store
                .check_in_grace_days(auth.tenant())
                .await?
                .to_string(),
            grace_error: None,
            to_do: admin_to_do(&state, &page, &auth).await?,
            chat: chat_choices(&state, &auth).await?,
        };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    state
        .store
        .update_tenant_settings(auth.tenant(), settings.clone())
        .await?;
    let detail = format!(
        "fy_start_month={} age_rule={} anonymity_k={} rating_scale={}",
        settings.calendar.start_month(),
        settings.calendar.age_rule.as_str(),
        settings.anonymity_k,
        settings.rating_scale
    );
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::SettingsChanged)
            .target("tenant", auth.tenant())
            .detail(detail),
    )
    .await?;
    set_flash(&page.session, "success", page.t("admin.saved")).await?;
    Ok(Redirect::to("/admin").into_response())
}

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// (role name, translation key, held)
    pub roles: Vec<(&'static str, String, bool)>,
    pub disabled: bool,
    /// Sign-in attempts on this account wait now (ログイン制限中).
    pub throttled: bool,
    /// No password yet: (until when the open invitation works, if one does).
    pub pending: Option<Option<String>>,
    pub last_sign_in: Option<String>,
}

/// A sign-in throttle as the users page lists it.
pub struct ThrottleRow {
    pub id: i64,
    /// Translation key of the kind.
    pub kind: String,
    pub subject: String,
    pub failures: i64,
    pub until: Option<String>,
    pub last_failure: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct UsersPage {
    shell: Shell,
    users: Vec<UserRow>,
    throttles: Vec<ThrottleRow>,
    /// The filter as typed: part of a name or address, and the state chosen.
    q: String,
    state: &'static str,
    states: Vec<(&'static str, String)>,
    /// How many accounts match, and which of them this page shows (from, to).
    total: i64,
    shown: (u64, u64),
    prev: Option<String>,
    next: Option<String>,
}

/// Accounts the users page lists at once.
const USERS_PER_PAGE: u64 = 100;

#[derive(serde::Deserialize)]
struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    page: Option<u64>,
}

/// GET /admin/users[?q=&state=&page=] — the accounts, a page at a time, found by part of
/// a name or address and by state.
async fn users_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(query): Query<UsersQuery>,
) -> Result<UsersPage, AppError> {
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.tenant(),
        },
    )?;
    let now = Utc::now();
    let throttles = state.store.sign_in_throttles(auth.tenant(), now).await?;
    let waiting = |email: &str| {
        let subject = domain::throttle::account_subject(email);
        throttles.iter().any(|t| {
            t.kind == ThrottleKind::Account
                && t.subject == subject
                && t.blocked_until.is_some_and(|u| u > now)
        })
    };
    let invited = state.store.open_invitations(auth.tenant(), now).await?;
    let no_password = state.store.accounts_without_password(auth.tenant()).await?;
    let filter = store::users::UserFilter {
        text: query.q.chars().take(100).collect(),
        state: store::users::UserState::parse(&query.state),
    };
    let page_no = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let (found, total) = state
        .store
        .find_users(
            auth.tenant(),
            &filter,
            USERS_PER_PAGE,
            (page_no - 1) * USERS_PER_PAGE,
        )
        .await?;
    let link = |n: u64| {
        format!(
            "/admin/users?q={}&state={}&page={n}",
            crate::shared::error::urlencode(&filter.text),
            filter.state.key()
        )
    };
    let from = (page_no - 1) * USERS_PER_PAGE;
    let shown = (
        (from + 1).min(total as u64),
        (from + found.len() as u64).min(total as u64),
    );
    let prev = (page_no > 1).then(|| link(page_no - 1));
    let next = (from + (found.len() as u64) < total as u64).then(|| link(page_no + 1));
    let users = found
        .into_iter()
        .map(|u| UserRow {
            pending: no_password
                .contains(&u.id)
                .then(|| invited.get(&u.id).map(|at| crate::shared::time::when(*at))),
            id: u.id.0,
            roles: Role::ASSIGNABLE
                .iter()
                .map(|r| {
                    (
                        r.as_str(),
                        format!("role.{}", r.as_str()),
                        u.roles.contains(*r),
                    )
                })
                .collect(),
            throttled: waiting(&u.email),
            name: u.name,
            email: u.email,
            disabled: u.disabled,
            last_sign_in: u.last_sign_in_at.map(crate::shared::time::when),
        })
        .collect();
    let throttles = throttles
        .into_iter()
        .map(|t| ThrottleRow {
            id: t.id,
            kind: format!("throttles.kind_{}", t.kind.key()),
            subject: t.subject,
            failures: t.failures,
            until: t
                .blocked_until
                .filter(|u| *u > now)
                .map(crate::shared::time::when_seconds),
            last_failure: crate::shared::time::when_seconds(t.last_failure_at),
        })
        .collect();
    Ok(UsersPage {
        shell: page.shell(Some(&auth), "/admin/users"),
        users,
        throttles,
        states: store::users::UserState::ALL
            .iter()
            .map(|s| (s.key(), format!("users.state_{}", s.key())))
            .collect(),
        q: filter.text,
        state: filter.state.key(),
        total,
        shown,
        prev,
        next,
    })
}

/// POST /admin/sign-in-throttles/{id}/clear — the admin lets an account or an address
/// sign in again at once (audited).
async fn clear_throttle(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    _form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.tenant(),
        },
    )?;
    match state
        .store
        .clear_sign_in_throttle(auth.tenant(), id)
        .await?
    {
        Some(t) => {
            auth.audit(
                &state,
                &origin,
                NewAuditEntry::new(Some(auth.tenant()), AuditAction::ThrottleCleared)
                    .target(t.kind.key(), &t.subject)
                    .detail(domain::audit::detail(
                        "throttle_cleared",
                        &[("n", &t.failures)],
                    )),
            )
            .await?;
            set_flash(
                &page.session,
                "success",
                page.tf("throttles.cleared", "subject", &t.subject),
            )
            .await?;
        }
        None => set_flash(&page.session, "info", page.t("throttles.gone")).await?,
    }
    Ok(Redirect::to("/admin/users#throttles").into_response())
}

/// POST /admin/users/{id}/roles
async fn save_roles(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.tenant(),
        },
    )?;
    let mut roles = Vec::new();
    for r in form.get_all("role") {
        roles.push(
            Role::parse_assignable(r)
                .map_err(|_| AppError::Page(crate::shared::error::ErrorPage::BadRequest))?,
        );
    }
    let roles = RoleSet::new(roles);
    let Ok(target) =
        app::accounts::set_roles(&state.store, &auth.caller(&origin), UserId(id), &roles).await?
    else {
        set_flash(
            &page.session,
            "error",
            page.t("users.cannot_drop_own_admin"),
        )
        .await?;
        return Ok(Redirect::to("/admin/users").into_response());
    };
    set_flash(
        &page.session,
        "success",
        page.tf("users.roles_saved", "name", &target.name),
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn set_disabled(
    state: AppState,
    page: Page,
    auth: Auth,
    origin: Origin,
    id: i64,
    disabled: bool,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.tenant(),
        },
    )?;
    let target = state.store.user(auth.tenant(), UserId(id)).await?;
    if disabled && target.id == auth.user.id {
        set_flash(&page.session, "error", page.t("users.cannot_disable_self")).await?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    state
        .store
        .set_user_disabled(auth.tenant(), target.id, disabled)
        .await?;
    let action = if disabled {
        AuditAction::UserDisabled
    } else {
        AuditAction::UserEnabled
    };
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), action).target("user", id),
    )
    .await?;
    let key = if disabled {
        "users.disabled_done"
    } else {
        "users.enabled_done"
    };
    set_flash(&page.session, "success", page.tf(key, "name", &target.name)).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// POST /admin/users/{id}/disable — the user's sessions and tokens stop working at once.
async fn disable_user(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    set_disabled(state, page, auth, origin, id, true).await
}

/// POST /admin/users/{id}/enable
async fn enable_user(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    set_disabled(state, page, auth, origin, id, false).await
}

/// POST /admin/check-in — admin sets how many days after a commitment's start the
/// follow-up asks whether it started.
async fn set_grace(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    crate::shared::access::allow(
        &auth,
        domain::policy::Action::ManageTenantSettings {
            tenant: auth.tenant(),
        },
    )?;
    match domain::commitment::parse_grace_days(form.get("check_in_grace_days")) {
        Some(days) => {
            state
                .store
                .set_check_in_grace_days(auth.tenant(), days)
                .await?;
            auth.audit(
                &state,
                &origin,
                store::audit::NewAuditEntry::new(
                    Some(auth.tenant()),
                    domain::audit::AuditAction::SettingsChanged,
                )
                .detail(domain::audit::detail("grace_days", &[("n", &days)])),
            )
            .await?;
            set_flash(&page.session, "success", page.t("admin.saved")).await?;
        }
        None => {
            let typed = form.get("check_in_grace_days");
            let msg = page.tf("commitment.error.grace", "typed", typed);
            return settings_with_grace_error(&state, &page, &auth, typed, msg).await;
        }
    }
    Ok(axum::response::Redirect::to("/admin").into_response())
}
