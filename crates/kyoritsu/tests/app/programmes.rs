//! Cohort programmes (節目プログラム): launch, placement, interviews, reminders, exports, pre-learning.

use super::*;

app_test!(
    hr_launches_a_programme_places_everyone_and_participants_follow_their_path,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/programmes/new").await;
        let fy = app.this_fy().await;
        let before = app.store.programmes(t.id).await.expect("q").len();
        let launch = |template: &'static str, extra: Vec<(&'static str, &'static str)>| {
            let mut f: Vec<(&str, String)> = vec![
                ("_csrf", csrf.clone()),
                ("name", "全社キャリア面談テスト".into()),
                ("fiscal_year", fy.clone()),
                ("template", template.into()),
                ("group_min", "4".into()),
                ("group_max", "6".into()),
                ("pre_learning", "目的を読んでください。".into()),
                ("confirm", "1".into()),
            ];
            f.extend(extra.into_iter().map(|(k, v)| (k, v.to_string())));
            f
        };
        let post = |f: Vec<(&'static str, String)>| {
            let hr = &hr;
            async move {
                let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                hr.post("/programmes/new", &fields).await
            }
        };
        // Bad input: refused with the reason, the form as typed, nothing created.
        let (s, body) = post(launch("milestone_age", vec![("ages", "")])).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("年齢を1つ以上") && body.contains("全社キャリア面談テスト"));
        let (s, body) = post(launch("custom", vec![("grades", "存在しない等級")])).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("当てはまる在籍者はいません"), "{body}");
        let (s, body) = post(launch("periodic", vec![("department", "NOPE")])).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("部署コード「NOPE」は見つかりません"));
        assert_eq!(app.store.programmes(t.id).await.expect("q").len(), before);
        // Periodic interviews for everyone: the whole company, frozen.
        let (s, location) = post(launch("periodic", vec![])).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let id: i64 = location
            .trim_start_matches("/programmes/")
            .parse()
            .expect("programme id");
        let participants = app.store.participants(t.id, id).await.expect("q");
        assert_eq!(
            participants.len() as i64,
            app.store.count_people(t.id).await.expect("q")
        );
        let (s, page) = hr.get(&location).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("プログラムを始めました"));
        // Sessions: one for the demo instructor; the instructor cannot be in two places.
        let instructor = app
            .user("instructor@demo.example.jp")
            .await
            .id
            .0
            .to_string();
        let session =
            |date: &'static str, start: &'static str, end: &'static str, place: &'static str| {
                vec![
                    ("_csrf", csrf.clone()),
                    ("date", date.to_string()),
                    ("start", start.to_string()),
                    ("end", end.to_string()),
                    ("place", place.to_string()),
                    ("capacity", "10".to_string()),
                    ("instructor", instructor.clone()),
                    ("style", "calm".to_string()),
                ]
            };
        let path = format!("/programmes/{id}/sessions");
        let send = |f: Vec<(&'static str, String)>| {
            let (hr, path) = (&hr, path.clone());
            async move {
                let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                hr.post(&path, &fields).await
            }
        };
        let (s, _) = send(session("2030-12-10", "10:00", "17:00", "本社 研修室A")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = send(session("2030-12-10", "13:00", "15:00", "第二会場")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("別の研修を担当しています") && body.contains("第二会場"));
        let (s, body) = send(session("2030-12-11", "15:00", "13:00", "第二会場")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("終了の時刻は開始より後"));
        let sessions = app.store.training_sessions(t.id, id).await.expect("q");
        assert_eq!(sessions.len(), 1);
        let sid = sessions[0].id;
        // The button: ten seats for the whole company, the rest told as unplaced.
        let (s, _) = hr
            .post(&format!("/programmes/{id}/place"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        let unplaced = participants.len() - 10;
        assert!(
            page.contains(&format!("定員が足りず、{unplaced}名を配置できませんでした")),
            "{page}"
        );
        let placed = |ps: &[store::programmes::Participant]| {
            ps.iter().filter(|p| p.session == Some(sid)).count()
        };
        let ps = app.store.participants(t.id, id).await.expect("q");
        assert_eq!(placed(&ps), 10);
        // Overrides: a full session refuses; after releasing someone, the pin is kept by
        // the next run of the button.
        let outside = ps
            .iter()
            .find(|p| p.session.is_none())
            .expect("unplaced")
            .person
            .0;
        let inside = ps
            .iter()
            .find(|p| p.session.is_some())
            .expect("placed")
            .person
            .0;
        let pin = |person: i64, session: String| {
            let (hr, csrf) = (&hr, csrf.clone());
            async move {
                hr.post(
                    &format!("/programmes/{id}/pin"),
                    &[
                        ("_csrf", &csrf),
                        ("person", &person.to_string()),
                        ("session", &session),
                    ],
                )
                .await
            }
        };
        pin(outside, sid.to_string()).await;
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains("定員に達しています"));
        pin(inside, String::new()).await;
        pin(outside, sid.to_string()).await;
        hr.post(&format!("/programmes/{id}/place"), &[("_csrf", &csrf)])
            .await;
        let ps = app.store.participants(t.id, id).await.expect("q");
        let pinned = ps.iter().find(|p| p.person.0 == outside).expect("p");
        assert_eq!((pinned.session, pinned.pinned), (Some(sid), true));
        assert_eq!(placed(&ps), 10);
        // Late joiners: someone already in, and an unknown number.
        let number = ps[0].employee_number.clone();
        hr.post(
            &format!("/programmes/{id}/participants"),
            &[("_csrf", &csrf), ("employee_number", &number)],
        )
        .await;
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains("すでに参加者です"));
        hr.post(
            &format!("/programmes/{id}/participants"),
            &[("_csrf", &csrf), ("employee_number", "X999")],
        )
        .await;
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains("社員番号「X999」の人は見つかりません"));
        // Rosters: HR and the session's instructor; not another instructor's session.
        let (s, roster) = hr.get(&format!("/programmes/{id}/sessions/{sid}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(roster.contains(&pinned.name));
        let teacher = app.signed_in("instructor@demo.example.jp").await;
        let (s, teacher_roster) = teacher
            .get(&format!("/programmes/{id}/sessions/{sid}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        // The inventory promises that only the person sees their result: the roster shows
        // each group's shared anchor, and beside a name no anchor at all.
        let anchors = [
            "専門・職能別コンピタンス",
            "全般管理コンピタンス",
            "自律・独立",
            "保障・安定",
            "起業家的創造性",
            "奉仕・社会貢献",
            "純粋な挑戦",
            "生活様式",
        ];
        for page in [&roster, &teacher_roster] {
            assert!(
                page.contains("共通するアンカー："),
                "groups show their anchor"
            );
            for member in page.split("data-testid=\"group-member\"").skip(1) {
                let item = member.split("</li>").next().unwrap_or_default();
                for a in anchors {
                    assert!(
                        !item.contains(a),
                        "an individual anchor beside a name: {item}"
                    );
                }
            }
        }
        let (_, training) = teacher.get("/training").await;
        assert!(training.contains(&format!("/programmes/{id}/sessions/{sid}")));
        let other = app
            .store
            .programmes(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|p| p.id != id)
            .expect("a demo programme");
        for s in app
            .store
            .training_sessions(t.id, other.id)
            .await
            .expect("q")
        {
            let (got, _) = teacher
                .get(&format!("/programmes/{}/sessions/{}", other.id, s.id))
                .await;
            let runs_it = s.instructor_name == "森田 香織";
            assert_eq!(got == StatusCode::OK, runs_it, "session {}", s.id);
        }
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, _) = employee
            .get(&format!("/programmes/{id}/sessions/{sid}"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = employee.get(&format!("/programmes/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The participant's path: pre-learning marked done moves the funnel.
        let (_, my) = employee.get("/my").await;
        assert!(my.contains(&format!("/my/programmes/{id}")));
        let (s, path) = employee.get(&format!("/my/programmes/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(path.contains("目的を読んでください。"));
        let programme = app.store.programme(t.id, id).await.expect("q").expect("p");
        let pre = |r: &app::programmes::Report| r.funnel[1].count;
        let r0 = app::programmes::report(&app.store, t.id, &programme, chrono::Utc::now())
            .await
            .expect("report");
        let ecsrf = employee.csrf(&format!("/my/programmes/{id}")).await;
        let (s, _) = employee
            .post(
                &format!("/my/programmes/{id}/pre-learning"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r1 = app::programmes::report(&app.store, t.id, &programme, chrono::Utc::now())
            .await
            .expect("report");
        assert_eq!(pre(&r1), pre(&r0) + 1);
        let (_, path) = employee.get(&format!("/my/programmes/{id}")).await;
        assert!(path.contains("data-testid=\"pre-learning-done\""));
        // The external instructor is no participant.
        let (s, _) = teacher.get(&format!("/my/programmes/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // A leaver mid-programme stays in the history, out of the funnel.
        raw_sql(
            &app._db.url,
            &format!("UPDATE people SET status = 'left' WHERE id = {outside}"),
        )
        .await;
        let r2 = app::programmes::report(&app.store, t.id, &programme, chrono::Utc::now())
            .await
            .expect("report");
        assert_eq!(r2.left, 1);
        assert_eq!(r2.funnel[0].count, r1.funnel[0].count - 1);
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains("途中で退職した1名"));
    }
);

app_test!(
    interviews_are_suggested_a_month_after_training_with_each_persons_consultant_and_booked,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (id, sid) = programme_with_session(&app, &hr, -10, "3").await;
        let placed: Vec<_> = app
            .store
            .participants(t.id, id)
            .await
            .expect("q")
            .into_iter()
            .filter(|p| p.session == Some(sid))
            .collect();
        assert_eq!(placed.len(), 3);
        let consultant = app.user("consultant@demo.example.jp").await;
        let hr_user = app.user("hr@demo.example.jp").await;
        // Two of the three have a consultant (the demo's own assignments aside).
        let mut with_consultant = Vec::new();
        for p in &placed {
            if app
                .store
                .is_assigned(t.id, consultant.id, p.person)
                .await
                .expect("q")
                || with_consultant.len() < 2
            {
                app.store
                    .assign_consultant(t.id, consultant.id, p.person, hr_user.id)
                    .await
                    .expect("assign");
                with_consultant.push(p.person);
            }
        }
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        let suggested = page.matches("data-state=\"suggested\"").count();
        assert_eq!(suggested, with_consultant.len(), "{page}");
        if with_consultant.len() < placed.len() {
            assert!(page.contains("data-state=\"no_consultant\""));
        }
        let csrf = hr.csrf(&format!("/programmes/{id}")).await;
        let (s, _) = hr
            .post(&format!("/programmes/{id}/interviews"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains(&format!(
            "{}件の節目面談を登録しました",
            with_consultant.len()
        )));
        let programme = app.store.programme(t.id, id).await.expect("q").expect("p");
        let booked = app
            .store
            .scheduled_interviews(t.id, &programme, &t.settings.calendar)
            .await
            .expect("q");
        let session = app
            .store
            .training_session(t.id, sid)
            .await
            .expect("q")
            .expect("s");
        let mut times = Vec::new();
        for p in &with_consultant {
            let (at, by) = booked.get(&p.0).expect("booked");
            assert_eq!(*by, consultant.id);
            assert!(
                *at >= session.ends_at + chrono::Duration::days(29),
                "about a month later"
            );
            let local = domain::japan_time::to_japan(*at);
            use chrono::Datelike;
            assert!(local.weekday().num_days_from_monday() < 5, "a weekday");
            times.push(*at);
        }
        times.sort();
        times.dedup();
        assert_eq!(times.len(), with_consultant.len(), "never two at once");
        // Booked ones are shown as booked and not suggested again.
        assert_eq!(
            page.matches("data-state=\"booked\"").count(),
            with_consultant.len()
        );
        assert!(!page.contains("data-testid=\"book-interviews\""));
        // The workload view counts them for the consultant.
        assert!(page.contains("data-testid=\"workload\""));
    }
);

app_test!(
    participants_are_reminded_of_open_pre_work_a_week_before_training_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (id, sid) = programme_with_session(&app, &hr, 5, "500").await;
        let employee = app.report_of_manager().await;
        let ps = app.store.participants(t.id, id).await.expect("q");
        assert!(
            ps.iter()
                .any(|p| p.person.0 == employee && p.session == Some(sid))
        );
        let worker = app.worker(None);
        let first = worker.tick().await.expect("tick");
        assert!(first.step_reminders >= 1);
        let account = app.user("employee@demo.example.jp").await;
        let key = format!(
            "email:programme_step:{id}:{employee}:pre_learning:{}",
            account.id.0
        );
        assert!(app.store.job_status(t.id, &key).await.expect("q").is_some());
        let again = worker.tick().await.expect("tick");
        assert_eq!(again.step_reminders, 0, "once per step");
        // Done pre-learning: no reminder for it in a new programme either.
        let b = app.signed_in("employee@demo.example.jp").await;
        let csrf = b.csrf(&format!("/my/programmes/{id}")).await;
        b.post(
            &format!("/my/programmes/{id}/pre-learning"),
            &[("_csrf", &csrf)],
        )
        .await;
        let programme = app.store.programme(t.id, id).await.expect("q").expect("p");
        let progress = app
            .store
            .programme_progress(
                t.id,
                &programme,
                &t.settings.calendar,
                app.state.clock.now(),
            )
            .await
            .expect("q");
        let mine = progress
            .iter()
            .find(|(p, _)| p.person.0 == employee)
            .expect("me")
            .1;
        assert!(
            !mine
                .overdue(Some(5))
                .contains(&domain::programme::Step::PreLearning)
        );
    }
);

app_test!(
    programme_figures_and_rosters_export_to_excel_and_pdf_for_those_allowed_and_are_audited,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (id, sid) = programme_with_session(&app, &hr, -3, "20").await;
        let teacher = app.signed_in("instructor@demo.example.jp").await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let get = |b: &Browser, path: String| {
            let http = b.http.clone();
            let url = format!("{}{path}", b.base);
            async move {
                let r = http.get(url).send().await.expect("request");
                let status = r.status();
                let kind = r
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                (status, kind, r.bytes().await.unwrap_or_default())
            }
        };
        let (s, kind, bytes) = get(&hr, format!("/programmes/{id}/export.xlsx")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(kind.contains("spreadsheetml"));
        let table = domain::import::table::read_table(
            &bytes,
            &domain::import::table::ReadOptions {
                sheet: Some("参加者".into()),
                ..Default::default()
            },
        )
        .expect("the participants sheet");
        assert_eq!(
            table.rows.len(),
            app.store.participants(t.id, id).await.expect("q").len()
        );
        for b in [&hr, &teacher] {
            let (s, kind, bytes) =
                get(b, format!("/programmes/{id}/sessions/{sid}/roster.pdf")).await;
            assert_eq!((s, kind.as_str()), (StatusCode::OK, "application/pdf"));
            assert!(bytes.starts_with(b"%PDF"));
            let (s, _, _) = get(b, format!("/programmes/{id}/sessions/{sid}/roster.xlsx")).await;
            assert_eq!(s, StatusCode::OK);
        }
        for path in [
            format!("/programmes/{id}/export.xlsx"),
            format!("/programmes/{id}/sessions/{sid}/roster.pdf"),
            format!("/programmes/{id}/sessions/{sid}/roster.xlsx"),
        ] {
            let (s, _, _) = get(&employee, path.clone()).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
        }
        let (s, _, _) = get(&teacher, format!("/programmes/{id}/export.xlsx")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (exports, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                20,
                0,
            )
            .await
            .expect("q");
        let details: Vec<String> = exports.iter().filter_map(|e| e.detail.clone()).collect();
        assert!(
            details.contains(&format!("programme {id} (xlsx)")),
            "{details:?}"
        );
        assert_eq!(
            details
                .iter()
                .filter(|d| d.starts_with(&format!("training roster {sid}")))
                .count(),
            4
        );
    }
);

app_test!(
    hr_uploads_a_pre_learning_video_participants_watch_it_and_a_wrong_file_changes_nothing,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (id, _) = programme_with_session(&app, &hr, 20, "500").await;
        let csrf = hr.csrf(&format!("/programmes/{id}")).await;
        let upload = |text: &str, name: &str, bytes: &[u8]| {
            let (kind, body) = multipart(text, name, bytes);
            let http = hr.http.clone();
            let url = format!("{}/programmes/{id}/pre-learning?_csrf={csrf}", hr.base);
            async move {
                let r = http
                    .post(url)
                    .header("content-type", kind)
                    .body(body)
                    .send()
                    .await
                    .expect("upload");
                (r.status(), r.text().await.unwrap_or_default())
            }
        };
        let video = [&[0, 0, 0, 24][..], b"ftypisom", &[7; 64]].concat();
        let (s, _) = upload(
            "動画を見てから研修に来てください。",
            "研修の目的.mp4",
            &video,
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let info = app
            .store
            .pre_learning_file_info(t.id, id)
            .await
            .expect("q")
            .expect("kept");
        assert_eq!(
            (info.content_type.as_str(), info.size),
            ("video/mp4", video.len() as i64)
        );
        // A renamed program: refused, the form as typed, nothing changed.
        let (s, page) = upload("書き換えた文章", "資料.pdf", b"MZ\x90\x00 not a pdf").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("使えない形式") && page.contains("書き換えた文章"));
        let programme = app.store.programme(t.id, id).await.expect("q").expect("p");
        assert_eq!(programme.pre_learning, "動画を見てから研修に来てください。");
        assert_eq!(
            app.store
                .pre_learning_file_info(t.id, id)
                .await
                .expect("q")
                .expect("kept")
                .file_name,
            "研修の目的.mp4"
        );
        // The participant watches it; someone outside the programme cannot fetch it.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, path) = employee.get(&format!("/my/programmes/{id}")).await;
        assert!(path.contains("data-testid=\"pre-learning-video\""));
        let r = employee
            .http
            .get(format!(
                "{}/programmes/{id}/pre-learning/file",
                employee.base
            ))
            .send()
            .await
            .expect("file");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("video/mp4")
        );
        assert_eq!(r.bytes().await.expect("bytes").to_vec(), video);
        let teacher = app.signed_in("instructor@demo.example.jp").await;
        let (s, _) = teacher
            .get(&format!("/programmes/{id}/pre-learning/file"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Removed: gone for everyone.
        hr.post(
            &format!("/programmes/{id}/pre-learning/remove"),
            &[("_csrf", &csrf)],
        )
        .await;
        let (s, _) = employee
            .get(&format!("/programmes/{id}/pre-learning/file"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

app_test!(
    a_monthly_one_on_one_programme_targets_managers_and_shows_each_ones_cadence,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let id = launch_programme(&app, &hr, "one_on_one_cadence", "毎月の1on1（全社）").await;
        let location = format!("/programmes/{id}");
        let managers = app.store.direct_report_counts(t.id).await.expect("q");
        let mut in_programme: Vec<i64> = app
            .store
            .participants(t.id, id)
            .await
            .expect("q")
            .iter()
            .map(|p| p.person.0)
            .collect();
        in_programme.sort_unstable();
        let mut expected: Vec<i64> = managers.keys().copied().collect();
        expected.sort_unstable();
        assert_eq!(in_programme, expected, "exactly the people with reports");
        let (_, page) = hr.get(&location).await;
        assert!(page.contains("data-testid=\"cadence\""));
        assert_eq!(
            page.matches("data-testid=\"cadence-row\"").count(),
            expected.len()
        );
        assert!(
            !page.contains("data-testid=\"place-all\""),
            "no training here"
        );
        // A 1on1 held by the demo manager this month counts for them.
        let manager = app.person_of("manager@demo.example.jp").await;
        let programme = app.store.programme(t.id, id).await.expect("q").expect("p");
        let before = app::programmes::report(&app.store, t.id, &programme, app.state.clock.now())
            .await
            .expect("report");
        let mine = |r: &app::programmes::Report| {
            r.cadence
                .iter()
                .find(|c| c.person.0 == manager)
                .map(|c| c.cadence.met.last().copied().unwrap_or(0))
                .expect("the manager")
        };
        let account = app.user("manager@demo.example.jp").await;
        let report = app.report_of_manager().await;
        let d = app
            .store
            .create_dialogues(
                t.id,
                &store::dialogues::NewDialogue {
                    kind: domain::dialogue::DialogueKind::OneOnOne,
                    subject: domain::PersonId(report),
                    facilitator: account.id,
                    duration_minutes: 30,
                    place: "会議室".into(),
                    created_by: account.id,
                    starts: vec![app.state.clock.now() - chrono::Duration::minutes(40)],
                    cadence: None,
                },
            )
            .await
            .expect("book")[0];
        app.store
            .close_dialogue(t.id, d, domain::dialogue::DialogueState::Held)
            .await
            .expect("held");
        let after = app::programmes::report(&app.store, t.id, &programme, app.state.clock.now())
            .await
            .expect("report");
        assert!(mine(&after) >= 1);
        assert!(mine(&after) >= mine(&before));
        // The manager sees their own months on their path.
        let b = app.signed_in("manager@demo.example.jp").await;
        let (s, path) = b.get(&format!("/my/programmes/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(path.contains("data-testid=\"my-cadence\""));
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, _) = employee.get(&format!("/my/programmes/{id}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "not a manager, not in it");
    }
);

app_test!(
    a_session_entered_by_mistake_is_removed_and_its_people_are_unplaced,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (id, sid) = programme_with_session(&app, &hr, 30, "5").await;
        let placed = |ps: &[store::programmes::Participant]| {
            ps.iter().filter(|p| p.session.is_some()).count()
        };
        assert_eq!(
            placed(&app.store.participants(t.id, id).await.expect("q")),
            5
        );
        let csrf = hr.csrf(&format!("/programmes/{id}")).await;
        let (s, _) = hr
            .post(
                &format!("/programmes/{id}/sessions/{sid}/delete"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = hr.get(&format!("/programmes/{id}")).await;
        assert!(page.contains("配置されていた5名は未配置に戻りました"));
        assert_eq!(
            placed(&app.store.participants(t.id, id).await.expect("q")),
            0
        );
        assert!(
            app.store
                .training_sessions(t.id, id)
                .await
                .expect("q")
                .is_empty()
        );
        let (s, _) = hr
            .post(
                &format!("/programmes/{id}/sessions/{sid}/delete"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

app_test!(
    the_same_programme_cannot_be_launched_twice,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let first = launch_programme(&app, &hr, "periodic", "定期研修").await;
        let before = app.store.programmes(t.id).await.expect("q").len();
        let csrf = hr.csrf("/programmes/new").await;
        let fy = app.this_fy().await;
        let (s, body) = hr
            .post(
                "/programmes/new",
                &[
                    ("_csrf", &csrf),
                    ("name", "定期研修（もう一度）"),
                    ("fiscal_year", &fy),
                    ("template", "periodic"),
                    ("group_min", "2"),
                    ("group_max", "6"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("同じ種類・年度・対象条件のプログラムがすでにあります"));
        assert!(
            body.contains(&format!("href=\"/programmes/{first}\"")),
            "a link to the first"
        );
        assert!(
            body.contains("定期研修（もう一度）"),
            "the form keeps what was typed"
        );
        assert_eq!(
            app.store.programmes(t.id).await.expect("q").len(),
            before,
            "nothing was created"
        );
    }
);

app_test!(
    hr_cancels_a_programme_its_banners_go_its_history_stays_and_it_can_be_launched_again,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = domain::PersonId(app.report_of_manager().await);
        let mine = app.store.programmes_of_person(t.id, me).await.expect("q");
        let programme = mine
            .iter()
            .find(|p| p.template == domain::programme::Template::MilestoneAge)
            .expect("the demo employee's 50-year programme")
            .clone();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(my.contains(&format!("/my/programmes/{}", programme.id)));
        let path = format!("/programmes/{}", programme.id);
        // Only HR cancels.
        for who in [
            "manager@demo.example.jp",
            "admin@demo.example.jp",
            "consultant@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/my").await;
            let (s, _) = b
                .post(&format!("{path}/cancel"), &[("_csrf", csrf.as_str())])
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        let hr = app.signed_in("hr@demo.example.jp").await;
        let fy = app.this_fy().await;
        let relaunch = |csrf: String| {
            let fy = fy.clone();
            let hr = &hr;
            async move {
                hr.post(
                    "/programmes/new",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("name", "50歳節目研修（やり直し）"),
                        ("fiscal_year", fy.as_str()),
                        ("template", "milestone_age"),
                        ("ages", "50"),
                        ("group_min", "4"),
                        ("group_max", "6"),
                        ("confirm", "1"),
                    ],
                )
                .await
            }
        };
        let (s, _) = relaunch(hr.csrf("/programmes/new").await).await;
        assert_eq!(s, StatusCode::CONFLICT, "a duplicate while the first runs");
        let (_, page) = hr.get(&path).await;
        assert!(
            page.contains("data-testid=\"programme-cancel\"") && page.contains("元に戻せません")
        );
        let csrf = hr.csrf(&path).await;
        let (s, _) = hr
            .post(&format!("{path}/cancel"), &[("_csrf", csrf.as_str())])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let p = app
            .store
            .programme(t.id, programme.id)
            .await
            .expect("q")
            .expect("p");
        assert!(p.cancelled_at.is_some());
        assert_eq!(p.participants, programme.participants, "its history stays");
        // Gone from the employee's マイキャリア; the page says it was cancelled.
        let (_, my) = employee.get("/my").await;
        assert!(!my.contains(&format!("/my/programmes/{}", programme.id)));
        let (_, page) = hr.get(&path).await;
        assert!(page.contains("data-testid=\"programme-cancelled\""));
        let (_, list) = hr.get("/programmes").await;
        assert!(list.contains("programme-cancelled-tag"));
        // Nothing more can be changed on it.
        let (s, _) = hr
            .post(&format!("{path}/place"), &[("_csrf", csrf.as_str())])
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Cancelling twice changes nothing; the audit log says who cancelled it.
        hr.post(&format!("{path}/cancel"), &[("_csrf", csrf.as_str())])
            .await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ProgrammeCancelled),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor_email, "hr@demo.example.jp");
        // The same template, year and rule can be launched again now.
        let (s, location) = relaunch(hr.csrf("/programmes/new").await).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    }
);

app_test!(
    the_launch_form_shows_the_cohort_and_who_is_left_out_before_anything_is_created,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        // Someone whose hire date is missing cannot be judged by a tenure rule.
        let someone = app.outsider().await;
        raw_sql(
            &app._db.url,
            &format!("UPDATE people SET hire_date = NULL WHERE id = {someone}"),
        )
        .await;
        let number = app
            .store
            .person(t.id, domain::PersonId(someone))
            .await
            .expect("q")
            .expect("p")
            .employee_number;
        let before = app.store.programmes(t.id).await.expect("q").len();
        let csrf = hr.csrf("/programmes/new").await;
        let fy = app.this_fy().await;
        let fields = |confirm: &'static str| {
            vec![
                ("_csrf", csrf.clone()),
                ("name", "入社10年研修".to_string()),
                ("fiscal_year", fy.clone()),
                ("template", "milestone_tenure".to_string()),
                ("tenures", "10".to_string()),
                ("group_min", "2".to_string()),
                ("group_max", "6".to_string()),
                ("confirm", confirm.to_string()),
            ]
        };
        let post = |f: Vec<(&'static str, String)>| {
            let hr = &hr;
            async move {
                let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                hr.post("/programmes/new", &fields).await
            }
        };
        let (s, body) = post(fields("")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("data-testid=\"cohort-preview\""));
        assert!(body.contains("preview-person"), "the cohort, by name");
        assert!(
            body.contains(&number) && body.contains("入社日が登録されていません"),
            "who is left out and why"
        );
        assert!(body.contains("入社10年研修"), "the form as typed");
        assert_eq!(
            app.store.programmes(t.id).await.expect("q").len(),
            before,
            "nothing created yet"
        );
        let (s, location) = post(fields("1")).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        assert_eq!(
            app.store.programmes(t.id).await.expect("q").len(),
            before + 1
        );
    }
);

app_test!(
    the_launch_form_offers_departments_by_name_to_pick,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, page) = hr.get("/programmes/new").await;
        assert!(page.contains("<datalist id=\"department-choices\">"));
        // The employee's department, by its code and its path of names.
        let me = app
            .store
            .person(t.id, domain::PersonId(app.report_of_manager().await))
            .await
            .expect("q")
            .expect("p");
        let leaf = me.department_name.clone().expect("a department");
        // Shown with the departments above it: 営業本部 / 東日本営業部 / 第一課.
        assert!(page.contains(&format!(" / {leaf}</option>")), "{leaf}");
    }
);

app_test!(
    hr_home_lists_what_running_programmes_need_and_it_follows_the_work_done,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        // Training in five days with two seats: the rest are unplaced, and those placed
        // have not done their pre-work yet.
        let (id, sid) = programme_with_session(&app, &hr, 5, "2").await;
        let ps = app.store.participants(t.id, id).await.expect("q");
        let current: Vec<_> = ps.iter().filter(|p| !p.left()).collect();
        let placed = current.iter().filter(|p| p.session == Some(sid)).count();
        assert!(
            placed == 2 && current.len() > 2,
            "{placed} of {}",
            current.len()
        );
        let todo = || {
            let store = app.store.clone();
            let (now, today) = (app.state.clock.now(), app.state.clock.today());
            async move {
                app::programmes::to_do(&store, t.id, now, today)
                    .await
                    .expect("to do")
                    .into_iter()
                    .find(|x| x.id == id)
                    .expect("the new programme needs HR")
            }
        };
        let first = todo().await;
        assert_eq!(first.unplaced, current.len() - placed);
        assert_eq!(
            first.overdue, placed,
            "pre-learning not done, training in 5 days"
        );
        assert!(!first.no_sessions);
        // The home says so, with the same numbers, and links to the programme.
        let (_, home) = hr.get("/programmes").await;
        let item = home
            .split("data-testid=\"hr-to-do-item\"")
            .find(|s| s.contains(&format!("href=\"/programmes/{id}\"")))
            .expect("an item for the programme");
        assert!(item.contains(&format!("割り当てられていない参加者が{}人", first.unplaced)));
        assert!(item.contains(&format!("済んでいない参加者が{}人", first.overdue)));
        // The programme's figures are defined beside them.
        let (_, detail) = hr.get(&format!("/programmes/{id}")).await;
        for marker in [
            "funnel-definitions",
            "to-commit-definition",
            "behaviour-definition",
        ] {
            assert!(
                detail.contains(&format!("data-testid=\"{marker}\"")),
                "{marker}"
            );
        }
        assert!(detail.contains("非表示"));
        // Assigning a consultant to someone without one takes them off the count.
        let assigned = app.store.assignments(t.id).await.expect("q");
        let lonely = current
            .iter()
            .find(|p| !assigned.iter().any(|a| a.person_id == p.person.0))
            .expect("someone without a consultant");
        let consultant = app.user("consultant@demo.example.jp").await;
        let hr_user = app.user("hr@demo.example.jp").await;
        app.store
            .assign_consultant(t.id, consultant.id, lonely.person, hr_user.id)
            .await
            .expect("assign");
        assert_eq!(
            todo().await.without_consultant,
            first.without_consultant - 1
        );
        // A cancelled programme needs nobody.
        let csrf = hr.csrf(&format!("/programmes/{id}")).await;
        hr.post(&format!("/programmes/{id}/cancel"), &[("_csrf", &csrf)])
            .await;
        let left = app::programmes::to_do(
            &app.store,
            t.id,
            app.state.clock.now(),
            app.state.clock.today(),
        )
        .await
        .expect("to do");
        assert!(left.iter().all(|x| x.id != id));
        // Nobody but HR sees it.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = manager.get("/programmes").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
