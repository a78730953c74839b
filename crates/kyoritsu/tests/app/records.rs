//! The employee's own records (本人に返却) printed as a PDF.

use super::*;

app_test!(
    my_records_print_as_a_pdf_with_the_japanese_font_embedded,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let r = employee
            .http
            .get(format!("{}/my/records.pdf", employee.base))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let bytes = r.bytes().await.expect("body");
        // One folder per engine: both variants of this test run at once in this process.
        let dir = std::env::temp_dir().join(format!(
            "kyoritsu-pdf-{}-{:?}",
            std::process::id(),
            app.store.engine()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("records.pdf");
        std::fs::write(&file, &bytes).expect("write");
        let path = file.to_string_lossy().to_string();
        let text = poppler("pdftotext", &[&path, "-"]);
        assert!(text.contains("面談の記録"), "{text}");
        assert!(text.contains(SHARED_NOTE), "{text}");
        assert!(
            text.contains("自分の強みを言葉にしてもらえて"),
            "own reflection"
        );
        assert!(
            !text.contains(PRIVATE_NOTE),
            "a private note never leaves in a PDF"
        );
        let fonts = poppler("pdffonts", &[&path]);
        let line = fonts
            .lines()
            .find(|l| l.contains("IPAexGothic"))
            .unwrap_or_else(|| panic!("IPAexGothic not used: {fonts}"));
        assert!(line.contains(" yes "), "the font is embedded: {line}");
        // A rendering of the first page, kept with the browser screenshots.
        let artifacts =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/artifacts");
        std::fs::create_dir_all(&artifacts).expect("artifacts");
        let out = artifacts.join(format!("my-records-pdf-{:?}", app.store.engine()).to_lowercase());
        poppler(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                &path,
                &out.to_string_lossy(),
            ],
        );
        let _ = std::fs::remove_dir_all(&dir);
        // The export is audited.
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert!(
            entries
                .iter()
                .any(|e| e.detail.as_deref() == Some("my records (pdf)"))
        );
    }
);
