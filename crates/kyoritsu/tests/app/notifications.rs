//! お知らせ: every email notice also waits in the app for its addressee, with an unread
//! count in the header; each person opens only their own.

use super::*;

app_test!(
    an_email_notice_also_waits_in_the_app_for_its_addressee_only,
    |app| async move {
        let t = app.demo_tenant().await;
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, before) = manager.get("/members").await;
        let unread_before: i64 = before
            .split("data-unread=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|n| n.parse().ok())
            .expect("the header's count");
        // The employee asks the manager for a 1on1: the email and the notice go together.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/requests").await;
        let day = (chrono::Utc::now() + chrono::Duration::days(4))
            .format("%Y-%m-%d")
            .to_string();
        let (s, _) = employee
            .post(
                "/requests",
                &[
                    ("_csrf", csrf.as_str()),
                    ("to", "one_on_one"),
                    ("date0", day.as_str()),
                    ("time0", "13:00"),
                    ("message", "E2E秘密：転職を考えています"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, home) = manager.get("/members").await;
        assert!(
            home.contains(&format!("data-unread=\"{}\"", unread_before + 1)),
            "the header counts it"
        );
        let (_, list) = manager.get("/notifications").await;
        assert!(list.contains("1on1・面談の依頼が届いています"));
        assert!(
            !list.contains("転職を考えています"),
            "a notice never carries what was written"
        );
        let mine = app
            .store
            .notifications(t.id, app.user("manager@demo.example.jp").await.id, 10)
            .await
            .expect("q");
        let n = mine.first().expect("the notice");
        assert_eq!(n.path, "/requests");
        // Nobody else opens it.
        for who in [
            "employee@demo.example.jp",
            "hr@demo.example.jp",
            "admin@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (s, _) = b.get(&format!("/notifications/{}", n.id)).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{who}");
            let (_, list) = b.get("/notifications").await;
            assert!(
                !list.contains(&format!("/notifications/{}\"", n.id)),
                "{who}"
            );
        }
        // Opening it marks it read and goes where it points.
        let (s, location) = manager
            .get_with_location(&format!("/notifications/{}", n.id))
            .await;
        assert_eq!((s, location.as_str()), (StatusCode::SEE_OTHER, "/requests"));
        let (_, home) = manager.get("/members").await;
        assert!(home.contains(&format!("data-unread=\"{unread_before}\"")));
        let mcsrf = manager.csrf("/notifications").await;
        manager
            .post("/notifications/read-all", &[("_csrf", mcsrf.as_str())])
            .await;
        assert_eq!(
            app.store
                .unread_notifications(t.id, app.user("manager@demo.example.jp").await.id)
                .await
                .expect("q"),
            0
        );
    }
);
