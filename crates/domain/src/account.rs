//! Accounts (アカウント): what a user chooses for themselves — where their notices go —
//! and how long the links sent to set or reset a password work. Who may invite or
//! reset whom is the policy's (`policy::Action::ManageUsers`); the password rule is
//! [`crate::values::check_new_password`].

use chrono::Duration;

/// Where a user's notices (お知らせ) reach them. The notices themselves never carry what
/// was said; links to set or reset a password always go by e-mail whatever is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannels {
    /// By e-mail and in the app's list (the default).
    #[default]
    Both,
    /// By e-mail only: nothing waits in the app.
    Email,
    /// In the app only: no e-mail.
    InApp,
}

impl NotifyChannels {
    pub const ALL: [NotifyChannels; 3] = [
        NotifyChannels::Both,
        NotifyChannels::Email,
        NotifyChannels::InApp,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NotifyChannels::Both => "both",
            NotifyChannels::Email => "email",
            NotifyChannels::InApp => "in_app",
        }
    }

    pub fn parse(s: &str) -> Option<NotifyChannels> {
        Self::ALL.into_iter().find(|c| c.key() == s.trim())
    }

    /// Does a notice go out by e-mail?
    pub fn by_email(self) -> bool {
        self != NotifyChannels::InApp
    }

    /// Does a notice wait in the app?
    pub fn in_app(self) -> bool {
        self != NotifyChannels::Email
    }
}

/// What an API token may do. A read-only token is refused every request that could
/// change something, whatever its user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Reads only (GET).
    Read,
    /// Reads and writes, as far as the policy lets its user (tokens made before scopes
    /// existed are these).
    #[default]
    Write,
}

impl TokenScope {
    pub fn key(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        match s.trim() {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// The longest a token may live, in days; the choices offered.
pub const TOKEN_DAYS: [i64; 4] = [7, 30, 90, 365];

/// What a link sent by e-mail lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Set the first password of an account made for them (招待).
    Invitation,
    /// Set a new password after forgetting it (パスワードの再設定).
    Reset,
}

impl LinkPurpose {
    /// How long the link works: an invitation waits a week for someone who may be on
    /// leave; a reset is asked for by someone at their screen, so an hour.
    pub fn valid_for(self) -> Duration {
        match self {
            LinkPurpose::Invitation => Duration::days(INVITATION_VALID_DAYS),
            LinkPurpose::Reset => Duration::minutes(RESET_VALID_MINUTES),
        }
    }

    /// As stored (`invitations.purpose`): unset for an invitation.
    pub fn stored(self) -> Option<&'static str> {
        match self {
            LinkPurpose::Invitation => None,
            LinkPurpose::Reset => Some("reset"),
        }
    }

    pub fn from_stored(s: Option<&str>) -> LinkPurpose {
        match s {
            Some("reset") => LinkPurpose::Reset,
            _ => LinkPurpose::Invitation,
        }
    }
}

/// Days an invitation link works.
pub const INVITATION_VALID_DAYS: i64 = 7;
/// Minutes a password-reset link works.
pub const RESET_VALID_MINUTES: i64 = 60;
/// A second reset asked for within this many minutes of the last sends no e-mail, so
/// nobody can flood someone's mailbox from the sign-in page.
pub const RESET_EVERY_MINUTES: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_parse_from_their_key_and_say_where_a_notice_goes() {
        for c in NotifyChannels::ALL {
            assert_eq!(NotifyChannels::parse(c.key()), Some(c));
        }
        assert_eq!(NotifyChannels::parse("slack"), None);
        assert!(NotifyChannels::Both.by_email() && NotifyChannels::Both.in_app());
        assert!(NotifyChannels::Email.by_email() && !NotifyChannels::Email.in_app());
        assert!(!NotifyChannels::InApp.by_email() && NotifyChannels::InApp.in_app());
    }

    #[test]
    fn a_reset_link_works_an_hour_and_an_invitation_a_week() {
        assert_eq!(LinkPurpose::Reset.valid_for(), Duration::hours(1));
        assert_eq!(LinkPurpose::Invitation.valid_for(), Duration::days(7));
        for p in [LinkPurpose::Invitation, LinkPurpose::Reset] {
            assert_eq!(LinkPurpose::from_stored(p.stored()), p);
        }
    }
}
