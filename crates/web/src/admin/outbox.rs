//! 送信状況 (admin): the email outbox — how many emails wait, are retried, went or failed,
//! and the latest ones with their recipient and last error. It shows what kind of email
//! each one is, never its subject or text (those name people and what they do).

use crate::AppState;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::policy::Action;
use store::jobs::{CHAT, ChatPayload, EMAIL, EmailPayload, JobState, QueueCounts};

/// The latest emails listed.
const SHOWN: u64 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/outbox", get(outbox_page))
}

/// One email as the page lists it.
struct Row {
    kind_key: String,
    to: String,
    state_key: &'static str,
    attempts: i64,
    created: String,
    next_try: String,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    shell: Shell,
    smtp_configured: bool,
    shown: u64,
    counts: QueueCounts,
    rows: Vec<Row>,
    chat_counts: QueueCounts,
    chat_rows: Vec<Row>,
}

/// What an email is about, from its outbox key (`email:<kind>:…`).
fn kind_of(key: &str) -> String {
    let kind = key.split(':').nth(1).unwrap_or("other");
    match kind {
        "check_in" | "reminder" | "report" => format!("outbox.kind.{kind}"),
        _ => "outbox.kind.other".into(),
    }
}

/// GET /admin/outbox
async fn outbox_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<OutboxPage, AppError> {
    allow(
        &auth,
        Action::ManageTenantSettings {
            tenant: auth.tenant(),
        },
    )?;
    let tenant = auth.tenant();
    let rows = state
        .store
        .recent_jobs(tenant, EMAIL, SHOWN)
        .await?
        .into_iter()
        .map(|j| {
            let to = serde_json::from_str::<EmailPayload>(&j.payload)
                .map(|p| p.to)
                .unwrap_or_default();
            row(kind_of(&j.key), to, j)
        })
        .collect();
    // Chat posts: the service and the address masked (it is a credential), never the
    // line posted.
    let chat_rows = state
        .store
        .recent_jobs(tenant, CHAT, SHOWN)
        .await?
        .into_iter()
        .map(|j| {
            let to = serde_json::from_str::<ChatPayload>(&j.payload)
                .map(|p| format!("{} {}", p.service, domain::chat::masked(&p.url)))
                .unwrap_or_default();
            row("outbox.kind.chat".into(), to, j)
        })
        .collect();
    Ok(OutboxPage {
        shell: page.shell(Some(&auth), "/admin"),
        smtp_configured: state.config.smtp_configured,
        shown: SHOWN,
        counts: state.store.queue_counts(tenant, EMAIL).await?,
        chat_counts: state.store.queue_counts(tenant, CHAT).await?,
        rows,
        chat_rows,
    })
}

fn row(kind_key: String, to: String, j: store::jobs::JobStatus) -> Row {
    Row {
        kind_key,
        to,
        state_key: match j.state {
            JobState::Queued if j.attempts > 0 => "outbox.state.retrying",
            JobState::Queued => "outbox.state.queued",
            JobState::Running => "outbox.state.running",
            JobState::Done => "outbox.state.done",
            JobState::Failed => "outbox.state.failed",
        },
        attempts: j.attempts,
        created: when(j.created_at),
        next_try: match j.state {
            JobState::Queued => when(j.run_at),
            _ => String::new(),
        },
        error: j.last_error.unwrap_or_default(),
    }
}
