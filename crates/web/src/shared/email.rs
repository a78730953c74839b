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
