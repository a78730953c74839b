//! ペア (pairs) for the 1on1s outside the reporting line: a cross-department 1on1
//! (部署を越えた1on1) or a mentor 1on1 (社外メンター) happens only between the partners of
//! an established pair. HR pairs people directly; otherwise one side invites and the other
//! accepts (DOMAIN.md: Dialogue). The subject (the employee whose career it is) chooses
//! which sections of their career sheet the partner sees. Who may do what is decided in
//! [`crate::policy`] (`may_pair`, `may_respond_to_pair`, …); this module says what a pair
//! is and how its values are read.

use crate::career_sheet::{CareerSheet, Section};
use crate::dialogue::DialogueKind;
use serde::{Deserialize, Serialize};

/// The two kinds of dialogue that need a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    /// 部署を越えた1on1: two employees of different reporting lines.
    Cross,
    /// 社外メンター: someone holding the mentor role and an employee.
    Mentor,
}

impl PairKind {
    pub const ALL: [PairKind; 2] = [PairKind::Cross, PairKind::Mentor];

    pub fn key(self) -> &'static str {
        match self {
            PairKind::Cross => "cross",
            PairKind::Mentor => "mentor",
        }
    }

    pub fn parse(key: &str) -> Option<PairKind> {
        PairKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The pair a dialogue of this kind needs, if any.
    pub fn of_dialogue(kind: DialogueKind) -> Option<PairKind> {
        match kind {
            DialogueKind::CrossOneOnOne => Some(PairKind::Cross),
            DialogueKind::MentorOneOnOne => Some(PairKind::Mentor),
            _ => None,
        }
    }

    pub fn dialogue_kind(self) -> DialogueKind {
        match self {
            PairKind::Cross => DialogueKind::CrossOneOnOne,
            PairKind::Mentor => DialogueKind::MentorOneOnOne,
        }
    }
}

/// Where a pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairStatus {
    /// One side invited; the other has not answered.
    Invited,
    /// In force: the partner may book and prepares with the chosen sections.
    Active,
    /// The invited side said no.
    Declined,
    /// Ended by either side or HR: no more bookings, no more sheet.
    Ended,
}

impl PairStatus {
    pub const ALL: [PairStatus; 4] = [
        PairStatus::Invited,
        PairStatus::Active,
        PairStatus::Declined,
        PairStatus::Ended,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PairStatus::Invited => "invited",
            PairStatus::Active => "active",
            PairStatus::Declined => "declined",
            PairStatus::Ended => "ended",
        }
    }

    pub fn parse(key: &str) -> Option<PairStatus> {
        PairStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still open or in force: a second invitation for the same pair is refused.
    pub fn is_open(self) -> bool {
        matches!(self, PairStatus::Invited | PairStatus::Active)
    }
}

/// The two sides of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairSide {
    /// Holds the 1on1s (the colleague from another department, the mentor).
    Partner,
    /// The employee whose career the 1on1s are about.
    Subject,
}

/// At most this many characters in an invitation's message.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// The sections the subject lets the partner see, as stored (`a,b,c`, in
/// [`Section::ALL`] order, unknown keys dropped).
pub fn sections_to_text(sections: &[Section]) -> String {
    Section::ALL
        .into_iter()
        .filter(|s| sections.contains(s))
        .map(Section::key)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn sections_from_text(text: &str) -> Vec<Section> {
    let keys: Vec<&str> = text.split(',').map(str::trim).collect();
    Section::ALL
        .into_iter()
        .filter(|s| keys.contains(&s.key()))
        .collect()
}

/// What a partner sees of the subject's sheet: the sections the subject both shares on
/// the sheet itself and chose for this pair — nothing else (and the vision's horizon only
/// with the vision).
pub fn partner_view(sheet: &CareerSheet, chosen: &[Section]) -> CareerSheet {
    let shared = sheet.shared();
    let vision = chosen.contains(&Section::Vision);
    CareerSheet {
        sections: shared
            .sections
            .into_iter()
            .filter(|(s, _)| chosen.contains(s))
            .collect(),
        vision_horizon_years: shared.vision_horizon_years.filter(|_| vision),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::career_sheet::Entry;

    fn sheet() -> CareerSheet {
        CareerSheet {
            sections: Section::ALL
                .into_iter()
                .map(|s| {
                    (
                        s,
                        Entry {
                            text: format!("text of {}", s.key()),
                            private: s == Section::Concerns,
                        },
                    )
                })
                .collect(),
            vision_horizon_years: Some(5),
        }
    }

    #[test]
    fn a_partner_sees_only_chosen_sections_the_subject_shares() {
        let v = partner_view(&sheet(), &[Section::Skills, Section::Concerns]);
        let keys: Vec<_> = v.sections.iter().map(|(s, _)| *s).collect();
        // Concerns is private on the sheet: choosing it for a pair does not open it.
        assert_eq!(keys, vec![Section::Skills]);
        assert_eq!(v.vision_horizon_years, None);
        let v = partner_view(&sheet(), &[Section::Vision]);
        assert_eq!(v.vision_horizon_years, Some(5));
        assert!(partner_view(&sheet(), &[]).sections.is_empty());
    }

    #[test]
    fn sections_round_trip_in_sheet_order_and_drop_unknown_keys() {
        let s = sections_from_text("vision, skills,nonsense,,work_history");
        assert_eq!(
            s,
            vec![Section::WorkHistory, Section::Skills, Section::Vision]
        );
        assert_eq!(sections_to_text(&s), "work_history,skills,vision");
        assert!(sections_from_text("").is_empty());
    }

    #[test]
    fn keys_round_trip() {
        for k in PairKind::ALL {
            assert_eq!(PairKind::parse(k.key()), Some(k));
            assert_eq!(PairKind::of_dialogue(k.dialogue_kind()), Some(k));
        }
        for s in PairStatus::ALL {
            assert_eq!(PairStatus::parse(s.key()), Some(s));
        }
        assert_eq!(PairKind::of_dialogue(DialogueKind::OneOnOne), None);
    }
}
