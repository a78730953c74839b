//! 行動計画・コミット storage. A commitment belongs to a dialogue and its subject; its texts
//! are sealed like notes. Changing a confirmed commitment writes a new version (the old
//! one is kept, marked replaced) that needs confirming again; an unconfirmed one is
//! changed in place. Whether it counts is `domain::commitment::counts`.

use crate::schema::Commitments;
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::commitment::{Check, Content, Input, Status};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

/// A commitment, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Commitment {
    pub id: i64,
    pub dialogue_id: i64,
    pub subject: PersonId,
    pub version: i64,
    pub content: Content,
    pub starts_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub objective: bool,
    pub has_start: bool,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub status_reason: Option<String>,
}

impl Commitment {
    pub fn counts(&self) -> bool {
        domain::commitment::counts(self.objective, self.has_start, self.confirmed_at.is_some())
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    tenant_id: i64,
    dialogue_id: i64,
    subject_person_id: i64,
    version: i64,
    content: String,
    starts_on: NaiveDate,
    due_on: Option<NaiveDate>,
    objective: bool,
    has_start: bool,
    recorded_by_user_id: i64,
    recorded_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    status: String,
    status_reason: Option<String>,
}

fn aad(tenant: i64, dialogue: i64) -> String {
    format!("{tenant}:{dialogue}")
}

fn select(tenant: TenantId) -> SelectStatement {
    Query::select()
        .columns([
            Commitments::Id,
            Commitments::TenantId,
            Commitments::DialogueId,
            Commitments::SubjectPersonId,
            Commitments::Version,
            Commitments::Content,
            Commitments::StartsOn,
            Commitments::DueOn,
            Commitments::Objective,
            Commitments::HasStart,
            Commitments::RecordedByUserId,
            Commitments::RecordedAt,
            Commitments::ConfirmedAt,
            Commitments::Status,
            Commitments::StatusReason,
        ])
        .from(Commitments::Table)
        .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
        .and_where(Expr::col(Commitments::Replaced).eq(false))
        .to_owned()
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq)]
pub enum CommitmentEdit {
    /// Changed in place (it was not confirmed yet).
    Changed,
    /// It was confirmed: a new version was written and needs confirming again.
    NewVersion { id: i64 },
}

impl Store {
    fn open_commitment(&self, r: Row) -> Result<Commitment> {
        let json = self
            .keys
            .open(&aad(r.tenant_id, r.dialogue_id), &r.content)?;
        Ok(Commitment {
            id: r.id,
            dialogue_id: r.dialogue_id,
            subject: PersonId(r.subject_person_id),
            version: r.version,
            content: serde_json::from_str(&json)
                .map_err(|e| StoreError::Integrity(format!("commitment: {e}")))?,
            starts_on: r.starts_on,
            due_on: r.due_on,
            objective: r.objective,
            has_start: r.has_start,
            recorded_by: UserId(r.recorded_by_user_id),
            recorded_at: r.recorded_at,
            confirmed_at: r.confirmed_at,
            status: Status::parse(&r.status)
                .ok_or_else(|| StoreError::Integrity(format!("status '{}'", r.status)))?,
            status_reason: r
                .status_reason
                .map(|s| self.keys.open(&aad(r.tenant_id, r.dialogue_id), &s))
                .transpose()?,
        })
    }

    pub(crate) fn seal_content(
        &self,
        tenant: TenantId,
        dialogue: i64,
        c: &Content,
    ) -> Result<String> {
        let json = serde_json::to_string(c)
            .map_err(|e| StoreError::Integrity(format!("commitment: {e}")))?;
        self.keys.seal(&aad(tenant.0, dialogue), &json)
    }

    /// Records a commitment in a dialogue, with the checks' verdict on its action.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_commitment(
        &self,
        tenant: TenantId,
        dialogue: i64,
        subject: PersonId,
        by: UserId,
        input: &Input,
        check: &Check,
    ) -> Result<i64> {
        let sealed = self.seal_content(tenant, dialogue, &input.content)?;
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Commitments::Table)
                    .columns([
                        Commitments::TenantId,
                        Commitments::DialogueId,
                        Commitments::SubjectPersonId,
                        Commitments::Version,
                        Commitments::Content,
                        Commitments::StartsOn,
                        Commitments::DueOn,
                        Commitments::Objective,
                        Commitments::HasStart,
                        Commitments::RecordedByUserId,
                        Commitments::RecordedAt,
                        Commitments::Status,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        dialogue.into(),
                        subject.0.into(),
                        1i64.into(),
                        sealed.into(),
                        input.starts_on.into(),
                        input.due_on.into(),
                        check.objective.into(),
                        check.has_start.into(),
                        by.0.into(),
                        Utc::now().into(),
                        Status::NotStarted.key().into(),
                    ])
                    .returning_col(Commitments::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Changes a commitment: in place while unconfirmed; once confirmed, as a new version
    /// that must be confirmed again (the confirmed wording is kept, marked replaced).
    pub async fn edit_commitment(
        &self,
        tenant: TenantId,
        id: i64,
        by: UserId,
        input: &Input,
        check: &Check,
    ) -> Result<CommitmentEdit> {
        let mut tx = self.begin().await?;
        let row: Row = tx
            .fetch_optional(
                &select(tenant)
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let sealed = self.seal_content(tenant, row.dialogue_id, &input.content)?;
        if row.confirmed_at.is_none() {
            tx.execute(
                &Query::update()
                    .table(Commitments::Table)
                    .value(Commitments::Content, sealed)
                    .value(Commitments::StartsOn, input.starts_on)
                    .value(Commitments::DueOn, input.due_on)
                    .value(Commitments::Objective, check.objective)
                    .value(Commitments::HasStart, check.has_start)
                    .value(Commitments::RecordedByUserId, by.0)
                    .value(Commitments::RecordedAt, Utc::now())
                    .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .to_owned(),
            )
            .await?;
            tx.commit().await?;
            return Ok(CommitmentEdit::Changed);
        }
        tx.execute(
            &Query::update()
                .table(Commitments::Table)
                .value(Commitments::Replaced, true)
                .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                .and_where(Expr::col(Commitments::Id).eq(id))
                .to_owned(),
        )
        .await?;
        let (new_id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(Commitments::Table)
                    .columns([
                        Commitments::TenantId,
                        Commitments::DialogueId,
                        Commitments::SubjectPersonId,
                        Commitments::Version,
                        Commitments::SupersedesId,
                        Commitments::Content,
                        Commitments::StartsOn,
                        Commitments::DueOn,
                        Commitments::Objective,
                        Commitments::HasStart,
                        Commitments::RecordedByUserId,
                        Commitments::RecordedAt,
                        Commitments::Status,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        row.dialogue_id.into(),
                        row.subject_person_id.into(),
                        (row.version + 1).into(),
                        id.into(),
                        sealed.into(),
                        input.starts_on.into(),
                        input.due_on.into(),
                        check.objective.into(),
                        check.has_start.into(),
                        by.0.into(),
                        Utc::now().into(),
                        row.status.into(),
                    ])
                    .returning_col(Commitments::Id)
                    .to_owned(),
            )
            .await?;
        tx.commit().await?;
        Ok(CommitmentEdit::NewVersion { id: new_id })
    }

    /// The employee confirms a commitment about them in their own words. False when it
    /// was replaced or confirmed meanwhile: nothing changes.
    pub async fn confirm_commitment(
        &self,
        tenant: TenantId,
        id: i64,
        subject: PersonId,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Commitments::Table)
                    .value(Commitments::ConfirmedAt, Utc::now())
                    .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .and_where(Expr::col(Commitments::SubjectPersonId).eq(subject.0))
                    .and_where(Expr::col(Commitments::Replaced).eq(false))
                    .and_where(Expr::col(Commitments::ConfirmedAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Records where a commitment stands (follow-up), with the reason when stopped.
    pub async fn set_commitment_status(
        &self,
        tenant: TenantId,
        id: i64,
        status: Status,
        reason: &str,
    ) -> Result<bool> {
        let Some(c) = self.commitment(tenant, id).await? else {
            return Ok(false);
        };
        let sealed = if reason.is_empty() {
            None
        } else {
            Some(self.keys.seal(&aad(tenant.0, c.dialogue_id), reason)?)
        };
        let n = self
            .execute(
                &Query::update()
                    .table(Commitments::Table)
                    .value(Commitments::Status, status.key())
                    .value(Commitments::StatusReason, sealed)
                    .value(Commitments::StatusAt, Utc::now())
                    .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .and_where(Expr::col(Commitments::Replaced).eq(false))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// The current commitments a query selects, opened, oldest first.
    async fn commitments_where(&self, mut q: SelectStatement) -> Result<Vec<Commitment>> {
        let rows: Vec<Row> = self
            .fetch_all(&q.order_by(Commitments::Id, Order::Asc).to_owned())
            .await?;
        rows.into_iter().map(|r| self.open_commitment(r)).collect()
    }

    pub async fn commitment(&self, tenant: TenantId, id: i64) -> Result<Option<Commitment>> {
        let row: Option<Row> = self
            .fetch_optional(
                &select(tenant)
                    .and_where(Expr::col(Commitments::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        row.map(|r| self.open_commitment(r)).transpose()
    }

    /// The current commitments of a dialogue, oldest first.
    pub async fn commitments_of(&self, tenant: TenantId, dialogue: i64) -> Result<Vec<Commitment>> {
        self.commitments_where(
            select(tenant)
                .and_where(Expr::col(Commitments::DialogueId).eq(dialogue))
                .to_owned(),
        )
        .await
    }

    /// The current commitments recorded in dialogues someone facilitates, oldest first.
    pub async fn commitments_recorded_by_facilitator(
        &self,
        tenant: TenantId,
        facilitator: UserId,
    ) -> Result<Vec<Commitment>> {
        use crate::schema::Dialogues;
        self.commitments_where(
            select(tenant)
                .and_where(
                    Expr::col(Commitments::DialogueId).in_subquery(
                        Query::select()
                            .column(Dialogues::Id)
                            .from(Dialogues::Table)
                            .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                            .and_where(Expr::col(Dialogues::FacilitatorUserId).eq(facilitator.0))
                            .to_owned(),
                    ),
                )
                .to_owned(),
        )
        .await
    }

    /// A person's current commitments, oldest first.
    pub async fn commitments_about(
        &self,
        tenant: TenantId,
        subject: PersonId,
    ) -> Result<Vec<Commitment>> {
        self.commitments_where(
            select(tenant)
                .and_where(Expr::col(Commitments::SubjectPersonId).eq(subject.0))
                .to_owned(),
        )
        .await
    }
}
