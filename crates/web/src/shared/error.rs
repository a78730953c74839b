//! Errors of the web layer, turned into responses in one place.
//!
//! Pages return [`AppError`]: the response carries an [`ErrorPage`] marker and the
//! `render_error_pages` middleware renders it in the user's language with the request id.
//! The JSON API returns [`ApiError`]: `{"error": {"code", "message"}}` with a precise
//! message. Internal details are logged, never shown.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use store::StoreError;

/// Which error page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    BadRequest,
    Forbidden,
    NotFound,
    /// It is closed (a cancelled programme): nothing more can be changed.
    Closed,
    Csrf,
    Internal,
}

impl ErrorPage {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
            ErrorPage::Forbidden | ErrorPage::Csrf => StatusCode::FORBIDDEN,
            ErrorPage::NotFound => StatusCode::NOT_FOUND,
            ErrorPage::Closed => StatusCode::CONFLICT,
            ErrorPage::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Translation keys of the title and body.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            ErrorPage::BadRequest => ("error.title_400", "error.body_400"),
            ErrorPage::Forbidden => ("error.title_403", "error.body_403"),
            ErrorPage::NotFound => ("error.title_404", "error.body_404"),
            ErrorPage::Closed => ("error.title_closed", "error.body_closed"),
            ErrorPage::Csrf => ("error.title_csrf", "error.body_csrf"),
            ErrorPage::Internal => ("error.title_500", "error.body_500"),
        }
    }
}

/// An error on an HTML page.
#[derive(Debug)]
pub enum AppError {
    /// Not signed in (or the session ended): go to the sign-in page, then come back.
    SignInRequired {
        next: String,
    },
    Page(ErrorPage),
}

impl AppError {
    pub fn not_found() -> Self {
        AppError::Page(ErrorPage::NotFound)
    }

    pub fn forbidden() -> Self {
        AppError::Page(ErrorPage::Forbidden)
    }

    pub fn bad_request() -> Self {
        AppError::Page(ErrorPage::BadRequest)
    }

    pub fn internal(context: &str, e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "{context}");
        AppError::Page(ErrorPage::Internal)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            other => AppError::internal("store error", other),
        }
    }
}

impl From<app::Error> for AppError {
    fn from(e: app::Error) -> Self {
        match e {
            app::Error::NotFound(_) => AppError::not_found(),
            app::Error::Forbidden => AppError::forbidden(),
            app::Error::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::SignInRequired { next } => {
                let target = if next.is_empty() || next == "/" {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", urlencode(&next))
                };
                Redirect::to(&target).into_response()
            }
            AppError::Page(page) => {
                let mut r = (page.status(), [(header::CACHE_CONTROL, "no-store")]).into_response();
                r.extensions_mut().insert(page);
                r
            }
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// With `409 stale`: the version that is current now.
    pub current_version: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            current_version: None,
        }
    }

    /// A `409 stale`: the caller edited an older version; `current` is the one now.
    pub fn stale(current: i64, message: impl Into<String>) -> Self {
        ApiError {
            current_version: Some(current),
            ..ApiError::new(StatusCode::CONFLICT, "stale", message)
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API token is required: send `Authorization: Bearer <token>` (create one with `kyoritsu token create`)",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "you do not have permission for this resource",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl From<app::Error> for ApiError {
    fn from(e: app::Error) -> Self {
        match e {
            app::Error::NotFound(what) => ApiError::not_found(what),
            app::Error::Forbidden => ApiError::forbidden(),
            app::Error::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found("resource"),
            StoreError::Conflict(what) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} already exists"),
            ),
            StoreError::Invalid(d) => ApiError::bad_request(d.to_string()),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "an internal error occurred; quote the x-request-id header when reporting it",
                )
            }
        }
    }
}

/// The JSON body of every API error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `unauthorized`, `forbidden`, `not_found`, `bad_request`, `conflict`, `internal`.
    pub code: String,
    /// What went wrong, in plain words.
    pub message: String,
    /// With `stale` (409): the version that is current now — read it and try again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.into(),
                message: self.message,
                current_version: self.current_version,
            },
        };
        let mut r = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}
