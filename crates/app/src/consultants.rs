//! Consultants (キャリアコンサルタント) as people of their own: each keeps a profile for
//! employees to choose from; HR lists them and suspends or restores an account. Every
//! step asks `domain::policy` and is audited. HR's list holds profiles and account
//! states only — never who consults whom.

use crate::{Caller, Error};
use domain::UserId;
use domain::audit::AuditAction;
use domain::consultant::{Diagnosis, Profile};
use domain::policy::{self, Action};
use store::Store;
use store::audit::NewAuditEntry;
use store::consultants::ConsultantEntry;

/// The caller's own profile, if they wrote one (consultants only).
pub async fn my_profile(store: &Store, caller: &Caller) -> Result<Option<Profile>, Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    Ok(store
        .consultant_profile(caller.actor.tenant_id, caller.actor.user_id)
        .await?
        .map(|(p, _)| p))
}

/// Writes the caller's own profile (already checked by `domain::consultant::
/// parse_profile`), audited.
pub async fn save_profile(store: &Store, caller: &Caller, profile: &Profile) -> Result<(), Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    store
        .save_consultant_profile(tenant, caller.actor.user_id, profile)
        .await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::ConsultantProfileChanged)
                .target("user", caller.actor.user_id.0),
        )
        .await?;
    Ok(())
}

/// A consultant's profile as employees read it, with their account name: not found for
/// anyone who is not a consultant, has no profile yet, or is suspended (HR still sees a
/// suspended one, and a consultant always sees their own).
pub async fn profile_of(store: &Store, caller: &Caller, user: UserId) -> Result<Profile, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ReadConsultantProfile { tenant })
        .map_err(|_| Error::Forbidden)?;
    let target = match store.user(tenant, user).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Err(Error::NotFound("consultant")),
        Err(e) => return Err(e.into()),
    };
    let is_consultant = crate::actor_for(store, &target)
        .await?
        .has(domain::Role::Consultant);
    let sees_suspended = caller.actor.has(domain::Role::Hr) || caller.actor.user_id == user;
    if !is_consultant || (target.disabled && !sees_suspended) {
        return Err(Error::NotFound("consultant"));
    }
    store
        .consultant_profile(tenant, user)
        .await?
        .map(|(p, _)| p)
        .ok_or(Error::NotFound("consultant"))
}

/// The company's consultants with their profiles (HR).
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<ConsultantEntry>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(store.consultants(tenant).await?)
}

/// HR suspends (or restores) a consultant's account: suspended, they cannot sign in and
/// their sessions end. Not found in another tenant; forbidden for anyone but a
/// consultant who runs neither HR nor administration. True when something changed.
pub async fn suspend(
    store: &Store,
    caller: &Caller,
    user: UserId,
    suspended: bool,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    let target = match store.user(tenant, user).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Err(Error::NotFound("user")),
        Err(e) => return Err(e.into()),
    };
    let roles = crate::actor_for(store, &target).await?.roles;
    let roles: Vec<domain::Role> = domain::Role::ALL
        .into_iter()
        .filter(|r| roles.contains(*r))
        .collect();
    if !policy::may_suspend_consultant(&caller.actor, user, &roles) {
        return Err(Error::Forbidden);
    }
    if target.disabled == suspended {
        return Ok(false);
    }
    store.set_user_disabled(tenant, user, suspended).await?;
    store.bump_profiles_version(tenant).await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(
                Some(tenant),
                if suspended {
                    AuditAction::UserDisabled
                } else {
                    AuditAction::UserEnabled
                },
            )
            .target("user", user.0),
        )
        .await?;
    Ok(true)
}

/// The caller's own values diagnosis (価値観診断), if taken, with when; and their
/// strongest anchors from their latest inventory, if any (the diagnosis reads the
/// anchor profile rather than asking again). Only for someone in the employee master.
pub async fn my_diagnosis(store: &Store, caller: &Caller) -> Result<MyDiagnosis, Error> {
    policy::authorize(&caller.actor, Action::KeepOwnDiagnosis).map_err(|_| Error::Forbidden)?;
    let tenant = caller.actor.tenant_id;
    let person = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let diagnosis = store.diagnosis_of(tenant, person).await?;
    let anchors = store
        .anchor_results_of(tenant, person)
        .await?
        .into_iter()
        .max_by_key(|r| r.taken_at)
        .map(|r| (domain::anchor::score(&r.sheet).dominant, r.taken_at));
    Ok(MyDiagnosis { diagnosis, anchors })
}

/// What [`my_diagnosis`] answers.
pub struct MyDiagnosis {
    pub diagnosis: Option<(Diagnosis, chrono::DateTime<chrono::Utc>)>,
    /// The strongest anchors (ties as ties) and when the inventory was taken.
    pub anchors: Option<(Vec<domain::anchor::Anchor>, chrono::DateTime<chrono::Utc>)>,
}

/// Saves the caller's own diagnosis (already checked by `parse_diagnosis`), replacing
/// the one before.
pub async fn save_diagnosis(store: &Store, caller: &Caller, d: &Diagnosis) -> Result<(), Error> {
    policy::authorize(&caller.actor, Action::KeepOwnDiagnosis).map_err(|_| Error::Forbidden)?;
    let person = caller.actor.person_id.ok_or(Error::Forbidden)?;
    store
        .save_diagnosis(caller.actor.tenant_id, person, d)
        .await?;
    Ok(())
}

// ----- import -----

/// The columns of a profile file: (field, Japanese header). The English field name is
/// accepted as a header too.
pub const IMPORT_COLUMNS: [(&str, &str); 15] = [
    ("email", "メールアドレス"),
    ("display_name", "表示名"),
    ("kana", "よみがな"),
    ("registration_number", "登録番号"),
    ("certifications", "その他の資格"),
    ("years_of_practice", "経験年数"),
    ("themes", "得意なテーマ"),
    ("industries", "経験のある業界"),
    ("job_families", "経験のある職種"),
    ("age_band", "年代"),
    ("gender", "性別"),
    ("style", "相談の進め方"),
    ("message", "メッセージ"),
    ("languages", "言語"),
    ("capacity_per_month", "ひと月の受け入れ数"),
];

/// One problem of a profile file: its line (the header is line 1), the field, and what
/// is wrong, in the reader's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportProblem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Imported {
    pub consultants: usize,
    pub new_accounts: usize,
}

/// The key a value names: the key itself, or its label in either language.
fn key_of<T: Copy>(
    raw: &str,
    all: &[T],
    key: fn(T) -> &'static str,
    prefix: &str,
) -> Option<&'static str> {
    let raw = raw.trim();
    all.iter().map(|t| key(*t)).find(|k| {
        *k == raw
            || crate::i18n::Lang::Ja
                .catalog()
                .get(&format!("{prefix}.{k}"))
                == raw
            || crate::i18n::Lang::En
                .catalog()
                .get(&format!("{prefix}.{k}"))
                == raw
    })
}

/// `kyoritsu consultants import FILE`: every row a consultant's whole profile, checked
/// as the profile form checks it; an account is found by e-mail (it must be a
/// consultant's) or made without a password. All or nothing: with any problem — a
/// missing column, a wrong registration number, an address twice, an account that is
/// not a consultant's — every problem is listed and nothing is written.
pub async fn import_profiles(
    store: &Store,
    tenant: domain::TenantId,
    table: &domain::import::table::Table,
    lang: crate::i18n::Lang,
) -> Result<Result<Imported, Vec<ImportProblem>>, Error> {
    use domain::consultant::{AgeBand, Gender, ProfileInput, Style, Theme, parse_profile};
    let c = lang.catalog();
    let label = |field: &str| c.get(&format!("consultant_import.{field}")).to_string();
    let mut problems = Vec::new();
    let column: Vec<Option<usize>> = IMPORT_COLUMNS
        .iter()
        .map(|(field, ja)| {
            table
                .headers
                .iter()
                .position(|h| h.trim() == *field || h.trim() == *ja)
        })
        .collect();
    for (i, (field, _)) in IMPORT_COLUMNS.iter().enumerate() {
        let optional = matches!(
            *field,
            "certifications" | "industries" | "job_families" | "age_band" | "gender" | "languages"
        );
        if column[i].is_none() && !optional {
            problems.push(ImportProblem {
                line: 1,
                field: label(field),
                message: c.get("consultant_import.missing_column").to_string(),
            });
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let cell = |row: &domain::import::table::Row, field: &str| -> String {
        IMPORT_COLUMNS
            .iter()
            .position(|(f, _)| *f == field)
            .and_then(|i| column[i])
            .and_then(|i| row.cells.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut rows: Vec<store::consultants::NewConsultant> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    for row in &table.rows {
        let email = cell(row, "email");
        let email = match domain::EmailAddress::parse(&email) {
            Ok(e) => e.as_str().to_string(),
            Err(_) => {
                problems.push(ImportProblem {
                    line: row.line,
                    field: label("email"),
                    message: c.get("consultant_import.bad_email").to_string(),
                });
                continue;
            }
        };
        if let Some(first) = rows.iter().position(|r| r.email == email) {
            problems.push(ImportProblem {
                line: row.line,
                field: label("email"),
                message: c.format("consultant_import.duplicate", &[("line", &lines[first])]),
            });
            continue;
        }
        let mapped = |field: &str, value: String, ok: Option<&'static str>| -> String {
            match ok {
                Some(k) => k.to_string(),
                None if value.is_empty() => String::new(),
                // Left as written: the profile check names it unknown.
                None => format!("?{field}"),
            }
        };
        let themes_raw = cell(row, "themes");
        let themes: Vec<String> = themes_raw
            .split(['、', ',', ';', '\n', '，'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                key_of(t, &Theme::ALL, Theme::key, "consultant.theme")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("?{t}"))
            })
            .collect();
        let style_raw = cell(row, "style");
        let age_raw = cell(row, "age_band");
        let gender_raw = cell(row, "gender");
        let input = ProfileInput {
            display_name: cell(row, "display_name"),
            kana: cell(row, "kana"),
            registration_number: cell(row, "registration_number"),
            certifications: cell(row, "certifications"),
            years_of_practice: cell(row, "years_of_practice"),
            themes,
            industries: cell(row, "industries"),
            job_families: cell(row, "job_families"),
            age_band: mapped(
                "age_band",
                age_raw.clone(),
                key_of(&age_raw, &AgeBand::ALL, AgeBand::key, "consultant.age_band"),
            ),
            gender: mapped(
                "gender",
                gender_raw.clone(),
                key_of(&gender_raw, &Gender::ALL, Gender::key, "consultant.gender"),
            ),
            style: key_of(&style_raw, &Style::ALL, Style::key, "consultant.style")
                .unwrap_or("")
                .to_string(),
            message: cell(row, "message").replace("\\n", "\n"),
            languages: cell(row, "languages"),
            capacity_per_month: cell(row, "capacity_per_month"),
        };
        match parse_profile(&input) {
            Ok(profile) => {
                lines.push(row.line);
                rows.push(store::consultants::NewConsultant {
                    email,
                    name: profile.display_name.clone(),
                    profile,
                });
            }
            Err(errors) => {
                for (field, problem) in errors {
                    problems.push(ImportProblem {
                        line: row.line,
                        field: label(field),
                        message: c
                            .get(&format!("consultant.error.{field}.{problem}"))
                            .to_string(),
                    });
                }
            }
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(ImportProblem {
            line: 1,
            field: String::new(),
            message: c.get("consultant_import.no_rows").to_string(),
        });
    }
    // Accounts that exist must be consultants' (an import never turns HR into one).
    let mut new_accounts = 0;
    for (r, line) in rows.iter().zip(&lines) {
        let Ok(email) = domain::EmailAddress::parse(&r.email) else {
            continue;
        };
        match store.user_by_email(tenant, &email).await? {
            Some(u) if !u.roles.contains(domain::Role::Consultant) => {
                problems.push(ImportProblem {
                    line: *line,
                    field: label("email"),
                    message: c.get("consultant_import.not_a_consultant").to_string(),
                })
            }
            Some(_) => {}
            None => new_accounts += 1,
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Ok(Err(problems));
    }
    store.save_consultants(tenant, &rows).await?;
    Ok(Ok(Imported {
        consultants: rows.len(),
        new_accounts,
    }))
}

// ----- invitations (招待) -----

/// Why an invitation was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    /// Not an e-mail address.
    Email,
    /// No name, or a name over [`domain::consultant::MAX_NAME_CHARS`].
    Name,
    /// The address is an account that is not a consultant's.
    NotAConsultant,
    /// The consultant has set a password already: nothing to invite them to.
    AlreadyActive,
}

impl InviteProblem {
    pub fn key(self) -> &'static str {
        match self {
            InviteProblem::Email => "email",
            InviteProblem::Name => "name",
            InviteProblem::NotAConsultant => "not_a_consultant",
            InviteProblem::AlreadyActive => "already_active",
        }
    }
}

/// An invitation to send: to whom, and the link's secret (sent by e-mail, never kept).
#[derive(Debug, Clone)]
pub struct Invitation {
    pub user: UserId,
    pub email: String,
    pub name: String,
    pub secret: String,
}

/// HR invites a consultant by e-mail: the account is made (a consultant's, without a
/// password) unless it exists, and an invitation made with which they set their own
/// password. A consultant who already has one is not invited again. Audited.
pub async fn invite(
    store: &Store,
    caller: &Caller,
    email: &str,
    name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    let Ok(address) = domain::EmailAddress::parse(email.trim()) else {
        return Ok(Err(InviteProblem::Email));
    };
    let user = match store.user_by_email(tenant, &address).await? {
        Some(u) if !u.roles.contains(domain::Role::Consultant) => {
            return Ok(Err(InviteProblem::NotAConsultant));
        }
        Some(u) => u,
        None => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > domain::consultant::MAX_NAME_CHARS {
                return Ok(Err(InviteProblem::Name));
            }
            let u = store
                .create_user(
                    tenant,
                    store::users::NewUser {
                        email: address.clone(),
                        name: name.into(),
                        roles: vec![domain::Role::Consultant],
                        person_id: None,
                        password: None,
                    },
                )
                .await?;
            caller
                .audit(
                    store,
                    NewAuditEntry::new(Some(tenant), AuditAction::UserCreated)
                        .target("user", u.id.0),
                )
                .await?;
            u
        }
    };
    invite_user(store, caller, user, now).await
}

/// HR sends a consultant's invitation again (the earlier link stops working).
pub async fn reinvite(
    store: &Store,
    caller: &Caller,
    user: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageConsultants { tenant })
        .map_err(|_| Error::Forbidden)?;
    let user = match store.user(tenant, user).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Err(Error::NotFound("user")),
        Err(e) => return Err(e.into()),
    };
    if !user.roles.contains(domain::Role::Consultant) {
        return Ok(Err(InviteProblem::NotAConsultant));
    }
    invite_user(store, caller, user, now).await
}

async fn invite_user(
    store: &Store,
    caller: &Caller,
    user: store::users::User,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    if store.has_password(tenant, user.id).await? {
        return Ok(Err(InviteProblem::AlreadyActive));
    }
    let secret = store
        .create_invitation(tenant, user.id, Some(caller.actor.user_id), now)
        .await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::Invited).target("user", user.id.0),
        )
        .await?;
    Ok(Ok(Invitation {
        user: user.id,
        email: user.email,
        name: user.name,
        secret,
    }))
}

// ----- photos -----

/// The caller's own profile photo, checked by its content
/// (`domain::consultant::photo_kind`): saved, or why not (nothing changes then).
pub async fn save_photo(
    store: &Store,
    caller: &Caller,
    bytes: &[u8],
) -> Result<Result<(), domain::consultant::PhotoRefusal>, Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    let (kind, _, _) = match domain::consultant::photo_kind(bytes) {
        Ok(k) => k,
        Err(r) => return Ok(Err(r)),
    };
    let tenant = caller.actor.tenant_id;
    store
        .save_photo(tenant, caller.actor.user_id, kind, bytes)
        .await?;
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::ConsultantProfileChanged)
                .target("user", caller.actor.user_id.0),
        )
        .await?;
    Ok(Ok(()))
}

/// Removes the caller's own photo.
pub async fn remove_photo(store: &Store, caller: &Caller) -> Result<bool, Error> {
    policy::authorize(&caller.actor, Action::EditOwnConsultantProfile)
        .map_err(|_| Error::Forbidden)?;
    Ok(store
        .remove_photo(caller.actor.tenant_id, caller.actor.user_id)
        .await?)
}

/// A consultant's photo, to whoever may read their profile ([`profile_of`]).
pub async fn photo_of(
    store: &Store,
    caller: &Caller,
    user: UserId,
) -> Result<(String, Vec<u8>), Error> {
    profile_of(store, caller, user).await?;
    store
        .photo(caller.actor.tenant_id, user)
        .await?
        .ok_or(Error::NotFound("photo"))
}
