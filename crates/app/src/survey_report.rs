//! 組織レポートの集計: a closed survey's organisation report is decided once — every
//! measure's cube over the organisation as it stands then, the anonymity rule applied to
//! every cell — and stored (`store::org_reports`); pages, exports, the API and the KPI
//! dashboard's score mask read the stored rows. Deciding a 300,000-person company's cubes
//! takes seconds, so a survey is counted by a queued job as soon as it closes (or when the
//! tenant's k changes), and by the first reader when that finishes within
//! [`INLINE_BUDGET`]; past it the reader is told the report is being counted.

use crate::org_report::Tree;
use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::TenantId;
use domain::anonymity::Cube;
use domain::survey::{self, AGE_BANDS, Measure, Questionnaire, Tally};
use std::collections::HashSet;
use std::sync::Mutex;
use store::Store;
use store::org_reports::{ReportCounted, ReportUnit, StoredCell, StoredRow, UnitCells};
use store::surveys::{StoredAnswer, Survey};

/// The job kind of counting a survey's report.
pub const COUNT_JOB: &str = "org_report_count";

/// The longest a reader waits for a report to be counted; past it the page says the
/// report is being counted, and the count goes on to be stored.
pub const INLINE_BUDGET: std::time::Duration = std::time::Duration::from_secs(4);

/// Age band index in the cube (`AGE_BANDS`, then one for unknown).
fn age_index(band: i64) -> usize {
    usize::try_from(band)
        .ok()
        .filter(|b| *b < AGE_BANDS.len())
        .unwrap_or(AGE_BANDS.len())
}

/// The rows of one unit in dense order: its total, each age band, each grade.
struct Slots {
    ages: usize,
    grades: usize,
}

impl Slots {
    fn per_unit(&self) -> usize {
        1 + self.ages + self.grades
    }

    fn of(&self, u: usize, a: Option<usize>, b: Option<usize>) -> usize {
        u * self.per_unit()
            + match (a, b) {
                (Some(a), _) => 1 + a,
                (None, Some(b)) => 1 + self.ages + b,
                (None, None) => 0,
            }
    }

    /// Every row of unit `u`, as (age band, grade).
    fn rows(&self) -> impl Iterator<Item = (Option<usize>, Option<usize>)> + '_ {
        std::iter::once((None, None))
            .chain((0..self.ages).map(|a| (Some(a), None)))
            .chain((0..self.grades).map(|b| (None, Some(b))))
    }
}

/// Decides the report of `answers` over `tree`: one cube for the respondents and one per
/// measure (built and dropped one at a time), every row of every unit.
fn decide(
    tree: &Tree,
    kind: survey::Kind,
    questionnaire: &Questionnaire,
    answers: &[StoredAnswer],
    k: u32,
) -> (Vec<String>, Vec<ReportUnit>) {
    let parent = tree.parent().to_vec();
    let mut grades: Vec<String> = answers.iter().map(|a| a.place.grade.clone()).collect();
    grades.sort();
    grades.dedup();
    let grade_of: std::collections::HashMap<&str, usize> = grades
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let placed: Vec<(usize, usize, usize)> = answers
        .iter()
        .map(|a| {
            (
                tree.unit(a.place.department_id),
                age_index(a.place.age_band),
                grade_of.get(a.place.grade.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let scores: Vec<std::collections::BTreeMap<Measure, Tally>> = answers
        .iter()
        .map(|a| survey::score(questionnaire, &a.answers))
        .collect();
    let (na, nb) = (AGE_BANDS.len() + 1, grades.len().max(1));
    let slots = Slots {
        ages: na,
        grades: grades.len(),
    };
    let k = u64::from(k);
    let units = tree.len();
    let mut respondents = Cube::new(parent.clone(), na, nb, placed.iter().copied());
    respondents.decide(k);
    // Each row's respondents when shown; the cells of shown rows are filled measure by
    // measure below.
    let mut rows: Vec<Option<StoredRow>> = Vec::with_capacity(units * slots.per_unit());
    for u in 0..units {
        for (a, b) in slots.rows() {
            let row = if respondents.shown(u, a, b) {
                StoredRow(Some(respondents.count(u, a, b)), Vec::new())
            } else {
                StoredRow(None, Vec::new())
            };
            // Bands nobody is in are left out (the unit's total always stays).
            let keep = (a.is_none() && b.is_none()) || row.0 != Some(0);
            rows.push(keep.then_some(row));
        }
    }
    drop(respondents);
    for m in Measure::of(kind) {
        let members: Vec<(usize, usize, usize)> = placed
            .iter()
            .zip(&scores)
            .filter(|(_, s)| s.contains_key(&m))
            .map(|(p, _)| *p)
            .collect();
        let mut cube = Cube::new(parent.clone(), na, nb, members);
        cube.decide(k);
        let mut tallies = vec![Tally::default(); units * slots.per_unit()];
        for ((u, a, b), s) in placed.iter().zip(&scores) {
            let Some(t) = s.get(&m) else { continue };
            let mut at = Some(*u);
            while let Some(x) = at {
                for (aa, bb) in [(None, None), (Some(*a), None), (None, Some(*b))] {
                    tallies[slots.of(x, aa, bb)].add(t);
                }
                at = parent[x];
            }
        }
        for u in 0..units {
            for (a, b) in slots.rows() {
                let i = slots.of(u, a, b);
                let Some(StoredRow(Some(_), cells)) = &mut rows[i] else {
                    continue;
                };
                let cell: StoredCell = (cube.shown(u, a, b) && cube.count(u, a, b) > 0)
                    .then(|| {
                        let t = tallies[i];
                        let value = match m {
                            Measure::Indicator(_) => t.share(),
                            _ => t.mean(),
                        };
                        value.map(|v| (v, t.answered))
                    })
                    .flatten();
                cells.push(cell);
            }
        }
    }
    let mut out = Vec::with_capacity(units);
    let mut rows = rows.into_iter();
    for (u, up) in parent.iter().enumerate() {
        let mut unit_rows = rows.by_ref().take(slots.per_unit());
        let total = unit_rows.next().flatten().unwrap_or_default();
        let rest: Vec<Option<StoredRow>> = unit_rows.collect();
        let (ages, grades_rows) = rest.split_at(slots.ages);
        let department = tree.department(u);
        out.push(ReportUnit {
            department_id: department.map_or(0, |d| d.id),
            parent_id: up.map(|p| tree.department(p).map_or(0, |d| d.id)),
            code: department.map(|d| d.code.clone()).unwrap_or_default(),
            name: department.map(|d| d.name.clone()).unwrap_or_default(),
            has_children: tree.has_children(u),
            cells: UnitCells {
                total,
                ages: kept(ages),
                grades: kept(grades_rows),
            },
        });
    }
    (grades, out)
}

fn kept(rows: &[Option<StoredRow>]) -> Vec<(usize, StoredRow)> {
    rows.iter()
        .enumerate()
        .filter_map(|(i, r)| r.clone().map(|r| (i, r)))
        .collect()
}

/// Counts survey `survey`'s report now, over the organisation as it stands, and stores
/// it. The deciding runs off the async threads.
pub async fn count(
    store: &Store,
    tenant: TenantId,
    survey: &Survey,
    now: DateTime<Utc>,
) -> Result<ReportCounted, Error> {
    let tree = Tree::load(store, tenant).await?;
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let answers = store.survey_answers(tenant, survey.id).await?;
    let (kind, questionnaire) = (survey.kind, survey.questionnaire.clone());
    let (grades, units) =
        tokio::task::spawn_blocking(move || decide(&tree, kind, &questionnaire, &answers, k))
            .await
            .map_err(|e| Error::Store(store::StoreError::Integrity(e.to_string())))?;
    let counted = ReportCounted {
        k,
        grades,
        // As both engines keep it (microseconds).
        counted_at: chrono::SubsecRound::trunc_subsecs(now, 6),
    };
    store
        .replace_org_report(tenant, survey.id, &counted, &units)
        .await?;
    tracing::info!(
        tenant = tenant.0,
        survey = survey.id,
        units = units.len(),
        "organisation report counted"
    );
    Ok(counted)
}

/// Surveys being counted by a reader in this process (tenant, survey): a second reader
/// does not start the same count again.
static COUNTING: Mutex<Option<HashSet<(i64, i64)>>> = Mutex::new(None);

/// Removes a survey from [`COUNTING`] when its count ends, however it ends.
struct Counting((i64, i64));

impl Counting {
    fn start(key: (i64, i64)) -> Option<Counting> {
        let mut set = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
        set.get_or_insert_with(HashSet::new)
            .insert(key)
            .then_some(Counting(key))
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        let mut set = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = set.as_mut() {
            s.remove(&self.0);
        }
    }
}

/// The stored report of survey `survey` if it was counted with the tenant's k; otherwise
/// counts it, waiting at most [`INLINE_BUDGET`] (the count goes on and is stored when
/// the reader stops waiting). None while it is being counted.
pub(crate) async fn counted(
    store: &Store,
    tenant: TenantId,
    survey: &Survey,
    k: u32,
    now: DateTime<Utc>,
) -> Result<Option<ReportCounted>, Error> {
    if let Some(c) = store.org_report_counted(tenant, survey.id).await?
        && c.k == k
    {
        return Ok(Some(c));
    }
    let Some(guard) = Counting::start((tenant.0, survey.id)) else {
        return Ok(None);
    };
    let (store, survey) = (store.clone(), survey.clone());
    let task = tokio::spawn(async move {
        let _guard = guard;
        count(&store, tenant, &survey, now).await
    });
    match tokio::time::timeout(INLINE_BUDGET, task).await {
        Ok(Ok(c)) => c.map(Some),
        Ok(Err(e)) => Err(Error::Store(store::StoreError::Integrity(e.to_string()))),
        Err(_) => Ok(None),
    }
}

/// Closed surveys whose report is not stored with the tenant's k, as count jobs. A job's
/// key names the survey, the k and when it was last counted, so however many workers see
/// it due at once it is counted once.
pub async fn due_counts(
    store: &Store,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<Vec<store::jobs::NewJob>, Error> {
    let today = domain::japan_time::japan_date(now);
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let stored: std::collections::HashMap<i64, u32> = store
        .org_reports_counted(tenant)
        .await?
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for s in store.survey_list(tenant).await? {
        if s.is_open(today) || stored.get(&s.id) == Some(&k) {
            continue;
        }
        let last = match stored.get(&s.id) {
            Some(_) => store
                .org_report_counted(tenant, s.id)
                .await?
                .map_or(0, |c| c.counted_at.timestamp_micros()),
            None => 0,
        };
        out.push(store::jobs::NewJob {
            tenant,
            kind: COUNT_JOB.into(),
            key: format!("org_report:{}:{}:{k}:{last}", tenant.0, s.id),
            payload: s.id.to_string(),
            run_at: now,
            max_attempts: 3,
        });
    }
    Ok(out)
}

/// Runs one count job: the survey named by `payload`, if it is closed.
pub async fn run_job(
    store: &Store,
    tenant: TenantId,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let id: i64 = payload.parse().map_err(|_| Error::NotFound("survey"))?;
    let survey = store
        .survey(tenant, id)
        .await?
        .ok_or(Error::NotFound("survey"))?;
    if survey.is_open(domain::japan_time::japan_date(now)) {
        return Ok(());
    }
    // A reader may have counted it since the job was queued.
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    if let Some(c) = store.org_report_counted(tenant, id).await?
        && c.k == k
    {
        return Ok(());
    }
    count(store, tenant, &survey, now).await.map(|_| ())
}

/// Which units (in [`Tree`] order) the report of `survey` shows a 5-supports score for:
/// its respondents and every support's cell shown, as the stored report decided them
/// (counted here first when it is not stored with k) — so a dashboard that shows no more
/// than this adds nothing to what the report already lets anyone work out. Units the
/// report does not hold (made after it was counted) are not shown.
pub(crate) async fn supports_shown(
    store: &Store,
    tenant: TenantId,
    tree: &Tree,
    survey: &Survey,
    k: u32,
    now: DateTime<Utc>,
) -> Result<Vec<bool>, Error> {
    let fresh = store
        .org_report_counted(tenant, survey.id)
        .await?
        .is_some_and(|c| c.k == k);
    if !fresh {
        count(store, tenant, survey, now).await?;
    }
    let supports: Vec<usize> = Measure::of(survey.kind)
        .into_iter()
        .enumerate()
        .filter(|(_, m)| matches!(m, Measure::Support(_)))
        .map(|(i, _)| i)
        .collect();
    let shown: std::collections::HashMap<i64, bool> = store
        .org_report_units(tenant, survey.id)
        .await?
        .into_iter()
        .map(|u| {
            let StoredRow(n, cells) = &u.cells.total;
            let shown = match n {
                None => false,
                Some(0) => true,
                Some(_) => supports
                    .iter()
                    .all(|i| cells.get(*i).is_some_and(|c| c.is_some())),
            };
            (u.department_id, shown)
        })
        .collect();
    Ok((0..tree.len())
        .map(|u| {
            let d = tree.department(u).map_or(0, |d| d.id);
            shown.get(&d).copied().unwrap_or(false)
        })
        .collect())
}

/// Where a reader stands in a stored report: the unit asked for (`unit`, a department id;
/// their top when None) if it lies within their top (`own`, their department; the
/// company when None), with the path from that top down to it.
pub(crate) async fn locate(
    store: &Store,
    caller: &Caller,
    survey: i64,
    own: Option<i64>,
    unit: Option<i64>,
) -> Result<(ReportUnit, Vec<(i64, String)>), Error> {
    let tenant = caller.actor.tenant_id;
    let top = own.unwrap_or(0);
    let at = store
        .org_report_unit(tenant, survey, unit.unwrap_or(top))
        .await?
        .ok_or(Error::NotFound("unit"))?;
    let mut path = Vec::new();
    let mut x = Some(at.clone());
    while let Some(u) = x {
        if u.department_id != 0 {
            path.push((u.department_id, u.name.clone()));
        }
        if u.department_id == top {
            path.reverse();
            return Ok((at, path));
        }
        x = match u.parent_id {
            Some(p) => store.org_report_unit(tenant, survey, p).await?,
            None => None,
        };
    }
    // A manager goes no higher than their own unit, nor sideways.
    Err(Error::NotFound("unit"))
}
