//! 社内FA storage: declarations and hiring managers' interview requests to their
//! declarants (`domain::fa`). Who sees which is `domain::policy::declaration_view`,
//! applied in `app::fa`. What a declarant wants and brings, a request's message and its
//! answer are one person's career intentions: sealed like notes.

use crate::schema::{Departments, FaDeclarations, FaRequests, People, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::fa::{Declaration, InterviewStatus};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};

/// A declaration as stored, opened, with the declarant's name and department today.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredDeclaration {
    pub id: i64,
    pub person: PersonId,
    pub person_name: String,
    pub department_id: Option<i64>,
    pub department_name: String,
    pub grade: String,
    pub declaration: Declaration,
    pub declared_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl StoredDeclaration {
    /// In force on `today`.
    pub fn active(&self, today: NaiveDate) -> bool {
        self.withdrawn_at.is_none() && today <= self.expires_on
    }
}

#[derive(sqlx::FromRow)]
struct DeclarationRow {
    id: i64,
    person_id: i64,
    person_name: String,
    department_id: Option<i64>,
    department_name: Option<String>,
    grade: String,
    wants: String,
    experience: String,
    declared_on: NaiveDate,
    expires_on: NaiveDate,
    withdrawn_at: Option<DateTime<Utc>>,
}

/// An interview request, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InterviewRequest {
    pub id: i64,
    pub declaration_id: i64,
    pub from: UserId,
    pub from_name: String,
    pub message: String,
    pub status: InterviewStatus,
    pub answer: String,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    declaration_id: i64,
    from_user_id: i64,
    from_name: String,
    message: String,
    status: String,
    answer: String,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

fn aad(tenant: TenantId, person: i64) -> String {
    format!("{}:fa:{person}", tenant.0)
}

fn select_declarations(tenant: TenantId) -> SelectStatement {
    let f = FaDeclarations::Table;
    Query::select()
        .columns([
            (f, FaDeclarations::Id),
            (f, FaDeclarations::PersonId),
            (f, FaDeclarations::Wants),
            (f, FaDeclarations::Experience),
            (f, FaDeclarations::DeclaredOn),
            (f, FaDeclarations::ExpiresOn),
            (f, FaDeclarations::WithdrawnAt),
        ])
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("person_name"),
        )
        .expr_as(
            Expr::col((People::Table, People::DepartmentId)),
            Alias::new("department_id"),
        )
        .expr_as(
            Expr::col((People::Table, People::Grade)),
            Alias::new("grade"),
        )
        .expr_as(
            Expr::col((Departments::Table, Departments::Name)),
            Alias::new("department_name"),
        )
        .from(f)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((f, FaDeclarations::PersonId)),
        )
        .left_join(
            Departments::Table,
            Expr::col((Departments::Table, Departments::Id))
                .equals((People::Table, People::DepartmentId)),
        )
        .and_where(Expr::col((f, FaDeclarations::TenantId)).eq(tenant.0))
        .order_by((f, FaDeclarations::Id), Order::Desc)
        .to_owned()
}

impl Store {
    fn open_declaration(&self, tenant: TenantId, r: DeclarationRow) -> Result<StoredDeclaration> {
        let a = aad(tenant, r.person_id);
        Ok(StoredDeclaration {
            id: r.id,
            person: PersonId(r.person_id),
            person_name: r.person_name,
            department_id: r.department_id,
            department_name: r.department_name.unwrap_or_default(),
            grade: r.grade,
            declaration: Declaration {
                wants: self.keys.open(&a, &r.wants)?,
                experience: self.keys.open(&a, &r.experience)?,
            },
            declared_on: r.declared_on,
            expires_on: r.expires_on,
            withdrawn_at: r.withdrawn_at,
        })
    }

    async fn declarations_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<StoredDeclaration>> {
        let rows: Vec<DeclarationRow> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| self.open_declaration(tenant, r))
            .collect()
    }

    /// Records a declaration (the checks have passed).
    pub async fn add_declaration(
        &self,
        tenant: TenantId,
        person: PersonId,
        d: &Declaration,
        (declared_on, expires_on): (NaiveDate, NaiveDate),
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let a = aad(tenant, person.0);
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(FaDeclarations::Table)
                    .columns([
                        FaDeclarations::TenantId,
                        FaDeclarations::PersonId,
                        FaDeclarations::Wants,
                        FaDeclarations::Experience,
                        FaDeclarations::DeclaredOn,
                        FaDeclarations::ExpiresOn,
                        FaDeclarations::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        self.keys.seal(&a, &d.wants)?.into(),
                        self.keys.seal(&a, &d.experience)?.into(),
                        declared_on.into(),
                        expires_on.into(),
                        now.into(),
                    ])
                    .returning_col(FaDeclarations::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Withdraws a declaration in force; false when it was withdrawn already.
    pub async fn withdraw_declaration(
        &self,
        tenant: TenantId,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(FaDeclarations::Table)
                    .value(FaDeclarations::WithdrawnAt, now)
                    .and_where(Expr::col(FaDeclarations::TenantId).eq(tenant.0))
                    .and_where(Expr::col(FaDeclarations::Id).eq(id))
                    .and_where(Expr::col(FaDeclarations::WithdrawnAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn declaration(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<Option<StoredDeclaration>> {
        let mut s = select_declarations(tenant);
        s.and_where(Expr::col((FaDeclarations::Table, FaDeclarations::Id)).eq(id));
        Ok(self.declarations_where(tenant, s).await?.into_iter().next())
    }

    /// A person's declarations, the latest first.
    pub async fn declarations_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<StoredDeclaration>> {
        let mut s = select_declarations(tenant);
        s.and_where(Expr::col((FaDeclarations::Table, FaDeclarations::PersonId)).eq(person.0));
        self.declarations_where(tenant, s).await
    }

    /// Every declaration of the tenant, the latest first (the caller filters by the
    /// policy); with `in_force_on`, only those in force that day.
    pub async fn declarations(
        &self,
        tenant: TenantId,
        in_force_on: Option<NaiveDate>,
    ) -> Result<Vec<StoredDeclaration>> {
        let mut s = select_declarations(tenant);
        if let Some(day) = in_force_on {
            s.and_where(Expr::col((FaDeclarations::Table, FaDeclarations::WithdrawnAt)).is_null())
                .and_where(Expr::col((FaDeclarations::Table, FaDeclarations::ExpiresOn)).gte(day));
        }
        self.declarations_where(tenant, s).await
    }

    /// Records a hiring manager's interview request; None when they asked already.
    pub async fn add_interview_request(
        &self,
        tenant: TenantId,
        d: &StoredDeclaration,
        from: UserId,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let a = aad(tenant, d.person.0);
        let r: Result<(i64,)> = self
            .fetch_one(
                &Query::insert()
                    .into_table(FaRequests::Table)
                    .columns([
                        FaRequests::TenantId,
                        FaRequests::DeclarationId,
                        FaRequests::FromUserId,
                        FaRequests::Message,
                        FaRequests::Status,
                        FaRequests::Answer,
                        FaRequests::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        d.id.into(),
                        from.0.into(),
                        self.keys.seal(&a, message)?.into(),
                        InterviewStatus::Waiting.key().into(),
                        self.keys.seal(&a, "")?.into(),
                        now.into(),
                    ])
                    .returning_col(FaRequests::Id)
                    .to_owned(),
            )
            .await;
        match r {
            Ok((id,)) => Ok(Some(id)),
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The interview requests to a declaration, oldest first.
    pub async fn interview_requests(
        &self,
        tenant: TenantId,
        d: &StoredDeclaration,
    ) -> Result<Vec<InterviewRequest>> {
        let r = FaRequests::Table;
        let rows: Vec<RequestRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (r, FaRequests::Id),
                        (r, FaRequests::DeclarationId),
                        (r, FaRequests::FromUserId),
                        (r, FaRequests::Message),
                        (r, FaRequests::Status),
                        (r, FaRequests::Answer),
                        (r, FaRequests::CreatedAt),
                        (r, FaRequests::AnsweredAt),
                    ])
                    .expr_as(
                        Expr::col((Users::Table, Users::Name)),
                        Alias::new("from_name"),
                    )
                    .from(r)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id)).equals((r, FaRequests::FromUserId)),
                    )
                    .and_where(Expr::col((r, FaRequests::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((r, FaRequests::DeclarationId)).eq(d.id))
                    .order_by((r, FaRequests::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        let a = aad(tenant, d.person.0);
        rows.into_iter()
            .map(|x| {
                Ok(InterviewRequest {
                    id: x.id,
                    declaration_id: x.declaration_id,
                    from: UserId(x.from_user_id),
                    from_name: x.from_name,
                    message: self.keys.open(&a, &x.message)?,
                    status: InterviewStatus::parse(&x.status).ok_or_else(|| {
                        StoreError::Integrity(format!("interview request status '{}'", x.status))
                    })?,
                    answer: self.keys.open(&a, &x.answer)?,
                    created_at: x.created_at,
                    answered_at: x.answered_at,
                })
            })
            .collect()
    }

    /// The declaration an interview request belongs to.
    pub async fn declaration_of_request(
        &self,
        tenant: TenantId,
        request: i64,
    ) -> Result<Option<i64>> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(FaRequests::DeclarationId)
                    .from(FaRequests::Table)
                    .and_where(Expr::col(FaRequests::TenantId).eq(tenant.0))
                    .and_where(Expr::col(FaRequests::Id).eq(request))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(d,)| d))
    }

    /// Answers a waiting request; false when it was answered already.
    pub async fn answer_interview_request(
        &self,
        tenant: TenantId,
        d: &StoredDeclaration,
        request: i64,
        to: InterviewStatus,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let a = aad(tenant, d.person.0);
        let n = self
            .execute(
                &Query::update()
                    .table(FaRequests::Table)
                    .values([
                        (FaRequests::Status, to.key().into()),
                        (FaRequests::Answer, self.keys.seal(&a, answer)?.into()),
                        (FaRequests::AnsweredAt, now.into()),
                    ])
                    .and_where(Expr::col(FaRequests::TenantId).eq(tenant.0))
                    .and_where(Expr::col(FaRequests::Id).eq(request))
                    .and_where(Expr::col(FaRequests::DeclarationId).eq(d.id))
                    .and_where(Expr::col(FaRequests::Status).eq(InterviewStatus::Waiting.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }
}
