//! Browser sessions live in the database (so several server processes can share them),
//! through tower-sessions' SQLx stores. This adapter picks the store for the engine in use.

use crate::Store;
use crate::db::Pool;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// A tower-sessions store over whichever engine the [`Store`] uses.
#[derive(Debug, Clone)]
pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionBackend {
    pub fn new(store: &Store) -> Self {
        match &store.pool {
            Pool::Sqlite(p) => SessionBackend::Sqlite(SqliteStore::new(p.clone())),
            Pool::Postgres(p) => SessionBackend::Postgres(PostgresStore::new(p.clone())),
        }
    }

    /// Creates the session table if needed (called by `migrations::run`).
    pub(crate) async fn migrate(&self) -> sqlx::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.migrate().await,
            SessionBackend::Postgres(s) => s.migrate().await,
        }
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.create(record).await,
            SessionBackend::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.save(record).await,
            SessionBackend::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SessionBackend::Sqlite(s) => s.load(id).await,
            SessionBackend::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.delete(id).await,
            SessionBackend::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite(s) => s.delete_expired().await,
            SessionBackend::Postgres(s) => s.delete_expired().await,
        }
    }
}

/// Removes expired sessions (run periodically by the server).
pub async fn delete_expired(store: &Store) -> session_store::Result<()> {
    SessionBackend::new(store).delete_expired().await
}
