//! 相談相手を選ぶ: the employee's side of consultant matching — ten proposals from their
//! values diagnosis, booking an open slot, changing consultant, rating a session — and
//! the consultant's open slots (空き枠), and HR's counts. Every step asks
//! `domain::policy`.
//!
//! What an employee does here is theirs alone: no step is written to the company's
//! audit log (which names its actors), nothing is sent to their manager, and HR reads
//! only counts under the anonymity rule ([`usage`]).

use crate::i18n::Catalog;
use crate::{Caller, Error};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::consultant::{NewSlot, Profile, Setting, Style, Theme};
use domain::japan_time::{from_japan, japan_date, start_of_japan_day, to_japan};
use domain::matching::{self, Candidate, Reason, Wish};
use domain::policy::{self, Action, ConsultationFacts, ConsultationRefusal};
use domain::{PersonId, UserId};
use store::Store;
use store::consultations::{Slot, SlotBooking, Source};

/// The first day of the month `d` falls in, and of the month after, as instants.
fn month_of(d: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (start_of_japan_day(first), start_of_japan_day(next))
}

// ----- the consultant's open slots -----

/// Why slots could not be added.
#[derive(Debug, PartialEq)]
pub enum SlotProblem {
    /// Fields that are wrong (`consultant.slot_error.{field}.{problem}`).
    Fields(Vec<domain::consultant::FieldError>),
    /// One of the new slots overlaps an open slot or a session the consultant has.
    Overlap(DateTime<Utc>),
}

/// The caller's own slots from today for eight weeks.
pub async fn my_slots(
    store: &Store,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnSlots).map_err(|_| Error::Forbidden)?;
    let from = start_of_japan_day(japan_date(now));
    Ok(store
        .slots_of(
            caller.actor.tenant_id,
            caller.actor.user_id,
            from,
            from + Duration::weeks(8),
        )
        .await?)
}

/// Adds the caller's open slots (checked by `domain::consultant::parse_slots`), unless
/// one overlaps a slot or a session they already have: then nothing is added.
pub async fn add_slots(
    store: &Store,
    caller: &Caller,
    slots: &[NewSlot],
) -> Result<Result<Vec<i64>, SlotProblem>, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnSlots).map_err(|_| Error::Forbidden)?;
    let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
        return Ok(Ok(Vec::new()));
    };
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.user_id;
    let (from, to) = (
        from_japan(first.0) - Duration::hours(3),
        from_japan(last.0) + Duration::hours(3),
    );
    let mut taken: Vec<(chrono::NaiveDateTime, u32)> = store
        .slots_of(tenant, me, from, to)
        .await?
        .into_iter()
        .map(|s| (to_japan(s.starts_at), s.duration_minutes))
        .collect();
    taken.extend(
        store
            .bookings_between(tenant, me, from, to)
            .await?
            .into_iter()
            .map(|(_, s, m)| (to_japan(s), u32::try_from(m).unwrap_or(0))),
    );
    if let Some(clash) = slots.iter().find(|s| {
        taken
            .iter()
            .any(|t| domain::consultant::overlaps((s.0, s.1), *t))
    }) {
        return Ok(Err(SlotProblem::Overlap(from_japan(clash.0))));
    }
    let rows: Vec<(DateTime<Utc>, u32, Setting)> = slots
        .iter()
        .map(|(s, m, set)| (from_japan(*s), *m, *set))
        .collect();
    Ok(Ok(store.add_slots(tenant, me, &rows).await?))
}

/// Removes one of the caller's free slots; false when it is booked or not theirs.
pub async fn remove_slot(store: &Store, caller: &Caller, id: i64) -> Result<bool, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnSlots).map_err(|_| Error::Forbidden)?;
    Ok(store
        .remove_slot(caller.actor.tenant_id, caller.actor.user_id, id)
        .await?)
}

// ----- proposals -----

/// One proposed consultant, as the employee's page and the command line show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProposalView {
    pub consultant: UserId,
    pub name: String,
    pub kana: String,
    pub style: Style,
    pub themes: Vec<Theme>,
    pub years_of_practice: u8,
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// Free slots in the next weeks, and the first of them.
    pub open: u32,
    pub next_slot: Option<DateTime<Utc>>,
}

/// What [`my_proposals`] answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposals {
    /// False until the employee has taken the values diagnosis (no proposals then).
    pub diagnosed: bool,
    /// No anchor results yet: the proposals come from themes and preferences alone.
    pub themes_alone: bool,
    pub proposals: Vec<ProposalView>,
}

/// The consultants an employee may book, as the matching sees them: enabled accounts
/// with a profile, never the employee themselves nor anyone in their reporting line.
/// Returns the candidates and their profiles, in the same order.
async fn candidates_for(
    store: &Store,
    tenant: domain::TenantId,
    me: PersonId,
    now: DateTime<Utc>,
) -> Result<(Vec<Candidate>, Vec<(UserId, Profile)>), Error> {
    let today = japan_date(now);
    let horizon = start_of_japan_day(today) + Duration::weeks(matching::SLOT_WEEKS);
    let open = store.open_slot_counts(tenant, now, horizon).await?;
    let (this_from, this_to) = month_of(today);
    let (_, next_to) = month_of(this_to.date_naive() + Duration::days(1));
    let this_month = store
        .sessions_per_facilitator(tenant, this_from, this_to)
        .await?;
    let next_month = store
        .sessions_per_facilitator(tenant, this_to, next_to)
        .await?;
    let ratings = store.rating_totals(tenant).await?;
    let mut candidates = Vec::new();
    let mut profiles = Vec::new();
    for c in store.consultants(tenant).await? {
        let Some(profile) = c.profile else { continue };
        if c.disabled {
            continue;
        }
        if c.internal {
            let user = store.user(tenant, c.user).await?;
            if user.person_id == Some(me)
                || store.relation(tenant, user.person_id, me).await?
                    == policy::Relation::InReportingLine
            {
                continue;
            }
        }
        let count = |rows: &[(UserId, u32)]| {
            rows.iter()
                .find(|(u, _)| *u == c.user)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        let capacity = u32::from(profile.capacity_per_month);
        let room = capacity
            .saturating_sub(count(&this_month))
            .max(capacity.saturating_sub(count(&next_month)));
        let (online, in_person) = open
            .iter()
            .find(|(u, _, _)| *u == c.user)
            .map(|(_, o, p)| (*o, *p))
            .unwrap_or((0, 0));
        candidates.push(Candidate {
            id: c.user.0,
            themes: profile.themes.clone(),
            style: profile.style,
            age_band: profile.age_band,
            gender: profile.gender,
            industries: matching::fold(&profile.industries),
            years_of_practice: profile.years_of_practice,
            room_this_month: room,
            open_online: online,
            open_in_person: in_person,
            rating: ratings
                .iter()
                .find(|r| r.0 == c.user && r.1 > 0)
                .map(|r| (f64::from(r.2) / f64::from(r.1), r.1)),
        });
        profiles.push((c.user, profile));
    }
    Ok((candidates, profiles))
}

/// Ten proposals for a person from their diagnosis (none before they took it). Used by
/// [`my_proposals`] and by the support staff's command line.
pub async fn proposals_for(
    store: &Store,
    tenant: domain::TenantId,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<Proposals, Error> {
    let Some((diagnosis, _)) = store.diagnosis_of(tenant, person).await? else {
        return Ok(Proposals {
            diagnosed: false,
            themes_alone: false,
            proposals: Vec::new(),
        });
    };
    let anchors = store
        .anchor_results_of(tenant, person)
        .await?
        .into_iter()
        .max_by_key(|r| r.taken_at)
        .map(|r| domain::anchor::score(&r.sheet).dominant)
        .unwrap_or_default();
    let themes_alone = anchors.is_empty();
    let wish = Wish::new(&diagnosis, anchors);
    let (candidates, profiles) = candidates_for(store, tenant, person, now).await?;
    let horizon = start_of_japan_day(japan_date(now)) + Duration::weeks(matching::SLOT_WEEKS);
    let mut out = Vec::new();
    for p in matching::propose(&wish, &candidates, matching::PROPOSALS) {
        let (user, profile) = &profiles[p.index];
        let c = &candidates[p.index];
        let next_slot = store
            .slots_of(tenant, *user, now, horizon)
            .await?
            .into_iter()
            .find(|s| s.dialogue_id.is_none())
            .map(|s| s.starts_at);
        out.push(ProposalView {
            consultant: *user,
            name: profile.display_name.clone(),
            kana: profile.kana.clone(),
            style: profile.style,
            themes: profile.themes.clone(),
            years_of_practice: profile.years_of_practice,
            score: p.score,
            reasons: p.reasons,
            open: c.open_online + c.open_in_person,
            next_slot,
        });
    }
    Ok(Proposals {
        diagnosed: true,
        themes_alone,
        proposals: out,
    })
}

/// The caller's ten proposals.
pub async fn my_proposals(
    store: &Store,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Proposals, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    proposals_for(store, caller.actor.tenant_id, me, now).await
}

/// A reason in the reader's language (`matching.reason.*`).
pub fn reason_text(c: &Catalog, r: &Reason) -> String {
    let theme = |t: &Theme| c.get(&format!("consultant.theme.{}", t.key())).to_string();
    match r {
        Reason::Theme { theme: t } => c.format("matching.reason.theme", &[("theme", &theme(t))]),
        Reason::AnchorFit { anchor, theme: t } => c.format(
            "matching.reason.anchor_fit",
            &[
                ("anchor", &c.get(&format!("anchor.{}", anchor.key()))),
                ("theme", &theme(t)),
            ],
        ),
        Reason::Style { style } => c.format(
            "matching.reason.style",
            &[(
                "style",
                &c.get(&format!("consultant.style.{}", style.key())),
            )],
        ),
        Reason::AgeBand { age_band } => c.format(
            "matching.reason.age_band",
            &[(
                "band",
                &c.get(&format!("consultant.age_band.{}", age_band.key())),
            )],
        ),
        Reason::Gender { gender } => c.format(
            "matching.reason.gender",
            &[(
                "gender",
                &c.get(&format!("consultant.gender.{}", gender.key())),
            )],
        ),
        Reason::Industry { word } => c.format("matching.reason.industry", &[("word", word)]),
        Reason::Setting { setting } => c.format(
            "matching.reason.setting",
            &[(
                "setting",
                &c.get(&format!("consultant.setting.{}", setting.key())),
            )],
        ),
        Reason::OpenSlots { count } => c.format(
            "matching.reason.open_slots",
            &[("n", count), ("weeks", &matching::SLOT_WEEKS)],
        ),
        Reason::WellRated { mean_tenths, count } => c.format(
            "matching.reason.well_rated",
            &[
                (
                    "mean",
                    &format!("{}.{}", mean_tenths / 10, mean_tenths % 10),
                ),
                ("n", count),
            ],
        ),
        Reason::Experience { years } => c.format("matching.reason.experience", &[("n", years)]),
    }
}

// ----- booking -----

/// What came of a booking.
#[derive(Debug, PartialEq)]
pub enum BookOutcome {
    /// The consultation dialogue that was created.
    Booked(i64),
    /// Refused; for a slot taken meanwhile, the consultant's next free slot if any.
    Refused(ConsultationRefusal, Option<Slot>),
}

/// The caller's remaining sessions this fiscal year: (used, allowance).
pub async fn my_allowance(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<(u32, Option<u32>), Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let (from, to) = fiscal_year_span(store, tenant, today).await?;
    Ok((
        store.booked_sessions_of(tenant, me, from, to).await?,
        store.consultations_per_year(tenant).await?,
    ))
}

async fn fiscal_year_span(
    store: &Store,
    tenant: domain::TenantId,
    day: NaiveDate,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Error> {
    let cal = store.tenant(tenant).await?.settings.calendar;
    let range = cal.range(cal.fiscal_year_of(day));
    Ok((
        start_of_japan_day(*range.start()),
        start_of_japan_day(*range.end() + Duration::days(1)),
    ))
}

/// The caller books one of a consultant's open slots for themselves. Checked by
/// `policy::may_book_consultation`; the slot is claimed in the same transaction as the
/// dialogue is created, so two employees booking the last slot at once cannot both
/// get it — the one who loses is offered the consultant's next free slot.
pub async fn book(
    store: &Store,
    caller: &Caller,
    now: DateTime<Utc>,
    slot_id: i64,
    source: Source,
) -> Result<BookOutcome, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let slot = store
        .slot(tenant, slot_id)
        .await?
        .ok_or(Error::NotFound("slot"))?;
    let consultant = store.user(tenant, slot.consultant).await?;
    let fac = crate::actor_for(store, &consultant).await?;
    let profile = store.consultant_profile(tenant, slot.consultant).await?;
    let me = caller.actor.person_id;
    let in_line = match me {
        Some(me) => {
            store.relation(tenant, consultant.person_id, me).await?
                == policy::Relation::InReportingLine
        }
        None => false,
    };
    let (m_from, m_to) = month_of(japan_date(slot.starts_at));
    let in_month = store
        .sessions_per_facilitator(tenant, m_from, m_to)
        .await?
        .into_iter()
        .find(|(u, _)| *u == slot.consultant)
        .map(|(_, n)| n)
        .unwrap_or(0);
    let (fy_from, fy_to) = fiscal_year_span(store, tenant, japan_date(slot.starts_at)).await?;
    let used = match me {
        Some(me) => store.booked_sessions_of(tenant, me, fy_from, fy_to).await?,
        None => 0,
    };
    let facts = ConsultationFacts {
        tenant,
        consultant_available: fac.has(domain::Role::Consultant)
            && !consultant.disabled
            && profile.is_some(),
        consultant_person: consultant.person_id,
        consultant_in_line: in_line,
        slot_free: slot.dialogue_id.is_none(),
        slot_in_future: slot.starts_at > now,
        room_in_month: profile
            .as_ref()
            .is_some_and(|(p, _)| in_month < u32::from(p.capacity_per_month)),
        used_this_year: used,
        allowance: store.consultations_per_year(tenant).await?,
    };
    if let Err(r) = policy::may_book_consultation(&caller.actor, &facts) {
        let next = if r == ConsultationRefusal::SlotTaken {
            next_free(store, tenant, slot.consultant, now).await?
        } else {
            None
        };
        return Ok(BookOutcome::Refused(r, next));
    }
    let Some(me) = me else {
        return Ok(BookOutcome::Refused(
            ConsultationRefusal::NotAnEmployee,
            None,
        ));
    };
    let place = match slot.setting {
        Setting::InPerson => "対面",
        _ => "オンライン",
    };
    match store
        .book_slot(
            tenant,
            &SlotBooking {
                slot: slot.id,
                subject: me,
                booked_by: caller.actor.user_id,
                place: place.into(),
                source,
            },
        )
        .await?
    {
        Some(d) => Ok(BookOutcome::Booked(d)),
        None => Ok(BookOutcome::Refused(
            ConsultationRefusal::SlotTaken,
            next_free(store, tenant, slot.consultant, now).await?,
        )),
    }
}

async fn next_free(
    store: &Store,
    tenant: domain::TenantId,
    consultant: UserId,
    now: DateTime<Utc>,
) -> Result<Option<Slot>, Error> {
    Ok(store
        .slots_of(tenant, consultant, now, now + Duration::weeks(26))
        .await?
        .into_iter()
        .find(|s| s.dialogue_id.is_none()))
}

/// A consultant's free slots from now for [`matching::SLOT_WEEKS`] weeks, for the
/// employee choosing one (only free ones: who booked the others is nobody's business).
pub async fn free_slots_of(
    store: &Store,
    caller: &Caller,
    consultant: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>, Error> {
    policy::authorize(
        &caller.actor,
        Action::ReadConsultantProfile {
            tenant: caller.actor.tenant_id,
        },
    )
    .map_err(|_| Error::Forbidden)?;
    let horizon = start_of_japan_day(japan_date(now)) + Duration::weeks(matching::SLOT_WEEKS);
    Ok(store
        .slots_of(caller.actor.tenant_id, consultant, now, horizon)
        .await?
        .into_iter()
        .filter(|s| s.dialogue_id.is_none())
        .collect())
}

/// The consultants the caller chose and has not changed.
pub async fn my_choices(
    store: &Store,
    caller: &Caller,
) -> Result<Vec<store::consultations::Choice>, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    Ok(store.choices_of(caller.actor.tenant_id, me).await?)
}

/// The caller changes consultant ("相談相手を変える"): their choice ends without a
/// reason, and sessions with that consultant that have not started are cancelled (their
/// slots freed). Returns the cancelled sessions; not found when no such choice.
pub async fn change(
    store: &Store,
    caller: &Caller,
    consultant: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    store
        .end_choice(caller.actor.tenant_id, me, consultant, now)
        .await?
        .ok_or(Error::NotFound("choice"))
}

// ----- ratings -----

/// Why a rating was not recorded.
#[derive(Debug, PartialEq)]
pub enum RateProblem {
    /// Level outside 1–5.
    Level,
    /// Already rated (a rating is given once).
    Already,
}

/// The subject rates a held consultation (外部キャリア相談, the sessions of a consultant
/// they may choose): 1–5 and "would talk again". Only the employee, only once, only
/// after it was held. Programme interviews have their own reflection instead.
pub async fn rate(
    store: &Store,
    caller: &Caller,
    dialogue: i64,
    level: u8,
    again: bool,
) -> Result<Result<(), RateProblem>, Error> {
    let (d, role) = crate::dialogues::open(store, &caller.actor, dialogue).await?;
    if !policy::may_rate_session(
        role,
        d.state == domain::dialogue::DialogueState::Held,
        d.kind == domain::dialogue::DialogueKind::Consultation,
    ) {
        return Err(Error::Forbidden);
    }
    if !(1..=5).contains(&level) {
        return Ok(Err(RateProblem::Level));
    }
    match store
        .rate_session(caller.actor.tenant_id, d.id, d.facilitator, level, again)
        .await
    {
        Ok(()) => Ok(Ok(())),
        Err(store::StoreError::Conflict(_)) => Ok(Err(RateProblem::Already)),
        Err(e) => Err(e.into()),
    }
}

/// The caller's own rating of a session they were the subject of (nobody else reads it).
pub async fn my_rating(
    store: &Store,
    caller: &Caller,
    dialogue: i64,
) -> Result<Option<(u8, bool)>, Error> {
    let (d, role) = crate::dialogues::open(store, &caller.actor, dialogue).await?;
    if role != policy::DialogueRole::Subject {
        return Err(Error::Forbidden);
    }
    Ok(store
        .rating_of_session(caller.actor.tenant_id, d.id)
        .await?)
}

/// A consultant's own ratings as an aggregate, only once at least k exist (k = the
/// tenant's anonymity threshold): (count, mean, share who would talk again).
pub async fn my_ratings(store: &Store, caller: &Caller) -> Result<Option<(u32, f64, f64)>, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnSlots).map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    Ok(store
        .rating_totals(tenant)
        .await?
        .into_iter()
        .find(|r| r.0 == caller.actor.user_id)
        .filter(|r| r.1 >= k)
        .map(|r| {
            (
                r.1,
                f64::from(r.2) / f64::from(r.1),
                f64::from(r.3) / f64::from(r.1),
            )
        }))
}

// ----- HR -----

/// A figure HR may see: a count, or hidden because it rests on fewer than k people.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Figure {
    Count(u32),
    /// A share in per cent (0–100), or a mean, with one decimal.
    Value(f64),
    Hidden,
}

/// HR's view of consultations this fiscal year: counts and matching quality only.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Usage {
    pub fiscal_year: i32,
    pub k: u32,
    pub allowance: Option<u32>,
    pub booked: Figure,
    pub held: Figure,
    pub people: Figure,
    pub from_proposals_rate: Figure,
    pub second_session_rate: Figure,
    pub mean_rating: Figure,
    pub would_talk_again_rate: Figure,
}

/// Consultation figures for HR under the anonymity rule: every figure rests on at least
/// k people (or k ratings), otherwise it is hidden — and when the number of people who
/// consulted is hidden, so is every figure derived from them.
pub async fn usage(store: &Store, caller: &Caller, today: NaiveDate) -> Result<Usage, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    let t = store.tenant(tenant).await?;
    let k = t.settings.anonymity_k;
    let fy = t.settings.calendar.fiscal_year_of(today);
    let (from, to) = fiscal_year_span(store, tenant, today).await?;
    let u = store.consultation_usage(tenant, from, to).await?;
    let enough = u.people >= k;
    let count = |n: u32| {
        if enough {
            Figure::Count(n)
        } else {
            Figure::Hidden
        }
    };
    let rate = |num: u32, den: u32| {
        if enough && den >= k {
            Figure::Value((f64::from(num) * 1000.0 / f64::from(den)).round() / 10.0)
        } else {
            Figure::Hidden
        }
    };
    Ok(Usage {
        fiscal_year: fy.0,
        k,
        allowance: store.consultations_per_year(tenant).await?,
        booked: count(u.booked),
        held: count(u.held),
        people: count(u.people),
        from_proposals_rate: rate(u.from_proposals, u.choices),
        second_session_rate: rate(u.with_second, u.with_first),
        mean_rating: if enough && u.ratings >= k {
            Figure::Value((f64::from(u.rating_sum) * 10.0 / f64::from(u.ratings)).round() / 10.0)
        } else {
            Figure::Hidden
        },
        would_talk_again_rate: rate(u.would_talk_again, u.ratings),
    })
}

/// HR sets how many sessions per employee per fiscal year the company pays for (`None`:
/// no limit).
pub async fn set_allowance(store: &Store, caller: &Caller, n: Option<u32>) -> Result<(), Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    store.set_consultations_per_year(tenant, n).await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(
                Some(tenant),
                domain::audit::AuditAction::SettingsChanged,
            ),
        )
        .await?;
    Ok(())
}

// ----- keyword search -----

/// A tenant's searchable profiles: the tantivy index and what the filters need.
struct Indexed {
    version: i64,
    index: search::profiles::ProfileIndex,
    /// user id → (name, kana, style, themes, years, internal), for filtering and
    /// showing. Suspended accounts are left out (suspending bumps the version).
    meta: std::collections::HashMap<i64, Meta>,
    /// Every id by reading (kana), for a search without words.
    by_kana: Vec<i64>,
}

type Meta = (String, String, Style, Vec<Theme>, u8, bool);

/// The keyword indexes of this process, one per tenant, rebuilt when the tenant's
/// profiles version (in the database) moves — so every process sees a change.
#[derive(Default)]
pub struct IndexCache {
    tenants: std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<Indexed>>>,
}

impl IndexCache {
    fn get(&self, tenant: domain::TenantId, version: i64) -> Option<std::sync::Arc<Indexed>> {
        let map = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&tenant.0).filter(|i| i.version == version).cloned()
    }

    fn put(&self, tenant: domain::TenantId, indexed: std::sync::Arc<Indexed>) {
        let mut map = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(tenant.0, indexed);
    }
}

async fn indexed(
    store: &Store,
    cache: &IndexCache,
    tenant: domain::TenantId,
) -> Result<std::sync::Arc<Indexed>, Error> {
    let version = store.consultant_profiles_version(tenant).await?;
    if let Some(i) = cache.get(tenant, version) {
        return Ok(i);
    }
    let catalog = crate::i18n::Lang::Ja.catalog();
    let mut docs = Vec::new();
    let mut meta = std::collections::HashMap::new();
    for c in store.consultants(tenant).await? {
        let (Some(p), false) = (c.profile, c.disabled) else {
            continue;
        };
        let themes: Vec<String> = p
            .themes
            .iter()
            .map(|t| {
                catalog
                    .get(&format!("consultant.theme.{}", t.key()))
                    .to_string()
            })
            .collect();
        let mut tags: Vec<String> = p
            .themes
            .iter()
            .map(|t| format!("theme:{}", t.key()))
            .collect();
        tags.push(format!("style:{}", p.style.key()));
        docs.push(search::profiles::ProfileDoc {
            id: c.user.0,
            tags,
            name: format!("{} {}", p.display_name, p.kana),
            body: format!(
                "{}\n{}\n{}\n{}",
                themes.join(" "),
                p.industries,
                p.job_families,
                p.message
            ),
        });
        meta.insert(
            c.user.0,
            (
                p.display_name,
                p.kana,
                p.style,
                p.themes,
                p.years_of_practice,
                c.internal,
            ),
        );
    }
    let index = search::profiles::ProfileIndex::build(&docs)
        .map_err(|e| Error::Store(store::StoreError::Integrity(e.to_string())))?;
    let mut by_kana: Vec<(&str, i64)> = meta.iter().map(|(id, m)| (m.1.as_str(), *id)).collect();
    by_kana.sort();
    let by_kana = by_kana.into_iter().map(|(_, id)| id).collect();
    let i = std::sync::Arc::new(Indexed {
        version,
        index,
        meta,
        by_kana,
    });
    cache.put(tenant, i.clone());
    Ok(i)
}

/// What the employee searched for: words, and filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub q: String,
    pub theme: Option<Theme>,
    pub style: Option<Style>,
    /// Only consultants with a free slot in the next weeks.
    pub free_only: bool,
}

impl SearchQuery {
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty() && self.theme.is_none() && self.style.is_none() && !self.free_only
    }
}

/// A consultant found by a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub consultant: UserId,
    pub name: String,
    pub kana: String,
    pub style: Style,
    pub themes: Vec<Theme>,
    pub years_of_practice: u8,
}

/// Most hits a search returns.
pub const MAX_HITS: usize = 50;
/// Candidates handed to the free-slot filter (asked of the database in one query).
const MAX_FREE_CANDIDATES: usize = 500;

/// キーワード検索: profiles holding every word of the query (name in kanji or kana,
/// message, themes, industries, job families; widths and kana folded), narrowed by
/// theme, style and free slots; best first (by reading when there are no words, so an
/// empty query lists everyone). Never the caller themselves nor anyone in their
/// reporting line.
pub async fn search(
    store: &Store,
    cache: &IndexCache,
    caller: &Caller,
    query: &SearchQuery,
    now: DateTime<Utc>,
) -> Result<Vec<SearchHit>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ReadConsultantProfile { tenant })
        .map_err(|_| Error::Forbidden)?;
    let i = indexed(store, cache, tenant).await?;
    // Only as many candidates as the page can show, a few spare for the people a caller
    // may not see; more when free slots still have to be asked of the database.
    let wanted = if query.free_only {
        MAX_FREE_CANDIDATES
    } else {
        MAX_HITS + 10
    };
    let fits = |id: &i64| {
        i.meta.get(id).is_some_and(|m| {
            query.theme.is_none_or(|t| m.3.contains(&t)) && query.style.is_none_or(|s| m.2 == s)
        })
    };
    let mut ids: Vec<i64> = if query.q.trim().is_empty() {
        i.by_kana
            .iter()
            .copied()
            .filter(fits)
            .take(wanted)
            .collect()
    } else {
        let theme = query.theme.map(|t| format!("theme:{}", t.key()));
        let style = query.style.map(|s| format!("style:{}", s.key()));
        let tags: Vec<&str> = theme
            .iter()
            .chain(style.iter())
            .map(String::as_str)
            .collect();
        i.index
            .search(&query.q, &tags, wanted)
            .map_err(|e| Error::Store(store::StoreError::Integrity(e.to_string())))?
    };
    ids.retain(fits);
    if query.free_only {
        let horizon = start_of_japan_day(japan_date(now)) + Duration::weeks(matching::SLOT_WEEKS);
        let users: Vec<UserId> = ids.iter().map(|id| UserId(*id)).collect();
        let free = store.with_free_slots(tenant, &users, now, horizon).await?;
        ids.retain(|id| free.contains(&UserId(*id)));
    }
    let mut out = Vec::new();
    for id in ids {
        if out.len() == MAX_HITS {
            break;
        }
        let Some((name, kana, style, themes, years, internal)) = i.meta.get(&id) else {
            continue;
        };
        // Only an internal consultant can be the caller or in their reporting line.
        if let (true, Some(me)) = (*internal, caller.actor.person_id) {
            let user = store.user(tenant, UserId(id)).await?;
            if user.disabled
                || user.person_id == Some(me)
                || (user.person_id.is_some()
                    && store.relation(tenant, user.person_id, me).await?
                        == policy::Relation::InReportingLine)
            {
                continue;
            }
        }
        out.push(SearchHit {
            consultant: UserId(id),
            name: name.clone(),
            kana: kana.clone(),
            style: *style,
            themes: themes.clone(),
            years_of_practice: *years,
        });
    }
    Ok(out)
}

/// A held consultant session the caller has not rated yet.
#[derive(Debug, Clone, PartialEq)]
pub struct ToRate {
    pub dialogue: i64,
    pub starts_at: DateTime<Utc>,
    pub consultant: String,
}

/// The caller's held consultations still waiting for their rating, newest first.
pub async fn sessions_to_rate(store: &Store, caller: &Caller) -> Result<Vec<ToRate>, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let mut out = Vec::new();
    for d in store.dialogues_about(tenant, me).await?.into_iter().rev() {
        if d.kind == domain::dialogue::DialogueKind::Consultation
            && d.state == domain::dialogue::DialogueState::Held
            && store.rating_of_session(tenant, d.id).await?.is_none()
        {
            out.push(ToRate {
                dialogue: d.id,
                starts_at: d.starts_at,
                consultant: d.facilitator_name.clone(),
            });
        }
    }
    Ok(out)
}

/// The caller's consultations (外部キャリア相談) that have not taken place yet.
pub async fn my_upcoming(
    store: &Store,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<store::dialogues::Dialogue>, Error> {
    policy::authorize(&caller.actor, Action::ChooseConsultant).map_err(|_| Error::Forbidden)?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    Ok(store
        .dialogues_about(caller.actor.tenant_id, me)
        .await?
        .into_iter()
        .filter(|d| {
            d.kind == domain::dialogue::DialogueKind::Consultation
                && !d.is_closed()
                && d.ends_at() >= now
        })
        .collect())
}
