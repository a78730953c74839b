//! Commitments (行動計画): milestone closing, versions, follow-ups and their grace period.

use super::*;

app_test!(
    a_milestone_interview_closes_as_committed_only_with_a_confirmed_passing_commitment,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (_, body) = consultant.get(&path).await;
        assert!(
            body.contains("今年度2回目の節目面談です"),
            "sessions counted"
        );
        let start = (chrono::Utc::now() + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        let record = |action: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("action", action),
                ("starts_on", start.clone().leak() as &str),
                ("first_step", ""),
                ("evidence", ""),
                ("vision", ""),
                ("target", ""),
                ("due_on", ""),
            ]
        };
        let close = || async {
            consultant
                .post(
                    &format!("{path}/close"),
                    &[("_csrf", &csrf), ("state", "held")],
                )
                .await
        };
        // The session has begun (the clock moves to its start); nothing recorded yet: it
        // cannot close.
        let session = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        app.state
            .clock
            .set(session.starts_at + chrono::Duration::minutes(30));
        close().await;
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        assert_eq!(d.state, domain::dialogue::DialogueState::Scheduled);
        // A vague commitment cannot even be confirmed: it stays a draft to rewrite.
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &record("後輩から頼られる存在になります"),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let vague = app.store.commitments_of(t.id, id).await.expect("q")[0].id;
        let (_, mine) = employee.get(&path).await;
        assert!(
            mine.contains("data-testid=\"commitment-not-confirmable\"")
                && !mine.contains("data-testid=\"commitment-confirm\""),
            "the employee is told why, and offered no button"
        );
        let (s, _) = employee
            .post(
                &format!("{path}/commitments/{vague}/confirm"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let refused = app
            .store
            .commitment(t.id, vague)
            .await
            .expect("q")
            .expect("c");
        assert!(
            refused.confirmed_at.is_none(),
            "a failing commitment is not confirmed"
        );
        let (_, mine) = employee.get(&path).await;
        assert!(mine.contains("確認を満たしていないため確認できません"));
        close().await;
        assert!(
            app.store
                .dialogue(t.id, id)
                .await
                .expect("q")
                .expect("d")
                .outcome
                .is_none()
        );
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("存在になります") && body.contains("data-ok=\"false\""));
        // A passing one, unconfirmed, does not count either.
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &record("来月から、毎週金曜の夕方に30分、後輩の相談を受ける時間をつくります"),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        close().await;
        assert!(
            app.store
                .dialogue(t.id, id)
                .await
                .expect("q")
                .expect("d")
                .outcome
                .is_none()
        );
        // Only the employee confirms; then it closes as committed.
        let good = app.store.commitments_of(t.id, id).await.expect("q")[1].id;
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments/{good}/confirm"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("data-testid=\"to-confirm\""),
            "asked to confirm at sign-in"
        );
        employee
            .post(
                &format!("{path}/commitments/{good}/confirm"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        close().await;
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        assert_eq!(
            d.outcome,
            Some(domain::commitment::MilestoneOutcome::Committed)
        );
        assert_eq!(d.state, domain::dialogue::DialogueState::Held);
        // The manager and HR see no commitment.
        for who in ["manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (_, body) = b.get(&path).await;
            assert!(!body.contains("後輩の相談を受ける時間"), "{who}");
        }
    }
);

app_test!(
    commitments_warn_about_a_past_start_and_a_confirmed_one_changes_only_as_a_new_version,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let fields = |action: &'static str, start: &'static str, confirm: bool| {
            let mut f = vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("action", action),
                ("starts_on", start),
            ];
            if confirm {
                f.push(("confirm_past", "1"));
            }
            f
        };
        let (s, body) = consultant
            .post(
                &format!("{path}/commitments"),
                &fields("4月から毎朝ニュースを読みます", "2020-04-01", false),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            body.contains("開始日が過去の日付") && body.contains("4月から毎朝ニュースを読みます")
        );
        assert!(
            app.store
                .commitments_of(t.id, next)
                .await
                .expect("q")
                .is_empty()
        );
        let (s, body) = consultant
            .post(&format!("{path}/commitments"), &fields("", "", false))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("行動と開始日は必ず入力してください"));
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &fields("4月から毎朝ニュースを読みます", "2020-04-01", true),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        let person = domain::PersonId(app.report_of_manager().await);
        assert!(
            app.store
                .confirm_commitment(t.id, c.id, person)
                .await
                .expect("q")
        );
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments/{}", c.id),
                &fields("4月から毎朝ニュースを15分読みます", "2020-04-01", true),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let now = app.store.commitments_of(t.id, next).await.expect("q");
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].version, 2);
        assert!(now[0].confirmed_at.is_none(), "needs confirming again");
        // The live check answers as a fragment.
        let (s, html) = consultant
            .post(
                "/commitments/check",
                &[
                    ("_csrf", &csrf),
                    ("action", "1年以内にTOEICの点数を100点上げます"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("data-testid=\"commitment-check\"") && !html.contains("<html"));
        assert!(html.contains("「1年以内に」は期限です"));
        // Nobody else records or changes commitments.
        for who in ["employee", "manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let c2 = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    &format!("{path}/commitments"),
                    &[
                        ("_csrf", &c2),
                        ("action", "来月から走ります"),
                        ("starts_on", "2030-01-01"),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
    }
);

app_test!(
    a_started_commitment_is_followed_up_and_stopping_needs_a_reason,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "先月から毎朝15分、業界ニュースを読んでいます"),
                    ("starts_on", "2024-04-01"),
                    ("confirm_past", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            !my.contains("my-check-in"),
            "not before the employee confirms"
        );
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/commitments/{}/confirm", c.id),
                &[("_csrf", &ecsrf)],
            )
            .await;
        let (_, my) = employee.get("/my").await;
        assert!(my.contains("data-testid=\"my-check-in\"") && my.contains("始めましたか？"));
        let (_, list) = consultant.get("/dialogues").await;
        assert!(
            list.contains("data-testid=\"check-in\""),
            "the facilitator is asked too"
        );
        // Stopping without a reason is refused and changes nothing.
        let status = format!("{path}/commitments/{}/status", c.id);
        employee
            .post(
                &status,
                &[("_csrf", &ecsrf), ("status", "stopped"), ("reason", "")],
            )
            .await;
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::NotStarted);
        employee
            .post(
                &status,
                &[
                    ("_csrf", &ecsrf),
                    ("status", "stopped"),
                    ("reason", "担当替えで朝の時間が取れなくなった"),
                ],
            )
            .await;
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::Stopped);
        assert_eq!(
            now.status_reason.as_deref(),
            Some("担当替えで朝の時間が取れなくなった")
        );
        let (_, my) = employee.get("/my").await;
        assert!(!my.contains("my-check-in"), "answered");
        // The facilitator may record it too; the manager may not.
        let (s, _) = consultant
            .post(
                &status,
                &[("_csrf", &csrf), ("status", "started"), ("reason", "")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/my").await;
        let (s, _) = manager
            .post(
                &status,
                &[("_csrf", &mcsrf), ("status", "done"), ("reason", "")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::Started);
    }
);

app_test!(
    the_follow_up_waits_for_the_grace_period_the_company_sets,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let started = (domain::japan_time::japan_date(chrono::Utc::now())
            - chrono::Duration::days(5))
        .to_string();
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "先週から毎朝15分、業界ニュースを読んでいます"),
                    ("starts_on", &started),
                    ("confirm_past", "1"),
                ],
            )
            .await;
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        assert!(
            app.store
                .confirm_commitment(t.id, c.id, c.subject)
                .await
                .expect("confirm")
        );
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("my-check-in"),
            "5 days after the start, the default 3 days have passed"
        );
        let admin = app.signed_in("admin@demo.example.jp").await;
        let acsrf = admin.csrf("/admin").await;
        let (s, body) = admin
            .post(
                "/admin/check-in",
                &[("_csrf", acsrf.as_str()), ("check_in_grace_days", "61")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("data-testid=\"grace-error\"") && body.contains("value=\"61\""),
            "the form keeps what was typed"
        );
        assert_eq!(
            app.store.check_in_grace_days(t.id).await.expect("q"),
            3,
            "refused"
        );
        admin
            .post(
                "/admin/check-in",
                &[("_csrf", acsrf.as_str()), ("check_in_grace_days", "10")],
            )
            .await;
        assert_eq!(app.store.check_in_grace_days(t.id).await.expect("q"), 10);
        let (_, my) = employee.get("/my").await;
        assert!(!my.contains("my-check-in"), "not before 10 days");
        let hr = app.signed_in("hr@demo.example.jp").await;
        let hcsrf = hr.csrf("/my").await;
        let (s, _) = hr
            .post(
                "/admin/check-in",
                &[("_csrf", hcsrf.as_str()), ("check_in_grace_days", "0")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_follow_up_asks_on_the_start_date_plus_grace_by_page_and_by_email_once,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let smtp = SmtpSink::start().await;
        let worker = app.worker(Some(smtp.port));
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let start = app.state.clock.today() + chrono::Duration::days(10);
        let start_s = start.format("%Y-%m-%d").to_string();
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    (
                        "action",
                        "来月から毎週火曜の朝に30分、統計検定の問題集を解きます",
                    ),
                    ("starts_on", &start_s),
                    ("first_step", ""),
                    ("evidence", ""),
                    ("vision", ""),
                    ("target", ""),
                    ("due_on", ""),
                ],
            )
            .await;
        let c = app.store.commitments_of(t.id, id).await.expect("q")[0].clone();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/commitments/{}/confirm", c.id),
                &[("_csrf", &ecsrf)],
            )
            .await;
        let confirmed = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert!(confirmed.counts(), "{confirmed:?}");
        let asked = |app: &TestApp| {
            let store = app.store.clone();
            async move { store.check_in_asked_at(t.id, c.id).await.expect("q") }
        };
        let mine = |body: &str| {
            body.contains("統計検定の問題集") && body.contains("data-testid=\"my-check-in\"")
        };
        // Before the start date plus the grace period (3 days): nothing.
        worker.tick().await.expect("tick");
        assert!(asked(&app).await.is_none());
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(2)));
        worker.tick().await.expect("tick");
        assert!(asked(&app).await.is_none(), "grace period");
        let (_, my) = employee.get("/my").await;
        assert!(!mine(&my));
        // On the day: the task on both people's pages and one email each.
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(3)));
        let report = worker.tick().await.expect("tick");
        assert!(
            report.check_ins_asked >= 1 && report.emails_sent >= 2,
            "{report:?}"
        );
        assert!(asked(&app).await.is_some());
        let (_, my) = employee.get("/my").await;
        assert!(mine(&my), "the check-in on マイキャリア");
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("始めましたか？"),
            "the check-in on the dialogue page"
        );
        let to_employee = smtp.to("employee@demo.example.jp");
        let to_consultant = smtp.to("consultant@demo.example.jp");
        let about = |m: &&serde_json::Value| {
            m["body"]
                .as_str()
                .is_some_and(|b| b.contains(&format!("{start_s}から始めると決めた")))
        };
        assert_eq!(
            to_employee.iter().filter(about).count(),
            1,
            "{to_employee:?}"
        );
        assert_eq!(
            to_consultant.iter().filter(about).count(),
            1,
            "{to_consultant:?}"
        );
        let mail = to_employee.iter().find(about).expect("mail");
        assert!(
            mail["subject"]
                .as_str()
                .expect("s")
                .starts_with("始めましたか？")
        );
        let body = mail["body"].as_str().expect("body");
        assert!(
            body.contains("マイキャリア") && body.contains("/my"),
            "{body}"
        );
        for m in smtp.messages() {
            assert!(
                !m["body"].as_str().expect("b").contains("統計検定"),
                "an email never carries the commitment's words"
            );
        }
        // Asked once: later ticks send nothing more about it.
        let before = smtp.messages().len();
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(9)));
        worker.tick().await.expect("tick");
        worker.tick().await.expect("tick");
        let all = smtp.messages();
        let after = &all[before..];
        assert!(after.iter().all(|m| !about(&m)), "{after:?}");
        // Answering ends the task.
        employee
            .post(
                &format!("{path}/commitments/{}/status", c.id),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("status", "started"),
                    ("reason", ""),
                ],
            )
            .await;
        let (_, my) = employee.get("/my").await;
        assert!(!mine(&my));
    }
);

app_test!(
    the_start_check_reads_the_itsukara_date_and_is_never_told_missing_when_filled,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let start = (chrono::Utc::now() + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        // The live check, with and without the date.
        let (_, without) = consultant
            .post(
                "/commitments/check",
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "1年以内にTOEICの点数を100点上げます"),
                ],
            )
            .await;
        assert!(
            without.contains("data-testid=\"check-start\" data-ok=\"false\""),
            "{without}"
        );
        let (_, with) = consultant
            .post(
                "/commitments/check",
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "1年以内にTOEICの点数を100点上げます"),
                    ("starts_on", start.as_str()),
                ],
            )
            .await;
        assert!(
            with.contains("data-testid=\"check-start\" data-ok=\"true\""),
            "{with}"
        );
        assert!(!with.contains("いつから始めるのかが書かれていません"));
        // Recorded with its date: the stored verdict says it has a start.
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "1年以内にTOEICの点数を100点上げます"),
                    ("starts_on", start.as_str()),
                    ("first_step", ""),
                    ("evidence", ""),
                    ("vision", ""),
                    ("target", ""),
                    ("due_on", ""),
                ],
            )
            .await;
        let c = app
            .store
            .commitments_of(t.id, id)
            .await
            .expect("q")
            .into_iter()
            .find(|c| c.content.action.contains("TOEIC"))
            .expect("recorded");
        assert!(c.has_start);
        let (_, page) = consultant.get(&path).await;
        assert!(!page.contains("いつから始めるのかが書かれていません"));
    }
);

app_test!(
    a_commitment_points_at_an_opportunity_open_today_and_its_readers_follow_it,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (_, body) = consultant.get(&path).await;
        // The facilitator chooses among postings open now, courses and certifications.
        let course = app
            .store
            .courses(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|c| c.course.title == "ロジカル・ライティング講座")
            .expect("the demo's course");
        let value = format!("course:{}", course.id);
        assert!(body.contains("data-testid=\"commitment-opportunity\""));
        assert!(body.contains(&format!("value=\"{value}\"")));
        let start = (chrono::Utc::now() + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        let post = |opportunity: String| {
            let (consultant, path, csrf, start) =
                (&consultant, path.clone(), csrf.clone(), start.clone());
            async move {
                consultant
                    .post(
                        &format!("{path}/commitments"),
                        &[
                            ("_csrf", csrf.as_str()),
                            ("action", "来月から、週報を結論から書いて課長に提出します"),
                            ("starts_on", start.as_str()),
                            ("opportunity", opportunity.as_str()),
                        ],
                    )
                    .await
            }
        };
        // Something that is not an opportunity open today is refused, the rest kept.
        let before = app.store.commitments_of(t.id, id).await.expect("q").len();
        for bad in ["course:987654", "posting:x", "subsidy:社内にない資格"] {
            let (s, body) = post(bad.to_string()).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(body.contains("いまは選べません"), "{bad}");
            assert!(body.contains("週報を結論から書いて"), "kept as typed");
        }
        assert_eq!(
            app.store.commitments_of(t.id, id).await.expect("q").len(),
            before
        );
        let (s, _) = post(value.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app
            .store
            .commitments_of(t.id, id)
            .await
            .expect("q")
            .into_iter()
            .find(|c| c.content.action.contains("週報を結論から"))
            .expect("recorded");
        assert_eq!(
            c.content.opportunity,
            Some(domain::commitment::Opportunity::Course(course.id))
        );
        // The employee reads it with the link; a retired course keeps it on an edit.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, mine) = employee.get(&path).await;
        assert!(mine.contains("講座：ロジカル・ライティング講座"));
        assert!(mine.contains(&format!("/opportunities/learning#course-{}", course.id)));
        app.store
            .set_course_retired(t.id, course.id, true, chrono::Utc::now())
            .await
            .expect("retire");
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments/{}", c.id),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "来月から、週報を結論から書いて部長にも提出します"),
                    ("starts_on", start.as_str()),
                    ("opportunity", value.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let after = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(
            after.content.opportunity,
            Some(domain::commitment::Opportunity::Course(course.id))
        );
    }
);

app_test!(
    commitments_over_the_api_are_the_pages_and_refuse_a_stale_wording,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = domain::PersonId(app.person_of("employee@demo.example.jp").await);
        let mine = app.store.commitments_about(t.id, me).await.expect("q");
        let token = app.token("employee@demo.example.jp").await;
        let (s, body) = app
            .api(Some(&token), "/api/v1/me/commitments?limit=500")
            .await;
        assert_eq!(s, StatusCode::OK);
        let ids: Vec<i64> = body
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["id"].as_i64())
            .collect();
        assert_eq!(ids, mine.iter().map(|c| c.id).collect::<Vec<_>>());
        // The facilitator's list: those recorded in dialogues they held.
        let consultant = app.user("consultant@demo.example.jp").await;
        let recorded = app
            .store
            .commitments_recorded_by_facilitator(t.id, consultant.id)
            .await
            .expect("q");
        let ctoken = app.token("consultant@demo.example.jp").await;
        let (_, body) = app
            .api(Some(&ctoken), "/api/v1/commitments/recorded?limit=500")
            .await;
        assert_eq!(
            body.as_array().map(Vec::len),
            Some(recorded.len()),
            "{body}"
        );
        // Moving one on, with the wording read; a stale version is refused with the
        // current one, and nothing changes.
        let c = mine
            .iter()
            .find(|c| c.counts())
            .expect("a confirmed commitment in the demo");
        let path = format!("/api/v1/commitments/{}/status", c.id);
        let (s, body) = app
            .api_post(
                &token,
                &path,
                serde_json::json!({"status": "started", "version": c.version + 1}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "stale");
        assert_eq!(body["error"]["current_version"], c.version);
        let (s, body) = app
            .api_post(
                &token,
                &path,
                serde_json::json!({"status": "stopped", "version": c.version}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is needed: {body}"
        );
        let (s, body) = app
            .api_post(
                &token,
                &path,
                serde_json::json!({"status": "started", "version": c.version}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "started");
        // Nobody else moves it: HR, an admin, another employee.
        for who in ["hr", "admin", "mentor"] {
            let other = app.token(&format!("{who}@demo.example.jp")).await;
            let (s, _) = app
                .api_post(
                    &other,
                    &path,
                    serde_json::json!({"status": "done", "version": c.version}),
                )
                .await;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                "{who}: {s}"
            );
        }
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::Started);
    }
);
