//! Migration 2: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

pub(super) fn m0002_imports(engine: Engine) -> Statements {
    let table = Table::create()
        .table(Imports::Table)
        .col(id_col(Imports::Id))
        .col(tenant_col(Imports::TenantId))
        .col(
            ColumnDef::new(Imports::At)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(Imports::ActorUserId).big_integer().null())
        .col(
            ColumnDef::new(Imports::ActorEmail)
                .text()
                .not_null()
                .default(""),
        )
        .col(ColumnDef::new(Imports::FileName).text().not_null())
        .col(ColumnDef::new(Imports::Source).text().not_null())
        .col(ColumnDef::new(Imports::Rows).big_integer().not_null())
        .col(ColumnDef::new(Imports::Added).big_integer().not_null())
        .col(ColumnDef::new(Imports::Updated).big_integer().not_null())
        .col(ColumnDef::new(Imports::Unchanged).big_integer().not_null())
        .col(ColumnDef::new(Imports::MarkedLeft).big_integer().not_null())
        .col(ColumnDef::new(Imports::Full).boolean().not_null())
        .foreign_key(&mut fk(
            Imports::Table,
            Imports::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    vec![
        render(engine, &table),
        render_index(
            engine,
            &Index::create()
                .name("imports_tenant_at")
                .table(Imports::Table)
                .col(Imports::TenantId)
                .col(Imports::At)
                .to_owned(),
        ),
    ]
}
