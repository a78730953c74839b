//! Emails as the product writes them: Japanese first, then English, each with its link.

use super::i18n::Lang;
use crate::AppState;
use store::jobs::{EmailPayload, Notice};

/// An email to `to` from translation `key` (its `.subject` and `.body`): Japanese first,
/// then English, each with the link to `path` — or only the recipient's language when
/// their account chose one (`EmailPayload::for_language`, as it is queued). The same
/// notice waits in the app's お知らせ list of the account with that address
/// (`store::notifications`), unless they chose e-mail only.
pub fn compose(
    state: &AppState,
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    path: &str,
) -> EmailPayload {
    let mut email = compose_at(&state.config.public_url, to, key, args, path);
    email.notice = Some(Notice {
        key: key.to_string(),
        args: args
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.to_string()))
            .collect(),
        path: path.to_string(),
    });
    email
}

/// An email that carries a link to set or reset a password: it goes by e-mail whatever
/// the recipient chose, and never waits in the app (its link is a credential).
pub fn compose_link(
    public_url: &str,
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    path: &str,
) -> EmailPayload {
    let mut email = compose_at(public_url, to, key, args, path);
    email.credential = true;
    email
}

fn compose_at(
    public_url: &str,
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    path: &str,
) -> EmailPayload {
    let link = format!("{}{path}", public_url.trim_end_matches('/'));
    let part = |lang: Lang| {
        let c = lang.catalog();
        (
            c.format(&format!("{key}.subject"), args),
            format!(
                "{}\n\n{link}\n\n{}",
                c.format(&format!("{key}.body"), args),
                c.get("email.footer")
            ),
        )
    };
    let (ja, en) = (part(Lang::Ja), part(Lang::En));
    EmailPayload {
        to,
        subject: format!("{} / {}", ja.0, en.0),
        body: format!("{}\n\n---\n\n{}\n", ja.1, en.1),
        notice: None,
        calendar: None,
        credential: false,
        languages: vec![
            ("ja".into(), ja.0, format!("{}\n", ja.1)),
            ("en".into(), en.0, format!("{}\n", en.1)),
        ],
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

/// Queues the invitation e-mails (one job each, keyed by the link, so a retry never
/// sends twice).
pub async fn queue_invitations(
    store: &store::Store,
    public_url: &str,
    tenant: domain::TenantId,
    sent: &[app::accounts::Invitation],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), store::StoreError> {
    let t = store.tenant(tenant).await?;
    let jobs = sent
        .iter()
        .map(|i| {
            let mail = compose_link(
                public_url,
                i.email.clone(),
                "email.account_invitation",
                &[
                    ("name", &i.name),
                    ("company", &t.name),
                    ("code", &t.slug),
                    ("days", &domain::account::INVITATION_VALID_DAYS),
                ],
                &format!("/invitations/{}", i.secret),
            );
            store::jobs::NewJob::email(
                tenant,
                format!("email.invitation-{}", &i.secret[..12]),
                &mail,
                now,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    store.enqueue_jobs(&jobs, now).await?;
    Ok(())
}
