//! 面談・1on1 (dialogues) and their note items: kinds, states, and the visibility each note
//! item carries. Who may see which item is decided in [`crate::policy`]; this module says
//! what the values are and how they are read.

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

#[cfg(test)]
mod tests {
    use super::*;

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
