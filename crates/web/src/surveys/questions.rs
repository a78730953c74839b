//! HR edits the company's questionnaire of each kind (質問と選択肢): each question's
//! Japanese and English text, what it measures, whether agreeing means less support, whether
//! it may be left as 「該当しない」; removing and adding questions; the labels of the five
//! points. Surveys already opened keep the questions they were opened with.

use super::kind_label;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::Action;
use domain::survey::{Kind, MAX_TEXT_CHARS, Measure, POINTS, Question, Questionnaire};

/// Empty rows offered for new questions.
const NEW_ROWS: usize = 3;

/// One question row as the form shows it.
pub struct QuestionRow {
    pub key: String,
    pub measure: String,
    pub ja: String,
    pub en: String,
    pub reverse: bool,
    pub optional: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/questions.html")]
pub(super) struct QuestionsPage {
    shell: Shell,
    kind: &'static str,
    kind_name: String,
    rows: Vec<QuestionRow>,
    /// (key, label)
    measures: Vec<(String, String)>,
    scale: Vec<(String, String)>,
    error: Option<String>,
    limit: usize,
}

fn page_for(
    page: &Page,
    auth: &Auth,
    kind: Kind,
    q: &Questionnaire,
    error: Option<String>,
) -> QuestionsPage {
    let mut rows: Vec<QuestionRow> = q
        .questions
        .iter()
        .map(|x| QuestionRow {
            key: x.key.clone(),
            measure: x.measure.key(),
            ja: x.text_ja.clone(),
            en: x.text_en.clone(),
            reverse: x.reverse,
            optional: x.optional,
        })
        .collect();
    for _ in 0..NEW_ROWS {
        rows.push(QuestionRow {
            key: String::new(),
            measure: Measure::of(kind)[0].key(),
            ja: String::new(),
            en: String::new(),
            reverse: false,
            optional: false,
        });
    }
    QuestionsPage {
        shell: page.shell(Some(auth), "/surveys"),
        kind: kind.key(),
        kind_name: kind_label(page, kind),
        rows,
        measures: Measure::of(kind)
            .into_iter()
            .map(|m| (m.key(), page.t(&format!("surveys.measure.{}", m.key()))))
            .collect(),
        scale: (0..usize::from(POINTS))
            .map(|i| {
                (
                    q.scale_ja.get(i).cloned().unwrap_or_default(),
                    q.scale_en.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        error,
        limit: MAX_TEXT_CHARS,
    }
}

fn kind_of(raw: &str) -> Result<Kind, AppError> {
    Kind::parse(raw).ok_or_else(AppError::not_found)
}

/// GET /surveys/questions/{kind}
pub(super) async fn form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(kind): Path<String>,
) -> Result<QuestionsPage, AppError> {
    allow(
        &auth,
        Action::ManageSurveys {
            tenant: auth.tenant(),
        },
    )?;
    let kind = kind_of(&kind)?;
    let q = state
        .store
        .survey_questionnaire(auth.tenant(), kind)
        .await?;
    Ok(page_for(&page, &auth, kind, &q, None))
}

/// Reads the form: rows ticked for removal and empty new rows are left out; new rows get
/// the next free key.
fn read(form: &FormData, kind: Kind) -> Questionnaire {
    let mut questions: Vec<Question> = Vec::new();
    let mut rows: Vec<usize> = form
        .names()
        .filter_map(|n| n.strip_prefix('q')?.split_once('.')?.0.parse().ok())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let mut next = rows.len() + 1;
    let mut used: Vec<String> = rows
        .iter()
        .map(|i| form.get(&format!("q{i}.key")).trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    for i in rows {
        let f = |name: &str| form.get(&format!("q{i}.{name}")).trim().to_string();
        let (key, ja, en) = (f("key"), f("ja"), f("en"));
        if f("remove") == "1" || (key.is_empty() && ja.is_empty() && en.is_empty()) {
            continue;
        }
        let key = if key.is_empty() {
            while used.contains(&format!("q{next}")) {
                next += 1;
            }
            used.push(format!("q{next}"));
            format!("q{next}")
        } else {
            key
        };
        questions.push(Question {
            key,
            // An unknown measure makes the check refuse the questionnaire.
            measure: Measure::parse(&f("measure"))
                .unwrap_or(Measure::Scheme(domain::survey::Scheme::Overall)),
            text_ja: ja,
            text_en: en,
            reverse: f("reverse") == "1",
            optional: f("optional") == "1",
        });
    }
    Questionnaire {
        kind,
        questions,
        scale_ja: (1..=POINTS)
            .map(|p| form.get(&format!("scale_ja{p}")).trim().to_string())
            .collect(),
        scale_en: (1..=POINTS)
            .map(|p| form.get(&format!("scale_en{p}")).trim().to_string())
            .collect(),
    }
}

/// POST /surveys/questions/{kind} — saves the questionnaire, or shows it again as typed.
pub(super) async fn save(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(kind): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let q = read(&form, kind);
    let saved = app::surveys::save_questionnaire(
        &state.store,
        &auth.caller(&origin),
        &q,
        state.clock.now(),
    )
    .await?;
    match saved {
        Ok(()) => {
            set_flash(&page.session, "success", page.t("surveys.questions_saved")).await?;
            Ok(Redirect::to(&format!("/surveys/questions/{}", kind.key())).into_response())
        }
        Err(e) => {
            let error = page.t(&format!("surveys.error.{}", e.key()));
            // The rows as typed (new ones keep their place; removals stay removed).
            let p = page_for(&page, &auth, kind, &q, Some(error));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
