//! Test databases on both engines. Every storage test runs twice through [`db_test!`]:
//! once on a fresh SQLite file, once on a fresh PostgreSQL database.
//!
//! PostgreSQL is reached at `KYORITSU_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a test fails loudly if it cannot be.

use crate::Store;
use rand::RngCore;
use sqlx::Connection;
use std::path::PathBuf;

/// A fresh, migrated database for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    dir: Option<PathBuf>,
}

fn suffix() -> String {
    let mut b = [0u8; 6];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The admin URL of the test PostgreSQL server.
pub fn pg_admin_url() -> String {
    std::env::var("KYORITSU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The note key every test store seals with (fixed, so a test may open a second store
/// on the same database with the same key).
pub const TEST_NOTE_KEY: &str = "a3lvcml0c3UtdGVzdC1ub3RlLWtleS0zMi1ieXRlcyE=";

fn test_keys() -> crate::crypto::NoteKeys {
    crate::crypto::NoteKeys::parse(TEST_NOTE_KEY, &[]).expect("the test note key")
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("kyoritsu-test-{}", suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let url = format!("sqlite://{}", dir.join("test.db").display());
        let store = Store::open_migrated(&url)
            .await
            .expect("open and migrate sqlite")
            .with_note_keys(test_keys());
        TestDb {
            store,
            url,
            dir: Some(dir),
        }
    }

    pub async fn postgres() -> TestDb {
        let admin = pg_admin_url();
        let name = format!("kyoritsu_t_{}", suffix());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is required for tests at {admin}: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(admin.clone());
        let url = format!("{base}/{name}");
        let store = Store::open_migrated(&url)
            .await
            .expect("open and migrate postgres")
            .with_note_keys(test_keys());
        TestDb {
            store,
            url,
            dir: None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // PostgreSQL test databases are dropped by scripts/test before each run
        // (they are named kyoritsu_t_*); SQLite files go with their folder.
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs a storage test on both engines: `db_test!(name, |db| async { … })`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $db = $crate::testing::TestDb::sqlite().await;
                $body.await;
            }

            #[tokio::test]
            async fn postgres() {
                let $db = $crate::testing::TestDb::postgres().await;
                $body.await;
            }
        }
    };
}
