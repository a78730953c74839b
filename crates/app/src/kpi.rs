//! KPIダッシュボード: the figures of DOMAIN.md's KPIs for a fiscal year, by unit, with a
//! ten-year trend. Each KPI is counted per person (or per answer, per report) into the
//! unit of the person's department, added up the organisation tree, and shown in a unit
//! only when `domain::anonymity::units_shown` allows it for that KPI's people — so no
//! unit below k shows, and no small group can be worked out from a parent and its other
//! children.

use crate::org_report::{Listing, Paged, ReportUnavailable, RowLabel, Tree, scope};
use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::TenantId;
use domain::calendar::FiscalYear;
use domain::kpi::{Count, Kpi};
use std::collections::{BTreeMap, HashMap, HashSet};
use store::Store;

/// Years the trend goes back (the current one included).
pub const TREND_YEARS: i32 = 10;

/// One KPI in one place: its value and the people it covers, or nothing when the
/// anonymity rule hides it (or nothing is counted).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Figure {
    pub kpi: Kpi,
    pub value: Option<f64>,
    pub people: Option<u64>,
    /// The figure exists but is hidden (below k, or a complement of one).
    pub suppressed: bool,
}

/// One unit's figures.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KpiRow {
    pub label: RowLabel,
    pub figures: Vec<Figure>,
    pub has_children: bool,
}

/// The unit's figures of one fiscal year (a point of the trend).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrendYear {
    pub fiscal_year: i32,
    pub figures: Vec<Figure>,
    /// False while the year waits to be counted for the first time.
    pub counted: bool,
}

/// The dashboard of one fiscal year for one unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dashboard {
    pub fiscal_year: i32,
    /// When the year's figures were counted; None while the year waits to be counted
    /// for the first time (a large company's first visit: the worker counts it).
    pub as_of: Option<DateTime<Utc>>,
    pub k: u32,
    pub kpis: Vec<Kpi>,
    /// The unit (the whole company when none) and its figures.
    pub total: KpiRow,
    /// Its sub-units, by code (those asked for).
    pub rows: Vec<KpiRow>,
    /// Which sub-units `rows` are.
    pub paged: Paged,
    /// From the oldest year to `fiscal_year`; empty unless asked for.
    pub trend: Vec<TrendYear>,
    /// The path from the top to this unit: (id, name).
    pub path: Vec<(i64, String)>,
    pub whole_company: bool,
}

/// Every KPI's counts of one fiscal year, per unit of `tree`, own members only.
pub(crate) struct Counts {
    per: BTreeMap<Kpi, Vec<Count>>,
    /// Units where a KPI stays hidden whatever its count: where another view of the same
    /// answers (the organisation report) hides them.
    also_hidden: BTreeMap<Kpi, Vec<bool>>,
}

const INTERVIEWS: [&str; 2] = ["career_interview", "milestone_interview"];

/// Counts fiscal year `fy` as it stands on `today` (nothing for a year not begun).
pub(crate) async fn counts(
    store: &Store,
    tenant: TenantId,
    tree: &Tree,
    fy: i32,
    now: DateTime<Utc>,
) -> Result<Counts, Error> {
    use domain::japan_time::{japan_date, start_of_japan_day};
    let today = japan_date(now);
    let n = tree.len();
    let mut per: BTreeMap<Kpi, Vec<Count>> = Kpi::ALL
        .into_iter()
        .map(|k| (k, vec![Count::default(); n]))
        .collect();
    let settings = store.tenant(tenant).await?.settings;
    let range = settings.calendar.range(FiscalYear(fy));
    let mut also_hidden = BTreeMap::new();
    if today < *range.start() {
        return Ok(Counts { per, also_hidden });
    }
    let until = std::cmp::min(*range.end(), today);
    let (start, end) = (
        start_of_japan_day(*range.start()),
        start_of_japan_day(*range.end()) + chrono::Duration::days(1),
    );
    // The year's facts, the autonomy judgement's and the closed 5-supports surveys'
    // answers are independent reads: they run side by side.
    let autonomy = async {
        let definition = store.autonomy_definition(tenant).await?;
        let inputs = store.autonomy_inputs(tenant, fy, range.clone()).await?;
        Ok::<_, Error>((definition, inputs))
    };
    let supports = supports_counts(store, tenant, tree, (fy, settings.anonymity_k), now);
    let (facts, (definition, autonomy_inputs), (support_counts, hidden)) = tokio::try_join!(
        async { Ok::<_, Error>(store.kpi_facts(tenant, fy, range.clone(), until).await?) },
        autonomy,
        supports
    )?;
    let unit_of: HashMap<i64, usize> = facts
        .people
        .iter()
        .map(|(p, d, _)| (*p, tree.unit(*d)))
        .collect();
    let mut add = |kpi: Kpi, person: i64, c: Count| {
        if let (Some(u), Some(v)) = (unit_of.get(&person), per.get_mut(&kpi)) {
            v[*u].add(&c);
        }
    };
    let yes = |b: bool| if b { 1.0 } else { 0.0 };

    // Interviews, dialogue in 12 months, consultations: one count per person.
    let interviewed: HashSet<i64> = facts.interviews.iter().map(|(p, _)| *p).collect();
    for (p, _, _) in &facts.people {
        add(
            Kpi::InterviewCoverage,
            *p,
            Count::of(yes(interviewed.contains(p)), 1),
        );
        add(
            Kpi::NoDialogue12Months,
            *p,
            Count::of(yes(!facts.in_dialogue.contains(p)), 1),
        );
        add(
            Kpi::ConsultantUsage,
            *p,
            Count::of(yes(facts.consulted.contains(p)), 1),
        );
        add(
            Kpi::OpportunityUsage,
            *p,
            Count::of(yes(facts.opportunity_users.contains(p)), 1),
        );
    }

    // Commitments that ended an interview of the year; interviews up to the first.
    let mut first_commit: HashMap<i64, chrono::DateTime<chrono::Utc>> = HashMap::new();
    for c in &facts.commitments {
        if INTERVIEWS.contains(&c.dialogue_kind.as_str())
            && c.dialogue_at >= start
            && c.dialogue_at < end
        {
            let e = first_commit.entry(c.person).or_insert(c.dialogue_at);
            *e = std::cmp::min(*e, c.dialogue_at);
        }
    }
    for p in &interviewed {
        add(
            Kpi::CommitmentRate,
            *p,
            Count::of(yes(first_commit.contains_key(p)), 1),
        );
    }
    let mut interviews_of: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    for (p, when) in &facts.interviews {
        if first_commit.contains_key(p) {
            interviews_of.entry(*p).or_default().push(*when);
        }
    }
    for (p, at) in &first_commit {
        let sessions = interviews_of
            .get(p)
            .map_or(0, |w| w.iter().filter(|when| *when <= at).count());
        if sessions > 0 {
            add(Kpi::SessionsToCommitment, *p, Count::of(sessions as f64, 1));
        }
    }

    // Start adherence: commitments due to start in the year by `until`.
    let mut due: HashMap<i64, bool> = HashMap::new();
    for c in &facts.commitments {
        if c.starts_on
            .is_some_and(|d| range.contains(&d) && d <= until)
        {
            *due.entry(c.person).or_default() |= c.started;
        }
    }
    for (p, started) in &due {
        add(Kpi::StartAdherence, *p, Count::of(yes(*started), 1));
    }

    for (p, level) in &facts.evaluations {
        add(
            Kpi::BehaviourChange,
            *p,
            Count::of(yes(matches!(level.as_str(), "remarkable" | "changed")), 1),
        );
    }

    let mut reports: HashMap<i64, (u64, u64)> = HashMap::new();
    for (p, acknowledged) in &facts.reports {
        let e = reports.entry(*p).or_default();
        e.0 += u64::from(*acknowledged);
        e.1 += 1;
    }
    for (p, (ack, sent)) in &reports {
        add(Kpi::FeedbackAcknowledged, *p, Count::of(*ack as f64, *sent));
    }

    for (p, answered, of) in &facts.survey_targets {
        add(
            Kpi::SurveyParticipation,
            *p,
            Count::of(*answered as f64, *of),
        );
    }

    // Autonomy, by the tenant's definition, over the same population.
    let autonomy = autonomy_inputs.facts(
        facts.people.iter().map(|(p, _, _)| *p),
        &settings.rating_scale,
    );
    let bar = domain::autonomy::threshold(&definition, &autonomy.ratings, &settings.rating_scale);
    for (p, f) in &autonomy.people {
        let j = domain::autonomy::judge(&definition, f, bar);
        add(Kpi::AutonomyRate, p.0, Count::of(yes(j.autonomous()), 1));
    }

    // 1on1 cadence: each manager's reports × months begun, met pairs counted once.
    let months = domain::kpi::months_begun(*range.start(), until);
    let mut reports_of: HashMap<i64, u64> = HashMap::new();
    let manager_of: HashMap<i64, i64> = facts
        .people
        .iter()
        .filter_map(|(p, _, m)| m.map(|m| (*p, m)))
        .collect();
    for m in manager_of.values() {
        *reports_of.entry(*m).or_default() += 1;
    }
    let mut met: HashMap<i64, u64> = HashMap::new();
    for (m, report, n) in &facts.one_on_one_months {
        if manager_of.get(report) == Some(m) {
            *met.entry(*m).or_default() += n;
        }
    }
    if months > 0 {
        for (m, r) in &reports_of {
            let pairs = met.get(m).copied().unwrap_or(0) as f64;
            add(
                Kpi::OneOnOneCadence,
                *m,
                Count {
                    num: pairs,
                    den: r * months,
                    people: *r,
                },
            );
        }
    }

    if let Some(v) = per.get_mut(&Kpi::SupportScore) {
        *v = support_counts;
    }
    also_hidden.insert(Kpi::SupportScore, hidden);
    Ok(Counts { per, also_hidden })
}

/// The 5 supports of fiscal year `fy`: each unit's own answers to the year's closed
/// 5-supports surveys (one mean over the supports per answer), and the units where a
/// survey's own report hides them (so the KPI hides them too).
async fn supports_counts(
    store: &Store,
    tenant: TenantId,
    tree: &Tree,
    (fy, k): (i32, u32),
    now: DateTime<Utc>,
) -> Result<(Vec<Count>, Vec<bool>), Error> {
    let today = domain::japan_time::japan_date(now);
    let n = tree.len();
    let mut counts = vec![Count::default(); n];
    let mut hidden = vec![false; n];
    let surveys = store.survey_list(tenant).await?;
    for s in surveys.iter().filter(|s| {
        s.fiscal_year == fy && s.kind == domain::survey::Kind::FiveSupports && !s.is_open(today)
    }) {
        let shown = crate::report_store::supports_shown(store, tenant, tree, s, k, now).await?;
        for (h, shown) in hidden.iter_mut().zip(shown) {
            *h |= !shown;
        }
        for a in store.survey_answers(tenant, s.id).await? {
            let scores: Vec<f64> = domain::survey::score(&s.questionnaire, &a.answers)
                .into_iter()
                .filter(|(m, _)| matches!(m, domain::survey::Measure::Support(_)))
                .filter_map(|(_, t)| t.mean())
                .collect();
            if !scores.is_empty() {
                let mean = scores.iter().sum::<f64>() / scores.len() as f64;
                counts[tree.unit(a.place.department_id)].add(&Count::of(mean, 1));
            }
        }
    }
    Ok((counts, hidden))
}

/// Counts decided for showing: each unit's totals and whether each KPI shows there.
pub(crate) struct Decided {
    per: BTreeMap<Kpi, (Vec<Count>, Vec<bool>)>,
}

impl Counts {
    /// Adds each unit's counts up the tree and applies the anonymity rule per KPI.
    pub(crate) fn decide(&self, tree: &Tree, k: u32) -> Decided {
        let per = self
            .per
            .iter()
            .map(|(kpi, own)| {
                let mut totals = own.clone();
                for (u, c) in own.iter().enumerate() {
                    let mut at = tree.parent()[u];
                    let mut steps = 0;
                    while let Some(p) = at {
                        totals[p].add(c);
                        at = tree.parent()[p];
                        steps += 1;
                        if steps > own.len() {
                            break;
                        }
                    }
                }
                let people: Vec<u64> = own.iter().map(|c| c.people).collect();
                let (_, mut shown) =
                    domain::anonymity::units_shown(tree.parent(), &people, u64::from(k));
                // Hiding more never lets anything more be worked out.
                if let Some(also) = self.also_hidden.get(kpi) {
                    for (s, h) in shown.iter_mut().zip(also) {
                        *s &= !h;
                    }
                }
                (*kpi, (totals, shown))
            })
            .collect();
        Decided { per }
    }
}

/// The KPI dashboard of fiscal year `fy` for `unit` (a department id; the caller's top
/// when None: the company for HR, their own department for a manager), with the unit's
/// trend over [`TREND_YEARS`] years when `with_trend`.
pub async fn dashboard(
    store: &Store,
    caller: &Caller,
    fy: i32,
    unit: Option<i64>,
    (with_trend, listing): (bool, Listing),
    now: DateTime<Utc>,
) -> Result<Result<Dashboard, ReportUnavailable>, Error> {
    let tenant = caller.actor.tenant_id;
    let scope = match scope(store, caller).await? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let tree = Tree::load(store, tenant).await?;
    let place = tree.locate(&scope, unit)?;
    let view = View {
        fy,
        with_trend,
        listing,
        whole_company: scope.whole_company,
        now,
    };
    let mut d = build(store, tenant, &tree, place, view).await?;
    if !caller.actor.has(domain::Role::Hr) {
        d.leave_out(Kpi::hr_only);
    }
    Ok(Ok(d))
}

impl Dashboard {
    /// Leaves out the KPIs `out` names, everywhere the dashboard shows them.
    fn leave_out(&mut self, out: impl Fn(Kpi) -> bool) {
        self.kpis.retain(|k| !out(*k));
        let keep = |figures: &mut Vec<Figure>| figures.retain(|f| !out(f.kpi));
        keep(&mut self.total.figures);
        for r in &mut self.rows {
            keep(&mut r.figures);
        }
        for y in &mut self.trend {
            keep(&mut y.figures);
        }
    }
}

/// The dashboard as the operator reads it on the command line (`kyoritsu kpi`): the
/// whole company, or the department with `department_code`; None for an unknown code.
pub async fn for_operator(
    store: &Store,
    tenant: TenantId,
    fy: i32,
    department_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<Dashboard>, Error> {
    let tree = Tree::load(store, tenant).await?;
    let unit = match department_code {
        None => None,
        Some(code) => match (1..tree.len())
            .filter_map(|u| tree.department(u))
            .find(|d| d.code == code)
        {
            Some(d) => Some(d.id),
            None => return Ok(None),
        },
    };
    let scope = crate::org_report::Scope {
        whole_company: true,
        own: None,
    };
    let place = tree.locate(&scope, unit)?;
    // Counted afresh: the command line prints what the data says now.
    refresh(store, tenant, fy, now).await?;
    let view = View {
        fy,
        with_trend: false,
        listing: Listing::All,
        whole_company: true,
        now,
    };
    Ok(Some(build(store, tenant, &tree, place, view).await?))
}

struct View {
    fy: i32,
    with_trend: bool,
    listing: Listing,
    whole_company: bool,
    now: DateTime<Utc>,
}

async fn build(
    store: &Store,
    tenant: TenantId,
    tree: &Tree,
    (at, path): (usize, Vec<(i64, String)>),
    view: View,
) -> Result<Dashboard, Error> {
    let View {
        fy,
        with_trend,
        listing,
        whole_company,
        now,
    } = view;
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let deadline = tokio::time::Instant::now() + INLINE_BUDGET;
    let (listed, paged) = tree.listed(at, listing);
    let mut units = vec![at];
    units.extend(listed.iter().copied());
    let (counted, as_of) = match stored(store, tenant, tree, (fy, &units), now, deadline).await? {
        Some((c, at)) => (c, Some(at)),
        None => (Stored::of(Vec::new()), None),
    };
    let row = |u: usize| KpiRow {
        label: tree.label_of(u),
        figures: counted.figures(tree, u),
        has_children: tree.has_children(u),
    };
    let total = row(at);
    let rows: Vec<KpiRow> = listed.into_iter().map(row).collect();
    let mut trend = Vec::new();
    if with_trend {
        for year in (fy - TREND_YEARS + 1)..=fy {
            let (figures, counted) = if year == fy {
                (total.figures.clone(), as_of.is_some())
            } else {
                // Past years are only read: one still to count waits for the worker
                // rather than making every visit wait for it.
                let read_only = tokio::time::Instant::now();
                match stored(store, tenant, tree, (year, &[at]), now, read_only).await? {
                    Some((c, _)) => (c.figures(tree, at), true),
                    None => (Stored::of(Vec::new()).figures(tree, at), false),
                }
            };
            trend.push(TrendYear {
                fiscal_year: year,
                figures,
                counted,
            });
        }
    }
    Ok(Dashboard {
        fiscal_year: fy,
        as_of,
        k,
        kpis: Kpi::ALL.to_vec(),
        total,
        rows,
        paged,
        trend,
        path,
        whole_company,
    })
}

/// A current year's counts are recounted when older than this; a past year's once a day
/// (their inputs rarely change; imports, a new definition and closed surveys mark them
/// due at once, `Store::kpi_stale`).
pub const CURRENT_YEAR_FRESH: chrono::Duration = chrono::Duration::minutes(10);
pub const PAST_YEAR_FRESH: chrono::Duration = chrono::Duration::hours(24);
/// Years one worker tick recounts at most.
pub const YEARS_PER_TICK: usize = 3;

impl Decided {
    /// Each unit's decided figures as stored: subtree totals, and hidden where the rule
    /// hides them. Units with nothing counted are left out.
    fn rows(&self, tree: &Tree) -> Vec<store::kpi::KpiCountRow> {
        let mut rows = Vec::new();
        for (kpi, (totals, shown)) in &self.per {
            for (u, c) in totals.iter().enumerate() {
                if c.people == 0 && c.den == 0 {
                    continue;
                }
                rows.push(store::kpi::KpiCountRow {
                    department_id: tree.department(u).map(|d| d.id),
                    kpi: kpi.key().to_string(),
                    num: c.num,
                    den: c.den,
                    people: c.people,
                    hidden: !shown.get(u).copied().unwrap_or(false),
                });
            }
        }
        rows
    }
}

/// A year's decided figures of some units, as stored.
struct Stored {
    /// (department id or None for the company, KPI) → row
    rows: HashMap<(Option<i64>, Kpi), store::kpi::KpiCountRow>,
}

impl Stored {
    fn of(rows: Vec<store::kpi::KpiCountRow>) -> Stored {
        Stored {
            rows: rows
                .into_iter()
                .filter_map(|r| Kpi::parse(&r.kpi).map(|k| ((r.department_id, k), r)))
                .collect(),
        }
    }

    /// The figures of unit `u` of `tree`.
    fn figures(&self, tree: &Tree, u: usize) -> Vec<Figure> {
        let department = tree.department(u).map(|d| d.id);
        Kpi::ALL
            .into_iter()
            .map(|kpi| match self.rows.get(&(department, kpi)) {
                None => Figure {
                    kpi,
                    value: None,
                    people: None,
                    suppressed: false,
                },
                Some(r) => {
                    let show = !r.hidden && r.den > 0;
                    Figure {
                        kpi,
                        value: show.then(|| r.num / r.den as f64),
                        people: show.then_some(r.people),
                        suppressed: !show && r.people > 0,
                    }
                }
            })
            .collect()
    }
}

/// Counts fiscal year `fy` now and stores it for the dashboard.
pub async fn refresh(
    store: &Store,
    tenant: TenantId,
    fy: i32,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let tree = Tree::load(store, tenant).await?;
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let decided = counts(store, tenant, &tree, fy, now)
        .await?
        .decide(&tree, k);
    let now = chrono::SubsecRound::trunc_subsecs(now, 6);
    store
        .replace_kpi_counts(tenant, fy, &decided.rows(&tree), now)
        .await?;
    Ok(())
}

/// The longest a page waits for a year never counted before to be counted; past it the
/// page says the year is being counted and the worker counts it.
pub const INLINE_BUDGET: std::time::Duration = std::time::Duration::from_secs(4);

/// The stored figures of `fy` for the units `units` of `tree`, and when they were
/// counted. A year never counted is counted (and stored) here if that finishes before
/// `deadline`; otherwise None.
async fn stored(
    store: &Store,
    tenant: TenantId,
    tree: &Tree,
    (fy, units): (i32, &[usize]),
    now: DateTime<Utc>,
    deadline: tokio::time::Instant,
) -> Result<Option<(Stored, DateTime<Utc>)>, Error> {
    let departments: Vec<i64> = units
        .iter()
        .map(|u| tree.department(*u).map(|d| d.id).unwrap_or(0))
        .collect();
    if let Some((at, rows)) = store.kpi_counts(tenant, fy, &departments).await? {
        return Ok(Some((Stored::of(rows), at)));
    }
    if deadline <= tokio::time::Instant::now() {
        return Ok(None);
    }
    let Ok(c) = tokio::time::timeout_at(deadline, counts(store, tenant, tree, fy, now)).await
    else {
        return Ok(None);
    };
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let rows = c?.decide(tree, k).rows(tree);
    // As both engines keep it (microseconds), so the first read says what later ones do.
    let now = chrono::SubsecRound::trunc_subsecs(now, 6);
    store.replace_kpi_counts(tenant, fy, &rows, now).await?;
    Ok(Some((Stored::of(rows), now)))
}

/// The job kind of a KPI recount.
pub const RECOUNT_JOB: &str = "kpi_recount";

/// The years of the dashboard (the current one and the [`TREND_YEARS`] − 1 before it)
/// whose counts are missing or older than they may be, at most [`YEARS_PER_TICK`], the
/// current year first, as recount jobs. A job's key names the year and when it was last
/// counted, so however many workers see the year due at once, it is recounted once
/// (the queue keeps one job per key and leases it to one worker).
pub async fn due_recounts(
    store: &Store,
    tenant: TenantId,
    current: i32,
    now: DateTime<Utc>,
) -> Result<Vec<store::jobs::NewJob>, Error> {
    let counted: HashMap<i32, DateTime<Utc>> = store.kpi_years(tenant).await?.into_iter().collect();
    let mut out = Vec::new();
    for fy in ((current - TREND_YEARS + 1)..=current).rev() {
        let fresh = if fy == current {
            CURRENT_YEAR_FRESH
        } else {
            PAST_YEAR_FRESH
        };
        let last = counted.get(&fy);
        if out.len() < YEARS_PER_TICK && last.is_none_or(|at| now - *at > fresh) {
            out.push(store::jobs::NewJob {
                tenant,
                kind: RECOUNT_JOB.into(),
                key: format!(
                    "kpi:{}:{fy}:{}",
                    tenant.0,
                    last.map(|at| at.timestamp_micros()).unwrap_or(0)
                ),
                payload: fy.to_string(),
                run_at: now,
                max_attempts: 3,
            });
        }
    }
    Ok(out)
}

/// One KPI of the whole company, year by year from `current` − [`TREND_YEARS`] + 1, from
/// the stored counts, hidden as the dashboard hides it (for HR pages that chart one
/// KPI, such as キャリア自律's rate by year).
pub async fn company_series(
    store: &Store,
    tenant: TenantId,
    kpi: Kpi,
    current: i32,
    now: DateTime<Utc>,
) -> Result<Vec<(i32, Option<Figure>)>, Error> {
    let tree = Tree::load(store, tenant).await?;
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + INLINE_BUDGET;
    for fy in (current - TREND_YEARS + 1)..=current {
        let figure = match stored(store, tenant, &tree, (fy, &[0]), now, deadline).await? {
            Some((c, _)) => c.figures(&tree, 0).into_iter().find(|f| f.kpi == kpi),
            None => None,
        };
        out.push((fy, figure));
    }
    Ok(out)
}
