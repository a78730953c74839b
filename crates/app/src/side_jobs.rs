//! 副業・兼業 (side jobs): an employee applies under the company's rules; HR approves,
//! asks for changes or refuses, saying why; the employee resubmits after changes,
//! withdraws while it waits, and reports back once an approved period has ended. Only the
//! applicant and HR see an application (`domain::policy::may_see_side_job`) — not the
//! manager, in no list, count or audit view.

use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, detail};
use domain::policy;
use domain::side_job::{
    self, Decision, DecisionRefusal, Problem, Refusal, Rules, SideJobInput, Status,
};
use store::Store;
use store::side_jobs::StoredSideJob;

/// Why an application was not recorded: the form's problems and the rules' refusals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NotApplied {
    pub problems: Vec<Problem>,
    pub refusals: Vec<Refusal>,
}

/// An application the caller may see; NotFound otherwise.
pub async fn open(store: &Store, caller: &Caller, id: i64) -> Result<StoredSideJob, Error> {
    let tenant = caller.actor.tenant_id;
    let s = store
        .side_job(tenant, id)
        .await?
        .ok_or(Error::NotFound("side job"))?;
    if !policy::may_see_side_job(&caller.actor, tenant, s.person) {
        return Err(Error::NotFound("side job"));
    }
    Ok(s)
}

/// The caller applies.
pub async fn apply(
    store: &Store,
    caller: &Caller,
    input: &SideJobInput,
    now: DateTime<Utc>,
) -> Result<Result<i64, NotApplied>, Error> {
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let rules = store.side_job_rules(tenant).await?;
    let job = match input.check(&rules) {
        Ok(j) => j,
        Err((problems, refusals)) => return Ok(Err(NotApplied { problems, refusals })),
    };
    let id = store.add_side_job(tenant, me, &job, now).await?;
    caller
        .record(
            store,
            AuditAction::SideJobChanged,
            ("side_job", id),
            detail("side_job_applied", &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// The applicant resubmits after HR asked for changes.
pub async fn resubmit(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: &SideJobInput,
    now: DateTime<Utc>,
) -> Result<Result<(), NotApplied>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open(store, caller, id).await?;
    if caller.actor.person_id != Some(current.person) {
        return Err(Error::Forbidden);
    }
    if current.status != Status::ChangesRequested {
        return Err(Error::Forbidden);
    }
    let rules = store.side_job_rules(tenant).await?;
    let job = match input.check(&rules) {
        Ok(j) => j,
        Err((problems, refusals)) => return Ok(Err(NotApplied { problems, refusals })),
    };
    store.resubmit_side_job(tenant, &current, &job, now).await?;
    caller
        .record(
            store,
            AuditAction::SideJobChanged,
            ("side_job", id),
            detail("side_job_applied", &[]),
        )
        .await?;
    Ok(Ok(()))
}

/// HR decides a submitted application (never their own).
pub async fn decide(
    store: &Store,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Result<Status, DecisionRefusal>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open(store, caller, id).await?;
    if !policy::may_decide_side_job(&caller.actor, tenant, current.person) {
        return Err(Error::Forbidden);
    }
    let to = match side_job::decide(current.status, decision, reason) {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    if !store
        .set_side_job_status(
            tenant,
            &current,
            to,
            reason.trim(),
            Some(caller.actor.user_id),
            now,
        )
        .await?
    {
        return Ok(Err(DecisionRefusal::NotWaiting));
    }
    caller
        .record(
            store,
            AuditAction::SideJobChanged,
            ("side_job", id),
            detail("side_job_decided", &[("event", &to.key())]),
        )
        .await?;
    Ok(Ok(to))
}

/// The applicant withdraws an application that waits or asks for changes.
pub async fn withdraw(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open(store, caller, id).await?;
    if caller.actor.person_id != Some(current.person) {
        return Err(Error::Forbidden);
    }
    if !matches!(current.status, Status::Submitted | Status::ChangesRequested) {
        return Ok(false);
    }
    let done = store
        .set_side_job_status(tenant, &current, Status::Withdrawn, "", None, now)
        .await?;
    if done {
        caller
            .record(
                store,
                AuditAction::SideJobChanged,
                ("side_job", id),
                detail("side_job_decided", &[("event", &Status::Withdrawn.key())]),
            )
            .await?;
    }
    Ok(done)
}

/// Why a report back was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotReported {
    /// Only after an approved period has ended.
    NotDue,
    Missing,
    TooLong,
    Already,
}

/// The applicant reports back what they learned, once the approved period has ended.
pub async fn report(
    store: &Store,
    caller: &Caller,
    id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), NotReported>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open(store, caller, id).await?;
    if caller.actor.person_id != Some(current.person) {
        return Err(Error::Forbidden);
    }
    let today = domain::japan_time::japan_date(now);
    if !side_job::report_due(current.status, &current.job, today) {
        return Ok(Err(NotReported::NotDue));
    }
    let text = text.trim();
    if text.is_empty() {
        return Ok(Err(NotReported::Missing));
    }
    if text.chars().count() > side_job::MAX_TEXT {
        return Ok(Err(NotReported::TooLong));
    }
    if !store.report_side_job(tenant, &current, text, now).await? {
        return Ok(Err(NotReported::Already));
    }
    caller
        .record(
            store,
            AuditAction::SideJobChanged,
            ("side_job", id),
            detail("side_job_reported", &[]),
        )
        .await?;
    Ok(Ok(()))
}

/// The caller's own applications.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<StoredSideJob>, Error> {
    match caller.actor.person_id {
        Some(me) => Ok(store.side_jobs_of(caller.actor.tenant_id, me).await?),
        None => Ok(Vec::new()),
    }
}

/// Every application HR may see (all but their own, which is theirs as an applicant).
pub async fn all(store: &Store, caller: &Caller) -> Result<Vec<StoredSideJob>, Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(domain::Role::Hr) {
        return Ok(Vec::new());
    }
    Ok(store
        .side_jobs(tenant)
        .await?
        .into_iter()
        .filter(|s| policy::may_see_side_job(&caller.actor, tenant, s.person))
        .collect())
}

/// HR sets the company's rules.
pub async fn set_rules(store: &Store, caller: &Caller, rules: &Rules) -> Result<(), Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(domain::Role::Hr) {
        return Err(Error::Forbidden);
    }
    store.set_side_job_rules(tenant, rules).await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(Some(tenant), AuditAction::SettingsChanged)
                .detail(detail("side_job_rules", &[("n", &rules.hours_cap)])),
        )
        .await?;
    Ok(())
}

/// The side jobs the caller may not see (the audit log leaves out their entries).
pub async fn hidden_from(store: &Store, caller: &Caller) -> Result<Vec<i64>, Error> {
    let tenant = caller.actor.tenant_id;
    Ok(store
        .side_jobs(tenant)
        .await?
        .into_iter()
        .filter(|s| !policy::may_see_side_job(&caller.actor, tenant, s.person))
        .map(|s| s.id)
        .collect())
}

/// Applications waiting for HR's decision that the caller may decide (HR's home).
pub async fn waiting(store: &Store, caller: &Caller) -> Result<usize, Error> {
    let tenant = caller.actor.tenant_id;
    Ok(all(store, caller)
        .await?
        .iter()
        .filter(|s| {
            s.status == Status::Submitted
                && policy::may_decide_side_job(&caller.actor, tenant, s.person)
        })
        .count())
}
