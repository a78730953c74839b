//! Accounts on the web (アカウント): the admin invites the people of the employee master —
//! one by e-mail, or every current person of a department without an account — and each
//! sets their own password from the e-mailed link; someone who forgot theirs asks for a
//! reset link from the sign-in page; each user changes their own password, language and
//! where their notices go. Every change is audited. Transports send the e-mails: this
//! module returns the links' secrets for them, never stores them.
//!
//! Who may invite is `policy::Action::ManageUsers` (the admin), asked once by [`admin`];
//! the operator at the command line acts as [`By::operator`].

use crate::{Caller, Error};
use chrono::{DateTime, Utc};
use domain::account::{LinkPurpose, NotifyChannels, RESET_EVERY_MINUTES};
use domain::audit::{AuditAction, detail};
use domain::chat::ChatService;
use domain::policy::{self, Action};
use domain::{EmailAddress, PersonId, Role, RoleSet, TenantId, UserId};
use store::audit::NewAuditEntry;
use store::users::User;
use store::{Store, StoreError};

/// Who invites, as the audit log records them: an admin the policy let in, or the
/// operator at the command line.
#[derive(Debug, Clone)]
pub struct By {
    tenant: TenantId,
    user: Option<UserId>,
    email: String,
    ip: Option<String>,
    request_id: Option<String>,
}

impl By {
    /// The operator at the command line (`kyoritsu user invite`).
    pub fn operator(tenant: TenantId) -> By {
        By {
            tenant,
            user: None,
            email: "cli".into(),
            ip: Some("cli".into()),
            request_id: None,
        }
    }

    /// The company.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The admin's account (`None`: the operator at the command line).
    pub fn user(&self) -> Option<UserId> {
        self.user
    }

    pub(crate) fn entry(&self, action: AuditAction) -> NewAuditEntry {
        NewAuditEntry::new(Some(self.tenant), action)
            .actor(self.user, &self.email)
            .origin(self.ip.clone(), self.request_id.clone())
    }
}

/// The caller as an inviter, if the policy lets them manage the tenant's users.
pub fn admin(caller: &Caller) -> Result<By, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageUsers { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(By {
        tenant,
        user: Some(caller.actor.user_id),
        email: caller.email.clone(),
        ip: caller.ip.clone(),
        request_id: caller.request_id.clone(),
    })
}

/// An invitation to send: to whom, and the link's secret (by e-mail, never kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub user: UserId,
    pub email: String,
    pub name: String,
    pub secret: String,
}

/// Why one invitation was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    /// Not an e-mail address.
    Email,
    /// Nobody current (在籍) in the employee master has this address, and no account
    /// does either.
    NotInMaster,
    /// The account has a password already: nothing to invite them to.
    AlreadyActive,
    /// The account is disabled: enable it first.
    Disabled,
    /// No department has this code.
    UnknownDepartment,
}

impl InviteProblem {
    pub fn key(self) -> &'static str {
        match self {
            InviteProblem::Email => "email",
            InviteProblem::NotInMaster => "not_in_master",
            InviteProblem::AlreadyActive => "already_active",
            InviteProblem::Disabled => "disabled",
            InviteProblem::UnknownDepartment => "unknown_department",
        }
    }
}

/// A person of the master, as an invitation list names them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Named {
    pub employee_number: String,
    pub name: String,
    pub email: Option<String>,
}

/// Who an invitation of a department would reach, and who it cannot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidates {
    /// Current people without an account, with an address no account uses.
    pub to_invite: Vec<(PersonId, EmailAddress, Named)>,
    /// Current people without an account and without a (valid) address in the master.
    pub no_email: Vec<Named>,
    /// Current people without an account whose address an account of someone else
    /// already uses (or another person of the list shares).
    pub address_taken: Vec<Named>,
}

/// The current people of the department with `code` and below it (the whole company
/// when `None`) who have no account, sorted into those an invitation reaches and those
/// it cannot.
pub async fn candidates(
    store: &Store,
    by: &By,
    department: Option<&str>,
) -> Result<Result<Candidates, InviteProblem>, Error> {
    let people = match store.people_without_account(by.tenant, department).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(Err(InviteProblem::UnknownDepartment)),
        Err(e) => return Err(e.into()),
    };
    let mut used: std::collections::HashSet<String> = store
        .list_users(by.tenant)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    let mut out = Candidates::default();
    for p in people {
        let named = Named {
            employee_number: p.employee_number,
            name: p.name,
            email: p.email.clone(),
        };
        match p.email.as_deref().map(EmailAddress::parse) {
            Some(Ok(address)) => {
                if used.insert(address.as_str().to_string()) {
                    out.to_invite.push((p.person, address, named));
                } else {
                    out.address_taken.push(named);
                }
            }
            _ => out.no_email.push(named),
        }
    }
    Ok(Ok(out))
}

/// What inviting a department did.
#[derive(Debug, Clone, Default)]
pub struct Invited {
    pub sent: Vec<Invitation>,
    pub no_email: Vec<Named>,
    pub address_taken: Vec<Named>,
}

/// Makes an account (an employee's, no password, linked to the person) and an
/// invitation for every current person of the department (and below) who has none and
/// can be reached; audited per account.
pub async fn invite_department(
    store: &Store,
    by: &By,
    department: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<Invited, InviteProblem>, Error> {
    let c = match candidates(store, by, department).await? {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    let batch: Vec<(PersonId, EmailAddress, String)> = c
        .to_invite
        .iter()
        .map(|(p, e, n)| (*p, e.clone(), n.name.clone()))
        .collect();
    let made = store
        .create_invited_accounts(by.tenant, &batch, by.user, now)
        .await?;
    let code = department.unwrap_or("*");
    let mut sent = Vec::with_capacity(made.len());
    for ((user, secret), (_, email, named)) in made.into_iter().zip(c.to_invite) {
        store
            .append_audit(
                by.entry(AuditAction::UserCreated)
                    .target("user", user.0)
                    .detail("employee"),
            )
            .await?;
        store
            .append_audit(
                by.entry(AuditAction::Invited)
                    .target("user", user.0)
                    .detail(detail("invited_department", &[("code", &code)])),
            )
            .await?;
        sent.push(Invitation {
            user,
            email: email.as_str().to_string(),
            name: named.name,
            secret,
        });
    }
    Ok(Ok(Invited {
        sent,
        no_email: c.no_email,
        address_taken: c.address_taken,
    }))
}

/// Invites one address: an account without a password gets a new link (the earlier
/// stops working); a current person of the master with this address and no account
/// gets an employee's account and a link.
pub async fn invite_email(
    store: &Store,
    by: &By,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    let Ok(address) = EmailAddress::parse(email) else {
        return Ok(Err(InviteProblem::Email));
    };
    if let Some(user) = store.user_by_email(by.tenant, &address).await? {
        return invite_user(store, by, user, now).await;
    }
    let all = match candidates(store, by, None).await? {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    let Some((person, address, named)) = all.to_invite.into_iter().find(|(_, a, _)| *a == address)
    else {
        return Ok(Err(InviteProblem::NotInMaster));
    };
    let made = store
        .create_invited_accounts(
            by.tenant,
            &[(person, address.clone(), named.name.clone())],
            by.user,
            now,
        )
        .await?;
    let Some((user, secret)) = made.into_iter().next() else {
        return Err(Error::Store(StoreError::NotFound));
    };
    store
        .append_audit(
            by.entry(AuditAction::UserCreated)
                .target("user", user.0)
                .detail("employee"),
        )
        .await?;
    store
        .append_audit(by.entry(AuditAction::Invited).target("user", user.0))
        .await?;
    Ok(Ok(Invitation {
        user,
        email: address.as_str().to_string(),
        name: named.name,
        secret,
    }))
}

/// Sends an account without a password a new invitation (the earlier link stops
/// working).
pub async fn reinvite(
    store: &Store,
    by: &By,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    let user = match store.user(by.tenant, user).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(Error::NotFound("user")),
        Err(e) => return Err(e.into()),
    };
    invite_user(store, by, user, now).await
}

async fn invite_user(
    store: &Store,
    by: &By,
    user: User,
    now: DateTime<Utc>,
) -> Result<Result<Invitation, InviteProblem>, Error> {
    if user.disabled {
        return Ok(Err(InviteProblem::Disabled));
    }
    if store.has_password(by.tenant, user.id).await? {
        return Ok(Err(InviteProblem::AlreadyActive));
    }
    let secret = store
        .create_link(by.tenant, user.id, by.user, LinkPurpose::Invitation, now)
        .await?;
    store
        .append_audit(by.entry(AuditAction::Invited).target("user", user.id.0))
        .await?;
    Ok(Ok(Invitation {
        user: user.id,
        email: user.email,
        name: user.name,
        secret,
    }))
}

// ----- links: setting a password from an e-mail -----

/// What a link's page shows: for whom, or why the link no longer works.
pub enum LinkState {
    Open(store::invitations::Invitation),
    /// Used, expired, never made, or made for the other purpose: the page says so and
    /// how to get a new one.
    Gone,
}

/// The link a secret names, if it is open and made for `purpose` (anyone holding the
/// link: it is the credential).
pub async fn open_link(
    store: &Store,
    secret: &str,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<LinkState, Error> {
    Ok(match store.invitation(secret).await? {
        Some(i) if !i.used && i.expires_at > now && i.purpose == purpose => LinkState::Open(i),
        _ => LinkState::Gone,
    })
}

/// Sets the password from a link, if it follows the rule
/// (`domain::values::check_new_password`) and the two entries match; the problem's key
/// otherwise (`invitation.error.{key}`). A reset also signs out every session. Audited
/// as the account's own act.
pub async fn use_link(
    store: &Store,
    secret: &str,
    purpose: LinkPurpose,
    password: &str,
    again: &str,
    now: DateTime<Utc>,
) -> Result<Result<TenantId, &'static str>, Error> {
    let LinkState::Open(link) = open_link(store, secret, purpose, now).await? else {
        return Ok(Err("gone"));
    };
    if !crate::sso::password_allowed(store, link.tenant, link.user).await? {
        return Ok(Err("sso_only"));
    }
    if let Err(e) = domain::values::check_new_password(password, &link.email) {
        return Ok(Err(e));
    }
    if password != again {
        return Ok(Err("mismatch"));
    }
    if !store.accept_invitation(secret, password, now).await? {
        return Ok(Err("gone"));
    }
    let mut entry = NewAuditEntry::new(Some(link.tenant), AuditAction::PasswordSet)
        .actor(Some(link.user), &link.email)
        .target("user", link.user.0);
    if purpose == LinkPurpose::Reset {
        entry = entry.detail(detail("password_reset", &[]));
    }
    store.append_audit(entry).await?;
    Ok(Ok(link.tenant))
}

/// Someone at the sign-in page asks for a reset link for `email` in the tenant. The
/// link (to e-mail) comes back only for an enabled account, and at most once every
/// [`RESET_EVERY_MINUTES`] minutes; the page says the same whatever happened, so it
/// tells nobody which addresses have accounts. Audited when a link is made.
pub async fn request_reset(
    store: &Store,
    tenant: TenantId,
    email: &str,
    origin: (Option<String>, Option<String>),
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, Error> {
    let Ok(address) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let Some(user) = store.user_by_email(tenant, &address).await? else {
        return Ok(None);
    };
    if user.disabled || !crate::sso::password_allowed(store, tenant, user.id).await? {
        return Ok(None);
    }
    if let Some(last) = store
        .latest_link_at(tenant, user.id, LinkPurpose::Reset)
        .await?
        && now - last < chrono::Duration::minutes(RESET_EVERY_MINUTES)
    {
        return Ok(None);
    }
    let secret = store
        .create_link(tenant, user.id, None, LinkPurpose::Reset, now)
        .await?;
    store
        .append_audit(
            NewAuditEntry::new(Some(tenant), AuditAction::PasswordResetRequested)
                .actor(Some(user.id), &user.email)
                .origin(origin.0, origin.1)
                .target("user", user.id.0),
        )
        .await?;
    Ok(Some(Invitation {
        user: user.id,
        email: user.email,
        name: user.name,
        secret,
    }))
}

// ----- one's own account -----

/// The signed-in user changes their own password: the current one first, then the new
/// one twice under the rule. Every other session of theirs is signed out. The
/// problem's key otherwise (`account.error.{key}`, `invitation.error.{key}`).
pub async fn change_password(
    store: &Store,
    caller: &Caller,
    current: &str,
    new: &str,
    again: &str,
) -> Result<Result<(), &'static str>, Error> {
    let (tenant, id) = (caller.actor.tenant_id, caller.actor.user_id);
    if !crate::sso::password_allowed(store, tenant, id).await? {
        return Ok(Err("sso_only"));
    }
    if !store.password_matches(tenant, id, current).await? {
        return Ok(Err("current"));
    }
    if let Err(e) = domain::values::check_new_password(new, &caller.email) {
        return Ok(Err(e));
    }
    if new != again {
        return Ok(Err("mismatch"));
    }
    if new == current {
        return Ok(Err("same"));
    }
    store.set_password(tenant, id, new).await?;
    caller
        .record(
            store,
            AuditAction::PasswordSet,
            ("user", id.0),
            detail("password_own", &[]),
        )
        .await?;
    Ok(Ok(()))
}

/// The signed-in user chooses their language (`ja`, `en`, or empty for the browser's)
/// and where their notices go. Audited.
pub async fn set_preferences(
    store: &Store,
    caller: &Caller,
    language: &str,
    notify: &str,
) -> Result<Result<(), &'static str>, Error> {
    let language = match language.trim() {
        "" => None,
        l => match crate::i18n::Lang::parse(l) {
            Some(l) => Some(l.code()),
            None => return Ok(Err("language")),
        },
    };
    let Some(channels) = NotifyChannels::parse(notify) else {
        return Ok(Err("notify"));
    };
    store
        .set_user_preferences(
            caller.actor.tenant_id,
            caller.actor.user_id,
            language,
            channels,
        )
        .await?;
    caller
        .record(
            store,
            AuditAction::PreferencesChanged,
            ("user", caller.actor.user_id.0),
            detail(
                "preferences",
                &[
                    ("lang", &language.unwrap_or("-")),
                    ("notify", &channels.key()),
                ],
            ),
        )
        .await?;
    Ok(Ok(()))
}

// ----- chat (チャットへの通知) -----

/// The user connects their own webhook of `service` (one the company allows), or with
/// an empty `service` disconnects it. The problem's key otherwise (`chat.error.{key}`).
/// Audited without the address (it is a credential).
pub async fn set_chat(
    store: &Store,
    caller: &Caller,
    service: &str,
    url: &str,
    extra_hosts: &[String],
) -> Result<Result<(), &'static str>, Error> {
    let (tenant, id) = (caller.actor.tenant_id, caller.actor.user_id);
    let chosen = match service.trim() {
        "" => None,
        s => match ChatService::parse(s) {
            Some(c) if store.chat_services(tenant).await?.contains(&c) => Some(c),
            _ => return Ok(Err("service")),
        },
    };
    let chat = match chosen {
        None => None,
        Some(c) => match domain::chat::parse_webhook(c, url, extra_hosts) {
            Ok(u) => Some((c, u)),
            Err(p) => return Ok(Err(p.key())),
        },
    };
    store
        .set_user_chat(tenant, id, chat.as_ref().map(|(c, u)| (*c, u.as_str())))
        .await?;
    caller
        .record(
            store,
            AuditAction::PreferencesChanged,
            ("user", id.0),
            detail(
                "chat",
                &[("service", &chat.as_ref().map_or("-", |(c, _)| c.key()))],
            ),
        )
        .await?;
    Ok(Ok(()))
}

/// The admin chooses which chat services people may connect. Connections to a service
/// taken off stay stored but receive nothing. Audited.
pub async fn set_chat_services(
    store: &Store,
    caller: &Caller,
    services: &[ChatService],
) -> Result<(), Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageTenantSettings { tenant })
        .map_err(|_| Error::Forbidden)?;
    store.set_chat_services(tenant, services).await?;
    let names: Vec<&str> = services.iter().map(|s| s.key()).collect();
    caller
        .audit(
            store,
            NewAuditEntry::new(Some(tenant), AuditAction::SettingsChanged)
                .target("tenant", tenant.0)
                .detail(detail("chat_services", &[("list", &names.join(","))])),
        )
        .await?;
    Ok(())
}

// ----- API tokens -----

/// The longest label of a token.
pub const MAX_TOKEN_LABEL_CHARS: usize = 100;

/// The signed-in user makes an API token that acts as them — `read` or `write` — for
/// one of [`domain::account::TOKEN_DAYS`]; the problem's key otherwise
/// (`tokens.error.{key}`). The secret comes back once. Audited.
pub async fn create_token(
    store: &Store,
    caller: &Caller,
    label: &str,
    scope: &str,
    days: &str,
    now: DateTime<Utc>,
) -> Result<Result<(store::tokens::ApiToken, String), &'static str>, Error> {
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > MAX_TOKEN_LABEL_CHARS
        || label.chars().any(char::is_control)
    {
        return Ok(Err("label"));
    }
    let Some(scope) = domain::account::TokenScope::parse(scope) else {
        return Ok(Err("scope"));
    };
    let Some(days) = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| domain::account::TOKEN_DAYS.contains(d))
    else {
        return Ok(Err("days"));
    };
    let (tenant, user) = (caller.actor.tenant_id, caller.actor.user_id);
    let made = store
        .create_token_with(
            tenant,
            user,
            label,
            scope,
            Some(now + chrono::Duration::days(days)),
        )
        .await?;
    caller
        .record(
            store,
            AuditAction::TokenCreated,
            ("token", made.0.id),
            detail("token_made", &[("scope", &scope.key()), ("n", &days)]),
        )
        .await?;
    Ok(Ok(made))
}

/// The tokens the caller sees: their own, or with `all` (the admin) the tenant's.
pub async fn tokens(
    store: &Store,
    caller: &Caller,
    all: bool,
) -> Result<Vec<store::tokens::ApiToken>, Error> {
    let tenant = caller.actor.tenant_id;
    if all {
        policy::authorize(&caller.actor, Action::ManageUsers { tenant })
            .map_err(|_| Error::Forbidden)?;
        Ok(store.list_tokens(tenant, None).await?)
    } else {
        Ok(store
            .list_tokens(tenant, Some(caller.actor.user_id))
            .await?)
    }
}

/// Revokes a token: the owner's own, or any of the tenant's for the admin; anyone else
/// is told there is no such token. Audited.
pub async fn revoke_token(store: &Store, caller: &Caller, id: i64) -> Result<(), Error> {
    let tenant = caller.actor.tenant_id;
    let token = match store.token(tenant, id).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Err(Error::NotFound("token")),
        Err(e) => return Err(e.into()),
    };
    let own = token.user_id == caller.actor.user_id.0;
    if !own && policy::authorize(&caller.actor, Action::ManageUsers { tenant }).is_err() {
        return Err(Error::NotFound("token"));
    }
    store.revoke_token(tenant, id).await?;
    caller
        .record(
            store,
            AuditAction::TokenRevoked,
            ("token", id),
            String::new(),
        )
        .await?;
    Ok(())
}

/// Why roles were not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolesRefusal {
    /// An admin may not take the admin role from themselves (the company would be left
    /// without a way back in).
    OwnAdmin,
}

/// Gives account `target` exactly `roles` (the admin; `Forbidden` for anyone else);
/// audited with the roles before and after. Returns the account as it was.
pub async fn set_roles(
    store: &Store,
    caller: &Caller,
    target: UserId,
    roles: &RoleSet,
) -> Result<Result<User, RolesRefusal>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManageUsers { tenant })
        .map_err(|_| Error::Forbidden)?;
    let before = store.user(tenant, target).await.map_err(|e| match e {
        StoreError::NotFound => Error::NotFound("user"),
        e => Error::Store(e),
    })?;
    if before.id == caller.actor.user_id && !roles.contains(Role::Admin) {
        return Ok(Err(RolesRefusal::OwnAdmin));
    }
    store.set_roles(tenant, before.id, roles).await?;
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let was: Vec<&str> = before.roles.iter().map(|r| r.as_str()).collect();
    caller
        .record(
            store,
            AuditAction::RolesChanged,
            ("user", before.id.0),
            domain::audit::detail(
                "changed",
                &[("from", &was.join(",")), ("to", &names.join(","))],
            ),
        )
        .await?;
    Ok(Ok(before))
}
