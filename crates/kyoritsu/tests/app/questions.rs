//! The question bank (質問集): the tenant's own questions reach the facilitators.

use super::*;

app_test!(
    admin_adds_questions_to_the_bank_and_facilitators_see_them,
    |app| async move {
        let admin = app.signed_in("admin@demo.example.jp").await;
        let csrf = admin.csrf("/questions").await;
        // A line break is refused, with what was typed kept.
        let (status, page) = admin
            .post(
                "/questions",
                &[
                    ("_csrf", csrf.as_str()),
                    ("category", "values"),
                    ("text_ja", "一行目\n二行目"),
                    ("text_en", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("1行で入力してください"));
        assert!(page.contains("一行目"));
        let (status, _) = admin
            .post(
                "/questions",
                &[
                    ("_csrf", csrf.as_str()),
                    ("category", "values"),
                    (
                        "text_ja",
                        "あなたが仕事で「これは譲れない」と思った場面は？",
                    ),
                    (
                        "text_en",
                        "When did you feel something at work was non-negotiable?",
                    ),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, bank) = manager.get("/questions").await;
        assert!(bank.contains("「これは譲れない」と思った場面"));
        assert!(
            !bank.contains("data-testid=\"question-add\""),
            "only admin adds"
        );
        assert!(bank.matches("data-testid=\"question\"").count() >= 25);
        // The one added question disappears again when the admin removes it.
        let t = app.demo_tenant().await;
        let id = app
            .store
            .tenant_questions(t.id)
            .await
            .expect("q")
            .last()
            .expect("the added question")
            .id;
        let (status, _) = admin
            .post(
                &format!("/questions/{id}/delete"),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            !manager
                .get("/questions")
                .await
                .1
                .contains("譲れない」と思った場面")
        );
    }
);
