//! 研修後アンケート: a participant answers once, only after their own session has ended
//! and within its window; bad input changes nothing; the answer carries no person; HR
//! reads it by instructor style × participant segment with no cell below k; nobody else
//! reads it or answers in someone's place.

use super::*;
use domain::training::Style;

/// This year's demo milestone programme.
async fn this_years_programme(app: &TestApp) -> store::programmes::Programme {
    let t = app.demo_tenant().await;
    let fy: i32 = app.this_fy().await.parse().expect("fy");
    app.store
        .programmes(t.id)
        .await
        .expect("q")
        .into_iter()
        .find(|p| p.fiscal_year == fy && p.template.has_training())
        .expect("this year's programme")
}

/// A training session of the programme ending `ended_days_ago` days ago (negative: ahead).
async fn session(
    app: &TestApp,
    programme: i64,
    ended_days_ago: i64,
    instructor: &str,
    style: Style,
) -> i64 {
    let t = app.demo_tenant().await;
    let ends_at = app.state.clock.now() - chrono::Duration::days(ended_days_ago);
    app.store
        .add_training_session(
            t.id,
            programme,
            &store::programmes::NewSession {
                starts_at: ends_at - chrono::Duration::hours(2),
                ends_at,
                place: "本社 研修室B".into(),
                capacity: 40,
                instructor: app.user(instructor).await.id,
                style,
            },
        )
        .await
        .expect("q")
        .expect("added")
}

async fn answers(app: &TestApp, programme: i64) -> Vec<store::training_feedback::StoredFeedback> {
    let t = app.demo_tenant().await;
    app.store
        .training_feedback(t.id, &[programme])
        .await
        .expect("q")
}

app_test!(
    a_participant_answers_once_after_their_session_and_the_answer_knows_no_person,
    |app| async move {
        let t = app.demo_tenant().await;
        let programme = this_years_programme(&app).await;
        let id = programme.id;
        let me = app
            .user("employee@demo.example.jp")
            .await
            .person_id
            .expect("person");
        let emp = app.signed_in("employee@demo.example.jp").await;
        let csrf = emp.csrf(&format!("/my/programmes/{id}")).await;
        let path = format!("/my/programmes/{id}/training-feedback");
        let send = |fields: Vec<(&'static str, &'static str)>| {
            let (emp, path, csrf) = (&emp, path.clone(), csrf.clone());
            async move {
                let mut f = vec![("_csrf", csrf.as_str())];
                f.extend(fields);
                emp.post(&path, &f).await
            }
        };
        let good = vec![
            ("useful", "4"),
            ("fit", "2"),
            ("topic", "vision"),
            ("topic", "to_manager"),
        ];
        // Not placed: no card, and no answer taken.
        app.store
            .pin_participant(t.id, id, me, None)
            .await
            .expect("unplace");
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(!page.contains("data-testid=\"training-feedback\""));
        let (s, _) = send(good.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("研修の日程に配置されていない"), "{page}");
        // A session ahead, one long over, one just ended.
        let calm = "instructor@demo.example.jp";
        let ahead = session(&app, id, -5, calm, Style::Calm).await;
        let over = session(&app, id, 40, calm, Style::Calm).await;
        let fresh = session(&app, id, 1, calm, Style::Calm).await;
        let pin = |sid: i64| {
            let store = app.store.clone();
            async move {
                store
                    .pin_participant(t.id, id, me, Some(sid))
                    .await
                    .expect("pin")
            }
        };
        let before = answers(&app, id).await.len();
        pin(ahead).await;
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("data-state=\"not_yet\""), "{page}");
        let (s, _) = send(good.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("研修が終わってから回答できます"));
        pin(over).await;
        let (s, _) = send(good.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("data-state=\"closed\"") && page.contains("回答期間"));
        assert_eq!(answers(&app, id).await.len(), before, "nothing taken");
        // Just ended: the worker tells them once (email and お知らせ), naming the programme
        // and the last day only.
        pin(fresh).await;
        let worker = app.worker(None);
        assert!(worker.tick().await.expect("tick").feedback_invitations >= 1);
        assert_eq!(
            worker.tick().await.expect("tick").feedback_invitations,
            0,
            "once"
        );
        let (_, notices) = emp.get("/notifications").await;
        assert!(
            notices.contains("研修後アンケートへのご回答のお願い"),
            "{notices}"
        );
        // Just ended: bad input comes back as typed, with every reason, and changes nothing.
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("data-state=\"open\"") && page.contains("匿名"));
        let (s, body) = send(vec![
            ("fit", "9"),
            ("topic", "strengths"),
            ("topic", "salary"),
        ])
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("「役に立ったか」を1〜5から選んでください"));
        assert!(body.contains("講師の進め方が合っていたか"));
        assert!(body.contains("選択肢にない項目"));
        assert!(
            body.contains("value=\"strengths\" checked"),
            "kept as typed"
        );
        assert_eq!(answers(&app, id).await.len(), before);
        assert_eq!(
            app.store
                .training_feedback_given(t.id, id, me)
                .await
                .expect("q"),
            Some(false)
        );
        // The answer: taken once, with the session's style and the person's segment only.
        let (s, _) = send(good.clone()).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("data-state=\"given\"") && page.contains("ご回答いただき"));
        let after = answers(&app, id).await;
        assert_eq!(after.len(), before + 1);
        let mine: Vec<_> = after
            .iter()
            .filter(|a| a.answer.useful == 4 && a.answer.fit == 2 && a.answer.topics.len() == 2)
            .collect();
        assert!(!mine.is_empty());
        assert!(mine.iter().all(|a| a.style == Style::Calm));
        let (s, _) = send(vec![("useful", "1"), ("fit", "1")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = emp.get(&format!("/my/programmes/{id}")).await;
        assert!(page.contains("すでに回答済みです"));
        assert_eq!(answers(&app, id).await.len(), before + 1, "the first stays");
        // The stored answer has no column that could name anyone.
        let columns = app
            .store
            .table_columns("training_feedback")
            .await
            .expect("q");
        for c in &columns {
            assert!(
                ![
                    "person_id",
                    "user_id",
                    "session_id",
                    "created_at",
                    "answered_at"
                ]
                .contains(&c.as_str()),
                "{columns:?}"
            );
        }
    }
);

app_test!(
    hr_reads_style_by_segment_with_no_cell_below_k_and_nobody_else_does,
    |app| async move {
        let t = app.demo_tenant().await;
        let k = u64::from(t.settings.anonymity_k);
        let programme = this_years_programme(&app).await;
        let id = programme.id;
        // Many in the company join this year's programme and go to a session of each
        // style: 24 answer with their own style's instructor, 6 with the other style's,
        // and one person, alone in their cell, answers unusually.
        let now = app.state.clock.now();
        let calm = session(&app, id, 12, "instructor@demo.example.jp", Style::Calm).await;
        let lively = session(
            &app,
            id,
            9,
            "instructor-do@demo.example.jp",
            Style::Energetic,
        )
        .await;
        let people = app
            .store
            .population_people(t.id, &domain::survey::Population::Everyone)
            .await
            .expect("q");
        let mut n = 0;
        for p in people.iter().take(40) {
            let _ = app.store.add_participant(t.id, id, *p, now).await;
            if app
                .store
                .training_feedback_given(t.id, id, *p)
                .await
                .expect("q")
                == Some(true)
            {
                continue;
            }
            let (session, style, segment, useful, fit) = match n {
                0..12 => (calm, Style::Calm, Style::Calm, 4, 4),
                12..24 => (lively, Style::Energetic, Style::Energetic, 5, 5),
                24..30 => (lively, Style::Energetic, Style::Calm, 3, 2),
                30 => (calm, Style::Calm, Style::Energetic, 1, 1),
                _ => break,
            };
            app.store
                .pin_participant(t.id, id, *p, Some(session))
                .await
                .expect("pin");
            let answer = domain::training_feedback::Answer {
                useful,
                fit,
                topics: [domain::training_feedback::Topic::Vision].into(),
            };
            app.store
                .give_training_feedback(t.id, id, *p, style, segment, &answer)
                .await
                .expect("q")
                .expect("taken");
            n += 1;
        }
        assert_eq!(n, 31, "enough people");
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, page) = hr.get(&format!("/programmes/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("研修後アンケートの結果"));
        assert!(page.contains("data-testid=\"training-feedback-participation\""));
        assert!(page.contains("会社全体"));
        // The demo's answers make a readable table: the company column shows the
        // matched/mismatched comparison somewhere over its years.
        let caller = app.caller("hr@demo.example.jp").await;
        let r =
            app::training_feedback::report(&app.store, &caller, &programme, app.state.clock.now())
                .await
                .expect("report");
        assert!(r.participation.answered > 0 && r.participation.asked >= r.participation.answered);
        assert!(r.programmes >= 2, "the company column covers past years");
        // The lone person is never shown as such, nor can their answer be had from the
        // programme's total: the crossed cells hidden beside it hold k or more together.
        let (e, c) = (Some(Style::Energetic), Some(Style::Calm));
        assert!(r.report.cell(1, c, e).is_none());
        assert!(r.report.cell(1, c, None).is_none() || r.report.cell(1, c, c).is_none());
        assert!(r.report.cell(1, None, e).is_none() || r.report.cell(1, e, e).is_none());
        let crossed = [(c, c), (c, e), (e, c), (e, e)];
        let counts = [12u64, 1, 6, 12];
        let hidden: u64 = crossed
            .iter()
            .zip(counts)
            .filter(|((s, g), _)| r.report.cell(1, *s, *g).is_none())
            .map(|(_, n)| n)
            .sum();
        // Where the programme's total shows, what its shown cells leave of it is k or
        // more; and the company minus this programme (the other programmes) is either
        // hidden on one side or k or more.
        if r.report.cell(1, None, None).is_some() {
            assert!(hidden >= k, "hidden together: {hidden}");
        }
        if let (Some(all), Some(this)) =
            (r.report.cell(0, None, None), r.report.cell(1, None, None))
        {
            let rest = all.respondents - this.respondents;
            assert!(rest == 0 || rest >= k, "the other programmes: {rest}");
        }
        assert!(
            r.report.cell(1, c, c).is_some(),
            "the twelve calm with a calm instructor"
        );
        assert!(page.contains("非表示") && page.contains("区分に合った講師だった人"));
        let all = [None, Some(Style::Energetic), Some(Style::Calm)];
        let mut shown = 0;
        for unit in 0..r.programmes + 1 {
            for s in all {
                for g in all {
                    if let Some(f) = r.report.cell(unit, s, g) {
                        assert!(f.respondents >= k, "a cell of {}", f.respondents);
                        shown += 1;
                    }
                }
            }
            for matched in [true, false] {
                if let Some(f) = r.report.fit_holds(unit, matched) {
                    assert!(f.respondents >= k);
                }
            }
        }
        assert!(shown > 0, "some cells are shown");
        // Nobody but HR: the employee, the manager and the instructor are refused; an
        // instructor's caller is refused by the application layer too.
        for who in [
            "employee@demo.example.jp",
            "manager@demo.example.jp",
            "instructor@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (s, body) = b.get(&format!("/programmes/{id}")).await;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                "{who}: {s}"
            );
            assert!(!body.contains("研修後アンケートの結果"));
            let c = app.caller(who).await;
            assert!(matches!(
                app::training_feedback::report(&app.store, &c, &programme, app.state.clock.now())
                    .await,
                Err(app::Error::Forbidden)
            ));
        }
        // Nobody answers in a participant's place: HR and the manager are not participants.
        for who in ["hr@demo.example.jp", "manager@demo.example.jp"] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/").await;
            let (s, _) = b
                .post(
                    &format!("/my/programmes/{id}/training-feedback"),
                    &[("_csrf", &csrf), ("useful", "5"), ("fit", "5")],
                )
                .await;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                "{who}: {s}"
            );
        }
    }
);
