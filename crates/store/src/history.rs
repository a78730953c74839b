//! Generated history in bulk (`kyoritsu demo-data --history`): years of held dialogues
//! with their commitments and concern themes, and accounts for the managers who hold
//! the 1on1s — written many rows per statement, in batches of one transaction each, with
//! ids handed out here (one writer: the generator), so a 300,000-person company with ten
//! years behind it loads in minutes rather than hours. Nothing here is reachable from a
//! page; the product writes one row at a time through the usual checks.

use crate::db::Cell;
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
    /// transaction, through the one bulk path ([`Tx::insert_many`]: one array per column
    /// on PostgreSQL — a multi-row `VALUES` of 24,000 parameters took PostgreSQL a second
    /// to plan per 2,000 rows).
    pub async fn write_past_dialogues(
        &self,
        tenant: TenantId,
        batch: &[PastDialogue],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let first_dialogue = next_id(&mut tx, "dialogues").await?;
        let mut next_commitment = next_id(&mut tx, "commitments").await?;
        let mut commitments = Vec::new();
        let mut themes: Vec<Cell> = Vec::new();
        let mut cells: Vec<Cell> = Vec::with_capacity(batch.len() * 12);
        for (i, d) in batch.iter().enumerate() {
            let id = first_dialogue + i as i64;
            let minutes: i64 = if d.kind == DialogueKind::OneOnOne {
                30
            } else {
                60
            };
            cells.extend::<[Cell; _]>([
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
                themes.extend::<[Cell; 3]>([tenant.0.into(), id.into(), (*t).into()]);
            }
        }
        tx.insert_many(
            Dialogues::Table,
            &[
                &Dialogues::Id,
                &Dialogues::TenantId,
                &Dialogues::Kind,
                &Dialogues::SubjectPersonId,
                &Dialogues::FacilitatorUserId,
                &Dialogues::StartsAt,
                &Dialogues::DurationMinutes,
                &Dialogues::Place,
                &Dialogues::State,
                &Dialogues::CreatedByUserId,
                &Dialogues::CreatedAt,
                &Dialogues::ClosedAt,
            ],
            &cells,
            None,
        )
        .await?;
        let sealed: Vec<String> = commitments
            .iter()
            .map(|(_, dialogue, _, c)| {
                let content = Content {
                    action: c.action.clone(),
                    ..Content::default()
                };
                self.seal_content(tenant, *dialogue, &content)
            })
            .collect::<Result<_>>()?;
        let mut cells: Vec<Cell> = Vec::with_capacity(commitments.len() * 13);
        for ((id, dialogue, d, c), sealed) in commitments.iter().zip(&sealed) {
            cells.extend::<[Cell; _]>([
                (*id).into(),
                tenant.0.into(),
                (*dialogue).into(),
                d.subject.0.into(),
                1i64.into(),
                sealed.as_str().into(),
                c.starts_on.into(),
                true.into(),
                true.into(),
                d.facilitator.0.into(),
                (d.starts_at + Duration::minutes(50)).into(),
                (d.starts_at + Duration::minutes(55)).into(),
                c.status.key().into(),
            ]);
        }
        tx.insert_many(
            Commitments::Table,
            &[
                &Commitments::Id,
                &Commitments::TenantId,
                &Commitments::DialogueId,
                &Commitments::SubjectPersonId,
                &Commitments::Version,
                &Commitments::Content,
                &Commitments::StartsOn,
                &Commitments::Objective,
                &Commitments::HasStart,
                &Commitments::RecordedByUserId,
                &Commitments::RecordedAt,
                &Commitments::ConfirmedAt,
                &Commitments::Status,
            ],
            &cells,
            None,
        )
        .await?;
        tx.insert_many(
            DialogueConcerns::Table,
            &[
                &DialogueConcerns::TenantId,
                &DialogueConcerns::DialogueId,
                &DialogueConcerns::Theme,
            ],
            &themes,
            None,
        )
        .await?;
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
        let mut users: Vec<Cell> = Vec::with_capacity(accounts.len() * 6);
        let mut roles: Vec<Cell> = Vec::with_capacity(accounts.len() * 3);
        for (i, (person, email, name)) in accounts.iter().enumerate() {
            let id = first + i as i64;
            users.extend::<[Cell; 6]>([
                id.into(),
                tenant.0.into(),
                email.as_str().into(),
                name.as_str().into(),
                person.0.into(),
                now.into(),
            ]);
            roles.extend::<[Cell; 3]>([tenant.0.into(), id.into(), role.as_str().into()]);
        }
        tx.insert_many(
            Users::Table,
            &[
                &Users::Id,
                &Users::TenantId,
                &Users::Email,
                &Users::Name,
                &Users::PersonId,
                &Users::CreatedAt,
            ],
            &users,
            None,
        )
        .await?;
        tx.insert_many(
            UserRoles::Table,
            &[&UserRoles::TenantId, &UserRoles::UserId, &UserRoles::Role],
            &roles,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok((0..accounts.len())
            .map(|i| UserId(first + i as i64))
            .collect())
    }

    /// Before bulk writes on PostgreSQL: takes the foreign keys and the secondary (not
    /// unique) indexes off the tables the history fills, as `pg_restore` does — checking a
    /// key per row per reference and keeping four indexes in step row by row cost ten times
    /// the writes themselves; they are put back, each in one pass, by
    /// [`Store::finish_past_writes`]. Nothing on SQLite. A run that stops between the two
    /// leaves a half-written database to throw away in any case.
    pub async fn begin_past_writes(&self) -> Result<PastLoad> {
        let mut tx = self.begin().await?;
        let Tx::Postgres(t) = &mut tx else {
            return Ok(PastLoad::default());
        };
        let tables = "ARRAY['dialogues', 'commitments', 'dialogue_concerns']";
        let keys: Vec<(String, String, String)> = sqlx::query_as(&format!(
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) \
             FROM pg_constraint WHERE contype = 'f' \
             AND conrelid::regclass::text = ANY({tables}) ORDER BY 1, 2"
        ))
        .fetch_all(&mut **t)
        .await?;
        let indexes: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT indexname::text, indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = ANY({tables}) \
             AND indexdef NOT LIKE 'CREATE UNIQUE%' \
             AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1"
        ))
        .fetch_all(&mut **t)
        .await?;
        let mut load = PastLoad::default();
        for (table, name, definition) in keys {
            tx.execute_raw(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
                .await?;
            load.restore.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
            ));
        }
        for (name, definition) in indexes {
            tx.execute_raw(&format!("DROP INDEX \"{name}\"")).await?;
            // Indexes first: the keys' checks read them.
            load.restore.insert(0, definition);
        }
        tx.commit().await?;
        Ok(load)
    }

    /// After bulk writes with ids handed out here: what [`Store::begin_past_writes`] took
    /// off is put back, PostgreSQL's id sequences move past the ids and its tables are
    /// vacuumed, and both engines refresh the planner's statistics.
    pub async fn finish_past_writes(&self, load: PastLoad) -> Result<()> {
        let mut tx = self.begin().await?;
        if tx.engine() == crate::db::Engine::Postgres {
            // Index builds sort in memory rather than on disk where they can.
            tx.execute_raw("SET LOCAL maintenance_work_mem = '512MB'")
                .await?;
            for statement in &load.restore {
                tx.execute_raw(statement).await?;
            }
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
            // VACUUM as well: until the visibility map knows the new pages are all
            // visible, every "index-only" read of the KPI facts fetched each row from the
            // table (a year's dialogues of everyone: 251 s instead of 3 s).
            self.execute_raw("VACUUM (ANALYZE) dialogues, commitments, dialogue_concerns, users, survey_targets, survey_answers")
                .await?;
        }
        Ok(())
    }
}

/// What a bulk load took off PostgreSQL's tables ([`Store::begin_past_writes`]), as the
/// statements that put it back.
#[derive(Debug, Default)]
#[must_use = "finish_past_writes puts back what was taken off"]
pub struct PastLoad {
    restore: Vec<String>,
}
