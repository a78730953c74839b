//! 社内FA: the employee's own declaration (declare, see who asked for an interview,
//! accept or decline, withdraw) and, for hiring managers and HR, the declarations they may
//! browse with the interview request form. The rules are `app::fa` over
//! `domain::policy::declaration_view`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::fa::{NotDeclared, NotRequested};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::fa::{DeclarationInput, DeclarationProblem, DeclareRefusal, MAX_MESSAGE, MAX_TEXT};
use domain::policy::DeclarationView;

/// A request as the page shows it.
pub struct RequestRow {
    pub id: i64,
    pub from: String,
    pub message: String,
    /// `waiting`, `accepted` or `declined`, and its words.
    pub status: (&'static str, String),
    pub answer: String,
    pub at: String,
}

/// A declaration as the page shows it.
pub struct DeclarationRow {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub grade: String,
    pub wants: String,
    pub experience: String,
    pub declared_on: String,
    pub expires_on: String,
    pub active: bool,
    /// HR sees every one; a scout asks.
    pub hr: bool,
    pub requests: Vec<RequestRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/fa.html")]
pub(super) struct FaPage {
    shell: Shell,
    has_person: bool,
    /// The caller's declaration in force, if any.
    mine: Option<DeclarationRow>,
    /// Why they may not declare now (before typing).
    refusals: Vec<String>,
    form: DeclarationInput,
    /// (field, words)
    errors: Vec<(&'static str, String)>,
    /// The end of this fiscal year: how long a declaration made today lasts.
    until: String,
    text_limit: usize,
    message_limit: usize,
    browses: bool,
    declarations: Vec<DeclarationRow>,
    /// The request form as typed and its problem: (declaration id, message, words).
    request_error: Option<(i64, String, String)>,
}

impl FaPage {
    pub fn errors_of(&self, field: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

fn request_row(page: &Page, r: &store::fa::InterviewRequest) -> RequestRow {
    RequestRow {
        id: r.id,
        from: r.from_name.clone(),
        message: r.message.clone(),
        status: (
            r.status.key(),
            page.t(&format!("fa.status.{}", r.status.key())),
        ),
        answer: r.answer.clone(),
        at: when(r.created_at),
    }
}

fn declaration_row(
    page: &Page,
    d: &store::fa::StoredDeclaration,
    today: chrono::NaiveDate,
    hr: bool,
    requests: &[store::fa::InterviewRequest],
) -> DeclarationRow {
    DeclarationRow {
        id: d.id,
        name: d.person_name.clone(),
        department: d.department_name.clone(),
        grade: d.grade.clone(),
        wants: d.declaration.wants.clone(),
        experience: d.declaration.experience.clone(),
        declared_on: d.declared_on.to_string(),
        expires_on: d.expires_on.to_string(),
        active: d.active(today),
        hr,
        requests: requests.iter().map(|r| request_row(page, r)).collect(),
    }
}

fn refusal_text(page: &Page, r: &DeclareRefusal) -> String {
    match r {
        DeclareRefusal::TooSoonInRole { months, required } => page.lang.catalog().format(
            "fa.refusal.too_soon",
            &[("months", months), ("required", required)],
        ),
        DeclareRefusal::AlreadyDeclared { until } => {
            page.tf("fa.refusal.already_declared", "date", until)
        }
    }
}

fn problem_text(page: &Page, p: &DeclarationProblem) -> (&'static str, String) {
    match p {
        DeclarationProblem::WantsMissing => ("wants", page.t("fa.problem.wants_missing")),
        DeclarationProblem::ExperienceMissing => {
            ("experience", page.t("fa.problem.experience_missing"))
        }
        DeclarationProblem::TooLong { field, max } => {
            (field, page.tf("fa.problem.too_long", "n", max))
        }
    }
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    (form, errors): (DeclarationInput, Vec<(&'static str, String)>),
    request_error: Option<(i64, String, String)>,
) -> Result<FaPage, AppError> {
    let caller = auth.caller(origin);
    let today = state.clock.today();
    let mine = app::fa::mine(&state.store, &caller)
        .await?
        .into_iter()
        .find(|(d, _)| d.active(today))
        .map(|(d, r)| declaration_row(page, &d, today, false, &r));
    let refusals = match (&mine, auth.actor.person_id) {
        (None, Some(_)) => match app::fa::eligibility(&state.store, &caller, today).await? {
            Ok(()) => Vec::new(),
            Err(r) => r.iter().map(|r| refusal_text(page, r)).collect(),
        },
        _ => Vec::new(),
    };
    let mut declarations = Vec::new();
    for (d, v, r) in app::fa::browse(&state.store, &caller, today).await? {
        let mut row = declaration_row(page, &d, today, v == DeclarationView::Hr, &r);
        if let Some(id) = d.department_id {
            // Where they work, as people find it (本部 / 部 / 課).
            row.department = state
                .store
                .department_path(auth.tenant(), id)
                .await?
                .into_iter()
                .map(|x| x.name)
                .collect::<Vec<_>>()
                .join(" / ");
        }
        declarations.push(row);
    }
    let calendar = state.store.tenant(auth.tenant()).await?.settings.calendar;
    Ok(FaPage {
        shell: page.shell(Some(auth), "/opportunities"),
        has_person: auth.actor.person_id.is_some(),
        mine,
        refusals,
        form,
        errors,
        until: domain::fa::expires_on(&calendar, today).to_string(),
        text_limit: MAX_TEXT,
        message_limit: MAX_MESSAGE,
        browses: auth.actor.has(domain::Role::Hr) || auth.actor.has(domain::Role::Manager),
        declarations,
        request_error,
    })
}

/// GET /opportunities/fa
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<FaPage, AppError> {
    render(&state, &page, &auth, &origin, Default::default(), None).await
}

/// POST /fa/declarations — declares, or the page again with what is wrong, as typed.
pub(super) async fn declare(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let input = DeclarationInput {
        wants: form.get("wants").into(),
        experience: form.get("experience").into(),
    };
    let caller = auth.caller(&origin);
    match app::fa::declare(&state.store, &caller, &input, state.clock.now()).await? {
        Ok(_) => {
            set_flash(&page.session, "success", page.t("fa.declared")).await?;
            Ok(Redirect::to("/opportunities/fa").into_response())
        }
        Err(not) => {
            let errors = match not {
                NotDeclared::Problems(p) => p.iter().map(|x| problem_text(&page, x)).collect(),
                NotDeclared::Refused(r) => r
                    .iter()
                    .map(|x| ("wants", refusal_text(&page, x)))
                    .collect(),
            };
            let p = render(&state, &page, &auth, &origin, (input, errors), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /fa/declarations/{id}/withdraw — after a confirmation on the page.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    app::fa::withdraw(&state.store, &caller, id, state.clock.now()).await?;
    set_flash(&page.session, "success", page.t("fa.withdrawn")).await?;
    Ok(Redirect::to("/opportunities/fa").into_response())
}

/// POST /fa/declarations/{id}/requests — a hiring manager asks for an interview.
pub(super) async fn request(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let message = form.get("message").to_string();
    match app::fa::request_interview(&state.store, &caller, id, &message, state.clock.now()).await?
    {
        Ok((request, person)) => {
            if let Some((u, _)) = state.store.account_of_person(auth.tenant(), person).await? {
                super::applications::notify(
                    &state,
                    auth.tenant(),
                    u,
                    "email.fa_request",
                    &format!("fa:{request}:requested"),
                    "/opportunities/fa",
                )
                .await?;
            }
            set_flash(&page.session, "success", page.t("fa.requested")).await?;
            Ok(Redirect::to("/opportunities/fa").into_response())
        }
        Err(not) => {
            let key = match not {
                NotRequested::MessageMissing => "fa.request_error.message_missing",
                NotRequested::MessageTooLong => "fa.request_error.message_too_long",
                NotRequested::AlreadyRequested => "fa.request_error.already_requested",
            };
            let words = page.tf(key, "n", MAX_MESSAGE);
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                Default::default(),
                Some((id, message, words)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /fa/requests/{id}/answer — the declarant accepts (accept=1) or declines.
pub(super) async fn answer(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let accept = form.get("accept") == "1";
    match app::fa::answer(
        &state.store,
        &caller,
        id,
        accept,
        form.get("answer"),
        state.clock.now(),
    )
    .await?
    {
        Some(scout) => {
            super::applications::notify(
                &state,
                auth.tenant(),
                scout,
                "email.fa_answered",
                &format!("fa:{id}:answered"),
                "/opportunities/fa",
            )
            .await?;
            set_flash(
                &page.session,
                "success",
                page.t(if accept { "fa.accepted" } else { "fa.declined" }),
            )
            .await?;
        }
        None => set_flash(&page.session, "info", page.t("fa.already_answered")).await?,
    }
    Ok(Redirect::to("/opportunities/fa").into_response())
}
