//! 依頼 storage: an employee's requests for a 1on1 or an interview (`domain::request`).
//! Who may ask and answer is `domain::policy::may_request` and its neighbours; this
//! module stores what they allowed, scoped by tenant. The message and the reason for
//! declining are the employee's and the addressee's words: sealed like notes.

use crate::schema::{DialogueRequests, People, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::request::{RequestKind, RequestStatus};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};

/// A request as stored, with both people's names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Request {
    pub id: i64,
    pub kind: RequestKind,
    pub requester: PersonId,
    pub requester_name: String,
    pub addressee: UserId,
    pub addressee_name: String,
    /// The proposed times, Japan time, in order.
    pub slots: Vec<NaiveDateTime>,
    pub message: String,
    pub status: RequestStatus,
    /// Why it was declined (the addressee's words), when it was.
    pub answer: String,
    /// The dialogue booked from it.
    pub dialogue_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    requester_person_id: i64,
    requester_name: String,
    addressee_user_id: i64,
    addressee_name: String,
    slots: String,
    message: String,
    status: String,
    answer: String,
    dialogue_id: Option<i64>,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

fn aad(tenant: TenantId, requester: i64) -> String {
    format!("{}:request:{requester}", tenant.0)
}

const SLOT_FORMAT: &str = "%Y-%m-%dT%H:%M";

fn select(tenant: TenantId) -> SelectStatement {
    let r = DialogueRequests::Table;
    Query::select()
        .columns([
            (r, DialogueRequests::Id),
            (r, DialogueRequests::Kind),
            (r, DialogueRequests::RequesterPersonId),
            (r, DialogueRequests::AddresseeUserId),
            (r, DialogueRequests::Slots),
            (r, DialogueRequests::Message),
            (r, DialogueRequests::Status),
            (r, DialogueRequests::Answer),
            (r, DialogueRequests::DialogueId),
            (r, DialogueRequests::CreatedAt),
            (r, DialogueRequests::AnsweredAt),
        ])
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("requester_name"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("addressee_name"),
        )
        .from(r)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((r, DialogueRequests::RequesterPersonId)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id)).equals((r, DialogueRequests::AddresseeUserId)),
        )
        .and_where(Expr::col((r, DialogueRequests::TenantId)).eq(tenant.0))
        .to_owned()
}

impl Store {
    fn open_request(&self, tenant: TenantId, r: Row) -> Result<Request> {
        let bad = |what: &str, v: &str| StoreError::Integrity(format!("request {what} '{v}'"));
        let a = aad(tenant, r.requester_person_id);
        Ok(Request {
            id: r.id,
            kind: RequestKind::parse(&r.kind).ok_or_else(|| bad("kind", &r.kind))?,
            requester: PersonId(r.requester_person_id),
            requester_name: r.requester_name,
            addressee: UserId(r.addressee_user_id),
            addressee_name: r.addressee_name,
            slots: r
                .slots
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| NaiveDateTime::parse_from_str(s, SLOT_FORMAT).map_err(|_| bad("slot", s)))
                .collect::<Result<_>>()?,
            message: self.keys.open(&a, &r.message)?,
            status: RequestStatus::parse(&r.status).ok_or_else(|| bad("status", &r.status))?,
            answer: self.keys.open(&a, &r.answer)?,
            dialogue_id: r.dialogue_id,
            created_at: r.created_at,
            answered_at: r.answered_at,
        })
    }

    async fn requests_where(
        &self,
        tenant: TenantId,
        stmt: SelectStatement,
    ) -> Result<Vec<Request>> {
        let rows: Vec<Row> = self.fetch_all(&stmt).await?;
        rows.into_iter()
            .map(|r| self.open_request(tenant, r))
            .collect()
    }

    /// Records a request (the policy has said yes).
    pub async fn add_request(
        &self,
        tenant: TenantId,
        kind: RequestKind,
        requester: PersonId,
        addressee: UserId,
        slots: &[NaiveDateTime],
        message: &str,
    ) -> Result<i64> {
        let a = aad(tenant, requester.0);
        let slots: Vec<String> = slots
            .iter()
            .map(|s| s.format(SLOT_FORMAT).to_string())
            .collect();
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(DialogueRequests::Table)
                    .columns([
                        DialogueRequests::TenantId,
                        DialogueRequests::Kind,
                        DialogueRequests::RequesterPersonId,
                        DialogueRequests::AddresseeUserId,
                        DialogueRequests::Slots,
                        DialogueRequests::Message,
                        DialogueRequests::Status,
                        DialogueRequests::Answer,
                        DialogueRequests::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        kind.key().into(),
                        requester.0.into(),
                        addressee.0.into(),
                        slots.join(",").into(),
                        self.keys.seal(&a, message)?.into(),
                        RequestStatus::Open.key().into(),
                        self.keys.seal(&a, "")?.into(),
                        Utc::now().into(),
                    ])
                    .returning_col(DialogueRequests::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    pub async fn request(&self, tenant: TenantId, id: i64) -> Result<Option<Request>> {
        let mut s = select(tenant);
        s.and_where(Expr::col((DialogueRequests::Table, DialogueRequests::Id)).eq(id));
        Ok(self.requests_where(tenant, s).await?.into_iter().next())
    }

    /// The requests an employee sent, newest first.
    pub async fn requests_from(&self, tenant: TenantId, person: PersonId) -> Result<Vec<Request>> {
        let mut s = select(tenant);
        s.and_where(
            Expr::col((DialogueRequests::Table, DialogueRequests::RequesterPersonId)).eq(person.0),
        )
        .order_by((DialogueRequests::Table, DialogueRequests::Id), Order::Desc)
        .limit(50);
        self.requests_where(tenant, s).await
    }

    /// The requests addressed to someone; with `open_only` only those still waiting.
    /// Oldest first: the longest-waiting on top.
    pub async fn requests_to(
        &self,
        tenant: TenantId,
        addressee: UserId,
        open_only: bool,
    ) -> Result<Vec<Request>> {
        let mut s = select(tenant);
        s.and_where(
            Expr::col((DialogueRequests::Table, DialogueRequests::AddresseeUserId)).eq(addressee.0),
        );
        if open_only {
            s.and_where(
                Expr::col((DialogueRequests::Table, DialogueRequests::Status))
                    .eq(RequestStatus::Open.key()),
            );
        }
        s.order_by((DialogueRequests::Table, DialogueRequests::Id), Order::Asc)
            .limit(200);
        self.requests_where(tenant, s).await
    }

    /// Settles an open request: booked (with its dialogue), declined (with the reason) or
    /// withdrawn. False when it was no longer open (answered twice, or by both at once).
    pub async fn settle_request(
        &self,
        tenant: TenantId,
        id: i64,
        to: RequestStatus,
        answer: &str,
        dialogue: Option<i64>,
    ) -> Result<bool> {
        let Some(r) = self.request(tenant, id).await? else {
            return Ok(false);
        };
        let a = aad(tenant, r.requester.0);
        let n = self
            .execute(
                &Query::update()
                    .table(DialogueRequests::Table)
                    .values([
                        (DialogueRequests::Status, to.key().into()),
                        (DialogueRequests::Answer, self.keys.seal(&a, answer)?.into()),
                        (DialogueRequests::DialogueId, dialogue.into()),
                        (DialogueRequests::AnsweredAt, Utc::now().into()),
                    ])
                    .and_where(Expr::col(DialogueRequests::TenantId).eq(tenant.0))
                    .and_where(Expr::col(DialogueRequests::Id).eq(id))
                    .and_where(Expr::col(DialogueRequests::Status).eq(RequestStatus::Open.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }
}
