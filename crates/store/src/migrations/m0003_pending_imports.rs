//! Migration 3: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// Uploaded files waiting for the user to confirm their preview (kept in the database so
/// any server process can apply them).
pub(super) fn m0003_pending_imports(engine: Engine) -> Statements {
    let table = Table::create()
        .table(PendingImports::Table)
        .col(id_col(PendingImports::Id))
        .col(tenant_col(PendingImports::TenantId))
        .col(
            ColumnDef::new(PendingImports::UserId)
                .big_integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(PendingImports::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(PendingImports::FileName).text().not_null())
        .col(ColumnDef::new(PendingImports::Full).boolean().not_null())
        .col(ColumnDef::new(PendingImports::Content).blob().not_null())
        .foreign_key(&mut fk(
            PendingImports::Table,
            PendingImports::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(
            &mut fk(
                PendingImports::Table,
                PendingImports::UserId,
                Users::Table,
                Users::Id,
            )
            .on_delete(ForeignKeyAction::Cascade)
            .to_owned(),
        )
        .to_owned();
    vec![render(engine, &table)]
}
