//! KPI facts: what the dashboard's figures are counted from, for one fiscal year, read in
//! a few set-wise queries (no note text is opened; only kinds, states, dates and flags).
//! The counting itself is in `app::kpi`.

use crate::db::Cell;
use crate::schema::{
    BehaviourEvaluations, Commitments, Dialogues, FeedbackReports, People, SurveyTargets, Surveys,
    Users,
};
use crate::{Result, Store, TenantId};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_query::{Cond, Expr, ExprTrait, Query};
use std::collections::HashSet;
use std::ops::RangeInclusive;

/// (person, dialogue kind, dialogue start, starts on, status)
type CommitmentRow = (i64, String, DateTime<Utc>, Option<NaiveDate>, String);

/// A commitment that counts (objective, with a start, confirmed by the employee, not
/// replaced), with the dialogue it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentFact {
    pub person: i64,
    pub dialogue_kind: String,
    pub dialogue_at: DateTime<Utc>,
    pub starts_on: Option<NaiveDate>,
    /// Started, continuing or done.
    pub started: bool,
}

/// The facts of one fiscal year.
#[derive(Debug, Clone, Default)]
pub struct KpiFacts {
    /// Everyone not marked as a leaver: (person, department, manager).
    pub people: Vec<(i64, Option<i64>, Option<i64>)>,
    /// Career and milestone interviews held in the year: (person, start).
    pub interviews: Vec<(i64, DateTime<Utc>)>,
    /// People with any dialogue held in the 12 months up to the year's end (or today).
    pub in_dialogue: HashSet<i64>,
    /// 1on1s held in the year up to the last day counted, per pair: (facilitating
    /// person, person met, calendar months of the year in which they met — months past
    /// the twelfth counted as the twelfth).
    pub one_on_one_months: Vec<(i64, i64, u64)>,
    /// Commitments that count, from dialogues held in the year or starting in it.
    pub commitments: Vec<CommitmentFact>,
    /// Behaviour-change evaluations of the year: (person, level).
    pub evaluations: Vec<(i64, String)>,
    /// Feedback reports sent in the year and not retracted: (person, acknowledged).
    pub reports: Vec<(i64, bool)>,
    /// People asked by the year's surveys: (person, surveys answered, surveys asked).
    pub survey_targets: Vec<(i64, u64, u64)>,
    /// People with a consultation (外部キャリア相談) held in the year.
    pub consulted: HashSet<i64>,
    /// People who used an opportunity in the year: applied to a posting, declared FA,
    /// applied for a side job, claimed a subsidy (withdrawn ones too) or completed a course.
    pub opportunity_users: HashSet<i64>,
}

impl Store {
    /// The KPI facts of the fiscal year `range`, with `until` the last day counted (the
    /// year's end, or today while it runs).
    pub async fn kpi_facts(
        &self,
        tenant: TenantId,
        fy: i32,
        range: RangeInclusive<NaiveDate>,
        until: NaiveDate,
    ) -> Result<KpiFacts> {
        let start = crate::jst_day_start(*range.start());
        let end = crate::jst_day_start(*range.end()) + chrono::Duration::days(1);
        let until_end = crate::jst_day_start(until) + chrono::Duration::days(1);
        let people = async {
            let rows: Vec<(i64, Option<i64>, Option<i64>)> = self
                .fetch_packed(
                    &Query::select()
                        .columns([People::Id, People::DepartmentId, People::ManagerId])
                        .from(People::Table)
                        .and_where(Expr::col(People::TenantId).eq(tenant.0))
                        .and_where(
                            Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()),
                        )
                        .to_owned(),
                    3,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let held = |kinds: &[&str], from: DateTime<Utc>, to: DateTime<Utc>| {
            let mut q = Query::select();
            q.from(Dialogues::Table)
                .and_where(Expr::col((Dialogues::Table, Dialogues::TenantId)).eq(tenant.0))
                .and_where(Expr::col((Dialogues::Table, Dialogues::State)).eq("held"))
                .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).gte(from))
                .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).lt(to));
            if !kinds.is_empty() {
                q.and_where(
                    Expr::col((Dialogues::Table, Dialogues::Kind)).is_in(kinds.iter().copied()),
                );
            }
            q
        };
        let interviews = async {
            let rows: Vec<(i64, DateTime<Utc>)> = self
                .fetch_packed(
                    held(&["career_interview", "milestone_interview"], start, end)
                        .columns([Dialogues::SubjectPersonId, Dialogues::StartsAt]),
                    2,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let year_before = until_end - chrono::Duration::days(365);
        // Every kind named, so the read is a few ranges of the kind-and-time index.
        let every_kind: Vec<&str> = domain::dialogue::DialogueKind::ALL
            .iter()
            .map(|k| k.key())
            .collect();
        let in_dialogue = async {
            let rows: Vec<(i64,)> = self
                .fetch_packed(
                    held(&every_kind, year_before, until_end)
                        .distinct()
                        .column(Dialogues::SubjectPersonId),
                    1,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        // Grouped per pair in the database (a year of monthly 1on1s at 300,000 people is
        // ~1.9 million rows; each pair's distinct months are a few hundred thousand):
        // each 1on1 falls in the calendar month it begins in (Japan time), numbered by
        // comparing its start with the months' boundaries.
        let one_on_ones = async {
            let bounds = month_bounds(*range.start(), until);
            let month: Expr = if bounds.is_empty() {
                Expr::val(1i64)
            } else {
                let mut case = sea_query::CaseStatement::new();
                for (i, bound) in bounds.iter().enumerate() {
                    case = case.case(
                        Expr::col((Dialogues::Table, Dialogues::StartsAt)).lt(*bound),
                        Expr::val(i as i64 + 1),
                    );
                }
                case.finally(Expr::val(bounds.len() as i64 + 1)).into()
            };
            let pairs = sea_query::Alias::new("pairs");
            let (facilitator, met, months) = (
                sea_query::Alias::new("facilitator"),
                sea_query::Alias::new("met"),
                sea_query::Alias::new("months"),
            );
            let grouped = held(&["one_on_one"], start, until_end)
                .expr_as(
                    Expr::col((Dialogues::Table, Dialogues::FacilitatorUserId)),
                    facilitator.clone(),
                )
                .expr_as(
                    Expr::col((Dialogues::Table, Dialogues::SubjectPersonId)),
                    met.clone(),
                )
                .expr_as(sea_query::Func::count_distinct(month), months.clone())
                .group_by_col((Dialogues::Table, Dialogues::FacilitatorUserId))
                .group_by_col((Dialogues::Table, Dialogues::SubjectPersonId))
                .to_owned();
            let rows: Vec<(i64, i64, i64)> = self
                .fetch_packed(
                    &Query::select()
                        .column((Users::Table, Users::PersonId))
                        .column((pairs.clone(), met))
                        .column((pairs.clone(), months))
                        .from_subquery(grouped, pairs.clone())
                        .inner_join(
                            Users::Table,
                            Expr::col((Users::Table, Users::Id)).equals((pairs, facilitator)),
                        )
                        .and_where(Expr::col((Users::Table, Users::PersonId)).is_not_null())
                        .to_owned(),
                    3,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let consulted = async {
            let rows: Vec<(i64,)> = self
                .fetch_packed(
                    held(&["consultation"], start, end)
                        .distinct()
                        .column(Dialogues::SubjectPersonId),
                    1,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let commitments = async {
            let rows: Vec<CommitmentRow> = self
                .fetch_packed(
                    &Query::select()
                        .column((Commitments::Table, Commitments::SubjectPersonId))
                        .column((Dialogues::Table, Dialogues::Kind))
                        .column((Dialogues::Table, Dialogues::StartsAt))
                        .column((Commitments::Table, Commitments::StartsOn))
                        .column((Commitments::Table, Commitments::Status))
                        .from(Commitments::Table)
                        .inner_join(
                            Dialogues::Table,
                            Expr::col((Dialogues::Table, Dialogues::Id))
                                .equals((Commitments::Table, Commitments::DialogueId)),
                        )
                        .and_where(
                            Expr::col((Commitments::Table, Commitments::TenantId)).eq(tenant.0),
                        )
                        .and_where(Expr::col((Commitments::Table, Commitments::Replaced)).eq(false))
                        .and_where(Expr::col((Commitments::Table, Commitments::Objective)).eq(true))
                        .and_where(Expr::col((Commitments::Table, Commitments::HasStart)).eq(true))
                        .and_where(
                            Expr::col((Commitments::Table, Commitments::ConfirmedAt)).is_not_null(),
                        )
                        .cond_where(
                            Cond::any()
                                .add(
                                    Expr::col((Dialogues::Table, Dialogues::StartsAt))
                                        .gte(start)
                                        .and(
                                            Expr::col((Dialogues::Table, Dialogues::StartsAt))
                                                .lt(end),
                                        ),
                                )
                                .add(
                                    Expr::col((Commitments::Table, Commitments::StartsOn))
                                        .gte(*range.start())
                                        .and(
                                            Expr::col((Commitments::Table, Commitments::StartsOn))
                                                .lte(*range.end()),
                                        ),
                                ),
                        )
                        .to_owned(),
                    5,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let evaluations = async {
            let rows: Vec<(i64, String)> = self
                .fetch_packed(
                    &Query::select()
                        .columns([BehaviourEvaluations::PersonId, BehaviourEvaluations::Level])
                        .from(BehaviourEvaluations::Table)
                        .and_where(Expr::col(BehaviourEvaluations::TenantId).eq(tenant.0))
                        .and_where(Expr::col(BehaviourEvaluations::FiscalYear).eq(fy))
                        .to_owned(),
                    2,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let reports = async {
            let rows: Vec<(i64, Option<DateTime<Utc>>)> = self
                .fetch_packed(
                    &Query::select()
                        .columns([
                            FeedbackReports::SubjectPersonId,
                            FeedbackReports::AcknowledgedAt,
                        ])
                        .from(FeedbackReports::Table)
                        .and_where(Expr::col(FeedbackReports::TenantId).eq(tenant.0))
                        .and_where(Expr::col(FeedbackReports::SentAt).gte(start))
                        .and_where(Expr::col(FeedbackReports::SentAt).lt(end))
                        .and_where(Expr::col(FeedbackReports::RetractedAt).is_null())
                        .to_owned(),
                    2,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let survey_targets = async {
            // Per person (the year's two surveys ask 600,000 at 300,000 people).
            let rows: Vec<(i64, i64, i64)> = self
                .fetch_packed(
                    &Query::select()
                        .column((SurveyTargets::Table, SurveyTargets::PersonId))
                        .expr(
                            Expr::case(
                                Expr::col((SurveyTargets::Table, SurveyTargets::Answered)).eq(true),
                                1,
                            )
                            .finally(0)
                            .sum(),
                        )
                        .expr(Expr::col((SurveyTargets::Table, SurveyTargets::PersonId)).count())
                        .from(SurveyTargets::Table)
                        .inner_join(
                            Surveys::Table,
                            Expr::col((Surveys::Table, Surveys::Id))
                                .equals((SurveyTargets::Table, SurveyTargets::SurveyId)),
                        )
                        .and_where(Expr::col((Surveys::Table, Surveys::TenantId)).eq(tenant.0))
                        .and_where(Expr::col((Surveys::Table, Surveys::FiscalYear)).eq(fy))
                        .group_by_col((SurveyTargets::Table, SurveyTargets::PersonId))
                        .to_owned(),
                    3,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let opportunity_users = self.opportunity_users(tenant, (start, end), range.clone());
        // The reads are independent: on both engines they run side by side, each on a
        // connection of its own.
        let (
            people,
            interviews,
            in_dialogue,
            one_on_ones,
            consulted,
            commitments,
            evaluations,
            reports,
            survey_targets,
            opportunity_users,
        ) = tokio::try_join!(
            people,
            interviews,
            in_dialogue,
            one_on_ones,
            consulted,
            commitments,
            evaluations,
            reports,
            survey_targets,
            opportunity_users
        )?;
        Ok(KpiFacts {
            people,
            interviews,
            in_dialogue: in_dialogue.into_iter().map(|(p,)| p).collect(),
            one_on_one_months: one_on_ones
                .into_iter()
                .map(|(m, p, n)| (m, p, u64::try_from(n).unwrap_or(0)))
                .collect(),
            commitments: commitments
                .into_iter()
                .map(
                    |(person, dialogue_kind, dialogue_at, starts_on, status)| CommitmentFact {
                        person,
                        dialogue_kind,
                        dialogue_at,
                        starts_on,
                        started: matches!(status.as_str(), "started" | "continuing" | "done"),
                    },
                )
                .collect(),
            evaluations,
            reports: reports
                .into_iter()
                .map(|(p, ack)| (p, ack.is_some()))
                .collect(),
            survey_targets: survey_targets
                .into_iter()
                .map(|(p, answered, asked)| {
                    let n = |v: i64| u64::try_from(v).unwrap_or(0);
                    (p, n(answered), n(asked))
                })
                .collect(),
            consulted: consulted.into_iter().map(|(p,)| p).collect(),
            opportunity_users,
        })
    }

    /// Who used an opportunity between `start` and `end` (the days of `days` for what is
    /// dated by day): five small reads, one set.
    async fn opportunity_users(
        &self,
        tenant: TenantId,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        days: RangeInclusive<NaiveDate>,
    ) -> Result<HashSet<i64>> {
        use crate::schema::{
            CourseCompletions as K, FaDeclarations as F, PostingApplications as A, SideJobs as S,
            SubsidyClaims as C,
        };
        let (from, to) = (*days.start(), *days.end());
        let reads = [
            Query::select()
                .distinct()
                .column(A::PersonId)
                .from(A::Table)
                .and_where(Expr::col(A::TenantId).eq(tenant.0))
                .and_where(Expr::col(A::CreatedAt).gte(start))
                .and_where(Expr::col(A::CreatedAt).lt(end))
                .to_owned(),
            Query::select()
                .distinct()
                .column(F::PersonId)
                .from(F::Table)
                .and_where(Expr::col(F::TenantId).eq(tenant.0))
                .and_where(Expr::col(F::DeclaredOn).gte(from))
                .and_where(Expr::col(F::DeclaredOn).lte(to))
                .to_owned(),
            Query::select()
                .distinct()
                .column(S::PersonId)
                .from(S::Table)
                .and_where(Expr::col(S::TenantId).eq(tenant.0))
                .and_where(Expr::col(S::CreatedAt).gte(start))
                .and_where(Expr::col(S::CreatedAt).lt(end))
                .to_owned(),
            Query::select()
                .distinct()
                .column(C::PersonId)
                .from(C::Table)
                .and_where(Expr::col(C::TenantId).eq(tenant.0))
                .and_where(Expr::col(C::CreatedAt).gte(start))
                .and_where(Expr::col(C::CreatedAt).lt(end))
                .to_owned(),
            Query::select()
                .distinct()
                .column(K::PersonId)
                .from(K::Table)
                .and_where(Expr::col(K::TenantId).eq(tenant.0))
                .and_where(Expr::col(K::CompletedOn).gte(from))
                .and_where(Expr::col(K::CompletedOn).lte(to))
                .to_owned(),
        ];
        let mut users = HashSet::new();
        for q in &reads {
            let rows: Vec<(i64,)> = self.fetch_all(q).await?;
            users.extend(rows.into_iter().map(|(p,)| p));
        }
        Ok(users)
    }
}

/// The most months a fiscal year's 1on1 cadence counts.
const MONTHS_COUNTED: i64 = 12;

/// The Japan-time starts of the calendar months that begin after `fy_start` and by
/// `until` — at most eleven: a 1on1 before the first is in the year's first month, one
/// from the last on in the month after it (a year begun mid-month has a thirteenth
/// part-month, counted as the twelfth, as `domain::kpi::months_begun` counts it).
fn month_bounds(fy_start: NaiveDate, until: NaiveDate) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut first = fy_start.with_day(1).unwrap_or(fy_start);
    while out.len() < (MONTHS_COUNTED - 1) as usize {
        first = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
        if first > until {
            break;
        }
        out.push(crate::jst_day_start(first));
    }
    out
}

/// One stored figure: a unit (a department, None for the whole company), a KPI key, the
/// unit's totals (its own members and every unit below it) and whether the anonymity
/// rule hides it there — decided when the year was counted.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiCountRow {
    pub department_id: Option<i64>,
    pub kpi: String,
    pub num: f64,
    pub den: u64,
    pub people: u64,
    pub hidden: bool,
}

type StoredCount = (i64, String, i64, i64, i64, bool);

impl Store {
    /// Replaces fiscal year `fy`'s stored KPI counts, in one transaction.
    pub async fn replace_kpi_counts(
        &self,
        tenant: TenantId,
        fy: i32,
        rows: &[KpiCountRow],
        at: DateTime<Utc>,
    ) -> Result<()> {
        use crate::schema::{KpiCounts, KpiYears};
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(KpiCounts::Table)
                .and_where(Expr::col(KpiCounts::TenantId).eq(tenant.0))
                .and_where(Expr::col(KpiCounts::FiscalYear).eq(fy))
                .to_owned(),
        )
        .await?;
        let cells: Vec<Cell> = rows
            .iter()
            .flat_map(|r| {
                [
                    tenant.0.into(),
                    i64::from(fy).into(),
                    r.department_id.unwrap_or(0).into(),
                    r.kpi.as_str().into(),
                    ((r.num * 1000.0).round() as i64).into(),
                    (r.den as i64).into(),
                    (r.people as i64).into(),
                    r.hidden.into(),
                ]
            })
            .collect();
        tx.insert_many(
            KpiCounts::Table,
            &[
                &KpiCounts::TenantId,
                &KpiCounts::FiscalYear,
                &KpiCounts::DepartmentId,
                &KpiCounts::Kpi,
                &KpiCounts::NumMilli,
                &KpiCounts::Den,
                &KpiCounts::People,
                &KpiCounts::Hidden,
            ],
            &cells,
            None,
        )
        .await?;
        tx.execute(
            &Query::delete()
                .from_table(KpiYears::Table)
                .and_where(Expr::col(KpiYears::TenantId).eq(tenant.0))
                .and_where(Expr::col(KpiYears::FiscalYear).eq(fy))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(KpiYears::Table)
                .columns([
                    KpiYears::TenantId,
                    KpiYears::FiscalYear,
                    KpiYears::ComputedAt,
                ])
                .values_panic([tenant.0.into(), i64::from(fy).into(), at.into()])
                .to_owned(),
        )
        .await?;
        tx.commit().await
    }

    /// Fiscal year `fy`'s stored KPI figures of the departments `departments` (0 for the
    /// company) and when the year was counted; None when it has not been.
    pub async fn kpi_counts(
        &self,
        tenant: TenantId,
        fy: i32,
        departments: &[i64],
    ) -> Result<Option<(DateTime<Utc>, Vec<KpiCountRow>)>> {
        use crate::schema::{KpiCounts, KpiYears};
        let at: Option<(DateTime<Utc>,)> = self
            .fetch_optional(
                &Query::select()
                    .column(KpiYears::ComputedAt)
                    .from(KpiYears::Table)
                    .and_where(Expr::col(KpiYears::TenantId).eq(tenant.0))
                    .and_where(Expr::col(KpiYears::FiscalYear).eq(fy))
                    .to_owned(),
            )
            .await?;
        let Some((at,)) = at else {
            return Ok(None);
        };
        let rows: Vec<StoredCount> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        KpiCounts::DepartmentId,
                        KpiCounts::Kpi,
                        KpiCounts::NumMilli,
                        KpiCounts::Den,
                        KpiCounts::People,
                        KpiCounts::Hidden,
                    ])
                    .from(KpiCounts::Table)
                    .and_where(Expr::col(KpiCounts::TenantId).eq(tenant.0))
                    .and_where(Expr::col(KpiCounts::FiscalYear).eq(fy))
                    .and_where(self.in_ids("department_id", departments))
                    .to_owned(),
            )
            .await?;
        Ok(Some((
            at,
            rows.into_iter()
                .map(|(d, kpi, num, den, people, hidden)| KpiCountRow {
                    department_id: (d != 0).then_some(d),
                    kpi,
                    num: num as f64 / 1000.0,
                    den: u64::try_from(den).unwrap_or(0),
                    people: u64::try_from(people).unwrap_or(0),
                    hidden,
                })
                .collect(),
        )))
    }

    /// When each counted fiscal year was counted.
    pub async fn kpi_years(&self, tenant: TenantId) -> Result<Vec<(i32, DateTime<Utc>)>> {
        use crate::schema::KpiYears;
        let rows: Vec<(i64, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .columns([KpiYears::FiscalYear, KpiYears::ComputedAt])
                    .from(KpiYears::Table)
                    .and_where(Expr::col(KpiYears::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(y, at)| (y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, at))
            .collect())
    }

    /// Marks every counted year of the tenant as due for a recount (its inputs changed in
    /// a way that reaches back: an import, a new definition, a survey closed). The stored
    /// figures stay readable until the recount replaces them. A year marked so reads as
    /// counted ten years before this moment: long enough ago to be due, and a moment of
    /// its own, so each marking is a recount job of its own (`app::kpi::due_recounts`).
    pub async fn kpi_stale(&self, tenant: TenantId) -> Result<()> {
        use crate::schema::KpiYears;
        self.execute(
            &Query::update()
                .table(KpiYears::Table)
                .value(
                    KpiYears::ComputedAt,
                    Utc::now() - chrono::Duration::days(3650),
                )
                .and_where(Expr::col(KpiYears::TenantId).eq(tenant.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn month_bounds_number_the_months_as_the_cadence_counts_them() {
        // A year begun on April 1st: eleven boundaries, May 1st to March 1st (Japan time).
        let b = month_bounds(d(2025, 4, 1), d(2026, 3, 31));
        assert_eq!(b.len(), 11);
        assert_eq!(b[0], crate::jst_day_start(d(2025, 5, 1)));
        assert_eq!(b[10], crate::jst_day_start(d(2026, 3, 1)));
        // While the year runs, only the months begun.
        assert_eq!(month_bounds(d(2025, 4, 1), d(2025, 6, 15)).len(), 2);
        assert!(month_bounds(d(2025, 4, 1), d(2025, 4, 30)).is_empty());
        // A year begun mid-month: its thirteenth part-month falls in the twelfth.
        let b = month_bounds(d(2025, 4, 21), d(2026, 4, 20));
        assert_eq!(b.len(), 11);
        assert_eq!(b[10], crate::jst_day_start(d(2026, 3, 1)));
        // Each bucket is the month `months_begun` gives a day in it.
        for (i, bound) in b.iter().enumerate() {
            let day = domain::japan_time::japan_date(*bound);
            assert_eq!(domain::kpi::months_begun(d(2025, 4, 21), day), i as u64 + 2);
        }
    }
}
