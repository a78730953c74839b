//! Administration over the JSON API: accounts and the audit log (admin only).

use crate::shared::api::{ApiJson, ApiPath, allow};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use domain::policy::Action;
use domain::{EmailAddress, PersonId, Role, UserId};
use serde::{Deserialize, Serialize};
use store::audit::NewAuditEntry;
use store::users::NewUser;
use utoipa::ToSchema;

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
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", params(Paging),
    responses((status = 200, body = [UserOut]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<UserOut>, ApiError> {
    paging.only(&[])?;
    allow(
        &auth,
        Action::ManageUsers {
            tenant: auth.actor.tenant_id,
        },
    )?;
    Ok(paging.of(state
        .store
        .list_users(auth.actor.tenant_id)
        .await?
        .into_iter()
        .map(UserOut::from)
        .collect()))
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
pub async fn create_user(
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
    auth.caller(&origin)
        .audit(
            &state.store,
            NewAuditEntry::new(Some(tenant), AuditAction::UserCreated)
                .target("user", user.id)
                .detail(
                    user.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(UserOut::from(user))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    /// Exactly the roles the account holds afterwards: employee, consultant, instructor,
    /// mentor, hr, admin (manager follows from the reporting line).
    roles: Vec<String>,
}

/// Give an account exactly these roles (admin). Audited with the roles before and after.
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "admin", request_body = RolesBody,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "own_admin: an admin cannot take the admin role from themselves")))]
pub async fn set_user_roles(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RolesBody>,
) -> Result<Json<UserOut>, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::ManageUsers { tenant })?;
    let mut roles = Vec::new();
    for r in &body.roles {
        roles.push(Role::parse_assignable(r).map_err(|_| {
            ApiError::bad_request(format!(
                "unknown role '{r}': employee, consultant, instructor, mentor, hr or admin"
            ))
        })?);
    }
    let roles = domain::RoleSet::new(roles);
    app::accounts::set_roles(&state.store, &auth.caller(&origin), UserId(id), &roles)
        .await?
        .map_err(|_| {
            ApiError::new(
                StatusCode::CONFLICT,
                "own_admin",
                "you cannot take the admin role from yourself",
            )
        })?;
    Ok(Json(state.store.user(tenant, UserId(id)).await?.into()))
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
pub async fn set_user_disabled(
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
    auth.caller(&origin)
        .audit(
            &state.store,
            NewAuditEntry::new(Some(tenant), action).target("user", id),
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
pub async fn audit(
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
        hidden_targets: crate::shared::access::hidden_targets(
            &state,
            &auth.caller(&crate::Origin::default()),
        )
        .await?,
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

/// Whom to invite: a department, or one address.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum InvitationsBody {
    Department(DepartmentInvitation),
    Email(EmailInvitation),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInvitation {
    /// Every current person of this department and those below it who has no account
    /// (`*`: the whole company).
    #[schema(min_length = 1, max_length = 100, pattern = r"^[^\x00-\x1f\x7f]+$")]
    department: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailInvitation {
    /// One address: a current person of the employee master without an account, or an
    /// account without a password (its earlier link stops working). Letters, digits and
    /// `._%+-` before the `@`, a domain with at least one dot.
    #[schema(
        max_length = 254,
        pattern = r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
    )]
    email: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitedOut {
    user_id: i64,
    email: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct SkippedOut {
    employee_number: String,
    name: String,
    email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationsOut {
    /// Accounts invited now; each is e-mailed a link to set their password.
    invited: Vec<InvitedOut>,
    /// People without an account who have no e-mail address in the master.
    no_email: Vec<SkippedOut>,
    /// People without an account whose address another account uses.
    address_taken: Vec<SkippedOut>,
}

fn skipped(people: Vec<app::accounts::Named>) -> Vec<SkippedOut> {
    people
        .into_iter()
        .map(|n| SkippedOut {
            employee_number: n.employee_number,
            name: n.name,
            email: n.email,
        })
        .collect()
}

/// Invite people to set their password (admin): a department's current people without
/// an account, or one address. Each invited account is e-mailed a link that works for 7
/// days.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "admin", request_body = InvitationsBody,
    responses((status = 201, body = InvitationsOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such department, or nobody current in the employee master has the address"),
        (status = 409, body = ErrorBody, description = "the account has a password already, or is disabled")))]
pub async fn invite(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiJson(body): ApiJson<InvitationsBody>,
) -> Result<Response, ApiError> {
    use app::accounts::InviteProblem as P;
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let now = state.clock.now();
    let problem = |p: P| match p {
        P::Email => ApiError::bad_request("email is not an e-mail address"),
        P::UnknownDepartment => ApiError::not_found("a department with that code"),
        P::NotInMaster => ApiError::not_found("a current person with that address"),
        P::AlreadyActive => ApiError::new(
            StatusCode::CONFLICT,
            "already_active",
            "the account has a password already",
        ),
        P::Disabled => ApiError::new(StatusCode::CONFLICT, "disabled", "the account is disabled"),
    };
    let done = match body {
        InvitationsBody::Department(d) => {
            let code = d.department.trim();
            let scope = (code != "*").then_some(code);
            app::accounts::invite_department(&state.store, &by, scope, now)
                .await?
                .map_err(problem)?
        }
        InvitationsBody::Email(e) => {
            if !api_email(&e.email) {
                return Err(ApiError::bad_request(
                    "email is not an address this API takes: letters, digits and ._%+- before the @, a domain with a dot",
                ));
            }
            let one = app::accounts::invite_email(&state.store, &by, &e.email, now)
                .await?
                .map_err(problem)?;
            app::accounts::Invited {
                sent: vec![one],
                ..Default::default()
            }
        }
    };
    crate::shared::email::queue_invitations(
        &state.store,
        &state.config.public_url,
        auth.actor.tenant_id,
        &done.sent,
        now,
    )
    .await?;
    let out = InvitationsOut {
        invited: done
            .sent
            .into_iter()
            .map(|i| InvitedOut {
                user_id: i.user.0,
                email: i.email,
                name: i.name,
            })
            .collect(),
        no_email: skipped(done.no_email),
        address_taken: skipped(done.address_taken),
    };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
