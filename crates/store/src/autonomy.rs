//! キャリア自律: the tenant's definition, and the facts the judgement needs for one fiscal
//! year, read in a few set-wise queries (no note text is opened: the vision's horizon and
//! the commitments' verdicts are plain columns).

use crate::schema::{
    AutonomyColumn, Commitments, Dialogues, People, Ratings, Tenants, VisionColumns,
};
use crate::{PersonId, Result, Store, StoreError, TenantId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::autonomy::{Definition, Facts};
use sea_query::{Expr, ExprTrait, Query};
use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

/// The facts of one fiscal year: each person in the population, and every rating value
/// given that year (for the mean).
#[derive(Debug, Clone, Default)]
pub struct YearFacts {
    pub people: Vec<(PersonId, Facts)>,
    pub ratings: Vec<f64>,
    /// The fiscal year whose ratings were used (the year itself, or the last rated one
    /// before it when the year's ratings are not in yet).
    pub rating_year: Option<i32>,
}

/// The autonomy figures of one fiscal year, by the tenant's definition.
#[derive(Debug, Clone, serde::Serialize)]
pub struct YearSummary {
    pub summary: domain::autonomy::Summary,
    pub definition: Definition,
    pub rating_year: Option<i32>,
}

impl Store {
    /// Judges everyone in the population for fiscal year `fy` and sums it up.
    pub async fn autonomy_summary(
        &self,
        tenant: TenantId,
        fy: i32,
        calendar: &domain::calendar::FiscalCalendar,
        department_code: Option<&str>,
        scale: &domain::rating::RatingScale,
    ) -> Result<YearSummary> {
        use domain::autonomy::{Summary, judge, threshold};
        let definition = self.autonomy_definition(tenant).await?;
        let facts = self
            .autonomy_facts(
                tenant,
                fy,
                calendar.range(domain::calendar::FiscalYear(fy)),
                department_code,
                scale,
            )
            .await?;
        let bar = threshold(&definition, &facts.ratings, scale);
        let mut summary = Summary::default();
        for (_, f) in &facts.people {
            summary.add(&judge(&definition, f, bar));
        }
        Ok(YearSummary {
            summary,
            definition,
            rating_year: facts.rating_year,
        })
    }

    /// The autonomy figures of fiscal year `fy` for the whole company and for the people
    /// in `cohort` (a programme's participants), judged alike.
    pub async fn autonomy_of_cohort(
        &self,
        tenant: TenantId,
        fy: i32,
        calendar: &domain::calendar::FiscalCalendar,
        scale: &domain::rating::RatingScale,
        cohort: &HashSet<i64>,
    ) -> Result<(domain::autonomy::Summary, domain::autonomy::Summary)> {
        use domain::autonomy::{Summary, judge, threshold};
        let definition = self.autonomy_definition(tenant).await?;
        let facts = self
            .autonomy_facts(
                tenant,
                fy,
                calendar.range(domain::calendar::FiscalYear(fy)),
                None,
                scale,
            )
            .await?;
        let bar = threshold(&definition, &facts.ratings, scale);
        let (mut company, mut of_cohort) = (Summary::default(), Summary::default());
        for (p, f) in &facts.people {
            let j = judge(&definition, f, bar);
            company.add(&j);
            if cohort.contains(&p.0) {
                of_cohort.add(&j);
            }
        }
        Ok((of_cohort, company))
    }

    /// Days after a commitment's start before the follow-up asks (始めましたか？).
    pub async fn check_in_grace_days(&self, tenant: TenantId) -> Result<i64> {
        let (days,): (Option<i64>,) = self
            .fetch_one(
                &Query::select()
                    .column(crate::schema::GraceColumn::CheckInGraceDays)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(days.unwrap_or(domain::commitment::DEFAULT_CHECK_IN_GRACE_DAYS))
    }

    pub async fn set_check_in_grace_days(&self, tenant: TenantId, days: i64) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(crate::schema::GraceColumn::CheckInGraceDays, days)
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The tenant's definition of a career-autonomous person (the default until admin
    /// sets one).
    pub async fn autonomy_definition(&self, tenant: TenantId) -> Result<Definition> {
        let (json,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(AutonomyColumn::AutonomyDefinition)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        match json {
            None => Ok(Definition::default()),
            Some(j) => serde_json::from_str(&j)
                .map_err(|e| StoreError::Integrity(format!("autonomy definition: {e}"))),
        }
    }

    pub async fn set_autonomy_definition(&self, tenant: TenantId, def: &Definition) -> Result<()> {
        let json = serde_json::to_string(def)
            .map_err(|e| StoreError::Integrity(format!("autonomy definition: {e}")))?;
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(AutonomyColumn::AutonomyDefinition, json)
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await?;
        // Every year is judged again by the new definition.
        self.kpi_stale(tenant).await
    }

    /// The facts for fiscal year `fy` (its date range `range`) of everyone in the
    /// population: people not marked as leavers, in the department with `department_code`
    /// and below it when one is given.
    pub async fn autonomy_facts(
        &self,
        tenant: TenantId,
        fy: i32,
        range: RangeInclusive<NaiveDate>,
        department_code: Option<&str>,
        scale: &domain::rating::RatingScale,
    ) -> Result<YearFacts> {
        // The population, the ratings, the visions and the commitments: independent
        // reads, run side by side (each on a pooled connection of its own).
        let population = async {
            let mut q = Query::select();
            q.columns([People::Id, People::DepartmentId])
                .from(People::Table)
                .and_where(Expr::col(People::TenantId).eq(tenant.0))
                .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()));
            let people: Vec<(i64, Option<i64>)> = self.fetch_packed(&q, 2).await?;
            Ok::<Vec<i64>, crate::StoreError>(match department_code {
                None => people.into_iter().map(|(id, _)| id).collect(),
                Some(code) => {
                    let inside = self.department_subtree(tenant, code).await?;
                    people
                        .into_iter()
                        .filter(|(_, d)| d.is_some_and(|d| inside.contains(&d)))
                        .map(|(id, _)| id)
                        .collect()
                }
            })
        };
        let (people, inputs) =
            tokio::try_join!(population, self.autonomy_inputs(tenant, fy, range))?;
        Ok(inputs.facts(people, scale))
    }

    /// What the autonomy judgement of fiscal year `fy` reads besides its population:
    /// the ratings, the visions recorded and the commitments practised (read side by
    /// side).
    pub async fn autonomy_inputs(
        &self,
        tenant: TenantId,
        fy: i32,
        range: RangeInclusive<NaiveDate>,
    ) -> Result<AutonomyInputs> {
        // Ratings: the year's, or the last year rated before it.
        let ratings = async {
            let (latest,): (Option<i32>,) = self
                .fetch_one(
                    &Query::select()
                        .expr(Expr::col(Ratings::FiscalYear).max())
                        .from(Ratings::Table)
                        .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Ratings::FiscalYear).lte(fy))
                        .to_owned(),
                )
                .await?;
            let mut rows: Vec<(i64, String)> = Vec::new();
            if let Some(year) = latest {
                rows = self
                    .fetch_packed(
                        &Query::select()
                            .columns([Ratings::PersonId, Ratings::Rating])
                            .from(Ratings::Table)
                            .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                            .and_where(Expr::col(Ratings::FiscalYear).eq(year))
                            .to_owned(),
                        2,
                    )
                    .await?;
            }
            Ok::<_, crate::StoreError>((latest, rows))
        };
        // Visions recorded in interviews that year: the longest horizon per person.
        let start: DateTime<Utc> = crate::jst_day_start(*range.start());
        let end: DateTime<Utc> = crate::jst_day_start(*range.end()) + chrono::Duration::days(1);
        let visions = async {
            let rows: Vec<(i64, Option<i64>)> = self
                .fetch_packed(
                    &Query::select()
                        .column(Dialogues::SubjectPersonId)
                        .column(VisionColumns::VisionHorizon)
                        .from(Dialogues::Table)
                        .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Dialogues::StartsAt).gte(start))
                        .and_where(Expr::col(Dialogues::StartsAt).lt(end))
                        .and_where(Expr::col(Dialogues::State).eq("held"))
                        .and_where(Expr::col(VisionColumns::VisionHorizon).is_not_null())
                        .to_owned(),
                    2,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        // Commitments that count, starting that year, being practised.
        let practised = async {
            let rows: Vec<(i64,)> = self
                .fetch_packed(
                    &Query::select()
                        .column(Commitments::SubjectPersonId)
                        .from(Commitments::Table)
                        .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Commitments::Replaced).eq(false))
                        .and_where(Expr::col(Commitments::Objective).eq(true))
                        .and_where(Expr::col(Commitments::HasStart).eq(true))
                        .and_where(Expr::col(Commitments::ConfirmedAt).is_not_null())
                        .and_where(Expr::col(Commitments::Status).is_in([
                            "started",
                            "continuing",
                            "done",
                        ]))
                        .and_where(Expr::col(Commitments::StartsOn).gte(*range.start()))
                        .and_where(Expr::col(Commitments::StartsOn).lte(*range.end()))
                        .to_owned(),
                    1,
                )
                .await?;
            Ok::<_, crate::StoreError>(rows)
        };
        let ((rating_year, ratings), visions, practised) =
            tokio::try_join!(ratings, visions, practised)?;
        Ok(AutonomyInputs {
            rating_year,
            ratings,
            visions,
            practised: practised.into_iter().map(|(p,)| p).collect(),
        })
    }
}

/// The autonomy judgement's reads of one fiscal year, before they meet a population.
#[derive(Debug, Clone, Default)]
pub struct AutonomyInputs {
    rating_year: Option<i32>,
    ratings: Vec<(i64, String)>,
    visions: Vec<(i64, Option<i64>)>,
    practised: HashSet<i64>,
}

impl AutonomyInputs {
    /// The facts of each of `people`, ratings valued on `scale`.
    pub fn facts(
        self,
        people: impl IntoIterator<Item = i64>,
        scale: &domain::rating::RatingScale,
    ) -> YearFacts {
        let mut rating_of: HashMap<i64, f64> = HashMap::new();
        let mut all_ratings = Vec::new();
        for (p, r) in self.ratings {
            if let Some(v) = scale.value(&r) {
                rating_of.insert(p, v);
                all_ratings.push(v);
            }
        }
        let mut horizon_of: HashMap<i64, u8> = HashMap::new();
        for (p, h) in self.visions {
            let h = h.unwrap_or(0).clamp(0, 255) as u8;
            let e = horizon_of.entry(p).or_insert(0);
            *e = std::cmp::max(*e, h);
        }
        YearFacts {
            people: people
                .into_iter()
                .map(|p| {
                    (
                        PersonId(p),
                        Facts {
                            rating: rating_of.get(&p).copied(),
                            vision_horizon: horizon_of.get(&p).copied(),
                            practised: self.practised.contains(&p),
                        },
                    )
                })
                .collect(),
            ratings: all_ratings,
            rating_year: self.rating_year,
        }
    }
}
