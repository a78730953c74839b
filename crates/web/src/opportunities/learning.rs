//! 学ぶ: the course catalogue (search by keyword and tag; HR adds, edits and retires
//! courses), recording a completion, and the notes on using it at work — the employee's
//! own and their manager's. The rules are `app::learning` over `domain::learning` and
//! `domain::policy::may_see_learning`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::learning::{NotRecorded, UseNoteBy};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::learning::{CompletionProblem, CourseInput, CourseKind, CourseProblem};
use store::learning::{Completion, StoredCourse};

/// A course as the page shows it.
pub struct CourseRow {
    pub id: i64,
    pub title: String,
    pub kind: (&'static str, String),
    pub provider: String,
    pub description: String,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub hours: Option<u32>,
    pub retired: bool,
}

fn course_row(page: &Page, c: &StoredCourse) -> CourseRow {
    CourseRow {
        id: c.id,
        title: c.course.title.clone(),
        kind: (
            c.course.kind.key(),
            page.t(&format!("learning.kind.{}", c.course.kind.key())),
        ),
        provider: c.course.provider.clone(),
        description: c.course.description.clone(),
        url: c.course.url.clone(),
        tags: c.course.tags.clone(),
        hours: c.course.hours,
        retired: c.retired,
    }
}

/// A completion as the page shows it, and which note the reader may write.
pub struct CompletionRow {
    pub id: i64,
    pub name: String,
    pub course: String,
    pub completed_on: String,
    pub employee_use: String,
    pub manager_use: String,
    pub manager_use_by: String,
    pub writes: Option<&'static str>,
}

fn completion_row(c: &Completion, writes: Option<UseNoteBy>) -> CompletionRow {
    CompletionRow {
        id: c.id,
        name: c.person_name.clone(),
        course: c.course_title.clone(),
        completed_on: c.completed_on.to_string(),
        employee_use: c.employee_use.clone(),
        manager_use: c.manager_use.clone(),
        manager_use_by: c.manager_use_by.clone().unwrap_or_default(),
        writes: writes.map(|w| match w {
            UseNoteBy::Employee => "employee",
            UseNoteBy::Manager => "manager",
        }),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/learning.html")]
pub(super) struct LearningPage {
    shell: Shell,
    has_person: bool,
    is_hr: bool,
    q: String,
    tag: String,
    with_retired: bool,
    courses: Vec<CourseRow>,
    /// Every tag of the catalogue, for the filter.
    all_tags: Vec<String>,
    kinds: Vec<(&'static str, String)>,
    /// HR's course form as typed, which course it edits, and its problems.
    form: CourseInput,
    editing: Option<i64>,
    errors: Vec<String>,
    mine: Vec<CompletionRow>,
    members: Vec<CompletionRow>,
    /// HR: the latest completions of the company, and how many there are.
    company: Vec<CompletionRow>,
    company_total: usize,
    /// A row's problem: ("course" or "completion", its id, words).
    row_error: Option<(&'static str, i64, String)>,
    today: String,
}

/// How many of the company's completions HR's page lists.
const COMPANY_ROWS: usize = 50;

fn problem_text(page: &Page, p: &CourseProblem) -> String {
    let field = |f: &str| page.t(&format!("learning.field.{f}"));
    match p {
        CourseProblem::Missing { field: f } => {
            page.tf("learning.problem.missing", "field", field(f))
        }
        CourseProblem::TooLong { field: f, max } => page.lang.catalog().format(
            "learning.problem.too_long",
            &[("field", &field(f)), ("n", max)],
        ),
        CourseProblem::KindInvalid => page.t("learning.problem.kind"),
        CourseProblem::UrlInvalid => page.t("learning.problem.url"),
        CourseProblem::UrlMissing => page.t("learning.problem.url_missing"),
        CourseProblem::TooManyTags { max } => page.tf("learning.problem.too_many_tags", "n", max),
        CourseProblem::TagTooLong { max } => page.tf("learning.problem.tag_too_long", "n", max),
        CourseProblem::HoursInvalid => page.t("learning.problem.hours"),
    }
}

fn completion_problem_text(page: &Page, p: CompletionProblem) -> String {
    page.t(match p {
        CompletionProblem::DateInvalid => "learning.completion_error.date",
        CompletionProblem::InFuture => "learning.completion_error.future",
        CompletionProblem::NoteMissing => "learning.completion_error.note_missing",
        CompletionProblem::NoteTooLong => "learning.completion_error.note_too_long",
    })
}

#[derive(serde::Deserialize, Default)]
pub(super) struct LearningQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    tag: String,
    /// HR: the course to edit.
    edit: Option<i64>,
    /// HR: list retired courses too.
    #[serde(default)]
    retired: Option<String>,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    query: &LearningQuery,
    (form, editing, errors): (CourseInput, Option<i64>, Vec<String>),
    row_error: Option<(&'static str, i64, String)>,
) -> Result<LearningPage, AppError> {
    let caller = auth.caller(origin);
    let store = &state.store;
    let is_hr = auth.actor.has(domain::Role::Hr);
    let with_retired = is_hr && query.retired.is_some();
    let all = app::learning::courses(store, &caller, "", "", with_retired).await?;
    let mut all_tags: Vec<String> = all
        .iter()
        .flat_map(|c| c.course.tags.iter().cloned())
        .collect();
    all_tags.sort();
    all_tags.dedup();
    let courses = app::learning::courses(store, &caller, &query.q, &query.tag, with_retired)
        .await?
        .iter()
        .map(|c| course_row(page, c))
        .collect();
    let mine = app::learning::my_completions(store, &caller)
        .await?
        .iter()
        .map(|c| completion_row(c, Some(UseNoteBy::Employee)))
        .collect();
    let mut members = Vec::new();
    for c in app::learning::members_completions(store, &caller).await? {
        let writes = app::learning::note_writer(store, &caller, c.person).await?;
        members.push(completion_row(&c, writes));
    }
    let (company, company_total) = if is_hr {
        let all = app::learning::all_completions(store, &caller).await?;
        let total = all.len();
        (
            all.iter()
                .take(COMPANY_ROWS)
                .map(|c| completion_row(c, None))
                .collect(),
            total,
        )
    } else {
        (Vec::new(), 0)
    };
    Ok(LearningPage {
        shell: page.shell(Some(auth), "/opportunities"),
        has_person: auth.actor.person_id.is_some(),
        is_hr,
        q: query.q.clone(),
        tag: query.tag.clone(),
        with_retired,
        courses,
        all_tags,
        kinds: CourseKind::ALL
            .iter()
            .map(|k| (k.key(), page.t(&format!("learning.kind.{}", k.key()))))
            .collect(),
        form,
        editing,
        errors,
        mine,
        members,
        company,
        company_total,
        row_error,
        today: state.clock.today().to_string(),
    })
}

/// GET /opportunities/learning[?q=&tag=&edit=ID&retired=1]
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(query): Query<LearningQuery>,
) -> Result<LearningPage, AppError> {
    let mut form = CourseInput {
        kind: CourseKind::Internal.key().into(),
        ..CourseInput::default()
    };
    let mut editing = None;
    if let (Some(id), true) = (query.edit, auth.actor.has(domain::Role::Hr)) {
        let c = state
            .store
            .course(auth.tenant(), id)
            .await?
            .ok_or_else(AppError::not_found)?;
        form = c.course.input();
        editing = Some(id);
    }
    render(
        &state,
        &page,
        &auth,
        &origin,
        &query,
        (form, editing, Vec::new()),
        None,
    )
    .await
}

/// POST /courses — HR adds a course (or, with `id`, changes one).
pub(super) async fn save_course(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let input = CourseInput {
        title: form.get("title").into(),
        kind: form.get("kind").into(),
        provider: form.get("provider").into(),
        description: form.get("description").into(),
        url: form.get("url").into(),
        tags: form.get("tags").into(),
        hours: form.get("hours").into(),
    };
    let editing = form.get("id").parse::<i64>().ok();
    let caller = auth.caller(&origin);
    match app::learning::save_course(&state.store, &caller, editing, &input, state.clock.now())
        .await?
    {
        Ok(id) => {
            set_flash(&page.session, "success", page.t("learning.course_saved")).await?;
            Ok(Redirect::to(&format!("/opportunities/learning#course-{id}")).into_response())
        }
        Err(problems) => {
            let errors = problems.iter().map(|p| problem_text(&page, p)).collect();
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                &LearningQuery::default(),
                (input, editing, errors),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /courses/{id}/retire — HR retires a course (`retired=1`) or offers it again.
pub(super) async fn retire(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let retired = form.get("retired") == "1";
    app::learning::set_retired(
        &state.store,
        &auth.caller(&origin),
        id,
        retired,
        state.clock.now(),
    )
    .await?;
    let key = if retired {
        "learning.course_retired"
    } else {
        "learning.course_offered"
    };
    set_flash(&page.session, "success", page.t(key)).await?;
    Ok(Redirect::to("/opportunities/learning?retired=1").into_response())
}

/// POST /courses/{id}/complete — the caller records that they completed it.
pub(super) async fn complete(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let result = app::learning::record_completion(
        &state.store,
        &caller,
        id,
        form.get("completed_on"),
        state.clock.now(),
    )
    .await?;
    let words = match result {
        Ok(c) => {
            set_flash(
                &page.session,
                "success",
                page.t("learning.completion_recorded"),
            )
            .await?;
            return Ok(
                Redirect::to(&format!("/opportunities/learning#completion-{c}")).into_response(),
            );
        }
        Err(NotRecorded::Problem(p)) => completion_problem_text(&page, p),
        Err(NotRecorded::Already) => page.t("learning.completion_error.already"),
    };
    let p = render(
        &state,
        &page,
        &auth,
        &origin,
        &LearningQuery::default(),
        Default::default(),
        Some(("course", id, words)),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// POST /completions/{id}/use — the person's or their manager's note on using it.
pub(super) async fn note_use(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    match app::learning::note_use(
        &state.store,
        &caller,
        id,
        form.get("note"),
        state.clock.now(),
    )
    .await?
    {
        Ok(_) => {
            set_flash(&page.session, "success", page.t("learning.use_saved")).await?;
            Ok(Redirect::to(&format!("/opportunities/learning#completion-{id}")).into_response())
        }
        Err(p) => {
            let words = completion_problem_text(&page, p);
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                &LearningQuery::default(),
                Default::default(),
                Some(("completion", id, words)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
