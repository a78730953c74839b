//! The career-anchor inventory (キャリア・アンカー).

use super::*;

app_test!(
    the_anchor_inventory_refuses_an_incomplete_sheet_as_answered_and_keeps_every_take,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = domain::PersonId(app.report_of_manager().await);
        let before = app
            .store
            .anchor_results_of(t.id, me)
            .await
            .expect("q")
            .len();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/my/anchors/take").await;
        let ratings: Vec<(String, String)> = (1..=40)
            .filter(|n| *n != 12)
            .map(|n| {
                (
                    format!("r{n}"),
                    if (n - 1) % 8 == 5 { "6" } else { "3" }.to_string(),
                )
            })
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        form.extend(ratings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for p in ["6", "14", "22", "30"] {
            form.push(("picks", p));
        }
        let (s, body) = employee.post("/my/anchors", &form).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("まだ回答していない文が1問あります（12番）"),
            "the missing statement named"
        );
        assert!(
            body.contains("いま選ばれているのは4個です"),
            "four picks refused"
        );
        assert!(
            body.contains("name=\"r13\" value=\"3\" checked")
                && body.contains("value=\"30\" checked"),
            "answers kept as given"
        );
        // No pick at all is said in words, not as 「0個」.
        let none: Vec<(&str, &str)> = form
            .iter()
            .copied()
            .filter(|(k, _)| *k != "picks")
            .collect();
        let (s, body) = employee.post("/my/anchors", &none).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("ひとつも選ばれていません") && !body.contains("0個"));
        // Complete it: service (statements 6, 14, 22, 30, 38) rated 6 with three picks
        // → (30 + 12) / 5 = 8.4; statement 12 (pure challenge) rated 3.
        form.retain(|(k, v)| !(*k == "picks" && *v == "30"));
        form.push(("r12", "3"));
        let (s, _) = employee.post("/my/anchors", &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee.get("/my/anchors").await;
        assert!(page.contains("data-testid=\"anchor-radar\""));
        assert!(page.contains("<span class=\"badge\">奉仕・社会貢献</span>"));
        assert!(page.contains("8.4"));
        // A second take keeps the first in the history.
        employee.post("/my/anchors", &form).await;
        let (_, page) = employee.get("/my/anchors").await;
        assert!(page.contains("data-testid=\"anchor-history\""));
        assert_eq!(
            app.store
                .anchor_results_of(t.id, me)
                .await
                .expect("q")
                .len(),
            before + 2
        );
    }
);
