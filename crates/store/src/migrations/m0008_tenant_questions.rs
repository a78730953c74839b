//! Migration 8: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 質問集: the questions a tenant adds to the built-in bank.
pub(super) fn m0008_tenant_questions(engine: Engine) -> Statements {
    let table = Table::create()
        .table(TenantQuestions::Table)
        .col(id_col(TenantQuestions::Id))
        .col(tenant_col(TenantQuestions::TenantId))
        .col(ColumnDef::new(TenantQuestions::Category).text().not_null())
        .col(ColumnDef::new(TenantQuestions::TextJa).text().not_null())
        .col(ColumnDef::new(TenantQuestions::TextEn).text().not_null())
        .col(
            ColumnDef::new(TenantQuestions::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(&mut fk(
            TenantQuestions::Table,
            TenantQuestions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    vec![render(engine, &table)]
}
