//! The JSON API under `/api/v1`, authenticated by Bearer tokens and described by OpenAPI
//! (`/api/v1/openapi.json`, browsable at `/api/docs`). Every route asks the same policy as
//! the pages do.

use crate::auth::ApiAuth;
use crate::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::AuditAction;
use domain::policy::{self, Action};
use domain::{EmailAddress, PersonId, Role, UserId};
use serde::{Deserialize, Serialize};
use store::audit::NewAuditEntry;
use store::users::NewUser;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Kyoritsu API", description = "キャリア共律 — career co-autonomy platform. Authenticate with `Authorization: Bearer <token>` (create one with `kyoritsu token create --email …`). Errors answer `{\"error\": {\"code\", \"message\"}}`; no text may contain U+0000."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The API's routes and the document generated from their annotations.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(person))
        .routes(routes!(members))
        .routes(routes!(list_users, create_user))
        .routes(routes!(set_user_disabled))
        .routes(routes!(audit))
        .routes(routes!(
            crate::api_career_sheet::get_sheet,
            crate::api_career_sheet::put_sheet
        ))
        .routes(routes!(crate::api_career_sheet::list_versions))
        .routes(routes!(crate::api_career_sheet::get_version))
        .routes(routes!(
            crate::api_dialogues::list,
            crate::api_dialogues::book
        ))
        .routes(routes!(crate::api_dialogues::get))
        .routes(routes!(crate::api_dialogues::add_note))
        .routes(routes!(crate::api_dialogues::my_records))
        .split_for_parts()
}

/// The OpenAPI document as served at `/api/v1/openapi.json`: generated, then completed
/// with what the annotations cannot say (`api_schema`).
pub fn openapi_json() -> serde_json::Value {
    let (_, api) = parts();
    let mut doc = serde_json::to_value(&api).unwrap_or_default();
    crate::api_schema::complete(&mut doc);
    doc
}

pub fn router() -> Router<AppState> {
    let (router, _) = parts();
    router.merge(
        SwaggerUi::new("/api/docs").external_url_unchecked("/api/v1/openapi.json", openapi_json()),
    )
}

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

/// The addresses `POST /users` takes, exactly as its schema's pattern says:
/// `^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`, at most 254 characters.
fn api_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = (1..=64).contains(&local.len())
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    s.len() <= 254 && local_ok && domain_ok
}

/// For an optional field that may be left out but never sent as `null`.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

fn allow(auth: &ApiAuth, action: Action) -> Result<(), ApiError> {
    policy::authorize(&auth.actor, action).map_err(|reason| {
        tracing::info!(user.id = %auth.actor.user_id, ?action, ?reason, "API access denied");
        ApiError::forbidden()
    })
}

#[derive(Serialize, ToSchema)]
pub struct MeUser {
    id: i64,
    email: String,
    name: String,
    person_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    id: i64,
    slug: String,
    name: String,
}

/// The caller: user, tenant and roles (manager included when they have reports).
#[derive(Serialize, ToSchema)]
pub struct Me {
    user: MeUser,
    tenant: MeTenant,
    roles: Vec<String>,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, auth: ApiAuth) -> Result<Json<Me>, ApiError> {
    let t = state.store.tenant(auth.actor.tenant_id).await?;
    Ok(Json(Me {
        user: MeUser {
            id: auth.user.id.0,
            email: auth.user.email.clone(),
            name: auth.user.name.clone(),
            person_id: auth.user.person_id.map(|p| p.0),
        },
        tenant: MeTenant {
            id: t.id.0,
            slug: t.slug,
            name: t.name,
        },
        roles: auth
            .actor
            .roles
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
    }))
}

/// A person as the caller may see them: fields the policy withholds are absent.
#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    id: i64,
    employee_number: String,
    name: String,
    name_kana: String,
    department: Option<String>,
    title: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hire_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manager_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratings: Option<Vec<RatingOut>>,
}

#[derive(Serialize, ToSchema)]
pub struct RatingOut {
    fiscal_year: i32,
    rating: String,
}

/// One person's profile.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = i64, Path, description = "person id")),
    responses((status = 200, body = PersonOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn person(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonOut>, ApiError> {
    let tenant = auth.actor.tenant_id;
    let relation = state
        .store
        .relation(tenant, auth.actor.person_id, PersonId(id))
        .await?;
    allow(&auth, Action::ViewPerson { tenant, relation })?;
    let f = policy::person_fields(&auth.actor, relation).ok_or_else(ApiError::forbidden)?;
    let p = state
        .store
        .person(tenant, PersonId(id))
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    if policy::person_read_is_audited(relation, f) {
        state
            .store
            .append_audit(
                NewAuditEntry::new(Some(tenant), AuditAction::ConfidentialRead)
                    .actor(Some(auth.user.id), &auth.user.email)
                    .target("person", id)
                    .detail("api")
                    .origin(origin.ip, origin.request_id),
            )
            .await?;
    }
    let ratings = if f.ratings {
        Some(
            state
                .store
                .ratings_of(tenant, PersonId(id))
                .await?
                .into_iter()
                .map(|(fiscal_year, rating)| RatingOut {
                    fiscal_year,
                    rating,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Json(PersonOut {
        id: p.id,
        employee_number: p.employee_number,
        name: p.name,
        name_kana: p.name_kana,
        department: p.department_name,
        title: p.title,
        status: p.status,
        email: p.email.filter(|_| f.email),
        grade: Some(p.grade).filter(|_| f.grade),
        birth_date: p.birth_date.filter(|_| f.birth_date),
        hire_date: p.hire_date.filter(|_| f.hire_date),
        manager_id: p.manager_id.filter(|_| f.reporting_line),
        ratings,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    id: i64,
    employee_number: String,
    name: String,
    department: Option<String>,
    title: String,
    /// 1 = direct report, 2 = their reports, …
    depth: usize,
}

/// The caller's reporting line (managers only).
#[utoipa::path(get, path = "/api/v1/members", tag = "people",
    responses((status = 200, body = [MemberOut]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn members(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<Vec<MemberOut>>, ApiError> {
    allow(&auth, Action::ListOwnReports)?;
    let me = auth.actor.person_id.ok_or_else(ApiError::forbidden)?;
    let rows = state.store.reports_of(auth.actor.tenant_id, me).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(depth, p)| MemberOut {
                id: p.id,
                employee_number: p.employee_number,
                name: p.name,
                department: p.department_name,
                title: p.title,
                depth,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    id: i64,
    email: String,
    name: String,
    person_id: Option<i64>,
    roles: Vec<String>,
    disabled: bool,
    last_sign_in_at: Option<DateTime<Utc>>,
}

impl From<store::users::User> for UserOut {
    fn from(u: store::users::User) -> Self {
        UserOut {
            id: u.id.0,
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            email: u.email,
            name: u.name,
            person_id: u.person_id.map(|p| p.0),
            disabled: u.disabled,
            last_sign_in_at: u.last_sign_in_at,
        }
    }
}

/// Every account of the caller's tenant (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, body = [UserOut]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    auth: ApiAuth,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.actor.tenant_id,
        },
    )?;
    Ok(Json(
        state
            .store
            .list_users(auth.actor.tenant_id)
            .await?
            .into_iter()
            .map(UserOut::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Letters, digits and `._%+-` before the `@`, a domain with at least one dot.
    #[schema(
        max_length = 254,
        pattern = r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
    )]
    email: String,
    /// Not only blank space; no control characters.
    #[schema(
        min_length = 1,
        pattern = r"^(?=[\s\S]*[^ \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])[^\x00-\x1f\x7f-\x9f]*$"
    )]
    name: String,
    /// employee, consultant, instructor, mentor, hr, admin (manager follows from the reporting line)
    roles: Vec<String>,
    /// Initial password (at least 12 characters); omit for an account that signs in otherwise.
    #[schema(min_length = 12)]
    password: Option<String>,
    /// Link to this person of the employee master.
    employee_number: Option<String>,
}

/// Create an account (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = CreateUser,
    responses((status = 201, body = UserOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "no person has that employee number"), (status = 409, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<Response, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::ManageUsers { tenant })?;
    if !api_email(&body.email) {
        return Err(ApiError::bad_request(format!(
            "'{}' is not an email address this API takes: letters, digits and ._%+- before the @, a domain with a dot",
            body.email
        )));
    }
    let email =
        EmailAddress::parse(&body.email).map_err(|e| ApiError::bad_request(e.to_string()))?;
    if body.name.trim().is_empty() {
        return Err(ApiError::bad_request("name must not be empty"));
    }
    if body.name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "name may not contain control characters",
        ));
    }
    let roles = body
        .roles
        .iter()
        .map(|r| Role::parse_assignable(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    if let Some(pw) = &body.password
        && pw.chars().count() < 12
    {
        return Err(ApiError::bad_request(
            "password must be at least 12 characters",
        ));
    }
    let person_id = match &body.employee_number {
        Some(n) => Some(PersonId(
            state
                .store
                .person_by_number(tenant, n)
                .await?
                .ok_or_else(|| ApiError::not_found(&format!("a person with employee number {n}")))?
                .id,
        )),
        None => None,
    };
    let user = state
        .store
        .create_user(
            tenant,
            NewUser {
                email,
                name: body.name,
                roles,
                person_id,
                password: body.password,
            },
        )
        .await?;
    state
        .store
        .append_audit(
            NewAuditEntry::new(Some(tenant), AuditAction::UserCreated)
                .actor(Some(auth.user.id), &auth.user.email)
                .target("user", user.id)
                .detail(
                    user.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                )
                .origin(origin.ip, origin.request_id),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(UserOut::from(user))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisabledBody {
    disabled: bool,
}

/// Disable or re-enable an account (admin). Disabling ends its sessions and tokens at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disabled", tag = "admin", request_body = DisabledBody,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "own_account: an admin cannot disable their own account")))]
async fn set_user_disabled(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DisabledBody>,
) -> Result<Json<UserOut>, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::ManageUsers { tenant })?;
    if body.disabled && id == auth.user.id.0 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "own_account",
            "you cannot disable your own account",
        ));
    }
    state
        .store
        .set_user_disabled(tenant, UserId(id), body.disabled)
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => ApiError::not_found("user"),
            other => other.into(),
        })?;
    let action = if body.disabled {
        AuditAction::UserDisabled
    } else {
        AuditAction::UserEnabled
    };
    state
        .store
        .append_audit(
            NewAuditEntry::new(Some(tenant), action)
                .actor(Some(auth.user.id), &auth.user.email)
                .target("user", id)
                .origin(origin.ip, origin.request_id),
        )
        .await?;
    Ok(Json(state.store.user(tenant, UserId(id)).await?.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// e.g. sign_in, sign_in_failed, export, confidential_read
    action: Option<String>,
    /// part of the actor's email
    actor: Option<String>,
    /// ISO 8601 instant, inclusive
    from: Option<DateTime<Utc>>,
    /// ISO 8601 instant, exclusive
    until: Option<DateTime<Utc>>,
    /// at most 500 (default 100)
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u64>,
    /// entries to skip, at most 1,000,000,000
    #[param(minimum = 0, maximum = 1000000000)]
    offset: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    total: i64,
    entries: Vec<AuditOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    id: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    actor_email: String,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    ip: Option<String>,
    request_id: Option<String>,
    detail: Option<String>,
}

/// The audit log, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn audit(
    State(state): State<AppState>,
    auth: ApiAuth,
    q: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::ViewAuditLog { tenant })?;
    let Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let action = match q.action.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(
            AuditAction::parse(a)
                .ok_or_else(|| ApiError::bad_request(format!("unknown action '{a}'")))?,
        ),
        None => None,
    };
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > 500 {
        return Err(ApiError::bad_request("limit must be between 1 and 500"));
    }
    if q.offset.is_some_and(|o| o > 1_000_000_000) {
        return Err(ApiError::bad_request("offset must be at most 1000000000"));
    }
    let filter = store::audit::AuditFilter {
        action,
        actor_email: q.actor,
        target_type: None,
        from: q.from,
        until: q.until,
    };
    let (rows, total) = state
        .store
        .list_audit(tenant, &filter, limit, q.offset.unwrap_or(0))
        .await?;
    Ok(Json(AuditPage {
        total,
        entries: rows
            .into_iter()
            .map(|e| AuditOut {
                id: e.id,
                at: e.at,
                actor_user_id: e.actor_user_id,
                actor_email: e.actor_email,
                action: e.action,
                target_type: e.target_type,
                target_id: e.target_id,
                ip: e.ip,
                request_id: e.request_id,
                detail: e.detail,
            })
            .collect(),
    }))
}
