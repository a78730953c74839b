//! ロールモデル: colleagues' stories. Consultants and HR write them; the colleague a story
//! is about decides whether others may read it, named or not, and may take it back at any
//! time. Everyone signed in searches the published ones by words and by anchor, theme and
//! outcome. Who sees what is `domain::policy::role_model_view`.

pub mod api;

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::cards::{StoryCard, card_as};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::anchor::Anchor;
use domain::audit::AuditAction;
use domain::policy::{self};
use domain::role_model::{self, Consent, MAX_BODY_CHARS, MAX_TITLE_CHARS, Outcome, Search, Theme};
use store::audit::NewAuditEntry;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/role-models", get(list).post(add))
        .route("/role-models/new", get(new_form))
        .route("/role-models/{id}", get(show))
        .route("/role-models/{id}/consent", post(answer))
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    anchor: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    outcome: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "role_models/list.html")]
struct ListPage {
    shell: Shell,
    q: String,
    anchor: String,
    theme: String,
    outcome: String,
    anchors: Vec<&'static str>,
    themes: Vec<&'static str>,
    outcomes: Vec<&'static str>,
    stories: Vec<StoryCard>,
    /// Stories the viewer wrote (any state), for writers.
    written: Vec<StoryCard>,
    may_write: bool,
}

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| key(*t)).collect()
}

/// GET /role-models — search the published stories.
async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<SearchQuery>,
) -> Result<ListPage, AppError> {
    let tenant = auth.tenant();
    let search = Search {
        anchor: Anchor::parse(&q.anchor),
        theme: Theme::parse(&q.theme),
        outcome: Outcome::parse(&q.outcome),
        ..Search::new(&q.q)
    };
    let stories = app::role_models::found(&state.store, &auth.actor, &search)
        .await?
        .iter()
        .map(|(s, v)| card_as(s, *v))
        .collect();
    let may_write = policy::may_write_role_model(&auth.actor, tenant);
    let written = app::role_models::written(&state.store, &auth.actor)
        .await?
        .iter()
        .map(|(s, v)| card_as(s, *v))
        .collect();
    Ok(ListPage {
        shell: page.shell(Some(&auth), "/role-models"),
        q: q.q,
        anchor: q.anchor,
        theme: q.theme,
        outcome: q.outcome,
        anchors: keys(&Anchor::ALL, Anchor::key),
        themes: keys(&Theme::ALL, Theme::key),
        outcomes: keys(&Outcome::ALL, Outcome::key),
        stories,
        written,
        may_write,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "role_models/story.html")]
struct ShowPage {
    shell: Shell,
    story: StoryCard,
    /// The viewer is the colleague: they answer here.
    may_answer: bool,
    show_name: bool,
}

/// GET /role-models/{id}
async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<ShowPage, AppError> {
    // A story nobody may show this viewer looks the same as one that does not exist.
    let (s, view) = app::role_models::readable(&state.store, &auth.actor, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let story = card_as(&s, view);
    Ok(ShowPage {
        shell: page.shell(Some(&auth), "/role-models"),
        may_answer: app::role_models::may_answer(&auth.actor, &s),
        show_name: s.show_name,
        story,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "role_models/new.html")]
struct NewPage {
    shell: Shell,
    employee_number: String,
    title: String,
    body: String,
    anchor: String,
    themes: Vec<String>,
    outcome: String,
    errors: Vec<String>,
    anchors: Vec<&'static str>,
    theme_keys: Vec<&'static str>,
    outcomes: Vec<&'static str>,
    title_limit: usize,
    body_limit: usize,
}

impl NewPage {
    fn blank(shell: Shell) -> NewPage {
        NewPage {
            shell,
            employee_number: String::new(),
            title: String::new(),
            body: String::new(),
            anchor: String::new(),
            themes: Vec::new(),
            outcome: String::new(),
            errors: Vec::new(),
            anchors: keys(&Anchor::ALL, Anchor::key),
            theme_keys: keys(&Theme::ALL, Theme::key),
            outcomes: keys(&Outcome::ALL, Outcome::key),
            title_limit: MAX_TITLE_CHARS,
            body_limit: MAX_BODY_CHARS,
        }
    }
}

fn need_writer(auth: &Auth) -> Result<(), AppError> {
    if policy::may_write_role_model(&auth.actor, auth.tenant()) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// GET /role-models/new — consultants and HR write a colleague's story.
async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: crate::Origin,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, AppError> {
    need_writer(&auth)?;
    let mut p = NewPage::blank(page.shell(Some(&auth), "/role-models"));
    // From a side job's report back (HR): the draft starts from the colleague's own words,
    // and waits for their consent like any story.
    if let Some(id) = q.side_job {
        let s = app::side_jobs::open(&state.store, &auth.caller(&origin), id).await?;
        if !s.report.is_empty() {
            if let Some(person) = state.store.person(auth.tenant(), s.person).await? {
                p.employee_number = person.employee_number;
            }
            p.title = page.tf("role_model.from_side_job_title", "field", &s.job.field);
            p.body = s.report.clone();
            p.themes = vec![Theme::SideJob.key().to_string()];
        }
    }
    Ok(p)
}

#[derive(serde::Deserialize, Default)]
struct NewQuery {
    /// A side job whose report back the story starts from.
    side_job: Option<i64>,
}

/// POST /role-models — the story waits for the colleague's consent; on any problem the
/// form comes back as typed.
async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    need_writer(&auth)?;
    let tenant = auth.tenant();
    let themes: Vec<&str> = form.get_all("themes").collect();
    let number = form.get("employee_number").trim().to_string();
    let mut errors = Vec::new();
    let person = match state.store.person_by_number(tenant, &number).await? {
        Some(p) => Some(p),
        None => {
            errors.push(page.tf("role_model.error.no_person", "number", &number));
            None
        }
    };
    let parsed = role_model::parse_story(
        form.get("title"),
        form.get("body"),
        form.get("anchor"),
        &themes,
        form.get("outcome"),
    );
    if let Err(es) = &parsed {
        for e in es {
            errors.push(page.lang.catalog().format(
                &format!("role_model.error.{}", e.key()),
                &[("n", &MAX_TITLE_CHARS), ("m", &MAX_BODY_CHARS)],
            ));
        }
    }
    match (parsed, person) {
        (Ok(input), Some(p)) if errors.is_empty() => {
            let id = state
                .store
                .add_story(tenant, domain::PersonId(p.id), auth.user.id, &input)
                .await?;
            set_flash(&page.session, "success", page.t("role_model.saved")).await?;
            Ok(Redirect::to(&format!("/role-models/{id}")).into_response())
        }
        _ => {
            let mut p = NewPage::blank(page.shell(Some(&auth), "/role-models"));
            p.employee_number = number;
            p.title = form.get("title").to_string();
            p.body = form.get("body").to_string();
            p.anchor = form.get("anchor").to_string();
            p.themes = themes.iter().map(|t| t.to_string()).collect();
            p.outcome = form.get("outcome").to_string();
            p.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /role-models/{id}/consent — the colleague agrees (named or not), refuses or
/// withdraws. `from` is the state their page showed; an answer to a state that has
/// since changed is refused, not applied.
async fn answer(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let tenant = auth.tenant();
    let s = state
        .store
        .story(tenant, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // Someone who may not even see the story learns nothing of it.
    if app::role_models::view_of(&auth.actor, &s).is_none() {
        return Err(AppError::not_found());
    }
    if !app::role_models::may_answer(&auth.actor, &s) {
        return Err(AppError::forbidden());
    }
    let (Some(from), Some(to)) = (
        Consent::parse(form.get("from")),
        Consent::parse(form.get("answer")),
    ) else {
        set_flash(&page.session, "error", page.t("role_model.error.stale")).await?;
        return Ok(Redirect::to(&format!("/role-models/{id}")).into_response());
    };
    let show_name = form.get("show_name") == "1";
    let done = from == s.consent
        && from.may_become(to)
        && state
            .store
            .set_story_consent(tenant, id, from, to, show_name)
            .await?;
    if done {
        auth.audit(
            &state,
            &origin,
            NewAuditEntry::new(Some(tenant), AuditAction::ConsentChanged)
                .target("role_model_story", id)
                .detail(format!("{} named={}", to.key(), show_name)),
        )
        .await?;
        set_flash(
            &page.session,
            "success",
            page.t(&format!("role_model.answered.{}", to.key())),
        )
        .await?;
    } else {
        set_flash(&page.session, "error", page.t("role_model.error.stale")).await?;
    }
    Ok(Redirect::to(&format!("/role-models/{id}")).into_response())
}
