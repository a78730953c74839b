//! 副業・兼業 storage: applications, HR's decisions and the report back
//! (`domain::side_job`), and the company's rules. Who sees an application is
//! `domain::policy::may_see_side_job` (the applicant and HR), applied in
//! `app::side_jobs`. What the work is and for whom, HR's reasons and the report back are
//! one person's affairs: sealed like notes.

use crate::schema::{People, SideJobColumns, SideJobs, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::side_job::{Rules, SideJob, Status};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};

/// An application as stored, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredSideJob {
    pub id: i64,
    pub person: PersonId,
    pub person_name: String,
    pub job: SideJob,
    pub status: Status,
    /// HR's reason (asking for changes, refusing; may accompany an approval).
    pub reason: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What they learned that helps at work, after the period.
    pub report: String,
    pub reported_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    person_id: i64,
    person_name: String,
    field: String,
    client: String,
    work: String,
    hours_per_month: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    status: String,
    reason: String,
    decided_by_name: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    report: String,
    reported_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

fn aad(tenant: TenantId, person: i64) -> String {
    format!("{}:side_job:{person}", tenant.0)
}

fn select(tenant: TenantId) -> SelectStatement {
    let s = SideJobs::Table;
    Query::select()
        .columns([
            (s, SideJobs::Id),
            (s, SideJobs::PersonId),
            (s, SideJobs::Field),
            (s, SideJobs::Client),
            (s, SideJobs::Work),
            (s, SideJobs::HoursPerMonth),
            (s, SideJobs::StartsOn),
            (s, SideJobs::EndsOn),
            (s, SideJobs::Status),
            (s, SideJobs::Reason),
            (s, SideJobs::DecidedAt),
            (s, SideJobs::Report),
            (s, SideJobs::ReportedAt),
            (s, SideJobs::CreatedAt),
        ])
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("person_name"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("decided_by_name"),
        )
        .from(s)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((s, SideJobs::PersonId)),
        )
        .left_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((s, SideJobs::DecidedByUserId)),
        )
        .and_where(Expr::col((s, SideJobs::TenantId)).eq(tenant.0))
        .order_by((s, SideJobs::Id), Order::Desc)
        .to_owned()
}

impl Store {
    async fn side_jobs_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<StoredSideJob>> {
        let rows: Vec<Row> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| {
                let a = aad(tenant, r.person_id);
                Ok(StoredSideJob {
                    id: r.id,
                    person: PersonId(r.person_id),
                    person_name: r.person_name,
                    job: SideJob {
                        field: self.keys.open(&a, &r.field)?,
                        client: self.keys.open(&a, &r.client)?,
                        work: self.keys.open(&a, &r.work)?,
                        hours_per_month: u32::try_from(r.hours_per_month).unwrap_or(0),
                        starts_on: r.starts_on,
                        ends_on: r.ends_on,
                    },
                    status: Status::parse(&r.status).ok_or_else(|| {
                        StoreError::Integrity(format!("side job status '{}'", r.status))
                    })?,
                    reason: self.keys.open(&a, &r.reason)?,
                    decided_by_name: r.decided_by_name,
                    decided_at: r.decided_at,
                    report: self.keys.open(&a, &r.report)?,
                    reported_at: r.reported_at,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// Records an application (the checks have passed), submitted.
    pub async fn add_side_job(
        &self,
        tenant: TenantId,
        person: PersonId,
        job: &SideJob,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let a = aad(tenant, person.0);
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(SideJobs::Table)
                    .columns([
                        SideJobs::TenantId,
                        SideJobs::PersonId,
                        SideJobs::Field,
                        SideJobs::Client,
                        SideJobs::Work,
                        SideJobs::HoursPerMonth,
                        SideJobs::StartsOn,
                        SideJobs::EndsOn,
                        SideJobs::PledgedAt,
                        SideJobs::Status,
                        SideJobs::Reason,
                        SideJobs::Report,
                        SideJobs::CreatedAt,
                        SideJobs::UpdatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        self.keys.seal(&a, &job.field)?.into(),
                        self.keys.seal(&a, &job.client)?.into(),
                        self.keys.seal(&a, &job.work)?.into(),
                        i64::from(job.hours_per_month).into(),
                        job.starts_on.into(),
                        job.ends_on.into(),
                        now.into(),
                        Status::Submitted.key().into(),
                        self.keys.seal(&a, "")?.into(),
                        self.keys.seal(&a, "")?.into(),
                        now.into(),
                        now.into(),
                    ])
                    .returning_col(SideJobs::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    pub async fn side_job(&self, tenant: TenantId, id: i64) -> Result<Option<StoredSideJob>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((SideJobs::Table, SideJobs::Id)).eq(id));
        Ok(self.side_jobs_where(tenant, s).await?.into_iter().next())
    }

    /// A person's applications, the latest first.
    pub async fn side_jobs_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<StoredSideJob>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((SideJobs::Table, SideJobs::PersonId)).eq(person.0));
        self.side_jobs_where(tenant, s).await
    }

    /// Every application of the tenant, the latest first (HR; the caller checks).
    pub async fn side_jobs(&self, tenant: TenantId) -> Result<Vec<StoredSideJob>> {
        self.side_jobs_where(tenant, select(tenant)).await
    }

    /// The applicant resubmits after HR asked for changes (or while it waits): the new
    /// text, submitted again. False when it was decided meanwhile.
    pub async fn resubmit_side_job(
        &self,
        tenant: TenantId,
        current: &StoredSideJob,
        job: &SideJob,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = aad(tenant, current.person.0);
        let n = self
            .execute(
                &Query::update()
                    .table(SideJobs::Table)
                    .values([
                        (SideJobs::Field, self.keys.seal(&a, &job.field)?.into()),
                        (SideJobs::Client, self.keys.seal(&a, &job.client)?.into()),
                        (SideJobs::Work, self.keys.seal(&a, &job.work)?.into()),
                        (
                            SideJobs::HoursPerMonth,
                            i64::from(job.hours_per_month).into(),
                        ),
                        (SideJobs::StartsOn, job.starts_on.into()),
                        (SideJobs::EndsOn, job.ends_on.into()),
                        (SideJobs::PledgedAt, now.into()),
                        (SideJobs::Status, Status::Submitted.key().into()),
                        (SideJobs::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(SideJobs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SideJobs::Id).eq(current.id))
                    .and_where(Expr::col(SideJobs::Status).eq(current.status.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Moves an application from `from` to `to` with HR's reason (or the applicant's
    /// withdrawal); false when it was no longer at `from`.
    pub async fn set_side_job_status(
        &self,
        tenant: TenantId,
        current: &StoredSideJob,
        to: Status,
        reason: &str,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = aad(tenant, current.person.0);
        let n = self
            .execute(
                &Query::update()
                    .table(SideJobs::Table)
                    .values([
                        (SideJobs::Status, to.key().into()),
                        (SideJobs::Reason, self.keys.seal(&a, reason)?.into()),
                        (SideJobs::DecidedByUserId, by.map(|u| u.0).into()),
                        (SideJobs::DecidedAt, now.into()),
                        (SideJobs::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(SideJobs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SideJobs::Id).eq(current.id))
                    .and_where(Expr::col(SideJobs::Status).eq(current.status.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// The report back after the period; false when one was written already.
    pub async fn report_side_job(
        &self,
        tenant: TenantId,
        current: &StoredSideJob,
        report: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = aad(tenant, current.person.0);
        let n = self
            .execute(
                &Query::update()
                    .table(SideJobs::Table)
                    .values([
                        (SideJobs::Report, self.keys.seal(&a, report)?.into()),
                        (SideJobs::ReportedAt, now.into()),
                        (SideJobs::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(SideJobs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SideJobs::Id).eq(current.id))
                    .and_where(Expr::col(SideJobs::ReportedAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// The company's side-job rules (the defaults until HR sets them).
    pub async fn side_job_rules(&self, tenant: TenantId) -> Result<Rules> {
        self.tenant_json(tenant, SideJobColumns::SideJobRules, "side job rules")
            .await
    }

    pub async fn set_side_job_rules(&self, tenant: TenantId, rules: &Rules) -> Result<()> {
        self.set_tenant_json(tenant, SideJobColumns::SideJobRules, rules)
            .await
    }
}
