//! Feedback reports (面談所感): whether a draft may go to the subject's manager now.

use domain::dialogue::Visibility;
use domain::feedback::Parts;
use domain::policy::{self, DialogueRole, SendFacts, SendRefusal};
use domain::{PersonId, TenantId};
use store::dialogues::{Dialogue, consent_in_force};
use store::feedback::Report;
use store::{Store, StoreError};

/// The topics the employee asked to withhold, one by one (`domain::feedback::
/// withheld_topics`) — for the consultant's checklist before sending. Only the dialogue's
/// facilitator may be shown them; the caller has checked that.
pub async fn withheld_topics(
    store: &Store,
    tenant: TenantId,
    dialogue: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(topics_withheld(
        consent_in_force(&store.consent_events(tenant, dialogue).await?).as_ref(),
    ))
}

/// The topics withheld under this consent, while it is given (confirmed by the employee
/// or still waiting for them).
pub fn topics_withheld(consent: Option<&domain::dialogue::Consent>) -> Vec<String> {
    consent
        .filter(|c| c.given())
        .map(|c| domain::feedback::withheld_topics(&c.withheld))
        .unwrap_or_default()
}

/// Asks `policy::may_send_feedback` about this draft with everything it needs (the
/// consent in force, the private note items it must not repeat, whether the subject has
/// a manager), and gives the manager it would go to.
pub async fn send_check(
    store: &Store,
    tenant: TenantId,
    d: &Dialogue,
    role: DialogueRole,
    parts: &Parts,
    report: Option<&Report>,
) -> Result<(Result<(), SendRefusal>, Option<PersonId>), StoreError> {
    let consent = consent_in_force(&store.consent_events(tenant, d.id).await?);
    let private_notes: Vec<String> = store
        .notes_of(tenant, d.id)
        .await?
        .into_iter()
        .filter(|n| n.visibility == Visibility::Private)
        .map(|n| n.body)
        .collect();
    let manager = store
        .person(tenant, d.subject)
        .await?
        .and_then(|p| p.manager_id)
        .map(PersonId);
    let verdict = policy::may_send_feedback(&SendFacts {
        role,
        kind: d.kind,
        consent: consent.as_ref(),
        already_sent: report.is_some_and(|r| r.sent_at.is_some()),
        held: d.state == domain::dialogue::DialogueState::Held,
        has_manager: manager.is_some(),
        parts,
        withheld: consent.as_ref().map(|c| c.withheld.as_str()).unwrap_or(""),
        private_notes: &private_notes,
    });
    Ok((verdict, manager))
}
