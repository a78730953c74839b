//! The Career Anchor inventory (キャリア・アンカー) of the caller: only the person sees
//! their own answers and profile (`policy::may_see_anchor_results`); the inventory page
//! and the API read and keep takes here.

use crate::Error;
use chrono::{DateTime, Utc};
use domain::PersonId;
use domain::anchor::AnswerSheet;
use domain::policy::{self, Actor};
use store::Store;
use store::anchors::AnchorResult;

/// The caller's own person in the employee master, whose inventory this is; anyone
/// outside the master has none (`Forbidden`).
pub async fn own_person(store: &Store, actor: &Actor) -> Result<PersonId, Error> {
    let person = store
        .person_of_user(actor.tenant_id, actor.user_id)
        .await?
        .map(|p| PersonId(p.id))
        .ok_or(Error::Forbidden)?;
    if !policy::may_see_anchor_results(actor, actor.tenant_id, person) {
        return Err(Error::Forbidden);
    }
    Ok(person)
}

/// Every take of the caller, newest first.
pub async fn takes(store: &Store, actor: &Actor) -> Result<Vec<AnchorResult>, Error> {
    let person = own_person(store, actor).await?;
    Ok(store.anchor_results_of(actor.tenant_id, person).await?)
}

/// Keeps a scored take of the caller; returns its id.
pub async fn keep(
    store: &Store,
    actor: &Actor,
    sheet: &AnswerSheet,
    at: DateTime<Utc>,
) -> Result<i64, Error> {
    let person = own_person(store, actor).await?;
    Ok(store
        .save_anchor_result(actor.tenant_id, person, sheet, at)
        .await?)
}
