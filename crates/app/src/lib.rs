//! Kyoritsu's use cases, shared by the pages, the JSON API and the command line: plain
//! async functions over the store, the acting user and the clock, returning domain
//! types. No HTTP here (no axum, askama or tower): `scripts/test` checks it.
//!
//! The layers read `domain ← store ← app ← web ← kyoritsu`. A use case that reads
//! something confidential decides what the caller sees by asking `domain::policy`, and
//! writes the audit entry the policy asks for; pages, API and CLI only present it.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod anchors;
pub mod assignments;
pub mod behaviour;
pub mod commitment_text;
pub mod commitments;
pub mod company_policy;
pub mod concerns;
pub mod consent;
pub mod consultants;
pub mod consultations;
pub mod cross_pairs;
pub mod dialogues;
pub mod directory;
pub mod fa;
pub mod i18n;
pub mod kpi;
pub mod language;
pub mod learning;
pub mod opportunities;
pub mod org_report;
pub mod pairs;
pub mod postings;
pub mod programmes;
pub mod report_store;
pub mod reports;
pub mod requests;
pub mod role_models;
pub mod scim;
pub mod side_jobs;
pub mod sso;
pub mod surveys;
pub mod training_feedback;

use domain::policy::Actor;
use domain::{Role, RoleSet};
use store::audit::NewAuditEntry;
use store::users::User;
use store::{Store, StoreError};

/// Who is calling, as the audit log records them: the policy's actor, the account's
/// e-mail, and where the request came from (none for the command line).
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub email: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl Caller {
    /// Appends an event about one target (`(kind, id)`) with its detail
    /// (`domain::audit::detail`) to the audit log as done by this caller.
    pub async fn record(
        &self,
        store: &Store,
        action: domain::audit::AuditAction,
        (kind, id): (&str, i64),
        detail: String,
    ) -> Result<(), StoreError> {
        self.audit(
            store,
            NewAuditEntry::new(Some(self.actor.tenant_id), action)
                .target(kind, id)
                .detail(detail),
        )
        .await
    }

    /// Appends `entry` to the audit log as done by this caller.
    pub async fn audit(&self, store: &Store, entry: NewAuditEntry) -> Result<(), StoreError> {
        store
            .append_audit(
                entry
                    .actor(Some(self.actor.user_id), &self.email)
                    .origin(self.ip.clone(), self.request_id.clone()),
            )
            .await
    }
}

/// Builds the policy's view of a user: stored roles, plus manager when they have reports
/// now.
pub async fn actor_for(store: &Store, user: &User) -> Result<Actor, StoreError> {
    let mut roles: Vec<Role> = user.roles.iter().collect();
    if let Some(p) = user.person_id
        && store.has_reports(user.tenant_id, p).await?
    {
        roles.push(Role::Manager);
    }
    Ok(Actor {
        user_id: user.id,
        tenant_id: user.tenant_id,
        person_id: user.person_id,
        roles: RoleSet::new(roles),
    })
}

/// Why a use case did not answer. Transports map these to their own errors (a 404 page,
/// a JSON error body, a message on the command line).
#[derive(Debug)]
pub enum Error {
    /// Nothing of this kind with this id in the caller's tenant.
    NotFound(&'static str),
    /// It exists, but the policy does not let the caller know of it.
    Forbidden,
    Store(StoreError),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotFound(what) => write!(f, "no such {what}"),
            Error::Forbidden => f.write_str("forbidden"),
            Error::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}
