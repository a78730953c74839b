//! 研修後アンケート: a participant answers once, after their training session
//! ([`standing`], [`give`]); HR reads the answers by instructor style × participant
//! segment, beside the programme's placement and for the company's recent programmes
//! ([`report`]), every cell through the anonymity rule.

use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::policy::{self, Action};
use domain::training::Style;
use domain::training_feedback::{self as tf, Answer, Placed, Report, Window};
use domain::{PersonId, TenantId};
use store::Store;
use store::programmes::Programme;
use store::training_feedback::{FeedbackParticipation, FeedbackRefused};

/// The company column covers the programmes of this many fiscal years, up to the
/// programme's own.
pub const COMPANY_YEARS: i32 = 5;

/// Where a participant stands with the post-training survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not placed in a training session (or a programme without training).
    NotPlaced,
    /// Their session has not ended; answers open when it ends.
    NotYet {
        opens: DateTime<Utc>,
    },
    Open {
        until: DateTime<Utc>,
    },
    Given,
    /// The answer window has passed.
    Closed,
}

/// Why an answer was not taken (a key under `training_feedback.refused.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotPlaced,
    NotYet,
    Closed,
    AlreadyGiven,
}

impl Refused {
    pub fn key(self) -> &'static str {
        match self {
            Refused::NotPlaced => "not_placed",
            Refused::NotYet => "not_yet",
            Refused::Closed => "closed",
            Refused::AlreadyGiven => "already_given",
        }
    }
}

/// The participant's session, when they are placed in one of a programme with training.
async fn session_of(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
    person: PersonId,
) -> Result<Option<store::programmes::TrainingSession>, Error> {
    if !programme.template.has_training() {
        return Ok(None);
    }
    let Some(p) = store
        .participants(tenant, programme.id)
        .await?
        .into_iter()
        .find(|p| p.person == person)
    else {
        return Err(Error::NotFound("participant"));
    };
    Ok(match p.session {
        Some(sid) => store.training_session(tenant, sid).await?,
        None => None,
    })
}

/// Where `person` (a participant) stands with the programme's post-training survey.
pub async fn standing(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<Standing, Error> {
    Ok(placed(store, tenant, programme, person, now).await?.0)
}

/// [`standing`], with the session it is about.
async fn placed(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<(Standing, Option<store::programmes::TrainingSession>), Error> {
    if store
        .training_feedback_given(tenant, programme.id, person)
        .await?
        == Some(true)
    {
        return Ok((Standing::Given, None));
    }
    let Some(session) = session_of(store, tenant, programme, person).await? else {
        return Ok((Standing::NotPlaced, None));
    };
    let standing = match tf::window(session.ends_at, now) {
        Window::NotYet => Standing::NotYet {
            opens: session.ends_at,
        },
        Window::Open(until) => Standing::Open { until },
        Window::Closed => Standing::Closed,
    };
    Ok((standing, Some(session)))
}

/// Takes the caller's own answer: they must be a participant placed in a session that
/// has ended within the answer window, and not have answered yet. The answer is stored
/// with the session's instructor style and the caller's segment only.
pub async fn give(
    store: &Store,
    caller: &Caller,
    programme: &Programme,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, Error> {
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let participant = store.is_participant(tenant, programme.id, me).await?;
    policy::authorize(
        &caller.actor,
        Action::FollowOwnProgramme {
            tenant,
            participant,
        },
    )
    .map_err(|_| Error::NotFound("programme"))?;
    let session = match placed(store, tenant, programme, me, now).await? {
        (Standing::Open { .. }, Some(session)) => session,
        (Standing::NotYet { .. }, _) => return Ok(Err(Refused::NotYet)),
        (Standing::Closed, _) => return Ok(Err(Refused::Closed)),
        (Standing::Given, _) => return Ok(Err(Refused::AlreadyGiven)),
        _ => return Ok(Err(Refused::NotPlaced)),
    };
    let segment = crate::programmes::segments(store, tenant, programme)
        .await?
        .get(&me.0)
        .copied()
        .unwrap_or(Style::Calm);
    Ok(
        match store
            .give_training_feedback(tenant, programme.id, me, session.style, segment, answer)
            .await?
        {
            Ok(()) => Ok(()),
            Err(FeedbackRefused::AlreadyGiven) => Err(Refused::AlreadyGiven),
            Err(FeedbackRefused::NotParticipant) => Err(Refused::NotPlaced),
        },
    )
}

/// The post-training report beside a programme's placement.
#[derive(Debug, Clone)]
pub struct FeedbackReport {
    pub participation: FeedbackParticipation,
    pub k: u32,
    /// Programmes with training in the company column (this one included).
    pub programmes: usize,
    /// The fiscal years the company column covers.
    pub years: (i32, i32),
    /// Unit 0 is the company column; [`FeedbackReport::THIS`] is the programme.
    pub report: Report,
}

impl FeedbackReport {
    /// The programme's own unit in [`FeedbackReport::report`].
    pub const THIS: usize = 1;
    pub const COMPANY: usize = 0;
}

/// HR's report of the post-training survey for `programme` and, in the same decision,
/// for the company's programmes with training of the last [`COMPANY_YEARS`] fiscal
/// years, so a cell hidden in one cannot be worked out from the other.
pub async fn report(
    store: &Store,
    caller: &Caller,
    programme: &Programme,
    now: DateTime<Utc>,
) -> Result<FeedbackReport, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageProgrammes { tenant })
        .map_err(|_| Error::Forbidden)?;
    let from = programme.fiscal_year - (COMPANY_YEARS - 1);
    // This programme first (unit 1), then the others.
    let mut ids = vec![programme.id];
    ids.extend(
        store
            .programmes(tenant)
            .await?
            .into_iter()
            .filter(|p| {
                p.id != programme.id
                    && p.template.has_training()
                    && (from..=programme.fiscal_year).contains(&p.fiscal_year)
            })
            .map(|p| p.id),
    );
    let rows = store.training_feedback(tenant, &ids).await?;
    let placed: Vec<Placed> = rows
        .into_iter()
        .filter_map(|r| {
            Some(Placed {
                programme: ids.iter().position(|id| *id == r.programme)?,
                style: r.style,
                segment: r.segment,
                answer: r.answer,
            })
        })
        .collect();
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    Ok(FeedbackReport {
        participation: store
            .training_feedback_participation(tenant, programme.id, now)
            .await?,
        k,
        programmes: ids.len(),
        years: (from, programme.fiscal_year),
        report: Report::new(ids.len(), &placed, u64::from(k)),
    })
}
