//! Concurrent writes over HTTP: employees saving their career sheets at the same moment
//! (`POST /my/career-sheet`, a transaction that reads the latest version, then writes),
//! at 1, 16 and 64 writers, on each engine. Reported: saves per second, p50 and p95 in
//! milliseconds, and the errors (anything but the redirect of a successful save) — which
//! must be 0.
//!
//! `cargo bench -p kyoritsu --bench writes` — settings from the environment:
//! `KYORITSU_BENCH_EMPLOYEES` (the company, default 2000), `KYORITSU_BENCH_SAVES` (saves
//! per concurrency level, default 1280), `KYORITSU_BENCH_ENGINES` (default
//! `sqlite,postgres`) and `KYORITSU_TEST_PG_URL` (see `store::testing`).

use domain::{EmailAddress, PersonId, Role};
use std::time::{Duration, Instant};
use store::users::NewUser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/mod.rs"]
mod common;
use common::{csrf_token as token, env_or, page, percentile, serve, signed_in};

const WRITERS: [usize; 3] = [1, 16, 64];

/// One writer: signed in, with the form token and the version its sheet is at.
struct Writer {
    http: reqwest::Client,
    csrf: String,
    version: i64,
}

async fn writer(base: &str, email: &str) -> Writer {
    let http = signed_in(base, email).await;
    let page = page(&http, &format!("{base}/my/career-sheet")).await;
    let version = page
        .split("name=\"base_version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Writer {
        http,
        csrf: token(&page),
        version,
    }
}

/// Every writer saves `each` times in a row, all at once; the latencies and the errors.
async fn run(base: &str, writers: Vec<Writer>, each: usize) -> (Vec<Duration>, usize, Vec<Writer>) {
    let mut tasks = Vec::new();
    for (i, mut w) in writers.into_iter().enumerate() {
        let url = format!("{base}/my/career-sheet");
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(each);
            let mut errors = 0;
            for n in 0..each {
                let vision = format!("3年後には新規事業の立ち上げを担います（{i}-{n}）");
                let t = Instant::now();
                let r = w
                    .http
                    .post(&url)
                    .form(&[
                        ("_csrf", w.csrf.as_str()),
                        ("base_version", &w.version.to_string()),
                        ("vision", &vision),
                        ("vision_horizon_years", "3"),
                    ])
                    .send()
                    .await;
                times.push(t.elapsed());
                match r {
                    Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => w.version += 1,
                    _ => errors += 1,
                }
            }
            (times, errors, w)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    let mut back = Vec::new();
    for t in tasks {
        let (times, e, w) = t.await.expect("writer");
        all.extend(times);
        errors += e;
        back.push(w);
    }
    all.sort();
    (all, errors, back)
}

#[tokio::main]
async fn main() {
    let employees: usize = env_or("KYORITSU_BENCH_EMPLOYEES", 2000);
    let saves: usize = env_or("KYORITSU_BENCH_SAVES", 1280);
    let engines: String = env_or("KYORITSU_BENCH_ENGINES", "sqlite,postgres".to_string());
    println!("career sheet saves over HTTP, {employees} employees, {saves} saves per level");
    println!("| engine | writers | saves/s | p50 ms | p95 ms | errors |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for engine in engines.split(',') {
        let db = match engine {
            "sqlite" => store::testing::TestDb::sqlite().await,
            _ => store::testing::TestDb::postgres().await,
        };
        let (t, _) = kyoritsu::cli::create_demo(&db.store, employees, 1, false)
            .await
            .expect("demo company");
        // 64 employees of their own, each saving their own sheet.
        let people = db.store.export_people(t.id).await.expect("people").0;
        let mut emails = Vec::new();
        for row in &people {
            if emails.len() == WRITERS[2] {
                break;
            }
            let Some(p) = db
                .store
                .person_by_number(t.id, &row.fixed[0])
                .await
                .expect("person")
            else {
                continue;
            };
            let email = format!("writer{}@bench.example.jp", emails.len());
            let made = db
                .store
                .create_user(
                    t.id,
                    NewUser {
                        email: EmailAddress::parse(&email).expect("email"),
                        name: p.name.clone(),
                        roles: vec![Role::Employee],
                        person_id: Some(PersonId(p.id)),
                        password: Some(kyoritsu::demo::DEMO_PASSWORD.into()),
                    },
                )
                .await;
            if made.is_ok() {
                emails.push(email);
            }
        }
        let base = serve(db.store.clone()).await;
        let mut pool = Vec::new();
        for e in &emails {
            pool.push(writer(&base, e).await);
        }
        for n in WRITERS {
            let writers: Vec<Writer> = pool.drain(..n).collect();
            let started = Instant::now();
            let (times, errors, back) = run(&base, writers, saves / n).await;
            let elapsed = started.elapsed().as_secs_f64();
            pool.splice(0..0, back);
            println!(
                "| {engine} | {n} | {:.0} | {:.1} | {:.1} | {errors} |",
                times.len() as f64 / elapsed,
                percentile(&times, 0.5),
                percentile(&times, 0.95),
            );
        }
        db.store.close().await;
    }
}
