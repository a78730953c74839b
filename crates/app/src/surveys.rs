//! アンケートと組織レポート: HR opens a survey for a fiscal year and a population; the
//! people asked answer once on マイキャリア; once it closes, the organisation report
//! shows scores and indicator shares by unit, age band and grade — every cell decided by
//! `domain::anonymity` over one cube per measure, so every view (pages, API, exports)
//! shows the same cells and nothing below k can be worked out.
//!
//! Reports open only after a survey closes: while answers still arrive, a figure that
//! moves when one person answers would tell that person's answer.

use crate::{Caller, Error};
use chrono::NaiveDate;
use domain::anonymity::Cube;
use domain::policy::{self, Action};
use domain::survey::{self, AGE_BANDS, Kind, Measure, Population, Tally};
use domain::{Role, TenantId};
use std::collections::{BTreeMap, HashMap};
use store::Store;
use store::surveys::{AnswerPlace, AnswerRefused, NewSurvey, Participation, Survey};

pub use crate::org_report::{ReportUnavailable, RowLabel};
pub(crate) use crate::org_report::{Tree, scope};

/// Longest a survey may stay open.
pub const MAX_OPEN_DAYS: i64 = 92;
/// At most this many characters in a survey's title.
pub const MAX_TITLE_CHARS: usize = 100;

/// What is wrong with a survey to open (keys under `surveys.error.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenRefused {
    Title,
    /// The last day is not between today and `MAX_OPEN_DAYS` ahead.
    ClosesOn,
    Department,
    Programme,
    /// The population holds nobody.
    Nobody,
    Questionnaire(survey::QuestionnaireError),
}

impl OpenRefused {
    pub fn key(&self) -> &'static str {
        match self {
            OpenRefused::Title => "title",
            OpenRefused::ClosesOn => "closes_on",
            OpenRefused::Department => "department",
            OpenRefused::Programme => "programme",
            OpenRefused::Nobody => "nobody",
            OpenRefused::Questionnaire(e) => e.key(),
        }
    }
}

/// The form HR fills to open a survey.
pub struct OpenForm<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub fiscal_year: i32,
    pub population: Population,
    pub closes_on: NaiveDate,
}

fn manage(caller: &Caller) -> Result<TenantId, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageSurveys { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(tenant)
}

/// Opens a survey with the tenant's questionnaire of its kind, asking everyone in the
/// population today.
pub async fn open(
    store: &Store,
    caller: &Caller,
    form: &OpenForm<'_>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<i64, OpenRefused>, Error> {
    let tenant = manage(caller)?;
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Ok(Err(OpenRefused::Title));
    }
    if form.closes_on < today || (form.closes_on - today).num_days() > MAX_OPEN_DAYS {
        return Ok(Err(OpenRefused::ClosesOn));
    }
    match &form.population {
        Population::Programme { id } if store.programme(tenant, *id).await?.is_none() => {
            return Ok(Err(OpenRefused::Programme));
        }
        _ => {}
    }
    let questionnaire = store.survey_questionnaire(tenant, form.kind).await?;
    if let Err(e) = questionnaire.check() {
        return Ok(Err(OpenRefused::Questionnaire(e)));
    }
    let targets = match store.population_people(tenant, &form.population).await {
        Ok(t) => t,
        Err(store::StoreError::NotFound) => return Ok(Err(OpenRefused::Department)),
        Err(e) => return Err(e.into()),
    };
    if targets.is_empty() {
        return Ok(Err(OpenRefused::Nobody));
    }
    let id = store
        .open_survey(
            tenant,
            &NewSurvey {
                kind: form.kind,
                title,
                fiscal_year: form.fiscal_year,
                population: &form.population,
                questionnaire: &questionnaire,
                closes_on: form.closes_on,
                opened_by: caller.actor.user_id,
            },
            &targets,
            now,
        )
        .await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(
                Some(tenant),
                domain::audit::AuditAction::SurveyOpened,
            )
            .target("survey", id)
            .detail(format!("kind={} asked={}", form.kind.key(), targets.len())),
        )
        .await?;
    Ok(Ok(id))
}

/// Saves the company's questionnaire of its kind (HR), after `Questionnaire::check`.
/// Surveys already opened keep their own questions.
pub async fn save_questionnaire(
    store: &Store,
    caller: &Caller,
    q: &domain::survey::Questionnaire,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<(), survey::QuestionnaireError>, Error> {
    let tenant = manage(caller)?;
    if let Err(e) = q.check() {
        return Ok(Err(e));
    }
    store.set_survey_questionnaire(tenant, q, now).await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(
                Some(tenant),
                domain::audit::AuditAction::SurveyQuestionsChanged,
            )
            .target("questionnaire", q.kind.key())
            .detail(format!("questions={}", q.questions.len())),
        )
        .await?;
    Ok(Ok(()))
}

/// HR's list: every survey with its participation.
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<(Survey, Participation)>, Error> {
    let tenant = manage(caller)?;
    Ok(store.surveys(tenant).await?)
}

/// One survey for HR, with its participation.
pub async fn one(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> Result<(Survey, Participation), Error> {
    let tenant = manage(caller)?;
    store
        .surveys(tenant)
        .await?
        .into_iter()
        .find(|(s, _)| s.id == id)
        .ok_or(Error::NotFound("survey"))
}

/// Closes a survey now; its report opens.
pub async fn close(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, Error> {
    let tenant = manage(caller)?;
    store
        .survey(tenant, id)
        .await?
        .ok_or(Error::NotFound("survey"))?;
    let closed = store.close_survey(tenant, id, now).await?;
    if closed {
        caller
            .audit(
                store,
                store::audit::NewAuditEntry::new(
                    Some(tenant),
                    domain::audit::AuditAction::SurveyClosed,
                )
                .target("survey", id),
            )
            .await?;
    }
    Ok(closed)
}

/// The surveys the caller was asked in, newest first, with whether they answered.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<(Survey, bool)>, Error> {
    let Some(me) = caller.actor.person_id else {
        return Ok(Vec::new());
    };
    Ok(store.surveys_of_person(caller.actor.tenant_id, me).await?)
}

/// A survey the caller was asked in, and whether they answered; not found for anyone
/// else (a survey one was not asked in does not exist for them).
pub async fn to_answer(store: &Store, caller: &Caller, id: i64) -> Result<(Survey, bool), Error> {
    let tenant = caller.actor.tenant_id;
    let not_found = Error::NotFound("survey");
    let me = caller.actor.person_id.ok_or(Error::NotFound("survey"))?;
    let asked = store.survey_target(tenant, id, me).await?;
    policy::authorize(
        &caller.actor,
        Action::AnswerSurvey {
            tenant,
            asked: asked.is_some(),
        },
    )
    .map_err(|_| Error::NotFound("survey"))?;
    let survey = store.survey(tenant, id).await?.ok_or(not_found)?;
    Ok((survey, asked == Some(true)))
}

/// Why an answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// These questions are unanswered or out of range; nothing was stored.
    Missing(Vec<String>),
    Refused(AnswerRefused),
}

/// Takes the caller's answer. `value_of(key)` reads the answer to question `key`.
pub async fn answer<'a>(
    store: &Store,
    caller: &Caller,
    id: i64,
    value_of: impl Fn(&str) -> Option<&'a str>,
    today: NaiveDate,
) -> Result<Result<(), AnswerProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    let (survey, answered) = to_answer(store, caller, id).await?;
    let me = caller.actor.person_id.ok_or(Error::NotFound("survey"))?;
    if !survey.is_open(today) {
        return Ok(Err(AnswerProblem::Refused(AnswerRefused::Closed)));
    }
    if answered {
        return Ok(Err(AnswerProblem::Refused(AnswerRefused::AlreadyAnswered)));
    }
    let answers = match survey.questionnaire.parse_answers(value_of) {
        Ok(a) => a,
        Err(missing) => return Ok(Err(AnswerProblem::Missing(missing))),
    };
    let person = store
        .person(tenant, me)
        .await?
        .ok_or(Error::NotFound("person"))?;
    let calendar = store.tenant(tenant).await?.settings.calendar;
    let opened = domain::japan_time::japan_date(survey.opened_at);
    let age_band = person
        .birth_date
        .map(|b| survey::age_band(calendar.age_on(b, opened).max(0) as u32) as i64)
        .unwrap_or(-1);
    let place = AnswerPlace {
        department_id: person.department_id,
        age_band,
        grade: person.grade.trim().to_string(),
    };
    Ok(store
        .answer_survey(tenant, &survey, me, today, &place, &answers)
        .await?
        .map_err(AnswerProblem::Refused))
}

/// Whom a reminder goes to: the accounts of people asked who have not answered. Returns
/// the round's number and (user, e-mail, name) for each.
pub async fn reminder_round(
    store: &Store,
    caller: &Caller,
    id: i64,
    today: NaiveDate,
) -> Result<Option<(i64, Vec<(domain::UserId, String, String)>)>, Error> {
    let tenant = manage(caller)?;
    let survey = store
        .survey(tenant, id)
        .await?
        .ok_or(Error::NotFound("survey"))?;
    if !survey.is_open(today) {
        return Ok(None);
    }
    let to = store.unanswered_accounts(tenant, id).await?;
    let round = store.count_survey_reminder(tenant, id).await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(
                Some(tenant),
                domain::audit::AuditAction::SurveyReminded,
            )
            .target("survey", id)
            .detail(format!("round={round} to={}", to.len())),
        )
        .await?;
    Ok(Some((round, to)))
}

/// How a report breaks its unit down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Unit,
    Age,
    Grade,
}

impl By {
    pub const ALL: [By; 3] = [By::Unit, By::Age, By::Grade];

    pub fn key(self) -> &'static str {
        match self {
            By::Unit => "unit",
            By::Age => "age",
            By::Grade => "grade",
        }
    }

    pub fn parse(s: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.key() == s)
    }
}

/// One measure in one row: the respondents it covers and its value, or nothing when the
/// anonymity rule hides it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Cell {
    /// Mean score (1–5) of a support or scheme, share (0–1) agreeing for an indicator.
    pub value: Option<f64>,
    pub respondents: Option<u64>,
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    pub label: RowLabel,
    /// Respondents in the row; None when hidden.
    pub respondents: Option<u64>,
    pub cells: Vec<Cell>,
    /// A unit with units below it (the report can go down into it).
    pub has_children: bool,
}

/// The organisation report of one survey, for one unit, broken down one way.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgReport {
    pub survey_id: i64,
    pub kind: Kind,
    pub title: String,
    pub fiscal_year: i32,
    pub k: u32,
    pub by: By,
    pub measures: Vec<Measure>,
    /// The unit the report is about (the whole company when none) and its total.
    pub total: Row,
    pub rows: Vec<Row>,
    /// The path from the top to this unit, for going back up: (id, name).
    pub path: Vec<(i64, String)>,
    /// Whether the caller may go up to the whole company.
    pub whole_company: bool,
}

/// Each cell's tallies: (unit, age band or all, grade or all).
type Tallies = HashMap<(usize, Option<usize>, Option<usize>), Tally>;

/// The cells of a survey's answers: one cube per measure, decided once.
struct Cubes {
    tree: Tree,
    grades: Vec<String>,
    /// Per measure: the cube and the tallies of every shown-able cell.
    per: Vec<(Measure, Cube, Tallies)>,
    respondents: Cube,
}

/// Age band index in the cube (`AGE_BANDS`, then one for unknown).
fn age_index(band: i64) -> usize {
    usize::try_from(band)
        .ok()
        .filter(|b| *b < AGE_BANDS.len())
        .unwrap_or(AGE_BANDS.len())
}

async fn cubes(store: &Store, tenant: TenantId, survey: &Survey, k: u32) -> Result<Cubes, Error> {
    let tree = Tree::load(store, tenant).await?;
    let parent = tree.parent().to_vec();
    let answers = store.survey_answers(tenant, survey.id).await?;
    let mut grades: Vec<String> = answers.iter().map(|a| a.place.grade.clone()).collect();
    grades.sort();
    grades.dedup();
    let grade_of: HashMap<&str, usize> = grades
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
    let scores: Vec<BTreeMap<Measure, Tally>> = answers
        .iter()
        .map(|a| survey::score(&survey.questionnaire, &a.answers))
        .collect();
    let (na, nb) = (AGE_BANDS.len() + 1, grades.len().max(1));
    let k = u64::from(k);
    let mut respondents = Cube::new(parent.clone(), na, nb, placed.iter().copied());
    respondents.decide(k);
    let mut per = Vec::new();
    for m in Measure::of(survey.kind) {
        let members: Vec<(usize, usize, usize)> = placed
            .iter()
            .zip(&scores)
            .filter(|(_, s)| s.contains_key(&m))
            .map(|(p, _)| *p)
            .collect();
        let mut cube = Cube::new(parent.clone(), na, nb, members);
        cube.decide(k);
        let mut tallies: Tallies = HashMap::new();
        for ((u, a, b), s) in placed.iter().zip(&scores) {
            let Some(t) = s.get(&m) else { continue };
            let mut at = Some(*u);
            while let Some(x) = at {
                for key in [(x, None, None), (x, Some(*a), None), (x, None, Some(*b))] {
                    tallies.entry(key).or_default().add(t);
                }
                at = parent[x];
            }
        }
        per.push((m, cube, tallies));
    }
    Ok(Cubes {
        tree,
        grades,
        per,
        respondents,
    })
}

/// Which units (in [`Tree`] order) the report of `survey` shows a 5-supports score for:
/// its respondents and every support's cell shown, decided exactly as the report decides
/// them — so a dashboard that shows no more than this adds nothing to what the report
/// already lets anyone work out.
pub(crate) async fn supports_shown(
    store: &Store,
    tenant: TenantId,
    survey: &Survey,
    k: u32,
) -> Result<Vec<bool>, Error> {
    let c = cubes(store, tenant, survey, k).await?;
    Ok((0..c.tree.len())
        .map(|u| {
            c.respondents.shown(u, None, None)
                && c.per
                    .iter()
                    .filter(|(m, _, _)| matches!(m, Measure::Support(_)))
                    .all(|(_, cube, _)| cube.shown(u, None, None))
        })
        .collect())
}

impl Cubes {
    fn row(&self, label: RowLabel, u: usize, a: Option<usize>, b: Option<usize>) -> Row {
        let respondents = self
            .respondents
            .shown(u, a, b)
            .then(|| self.respondents.count(u, a, b));
        let cells = self
            .per
            .iter()
            .map(|(m, cube, tallies)| {
                if respondents.is_none() || !cube.shown(u, a, b) || cube.count(u, a, b) == 0 {
                    return Cell {
                        value: None,
                        respondents: None,
                    };
                }
                let t = tallies.get(&(u, a, b)).copied().unwrap_or_default();
                Cell {
                    value: match m {
                        Measure::Indicator(_) => t.share(),
                        _ => t.mean(),
                    },
                    respondents: Some(t.answered),
                }
            })
            .collect();
        Row {
            label,
            respondents,
            cells,
            has_children: a.is_none() && b.is_none() && self.tree.has_children(u),
        }
    }
}

/// The organisation report of survey `id` for `unit` (a department id; the whole company
/// when None — HR only; a manager's report starts at their own department), broken
/// down `by`. Not found for anyone the policy refuses.
pub async fn report(
    store: &Store,
    caller: &Caller,
    id: i64,
    unit: Option<i64>,
    by: By,
    today: NaiveDate,
) -> Result<Result<OrgReport, ReportUnavailable>, Error> {
    let tenant = caller.actor.tenant_id;
    let scope = match scope(store, caller).await? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let survey = store
        .survey(tenant, id)
        .await?
        .ok_or(Error::NotFound("survey"))?;
    if survey.is_open(today) {
        return Ok(Err(ReportUnavailable::StillOpen));
    }
    let settings = store.tenant(tenant).await?.settings;
    let cubes = cubes(store, tenant, &survey, settings.anonymity_k).await?;
    let (at, path) = cubes.tree.locate(&scope, unit)?;
    let hr = scope.whole_company;
    let total = cubes.row(cubes.tree.label_of(at), at, None, None);
    let rows = match by {
        By::Unit => cubes
            .tree
            .children(at)
            .map(|c| cubes.row(cubes.tree.label_of(c), c, None, None))
            .collect(),
        By::Age => (0..=AGE_BANDS.len())
            .map(|a| {
                let band = AGE_BANDS.get(a).copied().unwrap_or("unknown").to_string();
                cubes.row(RowLabel::Age { band }, at, Some(a), None)
            })
            .collect(),
        By::Grade => cubes
            .grades
            .iter()
            .enumerate()
            .map(|(b, g)| cubes.row(RowLabel::Grade { grade: g.clone() }, at, None, Some(b)))
            .collect(),
    };
    let mut rows: Vec<Row> = rows;
    // Units are listed by name; empty bands are left out.
    rows.retain(|r| by == By::Unit || r.respondents != Some(0));
    if by == By::Unit {
        rows.sort_by(|a, b| match (&a.label, &b.label) {
            (RowLabel::Unit { code: x, .. }, RowLabel::Unit { code: y, .. }) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Ok(Ok(OrgReport {
        survey_id: survey.id,
        kind: survey.kind,
        title: survey.title.clone(),
        fiscal_year: survey.fiscal_year,
        k: settings.anonymity_k,
        by,
        measures: cubes.per.iter().map(|(m, _, _)| *m).collect(),
        total,
        rows,
        path,
        whole_company: hr,
    }))
}

/// Whether the caller reads reports as HR (the whole company).
pub fn reads_whole_company(caller: &Caller) -> bool {
    caller.actor.has(Role::Hr)
}

/// Surveys whose reports the caller may open: closed ones.
pub async fn reportable(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<Survey>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(
        &caller.actor,
        Action::ReadOrgReport {
            tenant,
            whole_company: false,
        },
    )
    .map_err(|_| Error::Forbidden)?;
    Ok(store
        .surveys(tenant)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| !s.is_open(today))
        .collect())
}
