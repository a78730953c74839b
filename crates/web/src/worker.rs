//! The background worker: one loop per server process, safe to run in several processes
//! at once (the queue hands each job to one of them, see `store::jobs`).
//!
//! Each tick:
//! 1. **Follow-ups** (始めましたか？): commitments that count, not yet started, whose start
//!    date plus the tenant's grace period has come, get their check-in asked — the task
//!    on the employee's and the facilitator's pages, and an email to each. Marking and
//!    enqueueing happen in one transaction, so a commitment is asked once.
//! 2. **Reminders** for dialogues starting within [`REMINDER_LEAD`], to both people, once;
//!    and for programme pre-work (事前学習, キャリア・アンカー) still open when the
//!    participant's training is a week away, once per step (the job key says so).
//! 3. **The outbox**: emails due are sent over SMTP; a failure is retried with back-off
//!    and nothing is dropped. Without SMTP configured, emails stay queued (the admin's
//!    送信状況 page says so) until it is.
//!
//! Emails only say that something is waiting and link to it: no note, report text,
//! commitment wording or topic ever goes into one.

use crate::AppState;
use crate::shared::email::compose;
use crate::shared::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use domain::PersonId;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::jobs::{EMAIL, EmailPayload, NewJob};
use store::{Store, StoreError, TenantId};

/// How long before a dialogue its reminder goes out.
pub const REMINDER_LEAD: Duration = Duration::hours(24);
/// How long a claimed email may take before another worker may try it.
const LEASE: Duration = Duration::minutes(5);
/// Emails sent per tick at most.
const BATCH: u64 = 50;

/// Sends email over SMTP.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25` (plain; add `?tls=required` for
    /// STARTTLS), `smtps://user:password@host:465` (TLS).
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("smtp_url is not usable: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("mail_from '{from}' is not an address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends one email. `Err((message, permanent))`: permanent when trying again cannot
    /// help (an address nobody can send to).
    async fn send(&self, email: &EmailPayload) -> Result<(), (String, bool)> {
        let to = email
            .to
            .parse::<Mailbox>()
            .map_err(|e| (format!("address '{}': {e}", email.to), true))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone());
        let message = match &email.calendar {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.body.clone()),
            // The text, then the invitation both as the message's calendar alternative
            // (how Outlook and Google recognise an invitation) and as a file to open.
            Some(c) => {
                let kind = ContentType::parse(&format!(
                    "text/calendar; charset=UTF-8; method={}",
                    c.method
                ))
                .map_err(|e| (format!("calendar content type: {e}"), true))?;
                builder.multipart(
                    MultiPart::mixed()
                        .multipart(
                            MultiPart::alternative()
                                .singlepart(SinglePart::plain(email.body.clone()))
                                .singlepart(
                                    SinglePart::builder()
                                        .header(kind.clone())
                                        .body(c.ics.clone()),
                                ),
                        )
                        .singlepart(Attachment::new("invite.ics".into()).body(c.ics.clone(), kind)),
                )
            }
        }
        .map_err(|e| (format!("message: {e}"), true))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            // 5xx answers are permanent; everything else (refused connection, timeouts,
            // 4xx) may pass later.
            (e.to_string(), e.is_permanent())
        })
    }
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct TickReport {
    pub check_ins_asked: usize,
    pub reminders_sent: usize,
    pub step_reminders: usize,
    /// Participants told that their post-training survey is open.
    pub feedback_invitations: usize,
    /// Fiscal years whose KPIs were recounted.
    pub kpi_years: usize,
    /// Closed surveys whose organisation report was counted.
    pub org_reports: usize,
    pub emails_sent: usize,
    pub emails_retrying: usize,
    pub emails_failed: usize,
    /// Dialogues whose calendar invitation or cancellation was e-mailed.
    pub calendar_invitations: usize,
    /// Notices posted to people's own chat webhooks.
    pub chat_sent: usize,
    pub chat_retrying: usize,
    pub chat_failed: usize,
}

/// The worker of one process.
#[derive(Clone)]
pub struct Worker {
    state: AppState,
    mailer: Option<Mailer>,
    chat: crate::chat::ChatPoster,
}

impl Worker {
    pub fn new(state: AppState, mailer: Option<Mailer>) -> Worker {
        Worker {
            state,
            mailer,
            chat: crate::chat::ChatPoster::default(),
        }
    }

    /// Runs ticks every `every` until the process ends; errors are logged, not fatal.
    pub fn spawn(self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match self.tick().await {
                    Ok(r) if r != TickReport::default() => {
                        tracing::info!(
                            check_ins = r.check_ins_asked,
                            reminders = r.reminders_sent,
                            step_reminders = r.step_reminders,
                            feedback_invitations = r.feedback_invitations,
                            kpi_years = r.kpi_years,
                            org_reports = r.org_reports,
                            sent = r.emails_sent,
                            retrying = r.emails_retrying,
                            failed = r.emails_failed,
                            "worker tick"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "worker tick failed"),
                }
            }
        })
    }

    /// Runs up to `limit` queued jobs of `kind` (by this process or any other; each job is
    /// leased to one worker): `run` does one, saying on failure why and whether a retry
    /// could help. Returns how many finished.
    async fn run_jobs<F, Fut>(
        &self,
        (kind, limit): (&str, u64),
        now: DateTime<Utc>,
        run: F,
    ) -> Result<usize, StoreError>
    where
        F: Fn(store::jobs::Job) -> Fut,
        Fut: std::future::Future<Output = Result<(), (String, bool)>>,
    {
        let store: &Store = &self.state.store;
        let mut done = 0;
        for job in store.claim_jobs(&[kind], now, LEASE, limit).await? {
            match run(job.clone()).await {
                Ok(()) => {
                    store.finish_job(job.id, self.state.clock.now()).await?;
                    done += 1;
                }
                Err((error, permanent)) => {
                    tracing::warn!(key = %job.key, %error, "{kind} failed");
                    store
                        .fail_job(&job, self.state.clock.now(), &error, permanent)
                        .await?;
                }
            }
        }
        Ok(done)
    }

    /// Runs the KPI recounts queued, a few a tick.
    async fn recount_kpis(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let store = &self.state.store;
        let limit = app::kpi::YEARS_PER_TICK as u64;
        self.run_jobs((app::kpi::RECOUNT_JOB, limit), now, |job| async move {
            match job.payload.parse::<i32>() {
                Ok(fy) => app::kpi::refresh(store, TenantId(job.tenant_id), fy, now)
                    .await
                    .map_err(|e| (e.to_string(), false)),
                Err(e) => Err((format!("payload: {e}"), true)),
            }
        })
        .await
    }

    /// Counts the organisation reports queued, one a tick: each decides a whole
    /// organisation's cubes.
    async fn count_org_reports(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let store = &self.state.store;
        self.run_jobs((app::report_store::COUNT_JOB, 1), now, |job| async move {
            app::report_store::run_job(store, TenantId(job.tenant_id), &job.payload, now)
                .await
                .map_err(|e| (e.to_string(), matches!(e, app::Error::NotFound(_))))
        })
        .await
    }

    /// One pass over follow-ups, reminders and the outbox.
    pub async fn tick(&self) -> Result<TickReport, StoreError> {
        let mut report = TickReport::default();
        let now = self.state.clock.now();
        for tenant in self.state.store.list_tenants().await? {
            report.check_ins_asked += self.ask_check_ins(tenant.id, now).await?;
            report.reminders_sent += self.remind(tenant.id, now).await?;
            report.step_reminders += self.remind_programme_steps(tenant.id, now).await?;
            report.feedback_invitations += self.invite_training_feedback(tenant.id, now).await?;
            report.calendar_invitations +=
                crate::calendar_mail::send_due(&self.state, tenant.id, now).await?;
            let current = tenant
                .settings
                .calendar
                .fiscal_year_of(domain::japan_time::japan_date(now))
                .0;
            match app::kpi::due_recounts(&self.state.store, tenant.id, current, now).await {
                Ok(jobs) => {
                    self.state.store.enqueue_jobs(&jobs, now).await?;
                }
                Err(app::Error::Store(e)) => return Err(e),
                Err(e) => tracing::warn!(error = ?e, "kpi recount"),
            }
            match app::report_store::due_counts(&self.state.store, tenant.id, now).await {
                Ok(jobs) => {
                    self.state.store.enqueue_jobs(&jobs, now).await?;
                }
                Err(app::Error::Store(e)) => return Err(e),
                Err(e) => tracing::warn!(error = ?e, "organisation report count"),
            }
        }
        // A year's aggregates are its KPIs and its theme report (an organisation-report
        // job): independent reads and counts, run side by side.
        let (org_reports, kpi_years) =
            tokio::try_join!(self.count_org_reports(now), self.recount_kpis(now))?;
        report.org_reports += org_reports;
        report.kpi_years += kpi_years;
        if let Some(mailer) = &self.mailer {
            self.deliver(mailer, now, &mut report).await?;
        }
        let posted = self.chat.deliver(&self.state, now).await?;
        report.chat_sent += posted.sent;
        report.chat_retrying += posted.retrying;
        report.chat_failed += posted.failed;
        Ok(report)
    }

    async fn ask_check_ins(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let store = &self.state.store;
        let grace = store.check_in_grace_days(tenant).await?;
        let cutoff = self.state.clock.today() - Duration::days(grace);
        let mut asked = 0;
        for due in store.due_check_ins(tenant, cutoff).await? {
            let subject = store
                .person(tenant, PersonId(due.subject_person_id))
                .await?;
            let subject_name = subject.map(|p| p.name).unwrap_or_default();
            let date = due.starts_on.format("%Y-%m-%d").to_string();
            let mut emails = Vec::new();
            if let Some((user, address)) = store
                .account_of_person(tenant, PersonId(due.subject_person_id))
                .await?
            {
                emails.push(self.email(
                    tenant,
                    format!("email:check_in:{}:{}", due.commitment_id, user.0),
                    address,
                    "email.check_in_employee",
                    &[("name", &subject_name), ("date", &date)],
                    "/my",
                    now,
                )?);
            }
            let facilitator = store
                .user(tenant, domain::UserId(due.facilitator_user_id))
                .await?;
            if !facilitator.disabled {
                emails.push(self.email(
                    tenant,
                    format!("email:check_in:{}:{}", due.commitment_id, facilitator.id.0),
                    facilitator.email.clone(),
                    "email.check_in_facilitator",
                    &[
                        ("name", &facilitator.name),
                        ("subject", &subject_name),
                        ("date", &date),
                    ],
                    &format!("/dialogues/{}", due.dialogue_id),
                    now,
                )?);
            }
            if store
                .ask_check_in(tenant, due.commitment_id, &emails, now)
                .await?
            {
                asked += 1;
            }
        }
        Ok(asked)
    }

    async fn remind(&self, tenant: TenantId, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let store = &self.state.store;
        let mut sent = 0;
        for due in store
            .due_reminders(tenant, now, now + REMINDER_LEAD)
            .await?
        {
            let Some(d) = store.dialogue(tenant, due.dialogue_id).await? else {
                continue;
            };
            let when = crate::shared::time::when(d.starts_at);
            let kind_key = format!("dialogue.kind.{}", d.kind.key());
            let kind_ja = Lang::Ja.catalog().get(&kind_key).to_string();
            let kind_en = Lang::En.catalog().get(&kind_key).to_string();
            let mut emails = Vec::new();
            let facilitator = store.user(tenant, d.facilitator).await?;
            let subject_account = store.account_of_person(tenant, d.subject).await?;
            for (user, address, name) in subject_account
                .map(|(u, a)| (u, a, d.subject_name.clone()))
                .into_iter()
                .chain((!facilitator.disabled).then(|| {
                    (
                        facilitator.id,
                        facilitator.email.clone(),
                        facilitator.name.clone(),
                    )
                }))
            {
                emails.push(self.email(
                    tenant,
                    format!("email:reminder:{}:{}", d.id, user.0),
                    address,
                    "email.reminder",
                    &[
                        ("name", &name),
                        ("kind_ja", &kind_ja),
                        ("kind_en", &kind_en),
                        ("when", &when),
                        ("place", &d.place),
                        ("subject", &d.subject_name),
                        ("facilitator", &d.facilitator_name),
                    ],
                    &format!("/dialogues/{}", d.id),
                    now,
                )?);
            }
            if store.send_reminders(tenant, d.id, &emails, now).await? {
                sent += 1;
            }
        }
        Ok(sent)
    }

    /// Pre-work reminders for participants of sessions starting within the week.
    async fn remind_programme_steps(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let store = &self.state.store;
        let lead = Duration::days(domain::programme::REMIND_BEFORE_TRAINING_DAYS);
        let soon = store
            .sessions_starting_between(tenant, now - Duration::days(1), now + lead)
            .await?;
        if soon.is_empty() {
            return Ok(0);
        }
        let cal = store.tenant(tenant).await?.settings.calendar;
        let today = self.state.clock.today();
        let mut programmes: Vec<i64> = soon.iter().map(|s| s.programme).collect();
        programmes.sort_unstable();
        programmes.dedup();
        let mut jobs = Vec::new();
        for id in programmes {
            let Some(programme) = store.programme(tenant, id).await? else {
                continue;
            };
            // A cancelled programme reminds nobody.
            if programme.cancelled_at.is_some() {
                continue;
            }
            for (p, progress) in store
                .programme_progress(tenant, &programme, &cal, now)
                .await?
            {
                let Some(session) = soon.iter().find(|s| Some(s.id) == p.session) else {
                    continue;
                };
                let days = (crate::shared::time::jst(session.starts_at).date() - today).num_days();
                let steps = progress.overdue(Some(days));
                if steps.is_empty() {
                    continue;
                }
                let Some((user, address)) = store.account_of_person(tenant, p.person).await? else {
                    continue;
                };
                let when = crate::shared::time::when(session.starts_at);
                for step in steps {
                    let key = format!("programme.step.{}", step.key());
                    let (step_ja, step_en) = (
                        Lang::Ja.catalog().get(&key).to_string(),
                        Lang::En.catalog().get(&key).to_string(),
                    );
                    jobs.push(self.email(
                        tenant,
                        format!(
                            "email:programme_step:{id}:{}:{}:{}",
                            p.person.0,
                            step.key(),
                            user.0
                        ),
                        address.clone(),
                        "email.programme_step",
                        &[
                            ("name", &p.name),
                            ("programme", &programme.name),
                            ("step_ja", &step_ja),
                            ("step_en", &step_en),
                            ("when", &when),
                        ],
                        &format!("/my/programmes/{id}"),
                        now,
                    )?);
                }
            }
        }
        Ok(store.enqueue_jobs(&jobs, now).await? as usize)
    }

    /// Tells each participant whose session ended in the last two days that the
    /// post-training survey waits for them (once: the job key names programme, person
    /// and account). The notice names the programme and the last day only.
    async fn invite_training_feedback(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let store = &self.state.store;
        let waiting = store
            .training_feedback_waiting(tenant, now - Duration::days(2), now)
            .await?;
        let mut jobs = Vec::new();
        for (programme, programme_name, person, name, ended) in waiting {
            let Some((user, address)) = store.account_of_person(tenant, person).await? else {
                continue;
            };
            let until = crate::shared::time::jst(
                ended + Duration::days(domain::training_feedback::ANSWER_DAYS),
            )
            .date();
            jobs.push(self.email(
                tenant,
                format!(
                    "email:training_feedback:{programme}:{}:{}",
                    person.0, user.0
                ),
                address,
                "email.training_feedback",
                &[
                    ("name", &name),
                    ("programme", &programme_name),
                    ("until", &until),
                ],
                &format!("/my/programmes/{programme}#training-feedback"),
                now,
            )?);
        }
        Ok(store.enqueue_jobs(&jobs, now).await? as usize)
    }

    async fn deliver(
        &self,
        mailer: &Mailer,
        now: DateTime<Utc>,
        report: &mut TickReport,
    ) -> Result<(), StoreError> {
        let store: &Store = &self.state.store;
        for job in store.claim_jobs(&[EMAIL], now, LEASE, BATCH).await? {
            let email = serde_json::from_str::<EmailPayload>(&job.payload);
            let sent = match &email {
                Ok(email) => mailer.send(email).await,
                Err(e) => Err((format!("payload: {e}"), true)),
            };
            match sent {
                Ok(()) => {
                    match &email {
                        Ok(e) if e.credential => {
                            store
                                .finish_job_forgetting_text(job.id, &e.to, self.state.clock.now())
                                .await?
                        }
                        _ => store.finish_job(job.id, self.state.clock.now()).await?,
                    }
                    report.emails_sent += 1;
                }
                Err((error, permanent)) => {
                    tracing::warn!(job.id = job.id, attempts = job.attempts, %error, "email not sent");
                    match store
                        .fail_job(&job, self.state.clock.now(), &error, permanent)
                        .await?
                    {
                        store::jobs::JobState::Failed => report.emails_failed += 1,
                        _ => report.emails_retrying += 1,
                    }
                }
            }
        }
        Ok(())
    }

    /// An email job from the translation `key` (its `.subject` and `.body` in Japanese,
    /// then English), linking to `path`.
    #[allow(clippy::too_many_arguments)]
    fn email(
        &self,
        tenant: TenantId,
        job_key: String,
        to: String,
        key: &str,
        args: &[(&str, &dyn std::fmt::Display)],
        path: &str,
        now: DateTime<Utc>,
    ) -> Result<NewJob, StoreError> {
        NewJob::email(
            tenant,
            job_key,
            &compose(&self.state, to, key, args, path),
            now,
        )
    }
}
