//! The employee's consent (同意) to feedback for their manager, on a consultant session:
//! given or refused by the employee, or recorded by the consultant as agreed in the
//! session — which permits nothing until the employee confirms it; withdrawn by either
//! (after sending, withdrawing retracts the report). The dialogue page and the API change
//! it here; every change is audited, never silently made.

use crate::{Caller, Error};
use domain::audit::AuditAction;
use domain::dialogue::ConsentChange;
use domain::policy::{self, DialogueRole};
use store::Store;
use store::audit::NewAuditEntry;
use store::dialogues::{Dialogue, consent_in_force};

/// Why a change that the caller may make was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Confirming, when no answer recorded by the consultant waits for the employee.
    NothingToConfirm,
    /// Withdrawing, when no consent is in force.
    NothingToWithdraw,
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// A report already sent was retracted from the manager.
    pub retracted: bool,
    /// The employee made it themselves (otherwise it waits for their confirmation).
    pub by_subject: bool,
}

/// Makes `event` on dialogue `d`, where the caller stands as `role`: `Forbidden` when the
/// policy does not let them (or the dialogue is not a consultant session), a
/// [`Refusal`] when there is nothing to confirm or withdraw. `withheld` is what the
/// employee asks not to be told to their manager (kept with a given or refused answer;
/// already checked for length by the caller).
pub async fn change(
    store: &Store,
    caller: &Caller,
    d: &Dialogue,
    role: DialogueRole,
    event: ConsentChange,
    withheld: &str,
) -> Result<Result<Changed, Refusal>, Error> {
    let allowed = d.kind.is_consultant_session()
        && match event {
            ConsentChange::Given | ConsentChange::Refused => policy::may_record_consent(role),
            ConsentChange::Confirmed => policy::may_confirm_consent(role),
            ConsentChange::Withdrawn => policy::may_withdraw_consent(role),
        };
    if !allowed {
        return Err(Error::Forbidden);
    }
    let tenant = caller.actor.tenant_id;
    if matches!(event, ConsentChange::Confirmed | ConsentChange::Withdrawn) {
        let now = consent_in_force(&store.consent_events(tenant, d.id).await?);
        if event == ConsentChange::Confirmed
            && !now.as_ref().is_some_and(|c| c.awaits_confirmation())
        {
            return Ok(Err(Refusal::NothingToConfirm));
        }
        if event == ConsentChange::Withdrawn && !now.as_ref().is_some_and(|c| c.given()) {
            return Ok(Err(Refusal::NothingToWithdraw));
        }
    }
    let withheld = match event {
        ConsentChange::Given | ConsentChange::Refused => withheld,
        _ => "",
    };
    let retracted = store
        .record_consent(tenant, d.id, event, withheld, caller.actor.user_id)
        .await?;
    let by_subject = caller.actor.person_id == Some(d.subject);
    let key = match (by_subject, retracted) {
        (true, false) => "consent_subject",
        (true, true) => "consent_subject_retracted",
        (false, false) => "consent_recorded",
        (false, true) => "consent_recorded_retracted",
    };
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::ConsentChanged)
                .target("dialogue", d.id)
                .detail(domain::audit::detail(key, &[("event", &event.key())])),
        )
        .await?;
    Ok(Ok(Changed {
        retracted,
        by_subject,
    }))
}
