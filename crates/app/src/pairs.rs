//! ペア: the pairs cross-department and mentor 1on1s need. HR pairs people directly; a
//! side invites and the other accepts or declines; either side or HR ends a pair; the
//! subject chooses which career-sheet sections the partner sees. Every step asks
//! `domain::policy` and is audited. Booking checks the pair in `dialogues::book`, and the
//! partner's preparation reads only the chosen sections (`dialogues::view`).

use crate::{Caller, Error};
use domain::audit::AuditAction;
use domain::career_sheet::Section;
use domain::pairing::{PairKind, PairSide, PairStatus};
use domain::policy::{self, Action, PairFacts, PairParties, PairRefusal, PairStart};
use domain::{PersonId, Role, UserId};
use store::audit::NewAuditEntry;
use store::pairs::{NewPair, Pair};
use store::{Store, StoreError};

/// What someone asked: pair `partner` with `subject` for 1on1s of `kind`.
#[derive(Debug, Clone)]
pub struct PairRequest {
    pub kind: PairKind,
    pub partner: UserId,
    pub subject: PersonId,
    /// A few words to the other side (an invitation), at most
    /// [`domain::pairing::MAX_MESSAGE_CHARS`].
    pub message: String,
    /// Made by this cross-1on1 programme (HR), if so.
    pub programme: Option<i64>,
}

/// The two people of a stored pair, as the policy asks about them.
pub fn parties(p: &Pair, tenant: domain::TenantId) -> PairParties {
    PairParties {
        tenant,
        partner: p.partner,
        subject: p.subject,
    }
}

/// Would the policy let `caller` make this pair, and how would it start? Nothing is
/// written (HR's bulk pairing asks this for every line first).
pub async fn check(
    store: &Store,
    caller: &Caller,
    req: &PairRequest,
) -> Result<Result<PairStart, PairRefusal>, Error> {
    let tenant = caller.actor.tenant_id;
    let partner = match store.user(tenant, req.partner).await {
        Ok(u) if !u.disabled => u,
        Ok(_) | Err(StoreError::NotFound) => return Err(Error::NotFound("user")),
        Err(e) => return Err(e.into()),
    };
    let partner_actor = crate::actor_for(store, &partner).await?;
    let same_line = match partner.person_id {
        Some(pp) => store.in_one_line(tenant, pp, req.subject).await?,
        None => false,
    };
    let already_open = store
        .pair_between(tenant, req.kind, req.partner, req.subject)
        .await?
        .is_some_and(|p| p.status.is_open());
    let facts = PairFacts {
        tenant,
        kind: req.kind,
        partner: req.partner,
        partner_person: partner.person_id,
        partner_is_mentor: partner_actor.has(Role::Mentor),
        subject: req.subject,
        same_reporting_line: same_line,
        already_open,
    };
    Ok(policy::may_pair(&caller.actor, &facts))
}

/// Makes a pair (HR) or sends an invitation (a side). The refusal says why not.
pub async fn request(
    store: &Store,
    caller: &Caller,
    req: &PairRequest,
) -> Result<Result<(Pair, PairStart), PairRefusal>, Error> {
    let tenant = caller.actor.tenant_id;
    let start = match check(store, caller, req).await? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    let (status, awaiting) = match start {
        PairStart::Direct => (PairStatus::Active, None),
        PairStart::Invite { awaiting } => (PairStatus::Invited, Some(awaiting)),
    };
    let id = match store
        .open_pair(
            tenant,
            &NewPair {
                kind: req.kind,
                partner: req.partner,
                subject: req.subject,
                status,
                awaiting,
                message: req.message.clone(),
                created_by: caller.actor.user_id,
                programme: req.programme,
            },
        )
        .await
    {
        Ok(id) => id,
        // Someone opened the same pair a moment ago.
        Err(StoreError::Conflict(_)) => return Ok(Err(PairRefusal::AlreadyPaired)),
        Err(e) => return Err(e.into()),
    };
    let what = match start {
        PairStart::Direct => "pair_made",
        PairStart::Invite { .. } => "pair_invited",
    };
    let detail = domain::audit::detail(what, &[("kind", &req.kind.key())]);
    audit(store, caller, id, detail).await?;
    let pair = store
        .pair(tenant, id)
        .await?
        .ok_or(Error::NotFound("pair"))?;
    Ok(Ok((pair, start)))
}

/// A pair the caller may see: not found in another tenant, forbidden to anyone who is
/// neither side nor HR.
pub async fn open(store: &Store, caller: &Caller, id: i64) -> Result<Pair, Error> {
    let tenant = caller.actor.tenant_id;
    let p = store
        .pair(tenant, id)
        .await?
        .ok_or(Error::NotFound("pair"))?;
    if !policy::may_see_pair(&caller.actor, &parties(&p, tenant)) {
        return Err(Error::Forbidden);
    }
    Ok(p)
}

/// What came of answering or ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Done,
    /// Nothing to do: it was answered or ended already (by the other side, or twice).
    AlreadySettled,
}

/// The awaited side accepts (the pair comes into force) or declines an invitation.
pub async fn respond(
    store: &Store,
    caller: &Caller,
    id: i64,
    accept: bool,
) -> Result<Change, Error> {
    let tenant = caller.actor.tenant_id;
    let p = open(store, caller, id).await?;
    let Some(awaiting) = p.awaiting.filter(|_| p.status == PairStatus::Invited) else {
        return Ok(Change::AlreadySettled);
    };
    if !policy::may_respond_to_pair(&caller.actor, &parties(&p, tenant), awaiting) {
        return Err(Error::Forbidden);
    }
    let to = if accept {
        PairStatus::Active
    } else {
        PairStatus::Declined
    };
    if !store
        .set_pair_status(tenant, id, &[PairStatus::Invited], to)
        .await?
    {
        return Ok(Change::AlreadySettled);
    }
    audit(
        store,
        caller,
        id,
        domain::audit::detail(&format!("pair_{}", to.key()), &[]),
    )
    .await?;
    Ok(Change::Done)
}

/// Either side or HR ends a pair or withdraws an invitation: no more bookings and no more
/// sheet; dialogues already held stay with both.
pub async fn end(store: &Store, caller: &Caller, id: i64) -> Result<Change, Error> {
    let tenant = caller.actor.tenant_id;
    let p = open(store, caller, id).await?;
    if !policy::may_end_pair(&caller.actor, &parties(&p, tenant)) {
        return Err(Error::Forbidden);
    }
    if !store
        .set_pair_status(
            tenant,
            id,
            &[PairStatus::Invited, PairStatus::Active],
            PairStatus::Ended,
        )
        .await?
    {
        return Ok(Change::AlreadySettled);
    }
    audit(store, caller, id, domain::audit::detail("pair_ended", &[])).await?;
    Ok(Change::Done)
}

/// The subject chooses which sections of their sheet the partner sees.
pub async fn choose_sections(
    store: &Store,
    caller: &Caller,
    id: i64,
    sections: &[Section],
) -> Result<(), Error> {
    let tenant = caller.actor.tenant_id;
    let p = open(store, caller, id).await?;
    if !policy::may_choose_pair_sections(&caller.actor, &parties(&p, tenant)) {
        return Err(Error::Forbidden);
    }
    store.set_pair_sections(tenant, id, sections).await?;
    let keys: Vec<&str> = sections.iter().map(|s| s.key()).collect();
    audit(
        store,
        caller,
        id,
        domain::audit::detail(
            "pair_sections",
            &[(
                "sections",
                &if keys.is_empty() {
                    "none".into()
                } else {
                    keys.join(",")
                },
            )],
        ),
    )
    .await?;
    Ok(())
}

/// The caller's own pairs (as partner or as subject), open ones first.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<Pair>, StoreError> {
    store
        .pairs_of(
            caller.actor.tenant_id,
            caller.actor.user_id,
            caller.actor.person_id,
        )
        .await
}

/// Invitations waiting on the caller's answer.
pub async fn awaiting_me(store: &Store, caller: &Caller) -> Result<Vec<Pair>, StoreError> {
    let tenant = caller.actor.tenant_id;
    Ok(mine(store, caller)
        .await?
        .into_iter()
        .filter(|p| {
            p.status == PairStatus::Invited
                && p.awaiting.is_some_and(|a| {
                    policy::may_respond_to_pair(&caller.actor, &parties(p, tenant), a)
                })
        })
        .collect())
}

/// Every pair of the tenant, for HR.
pub async fn all(
    store: &Store,
    caller: &Caller,
    open_only: bool,
    limit: u64,
) -> Result<Vec<Pair>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManagePairs { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(store.pairs(tenant, open_only, limit).await?)
}

/// A pair as one caller may know it: their side of it and whether it waits on their
/// answer; the invitation's message and the shared sections only to its two sides (HR's
/// list of every pair names the two people, the kind and the status, nothing they said).
#[derive(Debug, Clone)]
pub struct Seen {
    pub pair: Pair,
    pub side: Option<PairSide>,
    pub awaiting_me: bool,
}

impl Seen {
    /// The invitation's message, to the two sides only.
    pub fn message(&self) -> Option<&str> {
        self.side.map(|_| self.pair.message.as_str())
    }

    /// The sections the subject shares, to the two sides only.
    pub fn sections(&self) -> Option<&[Section]> {
        self.side.map(|_| self.pair.sections.as_slice())
    }
}

/// `p` as `caller` may know it ([`Seen`]).
pub fn seen(caller: &Caller, p: Pair) -> Seen {
    let tenant = caller.actor.tenant_id;
    let side = side_of(caller, &p);
    let awaiting_me = p.status == PairStatus::Invited
        && p.awaiting.is_some_and(|a| {
            side == Some(a) && policy::may_respond_to_pair(&caller.actor, &parties(&p, tenant), a)
        });
    Seen {
        pair: p,
        side,
        awaiting_me,
    }
}

/// The side `caller` is of `p`, if any.
pub fn side_of(caller: &Caller, p: &Pair) -> Option<PairSide> {
    policy::pair_side(&caller.actor, &parties(p, caller.actor.tenant_id))
}

async fn audit(store: &Store, caller: &Caller, id: i64, detail: String) -> Result<(), StoreError> {
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(caller.actor.tenant_id), AuditAction::PairChanged)
                .target("pair", id)
                .detail(detail),
        )
        .await
}
