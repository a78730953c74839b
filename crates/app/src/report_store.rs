//! 組織レポートの集計: an organisation report is decided once — every column's cube over
//! the organisation as it stands then, the anonymity rule applied to every cell — and
//! stored (`store::org_reports`); pages, exports, the API and the KPI dashboard's score
//! mask read the stored rows. Two kinds: a closed survey's report (`survey:{id}`, decided
//! here) and a fiscal year's concern themes (`themes:{fy}`, decided in `app::concerns`).
//! Deciding a 300,000-person company's cubes takes seconds, so a survey is counted by a
//! queued job as soon as it closes, a year's themes with the year's KPIs, either again
//! when the tenant's k changes, and by the first reader when that finishes within
//! [`INLINE_BUDGET`]; past it the reader is told the report is being counted.

use crate::Error;
use crate::org_report::RowLabel;
use crate::org_report::Tree;
use chrono::{DateTime, Utc};
use domain::TenantId;
use domain::anonymity::Cube;
use domain::survey::{self, AGE_BANDS, Measure, Questionnaire, Tally};
use std::collections::HashSet;
use std::future::Future;
use std::sync::Mutex;
use store::Store;
use store::org_reports::{ReportCounted, ReportUnit, StoredCell, StoredRow, UnitCells};
use store::surveys::{StoredAnswer, Survey};

/// The key a survey's report is stored under.
pub fn survey_key(survey: i64) -> String {
    format!("survey:{survey}")
}

/// The key a fiscal year's theme report is stored under.
pub fn themes_key(fy: i32) -> String {
    format!("themes:{fy}")
}

/// The job kind of counting a report.
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

    /// Every row of a unit, as (age band, grade).
    fn rows(&self) -> impl Iterator<Item = (Option<usize>, Option<usize>)> + '_ {
        std::iter::once((None, None))
            .chain((0..self.ages).map(|a| (Some(a), None)))
            .chain((0..self.grades).map(|b| (None, Some(b))))
    }
}

/// A report's rows as they are decided: first which rows show and whom they cover (from
/// the cube of everyone the report covers), then one column at a time.
pub(crate) struct Rows<'a> {
    tree: &'a Tree,
    slots: Slots,
    rows: Vec<Option<StoredRow>>,
}

impl<'a> Rows<'a> {
    /// The rows of every unit of `tree` for `ages` age bands and `grades` grades, shown
    /// and counted as the decided cube `base` says. Bands nobody is in are left out (a
    /// unit's total always stays).
    pub(crate) fn new(tree: &'a Tree, ages: usize, grades: usize, base: &Cube) -> Rows<'a> {
        let slots = Slots { ages, grades };
        let mut rows = Vec::with_capacity(tree.len() * slots.per_unit());
        for u in 0..tree.len() {
            for (a, b) in slots.rows() {
                let row = StoredRow(base.shown(u, a, b).then(|| base.count(u, a, b)), Vec::new());
                let keep = (a.is_none() && b.is_none()) || row.0 != Some(0);
                rows.push(keep.then_some(row));
            }
        }
        Rows { tree, slots, rows }
    }

    /// The dense index of a row, for a column's own tallies.
    pub(crate) fn index(&self, u: usize, a: Option<usize>, b: Option<usize>) -> usize {
        self.slots.of(u, a, b)
    }

    /// How many rows (for a column's own tallies).
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Adds a column: `cell(unit, age band, grade, row index)` for every shown row.
    pub(crate) fn column(
        &mut self,
        cell: impl Fn(usize, Option<usize>, Option<usize>, usize) -> StoredCell,
    ) {
        for u in 0..self.tree.len() {
            for (a, b) in self.slots.rows() {
                let i = self.slots.of(u, a, b);
                if let Some(StoredRow(Some(_), cells)) = &mut self.rows[i] {
                    cells.push(cell(u, a, b, i));
                }
            }
        }
    }

    /// Each unit with its rows, as stored.
    pub(crate) fn units(self) -> Vec<ReportUnit> {
        let tree = self.tree;
        let per = self.slots.per_unit();
        let mut out = Vec::with_capacity(tree.len());
        let mut rows = self.rows.into_iter();
        for (u, up) in tree.parent().iter().enumerate() {
            let mut unit_rows = rows.by_ref().take(per);
            let total = unit_rows.next().flatten().unwrap_or_default();
            let rest: Vec<Option<StoredRow>> = unit_rows.collect();
            let (ages, grades) = rest.split_at(self.slots.ages);
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
                    grades: kept(grades),
                },
            });
        }
        out
    }
}

/// Runs `work` on every item on as many threads as the machine has cores, and gives the
/// items back in their order: a report's cubes are decided independently of each other,
/// so a year's theme cubes or a survey's measures take the cores side by side.
pub(crate) fn side_by_side<T: Send>(items: Vec<T>, work: impl Fn(&mut T) + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        let mut items = items;
        items.iter_mut().for_each(work);
        return items;
    }
    let slots: Vec<Mutex<T>> = items.into_iter().map(Mutex::new).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(slot) = slots.get(next.fetch_add(1, Ordering::Relaxed)) {
                    work(&mut slot.lock().unwrap_or_else(|e| e.into_inner()));
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// Decides the report of `answers` over `tree`: one cube for the respondents and one per
/// measure (decided side by side), every row of every unit.
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
    let k = u64::from(k);
    let mut respondents = Cube::new(parent.clone(), na, nb, placed.iter().copied());
    respondents.decide(k);
    let mut rows = Rows::new(tree, na, grades.len(), &respondents);
    drop(respondents);
    let cubes = Measure::of(kind)
        .into_iter()
        .map(|m| {
            let members = placed
                .iter()
                .zip(&scores)
                .filter(|(_, s)| s.contains_key(&m))
                .map(|(p, _)| *p);
            (m, Cube::new(parent.clone(), na, nb, members))
        })
        .collect();
    for (m, cube) in side_by_side(cubes, |(_, cube)| cube.decide(k)) {
        let mut tallies = vec![Tally::default(); rows.len()];
        for ((u, a, b), s) in placed.iter().zip(&scores) {
            let Some(t) = s.get(&m) else { continue };
            let mut at = Some(*u);
            while let Some(x) = at {
                for (aa, bb) in [(None, None), (Some(*a), None), (None, Some(*b))] {
                    tallies[rows.index(x, aa, bb)].add(t);
                }
                at = parent[x];
            }
        }
        rows.column(|u, a, b, i| {
            if !cube.shown(u, a, b) || cube.count(u, a, b) == 0 {
                return None;
            }
            let t = tallies[i];
            let value = match m {
                Measure::Indicator(_) => t.share(),
                _ => t.mean(),
            };
            value.map(|v| (v, t.answered))
        });
    }
    (grades, rows.units())
}

fn kept(rows: &[Option<StoredRow>]) -> Vec<(usize, StoredRow)> {
    rows.iter()
        .enumerate()
        .filter_map(|(i, r)| r.clone().map(|r| (i, r)))
        .collect()
}

/// Counts survey `survey`'s report now, over the organisation as it stands, and stores
/// it. The deciding runs off the async threads.
pub async fn count_survey(
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
        columns: Vec::new(),
        counted_at: chrono::SubsecRound::trunc_subsecs(now, 6),
    };
    save(store, tenant, &survey_key(survey.id), counted, &units).await
}

/// Stores a report's rows as counted.
pub(crate) async fn save(
    store: &Store,
    tenant: TenantId,
    key: &str,
    counted: ReportCounted,
    units: &[ReportUnit],
) -> Result<ReportCounted, Error> {
    store
        .replace_org_report(tenant, key, &counted, units)
        .await?;
    tracing::info!(
        tenant = tenant.0,
        report = key,
        units = units.len(),
        "organisation report counted"
    );
    Ok(counted)
}

/// Reports being counted by a reader in this process (store, tenant, key): a second
/// reader does not start the same count again.
static COUNTING: Mutex<Option<HashSet<(usize, i64, String)>>> = Mutex::new(None);

/// Removes a report from [`COUNTING`] when its count ends, however it ends.
struct Counting((usize, i64, String));

impl Counting {
    fn start(key: (usize, i64, String)) -> Option<Counting> {
        let mut set = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
        // Lazily: a guard made and dropped here, with the lock held, would lock it again.
        set.get_or_insert_with(HashSet::new)
            .insert(key.clone())
            .then(|| Counting(key))
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

/// The stored report `key` if it was counted with the tenant's k and `current` holds for
/// it; otherwise counts it with `count`, waiting at most [`INLINE_BUDGET`] (the count goes
/// on and is stored when the reader stops waiting). None while it is being counted.
pub(crate) async fn counted<F>(
    store: &Store,
    tenant: TenantId,
    key: String,
    k: u32,
    current: impl Fn(&ReportCounted) -> bool,
    count: F,
) -> Result<Option<ReportCounted>, Error>
where
    F: Future<Output = Result<ReportCounted, Error>> + Send + 'static,
{
    if let Some(c) = store.org_report_counted(tenant, &key).await?
        && c.k == k
        && current(&c)
    {
        return Ok(Some(c));
    }
    let Some(guard) = Counting::start((store.instance(), tenant.0, key)) else {
        return Ok(None);
    };
    let task = tokio::spawn(async move {
        let _guard = guard;
        count.await
    });
    match tokio::time::timeout(INLINE_BUDGET, task).await {
        Ok(Ok(c)) => c.map(Some),
        Ok(Err(e)) => Err(Error::Store(store::StoreError::Integrity(e.to_string()))),
        Err(_) => Ok(None),
    }
}

/// The reports due a count, as jobs: closed surveys without a report counted with the
/// tenant's k, and each year's themes when missing, counted with another k or older than
/// its freshness. A job's key names the report, the k and when it was last counted, so
/// however many workers see it due at once it is counted once.
pub async fn due_counts(
    store: &Store,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<Vec<store::jobs::NewJob>, Error> {
    let today = domain::japan_time::japan_date(now);
    let settings = store.tenant(tenant).await?.settings;
    let k = settings.anonymity_k;
    let current = settings.calendar.fiscal_year_of(today).0;
    let stored: std::collections::HashMap<String, (u32, DateTime<Utc>)> = store
        .org_reports_counted(tenant)
        .await?
        .into_iter()
        .map(|(r, k, at)| (r, (k, at)))
        .collect();
    let job = |key: String| {
        let last = stored.get(&key).map_or(0, |(_, at)| at.timestamp_micros());
        store::jobs::NewJob {
            tenant,
            kind: COUNT_JOB.into(),
            key: format!("org_report:{}:{key}:{k}:{last}", tenant.0),
            payload: key,
            run_at: now,
            max_attempts: 3,
        }
    };
    let mut out = Vec::new();
    for s in store.survey_list(tenant).await? {
        let key = survey_key(s.id);
        if !s.is_open(today) && stored.get(&key).is_none_or(|(c, _)| *c != k) {
            out.push(job(key));
        }
    }
    // The years the theme report offers: missing, counted with another k, or older than
    // the KPIs' own freshness (the current year's ten minutes, a past year's a day).
    for fy in ((current - crate::kpi::TREND_YEARS + 1)..=current).rev() {
        let key = themes_key(fy);
        let fresh = if fy == current {
            crate::kpi::CURRENT_YEAR_FRESH
        } else {
            crate::kpi::PAST_YEAR_FRESH
        };
        if stored
            .get(&key)
            .is_none_or(|(c, at)| *c != k || now - *at > fresh)
        {
            out.push(job(key));
        }
    }
    Ok(out)
}

/// Runs one count job: the report named by `payload` — a year's themes, or a closed
/// survey's unless a reader counted it with the tenant's k since the job was queued.
pub async fn run_job(
    store: &Store,
    tenant: TenantId,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if let Some(fy) = payload.strip_prefix("themes:") {
        let fy: i32 = fy.parse().map_err(|_| Error::NotFound("fiscal year"))?;
        return crate::concerns::count(store, tenant, fy, now)
            .await
            .map(|_| ());
    }
    let id: i64 = payload
        .strip_prefix("survey:")
        .and_then(|s| s.parse().ok())
        .ok_or(Error::NotFound("survey"))?;
    let survey = store
        .survey(tenant, id)
        .await?
        .ok_or(Error::NotFound("survey"))?;
    if survey.is_open(domain::japan_time::japan_date(now)) {
        return Ok(());
    }
    // A reader may have counted it since the job was queued.
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    if let Some(c) = store.org_report_counted(tenant, payload).await?
        && c.k == k
    {
        return Ok(());
    }
    count_survey(store, tenant, &survey, now).await.map(|_| ())
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
    let key = survey_key(survey.id);
    let fresh = store
        .org_report_counted(tenant, &key)
        .await?
        .is_some_and(|c| c.k == k);
    if !fresh {
        count_survey(store, tenant, survey, now).await?;
    }
    let supports: Vec<usize> = Measure::of(survey.kind)
        .into_iter()
        .enumerate()
        .filter(|(_, m)| matches!(m, Measure::Support(_)))
        .map(|(i, _)| i)
        .collect();
    let shown: std::collections::HashMap<i64, bool> = store
        .org_report_units(tenant, &key)
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

/// Where a reader stands in stored report `key`: the unit asked for (`unit`, a department
/// id; their top when None) if it lies within their top (`own`, their department; the
/// company when None), with the path from that top down to it. None when the reader's own
/// department is not in the report (made after it was counted).
pub(crate) async fn locate(
    store: &Store,
    tenant: TenantId,
    key: &str,
    own: Option<i64>,
    unit: Option<i64>,
) -> Result<Option<(ReportUnit, Vec<(i64, String)>)>, Error> {
    let top = own.unwrap_or(0);
    let Some(at) = store
        .org_report_unit(tenant, key, unit.unwrap_or(top))
        .await?
    else {
        return match unit {
            None => Ok(None),
            Some(_) => Err(Error::NotFound("unit")),
        };
    };
    let mut path = Vec::new();
    let mut x = Some(at.clone());
    while let Some(u) = x {
        if u.department_id != 0 {
            path.push((u.department_id, u.name.clone()));
        }
        if u.department_id == top {
            path.reverse();
            return Ok(Some((at, path)));
        }
        x = match u.parent_id {
            Some(p) => store.org_report_unit(tenant, key, p).await?,
            None => None,
        };
    }
    // A manager goes no higher than their own unit, nor sideways.
    Err(Error::NotFound("unit"))
}

/// The sub-units of `at` in stored report `key` that `listing` asks for, by code (as
/// Rust orders strings, the same on both engines), and the paging.
pub(crate) async fn listed(
    store: &Store,
    tenant: TenantId,
    key: &str,
    at: &ReportUnit,
    listing: crate::org_report::Listing,
) -> Result<(Vec<ReportUnit>, crate::org_report::Paged), Error> {
    let mut codes = if at.has_children && listing != crate::org_report::Listing::Nothing {
        store
            .org_report_child_codes(tenant, key, at.department_id)
            .await?
    } else {
        Vec::new()
    };
    codes.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let (range, paged) = listing.range(codes.len());
    let ids: Vec<i64> = codes[range].iter().map(|(d, _)| *d).collect();
    if ids.is_empty() {
        return Ok((Vec::new(), paged));
    }
    let mut units = store.org_report_units_of(tenant, key, &ids).await?;
    units.sort_by(|a, b| {
        a.code
            .cmp(&b.code)
            .then(a.department_id.cmp(&b.department_id))
    });
    Ok((units, paged))
}

/// The rows of stored report `key` at unit `at`, broken down `by` (sub-units as `listing`
/// asks; age bands and grades with anyone in them, or hidden): each row's label, its
/// decided cells and whether it has units below it. `grades` names the grade indexes.
pub(crate) async fn breakdown(
    store: &Store,
    tenant: TenantId,
    (key, at): (&str, &ReportUnit),
    (by, listing): (crate::surveys::By, crate::org_report::Listing),
    grades: &[String],
) -> Result<(Vec<(RowLabel, StoredRow, bool)>, crate::org_report::Paged), Error> {
    use crate::surveys::By;
    let bands = |rows: &[(usize, StoredRow)], label: &dyn Fn(usize) -> RowLabel| {
        rows.iter()
            .filter(|(_, r)| r.0 != Some(0))
            .map(|(i, r)| (label(*i), r.clone(), false))
            .collect()
    };
    let nothing = crate::org_report::Listing::Nothing.range(0).1;
    Ok(match by {
        By::Unit => {
            let (children, paged) = listed(store, tenant, key, at, listing).await?;
            let rows = children
                .into_iter()
                .map(|c| (unit_label(&c), c.cells.total, c.has_children))
                .collect();
            (rows, paged)
        }
        By::Age => (
            bands(&at.cells.ages, &|a| RowLabel::Age {
                band: AGE_BANDS.get(a).copied().unwrap_or("unknown").to_string(),
            }),
            nothing,
        ),
        By::Grade => (
            bands(&at.cells.grades, &|b| RowLabel::Grade {
                grade: grades.get(b).cloned().unwrap_or_default(),
            }),
            nothing,
        ),
    })
}

/// A stored unit's row label.
pub(crate) fn unit_label(u: &ReportUnit) -> RowLabel {
    if u.department_id == 0 {
        RowLabel::Company
    } else {
        RowLabel::Unit {
            id: u.department_id,
            code: u.code.clone(),
            name: u.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_counted_by_one_reader_of_a_store_at_a_time() {
        let key = |store: usize| (store, 1, "survey:1".to_string());
        let first = Counting::start(key(1)).expect("the first reader counts");
        // A second reader of the same store and report does not (and does not wait or
        // take the first one's place); another store's reader does.
        assert!(Counting::start(key(1)).is_none());
        assert!(Counting::start(key(1)).is_none());
        let other = Counting::start(key(2)).expect("another store");
        drop(first);
        let again = Counting::start(key(1)).expect("counted again once the first ends");
        drop((again, other));
    }
}
