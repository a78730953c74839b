//! Operations: `/healthz`, `/metrics`, static assets, request ids, security headers,
//! metrics recording and the localised error pages.

use crate::AppState;
use crate::shared::error::{AppError, ErrorPage};
use crate::shared::i18n::Lang;
use crate::shared::shell::Shell;
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rand::RngCore;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::set_header::SetResponseHeaderLayer;

/// The embedded static files: (path, content type, body).
const ASSETS: [(&str, &str, &str); 5] = [
    (
        "/static/app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "/static/htmx.min.js",
        JS,
        include_str!("../../static/htmx.min.js"),
    ),
    (
        "/static/upload.js",
        JS,
        include_str!("../../static/upload.js"),
    ),
    (
        "/static/career_sheet.js",
        JS,
        include_str!("../../static/career_sheet.js"),
    ),
    (
        "/static/anchors.js",
        JS,
        include_str!("../../static/anchors.js"),
    ),
];
const JS: &str = "text/javascript; charset=utf-8";

pub fn router() -> Router<AppState> {
    let mut r = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics));
    for (path, content_type, body) in ASSETS {
        r = r.route(path, get(move || async move { asset(content_type, body) }));
    }
    r
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// GET /healthz — 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "error", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

/// Request counters and a latency histogram, rendered in Prometheus text format.
#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; BUCKETS.len()],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

const BUCKETS: [f64; 9] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

impl Metrics {
    pub fn observe(&self, status: StatusCode, seconds: f64) {
        let class = (status.as_u16() / 100).clamp(1, 5) as usize - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.sum_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let mut s = String::from(
            "# HELP kyoritsu_http_requests_total HTTP requests by status class.\n# TYPE kyoritsu_http_requests_total counter\n",
        );
        for (i, c) in self.by_class.iter().enumerate() {
            s += &format!(
                "kyoritsu_http_requests_total{{status=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            );
        }
        s += "# HELP kyoritsu_http_request_duration_seconds Time to answer a request.\n# TYPE kyoritsu_http_request_duration_seconds histogram\n";
        for (i, b) in BUCKETS.iter().enumerate() {
            s += &format!(
                "kyoritsu_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}\n",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        s += &format!("kyoritsu_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n");
        s += &format!(
            "kyoritsu_http_request_duration_seconds_sum {}\n",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        s += &format!("kyoritsu_http_request_duration_seconds_count {count}\n");
        s
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

pub async fn record_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let res = next.run(req).await;
    state
        .metrics
        .observe(res.status(), start.elapsed().as_secs_f64());
    res
}

/// Random request ids (16 hex digits), shown on error pages and logged.
#[derive(Clone, Copy)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let mut b = [0u8; 8];
        rand::rng().fill_bytes(&mut b);
        let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

pub fn span_for_request(req: &axum::http::Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request.id = %id)
}

/// CSP, framing, referrer and MIME-sniffing headers on every response.
pub fn with_security_headers(app: Router) -> Router {
    app.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    ))
    .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
    .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
    .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// Unknown routes: a localised 404 page (or JSON under /api/).
pub async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return crate::ApiError::not_found("route").into_response();
    }
    AppError::not_found().into_response()
}

#[derive(Template)]
#[template(path = "shared/error.html")]
struct ErrorTemplate {
    shell: Shell,
    title: String,
    body: String,
    request_id: String,
}

/// Renders responses marked with [`ErrorPage`] as a page in the user's language,
/// quoting the request id.
pub async fn render_error_pages(req: Request, next: Next) -> Response {
    let lang = Lang::from_cookie_header(
        req.headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok()),
    );
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let Some(page) = res.extensions().get::<ErrorPage>().copied() else {
        return res;
    };
    if api {
        // The API answers in its own shape, even for an error raised outside a handler
        // (a caught panic).
        return crate::shared::error::ApiError::new(
            page.status(),
            "internal",
            "the server could not answer this request; it was logged",
        )
        .into_response();
    }
    let catalog = lang.catalog();
    let (title, body) = page.keys();
    let shell = Shell {
        lang,
        user: None,
        csrf: String::new(),
        flash: None,
        path: "/".into(),
        section: "",
    };
    let t = ErrorTemplate {
        shell,
        title: catalog.get(title).into(),
        body: catalog.get(body).into(),
        request_id,
    };
    match t.render() {
        Ok(html) => (
            page.status(),
            [(header::CACHE_CONTROL, "no-store")],
            Html(html),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (page.status(), catalog.get(title).to_string()).into_response()
        }
    }
}
