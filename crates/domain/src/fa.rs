//! 社内FA (free-agent declarations): an employee who meets the company's rules declares
//! that they are open to a move — what they want to do and the experience they bring.
//! Hiring managers outside the declarant's own department and reporting line browse the
//! declarations and ask for an interview, which the declarant accepts or declines. A
//! declaration lasts until the end of the fiscal year it was made (or renewed) in.
//! Who sees a declaration is [`crate::policy::declaration_view`].

use crate::calendar::FiscalCalendar;
use crate::posting::{Eligibility, whole_months};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest text of a field, in characters.
pub const MAX_TEXT: usize = 2000;
/// Longest message of an interview request, in characters.
pub const MAX_MESSAGE: usize = 1000;

/// A declaration as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationInput {
    /// What they want to do next (やりたいこと).
    pub wants: String,
    /// The experience and strengths they bring (経験・強み).
    pub experience: String,
}

/// A checked declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub wants: String,
    pub experience: String,
}

/// What is wrong with a declaration as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum DeclarationProblem {
    WantsMissing,
    ExperienceMissing,
    TooLong { field: &'static str, max: usize },
}

impl DeclarationInput {
    /// Checks both fields at once.
    pub fn parse(&self) -> Result<Declaration, Vec<DeclarationProblem>> {
        let mut problems = Vec::new();
        let text = |raw: &str| raw.trim().replace("\r\n", "\n");
        let (wants, experience) = (text(&self.wants), text(&self.experience));
        for (field, value, missing) in [
            ("wants", &wants, DeclarationProblem::WantsMissing),
            (
                "experience",
                &experience,
                DeclarationProblem::ExperienceMissing,
            ),
        ] {
            if value.is_empty() {
                problems.push(missing);
            } else if value.chars().count() > MAX_TEXT {
                problems.push(DeclarationProblem::TooLong {
                    field,
                    max: MAX_TEXT,
                });
            }
        }
        if problems.is_empty() {
            Ok(Declaration { wants, experience })
        } else {
            Err(problems)
        }
    }
}

/// Why someone may not declare (each said with the rule named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum DeclareRefusal {
    /// The same months in one's department as for applying to a posting.
    TooSoonInRole { months: u32, required: u32 },
    /// A declaration of this fiscal year is active already (renew it instead).
    AlreadyDeclared { until: NaiveDate },
}

/// May this person declare on `today`? `active_until` is the end of their declaration
/// still in force, if any.
pub fn may_declare(
    rules: Eligibility,
    in_role_since: Option<NaiveDate>,
    active_until: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Vec<DeclareRefusal>> {
    let mut out = Vec::new();
    if let Some(until) = active_until.filter(|u| *u >= today) {
        out.push(DeclareRefusal::AlreadyDeclared { until });
    }
    if rules.min_months_in_role > 0 {
        let months = in_role_since.map_or(0, |s| whole_months(s, today));
        if months < rules.min_months_in_role {
            out.push(DeclareRefusal::TooSoonInRole {
                months,
                required: rules.min_months_in_role,
            });
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// The last day a declaration made (or renewed) on `on` is in force: the end of that
/// fiscal year.
pub fn expires_on(calendar: &FiscalCalendar, on: NaiveDate) -> NaiveDate {
    *calendar.range(calendar.fiscal_year_of(on)).end()
}

/// Where a hiring manager's interview request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Waiting,
    Accepted,
    Declined,
}

impl InterviewStatus {
    pub fn key(self) -> &'static str {
        match self {
            InterviewStatus::Waiting => "waiting",
            InterviewStatus::Accepted => "accepted",
            InterviewStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<InterviewStatus> {
        [
            InterviewStatus::Waiting,
            InterviewStatus::Accepted,
            InterviewStatus::Declined,
        ]
        .into_iter()
        .find(|x| x.key() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::AgeRule;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_declaration_needs_both_fields_and_says_every_problem_at_once() {
        let empty = DeclarationInput::default().parse().expect_err("empty");
        assert_eq!(
            empty,
            vec![
                DeclarationProblem::WantsMissing,
                DeclarationProblem::ExperienceMissing
            ]
        );
        let long = DeclarationInput {
            wants: "あ".repeat(MAX_TEXT + 1),
            experience: "営業10年".into(),
        }
        .parse()
        .expect_err("long");
        assert_eq!(
            long,
            vec![DeclarationProblem::TooLong {
                field: "wants",
                max: MAX_TEXT
            }]
        );
        let ok = DeclarationInput {
            wants: "  新規事業に挑戦したい\r\n".into(),
            experience: "法人営業".into(),
        }
        .parse()
        .expect("ok");
        assert_eq!(ok.wants, "新規事業に挑戦したい");
    }

    #[test]
    fn declaring_needs_the_months_in_ones_department_and_no_active_declaration() {
        let rules = Eligibility {
            min_months_in_role: 12,
        };
        let today = d("2026-12-07");
        assert_eq!(
            may_declare(rules, Some(d("2026-01-08")), None, today),
            Err(vec![DeclareRefusal::TooSoonInRole {
                months: 10,
                required: 12
            }])
        );
        assert_eq!(
            may_declare(rules, Some(d("2025-12-07")), None, today),
            Ok(())
        );
        assert_eq!(
            may_declare(rules, None, None, today),
            Err(vec![DeclareRefusal::TooSoonInRole {
                months: 0,
                required: 12
            }]),
            "unknown tenure is not enough"
        );
        assert_eq!(
            may_declare(rules, Some(d("2020-04-01")), Some(d("2027-03-31")), today),
            Err(vec![DeclareRefusal::AlreadyDeclared {
                until: d("2027-03-31")
            }])
        );
        // One that ran out does not stand in the way.
        assert_eq!(
            may_declare(rules, Some(d("2020-04-01")), Some(d("2026-03-31")), today),
            Ok(())
        );
    }

    #[test]
    fn a_declaration_runs_to_the_end_of_its_fiscal_year() {
        let april = FiscalCalendar::new(4, AgeRule::Legal).expect("calendar");
        assert_eq!(expires_on(&april, d("2026-12-07")), d("2027-03-31"));
        assert_eq!(expires_on(&april, d("2027-03-31")), d("2027-03-31"));
        assert_eq!(expires_on(&april, d("2027-04-01")), d("2028-03-31"));
        let january = FiscalCalendar::new(1, AgeRule::Legal).expect("calendar");
        assert_eq!(expires_on(&january, d("2026-12-07")), d("2026-12-31"));
    }
}
