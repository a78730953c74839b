//! 相談テーマ storage: the company's own themes, and the themes tagged on each career
//! interview or consultation — keys only, never words.

use crate::schema::{ConcernThemes, DialogueConcerns, Dialogues};
use crate::{Result, Store, TenantId};
use chrono::{DateTime, Utc};
use domain::concern::CustomTheme;
use sea_query::{Expr, ExprTrait, Order, Query};

/// The dialogue kinds whose subjects count as consulted (held career interviews,
/// milestone interviews and consultations).
const CONSULTED: [&str; 3] = ["career_interview", "milestone_interview", "consultation"];

impl Store {
    /// The company's own themes, in the order they were added.
    pub async fn custom_concern_themes(&self, tenant: TenantId) -> Result<Vec<CustomTheme>> {
        let rows: Vec<(String, String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        ConcernThemes::Key,
                        ConcernThemes::LabelJa,
                        ConcernThemes::LabelEn,
                    ])
                    .from(ConcernThemes::Table)
                    .and_where(Expr::col(ConcernThemes::TenantId).eq(tenant.0))
                    .order_by(ConcernThemes::CreatedAt, Order::Asc)
                    .order_by(ConcernThemes::Key, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(key, label_ja, label_en)| CustomTheme {
                key,
                label_ja,
                label_en,
            })
            .collect())
    }

    pub async fn add_concern_theme(
        &self,
        tenant: TenantId,
        theme: &CustomTheme,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(ConcernThemes::Table)
                .columns([
                    ConcernThemes::TenantId,
                    ConcernThemes::Key,
                    ConcernThemes::LabelJa,
                    ConcernThemes::LabelEn,
                    ConcernThemes::CreatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    theme.key.as_str().into(),
                    theme.label_ja.as_str().into(),
                    theme.label_en.as_str().into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The themes tagged on a dialogue.
    pub async fn dialogue_concerns(&self, tenant: TenantId, dialogue: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column(DialogueConcerns::Theme)
                    .from(DialogueConcerns::Table)
                    .and_where(Expr::col(DialogueConcerns::TenantId).eq(tenant.0))
                    .and_where(Expr::col(DialogueConcerns::DialogueId).eq(dialogue))
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// Replaces the themes tagged on a dialogue.
    pub async fn set_dialogue_concerns(
        &self,
        tenant: TenantId,
        dialogue: i64,
        themes: &[String],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(DialogueConcerns::Table)
                .and_where(Expr::col(DialogueConcerns::TenantId).eq(tenant.0))
                .and_where(Expr::col(DialogueConcerns::DialogueId).eq(dialogue))
                .to_owned(),
        )
        .await?;
        if !themes.is_empty() {
            let mut q = Query::insert();
            q.into_table(DialogueConcerns::Table).columns([
                DialogueConcerns::TenantId,
                DialogueConcerns::DialogueId,
                DialogueConcerns::Theme,
            ]);
            for t in themes {
                q.values_panic([tenant.0.into(), dialogue.into(), t.as_str().into()]);
            }
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// (subject, theme) of every theme tagged on a held dialogue starting in
    /// `from..until`.
    pub async fn concerns_between(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(i64, String)>> {
        self.fetch_all(
            &Query::select()
                .column((Dialogues::Table, Dialogues::SubjectPersonId))
                .column((DialogueConcerns::Table, DialogueConcerns::Theme))
                .from(DialogueConcerns::Table)
                .inner_join(
                    Dialogues::Table,
                    Expr::col((Dialogues::Table, Dialogues::Id))
                        .equals((DialogueConcerns::Table, DialogueConcerns::DialogueId)),
                )
                .and_where(
                    Expr::col((DialogueConcerns::Table, DialogueConcerns::TenantId)).eq(tenant.0),
                )
                .and_where(Expr::col((Dialogues::Table, Dialogues::State)).eq("held"))
                .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).gte(from))
                .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).lt(until))
                .to_owned(),
        )
        .await
    }

    /// Held career interviews and consultations starting in `from..until`: (dialogue,
    /// subject).
    pub async fn held_consultant_sessions(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64)>> {
        self.fetch_all(
            &Query::select()
                .columns([Dialogues::Id, Dialogues::SubjectPersonId])
                .from(Dialogues::Table)
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::State).eq("held"))
                .and_where(Expr::col(Dialogues::Kind).is_in(CONSULTED))
                .and_where(Expr::col(Dialogues::StartsAt).gte(from))
                .and_where(Expr::col(Dialogues::StartsAt).lt(until))
                .order_by(Dialogues::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The subjects of held career interviews and consultations starting in
    /// `from..until` (each once).
    pub async fn consulted_between(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .distinct()
                    .column(Dialogues::SubjectPersonId)
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::State).eq("held"))
                    .and_where(Expr::col(Dialogues::Kind).is_in(CONSULTED))
                    .and_where(Expr::col(Dialogues::StartsAt).gte(from))
                    .and_where(Expr::col(Dialogues::StartsAt).lt(until))
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }
}
