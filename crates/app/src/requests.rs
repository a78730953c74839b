//! 依頼: the employee asks their manager for a 1on1, or a consultant assigned to them for
//! a career interview, proposing up to three times; the addressee books one of them (the
//! booking itself goes through `dialogues::book` and its policy) or declines with a
//! reason; the employee may withdraw it while it waits. Only the two of them see it.

use crate::dialogues::{BookingOutcome, BookingRequest};
use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::dialogue::ScheduleWarning;
use domain::policy::{self, RequestFacts, RequestParties, RequestRefusal, ScheduleRefusal};
use domain::request::{RequestKind, RequestStatus};
use domain::{PersonId, Role, UserId};
use store::requests::Request;
use store::{Store, StoreError};

/// Whom the caller may ask: their manager (for a 1on1) and the consultants assigned to
/// them (for an interview), as (user, name).
#[derive(Debug, Clone, Default)]
pub struct Addressees {
    pub manager: Option<(UserId, String)>,
    pub consultants: Vec<(UserId, String)>,
}

pub async fn addressees(store: &Store, caller: &Caller) -> Result<Addressees, StoreError> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Addressees::default());
    };
    let manager = match store.person(tenant, me).await?.and_then(|p| p.manager_id) {
        Some(m) => match store.account_of_person(tenant, PersonId(m)).await? {
            Some((u, _)) => Some((u, store.user(tenant, u).await?.name)),
            None => None,
        },
        None => None,
    };
    let mut consultants = Vec::new();
    for (u, name) in store.consultants_of(tenant, me).await? {
        if crate::actor_for(store, &store.user(tenant, u).await?)
            .await?
            .has(Role::Consultant)
        {
            consultants.push((u, name));
        }
    }
    Ok(Addressees {
        manager,
        consultants,
    })
}

fn parties(r: &Request, tenant: domain::TenantId) -> RequestParties {
    RequestParties {
        tenant,
        requester: r.requester,
        addressee: r.addressee,
    }
}

/// Sends a request from the caller. The times were read with `request::parse_slots`.
pub async fn send(
    store: &Store,
    caller: &Caller,
    kind: RequestKind,
    addressee: UserId,
    slots: &[chrono::NaiveDateTime],
    message: &str,
) -> Result<Result<i64, RequestRefusal>, Error> {
    let tenant = caller.actor.tenant_id;
    let whom = addressees(store, caller).await?;
    let facts = RequestFacts {
        tenant,
        kind,
        addressee_is_manager: whom.manager.as_ref().is_some_and(|(u, _)| *u == addressee),
        addressee_is_assigned_consultant: whom.consultants.iter().any(|(u, _)| *u == addressee),
    };
    if let Err(r) = policy::may_request(&caller.actor, &facts) {
        return Ok(Err(r));
    }
    let Some(me) = caller.actor.person_id else {
        return Ok(Err(RequestRefusal::NotAnEmployee));
    };
    Ok(Ok(store
        .add_request(tenant, kind, me, addressee, slots, message)
        .await?))
}

/// A request the caller may see: not found in another tenant or to anyone else.
pub async fn open(store: &Store, caller: &Caller, id: i64) -> Result<Request, Error> {
    let tenant = caller.actor.tenant_id;
    let r = store
        .request(tenant, id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    if !policy::may_see_request(&caller.actor, &parties(&r, tenant)) {
        // Nobody else learns that it exists.
        return Err(Error::NotFound("request"));
    }
    Ok(r)
}

/// What came of booking one of the proposed times.
pub enum Answer {
    Booked(i64),
    /// Over another dialogue: asked again with `confirmed`.
    Warn(Vec<ScheduleWarning>),
    Refused(ScheduleRefusal),
    /// Already booked, declined or withdrawn.
    AlreadySettled,
}

/// The addressee books proposed time `slot` (an index into the request's times).
pub async fn book(
    store: &Store,
    caller: &Caller,
    now: DateTime<Utc>,
    id: i64,
    slot: usize,
    confirmed: bool,
) -> Result<Answer, Error> {
    let tenant = caller.actor.tenant_id;
    let r = open(store, caller, id).await?;
    if !policy::may_answer_request(&caller.actor, &parties(&r, tenant)) {
        return Err(Error::Forbidden);
    }
    if r.status != RequestStatus::Open {
        return Ok(Answer::AlreadySettled);
    }
    let start = *r.slots.get(slot).ok_or(Error::NotFound("slot"))?;
    let req = BookingRequest {
        kind: r.kind.dialogue_kind(),
        subject: r.requester,
        facilitator: caller.actor.user_id,
        start,
        duration_minutes: 60,
        place: String::new(),
        cadence: None,
        count: 1,
        confirmed,
    };
    match crate::dialogues::book(store, &caller.actor, now, &req).await? {
        BookingOutcome::Booked(ids) => {
            let Some(d) = ids.first().copied() else {
                return Err(Error::NotFound("dialogue"));
            };
            if store
                .settle_request(tenant, id, RequestStatus::Booked, "", Some(d))
                .await?
            {
                Ok(Answer::Booked(d))
            } else {
                Ok(Answer::AlreadySettled)
            }
        }
        BookingOutcome::Warn(w) => Ok(Answer::Warn(w)),
        BookingOutcome::Refused(r) => Ok(Answer::Refused(r)),
    }
}

/// The addressee declines, saying why (shown to the employee).
pub async fn decline(store: &Store, caller: &Caller, id: i64, reason: &str) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let r = open(store, caller, id).await?;
    if !policy::may_answer_request(&caller.actor, &parties(&r, tenant)) {
        return Err(Error::Forbidden);
    }
    Ok(store
        .settle_request(tenant, id, RequestStatus::Declined, reason, None)
        .await?)
}

/// The employee takes it back while it waits.
pub async fn withdraw(store: &Store, caller: &Caller, id: i64) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let r = open(store, caller, id).await?;
    if !policy::may_withdraw_request(&caller.actor, &parties(&r, tenant)) {
        return Err(Error::Forbidden);
    }
    Ok(store
        .settle_request(tenant, id, RequestStatus::Withdrawn, "", None)
        .await?)
}

/// The caller's own requests, newest first.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<Request>, StoreError> {
    match caller.actor.person_id {
        Some(p) => store.requests_from(caller.actor.tenant_id, p).await,
        None => Ok(Vec::new()),
    }
}

/// Requests addressed to the caller; `open_only` for the to-do list.
pub async fn to_me(
    store: &Store,
    caller: &Caller,
    open_only: bool,
) -> Result<Vec<Request>, StoreError> {
    store
        .requests_to(caller.actor.tenant_id, caller.actor.user_id, open_only)
        .await
}
