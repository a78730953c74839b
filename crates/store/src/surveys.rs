//! アンケート storage. Two halves that nothing joins: `survey_targets` holds who was
//! asked and whether they answered (for reminders and participation), `survey_answers`
//! holds the answers with a random id, the unit, the age band and the grade a report
//! needs — no person, no time, no order (on SQLite the table has no row id counting up).
//! The answer and the "answered" mark are written in one transaction, so an answer is
//! never lost and never counted twice.

use crate::db::Cell;
use crate::schema::{
    People, ProgrammeParticipants, SurveyAnswers, SurveyQuestionnaires, SurveyTargets, Surveys,
    Users,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::survey::{Answers, Kind, Population, Questionnaire};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

/// A survey as HR and the respondents see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Survey {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    pub fiscal_year: i32,
    pub population: Population,
    pub questionnaire: Questionnaire,
    pub opened_at: DateTime<Utc>,
    pub closes_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
    pub reminders: i64,
}

impl Survey {
    /// Open for answers on `today` (Japan date): not closed by HR, not past its last day.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.closed_at.is_none() && today <= self.closes_on
    }
}

/// How many were asked and how many answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Participation {
    pub asked: i64,
    pub answered: i64,
}

/// A survey to open.
pub struct NewSurvey<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub fiscal_year: i32,
    pub population: &'a Population,
    pub questionnaire: &'a Questionnaire,
    pub closes_on: NaiveDate,
    pub opened_by: UserId,
}

/// What an answer carries besides the scores: the reporting unit and bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerPlace {
    pub department_id: Option<i64>,
    pub age_band: i64,
    pub grade: String,
}

/// One stored answer, as reports read it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub place: AnswerPlace,
    pub answers: Answers,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRefused {
    /// Closed by HR or past its last day.
    Closed,
    /// Already answered: the first answer stays.
    AlreadyAnswered,
    /// Not among the people asked.
    NotAsked,
}

type SurveyRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    DateTime<Utc>,
    NaiveDate,
    Option<DateTime<Utc>>,
    i64,
);

fn survey_columns() -> [Surveys; 10] {
    [
        Surveys::Id,
        Surveys::Kind,
        Surveys::Title,
        Surveys::FiscalYear,
        Surveys::Population,
        Surveys::Questionnaire,
        Surveys::OpenedAt,
        Surveys::ClosesOn,
        Surveys::ClosedAt,
        Surveys::Reminders,
    ]
}

fn survey_of(r: SurveyRow) -> Result<Survey> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        StoreError::Integrity(format!("survey {}: {what}: {e}", r.0))
    };
    Ok(Survey {
        id: r.0,
        kind: Kind::parse(&r.1).ok_or_else(|| bad("kind", &r.1))?,
        title: r.2,
        fiscal_year: r.3 as i32,
        population: serde_json::from_str(&r.4).map_err(|e| bad("population", &e))?,
        questionnaire: serde_json::from_str(&r.5).map_err(|e| bad("questionnaire", &e))?,
        opened_at: r.6,
        closes_on: r.7,
        closed_at: r.8,
        reminders: r.9,
    })
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Integrity(format!("survey json: {e}")))
}

const ANSWER_COLUMNS: [SurveyAnswers; 7] = [
    SurveyAnswers::Id,
    SurveyAnswers::TenantId,
    SurveyAnswers::SurveyId,
    SurveyAnswers::DepartmentId,
    SurveyAnswers::AgeBand,
    SurveyAnswers::Grade,
    SurveyAnswers::Answers,
];

/// An answer's row, with a random positive id: the answers' order says nothing about who
/// answered when.
fn answer_row(
    tenant: TenantId,
    survey: i64,
    place: &AnswerPlace,
    answers: &Answers,
) -> Result<[sea_query::SimpleExpr; 7]> {
    Ok([
        ((rand::random::<u64>() >> 2) as i64 + 1).into(),
        tenant.0.into(),
        survey.into(),
        place.department_id.into(),
        place.age_band.into(),
        place.grade.as_str().into(),
        json(&answers.0)?.into(),
    ])
}

impl Store {
    /// The tenant's questionnaire of `kind`, or the default one.
    pub async fn survey_questionnaire(
        &self,
        tenant: TenantId,
        kind: Kind,
    ) -> Result<Questionnaire> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(SurveyQuestionnaires::Questionnaire)
                    .from(SurveyQuestionnaires::Table)
                    .and_where(Expr::col(SurveyQuestionnaires::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyQuestionnaires::Kind).eq(kind.key()))
                    .to_owned(),
            )
            .await?;
        match row {
            None => Ok(Questionnaire::default_for(kind)),
            Some((j,)) => serde_json::from_str(&j)
                .map_err(|e| StoreError::Integrity(format!("questionnaire: {e}"))),
        }
    }

    /// Replaces the tenant's questionnaire of its kind (checked by the caller).
    pub async fn set_survey_questionnaire(
        &self,
        tenant: TenantId,
        q: &Questionnaire,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(SurveyQuestionnaires::Table)
                .columns([
                    SurveyQuestionnaires::TenantId,
                    SurveyQuestionnaires::Kind,
                    SurveyQuestionnaires::Questionnaire,
                    SurveyQuestionnaires::UpdatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    q.kind.key().into(),
                    json(q)?.into(),
                    now.into(),
                ])
                .on_conflict(
                    OnConflict::columns([
                        SurveyQuestionnaires::TenantId,
                        SurveyQuestionnaires::Kind,
                    ])
                    .update_columns([
                        SurveyQuestionnaires::Questionnaire,
                        SurveyQuestionnaires::UpdatedAt,
                    ])
                    .to_owned(),
                )
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The people a population holds today: not leavers.
    pub async fn population_people(
        &self,
        tenant: TenantId,
        population: &Population,
    ) -> Result<Vec<PersonId>> {
        let mut q = Query::select();
        q.columns([People::Id, People::DepartmentId])
            .from(People::Table)
            .and_where(Expr::col(People::TenantId).eq(tenant.0))
            .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
            .order_by(People::Id, Order::Asc);
        if let Population::Programme { id } = population {
            q.and_where(
                Expr::col(People::Id).in_subquery(
                    Query::select()
                        .column(ProgrammeParticipants::PersonId)
                        .from(ProgrammeParticipants::Table)
                        .and_where(Expr::col(ProgrammeParticipants::TenantId).eq(tenant.0))
                        .and_where(Expr::col(ProgrammeParticipants::ProgrammeId).eq(*id))
                        .to_owned(),
                ),
            );
        }
        let people: Vec<(i64, Option<i64>)> = self.fetch_all(&q).await?;
        Ok(match population {
            Population::Department { code } => {
                let inside = self.department_subtree(tenant, code).await?;
                people
                    .into_iter()
                    .filter(|(_, d)| d.is_some_and(|d| inside.contains(&d)))
                    .map(|(p, _)| PersonId(p))
                    .collect()
            }
            _ => people.into_iter().map(|(p, _)| PersonId(p)).collect(),
        })
    }

    /// Opens a survey asking `targets`.
    pub async fn open_survey(
        &self,
        tenant: TenantId,
        new: &NewSurvey<'_>,
        targets: &[PersonId],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(Surveys::Table)
                    .columns([
                        Surveys::TenantId,
                        Surveys::Kind,
                        Surveys::Title,
                        Surveys::FiscalYear,
                        Surveys::Population,
                        Surveys::Questionnaire,
                        Surveys::OpenedAt,
                        Surveys::OpenedBy,
                        Surveys::ClosesOn,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        new.kind.key().into(),
                        new.title.into(),
                        i64::from(new.fiscal_year).into(),
                        json(new.population)?.into(),
                        json(new.questionnaire)?.into(),
                        now.into(),
                        new.opened_by.0.into(),
                        new.closes_on.into(),
                    ])
                    .returning_col(Surveys::Id)
                    .to_owned(),
            )
            .await?;
        let cells: Vec<Cell> = targets
            .iter()
            .flat_map(|p| [tenant.0.into(), id.into(), p.0.into(), false.into()])
            .collect();
        tx.insert_many(
            SurveyTargets::Table,
            &[
                &SurveyTargets::TenantId,
                &SurveyTargets::SurveyId,
                &SurveyTargets::PersonId,
                &SurveyTargets::Answered,
            ],
            &cells,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every survey of the tenant, newest first (without counting who answered: with
    /// years of surveys that is millions of target rows).
    pub async fn survey_list(&self, tenant: TenantId) -> Result<Vec<Survey>> {
        self.survey_rows(tenant)
            .await?
            .into_iter()
            .map(survey_of)
            .collect()
    }

    async fn survey_rows(&self, tenant: TenantId) -> Result<Vec<SurveyRow>> {
        self.fetch_all(
            &Query::select()
                .columns(survey_columns())
                .from(Surveys::Table)
                .and_where(Expr::col(Surveys::TenantId).eq(tenant.0))
                .order_by(Surveys::Id, Order::Desc)
                .to_owned(),
        )
        .await
    }

    /// Every survey of the tenant, newest first, with its participation.
    pub async fn surveys(&self, tenant: TenantId) -> Result<Vec<(Survey, Participation)>> {
        let rows = self.survey_rows(tenant).await?;
        let counts: Vec<(i64, i64, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(SurveyTargets::SurveyId)
                    .expr(Expr::col(SurveyTargets::PersonId).count())
                    .expr(
                        Expr::case(Expr::col(SurveyTargets::Answered).eq(true), 1)
                            .finally(0)
                            .sum(),
                    )
                    .from(SurveyTargets::Table)
                    .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                    .group_by_col(SurveyTargets::SurveyId)
                    .to_owned(),
            )
            .await?;
        let of: std::collections::HashMap<i64, Participation> = counts
            .into_iter()
            .map(|(s, asked, answered)| (s, Participation { asked, answered }))
            .collect();
        rows.into_iter()
            .map(|r| {
                let id = r.0;
                Ok((survey_of(r)?, of.get(&id).copied().unwrap_or_default()))
            })
            .collect()
    }

    pub async fn survey(&self, tenant: TenantId, id: i64) -> Result<Option<Survey>> {
        let row: Option<SurveyRow> = self
            .fetch_optional(
                &Query::select()
                    .columns(survey_columns())
                    .from(Surveys::Table)
                    .and_where(Expr::col(Surveys::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Surveys::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        row.map(survey_of).transpose()
    }

    /// The surveys `person` was asked in, newest first, with whether they answered.
    pub async fn surveys_of_person(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<(Survey, bool)>> {
        let answered: Vec<(i64, bool)> = self
            .fetch_all(
                &Query::select()
                    .columns([SurveyTargets::SurveyId, SurveyTargets::Answered])
                    .from(SurveyTargets::Table)
                    .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyTargets::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        if answered.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<SurveyRow> = self
            .fetch_all(
                &Query::select()
                    .columns(survey_columns())
                    .from(Surveys::Table)
                    .and_where(Expr::col(Surveys::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Surveys::Id).is_in(answered.iter().map(|(s, _)| *s)))
                    .order_by(Surveys::Id, Order::Desc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                let done = answered.iter().any(|(s, a)| *s == r.0 && *a);
                Ok((survey_of(r)?, done))
            })
            .collect()
    }

    /// Whether `person` was asked in the survey, and whether they answered.
    pub async fn survey_target(
        &self,
        tenant: TenantId,
        survey: i64,
        person: PersonId,
    ) -> Result<Option<bool>> {
        let row: Option<(bool,)> = self
            .fetch_optional(
                &Query::select()
                    .column(SurveyTargets::Answered)
                    .from(SurveyTargets::Table)
                    .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyTargets::SurveyId).eq(survey))
                    .and_where(Expr::col(SurveyTargets::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(a,)| a))
    }

    /// Takes one person's answer: marks them answered and stores the answer with a random
    /// id and no trace of them, in one transaction; refuses a closed survey, a second
    /// answer (the first stays) and someone not asked.
    pub async fn answer_survey(
        &self,
        tenant: TenantId,
        survey: &Survey,
        person: PersonId,
        today: NaiveDate,
        place: &AnswerPlace,
        answers: &Answers,
    ) -> Result<std::result::Result<(), AnswerRefused>> {
        if !survey.is_open(today) {
            return Ok(Err(AnswerRefused::Closed));
        }
        let mut tx = self.begin().await?;
        let marked = tx
            .execute(
                &Query::update()
                    .table(SurveyTargets::Table)
                    .value(SurveyTargets::Answered, true)
                    .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyTargets::SurveyId).eq(survey.id))
                    .and_where(Expr::col(SurveyTargets::PersonId).eq(person.0))
                    .and_where(Expr::col(SurveyTargets::Answered).eq(false))
                    .to_owned(),
            )
            .await?;
        if marked == 0 {
            drop(tx);
            return Ok(Err(
                match self.survey_target(tenant, survey.id, person).await? {
                    Some(true) => AnswerRefused::AlreadyAnswered,
                    _ => AnswerRefused::NotAsked,
                },
            ));
        }
        tx.execute(
            &Query::insert()
                .into_table(SurveyAnswers::Table)
                .columns(ANSWER_COLUMNS)
                .values_panic(answer_row(tenant, survey.id, place, answers)?)
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Every answer of a survey, in the order of their random ids.
    pub async fn survey_answers(&self, tenant: TenantId, survey: i64) -> Result<Vec<StoredAnswer>> {
        let rows: Vec<(Option<i64>, i64, String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        SurveyAnswers::DepartmentId,
                        SurveyAnswers::AgeBand,
                        SurveyAnswers::Grade,
                        SurveyAnswers::Answers,
                    ])
                    .from(SurveyAnswers::Table)
                    .and_where(Expr::col(SurveyAnswers::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyAnswers::SurveyId).eq(survey))
                    .order_by(SurveyAnswers::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(department_id, age_band, grade, a)| {
                Ok(StoredAnswer {
                    place: AnswerPlace {
                        department_id,
                        age_band,
                        grade,
                    },
                    answers: Answers(
                        serde_json::from_str(&a)
                            .map_err(|e| StoreError::Integrity(format!("answer: {e}")))?,
                    ),
                })
            })
            .collect()
    }

    /// Closes a survey now (HR); false when it was already closed.
    pub async fn close_survey(
        &self,
        tenant: TenantId,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let closed = self
            .execute(
                &Query::update()
                    .table(Surveys::Table)
                    .value(Surveys::ClosedAt, now)
                    .and_where(Expr::col(Surveys::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Surveys::Id).eq(id))
                    .and_where(Expr::col(Surveys::ClosedAt).is_null())
                    .to_owned(),
            )
            .await?
            > 0;
        if closed {
            // Its scores now count in the KPIs.
            self.kpi_stale(tenant).await?;
        }
        Ok(closed)
    }

    /// The accounts of the people asked who have not answered: whom a reminder goes to.
    pub async fn unanswered_accounts(
        &self,
        tenant: TenantId,
        survey: i64,
    ) -> Result<Vec<(UserId, String, String)>> {
        let rows: Vec<(i64, String, String)> = self
            .fetch_all(
                &Query::select()
                    .column((Users::Table, Users::Id))
                    .column((Users::Table, Users::Email))
                    .column((People::Table, People::Name))
                    .from(SurveyTargets::Table)
                    .inner_join(
                        People::Table,
                        Expr::col((People::Table, People::Id))
                            .equals((SurveyTargets::Table, SurveyTargets::PersonId)),
                    )
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::PersonId))
                            .equals((People::Table, People::Id)),
                    )
                    .and_where(
                        Expr::col((SurveyTargets::Table, SurveyTargets::TenantId)).eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((SurveyTargets::Table, SurveyTargets::SurveyId)).eq(survey),
                    )
                    .and_where(Expr::col((SurveyTargets::Table, SurveyTargets::Answered)).eq(false))
                    .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                    .order_by((Users::Table, Users::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(u, e, n)| (UserId(u), e, n))
            .collect())
    }

    /// Counts one more reminder round and returns its number.
    pub async fn count_survey_reminder(&self, tenant: TenantId, id: i64) -> Result<i64> {
        self.execute(
            &Query::update()
                .table(Surveys::Table)
                .value(Surveys::Reminders, Expr::col(Surveys::Reminders).add(1))
                .and_where(Expr::col(Surveys::TenantId).eq(tenant.0))
                .and_where(Expr::col(Surveys::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(self
            .survey(tenant, id)
            .await?
            .map(|s| s.reminders)
            .unwrap_or(0))
    }
}

impl Store {
    /// Every department of the tenant (reports build their tree from it).
    pub async fn all_departments(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<crate::people::Department>> {
        self.fetch_all(&crate::people::departments_query(tenant))
            .await
    }
}

/// Answers per INSERT statement in a bulk load (7 values each).
const ANSWERS_PER_INSERT: usize = 20_000;

impl Store {
    /// Every active person's unit, birth date and grade: what an answer's place is made
    /// of, read once for generated data.
    pub async fn people_places(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(PersonId, Option<i64>, Option<NaiveDate>, String)>> {
        let rows: Vec<(i64, Option<i64>, Option<NaiveDate>, String)> = self
            .fetch_packed(
                &Query::select()
                    .columns([
                        People::Id,
                        People::DepartmentId,
                        People::BirthDate,
                        People::Grade,
                    ])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
                    .order_by(People::Id, Order::Asc)
                    .to_owned(),
                4,
            )
            .await?;
        let mut rows: Vec<_> = rows
            .into_iter()
            .map(|(p, d, b, g)| (PersonId(p), d, b, g))
            .collect();
        // A packed read keeps no order; generated answers follow the people's.
        rows.sort_unstable_by_key(|r| r.0);
        Ok(rows)
    }

    /// Many people's answers at once (generated data: the demo and `demo-data
    /// --history`): marks each answered and stores the answers, shuffled by their random
    /// ids, in one transaction. People already marked are skipped.
    pub async fn answer_survey_bulk(
        &self,
        tenant: TenantId,
        survey: i64,
        rows: &[(PersonId, AnswerPlace, Answers)],
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let unanswered: Vec<(i64,)> = tx
            .fetch_all(
                &Query::select()
                    .column(SurveyTargets::PersonId)
                    .from(SurveyTargets::Table)
                    .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SurveyTargets::SurveyId).eq(survey))
                    .and_where(Expr::col(SurveyTargets::Answered).eq(false))
                    .to_owned(),
            )
            .await?;
        let mut open: std::collections::HashSet<i64> =
            unanswered.into_iter().map(|(p,)| p).collect();
        // Each person once, and only those asked who have not answered.
        let take: Vec<&(PersonId, AnswerPlace, Answers)> =
            rows.iter().filter(|r| open.remove(&r.0.0)).collect();
        let mut stored = 0;
        for chunk in take.chunks(ANSWERS_PER_INSERT) {
            let people: Vec<i64> = chunk.iter().map(|r| r.0.0).collect();
            match &mut tx {
                crate::Tx::Sqlite(_) => {
                    tx.execute(
                        &Query::update()
                            .table(SurveyTargets::Table)
                            .value(SurveyTargets::Answered, true)
                            .and_where(Expr::col(SurveyTargets::TenantId).eq(tenant.0))
                            .and_where(Expr::col(SurveyTargets::SurveyId).eq(survey))
                            .and_where(Expr::col(SurveyTargets::PersonId).is_in(people))
                            .to_owned(),
                    )
                    .await?;
                }
                // One array rather than thousands of parameters, which PostgreSQL takes
                // longer to plan than to run.
                crate::Tx::Postgres(t) => {
                    sqlx::query(
                        "UPDATE survey_targets SET answered = TRUE \
                         WHERE tenant_id = $1 AND survey_id = $2 AND person_id = ANY($3)",
                    )
                    .bind(tenant.0)
                    .bind(survey)
                    .bind(people)
                    .execute(&mut **t)
                    .await?;
                }
            }
            let answers: Vec<String> = chunk
                .iter()
                .map(|(_, _, a)| json(&a.0))
                .collect::<Result<_>>()?;
            let mut cells: Vec<Cell> = Vec::with_capacity(chunk.len() * 7);
            for ((_, place, _), answers) in chunk.iter().zip(&answers) {
                // A random positive id: the answers' order says nothing about who
                // answered when.
                cells.extend::<[Cell; 7]>([
                    ((rand::random::<u64>() >> 2) as i64 + 1).into(),
                    tenant.0.into(),
                    survey.into(),
                    place.department_id.into(),
                    place.age_band.into(),
                    place.grade.as_str().into(),
                    answers.as_str().into(),
                ]);
            }
            tx.insert_many(
                SurveyAnswers::Table,
                &ANSWER_COLUMNS
                    .iter()
                    .map(|c| c as &(dyn sea_query::Iden + Sync))
                    .collect::<Vec<_>>(),
                &cells,
                None,
            )
            .await?;
            stored += chunk.len() as u64;
        }
        tx.commit().await?;
        Ok(stored)
    }
}
