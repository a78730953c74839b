//! Accounts on the web: the admin invites the employee master's people (a department, an
//! address), each sets their own password once from the e-mailed link; a forgotten
//! password is reset by a link that works once within the hour; each user changes their
//! own password, language and where notices go; a leaver loses access at once.

use super::*;

/// The secret of the newest e-mailed link to `to` under `/{prefix}/`.
async fn link_of(app: &TestApp, to: &str, prefix: &str) -> Option<String> {
    let t = app.demo_tenant().await;
    app.store
        .recent_jobs(t.id, "email", 200)
        .await
        .expect("q")
        .into_iter()
        .filter(|j| {
            serde_json::from_str::<store::jobs::EmailPayload>(&j.payload).is_ok_and(|e| e.to == to)
        })
        .find_map(|j| {
            let secret: String = j
                .payload
                .split(&format!("/{prefix}/"))
                .nth(1)?
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            Some(secret)
        })
}

async fn mails_to(app: &TestApp, to: &str) -> Vec<store::jobs::EmailPayload> {
    let t = app.demo_tenant().await;
    app.store
        .recent_jobs(t.id, "email", 500)
        .await
        .expect("q")
        .into_iter()
        .filter_map(|j| serde_json::from_str::<store::jobs::EmailPayload>(&j.payload).ok())
        .filter(|e| e.to == to)
        .collect()
}

/// The password-reset mails queued for `to`: the demo company's other mail (reminders the
/// worker sends depending on the hour) is not counted.
async fn reset_mails_to(app: &TestApp, to: &str) -> Vec<store::jobs::EmailPayload> {
    let mut mails = mails_to(app, to).await;
    mails.retain(|m| m.subject.contains("パスワードの再設定"));
    mails
}

/// The code of the demo employee's department.
async fn employees_department(app: &TestApp) -> String {
    let t = app.demo_tenant().await;
    let p = app.person_of("employee@demo.example.jp").await;
    let person = app
        .store
        .person(t.id, domain::PersonId(p))
        .await
        .expect("q")
        .expect("person");
    let path = app
        .store
        .department_path(t.id, person.department_id.expect("a department"))
        .await
        .expect("q");
    path.last().expect("the department").code.clone()
}

app_test!(
    the_admin_invites_a_department_and_each_sets_a_password_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let code = employees_department(&app).await;
        let before = app
            .store
            .people_without_account(t.id, Some(&code))
            .await
            .expect("q");
        let reachable: Vec<_> = before.iter().filter(|p| p.email.is_some()).collect();
        assert!(
            reachable.len() >= 2,
            "the demo department has people to invite"
        );
        // Nobody but the admin sees the page or invites.
        for who in [
            "hr@demo.example.jp",
            "employee@demo.example.jp",
            "manager@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (s, _) = b.get("/admin/invitations").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let csrf = b.csrf("/account").await;
            let (s, _) = b
                .post(
                    "/admin/invitations",
                    &[("_csrf", &csrf), ("department", &code)],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        assert_eq!(
            app.store
                .people_without_account(t.id, Some(&code))
                .await
                .expect("q")
                .len(),
            before.len(),
            "nothing made"
        );
        let admin = app.signed_in("admin@demo.example.jp").await;
        // An unknown department is said, and nothing is made.
        let (s, page) = admin.get("/admin/invitations?department=NOPE").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("部署コード「NOPE」は登録されていません"));
        // The preview names who will be invited.
        let (s, page) = admin
            .get(&format!("/admin/invitations?department={code}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(&format!("招待する人：{}人", reachable.len())));
        for p in &reachable {
            assert!(page.contains(&p.employee_number), "{}", p.employee_number);
        }
        let csrf = admin.csrf("/admin/invitations").await;
        let (s, to) = admin
            .post(
                "/admin/invitations",
                &[("_csrf", &csrf), ("department", &code)],
            )
            .await;
        assert_eq!(
            (s, to.as_str()),
            (StatusCode::SEE_OTHER, "/admin/users?state=no_password")
        );
        let (_, users) = admin.get(&to).await;
        assert!(users.contains(&format!("{}人に招待メールを送りました", reachable.len())));
        assert!(users.contains("data-testid=\"user-invited\""));
        // Each got an employee's account linked to them, without a password, and a mail.
        let first = reachable[0];
        let address = first.email.clone().expect("an address");
        let user = app
            .store
            .user_by_email(t.id, &EmailAddress::parse(&address).expect("e"))
            .await
            .expect("q")
            .expect("made");
        assert_eq!(user.person_id, Some(first.person));
        assert!(user.roles.contains(Role::Employee));
        assert!(!app.store.has_password(t.id, user.id).await.expect("q"));
        assert!(
            app.store
                .people_without_account(t.id, Some(&code))
                .await
                .expect("q")
                .iter()
                .all(|p| p.email.is_none()),
            "everyone reachable has an account now"
        );
        // The users page finds them by state and by address, a page at a time.
        let (_, pending) = admin.get("/admin/users?state=no_password").await;
        for p in &reachable {
            let a = p.email.as_deref().unwrap_or_default();
            assert!(pending.contains(a), "{a} is listed as invited");
        }
        assert!(
            !pending.contains("employee@demo.example.jp"),
            "nobody with a password"
        );
        let (_, one) = admin
            .get(&format!("/admin/users?q={}", address.to_uppercase()))
            .await;
        assert_eq!(one.matches("data-testid=\"user-row\"").count(), 1);
        assert!(one.contains(&address));
        let mail = mails_to(&app, &address).await;
        let mail = mail.first().expect("an invitation e-mail");
        assert!(mail.subject.contains("キャリア共律へのご招待"));
        assert!(mail.body.contains("会社コードは「demo」"));
        assert!(mail.notice.is_none(), "a link is never an in-app notice");
        // The audit log has the admin making and inviting the account.
        let (_, audit) = admin.get("/admin/audit?action=invited").await;
        assert!(audit.contains(&format!("部署 {code}")));
        // The link sets the password under the rule, once.
        let secret = link_of(&app, &address, "invitations")
            .await
            .expect("the link");
        let path = format!("/invitations/{secret}");
        let guest = app.browser();
        let (s, page) = guest.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(&address));
        let csrf = guest.csrf(&path).await;
        let (s, page) = guest
            .post(
                &path,
                &[
                    ("_csrf", &csrf),
                    ("password", "aaaaaaaaaaaaaa"),
                    ("password_again", "aaaaaaaaaaaaaa"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("同じ文字の繰り返し"));
        let password = "面談の準備をはじめます。";
        let (s, _) = guest
            .post(
                &path,
                &[
                    ("_csrf", &csrf),
                    ("password", password),
                    ("password_again", password),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let b = app.browser();
        let (s, to) = b.login(&address, password).await;
        assert_eq!((s, to.as_str()), (StatusCode::SEE_OTHER, "/my"));
        let (s, _) = guest.get(&path).await;
        assert_eq!(s, StatusCode::GONE, "the link worked once");
        // A reset link is no invitation: the same secret under the other page is gone.
        let (s, _) = guest.get(&format!("/password-reset/{secret}")).await;
        assert_eq!(s, StatusCode::GONE);
        // Inviting again: nobody left to invite; the active account is not invited.
        let csrf = admin.csrf("/admin/invitations").await;
        let (_, page) = admin
            .post(
                "/admin/invitations/email",
                &[("_csrf", &csrf), ("email", &address)],
            )
            .await;
        assert!(page.contains("パスワードを設定済みです"), "{page}");
        let (_, page) = admin
            .post(
                "/admin/invitations/email",
                &[("_csrf", &csrf), ("email", "nobody@elsewhere.example.jp")],
            )
            .await;
        assert!(page.contains("社員マスタにいません"));
        assert!(
            page.contains("value=\"nobody@elsewhere.example.jp\""),
            "kept"
        );
        // Another of the batch is sent a new link: the first stops working.
        let second = reachable[1].email.clone().expect("address");
        let old = link_of(&app, &second, "invitations").await.expect("link");
        let u2 = app
            .store
            .user_by_email(t.id, &EmailAddress::parse(&second).expect("e"))
            .await
            .expect("q")
            .expect("made");
        let (s, _) = admin
            .post(
                &format!("/admin/users/{}/invite", u2.id.0),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let new = link_of(&app, &second, "invitations").await.expect("link");
        assert_ne!(old, new);
        let (s, _) = guest.get(&format!("/invitations/{old}")).await;
        assert_eq!(s, StatusCode::GONE, "the earlier link stopped working");
        let (s, _) = guest.get(&format!("/invitations/{new}")).await;
        assert_eq!(s, StatusCode::OK);
    }
);

app_test!(
    a_forgotten_password_is_reset_by_a_link_that_works_once_within_the_hour,
    |app| async move {
        let t = app.demo_tenant().await;
        let address = "employee@demo.example.jp";
        let signed_in_elsewhere = app.signed_in(address).await;
        let guest = app.browser();
        let csrf = guest.csrf("/password-reset").await;
        // The same answer for an unknown address, and no mail.
        let (s, unknown) = guest
            .post(
                "/password-reset",
                &[("_csrf", &csrf), ("email", "nobody@demo.example.jp")],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            reset_mails_to(&app, "nobody@demo.example.jp")
                .await
                .is_empty()
        );
        let (s, known) = guest
            .post("/password-reset", &[("_csrf", &csrf), ("email", address)])
            .await;
        assert_eq!(s, StatusCode::OK);
        let said = |page: &str| {
            page.split("data-testid=\"reset-sent\">")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .map(str::to_string)
        };
        assert_eq!(said(&unknown), said(&known), "nothing tells them apart");
        assert!(said(&known).expect("said").contains("60分間"));
        assert_eq!(reset_mails_to(&app, address).await.len(), 1);
        // Asked again at once: no second mail.
        guest
            .post("/password-reset", &[("_csrf", &csrf), ("email", address)])
            .await;
        assert_eq!(reset_mails_to(&app, address).await.len(), 1, "no flood");
        let secret = link_of(&app, address, "password-reset")
            .await
            .expect("link");
        let path = format!("/password-reset/{secret}");
        let (s, page) = guest.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("新しいパスワードの設定"));
        // The invitation page does not take a reset link.
        let (s, _) = guest.get(&format!("/invitations/{secret}")).await;
        assert_eq!(s, StatusCode::GONE);
        let csrf = guest.csrf(&path).await;
        let new = "あたらしいパスワードです。";
        let (s, _) = guest
            .post(
                &path,
                &[("_csrf", &csrf), ("password", new), ("password_again", new)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Signed in at once with the new one; the old one and the other session are over.
        let (s, _) = app.browser().login(address, PW).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "the old password is gone");
        let (s, _) = app.browser().login(address, new).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "signs in at once");
        let (s, _) = signed_in_elsewhere.get("/my").await;
        assert_eq!(s, StatusCode::SEE_OTHER, "the other session was signed out");
        let (s, _) = guest.get(&path).await;
        assert_eq!(s, StatusCode::GONE, "once");
        // A link older than an hour is gone.
        let user = app.user(address).await;
        let old = app
            .store
            .create_link(
                t.id,
                user.id,
                None,
                domain::account::LinkPurpose::Reset,
                chrono::Utc::now() - chrono::Duration::minutes(61),
            )
            .await
            .expect("link");
        let (s, page) = guest.get(&format!("/password-reset/{old}")).await;
        assert_eq!(s, StatusCode::GONE);
        assert!(page.contains("data-testid=\"reset-again\""));
        // Sent, the links leave the outbox: only the address and that it went are kept.
        let sink = SmtpSink::start().await;
        app.worker(Some(sink.port)).tick().await.expect("tick");
        assert!(
            sink.to(address).iter().any(|m| m["body"]
                .as_str()
                .unwrap_or_default()
                .contains("/password-reset/")),
            "the mail went with its link"
        );
        assert!(
            app.store
                .recent_jobs(t.id, "email", 500)
                .await
                .expect("q")
                .iter()
                .filter(|j| j.payload.contains(address))
                .all(|j| !j.payload.contains("/password-reset/")),
            "no sent link stays in the database"
        );
        // A disabled account gets no link.
        let hr = app.user("hr@demo.example.jp").await;
        app.store
            .set_user_disabled(t.id, hr.id, true)
            .await
            .expect("disable");
        guest
            .post(
                "/password-reset",
                &[("_csrf", &csrf), ("email", "hr@demo.example.jp")],
            )
            .await;
        assert!(
            reset_mails_to(&app, "hr@demo.example.jp").await.is_empty(),
            "no link for a disabled account"
        );
    }
);

app_test!(
    a_user_changes_their_own_password_language_and_notices,
    |app| async move {
        let t = app.demo_tenant().await;
        let address = "manager@demo.example.jp";
        let me = app.signed_in(address).await;
        let other = app.signed_in(address).await;
        let (s, page) = me.get("/account").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(address));
        let csrf = me.csrf("/account").await;
        // A wrong current password: said, nothing changes.
        let new = "ちがうパスワードにします。";
        let (s, page) = me
            .post(
                "/account/password",
                &[
                    ("_csrf", &csrf),
                    ("current", "not-my-password"),
                    ("password", new),
                    ("password_again", new),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("現在のパスワードが正しくありません"));
        let (s, _) = app.browser().login(address, PW).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "unchanged");
        let (s, _) = me
            .post(
                "/account/password",
                &[
                    ("_csrf", &csrf),
                    ("current", PW),
                    ("password", new),
                    ("password_again", new),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = me.get("/members").await;
        assert_eq!(s, StatusCode::OK, "this session stays");
        let (s, _) = other.get("/members").await;
        assert_eq!(
            s,
            StatusCode::SEE_OTHER,
            "every other session is signed out"
        );
        let (s, _) = app.browser().login(address, new).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Language and notices: an unknown choice changes nothing.
        let csrf = me.csrf("/account").await;
        let (s, _) = me
            .post(
                "/account/preferences",
                &[("_csrf", &csrf), ("language", "fr"), ("notify", "email")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let u = app.user(address).await;
        assert_eq!(
            (u.language.as_deref(), u.notify),
            (None, domain::account::NotifyChannels::Both)
        );
        let (s, _) = me
            .post(
                "/account/preferences",
                &[("_csrf", &csrf), ("language", "en"), ("notify", "in_app")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = me.get("/account").await;
        assert!(
            page.contains("Account settings"),
            "the pages speak English now"
        );
        // In the app only: a notice reaches the manager's list, and no e-mail.
        let notice = |n: u32| {
            web::shared::email::send_notice(
                &app.state,
                t.id,
                format!("email.request-test-{n}"),
                address.to_string(),
                "email.request",
                &[("from", &"社員")],
                "/requests",
            )
        };
        let mails_before = mails_to(&app, address).await.len();
        let manager = app.user(address).await;
        let notices_before = app
            .store
            .notifications(t.id, manager.id, 100)
            .await
            .expect("q")
            .len();
        notice(1).await.expect("queued");
        assert_eq!(
            mails_to(&app, address).await.len(),
            mails_before,
            "no e-mail"
        );
        let notices = app
            .store
            .notifications(t.id, manager.id, 100)
            .await
            .expect("q");
        assert_eq!(
            notices.len(),
            notices_before + 1,
            "the notice waits in the app"
        );
        // E-mail only, in English alone: a mail and no notice.
        let csrf = me.csrf("/account").await;
        me.post(
            "/account/preferences",
            &[("_csrf", &csrf), ("language", "en"), ("notify", "email")],
        )
        .await;
        notice(2).await.expect("queued");
        let mails = mails_to(&app, address).await;
        assert_eq!(mails.len(), mails_before + 1, "an e-mail");
        let last = mails.first().expect("the newest");
        assert!(
            !last.body.contains("お知らせ") && !last.subject.contains('/'),
            "English alone: {}",
            last.subject
        );
        assert_eq!(
            app.store
                .notifications(t.id, manager.id, 100)
                .await
                .expect("q")
                .len(),
            notices_before + 1,
            "no notice in the app"
        );
        // Audited as the user's own acts.
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (_, audit) = admin.get("/admin/audit?action=preferences_changed").await;
        assert!(audit.contains("お知らせ：email"));
        let (_, audit) = admin.get("/admin/audit?action=password_set").await;
        assert!(audit.contains("本人が変更"));
    }
);

app_test!(
    the_admin_invites_over_the_api_and_only_the_admin,
    |app| async move {
        let t = app.demo_tenant().await;
        let code = employees_department(&app).await;
        let hr = app.token("hr@demo.example.jp").await;
        let (s, _) = app
            .api_post(
                &hr,
                "/api/v1/invitations",
                serde_json::json!({"department": code}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let admin = app.token("admin@demo.example.jp").await;
        for (body, status) in [
            (serde_json::json!({}), StatusCode::BAD_REQUEST),
            (
                serde_json::json!({"department": code, "email": "a@b.jp"}),
                StatusCode::BAD_REQUEST,
            ),
            (
                serde_json::json!({"department": "NOPE"}),
                StatusCode::NOT_FOUND,
            ),
            (
                serde_json::json!({"email": "employee@demo.example.jp"}),
                StatusCode::CONFLICT,
            ),
            (
                serde_json::json!({"email": "not-an-address"}),
                StatusCode::BAD_REQUEST,
            ),
        ] {
            let (s, v) = app.api_post(&admin, "/api/v1/invitations", body).await;
            assert_eq!(s, status, "{v}");
            assert!(v["error"]["code"].is_string(), "one shape: {v}");
        }
        let expected = app
            .store
            .people_without_account(t.id, Some(&code))
            .await
            .expect("q")
            .iter()
            .filter(|p| p.email.is_some())
            .count();
        let (s, v) = app
            .api_post(
                &admin,
                "/api/v1/invitations",
                serde_json::json!({"department": code}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["invited"].as_array().expect("list").len(), expected);
        let first = v["invited"][0]["email"].as_str().expect("address");
        assert!(link_of(&app, first, "invitations").await.is_some());
    }
);

app_test!(
    a_leaver_by_the_employee_import_loses_access_at_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let address = "employee@demo.example.jp";
        let b = app.signed_in(address).await;
        let token = app.token(address).await;
        let (s, _) = app.api(Some(&token), "/api/v1/me").await;
        assert_eq!(s, StatusCode::OK);
        // The master marks them 退職 (a status column; a full file without them does
        // the same): their account is disabled in the import's transaction.
        let p = app.person_of(address).await;
        let person = app
            .store
            .person(t.id, domain::PersonId(p))
            .await
            .expect("q")
            .expect("person");
        let csv = format!(
            "社員番号,氏名,在籍区分\n{},{},退職\n",
            person.employee_number, person.name
        );
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, preview) = upload_import(&hr, "leaver.csv", csv.into_bytes()).await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        assert!(
            preview.contains("data-testid=\"accounts-disabled-count\">1<"),
            "the preview says an account will be disabled"
        );
        let apply = preview
            .split("action=\"/people/import/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the apply form");
        let csrf = hr.csrf("/people/import").await;
        let (s, _) = hr
            .post(&format!("/people/import/{apply}"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = b.get("/my").await;
        assert_eq!(s, StatusCode::SEE_OTHER, "signed out at once");
        let (s, _) = app.api(Some(&token), "/api/v1/me").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "tokens stop too");
        let (s, _) = app.browser().login(address, PW).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "and no new sign-in");
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (_, audit) = admin.get("/admin/audit?action=user_disabled").await;
        assert!(audit.contains("社員マスタの取り込みで退職者になったため"));
    }
);

app_test!(
    api_tokens_have_a_scope_and_an_expiry_and_the_admin_revokes_any,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/account/tokens").await;
        // A label too long: said, kept, nothing made.
        let long = "あ".repeat(101);
        let (s, page) = employee
            .post(
                "/account/tokens",
                &[
                    ("_csrf", &csrf),
                    ("label", &long),
                    ("scope", "read"),
                    ("days", "30"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("100文字以内"));
        let make = |scope: &'static str| {
            let employee = &employee;
            let csrf = csrf.clone();
            async move {
                let (s, page) = employee
                    .post(
                        "/account/tokens",
                        &[
                            ("_csrf", &csrf),
                            ("label", "人事システム連携"),
                            ("scope", scope),
                            ("days", "30"),
                        ],
                    )
                    .await;
                assert_eq!(s, StatusCode::OK);
                page.split("data-testid=\"token-secret\"")
                    .next()
                    .and_then(|h| h.rsplit("value=\"").next())
                    .and_then(|v| v.split('"').next())
                    .expect("the secret, once")
                    .to_string()
            }
        };
        let read = make("read").await;
        assert!(read.starts_with("kyr_"));
        let (s, _) = app.api(Some(&read), "/api/v1/me").await;
        assert_eq!(s, StatusCode::OK, "a read-only token reads");
        let (s, v) = app
            .api_post(
                &read,
                "/api/v1/completions",
                serde_json::json!({"course_id": 1, "completed_on": "2026-01-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert_eq!(v["error"]["code"], "read_only_token");
        let write = make("write").await;
        let (_, page) = employee.get("/account/tokens").await;
        assert_eq!(page.matches("data-testid=\"token-row\"").count(), 2);
        assert!(
            !page.contains(&read) && !page.contains(&write),
            "never shown again"
        );
        // Nobody else sees or revokes them; the admin sees every one and revokes it.
        let t = app.demo_tenant().await;
        let mine = app
            .store
            .list_tokens(t.id, Some(app.user("employee@demo.example.jp").await.id))
            .await
            .expect("q");
        let id = mine.last().expect("token").id;
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = manager.get("/admin/tokens").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let mcsrf = manager.csrf("/account").await;
        let (s, _) = manager
            .post(
                &format!("/account/tokens/{id}/revoke"),
                &[("_csrf", &mcsrf)],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app.api(Some(&write), "/api/v1/me").await;
        assert_eq!(s, StatusCode::OK, "still works");
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (_, all) = admin.get("/admin/tokens").await;
        assert!(all.contains("employee@demo.example.jp"));
        let acsrf = admin.csrf("/admin/tokens").await;
        let (s, to) = admin
            .post(
                &format!("/account/tokens/{id}/revoke"),
                &[("_csrf", &acsrf), ("back", "admin")],
            )
            .await;
        assert_eq!((s, to.as_str()), (StatusCode::SEE_OTHER, "/admin/tokens"));
        let (s, _) = app.api(Some(&write), "/api/v1/me").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "revoked");
        let (_, audit) = admin.get("/admin/audit?action=token_created").await;
        assert!(audit.contains("30日"));
    }
);
