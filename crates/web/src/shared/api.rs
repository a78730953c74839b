//! What every API operation shares: a JSON body and path parameters that answer in the
//! API's error shape ([`ApiJson`], [`ApiPath`]), optional fields that may not be `null`
//! ([`present`]), and the policy's refusal as a 403 ([`allow`]).

use super::auth::ApiAuth;
use super::error::ApiError;
use axum::extract::{FromRequest, Path, Request};
use axum::http::StatusCode;
use domain::policy::{self, Action};
use serde::Deserialize;

/// A JSON body. Anything else answers in the API's error shape: 415 when the body is not
/// declared as JSON, 400 when it does not parse or does not match what the operation
/// takes (with serde's reason). A number written with a fraction of zero (`3.0`) is the
/// integer it equals, as JSON Schema reads it.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with `Content-Type: application/json`",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "bad_request", e.body_text()))?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
        integral_numbers(&mut value);
        if has_nul(&value) {
            return Err(ApiError::bad_request(
                "text may not contain the NUL character (U+0000)",
            ));
        }
        T::deserialize(value).map(ApiJson).map_err(|e| {
            ApiError::bad_request(format!("the body does not fit this operation: {e}"))
        })
    }
}

/// Whether any string (or key) in a JSON value holds U+0000, which no text column takes.
fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// `3.0` → `3`, everywhere in a JSON value.
fn integral_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *v = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Path parameters; one that does not parse (`/people/abc`) answers 400 in the API's
/// error shape instead of plain text.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S>
    for ApiPath<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// For an optional field that may be left out but never sent as `null`.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Asks the policy; a refusal answers 403 in the API's error shape.
pub fn allow(auth: &ApiAuth, action: Action) -> Result<(), ApiError> {
    policy::authorize(&auth.actor, action).map_err(|reason| {
        tracing::info!(user.id = %auth.actor.user_id, ?action, ?reason, "API access denied");
        ApiError::forbidden()
    })
}
