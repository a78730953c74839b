//! Notices posted to people's own chat webhooks (Slack, Microsoft Teams): the worker's
//! delivery of `chat` jobs (`store::jobs::ChatPayload`, queued with the e-mail notice
//! they repeat). A post that fails is tried again later with the queue's back-off and
//! shown on the outbox page; the service refusing the address for good (4xx other than
//! 408 and 429) gives up at once. Nothing waits on a post: the act that caused the
//! notice is long done.

use crate::AppState;
use app::i18n::Lang;
use chrono::{DateTime, Utc};
use store::StoreError;
use store::jobs::{CHAT, ChatPayload};

/// How long one post may take.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
const LEASE: chrono::Duration = chrono::Duration::minutes(2);
const BATCH: u64 = 50;

/// Posts chat messages over HTTPS (or to a host the deployment named).
#[derive(Clone)]
pub struct ChatPoster {
    client: reqwest::Client,
}

impl Default for ChatPoster {
    fn default() -> Self {
        ChatPoster {
            client: reqwest::Client::builder()
                .timeout(TIMEOUT)
                // A webhook answers; it never sends the server elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
        }
    }
}

/// What one pass did: (posted, to retry, given up).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Posted {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl ChatPoster {
    /// The message as the service takes it: the line of what waits and its link.
    fn body(state: &AppState, p: &ChatPayload) -> serde_json::Value {
        let link = format!(
            "{}{}",
            state.config.public_url.trim_end_matches('/'),
            p.path
        );
        let open = match p.language.as_deref().and_then(Lang::parse) {
            Some(lang) => lang.catalog().get("chat.open").to_string(),
            None => format!(
                "{} / {}",
                Lang::Ja.catalog().get("chat.open"),
                Lang::En.catalog().get("chat.open")
            ),
        };
        p.service.payload(&p.text, &link, &open)
    }

    /// Posts every due chat job once.
    pub async fn deliver(
        &self,
        state: &AppState,
        now: DateTime<Utc>,
    ) -> Result<Posted, StoreError> {
        let store = &state.store;
        let mut done = Posted::default();
        for job in store.claim_jobs(&[CHAT], now, LEASE, BATCH).await? {
            let sent = match serde_json::from_str::<ChatPayload>(&job.payload) {
                Ok(p) => self.post(&p.url, &Self::body(state, &p)).await,
                Err(e) => Err((format!("payload: {e}"), true)),
            };
            match sent {
                Ok(()) => {
                    store.finish_job(job.id, state.clock.now()).await?;
                    done.sent += 1;
                }
                Err((error, permanent)) => {
                    tracing::warn!(job.id = job.id, attempts = job.attempts, %error, "chat message not posted");
                    match store
                        .fail_job(&job, state.clock.now(), &error, permanent)
                        .await?
                    {
                        store::jobs::JobState::Failed => done.failed += 1,
                        _ => done.retrying += 1,
                    }
                }
            }
        }
        Ok(done)
    }

    /// One post; the error says why and whether trying again can help.
    async fn post(&self, url: &str, body: &serde_json::Value) -> Result<(), (String, bool)> {
        let r = self
            .client
            .post(url)
            .json(body)
            .send()
            .await
            // Without the address: its path is the webhook's secret.
            .map_err(|e| {
                (
                    format!("could not reach the webhook: {}", e.without_url()),
                    false,
                )
            })?;
        let status = r.status();
        if status.is_success() {
            return Ok(());
        }
        let permanent = status.is_client_error()
            && status != reqwest::StatusCode::REQUEST_TIMEOUT
            && status != reqwest::StatusCode::TOO_MANY_REQUESTS;
        let said: String = r
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        Err((format!("the webhook answered {status}: {said}"), permanent))
    }
}
