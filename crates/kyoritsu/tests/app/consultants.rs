//! Consultants as people of their own: each keeps the profile employees choose from, and
//! HR lists them and suspends or restores an account — never learning who consults whom.

use super::*;

app_test!(
    a_consultant_keeps_their_profile_and_a_wrong_form_changes_nothing,
    |app| async move {
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let me = app.user("consultant@demo.example.jp").await;
        let (s, page) = consultant.get("/consultant/profile").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("16012345"), "the demo profile is there");
        let csrf = consultant.csrf("/consultant/profile").await;
        let form = |number: &'static str, kana: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("display_name", "上田 陽子"),
                ("kana", kana),
                ("registration_number", number),
                ("certifications", "2級キャリアコンサルティング技能士"),
                ("years_of_practice", "１５"),
                ("themes", "care_and_work"),
                ("themes", "relearning"),
                ("industries", "製造、小売"),
                ("job_families", "営業"),
                ("age_band", ""),
                ("gender", "woman"),
                ("style", "think_together"),
                ("message", "学び直しの相談も歓迎します。"),
                ("languages", "日本語"),
                ("capacity_per_month", "30"),
            ]
        };
        // A wrong registration number and a kana in Latin letters: both said, all kept.
        let (s, page) = consultant
            .post("/consultant/profile", &form("1234", "Ueda"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("登録番号は8桁の数字で入力してください"));
        assert!(page.contains("カタカナかひらがなで入力してください"));
        assert!(
            page.contains("学び直しの相談も歓迎します。"),
            "the message as typed"
        );
        assert!(page.contains("value=\"1234\""));
        let (stored, _) = app
            .store
            .consultant_profile(t.id, me.id)
            .await
            .expect("q")
            .expect("profile");
        assert_eq!(stored.registration_number, "16012345", "nothing saved");
        // Written as on the certificate, with full-width digits and hiragana: folded.
        let (s, _) = consultant
            .post(
                "/consultant/profile",
                &form("第１６０９８７６５号", "うえだ ようこ"),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (stored, _) = app
            .store
            .consultant_profile(t.id, me.id)
            .await
            .expect("q")
            .expect("profile");
        assert_eq!(stored.registration_number, "16098765");
        assert_eq!(stored.kana, "ウエダ ヨウコ");
        assert_eq!(stored.years_of_practice, 15);
        assert_eq!(
            stored.themes,
            vec![
                domain::consultant::Theme::CareAndWork,
                domain::consultant::Theme::Relearning
            ]
        );
        assert_eq!(stored.age_band, None, "not given, not shown");
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConsultantProfileChanged),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        // Nobody else writes a profile: an employee, a manager, HR.
        for who in ["employee", "manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let csrf = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    "/consultant/profile",
                    &[("_csrf", csrf.as_str()), ("display_name", "なりすまし")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
    }
);

app_test!(
    hr_lists_the_consultants_and_suspends_one_who_then_cannot_sign_in,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, page) = hr.get("/consultants").await;
        assert_eq!(s, StatusCode::OK);
        let consultant = app.user("consultant@demo.example.jp").await;
        let row = page
            .split("data-testid=\"consultant-row\"")
            .find(|r| r.contains("consultant@demo.example.jp"))
            .expect("the demo consultant");
        assert!(row.contains("16012345") && row.contains("育児・介護との両立"));
        // The programme's consultant has no profile yet: HR is told.
        assert!(page.contains("data-testid=\"consultants-without-profile\""));
        // The list says nothing of clients.
        let client = app.report_of_manager().await;
        let name = app
            .store
            .person(t.id, domain::PersonId(client))
            .await
            .expect("q")
            .expect("p")
            .name;
        assert!(!page.contains(&name), "no client on HR's list");
        // Suspended: they cannot sign in, and the session they had ends.
        let signed_in = app.signed_in("consultant@demo.example.jp").await;
        let csrf = hr.csrf("/consultants").await;
        let (s, _) = hr
            .post(
                &format!("/consultants/{}/suspend", consultant.id.0),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(
            app.store
                .user(t.id, consultant.id)
                .await
                .expect("q")
                .disabled
        );
        assert_ne!(signed_in.get("/clients").await.0, StatusCode::OK);
        let (s, _) = app.browser().login("consultant@demo.example.jp", PW).await;
        assert_ne!(
            s,
            StatusCode::SEE_OTHER,
            "a suspended consultant cannot sign in"
        );
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("data-testid=\"consultant-suspended\""));
        // Restored.
        hr.post(
            &format!("/consultants/{}/restore", consultant.id.0),
            &[("_csrf", csrf.as_str())],
        )
        .await;
        assert!(
            !app.store
                .user(t.id, consultant.id)
                .await
                .expect("q")
                .disabled
        );
        app.signed_in("consultant@demo.example.jp").await;
        // HR suspends consultants only: not the admin, not an unknown account.
        let admin = app.user("admin@demo.example.jp").await;
        let (s, _) = hr
            .post(
                &format!("/consultants/{}/suspend", admin.id.0),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(!app.store.user(t.id, admin.id).await.expect("q").disabled);
        let (s, _) = hr
            .post("/consultants/999999/suspend", &[("_csrf", csrf.as_str())])
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Nobody else suspends.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/members").await;
        let (s, _) = manager
            .post(
                &format!("/consultants/{}/suspend", consultant.id.0),
                &[("_csrf", mcsrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    employees_read_a_consultants_profile_from_their_dialogue_but_not_a_suspended_or_unwritten_one,
    |app| async move {
        let t = app.demo_tenant().await;
        let (held, _, _, _) = demo_dialogues(&app).await;
        let consultant = app.user("consultant@demo.example.jp").await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get(&format!("/dialogues/{held}")).await;
        assert!(
            page.contains(&format!("href=\"/consultants/{}\"", consultant.id.0)),
            "the employee opens their consultant's profile from the dialogue"
        );
        let (s, profile) = employee
            .get(&format!("/consultants/{}", consultant.id.0))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(profile.contains("data-testid=\"consultant-message\""));
        assert!(profile.contains("育児・介護との両立"));
        // Not a consultant, or no profile yet: nothing to read.
        let admin = app.user("admin@demo.example.jp").await;
        assert_eq!(
            employee
                .get(&format!("/consultants/{}", admin.id.0))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let unwritten = app.user("milestone-cc@demo.example.jp").await;
        assert_eq!(
            employee
                .get(&format!("/consultants/{}", unwritten.id.0))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        // Suspended: gone for employees, still there for HR.
        app.store
            .set_user_disabled(t.id, consultant.id, true)
            .await
            .expect("suspend");
        assert_eq!(
            employee
                .get(&format!("/consultants/{}", consultant.id.0))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let hr = app.signed_in("hr@demo.example.jp").await;
        assert_eq!(
            hr.get(&format!("/consultants/{}", consultant.id.0)).await.0,
            StatusCode::OK
        );
        let (_, page) = employee.get(&format!("/dialogues/{held}")).await;
        assert!(!page.contains("data-testid=\"facilitator-profile\""));
    }
);

app_test!(
    the_values_diagnosis_is_the_employees_own_and_points_to_consultants_who_know_the_themes,
    |app| async move {
        let t = app.demo_tenant().await;
        const WORDS: &str = "E2E秘密：母の介護と転勤のことを相談したい";
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, page) = employee.get("/my/consultant-diagnosis").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("data-testid=\"diagnosis-anchor\"")
                || page.contains("data-testid=\"diagnosis-no-anchor\"")
        );
        let csrf = employee.csrf("/my/consultant-diagnosis").await;
        let me = domain::PersonId(app.report_of_manager().await);
        let before = app.store.diagnosis_of(t.id, me).await.expect("q");
        // Four themes: refused, nothing saved, what was written kept.
        let mut four: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str()), ("own_words", WORDS)];
        for th in ["care_and_work", "transfer", "relearning", "management"] {
            four.push(("themes", th));
        }
        let (s, page) = employee.post("/my/consultant-diagnosis", &four).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("テーマは3つまで選べます") && page.contains(WORDS));
        assert_eq!(
            app.store.diagnosis_of(t.id, me).await.expect("q"),
            before,
            "nothing saved"
        );
        let (s, _) = employee
            .post(
                "/my/consultant-diagnosis",
                &[
                    ("_csrf", csrf.as_str()),
                    ("themes", "care_and_work"),
                    ("themes", "transfer"),
                    ("own_words", WORDS),
                    ("style", "listen"),
                    ("setting", "online"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (d, _) = app
            .store
            .diagnosis_of(t.id, me)
            .await
            .expect("q")
            .expect("saved");
        assert_eq!(d.own_words, WORDS);
        // Saved, it proposes ten consultants, each with why — here the themes chosen.
        let consultant = app.user("consultant@demo.example.jp").await;
        let (_, page) = employee.get("/my/consultants").await;
        assert_eq!(page.matches("data-testid=\"proposal\"").count(), 10);
        assert!(page.contains("あなたが話したいテーマ『異動』"));
        // Nobody else reads it: each sees only their own diagnosis page, and the words
        // are on no other page they open.
        for who in ["manager", "hr", "consultant", "admin"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            for path in [
                "/my/consultant-diagnosis".to_string(),
                format!("/consultants/{}", consultant.id.0),
                format!("/people/{}", me.0),
            ] {
                let (_, body) = b.get(&path).await;
                assert!(!body.contains(WORDS), "{who} sees the words on {path}");
            }
        }
    }
);

app_test!(
    a_consultant_photo_is_checked_by_its_content_and_shown_with_the_profile,
    |app| async move {
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let me = app.user("consultant@demo.example.jp").await.id.0;
        let csrf = consultant.csrf("/consultant/profile").await;
        let upload = |bytes: Vec<u8>| {
            let (http, base, csrf) = (
                consultant.http.clone(),
                consultant.base.clone(),
                csrf.clone(),
            );
            async move {
                let boundary = "KyoritsuPhotoBoundary";
                let mut body = format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
                )
                .into_bytes();
                body.extend_from_slice(&bytes);
                body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                http.post(format!("{base}/consultant/photo?_csrf={csrf}"))
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(body)
                    .send()
                    .await
                    .expect("upload")
                    .status()
            }
        };
        // A script named .png: refused by its content, nothing stored.
        let s = upload(b"<svg onload=alert(1)>".to_vec()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = consultant.get("/consultant/profile").await;
        assert!(page.contains("PNG・JPEG・WebPの画像だけ登録できます"));
        let (s, _) = consultant.get(&format!("/consultants/{me}/photo")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // A real PNG header: stored and served as image/png to anyone who reads profiles.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(64u32.to_be_bytes());
        png.extend(64u32.to_be_bytes());
        png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(upload(png.clone()).await, StatusCode::SEE_OTHER);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let r = employee
            .http
            .get(format!("{}/consultants/{me}/photo", employee.base))
            .send()
            .await
            .expect("photo");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("image/png")
        );
        assert_eq!(r.bytes().await.expect("bytes").to_vec(), png);
        let (_, page) = employee.get(&format!("/consultants/{me}")).await;
        assert!(page.contains("data-testid=\"consultant-photo\""));
        // Removed: gone from the profile.
        let csrf = consultant.csrf("/consultant/profile").await;
        consultant
            .post("/consultant/photo/remove", &[("_csrf", &csrf)])
            .await;
        let (s, _) = employee.get(&format!("/consultants/{me}/photo")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);
