//! Storage for Kyoritsu over SQLite and PostgreSQL, through one code path.
//!
//! Queries are built with sea-query and executed with sqlx; [`db`] is the only place
//! that knows which engine is underneath. Every tenant-owned query takes the tenant id
//! and filters by it here, never in handlers. Migrations run at start ([`migrations`]).
//!
//! Errors: [`StoreError`]. Unique-constraint violations arrive as
//! [`StoreError::Conflict`] so callers can show a form error instead of a 500.

#![forbid(unsafe_code)]

pub mod anchors;
pub mod audit;
pub mod autonomy;
pub mod backup;
pub mod behaviour;
pub mod career_sheets;
pub mod commitments;
pub mod company_policy;
pub mod concerns;
pub mod consultants;
pub mod consultations;
pub mod crypto;
mod db;
pub mod dialogues;
pub mod directory;
pub mod fa;
pub mod feedback;
pub mod history;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod kpi;
pub mod learning;
pub mod migrations;
pub mod notifications;
pub mod org_reports;
pub mod pairs;
pub mod people;
pub mod postings;
pub mod programmes;
pub mod questions;
pub mod requests;
pub mod role_models;
mod schema;
pub mod scim;
pub mod sessions;
pub mod side_jobs;
pub mod sso;
pub mod surveys;
pub mod tenants;
pub mod testing;
pub mod throttles;
pub mod tokens;
pub mod training_feedback;
pub mod users;

pub use db::{Engine, Store, Tx, redact_url as db_url_for_display};
pub use domain::{PersonId, TenantId, UserId};

use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot connect to the database ({target}): {reason}")]
    Connect { target: String, reason: String },
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names it (e.g. `users.email`).
    #[error("already exists: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Invalid(#[from] domain::DomainError),
    #[error("database error: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration {version} ({name}) failed: {reason}")]
    Migration {
        version: i64,
        name: &'static str,
        reason: String,
    },
    /// Loaded data contradicts itself (dangling reference, cycle).
    #[error("inconsistent data: {0}")]
    Integrity(String),
    /// A backup could not be written or restored; nothing was written.
    #[error("{0}")]
    Backup(String),
    #[error("password hashing failed")]
    PasswordHash,
    /// A confidential text must be written but no note key is configured.
    #[error(
        "no note encryption key is configured: set note_key (KYORITSU_NOTE_KEY); `kyoritsu notes new-key` prints one"
    )]
    NoNoteKey,
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Conflict(unique_constraint_name(db.message()));
        }
        if matches!(e, sqlx::Error::RowNotFound) {
            return StoreError::NotFound;
        }
        StoreError::Db(e)
    }
}

/// Maps an engine's unique-violation message onto the rule it broke.
/// The first instant (UTC) of a day in Japan, where the product's days and fiscal years
/// are counted.
pub(crate) fn jst_day_start(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    domain::japan_time::start_of_japan_day(d)
}

fn unique_constraint_name(msg: &str) -> &'static str {
    const KNOWN: [(&str, &str); 6] = [
        ("users_tenant_email", "users.email"),
        ("users.tenant_id, users.email", "users.email"),
        ("tenants_slug", "tenants.slug"),
        ("tenants.slug", "tenants.slug"),
        ("people_tenant_number", "people.employee_number"),
        (
            "people.tenant_id, people.employee_number",
            "people.employee_number",
        ),
    ];
    KNOWN
        .iter()
        .find(|(k, _)| msg.contains(k))
        .map(|(_, v)| *v)
        .unwrap_or("unique")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
