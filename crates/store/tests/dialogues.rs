//! Dialogue storage, each test on SQLite and PostgreSQL: sealed texts at rest, note
//! revisions, closed dialogues, carry-over between dialogues of a pair, consent events,
//! series, key rotation and tenant isolation.

use chrono::{Duration, NaiveDate, Utc};
use domain::dialogue::{
    Cadence, CarryOver, DialogueKind, DialogueState, Visibility, WantedResponse,
};
use domain::{EmailAddress, PersonId, Role, TenantSlug, UserId};
use store::crypto::NoteKeys;
use store::dialogues::{NewDialogue, NoteEdit, NoteInput, consent_in_force};
use store::people::{NewDepartment, NewPerson, OrgLoad};
use store::users::NewUser;
use store::{Store, TenantId, db_test};

struct World {
    t: TenantId,
    subject: PersonId,
    consultant: UserId,
    other_consultant: UserId,
}

fn person(number: &str, manager: Option<&str>) -> NewPerson {
    NewPerson {
        employee_number: number.into(),
        name: format!("社員{number}"),
        name_kana: "シャイン".into(),
        email: None,
        birth_date: NaiveDate::from_ymd_opt(1976, 6, 1),
        hire_date: NaiveDate::from_ymd_opt(2000, 4, 1),
        department_code: Some("D1".into()),
        title: String::new(),
        grade: "G3".into(),
        manager_number: manager.map(Into::into),
        status: domain::PersonStatus::Active,
    }
}

async fn world(s: &Store, slug: &str) -> World {
    let t = s
        .create_tenant(&TenantSlug::parse(slug).expect("slug"), "テスト株式会社")
        .await
        .expect("tenant")
        .id;
    s.load_org(
        t,
        &OrgLoad {
            departments: vec![NewDepartment {
                code: "D1".into(),
                name: "営業部".into(),
                parent_code: None,
            }],
            people: vec![person("E1", None), person("E2", Some("E1"))],
            ratings: vec![],
        },
        &|_| {},
    )
    .await
    .expect("org");
    let subject = PersonId(s.person_by_number(t, "E2").await.expect("q").expect("p").id);
    let mut users = Vec::new();
    for email in ["c1@example.jp", "c2@example.jp"] {
        users.push(
            s.create_user(
                t,
                NewUser {
                    email: EmailAddress::parse(email).expect("email"),
                    name: "相談員".into(),
                    roles: vec![Role::Consultant],
                    person_id: None,
                    password: None,
                },
            )
            .await
            .expect("user")
            .id,
        );
    }
    World {
        t,
        subject,
        consultant: users[0],
        other_consultant: users[1],
    }
}

fn booking(w: &World, facilitator: UserId, days_from_now: i64) -> NewDialogue {
    NewDialogue {
        kind: DialogueKind::CareerInterview,
        subject: w.subject,
        facilitator,
        duration_minutes: 60,
        place: "会議室A".into(),
        created_by: facilitator,
        starts: vec![Utc::now() + Duration::days(days_from_now)],
        cadence: None,
    }
}

fn note(v: Visibility, carry: CarryOver, body: &str) -> NoteInput {
    NoteInput {
        visibility: v,
        carry_over: carry,
        question_category: None,
        body: body.into(),
    }
}

/// Every text column of the dialogue tables, read straight from the database.
async fn raw_texts(url: &str) -> String {
    let q = "SELECT body FROM dialogue_notes UNION ALL SELECT body FROM dialogue_topics \
             UNION ALL SELECT withheld FROM dialogue_consents \
             UNION ALL SELECT body FROM dialogue_note_revisions";
    let rows: Vec<(String,)> = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query_as(q).fetch_all(&pool).await.expect("raw")
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("pg");
        sqlx::query_as(q).fetch_all(&pool).await.expect("raw")
    };
    rows.into_iter()
        .map(|(s,)| s)
        .collect::<Vec<_>>()
        .join("\n")
}

db_test!(
    note_texts_topics_and_withheld_topics_are_sealed_at_rest,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let id = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("book")[0];
        let d = s.dialogue(w.t, id).await.expect("q").expect("d");
        s.add_note(
            w.t,
            &d,
            w.consultant,
            &note(Visibility::Private, CarryOver::None, "転職を考えている"),
        )
        .await
        .expect("note");
        s.add_topic(
            w.t,
            id,
            UserId(99),
            WantedResponse::JustListen,
            "介護の不安",
        )
        .await
        .expect("topic");
        s.record_consent(
            w.t,
            id,
            domain::dialogue::ConsentChange::Given,
            "家庭の事情",
            w.consultant,
        )
        .await
        .expect("consent");
        let raw = raw_texts(&db.url).await;
        for secret in ["転職", "介護", "家庭"] {
            assert!(!raw.contains(secret), "{secret} stored in clear: {raw}");
        }
        assert_eq!(
            s.notes_of(w.t, id).await.expect("notes")[0].body,
            "転職を考えている"
        );
        assert_eq!(
            s.topics_of(w.t, id).await.expect("topics")[0].body,
            "介護の不安"
        );
        // A store without the key cannot read them, and says so.
        let keyless = Store::connect(&db.url).await.expect("connect");
        assert!(keyless.notes_of(w.t, id).await.is_err());
    }
);

db_test!(
    notes_are_edited_with_history_until_the_dialogue_closes_then_only_appended,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let id = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("book")[0];
        let d = s.dialogue(w.t, id).await.expect("q").expect("d");
        let n = s
            .add_note(
                w.t,
                &d,
                w.consultant,
                &note(Visibility::Shared, CarryOver::None, "最初の記録"),
            )
            .await
            .expect("note");
        let edited = note(Visibility::Shared, CarryOver::NextTime, "直した記録");
        assert_eq!(
            s.edit_note(w.t, n, w.consultant, 1, &edited)
                .await
                .expect("edit"),
            NoteEdit::Saved { revision: 2 }
        );
        // A second tab still on revision 1 is told, and nothing is overwritten.
        assert_eq!(
            s.edit_note(
                w.t,
                n,
                w.consultant,
                1,
                &note(Visibility::Private, CarryOver::None, "古いタブ")
            )
            .await
            .expect("edit"),
            NoteEdit::Stale { latest: 2 }
        );
        assert_eq!(
            s.edit_note(w.t, n, w.other_consultant, 2, &edited)
                .await
                .expect("edit"),
            NoteEdit::NotAuthor
        );
        let now = s.note(w.t, n).await.expect("q").expect("n");
        assert_eq!((now.body.as_str(), now.revision), ("直した記録", 2));
        let history = s.note_history(w.t, &now).await.expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].body, "最初の記録");

        assert!(
            s.close_dialogue(w.t, id, DialogueState::Held)
                .await
                .expect("close")
        );
        assert!(
            !s.close_dialogue(w.t, id, DialogueState::Cancelled)
                .await
                .expect("again")
        );
        assert_eq!(
            s.edit_note(
                w.t,
                n,
                w.consultant,
                2,
                &note(Visibility::Private, CarryOver::None, "後から")
            )
            .await
            .expect("edit"),
            NoteEdit::Closed
        );
        let closed = s.dialogue(w.t, id).await.expect("q").expect("d");
        assert!(closed.is_closed() && closed.closed_at.is_some());
        let addendum = s
            .add_note(
                w.t,
                &closed,
                w.consultant,
                &note(Visibility::Shared, CarryOver::None, "追記"),
            )
            .await
            .expect("addendum");
        let notes = s.notes_of(w.t, id).await.expect("notes");
        assert_eq!(notes.len(), 2);
        assert!(notes.iter().any(|x| x.id == addendum && x.after_close));
        assert_eq!(notes[0].body, "直した記録");
    }
);

db_test!(
    what_was_heard_carries_over_to_the_next_dialogue_of_the_same_pair_only,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let first = s
            .create_dialogues(w.t, &booking(&w, w.consultant, -30))
            .await
            .expect("b")[0];
        let second = s
            .create_dialogues(w.t, &booking(&w, w.consultant, -10))
            .await
            .expect("b")[0];
        let next = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 5))
            .await
            .expect("b")[0];
        let others = s
            .create_dialogues(w.t, &booking(&w, w.other_consultant, -5))
            .await
            .expect("b")[0];
        let d1 = s.dialogue(w.t, first).await.expect("q").expect("d");
        let d2 = s.dialogue(w.t, second).await.expect("q").expect("d");
        let dx = s.dialogue(w.t, others).await.expect("q").expect("d");
        let add = |d, b: &'static str, c| async move {
            s.add_note(w.t, d, w.consultant, &note(Visibility::Private, c, b))
                .await
                .expect("note");
        };
        add(
            &d1,
            "娘の受験が終わるまでは異動したくない",
            CarryOver::Remember,
        )
        .await;
        add(&d1, "前回の次回の話題", CarryOver::NextTime).await;
        add(&d2, "資格の勉強の進み具合を聞く", CarryOver::NextTime).await;
        add(&d2, "その場限りの話", CarryOver::None).await;
        s.add_note(
            w.t,
            &dx,
            w.other_consultant,
            &note(Visibility::Shared, CarryOver::Remember, "別の相談員のメモ"),
        )
        .await
        .expect("note");
        let dn = s.dialogue(w.t, next).await.expect("q").expect("d");
        let carried: Vec<String> = s
            .carried_over(w.t, &dn)
            .await
            .expect("carried")
            .into_iter()
            .map(|(_, n)| n.body)
            .collect();
        assert_eq!(
            carried,
            vec![
                "娘の受験が終わるまでは異動したくない".to_string(),
                "資格の勉強の進み具合を聞く".to_string()
            ]
        );
        // The first dialogue has nothing before it.
        assert!(s.carried_over(w.t, &d1).await.expect("c").is_empty());
    }
);

db_test!(
    consent_events_are_kept_and_the_latest_decides,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let id = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("b")[0];
        assert_eq!(
            consent_in_force(&s.consent_events(w.t, id).await.expect("e")),
            None
        );
        s.record_consent(
            w.t,
            id,
            domain::dialogue::ConsentChange::Given,
            "評価のこと",
            w.consultant,
        )
        .await
        .expect("c");
        // Recorded by the consultant: the employee has still to confirm it.
        let events = s.consent_events(w.t, id).await.expect("e");
        assert!(!events[0].by_subject);
        let c = consent_in_force(&events).expect("some");
        assert!(!c.permits_feedback() && c.awaits_confirmation());
        assert_eq!(c.withheld, "評価のこと");
        // The subject's own account confirms it (the store knows it is theirs).
        let employee = s
            .create_user(
                w.t,
                NewUser {
                    email: EmailAddress::parse("e2@example.jp").expect("email"),
                    name: "社員E2".into(),
                    roles: vec![Role::Employee],
                    person_id: Some(w.subject),
                    password: None,
                },
            )
            .await
            .expect("user")
            .id;
        s.record_consent(
            w.t,
            id,
            domain::dialogue::ConsentChange::Confirmed,
            "",
            employee,
        )
        .await
        .expect("c");
        let events = s.consent_events(w.t, id).await.expect("e");
        assert!(events[1].by_subject);
        let c = consent_in_force(&events).expect("some");
        assert!(c.permits_feedback());
        assert_eq!(
            c.withheld, "評価のこと",
            "confirming keeps what was recorded"
        );
        s.record_consent(
            w.t,
            id,
            domain::dialogue::ConsentChange::Withdrawn,
            "",
            w.consultant,
        )
        .await
        .expect("c");
        let events = s.consent_events(w.t, id).await.expect("e");
        assert_eq!(events.len(), 3);
        let c = consent_in_force(&events).expect("some");
        assert!(!c.permits_feedback() && c.withdrawn);
        // The history cannot be rewritten.
        let sql = "DELETE FROM dialogue_consents";
        let refused = if db.url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&db.url).await.expect("sqlite");
            sqlx::query(sql).execute(&pool).await.is_err()
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.expect("pg");
            sqlx::query(sql).execute(&pool).await.is_err()
        };
        assert!(refused, "consent history must be append-only");
    }
);

db_test!(a_series_books_one_dialogue_per_meeting, |db| async move {
    let s = &db.store;
    let w = world(s, "acme").await;
    let first = Utc::now() + Duration::days(1);
    let starts = Cadence::Biweekly
        .occurrences(first.naive_utc(), 4)
        .into_iter()
        .map(|n| n.and_utc())
        .collect();
    let ids = s
        .create_dialogues(
            w.t,
            &NewDialogue {
                kind: DialogueKind::OneOnOne,
                cadence: Some(Cadence::Biweekly),
                starts,
                ..booking(&w, w.consultant, 1)
            },
        )
        .await
        .expect("series");
    assert_eq!(ids.len(), 4);
    let all = s
        .dialogues_facilitated_by(w.t, w.consultant)
        .await
        .expect("q");
    assert_eq!(all.len(), 4);
    let series = all[0].series_id.expect("series id");
    assert!(all.iter().all(|d| d.series_id == Some(series)));
    assert_eq!(all[1].starts_at - all[0].starts_at, Duration::weeks(2));
    let overlapping = s
        .bookings_between(
            w.t,
            w.consultant,
            all[0].starts_at - Duration::hours(1),
            all[0].starts_at + Duration::hours(1),
        )
        .await
        .expect("q");
    assert_eq!(overlapping.len(), 1);
});

db_test!(
    rekeying_seals_every_text_under_the_new_key,
    |db| async move {
        let w = world(&db.store, "acme").await;
        let s = &db.store;
        let id = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("b")[0];
        let d = s.dialogue(w.t, id).await.expect("q").expect("d");
        let n = s
            .add_note(
                w.t,
                &d,
                w.consultant,
                &note(Visibility::Shared, CarryOver::None, "一回目"),
            )
            .await
            .expect("note");
        s.edit_note(
            w.t,
            n,
            w.consultant,
            1,
            &note(Visibility::Shared, CarryOver::None, "二回目"),
        )
        .await
        .expect("edit");
        s.add_topic(w.t, id, UserId(1), WantedResponse::Advice, "相談したいこと")
            .await
            .expect("topic");
        s.record_consent(
            w.t,
            id,
            domain::dialogue::ConsentChange::Given,
            "",
            w.consultant,
        )
        .await
        .expect("c");
        s.reflect_on_dialogue(w.t, id, 4, "話せてよかった")
            .await
            .expect("r");
        let new_key = NoteKeys::generate();
        let rotated = Store::connect(&db.url)
            .await
            .expect("connect")
            .with_note_keys(
                NoteKeys::parse(&new_key, &[store::testing::TEST_NOTE_KEY.into()]).expect("keys"),
            );
        assert_eq!(rotated.rekey_notes().await.expect("rekey"), 5);
        assert_eq!(rotated.rekey_notes().await.expect("again"), 0);
        // Only the new key is needed from now on.
        let only_new = Store::connect(&db.url)
            .await
            .expect("connect")
            .with_note_keys(NoteKeys::parse(&new_key, &[]).expect("key"));
        let n = only_new.note(w.t, n).await.expect("q").expect("n");
        assert_eq!(n.body, "二回目");
        assert_eq!(
            only_new.note_history(w.t, &n).await.expect("h")[0].body,
            "一回目"
        );
        assert_eq!(
            only_new
                .dialogue(w.t, id)
                .await
                .expect("q")
                .expect("d")
                .subject_reflection
                .as_deref(),
            Some("話せてよかった")
        );
        assert_eq!(
            only_new.topics_of(w.t, id).await.expect("t")[0].body,
            "相談したいこと"
        );
    }
);

db_test!(
    dialogues_and_assignments_never_cross_tenants,
    |db| async move {
        let s = &db.store;
        let a = world(s, "acme").await;
        let b = world(s, "other").await;
        let id = s
            .create_dialogues(a.t, &booking(&a, a.consultant, 1))
            .await
            .expect("b")[0];
        assert!(s.dialogue(a.t, id).await.expect("q").is_some());
        assert!(s.dialogue(b.t, id).await.expect("q").is_none());
        assert!(s.notes_of(b.t, id).await.expect("q").is_empty());
        s.assign_consultant(a.t, a.consultant, a.subject, a.consultant)
            .await
            .expect("assign");
        assert!(matches!(
            s.assign_consultant(a.t, a.consultant, a.subject, a.consultant)
                .await,
            Err(store::StoreError::Conflict(_))
        ));
        assert!(
            s.is_assigned(a.t, a.consultant, a.subject)
                .await
                .expect("q")
        );
        assert!(
            !s.is_assigned(b.t, a.consultant, a.subject)
                .await
                .expect("q")
        );
        assert_eq!(
            s.assigned_people(a.t, a.consultant).await.expect("q").len(),
            1
        );
        assert!(
            s.assigned_people(b.t, a.consultant)
                .await
                .expect("q")
                .is_empty()
        );
        assert_eq!(s.assignments(a.t).await.expect("q").len(), 1);
        assert!(
            s.unassign_consultant(a.t, a.consultant, a.subject)
                .await
                .expect("q")
        );
        assert!(
            !s.is_assigned(a.t, a.consultant, a.subject)
                .await
                .expect("q")
        );
    }
);

fn commitment(action: &str) -> (domain::commitment::Input, domain::commitment::Check) {
    let input = domain::commitment::parse_input(action, "2026-12-01", "", "", "", "", "")
        .expect("valid commitment");
    let check = domain::commitment::check(action);
    (input, check)
}

db_test!(
    a_confirmed_commitment_changes_only_as_a_new_version_to_confirm_again,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let d = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("b")[0];
        let (input, check) = commitment("来月から簿記の勉強をします");
        let id = s
            .add_commitment(w.t, d, w.subject, w.consultant, &input, &check)
            .await
            .expect("add");
        let c = s.commitment(w.t, id).await.expect("q").expect("c");
        assert!(
            c.objective && c.has_start && !c.counts(),
            "unconfirmed does not count"
        );
        // Unconfirmed: changed in place.
        let (input2, check2) = commitment("来月から毎朝簿記の勉強をします");
        assert_eq!(
            s.edit_commitment(w.t, id, w.consultant, &input2, &check2)
                .await
                .expect("edit"),
            store::commitments::CommitmentEdit::Changed
        );
        assert!(
            !s.confirm_commitment(w.t, id, PersonId(w.subject.0 + 999))
                .await
                .expect("q")
        );
        assert!(
            s.confirm_commitment(w.t, id, w.subject)
                .await
                .expect("confirm")
        );
        assert!(
            !s.confirm_commitment(w.t, id, w.subject)
                .await
                .expect("twice")
        );
        assert!(s.commitment(w.t, id).await.expect("q").expect("c").counts());
        // Confirmed: a new version that must be confirmed again.
        let (input3, check3) = commitment("来月から毎朝30分、簿記の勉強をします");
        let store::commitments::CommitmentEdit::NewVersion { id: v2 } = s
            .edit_commitment(w.t, id, w.consultant, &input3, &check3)
            .await
            .expect("edit")
        else {
            panic!("a confirmed commitment must get a new version");
        };
        let current = s.commitments_of(w.t, d).await.expect("q");
        assert_eq!(current.len(), 1);
        assert_eq!((current[0].id, current[0].version), (v2, 2));
        assert!(current[0].confirmed_at.is_none() && !current[0].counts());
        assert_eq!(
            current[0].content.action,
            "来月から毎朝30分、簿記の勉強をします"
        );
        assert!(
            s.commitment(w.t, id).await.expect("q").is_none(),
            "the old one is replaced"
        );
        // Sealed at rest.
        let raw: Vec<(String,)> = if db.url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&db.url).await.expect("sqlite");
            sqlx::query_as("SELECT content FROM commitments")
                .fetch_all(&pool)
                .await
                .expect("raw")
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.expect("pg");
            sqlx::query_as("SELECT content FROM commitments")
                .fetch_all(&pool)
                .await
                .expect("raw")
        };
        assert_eq!(raw.len(), 2, "both versions kept");
        assert!(raw.iter().all(|(c,)| !c.contains("簿記")));
        // A milestone interview closes with its outcome, once.
        assert!(
            s.close_with_outcome(w.t, d, domain::commitment::MilestoneOutcome::Committed)
                .await
                .expect("close")
        );
        assert!(
            !s.close_with_outcome(w.t, d, domain::commitment::MilestoneOutcome::Continued)
                .await
                .expect("again")
        );
        let closed = s.dialogue(w.t, d).await.expect("q").expect("d");
        assert_eq!(
            closed.outcome,
            Some(domain::commitment::MilestoneOutcome::Committed)
        );
        assert_eq!(closed.state, DialogueState::Held);
    }
);

db_test!(
    a_report_is_drafted_sent_once_and_then_never_changes,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let d = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("b")[0];
        let parts = |t: &str| domain::feedback::Parts {
            motivation: t.into(),
            ..Default::default()
        };
        assert!(
            s.save_report_draft(w.t, d, w.subject, w.consultant, &parts("下書き1"))
                .await
                .expect("draft")
        );
        assert!(
            s.save_report_draft(
                w.t,
                d,
                w.subject,
                w.consultant,
                &parts("育成の役割で力を発揮")
            )
            .await
            .expect("draft")
        );
        let r = s.report_of_dialogue(w.t, d).await.expect("q").expect("r");
        assert_eq!(r.parts.motivation, "育成の役割で力を発揮");
        let manager = PersonId(
            s.person_by_number(w.t, "E1")
                .await
                .expect("q")
                .expect("p")
                .id,
        );
        assert!(s.send_report(w.t, r.id, manager, &[]).await.expect("send"));
        assert!(
            !s.send_report(w.t, r.id, manager, &[]).await.expect("twice"),
            "sent once"
        );
        assert!(
            !s.save_report_draft(w.t, d, w.subject, w.consultant, &parts("送信後の変更"))
                .await
                .expect("q")
        );
        assert_eq!(
            s.report(w.t, r.id)
                .await
                .expect("q")
                .expect("r")
                .parts
                .motivation,
            "育成の役割で力を発揮"
        );
        assert_eq!(s.reports_to(w.t, manager).await.expect("q").len(), 1);
        s.acknowledge_report(w.t, r.id, Some("週1回、後輩指導の時間を確保した"))
            .await
            .expect("ack");
        let r = s.report(w.t, r.id).await.expect("q").expect("r");
        assert!(r.acknowledged_at.is_some());
        assert_eq!(
            r.support.as_deref(),
            Some("週1回、後輩指導の時間を確保した")
        );
        let raw: Vec<(String,)> = if db.url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&db.url).await.expect("sqlite");
            sqlx::query_as("SELECT content FROM feedback_reports")
                .fetch_all(&pool)
                .await
                .expect("raw")
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.expect("pg");
            sqlx::query_as("SELECT content FROM feedback_reports")
                .fetch_all(&pool)
                .await
                .expect("raw")
        };
        assert!(!raw[0].0.contains("育成"), "sealed at rest");
    }
);

// ---- The job queue and the follow-up sweep's marks ----

fn email_job(t: TenantId, key: &str, now: chrono::DateTime<Utc>) -> store::jobs::NewJob {
    store::jobs::NewJob::email(
        t,
        key.into(),
        &store::jobs::EmailPayload {
            to: "a@example.jp".into(),
            subject: "件名".into(),
            body: "本文".into(),
            notice: None,
            languages: Vec::new(),
            calendar: None,
            credential: false,
        },
        now,
    )
    .expect("job")
}

db_test!(
    a_job_key_is_enqueued_once_and_a_failing_job_backs_off_then_fails,
    |db| async move {
        use store::jobs::{EMAIL, JobState, backoff};
        let s = &db.store;
        let w = world(s, "acme").await;
        // PostgreSQL keeps microseconds.
        let now = chrono::DurationRound::duration_trunc(Utc::now(), Duration::microseconds(1))
            .expect("trunc");
        let job = email_job(w.t, "email:test:1", now);
        assert_eq!(
            s.enqueue_jobs(std::slice::from_ref(&job), now)
                .await
                .expect("enqueue"),
            1
        );
        assert_eq!(
            s.enqueue_jobs(std::slice::from_ref(&job), now)
                .await
                .expect("again"),
            0,
            "the same key again changes nothing"
        );
        // Not yet due a second before its time.
        assert!(
            s.claim_jobs(
                &[EMAIL],
                now - Duration::seconds(1),
                Duration::minutes(5),
                10
            )
            .await
            .expect("claim")
            .is_empty()
        );
        let lease = Duration::minutes(5);
        let mut claimed = s.claim_jobs(&[EMAIL], now, lease, 10).await.expect("claim");
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].attempts, 1);
        assert!(
            s.claim_jobs(&[EMAIL], now, lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "a running job is not claimed twice"
        );
        let mut at = now;
        for attempt in 1..=store::jobs::EMAIL_ATTEMPTS {
            let j = claimed.pop().expect("claimed");
            assert_eq!(j.attempts, attempt);
            let state = s
                .fail_job(&j, at, "connection refused", false)
                .await
                .expect("fail");
            let st = s
                .job_status(w.t, "email:test:1")
                .await
                .expect("q")
                .expect("s");
            assert_eq!(st.last_error.as_deref(), Some("connection refused"));
            if attempt < store::jobs::EMAIL_ATTEMPTS {
                assert_eq!(state, JobState::Queued);
                assert_eq!(st.run_at, at + backoff(attempt));
                // Waits for its back-off.
                assert!(
                    s.claim_jobs(
                        &[EMAIL],
                        at + backoff(attempt) - Duration::seconds(1),
                        lease,
                        10
                    )
                    .await
                    .expect("claim")
                    .is_empty()
                );
                at += backoff(attempt);
                claimed = s.claim_jobs(&[EMAIL], at, lease, 10).await.expect("claim");
            } else {
                assert_eq!(state, JobState::Failed);
            }
        }
        let counts = s.queue_counts(w.t, EMAIL).await.expect("counts");
        assert_eq!((counts.failed, counts.queued, counts.retrying), (1, 0, 0));
        assert!(
            s.claim_jobs(&[EMAIL], at + Duration::days(30), lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "a failed job is never claimed again"
        );
    }
);

db_test!(
    concurrent_workers_never_claim_the_same_job,
    |db| async move {
        use store::jobs::EMAIL;
        let s = &db.store;
        let w = world(s, "acme").await;
        let now = Utc::now();
        let jobs: Vec<_> = (0..60)
            .map(|i| email_job(w.t, &format!("email:many:{i}"), now))
            .collect();
        s.enqueue_jobs(&jobs, now).await.expect("enqueue");
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let got = s
                            .claim_jobs(&[EMAIL], now, Duration::minutes(5), 3)
                            .await
                            .expect("claim");
                        if got.is_empty() {
                            break mine;
                        }
                        for j in got {
                            s.finish_job(j.id, now).await.expect("finish");
                            mine.push(j.id);
                        }
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in workers {
            all.extend(h.await.expect("worker"));
        }
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!((n, all.len()), (60, 60), "each job exactly once");
        assert_eq!(s.queue_counts(w.t, EMAIL).await.expect("c").done, 60);
    }
);

db_test!(
    a_job_whose_worker_died_is_claimed_again_after_its_lease,
    |db| async move {
        use store::jobs::EMAIL;
        let s = &db.store;
        let w = world(s, "acme").await;
        let now = Utc::now();
        s.enqueue_jobs(&[email_job(w.t, "email:lost", now)], now)
            .await
            .expect("enqueue");
        let lease = Duration::minutes(5);
        assert_eq!(
            s.claim_jobs(&[EMAIL], now, lease, 1)
                .await
                .expect("c")
                .len(),
            1
        );
        assert!(
            s.claim_jobs(&[EMAIL], now + Duration::minutes(4), lease, 1)
                .await
                .expect("c")
                .is_empty()
        );
        let again = s
            .claim_jobs(&[EMAIL], now + Duration::minutes(6), lease, 1)
            .await
            .expect("c");
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].attempts, 2);
        assert!(
            s.claim_jobs(&["other_kind"], now + Duration::hours(1), lease, 1)
                .await
                .expect("c")
                .is_empty(),
            "only the kinds asked for"
        );
    }
);

db_test!(
    a_check_in_is_due_from_start_plus_grace_for_confirmed_commitments_and_asked_once,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let other = world(s, "other").await;
        let d = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("b")[0];
        let (input, check) = commitment("来月から簿記の勉強をします");
        let start = input.starts_on;
        let id = s
            .add_commitment(w.t, d, w.subject, w.consultant, &input, &check)
            .await
            .expect("add");
        let (vague, vague_check) = commitment("頑張ります");
        let vague_id = s
            .add_commitment(w.t, d, w.subject, w.consultant, &vague, &vague_check)
            .await
            .expect("add");
        assert!(
            s.due_check_ins(w.t, start).await.expect("q").is_empty(),
            "an unconfirmed commitment is not followed up"
        );
        s.confirm_commitment(w.t, id, w.subject)
            .await
            .expect("confirm");
        s.confirm_commitment(w.t, vague_id, w.subject)
            .await
            .expect("confirm");
        assert!(
            s.due_check_ins(w.t, start - Duration::days(1))
                .await
                .expect("q")
                .is_empty(),
            "not before the start (plus grace)"
        );
        let due = s.due_check_ins(w.t, start).await.expect("q");
        assert_eq!(
            due.len(),
            1,
            "only the commitment that passes the checks: {due:?}"
        );
        assert_eq!(
            (due[0].commitment_id, due[0].facilitator_user_id),
            (id, w.consultant.0)
        );
        assert!(
            s.due_check_ins(other.t, start).await.expect("q").is_empty(),
            "tenant scoped"
        );
        let now = Utc::now();
        let emails = [email_job(w.t, &format!("email:check_in:{id}:1"), now)];
        assert!(s.ask_check_in(w.t, id, &emails, now).await.expect("ask"));
        assert!(
            !s.ask_check_in(w.t, id, &emails, now)
                .await
                .expect("ask again"),
            "a second process asking finds it done"
        );
        assert_eq!(
            s.queue_counts(w.t, store::jobs::EMAIL)
                .await
                .expect("c")
                .queued,
            1
        );
        assert!(s.check_in_asked_at(w.t, id).await.expect("q").is_some());
        assert!(
            s.due_check_ins(w.t, start + Duration::days(30))
                .await
                .expect("q")
                .is_empty()
        );
    }
);

db_test!(
    a_dialogue_is_reminded_once_within_the_window_before_it,
    |db| async move {
        let s = &db.store;
        let w = world(s, "acme").await;
        let d = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 2))
            .await
            .expect("b")[0];
        let now = Utc::now();
        assert!(
            s.due_reminders(w.t, now, now + Duration::hours(24))
                .await
                .expect("q")
                .is_empty(),
            "two days ahead is outside a 24-hour window"
        );
        let due = s
            .due_reminders(w.t, now, now + Duration::hours(49))
            .await
            .expect("q");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].dialogue_id, d);
        let emails = [email_job(w.t, &format!("email:reminder:{d}:1"), now)];
        assert!(s.send_reminders(w.t, d, &emails, now).await.expect("send"));
        assert!(!s.send_reminders(w.t, d, &emails, now).await.expect("again"));
        assert!(
            s.due_reminders(w.t, now, now + Duration::hours(49))
                .await
                .expect("q")
                .is_empty()
        );
    }
);

// ---- Role-model stories ----

db_test!(
    a_story_is_published_only_by_its_colleagues_consent_and_a_stale_answer_changes_nothing,
    |db| async move {
        use domain::role_model::{Consent, parse_story};
        let s = &db.store;
        let w = world(s, "acme").await;
        let other = world(s, "other").await;
        let input = parse_story(
            "公募に二度落ちて",
            "準備で身につけた分析が、今の企画の仕事に生きています。",
            "pure_challenge",
            &["internal_move"],
            "failed_but_gained",
        )
        .expect("story");
        let id = s
            .add_story(w.t, w.subject, w.consultant, &input)
            .await
            .expect("add");
        let story = s.story(w.t, id).await.expect("q").expect("story");
        assert_eq!(story.consent, Consent::Pending);
        assert_eq!(story.themes, input.themes);
        assert_eq!(story.subject_name, "社員E2");
        assert!(s.published_stories(w.t).await.expect("q").is_empty());
        assert!(
            s.story(other.t, id).await.expect("q").is_none(),
            "tenant scoped"
        );
        assert!(
            s.set_story_consent(w.t, id, Consent::Pending, Consent::Given, true)
                .await
                .expect("consent")
        );
        assert!(
            !s.set_story_consent(w.t, id, Consent::Pending, Consent::Refused, false)
                .await
                .expect("stale"),
            "an answer from a stale page changes nothing"
        );
        let published = s.published_stories(w.t).await.expect("q");
        assert_eq!(published.len(), 1);
        assert!(published[0].show_name);
        assert!(s.published_stories(other.t).await.expect("q").is_empty());
        s.set_story_consent(w.t, id, Consent::Given, Consent::Withdrawn, true)
            .await
            .expect("withdraw");
        assert!(s.published_stories(w.t).await.expect("q").is_empty());
        let mine = s.stories_about(w.t, w.subject).await.expect("q");
        assert_eq!((mine.len(), mine[0].show_name), (1, false));
        assert_eq!(
            s.stories_written_by(w.t, w.consultant)
                .await
                .expect("q")
                .len(),
            1
        );
    }
);

db_test!(
    every_take_of_the_anchor_inventory_is_kept_newest_first,
    |db| async move {
        use domain::anchor::{AnswerSheet, score};
        let s = &db.store;
        let w = world(s, "acme").await;
        let other = world(s, "other").await;
        let sheet = |r: u8, picks: [usize; 3]| AnswerSheet {
            ratings: vec![r; 40],
            picks: picks.to_vec(),
        };
        let first = Utc::now() - Duration::days(400);
        s.save_anchor_result(w.t, w.subject, &sheet(3, [1, 2, 3]), first)
            .await
            .expect("save");
        s.save_anchor_result(w.t, w.subject, &sheet(5, [8, 16, 24]), Utc::now())
            .await
            .expect("save");
        let takes = s.anchor_results_of(w.t, w.subject).await.expect("q");
        assert_eq!(takes.len(), 2);
        assert_eq!(takes[0].sheet, sheet(5, [8, 16, 24]));
        assert_eq!(
            score(&takes[0].sheet).dominant,
            vec![domain::anchor::Anchor::Lifestyle]
        );
        assert!(
            s.anchor_results_of(other.t, w.subject)
                .await
                .expect("q")
                .is_empty(),
            "tenant scoped"
        );
    }
);

// 64 writers at once on SQLite and PostgreSQL, each on several write paths that read
// before they write (career sheet saves, note edits) and that only write (notes,
// consent, check-ins): no error, and every write is there afterwards.
db_test!(
    sixty_four_concurrent_writers_all_succeed_and_nothing_is_lost,
    |db| async move {
        use domain::career_sheet::{CareerSheet, EntryInput, Section};
        use domain::commitment::Status;
        use store::career_sheets::SaveOutcome;
        const WRITERS: usize = 64;
        const SAVES: usize = 3;
        let s = db.store.clone();
        let w = world(&s, "acme").await;
        let d = s
            .create_dialogues(w.t, &booking(&w, w.consultant, 1))
            .await
            .expect("book")[0];
        let dialogue = s.dialogue(w.t, d).await.expect("q").expect("d");
        let (input, check) = commitment("来月から簿記の勉強をします");
        let c = s
            .add_commitment(w.t, d, w.subject, w.consultant, &input, &check)
            .await
            .expect("add");
        let first_note = s
            .add_note(
                w.t,
                &dialogue,
                w.consultant,
                &note(Visibility::Private, CarryOver::None, "最初のメモ"),
            )
            .await
            .expect("note");
        let sheet = |text: String| {
            CareerSheet::parse(
                |sec| EntryInput {
                    text: if sec == Section::Vision {
                        text.clone()
                    } else {
                        String::new()
                    },
                    private: false,
                },
                "",
            )
            .expect("sheet")
        };
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..WRITERS {
            let s = s.clone();
            let dialogue = dialogue.clone();
            let (t, subject, consultant) = (w.t, w.subject, w.consultant);
            tasks.spawn(async move {
                // Career sheet: every writer saves on top of the latest version until
                // each of its saves lands (a stale base is an answer, not an error).
                let mut saved = 0;
                while saved < SAVES {
                    let base = s
                        .latest_career_sheet(t, subject)
                        .await?
                        .map(|v| v.version)
                        .unwrap_or(0);
                    match s
                        .save_career_sheet(
                            t,
                            subject,
                            consultant,
                            base,
                            &sheet(format!("{i}-{saved}")),
                        )
                        .await?
                    {
                        SaveOutcome::Saved { .. } => saved += 1,
                        SaveOutcome::Stale { .. } => {}
                    }
                }
                s.add_note(
                    t,
                    &dialogue,
                    consultant,
                    &note(Visibility::Shared, CarryOver::None, &format!("書き手{i}")),
                )
                .await?;
                // A note edit reads the current revision, then writes the next one.
                loop {
                    let n = s.note(t, first_note).await?.expect("note");
                    let edit = note(Visibility::Private, CarryOver::None, &format!("編集{i}"));
                    match s
                        .edit_note(t, first_note, consultant, n.revision, &edit)
                        .await?
                    {
                        NoteEdit::Saved { .. } => break,
                        NoteEdit::Stale { .. } => {}
                        other => panic!("{other:?}"),
                    }
                }
                s.record_consent(
                    t,
                    dialogue.id,
                    domain::dialogue::ConsentChange::Given,
                    &format!("話題{i}"),
                    consultant,
                )
                .await?;
                assert!(s.set_commitment_status(t, c, Status::Started, "").await?);
                Ok::<(), store::StoreError>(())
            });
        }
        let mut errors = Vec::new();
        while let Some(r) = tasks.join_next().await {
            if let Err(e) = r.expect("task") {
                errors.push(e.to_string());
            }
        }
        assert!(errors.is_empty(), "{} errors: {errors:?}", errors.len());
        let versions = s.career_sheet_versions(w.t, w.subject).await.expect("q");
        assert_eq!(versions.len(), WRITERS * SAVES);
        let notes = s.notes_of(w.t, d).await.expect("q");
        assert_eq!(notes.len(), WRITERS + 1);
        let first = s.note(w.t, first_note).await.expect("q").expect("n");
        assert_eq!(first.revision, WRITERS as i64 + 1, "every edit kept");
        assert_eq!(
            s.note_history(w.t, &first).await.expect("q").len(),
            WRITERS,
            "every earlier wording kept"
        );
        assert_eq!(s.consent_events(w.t, d).await.expect("q").len(), WRITERS);
    }
);
