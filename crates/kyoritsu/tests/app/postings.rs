//! 社内公募: HR publishes a posting with its criteria; an employee finds it by keyword and
//! applies; the hiring side records each stage with a reason; the applicant's current
//! manager finds no trace of the application anywhere — page, API, export, profile,
//! notices, audit log — until it reaches the posting's reveal stage.

use super::*;

/// The code of the department of the person behind `email`.
async fn department_code(app: &TestApp, email: &str) -> String {
    let t = app.demo_tenant().await;
    let p = app
        .store
        .person(t.id, domain::PersonId(app.person_of(email).await))
        .await
        .expect("q")
        .expect("person");
    app.store
        .department_path(t.id, p.department_id.expect("a department"))
        .await
        .expect("q")
        .last()
        .expect("path")
        .code
        .clone()
}

fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// HR publishes a posting in HR's own department; its id.
async fn publish(app: &TestApp, hr: &Browser, title: &str, extra: &[(&str, &str)]) -> i64 {
    let code = department_code(app, "hr@demo.example.jp").await;
    let csrf = hr.csrf("/postings/new").await;
    let (opens, closes) = (day(-1), day(20));
    let mut form = vec![
        ("_csrf", csrf.as_str()),
        ("title", title),
        ("department", code.as_str()),
        ("work", "社内データの分析と、営業部門への提案を担当します。"),
        ("required", "表計算での集計の経験"),
        ("criteria", "分析から行動までを説明できるかを見ます。"),
        ("headcount", "2"),
        ("opens_on", opens.as_str()),
        ("closes_on", closes.as_str()),
        ("stages", ""),
        ("reveal_stage", ""),
    ];
    for (k, v) in extra {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    let (s, body) = hr.post("/postings", &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let t = app.demo_tenant().await;
    app.store
        .postings(t.id)
        .await
        .expect("q")
        .into_iter()
        .find(|p| p.posting.title == title)
        .expect("published")
        .id
}

async fn apply(b: &Browser, posting: i64, motivation: &str) -> (StatusCode, String) {
    let csrf = b.csrf(&format!("/postings/{posting}")).await;
    b.post(
        &format!("/postings/{posting}/apply"),
        &[("_csrf", csrf.as_str()), ("motivation", motivation)],
    )
    .await
}

async fn record(
    b: &Browser,
    application: i64,
    stage: &str,
    outcome: &str,
    reason: &str,
) -> (StatusCode, String) {
    let csrf = b.csrf(&format!("/applications/{application}")).await;
    b.post(
        &format!("/applications/{application}/stage"),
        &[
            ("_csrf", csrf.as_str()),
            ("stage", stage),
            ("outcome", outcome),
            ("reason", reason),
        ],
    )
    .await
}

async fn application_of(app: &TestApp, email: &str, posting: i64) -> i64 {
    let t = app.demo_tenant().await;
    app.store
        .applications_of(t.id, domain::PersonId(app.person_of(email).await))
        .await
        .expect("q")
        .into_iter()
        .find(|a| a.posting_id == posting)
        .expect("applied")
        .id
}

app_test!(
    hr_publishes_an_employee_finds_and_applies_and_the_hiring_side_records_each_stage,
    |app| async move {
        let hr = app.signed_in("hr@demo.example.jp").await;
        // A posting without criteria is refused, with everything typed kept.
        let code = department_code(&app, "hr@demo.example.jp").await;
        let csrf = hr.csrf("/postings/new").await;
        let (s, body) = hr
            .post(
                "/postings",
                &[
                    ("_csrf", csrf.as_str()),
                    ("title", "基準のない公募"),
                    ("department", code.as_str()),
                    ("work", "書いた仕事内容"),
                    ("criteria", ""),
                    ("headcount", "0"),
                    ("opens_on", "2026-13-01"),
                    ("closes_on", &day(10)),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        for said in [
            "選考基準を入力してください",
            "募集人数は1から999まで",
            "募集開始日を「2026-04-01」の形で",
        ] {
            assert!(body.contains(said), "{said}");
        }
        assert!(body.contains("基準のない公募") && body.contains("書いた仕事内容"));
        let posting = publish(&app, &hr, "データ分析チーム（公募テスト）", &[]).await;

        // The employee finds it by keyword — in hiragana too — and not by other words.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, list) = employee
            .get("/opportunities?q=%E3%81%A7%E3%83%BC%E3%81%9F")
            .await;
        assert!(
            list.contains("データ分析チーム（公募テスト）"),
            "でーた finds データ"
        );
        let (_, list) = employee
            .get("/opportunities?q=%E6%B5%B7%E5%A4%96%E8%B5%B4%E4%BB%BB")
            .await;
        assert!(!list.contains("データ分析チーム（公募テスト）"));
        let (_, page) = employee.get(&format!("/postings/{posting}")).await;
        assert!(
            page.contains("分析から行動までを説明できるかを見ます。"),
            "criteria shown"
        );
        assert!(
            page.contains("「内定」の段階に進むまで"),
            "the reveal stage said"
        );

        // Applying: no motivation is refused and explained; then it goes through once.
        let (s, body) = apply(&employee, posting, "  ").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("志望動機を入力してください"));
        let (s, _) = apply(
            &employee,
            posting,
            "数字から営業を支える仕事に挑戦したいです。",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = apply(&employee, posting, "二度目の応募").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに応募しています"));
        let application = application_of(&app, "employee@demo.example.jp", posting).await;
        let t = app.demo_tenant().await;
        assert_eq!(
            app.store
                .applications_to(t.id, posting)
                .await
                .expect("q")
                .len(),
            1,
            "one application per person and posting"
        );

        // It waits on the hiring side's home; the hiring side reads it, and records the
        // stages in order, each with a reason.
        let (_, home) = hr.get("/programmes").await;
        assert!(home.contains("data-testid=\"applications-waiting\""));
        let (_, page) = hr.get(&format!("/postings/{posting}")).await;
        assert!(page.contains("data-testid=\"applicant-row\""));
        let (_, page) = hr.get(&format!("/applications/{application}")).await;
        assert!(page.contains("数字から営業を支える仕事に挑戦したいです。"));
        let (s, body) = record(&hr, application, "0", "passed", " ").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("理由を入力してください"));
        let (s, body) = record(&hr, application, "1", "passed", "面接の前に記録").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("段階は順番に記録してください"));
        assert!(body.contains("面接の前に記録"), "the reason kept as typed");
        let (s, _) = record(
            &hr,
            application,
            "0",
            "passed",
            "書類の具体例がよかったです。",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // The applicant sees the stage and the reason given.
        let (_, mine) = employee.get(&format!("/applications/{application}")).await;
        assert!(mine.contains("面接の選考中"));
        assert!(mine.contains("書類の具体例がよかったです。"));
        let (_, list) = employee.get("/opportunities").await;
        assert!(list.contains("data-testid=\"my-application\""));
        // Not selected at the interview: decided; nothing more can be recorded.
        let (s, _) = record(
            &hr,
            application,
            "1",
            "not_selected",
            "今回は経験の近い方を選びました。",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = record(&hr, application, "1", "passed", "取り消し").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに終わっている"));
        let (_, mine) = employee.get(&format!("/applications/{application}")).await;
        assert!(mine.contains("面接で見送り") && mine.contains("今回は経験の近い方を選びました。"));
        // Someone else — a colleague who is not on the hiring side — finds nothing.
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (s, _) = consultant
            .get(&format!("/applications/{application}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Every step is in the audit log; the motivation and reasons never are.
        let (_, audit) = app
            .signed_in("admin@demo.example.jp")
            .await
            .get("/admin/audit")
            .await;
        assert!(audit.contains("応募の変更") && audit.contains("社内公募の変更"));
        assert!(!audit.contains("数字から営業を支える"));
        // The applicant and the hiring manager were told, without any words of it.
        let hr_user = app.user("hr@demo.example.jp").await.id;
        let notices = app.store.notifications(t.id, hr_user, 20).await.expect("q");
        assert!(
            notices
                .iter()
                .any(|n| n.key == "email.application_received")
        );
    }
);

app_test!(
    eligibility_is_checked_with_the_rule_named_and_nothing_is_written,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let graded = publish(&app, &hr, "等級の決まった公募", &[("grades", "G1、G2")]).await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get(&format!("/postings/{graded}")).await;
        assert!(
            page.contains("応募できる等級はG1・G2です"),
            "told before typing"
        );
        let (s, body) = apply(&employee, graded, "挑戦したいです").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("応募できる等級はG1・G2です"));
        assert!(body.contains("挑戦したいです"), "kept as typed");
        // The company's rule on months in one's department, set by HR on the page (a
        // number out of range changes nothing; only HR sets it).
        let csrf = hr.csrf("/opportunities").await;
        for (months, saved) in [("999", false), ("１２０", true)] {
            let (s, _) = hr
                .post(
                    "/postings/eligibility",
                    &[("_csrf", csrf.as_str()), ("months", months)],
                )
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            assert_eq!(
                app.store
                    .posting_eligibility(t.id)
                    .await
                    .expect("q")
                    .min_months_in_role
                    == 120,
                saved,
                "{months}"
            );
        }
        let ecsrf = employee.csrf("/opportunities").await;
        let (s, _) = employee
            .post(
                "/postings/eligibility",
                &[("_csrf", ecsrf.as_str()), ("months", "0")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, page) = employee.get("/opportunities").await;
        assert!(
            page.contains("在籍が120か月以上の社員が"),
            "everyone reads the rule"
        );
        // The demo employee has been in their department longer than the page allows;
        // the store takes a longer rule, to see it refuse.
        app.store
            .set_posting_eligibility(
                t.id,
                domain::posting::Eligibility {
                    min_months_in_role: 600,
                },
            )
            .await
            .expect("set");
        let open = publish(&app, &hr, "在籍期間の公募", &[]).await;
        let (s, body) = apply(&employee, open, "挑戦したいです").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("600か月以上で応募できます"));
        // One's own department's posting.
        let own = department_code(&app, "employee@demo.example.jp").await;
        let mine = publish(&app, &hr, "自部署の公募", &[("department", own.as_str())]).await;
        let (_, page) = employee.get(&format!("/postings/{mine}")).await;
        assert!(page.contains("ご自身の部署の公募には応募できません"));
        // A closed posting (taken down by HR after a confirmation).
        let csrf = hr.csrf(&format!("/postings/{open}")).await;
        let (s, _) = hr
            .post(
                &format!("/postings/{open}/take-down"),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee.get(&format!("/postings/{open}")).await;
        assert!(page.contains("掲載終了") && page.contains("締め切られました"));
        let me = domain::PersonId(app.person_of("employee@demo.example.jp").await);
        assert!(
            app.store
                .applications_of(t.id, me)
                .await
                .expect("q")
                .iter()
                .all(|a| ![graded, open, mine].contains(&a.posting_id)),
            "nothing was written"
        );
        // A manager publishes only within their own organisation.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let hr_code = department_code(&app, "hr@demo.example.jp").await;
        let csrf = manager.csrf("/postings/new").await;
        let (s, body) = manager
            .post(
                "/postings",
                &[
                    ("_csrf", csrf.as_str()),
                    ("title", "他部署の公募"),
                    ("department", hr_code.as_str()),
                    ("work", "仕事"),
                    ("criteria", "基準"),
                    ("headcount", "1"),
                    ("opens_on", &day(0)),
                    ("closes_on", &day(5)),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("あなたの組織の外にあります"));
        // An employee publishes nothing.
        let (s, _) = employee.get("/postings/new").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_applicants_manager_finds_no_trace_of_the_application_until_the_offer,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let posting = publish(&app, &hr, "秘匿テスト用の公募", &[]).await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        const SECRET: &str = "上司に知られずに挑戦したい秘密の動機";
        let (s, _) = apply(&employee, posting, SECRET).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let application = application_of(&app, "employee@demo.example.jp", posting).await;
        let me = app.report_of_manager().await;
        // The demo manager — made an admin too, so the audit log is within reach — and
        // their token.
        let manager_user = app.user("manager@demo.example.jp").await;
        let roles = domain::RoleSet::new(manager_user.roles.iter().chain([domain::Role::Admin]));
        app.store
            .set_roles(t.id, manager_user.id, &roles)
            .await
            .expect("roles");
        let manager = app.signed_in("manager@demo.example.jp").await;
        let token = app.token("manager@demo.example.jp").await;
        let employee_name = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .name;
        // Every page, export and API route the manager can reach.
        let mut pages = vec![
            "/opportunities".to_string(),
            "/opportunities?shelf=saved".into(),
            "/opportunities?shelf=managed".into(),
            format!("/postings/{posting}"),
            format!("/people/{me}"),
            "/members".into(),
            "/notifications".into(),
            "/admin/audit".into(),
            "/admin/audit.csv".into(),
            format!("/admin/audit?action=application_changed"),
            format!("/admin/audit?action=confidential_read"),
            "/postings/export.xlsx".into(),
            "/kpi".into(),
            "/requests".into(),
        ];
        // A 1on1 the manager holds with the applicant: its preparation lists none of it.
        let one_on_one = app
            .store
            .dialogues_about(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .into_iter()
            .find(|d| d.facilitator == manager_user.id)
            .expect("the demo manager meets their report")
            .id;
        pages.push(format!("/dialogues/{one_on_one}"));
        // Guessing ids: the application's own and those around it.
        for id in (application - 3).max(1)..=application + 3 {
            pages.push(format!("/applications/{id}"));
        }
        let check = |what: String, body: &str| {
            assert!(!body.contains(SECRET), "{what} shows the motivation");
            assert!(
                !body.contains(&format!("/applications/{application}\"")),
                "{what} links the application"
            );
            assert!(
                !body.contains(&format!("応募 #{application}")),
                "{what} names it"
            );
        };
        for p in &pages {
            let (s, body) = manager.get(p).await;
            check(format!("GET {p} ({s})"), &body);
            if p == &format!("/applications/{application}") {
                assert_eq!(s, StatusCode::NOT_FOUND, "as if it did not exist");
            }
            if p == &format!("/dialogues/{one_on_one}") {
                assert_eq!(s, StatusCode::OK);
                assert!(body.contains("data-testid=\"preparation\""), "prepared");
                assert!(
                    !body.contains("data-testid=\"prep-application\""),
                    "no application in the preparation"
                );
            }
            if p == &format!("/people/{me}") {
                assert!(
                    !body.contains("秘匿テスト用の公募"),
                    "the profile names no posting"
                );
            }
            if p == &format!("/postings/{posting}") {
                assert!(!body.contains("data-testid=\"applicant-row\""));
                assert!(!body.contains(&employee_name), "the applicant is not named");
            }
        }
        for p in [
            "/api/v1/postings".to_string(),
            "/api/v1/postings?shelf=managed".into(),
            format!("/api/v1/postings/{posting}"),
            format!("/api/v1/postings/{posting}/applications"),
            "/api/v1/applications".into(),
            format!("/api/v1/applications/{application}"),
            "/api/v1/audit?limit=500".into(),
            format!("/api/v1/people/{me}"),
        ] {
            let (s, json) = app.api(Some(&token), &p).await;
            let body = json.to_string();
            check(format!("API {p} ({s})"), &body);
            assert!(
                !body.contains(&format!("\"target_id\":\"{application}\"")),
                "API {p} lists an audit entry about it"
            );
            if p.ends_with(&format!("/postings/{posting}")) {
                assert_eq!(json["applications"], serde_json::Value::Null, "no count");
            }
            if p.ends_with("/applications") {
                assert_eq!(json, serde_json::json!([]), "API {p}");
            }
        }
        let (s, _) = app
            .api(Some(&token), &format!("/api/v1/applications/{application}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // The hiring side moves it through 書類選考 and 面接 to 内定.
        let (s, _) = record(&hr, application, "0", "passed", "書類の理由").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = manager.get(&format!("/applications/{application}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "still hidden at the interview");
        let (s, _) = record(&hr, application, "1", "passed", "面接の理由").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Now the manager sees which posting and that it is an offer — not the words.
        let (s, page) = manager.get(&format!("/applications/{application}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("内定") && page.contains("秘匿テスト用の公募"));
        assert!(!page.contains(SECRET) && !page.contains("面接の理由"));
        let (_, profile) = manager.get(&format!("/people/{me}")).await;
        assert!(profile.contains("data-testid=\"person-application\""));
        // …and in the 1on1's preparation, with the offer, never the words.
        let (_, prep) = manager.get(&format!("/dialogues/{one_on_one}")).await;
        assert!(prep.contains("data-testid=\"prep-application\""));
        assert!(prep.contains("秘匿テスト用の公募") && !prep.contains(SECRET));
        let (_, json) = app
            .api(Some(&token), &format!("/api/v1/applications/{application}"))
            .await;
        assert_eq!(json["view"], "line_above");
        assert_eq!(json["motivation"], "");
        assert_eq!(json["outcomes"], serde_json::json!([]));
    }
);

app_test!(
    postings_and_applications_over_the_api_follow_the_same_rules,
    |app| async move {
        let hr = app.token("hr@demo.example.jp").await;
        let code = department_code(&app, "hr@demo.example.jp").await;
        // Problems of a posting, all at once.
        let (s, json) = app
            .api_post(
                &hr,
                "/api/v1/postings",
                serde_json::json!({
                    "title": "API公募", "department": "NO-SUCH", "work": "仕事",
                    "criteria": "", "headcount": 1,
                    "opens_on": day(0), "closes_on": day(-3)
                }),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let message = json["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for p in [
            "criteria_missing",
            "closes_before_opens",
            "department_unknown",
        ] {
            assert!(message.contains(p), "{p} in {message}");
        }
        let (s, json) = app
            .api_post(
                &hr,
                "/api/v1/postings",
                serde_json::json!({
                    "title": "API公募", "department": code, "work": "仕事",
                    "criteria": "基準", "headcount": 1, "grades": [],
                    "opens_on": day(0), "closes_on": day(3),
                    "stages": ["書類選考", "面接", "最終面接", "内定"], "reveal_stage": "最終面接"
                }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{json}");
        let posting = json["id"].as_i64().expect("id");
        let employee = app.token("employee@demo.example.jp").await;
        let (_, list) = app.api(Some(&employee), "/api/v1/postings?q=API").await;
        assert!(
            list.as_array()
                .expect("list")
                .iter()
                .any(|p| p["id"] == posting)
        );
        let (s, json) = app
            .api_post(
                &employee,
                &format!("/api/v1/postings/{posting}/applications"),
                serde_json::json!({"motivation": ""}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("motivation_missing")
        );
        let (s, json) = app
            .api_post(
                &employee,
                &format!("/api/v1/postings/{posting}/applications"),
                serde_json::json!({"motivation": "APIからの応募"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let application = json["id"].as_i64().expect("id");
        // Out of order, then in order; the line above sees it from 最終面接 on.
        let (s, json) = app
            .api_post(
                &hr,
                &format!("/api/v1/applications/{application}/outcomes"),
                serde_json::json!({"stage": 1, "outcome": "passed", "reason": "r"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(json["error"]["code"], "out_of_order");
        let manager = app.token("manager@demo.example.jp").await;
        for (stage, visible) in [(0, false), (1, true)] {
            let (s, json) = app
                .api_post(
                    &hr,
                    &format!("/api/v1/applications/{application}/outcomes"),
                    serde_json::json!({"stage": stage, "outcome": "passed", "reason": "理由"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{json}");
            let (s, _) = app
                .api(
                    Some(&manager),
                    &format!("/api/v1/applications/{application}"),
                )
                .await;
            assert_eq!(s == StatusCode::OK, visible, "after stage {stage}");
        }
        let (_, mine) = app
            .api(Some(&employee), "/api/v1/applications?limit=500")
            .await;
        assert_eq!(mine[0]["status"], "in_stage");
        assert_eq!(mine[0]["stage"], "最終面接");
    }
);
