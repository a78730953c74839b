//! 行動変容: the consultant's evaluation, per person per fiscal year (at programme end,
//! with the manager's input), of whether behaviour changed (DOMAIN.md: Behaviour change).
//! Behaviour-change rate = (remarkable + changed) / evaluated.

use serde::Serialize;

/// The four levels, from most to least change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// 著しい変化があった
    Remarkable,
    /// 変化があった
    Changed,
    /// 変化しようとしているが行動に表れない
    Trying,
    /// 変化なし
    None,
}

impl Change {
    pub const ALL: [Change; 4] = [
        Change::Remarkable,
        Change::Changed,
        Change::Trying,
        Change::None,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Change::Remarkable => "remarkable",
            Change::Changed => "changed",
            Change::Trying => "trying",
            Change::None => "none",
        }
    }

    pub fn parse(key: &str) -> Option<Change> {
        Change::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Counts towards the behaviour-change rate.
    pub fn is_change(self) -> bool {
        matches!(self, Change::Remarkable | Change::Changed)
    }
}

/// At most this many characters in a reason or the manager's input.
pub const MAX_REASON_CHARS: usize = 500;

/// How many people were evaluated at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Distribution {
    pub remarkable: u64,
    pub changed: u64,
    pub trying: u64,
    pub none: u64,
}

impl Distribution {
    pub fn add(&mut self, c: Change) {
        match c {
            Change::Remarkable => self.remarkable += 1,
            Change::Changed => self.changed += 1,
            Change::Trying => self.trying += 1,
            Change::None => self.none += 1,
        }
    }

    pub fn evaluated(&self) -> u64 {
        self.remarkable + self.changed + self.trying + self.none
    }

    pub fn count(&self, c: Change) -> u64 {
        match c {
            Change::Remarkable => self.remarkable,
            Change::Changed => self.changed,
            Change::Trying => self.trying,
            Change::None => self.none,
        }
    }

    /// The share of one level (0 when nobody was evaluated).
    pub fn share(&self, c: Change) -> f64 {
        match self.evaluated() {
            0 => 0.0,
            n => self.count(c) as f64 / n as f64,
        }
    }

    /// (remarkable + changed) / evaluated.
    pub fn rate(&self) -> f64 {
        self.share(Change::Remarkable) + self.share(Change::Changed)
    }
}

/// What of a year's distribution the organisation may see under the anonymity rule: the
/// four shares only when no level holds between 1 and k−1 people (a hidden level could
/// otherwise be worked out from the others), and the rate only when both sides of it —
/// changed (remarkable + changed) and not (trying + none) — are empty or hold at least k.
/// Nothing at all when fewer than k were evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Shown {
    pub shares: Option<[f64; 4]>,
    pub rate: Option<f64>,
}

impl Distribution {
    pub fn anonymised(&self, k: u64) -> Shown {
        let ok = |n: u64| n == 0 || n >= k;
        if self.evaluated() < k {
            return Shown {
                shares: None,
                rate: None,
            };
        }
        let shares = Change::ALL
            .iter()
            .all(|c| ok(self.count(*c)))
            .then(|| Change::ALL.map(|c| self.share(c)));
        let rate = (ok(self.remarkable + self.changed) && ok(self.trying + self.none))
            .then(|| self.rate());
        Shown { shares, rate }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_hidden_so_that_none_can_be_worked_out() {
        let d = |r, c, t, n| Distribution {
            remarkable: r,
            changed: c,
            trying: t,
            none: n,
        };
        let all = d(5, 40, 10, 5).anonymised(5);
        assert!(all.shares.is_some() && all.rate.is_some());
        // One person with no change: the shares go, the rate stays (both sides ≥ k).
        let one = d(5, 40, 10, 1).anonymised(5);
        assert_eq!(one.shares, None);
        assert!(one.rate.is_some());
        // Zero is not a small cell.
        assert!(d(0, 40, 10, 0).anonymised(5).shares.is_some());
        // Only three did not change: the rate would single them out.
        assert_eq!(d(10, 40, 3, 0).anonymised(5).rate, None);
        assert_eq!(
            d(1, 1, 1, 1).anonymised(5),
            Shown {
                shares: None,
                rate: None
            }
        );
    }

    #[test]
    fn the_rate_of_the_seeds_figures_is_about_three_quarters() {
        // 2014–2020 in the seed: 5.6 % / 69.8 % / 21.6 % / 3.0 % of those evaluated.
        let d = Distribution {
            remarkable: 56,
            changed: 698,
            trying: 216,
            none: 30,
        };
        assert_eq!(d.evaluated(), 1000);
        assert!((d.rate() - 0.754).abs() < 1e-9);
        assert!((d.share(Change::Trying) - 0.216).abs() < 1e-9);
        assert_eq!(Distribution::default().rate(), 0.0);
        let mut e = Distribution::default();
        for c in [
            Change::Remarkable,
            Change::Trying,
            Change::None,
            Change::Changed,
        ] {
            e.add(c);
        }
        assert!((e.rate() - 0.5).abs() < 1e-9);
        for c in Change::ALL {
            assert_eq!(Change::parse(c.key()), Some(c));
        }
        assert!(!Change::Trying.is_change());
    }
}
