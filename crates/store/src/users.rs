//! Accounts: local sign-in with argon2id (throttled by `throttles`), stored roles,
//! disabling (which voids every session at once).

use crate::schema::{UserRoles, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::{DateTime, Utc};
use domain::account::NotifyChannels;
use domain::chat::ChatService;
use domain::{EmailAddress, Role, RoleSet};
use sea_query::{Expr, ExprTrait, Func, Order, Query};

/// An account.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct User {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub email: String,
    pub name: String,
    pub person_id: Option<PersonId>,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    /// Sessions signed in before this instant are void (set on disable and password change).
    pub sessions_valid_after: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Stored roles (never `Manager`, which is derived).
    pub roles: RoleSet,
    /// The language the user chose (`ja`, `en`); `None`: the browser's.
    pub language: Option<String>,
    /// Where their notices go.
    pub notify: NotifyChannels,
    /// Their own chat webhook, if they connected one: (service, address).
    pub chat: Option<(ChatService, String)>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    tenant_id: i64,
    email: String,
    name: String,
    person_id: Option<i64>,
    disabled: bool,
    locked_until: Option<DateTime<Utc>>,
    sessions_valid_after: Option<DateTime<Utc>>,
    last_sign_in_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    language: Option<String>,
    notify: Option<String>,
    chat_service: Option<String>,
    chat_url: Option<String>,
}

impl UserRow {
    fn into_user(self, roles: RoleSet) -> User {
        User {
            id: UserId(self.id),
            tenant_id: TenantId(self.tenant_id),
            email: self.email,
            name: self.name,
            person_id: self.person_id.map(PersonId),
            disabled: self.disabled,
            locked_until: self.locked_until,
            sessions_valid_after: self.sessions_valid_after,
            last_sign_in_at: self.last_sign_in_at,
            created_at: self.created_at,
            roles,
            language: self.language,
            notify: self
                .notify
                .as_deref()
                .and_then(NotifyChannels::parse)
                .unwrap_or_default(),
            chat: self
                .chat_service
                .as_deref()
                .and_then(ChatService::parse)
                .zip(self.chat_url),
        }
    }
}

/// Accounts with their stored roles, from (user id, role) rows.
fn with_roles(rows: Vec<UserRow>, roles: &[(i64, String)]) -> Vec<User> {
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            let set = RoleSet::new(
                roles
                    .iter()
                    .filter(|(u, _)| *u == id)
                    .filter_map(|(_, s)| Role::parse(s).ok()),
            );
            r.into_user(set)
        })
        .collect()
}

fn select_users() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Users::Id,
            Users::TenantId,
            Users::Email,
            Users::Name,
            Users::PersonId,
            Users::Disabled,
            Users::LockedUntil,
            Users::SessionsValidAfter,
            Users::LastSignInAt,
            Users::CreatedAt,
            Users::Language,
            Users::Notify,
            Users::ChatService,
            Users::ChatUrl,
        ])
        .from(Users::Table)
        .to_owned()
}

/// Which accounts the users page lists.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Part of the name or address (any case).
    pub text: String,
    pub state: UserState,
}

/// An account's state, as the users page filters it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UserState {
    #[default]
    All,
    /// Enabled, with no password yet (invited, or never invited).
    NoPassword,
    Disabled,
}

impl UserState {
    pub const ALL: [UserState; 3] = [UserState::All, UserState::NoPassword, UserState::Disabled];

    pub fn key(self) -> &'static str {
        match self {
            UserState::All => "all",
            UserState::NoPassword => "no_password",
            UserState::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> UserState {
        Self::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .unwrap_or_default()
    }
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: EmailAddress,
    pub name: String,
    pub roles: Vec<Role>,
    pub person_id: Option<PersonId>,
    /// `None` leaves the account without a password (SSO or token only).
    pub password: Option<String>,
}

/// The result of a sign-in attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn {
    Success(User),
    /// Unknown email or wrong password — deliberately indistinguishable to the user.
    /// `wait_until`: this failure started or lengthened a delay.
    Rejected {
        user_id: Option<UserId>,
        wait_until: Option<DateTime<Utc>>,
    },
    /// Too many failures on this account or from this address: the attempt was not
    /// checked at all (a known account and an unknown one alike).
    Throttled {
        user_id: Option<UserId>,
        until: DateTime<Utc>,
    },
    Disabled {
        user_id: UserId,
    },
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| StoreError::PasswordHash)
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// id, password hash, disabled, consecutive failures, locked until.
type Credentials = (i64, Option<String>, bool, i32, Option<DateTime<Utc>>);

/// A fixed hash verified when the email is unknown, so both paths take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Ht9QH0zHmWfqPXpQ0I0WDfRbP8k6F5Qm6gI+YhYpZo";

impl Store {
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant))]
    pub async fn create_user(&self, tenant: TenantId, new: NewUser) -> Result<User> {
        let hash = new.password.as_deref().map(hash_password).transpose()?;
        let mut tx = self.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(Users::Table)
                    .columns([
                        Users::TenantId,
                        Users::Email,
                        Users::Name,
                        Users::PersonId,
                        Users::PasswordHash,
                        Users::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        new.email.as_str().into(),
                        new.name.trim().into(),
                        new.person_id.map(|p| p.0).into(),
                        hash.into(),
                        Utc::now().into(),
                    ])
                    .returning_col(Users::Id)
                    .to_owned(),
            )
            .await?;
        let roles = RoleSet::new(new.roles.into_iter().filter(|r| *r != Role::Manager));
        insert_roles(&mut tx, tenant, UserId(id), &roles).await?;
        tx.commit().await?;
        self.user(tenant, UserId(id)).await
    }

    pub async fn user(&self, tenant: TenantId, id: UserId) -> Result<User> {
        let row: UserRow = self
            .fetch_one(
                &select_users()
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        let roles = self.user_roles(tenant, id).await?;
        Ok(row.into_user(roles))
    }

    pub async fn user_by_email(
        &self,
        tenant: TenantId,
        email: &EmailAddress,
    ) -> Result<Option<User>> {
        let row: Option<UserRow> = self
            .fetch_optional(
                &select_users()
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Email).eq(email.as_str()))
                    .to_owned(),
            )
            .await?;
        match row {
            Some(r) => {
                let roles = self.user_roles(tenant, UserId(r.id)).await?;
                Ok(Some(r.into_user(roles)))
            }
            None => Ok(None),
        }
    }

    /// Every account of a tenant, by name.
    pub async fn list_users(&self, tenant: TenantId) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = self
            .fetch_all(
                &select_users()
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .order_by(Users::Email, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let roles: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([UserRoles::UserId, UserRoles::Role])
                    .from(UserRoles::Table)
                    .and_where(Expr::col(UserRoles::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(with_roles(rows, &roles))
    }

    /// A page of a tenant's accounts, by address, that match `filter`, and how many match.
    pub async fn find_users(
        &self,
        tenant: TenantId,
        filter: &UserFilter,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<User>, i64)> {
        let mut cond = sea_query::Cond::all().add(Expr::col(Users::TenantId).eq(tenant.0));
        let words = filter.text.trim().to_lowercase();
        if !words.is_empty() {
            let pattern = format!("%{}%", crate::audit::escape_like(&words));
            cond = cond.add(
                sea_query::Cond::any()
                    .add(Expr::col(Users::Email).like(pattern.clone()))
                    .add(Expr::expr(Func::lower(Expr::col(Users::Name))).like(pattern)),
            );
        }
        match filter.state {
            UserState::All => {}
            UserState::NoPassword => {
                cond = cond
                    .add(Expr::col(Users::PasswordHash).is_null())
                    .add(Expr::col(Users::Disabled).eq(false));
            }
            UserState::Disabled => cond = cond.add(Expr::col(Users::Disabled).eq(true)),
        }
        let (total,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(Users::Id).count())
                    .from(Users::Table)
                    .cond_where(cond.clone())
                    .to_owned(),
            )
            .await?;
        let rows: Vec<UserRow> = self
            .fetch_all(
                &select_users()
                    .cond_where(cond)
                    .order_by(Users::Email, Order::Asc)
                    .limit(limit)
                    .offset(offset)
                    .to_owned(),
            )
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let roles: Vec<(i64, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            self.fetch_all(
                &Query::select()
                    .columns([UserRoles::UserId, UserRoles::Role])
                    .from(UserRoles::Table)
                    .and_where(Expr::col(UserRoles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(UserRoles::UserId).is_in(ids))
                    .to_owned(),
            )
            .await?
        };
        let users = with_roles(rows, &roles);
        Ok((users, total))
    }

    async fn user_roles(&self, tenant: TenantId, id: UserId) -> Result<RoleSet> {
        let rows: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column(UserRoles::Role)
                    .from(UserRoles::Table)
                    .and_where(Expr::col(UserRoles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(UserRoles::UserId).eq(id.0))
                    .to_owned(),
            )
            .await?;
        Ok(RoleSet::new(
            rows.iter().filter_map(|(s,)| Role::parse(s).ok()),
        ))
    }

    /// Replaces a user's stored roles.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, user.id = %id))]
    pub async fn set_roles(&self, tenant: TenantId, id: UserId, roles: &RoleSet) -> Result<()> {
        let mut tx = self.begin().await?;
        ensure_user_in_tenant(&mut tx, tenant, id).await?;
        tx.execute(
            &Query::delete()
                .from_table(UserRoles::Table)
                .and_where(Expr::col(UserRoles::TenantId).eq(tenant.0))
                .and_where(Expr::col(UserRoles::UserId).eq(id.0))
                .to_owned(),
        )
        .await?;
        insert_roles(&mut tx, tenant, id, roles).await?;
        tx.commit().await
    }

    /// Disables or re-enables an account. Disabling voids its sessions immediately.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, user.id = %id))]
    pub async fn set_user_disabled(
        &self,
        tenant: TenantId,
        id: UserId,
        disabled: bool,
    ) -> Result<()> {
        let mut values = vec![(Users::Disabled, disabled.into())];
        if disabled {
            values.push((Users::SessionsValidAfter, Utc::now().into()));
        }
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values(values)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Sets a new password, clears any lock-out and voids existing sessions.
    pub async fn set_password(&self, tenant: TenantId, id: UserId, password: &str) -> Result<()> {
        let hash = hash_password(password)?;
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values([
                        (Users::PasswordHash, hash.into()),
                        (Users::FailedAttempts, 0.into()),
                        (Users::LockedUntil, Option::<DateTime<Utc>>::None.into()),
                        (Users::SessionsValidAfter, Utc::now().into()),
                    ])
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Checks a password, within the sign-in throttles (`domain::throttle`): an attempt
    /// on an account or from an address that must wait is answered at once, without
    /// checking anything; a failure counts against both the account typed (known or
    /// not) and the client address; success forgets the account's failures.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant))]
    pub async fn sign_in(
        &self,
        tenant: TenantId,
        email: &str,
        password: &str,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<SignIn> {
        use domain::throttle::{ThrottleKind, account_subject};
        let account = account_subject(email);
        let mut subjects = vec![(ThrottleKind::Account, account.as_str())];
        if let Some(a) = address {
            subjects.push((ThrottleKind::Address, a));
        }
        let found: Option<Credentials> = match EmailAddress::parse(email) {
            Ok(e) => {
                self.fetch_optional(
                    &Query::select()
                        .columns([
                            Users::Id,
                            Users::PasswordHash,
                            Users::Disabled,
                            Users::FailedAttempts,
                            Users::LockedUntil,
                        ])
                        .from(Users::Table)
                        .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Users::Email).eq(e.as_str()))
                        .to_owned(),
                )
                .await?
            }
            Err(_) => None,
        };
        let user_id = found.as_ref().map(|f| UserId(f.0));
        if let Some(until) = self.throttled_until(tenant, &subjects, now).await? {
            return Ok(SignIn::Throttled { user_id, until });
        }
        let ok = match &found {
            Some((_, hash, ..)) => hash
                .as_deref()
                .is_some_and(|h| verify_password(password, h)),
            None => {
                // The same work as for a real account: timing tells nothing.
                verify_password(password, DUMMY_HASH);
                false
            }
        };
        let Some((id, _, disabled, ..)) = found.filter(|_| ok) else {
            let mut wait_until: Option<DateTime<Utc>> = None;
            for (kind, subject) in &subjects {
                if let Some(u) = self
                    .record_sign_in_failure(tenant, *kind, subject, now)
                    .await?
                {
                    wait_until = Some(wait_until.map_or(u, |w| Ord::max(w, u)));
                }
            }
            return Ok(SignIn::Rejected {
                user_id,
                wait_until,
            });
        };
        let user_id = UserId(id);
        if disabled {
            return Ok(SignIn::Disabled { user_id });
        }
        self.forget_sign_in_failures(tenant, ThrottleKind::Account, &account)
            .await?;
        self.execute(
            &Query::update()
                .table(Users::Table)
                .values([
                    (Users::FailedAttempts, 0.into()),
                    (Users::LockedUntil, Option::<DateTime<Utc>>::None.into()),
                    (Users::LastSignInAt, now.into()),
                ])
                .and_where(Expr::col(Users::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(SignIn::Success(self.user(tenant, user_id).await?))
    }

    /// Records a sign-in that needed no password (through the company's provider).
    pub async fn mark_signed_in(
        &self,
        tenant: TenantId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Users::Table)
                .value(Users::LastSignInAt, now)
                .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                .and_where(Expr::col(Users::Id).eq(id.0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// The enabled account of a person, if they have one (emails go to accounts).
    pub async fn account_of_person(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Option<(UserId, String)>> {
        let row: Option<(i64, String)> = self
            .fetch_optional(
                &Query::select()
                    .columns([Users::Id, Users::Email])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::PersonId).eq(person.0))
                    .and_where(Expr::col(Users::Disabled).eq(false))
                    .order_by(Users::Id, Order::Asc)
                    .limit(1)
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(id, email)| (UserId(id), email)))
    }

    /// What a user chose for themselves: their language (`None`: the browser's) and
    /// where their notices go.
    pub async fn set_user_preferences(
        &self,
        tenant: TenantId,
        id: UserId,
        language: Option<&str>,
        notify: NotifyChannels,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values([
                        (Users::Language, language.into()),
                        (Users::Notify, notify.key().into()),
                    ])
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Connects (or with `None` disconnects) the user's own chat webhook. The address is
    /// checked by the caller (`domain::chat::parse_webhook`).
    pub async fn set_user_chat(
        &self,
        tenant: TenantId,
        id: UserId,
        chat: Option<(ChatService, &str)>,
    ) -> Result<()> {
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values([
                        (Users::ChatService, chat.map(|(s, _)| s.key()).into()),
                        (Users::ChatUrl, chat.map(|(_, u)| u.to_string()).into()),
                    ])
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// The chat services the company lets people connect.
    pub async fn chat_services(&self, tenant: TenantId) -> Result<Vec<ChatService>> {
        self.tenant_json(
            tenant,
            crate::schema::ChatColumns::ChatServices,
            "chat services",
        )
        .await
    }

    pub async fn set_chat_services(
        &self,
        tenant: TenantId,
        services: &[ChatService],
    ) -> Result<()> {
        self.set_tenant_json(tenant, crate::schema::ChatColumns::ChatServices, &services)
            .await
    }

    /// Starts (or restarts: the earlier address stops working) the user's private
    /// calendar feed; returns the secret for its address (only its SHA-256 is kept).
    /// With `false`, stops it.
    pub async fn set_calendar_feed(
        &self,
        tenant: TenantId,
        id: UserId,
        on: bool,
    ) -> Result<Option<String>> {
        let secret = on.then(|| {
            use rand::RngCore;
            let mut b = [0u8; 32];
            rand::rng().fill_bytes(&mut b);
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        });
        let n = self
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .value(
                        Users::CalendarFeedHash,
                        secret.as_deref().map(crate::tokens::digest),
                    )
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(secret)
    }

    /// Whether the user has a calendar feed running.
    pub async fn has_calendar_feed(&self, tenant: TenantId, id: UserId) -> Result<bool> {
        let (hash,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(Users::CalendarFeedHash)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        Ok(hash.is_some())
    }

    /// The enabled account whose calendar feed `secret` opens, in any tenant (the
    /// address carries no tenant).
    pub async fn user_by_calendar_feed(&self, secret: &str) -> Result<Option<User>> {
        if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row: Option<(i64, i64)> = self
            .fetch_optional(
                &Query::select()
                    .columns([Users::TenantId, Users::Id])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::CalendarFeedHash).eq(crate::tokens::digest(secret)))
                    .and_where(Expr::col(Users::Disabled).eq(false))
                    .to_owned(),
            )
            .await?;
        match row {
            Some((t, u)) => Ok(Some(self.user(TenantId(t), UserId(u)).await?)),
            None => Ok(None),
        }
    }

    /// Does `password` open this account? (The user changing their own password says
    /// the current one first.) Not throttled here: the caller is signed in already.
    pub async fn password_matches(
        &self,
        tenant: TenantId,
        id: UserId,
        password: &str,
    ) -> Result<bool> {
        let (hash,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(Users::PasswordHash)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id.0))
                    .to_owned(),
            )
            .await?;
        Ok(verify_password(
            password,
            hash.as_deref().unwrap_or(DUMMY_HASH),
        ))
    }

    /// Links an account to a person of the employee master.
    pub async fn link_user_to_person(
        &self,
        tenant: TenantId,
        id: UserId,
        person: Option<PersonId>,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Users::Table)
                .values([(Users::PersonId, person.map(|p| p.0).into())])
                .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                .and_where(Expr::col(Users::Id).eq(id.0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

async fn ensure_user_in_tenant(tx: &mut crate::Tx, tenant: TenantId, id: UserId) -> Result<()> {
    let found: Option<(i64,)> = tx
        .fetch_optional(
            &Query::select()
                .column(Users::Id)
                .from(Users::Table)
                .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                .and_where(Expr::col(Users::Id).eq(id.0))
                .to_owned(),
        )
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

async fn insert_roles(
    tx: &mut crate::Tx,
    tenant: TenantId,
    id: UserId,
    roles: &RoleSet,
) -> Result<()> {
    let mut q = Query::insert()
        .into_table(UserRoles::Table)
        .columns([UserRoles::TenantId, UserRoles::UserId, UserRoles::Role])
        .to_owned();
    let mut any = false;
    for r in roles.iter().filter(|r| *r != Role::Manager) {
        q.values_panic([tenant.0.into(), id.0.into(), r.as_str().into()]);
        any = true;
    }
    if any {
        tx.execute(&q).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_is_a_valid_argon2_hash() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
    }
}
