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

app_test!(
    the_managers_home_shows_each_members_1on1s_this_weeks_and_who_is_due,
    |app| async move {
        use domain::dialogue::{DialogueKind, DialogueState};
        let t = app.demo_tenant().await;
        let manager_user = app.user("manager@demo.example.jp").await;
        let employee = domain::PersonId(app.report_of_manager().await);
        let mine = app
            .store
            .dialogues_facilitated_by(t.id, manager_user.id)
            .await
            .expect("q");
        let ones: Vec<_> = mine
            .iter()
            .filter(|d| d.kind == DialogueKind::OneOnOne && d.subject == employee)
            .collect();
        let last = ones
            .iter()
            .filter(|d| d.state == DialogueState::Held)
            .map(|d| domain::japan_time::japan_date(d.starts_at))
            .max()
            .expect("a 1on1 held");
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, home) = manager.get("/members").await;
        let row = home
            .split("data-testid=\"member-row\"")
            .find(|r| r.contains(&format!("href=\"/people/{}\"", employee.0)))
            .expect("the employee's row");
        assert!(row.contains(&last.to_string()), "the last 1on1 held: {row}");
        // A direct report never met is due, and named at the top.
        let reports = app
            .store
            .reports_of(t.id, manager_user.person_id.expect("person"))
            .await
            .expect("q");
        let never = reports
            .iter()
            .find(|(depth, p)| {
                *depth == 1
                    && !mine.iter().any(|d| {
                        d.kind == DialogueKind::OneOnOne
                            && d.subject.0 == p.id
                            && d.state == DialogueState::Held
                    })
            })
            .map(|(_, p)| p.clone())
            .expect("a direct report without a 1on1");
        let due = home
            .split("data-testid=\"members-due\"")
            .nth(1)
            .expect("who is due");
        assert!(
            due.split("</div>")
                .next()
                .unwrap_or("")
                .contains(&never.name)
        );
        let never_row = home
            .split("data-testid=\"member-row\"")
            .find(|r| r.contains(&format!("href=\"/people/{}\"", never.id)))
            .expect("their row");
        assert!(never_row.contains("data-testid=\"member-due\""));
        // A 1on1 booked for tomorrow is on this week's list; a consultant's session is not.
        let tomorrow = app.state.clock.now() + chrono::Duration::days(1);
        let id = app
            .store
            .create_dialogues(
                t.id,
                &store::dialogues::NewDialogue {
                    kind: DialogueKind::OneOnOne,
                    subject: domain::PersonId(never.id),
                    facilitator: manager_user.id,
                    duration_minutes: 30,
                    place: "会議室B".into(),
                    created_by: manager_user.id,
                    starts: vec![tomorrow],
                    cadence: None,
                },
            )
            .await
            .expect("book")[0];
        let (_, home) = manager.get("/members").await;
        let week = home
            .split("data-testid=\"members-this-week\"")
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .expect("this week");
        assert!(week.contains(&format!("href=\"/dialogues/{id}\"")));
        let (_, next_interview, _, _) = demo_dialogues(&app).await;
        assert!(!home.contains(&format!("href=\"/dialogues/{next_interview}\"")));
    }
);
