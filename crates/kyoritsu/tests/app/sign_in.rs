//! Signing in and out, each role's home, CSRF, sessions and settings forms.

use super::*;

app_test!(
    each_demo_role_lands_on_its_home_in_japanese,
    |app| async move {
        for (email, home, title) in [
            ("employee@demo.example.jp", "/my", "マイキャリア"),
            ("manager@demo.example.jp", "/members", "メンバー"),
            (
                "consultant@demo.example.jp",
                "/clients",
                "担当するクライアント",
            ),
            ("instructor@demo.example.jp", "/training", "研修"),
            ("hr@demo.example.jp", "/programmes", "施策"),
            ("admin@demo.example.jp", "/admin", "設定"),
        ] {
            let b = app.browser();
            let (status, location) = b.login(email, PW).await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, home),
                "{email}"
            );
            let (status, body) = b.get(home).await;
            assert_eq!(status, StatusCode::OK, "{email} {home}");
            assert!(
                body.contains(&format!("<h1 data-testid=\"page-title\">{title}</h1>")),
                "{email}: {body}"
            );
            assert!(body.contains("<html lang=\"ja\">"));
        }
    }
);

app_test!(
    the_demo_employee_sees_their_milestone_year,
    |app| async move {
        let b = app.signed_in("employee@demo.example.jp").await;
        let (_, body) = b.get("/my").await;
        assert!(body.contains("50歳を迎えます"), "{body}");
    }
);

app_test!(
    wrong_password_is_refused_with_a_clear_message_and_nothing_changes,
    |app| async move {
        let b = app.browser();
        let (status, body) = b
            .login("employee@demo.example.jp", "not-the-password")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains("メールアドレスまたはパスワードが正しくありません。"));
        assert!(
            body.contains("value=\"employee@demo.example.jp\""),
            "the typed email is kept"
        );
        let (status, _) = b.get_with_location("/my").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "still signed out");
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::SignInFailed),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor_email, "employee@demo.example.jp");
    }
);

app_test!(
    a_form_post_without_the_csrf_token_is_refused_and_changes_nothing,
    |app| async move {
        let b = app.signed_in("admin@demo.example.jp").await;
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("フォームの有効期限が切れました"));
        let (status, _) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", "forged"),
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.demo_tenant().await.settings.calendar.start_month(), 4);
        // With the token it goes through.
        let csrf = b.csrf("/admin").await;
        let (status, location) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "7"),
                    ("rating_scale", "5=5, 4=4, 3=3, 2=2, 1=1"),
                ],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/admin")
        );
        let t = app.demo_tenant().await;
        assert_eq!(
            (t.settings.calendar.start_month(), t.settings.anonymity_k),
            (1, 7)
        );
        assert_eq!(t.settings.rating_scale.value("３"), Some(3.0));
    }
);

app_test!(
    invalid_settings_keep_what_was_typed_and_change_nothing,
    |app| async move {
        let b = app.signed_in("admin@demo.example.jp").await;
        let csrf = b.csrf("/admin").await;
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "4"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "2"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("匿名性の基準人数は3以上にしてください。"),
            "{body}"
        );
        assert!(body.contains("value=\"2\""), "typed value kept");
        assert_eq!(app.demo_tenant().await.settings.anonymity_k, 5);
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "4"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                    ("rating_scale", "S=5,A"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("評価の段階は") && body.contains("value=\"S=5,A\""));
        assert_eq!(
            app.demo_tenant().await.settings.rating_scale.to_string(),
            "S=5,A=4,B=3,C=2,D=1"
        );
    }
);

app_test!(
    disabling_a_user_ends_their_session_at_once,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        assert_eq!(employee.get("/my").await.0, StatusCode::OK);
        let admin = app.signed_in("admin@demo.example.jp").await;
        let t = app.demo_tenant().await;
        let target = app
            .store
            .user_by_email(
                t.id,
                &EmailAddress::parse("employee@demo.example.jp").expect("e"),
            )
            .await
            .expect("q")
            .expect("u");
        let csrf = admin.csrf("/admin/users").await;
        let (status, _) = admin
            .post(
                &format!("/admin/users/{}/disable", target.id),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, location) = employee.get_with_location("/my").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login?next=/my")
        );
        let (status, body) = app.browser().login("employee@demo.example.jp", PW).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("無効になっています"));
    }
);

app_test!(sign_out_ends_the_session, |app| async move {
    let b = app.signed_in("manager@demo.example.jp").await;
    let csrf = b.csrf("/members").await;
    let (status, location) = b.post("/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login?signed_out=1")
    );
    assert_eq!(
        b.get_with_location("/members").await.0,
        StatusCode::SEE_OTHER
    );
    assert!(
        b.get("/login?signed_out=1")
            .await
            .1
            .contains("ログアウトしました。")
    );
});
