//! Kyoritsu's rules as pure code: the vocabulary of DOMAIN.md (roles, identifiers,
//! fiscal years and ages) and the one policy module that decides who may see what.
//!
//! Nothing here performs I/O. Callers parse input into these types at the edge
//! (`EmailAddress::parse`, `Role::parse`, …) and ask [`policy`] before touching data.
//! Errors: [`DomainError`] for invalid values.

#![forbid(unsafe_code)]

pub mod account;
pub mod anchor;
pub mod anonymity;
pub mod audit;
pub mod autonomy;
pub mod behaviour;
pub mod calendar;
pub mod career_sheet;
pub mod chat;
pub mod commitment;
pub mod company_policy;
pub mod concern;
pub mod consultant;
pub mod dialogue;
pub mod error;
pub mod fa;
pub mod feedback;
pub mod ids;
pub mod import;
pub mod japan_time;
pub mod kpi;
pub mod learning;
pub mod matching;
pub mod mechanism;
pub mod morpheme;
pub mod pairing;
pub mod policy;
pub mod posting;
pub mod programme;
pub mod question_bank;
pub mod rating;
pub mod request;
pub mod role;
pub mod role_model;
pub mod scim;
pub mod side_job;
pub mod sso;
pub mod survey;
pub mod throttle;
pub mod training;
pub mod training_feedback;
pub mod values;

pub use error::DomainError;
pub use ids::{PersonId, TenantId, UserId};
pub use import::employees::PersonStatus;
pub use role::{Role, RoleSet};
pub use values::{EmailAddress, EmployeeNumber, TenantSlug};
