//! Programme storage on both engines: the cohort frozen at launch, late joiners, the
//! instructor double-booking check, placements that keep hand-made overrides, and the
//! facts the funnel is computed from.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::calendar::{AgeRule, FiscalCalendar, FiscalYear};
use domain::dialogue::DialogueKind;
use domain::programme::{CohortRule, Funnel, Stage, Template};
use domain::training::Style;
use domain::{EmailAddress, PersonId, Role, TenantSlug};
use store::dialogues::NewDialogue;
use store::people::{NewDepartment, NewPerson, OrgLoad};
use store::programmes::{NewProgramme, NewSession};
use store::users::NewUser;
use store::{Store, StoreError, db_test};

fn person(number: &str, birth: (i32, u32, u32), dept: &str) -> NewPerson {
    NewPerson {
        employee_number: number.into(),
        name: format!("社員{number}"),
        name_kana: "シャイン".into(),
        email: None,
        birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2),
        hire_date: NaiveDate::from_ymd_opt(2000, 4, 1),
        department_code: Some(dept.into()),
        title: String::new(),
        grade: "G3".into(),
        manager_number: None,
        status: domain::PersonStatus::Active,
    }
}

fn cal() -> FiscalCalendar {
    FiscalCalendar::new(4, AgeRule::Legal).expect("cal")
}

fn fifty() -> NewProgramme {
    NewProgramme {
        fiscal_year: 2026,
        name: "50歳節目研修".into(),
        template: Template::MilestoneAge,
        rule: CohortRule::parse(Template::MilestoneAge, "50", "", "", "").expect("rule"),
        mandatory: true,
        pre_learning: "研修の目的".into(),
        group_min: 4,
        group_max: 6,
    }
}

async fn org(s: &Store) -> store::TenantId {
    let t = s
        .create_tenant(&TenantSlug::parse("acme").expect("slug"), "テスト株式会社")
        .await
        .expect("tenant")
        .id;
    s.load_org(
        t,
        &OrgLoad {
            departments: vec![
                NewDepartment {
                    code: "D1".into(),
                    name: "営業本部".into(),
                    parent_code: None,
                },
                NewDepartment {
                    code: "D2".into(),
                    name: "第一課".into(),
                    parent_code: Some("D1".into()),
                },
                NewDepartment {
                    code: "D3".into(),
                    name: "管理部".into(),
                    parent_code: None,
                },
            ],
            people: vec![
                // Turned 50 on 2026-03-31: FY2025, not FY2026.
                person("E1", (1976, 4, 1), "D1"),
                person("E2", (1976, 4, 2), "D2"),
                person("E3", (1977, 4, 1), "D3"),
                person("E4", (1977, 4, 2), "D2"),
                person("E5", (1976, 12, 24), "D2"),
            ],
            ratings: vec![],
        },
        &|_| {},
    )
    .await
    .expect("org");
    t
}

async fn user(s: &Store, t: store::TenantId, email: &str, role: Role) -> domain::UserId {
    s.create_user(
        t,
        NewUser {
            email: EmailAddress::parse(email).expect("email"),
            name: format!("{email}さん"),
            roles: vec![role],
            person_id: None,
            password: None,
        },
    )
    .await
    .expect("user")
    .id
}

async fn raw(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("pg");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    }
}

db_test!(
    a_programme_freezes_its_cohort_by_the_legal_age_rule_and_refuses_an_empty_one,
    |db| async move {
        let s = &db.store;
        let t = org(s).await;
        let hr = user(s, t, "hr@example.jp", Role::Hr).await;
        let at = Utc::now();
        let (id, n) = s
            .create_programme(t, &fifty(), &cal(), hr, at)
            .await
            .expect("create")
            .expect("a cohort");
        assert_eq!(n, 3);
        let numbers = |ps: Vec<store::programmes::Participant>| {
            ps.into_iter()
                .map(|p| p.employee_number)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            numbers(s.participants(t, id).await.expect("q")),
            ["E2", "E3", "E5"]
        );
        let p = s.programme(t, id).await.expect("q").expect("p");
        assert_eq!(
            (p.fiscal_year, p.participants, p.mandatory),
            (2026, 3, true)
        );
        assert_eq!(p.rule.ages, vec![50]);
        // A unit narrows it; an unknown unit is refused.
        let unit = CohortRule::parse(Template::MilestoneAge, "50", "", "D1", "").expect("r");
        let in_unit = s
            .cohort_of(t, &unit, &cal(), FiscalYear(2026))
            .await
            .expect("q");
        assert_eq!(in_unit.len(), 2, "E2 and E5 are below 営業本部");
        let unknown = CohortRule::parse(Template::Periodic, "", "", "D9", "").expect("r");
        assert!(matches!(
            s.cohort_of(t, &unknown, &cal(), FiscalYear(2026)).await,
            Err(StoreError::NotFound)
        ));
        // Nobody turns 30: no programme.
        let empty = NewProgramme {
            rule: CohortRule::parse(Template::MilestoneAge, "30", "", "", "").expect("r"),
            ..fifty()
        };
        assert_eq!(
            s.create_programme(t, &empty, &cal(), hr, at)
                .await
                .expect("q"),
            None
        );
        assert_eq!(s.programmes(t).await.expect("q").len(), 1);
        // Late joiner, once.
        let e4 = PersonId(s.person_by_number(t, "E4").await.expect("q").expect("p").id);
        s.add_participant(t, id, e4, at).await.expect("add");
        assert!(matches!(
            s.add_participant(t, id, e4, at).await,
            Err(StoreError::Conflict(_))
        ));
        let ps = s.participants(t, id).await.expect("q");
        assert!(ps.iter().find(|p| p.person == e4).expect("in").late_joiner);
        assert_eq!(s.programmes_of_person(t, e4).await.expect("q")[0].id, id);
    }
);

db_test!(
    sessions_refuse_a_double_booked_instructor_and_placements_keep_overrides,
    |db| async move {
        let s = &db.store;
        let t = org(s).await;
        let hr = user(s, t, "hr@example.jp", Role::Hr).await;
        let teacher = user(s, t, "teacher@example.jp", Role::Instructor).await;
        let (id, _) = s
            .create_programme(t, &fifty(), &cal(), hr, Utc::now())
            .await
            .expect("create")
            .expect("cohort");
        let day = Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
            .single()
            .expect("time");
        let session = |start: chrono::DateTime<Utc>| NewSession {
            starts_at: start,
            ends_at: start + Duration::hours(7),
            place: "本社 研修室A".into(),
            capacity: 2,
            instructor: teacher,
            style: Style::Calm,
        };
        let a = s
            .add_training_session(t, id, &session(day))
            .await
            .expect("q")
            .expect("added");
        let clash = s
            .add_training_session(t, id, &session(day + Duration::hours(3)))
            .await
            .expect("q")
            .expect_err("double-booked");
        assert_eq!(clash.id, a);
        let b = s
            .add_training_session(t, id, &session(day + Duration::days(1)))
            .await
            .expect("q")
            .expect("next day is free");
        let ss = s.training_sessions(t, id).await.expect("q");
        assert_eq!(ss.len(), 2);
        assert_eq!(ss[0].instructor_name, "teacher@example.jpさん");
        assert_eq!(
            s.sessions_of_instructor(t, teacher).await.expect("q").len(),
            2
        );
        let ps = s.participants(t, id).await.expect("q");
        // HR pins the first person to session b; the button's run keeps it.
        s.pin_participant(t, id, ps[0].person, Some(b))
            .await
            .expect("pin");
        s.save_placement(
            t,
            id,
            &[
                (ps[0].person, Some(a), Some(1)),
                (ps[1].person, Some(a), Some(1)),
                (ps[2].person, None, None),
            ],
        )
        .await
        .expect("save");
        let ps = s.participants(t, id).await.expect("q");
        assert_eq!(
            (ps[0].session, ps[0].pinned, ps[0].group_no),
            (Some(b), true, Some(1))
        );
        assert_eq!((ps[1].session, ps[1].pinned), (Some(a), false));
        assert_eq!(ps[2].session, None);
        // Released back to the button.
        s.pin_participant(t, id, ps[0].person, None)
            .await
            .expect("release");
        let ps = s.participants(t, id).await.expect("q");
        assert_eq!((ps[0].session, ps[0].pinned), (None, false));
        // A session removed: its people are unplaced with it, nothing else moves.
        s.pin_participant(t, id, ps[2].person, Some(b))
            .await
            .expect("pin");
        assert!(s.remove_training_session(t, id, b).await.expect("remove"));
        assert!(!s.remove_training_session(t, id, b).await.expect("again"));
        let ps = s.participants(t, id).await.expect("q");
        assert_eq!((ps[2].session, ps[2].pinned), (None, false));
        assert_eq!(ps[1].session, Some(a), "the other session keeps its people");
        assert_eq!(s.training_sessions(t, id).await.expect("q").len(), 1);
        assert_eq!(
            s.department_name(t, "D2").await.expect("q").as_deref(),
            Some("第一課")
        );
        assert_eq!(s.department_name(t, "D9").await.expect("q"), None);
    }
);

db_test!(
    progress_counts_interviews_until_commitment_and_leaves_leavers_out_of_the_funnel,
    |db| async move {
        let s = &db.store;
        let t = org(s).await;
        let hr = user(s, t, "hr@example.jp", Role::Hr).await;
        let teacher = user(s, t, "teacher@example.jp", Role::Instructor).await;
        let consultant = user(s, t, "cc@example.jp", Role::Consultant).await;
        let (id, _) = s
            .create_programme(t, &fifty(), &cal(), hr, Utc::now())
            .await
            .expect("create")
            .expect("cohort");
        let programme = s.programme(t, id).await.expect("q").expect("p");
        let ps = s.participants(t, id).await.expect("q");
        let (e2, e3, e5) = (ps[0].person, ps[1].person, ps[2].person);
        let start = Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
            .single()
            .expect("time");
        let session = s
            .add_training_session(
                t,
                id,
                &NewSession {
                    starts_at: start,
                    ends_at: start + Duration::hours(7),
                    place: "研修室".into(),
                    capacity: 10,
                    instructor: teacher,
                    style: Style::Energetic,
                },
            )
            .await
            .expect("q")
            .expect("added");
        s.save_placement(
            t,
            id,
            &[(e2, Some(session), Some(1)), (e3, Some(session), Some(1))],
        )
        .await
        .expect("place");
        s.mark_pre_learning_done(t, id, e2, start - Duration::days(7))
            .await
            .expect("done");
        assert!(matches!(
            s.mark_pre_learning_done(t, 9999, e2, start).await,
            Err(StoreError::NotFound)
        ));
        s.save_anchor_result(
            t,
            e2,
            &domain::anchor::AnswerSheet {
                ratings: vec![3; 40],
                picks: vec![1, 2, 3],
            },
            start - Duration::days(3),
        )
        .await
        .expect("anchors");
        let latest = domain::anchor::AnswerSheet {
            ratings: vec![4; 40],
            picks: vec![4, 5, 6],
        };
        s.save_anchor_result(t, e2, &latest, start - Duration::days(2))
            .await
            .expect("retake");
        let sheets = s.latest_anchor_sheets_in_programme(t, id).await.expect("q");
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets.get(&e2.0), Some(&latest), "the latest take");
        // Two interviews for E2: the first continues, the second commits.
        let interview = |when| NewDialogue {
            kind: DialogueKind::MilestoneInterview,
            subject: e2,
            facilitator: consultant,
            duration_minutes: 60,
            place: "面談室".into(),
            created_by: consultant,
            starts: vec![when],
            cadence: None,
        };
        let d1 = s
            .create_dialogues(t, &interview(start + Duration::days(30)))
            .await
            .expect("d")[0];
        let d2 = s
            .create_dialogues(t, &interview(start + Duration::days(60)))
            .await
            .expect("d")[0];
        assert!(
            s.close_with_outcome(t, d1, domain::commitment::MilestoneOutcome::Continued)
                .await
                .expect("c")
        );
        assert!(
            s.close_with_outcome(t, d2, domain::commitment::MilestoneOutcome::Committed)
                .await
                .expect("c")
        );
        let action = "7月1日から毎週金曜に後輩向けの勉強会を開きます";
        let input = domain::commitment::parse_input(action, "2026-07-01", "", "", "", "", "")
            .expect("input");
        let c = s
            .add_commitment(
                t,
                d2,
                e2,
                consultant,
                &input,
                &domain::commitment::check(action),
            )
            .await
            .expect("commit");
        assert!(s.confirm_commitment(t, c, e2).await.expect("confirm"));
        // Before the session ends nobody is trained.
        let before = s
            .programme_progress(t, &programme, &cal(), start)
            .await
            .expect("q");
        assert!(!before[0].1.trained && before[0].1.placed);
        let after = start + Duration::days(90);
        let progress = s
            .programme_progress(t, &programme, &cal(), after)
            .await
            .expect("q");
        let p2 = progress[0].1;
        assert!(p2.pre_learning && p2.anchors && p2.trained);
        assert_eq!((p2.interviews, p2.sessions_to_commitment), (2, Some(2)));
        assert!(!p2.started, "not started yet");
        s.set_commitment_status(t, c, domain::commitment::Status::Started, "")
            .await
            .expect("started");
        // E5 leaves the company.
        raw(
            &db.url,
            &format!("UPDATE people SET status = 'left' WHERE id = {}", e5.0),
        )
        .await;
        let progress = s
            .programme_progress(t, &programme, &cal(), after)
            .await
            .expect("q");
        assert!(progress[0].1.started);
        assert!(!progress[0].1.report_sent);
        // The consultant's feedback report for the committed interview goes out.
        s.save_report_draft(t, d2, e2, consultant, &domain::feedback::Parts::default())
            .await
            .expect("draft");
        let report = s
            .report_of_dialogue(t, d2)
            .await
            .expect("q")
            .expect("report");
        assert!(s.send_report(t, report.id, e3, &[]).await.expect("send"));
        let progress = s
            .programme_progress(t, &programme, &cal(), after)
            .await
            .expect("q");
        assert!(progress[0].1.report_sent);
        assert!(progress[2].1.left && progress[2].0.person == e5);
        let funnel = Funnel::of(progress.iter().map(|(_, p)| p));
        assert_eq!(funnel.count(Stage::Targeted), 2);
        assert_eq!(funnel.left, 1);
        assert_eq!(funnel.count(Stage::Trained), 2);
        assert_eq!(funnel.count(Stage::Committed), 1);
        assert_eq!(funnel.count(Stage::Started), 1);
        assert_eq!(funnel.start_adherence(), 1.0);
    }
);
