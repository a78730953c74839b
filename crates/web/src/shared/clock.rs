//! The time the product believes it is. Every decision that depends on "now" or "today"
//! (check-ins due, past start dates, upcoming dialogues, reminders) reads it from
//! [`Clock`] in the application state, so tests — and a demo showing next month —
//! can move time without touching the system clock. Stored timestamps of what people
//! did (recorded at, signed in at) stay real time.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Real time plus an offset that tests may set. Cheap to clone; clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `at` now and runs on from there.
    pub fn starting_at(at: DateTime<Utc>) -> Clock {
        let c = Clock::default();
        c.set(at);
        c
    }

    /// From now on, the clock reads `at` (and runs on).
    pub fn set(&self, at: DateTime<Utc>) {
        self.offset_ms
            .store((at - Utc::now()).num_milliseconds(), Ordering::Relaxed);
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Today in Japan, where the product's dates live.
    pub fn today(&self) -> NaiveDate {
        crate::shared::time::jst(self.now()).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_reads_the_set_time_and_clones_follow_it() {
        let c = Clock::system();
        let copy = c.clone();
        let at = DateTime::parse_from_rfc3339("2027-05-31T23:30:00+09:00")
            .expect("time")
            .with_timezone(&Utc);
        c.set(at);
        assert!((copy.now() - at).num_seconds().abs() < 5);
        assert_eq!(
            copy.today(),
            NaiveDate::from_ymd_opt(2027, 5, 31).expect("d")
        );
    }
}
