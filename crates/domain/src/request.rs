//! 依頼 (requests): the employee's own initiative. An employee asks their manager for a
//! 1on1, or a consultant assigned to them for a career interview, proposing up to three
//! times; the other side books one of them or declines with a word of why; the employee
//! may withdraw it while it waits (DOMAIN.md: Dialogue — "Either side may ask"). A
//! cross-department 1on1 is asked for by inviting a colleague to a pair
//! ([`crate::pairing`]). Who may ask whom and who answers is in [`crate::policy`].

use crate::dialogue::DialogueKind;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// What an employee may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A 1on1 with one's manager (上司との1on1).
    OneOnOne,
    /// A career interview with a consultant assigned to one (キャリア面談).
    CareerInterview,
}

impl RequestKind {
    pub const ALL: [RequestKind; 2] = [RequestKind::OneOnOne, RequestKind::CareerInterview];

    pub fn key(self) -> &'static str {
        match self {
            RequestKind::OneOnOne => "one_on_one",
            RequestKind::CareerInterview => "career_interview",
        }
    }

    pub fn parse(key: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The dialogue that is booked when the request is answered.
    pub fn dialogue_kind(self) -> DialogueKind {
        match self {
            RequestKind::OneOnOne => DialogueKind::OneOnOne,
            RequestKind::CareerInterview => DialogueKind::CareerInterview,
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the other side.
    Open,
    /// One of the proposed times was booked.
    Booked,
    /// The other side said no (with a reason).
    Declined,
    /// The employee took it back.
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Open,
        RequestStatus::Booked,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Booked => "booked",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// At most this many proposed times in one request.
pub const MAX_SLOTS: usize = 3;
/// At most this many characters in a request's message, and in a reason for declining.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// What is wrong with the proposed times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotProblem {
    /// No time proposed at all.
    None,
    /// A time that is not a date and a time.
    Unreadable,
    /// A time that has already passed.
    Past,
    /// The same time twice.
    Repeated,
}

/// Reads the proposed times (Japan time, `YYYY-MM-DD` and `HH:MM` pairs; blank pairs are
/// skipped): one to [`MAX_SLOTS`], each in the future, none twice, in time order.
pub fn parse_slots(
    typed: &[(&str, &str)],
    now: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, SlotProblem> {
    let mut out = Vec::new();
    for (date, time) in typed.iter().take(MAX_SLOTS) {
        let (date, time) = (date.trim(), time.trim());
        if date.is_empty() && time.is_empty() {
            continue;
        }
        let at = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .ok()
            .zip(chrono::NaiveTime::parse_from_str(time, "%H:%M").ok())
            .map(|(d, t)| d.and_time(t))
            .ok_or(SlotProblem::Unreadable)?;
        if at <= now {
            return Err(SlotProblem::Past);
        }
        if out.contains(&at) {
            return Err(SlotProblem::Repeated);
        }
        out.push(at);
    }
    if out.is_empty() {
        return Err(SlotProblem::None);
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time")
    }

    #[test]
    fn proposed_times_are_future_distinct_and_sorted() {
        let now = at("2026-12-06 10:00");
        assert_eq!(
            parse_slots(
                &[("2026-12-10", "15:00"), ("", ""), ("2026-12-08", "09:30")],
                now
            ),
            Ok(vec![at("2026-12-08 09:30"), at("2026-12-10 15:00")])
        );
        assert_eq!(
            parse_slots(&[("", ""), (" ", "")], now),
            Err(SlotProblem::None)
        );
        assert_eq!(
            parse_slots(&[("2026-12-10", "25:00")], now),
            Err(SlotProblem::Unreadable)
        );
        assert_eq!(
            parse_slots(&[("2026-12-10", "")], now),
            Err(SlotProblem::Unreadable)
        );
        assert_eq!(
            parse_slots(&[("2026-12-06", "09:00")], now),
            Err(SlotProblem::Past)
        );
        assert_eq!(
            parse_slots(&[("2026-12-10", "15:00"), ("2026-12-10", "15:00")], now),
            Err(SlotProblem::Repeated)
        );
        // More than three: the rest are not read.
        let four = [
            ("2026-12-10", "10:00"),
            ("2026-12-11", "10:00"),
            ("2026-12-12", "10:00"),
            ("2026-12-13", "10:00"),
        ];
        assert_eq!(parse_slots(&four, now).map(|s| s.len()), Ok(3));
    }

    #[test]
    fn keys_round_trip() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.key()), Some(k));
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.key()), Some(s));
        }
    }
}
