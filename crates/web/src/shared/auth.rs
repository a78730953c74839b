//! Sign-in, sessions, CSRF and the extractors that tell a handler who is asking.
//!
//! - [`Page`]: every HTML handler's context (language, session, CSRF token, flash).
//! - [`Auth`]: a signed-in user as a policy [`Actor`]; rejects to the sign-in page.
//! - [`ApiAuth`]: the same for `/api/v1/*` from a Bearer token; rejects with a JSON 401.
//! - [`csrf_guard`]: middleware refusing state-changing form posts without the session's token.

use crate::shared::error::{ApiError, AppError, ErrorPage};
use crate::shared::i18n::Lang;
use crate::shared::shell::{Flash, Shell, ShellUser, home_of};
use crate::{AppState, Origin};
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::{Method, Request, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use domain::policy::Actor;
use domain::{TenantId, UserId};
use rand::RngCore;
use store::audit::NewAuditEntry;
use store::users::User;
use tower_sessions::Session;

const UID: &str = "uid";
const TID: &str = "tid";
const AUTH_AT: &str = "auth_at";
/// The sign-in instant in milliseconds: a password set by reset and the sign-in that
/// follows it often fall in the same second.
const AUTH_AT_MS: &str = "auth_at_ms";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";
const TOUCHED_AT: &str = "touched_at";
/// How often an active session is written back, extending its idle timeout.
const TOUCH_EVERY_SECONDS: i64 = 60;
/// Form bodies larger than this are refused before CSRF checking reads them.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Only same-origin paths may be redirected to after sign-in or a language switch: a path
/// starting with one `/`, with no control character (browsers drop tab and newline, so
/// `/\t/evil.example` would become `//evil.example`), no whitespace, no backslash (read
/// as `/` by browsers), no scheme and nothing but ASCII. Anything else falls back to `/` without an error.
pub fn safe_next(next: &str) -> &str {
    let bytes = next.as_bytes();
    // Only ASCII: a location header cannot carry anything else, and a real path from this
    // site arrives percent-encoded.
    let ok = next.is_ascii()
        && bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/') | Some(b'\\'))
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && !next.split(['?', '#']).next().unwrap_or("").contains(':')
        && next.len() <= 2048;
    if ok { next } else { "/" }
}

async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, msg)| AppError::internal("session layer missing", msg))
}

pub fn session_err(e: tower_sessions::session::Error) -> AppError {
    AppError::internal("session store", e)
}

/// Puts a one-time message on the next page.
pub async fn set_flash(session: &Session, kind: &str, text: String) -> Result<(), AppError> {
    session
        .insert(
            FLASH,
            Flash {
                kind: kind.into(),
                text,
            },
        )
        .await
        .map_err(session_err)
}

/// Context of every HTML page.
pub struct Page {
    pub lang: Lang,
    pub session: Session,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub path: String,
}

impl Page {
    /// The same page context with the flash set during this request (a page rendered in
    /// answer to a post, rather than after a redirect, shows it now).
    pub async fn with_new_flash(&self) -> Result<Page, AppError> {
        let flash = match self
            .session
            .get::<Flash>(FLASH)
            .await
            .map_err(session_err)?
        {
            Some(_) => self
                .session
                .remove::<Flash>(FLASH)
                .await
                .map_err(session_err)?,
            None => None,
        };
        Ok(Page {
            lang: self.lang,
            session: self.session.clone(),
            csrf: self.csrf.clone(),
            flash: flash.or_else(|| self.flash.clone()),
            path: self.path.clone(),
        })
    }

    pub fn shell(&self, auth: Option<&Auth>, section: &'static str) -> Shell {
        Shell {
            lang: self.lang,
            user: auth.map(|a| ShellUser {
                name: a.user.name.clone(),
                roles: a.actor.roles.iter().collect(),
                has_person: a.actor.person_id.is_some(),
                unread: a.unread,
            }),
            csrf: self.csrf.clone(),
            flash: self.flash.clone(),
            path: self.path.clone(),
            section,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.catalog().get(key).to_string()
    }

    pub fn tf(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.lang.catalog().format(key, &[(name, &value)])
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        let lang = Lang::from_cookie_header(
            parts
                .headers
                .get(header::COOKIE)
                .and_then(|v| v.to_str().ok()),
        );
        let csrf = match session.get::<String>(CSRF).await.map_err(session_err)? {
            Some(t) => t,
            None => {
                let t = random_token();
                session.insert(CSRF, &t).await.map_err(session_err)?;
                t
            }
        };
        // Take the flash only when there is one: removing marks the session changed, and a
        // changed session is written back to the database at the end of the request.
        let flash = match session.get::<Flash>(FLASH).await.map_err(session_err)? {
            Some(_) => session.remove::<Flash>(FLASH).await.map_err(session_err)?,
            None => None,
        };
        // The idle timeout runs from the session's last write. Writing it at most once a
        // minute keeps that within a minute of the last request without a database write
        // on every page (which capped throughput under load; see bench/README.md).
        let now = chrono::Utc::now().timestamp();
        let touched: Option<i64> = session.get(TOUCHED_AT).await.map_err(session_err)?;
        if touched.is_none_or(|t| now - t >= TOUCH_EVERY_SECONDS) {
            session.insert(TOUCHED_AT, now).await.map_err(session_err)?;
        }
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        Ok(Page {
            lang,
            session,
            csrf,
            flash,
            path,
        })
    }
}

/// A signed-in user.
pub struct Auth {
    pub actor: Actor,
    pub user: User,
    /// Unread notices (お知らせ), for the header.
    pub unread: i64,
}

impl Auth {
    pub fn tenant(&self) -> TenantId {
        self.actor.tenant_id
    }

    /// The caller as the application layer (and its audit entries) knows them.
    pub fn caller(&self, origin: &Origin) -> app::Caller {
        caller_of(&self.actor, &self.user, origin)
    }

    /// Appends an audit entry attributed to this user.
    pub async fn audit(
        &self,
        state: &AppState,
        origin: &Origin,
        entry: NewAuditEntry,
    ) -> Result<(), store::StoreError> {
        state
            .store
            .append_audit(
                entry
                    .actor(Some(self.user.id), &self.user.email)
                    .origin(origin.ip.clone(), origin.request_id.clone()),
            )
            .await
    }
}

/// Builds the policy's view of a user (`app::actor_for`).
pub async fn actor_for(state: &AppState, user: &User) -> Result<Actor, store::StoreError> {
    app::actor_for(&state.store, user).await
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        let next = if parts.method == Method::GET {
            parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let required = || AppError::SignInRequired { next: next.clone() };
        let uid: Option<i64> = session.get(UID).await.map_err(session_err)?;
        let tid: Option<i64> = session.get(TID).await.map_err(session_err)?;
        let auth_at: Option<i64> = session.get(AUTH_AT).await.map_err(session_err)?;
        let (Some(uid), Some(tid), Some(auth_at)) = (uid, tid, auth_at) else {
            return Err(required());
        };
        let signed_in_at = DateTime::<Utc>::from_timestamp(auth_at, 0).unwrap_or_default();
        if Utc::now() - signed_in_at > state.config.absolute_timeout {
            session.flush().await.map_err(session_err)?;
            return Err(required());
        }
        let user = match state.store.user(TenantId(tid), UserId(uid)).await {
            Ok(u) => u,
            Err(store::StoreError::NotFound) => {
                session.flush().await.map_err(session_err)?;
                return Err(required());
            }
            Err(e) => return Err(e.into()),
        };
        // Disabling an account (or a password change) voids sessions signed in before it.
        let auth_ms = session
            .get::<i64>(AUTH_AT_MS)
            .await
            .map_err(session_err)?
            .unwrap_or(auth_at * 1000);
        let voided = user
            .sessions_valid_after
            .is_some_and(|v| v.timestamp_millis() >= auth_ms);
        if user.disabled || voided {
            session.flush().await.map_err(session_err)?;
            return Err(required());
        }
        let actor = actor_for(state, &user).await?;
        let unread = state
            .store
            .unread_notifications(user.tenant_id, user.id)
            .await?;
        Ok(Auth {
            actor,
            user,
            unread,
        })
    }
}

/// A caller of the JSON API, authenticated by `Authorization: Bearer <token>`.
pub struct ApiAuth {
    pub actor: Actor,
    pub user: User,
}

impl ApiAuth {
    /// The caller as the application layer (and its audit entries) knows them.
    pub fn caller(&self, origin: &Origin) -> app::Caller {
        caller_of(&self.actor, &self.user, origin)
    }
}

fn caller_of(actor: &Actor, user: &User, origin: &Origin) -> app::Caller {
    app::Caller {
        actor: actor.clone(),
        email: user.email.clone(),
        ip: origin.ip.clone(),
        request_id: origin.request_id.clone(),
    }
}

impl FromRequestParts<AppState> for ApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let holder = state
            .store
            .authenticate_token(token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        // A read-only token reads: anything that could change something is refused.
        if holder.scope == domain::account::TokenScope::Read
            && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "read_only_token",
                "this token may only read (its scope is read)",
            ));
        }
        let user = state.store.user(holder.tenant, holder.user).await?;
        let actor = actor_for(state, &user).await?;
        Ok(ApiAuth { actor, user })
    }
}

/// Refuses POST/PUT/PATCH/DELETE on pages unless the session's CSRF token comes back,
/// as the `_csrf` form field or the `X-CSRF-Token` header. The API uses Bearer tokens
/// (no cookies) and is exempt.
pub async fn csrf_guard(session: Session, req: Request<Body>, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let expected: Option<String> = session.get(CSRF).await.ok().flatten();
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // File uploads carry the token in the form's action URL: their body is not read here.
    let query_token = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned())
    });
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let matches = |presented: &Option<String>| matches!((&expected, presented), (Some(e), Some(p)) if constant_time_eq(e, p));
    let refuse = |path: &str| {
        tracing::info!(path = %path, "refused a form post without a valid CSRF token");
        AppError::Page(ErrorPage::Csrf).into_response()
    };
    if multipart {
        if !matches(&header_token.or(query_token)) {
            return refuse(req.uri().path());
        }
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let form_token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    if !matches(&header_token.or(form_token)) {
        return refuse(parts.uri.path());
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Signs `user` in on this session: a fresh session id (so a planted id is worthless),
/// the sign-in instant, a new CSRF token.
pub async fn establish(session: &Session, user: &User, now: DateTime<Utc>) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_err)?;
    session.insert(UID, user.id.0).await.map_err(session_err)?;
    session
        .insert(TID, user.tenant_id.0)
        .await
        .map_err(session_err)?;
    session
        .insert(AUTH_AT, now.timestamp())
        .await
        .map_err(session_err)?;
    session
        .insert(AUTH_AT_MS, now.timestamp_millis())
        .await
        .map_err(session_err)?;
    session
        .insert(CSRF, random_token())
        .await
        .map_err(session_err)?;
    Ok(())
}

/// The account this session is signed in to, if any (as stored: checked by [`Auth`]).
pub async fn signed_in_ids(session: &Session) -> Result<Option<(TenantId, UserId)>, AppError> {
    let uid: Option<i64> = session.get(UID).await.map_err(session_err)?;
    let tid: Option<i64> = session.get(TID).await.map_err(session_err)?;
    Ok(uid.zip(tid).map(|(u, t)| (TenantId(t), UserId(u))))
}

/// After the user changed their own password (which signed out every session): this
/// session alone stays signed in, under a fresh id.
pub async fn keep_after_password_change(session: &Session, user: &User) -> Result<(), AppError> {
    let now = Utc::now().timestamp_millis();
    let after = user
        .sessions_valid_after
        .map_or(now, |v| v.timestamp_millis() + 1);
    session.cycle_id().await.map_err(session_err)?;
    session
        .insert(AUTH_AT_MS, now.max(after))
        .await
        .map_err(session_err)?;
    Ok(())
}

/// Sets the `lang` cookie that chooses the pages' language.
pub fn remember_language(r: &mut Response, lang: Lang) -> Result<(), AppError> {
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    r.headers_mut().insert(
        header::SET_COOKIE,
        header::HeaderValue::from_str(&cookie).map_err(|e| AppError::internal("cookie", e))?,
    );
    Ok(())
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// GET /lang/{code}: remembers the language in a cookie and goes back.
pub async fn switch_language(
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&code).ok_or_else(AppError::not_found)?;
    let mut r = Redirect::to(safe_next(&q.next)).into_response();
    remember_language(&mut r, lang)?;
    Ok(r)
}

/// GET /: the signed-in user's home, or the sign-in page.
pub async fn root(auth: Result<Auth, AppError>) -> Response {
    match auth {
        Ok(a) => Redirect::to(home_of(a.actor.roles.landing())).into_response(),
        Err(_) => Redirect::to("/login").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/members?x=1"), "/members?x=1");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/\r\nSet-Cookie: x=1"), "/");
        assert_eq!(safe_next("/ /evil.example"), "/");
        assert_eq!(safe_next("/\u{3000}/evil.example"), "/");
        assert_eq!(safe_next("/a\\b"), "/");
        assert_eq!(safe_next("javascript:alert(1)"), "/");
        assert_eq!(safe_next("/javascript:alert(1)"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("Evil.example"), "/");
        assert_eq!(safe_next("/people?q=a:b"), "/people?q=a:b");
        assert_eq!(
            safe_next("/my/career-sheet#vision"),
            "/my/career-sheet#vision"
        );
    }

    #[test]
    fn token_comparison_is_exact() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
