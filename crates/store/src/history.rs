//! Generated history in bulk (`kyoritsu demo-data --history`): years of held dialogues
//! with their commitments and concern themes, and accounts for the managers who hold
//! the 1on1s — written many rows per statement, in batches of one transaction each, with
//! ids handed out here (one writer: the generator), so a 300,000-person company with ten
//! years behind it loads in minutes rather than hours. Nothing here is reachable from a
//! page; the product writes one row at a time through the usual checks.

use crate::schema::{Commitments, DialogueConcerns, Dialogues, People, UserRoles, Users};
use crate::{PersonId, Result, Store, TenantId, Tx, UserId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::commitment::{Content, Status};
use domain::dialogue::DialogueKind;
use sea_query::{Expr, ExprTrait, Query};

/// One held dialogue of the past.
#[derive(Debug, Clone)]
pub struct PastDialogue {
    pub kind: DialogueKind,
    pub subject: PersonId,
    pub facilitator: UserId,
    pub starts_at: DateTime<Utc>,
    /// A confirmed commitment (objective, with a start) recorded in it.
    pub commitment: Option<PastCommitment>,
    /// Concern themes the facilitator tagged (keys).
    pub themes: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct PastCommitment {
    pub action: String,
    pub starts_on: NaiveDate,
    pub status: Status,
}

/// Rows per INSERT: under SQLite's 32,766 bound values with the widest row (13 values).
const ROWS_PER_INSERT: usize = 2_000;

async fn next_id(tx: &mut Tx, table: &str) -> Result<i64> {
    let (max,): (Option<i64>,) = tx
        .fetch_one(
            &Query::select()
                .expr(Expr::cust(format!("MAX(\"{table}\".id)")))
                .from(sea_query::Alias::new(table))
                .to_owned(),
        )
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// A person as the generator needs them.
#[derive(Debug, Clone)]
pub struct PastPerson {
    pub id: PersonId,
    pub name: String,
    pub manager: Option<PersonId>,
    pub hire_date: Option<NaiveDate>,
}

impl Store {
    /// Everyone in the employee master (not leavers), in id order.
    pub async fn past_people(&self, tenant: TenantId) -> Result<Vec<PastPerson>> {
        let rows: Vec<(i64, String, Option<i64>, Option<NaiveDate>)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        People::Id,
                        People::Name,
                        People::ManagerId,
                        People::HireDate,
                    ])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
                    .order_by(People::Id, sea_query::Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, manager, hire_date)| PastPerson {
                id: PersonId(id),
                name,
                manager: manager.map(PersonId),
                hire_date,
            })
            .collect())
    }

    /// Writes a batch of past dialogues (held), their commitments and themes, in one
    /// transaction.
    pub async fn write_past_dialogues(
        &self,
        tenant: TenantId,
        batch: &[PastDialogue],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let first_dialogue = next_id(&mut tx, "dialogues").await?;
        let mut next_commitment = next_id(&mut tx, "commitments").await?;
        let mut commitments = Vec::new();
        let mut themes = Vec::new();
        for (chunk_no, chunk) in batch.chunks(ROWS_PER_INSERT).enumerate() {
            let mut q = Query::insert();
            q.into_table(Dialogues::Table).columns([
                Dialogues::Id,
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
                Dialogues::ClosedAt,
            ]);
            for (i, d) in chunk.iter().enumerate() {
                let id = first_dialogue + (chunk_no * ROWS_PER_INSERT + i) as i64;
                let minutes: i64 = if d.kind == DialogueKind::OneOnOne {
                    30
                } else {
                    60
                };
                q.values_panic([
                    id.into(),
                    tenant.0.into(),
                    d.kind.key().into(),
                    d.subject.0.into(),
                    d.facilitator.0.into(),
                    d.starts_at.into(),
                    minutes.into(),
                    "オンライン".into(),
                    "held".into(),
                    d.facilitator.0.into(),
                    (d.starts_at - Duration::days(14)).into(),
                    (d.starts_at + Duration::minutes(minutes)).into(),
                ]);
                if let Some(c) = &d.commitment {
                    commitments.push((next_commitment, id, d, c));
                    next_commitment += 1;
                }
                for t in &d.themes {
                    themes.push((id, *t));
                }
            }
            tx.execute(&q).await?;
        }
        for chunk in commitments.chunks(ROWS_PER_INSERT) {
            let mut q = Query::insert();
            q.into_table(Commitments::Table).columns([
                Commitments::Id,
                Commitments::TenantId,
                Commitments::DialogueId,
                Commitments::SubjectPersonId,
                Commitments::Version,
                Commitments::Content,
                Commitments::StartsOn,
                Commitments::Objective,
                Commitments::HasStart,
                Commitments::RecordedByUserId,
                Commitments::RecordedAt,
                Commitments::ConfirmedAt,
                Commitments::Status,
            ]);
            for (id, dialogue, d, c) in chunk {
                let content = Content {
                    action: c.action.clone(),
                    ..Content::default()
                };
                q.values_panic([
                    (*id).into(),
                    tenant.0.into(),
                    (*dialogue).into(),
                    d.subject.0.into(),
                    1i64.into(),
                    self.seal_content(tenant, *dialogue, &content)?.into(),
                    c.starts_on.into(),
                    true.into(),
                    true.into(),
                    d.facilitator.0.into(),
                    (d.starts_at + Duration::minutes(50)).into(),
                    (d.starts_at + Duration::minutes(55)).into(),
                    c.status.key().into(),
                ]);
            }
            tx.execute(&q).await?;
        }
        for chunk in themes.chunks(ROWS_PER_INSERT) {
            let mut q = Query::insert();
            q.into_table(DialogueConcerns::Table).columns([
                DialogueConcerns::TenantId,
                DialogueConcerns::DialogueId,
                DialogueConcerns::Theme,
            ]);
            for (dialogue, theme) in chunk {
                q.values_panic([tenant.0.into(), (*dialogue).into(), (*theme).into()]);
            }
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// Past behaviour-change evaluations (行動変容の評価), one per person and year:
    /// (person, fiscal year, level, reason, evaluated by), in one transaction; a person
    /// already evaluated for the year is left as they are.
    pub async fn write_past_evaluations(
        &self,
        tenant: TenantId,
        rows: &[(PersonId, i32, domain::behaviour::Change, &str, UserId)],
    ) -> Result<()> {
        use crate::schema::BehaviourEvaluations as B;
        let mut tx = self.begin().await?;
        let now = Utc::now();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut q = Query::insert();
            q.into_table(B::Table).columns([
                B::TenantId,
                B::PersonId,
                B::FiscalYear,
                B::Level,
                B::Reason,
                B::ManagerInput,
                B::EvaluatedByUserId,
                B::EvaluatedAt,
            ]);
            for (person, fy, level, reason, by) in chunk {
                let aad = crate::behaviour::aad(tenant, *person);
                q.values_panic([
                    tenant.0.into(),
                    person.0.into(),
                    i64::from(*fy).into(),
                    level.key().into(),
                    self.keys.seal(&aad, reason)?.into(),
                    self.keys.seal(&aad, "")?.into(),
                    by.0.into(),
                    now.into(),
                ]);
            }
            // Someone the demo's own story already evaluated keeps that evaluation.
            q.on_conflict(
                sea_query::OnConflict::columns([B::TenantId, B::PersonId, B::FiscalYear])
                    .do_nothing()
                    .to_owned(),
            );
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// Accounts without a password (they would sign in by SSO or an invitation) for
    /// people who hold 1on1s: (person, email, name) → their user ids, in the same order.
    pub async fn create_past_accounts(
        &self,
        tenant: TenantId,
        accounts: &[(PersonId, String, String)],
        role: domain::Role,
    ) -> Result<Vec<UserId>> {
        let mut tx = self.begin().await?;
        let first = next_id(&mut tx, "users").await?;
        let now = Utc::now();
        for (chunk_no, chunk) in accounts.chunks(ROWS_PER_INSERT).enumerate() {
            let id = |i: usize| first + (chunk_no * ROWS_PER_INSERT + i) as i64;
            let mut q = Query::insert();
            q.into_table(Users::Table).columns([
                Users::Id,
                Users::TenantId,
                Users::Email,
                Users::Name,
                Users::PersonId,
                Users::CreatedAt,
            ]);
            let mut r = Query::insert();
            r.into_table(UserRoles::Table).columns([
                UserRoles::TenantId,
                UserRoles::UserId,
                UserRoles::Role,
            ]);
            for (i, (person, email, name)) in chunk.iter().enumerate() {
                q.values_panic([
                    id(i).into(),
                    tenant.0.into(),
                    email.as_str().into(),
                    name.as_str().into(),
                    person.0.into(),
                    now.into(),
                ]);
                r.values_panic([tenant.0.into(), id(i).into(), role.as_str().into()]);
            }
            tx.execute(&q).await?;
            tx.execute(&r).await?;
        }
        tx.commit().await?;
        Ok((0..accounts.len())
            .map(|i| UserId(first + i as i64))
            .collect())
    }

    /// After bulk writes with ids handed out here: PostgreSQL's id sequences move past
    /// them, and both engines refresh the planner's statistics.
    pub async fn finish_past_writes(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        if tx.engine() == crate::db::Engine::Postgres {
            for table in ["dialogues", "commitments", "users"] {
                tx.execute_raw(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
                ))
                .await?;
            }
        }
        tx.commit().await?;
        self.refresh_statistics().await?;
        if self.engine() == crate::db::Engine::Postgres {
            self.execute_raw("ANALYZE dialogues, commitments, dialogue_concerns, users, survey_targets, survey_answers")
                .await?;
        }
        Ok(())
    }
}
