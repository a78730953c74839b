//! Ten proposals from a pool of consultants (issue 17's bars: from 2,000 in < 1 ms and
//! from 100,000 in < 20 ms, p95).
//!
//! `cargo bench -p domain --bench matching` — prints the median and p95 of 201 runs of
//! `domain::matching::propose` (scoring every consultant, then picking ten by maximal
//! marginal relevance) for a wish with two themes, anchors, a style and an industry.

use domain::anchor::Anchor;
use domain::consultant::{AgeBand, Gender, Setting, Style, Theme};
use domain::matching::{Candidate, PROPOSALS, Wish, propose, words};
use std::time::{Duration, Instant};

/// A deterministic pool: themes, style, bands, capacity, slots and ratings from a simple
/// generator.
fn pool(n: usize) -> Vec<Candidate> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let industries = ["製造、小売", "it、金融", "医療・福祉", "建設、物流", "教育"];
    (0..n)
        .map(|i| {
            let count = 1 + (next() % 4) as usize;
            let mut themes: Vec<Theme> = (0..count)
                .map(|_| Theme::ALL[(next() % 10) as usize])
                .collect();
            themes.sort();
            themes.dedup();
            Candidate {
                id: i as i64 + 1,
                themes,
                style: Style::ALL[(next() % 3) as usize],
                age_band: (next() % 5 != 0).then(|| AgeBand::ALL[(next() % 5) as usize]),
                gender: (next() % 3 != 0).then(|| Gender::ALL[(next() % 2) as usize]),
                industries: industries[(next() % 5) as usize].to_string(),
                years_of_practice: (next() % 30) as u8,
                room_this_month: (next() % 10) as u32,
                open_online: (next() % 4) as u32,
                open_in_person: (next() % 3) as u32,
                rating: (next() % 2 == 0)
                    .then(|| (3.0 + (next() % 20) as f64 / 10.0, (next() % 20) as u32)),
            }
        })
        .collect()
}

fn main() {
    let wish = Wish {
        themes: vec![Theme::CareAndWork, Theme::MiddleSenior],
        anchors: vec![Anchor::Lifestyle, Anchor::Service],
        style: Some(Style::Listen),
        age_band: None,
        gender: None,
        industry_words: words("製造"),
        setting: Setting::Either,
    };
    println!("consultants  p50        p95        (201 runs of ten proposals)");
    for n in [2_000, 100_000] {
        let candidates = pool(n);
        let mut times: Vec<Duration> = (0..201)
            .map(|_| {
                let start = Instant::now();
                let ten = propose(&wish, &candidates, PROPOSALS);
                let took = start.elapsed();
                assert_eq!(ten.len(), PROPOSALS);
                took
            })
            .collect();
        times.sort();
        println!(
            "{n:>11}  {:>8.3} ms {:>8.3} ms",
            times[100].as_secs_f64() * 1000.0,
            times[190].as_secs_f64() * 1000.0
        );
    }
}
