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
    /// A consultant wrote their profile (プロフィール).
    ConsultantProfileChanged,
    /// An invitation link was sent to set a password (招待).
    Invited,
    /// HR opened a survey (アンケート).
    SurveyOpened,
    /// HR closed a survey; its report opened.
    SurveyClosed,
    /// HR sent a reminder to those who have not answered.
    SurveyReminded,
    /// HR changed the company's questionnaire of a kind of survey.
    SurveyQuestionsChanged,
    /// An internal posting was published, edited or taken down (社内公募).
    PostingChanged,
    /// An application to a posting was made, moved a stage or withdrawn (応募).
    ApplicationChanged,
    /// An FA declaration was made or withdrawn, or an interview asked for or answered
    /// (社内FA).
    DeclarationChanged,
    /// A side-job application was made, decided, withdrawn or reported on (副業・兼業).
    SideJobChanged,
    /// A course was added, edited or retired, a completion or a note on using it was
    /// recorded, or a certification subsidy was claimed, decided or paid (学ぶ).
    LearningChanged,
    /// Someone asked for a password-reset link from the sign-in page (パスワードの再設定).
    PasswordResetRequested,
    /// A user changed their own language or where their notices go (個人設定).
    PreferencesChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 37] = [
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
        AuditAction::ConsultantProfileChanged,
        AuditAction::Invited,
        AuditAction::SurveyOpened,
        AuditAction::SurveyClosed,
        AuditAction::SurveyReminded,
        AuditAction::SurveyQuestionsChanged,
        AuditAction::PostingChanged,
        AuditAction::ApplicationChanged,
        AuditAction::DeclarationChanged,
        AuditAction::SideJobChanged,
        AuditAction::LearningChanged,
        AuditAction::PasswordResetRequested,
        AuditAction::PreferencesChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::SignOut => "sign_out",
            AuditAction::PasswordResetRequested => "password_reset_requested",
            AuditAction::PreferencesChanged => "preferences_changed",
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
            AuditAction::ConsultantProfileChanged => "consultant_profile_changed",
            AuditAction::Invited => "invited",
            AuditAction::SurveyOpened => "survey_opened",
            AuditAction::SurveyClosed => "survey_closed",
            AuditAction::SurveyReminded => "survey_reminded",
            AuditAction::SurveyQuestionsChanged => "survey_questions_changed",
            AuditAction::PostingChanged => "posting_changed",
            AuditAction::ApplicationChanged => "application_changed",
            AuditAction::DeclarationChanged => "declaration_changed",
            AuditAction::SideJobChanged => "side_job_changed",
            AuditAction::LearningChanged => "learning_changed",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The details an audit entry carries beside its sentence, as patterns with `{name}`
/// slots, by key. Writers fill one with [`detail`]; the log reads it back with
/// [`read_detail`] and says it in the reader's language (`audit_detail.{key}`). What is
/// stored is the filled pattern, so entries written before read the same. Slots named
/// `n`, `id`, `rows`, `added`, `updated`, `left`, `count` or `ids` hold numbers only, and
/// `event`, `via` and `kind` one word. A
/// detail never holds what was said in a dialogue (DOMAIN.md: Audit).
pub const DETAILS: &[(&str, &str)] = &[
    ("notes_read", "notes of dialogues {ids} ({via})"),
    ("sheet_read", "career_sheet (dialogue {id})"),
    ("notes", "notes"),
    ("notes_api", "notes (api)"),
    ("topics", "topics"),
    (
        "consent_subject_retracted",
        "{event} by the employee; the sent report was retracted",
    ),
    (
        "consent_recorded_retracted",
        "{event} recorded by the facilitator, to be confirmed by the employee; the sent report was retracted",
    ),
    ("consent_subject", "{event} by the employee"),
    (
        "consent_recorded",
        "{event} recorded by the facilitator, to be confirmed by the employee",
    ),
    ("pair_made", "paired ({kind})"),
    ("pair_invited", "invited ({kind})"),
    ("pair_sections", "sections shared: {sections}"),
    ("pair_active", "active"),
    ("pair_declined", "declined"),
    ("pair_ended", "ended"),
    ("assigned_bulk", "assigned {email} (bulk)"),
    ("assigned", "assigned {email}"),
    ("released", "released user {id}"),
    ("report_to", "to person {id}"),
    ("records_csv", "my records (csv)"),
    ("records_pdf", "my records (pdf)"),
    ("report_pdf", "report (pdf)"),
    ("report_api", "report (api)"),
    ("audit_csv", "{count} rows; filter: {filter}"),
    ("people_export", "{n} people"),
    ("programme_cancelled", "{name} ({n} participants)"),
    (
        "import",
        "{file}: {rows} rows, {added} added, {updated} updated, {left} marked as leavers",
    ),
    ("sign_in_wait", "wait {n} s"),
    ("sign_in_throttled", "throttled"),
    (
        "sso_set_only",
        "single sign-on only, through {issuer}; break-glass admin {email}",
    ),
    ("sso_set", "single sign-on through {issuer}"),
    ("sso_removed", "single sign-on removed"),
    ("sso_created", "account made at the first single sign-on"),
    ("sign_in_sso", "through single sign-on"),
    ("sso_refused", "single sign-on refused: {why}"),
    ("password_off", "password refused: single sign-on only"),
    (
        "scim_deleted",
        "deleted through SCIM provisioning (kept, disabled)",
    ),
    ("scim_group_deleted", "SCIM group {name} deleted"),
    ("scim_group", "SCIM group {name} ({n} members)"),
    ("scim_token", "SCIM token"),
    ("scim", "through SCIM provisioning"),
    ("sign_in_disabled", "disabled"),
    ("throttle_cleared", "{n} failures"),
    ("autonomy_definition", "autonomy definition"),
    ("profile", "profile"),
    ("api", "api"),
    ("grace_days", "check_in_grace_days={n}"),
    ("changed", "{from} → {to}"),
    ("posting_published", "posting published"),
    ("posting_edited", "posting edited"),
    ("posting_taken_down", "posting taken down"),
    ("application_made", "application made"),
    ("application_read", "application read"),
    ("application_stage", "application stage {n}: {event}"),
    (
        "application_withdrawn",
        "application withdrawn at stage {n}",
    ),
    ("postings_export", "{n} postings, {count} applications"),
    ("fa_declared", "FA declared"),
    ("fa_withdrawn", "FA withdrawn"),
    ("fa_requested", "FA interview requested"),
    ("fa_answered", "FA interview answer: {event}"),
    ("side_job_applied", "side job applied"),
    ("side_job_decided", "side job decision: {event}"),
    ("side_job_reported", "side job reported back"),
    ("side_job_rules", "side-job rules (cap {n} h)"),
    ("course_added", "course added"),
    ("course_edited", "course edited"),
    ("course_retired", "course retired"),
    ("course_offered", "course offered again"),
    ("completion_recorded", "course completion recorded"),
    ("completion_use_noted", "note on using a course at work"),
    ("subsidy_claimed", "subsidy claimed"),
    ("subsidy_approved", "subsidy approved ({n} yen)"),
    ("subsidy_changes", "subsidy changes requested"),
    ("subsidy_refused", "subsidy refused"),
    ("subsidy_withdrawn", "subsidy claim withdrawn"),
    ("subsidy_paid", "subsidy paid ({n} yen)"),
    ("subsidy_receipt_read", "subsidy receipt read"),
    (
        "subsidy_rules",
        "subsidy rules ({n} certifications, cap {count} yen)",
    ),
    ("company_policy", "company policy version {n}"),
    (
        "posting_eligibility",
        "months in the department before applying: {n}",
    ),
    (
        "consultant_import",
        "{file}: {rows} consultant profiles, {added} new accounts",
    ),
    ("left_company", "a leaver by the employee import"),
    ("password_own", "changed by the user"),
    ("password_reset", "set from a password-reset link"),
    (
        "invited_department",
        "from the employee master, department {code}",
    ),
    ("preferences", "language {lang}, notices {notify}"),
    ("chat", "own chat webhook: {service}"),
    ("calendar_feed", "private calendar feed {state}"),
    ("token_made", "scope {scope}, valid for {n} days"),
    ("chat_services", "chat services people may connect: {list}"),
];

/// The slot names of a pattern, in order: "a {x} b {y}" → ["x", "y"].
pub fn detail_slots(pattern: &str) -> Vec<&str> {
    pattern
        .split('{')
        .filter_map(|piece| piece.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Fills the pattern `key` of [`DETAILS`] with `args`. An unknown key is a programming
/// error caught by the tests; it yields the key itself rather than failing a request.
pub fn detail(key: &str, args: &[(&str, &(dyn std::fmt::Display + Sync))]) -> String {
    let Some((_, pattern)) = DETAILS.iter().find(|(k, _)| *k == key) else {
        return key.to_string();
    };
    let mut out = (*pattern).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// The pattern a stored detail was written with, and its slots — the first pattern of
/// [`DETAILS`] that fits. `None` for anything else (shown as stored).
pub fn read_detail(stored: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
    DETAILS
        .iter()
        .find_map(|(key, pattern)| fit(pattern, stored).map(|slots| (*key, slots)))
}

const NUMERIC: [&str; 8] = [
    "n", "id", "rows", "added", "updated", "left", "count", "ids",
];
/// Slots holding one word (a key such as `given` or `page`).
const WORD: [&str; 4] = ["event", "via", "kind", "why"];

fn fit(pattern: &'static str, stored: &str) -> Option<Vec<(&'static str, String)>> {
    // Literal pieces and slot names, in order: "a {x} b {y}" → ["a ", "x", " b ", "y", ""].
    let mut pieces: Vec<&'static str> = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        pieces.push(&rest[..open]);
        pieces.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    pieces.push(rest);
    let mut text = stored.strip_prefix(pieces[0])?;
    let mut slots = Vec::new();
    let mut i = 1;
    while i + 1 < pieces.len() {
        let (name, literal) = (pieces[i], pieces[i + 1]);
        let last = i + 2 == pieces.len();
        let value = if last {
            text.strip_suffix(literal)?
        } else {
            &text[..text.find(literal)?]
        };
        let ok = !value.is_empty()
            && (!WORD.contains(&name) || !value.contains(char::is_whitespace))
            && (!NUMERIC.contains(&name)
                || value
                    .split(',')
                    .all(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit())));
        if !ok {
            return None;
        }
        slots.push((name, value.to_string()));
        text = &text[value.len() + literal.len()..];
        i += 2;
    }
    (pieces.len() > 1 || text.is_empty()).then_some(slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detail_reads_back_as_written() {
        for (key, pattern) in DETAILS {
            let slots = detail_slots(pattern);
            let values: Vec<String> = slots
                .iter()
                .map(|s| {
                    if NUMERIC.contains(s) {
                        "12".to_string()
                    } else if WORD.contains(s) {
                        format!("w{s}")
                    } else {
                        format!("値 {s}")
                    }
                })
                .collect();
            let args: Vec<(&str, &(dyn std::fmt::Display + Sync))> = slots
                .iter()
                .zip(&values)
                .map(|(s, v)| (*s, v as &(dyn std::fmt::Display + Sync)))
                .collect();
            let stored = detail(key, &args);
            let (read, got) = read_detail(&stored).expect(&stored);
            assert_eq!(read, *key, "{stored}");
            let expected: Vec<(&str, String)> =
                slots.iter().copied().zip(values.iter().cloned()).collect();
            assert_eq!(got, expected, "{stored}");
        }
        // Details written before the patterns existed read the same way.
        assert_eq!(
            read_detail("notes of dialogues 1,7,2 (page)"),
            Some((
                "notes_read",
                vec![("ids", "1,7,2".into()), ("via", "page".into())]
            ))
        );
        assert_eq!(
            read_detail("given by the employee").map(|r| r.0),
            Some("consent_subject")
        );
        assert_eq!(
            read_detail("withdrawn by the employee; the sent report was retracted").map(|r| r.0),
            Some("consent_subject_retracted")
        );
        // Anything else is not forced into a pattern.
        assert_eq!(
            read_detail("wait soon s"),
            None,
            "a number slot holds digits"
        );
        assert_eq!(read_detail("something else"), None);
        assert_eq!(detail("no such key", &[]), "no such key");
    }
}
