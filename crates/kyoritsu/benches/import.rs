//! Employee-master import throughput, end to end, against each engine's raw bulk insert of
//! the same rows, measured in the same run.
//!
//! `cargo bench -p kyoritsu --bench import` — settings from the environment:
//! `KYORITSU_BENCH_EMPLOYEES` (default 300000), `KYORITSU_BENCH_RUNS` (default 3),
//! `KYORITSU_BENCH_ENGINES` (default `sqlite,postgres`), and `KYORITSU_TEST_PG_URL` for the
//! PostgreSQL server (default `postgres://postgres@127.0.0.1:5432/postgres`), where the
//! bench creates and drops its own databases.
//!
//! For each run on each engine, on a fresh database:
//! - **raw**: `Store::load_org` of the generated company (departments, people level by
//!   level, ratings; multi-row INSERTs in one transaction, no reading or checking);
//! - **import**: the Shift_JIS CSV exported from that company, from bytes to committed rows
//!   (decode, parse, check every row, diff, write);
//! - **re-import**: the same file again (nothing changes).

use chrono::NaiveDate;
use domain::import::{employees, export, table};
use kyoritsu::demo;
use std::time::{Duration, Instant};
use store::imports::{ImportMeta, ImportOptions, ImportOutcome};
use store::{Store, TenantId};

/// The same allocator as the `kyoritsu` binary, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Fresh {
    store: Store,
    tenant: TenantId,
    cleanup: Box<dyn FnOnce()>,
}

async fn fresh(engine: &str) -> Fresh {
    let db = match engine {
        "sqlite" => store::testing::TestDb::sqlite().await,
        _ => store::testing::TestDb::postgres().await,
    };
    let slug = domain::TenantSlug::parse("bench").expect("slug");
    let tenant = db
        .store
        .create_tenant(&slug, "ベンチマーク株式会社")
        .await
        .expect("tenant")
        .id;
    let store = db.store.clone();
    let url = db.url.clone();
    let pg = engine != "sqlite";
    Fresh {
        store,
        tenant,
        cleanup: Box::new(move || {
            drop(db);
            if pg {
                drop_pg_database(&url);
            }
        }),
    }
}

fn drop_pg_database(url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    let name = name.to_string();
    let admin = store::testing::pg_admin_url();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            use sqlx::Connection;
            if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c)
                    .await;
            }
        });
    })
    .join()
    .ok();
}

async fn import_bytes(store: &Store, tenant: TenantId, bytes: &[u8]) -> usize {
    let table = table::read_table(bytes, &table::ReadOptions::default()).expect("read");
    let existing = store
        .existing_reporting_lines(tenant)
        .await
        .expect("reporting lines");
    let parsed = employees::parse_employees(&table, &existing, false);
    assert!(parsed.errors.is_empty(), "{:?}", &parsed.errors[..1]);
    let meta = ImportMeta {
        actor_email: "bench".into(),
        file_name: "employees.csv".into(),
        ..Default::default()
    };
    match store
        .import_employees(
            tenant,
            &parsed.records,
            &parsed.columns,
            ImportOptions::default(),
            &meta,
        )
        .await
        .expect("import")
    {
        ImportOutcome::Done(s) => s.added_count + s.updated_count,
        ImportOutcome::Rejected(p) => panic!("rejected: {:?}", &p[..1]),
    }
}

#[tokio::main]
async fn main() {
    let employees: usize = env_or("KYORITSU_BENCH_EMPLOYEES", 300_000);
    let runs: usize = env_or("KYORITSU_BENCH_RUNS", 3);
    let engines: String = env_or("KYORITSU_BENCH_ENGINES", "sqlite,postgres".to_string());
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let company = demo::generate(employees, 7, today, &Default::default());
    let org = &company.org;

    // The file: the generated company exported as Shift_JIS CSV.
    let source = fresh("sqlite").await;
    source
        .store
        .load_org(source.tenant, org, &|_| {})
        .await
        .expect("load");
    let (rows, years) = source
        .store
        .export_people(source.tenant)
        .await
        .expect("export");
    let bytes = export::to_csv(
        &rows,
        &years,
        &export::Selection::ALL,
        table::TextEncoding::ShiftJis,
    )
    .expect("csv");
    (source.cleanup)();
    println!(
        "file: {} rows, {} rating years, {:.1} MB Shift_JIS CSV; {} departments, {} ratings",
        rows.len(),
        years.len(),
        bytes.len() as f64 / 1e6,
        org.departments.len(),
        org.ratings.len()
    );

    for engine in engines.split(',').map(str::trim) {
        let (mut raw, mut import, mut reimport) = (Vec::new(), Vec::new(), Vec::new());
        for run in 1..=runs {
            let db = fresh(engine).await;
            let t = Instant::now();
            db.store
                .load_org(db.tenant, org, &|_| {})
                .await
                .expect("raw");
            raw.push(t.elapsed());
            (db.cleanup)();

            let db = fresh(engine).await;
            let t = Instant::now();
            let written = import_bytes(&db.store, db.tenant, &bytes).await;
            import.push(t.elapsed());
            assert_eq!(written, rows.len());
            let t = Instant::now();
            let written = import_bytes(&db.store, db.tenant, &bytes).await;
            reimport.push(t.elapsed());
            assert_eq!(written, 0, "a re-import changes nothing");
            (db.cleanup)();
            println!(
                "{engine} run {run}: raw {:.2} s, import {:.2} s, re-import {:.2} s",
                raw[run - 1].as_secs_f64(),
                import[run - 1].as_secs_f64(),
                reimport[run - 1].as_secs_f64()
            );
        }
        let (raw, import, reimport) = (median(raw), median(import), median(reimport));
        let per_s = |d: Duration| rows.len() as f64 / d.as_secs_f64();
        println!(
            "{engine} median of {runs}: raw bulk insert {:.2} s ({:.0} rows/s); import {:.2} s ({:.0} rows/s, {:.2}× raw); re-import unchanged {:.2} s ({:.0} rows/s)",
            raw.as_secs_f64(),
            per_s(raw),
            import.as_secs_f64(),
            per_s(import),
            import.as_secs_f64() / raw.as_secs_f64(),
            reimport.as_secs_f64(),
            per_s(reimport),
        );
    }
}
