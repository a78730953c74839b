//! ペア storage: the pairs cross-department and mentor 1on1s need (`domain::pairing`).
//! Who may make, answer or end a pair is `domain::policy::may_pair` and its neighbours;
//! this module stores what they allowed, scoped by tenant. One row per partner, subject
//! and kind: a declined or ended pair is opened again on the same row.

use crate::schema::{Pairs, People, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::career_sheet::Section;
use domain::pairing::{PairKind, PairSide, PairStatus, sections_from_text, sections_to_text};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};

/// A pair as stored, with both sides' names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pair {
    pub id: i64,
    pub kind: PairKind,
    pub partner: UserId,
    pub partner_name: String,
    /// The partner's record in the employee master (a colleague has one; an external
    /// mentor does not).
    pub partner_person: Option<PersonId>,
    pub subject: PersonId,
    pub subject_name: String,
    pub subject_number: String,
    pub status: PairStatus,
    /// While invited: the side that must answer.
    pub awaiting: Option<PairSide>,
    /// The invitation's message, as typed.
    pub message: String,
    /// The career-sheet sections the subject lets the partner see.
    pub sections: Vec<Section>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The cross-1on1 programme that made it, if one did.
    pub programme: Option<i64>,
}

/// A pair to open: by HR (in force at once) or by invitation (waiting on `awaiting`).
#[derive(Debug, Clone)]
pub struct NewPair {
    pub kind: PairKind,
    pub partner: UserId,
    pub subject: PersonId,
    pub status: PairStatus,
    pub awaiting: Option<PairSide>,
    pub message: String,
    pub created_by: UserId,
    /// Made by this cross-1on1 programme.
    pub programme: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    partner_user_id: i64,
    partner_name: String,
    partner_person_id: Option<i64>,
    subject_person_id: i64,
    subject_name: String,
    employee_number: String,
    status: String,
    awaiting: Option<String>,
    message: String,
    sections: String,
    created_by_user_id: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    programme_id: Option<i64>,
}

impl Row {
    fn into_pair(self) -> Result<Pair> {
        let bad = |what: &str, v: &str| StoreError::Integrity(format!("pair {what} '{v}'"));
        Ok(Pair {
            id: self.id,
            kind: PairKind::parse(&self.kind).ok_or_else(|| bad("kind", &self.kind))?,
            partner: UserId(self.partner_user_id),
            partner_name: self.partner_name,
            partner_person: self.partner_person_id.map(PersonId),
            subject: PersonId(self.subject_person_id),
            subject_name: self.subject_name,
            subject_number: self.employee_number,
            status: PairStatus::parse(&self.status).ok_or_else(|| bad("status", &self.status))?,
            awaiting: match self.awaiting.as_deref() {
                None => None,
                Some("partner") => Some(PairSide::Partner),
                Some("subject") => Some(PairSide::Subject),
                Some(other) => return Err(bad("awaiting", other)),
            },
            message: self.message,
            sections: sections_from_text(&self.sections),
            created_by: UserId(self.created_by_user_id),
            created_at: self.created_at,
            updated_at: self.updated_at,
            programme: self.programme_id,
        })
    }
}

fn select(tenant: TenantId) -> SelectStatement {
    let p = Pairs::Table;
    Query::select()
        .columns([
            (p, Pairs::Id),
            (p, Pairs::Kind),
            (p, Pairs::PartnerUserId),
            (p, Pairs::SubjectPersonId),
            (p, Pairs::Status),
            (p, Pairs::Awaiting),
            (p, Pairs::Message),
            (p, Pairs::Sections),
            (p, Pairs::CreatedByUserId),
            (p, Pairs::CreatedAt),
            (p, Pairs::UpdatedAt),
            (p, Pairs::ProgrammeId),
        ])
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("partner_name"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::PersonId)),
            Alias::new("partner_person_id"),
        )
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("subject_name"),
        )
        .column((People::Table, People::EmployeeNumber))
        .from(p)
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((p, Pairs::PartnerUserId)),
        )
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((p, Pairs::SubjectPersonId)),
        )
        .and_where(Expr::col((p, Pairs::TenantId)).eq(tenant.0))
        .to_owned()
}

impl Store {
    async fn pairs_where(&self, stmt: SelectStatement) -> Result<Vec<Pair>> {
        let rows: Vec<Row> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Row::into_pair).collect()
    }

    /// One pair of the tenant.
    pub async fn pair(&self, tenant: TenantId, id: i64) -> Result<Option<Pair>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((Pairs::Table, Pairs::Id)).eq(id));
        Ok(self.pairs_where(s).await?.into_iter().next())
    }

    /// The pair of this kind between a partner and a subject, whatever its status.
    pub async fn pair_between(
        &self,
        tenant: TenantId,
        kind: PairKind,
        partner: UserId,
        subject: PersonId,
    ) -> Result<Option<Pair>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((Pairs::Table, Pairs::Kind)).eq(kind.key()))
            .and_where(Expr::col((Pairs::Table, Pairs::PartnerUserId)).eq(partner.0))
            .and_where(Expr::col((Pairs::Table, Pairs::SubjectPersonId)).eq(subject.0));
        Ok(self.pairs_where(s).await?.into_iter().next())
    }

    /// The sections a partner prepares with, when a pair of this kind is in force
    /// between them; `None` without one.
    pub async fn active_pair_sections(
        &self,
        tenant: TenantId,
        kind: PairKind,
        partner: UserId,
        subject: PersonId,
    ) -> Result<Option<Vec<Section>>> {
        Ok(self
            .pair_between(tenant, kind, partner, subject)
            .await?
            .filter(|p| p.status == PairStatus::Active)
            .map(|p| p.sections))
    }

    /// The pairs someone is a side of (as the partner by account, as the subject by
    /// person), open ones first, then newest.
    pub async fn pairs_of(
        &self,
        tenant: TenantId,
        user: UserId,
        person: Option<PersonId>,
    ) -> Result<Vec<Pair>> {
        let mut s = select(tenant);
        let mut either =
            Cond::any().add(Expr::col((Pairs::Table, Pairs::PartnerUserId)).eq(user.0));
        if let Some(p) = person {
            either = either.add(Expr::col((Pairs::Table, Pairs::SubjectPersonId)).eq(p.0));
        }
        s.cond_where(either)
            .order_by((Pairs::Table, Pairs::UpdatedAt), Order::Desc)
            .order_by((Pairs::Table, Pairs::Id), Order::Desc);
        let mut out = self.pairs_where(s).await?;
        out.sort_by_key(|p| !p.status.is_open());
        Ok(out)
    }

    /// The tenant's pairs for HR, newest first, at most `limit`; with `open_only` only
    /// those invited or in force.
    pub async fn pairs(&self, tenant: TenantId, open_only: bool, limit: u64) -> Result<Vec<Pair>> {
        let mut s = select(tenant);
        if open_only {
            s.and_where(
                Expr::col((Pairs::Table, Pairs::Status))
                    .is_in([PairStatus::Invited.key(), PairStatus::Active.key()]),
            );
        }
        s.order_by((Pairs::Table, Pairs::UpdatedAt), Order::Desc)
            .order_by((Pairs::Table, Pairs::Id), Order::Desc)
            .limit(limit);
        self.pairs_where(s).await
    }

    /// The pairs a cross-1on1 programme made, whatever their status, by subject name.
    pub async fn pairs_of_programme(&self, tenant: TenantId, programme: i64) -> Result<Vec<Pair>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((Pairs::Table, Pairs::ProgrammeId)).eq(programme))
            .order_by((People::Table, People::EmployeeNumber), Order::Asc)
            .order_by((Pairs::Table, Pairs::Id), Order::Asc);
        self.pairs_where(s).await
    }

    /// Opens a pair: a new row, or the row of a declined or ended pair of the same two
    /// and kind opened again (its sections cleared: the subject chooses afresh). An
    /// open one already there is a [`StoreError::Conflict`].
    pub async fn open_pair(&self, tenant: TenantId, new: &NewPair) -> Result<i64> {
        let now = Utc::now();
        let awaiting = new.awaiting.map(PairSide::key);
        if let Some(old) = self
            .pair_between(tenant, new.kind, new.partner, new.subject)
            .await?
        {
            let n = self
                .execute(
                    &Query::update()
                        .table(Pairs::Table)
                        .values([
                            (Pairs::Status, new.status.key().into()),
                            (Pairs::Awaiting, awaiting.into()),
                            (Pairs::Message, new.message.clone().into()),
                            (Pairs::Sections, String::new().into()),
                            (Pairs::CreatedByUserId, new.created_by.0.into()),
                            (Pairs::CreatedAt, now.into()),
                            (Pairs::UpdatedAt, now.into()),
                            (Pairs::ProgrammeId, new.programme.into()),
                        ])
                        .and_where(Expr::col(Pairs::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Pairs::Id).eq(old.id))
                        .and_where(
                            Expr::col(Pairs::Status)
                                .is_in([PairStatus::Declined.key(), PairStatus::Ended.key()]),
                        )
                        .to_owned(),
                )
                .await?;
            return if n == 1 {
                Ok(old.id)
            } else {
                Err(StoreError::Conflict("pairs.open"))
            };
        }
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Pairs::Table)
                    .columns([
                        Pairs::TenantId,
                        Pairs::Kind,
                        Pairs::PartnerUserId,
                        Pairs::SubjectPersonId,
                        Pairs::Status,
                        Pairs::Awaiting,
                        Pairs::Message,
                        Pairs::Sections,
                        Pairs::CreatedByUserId,
                        Pairs::CreatedAt,
                        Pairs::UpdatedAt,
                        Pairs::ProgrammeId,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        new.kind.key().into(),
                        new.partner.0.into(),
                        new.subject.0.into(),
                        new.status.key().into(),
                        awaiting.into(),
                        new.message.clone().into(),
                        String::new().into(),
                        new.created_by.0.into(),
                        now.into(),
                        now.into(),
                        new.programme.into(),
                    ])
                    .returning_col(Pairs::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Moves a pair from `from` to `to` (accept: invited → active; decline: invited →
    /// declined; end: invited or active → ended). False when it was not in `from` any
    /// more (someone else answered first).
    pub async fn set_pair_status(
        &self,
        tenant: TenantId,
        id: i64,
        from: &[PairStatus],
        to: PairStatus,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Pairs::Table)
                    .values([
                        (Pairs::Status, to.key().into()),
                        (Pairs::Awaiting, Option::<String>::None.into()),
                        (Pairs::UpdatedAt, Utc::now().into()),
                    ])
                    .and_where(Expr::col(Pairs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pairs::Id).eq(id))
                    .and_where(Expr::col(Pairs::Status).is_in(from.iter().map(|s| s.key())))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Stores the sections the subject lets the partner see.
    pub async fn set_pair_sections(
        &self,
        tenant: TenantId,
        id: i64,
        sections: &[Section],
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Pairs::Table)
                    .values([
                        (Pairs::Sections, sections_to_text(sections).into()),
                        (Pairs::UpdatedAt, Utc::now().into()),
                    ])
                    .and_where(Expr::col(Pairs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pairs::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }
}
