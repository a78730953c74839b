//! The API's error answers, the operations endpoints, error pages and an unreachable database.

use super::*;

app_test!(the_api_explains_bad_requests_precisely, |app| async move {
    let token = app.token("admin@demo.example.jp").await;
    let http = reqwest::Client::new();
    let post = |body: &'static str| {
        http.post(format!("{}/api/v1/users", app.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = post("{not json").await.expect("req");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["error"]["code"], "bad_request");
    assert!(!j["error"]["message"].as_str().unwrap_or("").is_empty());
    let r = post(r#"{"email":"x@demo.example.jp","name":"X","roles":["manager"]}"#)
        .await
        .expect("req");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("reporting line"));
    let r = post(r#"{"email":"new@demo.example.jp","name":"新人 太郎","roles":["employee"],"password":"long-enough-password"}"#).await.expect("req");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = post(r#"{"email":"NEW@demo.example.jp","name":"重複","roles":["employee"]}"#)
        .await
        .expect("req");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (status, body) = app.api(Some(&token), "/api/v1/nothing-here").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = app.api(Some("kyr_wrong"), "/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, me) = app.api(Some(&token), "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["tenant"]["slug"], "demo");
    assert_eq!(me["user"]["email"], "admin@demo.example.jp");
    assert!(
        me["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|r| r == "admin")
    );
});

app_test!(operations_endpoints_answer, |app| async move {
    let b = app.browser();
    let (status, body) = b.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"database\":\"ok\""));
    let (_, metrics) = b.get("/metrics").await;
    assert!(metrics.contains("kyoritsu_http_requests_total{status=\"2xx\"}"));
    let (status, spec) = b.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let spec: serde_json::Value = serde_json::from_str(&spec).expect("openapi json");
    for p in [
        "/api/v1/me",
        "/api/v1/people/{id}",
        "/api/v1/users",
        "/api/v1/audit",
    ] {
        assert!(spec["paths"].get(p).is_some(), "{p} documented");
    }
    assert_eq!(b.get("/api/docs/").await.0, StatusCode::OK);
    assert!(b.get("/static/htmx.min.js").await.1.contains("htmx"));
});

app_test!(
    error_pages_are_localised_and_carry_a_request_id,
    |app| async move {
        let b = app.browser();
        let r = b
            .http
            .get(format!("{}/no-such-page", app.base))
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let id = r
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("request id")
            .to_string();
        assert!(r.headers().get("content-security-policy").is_some());
        let body = r.text().await.expect("body");
        assert!(
            body.contains("ページが見つかりません") && body.contains(&id),
            "{body}"
        );
        let r = b
            .http
            .get(format!("{}/no-such-page", app.base))
            .header("cookie", "lang=en")
            .send()
            .await
            .expect("req");
        assert!(r.text().await.expect("body").contains("Page not found"));
        // The language switch remembers English.
        let (status, location) = b.get_with_location("/lang/en?next=/login").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login")
        );
        assert!(b.get("/login").await.1.contains("<html lang=\"en\">"));
        assert_eq!(
            b.get_with_location("/lang/en?next=//evil.example").await.1,
            "/"
        );
    }
);

#[tokio::test]
async fn an_unreachable_database_is_reported_in_plain_words() {
    let err = Store::connect("postgres://nobody@127.0.0.1:1/none")
        .await
        .expect_err("must fail");
    assert!(err.to_string().contains("is the server running"), "{err}");
    let err = Store::connect("sqlite:///nonexistent-dir/for/sure/k.db")
        .await
        .expect_err("must fail");
    assert!(
        err.to_string().contains("cannot open the SQLite file"),
        "{err}"
    );
    let err = Store::connect("mysql://x").await.expect_err("must fail");
    assert!(
        err.to_string().contains("sqlite:// or postgres://"),
        "{err}"
    );
}

app_test!(
    the_admin_home_lists_mail_that_failed_and_accounts_nobody_used,
    |app| async move {
        let t = app.demo_tenant().await;
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (_, home) = admin.get("/admin").await;
        assert!(home.contains("data-testid=\"admin-to-do\""));
        assert!(!home.contains("data-testid=\"admin-to-do-mail-failed\""));
        // Demo accounts nobody has signed in to yet are counted.
        let never = app
            .store
            .list_users(t.id)
            .await
            .expect("q")
            .iter()
            .filter(|u| !u.disabled && u.last_sign_in_at.is_none())
            .count();
        assert!(never > 0);
        assert!(
            home.contains(&format!("ログインしていない利用者が{never}人")),
            "{home}"
        );
        // A mail the server refused for good shows up, with the way to the outbox.
        let now = app.state.clock.now();
        let job = store::jobs::NewJob::email(
            t.id,
            "test-failing-mail".into(),
            &store::jobs::EmailPayload {
                to: "nobody@demo.example.jp".into(),
                subject: "件名".into(),
                body: "本文".into(),
                notice: None,
                languages: Vec::new(),
                calendar: None,
                credential: false,
            },
            now,
        )
        .expect("job");
        app.store.enqueue_jobs(&[job], now).await.expect("enqueue");
        let claimed = app
            .store
            .claim_jobs(
                &[store::jobs::EMAIL],
                now,
                chrono::Duration::minutes(5),
                100,
            )
            .await
            .expect("claim");
        let mine = claimed
            .iter()
            .find(|j| j.key == "test-failing-mail")
            .expect("claimed");
        app.store
            .fail_job(mine, now, "550 mailbox unavailable", true)
            .await
            .expect("fail");
        let (_, home) = admin.get("/admin").await;
        let item = home
            .split("data-testid=\"admin-to-do-mail-failed\"")
            .nth(1)
            .expect("the failed mail is on the admin's home");
        assert!(item.contains("href=\"/admin/outbox\"") && item.contains("1件"));
        // It is the admin's: HR's home does not carry it.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, hr_home) = hr.get("/programmes").await;
        assert!(!hr_home.contains("admin-to-do"));
    }
);
