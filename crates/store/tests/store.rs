//! Storage behaviour, each test on SQLite and PostgreSQL.

use chrono::{NaiveDate, Utc};
use domain::audit::AuditAction;
use domain::policy::Relation;
use domain::{EmailAddress, PersonId, Role, RoleSet, TenantSlug};
use store::audit::{AuditFilter, NewAuditEntry};
use store::people::{NewDepartment, NewPerson, OrgLoad};
use store::users::{NewUser, SignIn};
use store::{Store, StoreError, TenantId, db_test};

async fn tenant(store: &Store, slug: &str) -> TenantId {
    store
        .create_tenant(&TenantSlug::parse(slug).expect("slug"), "テスト株式会社")
        .await
        .expect("tenant")
        .id
}

fn person(number: &str, manager: Option<&str>, dept: &str) -> NewPerson {
    NewPerson {
        employee_number: number.into(),
        name: format!("社員{number}"),
        name_kana: "シャイン".into(),
        email: None,
        birth_date: NaiveDate::from_ymd_opt(1976, 6, 1),
        hire_date: NaiveDate::from_ymd_opt(2000, 4, 1),
        department_code: Some(dept.into()),
        title: String::new(),
        grade: "G3".into(),
        manager_number: manager.map(Into::into),
        status: domain::PersonStatus::Active,
    }
}

/// boss ← mid ← low, and an unrelated peer reporting to boss.
fn small_org() -> OrgLoad {
    OrgLoad {
        departments: vec![
            NewDepartment {
                code: "D2".into(),
                name: "第一課".into(),
                parent_code: Some("D1".into()),
            },
            NewDepartment {
                code: "D1".into(),
                name: "営業部".into(),
                parent_code: None,
            },
        ],
        // Reports listed before their managers on purpose.
        people: vec![
            person("E3", Some("E2"), "D2"),
            person("E2", Some("E1"), "D2"),
            person("E1", None, "D1"),
            person("E4", Some("E1"), "D1"),
        ],
        ratings: vec![
            ("E3".into(), 2025, "A".into()),
            ("E3".into(), 2024, "B".into()),
        ],
    }
}

async fn id_of(store: &Store, t: TenantId, number: &str) -> PersonId {
    PersonId(
        store
            .person_by_number(t, number)
            .await
            .expect("query")
            .expect("exists")
            .id,
    )
}

db_test!(migrations_are_idempotent, |db| async move {
    let again = store::migrations::run(&db.store).await.expect("second run");
    assert!(again.is_empty());
});

db_test!(reporting_line_decides_relation, |db| async move {
    let s = &db.store;
    let t = tenant(s, "acme").await;
    s.load_org(t, &small_org(), &|_| {}).await.expect("load");
    let (e1, e2, e3, e4) = (
        id_of(s, t, "E1").await,
        id_of(s, t, "E2").await,
        id_of(s, t, "E3").await,
        id_of(s, t, "E4").await,
    );
    assert_eq!(
        s.relation(t, Some(e1), e3).await.expect("rel"),
        Relation::InReportingLine
    );
    assert_eq!(
        s.relation(t, Some(e2), e3).await.expect("rel"),
        Relation::InReportingLine
    );
    assert_eq!(
        s.relation(t, Some(e2), e4).await.expect("rel"),
        Relation::Outside
    );
    assert_eq!(
        s.relation(t, Some(e3), e2).await.expect("rel"),
        Relation::Outside
    );
    assert_eq!(
        s.relation(t, Some(e3), e3).await.expect("rel"),
        Relation::Oneself
    );
    assert!(s.has_reports(t, e2).await.expect("q"));
    assert!(!s.has_reports(t, e3).await.expect("q"));
    let reports = s.reports_of(t, e1).await.expect("reports");
    let numbers: Vec<(usize, &str)> = reports
        .iter()
        .map(|(d, p)| (*d, p.employee_number.as_str()))
        .collect();
    assert_eq!(numbers, vec![(1, "E2"), (1, "E4"), (2, "E3")]);
    let path = s
        .department_path(
            t,
            s.person(t, e3)
                .await
                .expect("q")
                .expect("p")
                .department_id
                .expect("dept"),
        )
        .await
        .expect("path");
    assert_eq!(
        path.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        vec!["営業部", "第一課"]
    );
    assert_eq!(
        s.ratings_of(t, e3).await.expect("ratings"),
        vec![(2024, "B".into()), (2025, "A".into())]
    );
});

db_test!(
    a_cycle_in_the_reporting_line_writes_nothing,
    |db| async move {
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let mut org = small_org();
        org.people[2].manager_number = Some("E3".into());
        let err = s.load_org(t, &org, &|_| {}).await.expect_err("cycle");
        assert!(matches!(err, StoreError::Integrity(_)));
        assert_eq!(s.count_people(t).await.expect("count"), 0);
        // A failure after some rows were written rolls back too.
        let mut dup = small_org();
        dup.people.push(person("E1", None, "D1"));
        assert!(s.load_org(t, &dup, &|_| {}).await.is_err());
        assert_eq!(s.count_people(t).await.expect("count"), 0);
    }
);

db_test!(
    people_of_one_tenant_are_invisible_to_another,
    |db| async move {
        let s = &db.store;
        let a = tenant(s, "acme").await;
        let b = tenant(s, "beta").await;
        s.load_org(a, &small_org(), &|_| {}).await.expect("load");
        let e1 = id_of(s, a, "E1").await;
        assert!(s.person(b, e1).await.expect("q").is_none());
        assert!(s.person_by_number(b, "E1").await.expect("q").is_none());
        assert!(s.reports_of(b, e1).await.expect("q").is_empty());
        assert!(
            s.ratings_of(b, id_of(s, a, "E3").await)
                .await
                .expect("q")
                .is_empty()
        );
        assert_eq!(s.count_people(b).await.expect("q"), 0);
    }
);

db_test!(
    repeated_failures_delay_sign_in_without_locking_anyone_out,
    |db| async move {
        use domain::throttle::ThrottleKind;
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let u = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("sato@example.jp").expect("email"),
                    name: "佐藤".into(),
                    roles: vec![Role::Employee],
                    person_id: None,
                    password: Some("right-password".into()),
                },
            )
            .await
            .expect("user");
        let now = Utc::now();
        let free = ThrottleKind::Account.free_failures();
        let attacker = Some("192.0.2.66");
        for i in 1..free {
            let r = s
                .sign_in(t, "sato@example.jp", "wrong", attacker, now)
                .await
                .expect("attempt");
            assert_eq!(
                r,
                SignIn::Rejected {
                    user_id: Some(u.id),
                    wait_until: None
                },
                "attempt {i}: a few mistakes cost nothing"
            );
        }
        let r = s
            .sign_in(t, "SATO@example.jp", "wrong", attacker, now)
            .await
            .expect("attempt");
        assert_eq!(
            r,
            SignIn::Rejected {
                user_id: Some(u.id),
                wait_until: Some(now + chrono::Duration::seconds(1))
            },
            "the fifth failure, in any spelling, starts a delay"
        );
        // While the delay runs even the right password is not checked, from anywhere.
        assert!(matches!(
            s.sign_in(
                t,
                "sato@example.jp",
                "right-password",
                Some("198.51.100.7"),
                now
            )
            .await
            .expect("a"),
            SignIn::Throttled { .. }
        ));
        // The delay ends by itself; each further failure doubles it, up to a minute.
        let mut at = now;
        for expected in [2, 4, 8, 16, 32, 60, 60] {
            at += chrono::Duration::seconds(61);
            match s
                .sign_in(t, "sato@example.jp", "wrong", None, at)
                .await
                .expect("a")
            {
                SignIn::Rejected {
                    wait_until: Some(w),
                    ..
                } => assert_eq!((w - at).num_seconds(), expected),
                other => panic!("{other:?}"),
            }
        }
        at += chrono::Duration::seconds(61);
        assert!(matches!(
            s.sign_in(t, "sato@example.jp", "right-password", None, at)
                .await
                .expect("a"),
            SignIn::Success(_)
        ));
        // Success forgets the account's failures.
        assert!(matches!(
            s.sign_in(t, "sato@example.jp", "wrong", None, at)
                .await
                .expect("a"),
            SignIn::Rejected {
                wait_until: None,
                ..
            }
        ));
        // Unknown accounts are throttled exactly like real ones.
        for _ in 0..free {
            s.sign_in(t, "nobody@example.jp", "x", None, now)
                .await
                .expect("a");
        }
        assert!(matches!(
            s.sign_in(t, "nobody@example.jp", "x", None, now)
                .await
                .expect("a"),
            SignIn::Throttled { user_id: None, .. }
        ));
        // The attacker's address counted every failure; the admin sees and clears them.
        let list = s.sign_in_throttles(t, at).await.expect("list");
        let address = list
            .iter()
            .find(|x| x.kind == ThrottleKind::Address)
            .expect("the address is counted");
        assert_eq!(address.subject, "192.0.2.66");
        assert_eq!(address.failures, free as i64);
        let cleared = s
            .clear_sign_in_throttle(t, address.id)
            .await
            .expect("clear")
            .expect("there");
        assert_eq!(cleared.subject, "192.0.2.66");
        assert!(
            s.clear_sign_in_throttle(t, address.id)
                .await
                .expect("clear")
                .is_none()
        );
        // Another tenant's throttles are not this one's.
        let other = tenant(s, "other").await;
        assert!(s.sign_in_throttles(other, at).await.expect("q").is_empty());
        assert!(
            s.clear_sign_in_throttle(other, list[0].id)
                .await
                .expect("q")
                .is_none()
        );
    }
);

db_test!(
    disabling_a_user_voids_sessions_and_tokens,
    |db| async move {
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let u = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("a@example.jp").expect("e"),
                    name: "A".into(),
                    roles: vec![Role::Admin],
                    person_id: None,
                    password: Some("pw-pw-pw-pw".into()),
                },
            )
            .await
            .expect("user");
        let (_, secret) = s.create_token(t, u.id, "cli").await.expect("token");
        assert_eq!(
            s.authenticate_token(&secret)
                .await
                .expect("auth")
                .map(|h| (h.tenant, h.user)),
            Some((t, u.id))
        );
        s.set_user_disabled(t, u.id, true).await.expect("disable");
        let after = s.user(t, u.id).await.expect("user");
        assert!(after.disabled && after.sessions_valid_after.is_some());
        assert_eq!(s.authenticate_token(&secret).await.expect("auth"), None);
        assert!(matches!(
            s.sign_in(t, "a@example.jp", "pw-pw-pw-pw", None, Utc::now())
                .await
                .expect("a"),
            SignIn::Disabled { .. }
        ));
        s.set_user_disabled(t, u.id, false).await.expect("enable");
        assert_eq!(
            s.authenticate_token(&secret)
                .await
                .expect("auth")
                .map(|h| (h.tenant, h.user)),
            Some((t, u.id))
        );
    }
);

db_test!(
    expired_tokens_stop_working_and_each_token_keeps_its_scope,
    |db| async move {
        use domain::account::TokenScope;
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let u = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("a@example.jp").expect("e"),
                    name: "A".into(),
                    roles: vec![],
                    person_id: None,
                    password: None,
                },
            )
            .await
            .expect("user");
        let soon = Utc::now() + chrono::Duration::days(30);
        let (tok, read) = s
            .create_token_with(t, u.id, "reader", TokenScope::Read, Some(soon))
            .await
            .expect("token");
        assert_eq!(tok.scope(), TokenScope::Read);
        assert_eq!(
            s.authenticate_token(&read)
                .await
                .expect("auth")
                .map(|h| h.scope),
            Some(TokenScope::Read)
        );
        let (_, old) = s
            .create_token_with(
                t,
                u.id,
                "old",
                TokenScope::Write,
                Some(Utc::now() - chrono::Duration::seconds(1)),
            )
            .await
            .expect("token");
        assert_eq!(s.authenticate_token(&old).await.expect("auth"), None);
        let (_, plain) = s.create_token(t, u.id, "cli").await.expect("token");
        assert_eq!(
            s.authenticate_token(&plain)
                .await
                .expect("auth")
                .map(|h| h.scope),
            Some(TokenScope::Write)
        );
    }
);

db_test!(
    revoked_tokens_stop_working_and_secrets_are_not_stored,
    |db| async move {
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let u = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("a@example.jp").expect("e"),
                    name: "A".into(),
                    roles: vec![],
                    person_id: None,
                    password: None,
                },
            )
            .await
            .expect("user");
        let (tok, secret) = s.create_token(t, u.id, "ci").await.expect("token");
        assert!(secret.starts_with("kyr_"));
        s.revoke_token(t, tok.id).await.expect("revoke");
        assert_eq!(s.authenticate_token(&secret).await.expect("auth"), None);
        assert_eq!(
            s.authenticate_token("kyr_forged").await.expect("auth"),
            None
        );
        // Another tenant cannot revoke or see it.
        let other = tenant(s, "beta").await;
        assert!(matches!(
            s.revoke_token(other, tok.id).await,
            Err(StoreError::NotFound)
        ));
    }
);

db_test!(
    roles_are_replaced_and_manager_is_never_stored,
    |db| async move {
        let s = &db.store;
        let t = tenant(s, "acme").await;
        let u = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("a@example.jp").expect("e"),
                    name: "A".into(),
                    roles: vec![Role::Employee, Role::Manager],
                    person_id: None,
                    password: None,
                },
            )
            .await
            .expect("user");
        assert_eq!(u.roles, RoleSet::new([Role::Employee]));
        s.set_roles(t, u.id, &RoleSet::new([Role::Hr, Role::Admin]))
            .await
            .expect("set");
        assert_eq!(
            s.user(t, u.id).await.expect("u").roles,
            RoleSet::new([Role::Hr, Role::Admin])
        );
        let other = tenant(s, "beta").await;
        assert!(matches!(
            s.set_roles(other, u.id, &RoleSet::new([Role::Admin])).await,
            Err(StoreError::NotFound)
        ));
        // Duplicate emails in one tenant are a conflict, not a crash.
        let dup = s
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("A@example.jp").expect("e"),
                    name: "B".into(),
                    roles: vec![],
                    person_id: None,
                    password: None,
                },
            )
            .await;
        assert!(
            matches!(dup, Err(StoreError::Conflict("users.email"))),
            "{dup:?}"
        );
    }
);

db_test!(
    audit_log_is_append_only_and_tenant_scoped,
    |db| async move {
        let s = &db.store;
        let a = tenant(s, "acme").await;
        let b = tenant(s, "beta").await;
        s.append_audit(
            NewAuditEntry::new(Some(a), AuditAction::SignIn).actor(None, "X@example.jp"),
        )
        .await
        .expect("append");
        s.append_audit(
            NewAuditEntry::new(Some(a), AuditAction::Export)
                .actor(None, "y@example.jp")
                .target("audit_log", "csv"),
        )
        .await
        .expect("append");
        s.append_audit(
            NewAuditEntry::new(Some(b), AuditAction::SignIn).actor(None, "z@example.jp"),
        )
        .await
        .expect("append");
        let (all, total) = s
            .list_audit(a, &AuditFilter::default(), 50, 0)
            .await
            .expect("list");
        assert_eq!(total, 2);
        assert_eq!(all[0].action, "export", "newest first");
        assert_eq!(all[1].actor_email, "x@example.jp");
        let (exports, n) = s
            .list_audit(
                a,
                &AuditFilter {
                    action: Some(AuditAction::Export),
                    ..Default::default()
                },
                50,
                0,
            )
            .await
            .expect("list");
        assert_eq!((exports.len(), n), (1, 1));
        let (by_actor, _) = s
            .list_audit(
                a,
                &AuditFilter {
                    actor_email: Some("x@".into()),
                    ..Default::default()
                },
                50,
                0,
            )
            .await
            .expect("list");
        assert_eq!(by_actor.len(), 1);
        assert!(
            s.tamper_with_audit_for_test().await.is_err(),
            "UPDATE on audit_log must be refused"
        );
    }
);

/// Parses a UTF-8 CSV as the import does and applies it.
async fn import_csv(store: &Store, t: TenantId, csv: &str) -> store::imports::ImportSummary {
    use domain::import::{employees, table};
    let table = table::read_table(csv.as_bytes(), &table::ReadOptions::default()).expect("read");
    let existing = store.existing_reporting_lines(t).await.expect("lines");
    let parsed = employees::parse_employees(&table, &existing, false);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    match store
        .import_employees(
            t,
            &parsed.records,
            &parsed.columns,
            store::imports::ImportOptions::default(),
            &store::imports::ImportMeta::default(),
        )
        .await
        .expect("import")
    {
        store::imports::ImportOutcome::Done(s) => s,
        store::imports::ImportOutcome::Rejected(p) => panic!("rejected: {p:?}"),
    }
}

db_test!(
    import_places_reports_listed_before_their_managers_and_builds_department_paths,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        let csv = "社員番号,氏名,所属コード,所属,上司社員番号\n\
                   E3,三浦 三郎,S1,営業本部/東日本営業部/第一課,E2\n\
                   E2,二宮 次郎,,営業本部/東日本営業部,E1\n\
                   E1,一ノ瀬 一郎,,営業本部,\n\
                   E4,四谷 四郎,S2,営業本部/西日本営業部/第一課,E1\n\
                   E5,五木 五郎,S1,,E3\n";
        let s = import_csv(&db.store, t, csv).await;
        assert_eq!(s.added_count, 5);
        assert_eq!(s.departments_created_count, 5);
        for (report, manager) in [("E3", "E2"), ("E2", "E1"), ("E4", "E1"), ("E5", "E3")] {
            let chain = db
                .store
                .manager_chain(t, id_of(&db.store, t, report).await)
                .await
                .expect("chain");
            assert_eq!(chain[0].employee_number, manager, "{report}");
        }
        let path = |n: &'static str| {
            let store = db.store.clone();
            async move {
                let p = store.person_by_number(t, n).await.expect("q").expect("p");
                store
                    .department_path(t, p.department_id.expect("dept"))
                    .await
                    .expect("path")
                    .into_iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join("/")
            }
        };
        assert_eq!(path("E3").await, "営業本部/東日本営業部/第一課");
        assert_eq!(
            path("E5").await,
            "営業本部/東日本営業部/第一課",
            "code S1 names the same unit"
        );
        assert_eq!(path("E4").await, "営業本部/西日本営業部/第一課");
        assert_eq!(path("E1").await, "営業本部");
        // The same file again changes nothing and creates no department.
        let again = import_csv(&db.store, t, csv).await;
        assert_eq!((again.added_count, again.updated_count), (0, 0));
        assert_eq!(again.departments_created_count, 0);
    }
);

db_test!(
    directory_search_matches_names_kana_numbers_and_departments,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        import_csv(
            &db.store,
            t,
            "社員番号,氏名,フリガナ,所属,上司社員番号,在籍区分\n\
             E001,佐藤 花子,サトウ ハナコ,営業本部/第一課,,在籍\n\
             E002,佐藤 一郎,サトウ イチロウ,営業本部/第二課,E001,在籍\n\
             E003,鈴木 次郎,スズキ ジロウ,開発本部/第一課,E001,退職\n\
             e004,田中 三郎,タナカ サブロウ,開発本部,E003,在籍\n",
        )
        .await;
        let numbers = |q: &'static str, scope: Option<Vec<i64>>| {
            let store = db.store.clone();
            async move {
                let (rows, total) = store
                    .search_people(t, q, scope.as_deref(), 50, 0)
                    .await
                    .expect("search");
                assert_eq!(rows.len() as i64, total);
                rows.into_iter()
                    .map(|p| p.employee_number)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(numbers("佐藤", None).await, ["E001", "E002"]);
        assert_eq!(
            numbers("佐藤花子", None).await,
            ["E001"],
            "without the space"
        );
        assert_eq!(
            numbers("さとう はなこ", None).await,
            ["E001"],
            "hiragana reads as kana"
        );
        assert_eq!(numbers("E00", None).await, ["E001", "E002", "E003", "e004"]);
        assert_eq!(numbers("E004", None).await, ["e004"], "ASCII in any case");
        assert_eq!(numbers("第一課", None).await, ["E001", "E003"]);
        assert_eq!(
            numbers("第一課 鈴木", None).await,
            ["E003"],
            "every word must match"
        );
        assert!(numbers("山田", None).await.is_empty());
        assert_eq!(
            numbers("", None).await.len(),
            4,
            "an empty query lists everyone"
        );
        let e2 = id_of(&db.store, t, "E002").await.0;
        assert_eq!(
            numbers("佐藤", Some(vec![e2])).await,
            ["E002"],
            "only within scope"
        );
        // One page at a time, with the total of all matches.
        let (page, total) = db
            .store
            .search_people(t, "", None, 2, 2)
            .await
            .expect("page");
        assert_eq!(total, 4);
        assert_eq!(
            page.iter()
                .map(|p| p.employee_number.as_str())
                .collect::<Vec<_>>(),
            ["E003", "e004"]
        );
        // The tree counts people still here, in each unit and everything below it.
        let top = db.store.department_children(t, None).await.expect("tree");
        let counts: Vec<(String, i64)> = top
            .iter()
            .map(|n| (n.department.name.clone(), n.headcount))
            .collect();
        assert_eq!(
            counts,
            [("営業本部".to_string(), 2), ("開発本部".to_string(), 1)]
        );
    }
);

db_test!(
    another_process_sees_an_import_in_its_directory_at_once,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        import_csv(&db.store, t, "社員番号,氏名,所属\nE1,青木 一,本社\n").await;
        // A second server process: its own pool and its own in-memory directory.
        let other = Store::connect(&db.url).await.expect("second store");
        let (rows, _) = other
            .search_people(t, "青木", None, 10, 0)
            .await
            .expect("q");
        assert_eq!(rows.len(), 1);
        import_csv(&db.store, t, "社員番号,氏名,所属\nE2,青木 二,本社/支店\n").await;
        let (rows, total) = other
            .search_people(t, "青木", None, 10, 0)
            .await
            .expect("q");
        assert_eq!(
            total, 2,
            "the import in the first process is seen by the second"
        );
        assert_eq!(rows[1].employee_number, "E2");
        let top = other.department_children(t, None).await.expect("tree");
        assert_eq!(top[0].headcount, 2);
        other.close().await;
    }
);

db_test!(
    cohort_counts_include_current_people_only_and_follow_imports,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        let csv = "社員番号,氏名,生年月日,入社日,在籍区分\n\
                   E1,a,1976-04-02,2023-04-01,在籍\n\
                   E2,b,1977-04-01,2023-04-01,休職\n\
                   E3,c,1976-04-01,2023-04-02,在籍\n\
                   E4,d,1976-12-01,2023-04-01,退職\n";
        import_csv(&db.store, t, csv).await;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let turning_50 = d(1976, 4, 2)..=d(1977, 4, 1);
        assert_eq!(
            db.store.count_people(t).await.expect("n"),
            3,
            "leavers do not count"
        );
        assert_eq!(
            db.store
                .count_born_between(t, turning_50.clone())
                .await
                .expect("n"),
            2,
            "E1 and E2; E3 is a day early, E4 has left"
        );
        assert_eq!(
            db.store
                .count_hired_between(t, d(2023, 4, 1)..=d(2023, 4, 1))
                .await
                .expect("n"),
            2
        );
        import_csv(&db.store, t, "社員番号,氏名,在籍区分\nE1,a,退職\n").await;
        assert_eq!(
            db.store.count_born_between(t, turning_50).await.expect("n"),
            1,
            "a change is counted at once"
        );
    }
);

db_test!(
    career_sheet_versions_are_appended_and_stale_saves_write_nothing,
    |db| async move {
        use domain::career_sheet::{CareerSheet, EntryInput, Section};
        use store::career_sheets::SaveOutcome;
        let t = tenant(&db.store, "acme").await;
        db.store
            .load_org(t, &small_org(), &|_| {})
            .await
            .expect("org");
        let me = id_of(&db.store, t, "E3").await;
        let user = db
            .store
            .create_user(
                t,
                NewUser {
                    email: EmailAddress::parse("e3@acme.jp").expect("e"),
                    name: "E3".into(),
                    roles: vec![Role::Employee],
                    person_id: Some(me),
                    password: None,
                },
            )
            .await
            .expect("user")
            .id;
        let sheet = |vision: &str| {
            CareerSheet::parse(
                |s| EntryInput {
                    text: if s == Section::Vision {
                        vision.into()
                    } else {
                        String::new()
                    },
                    private: false,
                },
                "",
            )
            .expect("sheet")
        };
        assert!(
            db.store
                .latest_career_sheet(t, me)
                .await
                .expect("q")
                .is_none()
        );
        db.store
            .save_career_sheet_draft(t, me, 0, "{\"vision\":\"typing\"}")
            .await
            .expect("draft");
        assert_eq!(
            db.store
                .save_career_sheet(t, me, user, 0, &sheet("A"))
                .await
                .expect("save"),
            SaveOutcome::Saved { version: 1 }
        );
        assert!(
            db.store
                .career_sheet_draft(t, me)
                .await
                .expect("q")
                .is_none(),
            "a save takes the draft with it"
        );
        assert_eq!(
            db.store
                .save_career_sheet(t, me, user, 1, &sheet("B"))
                .await
                .expect("save"),
            SaveOutcome::Saved { version: 2 }
        );
        assert_eq!(
            db.store
                .save_career_sheet(t, me, user, 1, &sheet("C"))
                .await
                .expect("save"),
            SaveOutcome::Stale { latest: 2 }
        );
        let latest = db
            .store
            .latest_career_sheet(t, me)
            .await
            .expect("q")
            .expect("v");
        assert_eq!(latest.version, 2);
        assert_eq!(latest.sheet, sheet("B"));
        let first = db
            .store
            .career_sheet_version(t, me, 1)
            .await
            .expect("q")
            .expect("v1");
        assert_eq!(first.sheet, sheet("A"), "old versions stay as they were");
        let list = db.store.career_sheet_versions(t, me).await.expect("list");
        assert_eq!(list.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
        // Another tenant sees nothing of it.
        let other = tenant(&db.store, "other").await;
        assert!(
            db.store
                .latest_career_sheet(other, me)
                .await
                .expect("q")
                .is_none()
        );
        // Drafts are replaced, not stacked.
        db.store
            .save_career_sheet_draft(t, me, 2, "{\"a\":\"1\"}")
            .await
            .expect("d");
        db.store
            .save_career_sheet_draft(t, me, 2, "{\"a\":\"2\"}")
            .await
            .expect("d");
        let d = db
            .store
            .career_sheet_draft(t, me)
            .await
            .expect("q")
            .expect("draft");
        assert_eq!((d.base_version, d.content.as_str()), (2, "{\"a\":\"2\"}"));
    }
);

db_test!(
    import_progress_counts_every_new_person_and_rating,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        let parsed = big_company();
        let seen = std::sync::Mutex::new(Vec::new());
        db.store
            .import_employees_with_progress(
                t,
                &parsed.records,
                &parsed.columns,
                store::imports::ImportOptions::default(),
                &store::imports::ImportMeta::default(),
                &|p| seen.lock().expect("lock").push((p.rows_done, p.rows_total)),
            )
            .await
            .expect("import");
        let seen = seen.into_inner().expect("lock");
        assert!(seen.len() > 2, "reported along the way: {seen:?}");
        assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
        assert_eq!(
            seen.last().copied(),
            Some((36_000, 36_000)),
            "12,000 people and 24,000 ratings"
        );
    }
);

/// 12,000 people, ten to a manager, each with two ratings, read as the import reads them.
fn big_company() -> domain::import::employees::ParsedEmployees {
    use domain::import::{employees, table};
    let mut csv = String::from("社員番号,氏名,上司社員番号,評価2024,評価2025\n");
    for i in 0..12_000 {
        let manager = if i == 0 {
            String::new()
        } else {
            format!("P{:05}", i / 10)
        };
        csv.push_str(&format!("P{i:05},社員 {i},{manager},A,B\n"));
    }
    let table = table::read_table(csv.as_bytes(), &Default::default()).expect("read");
    let parsed = employees::parse_employees(&table, &Default::default(), false);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed
}

/// The people indexes (SQLite) and every broken reference (`PRAGMA foreign_key_check`).
async fn sqlite_integrity(url: &str) -> (Vec<String>, Vec<String>) {
    let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' \
         AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .expect("indexes");
    let broken: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .expect("check");
    pool.close().await;
    (
        indexes.into_iter().map(|(n,)| n).collect(),
        broken.iter().map(|b| format!("{b:?}")).collect(),
    )
}

db_test!(
    a_bulk_import_keeps_every_index_and_reference_and_a_dry_run_leaves_nothing,
    |db| async move {
        let t = tenant(&db.store, "acme").await;
        let parsed = big_company();
        let sqlite = db.url.starts_with("sqlite");
        let before = if sqlite {
            sqlite_integrity(&db.url).await.0
        } else {
            Vec::new()
        };
        for dry_run in [true, false] {
            let outcome = db
                .store
                .import_employees(
                    t,
                    &parsed.records,
                    &parsed.columns,
                    store::imports::ImportOptions {
                        dry_run,
                        ..Default::default()
                    },
                    &store::imports::ImportMeta::default(),
                )
                .await
                .expect("import");
            let store::imports::ImportOutcome::Done(summary) = outcome else {
                panic!("rejected")
            };
            assert_eq!(summary.added_count, 12_000);
            let stored = db.store.existing_reporting_lines(t).await.expect("lines");
            assert_eq!(stored.managers.len(), if dry_run { 0 } else { 12_000 });
            if sqlite {
                let (indexes, broken) = sqlite_integrity(&db.url).await;
                assert_eq!(indexes, before, "the people indexes are all there again");
                assert!(indexes.len() >= 6, "{indexes:?}");
                assert_eq!(broken, Vec::<String>::new(), "no dangling reference");
            }
        }
        // The reporting lines came through: P00011 reports to P00001.
        let stored = db.store.existing_reporting_lines(t).await.expect("lines");
        assert_eq!(
            stored.managers.get("P00011").cloned().flatten().as_deref(),
            Some("P00001")
        );
    }
);

db_test!(tenant_questions_stay_in_their_tenant, |db| async move {
    use domain::question_bank::Category;
    let a = tenant(&db.store, "alpha").await;
    let b = tenant(&db.store, "beta").await;
    let id = db
        .store
        .add_tenant_question(a, Category::Future, "十年後の自分に一言どうぞ。", "")
        .await
        .expect("add");
    let listed = db.store.tenant_questions(a).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].category, Category::Future);
    assert!(db.store.tenant_questions(b).await.expect("list").is_empty());
    assert!(
        !db.store.remove_tenant_question(b, id).await.expect("rm"),
        "not another tenant's"
    );
    assert!(db.store.remove_tenant_question(a, id).await.expect("rm"));
    assert!(db.store.tenant_questions(a).await.expect("list").is_empty());
});
