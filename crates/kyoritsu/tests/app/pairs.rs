//! ペア: cross-department and mentor 1on1s only between the partners of a pair, and the
//! partner sees only the career-sheet sections the employee chose (issue: "anyone can
//! read a colleague's shared career sheet").

use super::*;
use domain::pairing::{PairKind, PairStatus};

// Sections of the demo employee's career sheet (demo::career_sheet_versions).
const WORK_HISTORY: &str = "法人営業部で中小企業向けの提案営業";
const SUCCESSES: &str = "失注続きの顧客";
const EVENTS: &str = "社内表彰の候補";
const MEANING: &str = "営業のやり方が変わった";
const STRENGTHS: &str = "現場の人にわかる言葉";
const SKILLS: &str = "日商簿記2級";
const PRIVATE_CONCERN: &str = "転勤の可能性が重なる";

async fn employee_number(app: &TestApp, email: &str) -> String {
    let t = app.demo_tenant().await;
    app.store
        .person(t.id, domain::PersonId(app.person_of(email).await))
        .await
        .expect("q")
        .expect("person")
        .employee_number
}

async fn pair_of(
    app: &TestApp,
    kind: PairKind,
    partner: &str,
    subject: &str,
) -> Option<store::pairs::Pair> {
    let t = app.demo_tenant().await;
    let partner = app.user(partner).await.id;
    let subject = domain::PersonId(app.person_of(subject).await);
    app.store
        .pair_between(t.id, kind, partner, subject)
        .await
        .expect("q")
}

/// Books a dialogue of `kind` for 2031-05-01 10:00 through the form, naming the subject
/// by `subject` (`subject_number` or `subject`) and, for HR, the facilitator's address.
async fn book_on_a_day(
    b: &Browser,
    kind: &str,
    subject: (&str, &str),
    facilitator_email: &str,
) -> (StatusCode, String) {
    let mut fields = vec![
        ("kind", kind),
        subject,
        ("date", "2031-05-01"),
        ("time", "10:00"),
        ("duration", "60"),
        ("repeat", "none"),
    ];
    if !facilitator_email.is_empty() {
        fields.push(("facilitator_email", facilitator_email));
    }
    book(b, &fields).await
}

fn shows_no_sheet(body: &str) {
    for text in [
        WORK_HISTORY,
        SUCCESSES,
        EVENTS,
        MEANING,
        STRENGTHS,
        SKILLS,
        PRIVATE_CONCERN,
    ] {
        assert!(!body.contains(text), "career sheet text leaked: {text}");
    }
}

app_test!(
    a_self_appointed_cross_or_mentor_facilitator_is_refused_and_sees_no_sheet,
    |app| async move {
        let t = app.demo_tenant().await;
        let number = employee_number(&app, "employee@demo.example.jp").await;
        let subject = domain::PersonId(app.report_of_manager().await);
        let before = app
            .store
            .dialogues_about(t.id, subject)
            .await
            .expect("q")
            .len();
        // A colleague outside the employee's line makes themselves the facilitator.
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (s, body) = book_on_a_day(
            &admin,
            "cross_one_on_one",
            ("subject_number", number.as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(
            body.contains("ペアが成立している相手とだけ予約できます"),
            "{body}"
        );
        shows_no_sheet(&body);
        // A new mentor books by typing an employee number.
        app.store
            .create_user(
                t.id,
                store::users::NewUser {
                    email: EmailAddress::parse("mentor2@demo.example.jp").expect("e"),
                    name: "外部 メンター".into(),
                    roles: vec![domain::Role::Mentor],
                    person_id: None,
                    password: Some(kyoritsu::demo::DEMO_PASSWORD.into()),
                },
            )
            .await
            .expect("mentor");
        let mentor2 = app.signed_in("mentor2@demo.example.jp").await;
        let (s, body) = book_on_a_day(
            &mentor2,
            "mentor_one_on_one",
            ("subject_number", number.as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        shows_no_sheet(&body);
        // HR booking for them is held to the same rule, through the API too.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (s, _) = book_on_a_day(
            &hr,
            "mentor_one_on_one",
            ("subject_number", number.as_str()),
            "mentor2@demo.example.jp",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let token = app.token("admin@demo.example.jp").await;
        let (s, json) = app
            .api_post(
                &token,
                "/api/v1/dialogues",
                serde_json::json!({
                    "kind": "cross_one_on_one",
                    "subject_id": subject.0,
                    "starts_at": "2031-05-01T10:00",
                    "duration_minutes": 60
                }),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{json}");
        assert_eq!(
            app.store
                .dialogues_about(t.id, subject)
                .await
                .expect("q")
                .len(),
            before,
            "nothing was booked"
        );
        // A cross 1on1 written before pairs existed: its facilitator prepares with no sheet.
        let admin_user = app.user("admin@demo.example.jp").await;
        let ids = app
            .store
            .create_dialogues(
                t.id,
                &store::dialogues::NewDialogue {
                    kind: domain::dialogue::DialogueKind::CrossOneOnOne,
                    subject,
                    facilitator: admin_user.id,
                    duration_minutes: 30,
                    place: String::new(),
                    created_by: admin_user.id,
                    starts: vec![chrono::Utc::now() + chrono::Duration::days(3)],
                    cadence: None,
                },
            )
            .await
            .expect("legacy");
        let (s, body) = admin.get(&format!("/dialogues/{}", ids[0])).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("sheet-none-chosen"));
        shows_no_sheet(&body);
    }
);

app_test!(
    a_mentor_prepares_with_the_sections_the_employee_chose_until_the_pair_ends,
    |app| async move {
        let t = app.demo_tenant().await;
        // The demo pairs the external mentor with the employee: meaning, vision, strengths.
        let pair = pair_of(
            &app,
            PairKind::Mentor,
            "mentor@demo.example.jp",
            "employee@demo.example.jp",
        )
        .await
        .expect("demo mentor pair");
        assert_eq!(pair.status, PairStatus::Active);
        let subject = domain::PersonId(app.report_of_manager().await);
        let mentor_user = app.user("mentor@demo.example.jp").await;
        let session = app
            .store
            .dialogues_about(t.id, subject)
            .await
            .expect("q")
            .into_iter()
            .find(|d| d.kind == domain::dialogue::DialogueKind::MentorOneOnOne)
            .expect("mentor 1on1");
        assert_eq!(session.facilitator, mentor_user.id);
        let mentor = app.signed_in("mentor@demo.example.jp").await;
        let (s, body) = mentor.get(&format!("/dialogues/{}", session.id)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(MEANING) && body.contains(STRENGTHS));
        for hidden in [WORK_HISTORY, SUCCESSES, EVENTS, SKILLS, PRIVATE_CONCERN] {
            assert!(!body.contains(hidden), "not chosen, yet shown: {hidden}");
        }
        // The mentor's pairs page lists the mentee and nothing about anyone else; their
        // menu has no directory, no マイキャリア and no colleagues' stories.
        let (s, body) = mentor.get("/pairs").await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains(&pair.subject_name));
        assert!(body.contains("pair-book"));
        assert!(!body.contains("href=\"/my\"") && !body.contains("href=\"/role-models\""));
        assert!(
            !body.contains("data-testid=\"pair-invite\""),
            "a mentor does not invite"
        );
        // The employee chooses a different section: the mentor sees only that one now.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/pairs").await;
        let (s, _) = employee
            .post(
                &format!("/pairs/{}/sections", pair.id),
                &[("_csrf", csrf.as_str()), ("section", "skills")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = mentor.get(&format!("/dialogues/{}", session.id)).await;
        assert!(body.contains(SKILLS));
        assert!(!body.contains(MEANING) && !body.contains(STRENGTHS));
        // Choosing a section kept private on the sheet does not open it.
        let (s, _) = employee
            .post(
                &format!("/pairs/{}/sections", pair.id),
                &[("_csrf", csrf.as_str()), ("section", "concerns")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = mentor.get(&format!("/dialogues/{}", session.id)).await;
        shows_no_sheet(&body);
        assert!(body.contains("sheet-none-chosen"));
        // Only the employee chooses: the mentor, HR and a stranger are refused.
        for who in [
            "mentor@demo.example.jp",
            "hr@demo.example.jp",
            "manager@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/pairs").await;
            let (s, _) = b
                .post(
                    &format!("/pairs/{}/sections", pair.id),
                    &[("_csrf", csrf.as_str()), ("section", "work_history")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        // The employee ends the pair: no new booking, and the sheet is gone.
        let (s, _) = employee
            .post(
                &format!("/pairs/{}/end", pair.id),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = book_on_a_day(
            &mentor,
            "mentor_one_on_one",
            ("subject", subject.0.to_string().as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, body) = mentor.get(&format!("/dialogues/{}", session.id)).await;
        shows_no_sheet(&body);
        // Every step is in the audit log.
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::PairChanged),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .expect("q");
        let pair_changes: Vec<_> = entries
            .iter()
            .filter(|e| e.action == "pair_changed")
            .map(|e| e.detail.clone().unwrap_or_default())
            .collect();
        assert!(
            pair_changes
                .iter()
                .any(|d| d.contains("sections shared: skills"))
        );
        assert!(pair_changes.iter().any(|d| d == "ended"));
    }
);

app_test!(
    an_invitation_is_answered_only_by_the_invited_side_and_opens_booking,
    |app| async move {
        let t = app.demo_tenant().await;
        let number = employee_number(&app, "employee@demo.example.jp").await;
        // The demo admin has invited the employee; it waits on the employee.
        let pair = pair_of(
            &app,
            PairKind::Cross,
            "admin@demo.example.jp",
            "employee@demo.example.jp",
        )
        .await
        .expect("demo invitation");
        assert_eq!(pair.status, PairStatus::Invited);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, body) = employee.get("/pairs").await;
        assert!(
            body.contains("pair-invitation") && body.contains("営業の現場で大切にしていること")
        );
        // Neither the inviter nor a stranger can answer for the employee.
        for who in [
            "admin@demo.example.jp",
            "manager@demo.example.jp",
            "hr@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/pairs").await;
            let (s, _) = b
                .post(
                    &format!("/pairs/{}/accept", pair.id),
                    &[("_csrf", csrf.as_str())],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (s, _) = book_on_a_day(
            &admin,
            "cross_one_on_one",
            ("subject_number", number.as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "not before the employee accepts");
        // The employee accepts and shows one section.
        let csrf = employee.csrf("/pairs").await;
        let (s, _) = employee
            .post(
                &format!("/pairs/{}/accept", pair.id),
                &[("_csrf", csrf.as_str()), ("section", "successes")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = admin.get("/dialogues/new").await;
        assert!(
            body.contains(&pair.subject_name),
            "the mentee is offered to book"
        );
        let (s, location) = book_on_a_day(
            &admin,
            "cross_one_on_one",
            ("subject_number", number.as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let (_, body) = admin.get(&location).await;
        assert!(body.contains(SUCCESSES));
        for hidden in [WORK_HISTORY, EVENTS, MEANING, SKILLS, PRIVATE_CONCERN] {
            assert!(!body.contains(hidden), "not chosen, yet shown: {hidden}");
        }
        // Answering twice changes nothing.
        let (s, _) = employee
            .post(
                &format!("/pairs/{}/decline", pair.id),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let p = app.store.pair(t.id, pair.id).await.expect("q").expect("p");
        assert_eq!(p.status, PairStatus::Active);
    }
);

app_test!(
    an_employee_invites_a_colleague_who_may_decline_and_bad_invitations_are_explained,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/pairs").await;
        let invite =
            |kind: &'static str, direction: &'static str, number: String, message: &'static str| {
                let csrf = csrf.clone();
                let employee = &employee;
                async move {
                    employee
                        .post(
                            "/pairs",
                            &[
                                ("_csrf", csrf.as_str()),
                                ("kind", kind),
                                ("direction", direction),
                                ("number", number.as_str()),
                                ("message", message),
                            ],
                        )
                        .await
                }
            };
        // Unknown number, oneself, one's own manager: each explained, the typed message kept.
        let (s, body) = invite("cross", "ask", "NOPE-0000".into(), "一度お話を伺いたいです").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("在籍者が見つかりません") && body.contains("一度お話を伺いたいです"));
        let me = employee_number(&app, "employee@demo.example.jp").await;
        let (s, body) = invite("cross", "ask", me, "").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("自分自身とはペアになれません"));
        let boss = employee_number(&app, "manager@demo.example.jp").await;
        let (s, body) = invite("cross", "ask", boss, "").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("同じ報告ライン"));
        let long: &'static str = Box::leak("あ".repeat(401).into_boxed_str());
        let hr_number = employee_number(&app, "hr@demo.example.jp").await;
        let (s, body) = invite("cross", "ask", hr_number.clone(), long).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("メッセージが長すぎます"));
        // A real invitation to the HR person (another department), then a second is refused.
        let (s, _) = invite("cross", "ask", hr_number.clone(), "よろしくお願いします").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = invite("cross", "ask", hr_number.clone(), "").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("すでに成立しているか招待中"));
        let pair = pair_of(
            &app,
            PairKind::Cross,
            "hr@demo.example.jp",
            "employee@demo.example.jp",
        )
        .await
        .expect("invited");
        assert_eq!(pair.status, PairStatus::Invited);
        // The HR person sees it waiting on them, and declines.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, body) = hr.get("/pairs").await;
        assert!(body.contains("pair-invitation"));
        let hr_csrf = hr.csrf("/pairs").await;
        let (s, _) = hr
            .post(
                &format!("/pairs/{}/decline", pair.id),
                &[("_csrf", hr_csrf.as_str())],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let number = employee_number(&app, "employee@demo.example.jp").await;
        let (s, _) = book_on_a_day(
            &hr,
            "cross_one_on_one",
            ("subject_number", number.as_str()),
            "",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a declined pair books nothing");
        // After a decline, a new invitation may be sent.
        let (s, _) = invite("cross", "ask", hr_number, "改めてお願いできますか").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // A mentor does not invite an employee (they have no person record to invite from).
        let mentor = app.signed_in("mentor@demo.example.jp").await;
        let m_csrf = mentor.csrf("/pairs").await;
        let (s, _) = mentor
            .post(
                "/pairs",
                &[
                    ("_csrf", m_csrf.as_str()),
                    ("kind", "cross"),
                    ("direction", "offer"),
                    ("number", number.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    hr_pairs_in_bulk_all_or_nothing_and_only_hr_may,
    |app| async move {
        let t = app.demo_tenant().await;
        let subject = employee_number(&app, "employee@demo.example.jp").await;
        let consultant = employee_number(&app, "consultant@demo.example.jp").await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/pairs").await;
        let count = || async { app.store.pairs(t.id, false, 1000).await.expect("q").len() };
        let before = count().await;
        let bad = format!("{consultant},{subject}\nmentor@demo.example.jp,NOPE-1\nonly-one-cell");
        let (s, body) = hr
            .post(
                "/pairs/bulk",
                &[
                    ("_csrf", csrf.as_str()),
                    ("kind", "cross"),
                    ("lines", bad.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("2行目") && body.contains("3行目"), "{body}");
        assert!(body.contains("NOPE-1"), "the lines are kept as typed");
        assert_eq!(count().await, before, "nothing paired");
        // A line the policy refuses (a mentor pair with a non-mentor) also stops the lot.
        let refused = format!("{consultant},{subject}");
        let (s, body) = hr
            .post(
                "/pairs/bulk",
                &[
                    ("_csrf", csrf.as_str()),
                    ("kind", "mentor"),
                    ("lines", refused.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("社外メンターとして登録されていません"));
        assert_eq!(count().await, before);
        let good = format!("{consultant},{subject}");
        let (s, _) = hr
            .post(
                "/pairs/bulk",
                &[
                    ("_csrf", csrf.as_str()),
                    ("kind", "cross"),
                    ("lines", good.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(count().await, before + 1);
        let p = pair_of(
            &app,
            PairKind::Cross,
            "consultant@demo.example.jp",
            "employee@demo.example.jp",
        )
        .await
        .expect("paired");
        assert_eq!(
            p.status,
            PairStatus::Active,
            "HR's pair is in force at once"
        );
        assert!(p.sections.is_empty(), "the employee has chosen nothing yet");
        let (_, body) = hr.get("/pairs").await;
        assert!(body.contains("pairs-all") && body.contains(&p.subject_name));
        // Nobody else pairs people or sees the list.
        for who in [
            "employee@demo.example.jp",
            "manager@demo.example.jp",
            "admin@demo.example.jp",
            "consultant@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/pairs").await;
            let (s, _) = b
                .post(
                    "/pairs/bulk",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("kind", "cross"),
                        ("lines", good.as_str()),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let (s, _) = b
                .post(
                    "/pairs",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("hr", "1"),
                        ("kind", "cross"),
                        ("partner", "admin@demo.example.jp"),
                        ("subject", subject.as_str()),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let (_, body) = b.get("/pairs").await;
            assert!(!body.contains("pairs-all"), "{who}");
        }
        // A pair of another tenant's id is simply not found.
        let (s, _) = hr
            .post("/pairs/999999/end", &[("_csrf", csrf.as_str())])
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

app_test!(
    a_cross_1on1_programme_pairs_its_cohort_across_departments_after_a_preview,
    |app| async move {
        let t = app.demo_tenant().await;
        let programme = app
            .store
            .programmes(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|p| p.template == domain::programme::Template::CrossOneOnOne)
            .expect("the demo's cross-1on1 programme");
        let id = programme.id;
        let path = format!("/programmes/{id}");
        let participants = app.store.participants(t.id, id).await.expect("q");
        assert!(participants.len() >= 4, "{}", participants.len());
        let hr = app.signed_in("hr@demo.example.jp").await;
        // HR's home says nobody is paired yet.
        let (_, home) = hr.get("/programmes").await;
        assert!(home.contains(&format!("ペアがまだない参加者が{}人", participants.len())));
        // Only HR pairs, and only a cross-1on1 programme.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/members").await;
        let (s, _) = manager
            .post(
                &format!("{path}/pairs"),
                &[("_csrf", &mcsrf), ("confirm", "1")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let csrf = hr.csrf(&path).await;
        let other = app
            .store
            .programmes(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|p| p.template != domain::programme::Template::CrossOneOnOne)
            .expect("another programme");
        let (s, _) = hr
            .post(
                &format!("/programmes/{}/pairs", other.id),
                &[("_csrf", &csrf), ("confirm", "1")],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // The preview makes nothing and says who cannot take part.
        let (s, page) = hr
            .post(
                &format!("{path}/pairs"),
                &[("_csrf", &csrf), ("by_anchor", "1")],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("data-testid=\"cross-plan\""));
        assert!(
            page.contains("ログインできるアカウントがない"),
            "two have no account"
        );
        assert!(
            app.store
                .pairs_of_programme(t.id, id)
                .await
                .expect("q")
                .is_empty(),
            "a preview makes nothing"
        );
        // The plan, as the policy sees it: across departments, anchors really shared.
        let hr_user = app.user("hr@demo.example.jp").await;
        let caller = app::Caller {
            actor: app::actor_for(&app.store, &hr_user).await.expect("actor"),
            email: hr_user.email.to_string(),
            ip: None,
            request_id: None,
        };
        let plan = app::cross_pairs::plan(&app.store, &caller, id, true)
            .await
            .expect("plan")
            .expect("pairable");
        let dept = |p: domain::PersonId| {
            participants
                .iter()
                .find(|x| x.person == p)
                .and_then(|x| x.department_id)
        };
        let sheets = app
            .store
            .latest_anchor_sheets_in_programme(t.id, id)
            .await
            .expect("q");
        for p in &plan.pairs {
            assert_ne!(dept(p.partner.person), dept(p.subject.person), "{p:?}");
            if let Some(a) = p.shared_anchor {
                for who in [p.partner.person, p.subject.person] {
                    let sheet = sheets.get(&who.0).expect("an inventory");
                    assert_eq!(domain::anchor::score(sheet).dominant.first(), Some(&a));
                }
            }
        }
        assert_eq!(
            plan.left_out
                .iter()
                .filter(|(_, why)| *why == app::cross_pairs::LeftOut::NoAccount)
                .count(),
            2
        );
        // Confirmed: the pairs the policy allows are made, in force, tagged, told.
        let (s, _) = hr
            .post(
                &format!("{path}/pairs"),
                &[("_csrf", &csrf), ("by_anchor", "1"), ("confirm", "1")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let made = app.store.pairs_of_programme(t.id, id).await.expect("q");
        assert_eq!(made.len(), plan.makeable());
        assert!(!made.is_empty());
        let mut subjects = std::collections::HashSet::new();
        for p in &made {
            assert_eq!(p.status, domain::pairing::PairStatus::Active);
            assert_eq!(p.kind, domain::pairing::PairKind::Cross);
            assert!(
                p.sections.is_empty(),
                "the subject chooses what the partner sees"
            );
            assert!(subjects.insert(p.subject), "nobody is a subject twice");
        }
        let first = &made[0];
        let partner = app.store.user(t.id, first.partner).await.expect("partner");
        let notices = app
            .store
            .notifications(t.id, partner.id, 50)
            .await
            .expect("q");
        assert!(
            notices.iter().any(|n| n.key == "email.pair_made"),
            "the partner is told"
        );
        // The subject sees their pair on the programme's page of マイキャリア.
        if let Some((uid, email)) = app
            .store
            .account_of_person(t.id, first.subject)
            .await
            .expect("q")
        {
            app.store
                .set_password(t.id, uid, PW)
                .await
                .expect("password");
            // Setting a password voids sessions begun up to that second.
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
            let subject = app.signed_in(&email).await;
            let (st, mine) = subject.get(&format!("/my/programmes/{id}")).await;
            assert!(
                mine.contains("data-testid=\"my-cross-pair\""),
                "{st} {mine}"
            );
        }
        // Again: nobody already paired is planned twice.
        let again = app::cross_pairs::plan(&app.store, &caller, id, true)
            .await
            .expect("plan")
            .expect("pairable");
        assert!(again.already_paired >= made.len());
        assert!(
            again
                .pairs
                .iter()
                .all(|p| !subjects.contains(&p.subject.person))
        );
        // Cancelling the programme ends the pairs it made.
        hr.post(&format!("{path}/cancel"), &[("_csrf", &csrf)])
            .await;
        assert!(
            app.store
                .pairs_of_programme(t.id, id)
                .await
                .expect("q")
                .iter()
                .all(|p| p.status == domain::pairing::PairStatus::Ended)
        );
    }
);
