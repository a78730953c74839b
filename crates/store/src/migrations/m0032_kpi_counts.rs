//! Migration 32: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// KPI集計: the KPI dashboard's figures per fiscal year, unit (a department; 0 for the
/// whole company) and KPI, as decided when the year was counted: the unit's totals (its
/// own members and every unit below it; the numerator in thousandths) and whether the
/// anonymity rule hides the figure there. `kpi_years` says when each year was counted.
/// Both are derived: a recount replaces a year's rows in one transaction.
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
