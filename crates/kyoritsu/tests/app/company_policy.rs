//! 会社の方針: HR writes the company's policy (refused without its message, as typed);
//! every save is a new version; everyone reads the latest with the schemes linked;
//! nobody but HR writes it.

use super::*;

async fn save(b: &Browser, message: &str, fa_note: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/policy/edit").await;
    b.post(
        "/policy",
        &[
            ("_csrf", csrf.as_str()),
            ("message", message),
            ("note.fa", fa_note),
        ],
    )
    .await
}

app_test!(
    hr_writes_the_company_policy_in_versions_and_everyone_reads_the_latest,
    |app| async move {
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, body) = save(&hr, " ", "FAの補足").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("経営からのメッセージを入力してください"));
        assert!(body.contains("FAの補足"), "kept as typed");
        let (s, _) = save(
            &hr,
            "一人ひとりのキャリアを、会社は本気で支えます。",
            "年度末まで有効です。",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = save(&hr, "第二版のメッセージです。", "").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, page) = employee.get("/policy").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("第二版のメッセージです。"));
        assert!(
            !page.contains("年度末まで有効です。"),
            "the latest version only"
        );
        assert!(
            page.contains("href=\"/opportunities/fa\""),
            "schemes linked"
        );
        let (_, edit) = hr.get("/policy/edit").await;
        let t = app.demo_tenant().await;
        let versions = app.store.company_policies(t.id).await.expect("q");
        let latest = versions[0].version;
        assert!(latest >= 2);
        assert!(
            edit.contains(&format!("第{latest}版"))
                && edit.contains(&format!("第{}版", latest - 1))
        );
        // Nobody else writes it.
        let (s, _) = employee.get("/policy/edit").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let csrf = employee.csrf("/policy").await;
        let (s, _) = employee
            .post(
                "/policy",
                &[("_csrf", csrf.as_str()), ("message", "乗っ取り")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(
            app.store.company_policies(t.id).await.expect("q").len(),
            versions.len()
        );
    }
);
