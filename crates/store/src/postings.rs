//! 社内公募 storage: postings, saves, applications and each stage's outcome
//! (`domain::posting`). Who may see or do what is `domain::policy::application_view` and
//! its neighbours, applied in `app::postings`; this module stores what they allowed,
//! scoped by tenant. A posting's text is published to every employee and kept in clear;
//! the motivation and the reasons given are the applicant's and the hiring side's words
//! about one person, sealed like notes.

use crate::schema::{
    Departments, People, PostingApplications, PostingColumns, PostingOutcomes, PostingSaves,
    Postings, Tenants, Users,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::posting::{Eligibility, Posting, Progress};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};

/// A posting as stored, with its department's and hiring manager's names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredPosting {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub hiring_manager: UserId,
    pub hiring_manager_name: String,
    pub posting: Posting,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Taken down before its close date: no new applications.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl StoredPosting {
    /// Open to applications on `today`.
    pub fn accepts(&self, today: NaiveDate) -> bool {
        self.withdrawn_at.is_none() && self.posting.is_open(today)
    }
}

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    department_id: i64,
    department_name: String,
    hiring_manager_user_id: i64,
    hiring_manager_name: String,
    title: String,
    grades: String,
    work: String,
    required: String,
    welcome: String,
    criteria: String,
    headcount: i64,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    stages: String,
    reveal_at: i64,
    created_by_user_id: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
}

impl From<PostingRow> for StoredPosting {
    fn from(r: PostingRow) -> Self {
        let split = |s: &str, sep: char| -> Vec<String> {
            s.split(sep)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        StoredPosting {
            id: r.id,
            department_id: r.department_id,
            department_name: r.department_name,
            hiring_manager: UserId(r.hiring_manager_user_id),
            hiring_manager_name: r.hiring_manager_name,
            posting: Posting {
                title: r.title,
                grades: split(&r.grades, '\n'),
                work: r.work,
                required: r.required,
                welcome: r.welcome,
                criteria: r.criteria,
                headcount: r.headcount.clamp(0, i64::from(u32::MAX)) as u32,
                opens_on: r.opens_on,
                closes_on: r.closes_on,
                stages: split(&r.stages, '\n'),
                reveal_at: usize::try_from(r.reveal_at).unwrap_or(0),
            },
            created_by: UserId(r.created_by_user_id),
            created_at: r.created_at,
            updated_at: r.updated_at,
            withdrawn_at: r.withdrawn_at,
        }
    }
}

fn select_postings(tenant: TenantId) -> SelectStatement {
    let p = Postings::Table;
    Query::select()
        .columns([
            (p, Postings::Id),
            (p, Postings::DepartmentId),
            (p, Postings::HiringManagerUserId),
            (p, Postings::Title),
            (p, Postings::Grades),
            (p, Postings::Work),
            (p, Postings::Required),
            (p, Postings::Welcome),
            (p, Postings::Criteria),
            (p, Postings::Headcount),
            (p, Postings::OpensOn),
            (p, Postings::ClosesOn),
            (p, Postings::Stages),
            (p, Postings::RevealAt),
            (p, Postings::CreatedByUserId),
            (p, Postings::CreatedAt),
            (p, Postings::UpdatedAt),
            (p, Postings::WithdrawnAt),
        ])
        .expr_as(
            Expr::col((Departments::Table, Departments::Name)),
            Alias::new("department_name"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("hiring_manager_name"),
        )
        .from(p)
        .inner_join(
            Departments::Table,
            Expr::col((Departments::Table, Departments::Id)).equals((p, Postings::DepartmentId)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((p, Postings::HiringManagerUserId)),
        )
        .and_where(Expr::col((p, Postings::TenantId)).eq(tenant.0))
        .to_owned()
}

/// The columns a posting's text sets (on insert and on edit).
fn posting_values(p: &Posting) -> Vec<(Postings, sea_query::Expr)> {
    vec![
        (Postings::Title, p.title.clone().into()),
        (Postings::Grades, p.grades.join("\n").into()),
        (Postings::Work, p.work.clone().into()),
        (Postings::Required, p.required.clone().into()),
        (Postings::Welcome, p.welcome.clone().into()),
        (Postings::Criteria, p.criteria.clone().into()),
        (Postings::Headcount, i64::from(p.headcount).into()),
        (Postings::OpensOn, p.opens_on.into()),
        (Postings::ClosesOn, p.closes_on.into()),
        (Postings::Stages, p.stages.join("\n").into()),
        (Postings::RevealAt, (p.reveal_at as i64).into()),
    ]
}

/// An application as stored, the motivation opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub posting_id: i64,
    pub person: PersonId,
    pub person_name: String,
    pub employee_number: String,
    /// The applicant's department today.
    pub department_name: String,
    pub motivation: String,
    pub progress: Progress,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    posting_id: i64,
    person_id: i64,
    person_name: String,
    employee_number: String,
    department_name: Option<String>,
    motivation: String,
    status: String,
    stage: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// One recorded outcome of a stage (or the applicant's withdrawal), the reason opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageOutcome {
    pub stage: usize,
    /// `passed`, `not_selected` or `withdrawn`.
    pub outcome: String,
    pub reason: String,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct OutcomeRow {
    stage: i64,
    outcome: String,
    reason: String,
    recorded_by_name: Option<String>,
    recorded_at: DateTime<Utc>,
}

/// The words about one applicant are bound to them.
fn aad(tenant: TenantId, person: i64) -> String {
    format!("{}:application:{person}", tenant.0)
}

/// Progress as two columns: its status key and its stage.
pub fn progress_columns(p: Progress) -> (&'static str, i64) {
    match p {
        Progress::InStage { stage } => ("in_stage", stage as i64),
        Progress::Offered => ("offered", -1),
        Progress::NotSelected { stage } => ("not_selected", stage as i64),
        Progress::Withdrawn { stage } => ("withdrawn", stage as i64),
    }
}

fn progress_of(status: &str, stage: i64) -> Option<Progress> {
    let stage = usize::try_from(stage).ok();
    Some(match status {
        "offered" => Progress::Offered,
        "in_stage" => Progress::InStage { stage: stage? },
        "not_selected" => Progress::NotSelected { stage: stage? },
        "withdrawn" => Progress::Withdrawn { stage: stage? },
        _ => return None,
    })
}

fn select_applications(tenant: TenantId) -> SelectStatement {
    let a = PostingApplications::Table;
    Query::select()
        .columns([
            (a, PostingApplications::Id),
            (a, PostingApplications::PostingId),
            (a, PostingApplications::PersonId),
            (a, PostingApplications::Motivation),
            (a, PostingApplications::Status),
            (a, PostingApplications::Stage),
            (a, PostingApplications::CreatedAt),
            (a, PostingApplications::UpdatedAt),
        ])
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("person_name"),
        )
        .expr_as(
            Expr::col((People::Table, People::EmployeeNumber)),
            Alias::new("employee_number"),
        )
        .expr_as(
            Expr::col((Departments::Table, Departments::Name)),
            Alias::new("department_name"),
        )
        .from(a)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((a, PostingApplications::PersonId)),
        )
        .left_join(
            Departments::Table,
            Expr::col((Departments::Table, Departments::Id))
                .equals((People::Table, People::DepartmentId)),
        )
        .and_where(Expr::col((a, PostingApplications::TenantId)).eq(tenant.0))
        .order_by((a, PostingApplications::Id), Order::Asc)
        .to_owned()
}

impl Store {
    /// Publishes a posting (the policy has said yes); its id.
    pub async fn add_posting(
        &self,
        tenant: TenantId,
        posting: &Posting,
        department: i64,
        hiring_manager: UserId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut values = posting_values(posting);
        values.extend([
            (Postings::TenantId, tenant.0.into()),
            (Postings::DepartmentId, department.into()),
            (Postings::HiringManagerUserId, hiring_manager.0.into()),
            (Postings::CreatedByUserId, by.0.into()),
            (Postings::CreatedAt, now.into()),
            (Postings::UpdatedAt, now.into()),
        ]);
        let (columns, exprs): (Vec<_>, Vec<_>) = values.into_iter().unzip();
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Postings::Table)
                    .columns(columns)
                    .values_panic(exprs)
                    .returning_col(Postings::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Replaces a posting's text, department and hiring manager; false when there is no
    /// such posting.
    pub async fn update_posting(
        &self,
        tenant: TenantId,
        id: i64,
        posting: &Posting,
        department: i64,
        hiring_manager: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut values = posting_values(posting);
        values.extend([
            (Postings::DepartmentId, department.into()),
            (Postings::HiringManagerUserId, hiring_manager.0.into()),
            (Postings::UpdatedAt, now.into()),
        ]);
        let n = self
            .execute(
                &Query::update()
                    .table(Postings::Table)
                    .values(values)
                    .and_where(Expr::col(Postings::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Postings::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Takes a posting down before its close date; false when it was down already.
    pub async fn withdraw_posting(
        &self,
        tenant: TenantId,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Postings::Table)
                    .values([
                        (Postings::WithdrawnAt, now.into()),
                        (Postings::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(Postings::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Postings::Id).eq(id))
                    .and_where(Expr::col(Postings::WithdrawnAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn posting(&self, tenant: TenantId, id: i64) -> Result<Option<StoredPosting>> {
        let mut s = select_postings(tenant);
        s.and_where(Expr::col((Postings::Table, Postings::Id)).eq(id));
        let row: Option<PostingRow> = self.fetch_optional(&s).await?;
        Ok(row.map(StoredPosting::from))
    }

    /// Every posting of the tenant, the latest to close first.
    pub async fn postings(&self, tenant: TenantId) -> Result<Vec<StoredPosting>> {
        let mut s = select_postings(tenant);
        s.order_by((Postings::Table, Postings::ClosesOn), Order::Desc)
            .order_by((Postings::Table, Postings::Id), Order::Desc);
        let rows: Vec<PostingRow> = self.fetch_all(&s).await?;
        Ok(rows.into_iter().map(StoredPosting::from).collect())
    }

    /// Saves (気になる) or unsaves a posting for a person.
    pub async fn set_posting_saved(
        &self,
        tenant: TenantId,
        posting: i64,
        person: PersonId,
        saved: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if saved {
            self.execute(
                &Query::insert()
                    .into_table(PostingSaves::Table)
                    .columns([
                        PostingSaves::TenantId,
                        PostingSaves::PostingId,
                        PostingSaves::PersonId,
                        PostingSaves::SavedAt,
                    ])
                    .values_panic([tenant.0.into(), posting.into(), person.0.into(), now.into()])
                    .on_conflict(
                        OnConflict::columns([PostingSaves::PostingId, PostingSaves::PersonId])
                            .do_nothing()
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        } else {
            self.execute(
                &Query::delete()
                    .from_table(PostingSaves::Table)
                    .and_where(Expr::col(PostingSaves::TenantId).eq(tenant.0))
                    .and_where(Expr::col(PostingSaves::PostingId).eq(posting))
                    .and_where(Expr::col(PostingSaves::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    /// The postings a person saved.
    pub async fn saved_postings(&self, tenant: TenantId, person: PersonId) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .column(PostingSaves::PostingId)
                    .from(PostingSaves::Table)
                    .and_where(Expr::col(PostingSaves::TenantId).eq(tenant.0))
                    .and_where(Expr::col(PostingSaves::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }

    /// Records an application (the checks have passed); None when the person applied to
    /// this posting already (two submissions at once included).
    pub async fn add_application(
        &self,
        tenant: TenantId,
        posting: i64,
        person: PersonId,
        motivation: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let (status, stage) = progress_columns(Progress::START);
        let sealed = self.keys.seal(&aad(tenant, person.0), motivation)?;
        let r: Result<(i64,)> = self
            .fetch_one(
                &Query::insert()
                    .into_table(PostingApplications::Table)
                    .columns([
                        PostingApplications::TenantId,
                        PostingApplications::PostingId,
                        PostingApplications::PersonId,
                        PostingApplications::Motivation,
                        PostingApplications::Status,
                        PostingApplications::Stage,
                        PostingApplications::CreatedAt,
                        PostingApplications::UpdatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        posting.into(),
                        person.0.into(),
                        sealed.into(),
                        status.into(),
                        stage.into(),
                        now.into(),
                        now.into(),
                    ])
                    .returning_col(PostingApplications::Id)
                    .to_owned(),
            )
            .await;
        match r {
            Ok((id,)) => Ok(Some(id)),
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn applications_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<Application>> {
        let rows: Vec<ApplicationRow> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| {
                let progress = progress_of(&r.status, r.stage).ok_or_else(|| {
                    StoreError::Integrity(format!("application status '{}'", r.status))
                })?;
                Ok(Application {
                    id: r.id,
                    posting_id: r.posting_id,
                    person: PersonId(r.person_id),
                    person_name: r.person_name,
                    employee_number: r.employee_number,
                    department_name: r.department_name.unwrap_or_default(),
                    motivation: self.keys.open(&aad(tenant, r.person_id), &r.motivation)?,
                    progress,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    pub async fn application(&self, tenant: TenantId, id: i64) -> Result<Option<Application>> {
        let mut s = select_applications(tenant);
        s.and_where(Expr::col((PostingApplications::Table, PostingApplications::Id)).eq(id));
        Ok(self.applications_where(tenant, s).await?.into_iter().next())
    }

    /// A posting's applications, in the order they came.
    pub async fn applications_to(
        &self,
        tenant: TenantId,
        posting: i64,
    ) -> Result<Vec<Application>> {
        let mut s = select_applications(tenant);
        s.and_where(
            Expr::col((PostingApplications::Table, PostingApplications::PostingId)).eq(posting),
        );
        self.applications_where(tenant, s).await
    }

    /// A person's applications.
    pub async fn applications_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<Application>> {
        let mut s = select_applications(tenant);
        s.and_where(
            Expr::col((PostingApplications::Table, PostingApplications::PersonId)).eq(person.0),
        );
        self.applications_where(tenant, s).await
    }

    /// Every application of the tenant (HR's export; the caller filters by the policy).
    pub async fn all_applications(&self, tenant: TenantId) -> Result<Vec<Application>> {
        self.applications_where(tenant, select_applications(tenant))
            .await
    }

    /// Moves an application from `before` to `after`, recording the outcome of `stage`
    /// with its reason, in one transaction. False when the application is no longer at
    /// `before` (recorded by someone else meanwhile): nothing is written.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_application_stage(
        &self,
        tenant: TenantId,
        application: &Application,
        (before, after): (Progress, Progress),
        (stage, outcome): (usize, &str),
        reason: &str,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let (from_status, from_stage) = progress_columns(before);
        let (to_status, to_stage) = progress_columns(after);
        let sealed = self.keys.seal(&aad(tenant, application.person.0), reason)?;
        let mut tx = self.begin().await?;
        let n = tx
            .execute(
                &Query::update()
                    .table(PostingApplications::Table)
                    .values([
                        (PostingApplications::Status, to_status.into()),
                        (PostingApplications::Stage, to_stage.into()),
                        (PostingApplications::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(PostingApplications::TenantId).eq(tenant.0))
                    .and_where(Expr::col(PostingApplications::Id).eq(application.id))
                    .and_where(Expr::col(PostingApplications::Status).eq(from_status))
                    .and_where(Expr::col(PostingApplications::Stage).eq(from_stage))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        tx.execute(
            &Query::insert()
                .into_table(PostingOutcomes::Table)
                .columns([
                    PostingOutcomes::TenantId,
                    PostingOutcomes::ApplicationId,
                    PostingOutcomes::Stage,
                    PostingOutcomes::Outcome,
                    PostingOutcomes::Reason,
                    PostingOutcomes::RecordedByUserId,
                    PostingOutcomes::RecordedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    application.id.into(),
                    (stage as i64).into(),
                    outcome.into(),
                    sealed.into(),
                    by.map(|u| u.0).into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An application's recorded outcomes, in order.
    pub async fn application_outcomes(
        &self,
        tenant: TenantId,
        application: &Application,
    ) -> Result<Vec<StageOutcome>> {
        let o = PostingOutcomes::Table;
        let rows: Vec<OutcomeRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (o, PostingOutcomes::Stage),
                        (o, PostingOutcomes::Outcome),
                        (o, PostingOutcomes::Reason),
                        (o, PostingOutcomes::RecordedAt),
                    ])
                    .expr_as(
                        Expr::col((Users::Table, Users::Name)),
                        Alias::new("recorded_by_name"),
                    )
                    .from(o)
                    .left_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((o, PostingOutcomes::RecordedByUserId)),
                    )
                    .and_where(Expr::col((o, PostingOutcomes::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((o, PostingOutcomes::ApplicationId)).eq(application.id))
                    .order_by((o, PostingOutcomes::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        let a = aad(tenant, application.person.0);
        rows.into_iter()
            .map(|r| {
                Ok(StageOutcome {
                    stage: usize::try_from(r.stage).unwrap_or(0),
                    outcome: r.outcome,
                    reason: self.keys.open(&a, &r.reason)?,
                    recorded_by_name: r.recorded_by_name,
                    recorded_at: r.recorded_at,
                })
            })
            .collect()
    }

    /// Since when a person is in their current department: the day an import moved them
    /// there, else their hire date; None when neither is known.
    pub async fn in_department_since(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Option<NaiveDate>> {
        let row: Option<(Option<NaiveDate>, Option<NaiveDate>)> = self
            .fetch_optional(
                &Query::select()
                    .column(People::DepartmentSince)
                    .column(People::HireDate)
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Id).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.and_then(|(since, hired)| since.or(hired)))
    }

    /// A department's id by its code.
    pub async fn department_by_code(&self, tenant: TenantId, code: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Departments::Id)
                    .from(Departments::Table)
                    .and_where(Expr::col(Departments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Departments::Code).eq(code))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// The company's eligibility rule for applying to postings.
    pub async fn posting_eligibility(&self, tenant: TenantId) -> Result<Eligibility> {
        let (months,): (Option<i64>,) = self
            .fetch_one(
                &Query::select()
                    .column(PostingColumns::PostingMinMonths)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(match months {
            Some(m) => Eligibility {
                min_months_in_role: m.clamp(0, 600) as u32,
            },
            None => Eligibility::default(),
        })
    }

    pub async fn set_posting_eligibility(
        &self,
        tenant: TenantId,
        rules: Eligibility,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(
                    PostingColumns::PostingMinMonths,
                    i64::from(rules.min_months_in_role),
                )
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
