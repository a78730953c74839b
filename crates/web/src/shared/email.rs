//! Emails as the product writes them: Japanese first, then English, each with its link.

use super::i18n::Lang;
use crate::AppState;
use store::jobs::{EmailPayload, Notice};

/// The address of `path` as people reach the product.
pub fn link(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.public_url.trim_end_matches('/'))
}

/// An email to `to` from translation `key` (its `.subject` and `.body`): Japanese first,
/// then English, each with the link to `path`. The same notice waits in the app's お知らせ
/// list of the account with that address (`store::notifications`).
pub fn compose(
    state: &AppState,
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    path: &str,
) -> EmailPayload {
    let link = link(state, path);
    let (ja, en) = (Lang::Ja.catalog(), Lang::En.catalog());
    let subject = format!(
        "{} / {}",
        ja.format(&format!("{key}.subject"), args),
        en.format(&format!("{key}.subject"), args)
    );
    let body = format!(
        "{}\n\n{link}\n\n{}\n\n---\n\n{}\n\n{link}\n\n{}\n",
        ja.format(&format!("{key}.body"), args),
        ja.get("email.footer"),
        en.format(&format!("{key}.body"), args),
        en.get("email.footer"),
    );
    EmailPayload {
        to,
        subject,
        body,
        notice: Some(Notice {
            key: key.to_string(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.to_string()))
                .collect(),
            path: path.to_string(),
        }),
    }
}

/// Queues the notice `key` to `to` now — the email and, with it, the in-app お知らせ —
/// once per `job_key` (enqueueing the same key again does nothing). The message is
/// composed before anything is awaited, so the arguments need not outlive this call.
pub fn send_notice<'s>(
    state: &'s AppState,
    tenant: domain::TenantId,
    job_key: String,
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    path: &str,
) -> impl std::future::Future<Output = Result<(), store::StoreError>> + Send + use<'s> {
    let now = state.clock.now();
    let job =
        store::jobs::NewJob::email(tenant, job_key, &compose(state, to, key, args, path), now);
    async move {
        state.store.enqueue_jobs(&[job?], now).await?;
        Ok(())
    }
}
