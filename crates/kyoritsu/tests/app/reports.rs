//! Feedback reports (面談所感): consent, withheld words, limits and the report email.

use super::*;

/// The withheld topics the preview asks the consultant to tick.
fn withheld_ticks(preview: &str) -> Vec<String> {
    preview
        .split("name=\"withheld_ok\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

app_test!(
    a_feedback_report_reaches_the_manager_only_with_consent_and_never_with_withheld_or_private_words,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("data-testid=\"report-form\""));
        assert!(body.contains("社内公募の募集情報を確認します"), "commitments filled in");
        let draft = |motivation: &'static str, support: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("unknown_side", "顧客との信頼関係づくりに長けています。"),
                ("motivation", motivation),
                ("committed", "毎週水曜の朝に社内公募の情報を確認します。"),
                ("support", support),
            ]
        };
        // A withheld topic and a private note's wording: saved as a draft, never sent.
        consultant
            .post(
                &format!("{path}/report"),
                &draft("母の介護が始まり大変な時期です。", "転勤のある異動には不安が大きいようです。"),
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("data-testid=\"report-blocked\""));
        assert!(preview.contains("「母の介護」") && preview.contains("非公開の記録と同じ表現"));
        consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        let r = app.store.report_of_dialogue(t.id, held).await.expect("q").expect("r");
        assert!(r.sent_at.is_none(), "refused by the policy");
        // A clean draft goes, once.
        consultant
            .post(
                &format!("{path}/report"),
                &draft("後輩の相談に乗る役割で力を発揮します。", "育成の役割を任せてください。"),
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("data-testid=\"report-send\""), "{preview}");
        // The withheld topic is a checklist the consultant ticks; unticked, nothing goes.
        let topics = withheld_ticks(&preview);
        assert_eq!(topics, ["母の介護"], "each withheld topic to tick");
        let (s, location) = consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(
            (s, location.as_str()),
            (StatusCode::SEE_OTHER, format!("{path}/report/preview").as_str())
        );
        let r = app.store.report_of_dialogue(t.id, held).await.expect("q").expect("r");
        assert!(r.sent_at.is_none(), "not sent without the ticks");
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("すべて確かめてチェックしてから送信してください"));
        let (s, _) = consultant
            .post(
                &format!("{path}/report/send"),
                &[("_csrf", csrf.as_str()), ("withheld_ok", "母の介護")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = app.store.report_of_dialogue(t.id, held).await.expect("q").expect("r");
        assert!(r.sent_at.is_some());
        consultant
            .post(&format!("{path}/report"), &draft("送信後の変更", ""))
            .await;
        let again = app.store.report(t.id, r.id).await.expect("q").expect("r");
        assert_eq!(again.parts.motivation, "後輩の相談に乗る役割で力を発揮します。");
        // The manager reads it (audited), acknowledges it and records support.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, inbox) = manager.get("/reports").await;
        assert_eq!(s, StatusCode::OK);
        assert!(inbox.contains(&format!("/reports/{}", r.id)));
        let (s, body) = manager.get(&format!("/reports/{}", r.id)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("後輩の相談に乗る役割で力を発揮します。"));
        assert!(!body.contains("母の介護") && !body.contains(PRIVATE_NOTE));
        let mcsrf = manager.csrf(&format!("/reports/{}", r.id)).await;
        manager
            .post(
                &format!("/reports/{}/acknowledge", r.id),
                &[("_csrf", &mcsrf), ("support", "来月から後輩2名の指導を任せた")],
            )
            .await;
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("data-testid=\"report-acknowledged\"") && body.contains("来月から後輩2名の指導を任せた"));
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    actor_email: Some("manager@demo.example.jp".into()),
                    action: Some(domain::audit::AuditAction::ConfidentialRead),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert!(entries.iter().any(|e| e.target_type.as_deref() == Some("feedback_report")));
        // Nobody else reads it; HR and admin included.
        for who in ["hr", "admin", "instructor"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (s, body) = b.get(&format!("/reports/{}", r.id)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            assert!(!body.contains("後輩の相談に乗る役割"));
        }
        // The PDF carries the Japanese text with the font embedded.
        let bytes = manager
            .http
            .get(format!("{}/reports/{}/report.pdf", manager.base, r.id))
            .send()
            .await
            .expect("pdf")
            .bytes()
            .await
            .expect("bytes");
        let file = std::env::temp_dir().join(format!("kyoritsu-report-{}-{:?}.pdf", std::process::id(), app.store.engine()));
        std::fs::write(&file, &bytes).expect("write");
        let path_s = file.to_string_lossy().to_string();
        let text = poppler("pdftotext", &[&path_s, "-"]);
        assert!(text.contains("後輩の相談に乗る役割で力を発揮します"), "{text}");
        assert!(poppler("pdffonts", &[&path_s]).lines().any(|l| l.contains("IPAexGothic") && l.contains(" yes ")));
        let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/artifacts");
        std::fs::create_dir_all(&artifacts).expect("artifacts");
        poppler(
            "pdftoppm",
            &["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", &path_s, &artifacts.join(format!("feedback-report-pdf-{:?}", app.store.engine()).to_lowercase()).to_string_lossy()],
        );
        let _ = std::fs::remove_file(&file);
    }
);

app_test!(
    consent_the_consultant_records_waits_for_the_employee_to_confirm_it,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        // The consultant records what was agreed in the session.
        let (s, _) = consultant
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("agreed", "yes"),
                    ("withheld", "母の介護のこと"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("本人の確認待ちです"),
            "the consultant is told it waits"
        );
        assert!(!page.contains("data-testid=\"consent-confirm\""));
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "後輩の相談に乗る役割で力を発揮します。"),
                ],
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("本人がまだ確認していない"), "{preview}");
        assert!(!preview.contains("data-testid=\"report-send\""));
        // What the employee asked to withhold applies meanwhile: the draft lists it.
        let (_, page) = consultant.get(&path).await;
        let listed = page
            .split("data-testid=\"report-withheld\"")
            .nth(1)
            .expect("withheld topics listed beside the draft");
        assert!(listed.contains("母の介護"));
        let send = [("_csrf", csrf.as_str()), ("withheld_ok", "母の介護のこと")];
        consultant.post(&format!("{path}/report/send"), &send).await;
        let sent = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                store
                    .report_of_dialogue(t.id, held)
                    .await
                    .expect("q")
                    .expect("r")
                    .sent_at
                    .is_some()
            }
        };
        assert!(
            !sent(&app).await,
            "nothing goes before the employee confirms"
        );
        // The consultant cannot confirm for the employee, nor can the manager.
        let (s, _) = consultant
            .post(&format!("{path}/consent/confirm"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/members").await;
        let (s, _) = manager
            .post(&format!("{path}/consent/confirm"), &[("_csrf", &mcsrf)])
            .await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{s}"
        );
        // The employee is told, at home and in a notice, and confirms.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, home) = employee.get("/my").await;
        assert!(
            home.contains(&format!("href=\"/dialogues/{held}#sec-consent\"")),
            "{home}"
        );
        let (_, notices) = employee.get("/notifications").await;
        assert!(
            notices.contains("面談での同意の内容を記録しました"),
            "{notices}"
        );
        assert!(
            !notices.contains("母の介護"),
            "the notice carries no content"
        );
        let (_, mine) = employee.get(&path).await;
        assert!(mine.contains("data-testid=\"consent-confirm\""));
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(&format!("{path}/consent/confirm"), &[("_csrf", &ecsrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, home) = employee.get("/my").await;
        assert!(!home.contains(&format!("href=\"/dialogues/{held}#sec-consent\"")));
        // Confirming twice changes nothing.
        let before = app.store.consent_events(t.id, held).await.expect("q").len();
        employee
            .post(&format!("{path}/consent/confirm"), &[("_csrf", &ecsrf)])
            .await;
        assert_eq!(
            app.store.consent_events(t.id, held).await.expect("q").len(),
            before
        );
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        let ticks = withheld_ticks(&preview);
        assert!(
            !ticks.is_empty(),
            "the checklist is there once it may be sent"
        );
        let mut send: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        send.extend(ticks.iter().map(|t| ("withheld_ok", t.as_str())));
        consultant.post(&format!("{path}/report/send"), &send).await;
        assert!(sent(&app).await, "sent once the employee confirmed");
        let (audit, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConsentChanged),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .any(|e| e.detail.as_deref() == Some("confirmed by the employee")),
            "the confirmation is audited"
        );
    }
);

app_test!(
    withdrawing_consent_after_a_draft_exists_stops_the_report,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "育成の役割で力を発揮します。"),
                ],
            )
            .await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(&format!("{path}/consent/withdraw"), &[("_csrf", &ecsrf)])
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("同意を撤回したため"));
        consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        assert!(r.sent_at.is_none());
        // Nobody but the consultant drafts or sends.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/my").await;
        for action in ["report", "report/send"] {
            let (s, _) = manager
                .post(
                    &format!("{path}/{action}"),
                    &[("_csrf", &mcsrf), ("motivation", "x")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{action}");
        }
    }
);

app_test!(
    an_overlong_report_part_is_refused_and_everything_typed_comes_back,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let long = "長".repeat(domain::feedback::MAX_PART_CHARS + 1);
        let (s, body) = consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("unknown_side", "丁寧に書いた一面の説明"),
                    ("motivation", long.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("data-testid=\"report-error\""));
        assert!(
            body.contains("丁寧に書いた一面の説明") && body.contains(&long),
            "typed parts kept"
        );
        assert!(
            app.store
                .report_of_dialogue(t.id, held)
                .await
                .expect("q")
                .is_none(),
            "nothing saved"
        );
    }
);

app_test!(
    an_smtp_server_that_is_down_keeps_the_report_email_queued_and_it_is_retried_until_sent,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let port = free_port();
        // Nothing listens on `port` yet.
        let worker = app.worker(Some(port));
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("unknown_side", "顧客との信頼関係づくりに長けています。"),
                    ("motivation", "後輩の相談に乗る役割で力を発揮します。"),
                    ("committed", "毎週水曜の朝に社内公募の情報を確認します。"),
                    ("support", "育成の役割を任せてください。"),
                ],
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        let mut send: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        let ticks = withheld_ticks(&preview);
        send.extend(ticks.iter().map(|t| ("withheld_ok", t.as_str())));
        let (s, _) = consultant.post(&format!("{path}/report/send"), &send).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("送信キューに入りました"),
            "the flash says it is queued"
        );
        assert!(
            page.contains("送信待ちです"),
            "the report says where the email stands"
        );
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        let key = web_report_key(r.id);
        // The server is down: the attempt fails, nothing is lost, it waits to retry.
        let tick = worker.tick().await.expect("tick");
        assert!(tick.emails_retrying >= 1, "{tick:?}");
        let job = app
            .store
            .job_status(t.id, &key)
            .await
            .expect("q")
            .expect("job");
        assert_eq!(job.state, store::jobs::JobState::Queued);
        assert_eq!(job.attempts, 1);
        assert!(job.last_error.is_some());
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("再送します（失敗 1 回）"),
            "the page says it will retry"
        );
        // The server comes back; after the back-off the email goes, once.
        let smtp = SmtpSink::start_on(port).await;
        worker.tick().await.expect("tick");
        assert!(
            smtp.to("manager@demo.example.jp").is_empty(),
            "waits for its back-off"
        );
        app.state
            .clock
            .set(app.state.clock.now() + chrono::Duration::minutes(2));
        worker.tick().await.expect("tick");
        worker.tick().await.expect("tick");
        let mails: Vec<_> = smtp
            .to("manager@demo.example.jp")
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("面談所感が届きました"))
            })
            .collect();
        assert_eq!(mails.len(), 1, "{mails:?}");
        let body = mails[0]["body"].as_str().expect("b");
        assert!(body.contains(&format!("/reports/{}", r.id)), "{body}");
        for secret in ["顧客との信頼関係", "後輩の相談", "社内公募", "育成の役割"]
        {
            assert!(
                !body.contains(secret),
                "the email carries no report text: {secret}"
            );
        }
        let job = app
            .store
            .job_status(t.id, &key)
            .await
            .expect("q")
            .expect("job");
        assert_eq!(job.state, store::jobs::JobState::Done);
        let (_, page) = consultant.get(&path).await;
        assert!(page.contains("上司へのお知らせメールは") && page.contains("に送信しました。"));
    }
);

app_test!(
    a_report_cannot_be_sent_before_its_dialogue_is_held,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let t = app.demo_tenant().await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        // Consent given and a draft written for an interview still to come.
        consultant
            .post(
                &format!("{path}/consent"),
                &[("_csrf", &csrf), ("agreed", "yes"), ("withheld", "")],
            )
            .await;
        let (s, _) = consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", &csrf),
                    ("unknown_side", "顧客との信頼関係づくりが強みです。"),
                    ("motivation", ""),
                    ("committed", ""),
                    ("support", "後輩の指導を任せてみてください。"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(
            preview.contains("実施済み"),
            "the preview says why it cannot go"
        );
        assert!(!preview.contains("data-testid=\"report-send\""));
        consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        let r = app
            .store
            .report_of_dialogue(t.id, next)
            .await
            .expect("q")
            .expect("the draft is kept");
        assert!(r.sent_at.is_none(), "nothing reached the manager");
        let (_, page) = consultant.get(&path).await;
        assert!(page.contains("実施済み"), "the refusal is explained");
    }
);

app_test!(
    the_employee_reads_the_report_about_them_and_withdrawing_after_sending_retracts_it,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "後輩の相談に乗る役割で力を発揮します。"),
                ],
            )
            .await;
        let (s, _) = consultant
            .post(
                &format!("{path}/report/send"),
                &[("_csrf", csrf.as_str()), ("withheld_ok", "母の介護")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        assert!(r.sent_at.is_some());
        let report = format!("/reports/{}", r.id);
        // The employee finds it on マイキャリア and reads it as sent.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(my.contains("data-testid=\"my-reports\"") && my.contains(&report));
        let (s, body) = employee.get(&report).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("後輩の相談に乗る役割で力を発揮します。"));
        // The manager reads it over the API too, the read audited as such.
        let mtoken = app.token("manager@demo.example.jp").await;
        let api_report = format!("/api/v1/reports/{}", r.id);
        let (s, body) = app.api(Some(&mtoken), &api_report).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(
            body["parts"]["motivation"],
            "後輩の相談に乗る役割で力を発揮します。"
        );
        let (_, inbox) = app.api(Some(&mtoken), "/api/v1/reports?limit=500").await;
        assert!(
            inbox
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i["id"] == r.id && i["withdrawn"] == false))
        );
        let (_, audit) = app
            .signed_in("admin@demo.example.jp")
            .await
            .get("/admin/audit?action=confidential_read")
            .await;
        assert!(audit.contains("面談所感（API）"));
        // HR and another employee get nothing of it.
        for who in ["hr", "mentor"] {
            let (s, body) = app
                .api(
                    Some(&app.token(&format!("{who}@demo.example.jp")).await),
                    &api_report,
                )
                .await;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                "{who}: {s}"
            );
            assert!(!body.to_string().contains("後輩の相談に乗る役割"));
        }
        // The consent section says what withdrawing would do now.
        let (_, page) = employee.get(&path).await;
        assert!(page.contains("送信済みの面談所感は上司の画面から取り下げられます"));
        assert!(
            !page.contains("data-testid=\"consent-form\""),
            "consent is not re-recorded after sending"
        );
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(
                &format!("{path}/consent/withdraw"),
                &[("_csrf", ecsrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = app.store.report(t.id, r.id).await.expect("q").expect("r");
        assert!(
            r.retracted_at.is_some(),
            "withdrawing after sending retracts the report"
        );
        // The manager sees only that it was withdrawn at the employee's request.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, inbox) = manager.get("/reports").await;
        assert!(inbox.contains("inbox-withdrawn") && inbox.contains("本人の申し出により取り下げ"));
        assert!(
            !inbox.contains(&format!("href=\"{report}\"")),
            "no link to it"
        );
        for p in [report.clone(), format!("{report}/report.pdf")] {
            let (s, body) = manager.get(&p).await;
            assert_eq!(s, StatusCode::GONE, "{p}");
            assert!(!body.contains("後輩の相談に乗る役割"), "{p}");
            assert!(body.contains("取り下げられました"), "{p}");
        }
        let (s, body) = app.api(Some(&mtoken), &api_report).await;
        assert_eq!(s, StatusCode::GONE);
        assert!(!body.to_string().contains("後輩の相談に乗る役割"));
        let (_, inbox) = app.api(Some(&mtoken), "/api/v1/reports?limit=500").await;
        assert!(
            inbox
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i["id"] == r.id && i["withdrawn"] == true))
        );
        let mcsrf = manager.csrf("/reports").await;
        let (s, _) = manager
            .post(
                &format!("{report}/acknowledge"),
                &[("_csrf", mcsrf.as_str()), ("support", "x")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The employee and the consultant still read it, told it was withdrawn.
        for b in [&employee, &consultant] {
            let (s, body) = b.get(&report).await;
            assert_eq!(s, StatusCode::OK);
            assert!(body.contains("data-testid=\"report-retracted\""));
        }
        let (_, page) = employee.get(&path).await;
        assert!(page.contains("同意の撤回により上司の画面から取り下げられています"));
        // Audited, saying so.
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConsentChanged),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert!(entries.iter().any(|e| {
            e.detail
                .as_deref()
                .is_some_and(|d| d.contains("by the employee") && d.contains("retracted"))
        }));
    }
);

app_test!(
    a_paraphrase_of_a_withheld_topic_or_a_private_note_is_caught_before_sending,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        // 「母の介護」 withheld, said as 看病; the private note about 転勤・異動・不安 retold.
        for (motivation, expected) in [
            (
                "お母様の看病が続き、時間のやりくりに苦労されています。",
                "「母の介護」に近い表現（看病）",
            ),
            (
                "異動で勤務地が変わることを、とても心配しています。",
                "非公開の記録と重なる内容",
            ),
        ] {
            consultant
                .post(
                    &format!("{path}/report"),
                    &[("_csrf", csrf.as_str()), ("motivation", motivation)],
                )
                .await;
            let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
            assert!(
                preview.contains("data-testid=\"report-blocked\""),
                "{motivation}"
            );
            assert!(preview.contains(expected), "{motivation}: {preview}");
            let (s, _) = consultant
                .post(
                    &format!("{path}/report/send"),
                    &[("_csrf", csrf.as_str()), ("withheld_ok", "母の介護")],
                )
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            let r = app
                .store
                .report_of_dialogue(t.id, held)
                .await
                .expect("q")
                .expect("r");
            assert!(r.sent_at.is_none(), "refused: {motivation}");
        }
        // Ordinary wording about the same person goes.
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "次の異動では営業企画を希望しています。"),
                ],
            )
            .await;
        let (s, _) = consultant
            .post(
                &format!("{path}/report/send"),
                &[("_csrf", csrf.as_str()), ("withheld_ok", "母の介護")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        assert!(r.sent_at.is_some());
    }
);

app_test!(
    the_consultants_home_lists_the_report_to_write_until_it_is_sent,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, home) = consultant.get("/clients").await;
        assert!(home.contains("data-testid=\"consultant-todo\""));
        assert!(home.contains("面談所感を書いて送りましょう") && home.contains(&path));
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "後輩の相談に乗る役割で力を発揮します。"),
                ],
            )
            .await;
        consultant
            .post(
                &format!("{path}/report/send"),
                &[("_csrf", csrf.as_str()), ("withheld_ok", "母の介護")],
            )
            .await;
        let (_, home) = consultant.get("/clients").await;
        assert!(
            !home.contains("面談所感を書いて送りましょう"),
            "sent: nothing left to do"
        );
        // Nobody else's home lists it.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, members) = manager.get("/members").await;
        assert!(!members.contains("面談所感を書いて送りましょう"));
    }
);
