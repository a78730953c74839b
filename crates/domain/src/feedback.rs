//! 面談所感: the consultant's feedback report to the employee's manager, in four parts
//! (DOMAIN.md: Feedback report). Whether it may be sent is `policy::may_send_feedback`;
//! this module says what a report is and finds what must never be in it.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// At most this many characters in one part.
pub const MAX_PART_CHARS: usize = 2000;

/// The four parts, in the order the manager reads them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parts {
    /// A side of your report you may not know (ご本人の、まだ知られていないかもしれない一面).
    pub unknown_side: String,
    /// The motivation likely to work (効きそうな動機づけ).
    pub motivation: String,
    /// What they committed to (本人が決めた行動計画).
    pub committed: String,
    /// The support you can give (上司としてできる支援).
    pub support: String,
}

impl Parts {
    pub const KEYS: [&'static str; 4] = ["unknown_side", "motivation", "committed", "support"];

    pub fn get(&self, key: &str) -> &str {
        match key {
            "unknown_side" => &self.unknown_side,
            "motivation" => &self.motivation,
            "committed" => &self.committed,
            _ => &self.support,
        }
    }

    pub fn is_empty(&self) -> bool {
        Parts::KEYS.iter().all(|k| self.get(k).trim().is_empty())
    }

    /// Reads the parts as typed; a part too long is named.
    pub fn parse(get: impl Fn(&str) -> String) -> Result<Parts, Vec<&'static str>> {
        let clean = |k: &str| get(k).replace("\r\n", "\n").trim().to_string();
        let p = Parts {
            unknown_side: clean("unknown_side"),
            motivation: clean("motivation"),
            committed: clean("committed"),
            support: clean("support"),
        };
        let too_long: Vec<&'static str> = Parts::KEYS
            .into_iter()
            .filter(|k| p.get(k).chars().count() > MAX_PART_CHARS)
            .collect();
        if too_long.is_empty() {
            Ok(p)
        } else {
            Err(too_long)
        }
    }
}

/// Something in a draft that must never reach the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leak {
    /// A topic the employee asked to withhold from their manager.
    Withheld { part: &'static str, topic: String },
    /// Wording of one of the consultant's private notes.
    PrivateNote { part: &'static str },
}

fn squash(s: &str) -> Vec<char> {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The phrases of what the employee asked to withhold: split at line ends and
/// punctuation, without 「のこと」「について」 and the like.
pub fn withheld_topics(withheld: &str) -> Vec<String> {
    withheld
        .split(['\n', '、', '。', ',', '，', '・', '/', '／', ';', '；'])
        .map(|t| {
            let mut t = t.trim().to_string();
            for tail in ["のこと", "について", "の件", "の話", "こと"] {
                if let Some(x) = t.strip_suffix(tail) {
                    t = x.to_string();
                    break;
                }
            }
            t
        })
        .filter(|t| t.chars().count() >= 2)
        .collect()
}

/// Has the consultant confirmed, topic by topic, that none of what the employee asked to
/// withhold is in the report? The automatic check (`leaks`) cannot catch a paraphrase;
/// this tick is the consultant's own reading, required for every topic before sending.
/// `topics` are [`withheld_topics`]; `ticked` the ones the consultant ticked.
pub fn withheld_confirmed(topics: &[String], ticked: &[&str]) -> bool {
    topics.iter().all(|t| ticked.contains(&t.as_str()))
}

/// How many characters of a private note, appearing in a report, count as its wording.
const PRIVATE_WINDOW: usize = 8;

/// Everything in `parts` that must not reach the manager: any withheld topic, and any run
/// of eight characters (or a whole shorter note) taken from a private note.
pub fn leaks(parts: &Parts, withheld: &str, private_notes: &[String]) -> Vec<Leak> {
    let topics = withheld_topics(withheld);
    let notes: Vec<Vec<char>> = private_notes.iter().map(|n| squash(n)).collect();
    let mut out = Vec::new();
    for key in Parts::KEYS {
        let text = squash(parts.get(key));
        for t in &topics {
            if contains(&text, &squash(t)) {
                out.push(Leak::Withheld {
                    part: key,
                    topic: t.clone(),
                });
            }
        }
        let copied = notes.iter().any(|n| {
            if n.len() < PRIVATE_WINDOW {
                n.len() >= 4 && contains(&text, n)
            } else {
                n.windows(PRIVATE_WINDOW).any(|w| contains(&text, w))
            }
        });
        if copied {
            out.push(Leak::PrivateNote { part: key });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Parts {
        Parts {
            motivation: text.into(),
            ..Parts::default()
        }
    }

    #[test]
    fn every_withheld_topic_must_be_ticked() {
        let topics = withheld_topics("母の介護のこと、転職の相談");
        assert!(!withheld_confirmed(&topics, &[]));
        assert!(!withheld_confirmed(&topics, &["母の介護"]));
        assert!(withheld_confirmed(&topics, &["転職の相談", "母の介護"]));
        let none = withheld_topics("");
        assert!(
            withheld_confirmed(&none, &[]),
            "nothing withheld: nothing to tick"
        );
    }

    #[test]
    fn withheld_topics_are_read_as_phrases() {
        assert_eq!(
            withheld_topics("母の介護のこと、副業について\n 転職"),
            vec!["母の介護", "副業", "転職"]
        );
        assert!(withheld_topics("").is_empty());
    }

    #[test]
    fn a_withheld_topic_or_a_private_notes_wording_is_found_in_any_part() {
        let withheld = "母の介護のこと";
        let private = vec!["転勤のある異動には不安が大きい".to_string()];
        assert!(
            leaks(
                &parts("後輩の育成にやりがいを感じています"),
                withheld,
                &private
            )
            .is_empty()
        );
        assert_eq!(
            leaks(&parts("母の 介護 で大変な時期です"), withheld, &private),
            vec![Leak::Withheld {
                part: "motivation",
                topic: "母の介護".into()
            }]
        );
        // Full-width or spaced-out copies are the same words.
        let copied = Parts {
            support: "転勤のある異動には配慮をお願いします".into(),
            ..Parts::default()
        };
        assert_eq!(
            leaks(&copied, withheld, &private),
            vec![Leak::PrivateNote { part: "support" }]
        );
    }

    #[test]
    fn parts_are_limited_and_an_empty_report_is_known() {
        assert!(Parts::default().is_empty());
        let long = "あ".repeat(MAX_PART_CHARS + 1);
        let r = Parts::parse(|k| {
            if k == "support" {
                long.clone()
            } else {
                String::new()
            }
        });
        assert_eq!(r, Err(vec!["support"]));
    }
}
