//! KPIダッシュボード: HR reads the company and any unit, a manager their own unit only,
//! nobody else at all; every figure a page, the API or the export shows covers at least k
//! people; the XLSX export is audited. (The figures themselves are recounted from the raw
//! tables in `tests/cli.rs` on both engines.)

use super::*;

app_test!(
    hr_reads_every_unit_and_no_figure_covers_fewer_than_k,
    |app| async move {
        let t = app.demo_tenant().await;
        let k = u64::from(t.settings.anonymity_k);
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, page) = hr.get("/kpi").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("data-testid=\"kpi-cards\""));
        assert!(page.contains("面談実施率"));
        assert!(page.contains("data-testid=\"kpi-table\""), "units listed");
        // HR's home carries this year's figures.
        let (_, home) = hr.get("/programmes").await;
        assert!(home.contains("data-testid=\"home-kpis\""));
        let token = app.token("hr@demo.example.jp").await;
        let (s, d) = app.api(Some(&token), "/api/v1/kpi").await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["whole_company"], true);
        assert_eq!(d["total"]["figures"].as_array().expect("f").len(), 13);
        assert!(page.contains("機会の利用率"), "HR reads opportunity usage");
        assert_eq!(d["trend"].as_array().expect("trend").len(), 10);
        let shown = d["total"]["figures"]
            .as_array()
            .expect("f")
            .iter()
            .filter(|f| f["value"].is_number())
            .count();
        assert!(shown >= 5, "the demo company shows most KPIs: {d}");
        // Every unit, every figure: shown only over k people or more.
        let mut units: Vec<Option<i64>> = vec![None];
        units.extend(
            app.store
                .all_departments(t.id)
                .await
                .expect("q")
                .into_iter()
                .map(|d| Some(d.id)),
        );
        let fy: i32 = app.this_fy().await.parse().expect("fy");
        for year in [fy, fy - 1] {
            for u in &units {
                let path = match u {
                    Some(u) => format!("/api/v1/kpi?fy={year}&unit={u}"),
                    None => format!("/api/v1/kpi?fy={year}"),
                };
                let (s, d) = app.api(Some(&token), &path).await;
                assert_eq!(s, StatusCode::OK, "{path}");
                let rows = std::iter::once(&d["total"]).chain(d["rows"].as_array().expect("rows"));
                for row in rows {
                    for f in row["figures"].as_array().expect("figures") {
                        match f["people"].as_u64() {
                            Some(n) => assert!(n >= k, "{path}: {f}"),
                            None => assert!(f["value"].is_null(), "{path}: {f}"),
                        }
                    }
                }
            }
        }
        // The 5-supports score shows in a unit only where the survey's own report shows
        // that unit's supports: two views of the same answers add nothing to each other.
        let last = app
            .store
            .surveys(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|(s, _)| s.fiscal_year == fy - 1 && s.kind == domain::survey::Kind::FiveSupports)
            .expect("last year's survey")
            .0
            .id;
        let mut scored = 0;
        for u in units.iter().flatten() {
            let (_, d) = app
                .api(Some(&token), &format!("/api/v1/kpi?fy={}&unit={u}", fy - 1))
                .await;
            let score = d["total"]["figures"]
                .as_array()
                .expect("f")
                .iter()
                .find(|f| f["kpi"] == "support_score")
                .expect("score")
                .clone();
            if score["value"].is_number() {
                scored += 1;
                let (_, r) = app
                    .api(
                        Some(&token),
                        &format!("/api/v1/org-report?survey={last}&unit={u}"),
                    )
                    .await;
                let cells = r["survey"]["total"]["cells"].as_array().expect("cells");
                assert!(
                    cells.iter().take(5).all(|c| c["value"].is_number()),
                    "unit {u}: the report shows its supports too: {score} {r}"
                );
            }
        }
        assert!(scored > 0, "some units show last year's score");
        // Bad input is refused precisely.
        let (s, e) = app.api(Some(&token), "/api/v1/kpi?fy=1999").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(
            e["error"]["message"].as_str().unwrap_or("").contains("fy"),
            "{e}"
        );
        let (s, _) = app.api(Some(&token), "/api/v1/kpi?unit=987654321").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // The export: the same figures, audited.
        let (s, _) = hr.get(&format!("/kpi/export.xlsx?fy={fy}")).await;
        assert_eq!(s, StatusCode::OK);
        let (exports, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                20,
                0,
            )
            .await
            .expect("q");
        assert!(
            exports.iter().any(|e| e
                .detail
                .as_deref()
                .is_some_and(|d| d.starts_with("kpi of FY"))),
            "export audited"
        );
    }
);

app_test!(
    a_manager_reads_their_own_unit_and_others_nothing,
    |app| async move {
        let t = app.demo_tenant().await;
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, page) = manager.get("/kpi").await;
        assert_eq!(s, StatusCode::OK);
        assert!(!page.contains("全社"), "not the whole company");
        let token = app.token("manager@demo.example.jp").await;
        let (s, d) = app.api(Some(&token), "/api/v1/kpi").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(d["whole_company"], false);
        // Opportunity usage counts what a manager may not know of (applications, side
        // jobs, subsidy claims): never shown to them, on the page, the API or the export.
        assert!(!page.contains("機会の利用率") && !page.contains("opportunity_usage"));
        assert!(!d.to_string().contains("opportunity_usage"), "{d}");
        let r = manager
            .http
            .get(format!("{}/kpi/export.xlsx", manager.base))
            .send()
            .await
            .expect("export");
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.expect("bytes");
        let table = domain::import::table::read_table(&bytes, &Default::default()).expect("xlsx");
        let cells: Vec<String> = table
            .headers
            .iter()
            .cloned()
            .chain(
                table
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.iter().map(str::to_string).collect::<Vec<_>>()),
            )
            .collect();
        assert!(cells.iter().any(|c| c.contains("面談実施率")), "{cells:?}");
        assert!(
            !cells.iter().any(|c| c.contains("機会の利用率")),
            "the export leaves it out too"
        );
        let me = app.person_of("manager@demo.example.jp").await;
        let mine = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .department_id
            .expect("dept");
        assert_eq!(d["total"]["label"]["id"], mine);
        // Another unit above or beside: not found, on the page and the API.
        let top = app
            .store
            .all_departments(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|d| d.parent_id.is_none() && d.id != mine)
            .expect("top");
        let (s, _) = manager.get(&format!("/kpi?unit={}", top.id)).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app
            .api(Some(&token), &format!("/api/v1/kpi?unit={}", top.id))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        for who in [
            "employee@demo.example.jp",
            "consultant@demo.example.jp",
            "admin@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (s, _) = b.get("/kpi").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let token = app.token(who).await;
            let (s, _) = app.api(Some(&token), "/api/v1/kpi").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
    }
);

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// The company's interview coverage as the API gives it.
async fn coverage(app: &TestApp, token: &str) -> (f64, String) {
    let (s, d) = app.api(Some(token), "/api/v1/kpi").await;
    assert_eq!(s, StatusCode::OK);
    let v = d["total"]["figures"]
        .as_array()
        .expect("f")
        .iter()
        .find(|f| f["kpi"] == "interview_coverage")
        .expect("coverage")["value"]
        .as_f64()
        .expect("shown");
    (v, d["as_of"].as_str().expect("counted").to_string())
}

app_test!(
    the_dashboard_reads_stored_counts_that_the_worker_recounts_when_due,
    |app| async move {
        let t = app.demo_tenant().await;
        let token = app.token("hr@demo.example.jp").await;
        let (before, as_of) = coverage(&app, &token).await;
        let years = app.store.kpi_years(t.id).await.expect("q");
        assert!(!years.is_empty(), "the first read stored the year");
        // Ten more people interviewed: the stored figures stay until a recount.
        let interviewed: std::collections::HashSet<i64> = app
            .store
            .kpi_facts(t.id, 0, d(2000, 1, 1)..=d(2100, 1, 1), d(2100, 1, 1))
            .await
            .expect("q")
            .interviews
            .iter()
            .map(|(p, _)| *p)
            .collect();
        let people = app
            .store
            .kpi_facts(t.id, 0, d(2000, 1, 1)..=d(2000, 1, 1), d(2000, 1, 1))
            .await
            .expect("q")
            .people;
        let fresh: Vec<i64> = people
            .iter()
            .map(|(p, _, _)| *p)
            .filter(|p| !interviewed.contains(p))
            .take(10)
            .collect();
        assert_eq!(fresh.len(), 10);
        for p in &fresh {
            app.held_interview(*p).await;
        }
        assert_eq!(coverage(&app, &token).await, (before, as_of.clone()));
        // The worker counts the trend's years the page has not (a few per tick); then,
        // with every year fresh, a tick leaves them alone.
        let worker = app.worker(None);
        let mut ticks = 0;
        while worker.tick().await.expect("tick").kpi_years > 0 {
            ticks += 1;
            assert!(ticks <= 4, "ten years, three a tick");
        }
        assert_eq!(app.store.kpi_years(t.id).await.expect("q").len(), 10);
        assert_eq!(coverage(&app, &token).await, (before, as_of.clone()));
        // Due (as after an import or a survey closing): the next tick recounts — once,
        // however many workers tick at the same moment (two servers' workers here).
        app.store.kpi_stale(t.id).await.expect("stale");
        let stale: std::collections::HashMap<i32, _> = app
            .store
            .kpi_years(t.id)
            .await
            .expect("q")
            .into_iter()
            .collect();
        let other = app.worker(None);
        let (a, b) = tokio::join!(worker.tick(), other.tick());
        let (a, b) = (a.expect("tick"), b.expect("tick"));
        let recounted = app
            .store
            .kpi_years(t.id)
            .await
            .expect("q")
            .into_iter()
            .filter(|(fy, at)| stale.get(fy) != Some(at))
            .count();
        // Each year counted by one worker only: as many years moved as recounts ran. (A
        // worker whose tick starts after the other finished a year sees the next due one:
        // the pair may count one year more than a tick's share, never a year twice.)
        assert_eq!(
            a.kpi_years + b.kpi_years,
            recounted,
            "no year counted by both workers"
        );
        assert!(
            (app::kpi::YEARS_PER_TICK..=2 * app::kpi::YEARS_PER_TICK).contains(&recounted),
            "the current year and the newest past ones first: {recounted}"
        );
        let report = worker.tick().await.expect("tick");
        assert_eq!(
            report.kpi_years,
            app::kpi::YEARS_PER_TICK,
            "then the next ones"
        );
        let (after, _) = coverage(&app, &token).await;
        let n = people.len() as f64;
        assert!(
            (after - before - 10.0 / n).abs() < 1e-9,
            "{before} + 10/{n} = {after}"
        );
    }
);
