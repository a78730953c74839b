//! Career autonomy (キャリア自律): the definition, the vision recorded in an interview, behaviour evaluations.

use super::*;

app_test!(
    everyone_reads_the_autonomy_definition_admin_states_it_and_hr_sees_the_rates,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, body) = employee.get("/autonomy").await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("全社の平均を上回っていること") && body.contains("2年以上先"));
        assert!(!body.contains("autonomy-rates"), "figures are for HR");
        let admin = app.signed_in("admin@demo.example.jp").await;
        let csrf = admin.csrf("/autonomy").await;
        let (s, body) = admin
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", csrf.as_str()),
                    ("rule", "at_least"),
                    ("rating", "Z"),
                    ("horizon", "3"),
                    ("statement", "自分で選んだ道を歩む人"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("評価の段階から") && body.contains("自分で選んだ道を歩む人"));
        let (s, _) = admin
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", csrf.as_str()),
                    ("rule", "at_least"),
                    ("rating", "A"),
                    ("horizon", "3"),
                    ("statement", "自分で選んだ道を歩む人"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = employee.get("/autonomy").await;
        assert!(
            body.contains("「A」以上")
                && body.contains("3年以上先")
                && body.contains("自分で選んだ道を歩む人")
        );
        // Only admin states it.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let hcsrf = hr.csrf("/autonomy").await;
        let (s, _) = hr
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", hcsrf.as_str()),
                    ("rule", "above_mean"),
                    ("horizon", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, body) = hr.get("/autonomy").await;
        assert_eq!(body.matches("data-testid=\"autonomy-year\"").count(), 10);
        // The figure is defined beside it, with when it is not shown.
        let definition = body
            .split("data-testid=\"autonomy-rate-definition\"")
            .nth(1)
            .expect("the rate is defined");
        assert!(
            definition.contains("3つの条件をすべて満たした人の割合")
                && definition.contains("5名に満たない年度")
        );
    }
);

app_test!(
    the_consultant_records_the_vision_stated_in_an_interview,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (s, body) = consultant
            .post(
                &format!("{path}/vision"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("vision", "5年後に営業企画を率いている"),
                    ("horizon", "0"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("5年後に営業企画を率いている"),
            "typed text kept"
        );
        consultant
            .post(
                &format!("{path}/vision"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("vision", "5年後に営業企画を率いている"),
                    ("horizon", "5"),
                ],
            )
            .await;
        let t = app.demo_tenant().await;
        let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
        assert_eq!(
            (d.vision.as_deref(), d.vision_horizon),
            (Some("5年後に営業企画を率いている"), Some(5))
        );
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, body) = employee.get(&path).await;
        assert!(body.contains("data-testid=\"vision-recorded\""));
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, body) = manager.get(&path).await;
        assert!(!body.contains("営業企画を率いている"));
    }
);

app_test!(
    the_assigned_consultant_evaluates_behaviour_change_and_hr_sees_only_anonymous_shares,
    |app| async move {
        let subject = app.report_of_manager().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf("/clients").await;
        let path = format!("/clients/{subject}/behaviour");
        let (s, body) = consultant
            .post(
                &path,
                &[
                    ("_csrf", csrf.as_str()),
                    ("level", "changed"),
                    ("reason", ""),
                    ("manager_input", "会議での発言が増えたと上司から聞いた"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("data-testid=\"behaviour-error\"")
                && body.contains("会議での発言が増えたと上司から聞いた"),
            "the form comes back as typed"
        );
        let t = app.demo_tenant().await;
        let fy = t
            .settings
            .calendar
            .fiscal_year_of(domain::japan_time::japan_date(chrono::Utc::now()))
            .0;
        let person = domain::PersonId(subject);
        assert!(
            app.store
                .behaviour_of(t.id, person, fy)
                .await
                .expect("q")
                .is_none(),
            "a reason is needed"
        );
        let (s, _) = consultant
            .post(
                &path,
                &[
                    ("_csrf", csrf.as_str()),
                    ("level", "changed"),
                    ("reason", "後輩の相談に乗る時間を毎週つくっている"),
                    ("manager_input", "会議での発言が増えた"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let e = app
            .store
            .behaviour_of(t.id, person, fy)
            .await
            .expect("q")
            .expect("e");
        assert_eq!(e.level, domain::behaviour::Change::Changed);
        assert_eq!(e.manager_input, "会議での発言が増えた");
        let (_, body) = consultant.get("/clients").await;
        assert!(body.contains("data-testid=\"behaviour-current\""));
        // Someone not assigned to them, and anyone not a consultant, cannot.
        let outsider = app.outsider().await;
        let (s, _) = consultant
            .post(
                &format!("/clients/{outsider}/behaviour"),
                &[("_csrf", csrf.as_str()), ("level", "none"), ("reason", "x")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for who in ["manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let c = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    &path,
                    &[("_csrf", c.as_str()), ("level", "none"), ("reason", "x")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        // HR sees the year, but one evaluation is below k: nothing but the suppression.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, body) = hr.get("/programmes").await;
        let row = body
            .split("data-testid=\"behaviour-year\"")
            .nth(1)
            .expect("a year row");
        let row = row.split("</tr>").next().unwrap_or("");
        assert!(
            row.contains("人未満のため表示しません") || row.contains("未満"),
            "{row}"
        );
        assert!(!row.contains('%'), "no share of a single person: {row}");
        assert!(
            !body.contains("後輩の相談に乗る時間を毎週"),
            "no reason reaches HR"
        );
    }
);
