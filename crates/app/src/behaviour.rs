//! Behaviour change (行動変容): the assigned consultant evaluates their client once per
//! fiscal year (replacing this year's evaluation), with the manager's input they
//! gathered; only they read it back (`policy::may_evaluate_behaviour`). The organisation
//! sees only the anonymised shares (`app::programmes::Report`). The clients page and the
//! API evaluate here.

use crate::Error;
use chrono::NaiveDate;
use domain::PersonId;
use domain::behaviour::{Change, MAX_REASON_CHARS};
use domain::calendar::FiscalYear;
use domain::policy::{self, Actor};
use store::Store;
use store::behaviour::Evaluation;

/// Why an evaluation was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The reason is required.
    NoReason,
    /// The reason or the manager's input is over `MAX_REASON_CHARS`.
    TooLong,
}

async fn assigned(store: &Store, actor: &Actor, person: PersonId) -> Result<(), Error> {
    let assigned = store
        .is_assigned(actor.tenant_id, actor.user_id, person)
        .await?;
    if policy::may_evaluate_behaviour(actor, actor.tenant_id, assigned) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The fiscal year `today` falls in, by the company's calendar.
pub async fn this_year(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
) -> Result<FiscalYear, Error> {
    let cal = store.tenant(actor.tenant_id).await?.settings.calendar;
    Ok(cal.fiscal_year_of(today))
}

/// This fiscal year's evaluation of `person`, for their assigned consultant.
pub async fn of_client(
    store: &Store,
    actor: &Actor,
    person: PersonId,
    today: NaiveDate,
) -> Result<Option<Evaluation>, Error> {
    assigned(store, actor, person).await?;
    let fy = this_year(store, actor, today).await?;
    Ok(store.behaviour_of(actor.tenant_id, person, fy.0).await?)
}

/// Records this fiscal year's evaluation of `person` by their assigned consultant.
pub async fn evaluate(
    store: &Store,
    actor: &Actor,
    person: PersonId,
    level: Change,
    reason: &str,
    manager_input: &str,
    today: NaiveDate,
) -> Result<Result<(), Refusal>, Error> {
    assigned(store, actor, person).await?;
    let (reason, input) = (reason.trim(), manager_input.trim());
    if reason.is_empty() {
        return Ok(Err(Refusal::NoReason));
    }
    if reason.chars().count() > MAX_REASON_CHARS || input.chars().count() > MAX_REASON_CHARS {
        return Ok(Err(Refusal::TooLong));
    }
    let fy = this_year(store, actor, today).await?;
    store
        .record_behaviour(
            actor.tenant_id,
            person,
            fy.0,
            level,
            reason,
            input,
            actor.user_id,
        )
        .await?;
    Ok(Ok(()))
}
