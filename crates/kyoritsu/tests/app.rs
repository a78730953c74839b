//! The whole application over HTTP, on SQLite and PostgreSQL: sign-in, sessions, CSRF,
//! the permission matrix, confidentiality of people across reporting lines and tenants,
//! the audit log, the API's errors and the operations endpoints.

use domain::{EmailAddress, Role, TenantSlug};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use std::net::SocketAddr;
use store::Store;
use store::testing::TestDb;
use store::users::NewUser;

const PW: &str = kyoritsu::demo::DEMO_PASSWORD;

struct TestApp {
    base: String,
    store: Store,
    state: web::AppState,
    _db: TestDb,
}

impl TestApp {
    async fn spawn(db: TestDb) -> TestApp {
        kyoritsu::cli::create_demo(&db.store, 80, 3, false)
            .await
            .expect("demo company");
        TestApp::serve(db).await
    }

    /// The app over a database as it is.
    async fn serve(db: TestDb) -> TestApp {
        let store = db.store.clone();
        let state = web::AppState::new(
            store.clone(),
            web::WebConfig {
                secure_cookies: false,
                ..Default::default()
            },
        );
        let app = web::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        TestApp {
            base: format!("http://{addr}"),
            store,
            state,
            _db: db,
        }
    }

    /// The background worker of this app, sending email to `smtp` (none: emails stay
    /// queued). Tests run its ticks by hand.
    fn worker(&self, smtp: Option<u16>) -> web::worker::Worker {
        web::worker::Worker::new(
            self.state.clone(),
            smtp.map(|port| {
                web::worker::Mailer::new(
                    &format!("smtp://127.0.0.1:{port}"),
                    "Kyoritsu <no-reply@demo.example.jp>",
                )
                .expect("mailer")
            }),
        )
    }

    fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("client"),
        }
    }

    async fn signed_in(&self, email: &str) -> Browser {
        let b = self.browser();
        let r = b.login(email, PW).await;
        assert_eq!(
            r.0,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed: {}",
            r.1
        );
        b
    }

    async fn demo_tenant(&self) -> store::tenants::Tenant {
        self.store
            .tenant_by_slug("demo")
            .await
            .expect("q")
            .expect("demo tenant")
    }

    /// The demo account with this address.
    async fn user(&self, email: &str) -> store::users::User {
        let t = self.demo_tenant().await;
        self.store
            .user_by_email(t.id, &EmailAddress::parse(email).expect("e"))
            .await
            .expect("q")
            .expect("user")
    }

    /// The fiscal year the app's clock is in, as a form would carry it.
    async fn this_fy(&self) -> String {
        let t = self.demo_tenant().await;
        t.settings
            .calendar
            .fiscal_year_of(self.state.clock.today())
            .0
            .to_string()
    }

    async fn person_of(&self, email: &str) -> i64 {
        let t = self.demo_tenant().await;
        let u = self
            .store
            .user_by_email(t.id, &EmailAddress::parse(email).expect("e"))
            .await
            .expect("q")
            .expect("user");
        u.person_id.expect("linked").0
    }

    async fn token(&self, email: &str) -> String {
        let t = self.demo_tenant().await;
        let u = self
            .store
            .user_by_email(t.id, &EmailAddress::parse(email).expect("e"))
            .await
            .expect("q")
            .expect("user");
        self.store
            .create_token(t.id, u.id, "test")
            .await
            .expect("token")
            .1
    }

    async fn api(&self, token: Option<&str>, path: &str) -> (StatusCode, serde_json::Value) {
        let mut req = reqwest::Client::new().get(format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{}", self.base, path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let s = r.status();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Someone outside the demo manager's line: the demo HR person.
    async fn outsider(&self) -> i64 {
        self.person_of("hr@demo.example.jp").await
    }

    async fn report_of_manager(&self) -> i64 {
        self.person_of("employee@demo.example.jp").await
    }
}

struct Browser {
    base: String,
    http: reqwest::Client,
}

impl Browser {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request");
        let s = r.status();
        (s, r.text().await.unwrap_or_default())
    }

    async fn get_with_location(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request");
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (r.status(), loc)
    }

    async fn csrf(&self, page: &str) -> String {
        let (_, body) = self.get(page).await;
        body.split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string()
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let r = self
            .http
            .post(format!("{}{}", self.base, path))
            .form(fields)
            .send()
            .await
            .expect("request");
        let s = r.status();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = r.text().await.unwrap_or_default();
        (s, loc.unwrap_or(body))
    }

    async fn login(&self, email: &str, password: &str) -> (StatusCode, String) {
        let csrf = self.csrf("/login").await;
        self.post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", ""),
            ],
        )
        .await
    }
}

/// A real SMTP server (PyPI aiosmtpd, `scripts/smtp_sink.py`) that writes what it
/// receives, decoded, to a file.
struct SmtpSink {
    port: u16,
    file: std::path::PathBuf,
    child: std::process::Child,
    _dir: tempfile_dir::Dir,
}

mod tempfile_dir {
    /// A temporary folder removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl SmtpSink {
    async fn start_on(port: u16) -> SmtpSink {
        use std::io::BufRead;
        let dir = std::env::temp_dir().join(format!("kyoritsu-smtp-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("mail.jsonl");
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp_sink.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test installs it)");
        let stdout = child.stdout.take().expect("stdout");
        let ready = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        })
        .await
        .expect("join")
        .expect("read");
        assert_eq!(ready.trim(), "ready", "the SMTP sink did not start");
        SmtpSink {
            port,
            file,
            child,
            _dir: tempfile_dir::Dir(dir),
        }
    }

    async fn start() -> SmtpSink {
        SmtpSink::start_on(free_port()).await
    }

    /// Every message received so far.
    fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }

    fn to(&self, address: &str) -> Vec<serde_json::Value> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m["to"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|a| a == address))
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app = TestApp::spawn(TestDb::sqlite().await).await;
                $body.await;
            }

            #[tokio::test]
            async fn postgres() {
                let $app = TestApp::spawn(TestDb::postgres().await).await;
                $body.await;
            }
        }
    };
}

app_test!(
    each_demo_role_lands_on_its_home_in_japanese,
    |app| async move {
        for (email, home, title) in [
            ("employee@demo.example.jp", "/my", "マイキャリア"),
            ("manager@demo.example.jp", "/members", "メンバー"),
            ("consultant@demo.example.jp", "/clients", "担当者"),
            ("instructor@demo.example.jp", "/training", "研修"),
            ("hr@demo.example.jp", "/programmes", "施策"),
            ("admin@demo.example.jp", "/admin", "設定"),
        ] {
            let b = app.browser();
            let (status, location) = b.login(email, PW).await;
            assert_eq!(
                (status, location.as_str()),
                (StatusCode::SEE_OTHER, home),
                "{email}"
            );
            let (status, body) = b.get(home).await;
            assert_eq!(status, StatusCode::OK, "{email} {home}");
            assert!(
                body.contains(&format!("<h1 data-testid=\"page-title\">{title}</h1>")),
                "{email}: {body}"
            );
            assert!(body.contains("<html lang=\"ja\">"));
        }
    }
);

app_test!(
    the_demo_employee_sees_their_milestone_year,
    |app| async move {
        let b = app.signed_in("employee@demo.example.jp").await;
        let (_, body) = b.get("/my").await;
        assert!(body.contains("50歳を迎えます"), "{body}");
    }
);

app_test!(
    wrong_password_is_refused_with_a_clear_message_and_nothing_changes,
    |app| async move {
        let b = app.browser();
        let (status, body) = b
            .login("employee@demo.example.jp", "not-the-password")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains("メールアドレスまたはパスワードが正しくありません。"));
        assert!(
            body.contains("value=\"employee@demo.example.jp\""),
            "the typed email is kept"
        );
        let (status, _) = b.get_with_location("/my").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "still signed out");
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::SignInFailed),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor_email, "employee@demo.example.jp");
    }
);

app_test!(
    a_form_post_without_the_csrf_token_is_refused_and_changes_nothing,
    |app| async move {
        let b = app.signed_in("admin@demo.example.jp").await;
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("フォームの有効期限が切れました"));
        let (status, _) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", "forged"),
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.demo_tenant().await.settings.calendar.start_month(), 4);
        // With the token it goes through.
        let csrf = b.csrf("/admin").await;
        let (status, location) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "1"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "7"),
                    ("rating_scale", "5=5, 4=4, 3=3, 2=2, 1=1"),
                ],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/admin")
        );
        let t = app.demo_tenant().await;
        assert_eq!(
            (t.settings.calendar.start_month(), t.settings.anonymity_k),
            (1, 7)
        );
        assert_eq!(t.settings.rating_scale.value("３"), Some(3.0));
    }
);

app_test!(
    invalid_settings_keep_what_was_typed_and_change_nothing,
    |app| async move {
        let b = app.signed_in("admin@demo.example.jp").await;
        let csrf = b.csrf("/admin").await;
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "4"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "2"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("匿名性の基準人数は3以上にしてください。"),
            "{body}"
        );
        assert!(body.contains("value=\"2\""), "typed value kept");
        assert_eq!(app.demo_tenant().await.settings.anonymity_k, 5);
        let (status, body) = b
            .post(
                "/admin/settings",
                &[
                    ("_csrf", &csrf),
                    ("fy_start_month", "4"),
                    ("age_rule", "legal"),
                    ("anonymity_k", "5"),
                    ("rating_scale", "S=5,A"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("評価の段階は") && body.contains("value=\"S=5,A\""));
        assert_eq!(
            app.demo_tenant().await.settings.rating_scale.to_string(),
            "S=5,A=4,B=3,C=2,D=1"
        );
    }
);

app_test!(
    disabling_a_user_ends_their_session_at_once,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        assert_eq!(employee.get("/my").await.0, StatusCode::OK);
        let admin = app.signed_in("admin@demo.example.jp").await;
        let t = app.demo_tenant().await;
        let target = app
            .store
            .user_by_email(
                t.id,
                &EmailAddress::parse("employee@demo.example.jp").expect("e"),
            )
            .await
            .expect("q")
            .expect("u");
        let csrf = admin.csrf("/admin/users").await;
        let (status, _) = admin
            .post(
                &format!("/admin/users/{}/disable", target.id),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, location) = employee.get_with_location("/my").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login?next=/my")
        );
        let (status, body) = app.browser().login("employee@demo.example.jp", PW).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.contains("無効になっています"));
    }
);

app_test!(sign_out_ends_the_session, |app| async move {
    let b = app.signed_in("manager@demo.example.jp").await;
    let csrf = b.csrf("/members").await;
    let (status, location) = b.post("/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login?signed_out=1")
    );
    assert_eq!(
        b.get_with_location("/members").await.0,
        StatusCode::SEE_OTHER
    );
    assert!(
        b.get("/login?signed_out=1")
            .await
            .1
            .contains("ログアウトしました。")
    );
});

// Every page route × every demo role (and anonymous): allowed (200), refused (403) or
// sent to sign in (303). Person profiles are relative to the demo manager's line.
app_test!(permission_matrix_for_pages, |app| async move {
    let (held, _, _, _) = demo_dialogues(&app).await;
    let report = app.report_of_manager().await;
    let outsider = app.outsider().await;
    let manager_person = app.person_of("manager@demo.example.jp").await;
    let t = app.demo_tenant().await;
    let programme = app.store.programmes(t.id).await.expect("q")[0].id;
    // A training session run by the demo instructor (森田), in any programme.
    let instructor = app.user("instructor@demo.example.jp").await.id;
    let roster = app
        .store
        .sessions_of_instructor(t.id, instructor)
        .await
        .expect("q")
        .first()
        .map(|s| format!("/programmes/{}/sessions/{}", s.programme, s.id))
        .expect("a demo session of the instructor");
    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::FORBIDDEN;
    // columns: employee, manager, consultant, instructor, hr, admin
    let routes: Vec<(String, [S; 6])> = vec![
        ("/my".into(), [OK, OK, OK, OK, OK, OK]),
        // Everyone in the employee master has their own sheet; the external instructor not.
        ("/my/career-sheet".into(), [OK, OK, OK, NO, OK, OK]),
        ("/members".into(), [NO, OK, NO, NO, NO, NO]),
        ("/questions".into(), [NO, OK, OK, NO, OK, OK]),
        ("/clients".into(), [NO, NO, OK, NO, NO, NO]),
        ("/training".into(), [NO, NO, NO, OK, NO, NO]),
        ("/programmes".into(), [NO, NO, NO, NO, OK, NO]),
        ("/programmes/new".into(), [NO, NO, NO, NO, OK, NO]),
        (format!("/programmes/{programme}"), [NO, NO, NO, NO, OK, NO]),
        (
            format!("/programmes/{programme}/export.xlsx"),
            [NO, NO, NO, NO, OK, NO],
        ),
        // Rosters: HR and the session's own instructor; no notes in them.
        (roster.clone(), [NO, NO, NO, OK, OK, NO]),
        (format!("{roster}/roster.pdf"), [NO, NO, NO, OK, OK, NO]),
        (format!("{roster}/roster.xlsx"), [NO, NO, NO, OK, OK, NO]),
        ("/admin".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/users".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/audit".into(), [NO, NO, NO, NO, NO, OK]),
        ("/admin/outbox".into(), [NO, NO, NO, NO, NO, OK]),
        ("/role-models".into(), [OK, OK, OK, OK, OK, OK]),
        // Like the career sheet: for everyone in the employee master.
        ("/my/anchors".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/anchors/take".into(), [OK, OK, OK, NO, OK, OK]),
        ("/role-models/new".into(), [NO, NO, OK, NO, OK, NO]),
        ("/admin/audit.csv".into(), [NO, NO, NO, NO, NO, OK]),
        ("/people/import".into(), [NO, NO, NO, NO, OK, OK]),
        ("/people?q=".into(), [NO, OK, NO, NO, OK, OK]),
        ("/org".into(), [NO, NO, NO, NO, OK, OK]),
        ("/org/1/children".into(), [NO, NO, NO, NO, OK, OK]),
        ("/people/export?format=csv".into(), [NO, NO, NO, NO, OK, OK]),
        (
            "/people/export?format=xlsx".into(),
            [NO, NO, NO, NO, OK, OK],
        ),
        (format!("/people/{report}"), [OK, OK, NO, NO, OK, OK]),
        (
            format!("/people/{manager_person}"),
            [NO, OK, NO, NO, OK, OK],
        ),
        (format!("/people/{outsider}"), [NO, NO, NO, NO, OK, OK]),
        // Dialogues: anyone in the employee master may hold one; HR assigns consultants.
        ("/dialogues".into(), [OK, OK, OK, NO, OK, OK]),
        ("/dialogues/new".into(), [OK, OK, OK, NO, OK, OK]),
        ("/assignments".into(), [NO, NO, NO, NO, OK, NO]),
        ("/reports".into(), [NO, OK, NO, NO, NO, NO]),
        ("/autonomy".into(), [OK, OK, OK, OK, OK, OK]),
        ("/my/records".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/records.csv".into(), [OK, OK, OK, NO, OK, OK]),
        ("/my/records.pdf".into(), [OK, OK, OK, NO, OK, OK]),
        // The demo's held career interview: the employee, their manager (logistics only)
        // and the consultant; nobody else, HR and admin included.
        (format!("/dialogues/{held}"), [OK, OK, OK, NO, NO, NO]),
        (
            format!("/dialogues/{held}/calendar.ics"),
            [OK, NO, OK, NO, NO, NO],
        ),
    ];
    let emails = [
        "employee",
        "manager",
        "consultant",
        "instructor",
        "hr",
        "admin",
    ]
    .map(|r| format!("{r}@demo.example.jp"));
    let mut browsers = Vec::new();
    for e in &emails {
        browsers.push(app.signed_in(e).await);
    }
    let anonymous = app.browser();
    let mut failures = Vec::new();
    for (path, expected) in &routes {
        for (i, b) in browsers.iter().enumerate() {
            let (got, _) = b.get(path).await;
            if got != expected[i] {
                failures.push(format!(
                    "{} GET {path}: expected {}, got {got}",
                    emails[i], expected[i]
                ));
            }
        }
        let (got, location) = anonymous.get_with_location(path).await;
        if got != S::SEE_OTHER || !location.starts_with("/login") {
            failures.push(format!(
                "anonymous GET {path}: expected a redirect to /login, got {got} {location}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

app_test!(permission_matrix_for_the_api, |app| async move {
    let (held, _, _, _) = demo_dialogues(&app).await;
    let report = app.report_of_manager().await;
    let outsider = app.outsider().await;
    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::FORBIDDEN;
    let routes: Vec<(String, [S; 6])> = vec![
        ("/api/v1/me".into(), [OK, OK, OK, OK, OK, OK]),
        ("/api/v1/me/career-sheet".into(), [OK, OK, OK, NO, OK, OK]),
        (
            "/api/v1/me/career-sheet/versions".into(),
            [OK, OK, OK, NO, OK, OK],
        ),
        ("/api/v1/members".into(), [NO, OK, NO, NO, NO, NO]),
        ("/api/v1/users".into(), [NO, NO, NO, NO, NO, OK]),
        ("/api/v1/audit".into(), [NO, NO, NO, NO, NO, OK]),
        (format!("/api/v1/people/{report}"), [OK, OK, NO, NO, OK, OK]),
        (
            format!("/api/v1/people/{outsider}"),
            [NO, NO, NO, NO, OK, OK],
        ),
        ("/api/v1/dialogues".into(), [OK, OK, OK, OK, OK, OK]),
        (
            format!("/api/v1/dialogues/{held}"),
            [OK, OK, OK, NO, NO, NO],
        ),
        ("/api/v1/me/records".into(), [OK, OK, OK, NO, OK, OK]),
    ];
    let emails = [
        "employee",
        "manager",
        "consultant",
        "instructor",
        "hr",
        "admin",
    ]
    .map(|r| format!("{r}@demo.example.jp"));
    let mut tokens = Vec::new();
    for e in &emails {
        tokens.push(app.token(e).await);
    }
    let mut failures = Vec::new();
    for (path, expected) in &routes {
        for (i, t) in tokens.iter().enumerate() {
            let (got, body) = app.api(Some(t), path).await;
            if got != expected[i] {
                failures.push(format!(
                    "{} GET {path}: expected {}, got {got} {body}",
                    emails[i], expected[i]
                ));
            }
            if got == NO && body["error"]["code"] != "forbidden" {
                failures.push(format!(
                    "{path}: a refusal must carry the JSON error shape, got {body}"
                ));
            }
        }
        let (got, body) = app.api(None, path).await;
        if got != S::UNAUTHORIZED || body["error"]["code"] != "unauthorized" {
            failures.push(format!(
                "no token GET {path}: expected 401 JSON, got {got} {body}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

app_test!(
    a_manager_sees_nothing_outside_their_line_and_no_birth_dates_inside_it,
    |app| async move {
        let token = app.token("manager@demo.example.jp").await;
        let (status, body) = app
            .api(
                Some(&token),
                &format!("/api/v1/people/{}", app.outsider().await),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body.get("name").is_none());
        let (status, body) = app
            .api(
                Some(&token),
                &format!("/api/v1/people/{}", app.report_of_manager().await),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("name").is_some() && body.get("ratings").is_some());
        assert!(
            body.get("birth_date").is_none(),
            "a manager does not see birth dates: {body}"
        );
        let (_, members) = app.api(Some(&token), "/api/v1/members").await;
        let ids: Vec<i64> = members
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|m| m["id"].as_i64())
            .collect();
        assert!(ids.contains(&app.report_of_manager().await));
        assert!(!ids.contains(&app.outsider().await));
        // The page agrees.
        let b = app.signed_in("manager@demo.example.jp").await;
        let (status, body) = b.get(&format!("/people/{}", app.outsider().await)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!body.contains("hr@demo.example.jp"));
    }
);

app_test!(
    another_tenant_sees_none_of_this_tenants_data,
    |app| async move {
        let other = app
            .store
            .create_tenant(&TenantSlug::parse("other").expect("slug"), "他社株式会社")
            .await
            .expect("tenant");
        let admin = app
            .store
            .create_user(
                other.id,
                NewUser {
                    email: EmailAddress::parse("admin@other.example.jp").expect("e"),
                    name: "他社 管理者".into(),
                    roles: vec![Role::Admin, Role::Hr],
                    person_id: None,
                    password: Some(PW.into()),
                },
            )
            .await
            .expect("user");
        let token = app
            .store
            .create_token(other.id, admin.id, "t")
            .await
            .expect("token")
            .1;
        for id in [app.outsider().await, app.report_of_manager().await] {
            let (status, body) = app.api(Some(&token), &format!("/api/v1/people/{id}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        }
        let (_, users) = app.api(Some(&token), "/api/v1/users").await;
        assert_eq!(
            users.as_array().map(Vec::len),
            Some(1),
            "only its own account: {users}"
        );
        let (_, audit) = app.api(Some(&token), "/api/v1/audit").await;
        assert!(
            audit["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .all(|e| !e["actor_email"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("@demo.example.jp"))
        );
        // Its admin signs in with the company code and cannot open the demo tenant's people.
        let b = app.browser();
        let csrf = b.csrf("/login").await;
        let (status, _) = b
            .post(
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("tenant", "other"),
                    ("email", "admin@other.example.jp"),
                    ("password", PW),
                    ("next", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            b.get(&format!("/people/{}", app.outsider().await)).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

app_test!(
    reads_of_someone_elses_profile_and_exports_are_audited,
    |app| async move {
        let hr = app.signed_in("hr@demo.example.jp").await;
        let target = app.report_of_manager().await;
        assert_eq!(hr.get(&format!("/people/{target}")).await.0, StatusCode::OK);
        let own = app.outsider().await;
        assert_eq!(hr.get(&format!("/people/{own}")).await.0, StatusCode::OK);
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (status, csv) = admin.get("/admin/audit.csv?action=confidential_read").await;
        assert_eq!(status, StatusCode::OK);
        assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "one confidential read (not the read of one's own profile): {csv}"
        );
        assert!(
            lines[1].contains("hr@demo.example.jp")
                && lines[1].contains(&format!("person #{target}"))
        );
        let t = app.demo_tenant().await;
        let (exports, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("q");
        assert_eq!(exports.len(), 1);
        assert_eq!(exports[0].actor_email, "admin@demo.example.jp");
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::SignIn),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("q");
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.ip.as_deref() == Some("127.0.0.1")));
    }
);

app_test!(the_api_explains_bad_requests_precisely, |app| async move {
    let token = app.token("admin@demo.example.jp").await;
    let http = reqwest::Client::new();
    let post = |body: &'static str| {
        http.post(format!("{}/api/v1/users", app.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = post("{not json").await.expect("req");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let j: serde_json::Value = r.json().await.expect("json");
    assert_eq!(j["error"]["code"], "bad_request");
    assert!(!j["error"]["message"].as_str().unwrap_or("").is_empty());
    let r = post(r#"{"email":"x@demo.example.jp","name":"X","roles":["manager"]}"#)
        .await
        .expect("req");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("reporting line"));
    let r = post(r#"{"email":"new@demo.example.jp","name":"新人 太郎","roles":["employee"],"password":"long-enough-password"}"#).await.expect("req");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = post(r#"{"email":"NEW@demo.example.jp","name":"重複","roles":["employee"]}"#)
        .await
        .expect("req");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (status, body) = app.api(Some(&token), "/api/v1/nothing-here").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = app.api(Some("kyr_wrong"), "/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, me) = app.api(Some(&token), "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["tenant"]["slug"], "demo");
    assert_eq!(me["user"]["email"], "admin@demo.example.jp");
    assert!(
        me["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|r| r == "admin")
    );
});

app_test!(operations_endpoints_answer, |app| async move {
    let b = app.browser();
    let (status, body) = b.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"database\":\"ok\""));
    let (_, metrics) = b.get("/metrics").await;
    assert!(metrics.contains("kyoritsu_http_requests_total{status=\"2xx\"}"));
    let (status, spec) = b.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let spec: serde_json::Value = serde_json::from_str(&spec).expect("openapi json");
    for p in [
        "/api/v1/me",
        "/api/v1/people/{id}",
        "/api/v1/users",
        "/api/v1/audit",
    ] {
        assert!(spec["paths"].get(p).is_some(), "{p} documented");
    }
    assert_eq!(b.get("/api/docs/").await.0, StatusCode::OK);
    assert!(b.get("/static/htmx.min.js").await.1.contains("htmx"));
});

app_test!(
    error_pages_are_localised_and_carry_a_request_id,
    |app| async move {
        let b = app.browser();
        let r = b
            .http
            .get(format!("{}/no-such-page", app.base))
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let id = r
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("request id")
            .to_string();
        assert!(r.headers().get("content-security-policy").is_some());
        let body = r.text().await.expect("body");
        assert!(
            body.contains("ページが見つかりません") && body.contains(&id),
            "{body}"
        );
        let r = b
            .http
            .get(format!("{}/no-such-page", app.base))
            .header("cookie", "lang=en")
            .send()
            .await
            .expect("req");
        assert!(r.text().await.expect("body").contains("Page not found"));
        // The language switch remembers English.
        let (status, location) = b.get_with_location("/lang/en?next=/login").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/login")
        );
        assert!(b.get("/login").await.1.contains("<html lang=\"en\">"));
        assert_eq!(
            b.get_with_location("/lang/en?next=//evil.example").await.1,
            "/"
        );
    }
);

#[tokio::test]
async fn an_unreachable_database_is_reported_in_plain_words() {
    let err = Store::connect("postgres://nobody@127.0.0.1:1/none")
        .await
        .expect_err("must fail");
    assert!(err.to_string().contains("is the server running"), "{err}");
    let err = Store::connect("sqlite:///nonexistent-dir/for/sure/k.db")
        .await
        .expect_err("must fail");
    assert!(
        err.to_string().contains("cannot open the SQLite file"),
        "{err}"
    );
    let err = Store::connect("mysql://x").await.expect_err("must fail");
    assert!(
        err.to_string().contains("sqlite:// or postgres://"),
        "{err}"
    );
}

// State-changing page routes × roles: only the admin gets through; others get 403 with a
// valid CSRF token and nothing changes.
app_test!(permission_matrix_for_form_posts, |app| async move {
    let t = app.demo_tenant().await;
    let target = app
        .store
        .user_by_email(
            t.id,
            &EmailAddress::parse("consultant@demo.example.jp").expect("e"),
        )
        .await
        .expect("q")
        .expect("u");
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/admin/settings".into(),
            vec![
                ("fy_start_month", "1"),
                ("age_rule", "legal"),
                ("anonymity_k", "9"),
            ],
        ),
        (
            format!("/admin/users/{}/roles", target.id),
            vec![("role", "admin")],
        ),
        (format!("/admin/users/{}/disable", target.id), vec![]),
        (format!("/admin/users/{}/enable", target.id), vec![]),
        ("/admin/sign-in-throttles/1/clear".into(), vec![]),
        ("/people/import/1/apply".into(), vec![]),
        (
            "/questions".into(),
            vec![("category", "values"), ("text_ja", "禁止されるべき質問")],
        ),
        ("/questions/1/delete".into(), vec![]),
        ("/admin/check-in".into(), vec![("check_in_grace_days", "0")]),
        (
            "/autonomy/definition".into(),
            vec![("rule", "above_mean"), ("horizon", "1")],
        ),
    ];
    // Programmes are HR's alone.
    let programme = app.store.programmes(t.id).await.expect("q")[0].id;
    let hr_only: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/programmes/new".into(),
            vec![
                ("name", "x"),
                ("template", "periodic"),
                ("fiscal_year", "2026"),
            ],
        ),
        (
            format!("/programmes/{programme}/sessions"),
            vec![("date", "2030-01-01"), ("start", "10:00"), ("end", "11:00")],
        ),
        (format!("/programmes/{programme}/place"), vec![]),
        (format!("/programmes/{programme}/interviews"), vec![]),
        (format!("/programmes/{programme}/sessions/1/delete"), vec![]),
        (
            format!("/programmes/{programme}/pre-learning/remove"),
            vec![],
        ),
        (
            format!("/programmes/{programme}/pin"),
            vec![("person", "1")],
        ),
        (
            format!("/programmes/{programme}/participants"),
            vec![("employee_number", "E0000001")],
        ),
    ];
    for role in ["employee", "manager", "consultant", "instructor", "admin"] {
        let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
        let csrf = b.csrf("/my").await;
        for (path, fields) in &hr_only {
            let mut form = fields.clone();
            form.push(("_csrf", &csrf));
            let (status, _) = b.post(path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
    }
    for role in ["employee", "manager", "consultant", "instructor", "hr"] {
        let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
        let csrf = b.csrf("/my").await;
        assert!(!csrf.is_empty());
        for (path, fields) in &posts {
            if role == "hr" && path.starts_with("/people/import") {
                continue; // HR may import; covered by the import tests
            }
            let mut form = fields.clone();
            form.push(("_csrf", &csrf));
            let (status, _) = b.post(path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} POST {path}");
        }
    }
    let anonymous = app.browser();
    let csrf = anonymous.csrf("/login").await;
    for (path, _) in &posts {
        let (status, location) = anonymous.post(path, &[("_csrf", &csrf)]).await;
        assert_eq!(
            (status, location.starts_with("/login")),
            (StatusCode::SEE_OTHER, true),
            "anonymous POST {path}"
        );
    }
    let after = app.store.user(t.id, target.id).await.expect("user");
    assert_eq!(after.roles, target.roles);
    assert!(!after.disabled);
    assert_eq!(app.demo_tenant().await.settings.anonymity_k, 5);
    let admin = app.signed_in("admin@demo.example.jp").await;
    let csrf = admin.csrf("/admin/users").await;
    let (status, _) = admin
        .post(
            &format!("/admin/users/{}/roles", target.id),
            &[("_csrf", &csrf), ("role", "consultant"), ("role", "mentor")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(t.id, target.id).await.expect("u").roles,
        domain::RoleSet::new([Role::Consultant, Role::Mentor])
    );
    // The admin cannot lock themselves out.
    let me = app
        .store
        .user_by_email(
            t.id,
            &EmailAddress::parse("admin@demo.example.jp").expect("e"),
        )
        .await
        .expect("q")
        .expect("u");
    admin
        .post(
            &format!("/admin/users/{}/disable", me.id),
            &[("_csrf", &csrf)],
        )
        .await;
    admin
        .post(
            &format!("/admin/users/{}/roles", me.id),
            &[("_csrf", &csrf), ("role", "employee")],
        )
        .await;
    let me_after = app.store.user(t.id, me.id).await.expect("u");
    assert!(!me_after.disabled && me_after.roles.contains(Role::Admin));
});

app_test!(
    the_directory_finds_people_by_kanji_kana_number_and_department_within_the_callers_reach,
    |app| async move {
        let t = app.demo_tenant().await;
        let outsider = app
            .store
            .person(t.id, domain::PersonId(app.outsider().await))
            .await
            .expect("q")
            .expect("p");
        let report = app
            .store
            .person(t.id, domain::PersonId(app.report_of_manager().await))
            .await
            .expect("q")
            .expect("p");
        let hr = app.signed_in("hr@demo.example.jp").await;
        // Kanji without the space, hiragana for the katakana reading, employee number.
        let hiragana: String = report
            .name_kana
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| {
                char::from_u32(c as u32 - 0x60)
                    .filter(|_| ('ァ'..='ヶ').contains(&c))
                    .unwrap_or(c)
            })
            .collect();
        for q in [
            report.name.replace(' ', ""),
            hiragana,
            report.employee_number.clone(),
        ] {
            let (status, body) = hr
                .get(&format!("/people?q={}", web::error::urlencode(&q)))
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                body.contains(&format!("/people/{}", report.id)),
                "HR searching {q} finds {}",
                report.name
            );
        }
        let (_, body) = hr
            .get(&format!("/people?q={}", web::error::urlencode("第一課")))
            .await;
        assert!(body.contains("data-testid=\"directory-row\""));
        // A manager searches only their own line.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (status, body) = manager
            .get(&format!(
                "/people?q={}",
                web::error::urlencode(&report.employee_number)
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("/people/{}", report.id)));
        let (_, body) = manager
            .get(&format!(
                "/people?q={}",
                web::error::urlencode(&outsider.employee_number)
            ))
            .await;
        assert!(
            !body.contains(&format!("/people/{}", outsider.id)),
            "outside the manager's line"
        );
        assert!(!body.contains(&outsider.name));
        // The org tree's top level sums everyone below.
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (status, body) = admin.get("/org").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("管理本部") && body.contains("営業本部"));
        let top = app
            .store
            .department_children(t.id, None)
            .await
            .expect("tree");
        assert_eq!(
            top.iter().map(|n| n.headcount).sum::<i64>(),
            app.store.count_people(t.id).await.expect("count")
        );
        let first = &top[0];
        let children = app
            .store
            .department_children(t.id, Some(first.department.id))
            .await
            .expect("children");
        assert!(!children.is_empty());
        let direct: i64 = app
            .store
            .search_people(t.id, "", None, 1000, 0)
            .await
            .expect("all")
            .0
            .iter()
            .filter(|p| p.department_id == Some(first.department.id) && p.status != "left")
            .count() as i64;
        assert_eq!(
            first.headcount,
            children.iter().map(|c| c.headcount).sum::<i64>() + direct
        );
        let (status, body) = admin
            .get(&format!("/org/{}/children", first.department.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&children[0].department.name));
    }
);

// キャリアシート: versions, stale saves from a second tab, drafts, limits — and nobody
// but the owner ever sees it.
app_test!(
    career_sheet_versions_drafts_and_stale_saves,
    |app| async move {
        // The demo manager starts with no sheet (the demo employee has two versions).
        let me = app.signed_in("manager@demo.example.jp").await;
        let csrf = me.csrf("/my/career-sheet").await;
        let save = |base: &'static str, vision: &'static str, concerns: &'static str| {
            let me = &me;
            let csrf = csrf.clone();
            async move {
                me.post(
                    "/my/career-sheet",
                    &[
                        ("_csrf", csrf.as_str()),
                        ("base_version", base),
                        ("vision", vision),
                        ("vision_horizon_years", "3"),
                        ("concerns", concerns),
                        ("concerns_private", "on"),
                        ("meaning", "<script>alert(1)</script>後輩の成長"),
                    ],
                )
                .await
            }
        };
        let (status, location) =
            save("0", "3年後に新規事業の企画を担う", "MARKER-PRIVATE-介護").await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, "/my/career-sheet")
        );
        let (_, page) = me.get("/my/career-sheet").await;
        assert!(page.contains("第1版"), "the version is listed");
        assert!(
            page.contains("&#60;script&#62;alert(1)&#60;/script&#62;後輩の成長"),
            "HTML is shown inert: {}",
            page.split("name=\"meaning\"")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        );
        assert!(!page.contains("<script>alert(1)"));
        // A second save from version 1 makes version 2.
        let (status, _) = save(
            "1",
            "3年後に新規事業の企画を担い、5年後に事業責任者になる",
            "MARKER-PRIVATE-介護",
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // A tab still on version 1 is told, keeps what it typed, and writes nothing.
        let (status, page) = save("1", "別のタブで書いたビジョン", "MARKER-PRIVATE-介護").await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("第2版"), "names the newer version");
        assert!(
            page.contains("別のタブで書いたビジョン"),
            "what was typed is still there"
        );
        let t = app.demo_tenant().await;
        let person = domain::PersonId(app.person_of("manager@demo.example.jp").await);
        let versions = app
            .store
            .career_sheet_versions(t.id, person)
            .await
            .expect("versions");
        assert_eq!(versions.len(), 2);
        // … and what it typed was kept as a draft, shown next time.
        let (_, page) = me.get("/my/career-sheet").await;
        assert!(page.contains("別のタブで書いたビジョン"));
        assert!(page.contains("data-testid=\"discard-draft\""));
        // Side by side: only the vision changed between versions 1 and 2.
        let (status, page) = me.get("/my/career-sheet/compare?from=1&to=2").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page.matches("data-changed=\"true\"").count(), 1);
        assert!(page.contains("<ins>"), "additions are marked");
        // Too long: refused with the limit stated, typed text kept, nothing written.
        let long = "あ".repeat(domain::career_sheet::MAX_SECTION_CHARS + 1);
        let (status, page) = me
            .post(
                "/my/career-sheet",
                &[
                    ("_csrf", csrf.as_str()),
                    ("base_version", "2"),
                    ("strengths", long.as_str()),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("4000文字以内にしてください"));
        assert!(page.contains(long.as_str()));
        assert_eq!(
            app.store
                .career_sheet_versions(t.id, person)
                .await
                .expect("v")
                .len(),
            2
        );
        // Autosave keeps a draft; discarding it goes back to version 2.
        let (status, _) = me
            .post(
                "/my/career-sheet/draft",
                &[
                    ("_csrf", csrf.as_str()),
                    ("base_version", "2"),
                    ("skills", "下書き中の資格メモ"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(
            me.get("/my/career-sheet")
                .await
                .1
                .contains("下書き中の資格メモ")
        );
        me.post(
            "/my/career-sheet/draft/discard",
            &[("_csrf", csrf.as_str())],
        )
        .await;
        assert!(
            !me.get("/my/career-sheet")
                .await
                .1
                .contains("下書き中の資格メモ")
        );

        // Nobody else sees any of it: their own sheet is empty, versions are their own.
        for role in ["employee", "consultant", "hr", "admin"] {
            let b = app.signed_in(&format!("{role}@demo.example.jp")).await;
            for path in [
                "/my/career-sheet",
                "/my/career-sheet/versions/1",
                "/my/career-sheet/compare?from=1&to=2",
                "/my",
                &format!("/people/{}", person.0),
            ] {
                let (_, body) = b.get(path).await;
                assert!(!body.contains("MARKER-PRIVATE"), "{role} GET {path}");
                assert!(!body.contains("新規事業"), "{role} GET {path}");
            }
        }
        // The external instructor has no sheet and cannot write one.
        let instructor = app.signed_in("instructor@demo.example.jp").await;
        let icsrf = instructor.csrf("/my").await;
        assert_eq!(
            instructor.get("/my/career-sheet").await.0,
            StatusCode::FORBIDDEN
        );
        let (status, _) = instructor
            .post(
                "/my/career-sheet",
                &[
                    ("_csrf", icsrf.as_str()),
                    ("base_version", "0"),
                    ("vision", "x"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

app_test!(career_sheet_over_the_api, |app| async move {
    // The demo consultant starts with no sheet (the demo employee has two versions).
    let token = app.token("consultant@demo.example.jp").await;
    let put = |body: serde_json::Value| {
        let base = app.base.clone();
        let token = token.clone();
        async move {
            let r = reqwest::Client::new()
                .put(format!("{base}/api/v1/me/career-sheet"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("put");
            let status = r.status();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let (status, body) = app.api(Some(&token), "/api/v1/me/career-sheet").await;
    assert_eq!(
        (status, body["version"].as_i64()),
        (StatusCode::OK, Some(0))
    );
    let sheet = serde_json::json!({
        "base_version": 0,
        "vision_horizon_years": 5,
        "sections": [
            {"section": "vision", "text": "5年後に海外拠点を任される", "private": false},
            {"section": "concerns", "text": "API-PRIVATE", "private": true}
        ]
    });
    let (status, body) = put(sheet.clone()).await;
    assert_eq!(
        (status, body["version"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    // The same base again is stale: 409, nothing written.
    let (status, body) = put(sheet).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "stale");
    // Precise errors for bad input.
    let (status, body) = put(serde_json::json!({"base_version": 1, "sections": [{"section": "hobbies", "text": "x", "private": false}]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("hobbies")
    );
    let (status, body) =
        put(serde_json::json!({"base_version": 1, "vision_horizon_years": 99, "sections": []}))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("vision_horizon_years")
    );
    let (status, body) = app
        .api(Some(&token), "/api/v1/me/career-sheet/versions")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().map(Vec::len), Some(1));
    let (status, body) = app
        .api(Some(&token), "/api/v1/me/career-sheet/versions/1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["vision_horizon_years"], 5);
    assert_eq!(
        app.api(Some(&token), "/api/v1/me/career-sheet/versions/2")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Another user reads only their own (empty) sheet.
    for role in ["employee", "manager", "hr", "admin"] {
        let t = app.token(&format!("{role}@demo.example.jp")).await;
        let (status, body) = app.api(Some(&t), "/api/v1/me/career-sheet").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.to_string().contains("API-PRIVATE"), "{role}");
    }
    // It is in the OpenAPI document.
    let (_, doc) = app.api(None, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/me/career-sheet"]["put"].is_object());
});

app_test!(
    admin_adds_questions_to_the_bank_and_facilitators_see_them,
    |app| async move {
        let admin = app.signed_in("admin@demo.example.jp").await;
        let csrf = admin.csrf("/questions").await;
        // A line break is refused, with what was typed kept.
        let (status, page) = admin
            .post(
                "/questions",
                &[
                    ("_csrf", csrf.as_str()),
                    ("category", "values"),
                    ("text_ja", "一行目\n二行目"),
                    ("text_en", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("1行で入力してください"));
        assert!(page.contains("一行目"));
        let (status, _) = admin
            .post(
                "/questions",
                &[
                    ("_csrf", csrf.as_str()),
                    ("category", "values"),
                    (
                        "text_ja",
                        "あなたが仕事で「これは譲れない」と思った場面は？",
                    ),
                    (
                        "text_en",
                        "When did you feel something at work was non-negotiable?",
                    ),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, bank) = manager.get("/questions").await;
        assert!(bank.contains("「これは譲れない」と思った場面"));
        assert!(
            !bank.contains("data-testid=\"question-add\""),
            "only admin adds"
        );
        assert!(bank.matches("data-testid=\"question\"").count() >= 25);
        // The one added question disappears again when the admin removes it.
        let t = app.demo_tenant().await;
        let id = app
            .store
            .tenant_questions(t.id)
            .await
            .expect("q")
            .last()
            .expect("the added question")
            .id;
        let (status, _) = admin
            .post(
                &format!("/questions/{id}/delete"),
                &[("_csrf", csrf.as_str())],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            !manager
                .get("/questions")
                .await
                .1
                .contains("譲れない」と思った場面")
        );
    }
);

// ----- dialogues (面談・1on1) -----

/// The demo dialogues about the demo employee: (held interview, next interview, the
/// interview HR booked for another client, the manager's first 1on1).
async fn demo_dialogues(app: &TestApp) -> (i64, i64, i64, i64) {
    use domain::dialogue::{DialogueKind as K, DialogueState as S};
    let t = app.demo_tenant().await;
    let me = domain::PersonId(app.report_of_manager().await);
    let about = app.store.dialogues_about(t.id, me).await.expect("q");
    let held = about
        .iter()
        .find(|d| d.kind == K::CareerInterview && d.state == S::Held)
        .expect("held interview");
    let next = about
        .iter()
        .find(|d| d.kind == K::CareerInterview && d.state == S::Scheduled)
        .expect("next interview");
    let one = about
        .iter()
        .find(|d| d.kind == K::OneOnOne)
        .expect("1on1 series");
    let hr = app
        .store
        .user_by_email(t.id, &EmailAddress::parse("hr@demo.example.jp").expect("e"))
        .await
        .expect("q")
        .expect("hr");
    let booked = app.store.dialogues_booked_by(t.id, hr.id).await.expect("q");
    (held.id, next.id, booked[0].id, one.id)
}

const PRIVATE_NOTE: &str = "転勤のある異動には不安が大きい";
const SHARED_NOTE: &str = "顧客との信頼関係づくり";
const FOR_MANAGER_NOTE: &str = "後輩の相談に乗っているとき";
const WITHHELD: &str = "母の介護のこと";

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

/// Books through the form, returning (status, Location or body).
async fn book(b: &Browser, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let csrf = b.csrf("/dialogues/new").await;
    let mut form = vec![("_csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post("/dialogues", &form).await
}

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
        // Closing makes the items append-only.
        let (s, _) = consultant
            .post(
                &format!("{path}/close"),
                &[("_csrf", &csrf), ("state", "held")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
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
        // Nobody but the consultant records consent.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(
                &format!("{path}/consent"),
                &[("_csrf", &ecsrf), ("agreed", "yes")],
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
        assert_eq!(entries.len(), 2);
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
        let (_, v) = app.api(Some(&employee), "/api/v1/me/records").await;
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

/// Runs a poppler tool on a PDF file and returns what it printed.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/test): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

app_test!(
    my_records_print_as_a_pdf_with_the_japanese_font_embedded,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let r = employee
            .http
            .get(format!("{}/my/records.pdf", employee.base))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let bytes = r.bytes().await.expect("body");
        // One folder per engine: both variants of this test run at once in this process.
        let dir = std::env::temp_dir().join(format!(
            "kyoritsu-pdf-{}-{:?}",
            std::process::id(),
            app.store.engine()
        ));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("records.pdf");
        std::fs::write(&file, &bytes).expect("write");
        let path = file.to_string_lossy().to_string();
        let text = poppler("pdftotext", &[&path, "-"]);
        assert!(text.contains("面談の記録"), "{text}");
        assert!(text.contains(SHARED_NOTE), "{text}");
        assert!(
            text.contains("自分の強みを言葉にしてもらえて"),
            "own reflection"
        );
        assert!(
            !text.contains(PRIVATE_NOTE),
            "a private note never leaves in a PDF"
        );
        let fonts = poppler("pdffonts", &[&path]);
        let line = fonts
            .lines()
            .find(|l| l.contains("IPAexGothic"))
            .unwrap_or_else(|| panic!("IPAexGothic not used: {fonts}"));
        assert!(line.contains(" yes "), "the font is embedded: {line}");
        // A rendering of the first page, kept with the browser screenshots.
        let artifacts =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/artifacts");
        std::fs::create_dir_all(&artifacts).expect("artifacts");
        let out = artifacts.join(format!("my-records-pdf-{:?}", app.store.engine()).to_lowercase());
        poppler(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                &path,
                &out.to_string_lossy(),
            ],
        );
        let _ = std::fs::remove_dir_all(&dir);
        // The export is audited.
        let t = app.demo_tenant().await;
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::Export),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert!(
            entries
                .iter()
                .any(|e| e.detail.as_deref() == Some("my records (pdf)"))
        );
    }
);

/// The demo's booked second milestone interview of the demo employee.
async fn next_milestone(app: &TestApp) -> i64 {
    use domain::dialogue::{DialogueKind as K, DialogueState as S};
    let t = app.demo_tenant().await;
    let me = domain::PersonId(app.report_of_manager().await);
    app.store
        .dialogues_about(t.id, me)
        .await
        .expect("q")
        .into_iter()
        .find(|d| d.kind == K::MilestoneInterview && d.state == S::Scheduled)
        .expect("the next milestone interview")
        .id
}

app_test!(
    a_milestone_interview_closes_as_committed_only_with_a_confirmed_passing_commitment,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (_, body) = consultant.get(&path).await;
        assert!(
            body.contains("今年度2回目の節目面談です"),
            "sessions counted"
        );
        let start = (chrono::Utc::now() + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        let record = |action: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("action", action),
                ("starts_on", start.clone().leak() as &str),
                ("first_step", ""),
                ("evidence", ""),
                ("vision", ""),
                ("target", ""),
                ("due_on", ""),
            ]
        };
        let close = || async {
            consultant
                .post(
                    &format!("{path}/close"),
                    &[("_csrf", &csrf), ("state", "held")],
                )
                .await
        };
        // Nothing recorded: it cannot close.
        close().await;
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        assert_eq!(d.state, domain::dialogue::DialogueState::Scheduled);
        // A vague commitment, even confirmed, does not count.
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &record("後輩から頼られる存在になります"),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let vague = app.store.commitments_of(t.id, id).await.expect("q")[0].id;
        let (s, _) = employee
            .post(
                &format!("{path}/commitments/{vague}/confirm"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        close().await;
        assert!(
            app.store
                .dialogue(t.id, id)
                .await
                .expect("q")
                .expect("d")
                .outcome
                .is_none()
        );
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("存在になります") && body.contains("data-ok=\"false\""));
        // A passing one, unconfirmed, does not count either.
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &record("来月から、毎週金曜の夕方に30分、後輩の相談を受ける時間をつくります"),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        close().await;
        assert!(
            app.store
                .dialogue(t.id, id)
                .await
                .expect("q")
                .expect("d")
                .outcome
                .is_none()
        );
        // Only the employee confirms; then it closes as committed.
        let good = app.store.commitments_of(t.id, id).await.expect("q")[1].id;
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments/{good}/confirm"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("data-testid=\"to-confirm\""),
            "asked to confirm at sign-in"
        );
        employee
            .post(
                &format!("{path}/commitments/{good}/confirm"),
                &[("_csrf", &ecsrf)],
            )
            .await;
        close().await;
        let d = app.store.dialogue(t.id, id).await.expect("q").expect("d");
        assert_eq!(d.outcome.as_deref(), Some("committed"));
        assert_eq!(d.state, domain::dialogue::DialogueState::Held);
        // The manager and HR see no commitment.
        for who in ["manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (_, body) = b.get(&path).await;
            assert!(!body.contains("後輩の相談を受ける時間"), "{who}");
        }
    }
);

app_test!(
    commitments_warn_about_a_past_start_and_a_confirmed_one_changes_only_as_a_new_version,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let fields = |action: &'static str, start: &'static str, confirm: bool| {
            let mut f = vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("action", action),
                ("starts_on", start),
            ];
            if confirm {
                f.push(("confirm_past", "1"));
            }
            f
        };
        let (s, body) = consultant
            .post(
                &format!("{path}/commitments"),
                &fields("4月から毎朝ニュースを読みます", "2020-04-01", false),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            body.contains("開始日が過去の日付") && body.contains("4月から毎朝ニュースを読みます")
        );
        assert!(
            app.store
                .commitments_of(t.id, next)
                .await
                .expect("q")
                .is_empty()
        );
        let (s, body) = consultant
            .post(&format!("{path}/commitments"), &fields("", "", false))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("行動と開始日は必ず入力してください"));
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &fields("4月から毎朝ニュースを読みます", "2020-04-01", true),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        let person = domain::PersonId(app.report_of_manager().await);
        assert!(
            app.store
                .confirm_commitment(t.id, c.id, person)
                .await
                .expect("q")
        );
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments/{}", c.id),
                &fields("4月から毎朝ニュースを15分読みます", "2020-04-01", true),
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let now = app.store.commitments_of(t.id, next).await.expect("q");
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].version, 2);
        assert!(now[0].confirmed_at.is_none(), "needs confirming again");
        // The live check answers as a fragment.
        let (s, html) = consultant
            .post(
                "/commitments/check",
                &[
                    ("_csrf", &csrf),
                    ("action", "1年以内にTOEICの点数を100点上げます"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("data-testid=\"commitment-check\"") && !html.contains("<html"));
        assert!(html.contains("「1年以内に」は期限です"));
        // Nobody else records or changes commitments.
        for who in ["employee", "manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let c2 = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    &format!("{path}/commitments"),
                    &[
                        ("_csrf", &c2),
                        ("action", "来月から走ります"),
                        ("starts_on", "2030-01-01"),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
    }
);

app_test!(
    a_started_commitment_is_followed_up_and_stopping_needs_a_reason,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (s, _) = consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "先月から毎朝15分、業界ニュースを読んでいます"),
                    ("starts_on", "2024-04-01"),
                    ("confirm_past", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            !my.contains("my-check-in"),
            "not before the employee confirms"
        );
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/commitments/{}/confirm", c.id),
                &[("_csrf", &ecsrf)],
            )
            .await;
        let (_, my) = employee.get("/my").await;
        assert!(my.contains("data-testid=\"my-check-in\"") && my.contains("始めましたか？"));
        let (_, list) = consultant.get("/dialogues").await;
        assert!(
            list.contains("data-testid=\"check-in\""),
            "the facilitator is asked too"
        );
        // Stopping without a reason is refused and changes nothing.
        let status = format!("{path}/commitments/{}/status", c.id);
        employee
            .post(
                &status,
                &[("_csrf", &ecsrf), ("status", "stopped"), ("reason", "")],
            )
            .await;
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::NotStarted);
        employee
            .post(
                &status,
                &[
                    ("_csrf", &ecsrf),
                    ("status", "stopped"),
                    ("reason", "担当替えで朝の時間が取れなくなった"),
                ],
            )
            .await;
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::Stopped);
        assert_eq!(
            now.status_reason.as_deref(),
            Some("担当替えで朝の時間が取れなくなった")
        );
        let (_, my) = employee.get("/my").await;
        assert!(!my.contains("my-check-in"), "answered");
        // The facilitator may record it too; the manager may not.
        let (s, _) = consultant
            .post(
                &status,
                &[("_csrf", &csrf), ("status", "started"), ("reason", "")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/my").await;
        let (s, _) = manager
            .post(
                &status,
                &[("_csrf", &mcsrf), ("status", "done"), ("reason", "")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let now = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert_eq!(now.status, domain::commitment::Status::Started);
    }
);

app_test!(
    a_feedback_report_reaches_the_manager_only_with_consent_and_never_with_withheld_or_private_words,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("data-testid=\"report-form\""));
        assert!(body.contains("社内公募の募集情報を確認します"), "commitments filled in");
        let draft = |motivation: &'static str, support: &'static str| {
            vec![
                ("_csrf", csrf.clone().leak() as &str),
                ("unknown_side", "顧客との信頼関係づくりに長けています。"),
                ("motivation", motivation),
                ("committed", "毎週水曜の朝に社内公募の情報を確認します。"),
                ("support", support),
            ]
        };
        // A withheld topic and a private note's wording: saved as a draft, never sent.
        consultant
            .post(
                &format!("{path}/report"),
                &draft("母の介護が始まり大変な時期です。", "転勤のある異動には不安が大きいようです。"),
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("data-testid=\"report-blocked\""));
        assert!(preview.contains("「母の介護」") && preview.contains("非公開の記録と同じ表現"));
        consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        let r = app.store.report_of_dialogue(t.id, held).await.expect("q").expect("r");
        assert!(r.sent_at.is_none(), "refused by the policy");
        // A clean draft goes, once.
        consultant
            .post(
                &format!("{path}/report"),
                &draft("後輩の相談に乗る役割で力を発揮します。", "育成の役割を任せてください。"),
            )
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("data-testid=\"report-send\""), "{preview}");
        let (s, _) = consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = app.store.report_of_dialogue(t.id, held).await.expect("q").expect("r");
        assert!(r.sent_at.is_some());
        consultant
            .post(&format!("{path}/report"), &draft("送信後の変更", ""))
            .await;
        let again = app.store.report(t.id, r.id).await.expect("q").expect("r");
        assert_eq!(again.parts.motivation, "後輩の相談に乗る役割で力を発揮します。");
        // The manager reads it (audited), acknowledges it and records support.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, inbox) = manager.get("/reports").await;
        assert_eq!(s, StatusCode::OK);
        assert!(inbox.contains(&format!("/reports/{}", r.id)));
        let (s, body) = manager.get(&format!("/reports/{}", r.id)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("後輩の相談に乗る役割で力を発揮します。"));
        assert!(!body.contains("母の介護") && !body.contains(PRIVATE_NOTE));
        let mcsrf = manager.csrf(&format!("/reports/{}", r.id)).await;
        manager
            .post(
                &format!("/reports/{}/acknowledge", r.id),
                &[("_csrf", &mcsrf), ("support", "来月から後輩2名の指導を任せた")],
            )
            .await;
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("data-testid=\"report-acknowledged\"") && body.contains("来月から後輩2名の指導を任せた"));
        let (entries, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    actor_email: Some("manager@demo.example.jp".into()),
                    action: Some(domain::audit::AuditAction::ConfidentialRead),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .expect("audit");
        assert!(entries.iter().any(|e| e.target_type.as_deref() == Some("feedback_report")));
        // Nobody else reads it; HR and admin included.
        for who in ["hr", "admin", "instructor"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (s, body) = b.get(&format!("/reports/{}", r.id)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            assert!(!body.contains("後輩の相談に乗る役割"));
        }
        // The PDF carries the Japanese text with the font embedded.
        let bytes = manager
            .http
            .get(format!("{}/reports/{}/report.pdf", manager.base, r.id))
            .send()
            .await
            .expect("pdf")
            .bytes()
            .await
            .expect("bytes");
        let file = std::env::temp_dir().join(format!("kyoritsu-report-{}-{:?}.pdf", std::process::id(), app.store.engine()));
        std::fs::write(&file, &bytes).expect("write");
        let path_s = file.to_string_lossy().to_string();
        let text = poppler("pdftotext", &[&path_s, "-"]);
        assert!(text.contains("後輩の相談に乗る役割で力を発揮します"), "{text}");
        assert!(poppler("pdffonts", &[&path_s]).lines().any(|l| l.contains("IPAexGothic") && l.contains(" yes ")));
        let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/artifacts");
        std::fs::create_dir_all(&artifacts).expect("artifacts");
        poppler(
            "pdftoppm",
            &["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", &path_s, &artifacts.join(format!("feedback-report-pdf-{:?}", app.store.engine()).to_lowercase()).to_string_lossy()],
        );
        let _ = std::fs::remove_file(&file);
    }
);

app_test!(
    withdrawing_consent_after_a_draft_exists_stops_the_report,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("motivation", "育成の役割で力を発揮します。"),
                ],
            )
            .await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(&format!("{path}/consent/withdraw"), &[("_csrf", &ecsrf)])
            .await;
        let (_, preview) = consultant.get(&format!("{path}/report/preview")).await;
        assert!(preview.contains("同意を撤回したため"));
        consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        assert!(r.sent_at.is_none());
        // Nobody but the consultant drafts or sends.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = manager.csrf("/my").await;
        for action in ["report", "report/send"] {
            let (s, _) = manager
                .post(
                    &format!("{path}/{action}"),
                    &[("_csrf", &mcsrf), ("motivation", "x")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{action}");
        }
    }
);

app_test!(
    everyone_reads_the_autonomy_definition_admin_states_it_and_hr_sees_the_rates,
    |app| async move {
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, body) = employee.get("/autonomy").await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("全社の平均を上回っていること") && body.contains("2年以上先"));
        assert!(!body.contains("autonomy-rates"), "figures are for HR");
        let admin = app.signed_in("admin@demo.example.jp").await;
        let csrf = admin.csrf("/autonomy").await;
        let (s, body) = admin
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", csrf.as_str()),
                    ("rule", "at_least"),
                    ("rating", "Z"),
                    ("horizon", "3"),
                    ("statement", "自分で選んだ道を歩む人"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("評価の段階から") && body.contains("自分で選んだ道を歩む人"));
        let (s, _) = admin
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", csrf.as_str()),
                    ("rule", "at_least"),
                    ("rating", "A"),
                    ("horizon", "3"),
                    ("statement", "自分で選んだ道を歩む人"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = employee.get("/autonomy").await;
        assert!(
            body.contains("「A」以上")
                && body.contains("3年以上先")
                && body.contains("自分で選んだ道を歩む人")
        );
        // Only admin states it.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let hcsrf = hr.csrf("/autonomy").await;
        let (s, _) = hr
            .post(
                "/autonomy/definition",
                &[
                    ("_csrf", hcsrf.as_str()),
                    ("rule", "above_mean"),
                    ("horizon", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, body) = hr.get("/autonomy").await;
        assert_eq!(body.matches("data-testid=\"autonomy-year\"").count(), 10);
    }
);

app_test!(
    the_consultant_records_the_vision_stated_in_an_interview,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let (s, body) = consultant
            .post(
                &format!("{path}/vision"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("vision", "5年後に営業企画を率いている"),
                    ("horizon", "0"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("5年後に営業企画を率いている"),
            "typed text kept"
        );
        consultant
            .post(
                &format!("{path}/vision"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("vision", "5年後に営業企画を率いている"),
                    ("horizon", "5"),
                ],
            )
            .await;
        let t = app.demo_tenant().await;
        let d = app.store.dialogue(t.id, next).await.expect("q").expect("d");
        assert_eq!(
            (d.vision.as_deref(), d.vision_horizon),
            (Some("5年後に営業企画を率いている"), Some(5))
        );
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, body) = employee.get(&path).await;
        assert!(body.contains("data-testid=\"vision-recorded\""));
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, body) = manager.get(&path).await;
        assert!(!body.contains("営業企画を率いている"));
    }
);

app_test!(
    the_assigned_consultant_evaluates_behaviour_change_and_hr_sees_only_anonymous_shares,
    |app| async move {
        let subject = app.report_of_manager().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf("/clients").await;
        let path = format!("/clients/{subject}/behaviour");
        let (s, body) = consultant
            .post(
                &path,
                &[
                    ("_csrf", csrf.as_str()),
                    ("level", "changed"),
                    ("reason", ""),
                    ("manager_input", "会議での発言が増えたと上司から聞いた"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("data-testid=\"behaviour-error\"")
                && body.contains("会議での発言が増えたと上司から聞いた"),
            "the form comes back as typed"
        );
        let t = app.demo_tenant().await;
        let fy = t
            .settings
            .calendar
            .fiscal_year_of(domain::japan_time::japan_date(chrono::Utc::now()))
            .0;
        let person = domain::PersonId(subject);
        assert!(
            app.store
                .behaviour_of(t.id, person, fy)
                .await
                .expect("q")
                .is_none(),
            "a reason is needed"
        );
        let (s, _) = consultant
            .post(
                &path,
                &[
                    ("_csrf", csrf.as_str()),
                    ("level", "changed"),
                    ("reason", "後輩の相談に乗る時間を毎週つくっている"),
                    ("manager_input", "会議での発言が増えた"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let e = app
            .store
            .behaviour_of(t.id, person, fy)
            .await
            .expect("q")
            .expect("e");
        assert_eq!(e.level, domain::behaviour::Change::Changed);
        assert_eq!(e.manager_input, "会議での発言が増えた");
        let (_, body) = consultant.get("/clients").await;
        assert!(body.contains("data-testid=\"behaviour-current\""));
        // Someone not assigned to them, and anyone not a consultant, cannot.
        let outsider = app.outsider().await;
        let (s, _) = consultant
            .post(
                &format!("/clients/{outsider}/behaviour"),
                &[("_csrf", csrf.as_str()), ("level", "none"), ("reason", "x")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for who in ["manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let c = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    &path,
                    &[("_csrf", c.as_str()), ("level", "none"), ("reason", "x")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        // HR sees the year, but one evaluation is below k: nothing but the suppression.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, body) = hr.get("/programmes").await;
        let row = body
            .split("data-testid=\"behaviour-year\"")
            .nth(1)
            .expect("a year row");
        let row = row.split("</tr>").next().unwrap_or("");
        assert!(
            row.contains("人未満のため表示しません") || row.contains("未満"),
            "{row}"
        );
        assert!(!row.contains('%'), "no share of a single person: {row}");
        assert!(
            !body.contains("後輩の相談に乗る時間を毎週"),
            "no reason reaches HR"
        );
    }
);

app_test!(
    the_worksheet_weighs_merits_and_the_facilitator_sees_which_condition_is_missing,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, body) = consultant.get(&path).await;
        // The demo sheet shares events and successes; nothing is weighed yet.
        assert_eq!(
            body.matches("data-testid=\"condition\" data-ok=\"true\"")
                .count(),
            2,
            "{body}"
        );
        assert!(body.contains("data-ok=\"false\"") && body.contains("ロールモデル"));
        let csrf = consultant.csrf(&path).await;
        let (s, body) = consultant
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("side", "merit"),
                    ("text", "育成の経験が積める"),
                    ("weight", "9"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("value=\"育成の経験が積める\""),
            "typed text kept"
        );
        consultant
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("side", "merit"),
                    ("text", "育成の経験が積める"),
                    ("weight", "4"),
                ],
            )
            .await;
        // The employee weighs too.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        let (s, _) = employee
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("side", "demerit"),
                    ("text", "営業成績が一時的に下がるかもしれない"),
                    ("weight", "2"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, body) = consultant.get(&path).await;
        assert!(body.contains("メリットが2上回っています"));
        assert_eq!(
            body.matches("data-testid=\"condition\" data-ok=\"true\"")
                .count(),
            3
        );
        // Sealed, and nobody else writes or reads it.
        let t = app.demo_tenant().await;
        assert_eq!(
            app.store.worksheet_of(t.id, next).await.expect("q").len(),
            2
        );
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, body) = manager.get(&path).await;
        assert!(!body.contains("育成の経験が積める"));
        let mcsrf = manager.csrf("/my").await;
        let (s, _) = manager
            .post(
                &format!("{path}/worksheet"),
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("side", "merit"),
                    ("text", "x"),
                    ("weight", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    the_follow_up_waits_for_the_grace_period_the_company_sets,
    |app| async move {
        let (_, next, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{next}");
        let t = app.demo_tenant().await;
        let started = (domain::japan_time::japan_date(chrono::Utc::now())
            - chrono::Duration::days(5))
        .to_string();
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("action", "先週から毎朝15分、業界ニュースを読んでいます"),
                    ("starts_on", &started),
                    ("confirm_past", "1"),
                ],
            )
            .await;
        let c = app.store.commitments_of(t.id, next).await.expect("q")[0].clone();
        assert!(
            app.store
                .confirm_commitment(t.id, c.id, c.subject)
                .await
                .expect("confirm")
        );
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("my-check-in"),
            "5 days after the start, the default 3 days have passed"
        );
        let admin = app.signed_in("admin@demo.example.jp").await;
        let acsrf = admin.csrf("/admin").await;
        let (s, body) = admin
            .post(
                "/admin/check-in",
                &[("_csrf", acsrf.as_str()), ("check_in_grace_days", "61")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("data-testid=\"grace-error\"") && body.contains("value=\"61\""),
            "the form keeps what was typed"
        );
        assert_eq!(
            app.store.check_in_grace_days(t.id).await.expect("q"),
            3,
            "refused"
        );
        admin
            .post(
                "/admin/check-in",
                &[("_csrf", acsrf.as_str()), ("check_in_grace_days", "10")],
            )
            .await;
        assert_eq!(app.store.check_in_grace_days(t.id).await.expect("q"), 10);
        let (_, my) = employee.get("/my").await;
        assert!(!my.contains("my-check-in"), "not before 10 days");
        let hr = app.signed_in("hr@demo.example.jp").await;
        let hcsrf = hr.csrf("/my").await;
        let (s, _) = hr
            .post(
                "/admin/check-in",
                &[("_csrf", hcsrf.as_str()), ("check_in_grace_days", "0")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    an_overlong_report_part_is_refused_and_everything_typed_comes_back,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let long = "長".repeat(domain::feedback::MAX_PART_CHARS + 1);
        let (s, body) = consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("unknown_side", "丁寧に書いた一面の説明"),
                    ("motivation", long.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("data-testid=\"report-error\""));
        assert!(
            body.contains("丁寧に書いた一面の説明") && body.contains(&long),
            "typed parts kept"
        );
        assert!(
            app.store
                .report_of_dialogue(t.id, held)
                .await
                .expect("q")
                .is_none(),
            "nothing saved"
        );
    }
);

/// The moment 09:00 in Japan on `date`.
fn nine_am_jst(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    date.and_hms_opt(0, 0, 0).expect("t").and_utc()
}

app_test!(
    the_follow_up_asks_on_the_start_date_plus_grace_by_page_and_by_email_once,
    |app| async move {
        let id = next_milestone(&app).await;
        let path = format!("/dialogues/{id}");
        let t = app.demo_tenant().await;
        let smtp = SmtpSink::start().await;
        let worker = app.worker(Some(smtp.port));
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        let start = app.state.clock.today() + chrono::Duration::days(10);
        let start_s = start.format("%Y-%m-%d").to_string();
        consultant
            .post(
                &format!("{path}/commitments"),
                &[
                    ("_csrf", csrf.as_str()),
                    (
                        "action",
                        "来月から毎週火曜の朝に30分、統計検定の問題集を解きます",
                    ),
                    ("starts_on", &start_s),
                    ("first_step", ""),
                    ("evidence", ""),
                    ("vision", ""),
                    ("target", ""),
                    ("due_on", ""),
                ],
            )
            .await;
        let c = app.store.commitments_of(t.id, id).await.expect("q")[0].clone();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/commitments/{}/confirm", c.id),
                &[("_csrf", &ecsrf)],
            )
            .await;
        let confirmed = app
            .store
            .commitment(t.id, c.id)
            .await
            .expect("q")
            .expect("c");
        assert!(confirmed.counts(), "{confirmed:?}");
        let asked = |app: &TestApp| {
            let store = app.store.clone();
            async move { store.check_in_asked_at(t.id, c.id).await.expect("q") }
        };
        let mine = |body: &str| {
            body.contains("統計検定の問題集") && body.contains("data-testid=\"my-check-in\"")
        };
        // Before the start date plus the grace period (3 days): nothing.
        worker.tick().await.expect("tick");
        assert!(asked(&app).await.is_none());
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(2)));
        worker.tick().await.expect("tick");
        assert!(asked(&app).await.is_none(), "grace period");
        let (_, my) = employee.get("/my").await;
        assert!(!mine(&my));
        // On the day: the task on both people's pages and one email each.
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(3)));
        let report = worker.tick().await.expect("tick");
        assert!(
            report.check_ins_asked >= 1 && report.emails_sent >= 2,
            "{report:?}"
        );
        assert!(asked(&app).await.is_some());
        let (_, my) = employee.get("/my").await;
        assert!(mine(&my), "the check-in on マイキャリア");
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("始めましたか？"),
            "the check-in on the dialogue page"
        );
        let to_employee = smtp.to("employee@demo.example.jp");
        let to_consultant = smtp.to("consultant@demo.example.jp");
        let about = |m: &&serde_json::Value| {
            m["body"]
                .as_str()
                .is_some_and(|b| b.contains(&format!("{start_s}から始めると決めた")))
        };
        assert_eq!(
            to_employee.iter().filter(about).count(),
            1,
            "{to_employee:?}"
        );
        assert_eq!(
            to_consultant.iter().filter(about).count(),
            1,
            "{to_consultant:?}"
        );
        let mail = to_employee.iter().find(about).expect("mail");
        assert!(
            mail["subject"]
                .as_str()
                .expect("s")
                .starts_with("始めましたか？")
        );
        let body = mail["body"].as_str().expect("body");
        assert!(
            body.contains("マイキャリア") && body.contains("/my"),
            "{body}"
        );
        for m in smtp.messages() {
            assert!(
                !m["body"].as_str().expect("b").contains("統計検定"),
                "an email never carries the commitment's words"
            );
        }
        // Asked once: later ticks send nothing more about it.
        let before = smtp.messages().len();
        app.state
            .clock
            .set(nine_am_jst(start + chrono::Duration::days(9)));
        worker.tick().await.expect("tick");
        worker.tick().await.expect("tick");
        let all = smtp.messages();
        let after = &all[before..];
        assert!(after.iter().all(|m| !about(&m)), "{after:?}");
        // Answering ends the task.
        employee
            .post(
                &format!("{path}/commitments/{}/status", c.id),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("status", "started"),
                    ("reason", ""),
                ],
            )
            .await;
        let (_, my) = employee.get("/my").await;
        assert!(!mine(&my));
    }
);

app_test!(
    an_smtp_server_that_is_down_keeps_the_report_email_queued_and_it_is_retried_until_sent,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let path = format!("/dialogues/{held}");
        let t = app.demo_tenant().await;
        let port = free_port();
        // Nothing listens on `port` yet.
        let worker = app.worker(Some(port));
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&path).await;
        consultant
            .post(
                &format!("{path}/report"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("unknown_side", "顧客との信頼関係づくりに長けています。"),
                    ("motivation", "後輩の相談に乗る役割で力を発揮します。"),
                    ("committed", "毎週水曜の朝に社内公募の情報を確認します。"),
                    ("support", "育成の役割を任せてください。"),
                ],
            )
            .await;
        let (s, _) = consultant
            .post(&format!("{path}/report/send"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("送信キューに入りました"),
            "the flash says it is queued"
        );
        assert!(
            page.contains("送信待ちです"),
            "the report says where the email stands"
        );
        let r = app
            .store
            .report_of_dialogue(t.id, held)
            .await
            .expect("q")
            .expect("r");
        let key = web_report_key(r.id);
        // The server is down: the attempt fails, nothing is lost, it waits to retry.
        let tick = worker.tick().await.expect("tick");
        assert!(tick.emails_retrying >= 1, "{tick:?}");
        let job = app
            .store
            .job_status(t.id, &key)
            .await
            .expect("q")
            .expect("job");
        assert_eq!(job.state, store::jobs::JobState::Queued);
        assert_eq!(job.attempts, 1);
        assert!(job.last_error.is_some());
        let (_, page) = consultant.get(&path).await;
        assert!(
            page.contains("再送します（失敗 1 回）"),
            "the page says it will retry"
        );
        // The server comes back; after the back-off the email goes, once.
        let smtp = SmtpSink::start_on(port).await;
        worker.tick().await.expect("tick");
        assert!(
            smtp.to("manager@demo.example.jp").is_empty(),
            "waits for its back-off"
        );
        app.state
            .clock
            .set(app.state.clock.now() + chrono::Duration::minutes(2));
        worker.tick().await.expect("tick");
        worker.tick().await.expect("tick");
        let mails: Vec<_> = smtp
            .to("manager@demo.example.jp")
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("面談所感が届きました"))
            })
            .collect();
        assert_eq!(mails.len(), 1, "{mails:?}");
        let body = mails[0]["body"].as_str().expect("b");
        assert!(body.contains(&format!("/reports/{}", r.id)), "{body}");
        for secret in ["顧客との信頼関係", "後輩の相談", "社内公募", "育成の役割"]
        {
            assert!(
                !body.contains(secret),
                "the email carries no report text: {secret}"
            );
        }
        let job = app
            .store
            .job_status(t.id, &key)
            .await
            .expect("q")
            .expect("job");
        assert_eq!(job.state, store::jobs::JobState::Done);
        let (_, page) = consultant.get(&path).await;
        assert!(page.contains("上司へのお知らせメールは") && page.contains("に送信しました。"));
    }
);

fn web_report_key(id: i64) -> String {
    format!("email:report:{id}")
}

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
    a_role_model_story_is_read_by_others_only_after_its_colleague_consents,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = app.report_of_manager().await;
        let number = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .employee_number;
        let my_name = app
            .store
            .person(t.id, domain::PersonId(me))
            .await
            .expect("q")
            .expect("p")
            .name;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf("/role-models/new").await;
        // Bad input comes back as typed, with every problem named.
        let (s, body) = consultant
            .post(
                "/role-models",
                &[
                    ("_csrf", csrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", ""),
                    (
                        "body",
                        "昇格試験に落ちた年に始めた勉強会が、いまも続いています。",
                    ),
                    ("outcome", "failed_but_gained"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("タイトルを入力してください") && body.contains("テーマを1つ以上"));
        assert!(
            body.contains("昇格試験に落ちた年に始めた勉強会"),
            "typed text kept"
        );
        let (s, location) = consultant
            .post(
                "/role-models",
                &[
                    ("_csrf", csrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", "昇格試験に落ちた年に"),
                    (
                        "body",
                        "昇格試験に落ちた年に始めた勉強会が、いまも続いています。",
                    ),
                    ("anchor", "service"),
                    ("themes", "reskilling"),
                    ("themes", "new_field"),
                    ("outcome", "failed_but_gained"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let path = location.clone();
        let id: i64 = path.rsplit('/').next().expect("id").parse().expect("id");
        // Waiting for consent: nobody else sees it, not even in the list.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = manager.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, list) = manager.get("/role-models?q=昇格試験").await;
        assert!(!list.contains("昇格試験に落ちた年に"));
        // Only the colleague answers; they are asked on マイキャリア.
        let mcsrf = manager.csrf("/role-models").await;
        let (s, _) = manager
            .post(
                "/role-models",
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("employee_number", number.as_str()),
                    ("title", "x"),
                ],
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "only consultants and HR write stories"
        );
        let (s, _) = manager
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "given"),
                    ("show_name", "1"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(
            my.contains("data-testid=\"stories-to-answer\"") && my.contains("昇格試験に落ちた年に")
        );
        let ecsrf = employee.csrf(&path).await;
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "given"),
                ],
            )
            .await;
        // Published without the name (not agreed), found by a search folding width.
        let (s, page) = manager.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("昇格試験に落ちた年に") && !page.contains(&my_name));
        let (_, list) = manager
            .get("/role-models?q=勉強会&outcome=failed_but_gained")
            .await;
        assert!(
            list.contains("昇格試験に落ちた年に"),
            "search by word and outcome"
        );
        let (_, other) = manager.get("/role-models?q=勉強会&outcome=achieved").await;
        assert!(
            !other.contains("昇格試験に落ちた年に"),
            "the outcome filter applies"
        );
        // A stale answer from an old page changes nothing.
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "pending"),
                    ("answer", "refused"),
                ],
            )
            .await;
        let story = app.store.story(t.id, id).await.expect("q").expect("s");
        assert_eq!(story.consent, domain::role_model::Consent::Given);
        // Withdrawn: hidden again.
        employee
            .post(
                &format!("{path}/consent"),
                &[
                    ("_csrf", ecsrf.as_str()),
                    ("from", "given"),
                    ("answer", "withdrawn"),
                ],
            )
            .await;
        let (s, _) = manager.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (audit, _) = app
            .store
            .list_audit(
                t.id,
                &store::audit::AuditFilter {
                    action: Some(domain::audit::AuditAction::ConsentChanged),
                    ..Default::default()
                },
                20,
                0,
            )
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .filter(|e| e.target_type.as_deref() == Some("role_model_story"))
                .count()
                >= 2
        );
    }
);

app_test!(
    the_facilitator_is_offered_tried_and_failed_role_models_when_the_merits_do_not_yet_outweigh,
    |app| async move {
        let (held, _, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let (_, page) = consultant.get(&format!("/dialogues/{held}")).await;
        let block = page
            .split("data-testid=\"suggested-role-models\"")
            .nth(1)
            .expect("suggestions shown while the worksheet is empty");
        let first = block.split("</li>").next().expect("first");
        assert!(
            first.contains("うまくいかなかったが、得たものがあった"),
            "{first}"
        );
        // The employee, on the same page, sees no suggestions (they are for the facilitator).
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, page) = employee.get(&format!("/dialogues/{held}")).await;
        assert!(!page.contains("suggested-role-models"));
    }
);

app_test!(
    the_anchor_inventory_refuses_an_incomplete_sheet_as_answered_and_keeps_every_take,
    |app| async move {
        let t = app.demo_tenant().await;
        let me = domain::PersonId(app.report_of_manager().await);
        let before = app
            .store
            .anchor_results_of(t.id, me)
            .await
            .expect("q")
            .len();
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/my/anchors/take").await;
        let ratings: Vec<(String, String)> = (1..=40)
            .filter(|n| *n != 12)
            .map(|n| {
                (
                    format!("r{n}"),
                    if (n - 1) % 8 == 5 { "6" } else { "3" }.to_string(),
                )
            })
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        form.extend(ratings.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for p in ["6", "14", "22", "30"] {
            form.push(("picks", p));
        }
        let (s, body) = employee.post("/my/anchors", &form).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("1個の文に回答がありません（12）"),
            "the missing statement named"
        );
        assert!(
            body.contains("「特にあてはまる」が4つ選ばれています"),
            "four picks refused"
        );
        assert!(
            body.contains("name=\"r13\" value=\"3\" checked")
                && body.contains("value=\"30\" checked"),
            "answers kept as given"
        );
        // Complete it: service (statements 6, 14, 22, 30, 38) rated 6 with three picks
        // → (30 + 12) / 5 = 8.4; statement 12 (pure challenge) rated 3.
        form.retain(|(k, v)| !(*k == "picks" && *v == "30"));
        form.push(("r12", "3"));
        let (s, _) = employee.post("/my/anchors", &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee.get("/my/anchors").await;
        assert!(page.contains("data-testid=\"anchor-radar\""));
        assert!(page.contains("<span class=\"badge\">奉仕・社会貢献</span>"));
        assert!(page.contains("8.4"));
        // A second take keeps the first in the history.
        employee.post("/my/anchors", &form).await;
        let (_, page) = employee.get("/my/anchors").await;
        assert!(page.contains("data-testid=\"anchor-history\""));
        assert_eq!(
            app.store
                .anchor_results_of(t.id, me)
                .await
                .expect("q")
                .len(),
            before + 2
        );
    }
);

async fn raw_sql(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("pg");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    }
}

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
        let (s, _) = teacher
            .get(&format!("/programmes/{id}/sessions/{sid}"))
            .await;
        assert_eq!(s, StatusCode::OK);
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

/// HR launches a programme of this fiscal year from `template` (groups of 2–6); its id.
async fn launch_programme(app: &TestApp, hr: &Browser, template: &str, name: &str) -> i64 {
    let csrf = hr.csrf("/programmes/new").await;
    let fy = app.this_fy().await;
    let (s, location) = hr
        .post(
            "/programmes/new",
            &[
                ("_csrf", &csrf),
                ("name", name),
                ("fiscal_year", &fy),
                ("template", template),
                ("group_min", "2"),
                ("group_max", "6"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    location
        .trim_start_matches("/programmes/")
        .parse()
        .expect("programme id")
}

/// A programme of the whole demo company with one session of `capacity` that started
/// `days` from now (negative: in the past), placed by the button. Returns (programme,
/// session).
async fn programme_with_session(
    app: &TestApp,
    hr: &Browser,
    days: i64,
    capacity: &str,
) -> (i64, i64) {
    let t = app.demo_tenant().await;
    let csrf = hr.csrf("/programmes/new").await;
    let id = launch_programme(app, hr, "periodic", "テスト用プログラム").await;
    let day = (domain::japan_time::japan_date(app.state.clock.now())
        + chrono::Duration::days(days))
    .to_string();
    let instructor = app
        .user("instructor@demo.example.jp")
        .await
        .id
        .0
        .to_string();
    let (s, _) = hr
        .post(
            &format!("/programmes/{id}/sessions"),
            &[
                ("_csrf", &csrf),
                ("date", &day),
                ("start", "06:00"),
                ("end", "07:00"),
                ("place", "テスト会場"),
                ("capacity", capacity),
                ("instructor", &instructor),
                ("style", "calm"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    hr.post(&format!("/programmes/{id}/place"), &[("_csrf", &csrf)])
        .await;
    let sid = app.store.training_sessions(t.id, id).await.expect("q")[0].id;
    (id, sid)
}

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

/// A multipart body with a `text` field and a `file`.
fn multipart(text: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "KyoritsuTestBoundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

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

#[path = "app/hardening.rs"]
mod hardening;
