//! 招待 (invitations): a link by e-mail with which someone whose account was made for
//! them sets their own password. The link's secret is stored only as its SHA-256
//! digest; it works once, until it expires. Who may invite whom is decided in `app`.

use crate::schema::{Invitations, People, UserRoles, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use domain::EmailAddress;
use domain::PersonStatus;
use domain::account::LinkPurpose;
use rand::RngCore;
use sea_query::{Expr, ExprTrait, Func, Order, Query};

/// How long an invitation link works.
pub const VALID_FOR_DAYS: i64 = domain::account::INVITATION_VALID_DAYS;

use crate::tokens::digest;

type InvitationRow = (
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
);

/// An invitation as the link's page needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub tenant: TenantId,
    pub user: UserId,
    pub email: String,
    pub name: String,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    /// An invitation or a password reset.
    pub purpose: LinkPurpose,
}

impl Store {
    /// Makes an invitation for a user; returns the secret for the link (never stored).
    /// Earlier unused invitations of the same user stop working.
    pub async fn create_invitation(
        &self,
        tenant: TenantId,
        user: UserId,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        self.create_link(tenant, user, by, LinkPurpose::Invitation, now)
            .await
    }

    /// Makes a link of either purpose for a user; returns its secret (never stored).
    /// Earlier unused links of the same user — of either purpose — stop working, so only
    /// the newest e-mail's link ever works.
    pub async fn create_link(
        &self,
        tenant: TenantId,
        user: UserId,
        by: Option<UserId>,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let mut tx = self.begin().await?;
        let secret = insert_link(&mut tx, tenant, user, by, purpose, now).await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// When the user's newest link of this purpose was made, if any.
    pub async fn latest_link_at(
        &self,
        tenant: TenantId,
        user: UserId,
        purpose: LinkPurpose,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut q = Query::select()
            .expr(Expr::col(Invitations::CreatedAt).max())
            .from(Invitations::Table)
            .and_where(Expr::col(Invitations::TenantId).eq(tenant.0))
            .and_where(Expr::col(Invitations::UserId).eq(user.0))
            .to_owned();
        match purpose.stored() {
            Some(p) => q.and_where(Expr::col(Invitations::Purpose).eq(p)),
            None => q.and_where(Expr::col(Invitations::Purpose).is_null()),
        };
        let (at,): (Option<DateTime<Utc>>,) = self.fetch_one(&q).await?;
        Ok(at)
    }
}

/// Voids the user's open links and writes a new one; returns its secret.
pub(crate) async fn insert_link(
    tx: &mut crate::Tx,
    tenant: TenantId,
    user: UserId,
    by: Option<UserId>,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    {
        tx.execute(
            &Query::update()
                .table(Invitations::Table)
                .value(Invitations::ExpiresAt, now)
                .and_where(Expr::col(Invitations::TenantId).eq(tenant.0))
                .and_where(Expr::col(Invitations::UserId).eq(user.0))
                .and_where(Expr::col(Invitations::UsedAt).is_null())
                .and_where(Expr::col(Invitations::ExpiresAt).gt(now))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(Invitations::Table)
                .columns([
                    Invitations::TenantId,
                    Invitations::UserId,
                    Invitations::TokenHash,
                    Invitations::CreatedByUserId,
                    Invitations::CreatedAt,
                    Invitations::ExpiresAt,
                    Invitations::Purpose,
                ])
                .values_panic([
                    tenant.0.into(),
                    user.0.into(),
                    digest(&secret).into(),
                    by.map(|u| u.0).into(),
                    now.into(),
                    (now + purpose.valid_for()).into(),
                    purpose.stored().into(),
                ])
                .to_owned(),
        )
        .await?;
    }
    Ok(secret)
}

impl Store {
    /// The invitation a link's secret names, in any tenant (the link carries no tenant).
    pub async fn invitation(&self, secret: &str) -> Result<Option<Invitation>> {
        let row: Option<InvitationRow> = self
            .fetch_optional(
                &Query::select()
                    .column((Invitations::Table, Invitations::TenantId))
                    .column((Invitations::Table, Invitations::UserId))
                    .column((Users::Table, Users::Email))
                    .column((Users::Table, Users::Name))
                    .column((Invitations::Table, Invitations::ExpiresAt))
                    .column((Invitations::Table, Invitations::UsedAt))
                    .column((Invitations::Table, Invitations::Purpose))
                    .from(Invitations::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((Invitations::Table, Invitations::UserId)),
                    )
                    .and_where(
                        Expr::col((Invitations::Table, Invitations::TokenHash)).eq(digest(secret)),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(row.map(
            |(t, u, email, name, expires_at, used, purpose)| Invitation {
                tenant: TenantId(t),
                user: UserId(u),
                email,
                name,
                expires_at,
                used: used.is_some(),
                purpose: LinkPurpose::from_stored(purpose.as_deref()),
            },
        ))
    }

    /// Uses a link: sets the password and marks it used, in one transaction, only if it
    /// is unused and not expired (false otherwise: nothing changes). A reset voids every
    /// session signed in before it (whoever knew the old password is signed out); an
    /// invited account had none.
    pub async fn accept_invitation(
        &self,
        secret: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let Some(inv) = self.invitation(secret).await? else {
            return Ok(false);
        };
        let hash = crate::users::hash_password(password)?;
        let mut tx = self.begin().await?;
        let n = tx
            .execute(
                &Query::update()
                    .table(Invitations::Table)
                    .value(Invitations::UsedAt, now)
                    .and_where(Expr::col(Invitations::TokenHash).eq(digest(secret)))
                    .and_where(Expr::col(Invitations::UsedAt).is_null())
                    .and_where(Expr::col(Invitations::ExpiresAt).gt(now))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        let n = tx
            .execute(
                &Query::update()
                    .table(Users::Table)
                    .values(
                        [
                            (Users::PasswordHash, hash.into()),
                            (Users::FailedAttempts, 0.into()),
                            (Users::LockedUntil, Option::<DateTime<Utc>>::None.into()),
                        ]
                        .into_iter()
                        .chain(
                            (inv.purpose == LinkPurpose::Reset)
                                .then(|| (Users::SessionsValidAfter, now.into())),
                        ),
                    )
                    .and_where(Expr::col(Users::TenantId).eq(inv.tenant.0))
                    .and_where(Expr::col(Users::Id).eq(inv.user.0))
                    .to_owned(),
            )
            .await?;
        if n != 1 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Does the account have a password yet?
    pub async fn has_password(&self, tenant: TenantId, user: UserId) -> Result<bool> {
        let (hash,): (Option<String>,) = self
            .fetch_one(
                &Query::select()
                    .column(Users::PasswordHash)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(user.0))
                    .to_owned(),
            )
            .await?;
        Ok(hash.is_some())
    }
}

/// id, employee number, name, e-mail, department.
type UninvitedRow = (i64, String, String, Option<String>, Option<i64>);

/// The people of a tenant who have an account (a subquery).
fn people_with_accounts(tenant: TenantId) -> sea_query::SelectStatement {
    Query::select()
        .column(Users::PersonId)
        .from(Users::Table)
        .and_where(Expr::col(Users::TenantId).eq(tenant.0))
        .and_where(Expr::col(Users::PersonId).is_not_null())
        .to_owned()
}

/// A person of the employee master who has no account yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Uninvited {
    pub person: PersonId,
    pub employee_number: String,
    pub name: String,
    /// As the master holds it (`None`: no address, so no invitation can reach them).
    pub email: Option<String>,
}

impl Store {
    /// Every current (在籍) person with no account, in the department with `code` and
    /// below it (the whole company when `None`), by employee number. `NotFound` for an
    /// unknown code.
    pub async fn people_without_account(
        &self,
        tenant: TenantId,
        department: Option<&str>,
    ) -> Result<Vec<Uninvited>> {
        let inside = match department {
            Some(code) => Some(self.department_subtree(tenant, code).await?),
            None => None,
        };
        let accounts = people_with_accounts(tenant);
        let rows: Vec<UninvitedRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        People::Id,
                        People::EmployeeNumber,
                        People::Name,
                        People::Email,
                        People::DepartmentId,
                    ])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).eq(PersonStatus::Active.as_str()))
                    .and_where(Expr::col(People::Id).not_in_subquery(accounts))
                    .order_by(People::EmployeeNumber, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter(|r| match (&inside, r.4) {
                (None, _) => true,
                (Some(set), Some(d)) => set.contains(&d),
                (Some(_), None) => false,
            })
            .map(|(id, number, name, email, _)| Uninvited {
                person: PersonId(id),
                employee_number: number,
                name,
                email: email.filter(|e| !e.trim().is_empty()),
            })
            .collect())
    }

    /// The one current (在籍) person of the master with this address and no account
    /// (`None` when nobody, or more than one person, has it): whom a first sign-in
    /// through the company's provider makes an account for.
    pub async fn uninvited_person_with_email(
        &self,
        tenant: TenantId,
        email: &domain::EmailAddress,
    ) -> Result<Option<Uninvited>> {
        let accounts = people_with_accounts(tenant);
        let rows: Vec<UninvitedRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        People::Id,
                        People::EmployeeNumber,
                        People::Name,
                        People::Email,
                        People::DepartmentId,
                    ])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).eq(PersonStatus::Active.as_str()))
                    .and_where(Func::lower(Expr::col(People::Email)).eq(email.as_str()))
                    .and_where(Expr::col(People::Id).not_in_subquery(accounts))
                    .limit(2)
                    .to_owned(),
            )
            .await?;
        if rows.len() != 1 {
            return Ok(None);
        }
        Ok(rows
            .into_iter()
            .next()
            .map(|(id, number, name, email, _)| Uninvited {
                person: PersonId(id),
                employee_number: number,
                name,
                email,
            }))
    }

    /// How many current (在籍) people with an address in the master have no account.
    pub async fn count_people_without_account(&self, tenant: TenantId) -> Result<i64> {
        let accounts = people_with_accounts(tenant);
        let (n,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(People::Id).count())
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::Status).eq(PersonStatus::Active.as_str()))
                    .and_where(Expr::col(People::Email).is_not_null())
                    .and_where(Expr::col(People::Email).ne(""))
                    .and_where(Expr::col(People::Id).not_in_subquery(accounts))
                    .to_owned(),
            )
            .await?;
        Ok(n)
    }

    /// Makes an employee's account (no password) for each person, linked to them, and
    /// an invitation for each, all in one transaction; returns (account, secret) in the
    /// order given. An address already used by an account refuses the whole batch
    /// (`Conflict`) — the caller leaves those out first.
    pub async fn create_invited_accounts(
        &self,
        tenant: TenantId,
        people: &[(PersonId, EmailAddress, String)],
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(UserId, String)>> {
        let mut tx = self.begin().await?;
        let mut out = Vec::with_capacity(people.len());
        for (person, email, name) in people {
            let (id,): (i64,) = tx
                .fetch_one(
                    &Query::insert()
                        .into_table(Users::Table)
                        .columns([
                            Users::TenantId,
                            Users::Email,
                            Users::Name,
                            Users::PersonId,
                            Users::CreatedAt,
                        ])
                        .values_panic([
                            tenant.0.into(),
                            email.as_str().into(),
                            name.trim().into(),
                            person.0.into(),
                            now.into(),
                        ])
                        .returning_col(Users::Id)
                        .to_owned(),
                )
                .await?;
            tx.execute(
                &Query::insert()
                    .into_table(UserRoles::Table)
                    .columns([UserRoles::TenantId, UserRoles::UserId, UserRoles::Role])
                    .values_panic([
                        tenant.0.into(),
                        id.into(),
                        domain::Role::Employee.as_str().into(),
                    ])
                    .to_owned(),
            )
            .await?;
            let secret = insert_link(
                &mut tx,
                tenant,
                UserId(id),
                by,
                LinkPurpose::Invitation,
                now,
            )
            .await?;
            out.push((UserId(id), secret));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The open invitation of each account that has no password yet: until when it
    /// works (`None`: none open — never invited, or the link expired).
    pub async fn open_invitations(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<std::collections::HashMap<UserId, DateTime<Utc>>> {
        let rows: Vec<(i64, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .column(Invitations::UserId)
                    .expr(Expr::col(Invitations::ExpiresAt).max())
                    .from(Invitations::Table)
                    .and_where(Expr::col(Invitations::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Invitations::UsedAt).is_null())
                    .and_where(Expr::col(Invitations::ExpiresAt).gt(now))
                    .and_where(Expr::col(Invitations::Purpose).is_null())
                    .group_by_col(Invitations::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(u, at)| (UserId(u), at)).collect())
    }

    /// The accounts of a tenant that have no password (SSO or not yet invited/accepted).
    pub async fn accounts_without_password(
        &self,
        tenant: TenantId,
    ) -> Result<std::collections::HashSet<UserId>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .column(Users::Id)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::PasswordHash).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(u,)| UserId(u)).collect())
    }
}
