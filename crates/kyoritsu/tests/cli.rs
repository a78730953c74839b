//! The command line as scripts use it: exit codes, plain-word errors and `--format json`,
//! on SQLite and PostgreSQL.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use store::testing::TestDb;

fn kyoritsu(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyoritsu"))
        .args(args)
        .args(["--database-url", url])
        .env_remove("KYORITSU_DATABASE_URL")
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
            .map(|(_, u)| u.0),
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
        status: "active".into(),
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
