//! Dialogues (面談・1on1) as each caller may see them. [`view`] is the one way a page, the
//! API or an export reads a dialogue's notes, topics, consent, commitments, vision,
//! worksheet and report material: it works out the caller's [`DialogueRole`], asks
//! [`policy::dialogue_parts`] which parts that role sees, loads only those, and writes the
//! confidential-read audit entries the policy asks for. [`records`] does the same for the
//! employee's own records (本人に返却).

use crate::{Caller, Error};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::audit::{self, AuditAction};
use domain::career_sheet::CareerSheet;
use domain::dialogue::Visibility;
use domain::dialogue::{self, Cadence, DialogueKind, MAX_SERIES_COUNT, ScheduleWarning};
use domain::japan_time::{from_japan, to_japan};
use domain::mechanism::Side;
use domain::policy::{self, Actor, DialogueFacts, DialogueParts, DialogueRole, Relation};
use domain::policy::{ScheduleFacts, ScheduleRefusal};
use domain::{PersonId, UserId};
use domain::{Role, TenantId};
use store::audit::NewAuditEntry;
use store::commitments::Commitment;
use store::dialogues::NewDialogue;
use store::dialogues::{ConsentEvent, Dialogue, Note, NoteRevision, Topic, consent_in_force};
use store::feedback::Report;
use store::{Store, StoreError};

/// Which transport read it, for the audit entry's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Page,
    Api,
}

/// The caller's role in a dialogue, from the reporting line as it is now.
pub async fn role_in(
    store: &Store,
    actor: &Actor,
    d: &Dialogue,
) -> Result<DialogueRole, StoreError> {
    let relation = store
        .relation(actor.tenant_id, actor.person_id, d.subject)
        .await?;
    // Only a manager's view depends on it, so the booking is looked up only then.
    let self_chosen = relation == Relation::InReportingLine
        && d.kind.is_consultant_session()
        && store.self_chosen(actor.tenant_id, d.id).await?;
    Ok(policy::dialogue_role(
        actor,
        &DialogueFacts {
            tenant: actor.tenant_id,
            subject: d.subject,
            facilitator: d.facilitator,
            subject_reports_to_actor: relation == Relation::InReportingLine
                && actor.has(Role::Manager),
            scheduled_by_actor: d.created_by == actor.user_id,
            self_chosen,
        },
    ))
}

/// The dialogue and the caller's role in it: not found when it does not exist in the
/// caller's tenant, forbidden when the caller may not even know of it. The record comes
/// back [`redact`]ed to what the role may see; its notes and the rest come through
/// [`view`].
pub async fn open(
    store: &Store,
    actor: &Actor,
    id: i64,
) -> Result<(Dialogue, DialogueRole), Error> {
    let d = store
        .dialogue(actor.tenant_id, id)
        .await?
        .ok_or(Error::NotFound("dialogue"))?;
    let role = role_in(store, actor, &d).await?;
    if !policy::may_see_dialogue(role) {
        return Err(Error::Forbidden);
    }
    let parts = policy::dialogue_parts(role, d.kind.is_consultant_session());
    Ok((redact(d, &parts), role))
}

/// Every dialogue the caller's lists show, with their role in it, by start time: those
/// they hold, those about them, their reports' (a manager sees when and what kind,
/// `SubjectsManager`), and those they booked for others (HR). Each passes
/// [`policy::may_see_dialogue`]; what of it the role sees is [`redact`]ed.
pub async fn listed(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<(Dialogue, DialogueRole)>, StoreError> {
    let tenant = actor.tenant_id;
    let mut all = store
        .dialogues_facilitated_by(tenant, actor.user_id)
        .await?;
    if let Some(me) = actor.person_id {
        all.extend(store.dialogues_about(tenant, me).await?);
        if actor.has(Role::Manager) {
            let line: Vec<PersonId> = store
                .reports_of(tenant, me)
                .await?
                .into_iter()
                .map(|(_, p)| PersonId(p.id))
                .collect();
            all.extend(store.dialogues_about_any(tenant, &line).await?);
        }
    }
    if actor.has(Role::Hr) {
        all.extend(store.dialogues_booked_by(tenant, actor.user_id).await?);
    }
    all.sort_by_key(|d| (d.starts_at, d.id));
    all.dedup_by_key(|d| d.id);
    let mut out = Vec::with_capacity(all.len());
    for d in all {
        let role = role_in(store, actor, &d).await?;
        if policy::may_see_dialogue(role) {
            let parts = policy::dialogue_parts(role, d.kind.is_consultant_session());
            out.push((redact(d, &parts), role));
        }
    }
    Ok(out)
}

/// Clears what `parts` does not show from the dialogue record itself.
pub fn redact(mut d: Dialogue, parts: &DialogueParts) -> Dialogue {
    if !parts.place {
        d.place = String::new();
    }
    if !parts.vision {
        d.vision = None;
        d.vision_horizon = None;
    }
    if !parts.commitments {
        d.outcome = None;
    }
    if !parts.reflection {
        d.subject_rating = None;
        d.subject_reflection = None;
        d.reflected_at = None;
    }
    d
}

/// The note items `role` may read, in order.
pub fn readable(role: DialogueRole, notes: Vec<Note>) -> Vec<Note> {
    notes
        .into_iter()
        .filter(|n| policy::may_read_note(role, n.visibility))
        .collect()
}

/// A note item the caller may read, with its earlier wordings when they may see those.
#[derive(Debug, Clone)]
pub struct ReadNote {
    pub note: Note,
    pub history: Vec<NoteRevision>,
}

/// The employee's consent: the one in force and every event, oldest first.
#[derive(Debug, Clone)]
pub struct Consent {
    pub in_force: Option<domain::dialogue::Consent>,
    pub events: Vec<ConsentEvent>,
}

/// What the facilitator prepares with.
#[derive(Debug, Clone)]
pub struct Preparation {
    /// The sections of the subject's latest career sheet they share (none saved: `None`).
    pub sheet: Option<CareerSheet>,
    /// Items carried over from earlier dialogues with the same person: (held at, item).
    pub carried: Vec<(DateTime<Utc>, Note)>,
    /// Question categories already covered with this person.
    pub covered: Vec<String>,
    /// Completed years since the subject joined, by the tenant's age rule.
    pub tenure_years: Option<i32>,
    /// The subject's applications in progress or offered, as far as the policy shows them to
    /// the facilitator (`policy::application_view`: the hiring side, HR, and their line
    /// above only once revealed — never a hidden one to their current manager).
    pub applications: Vec<(store::postings::Application, store::postings::StoredPosting)>,
    /// The subject's completed courses of the last two years, when the facilitator may
    /// see their learning (`policy::may_see_learning`: up the line, HR).
    pub learning: Vec<store::learning::Completion>,
}

/// The feedback report's draft and its material, for the consultant who writes it.
#[derive(Debug, Clone)]
pub struct ReportDraft {
    pub report: Option<Report>,
    /// The for-manager note items: what the report may draw on.
    pub material: Vec<String>,
}

/// One dialogue as the caller may see it: every field the policy does not grant is empty.
#[derive(Debug, Clone)]
pub struct View {
    pub dialogue: Dialogue,
    pub role: DialogueRole,
    pub parts: DialogueParts,
    pub notes: Vec<ReadNote>,
    pub topics: Vec<Topic>,
    pub consent: Option<Consent>,
    pub commitments: Vec<Commitment>,
    /// (id, side, text, weight)
    pub worksheet: Vec<(i64, Side, String, u8)>,
    pub preparation: Option<Preparation>,
    pub report: Option<ReportDraft>,
}

/// Reads dialogue `id` as `caller` may see it, auditing every confidential read.
pub async fn view(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
    id: i64,
    via: Via,
) -> Result<View, Error> {
    let (d, role) = open(store, &caller.actor, id).await?;
    Ok(view_of(store, caller, today, d, role, via).await?)
}

/// [`view`] of a dialogue already opened with [`open`].
pub async fn view_of(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
    d: Dialogue,
    role: DialogueRole,
    via: Via,
) -> Result<View, StoreError> {
    let tenant = caller.actor.tenant_id;
    let parts = policy::dialogue_parts(role, d.kind.is_consultant_session());
    let all_notes = store.notes_of(tenant, d.id).await?;
    let notes = readable(role, all_notes.clone());
    if !notes.is_empty() && policy::note_read_is_audited(role) {
        audit_read(store, caller, tenant, d.id, &note_detail(via)).await?;
    }
    let mut read = Vec::with_capacity(notes.len());
    for note in notes {
        let history = if parts.note_history {
            store.note_history(tenant, &note).await?
        } else {
            Vec::new()
        };
        read.push(ReadNote { note, history });
    }
    let topics = if parts.topics {
        let t = store.topics_of(tenant, d.id).await?;
        // The employee's own topics are theirs; anyone else reading them is audited.
        if role != DialogueRole::Subject && !t.is_empty() {
            audit_read(store, caller, tenant, d.id, &audit::detail("topics", &[])).await?;
        }
        t
    } else {
        Vec::new()
    };
    let consent = if parts.consent {
        let events = store.consent_events(tenant, d.id).await?;
        Some(Consent {
            in_force: consent_in_force(&events),
            events,
        })
    } else {
        None
    };
    let commitments = if parts.commitments {
        store.commitments_of(tenant, d.id).await?
    } else {
        Vec::new()
    };
    let worksheet = if parts.worksheet {
        store.worksheet_of(tenant, d.id).await?
    } else {
        Vec::new()
    };
    let preparation = if parts.preparation {
        // Neither read refuses (they return what the policy shows): only the store fails.
        let store_error = |e: Error| match e {
            Error::Store(e) => e,
            other => StoreError::Integrity(other.to_string()),
        };
        let mut p = preparation(store, caller, today, &d).await?;
        p.applications = crate::postings::of_person(store, caller, d.subject)
            .await
            .map_err(store_error)?
            .into_iter()
            .filter(|(a, _, _)| {
                a.progress.is_open() || a.progress == domain::posting::Progress::Offered
            })
            .map(|(a, posting, _)| (a, posting))
            .collect();
        p.learning = crate::learning::completions_of_person(store, caller, d.subject)
            .await
            .map_err(store_error)?
            .into_iter()
            .filter(|c| c.completed_on > today - chrono::Duration::days(730))
            .collect();
        Some(p)
    } else {
        None
    };
    let report = if parts.report_draft {
        Some(ReportDraft {
            report: store.report_of_dialogue(tenant, d.id).await?,
            material: all_notes
                .iter()
                .filter(|n| n.visibility == Visibility::ForManager)
                .map(|n| n.body.clone())
                .collect(),
        })
    } else {
        None
    };
    Ok(View {
        dialogue: redact(d, &parts),
        role,
        parts,
        notes: read,
        topics,
        consent,
        commitments,
        worksheet,
        preparation,
        report,
    })
}

async fn preparation(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
    d: &Dialogue,
) -> Result<Preparation, StoreError> {
    let tenant = caller.actor.tenant_id;
    // A cross-department or mentor partner prepares with the sections the subject chose
    // for a pair in force, and nothing without one.
    let pair = match domain::pairing::PairKind::of_dialogue(d.kind) {
        Some(kind) => {
            store
                .active_pair_sections(tenant, kind, d.facilitator, d.subject)
                .await?
        }
        None => None,
    };
    let sections =
        policy::sheet_sections_in_dialogue(DialogueRole::Facilitator, d.kind, pair.as_deref());
    let sheet = if sections.is_empty() {
        None
    } else {
        store
            .latest_career_sheet(tenant, d.subject)
            .await?
            .map(|v| domain::pairing::partner_view(&v.sheet, &sections))
    };
    if sheet.as_ref().is_some_and(|s| !s.sections.is_empty()) {
        caller
            .audit(
                store,
                NewAuditEntry::new(Some(tenant), AuditAction::ConfidentialRead)
                    .target("person", d.subject.0)
                    .detail(audit::detail("sheet_read", &[("id", &d.id)])),
            )
            .await?;
    }
    let rule = store.tenant(tenant).await?.settings.calendar.age_rule;
    let tenure_years = store
        .person(tenant, d.subject)
        .await?
        .and_then(|p| p.hire_date)
        .map(|h| domain::calendar::years_completed(h, today, rule));
    Ok(Preparation {
        sheet,
        carried: store.carried_over(tenant, d).await?,
        covered: store
            .covered_categories(tenant, d.facilitator, d.subject)
            .await?,
        tenure_years,
        applications: Vec::new(),
        learning: Vec::new(),
    })
}

fn note_detail(via: Via) -> String {
    audit::detail(
        match via {
            Via::Page => "notes",
            Via::Api => "notes_api",
        },
        &[],
    )
}

async fn audit_read(
    store: &Store,
    caller: &Caller,
    tenant: TenantId,
    dialogue: i64,
    what: &str,
) -> Result<(), StoreError> {
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::ConfidentialRead)
                .target("dialogue", dialogue)
                .detail(what),
        )
        .await
}

/// Every dialogue about the caller as its employee, with the items they may read, oldest
/// first (本人に返却). The read is audited here, once, for the page, its exports and the
/// API alike; `via` names the surface in the audit entry.
pub async fn records(
    store: &Store,
    caller: &Caller,
    via: &str,
) -> Result<Vec<(Dialogue, Vec<Note>)>, StoreError> {
    let actor = &caller.actor;
    let Some(me) = actor.person_id else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut read = Vec::new();
    for d in store.dialogues_about(actor.tenant_id, me).await? {
        let role = role_in(store, actor, &d).await?;
        if role != DialogueRole::Subject {
            continue;
        }
        let parts = policy::dialogue_parts(role, d.kind.is_consultant_session());
        let notes = readable(role, store.notes_of(actor.tenant_id, d.id).await?);
        if !notes.is_empty() {
            read.push(d.id.to_string());
        }
        out.push((redact(d, &parts), notes));
    }
    if !read.is_empty() {
        caller
            .audit(
                store,
                NewAuditEntry::new(Some(actor.tenant_id), AuditAction::ConfidentialRead)
                    .target("person", me.0)
                    .detail(audit::detail(
                        "notes_read",
                        &[("ids", &read.join(",")), ("via", &via)],
                    )),
            )
            .await?;
    }
    Ok(out)
}

/// What someone asked to book, parsed.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub kind: DialogueKind,
    pub subject: PersonId,
    pub facilitator: UserId,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub place: String,
    pub cadence: Option<Cadence>,
    pub count: u32,
    /// The person booking saw the warnings and books anyway.
    pub confirmed: bool,
}

/// What came of a booking request.
pub enum BookingOutcome {
    Booked(Vec<i64>),
    /// Needs a second look; nothing was written.
    Warn(Vec<ScheduleWarning>),
    Refused(ScheduleRefusal),
}

/// Asks the policy, checks the time against the facilitator's other dialogues, and books
/// (a series when a cadence is given). Pages, the API and the programmes' interview
/// booking all come here.
pub async fn book(
    store: &Store,
    actor: &Actor,
    now: DateTime<Utc>,
    req: &BookingRequest,
) -> Result<BookingOutcome, StoreError> {
    let tenant = actor.tenant_id;
    let facilitator = store.user(tenant, req.facilitator).await?;
    let fac_actor = crate::actor_for(store, &facilitator).await?;
    let relation = store
        .relation(tenant, facilitator.person_id, req.subject)
        .await?;
    let facts = ScheduleFacts {
        tenant,
        kind: req.kind,
        facilitator: req.facilitator,
        facilitator_is_consultant: fac_actor.has(Role::Consultant),
        facilitator_is_mentor: fac_actor.has(Role::Mentor),
        facilitator_person: facilitator.person_id,
        subject: req.subject,
        facilitator_assigned: store.serves(tenant, req.facilitator, req.subject).await?,
        subject_reports_to_facilitator: relation == Relation::InReportingLine,
        paired: match domain::pairing::PairKind::of_dialogue(req.kind) {
            Some(kind) => store
                .active_pair_sections(tenant, kind, req.facilitator, req.subject)
                .await?
                .is_some(),
            None => false,
        },
    };
    if let Err(r) = policy::may_schedule(actor, &facts) {
        return Ok(BookingOutcome::Refused(r));
    }
    let starts: Vec<NaiveDateTime> = match req.cadence {
        Some(c) => c.occurrences(req.start, req.count.clamp(1, MAX_SERIES_COUNT)),
        None => vec![req.start],
    };
    if !req.confirmed {
        let (Some(first), Some(last)) = (starts.first(), starts.last()) else {
            return Ok(BookingOutcome::Booked(Vec::new()));
        };
        let span = chrono::Duration::hours(5);
        let others: Vec<(i64, NaiveDateTime, u32)> = store
            .bookings_between(
                tenant,
                req.facilitator,
                from_japan(*first) - span,
                from_japan(*last) + span,
            )
            .await?
            .into_iter()
            .map(|(id, s, m)| (id, to_japan(s), m.clamp(0, i64::from(u32::MAX)) as u32))
            .collect();
        let now = to_japan(now);
        let mut warnings = Vec::new();
        for s in &starts {
            for w in dialogue::schedule_warnings(*s, req.duration_minutes, now, &others) {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        if !warnings.is_empty() {
            return Ok(BookingOutcome::Warn(warnings));
        }
    }
    let ids = store
        .create_dialogues(
            tenant,
            &NewDialogue {
                kind: req.kind,
                subject: req.subject,
                facilitator: req.facilitator,
                duration_minutes: req.duration_minutes,
                place: req.place.clone(),
                created_by: actor.user_id,
                starts: starts.into_iter().map(from_japan).collect(),
                cadence: req.cadence,
            },
        )
        .await?;
    Ok(BookingOutcome::Booked(ids))
}

/// Why a topic the employee prepared was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicRefusal {
    /// The dialogue is closed: topics are prepared before it.
    Closed,
    Empty,
    /// Longer than `dialogue::MAX_TOPIC_CHARS`.
    TooLong,
}

/// The employee (only the subject: `Forbidden` for anyone else) prepares a topic for
/// dialogue `id`, with the response they want; returns its id.
pub async fn add_topic(
    store: &Store,
    actor: &Actor,
    id: i64,
    wanted: domain::dialogue::WantedResponse,
    text: &str,
) -> Result<Result<i64, TopicRefusal>, Error> {
    let (d, role) = open(store, actor, id).await?;
    if role != DialogueRole::Subject {
        return Err(Error::Forbidden);
    }
    if d.is_closed() {
        return Ok(Err(TopicRefusal::Closed));
    }
    let Ok(body) = domain::dialogue::parse_text(text, domain::dialogue::MAX_TOPIC_CHARS) else {
        return Ok(Err(TopicRefusal::TooLong));
    };
    if body.is_empty() {
        return Ok(Err(TopicRefusal::Empty));
    }
    Ok(Ok(store
        .add_topic(actor.tenant_id, d.id, actor.user_id, wanted, &body)
        .await?))
}
