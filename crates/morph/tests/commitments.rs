//! The commitment checks (`domain::commitment`) against hand-labelled statements, read
//! both ways — through the analyser (lindera over IPADIC) and by the word lists alone (the
//! fallback when the dictionary is missing):
//! - the development set the checks are tuned on: `fixtures/commitments.tsv` and five
//!   former held-out sets, `fixtures/commitments_former_heldout*.tsv`, each measured
//!   untouched and only then read (see their headers);
//! - `fixtures/commitments_heldout.tsv`, the held-out test set (the sixth), written
//!   before the fifth's misses were read and never tuned on (see its header). Its misses
//!   are shown only when it fails, so nobody tunes on them by accident.
//!
//! `cargo test -p morph --test commitments -- --nocapture` prints every figure.

use domain::commitment::{check, check_with};
use domain::morpheme::Analyse;
use morph::Analyser;
use std::path::Path;
use std::sync::OnceLock;

const DEVELOPMENT: [&str; 6] = [
    include_str!("fixtures/commitments.tsv"),
    include_str!("fixtures/commitments_former_heldout.tsv"),
    include_str!("fixtures/commitments_former_heldout_2.tsv"),
    include_str!("fixtures/commitments_former_heldout_3.tsv"),
    include_str!("fixtures/commitments_former_heldout_4.tsv"),
    include_str!("fixtures/commitments_former_heldout_5.tsv"),
];
const HELD_OUT: [&str; 1] = [include_str!("fixtures/commitments_heldout.tsv")];

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

fn judge(sets: &[&str], reader: Option<&dyn Analyse>) -> Figures {
    let mut f = Figures {
        total: 0,
        both: 0,
        objective: 0,
        start: 0,
        misses: Vec::new(),
    };
    for line in sets
        .iter()
        .flat_map(|data| data.lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.splitn(3, '\t');
        let (Some(o), Some(s), Some(text)) = (cols.next(), cols.next(), cols.next()) else {
            panic!("malformed fixture line: {line}");
        };
        let expected = (o == "1", s == "1");
        let c = match reader {
            Some(r) => check_with(text, Some(r)),
            None => check(text),
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

#[test]
fn the_analysed_checks_agree_with_the_development_set() {
    let f = judge(&DEVELOPMENT, Some(analyser()));
    println!("{}", f.line("development set, analysed"));
    for m in &f.misses {
        println!("{m}");
    }
    assert!(
        f.total >= 150,
        "the development set must hold at least 150 statements"
    );
    assert!(
        f.accuracy() >= 95.0,
        "{}:\n{}",
        f.line("development set"),
        f.misses.join("\n")
    );
}

/// The held-out set's accuracy may not fall below this. Each held-out set so far was
/// measured untouched, then read and tuned on once the next had been written (the
/// figures on each while it was held out):
/// - first: 87.1 %;
/// - second: 80.1 %, then 87.8 % with the first tuned on;
/// - third: 80.0 %, then 82.9 % with the second tuned on;
/// - fourth: 78.2 %, then 84.6 % with the third tuned on;
/// - fifth: 86.9 %, then 87.6 % with the fourth tuned on;
/// - sixth (this one): 86.8 %, then 88.1 % with the fifth tuned on.
///
/// Issue 22 asks 95 %.
const HELD_OUT_FLOOR: f64 = 88.0;

#[test]
fn the_analysed_checks_agree_with_the_held_out_set() {
    let f = judge(&HELD_OUT, Some(analyser()));
    println!("{}", f.line("held-out test set (never tuned on), analysed"));
    assert!(
        f.total >= 150,
        "the held-out set must hold at least 150 statements"
    );
    assert!(
        f.accuracy() >= HELD_OUT_FLOOR,
        "{}:\n{}",
        f.line("held-out test set"),
        f.misses.join("\n")
    );
}

/// Without the dictionary the word lists answer as before issue 22 (a start only for an
/// objective statement): their figures on both sets (69.1 % and 61.6 % when measured),
/// kept from falling.
#[test]
fn the_word_lists_still_answer_without_a_dictionary() {
    let dev = judge(&DEVELOPMENT, None);
    let held = judge(&HELD_OUT, None);
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
        for c in [check_with(text, Some(analyser())), check(text)] {
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
    let c = check_with("同僚との関係をより良くします", Some(analyser()));
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

    let c = check_with("後輩から頼られる存在になります", Some(analyser()));
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

    let c = check_with("みんなから信頼されるようになります", Some(analyser()));
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

    let c = check_with("来週から、笑顔で挨拶するよう心がけます", Some(analyser()));
    assert!(!c.objective && c.has_start, "{c:?}");
    assert_eq!(c.reasons.len(), 1, "only objectivity fails: {c:?}");
    assert!(matches!(&c.reasons[0], Reason::Attitude { word } if word == "心がけます"));

    let c = check_with("3年以内に独立します", Some(analyser()));
    assert!(c.objective && !c.has_start, "{c:?}");
    assert!(
        matches!(&c.reasons[0], Reason::DeadlineOnOutcome { deadline } if deadline == "3年以内に"),
        "{c:?}"
    );

    // A quality to create is the goal, quoted whole.
    let c = check_with("来月から、風通しのよい職場をつくります", Some(analyser()));
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
    let s = check_with(
        "来月から、スタッフ一人ひとりに目を配ります",
        Some(analyser()),
    )
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
    let s = check_with("もっと勉強する", Some(analyser()))
        .suggestion
        .expect("a rephrasing");
    assert_eq!(s.key, "commitment.suggest.make_observable_plain");
    // A purpose before a concrete act is not the commitment; the manner of a routine
    // act is.
    assert!(
        check_with(
            "リーダーを目指して、来月から社外の講座に通います",
            Some(analyser())
        )
        .objective
    );
    assert!(!check_with("明日から、口調に気をつけて会議に出ます", Some(analyser())).objective);
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
        let _ = check_with(text, Some(analyser()));
    }
}
