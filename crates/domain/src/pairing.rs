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

impl PairSide {
    /// The side's key, as stored and as the API names it.
    pub fn key(self) -> &'static str {
        match self {
            PairSide::Partner => "partner",
            PairSide::Subject => "subject",
        }
    }
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

/// Someone a cross-1on1 programme (部署を越えた1on1) may pair: a participant with an
/// account, their department, and their dominant career anchor if they have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairable<K> {
    pub who: K,
    /// None: no department on record (all such people count as one department).
    pub department: Option<i64>,
    pub anchor: Option<crate::anchor::Anchor>,
}

/// One pair a rotation proposes: `partner` holds the 1on1 about `subject`'s career.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposed<K> {
    pub partner: K,
    pub subject: K,
    /// Both share this dominant anchor (only when pairing by anchor).
    pub shared_anchor: Option<crate::anchor::Anchor>,
}

/// What [`cross_rotation`] proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation<K> {
    pub pairs: Vec<Proposed<K>>,
    /// People left without a pair: alone, or too many of them in one department for
    /// everyone to meet someone from another.
    pub left_out: Vec<K>,
}

/// Pairs people across departments in a rotation: each takes part once as the partner
/// and once as the subject, and never with someone of their own department. With
/// `by_anchor`, people sharing a dominant anchor are paired among themselves first; the
/// rest are rotated together. When one department holds more than half of a group, some
/// of its members cannot all meet outsiders: just enough of them are left out (and tried
/// again in the wider rotation). Deterministic: the same people give the same pairs.
pub fn cross_rotation<K: Copy + Ord>(people: &[Pairable<K>], by_anchor: bool) -> Rotation<K> {
    let mut pairs = Vec::new();
    let mut rest: Vec<Pairable<K>> = Vec::new();
    if by_anchor {
        let mut groups: std::collections::BTreeMap<crate::anchor::Anchor, Vec<Pairable<K>>> =
            std::collections::BTreeMap::new();
        for p in people {
            match p.anchor {
                Some(a) => groups.entry(a).or_default().push(*p),
                None => rest.push(*p),
            }
        }
        for (anchor, group) in groups {
            let (made, left) = rotate(group);
            pairs.extend(made.into_iter().map(|(partner, subject)| Proposed {
                partner,
                subject,
                shared_anchor: Some(anchor),
            }));
            rest.extend(left);
        }
    } else {
        rest = people.to_vec();
    }
    let (made, left) = rotate(rest);
    pairs.extend(made.into_iter().map(|(partner, subject)| Proposed {
        partner,
        subject,
        shared_anchor: None,
    }));
    let mut left_out: Vec<K> = left.into_iter().map(|p| p.who).collect();
    left_out.sort();
    Rotation { pairs, left_out }
}

/// One rotation: sorted by department, each person partners the one `m` places on,
/// where `m` is the largest department's size — which never lands in the same
/// department while `2m <= n`. Members of the largest department are set aside until it
/// holds.
fn rotate<K: Copy + Ord>(mut group: Vec<Pairable<K>>) -> (Vec<(K, K)>, Vec<Pairable<K>>) {
    group.sort_by_key(|p| (p.department, p.who));
    let mut left = Vec::new();
    loop {
        if group.len() < 2 {
            left.append(&mut group);
            return (Vec::new(), left);
        }
        let mut sizes: std::collections::BTreeMap<Option<i64>, usize> =
            std::collections::BTreeMap::new();
        for p in &group {
            *sizes.entry(p.department).or_default() += 1;
        }
        let (largest, m) = sizes
            .iter()
            .max_by_key(|(d, n)| (**n, std::cmp::Reverse(**d)))
            .map(|(d, n)| (*d, *n))
            .unwrap_or((None, 0));
        if 2 * m <= group.len() {
            let n = group.len();
            let pairs = (0..n)
                .map(|i| (group[i].who, group[(i + m) % n].who))
                .collect();
            return (pairs, left);
        }
        // Set aside the last member of the largest department.
        if let Some(pos) = group.iter().rposition(|p| p.department == largest) {
            left.push(group.remove(pos));
        }
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

    #[test]
    fn a_cross_rotation_pairs_everyone_once_each_way_and_never_within_a_department() {
        use crate::anchor::Anchor;
        let person = |who: i64, dept: i64, anchor: Option<Anchor>| Pairable {
            who,
            department: Some(dept),
            anchor,
        };
        let check = |people: &[Pairable<i64>], r: &Rotation<i64>| {
            let dept = |k: i64| people.iter().find(|p| p.who == k).map(|p| p.department);
            let mut partners: Vec<i64> = r.pairs.iter().map(|p| p.partner).collect();
            let mut subjects: Vec<i64> = r.pairs.iter().map(|p| p.subject).collect();
            for p in &r.pairs {
                assert_ne!(
                    dept(p.partner),
                    dept(p.subject),
                    "{p:?} within a department"
                );
                assert_ne!(p.partner, p.subject);
                assert!(!r.left_out.contains(&p.partner) && !r.left_out.contains(&p.subject));
            }
            partners.sort();
            subjects.sort();
            assert_eq!(
                partners, subjects,
                "each paired person is partner and subject once"
            );
            partners.dedup();
            assert_eq!(partners.len(), r.pairs.len(), "nobody partners twice");
            assert_eq!(
                r.pairs.len() + r.left_out.len(),
                people.len(),
                "everyone accounted for"
            );
        };
        // Three departments of 3, 2 and 2: everyone is paired.
        let people: Vec<_> = [
            (1, 10),
            (2, 10),
            (3, 10),
            (4, 20),
            (5, 20),
            (6, 30),
            (7, 30),
        ]
        .into_iter()
        .map(|(w, d)| person(w, d, None))
        .collect();
        let r = cross_rotation(&people, false);
        check(&people, &r);
        assert!(r.left_out.is_empty());
        assert_eq!(r, cross_rotation(&people, false), "deterministic");
        // One department holding most people: just enough of it is left out.
        let crowded: Vec<_> = [
            (1, 10),
            (2, 10),
            (3, 10),
            (4, 10),
            (5, 10),
            (6, 20),
            (7, 30),
        ]
        .into_iter()
        .map(|(w, d)| person(w, d, None))
        .collect();
        let r = cross_rotation(&crowded, false);
        check(&crowded, &r);
        // Only two people are outside it, and each partners one person: two of the five
        // can meet an outsider both ways, three cannot.
        assert_eq!(r.left_out, vec![3, 4, 5], "{r:?}");
        assert_eq!(r.pairs.len(), 4);
        // Everyone in one department, or one person: nobody can be paired.
        let alone: Vec<_> = (1..=4).map(|w| person(w, 10, None)).collect();
        assert_eq!(cross_rotation(&alone, false).left_out, vec![1, 2, 3, 4]);
        assert_eq!(cross_rotation(&alone[..1], false).left_out, vec![1]);
        assert!(cross_rotation::<i64>(&[], true).pairs.is_empty());
        // By anchor: those sharing one meet first; the rest meet each other.
        let mixed = vec![
            person(1, 10, Some(Anchor::Service)),
            person(2, 20, Some(Anchor::Service)),
            person(3, 10, Some(Anchor::Security)),
            person(4, 20, Some(Anchor::Autonomy)),
            person(5, 30, None),
        ];
        let r = cross_rotation(&mixed, true);
        check(&mixed, &r);
        let shared: Vec<_> = r
            .pairs
            .iter()
            .filter(|p| p.shared_anchor.is_some())
            .collect();
        assert_eq!(shared.len(), 2, "1 and 2 meet each other: {r:?}");
        assert!(
            shared
                .iter()
                .all(|p| p.shared_anchor == Some(Anchor::Service)
                    && [1, 2].contains(&p.partner)
                    && [1, 2].contains(&p.subject))
        );
        assert!(
            r.left_out.is_empty(),
            "3, 4 and 5 are rotated together: {r:?}"
        );
        // A group of the same anchor within one department falls back to the wider one.
        let same_dept = vec![
            person(1, 10, Some(Anchor::Service)),
            person(2, 10, Some(Anchor::Service)),
            person(3, 20, None),
            person(4, 30, None),
        ];
        let r = cross_rotation(&same_dept, true);
        check(&same_dept, &r);
        assert!(r.pairs.iter().all(|p| p.shared_anchor.is_none()));
        assert!(r.left_out.is_empty());
    }
}
