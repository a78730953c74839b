//! Hardening (issue 14): doors an attacker or a busy company found open, each tried with
//! the bad input and checked for a clear answer, nothing changed and a healthy server.

use super::*;

app_test!(
    redirect_targets_are_only_same_origin_paths,
    |app| async move {
        let b = app.browser();
        for bad in [
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%0d/evil.example",
            "/%0d%0aSet-Cookie:%20x=1",
            "//evil.example",
            "/%5Cevil.example",
            "%5C%5Cevil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/%20/evil.example",
            "/%E3%80%80/evil.example",
        ] {
            let (status, location) = b.get_with_location(&format!("/lang/en?next={bad}")).await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, "/"),
                "next={bad}"
            );
        }
        assert_eq!(
            b.get_with_location("/lang/ja?next=/people%3Fq%3Da").await.1,
            "/people?q=a"
        );
        // After sign-in: an unsafe `next` leads home, a safe one is followed.
        for (next, expected) in [
            ("/\t/evil.example", "/my"),
            ("/\n/evil.example", "/my"),
            ("/\r/evil.example", "/my"),
            ("//evil.example", "/my"),
            ("/my/career-sheet", "/my/career-sheet"),
        ] {
            let b = app.browser();
            let csrf = b.csrf("/login").await;
            let (status, location) = b
                .post(
                    "/login",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("email", "employee@demo.example.jp"),
                        ("password", PW),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, expected),
                "next={next:?}"
            );
        }
    }
);

app_test!(
    the_admins_export_carries_only_what_the_admin_may_see,
    |app| async move {
        let admin = app.signed_in("admin@demo.example.jp").await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (status, csv) = admin.get("/people/export?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        let header = csv
            .lines()
            .next()
            .expect("header")
            .trim_start_matches('\u{feff}');
        for hidden in ["生年月日", "入社日", "等級", "評価"] {
            assert!(
                !header.contains(hidden),
                "admin export has {hidden}: {header}"
            );
        }
        for shown in ["社員番号", "氏名", "メール", "所属", "上司社員番号"] {
            assert!(
                header.contains(shown),
                "admin export lacks {shown}: {header}"
            );
        }
        let columns = header.split(',').count();
        assert!(
            csv.lines()
                .skip(1)
                .all(|l| l.split(',').count() == columns || l.contains('"')),
            "every row has the header's columns"
        );
        let (_, xlsx) = admin.get("/people/export?format=xlsx").await;
        assert!(!xlsx.is_empty());
        let (status, csv) = hr.get("/people/export?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        let header = csv.lines().next().expect("header");
        for shown in ["生年月日", "入社日", "等級", "評価"] {
            assert!(header.contains(shown), "HR export lacks {shown}: {header}");
        }
    }
);

app_test!(
    personal_pages_and_downloads_are_never_cached,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let b = app.signed_in("employee@demo.example.jp").await;
        for path in [
            "/my".to_string(),
            "/my/records".to_string(),
            "/my/records.csv".to_string(),
            "/my/career-sheet".to_string(),
            format!("/dialogues/{held}"),
        ] {
            let r = b
                .http
                .get(format!("{}{}", app.base, path))
                .send()
                .await
                .expect("request");
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(
                r.headers()
                    .get("cache-control")
                    .and_then(|v| v.to_str().ok()),
                Some("no-store"),
                "{path}"
            );
        }
        let token = app.token("employee@demo.example.jp").await;
        let r = reqwest::Client::new()
            .get(format!("{}/api/v1/me/records", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        let r = reqwest::get(format!("{}/static/app.css", app.base))
            .await
            .expect("request");
        assert_ne!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "static assets stay cacheable"
        );
    }
);

/// A bomb's file, from the fuzz corpus of the import readers.
fn bomb(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../domain/tests/fixtures/fuzz/seed_bomb_{name}.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("bomb fixture (scripts/make_xlsx_bombs.py)")
}

app_test!(
    no_upload_takes_the_server_down_and_each_bomb_is_refused_with_its_limit,
    |app| async move {
        let t = app.demo_tenant().await;
        let people = app.store.count_people(t.id).await.expect("count");
        let hr = app.signed_in("hr@demo.example.jp").await;
        // The server keeps answering its health check while the bombs are read.
        let base = app.base.clone();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watching = stop.clone();
        let health = tokio::spawn(async move {
            let mut answered = 0;
            while !watching.load(std::sync::atomic::Ordering::Relaxed) {
                let r = reqwest::get(format!("{base}/healthz"))
                    .await
                    .expect("healthz");
                assert_eq!(r.status(), StatusCode::OK);
                answered += 1;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            answered
        });
        for (name, status, words) in [
            (
                "sparse_dimension",
                422,
                "列が多すぎます。1行に256列までです。（1048576行目）",
            ),
            (
                "huge_shared_string",
                422,
                "長すぎるセルがあります。1つのセルは128 KBまでです。",
            ),
            (
                "many_shared_strings",
                422,
                "文字列の種類が多すぎます（2,000,000種類まで）",
            ),
            ("false_sizes", 422, "Excelファイルを読み取れませんでした"),
            ("nested_zip", 422, "必須の列がありません"),
        ] {
            let (s, body) = upload_import(&hr, &format!("{name}.xlsx"), bomb(name)).await;
            assert_eq!(s.as_u16(), status, "{name}: {body}");
            assert!(body.contains(words), "{name}: {body}");
        }
        // Over the size limit: "too large", with the limit, not "could not read".
        let (s, body) = upload_import(&hr, "big.csv", vec![b'a'; 102 * 1024 * 1024]).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert!(
            body.contains("ファイルが大きすぎます。取り込めるのは100 MBまでです。"),
            "{body}"
        );
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(health.await.expect("health checks") > 0);
        assert_eq!(
            app.store.count_people(t.id).await.expect("count"),
            people,
            "nothing changed"
        );
    }
);

/// Words planted in every confidential field, each unique enough to be found only where
/// it was written.
const PLANTED: [(&str, &str); 11] = [
    ("private note", "秘匿語句アルファ一号"),
    ("shared note", "秘匿語句ブラボー二号"),
    ("note for the manager", "秘匿語句チャーリー三号"),
    ("withheld topic", "秘匿語句デルタ四号"),
    ("employee's topic", "秘匿語句エコー五号"),
    ("reflection", "秘匿語句フォックス六号"),
    ("worksheet item", "秘匿語句ゴルフ七号"),
    ("commitment", "秘匿語句ホテル八号"),
    ("stop reason", "秘匿語句インディア九号"),
    ("report part", "秘匿語句ジュリエット十号"),
    ("too long note", "秘匿語句キロ十一号"),
];

fn planted(what: &str) -> &'static str {
    PLANTED
        .iter()
        .find(|(w, _)| *w == what)
        .map(|(_, p)| *p)
        .expect("planted word")
}

/// Everything a log line went to, for the grep.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The raw bytes of the database as they lie on disk: the SQLite file and its WAL, or a
/// dump of the PostgreSQL database.
fn raw_storage(url: &str) -> Vec<u8> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        let mut bytes = std::fs::read(path).expect("database file");
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        bytes
    } else {
        let out = std::process::Command::new("pg_dump")
            .arg(url)
            .output()
            .expect("pg_dump (postgresql-client, installed by scripts/test)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

app_test!(
    no_confidential_word_reaches_storage_or_logs_outside_sealed_columns,
    |app| async move {
        use tracing_subscriber::Layer;
        use tracing_subscriber::layer::SubscriberExt;
        let logs = LogBuffer::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .with_filter(tracing_subscriber::filter::LevelFilter::TRACE),
        );
        let _logging = tracing::subscriber::set_default(subscriber);
        let (held, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let ecsrf = employee.csrf(&path).await;
        // Notes of every visibility, and one too long to keep (refused, kept on the page).
        for (what, visibility) in [
            ("private note", "private"),
            ("shared note", "shared"),
            ("note for the manager", "for_manager"),
        ] {
            let (s, _) = consultant
                .post(
                    &format!("{path}/notes"),
                    &[
                        ("_csrf", csrf.as_str()),
                        ("body", &format!("{}について話した。", planted(what))),
                        ("visibility", visibility),
                        ("carry_over", "none"),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{what}");
        }
        let long = format!("{}{}", planted("too long note"), "あ".repeat(4001));
        let (s, page) = consultant
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("body", long.as_str()),
                    ("visibility", "private"),
                    ("carry_over", "none"),
                ],
            )
            .await;
        assert_ne!(s, StatusCode::SEE_OTHER);
        assert!(
            page.contains(planted("too long note")),
            "the page keeps what was typed"
        );
        // Consent with a withheld topic, then a report quoting it: refused.
        let (s, _) = consultant
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("agreed", "yes"),
                    ("withheld", planted("withheld topic")),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // The employee's topic for the next dialogue and reflection on this one.
        let npath = format!("/dialogues/{next}");
        let ncsrf = employee.csrf(&npath).await;
        employee
            .post(
                &format!("{npath}/topics"),
                &[
                    ("_csrf", ncsrf.as_str()),
                    ("body", planted("employee's topic")),
                    ("wanted", "just_listen"),
                ],
            )
            .await;
        employee
            .post(
                &format!("{path}/reflection"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("reflection", planted("reflection")),
                    ("rating", "4"),
                ],
            )
            .await;
        let (s, _) = consultant
            .post(
                &format!("{npath}/worksheet"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("side", "merit"),
                    ("text", planted("worksheet item")),
                    ("weight", "3"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    (
                        "action",
                        &format!("来月から毎週{}の勉強会を開きます", planted("commitment")),
                    ),
                    ("starts_on", "2030-04-01"),
                    ("first_step", planted("commitment")),
                    ("evidence", planted("commitment")),
                    ("confirm_past", "1"),
                ],
            )
            .await;
        // A report quoting the withheld topic, then a private note's wording: each send
        // is refused, and the refusal names only the part.
        for quoted in [
            format!("{}の件が気がかりです。", planted("withheld topic")),
            format!("{}について話した。", planted("private note")),
        ] {
            consultant
                .post(
                    &format!("{path}/report"),
                    &[
                        ("_csrf", csrf.as_str()),
                        ("unknown_side", planted("report part")),
                        ("motivation", quoted.as_str()),
                        ("committed", "毎週水曜に勉強会を開きます。"),
                        ("support", "機会を任せてください。"),
                    ],
                )
                .await;
            let (s, _) = consultant
                .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            // The next page shows the refusal from the flash.
            let (_, shown) = consultant.get(&path).await;
            assert!(
                shown.contains("面談所感") && shown.contains("flash-error"),
                "refused"
            );
        }
        // Stopping a commitment with a reason (the employee's follow-up).
        let t = app.demo_tenant().await;
        for c in app.store.commitments_of(t.id, held).await.expect("q") {
            if c.counts() {
                employee
                    .post(
                        &format!("{path}/commitments/{}/status", c.id),
                        &[
                            ("_csrf", ecsrf.as_str()),
                            ("status", "stopped"),
                            ("reason", planted("stop reason")),
                        ],
                    )
                    .await;
            }
        }
        // Every planted word reached the store, sealed: the pages show them back.
        let (_, page) = consultant.get(&path).await;
        for what in ["private note", "withheld topic", "report part"] {
            assert!(page.contains(planted(what)), "{what} was saved");
        }
        let (_, page) = consultant.get(&npath).await;
        for what in ["worksheet item", "employee's topic"] {
            assert!(page.contains(planted(what)), "{what} was saved");
        }
        let raw = raw_storage(&app._db.url);
        let log = logs.0.lock().expect("log").clone();
        assert!(!log.is_empty(), "the log was captured");
        for (what, word) in PLANTED {
            let needle = word.as_bytes();
            assert!(
                !raw.windows(needle.len()).any(|w| w == needle),
                "the {what} ({word}) lies in plain text in the database"
            );
            assert!(
                !log.windows(needle.len()).any(|w| w == needle),
                "the {what} ({word}) reached the log"
            );
        }
    }
);

/// A browser whose requests come from another loopback address.
fn browser_from(app: &TestApp, address: [u8; 4]) -> Browser {
    Browser {
        base: app.base.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .local_address(std::net::IpAddr::from(address))
            .build()
            .expect("client"),
    }
}

app_test!(
    nobody_can_lock_anyone_out_and_unknown_accounts_look_the_same,
    |app| async move {
        let attacker = browser_from(&app, [127, 0, 0, 2]);
        // Thirty wrong passwords on the admin's account from one address.
        let mut refused = Vec::new();
        for _ in 0..30 {
            refused.push(attacker.login("admin@demo.example.jp", "guess").await);
        }
        let unauthorised = refused
            .iter()
            .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
            .count();
        assert_eq!(unauthorised, 5, "the first five are checked");
        let (status, body) = refused.last().expect("last").clone();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(body.contains("しばらく受け付けを止めています"), "{body}");
        // An account that does not exist answers exactly the same way.
        let other = browser_from(&app, [127, 0, 0, 3]);
        let mut unknown = Vec::new();
        for _ in 0..6 {
            unknown.push(other.login("nobody@demo.example.jp", "guess").await);
        }
        let real: Vec<StatusCode> = refused.iter().take(6).map(|(s, _)| *s).collect();
        let fake: Vec<StatusCode> = unknown.iter().map(|(s, _)| *s).collect();
        assert_eq!(real, fake);
        let message = |b: &str| {
            b.split("role=\"alert\"")
                .nth(1)
                .and_then(|x| x.split('<').next())
                .map(|m| {
                    m.chars()
                        .filter(|c| !c.is_ascii_digit())
                        .collect::<String>()
                })
                .unwrap_or_default()
        };
        assert_eq!(message(&refused[5].1), message(&unknown[5].1));
        assert_eq!(message(&refused[0].1), message(&unknown[0].1));
        // The admin, from their own desk, waits at most a moment — never a lock-out.
        let admin = app.browser();
        // (On a slow machine the moment may have passed already: then the first try
        // signs in, and a second would find the admin signed in.)
        let mut r = admin.login("admin@demo.example.jp", PW).await;
        if r.0 == StatusCode::TOO_MANY_REQUESTS {
            tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
            r = admin.login("admin@demo.example.jp", PW).await;
        }
        assert_eq!(r.0, StatusCode::SEE_OTHER, "the admin signs in");
        // The admin sees the attacker's address and the unknown account, and clears one.
        let (_, page) = admin.get("/admin/users").await;
        assert!(page.contains("127.0.0.2") && page.contains("nobody@demo.example.jp"));
        assert!(page.contains("ログインの一時制限"));
        let id = page
            .split("/admin/sign-in-throttles/")
            .nth(1)
            .and_then(|x| x.split('/').next())
            .expect("a clear button")
            .to_string();
        let csrf = admin.csrf("/admin/users").await;
        let (status, location) = admin
            .post(
                &format!("/admin/sign-in-throttles/{id}/clear"),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/admin/users#throttles")
        );
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ThrottleCleared),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor_email, "admin@demo.example.jp");
        // Nobody but an admin clears throttles.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/my").await;
        let (status, _) = hr
            .post(
                &format!("/admin/sign-in-throttles/{id}/clear"),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

/// schemathesis (PyPI, pinned and installed by scripts/test) against the served OpenAPI
/// document, once per role with that role's token: every check, a fixed seed and a
/// bounded number of examples per operation, so a run is the same each time.
async fn schemathesis(app: &TestApp, role: &str) -> (bool, String) {
    let token = app.token(&format!("{role}@demo.example.jp")).await;
    let schema = format!("{}/api/v1/openapi.json", app.base);
    let dir = std::env::temp_dir().join(format!(
        "kyoritsu-st-{}-{role}-{:?}",
        std::process::id(),
        app.store.engine()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let run = tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new("st")
            .current_dir(&dir)
            .args(["run", &schema])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", "all"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--max-examples", "25", "--seed", "20261205"])
            .args(["--workers", "1", "--generation-database", "none"])
            // The API refuses U+0000 in any text (400), as its description says.
            .args(["--generation-allow-x00", "false"])
            .args(["--request-timeout", "20", "--no-color"])
            .output();
        let _ = std::fs::remove_dir_all(&dir);
        out
    })
    .await
    .expect("join")
    .expect("schemathesis's `st` (scripts/test installs it from PyPI)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    (run.status.success(), text)
}

app_test!(
    the_api_answers_as_its_openapi_document_says_for_every_role,
    |app| async move {
        for role in [
            "employee",
            "manager",
            "consultant",
            "instructor",
            "hr",
            "admin",
        ] {
            let (ok, out) = schemathesis(&app, role).await;
            assert!(ok, "schemathesis found problems as {role}:\n{out}");
            assert!(out.contains("passed"), "{out}");
        }
    }
);

/// A page as two servers of the same data would show it: the parts that differ by
/// nature (the session's form token, the request id) taken out.
fn comparable(html: &str) -> String {
    // Form tokens are runs of 64 hexadecimal characters, in fields and in URLs.
    let mut out = String::with_capacity(html.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 64 {
            out.push_str("TOKEN");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in html.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[tokio::test]
async fn a_tenant_moved_from_sqlite_to_postgresql_serves_the_same_pages() {
    let source = TestApp::spawn(TestDb::sqlite().await).await;
    let t = source.demo_tenant().await;
    let mut file = Vec::new();
    source
        .store
        .backup_tenant(t.id, &mut file, &|_, _| {})
        .await
        .expect("backup");
    let target_db = TestDb::postgres().await;
    target_db
        .store
        .restore_tenant(std::io::Cursor::new(file), false, &|_, _| {})
        .await
        .expect("restore into PostgreSQL");
    let target = TestApp::serve(target_db).await;
    let (held, next, _, _) = demo_dialogues(&source).await;
    let programme = source
        .store
        .programmes(t.id)
        .await
        .expect("q")
        .first()
        .map(|p| p.id)
        .expect("a demo programme");
    for (who, pages) in [
        (
            "employee",
            vec![
                "/my".to_string(),
                "/my/career-sheet".into(),
                "/my/records".into(),
                format!("/dialogues/{held}"),
            ],
        ),
        (
            "consultant",
            vec![
                "/clients".to_string(),
                format!("/dialogues/{held}"),
                format!("/dialogues/{next}"),
            ],
        ),
        ("manager", vec!["/members".to_string(), "/reports".into()]),
        (
            "hr",
            vec![
                "/programmes".to_string(),
                format!("/programmes/{programme}"),
                "/people?q=%E4%BD%90%E8%97%A4".into(),
            ],
        ),
        ("admin", vec!["/admin".to_string()]),
    ] {
        let email = format!("{who}@demo.example.jp");
        let a = source.signed_in(&email).await;
        let b = target.signed_in(&email).await;
        for path in pages {
            let (sa, pa) = a.get(&path).await;
            let (sb, pb) = b.get(&path).await;
            assert_eq!((sa, sb), (StatusCode::OK, StatusCode::OK), "{who} {path}");
            let (pa, pb) = (comparable(&pa), comparable(&pb));
            if pa != pb {
                let line = pa
                    .lines()
                    .zip(pb.lines())
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("SQLite:     {x}\nPostgreSQL: {y}"))
                    .unwrap_or_else(|| "the pages differ in length".into());
                panic!("{who} {path} differs after the move:\n{line}");
            }
        }
    }
}
