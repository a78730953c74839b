//! Migration 40: not yet released — may still change until it lands.

use super::*;

/// Single sign-on (シングルサインオン): one OpenID Connect provider per company — its
/// issuer, the client id and the sealed client secret, the claim carrying the e-mail
/// address, whether accounts are made at first sign-in, whether passwords stop working
/// (but for the break-glass admin's).
pub(super) fn m0040_sso(engine: Engine) -> Statements {
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
    vec![render(engine, &table)]
}
