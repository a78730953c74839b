//! Single sign-on (シングルサインオン): the admin (or the operator at the command line)
//! sets the company's OpenID Connect provider; someone the provider vouches for is
//! signed in to the account with that address — or, when the admin allows it, to a new
//! employee's account if the employee master has them — and with "SSO only" passwords
//! stop working but for one break-glass admin's.
//!
//! The protocol (discovery, PKCE, state, nonce, the ID token's checks) runs at the web
//! edge; it calls [`sign_in`] with the address a verified token carries, and
//! [`refused`] when a check failed. The rules are `domain::sso`'s.

use crate::Error;
use crate::accounts::By;
use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, detail};
use domain::sso::{Refusal, SettingsProblem, SsoSettings};
use domain::{EmailAddress, Role, TenantId, UserId};
use store::Store;
use store::audit::NewAuditEntry;
use store::users::{NewUser, User};

/// What the admin typed.
#[derive(Debug, Clone, Default)]
pub struct SsoInput {
    pub issuer: String,
    pub client_id: String,
    /// Empty keeps the secret stored (a first setting needs one).
    pub client_secret: String,
    /// Empty: `email`.
    pub email_claim: String,
    pub create_users: bool,
    pub sso_only: bool,
    /// The break-glass admin's address; empty keeps the one set, or chooses the admin
    /// setting it (the earliest admin with a password, from the command line).
    pub break_glass: String,
}

/// The company's provider, if it has one.
pub async fn settings(store: &Store, tenant: TenantId) -> Result<Option<SsoSettings>, Error> {
    Ok(store.sso_settings(tenant).await?)
}

/// Whether `user` may sign in with (or set, change, reset) a password
/// (`domain::sso::password_allowed`).
pub async fn password_allowed(
    store: &Store,
    tenant: TenantId,
    user: UserId,
) -> Result<bool, Error> {
    let s = store.sso_settings(tenant).await?;
    Ok(domain::sso::password_allowed(s.as_ref(), user))
}

/// An admin who can break the glass: enabled, an admin, with a password.
async fn can_break_glass(store: &Store, tenant: TenantId, user: &User) -> Result<bool, Error> {
    Ok(!user.disabled
        && user.roles.contains(Role::Admin)
        && store.has_password(tenant, user.id).await?)
}

/// Sets the company's provider from what the admin typed; every problem is named.
/// Audited (the secret never is).
pub async fn set(
    store: &Store,
    by: &By,
    input: &SsoInput,
    now: DateTime<Utc>,
) -> Result<Result<SsoSettings, Vec<SettingsProblem>>, Error> {
    let tenant = by.tenant();
    let before = store.sso_settings(tenant).await?;
    let mut problems = Vec::new();
    let issuer = domain::sso::parse_issuer(&input.issuer).map_err(|p| problems.push(p));
    let client_id = domain::sso::parse_client_id(&input.client_id).map_err(|p| problems.push(p));
    let secret = if input.client_secret.trim().is_empty() && before.is_some() {
        None
    } else {
        domain::sso::parse_client_secret(&input.client_secret)
            .map_err(|p| problems.push(p))
            .ok()
    };
    let email_claim =
        domain::sso::parse_email_claim(&input.email_claim).map_err(|p| problems.push(p));
    let break_glass = break_glass(store, by, input, before.as_ref()).await?;
    if input.sso_only && break_glass.is_none() {
        problems.push(SettingsProblem::BreakGlass);
    }
    let (Ok(issuer), Ok(client_id), Ok(email_claim)) = (issuer, client_id, email_claim) else {
        return Ok(Err(problems));
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let settings = SsoSettings {
        issuer,
        client_id,
        email_claim,
        create_users: input.create_users,
        sso_only: input.sso_only,
        break_glass: break_glass.as_ref().map(|u| u.id),
    };
    store
        .set_sso(tenant, &settings, secret.as_deref(), now)
        .await?;
    let what = match (&break_glass, settings.sso_only) {
        (Some(admin), true) => detail(
            "sso_set_only",
            &[("issuer", &settings.issuer), ("email", &admin.email)],
        ),
        _ => detail("sso_set", &[("issuer", &settings.issuer)]),
    };
    store
        .append_audit(
            by.entry(AuditAction::SettingsChanged)
                .target("tenant", tenant.0)
                .detail(what),
        )
        .await?;
    Ok(Ok(settings))
}

/// The break-glass admin: the one named, else the one set before (if still able), else
/// the admin setting this, else the earliest admin with a password.
async fn break_glass(
    store: &Store,
    by: &By,
    input: &SsoInput,
    before: Option<&SsoSettings>,
) -> Result<Option<User>, Error> {
    let tenant = by.tenant();
    let named = input.break_glass.trim();
    if !named.is_empty() {
        let Ok(address) = EmailAddress::parse(named) else {
            return Ok(None);
        };
        return Ok(match store.user_by_email(tenant, &address).await? {
            Some(u) if can_break_glass(store, tenant, &u).await? => Some(u),
            _ => None,
        });
    }
    let mut choices = Vec::new();
    if let Some(id) = before.and_then(|b| b.break_glass) {
        choices.push(id);
    }
    if let Some(id) = by.user() {
        choices.push(id);
    }
    for id in choices {
        if let Ok(u) = store.user(tenant, id).await
            && can_break_glass(store, tenant, &u).await?
        {
            return Ok(Some(u));
        }
    }
    let mut admins: Vec<User> = store
        .list_users(tenant)
        .await?
        .into_iter()
        .filter(|u| u.roles.contains(Role::Admin) && !u.disabled)
        .collect();
    admins.sort_by_key(|u| (u.created_at, u.id.0));
    for u in admins {
        if can_break_glass(store, tenant, &u).await? {
            return Ok(Some(u));
        }
    }
    Ok(None)
}

/// Removes the company's provider: passwords work again for everyone who has one.
/// Audited.
pub async fn remove(store: &Store, by: &By) -> Result<bool, Error> {
    let tenant = by.tenant();
    let removed = store.remove_sso(tenant).await?;
    if removed {
        store
            .append_audit(
                by.entry(AuditAction::SettingsChanged)
                    .target("tenant", tenant.0)
                    .detail(detail("sso_removed", &[])),
            )
            .await?;
    }
    Ok(removed)
}

/// Where a sign-in came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// Signs in the account the provider vouched for (`email`, from a verified ID token).
/// An account with that address signs in unless disabled; without one, when the admin
/// allows it, the one current person of the employee master with that address gets an
/// employee's account (no password) and signs in; otherwise nobody does. Audited either
/// way.
pub async fn sign_in(
    store: &Store,
    tenant: TenantId,
    email: &EmailAddress,
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<Result<User, Refusal>, Error> {
    let Some(settings) = store.sso_settings(tenant).await? else {
        return Ok(Err(Refusal::NotConfigured));
    };
    let entry = |action: AuditAction, user: Option<UserId>| {
        NewAuditEntry::new(Some(tenant), action)
            .actor(user, email.as_str())
            .origin(origin.ip.clone(), origin.request_id.clone())
    };
    let user = match store.user_by_email(tenant, email).await? {
        Some(u) => u,
        None => {
            let person = if settings.create_users {
                store.uninvited_person_with_email(tenant, email).await?
            } else {
                None
            };
            let Some(person) = person else {
                refused(
                    store,
                    tenant,
                    Refusal::NoAccount,
                    Some(email.as_str()),
                    origin,
                )
                .await?;
                return Ok(Err(Refusal::NoAccount));
            };
            let made = store
                .create_user(
                    tenant,
                    NewUser {
                        email: email.clone(),
                        name: person.name.clone(),
                        roles: vec![Role::Employee],
                        person_id: Some(person.person),
                        password: None,
                    },
                )
                .await?;
            store
                .append_audit(
                    entry(AuditAction::UserCreated, Some(made.id))
                        .target("user", made.id.0)
                        .detail(detail("sso_created", &[])),
                )
                .await?;
            made
        }
    };
    if user.disabled {
        store
            .append_audit(
                entry(AuditAction::SignInFailed, Some(user.id))
                    .detail(detail("sso_refused", &[("why", &Refusal::Disabled.key())])),
            )
            .await?;
        return Ok(Err(Refusal::Disabled));
    }
    store.mark_signed_in(tenant, user.id, now).await?;
    store
        .append_audit(entry(AuditAction::SignIn, Some(user.id)).detail(detail("sign_in_sso", &[])))
        .await?;
    Ok(Ok(user))
}

/// Records a sign-in through the provider that failed before anyone was known (a bad
/// token, a replayed state, the provider down), or for an address without an account.
pub async fn refused(
    store: &Store,
    tenant: TenantId,
    why: Refusal,
    email: Option<&str>,
    origin: &Origin,
) -> Result<(), Error> {
    store
        .append_audit(
            NewAuditEntry::new(Some(tenant), AuditAction::SignInFailed)
                .actor(None, email.unwrap_or("sso"))
                .origin(origin.ip.clone(), origin.request_id.clone())
                .detail(detail("sso_refused", &[("why", &why.key())])),
        )
        .await?;
    Ok(())
}
