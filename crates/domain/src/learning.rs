//! 学ぶ (learning): the company's course catalogue (internal training, external courses,
//! e-learning) with tags; completions, after which the employee and their manager each
//! note how it will be used at work; and certification subsidies (資格取得支援) under the
//! company's rules — which certifications, how much of the fee (a share or a fixed sum),
//! a cap per person and fiscal year — claimed with the receipt and approved by HR, then
//! paid. Who sees a claim is [`crate::policy::may_see_subsidy`]: the claimant and HR.

use crate::import::values::{normalise, parse_date};
use crate::programme::FileRefusal;
use crate::side_job::{Decision, DecisionRefusal};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest course title or certification name, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest description, note or reason, in characters.
pub const MAX_TEXT: usize = 1000;
/// Most tags on one course, and the longest tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 30;
/// The largest receipt accepted (a scan or a photo of one page, or a PDF).
pub const MAX_RECEIPT_BYTES: usize = 5 * 1024 * 1024;
/// The largest fee a claim may state, in yen.
pub const MAX_FEE: u32 = 1_000_000;
/// Most certifications on the company's list.
pub const MAX_CERTIFICATIONS: usize = 200;
/// The cap per person and fiscal year when the company has set none, in yen.
pub const DEFAULT_CAP: u32 = 50_000;

/// What kind of learning a course is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseKind {
    /// 社内研修
    Internal,
    /// 社外講座
    External,
    /// eラーニング
    ELearning,
}

impl CourseKind {
    pub const ALL: [CourseKind; 3] = [
        CourseKind::Internal,
        CourseKind::External,
        CourseKind::ELearning,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CourseKind::Internal => "internal",
            CourseKind::External => "external",
            CourseKind::ELearning => "e_learning",
        }
    }

    pub fn parse(s: &str) -> Option<CourseKind> {
        CourseKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// A course as typed by HR.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub title: String,
    pub kind: String,
    /// Who gives it (主催・提供元).
    pub provider: String,
    pub description: String,
    /// Where to sign up or to learn (required for e-learning).
    pub url: String,
    /// Tags, separated by commas (、 or ,) or lines.
    pub tags: String,
    /// About how many hours it takes (optional).
    pub hours: String,
}

/// A checked course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub title: String,
    pub kind: CourseKind,
    pub provider: String,
    pub description: String,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub hours: Option<u32>,
}

impl Course {
    /// The course as its form shows it again.
    pub fn input(&self) -> CourseInput {
        CourseInput {
            title: self.title.clone(),
            kind: self.kind.key().into(),
            provider: self.provider.clone(),
            description: self.description.clone(),
            url: self.url.clone().unwrap_or_default(),
            tags: self.tags.join("、"),
            hours: self.hours.map(|h| h.to_string()).unwrap_or_default(),
        }
    }
}

/// What is wrong with a course as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum CourseProblem {
    Missing {
        field: &'static str,
    },
    TooLong {
        field: &'static str,
        max: usize,
    },
    KindInvalid,
    /// Not an http(s) address.
    UrlInvalid,
    /// E-learning is a link: it needs one.
    UrlMissing,
    TooManyTags {
        max: usize,
    },
    TagTooLong {
        max: usize,
    },
    HoursInvalid,
}

/// Tags as typed: split at commas (、，,) and lines, folded to one width, each once.
pub fn parse_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', '、', '，', '\n']) {
        let t = normalise(t);
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

fn text(raw: &str) -> String {
    raw.trim().replace("\r\n", "\n")
}

/// Is `raw` an absolute http(s) address without spaces?
fn is_url(raw: &str) -> bool {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace))
}

impl CourseInput {
    /// Checks the whole form, every problem at once.
    pub fn check(&self) -> Result<Course, Vec<CourseProblem>> {
        let mut problems = Vec::new();
        let (title, provider, description) = (
            text(&self.title),
            text(&self.provider),
            text(&self.description),
        );
        for (name, value, max, required) in [
            ("title", &title, MAX_TITLE, true),
            ("provider", &provider, MAX_TITLE, false),
            ("description", &description, MAX_TEXT, true),
        ] {
            if required && value.is_empty() {
                problems.push(CourseProblem::Missing { field: name });
            } else if value.chars().count() > max {
                problems.push(CourseProblem::TooLong { field: name, max });
            }
        }
        let kind = CourseKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(CourseProblem::KindInvalid);
        }
        let url = self.url.trim();
        let url = if url.is_empty() {
            if kind == Some(CourseKind::ELearning) {
                problems.push(CourseProblem::UrlMissing);
            }
            None
        } else if !is_url(url) || url.len() > 2000 {
            problems.push(CourseProblem::UrlInvalid);
            None
        } else {
            Some(url.to_string())
        };
        let tags = parse_tags(&self.tags);
        if tags.len() > MAX_TAGS {
            problems.push(CourseProblem::TooManyTags { max: MAX_TAGS });
        }
        if tags.iter().any(|t| t.chars().count() > MAX_TAG) {
            problems.push(CourseProblem::TagTooLong { max: MAX_TAG });
        }
        let hours = normalise(&self.hours);
        let hours = if hours.is_empty() {
            None
        } else {
            match hours.parse::<u32>().ok().filter(|h| (1..=2000).contains(h)) {
                Some(h) => Some(h),
                None => {
                    problems.push(CourseProblem::HoursInvalid);
                    None
                }
            }
        };
        match kind {
            Some(kind) if problems.is_empty() => Ok(Course {
                title,
                kind,
                provider,
                description,
                url,
                tags,
                hours,
            }),
            _ => Err(problems),
        }
    }
}

/// Why a completion or a note on using it was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionProblem {
    DateInvalid,
    /// A completion is recorded once it has happened.
    InFuture,
    NoteMissing,
    NoteTooLong,
}

/// The day a course was completed, as typed: a date, not after `today`.
pub fn completed_on(raw: &str, today: NaiveDate) -> Result<NaiveDate, CompletionProblem> {
    let d = parse_date(raw).map_err(|_| CompletionProblem::DateInvalid)?;
    if d > today {
        return Err(CompletionProblem::InFuture);
    }
    Ok(d)
}

/// A note on how the learning will be used at work (仕事での活かし方), as typed.
pub fn use_note(raw: &str) -> Result<String, CompletionProblem> {
    let t = text(raw);
    if t.is_empty() {
        Err(CompletionProblem::NoteMissing)
    } else if t.chars().count() > MAX_TEXT {
        Err(CompletionProblem::NoteTooLong)
    } else {
        Ok(t)
    }
}

/// How much of a fee the company pays for one certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Rate {
    /// This share of the fee, 1–100 %.
    Percent(u8),
    /// Up to this many yen.
    Fixed(u32),
}

impl Rate {
    /// What this rate pays of `fee` yen (before the yearly cap), rounded down to the yen.
    pub fn of(self, fee: u32) -> u32 {
        match self {
            Rate::Percent(p) => (u64::from(fee) * u64::from(p) / 100) as u32,
            Rate::Fixed(y) => y.min(fee),
        }
    }
}

/// One certification the company supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    pub name: String,
    pub rate: Rate,
}

/// The company's rules for certification subsidies (資格取得支援制度).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRules {
    pub certifications: Vec<Certification>,
    /// At most this many yen per person and fiscal year.
    pub cap_per_fy: u32,
}

impl Default for SubsidyRules {
    fn default() -> Self {
        SubsidyRules {
            certifications: Vec::new(),
            cap_per_fy: DEFAULT_CAP,
        }
    }
}

/// What is wrong with the rules as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum RulesProblem {
    /// Line `line` (from 1) is not 「name：50%」 or 「name：20000円」.
    Line {
        line: usize,
    },
    /// The same certification twice.
    Twice {
        line: usize,
    },
    TooMany {
        max: usize,
    },
    CapInvalid,
}

/// Does `a` name the same certification as `b`, folded for width, case and spaces?
fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        normalise(s)
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    fold(a) == fold(b)
}

fn parse_rate(raw: &str) -> Option<Rate> {
    let r = normalise(raw).replace([',', ' '], "");
    if let Some(p) = r.strip_suffix('%') {
        return p
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .map(Rate::Percent);
    }
    let y = r.strip_suffix('円').or_else(|| r.strip_prefix('¥'))?;
    y.parse::<u32>()
        .ok()
        .filter(|y| (1..=MAX_FEE).contains(y))
        .map(Rate::Fixed)
}

impl SubsidyRules {
    /// The rules from the form: one certification a line, its name and rate separated by
    /// a colon or a tab (「基本情報技術者試験：100%」「TOEIC L&R：5000円」), and the cap.
    pub fn parse(lines: &str, cap: &str) -> Result<SubsidyRules, Vec<RulesProblem>> {
        let mut problems = Vec::new();
        let mut certifications: Vec<Certification> = Vec::new();
        for (i, line) in lines.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let n = i + 1;
            let parsed = line
                .rsplit_once([':', '：', '\t'])
                .and_then(|(name, rate)| {
                    let name = name.trim();
                    let ok = !name.is_empty() && name.chars().count() <= MAX_TITLE;
                    Some((name.to_string(), parse_rate(rate)?)).filter(|_| ok)
                });
            match parsed {
                None => problems.push(RulesProblem::Line { line: n }),
                Some((name, _)) if certifications.iter().any(|c| same_name(&c.name, &name)) => {
                    problems.push(RulesProblem::Twice { line: n })
                }
                Some((name, rate)) => certifications.push(Certification { name, rate }),
            }
        }
        if certifications.len() > MAX_CERTIFICATIONS {
            problems.push(RulesProblem::TooMany {
                max: MAX_CERTIFICATIONS,
            });
        }
        let cap = normalise(cap).replace([',', '円'], "").parse::<u32>().ok();
        let cap = cap.filter(|c| (1..=10 * MAX_FEE).contains(c));
        if cap.is_none() {
            problems.push(RulesProblem::CapInvalid);
        }
        match cap {
            Some(cap_per_fy) if problems.is_empty() => Ok(SubsidyRules {
                certifications,
                cap_per_fy,
            }),
            _ => Err(problems),
        }
    }

    /// The rules as the form shows them (one certification a line).
    pub fn lines(&self) -> String {
        self.certifications
            .iter()
            .map(|c| match c.rate {
                Rate::Percent(p) => format!("{}：{p}%", c.name),
                Rate::Fixed(y) => format!("{}：{y}円", c.name),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The certification `typed` names, if the company supports it.
    pub fn find(&self, typed: &str) -> Option<&Certification> {
        self.certifications
            .iter()
            .find(|c| same_name(&c.name, typed))
    }

    /// What a claim of `fee` yen for `certification` is paid, when `already` yen have
    /// been approved for the person in the same fiscal year: the rate, then the cap.
    pub fn subsidy(&self, certification: &Certification, fee: u32, already: u32) -> u32 {
        certification
            .rate
            .of(fee)
            .min(self.cap_per_fy.saturating_sub(already))
    }
}

/// A claim as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimInput {
    pub certification: String,
    /// The exam day (受験日).
    pub exam_on: String,
    /// What the person paid, in yen.
    pub fee: String,
    pub note: String,
}

/// A checked claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The certification's name as the company lists it.
    pub certification: String,
    pub exam_on: NaiveDate,
    pub fee_yen: u32,
    pub note: String,
}

/// What is wrong with a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum ClaimProblem {
    Missing {
        field: &'static str,
    },
    /// Not on the company's list.
    NotEligible,
    DateInvalid,
    /// The claim comes after the exam.
    ExamInFuture,
    FeeInvalid {
        max: u32,
    },
    NoteTooLong {
        max: usize,
    },
    /// The person's cap for the exam's fiscal year is used up.
    CapReached {
        cap: u32,
    },
    Receipt {
        refusal: FileRefusal,
    },
    ReceiptMissing,
}

impl ClaimInput {
    /// Checks the claim against the company's rules (not the cap, which needs the
    /// person's year: see [`SubsidyRules::subsidy`]).
    pub fn check(
        &self,
        rules: &SubsidyRules,
        today: NaiveDate,
    ) -> Result<Claim, Vec<ClaimProblem>> {
        let mut problems = Vec::new();
        let certification = match self.certification.trim() {
            "" => {
                problems.push(ClaimProblem::Missing {
                    field: "certification",
                });
                None
            }
            typed => match rules.find(typed) {
                Some(c) => Some(c.name.clone()),
                None => {
                    problems.push(ClaimProblem::NotEligible);
                    None
                }
            },
        };
        let exam_on = match parse_date(&self.exam_on) {
            Ok(d) if d > today => {
                problems.push(ClaimProblem::ExamInFuture);
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(ClaimProblem::DateInvalid);
                None
            }
        };
        let fee = normalise(&self.fee)
            .replace([',', '円'], "")
            .parse::<u32>()
            .ok()
            .filter(|f| (1..=MAX_FEE).contains(f));
        if fee.is_none() {
            problems.push(ClaimProblem::FeeInvalid { max: MAX_FEE });
        }
        let note = text(&self.note);
        if note.chars().count() > MAX_TEXT {
            problems.push(ClaimProblem::NoteTooLong { max: MAX_TEXT });
        }
        match (certification, exam_on, fee) {
            (Some(certification), Some(exam_on), Some(fee_yen)) if problems.is_empty() => {
                Ok(Claim {
                    certification,
                    exam_on,
                    fee_yen,
                    note,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The content type of a receipt, from its name and first bytes (both must agree): a
/// PDF, a JPEG or a PNG.
pub fn receipt_kind(name: &str, bytes: &[u8]) -> Result<&'static str, FileRefusal> {
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > MAX_RECEIPT_BYTES {
        return Err(FileRefusal::TooLarge);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => Ok("application/pdf"),
        "jpg" | "jpeg" if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => Ok("image/jpeg"),
        "png" if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Ok("image/png"),
        _ => Err(FileRefusal::Kind),
    }
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Waiting for HR.
    Submitted,
    /// HR asked for changes (a clearer receipt, the right fee); the claimant sends again.
    ChangesRequested,
    /// Approved for the amount fixed then; to be paid.
    Approved,
    Paid,
    Refused,
    Withdrawn,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 6] = [
        ClaimStatus::Submitted,
        ClaimStatus::ChangesRequested,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::Refused,
        ClaimStatus::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::ChangesRequested => "changes_requested",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Refused => "refused",
            ClaimStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|x| x.key() == s)
    }

    /// Does the claim's amount count against the person's cap for its year?
    pub fn counts_against_cap(self) -> bool {
        matches!(self, ClaimStatus::Approved | ClaimStatus::Paid)
    }
}

/// The status after HR's `decision` on a claim in `status` (the same decisions and
/// rules as a side job's: asking for changes and refusing say why).
pub fn decide(
    status: ClaimStatus,
    decision: Decision,
    reason: &str,
) -> Result<ClaimStatus, DecisionRefusal> {
    if status != ClaimStatus::Submitted {
        return Err(DecisionRefusal::NotWaiting);
    }
    if decision != Decision::Approve && reason.trim().is_empty() {
        return Err(DecisionRefusal::ReasonMissing);
    }
    Ok(match decision {
        Decision::Approve => ClaimStatus::Approved,
        Decision::RequestChanges => ClaimStatus::ChangesRequested,
        Decision::Refuse => ClaimStatus::Refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn rules() -> SubsidyRules {
        SubsidyRules::parse(
            "基本情報技術者試験：100%\nTOEIC L&R：5,000円\n簿記2級:50%",
            "30000",
        )
        .expect("rules")
    }

    #[test]
    fn rules_are_read_one_certification_a_line_and_refused_with_the_line_named() {
        let r = rules();
        assert_eq!(r.certifications.len(), 3);
        assert_eq!(r.certifications[1].rate, Rate::Fixed(5000));
        assert_eq!(r.certifications[2].rate, Rate::Percent(50));
        assert_eq!(r.cap_per_fy, 30_000);
        assert_eq!(SubsidyRules::parse(&r.lines(), "30000"), Ok(r.clone()));
        assert_eq!(
            SubsidyRules::parse(
                "簿記2級：50%\n資格の名前だけ\nＢＯＫＩ２級：120%\n簿記 2級：10%",
                "0"
            ),
            Err(vec![
                RulesProblem::Line { line: 2 },
                RulesProblem::Line { line: 3 },
                RulesProblem::Twice { line: 4 },
                RulesProblem::CapInvalid,
            ])
        );
    }

    #[test]
    fn a_subsidy_is_the_rate_of_the_fee_within_what_is_left_of_the_years_cap() {
        let r = rules();
        let full = r.find("基本情報技術者試験").expect("listed");
        assert_eq!(r.subsidy(full, 7_500, 0), 7_500);
        let toeic = r.find("ｔｏｅｉｃ l&r").expect("width and case folded");
        assert_eq!(r.subsidy(toeic, 7_810, 0), 5_000);
        assert_eq!(r.subsidy(toeic, 3_000, 0), 3_000, "never more than the fee");
        let boki = r.find("簿記2級").expect("listed");
        assert_eq!(r.subsidy(boki, 7_001, 0), 3_500, "rounded down");
        assert_eq!(r.subsidy(full, 20_000, 25_000), 5_000, "the cap's rest");
        assert_eq!(r.subsidy(full, 20_000, 30_000), 0);
        assert_eq!(r.subsidy(full, 20_000, 40_000), 0);
    }

    #[test]
    fn a_claim_names_a_listed_certification_a_past_exam_and_a_fee() {
        let r = rules();
        let today = d("2026-10-01");
        let ok = ClaimInput {
            certification: " 簿記２級 ".into(),
            exam_on: "2026/09/20".into(),
            fee: "４，７２０".into(),
            note: "".into(),
        }
        .check(&r, today)
        .expect("ok");
        assert_eq!(ok.certification, "簿記2級", "the company's own name");
        assert_eq!(ok.fee_yen, 4720);
        let bad = ClaimInput {
            certification: "宅地建物取引士".into(),
            exam_on: "2026-10-02".into(),
            fee: "0".into(),
            note: "あ".repeat(MAX_TEXT + 1),
        }
        .check(&r, today)
        .expect_err("refused");
        assert_eq!(
            bad,
            vec![
                ClaimProblem::NotEligible,
                ClaimProblem::ExamInFuture,
                ClaimProblem::FeeInvalid { max: MAX_FEE },
                ClaimProblem::NoteTooLong { max: MAX_TEXT },
            ]
        );
    }

    #[test]
    fn receipts_are_known_by_name_and_content_together() {
        assert_eq!(receipt_kind("r.pdf", b"%PDF-1.4 x"), Ok("application/pdf"));
        assert_eq!(
            receipt_kind("r.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok("image/jpeg")
        );
        assert_eq!(
            receipt_kind("r.png", b"\x89PNG\r\n\x1a\n..."),
            Ok("image/png")
        );
        assert_eq!(receipt_kind("r.pdf", b"<html>"), Err(FileRefusal::Kind));
        assert_eq!(receipt_kind("r.png", b"%PDF-1.4"), Err(FileRefusal::Kind));
        assert_eq!(receipt_kind("r.exe", b"MZ"), Err(FileRefusal::Kind));
        assert_eq!(receipt_kind("r.pdf", b""), Err(FileRefusal::Empty));
        let big = vec![b'%'; MAX_RECEIPT_BYTES + 1];
        assert_eq!(receipt_kind("r.pdf", &big), Err(FileRefusal::TooLarge));
    }

    #[test]
    fn only_a_waiting_claim_is_decided_and_a_no_says_why() {
        use ClaimStatus::*;
        assert_eq!(decide(Submitted, Decision::Approve, ""), Ok(Approved));
        assert_eq!(
            decide(Submitted, Decision::Refuse, " "),
            Err(DecisionRefusal::ReasonMissing)
        );
        assert_eq!(
            decide(Submitted, Decision::RequestChanges, "領収書が読めません"),
            Ok(ChangesRequested)
        );
        for s in [ChangesRequested, Approved, Paid, Refused, Withdrawn] {
            assert_eq!(
                decide(s, Decision::Approve, ""),
                Err(DecisionRefusal::NotWaiting)
            );
        }
        assert!(Approved.counts_against_cap() && Paid.counts_against_cap());
        assert!(!Submitted.counts_against_cap() && !Refused.counts_against_cap());
    }

    #[test]
    fn a_course_is_checked_whole_and_e_learning_needs_its_link() {
        let c = CourseInput {
            title: "データ分析入門".into(),
            kind: "e_learning".into(),
            provider: "社内DX推進室".into(),
            description: "Excelで集計から可視化まで".into(),
            url: "https://learn.example.jp/data".into(),
            tags: "データ、DX,Excel\nデータ".into(),
            hours: "６".into(),
        }
        .check()
        .expect("ok");
        assert_eq!(c.tags, vec!["データ", "DX", "Excel"]);
        assert_eq!(c.hours, Some(6));
        assert_eq!(c.input().check(), Ok(c.clone()));
        let bad = CourseInput {
            title: "".into(),
            kind: "e_learning".into(),
            description: "x".into(),
            url: "".into(),
            tags: (0..11)
                .map(|i| format!("t{i}"))
                .collect::<Vec<_>>()
                .join(","),
            hours: "0".into(),
            ..CourseInput::default()
        }
        .check()
        .expect_err("refused");
        assert_eq!(
            bad,
            vec![
                CourseProblem::Missing { field: "title" },
                CourseProblem::UrlMissing,
                CourseProblem::TooManyTags { max: MAX_TAGS },
                CourseProblem::HoursInvalid,
            ]
        );
        let js = CourseInput {
            url: "javascript:alert(1)".into(),
            ..c.input()
        };
        assert_eq!(js.check(), Err(vec![CourseProblem::UrlInvalid]));
    }

    #[test]
    fn a_completion_has_happened_and_a_note_says_something() {
        let today = d("2026-12-01");
        assert_eq!(completed_on("2026-11-30", today), Ok(d("2026-11-30")));
        assert_eq!(
            completed_on("2026-12-02", today),
            Err(CompletionProblem::InFuture)
        );
        assert_eq!(
            completed_on("昨日", today),
            Err(CompletionProblem::DateInvalid)
        );
        assert_eq!(use_note("  "), Err(CompletionProblem::NoteMissing));
        assert_eq!(
            use_note(" 月次の集計に使います "),
            Ok("月次の集計に使います".into())
        );
    }
}
