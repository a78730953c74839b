//! 相談相手を選ぶ, as stored: consultants' open slots (空き枠), an employee's own choice of
//! consultant (kept apart from HR's assignments, so no company page lists it), the
//! session booked on a slot, ratings after sessions, and the yearly allowance the
//! company pays for. Who may do what is decided in `app::consultations` through
//! `domain::policy`.

use crate::schema::{
    ConsultantSlots as Cs, ConsultationChoices as Cc, ConsultationRatings as Cr, Dialogues,
    Tenants, Users,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::consultant::Setting;
use domain::dialogue::{DialogueKind, DialogueState};
use sea_query::{Expr, ExprTrait, Func, Order, Query};

/// An open slot (空き枠), free or holding the session booked on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Slot {
    pub id: i64,
    pub consultant: UserId,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub setting: Setting,
    pub dialogue_id: Option<i64>,
}

type SlotRow = (i64, i64, DateTime<Utc>, i64, String, Option<i64>);

fn slot_of(r: SlotRow) -> Slot {
    Slot {
        id: r.0,
        consultant: UserId(r.1),
        starts_at: r.2,
        duration_minutes: u32::try_from(r.3).unwrap_or(0),
        setting: Setting::parse(&r.4).unwrap_or(Setting::Online),
        dialogue_id: r.5,
    }
}

fn select_slots(tenant: TenantId) -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Cs::Id,
            Cs::UserId,
            Cs::StartsAt,
            Cs::DurationMinutes,
            Cs::Setting,
            Cs::DialogueId,
        ])
        .from(Cs::Table)
        .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
        .to_owned()
}

/// Where a choice came from: the ten proposals, a keyword search, or a profile reached
/// otherwise. Counted for matching quality, never shown per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Proposal,
    Search,
    Profile,
}

impl Source {
    pub fn key(self) -> &'static str {
        match self {
            Source::Proposal => "proposal",
            Source::Search => "search",
            Source::Profile => "profile",
        }
    }

    pub fn parse(key: &str) -> Source {
        match key {
            "proposal" => Source::Proposal,
            "search" => Source::Search,
            _ => Source::Profile,
        }
    }
}

/// A consultant the employee chose, as their own page lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Choice {
    pub consultant: UserId,
    pub name: String,
    pub chosen_at: DateTime<Utc>,
}

/// What an employee books: the slot, for whom, and where the choice came from.
#[derive(Debug, Clone)]
pub struct SlotBooking {
    pub slot: i64,
    pub subject: PersonId,
    pub booked_by: UserId,
    pub place: String,
    pub source: Source,
}

/// The company's figures for one period, before the anonymity rule is applied.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct UsageCounts {
    /// Sessions booked on slots (cancelled ones left out), and of those, held.
    pub booked: u32,
    pub held: u32,
    /// People who booked at least one session.
    pub people: u32,
    /// Choices made, and of those, from the ten proposals.
    pub choices: u32,
    pub from_proposals: u32,
    /// People with a held session with a consultant they chose, and of those, with a
    /// second held session with the same consultant.
    pub with_first: u32,
    pub with_second: u32,
    pub ratings: u32,
    /// Sum of rating levels (the mean is shown only when enough ratings exist).
    pub rating_sum: u32,
    pub would_talk_again: u32,
}

impl Store {
    // ----- open slots -----

    /// Adds open slots for a consultant (already checked by the caller).
    pub async fn add_slots(
        &self,
        tenant: TenantId,
        consultant: UserId,
        slots: &[(DateTime<Utc>, u32, Setting)],
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let mut ids = Vec::with_capacity(slots.len());
        for (start, minutes, setting) in slots {
            let (id,): (i64,) = tx
                .fetch_one(
                    &Query::insert()
                        .into_table(Cs::Table)
                        .columns([
                            Cs::TenantId,
                            Cs::UserId,
                            Cs::StartsAt,
                            Cs::DurationMinutes,
                            Cs::Setting,
                            Cs::CreatedAt,
                        ])
                        .values_panic([
                            tenant.0.into(),
                            consultant.0.into(),
                            (*start).into(),
                            i64::from(*minutes).into(),
                            setting.key().into(),
                            now.into(),
                        ])
                        .returning_col(Cs::Id)
                        .to_owned(),
                )
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Adds open slots for many consultants at once (the demo, imports).
    pub async fn add_slots_many(
        &self,
        tenant: TenantId,
        slots: &[(UserId, DateTime<Utc>, u32, Setting)],
    ) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.begin().await?;
        for chunk in slots.chunks(1000) {
            let mut q = Query::insert()
                .into_table(Cs::Table)
                .columns([
                    Cs::TenantId,
                    Cs::UserId,
                    Cs::StartsAt,
                    Cs::DurationMinutes,
                    Cs::Setting,
                    Cs::CreatedAt,
                ])
                .to_owned();
            for (user, start, minutes, setting) in chunk {
                q.values_panic([
                    tenant.0.into(),
                    user.0.into(),
                    (*start).into(),
                    i64::from(*minutes).into(),
                    setting.key().into(),
                    now.into(),
                ]);
            }
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// Removes one of the consultant's free slots; false when it is not theirs, not in
    /// this tenant or already booked.
    pub async fn remove_slot(&self, tenant: TenantId, consultant: UserId, id: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(Cs::Table)
                    .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cs::UserId).eq(consultant.0))
                    .and_where(Expr::col(Cs::Id).eq(id))
                    .and_where(Expr::col(Cs::DialogueId).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn slot(&self, tenant: TenantId, id: i64) -> Result<Option<Slot>> {
        let row: Option<SlotRow> = self
            .fetch_optional(
                &select_slots(tenant)
                    .and_where(Expr::col(Cs::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(slot_of))
    }

    /// A consultant's slots starting in `[from, to)`, by start.
    pub async fn slots_of(
        &self,
        tenant: TenantId,
        consultant: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Slot>> {
        let rows: Vec<SlotRow> = self
            .fetch_all(
                &select_slots(tenant)
                    .and_where(Expr::col(Cs::UserId).eq(consultant.0))
                    .and_where(Expr::col(Cs::StartsAt).gte(from))
                    .and_where(Expr::col(Cs::StartsAt).lt(to))
                    .order_by(Cs::StartsAt, Order::Asc)
                    .order_by(Cs::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(slot_of).collect())
    }

    /// Free slots per consultant starting in `[from, to)`: (consultant, online, in
    /// person), one grouped query for the whole tenant.
    pub async fn open_slot_counts(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(UserId, u32, u32)>> {
        let rows: Vec<(i64, String, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(Cs::UserId)
                    .column(Cs::Setting)
                    .expr(Func::count(Expr::col(Cs::Id)))
                    .from(Cs::Table)
                    .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cs::StartsAt).gte(from))
                    .and_where(Expr::col(Cs::StartsAt).lt(to))
                    .and_where(Expr::col(Cs::DialogueId).is_null())
                    .group_by_col(Cs::UserId)
                    .group_by_col(Cs::Setting)
                    .to_owned(),
            )
            .await?;
        let mut out: Vec<(UserId, u32, u32)> = Vec::new();
        for (user, setting, n) in rows {
            let n = u32::try_from(n).unwrap_or(0);
            let at = match out.iter().position(|(u, _, _)| u.0 == user) {
                Some(i) => i,
                None => {
                    out.push((UserId(user), 0, 0));
                    out.len() - 1
                }
            };
            if setting == Setting::InPerson.key() {
                out[at].2 += n;
            } else {
                out[at].1 += n;
            }
        }
        Ok(out)
    }

    /// Of these consultants, those with a free slot starting in `[from, to)`.
    pub async fn with_free_slots(
        &self,
        tenant: TenantId,
        consultants: &[UserId],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<UserId>> {
        let mut out = Vec::new();
        for chunk in consultants.chunks(500) {
            let rows: Vec<(i64,)> = self
                .fetch_all(
                    &Query::select()
                        .distinct()
                        .column(Cs::UserId)
                        .from(Cs::Table)
                        .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Cs::UserId).is_in(chunk.iter().map(|u| u.0)))
                        .and_where(Expr::col(Cs::StartsAt).gte(from))
                        .and_where(Expr::col(Cs::StartsAt).lt(to))
                        .and_where(Expr::col(Cs::DialogueId).is_null())
                        .to_owned(),
                )
                .await?;
            out.extend(rows.into_iter().map(|(u,)| UserId(u)));
        }
        Ok(out)
    }

    /// Sessions (scheduled or held) each facilitator has starting in `[from, to)`: what
    /// counts against a consultant's monthly capacity.
    pub async fn sessions_per_facilitator(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(UserId, u32)>> {
        let rows: Vec<(i64, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(Dialogues::FacilitatorUserId)
                    .expr(Func::count(Expr::col(Dialogues::Id)))
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::StartsAt).gte(from))
                    .and_where(Expr::col(Dialogues::StartsAt).lt(to))
                    .and_where(
                        Expr::col(Dialogues::State)
                            .is_in([DialogueState::Scheduled.key(), DialogueState::Held.key()]),
                    )
                    .group_by_col(Dialogues::FacilitatorUserId)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(u, n)| (UserId(u), u32::try_from(n).unwrap_or(0)))
            .collect())
    }

    /// Books a slot: in one transaction the consultation dialogue is created and the
    /// slot claimed — only if it is still free, so of two employees booking the last
    /// slot at the same instant exactly one gets it (`None` for the other, nothing
    /// written) — and the choice of consultant recorded if not already in force.
    pub async fn book_slot(&self, tenant: TenantId, b: &SlotBooking) -> Result<Option<i64>> {
        let Some(slot) = self.slot(tenant, b.slot).await? else {
            return Err(StoreError::NotFound);
        };
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let (dialogue,): (i64,) = tx
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
                        Dialogues::CreatedByUserId,
                        Dialogues::CreatedAt,
                        Dialogues::CalendarDue,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        DialogueKind::Consultation.key().into(),
                        b.subject.0.into(),
                        slot.consultant.0.into(),
                        slot.starts_at.into(),
                        i64::from(slot.duration_minutes).into(),
                        b.place.clone().into(),
                        DialogueState::Scheduled.key().into(),
                        b.booked_by.0.into(),
                        now.into(),
                        true.into(),
                    ])
                    .returning_col(Dialogues::Id)
                    .to_owned(),
            )
            .await?;
        let claimed = tx
            .execute(
                &Query::update()
                    .table(Cs::Table)
                    .value(Cs::DialogueId, dialogue)
                    .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cs::Id).eq(b.slot))
                    .and_where(Expr::col(Cs::DialogueId).is_null())
                    .to_owned(),
            )
            .await?;
        if claimed != 1 {
            return Ok(None);
        }
        let chosen: Option<(i64,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(Cc::Id)
                    .from(Cc::Table)
                    .and_where(Expr::col(Cc::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cc::PersonId).eq(b.subject.0))
                    .and_where(Expr::col(Cc::ConsultantUserId).eq(slot.consultant.0))
                    .and_where(Expr::col(Cc::EndedAt).is_null())
                    .to_owned(),
            )
            .await?;
        if chosen.is_none() {
            tx.execute(
                &Query::insert()
                    .into_table(Cc::Table)
                    .columns([
                        Cc::TenantId,
                        Cc::PersonId,
                        Cc::ConsultantUserId,
                        Cc::Source,
                        Cc::ChosenAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        b.subject.0.into(),
                        slot.consultant.0.into(),
                        b.source.key().into(),
                        now.into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Some(dialogue))
    }

    // ----- choices -----

    /// The consultants a person chose and has not changed since, by when.
    pub async fn choices_of(&self, tenant: TenantId, person: PersonId) -> Result<Vec<Choice>> {
        let rows: Vec<(i64, String, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .column((Cc::Table, Cc::ConsultantUserId))
                    .column((Users::Table, Users::Name))
                    .column((Cc::Table, Cc::ChosenAt))
                    .from(Cc::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((Cc::Table, Cc::ConsultantUserId)),
                    )
                    .and_where(Expr::col((Cc::Table, Cc::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Cc::Table, Cc::PersonId)).eq(person.0))
                    .and_where(Expr::col((Cc::Table, Cc::EndedAt)).is_null())
                    .order_by((Cc::Table, Cc::ChosenAt), Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(u, name, at)| Choice {
                consultant: UserId(u),
                name,
                chosen_at: at,
            })
            .collect())
    }

    /// The people who chose this consultant and have not changed since (user id of
    /// the consultant → person ids).
    pub async fn chosen_by(&self, tenant: TenantId, consultant: UserId) -> Result<Vec<PersonId>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .column(Cc::PersonId)
                    .from(Cc::Table)
                    .and_where(Expr::col(Cc::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cc::ConsultantUserId).eq(consultant.0))
                    .and_where(Expr::col(Cc::EndedAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(p,)| PersonId(p)).collect())
    }

    /// Does this consultant serve this person: assigned by HR or chosen by them?
    pub async fn serves(
        &self,
        tenant: TenantId,
        consultant: UserId,
        person: PersonId,
    ) -> Result<bool> {
        Ok(self.is_assigned(tenant, consultant, person).await?
            || self.chosen_by(tenant, consultant).await?.contains(&person))
    }

    /// Was this dialogue's relationship one the employee chose (a choice, in force or
    /// ended, between its subject and its facilitator)?
    pub async fn self_chosen(&self, tenant: TenantId, dialogue: i64) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column((Cc::Table, Cc::Id))
                    .from(Cc::Table)
                    .inner_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::SubjectPersonId))
                            .equals((Cc::Table, Cc::PersonId))
                            .and(
                                Expr::col((Dialogues::Table, Dialogues::FacilitatorUserId))
                                    .equals((Cc::Table, Cc::ConsultantUserId)),
                            ),
                    )
                    .and_where(Expr::col((Cc::Table, Cc::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Dialogues::Table, Dialogues::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Dialogues::Table, Dialogues::Id)).eq(dialogue))
                    .limit(1)
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// Ends the person's choice of a consultant ("相談相手を変える", no reason asked):
    /// the sessions booked on this consultant's slots that have not started are
    /// cancelled and their slots freed, in one transaction. Returns the cancelled
    /// dialogues; false-y (no choice in force) changes nothing.
    pub async fn end_choice(
        &self,
        tenant: TenantId,
        person: PersonId,
        consultant: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<i64>>> {
        let mut tx = self.begin().await?;
        let ended = tx
            .execute(
                &Query::update()
                    .table(Cc::Table)
                    .value(Cc::EndedAt, now)
                    .and_where(Expr::col(Cc::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cc::PersonId).eq(person.0))
                    .and_where(Expr::col(Cc::ConsultantUserId).eq(consultant.0))
                    .and_where(Expr::col(Cc::EndedAt).is_null())
                    .to_owned(),
            )
            .await?;
        if ended == 0 {
            return Ok(None);
        }
        let upcoming: Vec<(i64, i64)> = tx
            .fetch_all(
                &Query::select()
                    .column((Cs::Table, Cs::Id))
                    .column((Dialogues::Table, Dialogues::Id))
                    .from(Cs::Table)
                    .inner_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::Id))
                            .equals((Cs::Table, Cs::DialogueId)),
                    )
                    .and_where(Expr::col((Cs::Table, Cs::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Cs::Table, Cs::UserId)).eq(consultant.0))
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::SubjectPersonId)).eq(person.0),
                    )
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::State))
                            .eq(DialogueState::Scheduled.key()),
                    )
                    .and_where(Expr::col((Dialogues::Table, Dialogues::StartsAt)).gt(now))
                    .to_owned(),
            )
            .await?;
        let mut cancelled = Vec::new();
        for (slot, dialogue) in upcoming {
            let mut cancel = Query::update()
                .table(Dialogues::Table)
                .value(Dialogues::State, DialogueState::Cancelled.key())
                .value(Dialogues::ClosedAt, now)
                .to_owned();
            crate::dialogues::cancel_in_calendars(&mut cancel);
            tx.execute(
                &cancel
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::Id).eq(dialogue))
                    .to_owned(),
            )
            .await?;
            tx.execute(
                &Query::update()
                    .table(Cs::Table)
                    .value(Cs::DialogueId, Option::<i64>::None)
                    .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cs::Id).eq(slot))
                    .to_owned(),
            )
            .await?;
            cancelled.push(dialogue);
        }
        tx.commit().await?;
        Ok(Some(cancelled))
    }

    /// Frees the slot a cancelled session was booked on, so others can book it.
    pub async fn free_slot_of(&self, tenant: TenantId, dialogue: i64) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(Cs::Table)
                    .value(Cs::DialogueId, Option::<i64>::None)
                    .and_where(Expr::col(Cs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cs::DialogueId).eq(dialogue))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }

    /// Sessions the person booked on slots starting in `[from, to)`, cancelled ones
    /// left out: what counts against the company's yearly allowance.
    pub async fn booked_sessions_of(
        &self,
        tenant: TenantId,
        person: PersonId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u32> {
        let (n,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Func::count(Expr::col((Cs::Table, Cs::Id))))
                    .from(Cs::Table)
                    .inner_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::Id))
                            .equals((Cs::Table, Cs::DialogueId)),
                    )
                    .and_where(Expr::col((Cs::Table, Cs::TenantId)).eq(tenant.0))
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::SubjectPersonId)).eq(person.0),
                    )
                    .and_where(Expr::col((Cs::Table, Cs::StartsAt)).gte(from))
                    .and_where(Expr::col((Cs::Table, Cs::StartsAt)).lt(to))
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::State))
                            .ne(DialogueState::Cancelled.key()),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    // ----- the keyword index's version -----

    /// The version of the tenant's consultant profiles (see [`Store::bump_profiles_version`]).
    pub async fn consultant_profiles_version(&self, tenant: TenantId) -> Result<i64> {
        let (v,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .column(Tenants::ConsultantProfilesVersion)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(v)
    }

    /// Marks every process's keyword index of the tenant's profiles stale: after a
    /// profile is written, imported, or its account suspended or restored.
    pub async fn bump_profiles_version(&self, tenant: TenantId) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(
                    Tenants::ConsultantProfilesVersion,
                    Expr::col(Tenants::ConsultantProfilesVersion).add(1),
                )
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    // ----- the allowance -----

    /// Sessions per employee per fiscal year the company pays for (`None`: no limit).
    pub async fn consultations_per_year(&self, tenant: TenantId) -> Result<Option<u32>> {
        let (n,): (Option<i64>,) = self
            .fetch_one(
                &Query::select()
                    .column(Tenants::ConsultationsPerYear)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(n.and_then(|n| u32::try_from(n).ok()))
    }

    pub async fn set_consultations_per_year(&self, tenant: TenantId, n: Option<u32>) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(Tenants::ConsultationsPerYear, n.map(i64::from))
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    // ----- ratings -----

    /// Records the employee's rating of a session; a second rating of the same session
    /// is a [`StoreError::Conflict`].
    pub async fn rate_session(
        &self,
        tenant: TenantId,
        dialogue: i64,
        consultant: UserId,
        level: u8,
        again: bool,
    ) -> Result<()> {
        self.execute(
            &Query::insert()
                .into_table(Cr::Table)
                .columns([
                    Cr::TenantId,
                    Cr::DialogueId,
                    Cr::ConsultantUserId,
                    Cr::Level,
                    Cr::Again,
                    Cr::RatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    dialogue.into(),
                    consultant.0.into(),
                    i64::from(level).into(),
                    again.into(),
                    Utc::now().into(),
                ])
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The rating given to a session, if any: (level, would talk again).
    pub async fn rating_of_session(
        &self,
        tenant: TenantId,
        dialogue: i64,
    ) -> Result<Option<(u8, bool)>> {
        let row: Option<(i64, bool)> = self
            .fetch_optional(
                &Query::select()
                    .columns([Cr::Level, Cr::Again])
                    .from(Cr::Table)
                    .and_where(Expr::col(Cr::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cr::DialogueId).eq(dialogue))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(l, a)| (u8::try_from(l).unwrap_or(0), a)))
    }

    /// Per consultant: (ratings, sum of levels, would talk again), one grouped query.
    pub async fn rating_totals(&self, tenant: TenantId) -> Result<Vec<(UserId, u32, u32, u32)>> {
        let rows: Vec<(i64, i64, i64, bool)> = self
            .fetch_all(
                &Query::select()
                    .columns([Cr::ConsultantUserId, Cr::Level])
                    .expr(Func::count(Expr::col(Cr::Id)))
                    .column(Cr::Again)
                    .from(Cr::Table)
                    .and_where(Expr::col(Cr::TenantId).eq(tenant.0))
                    .group_by_col(Cr::ConsultantUserId)
                    .group_by_col(Cr::Level)
                    .group_by_col(Cr::Again)
                    .to_owned(),
            )
            .await?;
        let mut out: Vec<(UserId, u32, u32, u32)> = Vec::new();
        for (user, level, n, again) in rows {
            let n = u32::try_from(n).unwrap_or(0);
            let level = u32::try_from(level).unwrap_or(0);
            let at = match out.iter().position(|t| t.0.0 == user) {
                Some(i) => i,
                None => {
                    out.push((UserId(user), 0, 0, 0));
                    out.len() - 1
                }
            };
            out[at].1 += n;
            out[at].2 += level * n;
            if again {
                out[at].3 += n;
            }
        }
        Ok(out)
    }

    /// The company's consultation figures for sessions starting in `[from, to)` and
    /// choices made then — counts only, never who.
    pub async fn consultation_usage(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<UsageCounts> {
        // (person, consultant, state) of every session booked on a slot in the period.
        let sessions: Vec<(i64, i64, String)> = self
            .fetch_all(
                &Query::select()
                    .column((Dialogues::Table, Dialogues::SubjectPersonId))
                    .column((Dialogues::Table, Dialogues::FacilitatorUserId))
                    .column((Dialogues::Table, Dialogues::State))
                    .from(Cs::Table)
                    .inner_join(
                        Dialogues::Table,
                        Expr::col((Dialogues::Table, Dialogues::Id))
                            .equals((Cs::Table, Cs::DialogueId)),
                    )
                    .and_where(Expr::col((Cs::Table, Cs::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Cs::Table, Cs::StartsAt)).gte(from))
                    .and_where(Expr::col((Cs::Table, Cs::StartsAt)).lt(to))
                    .and_where(
                        Expr::col((Dialogues::Table, Dialogues::State))
                            .ne(DialogueState::Cancelled.key()),
                    )
                    .to_owned(),
            )
            .await?;
        let mut u = UsageCounts {
            booked: u32::try_from(sessions.len()).unwrap_or(u32::MAX),
            ..UsageCounts::default()
        };
        let held_key = DialogueState::Held.key();
        let mut people: Vec<i64> = sessions.iter().map(|s| s.0).collect();
        people.sort_unstable();
        people.dedup();
        u.people = u32::try_from(people.len()).unwrap_or(u32::MAX);
        let mut held: Vec<(i64, i64)> = sessions
            .iter()
            .filter(|s| s.2 == held_key)
            .map(|s| (s.0, s.1))
            .collect();
        u.held = u32::try_from(held.len()).unwrap_or(u32::MAX);
        held.sort_unstable();
        let mut pairs: Vec<((i64, i64), u32)> = Vec::new();
        for p in held {
            match pairs.last_mut() {
                Some((q, n)) if *q == p => *n += 1,
                _ => pairs.push((p, 1)),
            }
        }
        u.with_first = u32::try_from(pairs.len()).unwrap_or(u32::MAX);
        u.with_second = u32::try_from(pairs.iter().filter(|(_, n)| *n >= 2).count()).unwrap_or(0);
        let choices: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column(Cc::Source)
                    .from(Cc::Table)
                    .and_where(Expr::col(Cc::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cc::ChosenAt).gte(from))
                    .and_where(Expr::col(Cc::ChosenAt).lt(to))
                    .to_owned(),
            )
            .await?;
        u.choices = u32::try_from(choices.len()).unwrap_or(u32::MAX);
        u.from_proposals = u32::try_from(
            choices
                .iter()
                .filter(|(s,)| Source::parse(s) == Source::Proposal)
                .count(),
        )
        .unwrap_or(0);
        let ratings: Vec<(i64, bool)> = self
            .fetch_all(
                &Query::select()
                    .columns([Cr::Level, Cr::Again])
                    .from(Cr::Table)
                    .and_where(Expr::col(Cr::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cr::RatedAt).gte(from))
                    .and_where(Expr::col(Cr::RatedAt).lt(to))
                    .to_owned(),
            )
            .await?;
        u.ratings = u32::try_from(ratings.len()).unwrap_or(u32::MAX);
        u.rating_sum = ratings
            .iter()
            .map(|(l, _)| u32::try_from(*l).unwrap_or(0))
            .sum();
        u.would_talk_again = u32::try_from(ratings.iter().filter(|(_, a)| *a).count()).unwrap_or(0);
        Ok(u)
    }
}
