//! Dialogues (面談・1on1): what each party sees, preparation, booking, notes, consent, calendars, assignments, the API and reminders.

use super::*;

app_test!(
    each_party_to_a_dialogue_sees_exactly_what_the_policy_allows,
    |app| async move {
        let (held, _, booked, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (s, body) = consultant.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        for text in [PRIVATE_NOTE, SHARED_NOTE, FOR_MANAGER_NOTE, WITHHELD] {
            assert!(body.contains(text), "the consultant sees {text}");
        }
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, body) = employee.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(SHARED_NOTE) && body.contains(FOR_MANAGER_NOTE));
        assert!(
            !body.contains(PRIVATE_NOTE),
            "the employee never sees a private note"
        );
        assert!(
            body.contains(WITHHELD),
            "the employee sees what they asked to withhold"
        );
        // The manager knows it happened, nothing more.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, body) = manager.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("data-testid=\"no-content\""));
        for text in [
            PRIVATE_NOTE,
            SHARED_NOTE,
            FOR_MANAGER_NOTE,
            WITHHELD,
            "相談室B",
        ] {
            assert!(!body.contains(text), "the manager must not see {text}");
        }
        // ... and finds it among their team's dialogues, by date and kind.
        let (_, list) = manager.get("/dialogues").await;
        assert!(list.contains("data-testid=\"of-members\"") && list.contains(&path));
        assert!(!list.contains(SHARED_NOTE) && !list.contains(PRIVATE_NOTE));
        // HR and admin see nothing of a dialogue they did not book; HR sees the logistics
        // of one they did, never its notes.
        for who in ["hr", "admin", "instructor"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (s, body) = b.get(&path).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            assert!(!body.contains(SHARED_NOTE));
        }
        // Nobody but the facilitator writes notes or records consent.
        for who in ["employee", "manager", "hr", "admin", "instructor"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let csrf = b.csrf("/login").await;
            for (action, fields) in [
                (
                    "notes",
                    vec![("body", "書き込み"), ("visibility", "shared")],
                ),
                ("consent", vec![("agreed", "yes")]),
                ("close", vec![("state", "held")]),
            ] {
                let mut form = fields.clone();
                form.push(("_csrf", &csrf));
                let (s, _) = b.post(&format!("{path}/{action}"), &form).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{who} POST {action}");
            }
        }
        let t = app.demo_tenant().await;
        assert_eq!(app.store.notes_of(t.id, held).await.expect("q").len(), 4);
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, body) = hr.get(&format!("/dialogues/{booked}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("data-testid=\"no-content\"") && !body.contains("note-form"));
        // My records: the shared items, never the private one, on the page and in the CSV.
        let (s, body) = employee.get("/my/records").await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(SHARED_NOTE) && !body.contains(PRIVATE_NOTE));
        assert!(
            body.contains("自分の強みを言葉にしてもらえて"),
            "own reflection"
        );
        let (s, csv) = employee.get("/my/records.csv").await;
        assert_eq!(s, StatusCode::OK);
        assert!(csv.contains(SHARED_NOTE) && !csv.contains(PRIVATE_NOTE));
        // The employee's reads were audited; the facilitator's own were not.
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConfidentialRead),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .expect("audit");
        assert!(
            entries
                .iter()
                .any(|e| e.actor_email == "employee@demo.example.jp"
                    && e.target_type.as_deref() == Some("dialogue")),
            "the employee's read of notes is audited"
        );
        assert!(
            !entries
                .iter()
                .any(|e| e.actor_email == "consultant@demo.example.jp"
                    && e.target_type.as_deref() == Some("dialogue")
                    && e.detail.as_deref() == Some("notes")),
            "reading one's own notes is not"
        );
    }
);

app_test!(
    the_next_dialogue_is_prepared_with_what_was_heard_and_the_shared_sheet,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (s, body) = consultant.get(&format!("/dialogues/{next}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            body.contains("社内公募の募集要項"),
            "next-time topic carried over"
        );
        assert!(body.contains(PRIVATE_NOTE), "what to remember carried over");
        assert!(
            body.contains("社内公募に応募するかどうか"),
            "the employee's topic"
        );
        assert!(body.contains("営業データの活用"), "the shared vision");
        assert!(
            !body.contains("子どもの進学"),
            "a private section of the career sheet is never shown"
        );
        assert!(body.contains("コーチングが合いそうです"), "{body}");
        // The facilitator's read of the sheet is audited.
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    actor_email: Some("consultant@demo.example.jp".into()),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .expect("audit");
        assert!(entries.iter().any(|e| {
            e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("career_sheet"))
        }));
    }
);

app_test!(
    booking_in_the_past_or_over_another_dialogue_asks_for_confirmation,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let t = app.demo_tenant().await;
        let subject = app.report_of_manager().await.to_string();
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let before = app
            .store
            .dialogues_about(t.id, domain::PersonId(app.report_of_manager().await))
            .await
            .expect("q")
            .len();
        let past = [
            ("kind", "career_interview"),
            ("subject", subject.as_str()),
            ("date", "2020-01-06"),
            ("time", "10:00"),
            ("duration", "60"),
            ("place", "会議室"),
            ("repeat", "none"),
        ];
        let (s, body) = book(&consultant, &past).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("開始日時が過去になっています"), "{body}");
        assert!(body.contains("value=\"会議室\""), "what was typed is kept");
        // Overlapping the demo's next interview.
        let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
        let local = domain::japan_time::to_japan(d.starts_at);
        let (date, time) = (
            local.format("%Y-%m-%d").to_string(),
            (local + chrono::Duration::minutes(30))
                .format("%H:%M")
                .to_string(),
        );
        let overlap = [
            ("kind", "career_interview"),
            ("subject", subject.as_str()),
            ("date", date.as_str()),
            ("time", time.as_str()),
            ("duration", "60"),
            ("repeat", "none"),
        ];
        let (s, body) = book(&consultant, &overlap).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("別の面談"), "{body}");
        let after = app
            .store
            .dialogues_about(t.id, domain::PersonId(app.report_of_manager().await))
            .await
            .expect("q")
            .len();
        assert_eq!(before, after, "nothing was booked");
        // Confirmed, it is booked.
        let mut confirmed = past.to_vec();
        confirmed.push(("confirm", "1"));
        let (s, location) = book(&consultant, &confirmed).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        assert!(location.starts_with("/dialogues/"));
        // Bad input is refused with the field's message and changes nothing.
        let (s, body) = book(
            &consultant,
            &[
                ("kind", "career_interview"),
                ("subject", subject.as_str()),
                ("date", "2026-02-30"),
                ("time", "25:00"),
                ("duration", "5"),
                ("place", &"あ".repeat(201)),
                ("repeat", "weekly"),
                ("count", "99"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        for msg in [
            "日付を",
            "開始時刻を",
            "所要時間は15〜240分",
            "200文字以内",
            "2〜52回",
        ] {
            assert!(body.contains(msg), "{msg}: {body}");
        }
    }
);

app_test!(booking_follows_who_may_facilitate_what, |app| async move {
    let outsider = app.outsider().await.to_string();
    let report = app.report_of_manager().await.to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let fields = |kind: &'static str, subject: &str| {
        vec![
            ("kind", kind),
            ("subject", subject.to_string().leak() as &str),
            ("date", tomorrow.clone().leak() as &str),
            ("time", "09:00"),
            ("duration", "30"),
            ("repeat", "none"),
        ]
    };
    // A consultant only with the people assigned to them.
    let consultant = app.signed_in("consultant@demo.example.jp").await;
    let (s, body) = book(&consultant, &fields("career_interview", &outsider)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        body.contains("担当しているキャリアコンサルタントだけ"),
        "{body}"
    );
    // A manager holds 1on1s with their own line only.
    let manager = app.signed_in("manager@demo.example.jp").await;
    let (s, _) = book(&manager, &fields("one_on_one", &outsider)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = book(&manager, &fields("career_interview", &report)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a manager is no consultant");
    let mut weekly = fields("one_on_one", &report);
    weekly.push(("repeat", "weekly"));
    weekly.retain(|(k, v)| *k != "repeat" || *v == "weekly");
    weekly.push(("count", "4"));
    let (s, location) = book(&manager, &weekly).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    let id: i64 = location
        .trim_start_matches("/dialogues/")
        .parse()
        .expect("id");
    let t = app.demo_tenant().await;
    let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
    let series = app
        .store
        .dialogues_facilitated_by(t.id, d.facilitator)
        .await
        .expect("q")
        .into_iter()
        .filter(|o| o.series_id.is_some() && o.series_id == d.series_id)
        .count();
    assert_eq!(series, 4);
});

app_test!(
    notes_keep_their_history_refuse_stale_edits_and_become_append_only,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let path = format!("/dialogues/{next}");
        let csrf = consultant.csrf(&path).await;
        let (s, _) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", &csrf),
                    ("body", "<script>alert(1)</script>資格の勉強を始めた"),
                    ("visibility", "shared"),
                    ("carry_over", "none"),
                    ("category", "change"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let t = app.demo_tenant().await;
        let note = app
            .store
            .notes_of(t.id, next)
            .await
            .expect("q")
            .pop()
            .expect("note");
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("alert(1)") && body.contains("資格の勉強を始めた"));
        assert!(!body.contains("<script>alert(1)"), "HTML is inert");
        let edit = format!("{path}/notes/{}", note.id);
        let form = |rev: &'static str, text: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("revision", rev),
                ("body", text),
                ("visibility", "private"),
                ("carry_over", "next_time"),
                ("category", ""),
            ]
        };
        let (s, _) = consultant.post(&edit, &form("1", "一つ目のタブ")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = consultant.post(&edit, &form("1", "二つ目のタブ")).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("別の画面で更新されています") && body.contains("二つ目のタブ"));
        let now = app.store.note(t.id, note.id).await.expect("q").expect("n");
        assert_eq!(now.body, "一つ目のタブ");
        assert_eq!(now.visibility, domain::dialogue::Visibility::Private);
        // The visibility change was audited.
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::VisibilityChanged),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        // A dialogue that has not started cannot be confirmed as held or missed.
        let t = app.demo_tenant().await;
        let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
        assert!(
            d.starts_at > app.state.clock.now(),
            "the next interview is ahead"
        );
        let (_, page) = consultant.get(&path).await;
        assert!(page.contains("close-not-started") && !page.contains("data-testid=\"close-held\""));
        for to in ["held", "no_show"] {
            let (s, _) = consultant
                .post(&format!("{path}/close"), &[("_csrf", &csrf), ("state", to)])
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            let (_, page) = consultant.get(&path).await;
            assert!(page.contains("まだ始まっていません"), "{to}");
            let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
            assert_eq!(d.state, domain::dialogue::DialogueState::Scheduled, "{to}");
        }
        // Once it has begun, closing makes the items append-only.
        app.state
            .clock
            .set(d.starts_at + chrono::Duration::minutes(50));
        let (_, page) = consultant.get(&path).await;
        assert!(page.contains("data-testid=\"close-held\""));
        let (s, _) = consultant
            .post(
                &format!("{path}/close"),
                &[("_csrf", &csrf), ("state", "held")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
        assert_eq!(d.state, domain::dialogue::DialogueState::Held);
        let (s, body) = consultant.post(&edit, &form("2", "確定後の修正")).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("記録が確定しているため") && body.contains("確定後の修正"));
        let (s, _) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", &csrf),
                    ("body", "確定後の追記"),
                    ("visibility", "shared"),
                    ("carry_over", "none"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("確定後の追記") && body.contains("修正履歴（1件）"));
        // An empty or overlong note is refused and what was typed is kept.
        let (s, body) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", &csrf),
                    ("body", &"長".repeat(4001)),
                    ("visibility", "shared"),
                    ("carry_over", "none"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("4000文字以内"));
    }
);

app_test!(
    consent_is_recorded_withdrawn_by_the_employee_and_audited,
    |app| async move {
        let (held, next, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let path = format!("/dialogues/{next}");
        let csrf = consultant.csrf(&path).await;
        let (s, body) = consultant
            .post(&format!("{path}/consent"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("本人が同意したかどうかを選んでください"));
        let (s, _) = consultant
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", &csrf),
                    ("agreed", "yes"),
                    ("withheld", "副業のこと"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Consent is the employee's: they record it themselves too; their manager cannot.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", &ecsrf),
                    ("agreed", "yes"),
                    ("withheld", "副業のこと"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/my").await;
        let (s, _) = manager
            .post(
                &format!("{path}/consent"),
                &[("_csrf", &mcsrf), ("agreed", "yes")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = employee
            .post(
                &format!("/dialogues/{held}/consent/withdraw"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let t = app.demo_tenant().await;
        let c = store::dialogues::consent_in_force(
            &app.store.consent_events(t.id, held).await.expect("q"),
        )
        .expect("consent");
        assert!(c.withdrawn && !c.permits_feedback());
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
        // The consultant's record, the employee's own, the employee's withdrawal.
        assert_eq!(entries.len(), 3);
        assert!(
            entries
                .iter()
                .any(|e| e.detail.as_deref() == Some("given by the employee"))
        );
        assert!(
            entries
                .iter()
                .any(|e| e.detail.as_deref() == Some("withdrawn by the employee"))
        );
    }
);

app_test!(calendar_files_are_valid_rfc_5545, |app| async move {
    let (_, next, _, one) = demo_dialogues(&app).await;
    let employee = app.signed_in("employee@demo.example.jp").await;
    let (s, ics) = employee
        .get(&format!("/dialogues/{next}/calendar.ics"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, series) = employee.get(&format!("/dialogues/{one}/series.ics")).await;
    assert_eq!(s, StatusCode::OK);
    // Checked by an independent parser: PyPI's icalendar.
    for (text, events) in [(ics, 1), (series, 6)] {
        let out = std::process::Command::new("python3")
                .args([
                    "-c",
                    "import sys, icalendar\n\
                     cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\n\
                     evs = [c for c in cal.walk('VEVENT')]\n\
                     assert cal.get('VERSION') == '2.0' and cal.get('PRODID'), 'header'\n\
                     for e in evs:\n\
                     \x20   assert e.get('UID') and e.get('DTSTAMP') and e.decoded('DTSTART') < e.decoded('DTEND')\n\
                     print(len(evs))",
                ])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    c.stdin.take().expect("stdin").write_all(text.as_bytes())?;
                    c.wait_with_output()
                })
                .expect("python3 with the icalendar package (scripts/test installs it)");
        assert!(
            out.status.success(),
            "not valid iCalendar: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            events.to_string()
        );
    }
    // The manager sees that a consultant dialogue exists but gets no calendar of it.
    let manager = app.signed_in("manager@demo.example.jp").await;
    let (s, _) = manager
        .get(&format!("/dialogues/{next}/calendar.ics"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

app_test!(
    hr_assigns_consultants_but_never_within_their_reporting_line,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/assignments").await;
        // The consultant's own manager is in their reporting line.
        let consultant = app
            .store
            .user_by_email(
                t.id,
                &EmailAddress::parse("consultant@demo.example.jp").expect("e"),
            )
            .await
            .expect("q")
            .expect("u");
        let chain = app
            .store
            .manager_chain(t.id, consultant.person_id.expect("person"))
            .await
            .expect("chain");
        let boss = &chain[0].employee_number;
        let (s, body) = hr
            .post(
                "/assignments",
                &[
                    ("_csrf", &csrf),
                    ("consultant", "consultant@demo.example.jp"),
                    ("number", boss),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("自分の報告ライン"), "{body}");
        assert!(
            body.contains(&format!("value=\"{boss}\"")),
            "typed number kept"
        );
        // Someone outside the line can be assigned, once.
        let outsider = app
            .store
            .person(
                t.id,
                domain::PersonId(app.person_of("manager@demo.example.jp").await),
            )
            .await
            .expect("q")
            .expect("p");
        let assign = [
            ("_csrf", csrf.as_str()),
            ("consultant", "consultant@demo.example.jp"),
            ("number", outsider.employee_number.as_str()),
        ];
        let (s, _) = hr.post("/assignments", &assign).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = hr.post("/assignments", &assign).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに割り当てられています"));
        let c = app.signed_in("consultant@demo.example.jp").await;
        let (_, body) = c.get("/clients").await;
        assert!(body.contains(&outsider.name));
        // Only HR assigns.
        let (s, _) = c
            .post(
                "/assignments",
                &[
                    ("_csrf", &c.csrf("/clients").await),
                    ("consultant", "consultant@demo.example.jp"),
                    ("number", boss),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_api_answers_dialogues_under_the_same_policy,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/api/v1/dialogues/{held}");
        let texts = |v: &serde_json::Value| -> String {
            v["notes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|n| n["body"].as_str().unwrap_or("").to_string())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .unwrap_or_default()
        };
        let consultant = app.token("consultant@demo.example.jp").await;
        let (s, v) = app.api(Some(&consultant), &path).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["role"], "facilitator");
        assert!(texts(&v).contains(PRIVATE_NOTE));
        assert_eq!(v["consent"]["withheld"], WITHHELD);
        let employee = app.token("employee@demo.example.jp").await;
        let (_, v) = app.api(Some(&employee), &path).await;
        assert!(texts(&v).contains(SHARED_NOTE) && !texts(&v).contains(PRIVATE_NOTE));
        let manager = app.token("manager@demo.example.jp").await;
        let (s, v) = app.api(Some(&manager), &path).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["notes"].as_array().map(Vec::len), Some(0));
        assert!(v["consent"].is_null() && v["dialogue"]["place"].is_null());
        let (_, v) = app
            .api(Some(&employee), "/api/v1/me/records?limit=500")
            .await;
        let all = v.to_string();
        assert!(all.contains(SHARED_NOTE) && !all.contains(PRIVATE_NOTE));

        let note = serde_json::json!({"body": "APIからの記録", "visibility": "shared"});
        let (s, _) = app
            .api_post(&employee, &format!("{path}/notes"), note.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = app
            .api_post(&consultant, &format!("{path}/notes"), note)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, v) = app
            .api_post(
                &consultant,
                &format!("{path}/notes"),
                serde_json::json!({"body": "x", "visibility": "public"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("visibility")
        );
        // Booking: a past time needs confirmation; the policy's refusal says why.
        let subject = app.report_of_manager().await;
        let booking = serde_json::json!({
            "kind": "career_interview", "subject_id": subject,
            "starts_at": "2021-04-01T10:00", "duration_minutes": 60, "place": "会議室"
        });
        let (s, v) = app
            .api_post(&consultant, "/api/v1/dialogues", booking.clone())
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(v["error"]["code"], "needs_confirmation");
        let mut confirmed = booking.clone();
        confirmed["confirm"] = true.into();
        let (s, v) = app
            .api_post(&consultant, "/api/v1/dialogues", confirmed.clone())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["ids"].as_array().map(Vec::len), Some(1));
        let (s, v) = app.api_post(&manager, "/api/v1/dialogues", confirmed).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("consultant")
        );
        let (s, _) = app.api_post(&consultant, "/api/v1/dialogues",
            serde_json::json!({"kind": "tea", "subject_id": subject, "starts_at": "x", "duration_minutes": 60}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
);

app_test!(
    both_people_are_reminded_of_a_dialogue_the_day_before_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let smtp = SmtpSink::start().await;
        let worker = app.worker(Some(smtp.port));
        let id = next_milestone(&app).await;
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        // Two days before: not yet. Twenty hours before: both are told, once.
        app.state
            .clock
            .set(d.starts_at - chrono::Duration::hours(48));
        worker.tick().await.expect("tick");
        let reminder = |m: &serde_json::Value| {
            m["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("節目面談のご案内"))
                && m["body"].as_str().is_some_and(|b| {
                    // This dialogue's link exactly (not /dialogues/{id}7).
                    b.split_whitespace()
                        .any(|w| w.ends_with(&format!("/dialogues/{id}")))
                })
        };
        assert!(!smtp.messages().iter().any(reminder));
        app.state
            .clock
            .set(d.starts_at - chrono::Duration::hours(20));
        worker.tick().await.expect("tick");
        worker.tick().await.expect("tick");
        for who in ["employee@demo.example.jp", "consultant@demo.example.jp"] {
            assert_eq!(
                smtp.to(who).iter().filter(|m| reminder(m)).count(),
                1,
                "{who}"
            );
        }
    }
);

app_test!(
    a_section_post_from_the_page_keeps_what_was_typed_in_the_others,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let t = app.demo_tenant().await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let half = "書きかけ：異動の希望は来年度に改めて話す";
        let withheld = "書きかけ：健康のこと";
        let consents = app.store.consent_events(t.id, next).await.expect("q").len();
        let notes = app.store.notes_of(t.id, next).await.expect("q").len();
        // Consent is recorded while a note is half-written: the page comes back at once
        // (no redirect) with the note as typed.
        let (s, body) = consultant
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", &csrf),
                    ("consent.agreed", "yes"),
                    ("consent.withheld", ""),
                    ("note.body", half),
                    ("note.visibility", "private"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(
            body.contains(&format!(">{half}</textarea>")),
            "the note is kept"
        );
        let events = app.store.consent_events(t.id, next).await.expect("q");
        assert_eq!(events.len(), consents + 1, "the consent was recorded");
        // A refused note keeps the withheld topic being typed for consent.
        let (s, body) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", &csrf),
                    ("note.body", ""),
                    ("note.visibility", "private"),
                    ("consent.withheld", withheld),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("data-testid=\"note-error\""));
        assert!(body.contains(&format!(">{withheld}</textarea>")));
        assert_eq!(
            app.store.notes_of(t.id, next).await.expect("q").len(),
            notes
        );
        // With nothing else typed, a save goes back to the page as before.
        let (s, location) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", &csrf),
                    ("note.body", "保存する記録"),
                    ("note.visibility", "shared"),
                    ("consent.withheld", ""),
                ],
            )
            .await;
        assert_eq!(
            (s, location.as_str()),
            (StatusCode::SEE_OTHER, path.as_str())
        );
        // Enter in a one-line field saves nothing and keeps everything.
        let (s, body) = consultant
            .post(
                &format!("{path}/keep"),
                &[
                    ("_csrf", &csrf),
                    ("note.body", half),
                    ("worksheet.text", "通勤"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(&format!(">{half}</textarea>")) && body.contains("value=\"通勤\""));
        assert_eq!(
            app.store.notes_of(t.id, next).await.expect("q").len(),
            notes + 1
        );
        // Someone outside the dialogue cannot use the page's form to read it back.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let csrf = manager.csrf("/my").await;
        let (s, body) = manager
            .post(
                &format!("{path}/keep"),
                &[("_csrf", &csrf), ("note.body", "x")],
            )
            .await;
        assert!(!body.contains(PRIVATE_NOTE) && !body.contains(half));
        assert_eq!(
            s,
            StatusCode::OK,
            "the manager sees the logistics page only"
        );
        // HR, admin and an instructor may not even know of it.
        for who in ["hr", "admin", "instructor"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let csrf = b.csrf("/login").await;
            let (s, body) = b
                .post(
                    &format!("{path}/keep"),
                    &[("_csrf", &csrf), ("note.body", "x")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            assert!(!body.contains(PRIVATE_NOTE));
        }
    }
);
