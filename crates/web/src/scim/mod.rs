//! SCIM 2.0 at `/scim/v2` (RFC 7644): the way Entra ID and Okta keep accounts in step.
//! A bearer token per company (`kyoritsu scim token`, or the admin's page) says which
//! company; every answer is `application/scim+json`, every refusal the SCIM error shape.
//! The rules are `app::scim` and `domain::scim`; this module is the protocol's edge:
//! the token, the body (1 MB at most, JSON), the query parameters, the discovery
//! documents.

use crate::AppState;
use crate::shared::forms::Origin;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::scim::ScimError;
use serde_json::Value;
use std::collections::HashMap;

mod discovery;

/// The largest body taken.
const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    let v2 = Router::new()
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
        .route("/Users", get(list_users).post(create_user))
        .route(
            "/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .route("/Groups", get(list_groups).post(create_group))
        .route(
            "/Groups/{id}",
            get(get_group)
                .put(replace_group)
                .patch(patch_group)
                .delete(delete_group),
        )
        .route("/.search", axum::routing::post(search_all))
        .route("/Users/.search", axum::routing::post(search_users))
        .route("/Groups/.search", axum::routing::post(search_groups))
        .fallback(not_found);
    Router::new().nest("/scim/v2", v2)
}

/// A SCIM answer: JSON with the SCIM media type.
pub struct Scim(pub StatusCode, pub Value);

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let mut r = (self.0, self.1.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/scim+json"),
        );
        r
    }
}

fn refusal(e: ScimError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    Scim(status, e.body()).into_response()
}

fn failed(e: app::Error) -> Response {
    tracing::error!(error = %e, "a SCIM request failed");
    refusal(ScimError::status(
        500,
        "the request could not be completed; nothing was changed",
    ))
}

/// The company a SCIM request is for, from its bearer token.
pub struct Provider(app::scim::Provider);

impl FromRequestParts<AppState> for Provider {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            let mut r = refusal(ScimError::status(
                401,
                "a valid bearer token is required (kyoritsu scim token)",
            ));
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
            r
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?;
        let tenant = state
            .store
            .scim_tenant(token)
            .await
            .map_err(|e| failed(e.into()))?
            .ok_or_else(unauthorized)?;
        let origin = Origin::from_request_parts(parts, state)
            .await
            .unwrap_or(Origin {
                ip: None,
                request_id: None,
            });
        Ok(Provider(app::scim::Provider {
            tenant,
            base: base(state),
            ip: origin.ip,
            request_id: origin.request_id,
        }))
    }
}

/// Where the resources live, for `meta.location`.
fn base(state: &AppState) -> String {
    format!("{}/scim/v2", state.config.public_url)
}

/// A JSON body, or the SCIM refusal.
fn body(bytes: &Bytes) -> Result<Value, ScimError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ScimError::status(413, "the body is larger than 1 MB"));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("the body is not JSON: {e}")))
}

/// The list parameters, by their names in any case.
struct ListQuery {
    filter: Option<String>,
    start_index: Option<u64>,
    count: Option<u64>,
    attributes: Option<String>,
    excluded: Option<String>,
}

fn list_query(q: &HashMap<String, String>) -> Result<ListQuery, ScimError> {
    let get = |name: &str| {
        q.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let number = |name: &str| -> Result<Option<u64>, ScimError> {
        match get(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .map(|n| Some(n.max(0) as u64))
                .map_err(|_| ScimError::bad("invalidValue", format!("'{name}' must be a number"))),
        }
    };
    Ok(ListQuery {
        filter: get("filter"),
        start_index: number("startIndex")?,
        count: number("count")?,
        attributes: get("attributes"),
        excluded: get("excludedAttributes"),
    })
}

/// Answers `answer` (projected to the attributes asked for) with `ok`.
fn answer(answer: app::scim::Answer<Value>, ok: StatusCode, q: Option<&ListQuery>) -> Response {
    match answer {
        Ok(Ok(mut v)) => {
            if let Some(q) = q {
                let (a, e) = (q.attributes.as_deref(), q.excluded.as_deref());
                match v.get_mut("Resources").and_then(Value::as_array_mut) {
                    Some(items) => items
                        .iter_mut()
                        .for_each(|i| domain::scim::project(i, a, e)),
                    None => domain::scim::project(&mut v, a, e),
                }
            }
            let location = v
                .pointer("/meta/location")
                .and_then(Value::as_str)
                .map(str::to_string);
            let mut r = Scim(ok, v).into_response();
            if ok == StatusCode::CREATED
                && let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok())
            {
                r.headers_mut().insert(header::LOCATION, l);
            }
            r
        }
        Ok(Err(e)) => refusal(e),
        Err(e) => failed(e),
    }
}

fn gone(answer: app::scim::Answer<()>) -> Response {
    match answer {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => refusal(e),
        Err(e) => failed(e),
    }
}

async fn not_found() -> Response {
    refusal(ScimError::not_found("resource"))
}

/// A `SearchRequest` body as the list parameters.
fn search_query(b: &Bytes) -> Result<(app::scim::Search, ListQuery), ScimError> {
    let v = body(b)?;
    let s = app::scim::search_request(&v)?;
    let q = ListQuery {
        filter: s.filter.clone(),
        start_index: s.start_index,
        count: s.count,
        attributes: s.attributes.clone(),
        excluded: s.excluded.clone(),
    };
    Ok((s, q))
}

/// POST /.search: users and groups in one list.
async fn search_all(State(s): State<AppState>, Provider(p): Provider, b: Bytes) -> Response {
    match search_query(&b) {
        Ok((search, q)) => answer(
            app::scim::search_all(&s.store, &p, &search).await,
            StatusCode::OK,
            Some(&q),
        ),
        Err(e) => refusal(e),
    }
}

/// POST /Users/.search
async fn search_users(State(s): State<AppState>, Provider(p): Provider, b: Bytes) -> Response {
    match search_query(&b) {
        Ok((_, q)) => {
            let a =
                app::scim::list_users(&s.store, &p, q.filter.as_deref(), q.start_index, q.count)
                    .await;
            answer(a, StatusCode::OK, Some(&q))
        }
        Err(e) => refusal(e),
    }
}

/// POST /Groups/.search
async fn search_groups(State(s): State<AppState>, Provider(p): Provider, b: Bytes) -> Response {
    match search_query(&b) {
        Ok((_, q)) => {
            let a =
                app::scim::list_groups(&s.store, &p, q.filter.as_deref(), q.start_index, q.count)
                    .await;
            answer(a, StatusCode::OK, Some(&q))
        }
        Err(e) => refusal(e),
    }
}

type Q = Query<HashMap<String, String>>;
type Answer = app::scim::Answer<Value>;

/// Reads the list parameters, then answers what `read` gives, projected as asked.
async fn read_with(
    q: &HashMap<String, String>,
    read: impl AsyncFnOnce(&ListQuery) -> Answer,
) -> Response {
    match list_query(q) {
        Ok(q) => answer(read(&q).await, StatusCode::OK, Some(&q)),
        Err(e) => refusal(e),
    }
}

/// Reads a JSON body, then answers what `write` gives with `ok`.
async fn write_with(
    b: &Bytes,
    ok: StatusCode,
    write: impl AsyncFnOnce(Value) -> Answer,
) -> Response {
    match body(b) {
        Ok(v) => answer(write(v).await, ok, None),
        Err(e) => refusal(e),
    }
}

async fn list_users(State(s): State<AppState>, Provider(p): Provider, Query(q): Q) -> Response {
    read_with(&q, async |q| {
        app::scim::list_users(&s.store, &p, q.filter.as_deref(), q.start_index, q.count).await
    })
    .await
}

async fn get_user(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    Query(q): Q,
) -> Response {
    read_with(&q, async |_| app::scim::get_user(&s.store, &p, &id).await).await
}

async fn create_user(State(s): State<AppState>, Provider(p): Provider, b: Bytes) -> Response {
    write_with(&b, StatusCode::CREATED, async |v| {
        app::scim::create_user(&s.store, &p, &v, s.clock.now()).await
    })
    .await
}

async fn replace_user(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_with(&b, StatusCode::OK, async |v| {
        app::scim::replace_user(&s.store, &p, &id, &v, s.clock.now()).await
    })
    .await
}

async fn patch_user(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_with(&b, StatusCode::OK, async |v| {
        app::scim::patch_user(&s.store, &p, &id, &v, s.clock.now()).await
    })
    .await
}

async fn delete_user(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
) -> Response {
    gone(app::scim::delete_user(&s.store, &p, &id, s.clock.now()).await)
}

async fn list_groups(State(s): State<AppState>, Provider(p): Provider, Query(q): Q) -> Response {
    read_with(&q, async |q| {
        app::scim::list_groups(&s.store, &p, q.filter.as_deref(), q.start_index, q.count).await
    })
    .await
}

async fn get_group(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    Query(q): Q,
) -> Response {
    read_with(&q, async |_| app::scim::get_group(&s.store, &p, &id).await).await
}

async fn create_group(State(s): State<AppState>, Provider(p): Provider, b: Bytes) -> Response {
    write_with(&b, StatusCode::CREATED, async |v| {
        app::scim::create_group(&s.store, &p, &v, s.clock.now()).await
    })
    .await
}

async fn replace_group(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_with(&b, StatusCode::OK, async |v| {
        app::scim::replace_group(&s.store, &p, &id, &v, s.clock.now()).await
    })
    .await
}

async fn patch_group(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_with(&b, StatusCode::OK, async |v| {
        app::scim::patch_group(&s.store, &p, &id, &v, s.clock.now()).await
    })
    .await
}

async fn delete_group(
    State(s): State<AppState>,
    Provider(p): Provider,
    Path(id): Path<String>,
) -> Response {
    gone(app::scim::delete_group(&s.store, &p, &id).await)
}
