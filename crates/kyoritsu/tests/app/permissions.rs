//! Who may open, read and post what: the permission matrices for pages, API and forms, reporting lines, tenants, and audited reads of people.

use super::*;

// Every page route × every demo role (and anonymous): allowed (200), refused (403) or
// sent to sign in (303). Person profiles are relative to the demo manager's line.
app_test!(permission_matrix_for_pages, |app| async move {
    let (held, _, _, _) = demo_dialogues(&app).await;
    let report = app.report_of_manager().await;
    let outsider = app.outsider().await;
    let manager_person = app.person_of("manager@demo.example.jp").await;
    let t = app.demo_tenant().await;
    let programme = app.store.programmes(t.id).await.expect("q")[0].id;
    // A training session run by the demo instructor (森田), in any programme.
    let instructor = app.user("instructor@demo.example.jp").await.id;
    let roster = app
        .store
        .sessions_of_instructor(t.id, instructor)
        .await
        .expect("q")
        .first()
        .map(|s| format!("/programmes/{}/sessions/{}", s.programme, s.id))
        .expect("a demo session of the instructor");
    let cc = app.user("consultant@demo.example.jp").await.id.0;
    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::FORBIDDEN;
    // columns: employee, manager, consultant, instructor, hr, admin
    let routes: Vec<(String, [S; 6])> = vec![
        ("/my".into(), [OK, OK, OK, OK, OK, OK]),
        // Everyone in the employee master has their own sheet; the external instructor not.
        ("/my/career-sheet".into(), [OK, OK, OK, NO, OK, OK]),
        ("/members".into(), [NO, OK, NO, NO, NO, NO]),
        ("/questions".into(), [NO, OK, OK, NO, OK, OK]),
        ("/clients".into(), [NO, NO, OK, NO, NO, NO]),
        // A consultant's own profile; HR's list of consultants (never who consults whom).
        ("/consultant/profile".into(), [NO, NO, OK, NO, NO, NO]),
        ("/consultants".into(), [NO, NO, NO, NO, OK, NO]),
        // A profile is written for employees to read: anyone in the company.
        (format!("/consultants/{cc}"), [OK, OK, OK, OK, OK, OK]),
        // One's own values diagnosis: for everyone in the employee master.
        ("/my/consultant-diagnosis".into(), [OK, OK, OK, NO, OK, OK]),
        // Choosing one's own consultant: everyone in the employee master; a consultant's
        // own open slots.
        ("/my/consultants".into(), [OK, OK, OK, NO, OK, OK]),
        ("/consultant/slots".into(), [NO, NO, OK, NO, NO, NO]),
        ("/training".into(), [NO, NO, NO, OK, NO, NO]),
        // Surveys: HR runs them; everyone sees the ones they were asked in; the
        // organisation report is HR's and, for their own unit, a manager's.
        ("/surveys".into(), [NO, NO, NO, NO, OK, NO]),
        ("/my/surveys".into(), [OK, OK, OK, OK, OK, OK]),
        ("/org-report".into(), [NO, OK, NO, NO, OK, NO]),
        ("/kpi".into(), [NO, OK, NO, NO, OK, NO]),
        ("/kpi/export.xlsx".into(), [NO, OK, NO, NO, OK, NO]),
        ("/programmes".into(), [NO, NO, NO, NO, OK, NO]),
        ("/programmes/new".into(), [NO, NO, NO, NO, OK, NO]),
        (format!("/programmes/{programme}"), [NO, NO, NO, NO, OK, NO]),
        (
            format!("/programmes/{programme}/export.xlsx"),
            [NO, NO, NO, NO, OK, NO],
        ),
        // Rosters: HR and the session's own instructor; no notes in them.
        (roster.clone(), [NO, NO, NO, OK, OK, NO]),
        (format!("{roster}/roster.pdf"), [NO, NO, NO, OK, OK, NO]),
        (format!("{roster}/roster.xlsx"), [NO, NO, NO, OK, OK, NO]),
        ("/admin".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/users".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/audit".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/outbox".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/invitations".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/sso".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/scim".into(), [NO, NO, NO, NO, NO, OK]),
        // One's own account: everyone signed in.
        ("/account".into(), [OK, OK, OK, OK, OK, OK]),
        ("/account/tokens".into(), [OK, OK, OK, OK, OK, OK]),
        ("/admin/tokens".into(), [NO, NO, NO, NO, NO, OK]),
        ("/role-models".into(), [OK, OK, OK, OK, OK, OK]),
        // 社内公募: everyone browses; HR and managers publish; HR exports.
        ("/opportunities".into(), [OK, OK, OK, OK, OK, OK]),
        (
            "/opportunities?shelf=managed".into(),
            [OK, OK, OK, OK, OK, OK],
        ),
        ("/postings/new".into(), [NO, OK, NO, NO, OK, NO]),
        ("/postings/export.xlsx".into(), [NO, NO, NO, NO, OK, NO]),
        ("/opportunities/fa".into(), [OK, OK, OK, OK, OK, OK]),
        ("/opportunities/side-jobs".into(), [OK, OK, OK, OK, OK, OK]),
        // 学ぶ・資格取得支援: everyone; each sees their own, HR everyone's claims.
        ("/opportunities/learning".into(), [OK, OK, OK, OK, OK, OK]),
        ("/opportunities/subsidies".into(), [OK, OK, OK, OK, OK, OK]),
        // 会社の方針: everyone reads it; HR writes it.
        ("/policy".into(), [OK, OK, OK, OK, OK, OK]),
        ("/policy/edit".into(), [NO, NO, NO, NO, OK, NO]),
        // Each person's own pairs, requests and notices: what is in them is theirs alone.
        ("/pairs".into(), [OK, OK, OK, OK, OK, OK]),
        ("/requests".into(), [OK, OK, OK, OK, OK, OK]),
        ("/notifications".into(), [OK, OK, OK, OK, OK, OK]),
        // Like the career sheet: for everyone in the employee master.
        ("/my/anchors".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/anchors/take".into(), [OK, OK, OK, NO, OK, OK]),
        ("/role-models/new".into(), [NO, NO, OK, NO, OK, NO]),
        ("/admin/audit.csv".into(), [NO, NO, NO, NO, NO, OK]),
        ("/people/import".into(), [NO, NO, NO, NO, OK, OK]),
        ("/people?q=".into(), [NO, OK, NO, NO, OK, OK]),
        ("/org".into(), [NO, NO, NO, NO, OK, OK]),
        ("/org/1/children".into(), [NO, NO, NO, NO, OK, OK]),
        ("/people/export?format=csv".into(), [NO, NO, NO, NO, OK, OK]),
        (
            "/people/export?format=xlsx".into(),
            [NO, NO, NO, NO, OK, OK],
        ),
        (format!("/people/{report}"), [OK, OK, NO, NO, OK, OK]),
        (
            format!("/people/{manager_person}"),
            [NO, OK, NO, NO, OK, OK],
        ),
        (format!("/people/{outsider}"), [NO, NO, NO, NO, OK, OK]),
        // Dialogues: anyone in the employee master may hold one; HR assigns consultants.
        ("/dialogues".into(), [OK, OK, OK, NO, OK, OK]),
        ("/dialogues/new".into(), [OK, OK, OK, NO, OK, OK]),
        ("/assignments".into(), [NO, NO, NO, NO, OK, NO]),
        ("/reports".into(), [NO, OK, NO, NO, NO, NO]),
        ("/autonomy".into(), [OK, OK, OK, OK, OK, OK]),
        ("/my/records".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/records.csv".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/records.pdf".into(), [OK, OK, OK, NO, OK, OK]),
        // The demo's held career interview: the employee, their manager (logistics only)
        // and the consultant; nobody else, HR and admin included.
        (format!("/dialogues/{held}"), [OK, OK, OK, NO, NO, NO]),
        (
            format!("/dialogues/{held}/calendar.ics"),
            [OK, NO, OK, NO, NO, NO],
        ),
    ];
    let emails = [
        "employee",
        "manager",
        "consultant",
        "instructor",
        "hr",
        "admin",
    ]
    .map(|r| format!("{r}@demo.example.jp"));
    let mut browsers = Vec::new();
    for e in &emails {
        browsers.push(app.signed_in(e).await);
    }
    let anonymous = app.browser();
    let mut failures = Vec::new();
    for (path, expected) in &routes {
        for (i, b) in browsers.iter().enumerate() {
            let (got, _) = b.get(path).await;
            if got != expected[i] {
                failures.push(format!(
                    "{} GET {path}: expected {}, got {got}",
                    emails[i], expected[i]
                ));
            }
        }
        let (got, location) = anonymous.get_with_location(path).await;
        if got != S::SEE_OTHER || !location.starts_with("/login") {
            failures.push(format!(
                "anonymous GET {path}: expected a redirect to /login, got {got} {location}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

app_test!(permission_matrix_for_the_api, |app| async move {
    let (held, _, _, _) = demo_dialogues(&app).await;
    let report = app.report_of_manager().await;
    let outsider = app.outsider().await;
    let t = app.demo_tenant().await;
    let programme = app.store.programmes(t.id).await.expect("q")[0].id;
    let instructor = app.user("instructor@demo.example.jp").await.id;
    let roster = app
        .store
        .sessions_of_instructor(t.id, instructor)
        .await
        .expect("q")
        .first()
        .map(|s| format!("/api/v1/programmes/{}/sessions/{}", s.programme, s.id))
        .expect("a demo session of the instructor");
    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::FORBIDDEN;
    let routes: Vec<(String, [S; 6])> = vec![
        ("/api/v1/me".into(), [OK, OK, OK, OK, OK, OK]),
        ("/api/v1/me/career-sheet".into(), [OK, OK, OK, NO, OK, OK]),
        (
            "/api/v1/me/career-sheet/versions".into(),
            [OK, OK, OK, NO, OK, OK],
        ),
        ("/api/v1/members".into(), [NO, OK, NO, NO, NO, NO]),
        ("/api/v1/users".into(), [NO, NO, NO, NO, NO, OK]),
        ("/api/v1/audit".into(), [NO, NO, NO, NO, NO, OK]),
        (format!("/api/v1/people/{report}"), [OK, OK, NO, NO, OK, OK]),
        (
            format!("/api/v1/people/{outsider}"),
            [NO, NO, NO, NO, OK, OK],
        ),
        ("/api/v1/dialogues".into(), [OK, OK, OK, OK, OK, OK]),
        (
            format!("/api/v1/dialogues/{held}"),
            [OK, OK, OK, NO, NO, NO],
        ),
        ("/api/v1/me/records".into(), [OK, OK, OK, NO, OK, OK]),
        // Consultants' profiles are for everyone in the company; proposals for those in
        // the employee master.
        (
            "/api/v1/consultants?q=介護".into(),
            [OK, OK, OK, OK, OK, OK],
        ),
        (
            "/api/v1/me/consultant-proposals".into(),
            [OK, OK, OK, NO, OK, OK],
        ),
        // Commitments: one's own and those recorded in one's dialogues (empty lists for
        // those without any); autonomy's definition for everyone; reports for managers.
        ("/api/v1/me/commitments".into(), [OK, OK, OK, OK, OK, OK]),
        (
            "/api/v1/commitments/recorded".into(),
            [OK, OK, OK, OK, OK, OK],
        ),
        ("/api/v1/autonomy".into(), [OK, OK, OK, OK, OK, OK]),
        ("/api/v1/reports".into(), [NO, OK, NO, NO, NO, NO]),
        // The organisation tree: those who browse the directory; one's notices: anyone.
        ("/api/v1/org".into(), [NO, NO, NO, NO, OK, OK]),
        ("/api/v1/people?q=".into(), [NO, OK, NO, NO, OK, OK]),
        ("/api/v1/org/1/children".into(), [NO, NO, NO, NO, OK, OK]),
        ("/api/v1/notifications".into(), [OK, OK, OK, OK, OK, OK]),
        // Requests: one's own (empty lists for those without any); the question bank
        // for facilitators, HR and admin; a consultant's clients for them.
        ("/api/v1/requests".into(), [OK, OK, OK, OK, OK, OK]),
        (
            "/api/v1/requests?side=mine".into(),
            [OK, OK, OK, OK, OK, OK],
        ),
        ("/api/v1/questions".into(), [NO, OK, OK, NO, OK, OK]),
        ("/api/v1/clients".into(), [NO, NO, OK, NO, NO, NO]),
        // Pairs: one's own for anyone (empty for those without any); every open pair and
        // who is assigned to whom for HR.
        ("/api/v1/pairs".into(), [OK, OK, OK, OK, OK, OK]),
        ("/api/v1/pairs?scope=all".into(), [NO, NO, NO, NO, OK, NO]),
        ("/api/v1/assignments".into(), [NO, NO, NO, NO, OK, NO]),
        // Anchors: the statements for anyone; one's takes for those in the master.
        (
            "/api/v1/anchors/statements".into(),
            [OK, OK, OK, OK, OK, OK],
        ),
        ("/api/v1/me/anchors".into(), [OK, OK, OK, NO, OK, OK]),
        ("/api/v1/role-models".into(), [OK, OK, OK, OK, OK, OK]),
        // Programmes: HR; a roster also for the instructor who runs the session.
        ("/api/v1/programmes".into(), [NO, NO, NO, NO, OK, NO]),
        (
            format!("/api/v1/programmes/{programme}"),
            [NO, NO, NO, NO, OK, NO],
        ),
        (roster, [NO, NO, NO, OK, OK, NO]),
        // A client's behaviour change: only their assigned consultant — of someone outside
        // the demo consultant's clients, refused to every role.
        (
            format!("/api/v1/clients/{outsider}/behaviour"),
            [NO, NO, NO, NO, NO, NO],
        ),
    ];
    let emails = [
        "employee",
        "manager",
        "consultant",
        "instructor",
        "hr",
        "admin",
    ]
    .map(|r| format!("{r}@demo.example.jp"));
    let mut tokens = Vec::new();
    for e in &emails {
        tokens.push(app.token(e).await);
    }
    let mut failures = Vec::new();
    for (path, expected) in &routes {
        for (i, t) in tokens.iter().enumerate() {
            let (got, body) = app.api(Some(t), path).await;
            if got != expected[i] {
                failures.push(format!(
                    "{} GET {path}: expected {}, got {got} {body}",
                    emails[i], expected[i]
                ));
            }
            if got == NO && body["error"]["code"] != "forbidden" {
                failures.push(format!(
                    "{path}: a refusal must carry the JSON error shape, got {body}"
                ));
            }
        }
        let (got, body) = app.api(None, path).await;
        if got != S::UNAUTHORIZED || body["error"]["code"] != "unauthorized" {
            failures.push(format!(
                "no token GET {path}: expected 401 JSON, got {got} {body}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

app_test!(
    a_manager_sees_nothing_outside_their_line_and_no_birth_dates_inside_it,
    |app| async move {
        let token = app.token("manager@demo.example.jp").await;
        let (status, body) = app
            .api(
                Some(&token),
                &format!("/api/v1/people/{}", app.outsider().await),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.get("name").is_none());
        let (status, body) = app
            .api(
                Some(&token),
                &format!("/api/v1/people/{}", app.report_of_manager().await),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("name").is_some() && body.get("ratings").is_some());
        assert!(
            body.get("birth_date").is_none(),
            "a manager does not see birth dates: {body}"
        );
        let (_, members) = app.api(Some(&token), "/api/v1/members?limit=500").await;
        let ids: Vec<i64> = members
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|m| m["id"].as_i64())
            .collect();
        assert!(ids.contains(&app.report_of_manager().await));
        assert!(!ids.contains(&app.outsider().await));
        // The page agrees.
        let b = app.signed_in("manager@demo.example.jp").await;
        let (status, body) = b.get(&format!("/people/{}", app.outsider().await)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!body.contains("hr@demo.example.jp"));
    }
);

app_test!(
    another_tenant_sees_none_of_this_tenants_data,
    |app| async move {
        let other = app
            .store
            .create_tenant(&TenantSlug::parse("other").expect("slug"), "他社株式会社")
            .await
            .expect("tenant");
        let admin = app
            .store
            .create_user(
                other.id,
                NewUser {
                    email: EmailAddress::parse("admin@other.example.jp").expect("e"),
                    name: "他社 管理者".into(),
                    roles: vec![Role::Admin, Role::Hr],
                    person_id: None,
                    password: Some(PW.into()),
                },
            )
            .await
            .expect("user");
        let token = app
            .store
            .create_token(other.id, admin.id, "t")
            .await
            .expect("token")
            .1;
        for id in [app.outsider().await, app.report_of_manager().await] {
            let (status, body) = app.api(Some(&token), &format!("/api/v1/people/{id}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        }
        let (_, users) = app.api(Some(&token), "/api/v1/users?limit=500").await;
        assert_eq!(
            users.as_array().map(Vec::len),
            Some(1),
            "only its own account: {users}"
        );
        let (_, audit) = app.api(Some(&token), "/api/v1/audit").await;
        assert!(
            audit["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .all(|e| !e["actor_email"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("@demo.example.jp"))
        );
        // Its admin signs in with the company code and cannot open the demo tenant's people.
        let b = app.browser();
        let csrf = b.csrf("/login").await;
        let (status, _) = b
            .post(
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("tenant", "other"),
                    ("email", "admin@other.example.jp"),
                    ("password", PW),
                    ("next", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            b.get(&format!("/people/{}", app.outsider().await)).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

app_test!(
    reads_of_someone_elses_profile_and_exports_are_audited,
    |app| async move {
        let hr = app.signed_in("hr@demo.example.jp").await;
        let target = app.report_of_manager().await;
        assert_eq!(hr.get(&format!("/people/{target}")).await.0, StatusCode::OK);
        let own = app.outsider().await;
        assert_eq!(hr.get(&format!("/people/{own}")).await.0, StatusCode::OK);
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (status, csv) = admin.get("/admin/audit.csv?action=confidential_read").await;
        assert_eq!(status, StatusCode::OK);
        assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "one confidential read (not the read of one's own profile): {csv}"
        );
        assert!(
            lines[1].contains("hr@demo.example.jp")
                && lines[1].contains(&format!("社員 #{target}"))
        );
        // On the page, each entry reads as a sentence: the actor by name, the person
        // read by number only (the log does not say whose file it was to its reader).
        let hr_name = app.user("hr@demo.example.jp").await.name;
        let (_, page) = admin.get("/admin/audit?action=confidential_read").await;
        let expected = format!(
            "{hr_name}さん（hr@demo.example.jp）が、社員 #{target}について「機密情報の閲覧」を行いました。"
        );
        assert!(page.contains(&expected), "{page}");
        assert!(!page.contains(&format!("person #{target}")));
        // Its detail is said in words too, not in the system's English.
        assert!(page.contains(">プロフィール</span>"), "{page}");
        let (_, exports_page) = admin.get("/admin/audit?action=export").await;
        assert!(exports_page.contains("1件（条件："), "{exports_page}");
        assert!(!exports_page.contains("rows; filter"));
        let t = app.demo_tenant().await;
        let (exports, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("q");
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].actor_email, "admin@demo.example.jp");
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::SignIn),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("q");
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.ip.as_deref() == Some("127.0.0.1")));
    }
);

// State-changing page routes × roles: only the admin gets through; others get 403 with a
// valid CSRF token and nothing changes.
app_test!(permission_matrix_for_form_posts, |app| async move {
    let t = app.demo_tenant().await;
    let target = app
        .store
        .user_by_email(
            t.id,
            &EmailAddress::parse("consultant@demo.example.jp").expect("e"),
        )
        .await
        .expect("q")
        .expect("u");
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/admin/settings".into(),
            vec![
                ("fy_start_month", "1"),
                ("age_rule", "legal"),
                ("anonymity_k", "9"),
            ],
        ),
        (
            format!("/admin/users/{}/roles", target.id),
            vec![("role", "admin")],
        ),
        (format!("/admin/users/{}/disable", target.id), vec![]),
        (format!("/admin/users/{}/enable", target.id), vec![]),
        ("/admin/sign-in-throttles/1/clear".into(), vec![]),
        ("/admin/invitations".into(), vec![("department", "*")]),
        (
            "/admin/invitations/email".into(),
            vec![("email", "employee@demo.example.jp")],
        ),
        (format!("/admin/users/{}/invite", target.id), vec![]),
        (
            "/admin/sso".into(),
            vec![
                ("issuer", "https://idp.example.jp"),
                ("client_id", "x"),
                ("client_secret", "y"),
            ],
        ),
        ("/admin/sso/check".into(), vec![]),
        ("/admin/sso/remove".into(), vec![("confirm", "on")]),
        ("/admin/scim/token".into(), vec![("confirm", "on")]),
        ("/admin/scim/revoke".into(), vec![("confirm", "on")]),
        ("/people/import/1/apply".into(), vec![]),
        (
            "/questions".into(),
            vec![("category", "values"), ("text_ja", "禁止されるべき質問")],
        ),
        ("/questions/1/delete".into(), vec![]),
        ("/admin/check-in".into(), vec![("check_in_grace_days", "0")]),
        (
            "/autonomy/definition".into(),
            vec![("rule", "above_mean"), ("horizon", "1")],
        ),
    ];
    // Programmes are HR's alone.
    let programme = app.store.programmes(t.id).await.expect("q")[0].id;
    let hr_only: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/programmes/new".into(),
            vec![
                ("name", "x"),
                ("template", "periodic"),
                ("fiscal_year", "2026"),
            ],
        ),
        (
            format!("/programmes/{programme}/sessions"),
            vec![("date", "2030-01-01"), ("start", "10:00"), ("end", "11:00")],
        ),
        (format!("/programmes/{programme}/place"), vec![]),
        (format!("/programmes/{programme}/interviews"), vec![]),
        (format!("/programmes/{programme}/sessions/1/delete"), vec![]),
        (
            format!("/programmes/{programme}/pre-learning/remove"),
            vec![],
        ),
        (
            format!("/programmes/{programme}/pin"),
            vec![("person", "1")],
        ),
        (
            format!("/programmes/{programme}/participants"),
            vec![("employee_number", "E0000001")],
        ),
        // Consultants: HR invites them and sets the yearly allowance.
        ("/consultants/allowance".into(), vec![("allowance", "1")]),
        (
            "/consultants/invite".into(),
            vec![("email", "someone@partners.example.jp"), ("name", "x")],
        ),
        (format!("/consultants/{}/invite", target.id), vec![]),
    ];
    for role in ["employee", "manager", "consultant", "instructor", "admin"] {
        let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
        let csrf = b.csrf("/my").await;
        for (path, fields) in &hr_only {
            let mut form = fields.clone();
            form.push(("_csrf", &csrf));
            let (status, _) = b.post(path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
    }
    for role in ["employee", "manager", "consultant", "instructor", "hr"] {
        let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
        let csrf = b.csrf("/my").await;
        assert!(!csrf.is_empty());
        for (path, fields) in &posts {
            if role == "hr" && path.starts_with("/people/import") {
                continue; // HR may import; covered by the import tests
            }
            let mut form = fields.clone();
            form.push(("_csrf", &csrf));
            let (status, _) = b.post(path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
    }
    // A consultant's own open slots: nobody else adds any.
    for role in ["employee", "manager", "instructor", "hr", "admin"] {
        let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
        let csrf = b.csrf("/my").await;
        let (status, _) = b
            .post(
                "/consultant/slots",
                &[
                    ("_csrf", &csrf),
                    ("date", "2030-01-07"),
                    ("time", "10:00"),
                    ("minutes", "60"),
                    ("setting", "online"),
                ],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{role} POST /consultant/slots"
        );
    }
    // A programme's post-training survey: only its participants answer; for anyone else
    // the programme is not there to answer (and nothing is stored).
    let answers = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .training_feedback(t.id, &[programme])
                .await
                .expect("q")
                .len()
        }
    };
    let before = answers(&app).await;
    let feedback = format!("/my/programmes/{programme}/training-feedback");
    for role in [
        "employee",
        "manager",
        "consultant",
        "instructor",
        "hr",
        "admin",
    ] {
        let email = format!("{role}@demo.example.jp");
        let participant = match app.user(&email).await.person_id {
            Some(p) => app
                .store
                .is_participant(t.id, programme, p)
                .await
                .expect("q"),
            None => false,
        };
        if participant {
            continue;
        }
        let b = app.signed_in(&email).await;
        let csrf = b.csrf("/my").await;
        let (status, _) = b
            .post(
                &feedback,
                &[("_csrf", &csrf), ("useful", "5"), ("fit", "5")],
            )
            .await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{role} POST {feedback}: {status}"
        );
    }
    assert_eq!(answers(&app).await, before);
    let anonymous = app.browser();
    let csrf = anonymous.csrf("/login").await;
    let (status, location) = anonymous
        .post(
            &feedback,
            &[("_csrf", &csrf), ("useful", "5"), ("fit", "5")],
        )
        .await;
    assert_eq!(
        (status, location.starts_with("/login")),
        (StatusCode::SEE_OTHER, true),
        "anonymous POST {feedback}"
    );
    for (path, _) in &posts {
        let (status, location) = anonymous.post(path, &[("_csrf", &csrf)]).await;
        assert_eq!(
            (status, location.starts_with("/login")),
            (StatusCode::SEE_OTHER, true),
            "anonymous POST {path}"
        );
    }
    let after = app.store.user(t.id, target.id).await.expect("user");
    assert_eq!(after.roles, target.roles);
    assert!(!after.disabled);
    assert_eq!(app.demo_tenant().await.settings.anonymity_k, 5);
    let admin = app.signed_in("admin@demo.example.jp").await;
    let csrf = admin.csrf("/admin/users").await;
    let (status, _) = admin
        .post(
            &format!("/admin/users/{}/roles", target.id),
            &[("_csrf", &csrf), ("role", "consultant"), ("role", "mentor")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(t.id, target.id).await.expect("u").roles,
        domain::RoleSet::new([Role::Consultant, Role::Mentor])
    );
    // The admin cannot lock themselves out.
    let me = app
        .store
        .user_by_email(
            t.id,
            &EmailAddress::parse("admin@demo.example.jp").expect("e"),
        )
        .await
        .expect("q")
        .expect("u");
    admin
        .post(
            &format!("/admin/users/{}/disable", me.id),
            &[("_csrf", &csrf)],
        )
        .await;
    admin
        .post(
            &format!("/admin/users/{}/roles", me.id),
            &[("_csrf", &csrf), ("role", "employee")],
        )
        .await;
    let me_after = app.store.user(t.id, me.id).await.expect("u");
    assert!(!me_after.disabled && me_after.roles.contains(Role::Admin));
});
