//! The command line as scripts use it: exit codes, plain-word errors and `--format json`,
//! on SQLite and PostgreSQL.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use store::testing::TestDb;

fn kyoritsu(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyoritsu"))
        .env("KYORITSU_DICTIONARY_DIR", dictionary_dir())
        .args(args)
        .args(["--database-url", url])
        .env_remove("KYORITSU_DATABASE_URL")
        .env("KYORITSU_NOTE_KEY", store::testing::TEST_NOTE_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kyoritsu");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("wait")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn tenants_users_and_tokens(db: TestDb) {
    let url = db.url.clone();
    // No tenant yet: a clear error.
    let out = kyoritsu(&url, &["user", "list"], None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("there is no tenant yet"),
        "{}",
        stderr(&out)
    );

    let t = json(&kyoritsu(
        &url,
        &[
            "tenant",
            "create",
            "--slug",
            "acme",
            "--name",
            "アクメ株式会社",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(t["slug"], "acme");
    let out = kyoritsu(
        &url,
        &["tenant", "create", "--slug", "acme", "--name", "again"],
        None,
    );
    assert!(!out.status.success() && stderr(&out).contains("already exists"));
    let out = kyoritsu(
        &url,
        &["tenant", "create", "--slug", "Not Valid", "--name", "x"],
        None,
    );
    assert!(!out.status.success() && stderr(&out).contains("not a valid tenant code"));

    // Password from standard input.
    let u = json(&kyoritsu(
        &url,
        &[
            "user",
            "create",
            "--email",
            "Sato@Acme.jp",
            "--name",
            "佐藤 花子",
            "--role",
            "hr",
            "--role",
            "employee",
            "--format",
            "json",
        ],
        Some("a-long-enough-password\n"),
    ));
    assert_eq!(u["email"], "sato@acme.jp");
    assert!(
        u["password"].is_null(),
        "a password given on stdin is not echoed"
    );
    // Generated and printed once.
    let a = json(&kyoritsu(
        &url,
        &[
            "user",
            "create",
            "--email",
            "admin@acme.jp",
            "--name",
            "管理 者",
            "--role",
            "admin",
            "--format",
            "json",
        ],
        None,
    ));
    assert!(a["password"].as_str().is_some_and(|p| p.len() >= 12));
    let out = kyoritsu(
        &url,
        &[
            "user",
            "create",
            "--email",
            "m@acme.jp",
            "--name",
            "M",
            "--role",
            "manager",
        ],
        None,
    );
    assert!(
        !out.status.success() && stderr(&out).contains("reporting line"),
        "{}",
        stderr(&out)
    );
    let out = kyoritsu(
        &url,
        &[
            "user",
            "create",
            "--email",
            "sato@acme.jp",
            "--name",
            "dup",
            "--role",
            "employee",
        ],
        None,
    );
    assert!(!out.status.success() && stderr(&out).contains("already exists"));

    let tok = json(&kyoritsu(
        &url,
        &[
            "token",
            "create",
            "--email",
            "sato@acme.jp",
            "--format",
            "json",
        ],
        None,
    ));
    let secret = tok["token"].as_str().expect("token").to_string();
    assert!(secret.starts_with("kyr_"));
    assert_eq!(
        db.store
            .authenticate_token(&secret)
            .await
            .expect("auth")
            .map(|h| h.user.0),
        u["id"].as_i64()
    );
    let id = tok["id"].as_i64().expect("id").to_string();
    assert!(
        kyoritsu(&url, &["token", "revoke", &id], None)
            .status
            .success()
    );
    assert_eq!(
        db.store.authenticate_token(&secret).await.expect("auth"),
        None
    );
    let out = kyoritsu(&url, &["token", "revoke", "999999"], None);
    assert!(!out.status.success() && stderr(&out).contains("no token #999999"));

    // A second tenant makes --tenant necessary.
    json(&kyoritsu(
        &url,
        &[
            "tenant",
            "create",
            "--slug",
            "beta",
            "--name",
            "ベータ",
            "--format",
            "json",
        ],
        None,
    ));
    let out = kyoritsu(&url, &["user", "list"], None);
    assert!(
        !out.status.success() && stderr(&out).contains("--tenant"),
        "{}",
        stderr(&out)
    );
    let users = json(&kyoritsu(
        &url,
        &["user", "list", "--tenant", "acme", "--format", "json"],
        None,
    ));
    assert_eq!(users.as_array().map(Vec::len), Some(2));
    let list = json(&kyoritsu(
        &url,
        &["tenant", "list", "--format", "json"],
        None,
    ));
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    // Single sign-on: the secret comes from a file and is never printed or kept in clear;
    // "SSO only" names the earliest admin with a password to break the glass.
    // One folder per engine: both variants run at once in this process.
    let engine = if url.starts_with("sqlite") {
        "sqlite"
    } else {
        "pg"
    };
    let dir = std::env::temp_dir().join(format!("kyoritsu-sso-{}-{engine}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let secret_file = dir.join("secret");
    std::fs::write(&secret_file, "the-client-secret\n").expect("write");
    let secret_path = secret_file.to_string_lossy().to_string();
    let set = json(&kyoritsu(
        &url,
        &[
            "sso",
            "set",
            "--tenant",
            "acme",
            "--issuer",
            "https://login.example.jp/acme/v2.0",
            "--client-id",
            "kyoritsu",
            "--client-secret-file",
            &secret_path,
            "--create-users",
            "--sso-only",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(set["issuer"], "https://login.example.jp/acme/v2.0");
    assert_eq!(set["email_claim"], "email");
    assert_eq!(set["create_users"], true);
    assert_eq!(set["sso_only"], true);
    assert_eq!(set["break_glass"], "admin@acme.jp");
    assert!(
        set["redirect_uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/sso/callback"))
    );
    assert!(!set.to_string().contains("the-client-secret"));
    let t = db
        .store
        .tenant_by_slug("acme")
        .await
        .expect("q")
        .expect("acme");
    assert_eq!(
        db.store
            .sso_client_secret(t.id)
            .await
            .expect("q")
            .as_deref(),
        Some("the-client-secret")
    );
    let out = kyoritsu(
        &url,
        &[
            "sso",
            "set",
            "--tenant",
            "acme",
            "--issuer",
            "http://idp.example.jp",
            "--client-id",
            "",
            "--client-secret-file",
            &secret_path,
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("HTTPS") && stderr(&out).contains("client ID"),
        "{}",
        stderr(&out)
    );
    let shown = json(&kyoritsu(
        &url,
        &["sso", "show", "--tenant", "acme", "--format", "json"],
        None,
    ));
    assert_eq!(
        shown["issuer"], "https://login.example.jp/acme/v2.0",
        "unchanged"
    );
    let out = kyoritsu(
        &url,
        &[
            "sso",
            "set",
            "--tenant",
            "acme",
            "--issuer",
            "https://x.example.jp",
            "--client-id",
            "k",
            "--client-secret-file",
            "/nonexistent/secret",
        ],
        None,
    );
    assert!(!out.status.success() && stderr(&out).contains("cannot read the client secret"));
    assert!(
        kyoritsu(&url, &["sso", "remove", "--tenant", "acme"], None)
            .status
            .success()
    );
    assert_eq!(db.store.sso_settings(t.id).await.expect("q"), None);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn tenants_users_and_tokens_sqlite() {
    tenants_users_and_tokens(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn tenants_users_and_tokens_postgres() {
    tenants_users_and_tokens(TestDb::postgres().await).await;
}

#[tokio::test]
async fn demo_data_prints_the_accounts_as_json() {
    let db = TestDb::sqlite().await;
    let out = json(&kyoritsu(
        &db.url,
        &[
            "demo-data",
            "--employees",
            "60",
            "--seed",
            "5",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(out["tenant"], "demo");
    let roles: Vec<&str> = out["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["role"].as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "employee",
            "manager",
            "consultant",
            "instructor",
            "mentor",
            "hr",
            "admin"
        ]
    );
    let again = kyoritsu(&db.url, &["demo-data", "--employees", "60"], None);
    assert!(!again.status.success() && stderr(&again).contains("already exists"));
}

#[test]
fn a_database_that_cannot_be_opened_is_explained() {
    let out = kyoritsu("sqlite:///no/such/folder/k.db", &["tenant", "list"], None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot open the SQLite file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo-data", "--help"],
        vec!["user", "create", "--help"],
        vec!["user", "invite", "--help"],
        vec!["token", "revoke", "--help"],
        vec!["tenant", "list", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kyoritsu"))
            .args(&args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

fn born(number: &str, birth: &str, hire: &str) -> store::people::NewPerson {
    store::people::NewPerson {
        employee_number: number.into(),
        name: format!("社員 {number}"),
        name_kana: "シャイン".into(),
        email: None,
        birth_date: chrono::NaiveDate::parse_from_str(birth, "%Y-%m-%d").ok(),
        hire_date: chrono::NaiveDate::parse_from_str(hire, "%Y-%m-%d").ok(),
        department_code: None,
        title: String::new(),
        grade: String::new(),
        manager_number: None,
        status: domain::PersonStatus::Active,
    }
}

fn numbers(v: &serde_json::Value) -> Vec<String> {
    v["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["employee_number"].as_str().map(str::to_string))
        .collect()
}

async fn cohort_boundaries(db: TestDb) {
    let url = db.url.clone();
    let t = db
        .store
        .create_tenant(&domain::TenantSlug::parse("acme").expect("slug"), "アクメ")
        .await
        .expect("tenant");
    let org = store::people::OrgLoad {
        people: vec![
            born("A0401", "1976-04-01", "1999-04-01"), // turns 50 on 2026-03-31 → FY2025
            born("A0402", "1976-04-02", "2023-04-01"), // first of FY2026's 50s
            born("B0401", "1977-04-01", "2023-04-02"), // last of FY2026's 50s (turns 50 on 2027-03-31)
            born("B0402", "1977-04-02", "2024-04-01"), // FY2027
            born("L0229", "1980-02-29", "2002-04-01"), // turns 46 at the end of 2026-02-28 (FY2025); 1 March by calendar birthdays
        ],
        ..Default::default()
    };
    db.store.load_org(t.id, &org, &|_| {}).await.expect("load");

    let v = json(&kyoritsu(
        &url,
        &[
            "cohort", "--fy", "2026", "--turns", "50", "--format", "json",
        ],
        None,
    ));
    assert_eq!(numbers(&v), ["A0402", "B0401"]);
    assert_eq!(
        (v["fy_start"].as_str(), v["fy_end"].as_str()),
        (Some("2026-04-01"), Some("2027-03-31"))
    );
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort", "--fy", "2025", "--turns", "50", "--format", "json"
            ],
            None
        ))),
        ["A0401"]
    );
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort", "--fy", "2025", "--turns", "46", "--format", "json"
            ],
            None
        ))),
        ["L0229"]
    );
    // Tenure: hired 2023-04-02 .. 2024-04-01 reach 3 years during FY2026 (legal rule, same as ages).
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort",
                "--fy",
                "2026",
                "--years-since-hire",
                "3",
                "--format",
                "json"
            ],
            None
        ))),
        ["B0401", "B0402"]
    );

    // Calendar birthdays: April 1 births belong to the later year; Feb 29 moves to 1 March.
    let cal = domain::calendar::AgeRule::CalendarBirthday;
    db.store
        .update_tenant_settings(
            t.id,
            store::tenants::TenantSettings::new(4, cal, 5).expect("settings"),
        )
        .await
        .expect("update");
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort", "--fy", "2026", "--turns", "50", "--format", "json"
            ],
            None
        ))),
        ["A0401", "A0402"]
    );
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort", "--fy", "2025", "--turns", "46", "--format", "json"
            ],
            None
        ))),
        ["L0229"]
    );

    // A January fiscal year: FY2026 is the calendar year 2026.
    let legal = domain::calendar::AgeRule::Legal;
    db.store
        .update_tenant_settings(
            t.id,
            store::tenants::TenantSettings::new(1, legal, 5).expect("settings"),
        )
        .await
        .expect("update");
    let v = json(&kyoritsu(
        &url,
        &[
            "cohort", "--fy", "2026", "--turns", "50", "--format", "json",
        ],
        None,
    ));
    assert_eq!(
        (v["fy_start"].as_str(), v["fy_end"].as_str()),
        (Some("2026-01-01"), Some("2026-12-31"))
    );
    assert_eq!(numbers(&v), ["A0401", "A0402"]);
    assert_eq!(
        numbers(&json(&kyoritsu(
            &url,
            &[
                "cohort", "--fy", "2026", "--turns", "46", "--format", "json"
            ],
            None
        ))),
        ["L0229"]
    );

    let text = kyoritsu(&url, &["cohort", "--fy", "2026", "--turns", "50"], None);
    assert!(String::from_utf8_lossy(&text.stdout).contains("A0402\t社員 A0402\t1976-04-02"));
    let bad = kyoritsu(&url, &["cohort", "--fy", "2026"], None);
    assert!(!bad.status.success());
}

#[tokio::test]
async fn cohort_boundaries_sqlite() {
    cohort_boundaries(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn cohort_boundaries_postgres() {
    cohort_boundaries(TestDb::postgres().await).await;
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

async fn people_state(
    store: &store::Store,
    t: store::TenantId,
) -> Vec<(String, String, Option<String>, String, String)> {
    let mut out = Vec::new();
    for n in ["E0001", "E0002", "E0003", "E0004", "E0005", "E0006"] {
        if let Some(p) = store.person_by_number(t, n).await.expect("q") {
            let manager = match p.manager_id {
                Some(m) => store
                    .person(t, domain::PersonId(m))
                    .await
                    .expect("q")
                    .map(|m| m.employee_number),
                None => None,
            };
            let path = match p.department_id {
                Some(d) => store
                    .department_path(t, d)
                    .await
                    .expect("path")
                    .into_iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join("/"),
                None => String::new(),
            };
            out.push((
                p.employee_number,
                path,
                manager,
                p.title,
                p.status.as_str().to_string(),
            ));
        }
    }
    out
}

async fn employee_import(db: TestDb) {
    let url = db.url.clone();
    let t = db
        .store
        .create_tenant(&domain::TenantSlug::parse("acme").expect("slug"), "アクメ")
        .await
        .expect("tenant")
        .id;

    // A file with problems: every one listed with its line, nothing written.
    let out = kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_problems_sjis.csv"),
            "--format",
            "json",
        ],
        None,
    );
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<(u64, String)> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for expected in [
        (3, "impossible_date"),
        (4, "duplicate_employee_number"),
        (4, "duplicate_email"),
        (4, "unknown_manager"),
        (5, "manager_is_self"),
        (6, "required"),
        (6, "unknown_status"),
        (6, "reporting_cycle"),
    ] {
        assert!(
            found.contains(&(expected.0, expected.1.to_string())),
            "missing {expected:?} in {found:?}"
        );
    }
    assert_eq!(db.store.count_people(t).await.expect("count"), 0);

    // A file over the size limit is refused before it is read (a sparse file of 200 MB:
    // reading it would take the time and memory), a bomb with the limit it went over.
    let dir = std::env::temp_dir().join(format!(
        "kyoritsu-cli-big-{}-{:?}",
        std::process::id(),
        db.store.engine()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let big = dir.join("big.csv");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(200 << 20))
        .expect("sparse file");
    let bomb = format!(
        "{}/../domain/tests/fixtures/fuzz/seed_bomb_sparse_dimension.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    for (file, code, words) in [
        (
            big.to_string_lossy().to_string(),
            "too_large",
            "larger than 100 MB",
        ),
        (bomb, "too_many_columns", "more than 256 columns"),
    ] {
        let out = kyoritsu(
            &url,
            &["import", "employees", &file, "--format", "json"],
            None,
        );
        assert!(!out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["file_error"]["code"], code, "{file}");
        assert!(stderr(&out).contains(words), "{}", stderr(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(db.store.count_people(t).await.expect("count"), 0);

    // The real file: Shift_JIS, Japanese headers, era dates, full-width digits, an Excel serial.
    let v = json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_sjis.csv"),
            "--dry-run",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        (v["added_count"].as_u64(), v["dry_run"].as_bool()),
        (Some(5), Some(true))
    );
    assert_eq!(
        db.store.count_people(t).await.expect("count"),
        0,
        "a dry run writes nothing"
    );
    let v = json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_sjis.csv"),
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(v["source"], "csv shift_jis");
    assert_eq!(
        (
            v["added_count"].as_u64(),
            v["departments_created_count"].as_u64()
        ),
        (Some(5), Some(6))
    );
    assert_eq!(v["warnings"][0]["column"], "備考");
    let e1 = db
        .store
        .person_by_number(t, "E0001")
        .await
        .expect("q")
        .expect("full-width number normalised");
    assert_eq!(e1.birth_date, chrono::NaiveDate::from_ymd_opt(1966, 5, 1));
    let e5 = db
        .store
        .person_by_number(t, "E0005")
        .await
        .expect("q")
        .expect("p");
    assert_eq!(
        e5.birth_date,
        chrono::NaiveDate::from_ymd_opt(1976, 4, 2),
        "Excel serial 27852"
    );
    let e4 = db
        .store
        .person_by_number(t, "E0004")
        .await
        .expect("q")
        .expect("p");
    assert_eq!(e4.name, "高橋 﨑子", "names keep their characters");
    assert_eq!(
        db.store
            .ratings_of(t, domain::PersonId(e4.id))
            .await
            .expect("r"),
        vec![(2025, "A".to_string())]
    );
    let before = people_state(&db.store, t).await;
    assert!(before.contains(&(
        "E0003".into(),
        "営業本部/東日本営業部/第一課".into(),
        Some("E0002".into()),
        String::new(),
        "leave".into()
    )));

    // The same file again changes nothing.
    let v = json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_sjis.csv"),
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        (
            v["added_count"].as_u64(),
            v["updated_count"].as_u64(),
            v["unchanged_count"].as_u64()
        ),
        (Some(0), Some(0), Some(5))
    );
    assert_eq!(people_state(&db.store, t).await, before);

    // A newer partial file updates by employee number and moves people; E0004 stays.
    let v = json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_newer_utf8.csv"),
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        (
            v["added_count"].as_u64(),
            v["updated_count"].as_u64(),
            v["marked_left_count"].as_u64()
        ),
        (Some(1), Some(2), Some(0)),
        "{v}"
    );
    let updated: Vec<(String, Vec<String>)> = v["updated"]
        .as_array()
        .expect("updated")
        .iter()
        .map(|u| {
            (
                u["employee_number"].as_str().unwrap_or("").into(),
                u["fields"]
                    .as_array()
                    .expect("f")
                    .iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        updated[0],
        (
            "E0003".to_string(),
            vec![
                "department".to_string(),
                "manager".to_string(),
                "status".to_string()
            ]
        )
    );
    assert_eq!(
        updated[1],
        (
            "E0005".to_string(),
            vec!["title".to_string(), "grade".to_string()]
        )
    );
    let after = people_state(&db.store, t).await;
    assert!(after.contains(&(
        "E0003".into(),
        "管理本部/人事部".into(),
        Some("E0005".into()),
        String::new(),
        "active".into()
    )));
    assert!(after.contains(&(
        "E0004".into(),
        "営業本部/東日本営業部/第一課".into(),
        Some("E0002".into()),
        String::new(),
        "active".into()
    )));

    // Everyone current is invited from the command line: an account each, a mail each.
    let v = json(&kyoritsu(
        &url,
        &["user", "invite", "--department", "*", "--format", "json"],
        None,
    ));
    let invited = v["invited"].as_array().expect("invited").len();
    assert_eq!(invited, 6, "{v}");
    assert_eq!(
        db.store
            .recent_jobs(t, "email", 50)
            .await
            .expect("jobs")
            .len(),
        invited,
        "one invitation e-mail each"
    );
    let again = json(&kyoritsu(
        &url,
        &["user", "invite", "--department", "*", "--format", "json"],
        None,
    ));
    assert_eq!(again["invited"].as_array().map(Vec::len), Some(0));
    let out = kyoritsu(
        &url,
        &["user", "invite", "--email", "nobody@acme.example.jp"],
        None,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nobody current in the employee master"));
    let out = kyoritsu(&url, &["user", "invite", "--department", "NOPE"], None);
    assert!(stderr(&out).contains("no department has the code NOPE"));

    // Only a full import marks the missing as leavers.
    let v = json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_newer_utf8.csv"),
            "--full",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        (
            v["marked_left_count"].as_u64(),
            v["marked_left"][0].as_str()
        ),
        (Some(1), Some("E0004"))
    );
    assert_eq!(
        v["accounts_disabled_count"].as_u64(),
        Some(1),
        "the leaver's account is disabled with the import"
    );
    let e4 = db
        .store
        .person_by_number(t, "E0004")
        .await
        .expect("q")
        .expect("p");
    let (account, _) = db
        .store
        .list_users(t)
        .await
        .expect("users")
        .into_iter()
        .map(|u| (u.disabled, u.person_id))
        .partition::<Vec<_>, _>(|(_, p)| *p == Some(domain::PersonId(e4.id)));
    assert_eq!(account, vec![(true, Some(domain::PersonId(e4.id)))]);
    assert_eq!(
        db.store
            .person_by_number(t, "E0004")
            .await
            .expect("q")
            .expect("p")
            .status,
        domain::PersonStatus::Left
    );
    assert_eq!(
        db.store.list_imports(t, 10).await.expect("imports").len(),
        4,
        "every applied import is recorded"
    );
    let (audit, _) = db
        .store
        .list_audit(
            t,
            &store::audit::AuditFilter {
                action: Some(domain::audit::AuditAction::Import),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .expect("audit");
    assert_eq!(audit.len(), 4);
}

#[tokio::test]
async fn employee_import_sqlite() {
    employee_import(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn employee_import_postgres() {
    employee_import(TestDb::postgres().await).await;
}

#[tokio::test]
async fn broken_files_are_refused_in_plain_words_and_change_nothing() {
    let db = TestDb::sqlite().await;
    let t = db
        .store
        .create_tenant(&domain::TenantSlug::parse("acme").expect("slug"), "アクメ")
        .await
        .expect("tenant")
        .id;
    for (file, words) in [
        ("nasty_empty.csv", "the file is empty"),
        ("nasty_header_only.csv", "no data rows"),
        ("nasty_binary.bin", "neither UTF-8 nor Shift_JIS"),
        ("nasty_truncated.xlsx", "Excel file could not be read"),
        ("nasty_unclosed_quote.csv", "line break"),
        ("does-not-exist.csv", "cannot read"),
    ] {
        let out = kyoritsu(&db.url, &["import", "employees", &fixture(file)], None);
        assert!(!out.status.success(), "{file}");
        let err = stderr(&out);
        assert!(err.contains(words), "{file}: {err}");
    }
    let out = kyoritsu(
        &db.url,
        &[
            "import",
            "employees",
            &fixture("nasty_cr_only_quoted_newlines.csv"),
            "--format",
            "json",
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(
        v["added_count"].as_u64(),
        Some(2),
        "CR line ends and a quoted newline in a title are fine"
    );
    let out = kyoritsu(
        &db.url,
        &[
            "import",
            "employees",
            &fixture("employees_sjis.csv"),
            "--encoding",
            "utf-8",
        ],
        None,
    );
    assert!(stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
    assert_eq!(db.store.count_people(t).await.expect("count"), 2);
}

async fn export_round_trip(db: TestDb) {
    let url = db.url.clone();
    db.store
        .create_tenant(&domain::TenantSlug::parse("acme").expect("slug"), "アクメ")
        .await
        .expect("tenant");
    json(&kyoritsu(
        &url,
        &[
            "import",
            "employees",
            &fixture("employees_sjis.csv"),
            "--format",
            "json",
        ],
        None,
    ));
    let unique: String = db
        .url
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let dir = std::env::temp_dir().join(format!(
        "kyoritsu-export-{}",
        &unique[unique.len().saturating_sub(24)..]
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    for (name, encoding) in [
        ("a.csv", "shift_jis"),
        ("b.csv", "utf-8"),
        ("c.xlsx", "utf-8"),
    ] {
        let first = dir.join(format!("{}-{name}", db.url.len()));
        let second = dir.join(format!("{}-again-{name}", db.url.len()));
        let v = json(&kyoritsu(
            &url,
            &[
                "export",
                "employees",
                first.to_str().expect("path"),
                "--encoding",
                encoding,
                "--format",
                "json",
            ],
            None,
        ));
        assert_eq!(v["people"].as_u64(), Some(5));
        // Importing what was exported changes nothing…
        let v = json(&kyoritsu(
            &url,
            &[
                "import",
                "employees",
                first.to_str().expect("path"),
                "--full",
                "--format",
                "json",
            ],
            None,
        ));
        assert_eq!(
            (
                v["unchanged_count"].as_u64(),
                v["added_count"].as_u64(),
                v["updated_count"].as_u64()
            ),
            (Some(5), Some(0), Some(0)),
            "{name}: {v}"
        );
        assert!(
            v["warnings"].as_array().expect("w").is_empty(),
            "{name}: every exported header is understood"
        );
        // …and exporting again gives the same data.
        json(&kyoritsu(
            &url,
            &[
                "export",
                "employees",
                second.to_str().expect("path"),
                "--encoding",
                encoding,
                "--format",
                "json",
            ],
            None,
        ));
        let (a, b) = (
            std::fs::read(&first).expect("read"),
            std::fs::read(&second).expect("read"),
        );
        if name.ends_with(".csv") {
            assert_eq!(a, b, "{name}: byte for byte");
        } else {
            let read = |bytes: &[u8]| {
                domain::import::table::read_table(bytes, &Default::default())
                    .expect("xlsx")
                    .rows
            };
            assert_eq!(read(&a), read(&b), "{name}: cell for cell");
        }
    }
    let sjis = std::fs::read(dir.join(format!("{}-a.csv", db.url.len()))).expect("read");
    let (text, _, errors) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!errors && text.starts_with("社員番号,氏名,フリガナ,メール,生年月日,入社日,所属コード,所属,役職,等級,上司社員番号,在籍区分,評価2024,評価2025\r\n"), "{text}");
    assert!(
        text.contains(
            "E0003,鈴木 一郎,スズキ イチロウ,suzuki@acme.example.jp,1977-04-01,2011-04-01,"
        ),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn export_round_trip_sqlite() {
    export_round_trip(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn export_round_trip_postgres() {
    export_round_trip(TestDb::postgres().await).await;
}

/// Runs kyoritsu with these note-key variables (and no others from the environment).
fn kyoritsu_with_keys(url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyoritsu"));
    cmd.env("KYORITSU_DICTIONARY_DIR", dictionary_dir());
    cmd.args(args)
        .args(["--database-url", url])
        .env_remove("KYORITSU_DATABASE_URL")
        .env_remove("KYORITSU_NOTE_KEY")
        .env_remove("KYORITSU_NOTE_PREVIOUS_KEYS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run kyoritsu")
}

#[tokio::test]
async fn sqlite_gets_a_key_file_and_notes_can_be_rotated_to_a_new_key() {
    let db = TestDb::sqlite().await;
    let path = db.url.trim_start_matches("sqlite://").to_string();
    let key_file = format!("{path}.key");
    let out = kyoritsu_with_keys(&db.url, &["demo-data", "--employees", "40"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let old = std::fs::read_to_string(&key_file).expect("a key file beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the key file is readable by its owner only"
        );
    }
    // Everything is under the key file's key already.
    let v = json(&kyoritsu_with_keys(
        &db.url,
        &["notes", "rekey", "--format", "json"],
        &[],
    ));
    assert_eq!(v["resealed"], 0);
    // Rotate: a new key, the old one kept as a previous key.
    let out = kyoritsu_with_keys(&db.url, &["notes", "new-key"], &[]);
    let new = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(new.len(), 44, "32 bytes in base64");
    let previous = format!("[\"{}\"]", old.trim());
    let v = json(&kyoritsu_with_keys(
        &db.url,
        &["notes", "rekey", "--format", "json"],
        &[
            ("KYORITSU_NOTE_KEY", &new),
            ("KYORITSU_NOTE_PREVIOUS_KEYS", &previous),
        ],
    ));
    assert!(v["resealed"].as_u64().unwrap_or(0) > 5, "{v}");
    // No text of any table is left under the old key: the backup (which carries texts
    // sealed) names the new key's id in every sealed text, and there are texts of every
    // kind the demo writes (notes, applications, FA declarations, side jobs, requests).
    let key_id = v["key_id"].as_str().expect("key id").to_string();
    let out = kyoritsu_with_keys(
        &db.url,
        &["backup", "--tenant", "demo"],
        &[("KYORITSU_NOTE_KEY", &new)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut table = String::new();
    let mut sealed_in = std::collections::BTreeMap::<String, usize>::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        if let Some(t) = v["table"].as_str() {
            table = t.to_string();
        }
        for cell in v.as_array().into_iter().flatten() {
            let Some(text) = cell.as_str().and_then(|c| c.strip_prefix("k1.")) else {
                continue;
            };
            let Some((id, _)) = text.split_once('.') else {
                continue;
            };
            if id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                assert_eq!(id, key_id, "a text of {table} is still under the old key");
                *sealed_in.entry(table.clone()).or_default() += 1;
            }
        }
    }
    for t in [
        "dialogue_notes",
        "dialogue_requests",
        "posting_applications",
        "posting_outcomes",
        "fa_declarations",
        "fa_requests",
        "side_jobs",
    ] {
        assert!(
            sealed_in.contains_key(t),
            "no sealed text of {t} in {sealed_in:?}"
        );
    }
    // From now on the new key alone opens every note.
    let store = store::Store::connect(&db.url)
        .await
        .expect("connect")
        .with_note_keys(store::crypto::NoteKeys::parse(&new, &[]).expect("key"));
    let t = store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo");
    let mut read = 0;
    for d in 1..=20 {
        read += store
            .notes_of(t.id, d)
            .await
            .expect("opens with the new key")
            .len();
    }
    assert!(read > 0);
    // A wrong key is refused in plain words.
    let out = kyoritsu_with_keys(
        &db.url,
        &["notes", "rekey"],
        &[("KYORITSU_NOTE_KEY", "not-a-key")],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("note_key"));
}

#[test]
fn commitment_check_gets_the_issues_examples_right_as_json_lines() {
    let input = "期末の一ヶ月前になったら、経理経験2年未満の社員を集めて決算の勉強会を開きます\n\
                 後輩から頼られる存在になります\n\
                 \n\
                 1年以内にTOEICの点数を100点上げます\n\
                 6月30日までに英会話スクールに申し込んで、通い始めます\n\
                 もっと主体的に仕事に取り組むよう意識します\n\
                 来週の月曜から、毎朝15分英語のニュースを聞きます\n";
    let out = without_database(&["commitment", "check", "--format", "json"], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        6,
        "one line per statement, blank lines skipped"
    );
    let expected = [
        (true, true),
        (false, false),
        (true, false),
        (true, true),
        (false, false),
        (true, true),
    ];
    for (line, (objective, has_start)) in lines.iter().zip(expected) {
        assert!(
            line.starts_with("{\"text\":")
                && line.contains("\"objective\"")
                && line.contains("\"suggestion\""),
            "fields as documented: {line}"
        );
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(v["objective"], objective, "{line}");
        assert_eq!(v["has_start"], has_start, "{line}");
        assert_eq!(v["passes"], objective && has_start, "{line}");
        let reasons = v["reasons"].as_array().expect("reasons");
        assert_eq!(reasons.is_empty(), objective && has_start, "{line}");
        assert_eq!(v["suggestion"].is_null(), objective && has_start, "{line}");
    }
    let second: serde_json::Value = serde_json::from_str(lines[1]).expect("json");
    assert!(
        second["reasons"][0]
            .as_str()
            .unwrap_or("")
            .contains("存在になります")
    );
    assert!(
        second["suggestion"]
            .as_str()
            .unwrap_or("")
            .contains("後輩から頼られる")
    );
}

/// With the dictionary the checks answer the start on its own and `--explain` shows the
/// words they read; without it they fall back to the word lists, saying so on stderr.
#[test]
fn commitment_check_reads_with_the_dictionary_and_falls_back_without_it() {
    let input = "来週から、笑顔で挨拶するよう心がけます\n";
    let out = without_database(
        &["commitment", "check", "--format", "json", "--explain"],
        input,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap_or_default())
            .expect("json");
    assert_eq!(
        (v["objective"].as_bool(), v["has_start"].as_bool()),
        (Some(false), Some(true))
    );
    let tokens = v["tokens"].as_array().expect("tokens under --explain");
    assert!(
        tokens.iter().any(|t| t["surface"] == "心がけ"
            && t["lemma"] == "心がける"
            && t["pos"] == "動詞-自立"),
        "{tokens:?}"
    );
    let missing = std::env::temp_dir().join("kyoritsu-no-dictionary");
    let missing = missing.to_string_lossy();
    let out = without_database_env(
        &["commitment", "check", "--format", "json"],
        input,
        &[
            ("KYORITSU_DICTIONARY_DIR", &missing),
            ("KYORITSU_DICTIONARY_SOURCE", &missing),
        ],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mecab-ipadic"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The word lists give a start only to an objective statement.
    assert_eq!(
        (v["objective"].as_bool(), v["has_start"].as_bool()),
        (Some(false), Some(false))
    );
    assert!(v.get("tokens").is_none());
}

/// Every row of a query as text columns, on either engine.
async fn text_rows(url: &str, sql: &str) -> Vec<Vec<String>> {
    use sqlx::Row;
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        let rows = sqlx::query(sql).fetch_all(&pool).await.expect("query");
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i)
                            .ok()
                            .flatten()
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("pg");
        let rows = sqlx::query(sql).fetch_all(&pool).await.expect("query");
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i)
                            .ok()
                            .flatten()
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    }
}

/// The autonomy rate of the demo company, counted by hand from the raw tables with the
/// default definition, against `kyoritsu autonomy`.
async fn autonomy_matches_a_hand_count(db: TestDb) {
    let out = kyoritsu(&db.url, &["demo-data", "--employees", "200"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let today = domain::japan_time::japan_date(chrono::Utc::now());
    let fy = if chrono::Datelike::month(&today) >= 4 {
        chrono::Datelike::year(&today)
    } else {
        chrono::Datelike::year(&today) - 1
    };
    for year in [fy, fy - 3, fy - 9] {
        let v = json(&kyoritsu(
            &db.url,
            &["autonomy", "--fy", &year.to_string(), "--format", "json"],
            None,
        ));
        let (from, to) = (format!("{year}-04-01"), format!("{}-03-31", year + 1));
        let inside =
            |d: &str| d.len() >= 10 && &d[..10] >= from.as_str() && &d[..10] <= to.as_str();
        let people: Vec<String> = text_rows(
            &db.url,
            "SELECT CAST(id AS TEXT) FROM people WHERE status <> 'left'",
        )
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
        let rating_year: i32 = text_rows(
            &db.url,
            &format!(
                "SELECT CAST(MAX(fiscal_year) AS TEXT) FROM ratings WHERE fiscal_year <= {year}"
            ),
        )
        .await[0][0]
            .parse()
            .expect("a rated year");
        let value = |r: &str| match r {
            "S" => 5.0,
            "A" => 4.0,
            "B" => 3.0,
            "C" => 2.0,
            "D" => 1.0,
            _ => f64::NAN,
        };
        let ratings: std::collections::HashMap<String, f64> = text_rows(
            &db.url,
            &format!("SELECT CAST(person_id AS TEXT), rating FROM ratings WHERE fiscal_year = {rating_year}"),
        )
        .await
        .into_iter()
        .map(|r| (r[0].clone(), value(&r[1])))
        .collect();
        let mean = ratings.values().sum::<f64>() / ratings.len() as f64;
        let visions: std::collections::HashSet<String> = text_rows(
            &db.url,
            "SELECT CAST(subject_person_id AS TEXT), CAST(starts_at AS TEXT), CAST(vision_horizon AS TEXT) \
             FROM dialogues WHERE state = 'held' AND vision_horizon IS NOT NULL",
        )
        .await
        .into_iter()
        .filter(|r| inside(&r[1]) && r[2].parse::<i64>().unwrap_or(0) >= 2)
        .map(|r| r[0].clone())
        .collect();
        let practised: std::collections::HashSet<String> = text_rows(
            &db.url,
            "SELECT CAST(subject_person_id AS TEXT), CAST(starts_on AS TEXT), CAST(objective AS TEXT), \
             CAST(has_start AS TEXT), CAST(replaced AS TEXT), status FROM commitments WHERE confirmed_at IS NOT NULL",
        )
        .await
        .into_iter()
        .filter(|r| {
            let yes = |s: &str| s == "1" || s == "true";
            inside(&r[1])
                && yes(&r[2])
                && yes(&r[3])
                && !yes(&r[4])
                && ["started", "continuing", "done"].contains(&r[5].as_str())
        })
        .map(|r| r[0].clone())
        .collect();
        let autonomous = people
            .iter()
            .filter(|p| {
                ratings.get(*p).is_some_and(|r| *r > mean)
                    && visions.contains(*p)
                    && practised.contains(*p)
            })
            .count();
        assert_eq!(v["population"], people.len(), "FY{year}");
        assert_eq!(v["autonomous"], autonomous, "FY{year}: {v}");
        assert_eq!(
            v["conditions"]["vision"],
            people.iter().filter(|p| visions.contains(*p)).count()
        );
        assert_eq!(
            v["conditions"]["practice"],
            people.iter().filter(|p| practised.contains(*p)).count()
        );
        if year == fy {
            assert!(autonomous > 0, "the demo has autonomous people this year");
        }
    }
    // An unknown department is refused in plain words.
    let out = kyoritsu(
        &db.url,
        &["autonomy", "--fy", "2026", "--department", "NOPE"],
        None,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
}

#[tokio::test]
async fn autonomy_matches_a_hand_count_sqlite() {
    autonomy_matches_a_hand_count(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn autonomy_matches_a_hand_count_postgres() {
    autonomy_matches_a_hand_count(TestDb::postgres().await).await;
}

/// A stored time as its day in Japan, on either engine's text form.
fn japan_day(text: &str) -> Option<chrono::NaiveDate> {
    ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"]
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(text, f).ok())
        .map(|t| domain::japan_time::japan_date(t.with_timezone(&chrono::Utc)))
}

/// Every KPI of the company row of `kyoritsu kpi`, recounted from the raw tables by the
/// definitions DOMAIN.md and the dashboard give, on a generated company with ten years of
/// history (`--history`: written in bulk, so this also checks what the bulk writer
/// leaves behind on each engine).
async fn kpi_matches_a_recount(db: TestDb) {
    use std::collections::{HashMap, HashSet};
    let out = kyoritsu(
        &db.url,
        &[
            "demo-data",
            "--employees",
            "200",
            "--history",
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let made = json(&out);
    for what in [
        "interviews",
        "one_on_ones",
        "commitments",
        "themes",
        "manager_accounts",
    ] {
        assert!(
            made["history"][what].as_u64().unwrap_or(0) > 0,
            "{what}: {made}"
        );
    }
    assert_eq!(made["history"]["surveys"], 8, "{made}");
    // Ids were handed out by the bulk writer: the product's own inserts still work after
    // it (PostgreSQL's sequences were moved past them).
    let out = kyoritsu(
        &db.url,
        &[
            "user",
            "create",
            "--email",
            "after-history@demo.example.jp",
            "--name",
            "後 太郎",
            "--role",
            "hr",
        ],
        Some("a-long-enough-password\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The cadence counts each pair's months once, and only the manager's own 1on1s: a
    // second 1on1 in the same month for some pairs, and some held by someone else.
    let copy = "INSERT INTO dialogues (tenant_id, kind, subject_person_id, facilitator_user_id, \
                starts_at, duration_minutes, place, state, created_by_user_id, created_at) \
                SELECT tenant_id, kind, subject_person_id, {facilitator}, starts_at, \
                duration_minutes, place, state, created_by_user_id, created_at FROM dialogues \
                WHERE kind = 'one_on_one' AND id % {every} = 0";
    for (facilitator, every) in [
        ("facilitator_user_id", "5"),
        (
            "(SELECT MIN(id) FROM users WHERE person_id IS NOT NULL)",
            "7",
        ),
    ] {
        text_rows(
            &db.url,
            &copy
                .replace("{facilitator}", facilitator)
                .replace("{every}", every),
        )
        .await;
    }
    // On PostgreSQL the bulk writer takes the tables' foreign keys and secondary indexes
    // off while it writes: every one is back afterwards.
    if db.url.starts_with("postgres") {
        let back: Vec<String> = text_rows(
            &db.url,
            "SELECT indexname FROM pg_indexes WHERE tablename IN \
             ('dialogues', 'commitments', 'dialogue_concerns') \
             UNION ALL SELECT conname FROM pg_constraint WHERE contype = 'f' \
             AND conrelid::regclass::text IN ('dialogues', 'commitments', 'dialogue_concerns')",
        )
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
        for name in [
            "dialogues_kind_starts",
            "dialogues_subject_starts",
            "dialogues_facilitator_starts",
            "dialogues_vision_starts",
            "dialogue_concerns_dialogue",
            "dialogues_subject_person_id_fkey",
            "dialogues_facilitator_user_id_fkey",
            "commitments_dialogue_id_fkey",
            "dialogue_concerns_dialogue_id_fkey",
        ] {
            assert!(back.iter().any(|n| n == name), "{name} missing: {back:?}");
        }
    }
    let today = domain::japan_time::japan_date(chrono::Utc::now());
    let this_fy = if chrono::Datelike::month(&today) >= 4 {
        chrono::Datelike::year(&today)
    } else {
        chrono::Datelike::year(&today) - 1
    };
    let yes = |s: &str| s == "1" || s == "true" || s == "t";
    for fy in [this_fy, this_fy - 1, this_fy - 6] {
        let v = json(&kyoritsu(
            &db.url,
            &["kpi", "--fy", &fy.to_string(), "--format", "json"],
            None,
        ));
        let from = chrono::NaiveDate::from_ymd_opt(fy, 4, 1).expect("d");
        let end = chrono::NaiveDate::from_ymd_opt(fy + 1, 3, 31).expect("d");
        let until = std::cmp::min(end, today);
        let in_fy = |t: &str| japan_day(t).is_some_and(|d| d >= from && d <= end);
        let url = db.url.clone();
        let rows = move |sql: &str| {
            let (url, sql) = (url.clone(), sql.to_string());
            async move { text_rows(&url, &sql).await }
        };
        let people: HashMap<String, String> = rows(
            "SELECT CAST(id AS TEXT), CAST(manager_id AS TEXT) FROM people WHERE status <> 'left'",
        )
        .await
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
        let held = rows(
            "SELECT CAST(subject_person_id AS TEXT), kind, CAST(starts_at AS TEXT), \
             CAST(facilitator_user_id AS TEXT), CAST(id AS TEXT) FROM dialogues WHERE state = 'held'",
        )
        .await;
        let interview = |k: &str| k == "career_interview" || k == "milestone_interview";
        let interviewed: HashSet<&String> = held
            .iter()
            .filter(|r| interview(&r[1]) && in_fy(&r[2]) && people.contains_key(&r[0]))
            .map(|r| &r[0])
            .collect();
        let recent: HashSet<&String> = held
            .iter()
            .filter(|r| {
                japan_day(&r[2])
                    .is_some_and(|d| d <= until && d > until - chrono::Duration::days(365))
            })
            .map(|r| &r[0])
            .collect();
        let consulted: HashSet<&String> = held
            .iter()
            .filter(|r| r[1] == "consultation" && in_fy(&r[2]))
            .map(|r| &r[0])
            .collect();
        // (value, people the figure covers)
        let share = |num: usize, den: usize| ((den > 0).then(|| num as f64 / den as f64), den);
        let mut expected: Vec<(&str, (Option<f64>, usize))> = vec![
            ("interview_coverage", share(interviewed.len(), people.len())),
            (
                "no_dialogue_12_months",
                share(
                    people.keys().filter(|p| !recent.contains(p)).count(),
                    people.len(),
                ),
            ),
            (
                "consultant_usage",
                share(
                    people.keys().filter(|p| consulted.contains(p)).count(),
                    people.len(),
                ),
            ),
        ];
        // Commitments that count, with their dialogue.
        let dialogue_of: HashMap<&String, &Vec<String>> = held.iter().map(|r| (&r[4], r)).collect();
        let commitments = rows(
            "SELECT CAST(subject_person_id AS TEXT), CAST(dialogue_id AS TEXT), CAST(starts_on AS TEXT), \
             status, CAST(objective AS TEXT), CAST(has_start AS TEXT), CAST(replaced AS TEXT) \
             FROM commitments WHERE confirmed_at IS NOT NULL",
        )
        .await;
        let counting: Vec<&Vec<String>> = commitments
            .iter()
            .filter(|r| yes(&r[4]) && yes(&r[5]) && !yes(&r[6]) && people.contains_key(&r[0]))
            .collect();
        let committed: HashSet<&String> = counting
            .iter()
            .filter(|r| {
                dialogue_of
                    .get(&r[1])
                    .is_some_and(|d| interview(&d[1]) && in_fy(&d[2]))
            })
            .map(|r| &r[0])
            .collect();
        expected.push((
            "commitment_rate",
            share(
                interviewed
                    .iter()
                    .filter(|p| committed.contains(*p))
                    .count(),
                interviewed.len(),
            ),
        ));
        let mut due: HashMap<&String, bool> = HashMap::new();
        for r in &counting {
            let starts = chrono::NaiveDate::parse_from_str(&r[2], "%Y-%m-%d");
            if starts.is_ok_and(|d| d >= from && d <= until) {
                *due.entry(&r[0]).or_default() |=
                    ["started", "continuing", "done"].contains(&r[3].as_str());
            }
        }
        expected.push((
            "start_adherence",
            share(due.values().filter(|s| **s).count(), due.len()),
        ));
        let evaluations = rows(&format!(
            "SELECT CAST(person_id AS TEXT), level FROM behaviour_evaluations WHERE fiscal_year = {fy}"
        ))
        .await;
        let evaluated: Vec<&Vec<String>> = evaluations
            .iter()
            .filter(|r| people.contains_key(&r[0]))
            .collect();
        expected.push((
            "behaviour_change",
            share(
                evaluated
                    .iter()
                    .filter(|r| r[1] == "remarkable" || r[1] == "changed")
                    .count(),
                evaluated.len(),
            ),
        ));
        let reports: Vec<Vec<String>> = rows(
            "SELECT CAST(subject_person_id AS TEXT), CAST(sent_at AS TEXT), CAST(acknowledged_at AS TEXT) \
             FROM feedback_reports WHERE sent_at IS NOT NULL AND retracted_at IS NULL",
        )
        .await
        .into_iter()
        .filter(|r| in_fy(&r[1]) && people.contains_key(&r[0]))
        .collect();
        let subjects: HashSet<&String> = reports.iter().map(|r| &r[0]).collect();
        let acknowledged = reports.iter().filter(|r| !r[2].is_empty()).count();
        expected.push((
            "feedback_acknowledged",
            (share(acknowledged, reports.len()).0, subjects.len()),
        ));
        let targets: Vec<Vec<String>> = rows(&format!(
            "SELECT CAST(t.person_id AS TEXT), CAST(t.answered AS TEXT) FROM survey_targets t \
             JOIN surveys s ON s.id = t.survey_id WHERE s.fiscal_year = {fy}"
        ))
        .await
        .into_iter()
        .filter(|r| people.contains_key(&r[0]))
        .collect();
        let asked: HashSet<&String> = targets.iter().map(|r| &r[0]).collect();
        let answered = targets.iter().filter(|r| yes(&r[1])).count();
        expected.push((
            "survey_participation",
            (share(answered, targets.len()).0, asked.len()),
        ));
        // 1on1s: each report met by their own manager, once per month begun.
        let person_of: HashMap<String, String> =
            rows("SELECT CAST(id AS TEXT), CAST(person_id AS TEXT) FROM users")
                .await
                .into_iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect();
        let months = {
            use chrono::Datelike;
            ((until.year() - fy) * 12 + until.month() as i32 - 4 + 1).clamp(0, 12) as usize
        };
        let met: HashSet<(String, u32)> = held
            .iter()
            .filter(|r| r[1] == "one_on_one")
            .filter_map(|r| {
                let d = japan_day(&r[2]).filter(|d| *d >= from && *d <= until)?;
                let manager = people.get(&r[0]).filter(|m| !m.is_empty())?;
                (person_of.get(&r[3]) == Some(manager)).then(|| {
                    use chrono::Datelike;
                    (r[0].clone(), d.month0())
                })
            })
            .collect();
        let reports_due = people
            .values()
            .filter(|m| !m.is_empty() && people.contains_key(*m))
            .count();
        let pairs = reports_due * months;
        expected.push((
            "one_on_one_cadence",
            (share(met.len(), pairs).0, reports_due),
        ));
        // Opportunities used: applications, side jobs and subsidy claims by when they were
        // made; FA declarations and completed courses by their day.
        let by_time = rows(
            "SELECT CAST(person_id AS TEXT), CAST(created_at AS TEXT) FROM posting_applications \
             UNION ALL SELECT CAST(person_id AS TEXT), CAST(created_at AS TEXT) FROM side_jobs \
             UNION ALL SELECT CAST(person_id AS TEXT), CAST(created_at AS TEXT) FROM subsidy_claims",
        )
        .await;
        let by_day = rows(
            "SELECT CAST(person_id AS TEXT), CAST(declared_on AS TEXT) FROM fa_declarations \
             UNION ALL SELECT CAST(person_id AS TEXT), CAST(completed_on AS TEXT) FROM course_completions",
        )
        .await;
        let used: HashSet<&String> = by_time
            .iter()
            .filter(|r| in_fy(&r[1]))
            .chain(by_day.iter().filter(|r| {
                chrono::NaiveDate::parse_from_str(&r[1], "%Y-%m-%d")
                    .is_ok_and(|d| d >= from && d <= end)
            }))
            .map(|r| &r[0])
            .collect();
        expected.push((
            "opportunity_usage",
            share(
                people.keys().filter(|p| used.contains(p)).count(),
                people.len(),
            ),
        ));
        let figures = v["total"]["figures"].as_array().expect("figures");
        let k = v["k"].as_u64().expect("k") as usize;
        for (key, (want, people)) in &expected {
            let f = figures
                .iter()
                .find(|f| f["kpi"] == *key)
                .unwrap_or_else(|| panic!("{key} missing"));
            match (f["value"].as_f64(), want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "FY{fy} {key}: {g} ≠ {w}"),
                // The company's figure hides only when it covers fewer than k people.
                (None, Some(_)) => {
                    assert!(*people < k && f["suppressed"] == true, "FY{fy} {key}: {f}")
                }
                (g, w) => assert_eq!(g, *w, "FY{fy} {key}"),
            }
        }
        if fy == this_fy {
            for key in [
                "interview_coverage",
                "one_on_one_cadence",
                "commitment_rate",
                "opportunity_usage",
            ] {
                assert!(
                    expected
                        .iter()
                        .any(|(k, (w, _))| k == &key && w.is_some_and(|w| w > 0.0)),
                    "the generated company has {key} this year"
                );
            }
        }
        // The autonomy rate is the one `kyoritsu autonomy` gives.
        let a = json(&kyoritsu(
            &db.url,
            &["autonomy", "--fy", &fy.to_string(), "--format", "json"],
            None,
        ));
        let rate = figures
            .iter()
            .find(|f| f["kpi"] == "autonomy_rate")
            .expect("autonomy")["value"]
            .as_f64();
        assert_eq!(rate, a["rate"].as_f64(), "FY{fy} autonomy");
    }
    // Units: the company's sub-units are listed, each hidden or with its people.
    let v = json(&kyoritsu(
        &db.url,
        &["kpi", "--fy", &this_fy.to_string(), "--format", "json"],
        None,
    ));
    assert!(!v["rows"].as_array().expect("rows").is_empty());
    let out = kyoritsu(
        &db.url,
        &["kpi", "--fy", &this_fy.to_string(), "--department", "NOPE"],
        None,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("NOPE"));
}

#[tokio::test]
async fn kpi_matches_a_recount_sqlite() {
    kpi_matches_a_recount(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn kpi_matches_a_recount_postgres() {
    kpi_matches_a_recount(TestDb::postgres().await).await;
}

/// A command that needs no database, fed `input` on stdin.
fn without_database(args: &[&str], input: &str) -> Output {
    without_database_env(args, input, &[])
}

/// The Japanese dictionary every test process shares (built once, at first use).
fn dictionary_dir() -> String {
    format!("{}/ipadic", env!("CARGO_TARGET_TMPDIR"))
}

fn without_database_env(args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyoritsu"));
    cmd.env("KYORITSU_DICTIONARY_DIR", dictionary_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

fn anchors_score(input: &str) -> Output {
    without_database(&["anchors", "score", "--format", "json"], input)
}

#[test]
fn anchors_score_scores_paper_sheets_and_refuses_a_batch_with_a_bad_sheet() {
    // Hand-computed: technical/functional statements (1, 9, 17, 25, 33) rated 6,5,6,4,6
    // = 27 plus picks 1 and 17 (+8) = 35 → 7.0; service (6, 14, 22, 30, 38) rated 5 = 25
    // plus pick 22 = 29 → 5.8; the rest rated 2 → 2.0.
    let mut ratings = vec![2; 40];
    for (n, v) in [(1, 6), (9, 5), (17, 6), (25, 4), (33, 6)] {
        ratings[n - 1] = v;
    }
    for n in [6, 14, 22, 30, 38] {
        ratings[n - 1] = 5;
    }
    let sheet = serde_json::json!({"ratings": ratings, "picks": [1, 17, 22]});
    let v = json(&anchors_score(&sheet.to_string()));
    assert_eq!(v["scores"]["technical_functional"], 7.0);
    assert_eq!(v["scores"]["service"], 5.8);
    assert_eq!(v["scores"]["security"], 2.0);
    assert_eq!(v["dominant"], serde_json::json!(["technical_functional"]));
    // Ratings by statement number (as typed from paper, full-width allowed), and a tie.
    let by_number: serde_json::Map<String, serde_json::Value> = (1..=40)
        .map(|n| (n.to_string(), serde_json::json!("４")))
        .collect();
    let tie = serde_json::json!([{"ratings": by_number, "picks": ["3", "7", "8"]}]);
    let v = json(&anchors_score(&tie.to_string()));
    assert_eq!(
        v[0]["dominant"],
        serde_json::json!(["autonomy", "pure_challenge", "lifestyle"])
    );
    // A batch with one bad sheet scores nothing and says exactly why.
    let mut short = ratings.clone();
    short.truncate(38);
    let batch = serde_json::json!([
        sheet,
        {"ratings": short, "picks": [1, 2, 3, 4]},
    ]);
    let out = anchors_score(&batch.to_string());
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sheet 2: statements 39, 40 have no rating"),
        "{err}"
    );
    assert!(
        err.contains("sheet 2: 4 statements were picked as most true; pick exactly 3"),
        "{err}"
    );
    let out = anchors_score("not json");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not JSON"));
}

/// `kyoritsu programme report` and `programme assign` on the demo's running programme:
/// the frozen cohort is `kyoritsu cohort`'s, the funnel counts it, and the placement the
/// CLI prints is the one the demo saved with the same rule (groups of allowed size, each
/// grouped person in exactly one group).
async fn programme_report_and_assign(db: TestDb) {
    let out = kyoritsu(&db.url, &["demo-data", "--employees", "200"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let row = text_rows(
        &db.url,
        "SELECT CAST(id AS TEXT), CAST(fiscal_year AS TEXT) FROM programmes \
         WHERE template = 'milestone_age' ORDER BY fiscal_year DESC, id DESC",
    )
    .await;
    let (id, fy) = (row[0][0].clone(), row[0][1].clone());
    let members = text_rows(
        &db.url,
        &format!(
            "SELECT p.employee_number, CASE WHEN pp.late_joiner THEN 'late' ELSE 'launch' END \
             FROM programme_participants pp JOIN people p ON p.id = pp.person_id \
             WHERE pp.programme_id = {id} ORDER BY p.employee_number"
        ),
    )
    .await;
    // Frozen at launch: exactly the cohort of `kyoritsu cohort`, plus late joiners.
    let cohort = json(&kyoritsu(
        &db.url,
        &["cohort", "--fy", &fy, "--turns", "50", "--format", "json"],
        None,
    ));
    let mut from_cohort: Vec<String> = cohort["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| {
            p["employee_number"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    from_cohort.sort();
    let at_launch: Vec<String> = members
        .iter()
        .filter(|r| r[1] == "launch")
        .map(|r| r[0].clone())
        .collect();
    assert!(!at_launch.is_empty());
    assert_eq!(at_launch, from_cohort);

    let report = json(&kyoritsu(
        &db.url,
        &["programme", "report", "--id", &id, "--format", "json"],
        None,
    ));
    let funnel = report["funnel"].as_array().expect("funnel");
    let stages: Vec<&str> = funnel
        .iter()
        .map(|s| s["stage"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        stages,
        [
            "targeted",
            "pre_learning",
            "anchors",
            "trained",
            "interviewed",
            "committed",
            "started",
            "evaluated"
        ]
    );
    assert_eq!(funnel[0]["count"].as_u64(), Some(members.len() as u64));
    assert_eq!(funnel[0]["rate"].as_f64(), Some(1.0));
    let committed = funnel[5]["count"].as_u64().unwrap_or(0);
    let by_sessions: u64 = report["sessions_to_commitment"]
        .as_object()
        .expect("distribution")
        .values()
        .filter_map(|v| v.as_u64())
        .sum();
    assert_eq!(by_sessions, committed);
    // Autonomy of the cohort against the company, from the year before the programme.
    let years: Vec<i64> = report["autonomy"]
        .as_array()
        .expect("autonomy")
        .iter()
        .map(|y| y["fiscal_year"].as_i64().unwrap_or_default())
        .collect();
    let fy_n: i64 = fy.parse().expect("fy");
    assert_eq!(years.first(), Some(&(fy_n - 1)));
    assert!(report["autonomy"][0]["company_rate"].is_number());
    let text = kyoritsu(&db.url, &["programme", "report", "--id", &id], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("targeted") && text.contains("Autonomy FY"));

    // The placement the CLI prints is the one the demo saved.
    let sessions = text_rows(
        &db.url,
        &format!(
            "SELECT CAST(id AS TEXT), CAST(capacity AS TEXT) FROM training_sessions \
             WHERE programme_id = {id} ORDER BY id"
        ),
    )
    .await;
    for s in &sessions {
        let v = json(&kyoritsu(
            &db.url,
            &[
                "programme",
                "assign",
                "--session",
                &s[0],
                "--format",
                "json",
            ],
            None,
        ));
        assert_eq!(v["applied"], false);
        let people: Vec<String> = v["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|p| {
                p["employee_number"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        assert!(people.len() <= s[1].parse::<usize>().expect("capacity"));
        let mut saved: Vec<String> = text_rows(
            &db.url,
            &format!(
                "SELECT p.employee_number FROM programme_participants pp \
                 JOIN people p ON p.id = pp.person_id WHERE pp.session_id = {}",
                s[0]
            ),
        )
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
        saved.sort();
        let mut printed = people.clone();
        printed.sort();
        assert_eq!(printed, saved, "session {}", s[0]);
        // Everyone with an inventory result is in exactly one group of 4–6.
        if v["grouping_impossible"] == false {
            let mut grouped: Vec<String> = Vec::new();
            for g in v["groups"].as_array().expect("groups") {
                let m = g["members"].as_array().expect("members");
                assert!((4..=6).contains(&m.len()), "group of {}", m.len());
                grouped.extend(m.iter().map(|x| x.as_str().unwrap_or_default().to_string()));
            }
            let without: Vec<String> = v["without_anchors"]
                .as_array()
                .expect("without")
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect();
            grouped.extend(without);
            grouped.sort();
            assert_eq!(grouped, printed);
        }
    }
    let out = kyoritsu(
        &db.url,
        &["programme", "assign", "--session", "999999"],
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no training session 999999"),
        "{}",
        stderr(&out)
    );
    let out = kyoritsu(&db.url, &["programme", "report", "--id", "999999"], None);
    assert!(!out.status.success() && stderr(&out).contains("no programme 999999"));
}

#[tokio::test]
async fn programme_report_and_assign_sqlite() {
    programme_report_and_assign(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn programme_report_and_assign_postgres() {
    programme_report_and_assign(TestDb::postgres().await).await;
}

/// A backup's rows, table by table, as comparable text: every line of the file but the
/// header and trailer. Timestamps are cut to the microsecond (PostgreSQL's precision)
/// when `micros`. Left out: the audit log (a restore adds its own entry) and the
/// tenant's directory version (every restore moves it on).
fn backup_rows(text: &str, micros: bool) -> Vec<String> {
    let mut table = String::new();
    let mut skip: Option<usize> = None;
    let mut out = Vec::new();
    for l in text.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(l).expect("json line");
        if let Some(t) = v["table"].as_str() {
            table = t.to_string();
            skip = v["columns"]
                .as_array()
                .and_then(|c| c.iter().position(|c| c[0] == "directory_version"));
            out.push(l.to_string());
            continue;
        }
        if v.get("end_of_backup").is_some() || v.get("end").is_some() || table == "audit_log" {
            continue;
        }
        let cells: Vec<serde_json::Value> = v
            .as_array()
            .expect("row")
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .map(|(_, c)| match c.as_str() {
                Some(s) if micros && s.len() > 20 && s.as_bytes().get(19) == Some(&b'.') => {
                    match chrono::DateTime::parse_from_rfc3339(s) {
                        Ok(t) => serde_json::Value::from(
                            t.with_timezone(&chrono::Utc)
                                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                        ),
                        Err(_) => c.clone(),
                    }
                }
                _ => c.clone(),
            })
            .collect();
        out.push(format!("{table}\t{}", serde_json::Value::Array(cells)));
    }
    out.sort();
    out
}

async fn backup_round_trip(source: TestDb, targets: Vec<TestDb>) {
    let (t, _) = kyoritsu::cli::create_demo(&source.store, 60, 2, false)
        .await
        .expect("demo company");
    assert!(
        source
            .store
            .tables_missing_from_backups()
            .await
            .expect("tables")
            .is_empty(),
        "every table with tenant data is in backups"
    );
    // One folder per source engine: the two round trips run at the same time.
    let dir = std::env::temp_dir().join(format!(
        "kyoritsu-backup-{}-{:?}",
        std::process::id(),
        source.store.engine()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(format!("demo-{:?}.kyoritsu", source.store.engine()));
    let file_s = file.to_string_lossy().to_string();
    // To standard output, as the README says, and to a file: the same rows.
    let out = kyoritsu(&source.url, &["backup", "--tenant", "demo"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Backed up tenant demo"),
        "{}",
        stderr(&out)
    );
    let stdout_copy = String::from_utf8(out.stdout).expect("utf-8");
    let v = json(&kyoritsu(
        &source.url,
        &[
            "backup", "--tenant", "demo", "--output", &file_s, "--format", "json",
        ],
        None,
    ));
    assert_eq!(v["tenant"], "demo");
    let written = std::fs::read_to_string(&file).expect("backup file");
    assert!(
        written
            .lines()
            .next()
            .is_some_and(|h| h.contains("\"format\":\"kyoritsu-backup\""))
    );
    let expected = backup_rows(&written, true);
    assert!(expected.len() > 1000, "{} rows", expected.len());
    for table in [
        "dialogue_notes",
        "dialogue_consents",
        "commitments",
        "programmes",
        "ratings",
    ] {
        assert!(
            expected
                .iter()
                .any(|r| r.starts_with(&format!("{table}\t"))),
            "the demo fills {table}"
        );
    }
    assert_eq!(backup_rows(&stdout_copy, true), expected);
    for target in targets {
        let micros = true;
        // Into an empty database: every row, sealed texts still sealed.
        let v = json(&kyoritsu(
            &target.url,
            &["restore", &file_s, "--format", "json"],
            None,
        ));
        assert_eq!(v["tenant"], "demo");
        let again = kyoritsu(&target.url, &["backup", "--tenant", "demo"], None);
        assert!(again.status.success(), "{}", stderr(&again));
        let restored = String::from_utf8(again.stdout).expect("utf-8");
        assert_eq!(
            backup_rows(&restored, micros),
            expected,
            "{:?} → {:?}: every table's rows",
            source.store.engine(),
            target.store.engine()
        );
        // A sealed note opens in the target with the same key.
        let rt = target
            .store
            .tenant_by_slug("demo")
            .await
            .expect("q")
            .expect("restored tenant");
        assert_eq!(rt.id, t.id);
        let consultant = target
            .store
            .user_by_email(
                rt.id,
                &domain::EmailAddress::parse("consultant@demo.example.jp").expect("e"),
            )
            .await
            .expect("q")
            .expect("the demo consultant");
        let mut opened = 0;
        for d in target
            .store
            .dialogues_facilitated_by(rt.id, consultant.id)
            .await
            .expect("q")
        {
            opened += target
                .store
                .notes_of(rt.id, d.id)
                .await
                .expect("notes open")
                .len();
        }
        assert!(opened > 0, "notes were restored and open");
        // Over an existing tenant: refused, nothing written, unless told to replace it.
        let out = kyoritsu(&target.url, &["restore", &file_s], None);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("exists in this database already"),
            "{}",
            stderr(&out)
        );
        // Replacing brings back what the backup holds, removing what came later.
        target
            .store
            .set_user_disabled(rt.id, store::UserId(1), true)
            .await
            .ok();
        let out = kyoritsu(&target.url, &["restore", &file_s, "--replace"], None);
        assert!(out.status.success(), "{}", stderr(&out));
        let again = kyoritsu(&target.url, &["backup", "--tenant", "demo"], None);
        assert_eq!(
            backup_rows(&String::from_utf8(again.stdout).expect("utf-8"), micros),
            expected,
            "replaced exactly"
        );
        let (audit, _) = target
            .store
            .list_audit(
                rt.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Restored),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 2, "each restore is in the audit log");
    }
    // A file cut short, or not a backup at all, changes nothing.
    let cut = dir.join("cut.kyoritsu");
    let half: String = written
        .lines()
        .take(written.lines().count() / 2)
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&cut, half).expect("write");
    let empty = TestDb::sqlite().await;
    let out = kyoritsu(&empty.url, &["restore", &cut.to_string_lossy()], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("cut short"), "{}", stderr(&out));
    assert!(
        empty.store.list_tenants().await.expect("q").is_empty(),
        "nothing written"
    );
    let out = kyoritsu(
        &empty.url,
        &["restore", &fixture("employees_sjis.csv")],
        None,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_tenant_backed_up_from_sqlite_restores_exactly_into_both_engines() {
    backup_round_trip(
        TestDb::sqlite().await,
        vec![TestDb::postgres().await, TestDb::sqlite().await],
    )
    .await;
}

#[tokio::test]
async fn a_tenant_backed_up_from_postgres_restores_exactly_into_both_engines() {
    backup_round_trip(
        TestDb::postgres().await,
        vec![TestDb::sqlite().await, TestDb::postgres().await],
    )
    .await;
}

/// `kyoritsu consultants propose` and `import`: exactly ten proposals with scores and
/// reasons on the demo; a profile file with broken rows lists every problem and imports
/// nothing; a clean one imports all, making accounts without a password.
async fn consultants(db: TestDb) {
    let url = db.url.clone();
    json(&kyoritsu(
        &url,
        &["demo-data", "--employees", "80", "--format", "json"],
        None,
    ));
    let t = db
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo");
    let me = db
        .store
        .user_by_email(
            t.id,
            &domain::EmailAddress::parse("employee@demo.example.jp").expect("e"),
        )
        .await
        .expect("q")
        .expect("employee");
    let number = db
        .store
        .person(t.id, me.person_id.expect("person"))
        .await
        .expect("q")
        .expect("person")
        .employee_number;
    let out = json(&kyoritsu(
        &url,
        &[
            "consultants",
            "propose",
            "--employee",
            &number,
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(out["employee"], number.as_str());
    let proposals = out["proposals"].as_array().expect("proposals");
    assert_eq!(proposals.len(), 10);
    for p in proposals {
        assert!(p["consultant_id"].as_i64().is_some());
        assert!(!p["name"].as_str().expect("name").is_empty());
        assert!(p["score"].as_f64().is_some());
        assert!(!p["reasons"].as_array().expect("reasons").is_empty());
    }
    let again = json(&kyoritsu(
        &url,
        &[
            "consultants",
            "propose",
            "--employee",
            &number,
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(again["proposals"], out["proposals"], "the same ten");
    let unknown = kyoritsu(
        &url,
        &["consultants", "propose", "--employee", "X999"],
        None,
    );
    assert!(!unknown.status.success() && stderr(&unknown).contains("no employee numbered"));

    let dir = std::env::temp_dir().join(format!(
        "kyoritsu-ci-{}-{:?}",
        std::process::id(),
        db.store.engine()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let header = "メールアドレス,表示名,よみがな,登録番号,経験年数,得意なテーマ,相談の進め方,メッセージ,ひと月の受け入れ数,年代\n";
    let broken = dir.join("broken.csv");
    std::fs::write(
        &broken,
        format!(
            "{header}\
             new1@partners.example.jp,森 花子,もり はなこ,16011111,10,育児・介護との両立、転職,じっくり聴く,お話を伺います。,12,40代\n\
             new2@partners.example.jp,林 一郎,Hayashi,1601,5,占い,聴く,,9999,\n\
             new1@partners.example.jp,森 花子,モリ ハナコ,16011111,10,転職,advise,よろしくお願いします。,12,\n\
             hr@demo.example.jp,人事 太郎,ジンジ タロウ,16012222,3,異動,listen,人事です。,5,\n"
        ),
    )
    .expect("write");
    let before = db.store.consultants(t.id).await.expect("q").len();
    let out = kyoritsu(
        &url,
        &[
            "consultants",
            "import",
            broken.to_str().expect("path"),
            "--format",
            "json",
        ],
        None,
    );
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let problems = v["problems"].as_array().expect("problems");
    let text = v.to_string();
    for expected in [
        "よみがなは、カタカナかひらがなで入力してください",
        "登録番号は8桁の数字",
        "選べないテーマ",
        "相談の進め方を選んでください",
        "相談者へのメッセージを書いてください",
        "0〜200件",
        "同じメールアドレスが2行目にもあります",
        "キャリアコンサルタントではありません",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        problems
            .iter()
            .all(|p| p["line"].as_u64().is_some_and(|l| l >= 2))
    );
    assert_eq!(
        db.store.consultants(t.id).await.expect("q").len(),
        before,
        "nothing imported"
    );
    let clean = dir.join("clean.csv");
    std::fs::write(
        &clean,
        format!(
            "{header}\
             new1@partners.example.jp,森 花子,もり はなこ,第１６０１１１１１号,10,育児・介護との両立、転職,じっくり聴く,お話を伺います。,12,40代\n\
             new2@partners.example.jp,林 一郎,ハヤシ イチロウ,16012345,5,学び直し,think_together,一緒に考えます。,8,\n"
        ),
    )
    .expect("write");
    let out = json(&kyoritsu(
        &url,
        &[
            "consultants",
            "import",
            clean.to_str().expect("path"),
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        (out["consultants"].as_u64(), out["new_accounts"].as_u64()),
        (Some(2), Some(2))
    );
    let all = db.store.consultants(t.id).await.expect("q");
    assert_eq!(all.len(), before + 2);
    let mori = all
        .iter()
        .find(|c| c.email == "new1@partners.example.jp")
        .and_then(|c| c.profile.clone())
        .expect("imported");
    assert_eq!(mori.kana, "モリ ハナコ");
    assert_eq!(mori.registration_number, "16011111");
    assert_eq!(mori.age_band, Some(domain::consultant::AgeBand::Forties));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn consultants_sqlite() {
    consultants(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn consultants_postgres() {
    consultants(TestDb::postgres().await).await;
}
