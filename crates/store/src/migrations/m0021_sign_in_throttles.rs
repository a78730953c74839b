//! Migration 21: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Sign-in throttles: failures in a row per typed account and per client address, and
/// until when the next attempt waits (`domain::throttle`). The users' own lock-out
/// columns (`failed_attempts`, `locked_until`) are no longer used.
pub(super) fn m0021_sign_in_throttles(engine: Engine) -> Statements {
    let t = SignInThrottles::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(SignInThrottles::Id))
        .col(tenant_col(SignInThrottles::TenantId))
        .col(text(SignInThrottles::Kind))
        .col(text(SignInThrottles::Subject))
        .col(big(SignInThrottles::Failures))
        .col(ts(SignInThrottles::LastFailureAt))
        .col(
            ColumnDef::new(SignInThrottles::BlockedUntil)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            t,
            SignInThrottles::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let one = Index::create()
        .name("sign_in_throttles_subject")
        .table(t)
        .col(SignInThrottles::TenantId)
        .col(SignInThrottles::Kind)
        .col(SignInThrottles::Subject)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &one)]
}
