//! What the HTTP benches share: settings from the environment, percentiles, and the
//! real router served on a free port.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use std::time::Instant;
use store::Store;

pub fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The form token (`_csrf`) of a page.
#[allow(dead_code)]
pub fn csrf_token(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf token")
        .to_string()
}

/// A client signed in as `email` (the demo password), keeping its cookies and leaving
/// redirects unfollowed so each answer is the request's own.
#[allow(dead_code)]
pub async fn signed_in(base: &str, email: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    let login = page(&http, &format!("{base}/login")).await;
    let r = http
        .post(format!("{base}/login"))
        .form(&[
            ("_csrf", csrf_token(&login).as_str()),
            ("email", email),
            ("password", kyoritsu::demo::DEMO_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER, "sign-in failed");
    http
}

/// The body of the page at `url`.
pub async fn page(http: &reqwest::Client, url: &str) -> String {
    http.get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .text()
        .await
        .expect("body")
}

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub async fn serve(store: Store) -> String {
    let state = web::AppState::new(
        store,
        web::WebConfig {
            secure_cookies: false,
            ..Default::default()
        },
    );
    let app = web::router(state);
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
    format!("http://{addr}")
}

/// Sends GET `url` from `clients` concurrent clients in a closed loop (each sends its
/// next request when the last one is answered), `total` requests in all, with a bearer
/// token if given; the latencies, sorted. Not every bench measures reads.
#[allow(dead_code)]
pub async fn measure(
    http: &reqwest::Client,
    token: Option<&str>,
    url: &str,
    clients: usize,
    total: usize,
) -> Vec<Duration> {
    let url = Arc::new(url.to_string());
    let token = token.map(|t| Arc::new(t.to_string()));
    let per_client = total.div_ceil(clients);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let t = Instant::now();
                let mut req = http.get(url.as_str());
                if let Some(token) = &token {
                    req = req.bearer_auth(token.as_str());
                }
                let r = req.send().await.expect("request");
                assert!(r.status().is_success(), "{url}: {}", r.status());
                let _ = r.bytes().await.expect("body");
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client task"));
    }
    all.sort();
    all
}
