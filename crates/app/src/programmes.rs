//! Cohort programmes (節目プログラム): the placement the button saves and
//! `kyoritsu programme assign` prints ([`plan`]), and the figures the programme page and
//! `kyoritsu programme report` show ([`report`]).

use chrono::{DateTime, NaiveDate, Utc};
use domain::anchor::Anchor;
use domain::programme::{Funnel, Stage, Template as Kind};
use domain::training::{self, Style};
use domain::{PersonId, TenantId};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use store::Store;
use store::programmes::{Programme, TrainingSession};

/// One participant in a placement.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub person: PersonId,
    pub employee_number: String,
    pub name: String,
    pub segment: Style,
    pub session: Option<i64>,
    /// Placed by hand (kept by the button).
    pub pinned: bool,
    /// Placed with an instructor whose style is not their segment.
    pub mismatched: bool,
    /// Their dominant anchors (ties as ties); empty before the inventory.
    pub anchors: Vec<Anchor>,
    pub group: Option<i64>,
}

/// The workshop groups of one session.
#[derive(Debug, Clone, Serialize)]
pub struct SessionGroups {
    pub session: i64,
    /// Groups in order (1-based numbers): member indexes into [`Plan::people`], the
    /// anchors of the group, and the homogeneity (0–1).
    pub groups: Vec<GroupPlan>,
    /// People in the session without an inventory result: not grouped yet.
    pub without_anchors: Vec<usize>,
    /// The session's size allows no grouping within the programme's sizes.
    pub impossible: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupPlan {
    pub number: i64,
    pub members: Vec<usize>,
    pub anchors: Vec<Anchor>,
    pub homogeneity: f64,
}

/// What the placement button does.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub programme: i64,
    pub sessions: Vec<TrainingSession>,
    /// Current participants (leavers are out of placement).
    pub people: Vec<Placed>,
    pub unplaced: usize,
    /// Why mismatches were unavoidable: (segment, its people, seats of its style left).
    pub shortfalls: Vec<(Style, usize, usize)>,
    pub groups: Vec<SessionGroups>,
    pub group_min: usize,
    pub group_max: usize,
}

/// Each participant's segment by the default rule: rated above the company's bar for
/// the fiscal year (the latest ratings before it when its own are not in) → energetic.
pub async fn segments(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
) -> store::Result<HashMap<i64, Style>> {
    let settings = store.tenant(tenant).await?.settings;
    let definition = store.autonomy_definition(tenant).await?;
    let facts = store
        .autonomy_facts(
            tenant,
            programme.fiscal_year,
            settings
                .calendar
                .range(domain::calendar::FiscalYear(programme.fiscal_year)),
            None,
            &settings.rating_scale,
        )
        .await?;
    let bar = domain::autonomy::threshold(&definition, &facts.ratings, &settings.rating_scale);
    Ok(facts
        .people
        .into_iter()
        .map(|(p, f)| {
            let above = domain::autonomy::Threshold::cleared(bar, f.rating);
            (p.0, training::default_segment(above, false))
        })
        .collect())
}

/// Computes the placement for a programme: keeps hand-made placements, assigns the rest
/// exactly (fewest mismatches), then groups each session by dominant anchor.
pub async fn plan(store: &Store, tenant: TenantId, programme: &Programme) -> store::Result<Plan> {
    let sessions = store.training_sessions(tenant, programme.id).await?;
    let participants: Vec<_> = store
        .participants(tenant, programme.id)
        .await?
        .into_iter()
        .filter(|p| !p.left())
        .collect();
    let segment_of = segments(store, tenant, programme).await?;
    let segs: Vec<Style> = participants
        .iter()
        .map(|p| segment_of.get(&p.person.0).copied().unwrap_or(Style::Calm))
        .collect();
    let pinned: Vec<(usize, i64)> = participants
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.session.filter(|_| p.pinned).map(|s| (i, s)))
        .collect();
    let domain_sessions: Vec<training::Session> = sessions
        .iter()
        .map(|s| training::Session {
            id: s.id,
            style: s.style,
            capacity: s.capacity,
        })
        .collect();
    let assignment = training::assign(&segs, &domain_sessions, &pinned);
    let mut people = Vec::with_capacity(participants.len());
    let mut scores: Vec<Option<[f64; 8]>> = Vec::with_capacity(participants.len());
    let sheets = store
        .latest_anchor_sheets_in_programme(tenant, programme.id)
        .await?;
    for (i, p) in participants.iter().enumerate() {
        let profile = sheets.get(&p.person.0).map(domain::anchor::score);
        scores.push(profile.as_ref().map(|pr| {
            let mut s = [0.0; 8];
            for (k, a) in Anchor::ALL.iter().enumerate() {
                s[k] = pr.score(*a);
            }
            s
        }));
        people.push(Placed {
            person: p.person,
            employee_number: p.employee_number.clone(),
            name: p.name.clone(),
            segment: segs[i],
            session: assignment.placed[i],
            pinned: pinned.iter().any(|(j, _)| *j == i),
            mismatched: assignment.mismatched.contains(&i),
            anchors: profile.map(|pr| pr.dominant).unwrap_or_default(),
            group: None,
        });
    }
    let mut groups = Vec::new();
    for s in &sessions {
        let inside: Vec<usize> = (0..people.len())
            .filter(|i| people[*i].session == Some(s.id))
            .collect();
        let (scored, without): (Vec<usize>, Vec<usize>) =
            inside.into_iter().partition(|i| scores[*i].is_some());
        let members: Vec<training::Member> = scored
            .iter()
            .map(|i| training::Member {
                scores: scores[*i].unwrap_or([0.0; 8]),
            })
            .collect();
        let (plans, impossible) =
            match training::group(&members, programme.group_min, programme.group_max) {
                Ok(gs) => (
                    gs.into_iter()
                        .enumerate()
                        .map(|(n, g)| GroupPlan {
                            number: n as i64 + 1,
                            members: g.members.iter().map(|m| scored[*m]).collect(),
                            anchors: g.anchors,
                            homogeneity: g.homogeneity,
                        })
                        .collect::<Vec<_>>(),
                    false,
                ),
                Err(_) => (Vec::new(), true),
            };
        for g in &plans {
            for m in &g.members {
                people[*m].group = Some(g.number);
            }
        }
        groups.push(SessionGroups {
            session: s.id,
            groups: plans,
            without_anchors: without,
            impossible,
        });
    }
    Ok(Plan {
        programme: programme.id,
        sessions,
        people,
        unplaced: assignment.unplaced,
        shortfalls: assignment.shortfalls,
        groups,
        group_min: programme.group_min,
        group_max: programme.group_max,
    })
}

/// A programme's figures (the dashboard and `kyoritsu programme report`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub programme: i64,
    pub name: String,
    pub fiscal_year: i32,
    pub funnel: Vec<StageCount>,
    pub left: u64,
    /// Interviews to commitment → people.
    pub sessions_to_commitment: BTreeMap<u32, u64>,
    pub mean_sessions_to_commitment: Option<f64>,
    pub start_adherence: f64,
    /// Behaviour change, under the anonymity rule (shares hidden below k evaluated).
    pub behaviour: domain::behaviour::Shown,
    pub evaluated: u64,
    /// Dominant anchors in the cohort (ties counted for each tied anchor).
    pub anchor_mix: Vec<AnchorCount>,
    /// The autonomy rate of the cohort against the whole company, by fiscal year, from
    /// the year before the programme to now (at most six years).
    pub autonomy: Vec<AutonomyYear>,
    /// For a 1on1 cadence programme: each manager's months met (empty otherwise).
    pub cadence: Vec<ManagerCadence>,
    pub anonymity_k: u32,
}

/// One manager of a 1on1 cadence programme.
#[derive(Debug, Clone, Serialize)]
pub struct ManagerCadence {
    pub person: PersonId,
    pub employee_number: String,
    pub name: String,
    pub department: Option<String>,
    /// Share of (report, month) pairs with a 1on1 held so far this fiscal year.
    pub rate: f64,
    #[serde(flatten)]
    pub cadence: domain::programme::Cadence,
}

/// Each current participant's 1on1 cadence over the programme's fiscal year up to today.
pub async fn cadence_of(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
    participants: &[store::programmes::Participant],
    today: NaiveDate,
) -> store::Result<Vec<ManagerCadence>> {
    let cal = store.tenant(tenant).await?.settings.calendar;
    let fy_start = *cal
        .range(domain::calendar::FiscalYear(programme.fiscal_year))
        .start();
    let reports = store.direct_report_counts(tenant).await?;
    let held = store
        .one_on_ones_held_by_participants(
            tenant,
            programme.id,
            domain::japan_time::start_of_japan_day(fy_start),
        )
        .await?;
    Ok(participants
        .iter()
        .filter(|p| !p.left())
        .map(|p| {
            let mine: Vec<(i64, NaiveDate)> = held
                .get(&p.person.0)
                .map(|v| {
                    v.iter()
                        .map(|(r, at)| (*r, domain::japan_time::japan_date(*at)))
                        .collect()
                })
                .unwrap_or_default();
            let n = reports.get(&p.person.0).copied().unwrap_or(0).max(0) as usize;
            let cadence = domain::programme::Cadence::of(fy_start, today, n, &mine);
            ManagerCadence {
                person: p.person,
                employee_number: p.employee_number.clone(),
                name: p.name.clone(),
                department: p.department.clone(),
                rate: cadence.rate(),
                cadence,
            }
        })
        .collect())
}

/// キャリア自律率 of one fiscal year; a rate is `None` when its population is under k.
#[derive(Debug, Clone, Serialize)]
pub struct AutonomyYear {
    pub fiscal_year: i32,
    pub cohort_population: u64,
    pub cohort_rate: Option<f64>,
    pub company_rate: Option<f64>,
}

/// A funnel stage: people who reached it and their share of the targeted people.
#[derive(Debug, Clone, Serialize)]
pub struct StageCount {
    pub stage: Stage,
    pub count: u64,
    pub rate: f64,
}

/// People whose dominant anchor it is; `None` when fewer than k (hidden).
#[derive(Debug, Clone, Serialize)]
pub struct AnchorCount {
    pub anchor: Anchor,
    pub count: Option<u64>,
}

pub async fn report(
    store: &Store,
    tenant: TenantId,
    programme: &Programme,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    let settings = store.tenant(tenant).await?.settings;
    let progress = store
        .programme_progress(tenant, programme, &settings.calendar, now)
        .await?;
    let funnel = Funnel::of(progress.iter().map(|(_, p)| p));
    let k = u64::from(settings.anonymity_k);
    let cohort: std::collections::HashSet<i64> = progress
        .iter()
        .filter(|(p, _)| !p.left())
        .map(|(p, _)| p.person.0)
        .collect();
    let this_fy = settings
        .calendar
        .fiscal_year_of(domain::japan_time::japan_date(now))
        .0;
    let mut autonomy = Vec::new();
    for fy in (programme.fiscal_year - 1)..=this_fy.min(programme.fiscal_year + 4) {
        let (c, all) = store
            .autonomy_of_cohort(
                tenant,
                fy,
                &settings.calendar,
                &settings.rating_scale,
                &cohort,
            )
            .await?;
        autonomy.push(AutonomyYear {
            fiscal_year: fy,
            cohort_population: c.population,
            cohort_rate: (c.population >= k).then(|| c.rate()),
            company_rate: (all.population >= k).then(|| all.rate()),
        });
    }
    let mut mix: BTreeMap<usize, u64> = BTreeMap::new();
    let sheets = store
        .latest_anchor_sheets_in_programme(tenant, programme.id)
        .await?;
    for (p, _) in progress.iter().filter(|(p, _)| !p.left()) {
        if let Some(sheet) = sheets.get(&p.person.0) {
            for a in domain::anchor::score(sheet).dominant {
                *mix.entry(a as usize).or_default() += 1;
            }
        }
    }
    Ok(Report {
        programme: programme.id,
        name: programme.name.clone(),
        fiscal_year: programme.fiscal_year,
        funnel: Stage::ALL
            .iter()
            .map(|s| StageCount {
                stage: *s,
                count: funnel.count(*s),
                rate: funnel.rate(*s),
            })
            .collect(),
        left: funnel.left,
        mean_sessions_to_commitment: funnel.mean_sessions_to_commitment(),
        start_adherence: funnel.start_adherence(),
        behaviour: funnel.behaviour.anonymised(k),
        evaluated: funnel.behaviour.evaluated(),
        sessions_to_commitment: funnel.sessions_to_commitment,
        anchor_mix: Anchor::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let n = mix.get(&i).copied().unwrap_or(0);
                AnchorCount {
                    anchor: *a,
                    count: (n == 0 || n >= k).then_some(n),
                }
            })
            .collect(),
        autonomy,
        cadence: if programme.template == Kind::OneOnOneCadence {
            let participants: Vec<_> = progress.iter().map(|(p, _)| p.clone()).collect();
            cadence_of(
                store,
                tenant,
                programme,
                &participants,
                domain::japan_time::japan_date(now),
            )
            .await?
        } else {
            Vec::new()
        },
        anonymity_k: settings.anonymity_k,
    })
}

/// A programme already launched with the same template, fiscal year and cohort rule as
/// `new`: launching it again would put the same people in twice.
pub async fn duplicate_of(
    store: &Store,
    tenant: domain::TenantId,
    new: &store::programmes::NewProgramme,
) -> Result<Option<Programme>, store::StoreError> {
    Ok(store.programmes(tenant).await?.into_iter().find(|p| {
        p.cancelled_at.is_none()
            && p.template == new.template
            && p.fiscal_year == new.fiscal_year
            && p.rule.same_as(&new.rule)
    }))
}

/// What waits on HR in one running programme (their home's やること).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeToDo {
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    /// No training session has been set yet.
    pub no_sessions: bool,
    /// Participants whose training is near (or begun) with pre-learning or the inventory
    /// not done (`Progress::overdue`, the steps the reminders are about).
    pub overdue: usize,
    /// Participants not placed in a session while sessions exist.
    pub unplaced: usize,
    /// Participants still to reach a commitment who have no consultant assigned, so no
    /// interview can be booked for them.
    pub without_consultant: usize,
    /// A cross-1on1 programme: participants who are not yet the subject of one of its
    /// open pairs.
    pub unpaired: usize,
}

impl ProgrammeToDo {
    pub fn is_empty(&self) -> bool {
        !self.no_sessions
            && self.overdue == 0
            && self.unplaced == 0
            && self.without_consultant == 0
            && self.unpaired == 0
    }
}

/// The running programmes of this fiscal year and later (not cancelled) that need HR —
/// training, interviews, or pairs still to make — with how many participants need what.
/// Leavers are left out.
pub async fn to_do(
    store: &Store,
    tenant: TenantId,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<ProgrammeToDo>, store::StoreError> {
    let cal = store.tenant(tenant).await?.settings.calendar;
    let fy = cal.fiscal_year_of(today);
    let running: Vec<Programme> = store
        .programmes(tenant)
        .await?
        .into_iter()
        // A 1on1 cadence programme has no training, interviews or pairs to prepare.
        .filter(|p| {
            p.cancelled_at.is_none() && p.fiscal_year >= fy.0 && p.template != Kind::OneOnOneCadence
        })
        .collect();
    if running.is_empty() {
        return Ok(Vec::new());
    }
    let assigned: std::collections::HashSet<i64> = store
        .assignments(tenant)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let mut out = Vec::new();
    for programme in running {
        if programme.template == Kind::CrossOneOnOne {
            let paired: std::collections::HashSet<i64> = store
                .pairs_of_programme(tenant, programme.id)
                .await?
                .iter()
                .filter(|p| p.status.is_open())
                .map(|p| p.subject.0)
                .collect();
            let unpaired = store
                .participants(tenant, programme.id)
                .await?
                .iter()
                .filter(|p| !p.left() && !paired.contains(&p.person.0))
                .count();
            if unpaired > 0 {
                out.push(ProgrammeToDo {
                    id: programme.id,
                    fiscal_year: programme.fiscal_year,
                    name: programme.name.clone(),
                    no_sessions: false,
                    overdue: 0,
                    unplaced: 0,
                    without_consultant: 0,
                    unpaired,
                });
            }
            continue;
        }
        let sessions = store.training_sessions(tenant, programme.id).await?;
        let starts: HashMap<i64, NaiveDate> = sessions
            .iter()
            .map(|s| (s.id, domain::japan_time::japan_date(s.starts_at)))
            .collect();
        let progress = store
            .programme_progress(tenant, &programme, &cal, now)
            .await?;
        let mut todo = ProgrammeToDo {
            id: programme.id,
            fiscal_year: programme.fiscal_year,
            name: programme.name.clone(),
            no_sessions: sessions.is_empty() && !progress.is_empty(),
            overdue: 0,
            unplaced: 0,
            without_consultant: 0,
            unpaired: 0,
        };
        for (p, pr) in progress.iter().filter(|(p, _)| !p.left()) {
            let days = p
                .session
                .and_then(|s| starts.get(&s))
                .map(|d| (*d - today).num_days());
            if !pr.overdue(days).is_empty() {
                todo.overdue += 1;
            }
            if !sessions.is_empty() && p.session.is_none() {
                todo.unplaced += 1;
            }
            if !pr.committed() && !assigned.contains(&p.person.0) {
                todo.without_consultant += 1;
            }
        }
        if !todo.is_empty() {
            out.push(todo);
        }
    }
    Ok(out)
}

/// The policy's answer for HR's programme views.
fn may_manage(actor: &domain::policy::Actor) -> bool {
    domain::policy::authorize(
        actor,
        domain::policy::Action::ManageProgrammes {
            tenant: actor.tenant_id,
        },
    )
    .is_ok()
}

/// Every programme of the caller's company, newest year first (HR).
pub async fn listed(
    store: &Store,
    actor: &domain::policy::Actor,
) -> Result<Vec<Programme>, crate::Error> {
    if !may_manage(actor) {
        return Err(crate::Error::Forbidden);
    }
    Ok(store.programmes(actor.tenant_id).await?)
}

/// One programme as HR's page shows it: each participant with their path, the sessions,
/// and the figures (under the anonymity rule).
pub struct Detail {
    pub programme: Programme,
    pub people: Vec<(store::programmes::Participant, domain::programme::Progress)>,
    pub sessions: Vec<TrainingSession>,
    pub report: Report,
}

/// [`Detail`] of programme `id` (HR).
pub async fn detail(
    store: &Store,
    actor: &domain::policy::Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Detail, crate::Error> {
    if !may_manage(actor) {
        return Err(crate::Error::Forbidden);
    }
    let tenant = actor.tenant_id;
    let programme = store
        .programme(tenant, id)
        .await?
        .ok_or(crate::Error::NotFound("programme"))?;
    let cal = store.tenant(tenant).await?.settings.calendar;
    Ok(Detail {
        people: store
            .programme_progress(tenant, &programme, &cal, now)
            .await?,
        sessions: store.training_sessions(tenant, id).await?,
        report: report(store, tenant, &programme, now).await?,
        programme,
    })
}

/// A training session's roster, as its instructor and HR see it.
pub struct Roster {
    pub programme: Programme,
    pub session: TrainingSession,
    /// Placed participants who have not left.
    pub people: Vec<store::programmes::Participant>,
    /// Each workshop group's theme: the dominant anchor(s) most of its members share.
    pub themes: BTreeMap<i64, Vec<Anchor>>,
    /// (group, share of members whose dominant anchor is the theme)
    pub homogeneity: BTreeMap<i64, f64>,
    /// HR (who also sees each person's segment); the instructor sees the roster only.
    pub may_manage: bool,
}

/// The roster of session `sid` of programme `id`: for the instructor who runs it and HR.
pub async fn roster(
    store: &Store,
    actor: &domain::policy::Actor,
    id: i64,
    sid: i64,
) -> Result<Roster, crate::Error> {
    let tenant = actor.tenant_id;
    let session = store
        .training_session(tenant, sid)
        .await?
        .filter(|s| s.programme == id)
        .ok_or(crate::Error::NotFound("session"))?;
    domain::policy::authorize(
        actor,
        domain::policy::Action::ViewSessionRoster {
            tenant,
            runs_it: session.instructor == actor.user_id,
        },
    )
    .map_err(|_| crate::Error::Forbidden)?;
    let programme = store
        .programme(tenant, id)
        .await?
        .ok_or(crate::Error::NotFound("programme"))?;
    let people: Vec<_> = store
        .participants(tenant, id)
        .await?
        .into_iter()
        .filter(|p| p.session == Some(sid) && !p.left())
        .collect();
    let sheets = store.latest_anchor_sheets_in_programme(tenant, id).await?;
    let mut groups: BTreeMap<i64, Vec<Option<Anchor>>> = BTreeMap::new();
    for p in &people {
        if let Some(g) = p.group_no {
            let first = sheets
                .get(&p.person.0)
                .and_then(|s| domain::anchor::score(s).dominant.first().copied());
            groups.entry(g).or_default().push(first);
        }
    }
    let mut themes = BTreeMap::new();
    let mut homogeneity = BTreeMap::new();
    for (g, members) in groups {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for a in members.iter().flatten() {
            *counts.entry(*a as usize).or_default() += 1;
        }
        let mut order: Vec<(usize, usize)> = counts.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = order.first().map(|x| x.1).unwrap_or(0);
        themes.insert(
            g,
            order
                .iter()
                .take_while(|(_, n)| *n == top && top > 0)
                .map(|(a, _)| Anchor::ALL[*a])
                .collect(),
        );
        homogeneity.insert(g, top as f64 / members.len().max(1) as f64);
    }
    Ok(Roster {
        may_manage: may_manage(actor),
        programme,
        session,
        people,
        themes,
        homogeneity,
    })
}
