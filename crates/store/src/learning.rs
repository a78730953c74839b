//! 学ぶ storage: the course catalogue, completions with the notes on using them at work,
//! certification subsidy claims with their receipt, and the company's subsidy rules
//! (`domain::learning`). Who sees what is `domain::policy::may_see_learning` and
//! `may_see_subsidy`, applied in `app::learning`. The notes, the claimant's note and
//! HR's reasons are one person's affairs: sealed like notes.

use crate::schema::{CourseCompletions, Courses, LearningColumns, People, SubsidyClaims, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::learning::{Claim, ClaimStatus, Course, CourseKind, SubsidyRules};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};

/// A course of the catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredCourse {
    pub id: i64,
    pub course: Course,
    /// No longer offered: kept for the completions that name it.
    pub retired: bool,
    pub updated_at: DateTime<Utc>,
}

/// A completed course, with the notes on using it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Completion {
    pub id: i64,
    pub person: PersonId,
    pub person_name: String,
    pub course_id: i64,
    pub course_title: String,
    pub completed_on: NaiveDate,
    /// The employee's note on how it will be used at work.
    pub employee_use: String,
    /// Their manager's.
    pub manager_use: String,
    pub manager_use_by: Option<String>,
}

/// A subsidy claim, without its receipt's bytes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredClaim {
    pub id: i64,
    pub person: PersonId,
    pub person_name: String,
    pub claim: Claim,
    pub fiscal_year: i32,
    /// What the rules pay: estimated when claimed, fixed when approved.
    pub amount_yen: u32,
    pub receipt_name: String,
    pub receipt_type: String,
    pub status: ClaimStatus,
    pub reason: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub paid_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// A receipt as uploaded and checked.
pub struct Receipt<'a> {
    pub name: &'a str,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn learning_aad(tenant: TenantId, person: i64) -> String {
    format!("{}:learning:{person}", tenant.0)
}

fn subsidy_aad(tenant: TenantId, person: i64) -> String {
    format!("{}:subsidy:{person}", tenant.0)
}

#[derive(sqlx::FromRow)]
struct CourseRow {
    id: i64,
    title: String,
    kind: String,
    provider: String,
    description: String,
    url: Option<String>,
    tags: String,
    hours: Option<i64>,
    retired: bool,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CompletionRow {
    id: i64,
    person_id: i64,
    person_name: String,
    course_id: i64,
    course_title: String,
    completed_on: NaiveDate,
    employee_use: String,
    manager_use: String,
    manager_use_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    person_id: i64,
    person_name: String,
    certification: String,
    exam_on: NaiveDate,
    fiscal_year: i64,
    fee_yen: i64,
    amount_yen: i64,
    note: String,
    receipt_name: String,
    receipt_type: String,
    status: String,
    reason: String,
    decided_by_name: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    paid_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

fn yen(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn select_courses(tenant: TenantId) -> SelectStatement {
    Query::select()
        .columns([
            Courses::Id,
            Courses::Title,
            Courses::Kind,
            Courses::Provider,
            Courses::Description,
            Courses::Url,
            Courses::Tags,
            Courses::Hours,
            Courses::Retired,
            Courses::UpdatedAt,
        ])
        .from(Courses::Table)
        .and_where(Expr::col(Courses::TenantId).eq(tenant.0))
        .order_by(Courses::Id, Order::Desc)
        .to_owned()
}

fn select_completions(tenant: TenantId) -> SelectStatement {
    let k = CourseCompletions::Table;
    Query::select()
        .columns([
            (k, CourseCompletions::Id),
            (k, CourseCompletions::PersonId),
            (k, CourseCompletions::CourseId),
            (k, CourseCompletions::CompletedOn),
            (k, CourseCompletions::EmployeeUse),
            (k, CourseCompletions::ManagerUse),
        ])
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("person_name"),
        )
        .expr_as(
            Expr::col((Courses::Table, Courses::Title)),
            Alias::new("course_title"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("manager_use_by"),
        )
        .from(k)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((k, CourseCompletions::PersonId)),
        )
        .inner_join(
            Courses::Table,
            Expr::col((Courses::Table, Courses::Id)).equals((k, CourseCompletions::CourseId)),
        )
        .left_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((k, CourseCompletions::ManagerUseByUserId)),
        )
        .and_where(Expr::col((k, CourseCompletions::TenantId)).eq(tenant.0))
        .order_by((k, CourseCompletions::CompletedOn), Order::Desc)
        .order_by((k, CourseCompletions::Id), Order::Desc)
        .to_owned()
}

fn select_claims(tenant: TenantId) -> SelectStatement {
    let s = SubsidyClaims::Table;
    Query::select()
        .columns([
            (s, SubsidyClaims::Id),
            (s, SubsidyClaims::PersonId),
            (s, SubsidyClaims::Certification),
            (s, SubsidyClaims::ExamOn),
            (s, SubsidyClaims::FiscalYear),
            (s, SubsidyClaims::FeeYen),
            (s, SubsidyClaims::AmountYen),
            (s, SubsidyClaims::Note),
            (s, SubsidyClaims::ReceiptName),
            (s, SubsidyClaims::ReceiptType),
            (s, SubsidyClaims::Status),
            (s, SubsidyClaims::Reason),
            (s, SubsidyClaims::DecidedAt),
            (s, SubsidyClaims::PaidOn),
            (s, SubsidyClaims::CreatedAt),
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
            Expr::col((People::Table, People::Id)).equals((s, SubsidyClaims::PersonId)),
        )
        .left_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((s, SubsidyClaims::DecidedByUserId)),
        )
        .and_where(Expr::col((s, SubsidyClaims::TenantId)).eq(tenant.0))
        .order_by((s, SubsidyClaims::Id), Order::Desc)
        .to_owned()
}

fn course_values(c: &Course) -> [(Courses, sea_query::SimpleExpr); 7] {
    [
        (Courses::Title, c.title.clone().into()),
        (Courses::Kind, c.kind.key().into()),
        (Courses::Provider, c.provider.clone().into()),
        (Courses::Description, c.description.clone().into()),
        (Courses::Url, c.url.clone().into()),
        (Courses::Tags, c.tags.join("\n").into()),
        (Courses::Hours, c.hours.map(i64::from).into()),
    ]
}

impl Store {
    // ----- the catalogue -----

    pub async fn add_course(
        &self,
        tenant: TenantId,
        course: &Course,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let (cols, vals): (Vec<Courses>, Vec<sea_query::SimpleExpr>) =
            course_values(course).into_iter().unzip();
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Courses::Table)
                    .columns(cols.into_iter().chain([
                        Courses::TenantId,
                        Courses::CreatedByUserId,
                        Courses::CreatedAt,
                        Courses::UpdatedAt,
                    ]))
                    .values_panic(vals.into_iter().chain([
                        tenant.0.into(),
                        by.0.into(),
                        now.into(),
                        now.into(),
                    ]))
                    .returning_col(Courses::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Changes a course (false when there is none).
    pub async fn update_course(
        &self,
        tenant: TenantId,
        id: i64,
        course: &Course,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Courses::Table)
                    .values(course_values(course))
                    .value(Courses::UpdatedAt, now)
                    .and_where(Expr::col(Courses::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Courses::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Retires a course (no longer offered) or offers it again.
    pub async fn set_course_retired(
        &self,
        tenant: TenantId,
        id: i64,
        retired: bool,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Courses::Table)
                    .value(Courses::Retired, retired)
                    .value(Courses::UpdatedAt, now)
                    .and_where(Expr::col(Courses::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Courses::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    async fn courses_where(&self, stmt: SelectStatement) -> Result<Vec<StoredCourse>> {
        let rows: Vec<CourseRow> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| {
                Ok(StoredCourse {
                    id: r.id,
                    course: Course {
                        title: r.title,
                        kind: CourseKind::parse(&r.kind).ok_or_else(|| {
                            StoreError::Integrity(format!("course kind '{}'", r.kind))
                        })?,
                        provider: r.provider,
                        description: r.description,
                        url: r.url,
                        tags: r
                            .tags
                            .lines()
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect(),
                        hours: r.hours.and_then(|h| u32::try_from(h).ok()),
                    },
                    retired: r.retired,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// The catalogue, the latest first (retired ones too).
    pub async fn courses(&self, tenant: TenantId) -> Result<Vec<StoredCourse>> {
        self.courses_where(select_courses(tenant)).await
    }

    pub async fn course(&self, tenant: TenantId, id: i64) -> Result<Option<StoredCourse>> {
        let mut s = select_courses(tenant);
        s.and_where(Expr::col(Courses::Id).eq(id));
        Ok(self.courses_where(s).await?.into_iter().next())
    }

    // ----- completions -----

    /// Records a completion; None when the same course was recorded for that day already.
    pub async fn add_completion(
        &self,
        tenant: TenantId,
        person: PersonId,
        course: i64,
        on: NaiveDate,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let a = learning_aad(tenant, person.0);
        let r: Result<(i64,)> = self
            .fetch_one(
                &Query::insert()
                    .into_table(CourseCompletions::Table)
                    .columns([
                        CourseCompletions::TenantId,
                        CourseCompletions::PersonId,
                        CourseCompletions::CourseId,
                        CourseCompletions::CompletedOn,
                        CourseCompletions::EmployeeUse,
                        CourseCompletions::ManagerUse,
                        CourseCompletions::RecordedByUserId,
                        CourseCompletions::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        course.into(),
                        on.into(),
                        self.keys.seal(&a, "")?.into(),
                        self.keys.seal(&a, "")?.into(),
                        by.0.into(),
                        now.into(),
                    ])
                    .returning_col(CourseCompletions::Id)
                    .to_owned(),
            )
            .await;
        match r {
            Ok((id,)) => Ok(Some(id)),
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn completions_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<Completion>> {
        let rows: Vec<CompletionRow> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| {
                let a = learning_aad(tenant, r.person_id);
                Ok(Completion {
                    id: r.id,
                    person: PersonId(r.person_id),
                    person_name: r.person_name,
                    course_id: r.course_id,
                    course_title: r.course_title,
                    completed_on: r.completed_on,
                    employee_use: self.keys.open(&a, &r.employee_use)?,
                    manager_use: self.keys.open(&a, &r.manager_use)?,
                    manager_use_by: r.manager_use_by,
                })
            })
            .collect()
    }

    pub async fn completion(&self, tenant: TenantId, id: i64) -> Result<Option<Completion>> {
        let mut s = select_completions(tenant);
        s.and_where(Expr::col((CourseCompletions::Table, CourseCompletions::Id)).eq(id));
        Ok(self.completions_where(tenant, s).await?.into_iter().next())
    }

    /// The completions of these people, the latest first.
    pub async fn completions_of(
        &self,
        tenant: TenantId,
        people: &[PersonId],
    ) -> Result<Vec<Completion>> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for chunk in people.chunks(500) {
            let mut s = select_completions(tenant);
            s.and_where(
                Expr::col((CourseCompletions::Table, CourseCompletions::PersonId))
                    .is_in(chunk.iter().map(|p| p.0)),
            );
            out.extend(self.completions_where(tenant, s).await?);
        }
        Ok(out)
    }

    /// Every completion of the tenant (HR; the caller checks), the latest first.
    pub async fn all_completions(&self, tenant: TenantId) -> Result<Vec<Completion>> {
        self.completions_where(tenant, select_completions(tenant))
            .await
    }

    /// Every completion's and every claim's (id, person), without opening anything: what
    /// the audit log needs to leave out those a reader may not see.
    pub async fn learning_owners(
        &self,
        tenant: TenantId,
    ) -> Result<(Vec<(i64, i64)>, Vec<(i64, i64)>)> {
        let completions = self
            .fetch_all(
                &Query::select()
                    .columns([CourseCompletions::Id, CourseCompletions::PersonId])
                    .from(CourseCompletions::Table)
                    .and_where(Expr::col(CourseCompletions::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let claims = self
            .fetch_all(
                &Query::select()
                    .columns([SubsidyClaims::Id, SubsidyClaims::PersonId])
                    .from(SubsidyClaims::Table)
                    .and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok((completions, claims))
    }

    /// The employee's note on using it (replacing an earlier one).
    pub async fn set_employee_use(
        &self,
        tenant: TenantId,
        c: &Completion,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let a = learning_aad(tenant, c.person.0);
        self.execute(
            &Query::update()
                .table(CourseCompletions::Table)
                .value(CourseCompletions::EmployeeUse, self.keys.seal(&a, note)?)
                .value(CourseCompletions::EmployeeUseAt, now)
                .and_where(Expr::col(CourseCompletions::TenantId).eq(tenant.0))
                .and_where(Expr::col(CourseCompletions::Id).eq(c.id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// The manager's note on using it (replacing an earlier one).
    pub async fn set_manager_use(
        &self,
        tenant: TenantId,
        c: &Completion,
        note: &str,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let a = learning_aad(tenant, c.person.0);
        self.execute(
            &Query::update()
                .table(CourseCompletions::Table)
                .value(CourseCompletions::ManagerUse, self.keys.seal(&a, note)?)
                .value(CourseCompletions::ManagerUseByUserId, by.0)
                .value(CourseCompletions::ManagerUseAt, now)
                .and_where(Expr::col(CourseCompletions::TenantId).eq(tenant.0))
                .and_where(Expr::col(CourseCompletions::Id).eq(c.id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    // ----- subsidy claims -----

    /// Records a claim (the checks have passed), submitted, with its estimated amount.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_claim(
        &self,
        tenant: TenantId,
        person: PersonId,
        claim: &Claim,
        fiscal_year: i32,
        amount: u32,
        receipt: Receipt<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let a = subsidy_aad(tenant, person.0);
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(SubsidyClaims::Table)
                    .columns([
                        SubsidyClaims::TenantId,
                        SubsidyClaims::PersonId,
                        SubsidyClaims::Certification,
                        SubsidyClaims::ExamOn,
                        SubsidyClaims::FiscalYear,
                        SubsidyClaims::FeeYen,
                        SubsidyClaims::AmountYen,
                        SubsidyClaims::Note,
                        SubsidyClaims::ReceiptName,
                        SubsidyClaims::ReceiptType,
                        SubsidyClaims::Receipt,
                        SubsidyClaims::Status,
                        SubsidyClaims::Reason,
                        SubsidyClaims::CreatedAt,
                        SubsidyClaims::UpdatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        claim.certification.clone().into(),
                        claim.exam_on.into(),
                        i64::from(fiscal_year).into(),
                        i64::from(claim.fee_yen).into(),
                        i64::from(amount).into(),
                        self.keys.seal(&a, &claim.note)?.into(),
                        receipt.name.into(),
                        receipt.content_type.into(),
                        receipt.bytes.into(),
                        ClaimStatus::Submitted.key().into(),
                        self.keys.seal(&a, "")?.into(),
                        now.into(),
                        now.into(),
                    ])
                    .returning_col(SubsidyClaims::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// The claimant sends a claim again after HR asked for changes: the new details
    /// (and receipt, when one is given), submitted. False when it was decided meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub async fn resubmit_claim(
        &self,
        tenant: TenantId,
        current: &StoredClaim,
        claim: &Claim,
        fiscal_year: i32,
        amount: u32,
        receipt: Option<Receipt<'_>>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = subsidy_aad(tenant, current.person.0);
        let mut q = Query::update();
        q.table(SubsidyClaims::Table).values([
            (
                SubsidyClaims::Certification,
                claim.certification.clone().into(),
            ),
            (SubsidyClaims::ExamOn, claim.exam_on.into()),
            (SubsidyClaims::FiscalYear, i64::from(fiscal_year).into()),
            (SubsidyClaims::FeeYen, i64::from(claim.fee_yen).into()),
            (SubsidyClaims::AmountYen, i64::from(amount).into()),
            (SubsidyClaims::Note, self.keys.seal(&a, &claim.note)?.into()),
            (SubsidyClaims::Status, ClaimStatus::Submitted.key().into()),
            (SubsidyClaims::UpdatedAt, now.into()),
        ]);
        if let Some(r) = receipt {
            q.values([
                (SubsidyClaims::ReceiptName, r.name.into()),
                (SubsidyClaims::ReceiptType, r.content_type.into()),
                (SubsidyClaims::Receipt, r.bytes.into()),
            ]);
        }
        let n = self
            .execute(
                &q.and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SubsidyClaims::Id).eq(current.id))
                    .and_where(Expr::col(SubsidyClaims::Status).eq(current.status.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    async fn claims_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<StoredClaim>> {
        let rows: Vec<ClaimRow> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| {
                let a = subsidy_aad(tenant, r.person_id);
                Ok(StoredClaim {
                    id: r.id,
                    person: PersonId(r.person_id),
                    person_name: r.person_name,
                    claim: Claim {
                        certification: r.certification,
                        exam_on: r.exam_on,
                        fee_yen: yen(r.fee_yen),
                        note: self.keys.open(&a, &r.note)?,
                    },
                    fiscal_year: i32::try_from(r.fiscal_year).unwrap_or(0),
                    amount_yen: yen(r.amount_yen),
                    receipt_name: r.receipt_name,
                    receipt_type: r.receipt_type,
                    status: ClaimStatus::parse(&r.status).ok_or_else(|| {
                        StoreError::Integrity(format!("subsidy claim status '{}'", r.status))
                    })?,
                    reason: self.keys.open(&a, &r.reason)?,
                    decided_by_name: r.decided_by_name,
                    decided_at: r.decided_at,
                    paid_on: r.paid_on,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    pub async fn claim(&self, tenant: TenantId, id: i64) -> Result<Option<StoredClaim>> {
        let mut s = select_claims(tenant);
        s.and_where(Expr::col((SubsidyClaims::Table, SubsidyClaims::Id)).eq(id));
        Ok(self.claims_where(tenant, s).await?.into_iter().next())
    }

    /// A person's claims, the latest first.
    pub async fn claims_of(&self, tenant: TenantId, person: PersonId) -> Result<Vec<StoredClaim>> {
        let mut s = select_claims(tenant);
        s.and_where(Expr::col((SubsidyClaims::Table, SubsidyClaims::PersonId)).eq(person.0));
        self.claims_where(tenant, s).await
    }

    /// Every claim of the tenant (HR; the caller checks), the latest first.
    pub async fn claims(&self, tenant: TenantId) -> Result<Vec<StoredClaim>> {
        self.claims_where(tenant, select_claims(tenant)).await
    }

    /// A claim's receipt: its name, type and bytes.
    pub async fn claim_receipt(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        self.fetch_optional(
            &Query::select()
                .columns([
                    SubsidyClaims::ReceiptName,
                    SubsidyClaims::ReceiptType,
                    SubsidyClaims::Receipt,
                ])
                .from(SubsidyClaims::Table)
                .and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
                .and_where(Expr::col(SubsidyClaims::Id).eq(id))
                .to_owned(),
        )
        .await
    }

    /// What has been approved (or paid) for a person in a fiscal year, leaving out one
    /// claim (the one being decided).
    pub async fn approved_in_fy(
        &self,
        tenant: TenantId,
        person: PersonId,
        fiscal_year: i32,
        except: Option<i64>,
    ) -> Result<u32> {
        let mut q = Query::select();
        q.column(SubsidyClaims::AmountYen)
            .from(SubsidyClaims::Table)
            .and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
            .and_where(Expr::col(SubsidyClaims::PersonId).eq(person.0))
            .and_where(Expr::col(SubsidyClaims::FiscalYear).eq(i64::from(fiscal_year)))
            .and_where(
                Expr::col(SubsidyClaims::Status).is_in(
                    ClaimStatus::ALL
                        .into_iter()
                        .filter(|s| s.counts_against_cap())
                        .map(|s| s.key()),
                ),
            );
        if let Some(id) = except {
            q.and_where(Expr::col(SubsidyClaims::Id).ne(id));
        }
        let amounts: Vec<(i64,)> = self.fetch_all(&q).await?;
        Ok(yen(amounts.iter().map(|(a,)| a).sum()))
    }

    /// Moves a claim from its current status to `to` with HR's reason (or the claimant's
    /// withdrawal) and the amount; false when it was no longer where it was.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_claim_status(
        &self,
        tenant: TenantId,
        current: &StoredClaim,
        to: ClaimStatus,
        reason: &str,
        amount: u32,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = subsidy_aad(tenant, current.person.0);
        let n = self
            .execute(
                &Query::update()
                    .table(SubsidyClaims::Table)
                    .values([
                        (SubsidyClaims::Status, to.key().into()),
                        (SubsidyClaims::Reason, self.keys.seal(&a, reason)?.into()),
                        (SubsidyClaims::AmountYen, i64::from(amount).into()),
                        (SubsidyClaims::DecidedByUserId, by.map(|u| u.0).into()),
                        (SubsidyClaims::DecidedAt, now.into()),
                        (SubsidyClaims::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SubsidyClaims::Id).eq(current.id))
                    .and_where(Expr::col(SubsidyClaims::Status).eq(current.status.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Marks an approved claim paid on `on`; false when it was not approved.
    pub async fn mark_claim_paid(
        &self,
        tenant: TenantId,
        id: i64,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(SubsidyClaims::Table)
                    .values([
                        (SubsidyClaims::Status, ClaimStatus::Paid.key().into()),
                        (SubsidyClaims::PaidOn, on.into()),
                        (SubsidyClaims::UpdatedAt, now.into()),
                    ])
                    .and_where(Expr::col(SubsidyClaims::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SubsidyClaims::Id).eq(id))
                    .and_where(Expr::col(SubsidyClaims::Status).eq(ClaimStatus::Approved.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    // ----- the rules -----

    /// The company's subsidy rules (the defaults until HR sets them).
    pub async fn subsidy_rules(&self, tenant: TenantId) -> Result<SubsidyRules> {
        self.tenant_json(tenant, LearningColumns::SubsidyRules, "subsidy rules")
            .await
    }

    pub async fn set_subsidy_rules(&self, tenant: TenantId, rules: &SubsidyRules) -> Result<()> {
        self.set_tenant_json(tenant, LearningColumns::SubsidyRules, rules)
            .await
    }
}
