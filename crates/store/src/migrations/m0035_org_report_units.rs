//! Migration 35: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 組織レポートの集計: an organisation report as decided once — a closed survey's
/// (`survey:{id}`) or a fiscal year's concern themes (`themes:{fy}`) — so a page, an export
/// or the API reads the rows it shows instead of deciding the anonymity of a whole
/// company's cubes per request. `org_reports` says when a report was counted, with which
/// k, grades and columns; `org_report_units` holds each unit of the organisation as it
/// stood then (department, its parent — 0 for a top department, none for the company —
/// code, name) and its decided cells (the unit's total, each age band and each grade,
/// every column shown or hidden) as JSON. Both are derived: a recount replaces a report's
/// rows in one transaction.
pub(super) fn m0035_org_report_units(engine: Engine) -> Statements {
    let r = OrgReports::Table;
    let reports = Table::create()
        .table(r)
        .col(tenant_col(OrgReports::TenantId))
        .col(text(OrgReports::Report))
        .col(big(OrgReports::K))
        .col(text(OrgReports::Grades))
        .col(text(OrgReports::Columns))
        .col(ts(OrgReports::CountedAt))
        .primary_key(
            Index::create()
                .col(OrgReports::TenantId)
                .col(OrgReports::Report),
        )
        .foreign_key(&mut fk(
            r,
            OrgReports::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let u = OrgReportUnits::Table;
    let units = Table::create()
        .table(u)
        .col(tenant_col(OrgReportUnits::TenantId))
        .col(text(OrgReportUnits::Report))
        .col(big(OrgReportUnits::DepartmentId))
        .col(
            ColumnDef::new(OrgReportUnits::ParentId)
                .big_integer()
                .null(),
        )
        .col(text(OrgReportUnits::Code))
        .col(text(OrgReportUnits::Name))
        .col(
            ColumnDef::new(OrgReportUnits::HasChildren)
                .boolean()
                .not_null(),
        )
        .col(text(OrgReportUnits::Cells))
        .primary_key(
            Index::create()
                .col(OrgReportUnits::TenantId)
                .col(OrgReportUnits::Report)
                .col(OrgReportUnits::DepartmentId),
        )
        .foreign_key(&mut fk(
            u,
            OrgReportUnits::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let children = Index::create()
        .name("org_report_units_parent")
        .table(u)
        .col(OrgReportUnits::TenantId)
        .col(OrgReportUnits::Report)
        .col(OrgReportUnits::ParentId)
        .to_owned();
    vec![
        render(engine, &reports),
        render(engine, &units),
        render_index(engine, &children),
    ]
}
