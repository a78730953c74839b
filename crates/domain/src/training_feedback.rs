//! 研修後アンケート: what participants say after their training session — how useful it
//! was, how well the instructor's way of running it suited them, and what they will think
//! about before their interview — reported by instructor style × participant segment.
//! It is the evidence on which instructor fit (DOMAIN.md: Cohort programme, step 2)
//! rests: if people placed with an instructor of their own segment's style do not find
//! the session suits them better, the company's placement rule is not holding.
//!
//! An answer is never tied to a person: it carries only the programme, the instructor's
//! style and the participant's segment (see `store::training_feedback`), and a report
//! shows a cell only through [`crate::anonymity::Cube`].

use crate::anonymity::Cube;
use crate::training::Style;
use serde::Serialize;
use std::collections::BTreeSet;

/// What a participant may say they will think about before the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// これから目指したいこと
    Vision,
    /// 自分の強み
    Strengths,
    /// 仕事のやりがい
    Meaning,
    /// 人生の出来事と仕事
    LifeEvents,
    /// 不安に思っていること
    Concerns,
    /// 最初に試してみること
    FirstStep,
    /// 上司に伝えたいこと
    ToManager,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Vision,
        Topic::Strengths,
        Topic::Meaning,
        Topic::LifeEvents,
        Topic::Concerns,
        Topic::FirstStep,
        Topic::ToManager,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Topic::Vision => "vision",
            Topic::Strengths => "strengths",
            Topic::Meaning => "meaning",
            Topic::LifeEvents => "life_events",
            Topic::Concerns => "concerns",
            Topic::FirstStep => "first_step",
            Topic::ToManager => "to_manager",
        }
    }

    pub fn parse(key: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// The two segments and styles, in report order.
pub const STYLES: [Style; 2] = [Style::Energetic, Style::Calm];

/// One participant's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 1–5: how useful the session was.
    pub useful: u8,
    /// 1–5: how well the instructor's way of running it suited them.
    pub fit: u8,
    pub topics: BTreeSet<Topic>,
}

/// What is wrong with an answer (a translation key under `training_feedback.error.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    /// Usefulness not chosen (or not one of the five points).
    Useful,
    /// Fit not chosen (or not one of the five points).
    Fit,
    /// A topic that is not on the list.
    Topic,
}

impl AnswerError {
    pub fn key(self) -> &'static str {
        match self {
            AnswerError::Useful => "useful",
            AnswerError::Fit => "fit",
            AnswerError::Topic => "topic",
        }
    }
}

fn point(s: &str) -> Option<u8> {
    s.trim().parse::<u8>().ok().filter(|p| (1..=5).contains(p))
}

impl Answer {
    /// Reads a form: both ratings are required; topics are optional (none is an answer).
    pub fn parse<'a>(
        useful: &str,
        fit: &str,
        topics: impl IntoIterator<Item = &'a str>,
    ) -> Result<Answer, Vec<AnswerError>> {
        let mut errors = Vec::new();
        let useful = point(useful);
        let fit = point(fit);
        if useful.is_none() {
            errors.push(AnswerError::Useful);
        }
        if fit.is_none() {
            errors.push(AnswerError::Fit);
        }
        let mut chosen = BTreeSet::new();
        for t in topics {
            match Topic::parse(t.trim()) {
                Some(t) => {
                    chosen.insert(t);
                }
                None => {
                    if !errors.contains(&AnswerError::Topic) {
                        errors.push(AnswerError::Topic);
                    }
                }
            }
        }
        match (useful, fit) {
            (Some(useful), Some(fit)) if errors.is_empty() => Ok(Answer {
                useful,
                fit,
                topics: chosen,
            }),
            _ => Err(errors),
        }
    }

    /// Suited: a 4 or a 5 on fit.
    pub fn suited(&self) -> bool {
        self.fit >= 4
    }
}

/// Days after the session ends during which the participant may answer.
pub const ANSWER_DAYS: i64 = 30;

/// Whether a participant may answer now, given when their session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The session has not ended yet.
    NotYet,
    /// Open until this moment.
    Open(chrono::DateTime<chrono::Utc>),
    Closed,
}

pub fn window(
    session_ends: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Window {
    let until = session_ends + chrono::Duration::days(ANSWER_DAYS);
    if now < session_ends {
        Window::NotYet
    } else if now <= until {
        Window::Open(until)
    } else {
        Window::Closed
    }
}

/// One stored answer, placed for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Index of the programme among the report's programmes.
    pub programme: usize,
    /// The style of the instructor of the participant's session.
    pub style: Style,
    /// The participant's segment when they answered.
    pub segment: Style,
    pub answer: Answer,
}

/// The figures of one cell, when it may be shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub respondents: u64,
    /// Mean usefulness (1–5).
    pub useful: f64,
    /// Mean fit (1–5).
    pub fit: f64,
    /// Share (0–1) who answered 4 or 5 on fit.
    pub suited: f64,
}

#[derive(Debug, Clone, Default)]
struct Sums {
    n: u64,
    useful: u64,
    fit: u64,
    suited: u64,
    topics: [u64; Topic::ALL.len()],
}

/// The post-training report over some programmes: the company (unit 0, every programme
/// given) and each programme (unit `1 + i`), by instructor style × participant segment.
#[derive(Debug, Clone)]
pub struct Report {
    cube: Cube,
    /// Per cube cell index (unit, style or all, segment or all).
    sums: Vec<Sums>,
}

fn band(s: Style) -> usize {
    STYLES.iter().position(|x| *x == s).unwrap_or(0)
}

fn cross(style: Style, segment: Style) -> usize {
    band(style) * STYLES.len() + band(segment)
}

impl Report {
    /// Builds the report for `programmes` programmes (the first is the one the page is
    /// about) and decides, with threshold `k`,
    /// which cells may be shown (the same decision for every view: the company column
    /// and each programme's, each crossed and with its margins).
    pub fn new(programmes: usize, answers: &[Placed], k: u64) -> Report {
        let parent: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..programmes).map(|_| Some(0)))
            .collect();
        // The cube's one dimension is the crossed cell (style × segment): a cube never
        // shows two filters crossed, and the crossed table is what this report is for.
        // Its margins (a style's row, a segment's column) are shown only where every cell
        // they add up is (see `shown`), so they tell nothing the cells do not.
        let mut cube = Cube::new(
            parent,
            STYLES.len() * STYLES.len(),
            1,
            answers
                .iter()
                .map(|a| (1 + a.programme, cross(a.style, a.segment), 0)),
        );
        // The programme the page is about comes first: where the company minus it (the
        // other programmes) is a group below k, the company's cell is the one hidden,
        // rather than the programme's (the rule would otherwise hide a part first).
        if programmes > 0 {
            let snapshot = cube.clone();
            cube.decide_also(k, |u, a, b| {
                u == 0 && {
                    let others = snapshot.count(0, a, b) - snapshot.count(1, a, b);
                    others > 0 && others < k
                }
            });
        } else {
            cube.decide(k);
        }
        let slots = (programmes + 1) * (STYLES.len() + 1) * (STYLES.len() + 1);
        let mut sums = vec![Sums::default(); slots];
        let n = STYLES.len();
        for a in answers {
            for unit in [0, 1 + a.programme] {
                for s in [band(a.style), n] {
                    for g in [band(a.segment), n] {
                        let x = &mut sums[(unit * (n + 1) + s) * (n + 1) + g];
                        x.n += 1;
                        x.useful += u64::from(a.answer.useful);
                        x.fit += u64::from(a.answer.fit);
                        x.suited += u64::from(a.answer.suited());
                        for t in &a.answer.topics {
                            x.topics[Topic::ALL.iter().position(|y| y == t).unwrap_or(0)] += 1;
                        }
                    }
                }
            }
        }
        Report { cube, sums }
    }

    fn sums(&self, unit: usize, style: Option<Style>, segment: Option<Style>) -> &Sums {
        let n = STYLES.len();
        let s = style.map(band).unwrap_or(n);
        let g = segment.map(band).unwrap_or(n);
        &self.sums[(unit * (n + 1) + s) * (n + 1) + g]
    }

    /// Whether the cell may be shown: a crossed cell or the unit's total as the cube
    /// decided; a margin only when every crossed cell in it may be.
    fn shown(&self, unit: usize, style: Option<Style>, segment: Option<Style>) -> bool {
        match (style, segment) {
            (Some(s), Some(g)) => self.cube.shown(unit, Some(cross(s, g)), None),
            (None, None) => self.cube.shown(unit, None, None),
            _ => STYLES.iter().all(|x| {
                let (s, g) = (style.unwrap_or(*x), segment.unwrap_or(*x));
                self.cube.shown(unit, Some(cross(s, g)), None)
            }),
        }
    }

    /// The cell's figures, or None when it is hidden (or empty). `unit` 0 is the company,
    /// `1 + i` the i-th programme; `None` style or segment is *all*.
    pub fn cell(
        &self,
        unit: usize,
        style: Option<Style>,
        segment: Option<Style>,
    ) -> Option<Figures> {
        let shown = self.shown(unit, style, segment);
        let x = self.sums(unit, style, segment);
        (shown && x.n > 0).then(|| Figures {
            respondents: x.n,
            useful: x.useful as f64 / x.n as f64,
            fit: x.fit as f64 / x.n as f64,
            suited: x.suited as f64 / x.n as f64,
        })
    }

    /// Respondents placed with an instructor of their own segment's style (`matched`) or
    /// not: shown only when every cell it adds up is shown, so it tells nothing the
    /// crossed table does not.
    pub fn fit_holds(&self, unit: usize, matched: bool) -> Option<Figures> {
        let cells: Vec<(Style, Style)> = STYLES
            .iter()
            .flat_map(|s| STYLES.iter().map(move |g| (*s, *g)))
            .filter(|(s, g)| (s == g) == matched)
            .collect();
        let mut total = Sums::default();
        for (s, g) in cells {
            let x = self.sums(unit, Some(s), Some(g));
            if !self.shown(unit, Some(s), Some(g)) {
                return None;
            }
            total.n += x.n;
            total.useful += x.useful;
            total.fit += x.fit;
            total.suited += x.suited;
        }
        (total.n > 0).then(|| Figures {
            respondents: total.n,
            useful: total.useful as f64 / total.n as f64,
            fit: total.fit as f64 / total.n as f64,
            suited: total.suited as f64 / total.n as f64,
        })
    }

    /// How many in the unit chose each topic, when the unit's total is shown.
    pub fn topics(&self, unit: usize) -> Option<Vec<(Topic, u64)>> {
        self.cell(unit, None, None)?;
        let x = self.sums(unit, None, None);
        Some(Topic::ALL.iter().copied().zip(x.topics).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(useful: u8, fit: u8) -> Answer {
        Answer {
            useful,
            fit,
            topics: BTreeSet::new(),
        }
    }

    #[test]
    fn a_form_needs_both_ratings_and_known_topics() {
        let ok = Answer::parse("4", "5", ["vision", "first_step"]).expect("value");
        assert_eq!(ok.useful, 4);
        assert!(ok.suited());
        assert_eq!(ok.topics.len(), 2);
        assert!(Answer::parse("4", "2", []).is_ok_and(|a| !a.suited()));
        assert_eq!(
            Answer::parse("", "6", ["vision"]).expect_err("refused"),
            vec![AnswerError::Useful, AnswerError::Fit]
        );
        assert_eq!(
            Answer::parse("3", "3", ["vision", "salary", "x"]).expect_err("refused"),
            vec![AnswerError::Topic]
        );
        assert!(Answer::parse("0", "3", []).is_err());
        assert!(Answer::parse("3.5", "3", []).is_err());
    }

    #[test]
    fn answers_open_when_the_session_ends_and_close_thirty_days_later() {
        let end = chrono::DateTime::parse_from_rfc3339("2026-06-01T08:00:00Z")
            .expect("value")
            .to_utc();
        assert_eq!(
            window(end, end - chrono::Duration::minutes(1)),
            Window::NotYet
        );
        assert!(matches!(window(end, end), Window::Open(_)));
        assert!(matches!(
            window(end, end + chrono::Duration::days(30)),
            Window::Open(_)
        ));
        assert_eq!(
            window(
                end,
                end + chrono::Duration::days(30) + chrono::Duration::seconds(1)
            ),
            Window::Closed
        );
    }

    #[test]
    fn the_report_shows_cells_of_k_and_hides_a_lone_mismatch() {
        // Programme 0: 6 energetic people with an energetic instructor, and one calm
        // person placed there too. Programme 1: 5 calm with a calm instructor.
        let mut rows: Vec<Placed> = (0..6)
            .map(|_| Placed {
                programme: 0,
                style: Style::Energetic,
                segment: Style::Energetic,
                answer: answer(4, 5),
            })
            .collect();
        rows.push(Placed {
            programme: 0,
            style: Style::Energetic,
            segment: Style::Calm,
            answer: answer(1, 1),
        });
        rows.extend((0..5).map(|_| Placed {
            programme: 1,
            style: Style::Calm,
            segment: Style::Calm,
            answer: answer(3, 4),
        }));
        let r = Report::new(2, &rows, 5);
        let (e, c) = (Some(Style::Energetic), Some(Style::Calm));
        assert!(r.cell(1, e, c).is_none());
        // The lone calm person's answer cannot be worked out: along the programme's
        // energetic-style row and its calm-segment column, and from its total, something
        // besides that cell is hidden too.
        assert!(r.cell(1, e, None).is_none() || r.cell(1, e, e).is_none());
        assert!(r.cell(1, None, c).is_none() || r.cell(1, c, c).is_none());
        assert!(r.cell(1, None, None).is_none() || r.cell(1, None, e).is_none());
        assert!(r.fit_holds(1, false).is_none());
        // Nor from the company minus the other programme.
        assert!(r.cell(0, e, c).is_none());
        // The programme's seven may be shown as a whole; its cells stay protected.
        assert!(r.cell(1, e, e).is_none());
        // Five calm people with a calm instructor, alone, are shown in full.
        let calm: Vec<Placed> = rows
            .into_iter()
            .filter(|x| x.programme == 1)
            .map(|x| Placed { programme: 0, ..x })
            .collect();
        let r = Report::new(1, &calm, 5);
        let cc = r.cell(1, c, c).expect("value");
        assert_eq!(
            (cc.respondents, cc.fit, cc.useful, cc.suited),
            (5, 4.0, 3.0, 1.0)
        );
        assert_eq!(r.fit_holds(1, true).expect("value").respondents, 5);
        assert!(r.fit_holds(1, false).is_none());
        assert_eq!(r.topics(0).expect("value").len(), Topic::ALL.len());
    }

    fn arb_rows() -> impl Strategy<Value = (usize, Vec<Placed>)> {
        (1usize..4).prop_flat_map(|p| {
            (
                Just(p),
                proptest::collection::vec((0..p, 0usize..2, 0usize..2, 1u8..=5, 1u8..=5), 0..40)
                    .prop_map(|v| {
                        v.into_iter()
                            .map(|(programme, s, g, useful, fit)| Placed {
                                programme,
                                style: STYLES[s],
                                segment: STYLES[g],
                                answer: answer(useful, fit),
                            })
                            .collect()
                    }),
            )
        })
    }

    proptest! {
        /// No cell of fewer than k respondents is ever shown, in any view, and the fit
        /// comparison appears only where its parts do.
        #[test]
        fn no_view_shows_fewer_than_k((p, rows) in arb_rows(), k in 3u64..7) {
            let r = Report::new(p, &rows, k);
            let all = [None, Some(Style::Energetic), Some(Style::Calm)];
            for unit in 0..=p {
                for s in all {
                    for g in all {
                        if let Some(f) = r.cell(unit, s, g) {
                            prop_assert!(f.respondents >= k);
                        }
                    }
                }
                for matched in [true, false] {
                    if let Some(f) = r.fit_holds(unit, matched) {
                        prop_assert!(f.respondents >= k);
                        for s in STYLES {
                            for g in STYLES {
                                if (s == g) == matched {
                                    let n = rows.iter().filter(|x| (unit == 0 || x.programme + 1 == unit) && x.style == s && x.segment == g).count();
                                    prop_assert!(n == 0 || n as u64 >= k);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
