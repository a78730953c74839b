//! Role-model stories (ロールモデル) and their colleague's consent.

use super::*;

app_test!(
    a_role_model_story_is_read_by_others_only_after_its_colleague_consents,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = app.report_of_manager().await;
        let number = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .employee_number;
        let my_name = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .name;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf("/role-models/new").await;
        // Bad input comes back as typed, with every problem named.
        let (s, body) = consultant
            .post(
                "/role-models",
                &[
                    ("_csrf", csrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", ""),
                    (
                        "body",
                        "昇格試験に落ちた年に始めた勉強会が、いまも続いています。",
                    ),
                    ("outcome", "failed_but_gained"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("タイトルを入力してください") && body.contains("テーマを1つ以上"));
        assert!(
            body.contains("昇格試験に落ちた年に始めた勉強会"),
            "typed text kept"
        );
        let (s, location) = consultant
            .post(
                "/role-models",
                &[
                    ("_csrf", csrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", "昇格試験に落ちた年に"),
                    (
                        "body",
                        "昇格試験に落ちた年に始めた勉強会が、いまも続いています。",
                    ),
                    ("anchor", "service"),
                    ("themes", "reskilling"),
                    ("themes", "new_field"),
                    ("outcome", "failed_but_gained"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let path = location.clone();
        let id: i64 = path.rsplit('/').next().expect("id").parse().expect("id");
        // Waiting for consent: nobody else sees it, not even in the list.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = manager.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, list) = manager.get("/role-models?q=昇格試験").await;
        assert!(!list.contains("昇格試験に落ちた年に"));
        // Only the colleague answers; they are asked on マイキャリア.
        let mcsrf = manager.csrf("/role-models").await;
        let (s, _) = manager
            .post(
                "/role-models",
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", "x"),
                ],
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "only consultants and HR write stories"
        );
        let (s, _) = manager
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "given"),
                    ("show_name", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("data-testid=\"stories-to-answer\"") && my.contains("昇格試験に落ちた年に")
        );
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "given"),
                ],
            )
            .await;
        // Published without the name (not agreed), found by a search folding width.
        let (s, page) = manager.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("昇格試験に落ちた年に") && !page.contains(&my_name));
        let (_, list) = manager
            .get("/role-models?q=勉強会&outcome=failed_but_gained")
            .await;
        assert!(
            list.contains("昇格試験に落ちた年に"),
            "search by word and outcome"
        );
        let (_, other) = manager.get("/role-models?q=勉強会&outcome=achieved").await;
        assert!(
            !other.contains("昇格試験に落ちた年に"),
            "the outcome filter applies"
        );
        // A stale answer from an old page changes nothing.
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "refused"),
                ],
            )
            .await;
        let story = app.store.story(t.id, id).await.expect("q").expect("s");
        assert_eq!(story.consent, domain::role_model::Consent::Given);
        // Withdrawn: hidden again.
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "given"),
                    ("answer", "withdrawn"),
                ],
            )
            .await;
        let (s, _) = manager.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (audit, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConsentChanged),
                    ..Default::default()
                },
                20,
                0,
            )
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .filter(|e| e.target_type.as_deref() == Some("role_model_story"))
                .count()
                >= 2
        );
    }
);
