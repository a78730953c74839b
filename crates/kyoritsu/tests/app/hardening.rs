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
