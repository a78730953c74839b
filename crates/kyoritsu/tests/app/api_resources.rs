//! The API's remaining resources, each through the same use case as its page: pages of
//! lists and conditional reads, the Career Anchor inventory, topics and consent, a
//! client's behaviour change, and an account's roles.

use super::*;
use serde_json::{Value, json};

/// Sends `body` with `method`; the status, the headers and the JSON answer.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{}", app.base, path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.json().await.unwrap_or(Value::Null))
}

app_test!(
    every_list_answers_in_pages_and_a_read_that_has_not_changed_answers_304,
    |app| async move {
        let token = app.token("consultant@demo.example.jp").await;
        let get = reqwest::Method::GET;
        let (s, h, all) = send(
            &app,
            get.clone(),
            &token,
            "/api/v1/dialogues?limit=500",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let total = all.as_array().map_or(0, Vec::len);
        assert!(total >= 3, "the demo consultant holds several dialogues");
        assert_eq!(h["x-total-count"], total.to_string().as_str());
        assert!(h.get("link").is_none(), "one page holds them all");

        // Page by page: two at a time, following `Link: rel="next"`, gives the same list.
        let mut next = Some("/api/v1/dialogues?limit=2".to_string());
        let mut walked = Vec::new();
        while let Some(path) = next.take() {
            let (s, h, page) = send(&app, get.clone(), &token, &path, None).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            assert!(page.as_array().is_some_and(|p| p.len() <= 2));
            walked.extend(page.as_array().cloned().unwrap_or_default());
            next = h.get("link").map(|l| {
                let l = l.to_str().expect("ascii");
                assert!(l.ends_with("; rel=\"next\""), "{l}");
                l.trim_start_matches('<')
                    .split('>')
                    .next()
                    .expect("address")
                    .to_string()
            });
        }
        assert_eq!(
            Value::Array(walked),
            all,
            "the pages make up the whole list"
        );

        for bad in ["limit=0", "limit=501", "limit=x", "offset=-1"] {
            let (s, _, body) = send(
                &app,
                get.clone(),
                &token,
                &format!("/api/v1/dialogues?{bad}"),
                None,
            )
            .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(body["error"]["code"], "bad_request", "{bad}");
        }

        // An unchanged read answers 304 to its own tag, 200 with the body otherwise.
        let (s, h, _) = send(&app, get.clone(), &token, "/api/v1/me", None).await;
        assert_eq!(s, StatusCode::OK);
        let tag = h["etag"].to_str().expect("etag").to_string();
        assert!(tag.starts_with("W/\""), "{tag}");
        let conditional = |tag: String| {
            let base = app.base.clone();
            let token = token.clone();
            async move {
                reqwest::Client::new()
                    .get(format!("{base}/api/v1/me"))
                    .bearer_auth(&token)
                    .header("if-none-match", tag)
                    .send()
                    .await
                    .expect("request")
            }
        };
        let r = conditional(tag.clone()).await;
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.bytes().await.expect("body").is_empty());
        let r = conditional("W/\"0000\"".into()).await;
        assert_eq!(r.status(), StatusCode::OK);
        // Another person's same read carries another tag (their own data).
        let other = app.token("employee@demo.example.jp").await;
        let (_, h2, _) = send(&app, get, &other, "/api/v1/me", None).await;
        assert_ne!(h2["etag"].to_str().expect("etag"), tag);
    }
);

app_test!(
    the_anchor_inventory_over_the_api_keeps_only_a_complete_sheet,
    |app| async move {
        let token = app.token("employee@demo.example.jp").await;
        let (_, before) = app.api(Some(&token), "/api/v1/me/anchors").await;
        let n = before.as_array().map_or(0, Vec::len);
        let (s, statements) = app.api(Some(&token), "/api/v1/anchors/statements").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(statements.as_array().map_or(0, Vec::len), 40);

        // Missing ratings, a rating out of range, two picks: every problem named, nothing kept.
        let mut ratings: Vec<u8> = vec![3; 38];
        ratings[5] = 9;
        let (s, body) = app
            .api_post(
                &token,
                "/api/v1/me/anchors",
                json!({"ratings": ratings, "picks": [1, 2]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = body["error"]["message"].as_str().expect("message");
        for part in ["39, 40", "statement 6", "exactly 3"] {
            assert!(message.contains(part), "{part} in {message}");
        }
        let (_, after) = app.api(Some(&token), "/api/v1/me/anchors").await;
        assert_eq!(after.as_array().map_or(0, Vec::len), n, "nothing kept");

        // A complete sheet: scored, kept, listed first; the technical statements picked.
        let mut ratings = vec![2u8; 40];
        for i in (0..40).step_by(8) {
            ratings[i] = 6;
        }
        let (s, take) = app
            .api_post(
                &token,
                "/api/v1/me/anchors",
                json!({"ratings": ratings, "picks": [1, 9, 17]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{take}");
        assert_eq!(take["dominant"], json!(["technical_functional"]));
        let (_, after) = app.api(Some(&token), "/api/v1/me/anchors").await;
        assert_eq!(after.as_array().map_or(0, Vec::len), n + 1);
        assert_eq!(after[0]["id"], take["id"]);

        // Nobody else reads it: the instructor has no inventory; the manager sees their own.
        let instructor = app.token("instructor@demo.example.jp").await;
        let (s, _) = app.api(Some(&instructor), "/api/v1/me/anchors").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let manager = app.token("manager@demo.example.jp").await;
        let (_, theirs) = app.api(Some(&manager), "/api/v1/me/anchors").await;
        assert!(
            theirs
                .as_array()
                .is_some_and(|a| a.iter().all(|t| t["id"] != take["id"])),
            "the manager's list holds only their own takes"
        );
    }
);

app_test!(
    topics_and_consent_over_the_api_follow_the_page_s_rules,
    |app| async move {
        let (held, next, _, _) = demo_dialogues(&app).await;
        let employee = app.token("employee@demo.example.jp").await;
        let consultant = app.token("consultant@demo.example.jp").await;
        let manager = app.token("manager@demo.example.jp").await;
        let hr = app.token("hr@demo.example.jp").await;
        // A held dialogue takes no more topics: a conflict with its state.
        let (s, body) = app
            .api_post(
                &employee,
                &format!("/api/v1/dialogues/{held}/topics"),
                json!({"wanted": "advice", "body": "次の異動"}),
            )
            .await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("closed"))
        );
        let topics = format!("/api/v1/dialogues/{next}/topics");
        let consent = format!("/api/v1/dialogues/{next}/consent");

        // Topics: the employee's own; nobody else adds one.
        let topic = json!({"wanted": "think_together", "body": "副業と今の仕事の両立"});
        for other in [&consultant, &manager, &hr] {
            let (s, _) = app.api_post(other, &topics, topic.clone()).await;
            assert!(matches!(s, StatusCode::FORBIDDEN), "{s}");
        }
        let (s, body) = app
            .api_post(
                &employee,
                &topics,
                json!({"wanted": "advice", "body": "   "}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (s, body) = app
            .api_post(&employee, &topics, json!({"wanted": "rant", "body": "x"}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        let (s, added) = app.api_post(&employee, &topics, topic).await;
        assert_eq!(s, StatusCode::CREATED, "{added}");
        let (_, seen) = app
            .api(Some(&consultant), &format!("/api/v1/dialogues/{next}"))
            .await;
        assert!(
            seen["topics"].to_string().contains("副業と今の仕事の両立"),
            "the facilitator prepares with it"
        );
        let (_, seen) = app
            .api(Some(&manager), &format!("/api/v1/dialogues/{next}"))
            .await;
        assert!(
            !seen.to_string().contains("副業と今の仕事の両立"),
            "never the manager"
        );

        // Consent: recorded by the consultant, it waits for the employee's confirmation.
        let secret = "家族の転居の予定";
        let (s, body) = app
            .api_post(
                &consultant,
                &consent,
                json!({"action": "give", "withheld": secret}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["awaits_confirmation"], true);
        let (s, _) = app
            .api_post(&manager, &consent, json!({"action": "give"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the manager has no say");
        let (s, _) = app
            .api_post(&consultant, &consent, json!({"action": "confirm"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only the employee confirms");
        let (_, seen) = app
            .api(Some(&manager), &format!("/api/v1/dialogues/{next}"))
            .await;
        assert!(
            !seen.to_string().contains(secret),
            "the withheld text never reaches the manager"
        );
        let (s, body) = app
            .api_post(&employee, &consent, json!({"action": "confirm"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let (s, body) = app
            .api_post(&employee, &consent, json!({"action": "confirm"}))
            .await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("nothing_to_confirm"))
        );
        let (_, seen) = app
            .api(Some(&employee), &format!("/api/v1/dialogues/{next}"))
            .await;
        assert_eq!(seen["consent"]["confirmed"], true);
        assert_eq!(seen["consent"]["withheld"], secret);
        let (s, _) = app
            .api_post(&employee, &consent, json!({"action": "withdraw"}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, body) = app
            .api_post(&employee, &consent, json!({"action": "withdraw"}))
            .await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("nothing_to_withdraw"))
        );
        let (s, _) = app
            .api_post(&employee, &consent, json!({"action": "maybe"}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // Every change is in the audit log.
        let t = app.demo_tenant().await;
        let filter = store::audit::AuditFilter {
            action: Some(domain::audit::AuditAction::ConsentChanged),
            ..Default::default()
        };
        let (audit, _) = app
            .store
            .list_audit(t.id, &filter, 100, 0)
            .await
            .expect("q");
        let here = audit
            .iter()
            .filter(|e| e.target_id.as_deref() == Some(next.to_string().as_str()))
            .count();
        assert_eq!(here, 3, "given, confirmed, withdrawn");
    }
);

app_test!(
    only_the_assigned_consultant_evaluates_behaviour_change_over_the_api,
    |app| async move {
        let client = app.report_of_manager().await;
        let path = format!("/api/v1/clients/{client}/behaviour");
        let consultant = app.token("consultant@demo.example.jp").await;
        let put = reqwest::Method::PUT;
        let evaluation = json!({"level": "changed", "reason": "後輩向け勉強会を3回開いた", "manager_input": "会議での発言が増えた"});
        for other in ["employee", "manager", "hr", "admin", "instructor"] {
            let token = app.token(&format!("{other}@demo.example.jp")).await;
            let (s, _, _) = send(&app, put.clone(), &token, &path, Some(evaluation.clone())).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{other}");
            let (s, _) = app.api(Some(&token), &path).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{other}");
        }
        let (s, _, body) = send(
            &app,
            put.clone(),
            &consultant,
            &path,
            Some(json!({"level": "changed", "reason": " "})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (s, _, body) = send(
            &app,
            put.clone(),
            &consultant,
            &path,
            Some(json!({"level": "great", "reason": "x"})),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        let (s, _, body) = send(&app, put.clone(), &consultant, &path, Some(evaluation)).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["level"], "changed");
        let (s, read) = app.api(Some(&consultant), &path).await;
        assert_eq!(
            (s, read["reason"].as_str()),
            (StatusCode::OK, Some("後輩向け勉強会を3回開いた"))
        );
        // Not their client: refused, as on the page.
        let outsider = app.outsider().await;
        let (s, _, _) = send(
            &app,
            put,
            &consultant,
            &format!("/api/v1/clients/{outsider}/behaviour"),
            Some(json!({"level": "none", "reason": "x"})),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_admin_sets_an_account_s_roles_over_the_api_and_cannot_drop_their_own_admin,
    |app| async move {
        let admin = app.token("admin@demo.example.jp").await;
        let put = reqwest::Method::PUT;
        let target = app.user("instructor@demo.example.jp").await.id.0;
        let path = format!("/api/v1/users/{target}/roles");
        let (s, _, body) = send(
            &app,
            put.clone(),
            &admin,
            &path,
            Some(json!({"roles": ["instructor", "mentor"]})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let mut roles: Vec<&str> = body["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        roles.sort_unstable();
        assert_eq!(roles, ["instructor", "mentor"]);
        let (s, _, body) = send(
            &app,
            put.clone(),
            &admin,
            &path,
            Some(json!({"roles": ["manager"]})),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::BAD_REQUEST,
            "manager follows from the line: {body}"
        );
        let me = app.user("admin@demo.example.jp").await.id.0;
        let (s, _, body) = send(
            &app,
            put.clone(),
            &admin,
            &format!("/api/v1/users/{me}/roles"),
            Some(json!({"roles": ["employee"]})),
        )
        .await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("own_admin"))
        );
        let (s, _, _) = send(
            &app,
            put.clone(),
            &admin,
            "/api/v1/users/999999/roles",
            Some(json!({"roles": []})),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let hr = app.token("hr@demo.example.jp").await;
        let (s, _, _) = send(&app, put, &hr, &path, Some(json!({"roles": ["admin"]}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let t = app.demo_tenant().await;
        let filter = store::audit::AuditFilter {
            action: Some(domain::audit::AuditAction::RolesChanged),
            ..Default::default()
        };
        let (audit, _) = app
            .store
            .list_audit(t.id, &filter, 100, 0)
            .await
            .expect("q");
        assert!(audit.iter().any(
            |e| e.target_id.as_deref() == Some(target.to_string().as_str())
                && e.detail.as_deref().is_some_and(|d| d.contains("mentor"))
        ));
    }
);

app_test!(
    notices_over_the_api_are_one_s_own_and_are_marked_read,
    |app| async move {
        let employee = app.token("employee@demo.example.jp").await;
        let manager = app.token("manager@demo.example.jp").await;
        // A consent the consultant records asks the employee to confirm it: a notice.
        let (_, next, _, _) = demo_dialogues(&app).await;
        let consultant = app.token("consultant@demo.example.jp").await;
        let (s, _) = app
            .api_post(
                &consultant,
                &format!("/api/v1/dialogues/{next}/consent"),
                json!({"action": "give"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, mine) = app.api(Some(&employee), "/api/v1/notifications").await;
        assert_eq!(s, StatusCode::OK);
        let unread: Vec<i64> = mine
            .as_array()
            .expect("list")
            .iter()
            .filter(|n| n["read_at"].is_null())
            .filter_map(|n| n["id"].as_i64())
            .collect();
        assert!(!unread.is_empty(), "the demo employee has unread notices");
        assert!(mine[0]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let post = reqwest::Method::POST;
        // Someone else's notice is not found, and stays unread.
        let other = format!("/api/v1/notifications/{}/read", unread[0]);
        let (s, _, _) = send(&app, post.clone(), &manager, &other, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _, _) = send(&app, post.clone(), &employee, &other, None).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, after) = app.api(Some(&employee), "/api/v1/notifications").await;
        let read = after
            .as_array()
            .expect("list")
            .iter()
            .find(|n| n["id"] == unread[0])
            .expect("still listed");
        assert!(!read["read_at"].is_null());
        let (s, _, _) = send(
            &app,
            post,
            &employee,
            "/api/v1/notifications/read-all",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, after) = app.api(Some(&employee), "/api/v1/notifications").await;
        assert!(
            after
                .as_array()
                .expect("list")
                .iter()
                .all(|n| !n["read_at"].is_null())
        );
    }
);

app_test!(
    the_directory_over_the_api_is_the_page_s_a_manager_only_their_line,
    |app| async move {
        let hr = app.token("hr@demo.example.jp").await;
        let manager = app.token("manager@demo.example.jp").await;
        let (s, everyone) = app.api(Some(&hr), "/api/v1/people?limit=500").await;
        assert_eq!(s, StatusCode::OK);
        let (_, line) = app.api(Some(&manager), "/api/v1/people?limit=500").await;
        let report = app.report_of_manager().await;
        let ids = |v: &Value| -> Vec<i64> {
            v.as_array()
                .expect("list")
                .iter()
                .filter_map(|p| p["id"].as_i64())
                .collect()
        };
        assert!(ids(&line).contains(&report));
        assert!(
            !ids(&line).contains(&app.outsider().await),
            "only their line"
        );
        assert!(ids(&everyone).len() > ids(&line).len());
        // The same words find the same people as the page.
        let browser = app.signed_in("hr@demo.example.jp").await;
        let (_, page) = browser.get("/people?q=営業").await;
        let (_, found) = app.api(Some(&hr), "/api/v1/people?q=営業&limit=50").await;
        for id in ids(&found) {
            assert!(
                page.contains(&format!("/people/{id}\"")),
                "{id} on the page"
            );
        }
        let (s, _) = app.api(Some(&hr), "/api/v1/people?x=1").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
);
