//! Moments as people read them: Japan's wall clock (`domain::japan_time` does the
//! conversion; nothing here adds hours).

use chrono::{DateTime, NaiveDateTime, Utc};

/// A moment shown in Japan time, where every tenant operates for now.
pub fn when(at: DateTime<Utc>) -> String {
    jst(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The same to the second (sign-in delays are seconds long).
pub fn when_seconds(at: DateTime<Utc>) -> String {
    jst(at).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A span on one day, e.g. `2026-12-01 10:00–12:00`.
pub fn span(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let (a, b) = (jst(from), jst(to));
    format!(
        "{} {}–{}",
        a.format("%Y-%m-%d"),
        a.format("%H:%M"),
        b.format("%H:%M")
    )
}

/// A moment as Japan's wall-clock time.
pub fn jst(at: DateTime<Utc>) -> NaiveDateTime {
    domain::japan_time::to_japan(at)
}

/// Japan's wall-clock time as a moment.
pub fn from_jst(local: NaiveDateTime) -> DateTime<Utc> {
    domain::japan_time::from_japan(local)
}
