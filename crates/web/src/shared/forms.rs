//! What a request carries besides its path: where it came from ([`Origin`], for the audit
//! log) and a form body ([`FormData`]).

use super::error::{self, AppError};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use std::net::SocketAddr;

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

    /// The fields of one section of a page-wide form: those named `prefix.name`, with
    /// the prefix taken off. A form that has none (a client posting the section's own
    /// fields, as the tests and older pages do) is taken as it is.
    pub fn scoped(&self, prefix: &str) -> FormData {
        let lead = format!("{prefix}.");
        if !self.0.iter().any(|(k, _)| k.starts_with(&lead)) {
            return FormData(self.0.clone());
        }
        FormData(
            self.0
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&lead).map(|k| (k.to_string(), v.clone())))
                .collect(),
        )
    }

    /// Every field name, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
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
