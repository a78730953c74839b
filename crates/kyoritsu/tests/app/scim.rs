//! SCIM 2.0 provisioning at /scim/v2: PyPI `scim2-tester` runs every check it has
//! against the running server (all must pass), then the way Entra ID keeps accounts in
//! step — find by userName, create, PATCH `active: false` (sessions end at once), groups
//! named after a role — and what is refused in the SCIM error shape with nothing
//! changed, and what another company's token cannot reach.

use super::*;
use serde_json::{Value, json};

const SCIM_JSON: &str = "application/scim+json";

async fn token(app: &TestApp, tenant: domain::TenantId) -> String {
    app::scim::make_token(
        &app.store,
        &app::accounts::By::operator(tenant),
        chrono::Utc::now(),
    )
    .await
    .expect("token")
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    fn new(app: &TestApp, token: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: format!("{}/scim/v2", app.base),
            token: token.into(),
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.header("content-type", SCIM_JSON).body(b.to_string());
        }
        let r = r.send().await.expect("request");
        let status = r.status();
        if status != StatusCode::NO_CONTENT {
            assert_eq!(
                r.headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok()),
                Some(SCIM_JSON),
                "{path}"
            );
        }
        let text = r.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, ops: Value) -> (StatusCode, Value) {
        let body = json!({"schemas": [domain::scim::PATCH_OP], "Operations": ops});
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
}

fn scim_error(v: &Value, status: &str, scim_type: Option<&str>) -> bool {
    v["schemas"][0] == domain::scim::ERROR
        && v["status"] == status
        && scim_type.is_none_or(|t| v["scimType"] == t)
}

async fn scim2_tester_passes_every_check(db: TestDb) {
    // A company of its own: the tester's lists look for what it made on their first page.
    let app = TestApp::serve(db).await;
    let t = app
        .store
        .create_tenant(&TenantSlug::parse("acme").expect("slug"), "Acme")
        .await
        .expect("tenant");
    let secret = token(&app, t.id).await;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/scim_check.py");
    let base = format!("{}/scim/v2", app.base);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .arg(&base)
            .arg(&secret)
            .output()
    })
    .await
    .expect("join")
    .expect("python3 with scim2-tester (scripts/test installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results: Vec<Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let failed: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] != "SUCCESS")
        .collect();
    assert!(
        results.len() >= 70,
        "scim2-tester ran {} checks: {}",
        results.len(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(failed.is_empty(), "checks that did not pass: {failed:#?}");
    assert!(out.status.success());
    for tag in [
        "object_creation",
        "object_replacement",
        "object_deletion",
        "check_add_attribute",
        "check_remove_attribute",
        "check_replace_attribute",
        "random_url",
    ] {
        assert!(
            results.iter().any(|r| r["title"] == tag),
            "the check {tag} ran"
        );
    }
}

async fn keeps_accounts_in_step_as_entra_does(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let t = app.demo_tenant().await;
    let c = Client::new(&app, &token(&app, t.id).await);

    // Only the admin sees or makes the token on the settings page.
    let (s, _) = app
        .signed_in("hr@demo.example.jp")
        .await
        .get("/admin/scim")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.signed_in("admin@demo.example.jp").await;
    let (s, page) = admin.get("/admin/scim").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("{}/scim/v2", app.base)));
    assert!(
        !page.contains("data-testid=\"scim-token\""),
        "a token is shown only when made"
    );

    // Without the token, or with a wrong one: 401 in the SCIM shape.
    let anon = Client::new(&app, "scim_wrong");
    let (s, body) = anon.get("/Users").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(scim_error(&body, "401", None));

    // Find an existing account by userName (any case).
    let (s, found) = c
        .get("/Users?filter=userName%20eq%20%22Employee@Demo.Example.JP%22")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(found["totalResults"], 1);
    let employee_id = found["Resources"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        found["Resources"][0]["userName"],
        "employee@demo.example.jp"
    );

    // A new person of the master: created, linked by employee number, an employee.
    let newcomer = app
        .store
        .people_without_account(t.id, None)
        .await
        .expect("q")
        .into_iter()
        .find(|p| p.email.is_some())
        .expect("someone without an account");
    let address = newcomer.email.clone().expect("address");
    let (s, made) = c
        .post(
            "/Users",
            json!({
                "schemas": [domain::scim::USER, domain::scim::ENTERPRISE],
                "userName": address,
                "externalId": "entra-42",
                "name": {"familyName": "新井", "givenName": "涼"},
                "emails": [{"value": address, "type": "work", "primary": true}],
                "active": true,
                domain::scim::ENTERPRISE: {"employeeNumber": newcomer.employee_number},
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let new_id = made["id"].as_str().expect("id").to_string();
    let user = app.user(&address).await;
    assert_eq!(user.person_id, Some(newcomer.person));
    assert!(user.roles.contains(Role::Employee));
    assert_eq!(user.name, "新井 涼");
    // The same address again: 409 uniqueness.
    let (s, body) = c.post("/Users", json!({"userName": address})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(scim_error(&body, "409", Some("uniqueness")));

    // A group named 人事 gives its members HR; leaving it takes HR away.
    let (s, group) = c
        .post(
            "/Groups",
            json!({"schemas": [domain::scim::GROUP], "displayName": "人事", "members": [{"value": new_id}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{group}");
    let group_id = group["id"].as_str().expect("id").to_string();
    assert!(app.user(&address).await.roles.contains(Role::Hr));
    let (s, _) = c
        .patch(
            &format!("/Groups/{group_id}"),
            json!([{"op": "remove", "path": format!("members[value eq \"{new_id}\"]")}]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let roles = app.user(&address).await.roles;
    assert!(
        !roles.contains(Role::Hr) && roles.contains(Role::Employee),
        "{roles:?}"
    );

    // Deactivating signs them out at once, as a leaver.
    let b = app.signed_in("employee@demo.example.jp").await;
    let (s, body) = c
        .patch(
            &format!("/Users/{employee_id}"),
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);
    let (s, _) = b.get_with_location("/account").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the session ended");
    let (s, _) = app.browser().login("employee@demo.example.jp", PW).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "disabled");
    let (_, audit) = app
        .signed_in("admin@demo.example.jp")
        .await
        .get("/admin/audit?action=user_disabled")
        .await;
    assert!(audit.contains("SCIM"), "audited as provisioning");

    // An unknown attribute, a filter not supported, a bad PATCH: the SCIM error shape,
    // nothing changed.
    let before = app.user(&address).await;
    let (s, body) = c
        .send(
            reqwest::Method::PUT,
            &format!("/Users/{new_id}"),
            Some(json!({"userName": address, "title": "部長"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        scim_error(&body, "400", Some("invalidValue"))
            && body["detail"].as_str().is_some_and(|d| d.contains("title"))
    );
    let (s, body) = c.get("/Users?filter=title%20eq%20%22x%22").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(scim_error(&body, "400", Some("invalidFilter")));
    let (s, body) = c.get("/Users?filter=userName%20co%20%22a%22").await;
    assert!(s == StatusCode::BAD_REQUEST && scim_error(&body, "400", Some("invalidFilter")));
    let (s, body) = c
        .patch(
            &format!("/Users/{new_id}"),
            json!([{"op": "replace", "path": "displayName", "value": "x"}, {"op": "add", "path": "nickName", "value": "y"}]),
        )
        .await;
    assert!(
        s == StatusCode::BAD_REQUEST && scim_error(&body, "400", None),
        "{body}"
    );
    let (s, body) = c
        .post("/Users", json!({"userName": "not-an-address"}))
        .await;
    assert!(s == StatusCode::BAD_REQUEST && scim_error(&body, "400", Some("invalidValue")));
    let (s, body) = c
        .send(
            reqwest::Method::POST,
            "/Users",
            Some(Value::String("{".into())),
        )
        .await;
    assert!(
        s == StatusCode::BAD_REQUEST && scim_error(&body, "400", Some("invalidSyntax")),
        "{body}"
    );
    let (s, body) = c
        .post(
            "/Groups",
            json!({"displayName": "g", "members": [{"value": "999999"}]}),
        )
        .await;
    assert!(s == StatusCode::BAD_REQUEST && scim_error(&body, "400", Some("invalidValue")));
    assert_eq!(app.user(&address).await, before, "nothing changed");

    // Deleting keeps the account, disabled and no longer listed; a new POST brings it back.
    let (s, _) = c
        .send(reqwest::Method::DELETE, &format!("/Users/{new_id}"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = c.get(&format!("/Users/{new_id}")).await;
    assert!(s == StatusCode::NOT_FOUND && scim_error(&body, "404", None));
    assert!(app.user(&address).await.disabled);
    let (s, back) = c
        .post("/Users", json!({"userName": address, "active": true}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        back["id"].as_str(),
        Some(new_id.as_str()),
        "the same account"
    );
    assert!(!app.user(&address).await.disabled);

    // Another company's token reaches nothing of this one.
    let other = app
        .store
        .create_tenant(&TenantSlug::parse("other").expect("slug"), "Other")
        .await
        .expect("tenant");
    let stranger = Client::new(&app, &token(&app, other.id).await);
    let (_, list) = stranger.get("/Users").await;
    assert_eq!(list["totalResults"], 0);
    for path in [format!("/Users/{new_id}"), format!("/Groups/{group_id}")] {
        let (s, _) = stranger.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let (s, _) = stranger
        .patch(
            &format!("/Users/{new_id}"),
            json!([{"op": "replace", "path": "active", "value": false}]),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!app.user(&address).await.disabled);
    // A revoked token stops at once.
    app::scim::revoke_token(&app.store, &app::accounts::By::operator(t.id))
        .await
        .expect("revoke");
    let (s, _) = c.get("/Users").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn scim2_tester_passes_every_check_sqlite() {
    scim2_tester_passes_every_check(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn scim2_tester_passes_every_check_postgres() {
    scim2_tester_passes_every_check(TestDb::postgres().await).await;
}

#[tokio::test]
async fn keeps_accounts_in_step_as_entra_does_sqlite() {
    keeps_accounts_in_step_as_entra_does(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn keeps_accounts_in_step_as_entra_does_postgres() {
    keeps_accounts_in_step_as_entra_does(TestDb::postgres().await).await;
}
