//! 社内FA: an employee declares; a hiring manager of another department finds the
//! declaration and asks for an interview, which the employee answers; the employee's own
//! manager and department never see it — not on the page, the API or the audit log; an
//! expired declaration leaves the hiring managers' list.

use super::*;

/// An account for a manager outside the demo employee's department and reporting line
/// (a head of another section), signed in.
async fn scout(app: &TestApp) -> Browser {
    let t = app.demo_tenant().await;
    let employee = domain::PersonId(app.report_of_manager().await);
    let mine = app
        .store
        .person(t.id, employee)
        .await
        .expect("q")
        .expect("p")
        .department_id;
    let line: Vec<i64> = app
        .store
        .manager_chain(t.id, employee)
        .await
        .expect("q")
        .iter()
        .map(|p| p.id)
        .collect();
    let hr = app.person_of("hr@demo.example.jp").await;
    let mut found = None;
    for n in 1..400 {
        let Some(p) = app
            .store
            .person_by_number(t.id, &format!("E{n:07}"))
            .await
            .expect("q")
        else {
            continue;
        };
        if p.department_id != mine
            && !line.contains(&p.id)
            && p.id != hr
            && app
                .store
                .account_of_person(t.id, domain::PersonId(p.id))
                .await
                .expect("q")
                .is_none()
            && app
                .store
                .has_reports(t.id, domain::PersonId(p.id))
                .await
                .expect("q")
        {
            found = Some(p);
            break;
        }
    }
    let p = found.expect("a section head elsewhere");
    app.store
        .create_user(
            t.id,
            store::users::NewUser {
                email: domain::EmailAddress::parse("scout@demo.example.jp").expect("email"),
                name: p.name.clone(),
                roles: vec![domain::Role::Employee],
                person_id: Some(domain::PersonId(p.id)),
                password: Some(PW.into()),
            },
        )
        .await
        .expect("user");
    app.signed_in("scout@demo.example.jp").await
}

async fn declare(b: &Browser, wants: &str, experience: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/opportunities/fa").await;
    b.post(
        "/fa/declarations",
        &[
            ("_csrf", csrf.as_str()),
            ("wants", wants),
            ("experience", experience),
        ],
    )
    .await
}

app_test!(
    a_declaration_reaches_managers_elsewhere_and_never_the_declarants_own_manager,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        // Both fields are needed; what was typed stays.
        let (s, body) = declare(&employee, "", "営業で10年の経験").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("やりたいことを入力してください"));
        assert!(body.contains("営業で10年の経験"));
        const WANTS: &str = "FA秘密：人事でキャリア支援の仕事に挑戦したい";
        let (s, _) = declare(&employee, WANTS, "営業で10年の経験").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee.get("/opportunities/fa").await;
        assert!(page.contains("data-testid=\"fa-active\""));
        // A second declaration while one is in force is refused, with the rule named.
        let (s, body) = declare(&employee, "二つ目", "経験").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに宣言中です"));
        let me = domain::PersonId(app.report_of_manager().await);
        let declaration = app.store.declarations_of(t.id, me).await.expect("q")[0].id;

        // The employee's own manager (above, and in the same department) finds nothing:
        // not on the page, over the API, by guessing, or — as an admin — in the audit log.
        let manager_user = app.user("manager@demo.example.jp").await;
        app.store
            .set_roles(
                t.id,
                manager_user.id,
                &domain::RoleSet::new(manager_user.roles.iter().chain([domain::Role::Admin])),
            )
            .await
            .expect("roles");
        let manager = app.signed_in("manager@demo.example.jp").await;
        for p in [
            "/opportunities/fa",
            "/admin/audit",
            "/admin/audit.csv",
            "/notifications",
        ] {
            let (_, body) = manager.get(p).await;
            assert!(!body.contains("FA秘密"), "{p}");
            assert!(
                !body.contains(&format!("FA宣言 #{declaration}")),
                "{p} names it"
            );
        }
        let token = app.token("manager@demo.example.jp").await;
        let (_, json) = app.api(Some(&token), "/api/v1/fa/declarations").await;
        assert!(!json.to_string().contains("FA秘密"));
        let (_, json) = app.api(Some(&token), "/api/v1/audit?limit=500").await;
        assert!(
            !json
                .to_string()
                .contains(&format!("\"target_id\":\"{declaration}\"")),
            "the audit log over the API"
        );
        let (s, _) = app
            .api_post(
                &token,
                &format!("/api/v1/fa/declarations/{declaration}/requests"),
                serde_json::json!({"message": "話を聞かせてください"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "as if it did not exist");

        // A manager of another department sees it and asks for an interview.
        let scout = scout(&app).await;
        let (_, page) = scout.get("/opportunities/fa").await;
        assert!(page.contains(WANTS));
        let csrf = scout.csrf("/opportunities/fa").await;
        let path = format!("/fa/declarations/{declaration}/requests");
        let (s, body) = scout
            .post(&path, &[("_csrf", csrf.as_str()), ("message", " ")])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("メッセージを入力してください"));
        let (s, _) = scout
            .post(
                &path,
                &[
                    ("_csrf", csrf.as_str()),
                    ("message", "人材開発課で一緒に働きませんか"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = scout
            .post(&path, &[("_csrf", csrf.as_str()), ("message", "もう一度")])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに申し込んでいます"));
        // The employee is told, reads it and accepts.
        let employee_user = app.user("employee@demo.example.jp").await.id;
        assert!(
            app.store
                .notifications(t.id, employee_user, 20)
                .await
                .expect("q")
                .iter()
                .any(|n| n.key == "email.fa_request")
        );
        let (_, home) = employee.get("/my").await;
        assert!(
            home.contains("data-testid=\"my-fa-requests\""),
            "it waits on マイキャリア"
        );
        let (_, page) = employee.get("/opportunities/fa").await;
        assert!(page.contains("人材開発課で一緒に働きませんか"));
        let d = app
            .store
            .declaration(t.id, declaration)
            .await
            .expect("q")
            .expect("d");
        let request = app.store.interview_requests(t.id, &d).await.expect("q")[0].id;
        let csrf = employee.csrf("/opportunities/fa").await;
        let (s, _) = employee
            .post(
                &format!("/fa/requests/{request}/answer"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("accept", "1"),
                    ("answer", "ぜひ"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = scout.get("/opportunities/fa").await;
        assert!(page.contains("面談を受ける") && page.contains("ぜひ"));
        // Nobody else answers it: the scout cannot answer their own request.
        let (s, _) = scout
            .post(
                &format!("/fa/requests/{request}/answer"),
                &[("_csrf", csrf.as_str()), ("accept", "0")],
            )
            .await;
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
            "{s}"
        );

        // An expired declaration leaves the hiring managers' list.
        app.store
            .withdraw_declaration(t.id, declaration, chrono::Utc::now())
            .await
            .expect("withdraw");
        let (_, page) = scout.get("/opportunities/fa").await;
        assert!(!page.contains(WANTS));
        let past = chrono::NaiveDate::from_ymd_opt(2024, 4, 1).expect("date");
        let old = app
            .store
            .add_declaration(
                t.id,
                me,
                &domain::fa::Declaration {
                    wants: "昔の宣言".into(),
                    experience: "経験".into(),
                },
                (
                    past,
                    chrono::NaiveDate::from_ymd_opt(2025, 3, 31).expect("date"),
                ),
                chrono::Utc::now(),
            )
            .await
            .expect("old");
        let (_, page) = scout.get("/opportunities/fa").await;
        assert!(
            !page.contains("昔の宣言"),
            "expired declaration {old} hidden"
        );
        // With it gone, the employee may declare again.
        let (s, _) = declare(&employee, "もう一度挑戦したい", "営業").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
    }
);

app_test!(
    declaring_needs_the_months_in_ones_department,
    |app| async move {
        let t = app.demo_tenant().await;
        app.store
            .set_posting_eligibility(
                t.id,
                domain::posting::Eligibility {
                    min_months_in_role: 600,
                },
            )
            .await
            .expect("set");
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get("/opportunities/fa").await;
        assert!(
            page.contains("600か月以上で宣言できます"),
            "told before typing"
        );
        let token = app.token("employee@demo.example.jp").await;
        let (s, json) = app
            .api_post(
                &token,
                "/api/v1/fa/declarations",
                serde_json::json!({"wants": "挑戦", "experience": "経験"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("too_soon_in_role")
        );
        let me = domain::PersonId(app.report_of_manager().await);
        assert!(
            app.store
                .declarations_of(t.id, me)
                .await
                .expect("q")
                .is_empty()
        );
    }
);
