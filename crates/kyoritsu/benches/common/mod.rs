//! What the HTTP benches share: settings from the environment, percentiles, and the
//! real router served on a free port.

use std::net::SocketAddr;
use std::time::Duration;
use store::Store;

pub fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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
