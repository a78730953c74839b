//! Migration 40: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Single sign-on (シングルサインオン): one OpenID Connect provider per company — its
/// issuer, the client id and the sealed client secret, the claim carrying the e-mail
/// address, whether accounts are made at first sign-in, whether passwords stop working
/// (but for the break-glass admin's). SCIM provisioning: each company's bearer token
/// (its SHA-256), each account's external id, the attributes the provider wrote (JSON),
/// when the provider last wrote it and when it deleted it; groups and their members.
pub(super) fn m0040_identity(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    let mut out = Vec::new();
    for col in [
        ColumnDef::new(Users::ExternalId).text().null().to_owned(),
        ColumnDef::new(Users::Scim).text().null().to_owned(),
        ColumnDef::new(Users::ScimDeletedAt)
            .timestamp_with_time_zone()
            .null()
            .to_owned(),
        ColumnDef::new(Users::ScimUpdatedAt)
            .timestamp_with_time_zone()
            .null()
            .to_owned(),
    ] {
        out.push(alter(
            Table::alter()
                .table(Users::Table)
                .add_column(col)
                .to_owned(),
        ));
    }
    for col in [
        ColumnDef::new(ScimColumns::ScimTokenHash)
            .text()
            .null()
            .to_owned(),
        ColumnDef::new(ScimColumns::ScimTokenAt)
            .timestamp_with_time_zone()
            .null()
            .to_owned(),
    ] {
        out.push(alter(
            Table::alter()
                .table(Tenants::Table)
                .add_column(col)
                .to_owned(),
        ));
    }
    let g = ScimGroups::Table;
    let groups = Table::create()
        .table(g)
        .col(id_col(ScimGroups::Id))
        .col(tenant_col(ScimGroups::TenantId))
        .col(text(ScimGroups::DisplayName))
        .col(ColumnDef::new(ScimGroups::ExternalId).text().null())
        .col(ts(ScimGroups::CreatedAt))
        .col(ts(ScimGroups::UpdatedAt))
        .foreign_key(&mut fk(
            g,
            ScimGroups::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let groups_by_tenant = Index::create()
        .name("scim_groups_tenant")
        .table(g)
        .col(ScimGroups::TenantId)
        .col(ScimGroups::DisplayName)
        .to_owned();
    let m = ScimGroupMembers::Table;
    let members = Table::create()
        .table(m)
        .col(id_col(ScimGroupMembers::Id))
        .col(tenant_col(ScimGroupMembers::TenantId))
        .col(big(ScimGroupMembers::GroupId))
        .col(big(ScimGroupMembers::UserId))
        .foreign_key(&mut fk(
            m,
            ScimGroupMembers::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            m,
            ScimGroupMembers::GroupId,
            ScimGroups::Table,
            ScimGroups::Id,
        ))
        .foreign_key(&mut fk(
            m,
            ScimGroupMembers::UserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let member_once = Index::create()
        .name("scim_group_members_once")
        .table(m)
        .col(ScimGroupMembers::GroupId)
        .col(ScimGroupMembers::UserId)
        .unique()
        .to_owned();
    let member_of = Index::create()
        .name("scim_group_members_user")
        .table(m)
        .col(ScimGroupMembers::UserId)
        .to_owned();
    let s = TenantSso::Table;
    let table = Table::create()
        .table(s)
        .col(id_col(TenantSso::Id))
        .col(tenant_col(TenantSso::TenantId).unique_key())
        .col(text(TenantSso::Issuer))
        .col(text(TenantSso::ClientId))
        .col(text(TenantSso::ClientSecret))
        .col(text(TenantSso::EmailClaim))
        .col(
            ColumnDef::new(TenantSso::CreateUsers)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(TenantSso::SsoOnly)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(TenantSso::BreakGlassUserId)
                .big_integer()
                .null(),
        )
        .col(ts(TenantSso::UpdatedAt))
        .foreign_key(&mut fk(s, TenantSso::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(
            s,
            TenantSso::BreakGlassUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    out.push(render(engine, &table));
    out.push(render(engine, &groups));
    out.push(render_index(engine, &groups_by_tenant));
    out.push(render(engine, &members));
    out.push(render_index(engine, &member_once));
    out.push(render_index(engine, &member_of));
    out
}
