//! ロールモデル: colleagues' stories (DOMAIN.md: Role models). A consultant or HR writes a
//! story about a colleague; it is seen by others only once that colleague consents, with
//! or without their name, and disappears when they withdraw. Stories are tagged by Career
//! Anchor, themes and outcome — including people who tried, failed, and gained something
//! they used later, the stories that help most when the fear of failure holds someone back.

use crate::anchor::Anchor;
use serde::Serialize;

/// At most this many characters in a title.
pub const MAX_TITLE_CHARS: usize = 80;
/// At most this many characters in a story.
pub const MAX_BODY_CHARS: usize = 2000;
/// At most this many themes on one story.
pub const MAX_THEMES: usize = 3;
/// Stories suggested to a facilitator at once.
pub const SUGGESTIONS: usize = 3;

/// What a story is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// 社内公募・異動への挑戦
    InternalMove,
    /// 学び直し・資格
    Reskilling,
    /// 管理職になる・管理職を降りる
    Management,
    /// 専門性を深める
    Specialist,
    /// 副業・兼業
    SideJob,
    /// 育児・介護との両立
    WorkLife,
    /// ミドル・シニアのキャリア
    MiddleSenior,
    /// 若手のキャリア
    EarlyCareer,
    /// 新しい分野への挑戦
    NewField,
}

impl Theme {
    pub const ALL: [Theme; 9] = [
        Theme::InternalMove,
        Theme::Reskilling,
        Theme::Management,
        Theme::Specialist,
        Theme::SideJob,
        Theme::WorkLife,
        Theme::MiddleSenior,
        Theme::EarlyCareer,
        Theme::NewField,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Theme::InternalMove => "internal_move",
            Theme::Reskilling => "reskilling",
            Theme::Management => "management",
            Theme::Specialist => "specialist",
            Theme::SideJob => "side_job",
            Theme::WorkLife => "work_life",
            Theme::MiddleSenior => "middle_senior",
            Theme::EarlyCareer => "early_career",
            Theme::NewField => "new_field",
        }
    }

    pub fn parse(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// How the story went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 実現した
    Achieved,
    /// 挑戦中
    InProgress,
    /// うまくいかなかったが、得たものがあった
    FailedButGained,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::Achieved,
        Outcome::InProgress,
        Outcome::FailedButGained,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Outcome::Achieved => "achieved",
            Outcome::InProgress => "in_progress",
            Outcome::FailedButGained => "failed_but_gained",
        }
    }

    pub fn parse(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Where a story stands with the colleague it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Written, waiting for the colleague's answer: seen only by them and the writer.
    Pending,
    /// The colleague agreed: everyone in the company may read it.
    Given,
    /// The colleague said no.
    Refused,
    /// The colleague took it back: hidden again.
    Withdrawn,
}

impl Consent {
    pub fn key(self) -> &'static str {
        match self {
            Consent::Pending => "pending",
            Consent::Given => "given",
            Consent::Refused => "refused",
            Consent::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<Consent> {
        [
            Consent::Pending,
            Consent::Given,
            Consent::Refused,
            Consent::Withdrawn,
        ]
        .into_iter()
        .find(|c| c.key() == key)
    }

    /// May the colleague move the story from here to `to`? They may agree or refuse a
    /// pending story, withdraw a given one, and agree again to one they withdrew or
    /// refused.
    pub fn may_become(self, to: Consent) -> bool {
        matches!(
            (self, to),
            (Consent::Pending, Consent::Given | Consent::Refused)
                | (Consent::Given, Consent::Withdrawn)
                | (Consent::Withdrawn | Consent::Refused, Consent::Given)
        )
    }
}

/// A story as written, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryInput {
    pub title: String,
    pub body: String,
    pub anchor: Option<Anchor>,
    pub themes: Vec<Theme>,
    pub outcome: Outcome,
}

/// Why a story could not be saved (translation keys under `role_model.error.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryError {
    TitleEmpty,
    TitleTooLong,
    BodyEmpty,
    BodyTooLong,
    NoTheme,
    TooManyThemes,
    Unknown,
}

impl StoryError {
    pub fn key(self) -> &'static str {
        match self {
            StoryError::TitleEmpty => "title_empty",
            StoryError::TitleTooLong => "title_too_long",
            StoryError::BodyEmpty => "body_empty",
            StoryError::BodyTooLong => "body_too_long",
            StoryError::NoTheme => "no_theme",
            StoryError::TooManyThemes => "too_many_themes",
            StoryError::Unknown => "unknown",
        }
    }
}

/// Reads a story as typed; every problem is reported, not just the first.
pub fn parse_story(
    title: &str,
    body: &str,
    anchor: &str,
    themes: &[&str],
    outcome: &str,
) -> Result<StoryInput, Vec<StoryError>> {
    let mut errors = Vec::new();
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() {
        errors.push(StoryError::TitleEmpty);
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(StoryError::TitleTooLong);
    }
    if body.is_empty() {
        errors.push(StoryError::BodyEmpty);
    } else if body.chars().count() > MAX_BODY_CHARS {
        errors.push(StoryError::BodyTooLong);
    }
    let anchor = match anchor.trim() {
        "" => None,
        a => match Anchor::parse(a) {
            Some(a) => Some(a),
            None => {
                errors.push(StoryError::Unknown);
                None
            }
        },
    };
    let mut parsed: Vec<Theme> = Vec::new();
    for t in themes.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match Theme::parse(t) {
            Some(t) if !parsed.contains(&t) => parsed.push(t),
            Some(_) => {}
            None => errors.push(StoryError::Unknown),
        }
    }
    if parsed.is_empty() {
        errors.push(StoryError::NoTheme);
    } else if parsed.len() > MAX_THEMES {
        errors.push(StoryError::TooManyThemes);
    }
    let outcome = Outcome::parse(outcome.trim());
    if outcome.is_none() {
        errors.push(StoryError::Unknown);
    }
    let mut seen = Vec::new();
    errors.retain(|e| {
        let first = !seen.contains(e);
        seen.push(*e);
        first
    });
    match (errors.is_empty(), outcome) {
        (true, Some(outcome)) => Ok(StoryInput {
            title: title.to_string(),
            body: body.to_string(),
            anchor,
            themes: parsed,
            outcome,
        }),
        _ => Err(errors),
    }
}

/// What a search asks for: words (all must appear, in the title or the story, ignoring
/// full-width/half-width and case differences) and optional tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub words: Vec<String>,
    pub anchor: Option<Anchor>,
    pub theme: Option<Theme>,
    pub outcome: Option<Outcome>,
}

/// Folds text for matching: NFKC (full-width letters and digits to half-width), lower case,
/// katakana to hiragana, so 「ｷｬﾘｱ」「キャリア」「きゃりあ」 meet.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

impl Search {
    /// Parses a query typed in one box: words split on spaces (full-width too).
    pub fn new(query: &str) -> Search {
        Search {
            words: query
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .map(fold)
                .collect(),
            ..Search::default()
        }
    }

    /// Does a story with these texts and tags match?
    pub fn matches(
        &self,
        title: &str,
        body: &str,
        anchor: Option<Anchor>,
        themes: &[Theme],
        outcome: Outcome,
    ) -> bool {
        if self.anchor.is_some_and(|a| anchor != Some(a))
            || self.theme.is_some_and(|t| !themes.contains(&t))
            || self.outcome.is_some_and(|o| o != outcome)
        {
            return false;
        }
        if self.words.is_empty() {
            return true;
        }
        let text = fold(&format!("{title}\n{body}"));
        self.words.iter().all(|w| text.contains(w.as_str()))
    }
}

/// What is known of the person a facilitator is preparing for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seeker {
    /// Their dominant anchor(s), when they took the inventory.
    pub anchors: Vec<Anchor>,
    /// Words from what they shared (career intention, concerns), folded with [`fold`].
    pub concerns: String,
}

/// A published story as [`suggest`] weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub id: i64,
    pub outcome: Outcome,
    pub anchor: Option<Anchor>,
    pub themes: &'a [Theme],
    /// Its title and text.
    pub text: &'a str,
}

/// Ranks published stories for someone whom the fear of failure holds back: stories of
/// trying, failing and gaining something come first, then those with their anchor, then
/// those whose themes or words touch their concerns; ties by recency (higher id first).
/// Returns indexes into `stories`, at most [`SUGGESTIONS`].
pub fn suggest(stories: &[Candidate<'_>], who: &Seeker) -> Vec<usize> {
    let mut scored: Vec<(i32, i64, usize)> = stories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut score = 0;
            if c.outcome == Outcome::FailedButGained {
                score += 100;
            }
            if c.anchor.is_some_and(|a| who.anchors.contains(&a)) {
                score += 10;
            }
            let folded = fold(c.text);
            score += c
                .themes
                .iter()
                .filter(|t| theme_words(**t).iter().any(|w| who.concerns.contains(w)))
                .count() as i32
                * 3;
            if !who.concerns.is_empty()
                && folded
                    .split(['。', '、', '\n', ' '])
                    .filter(|p| p.chars().count() >= 2)
                    .any(|p| who.concerns.contains(p))
            {
                score += 1;
            }
            (score, c.id, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, i)| i)
        .collect()
}

/// Words (folded) that suggest a theme in someone's own text.
fn theme_words(t: Theme) -> &'static [&'static str] {
    match t {
        Theme::InternalMove => &["公募", "異動", "部署"],
        Theme::Reskilling => &["資格", "勉強", "学び", "スキル"],
        Theme::Management => &["管理職", "マネジメント", "部下", "昇進"],
        Theme::Specialist => &["専門", "技術", "スペシャリスト"],
        Theme::SideJob => &["副業", "兼業"],
        Theme::WorkLife => &["育児", "介護", "両立", "子ども", "家族"],
        Theme::MiddleSenior => &["定年", "50代", "役職定年", "シニア"],
        Theme::EarlyCareer => &["若手", "新人", "入社"],
        Theme::NewField => &["挑戦", "新しい", "未経験"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_needs_a_title_a_text_a_theme_and_an_outcome_and_reports_every_problem() {
        let ok = parse_story(
            " 公募に落ちて見えたこと ",
            "二度落ちましたが、準備で学んだ分析が今の仕事に生きています。",
            "pure_challenge",
            &["internal_move", "internal_move", "new_field"],
            "failed_but_gained",
        )
        .expect("valid");
        assert_eq!(ok.title, "公募に落ちて見えたこと");
        assert_eq!(ok.themes, vec![Theme::InternalMove, Theme::NewField]);
        assert_eq!(ok.anchor, Some(Anchor::PureChallenge));
        assert_eq!(
            parse_story("", " ", "", &[], "achieved"),
            Err(vec![
                StoryError::TitleEmpty,
                StoryError::BodyEmpty,
                StoryError::NoTheme
            ])
        );
        assert_eq!(
            parse_story(
                &"題".repeat(MAX_TITLE_CHARS + 1),
                &"あ".repeat(MAX_BODY_CHARS + 1),
                "",
                &["reskilling", "side_job", "work_life", "specialist"],
                "achieved"
            ),
            Err(vec![
                StoryError::TitleTooLong,
                StoryError::BodyTooLong,
                StoryError::TooManyThemes
            ])
        );
        assert_eq!(
            parse_story("題", "本文", "money", &["fame"], "won"),
            Err(vec![StoryError::Unknown, StoryError::NoTheme])
        );
    }

    #[test]
    fn only_the_colleague_moves_consent_and_only_along_the_allowed_paths() {
        use Consent::*;
        assert!(Pending.may_become(Given));
        assert!(Pending.may_become(Refused));
        assert!(Given.may_become(Withdrawn));
        assert!(Withdrawn.may_become(Given));
        assert!(Refused.may_become(Given));
        assert!(!Given.may_become(Pending));
        assert!(!Pending.may_become(Withdrawn));
        assert!(!Withdrawn.may_become(Refused));
    }

    #[test]
    fn search_folds_width_case_and_kana_and_needs_every_word_and_tag() {
        let s = Search::new("ｷｬﾘｱ　公募");
        assert!(s.matches(
            "キャリアの転機",
            "社内公募に挑戦",
            None,
            &[],
            Outcome::Achieved
        ));
        assert!(Search::new("きゃりあ").matches("キャリア", "", None, &[], Outcome::Achieved));
        assert!(Search::new("TOEIC").matches("", "toeic 800点", None, &[], Outcome::Achieved));
        assert!(!s.matches("キャリアの転機", "異動", None, &[], Outcome::Achieved));
        let tagged = Search {
            theme: Some(Theme::SideJob),
            outcome: Some(Outcome::FailedButGained),
            ..Search::default()
        };
        assert!(tagged.matches("", "", None, &[Theme::SideJob], Outcome::FailedButGained));
        assert!(!tagged.matches("", "", None, &[Theme::SideJob], Outcome::Achieved));
        assert!(!tagged.matches("", "", None, &[Theme::Reskilling], Outcome::FailedButGained));
    }

    #[test]
    fn suggestions_put_tried_and_failed_stories_first_then_the_same_anchor_then_concerns() {
        let none: &[Theme] = &[];
        let side: &[Theme] = &[Theme::SideJob];
        let c = |id, outcome, anchor, themes, text| Candidate {
            id,
            outcome,
            anchor,
            themes,
            text,
        };
        let stories = vec![
            c(1, Outcome::Achieved, Some(Anchor::Security), none, "安定"),
            c(2, Outcome::FailedButGained, None, none, "失敗"),
            c(
                3,
                Outcome::Achieved,
                Some(Anchor::Service),
                none,
                "社会貢献",
            ),
            c(4, Outcome::Achieved, None, side, "副業"),
            c(
                5,
                Outcome::FailedButGained,
                Some(Anchor::Service),
                none,
                "失敗",
            ),
        ];
        let who = Seeker {
            anchors: vec![Anchor::Service],
            concerns: fold("副業に興味があります"),
        };
        assert_eq!(suggest(&stories, &who), vec![4, 1, 2]);
        // With nothing known, tried-and-failed first, then the newest.
        assert_eq!(suggest(&stories, &Seeker::default()), vec![4, 1, 3]);
        assert!(suggest(&[], &who).is_empty());
    }
}
