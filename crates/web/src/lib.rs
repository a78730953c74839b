//! Kyoritsu's HTTP surface: HTML pages (askama, htmx), the JSON API under `/api/v1`
//! (Bearer tokens, OpenAPI at `/api/v1/openapi.json`, Swagger UI at `/api/docs`),
//! sign-in and sessions, CSRF, i18n, static assets, `/healthz` and `/metrics`.
//!
//! Handlers are thin: extract → parse → ask `domain::policy` → call the store → render.
//! [`router`] is the whole surface in one place.

#![forbid(unsafe_code)]

// Feature folders: each holds its handlers, views and router; none imports another.
mod account;
mod admin;
mod anchors;
mod autonomy;
mod career_sheet;
mod clients;
mod consultants;
mod dialogues;
mod home;
mod kpi;
mod notifications;
mod opportunities;
mod pairs;
mod people;
mod policy;
mod programmes;
mod questions;
mod reports;
mod requests;
mod role_models;
mod sign_in;
mod surveys;

// The whole URL surface, the shared HTTP machinery, and the background worker.
pub mod calendar_mail;
pub mod chat;
mod routes;
mod scim;
pub mod shared;
pub mod worker;

pub use app::commitment_text;

pub use shared::forms::{FormData, Origin};
use shared::ops;
pub use shared::{auth, clock, error, i18n};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::IntoResponse;
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
    /// Hosts (`host` or `host:port`) besides Slack's and Teams' own that people's chat
    /// webhooks may point at, over any scheme: a company's relay, a test receiver.
    pub webhook_hosts: Vec<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            idle_timeout: chrono::Duration::minutes(30),
            absolute_timeout: chrono::Duration::hours(12),
            public_url: "http://127.0.0.1:8080".into(),
            smtp_configured: false,
            webhook_hosts: Vec::new(),
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
    /// This process's keyword indexes of consultants' profiles (rebuilt when the
    /// database says they changed).
    pub consultant_index: Arc<app::consultations::IndexCache>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            clock: clock::Clock::system(),
            consultant_index: Arc::default(),
        }
    }

    /// The same state reading time from `clock`.
    pub fn with_clock(mut self, clock: clock::Clock) -> Self {
        self.clock = clock;
        self
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

    let pages = routes::pages()
        .layer(middleware::from_fn(auth::csrf_guard))
        .layer(sessions);

    let app = Router::new()
        .merge(pages)
        .merge(routes::api())
        // SCIM 2.0 provisioning (its own bearer token per company)
        .merge(scim::router())
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
