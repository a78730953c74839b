//! What the audit log records (DOMAIN.md "Consent and confidentiality", DESIGN.md "Audit").
//! The log is append-only; these are its verbs.

use serde::{Deserialize, Serialize};

/// One kind of audited event. Stored by its `as_str()` name, which never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignInLocked,
    SignOut,
    UserCreated,
    UserDisabled,
    UserEnabled,
    RolesChanged,
    PasswordSet,
    TokenCreated,
    TokenRevoked,
    TenantCreated,
    SettingsChanged,
    /// Data left the product (CSV, XLSX, PDF).
    Export,
    /// Data came in (the employee master).
    Import,
    /// A confidential record was read by someone other than its author.
    ConfidentialRead,
    /// Consent to feedback was given, refused or withdrawn (同意).
    ConsentChanged,
    /// A note item's visibility changed.
    VisibilityChanged,
    /// A consultant was assigned to, or released from, a person.
    AssignmentChanged,
    /// A feedback report (面談所感) was sent to a manager.
    ReportSent,
    /// An admin cleared a sign-in throttle (サインインの一時制限の解除).
    ThrottleCleared,
    /// The tenant was recreated from a backup (`kyoritsu restore`).
    Restored,
    /// A pair for cross-department or mentor 1on1s was made, invited, answered, ended or
    /// its shared sections changed (ペア).
    PairChanged,
    /// HR cancelled a programme (its history is kept).
    ProgrammeCancelled,
}

impl AuditAction {
    pub const ALL: [AuditAction; 24] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignOut,
        AuditAction::UserCreated,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::RolesChanged,
        AuditAction::PasswordSet,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::TenantCreated,
        AuditAction::SettingsChanged,
        AuditAction::Export,
        AuditAction::Import,
        AuditAction::ConfidentialRead,
        AuditAction::ConsentChanged,
        AuditAction::VisibilityChanged,
        AuditAction::AssignmentChanged,
        AuditAction::ReportSent,
        AuditAction::ThrottleCleared,
        AuditAction::Restored,
        AuditAction::PairChanged,
        AuditAction::ProgrammeCancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::SignOut => "sign_out",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::RolesChanged => "roles_changed",
            AuditAction::PasswordSet => "password_set",
            AuditAction::TokenCreated => "token_created",
            AuditAction::TokenRevoked => "token_revoked",
            AuditAction::TenantCreated => "tenant_created",
            AuditAction::SettingsChanged => "settings_changed",
            AuditAction::Export => "export",
            AuditAction::Import => "import",
            AuditAction::ConfidentialRead => "confidential_read",
            AuditAction::ConsentChanged => "consent_changed",
            AuditAction::VisibilityChanged => "visibility_changed",
            AuditAction::AssignmentChanged => "assignment_changed",
            AuditAction::ReportSent => "report_sent",
            AuditAction::ThrottleCleared => "throttle_cleared",
            AuditAction::Restored => "restored",
            AuditAction::PairChanged => "pair_changed",
            AuditAction::ProgrammeCancelled => "programme_cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}
