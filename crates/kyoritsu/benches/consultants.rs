//! Consultant matching at the size of a large pool (issue 17's bars: keyword search
//! p95 < 30 ms at 100,000 profiles with 64 concurrent clients over HTTP).
//!
//! `cargo bench -p kyoritsu --bench consultants` — settings from the environment:
//! `KYORITSU_BENCH_CONSULTANTS` (default 100000), `KYORITSU_BENCH_CLIENTS` (default 64),
//! `KYORITSU_BENCH_REQUESTS` (per query and client count, default 640),
//! `KYORITSU_BENCH_ENGINES` (default `sqlite,postgres`) and `KYORITSU_TEST_PG_URL`.
//!
//! A demo company of 1,000 people gets a pool of generated consultants (the demo's
//! generator); each query is sent through the JSON API by one client alone and by the
//! concurrent clients together (closed loop), with the employee's token. Reported: p50
//! and p95 in milliseconds, requests per second under load; and the time to build the
//! keyword index, and the ten proposals over HTTP (which read every profile).

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/mod.rs"]
mod common;
use common::{env_or, measure, percentile, serve};

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'=' | b'&' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let consultants: usize = env_or("KYORITSU_BENCH_CONSULTANTS", 100_000);
    let clients: usize = env_or("KYORITSU_BENCH_CLIENTS", 64);
    let requests: usize = env_or("KYORITSU_BENCH_REQUESTS", 640);
    let engines: String = env_or("KYORITSU_BENCH_ENGINES", "sqlite,postgres".to_string());
    for engine in engines.split(',').map(str::trim) {
        let db = match engine {
            "sqlite" => store::testing::TestDb::sqlite().await,
            _ => store::testing::TestDb::postgres().await,
        };
        kyoritsu::cli::create_demo(&db.store, 1_000, 7, false)
            .await
            .expect("demo company");
        let tenant = db
            .store
            .tenant_by_slug("demo")
            .await
            .expect("tenant")
            .expect("demo");
        let t = Instant::now();
        let pool = kyoritsu::demo::consultants::generate(consultants, 1);
        db.store
            .save_consultants(tenant.id, &pool)
            .await
            .expect("pool");
        println!(
            "{engine}: {consultants} consultants written in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let employee = db
            .store
            .user_by_email(
                tenant.id,
                &domain::EmailAddress::parse("employee@demo.example.jp").expect("email"),
            )
            .await
            .expect("q")
            .expect("employee");
        let (_, token) = db
            .store
            .create_token(tenant.id, employee.id, "bench")
            .await
            .expect("token");
        let base = serve(db.store.clone()).await;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .expect("client");
        // The first search builds the index.
        let t = Instant::now();
        let _ = measure(
            &http,
            Some(&token),
            &format!("{base}/api/v1/consultants?q=x"),
            1,
            1,
        )
        .await;
        println!(
            "{engine}: keyword index of {consultants} profiles built (first search) in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        let surname = pool[consultants / 2]
            .profile
            .kana
            .split(' ')
            .next()
            .unwrap_or("タナカ")
            .chars()
            .map(|c| char::from_u32(c as u32 - 0x60).unwrap_or(c))
            .collect::<String>();
        let queries: Vec<(String, String)> = vec![
            ("介護 (kanji)".into(), format!("q={}", encode("介護"))),
            (
                format!("{surname} (hiragana surname)"),
                format!("q={}", encode(&surname)),
            ),
            (
                "製造 営業 (two words)".into(),
                format!("q={}", encode("製造 営業")),
            ),
            (
                "介護 + theme + style".into(),
                format!("q={}&theme=care_and_work&style=listen", encode("介護")),
            ),
            (
                "theme + style, no words".into(),
                "theme=relearning&style=advise".into(),
            ),
            (
                "介護, free slots only".into(),
                format!("q={}&free=true", encode("介護")),
            ),
            ("no match".into(), "q=zzzz".into()),
        ];
        println!(
            "{:<34} {:>9} {:>9} {:>11} {:>11} {:>9}",
            "query", "1 p50 ms", "1 p95 ms", "64 p50 ms", "64 p95 ms", "req/s"
        );
        for (name, q) in &queries {
            let url = format!("{base}/api/v1/consultants?{q}");
            let _ = measure(&http, Some(&token), &url, 1, 3).await;
            let alone = measure(&http, Some(&token), &url, 1, 200).await;
            let t = Instant::now();
            let loaded = measure(&http, Some(&token), &url, clients, requests).await;
            let rate = loaded.len() as f64 / t.elapsed().as_secs_f64();
            println!(
                "{:<34} {:>9.1} {:>9.1} {:>11.1} {:>11.1} {:>9.0}",
                name,
                percentile(&alone, 0.5),
                percentile(&alone, 0.95),
                percentile(&loaded, 0.5),
                percentile(&loaded, 0.95),
                rate
            );
        }
        let url = format!("{base}/api/v1/me/consultant-proposals");
        let alone = measure(&http, Some(&token), &url, 1, 20).await;
        println!(
            "{:<34} {:>9.1} {:>9.1}   (one client; reads every profile)",
            "ten proposals over HTTP",
            percentile(&alone, 0.5),
            percentile(&alone, 0.95)
        );
    }
}
