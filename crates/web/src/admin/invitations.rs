//! 社員の招待 (`/admin/invitations`): the admin invites the current people of the employee
//! master who have no account — every one of a department (and below), after seeing who
//! the invitation reaches and who it cannot, or one address — and sends an account
//! without a password its invitation again. The rules are `app::accounts`; the e-mail
//! carries only the link.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::email::queue_invitations;
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::accounts::{InviteProblem, Named};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::INVITATION_VALID_DAYS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/invitations", get(page).post(invite_department))
        .route("/admin/invitations/email", post(invite_email))
        .route("/admin/users/{id}/invite", post(reinvite))
}

/// How many names each list of the preview shows.
const SHOWN: usize = 100;

/// A list of the preview: its people (at most [`SHOWN`]) and how many more.
pub struct Listed {
    pub people: Vec<Named>,
    pub more: usize,
    pub total: usize,
}

fn listed(mut all: Vec<Named>) -> Listed {
    let total = all.len();
    all.truncate(SHOWN);
    Listed {
        more: total - all.len(),
        people: all,
        total,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/invitations.html")]
struct InvitationsPage {
    shell: Shell,
    /// (code, path of names)
    departments: Vec<(String, String)>,
    /// The department chosen (empty: none yet; `*`: the whole company).
    chosen: String,
    to_invite: Option<Listed>,
    no_email: Option<Listed>,
    address_taken: Option<Listed>,
    error: Option<String>,
    email: String,
    email_error: Option<String>,
    days: i64,
}

#[derive(serde::Deserialize)]
struct Chosen {
    #[serde(default)]
    department: String,
}

/// `*` is the whole company.
fn scope(code: &str) -> Option<&str> {
    match code.trim() {
        "*" => None,
        c => Some(c),
    }
}

async fn view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    chosen: &str,
) -> Result<InvitationsPage, AppError> {
    let by = app::accounts::admin(&auth.caller(&Origin::default()))?;
    let mut p = InvitationsPage {
        shell: page.shell(Some(auth), "/admin"),
        departments: state.store.department_choices(auth.tenant(), 5000).await?,
        chosen: chosen.trim().to_string(),
        to_invite: None,
        no_email: None,
        address_taken: None,
        error: None,
        email: String::new(),
        email_error: None,
        days: INVITATION_VALID_DAYS,
    };
    if p.chosen.is_empty() {
        return Ok(p);
    }
    match app::accounts::candidates(&state.store, &by, scope(&p.chosen)).await? {
        Ok(c) => {
            p.to_invite = Some(listed(c.to_invite.into_iter().map(|(_, _, n)| n).collect()));
            p.no_email = Some(listed(c.no_email));
            p.address_taken = Some(listed(c.address_taken));
        }
        Err(problem) => p.error = Some(problem_text(page, problem, &p.chosen)),
    }
    Ok(p)
}

fn problem_text(page: &Page, problem: InviteProblem, code: &str) -> String {
    page.tf(&format!("invite.error.{}", problem.key()), "code", code)
}

/// GET /admin/invitations[?department=CODE] — the form, and who a department's
/// invitation would reach.
async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<Chosen>,
) -> Result<Response, AppError> {
    let p = view(&state, &page, &auth, &q.department).await?;
    let status = if p.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, p).into_response())
}

/// POST /admin/invitations — invites every one the preview listed to invite.
async fn invite_department(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let code = form.get("department").trim().to_string();
    let now = state.clock.now();
    match app::accounts::invite_department(&state.store, &by, scope(&code), now).await? {
        Ok(done) => {
            queue_invitations(
                &state.store,
                &state.config.public_url,
                auth.tenant(),
                &done.sent,
                now,
            )
            .await?;
            let text = if done.sent.is_empty() {
                page.t("invite.none")
            } else {
                page.lang.catalog().format(
                    "invite.sent",
                    &[("n", &done.sent.len()), ("days", &INVITATION_VALID_DAYS)],
                )
            };
            set_flash(&page.session, "success", text).await?;
            // Straight to whom the invitations went: the accounts without a password.
            Ok(Redirect::to("/admin/users?state=no_password").into_response())
        }
        Err(problem) => {
            let mut p = view(&state, &page, &auth, "").await?;
            p.chosen = code.clone();
            p.error = Some(problem_text(&page, problem, &code));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// Queues one invitation's e-mail and says so.
async fn send_one(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    i: &app::accounts::Invitation,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    queue_invitations(
        &state.store,
        &state.config.public_url,
        auth.tenant(),
        std::slice::from_ref(i),
        now,
    )
    .await?;
    set_flash(
        &page.session,
        "success",
        page.tf("invite.one_sent", "email", &i.email),
    )
    .await?;
    Ok(())
}

/// POST /admin/invitations/email — invites one address.
async fn invite_email(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let email = form.get("email").trim().to_string();
    let now = state.clock.now();
    match app::accounts::invite_email(&state.store, &by, &email, now).await? {
        Ok(i) => {
            send_one(&state, &page, &auth, &i, now).await?;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(problem) => {
            let mut p = view(&state, &page, &auth, "").await?;
            p.email = email;
            p.email_error = Some(problem_text(&page, problem, ""));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /admin/users/{id}/invite — sends an account without a password a new link.
async fn reinvite(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    _form: FormData,
) -> Result<Response, AppError> {
    let by = app::accounts::admin(&auth.caller(&origin))?;
    let now = state.clock.now();
    match app::accounts::reinvite(&state.store, &by, domain::UserId(id), now).await? {
        Ok(i) => {
            send_one(&state, &page, &auth, &i, now).await?;
        }
        Err(problem) => {
            set_flash(&page.session, "error", problem_text(&page, problem, "")).await?;
        }
    }
    Ok(Redirect::to("/admin/users").into_response())
}
