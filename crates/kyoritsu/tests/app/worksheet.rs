//! The merits/demerits worksheet (仕組み) and the role models it offers.

use super::*;

app_test!(
    the_worksheet_weighs_merits_and_the_facilitator_sees_which_condition_is_missing,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, body) = consultant.get(&path).await;
        // The demo sheet shares events and successes; nothing is weighed yet.
        assert_eq!(
            body.matches("data-testid=\"condition\" data-ok=\"true\"")
                .count(),
            2,
            "{body}"
        );
        assert!(body.contains("data-ok=\"false\"") && body.contains("ロールモデル"));
        let csrf = consultant.csrf(&path).await;
        let (s, body) = consultant
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("side", "merit"),
                    ("text", "育成の経験が積める"),
                    ("weight", "9"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("value=\"育成の経験が積める\""),
            "typed text kept"
        );
        consultant
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("side", "merit"),
                    ("text", "育成の経験が積める"),
                    ("weight", "4"),
                ],
            )
            .await;
        // The employee weighs too.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("side", "demerit"),
                    ("text", "営業成績が一時的に下がるかもしれない"),
                    ("weight", "2"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("メリットが2上回っています"));
        assert_eq!(
            body.matches("data-testid=\"condition\" data-ok=\"true\"")
                .count(),
            3
        );
        // Sealed, and nobody else writes or reads it.
        let t = app.demo_tenant().await;
        assert_eq!(
            app.store.worksheet_of(t.id, next).await.expect("q").len(),
            2
        );
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, body) = manager.get(&path).await;
        assert!(!body.contains("育成の経験が積める"));
        let mcsrf = manager.csrf("/my").await;
        let (s, _) = manager
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("side", "merit"),
                    ("text", "x"),
                    ("weight", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_facilitator_is_offered_tried_and_failed_role_models_when_the_merits_do_not_yet_outweigh,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, page) = consultant.get(&format!("/dialogues/{held}")).await;
        let block = page
            .split("data-testid=\"suggested-role-models\"")
            .nth(1)
            .expect("suggestions shown while the worksheet is empty");
        let first = block.split("</li>").next().expect("first");
        assert!(
            first.contains("うまくいかなかったが、得たものがあった"),
            "{first}"
        );
        // The employee, on the same page, sees no suggestions (they are for the facilitator).
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get(&format!("/dialogues/{held}")).await;
        assert!(!page.contains("suggested-role-models"));
    }
);
