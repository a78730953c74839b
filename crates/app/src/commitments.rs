//! Commitments (行動計画) across dialogues: the caller's own, those they recorded, which
//! follow-ups are due, and how a milestone interview may close.

use crate::Caller;
use domain::TenantId;
use domain::commitment;
use domain::dialogue::{DialogueKind, DialogueState};
use domain::japan_time::japan_date;
use store::commitments::Commitment;
use store::dialogues::Dialogue;
use store::{Store, StoreError};

/// The commitments the caller made, in every dialogue about them (their own words; no
/// one else's).
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<Commitment>, StoreError> {
    match caller.actor.person_id {
        Some(me) => store.commitments_about(caller.actor.tenant_id, me).await,
        None => Ok(Vec::new()),
    }
}

/// The commitments recorded in dialogues the caller held (theirs to follow up).
pub async fn recorded_by_me(store: &Store, caller: &Caller) -> Result<Vec<Commitment>, StoreError> {
    store
        .commitments_recorded_by_facilitator(caller.actor.tenant_id, caller.actor.user_id)
        .await
}

/// The check-ins due today among these commitments, `grace_days` after each start.
pub fn due_check_ins(
    commitments: &[Commitment],
    grace_days: i64,
    today: chrono::NaiveDate,
) -> Vec<&Commitment> {
    commitments
        .iter()
        .filter(|c| commitment::check_in_due(c.starts_on, today, grace_days, c.status, c.counts()))
        .collect()
}

/// How closing a milestone interview as held comes out.
pub enum MilestoneClose {
    /// A confirmed commitment passes both checks.
    Committed,
    /// None does, but the next session is booked: the interviews go on.
    Continued,
    /// None does and nothing is booked: refuse, and ask for the next session.
    NeedsNextSession,
}

/// Decides how a milestone interview may close (DOMAIN.md: Cohort programme, step 3).
pub async fn milestone_close(
    store: &Store,
    tenant: TenantId,
    d: &Dialogue,
) -> Result<MilestoneClose, StoreError> {
    let cs = store.commitments_of(tenant, d.id).await?;
    let verdicts: Vec<(bool, bool, bool)> = cs
        .iter()
        .map(|c| (c.objective, c.has_start, c.confirmed_at.is_some()))
        .collect();
    if commitment::may_close_as_committed(&verdicts) {
        return Ok(MilestoneClose::Committed);
    }
    let next_booked = store
        .dialogues_about(tenant, d.subject)
        .await?
        .iter()
        .any(|o| {
            o.id != d.id
                && o.kind == DialogueKind::MilestoneInterview
                && o.state == DialogueState::Scheduled
                && o.starts_at > d.starts_at
        });
    Ok(if next_booked {
        MilestoneClose::Continued
    } else {
        MilestoneClose::NeedsNextSession
    })
}

/// Which milestone interview of the fiscal year this is for the person (1, 2, …), counting
/// those not cancelled up to this one: sessions to commitment.
pub async fn milestone_session_number(
    store: &Store,
    tenant: TenantId,
    d: &Dialogue,
) -> Result<usize, StoreError> {
    let cal = store.tenant(tenant).await?.settings.calendar;
    let fy = cal.fiscal_year_of(japan_date(d.starts_at));
    Ok(store
        .dialogues_about(tenant, d.subject)
        .await?
        .iter()
        .filter(|o| {
            o.kind == DialogueKind::MilestoneInterview
                && o.state != DialogueState::Cancelled
                && o.starts_at <= d.starts_at
                && cal.fiscal_year_of(japan_date(o.starts_at)) == fy
        })
        .count())
}

/// Why a status change was refused; the key names the message
/// (`commitment.error.{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRefusal {
    /// Only the employee and the facilitator of its dialogue move a commitment.
    NotYours,
    /// A commitment that does not count yet (unconfirmed, or failing a check) has no
    /// status to move.
    Unconfirmed,
    /// The wording changed since the caller read it: `current` is the version now.
    Stale { current: i64 },
    /// The status, or a reason too long or missing for 止めた.
    Invalid(&'static str),
}

/// The employee or the facilitator moves a commitment on (始めた・続けている・できた・止めた,
/// a reason for stopping). `read_version`, when given, is the wording the caller saw:
/// a newer one refuses the change (the API's optimistic check). Not found when the
/// commitment is not in the caller's tenant or the caller may not know of its dialogue.
pub async fn set_status(
    store: &Store,
    caller: &Caller,
    id: i64,
    status: &str,
    reason: &str,
    read_version: Option<i64>,
) -> Result<Result<Commitment, StatusRefusal>, crate::Error> {
    let tenant = caller.actor.tenant_id;
    let c = store
        .commitment(tenant, id)
        .await?
        .ok_or(crate::Error::NotFound("commitment"))?;
    let (_, role) = crate::dialogues::open(store, &caller.actor, c.dialogue_id).await?;
    if !matches!(
        role,
        domain::policy::DialogueRole::Facilitator | domain::policy::DialogueRole::Subject
    ) {
        return Ok(Err(StatusRefusal::NotYours));
    }
    if let Some(v) = read_version
        && v != c.version
    {
        return Ok(Err(StatusRefusal::Stale { current: c.version }));
    }
    if !c.counts() {
        return Ok(Err(StatusRefusal::Unconfirmed));
    }
    let (status, reason) = match commitment::parse_status_change(status, reason) {
        Ok(s) => s,
        Err(e) => return Ok(Err(StatusRefusal::Invalid(e))),
    };
    store
        .set_commitment_status(tenant, id, status, &reason)
        .await?;
    Ok(Ok(store
        .commitment(tenant, id)
        .await?
        .ok_or(crate::Error::NotFound("commitment"))?))
}
