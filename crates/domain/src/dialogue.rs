//! 面談・1on1 (dialogues) and their note items: kinds, states, and the visibility each note
//! item carries. Who may see which item is decided in [`crate::policy`]; this module says
//! what the values are and how they are read.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The kinds of dialogue (DOMAIN.md: Dialogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueKind {
    /// キャリア面談 — with a career consultant
    CareerInterview,
    /// 節目面談 — the milestone programme's interview
    MilestoneInterview,
    /// 上司との1on1
    OneOnOne,
    /// 部署を越えた1on1
    CrossOneOnOne,
    /// 社外メンターとの1on1
    MentorOneOnOne,
    /// 外部キャリア相談
    Consultation,
}

impl DialogueKind {
    pub const ALL: [DialogueKind; 6] = [
        DialogueKind::CareerInterview,
        DialogueKind::MilestoneInterview,
        DialogueKind::OneOnOne,
        DialogueKind::CrossOneOnOne,
        DialogueKind::MentorOneOnOne,
        DialogueKind::Consultation,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DialogueKind::CareerInterview => "career_interview",
            DialogueKind::MilestoneInterview => "milestone_interview",
            DialogueKind::OneOnOne => "one_on_one",
            DialogueKind::CrossOneOnOne => "cross_one_on_one",
            DialogueKind::MentorOneOnOne => "mentor_one_on_one",
            DialogueKind::Consultation => "consultation",
        }
    }

    pub fn parse(key: &str) -> Option<DialogueKind> {
        DialogueKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Held by a career consultant: notes start private, consent governs feedback to the
    /// manager, and the manager learns only that it happened.
    pub fn is_consultant_session(self) -> bool {
        matches!(
            self,
            DialogueKind::CareerInterview
                | DialogueKind::MilestoneInterview
                | DialogueKind::Consultation
        )
    }

    /// The visibility a new note item starts with: consultant sessions `private`, a
    /// manager's 1on1 `shared`; the other 1on1s (another department, a mentor) start
    /// `private` too, since the partner is not the person's line.
    pub fn default_visibility(self) -> Visibility {
        match self {
            DialogueKind::OneOnOne => Visibility::Shared,
            _ => Visibility::Private,
        }
    }
}

/// Where a dialogue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueState {
    Scheduled,
    Held,
    Cancelled,
    NoShow,
}

impl DialogueState {
    pub fn key(self) -> &'static str {
        match self {
            DialogueState::Scheduled => "scheduled",
            DialogueState::Held => "held",
            DialogueState::Cancelled => "cancelled",
            DialogueState::NoShow => "no_show",
        }
    }

    pub fn parse(key: &str) -> Option<DialogueState> {
        [
            DialogueState::Scheduled,
            DialogueState::Held,
            DialogueState::Cancelled,
            DialogueState::NoShow,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// May the dialogue move from this state to `to`? A scheduled dialogue is held,
    /// cancelled or missed; what happened is then final.
    pub fn may_become(self, to: DialogueState) -> bool {
        self == DialogueState::Scheduled && to != DialogueState::Scheduled
    }
}

/// Who may read a note item (DOMAIN.md: Dialogue, Consent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The facilitator only.
    Private,
    /// The facilitator and the employee.
    Shared,
    /// May appear in a feedback report to the manager — only under recorded consent and
    /// never for a withheld topic. The employee sees it too.
    ForManager,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Private,
        Visibility::Shared,
        Visibility::ForManager,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Shared => "shared",
            Visibility::ForManager => "for_manager",
        }
    }

    pub fn parse(key: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// At most this many characters in one note item.
pub const MAX_NOTE_CHARS: usize = 4000;

/// A note item's text as typed: line ends made `\n`, surrounding blank space trimmed;
/// empty or too long is refused (`empty`, `too_long`).
pub fn parse_note_body(raw: &str) -> Result<String, &'static str> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        Err("empty")
    } else if text.chars().count() > MAX_NOTE_CHARS {
        Err("too_long")
    } else {
        Ok(text.to_string())
    }
}

/// What happens to a note item in the next dialogue of the same pair (聞いたことを忘れない).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarryOver {
    /// Stays with this dialogue.
    None,
    /// A topic for next time (次回の話題): shown when preparing the next dialogue.
    NextTime,
    /// Something the employee said that the facilitator must remember (覚えておくこと):
    /// shown when preparing every later dialogue of the pair.
    Remember,
}

impl CarryOver {
    pub const ALL: [CarryOver; 3] = [CarryOver::None, CarryOver::NextTime, CarryOver::Remember];

    pub fn key(self) -> &'static str {
        match self {
            CarryOver::None => "none",
            CarryOver::NextTime => "next_time",
            CarryOver::Remember => "remember",
        }
    }

    pub fn parse(key: &str) -> Option<CarryOver> {
        CarryOver::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// The kind of response an employee wants to a topic they bring (本人の準備).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WantedResponse {
    /// 助言がほしい
    Advice,
    /// 一緒に考えてほしい
    ThinkTogether,
    /// 聞いてほしい
    JustListen,
}

impl WantedResponse {
    pub const ALL: [WantedResponse; 3] = [
        WantedResponse::Advice,
        WantedResponse::ThinkTogether,
        WantedResponse::JustListen,
    ];

    pub fn key(self) -> &'static str {
        match self {
            WantedResponse::Advice => "advice",
            WantedResponse::ThinkTogether => "think_together",
            WantedResponse::JustListen => "just_listen",
        }
    }

    pub fn parse(key: &str) -> Option<WantedResponse> {
        WantedResponse::ALL.into_iter().find(|w| w.key() == key)
    }
}

/// How often a recurring 1on1 series meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
}

/// A series has at most this many dialogues (a year of weekly 1on1s).
pub const MAX_SERIES_COUNT: u32 = 52;

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Weekly, Cadence::Biweekly, Cadence::Monthly];

    pub fn key(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Biweekly => "biweekly",
            Cadence::Monthly => "monthly",
        }
    }

    pub fn parse(key: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The start of each of `count` meetings, the first at `first`. A monthly meeting keeps
    /// its day of the month, or the month's last day when the month is shorter (31 → 30, 28).
    pub fn occurrences(self, first: NaiveDateTime, count: u32) -> Vec<NaiveDateTime> {
        (0..count)
            .filter_map(|i| match self {
                Cadence::Weekly => first.checked_add_signed(chrono::Duration::weeks(i64::from(i))),
                Cadence::Biweekly => {
                    first.checked_add_signed(chrono::Duration::weeks(2 * i64::from(i)))
                }
                Cadence::Monthly => first.checked_add_months(chrono::Months::new(i)),
            })
            .collect()
    }
}

/// At most this many characters in a dialogue's place or meeting link.
pub const MAX_PLACE_CHARS: usize = 200;
/// At most this many characters in an employee's topic or reflection.
pub const MAX_TOPIC_CHARS: usize = 1000;
/// At most this many characters in the topics an employee asks to withhold.
pub const MAX_WITHHELD_CHARS: usize = 2000;
/// A dialogue lasts between these many minutes.
pub const DURATION_MINUTES: std::ops::RangeInclusive<u32> = 15..=240;

/// Text typed into a field: line ends made `\n`, surrounding blank space trimmed; longer
/// than `max` characters is refused (`too_long`). May be empty.
pub fn parse_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.chars().count() > max {
        Err("too_long")
    } else {
        Ok(text.to_string())
    }
}

/// Why a requested time deserves a second look before it is booked. Neither refuses the
/// booking: the person scheduling is told and confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ScheduleWarning {
    /// The start lies in the past (recording a dialogue after the fact is fine, once confirmed).
    InThePast,
    /// The facilitator already has a dialogue at that time.
    Overlaps {
        dialogue_id: i64,
        starts_at: NaiveDateTime,
    },
}

/// Why a dialogue may not be closed that way now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseRefusal {
    /// It has not started yet: nobody can have held it, or missed it. (Cancelling it is
    /// always possible.)
    NotStarted,
}

/// May a dialogue starting at `starts_at` be closed as `to` at `now`? Held and no-show
/// only once it has started; a cancellation at any time (DOMAIN.md: "A dialogue cannot
/// be closed before it starts").
pub fn may_close(
    to: DialogueState,
    starts_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CloseRefusal> {
    match to {
        DialogueState::Held | DialogueState::NoShow if now < starts_at => {
            Err(CloseRefusal::NotStarted)
        }
        _ => Ok(()),
    }
}

/// What to warn about when booking `[start, start + minutes)` at `now`, given the
/// facilitator's other booked dialogues as (id, start, minutes).
pub fn schedule_warnings(
    start: NaiveDateTime,
    minutes: u32,
    now: NaiveDateTime,
    others: &[(i64, NaiveDateTime, u32)],
) -> Vec<ScheduleWarning> {
    let mut out = Vec::new();
    if start < now {
        out.push(ScheduleWarning::InThePast);
    }
    let end = start + chrono::Duration::minutes(i64::from(minutes));
    for (id, s, m) in others {
        let e = *s + chrono::Duration::minutes(i64::from(*m));
        if *s < end && start < e {
            out.push(ScheduleWarning::Overlaps {
                dialogue_id: *id,
                starts_at: *s,
            });
        }
    }
    out
}

/// Which way of talking fits the person (DOMAIN.md: coaching vs teaching).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Approach {
    /// ティーチング: less experienced people need answers and examples first.
    Teaching,
    /// コーチング: experienced people find their own answers when asked.
    Coaching,
}

/// Years in the company from which coaching rather than teaching fits.
pub const COACHING_FROM_YEARS: i32 = 3;

/// A direct report is due a 1on1 when none was held with them in this many days: the
/// monthly rhythm the 1on1 programmes count (毎月の1on1).
pub const ONE_ON_ONE_DUE_AFTER_DAYS: i64 = 31;

/// Is a 1on1 with this member due, given when the last one was held?
pub fn one_on_one_due(last_held: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    last_held.is_none_or(|d| (today - d).num_days() > ONE_ON_ONE_DUE_AFTER_DAYS)
}

/// The approach that fits someone with `tenure_years` in the company (None: unknown).
pub fn approach_for(tenure_years: Option<i32>) -> Option<Approach> {
    tenure_years.map(|y| {
        if y >= COACHING_FROM_YEARS {
            Approach::Coaching
        } else {
            Approach::Teaching
        }
    })
}

/// The employee's rating of how a dialogue went: 1 (poor) to 5 (very good).
pub fn parse_rating(raw: &str) -> Option<u8> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .filter(|r| (1..=5).contains(r))
}

/// One change to the employee's consent (同意): given, refused, or withdrawn later; and
/// the employee confirming an answer the consultant recorded for them in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChange {
    Given,
    Refused,
    Withdrawn,
    Confirmed,
}

impl ConsentChange {
    pub const ALL: [ConsentChange; 4] = [
        ConsentChange::Given,
        ConsentChange::Refused,
        ConsentChange::Withdrawn,
        ConsentChange::Confirmed,
    ];

    /// As stored and as translation keys name it.
    pub fn key(self) -> &'static str {
        match self {
            ConsentChange::Given => "given",
            ConsentChange::Refused => "refused",
            ConsentChange::Withdrawn => "withdrawn",
            ConsentChange::Confirmed => "confirmed",
        }
    }

    pub fn from_key(s: &str) -> Option<ConsentChange> {
        ConsentChange::ALL.into_iter().find(|c| c.key() == s)
    }
}

/// The consent recorded at the start of a consultant dialogue (同意).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// The employee agrees that observations are fed back to their manager.
    pub agreed: bool,
    /// What the employee asks not to be told to their manager (上司に伝えないでほしいこと).
    pub withheld: String,
    /// Consent given earlier and withdrawn since.
    pub withdrawn: bool,
    /// The employee stands behind this answer: they chose it themselves, or confirmed
    /// what the consultant recorded for them in the session. Consent belongs to the
    /// employee, so an answer only the consultant wrote down permits nothing yet.
    pub confirmed: bool,
}

impl Consent {
    /// Consent was given and has not been withdrawn (whether or not the employee has
    /// confirmed it yet): what the employee asked to withhold applies, and it can be
    /// withdrawn.
    pub fn given(&self) -> bool {
        self.agreed && !self.withdrawn
    }

    /// Whether a feedback report to the manager may be sent now: given, not withdrawn,
    /// and the employee's own (chosen or confirmed by them).
    pub fn permits_feedback(&self) -> bool {
        self.given() && self.confirmed
    }

    /// The consultant recorded an answer the employee has still to confirm.
    pub fn awaits_confirmation(&self) -> bool {
        !self.confirmed && !self.withdrawn
    }
}

/// One entry of the consent history, as `consent_after` reads it.
#[derive(Debug, Clone, Copy)]
pub struct ConsentStep<'a> {
    pub change: ConsentChange,
    pub withheld: &'a str,
    /// Recorded by the employee themselves (not by the consultant for them).
    pub by_subject: bool,
}

/// The consent in force after these changes (oldest first), if any answer was recorded.
/// An answer the consultant records is unconfirmed until the employee confirms it;
/// the employee's own answer is confirmed as it is made; a confirmation only counts
/// from the employee and only for the answer in force; a withdrawal ends it.
pub fn consent_after<'a>(steps: impl IntoIterator<Item = ConsentStep<'a>>) -> Option<Consent> {
    let mut current: Option<Consent> = None;
    for e in steps {
        match e.change {
            ConsentChange::Given | ConsentChange::Refused => {
                current = Some(Consent {
                    agreed: e.change == ConsentChange::Given,
                    withheld: e.withheld.to_string(),
                    withdrawn: false,
                    confirmed: e.by_subject,
                });
            }
            ConsentChange::Withdrawn => {
                if let Some(c) = current.as_mut() {
                    c.withdrawn = true;
                }
            }
            ConsentChange::Confirmed => {
                if let Some(c) = current.as_mut().filter(|c| !c.withdrawn && e.by_subject) {
                    c.confirmed = true;
                }
            }
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialogue_is_held_or_missed_only_once_it_has_started_and_cancelled_any_time() {
        use chrono::{Duration, TimeZone, Utc};
        let start = Utc
            .with_ymd_and_hms(2026, 12, 10, 1, 0, 0)
            .single()
            .expect("a time");
        let week_before = start - Duration::days(7);
        let minute_before = start - Duration::minutes(1);
        for to in [DialogueState::Held, DialogueState::NoShow] {
            assert_eq!(
                may_close(to, start, week_before),
                Err(CloseRefusal::NotStarted)
            );
            assert_eq!(
                may_close(to, start, minute_before),
                Err(CloseRefusal::NotStarted)
            );
            assert_eq!(may_close(to, start, start), Ok(()));
            assert_eq!(may_close(to, start, start + Duration::hours(2)), Ok(()));
        }
        assert_eq!(
            may_close(DialogueState::Cancelled, start, week_before),
            Ok(())
        );
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn a_series_meets_at_its_cadence_and_monthly_keeps_the_day_or_the_month_end() {
        let first = at("2026-01-31 10:00");
        assert_eq!(
            Cadence::Weekly.occurrences(first, 3),
            vec![first, at("2026-02-07 10:00"), at("2026-02-14 10:00")]
        );
        assert_eq!(
            Cadence::Biweekly.occurrences(first, 2),
            vec![first, at("2026-02-14 10:00")]
        );
        assert_eq!(
            Cadence::Monthly.occurrences(first, 4),
            vec![
                first,
                at("2026-02-28 10:00"),
                at("2026-03-31 10:00"),
                at("2026-04-30 10:00")
            ]
        );
        for c in Cadence::ALL {
            assert_eq!(Cadence::parse(c.key()), Some(c));
        }
    }

    #[test]
    fn booking_in_the_past_or_over_another_dialogue_is_warned() {
        let now = at("2026-11-23 12:00");
        assert!(schedule_warnings(at("2026-11-24 10:00"), 60, now, &[]).is_empty());
        assert_eq!(
            schedule_warnings(at("2026-11-20 10:00"), 60, now, &[]),
            vec![ScheduleWarning::InThePast]
        );
        let others = [
            (1, at("2026-11-24 09:00"), 60), // ends as ours starts: no overlap
            (2, at("2026-11-24 10:30"), 60), // overlaps
            (3, at("2026-11-24 11:00"), 30), // starts as ours ends: no overlap
        ];
        assert_eq!(
            schedule_warnings(at("2026-11-24 10:00"), 60, now, &others),
            vec![ScheduleWarning::Overlaps {
                dialogue_id: 2,
                starts_at: at("2026-11-24 10:30")
            }]
        );
    }

    #[test]
    fn less_experienced_people_are_taught_and_experienced_ones_coached() {
        assert_eq!(approach_for(Some(0)), Some(Approach::Teaching));
        assert_eq!(approach_for(Some(2)), Some(Approach::Teaching));
        assert_eq!(approach_for(Some(3)), Some(Approach::Coaching));
        assert_eq!(approach_for(Some(30)), Some(Approach::Coaching));
        assert_eq!(approach_for(None), None);
    }

    #[test]
    fn ratings_are_one_to_five_and_texts_are_limited() {
        assert_eq!(parse_rating("5"), Some(5));
        assert_eq!(parse_rating(" 1 "), Some(1));
        for bad in ["0", "6", "", "x", "-1"] {
            assert_eq!(parse_rating(bad), None, "{bad}");
        }
        assert_eq!(parse_text(" a\r\nb ", 10).as_deref(), Ok("a\nb"));
        assert_eq!(parse_text("", 10).as_deref(), Ok(""));
        assert_eq!(parse_text(&"あ".repeat(11), 10), Err("too_long"));
    }

    #[test]
    fn a_1on1_is_due_after_a_month_without_one() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let ago = |d: i64| Some(today - chrono::Duration::days(d));
        assert!(one_on_one_due(None, today), "never met");
        assert!(!one_on_one_due(ago(0), today));
        assert!(!one_on_one_due(ago(ONE_ON_ONE_DUE_AFTER_DAYS), today));
        assert!(one_on_one_due(ago(ONE_ON_ONE_DUE_AFTER_DAYS + 1), today));
    }

    #[test]
    fn consent_the_consultant_records_counts_only_once_the_employee_confirms_it() {
        let step = |change, by_subject| ConsentStep {
            change,
            withheld: "母の介護",
            by_subject,
        };
        use ConsentChange::*;
        // The employee's own answer is theirs at once.
        let own = consent_after([step(Given, true)]).expect("some");
        assert!(own.permits_feedback() && !own.awaits_confirmation());
        // Recorded by the consultant: waits for the employee.
        let recorded = consent_after([step(Given, false)]).expect("some");
        assert!(!recorded.permits_feedback() && recorded.awaits_confirmation());
        assert!(recorded.given(), "withheld topics apply meanwhile");
        // Only the employee's confirmation counts.
        assert!(
            !consent_after([step(Given, false), step(Confirmed, false)])
                .expect("some")
                .permits_feedback()
        );
        let confirmed = consent_after([step(Given, false), step(Confirmed, true)]).expect("some");
        assert!(confirmed.permits_feedback() && confirmed.withheld == "母の介護");
        // A new answer by the consultant needs a new confirmation.
        assert!(
            !consent_after([
                step(Given, false),
                step(Confirmed, true),
                step(Given, false)
            ])
            .expect("some")
            .permits_feedback()
        );
        // A confirmation does not revive a withdrawn consent.
        let withdrawn = consent_after([
            step(Given, true),
            step(Withdrawn, true),
            step(Confirmed, true),
        ])
        .expect("some");
        assert!(!withdrawn.permits_feedback() && withdrawn.withdrawn);
        // Nothing recorded: nothing to confirm.
        assert!(consent_after([step(Confirmed, true)]).is_none());
    }

    #[test]
    fn withdrawn_or_refused_consent_never_permits_feedback() {
        let given = Consent {
            agreed: true,
            withheld: String::new(),
            withdrawn: false,
            confirmed: true,
        };
        assert!(given.permits_feedback());
        assert!(
            !Consent {
                confirmed: false,
                ..given.clone()
            }
            .permits_feedback(),
            "an answer the employee has not confirmed permits nothing"
        );
        assert!(
            !Consent {
                withdrawn: true,
                ..given.clone()
            }
            .permits_feedback()
        );
        assert!(
            !Consent {
                agreed: false,
                ..given
            }
            .permits_feedback()
        );
        for c in CarryOver::ALL {
            assert_eq!(CarryOver::parse(c.key()), Some(c));
        }
        for w in WantedResponse::ALL {
            assert_eq!(WantedResponse::parse(w.key()), Some(w));
        }
    }

    #[test]
    fn consultant_sessions_start_private_and_manager_one_on_ones_shared() {
        assert_eq!(
            DialogueKind::CareerInterview.default_visibility(),
            Visibility::Private
        );
        assert_eq!(
            DialogueKind::MilestoneInterview.default_visibility(),
            Visibility::Private
        );
        assert_eq!(
            DialogueKind::Consultation.default_visibility(),
            Visibility::Private
        );
        assert_eq!(
            DialogueKind::OneOnOne.default_visibility(),
            Visibility::Shared
        );
        for k in DialogueKind::ALL {
            assert_eq!(DialogueKind::parse(k.key()), Some(k));
        }
        assert!(DialogueKind::parse("lunch").is_none());
    }

    #[test]
    fn a_dialogue_is_held_cancelled_or_missed_once() {
        use DialogueState::*;
        assert!(Scheduled.may_become(Held));
        assert!(Scheduled.may_become(Cancelled));
        assert!(Scheduled.may_become(NoShow));
        assert!(!Scheduled.may_become(Scheduled));
        for done in [Held, Cancelled, NoShow] {
            for to in [Scheduled, Held, Cancelled, NoShow] {
                assert!(!done.may_become(to), "{done:?} → {to:?}");
            }
        }
    }

    #[test]
    fn note_bodies_are_trimmed_and_limited() {
        assert_eq!(
            parse_note_body("  次回：異動の希望\r\n ").as_deref(),
            Ok("次回：異動の希望")
        );
        assert_eq!(parse_note_body(" \n "), Err("empty"));
        assert_eq!(
            parse_note_body(&"あ".repeat(MAX_NOTE_CHARS)).map(|s| s.chars().count()),
            Ok(MAX_NOTE_CHARS)
        );
        assert_eq!(
            parse_note_body(&"あ".repeat(MAX_NOTE_CHARS + 1)),
            Err("too_long")
        );
    }
}
