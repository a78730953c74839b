//! HR's side of surveys: the list with participation and the form to open one; a
//! survey's page with reminders (after a confirmation naming how many) and closing.

use super::kind_label;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::surveys::{MAX_OPEN_DAYS, MAX_TITLE_CHARS, OpenForm};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::Action;
use domain::survey::{Kind, Population};
use store::surveys::{Participation, Survey};

/// A survey in HR's list.
pub struct SurveyRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub fiscal_year: i32,
    pub population: String,
    pub closes_on: String,
    pub open: bool,
    pub asked: i64,
    pub answered: i64,
    /// Whole percent answered.
    pub percent: i64,
}

/// The open form as typed.
#[derive(Clone, Default)]
pub struct OpenTyped {
    pub kind: String,
    pub title: String,
    pub fiscal_year: String,
    pub population: String,
    pub department: String,
    pub programme: String,
    pub closes_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/list.html")]
pub(super) struct ListPage {
    shell: Shell,
    surveys: Vec<SurveyRow>,
    form: OpenTyped,
    error: Option<String>,
    /// (code, path)
    departments: Vec<(String, String)>,
    /// (id, FY and name)
    programmes: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    today: String,
    latest: String,
    title_limit: usize,
    /// 相談テーマ: (label, the company's own) — and the add form as typed, its problem.
    themes: Vec<(String, bool)>,
    theme_form: (String, String),
    theme_error: Option<String>,
}

fn population_text(page: &Page, p: &Population, departments: &[(String, String)]) -> String {
    match p {
        Population::Everyone => page.t("surveys.population.everyone"),
        Population::Department { code } => {
            let name = departments
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| code.clone());
            page.tf("surveys.population.department_of", "name", name)
        }
        Population::Programme { id } => page.tf("surveys.population.programme_of", "id", id),
    }
}

pub(super) fn row(
    page: &Page,
    s: &Survey,
    p: Participation,
    today: chrono::NaiveDate,
    departments: &[(String, String)],
) -> SurveyRow {
    SurveyRow {
        id: s.id,
        title: s.title.clone(),
        kind: kind_label(page, s.kind),
        fiscal_year: s.fiscal_year,
        population: population_text(page, &s.population, departments),
        closes_on: s.closes_on.to_string(),
        open: s.is_open(today),
        asked: p.asked,
        answered: p.answered,
        percent: (p.answered * 100).checked_div(p.asked).unwrap_or(0),
    }
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    form: OpenTyped,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let caller = auth.caller(origin);
    let today = state.clock.today();
    let departments = state.store.department_choices(auth.tenant(), 5_000).await?;
    let surveys = app::surveys::list(&state.store, &caller)
        .await?
        .into_iter()
        .map(|(s, p)| row(page, &s, p, today, &departments))
        .collect();
    let programmes = state
        .store
        .programmes(auth.tenant())
        .await?
        .into_iter()
        .filter(|p| p.cancelled_at.is_none())
        .map(|p| (p.id, format!("{} {}", p.fiscal_year, p.name)))
        .collect();
    let cal = state.store.tenant(auth.tenant()).await?.settings.calendar;
    let list = app::concerns::list(&state.store, auth.tenant()).await?;
    let ja = page.lang == crate::shared::i18n::Lang::Ja;
    let themes = list
        .keys()
        .into_iter()
        .map(|k| {
            (
                list.label(&k, page.lang.catalog(), ja),
                k.starts_with("custom."),
            )
        })
        .collect();
    let mut form = form;
    if form.fiscal_year.is_empty() {
        form.fiscal_year = cal.fiscal_year_of(today).0.to_string();
    }
    Ok(ListPage {
        shell: page.shell(Some(auth), "/surveys"),
        surveys,
        form,
        error,
        departments,
        programmes,
        kinds: Kind::ALL
            .into_iter()
            .map(|k| (k.key(), kind_label(page, k)))
            .collect(),
        today: today.to_string(),
        latest: (today + chrono::Duration::days(MAX_OPEN_DAYS)).to_string(),
        title_limit: MAX_TITLE_CHARS,
        themes,
        theme_form: (String::new(), String::new()),
        theme_error: None,
    })
}

/// HR's page again with the theme form as typed and its problem.
pub(super) async fn list_with_theme_error(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    typed: (&str, &str),
    error: String,
) -> Result<ListPage, AppError> {
    let mut p = render(state, page, auth, origin, OpenTyped::default(), None).await?;
    p.theme_form = (typed.0.to_string(), typed.1.to_string());
    p.theme_error = Some(error);
    Ok(p)
}

/// GET /surveys — HR's surveys and the form to open one.
pub(super) async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<ListPage, AppError> {
    allow(
        &auth,
        Action::ManageSurveys {
            tenant: auth.tenant(),
        },
    )?;
    render(&state, &page, &auth, &origin, OpenTyped::default(), None).await
}

/// POST /surveys — opens a survey, or shows the form again as typed with the problem.
pub(super) async fn open(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageSurveys {
            tenant: auth.tenant(),
        },
    )?;
    let typed = OpenTyped {
        kind: form.get("kind").trim().into(),
        title: form.get("title").into(),
        fiscal_year: form.get("fiscal_year").trim().into(),
        population: form.get("population").trim().into(),
        department: form.get("department").trim().into(),
        programme: form.get("programme").trim().into(),
        closes_on: form.get("closes_on").trim().into(),
    };
    let again = |key: &str| {
        let error = page.t(&format!("surveys.error.{key}"));
        let typed = typed.clone();
        let (state, page, auth, origin) = (&state, &page, &auth, &origin);
        async move {
            let p = render(state, page, auth, origin, typed, Some(error)).await?;
            Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    };
    let Some(kind) = Kind::parse(&typed.kind) else {
        return again("kind").await;
    };
    let Some(fiscal_year) = typed
        .fiscal_year
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
    else {
        return again("fiscal_year").await;
    };
    let population = match typed.population.as_str() {
        "everyone" => Population::Everyone,
        "department" if !typed.department.is_empty() => Population::Department {
            code: typed.department.clone(),
        },
        "programme" => match typed.programme.parse::<i64>() {
            Ok(id) => Population::Programme { id },
            Err(_) => return again("programme").await,
        },
        "department" => return again("department").await,
        _ => return again("population").await,
    };
    let Ok(closes_on) = chrono::NaiveDate::parse_from_str(&typed.closes_on, "%Y-%m-%d") else {
        return again("closes_on").await;
    };
    let caller = auth.caller(&origin);
    let opened = app::surveys::open(
        &state.store,
        &caller,
        &OpenForm {
            kind,
            title: &typed.title,
            fiscal_year,
            population,
            closes_on,
        },
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    match opened {
        Ok(id) => {
            // Everyone asked hears of it at once; nobody has answered yet.
            let to = state.store.unanswered_accounts(auth.tenant(), id).await?;
            notify(
                &state,
                auth.tenant(),
                id,
                &to,
                "email.survey_opened",
                |user| format!("email:survey:{id}:opened:{user}"),
            )
            .await?;
            set_flash(
                &page.session,
                "success",
                page.tf("surveys.opened", "n", to.len()),
            )
            .await?;
            Ok(Redirect::to(&format!("/surveys/{id}")).into_response())
        }
        Err(r) => again(r.key()).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/detail.html")]
pub(super) struct DetailPage {
    shell: Shell,
    survey: SurveyRow,
    opened: String,
    reminders: i64,
    /// (measure label, question in the page's language)
    questions: Vec<(String, String)>,
    scale: Vec<String>,
    /// People asked who have not answered and have an account: whom a reminder reaches.
    unanswered: i64,
}

/// GET /surveys/{id} — participation, reminders, closing, the questions.
pub(super) async fn detail(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<DetailPage, AppError> {
    let caller = auth.caller(&origin);
    let (s, p) = app::surveys::one(&state.store, &caller, id).await?;
    let departments = state.store.department_choices(auth.tenant(), 5_000).await?;
    let today = state.clock.today();
    let en = page.lang == crate::shared::i18n::Lang::En;
    let questions = s
        .questionnaire
        .questions
        .iter()
        .map(|q| {
            (
                page.t(&format!("surveys.measure.{}", q.measure.key())),
                if en {
                    q.text_en.clone()
                } else {
                    q.text_ja.clone()
                },
            )
        })
        .collect();
    let scale = if en {
        s.questionnaire.scale_en.clone()
    } else {
        s.questionnaire.scale_ja.clone()
    };
    let unanswered = if s.is_open(today) {
        state
            .store
            .unanswered_accounts(auth.tenant(), id)
            .await?
            .len() as i64
    } else {
        0
    };
    Ok(DetailPage {
        shell: page.shell(Some(&auth), "/surveys"),
        opened: when(s.opened_at),
        reminders: s.reminders,
        survey: row(&page, &s, p, today, &departments),
        questions,
        scale,
        unanswered,
    })
}

/// POST /surveys/{id}/remind — e-mails (and notifies in the app) everyone asked who has
/// not answered; the notice names the survey and its last day, nothing else.
pub(super) async fn remind(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let Some((round, to)) = app::surveys::reminder_round(&state.store, &caller, id, today).await?
    else {
        set_flash(&page.session, "error", page.t("surveys.closed_already")).await?;
        return Ok(Redirect::to(&format!("/surveys/{id}")).into_response());
    };
    notify(
        &state,
        auth.tenant(),
        id,
        &to,
        "email.survey_reminder",
        |user| format!("email:survey_reminder:{id}:{round}:{user}"),
    )
    .await?;
    set_flash(
        &page.session,
        "success",
        page.tf("surveys.reminded", "n", to.len()),
    )
    .await?;
    Ok(Redirect::to(&format!("/surveys/{id}")).into_response())
}

/// E-mails (and notifies in the app) the people in `to` about survey `id` with the
/// message `template`, which names the survey and its last day, nothing else. `key` gives
/// each message its job key (one message per person however often this runs).
async fn notify(
    state: &AppState,
    tenant: domain::TenantId,
    id: i64,
    to: &[(domain::UserId, String, String)],
    template: &str,
    key: impl Fn(i64) -> String,
) -> Result<(), AppError> {
    let survey = state
        .store
        .survey(tenant, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let closes = survey.closes_on.to_string();
    let now = state.clock.now();
    let mut jobs = Vec::new();
    for (user, email, name) in to {
        let payload = crate::shared::email::compose(
            state,
            email.clone(),
            template,
            &[
                ("name", name),
                ("title", &survey.title),
                ("closes", &closes),
            ],
            &format!("/my/surveys/{id}"),
        );
        jobs.push(store::jobs::NewJob::email(
            tenant,
            key(user.0),
            &payload,
            now,
        )?);
    }
    state.store.enqueue_jobs(&jobs, now).await?;
    Ok(())
}

/// POST /surveys/{id}/close — closes the survey now; its report opens.
pub(super) async fn close(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    app::surveys::close(&state.store, &caller, id, state.clock.now()).await?;
    set_flash(&page.session, "success", page.t("surveys.closed")).await?;
    Ok(Redirect::to(&format!("/surveys/{id}")).into_response())
}
