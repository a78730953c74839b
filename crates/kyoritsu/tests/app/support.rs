//! What every app test shares: a running app on a fresh database ([`TestApp`]), a
//! signed-in browser without JavaScript ([`Browser`]), a real SMTP sink, and the demo
//! company's dialogues and programmes as fixtures.

pub(crate) use domain::{EmailAddress, Role, TenantSlug};
pub(crate) use reqwest::StatusCode;
pub(crate) use reqwest::redirect::Policy;
pub(crate) use std::net::SocketAddr;
pub(crate) use store::Store;
pub(crate) use store::testing::TestDb;
pub(crate) use store::users::NewUser;

pub(crate) const PW: &str = kyoritsu::demo::DEMO_PASSWORD;

pub(crate) struct TestApp {
    pub(crate) base: String,
    pub(crate) store: Store,
    pub(crate) state: web::AppState,
    pub(crate) _db: TestDb,
}

/// The commitment checks read Japanese as the server does: the dictionary every test
/// process shares, built once from Debian's mecab-ipadic (`scripts/test` installs it).
pub(crate) fn load_dictionary() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ipadic");
    if let app::language::Status::WordLists { why } =
        app::language::load(&dir, std::path::Path::new("/usr/share/mecab/dic/ipadic"))
    {
        panic!("{why}");
    }
}

impl TestApp {
    pub(crate) async fn spawn(db: TestDb) -> TestApp {
        load_dictionary();
        kyoritsu::cli::create_demo(&db.store, 80, 3, false)
            .await
            .expect("demo company");
        TestApp::serve(db).await
    }

    /// The app over a database as it is.
    pub(crate) async fn serve(db: TestDb) -> TestApp {
        TestApp::serve_with(
            db,
            web::WebConfig {
                secure_cookies: false,
                ..Default::default()
            },
        )
        .await
    }

    /// The demo company, served with `config`.
    pub(crate) async fn spawn_with(db: TestDb, config: web::WebConfig) -> TestApp {
        load_dictionary();
        kyoritsu::cli::create_demo(&db.store, 80, 3, false)
            .await
            .expect("demo company");
        TestApp::serve_with(db, config).await
    }

    async fn serve_with(db: TestDb, mut config: web::WebConfig) -> TestApp {
        load_dictionary();
        let store = db.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        // Links in e-mails and the SSO callback lead back to this very server.
        if config.public_url == web::WebConfig::default().public_url {
            config.public_url = format!("http://{addr}");
        }
        let state = web::AppState::new(store.clone(), config);
        let app = web::router(state.clone());
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
    pub(crate) fn worker(&self, smtp: Option<u16>) -> web::worker::Worker {
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

    pub(crate) fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("client"),
        }
    }

    pub(crate) async fn signed_in(&self, email: &str) -> Browser {
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

    pub(crate) async fn demo_tenant(&self) -> store::tenants::Tenant {
        self.store
            .tenant_by_slug("demo")
            .await
            .expect("q")
            .expect("demo tenant")
    }

    /// The demo account with this address.
    pub(crate) async fn user(&self, email: &str) -> store::users::User {
        let t = self.demo_tenant().await;
        self.store
            .user_by_email(t.id, &EmailAddress::parse(email).expect("e"))
            .await
            .expect("q")
            .expect("user")
    }

    /// The demo account with this address as the application layer's caller.
    pub(crate) async fn caller(&self, email: &str) -> app::Caller {
        let u = self.user(email).await;
        app::Caller {
            actor: app::actor_for(&self.store, &u).await.expect("actor"),
            email: u.email.clone(),
            ip: None,
            request_id: None,
        }
    }

    /// The fiscal year the app's clock is in, as a form would carry it.
    pub(crate) async fn this_fy(&self) -> String {
        let t = self.demo_tenant().await;
        t.settings
            .calendar
            .fiscal_year_of(self.state.clock.today())
            .0
            .to_string()
    }

    /// A career interview with person `p` by the demo consultant, held two hours ago.
    pub(crate) async fn held_interview(&self, p: i64) -> i64 {
        use domain::dialogue::{DialogueKind, DialogueState};
        let t = self.demo_tenant().await;
        let consultant = self.user("consultant@demo.example.jp").await.id;
        let id = self
            .store
            .create_dialogues(
                t.id,
                &store::dialogues::NewDialogue {
                    kind: DialogueKind::CareerInterview,
                    subject: domain::PersonId(p),
                    facilitator: consultant,
                    duration_minutes: 60,
                    place: "オンライン".into(),
                    created_by: consultant,
                    starts: vec![chrono::Utc::now() - chrono::Duration::hours(2)],
                    cadence: None,
                },
            )
            .await
            .expect("dialogue")[0];
        self.store
            .close_dialogue(t.id, id, DialogueState::Held)
            .await
            .expect("held");
        id
    }

    pub(crate) async fn person_of(&self, email: &str) -> i64 {
        let t = self.demo_tenant().await;
        let u = self
            .store
            .user_by_email(t.id, &EmailAddress::parse(email).expect("e"))
            .await
            .expect("q")
            .expect("user");
        u.person_id.expect("linked").0
    }

    pub(crate) async fn token(&self, email: &str) -> String {
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

    pub(crate) async fn api(
        &self,
        token: Option<&str>,
        path: &str,
    ) -> (StatusCode, serde_json::Value) {
        let mut req = reqwest::Client::new().get(format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub(crate) async fn api_post(
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
    pub(crate) async fn outsider(&self) -> i64 {
        self.person_of("hr@demo.example.jp").await
    }

    pub(crate) async fn report_of_manager(&self) -> i64 {
        self.person_of("employee@demo.example.jp").await
    }
}

pub(crate) struct Browser {
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
}

impl Browser {
    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request");
        let s = r.status();
        (s, r.text().await.unwrap_or_default())
    }

    pub(crate) async fn get_with_location(&self, path: &str) -> (StatusCode, String) {
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

    pub(crate) async fn csrf(&self, page: &str) -> String {
        let (_, body) = self.get(page).await;
        body.split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string()
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
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

    pub(crate) async fn login(&self, email: &str, password: &str) -> (StatusCode, String) {
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
pub(crate) struct SmtpSink {
    pub(crate) port: u16,
    pub(crate) file: std::path::PathBuf,
    pub(crate) child: std::process::Child,
    pub(crate) _dir: tempfile_dir::Dir,
}

pub(crate) mod tempfile_dir {
    /// A temporary folder removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl SmtpSink {
    pub(crate) async fn start_on(port: u16) -> SmtpSink {
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

    pub(crate) async fn start() -> SmtpSink {
        SmtpSink::start_on(free_port()).await
    }

    /// Every message received so far.
    pub(crate) fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }

    pub(crate) fn to(&self, address: &str) -> Vec<serde_json::Value> {
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

/// The demo dialogues about the demo employee: (held interview, next interview, the
/// interview HR booked for another client, the manager's first 1on1).
pub(crate) async fn demo_dialogues(app: &TestApp) -> (i64, i64, i64, i64) {
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

pub(crate) const PRIVATE_NOTE: &str = "転勤のある異動には不安が大きい";
pub(crate) const SHARED_NOTE: &str = "顧客との信頼関係づくり";
pub(crate) const FOR_MANAGER_NOTE: &str = "後輩の相談に乗っているとき";
pub(crate) const WITHHELD: &str = "母の介護のこと";

/// Books through the form, returning (status, Location or body).
pub(crate) async fn book(b: &Browser, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let csrf = b.csrf("/dialogues/new").await;
    let mut form = vec![("_csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post("/dialogues", &form).await
}

/// Runs a poppler tool on a PDF file and returns what it printed.
pub(crate) fn poppler(tool: &str, args: &[&str]) -> String {
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

/// The demo's booked second milestone interview of the demo employee.
pub(crate) async fn next_milestone(app: &TestApp) -> i64 {
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

/// The moment 09:00 in Japan on `date`.
pub(crate) fn nine_am_jst(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    date.and_hms_opt(0, 0, 0).expect("t").and_utc()
}

pub(crate) fn web_report_key(id: i64) -> String {
    format!("email:report:{id}")
}

pub(crate) async fn raw_sql(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("pg");
        sqlx::query(sql).execute(&pool).await.expect("raw");
    }
}

/// HR launches a programme of this fiscal year from `template` (groups of 2–6); its id.
pub(crate) async fn launch_programme(
    app: &TestApp,
    hr: &Browser,
    template: &str,
    name: &str,
) -> i64 {
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
                ("confirm", "1"),
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
pub(crate) async fn programme_with_session(
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

/// A multipart body with a `text` field and a `file`.
pub(crate) fn multipart(text: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "KyoritsuTestBoundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// HR's import upload, as the browser sends it.
pub(crate) async fn upload_import(b: &Browser, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let csrf = b.csrf("/people/import").await;
    let boundary = "KyoritsuBombBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = b
        .http
        .post(format!("{}/people/import?_csrf={csrf}", b.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    (r.status(), r.text().await.unwrap_or_default())
}
