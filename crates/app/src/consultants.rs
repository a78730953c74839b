//! Consultants (キャリアコンサルタント) as people of their own: each keeps a profile for
//! employees to choose from; HR lists them and suspends or restores an account. Every
//! step asks `domain::policy` and is audited. HR's list holds profiles and account
//! states only — never who consults whom.

use crate::{Caller, Error};
use domain::UserId;
use domain::audit::AuditAction;
use domain::consultant::{Diagnosis, Profile};
use domain::policy::{self, Action};
use store::Store;
use store::audit::NewAuditEntry;
use store::consultants::ConsultantEntry;

/// The caller's own profile, if they wrote one (consultants only).
pub async fn my_profile(store: &Store, caller: &Caller) -> Result<Option<Profile>, Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    Ok(store
        .consultant_profile(caller.actor.tenant_id, caller.actor.user_id)
        .await?
        .map(|(p, _)| p))
}

/// Writes the caller's own profile (already checked by `domain::consultant::
/// parse_profile`), audited.
pub async fn save_profile(store: &Store, caller: &Caller, profile: &Profile) -> Result<(), Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    store
        .save_consultant_profile(tenant, caller.actor.user_id, profile)
        .await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::ConsultantProfileChanged)
                .target("user", caller.actor.user_id.0),
        )
        .await?;
    Ok(())
}

/// A consultant's profile as employees read it, with their account name: not found for
/// anyone who is not a consultant, has no profile yet, or is suspended (HR still sees a
/// suspended one, and a consultant always sees their own).
pub async fn profile_of(store: &Store, caller: &Caller, user: UserId) -> Result<Profile, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ReadConsultantProfile { tenant })
        .map_err(|_| Error::Forbidden)?;
    let target = match store.user(tenant, user).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Err(Error::NotFound("consultant")),
        Err(e) => return Err(e.into()),
    };
    let is_consultant = crate::actor_for(store, &target)
        .await?
        .has(domain::Role::Consultant);
    let sees_suspended = caller.actor.has(domain::Role::Hr) || caller.actor.user_id == user;
    if !is_consultant || (target.disabled && !sees_suspended) {
        return Err(Error::NotFound("consultant"));
    }
    store
        .consultant_profile(tenant, user)
        .await?
        .map(|(p, _)| p)
        .ok_or(Error::NotFound("consultant"))
}

/// The company's consultants with their profiles (HR).
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<ConsultantEntry>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(store.consultants(tenant).await?)
}

/// HR suspends (or restores) a consultant's account: suspended, they cannot sign in and
/// their sessions end. Not found in another tenant; forbidden for anyone but a
/// consultant who runs neither HR nor administration. True when something changed.
pub async fn suspend(
    store: &Store,
    caller: &Caller,
    user: UserId,
    suspended: bool,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    let target = match store.user(tenant, user).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Err(Error::NotFound("user")),
        Err(e) => return Err(e.into()),
    };
    let roles = crate::actor_for(store, &target).await?.roles;
    let roles: Vec<domain::Role> = domain::Role::ALL
        .into_iter()
        .filter(|r| roles.contains(*r))
        .collect();
    if !policy::may_suspend_consultant(&caller.actor, user, &roles) {
        return Err(Error::Forbidden);
    }
    if target.disabled == suspended {
        return Ok(false);
    }
    store.set_user_disabled(tenant, user, suspended).await?;
    store.bump_profiles_version(tenant).await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(
                Some(tenant),
                if suspended {
                    AuditAction::UserDisabled
                } else {
                    AuditAction::UserEnabled
                },
            )
            .target("user", user.0),
        )
        .await?;
    Ok(true)
}

/// The caller's own values diagnosis (価値観診断), if taken, with when; and their
/// strongest anchors from their latest inventory, if any (the diagnosis reads the
/// anchor profile rather than asking again). Only for someone in the employee master.
pub async fn my_diagnosis(store: &Store, caller: &Caller) -> Result<MyDiagnosis, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnDiagnosis).map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let person = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let diagnosis = store.diagnosis_of(tenant, person).await?;
    let anchors = store
        .anchor_results_of(tenant, person)
        .await?
        .into_iter()
        .max_by_key(|r| r.taken_at)
        .map(|r| (domain::anchor::score(&r.sheet).dominant, r.taken_at));
    Ok(MyDiagnosis { diagnosis, anchors })
}

/// What [`my_diagnosis`] answers.
pub struct MyDiagnosis {
    pub diagnosis: Option<(Diagnosis, chrono::DateTime<chrono::Utc>)>,
    /// The strongest anchors (ties as ties) and when the inventory was taken.
    pub anchors: Option<(Vec<domain::anchor::Anchor>, chrono::DateTime<chrono::Utc>)>,
}

/// Saves the caller's own diagnosis (already checked by `parse_diagnosis`), replacing
/// the one before.
pub async fn save_diagnosis(store: &Store, caller: &Caller, d: &Diagnosis) -> Result<(), Error> {
    policy::authorize(&caller.actor, Action::KeepOwnDiagnosis).map_err(|_| Error::Forbidden)?;
    let person = caller.actor.person_id.ok_or(Error::Forbidden)?;
    store
        .save_diagnosis(caller.actor.tenant_id, person, d)
        .await?;
    Ok(())
}
