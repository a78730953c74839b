//! 社内公募 (internal postings): a hiring manager or HR publishes a role with its
//! published selection criteria, stages and dates; employees who meet the company's rules
//! apply with a motivation; the hiring side records each stage's outcome with a reason.
//! DOMAIN.md "Three opportunities": an application stays hidden from the applicant's
//! current manager until the stage the company configures (by default the offer,
//! 内定) — who sees what is decided in [`crate::policy::application_view`].
//!
//! Here: a posting as typed on the form ([`PostingInput`] → [`Posting`]), the company's
//! eligibility rules ([`Eligibility`]), the checks on applying ([`may_apply`]) and the
//! order of stages ([`Progress`]).

use crate::import::values::normalise;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The stages a posting has when the form names none.
pub const DEFAULT_STAGES: [&str; 3] = ["書類選考", "面接", "内定"];
/// At most this many stages.
pub const MAX_STAGES: usize = 8;
/// At most this many people per posting.
pub const MAX_HEADCOUNT: u32 = 999;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 120;
/// Longest text of a field (what the work is, experience, criteria), in characters.
pub const MAX_TEXT: usize = 4000;
/// Longest motivation (志望動機), in characters.
pub const MAX_MOTIVATION: usize = 2000;
/// Longest stage name, in characters.
pub const MAX_STAGE_NAME: usize = 30;

/// A posting's fields as typed on the form (or sent to the API), before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingInput {
    pub title: String,
    /// Grades who may apply, separated by commas, 、, spaces or slashes; empty for any.
    pub grades: String,
    /// What the work is (仕事内容).
    pub work: String,
    /// Required experience (必須経験).
    pub required: String,
    /// Welcome experience (歓迎経験); may be empty.
    pub welcome: String,
    /// The published selection criteria (選考基準).
    pub criteria: String,
    pub headcount: String,
    pub opens_on: String,
    pub closes_on: String,
    /// Stage names, one per line (or separated by →); empty for [`DEFAULT_STAGES`].
    pub stages: String,
    /// The stage from which the applicant's current manager sees the application; empty
    /// for the last stage (the offer).
    pub reveal_stage: String,
}

/// A checked posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub title: String,
    pub grades: Vec<String>,
    pub work: String,
    pub required: String,
    pub welcome: String,
    pub criteria: String,
    pub headcount: u32,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub stages: Vec<String>,
    /// Index into `stages`: from this stage on, the current manager sees the application.
    pub reveal_at: usize,
}

/// What is wrong with a posting as typed (each said on the form next to its field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum PostingProblem {
    TitleMissing,
    TitleTooLong {
        max: usize,
    },
    WorkMissing,
    CriteriaMissing,
    TextTooLong {
        field: &'static str,
        max: usize,
    },
    HeadcountInvalid {
        max: u32,
    },
    DateInvalid {
        field: &'static str,
    },
    ClosesBeforeOpens,
    TooManyStages {
        max: usize,
    },
    StageTooLong {
        max: usize,
    },
    StageRepeated {
        stage: String,
    },
    /// The reveal stage names no stage of the posting.
    RevealStageUnknown {
        stage: String,
    },
    /// Someone applied already: the stages stay as they are (applications stand at
    /// stages by number).
    StagesFixed,
}

fn stage_names(raw: &str) -> Vec<String> {
    normalise(raw)
        .split(['\n', '→', '>'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn date(raw: &str, field: &'static str, problems: &mut Vec<PostingProblem>) -> Option<NaiveDate> {
    match crate::import::values::parse_date(raw) {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(PostingProblem::DateInvalid { field });
            None
        }
    }
}

impl PostingInput {
    /// Checks every field at once, so the form can say everything that is wrong.
    pub fn parse(&self) -> Result<Posting, Vec<PostingProblem>> {
        let mut problems = Vec::new();
        // A title is kept as written (its full-width brackets included), like a name.
        let title = crate::import::values::trim_name(&self.title);
        if title.is_empty() {
            problems.push(PostingProblem::TitleMissing);
        } else if title.chars().count() > MAX_TITLE {
            problems.push(PostingProblem::TitleTooLong { max: MAX_TITLE });
        }
        let text = |raw: &str| raw.trim().replace("\r\n", "\n");
        let (work, required, welcome, criteria) = (
            text(&self.work),
            text(&self.required),
            text(&self.welcome),
            text(&self.criteria),
        );
        if work.is_empty() {
            problems.push(PostingProblem::WorkMissing);
        }
        if criteria.is_empty() {
            problems.push(PostingProblem::CriteriaMissing);
        }
        for (field, value) in [
            ("work", &work),
            ("required", &required),
            ("welcome", &welcome),
            ("criteria", &criteria),
        ] {
            if value.chars().count() > MAX_TEXT {
                problems.push(PostingProblem::TextTooLong {
                    field,
                    max: MAX_TEXT,
                });
            }
        }
        let headcount = match normalise(&self.headcount).parse::<u32>() {
            Ok(n) if (1..=MAX_HEADCOUNT).contains(&n) => n,
            _ => {
                problems.push(PostingProblem::HeadcountInvalid { max: MAX_HEADCOUNT });
                0
            }
        };
        let opens_on = date(&self.opens_on, "opens_on", &mut problems);
        let closes_on = date(&self.closes_on, "closes_on", &mut problems);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            problems.push(PostingProblem::ClosesBeforeOpens);
        }
        let mut stages = stage_names(&self.stages);
        if stages.is_empty() {
            stages = DEFAULT_STAGES.iter().map(|s| s.to_string()).collect();
        }
        if stages.len() > MAX_STAGES {
            problems.push(PostingProblem::TooManyStages { max: MAX_STAGES });
        }
        if stages.iter().any(|s| s.chars().count() > MAX_STAGE_NAME) {
            problems.push(PostingProblem::StageTooLong {
                max: MAX_STAGE_NAME,
            });
        }
        for (i, s) in stages.iter().enumerate() {
            if stages[..i].contains(s) {
                problems.push(PostingProblem::StageRepeated { stage: s.clone() });
                break;
            }
        }
        let reveal = normalise(&self.reveal_stage);
        let reveal_at = if reveal.is_empty() {
            stages.len().saturating_sub(1)
        } else {
            match stages.iter().position(|s| *s == reveal) {
                Some(i) => i,
                None => {
                    problems.push(PostingProblem::RevealStageUnknown { stage: reveal });
                    0
                }
            }
        };
        let grades: Vec<String> = normalise(&self.grades)
            .split([',', '、', ' ', '/', '・'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .fold(Vec::new(), |mut out, g| {
                if !out.contains(&g) {
                    out.push(g);
                }
                out
            });
        match (opens_on, closes_on) {
            (Some(opens_on), Some(closes_on)) if problems.is_empty() => Ok(Posting {
                title,
                grades,
                work,
                required,
                welcome,
                criteria,
                headcount,
                opens_on,
                closes_on,
                stages,
                reveal_at,
            }),
            _ => Err(problems),
        }
    }
}

impl Posting {
    /// Open for applications on `today` (both dates included).
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }

    /// The last stage: reaching it is the offer (内定).
    pub fn offer_stage(&self) -> usize {
        self.stages.len().saturating_sub(1)
    }
}

/// The company's rules for who may apply (応募資格), a tenant setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Whole months in one's current department before one may apply (0: none).
    pub min_months_in_role: u32,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility {
            min_months_in_role: 12,
        }
    }
}

/// Whole months from `since` to `today` (0 when `since` is later).
pub fn whole_months(since: NaiveDate, today: NaiveDate) -> u32 {
    if today < since {
        return 0;
    }
    let months = (today.year() - since.year()) * 12 + today.month() as i32 - since.month() as i32;
    let months = if today.day() < since.day() {
        months - 1
    } else {
        months
    };
    months.max(0) as u32
}

/// What the checks on applying look at.
#[derive(Debug, Clone, Copy)]
pub struct Applicant<'a> {
    /// The applicant's grade in the employee master.
    pub grade: &'a str,
    /// Since when they are in their current department (the hire date when that is all
    /// the master says); None when unknown.
    pub in_role_since: Option<NaiveDate>,
    /// The posting is for the applicant's own department.
    pub own_department: bool,
    /// The posting's hiring manager is the applicant's current manager.
    pub own_manager_hires: bool,
    /// The applicant already has an application to this posting (withdrawn ones
    /// included: one application per person and posting).
    pub already_applied: bool,
}

/// Why someone may not apply (each said in words on the page, with the rule named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum ApplyRefusal {
    NotOpenYet {
        opens_on: NaiveDate,
    },
    Closed {
        closed_on: NaiveDate,
    },
    AlreadyApplied,
    /// A posting of one's own department is a conversation with one's manager.
    OwnDepartment,
    OwnManagerHires,
    GradeNotEligible {
        grade: String,
        grades: Vec<String>,
    },
    TooSoonInRole {
        months: u32,
        required: u32,
    },
    MotivationMissing,
    MotivationTooLong {
        max: usize,
    },
}

/// May this person apply to `posting` on `today` with `motivation`? Every reason at
/// once, so the page can say all of them and keep what was typed.
pub fn may_apply(
    posting: &Posting,
    rules: Eligibility,
    who: &Applicant<'_>,
    motivation: &str,
    today: NaiveDate,
) -> Result<(), Vec<ApplyRefusal>> {
    let mut out = Vec::new();
    if today < posting.opens_on {
        out.push(ApplyRefusal::NotOpenYet {
            opens_on: posting.opens_on,
        });
    } else if today > posting.closes_on {
        out.push(ApplyRefusal::Closed {
            closed_on: posting.closes_on,
        });
    }
    if who.already_applied {
        out.push(ApplyRefusal::AlreadyApplied);
    }
    if who.own_department {
        out.push(ApplyRefusal::OwnDepartment);
    }
    if who.own_manager_hires {
        out.push(ApplyRefusal::OwnManagerHires);
    }
    let grade = normalise(who.grade);
    if !posting.grades.is_empty() && !posting.grades.contains(&grade) {
        out.push(ApplyRefusal::GradeNotEligible {
            grade,
            grades: posting.grades.clone(),
        });
    }
    if rules.min_months_in_role > 0 {
        let months = who.in_role_since.map_or(0, |s| whole_months(s, today));
        if months < rules.min_months_in_role {
            out.push(ApplyRefusal::TooSoonInRole {
                months,
                required: rules.min_months_in_role,
            });
        }
    }
    let motivation = motivation.trim();
    if motivation.is_empty() {
        out.push(ApplyRefusal::MotivationMissing);
    } else if motivation.chars().count() > MAX_MOTIVATION {
        out.push(ApplyRefusal::MotivationTooLong {
            max: MAX_MOTIVATION,
        });
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Progress {
    /// Being considered at stage `stage` (0: the first).
    InStage { stage: usize },
    /// Reached the last stage: the offer (内定).
    Offered,
    /// Not selected at stage `stage` (the reason is kept with the outcome).
    NotSelected { stage: usize },
    /// The applicant took it back while it was considered.
    Withdrawn { stage: usize },
}

/// A stage's outcome, as the hiring side records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Passed: on to the next stage (the last one is the offer).
    Passed,
    /// Not selected: the application ends here.
    NotSelected,
}

/// Why a stage's outcome may not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageRefusal {
    /// The outcome names another stage than the one the application is in (a stage
    /// skipped, or recorded twice).
    OutOfOrder { current: Option<usize> },
    /// The application is decided or withdrawn already.
    Finished,
    /// Every outcome carries a reason (the applicant reads it).
    ReasonMissing,
}

impl Progress {
    /// Where a new application starts.
    pub const START: Progress = Progress::InStage { stage: 0 };

    /// The stage the application has reached (its last one when it ended).
    pub fn stage(self, posting_stages: usize) -> usize {
        match self {
            Progress::InStage { stage }
            | Progress::NotSelected { stage }
            | Progress::Withdrawn { stage } => stage,
            Progress::Offered => posting_stages.saturating_sub(1),
        }
    }

    /// Still being considered.
    pub fn is_open(self) -> bool {
        matches!(self, Progress::InStage { .. })
    }

    /// Records `outcome` for stage `at` of a posting with `stages` stages, with `reason`.
    /// Stages go one at a time, in order; passing the stage before the last is the offer.
    pub fn record(
        self,
        stages: usize,
        at: usize,
        outcome: Outcome,
        reason: &str,
    ) -> Result<Progress, StageRefusal> {
        let Progress::InStage { stage } = self else {
            return Err(StageRefusal::Finished);
        };
        if at != stage {
            return Err(StageRefusal::OutOfOrder {
                current: Some(stage),
            });
        }
        if reason.trim().is_empty() {
            return Err(StageRefusal::ReasonMissing);
        }
        Ok(match outcome {
            Outcome::NotSelected => Progress::NotSelected { stage },
            Outcome::Passed if stage + 2 >= stages => Progress::Offered,
            Outcome::Passed => Progress::InStage { stage: stage + 1 },
        })
    }

    /// The applicant withdraws: only while it is being considered.
    pub fn withdraw(self) -> Result<Progress, StageRefusal> {
        match self {
            Progress::InStage { stage } => Ok(Progress::Withdrawn { stage }),
            _ => Err(StageRefusal::Finished),
        }
    }

    /// Has the application reached stage `reveal_at`, from which the applicant's current
    /// manager sees it? An application that ended before it never reaches it.
    pub fn revealed(self, stages: usize, reveal_at: usize) -> bool {
        match self {
            Progress::Offered => true,
            Progress::InStage { stage } => stage >= reveal_at,
            // Ended before the reveal stage: hidden for good; ended at or after it (a
            // later stage not passed): the manager saw it already and still may. (Only
            // the offer is the last stage, so an application revealed at the offer is
            // never seen unless offered.)
            Progress::NotSelected { stage } | Progress::Withdrawn { stage } => {
                stage >= reveal_at && stage < stages
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn input() -> PostingInput {
        PostingInput {
            title: "データ分析チームのアナリスト".into(),
            grades: "G3、G4".into(),
            work: "全社の人事データを分析し、施策の効果を示します。".into(),
            required: "SQL の実務経験".into(),
            welcome: String::new(),
            criteria: "書類: 分析経験の具体性。面接: 課題の捉え方。".into(),
            headcount: "２".into(),
            opens_on: "2026-04-01".into(),
            closes_on: "2026/4/30".into(),
            stages: String::new(),
            reveal_stage: String::new(),
        }
    }

    fn posting() -> Posting {
        input().parse().expect("valid")
    }

    #[test]
    fn a_posting_as_typed_is_normalised_and_defaults_to_three_stages_revealed_at_the_offer() {
        let p = posting();
        assert_eq!(p.headcount, 2, "full-width digits read");
        assert_eq!(p.grades, vec!["G3", "G4"]);
        assert_eq!(p.stages, vec!["書類選考", "面接", "内定"]);
        assert_eq!(p.reveal_at, 2);
        assert_eq!(p.offer_stage(), 2);
        assert!(p.is_open(d(2026, 4, 1)) && p.is_open(d(2026, 4, 30)));
        assert!(!p.is_open(d(2026, 3, 31)) && !p.is_open(d(2026, 5, 1)));
        let mut i = input();
        i.stages = "書類選考 → 一次面接 → 最終面接 → 内定".into();
        i.reveal_stage = "最終面接".into();
        let p = i.parse().expect("valid");
        assert_eq!(p.stages.len(), 4);
        assert_eq!(p.reveal_at, 2);
    }

    #[test]
    fn a_posting_without_criteria_or_with_bad_fields_is_refused_with_every_problem() {
        let mut i = input();
        i.criteria = "  ".into();
        i.title = String::new();
        i.headcount = "0".into();
        i.closes_on = "2026-03-01".into();
        let problems = i.parse().expect_err("refused");
        assert!(problems.contains(&PostingProblem::CriteriaMissing));
        assert!(problems.contains(&PostingProblem::TitleMissing));
        assert!(problems.contains(&PostingProblem::HeadcountInvalid { max: MAX_HEADCOUNT }));
        assert!(problems.contains(&PostingProblem::ClosesBeforeOpens));
        let mut i = input();
        i.opens_on = "いつか".into();
        i.stages = "面接\n面接".into();
        i.reveal_stage = "役員面接".into();
        let problems = i.parse().expect_err("refused");
        assert!(problems.contains(&PostingProblem::DateInvalid { field: "opens_on" }));
        assert!(problems.contains(&PostingProblem::StageRepeated {
            stage: "面接".into()
        }));
        assert!(problems.contains(&PostingProblem::RevealStageUnknown {
            stage: "役員面接".into()
        }));
        let mut i = input();
        i.stages = (1..=9).map(|n| format!("段階{n}\n")).collect();
        assert!(
            i.parse()
                .expect_err("refused")
                .contains(&PostingProblem::TooManyStages { max: MAX_STAGES })
        );
        let mut i = input();
        i.work = "あ".repeat(MAX_TEXT + 1);
        assert!(
            i.parse()
                .expect_err("refused")
                .contains(&PostingProblem::TextTooLong {
                    field: "work",
                    max: MAX_TEXT
                })
        );
    }

    fn eligible<'a>() -> Applicant<'a> {
        Applicant {
            grade: "G3",
            in_role_since: Some(d(2024, 4, 1)),
            own_department: false,
            own_manager_hires: false,
            already_applied: false,
        }
    }

    #[test]
    fn applying_checks_dates_grade_tenure_department_and_once_only() {
        let p = posting();
        let rules = Eligibility::default();
        let today = d(2026, 4, 10);
        assert_eq!(
            may_apply(&p, rules, &eligible(), "挑戦したいです", today),
            Ok(())
        );
        let refused = |who: Applicant<'_>, motivation: &str, today: NaiveDate| {
            may_apply(&p, rules, &who, motivation, today).expect_err("refused")
        };
        assert_eq!(
            refused(eligible(), "志望", d(2026, 5, 1)),
            vec![ApplyRefusal::Closed {
                closed_on: d(2026, 4, 30)
            }]
        );
        assert_eq!(
            refused(eligible(), "志望", d(2026, 3, 31)),
            vec![ApplyRefusal::NotOpenYet {
                opens_on: d(2026, 4, 1)
            }]
        );
        let twice = Applicant {
            already_applied: true,
            ..eligible()
        };
        assert_eq!(
            refused(twice, "志望", today),
            vec![ApplyRefusal::AlreadyApplied]
        );
        let other_grade = Applicant {
            grade: "Ｇ５",
            ..eligible()
        };
        assert_eq!(
            refused(other_grade, "志望", today),
            vec![ApplyRefusal::GradeNotEligible {
                grade: "G5".into(),
                grades: vec!["G3".into(), "G4".into()]
            }]
        );
        // Eleven whole months in the role: one short of the rule's twelve.
        let new = Applicant {
            in_role_since: Some(d(2025, 4, 11)),
            ..eligible()
        };
        assert_eq!(
            refused(new, "志望", today),
            vec![ApplyRefusal::TooSoonInRole {
                months: 11,
                required: 12
            }]
        );
        let exactly = Applicant {
            in_role_since: Some(d(2025, 4, 10)),
            ..eligible()
        };
        assert_eq!(may_apply(&p, rules, &exactly, "志望", today), Ok(()));
        let relaxed = Eligibility {
            min_months_in_role: 0,
        };
        assert_eq!(may_apply(&p, relaxed, &new, "志望", today), Ok(()));
        let own = Applicant {
            own_department: true,
            own_manager_hires: true,
            ..eligible()
        };
        assert_eq!(
            refused(own, " \n", today),
            vec![
                ApplyRefusal::OwnDepartment,
                ApplyRefusal::OwnManagerHires,
                ApplyRefusal::MotivationMissing
            ]
        );
        let long = "あ".repeat(MAX_MOTIVATION + 1);
        assert_eq!(
            refused(eligible(), &long, today),
            vec![ApplyRefusal::MotivationTooLong {
                max: MAX_MOTIVATION
            }]
        );
        // A posting open to any grade.
        let mut any = input();
        any.grades = String::new();
        let any = any.parse().expect("valid");
        assert_eq!(may_apply(&any, rules, &other_grade, "志望", today), Ok(()));
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        assert_eq!(whole_months(d(2025, 1, 31), d(2025, 2, 28)), 0);
        assert_eq!(whole_months(d(2025, 1, 31), d(2025, 3, 31)), 2);
        assert_eq!(whole_months(d(2025, 1, 15), d(2026, 1, 15)), 12);
        assert_eq!(whole_months(d(2025, 1, 15), d(2026, 1, 14)), 11);
        assert_eq!(whole_months(d(2026, 1, 1), d(2025, 1, 1)), 0);
    }

    #[test]
    fn stages_go_one_at_a_time_in_order_with_a_reason() {
        let n = 3;
        let p = Progress::START;
        assert_eq!(
            p.record(n, 1, Outcome::Passed, "良い"),
            Err(StageRefusal::OutOfOrder { current: Some(0) }),
            "a stage skipped"
        );
        assert_eq!(
            p.record(n, 0, Outcome::Passed, " "),
            Err(StageRefusal::ReasonMissing)
        );
        let p = p.record(n, 0, Outcome::Passed, "経験が具体的").expect("ok");
        assert_eq!(p, Progress::InStage { stage: 1 });
        assert_eq!(
            p.record(n, 0, Outcome::Passed, "二度目"),
            Err(StageRefusal::OutOfOrder { current: Some(1) }),
            "recorded twice"
        );
        let offered = p.record(n, 1, Outcome::Passed, "面接で合意").expect("ok");
        assert_eq!(offered, Progress::Offered);
        assert_eq!(offered.stage(n), 2);
        assert_eq!(
            offered.record(n, 2, Outcome::Passed, "x"),
            Err(StageRefusal::Finished)
        );
        assert_eq!(offered.withdraw(), Err(StageRefusal::Finished));
        let failed = Progress::START
            .record(n, 0, Outcome::NotSelected, "今回は見送り")
            .expect("ok");
        assert_eq!(failed, Progress::NotSelected { stage: 0 });
        assert!(!failed.is_open());
        assert_eq!(
            Progress::InStage { stage: 1 }.withdraw(),
            Ok(Progress::Withdrawn { stage: 1 })
        );
        // Two stages: passing the first is the offer.
        assert_eq!(
            Progress::START.record(2, 0, Outcome::Passed, "可"),
            Ok(Progress::Offered)
        );
    }

    #[test]
    fn an_application_is_revealed_only_from_the_configured_stage() {
        let n = 3;
        // Revealed at the offer (the default).
        let at = 2;
        assert!(!Progress::START.revealed(n, at));
        assert!(!Progress::InStage { stage: 1 }.revealed(n, at));
        assert!(Progress::Offered.revealed(n, at));
        assert!(!Progress::NotSelected { stage: 1 }.revealed(n, at));
        assert!(!Progress::Withdrawn { stage: 0 }.revealed(n, at));
        // Revealed from the interview on: a later "not selected" stays seen.
        let at = 1;
        assert!(!Progress::START.revealed(n, at));
        assert!(Progress::InStage { stage: 1 }.revealed(n, at));
        assert!(Progress::NotSelected { stage: 1 }.revealed(n, at));
        assert!(!Progress::NotSelected { stage: 0 }.revealed(n, at));
        assert!(Progress::Withdrawn { stage: 1 }.revealed(n, at));
    }
}
