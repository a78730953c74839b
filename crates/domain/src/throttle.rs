//! Sign-in throttling (ASVS 2.2.1): growing delays instead of a lock-out. Five wrong
//! passwords used to lock any account, the admin's included, for fifteen minutes, and
//! anyone who knew an address could keep doing it. Now failures make whoever tries wait
//! longer and longer — per account and, more steeply, per client address — and a delay
//! ends by itself. Unknown accounts are throttled exactly like real ones, so the answer
//! tells nobody which accounts exist.

use chrono::Duration;

/// What a run of failures is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThrottleKind {
    /// The email address typed, whether or not an account has it.
    Account,
    /// The client's network address.
    Address,
}

impl ThrottleKind {
    pub fn key(self) -> &'static str {
        match self {
            ThrottleKind::Account => "account",
            ThrottleKind::Address => "address",
        }
    }

    pub fn parse(s: &str) -> Option<ThrottleKind> {
        [ThrottleKind::Account, ThrottleKind::Address]
            .into_iter()
            .find(|k| k.key() == s)
    }

    /// Failures allowed before any delay: a person mistyping a few times never waits.
    /// An address may be shared by a whole office behind one gateway, so it gets more.
    pub fn free_failures(self) -> u32 {
        match self {
            ThrottleKind::Account => 5,
            ThrottleKind::Address => 20,
        }
    }

    /// The longest delay. An account's stays short, so that someone failing on purpose
    /// from elsewhere only ever delays its owner briefly; an address's grows long, since
    /// that is where guessing comes from.
    pub fn longest_delay(self) -> Duration {
        match self {
            ThrottleKind::Account => Duration::seconds(60),
            ThrottleKind::Address => Duration::minutes(15),
        }
    }
}

/// Failures older than this are forgotten: the count starts again.
pub fn window() -> Duration {
    Duration::hours(1)
}

/// How long to wait after the `failures`-th failure in a row: nothing while they are
/// free, then 1, 2, 4, 8 … seconds up to the kind's longest delay.
pub fn delay_after(kind: ThrottleKind, failures: u32) -> Option<Duration> {
    let over = failures.checked_sub(kind.free_failures())?;
    let longest = kind.longest_delay().num_seconds();
    let seconds = if over >= 32 {
        longest
    } else {
        (1i64 << over).min(longest)
    };
    Some(Duration::seconds(seconds))
}

/// The address typed, as throttles count it: trimmed, lower case (the same account
/// whatever its spelling; an unknown one the same way).
pub fn account_subject(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_mistakes_cost_nothing_then_each_failure_doubles_the_wait() {
        let k = ThrottleKind::Account;
        for n in 0..5 {
            assert_eq!(delay_after(k, n), None, "{n}");
        }
        assert_eq!(delay_after(k, 5), Some(Duration::seconds(1)));
        assert_eq!(delay_after(k, 6), Some(Duration::seconds(2)));
        assert_eq!(delay_after(k, 9), Some(Duration::seconds(16)));
        assert_eq!(delay_after(k, 11), Some(Duration::seconds(60)), "capped");
        assert_eq!(delay_after(k, u32::MAX), Some(Duration::seconds(60)));
    }

    #[test]
    fn an_address_gets_more_free_failures_and_a_longer_wait() {
        let k = ThrottleKind::Address;
        assert_eq!(delay_after(k, 19), None);
        assert_eq!(delay_after(k, 20), Some(Duration::seconds(1)));
        assert_eq!(delay_after(k, 40), Some(Duration::minutes(15)));
        assert_eq!(delay_after(k, 200), Some(Duration::minutes(15)));
    }

    #[test]
    fn an_account_is_the_address_typed_in_any_case() {
        assert_eq!(account_subject("  Sato@Example.JP "), "sato@example.jp");
        assert_eq!(ThrottleKind::parse("address"), Some(ThrottleKind::Address));
        assert_eq!(ThrottleKind::parse("x"), None);
    }
}
