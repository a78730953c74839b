//! Directory search, org tree and HR pages at the size of the largest Japanese groups:
//! latency of the real router over HTTP, signed in as HR, on each engine.
//!
//! `cargo bench -p kyoritsu --bench pages` — settings from the environment:
//! `KYORITSU_BENCH_EMPLOYEES` (default 300000), `KYORITSU_BENCH_CLIENTS` (concurrent
//! clients, default 64), `KYORITSU_BENCH_REQUESTS` (requests per page and client count,
//! default 640), `KYORITSU_BENCH_ENGINES` (default `sqlite,postgres`) and
//! `KYORITSU_TEST_PG_URL` (see `store::testing`); `KYORITSU_BENCH_PAGES` measures only the
//! pages whose name contains it; `KYORITSU_BENCH_HISTORY=1` gives the company ten years of
//! history first (`demo-data --history`); `KYORITSU_BENCH_DATABASE_SQLITE` /
//! `KYORITSU_BENCH_DATABASE_POSTGRES` measure a database made earlier instead
//! (`KYORITSU_BENCH_COUNT=0` then skips counting its reports and KPIs again; `=2` counts
//! only the current year's KPIs and themes).
//!
//! Each page is measured twice: by one client alone (200 requests; the latency a person sees on a quiet
//! system) and by the concurrent clients together (closed loop: each sends its next
//! request when the last one is answered). Reported: p50 and p95 in milliseconds, and
//! requests per second under load.

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/mod.rs"]
mod common;
use common::{env_or, measure, percentile, serve, signed_in};

#[tokio::main]
async fn main() {
    let employees: usize = env_or("KYORITSU_BENCH_EMPLOYEES", 300_000);
    let clients: usize = env_or("KYORITSU_BENCH_CLIENTS", 64);
    let requests: usize = env_or("KYORITSU_BENCH_REQUESTS", 640);
    let engines: String = env_or("KYORITSU_BENCH_ENGINES", "sqlite,postgres".to_string());
    for engine in engines.split(',').map(str::trim) {
        // A database made earlier (e.g. by `kyoritsu demo-data --employees 300000
        // --history`) instead of a new company: KYORITSU_BENCH_DATABASE_<ENGINE>.
        let reuse: String = env_or(
            &format!("KYORITSU_BENCH_DATABASE_{}", engine.to_uppercase()),
            String::new(),
        );
        let (store, _db) = if reuse.is_empty() {
            let db = match engine {
                "sqlite" => store::testing::TestDb::sqlite().await,
                _ => store::testing::TestDb::postgres().await,
            };
            (db.store.clone(), Some(db))
        } else {
            let store = store::Store::open_migrated(&reuse).await.expect("database");
            (store, None)
        };
        if reuse.is_empty() {
            let t = Instant::now();
            kyoritsu::cli::create_demo(&store, employees, 7, false)
                .await
                .expect("demo company");
            println!(
                "{engine}: demo company of {employees} people in {:.1} s",
                t.elapsed().as_secs_f64()
            );
        } else {
            println!("{engine}: the company in {reuse}");
        }
        if reuse.is_empty() && env_or("KYORITSU_BENCH_HISTORY", 0u8) == 1 {
            let t = Instant::now();
            let tenant = store
                .tenant_by_slug("demo")
                .await
                .expect("tenant")
                .expect("demo");
            let written = kyoritsu::demo::history::seed(
                &store,
                tenant.id,
                &tenant.settings.calendar,
                domain::japan_time::japan_date(chrono::Utc::now()),
                &|s: &str| println!("{engine}: history: {s}"),
            )
            .await
            .expect("history");
            println!(
                "{engine}: ten years of history in {:.1} s: {written:?}",
                t.elapsed().as_secs_f64()
            );
        }
        let tenant = store
            .tenant_by_slug("demo")
            .await
            .expect("tenant")
            .expect("demo");
        let t = Instant::now();
        let top = store
            .department_children(tenant.id, None)
            .await
            .expect("tree");
        println!(
            "{engine}: in-memory directory built in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        let some_unit = store
            .department_children(tenant.id, Some(top[0].department.id))
            .await
            .expect("tree")[0]
            .department
            .id;
        let someone = store
            .person_by_number(tenant.id, &format!("E{:07}", employees / 2))
            .await
            .expect("person")
            .expect("exists")
            .id;
        let this_fy = tenant
            .settings
            .calendar
            .fiscal_year_of(domain::japan_time::japan_date(chrono::Utc::now()))
            .0;
        // Counting each closed survey's organisation report (what the worker does when a
        // survey closes), then recounting one fiscal year's KPIs (what it does when a
        // year is due). KYORITSU_BENCH_COUNT=0 skips both on a database counted before.
        // KYORITSU_BENCH_COUNT=2 counts only the current year's KPIs and themes (to
        // profile one year's counting).
        let counting = env_or("KYORITSU_BENCH_COUNT", 1u8);
        let count = counting == 1;
        let today = domain::japan_time::japan_date(chrono::Utc::now());
        let surveys = store.survey_list(tenant.id).await.expect("surveys");
        for s in surveys.iter().filter(|s| count && !s.is_open(today)) {
            let t = Instant::now();
            app::report_store::count_survey(&store, tenant.id, s, chrono::Utc::now())
                .await
                .expect("org report");
            println!(
                "{engine}: organisation report of survey {} (FY{} {:?}) counted in {:.2} s",
                s.id,
                s.fiscal_year,
                s.kind,
                t.elapsed().as_secs_f64()
            );
        }
        let years = match counting {
            1 => app::kpi::TREND_YEARS,
            2 => 1,
            _ => 0,
        };
        // A year's aggregates (its KPIs and its concern themes), counted side by side
        // as the worker counts them: the wall-clock time is the year's recount.
        for fy in ((this_fy - years + 1)..=this_fy).rev() {
            let t = Instant::now();
            let (kpi, themes) = tokio::try_join!(
                async {
                    app::kpi::refresh(&store, tenant.id, fy, chrono::Utc::now())
                        .await
                        .map(|_| t.elapsed().as_secs_f64())
                },
                async {
                    app::concerns::count(&store, tenant.id, fy, chrono::Utc::now())
                        .await
                        .map(|_| t.elapsed().as_secs_f64())
                },
            )
            .expect("a year's aggregates");
            println!(
                "{engine}: FY{fy} recounted in {:.2} s (KPIs done at {kpi:.2} s, concern themes at {themes:.2} s)",
                t.elapsed().as_secs_f64()
            );
        }
        let base = serve(store.clone()).await;
        let http = signed_in(&base, "hr@demo.example.jp").await;
        let pages: Vec<(&str, String)> = vec![
            ("HR home /programmes", "/programmes".into()),
            ("search 佐藤", "/people?q=%E4%BD%90%E8%97%A4".into()),
            (
                "search さとう (kana)",
                "/people?q=%E3%81%95%E3%81%A8%E3%81%86".into(),
            ),
            (
                "search 佐藤 第一課 (two words)",
                "/people?q=%E4%BD%90%E8%97%A4+%E7%AC%AC%E4%B8%80%E8%AA%B2".into(),
            ),
            (
                "search employee number",
                format!("/people?q=E{:07}", employees / 3),
            ),
            ("search, no match", "/people?q=zzzz".into()),
            ("directory page 100", "/people?page=100".into()),
            ("org tree /org", "/org".into()),
            ("org subtree (htmx)", format!("/org/{some_unit}/children")),
            ("profile", format!("/people/{someone}")),
            // The listening pages: KPIs read from the stored counts (the first request
            // of a year counts it), the organisation report of the last closed survey.
            ("KPI /kpi this year", "/kpi".into()),
            ("KPI /kpi last year", format!("/kpi?fy={}", this_fy - 1)),
            (
                "KPI /kpi a unit",
                format!("/kpi?unit={}", top[0].department.id),
            ),
            ("KPI org report", "/org-report".into()),
            ("KPI org report by age", "/org-report?by=age".into()),
            ("KPI org report themes", "/org-report/themes".into()),
            ("KPI /autonomy", "/autonomy".into()),
        ];
        println!(
            "{:<32} {:>9} {:>9} {:>11} {:>11} {:>9}",
            "page",
            "1 p50 ms",
            "1 p95 ms",
            format!("{clients} p50 ms"),
            format!("{clients} p95 ms"),
            "req/s"
        );
        let only: String = env_or("KYORITSU_BENCH_PAGES", String::new());
        for (name, path) in pages.iter().filter(|(n, _)| n.contains(only.as_str())) {
            let url = format!("{base}{path}");
            // Warm-up: the first request after a change builds the directory (and counts
            // a year's KPIs).
            let t = Instant::now();
            let _ = measure(&http, None, &url, 1, 1).await;
            let first = t.elapsed().as_secs_f64();
            if first > 1.0 {
                println!("{name}: first request {first:.1} s");
            }
            let _ = measure(&http, None, &url, 1, 2).await;
            let alone = measure(&http, None, &url, 1, 200).await;
            let t = Instant::now();
            let loaded = measure(&http, None, &url, clients, requests).await;
            let rate = loaded.len() as f64 / t.elapsed().as_secs_f64();
            println!(
                "{:<32} {:>9.1} {:>9.1} {:>11.1} {:>11.1} {:>9.0}",
                name,
                percentile(&alone, 0.5),
                percentile(&alone, 0.95),
                percentile(&loaded, 0.5),
                percentile(&loaded, 0.95),
                rate
            );
        }
    }
}
