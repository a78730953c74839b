//! 副業・兼業 (side jobs): an employee applies under the company's rules — the field and
//! the client (checked against the company's lists of competing fields and clients), the
//! hours a month (checked against the cap), the information-handling pledge, the period —
//! and HR approves, asks for changes or refuses, saying why. An approval lasts to the
//! application's end date; after it the employee reports back what they learned. Who sees
//! an application is [`crate::policy::may_see_side_job`]: the applicant and HR only.

use crate::import::values::{normalise, parse_date};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest field, client or work description, in characters.
pub const MAX_TEXT: usize = 1000;
/// Longest period of one approval, in months (renewed after).
pub const MAX_MONTHS: u32 = 12;
/// The hours cap a month when the company has set none.
pub const DEFAULT_HOURS_CAP: u32 = 30;

/// The company's rules (就業規則の副業規定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Fields of business that compete with the company (競業となる分野).
    pub competing_fields: Vec<String>,
    /// Clients that compete with the company or are its own customers (取引先).
    pub competing_clients: Vec<String>,
    /// At most this many hours a month.
    pub hours_cap: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            competing_fields: Vec::new(),
            competing_clients: Vec::new(),
            hours_cap: DEFAULT_HOURS_CAP,
        }
    }
}

/// An application as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideJobInput {
    /// The field of the work (分野), e.g. Webデザイン.
    pub field: String,
    /// Who the work is for (依頼元).
    pub client: String,
    /// What the work is.
    pub work: String,
    pub hours_per_month: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The information-handling pledge accepted (情報管理の誓約).
    pub pledge: bool,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideJob {
    pub field: String,
    pub client: String,
    pub work: String,
    pub hours_per_month: u32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// What is wrong with an application as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum Problem {
    Missing { field: &'static str },
    TooLong { field: &'static str, max: usize },
    HoursInvalid,
    DateInvalid { field: &'static str },
    EndsBeforeStarts,
    PeriodTooLong { max_months: u32 },
    PledgeMissing,
}

/// What the company's rules refuse (said with the rule named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum Refusal {
    CompetingField { listed: String },
    CompetingClient { listed: String },
    OverHoursCap { hours: u32, cap: u32 },
}

/// Does `typed` name `listed` (or the other way round), folded for width and case?
fn names(typed: &str, listed: &str) -> bool {
    let (a, b) = (
        normalise(typed).to_lowercase(),
        normalise(listed).to_lowercase(),
    );
    !b.is_empty() && !a.is_empty() && (a.contains(&b) || b.contains(&a))
}

/// Whole months from `start` to `end`, counting a started month.
fn months_between(start: NaiveDate, end: NaiveDate) -> u32 {
    use chrono::Datelike;
    let m = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    let m = if end.day() >= start.day() { m + 1 } else { m };
    m.max(0) as u32
}

impl SideJobInput {
    /// Checks the form and the company's rules, every problem and refusal at once.
    pub fn check(&self, rules: &Rules) -> Result<SideJob, (Vec<Problem>, Vec<Refusal>)> {
        let mut problems = Vec::new();
        let mut refusals = Vec::new();
        let text = |raw: &str| raw.trim().replace("\r\n", "\n");
        let (field, client, work) = (text(&self.field), text(&self.client), text(&self.work));
        for (name, value) in [("field", &field), ("client", &client), ("work", &work)] {
            if value.is_empty() {
                problems.push(Problem::Missing { field: name });
            } else if value.chars().count() > MAX_TEXT {
                problems.push(Problem::TooLong {
                    field: name,
                    max: MAX_TEXT,
                });
            }
        }
        let hours = normalise(&self.hours_per_month)
            .parse::<u32>()
            .ok()
            .filter(|h| *h > 0 && *h <= 744);
        if hours.is_none() {
            problems.push(Problem::HoursInvalid);
        }
        let date = |raw: &str, name: &'static str, problems: &mut Vec<Problem>| {
            parse_date(raw)
                .map_err(|_| problems.push(Problem::DateInvalid { field: name }))
                .ok()
        };
        let starts = date(&self.starts_on, "starts_on", &mut problems);
        let ends = date(&self.ends_on, "ends_on", &mut problems);
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s {
                problems.push(Problem::EndsBeforeStarts);
            } else if months_between(s, e) > MAX_MONTHS {
                problems.push(Problem::PeriodTooLong {
                    max_months: MAX_MONTHS,
                });
            }
        }
        if !self.pledge {
            problems.push(Problem::PledgeMissing);
        }
        if let Some(listed) = rules.competing_fields.iter().find(|l| names(&field, l)) {
            refusals.push(Refusal::CompetingField {
                listed: listed.clone(),
            });
        }
        if let Some(listed) = rules.competing_clients.iter().find(|l| names(&client, l)) {
            refusals.push(Refusal::CompetingClient {
                listed: listed.clone(),
            });
        }
        if let Some(h) = hours.filter(|h| *h > rules.hours_cap) {
            refusals.push(Refusal::OverHoursCap {
                hours: h,
                cap: rules.hours_cap,
            });
        }
        match (hours, starts, ends) {
            (Some(h), Some(s), Some(e)) if problems.is_empty() && refusals.is_empty() => {
                Ok(SideJob {
                    field,
                    client,
                    work,
                    hours_per_month: h,
                    starts_on: s,
                    ends_on: e,
                })
            }
            _ => Err((problems, refusals)),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for HR.
    Submitted,
    /// HR asked for changes; the applicant edits and submits again.
    ChangesRequested,
    Approved,
    Refused,
    /// The applicant took it back before a decision.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Submitted,
        Status::ChangesRequested,
        Status::Approved,
        Status::Refused,
        Status::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::ChangesRequested => "changes_requested",
            Status::Approved => "approved",
            Status::Refused => "refused",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.key() == s)
    }
}

/// HR's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    RequestChanges,
    Refuse,
}

/// Why a decision may not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRefusal {
    /// Only a submitted application is decided.
    NotWaiting,
    /// Asking for changes and refusing say why.
    ReasonMissing,
}

/// The status after HR's `decision` on an application in `status`.
pub fn decide(status: Status, decision: Decision, reason: &str) -> Result<Status, DecisionRefusal> {
    if status != Status::Submitted {
        return Err(DecisionRefusal::NotWaiting);
    }
    if decision != Decision::Approve && reason.trim().is_empty() {
        return Err(DecisionRefusal::ReasonMissing);
    }
    Ok(match decision {
        Decision::Approve => Status::Approved,
        Decision::RequestChanges => Status::ChangesRequested,
        Decision::Refuse => Status::Refused,
    })
}

/// An approval in force on `today`: approved, and `today` within the period.
pub fn in_force(status: Status, job: &SideJob, today: NaiveDate) -> bool {
    status == Status::Approved && job.starts_on <= today && today <= job.ends_on
}

/// How many days before an approval ends its renewal may be applied for.
pub const RENEW_WITHIN_DAYS: i64 = 30;

/// May a new application renew this one? An approval ends with its period (at most
/// [`MAX_MONTHS`]); from [`RENEW_WITHIN_DAYS`] before its end, and after it, the
/// applicant applies again for the next period, checked against the rules as they are
/// then.
pub fn renewable(status: Status, job: &SideJob, today: NaiveDate) -> bool {
    status == Status::Approved && (job.ends_on - today).num_days() <= RENEW_WITHIN_DAYS
}

/// The report back is due once an approved period has ended.
pub fn report_due(status: Status, job: &SideJob, today: NaiveDate) -> bool {
    status == Status::Approved && today > job.ends_on
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            competing_fields: vec!["食品卸".into(), "物流".into()],
            competing_clients: vec!["株式会社ライバル商事".into()],
            hours_cap: 30,
        }
    }

    fn input() -> SideJobInput {
        SideJobInput {
            field: "Webデザイン".into(),
            client: "地域のNPO法人".into(),
            work: "ホームページの更新".into(),
            hours_per_month: "20".into(),
            starts_on: "2027-01-01".into(),
            ends_on: "2027-12-31".into(),
            pledge: true,
        }
    }

    #[test]
    fn a_side_job_within_the_rules_passes() {
        let job = input().check(&rules()).expect("ok");
        assert_eq!(job.hours_per_month, 20);
        assert_eq!(
            job.ends_on,
            NaiveDate::from_ymd_opt(2027, 12, 31).expect("d")
        );
    }

    #[test]
    fn a_competing_field_or_client_and_hours_over_the_cap_are_refused_with_the_rule() {
        let i = SideJobInput {
            field: "食品卸の営業支援".into(),
            client: "ライバル商事".into(),
            hours_per_month: "４０".into(),
            ..input()
        };
        let (problems, refusals) = i.check(&rules()).expect_err("refused");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            refusals,
            vec![
                Refusal::CompetingField {
                    listed: "食品卸".into()
                },
                Refusal::CompetingClient {
                    listed: "株式会社ライバル商事".into()
                },
                Refusal::OverHoursCap { hours: 40, cap: 30 },
            ]
        );
        // Width and case are folded: ＷＥＢ matches web.
        let r = Rules {
            competing_fields: vec!["web制作".into()],
            ..rules()
        };
        let i = SideJobInput {
            field: "ＷＥＢ制作".into(),
            ..input()
        };
        assert!(matches!(i.check(&r), Err((_, f)) if f.len() == 1));
    }

    #[test]
    fn every_problem_of_the_form_is_said_at_once() {
        let i = SideJobInput {
            field: " ".into(),
            client: String::new(),
            work: "x".repeat(MAX_TEXT + 1),
            hours_per_month: "0".into(),
            starts_on: "2027-05-01".into(),
            ends_on: "2027-04-01".into(),
            pledge: false,
        };
        let (problems, _) = i.check(&rules()).expect_err("problems");
        assert_eq!(
            problems,
            vec![
                Problem::Missing { field: "field" },
                Problem::Missing { field: "client" },
                Problem::TooLong {
                    field: "work",
                    max: MAX_TEXT
                },
                Problem::HoursInvalid,
                Problem::EndsBeforeStarts,
                Problem::PledgeMissing,
            ]
        );
        let long = SideJobInput {
            ends_on: "2028-01-01".into(),
            ..input()
        };
        assert_eq!(
            long.check(&rules()).expect_err("long").0,
            vec![Problem::PeriodTooLong {
                max_months: MAX_MONTHS
            }]
        );
    }

    #[test]
    fn hr_decides_only_a_submitted_application_and_says_why_unless_approving() {
        assert_eq!(
            decide(Status::Submitted, Decision::Approve, ""),
            Ok(Status::Approved)
        );
        assert_eq!(
            decide(Status::Submitted, Decision::Refuse, " "),
            Err(DecisionRefusal::ReasonMissing)
        );
        assert_eq!(
            decide(
                Status::Submitted,
                Decision::RequestChanges,
                "時間を減らしてください"
            ),
            Ok(Status::ChangesRequested)
        );
        for s in [
            Status::Approved,
            Status::Refused,
            Status::Withdrawn,
            Status::ChangesRequested,
        ] {
            assert_eq!(
                decide(s, Decision::Approve, ""),
                Err(DecisionRefusal::NotWaiting),
                "{s:?}"
            );
        }
    }

    #[test]
    fn an_approval_is_in_force_for_its_period_and_then_asks_for_a_report() {
        let job = input().check(&rules()).expect("ok");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("d");
        assert!(!in_force(Status::Approved, &job, day("2026-12-31")));
        assert!(in_force(Status::Approved, &job, day("2027-06-01")));
        assert!(!in_force(Status::Submitted, &job, day("2027-06-01")));
        assert!(!report_due(Status::Approved, &job, day("2027-12-31")));
        assert!(report_due(Status::Approved, &job, day("2028-01-01")));
        // Renewal: from 30 days before the end, and after it; only an approval.
        assert!(!renewable(Status::Approved, &job, day("2027-11-30")));
        assert!(renewable(Status::Approved, &job, day("2027-12-01")));
        assert!(renewable(Status::Approved, &job, day("2028-03-01")));
        assert!(!renewable(Status::Refused, &job, day("2028-03-01")));
    }
}
