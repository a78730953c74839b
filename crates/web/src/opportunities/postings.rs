//! Postings: the list with keyword search and shelves (open, saved, those one manages)
//! and one's own applications; a posting's page with saving and applying (or the reasons
//! one may not); the form to publish or edit one; taking one down.

use super::{problem_text, progress_text, refusal_text};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::postings::{Placement, Problems, Shelf};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::policy::{self, ApplicationView};
use domain::posting::{ApplyRefusal, MAX_MOTIVATION, PostingInput};
use serde::Deserialize;
use store::postings::StoredPosting;

/// A posting in a list.
pub struct PostingRow {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub grades: String,
    pub period: String,
    /// `open`, `upcoming`, `closed` or `taken_down`, and its words.
    pub state: (&'static str, String),
    pub saved: bool,
    /// The caller's own application: (key, words).
    pub applied: Option<(&'static str, String)>,
    /// Applications the caller may see, for those who manage it.
    pub applications: Option<usize>,
}

/// One of the caller's own applications.
pub struct MineRow {
    pub id: i64,
    pub title: String,
    pub applied_on: String,
    pub progress: (&'static str, String),
}

fn state_of(page: &Page, p: &StoredPosting, today: NaiveDate) -> (&'static str, String) {
    let key = if p.withdrawn_at.is_some() {
        "taken_down"
    } else if today < p.posting.opens_on {
        "upcoming"
    } else if today > p.posting.closes_on {
        "closed"
    } else {
        "open"
    };
    (key, page.t(&format!("postings.state.{key}")))
}

fn grades_text(page: &Page, p: &StoredPosting) -> String {
    if p.posting.grades.is_empty() {
        page.t("postings.any_grade")
    } else {
        p.posting.grades.join("・")
    }
}

/// A department as people find it: its path from the top (本部 / 部 / 課).
async fn department_path(state: &AppState, auth: &Auth, id: i64) -> Result<String, AppError> {
    Ok(state
        .store
        .department_path(auth.tenant(), id)
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect::<Vec<_>>()
        .join(" / "))
}

fn period(p: &StoredPosting) -> String {
    format!("{} 〜 {}", p.posting.opens_on, p.posting.closes_on)
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/list.html")]
pub(super) struct ListPage {
    shell: Shell,
    shelf: &'static str,
    q: String,
    postings: Vec<PostingRow>,
    mine: Vec<MineRow>,
    may_publish: bool,
    is_hr: bool,
    has_person: bool,
    /// The company's months in one's department before applying (0: no rule).
    months: u32,
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    shelf: String,
    #[serde(default)]
    q: String,
}

/// GET /opportunities?shelf=&q= — postings, and the caller's own applications.
pub(super) async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let (shelf, key) = match q.shelf.as_str() {
        "saved" => (Shelf::Saved, "saved"),
        "managed" => (Shelf::Managed, "managed"),
        _ => (Shelf::Open, "open"),
    };
    let query: String = q.q.chars().take(100).collect();
    let listed = app::postings::browse(&state.store, &caller, shelf, &query, today).await?;
    let mut paths = std::collections::HashMap::new();
    for l in &listed {
        if let std::collections::hash_map::Entry::Vacant(e) = paths.entry(l.posting.department_id) {
            e.insert(department_path(&state, &auth, l.posting.department_id).await?);
        }
    }
    let postings = listed
        .into_iter()
        .map(|l| PostingRow {
            id: l.posting.id,
            title: l.posting.posting.title.clone(),
            department: paths
                .get(&l.posting.department_id)
                .cloned()
                .unwrap_or_else(|| l.posting.department_name.clone()),
            grades: grades_text(&page, &l.posting),
            period: period(&l.posting),
            state: state_of(&page, &l.posting, today),
            saved: l.saved,
            applied: l
                .applied
                .map(|p| progress_text(&page, &l.posting.posting.stages, p)),
            applications: l.applications,
        })
        .collect();
    let mine = app::postings::mine(&state.store, &caller)
        .await?
        .into_iter()
        .rev()
        .map(|(a, p)| MineRow {
            id: a.id,
            title: p.posting.title.clone(),
            applied_on: crate::shared::time::jst(a.created_at)
                .format("%Y-%m-%d")
                .to_string(),
            progress: progress_text(&page, &p.posting.stages, a.progress),
        })
        .collect();
    Ok(ListPage {
        shell: page.shell(Some(&auth), "/opportunities"),
        shelf: key,
        q: query,
        postings,
        mine,
        may_publish: policy::may_publish_posting(&auth.actor, auth.tenant()),
        is_hr: auth.actor.has(domain::Role::Hr),
        has_person: auth.actor.person_id.is_some(),
        months: state
            .store
            .posting_eligibility(auth.tenant())
            .await?
            .min_months_in_role,
    })
}

/// POST /postings/eligibility — HR sets the months in one's department before applying
/// or declaring FA.
pub(super) async fn eligibility(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    if !auth.actor.has(domain::Role::Hr) {
        return Err(AppError::forbidden());
    }
    let caller = auth.caller(&origin);
    let months = domain::import::values::normalise(form.get("months"))
        .parse::<u32>()
        .ok();
    let saved = match months {
        Some(m) => app::postings::set_eligibility(&state.store, &caller, m).await?,
        None => false,
    };
    let (kind, key) = if saved {
        ("success", "postings.eligibility_saved")
    } else {
        ("error", "postings.eligibility_error")
    };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/opportunities").into_response())
}

/// An application as the hiring side lists it.
pub struct ApplicantRow {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub applied_on: String,
    pub progress: (&'static str, String),
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/posting.html")]
pub(super) struct DetailPage {
    shell: Shell,
    p: StoredPosting,
    state: (&'static str, String),
    period: String,
    department: String,
    grades: String,
    reveal_stage: String,
    saved: bool,
    /// Someone in the employee master, not on the hiring side of it.
    may_apply: bool,
    /// Reasons one may not apply, said before anything is typed.
    refusals: Vec<String>,
    /// The motivation as typed, and what was wrong with it.
    motivation: String,
    motivation_error: Option<String>,
    motivation_limit: usize,
    /// The caller's own application: (id, progress words).
    mine: Option<(i64, (&'static str, String))>,
    manages: bool,
    applicants: Vec<ApplicantRow>,
}

async fn render_detail(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    id: i64,
    (motivation, motivation_error): (String, Option<String>),
) -> Result<DetailPage, AppError> {
    let caller = auth.caller(origin);
    let today = state.clock.today();
    let p = app::postings::open_posting(&state.store, &caller, id, today).await?;
    let manages = policy::may_manage_posting(&auth.actor, auth.tenant(), p.hiring_manager);
    let saved = match auth.actor.person_id {
        Some(me) => state
            .store
            .saved_postings(auth.tenant(), me)
            .await?
            .contains(&p.id),
        None => false,
    };
    let mine = app::postings::mine(&state.store, &caller)
        .await?
        .into_iter()
        .find(|(a, _)| a.posting_id == p.id)
        .map(|(a, _)| (a.id, progress_text(page, &p.posting.stages, a.progress)));
    // Said before typing: every reason but the motivation's own.
    let refusals = if mine.is_none() && auth.actor.person_id.is_some() {
        match app::postings::eligibility(&state.store, &caller, &p, "—", today).await? {
            Ok(()) => Vec::new(),
            Err(r) => r
                .iter()
                .filter(|r| {
                    !matches!(
                        r,
                        ApplyRefusal::MotivationMissing | ApplyRefusal::MotivationTooLong { .. }
                    )
                })
                .map(|r| refusal_text(page, r))
                .collect(),
        }
    } else {
        Vec::new()
    };
    let applicants = app::postings::applications_to(&state.store, &caller, &p)
        .await?
        .into_iter()
        .filter(|(_, v)| *v == ApplicationView::Hiring)
        .map(|(a, _)| ApplicantRow {
            id: a.id,
            name: a.person_name.clone(),
            department: a.department_name.clone(),
            applied_on: crate::shared::time::jst(a.created_at)
                .format("%Y-%m-%d")
                .to_string(),
            progress: progress_text(page, &p.posting.stages, a.progress),
        })
        .collect();
    Ok(DetailPage {
        shell: page.shell(Some(auth), "/opportunities"),
        state: state_of(page, &p, today),
        period: period(&p),
        department: department_path(state, auth, p.department_id).await?,
        grades: grades_text(page, &p),
        reveal_stage: super::stage_name(page, &p.posting.stages, p.posting.reveal_at),
        saved,
        may_apply: auth.actor.person_id.is_some() && mine.is_none(),
        refusals,
        motivation,
        motivation_error,
        motivation_limit: MAX_MOTIVATION,
        mine,
        manages,
        applicants,
        p,
    })
}

/// GET /postings/{id} — the posting, and applying (or why not); the hiring side's list.
pub(super) async fn detail(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<DetailPage, AppError> {
    render_detail(&state, &page, &auth, &origin, id, (String::new(), None)).await
}

/// POST /postings/{id}/apply — applies with the motivation, or the page again with every
/// reason and the motivation as typed.
pub(super) async fn apply(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let motivation = form.get("motivation").to_string();
    match app::postings::apply(&state.store, &caller, id, &motivation, state.clock.now()).await? {
        Ok(application) => {
            let p = state
                .store
                .posting(auth.tenant(), id)
                .await?
                .ok_or_else(AppError::not_found)?;
            // The hiring manager hears that an application waits — never from whom or why.
            super::applications::notify(
                &state,
                auth.tenant(),
                p.hiring_manager,
                "email.application_received",
                &format!("application:{application}:received"),
                &format!("/applications/{application}"),
            )
            .await?;
            set_flash(&page.session, "success", page.t("postings.applied")).await?;
            Ok(Redirect::to(&format!("/applications/{application}")).into_response())
        }
        Err(refusals) => {
            let text = refusals
                .iter()
                .map(|r| refusal_text(&page, r))
                .collect::<Vec<_>>()
                .join(" ");
            let p =
                render_detail(&state, &page, &auth, &origin, id, (motivation, Some(text))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /postings/{id}/save — saves (saved=1) or unsaves it.
pub(super) async fn save(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let saved = form.get("saved") == "1";
    app::postings::save(&state.store, &caller, id, saved, state.clock.now()).await?;
    set_flash(
        &page.session,
        "success",
        page.t(if saved {
            "postings.saved_done"
        } else {
            "postings.unsaved_done"
        }),
    )
    .await?;
    Ok(Redirect::to(&format!("/postings/{id}")).into_response())
}

/// POST /postings/{id}/take-down — no new applications from now on (after a
/// confirmation on the page).
pub(super) async fn take_down(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let done = app::postings::take_down(&state.store, &caller, id, state.clock.now()).await?;
    set_flash(
        &page.session,
        "success",
        page.t(if done {
            "postings.taken_down"
        } else {
            "postings.already_down"
        }),
    )
    .await?;
    Ok(Redirect::to(&format!("/postings/{id}")).into_response())
}

/// The posting form as typed.
#[derive(Clone, Default)]
pub struct Typed {
    pub input: PostingInput,
    pub department: String,
    pub hiring_manager: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/form.html")]
pub(super) struct FormPage {
    shell: Shell,
    editing: Option<i64>,
    form: Typed,
    /// (field, words), in the form's order.
    errors: Vec<(&'static str, String)>,
    /// (code, path)
    departments: Vec<(String, String)>,
    is_hr: bool,
}

impl FormPage {
    /// The problems of one field.
    pub fn errors_of(&self, field: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

async fn render_form(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    editing: Option<i64>,
    form: Typed,
    errors: Vec<(&'static str, String)>,
) -> Result<FormPage, AppError> {
    if !policy::may_publish_posting(&auth.actor, auth.tenant()) && editing.is_none() {
        return Err(AppError::forbidden());
    }
    Ok(FormPage {
        shell: page.shell(Some(auth), "/opportunities"),
        editing,
        form,
        errors,
        departments: state.store.department_choices(auth.tenant(), 5_000).await?,
        is_hr: auth.actor.has(domain::Role::Hr),
    })
}

fn typed(form: &FormData) -> Typed {
    Typed {
        input: PostingInput {
            title: form.get("title").into(),
            grades: form.get("grades").into(),
            work: form.get("work").into(),
            required: form.get("required").into(),
            welcome: form.get("welcome").into(),
            criteria: form.get("criteria").into(),
            headcount: form.get("headcount").into(),
            opens_on: form.get("opens_on").into(),
            closes_on: form.get("closes_on").into(),
            stages: form.get("stages").into(),
            reveal_stage: form.get("reveal_stage").into(),
        },
        department: form.get("department").trim().into(),
        hiring_manager: form.get("hiring_manager").trim().into(),
    }
}

fn problems(page: &Page, p: &Problems) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> =
        p.posting.iter().map(|x| problem_text(page, x)).collect();
    for x in &p.placement {
        out.push(match x {
            app::postings::PlacementProblem::DepartmentUnknown { code } => (
                "department",
                page.tf("postings.problem.department_unknown", "code", code),
            ),
            app::postings::PlacementProblem::DepartmentOutsideOrganisation { code } => (
                "department",
                page.tf("postings.problem.department_outside", "code", code),
            ),
            app::postings::PlacementProblem::HiringManagerUnknown { email } => (
                "hiring_manager",
                page.tf("postings.problem.hiring_manager_unknown", "email", email),
            ),
        });
    }
    out
}

fn placement(t: &Typed) -> Placement {
    Placement {
        department: t.department.clone(),
        hiring_manager: t.hiring_manager.clone(),
    }
}

/// GET /postings/new — the form to publish a posting.
pub(super) async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<FormPage, AppError> {
    let today = state.clock.today();
    let form = Typed {
        input: PostingInput {
            headcount: "1".into(),
            opens_on: today.to_string(),
            closes_on: (today + chrono::Duration::days(30)).to_string(),
            stages: domain::posting::DEFAULT_STAGES.join("\n"),
            ..PostingInput::default()
        },
        ..Typed::default()
    };
    render_form(&state, &page, &auth, None, form, Vec::new()).await
}

/// POST /postings — publishes it, or the form again as typed with every problem.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let t = typed(&form);
    let caller = auth.caller(&origin);
    match app::postings::publish(
        &state.store,
        &caller,
        &t.input,
        &placement(&t),
        state.clock.now(),
    )
    .await?
    {
        Ok(id) => {
            set_flash(&page.session, "success", page.t("postings.published")).await?;
            Ok(Redirect::to(&format!("/postings/{id}")).into_response())
        }
        Err(p) => {
            let errors = problems(&page, &p);
            let f = render_form(&state, &page, &auth, None, t, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, f).into_response())
        }
    }
}

/// GET /postings/{id}/edit — the form with the posting's text.
pub(super) async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<FormPage, AppError> {
    let caller = auth.caller(&origin);
    let p = app::postings::open_posting(&state.store, &caller, id, state.clock.today()).await?;
    if !policy::may_manage_posting(&auth.actor, auth.tenant(), p.hiring_manager) {
        return Err(AppError::not_found());
    }
    let code = state
        .store
        .department_path(auth.tenant(), p.department_id)
        .await?
        .last()
        .map(|d| d.code.clone())
        .unwrap_or_default();
    let hiring = state
        .store
        .user(auth.tenant(), p.hiring_manager)
        .await?
        .email;
    let q = &p.posting;
    let form = Typed {
        input: PostingInput {
            title: q.title.clone(),
            grades: q.grades.join("、"),
            work: q.work.clone(),
            required: q.required.clone(),
            welcome: q.welcome.clone(),
            criteria: q.criteria.clone(),
            headcount: q.headcount.to_string(),
            opens_on: q.opens_on.to_string(),
            closes_on: q.closes_on.to_string(),
            stages: q.stages.join("\n"),
            reveal_stage: q.stages.get(q.reveal_at).cloned().unwrap_or_default(),
        },
        department: code,
        hiring_manager: hiring,
    };
    render_form(&state, &page, &auth, Some(id), form, Vec::new()).await
}

/// POST /postings/{id} — saves the edit, or the form again as typed.
pub(super) async fn update(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let t = typed(&form);
    let caller = auth.caller(&origin);
    match app::postings::edit(
        &state.store,
        &caller,
        id,
        &t.input,
        &placement(&t),
        state.clock.now(),
    )
    .await?
    {
        Ok(()) => {
            set_flash(&page.session, "success", page.t("postings.edited")).await?;
            Ok(Redirect::to(&format!("/postings/{id}")).into_response())
        }
        Err(p) => {
            let errors = problems(&page, &p);
            let f = render_form(&state, &page, &auth, Some(id), t, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, f).into_response())
        }
    }
}
