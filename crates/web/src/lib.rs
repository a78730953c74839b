//! Kyoritsu's HTTP surface: HTML pages (askama, htmx), the JSON API under `/api/v1`
//! (Bearer tokens, OpenAPI at `/api/v1/openapi.json`, Swagger UI at `/api/docs`),
//! sign-in and sessions, CSRF, i18n, static assets, `/healthz` and `/metrics`.
//!
//! Handlers are thin: extract → parse → ask `domain::policy` → call the store → render.
//! [`router`] is the whole surface in one place.

#![forbid(unsafe_code)]

pub(crate) mod admin;
mod anchors;
mod api;
mod api_career_sheet;
mod api_dialogues;
mod api_schema;
pub mod auth;
mod autonomy;
mod career_sheet;
mod clients;
pub mod clock;
pub use app::commitment_text;
mod commitments;
mod dialogues;
mod directory;
pub mod error;
pub mod i18n;
mod mechanism;
mod ops;
mod outbox;
mod pages;
mod pdf;
mod people_import;
mod programmes;
mod questions;
mod reports;
mod role_models;
mod shell;
pub mod worker;

use axum::Router;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use store::Store;
use store::sessions::SessionBackend;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use error::{ApiError, AppError};
pub use ops::Metrics;

/// Settings of the web layer (from `kyoritsu.toml` / `KYORITSU_*`).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (on unless serving plain HTTP on loopback).
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub idle_timeout: chrono::Duration,
    /// A session ends this long after sign-in, however active.
    pub absolute_timeout: chrono::Duration,
    /// The product's address as people reach it (for links in emails), without a
    /// trailing slash.
    pub public_url: String,
    /// Whether an SMTP server is configured (without one, emails wait in the outbox).
    pub smtp_configured: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            idle_timeout: chrono::Duration::minutes(30),
            absolute_timeout: chrono::Duration::hours(12),
            public_url: "http://127.0.0.1:8080".into(),
            smtp_configured: false,
        }
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
    /// What time the product believes it is (see [`clock`]).
    pub clock: clock::Clock,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            clock: clock::Clock::system(),
        }
    }

    /// The same state reading time from `clock`.
    pub fn with_clock(mut self, clock: clock::Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Origin { ip, request_id })
    }
}

/// An `application/x-www-form-urlencoded` body as name/value pairs (repeated names kept).
pub struct FormData(Vec<(String, String)>);

impl FormData {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), 2 * 1024 * 1024)
            .await
            .map_err(|_| AppError::Page(error::ErrorPage::BadRequest))?;
        // U+0000 has no place in any text, and PostgreSQL refuses it in a text column.
        Ok(FormData(
            form_urlencoded::parse(&bytes)
                .map(|(k, v)| (k.replace('\0', ""), v.replace('\0', "")))
                .collect(),
        ))
    }
}

/// The whole application: pages, API, operations endpoints and their middleware.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(SessionBackend::new(&state.store))
        .with_name("kyoritsu_session")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            state.config.idle_timeout.num_seconds(),
        )));

    let pages = Router::new()
        .route("/", get(auth::root))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(auth::switch_language))
        .merge(pages::router())
        .merge(career_sheet::router())
        .merge(dialogues::router())
        .merge(commitments::router())
        .merge(reports::router())
        .merge(autonomy::router())
        .merge(mechanism::router())
        .merge(clients::router())
        .merge(questions::router())
        .merge(admin::router())
        .merge(outbox::router())
        .merge(role_models::router())
        .merge(anchors::router())
        .merge(people_import::router())
        .merge(directory::router())
        .merge(programmes::router())
        .layer(middleware::from_fn(auth::csrf_guard))
        .layer(sessions);

    let app = Router::new()
        .merge(pages)
        .merge(api::router())
        // Every page and API answer may carry personal data: no browser or proxy keeps one.
        // Static assets and the API's documentation set their own caching first.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .merge(ops::router())
        .fallback(ops::not_found)
        // A bug that panics answers 500 for that request only; the connection and the
        // server go on.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                AppError::internal("handler panicked", "see the panic message above")
                    .into_response()
            },
        ))
        .layer(middleware::from_fn(ops::render_error_pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            ops::record_metrics,
        ))
        .layer(CompressionLayer::new())
        .with_state(state);
    ops::with_security_headers(app)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(ops::span_for_request))
        .layer(SetRequestIdLayer::x_request_id(ops::MakeId))
}
