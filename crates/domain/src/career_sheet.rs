//! キャリアシート (career sheet): the employee's own account of their career, filled in
//! before a dialogue. Every save is a new version, so changes can be followed over months
//! (変化を一緒にたどる); each section can be kept private to the employee.
//!
//! Parse form or API input with [`CareerSheet::parse`]; show someone other than the owner
//! only [`CareerSheet::shared`]; compare two versions with [`compare`].

use serde::{Deserialize, Serialize};

/// The sections of a career sheet, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// 職務経歴
    WorkHistory,
    /// スキル・資格
    Skills,
    /// 強み
    Strengths,
    /// やりがい — what gives the work meaning
    Meaning,
    /// キャリアの意向
    Intention,
    /// キャリアビジョン (with its horizon in years)
    Vision,
    /// 不安・気がかり
    Concerns,
    /// 心が動いた出来事 — events and non-events that moved them
    Events,
    /// これまでの成功体験
    Successes,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::WorkHistory,
        Section::Skills,
        Section::Strengths,
        Section::Meaning,
        Section::Intention,
        Section::Vision,
        Section::Concerns,
        Section::Events,
        Section::Successes,
    ];

    /// The identifier used in forms, JSON and translation keys.
    pub fn key(self) -> &'static str {
        match self {
            Section::WorkHistory => "work_history",
            Section::Skills => "skills",
            Section::Strengths => "strengths",
            Section::Meaning => "meaning",
            Section::Intention => "intention",
            Section::Vision => "vision",
            Section::Concerns => "concerns",
            Section::Events => "events",
            Section::Successes => "successes",
        }
    }

    pub fn parse(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// At most this many characters per section (stated next to every field).
pub const MAX_SECTION_CHARS: usize = 4000;
/// A vision's horizon: 1 to this many years.
pub const MAX_HORIZON_YEARS: u8 = 30;

/// One section's text and whether the employee keeps it to themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub text: String,
    pub private: bool,
}

/// A career sheet's content (one version).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareerSheet {
    /// Every section, in [`Section::ALL`] order.
    pub sections: Vec<(Section, Entry)>,
    /// How many years ahead the vision looks (キャリアビジョンの期間).
    pub vision_horizon_years: Option<u8>,
}

/// What is wrong with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// A section key, or `vision_horizon_years`.
    pub field: String,
    /// `too_long` or `invalid_horizon`.
    pub code: &'static str,
}

/// Raw input for one section, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryInput {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub private: bool,
}

impl CareerSheet {
    /// Reads what the employee typed: line ends made `\n`, surrounding blank space
    /// trimmed, nothing else changed (HTML is stored as typed and escaped when shown).
    /// Every problem is returned at once; nothing is cut short silently.
    pub fn parse(
        input: impl Fn(Section) -> EntryInput,
        horizon: &str,
    ) -> Result<CareerSheet, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut sections = Vec::with_capacity(Section::ALL.len());
        for s in Section::ALL {
            let raw = input(s);
            let text = raw.text.replace("\r\n", "\n").replace('\r', "\n");
            let text = text.trim().to_string();
            if text.chars().count() > MAX_SECTION_CHARS {
                errors.push(FieldError {
                    field: s.key().into(),
                    code: "too_long",
                });
            }
            sections.push((
                s,
                Entry {
                    text,
                    private: raw.private,
                },
            ));
        }
        let horizon = horizon.trim();
        let vision_horizon_years = if horizon.is_empty() {
            None
        } else {
            match crate::import::values::normalise(horizon).parse::<u8>() {
                Ok(y) if (1..=MAX_HORIZON_YEARS).contains(&y) => Some(y),
                _ => {
                    errors.push(FieldError {
                        field: "vision_horizon_years".into(),
                        code: "invalid_horizon",
                    });
                    None
                }
            }
        };
        if errors.is_empty() {
            Ok(CareerSheet {
                sections,
                vision_horizon_years,
            })
        } else {
            Err(errors)
        }
    }

    pub fn entry(&self, s: Section) -> Option<&Entry> {
        self.sections.iter().find(|(k, _)| *k == s).map(|(_, e)| e)
    }

    /// What someone other than the owner may see: the sections not kept private (and the
    /// vision's horizon only with a shared vision).
    pub fn shared(&self) -> CareerSheet {
        let vision_shared = self.entry(Section::Vision).is_some_and(|e| !e.private);
        CareerSheet {
            sections: self
                .sections
                .iter()
                .filter(|(_, e)| !e.private)
                .cloned()
                .collect(),
            vision_horizon_years: self.vision_horizon_years.filter(|_| vision_shared),
        }
    }

    /// Nothing written yet.
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|(_, e)| e.text.is_empty()) && self.vision_horizon_years.is_none()
    }
}

/// A piece of a compared text: unchanged, only in the older version, or only in the newer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
}

/// One section compared between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    pub section: Section,
    pub before: Entry,
    pub after: Entry,
    pub changed: bool,
    /// The newer text with what was removed and added marked, character by character
    /// (Japanese has no spaces to split words on).
    pub pieces: Vec<Piece>,
}

/// Every section of `before` and `after`, side by side, with what changed marked.
pub fn compare(before: &CareerSheet, after: &CareerSheet) -> Vec<SectionChange> {
    Section::ALL
        .into_iter()
        .map(|s| {
            let b = before.entry(s).cloned().unwrap_or_default();
            let a = after.entry(s).cloned().unwrap_or_default();
            let pieces = char_diff(&b.text, &a.text);
            SectionChange {
                section: s,
                changed: b != a,
                before: b,
                after: a,
                pieces,
            }
        })
        .collect()
}

/// Below this similarity (0–1) a section counts as rewritten rather than edited.
const REWRITTEN_BELOW: f32 = 0.5;

fn char_diff(before: &str, after: &str) -> Vec<Piece> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_chars(before, after);
    // A text mostly rewritten reads better as "this, then that" than as a confetti of
    // single changed characters.
    if !before.is_empty() && !after.is_empty() && diff.ratio() < REWRITTEN_BELOW {
        return vec![Piece::Removed(before.into()), Piece::Added(after.into())];
    }
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (change.tag(), out.last_mut()) {
            (ChangeTag::Equal, Some(Piece::Same(t)))
            | (ChangeTag::Delete, Some(Piece::Removed(t)))
            | (ChangeTag::Insert, Some(Piece::Added(t))) => t.push_str(text),
            (ChangeTag::Equal, _) => out.push(Piece::Same(text.into())),
            (ChangeTag::Delete, _) => out.push(Piece::Removed(text.into())),
            (ChangeTag::Insert, _) => out.push(Piece::Added(text.into())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(pairs: &'a [(Section, &'a str, bool)]) -> impl Fn(Section) -> EntryInput + 'a {
        move |s| {
            pairs
                .iter()
                .find(|(k, _, _)| *k == s)
                .map(|(_, t, p)| EntryInput {
                    text: t.to_string(),
                    private: *p,
                })
                .unwrap_or_default()
        }
    }

    #[test]
    fn a_sheet_keeps_what_was_typed_with_line_ends_made_plain() {
        let sheet = CareerSheet::parse(
            input(&[(
                Section::Meaning,
                "  お客様に感謝されること\r\n<b>後輩の成長</b>  ",
                false,
            )]),
            "５",
        )
        .expect("valid");
        assert_eq!(
            sheet.entry(Section::Meaning).expect("meaning").text,
            "お客様に感謝されること\n<b>後輩の成長</b>"
        );
        assert_eq!(
            sheet.vision_horizon_years,
            Some(5),
            "full-width digits read"
        );
        assert_eq!(sheet.sections.len(), Section::ALL.len());
    }

    #[test]
    fn overlong_sections_and_bad_horizons_are_all_reported() {
        let long = "あ".repeat(MAX_SECTION_CHARS + 1);
        let just = "い".repeat(MAX_SECTION_CHARS);
        let errors = CareerSheet::parse(
            input(&[
                (Section::Concerns, &long, false),
                (Section::Skills, &just, false),
            ]),
            "0",
        )
        .expect_err("invalid");
        assert_eq!(
            errors,
            vec![
                FieldError {
                    field: "concerns".into(),
                    code: "too_long"
                },
                FieldError {
                    field: "vision_horizon_years".into(),
                    code: "invalid_horizon"
                },
            ]
        );
        assert!(CareerSheet::parse(input(&[]), "31").is_err());
        assert!(CareerSheet::parse(input(&[]), "三").is_err());
        assert_eq!(
            CareerSheet::parse(input(&[]), "")
                .expect("empty is fine")
                .vision_horizon_years,
            None
        );
    }

    #[test]
    fn private_sections_never_reach_the_shared_view() {
        let sheet = CareerSheet::parse(
            input(&[
                (Section::Concerns, "親の介護が始まりそう", true),
                (Section::Vision, "3年後に海外拠点の立ち上げ", false),
                (Section::Strengths, "段取り", false),
            ]),
            "3",
        )
        .expect("valid");
        let shared = sheet.shared();
        assert!(shared.entry(Section::Concerns).is_none());
        assert!(!format!("{shared:?}").contains("介護"));
        assert_eq!(shared.vision_horizon_years, Some(3));
        let vision_private =
            CareerSheet::parse(input(&[(Section::Vision, "独立したい", true)]), "10")
                .expect("valid");
        assert_eq!(vision_private.shared().vision_horizon_years, None);
        assert!(vision_private.shared().entry(Section::Vision).is_none());
    }

    #[test]
    fn a_comparison_marks_what_was_removed_and_added() {
        let v1 = CareerSheet::parse(input(&[(Section::Vision, "営業で一番になる", false)]), "")
            .expect("v1");
        let v2 = CareerSheet::parse(
            input(&[(Section::Vision, "営業の仕組みを作る人になる", false)]),
            "",
        )
        .expect("v2");
        let changes = compare(&v1, &v2);
        let vision = changes
            .iter()
            .find(|c| c.section == Section::Vision)
            .expect("vision");
        assert!(vision.changed);
        let removed: String = vision
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Removed(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        let added: String = vision
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Added(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert!(removed.contains("一番"), "{removed}");
        assert!(added.contains("仕組みを作る人"), "{added}");
        assert_eq!(changes.iter().filter(|c| c.changed).count(), 1);
    }

    #[test]
    fn a_rewritten_section_is_shown_as_the_old_text_then_the_new() {
        let v1 = CareerSheet::parse(
            input(&[(
                Section::Concerns,
                "このまま分析だけを続けてよいのか迷っています。",
                false,
            )]),
            "",
        )
        .expect("v1");
        let v2 = CareerSheet::parse(
            input(&[(
                Section::Concerns,
                "子どもの進学と転勤の可能性が重なることが気がかりです。",
                false,
            )]),
            "",
        )
        .expect("v2");
        let concerns = compare(&v1, &v2)
            .into_iter()
            .find(|c| c.section == Section::Concerns)
            .expect("concerns");
        assert_eq!(
            concerns.pieces,
            vec![
                Piece::Removed("このまま分析だけを続けてよいのか迷っています。".into()),
                Piece::Added("子どもの進学と転勤の可能性が重なることが気がかりです。".into()),
            ]
        );
        // Written for the first time: all of it is added.
        let empty = CareerSheet::parse(input(&[]), "").expect("empty");
        let first = compare(&empty, &v2)
            .into_iter()
            .find(|c| c.section == Section::Concerns)
            .expect("concerns");
        assert_eq!(
            first.pieces,
            vec![Piece::Added(
                "子どもの進学と転勤の可能性が重なることが気がかりです。".into()
            )]
        );
    }
}
