//! 学ぶ and 資格取得支援: HR keeps the course catalogue and the subsidy rules (refused
//! lines named, the form kept); an employee finds a course by a folded keyword, records
//! it and notes how it will be used, and their manager adds theirs; a claim with a wrong
//! receipt changes nothing; HR approves within the cap and records the payment; nobody
//! but the claimant and HR learns of a claim — not the manager made an admin, on no
//! page, receipt or audit view.

use super::*;

/// A day counted from today in Japan, as the server counts days (UTC's date is a day
/// behind between 15:00 and 24:00 UTC).
fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(9) + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// A multipart body: text fields, then the receipt.
fn claim_body(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "KyoritsuClaimBoundary5Gx";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"receipt\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn claim(
    b: &Browser,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let csrf = b.csrf("/opportunities/subsidies").await;
    let (kind, body) = claim_body(fields, file_name, bytes);
    let r = b
        .http
        .post(format!("{}/subsidies?_csrf={csrf}", b.base))
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .expect("claim");
    (r.status(), r.text().await.unwrap_or_default())
}

async fn form(
    b: &Browser,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = b.csrf(from).await;
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(path, &all).await
}

const PDF: &[u8] = b"%PDF-1.4 receipt of the exam fee";

app_test!(
    courses_are_found_recorded_and_used_and_a_subsidy_is_claimed_approved_and_paid_in_confidence,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let learning = "/opportunities/learning";
        let subsidies = "/opportunities/subsidies";

        // What the demo already approved for the employee this year counts against the cap.
        let me = domain::PersonId(app.report_of_manager().await);
        let fy = app
            .store
            .tenant(t.id)
            .await
            .expect("t")
            .settings
            .calendar
            .fiscal_year_of(chrono::Utc::now().date_naive() - chrono::Duration::days(3))
            .0;
        let base = app
            .store
            .approved_in_fy(t.id, me, fy, None)
            .await
            .expect("q");
        let cap = (base + 20_000).to_string();
        // HR's rules: a wrong line is named and the form kept.
        let (s, body) = form(
            &hr,
            subsidies,
            "/subsidies/rules",
            &[
                ("certifications", "統計検定2級：100%\n名前だけの行"),
                ("cap", "20000"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("2行目を"), "the line is named");
        assert!(body.contains("名前だけの行"), "kept as typed");
        let (s, _) = form(
            &hr,
            subsidies,
            "/subsidies/rules",
            &[
                (
                    "certifications",
                    "統計検定2級：100%\n中小企業診断士：15000円",
                ),
                ("cap", cap.as_str()),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);

        // HR's catalogue: e-learning needs its link; the form keeps what was typed.
        let course = [
            ("title", "ピボット集計ドリル"),
            ("kind", "e_learning"),
            ("provider", "DX推進室"),
            ("description", "集計から可視化までを演習で学びます"),
            ("tags", "データ、DX"),
            ("hours", "6"),
        ];
        let (s, body) = form(&hr, learning, "/courses", &course).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("eラーニングにはURLが必要です"));
        assert!(body.contains("集計から可視化までを演習で学びます"));
        let mut with_url = course.to_vec();
        with_url.push(("url", "https://learn.example.jp/data"));
        let (s, _) = form(&hr, learning, "/courses", &with_url).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let course_id = app
            .store
            .courses(t.id)
            .await
            .expect("q")
            .iter()
            .find(|c| c.course.title == "ピボット集計ドリル")
            .expect("added")
            .id;

        // The employee finds it in hiragana and records it, not in the future.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get("/opportunities/learning?q=ぴぼっと").await;
        assert!(page.contains("ピボット集計ドリル"));
        let (_, page) = employee
            .get("/opportunities/learning?q=存在しない講座名")
            .await;
        assert!(!page.contains("ピボット集計ドリル"));
        let path = format!("/courses/{course_id}/complete");
        let tomorrow = day(1);
        let (s, body) = form(&employee, learning, &path, &[("completed_on", &tomorrow)]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("未来の日付は指定できません"));
        let today = day(0);
        let (s, _) = form(&employee, learning, &path, &[("completed_on", &today)]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let done = app.store.completions_of(t.id, &[me]).await.expect("q");
        let completion = done
            .iter()
            .find(|c| c.course_id == course_id)
            .expect("recorded")
            .id;
        let use_path = format!("/completions/{completion}/use");
        let (s, _) = form(
            &employee,
            learning,
            &use_path,
            &[("note", "月次の売上集計をグラフにして共有します")],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // The manager sees it and adds theirs; the manager's home counts what waits.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, page) = manager.get(learning).await;
        assert!(page.contains("月次の売上集計をグラフにして共有します"));
        let (s, _) = form(
            &manager,
            learning,
            &use_path,
            &[("note", "部会の資料作りを任せます")],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app
            .store
            .completion(t.id, completion)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(c.employee_use, "月次の売上集計をグラフにして共有します");
        assert_eq!(c.manager_use, "部会の資料作りを任せます");
        // The admin, outside the line and not HR, finds no entry about it in the log.
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (s, log) = admin.get("/admin/audit?action=learning_changed").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !log.contains("受講の記録") && !log.contains("仕事での活かし方"),
            "{log}"
        );
        // Someone outside the line neither reads nor writes it.
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (s, _) = form(&consultant, learning, &use_path, &[("note", "書き換え")]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, page) = consultant.get(learning).await;
        assert!(!page.contains("月次の売上集計"));

        // The manager prepares a 1on1 with the employee's learning; a consultant, outside
        // the line, prepares without it.
        let about = app.store.dialogues_about(t.id, me).await.expect("q");
        let manager_user = app.user("manager@demo.example.jp").await;
        let consultant_user = app.user("consultant@demo.example.jp").await;
        let held_by = |u: domain::UserId| {
            about
                .iter()
                .find(|d| d.facilitator == u)
                .expect("a dialogue")
                .id
        };
        let (_, prep) = manager
            .get(&format!("/dialogues/{}", held_by(manager_user.id)))
            .await;
        assert!(prep.contains("data-testid=\"prep-learning\""));
        assert!(prep.contains("ピボット集計ドリル"));
        let (_, prep) = consultant
            .get(&format!("/dialogues/{}", held_by(consultant_user.id)))
            .await;
        assert!(prep.contains("data-testid=\"preparation\""), "prepared");
        assert!(!prep.contains("data-testid=\"prep-learning\""));

        // A claim with a receipt that is not what it says changes nothing.
        let exam = day(-3);
        let fields = [
            ("certification", "統計検定2級"),
            ("exam_on", exam.as_str()),
            ("fee", "7,000"),
            ("note", "受験メモ秘密"),
        ];
        let before = app.store.claims_of(t.id, me).await.expect("q").len();
        let (s, body) = claim(&employee, &fields, "receipt.pdf", b"<html>not a pdf</html>").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("拡張子と中身が一致"));
        assert!(body.contains("受験メモ秘密"), "kept as typed");
        assert_eq!(
            app.store.claims_of(t.id, me).await.expect("q").len(),
            before,
            "nothing written"
        );
        let (s, _) = claim(&employee, &fields, "receipt.pdf", PDF).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let first = app.store.claims_of(t.id, me).await.expect("q")[0].clone();
        assert_eq!(first.amount_yen, 7_000, "100% of the fee");

        // The manager — even made an admin — finds no trace of the claim.
        let manager_user = app.user("manager@demo.example.jp").await;
        let roles = domain::RoleSet::new(manager_user.roles.iter().chain([domain::Role::Admin]));
        app.store
            .set_roles(t.id, manager_user.id, &roles)
            .await
            .expect("roles");
        let manager = app.signed_in("manager@demo.example.jp").await;
        for p in [
            subsidies,
            "/admin/audit",
            "/admin/audit?action=learning_changed",
            "/admin/audit.csv",
        ] {
            let (_, page) = manager.get(p).await;
            assert!(!page.contains("受験メモ秘密"), "{p}");
            assert!(
                !page.contains("統計検定2級：") && !page.contains("資格取得支援の申請"),
                "{p}"
            );
        }
        let (s, _) = manager
            .get(&format!("/subsidies/{}/receipt", first.id))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Nor over the API, where the member's completion is theirs to read.
        let token = app.token("manager@demo.example.jp").await;
        let (_, json) = app.api(Some(&token), "/api/v1/subsidies").await;
        assert_eq!(json["others"], serde_json::json!([]));
        assert!(!json["mine"].to_string().contains("統計検定2級"));
        let (s, json) = app
            .api_post(
                &token,
                &format!("/api/v1/subsidies/{}/decision", first.id),
                serde_json::json!({"decision": "approve"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{json}");
        let (_, json) = app.api(Some(&token), "/api/v1/completions").await;
        assert!(
            json["members"]
                .to_string()
                .contains("部会の資料作りを任せます")
        );
        let (_, json) = app
            .api(
                Some(&token),
                "/api/v1/courses?q=%E3%81%B4%E3%81%BC%E3%81%A3%E3%81%A8",
            )
            .await;
        assert_eq!(json["courses"][0]["title"], "ピボット集計ドリル", "{json}");
        let (s, _) = form(
            &manager,
            subsidies,
            &format!("/subsidies/{}/decision", first.id),
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // HR reads the receipt (audited), approves, pays; the employee is told.
        let r = hr
            .http
            .get(format!("{}/subsidies/{}/receipt", hr.base, first.id))
            .send()
            .await
            .expect("r");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.expect("b").as_ref(), PDF);
        let decision = format!("/subsidies/{}/decision", first.id);
        let (s, body) = form(
            &hr,
            subsidies,
            &decision,
            &[("decision", "refuse"), ("reason", " ")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("理由を書いてください"));
        let (s, _) = form(&hr, subsidies, &decision, &[("decision", "approve")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = form(
            &hr,
            subsidies,
            &format!("/subsidies/{}/paid", first.id),
            &[("paid_on", &today)],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let paid = app
            .store
            .claim(t.id, first.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(paid.status, domain::learning::ClaimStatus::Paid);
        let (_, page) = employee.get(subsidies).await;
        assert!(page.contains("data-status=\"paid\""));
        let this_fy = app
            .store
            .tenant(t.id)
            .await
            .expect("t")
            .settings
            .calendar
            .fiscal_year_of(domain::japan_time::japan_date(chrono::Utc::now()))
            .0;
        if this_fy == fy {
            assert!(page.contains("13,000円"), "what is left of the year's cap");
        }
        let employee_user = app.user("employee@demo.example.jp").await.id;
        assert!(
            app.store
                .notifications(t.id, employee_user, 20)
                .await
                .expect("q")
                .iter()
                .any(|n| n.key == "email.subsidy_changed")
        );
        let filter = store::audit::AuditFilter {
            action: Some(domain::audit::AuditAction::ConfidentialRead),
            target_type: Some("subsidy_claim".into()),
            ..Default::default()
        };
        let (read, _) = app.store.list_audit(t.id, &filter, 10, 0).await.expect("q");
        assert!(
            read.iter()
                .any(|e| e.target_id.as_deref() == Some(first.id.to_string().as_str())),
            "HR's reading of the receipt is audited"
        );

        // The cap: the next claim gets what is left, then nothing.
        let second = [
            ("certification", "中小企業診断士"),
            ("exam_on", exam.as_str()),
            ("fee", "30000"),
        ];
        let (s, _) = claim(&employee, &second, "r.png", b"\x89PNG\r\n\x1a\nimage").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let second_id = app.store.claims_of(t.id, me).await.expect("q")[0].id;
        let (s, _) = form(
            &hr,
            subsidies,
            &format!("/subsidies/{second_id}/decision"),
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let approved = app
            .store
            .claim(t.id, second_id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(
            approved.amount_yen, 13_000,
            "the rate (15,000) within the cap's rest"
        );
        let (s, body) = claim(&employee, &fields, "receipt.pdf", PDF).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let total = (base + 20_000).to_string();
        let grouped: String = total
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let sep = i > 0 && (total.len() - i) % 3 == 0;
                sep.then_some(',').into_iter().chain([c])
            })
            .collect();
        let cap_said = format!("上限（{grouped}円）に達している");
        assert!(body.contains(&cap_said), "{cap_said}");

        // HR never decides their own claim.
        let (s, _) = claim(&hr, &fields, "receipt.pdf", PDF).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let own = app
            .store
            .claims_of(
                t.id,
                domain::PersonId(app.person_of("hr@demo.example.jp").await),
            )
            .await
            .expect("q")[0]
            .id;
        let (s, _) = form(
            &hr,
            subsidies,
            &format!("/subsidies/{own}/decision"),
            &[("decision", "approve")],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
