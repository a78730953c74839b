//! A second opinion on objectivity (客観性), learned from the hand-labelled examples
//! (`examples/`): naive Bayes over what the analyser reads — lemmas, parts of speech,
//! neighbouring lemmas and the last verb. The rules in `analysed` read a sentence's
//! structure (a wish, a state to become, an improvement without a number, a deadline);
//! this model weighs its words against every labelled statement, which is what the rules
//! miss on sentences nobody tuned them on. How the two decide together is
//! [`super::check_reading`]; the figures are in docs/FEATURES.md.
//!
//! Pure and deterministic: the same examples give the same model, the same sentence the
//! same score.

use crate::morpheme::{Analyse, Morpheme};
use std::collections::{BTreeSet, HashMap};

/// Additive smoothing of the counts: a word seen once in one class and never in the
/// other weighs log(1.5 / 0.5) ≈ 1.1 nats, not infinity.
const ALPHA: f64 = 0.5;

/// A hand-labelled statement: its words and both answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub statement: String,
    pub objective: bool,
    pub has_start: bool,
}

/// The labelled statements the product learns from and its rules were developed on
/// (tab-separated `objective  has_start  statement`; `#` lines are comments). Each file's
/// header says where it came from; none of them is ever a test set.
const EXAMPLE_FILES: [&str; 6] = [
    include_str!("examples/commitments.tsv"),
    include_str!("examples/commitments_former_heldout.tsv"),
    include_str!("examples/commitments_former_heldout_2.tsv"),
    include_str!("examples/commitments_former_heldout_3.tsv"),
    include_str!("examples/commitments_former_heldout_4.tsv"),
    include_str!("examples/commitments_former_heldout_5.tsv"),
];

/// Every labelled example, file by file, line by line.
pub fn examples() -> Vec<Example> {
    EXAMPLE_FILES
        .iter()
        .flat_map(|data| parse_examples(data))
        .collect()
}

/// The examples in one labelled file (see [`examples`]); a malformed line is skipped.
pub fn parse_examples(data: &str) -> Vec<Example> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let mut cols = line.splitn(3, '\t');
            let (o, s, text) = (cols.next()?, cols.next()?, cols.next()?);
            Some(Example {
                statement: text.to_string(),
                objective: o == "1",
                has_start: s == "1",
            })
        })
        .collect()
}

/// What the model weighs in a sentence: each word's lemma (numbers as one `NUM`) and part
/// of speech, each pair of neighbouring lemmas, and the last independent verb.
pub fn features(ms: &[Morpheme]) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    for m in ms {
        if m.pos == "記号" {
            continue;
        }
        if m.pos == "名詞" && m.pos1 == "数" {
            f.insert("NUM".to_string());
            continue;
        }
        f.insert(format!("L:{}", m.lemma));
        f.insert(format!("P:{}-{}", m.pos, m.pos1));
    }
    for pair in ms.windows(2) {
        f.insert(format!("B:{}|{}", pair[0].lemma, pair[1].lemma));
    }
    if let Some(v) = ms
        .iter()
        .rev()
        .find(|m| m.pos == "動詞" && m.pos1 == "自立")
    {
        f.insert(format!("LV:{}", v.lemma));
    }
    f
}

/// Naive Bayes over [`features`]: how often each feature appears in objective and in
/// other statements.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Per feature: (statements not objective, objective statements) it appears in.
    counts: HashMap<String, (u32, u32)>,
    /// Statements (not objective, objective).
    n: (u32, u32),
}

impl Model {
    /// Learns from `(morphemes, objective)` pairs.
    pub fn train<'a>(examples: impl IntoIterator<Item = (&'a [Morpheme], bool)>) -> Model {
        let mut model = Model::default();
        for (ms, objective) in examples {
            if objective {
                model.n.1 += 1;
            } else {
                model.n.0 += 1;
            }
            for f in features(ms) {
                let c = model.counts.entry(f).or_default();
                if objective {
                    c.1 += 1;
                } else {
                    c.0 += 1;
                }
            }
        }
        model
    }

    /// Learns from `examples` as `analyser` reads them (as the checks read a sentence).
    pub fn from_examples(examples: &[Example], analyser: &dyn Analyse) -> Model {
        let read: Vec<(Vec<Morpheme>, bool)> = examples
            .iter()
            .map(|e| {
                (
                    analyser.analyse(&super::normalised(&e.statement)),
                    e.objective,
                )
            })
            .collect();
        Model::train(read.iter().map(|(ms, o)| (ms.as_slice(), *o)))
    }

    /// Statements learned from.
    pub fn size(&self) -> u32 {
        self.n.0 + self.n.1
    }

    /// It has learned from both kinds of statement, so its opinion means something.
    pub fn is_usable(&self) -> bool {
        self.n.0 > 0 && self.n.1 > 0
    }

    /// How much `feature` speaks for objectivity (nats; negative: against).
    fn weight(&self, feature: &str) -> f64 {
        let (c0, c1) = self.counts.get(feature).copied().unwrap_or_default();
        let p1 = (f64::from(c1) + ALPHA) / (f64::from(self.n.1) + 2.0 * ALPHA);
        let p0 = (f64::from(c0) + ALPHA) / (f64::from(self.n.0) + 2.0 * ALPHA);
        p1.ln() - p0.ln()
    }

    /// The log-odds that the sentence read as `ms` is objective: above zero, it is.
    pub fn log_odds(&self, ms: &[Morpheme]) -> f64 {
        if !self.is_usable() {
            return 0.0;
        }
        let prior = f64::from(self.n.1).ln() - f64::from(self.n.0).ln();
        prior + features(ms).iter().map(|f| self.weight(f)).sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads words separated by slashes: nouns, and verbs where they end in う-row kana.
    struct Words;
    impl Analyse for Words {
        fn analyse(&self, text: &str) -> Vec<Morpheme> {
            text.split('/')
                .map(|w| {
                    let verb = w.ends_with(['う', 'く', 'す', 'る', 'む']);
                    Morpheme {
                        surface: w.into(),
                        pos: if verb { "動詞" } else { "名詞" }.into(),
                        pos1: if verb { "自立" } else { "一般" }.into(),
                        pos2: "*".into(),
                        form: "*".into(),
                        lemma: w.into(),
                        known: true,
                    }
                })
                .collect()
        }
    }

    fn example(statement: &str, objective: bool) -> Example {
        Example {
            statement: statement.into(),
            objective,
            has_start: false,
        }
    }

    #[test]
    fn words_seen_with_observable_acts_speak_for_objectivity() {
        let train = [
            example("資料/を/配る", true),
            example("会議/を/開く", true),
            example("資料/を/送る", true),
            example("気持ち/を/意識/する", false),
            example("笑顔/を/心がける", false),
        ];
        let m = Model::from_examples(&train, &Words);
        assert_eq!(m.size(), 5);
        assert!(m.log_odds(&Words.analyse("資料/を/配る")) > 0.0);
        assert!(m.log_odds(&Words.analyse("笑顔/を/意識/する")) < 0.0);
        // The same examples, the same score, to the bit.
        let sentence = Words.analyse("会議/で/笑顔/を/配る");
        assert_eq!(
            m.log_odds(&sentence).to_bits(),
            Model::from_examples(&train, &Words)
                .log_odds(&sentence)
                .to_bits()
        );
    }

    #[test]
    fn a_model_that_saw_one_kind_only_has_no_opinion() {
        let m = Model::from_examples(&[example("資料/を/配る", true)], &Words);
        assert!(!m.is_usable());
        assert_eq!(m.log_odds(&Words.analyse("資料/を/配る")), 0.0);
    }

    #[test]
    fn the_labelled_examples_are_all_read() {
        let all = examples();
        assert!(all.len() >= 1000, "{}", all.len());
        assert!(all.iter().any(|e| e.objective) && all.iter().any(|e| !e.objective));
        assert!(all.iter().all(|e| !e.statement.trim().is_empty()));
        // Every line that is not a comment is an example.
        let lines: usize = EXAMPLE_FILES
            .iter()
            .flat_map(|d| d.lines())
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(lines, all.len());
    }
}
