//! 副業・兼業: HR sets the company's rules; an application in a competing field or over
//! the hours cap is refused with the rule named and the form kept; HR asks for changes,
//! the employee resubmits, HR approves; nobody but the applicant and HR sees it — the
//! manager neither on the page nor over the API; HR never decides their own.

use super::*;

fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn apply(b: &Browser, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let csrf = b.csrf("/opportunities/side-jobs").await;
    let (starts, ends) = (day(10), day(200));
    let mut form = vec![
        ("_csrf", csrf.as_str()),
        ("field", "Webデザイン"),
        ("client", "地域のNPO法人"),
        ("work", "副業秘密：ホームページの更新"),
        ("hours", "20"),
        ("starts_on", starts.as_str()),
        ("ends_on", ends.as_str()),
        ("pledge", "1"),
    ];
    for (k, v) in fields {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    b.post("/side-jobs", &form).await
}

async fn decide(b: &Browser, id: i64, decision: &str, reason: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/opportunities/side-jobs").await;
    b.post(
        &format!("/side-jobs/{id}/decision"),
        &[
            ("_csrf", csrf.as_str()),
            ("decision", decision),
            ("reason", reason),
        ],
    )
    .await
}

app_test!(
    a_side_job_is_checked_against_the_rules_decided_by_hr_and_seen_by_nobody_else,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/opportunities/side-jobs").await;
        let (s, body) = hr
            .post(
                "/side-jobs/rules",
                &[
                    ("_csrf", csrf.as_str()),
                    ("hours_cap", "0"),
                    ("competing_fields", "食品卸"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("1から200まで"));
        let (s, _) = hr
            .post(
                "/side-jobs/rules",
                &[
                    ("_csrf", csrf.as_str()),
                    ("hours_cap", "30"),
                    ("competing_fields", "食品卸\n物流"),
                    ("competing_clients", "株式会社ライバル商事"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);

        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, body) = apply(
            &employee,
            &[
                ("field", "食品卸の営業支援"),
                ("client", "ライバル商事"),
                ("hours", "40"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        for said in [
            "「食品卸」に該当",
            "「株式会社ライバル商事」に該当",
            "月40時間は、会社の上限（月30時間）を超えています",
        ] {
            assert!(body.contains(said), "{said}");
        }
        assert!(body.contains("食品卸の営業支援"), "kept as typed");
        let (s, body) = apply(&employee, &[("pledge", "")]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("情報管理の誓約に同意してください"));
        let me = domain::PersonId(app.report_of_manager().await);
        assert!(
            app.store
                .side_jobs_of(t.id, me)
                .await
                .expect("q")
                .is_empty(),
            "nothing written"
        );
        let (s, _) = apply(&employee, &[]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let id = app.store.side_jobs_of(t.id, me).await.expect("q")[0].id;
        // It waits on HR's home.
        let (_, home) = hr.get("/programmes").await;
        assert!(home.contains("data-testid=\"side-jobs-waiting\""));

        // The manager sees nothing of it, on the page or over the API.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, page) = manager.get("/opportunities/side-jobs").await;
        assert!(!page.contains("副業秘密"));
        let token = app.token("manager@demo.example.jp").await;
        let (_, json) = app.api(Some(&token), "/api/v1/side-jobs").await;
        assert!(!json.to_string().contains("副業秘密"));
        let (s, _) = decide(&manager, id, "approve", "").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // HR: a refusal needs a reason; asking for changes; the employee resubmits.
        let (s, body) = decide(&hr, id, "refuse", " ").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("理由を入力してください"));
        let (s, _) = decide(
            &hr,
            id,
            "request_changes",
            "月の時間を15時間以内にしてください",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee
            .get(&format!("/opportunities/side-jobs?edit={id}"))
            .await;
        assert!(page.contains("月の時間を15時間以内にしてください"));
        assert!(
            page.contains("副業秘密：ホームページの更新"),
            "the form starts from it"
        );
        let id_s = id.to_string();
        let (s, _) = apply(&employee, &[("id", id_s.as_str()), ("hours", "15")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = decide(&hr, id, "approve", "").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = decide(&hr, id, "refuse", "二度目").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに判断済み"));
        let stored = app.store.side_job(t.id, id).await.expect("q").expect("s");
        assert_eq!(stored.status, domain::side_job::Status::Approved);
        assert_eq!(stored.job.hours_per_month, 15);
        let (_, page) = employee.get("/opportunities/side-jobs").await;
        assert!(page.contains("data-status=\"approved\""));
        // The report back waits for the period's end.
        let csrf = employee.csrf("/opportunities/side-jobs").await;
        let (s, body) = employee
            .post(
                &format!("/side-jobs/{id}/report"),
                &[("_csrf", csrf.as_str()), ("report", "学んだこと")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("期間が終わってから"));
        let employee_user = app.user("employee@demo.example.jp").await.id;
        assert!(
            app.store
                .notifications(t.id, employee_user, 20)
                .await
                .expect("q")
                .iter()
                .any(|n| n.key == "email.side_job_decided")
        );

        // HR never decides their own application.
        let (s, _) = apply(&hr, &[("work", "人事の副業")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let own = app
            .store
            .side_jobs_of(
                t.id,
                domain::PersonId(app.person_of("hr@demo.example.jp").await),
            )
            .await
            .expect("q")[0]
            .id;
        let (s, _) = decide(&hr, own, "approve", "").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    hr_turns_a_side_jobs_report_into_a_story_draft_that_waits_for_consent,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = domain::PersonId(app.report_of_manager().await);
        let today = domain::japan_time::japan_date(chrono::Utc::now());
        let job = domain::side_job::SideJob {
            field: "地域の観光ガイド".into(),
            client: "観光協会".into(),
            work: "週末の案内".into(),
            hours_per_month: 8,
            starts_on: today - chrono::Duration::days(200),
            ends_on: today - chrono::Duration::days(10),
        };
        let id = app
            .store
            .add_side_job(t.id, me, &job, chrono::Utc::now())
            .await
            .expect("add");
        let s = app.store.side_job(t.id, id).await.expect("q").expect("s");
        let hr_user = app.user("hr@demo.example.jp").await;
        app.store
            .set_side_job_status(
                t.id,
                &s,
                domain::side_job::Status::Approved,
                "",
                Some(hr_user.id),
                chrono::Utc::now(),
            )
            .await
            .expect("approve");
        let s = app.store.side_job(t.id, id).await.expect("q").expect("s");
        app.store
            .report_side_job(
                t.id,
                &s,
                "案内で鍛えた説明力が、顧客への提案に生きています",
                chrono::Utc::now(),
            )
            .await
            .expect("report");
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, page) = hr.get("/opportunities/side-jobs").await;
        assert!(page.contains(&format!("/role-models/new?side_job={id}")));
        let (s, form) = hr.get(&format!("/role-models/new?side_job={id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(form.contains("案内で鍛えた説明力が、顧客への提案に生きています"));
        assert!(form.contains("副業で「地域の観光ガイド」に取り組んで"));
        let number = app
            .store
            .person(t.id, me)
            .await
            .expect("q")
            .expect("p")
            .employee_number;
        assert!(form.contains(&format!("value=\"{number}\"")));
        // The period has ended: the employee is offered the next one, the form starting
        // from this one (from today), checked as a new application.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get("/opportunities/side-jobs").await;
        assert!(page.contains(&format!("/opportunities/side-jobs?renew={id}")));
        assert!(page.contains("（期間終了）"));
        let (_, form) = employee
            .get(&format!("/opportunities/side-jobs?renew={id}"))
            .await;
        assert!(form.contains("value=\"地域の観光ガイド\""));
        assert!(form.contains(&format!("value=\"{today}\"")), "from today");
        let ends = (today + chrono::Duration::days(180)).to_string();
        let csrf = employee.csrf("/opportunities/side-jobs").await;
        let (s, _) = employee
            .post(
                "/side-jobs",
                &[
                    ("_csrf", csrf.as_str()),
                    ("field", "地域の観光ガイド"),
                    ("client", "観光協会"),
                    ("work", "週末の案内"),
                    ("hours", "8"),
                    ("starts_on", today.to_string().as_str()),
                    ("ends_on", ends.as_str()),
                    ("pledge", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let mine = app.store.side_jobs_of(t.id, me).await.expect("q");
        assert_eq!(
            mine[0].status,
            domain::side_job::Status::Submitted,
            "renewed"
        );
        let (s, _) = app
            .signed_in("manager@demo.example.jp")
            .await
            .get(&format!("/opportunities/side-jobs?renew={id}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "the manager cannot reach it");
        // A consultant writes stories too, but never sees a side job.
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (s, body) = consultant
            .get(&format!("/role-models/new?side_job={id}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!body.contains("案内で鍛えた説明力"));
    }
);
