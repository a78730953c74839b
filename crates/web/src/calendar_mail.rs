//! Calendar invitations by e-mail (予定のご案内): when a dialogue is booked, each attendee
//! with an account — the facilitator and the employee — is e-mailed an invitation
//! (`METHOD:REQUEST`) that their mail program adds to their calendar; when it is
//! cancelled, a `METHOD:CANCEL` of the same UID and a higher SEQUENCE removes it.
//!
//! Booking paths do nothing for it: the store marks a new or cancelled dialogue as due
//! (`dialogues.calendar_due`), and each worker pass sends what is due within
//! [`REACH_DAYS`] — marking and enqueueing in one transaction, so with several server
//! processes each invitation goes once. A series' later meetings go as they come within
//! reach. Invitations go by e-mail whatever the person chose for notices (a calendar
//! cannot be updated in the app), carry no notice in the app, and say nothing of what
//! was said.

use crate::AppState;
use crate::shared::calendar::{Party, invitation};
use crate::shared::email::compose_link;
use app::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use store::jobs::{CalendarPart, NewJob};
use store::{StoreError, TenantId};

/// How far ahead invitations go out.
pub const REACH_DAYS: i64 = 60;
/// Dialogues handled per tenant per pass.
const BATCH: u64 = 200;

/// Sends the tenant's due invitations and cancellations; returns how many dialogues.
pub async fn send_due(
    state: &AppState,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let store = &state.store;
    let due = store
        .due_invitations(tenant, now, now + Duration::days(REACH_DAYS), BATCH)
        .await?;
    let mut sent = 0;
    for inv in due {
        let d = &inv.dialogue;
        let facilitator = store.user(tenant, d.facilitator).await?;
        let mut people = Vec::with_capacity(2);
        if !facilitator.disabled {
            people.push(facilitator.clone());
        }
        if let Some((id, _)) = store.account_of_person(tenant, d.subject).await?
            && id != facilitator.id
        {
            people.push(store.user(tenant, id).await?);
        }
        let attendees: Vec<Party<'_>> = people
            .iter()
            .map(|u| (u.name.as_str(), u.email.as_str()))
            .collect();
        let when = crate::shared::time::span(d.starts_at, d.ends_at());
        let place = if d.place.is_empty() {
            "-"
        } else {
            d.place.as_str()
        };
        let jobs = people
            .iter()
            .map(|u| {
                let lang = u
                    .language
                    .as_deref()
                    .and_then(Lang::parse)
                    .unwrap_or(Lang::Ja);
                let (method, ics) = invitation(
                    lang,
                    d,
                    inv.sequence,
                    (&facilitator.name, &facilitator.email),
                    &attendees,
                );
                let key = if method == "CANCEL" {
                    "email.calendar_cancel"
                } else {
                    "email.calendar_request"
                };
                let mut mail = compose_link(
                    &state.config.public_url,
                    u.email.clone(),
                    key,
                    &[("when", &when), ("place", &place)],
                    &format!("/dialogues/{}", d.id),
                );
                // Its link is the dialogue's page, which asks for sign-in: no credential.
                mail.credential = false;
                mail.calendar = Some(CalendarPart {
                    method: method.into(),
                    ics,
                });
                NewJob::email(
                    tenant,
                    format!("email.calendar-{}-{}-{}", d.id, inv.sequence, u.id.0),
                    &mail,
                    now,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        if store
            .send_invitation(tenant, d.id, inv.sequence, &jobs, now)
            .await?
        {
            sent += 1;
        }
    }
    Ok(sent)
}
