//! The job queue, in the database so that several server processes share it.
//!
//! Contract:
//! - **Idempotent enqueue**: every job has a unique `key` naming what it does
//!   (`email:check_in:41:7`); enqueueing a key that exists does nothing.
//! - **Claim**: [`Store::claim_jobs`] marks due jobs `running` with a lease and returns
//!   them, in one statement: on PostgreSQL the rows are picked with `FOR UPDATE SKIP
//!   LOCKED` so concurrent workers never get the same job; SQLite runs one writer at a
//!   time, so the same single `UPDATE … RETURNING` is atomic there. A job whose worker
//!   died is claimed again once its lease ends.
//! - **Retries**: a failed attempt puts the job back with exponential back-off
//!   ([`backoff`]); after `max_attempts` it is `failed` and stays visible to admins.
//! - Delivery is at least once: a worker killed between doing the work and
//!   [`Store::finish_job`] does it again after the lease, so handlers must tolerate that.
//!
//! Emails are jobs of kind [`EMAIL`]: the outbox.

use crate::db::Tx;
use crate::schema::{Commitments, Dialogues, FollowUpColumns, Jobs};
use crate::{Result, Store, StoreError, TenantId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query};

/// The kind of an email job (payload: [`EmailPayload`]).
pub const EMAIL: &str = "email";
/// A notice posted to someone's own chat webhook ([`ChatPayload`]).
pub const CHAT: &str = "chat";
/// Attempts before an email is given up (about 2 days of back-off in all).
pub const EMAIL_ATTEMPTS: i64 = 10;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn key(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Failed,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub tenant: TenantId,
    pub kind: String,
    /// Unique over all jobs: what makes enqueueing idempotent.
    pub key: String,
    pub payload: String,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i64,
}

/// An email, as an outbox job carries it. Emails say that something is waiting and
/// link to it; they never carry a note, a report or a commitment's words.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EmailPayload {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The same notice for the app's お知らせ list (sent only by email when absent:
    /// links to set or reset a password, which go by e-mail whatever the user chose).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// The message in each language alone, (language, subject, body): when the
    /// recipient's account has chosen a language, that one replaces `subject` and `body`
    /// as the job is queued (`subject`/`body` hold every language, for anyone else).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<(String, String, String)>,
    /// A calendar invitation attached as `invite.ics` (RFC 5546: its METHOD, and the
    /// iCalendar text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarPart>,
    /// The message carries a credential (a link that sets a password): once sent, its
    /// text is not kept in the outbox ([`Store::finish_job_forgetting_text`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub credential: bool,
}

/// An iCalendar object carried by an e-mail, so mail programs add, move or remove the
/// event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CalendarPart {
    /// `REQUEST` or `CANCEL`.
    pub method: String,
    pub ics: String,
}

impl EmailPayload {
    /// The message as the recipient reads it: in their language alone when they chose
    /// one this message has, in every language otherwise.
    pub fn for_language(mut self, language: Option<&str>) -> EmailPayload {
        if let Some((_, subject, body)) = language
            .and_then(|l| self.languages.iter().find(|(code, _, _)| code == l))
            .cloned()
        {
            self.subject = subject;
            self.body = body;
        }
        self.languages.clear();
        self
    }
}

/// A notice as it goes to someone's own chat webhook (kind [`CHAT`]): the line of what
/// waits, in their language, and the path it points at (the worker makes the link).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChatPayload {
    pub service: domain::chat::ChatService,
    pub url: String,
    pub text: String,
    pub path: String,
    /// The recipient's language (`None`: every language, as `text` is).
    #[serde(default)]
    pub language: Option<String>,
}

/// A notice as the app lists it: a translation key (`{key}.subject` is its line), its
/// arguments, and the page it points at. Like the email, it never carries what was said.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub key: String,
    pub args: Vec<(String, String)>,
    pub path: String,
}

impl NewJob {
    /// An email to send as soon as possible.
    pub fn email(
        tenant: TenantId,
        key: String,
        email: &EmailPayload,
        now: DateTime<Utc>,
    ) -> Result<NewJob> {
        Ok(NewJob {
            tenant,
            kind: EMAIL.into(),
            key,
            payload: serde_json::to_string(email)
                .map_err(|e| StoreError::Integrity(format!("email payload: {e}")))?,
            run_at: now,
            max_attempts: EMAIL_ATTEMPTS,
        })
    }
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub tenant_id: i64,
    pub kind: String,
    pub key: String,
    pub payload: String,
    /// Including the one now running.
    pub attempts: i64,
    pub max_attempts: i64,
}

/// A job as the outbox page and status checks show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobStatus {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub payload: String,
    pub state: JobState,
    pub attempts: i64,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    id: i64,
    kind: String,
    key: String,
    payload: String,
    state: String,
    attempts: i64,
    run_at: DateTime<Utc>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl StatusRow {
    fn into_status(self) -> Result<JobStatus> {
        Ok(JobStatus {
            id: self.id,
            kind: self.kind,
            key: self.key,
            payload: self.payload,
            state: JobState::parse(&self.state)
                .ok_or_else(|| StoreError::Integrity(format!("job state '{}'", self.state)))?,
            attempts: self.attempts,
            run_at: self.run_at,
            last_error: self.last_error,
            created_at: self.created_at,
            finished_at: self.finished_at,
        })
    }
}

/// Counts of a tenant's jobs of one kind by state, for the outbox summary.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct QueueCounts {
    pub queued: i64,
    /// Queued after at least one failed attempt.
    pub retrying: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

/// How long to wait after the `attempts`-th failed attempt: one minute, doubling, at most
/// six hours.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    Duration::minutes(std::cmp::Ord::min(1_i64 << exp, 360))
}

/// A commitment whose follow-up (始めましたか？) is due and was not yet asked.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DueCheckIn {
    pub commitment_id: i64,
    pub dialogue_id: i64,
    pub subject_person_id: i64,
    pub facilitator_user_id: i64,
    pub starts_on: NaiveDate,
}

/// A scheduled dialogue whose reminder is due and was not yet sent.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DueReminder {
    pub dialogue_id: i64,
    pub subject_person_id: i64,
    pub facilitator_user_id: i64,
    pub starts_at: DateTime<Utc>,
}

const STATUS_COLUMNS: [Jobs; 10] = [
    Jobs::Id,
    Jobs::Kind,
    Jobs::Key,
    Jobs::Payload,
    Jobs::State,
    Jobs::Attempts,
    Jobs::RunAt,
    Jobs::LastError,
    Jobs::CreatedAt,
    Jobs::FinishedAt,
];

pub(crate) async fn insert_jobs(tx: &mut Tx, jobs: &[NewJob], now: DateTime<Utc>) -> Result<u64> {
    let mut added = 0;
    for j in jobs {
        // An e-mail is written for its recipient's account: in their language, and not
        // at all when they read their notices in the app only (the notice still waits).
        let mut payload = std::borrow::Cow::Borrowed(&j.payload);
        let mut recipient = None;
        if j.kind == EMAIL
            && let Ok(email) = serde_json::from_str::<EmailPayload>(&j.payload)
        {
            recipient = crate::notifications::recipient(tx, j.tenant, &email.to).await?;
            let (language, channels) = match &recipient {
                Some(r) => (r.language.as_deref(), r.notify),
                None => (None, domain::account::NotifyChannels::Both),
            };
            if let Some(notice) = &email.notice
                && !channels.by_email()
            {
                if let Some(r) = &recipient {
                    let n = crate::notifications::write(tx, j, r.user, notice, now).await?;
                    added += n;
                    if n == 1
                        && let Some((service, url)) = &r.chat
                    {
                        let subject = email.clone().for_language(language).subject;
                        let chat = (*service, url.as_str(), language);
                        chat_job(tx, j, chat, &subject, &notice.path, now).await?;
                    }
                }
                continue;
            }
            payload = std::borrow::Cow::Owned(
                serde_json::to_string(&email.for_language(language))
                    .map_err(|e| StoreError::Integrity(format!("email payload: {e}")))?,
            );
        }
        let n = tx.execute(&insert_statement(j, &payload, now)).await?;
        added += n;
        // Every email notice also waits in the app, for the account it is addressed to,
        // unless they read their notices by e-mail only.
        if n == 1
            && let Some(r) = &recipient
            && let Ok(email) = serde_json::from_str::<EmailPayload>(&payload)
            && let Some(notice) = &email.notice
        {
            if r.notify.in_app() {
                crate::notifications::write(tx, j, r.user, notice, now).await?;
            }
            // …and in their own chat, when they connected one the company allows.
            if let Some((service, url)) = &r.chat {
                let chat = (*service, url.as_str(), r.language.as_deref());
                chat_job(tx, j, chat, &email.subject, &notice.path, now).await?;
            }
        }
    }
    Ok(added)
}

/// The statement that enqueues `j` with `payload` (a repeated key adds nothing).
fn insert_statement(j: &NewJob, payload: &str, now: DateTime<Utc>) -> sea_query::InsertStatement {
    Query::insert()
        .into_table(Jobs::Table)
        .columns([
            Jobs::TenantId,
            Jobs::Kind,
            Jobs::Key,
            Jobs::Payload,
            Jobs::State,
            Jobs::Attempts,
            Jobs::MaxAttempts,
            Jobs::RunAt,
            Jobs::CreatedAt,
        ])
        .values_panic([
            j.tenant.0.into(),
            j.kind.clone().into(),
            j.key.clone().into(),
            payload.into(),
            JobState::Queued.key().into(),
            0_i64.into(),
            j.max_attempts.into(),
            j.run_at.into(),
            now.into(),
        ])
        .on_conflict(OnConflict::column(Jobs::Key).do_nothing().to_owned())
        .to_owned()
}

/// How many times a chat message is tried before it is given up.
pub const CHAT_ATTEMPTS: i64 = 8;

/// Enqueues the notice of e-mail job `j` for the recipient's own chat webhook (kind
/// [`CHAT`], keyed after the e-mail so it goes once).
async fn chat_job(
    tx: &mut crate::Tx,
    j: &NewJob,
    (service, url, language): (domain::chat::ChatService, &str, Option<&str>),
    text: &str,
    path: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::to_string(&ChatPayload {
        service,
        url: url.to_string(),
        text: text.to_string(),
        path: path.to_string(),
        language: language.map(str::to_string),
    })
    .map_err(|e| StoreError::Integrity(format!("chat payload: {e}")))?;
    let job = NewJob {
        tenant: j.tenant,
        kind: CHAT.into(),
        key: format!("{}:chat", j.key),
        payload: payload.clone(),
        run_at: now,
        max_attempts: CHAT_ATTEMPTS,
    };
    tx.execute(&insert_statement(&job, &payload, now)).await?;
    Ok(())
}

impl Store {
    /// Enqueues jobs; keys that already exist are left as they are. Returns how many
    /// were new.
    pub async fn enqueue_jobs(&self, jobs: &[NewJob], now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.begin().await?;
        let added = insert_jobs(&mut tx, jobs, now).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due jobs of the given kinds for `lease`: queued ones whose
    /// time has come, and running ones whose lease ran out (their worker died).
    #[tracing::instrument(skip_all, fields(limit))]
    pub async fn claim_jobs(
        &self,
        kinds: &[&str],
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<Job>> {
        if kinds.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let due = Query::select()
            .column(Jobs::Id)
            .from(Jobs::Table)
            .and_where(Expr::col(Jobs::Kind).is_in(kinds.iter().map(|k| k.to_string())))
            .cond_where(
                sea_query::Cond::any()
                    .add(
                        Expr::col(Jobs::State)
                            .eq(JobState::Queued.key())
                            .and(Expr::col(Jobs::RunAt).lte(now)),
                    )
                    .add(
                        Expr::col(Jobs::State)
                            .eq(JobState::Running.key())
                            .and(Expr::col(Jobs::LockedUntil).lt(now)),
                    ),
            )
            .order_by(Jobs::RunAt, Order::Asc)
            .order_by(Jobs::Id, Order::Asc)
            .limit(limit)
            // Rendered for PostgreSQL only; SQLite has no row locks and needs none.
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        self.fetch_all(
            &Query::update()
                .table(Jobs::Table)
                .value(Jobs::State, JobState::Running.key())
                .value(Jobs::LockedUntil, now + lease)
                .value(Jobs::Attempts, Expr::col(Jobs::Attempts).add(1))
                .and_where(Expr::col(Jobs::Id).in_subquery(due))
                .returning(Query::returning().columns([
                    Jobs::Id,
                    Jobs::TenantId,
                    Jobs::Kind,
                    Jobs::Key,
                    Jobs::Payload,
                    Jobs::Attempts,
                    Jobs::MaxAttempts,
                ]))
                .to_owned(),
        )
        .await
    }

    /// The job was done.
    pub async fn finish_job(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Jobs::Table)
                .value(Jobs::State, JobState::Done.key())
                .value(Jobs::FinishedAt, now)
                .value(Jobs::LockedUntil, Option::<DateTime<Utc>>::None)
                .value(Jobs::LastError, Option::<String>::None)
                .and_where(Expr::col(Jobs::Id).eq(id))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// Marks an e-mail done and keeps only its address and that it went: its subject and
    /// text held a credential, which must not outlive the sending in the database.
    pub async fn finish_job_forgetting_text(
        &self,
        id: i64,
        to: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let kept = serde_json::to_string(&EmailPayload {
            to: to.to_string(),
            subject: String::new(),
            body: String::new(),
            notice: None,
            languages: Vec::new(),
            calendar: None,
            credential: true,
        })
        .map_err(|e| StoreError::Integrity(format!("email payload: {e}")))?;
        self.execute(
            &Query::update()
                .table(Jobs::Table)
                .value(Jobs::Payload, kept)
                .and_where(Expr::col(Jobs::Id).eq(id))
                .to_owned(),
        )
        .await?;
        self.finish_job(id, now).await
    }

    /// An attempt failed: back to the queue after [`backoff`], or `failed` once its
    /// attempts are used up or when trying again cannot help (`permanent`, e.g. an
    /// address the mail server refuses). Returns the state it is left in.
    pub async fn fail_job(
        &self,
        job: &Job,
        now: DateTime<Utc>,
        error: &str,
        permanent: bool,
    ) -> Result<JobState> {
        let (state, finished) = if permanent || job.attempts >= job.max_attempts {
            (JobState::Failed, Some(now))
        } else {
            (JobState::Queued, None)
        };
        let error: String = error.chars().take(1000).collect();
        self.execute(
            &Query::update()
                .table(Jobs::Table)
                .value(Jobs::State, state.key())
                .value(Jobs::RunAt, now + backoff(job.attempts))
                .value(Jobs::LockedUntil, Option::<DateTime<Utc>>::None)
                .value(Jobs::LastError, error)
                .value(Jobs::FinishedAt, finished)
                .and_where(Expr::col(Jobs::Id).eq(job.id))
                .to_owned(),
        )
        .await?;
        Ok(state)
    }

    /// The job with this key, if any, scoped by tenant.
    pub async fn job_status(&self, tenant: TenantId, key: &str) -> Result<Option<JobStatus>> {
        self.fetch_optional::<StatusRow, _>(
            &Query::select()
                .columns(STATUS_COLUMNS)
                .from(Jobs::Table)
                .and_where(Expr::col(Jobs::TenantId).eq(tenant.0))
                .and_where(Expr::col(Jobs::Key).eq(key))
                .to_owned(),
        )
        .await?
        .map(StatusRow::into_status)
        .transpose()
    }

    /// A tenant's jobs of one kind, newest first.
    pub async fn recent_jobs(
        &self,
        tenant: TenantId,
        kind: &str,
        limit: u64,
    ) -> Result<Vec<JobStatus>> {
        self.fetch_all::<StatusRow, _>(
            &Query::select()
                .columns(STATUS_COLUMNS)
                .from(Jobs::Table)
                .and_where(Expr::col(Jobs::TenantId).eq(tenant.0))
                .and_where(Expr::col(Jobs::Kind).eq(kind))
                .order_by(Jobs::CreatedAt, Order::Desc)
                .order_by(Jobs::Id, Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await?
        .into_iter()
        .map(StatusRow::into_status)
        .collect()
    }

    /// How many of a tenant's jobs of one kind are in each state.
    pub async fn queue_counts(&self, tenant: TenantId, kind: &str) -> Result<QueueCounts> {
        let rows: Vec<(String, bool, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(Jobs::State)
                    .expr(Expr::col(Jobs::Attempts).gt(0))
                    .expr(Expr::col(Jobs::Id).count())
                    .from(Jobs::Table)
                    .and_where(Expr::col(Jobs::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Jobs::Kind).eq(kind))
                    .group_by_col(Jobs::State)
                    .group_by_col(Jobs::Attempts)
                    .to_owned(),
            )
            .await?;
        let mut c = QueueCounts::default();
        for (state, tried, n) in rows {
            match JobState::parse(&state) {
                Some(JobState::Queued) if tried => c.retrying += n,
                Some(JobState::Queued) => c.queued += n,
                Some(JobState::Running) => c.running += n,
                Some(JobState::Done) => c.done += n,
                Some(JobState::Failed) => c.failed += n,
                None => return Err(StoreError::Integrity(format!("job state '{state}'"))),
            }
        }
        Ok(c)
    }

    /// Commitments that count, not yet started by anyone's word, whose start date is on
    /// or before `cutoff` (today minus the tenant's grace period) and whose follow-up was
    /// not yet asked.
    pub async fn due_check_ins(
        &self,
        tenant: TenantId,
        cutoff: NaiveDate,
    ) -> Result<Vec<DueCheckIn>> {
        self.fetch_all(
            &Query::select()
                .expr_as(
                    Expr::col((Commitments::Table, Commitments::Id)),
                    sea_query::Alias::new("commitment_id"),
                )
                .column((Commitments::Table, Commitments::DialogueId))
                .column((Commitments::Table, Commitments::SubjectPersonId))
                .column((Dialogues::Table, Dialogues::FacilitatorUserId))
                .column((Commitments::Table, Commitments::StartsOn))
                .from(Commitments::Table)
                .inner_join(
                    Dialogues::Table,
                    Expr::col((Dialogues::Table, Dialogues::Id))
                        .equals((Commitments::Table, Commitments::DialogueId)),
                )
                .and_where(Expr::col((Commitments::Table, Commitments::TenantId)).eq(tenant.0))
                .and_where(Expr::col((Commitments::Table, Commitments::Replaced)).eq(false))
                .and_where(Expr::col((Commitments::Table, Commitments::Objective)).eq(true))
                .and_where(Expr::col((Commitments::Table, Commitments::HasStart)).eq(true))
                .and_where(Expr::col((Commitments::Table, Commitments::ConfirmedAt)).is_not_null())
                .and_where(
                    Expr::col((Commitments::Table, Commitments::Status))
                        .eq(domain::commitment::Status::NotStarted.key()),
                )
                .and_where(Expr::col((Commitments::Table, Commitments::StartsOn)).lte(cutoff))
                .and_where(
                    Expr::col((Commitments::Table, FollowUpColumns::CheckInAskedAt)).is_null(),
                )
                .order_by((Commitments::Table, Commitments::Id), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Marks a commitment's follow-up as asked and enqueues its emails, together. Returns
    /// false (and enqueues nothing) when another process asked first.
    pub async fn ask_check_in(
        &self,
        tenant: TenantId,
        commitment: i64,
        emails: &[NewJob],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.mark_and_enqueue(
            Query::update()
                .table(Commitments::Table)
                .value(FollowUpColumns::CheckInAskedAt, now)
                .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                .and_where(Expr::col(Commitments::Id).eq(commitment))
                .and_where(Expr::col(FollowUpColumns::CheckInAskedAt).is_null())
                .to_owned(),
            emails,
            now,
        )
        .await
    }

    /// When a commitment's follow-up was asked, if it was.
    pub async fn check_in_asked_at(
        &self,
        tenant: TenantId,
        commitment: i64,
    ) -> Result<Option<DateTime<Utc>>> {
        let row: Option<(Option<DateTime<Utc>>,)> = self
            .fetch_optional(
                &Query::select()
                    .column(FollowUpColumns::CheckInAskedAt)
                    .from(Commitments::Table)
                    .and_where(Expr::col(Commitments::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Commitments::Id).eq(commitment))
                    .to_owned(),
            )
            .await?;
        Ok(row.and_then(|(at,)| at))
    }

    /// Scheduled dialogues starting after `now` and no later than `until` whose reminder
    /// was not yet sent.
    pub async fn due_reminders(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DueReminder>> {
        self.fetch_all(
            &Query::select()
                .expr_as(
                    Expr::col(Dialogues::Id),
                    sea_query::Alias::new("dialogue_id"),
                )
                .column(Dialogues::SubjectPersonId)
                .column(Dialogues::FacilitatorUserId)
                .column(Dialogues::StartsAt)
                .from(Dialogues::Table)
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(
                    Expr::col(Dialogues::State)
                        .eq(domain::dialogue::DialogueState::Scheduled.key()),
                )
                .and_where(Expr::col(Dialogues::StartsAt).gt(now))
                .and_where(Expr::col(Dialogues::StartsAt).lte(until))
                .and_where(Expr::col(FollowUpColumns::RemindedAt).is_null())
                .order_by(Dialogues::StartsAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Marks a dialogue as reminded and enqueues the reminders, together; false when
    /// another process did it first.
    pub async fn send_reminders(
        &self,
        tenant: TenantId,
        dialogue: i64,
        emails: &[NewJob],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.mark_and_enqueue(
            Query::update()
                .table(Dialogues::Table)
                .value(FollowUpColumns::RemindedAt, now)
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::Id).eq(dialogue))
                .and_where(Expr::col(FollowUpColumns::RemindedAt).is_null())
                .to_owned(),
            emails,
            now,
        )
        .await
    }

    /// Runs `mark` (an update that sets a "done" mark only where it is not set yet) and,
    /// when it marked a row, enqueues `jobs` in the same transaction. False when another
    /// process had marked it first (nothing is enqueued then).
    async fn mark_and_enqueue(
        &self,
        mark: sea_query::UpdateStatement,
        jobs: &[NewJob],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        if tx.execute(&mark).await? == 0 {
            return Ok(false);
        }
        insert_jobs(&mut tx, jobs, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(5), Duration::minutes(16));
        assert_eq!(backoff(9), Duration::minutes(256));
        assert_eq!(backoff(10), Duration::minutes(360));
        assert_eq!(backoff(1000), Duration::minutes(360));
    }

    #[test]
    fn the_claim_skips_locked_rows_on_postgres_only() {
        let q = Query::select()
            .column(Jobs::Id)
            .from(Jobs::Table)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        assert!(
            q.to_string(sea_query::PostgresQueryBuilder)
                .ends_with("FOR UPDATE SKIP LOCKED")
        );
        assert!(
            !q.to_string(sea_query::SqliteQueryBuilder)
                .contains("FOR UPDATE")
        );
    }
}

/// A dialogue whose calendar invitation (or cancellation) waits to be e-mailed.
#[derive(Debug, Clone, PartialEq)]
pub struct DueInvitation {
    pub dialogue: crate::dialogues::Dialogue,
    /// The SEQUENCE the invitation carries.
    pub sequence: i64,
}

impl Store {
    /// Dialogues starting between `now` and `until` whose invitation or cancellation
    /// waits to be e-mailed (a series' later meetings wait until they come within
    /// reach, so nobody gets a year of invitations at once). Those that began
    /// meanwhile are let go first: an invitation to the past helps nobody.
    pub async fn due_invitations(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<DueInvitation>> {
        self.execute(
            &Query::update()
                .table(Dialogues::Table)
                .value(Dialogues::CalendarDue, false)
                .and_where(Expr::col(Dialogues::CalendarDue).eq(true))
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::StartsAt).lte(now))
                .to_owned(),
        )
        .await?;
        let due: Vec<(i64, i64)> = self
            .fetch_all(
                &Query::select()
                    .columns([Dialogues::Id, Dialogues::CalendarSeq])
                    .from(Dialogues::Table)
                    .and_where(Expr::col(Dialogues::CalendarDue).eq(true))
                    .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Dialogues::StartsAt).gt(now))
                    .and_where(Expr::col(Dialogues::StartsAt).lte(until))
                    .order_by(Dialogues::StartsAt, Order::Asc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        let mut out = Vec::with_capacity(due.len());
        for (id, sequence) in due {
            if let Some(dialogue) = self.dialogue(tenant, id).await? {
                out.push(DueInvitation { dialogue, sequence });
            }
        }
        Ok(out)
    }

    /// Marks a dialogue's invitation of `sequence` as sent and enqueues its e-mails,
    /// together; false (nothing enqueued) when another process sent it first or it
    /// changed meanwhile (the next pass sends the newer one).
    pub async fn send_invitation(
        &self,
        tenant: TenantId,
        dialogue: i64,
        sequence: i64,
        emails: &[NewJob],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.mark_and_enqueue(
            Query::update()
                .table(Dialogues::Table)
                .value(Dialogues::CalendarDue, false)
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .and_where(Expr::col(Dialogues::Id).eq(dialogue))
                .and_where(Expr::col(Dialogues::CalendarDue).eq(true))
                .and_where(Expr::col(Dialogues::CalendarSeq).eq(sequence))
                .to_owned(),
            emails,
            now,
        )
        .await
    }

    /// Nothing of the tenant waits to be sent to calendars (after generating a demo
    /// company, whose meetings nobody booked by hand).
    pub async fn mark_invitations_sent(&self, tenant: TenantId) -> Result<u64> {
        self.execute(
            &Query::update()
                .table(Dialogues::Table)
                .value(Dialogues::CalendarDue, false)
                .and_where(Expr::col(Dialogues::CalendarDue).eq(true))
                .and_where(Expr::col(Dialogues::TenantId).eq(tenant.0))
                .to_owned(),
        )
        .await
    }
}
