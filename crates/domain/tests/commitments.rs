//! The commitment checks against two hand-labelled sets of statements:
//! - `fixtures/commitments.tsv`, the development set the checks were tuned on;
//! - `fixtures/commitments_heldout.tsv`, the held-out test set, written before the
//!   checks were reworked and never tuned on (see its header).
//!
//! Accuracy (both checks right together, and each check alone) is printed for each set
//! (`cargo test -p domain --test commitments -- --nocapture`).

use domain::commitment::check;

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

    fn print(&self, name: &str) {
        println!(
            "commitment checks, {name}: {}/{} statements right on both checks ({:.1} %); \
             objectivity {:.1} %, start {:.1} %",
            self.both,
            self.total,
            self.accuracy(),
            Self::pct(self.objective, self.total),
            Self::pct(self.start, self.total),
        );
        for m in &self.misses {
            println!("{m}");
        }
    }
}

fn judge(data: &str) -> Figures {
    let mut f = Figures {
        total: 0,
        both: 0,
        objective: 0,
        start: 0,
        misses: Vec::new(),
    };
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.splitn(3, '\t');
        let (Some(o), Some(s), Some(text)) = (cols.next(), cols.next(), cols.next()) else {
            panic!("malformed fixture line: {line}");
        };
        let expected = (o == "1", s == "1");
        let c = check(text);
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
fn the_checks_agree_with_the_development_set() {
    let f = judge(include_str!("fixtures/commitments.tsv"));
    f.print("development set");
    assert!(
        f.total >= 150,
        "the labelled set must hold at least 150 statements"
    );
    assert!(
        f.accuracy() >= 95.0,
        "accuracy {:.1} % is below 95 %:\n{}",
        f.accuracy(),
        f.misses.join("\n")
    );
}

/// 58.8 % was measured on the word-list checks when the held-out set was written (issue
/// 22: objectivity 77.6 %, start 79.4 %); the morphological checks must bring it to
/// 95 %. Until then this only stops it falling.
const HELD_OUT_FLOOR: f64 = 58.0;

#[test]
fn the_checks_agree_with_the_held_out_set() {
    let f = judge(include_str!("fixtures/commitments_heldout.tsv"));
    f.print("held-out test set (never tuned on)");
    assert!(
        f.total >= 150,
        "the held-out set must hold at least 150 statements"
    );
    assert!(
        f.accuracy() >= HELD_OUT_FLOOR,
        "held-out accuracy {:.1} % is below {HELD_OUT_FLOOR} %:\n{}",
        f.accuracy(),
        f.misses.join("\n")
    );
}
