//! 相談テーマ: the facilitator of a career interview or consultation tags the themes the
//! person raised; the company may add themes of its own; the organisation report counts,
//! per fiscal year, the people who raised each theme by unit, age band or grade — through
//! `domain::anonymity`, with one more rule: a cell where everyone consulted raised the
//! theme stays hidden (it would tell that each of them did). Only tags travel.

use crate::surveys::{By, ReportUnavailable, RowLabel, Tree, scope};
use crate::{Caller, Error};
use domain::anonymity::Cube;
use domain::concern::{self, BUILTIN, CustomTheme, ThemeProblem};
use domain::policy::{self, Action, DialogueRole};
use domain::survey::{AGE_BANDS, age_band};
use std::collections::{HashMap, HashSet};
use store::Store;

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
    pub path: Vec<(i64, String)>,
    pub whole_company: bool,
}

/// The themes raised in fiscal year `fy`, for `unit`, broken down `by`.
pub async fn report(
    store: &Store,
    caller: &Caller,
    fy: i32,
    unit: Option<i64>,
    by: By,
) -> Result<Result<ThemeReport, ReportUnavailable>, Error> {
    let tenant = caller.actor.tenant_id;
    let scope = match scope(store, caller).await? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    if !(1900..=2200).contains(&fy) {
        return Err(Error::NotFound("fiscal year"));
    }
    let settings = store.tenant(tenant).await?.settings;
    let k = u64::from(settings.anonymity_k);
    let cal = settings.calendar;
    let range = cal.range(domain::calendar::FiscalYear(fy));
    let from = domain::japan_time::start_of_japan_day(*range.start());
    let until = domain::japan_time::start_of_japan_day(*range.end()) + chrono::Duration::days(1);
    let tree = Tree::load(store, tenant).await?;
    let (at, path) = tree.locate(&scope, unit)?;
    // Where each person stands: unit today, age band at the year's start, grade.
    let mut grades: Vec<String> = Vec::new();
    let mut place: HashMap<i64, (usize, usize, String)> = HashMap::new();
    for (p, department, birth, grade) in store.people_places(tenant).await? {
        let band = birth
            .map(|b| age_band(cal.age_on(b, *range.start()).max(0) as u32))
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
    let consulted: HashSet<i64> = store
        .consulted_between(tenant, from, until)
        .await?
        .into_iter()
        .collect();
    let mut base = Cube::new(
        tree.parent().to_vec(),
        na,
        nb,
        consulted.iter().filter_map(|p| placed(*p)),
    );
    base.decide(k);
    let list = list(store, tenant).await?;
    let keys = list.keys();
    let mut raised: HashMap<&str, HashSet<i64>> = HashMap::new();
    for (p, theme) in store.concerns_between(tenant, from, until).await? {
        if let Some(key) = keys.iter().find(|k| **k == theme) {
            raised.entry(key.as_str()).or_default().insert(p);
        }
    }
    let mut cubes = Vec::new();
    for key in &keys {
        let people = raised.get(key.as_str());
        let mut cube = Cube::new(
            tree.parent().to_vec(),
            na,
            nb,
            people
                .into_iter()
                .flatten()
                .filter(|p| consulted.contains(p))
                .filter_map(|p| placed(*p)),
        );
        let probe = cube.clone();
        cube.decide_also(k, |u, a, b| {
            let n = probe.count(u, a, b);
            n > 0 && n == base.count(u, a, b)
        });
        cubes.push(cube);
    }
    let row = |label: RowLabel, u: usize, a: Option<usize>, b: Option<usize>| {
        let consulted = base.shown(u, a, b).then(|| base.count(u, a, b));
        ThemeRow {
            label,
            themes: cubes
                .iter()
                .map(|c| (consulted.is_some() && c.shown(u, a, b)).then(|| c.count(u, a, b)))
                .collect(),
            consulted,
            has_children: a.is_none() && b.is_none() && tree.has_children(u),
        }
    };
    let total = row(tree.label_of(at), at, None, None);
    let mut rows: Vec<ThemeRow> = match by {
        By::Unit => tree
            .children(at)
            .map(|c| row(tree.label_of(c), c, None, None))
            .collect(),
        By::Age => (0..na)
            .map(|a| {
                let band = AGE_BANDS.get(a).copied().unwrap_or("unknown").to_string();
                row(RowLabel::Age { band }, at, Some(a), None)
            })
            .collect(),
        By::Grade => grades
            .iter()
            .enumerate()
            .map(|(b, g)| row(RowLabel::Grade { grade: g.clone() }, at, None, Some(b)))
            .collect(),
    };
    rows.retain(|r| by == By::Unit || r.consulted != Some(0));
    if by == By::Unit {
        rows.sort_by(|a, b| match (&a.label, &b.label) {
            (RowLabel::Unit { code: x, .. }, RowLabel::Unit { code: y, .. }) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Ok(Ok(ThemeReport {
        fiscal_year: fy,
        k: settings.anonymity_k,
        by,
        themes: keys,
        total,
        rows,
        path,
        whole_company: scope.whole_company,
    }))
}
