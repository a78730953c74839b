//! Deciding the suppression of an organisation report's cube (issue 18): units × 6 age
//! bands × 5 grade bands for 300,000 people.
//!
//! `cargo bench -p domain --bench anonymity` — prints the median of 5 runs of
//! `Cube::new` + `Cube::decide(5)` for 2,000 units (fan-out 6, about 150 people a unit)
//! and 20,000 units (about 15 a unit: many small cells, many complementary suppressions).

use domain::anonymity::Cube;
use std::time::{Duration, Instant};

fn run(units: usize, people: usize) -> (Duration, usize) {
    let parent: Vec<Option<usize>> = (0..units)
        .map(|u| if u == 0 { None } else { Some((u - 1) / 6) })
        .collect();
    let mut x: u64 = 7;
    let members = (0..people).map(move |_| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let u = ((x >> 33) % units as u64) as usize;
        (u, ((x >> 20) % 6) as usize, ((x >> 10) % 5) as usize)
    });
    let t = Instant::now();
    let mut cube = Cube::new(parent, 6, 5, members);
    cube.decide(5);
    let took = t.elapsed();
    let shown = (0..units).filter(|&u| cube.shown(u, None, None)).count();
    (took, shown)
}

fn main() {
    // 300,000 answers (a survey's measure), and 15,000 (a concern theme a few raised).
    for (units, people) in [(2_000, 300_000), (20_000, 300_000), (20_000, 15_000)] {
        let mut times = Vec::new();
        let mut shown = 0;
        for _ in 0..5 {
            let (t, s) = run(units, people);
            times.push(t);
            shown = s;
        }
        times.sort();
        println!(
            "anonymity cube: {units} units, {people} people: median {:.1} ms; units shown {shown} of {units}",
            times[2].as_secs_f64() * 1000.0
        );
    }
}
