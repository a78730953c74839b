//! 相談テーマ: after a career interview or a consultation, the facilitator tags the themes
//! the person raised, from a fixed list the company may extend (DOMAIN.md: Anonymity in
//! organisation reports — free text never reaches the organisation, only counts of
//! themes). Only the tags travel; what was said stays in the sealed notes.

use serde::{Deserialize, Serialize};

/// The themes every company has.
pub const BUILTIN: [&str; 10] = [
    "career_direction",
    "manager_relationship",
    "evaluation",
    "job_change",
    "care",
    "health",
    "relearning",
    "transfer",
    "after_retirement",
    "workload",
];

/// A company may add at most this many themes of its own.
pub const MAX_CUSTOM: usize = 20;
/// At most this many characters in a theme's label.
pub const MAX_LABEL_CHARS: usize = 30;

/// A theme of the company's own: `custom.<n>`, labelled in Japanese (and English, or the
/// Japanese again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomTheme {
    pub key: String,
    pub label_ja: String,
    pub label_en: String,
}

/// Why a theme of the company's own was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeProblem {
    /// No Japanese label, or a label too long.
    Label,
    /// The same label as a theme already in the list.
    Duplicate,
    TooMany,
}

impl ThemeProblem {
    pub fn key(self) -> &'static str {
        match self {
            ThemeProblem::Label => "label",
            ThemeProblem::Duplicate => "duplicate",
            ThemeProblem::TooMany => "too_many",
        }
    }
}

/// Checks a new theme of the company's own against those it has (`existing`: labels of
/// every theme in the list, built-in ones in both languages) and names its key.
pub fn new_custom(
    label_ja: &str,
    label_en: &str,
    custom: &[CustomTheme],
    existing: &[String],
) -> Result<CustomTheme, ThemeProblem> {
    use unicode_normalization::UnicodeNormalization;
    let ja = label_ja.nfkc().collect::<String>().trim().to_string();
    let en = label_en.nfkc().collect::<String>().trim().to_string();
    let fits = |s: &str| s.chars().count() <= MAX_LABEL_CHARS;
    if ja.is_empty() || !fits(&ja) || !fits(&en) {
        return Err(ThemeProblem::Label);
    }
    if custom.len() >= MAX_CUSTOM {
        return Err(ThemeProblem::TooMany);
    }
    if existing
        .iter()
        .any(|e| *e == ja || (!en.is_empty() && *e == en))
    {
        return Err(ThemeProblem::Duplicate);
    }
    let n = custom
        .iter()
        .filter_map(|c| c.key.strip_prefix("custom.")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    Ok(CustomTheme {
        key: format!("custom.{n}"),
        label_en: if en.is_empty() { ja.clone() } else { en },
        label_ja: ja,
    })
}

/// Reads the themes ticked on a dialogue: only keys of the company's list, each once, in
/// the list's order.
pub fn parse_tags<'a>(
    ticked: impl IntoIterator<Item = &'a str>,
    custom: &[CustomTheme],
) -> Vec<String> {
    let ticked: Vec<&str> = ticked.into_iter().map(str::trim).collect();
    BUILTIN
        .iter()
        .map(|k| k.to_string())
        .chain(custom.iter().map(|c| c.key.clone()))
        .filter(|k| ticked.contains(&k.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_themes_of_the_list_are_kept_once_in_order() {
        let custom = vec![CustomTheme {
            key: "custom.1".into(),
            label_ja: "副業".into(),
            label_en: "Side jobs".into(),
        }];
        assert_eq!(
            parse_tags(
                ["health", "nonsense", "custom.1", "care", "health"],
                &custom
            ),
            vec!["care", "health", "custom.1"]
        );
        assert!(parse_tags(["custom.2"], &custom).is_empty());
    }

    #[test]
    fn a_theme_of_ones_own_needs_a_new_japanese_label() {
        let existing = vec!["健康".to_string(), "Health".to_string()];
        assert_eq!(
            new_custom(" ", "x", &[], &existing),
            Err(ThemeProblem::Label)
        );
        assert_eq!(
            new_custom("健康", "", &[], &existing),
            Err(ThemeProblem::Duplicate)
        );
        assert_eq!(
            new_custom(&"長".repeat(31), "", &[], &existing),
            Err(ThemeProblem::Label)
        );
        let t = new_custom("副業", "", &[], &existing).expect("new");
        assert_eq!((t.key.as_str(), t.label_en.as_str()), ("custom.1", "副業"));
        let next = new_custom("奨学金の返済", "Student loans", &[t], &existing).expect("new");
        assert_eq!(next.key, "custom.2");
        let many: Vec<CustomTheme> = (1..=20)
            .map(|i| CustomTheme {
                key: format!("custom.{i}"),
                label_ja: format!("テーマ{i}"),
                label_en: String::new(),
            })
            .collect();
        assert_eq!(
            new_custom("新しい", "", &many, &existing),
            Err(ThemeProblem::TooMany)
        );
    }
}
