//! 質問集 over the JSON API, as the question bank page shows it: every question, built in
//! and the company's own, by category, in both languages (facilitators, HR and admin).

use crate::AppState;
use crate::shared::api::{Listed, Paged, Paging, allow};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::extract::State;
use domain::policy::Action;
use domain::question_bank::{BUILT_IN, Category};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BankQuestionOut {
    /// The company's own question's id; absent for a built-in one.
    id: Option<i64>,
    /// `meaning`, `values`, … (the bank's categories).
    category: String,
    ja: String,
    /// Empty when the company gave no English wording.
    en: String,
}

/// The question bank, category by category: built-in questions first, then the
/// company's own.
#[utoipa::path(get, path = "/api/v1/questions", tag = "dialogues", params(Paging),
    responses((status = 200, body = [BankQuestionOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<BankQuestionOut>, ApiError> {
    paging.only(&[])?;
    allow(&auth, Action::BrowseQuestionBank)?;
    let own = state.store.tenant_questions(auth.actor.tenant_id).await?;
    let mut out = Vec::new();
    for c in Category::ALL {
        out.extend(
            BUILT_IN
                .iter()
                .filter(|b| b.category == c)
                .map(|b| BankQuestionOut {
                    id: None,
                    category: c.key().into(),
                    ja: b.ja.into(),
                    en: b.en.into(),
                }),
        );
        out.extend(
            own.iter()
                .filter(|q| q.category == c)
                .map(|q| BankQuestionOut {
                    id: Some(q.id),
                    category: c.key().into(),
                    ja: q.text_ja.clone(),
                    en: q.text_en.clone(),
                }),
        );
    }
    Ok(paging.of(out))
}
