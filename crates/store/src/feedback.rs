//! 面談所感 storage: one report per consultant dialogue. A draft changes freely; sending
//! is a single guarded update, so a report goes once; the manager acknowledges it and
//! records the support they gave. Who may send or read is `domain::policy`.

use crate::schema::FeedbackReports;
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::feedback::Parts;
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};

/// A report, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub id: i64,
    pub dialogue_id: i64,
    pub subject: PersonId,
    pub author: UserId,
    pub parts: Parts,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub addressed_to: Option<PersonId>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub support: Option<String>,
    pub support_at: Option<DateTime<Utc>>,
    /// The employee withdrew consent after it was sent: the manager no longer reads it.
    pub retracted_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    tenant_id: i64,
    dialogue_id: i64,
    subject_person_id: i64,
    author_user_id: i64,
    content: String,
    updated_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    addressed_to_person_id: Option<i64>,
    acknowledged_at: Option<DateTime<Utc>>,
    support: Option<String>,
    support_at: Option<DateTime<Utc>>,
    retracted_at: Option<DateTime<Utc>>,
}

fn aad(tenant: i64, dialogue: i64) -> String {
    format!("{tenant}:{dialogue}")
}

fn select(tenant: TenantId) -> SelectStatement {
    Query::select()
        .columns([
            FeedbackReports::Id,
            FeedbackReports::TenantId,
            FeedbackReports::DialogueId,
            FeedbackReports::SubjectPersonId,
            FeedbackReports::AuthorUserId,
            FeedbackReports::Content,
            FeedbackReports::UpdatedAt,
            FeedbackReports::SentAt,
            FeedbackReports::AddressedToPersonId,
            FeedbackReports::AcknowledgedAt,
            FeedbackReports::Support,
            FeedbackReports::SupportAt,
            FeedbackReports::RetractedAt,
        ])
        .from(FeedbackReports::Table)
        .and_where(Expr::col(FeedbackReports::TenantId).eq(tenant.0))
        .to_owned()
}

impl Store {
    fn open_report(&self, r: Row) -> Result<Report> {
        let a = aad(r.tenant_id, r.dialogue_id);
        Ok(Report {
            id: r.id,
            dialogue_id: r.dialogue_id,
            subject: PersonId(r.subject_person_id),
            author: UserId(r.author_user_id),
            parts: serde_json::from_str(&self.keys.open(&a, &r.content)?)
                .map_err(|e| StoreError::Integrity(format!("report: {e}")))?,
            updated_at: r.updated_at,
            sent_at: r.sent_at,
            addressed_to: r.addressed_to_person_id.map(PersonId),
            acknowledged_at: r.acknowledged_at,
            support: r.support.map(|s| self.keys.open(&a, &s)).transpose()?,
            support_at: r.support_at,
            retracted_at: r.retracted_at,
        })
    }

    async fn one_report(&self, q: SelectStatement) -> Result<Option<Report>> {
        let row: Option<Row> = self.fetch_optional(&q).await?;
        row.map(|r| self.open_report(r)).transpose()
    }

    pub async fn report_of_dialogue(
        &self,
        tenant: TenantId,
        dialogue: i64,
    ) -> Result<Option<Report>> {
        self.one_report(
            select(tenant)
                .and_where(Expr::col(FeedbackReports::DialogueId).eq(dialogue))
                .to_owned(),
        )
        .await
    }

    pub async fn report(&self, tenant: TenantId, id: i64) -> Result<Option<Report>> {
        self.one_report(
            select(tenant)
                .and_where(Expr::col(FeedbackReports::Id).eq(id))
                .to_owned(),
        )
        .await
    }

    /// Saves the draft of a dialogue's report. False when it was sent already: a sent
    /// report never changes.
    pub async fn save_report_draft(
        &self,
        tenant: TenantId,
        dialogue: i64,
        subject: PersonId,
        author: UserId,
        parts: &Parts,
    ) -> Result<bool> {
        if self
            .report_of_dialogue(tenant, dialogue)
            .await?
            .is_some_and(|r| r.sent_at.is_some())
        {
            return Ok(false);
        }
        let json = serde_json::to_string(parts)
            .map_err(|e| StoreError::Integrity(format!("report: {e}")))?;
        let sealed = self.keys.seal(&aad(tenant.0, dialogue), &json)?;
        let now = Utc::now();
        self.execute(
            &Query::insert()
                .into_table(FeedbackReports::Table)
                .columns([
                    FeedbackReports::TenantId,
                    FeedbackReports::DialogueId,
                    FeedbackReports::SubjectPersonId,
                    FeedbackReports::AuthorUserId,
                    FeedbackReports::Content,
                    FeedbackReports::CreatedAt,
                    FeedbackReports::UpdatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    dialogue.into(),
                    subject.0.into(),
                    author.0.into(),
                    sealed.into(),
                    now.into(),
                    now.into(),
                ])
                .on_conflict(
                    OnConflict::column(FeedbackReports::DialogueId)
                        .update_columns([FeedbackReports::Content, FeedbackReports::UpdatedAt])
                        .action_and_where(
                            Expr::col((FeedbackReports::Table, FeedbackReports::SentAt)).is_null(),
                        )
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        Ok(true)
    }

    /// Sends the report to the manager: once, with its notification `emails` enqueued in
    /// the same transaction (so neither happens without the other). False when it was
    /// sent already.
    pub async fn send_report(
        &self,
        tenant: TenantId,
        id: i64,
        manager: PersonId,
        emails: &[crate::jobs::NewJob],
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let n = tx
            .execute(
                &Query::update()
                    .table(FeedbackReports::Table)
                    .value(FeedbackReports::SentAt, Utc::now())
                    .value(FeedbackReports::AddressedToPersonId, manager.0)
                    .and_where(Expr::col(FeedbackReports::TenantId).eq(tenant.0))
                    .and_where(Expr::col(FeedbackReports::Id).eq(id))
                    .and_where(Expr::col(FeedbackReports::SentAt).is_null())
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        crate::jobs::insert_jobs(&mut tx, emails, Utc::now()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The reports sent to a manager, newest first.
    pub async fn reports_to(&self, tenant: TenantId, manager: PersonId) -> Result<Vec<Report>> {
        let rows: Vec<Row> = self
            .fetch_all(
                &select(tenant)
                    .and_where(Expr::col(FeedbackReports::AddressedToPersonId).eq(manager.0))
                    .and_where(Expr::col(FeedbackReports::SentAt).is_not_null())
                    .order_by(FeedbackReports::SentAt, Order::Desc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter().map(|r| self.open_report(r)).collect()
    }

    /// The sent reports about an employee, newest first: they read every one, as sent.
    pub async fn reports_about(&self, tenant: TenantId, subject: PersonId) -> Result<Vec<Report>> {
        let rows: Vec<Row> = self
            .fetch_all(
                &select(tenant)
                    .and_where(Expr::col(FeedbackReports::SubjectPersonId).eq(subject.0))
                    .and_where(Expr::col(FeedbackReports::SentAt).is_not_null())
                    .order_by(FeedbackReports::SentAt, Order::Desc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter().map(|r| self.open_report(r)).collect()
    }

    /// The manager acknowledges the report (once) and may record the support they gave.
    pub async fn acknowledge_report(
        &self,
        tenant: TenantId,
        id: i64,
        support: Option<&str>,
    ) -> Result<()> {
        let Some(r) = self.report(tenant, id).await? else {
            return Err(StoreError::NotFound);
        };
        if r.acknowledged_at.is_some() && support.is_none() {
            return Ok(());
        }
        let mut q = Query::update();
        q.table(FeedbackReports::Table)
            .and_where(Expr::col(FeedbackReports::TenantId).eq(tenant.0))
            .and_where(Expr::col(FeedbackReports::Id).eq(id))
            .and_where(Expr::col(FeedbackReports::SentAt).is_not_null());
        if r.acknowledged_at.is_none() {
            q.value(FeedbackReports::AcknowledgedAt, Utc::now());
        }
        if let Some(s) = support {
            q.value(
                FeedbackReports::Support,
                self.keys.seal(&aad(tenant.0, r.dialogue_id), s)?,
            )
            .value(FeedbackReports::SupportAt, Utc::now());
        }
        self.execute(&q).await.map(|_| ())
    }
}
