//! 質問集 (question bank): person-focused questions by category, built in and the
//! tenant's own. Facilitators, HR and admin browse it; admin adds and removes the
//! tenant's questions.

pub mod api;

use crate::AppState;
use crate::FormData;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::shell::Shell;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::{self, Action};
use domain::question_bank::{BUILT_IN, Category, MAX_QUESTION_CHARS, parse_question};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(bank).post(add))
        .route("/questions/{id}/delete", post(remove))
}

/// One question as shown.
pub struct Shown {
    pub text: String,
    /// The tenant's own question (with its id, for removal).
    pub own: Option<i64>,
}

/// One category with its questions.
pub struct Group {
    pub key: &'static str,
    pub label: String,
    pub questions: Vec<Shown>,
}

#[derive(Template, WebTemplate)]
#[template(path = "questions/questions.html")]
struct BankPage {
    shell: Shell,
    groups: Vec<Group>,
    may_manage: bool,
    /// What was typed into the add form, and what is wrong with it.
    category: String,
    text_ja: String,
    text_en: String,
    error: Option<String>,
    limit: usize,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: (&str, &str, &str),
    error: Option<String>,
) -> Result<BankPage, AppError> {
    let own = state.store.tenant_questions(auth.tenant()).await?;
    let english = page.lang == Lang::En;
    let groups = Category::ALL
        .into_iter()
        .map(|c| Group {
            key: c.key(),
            label: page.t(&format!("questions.category.{}", c.key())),
            questions: BUILT_IN
                .iter()
                .filter(|b| b.category == c)
                .map(|b| Shown {
                    text: if english { b.en } else { b.ja }.to_string(),
                    own: None,
                })
                .chain(own.iter().filter(|q| q.category == c).map(|q| Shown {
                    text: if english && !q.text_en.is_empty() {
                        q.text_en.clone()
                    } else {
                        q.text_ja.clone()
                    },
                    own: Some(q.id),
                }))
                .collect(),
        })
        .collect();
    Ok(BankPage {
        shell: page.shell(Some(auth), "/questions"),
        groups,
        may_manage: policy::authorize(
            &auth.actor,
            Action::ManageQuestionBank {
                tenant: auth.tenant(),
            },
        )
        .is_ok(),
        category: typed.0.to_string(),
        text_ja: typed.1.to_string(),
        text_en: typed.2.to_string(),
        error,
        limit: MAX_QUESTION_CHARS,
    })
}

/// GET /questions
async fn bank(State(state): State<AppState>, page: Page, auth: Auth) -> Result<BankPage, AppError> {
    allow(&auth, Action::BrowseQuestionBank)?;
    render(&state, &page, &auth, ("", "", ""), None).await
}

/// POST /questions — admin adds one of the tenant's own questions.
async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManageQuestionBank {
            tenant: auth.tenant(),
        },
    )?;
    let typed = (
        form.get("category"),
        form.get("text_ja"),
        form.get("text_en"),
    );
    let problem = |key: &str| page.tf(&format!("questions.error.{key}"), "n", MAX_QUESTION_CHARS);
    let checked = match Category::parse(typed.0) {
        None => Err(problem("category")),
        Some(c) => match (
            parse_question(typed.1),
            (!typed.2.trim().is_empty()).then(|| parse_question(typed.2)),
        ) {
            (Err(e), _) | (_, Some(Err(e))) => Err(problem(e)),
            (Ok(ja), en) => Ok((c, ja, en.and_then(Result::ok).unwrap_or_default())),
        },
    };
    match checked {
        Ok((c, ja, en)) => {
            state
                .store
                .add_tenant_question(auth.tenant(), c, &ja, &en)
                .await?;
            set_flash(&page.session, "success", page.t("questions.added")).await?;
            Ok(Redirect::to(&format!("/questions#{}", c.key())).into_response())
        }
        Err(message) => {
            let p = render(&state, &page, &auth, typed, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// POST /questions/{id}/delete — admin removes one of the tenant's own questions.
async fn remove(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    _form: FormData,
) -> Result<Redirect, AppError> {
    allow(
        &auth,
        Action::ManageQuestionBank {
            tenant: auth.tenant(),
        },
    )?;
    if !state
        .store
        .remove_tenant_question(auth.tenant(), id)
        .await?
    {
        return Err(AppError::not_found());
    }
    set_flash(&page.session, "success", page.t("questions.removed")).await?;
    Ok(Redirect::to("/questions"))
}
