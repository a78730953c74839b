//! 節目プログラム storage: programmes and their frozen cohort, each participant's steps,
//! training sessions (研修) and the placement into them, and the facts the funnel is
//! computed from (`domain::programme`).
//!
//! The cohort is selected by the programme's rule once, at launch, and written as
//! participant rows: people who later come to match the rule are not added silently
//! (HR adds late joiners by hand), and people who leave the company stay in the history.

use crate::schema::{
    AnchorResults, BehaviourEvaluations, Commitments, DialogueOutcome, Dialogues, FeedbackReports,
    People, ProgrammeFiles, ProgrammeParticipants as Pp, Programmes, TrainingSessions as Ts, Users,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use domain::behaviour::Change;
use domain::calendar::{FiscalCalendar, FiscalYear};
use domain::programme::{Candidate, CohortRule, Progress, Template};
use domain::training::Style;
use sea_query::{Expr, ExprTrait, Order, Query};
use std::collections::{HashMap, HashSet};

/// A programme to launch.
#[derive(Debug, Clone)]
pub struct NewProgramme {
    pub fiscal_year: i32,
    pub name: String,
    pub template: Template,
    pub rule: CohortRule,
    /// 業務命令: participation is required.
    pub mandatory: bool,
    /// The pre-learning text (事前学習) participants read before training.
    pub pre_learning: String,
    /// Workshop group sizes.
    pub group_min: usize,
    pub group_max: usize,
}

/// A programme as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Programme {
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub template: Template,
    pub rule: CohortRule,
    pub mandatory: bool,
    pub pre_learning: String,
    pub group_min: usize,
    pub group_max: usize,
    pub created_at: DateTime<Utc>,
    /// Participants, leavers included.
    pub participants: i64,
    /// HR cancelled it: its history is kept; it shows on nobody's マイキャリア.
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A participant with the person's identity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Participant {
    pub person: PersonId,
    pub employee_number: String,
    pub name: String,
    pub department: Option<String>,
    pub department_id: Option<i64>,
    /// The person's status in the employee master.
    pub status: domain::PersonStatus,
    pub added_at: DateTime<Utc>,
    /// Added by hand after launch.
    pub late_joiner: bool,
    pub pre_learning_done_at: Option<DateTime<Utc>>,
    pub session: Option<i64>,
    /// The session was chosen by hand (an override the placement button keeps).
    pub pinned: bool,
    /// Workshop group number within the session (1-based).
    pub group_no: Option<i64>,
}

impl Participant {
    pub fn left(&self) -> bool {
        self.status == domain::PersonStatus::Left
    }
}

/// A training session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrainingSession {
    pub id: i64,
    pub programme: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub capacity: usize,
    pub instructor: UserId,
    pub instructor_name: String,
    pub style: Style,
}

/// A session to add.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub capacity: usize,
    pub instructor: UserId,
    pub style: Style,
}

/// Where each participant goes: person, session (none: unplaced), workshop group.
pub type Placement = (PersonId, Option<i64>, Option<i64>);

type ProgrammeRow = (
    i64,
    i64,
    String,
    String,
    String,
    bool,
    String,
    i64,
    i64,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

type SessionRow = (
    i64,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
    i64,
    i64,
    String,
    String,
);

/// A programme's pre-learning file, without its bytes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileInfo {
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
}

impl Store {
    /// Keeps `bytes` as the programme's pre-learning file, replacing an earlier one.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_pre_learning_file(
        &self,
        tenant: TenantId,
        programme: i64,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(ProgrammeFiles::Table)
                .and_where(Expr::col(ProgrammeFiles::TenantId).eq(tenant.0))
                .and_where(Expr::col(ProgrammeFiles::ProgrammeId).eq(programme))
                .to_owned(),
        )
        .await?;
        let size = bytes.len() as i64;
        tx.execute(
            &Query::insert()
                .into_table(ProgrammeFiles::Table)
                .columns([
                    ProgrammeFiles::TenantId,
                    ProgrammeFiles::ProgrammeId,
                    ProgrammeFiles::FileName,
                    ProgrammeFiles::ContentType,
                    ProgrammeFiles::Bytes,
                    ProgrammeFiles::Size,
                    ProgrammeFiles::UploadedByUserId,
                    ProgrammeFiles::UploadedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    programme.into(),
                    file_name.into(),
                    content_type.into(),
                    bytes.into(),
                    size.into(),
                    by.0.into(),
                    at.into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await
    }

    /// Changes the programme's pre-learning text.
    pub async fn set_pre_learning_text(
        &self,
        tenant: TenantId,
        programme: i64,
        text: &str,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Programmes::Table)
                .value(Programmes::PreLearning, text)
                .and_where(Expr::col(Programmes::TenantId).eq(tenant.0))
                .and_where(Expr::col(Programmes::Id).eq(programme))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Removes the programme's pre-learning file (true when there was one).
    pub async fn remove_pre_learning_file(&self, tenant: TenantId, programme: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(ProgrammeFiles::Table)
                    .and_where(Expr::col(ProgrammeFiles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ProgrammeFiles::ProgrammeId).eq(programme))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn pre_learning_file_info(
        &self,
        tenant: TenantId,
        programme: i64,
    ) -> Result<Option<FileInfo>> {
        let row: Option<(String, String, i64, DateTime<Utc>)> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        ProgrammeFiles::FileName,
                        ProgrammeFiles::ContentType,
                        ProgrammeFiles::Size,
                        ProgrammeFiles::UploadedAt,
                    ])
                    .from(ProgrammeFiles::Table)
                    .and_where(Expr::col(ProgrammeFiles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ProgrammeFiles::ProgrammeId).eq(programme))
                    .to_owned(),
            )
            .await?;
        Ok(
            row.map(|(file_name, content_type, size, uploaded_at)| FileInfo {
                file_name,
                content_type,
                size,
                uploaded_at,
            }),
        )
    }

    /// The file itself: (info, bytes).
    pub async fn pre_learning_file(
        &self,
        tenant: TenantId,
        programme: i64,
    ) -> Result<Option<(FileInfo, Vec<u8>)>> {
        type Row = (String, String, i64, DateTime<Utc>, Vec<u8>);
        let row: Option<Row> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        ProgrammeFiles::FileName,
                        ProgrammeFiles::ContentType,
                        ProgrammeFiles::Size,
                        ProgrammeFiles::UploadedAt,
                        ProgrammeFiles::Bytes,
                    ])
                    .from(ProgrammeFiles::Table)
                    .and_where(Expr::col(ProgrammeFiles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ProgrammeFiles::ProgrammeId).eq(programme))
                    .to_owned(),
            )
            .await?;
        Ok(
            row.map(|(file_name, content_type, size, uploaded_at, bytes)| {
                (
                    FileInfo {
                        file_name,
                        content_type,
                        size,
                        uploaded_at,
                    },
                    bytes,
                )
            }),
        )
    }

    /// Everyone the rule selects for fiscal year `fy` among current employees, by
    /// employee number.
    pub async fn cohort_of(
        &self,
        tenant: TenantId,
        rule: &CohortRule,
        cal: &FiscalCalendar,
        fy: FiscalYear,
    ) -> Result<Vec<PersonId>> {
        let unit: Option<HashSet<i64>> = match &rule.department {
            None => None,
            Some(code) => Some(self.department_subtree(tenant, code).await?),
        };
        let mut q = Query::select();
        q.columns([
            People::Id,
            People::BirthDate,
            People::HireDate,
            People::Grade,
            People::DepartmentId,
        ])
        .from(People::Table)
        .and_where(Expr::col(People::TenantId).eq(tenant.0))
        .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
        .order_by(People::EmployeeNumber, Order::Asc);
        // Narrow by birth dates in the database when the rule names one age.
        if let [age] = rule.ages[..] {
            let r = cal.birth_range_turning(age, fy);
            q.and_where(Expr::col(People::BirthDate).between(*r.start(), *r.end()));
        }
        type Row = (
            i64,
            Option<NaiveDate>,
            Option<NaiveDate>,
            String,
            Option<i64>,
        );
        let rows: Vec<Row> = self.fetch_all(&q).await?;
        let managers: HashSet<i64> = if rule.managers {
            self.direct_report_counts(tenant)
                .await?
                .into_keys()
                .collect()
        } else {
            HashSet::new()
        };
        Ok(rows
            .into_iter()
            .filter(|(id, birth, hire, grade, dept)| {
                rule.matches(
                    cal,
                    fy,
                    &Candidate {
                        birth_date: *birth,
                        hire_date: *hire,
                        grade,
                        in_unit: match (&unit, dept) {
                            (Some(u), Some(d)) => u.contains(d),
                            (Some(_), None) => false,
                            (None, _) => true,
                        },
                        is_manager: managers.contains(id),
                    },
                )
            })
            .map(|(id, ..)| PersonId(id))
            .collect())
    }

    /// Who the rule cannot judge, and why: current people in its unit without the birth
    /// date an age rule needs, or the hire date a tenure rule needs — left out of the
    /// cohort. (employee number, name, reason key `birth_date`/`hire_date`), by employee
    /// number, at most `limit`, and how many in all.
    pub async fn cohort_gaps(
        &self,
        tenant: TenantId,
        rule: &CohortRule,
        limit: usize,
    ) -> Result<(Vec<(String, String, &'static str)>, usize)> {
        if rule.ages.is_empty() && rule.tenures.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let unit: Option<HashSet<i64>> = match &rule.department {
            None => None,
            Some(code) => Some(self.department_subtree(tenant, code).await?),
        };
        let mut q = Query::select();
        q.columns([
            People::EmployeeNumber,
            People::Name,
            People::BirthDate,
            People::HireDate,
            People::DepartmentId,
        ])
        .from(People::Table)
        .and_where(Expr::col(People::TenantId).eq(tenant.0))
        .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
        .order_by(People::EmployeeNumber, Order::Asc);
        let mut missing = sea_query::Cond::any();
        if !rule.ages.is_empty() {
            missing = missing.add(Expr::col(People::BirthDate).is_null());
        }
        if !rule.tenures.is_empty() {
            missing = missing.add(Expr::col(People::HireDate).is_null());
        }
        q.cond_where(missing);
        type Row = (
            String,
            String,
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<i64>,
        );
        let rows: Vec<Row> = self.fetch_all(&q).await?;
        let gaps: Vec<(String, String, &'static str)> = rows
            .into_iter()
            .filter(|(_, _, _, _, dept)| match (&unit, dept) {
                (Some(u), Some(d)) => u.contains(d),
                (Some(_), None) => false,
                (None, _) => true,
            })
            .map(|(number, name, birth, _, _)| {
                let reason = if !rule.ages.is_empty() && birth.is_none() {
                    "birth_date"
                } else {
                    "hire_date"
                };
                (number, name, reason)
            })
            .collect();
        let total = gaps.len();
        Ok((gaps.into_iter().take(limit).collect(), total))
    }

    /// Current people with direct reports: manager → how many (leavers not counted).
    pub async fn direct_report_counts(&self, tenant: TenantId) -> Result<HashMap<i64, i64>> {
        let rows: Vec<(Option<i64>, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(People::ManagerId)
                    .expr(Expr::col(People::Id).count())
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
                    .and_where(Expr::col(People::ManagerId).is_not_null())
                    .group_by_col(People::ManagerId)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, n)| m.map(|m| (m, n)))
            .collect())
    }

    /// 1on1s (上司との1on1) held from `from` on by the participants of a programme, as
    /// their accounts facilitated them: manager person → (report person, start).
    pub async fn one_on_ones_held_by_participants(
        &self,
        tenant: TenantId,
        programme: i64,
        from: DateTime<Utc>,
    ) -> Result<HashMap<i64, Vec<(i64, DateTime<Utc>)>>> {
        let rows: Vec<(i64, i64, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .column((Users::Table, Users::PersonId))
                    .column((Dialogues::Table, Dialogues::SubjectPersonId))
                    .column((Dialogues::Table, Dialogues::StartsAt))
                    .from(Dialogues::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((Dialogues::Table, Dialogues::FacilitatorUserId)),
                    )
                    .and_where(Expr::col((Dialogues::Table, Dialogues::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Dialogues::Table, Dialogues::Kind)).eq("one_on_one"))
                    .and_where(Expr::col((Dialogues::Table, Dialogues::State)).eq("held"))
                    .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).gte(from))
                    .and_where(
                        Expr::col((Users::Table, Users::PersonId)).in_subquery(
                            Query::select()
                                .column(Pp::PersonId)
                                .from(Pp::Table)
                                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                                .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            )
            .await?;
        let mut out: HashMap<i64, Vec<(i64, DateTime<Utc>)>> = HashMap::new();
        for (manager, report, at) in rows {
            out.entry(manager).or_default().push((report, at));
        }
        Ok(out)
    }

    /// Launches a programme with its cohort frozen as participants, in one transaction.
    /// `Ok(None)` when the rule selects nobody: no empty programme is created.
    pub async fn create_programme(
        &self,
        tenant: TenantId,
        new: &NewProgramme,
        cal: &FiscalCalendar,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, usize)>> {
        let cohort = self
            .cohort_of(tenant, &new.rule, cal, FiscalYear(new.fiscal_year))
            .await?;
        if cohort.is_empty() {
            return Ok(None);
        }
        let rule = serde_json::to_string(&new.rule)
            .map_err(|e| StoreError::Integrity(format!("programme rule: {e}")))?;
        let mut tx = self.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(Programmes::Table)
                    .columns([
                        Programmes::TenantId,
                        Programmes::FiscalYear,
                        Programmes::Name,
                        Programmes::Template,
                        Programmes::Rule,
                        Programmes::Mandatory,
                        Programmes::PreLearning,
                        Programmes::GroupMin,
                        Programmes::GroupMax,
                        Programmes::CreatedByUserId,
                        Programmes::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        i64::from(new.fiscal_year).into(),
                        new.name.clone().into(),
                        new.template.key().into(),
                        rule.into(),
                        new.mandatory.into(),
                        new.pre_learning.clone().into(),
                        (new.group_min as i64).into(),
                        (new.group_max as i64).into(),
                        by.0.into(),
                        at.into(),
                    ])
                    .returning_col(Programmes::Id)
                    .to_owned(),
            )
            .await?;
        for chunk in cohort.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(Pp::Table).columns([
                Pp::TenantId,
                Pp::ProgrammeId,
                Pp::PersonId,
                Pp::AddedAt,
            ]);
            for p in chunk {
                insert.values_panic([tenant.0.into(), id.into(), p.0.into(), at.into()]);
            }
            tx.execute(&insert).await?;
        }
        tx.commit().await?;
        Ok(Some((id, cohort.len())))
    }

    fn select_programmes() -> sea_query::SelectStatement {
        Query::select()
            .columns([
                Programmes::Id,
                Programmes::FiscalYear,
                Programmes::Name,
                Programmes::Template,
                Programmes::Rule,
                Programmes::Mandatory,
                Programmes::PreLearning,
                Programmes::GroupMin,
                Programmes::GroupMax,
                Programmes::CreatedAt,
                Programmes::CancelledAt,
            ])
            .from(Programmes::Table)
            .to_owned()
    }

    async fn programmes_from(
        &self,
        tenant: TenantId,
        rows: Vec<ProgrammeRow>,
    ) -> Result<Vec<Programme>> {
        let counts: Vec<(i64, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(Pp::ProgrammeId)
                    .expr(Expr::col(Pp::Id).count())
                    .from(Pp::Table)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .group_by_col(Pp::ProgrammeId)
                    .to_owned(),
            )
            .await?;
        let counts: HashMap<i64, i64> = counts.into_iter().collect();
        rows.into_iter()
            .map(
                |(
                    id,
                    fy,
                    name,
                    template,
                    rule,
                    mandatory,
                    pre,
                    min,
                    max,
                    created_at,
                    cancelled_at,
                )| {
                    Ok(Programme {
                        id,
                        fiscal_year: fy as i32,
                        name,
                        template: Template::parse(&template).ok_or_else(|| {
                            StoreError::Integrity(format!("programme template '{template}'"))
                        })?,
                        rule: serde_json::from_str(&rule)
                            .map_err(|e| StoreError::Integrity(format!("programme rule: {e}")))?,
                        mandatory,
                        pre_learning: pre,
                        group_min: Ord::max(min, 1) as usize,
                        group_max: Ord::max(max, 1) as usize,
                        created_at,
                        participants: counts.get(&id).copied().unwrap_or(0),
                        cancelled_at,
                    })
                },
            )
            .collect()
    }

    /// Every programme, newest fiscal year first.
    pub async fn programmes(&self, tenant: TenantId) -> Result<Vec<Programme>> {
        let rows: Vec<ProgrammeRow> = self
            .fetch_all(
                &Self::select_programmes()
                    .and_where(Expr::col(Programmes::TenantId).eq(tenant.0))
                    .order_by(Programmes::FiscalYear, Order::Desc)
                    .order_by(Programmes::Id, Order::Desc)
                    .to_owned(),
            )
            .await?;
        self.programmes_from(tenant, rows).await
    }

    pub async fn programme(&self, tenant: TenantId, id: i64) -> Result<Option<Programme>> {
        let rows: Vec<ProgrammeRow> = self
            .fetch_all(
                &Self::select_programmes()
                    .and_where(Expr::col(Programmes::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Programmes::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(self.programmes_from(tenant, rows).await?.pop())
    }

    /// Cancels a programme (once): its history stays; it leaves everyone's マイキャリア,
    /// and the pairs it made that are still open end with it (same transaction). False
    /// when it was cancelled already.
    pub async fn cancel_programme(&self, tenant: TenantId, id: i64, by: UserId) -> Result<bool> {
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let n = tx
            .execute(
                &Query::update()
                    .table(Programmes::Table)
                    .value(Programmes::CancelledAt, now)
                    .value(Programmes::CancelledByUserId, by.0)
                    .and_where(Expr::col(Programmes::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Programmes::Id).eq(id))
                    .and_where(Expr::col(Programmes::CancelledAt).is_null())
                    .to_owned(),
            )
            .await?;
        if n == 1 {
            use crate::schema::Pairs;
            use domain::pairing::PairStatus;
            tx.execute(
                &Query::update()
                    .table(Pairs::Table)
                    .value(Pairs::Status, PairStatus::Ended.key())
                    .value(Pairs::Awaiting, Option::<String>::None)
                    .value(Pairs::UpdatedAt, now)
                    .and_where(Expr::col(Pairs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pairs::ProgrammeId).eq(id))
                    .and_where(
                        Expr::col(Pairs::Status)
                            .is_in([PairStatus::Invited.key(), PairStatus::Active.key()]),
                    )
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The programmes a person takes part in (cancelled ones left out), newest first.
    pub async fn programmes_of_person(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<Programme>> {
        let rows: Vec<ProgrammeRow> = self
            .fetch_all(
                &Self::select_programmes()
                    .and_where(Expr::col(Programmes::TenantId).eq(tenant.0))
                    .and_where(
                        Expr::col(Programmes::Id).in_subquery(
                            Query::select()
                                .column(Pp::ProgrammeId)
                                .from(Pp::Table)
                                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                                .and_where(Expr::col(Pp::PersonId).eq(person.0))
                                .to_owned(),
                        ),
                    )
                    .and_where(Expr::col(Programmes::CancelledAt).is_null())
                    .order_by(Programmes::FiscalYear, Order::Desc)
                    .order_by(Programmes::Id, Order::Desc)
                    .to_owned(),
            )
            .await?;
        self.programmes_from(tenant, rows).await
    }

    /// A programme's participants by employee number, leavers included.
    pub async fn participants(&self, tenant: TenantId, programme: i64) -> Result<Vec<Participant>> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            String,
            DateTime<Utc>,
            bool,
            Option<DateTime<Utc>>,
            Option<i64>,
            bool,
            Option<i64>,
            Option<i64>,
        );
        let rows: Vec<Row> = self
            .fetch_all(
                &Query::select()
                    .column((People::Table, People::Id))
                    .column((People::Table, People::EmployeeNumber))
                    .column((People::Table, People::Name))
                    .expr(Expr::col((
                        crate::schema::Departments::Table,
                        crate::schema::Departments::Name,
                    )))
                    .column((People::Table, People::Status))
                    .columns([
                        (Pp::Table, Pp::AddedAt),
                        (Pp::Table, Pp::LateJoiner),
                        (Pp::Table, Pp::PreLearningDoneAt),
                        (Pp::Table, Pp::SessionId),
                        (Pp::Table, Pp::Pinned),
                        (Pp::Table, Pp::GroupNo),
                    ])
                    .column((People::Table, People::DepartmentId))
                    .from(Pp::Table)
                    .inner_join(
                        People::Table,
                        Expr::col((People::Table, People::Id)).equals((Pp::Table, Pp::PersonId)),
                    )
                    .left_join(
                        crate::schema::Departments::Table,
                        Expr::col((
                            crate::schema::Departments::Table,
                            crate::schema::Departments::Id,
                        ))
                        .equals((People::Table, People::DepartmentId)),
                    )
                    .and_where(Expr::col((Pp::Table, Pp::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Pp::Table, Pp::ProgrammeId)).eq(programme))
                    .order_by((People::Table, People::EmployeeNumber), Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    number,
                    name,
                    department,
                    status,
                    added_at,
                    late,
                    pre,
                    session,
                    pinned,
                    group_no,
                    department_id,
                )| {
                    Ok(Participant {
                        person: PersonId(id),
                        employee_number: number,
                        name,
                        department,
                        department_id,
                        status: domain::PersonStatus::try_from(status)
                            .map_err(StoreError::Integrity)?,
                        added_at,
                        late_joiner: late,
                        pre_learning_done_at: pre,
                        session,
                        pinned,
                        group_no,
                    })
                },
            )
            .collect()
    }

    /// Adds someone after launch (a late joiner). `Conflict` when already in.
    pub async fn add_participant(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(Pp::Table)
                .columns([
                    Pp::TenantId,
                    Pp::ProgrammeId,
                    Pp::PersonId,
                    Pp::AddedAt,
                    Pp::LateJoiner,
                ])
                .values_panic([
                    tenant.0.into(),
                    programme.into(),
                    person.0.into(),
                    at.into(),
                    true.into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => StoreError::Conflict("programme_participants.person"),
            e => e,
        })?;
        Ok(())
    }

    /// The participant marks the pre-learning as done (the first time counts).
    pub async fn mark_pre_learning_done(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Pp::Table)
                    .value(Pp::PreLearningDoneAt, at)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .and_where(Expr::col(Pp::PreLearningDoneAt).is_null())
                    .to_owned(),
            )
            .await?;
        if n == 0 && !self.is_participant(tenant, programme, person).await? {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn is_participant(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
    ) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Pp::Id)
                    .from(Pp::Table)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    fn select_sessions() -> sea_query::SelectStatement {
        Query::select()
            .columns([
                (Ts::Table, Ts::Id),
                (Ts::Table, Ts::ProgrammeId),
                (Ts::Table, Ts::StartsAt),
                (Ts::Table, Ts::EndsAt),
                (Ts::Table, Ts::Place),
                (Ts::Table, Ts::Capacity),
                (Ts::Table, Ts::InstructorUserId),
            ])
            .column((Users::Table, Users::Name))
            .column((Ts::Table, Ts::Style))
            .from(Ts::Table)
            .inner_join(
                Users::Table,
                Expr::col((Users::Table, Users::Id)).equals((Ts::Table, Ts::InstructorUserId)),
            )
            .order_by((Ts::Table, Ts::StartsAt), Order::Asc)
            .order_by((Ts::Table, Ts::Id), Order::Asc)
            .to_owned()
    }

    /// The tenant's sessions meeting every condition, earliest first.
    async fn sessions_where(
        &self,
        tenant: TenantId,
        conditions: impl IntoIterator<Item = sea_query::Expr>,
    ) -> Result<Vec<TrainingSession>> {
        let mut q = Self::select_sessions();
        q.and_where(Expr::col((Ts::Table, Ts::TenantId)).eq(tenant.0));
        for c in conditions {
            q.and_where(c);
        }
        let rows: Vec<SessionRow> = self.fetch_all(&q).await?;
        rows.into_iter()
            .map(
                |(id, programme, starts_at, ends_at, place, capacity, instructor, name, style)| {
                    Ok(TrainingSession {
                        id,
                        programme,
                        starts_at,
                        ends_at,
                        place,
                        capacity: Ord::max(capacity, 0) as usize,
                        instructor: UserId(instructor),
                        instructor_name: name,
                        style: Style::parse(&style).ok_or_else(|| {
                            StoreError::Integrity(format!("session style '{style}'"))
                        })?,
                    })
                },
            )
            .collect()
    }

    /// A programme's sessions, earliest first.
    pub async fn training_sessions(
        &self,
        tenant: TenantId,
        programme: i64,
    ) -> Result<Vec<TrainingSession>> {
        self.sessions_where(
            tenant,
            [Expr::col((Ts::Table, Ts::ProgrammeId)).eq(programme)],
        )
        .await
    }

    /// Sessions (of any programme) starting in `[from, to)`, earliest first.
    pub async fn sessions_starting_between(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<TrainingSession>> {
        self.sessions_where(
            tenant,
            [
                Expr::col((Ts::Table, Ts::StartsAt)).gte(from),
                Expr::col((Ts::Table, Ts::StartsAt)).lt(to),
            ],
        )
        .await
    }

    /// The sessions an instructor runs, earliest first.
    pub async fn sessions_of_instructor(
        &self,
        tenant: TenantId,
        instructor: UserId,
    ) -> Result<Vec<TrainingSession>> {
        self.sessions_where(
            tenant,
            [Expr::col((Ts::Table, Ts::InstructorUserId)).eq(instructor.0)],
        )
        .await
    }

    pub async fn training_session(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<Option<TrainingSession>> {
        Ok(self
            .sessions_where(tenant, [Expr::col((Ts::Table, Ts::Id)).eq(id)])
            .await?
            .pop())
    }

    /// Adds a session. `Ok(Err(other))` when the instructor already runs `other` at an
    /// overlapping time (in any programme): nothing is written.
    pub async fn add_training_session(
        &self,
        tenant: TenantId,
        programme: i64,
        new: &NewSession,
    ) -> Result<std::result::Result<i64, TrainingSession>> {
        let clash = self
            .sessions_of_instructor(tenant, new.instructor)
            .await?
            .into_iter()
            .find(|s| s.starts_at < new.ends_at && new.starts_at < s.ends_at);
        if let Some(other) = clash {
            return Ok(Err(other));
        }
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(Ts::Table)
                    .columns([
                        Ts::TenantId,
                        Ts::ProgrammeId,
                        Ts::StartsAt,
                        Ts::EndsAt,
                        Ts::Place,
                        Ts::Capacity,
                        Ts::InstructorUserId,
                        Ts::Style,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        programme.into(),
                        new.starts_at.into(),
                        new.ends_at.into(),
                        new.place.clone().into(),
                        (new.capacity as i64).into(),
                        new.instructor.0.into(),
                        new.style.key().into(),
                    ])
                    .returning_col(Ts::Id)
                    .to_owned(),
            )
            .await?;
        Ok(Ok(id))
    }

    /// Removes a session; the people placed in it (by hand or by the button) go back to
    /// unplaced, in the same transaction. False when there was no such session.
    pub async fn remove_training_session(
        &self,
        tenant: TenantId,
        programme: i64,
        session: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::update()
                .table(Pp::Table)
                .value(Pp::SessionId, Option::<i64>::None)
                .value(Pp::Pinned, false)
                .value(Pp::GroupNo, Option::<i64>::None)
                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                .and_where(Expr::col(Pp::SessionId).eq(session))
                .to_owned(),
        )
        .await?;
        let n = tx
            .execute(
                &Query::delete()
                    .from_table(Ts::Table)
                    .and_where(Expr::col(Ts::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Ts::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Ts::Id).eq(session))
                    .to_owned(),
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// A department's name by its code.
    pub async fn department_name(&self, tenant: TenantId, code: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(crate::schema::Departments::Name)
                    .from(crate::schema::Departments::Table)
                    .and_where(Expr::col(crate::schema::Departments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(crate::schema::Departments::Code).eq(code))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(n,)| n))
    }

    /// Writes a placement (from the placement button) in one transaction: each listed
    /// participant's session and group. Pinned participants keep their session; their
    /// group is updated.
    pub async fn save_placement(
        &self,
        tenant: TenantId,
        programme: i64,
        placement: &[Placement],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for (person, session, group) in placement {
            tx.execute(
                &Query::update()
                    .table(Pp::Table)
                    .value(
                        Pp::SessionId,
                        Expr::case(Expr::col(Pp::Pinned).eq(true), Expr::col(Pp::SessionId))
                            .finally(Expr::val(*session)),
                    )
                    .value(Pp::GroupNo, *group)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await
    }

    /// HR places someone by hand (kept by the placement button), or releases them back to
    /// it with `None`. Groups of the affected sessions are cleared until the next placement.
    pub async fn pin_participant(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
        session: Option<i64>,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Pp::Table)
                    .value(Pp::SessionId, session)
                    .value(Pp::Pinned, session.is_some())
                    .value(Pp::GroupNo, Option::<i64>::None)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Each participant's next scheduled milestone interview (from the start of the
    /// programme's fiscal year), with its facilitator: person → (start, facilitator).
    pub async fn scheduled_interviews(
        &self,
        tenant: TenantId,
        programme: &Programme,
        cal: &FiscalCalendar,
    ) -> Result<HashMap<i64, (DateTime<Utc>, UserId)>> {
        let fy_start = crate::jst_day_start(*cal.range(FiscalYear(programme.fiscal_year)).start());
        let rows: Vec<(i64, DateTime<Utc>, i64)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        Dialogues::SubjectPersonId,
                        Dialogues::StartsAt,
                        Dialogues::FacilitatorUserId,
                    ])
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Kind).eq("milestone_interview"))
                    .and_where(Expr::col(Dialogues::State).eq("scheduled"))
                    .and_where(Expr::col(Dialogues::StartsAt).gte(fy_start))
                    .and_where(
                        Expr::col(Dialogues::SubjectPersonId).in_subquery(
                            Query::select()
                                .column(Pp::PersonId)
                                .from(Pp::Table)
                                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                                .and_where(Expr::col(Pp::ProgrammeId).eq(programme.id))
                                .to_owned(),
                        ),
                    )
                    .order_by(Dialogues::StartsAt, Order::Desc)
                    .to_owned(),
            )
            .await?;
        // Earliest wins: rows come latest first.
        Ok(rows
            .into_iter()
            .map(|(p, at, by)| (p, (at, UserId(by))))
            .collect())
    }

    /// Everything the funnel and the paths need, per participant (same order as
    /// [`Store::participants`]). Interviews are the participant's held milestone
    /// interviews from the start of the programme's fiscal year on; a session counts as
    /// training done once it has ended by `now`.
    pub async fn programme_progress(
        &self,
        tenant: TenantId,
        programme: &Programme,
        cal: &FiscalCalendar,
        now: DateTime<Utc>,
    ) -> Result<Vec<(Participant, Progress)>> {
        let participants = self.participants(tenant, programme.id).await?;
        let fy_start = crate::jst_day_start(*cal.range(FiscalYear(programme.fiscal_year)).start());
        let in_programme = || {
            Query::select()
                .column(Pp::PersonId)
                .from(Pp::Table)
                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                .and_where(Expr::col(Pp::ProgrammeId).eq(programme.id))
                .to_owned()
        };
        let anchors: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .distinct()
                    .column(AnchorResults::PersonId)
                    .from(AnchorResults::Table)
                    .and_where(Expr::col(AnchorResults::TenantId).eq(tenant.0))
                    .and_where(Expr::col(AnchorResults::TakenAt).gte(fy_start))
                    .and_where(Expr::col(AnchorResults::PersonId).in_subquery(in_programme()))
                    .to_owned(),
            )
            .await?;
        let anchors: HashSet<i64> = anchors.into_iter().map(|(p,)| p).collect();
        let ended: HashSet<i64> = self
            .training_sessions(tenant, programme.id)
            .await?
            .into_iter()
            .filter(|s| s.ends_at <= now)
            .map(|s| s.id)
            .collect();
        let interviews: Vec<(i64, i64, Option<String>)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (Dialogues::Table, Dialogues::Id),
                        (Dialogues::Table, Dialogues::SubjectPersonId),
                    ])
                    .column((Dialogues::Table, DialogueOutcome::Outcome))
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Kind).eq("milestone_interview"))
                    .and_where(Expr::col(Dialogues::State).eq("held"))
                    .and_where(Expr::col(Dialogues::StartsAt).gte(fy_start))
                    .and_where(Expr::col(Dialogues::SubjectPersonId).in_subquery(in_programme()))
                    .order_by(Dialogues::StartsAt, Order::Asc)
                    .order_by(Dialogues::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let mut held: HashMap<i64, (u32, Option<u32>)> = HashMap::new();
        let mut dialogue_ids = Vec::new();
        for (dialogue, person, outcome) in &interviews {
            let e = held.entry(*person).or_default();
            e.0 += 1;
            if e.1.is_none()
                && outcome.as_deref() == Some(domain::commitment::MilestoneOutcome::Committed.key())
            {
                e.1 = Some(e.0);
            }
            dialogue_ids.push(*dialogue);
        }
        let mut started: HashSet<i64> = HashSet::new();
        for chunk in dialogue_ids.chunks(500) {
            let rows: Vec<(i64,)> = self
                .fetch_all(
                    &Query::select()
                        .distinct()
                        .column(Commitments::SubjectPersonId)
                        .from(Commitments::Table)
                        .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Commitments::DialogueId).is_in(chunk.iter().copied()))
                        .and_where(Expr::col(Commitments::Replaced).eq(false))
                        .and_where(Expr::col(Commitments::Status).is_in([
                            "started",
                            "continuing",
                            "done",
                        ]))
                        .to_owned(),
                )
                .await?;
            started.extend(rows.into_iter().map(|(p,)| p));
        }
        let mut reported: HashSet<i64> = HashSet::new();
        for chunk in dialogue_ids.chunks(500) {
            let rows: Vec<(i64,)> = self
                .fetch_all(
                    &Query::select()
                        .distinct()
                        .column(FeedbackReports::SubjectPersonId)
                        .from(FeedbackReports::Table)
                        .and_where(Expr::col(FeedbackReports::TenantId).eq(tenant.0))
                        .and_where(
                            Expr::col(FeedbackReports::DialogueId).is_in(chunk.iter().copied()),
                        )
                        .and_where(Expr::col(FeedbackReports::SentAt).is_not_null())
                        .to_owned(),
                )
                .await?;
            reported.extend(rows.into_iter().map(|(p,)| p));
        }
        let evaluations: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([BehaviourEvaluations::PersonId, BehaviourEvaluations::Level])
                    .from(BehaviourEvaluations::Table)
                    .and_where(Expr::col(BehaviourEvaluations::TenantId).eq(tenant.0))
                    .and_where(
                        Expr::col(BehaviourEvaluations::FiscalYear)
                            .eq(i64::from(programme.fiscal_year)),
                    )
                    .and_where(
                        Expr::col(BehaviourEvaluations::PersonId).in_subquery(in_programme()),
                    )
                    .to_owned(),
            )
            .await?;
        let evaluation: HashMap<i64, Change> = evaluations
            .into_iter()
            .filter_map(|(p, l)| Change::parse(&l).map(|c| (p, c)))
            .collect();
        Ok(participants
            .into_iter()
            .map(|p| {
                let id = p.person.0;
                let (interviews, to_commit) = held.get(&id).copied().unwrap_or_default();
                let progress = Progress {
                    pre_learning: p.pre_learning_done_at.is_some(),
                    anchors: anchors.contains(&id),
                    placed: p.session.is_some(),
                    trained: p.session.is_some_and(|s| ended.contains(&s)),
                    interviews,
                    sessions_to_commitment: to_commit,
                    report_sent: reported.contains(&id),
                    started: to_commit.is_some() && started.contains(&id),
                    evaluation: evaluation.get(&id).copied(),
                    left: p.left(),
                };
                (p, progress)
            })
            .collect())
    }
}
