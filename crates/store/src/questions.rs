//! The tenant's own questions for the question bank (質問集); the built-in ones live in
//! `domain::question_bank`.

use crate::schema::TenantQuestions;
use crate::{Result, Store, TenantId};
use chrono::Utc;
use domain::question_bank::Category;
use sea_query::{Expr, ExprTrait, Order, Query};

/// A question a tenant added.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TenantQuestion {
    pub id: i64,
    pub category: Category,
    pub text_ja: String,
    /// Empty when no English wording was given.
    pub text_en: String,
}

impl Store {
    /// The tenant's own questions, oldest first.
    pub async fn tenant_questions(&self, tenant: TenantId) -> Result<Vec<TenantQuestion>> {
        let rows: Vec<(i64, String, String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        TenantQuestions::Id,
                        TenantQuestions::Category,
                        TenantQuestions::TextJa,
                        TenantQuestions::TextEn,
                    ])
                    .from(TenantQuestions::Table)
                    .and_where(Expr::col(TenantQuestions::TenantId).eq(tenant.0))
                    .order_by(TenantQuestions::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, c, ja, en)| {
                Category::parse(&c).map(|category| TenantQuestion {
                    id,
                    category,
                    text_ja: ja,
                    text_en: en,
                })
            })
            .collect())
    }

    /// Adds a question (texts already checked with `domain::question_bank::parse_question`).
    pub async fn add_tenant_question(
        &self,
        tenant: TenantId,
        category: Category,
        text_ja: &str,
        text_en: &str,
    ) -> Result<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(TenantQuestions::Table)
                    .columns([
                        TenantQuestions::TenantId,
                        TenantQuestions::Category,
                        TenantQuestions::TextJa,
                        TenantQuestions::TextEn,
                        TenantQuestions::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        category.key().into(),
                        text_ja.into(),
                        text_en.into(),
                        Utc::now().into(),
                    ])
                    .returning_col(TenantQuestions::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Removes one of the tenant's questions; false when there was none with that id.
    pub async fn remove_tenant_question(&self, tenant: TenantId, id: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(TenantQuestions::Table)
                    .and_where(Expr::col(TenantQuestions::TenantId).eq(tenant.0))
                    .and_where(Expr::col(TenantQuestions::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }
}
