//! The domain's error type: a value that does not satisfy a rule.
//! Each variant carries a stable `code()` so the web layer can localise it.

use thiserror::Error;

/// A value rejected at the edge. Messages are English for logs and the CLI; pages
/// translate `code()` instead.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("'{0}' is not a valid email address")]
    InvalidEmail(String),
    #[error("'{0}' is not a role; use one of employee, consultant, instructor, mentor, hr, admin")]
    UnknownRole(String),
    #[error(
        "the manager role is not assigned: it follows from the reporting line (a person with reports is their manager)"
    )]
    ManagerRoleIsDerived,
    #[error("'{0}' is not a valid employee number (1–32 letters, digits, '-' or '_')")]
    InvalidEmployeeNumber(String),
    #[error(
        "'{0}' is not a valid tenant code (2–40 lowercase letters, digits or '-', starting with a letter)"
    )]
    InvalidTenantSlug(String),
    #[error("the fiscal year must start in a month between 1 and 12, not {0}")]
    InvalidFiscalYearStartMonth(u32),
    #[error("the anonymity threshold k must be at least 3, not {0}")]
    AnonymityThresholdTooLow(u32),
}

impl DomainError {
    /// A stable identifier for translation files (`error.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidEmail(_) => "invalid_email",
            Self::UnknownRole(_) => "unknown_role",
            Self::ManagerRoleIsDerived => "manager_role_is_derived",
            Self::InvalidEmployeeNumber(_) => "invalid_employee_number",
            Self::InvalidTenantSlug(_) => "invalid_tenant_slug",
            Self::InvalidFiscalYearStartMonth(_) => "invalid_fy_start_month",
            Self::AnonymityThresholdTooLow(_) => "anonymity_k_too_low",
        }
    }
}
