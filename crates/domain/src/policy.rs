//! The one place that decides who may do what to which resource, and which fields
//! they may see (DESIGN.md "One policy module").
//!
//! Handlers build an [`Actor`] for the caller (roles as stored, plus `Manager` when the
//! person has reports *now*), work out the caller's [`Relation`] to a person from the
//! reporting line, then ask [`authorize`] and, for people, [`person_fields`]. Every page,
//! API route, export and job goes through here; nothing else grants access.
//!
//! Defaults are closed: an action not listed for a role is denied.

use crate::{PersonId, Role, RoleSet, TenantId, UserId};
use serde::Serialize;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub tenant_id: TenantId,
    /// The person record of this user in the employee master, if any.
    pub person_id: Option<PersonId>,
    /// Stored roles, plus [`Role::Manager`] when this person has reports today.
    pub roles: RoleSet,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }
}

/// How the actor stands to a person, derived from the reporting line at request time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The actor's own person record.
    Oneself,
    /// A direct or indirect report of the actor.
    InReportingLine,
    /// Anyone else in the same tenant.
    Outside,
}

/// Something the actor wants to do. Tenant-owned resources name their tenant so a
/// cross-tenant request is refused here even if a lower layer slipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open a role's home page.
    OpenHome(Role),
    /// See the list of one's own reports (メンバー).
    ListOwnReports,
    /// Read one person's profile.
    ViewPerson {
        tenant: TenantId,
        relation: Relation,
    },
    /// Search and browse everybody in the tenant (directory, org tree).
    BrowseDirectory { tenant: TenantId },
    /// See organisation-wide figures (head counts, cohorts) — aggregates only.
    ViewOrganisationFigures { tenant: TenantId },
    /// Import the employee master (社員マスタの取り込み).
    ImportPeople { tenant: TenantId },
    /// Export the employee master.
    ExportPeople { tenant: TenantId },
    /// Create users, grant and revoke roles, disable accounts.
    ManageUsers { tenant: TenantId },
    /// Browse the audit log.
    ViewAuditLog { tenant: TenantId },
    /// Export the audit log.
    ExportAuditLog { tenant: TenantId },
    /// Read and change tenant settings (fiscal year, definitions, anonymity k).
    ManageTenantSettings { tenant: TenantId },
    /// Browse the question bank (質問集): the people who hold dialogues, and HR.
    BrowseQuestionBank,
    /// Add or remove the tenant's own questions.
    ManageQuestionBank { tenant: TenantId },
    /// Create and run cohort programmes (節目プログラム): cohorts, sessions, placement,
    /// the programme dashboard. HR only; it shows step statuses, never notes.
    ManageProgrammes { tenant: TenantId },
    /// List every pair for cross-department and mentor 1on1s (ペア) and pair people
    /// directly. HR only; each side sees their own pairs without it.
    ManagePairs { tenant: TenantId },
    /// See a training session's roster and workshop groups: HR, or the instructor who
    /// runs that session (`runs_it`).
    ViewSessionRoster { tenant: TenantId, runs_it: bool },
    /// Follow one's own path in a programme (マイキャリア): only a participant.
    FollowOwnProgramme { tenant: TenantId, participant: bool },
    /// Read or watch a programme's pre-learning material: its participants and HR.
    ViewProgrammeMaterial { tenant: TenantId, participant: bool },
    /// Write one's own consultant profile (プロフィール): a consultant, for themselves.
    EditOwnConsultantProfile,
    /// List the company's consultants with their profiles, and suspend or restore their
    /// accounts (外部コンサルタント): HR. It shows profiles, never who consults whom.
    ManageConsultants { tenant: TenantId },
    /// Read a consultant's profile: written for employees to read, so anyone signed in to
    /// the company (a suspended consultant's only by HR, checked where it is loaded).
    ReadConsultantProfile { tenant: TenantId },
    /// Take and keep one's own values diagnosis (価値観診断): someone in the employee
    /// master, for themselves only; nobody else reads it.
    KeepOwnDiagnosis,
    /// Choose one's own consultant, book their open slots, change them and rate the
    /// sessions (相談相手を選ぶ): someone in the employee master, for themselves only.
    ChooseConsultant,
    /// Keep one's own open slots (空き枠): a consultant, for themselves.
    KeepOwnSlots,
    /// Open, remind and close surveys, edit their questions (アンケート): HR. It shows
    /// participation and, once a survey closes, the organisation report — never who
    /// answered what.
    ManageSurveys { tenant: TenantId },
    /// Answer a survey: only someone it asked (`asked`), once.
    AnswerSurvey { tenant: TenantId, asked: bool },
    /// Read the organisation report (組織レポート): HR for the whole company; a manager
    /// for their own unit only (`whole_company` false). Every cell still goes through
    /// `anonymity`, so a unit below k shows nothing.
    ReadOrgReport {
        tenant: TenantId,
        whole_company: bool,
    },
}

/// Why an action was refused (never shown verbatim to users; pages say "no access").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    OtherTenant,
    MissingRole,
    OutsideReportingLine,
}

/// May `actor` do `action`?
pub fn authorize(actor: &Actor, action: Action) -> Result<(), Denied> {
    let same_tenant = |t: TenantId| {
        if t == actor.tenant_id {
            Ok(())
        } else {
            Err(Denied::OtherTenant)
        }
    };
    let needs = |role: Role| {
        if actor.has(role) {
            Ok(())
        } else {
            Err(Denied::MissingRole)
        }
    };
    match action {
        // The employee home is every signed-in person's own page.
        Action::OpenHome(Role::Employee) => Ok(()),
        Action::OpenHome(role) => needs(role),
        Action::ListOwnReports => needs(Role::Manager),
        Action::ViewPerson { tenant, relation } => {
            same_tenant(tenant)?;
            if person_fields(actor, relation).is_some() {
                Ok(())
            } else if actor.has(Role::Manager) {
                Err(Denied::OutsideReportingLine)
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::BrowseDirectory { tenant } => {
            same_tenant(tenant)?;
            if actor.has(Role::Hr) || actor.has(Role::Admin) {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ImportPeople { tenant } | Action::ExportPeople { tenant } => {
            same_tenant(tenant)?;
            if actor.has(Role::Hr) || actor.has(Role::Admin) {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ViewOrganisationFigures { tenant } => {
            same_tenant(tenant)?;
            needs(Role::Hr)
        }
        Action::ManageUsers { tenant }
        | Action::ViewAuditLog { tenant }
        | Action::ExportAuditLog { tenant }
        | Action::ManageTenantSettings { tenant }
        | Action::ManageQuestionBank { tenant } => {
            same_tenant(tenant)?;
            needs(Role::Admin)
        }
        Action::AnswerSurvey { tenant, asked } => {
            same_tenant(tenant)?;
            if asked {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ReadOrgReport {
            tenant,
            whole_company,
        } => {
            same_tenant(tenant)?;
            if actor.has(Role::Hr) || (!whole_company && actor.has(Role::Manager)) {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ManageProgrammes { tenant }
        | Action::ManagePairs { tenant }
        | Action::ManageSurveys { tenant }
        | Action::ManageConsultants { tenant } => {
            same_tenant(tenant)?;
            needs(Role::Hr)
        }
        Action::EditOwnConsultantProfile | Action::KeepOwnSlots => needs(Role::Consultant),
        Action::ReadConsultantProfile { tenant } => same_tenant(tenant),
        Action::KeepOwnDiagnosis | Action::ChooseConsultant => {
            if actor.person_id.is_some() {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ViewSessionRoster { tenant, runs_it } => {
            same_tenant(tenant)?;
            if actor.has(Role::Hr) || (runs_it && actor.has(Role::Instructor)) {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::FollowOwnProgramme {
            tenant,
            participant,
        } => {
            same_tenant(tenant)?;
            if participant {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::ViewProgrammeMaterial {
            tenant,
            participant,
        } => {
            same_tenant(tenant)?;
            if participant || actor.has(Role::Hr) {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
        Action::BrowseQuestionBank => {
            if [
                Role::Manager,
                Role::Consultant,
                Role::Mentor,
                Role::Hr,
                Role::Admin,
            ]
            .into_iter()
            .any(|r| actor.has(r))
            {
                Ok(())
            } else {
                Err(Denied::MissingRole)
            }
        }
    }
}

/// Which parts of a person's profile an actor may see. `None` means none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PersonFields {
    /// Name, kana, employee number, department, title, status.
    pub identity: bool,
    pub email: bool,
    pub grade: bool,
    pub hire_date: bool,
    pub birth_date: bool,
    /// Performance ratings by fiscal year.
    pub ratings: bool,
    /// Reporting line (manager chain and reports).
    pub reporting_line: bool,
}

impl PersonFields {
    const ALL: PersonFields = PersonFields {
        identity: true,
        email: true,
        grade: true,
        hire_date: true,
        birth_date: true,
        ratings: true,
        reporting_line: true,
    };
}

/// Field-level policy for people.
///
/// - oneself: everything;
/// - HR: everything (programmes select cohorts by age and segment by rating);
/// - a manager, for their reporting line: identity, contact, grade, tenure, ratings, line — not the birth date;
/// - an admin: identity and contact, to manage accounts;
/// - anyone else (consultants and instructors until assignment, other employees): nothing.
pub fn person_fields(actor: &Actor, relation: Relation) -> Option<PersonFields> {
    if relation == Relation::Oneself || actor.has(Role::Hr) {
        return Some(PersonFields::ALL);
    }
    if relation == Relation::InReportingLine && actor.has(Role::Manager) {
        return Some(PersonFields {
            birth_date: false,
            ..PersonFields::ALL
        });
    }
    if actor.has(Role::Admin) {
        return Some(PersonFields {
            identity: true,
            email: true,
            grade: false,
            hire_date: false,
            birth_date: false,
            ratings: false,
            reporting_line: true,
        });
    }
    None
}

/// Whether reading this person's profile is a confidential read to be audited:
/// any read of someone else's personal data (birth date, ratings) is.
pub fn person_read_is_audited(relation: Relation, fields: PersonFields) -> bool {
    relation != Relation::Oneself && (fields.birth_date || fields.ratings)
}

/// How much of someone's career sheet (キャリアシート) an actor may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetView {
    /// Every section, private ones included: the owner only.
    Full,
    /// The sections the owner shares: the facilitator preparing a dialogue with them.
    Shared,
}

/// May `actor` see the career sheet of `owner`, and how much? Only the owner, today: a
/// role alone (manager, HR, admin, consultant) never opens someone's sheet. Facilitators
/// will see [`SheetView::Shared`] through their dialogues with the owner.
pub fn career_sheet_view(actor: &Actor, tenant: TenantId, owner: PersonId) -> Option<SheetView> {
    (actor.tenant_id == tenant && actor.person_id == Some(owner)).then_some(SheetView::Full)
}

/// May `actor` write (save a version of, autosave a draft of) `owner`'s career sheet?
/// Only the owner: the sheet is the employee's own words.
pub fn may_write_career_sheet(actor: &Actor, tenant: TenantId, owner: PersonId) -> bool {
    actor.tenant_id == tenant && actor.person_id == Some(owner)
}

/// A read of a career sheet by anyone but its owner is a confidential read (audited).
pub fn career_sheet_read_is_audited(actor: &Actor, owner: PersonId) -> bool {
    actor.person_id != Some(owner)
}

/// How an actor stands to one dialogue (面談・1on1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueRole {
    /// Holds the dialogue and writes its notes.
    Facilitator,
    /// The employee whose career it is.
    Subject,
    /// The subject's manager (by the reporting line today): may know that a dialogue
    /// happened (date, kind), never what was said.
    SubjectsManager,
    /// HR who booked this dialogue for others: sees when, who and the state, never
    /// what was said.
    Scheduler,
    /// Anyone else, HR and admin included: nothing at all.
    Outsider,
}

/// What the policy needs to know about a dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogueFacts {
    pub tenant: TenantId,
    pub subject: PersonId,
    pub facilitator: UserId,
    /// Is the subject a direct or indirect report of the actor today?
    pub subject_reports_to_actor: bool,
    /// Did the actor book this dialogue (for someone else)?
    pub scheduled_by_actor: bool,
    /// A consultant session the employee booked themselves with a consultant they chose:
    /// the company, their manager included, does not learn of it.
    pub self_chosen: bool,
}

/// How `actor` stands to the dialogue described by `facts`.
pub fn dialogue_role(actor: &Actor, facts: &DialogueFacts) -> DialogueRole {
    if actor.tenant_id != facts.tenant {
        DialogueRole::Outsider
    } else if actor.user_id == facts.facilitator {
        DialogueRole::Facilitator
    } else if actor.person_id == Some(facts.subject) {
        DialogueRole::Subject
    } else if facts.subject_reports_to_actor && !facts.self_chosen {
        DialogueRole::SubjectsManager
    } else if facts.scheduled_by_actor && actor.has(Role::Hr) {
        DialogueRole::Scheduler
    } else {
        DialogueRole::Outsider
    }
}

/// May someone in `role` read a note item of this visibility? The facilitator reads their
/// notes; the employee every item that is not private; the manager and everyone else
/// nothing (what reaches a manager goes through a consented feedback report).
pub fn may_read_note(role: DialogueRole, visibility: crate::dialogue::Visibility) -> bool {
    use crate::dialogue::Visibility;
    match role {
        DialogueRole::Facilitator => true,
        DialogueRole::Subject => visibility != Visibility::Private,
        DialogueRole::SubjectsManager | DialogueRole::Scheduler | DialogueRole::Outsider => false,
    }
}

/// May someone in `role` know that the dialogue exists (its date and kind)?
pub fn may_see_dialogue(role: DialogueRole) -> bool {
    role != DialogueRole::Outsider
}

/// A read of a note by anyone other than its author is written to the audit log.
pub fn note_read_is_audited(role: DialogueRole) -> bool {
    role != DialogueRole::Facilitator
}

/// May someone in `role` add calendar entries (.ics) for the dialogue? Those who attend
/// it, and HR who booked it.
pub fn may_download_calendar(role: DialogueRole) -> bool {
    matches!(
        role,
        DialogueRole::Facilitator | DialogueRole::Subject | DialogueRole::Scheduler
    )
}

/// How much of the subject's career sheet someone in `role` sees around a dialogue: the
/// facilitator preparing it sees the sections the subject shares; nobody else any.
pub fn career_sheet_view_in_dialogue(role: DialogueRole) -> Option<SheetView> {
    (role == DialogueRole::Facilitator).then_some(SheetView::Shared)
}

/// May someone in `role` close the dialogue (held, cancelled, no-show)? The facilitator,
/// and HR who booked it (cancellation only; the handler enforces which state).
pub fn may_manage_dialogue(role: DialogueRole) -> bool {
    matches!(role, DialogueRole::Facilitator | DialogueRole::Scheduler)
}

/// May someone in `role` record or withdraw consent? Consent belongs to the employee:
/// they give or refuse it on their own page; the consultant may record what was agreed in
/// the session. Either may withdraw it (the consultant on the employee's behalf).
pub fn may_record_consent(role: DialogueRole) -> bool {
    matches!(role, DialogueRole::Facilitator | DialogueRole::Subject)
}

pub fn may_withdraw_consent(role: DialogueRole) -> bool {
    matches!(role, DialogueRole::Facilitator | DialogueRole::Subject)
}

/// May `actor` suspend (or restore) the account of someone holding `target_roles`? HR,
/// for consultants only — never an account that also administers or runs HR, and never
/// their own.
pub fn may_suspend_consultant(actor: &Actor, target: UserId, target_roles: &[Role]) -> bool {
    actor.has(Role::Hr)
        && target != actor.user_id
        && target_roles.contains(&Role::Consultant)
        && !target_roles
            .iter()
            .any(|r| matches!(r, Role::Admin | Role::Hr))
}

/// What the policy needs to know when an employee books a consultant's open slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsultationFacts {
    pub tenant: TenantId,
    /// The consultant's account is a consultant's, enabled, with a profile.
    pub consultant_available: bool,
    /// The consultant's own record in the employee master (internal consultants).
    pub consultant_person: Option<PersonId>,
    /// The consultant is in the employee's reporting line (their manager or above).
    pub consultant_in_line: bool,
    pub slot_free: bool,
    pub slot_in_future: bool,
    /// The consultant still has room in the slot's month.
    pub room_in_month: bool,
    /// Sessions the employee booked this fiscal year, and how many the company pays for.
    pub used_this_year: u32,
    pub allowance: Option<u32>,
}

/// Why an employee may not book a slot; each has its own message
/// (`consultation.refusal.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationRefusal {
    NotAnEmployee,
    Unavailable,
    WithThemselves,
    InReportingLine,
    SlotTaken,
    SlotPast,
    AtCapacity,
    AllowanceUsed,
}

impl ConsultationRefusal {
    pub fn key(self) -> &'static str {
        match self {
            ConsultationRefusal::NotAnEmployee => "not_an_employee",
            ConsultationRefusal::Unavailable => "unavailable",
            ConsultationRefusal::WithThemselves => "with_themselves",
            ConsultationRefusal::InReportingLine => "in_reporting_line",
            ConsultationRefusal::SlotTaken => "slot_taken",
            ConsultationRefusal::SlotPast => "slot_past",
            ConsultationRefusal::AtCapacity => "at_capacity",
            ConsultationRefusal::AllowanceUsed => "allowance_used",
        }
    }
}

/// May `actor` book this slot for themselves? Someone in the employee master, with a
/// consultant who is available, is not themselves and not in their reporting line (a
/// consultation is outside the line), on a free slot still ahead, while the consultant
/// has room that month and the company's yearly allowance is not used up.
pub fn may_book_consultation(
    actor: &Actor,
    f: &ConsultationFacts,
) -> Result<(), ConsultationRefusal> {
    let Some(me) = actor.person_id else {
        return Err(ConsultationRefusal::NotAnEmployee);
    };
    if actor.tenant_id != f.tenant || !f.consultant_available {
        return Err(ConsultationRefusal::Unavailable);
    }
    if f.consultant_person == Some(me) {
        return Err(ConsultationRefusal::WithThemselves);
    }
    if f.consultant_in_line {
        return Err(ConsultationRefusal::InReportingLine);
    }
    if !f.slot_in_future {
        return Err(ConsultationRefusal::SlotPast);
    }
    if !f.slot_free {
        return Err(ConsultationRefusal::SlotTaken);
    }
    if !f.room_in_month {
        return Err(ConsultationRefusal::AtCapacity);
    }
    if f.allowance.is_some_and(|a| f.used_this_year >= a) {
        return Err(ConsultationRefusal::AllowanceUsed);
    }
    Ok(())
}

/// May someone in `role` rate this session? Only the employee, once a consultation
/// (外部キャリア相談) was held.
pub fn may_rate_session(role: DialogueRole, held: bool, consultation: bool) -> bool {
    role == DialogueRole::Subject && held && consultation
}

/// May someone in `role` confirm the answer the consultant recorded? Only the employee:
/// the answer is theirs (DOMAIN.md: Consent).
pub fn may_confirm_consent(role: DialogueRole) -> bool {
    role == DialogueRole::Subject
}

/// Which parts of one dialogue someone may see beyond its date, kind and people. Every
/// surface (page, API, records, exports, reports) asks this, through
/// `app::dialogues::view`; nothing else decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DialogueParts {
    /// Where it takes place: everyone who may know of it but the subject's manager.
    pub place: bool,
    /// The topics the employee wants to raise: the employee and the facilitator.
    pub topics: bool,
    /// The employee's consent and what they withhold: both parties of a consultant
    /// session.
    pub consent: bool,
    /// The commitments (行動計画) and the milestone outcome: both parties.
    pub commitments: bool,
    /// The career vision recorded in the interview: both parties.
    pub vision: bool,
    /// The employee's own rating and reflection: the employee alone.
    pub reflection: bool,
    /// The merits/demerits worksheet of a consultant session: both parties.
    pub worksheet: bool,
    /// Earlier wordings of note items: their author, the facilitator.
    pub note_history: bool,
    /// The facilitator's preparation: the subject's shared career sheet, items carried
    /// over from earlier dialogues, the question categories covered.
    pub preparation: bool,
    /// The feedback-report draft and its material (the for-manager notes): the
    /// consultant who holds a consultant session.
    pub report_draft: bool,
}

/// What someone in `role` sees of a dialogue of this kind. Closed by default: the
/// manager, HR who booked it and everyone else see no part of what was said.
pub fn dialogue_parts(role: DialogueRole, consultant_session: bool) -> DialogueParts {
    let facilitator = role == DialogueRole::Facilitator;
    let party = facilitator || role == DialogueRole::Subject;
    DialogueParts {
        place: party || role == DialogueRole::Scheduler,
        topics: party,
        consent: party && consultant_session,
        commitments: party,
        vision: party,
        reflection: role == DialogueRole::Subject,
        worksheet: party && consultant_session,
        note_history: facilitator,
        preparation: career_sheet_view_in_dialogue(role).is_some(),
        report_draft: facilitator && consultant_session,
    }
}

/// Why a feedback report (面談所感) may not be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SendRefusal {
    /// Only the consultant who held the dialogue sends its report.
    NotTheFacilitator,
    /// Reports come from consultant sessions only.
    NotAConsultantSession,
    /// The employee was never asked, or did not agree.
    NoConsent,
    /// The employee withdrew their consent.
    ConsentWithdrawn,
    /// The consultant recorded consent; the employee has not confirmed it yet.
    ConsentUnconfirmed,
    /// It was sent already; a report goes once.
    AlreadySent,
    /// The dialogue has not been held (yet): a report tells of a conversation that
    /// took place.
    NotHeld,
    /// Nothing written.
    Empty,
    /// The subject has no manager to send it to.
    NoManager,
    /// It holds what must never reach the manager.
    Leaks(Vec<crate::feedback::Leak>),
}

/// What the policy needs to know to send a feedback report.
pub struct SendFacts<'a> {
    pub role: DialogueRole,
    pub kind: crate::dialogue::DialogueKind,
    pub consent: Option<&'a crate::dialogue::Consent>,
    pub already_sent: bool,
    /// The dialogue was held (not merely scheduled, cancelled or missed).
    pub held: bool,
    pub has_manager: bool,
    pub parts: &'a crate::feedback::Parts,
    /// What the employee asked to withhold.
    pub withheld: &'a str,
    /// The bodies of the dialogue's `private` note items.
    pub private_notes: &'a [String],
}

/// May this report be sent to the manager? Only by the consultant who held the session,
/// once, under consent in force, and never with a withheld topic or a private note's
/// wording in it — whatever the form let through.
pub fn may_send_feedback(f: &SendFacts<'_>) -> Result<(), SendRefusal> {
    if f.role != DialogueRole::Facilitator {
        return Err(SendRefusal::NotTheFacilitator);
    }
    if !f.kind.is_consultant_session() {
        return Err(SendRefusal::NotAConsultantSession);
    }
    if f.already_sent {
        return Err(SendRefusal::AlreadySent);
    }
    if !f.held {
        return Err(SendRefusal::NotHeld);
    }
    match f.consent {
        None => return Err(SendRefusal::NoConsent),
        Some(c) if c.withdrawn => return Err(SendRefusal::ConsentWithdrawn),
        Some(c) if !c.agreed => return Err(SendRefusal::NoConsent),
        Some(c) if !c.confirmed => return Err(SendRefusal::ConsentUnconfirmed),
        Some(_) => {}
    }
    if !f.has_manager {
        return Err(SendRefusal::NoManager);
    }
    if f.parts.is_empty() {
        return Err(SendRefusal::Empty);
    }
    let leaks = crate::feedback::leaks(f.parts, f.withheld, f.private_notes);
    if !leaks.is_empty() {
        return Err(SendRefusal::Leaks(leaks));
    }
    Ok(())
}

/// A sent report as the policy asks about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentReport {
    pub tenant: TenantId,
    pub addressed_to: PersonId,
    pub author: UserId,
    pub subject: PersonId,
    /// The employee withdrew consent after it was sent.
    pub retracted: bool,
}

/// How much of a sent report someone reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportView {
    /// Every part, as sent.
    Full,
    /// Only that it was withdrawn at the employee's request: the manager, once the
    /// employee withdrew consent.
    Withdrawn,
}

/// How `actor` may read a sent report: the employee it is about (always, as sent) and the
/// consultant who wrote it; the manager it was addressed to while the employee is still in
/// their reporting line — and, once the employee withdrew consent, only that it was
/// withdrawn. Anyone else: nothing.
pub fn feedback_view(
    actor: &Actor,
    r: &SentReport,
    subject_reports_to_actor: bool,
) -> Option<ReportView> {
    if actor.tenant_id != r.tenant {
        None
    } else if actor.user_id == r.author || actor.person_id == Some(r.subject) {
        Some(ReportView::Full)
    } else if actor.person_id == Some(r.addressed_to) && subject_reports_to_actor {
        Some(if r.retracted {
            ReportView::Withdrawn
        } else {
            ReportView::Full
        })
    } else {
        None
    }
}

/// May `actor` evaluate a person's behaviour change (行動変容)? The consultant assigned to
/// them (who gathers the manager's input); HR sees only the distribution.
pub fn may_evaluate_behaviour(actor: &Actor, tenant: TenantId, assigned: bool) -> bool {
    actor.tenant_id == tenant && actor.has(Role::Consultant) && assigned
}

/// Why a dialogue may not be booked as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleRefusal {
    /// Only the facilitator themselves, or HR, books a dialogue.
    NotYours,
    /// Nobody holds a career dialogue with themselves.
    WithThemselves,
    /// Consultant sessions need a consultant assigned to the person.
    ConsultantNotAssigned,
    /// A 1on1 with the manager needs the person in the facilitator's reporting line.
    NotInReportingLine,
    /// A cross-department 1on1 is with someone outside one's own line.
    SameReportingLine,
    /// A mentor 1on1 needs someone holding the mentor role.
    NotAMentor,
    /// The facilitator must be someone in the employee master (or a consultant/mentor).
    NoPerson,
    /// A cross-department or mentor 1on1 needs a pair in force between the two
    /// (DOMAIN.md: Dialogue — paired by HR, or invited by one side and accepted).
    NotPaired,
}

/// What the policy needs to know to book a dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleFacts {
    pub tenant: TenantId,
    pub kind: crate::dialogue::DialogueKind,
    pub facilitator: UserId,
    /// The facilitator holds the consultant role.
    pub facilitator_is_consultant: bool,
    /// The facilitator holds the mentor role.
    pub facilitator_is_mentor: bool,
    pub facilitator_person: Option<PersonId>,
    pub subject: PersonId,
    /// The facilitator is a consultant assigned to the subject.
    pub facilitator_assigned: bool,
    /// The subject is a direct or indirect report of the facilitator.
    pub subject_reports_to_facilitator: bool,
    /// A pair of the kind's sort (cross-department or mentor) is in force between the
    /// facilitator and the subject.
    pub paired: bool,
}

/// May `actor` book a dialogue as described? The facilitator books their own; HR books
/// for others. Who may facilitate follows the kind (DOMAIN.md: Dialogue).
pub fn may_schedule(actor: &Actor, facts: &ScheduleFacts) -> Result<(), ScheduleRefusal> {
    use crate::dialogue::DialogueKind as K;
    if actor.tenant_id != facts.tenant
        || (actor.user_id != facts.facilitator && !actor.has(Role::Hr))
    {
        return Err(ScheduleRefusal::NotYours);
    }
    if facts.facilitator_person == Some(facts.subject) {
        return Err(ScheduleRefusal::WithThemselves);
    }
    match facts.kind {
        K::CareerInterview | K::MilestoneInterview | K::Consultation => {
            if facts.facilitator_is_consultant && facts.facilitator_assigned {
                Ok(())
            } else {
                Err(ScheduleRefusal::ConsultantNotAssigned)
            }
        }
        K::OneOnOne => {
            if facts.subject_reports_to_facilitator {
                Ok(())
            } else {
                Err(ScheduleRefusal::NotInReportingLine)
            }
        }
        K::CrossOneOnOne => {
            if facts.facilitator_person.is_none() {
                Err(ScheduleRefusal::NoPerson)
            } else if facts.subject_reports_to_facilitator {
                Err(ScheduleRefusal::SameReportingLine)
            } else if !facts.paired {
                Err(ScheduleRefusal::NotPaired)
            } else {
                Ok(())
            }
        }
        K::MentorOneOnOne => {
            if !facts.facilitator_is_mentor {
                Err(ScheduleRefusal::NotAMentor)
            } else if !facts.paired {
                Err(ScheduleRefusal::NotPaired)
            } else {
                Ok(())
            }
        }
    }
}

/// Why an employee may not send a request (依頼) to someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestRefusal {
    /// Only someone in the employee master asks, for themselves.
    NotAnEmployee,
    /// A 1on1 is asked of one's own manager (the person one reports to directly).
    NotYourManager,
    /// A career interview is asked of a consultant assigned to one.
    ConsultantNotAssigned,
}

/// What the policy needs to know about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestFacts {
    pub tenant: TenantId,
    pub kind: crate::request::RequestKind,
    /// The addressee is the account of the person the requester reports to directly.
    pub addressee_is_manager: bool,
    /// The addressee holds the consultant role and is assigned to the requester.
    pub addressee_is_assigned_consultant: bool,
}

/// May `actor` ask this of the addressee? Employees ask for themselves: a 1on1 of their
/// manager, a career interview of a consultant assigned to them.
pub fn may_request(actor: &Actor, f: &RequestFacts) -> Result<(), RequestRefusal> {
    use crate::request::RequestKind;
    if actor.tenant_id != f.tenant || actor.person_id.is_none() {
        return Err(RequestRefusal::NotAnEmployee);
    }
    match f.kind {
        RequestKind::OneOnOne if !f.addressee_is_manager => Err(RequestRefusal::NotYourManager),
        RequestKind::CareerInterview if !f.addressee_is_assigned_consultant => {
            Err(RequestRefusal::ConsultantNotAssigned)
        }
        _ => Ok(()),
    }
}

/// The two people of a request, for the checks on an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestParties {
    pub tenant: TenantId,
    pub requester: PersonId,
    pub addressee: UserId,
}

/// May `actor` answer (book one of the times, or decline)? The addressee alone.
pub fn may_answer_request(actor: &Actor, p: &RequestParties) -> bool {
    actor.tenant_id == p.tenant && actor.user_id == p.addressee
}

/// May `actor` withdraw it? The employee who asked.
pub fn may_withdraw_request(actor: &Actor, p: &RequestParties) -> bool {
    actor.tenant_id == p.tenant && actor.person_id == Some(p.requester)
}

/// May `actor` see it (its message, times and answer)? The two of them, nobody else —
/// HR and admin included.
pub fn may_see_request(actor: &Actor, p: &RequestParties) -> bool {
    may_answer_request(actor, p) || may_withdraw_request(actor, p)
}

/// Why a pair (ペア) for cross-department or mentor 1on1s may not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairRefusal {
    /// Only the two sides invite, and HR pairs; a mentor does not invite employees
    /// (they see their mentees and nothing else), the employee invites them.
    NotYours,
    /// Nobody is paired with themselves.
    WithThemselves,
    /// A cross-department pair is two people of different reporting lines.
    SameReportingLine,
    /// The partner of a mentor pair holds the mentor role.
    NotAMentor,
    /// The partner of a cross-department pair is someone in the employee master.
    NoPerson,
    /// The two already have a pair of this kind open or in force.
    AlreadyPaired,
}

impl PairRefusal {
    /// As translation keys name it (`pair.refused.{key}`).
    pub fn key(self) -> &'static str {
        match self {
            PairRefusal::NotYours => "not_yours",
            PairRefusal::WithThemselves => "with_themselves",
            PairRefusal::SameReportingLine => "same_line",
            PairRefusal::NotAMentor => "not_a_mentor",
            PairRefusal::NoPerson => "no_person",
            PairRefusal::AlreadyPaired => "already",
        }
    }
}

/// How a pair comes into being.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairStart {
    /// HR paired them: in force at once.
    Direct,
    /// One side invited; the named side must accept.
    Invite { awaiting: crate::pairing::PairSide },
}

/// What the policy needs to know to make a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairFacts {
    pub tenant: TenantId,
    pub kind: crate::pairing::PairKind,
    /// The partner, who holds the 1on1s.
    pub partner: UserId,
    pub partner_person: Option<PersonId>,
    pub partner_is_mentor: bool,
    /// The employee whose career the 1on1s are about.
    pub subject: PersonId,
    /// One of the two reports (directly or not) to the other.
    pub same_reporting_line: bool,
    /// A pair of this kind between the two is already invited or in force.
    pub already_open: bool,
}

/// May `actor` pair these two, and how does the pair start? A side invites the other
/// (cross-department: either side; mentor: the employee); HR pairs directly.
pub fn may_pair(actor: &Actor, f: &PairFacts) -> Result<PairStart, PairRefusal> {
    use crate::pairing::{PairKind, PairSide};
    if actor.tenant_id != f.tenant {
        return Err(PairRefusal::NotYours);
    }
    let side = if actor.user_id == f.partner {
        Some(PairSide::Partner)
    } else if actor.person_id == Some(f.subject) {
        Some(PairSide::Subject)
    } else {
        None
    };
    let start = match (side, f.kind) {
        (Some(PairSide::Partner), PairKind::Mentor) => return Err(PairRefusal::NotYours),
        (Some(PairSide::Partner), PairKind::Cross) => PairStart::Invite {
            awaiting: PairSide::Subject,
        },
        (Some(PairSide::Subject), _) => PairStart::Invite {
            awaiting: PairSide::Partner,
        },
        (None, _) if actor.has(Role::Hr) => PairStart::Direct,
        (None, _) => return Err(PairRefusal::NotYours),
    };
    if f.partner_person == Some(f.subject) {
        return Err(PairRefusal::WithThemselves);
    }
    match f.kind {
        PairKind::Cross if f.partner_person.is_none() => return Err(PairRefusal::NoPerson),
        PairKind::Cross if f.same_reporting_line => return Err(PairRefusal::SameReportingLine),
        PairKind::Mentor if !f.partner_is_mentor => return Err(PairRefusal::NotAMentor),
        _ => {}
    }
    if f.already_open {
        return Err(PairRefusal::AlreadyPaired);
    }
    Ok(start)
}

/// The two people of a pair, for the checks on an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairParties {
    pub tenant: TenantId,
    pub partner: UserId,
    pub subject: PersonId,
}

/// Which side of the pair `actor` is, if any.
pub fn pair_side(actor: &Actor, p: &PairParties) -> Option<crate::pairing::PairSide> {
    use crate::pairing::PairSide;
    if actor.tenant_id != p.tenant {
        None
    } else if actor.user_id == p.partner {
        Some(PairSide::Partner)
    } else if actor.person_id == Some(p.subject) {
        Some(PairSide::Subject)
    } else {
        None
    }
}

/// May `actor` accept or decline an invitation that waits on `awaiting`? Only that side.
pub fn may_respond_to_pair(
    actor: &Actor,
    p: &PairParties,
    awaiting: crate::pairing::PairSide,
) -> bool {
    pair_side(actor, p) == Some(awaiting)
}

/// May `actor` see a pair at all (both sides and HR)?
pub fn may_see_pair(actor: &Actor, p: &PairParties) -> bool {
    pair_side(actor, p).is_some() || (actor.tenant_id == p.tenant && actor.has(Role::Hr))
}

/// May `actor` end a pair (or withdraw an invitation)? Either side, and HR.
pub fn may_end_pair(actor: &Actor, p: &PairParties) -> bool {
    may_see_pair(actor, p)
}

/// May `actor` choose which career-sheet sections the partner sees? The subject alone:
/// the sheet is theirs.
pub fn may_choose_pair_sections(actor: &Actor, p: &PairParties) -> bool {
    pair_side(actor, p) == Some(crate::pairing::PairSide::Subject)
}

/// Which sections of the subject's sheet the facilitator prepares a dialogue with (each
/// only if the subject also shares it on the sheet): every section for a consultant
/// session or the manager's 1on1; for a cross-department or mentor 1on1 only the sections
/// the subject chose for a pair in force (`pair`), and none without one.
pub fn sheet_sections_in_dialogue(
    role: DialogueRole,
    kind: crate::dialogue::DialogueKind,
    pair: Option<&[crate::career_sheet::Section]>,
) -> Vec<crate::career_sheet::Section> {
    use crate::career_sheet::Section;
    if career_sheet_view_in_dialogue(role).is_none() {
        return Vec::new();
    }
    match crate::pairing::PairKind::of_dialogue(kind) {
        None => Section::ALL.to_vec(),
        Some(_) => pair.map(<[Section]>::to_vec).unwrap_or_default(),
    }
}

/// Why a consultant may not be assigned to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentRefusal {
    /// Only HR assigns consultants.
    NotHr,
    /// The user to assign does not hold the consultant role.
    NotAConsultant,
    /// A consultant inside the company is never assigned to someone in their own
    /// reporting line, in either direction (DOMAIN.md: People and roles).
    SameReportingLine,
    /// Nobody is their own consultant.
    Themselves,
}

/// What the policy needs to know to assign a consultant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentFacts {
    pub tenant: TenantId,
    /// The user to assign holds the consultant role.
    pub is_consultant: bool,
    pub consultant_person: Option<PersonId>,
    pub subject: PersonId,
    /// The subject reports (directly or not) to the consultant, or the consultant to the subject.
    pub same_reporting_line: bool,
}

/// May `actor` assign this consultant to this person?
pub fn may_assign_consultant(
    actor: &Actor,
    facts: &AssignmentFacts,
) -> Result<(), AssignmentRefusal> {
    if actor.tenant_id != facts.tenant || !actor.has(Role::Hr) {
        return Err(AssignmentRefusal::NotHr);
    }
    if !facts.is_consultant {
        return Err(AssignmentRefusal::NotAConsultant);
    }
    if facts.consultant_person == Some(facts.subject) {
        return Err(AssignmentRefusal::Themselves);
    }
    if facts.same_reporting_line {
        return Err(AssignmentRefusal::SameReportingLine);
    }
    Ok(())
}

/// How much of a role-model story (ロールモデル) someone sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryView {
    /// Everything, whatever the consent: the colleague it is about and its writer.
    Full,
    /// A published story; `named` when the colleague agreed to be named.
    Published { named: bool },
}

/// The facts about a story that decide who sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFacts {
    pub tenant: TenantId,
    pub subject: PersonId,
    pub author: UserId,
    pub consent: crate::role_model::Consent,
    pub show_name: bool,
}

/// Who may see a story: its colleague and its writer always; everyone else in the company
/// only once the colleague consented, and without the name unless they agreed to it.
pub fn role_model_view(actor: &Actor, f: &StoryFacts) -> Option<StoryView> {
    if actor.tenant_id != f.tenant {
        return None;
    }
    if actor.person_id == Some(f.subject) || actor.user_id == f.author {
        return Some(StoryView::Full);
    }
    // A published story is shared with colleagues: people in the employee master, not
    // an external instructor or mentor.
    (f.consent == crate::role_model::Consent::Given && actor.person_id.is_some())
        .then_some(StoryView::Published { named: f.show_name })
}

/// Who writes stories: consultants and HR, who hear them and ask the colleague.
pub fn may_write_role_model(actor: &Actor, tenant: TenantId) -> bool {
    actor.tenant_id == tenant && (actor.has(Role::Consultant) || actor.has(Role::Hr))
}

/// Only the colleague a story is about gives, refuses or withdraws consent.
pub fn may_answer_role_model(actor: &Actor, f: &StoryFacts) -> bool {
    actor.tenant_id == f.tenant && actor.person_id == Some(f.subject)
}

/// Who sees a person's Career Anchor answers and profile: only that person. (Programme
/// views — workshop groups, a cohort's anchor mix — will show derived figures, decided
/// here when they come.)
pub fn may_see_anchor_results(actor: &Actor, tenant: TenantId, person: PersonId) -> bool {
    actor.tenant_id == tenant && actor.person_id == Some(person)
}

/// How the actor stands to an application to an internal posting (社内公募).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationView {
    /// The applicant: their own application, every stage and the reasons given.
    Applicant,
    /// The hiring side — the posting's hiring manager, and HR: the whole application.
    Hiring,
    /// Someone the applicant reports to (directly or further up), once the application
    /// reached the stage the posting reveals it at: which posting, the stage and the
    /// outcome — never the motivation or the reasons.
    LineAbove,
}

/// What the policy needs to know about an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub tenant: TenantId,
    pub applicant: PersonId,
    /// The account the posting names as its hiring manager.
    pub hiring_manager: UserId,
    /// The actor is above the applicant in the reporting line today (their current
    /// manager, or that manager's managers).
    pub actor_above_applicant: bool,
    /// The application reached the posting's reveal stage (`posting::Progress::revealed`).
    pub revealed: bool,
}

/// Who sees an application (DOMAIN.md "Three opportunities"): the applicant; the hiring
/// side; and the applicant's line above only once it is revealed. Hidden comes first: a
/// manager of the applicant who is also in HR or hires for the posting sees nothing of it
/// before the reveal stage — in no list, count, export, email or audit view.
pub fn application_view(actor: &Actor, f: &ApplicationFacts) -> Option<ApplicationView> {
    if actor.tenant_id != f.tenant {
        return None;
    }
    if actor.person_id == Some(f.applicant) {
        return Some(ApplicationView::Applicant);
    }
    if f.actor_above_applicant {
        return f.revealed.then_some(ApplicationView::LineAbove);
    }
    (actor.has(Role::Hr) || actor.user_id == f.hiring_manager).then_some(ApplicationView::Hiring)
}

/// Who publishes an internal posting: HR, or a manager for a role in their organisation.
pub fn may_publish_posting(actor: &Actor, tenant: TenantId) -> bool {
    actor.tenant_id == tenant && (actor.has(Role::Hr) || actor.has(Role::Manager))
}

/// Who edits, closes a posting and records its stages: HR, or its hiring manager.
pub fn may_manage_posting(actor: &Actor, tenant: TenantId, hiring_manager: UserId) -> bool {
    actor.tenant_id == tenant && (actor.has(Role::Hr) || actor.user_id == hiring_manager)
}

/// Who applies: someone in the employee master, for themselves.
pub fn may_apply_to_posting(actor: &Actor, tenant: TenantId) -> bool {
    actor.tenant_id == tenant && actor.person_id.is_some()
}

/// Who sees a side-job application (副業・兼業): the applicant and HR — never the
/// applicant's manager, unless that manager is in HR.
pub fn may_see_side_job(actor: &Actor, tenant: TenantId, applicant: PersonId) -> bool {
    actor.tenant_id == tenant && (actor.person_id == Some(applicant) || actor.has(Role::Hr))
}

/// Who sees a certification subsidy claim (資格取得支援) and its receipt: the claimant and
/// HR — the amounts and the receipt are the person's own affairs, not their manager's.
pub fn may_see_subsidy(actor: &Actor, tenant: TenantId, claimant: PersonId) -> bool {
    may_see_side_job(actor, tenant, claimant)
}

/// Who decides a claim and marks it paid: HR, never on their own claim.
pub fn may_decide_subsidy(actor: &Actor, tenant: TenantId, claimant: PersonId) -> bool {
    may_decide_side_job(actor, tenant, claimant)
}

/// Who sees a person's completed courses and the notes on using them at work: the
/// person, those above them in the reporting line, and HR.
pub fn may_see_learning(actor: &Actor, tenant: TenantId, relation: Relation) -> bool {
    actor.tenant_id == tenant
        && (matches!(relation, Relation::Oneself | Relation::InReportingLine)
            || actor.has(Role::Hr))
}

/// Who decides one: HR, never on their own application.
pub fn may_decide_side_job(actor: &Actor, tenant: TenantId, applicant: PersonId) -> bool {
    actor.tenant_id == tenant && actor.has(Role::Hr) && actor.person_id != Some(applicant)
}

/// How the actor stands to an FA declaration (社内FA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationView {
    /// The declarant: their own declaration and every request made to them.
    Declarant,
    /// A manager who may hire the declarant: the declaration, and their own requests.
    Scout,
    /// HR: every declaration and request, to run the scheme.
    Hr,
}

/// What the policy needs to know about a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclarationFacts {
    pub tenant: TenantId,
    pub declarant: PersonId,
    /// The actor is above the declarant in the reporting line today.
    pub actor_above_declarant: bool,
    /// The actor works in the declarant's own department today.
    pub actor_in_declarants_department: bool,
    /// In force today (not expired, not withdrawn).
    pub active: bool,
}

/// Who sees an FA declaration (DOMAIN.md "Three opportunities"): the declarant; HR; and
/// managers outside the declarant's own department and reporting line while it is in
/// force. The current manager and the current department never see it — in no list,
/// count, export, email or audit view — even when they are HR.
pub fn declaration_view(actor: &Actor, f: &DeclarationFacts) -> Option<DeclarationView> {
    if actor.tenant_id != f.tenant {
        return None;
    }
    if actor.person_id == Some(f.declarant) {
        return Some(DeclarationView::Declarant);
    }
    if f.actor_above_declarant || f.actor_in_declarants_department {
        return None;
    }
    if actor.has(Role::Hr) {
        return Some(DeclarationView::Hr);
    }
    (actor.has(Role::Manager) && f.active).then_some(DeclarationView::Scout)
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_the_two_parties_see_what_was_said() {
        for consultant in [true, false] {
            for role in [
                DialogueRole::SubjectsManager,
                DialogueRole::Scheduler,
                DialogueRole::Outsider,
            ] {
                let p = dialogue_parts(role, consultant);
                assert_eq!(
                    DialogueParts {
                        place: role == DialogueRole::Scheduler,
                        ..DialogueParts::default()
                    },
                    p,
                    "{role:?}"
                );
            }
            let f = dialogue_parts(DialogueRole::Facilitator, consultant);
            let s = dialogue_parts(DialogueRole::Subject, consultant);
            for p in [f, s] {
                assert!(p.place && p.topics && p.commitments && p.vision);
                assert_eq!(p.consent, consultant);
                assert_eq!(p.worksheet, consultant);
            }
            // The employee's reflection is theirs; history, preparation and the report
            // draft are the facilitator's.
            assert!(s.reflection && !f.reflection);
            assert!(f.note_history && !s.note_history);
            assert!(f.preparation && !s.preparation);
            assert_eq!(f.report_draft, consultant);
            assert!(!s.report_draft);
        }
    }

    #[test]
    fn programmes_are_run_by_hr_and_rosters_seen_by_hr_or_the_sessions_instructor() {
        let t = TenantId(1);
        let with = |roles: &[Role]| Actor {
            user_id: UserId(1),
            tenant_id: t,
            person_id: Some(PersonId(7)),
            roles: RoleSet::new(roles.iter().copied()),
        };
        let hr = with(&[Role::Hr]);
        let instructor = with(&[Role::Instructor]);
        let others = [
            with(&[]),
            with(&[Role::Manager]),
            with(&[Role::Consultant]),
            with(&[Role::Admin]),
            instructor.clone(),
        ];
        assert!(authorize(&hr, Action::ManageProgrammes { tenant: t }).is_ok());
        assert!(authorize(&hr, Action::ManageConsultants { tenant: t }).is_ok());
        for a in &others {
            assert!(authorize(a, Action::ManageConsultants { tenant: t }).is_err());
        }
        // Surveys: HR runs them; only the people asked answer; the organisation report
        // is HR's, and a manager's for their own unit only.
        assert!(authorize(&hr, Action::ManageSurveys { tenant: t }).is_ok());
        for a in &others {
            assert!(authorize(a, Action::ManageSurveys { tenant: t }).is_err());
        }
        for a in others.iter().chain([&hr]) {
            let answer = |asked| Action::AnswerSurvey { tenant: t, asked };
            assert!(authorize(a, answer(true)).is_ok());
            assert!(authorize(a, answer(false)).is_err());
        }
        let report = |whole_company| Action::ReadOrgReport {
            tenant: t,
            whole_company,
        };
        assert!(authorize(&hr, report(true)).is_ok());
        let manager = with(&[Role::Manager]);
        assert!(authorize(&manager, report(false)).is_ok());
        assert!(authorize(&manager, report(true)).is_err());
        for a in [
            with(&[]),
            with(&[Role::Consultant]),
            with(&[Role::Admin]),
            instructor.clone(),
        ] {
            assert!(authorize(&a, report(false)).is_err());
        }
        assert!(
            authorize(
                &hr,
                Action::ReadOrgReport {
                    tenant: TenantId(2),
                    whole_company: true
                }
            )
            .is_err()
        );
        assert!(authorize(&with(&[Role::Consultant]), Action::EditOwnConsultantProfile).is_ok());
        assert!(authorize(&hr, Action::EditOwnConsultantProfile).is_err());
        for a in others.iter().chain([&hr]) {
            assert!(authorize(a, Action::ReadConsultantProfile { tenant: t }).is_ok());
            assert_eq!(
                authorize(
                    a,
                    Action::ReadConsultantProfile {
                        tenant: TenantId(2)
                    }
                ),
                Err(Denied::OtherTenant)
            );
        }
        // HR suspends consultants, and nobody else through this door.
        let other = UserId(99);
        assert!(may_suspend_consultant(&hr, other, &[Role::Consultant]));
        assert!(!may_suspend_consultant(&hr, other, &[Role::Employee]));
        assert!(!may_suspend_consultant(
            &hr,
            other,
            &[Role::Consultant, Role::Admin]
        ));
        assert!(!may_suspend_consultant(
            &hr,
            hr.user_id,
            &[Role::Consultant, Role::Hr]
        ));
        assert!(!may_suspend_consultant(
            &with(&[Role::Admin]),
            other,
            &[Role::Consultant]
        ));
        assert_eq!(
            authorize(
                &hr,
                Action::ManageProgrammes {
                    tenant: TenantId(2)
                }
            ),
            Err(Denied::OtherTenant)
        );
        for a in &others {
            assert!(authorize(a, Action::ManageProgrammes { tenant: t }).is_err());
            assert!(authorize(a, Action::ManagePairs { tenant: t }).is_err());
        }
        assert!(authorize(&hr, Action::ManagePairs { tenant: t }).is_ok());
        assert_eq!(
            authorize(
                &hr,
                Action::ManagePairs {
                    tenant: TenantId(2)
                }
            ),
            Err(Denied::OtherTenant)
        );
        let roster = |runs_it| Action::ViewSessionRoster { tenant: t, runs_it };
        assert!(authorize(&hr, roster(false)).is_ok());
        assert!(authorize(&instructor, roster(true)).is_ok());
        assert!(
            authorize(&instructor, roster(false)).is_err(),
            "another instructor's session"
        );
        for a in &others[..4] {
            assert!(authorize(a, roster(true)).is_err(), "{:?}", a.roles);
        }
        // A participant's own path is theirs; the material is theirs and HR's.
        let path = |participant| Action::FollowOwnProgramme {
            tenant: t,
            participant,
        };
        let material = |participant| Action::ViewProgrammeMaterial {
            tenant: t,
            participant,
        };
        assert!(authorize(&others[0], path(true)).is_ok());
        assert!(
            authorize(&hr, path(false)).is_err(),
            "HR has no path of their own here"
        );
        assert!(authorize(&others[0], material(true)).is_ok());
        assert!(authorize(&hr, material(false)).is_ok());
        for a in &others {
            assert!(authorize(a, material(false)).is_err(), "{:?}", a.roles);
        }
        assert_eq!(
            authorize(
                &hr,
                Action::ViewProgrammeMaterial {
                    tenant: TenantId(2),
                    participant: true
                }
            ),
            Err(Denied::OtherTenant)
        );
    }

    #[test]
    fn only_the_person_sees_their_anchor_results() {
        let t = TenantId(1);
        let me = Actor {
            user_id: UserId(1),
            tenant_id: t,
            person_id: Some(PersonId(7)),
            roles: RoleSet::new([Role::Hr, Role::Admin]),
        };
        assert!(may_see_anchor_results(&me, t, PersonId(7)));
        assert!(
            !may_see_anchor_results(&me, t, PersonId(8)),
            "not even HR or admin"
        );
        assert!(!may_see_anchor_results(&me, TenantId(2), PersonId(7)));
    }

    #[test]
    fn a_role_model_story_is_seen_by_others_only_with_consent_and_named_only_if_agreed() {
        use crate::role_model::Consent;
        let t = TenantId(1);
        let colleague = PersonId(10);
        let writer = UserId(20);
        let facts = |consent, show_name| StoryFacts {
            tenant: t,
            subject: colleague,
            author: writer,
            consent,
            show_name,
        };
        let someone = Actor {
            user_id: UserId(30),
            tenant_id: t,
            person_id: Some(PersonId(31)),
            roles: RoleSet::default(),
        };
        let them = Actor {
            user_id: UserId(11),
            person_id: Some(colleague),
            ..someone.clone()
        };
        let author = Actor {
            user_id: writer,
            person_id: None,
            roles: RoleSet::new([Role::Consultant]),
            ..someone.clone()
        };
        for c in [Consent::Pending, Consent::Refused, Consent::Withdrawn] {
            assert_eq!(role_model_view(&someone, &facts(c, true)), None, "{c:?}");
            assert_eq!(
                role_model_view(&them, &facts(c, false)),
                Some(StoryView::Full)
            );
            assert_eq!(
                role_model_view(&author, &facts(c, false)),
                Some(StoryView::Full)
            );
        }
        assert_eq!(
            role_model_view(&someone, &facts(Consent::Given, false)),
            Some(StoryView::Published { named: false })
        );
        assert_eq!(
            role_model_view(&someone, &facts(Consent::Given, true)),
            Some(StoryView::Published { named: true })
        );
        let elsewhere = Actor {
            tenant_id: TenantId(2),
            ..someone.clone()
        };
        assert_eq!(
            role_model_view(&elsewhere, &facts(Consent::Given, true)),
            None
        );
        // An external mentor or instructor is not a colleague: no published stories.
        let external = Actor {
            person_id: None,
            ..someone.clone()
        };
        assert_eq!(
            role_model_view(&external, &facts(Consent::Given, true)),
            None
        );
        assert!(may_answer_role_model(
            &them,
            &facts(Consent::Pending, false)
        ));
        assert!(!may_answer_role_model(
            &author,
            &facts(Consent::Pending, false)
        ));
        assert!(!may_answer_role_model(
            &someone,
            &facts(Consent::Pending, false)
        ));
        assert!(may_write_role_model(&author, t));
        assert!(!may_write_role_model(&someone, t));
    }
    use super::*;

    fn facts() -> DialogueFacts {
        DialogueFacts {
            tenant: TenantId(1),
            subject: PersonId(10),
            facilitator: UserId(20),
            subject_reports_to_actor: false,
            scheduled_by_actor: false,
            self_chosen: false,
        }
    }

    #[test]
    fn a_consultation_the_employee_chose_is_hidden_from_their_manager() {
        let manager = Actor {
            user_id: UserId(40),
            person_id: Some(PersonId(41)),
            ..actor(&[Role::Manager])
        };
        let chosen = DialogueFacts {
            subject_reports_to_actor: true,
            self_chosen: true,
            ..facts()
        };
        assert_eq!(dialogue_role(&manager, &chosen), DialogueRole::Outsider);
        let subject = Actor {
            user_id: UserId(30),
            person_id: Some(PersonId(10)),
            ..actor(&[Role::Employee])
        };
        assert_eq!(dialogue_role(&subject, &chosen), DialogueRole::Subject);
        assert!(may_rate_session(DialogueRole::Subject, true, true));
        assert!(!may_rate_session(DialogueRole::Subject, false, true));
        assert!(!may_rate_session(DialogueRole::Facilitator, true, true));
    }

    #[test]
    fn an_employee_books_a_free_future_slot_within_capacity_and_allowance() {
        let me = Actor {
            user_id: UserId(30),
            person_id: Some(PersonId(10)),
            ..actor(&[Role::Employee])
        };
        let ok = ConsultationFacts {
            tenant: me.tenant_id,
            consultant_available: true,
            consultant_person: None,
            consultant_in_line: false,
            slot_free: true,
            slot_in_future: true,
            room_in_month: true,
            used_this_year: 2,
            allowance: Some(3),
        };
        assert_eq!(may_book_consultation(&me, &ok), Ok(()));
        let no_person = Actor {
            person_id: None,
            ..me.clone()
        };
        for (f, want) in [
            (
                ConsultationFacts {
                    consultant_available: false,
                    ..ok
                },
                ConsultationRefusal::Unavailable,
            ),
            (
                ConsultationFacts {
                    consultant_person: Some(PersonId(10)),
                    ..ok
                },
                ConsultationRefusal::WithThemselves,
            ),
            (
                ConsultationFacts {
                    consultant_in_line: true,
                    ..ok
                },
                ConsultationRefusal::InReportingLine,
            ),
            (
                ConsultationFacts {
                    slot_in_future: false,
                    ..ok
                },
                ConsultationRefusal::SlotPast,
            ),
            (
                ConsultationFacts {
                    slot_free: false,
                    ..ok
                },
                ConsultationRefusal::SlotTaken,
            ),
            (
                ConsultationFacts {
                    room_in_month: false,
                    ..ok
                },
                ConsultationRefusal::AtCapacity,
            ),
            (
                ConsultationFacts {
                    used_this_year: 3,
                    ..ok
                },
                ConsultationRefusal::AllowanceUsed,
            ),
            (
                ConsultationFacts {
                    tenant: TenantId(99),
                    ..ok
                },
                ConsultationRefusal::Unavailable,
            ),
        ] {
            assert_eq!(may_book_consultation(&me, &f), Err(want));
        }
        assert_eq!(
            may_book_consultation(&no_person, &ok),
            Err(ConsultationRefusal::NotAnEmployee)
        );
        assert_eq!(
            may_book_consultation(
                &me,
                &ConsultationFacts {
                    allowance: None,
                    used_this_year: 50,
                    ..ok
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn each_party_to_a_dialogue_reads_exactly_what_its_visibility_allows() {
        use crate::dialogue::Visibility::*;
        let consultant = Actor {
            user_id: UserId(20),
            person_id: Some(PersonId(99)),
            ..actor(&[Role::Consultant])
        };
        let subject = Actor {
            user_id: UserId(30),
            person_id: Some(PersonId(10)),
            ..actor(&[Role::Employee])
        };
        let manager = Actor {
            user_id: UserId(40),
            person_id: Some(PersonId(41)),
            ..actor(&[Role::Manager])
        };
        let with_line = DialogueFacts {
            subject_reports_to_actor: true,
            ..facts()
        };
        assert_eq!(
            dialogue_role(&consultant, &facts()),
            DialogueRole::Facilitator
        );
        assert_eq!(dialogue_role(&subject, &facts()), DialogueRole::Subject);
        assert_eq!(
            dialogue_role(&manager, &with_line),
            DialogueRole::SubjectsManager
        );
        assert_eq!(dialogue_role(&manager, &facts()), DialogueRole::Outsider);
        for v in [Private, Shared, ForManager] {
            assert!(may_read_note(DialogueRole::Facilitator, v));
            assert_eq!(
                may_read_note(DialogueRole::Subject, v),
                v != Private,
                "{v:?}"
            );
            assert!(!may_read_note(DialogueRole::SubjectsManager, v), "{v:?}");
            assert!(!may_read_note(DialogueRole::Outsider, v), "{v:?}");
        }
        assert!(may_see_dialogue(DialogueRole::SubjectsManager));
        assert!(!may_see_dialogue(DialogueRole::Outsider));
        assert!(!note_read_is_audited(DialogueRole::Facilitator));
        assert!(note_read_is_audited(DialogueRole::Subject));
        // HR and admin are outsiders to every dialogue by their roles alone.
        for roles in [
            vec![Role::Hr],
            vec![Role::Admin],
            vec![Role::Hr, Role::Admin],
        ] {
            let a = Actor {
                user_id: UserId(50),
                person_id: Some(PersonId(51)),
                ..actor(&roles)
            };
            assert_eq!(
                dialogue_role(&a, &facts()),
                DialogueRole::Outsider,
                "{roles:?}"
            );
        }
        // Another tenant's user with the same ids is an outsider.
        let elsewhere = Actor {
            tenant_id: TenantId(2),
            ..consultant
        };
        assert_eq!(dialogue_role(&elsewhere, &facts()), DialogueRole::Outsider);
    }

    #[test]
    fn hr_who_booked_a_dialogue_sees_its_logistics_but_no_note() {
        use crate::dialogue::Visibility::*;
        let hr = Actor {
            user_id: UserId(50),
            person_id: Some(PersonId(51)),
            ..actor(&[Role::Hr])
        };
        let booked = DialogueFacts {
            scheduled_by_actor: true,
            ..facts()
        };
        assert_eq!(dialogue_role(&hr, &booked), DialogueRole::Scheduler);
        assert!(may_see_dialogue(DialogueRole::Scheduler));
        assert!(may_download_calendar(DialogueRole::Scheduler));
        assert!(!may_download_calendar(DialogueRole::SubjectsManager));
        for v in [Private, Shared, ForManager] {
            assert!(!may_read_note(DialogueRole::Scheduler, v));
        }
        // Booking alone gives an admin, or anyone without HR, nothing.
        let admin = Actor {
            user_id: UserId(50),
            person_id: Some(PersonId(51)),
            ..actor(&[Role::Admin])
        };
        assert_eq!(dialogue_role(&admin, &booked), DialogueRole::Outsider);
        assert_eq!(
            career_sheet_view_in_dialogue(DialogueRole::Facilitator),
            Some(SheetView::Shared)
        );
        for r in [
            DialogueRole::Subject,
            DialogueRole::SubjectsManager,
            DialogueRole::Scheduler,
            DialogueRole::Outsider,
        ] {
            assert_eq!(career_sheet_view_in_dialogue(r), None, "{r:?}");
            assert_eq!(may_record_consent(r), r == DialogueRole::Subject, "{r:?}");
            assert_eq!(may_confirm_consent(r), r == DialogueRole::Subject, "{r:?}");
        }
        assert!(!may_confirm_consent(DialogueRole::Facilitator));
        assert!(may_withdraw_consent(DialogueRole::Subject));
        assert!(!may_withdraw_consent(DialogueRole::SubjectsManager));
    }

    fn booking(kind: crate::dialogue::DialogueKind, roles: &[Role]) -> ScheduleFacts {
        ScheduleFacts {
            tenant: TenantId(1),
            kind,
            facilitator: UserId(1),
            facilitator_is_consultant: roles.contains(&Role::Consultant),
            facilitator_is_mentor: roles.contains(&Role::Mentor),
            facilitator_person: Some(PersonId(1)),
            subject: PersonId(2),
            facilitator_assigned: false,
            subject_reports_to_facilitator: false,
            paired: true,
        }
    }

    #[test]
    fn who_may_facilitate_follows_the_kind_of_dialogue() {
        use crate::dialogue::DialogueKind as K;
        let consultant = actor(&[Role::Consultant]);
        let f = booking(K::CareerInterview, &[Role::Consultant]);
        assert_eq!(
            may_schedule(&consultant, &f),
            Err(ScheduleRefusal::ConsultantNotAssigned)
        );
        let assigned = ScheduleFacts {
            facilitator_assigned: true,
            ..f
        };
        assert_eq!(may_schedule(&consultant, &assigned), Ok(()));
        // An assignment without the consultant role counts for nothing.
        let not_consultant = ScheduleFacts {
            facilitator_is_consultant: false,
            ..assigned
        };
        assert_eq!(
            may_schedule(&actor(&[Role::Employee]), &not_consultant),
            Err(ScheduleRefusal::ConsultantNotAssigned)
        );
        let manager = actor(&[Role::Employee, Role::Manager]);
        let one = booking(K::OneOnOne, &[Role::Employee, Role::Manager]);
        assert_eq!(
            may_schedule(&manager, &one),
            Err(ScheduleRefusal::NotInReportingLine)
        );
        let line = ScheduleFacts {
            subject_reports_to_facilitator: true,
            ..one
        };
        assert_eq!(may_schedule(&manager, &line), Ok(()));
        assert_eq!(
            may_schedule(
                &manager,
                &ScheduleFacts {
                    kind: K::CrossOneOnOne,
                    ..line
                }
            ),
            Err(ScheduleRefusal::SameReportingLine)
        );
        assert_eq!(
            may_schedule(
                &manager,
                &ScheduleFacts {
                    kind: K::CrossOneOnOne,
                    ..one
                }
            ),
            Ok(())
        );
        assert_eq!(
            may_schedule(&manager, &booking(K::MentorOneOnOne, &[Role::Employee])),
            Err(ScheduleRefusal::NotAMentor)
        );
        assert_eq!(
            may_schedule(&manager, &booking(K::MentorOneOnOne, &[Role::Mentor])),
            Ok(())
        );
        // Nobody books with themselves.
        assert_eq!(
            may_schedule(
                &manager,
                &ScheduleFacts {
                    subject: PersonId(1),
                    ..line
                }
            ),
            Err(ScheduleRefusal::WithThemselves)
        );
    }

    #[test]
    fn only_the_facilitator_or_hr_books_and_never_across_tenants() {
        use crate::dialogue::DialogueKind as K;
        let facts = ScheduleFacts {
            facilitator: UserId(9),
            subject_reports_to_facilitator: true,
            ..booking(K::OneOnOne, &[Role::Manager])
        };
        assert_eq!(
            may_schedule(&actor(&[Role::Employee, Role::Manager]), &facts),
            Err(ScheduleRefusal::NotYours)
        );
        assert_eq!(
            may_schedule(&actor(&[Role::Admin]), &facts),
            Err(ScheduleRefusal::NotYours)
        );
        assert_eq!(may_schedule(&actor(&[Role::Hr]), &facts), Ok(()));
        let elsewhere = Actor {
            tenant_id: TenantId(2),
            ..actor(&[Role::Hr])
        };
        assert_eq!(
            may_schedule(&elsewhere, &facts),
            Err(ScheduleRefusal::NotYours)
        );
    }

    #[test]
    fn a_consultant_is_never_assigned_within_their_own_reporting_line() {
        let hr = actor(&[Role::Hr]);
        let facts = AssignmentFacts {
            tenant: TenantId(1),
            is_consultant: true,
            consultant_person: Some(PersonId(7)),
            subject: PersonId(8),
            same_reporting_line: false,
        };
        assert_eq!(may_assign_consultant(&hr, &facts), Ok(()));
        assert_eq!(
            may_assign_consultant(
                &hr,
                &AssignmentFacts {
                    same_reporting_line: true,
                    ..facts
                }
            ),
            Err(AssignmentRefusal::SameReportingLine)
        );
        assert_eq!(
            may_assign_consultant(
                &hr,
                &AssignmentFacts {
                    subject: PersonId(7),
                    ..facts
                }
            ),
            Err(AssignmentRefusal::Themselves)
        );
        assert_eq!(
            may_assign_consultant(
                &hr,
                &AssignmentFacts {
                    is_consultant: false,
                    ..facts
                }
            ),
            Err(AssignmentRefusal::NotAConsultant)
        );
        for roles in [
            vec![Role::Admin],
            vec![Role::Consultant],
            vec![Role::Manager],
        ] {
            assert_eq!(
                may_assign_consultant(&actor(&roles), &facts),
                Err(AssignmentRefusal::NotHr),
                "{roles:?}"
            );
        }
        // An external consultant (no person record) can be assigned to anyone.
        assert_eq!(
            may_assign_consultant(
                &hr,
                &AssignmentFacts {
                    consultant_person: None,
                    ..facts
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn a_feedback_report_goes_only_under_consent_once_and_without_withheld_or_private_words() {
        use crate::dialogue::{Consent, DialogueKind};
        use crate::feedback::{Leak, Parts};
        let parts = Parts {
            motivation: "後輩の育成に関わる役割で力を発揮します".into(),
            ..Parts::default()
        };
        let given = Consent {
            agreed: true,
            withheld: "母の介護のこと".into(),
            withdrawn: false,
            confirmed: true,
        };
        let private = vec!["転勤のある異動には不安が大きい".to_string()];
        let facts = |consent: Option<&'static Consent>| SendFacts {
            role: DialogueRole::Facilitator,
            kind: DialogueKind::CareerInterview,
            consent,
            already_sent: false,
            held: true,
            has_manager: true,
            parts: Box::leak(Box::new(parts.clone())),
            withheld: "母の介護のこと",
            private_notes: Box::leak(Box::new(private.clone())),
        };
        let given: &'static Consent = Box::leak(Box::new(given));
        assert_eq!(may_send_feedback(&facts(Some(given))), Ok(()));
        assert_eq!(may_send_feedback(&facts(None)), Err(SendRefusal::NoConsent));
        let refused: &'static Consent = Box::leak(Box::new(Consent {
            agreed: false,
            ..given.clone()
        }));
        assert_eq!(
            may_send_feedback(&facts(Some(refused))),
            Err(SendRefusal::NoConsent)
        );
        let withdrawn: &'static Consent = Box::leak(Box::new(Consent {
            withdrawn: true,
            ..given.clone()
        }));
        assert_eq!(
            may_send_feedback(&facts(Some(withdrawn))),
            Err(SendRefusal::ConsentWithdrawn)
        );
        let unconfirmed: &'static Consent = Box::leak(Box::new(Consent {
            confirmed: false,
            ..given.clone()
        }));
        assert_eq!(
            may_send_feedback(&facts(Some(unconfirmed))),
            Err(SendRefusal::ConsentUnconfirmed)
        );
        assert_eq!(
            may_send_feedback(&SendFacts {
                already_sent: true,
                ..facts(Some(given))
            }),
            Err(SendRefusal::AlreadySent)
        );
        assert_eq!(
            may_send_feedback(&SendFacts {
                held: false,
                ..facts(Some(given))
            }),
            Err(SendRefusal::NotHeld)
        );
        assert_eq!(
            may_send_feedback(&SendFacts {
                role: DialogueRole::Subject,
                ..facts(Some(given))
            }),
            Err(SendRefusal::NotTheFacilitator)
        );
        assert_eq!(
            may_send_feedback(&SendFacts {
                kind: DialogueKind::OneOnOne,
                ..facts(Some(given))
            }),
            Err(SendRefusal::NotAConsultantSession)
        );
        let leaky = Parts {
            support: "母の介護が落ち着くまで転勤のある異動には配慮を".into(),
            ..Parts::default()
        };
        assert_eq!(
            may_send_feedback(&SendFacts {
                parts: &leaky,
                ..facts(Some(given))
            }),
            Err(SendRefusal::Leaks(vec![
                Leak::Withheld {
                    part: "support",
                    topic: "母の介護".into()
                },
                Leak::PrivateNote { part: "support" }
            ]))
        );
    }

    #[test]
    fn a_report_is_read_by_its_author_its_subject_and_the_manager_it_went_to_while_in_line() {
        let manager = Actor {
            user_id: UserId(5),
            person_id: Some(PersonId(50)),
            ..actor(&[Role::Manager])
        };
        let sent = SentReport {
            tenant: TenantId(1),
            addressed_to: PersonId(50),
            author: UserId(9),
            subject: PersonId(10),
            retracted: false,
        };
        let withdrawn = SentReport {
            retracted: true,
            ..sent
        };
        let read = |a: &Actor, in_line: bool| feedback_view(a, &sent, in_line);
        assert_eq!(read(&manager, true), Some(ReportView::Full));
        assert_eq!(read(&manager, false), None, "no longer their manager");
        // Withdrawn after it was sent: the manager learns only that.
        assert_eq!(
            feedback_view(&manager, &withdrawn, true),
            Some(ReportView::Withdrawn)
        );
        let hr = Actor {
            user_id: UserId(6),
            person_id: Some(PersonId(60)),
            ..actor(&[Role::Hr, Role::Admin])
        };
        assert_eq!(read(&hr, false), None);
        assert_eq!(feedback_view(&hr, &withdrawn, false), None);
        let author = Actor {
            user_id: UserId(9),
            person_id: None,
            ..actor(&[Role::Consultant])
        };
        assert_eq!(read(&author, false), Some(ReportView::Full));
        let subject = Actor {
            user_id: UserId(7),
            person_id: Some(PersonId(10)),
            ..actor(&[Role::Employee])
        };
        // The employee reads every report about them, as sent, withdrawn or not.
        assert_eq!(read(&subject, false), Some(ReportView::Full));
        assert_eq!(
            feedback_view(&subject, &withdrawn, false),
            Some(ReportView::Full)
        );
        let elsewhere = Actor {
            tenant_id: TenantId(2),
            ..subject.clone()
        };
        assert_eq!(feedback_view(&elsewhere, &sent, false), None);
    }

    #[test]
    fn only_the_assigned_consultant_evaluates_behaviour_change() {
        assert!(may_evaluate_behaviour(&actor(&[Role::Consultant]), T, true));
        assert!(!may_evaluate_behaviour(
            &actor(&[Role::Consultant]),
            T,
            false
        ));
        assert!(!may_evaluate_behaviour(
            &actor(&[Role::Consultant]),
            OTHER,
            true
        ));
        for r in [Role::Manager, Role::Hr, Role::Admin, Role::Employee] {
            assert!(!may_evaluate_behaviour(&actor(&[r]), T, true), "{r:?}");
        }
    }

    #[test]
    fn the_question_bank_is_for_those_who_hold_dialogues_and_admin_manages_it() {
        for (roles, browse) in [
            (vec![Role::Employee], false),
            (vec![Role::Instructor], false),
            (vec![Role::Manager], true),
            (vec![Role::Consultant], true),
            (vec![Role::Mentor], true),
            (vec![Role::Hr], true),
            (vec![Role::Admin], true),
        ] {
            let a = actor(&roles);
            assert_eq!(
                authorize(&a, Action::BrowseQuestionBank).is_ok(),
                browse,
                "{roles:?}"
            );
            assert_eq!(
                authorize(
                    &a,
                    Action::ManageQuestionBank {
                        tenant: TenantId(1)
                    }
                )
                .is_ok(),
                roles == vec![Role::Admin],
                "{roles:?}"
            );
        }
        assert!(
            authorize(
                &actor(&[Role::Admin]),
                Action::ManageQuestionBank {
                    tenant: TenantId(2)
                }
            )
            .is_err()
        );
    }

    #[test]
    fn only_the_owner_sees_or_writes_a_career_sheet() {
        let me = actor(&[Role::Employee]);
        assert_eq!(
            career_sheet_view(&me, TenantId(1), PersonId(1)),
            Some(SheetView::Full)
        );
        assert!(may_write_career_sheet(&me, TenantId(1), PersonId(1)));
        assert!(!career_sheet_read_is_audited(&me, PersonId(1)));
        for roles in [
            vec![Role::Manager],
            vec![Role::Hr],
            vec![Role::Admin],
            vec![Role::Consultant],
            vec![Role::Instructor],
            vec![Role::Hr, Role::Admin, Role::Manager, Role::Consultant],
        ] {
            let a = actor(&roles);
            assert_eq!(
                career_sheet_view(&a, TenantId(1), PersonId(2)),
                None,
                "{roles:?}"
            );
            assert!(!may_write_career_sheet(&a, TenantId(1), PersonId(2)));
            assert!(career_sheet_read_is_audited(&a, PersonId(2)));
        }
        // The same person number in another tenant is somebody else.
        assert_eq!(career_sheet_view(&me, TenantId(2), PersonId(1)), None);
        assert!(!may_write_career_sheet(&me, TenantId(2), PersonId(1)));
        let nobody = Actor {
            person_id: None,
            ..actor(&[Role::Admin])
        };
        assert_eq!(career_sheet_view(&nobody, TenantId(1), PersonId(1)), None);
    }

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            user_id: UserId(1),
            tenant_id: TenantId(1),
            person_id: Some(PersonId(1)),
            roles: RoleSet::new(roles.iter().copied()),
        }
    }

    const T: TenantId = TenantId(1);
    const OTHER: TenantId = TenantId(2);

    #[test]
    fn subsidies_are_the_claimants_and_hrs_and_learning_is_seen_up_the_line() {
        let (me, them) = (PersonId(1), PersonId(2));
        let employee = actor(&[Role::Employee]);
        let manager = actor(&[Role::Employee, Role::Manager]);
        let hr = actor(&[Role::Employee, Role::Hr]);
        assert!(may_see_subsidy(&employee, T, me));
        assert!(!may_see_subsidy(&manager, T, them), "not the manager");
        assert!(may_see_subsidy(&hr, T, them));
        assert!(!may_see_subsidy(&hr, OTHER, them));
        assert!(may_decide_subsidy(&hr, T, them));
        assert!(!may_decide_subsidy(&hr, T, me), "never one's own claim");
        assert!(!may_decide_subsidy(&manager, T, them));
        assert!(may_see_learning(&employee, T, Relation::Oneself));
        assert!(may_see_learning(&manager, T, Relation::InReportingLine));
        assert!(!may_see_learning(&manager, T, Relation::Outside));
        assert!(may_see_learning(&hr, T, Relation::Outside));
        assert!(!may_see_learning(&hr, OTHER, Relation::Outside));
    }

    #[test]
    fn manager_cannot_view_a_person_outside_their_line() {
        let m = actor(&[Role::Employee, Role::Manager]);
        assert_eq!(
            authorize(
                &m,
                Action::ViewPerson {
                    tenant: T,
                    relation: Relation::Outside
                }
            ),
            Err(Denied::OutsideReportingLine)
        );
        assert_eq!(
            authorize(
                &m,
                Action::ViewPerson {
                    tenant: T,
                    relation: Relation::InReportingLine
                }
            ),
            Ok(())
        );
        let f = person_fields(&m, Relation::InReportingLine).expect("fields");
        assert!(!f.birth_date && f.ratings);
    }

    #[test]
    fn employee_sees_only_themselves() {
        let e = actor(&[Role::Employee]);
        assert_eq!(
            authorize(
                &e,
                Action::ViewPerson {
                    tenant: T,
                    relation: Relation::Oneself
                }
            ),
            Ok(())
        );
        assert!(
            authorize(
                &e,
                Action::ViewPerson {
                    tenant: T,
                    relation: Relation::Outside
                }
            )
            .is_err()
        );
        // Without the manager role, a stale relation cannot grant access.
        assert!(
            authorize(
                &e,
                Action::ViewPerson {
                    tenant: T,
                    relation: Relation::InReportingLine
                }
            )
            .is_err()
        );
    }

    #[test]
    fn employee_cannot_reach_hr_or_admin_actions() {
        let e = actor(&[Role::Employee, Role::Manager]);
        for a in [
            Action::OpenHome(Role::Hr),
            Action::OpenHome(Role::Admin),
            Action::BrowseDirectory { tenant: T },
            Action::ImportPeople { tenant: T },
            Action::ExportPeople { tenant: T },
            Action::ViewOrganisationFigures { tenant: T },
            Action::ManageUsers { tenant: T },
            Action::ViewAuditLog { tenant: T },
            Action::ExportAuditLog { tenant: T },
            Action::ManageTenantSettings { tenant: T },
        ] {
            assert_eq!(authorize(&e, a), Err(Denied::MissingRole), "{a:?}");
        }
    }

    #[test]
    fn nothing_crosses_tenants_even_for_admin_and_hr() {
        let a = actor(&[Role::Admin, Role::Hr]);
        for act in [
            Action::ViewPerson {
                tenant: OTHER,
                relation: Relation::Outside,
            },
            Action::BrowseDirectory { tenant: OTHER },
            Action::ManageUsers { tenant: OTHER },
            Action::ViewAuditLog { tenant: OTHER },
            Action::ManageTenantSettings { tenant: OTHER },
        ] {
            assert_eq!(authorize(&a, act), Err(Denied::OtherTenant), "{act:?}");
        }
    }

    #[test]
    fn consultants_and_instructors_see_no_profiles_by_role_alone() {
        for r in [Role::Consultant, Role::Instructor, Role::Mentor] {
            let a = actor(&[r]);
            assert!(person_fields(&a, Relation::Outside).is_none());
            assert!(
                authorize(
                    &a,
                    Action::ViewPerson {
                        tenant: T,
                        relation: Relation::Outside
                    }
                )
                .is_err()
            );
        }
    }

    #[test]
    fn admin_sees_identity_but_not_ratings_or_birth_dates() {
        let a = actor(&[Role::Admin]);
        let f = person_fields(&a, Relation::Outside).expect("fields");
        assert!(f.identity && !f.ratings && !f.birth_date);
        assert!(!person_read_is_audited(Relation::Outside, f));
        let hr = person_fields(&actor(&[Role::Hr]), Relation::Outside).expect("fields");
        assert!(person_read_is_audited(Relation::Outside, hr));
        assert!(!person_read_is_audited(Relation::Oneself, hr));
    }

    #[test]
    fn each_home_needs_its_role() {
        let e = actor(&[Role::Employee]);
        assert_eq!(authorize(&e, Action::OpenHome(Role::Employee)), Ok(()));
        for r in [
            Role::Manager,
            Role::Consultant,
            Role::Instructor,
            Role::Hr,
            Role::Admin,
        ] {
            assert!(authorize(&e, Action::OpenHome(r)).is_err());
            assert_eq!(authorize(&actor(&[r]), Action::OpenHome(r)), Ok(()));
        }
    }

    fn pair_facts(kind: crate::pairing::PairKind) -> PairFacts {
        PairFacts {
            tenant: T,
            kind,
            partner: UserId(7),
            partner_person: Some(PersonId(7)),
            partner_is_mentor: false,
            subject: PersonId(8),
            same_reporting_line: false,
            already_open: false,
        }
    }

    fn someone(user: i64, person: Option<i64>, roles: &[Role]) -> Actor {
        Actor {
            user_id: UserId(user),
            tenant_id: T,
            person_id: person.map(PersonId),
            roles: RoleSet::new(roles.iter().copied()),
        }
    }

    #[test]
    fn cross_and_mentor_1on1s_need_a_pair_in_force() {
        use crate::dialogue::DialogueKind as K;
        let employee = actor(&[Role::Employee]);
        let unpaired = ScheduleFacts {
            paired: false,
            ..booking(K::CrossOneOnOne, &[Role::Employee])
        };
        // The reproduced leak: a self-appointed facilitator of a colleague outside their line.
        assert_eq!(
            may_schedule(&employee, &unpaired),
            Err(ScheduleRefusal::NotPaired)
        );
        let mentor = actor(&[Role::Mentor]);
        let unpaired = ScheduleFacts {
            paired: false,
            ..booking(K::MentorOneOnOne, &[Role::Mentor])
        };
        assert_eq!(
            may_schedule(&mentor, &unpaired),
            Err(ScheduleRefusal::NotPaired)
        );
        // HR booking for them is held to the same pair.
        let for_other = ScheduleFacts {
            facilitator: UserId(9),
            ..unpaired
        };
        assert_eq!(
            may_schedule(&actor(&[Role::Hr]), &for_other),
            Err(ScheduleRefusal::NotPaired)
        );
        // A pair does not open the other kinds: the manager's 1on1 still needs the line.
        let one = booking(K::OneOnOne, &[Role::Employee]);
        assert_eq!(
            may_schedule(&employee, &one),
            Err(ScheduleRefusal::NotInReportingLine)
        );
    }

    #[test]
    fn pairs_start_by_invitation_between_the_sides_or_directly_by_hr() {
        use crate::pairing::{PairKind, PairSide};
        let partner = someone(7, Some(7), &[Role::Employee]);
        let subject = someone(8, Some(8), &[Role::Employee]);
        let stranger = someone(9, Some(9), &[Role::Employee, Role::Manager]);
        let hr = someone(10, Some(10), &[Role::Hr]);
        let cross = pair_facts(PairKind::Cross);
        assert_eq!(
            may_pair(&partner, &cross),
            Ok(PairStart::Invite {
                awaiting: PairSide::Subject
            })
        );
        assert_eq!(
            may_pair(&subject, &cross),
            Ok(PairStart::Invite {
                awaiting: PairSide::Partner
            })
        );
        assert_eq!(may_pair(&hr, &cross), Ok(PairStart::Direct));
        assert_eq!(may_pair(&stranger, &cross), Err(PairRefusal::NotYours));
        let admin = someone(11, None, &[Role::Admin]);
        assert_eq!(may_pair(&admin, &cross), Err(PairRefusal::NotYours));
        let elsewhere = Actor {
            tenant_id: OTHER,
            ..hr.clone()
        };
        assert_eq!(may_pair(&elsewhere, &cross), Err(PairRefusal::NotYours));
        assert_eq!(
            may_pair(
                &partner,
                &PairFacts {
                    same_reporting_line: true,
                    ..cross
                }
            ),
            Err(PairRefusal::SameReportingLine)
        );
        assert_eq!(
            may_pair(
                &hr,
                &PairFacts {
                    subject: PersonId(7),
                    ..cross
                }
            ),
            Err(PairRefusal::WithThemselves)
        );
        assert_eq!(
            may_pair(
                &hr,
                &PairFacts {
                    partner_person: None,
                    ..cross
                }
            ),
            Err(PairRefusal::NoPerson)
        );
        assert_eq!(
            may_pair(
                &subject,
                &PairFacts {
                    already_open: true,
                    ..cross
                }
            ),
            Err(PairRefusal::AlreadyPaired)
        );
        // Mentors: the employee invites, HR pairs; a mentor never reaches out by number.
        let mentor = someone(7, None, &[Role::Mentor]);
        let m = PairFacts {
            partner_person: None,
            partner_is_mentor: true,
            ..pair_facts(PairKind::Mentor)
        };
        assert_eq!(may_pair(&mentor, &m), Err(PairRefusal::NotYours));
        assert_eq!(
            may_pair(&subject, &m),
            Ok(PairStart::Invite {
                awaiting: PairSide::Partner
            })
        );
        assert_eq!(may_pair(&hr, &m), Ok(PairStart::Direct));
        assert_eq!(
            may_pair(
                &hr,
                &PairFacts {
                    partner_is_mentor: false,
                    ..m
                }
            ),
            Err(PairRefusal::NotAMentor)
        );
    }

    #[test]
    fn only_the_awaited_side_answers_and_only_the_subject_chooses_sections() {
        use crate::pairing::PairSide;
        let p = PairParties {
            tenant: T,
            partner: UserId(7),
            subject: PersonId(8),
        };
        let partner = someone(7, Some(7), &[Role::Employee]);
        let subject = someone(8, Some(8), &[Role::Employee]);
        let hr = someone(10, Some(10), &[Role::Hr]);
        let stranger = someone(9, Some(9), &[Role::Employee, Role::Manager]);
        assert!(may_respond_to_pair(&subject, &p, PairSide::Subject));
        assert!(!may_respond_to_pair(&partner, &p, PairSide::Subject));
        assert!(!may_respond_to_pair(&hr, &p, PairSide::Subject));
        assert!(!may_respond_to_pair(&stranger, &p, PairSide::Partner));
        assert!(may_respond_to_pair(&partner, &p, PairSide::Partner));
        for a in [&partner, &subject, &hr] {
            assert!(may_see_pair(a, &p));
            assert!(may_end_pair(a, &p));
        }
        assert!(!may_see_pair(&stranger, &p));
        assert!(!may_end_pair(&stranger, &p));
        assert!(may_choose_pair_sections(&subject, &p));
        for a in [&partner, &hr, &stranger] {
            assert!(!may_choose_pair_sections(a, &p));
        }
        let elsewhere = Actor {
            tenant_id: OTHER,
            ..subject.clone()
        };
        assert!(!may_choose_pair_sections(&elsewhere, &p));
        assert!(!may_see_pair(&elsewhere, &p));
    }

    #[test]
    fn a_partner_prepares_with_the_chosen_sections_and_nothing_without_a_pair() {
        use crate::career_sheet::Section;
        use crate::dialogue::DialogueKind as K;
        let f = DialogueRole::Facilitator;
        assert_eq!(
            sheet_sections_in_dialogue(f, K::CareerInterview, None),
            Section::ALL.to_vec()
        );
        assert_eq!(
            sheet_sections_in_dialogue(f, K::OneOnOne, None),
            Section::ALL.to_vec()
        );
        for k in [K::CrossOneOnOne, K::MentorOneOnOne] {
            assert!(sheet_sections_in_dialogue(f, k, None).is_empty());
            assert_eq!(
                sheet_sections_in_dialogue(f, k, Some(&[Section::Skills])),
                vec![Section::Skills]
            );
        }
        for r in [
            DialogueRole::Subject,
            DialogueRole::SubjectsManager,
            DialogueRole::Scheduler,
            DialogueRole::Outsider,
        ] {
            assert!(sheet_sections_in_dialogue(r, K::CareerInterview, None).is_empty());
            assert!(
                sheet_sections_in_dialogue(r, K::CrossOneOnOne, Some(&Section::ALL)).is_empty()
            );
        }
    }

    #[test]
    fn employees_ask_their_manager_or_assigned_consultant_and_only_the_addressee_answers() {
        use crate::request::RequestKind;
        let employee = someone(8, Some(8), &[Role::Employee]);
        let external = someone(9, None, &[Role::Mentor]);
        let f = |kind, manager, assigned| RequestFacts {
            tenant: T,
            kind,
            addressee_is_manager: manager,
            addressee_is_assigned_consultant: assigned,
        };
        assert_eq!(
            may_request(&employee, &f(RequestKind::OneOnOne, true, false)),
            Ok(())
        );
        assert_eq!(
            may_request(&employee, &f(RequestKind::OneOnOne, false, true)),
            Err(RequestRefusal::NotYourManager)
        );
        assert_eq!(
            may_request(&employee, &f(RequestKind::CareerInterview, true, false)),
            Err(RequestRefusal::ConsultantNotAssigned)
        );
        assert_eq!(
            may_request(&employee, &f(RequestKind::CareerInterview, false, true)),
            Ok(())
        );
        assert_eq!(
            may_request(&external, &f(RequestKind::OneOnOne, true, true)),
            Err(RequestRefusal::NotAnEmployee)
        );
        let elsewhere = Actor {
            tenant_id: OTHER,
            ..employee.clone()
        };
        assert_eq!(
            may_request(&elsewhere, &f(RequestKind::OneOnOne, true, true)),
            Err(RequestRefusal::NotAnEmployee)
        );
        let p = RequestParties {
            tenant: T,
            requester: PersonId(8),
            addressee: UserId(5),
        };
        let manager = someone(5, Some(5), &[Role::Employee, Role::Manager]);
        let hr = someone(10, Some(10), &[Role::Hr, Role::Admin]);
        assert!(may_answer_request(&manager, &p));
        assert!(!may_answer_request(&employee, &p));
        assert!(!may_answer_request(&hr, &p));
        assert!(may_withdraw_request(&employee, &p));
        assert!(!may_withdraw_request(&manager, &p));
        assert!(may_see_request(&employee, &p) && may_see_request(&manager, &p));
        assert!(!may_see_request(&hr, &p));
        let manager_elsewhere = Actor {
            tenant_id: OTHER,
            ..manager.clone()
        };
        assert!(!may_answer_request(&manager_elsewhere, &p));
    }

    #[test]
    fn an_application_is_hidden_from_the_line_above_until_revealed_whatever_else_they_are() {
        let t = TenantId(1);
        let actor = |user: i64, person: i64, roles: &[Role]| Actor {
            user_id: UserId(user),
            tenant_id: t,
            person_id: Some(PersonId(person)),
            roles: RoleSet::new(roles.iter().copied()),
        };
        let facts = |above: bool, revealed: bool| ApplicationFacts {
            tenant: t,
            applicant: PersonId(10),
            hiring_manager: UserId(2),
            actor_above_applicant: above,
            revealed,
        };
        let applicant = actor(1, 10, &[Role::Employee]);
        let hiring = actor(2, 20, &[Role::Manager]);
        let hr = actor(3, 30, &[Role::Hr]);
        let manager = actor(4, 40, &[Role::Manager]);
        let colleague = actor(5, 50, &[Role::Employee]);
        let admin = actor(6, 60, &[Role::Admin]);
        for revealed in [false, true] {
            let f = facts(false, revealed);
            assert_eq!(
                application_view(&applicant, &f),
                Some(ApplicationView::Applicant)
            );
            assert_eq!(application_view(&hiring, &f), Some(ApplicationView::Hiring));
            assert_eq!(application_view(&hr, &f), Some(ApplicationView::Hiring));
            for nobody in [&colleague, &admin, &manager] {
                assert_eq!(application_view(nobody, &f), None, "{nobody:?}");
            }
        }
        // The current manager (and the line above): nothing before the reveal stage,
        // even when they are in HR or are the posting's hiring manager.
        for above in [
            &manager,
            &actor(7, 70, &[Role::Manager, Role::Hr]),
            &actor(2, 20, &[Role::Manager]),
        ] {
            assert_eq!(
                application_view(above, &facts(true, false)),
                None,
                "{above:?}"
            );
            assert_eq!(
                application_view(above, &facts(true, true)),
                Some(ApplicationView::LineAbove)
            );
        }
        // Another company's HR sees nothing.
        let other = Actor {
            tenant_id: TenantId(2),
            ..hr.clone()
        };
        assert_eq!(application_view(&other, &facts(false, true)), None);
        // Publishing and managing postings.
        assert!(may_publish_posting(&hr, t) && may_publish_posting(&manager, t));
        assert!(!may_publish_posting(&colleague, t) && !may_publish_posting(&admin, t));
        assert!(may_manage_posting(&hiring, t, UserId(2)) && may_manage_posting(&hr, t, UserId(2)));
        assert!(!may_manage_posting(&manager, t, UserId(2)));
        assert!(!may_manage_posting(&other, t, UserId(2)));
        assert!(may_apply_to_posting(&colleague, t));
        let external = Actor {
            person_id: None,
            ..actor(8, 0, &[Role::Instructor])
        };
        assert!(!may_apply_to_posting(&external, t));
    }

    #[test]
    fn an_fa_declaration_is_never_seen_by_the_declarants_line_or_department() {
        let t = TenantId(1);
        let declarant = PersonId(10);
        let actor = |user: i64, person: Option<i64>, roles: &[Role]| Actor {
            user_id: UserId(user),
            tenant_id: t,
            person_id: person.map(PersonId),
            roles: RoleSet::new(roles.iter().copied()),
        };
        let facts = |above: bool, department: bool, active: bool| DeclarationFacts {
            tenant: t,
            declarant,
            actor_above_declarant: above,
            actor_in_declarants_department: department,
            active,
        };
        let me = actor(1, Some(10), &[Role::Employee]);
        let scout = actor(2, Some(20), &[Role::Employee, Role::Manager]);
        let hr = actor(3, Some(30), &[Role::Employee, Role::Hr]);
        let colleague = actor(4, Some(40), &[Role::Employee]);
        let free = facts(false, false, true);
        assert_eq!(
            declaration_view(&me, &free),
            Some(DeclarationView::Declarant)
        );
        assert_eq!(
            declaration_view(&scout, &free),
            Some(DeclarationView::Scout)
        );
        assert_eq!(declaration_view(&hr, &free), Some(DeclarationView::Hr));
        assert_eq!(
            declaration_view(&colleague, &free),
            None,
            "not a hiring manager"
        );
        // Expired: scouts no longer see it; HR keeps the record.
        assert_eq!(declaration_view(&scout, &facts(false, false, false)), None);
        assert_eq!(
            declaration_view(&hr, &facts(false, false, false)),
            Some(DeclarationView::Hr)
        );
        // The line above and the own department never, whatever their roles.
        for f in [facts(true, false, true), facts(false, true, true)] {
            assert_eq!(declaration_view(&scout, &f), None);
            assert_eq!(declaration_view(&hr, &f), None);
        }
        assert_eq!(
            declaration_view(&me, &facts(true, true, false)),
            Some(DeclarationView::Declarant)
        );
        // Another tenant sees nothing.
        let other = Actor {
            tenant_id: TenantId(2),
            ..hr.clone()
        };
        assert_eq!(declaration_view(&other, &free), None);
    }
}
