//! Table and column names, shared by migrations and queries.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Tenants {
    Table,
    Id,
    Slug,
    Name,
    FyStartMonth,
    AgeRule,
    AnonymityK,
    RatingScale,
    DirectoryVersion,
    CreatedAt,
    ConsultationsPerYear,
    ConsultantProfilesVersion,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    TenantId,
    Email,
    Name,
    PersonId,
    PasswordHash,
    Disabled,
    FailedAttempts,
    LockedUntil,
    SessionsValidAfter,
    LastSignInAt,
    CreatedAt,
    /// ja or en; unset: the browser's (migration 39).
    Language,
    /// Where notices go: email, in_app or both; unset: both (migration 39).
    Notify,
    /// The chat service of the user's own webhook: slack or teams (migration 39).
    ChatService,
    /// The user's own incoming-webhook address (migration 39).
    ChatUrl,
    /// SHA-256 of the secret in the user's private calendar feed address (migration 39).
    CalendarFeedHash,
    /// SCIM (migration 40): the identity provider's id for the account.
    ExternalId,
    /// SCIM: the attributes the provider wrote besides the address (JSON).
    Scim,
    /// SCIM: when the provider deleted the account (it stays, disabled).
    ScimDeletedAt,
    /// SCIM: when the provider last wrote the account.
    ScimUpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UserRoles {
    Table,
    TenantId,
    UserId,
    Role,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ApiTokens {
    Table,
    Id,
    TenantId,
    UserId,
    Label,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
    /// read or write; unset: write (migration 39).
    Scope,
    /// When the token stops working; unset: never (migration 39).
    ExpiresAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Departments {
    Table,
    Id,
    TenantId,
    Code,
    Name,
    ParentId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum People {
    Table,
    Id,
    TenantId,
    EmployeeNumber,
    Name,
    NameKana,
    Email,
    BirthDate,
    HireDate,
    DepartmentId,
    Title,
    Grade,
    ManagerId,
    Status,
    /// Since when the person is in their current department: set by an import that
    /// moves them (migration 37); unset means since their hire date.
    DepartmentSince,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Ratings {
    Table,
    TenantId,
    PersonId,
    FiscalYear,
    Rating,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AuditLog {
    Table,
    Id,
    TenantId,
    At,
    ActorUserId,
    ActorEmail,
    Action,
    TargetType,
    TargetId,
    Ip,
    RequestId,
    Detail,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Imports {
    Table,
    Id,
    TenantId,
    At,
    ActorUserId,
    ActorEmail,
    FileName,
    Source,
    Rows,
    Added,
    Updated,
    Unchanged,
    MarkedLeft,
    Full,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PendingImports {
    Table,
    Id,
    TenantId,
    UserId,
    CreatedAt,
    FileName,
    Full,
    Content,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CareerSheetVersions {
    Table,
    Id,
    TenantId,
    PersonId,
    Version,
    Content,
    SavedAt,
    SavedByUserId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CareerSheetDrafts {
    Table,
    TenantId,
    PersonId,
    BaseVersion,
    Content,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum TenantQuestions {
    Table,
    Id,
    TenantId,
    Category,
    TextJa,
    TextEn,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultantAssignments {
    Table,
    Id,
    TenantId,
    ConsultantUserId,
    PersonId,
    AssignedAt,
    AssignedByUserId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueSeries {
    Table,
    Id,
    TenantId,
    Cadence,
    Count,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Dialogues {
    Table,
    Id,
    TenantId,
    Kind,
    SubjectPersonId,
    FacilitatorUserId,
    StartsAt,
    DurationMinutes,
    Place,
    State,
    SeriesId,
    CreatedByUserId,
    CreatedAt,
    ClosedAt,
    SubjectRating,
    SubjectReflection,
    ReflectedAt,
    /// The calendar invitation's SEQUENCE: raised by each change (migration 39).
    CalendarSeq,
    /// An invitation or cancellation waits to be e-mailed to the attendees (migration 39).
    CalendarDue,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueNotes {
    Table,
    Id,
    TenantId,
    DialogueId,
    AuthorUserId,
    Visibility,
    CarryOver,
    QuestionCategory,
    Body,
    Revision,
    AfterClose,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueNoteRevisions {
    Table,
    Id,
    TenantId,
    NoteId,
    DialogueId,
    Revision,
    Visibility,
    CarryOver,
    Body,
    WrittenAt,
    ReplacedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueTopics {
    Table,
    Id,
    TenantId,
    DialogueId,
    AuthorUserId,
    Wanted,
    Body,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueConsents {
    Table,
    Id,
    TenantId,
    DialogueId,
    Event,
    Withheld,
    RecordedByUserId,
    RecordedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Commitments {
    Table,
    Id,
    TenantId,
    DialogueId,
    SubjectPersonId,
    Version,
    SupersedesId,
    Replaced,
    Content,
    StartsOn,
    DueOn,
    Objective,
    HasStart,
    RecordedByUserId,
    RecordedAt,
    ConfirmedAt,
    Status,
    StatusReason,
    StatusAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueOutcome {
    Outcome,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FeedbackReports {
    Table,
    Id,
    TenantId,
    DialogueId,
    SubjectPersonId,
    AuthorUserId,
    Content,
    CreatedAt,
    UpdatedAt,
    SentAt,
    AddressedToPersonId,
    AcknowledgedAt,
    Support,
    SupportAt,
    RetractedAt,
}

/// Columns added by migration 12.
#[derive(Iden, Clone, Copy)]
pub(crate) enum VisionColumns {
    Vision,
    VisionHorizon,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AutonomyColumn {
    AutonomyDefinition,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum BehaviourEvaluations {
    Table,
    Id,
    TenantId,
    PersonId,
    FiscalYear,
    Level,
    Reason,
    ManagerInput,
    EvaluatedByUserId,
    EvaluatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum WorksheetItems {
    Table,
    Id,
    TenantId,
    DialogueId,
    Side,
    Text,
    Weight,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GraceColumn {
    CheckInGraceDays,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Jobs {
    Table,
    Id,
    TenantId,
    Kind,
    Key,
    Payload,
    State,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}

/// Columns added by migration 16: when the follow-up asked about a commitment, and when
/// the people in a dialogue were reminded of it.
#[derive(Iden, Clone, Copy)]
pub(crate) enum FollowUpColumns {
    CheckInAskedAt,
    RemindedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum RoleModelStories {
    Table,
    Id,
    TenantId,
    SubjectPersonId,
    AuthorUserId,
    Title,
    Body,
    Anchor,
    Themes,
    Outcome,
    Consent,
    ShowName,
    CreatedAt,
    ConsentAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AnchorResults {
    Table,
    Id,
    TenantId,
    PersonId,
    Ratings,
    Picks,
    TakenAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Programmes {
    Table,
    Id,
    TenantId,
    FiscalYear,
    Name,
    Template,
    Rule,
    Mandatory,
    PreLearning,
    GroupMin,
    GroupMax,
    CreatedByUserId,
    CreatedAt,
    CancelledAt,
    CancelledByUserId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ProgrammeParticipants {
    Table,
    Id,
    TenantId,
    ProgrammeId,
    PersonId,
    AddedAt,
    LateJoiner,
    PreLearningDoneAt,
    SessionId,
    Pinned,
    GroupNo,
    /// 研修後アンケート answered (whether only; the answer is in `training_feedback`).
    FeedbackGiven,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum TrainingSessions {
    Table,
    Id,
    TenantId,
    ProgrammeId,
    StartsAt,
    EndsAt,
    Place,
    Capacity,
    InstructorUserId,
    Style,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ProgrammeFiles {
    Table,
    Id,
    TenantId,
    ProgrammeId,
    FileName,
    ContentType,
    Bytes,
    Size,
    UploadedByUserId,
    UploadedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SignInThrottles {
    Table,
    Id,
    TenantId,
    Kind,
    Subject,
    Failures,
    LastFailureAt,
    BlockedUntil,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultantDiagnoses {
    Table,
    Id,
    TenantId,
    PersonId,
    Themes,
    OwnWords,
    Style,
    AgeBand,
    Gender,
    Industry,
    Setting,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultantProfiles {
    Table,
    Id,
    TenantId,
    UserId,
    DisplayName,
    Kana,
    RegistrationNumber,
    Certifications,
    YearsOfPractice,
    Themes,
    Industries,
    JobFamilies,
    AgeBand,
    Gender,
    Style,
    Message,
    Languages,
    CapacityPerMonth,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Pairs {
    Table,
    Id,
    TenantId,
    Kind,
    PartnerUserId,
    SubjectPersonId,
    Status,
    Awaiting,
    Message,
    Sections,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
    ProgrammeId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueRequests {
    Table,
    Id,
    TenantId,
    Kind,
    RequesterPersonId,
    AddresseeUserId,
    Slots,
    Message,
    Status,
    Answer,
    DialogueId,
    CreatedAt,
    AnsweredAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Notifications {
    Table,
    Id,
    TenantId,
    UserId,
    Key,
    Args,
    Path,
    JobKey,
    CreatedAt,
    ReadAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultantSlots {
    Table,
    Id,
    TenantId,
    UserId,
    StartsAt,
    DurationMinutes,
    Setting,
    DialogueId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultationChoices {
    Table,
    Id,
    TenantId,
    PersonId,
    ConsultantUserId,
    Source,
    ChosenAt,
    EndedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultationRatings {
    Table,
    Id,
    TenantId,
    DialogueId,
    ConsultantUserId,
    Level,
    Again,
    RatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Invitations {
    Table,
    Id,
    TenantId,
    UserId,
    TokenHash,
    CreatedByUserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    /// reset: a password reset; unset: an invitation (migration 39).
    Purpose,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsultantPhotos {
    Table,
    Id,
    TenantId,
    UserId,
    ContentType,
    Bytes,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SurveyQuestionnaires {
    Table,
    TenantId,
    Kind,
    Questionnaire,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Surveys {
    Table,
    Id,
    TenantId,
    Kind,
    Title,
    FiscalYear,
    Population,
    Questionnaire,
    OpenedAt,
    OpenedBy,
    ClosesOn,
    ClosedAt,
    Reminders,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SurveyTargets {
    Table,
    TenantId,
    SurveyId,
    PersonId,
    Answered,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SurveyAnswers {
    Table,
    Id,
    TenantId,
    SurveyId,
    DepartmentId,
    AgeBand,
    Grade,
    Answers,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ConcernThemes {
    Table,
    TenantId,
    Key,
    LabelJa,
    LabelEn,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DialogueConcerns {
    Table,
    TenantId,
    DialogueId,
    Theme,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum KpiCounts {
    Table,
    TenantId,
    FiscalYear,
    DepartmentId,
    Kpi,
    NumMilli,
    Den,
    People,
    Hidden,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum OrgReports {
    Table,
    TenantId,
    Report,
    K,
    Grades,
    Columns,
    CountedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum OrgReportUnits {
    Table,
    TenantId,
    Report,
    DepartmentId,
    ParentId,
    Code,
    Name,
    HasChildren,
    Cells,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum KpiYears {
    Table,
    TenantId,
    FiscalYear,
    ComputedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum TrainingFeedback {
    Table,
    Id,
    TenantId,
    ProgrammeId,
    Style,
    Segment,
    Useful,
    Fit,
    Topics,
}

/// 社内公募: internal postings (migration 37).
#[derive(Iden, Clone, Copy)]
pub(crate) enum Postings {
    Table,
    Id,
    TenantId,
    DepartmentId,
    HiringManagerUserId,
    Title,
    Grades,
    Work,
    Required,
    Welcome,
    Criteria,
    Headcount,
    OpensOn,
    ClosesOn,
    Stages,
    RevealAt,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
    /// Taken down before its close date (no new applications; applications go on).
    WithdrawnAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PostingSaves {
    Table,
    TenantId,
    PostingId,
    PersonId,
    SavedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PostingApplications {
    Table,
    Id,
    TenantId,
    PostingId,
    PersonId,
    Motivation,
    Status,
    Stage,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PostingOutcomes {
    Table,
    Id,
    TenantId,
    ApplicationId,
    Stage,
    Outcome,
    Reason,
    RecordedByUserId,
    RecordedAt,
}

/// The column migration 37 adds to `tenants`.
#[derive(Iden, Clone, Copy)]
pub(crate) enum PostingColumns {
    /// The company's eligibility rule: whole months in one's department before applying.
    PostingMinMonths,
}

/// 社内FA: declarations (migration 37).
#[derive(Iden, Clone, Copy)]
pub(crate) enum FaDeclarations {
    Table,
    Id,
    TenantId,
    PersonId,
    Wants,
    Experience,
    DeclaredOn,
    ExpiresOn,
    WithdrawnAt,
    CreatedAt,
}

/// 社内FA: a hiring manager's interview requests to a declarant (migration 37).
#[derive(Iden, Clone, Copy)]
pub(crate) enum FaRequests {
    Table,
    Id,
    TenantId,
    DeclarationId,
    FromUserId,
    Message,
    Status,
    Answer,
    CreatedAt,
    AnsweredAt,
}

/// 副業・兼業: applications (migration 37).
#[derive(Iden, Clone, Copy)]
pub(crate) enum SideJobs {
    Table,
    Id,
    TenantId,
    PersonId,
    Field,
    Client,
    Work,
    HoursPerMonth,
    StartsOn,
    EndsOn,
    PledgedAt,
    Status,
    Reason,
    DecidedByUserId,
    DecidedAt,
    Report,
    ReportedAt,
    CreatedAt,
    UpdatedAt,
}

/// 学ぶ: the course catalogue (migration 38).
#[derive(Iden, Clone, Copy)]
pub(crate) enum Courses {
    Table,
    Id,
    TenantId,
    Title,
    Kind,
    Provider,
    Description,
    Url,
    Tags,
    Hours,
    Retired,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
}

/// 学ぶ: completions and the notes on using them at work (migration 38).
#[derive(Iden, Clone, Copy)]
pub(crate) enum CourseCompletions {
    Table,
    Id,
    TenantId,
    PersonId,
    CourseId,
    CompletedOn,
    EmployeeUse,
    EmployeeUseAt,
    ManagerUse,
    ManagerUseByUserId,
    ManagerUseAt,
    RecordedByUserId,
    CreatedAt,
}

/// 資格取得支援: claims with their receipt (migration 38).
#[derive(Iden, Clone, Copy)]
pub(crate) enum SubsidyClaims {
    Table,
    Id,
    TenantId,
    PersonId,
    Certification,
    ExamOn,
    FiscalYear,
    FeeYen,
    AmountYen,
    Note,
    ReceiptName,
    ReceiptType,
    Receipt,
    Status,
    Reason,
    DecidedByUserId,
    DecidedAt,
    PaidOn,
    CreatedAt,
    UpdatedAt,
}

/// The column migration 38 adds to `tenants` for the subsidy rules (JSON).
#[derive(Iden, Clone, Copy)]
pub(crate) enum LearningColumns {
    SubsidyRules,
}

/// The column migration 39 adds to `tenants`: the chat services people may connect
/// (JSON list).
#[derive(Iden, Clone, Copy)]
pub(crate) enum ChatColumns {
    ChatServices,
}

/// The column migration 37 adds to `tenants` for the side-job rules (JSON).
#[derive(Iden, Clone, Copy)]
pub(crate) enum SideJobColumns {
    SideJobRules,
}

/// 会社の方針: each version of the company's policy (migration 37).
#[derive(Iden, Clone, Copy)]
pub(crate) enum CompanyPolicies {
    Table,
    Id,
    TenantId,
    Version,
    Message,
    Notes,
    WrittenByUserId,
    WrittenAt,
}

/// シングルサインオン: each company's OpenID Connect provider (migration 40); the client
/// secret is sealed.
#[derive(Iden, Clone, Copy)]
pub(crate) enum TenantSso {
    Table,
    Id,
    TenantId,
    Issuer,
    ClientId,
    ClientSecret,
    EmailClaim,
    CreateUsers,
    SsoOnly,
    BreakGlassUserId,
    UpdatedAt,
}

/// SCIM groups (migration 40): a group named after a role gives it to its members.
#[derive(Iden, Clone, Copy)]
pub(crate) enum ScimGroups {
    Table,
    Id,
    TenantId,
    DisplayName,
    ExternalId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ScimGroupMembers {
    Table,
    Id,
    TenantId,
    GroupId,
    UserId,
}

/// The columns migration 40 adds to `tenants`: the SCIM bearer token's digest.
#[derive(Iden, Clone, Copy)]
pub(crate) enum ScimColumns {
    ScimTokenHash,
    ScimTokenAt,
}
