//! 依頼: the employee asks for a 1on1 or an interview; the addressee books one of the
//! proposed times or declines; nobody else sees or answers it.

use super::*;
use domain::request::RequestStatus;

fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn ask(b: &Browser, to: &str, slots: &[(&str, &str)], message: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/requests").await;
    let mut form: Vec<(String, String)> = vec![
        ("_csrf".into(), csrf),
        ("to".into(), to.into()),
        ("message".into(), message.into()),
    ];
    for (i, (d, t)) in slots.iter().enumerate() {
        form.push((format!("date{i}"), d.to_string()));
        form.push((format!("time{i}"), t.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post("/requests", &form).await
}

app_test!(
    an_employee_asks_their_manager_for_a_1on1_and_the_manager_books_one_of_the_times,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        // Mistakes are explained and what was typed comes back.
        let (d5, d6) = (day(5), day(6));
        for (slots, expected) in [
            (vec![("", "")], "1つ以上入力してください"),
            (vec![(d5.as_str(), "")], "日付と時刻の両方"),
            (vec![("2020-01-01", "10:00")], "過ぎた日時は選べません"),
            (
                vec![(d5.as_str(), "10:00"), (d5.as_str(), "10:00")],
                "同じ日時が2回",
            ),
        ] {
            let (s, body) = ask(
                &employee,
                "one_on_one",
                &slots,
                "配属のことを相談したいです",
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
            assert!(body.contains(expected), "{expected}");
            assert!(body.contains("配属のことを相談したいです"), "kept as typed");
        }
        let (s, _) = ask(
            &employee,
            "one_on_one",
            &[(d6.as_str(), "15:00"), (d5.as_str(), "10:00")],
            "配属のことを相談したいです",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let me = domain::PersonId(app.report_of_manager().await);
        let r = app
            .store
            .requests_from(t.id, me)
            .await
            .expect("q")
            .into_iter()
            .find(|r| r.message.contains("配属"))
            .expect("sent");
        assert_eq!(r.status, RequestStatus::Open);
        // It reaches the manager's home and their requests page; the times in order.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, home) = manager.get("/members").await;
        assert!(home.contains("data-testid=\"requests-waiting\""));
        let (_, page) = manager.get("/requests").await;
        assert!(page.contains("配属のことを相談したいです"));
        // Nobody else sees or answers it: HR, the consultant, a colleague, the employee.
        for who in [
            "hr@demo.example.jp",
            "consultant@demo.example.jp",
            "admin@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (_, page) = b.get("/requests").await;
            assert!(!page.contains("配属のことを相談したいです"), "{who}");
            let csrf = b.csrf("/requests").await;
            for action in ["book", "decline", "withdraw"] {
                let (s, _) = b
                    .post(
                        &format!("/requests/{}/{action}", r.id),
                        &[("_csrf", csrf.as_str()), ("slot", "0"), ("reason", "x")],
                    )
                    .await;
                assert_eq!(s, StatusCode::NOT_FOUND, "{who} {action}");
            }
        }
        let ecsrf = employee.csrf("/requests").await;
        let (s, _) = employee
            .post(
                &format!("/requests/{}/book", r.id),
                &[("_csrf", ecsrf.as_str()), ("slot", "0")],
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "the employee does not book their own request"
        );
        // The manager books the earlier time: a 1on1 they hold, with the employee.
        let mcsrf = manager.csrf("/requests").await;
        let (s, location) = manager
            .post(
                &format!("/requests/{}/book", r.id),
                &[("_csrf", mcsrf.as_str()), ("slot", "0")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let id: i64 = location
            .rsplit('/')
            .next()
            .expect("id")
            .parse()
            .expect("dialogue id");
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        assert_eq!(d.kind, domain::dialogue::DialogueKind::OneOnOne);
        assert_eq!(d.subject, me);
        assert_eq!(d.facilitator, app.user("manager@demo.example.jp").await.id);
        assert_eq!(
            domain::japan_time::to_japan(d.starts_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            format!("{d5} 10:00")
        );
        let r = app.store.request(t.id, r.id).await.expect("q").expect("r");
        assert_eq!((r.status, r.dialogue_id), (RequestStatus::Booked, Some(id)));
        // Booking twice books nothing more.
        let before = app.store.dialogues_about(t.id, me).await.expect("q").len();
        manager
            .post(
                &format!("/requests/{}/book", r.id),
                &[("_csrf", mcsrf.as_str()), ("slot", "1")],
            )
            .await;
        assert_eq!(
            app.store.dialogues_about(t.id, me).await.expect("q").len(),
            before
        );
        // The employee is told on マイキャリア, and by email.
        let (_, my) = employee.get("/my").await;
        assert!(my.contains("data-testid=\"my-requests-answered\""));
        let (_, page) = employee.get("/requests").await;
        assert!(page.contains(&format!("/dialogues/{id}")));
        assert!(
            app.store
                .job_status(t.id, &format!("email.request_answered-{}", r.id))
                .await
                .expect("q")
                .is_some()
        );
    }
);

app_test!(
    requests_go_only_to_ones_manager_or_assigned_consultant_and_a_decline_says_why,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let d7 = day(7);
        // Addressing someone else by tampering with the form is refused.
        let hr = app.user("hr@demo.example.jp").await.id;
        let (s, body) = ask(
            &employee,
            &format!("career_interview:{}", hr.0),
            &[(d7.as_str(), "10:00")],
            "",
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("担当のキャリアコンサルタントにだけ"));
        // The assigned consultant is asked for an interview, and declines with a reason.
        let consultant_id = app.user("consultant@demo.example.jp").await.id;
        let (s, _) = ask(
            &employee,
            &format!("career_interview:{}", consultant_id.0),
            &[(d7.as_str(), "10:00")],
            "異動の希望について",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, home) = consultant.get("/clients").await;
        assert!(home.contains("data-testid=\"requests-waiting\""));
        let me = domain::PersonId(app.report_of_manager().await);
        let r = app
            .store
            .requests_from(t.id, me)
            .await
            .expect("q")
            .into_iter()
            .find(|r| r.message.contains("異動の希望"))
            .expect("sent");
        let csrf = consultant.csrf("/requests").await;
        let (s, _) = consultant
            .post(
                &format!("/requests/{}/decline", r.id),
                &[("_csrf", csrf.as_str()), ("reason", "")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store
                .request(t.id, r.id)
                .await
                .expect("q")
                .expect("r")
                .status,
            RequestStatus::Open,
            "a decline needs a reason"
        );
        consultant
            .post(
                &format!("/requests/{}/decline", r.id),
                &[
                    ("_csrf", csrf.as_str()),
                    ("reason", "その週は研修のため、翌週の候補をお送りください"),
                ],
            )
            .await;
        let (_, page) = employee.get("/requests").await;
        assert!(page.contains("翌週の候補をお送りください"));
        // The employee withdraws the demo's waiting request; the manager can no longer book it.
        let waiting = app
            .store
            .requests_from(t.id, me)
            .await
            .expect("q")
            .into_iter()
            .find(|r| r.status == RequestStatus::Open)
            .expect("the demo's request");
        let ecsrf = employee.csrf("/requests").await;
        let (s, _) = employee
            .post(
                &format!("/requests/{}/withdraw", waiting.id),
                &[("_csrf", ecsrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/requests").await;
        let before = app.store.dialogues_about(t.id, me).await.expect("q").len();
        manager
            .post(
                &format!("/requests/{}/book", waiting.id),
                &[("_csrf", mcsrf.as_str()), ("slot", "0")],
            )
            .await;
        assert_eq!(
            app.store.dialogues_about(t.id, me).await.expect("q").len(),
            before
        );
        assert_eq!(
            app.store
                .request(t.id, waiting.id)
                .await
                .expect("q")
                .expect("r")
                .status,
            RequestStatus::Withdrawn
        );
    }
);
