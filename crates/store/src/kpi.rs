//! KPI facts: what the dashboard's figures are counted from, for one fiscal year, read in
//! a few set-wise queries (no note text is opened; only kinds, states, dates and flags).
//! The counting itself is in `app::kpi`.

use crate::db::Cell;
use crate::schema::{
    BehaviourEvaluations, Commitments, Dialogues, FeedbackReports, People, SurveyTargets, Surveys,
    Users,
};
use crate::{Result, Store, TenantId};
use chrono::{DateTime, NaiveDate, Utc};
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
    /// 1on1s held in the year: (facilitating person, person met, start).
    pub one_on_ones: Vec<(i64, i64, DateTime<Utc>)>,
    /// Commitments that count, from dialogues held in the year or starting in it.
    pub commitments: Vec<CommitmentFact>,
    /// Behaviour-change evaluations of the year: (person, level).
    pub evaluations: Vec<(i64, String)>,
    /// Feedback reports sent in the year and not retracted: (person, acknowledged).
    pub reports: Vec<(i64, bool)>,
    /// People asked by the year's surveys: (person, answered).
    pub survey_targets: Vec<(i64, bool)>,
    /// People with a consultation (外部キャリア相談) held in the year.
    pub consulted: HashSet<i64>,
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
                .fetch_all(
                    &Query::select()
                        .columns([People::Id, People::DepartmentId, People::ManagerId])
                        .from(People::Table)
                        .and_where(Expr::col(People::TenantId).eq(tenant.0))
                        .and_where(
                            Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()),
                        )
                        .to_owned(),
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
                .fetch_all(
                    held(&["career_interview", "milestone_interview"], start, end)
                        .columns([Dialogues::SubjectPersonId, Dialogues::StartsAt]),
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
                .fetch_all(
                    held(&every_kind, year_before, until_end)
                        .distinct()
                        .column(Dialogues::SubjectPersonId),
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let one_on_ones = async {
            let rows: Vec<(i64, i64, DateTime<Utc>)> = self
                .fetch_all(
                    held(&["one_on_one"], start, end)
                        .column((Users::Table, Users::PersonId))
                        .column((Dialogues::Table, Dialogues::SubjectPersonId))
                        .column((Dialogues::Table, Dialogues::StartsAt))
                        .inner_join(
                            Users::Table,
                            Expr::col((Users::Table, Users::Id))
                                .equals((Dialogues::Table, Dialogues::FacilitatorUserId)),
                        )
                        .and_where(Expr::col((Users::Table, Users::PersonId)).is_not_null()),
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let consulted = async {
            let rows: Vec<(i64,)> = self
                .fetch_all(
                    held(&["consultation"], start, end)
                        .distinct()
                        .column(Dialogues::SubjectPersonId),
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let commitments = async {
            let rows: Vec<CommitmentRow> = self
                .fetch_all(
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
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let evaluations = async {
            let rows: Vec<(i64, String)> = self
                .fetch_all(
                    &Query::select()
                        .columns([BehaviourEvaluations::PersonId, BehaviourEvaluations::Level])
                        .from(BehaviourEvaluations::Table)
                        .and_where(Expr::col(BehaviourEvaluations::TenantId).eq(tenant.0))
                        .and_where(Expr::col(BehaviourEvaluations::FiscalYear).eq(fy))
                        .to_owned(),
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let reports = async {
            let rows: Vec<(i64, Option<DateTime<Utc>>)> = self
                .fetch_all(
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
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let survey_targets = async {
            let rows: Vec<(i64, bool)> = self
                .fetch_all(
                    &Query::select()
                        .column((SurveyTargets::Table, SurveyTargets::PersonId))
                        .column((SurveyTargets::Table, SurveyTargets::Answered))
                        .from(SurveyTargets::Table)
                        .inner_join(
                            Surveys::Table,
                            Expr::col((Surveys::Table, Surveys::Id))
                                .equals((SurveyTargets::Table, SurveyTargets::SurveyId)),
                        )
                        .and_where(Expr::col((Surveys::Table, Surveys::TenantId)).eq(tenant.0))
                        .and_where(Expr::col((Surveys::Table, Surveys::FiscalYear)).eq(fy))
                        .to_owned(),
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
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
        ) = tokio::try_join!(
            people,
            interviews,
            in_dialogue,
            one_on_ones,
            consulted,
            commitments,
            evaluations,
            reports,
            survey_targets
        )?;
        Ok(KpiFacts {
            people,
            interviews,
            in_dialogue: in_dialogue.into_iter().map(|(p,)| p).collect(),
            one_on_ones,
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
            survey_targets,
            consulted: consulted.into_iter().map(|(p,)| p).collect(),
        })
    }
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
