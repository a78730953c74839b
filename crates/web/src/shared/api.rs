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

/// A filter given by its key: `None` when left out or empty (any), the value when it is
/// one of `parse`'s keys, else 400 naming the parameter `what` and the value.
pub fn key_or_any<T>(
    raw: Option<&str>,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<Option<T>, ApiError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => parse(r)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("{what}: unknown value '{r}'"))),
    }
}

/// Asks the policy; a refusal answers 403 in the API's error shape.
pub fn allow(auth: &ApiAuth, action: Action) -> Result<(), ApiError> {
    policy::authorize(&auth.actor, action).map_err(|reason| {
        tracing::info!(user.id = %auth.actor.user_id, ?action, ?reason, "API access denied");
        ApiError::forbidden()
    })
}

/// The page of a list every list operation takes: `?limit=` (1–500, 100 when left out)
/// and `?offset=` (how many to skip). The answer is the page as a JSON array; the whole
/// list's length is in `X-Total-Count` and, when more follow, the next page's address
/// is in `Link: <…>; rel="next"`.
#[derive(Deserialize, utoipa::IntoParams, Clone, Copy)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// How many to answer (1–500; 100 when left out).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// How many to skip from the start of the list.
    #[param(minimum = 0, maximum = 1_000_000_000)]
    offset: Option<u64>,
}

/// Most a page holds, and how many when `limit` is left out.
pub const MAX_LIMIT: u32 = 500;
pub const DEFAULT_LIMIT: u32 = 100;

/// [`Paging`] read from the query string alongside the operation's own parameters (the
/// others are left to them); a bad value answers 400.
pub struct Paged {
    limit: usize,
    offset: usize,
    path: String,
    /// The query without `limit` and `offset`, to build the next page's address.
    rest: Vec<(String, String)>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Paged {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let mut paging = Paging {
            limit: None,
            offset: None,
        };
        let mut rest = Vec::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "limit" => {
                    paging.limit = Some(
                        v.parse()
                            .ok()
                            .filter(|l| (1..=MAX_LIMIT).contains(l))
                            .ok_or_else(|| {
                                ApiError::bad_request(format!(
                                    "limit must be a whole number from 1 to {MAX_LIMIT}"
                                ))
                            })?,
                    )
                }
                "offset" => {
                    paging.offset = Some(
                        v.parse()
                            .ok()
                            .filter(|o| *o <= 1_000_000_000)
                            .ok_or_else(|| {
                                ApiError::bad_request(
                                    "offset must be a whole number from 0 to 1000000000",
                                )
                            })?,
                    )
                }
                _ => rest.push((k.into_owned(), v.into_owned())),
            }
        }
        Ok(Paged {
            limit: paging.limit.unwrap_or(DEFAULT_LIMIT) as usize,
            offset: paging.offset.unwrap_or(0) as usize,
            path: parts.uri.path().to_string(),
            rest,
        })
    }
}

impl Paged {
    /// Refuses (400) any query parameter but the paging ones and `allowed`: an operation
    /// answers only what it was asked, and says so when a parameter means nothing to it.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        match self
            .rest
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => Err(ApiError::bad_request(format!(
                "unknown query parameter '{k}'"
            ))),
            None => Ok(()),
        }
    }

    /// How many to answer, and how many to skip, for a list paged where it is stored.
    pub fn window(&self) -> (u64, u64) {
        (self.limit as u64, self.offset as u64)
    }

    /// A page already cut where it is stored ([`Paged::window`]), out of `total`.
    pub fn cut<T: serde::Serialize>(&self, page: Vec<T>, total: usize) -> Listed<T> {
        Listed {
            page,
            total,
            next: self.next(total),
        }
    }

    fn next(&self, total: usize) -> Option<String> {
        (self.offset.saturating_add(self.limit) < total).then(|| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.rest {
                q.append_pair(k, v);
            }
            q.append_pair("limit", &self.limit.to_string());
            q.append_pair("offset", &(self.offset + self.limit).to_string());
            format!("{}?{}", self.path, q.finish())
        })
    }

    /// The page of `items` asked for, as the answer.
    pub fn of<T: serde::Serialize>(&self, items: Vec<T>) -> Listed<T> {
        let total = items.len();
        let page: Vec<T> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        self.cut(page, total)
    }
}

/// One page of a list, with its total and the next page's address (see [`Paging`]).
pub struct Listed<T> {
    page: Vec<T>,
    total: usize,
    next: Option<String>,
}

impl<T: serde::Serialize> axum::response::IntoResponse for Listed<T> {
    fn into_response(self) -> axum::response::Response {
        let mut res = axum::Json(self.page).into_response();
        let h = res.headers_mut();
        h.insert("x-total-count", self.total.into());
        if let Some(next) = self.next
            && let Ok(v) = axum::http::HeaderValue::from_str(&format!("<{next}>; rel=\"next\""))
        {
            h.insert(axum::http::header::LINK, v);
        }
        res
    }
}

/// Every successful read answers with an `ETag` (a digest of what it answers); a read
/// sent with `If-None-Match` naming the same tag answers 304 with nothing, so a client
/// that polls downloads a list again only when it changed. The tag is weak (`W/`): two
/// answers with the same tag say the same thing, byte for byte.
pub async fn etag(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{Method, header};
    use axum::response::IntoResponse;
    use sha2::Digest;
    let is_read = req.method() == Method::GET;
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !is_read || res.status() != StatusCode::OK || !json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // API answers are built in memory; this bounds what is read back for the digest.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the answer could not be read back",
        )
        .into_response();
    };
    let digest = sha2::Sha256::digest(&bytes);
    let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let tag = format!("W/\"{tag}\"");
    let matches = if_none_match.is_some_and(|v| {
        v.split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == tag || t.trim_start_matches("W/") == &tag[2..])
    });
    if let Ok(v) = axum::http::HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
