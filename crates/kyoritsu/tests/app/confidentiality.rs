//! What was said in a dialogue, tried as an attacker would: each kind of confidential
//! part (note items of every visibility, topics, consent, commitments, vision, worksheet,
//! the employee's reflection) is planted with a marker, then every surface that could
//! show it — the dialogue page, the API, the lists, the homes, the records and their
//! exports, the reports, the audit log — is read by each role that must not see it. The
//! two parties read the same surfaces and must see their parts, so the test fails if the
//! markers never reach a page at all.

use super::*;

const TOPIC: &str = "転職市場での自分の相場を知りたい（話題）";
const COMMITMENT: &str = "来週の月曜から毎朝十五分、英語の記事を一本読みます";
const FIRST_STEP: &str = "購読する英字ニュースを一つ選ぶ（一歩目）";
const VISION: &str = "五年後に地域拠点の責任者として採用から育成まで担う（ビジョン）";
const WORKSHEET: &str = "通勤時間が片道三十分延びる（ワークシート）";
const REFLECTION: &str = "話してみて気持ちが軽くなりました（ふりかえり）";

/// Plants one marker of each kind in dialogue `id`.
async fn plant(app: &TestApp, id: i64) {
    let t = app.demo_tenant().await;
    let s = &app.store;
    let d = s.dialogue(t.id, id).await.expect("q").expect("dialogue");
    let employee = app.user("employee@demo.example.jp").await;
    s.add_topic(
        t.id,
        id,
        employee.id,
        domain::dialogue::WantedResponse::ALL[0],
        TOPIC,
    )
    .await
    .expect("topic");
    let input =
        domain::commitment::parse_input(COMMITMENT, "2026-12-14", FIRST_STEP, "", "", "", "")
            .expect("valid commitment");
    s.add_commitment(
        t.id,
        id,
        d.subject,
        d.facilitator,
        &input,
        &domain::commitment::check(COMMITMENT),
    )
    .await
    .expect("commitment");
    s.record_vision(t.id, id, VISION, 5).await.expect("vision");
    s.add_worksheet_item(t.id, id, domain::mechanism::Side::Demerit, WORKSHEET, 4)
        .await
        .expect("worksheet");
    s.reflect_on_dialogue(t.id, id, 4, REFLECTION)
        .await
        .expect("reflection");
}

/// Everything a role could read about dialogue `id`, pages and API together.
async fn everything(app: &TestApp, email: &str, id: i64) -> Vec<(String, StatusCode, String)> {
    let b = app.signed_in(email).await;
    let token = app.token(email).await;
    let mut out = Vec::new();
    for path in [
        format!("/dialogues/{id}"),
        "/dialogues".into(),
        "/".into(),
        "/my".into(),
        "/members".into(),
        "/my/records".into(),
        "/my/records.csv".into(),
        "/reports".into(),
        "/clients".into(),
        "/assignments".into(),
        "/autonomy".into(),
        "/admin/audit".into(),
        "/admin/audit.csv".into(),
        "/people/export".into(),
        format!("/dialogues/{id}/report/preview"),
    ] {
        let (status, body) = b.get(&path).await;
        out.push((path, status, body));
    }
    for path in [
        format!("/api/v1/dialogues/{id}"),
        // Whole lists (a page of 100 could leave a leak on the next page).
        "/api/v1/dialogues?limit=500".into(),
        "/api/v1/me/records?limit=500".into(),
    ] {
        let (status, body) = app.api(Some(&token), &path).await;
        out.push((path, status, body.to_string()));
    }
    out
}

const ALL: [&str; 11] = [
    TOPIC,
    COMMITMENT,
    FIRST_STEP,
    VISION,
    WORKSHEET,
    REFLECTION,
    PRIVATE_NOTE,
    SHARED_NOTE,
    FOR_MANAGER_NOTE,
    WITHHELD,
    "相談室B",
];

app_test!(
    no_surface_shows_what_was_said_to_the_manager_hr_or_anyone_outside,
    |app| async move {
        let (held, _, booked, _) = demo_dialogues(&app).await;
        plant(&app, held).await;
        plant(&app, booked).await;
        // Another consultant of the same company, assigned to nobody here.
        let t = app.demo_tenant().await;
        app.store
            .create_user(
                t.id,
                NewUser {
                    email: EmailAddress::parse("other-cc@demo.example.jp").expect("e"),
                    name: "別のコンサルタント".into(),
                    roles: vec![Role::Consultant],
                    person_id: None,
                    password: Some(PW.into()),
                },
            )
            .await
            .expect("consultant");
        // The manager, HR (who booked one of them), admin, an instructor and another
        // consultant: none of the parts, on any surface, for either dialogue.
        for who in ["manager", "hr", "admin", "instructor", "other-cc"] {
            let email = format!("{who}@demo.example.jp");
            for id in [held, booked] {
                for (path, status, body) in everything(&app, &email, id).await {
                    assert!(status.as_u16() < 500, "{who} {path}: {status}");
                    for secret in ALL {
                        // The place is logistics: HR who booked a dialogue may know it
                        // (and HR's list of dialogues holds the one they booked).
                        if secret == "相談室B"
                            && who == "hr"
                            && (id == booked || path == "/api/v1/dialogues?limit=500")
                        {
                            continue;
                        }
                        assert!(
                            !body.contains(secret),
                            "{who} sees {secret:?} of dialogue {id} on {path}"
                        );
                    }
                }
            }
        }
        // The facilitator sees every part of what they hold; the employee everything
        // but the private note item — on the page, and their notes over the API.
        let seen = |rows: &[(String, StatusCode, String)], path: &str| -> String {
            rows.iter()
                .find(|(p, _, _)| p == path)
                .map(|(_, s, b)| {
                    assert_eq!(*s, StatusCode::OK, "{path}");
                    b.clone()
                })
                .expect("read")
        };
        let page = format!("/dialogues/{held}");
        let api = format!("/api/v1/dialogues/{held}");
        let consultant = everything(&app, "consultant@demo.example.jp", held).await;
        let body = seen(&consultant, &page);
        for secret in [
            TOPIC,
            COMMITMENT,
            FIRST_STEP,
            VISION,
            WORKSHEET,
            PRIVATE_NOTE,
            SHARED_NOTE,
            FOR_MANAGER_NOTE,
            WITHHELD,
        ] {
            assert!(body.contains(secret), "the consultant sees {secret:?}");
        }
        assert!(
            !body.contains(REFLECTION),
            "the employee's reflection is theirs alone"
        );
        assert!(seen(&consultant, &api).contains(PRIVATE_NOTE));
        let employee = everything(&app, "employee@demo.example.jp", held).await;
        let body = seen(&employee, &page);
        for secret in [
            TOPIC,
            COMMITMENT,
            FIRST_STEP,
            VISION,
            WORKSHEET,
            REFLECTION,
            SHARED_NOTE,
            FOR_MANAGER_NOTE,
            WITHHELD,
        ] {
            assert!(body.contains(secret), "the employee sees {secret:?}");
        }
        for (path, _, body) in &employee {
            assert!(
                !body.contains(PRIVATE_NOTE),
                "the employee sees the private item on {path}"
            );
        }
        let api_body = seen(&employee, &api);
        assert!(api_body.contains(SHARED_NOTE) && api_body.contains(WITHHELD));
        assert!(seen(&employee, "/my/records.csv").contains(SHARED_NOTE));
        assert!(seen(&employee, "/api/v1/me/records?limit=500").contains(REFLECTION));
    }
);
