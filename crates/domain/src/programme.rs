//! 節目プログラム (cohort programme): who a programme targets, the steps each participant
//! walks, and the funnel HR reads (DOMAIN.md: Cohort programme, KPIs).
//!
//! - [`CohortRule`] selects the cohort: ages turned during the fiscal year (by the
//!   tenant's age rule), years since hire, a department subtree, grades. Within one
//!   condition any listed value matches; conditions combine with "and". The store
//!   evaluates it once at launch and freezes the result.
//! - [`Progress`] is what is known of one participant; [`Progress::path`] turns it into
//!   the steps shown on マイキャリア, and [`Funnel`] sums it up for the dashboard.

use crate::behaviour::{Change, Distribution};
use crate::calendar::{FiscalCalendar, FiscalYear};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a programme was set up (its template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// 節目 by age: everyone turning N during the fiscal year.
    MilestoneAge,
    /// 節目 by tenure: everyone reaching N years since hire during the fiscal year.
    MilestoneTenure,
    /// Periodic career interviews (1–2 a year) for everyone or a unit.
    Periodic,
    /// Any combination of age, tenure, department and grade.
    Custom,
    /// Monthly 1on1s for managers (上司との1on1): the cohort is the managers of a unit,
    /// and what counts is each report met every month.
    OneOnOneCadence,
    /// 部署を越えた1on1: the cohort (any combination of age, tenure, department and
    /// grade, or everyone) is paired across departments, optionally by shared anchor
    /// (`pairing::cross_rotation`), and each pair holds cross-department 1on1s.
    CrossOneOnOne,
}

impl Template {
    pub const ALL: [Template; 6] = [
        Template::MilestoneAge,
        Template::MilestoneTenure,
        Template::Periodic,
        Template::OneOnOneCadence,
        Template::CrossOneOnOne,
        Template::Custom,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Template::MilestoneAge => "milestone_age",
            Template::MilestoneTenure => "milestone_tenure",
            Template::Periodic => "periodic",
            Template::Custom => "custom",
            Template::OneOnOneCadence => "one_on_one_cadence",
            Template::CrossOneOnOne => "cross_one_on_one",
        }
    }

    /// Whether participants go through training, the inventory and milestone interviews
    /// (the 節目 path); the 1on1 programmes have their own pages instead.
    pub fn has_training(self) -> bool {
        !matches!(self, Template::OneOnOneCadence | Template::CrossOneOnOne)
    }

    pub fn parse(key: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// Who a programme targets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CohortRule {
    /// Ages turned during the fiscal year (any of them).
    #[serde(default)]
    pub ages: Vec<i32>,
    /// Years since hire reached during the fiscal year (any of them).
    #[serde(default)]
    pub tenures: Vec<i32>,
    /// A department code: that department and everything below it.
    #[serde(default)]
    pub department: Option<String>,
    /// Grades (any of them), as imported.
    #[serde(default)]
    pub grades: Vec<String>,
    /// Only people who have reports today (managers).
    #[serde(default)]
    pub managers: bool,
}

impl CohortRule {
    /// Does this rule pick the same people as `other` (the order of ages, tenures and
    /// grades does not matter)?
    pub fn same_as(&self, other: &CohortRule) -> bool {
        fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        }
        sorted(&self.ages) == sorted(&other.ages)
            && sorted(&self.tenures) == sorted(&other.tenures)
            && sorted(&self.grades) == sorted(&other.grades)
            && self.department == other.department
    }
}

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum RuleError {
    #[error("a milestone by age needs at least one age")]
    NeedAge,
    #[error("a milestone by tenure needs at least one number of years")]
    NeedTenure,
    #[error("a custom rule needs at least one condition")]
    NoCondition,
    #[error("'{value}' is not a whole number")]
    NotANumber { value: String },
    #[error("{value} is outside {min}..={max}")]
    OutOfRange { value: i32, min: i32, max: i32 },
}

/// Ages a programme may target.
pub const AGES: std::ops::RangeInclusive<i32> = 18..=75;
/// Years since hire a programme may target.
pub const TENURES: std::ops::RangeInclusive<i32> = 1..=50;

/// The milestone ages the organisation figures count people turning (DOMAIN.md: Cohort
/// programme).
pub const MILESTONE_AGES: [i32; 4] = [30, 40, 50, 60];
/// The milestone tenures they count people reaching.
pub const MILESTONE_TENURES: [i32; 3] = [3, 5, 10];

/// Reads "50", "30, 40", "３０、４０" (full-width digits and Japanese commas too).
fn numbers(text: &str, range: &std::ops::RangeInclusive<i32>) -> Result<Vec<i32>, RuleError> {
    let text = crate::import::values::normalise(text);
    let mut out = Vec::new();
    for part in text
        .split([',', '、', ' ', '/', '・'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let n: i32 = part.parse().map_err(|_| RuleError::NotANumber {
            value: part.to_string(),
        })?;
        if !range.contains(&n) {
            return Err(RuleError::OutOfRange {
                value: n,
                min: *range.start(),
                max: *range.end(),
            });
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.sort_unstable();
    Ok(out)
}

impl CohortRule {
    /// Parses a rule as typed on the form for `template`. Fields a template does not use
    /// are ignored (a milestone by age looks at no tenure), so the form may keep them.
    pub fn parse(
        template: Template,
        ages: &str,
        tenures: &str,
        department: &str,
        grades: &str,
    ) -> Result<CohortRule, RuleError> {
        let department =
            Some(crate::import::values::normalise(department)).filter(|d| !d.is_empty());
        let grades: Vec<String> = crate::import::values::normalise(grades)
            .split([',', '、', ' ', '/', '・'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect();
        let rule = match template {
            Template::MilestoneAge => CohortRule {
                ages: numbers(ages, &AGES)?,
                department,
                ..CohortRule::default()
            },
            Template::MilestoneTenure => CohortRule {
                tenures: numbers(tenures, &TENURES)?,
                department,
                ..CohortRule::default()
            },
            Template::Periodic => CohortRule {
                department,
                ..CohortRule::default()
            },
            Template::OneOnOneCadence => CohortRule {
                department,
                managers: true,
                ..CohortRule::default()
            },
            Template::Custom | Template::CrossOneOnOne => CohortRule {
                ages: numbers(ages, &AGES)?,
                tenures: numbers(tenures, &TENURES)?,
                department,
                grades,
                managers: false,
            },
        };
        match template {
            Template::MilestoneAge if rule.ages.is_empty() => Err(RuleError::NeedAge),
            Template::MilestoneTenure if rule.tenures.is_empty() => Err(RuleError::NeedTenure),
            Template::Custom
                if rule.ages.is_empty()
                    && rule.tenures.is_empty()
                    && rule.department.is_none()
                    && rule.grades.is_empty() =>
            {
                Err(RuleError::NoCondition)
            }
            _ => Ok(rule),
        }
    }

    /// Whether a current employee belongs to the cohort of fiscal year `fy`. `in_unit`
    /// says whether they are in the rule's department subtree (ignored without one).
    pub fn matches(&self, cal: &FiscalCalendar, fy: FiscalYear, who: &Candidate<'_>) -> bool {
        let ages = self.ages.is_empty()
            || who
                .birth_date
                .is_some_and(|b| self.ages.iter().any(|a| cal.turns_during(b, *a, fy)));
        let tenures = self.tenures.is_empty()
            || who
                .hire_date
                .is_some_and(|h| self.tenures.iter().any(|y| cal.turns_during(h, *y, fy)));
        let unit = self.department.is_none() || who.in_unit;
        let grade = self.grades.is_empty() || self.grades.iter().any(|g| g == who.grade);
        let manager = !self.managers || who.is_manager;
        ages && tenures && unit && grade && manager
    }
}

/// What a rule looks at in a person.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub birth_date: Option<NaiveDate>,
    pub hire_date: Option<NaiveDate>,
    pub grade: &'a str,
    pub in_unit: bool,
    /// Has reports today.
    pub is_manager: bool,
}

/// The funnel's stages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Targeted,
    PreLearning,
    Anchors,
    Trained,
    Interviewed,
    Committed,
    Started,
    Evaluated,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Targeted,
        Stage::PreLearning,
        Stage::Anchors,
        Stage::Trained,
        Stage::Interviewed,
        Stage::Committed,
        Stage::Started,
        Stage::Evaluated,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Targeted => "targeted",
            Stage::PreLearning => "pre_learning",
            Stage::Anchors => "anchors",
            Stage::Trained => "trained",
            Stage::Interviewed => "interviewed",
            Stage::Committed => "committed",
            Stage::Started => "started",
            Stage::Evaluated => "evaluated",
        }
    }
}

/// What is known of one participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    pub pre_learning: bool,
    pub anchors: bool,
    /// Placed in a training session.
    pub placed: bool,
    /// Their session has taken place.
    pub trained: bool,
    /// Milestone interviews held so far.
    pub interviews: u32,
    /// Interviews held up to and including the one that ended committed.
    pub sessions_to_commitment: Option<u32>,
    /// A feedback report (面談所感) from those interviews went to the manager (only ever
    /// with the employee's consent).
    pub report_sent: bool,
    /// A commitment from those interviews has started (or continues, or is done).
    pub started: bool,
    pub evaluation: Option<Change>,
    /// Left the company: kept in history, out of open steps and of the funnel.
    pub left: bool,
}

/// The steps of a participant's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    PreLearning,
    Anchors,
    Training,
    Interview,
    Report,
    FollowUp,
    Evaluation,
}

impl Step {
    pub fn key(self) -> &'static str {
        match self {
            Step::PreLearning => "pre_learning",
            Step::Anchors => "anchors",
            Step::Training => "training",
            Step::Interview => "interview",
            Step::Report => "report",
            Step::FollowUp => "follow_up",
            Step::Evaluation => "evaluation",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    /// Open, and nothing before it is in the way.
    Open,
    /// Waits for an earlier step (or for the organisation, such as a session date).
    Waiting,
    /// Closed because the participant left.
    Closed,
}

impl Progress {
    pub fn committed(&self) -> bool {
        self.sessions_to_commitment.is_some()
    }

    pub fn reached(&self, stage: Stage) -> bool {
        match stage {
            Stage::Targeted => true,
            Stage::PreLearning => self.pre_learning,
            Stage::Anchors => self.anchors,
            Stage::Trained => self.trained,
            Stage::Interviewed => self.interviews > 0,
            Stage::Committed => self.committed(),
            Stage::Started => self.started,
            Stage::Evaluated => self.evaluation.is_some(),
        }
    }

    /// The participant's path. Pre-learning and the inventory are open from the start;
    /// training waits for a placement and its date; the interview opens after training
    /// and stays open until a commitment counts; the feedback report is the consultant's
    /// (done once sent); the follow-up and the evaluation wait for the commitment.
    pub fn path(&self) -> Vec<(Step, StepState)> {
        let state = |done: bool, ready: bool| {
            if done {
                StepState::Done
            } else if self.left {
                StepState::Closed
            } else if ready {
                StepState::Open
            } else {
                StepState::Waiting
            }
        };
        vec![
            (Step::PreLearning, state(self.pre_learning, true)),
            (Step::Anchors, state(self.anchors, true)),
            (Step::Training, state(self.trained, false)),
            (Step::Interview, state(self.committed(), self.trained)),
            // Written by the consultant, and only with consent: never the participant's task.
            (Step::Report, state(self.report_sent, false)),
            (Step::FollowUp, state(self.started, self.committed())),
            (Step::Evaluation, state(self.evaluation.is_some(), false)),
        ]
    }
}

/// The largest pre-learning file the product keeps (a short video).
pub const MAX_PRE_LEARNING_BYTES: usize = 50 * 1024 * 1024;

/// Why a pre-learning file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRefusal {
    Empty,
    TooLarge,
    /// Not an MP4 or WebM video, a PDF or a UTF-8 text.
    Kind,
}

impl FileRefusal {
    pub fn key(self) -> &'static str {
        match self {
            FileRefusal::Empty => "empty",
            FileRefusal::TooLarge => "too_large",
            FileRefusal::Kind => "kind",
        }
    }
}

/// The content type of a pre-learning file, from its name and its first bytes (both
/// must agree, so a renamed file is refused rather than served as something it is not).
pub fn pre_learning_kind(name: &str, bytes: &[u8]) -> Result<&'static str, FileRefusal> {
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > MAX_PRE_LEARNING_BYTES {
        return Err(FileRefusal::TooLarge);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "mp4" | "m4v" if bytes.len() > 8 && &bytes[4..8] == b"ftyp" => "video/mp4",
        "webm" if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) => "video/webm",
        "pdf" if bytes.starts_with(b"%PDF-") => "application/pdf",
        "txt" if std::str::from_utf8(bytes).is_ok() => "text/plain; charset=utf-8",
        _ => return Err(FileRefusal::Kind),
    };
    Ok(kind)
}

/// Pre-work still open this close to training (or after it) earns a reminder.
pub const REMIND_BEFORE_TRAINING_DAYS: i64 = 7;

impl Progress {
    /// The steps to remind the participant of, when their training starts in
    /// `days_to_training` days (negative: it has begun): pre-learning and the inventory
    /// not done once training is [`REMIND_BEFORE_TRAINING_DAYS`] away or less. Nothing
    /// before a session is set, and nothing for leavers.
    pub fn overdue(&self, days_to_training: Option<i64>) -> Vec<Step> {
        match days_to_training {
            Some(d) if !self.left && d <= REMIND_BEFORE_TRAINING_DAYS => [
                (Step::PreLearning, self.pre_learning),
                (Step::Anchors, self.anchors),
            ]
            .into_iter()
            .filter(|(_, done)| !done)
            .map(|(s, _)| s)
            .collect(),
            _ => Vec::new(),
        }
    }
}

/// A programme's figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Funnel {
    /// People per stage, in [`Stage::ALL`] order (leavers left out).
    pub counts: Vec<u64>,
    /// Participants who left the company mid-programme.
    pub left: u64,
    /// Interviews it took, for those who committed: sessions → people.
    pub sessions_to_commitment: BTreeMap<u32, u64>,
    /// Behaviour-change evaluations.
    pub behaviour: Distribution,
}

impl Funnel {
    pub fn of<'a>(participants: impl IntoIterator<Item = &'a Progress>) -> Funnel {
        let mut f = Funnel {
            counts: vec![0; Stage::ALL.len()],
            ..Funnel::default()
        };
        for p in participants {
            if p.left {
                f.left += 1;
                continue;
            }
            for (i, s) in Stage::ALL.iter().enumerate() {
                f.counts[i] += u64::from(p.reached(*s));
            }
            if let Some(n) = p.sessions_to_commitment {
                *f.sessions_to_commitment.entry(n).or_default() += 1;
            }
            if let Some(c) = p.evaluation {
                f.behaviour.add(c);
            }
        }
        f
    }

    pub fn count(&self, stage: Stage) -> u64 {
        self.counts[stage as usize]
    }

    /// A stage's share of the targeted people (0 when nobody is targeted).
    pub fn rate(&self, stage: Stage) -> f64 {
        ratio(self.count(stage), self.count(Stage::Targeted))
    }

    /// Start adherence: committed people whose commitment started / committed people.
    pub fn start_adherence(&self) -> f64 {
        ratio(self.count(Stage::Started), self.count(Stage::Committed))
    }

    /// The mean number of interviews to commitment (None before anyone committed).
    pub fn mean_sessions_to_commitment(&self) -> Option<f64> {
        let people: u64 = self.sessions_to_commitment.values().sum();
        (people > 0).then(|| {
            self.sessions_to_commitment
                .iter()
                .map(|(n, c)| u64::from(*n) * c)
                .sum::<u64>() as f64
                / people as f64
        })
    }
}

/// 1on1 cadence of one manager over the months of a fiscal year that have begun.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cadence {
    /// Months (first day) from the FY start up to the current month.
    pub months: Vec<NaiveDate>,
    pub reports: usize,
    /// Per month: how many reports had at least one 1on1 held with the manager.
    pub met: Vec<usize>,
}

impl Cadence {
    /// `held` is (report, day) of every 1on1 held with the manager in the fiscal year
    /// starting `fy_start`, `today` the last day counted. Reports are counted as they are now.
    pub fn of(
        fy_start: NaiveDate,
        today: NaiveDate,
        reports: usize,
        held: &[(i64, NaiveDate)],
    ) -> Cadence {
        use chrono::{Datelike, Months};
        let mut months = Vec::new();
        let mut m = fy_start.with_day(1).unwrap_or(fy_start);
        let end = fy_start + Months::new(12);
        while m <= today && m < end {
            months.push(m);
            m = m + Months::new(1);
        }
        let met = months
            .iter()
            .map(|start| {
                let next = *start + Months::new(1);
                let mut who: Vec<i64> = held
                    .iter()
                    .filter(|(_, d)| d >= start && *d < next)
                    .map(|(r, _)| *r)
                    .collect();
                who.sort_unstable();
                who.dedup();
                who.len().min(reports)
            })
            .collect();
        Cadence {
            months,
            reports,
            met,
        }
    }

    /// Share of (report, month) pairs with a 1on1, over the months so far (0 with no
    /// reports or no month yet).
    pub fn rate(&self) -> f64 {
        ratio(
            self.met.iter().sum::<usize>() as u64,
            (self.reports * self.months.len()) as u64,
        )
    }
}

/// Interviews are suggested about this long after training (DOMAIN.md: about one month).
pub const INTERVIEW_AFTER_TRAINING_DAYS: i64 = 30;
/// Start times offered for a suggested interview (Japan time).
pub const INTERVIEW_SLOTS: [(u32, u32); 4] = [(10, 0), (13, 0), (14, 30), (16, 0)];

/// The first free hour-long slot for an interview on or after `from` (a weekday, at one
/// of [`INTERVIEW_SLOTS`]), given the consultant's `busy` times (start, minutes); `None`
/// when nothing is free within 60 days.
pub fn suggest_slot(
    from: NaiveDate,
    minutes: i64,
    busy: &[(chrono::NaiveDateTime, i64)],
) -> Option<chrono::NaiveDateTime> {
    use chrono::{Datelike, Duration, NaiveTime, Weekday};
    for d in 0..60 {
        let day = from + Duration::days(d);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for (h, m) in INTERVIEW_SLOTS {
            let start = day.and_time(NaiveTime::from_hms_opt(h, m, 0)?);
            let end = start + Duration::minutes(minutes);
            let clash = busy
                .iter()
                .any(|(b, len)| *b < end && start < *b + Duration::minutes(*len));
            if !clash {
                return Some(start);
            }
        }
    }
    None
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rule_is_the_same_whatever_the_order_it_was_typed_in() {
        let a = CohortRule::parse(Template::MilestoneAge, "50, 40", "", "", "G2,G1").expect("a");
        let b = CohortRule::parse(Template::MilestoneAge, "40,50", "", "", "G1,G2").expect("b");
        assert!(a.same_as(&b));
        let c = CohortRule::parse(Template::MilestoneAge, "50", "", "", "").expect("c");
        assert!(!a.same_as(&c));
        let d = CohortRule::parse(Template::MilestoneAge, "50", "", "D01", "").expect("d");
        assert!(!c.same_as(&d), "a department narrows the cohort");
    }

    use super::*;
    use crate::calendar::AgeRule;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn who(birth: NaiveDate) -> Candidate<'static> {
        Candidate {
            birth_date: Some(birth),
            hire_date: Some(d(2000, 4, 1)),
            grade: "M1",
            in_unit: true,
            is_manager: false,
        }
    }

    #[test]
    fn a_milestone_at_50_follows_the_legal_age_rule() {
        let cal = FiscalCalendar::new(4, AgeRule::Legal).expect("calendar");
        let rule = CohortRule::parse(Template::MilestoneAge, "５０", "", "", "").expect("rule");
        assert_eq!(rule.ages, vec![50]);
        let fy = FiscalYear(2026);
        assert!(!rule.matches(&cal, fy, &who(d(1976, 4, 1))));
        assert!(rule.matches(&cal, fy, &who(d(1976, 4, 2))));
        assert!(rule.matches(&cal, fy, &who(d(1977, 4, 1))));
        assert!(!rule.matches(&cal, fy, &who(d(1977, 4, 2))));
    }

    #[test]
    fn conditions_combine_with_and_values_with_or() {
        let cal = FiscalCalendar::new(4, AgeRule::Legal).expect("calendar");
        let rule = CohortRule::parse(Template::Custom, "30、40", "", "", "M1 M2").expect("rule");
        let fy = FiscalYear(2026);
        assert!(rule.matches(&cal, fy, &who(d(1986, 6, 1))));
        assert!(rule.matches(&cal, fy, &who(d(1996, 6, 1))));
        assert!(!rule.matches(&cal, fy, &who(d(1990, 6, 1))));
        let g3 = Candidate {
            grade: "G3",
            ..who(d(1986, 6, 1))
        };
        assert!(!rule.matches(&cal, fy, &g3));
        let unit = CohortRule::parse(Template::Periodic, "50", "3", "D01", "").expect("rule");
        assert_eq!(unit.ages, Vec::<i32>::new(), "periodic ignores ages");
        let outside = Candidate {
            in_unit: false,
            ..who(d(1986, 6, 1))
        };
        assert!(!unit.matches(&cal, fy, &outside));
        assert!(unit.matches(&cal, fy, &who(d(1986, 6, 1))));
    }

    #[test]
    fn tenure_milestones_count_from_the_hire_date() {
        let cal = FiscalCalendar::new(4, AgeRule::Legal).expect("calendar");
        let rule = CohortRule::parse(Template::MilestoneTenure, "", "3,5", "", "").expect("rule");
        let hired = |h| Candidate {
            hire_date: Some(h),
            ..who(d(1990, 1, 1))
        };
        let fy = FiscalYear(2026);
        assert!(rule.matches(&cal, fy, &hired(d(2023, 4, 2))));
        assert!(rule.matches(&cal, fy, &hired(d(2021, 10, 1))));
        assert!(!rule.matches(&cal, fy, &hired(d(2022, 10, 1))));
        assert!(!rule.matches(
            &cal,
            fy,
            &Candidate {
                hire_date: None,
                ..hired(d(2023, 4, 2))
            }
        ));
    }

    #[test]
    fn bad_rules_are_refused_with_the_reason() {
        assert_eq!(
            CohortRule::parse(Template::MilestoneAge, "", "", "", ""),
            Err(RuleError::NeedAge)
        );
        assert_eq!(
            CohortRule::parse(Template::MilestoneTenure, "50", "", "", ""),
            Err(RuleError::NeedTenure)
        );
        assert_eq!(
            CohortRule::parse(Template::Custom, "", "", "", ""),
            Err(RuleError::NoCondition)
        );
        assert_eq!(
            CohortRule::parse(Template::MilestoneAge, "五十", "", "", ""),
            Err(RuleError::NotANumber {
                value: "五十".into()
            })
        );
        assert_eq!(
            CohortRule::parse(Template::MilestoneAge, "150", "", "", ""),
            Err(RuleError::OutOfRange {
                value: 150,
                min: 18,
                max: 75
            })
        );
    }

    #[test]
    fn the_path_opens_steps_in_order_and_closes_them_for_leavers() {
        let mut p = Progress::default();
        let states = |p: &Progress| p.path().into_iter().map(|(_, s)| s).collect::<Vec<_>>();
        use StepState::*;
        assert_eq!(
            states(&p),
            [Open, Open, Waiting, Waiting, Waiting, Waiting, Waiting]
        );
        p.pre_learning = true;
        p.placed = true;
        p.trained = true;
        p.interviews = 2;
        assert_eq!(
            states(&p),
            [Done, Open, Done, Open, Waiting, Waiting, Waiting]
        );
        p.sessions_to_commitment = Some(2);
        assert_eq!(states(&p), [Done, Open, Done, Done, Waiting, Open, Waiting]);
        p.report_sent = true;
        assert_eq!(states(&p), [Done, Open, Done, Done, Done, Open, Waiting]);
        p.left = true;
        assert_eq!(states(&p), [Done, Closed, Done, Done, Done, Closed, Closed]);
    }

    #[test]
    fn pre_learning_files_are_known_by_name_and_content_together() {
        let mp4 = [&[0, 0, 0, 24][..], b"ftypisom", &[0; 16]].concat();
        assert_eq!(pre_learning_kind("研修の目的.MP4", &mp4), Ok("video/mp4"));
        assert_eq!(
            pre_learning_kind("intro.webm", &[0x1A, 0x45, 0xDF, 0xA3, 1]),
            Ok("video/webm")
        );
        assert_eq!(
            pre_learning_kind("a.pdf", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert_eq!(
            pre_learning_kind("読んでください.txt", "研修の目的".as_bytes()),
            Ok("text/plain; charset=utf-8")
        );
        assert_eq!(
            pre_learning_kind("a.pdf", &mp4),
            Err(FileRefusal::Kind),
            "renamed"
        );
        assert_eq!(pre_learning_kind("a.exe", b"MZ"), Err(FileRefusal::Kind));
        assert_eq!(
            pre_learning_kind("a.txt", &[0xff, 0xfe]),
            Err(FileRefusal::Kind)
        );
        assert_eq!(pre_learning_kind("a.mp4", &[]), Err(FileRefusal::Empty));
        let big = vec![b'a'; MAX_PRE_LEARNING_BYTES + 1];
        assert_eq!(pre_learning_kind("a.txt", &big), Err(FileRefusal::TooLarge));
    }

    #[test]
    fn pre_work_is_overdue_only_close_to_training_and_never_for_leavers() {
        let p = Progress {
            anchors: true,
            ..Progress::default()
        };
        assert_eq!(p.overdue(None), vec![], "no session yet");
        assert_eq!(p.overdue(Some(8)), vec![]);
        assert_eq!(p.overdue(Some(7)), vec![Step::PreLearning]);
        assert_eq!(p.overdue(Some(-2)), vec![Step::PreLearning]);
        let nothing_done = Progress::default();
        assert_eq!(
            nothing_done.overdue(Some(0)),
            vec![Step::PreLearning, Step::Anchors]
        );
        let left = Progress {
            left: true,
            ..Progress::default()
        };
        assert_eq!(left.overdue(Some(0)), vec![]);
    }

    #[test]
    fn a_suggested_interview_takes_the_first_free_weekday_slot() {
        let at = |y, m, day, h, min| d(y, m, day).and_hms_opt(h, min, 0).expect("time");
        // 2026-07-18 is a Saturday: the first slot is Monday 10:00.
        assert_eq!(
            suggest_slot(d(2026, 7, 18), 60, &[]),
            Some(at(2026, 7, 20, 10, 0))
        );
        // 10:00 taken, and a 12:30–13:30 meeting blocks 13:00: 14:30 it is.
        let busy = [(at(2026, 7, 20, 10, 0), 60), (at(2026, 7, 20, 12, 30), 60)];
        assert_eq!(
            suggest_slot(d(2026, 7, 20), 60, &busy),
            Some(at(2026, 7, 20, 14, 30))
        );
        // A full day moves to the next weekday.
        let full: Vec<_> = INTERVIEW_SLOTS
            .iter()
            .map(|(h, m)| (at(2026, 7, 20, *h, *m), 60))
            .collect();
        assert_eq!(
            suggest_slot(d(2026, 7, 20), 60, &full),
            Some(at(2026, 7, 21, 10, 0))
        );
        // Nothing free for 60 days: no suggestion.
        let always: Vec<_> = (0..60)
            .map(|k| (at(2026, 7, 20, 0, 0) + chrono::Duration::days(k), 24 * 60))
            .collect();
        assert_eq!(suggest_slot(d(2026, 7, 20), 60, &always), None);
    }

    #[test]
    fn a_managers_cadence_counts_each_report_met_in_each_month_once() {
        let held = [
            (1, d(2026, 4, 3)),
            (1, d(2026, 4, 20)), // twice in April: still one report met
            (2, d(2026, 4, 21)),
            (1, d(2026, 5, 8)),
            (3, d(2026, 7, 1)),
            (9, d(2026, 3, 31)), // the year before
        ];
        let c = Cadence::of(d(2026, 4, 1), d(2026, 7, 15), 3, &held);
        assert_eq!(c.months.len(), 4);
        assert_eq!(c.met, vec![2, 1, 0, 1]);
        assert_eq!(c.rate(), 4.0 / 12.0);
        assert_eq!(
            Cadence::of(d(2026, 4, 1), d(2026, 3, 1), 3, &[]).rate(),
            0.0
        );
        let only = CohortRule::parse(Template::OneOnOneCadence, "50", "", "", "").expect("rule");
        assert!(only.managers && only.ages.is_empty());
        let cal = FiscalCalendar::new(4, AgeRule::Legal).expect("calendar");
        let member = who(d(1980, 1, 1));
        assert!(!only.matches(&cal, FiscalYear(2026), &member));
        let boss = Candidate {
            is_manager: true,
            ..member
        };
        assert!(only.matches(&cal, FiscalYear(2026), &boss));
    }

    #[test]
    fn the_funnel_counts_stages_and_leaves_leavers_out() {
        let committed = Progress {
            pre_learning: true,
            anchors: true,
            placed: true,
            trained: true,
            interviews: 3,
            sessions_to_commitment: Some(3),
            report_sent: true,
            started: true,
            evaluation: Some(Change::Changed),
            left: false,
        };
        let fresh = Progress::default();
        let left = Progress {
            left: true,
            pre_learning: true,
            ..Progress::default()
        };
        let one = Progress {
            sessions_to_commitment: Some(1),
            interviews: 1,
            ..Progress::default()
        };
        let f = Funnel::of([&committed, &fresh, &left, &one]);
        assert_eq!(f.counts, vec![3, 1, 1, 1, 2, 2, 1, 1]);
        assert_eq!(f.left, 1);
        assert_eq!(f.rate(Stage::Committed), 2.0 / 3.0);
        assert_eq!(f.start_adherence(), 0.5);
        assert_eq!(f.mean_sessions_to_commitment(), Some(2.0));
        assert_eq!(
            f.sessions_to_commitment.into_iter().collect::<Vec<_>>(),
            vec![(1, 1), (3, 1)]
        );
        assert_eq!(f.behaviour.evaluated(), 1);
        assert_eq!(Funnel::of([]).rate(Stage::Committed), 0.0);
    }
}
