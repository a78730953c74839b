//! Single sign-on against a real OpenID Connect provider started here (the npm package
//! `oidc-provider`, `e2e/peers/oidc_provider.mjs`): signing in, an ID token for another
//! client, an expired one, one signed with a key the provider never published, a
//! replayed state, a disabled account, accounts made at the first sign-in from the
//! employee master, "SSO only" with its break-glass admin, a provider that is down.

use super::*;
use domain::sso::Refusal;

const CLIENT_ID: &str = "kyoritsu-test";
const CLIENT_SECRET: &str = "a-client-secret-for-the-tests";

/// The provider, a Node.js child process on the loopback.
struct Provider {
    issuer: String,
    child: std::process::Child,
    http: reqwest::Client,
}

impl Provider {
    async fn start(app: &TestApp) -> Provider {
        use std::io::BufRead;
        let e2e = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
        let config = serde_json::json!({
            "clientId": CLIENT_ID,
            "clientSecret": CLIENT_SECRET,
            "redirectUri": format!("{}/sso/callback", app.base),
        });
        let mut child = std::process::Command::new("node")
            .current_dir(&e2e)
            .arg("peers/oidc_provider.mjs")
            .arg(config.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(
                std::fs::File::create(std::env::temp_dir().join("kyoritsu-oidc-provider.log"))
                    .map(std::process::Stdio::from)
                    .unwrap_or_else(|_| std::process::Stdio::null()),
            )
            .spawn()
            .expect("node with e2e/node_modules (scripts/test runs npm ci)");
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            let mut reader = std::io::BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return None;
                }
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    return v["issuer"].as_str().map(str::to_string);
                }
            }
        })
        .await
        .expect("join");
        let issuer = line.expect("oidc-provider did not start (is e2e/node_modules there?)");
        Provider {
            issuer,
            child,
            http: reqwest::Client::new(),
        }
    }

    /// Who signs in next, and how the ID token comes out.
    async fn next(&self, account: &str, mode: &str, claims: Option<serde_json::Value>) {
        let mut q = vec![("account", account.to_string()), ("mode", mode.to_string())];
        if let Some(c) = claims {
            q.push(("claims", c.to_string()));
        }
        let r = self
            .http
            .get(format!("{}/_test/next", self.issuer))
            .query(&q)
            .send()
            .await
            .expect("provider");
        assert!(r.status().is_success());
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sets the demo company's provider as the operator would.
async fn configure(app: &TestApp, issuer: &str, edit: impl FnOnce(&mut app::sso::SsoInput)) {
    let t = app.demo_tenant().await;
    let mut input = app::sso::SsoInput {
        issuer: issuer.into(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        ..Default::default()
    };
    edit(&mut input);
    app::sso::set(
        &app.store,
        &app::accounts::By::operator(t.id),
        &input,
        chrono::Utc::now(),
    )
    .await
    .expect("store")
    .expect("valid settings");
}

/// Follows the browser from `/sso/start` through the provider; returns the callback
/// address the provider sent it back to.
async fn to_callback(b: &Browser, provider: &Provider) -> String {
    let (s, mut at) = b.get_with_location("/sso/start").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "start: {at}");
    assert!(at.starts_with(&provider.issuer), "to the provider: {at}");
    assert!(at.contains("code_challenge_method=S256"), "PKCE: {at}");
    assert!(at.contains("nonce="), "nonce: {at}");
    for _ in 0..10 {
        if at.starts_with(&b.base) {
            return at;
        }
        let url = if at.starts_with('/') {
            format!("{}{at}", provider.issuer)
        } else {
            at.clone()
        };
        let r = b.http.get(&url).send().await.expect("provider");
        assert!(
            r.status().is_redirection(),
            "the provider answered {} at {url}",
            r.status()
        );
        at = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
    }
    panic!("the provider never sent the browser back");
}

/// The whole round: returns the callback's status and its location (or page).
async fn sso_sign_in(
    b: &Browser,
    provider: &Provider,
    account: &str,
    mode: &str,
) -> (StatusCode, String, String) {
    provider.next(account, mode, None).await;
    let callback = to_callback(b, provider).await;
    let path = callback.trim_start_matches(&b.base).to_string();
    let (s, body) = b.get(&path).await;
    (s, body, path)
}

async fn signed_in_as(b: &Browser) -> Option<String> {
    let (s, body) = b.get("/account").await;
    (s == StatusCode::OK).then_some(body)
}

fn says(body: &str, why: Refusal) -> bool {
    let text = app::i18n::Lang::Ja
        .catalog()
        .get(&format!("sso.refused.{}", why.key()))
        .to_string();
    body.contains(&text)
}

async fn signs_in_through_the_provider_and_refuses_what_fails_a_check(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let provider = Provider::start(&app).await;
    configure(&app, &provider.issuer, |_| {}).await;
    let t = app.demo_tenant().await;

    // The sign-in page offers the company's provider first.
    let (_, login) = app.browser().get("/login").await;
    assert!(login.contains("data-testid=\"sso-start\""), "{login}");
    assert!(login.contains("data-testid=\"password-form\""));

    // Signing in.
    let b = app.browser();
    let (s, _, callback) = sso_sign_in(&b, &provider, "employee@demo.example.jp", "normal").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "signed in and sent home");
    let page = signed_in_as(&b).await.expect("signed in");
    assert!(page.contains("employee@demo.example.jp"));
    let (_, audit) = app
        .signed_in("admin@demo.example.jp")
        .await
        .get("/admin/audit?action=sign_in")
        .await;
    assert!(audit.contains("シングルサインオン"), "audited as SSO");

    // The same answer again (a replayed state): in the same browser, and in another.
    let (s, body) = b.get(&callback).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(says(&body, Refusal::State), "{body}");
    let thief = app.browser();
    let (s, body) = thief.get(&callback).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(says(&body, Refusal::State));
    assert!(
        body.contains("data-testid=\"password-form\""),
        "the password form is still offered"
    );
    assert!(signed_in_as(&thief).await.is_none());
    // A state of one's own making does not match what this browser started.
    let b2 = app.browser();
    provider.next("hr@demo.example.jp", "normal", None).await;
    let real = to_callback(&b2, &provider).await;
    let forged = real
        .split("state=")
        .next()
        .map(|head| format!("{}state=forged", head))
        .expect("state");
    let (s, body) = b2.get(forged.trim_start_matches(&b2.base)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(says(&body, Refusal::State));
    assert!(signed_in_as(&b2).await.is_none());

    // ID tokens that fail a check sign nobody in.
    for mode in ["wrong_audience", "expired", "bad_signature"] {
        let b = app.browser();
        let (s, body, _) = sso_sign_in(&b, &provider, "employee@demo.example.jp", mode).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{mode}");
        assert!(says(&body, Refusal::BadToken), "{mode}: {body}");
        assert!(signed_in_as(&b).await.is_none(), "{mode}");
    }

    // A disabled account.
    let hr = app.user("hr@demo.example.jp").await;
    app.store
        .set_user_disabled(t.id, hr.id, true)
        .await
        .expect("disable");
    let b = app.browser();
    let (s, body, _) = sso_sign_in(&b, &provider, "hr@demo.example.jp", "normal").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(says(&body, Refusal::Disabled), "{body}");
    assert!(signed_in_as(&b).await.is_none());

    // Nobody with this address, and no accounts made at first sign-in.
    let b = app.browser();
    let (s, body, _) = sso_sign_in(&b, &provider, "stranger@elsewhere.example", "normal").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(says(&body, Refusal::NoAccount));

    // Every refusal is in the audit log, with why.
    let (_, audit) = app
        .signed_in("admin@demo.example.jp")
        .await
        .get("/admin/audit?action=sign_in_failed")
        .await;
    for why in [
        "手続きの不一致・再使用",
        "IDトークンの検証に失敗",
        "無効なアカウント",
        "アカウントなし",
    ] {
        assert!(audit.contains(why), "audited: {why}");
    }
}

async fn makes_accounts_from_the_master_and_keeps_passwords_for_the_break_glass_admin(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let provider = Provider::start(&app).await;
    let t = app.demo_tenant().await;
    let newcomer = app
        .store
        .people_without_account(t.id, None)
        .await
        .expect("people")
        .into_iter()
        .find_map(|p| p.email.map(|e| (p.person, e)))
        .expect("someone in the master without an account");

    // Without "create users" they have no account to sign in to.
    configure(&app, &provider.issuer, |_| {}).await;
    let b = app.browser();
    let (s, _, _) = sso_sign_in(&b, &provider, &newcomer.1, "normal").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // With it, an employee's account linked to their person, without a password; the
    // address comes from the claim the admin names.
    configure(&app, &provider.issuer, |i| {
        i.create_users = true;
        i.client_secret = String::new(); // keeps the stored one
        i.email_claim = "upn".into();
    })
    .await;
    provider
        .next(
            "sub-123",
            "normal",
            Some(serde_json::json!({"upn": newcomer.1, "email": "someone.else@example.jp"})),
        )
        .await;
    let b = app.browser();
    let callback = to_callback(&b, &provider).await;
    let (s, _) = b.get(callback.trim_start_matches(&b.base)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "signed in");
    let made = app
        .store
        .user_by_email(t.id, &EmailAddress::parse(&newcomer.1).expect("address"))
        .await
        .expect("q")
        .expect("an account was made");
    assert_eq!(made.person_id, Some(newcomer.0));
    assert!(made.roles.contains(Role::Employee));
    assert!(!app.store.has_password(t.id, made.id).await.expect("q"));
    // An address nobody in the master has still gets nothing.
    let b = app.browser();
    let (s, _, _) = sso_sign_in(&b, &provider, "stranger@elsewhere.example", "normal").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // SSO only: the break-glass admin alone keeps a password.
    configure(&app, &provider.issuer, |i| {
        i.sso_only = true;
        i.break_glass = "admin@demo.example.jp".into();
    })
    .await;
    let (_, login) = app.browser().get("/login").await;
    assert!(
        login.contains("data-testid=\"break-glass\""),
        "the password form is folded away"
    );
    let (s, body) = app.browser().login("employee@demo.example.jp", PW).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a right password signs in nobody else"
    );
    assert!(body.contains(app::i18n::Lang::Ja.catalog().get("login.sso_only")));
    let (s, _) = app.browser().login("admin@demo.example.jp", PW).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the break-glass admin");
    let reset = app::accounts::request_reset(
        &app.store,
        t.id,
        "employee@demo.example.jp",
        (None, None),
        chrono::Utc::now(),
    )
    .await
    .expect("q");
    assert!(
        reset.is_none(),
        "no reset link for a password that does not work"
    );
    let employee = app.caller("employee@demo.example.jp").await;
    let changed = app::accounts::change_password(
        &app.store,
        &employee,
        PW,
        "a new long password",
        "a new long password",
    )
    .await
    .expect("q");
    assert_eq!(changed, Err("sso_only"));
    // SSO still signs them in.
    let b = app.browser();
    let (s, _, _) = sso_sign_in(&b, &provider, "employee@demo.example.jp", "normal").await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // "SSO only" cannot be set without an admin to break the glass.
    let refused = app::sso::set(
        &app.store,
        &app::accounts::By::operator(t.id),
        &app::sso::SsoInput {
            issuer: provider.issuer.clone(),
            client_id: CLIENT_ID.into(),
            sso_only: true,
            break_glass: "employee@demo.example.jp".into(),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .expect("q");
    assert_eq!(refused, Err(vec![domain::sso::SettingsProblem::BreakGlass]));
    // Removing the provider: passwords work again.
    app::sso::remove(&app.store, &app::accounts::By::operator(t.id))
        .await
        .expect("q");
    let (s, _) = app.browser().login("employee@demo.example.jp", PW).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

async fn a_provider_that_is_down_gets_a_clear_page_and_the_password_form(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let closed = format!("http://127.0.0.1:{}", free_port());
    configure(&app, &closed, |_| {}).await;
    let b = app.browser();
    let (s, body) = b.get("/sso/start").await;
    assert_eq!(s, StatusCode::BAD_GATEWAY);
    assert!(says(&body, Refusal::ProviderDown), "{body}");
    assert!(body.contains("data-testid=\"password-form\""));
    let (s, _) = b.login("employee@demo.example.jp", PW).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the password still works");
    // The admin's settings page: bad input is named, nothing changes; the secret never
    // comes back on a page.
    let admin = app.signed_in("admin@demo.example.jp").await;
    let (s, page) = admin.get("/admin/sso").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("{}/sso/callback", app.base)),
        "the redirect URI to register"
    );
    assert!(!page.contains(CLIENT_SECRET));
    let csrf = admin.csrf("/admin/sso").await;
    let (s, page) = admin
        .post(
            "/admin/sso",
            &[
                ("_csrf", &csrf),
                ("issuer", "http://idp.example.jp"),
                ("client_id", ""),
                ("client_secret", ""),
                ("email_claim", "e mail"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for key in ["issuer_not_https", "client_id", "email_claim"] {
        let text = app::i18n::Lang::Ja
            .catalog()
            .get(&format!("sso.error.{key}"))
            .to_string();
        assert!(page.contains(&text), "{key}");
    }
    assert!(
        page.contains("http://idp.example.jp"),
        "what was typed stays"
    );
    let t = app.demo_tenant().await;
    let kept = app.store.sso_settings(t.id).await.expect("q").expect("set");
    assert_eq!(kept.issuer, closed, "nothing changed");
    // Someone who is not the admin cannot see or change it.
    let hr = app.signed_in("hr@demo.example.jp").await;
    let (s, _) = hr.get("/admin/sso").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn signs_in_through_the_provider_and_refuses_what_fails_a_check_sqlite() {
    signs_in_through_the_provider_and_refuses_what_fails_a_check(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn signs_in_through_the_provider_and_refuses_what_fails_a_check_postgres() {
    signs_in_through_the_provider_and_refuses_what_fails_a_check(TestDb::postgres().await).await;
}

#[tokio::test]
async fn makes_accounts_from_the_master_and_keeps_passwords_for_the_break_glass_admin_sqlite() {
    makes_accounts_from_the_master_and_keeps_passwords_for_the_break_glass_admin(
        TestDb::sqlite().await,
    )
    .await;
}

#[tokio::test]
async fn makes_accounts_from_the_master_and_keeps_passwords_for_the_break_glass_admin_postgres() {
    makes_accounts_from_the_master_and_keeps_passwords_for_the_break_glass_admin(
        TestDb::postgres().await,
    )
    .await;
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page_and_the_password_form_sqlite() {
    a_provider_that_is_down_gets_a_clear_page_and_the_password_form(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_clear_page_and_the_password_form_postgres() {
    a_provider_that_is_down_gets_a_clear_page_and_the_password_form(TestDb::postgres().await).await;
}
