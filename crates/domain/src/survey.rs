//! アンケート: the 5-supports survey (キャリア共律の5つの支援) with its two failure-mode
//! indicators, and the yearly satisfaction survey about the company's career support
//! (DOMAIN.md: The 5 supports, KPIs). Questions are the tenant's (our own wording by
//! default), each in Japanese and English, on a 5-point scale; a survey keeps the
//! questions it was opened with.
//!
//! An answer is never tied to a person: it carries only the unit and the bands a report
//! needs (see `store::surveys`), and reports show it only through
//! [`crate::anonymity`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds of survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 5つの支援サーベイ
    FiveSupports,
    /// キャリア支援満足度調査 (yearly)
    Satisfaction,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::FiveSupports, Kind::Satisfaction];

    pub fn key(self) -> &'static str {
        match self {
            Kind::FiveSupports => "five_supports",
            Kind::Satisfaction => "satisfaction",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// Who is asked: everyone in the employee master (not leavers), a department and every
/// unit below it, or a programme's participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "snake_case")]
pub enum Population {
    Everyone,
    Department { code: String },
    Programme { id: i64 },
}

/// The 5 supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// 安全道路
    SafeRoad,
    /// 後手支手
    SupportFromBehind,
    /// 前進駆動
    ForwardDrive,
    /// 貢献実感
    Contribution,
    /// 未来展望
    FutureOutlook,
}

impl Support {
    pub const ALL: [Support; 5] = [
        Support::SafeRoad,
        Support::SupportFromBehind,
        Support::ForwardDrive,
        Support::Contribution,
        Support::FutureOutlook,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Support::SafeRoad => "safe_road",
            Support::SupportFromBehind => "support_from_behind",
            Support::ForwardDrive => "forward_drive",
            Support::Contribution => "contribution",
            Support::FutureOutlook => "future_outlook",
        }
    }
}

/// The two ways career autonomy goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// キャリア孤立
    Isolation,
    /// キャリア強制律
    ForcedAutonomy,
}

impl Indicator {
    pub const ALL: [Indicator; 2] = [Indicator::Isolation, Indicator::ForcedAutonomy];

    pub fn key(self) -> &'static str {
        match self {
            Indicator::Isolation => "isolation",
            Indicator::ForcedAutonomy => "forced_autonomy",
        }
    }
}

/// What a question measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "measure", content = "of")]
pub enum Measure {
    Support(Support),
    /// Agreeing (4 or 5) flags the indicator.
    Indicator(Indicator),
    /// Satisfaction with one scheme of the company's career support (or overall).
    Scheme(Scheme),
}

impl Measure {
    pub fn key(self) -> String {
        match self {
            Measure::Support(s) => format!("support.{}", s.key()),
            Measure::Indicator(i) => format!("indicator.{}", i.key()),
            Measure::Scheme(s) => format!("scheme.{}", s.key()),
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        let (kind, what) = s.split_once('.')?;
        match kind {
            "support" => Support::ALL
                .into_iter()
                .find(|x| x.key() == what)
                .map(Measure::Support),
            "indicator" => Indicator::ALL
                .into_iter()
                .find(|x| x.key() == what)
                .map(Measure::Indicator),
            "scheme" => Scheme::ALL
                .into_iter()
                .find(|x| x.key() == what)
                .map(Measure::Scheme),
            _ => None,
        }
    }

    /// Every measure a survey of `kind` may hold, in report order.
    pub fn of(kind: Kind) -> Vec<Measure> {
        match kind {
            Kind::FiveSupports => Support::ALL
                .into_iter()
                .map(Measure::Support)
                .chain(Indicator::ALL.into_iter().map(Measure::Indicator))
                .collect(),
            Kind::Satisfaction => Scheme::ALL.into_iter().map(Measure::Scheme).collect(),
        }
    }
}

/// The schemes of career support a satisfaction survey rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// キャリア面談
    Interview,
    /// 1on1
    OneOnOne,
    /// キャリアデザイン研修
    Training,
    /// キャリアコンサルタントへの相談
    Consultation,
    /// 自己分析（キャリア・アンカーなど）
    SelfAnalysis,
    /// 会社のキャリア支援全体
    Overall,
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::Interview,
        Scheme::OneOnOne,
        Scheme::Training,
        Scheme::Consultation,
        Scheme::SelfAnalysis,
        Scheme::Overall,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Scheme::Interview => "interview",
            Scheme::OneOnOne => "one_on_one",
            Scheme::Training => "training",
            Scheme::Consultation => "consultation",
            Scheme::SelfAnalysis => "self_analysis",
            Scheme::Overall => "overall",
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the questionnaire (`q1`, `q2`, …): answers refer to it.
    pub key: String,
    pub measure: Measure,
    pub text_ja: String,
    pub text_en: String,
    /// Agreeing means less support (the score is turned round: 6 − answer).
    #[serde(default)]
    pub reverse: bool,
    /// May be left as 「該当しない」 (a scheme the person has not used).
    #[serde(default)]
    pub optional: bool,
}

/// A questionnaire: the questions and the labels of the 5 points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub kind: Kind,
    pub questions: Vec<Question>,
    /// Five labels, from 1 to 5.
    pub scale_ja: Vec<String>,
    pub scale_en: Vec<String>,
}

/// Points on the scale.
pub const POINTS: u8 = 5;
/// At most this many questions in a questionnaire.
pub const MAX_QUESTIONS: usize = 60;
/// At most this many characters in a question or a label.
pub const MAX_TEXT_CHARS: usize = 200;

/// What is wrong with a questionnaire (a translation key under `surveys.error.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionnaireError {
    NoQuestions,
    TooManyQuestions,
    /// A question without its Japanese or English text, or one too long.
    QuestionText,
    /// A scale without five labels in both languages, or one too long.
    ScaleLabels,
    /// A measure that does not belong to this kind of survey.
    Measure,
    DuplicateKey,
}

impl QuestionnaireError {
    pub fn key(self) -> &'static str {
        match self {
            QuestionnaireError::NoQuestions => "no_questions",
            QuestionnaireError::TooManyQuestions => "too_many_questions",
            QuestionnaireError::QuestionText => "question_text",
            QuestionnaireError::ScaleLabels => "scale_labels",
            QuestionnaireError::Measure => "measure",
            QuestionnaireError::DuplicateKey => "duplicate_key",
        }
    }
}

impl Questionnaire {
    /// Checks a questionnaire before it is saved or a survey opened with it.
    pub fn check(&self) -> Result<(), QuestionnaireError> {
        if self.questions.is_empty() {
            return Err(QuestionnaireError::NoQuestions);
        }
        if self.questions.len() > MAX_QUESTIONS {
            return Err(QuestionnaireError::TooManyQuestions);
        }
        let fits = |s: &str| !s.trim().is_empty() && s.chars().count() <= MAX_TEXT_CHARS;
        let allowed = Measure::of(self.kind);
        let mut keys = std::collections::HashSet::new();
        for q in &self.questions {
            if !fits(&q.text_ja) || !fits(&q.text_en) {
                return Err(QuestionnaireError::QuestionText);
            }
            if !allowed.contains(&q.measure) {
                return Err(QuestionnaireError::Measure);
            }
            if q.key.is_empty() || !keys.insert(q.key.as_str()) {
                return Err(QuestionnaireError::DuplicateKey);
            }
        }
        for labels in [&self.scale_ja, &self.scale_en] {
            if labels.len() != usize::from(POINTS) || !labels.iter().all(|l| fits(l)) {
                return Err(QuestionnaireError::ScaleLabels);
            }
        }
        Ok(())
    }

    /// The default questionnaire of `kind` (our own items).
    pub fn default_for(kind: Kind) -> Questionnaire {
        let items: &[(Measure, bool, bool, &str, &str)] = match kind {
            Kind::FiveSupports => &FIVE_SUPPORTS,
            Kind::Satisfaction => &SATISFACTION,
        };
        Questionnaire {
            kind,
            questions: items
                .iter()
                .enumerate()
                .map(|(i, (measure, reverse, optional, ja, en))| Question {
                    key: format!("q{}", i + 1),
                    measure: *measure,
                    text_ja: (*ja).into(),
                    text_en: (*en).into(),
                    reverse: *reverse,
                    optional: *optional,
                })
                .collect(),
            scale_ja: [
                "まったくそう思わない",
                "あまりそう思わない",
                "どちらともいえない",
                "ややそう思う",
                "とてもそう思う",
            ]
            .map(String::from)
            .to_vec(),
            scale_en: [
                "Strongly disagree",
                "Disagree",
                "Neither",
                "Agree",
                "Strongly agree",
            ]
            .map(String::from)
            .to_vec(),
        }
    }

    /// Reads one person's answers (`q.<key>` → "1".."5", or empty for an optional
    /// question left as not applicable). Every question must be answered unless optional.
    /// Returns the answers, or the keys of the questions left unanswered or wrong.
    pub fn parse_answers<'a>(
        &self,
        value_of: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<Answers, Vec<String>> {
        let mut answers = BTreeMap::new();
        let mut missing = Vec::new();
        for q in &self.questions {
            let raw = value_of(&q.key).map(str::trim).unwrap_or("");
            match raw.parse::<u8>() {
                Ok(v) if (1..=POINTS).contains(&v) => {
                    answers.insert(q.key.clone(), v);
                }
                _ if raw.is_empty() && q.optional => {}
                _ => missing.push(q.key.clone()),
            }
        }
        if missing.is_empty() {
            Ok(Answers(answers))
        } else {
            Err(missing)
        }
    }
}

/// One person's answers: question key → 1..=5 (optional questions may be absent).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Answers(pub BTreeMap<String, u8>);

/// A share flagged or a mean, summed over answers so that cells add up.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Tally {
    /// Answers that gave this measure a value.
    pub answered: u64,
    /// Sum of the per-answer scores (mean of the measure's items, reverse turned round).
    pub sum: f64,
    /// Answers that agreed (4 or 5) with an indicator item.
    pub flagged: u64,
}

impl Tally {
    pub fn mean(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.sum / self.answered as f64)
    }

    pub fn share(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.flagged as f64 / self.answered as f64)
    }

    pub fn add(&mut self, other: &Tally) {
        self.answered += other.answered;
        self.sum += other.sum;
        self.flagged += other.flagged;
    }
}

/// Scores one answer per measure: the mean of its items (reverse items turned round),
/// and for an indicator whether any of its items was agreed with.
pub fn score(q: &Questionnaire, answers: &Answers) -> BTreeMap<Measure, Tally> {
    let mut per: BTreeMap<Measure, (u32, u32, bool)> = BTreeMap::new();
    for question in &q.questions {
        let Some(&v) = answers.0.get(&question.key) else {
            continue;
        };
        let v = if question.reverse { POINTS + 1 - v } else { v };
        let e = per.entry(question.measure).or_default();
        e.0 += u32::from(v);
        e.1 += 1;
        e.2 |= v >= 4;
    }
    per.into_iter()
        .map(|(m, (sum, n, agreed))| {
            (
                m,
                Tally {
                    answered: 1,
                    sum: f64::from(sum) / f64::from(n),
                    flagged: u64::from(matches!(m, Measure::Indicator(_)) && agreed),
                },
            )
        })
        .collect()
}

/// Age bands of a report (age at the survey's opening): –29, 30s, 40s, 50s, 60–.
pub const AGE_BANDS: [&str; 5] = ["under_30", "30s", "40s", "50s", "60_over"];

/// The band of an age.
pub fn age_band(age: u32) -> usize {
    match age {
        0..=29 => 0,
        30..=39 => 1,
        40..=49 => 2,
        50..=59 => 3,
        _ => 4,
    }
}

use Measure::{Indicator as I, Scheme as Sc, Support as S};

#[rustfmt::skip]
const FIVE_SUPPORTS: [(Measure, bool, bool, &str, &str); 19] = [
    (S(Support::SafeRoad), false, false, "この職場では、うまくいかなくても責められずに新しいことを試せると感じます。", "At this workplace I can try new things without being blamed if they do not work out."),
    (S(Support::SafeRoad), false, false, "上司や同僚は、私の健康や生活のことも気にかけてくれています。", "My manager and colleagues also care about my health and life."),
    (S(Support::SafeRoad), false, false, "私の挑戦を応援してくれる人が職場にいます。", "There is someone at work who cheers on what I try."),
    (S(Support::SupportFromBehind), false, false, "困ったときに、必要な手助けをすぐに得られます。", "When I am stuck I can get the help I need quickly."),
    (S(Support::SupportFromBehind), false, false, "仕事の進め方について、時機を逃さずに助言をもらえています。", "I get advice on how I work while it still matters."),
    (S(Support::SupportFromBehind), false, false, "新しいことに取り組むとき、上司が後ろから支えてくれると感じます。", "When I take on something new, my manager backs me up."),
    (S(Support::ForwardDrive), false, false, "少し背伸びが必要な目標を任されています。", "I am given goals that stretch me a little."),
    (S(Support::ForwardDrive), false, false, "目標に届くための学びや訓練の機会があります。", "I have chances to learn what I need to reach my goals."),
    (S(Support::ForwardDrive), false, false, "この1年で、自分が成長したと実感できています。", "I can feel that I have grown over the past year."),
    (S(Support::Contribution), false, false, "自分の仕事が誰かの役に立っていると感じます。", "I feel my work helps someone."),
    (S(Support::Contribution), false, false, "この会社での仕事を通じて、社会に貢献できていると思います。", "Through my work here I contribute to society."),
    (S(Support::Contribution), false, false, "自分の貢献が職場で認められています。", "My contribution is recognised at work."),
    (S(Support::FutureOutlook), false, false, "数年後にこの会社で自分が何をしているか、思い描くことができます。", "I can picture what I will be doing at this company in a few years."),
    (S(Support::FutureOutlook), false, false, "社内で次に挑戦できる道が見えています。", "I can see where I could take my next step inside the company."),
    (S(Support::FutureOutlook), false, false, "社外でも通用する力が身についていると感じます。", "I feel I am building skills that would count outside the company too."),
    (I(Indicator::Isolation), false, false, "自分の将来について、社内で話せる相手がいません。", "There is nobody at work I can talk to about my future."),
    (I(Indicator::Isolation), false, false, "この1年、誰ともキャリアについて話す機会がありませんでした。", "In the past year I had no chance to talk with anyone about my career."),
    (I(Indicator::ForcedAutonomy), false, false, "キャリアは自分ひとりで決めるよう突き放されていると感じます。", "I feel pushed to decide my career all on my own."),
    (I(Indicator::ForcedAutonomy), false, false, "自分の考えを聞かれないまま、今後の仕事が決められていると感じます。", "My future work is decided without anyone asking what I think."),
];

#[rustfmt::skip]
const SATISFACTION: [(Measure, bool, bool, &str, &str); 6] = [
    (Sc(Scheme::Interview), false, true, "キャリア面談は、自分のキャリアを考えるうえで役に立ちました。", "Career interviews helped me think about my career."),
    (Sc(Scheme::OneOnOne), false, true, "上司との1on1は、自分のキャリアを考えるうえで役に立ちました。", "1on1s with my manager helped me think about my career."),
    (Sc(Scheme::Training), false, true, "キャリアデザイン研修は役に立ちました。", "The career design training was useful."),
    (Sc(Scheme::Consultation), false, true, "キャリアコンサルタントへの相談は役に立ちました。", "Talking with a career consultant was useful."),
    (Sc(Scheme::SelfAnalysis), false, true, "キャリア・アンカーなどの自己分析は役に立ちました。", "Self-analysis such as Career Anchors was useful."),
    (Sc(Scheme::Overall), false, false, "会社のキャリア支援全体に満足しています。", "Overall I am satisfied with the company's career support."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_their_own_check_and_cover_every_measure() {
        for kind in Kind::ALL {
            let q = Questionnaire::default_for(kind);
            assert_eq!(q.check(), Ok(()));
            for m in Measure::of(kind) {
                assert!(q.questions.iter().any(|x| x.measure == m), "{m:?}");
            }
        }
        let five = Questionnaire::default_for(Kind::FiveSupports);
        for s in Support::ALL {
            let n = five
                .questions
                .iter()
                .filter(|q| q.measure == Measure::Support(s))
                .count();
            assert!(n >= 3, "several items per support");
        }
    }

    #[test]
    fn a_questionnaire_without_questions_or_labels_is_refused() {
        let mut q = Questionnaire::default_for(Kind::FiveSupports);
        q.scale_en[2] = " ".into();
        assert_eq!(q.check(), Err(QuestionnaireError::ScaleLabels));
        q.scale_en.pop();
        assert_eq!(q.check(), Err(QuestionnaireError::ScaleLabels));
        q.questions.clear();
        assert_eq!(q.check(), Err(QuestionnaireError::NoQuestions));
        let mut q = Questionnaire::default_for(Kind::FiveSupports);
        q.questions[0].measure = Measure::Scheme(Scheme::Overall);
        assert_eq!(q.check(), Err(QuestionnaireError::Measure));
        let mut q = Questionnaire::default_for(Kind::Satisfaction);
        q.questions[1].key = "q1".into();
        assert_eq!(q.check(), Err(QuestionnaireError::DuplicateKey));
        q.questions[1].key = "q2".into();
        q.questions[1].text_ja.clear();
        assert_eq!(q.check(), Err(QuestionnaireError::QuestionText));
    }

    #[test]
    fn answers_must_cover_every_required_question() {
        let q = Questionnaire::default_for(Kind::Satisfaction);
        let all = |k: &str| if k == "q3" { Some("") } else { Some("4") };
        let a = q.parse_answers(all).expect("answers");
        assert_eq!(a.0.len(), 5, "the training left as not applicable");
        let wrong = |k: &str| match k {
            "q6" => Some("6"),
            _ => Some("2"),
        };
        assert_eq!(q.parse_answers(wrong), Err(vec!["q6".to_string()]));
        assert_eq!(
            q.parse_answers(|k: &str| (k != "q6").then_some("3")),
            Err(vec!["q6".to_string()])
        );
    }

    #[test]
    fn scores_are_item_means_reverse_turned_and_indicators_flag_on_agreement() {
        let mut q = Questionnaire::default_for(Kind::FiveSupports);
        q.questions[2].reverse = true;
        let mut a = Answers::default();
        for question in &q.questions {
            a.0.insert(question.key.clone(), 2);
        }
        a.0.insert("q16".into(), 5);
        let s = score(&q, &a);
        // Safe road: 2, 2 and (6 − 2) = 4 → 8 / 3.
        let safe = s[&Measure::Support(Support::SafeRoad)];
        assert!((safe.sum - 8.0 / 3.0).abs() < 1e-9);
        assert_eq!(s[&Measure::Indicator(Indicator::Isolation)].flagged, 1);
        assert_eq!(s[&Measure::Indicator(Indicator::ForcedAutonomy)].flagged, 0);
        assert_eq!(s[&Measure::Support(Support::ForwardDrive)].flagged, 0);
    }

    #[test]
    fn measures_read_back_their_keys() {
        for kind in Kind::ALL {
            for m in Measure::of(kind) {
                assert_eq!(Measure::parse(&m.key()), Some(m));
            }
        }
        assert_eq!(Measure::parse("support.nothing"), None);
        assert_eq!(age_band(29), 0);
        assert_eq!(age_band(30), 1);
        assert_eq!(age_band(65), 4);
    }
}
