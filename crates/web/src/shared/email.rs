//! Emails as the product writes them: Japanese first, then English, each with its link.

use super::i18n::Lang;
use crate::AppState;
use store::jobs::EmailPayload;

/// The address of `path` as people reach the product.
pub fn link(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.public_url.trim_end_matches('/'))
}

/// An email to `to` from translation `key` (its `.subject` and `.body`): Japanese first,
/// then English, each with the link.
pub fn compose(
    to: String,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
    link: &str,
) -> EmailPayload {
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
    EmailPayload { to, subject, body }
}
