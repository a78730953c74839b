//! キャリア・アンカー: the eight Career Anchors and the inventory that measures them
//! (DOMAIN.md: Career Anchors). 40 statements in our own words, five per anchor; each is
//! rated 1–6, then the respondent picks the three most true of them, which get 4 points
//! more; an anchor's score is its total divided by 5. The dominant anchor(s) are those
//! with the highest total — ties are ties, never broken arbitrarily.

use serde::Serialize;

/// One of the eight anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// 専門・職能別コンピタンス
    TechnicalFunctional,
    /// 全般管理コンピタンス
    GeneralManagerial,
    /// 自律・独立
    Autonomy,
    /// 保障・安定
    Security,
    /// 起業家的創造性
    Entrepreneurial,
    /// 奉仕・社会貢献
    Service,
    /// 純粋な挑戦
    PureChallenge,
    /// 生活様式
    Lifestyle,
}

impl Anchor {
    pub const ALL: [Anchor; 8] = [
        Anchor::TechnicalFunctional,
        Anchor::GeneralManagerial,
        Anchor::Autonomy,
        Anchor::Security,
        Anchor::Entrepreneurial,
        Anchor::Service,
        Anchor::PureChallenge,
        Anchor::Lifestyle,
    ];

    /// The identifier of DOMAIN.md (also the translation key under `anchor.`).
    pub fn key(self) -> &'static str {
        match self {
            Anchor::TechnicalFunctional => "technical_functional",
            Anchor::GeneralManagerial => "general_managerial",
            Anchor::Autonomy => "autonomy",
            Anchor::Security => "security",
            Anchor::Entrepreneurial => "entrepreneurial",
            Anchor::Service => "service",
            Anchor::PureChallenge => "pure_challenge",
            Anchor::Lifestyle => "lifestyle",
        }
    }

    pub fn parse(key: &str) -> Option<Anchor> {
        Anchor::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One statement of the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// 1–40, the number on the answer sheet.
    pub number: usize,
    pub anchor: Anchor,
    pub ja: &'static str,
    pub en: &'static str,
}

/// Statements per anchor.
pub const PER_ANCHOR: usize = 5;
/// Statements in the inventory.
pub const STATEMENTS: usize = 40;
/// How many "most true" statements are picked.
pub const PICKS: usize = 3;
/// Extra points for a picked statement.
pub const PICK_BONUS: u32 = 4;
/// The rating scale.
pub const RATING: std::ops::RangeInclusive<u8> = 1..=6;

/// The statements per anchor, in [`Anchor::ALL`] order: (Japanese, English).
const TEXTS: [[(&str, &str); PER_ANCHOR]; 8] = [
    [
        (
            "自分の専門分野で「この人に聞けば分かる」と言われる存在でありたい。",
            "I want to be the person others turn to in my field.",
        ),
        (
            "専門性を生かせない部署への異動なら、昇進を伴っても気が進まない。",
            "I would hesitate to take a promotion that moved me away from my speciality.",
        ),
        (
            "自分の技術や知識が高く評価されたときに、仕事の満足を最も強く感じる。",
            "I feel most satisfied when my skills and knowledge are recognised.",
        ),
        (
            "幅広く管理するより、一つの分野を深く極めたい。",
            "I would rather master one field in depth than manage broadly.",
        ),
        (
            "専門家として腕を磨き続けられる環境を何より重視する。",
            "Above all, I value a place where I can keep sharpening my expertise.",
        ),
    ],
    [
        (
            "組織全体の成果に責任を持つ立場に就きたい。",
            "I want a position responsible for the results of a whole organisation.",
        ),
        (
            "多くの人をまとめて大きな目標を達成することにやりがいを感じる。",
            "Bringing many people together to reach a big goal motivates me.",
        ),
        (
            "部門をまたぐ判断を任されると力が湧く。",
            "Being trusted with decisions across departments energises me.",
        ),
        (
            "いずれは経営に関わる仕事がしたい。",
            "Some day I want to take part in running the business.",
        ),
        (
            "一つの専門を深めるより、さまざまな機能を束ねる役割に魅力を感じる。",
            "Coordinating many functions attracts me more than deepening one speciality.",
        ),
    ],
    [
        (
            "仕事の進め方や時間の使い方は、できるだけ自分で決めたい。",
            "I want to decide for myself how and when I do my work.",
        ),
        (
            "細かな規則や手順に縛られると、力を出し切れないと感じる。",
            "Detailed rules and procedures keep me from doing my best.",
        ),
        (
            "安定よりも、自分の裁量で働ける自由を選びたい。",
            "I would choose the freedom to work at my own discretion over stability.",
        ),
        (
            "指示を待つより、任された範囲を自分のやり方で進めたい。",
            "I prefer running my area my own way to waiting for instructions.",
        ),
        (
            "将来は、組織に縛られない働き方をしてみたい。",
            "In the future I would like to work in a way not tied to an organisation.",
        ),
    ],
    [
        (
            "長く安心して働ける職場であることを大切にしたい。",
            "Being able to work in one place with peace of mind for a long time matters to me.",
        ),
        (
            "収入や雇用が安定していることは、仕事を選ぶうえで欠かせない。",
            "Stable income and employment are essential when I choose work.",
        ),
        (
            "先の見通しが立たない変化は、できれば避けたい。",
            "I would rather avoid changes whose outcome I cannot foresee.",
        ),
        (
            "転勤や大きな環境の変化がないことを重視する。",
            "I value not having to relocate or face big changes around me.",
        ),
        (
            "会社が将来まで自分を支えてくれると感じられると、力を発揮できる。",
            "I do my best when I feel the company will support me in the years ahead.",
        ),
    ],
    [
        (
            "新しい事業やサービスを、自分の手で立ち上げてみたい。",
            "I want to launch a new business or service with my own hands.",
        ),
        (
            "誰もやっていないことを形にするときに、最もわくわくする。",
            "I am most excited when turning something nobody has done into reality.",
        ),
        (
            "失敗のリスクがあっても、自分のアイデアを試す機会がほしい。",
            "I want chances to try my ideas, even at the risk of failure.",
        ),
        (
            "自分が生み出したものが成果として残ることに、強い喜びを感じる。",
            "Seeing something I created remain as a result gives me strong joy.",
        ),
        (
            "いつか自分の名前で何かを始めたいと考えている。",
            "I think about starting something under my own name some day.",
        ),
    ],
    [
        (
            "人や社会の役に立っていると実感できる仕事がしたい。",
            "I want work where I feel I am helping people and society.",
        ),
        (
            "報酬よりも、仕事の意義が自分の価値観に合うかどうかを重視する。",
            "Whether the work fits my values matters more to me than pay.",
        ),
        (
            "困っている人を支える役割に就くと、力が湧く。",
            "Supporting people in need energises me.",
        ),
        (
            "自分の仕事で誰かの暮らしが良くなったときに、満足を感じる。",
            "I am satisfied when my work makes someone's life better.",
        ),
        (
            "価値観に合わない仕事は、条件が良くても選ばない。",
            "I would not take work against my values, however good the terms.",
        ),
    ],
    [
        (
            "難しい課題ほど、取り組む意欲が湧く。",
            "The harder the problem, the more I want to take it on.",
        ),
        (
            "誰もが無理だと言う目標を達成したときに、最も充実感を覚える。",
            "I feel most fulfilled when I reach a goal everyone called impossible.",
        ),
        (
            "手ごたえのない簡単な仕事が続くと、退屈してしまう。",
            "I get bored when easy work without challenge goes on.",
        ),
        (
            "手強い競争相手に勝つことに喜びを感じる。",
            "Winning against strong competitors gives me joy.",
        ),
        (
            "新しい難題に挑み続けられる仕事を求めている。",
            "I am looking for work that keeps bringing new hard problems.",
        ),
    ],
    [
        (
            "仕事と家庭や私生活とのバランスを、何より大切にしたい。",
            "Above all, I want a balance between work and my family and private life.",
        ),
        (
            "働く時間や場所を、生活に合わせて選べることを重視する。",
            "Being able to fit my working hours and place to my life matters to me.",
        ),
        (
            "昇進のために私生活を大きく犠牲にしたくない。",
            "I do not want to sacrifice much of my private life for a promotion.",
        ),
        (
            "家族の事情に合わせて働き方を変えられる職場がよい。",
            "I want a workplace where I can change how I work to fit my family's needs.",
        ),
        (
            "仕事は人生の一部であり、全体の調和の中で考えたい。",
            "I see work as one part of life and want it in harmony with the rest.",
        ),
    ],
];

/// The 40 statements in answer-sheet order: anchors interleaved, so statement `n` belongs
/// to anchor `(n - 1) % 8` — the sheet never shows five of one kind in a row.
pub fn statements() -> Vec<Statement> {
    (0..STATEMENTS)
        .map(|i| {
            let (a, k) = (i % 8, i / 8);
            Statement {
                number: i + 1,
                anchor: Anchor::ALL[a],
                ja: TEXTS[a][k].0,
                en: TEXTS[a][k].1,
            }
        })
        .collect()
}

/// What is wrong with an answer sheet (refused with the exact reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SheetError {
    /// These statements have no rating.
    Missing { numbers: Vec<usize> },
    /// This statement's rating is not 1–6.
    OutOfRange { number: usize, value: String },
    /// Not exactly three "most true" picks.
    PickCount { picked: usize },
    /// A pick names no statement (or the same one twice).
    BadPick { value: String },
}

/// A complete answer sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerSheet {
    /// Ratings of statements 1..=40, in order.
    pub ratings: Vec<u8>,
    /// The three statements picked as most true (numbers 1–40), distinct.
    pub picks: Vec<usize>,
}

impl AnswerSheet {
    /// Reads a sheet: `rating(n)` is the raw answer to statement `n` (empty when none),
    /// `picks` the raw picked numbers. Every problem is reported.
    pub fn parse(
        rating: impl Fn(usize) -> String,
        picks: &[String],
    ) -> Result<AnswerSheet, Vec<SheetError>> {
        let mut errors = Vec::new();
        let mut ratings = Vec::with_capacity(STATEMENTS);
        let mut missing = Vec::new();
        for n in 1..=STATEMENTS {
            // Paper results typed in Japan often carry full-width digits.
            let raw: String = {
                use unicode_normalization::UnicodeNormalization;
                rating(n).nfkc().collect()
            };
            let raw = raw.trim();
            if raw.is_empty() {
                missing.push(n);
                continue;
            }
            match raw.parse::<u8>().ok().filter(|v| RATING.contains(v)) {
                Some(v) => ratings.push(v),
                None => errors.push(SheetError::OutOfRange {
                    number: n,
                    value: raw.to_string(),
                }),
            }
        }
        if !missing.is_empty() {
            errors.insert(0, SheetError::Missing { numbers: missing });
        }
        let mut parsed = Vec::new();
        for p in picks.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            match p
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=STATEMENTS).contains(n))
            {
                Some(n) if !parsed.contains(&n) => parsed.push(n),
                _ => errors.push(SheetError::BadPick {
                    value: p.to_string(),
                }),
            }
        }
        if parsed.len() != PICKS {
            errors.push(SheetError::PickCount {
                picked: parsed.len(),
            });
        }
        if errors.is_empty() {
            Ok(AnswerSheet {
                ratings,
                picks: parsed,
            })
        } else {
            Err(errors)
        }
    }
}

/// A scored sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Each anchor's total (ratings plus pick bonuses), in [`Anchor::ALL`] order.
    pub totals: Vec<(Anchor, u32)>,
    /// The anchor(s) with the highest total; several when tied.
    pub dominant: Vec<Anchor>,
}

impl Profile {
    /// An anchor's score: its total divided by 5 (at most (6·5 + 3·4)/5 = 8.4).
    pub fn score(&self, anchor: Anchor) -> f64 {
        self.totals
            .iter()
            .find(|(a, _)| *a == anchor)
            .map(|(_, t)| f64::from(*t) / PER_ANCHOR as f64)
            .unwrap_or(0.0)
    }
}

/// Scores a sheet.
pub fn score(sheet: &AnswerSheet) -> Profile {
    let statements = statements();
    let mut totals: Vec<(Anchor, u32)> = Anchor::ALL.iter().map(|a| (*a, 0)).collect();
    let add = |totals: &mut Vec<(Anchor, u32)>, anchor: Anchor, points: u32| {
        if let Some(t) = totals.iter_mut().find(|(a, _)| *a == anchor) {
            t.1 += points;
        }
    };
    for (s, r) in statements.iter().zip(&sheet.ratings) {
        add(&mut totals, s.anchor, u32::from(*r));
    }
    for p in &sheet.picks {
        if let Some(s) = statements.get(p - 1) {
            add(&mut totals, s.anchor, PICK_BONUS);
        }
    }
    let top = totals.iter().map(|(_, t)| *t).max().unwrap_or(0);
    let dominant = totals
        .iter()
        .filter(|(_, t)| *t == top)
        .map(|(a, _)| *a)
        .collect();
    Profile { totals, dominant }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(ratings: [u8; 40], picks: [usize; 3]) -> AnswerSheet {
        AnswerSheet::parse(
            |n| ratings[n - 1].to_string(),
            &picks.map(|p| p.to_string()),
        )
        .expect("valid sheet")
    }

    #[test]
    fn the_inventory_has_five_distinct_statements_per_anchor_interleaved() {
        let all = statements();
        assert_eq!(all.len(), 40);
        for a in Anchor::ALL {
            assert_eq!(all.iter().filter(|s| s.anchor == a).count(), 5);
        }
        assert_eq!(all[0].anchor, Anchor::TechnicalFunctional);
        assert_eq!(all[1].anchor, Anchor::GeneralManagerial);
        assert_eq!(all[8].anchor, Anchor::TechnicalFunctional);
        let mut texts: Vec<&str> = all.iter().map(|s| s.ja).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), 40);
    }

    #[test]
    fn scores_match_a_hand_computed_sheet() {
        // Statements of anchor i are numbers i+1, i+9, i+17, i+25, i+33.
        // Technical/functional (1, 9, 17, 25, 33) rated 6,5,6,4,6 = 27, picks 1 and 17: +8 → 35 → 7.0.
        // Service (6, 14, 22, 30, 38) rated 5 each = 25, pick 22: +4 → 29 → 5.8.
        // Everything else rated 2 → 10 → 2.0; lifestyle (8, 16, …) rated 3 → 15 → 3.0.
        let mut r = [2u8; 40];
        for (n, v) in [(1, 6), (9, 5), (17, 6), (25, 4), (33, 6)] {
            r[n - 1] = v;
        }
        for n in [6, 14, 22, 30, 38] {
            r[n - 1] = 5;
        }
        for n in [8, 16, 24, 32, 40] {
            r[n - 1] = 3;
        }
        let p = score(&sheet(r, [1, 17, 22]));
        assert_eq!(p.score(Anchor::TechnicalFunctional), 7.0);
        assert_eq!(p.score(Anchor::Service), 5.8);
        assert_eq!(p.score(Anchor::Lifestyle), 3.0);
        assert_eq!(p.score(Anchor::Security), 2.0);
        assert_eq!(p.dominant, vec![Anchor::TechnicalFunctional]);
        // The maximum: all 6 and three picks in one anchor.
        let p = score(&sheet([6; 40], [2, 10, 18]));
        assert_eq!(p.score(Anchor::GeneralManagerial), 8.4);
    }

    #[test]
    fn ties_are_shown_as_ties() {
        // All 4; one pick in autonomy (3) and one in pure challenge (7), one in lifestyle (8):
        // three anchors tie at 24.
        let p = score(&sheet([4; 40], [3, 7, 8]));
        assert_eq!(
            p.dominant,
            vec![Anchor::Autonomy, Anchor::PureChallenge, Anchor::Lifestyle]
        );
        assert_eq!(p.score(Anchor::Autonomy), 4.8);
    }

    #[test]
    fn a_sheet_with_missing_answers_or_four_picks_is_refused_with_the_exact_reason() {
        let picks = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let err = AnswerSheet::parse(
            |n| {
                if n == 5 || n == 40 {
                    String::new()
                } else {
                    "3".into()
                }
            },
            &picks(&["1", "2", "3", "4"]),
        )
        .expect_err("refused");
        assert_eq!(
            err,
            vec![
                SheetError::Missing {
                    numbers: vec![5, 40]
                },
                SheetError::PickCount { picked: 4 }
            ]
        );
        let err = AnswerSheet::parse(
            |n| if n == 2 { "7".into() } else { "３".into() },
            &picks(&["1", "1", "41"]),
        )
        .expect_err("refused");
        assert!(err.contains(&SheetError::OutOfRange {
            number: 2,
            value: "7".into()
        }));
        assert!(err.contains(&SheetError::BadPick { value: "1".into() }));
        assert!(err.contains(&SheetError::BadPick { value: "41".into() }));
        assert!(err.contains(&SheetError::PickCount { picked: 1 }));
    }

    #[test]
    fn every_anchor_reads_back_from_its_key() {
        for a in Anchor::ALL {
            assert_eq!(Anchor::parse(a.key()), Some(a));
        }
        assert_eq!(Anchor::parse("money"), None);
    }
}
