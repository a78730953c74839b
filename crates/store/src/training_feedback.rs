//! 研修後アンケート storage, in two halves that nothing joins (as `store::surveys`): a
//! flag on the participant's place in the programme says whether they answered, and
//! `training_feedback` holds the answers with a random id, the programme, the
//! instructor's style and the participant's segment — no person, no session, no time.
//! Both are written in one transaction, so an answer is never lost or counted twice.

use crate::schema::{ProgrammeParticipants as Pp, TrainingFeedback as Tf, TrainingSessions};
use crate::{PersonId, Result, Store, StoreError, TenantId};
use chrono::{DateTime, Utc};
use domain::training::Style;
use domain::training_feedback::{Answer, Topic};
use sea_query::{Expr, ExprTrait, Order, Query};

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackRefused {
    /// Already answered: the first answer stays.
    AlreadyGiven,
    /// Not a participant of the programme.
    NotParticipant,
}

/// One stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFeedback {
    pub programme: i64,
    pub style: Style,
    pub segment: Style,
    pub answer: Answer,
}

/// How many of a programme's participants could answer (placed in a session that has
/// ended, not leavers) and how many did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct FeedbackParticipation {
    pub asked: i64,
    pub answered: i64,
}

fn topics_text(a: &Answer) -> String {
    a.topics
        .iter()
        .map(|t| t.key())
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Whether the person has answered the programme's post-training survey; None when
    /// they are not a participant.
    pub async fn training_feedback_given(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
    ) -> Result<Option<bool>> {
        let row: Option<(bool,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Pp::FeedbackGiven)
                    .from(Pp::Table)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(g,)| g))
    }

    /// Takes one participant's answer: marks them as having answered and stores the
    /// answer with a random id and no trace of them, in one transaction. The caller has
    /// checked that the answer window is open.
    pub async fn give_training_feedback(
        &self,
        tenant: TenantId,
        programme: i64,
        person: PersonId,
        style: Style,
        segment: Style,
        answer: &Answer,
    ) -> Result<std::result::Result<(), FeedbackRefused>> {
        let mut tx = self.begin().await?;
        let marked = tx
            .execute(
                &Query::update()
                    .table(Pp::Table)
                    .value(Pp::FeedbackGiven, true)
                    .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                    .and_where(Expr::col(Pp::PersonId).eq(person.0))
                    .and_where(Expr::col(Pp::FeedbackGiven).eq(false))
                    .to_owned(),
            )
            .await?;
        if marked == 0 {
            drop(tx);
            return Ok(Err(
                match self
                    .training_feedback_given(tenant, programme, person)
                    .await?
                {
                    Some(true) => FeedbackRefused::AlreadyGiven,
                    _ => FeedbackRefused::NotParticipant,
                },
            ));
        }
        tx.execute(
            &Query::insert()
                .into_table(Tf::Table)
                .columns([
                    Tf::Id,
                    Tf::TenantId,
                    Tf::ProgrammeId,
                    Tf::Style,
                    Tf::Segment,
                    Tf::Useful,
                    Tf::Fit,
                    Tf::Topics,
                ])
                .values_panic([
                    ((rand::random::<u64>() >> 2) as i64 + 1).into(),
                    tenant.0.into(),
                    programme.into(),
                    style.key().into(),
                    segment.key().into(),
                    i64::from(answer.useful).into(),
                    i64::from(answer.fit).into(),
                    topics_text(answer).into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Every answer to the given programmes' post-training surveys, in the order of
    /// their random ids.
    pub async fn training_feedback(
        &self,
        tenant: TenantId,
        programmes: &[i64],
    ) -> Result<Vec<StoredFeedback>> {
        if programmes.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, String, i64, i64, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        Tf::ProgrammeId,
                        Tf::Style,
                        Tf::Segment,
                        Tf::Useful,
                        Tf::Fit,
                        Tf::Topics,
                    ])
                    .from(Tf::Table)
                    .and_where(Expr::col(Tf::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Tf::ProgrammeId).is_in(programmes.iter().copied()))
                    .order_by(Tf::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let bad = |what: &str| StoreError::Integrity(format!("training feedback: {what}"));
        rows.into_iter()
            .map(|(programme, style, segment, useful, fit, topics)| {
                let topics = topics
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(|t| Topic::parse(t).ok_or_else(|| bad("topic")))
                    .collect::<Result<_>>()?;
                Ok(StoredFeedback {
                    programme,
                    style: Style::parse(&style).ok_or_else(|| bad("style"))?,
                    segment: Style::parse(&segment).ok_or_else(|| bad("segment"))?,
                    answer: Answer {
                        useful: u8::try_from(useful).map_err(|_| bad("useful"))?,
                        fit: u8::try_from(fit).map_err(|_| bad("fit"))?,
                        topics,
                    },
                })
            })
            .collect()
    }

    /// Participants still to answer whose session ended between `from` and `to`, in
    /// programmes not cancelled, not leavers: (programme, programme name, person, person's
    /// name, when the session ended) — whom the worker tells that the survey is open.
    pub async fn training_feedback_waiting(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(i64, String, PersonId, String, DateTime<Utc>)>> {
        use crate::schema::{People, Programmes};
        let rows: Vec<(i64, String, i64, String, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .column((Programmes::Table, Programmes::Id))
                    .column((Programmes::Table, Programmes::Name))
                    .column((People::Table, People::Id))
                    .column((People::Table, People::Name))
                    .column((TrainingSessions::Table, TrainingSessions::EndsAt))
                    .from(Pp::Table)
                    .inner_join(
                        TrainingSessions::Table,
                        Expr::col((TrainingSessions::Table, TrainingSessions::Id))
                            .equals((Pp::Table, Pp::SessionId)),
                    )
                    .inner_join(
                        Programmes::Table,
                        Expr::col((Programmes::Table, Programmes::Id))
                            .equals((Pp::Table, Pp::ProgrammeId)),
                    )
                    .inner_join(
                        People::Table,
                        Expr::col((People::Table, People::Id)).equals((Pp::Table, Pp::PersonId)),
                    )
                    .and_where(Expr::col((Pp::Table, Pp::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Pp::Table, Pp::FeedbackGiven)).eq(false))
                    .and_where(
                        Expr::col((TrainingSessions::Table, TrainingSessions::EndsAt)).gte(from),
                    )
                    .and_where(
                        Expr::col((TrainingSessions::Table, TrainingSessions::EndsAt)).lt(to),
                    )
                    .and_where(Expr::col((Programmes::Table, Programmes::CancelledAt)).is_null())
                    .and_where(
                        Expr::col((People::Table, People::Status))
                            .ne(domain::PersonStatus::Left.as_str()),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(p, pn, person, name, ends)| (p, pn, PersonId(person), name, ends))
            .collect())
    }

    /// Who could answer the programme's post-training survey by `now` and who did.
    pub async fn training_feedback_participation(
        &self,
        tenant: TenantId,
        programme: i64,
        now: DateTime<Utc>,
    ) -> Result<FeedbackParticipation> {
        let rows: Vec<(bool,)> = self
            .fetch_all(
                &Query::select()
                    .column((Pp::Table, Pp::FeedbackGiven))
                    .from(Pp::Table)
                    .inner_join(
                        TrainingSessions::Table,
                        Expr::col((TrainingSessions::Table, TrainingSessions::Id))
                            .equals((Pp::Table, Pp::SessionId)),
                    )
                    .inner_join(
                        crate::schema::People::Table,
                        Expr::col((crate::schema::People::Table, crate::schema::People::Id))
                            .equals((Pp::Table, Pp::PersonId)),
                    )
                    .and_where(Expr::col((Pp::Table, Pp::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((Pp::Table, Pp::ProgrammeId)).eq(programme))
                    .and_where(
                        Expr::col((TrainingSessions::Table, TrainingSessions::EndsAt)).lte(now),
                    )
                    .and_where(
                        Expr::col((crate::schema::People::Table, crate::schema::People::Status))
                            .ne(domain::PersonStatus::Left.as_str()),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(FeedbackParticipation {
            asked: rows.len() as i64,
            answered: rows.iter().filter(|(g,)| *g).count() as i64,
        })
    }
}
