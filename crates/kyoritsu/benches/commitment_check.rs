//! The commitment checks reading Japanese (issue 22's bars: one statement < 1 ms at the
//! median once the dictionary is loaded; the live check on the dialogue page < 50 ms end
//! to end). Reported: the dictionary's build time from Debian's sources, its load time
//! (with the learned objectivity model trained on the labelled examples)
//! and the memory it takes; per statement, the median and p95 of the analysed checks
//! and of the word lists, over every labelled statement; the live check over HTTP
//! (`POST /commitments/check`, one signed-in user, one request at a time), p50 and p95.
//!
//! `cargo bench -p kyoritsu --bench commitment_check` (`KYORITSU_BENCH_ROUNDS`, default
//! 20 passes over the statements; the HTTP part sends 400 checks).

use std::path::Path;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/mod.rs"]
mod common;
use common::{csrf_token as token, env_or, page, percentile, serve, signed_in};

const STATEMENTS: [&str; 2] = [
    include_str!("../../domain/src/commitment/examples/commitments.tsv"),
    include_str!("../../morph/tests/fixtures/commitments_heldout.tsv"),
];

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let rounds: usize = env_or("KYORITSU_BENCH_ROUNDS", 20);
    let source = Path::new(morph::DEBIAN_SOURCE);
    // Loaded first, from the dictionary the tests build (or built now), so the memory
    // figure is the loaded dictionary's alone when it was there already.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ipadic");
    let was_built = morph::is_built(&dir);
    let before = rss_kib();
    let t = Instant::now();
    let status = app::language::load(&dir, source);
    let load = t.elapsed();
    let after = rss_kib();
    assert!(
        matches!(status, app::language::Status::Loaded { .. }),
        "{status:?}"
    );
    println!(
        "dictionary {} and the objectivity model learned in {:.1} ms; resident memory +{} MiB ({} MiB in all)",
        if was_built {
            "loaded"
        } else {
            "built and loaded"
        },
        load.as_secs_f64() * 1000.0,
        after.saturating_sub(before) / 1024,
        after / 1024
    );
    let scratch =
        std::env::temp_dir().join(format!("kyoritsu-bench-ipadic-{}", std::process::id()));
    let t = Instant::now();
    morph::build(source, &scratch).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "dictionary built from {} in {:.2} s",
        source.display(),
        t.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&scratch);
    let statements: Vec<&str> = STATEMENTS
        .iter()
        .flat_map(|f| f.lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .collect();
    for (name, analysed) in [("analysed", true), ("word lists", false)] {
        let mut times = Vec::with_capacity(statements.len() * rounds);
        for _ in 0..rounds {
            for s in &statements {
                let t = Instant::now();
                let c = if analysed {
                    app::language::check(s)
                } else {
                    domain::commitment::check(s)
                };
                times.push(t.elapsed());
                std::hint::black_box(c);
            }
        }
        times.sort();
        println!(
            "one statement, {name}: p50 {:.3} ms, p95 {:.3} ms ({} checks)",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.len()
        );
    }

    // The live check on the dialogue page, over HTTP.
    let db = store::testing::TestDb::sqlite().await;
    kyoritsu::cli::create_demo(&db.store, 300, 1, false)
        .await
        .expect("demo");
    let base = serve(db.store.clone()).await;
    let http = signed_in(&base, "consultant@demo.example.jp").await;
    let home = page(&http, &format!("{base}/dialogues")).await;
    let csrf = token(&home);
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..400 {
        let s = statements[i % statements.len()];
        let t = Instant::now();
        let r = http
            .post(format!("{base}/commitments/check"))
            .form(&[("_csrf", csrf.as_str()), ("commitment.action", s)])
            .send()
            .await
            .expect("check");
        assert!(r.status().is_success(), "{}", r.status());
        let _ = r.text().await;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "live check over HTTP (POST /commitments/check): p50 {:.2} ms, p95 {:.2} ms ({} requests)",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.len()
    );
}
