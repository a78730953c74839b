//! Migration 32: not yet released — it may change until the stop that lands it.

use super::*;

/// KPI集計: the KPI dashboard's counts per fiscal year, department (0 for people without
/// one) and KPI — own members only, added up the tree when read — with the numerator in thousandths, and whether the KPI
/// must stay hidden there whatever its count (`hidden`: where a survey's own report hides
/// the unit). `kpi_years` says when each year was counted. Both are derived: a refresh
/// replaces a year's rows in one transaction.
pub(super) fn m0032_kpi_counts(engine: Engine) -> Statements {
    let c = KpiCounts::Table;
    let counts = Table::create()
        .table(c)
        .col(tenant_col(KpiCounts::TenantId))
        .col(big(KpiCounts::FiscalYear))
        .col(big(KpiCounts::DepartmentId))
        .col(text(KpiCounts::Kpi))
        // Thousandths (a score's sum is not whole; backups carry integers).
        .col(big(KpiCounts::NumMilli))
        .col(big(KpiCounts::Den))
        .col(big(KpiCounts::People))
        .col(ColumnDef::new(KpiCounts::Hidden).boolean().not_null())
        .primary_key(
            Index::create()
                .col(KpiCounts::TenantId)
                .col(KpiCounts::FiscalYear)
                .col(KpiCounts::DepartmentId)
                .col(KpiCounts::Kpi),
        )
        .foreign_key(&mut fk(c, KpiCounts::TenantId, Tenants::Table, Tenants::Id))
        .to_owned();
    let y = KpiYears::Table;
    let years = Table::create()
        .table(y)
        .col(tenant_col(KpiYears::TenantId))
        .col(big(KpiYears::FiscalYear))
        .col(ts(KpiYears::ComputedAt))
        .primary_key(
            Index::create()
                .col(KpiYears::TenantId)
                .col(KpiYears::FiscalYear),
        )
        .foreign_key(&mut fk(y, KpiYears::TenantId, Tenants::Table, Tenants::Id))
        .to_owned();
    vec![render(engine, &counts), render(engine, &years)]
}
