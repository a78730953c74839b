//! 会社の方針: the company's career-support policy in its leaders' words and its note on
//! each scheme; everyone reads the latest version, HR writes a new one (audited).

use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, detail};
use domain::company_policy::{PolicyInput, PolicyProblem};
use store::Store;
use store::company_policy::StoredPolicy;

/// The version in force (the latest), if HR has written one.
pub async fn current(store: &Store, caller: &Caller) -> Result<Option<StoredPolicy>, Error> {
    Ok(store
        .company_policies(caller.actor.tenant_id)
        .await?
        .into_iter()
        .next())
}

/// Every version, the latest first (HR).
pub async fn versions(store: &Store, caller: &Caller) -> Result<Vec<StoredPolicy>, Error> {
    if !caller.actor.has(domain::Role::Hr) {
        return Err(Error::Forbidden);
    }
    Ok(store.company_policies(caller.actor.tenant_id).await?)
}

/// HR saves a new version: its number, or every problem.
pub async fn save(
    store: &Store,
    caller: &Caller,
    input: &PolicyInput,
    now: DateTime<Utc>,
) -> Result<Result<i64, Vec<PolicyProblem>>, Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(domain::Role::Hr) {
        return Err(Error::Forbidden);
    }
    let policy = match input.parse() {
        Ok(p) => p,
        Err(p) => return Ok(Err(p)),
    };
    let version = store
        .add_company_policy(tenant, &policy, Some(caller.actor.user_id), now)
        .await?;
    caller
        .record(
            store,
            AuditAction::SettingsChanged,
            ("company_policy", version),
            detail("company_policy", &[("n", &version)]),
        )
        .await?;
    Ok(Ok(version))
}
