//! Hardening (issue 14): doors an attacker or a busy company found open, each tried with
//! the bad input and checked for a clear answer, nothing changed and a healthy server.

use super::*;

app_test!(
    redirect_targets_are_only_same_origin_paths,
    |app| async move {
        let b = app.browser();
        for bad in [
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%0d/evil.example",
            "/%0d%0aSet-Cookie:%20x=1",
            "//evil.example",
            "/%5Cevil.example",
            "%5C%5Cevil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/%20/evil.example",
            "/%E3%80%80/evil.example",
        ] {
            let (status, location) = b.get_with_location(&format!("/lang/en?next={bad}")).await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, "/"),
                "next={bad}"
            );
        }
        assert_eq!(
            b.get_with_location("/lang/ja?next=/people%3Fq%3Da").await.1,
            "/people?q=a"
        );
        // After sign-in: an unsafe `next` leads home, a safe one is followed.
        for (next, expected) in [
            ("/\t/evil.example", "/my"),
            ("/\n/evil.example", "/my"),
            ("/\r/evil.example", "/my"),
            ("//evil.example", "/my"),
            ("/my/career-sheet", "/my/career-sheet"),
        ] {
            let b = app.browser();
            let csrf = b.csrf("/login").await;
            let (status, location) = b
                .post(
                    "/login",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("email", "employee@demo.example.jp"),
                        ("password", PW),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, expected),
                "next={next:?}"
            );
        }
    }
);

app_test!(
    the_admins_export_carries_only_what_the_admin_may_see,
    |app| async move {
        let admin = app.signed_in("admin@demo.example.jp").await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (status, csv) = admin.get("/people/export?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        let header = csv
            .lines()
            .next()
            .expect("header")
            .trim_start_matches('\u{feff}');
        for hidden in ["生年月日", "入社日", "等級", "評価"] {
            assert!(
                !header.contains(hidden),
                "admin export has {hidden}: {header}"
            );
        }
        for shown in ["社員番号", "氏名", "メール", "所属", "上司社員番号"] {
            assert!(
                header.contains(shown),
                "admin export lacks {shown}: {header}"
            );
        }
        let columns = header.split(',').count();
        assert!(
            csv.lines()
                .skip(1)
                .all(|l| l.split(',').count() == columns || l.contains('"')),
            "every row has the header's columns"
        );
        let (_, xlsx) = admin.get("/people/export?format=xlsx").await;
        assert!(!xlsx.is_empty());
        let (status, csv) = hr.get("/people/export?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        let header = csv.lines().next().expect("header");
        for shown in ["生年月日", "入社日", "等級", "評価"] {
            assert!(header.contains(shown), "HR export lacks {shown}: {header}");
        }
    }
);

app_test!(
    personal_pages_and_downloads_are_never_cached,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let b = app.signed_in("employee@demo.example.jp").await;
        for path in [
            "/my".to_string(),
            "/my/records".to_string(),
            "/my/records.csv".to_string(),
            "/my/career-sheet".to_string(),
            format!("/dialogues/{held}"),
        ] {
            let r = b
                .http
                .get(format!("{}{}", app.base, path))
                .send()
                .await
                .expect("request");
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(
                r.headers()
                    .get("cache-control")
                    .and_then(|v| v.to_str().ok()),
                Some("no-store"),
                "{path}"
            );
        }
        let token = app.token("employee@demo.example.jp").await;
        let r = reqwest::Client::new()
            .get(format!("{}/api/v1/me/records", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        let r = reqwest::get(format!("{}/static/app.css", app.base))
            .await
            .expect("request");
        assert_ne!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "static assets stay cacheable"
        );
    }
);

/// A bomb's file, from the fuzz corpus of the import readers.
fn bomb(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../domain/tests/fixtures/fuzz/seed_bomb_{name}.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("bomb fixture (scripts/make_xlsx_bombs.py)")
}

/// HR's import upload, as the browser sends it.
async fn upload_import(b: &Browser, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let csrf = b.csrf("/people/import").await;
    let boundary = "KyoritsuBombBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = b
        .http
        .post(format!("{}/people/import?_csrf={csrf}", b.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    (r.status(), r.text().await.unwrap_or_default())
}

app_test!(
    no_upload_takes_the_server_down_and_each_bomb_is_refused_with_its_limit,
    |app| async move {
        let t = app.demo_tenant().await;
        let people = app.store.count_people(t.id).await.expect("count");
        let hr = app.signed_in("hr@demo.example.jp").await;
        // The server keeps answering its health check while the bombs are read.
        let base = app.base.clone();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watching = stop.clone();
        let health = tokio::spawn(async move {
            let mut answered = 0;
            while !watching.load(std::sync::atomic::Ordering::Relaxed) {
                let r = reqwest::get(format!("{base}/healthz"))
                    .await
                    .expect("healthz");
                assert_eq!(r.status(), StatusCode::OK);
                answered += 1;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            answered
        });
        for (name, status, words) in [
            (
                "sparse_dimension",
                422,
                "列が多すぎます。1行に256列までです。（1048576行目）",
            ),
            (
                "huge_shared_string",
                422,
                "長すぎるセルがあります。1つのセルは128 KBまでです。",
            ),
            (
                "many_shared_strings",
                422,
                "文字列の種類が多すぎます（2,000,000種類まで）",
            ),
            ("false_sizes", 422, "Excelファイルを読み取れませんでした"),
            ("nested_zip", 422, "必須の列がありません"),
        ] {
            let (s, body) = upload_import(&hr, &format!("{name}.xlsx"), bomb(name)).await;
            assert_eq!(s.as_u16(), status, "{name}: {body}");
            assert!(body.contains(words), "{name}: {body}");
        }
        // Over the size limit: "too large", with the limit, not "could not read".
        let (s, body) = upload_import(&hr, "big.csv", vec![b'a'; 102 * 1024 * 1024]).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert!(
            body.contains("ファイルが大きすぎます。取り込めるのは100 MBまでです。"),
            "{body}"
        );
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(health.await.expect("health checks") > 0);
        assert_eq!(
            app.store.count_people(t.id).await.expect("count"),
            people,
            "nothing changed"
        );
    }
);
