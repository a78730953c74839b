//! People over the JSON API: who am I, one person's profile as the policy allows, and
//! the caller's reporting line.

use crate::shared::api::{ApiPath, allow};
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use domain::PersonId;
use domain::audit::AuditAction;
use domain::policy::{self, Action};
use serde::Serialize;
use store::audit::NewAuditEntry;
use utoipa::ToSchema;

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
pub async fn me(State(state): State<AppState>, auth: ApiAuth) -> Result<Json<Me>, ApiError> {
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
pub async fn person(
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
        auth.caller(&origin)
            .audit(
                &state.store,
                NewAuditEntry::new(Some(tenant), AuditAction::ConfidentialRead)
                    .target("person", id)
                    .detail(domain::audit::detail("api", &[])),
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
        status: p.status.as_str().into(),
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
#[utoipa::path(get, path = "/api/v1/members", tag = "people", params(Paging),
    responses((status = 200, body = [MemberOut]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<MemberOut>, ApiError> {
    paging.only(&[])?;
    allow(&auth, Action::ListOwnReports)?;
    let me = auth.actor.person_id.ok_or_else(ApiError::forbidden)?;
    let rows = state.store.reports_of(auth.actor.tenant_id, me).await?;
    Ok(paging.of(rows
        .into_iter()
        .map(|(depth, p)| MemberOut {
            id: p.id,
            employee_number: p.employee_number,
            name: p.name,
            department: p.department_name,
            title: p.title,
            depth,
        })
        .collect()))
}

/// A department of the organisation tree, with how many people it holds (below it
/// included).
#[derive(Serialize, ToSchema)]
pub struct DepartmentOut {
    id: i64,
    code: String,
    name: String,
    parent_id: Option<i64>,
    headcount: i64,
    has_children: bool,
}

#[derive(Serialize, ToSchema)]
pub struct OrgOut {
    /// Everyone in the employee master.
    people: i64,
    /// The top of the tree.
    departments: Vec<DepartmentOut>,
}

fn departments(nodes: Vec<store::people::DepartmentNode>) -> Vec<DepartmentOut> {
    nodes
        .into_iter()
        .map(|n| DepartmentOut {
            id: n.department.id,
            code: n.department.code,
            name: n.department.name,
            parent_id: n.department.parent_id,
            headcount: n.headcount,
            has_children: n.has_children,
        })
        .collect()
}

/// The organisation tree's top level (those who browse the directory: HR and admins).
#[utoipa::path(get, path = "/api/v1/org", tag = "people",
    responses((status = 200, body = OrgOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn org(State(state): State<AppState>, auth: ApiAuth) -> Result<Json<OrgOut>, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::BrowseDirectory { tenant })?;
    Ok(Json(OrgOut {
        people: state.store.count_people(tenant).await?,
        departments: departments(state.store.department_children(tenant, None).await?),
    }))
}

/// One level of the tree: the departments right below department `id`.
#[utoipa::path(get, path = "/api/v1/org/{id}/children", tag = "people",
    params(("id" = i64, Path, description = "department id")),
    responses((status = 200, body = [DepartmentOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn org_children(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DepartmentOut>>, ApiError> {
    let tenant = auth.actor.tenant_id;
    allow(&auth, Action::BrowseDirectory { tenant })?;
    Ok(Json(departments(
        state.store.department_children(tenant, Some(id)).await?,
    )))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Words that must all appear in the name, its reading (hiragana is read as
    /// katakana), the employee number or the department's name. At most 100 characters.
    #[param(max_length = 100)]
    q: Option<String>,
}

/// A person as the directory lists them.
#[derive(Serialize, ToSchema)]
pub struct DirectoryOut {
    id: i64,
    employee_number: String,
    name: String,
    name_kana: String,
    department: Option<String>,
    title: String,
    /// 在籍区分: `active`, `leave` or `left`.
    status: String,
}

/// Search the people directory: everyone for HR and admins, one's own reporting line
/// for a manager (社員名簿).
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(Paging, PeopleParams),
    responses((status = 200, body = [DirectoryOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
    q: Result<axum::extract::Query<PeopleParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Listed<DirectoryOut>, ApiError> {
    paging.only(&["q"])?;
    let axum::extract::Query(q) = q.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let words = q.q.unwrap_or_default();
    if words.chars().count() > 100 || words.contains('\0') {
        return Err(ApiError::bad_request("q: at most 100 characters"));
    }
    let (limit, offset) = paging.window();
    let (people, total, _) =
        app::directory::search(&state.store, &auth.actor, &words, limit, offset).await?;
    Ok(paging.cut(
        people
            .into_iter()
            .map(|p| DirectoryOut {
                id: p.id,
                employee_number: p.employee_number,
                name: p.name,
                name_kana: p.name_kana,
                department: p.department_name,
                title: p.title,
                status: p.status.as_str().into(),
            })
            .collect(),
        usize::try_from(total).unwrap_or(0),
    ))
}
