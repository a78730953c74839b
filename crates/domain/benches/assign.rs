//! Instructor assignment and workshop grouping for a cohort (issue 6's bars: 300 people
//! over 10 sessions in < 50 ms; 5,000 over 100 sessions in < 2 s).
//!
//! `cargo bench -p domain --bench assign` — prints the median and the slowest of 21 runs
//! of assignment plus grouping of every session (groups of 4–6).

use domain::training::{Member, Session, Style, assign, group};
use std::time::{Duration, Instant};

/// A deterministic cohort: segments and anchor profiles from a simple generator.
fn cohort(people: usize, sessions: usize) -> (Vec<Style>, Vec<Member>, Vec<Session>) {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let segments = (0..people)
        .map(|_| {
            if next() % 5 < 2 {
                Style::Energetic
            } else {
                Style::Calm
            }
        })
        .collect();
    let members = (0..people)
        .map(|_| {
            let mut scores = [0.0; 8];
            for s in &mut scores {
                *s = 1.0 + (next() % 70) as f64 / 10.0;
            }
            Member { scores }
        })
        .collect();
    let capacity = people.div_ceil(sessions) + 2;
    let rooms = (0..sessions)
        .map(|i| Session {
            id: i as i64 + 1,
            style: if i % 3 == 0 {
                Style::Energetic
            } else {
                Style::Calm
            },
            capacity,
        })
        .collect();
    (segments, members, rooms)
}

fn run(people: usize, sessions: usize) -> Duration {
    let (segments, members, rooms) = cohort(people, sessions);
    let start = Instant::now();
    let a = assign(&segments, &rooms, &[]);
    for r in &rooms {
        let inside: Vec<Member> = a
            .placed
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == Some(r.id))
            .map(|(i, _)| members[i].clone())
            .collect();
        let _ = std::hint::black_box(group(&inside, 4, 6));
    }
    std::hint::black_box(&a);
    start.elapsed()
}

fn main() {
    for (people, sessions, bar) in [(300, 10, 50), (5_000, 100, 2_000)] {
        let mut times: Vec<Duration> = (0..21).map(|_| run(people, sessions)).collect();
        times.sort();
        println!(
            "{people} people over {sessions} sessions: median {:.2} ms, slowest {:.2} ms (bar {bar} ms)",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
        );
    }
}
