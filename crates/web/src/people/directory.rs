//! 社員を探す and 組織図: the directory (HR and admin see everyone; a manager sees their own
//! line) and the department tree with head counts, expanded level by level with htmx.

use crate::AppState;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use domain::policy::Action;
use store::people::DepartmentNode;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(directory))
        .route("/org", get(org))
        .route("/org/{id}/children", get(org_children))
}

const PAGE_SIZE: u64 = 50;

#[derive(serde::Deserialize, Default)]
struct DirectoryQuery {
    #[serde(default)]
    q: String,
    page: Option<u64>,
}

pub struct DirectoryRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub kana: String,
    pub department: String,
    pub title: String,
    pub status_key: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/directory.html")]
struct DirectoryPage {
    shell: Shell,
    q: String,
    rows: Vec<DirectoryRow>,
    total: i64,
    page: u64,
    pages: u64,
    scoped: bool,
    query_string: String,
}

/// GET /people?q=…&page=N
async fn directory(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<DirectoryQuery>,
) -> Result<DirectoryPage, AppError> {
    // Everyone for HR and admin; a manager only their own reporting line.
    let current = q.page.unwrap_or(1).max(1);
    let (people, total, scoped) = app::directory::search(
        &state.store,
        &auth.actor,
        &q.q,
        PAGE_SIZE,
        (current - 1) * PAGE_SIZE,
    )
    .await?;
    let rows = people
        .into_iter()
        .map(|p| DirectoryRow {
            id: p.id,
            number: p.employee_number,
            name: p.name,
            kana: p.name_kana,
            department: p.department_name.unwrap_or_default(),
            title: p.title,
            status_key: crate::shared::profile::status_key(p.status),
        })
        .collect();
    let section = if scoped { "/members" } else { "/people" };
    Ok(DirectoryPage {
        shell: page.shell(Some(&auth), section),
        query_string: form_urlencoded::Serializer::new(String::new())
            .append_pair("q", q.q.trim())
            .finish(),
        q: q.q,
        rows,
        total,
        page: current,
        pages: (total as u64).div_ceil(PAGE_SIZE).max(1),
        scoped,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "people/org.html")]
struct OrgPage {
    shell: Shell,
    nodes: Vec<DepartmentNode>,
    total: i64,
}

/// GET /org — 組織図
async fn org(State(state): State<AppState>, page: Page, auth: Auth) -> Result<OrgPage, AppError> {
    allow(
        &auth,
        Action::BrowseDirectory {
            tenant: auth.tenant(),
        },
    )?;
    let nodes = state.store.department_children(auth.tenant(), None).await?;
    let total = state.store.count_people(auth.tenant()).await?;
    Ok(OrgPage {
        shell: page.shell(Some(&auth), "/org"),
        nodes,
        total,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "people/_org_children.html")]
struct OrgChildren {
    shell: Shell,
    nodes: Vec<DepartmentNode>,
}

/// GET /org/{id}/children — one level of the tree (an htmx partial).
async fn org_children(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<OrgChildren, AppError> {
    allow(
        &auth,
        Action::BrowseDirectory {
            tenant: auth.tenant(),
        },
    )?;
    let nodes = state
        .store
        .department_children(auth.tenant(), Some(id))
        .await?;
    Ok(OrgChildren {
        shell: page.shell(Some(&auth), "/org"),
        nodes,
    })
}
