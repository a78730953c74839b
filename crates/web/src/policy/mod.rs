//! 会社の方針 (`/policy`): the company's career-support policy in its leaders' words and
//! every scheme — who may use it, how, the company's own note — linked to where it is
//! used; HR writes a new version on `/policy/edit`, where the earlier ones are listed.
//! The rules are `app::company_policy` over `domain::company_policy`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::company_policy::{MAX_MESSAGE, MAX_SCHEME_NOTE, PolicyInput, PolicyProblem, SCHEMES};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/policy", get(page).post(save))
        .route("/policy/edit", get(edit))
}

/// A scheme as the page shows it.
pub struct SchemeRow {
    pub key: &'static str,
    pub path: &'static str,
    /// The company's own note (typed, on the edit page).
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy/page.html")]
struct PolicyPage {
    shell: Shell,
    message: Option<String>,
    schemes: Vec<SchemeRow>,
    /// (version, when, by)
    written: Option<(i64, String, String)>,
    is_hr: bool,
}

fn rows(notes: &[(String, String)]) -> Vec<SchemeRow> {
    SCHEMES
        .iter()
        .map(|s| SchemeRow {
            key: s.key,
            path: s.path,
            note: notes
                .iter()
                .find(|(k, _)| k == s.key)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// GET /policy — for everyone signed in.
async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<PolicyPage, AppError> {
    let caller = auth.caller(&origin);
    let current = app::company_policy::current(&state.store, &caller).await?;
    Ok(PolicyPage {
        shell: page.shell(Some(&auth), "/policy"),
        schemes: rows(current.as_ref().map_or(&[][..], |c| &c.policy.notes)),
        message: current.as_ref().map(|c| c.policy.message.clone()),
        written: current.as_ref().map(|c| {
            (
                c.version,
                when(c.written_at),
                c.written_by_name.clone().unwrap_or_default(),
            )
        }),
        is_hr: auth.actor.has(domain::Role::Hr),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "policy/edit.html")]
struct EditPage {
    shell: Shell,
    message: String,
    schemes: Vec<SchemeRow>,
    errors: Vec<String>,
    /// Earlier versions: (version, when, by).
    versions: Vec<(i64, String, String)>,
    message_limit: usize,
    note_limit: usize,
}

async fn render_edit(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    typed: Option<PolicyInput>,
    errors: Vec<String>,
) -> Result<EditPage, AppError> {
    let caller = auth.caller(origin);
    let versions = app::company_policy::versions(&state.store, &caller).await?;
    let (message, notes) = match typed {
        Some(t) => (t.message, t.notes),
        None => versions
            .first()
            .map(|v| (v.policy.message.clone(), v.policy.notes.clone()))
            .unwrap_or_default(),
    };
    Ok(EditPage {
        shell: page.shell(Some(auth), "/policy"),
        message,
        schemes: rows(&notes),
        errors,
        versions: versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    when(v.written_at),
                    v.written_by_name.clone().unwrap_or_default(),
                )
            })
            .collect(),
        message_limit: MAX_MESSAGE,
        note_limit: MAX_SCHEME_NOTE,
    })
}

/// GET /policy/edit — HR.
async fn edit(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<EditPage, AppError> {
    render_edit(&state, &page, &auth, &origin, None, Vec::new()).await
}

fn problem_text(page: &Page, p: &PolicyProblem) -> String {
    match p {
        PolicyProblem::MessageMissing => page.t("company_policy.problem.message_missing"),
        PolicyProblem::MessageTooLong { max } => {
            page.tf("company_policy.problem.message_too_long", "n", max)
        }
        PolicyProblem::NoteTooLong { scheme, max } => page.lang.catalog().format(
            "company_policy.problem.note_too_long",
            &[
                (
                    "scheme",
                    &page.t(&format!("company_policy.scheme.{scheme}.name")),
                ),
                ("n", max),
            ],
        ),
        PolicyProblem::UnknownScheme { scheme } => {
            page.tf("company_policy.problem.unknown_scheme", "scheme", scheme)
        }
    }
}

/// POST /policy — HR saves a new version, or the form again as typed.
async fn save(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let input = PolicyInput {
        message: form.get("message").into(),
        notes: SCHEMES
            .iter()
            .map(|s| {
                (
                    s.key.to_string(),
                    form.get(&format!("note.{}", s.key)).to_string(),
                )
            })
            .collect(),
    };
    let caller = auth.caller(&origin);
    match app::company_policy::save(&state.store, &caller, &input, state.clock.now()).await? {
        Ok(version) => {
            set_flash(
                &page.session,
                "success",
                page.tf("company_policy.saved", "n", version),
            )
            .await?;
            Ok(Redirect::to("/policy").into_response())
        }
        Err(problems) => {
            let errors = problems.iter().map(|p| problem_text(&page, p)).collect();
            let p = render_edit(&state, &page, &auth, &origin, Some(input), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
