//! The employee's side: the surveys I was asked in (on マイキャリア), and answering one —
//! once; a form missing answers comes back as chosen, with the questions left named.

use super::kind_label;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use app::surveys::AnswerProblem;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use store::surveys::{AnswerRefused, Survey};

/// A survey in my list.
pub struct MySurvey {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub closes_on: String,
    pub open: bool,
    pub answered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/mine.html")]
pub(super) struct MinePage {
    shell: Shell,
    surveys: Vec<MySurvey>,
}

/// GET /my/surveys — the surveys I was asked in.
pub(super) async fn mine(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<MinePage, AppError> {
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let surveys = app::surveys::mine(&state.store, &caller)
        .await?
        .into_iter()
        .map(|(s, answered)| MySurvey {
            id: s.id,
            title: s.title.clone(),
            kind: kind_label(&page, s.kind),
            closes_on: s.closes_on.to_string(),
            open: s.is_open(today),
            answered,
        })
        .collect();
    Ok(MinePage {
        shell: page.shell(Some(&auth), "/my"),
        surveys,
    })
}

/// One question as the form shows it.
pub struct QuestionView {
    pub key: String,
    pub text: String,
    pub optional: bool,
    /// The point chosen (as typed back), if any.
    pub chosen: String,
    pub missing: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/answer.html")]
pub(super) struct AnswerPage {
    shell: Shell,
    id: i64,
    title: String,
    kind: String,
    closes_on: String,
    open: bool,
    answered: bool,
    questions: Vec<QuestionView>,
    /// (value, label) for 1..=5
    scale: Vec<(u8, String)>,
    error: Option<String>,
}

fn render(
    page: &Page,
    auth: &Auth,
    s: &Survey,
    (answered, open): (bool, bool),
    typed: Option<&FormData>,
    missing: &[String],
    error: Option<String>,
) -> AnswerPage {
    let en = page.lang == Lang::En;
    let questions = s
        .questionnaire
        .questions
        .iter()
        .map(|q| QuestionView {
            key: q.key.clone(),
            text: if en {
                q.text_en.clone()
            } else {
                q.text_ja.clone()
            },
            optional: q.optional,
            chosen: typed
                .map(|f| f.get(&format!("q.{}", q.key)).trim().to_string())
                .unwrap_or_default(),
            missing: missing.contains(&q.key),
        })
        .collect();
    let labels = if en {
        &s.questionnaire.scale_en
    } else {
        &s.questionnaire.scale_ja
    };
    AnswerPage {
        shell: page.shell(Some(auth), "/my"),
        id: s.id,
        title: s.title.clone(),
        kind: kind_label(page, s.kind),
        closes_on: s.closes_on.to_string(),
        open,
        answered,
        questions,
        scale: labels
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u8 + 1, l.clone()))
            .collect(),
        error,
    }
}

/// GET /my/surveys/{id} — the questions (not found for anyone not asked).
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<AnswerPage, AppError> {
    let caller = auth.caller(&origin);
    let (s, answered) = app::surveys::to_answer(&state.store, &caller, id).await?;
    let open = s.is_open(state.clock.today());
    Ok(render(&page, &auth, &s, (answered, open), None, &[], None))
}

/// POST /my/surveys/{id} — takes the answer once; refuses a closed survey or a second
/// answer (the first stays); a form with questions left comes back as chosen.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let today = state.clock.today();
    let outcome = app::surveys::answer(
        &state.store,
        &caller,
        id,
        |k| Some(form.get(&format!("q.{k}"))),
        today,
    )
    .await?;
    let problem = match outcome {
        Ok(()) => {
            set_flash(&page.session, "success", page.t("surveys.thanks")).await?;
            return Ok(Redirect::to("/my/surveys").into_response());
        }
        Err(p) => p,
    };
    let (s, answered) = app::surveys::to_answer(&state.store, &caller, id).await?;
    let open = s.is_open(today);
    let (status, missing, error) = match problem {
        AnswerProblem::Missing(m) => {
            let n = m.len();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                m,
                page.tf("surveys.error.missing", "n", n),
            )
        }
        AnswerProblem::Refused(r) => (
            StatusCode::CONFLICT,
            Vec::new(),
            page.t(match r {
                AnswerRefused::Closed => "surveys.error.closed",
                AnswerRefused::AlreadyAnswered => "surveys.error.already",
                AnswerRefused::NotAsked => "surveys.error.not_asked",
            }),
        ),
    };
    let p = render(
        &page,
        &auth,
        &s,
        (answered, open),
        Some(&form),
        &missing,
        Some(error),
    );
    Ok((status, p).into_response())
}
