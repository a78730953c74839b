//! Migration 25: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// お知らせ: every notice that goes out by email also waits in the app, unread until
/// opened. A notice carries a translation key and its arguments, never a note's or a
/// report's words (like the email it mirrors); `job_key` ties it to its email.
pub(super) fn m0025_notifications(engine: Engine) -> Statements {
    let t = Notifications::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(Notifications::Id))
        .col(tenant_col(Notifications::TenantId))
        .col(big(Notifications::UserId))
        .col(text(Notifications::Key))
        .col(text(Notifications::Args))
        .col(text(Notifications::Path))
        .col(text(Notifications::JobKey))
        .col(ts(Notifications::CreatedAt))
        .col(
            ColumnDef::new(Notifications::ReadAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            t,
            Notifications::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(t, Notifications::UserId, Users::Table, Users::Id))
        .to_owned();
    let by_user = Index::create()
        .name("notifications_user")
        .table(t)
        .col(Notifications::TenantId)
        .col(Notifications::UserId)
        .col(Notifications::ReadAt)
        .to_owned();
    let one = Index::create()
        .name("notifications_job")
        .table(t)
        .col(Notifications::JobKey)
        .unique()
        .to_owned();
    vec![
        render(engine, &table),
        render_index(engine, &by_user),
        render_index(engine, &one),
    ]
}
