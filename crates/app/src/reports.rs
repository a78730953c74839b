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

/// A sent report in its manager's list, with the employee's name.
pub struct InboxItem {
    pub report: Report,
    pub subject_name: String,
}

/// The reports sent to the caller as a manager, while each employee is still in their
/// line (withdrawn ones included, as such). Forbidden for anyone who manages nobody.
pub async fn inbox(store: &Store, actor: &policy::Actor) -> Result<Vec<InboxItem>, crate::Error> {
    if !actor.has(domain::Role::Manager) {
        return Err(crate::Error::Forbidden);
    }
    let me = actor.person_id.ok_or(crate::Error::Forbidden)?;
    let mut out = Vec::new();
    for r in store.reports_to(actor.tenant_id, me).await? {
        if store.relation(actor.tenant_id, Some(me), r.subject).await?
            != policy::Relation::InReportingLine
        {
            continue;
        }
        let subject_name = store
            .person(actor.tenant_id, r.subject)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        out.push(InboxItem {
            report: r,
            subject_name,
        });
    }
    Ok(out)
}

/// A sent report, its dialogue, and how much the caller may read of it
/// (`policy::feedback_view`): not found unless sent in the caller's tenant, forbidden
/// unless the policy lets them read it.
pub async fn readable(
    store: &Store,
    actor: &policy::Actor,
    id: i64,
) -> Result<(Report, Dialogue, policy::ReportView), crate::Error> {
    let tenant = actor.tenant_id;
    let r = store
        .report(tenant, id)
        .await?
        .filter(|r| r.sent_at.is_some())
        .ok_or(crate::Error::NotFound("report"))?;
    let d = store
        .dialogue(tenant, r.dialogue_id)
        .await?
        .ok_or(crate::Error::NotFound("report"))?;
    let in_line = store.relation(tenant, actor.person_id, r.subject).await?
        == policy::Relation::InReportingLine;
    let view = r.addressed_to.and_then(|to| {
        policy::feedback_view(
            actor,
            &policy::SentReport {
                tenant,
                addressed_to: to,
                author: r.author,
                subject: r.subject,
                retracted: r.retracted_at.is_some(),
            },
            in_line,
        )
    });
    let view = view.ok_or(crate::Error::Forbidden)?;
    Ok((r, d, view))
}
