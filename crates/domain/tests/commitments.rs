//! The commitment checks against a hand-labelled set of statements
//! (`fixtures/commitments.tsv`): accuracy is printed, and the test fails below 95 %.

use domain::commitment::check;

#[test]
fn the_checks_agree_with_the_labelled_statements() {
    let data = include_str!("fixtures/commitments.tsv");
    let mut total = 0;
    let mut right = 0;
    let mut misses = Vec::new();
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
        total += 1;
        if (c.objective, c.has_start) == expected {
            right += 1;
        } else {
            misses.push(format!(
                "  {text}: expected objective={} has_start={}, got {} {} {:?}",
                expected.0, expected.1, c.objective, c.has_start, c.reasons
            ));
        }
    }
    let accuracy = right as f64 / total as f64 * 100.0;
    println!("commitment checks: {right}/{total} labelled statements right ({accuracy:.1} %)");
    for m in &misses {
        println!("{m}");
    }
    assert!(
        total >= 150,
        "the labelled set must hold at least 150 statements"
    );
    assert!(
        accuracy >= 95.0,
        "accuracy {accuracy:.1} % is below 95 %:\n{}",
        misses.join("\n")
    );
}
