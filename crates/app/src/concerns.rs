//! 相談テーマ: the facilitator of a career interview or consultation tags the themes the
//! person raised; the company may add themes of its own; the organisation report counts,
//! per fiscal year, the people who raised each theme by unit, age band or grade — through
//! `domain::anonymity`, with one more rule: a cell where everyone consulted raised the
//! theme stays hidden (it would tell that each of them did). Only tags travel.

use crate::report_store::{self, Rows, side_by_side};
use crate::surveys::{By, Listing, ReportUnavailable, RowLabel, Tree, scope};
use crate::{Caller, Error};
use domain::anonymity::Cube;
use domain::concern::{self, BUILTIN, CustomTheme, ThemeProblem};
use domain::policy::{self, Action, DialogueRole};
use domain::survey::{AGE_BANDS, age_band};
use std::collections::{HashMap, HashSet};
use store::Store;
use store::org_reports::StoredRow;

/// The company's list: built-in keys (labelled by the translations `concern.theme.*`)
/// and its own themes.
pub struct ThemeList {
    pub custom: Vec<CustomTheme>,
}

impl ThemeList {
    pub fn keys(&self) -> Vec<String> {
        BUILTIN
            .iter()
            .map(|k| k.to_string())
            .chain(self.custom.iter().map(|c| c.key.clone()))
            .collect()
    }

    /// A theme's label in the language of `catalog` (`ja` picks the Japanese of the
    /// company's own themes).
    pub fn label(&self, key: &str, catalog: &crate::i18n::Catalog, ja: bool) -> String {
        match self.custom.iter().find(|c| c.key == key) {
            Some(c) if ja => c.label_ja.clone(),
            Some(c) => c.label_en.clone(),
            None => catalog.get(&format!("concern.theme.{key}")).to_string(),
        }
    }
}

pub async fn list(store: &Store, tenant: domain::TenantId) -> Result<ThemeList, Error> {
    Ok(ThemeList {
        custom: store.custom_concern_themes(tenant).await?,
    })
}

/// Adds a theme of the company's own (HR).
pub async fn add(
    store: &Store,
    caller: &Caller,
    label_ja: &str,
    label_en: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<CustomTheme, ThemeProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageSurveys { tenant })
        .map_err(|_| Error::Forbidden)?;
    let custom = store.custom_concern_themes(tenant).await?;
    let mut existing: Vec<String> = custom
        .iter()
        .flat_map(|c| [c.label_ja.clone(), c.label_en.clone()])
        .collect();
    for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
        for k in BUILTIN {
            existing.push(
                lang.catalog()
                    .get(&format!("concern.theme.{k}"))
                    .to_string(),
            );
        }
    }
    let theme = match concern::new_custom(label_ja, label_en, &custom, &existing) {
        Ok(t) => t,
        Err(p) => return Ok(Err(p)),
    };
    store.add_concern_theme(tenant, &theme, now).await?;
    Ok(Ok(theme))
}

/// Whether the caller tags themes on this dialogue: its facilitator, for a career
/// interview or a consultation.
pub async fn may_tag(store: &Store, caller: &Caller, dialogue: i64) -> Result<bool, Error> {
    let (d, role) = crate::dialogues::open(store, &caller.actor, dialogue).await?;
    Ok(role == DialogueRole::Facilitator && d.kind.is_consultant_session())
}

/// The themes tagged on a dialogue, for its facilitator (empty for anyone else).
pub async fn of_dialogue(
    store: &Store,
    caller: &Caller,
    dialogue: i64,
) -> Result<Vec<String>, Error> {
    if !may_tag(store, caller, dialogue).await? {
        return Ok(Vec::new());
    }
    Ok(store
        .dialogue_concerns(caller.actor.tenant_id, dialogue)
        .await?)
}

/// Replaces the themes tagged on a dialogue (its facilitator only); returns those kept.
pub async fn tag<'a>(
    store: &Store,
    caller: &Caller,
    dialogue: i64,
    ticked: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, Error> {
    if !may_tag(store, caller, dialogue).await? {
        return Err(Error::Forbidden);
    }
    let tenant = caller.actor.tenant_id;
    let custom = store.custom_concern_themes(tenant).await?;
    let themes = concern::parse_tags(ticked, &custom);
    store
        .set_dialogue_concerns(tenant, dialogue, &themes)
        .await?;
    Ok(themes)
}

/// One row of the theme report: people consulted, and per theme how many raised it
/// (None when hidden).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThemeRow {
    pub label: RowLabel,
    pub consulted: Option<u64>,
    pub themes: Vec<Option<u64>>,
    pub has_children: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThemeReport {
    pub fiscal_year: i32,
    pub k: u32,
    pub by: By,
    /// Theme keys, in the columns' order.
    pub themes: Vec<String>,
    pub total: ThemeRow,
    pub rows: Vec<ThemeRow>,
    /// Which sub-units `rows` are (by unit).
    pub paged: crate::org_report::Paged,
    pub path: Vec<(i64, String)>,
    pub whole_company: bool,
    /// When the year's themes were counted (the current year's are counted again every
    /// few minutes).
    pub as_of: chrono::DateTime<chrono::Utc>,
}

/// Counts fiscal year `fy`'s theme report now, over the organisation as it stands, and
/// stores it: one cube of the people consulted, one per theme (a cell where everyone
/// consulted raised the theme kept unknown), decided off the async threads.
pub async fn count(
    store: &Store,
    tenant: domain::TenantId,
    fy: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<store::org_reports::ReportCounted, Error> {
    let settings = store.tenant(tenant).await?.settings;
    let k = settings.anonymity_k;
    let cal = settings.calendar;
    let range = cal.range(domain::calendar::FiscalYear(fy));
    let from = domain::japan_time::start_of_japan_day(*range.start());
    let until = domain::japan_time::start_of_japan_day(*range.end()) + chrono::Duration::days(1);
    // Independent reads, side by side.
    let (tree, people, consulted, keys, concerns) = tokio::try_join!(
        Tree::load(store, tenant),
        async { Ok::<_, Error>(store.people_places(tenant).await?) },
        async { Ok::<_, Error>(store.consulted_between(tenant, from, until).await?) },
        async { Ok::<_, Error>(list(store, tenant).await?.keys()) },
        async { Ok::<_, Error>(store.concerns_between(tenant, from, until).await?) },
    )?;
    let year_start = *range.start();
    let columns = keys.clone();
    let (grades, units) = tokio::task::spawn_blocking(move || {
        // Where each person stands: unit today, age band at the year's start, grade.
        let mut grades: Vec<String> = Vec::new();
        let mut place: HashMap<i64, (usize, usize, String)> = HashMap::new();
        for (p, department, birth, grade) in people {
            let band = birth
                .map(|b| age_band(cal.age_on(b, year_start).max(0) as u32))
                .unwrap_or(AGE_BANDS.len());
            let grade = grade.trim().to_string();
            grades.push(grade.clone());
            place.insert(p.0, (tree.unit(department), band, grade));
        }
        grades.sort();
        grades.dedup();
        let grade_of: HashMap<&str, usize> = grades
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        let placed = |p: i64| {
            place
                .get(&p)
                .map(|(u, a, g)| (*u, *a, grade_of.get(g.as_str()).copied().unwrap_or(0)))
        };
        let (na, nb) = (AGE_BANDS.len() + 1, grades.len().max(1));
        let k = u64::from(k);
        let consulted: HashSet<i64> = consulted.into_iter().collect();
        let mut base = Cube::new(
            tree.parent().to_vec(),
            na,
            nb,
            consulted.iter().filter_map(|p| placed(*p)),
        );
        base.decide(k);
        let mut raised: HashMap<&str, HashSet<i64>> = HashMap::new();
        for (p, theme) in &concerns {
            if let Some(key) = keys.iter().find(|k| *k == theme) {
                raised.entry(key.as_str()).or_default().insert(*p);
            }
        }
        let mut rows = Rows::new(&tree, na, grades.len(), &base);
        let cubes = keys
            .iter()
            .map(|key| {
                let people = raised.get(key.as_str());
                Cube::new(
                    tree.parent().to_vec(),
                    na,
                    nb,
                    people
                        .into_iter()
                        .flatten()
                        .filter(|p| consulted.contains(p))
                        .filter_map(|p| placed(*p)),
                )
            })
            .collect();
        let decided = side_by_side(cubes, |cube| {
            let probe = cube.clone();
            cube.decide_also(k, |u, a, b| {
                let n = probe.count(u, a, b);
                n > 0 && n == base.count(u, a, b)
            });
        });
        for cube in decided {
            rows.column(|u, a, b, _| {
                cube.shown(u, a, b).then(|| {
                    let n = cube.count(u, a, b);
                    (n as f64, n)
                })
            });
        }
        (grades, rows.units())
    })
    .await
    .map_err(|e| Error::Store(store::StoreError::Integrity(e.to_string())))?;
    let counted = store::org_reports::ReportCounted {
        k,
        grades,
        columns,
        counted_at: chrono::SubsecRound::trunc_subsecs(now, 6),
    };
    report_store::save(
        store,
        tenant,
        &report_store::themes_key(fy),
        counted,
        &units,
    )
    .await
}

fn theme_row(label: RowLabel, stored: &StoredRow, columns: usize, has_children: bool) -> ThemeRow {
    let StoredRow(consulted, cells) = stored;
    ThemeRow {
        label,
        consulted: *consulted,
        themes: (0..columns)
            .map(|i| {
                cells
                    .get(i)
                    .copied()
                    .flatten()
                    .filter(|_| consulted.is_some())
                    .map(|(_, n)| n)
            })
            .collect(),
        has_children,
    }
}

/// The themes raised in fiscal year `fy`, for `unit`, broken down `by`, read from the
/// year's report as last counted (the current year's every few minutes, a past year's
/// daily, with its KPIs); counted here when it never was, or with another k or another
/// list of themes.
pub async fn report(
    store: &Store,
    caller: &Caller,
    fy: i32,
    unit: Option<i64>,
    (by, listing): (By, Listing),
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<ThemeReport, ReportUnavailable>, Error> {
    let tenant = caller.actor.tenant_id;
    let scope = match scope(store, caller).await? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    if !(1900..=2200).contains(&fy) {
        return Err(Error::NotFound("fiscal year"));
    }
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let keys = list(store, tenant).await?.keys();
    let key = report_store::themes_key(fy);
    let count = {
        let store = store.clone();
        async move { count(&store, tenant, fy, now).await }
    };
    let Some(counted) =
        report_store::counted(store, tenant, key.clone(), k, |c| c.columns == keys, count).await?
    else {
        return Ok(Err(ReportUnavailable::Counting));
    };
    let Some((at, path)) = report_store::locate(store, tenant, &key, scope.own, unit).await? else {
        return Ok(Err(ReportUnavailable::NoUnit));
    };
    let n = counted.columns.len();
    let total = theme_row(
        report_store::unit_label(&at),
        &at.cells.total,
        n,
        at.has_children,
    );
    let (rows, paged) =
        report_store::breakdown(store, tenant, (&key, &at), (by, listing), &counted.grades).await?;
    let rows = rows
        .iter()
        .map(|(label, r, below)| theme_row(label.clone(), r, n, *below))
        .collect();
    Ok(Ok(ThemeReport {
        fiscal_year: fy,
        k: counted.k,
        by,
        themes: counted.columns,
        total,
        rows,
        paged,
        path,
        whole_company: scope.whole_company,
        as_of: counted.counted_at,
    }))
}
