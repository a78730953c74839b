//! Notices in chat: a person's own Slack or Teams webhook, for the services the admin
//! allows, receives what waits and a link — checked against a real HTTP receiver started
//! here; a failing webhook is retried and shown on the outbox, and never holds up the act.

use super::*;
use std::sync::{Arc, Mutex};

/// What the receiver got: (path, JSON body).
type Posts = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A local webhook receiver: `/slack` and `/teams` answer 200, `/broken` 500; every
/// request's path and JSON body is kept.
struct Receiver {
    host: String,
    got: Posts,
}

impl Receiver {
    async fn start() -> Receiver {
        use axum::extract::{Path, State};
        use axum::http::StatusCode as S;
        let got: Posts = Arc::default();
        let app = axum::Router::new()
            .route(
                "/{hook}",
                axum::routing::post(
                    |State(got): State<Posts>,
                     Path(hook): Path<String>,
                     body: axum::Json<serde_json::Value>| async move {
                        got.lock().expect("lock").push((hook.clone(), body.0));
                        if hook == "broken" {
                            S::INTERNAL_SERVER_ERROR
                        } else {
                            S::OK
                        }
                    },
                ),
            )
            .with_state(got.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let host = listener.local_addr().expect("addr").to_string();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { host, got }
    }

    fn posts(&self, hook: &str) -> Vec<serde_json::Value> {
        self.got
            .lock()
            .expect("lock")
            .iter()
            .filter(|(h, _)| h == hook)
            .map(|(_, b)| b.clone())
            .collect()
    }
}

async fn connect(b: &Browser, service: &str, url: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/account").await;
    b.post(
        "/account/chat",
        &[("_csrf", &csrf), ("service", service), ("url", url)],
    )
    .await
}

async fn a_notice_reaches_the_persons_own_chat(db: TestDb) {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(
        db,
        web::WebConfig {
            secure_cookies: false,
            webhook_hosts: vec![receiver.host.clone()],
            ..Default::default()
        },
    )
    .await;
    let t = app.demo_tenant().await;
    let notice = |to: &'static str, n: u32| {
        web::shared::email::send_notice(
            &app.state,
            t.id,
            format!("email.request-chat-{n}"),
            to.to_string(),
            "email.request",
            &[("from", &"社員")],
            "/requests",
        )
    };
    let manager = app.signed_in("manager@demo.example.jp").await;
    // The demo allows both services; with none allowed there is no form, and a post is
    // refused.
    let admin = app.signed_in("admin@demo.example.jp").await;
    let csrf = admin.csrf("/admin").await;
    admin.post("/admin/chat", &[("_csrf", &csrf)]).await;
    assert!(app.store.chat_services(t.id).await.expect("q").is_empty());
    let (_, page) = manager.get("/account").await;
    assert!(!page.contains("data-testid=\"chat-form\""));
    let slack = format!("http://{}/slack", receiver.host);
    let (s, _) = connect(&manager, "slack", &slack).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Only the admin allows services.
    for who in ["hr@demo.example.jp", "manager@demo.example.jp"] {
        let b = app.signed_in(who).await;
        let csrf = b.csrf("/account").await;
        let (s, _) = b
            .post("/admin/chat", &[("_csrf", &csrf), ("service", "slack")])
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    admin
        .post(
            "/admin/chat",
            &[("_csrf", &csrf), ("service", "slack"), ("service", "teams")],
        )
        .await;
    // A host that is not the service's, or plain HTTP to it: said, kept, nothing saved.
    for (url, said) in [
        (
            "https://evil.example/services/x",
            "選んだサービスのWebhookのURLではありません",
        ),
        (
            "http://hooks.slack.com/services/x",
            "https:// から始まるURLにしてください",
        ),
        (
            "https://169.254.169.254/latest/meta-data",
            "選んだサービスのWebhookのURLではありません",
        ),
    ] {
        let (s, page) = connect(&manager, "slack", url).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(page.contains(said), "{url}");
        assert!(page.contains(&format!("value=\"{url}\"")), "kept as typed");
    }
    assert!(app.user("manager@demo.example.jp").await.chat.is_none());
    let (s, _) = connect(&manager, "slack", &slack).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, page) = manager.get("/account").await;
    assert!(page.contains("data-testid=\"chat-connected\""));
    assert!(!page.contains(&slack), "the address is shown masked");
    // A notice: the e-mail as always, and the line and link in the manager's Slack.
    notice("manager@demo.example.jp", 1).await.expect("queued");
    let report = app.worker(None).tick().await.expect("tick");
    assert_eq!(report.chat_sent, 1);
    let posts = receiver.posts("slack");
    assert_eq!(posts.len(), 1);
    let text = posts[0]["text"].as_str().expect("text");
    assert!(text.contains("1on1・面談の依頼が届いています"), "{text}");
    assert!(text.contains("/requests|"), "the link: {text}");
    // Teams for the employee, in English alone: an Adaptive Card.
    let employee = app.signed_in("employee@demo.example.jp").await;
    let csrf = employee.csrf("/account").await;
    employee
        .post(
            "/account/preferences",
            &[("_csrf", &csrf), ("language", "en"), ("notify", "both")],
        )
        .await;
    let teams = format!("http://{}/teams", receiver.host);
    let (s, _) = connect(&employee, "teams", &teams).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    notice("employee@demo.example.jp", 2).await.expect("queued");
    app.worker(None).tick().await.expect("tick");
    let card = &receiver.posts("teams")[0]["attachments"][0]["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    let line = card["body"][0]["text"].as_str().expect("line");
    assert!(!line.contains("依頼"), "English alone: {line}");
    assert_eq!(card["actions"][0]["title"], "Open in Kyoritsu");
    // A webhook that fails: the act is done, the post waits to be tried again, and the
    // admin sees it on the outbox with the address masked.
    let consultant = app.signed_in("consultant@demo.example.jp").await;
    let broken = format!("http://{}/broken", receiver.host);
    connect(&consultant, "slack", &broken).await;
    notice("consultant@demo.example.jp", 3)
        .await
        .expect("queued");
    let report = app.worker(None).tick().await.expect("tick");
    assert_eq!((report.chat_sent, report.chat_retrying), (0, 1));
    assert_eq!(receiver.posts("broken").len(), 1, "tried once");
    let (_, outbox) = admin.get("/admin/outbox").await;
    assert!(outbox.contains("data-testid=\"outbox-chat-row\""));
    assert!(outbox.contains("500"), "the last error");
    assert!(!outbox.contains(&broken), "masked");
    // The admin takes Slack off: a Slack connection receives nothing more.
    let csrf = admin.csrf("/admin").await;
    admin
        .post("/admin/chat", &[("_csrf", &csrf), ("service", "teams")])
        .await;
    notice("manager@demo.example.jp", 4).await.expect("queued");
    app.worker(None).tick().await.expect("tick");
    assert_eq!(receiver.posts("slack").len(), 1, "nothing more to Slack");
    // The test message, and disconnecting.
    let csrf = employee.csrf("/account").await;
    let (s, _) = employee
        .post("/account/chat/test", &[("_csrf", &csrf)])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    app.worker(None).tick().await.expect("tick");
    assert_eq!(receiver.posts("teams").len(), 2, "the test message");
    let (s, _) = connect(&employee, "", "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(app.user("employee@demo.example.jp").await.chat.is_none());
    // Audited without the address.
    let (_, audit) = admin.get("/admin/audit?action=preferences_changed").await;
    assert!(audit.contains("自分のチャットへの通知：teams"));
    assert!(!audit.contains(&teams));
    let _ = t;
}

#[tokio::test]
async fn a_notice_reaches_the_persons_own_chat_sqlite() {
    a_notice_reaches_the_persons_own_chat(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn a_notice_reaches_the_persons_own_chat_postgres() {
    a_notice_reaches_the_persons_own_chat(TestDb::postgres().await).await;
}
