//! 面談・1on1 storage: consultant assignments, dialogues and recurring series, note items
//! (editable until the dialogue is closed, every earlier wording kept), the employee's
//! topics and reflection, and consent events. Texts written in a dialogue are sealed at
//! rest ([`crate::crypto`]). Who may read which item is decided by `domain::policy`;
//! this module returns what is stored, scoped by tenant.

use crate::schema::{
    ConsultantAssignments, ConsultationChoices, DialogueConsents, DialogueNoteRevisions,
    DialogueNotes, DialogueOutcome, DialogueSeries, DialogueTopics, Dialogues, People, Users,
    VisionColumns, WorksheetItems,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::dialogue::{
    Cadence, CarryOver, Consent, ConsentChange, DialogueKind, DialogueState, Visibility,
    WantedResponse,
};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};

/// A dialogue as stored, with the names of the two people in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dialogue {
    pub id: i64,
    pub kind: DialogueKind,
    pub subject: PersonId,
    pub subject_name: String,
    pub facilitator: UserId,
    pub facilitator_name: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub place: String,
    pub state: DialogueState,
    pub series_id: Option<i64>,
    pub created_by: UserId,
    pub closed_at: Option<DateTime<Utc>>,
    /// The employee's rating of how it went (1–5).
    pub subject_rating: Option<i64>,
    /// The employee's own reflection (opened).
    pub subject_reflection: Option<String>,
    pub reflected_at: Option<DateTime<Utc>>,
    /// How a milestone interview ended.
    pub outcome: Option<domain::commitment::MilestoneOutcome>,
    /// The career vision as the facilitator recorded it in this interview (opened).
    pub vision: Option<String>,
    /// Its horizon in years.
    pub vision_horizon: Option<i64>,
}

impl Dialogue {
    /// A dialogue is closed once it was held, cancelled or missed: its notes are then
    /// append-only.
    pub fn is_closed(&self) -> bool {
        self.state != DialogueState::Scheduled
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + chrono::Duration::minutes(self.duration_minutes)
    }
}

#[derive(sqlx::FromRow)]
struct DialogueRow {
    id: i64,
    kind: String,
    subject_person_id: i64,
    subject_name: String,
    facilitator_user_id: i64,
    facilitator_name: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    place: String,
    state: String,
    series_id: Option<i64>,
    created_by_user_id: i64,
    closed_at: Option<DateTime<Utc>>,
    subject_rating: Option<i64>,
    subject_reflection: Option<String>,
    reflected_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
    vision: Option<String>,
    vision_horizon: Option<i64>,
    tenant_id: i64,
}

/// The associated data that binds a sealed text to its tenant and dialogue.
fn aad(tenant: TenantId, dialogue: i64) -> String {
    format!("{}:{dialogue}", tenant.0)
}

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Integrity(format!("unknown {what} '{value}'"))
}

impl Store {
    fn open_dialogue(&self, r: DialogueRow) -> Result<Dialogue> {
        let tenant = TenantId(r.tenant_id);
        Ok(Dialogue {
            id: r.id,
            kind: DialogueKind::parse(&r.kind).ok_or_else(|| bad("dialogue kind", &r.kind))?,
            subject: PersonId(r.subject_person_id),
            subject_name: r.subject_name,
            facilitator: UserId(r.facilitator_user_id),
            facilitator_name: r.facilitator_name,
            starts_at: r.starts_at,
            duration_minutes: r.duration_minutes,
            place: r.place,
            state: DialogueState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
            series_id: r.series_id,
            created_by: UserId(r.created_by_user_id),
            closed_at: r.closed_at,
            subject_rating: r.subject_rating,
            subject_reflection: r
                .subject_reflection
                .map(|s| self.keys.open(&aad(tenant, r.id), &s))
                .transpose()?,
            reflected_at: r.reflected_at,
            outcome: r
                .outcome
                .map(|o| {
                    domain::commitment::MilestoneOutcome::from_key(&o)
                        .ok_or_else(|| bad("milestone outcome", &o))
                })
                .transpose()?,
            vision: r
                .vision
                .map(|v| self.keys.open(&aad(tenant, r.id), &v))
                .transpose()?,
            vision_horizon: r.vision_horizon,
        })
    }
}

fn select_dialogues(tenant: TenantId) -> SelectStatement {
    Query::select()
        .columns([
            (Dialogues::Table, Dialogues::Id),
            (Dialogues::Table, Dialogues::TenantId),
            (Dialogues::Table, Dialogues::Kind),
            (Dialogues::Table, Dialogues::SubjectPersonId),
            (Dialogues::Table, Dialogues::FacilitatorUserId),
            (Dialogues::Table, Dialogues::StartsAt),
            (Dialogues::Table, Dialogues::DurationMinutes),
            (Dialogues::Table, Dialogues::Place),
            (Dialogues::Table, Dialogues::State),
            (Dialogues::Table, Dialogues::SeriesId),
            (Dialogues::Table, Dialogues::CreatedByUserId),
            (Dialogues::Table, Dialogues::ClosedAt),
            (Dialogues::Table, Dialogues::SubjectRating),
            (Dialogues::Table, Dialogues::SubjectReflection),
            (Dialogues::Table, Dialogues::ReflectedAt),
        ])
        .column((Dialogues::Table, DialogueOutcome::Outcome))
        .column((Dialogues::Table, VisionColumns::Vision))
        .column((Dialogues::Table, VisionColumns::VisionHorizon))
        .expr_as(
            Expr::col((People::Table, People::Name)),
            Alias::new("subject_name"),
        )
        .expr_as(
            Expr::col((Users::Table, Users::Name)),
            Alias::new("facilitator_name"),
        )
        .from(Dialogues::Table)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id))
                .equals((Dialogues::Table, Dialogues::SubjectPersonId)),
        )
        .inner_join(
            Users::Table,
            Expr::col((Users::Table, Users::Id))
                .equals((Dialogues::Table, Dialogues::FacilitatorUserId)),
        )
        .and_where(Expr::col((Dialogues::Table, Dialogues::TenantId)).eq(tenant.0))
        .to_owned()
}

/// What booking needs.
#[derive(Debug, Clone)]
pub struct NewDialogue {
    pub kind: DialogueKind,
    pub subject: PersonId,
    pub facilitator: UserId,
    pub duration_minutes: u32,
    pub place: String,
    pub created_by: UserId,
    /// One start for a single dialogue; several for a series.
    pub starts: Vec<DateTime<Utc>>,
    /// Set for a recurring series.
    pub cadence: Option<Cadence>,
}

/// A note item, opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Note {
    pub id: i64,
    pub dialogue_id: i64,
    pub author: UserId,
    pub visibility: Visibility,
    pub carry_over: CarryOver,
    pub question_category: Option<String>,
    pub body: String,
    pub revision: i64,
    /// Added after the dialogue was closed (an addendum).
    pub after_close: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    dialogue_id: i64,
    author_user_id: i64,
    visibility: String,
    carry_over: String,
    question_category: Option<String>,
    body: String,
    revision: i64,
    after_close: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A note item as written or edited.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteInput {
    pub visibility: Visibility,
    pub carry_over: CarryOver,
    pub question_category: Option<String>,
    pub body: String,
}

/// An earlier wording of a note item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NoteRevision {
    pub revision: i64,
    pub visibility: Visibility,
    pub body: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
}

/// (revision, visibility, sealed body, written at, replaced at)
type RevisionRow = (i64, String, String, DateTime<Utc>, DateTime<Utc>);

/// What an edit of a note item did.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteEdit {
    Saved {
        revision: i64,
    },
    /// The item was changed elsewhere (another tab) after the revision this edit started
    /// from; nothing was written.
    Stale {
        latest: i64,
    },
    /// The dialogue is closed: items are append-only now; nothing was written.
    Closed,
    /// Only the author edits an item.
    NotAuthor,
}

/// A topic the employee wants to raise, with the response they want.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Topic {
    pub id: i64,
    pub wanted: WantedResponse,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// One consent event (同意): given, refused, withdrawn or confirmed, with what to withhold.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsentEvent {
    pub event: ConsentChange,
    pub withheld: String,
    pub recorded_by: UserId,
    /// Recorded by the employee themselves (their account is the dialogue's subject).
    pub by_subject: bool,
    pub recorded_at: DateTime<Utc>,
}

/// The consent in force after these events (oldest first), if any was recorded
/// (`domain::dialogue::consent_after` decides).
pub fn consent_in_force(events: &[ConsentEvent]) -> Option<Consent> {
    domain::dialogue::consent_after(events.iter().map(|e| domain::dialogue::ConsentStep {
        change: e.event,
        withheld: &e.withheld,
        by_subject: e.by_subject,
    }))
}

/// A consultant's assigned person, as their list shows them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct AssignedPerson {
    pub person_id: i64,
    pub name: String,
    pub employee_number: String,
    pub hire_date: Option<chrono::NaiveDate>,
}

/// An assignment as HR's list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct Assignment {
    pub consultant_user_id: i64,
    pub consultant_name: String,
    pub person_id: i64,
    pub person_name: String,
    pub employee_number: String,
    pub assigned_at: DateTime<Utc>,
}

impl Store {
    // ----- consultant assignments -----

    /// Assigns a consultant to a person (the policy has said yes). Assigning twice is a
    /// [`StoreError::Conflict`].
    pub async fn assign_consultant(
        &self,
        tenant: TenantId,
        consultant: UserId,
        person: PersonId,
        by: UserId,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(ConsultantAssignments::Table)
                .columns([
                    ConsultantAssignments::TenantId,
                    ConsultantAssignments::ConsultantUserId,
                    ConsultantAssignments::PersonId,
                    ConsultantAssignments::AssignedAt,
                    ConsultantAssignments::AssignedByUserId,
                ])
                .values_panic([
                    tenant.0.into(),
                    consultant.0.into(),
                    person.0.into(),
                    Utc::now().into(),
                    by.0.into(),
                ])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Ends an assignment. Dialogues already held stay with their facilitator.
    pub async fn unassign_consultant(
        &self,
        tenant: TenantId,
        consultant: UserId,
        person: PersonId,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(ConsultantAssignments::Table)
                    .and_where(Expr::col(ConsultantAssignments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ConsultantAssignments::ConsultantUserId).eq(consultant.0))
                    .and_where(Expr::col(ConsultantAssignments::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }

    pub async fn is_assigned(
        &self,
        tenant: TenantId,
        consultant: UserId,
        person: PersonId,
    ) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(ConsultantAssignments::Id)
                    .from(ConsultantAssignments::Table)
                    .and_where(Expr::col(ConsultantAssignments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ConsultantAssignments::ConsultantUserId).eq(consultant.0))
                    .and_where(Expr::col(ConsultantAssignments::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// The consultants who serve a person — assigned by HR or chosen by them — (user id,
    /// name), enabled accounts only, by name.
    pub async fn consultants_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<(UserId, String)>> {
        let mut rows: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .column((Users::Table, Users::Id))
                    .column((Users::Table, Users::Name))
                    .from(ConsultantAssignments::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id)).equals((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::ConsultantUserId,
                        )),
                    )
                    .and_where(
                        Expr::col((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::TenantId,
                        ))
                        .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::PersonId,
                        ))
                        .eq(person.0),
                    )
                    .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                    .to_owned(),
            )
            .await?;
        let chosen: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .column((Users::Table, Users::Id))
                    .column((Users::Table, Users::Name))
                    .from(ConsultationChoices::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id)).equals((
                            ConsultationChoices::Table,
                            ConsultationChoices::ConsultantUserId,
                        )),
                    )
                    .and_where(
                        Expr::col((ConsultationChoices::Table, ConsultationChoices::TenantId))
                            .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((ConsultationChoices::Table, ConsultationChoices::PersonId))
                            .eq(person.0),
                    )
                    .and_where(
                        Expr::col((ConsultationChoices::Table, ConsultationChoices::EndedAt))
                            .is_null(),
                    )
                    .and_where(Expr::col((Users::Table, Users::Disabled)).eq(false))
                    .to_owned(),
            )
            .await?;
        rows.extend(chosen);
        rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        rows.dedup_by_key(|r| r.0);
        Ok(rows.into_iter().map(|(id, n)| (UserId(id), n)).collect())
    }

    /// The people a consultant serves — assigned by HR or who chose them — by employee
    /// number.
    pub async fn assigned_people(
        &self,
        tenant: TenantId,
        consultant: UserId,
    ) -> Result<Vec<AssignedPerson>> {
        let columns = [
            (People::Table, People::Name),
            (People::Table, People::EmployeeNumber),
            (People::Table, People::HireDate),
        ];
        let mut out: Vec<AssignedPerson> = self
            .fetch_all(
                &Query::select()
                    .expr_as(
                        Expr::col((People::Table, People::Id)),
                        Alias::new("person_id"),
                    )
                    .columns(columns)
                    .from(ConsultantAssignments::Table)
                    .inner_join(
                        People::Table,
                        Expr::col((People::Table, People::Id)).equals((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::PersonId,
                        )),
                    )
                    .and_where(
                        Expr::col((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::TenantId,
                        ))
                        .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((
                            ConsultantAssignments::Table,
                            ConsultantAssignments::ConsultantUserId,
                        ))
                        .eq(consultant.0),
                    )
                    .to_owned(),
            )
            .await?;
        let chosen: Vec<AssignedPerson> = self
            .fetch_all(
                &Query::select()
                    .expr_as(
                        Expr::col((People::Table, People::Id)),
                        Alias::new("person_id"),
                    )
                    .columns(columns)
                    .from(ConsultationChoices::Table)
                    .inner_join(
                        People::Table,
                        Expr::col((People::Table, People::Id))
                            .equals((ConsultationChoices::Table, ConsultationChoices::PersonId)),
                    )
                    .and_where(
                        Expr::col((ConsultationChoices::Table, ConsultationChoices::TenantId))
                            .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((
                            ConsultationChoices::Table,
                            ConsultationChoices::ConsultantUserId,
                        ))
                        .eq(consultant.0),
                    )
                    .and_where(
                        Expr::col((ConsultationChoices::Table, ConsultationChoices::EndedAt))
                            .is_null(),
                    )
                    .to_owned(),
            )
            .await?;
        out.extend(chosen);
        out.sort_by(|a, b| a.employee_number.cmp(&b.employee_number));
        out.dedup_by_key(|p| p.person_id);
        Ok(out)
    }

    /// Every assignment in the tenant, newest first.
    pub async fn assignments(&self, tenant: TenantId) -> Result<Vec<Assignment>> {
        self.fetch_all(
            &Query::select()
                .column((
                    ConsultantAssignments::Table,
                    ConsultantAssignments::ConsultantUserId,
                ))
                .expr_as(
                    Expr::col((Users::Table, Users::Name)),
                    Alias::new("consultant_name"),
                )
                .expr_as(
                    Expr::col((People::Table, People::Id)),
                    Alias::new("person_id"),
                )
                .expr_as(
                    Expr::col((People::Table, People::Name)),
                    Alias::new("person_name"),
                )
                .column((People::Table, People::EmployeeNumber))
                .column((
                    ConsultantAssignments::Table,
                    ConsultantAssignments::AssignedAt,
                ))
                .from(ConsultantAssignments::Table)
                .inner_join(
                    People::Table,
                    Expr::col((People::Table, People::Id)).equals((
                        ConsultantAssignments::Table,
                        ConsultantAssignments::PersonId,
                    )),
                )
                .inner_join(
                    Users::Table,
                    Expr::col((Users::Table, Users::Id)).equals((
                        ConsultantAssignments::Table,
                        ConsultantAssignments::ConsultantUserId,
                    )),
                )
                .and_where(
                    Expr::col((
                        ConsultantAssignments::Table,
                        ConsultantAssignments::TenantId,
                    ))
                    .eq(tenant.0),
                )
                .order_by(
                    (ConsultantAssignments::Table, ConsultantAssignments::Id),
                    Order::Desc,
                )
                .to_owned(),
        )
        .await
    }

    // ----- dialogues -----

    /// Books one dialogue, or a series (one dialogue per start, tied by a series id), in
    /// one transaction. Returns the new dialogues' ids in order.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, kind = new.kind.key()))]
    pub async fn create_dialogues(&self, tenant: TenantId, new: &NewDialogue) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let series_id: Option<i64> = match new.cadence {
            Some(c) => {
                let (id,): (i64,) = tx
                    .fetch_one(
                        &Query::insert()
                            .into_table(DialogueSeries::Table)
                            .columns([
                                DialogueSeries::TenantId,
                                DialogueSeries::Cadence,
                                DialogueSeries::Count,
                                DialogueSeries::CreatedAt,
                            ])
                            .values_panic([
                                tenant.0.into(),
                                c.key().into(),
                                (new.starts.len() as i64).into(),
                                now.into(),
                            ])
                            .returning_col(DialogueSeries::Id)
                            .to_owned(),
                    )
                    .await?;
                Some(id)
            }
            None => None,
        };
        let mut ids = Vec::with_capacity(new.starts.len());
        for start in &new.starts {
            let (id,): (i64,) = tx
                .fetch_one(
                    &Query::insert()
                        .into_table(Dialogues::Table)
                        .columns([
                            Dialogues::TenantId,
                            Dialogues::Kind,
                            Dialogues::SubjectPersonId,
                            Dialogues::FacilitatorUserId,
                            Dialogues::StartsAt,
                            Dialogues::DurationMinutes,
                            Dialogues::Place,
                            Dialogues::State,
                            Dialogues::SeriesId,
                            Dialogues::CreatedByUserId,
                            Dialogues::CreatedAt,
                            Dialogues::CalendarDue,
                        ])
                        .values_panic([
                            tenant.0.into(),
                            new.kind.key().into(),
                            new.subject.0.into(),
                            new.facilitator.0.into(),
                            (*start).into(),
                            i64::from(new.duration_minutes).into(),
                            new.place.clone().into(),
                            DialogueState::Scheduled.key().into(),
                            series_id.into(),
                            new.created_by.0.into(),
                            now.into(),
                            true.into(),
                        ])
                        .returning_col(Dialogues::Id)
                        .to_owned(),
                )
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn dialogues_where(&self, q: SelectStatement) -> Result<Vec<Dialogue>> {
        let rows: Vec<DialogueRow> = self.fetch_all(&q).await?;
        rows.into_iter().map(|r| self.open_dialogue(r)).collect()
    }

    pub async fn dialogue(&self, tenant: TenantId, id: i64) -> Result<Option<Dialogue>> {
        let row: Option<DialogueRow> = self
            .fetch_optional(
                &select_dialogues(tenant)
                    .and_where(Expr::col((Dialogues::Table, Dialogues::Id)).eq(id))
                    .to_owned(),
            )
            .await?;
        row.map(|r| self.open_dialogue(r)).transpose()
    }

    /// The dialogues someone facilitates, by start time.
    pub async fn dialogues_facilitated_by(
        &self,
        tenant: TenantId,
        facilitator: UserId,
    ) -> Result<Vec<Dialogue>> {
        self.dialogues_where(
            select_dialogues(tenant)
                .and_where(
                    Expr::col((Dialogues::Table, Dialogues::FacilitatorUserId)).eq(facilitator.0),
                )
                .order_by((Dialogues::Table, Dialogues::StartsAt), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Every dialogue about a person, by start time.
    pub async fn dialogues_about(
        &self,
        tenant: TenantId,
        subject: PersonId,
    ) -> Result<Vec<Dialogue>> {
        self.dialogues_where(
            select_dialogues(tenant)
                .and_where(Expr::col((Dialogues::Table, Dialogues::SubjectPersonId)).eq(subject.0))
                .order_by((Dialogues::Table, Dialogues::StartsAt), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Every dialogue about any of these people, by start time.
    pub async fn dialogues_about_any(
        &self,
        tenant: TenantId,
        subjects: &[PersonId],
    ) -> Result<Vec<Dialogue>> {
        let mut out = Vec::new();
        for chunk in subjects.chunks(500) {
            out.extend(
                self.dialogues_where(
                    select_dialogues(tenant)
                        .and_where(
                            Expr::col((Dialogues::Table, Dialogues::SubjectPersonId))
                                .is_in(chunk.iter().map(|p| p.0)),
                        )
                        .to_owned(),
                )
                .await?,
            );
        }
        out.sort_by_key(|d| d.starts_at);
        Ok(out)
    }

    /// The dialogues someone booked for others (HR's schedule), by start time.
    pub async fn dialogues_booked_by(&self, tenant: TenantId, by: UserId) -> Result<Vec<Dialogue>> {
        self.dialogues_where(
            select_dialogues(tenant)
                .and_where(Expr::col((Dialogues::Table, Dialogues::CreatedByUserId)).eq(by.0))
                .and_where(Expr::col((Dialogues::Table, Dialogues::FacilitatorUserId)).ne(by.0))
                .order_by((Dialogues::Table, Dialogues::StartsAt), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The facilitator's scheduled or held dialogues starting in `[from, to)`, as
    /// (id, start, minutes), for overlap warnings.
    pub async fn bookings_between(
        &self,
        tenant: TenantId,
        facilitator: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(i64, DateTime<Utc>, i64)>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Dialogues::Id,
                    Dialogues::StartsAt,
                    Dialogues::DurationMinutes,
                ])
                .from(Dialogues::Table)
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::FacilitatorUserId).eq(facilitator.0))
                .and_where(Expr::col(Dialogues::StartsAt).gte(from))
                .and_where(Expr::col(Dialogues::StartsAt).lt(to))
                .and_where(
                    Expr::col(Dialogues::State)
                        .is_in([DialogueState::Scheduled.key(), DialogueState::Held.key()]),
                )
                .to_owned(),
        )
        .await
    }

    /// Moves a scheduled dialogue to `to` (held, cancelled, no-show), closing it. False
    /// when it was no longer scheduled (closed elsewhere meanwhile): nothing changes.
    pub async fn close_dialogue(
        &self,
        tenant: TenantId,
        id: i64,
        to: DialogueState,
    ) -> Result<bool> {
        if !DialogueState::Scheduled.may_become(to) {
            return Ok(false);
        }
        let mut update = Query::update()
            .table(Dialogues::Table)
            .value(Dialogues::State, to.key())
            .value(Dialogues::ClosedAt, Utc::now())
            .to_owned();
        if to == DialogueState::Cancelled {
            cancel_in_calendars(&mut update);
        }
        let n = self
            .execute(
                &update
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Id).eq(id))
                    .and_where(Expr::col(Dialogues::State).eq(DialogueState::Scheduled.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// Closes a scheduled milestone interview as held with its outcome (`committed` or
    /// `continued`). False when it was no longer scheduled: nothing changes.
    pub async fn close_with_outcome(
        &self,
        tenant: TenantId,
        id: i64,
        outcome: domain::commitment::MilestoneOutcome,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Dialogues::Table)
                    .value(Dialogues::State, DialogueState::Held.key())
                    .value(Dialogues::ClosedAt, Utc::now())
                    .value(DialogueOutcome::Outcome, outcome.key())
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Id).eq(id))
                    .and_where(Expr::col(Dialogues::State).eq(DialogueState::Scheduled.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    /// The career vision the employee stated in this interview and its horizon in years,
    /// as the facilitator recorded them.
    pub async fn record_vision(
        &self,
        tenant: TenantId,
        id: i64,
        vision: &str,
        horizon_years: u8,
    ) -> Result<()> {
        let sealed = self.keys.seal(&aad(tenant, id), vision)?;
        self.execute(
            &Query::update()
                .table(Dialogues::Table)
                .value(VisionColumns::Vision, sealed)
                .value(VisionColumns::VisionHorizon, i64::from(horizon_years))
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The employee's rating (1–5) and reflection on a dialogue about them.
    pub async fn reflect_on_dialogue(
        &self,
        tenant: TenantId,
        id: i64,
        rating: u8,
        reflection: &str,
    ) -> Result<()> {
        let sealed = if reflection.is_empty() {
            None
        } else {
            Some(self.keys.seal(&aad(tenant, id), reflection)?)
        };
        self.execute(
            &Query::update()
                .table(Dialogues::Table)
                .value(Dialogues::SubjectRating, i64::from(rating))
                .value(Dialogues::SubjectReflection, sealed)
                .value(Dialogues::ReflectedAt, Utc::now())
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    // ----- note items -----

    fn open_note(&self, tenant: TenantId, r: NoteRow) -> Result<Note> {
        Ok(Note {
            id: r.id,
            dialogue_id: r.dialogue_id,
            author: UserId(r.author_user_id),
            visibility: Visibility::parse(&r.visibility)
                .ok_or_else(|| bad("visibility", &r.visibility))?,
            carry_over: CarryOver::parse(&r.carry_over)
                .ok_or_else(|| bad("carry-over", &r.carry_over))?,
            question_category: r.question_category,
            body: self.keys.open(&aad(tenant, r.dialogue_id), &r.body)?,
            revision: r.revision,
            after_close: r.after_close,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }

    fn select_notes(tenant: TenantId) -> SelectStatement {
        Query::select()
            .columns([
                (DialogueNotes::Table, DialogueNotes::Id),
                (DialogueNotes::Table, DialogueNotes::DialogueId),
                (DialogueNotes::Table, DialogueNotes::AuthorUserId),
                (DialogueNotes::Table, DialogueNotes::Visibility),
                (DialogueNotes::Table, DialogueNotes::CarryOver),
                (DialogueNotes::Table, DialogueNotes::QuestionCategory),
                (DialogueNotes::Table, DialogueNotes::Body),
                (DialogueNotes::Table, DialogueNotes::Revision),
                (DialogueNotes::Table, DialogueNotes::AfterClose),
                (DialogueNotes::Table, DialogueNotes::CreatedAt),
                (DialogueNotes::Table, DialogueNotes::UpdatedAt),
            ])
            .from(DialogueNotes::Table)
            .and_where(Expr::col((DialogueNotes::Table, DialogueNotes::TenantId)).eq(tenant.0))
            .to_owned()
    }

    /// Adds a note item. After the dialogue is closed an item can still be added (marked
    /// as an addendum); existing ones no longer change.
    pub async fn add_note(
        &self,
        tenant: TenantId,
        dialogue: &Dialogue,
        author: UserId,
        note: &NoteInput,
    ) -> Result<i64> {
        let sealed = self.keys.seal(&aad(tenant, dialogue.id), &note.body)?;
        let now = Utc::now();
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(DialogueNotes::Table)
                    .columns([
                        DialogueNotes::TenantId,
                        DialogueNotes::DialogueId,
                        DialogueNotes::AuthorUserId,
                        DialogueNotes::Visibility,
                        DialogueNotes::CarryOver,
                        DialogueNotes::QuestionCategory,
                        DialogueNotes::Body,
                        DialogueNotes::Revision,
                        DialogueNotes::AfterClose,
                        DialogueNotes::CreatedAt,
                        DialogueNotes::UpdatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        dialogue.id.into(),
                        author.0.into(),
                        note.visibility.key().into(),
                        note.carry_over.key().into(),
                        note.question_category.clone().into(),
                        sealed.into(),
                        1i64.into(),
                        dialogue.is_closed().into(),
                        now.into(),
                        now.into(),
                    ])
                    .returning_col(DialogueNotes::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// Changes a note item, keeping its earlier wording, unless the dialogue is closed,
    /// the editor is not the author, or the item changed since `base_revision`.
    pub async fn edit_note(
        &self,
        tenant: TenantId,
        note_id: i64,
        editor: UserId,
        base_revision: i64,
        note: &NoteInput,
    ) -> Result<NoteEdit> {
        let mut tx = self.begin().await?;
        let row: Option<NoteRow> = tx
            .fetch_optional(
                &Self::select_notes(tenant)
                    .and_where(Expr::col((DialogueNotes::Table, DialogueNotes::Id)).eq(note_id))
                    .to_owned(),
            )
            .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        if row.author_user_id != editor.0 {
            return Ok(NoteEdit::NotAuthor);
        }
        let (state,): (String,) = tx
            .fetch_one(
                &Query::select()
                    .column(Dialogues::State)
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Id).eq(row.dialogue_id))
                    .to_owned(),
            )
            .await?;
        if state != DialogueState::Scheduled.key() {
            return Ok(NoteEdit::Closed);
        }
        if row.revision != base_revision {
            return Ok(NoteEdit::Stale {
                latest: row.revision,
            });
        }
        let now = Utc::now();
        tx.execute(
            &Query::insert()
                .into_table(DialogueNoteRevisions::Table)
                .columns([
                    DialogueNoteRevisions::TenantId,
                    DialogueNoteRevisions::NoteId,
                    DialogueNoteRevisions::DialogueId,
                    DialogueNoteRevisions::Revision,
                    DialogueNoteRevisions::Visibility,
                    DialogueNoteRevisions::CarryOver,
                    DialogueNoteRevisions::Body,
                    DialogueNoteRevisions::WrittenAt,
                    DialogueNoteRevisions::ReplacedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    row.id.into(),
                    row.dialogue_id.into(),
                    row.revision.into(),
                    row.visibility.clone().into(),
                    row.carry_over.clone().into(),
                    row.body.clone().into(),
                    row.updated_at.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        let sealed = self.keys.seal(&aad(tenant, row.dialogue_id), &note.body)?;
        let revision = row.revision + 1;
        let n = tx
            .execute(
                &Query::update()
                    .table(DialogueNotes::Table)
                    .value(DialogueNotes::Visibility, note.visibility.key())
                    .value(DialogueNotes::CarryOver, note.carry_over.key())
                    .value(
                        DialogueNotes::QuestionCategory,
                        note.question_category.clone(),
                    )
                    .value(DialogueNotes::Body, sealed)
                    .value(DialogueNotes::Revision, revision)
                    .value(DialogueNotes::UpdatedAt, now)
                    .and_where(Expr::col(DialogueNotes::TenantId).eq(tenant.0))
                    .and_where(Expr::col(DialogueNotes::Id).eq(note_id))
                    .and_where(Expr::col(DialogueNotes::Revision).eq(base_revision))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Ok(NoteEdit::Stale { latest: revision });
        }
        tx.commit().await?;
        Ok(NoteEdit::Saved { revision })
    }

    /// Every note item of a dialogue, oldest first. The caller filters by the policy.
    pub async fn notes_of(&self, tenant: TenantId, dialogue: i64) -> Result<Vec<Note>> {
        let rows: Vec<NoteRow> = self
            .fetch_all(
                &Self::select_notes(tenant)
                    .and_where(
                        Expr::col((DialogueNotes::Table, DialogueNotes::DialogueId)).eq(dialogue),
                    )
                    .order_by((DialogueNotes::Table, DialogueNotes::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|r| self.open_note(tenant, r))
            .collect()
    }

    pub async fn note(&self, tenant: TenantId, id: i64) -> Result<Option<Note>> {
        let row: Option<NoteRow> = self
            .fetch_optional(
                &Self::select_notes(tenant)
                    .and_where(Expr::col((DialogueNotes::Table, DialogueNotes::Id)).eq(id))
                    .to_owned(),
            )
            .await?;
        row.map(|r| self.open_note(tenant, r)).transpose()
    }

    /// The earlier wordings of a note item, oldest first.
    pub async fn note_history(&self, tenant: TenantId, note: &Note) -> Result<Vec<NoteRevision>> {
        let rows: Vec<RevisionRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        DialogueNoteRevisions::Revision,
                        DialogueNoteRevisions::Visibility,
                        DialogueNoteRevisions::Body,
                        DialogueNoteRevisions::WrittenAt,
                        DialogueNoteRevisions::ReplacedAt,
                    ])
                    .from(DialogueNoteRevisions::Table)
                    .and_where(Expr::col(DialogueNoteRevisions::TenantId).eq(tenant.0))
                    .and_where(Expr::col(DialogueNoteRevisions::NoteId).eq(note.id))
                    .order_by(DialogueNoteRevisions::Revision, Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(revision, v, body, written_at, replaced_at)| {
                Ok(NoteRevision {
                    revision,
                    visibility: Visibility::parse(&v).ok_or_else(|| bad("visibility", &v))?,
                    body: self.keys.open(&aad(tenant, note.dialogue_id), &body)?,
                    written_at,
                    replaced_at,
                })
            })
            .collect()
    }

    /// What carries over into `dialogue` from earlier dialogues of the same pair (same
    /// facilitator, same subject): "next time" topics from the latest earlier dialogue that
    /// has notes, and everything marked to remember from all earlier ones. Oldest first,
    /// with the start of the dialogue each came from.
    pub async fn carried_over(
        &self,
        tenant: TenantId,
        dialogue: &Dialogue,
    ) -> Result<Vec<(DateTime<Utc>, Note)>> {
        let earlier: Vec<(i64, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .columns([Dialogues::Id, Dialogues::StartsAt])
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::FacilitatorUserId).eq(dialogue.facilitator.0))
                    .and_where(Expr::col(Dialogues::SubjectPersonId).eq(dialogue.subject.0))
                    .and_where(Expr::col(Dialogues::StartsAt).lt(dialogue.starts_at))
                    .and_where(Expr::col(Dialogues::Id).ne(dialogue.id))
                    .order_by(Dialogues::StartsAt, Order::Asc)
                    .to_owned(),
            )
            .await?;
        if earlier.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = earlier.iter().map(|(id, _)| *id).collect();
        let rows: Vec<NoteRow> = self
            .fetch_all(
                &Self::select_notes(tenant)
                    .and_where(
                        Expr::col((DialogueNotes::Table, DialogueNotes::DialogueId)).is_in(ids),
                    )
                    .and_where(
                        Expr::col((DialogueNotes::Table, DialogueNotes::CarryOver))
                            .ne(CarryOver::None.key()),
                    )
                    .order_by((DialogueNotes::Table, DialogueNotes::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        let notes: Vec<Note> = rows
            .into_iter()
            .map(|r| self.open_note(tenant, r))
            .collect::<Result<_>>()?;
        let start_of = |d: i64| {
            earlier
                .iter()
                .find(|(id, _)| *id == d)
                .map(|(_, s)| *s)
                .unwrap_or(dialogue.starts_at)
        };
        // "Next time" from the latest earlier dialogue that left any.
        let latest_next = notes
            .iter()
            .filter(|n| n.carry_over == CarryOver::NextTime)
            .map(|n| start_of(n.dialogue_id))
            .max();
        Ok(notes
            .into_iter()
            .filter(|n| match n.carry_over {
                CarryOver::Remember => true,
                CarryOver::NextTime => Some(start_of(n.dialogue_id)) == latest_next,
                CarryOver::None => false,
            })
            .map(|n| (start_of(n.dialogue_id), n))
            .collect())
    }

    /// The question categories the facilitator's notes with this person touched.
    pub async fn covered_categories(
        &self,
        tenant: TenantId,
        facilitator: UserId,
        subject: PersonId,
    ) -> Result<Vec<String>> {
        let rows: Vec<(Option<String>,)> = self
            .fetch_all(
                &Query::select()
                    .distinct()
                    .column((DialogueNotes::Table, DialogueNotes::QuestionCategory))
                    .from(DialogueNotes::Table)
                    .inner_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::Id))
                            .equals((DialogueNotes::Table, DialogueNotes::DialogueId)),
                    )
                    .and_where(
                        Expr::col((DialogueNotes::Table, DialogueNotes::TenantId)).eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::FacilitatorUserId))
                            .eq(facilitator.0),
                    )
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::SubjectPersonId)).eq(subject.0),
                    )
                    .and_where(
                        Expr::col((DialogueNotes::Table, DialogueNotes::QuestionCategory))
                            .is_not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().filter_map(|(c,)| c).collect())
    }

    // ----- the merits/demerits worksheet (損益分岐) -----

    /// Adds an item the employee weighs: (side, text, weight 1–5).
    pub async fn add_worksheet_item(
        &self,
        tenant: TenantId,
        dialogue: i64,
        side: domain::mechanism::Side,
        text: &str,
        weight: u8,
    ) -> Result<i64> {
        let sealed = self.keys.seal(&aad(tenant, dialogue), text)?;
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(WorksheetItems::Table)
                    .columns([
                        WorksheetItems::TenantId,
                        WorksheetItems::DialogueId,
                        WorksheetItems::Side,
                        WorksheetItems::Text,
                        WorksheetItems::Weight,
                        WorksheetItems::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        dialogue.into(),
                        side.key().into(),
                        sealed.into(),
                        i64::from(weight).into(),
                        Utc::now().into(),
                    ])
                    .returning_col(WorksheetItems::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// The worksheet of a dialogue: (id, side, text, weight), oldest first.
    pub async fn worksheet_of(
        &self,
        tenant: TenantId,
        dialogue: i64,
    ) -> Result<Vec<(i64, domain::mechanism::Side, String, u8)>> {
        let rows: Vec<(i64, String, String, i64)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        WorksheetItems::Id,
                        WorksheetItems::Side,
                        WorksheetItems::Text,
                        WorksheetItems::Weight,
                    ])
                    .from(WorksheetItems::Table)
                    .and_where(Expr::col(WorksheetItems::TenantId).eq(tenant.0))
                    .and_where(Expr::col(WorksheetItems::DialogueId).eq(dialogue))
                    .order_by(WorksheetItems::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(id, side, text, w)| {
                Ok((
                    id,
                    domain::mechanism::Side::parse(&side).ok_or_else(|| bad("side", &side))?,
                    self.keys.open(&aad(tenant, dialogue), &text)?,
                    w.clamp(0, 255) as u8,
                ))
            })
            .collect()
    }

    /// Removes an item of a dialogue's worksheet.
    pub async fn remove_worksheet_item(
        &self,
        tenant: TenantId,
        dialogue: i64,
        id: i64,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(WorksheetItems::Table)
                    .and_where(Expr::col(WorksheetItems::TenantId).eq(tenant.0))
                    .and_where(Expr::col(WorksheetItems::DialogueId).eq(dialogue))
                    .and_where(Expr::col(WorksheetItems::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    // ----- the employee's topics -----

    pub async fn add_topic(
        &self,
        tenant: TenantId,
        dialogue: i64,
        author: UserId,
        wanted: WantedResponse,
        body: &str,
    ) -> Result<i64> {
        let sealed = self.keys.seal(&aad(tenant, dialogue), body)?;
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(DialogueTopics::Table)
                    .columns([
                        DialogueTopics::TenantId,
                        DialogueTopics::DialogueId,
                        DialogueTopics::AuthorUserId,
                        DialogueTopics::Wanted,
                        DialogueTopics::Body,
                        DialogueTopics::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        dialogue.into(),
                        author.0.into(),
                        wanted.key().into(),
                        sealed.into(),
                        Utc::now().into(),
                    ])
                    .returning_col(DialogueTopics::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    pub async fn topics_of(&self, tenant: TenantId, dialogue: i64) -> Result<Vec<Topic>> {
        let rows: Vec<(i64, String, String, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        DialogueTopics::Id,
                        DialogueTopics::Wanted,
                        DialogueTopics::Body,
                        DialogueTopics::CreatedAt,
                    ])
                    .from(DialogueTopics::Table)
                    .and_where(Expr::col(DialogueTopics::TenantId).eq(tenant.0))
                    .and_where(Expr::col(DialogueTopics::DialogueId).eq(dialogue))
                    .order_by(DialogueTopics::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(id, w, body, created_at)| {
                Ok(Topic {
                    id,
                    wanted: WantedResponse::parse(&w).ok_or_else(|| bad("response", &w))?,
                    body: self.keys.open(&aad(tenant, dialogue), &body)?,
                    created_at,
                })
            })
            .collect()
    }

    // ----- consent -----

    /// Appends a consent event: `given` or `refused` (with what to withhold), or
    /// `withdrawn`. A withdrawal retracts a report already sent; the answer says whether
    /// one was.
    pub async fn record_consent(
        &self,
        tenant: TenantId,
        dialogue: i64,
        event: ConsentChange,
        withheld: &str,
        by: UserId,
    ) -> Result<bool> {
        let sealed = self.keys.seal(&aad(tenant, dialogue), withheld)?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(DialogueConsents::Table)
                .columns([
                    DialogueConsents::TenantId,
                    DialogueConsents::DialogueId,
                    DialogueConsents::Event,
                    DialogueConsents::Withheld,
                    DialogueConsents::RecordedByUserId,
                    DialogueConsents::RecordedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    dialogue.into(),
                    event.key().into(),
                    sealed.into(),
                    by.0.into(),
                    Utc::now().into(),
                ])
                .to_owned(),
        )
        .await?;
        // Withdrawing consent after a report was sent retracts it, in the same
        // transaction: the manager never keeps a report the employee took back.
        let retracted = if event == ConsentChange::Withdrawn {
            tx.execute(
                &Query::update()
                    .table(crate::schema::FeedbackReports::Table)
                    .value(crate::schema::FeedbackReports::RetractedAt, Utc::now())
                    .and_where(Expr::col(crate::schema::FeedbackReports::TenantId).eq(tenant.0))
                    .and_where(Expr::col(crate::schema::FeedbackReports::DialogueId).eq(dialogue))
                    .and_where(Expr::col(crate::schema::FeedbackReports::SentAt).is_not_null())
                    .and_where(Expr::col(crate::schema::FeedbackReports::RetractedAt).is_null())
                    .to_owned(),
            )
            .await?
                > 0
        } else {
            false
        };
        tx.commit().await?;
        Ok(retracted)
    }

    /// Every consent event of a dialogue, oldest first.
    pub async fn consent_events(
        &self,
        tenant: TenantId,
        dialogue: i64,
    ) -> Result<Vec<ConsentEvent>> {
        type Row = (String, String, i64, DateTime<Utc>, Option<i64>, Option<i64>);
        let rows: Vec<Row> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (DialogueConsents::Table, DialogueConsents::Event),
                        (DialogueConsents::Table, DialogueConsents::Withheld),
                        (DialogueConsents::Table, DialogueConsents::RecordedByUserId),
                        (DialogueConsents::Table, DialogueConsents::RecordedAt),
                    ])
                    .column((Users::Table, Users::PersonId))
                    .column((Dialogues::Table, Dialogues::SubjectPersonId))
                    .from(DialogueConsents::Table)
                    .left_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((DialogueConsents::Table, DialogueConsents::RecordedByUserId)),
                    )
                    .left_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::Id))
                            .equals((DialogueConsents::Table, DialogueConsents::DialogueId)),
                    )
                    .and_where(
                        Expr::col((DialogueConsents::Table, DialogueConsents::TenantId))
                            .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((DialogueConsents::Table, DialogueConsents::DialogueId))
                            .eq(dialogue),
                    )
                    .order_by((DialogueConsents::Table, DialogueConsents::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(event, withheld, by, recorded_at, by_person, subject)| {
                Ok(ConsentEvent {
                    event: ConsentChange::from_key(&event).ok_or_else(|| {
                        StoreError::Integrity(format!("unknown consent event {event:?}"))
                    })?,
                    withheld: self.keys.open(&aad(tenant, dialogue), &withheld)?,
                    recorded_by: UserId(by),
                    by_subject: by_person.is_some() && by_person == subject,
                    recorded_at,
                })
            })
            .collect()
    }

    // ----- key rotation -----

    /// Seals again, under the current key, every confidential text sealed under an older
    /// one (after a key rotation). Returns how many texts were re-sealed. Safe to run again.
    /// A test writes the demo company's backup after a rotation and finds no text under
    /// the old key, so a sealed column missing here cannot go unnoticed.
    pub async fn rekey_notes(&self) -> Result<u64> {
        // (table, the SQL naming what the text is bound to, the aad's kind, the sealed
        // column). Dialogue-bound texts and a person's evaluations and diagnoses are
        // `{tenant}:{id}`; the others name their kind: `{tenant}:{kind}:{person}`.
        const SEALED: [(&str, &str, &str, &str); 32] = [
            ("consultant_diagnoses", "person_id", "", "own_words"),
            ("worksheet_items", "dialogue_id", "", "text"),
            ("behaviour_evaluations", "person_id", "", "reason"),
            ("behaviour_evaluations", "person_id", "", "manager_input"),
            ("dialogues", "id", "", "vision"),
            ("feedback_reports", "dialogue_id", "", "content"),
            ("feedback_reports", "dialogue_id", "", "support"),
            ("commitments", "dialogue_id", "", "content"),
            ("commitments", "dialogue_id", "", "status_reason"),
            ("dialogue_notes", "dialogue_id", "", "body"),
            ("dialogue_note_revisions", "dialogue_id", "", "body"),
            ("dialogue_topics", "dialogue_id", "", "body"),
            ("dialogue_consents", "dialogue_id", "", "withheld"),
            ("dialogues", "id", "", "subject_reflection"),
            (
                "dialogue_requests",
                "requester_person_id",
                "request",
                "message",
            ),
            (
                "dialogue_requests",
                "requester_person_id",
                "request",
                "answer",
            ),
            (
                "posting_applications",
                "person_id",
                "application",
                "motivation",
            ),
            (
                "posting_outcomes",
                "(SELECT a.person_id FROM posting_applications a WHERE a.id = posting_outcomes.application_id)",
                "application",
                "reason",
            ),
            ("fa_declarations", "person_id", "fa", "wants"),
            ("fa_declarations", "person_id", "fa", "experience"),
            (
                "fa_requests",
                "(SELECT d.person_id FROM fa_declarations d WHERE d.id = fa_requests.declaration_id)",
                "fa",
                "message",
            ),
            (
                "fa_requests",
                "(SELECT d.person_id FROM fa_declarations d WHERE d.id = fa_requests.declaration_id)",
                "fa",
                "answer",
            ),
            ("side_jobs", "person_id", "side_job", "field"),
            ("side_jobs", "person_id", "side_job", "client"),
            ("side_jobs", "person_id", "side_job", "work"),
            ("side_jobs", "person_id", "side_job", "reason"),
            ("side_jobs", "person_id", "side_job", "report"),
            (
                "course_completions",
                "person_id",
                "learning",
                "employee_use",
            ),
            ("course_completions", "person_id", "learning", "manager_use"),
            ("subsidy_claims", "person_id", "subsidy", "note"),
            ("subsidy_claims", "person_id", "subsidy", "reason"),
            ("tenant_sso", "tenant_id", "sso", "client_secret"),
        ];
        let mut done = 0;
        for (table, bound, kind, sealed_col) in SEALED {
            let rows: Vec<(i64, i64, i64, String)> = self
                .fetch_all(
                    &Query::select()
                        .column(Alias::new("id"))
                        .column(Alias::new("tenant_id"))
                        .expr(Expr::cust(bound))
                        .column(Alias::new(sealed_col))
                        .from(Alias::new(table))
                        .and_where(Expr::col(Alias::new(sealed_col)).is_not_null())
                        .to_owned(),
                )
                .await?;
            for (id, tenant, bound, sealed) in rows {
                if self.keys.is_current(&sealed) {
                    continue;
                }
                let a = if kind.is_empty() {
                    aad(TenantId(tenant), bound)
                } else {
                    format!("{tenant}:{kind}:{bound}")
                };
                let plain = self.keys.open(&a, &sealed)?;
                self.execute(
                    &Query::update()
                        .table(Alias::new(table))
                        .value(Alias::new(sealed_col), self.keys.seal(&a, &plain)?)
                        .and_where(Expr::col(Alias::new("id")).eq(id))
                        .to_owned(),
                )
                .await?;
                done += 1;
            }
        }
        Ok(done)
    }
}

/// A cancellation changes the invitation: its SEQUENCE goes up and a CANCEL waits to be
/// e-mailed to the attendees.
pub(crate) fn cancel_in_calendars(update: &mut sea_query::UpdateStatement) {
    update
        .value(
            Dialogues::CalendarSeq,
            Expr::col(Dialogues::CalendarSeq).add(1),
        )
        .value(Dialogues::CalendarDue, true);
}
