//! 会社の方針 (the company's own word, seed 003's first step): the company's
//! career-support policy in its leaders' words, and every scheme it offers — who may use
//! it and how — linked to where it is used. HR writes it; each save is a new version,
//! kept with who wrote it and when.

use serde::{Deserialize, Serialize};

/// Longest message, in characters.
pub const MAX_MESSAGE: usize = 4000;
/// Longest note on one scheme, in characters.
pub const MAX_SCHEME_NOTE: usize = 1000;

/// One scheme the product runs: its key (for its name and its default "who and how" in
/// the translations) and the page where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scheme {
    pub key: &'static str,
    pub path: &'static str,
}

/// Every scheme, in the order the page lists them: to know, to challenge, to learn.
pub const SCHEMES: [Scheme; 10] = [
    Scheme {
        key: "career_interview",
        path: "/my",
    },
    Scheme {
        key: "one_on_one",
        path: "/requests",
    },
    Scheme {
        key: "programmes",
        path: "/my",
    },
    Scheme {
        key: "consultants",
        path: "/my/consultants",
    },
    Scheme {
        key: "postings",
        path: "/opportunities",
    },
    Scheme {
        key: "fa",
        path: "/opportunities/fa",
    },
    Scheme {
        key: "side_jobs",
        path: "/opportunities/side-jobs",
    },
    Scheme {
        key: "courses",
        path: "/opportunities/learning",
    },
    Scheme {
        key: "subsidies",
        path: "/opportunities/subsidies",
    },
    Scheme {
        key: "role_models",
        path: "/role-models",
    },
];

/// The policy as typed: the leaders' message and the company's note on each scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInput {
    pub message: String,
    /// (scheme key, note); schemes left out have no note.
    pub notes: Vec<(String, String)>,
}

/// A checked policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyPolicy {
    pub message: String,
    /// (scheme key, note), known schemes only, in [`SCHEMES`] order, empty notes left out.
    pub notes: Vec<(String, String)>,
}

impl CompanyPolicy {
    /// The company's note on a scheme, if any.
    pub fn note(&self, key: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| n.as_str())
    }
}

/// What is wrong with a policy as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum PolicyProblem {
    MessageMissing,
    MessageTooLong { max: usize },
    NoteTooLong { scheme: String, max: usize },
    UnknownScheme { scheme: String },
}

impl PolicyInput {
    /// Checks the message and every note at once.
    pub fn parse(&self) -> Result<CompanyPolicy, Vec<PolicyProblem>> {
        let mut problems = Vec::new();
        let text = |raw: &str| raw.trim().replace("\r\n", "\n");
        let message = text(&self.message);
        if message.is_empty() {
            problems.push(PolicyProblem::MessageMissing);
        } else if message.chars().count() > MAX_MESSAGE {
            problems.push(PolicyProblem::MessageTooLong { max: MAX_MESSAGE });
        }
        let mut notes = Vec::new();
        for (key, note) in &self.notes {
            if !SCHEMES.iter().any(|s| s.key == key) {
                problems.push(PolicyProblem::UnknownScheme {
                    scheme: key.clone(),
                });
                continue;
            }
            let note = text(note);
            if note.chars().count() > MAX_SCHEME_NOTE {
                problems.push(PolicyProblem::NoteTooLong {
                    scheme: key.clone(),
                    max: MAX_SCHEME_NOTE,
                });
            } else if !note.is_empty() {
                notes.push((key.clone(), note));
            }
        }
        notes.sort_by_key(|(k, _)| SCHEMES.iter().position(|s| s.key == k));
        notes.dedup_by(|a, b| a.0 == b.0);
        if problems.is_empty() {
            Ok(CompanyPolicy { message, notes })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_needs_its_message_and_keeps_notes_in_the_schemes_order() {
        let p = PolicyInput {
            message: "  一人ひとりが自分のキャリアを考え、会社はそれを支えます。\r\n".into(),
            notes: vec![
                ("fa".into(), "年度末まで有効です。".into()),
                (
                    "career_interview".into(),
                    "50歳の年に必ず実施します。".into(),
                ),
                ("postings".into(), "   ".into()),
            ],
        }
        .parse()
        .expect("ok");
        assert_eq!(
            p.message,
            "一人ひとりが自分のキャリアを考え、会社はそれを支えます。"
        );
        assert_eq!(
            p.notes.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            vec!["career_interview", "fa"],
            "in order, the empty one left out"
        );
        assert_eq!(p.note("fa"), Some("年度末まで有効です。"));
        assert_eq!(p.note("postings"), None);
    }

    #[test]
    fn every_problem_is_said_at_once() {
        let problems = PolicyInput {
            message: " ".into(),
            notes: vec![
                ("nope".into(), "x".into()),
                ("fa".into(), "あ".repeat(MAX_SCHEME_NOTE + 1)),
            ],
        }
        .parse()
        .expect_err("problems");
        assert_eq!(
            problems,
            vec![
                PolicyProblem::MessageMissing,
                PolicyProblem::UnknownScheme {
                    scheme: "nope".into()
                },
                PolicyProblem::NoteTooLong {
                    scheme: "fa".into(),
                    max: MAX_SCHEME_NOTE
                },
            ]
        );
        assert_eq!(
            PolicyInput {
                message: "あ".repeat(MAX_MESSAGE + 1),
                notes: Vec::new()
            }
            .parse(),
            Err(vec![PolicyProblem::MessageTooLong { max: MAX_MESSAGE }])
        );
    }
}
