//! The product's clock face: days, dates and times are Japan's (JST, UTC+9, no daylight
//! saving). Every conversion between a stored instant (UTC) and Japan's wall-clock time
//! goes through here; no other code adds or subtracts the offset.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Japan's offset from UTC.
fn offset() -> Duration {
    Duration::hours(9)
}

/// A moment as Japan's wall-clock time.
pub fn to_japan(at: DateTime<Utc>) -> NaiveDateTime {
    (at + offset()).naive_utc()
}

/// Japan's wall-clock time as a moment.
pub fn from_japan(local: NaiveDateTime) -> DateTime<Utc> {
    (local - offset()).and_utc()
}

/// The day it is in Japan at a moment.
pub fn japan_date(at: DateTime<Utc>) -> NaiveDate {
    to_japan(at).date()
}

/// The first moment of a day in Japan.
pub fn start_of_japan_day(day: NaiveDate) -> DateTime<Utc> {
    from_japan(day.and_time(NaiveTime::MIN))
}

/// A time of day on a day in Japan, as a moment (`None` for an impossible time).
pub fn japan_time_on(day: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    NaiveTime::from_hms_opt(hour, minute, 0).map(|t| from_japan(day.and_time(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_japanese_day_starts_at_three_in_the_afternoon_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
        let start = start_of_japan_day(d);
        assert_eq!(start.to_rfc3339(), "2026-03-31T15:00:00+00:00");
        assert_eq!(japan_date(start), d);
        assert_eq!(
            japan_date(start - Duration::seconds(1)),
            d.pred_opt().expect("d")
        );
        assert_eq!(from_japan(to_japan(start)), start);
        assert_eq!(
            japan_time_on(d, 10, 30).map(|t| t.to_rfc3339()),
            Some("2026-04-01T01:30:00+00:00".to_string())
        );
        assert_eq!(japan_time_on(d, 24, 0), None);
    }
}
