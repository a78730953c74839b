//! アンケートと組織レポート: HR opens a survey for a fiscal year and a population; the
//! people asked answer once on マイキャリア; once it closes, the organisation report
//! shows scores and indicator shares by unit, age band and grade — every cell decided by
//! `domain::anonymity` over one cube per measure, so every view (pages, API, exports)
//! shows the same cells and nothing below k can be worked out.
//!
//! Reports open only after a survey closes: while answers still arrive, a figure that
//! moves when one person answers would tell that person's answer.

use crate::report_store::{self, unit_label};
use crate::{Caller, Error};
use chrono::NaiveDate;
use domain::policy::{self, Action};
use domain::survey::{self, Kind, Measure, Population};
use domain::{Role, TenantId};
use store::Store;
use store::org_reports::StoredRow;
use store::surveys::{AnswerPlace, AnswerRefused, NewSurvey, Participation, Survey};

pub use crate::org_report::{Listing, Paged, ReportUnavailable, RowLabel};
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
    /// Which sub-units `rows` are (by unit).
    pub paged: Paged,
    /// The path from the top to this unit, for going back up: (id, name).
    pub path: Vec<(i64, String)>,
    /// Whether the caller may go up to the whole company.
    pub whole_company: bool,
}

impl Row {
    /// A stored row as the report shows it: hidden rows and cells carry nothing.
    fn of(label: RowLabel, stored: &StoredRow, measures: usize, has_children: bool) -> Row {
        let StoredRow(respondents, cells) = stored;
        Row {
            label,
            respondents: *respondents,
            cells: (0..measures)
                .map(|i| match cells.get(i).copied().flatten() {
                    Some((value, n)) if respondents.is_some() => Cell {
                        value: Some(value),
                        respondents: Some(n),
                    },
                    _ => Cell {
                        value: None,
                        respondents: None,
                    },
                })
                .collect(),
            has_children,
        }
    }
}

/// The organisation report of survey `id` for `unit` (a department id; the whole company
/// when None — HR only; a manager's report starts at their own department), broken
/// down `by`, read from the report as counted when the survey closed (the organisation as
/// it stood then). Not found for anyone the policy refuses.
pub async fn report(
    store: &Store,
    caller: &Caller,
    id: i64,
    unit: Option<i64>,
    (by, listing): (By, Listing),
    now: chrono::DateTime<chrono::Utc>,
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
    if survey.is_open(domain::japan_time::japan_date(now)) {
        return Ok(Err(ReportUnavailable::StillOpen));
    }
    let k = store.tenant(tenant).await?.settings.anonymity_k;
    let key = report_store::survey_key(id);
    let count = {
        let (store, survey) = (store.clone(), survey.clone());
        async move { report_store::count_survey(&store, tenant, &survey, now).await }
    };
    let Some(counted) =
        report_store::counted(store, tenant, key.clone(), k, |_| true, count).await?
    else {
        return Ok(Err(ReportUnavailable::Counting));
    };
    let Some((at, path)) = report_store::locate(store, tenant, &key, scope.own, unit).await? else {
        return Ok(Err(ReportUnavailable::NoUnit));
    };
    let measures = Measure::of(survey.kind);
    let n = measures.len();
    let total = Row::of(unit_label(&at), &at.cells.total, n, at.has_children);
    let (rows, paged) =
        report_store::breakdown(store, tenant, (&key, &at), (by, listing), &counted.grades).await?;
    let rows = rows
        .iter()
        .map(|(label, r, below)| Row::of(label.clone(), r, n, *below))
        .collect();
    Ok(Ok(OrgReport {
        survey_id: survey.id,
        kind: survey.kind,
        title: survey.title.clone(),
        fiscal_year: survey.fiscal_year,
        k: counted.k,
        by,
        measures,
        total,
        rows,
        paged,
        path,
        whole_company: scope.whole_company,
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
    // The list without participation: counting who answered is not needed here.
    Ok(store
        .survey_list(tenant)
        .await?
        .into_iter()
        .filter(|s| !s.is_open(today))
        .collect())
}
