//! The commitment checks (`domain::commitment`) against hand-labelled statements, read
//! three ways — as the product judges (the rules on the analysed sentence, lindera over
//! IPADIC, with the second opinion on objectivity learned from the labelled examples),
//! by the rules alone, and by the word lists alone (the fallback when the dictionary is
//! missing):
//! - the development set: the labelled examples the rules were tuned on and the model
//!   learns from (`domain::commitment::learned::examples`, in
//!   `crates/domain/src/commitment/examples/`: the first set and five former held-out
//!   sets, each measured untouched and only then read — see their headers). The model's
//!   figure on it is cross-validated;
//! - the held-out test set, never tuned on and never learned from: three sets written in
//!   turn, each before the checks ever ran on it — `fixtures/commitments_heldout.tsv`
//!   (the sixth), `…_7.tsv` and `…_8.tsv` (see their headers). Their misses are printed
//!   only when the bar is missed, so nobody tunes on them by accident.
//!
//! `cargo test -p morph --test commitments -- --nocapture` prints every figure.

use domain::commitment::learned::{self, Example, Model};
use domain::commitment::{Check, check, check_read, check_with};
use morph::Analyser;
use std::path::Path;
use std::sync::OnceLock;

/// The held-out test set: never learned from, never tuned on.
fn held_out() -> Vec<Example> {
    learned::parse_examples(include_str!("fixtures/commitments_heldout.tsv"))
}

/// The seventh held-out set, written after the learned opinion was built to confirm the
/// sixth's figure: never learned from, never tuned on.
fn seventh() -> Vec<Example> {
    learned::parse_examples(include_str!("fixtures/commitments_heldout_7.tsv"))
}

fn analyser() -> &'static Analyser {
    static A: OnceLock<Analyser> = OnceLock::new();
    A.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("kyoritsu-ipadic-checks-{}", std::process::id()));
        let a = Analyser::open_or_build(&dir, Path::new(morph::DEBIAN_SOURCE))
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::remove_dir_all(&dir);
        a
    })
}

/// The model the product learns from every labelled example (`app::language`).
fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::from_examples(&learned::examples(), analyser()))
}

/// Both checks as the product makes them: the rules on the analysed sentence with the
/// learned second opinion.
fn product(text: &str) -> Check {
    check_read(text, Some(analyser()), Some(model()))
}

/// How a set is judged.
#[derive(Clone, Copy)]
enum Judge<'a> {
    /// The word lists alone (no dictionary).
    WordLists,
    /// The rules on the analysed sentence, without the learned opinion.
    Rules,
    /// The rules with the opinion of `model`.
    Learned(&'a Model),
}

struct Figures {
    total: usize,
    both: usize,
    objective: usize,
    start: usize,
    misses: Vec<String>,
}

impl Figures {
    fn pct(n: usize, total: usize) -> f64 {
        n as f64 / total as f64 * 100.0
    }

    fn accuracy(&self) -> f64 {
        Self::pct(self.both, self.total)
    }

    fn line(&self, name: &str) -> String {
        format!(
            "commitment checks, {name}: {}/{} statements right on both checks ({:.1} %); \
             objectivity {:.1} %, start {:.1} %",
            self.both,
            self.total,
            self.accuracy(),
            Self::pct(self.objective, self.total),
            Self::pct(self.start, self.total),
        )
    }
}

fn judge(examples: &[Example], how: Judge) -> Figures {
    let mut f = Figures {
        total: 0,
        both: 0,
        objective: 0,
        start: 0,
        misses: Vec::new(),
    };
    for e in examples {
        let text = e.statement.as_str();
        let expected = (e.objective, e.has_start);
        let c = match how {
            Judge::WordLists => check(text),
            Judge::Rules => check_with(text, Some(analyser())),
            Judge::Learned(m) => check_read(text, Some(analyser()), Some(m)),
        };
        f.total += 1;
        f.objective += usize::from(c.objective == expected.0);
        f.start += usize::from(c.has_start == expected.1);
        if (c.objective, c.has_start) == expected {
            f.both += 1;
        } else {
            f.misses.push(format!(
                "  {text}: expected objective={} has_start={}, got {} {} {:?}",
                expected.0, expected.1, c.objective, c.has_start, c.reasons
            ));
        }
    }
    f
}

/// The development set judged as the product judges, each tenth by a model learned from
/// the other nine (10-fold cross-validation: the model is never judged on what it learned).
fn cross_validated(examples: &[Example]) -> Figures {
    let mut all = Figures {
        total: 0,
        both: 0,
        objective: 0,
        start: 0,
        misses: Vec::new(),
    };
    for fold in 0..10 {
        let (test, train): (Vec<_>, Vec<_>) = examples
            .iter()
            .enumerate()
            .partition(|(i, _)| i % 10 == fold);
        let train: Vec<Example> = train.into_iter().map(|(_, e)| e.clone()).collect();
        let test: Vec<Example> = test.into_iter().map(|(_, e)| e.clone()).collect();
        let m = Model::from_examples(&train, analyser());
        let f = judge(&test, Judge::Learned(&m));
        all.total += f.total;
        all.both += f.both;
        all.objective += f.objective;
        all.start += f.start;
        all.misses.extend(f.misses);
    }
    all
}

#[test]
fn the_analysed_checks_agree_with_the_development_set() {
    let dev = learned::examples();
    let rules = judge(&dev, Judge::Rules);
    println!(
        "{}",
        rules.line("development set, rules alone (tuned on it)")
    );
    let f = cross_validated(&dev);
    println!(
        "{}",
        f.line("development set, rules with the learned opinion (10-fold cross-validation)")
    );
    for m in &f.misses {
        println!("{m}");
    }
    assert!(
        f.total >= 150,
        "the development set must hold at least 150 statements"
    );
    assert!(
        f.accuracy() >= 95.0 && rules.accuracy() >= 95.0,
        "{}:\n{}",
        f.line("development set"),
        f.misses.join("\n")
    );
}

/// Issue 22's bar: both checks right on 95 % of the statements never tuned on (the three
/// held-out sets together), as the product judges.
const BAR: f64 = 95.0;

/// Each held-out set so far was measured untouched; the first five were then read and
/// tuned on once the next had been written (the rules' figures on each while it was
/// held out): first 87.1 %; second 80.1 %, then 87.8 % with the first tuned on; third
/// 80.0 % → 82.9 %; fourth 78.2 % → 84.6 %; fifth 86.9 % → 87.6 %; sixth 86.8 % → 88.1 %.
/// With the learned second opinion (`domain::commitment::learned`, its policy chosen on
/// the five former held-out sets, never on these), each set's first figure as the
/// product judges is its floor: the sixth 96.0 %, the seventh 94.2 %, the eighth 96.8 %.
fn held_out_sets() -> [(&'static str, Vec<Example>, f64); 3] {
    [
        ("sixth", held_out(), 96.0),
        ("seventh", seventh(), 94.0),
        (
            "eighth",
            learned::parse_examples(include_str!("fixtures/commitments_heldout_8.tsv")),
            96.5,
        ),
    ]
}

/// The rules alone on the sixth held-out set may not fall below their last figure.
const HELD_OUT_RULES_FLOOR: f64 = 88.0;

#[test]
fn the_analysed_checks_agree_with_the_held_out_sets() {
    let mut all = Vec::new();
    for (name, set, floor) in held_out_sets() {
        let rules = judge(&set, Judge::Rules);
        println!(
            "{}",
            rules.line(&format!(
                "{name} held-out set (never tuned on), rules alone"
            ))
        );
        let f = judge(&set, Judge::Learned(model()));
        println!(
            "{}",
            f.line(&format!(
                "{name} held-out set (never tuned on), rules with the learned opinion"
            ))
        );
        assert!(
            f.total >= 150,
            "the {name} set holds at least 150 statements"
        );
        assert!(f.accuracy() >= floor, "{}", f.line(name));
        if name == "sixth" {
            assert!(
                rules.accuracy() >= HELD_OUT_RULES_FLOOR,
                "{}",
                rules.line("sixth, rules alone")
            );
        }
        all.extend(set);
    }
    let f = judge(&all, Judge::Learned(model()));
    println!(
        "{}",
        f.line("the held-out sets together (never tuned on), as the product judges")
    );
    // Misses are printed only when the bar is missed, so nobody tunes on them by accident.
    assert!(
        f.accuracy() >= BAR,
        "{}:\n{}",
        f.line("held-out sets"),
        f.misses.join("\n")
    );
}

/// Without the dictionary the word lists answer as before issue 22 (a start only for an
/// objective statement): their figures on both sets (69.1 % and 61.6 % when measured),
/// kept from falling.
#[test]
fn the_word_lists_still_answer_without_a_dictionary() {
    let dev = judge(&learned::examples(), Judge::WordLists);
    let held = judge(&held_out(), Judge::WordLists);
    println!("{}", dev.line("development set, word lists only"));
    println!("{}", held.line("held-out test set, word lists only"));
    assert!(dev.accuracy() >= 69.0, "{}", dev.misses.join("\n"));
    assert!(
        held.accuracy() >= 61.0,
        "{}",
        held.line("held-out, word lists")
    );
}

/// DOMAIN.md's four examples, exactly.
#[test]
fn the_seed_examples_are_exact() {
    for (text, objective, has_start) in [
        ("後輩から頼られる存在になります", false, false),
        ("1年以内にTOEICの点数を100点上げます", true, false),
        (
            "6月30日までに英会話スクールに申し込んで通い始めます",
            true,
            true,
        ),
        (
            "期末の一ヶ月前に、経理経験2年未満の社員を集めて決算の勉強会を開きます",
            true,
            true,
        ),
    ] {
        for c in [
            product(text),
            check_with(text, Some(analyser())),
            check(text),
        ] {
            assert_eq!(
                (c.objective, c.has_start),
                (objective, has_start),
                "{text}: {c:?}"
            );
        }
    }
}

/// Each failing check names the phrase that failed and rephrases from the person's own
/// object and verb; a statement with a start but no observable act fails only on
/// objectivity, and its reasons say so.
#[test]
fn explanations_quote_and_rephrase_the_persons_own_words() {
    use domain::commitment::Reason;
    let c = product("同僚との関係をより良くします");
    assert_eq!(
        c.reasons.first(),
        Some(&Reason::Unmeasured {
            word: "関係をより良くします".into()
        }),
        "{c:?}"
    );
    assert_eq!(
        c.suggestion.as_ref().map(|s| s.core.as_str()),
        Some("関係を良くする")
    );

    let c = product("後輩から頼られる存在になります");
    assert_eq!(
        c.reasons.first(),
        Some(&Reason::State {
            word: "存在になります".into()
        })
    );
    assert_eq!(
        c.suggestion.as_ref().map(|s| s.core.as_str()),
        Some("後輩から頼られる存在になる")
    );

    let c = product("みんなから信頼されるようになります");
    assert_eq!(
        c.reasons.first(),
        Some(&Reason::State {
            word: "信頼されるようになります".into()
        })
    );
    assert_eq!(
        c.suggestion.as_ref().map(|s| s.core.as_str()),
        Some("みんなから信頼されるようになる")
    );

    let c = product("来週から、笑顔で挨拶するよう心がけます");
    assert!(!c.objective && c.has_start, "{c:?}");
    assert_eq!(c.reasons.len(), 1, "only objectivity fails: {c:?}");
    assert!(matches!(&c.reasons[0], Reason::Attitude { word } if word == "心がけます"));

    let c = product("3年以内に独立します");
    assert!(c.objective && !c.has_start, "{c:?}");
    assert!(
        matches!(&c.reasons[0], Reason::DeadlineOnOutcome { deadline } if deadline == "3年以内に"),
        "{c:?}"
    );

    // A quality to create is the goal, quoted whole.
    let c = product("来月から、風通しのよい職場をつくります");
    assert!(!c.objective && c.has_start, "{c:?}");
    assert!(
        matches!(&c.reasons[0], Reason::Attitude { word } if word == "風通しのよい職場をつくります"),
        "{c:?}"
    );
    let s = c.suggestion.expect("a rephrasing");
    assert_eq!(
        (s.key, s.core.as_str()),
        (
            "commitment.suggest.make_observable",
            "風通しのよい職場をつくる"
        )
    );
    // A noun goal without the time it opens with: 「スタッフ一人ひとり」のために.
    let s = product("来月から、スタッフ一人ひとりに目を配ります")
        .suggestion
        .expect("a rephrasing");
    assert_eq!(
        (s.key, s.core.as_str()),
        (
            "commitment.suggest.make_observable_noun",
            "スタッフ一人ひとり"
        )
    );
    // Nothing to quote as a goal: the plain rephrasing.
    let s = product("もっと勉強する").suggestion.expect("a rephrasing");
    assert_eq!(s.key, "commitment.suggest.make_observable_plain");
    // A purpose before a concrete act is not the commitment; the manner of a routine
    // act is.
    assert!(product("リーダーを目指して、来月から社外の講座に通います").objective);
    assert!(!product("明日から、口調に気をつけて会議に出ます").objective);
}

/// Where the rules see an act but the wording is what the labelled statements nobody
/// could check are worded like, the learned opinion fails objectivity, quotes the clause
/// and rephrases it from the person's words; the start check is untouched.
#[test]
fn the_learned_opinion_explains_itself_in_the_persons_words() {
    use domain::commitment::Reason;
    let text = "来週から、経営の視点を持ちます";
    assert!(
        check_with(text, Some(analyser())).objective,
        "the rules pass it"
    );
    let c = product(text);
    assert!(!c.objective && c.has_start, "{c:?}");
    assert_eq!(
        c.reasons,
        vec![Reason::Unobservable {
            word: "経営の視点を持ちます".into()
        }]
    );
    let s = c.suggestion.expect("a rephrasing");
    assert_eq!(
        (s.key, s.core.as_str()),
        ("commitment.suggest.make_observable", "経営の視点を持つ")
    );
    // A plain observable act stays as the rules judge it.
    let c = product("来週の定例会で、新人向けのチェックリストを配ります");
    assert!(c.objective && c.has_start && c.reasons.is_empty(), "{c:?}");
}

/// The held-out sets are never learned from: none of their statements is an example.
#[test]
fn the_held_out_set_is_not_among_the_examples() {
    let examples: std::collections::HashSet<String> = learned::examples()
        .into_iter()
        .map(|e| e.statement)
        .collect();
    let shared: Vec<String> = held_out_sets()
        .into_iter()
        .flat_map(|(_, set, _)| set)
        .map(|e| e.statement)
        .filter(|s| examples.contains(s))
        .collect();
    assert!(shared.is_empty(), "{shared:?}");
}

/// Whatever is typed, the analysed checks answer (and never panic).
#[test]
fn odd_input_never_breaks_the_analysed_checks() {
    for text in [
        "",
        "。",
        "\u{0}\u{0}",
        "ｱｲｳｴｵ１２３",
        "🙂来週から🙂",
        "から",
        "までに",
        "次の",
        "12/",
        "/1に",
        "になります",
        &"来週から資料を配ります。".repeat(40),
    ] {
        let _ = product(text);
        let _ = check_with(text, Some(analyser()));
    }
}
