//! 組織レポートの集計: an organisation report as decided once — a closed survey's by
//! `app::survey_report`, a fiscal year's concern themes by `app::concerns` — each unit of
//! the organisation as it stood when counted, with its decided cells, so pages, exports
//! and the API read the few rows they show. A report is named by a key (`survey:{id}`,
//! `themes:{fy}`). Derived data: a recount replaces a report's rows in one transaction.

use crate::db::Cell;
use crate::schema::{OrgReportUnits, OrgReports};
use crate::{Result, Store, TenantId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use serde::{Deserialize, Serialize};

/// One column in one row as decided: the value (a mean score, a share, a count) and the
/// people it covers; None where the anonymity rule hides it (or it covers nobody).
pub type StoredCell = Option<(f64, u64)>;

/// One row of a report as decided: the people it covers (None when hidden) and one cell
/// per column, in the report's order (empty when the row is hidden).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredRow(pub Option<u64>, pub Vec<StoredCell>);

/// A unit's decided rows: its total, then each age band and each grade (by index into
/// the report's grades) that holds anyone or is hidden.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitCells {
    pub total: StoredRow,
    pub ages: Vec<(usize, StoredRow)>,
    pub grades: Vec<(usize, StoredRow)>,
}

/// One unit of a stored report: a department (0 for the whole company), its parent (0 for
/// a top department, None for the company), code and name when counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportUnit {
    pub department_id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub has_children: bool,
    pub cells: UnitCells,
}

/// When a report was counted, with which threshold, over which grades and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportCounted {
    pub k: u32,
    pub grades: Vec<String>,
    /// The columns' keys (a theme report's themes; a survey's measures follow its kind).
    pub columns: Vec<String>,
    pub counted_at: DateTime<Utc>,
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| crate::StoreError::Integrity(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| crate::StoreError::Integrity(e.to_string()))
}

type UnitRow = (i64, Option<i64>, String, String, bool, String);

impl Store {
    /// Replaces report `report`'s stored rows, in one transaction. The first statement
    /// takes the report's row, so two processes counting the same report at once write
    /// one after the other (the second replaces the first's rows).
    pub async fn replace_org_report(
        &self,
        tenant: TenantId,
        report: &str,
        counted: &ReportCounted,
        units: &[ReportUnit],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(OrgReports::Table)
                .columns([
                    OrgReports::TenantId,
                    OrgReports::Report,
                    OrgReports::K,
                    OrgReports::Grades,
                    OrgReports::Columns,
                    OrgReports::CountedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    report.into(),
                    i64::from(counted.k).into(),
                    json(&counted.grades)?.into(),
                    json(&counted.columns)?.into(),
                    counted.counted_at.into(),
                ])
                .on_conflict(
                    OnConflict::columns([OrgReports::TenantId, OrgReports::Report])
                        .update_columns([OrgReports::K, OrgReports::Grades, OrgReports::CountedAt])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::delete()
                .from_table(OrgReportUnits::Table)
                .and_where(Expr::col(OrgReportUnits::TenantId).eq(tenant.0))
                .and_where(Expr::col(OrgReportUnits::Report).eq(report))
                .to_owned(),
        )
        .await?;
        let json_cells: Vec<String> = units
            .iter()
            .map(|u| json(&u.cells))
            .collect::<Result<_>>()?;
        let mut cells: Vec<Cell> = Vec::with_capacity(units.len() * 8);
        for (u, unit_cells) in units.iter().zip(&json_cells) {
            cells.extend::<[Cell; 8]>([
                tenant.0.into(),
                report.into(),
                u.department_id.into(),
                u.parent_id.into(),
                u.code.as_str().into(),
                u.name.as_str().into(),
                u.has_children.into(),
                unit_cells.as_str().into(),
            ]);
        }
        tx.insert_many(
            OrgReportUnits::Table,
            &[
                &OrgReportUnits::TenantId,
                &OrgReportUnits::Report,
                &OrgReportUnits::DepartmentId,
                &OrgReportUnits::ParentId,
                &OrgReportUnits::Code,
                &OrgReportUnits::Name,
                &OrgReportUnits::HasChildren,
                &OrgReportUnits::Cells,
            ],
            &cells,
            None,
        )
        .await?;
        tx.commit().await
    }

    /// When report `report` was counted; None when it has not been.
    pub async fn org_report_counted(
        &self,
        tenant: TenantId,
        report: &str,
    ) -> Result<Option<ReportCounted>> {
        let row: Option<(i64, String, String, DateTime<Utc>)> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        OrgReports::K,
                        OrgReports::Grades,
                        OrgReports::Columns,
                        OrgReports::CountedAt,
                    ])
                    .from(OrgReports::Table)
                    .and_where(Expr::col(OrgReports::TenantId).eq(tenant.0))
                    .and_where(Expr::col(OrgReports::Report).eq(report))
                    .to_owned(),
            )
            .await?;
        row.map(|(k, grades, columns, counted_at)| {
            Ok(ReportCounted {
                k: u32::try_from(k).unwrap_or(u32::MAX),
                grades: parse(&grades)?,
                columns: parse(&columns)?,
                counted_at,
            })
        })
        .transpose()
    }

    /// The reports counted, with the threshold each was counted with and when.
    pub async fn org_reports_counted(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, u32, DateTime<Utc>)>> {
        let rows: Vec<(String, i64, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .columns([OrgReports::Report, OrgReports::K, OrgReports::CountedAt])
                    .from(OrgReports::Table)
                    .and_where(Expr::col(OrgReports::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(r, k, at)| (r, u32::try_from(k).unwrap_or(u32::MAX), at))
            .collect())
    }

    fn report_units(tenant: TenantId, report: &str) -> SelectStatement {
        Query::select()
            .columns([
                OrgReportUnits::DepartmentId,
                OrgReportUnits::ParentId,
                OrgReportUnits::Code,
                OrgReportUnits::Name,
                OrgReportUnits::HasChildren,
                OrgReportUnits::Cells,
            ])
            .from(OrgReportUnits::Table)
            .and_where(Expr::col(OrgReportUnits::TenantId).eq(tenant.0))
            .and_where(Expr::col(OrgReportUnits::Report).eq(report))
            .to_owned()
    }

    fn report_unit_of(row: UnitRow) -> Result<ReportUnit> {
        let (department_id, parent_id, code, name, has_children, cells) = row;
        Ok(ReportUnit {
            department_id,
            parent_id,
            code,
            name,
            has_children,
            cells: parse(&cells)?,
        })
    }

    /// One unit of report `report` (0 for the whole company).
    pub async fn org_report_unit(
        &self,
        tenant: TenantId,
        report: &str,
        department: i64,
    ) -> Result<Option<ReportUnit>> {
        let row: Option<UnitRow> = self
            .fetch_optional(
                &Store::report_units(tenant, report)
                    .and_where(Expr::col(OrgReportUnits::DepartmentId).eq(department))
                    .to_owned(),
            )
            .await?;
        row.map(Store::report_unit_of).transpose()
    }

    /// The units directly below `parent` (0 for the company) in report `report`: (department,
    /// code) only, in no order.
    pub async fn org_report_child_codes(
        &self,
        tenant: TenantId,
        report: &str,
        parent: i64,
    ) -> Result<Vec<(i64, String)>> {
        self.fetch_all(
            &Query::select()
                .columns([OrgReportUnits::DepartmentId, OrgReportUnits::Code])
                .from(OrgReportUnits::Table)
                .and_where(Expr::col(OrgReportUnits::TenantId).eq(tenant.0))
                .and_where(Expr::col(OrgReportUnits::Report).eq(report))
                .and_where(Expr::col(OrgReportUnits::ParentId).eq(parent))
                .to_owned(),
        )
        .await
    }

    /// The units `departments` of report `report`, in no order.
    pub async fn org_report_units_of(
        &self,
        tenant: TenantId,
        report: &str,
        departments: &[i64],
    ) -> Result<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = self
            .fetch_all(
                &Store::report_units(tenant, report)
                    .and_where(self.in_ids("department_id", departments))
                    .to_owned(),
            )
            .await?;
        rows.into_iter().map(Store::report_unit_of).collect()
    }

    /// Every unit of report `report`.
    pub async fn org_report_units(
        &self,
        tenant: TenantId,
        report: &str,
    ) -> Result<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = self.fetch_all(&Store::report_units(tenant, report)).await?;
        rows.into_iter().map(Store::report_unit_of).collect()
    }
}
