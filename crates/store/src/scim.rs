//! SCIM provisioning's storage: each company's bearer token (only its SHA-256 is kept),
//! the accounts as the identity provider sees them (every account of the company but
//! those it deleted), and its groups with their members.

use crate::schema::{ScimColumns, ScimGroupMembers, ScimGroups, Tenants, UserRoles, Users};
use crate::tokens::digest;
use crate::users::User;
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::{EmailAddress, Role};
use rand::RngCore;
use sea_query::{Expr, ExprTrait, Func, Order, Query};

/// An account with what SCIM adds to it.
#[derive(Debug, Clone)]
pub struct ScimUser {
    pub user: User,
    pub external_id: Option<String>,
    /// The attributes the provider wrote (JSON object), if it wrote any.
    pub attributes: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the provider writes to an account.
#[derive(Debug, Clone)]
pub struct ScimWrite<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a str,
    pub external_id: Option<&'a str>,
    pub attributes: &'a str,
    pub active: bool,
}

/// A group with its members (id and name, by name).
#[derive(Debug, Clone)]
pub struct ScimGroup {
    pub id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub members: Vec<(UserId, String)>,
}

/// id, display name, external id, created, updated.
type GroupRow = (i64, String, Option<String>, DateTime<Utc>, DateTime<Utc>);

/// A list filter: (`userName` | `externalId` | `id` | `displayName`, value).
pub type Filter<'a> = Option<(&'a str, &'a str)>;

impl Store {
    // ----- the bearer token -----

    /// Makes the company's SCIM token (the earlier one stops working); returns it, to be
    /// shown once.
    pub async fn set_scim_token(&self, tenant: TenantId, now: DateTime<Utc>) -> Result<String> {
        let mut b = [0u8; 32];
        rand::rng().fill_bytes(&mut b);
        let secret = format!(
            "scim_{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        );
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(ScimColumns::ScimTokenHash, digest(&secret))
                .value(ScimColumns::ScimTokenAt, now)
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await?;
        Ok(secret)
    }

    /// When the company's SCIM token was made, if it has one.
    pub async fn scim_token_at(&self, tenant: TenantId) -> Result<Option<DateTime<Utc>>> {
        let (at,): (Option<DateTime<Utc>>,) = self
            .fetch_one(
                &Query::select()
                    .column(ScimColumns::ScimTokenAt)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .and_where(Expr::col(ScimColumns::ScimTokenHash).is_not_null())
                    .to_owned(),
            )
            .await
            .or_else(|e| match e {
                StoreError::NotFound => Ok((None,)),
                e => Err(e),
            })?;
        Ok(at)
    }

    /// Stops the company's SCIM token.
    pub async fn revoke_scim_token(&self, tenant: TenantId) -> Result<bool> {
        Ok(self
            .execute(
                &Query::update()
                    .table(Tenants::Table)
                    .value(ScimColumns::ScimTokenHash, Option::<String>::None)
                    .value(ScimColumns::ScimTokenAt, Option::<DateTime<Utc>>::None)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .and_where(Expr::col(ScimColumns::ScimTokenHash).is_not_null())
                    .to_owned(),
            )
            .await?
            > 0)
    }

    /// The company a SCIM token belongs to.
    pub async fn scim_tenant(&self, secret: &str) -> Result<Option<TenantId>> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Tenants::Id)
                    .from(Tenants::Table)
                    .and_where(Expr::col(ScimColumns::ScimTokenHash).eq(digest(secret)))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(id,)| TenantId(id)))
    }

    // ----- users -----

    async fn scim_user_of(&self, tenant: TenantId, id: i64) -> Result<Option<ScimUser>> {
        type Extra = (Option<String>, Option<String>, Option<DateTime<Utc>>);
        let row: Option<Extra> = self
            .fetch_optional(
                &Query::select()
                    .columns([Users::ExternalId, Users::Scim, Users::ScimUpdatedAt])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(id))
                    .and_where(Expr::col(Users::ScimDeletedAt).is_null())
                    .to_owned(),
            )
            .await?;
        let Some((external_id, attributes, updated_at)) = row else {
            return Ok(None);
        };
        Ok(Some(ScimUser {
            user: self.user(tenant, UserId(id)).await?,
            external_id,
            attributes,
            updated_at,
        }))
    }

    /// One account, unless the provider deleted it.
    pub async fn scim_user(&self, tenant: TenantId, id: UserId) -> Result<Option<ScimUser>> {
        self.scim_user_of(tenant, id.0).await
    }

    /// The accounts the provider sees, by id: how many match, and the page from
    /// `offset`.
    pub async fn scim_users(
        &self,
        tenant: TenantId,
        filter: Filter<'_>,
        offset: u64,
        count: u64,
    ) -> Result<(i64, Vec<ScimUser>)> {
        let mut q = Query::select();
        q.from(Users::Table)
            .and_where(Expr::col(Users::TenantId).eq(tenant.0))
            .and_where(Expr::col(Users::ScimDeletedAt).is_null());
        match filter {
            Some(("userName", v)) => {
                q.and_where(Expr::col(Users::Email).eq(v.trim().to_lowercase()));
            }
            Some(("externalId", v)) => {
                q.and_where(Expr::col(Users::ExternalId).eq(v));
            }
            Some(("id", v)) => {
                q.and_where(Expr::col(Users::Id).eq(v.parse::<i64>().unwrap_or(-1)));
            }
            _ => {}
        }
        let mut counted = q.clone();
        let (total,): (i64,) = self
            .fetch_one(counted.expr(Expr::col(Users::Id).count()))
            .await?;
        let ids: Vec<(i64,)> = self
            .fetch_all(
                q.column(Users::Id)
                    .order_by(Users::Id, Order::Asc)
                    .offset(offset)
                    .limit(count),
            )
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if let Some(u) = self.scim_user_of(tenant, id).await? {
                out.push(u);
            }
        }
        Ok((total, out))
    }

    /// An account the provider deleted, by address (a new POST brings it back).
    pub async fn scim_deleted_user(
        &self,
        tenant: TenantId,
        email: &EmailAddress,
    ) -> Result<Option<UserId>> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Users::Id)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Email).eq(email.as_str()))
                    .and_where(Expr::col(Users::ScimDeletedAt).is_not_null())
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|(id,)| UserId(id)))
    }

    /// A new account as the provider wrote it, linked to `person` and with `roles`.
    /// `Conflict` when the address is taken.
    pub async fn scim_create_user(
        &self,
        tenant: TenantId,
        w: &ScimWrite<'_>,
        person: Option<PersonId>,
        roles: &[Role],
        now: DateTime<Utc>,
    ) -> Result<UserId> {
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
                        Users::CreatedAt,
                        Users::ExternalId,
                        Users::Scim,
                        Users::ScimUpdatedAt,
                        Users::Disabled,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        w.email.as_str().into(),
                        w.name.trim().into(),
                        person.map(|p| p.0).into(),
                        now.into(),
                        w.external_id.into(),
                        w.attributes.into(),
                        now.into(),
                        (!w.active).into(),
                    ])
                    .returning_col(Users::Id)
                    .to_owned(),
            )
            .await?;
        for role in roles {
            tx.execute(
                &Query::insert()
                    .into_table(UserRoles::Table)
                    .columns([UserRoles::TenantId, UserRoles::UserId, UserRoles::Role])
                    .values_panic([tenant.0.into(), id.into(), role.as_str().into()])
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(UserId(id))
    }

    /// Writes what the provider sent over an account (a PUT or PATCH, or bringing a
    /// deleted one back). Disabling voids its sessions. `Conflict` when the new address
    /// is another account's.
    pub async fn scim_update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        w: &ScimWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let was = self.user(tenant, id).await?;
        let mut update = Query::update();
        update
            .table(Users::Table)
            .value(Users::Email, w.email.as_str())
            .value(Users::Name, w.name.trim())
            .value(Users::ExternalId, w.external_id)
            .value(Users::Scim, w.attributes)
            .value(Users::ScimUpdatedAt, now)
            .value(Users::ScimDeletedAt, Option::<DateTime<Utc>>::None)
            .value(Users::Disabled, !w.active)
            .and_where(Expr::col(Users::TenantId).eq(tenant.0))
            .and_where(Expr::col(Users::Id).eq(id.0));
        if !w.active && !was.disabled {
            update.value(Users::SessionsValidAfter, now);
        }
        self.execute(&update).await?;
        Ok(())
    }

    /// The provider deleted the account: it stays (what it wrote and what was written
    /// about it are history), disabled, out of every group, and no longer listed.
    pub async fn scim_delete_user(
        &self,
        tenant: TenantId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::update()
                .table(Users::Table)
                .value(Users::Disabled, true)
                .value(Users::SessionsValidAfter, now)
                .value(Users::ScimDeletedAt, now)
                .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                .and_where(Expr::col(Users::Id).eq(id.0))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::delete()
                .from_table(ScimGroupMembers::Table)
                .and_where(Expr::col(ScimGroupMembers::TenantId).eq(tenant.0))
                .and_where(Expr::col(ScimGroupMembers::UserId).eq(id.0))
                .to_owned(),
        )
        .await?;
        tx.commit().await
    }

    // ----- groups -----

    async fn members_of(&self, tenant: TenantId, group: i64) -> Result<Vec<(UserId, String)>> {
        let rows: Vec<(i64, String)> = self
            .fetch_all(
                &Query::select()
                    .column((Users::Table, Users::Id))
                    .column((Users::Table, Users::Name))
                    .from(ScimGroupMembers::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id))
                            .equals((ScimGroupMembers::Table, ScimGroupMembers::UserId)),
                    )
                    .and_where(
                        Expr::col((ScimGroupMembers::Table, ScimGroupMembers::TenantId))
                            .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((ScimGroupMembers::Table, ScimGroupMembers::GroupId)).eq(group),
                    )
                    .order_by((Users::Table, Users::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(id, n)| (UserId(id), n)).collect())
    }

    /// The company's groups by id: how many match, and the page from `offset`.
    pub async fn scim_groups(
        &self,
        tenant: TenantId,
        filter: Filter<'_>,
        offset: u64,
        count: u64,
    ) -> Result<(i64, Vec<ScimGroup>)> {
        let mut q = Query::select();
        q.from(ScimGroups::Table)
            .and_where(Expr::col(ScimGroups::TenantId).eq(tenant.0));
        match filter {
            Some(("displayName", v)) => {
                q.and_where(
                    Func::lower(Expr::col(ScimGroups::DisplayName)).eq(v.trim().to_lowercase()),
                );
            }
            Some(("externalId", v)) => {
                q.and_where(Expr::col(ScimGroups::ExternalId).eq(v));
            }
            Some(("id", v)) => {
                q.and_where(Expr::col(ScimGroups::Id).eq(v.parse::<i64>().unwrap_or(-1)));
            }
            _ => {}
        }
        let mut counted = q.clone();
        let (total,): (i64,) = self
            .fetch_one(counted.expr(Expr::col(ScimGroups::Id).count()))
            .await?;
        let rows: Vec<GroupRow> = self
            .fetch_all(
                q.columns([
                    ScimGroups::Id,
                    ScimGroups::DisplayName,
                    ScimGroups::ExternalId,
                    ScimGroups::CreatedAt,
                    ScimGroups::UpdatedAt,
                ])
                .order_by(ScimGroups::Id, Order::Asc)
                .offset(offset)
                .limit(count),
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, display_name, external_id, created_at, updated_at) in rows {
            out.push(ScimGroup {
                id,
                display_name,
                external_id,
                created_at,
                updated_at,
                members: self.members_of(tenant, id).await?,
            });
        }
        Ok((total, out))
    }

    pub async fn scim_group(&self, tenant: TenantId, id: i64) -> Result<Option<ScimGroup>> {
        let (_, mut groups) = self
            .scim_groups(tenant, Some(("id", &id.to_string())), 0, 1)
            .await?;
        Ok(groups.pop())
    }

    /// Creates (`id: None`) or replaces a group with exactly these members.
    pub async fn scim_write_group(
        &self,
        tenant: TenantId,
        id: Option<i64>,
        display_name: &str,
        external_id: Option<&str>,
        members: &[UserId],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = match id {
            Some(id) => {
                tx.execute(
                    &Query::update()
                        .table(ScimGroups::Table)
                        .value(ScimGroups::DisplayName, display_name)
                        .value(ScimGroups::ExternalId, external_id)
                        .value(ScimGroups::UpdatedAt, now)
                        .and_where(Expr::col(ScimGroups::TenantId).eq(tenant.0))
                        .and_where(Expr::col(ScimGroups::Id).eq(id))
                        .to_owned(),
                )
                .await?;
                tx.execute(
                    &Query::delete()
                        .from_table(ScimGroupMembers::Table)
                        .and_where(Expr::col(ScimGroupMembers::TenantId).eq(tenant.0))
                        .and_where(Expr::col(ScimGroupMembers::GroupId).eq(id))
                        .to_owned(),
                )
                .await?;
                id
            }
            None => {
                let (id,): (i64,) = tx
                    .fetch_one(
                        &Query::insert()
                            .into_table(ScimGroups::Table)
                            .columns([
                                ScimGroups::TenantId,
                                ScimGroups::DisplayName,
                                ScimGroups::ExternalId,
                                ScimGroups::CreatedAt,
                                ScimGroups::UpdatedAt,
                            ])
                            .values_panic([
                                tenant.0.into(),
                                display_name.into(),
                                external_id.into(),
                                now.into(),
                                now.into(),
                            ])
                            .returning_col(ScimGroups::Id)
                            .to_owned(),
                    )
                    .await?;
                id
            }
        };
        for m in members {
            tx.execute(
                &Query::insert()
                    .into_table(ScimGroupMembers::Table)
                    .columns([
                        ScimGroupMembers::TenantId,
                        ScimGroupMembers::GroupId,
                        ScimGroupMembers::UserId,
                    ])
                    .values_panic([tenant.0.into(), id.into(), m.0.into()])
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn scim_delete_group(&self, tenant: TenantId, id: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(ScimGroupMembers::Table)
                .and_where(Expr::col(ScimGroupMembers::TenantId).eq(tenant.0))
                .and_where(Expr::col(ScimGroupMembers::GroupId).eq(id))
                .to_owned(),
        )
        .await?;
        let n = tx
            .execute(
                &Query::delete()
                    .from_table(ScimGroups::Table)
                    .and_where(Expr::col(ScimGroups::TenantId).eq(tenant.0))
                    .and_where(Expr::col(ScimGroups::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }

    /// The names of the groups an account is in.
    pub async fn scim_groups_of(&self, tenant: TenantId, user: UserId) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column((ScimGroups::Table, ScimGroups::DisplayName))
                    .from(ScimGroupMembers::Table)
                    .inner_join(
                        ScimGroups::Table,
                        Expr::col((ScimGroups::Table, ScimGroups::Id))
                            .equals((ScimGroupMembers::Table, ScimGroupMembers::GroupId)),
                    )
                    .and_where(
                        Expr::col((ScimGroupMembers::Table, ScimGroupMembers::TenantId))
                            .eq(tenant.0),
                    )
                    .and_where(
                        Expr::col((ScimGroupMembers::Table, ScimGroupMembers::UserId)).eq(user.0),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }
}
