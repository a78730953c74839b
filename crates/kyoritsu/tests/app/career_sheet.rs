//! The career sheet (キャリアシート): versions, drafts, stale saves, and the API.

use super::*;

// キャリアシート: versions, stale saves from a second tab, drafts, limits — and nobody
// but the owner ever sees it.
app_test!(
    career_sheet_versions_drafts_and_stale_saves,
    |app| async move {
        // The demo manager starts with no sheet (the demo employee has two versions).
        let me = app.signed_in("manager@demo.example.jp").await;
        let csrf = me.csrf("/my/career-sheet").await;
        let save = |base: &'static str, vision: &'static str, concerns: &'static str| {
            let me = &me;
            let csrf = csrf.clone();
            async move {
                me.post(
                    "/my/career-sheet",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("base_version", base),
                        ("vision", vision),
                        ("vision_horizon_years", "3"),
                        ("concerns", concerns),
                        ("concerns_private", "on"),
                        ("meaning", "<script>alert(1)</script>後輩の成長"),
                    ],
                )
                .await
            }
        };
        let (status, location) =
            save("0", "3年後に新規事業の企画を担う", "MARKER-PRIVATE-介護").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/my/career-sheet")
        );
        let (_, page) = me.get("/my/career-sheet").await;
        assert!(page.contains("第1版"), "the version is listed");
        assert!(
            page.contains("&#60;script&#62;alert(1)&#60;/script&#62;後輩の成長"),
            "HTML is shown inert: {}",
            page.split("name=\"meaning\"")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        );
        assert!(!page.contains("<script>alert(1)"));
        // A second save from version 1 makes version 2.
        let (status, _) = save(
            "1",
            "3年後に新規事業の企画を担い、5年後に事業責任者になる",
            "MARKER-PRIVATE-介護",
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // A tab still on version 1 is told, keeps what it typed, and writes nothing.
        let (status, page) = save("1", "別のタブで書いたビジョン", "MARKER-PRIVATE-介護").await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("第2版"), "names the newer version");
        assert!(
            page.contains("別のタブで書いたビジョン"),
            "what was typed is still there"
        );
        let t = app.demo_tenant().await;
        let person = domain::PersonId(app.person_of("manager@demo.example.jp").await);
        let versions = app
            .store
            .career_sheet_versions(t.id, person)
            .await
            .expect("versions");
        assert_eq!(versions.len(), 2);
        // … and what it typed was kept as a draft, shown next time.
        let (_, page) = me.get("/my/career-sheet").await;
        assert!(page.contains("別のタブで書いたビジョン"));
        assert!(page.contains("data-testid=\"discard-draft\""));
        // Side by side: only the vision changed between versions 1 and 2.
        let (status, page) = me.get("/my/career-sheet/compare?from=1&to=2").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page.matches("data-changed=\"true\"").count(), 1);
        assert!(page.contains("<ins>"), "additions are marked");
        // Too long: refused with the limit stated, typed text kept, nothing written.
        let long = "あ".repeat(domain::career_sheet::MAX_SECTION_CHARS + 1);
        let (status, page) = me
            .post(
                "/my/career-sheet",
                &[
                    ("_csrf", csrf.as_str()),
                    ("base_version", "2"),
                    ("strengths", long.as_str()),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("4000文字以内にしてください"));
        assert!(page.contains(long.as_str()));
        assert_eq!(
            app.store
                .career_sheet_versions(t.id, person)
                .await
                .expect("v")
                .len(),
            2
        );
        // Autosave keeps a draft; discarding it goes back to version 2.
        let (status, _) = me
            .post(
                "/my/career-sheet/draft",
                &[
                    ("_csrf", csrf.as_str()),
                    ("base_version", "2"),
                    ("skills", "下書き中の資格メモ"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(
            me.get("/my/career-sheet")
                .await
                .1
                .contains("下書き中の資格メモ")
        );
        me.post(
            "/my/career-sheet/draft/discard",
            &[("_csrf", csrf.as_str())],
        )
        .await;
        assert!(
            !me.get("/my/career-sheet")
                .await
                .1
                .contains("下書き中の資格メモ")
        );

        // Nobody else sees any of it: their own sheet is empty, versions are their own.
        for role in ["employee", "consultant", "hr", "admin"] {
            let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
            for path in [
                "/my/career-sheet",
                "/my/career-sheet/versions/1",
                "/my/career-sheet/compare?from=1&to=2",
                "/my",
                &format!("/people/{}", person.0),
            ] {
                let (_, body) = b.get(path).await;
                assert!(!body.contains("MARKER-PRIVATE"), "{role} GET {path}");
                assert!(!body.contains("新規事業"), "{role} GET {path}");
            }
        }
        // The external instructor has no sheet and cannot write one.
        let instructor = app.signed_in("instructor@demo.example.jp").await;
        let icsrf = instructor.csrf("/my").await;
        assert_eq!(
            instructor.get("/my/career-sheet").await.0,
            StatusCode::FORBIDDEN
        );
        let (status, _) = instructor
            .post(
                "/my/career-sheet",
                &[
                    ("_csrf", icsrf.as_str()),
                    ("base_version", "0"),
                    ("vision", "x"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

app_test!(career_sheet_over_the_api, |app| async move {
    // The demo consultant starts with no sheet (the demo employee has two versions).
    let token = app.token("consultant@demo.example.jp").await;
    let put = |body: serde_json::Value| {
        let base = app.base.clone();
        let token = token.clone();
        async move {
            let r = reqwest::Client::new()
                .put(format!("{base}/api/v1/me/career-sheet"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("put");
            let status = r.status();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let (status, body) = app.api(Some(&token), "/api/v1/me/career-sheet").await;
    assert_eq!(
        (status, body["version"].as_i64()),
        (StatusCode::OK, Some(0))
    );
    let sheet = serde_json::json!({
        "base_version": 0,
        "vision_horizon_years": 5,
        "sections": [
            {"section": "vision", "text": "5年後に海外拠点を任される", "private": false},
            {"section": "concerns", "text": "API-PRIVATE", "private": true}
        ]
    });
    let (status, body) = put(sheet.clone()).await;
    assert_eq!(
        (status, body["version"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    // The same base again is stale: 409, nothing written.
    let (status, body) = put(sheet).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "stale");
    // Precise errors for bad input.
    let (status, body) = put(serde_json::json!({"base_version": 1, "sections": [{"section": "hobbies", "text": "x", "private": false}]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("hobbies")
    );
    let (status, body) =
        put(serde_json::json!({"base_version": 1, "vision_horizon_years": 99, "sections": []}))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("vision_horizon_years")
    );
    let (status, body) = app
        .api(Some(&token), "/api/v1/me/career-sheet/versions")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().map(Vec::len), Some(1));
    let (status, body) = app
        .api(Some(&token), "/api/v1/me/career-sheet/versions/1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["vision_horizon_years"], 5);
    assert_eq!(
        app.api(Some(&token), "/api/v1/me/career-sheet/versions/2")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Another user reads only their own (empty) sheet.
    for role in ["employee", "manager", "hr", "admin"] {
        let t = app.token(&format!("{role}@demo.example.jp")).await;
        let (status, body) = app.api(Some(&t), "/api/v1/me/career-sheet").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.to_string().contains("API-PRIVATE"), "{role}");
    }
    // It is in the OpenAPI document.
    let (_, doc) = app.api(None, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/me/career-sheet"]["put"].is_object());
});
