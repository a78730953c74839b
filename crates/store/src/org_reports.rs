//! 組織レポートの集計: a closed survey's organisation report as decided once by
//! `app::survey_report` — each unit of the organisation as it stood when the survey was
//! counted, with its decided cells — so pages, exports and the API read the few rows they
//! show. Derived data: a recount replaces a survey's rows in one transaction.

use crate::schema::{OrgReportUnits, OrgReports};
use crate::{Result, Store, TenantId};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use serde::{Deserialize, Serialize};

/// One measure in one row as decided: the value (a mean score or a share) and the
/// respondents it covers; None where the anonymity rule hides it (or nobody answered it).
pub type StoredCell = Option<(f64, u64)>;

/// One row of a report as decided: its respondents (None when hidden) and one cell per
/// measure, in the survey kind's order (empty when the row is hidden).
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

/// When a survey's report was counted, with which threshold and over which grades.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportCounted {
    pub k: u32,
    pub grades: Vec<String>,
    pub counted_at: DateTime<Utc>,
}

/// Units per INSERT statement (8 values each).
const UNITS_PER_INSERT: usize = 500;

type UnitRow = (i64, Option<i64>, String, String, bool, String);

impl Store {
    /// Replaces survey `survey`'s stored report, in one transaction. The first statement
    /// takes the survey's report row, so two processes counting the same survey at once
    /// write one after the other (the second replaces the first's identical rows).
    pub async fn replace_org_report(
        &self,
        tenant: TenantId,
        survey: i64,
        counted: &ReportCounted,
        units: &[ReportUnit],
    ) -> Result<()> {
        let grades = serde_json::to_string(&counted.grades)
            .map_err(|e| crate::StoreError::Integrity(e.to_string()))?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(OrgReports::Table)
                .columns([
                    OrgReports::TenantId,
                    OrgReports::SurveyId,
                    OrgReports::K,
                    OrgReports::Grades,
                    OrgReports::CountedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    survey.into(),
                    i64::from(counted.k).into(),
                    grades.into(),
                    counted.counted_at.into(),
                ])
                .on_conflict(
                    OnConflict::columns([OrgReports::TenantId, OrgReports::SurveyId])
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
                .and_where(Expr::col(OrgReportUnits::SurveyId).eq(survey))
                .to_owned(),
        )
        .await?;
        for chunk in units.chunks(UNITS_PER_INSERT) {
            let mut q = Query::insert();
            q.into_table(OrgReportUnits::Table).columns([
                OrgReportUnits::TenantId,
                OrgReportUnits::SurveyId,
                OrgReportUnits::DepartmentId,
                OrgReportUnits::ParentId,
                OrgReportUnits::Code,
                OrgReportUnits::Name,
                OrgReportUnits::HasChildren,
                OrgReportUnits::Cells,
            ]);
            for u in chunk {
                let cells = serde_json::to_string(&u.cells)
                    .map_err(|e| crate::StoreError::Integrity(e.to_string()))?;
                q.values_panic([
                    tenant.0.into(),
                    survey.into(),
                    u.department_id.into(),
                    u.parent_id.into(),
                    u.code.clone().into(),
                    u.name.clone().into(),
                    u.has_children.into(),
                    cells.into(),
                ]);
            }
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// When survey `survey`'s report was counted; None when it has not been.
    pub async fn org_report_counted(
        &self,
        tenant: TenantId,
        survey: i64,
    ) -> Result<Option<ReportCounted>> {
        let row: Option<(i64, String, DateTime<Utc>)> = self
            .fetch_optional(
                &Query::select()
                    .columns([OrgReports::K, OrgReports::Grades, OrgReports::CountedAt])
                    .from(OrgReports::Table)
                    .and_where(Expr::col(OrgReports::TenantId).eq(tenant.0))
                    .and_where(Expr::col(OrgReports::SurveyId).eq(survey))
                    .to_owned(),
            )
            .await?;
        row.map(|(k, grades, counted_at)| {
            Ok(ReportCounted {
                k: u32::try_from(k).unwrap_or(u32::MAX),
                grades: serde_json::from_str(&grades)
                    .map_err(|e| crate::StoreError::Integrity(e.to_string()))?,
                counted_at,
            })
        })
        .transpose()
    }

    /// The surveys whose report has been counted, with the threshold it was counted with.
    pub async fn org_reports_counted(&self, tenant: TenantId) -> Result<Vec<(i64, u32)>> {
        let rows: Vec<(i64, i64)> = self
            .fetch_all(
                &Query::select()
                    .columns([OrgReports::SurveyId, OrgReports::K])
                    .from(OrgReports::Table)
                    .and_where(Expr::col(OrgReports::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(s, k)| (s, u32::try_from(k).unwrap_or(u32::MAX)))
            .collect())
    }

    fn report_units(tenant: TenantId, survey: i64) -> SelectStatement {
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
            .and_where(Expr::col(OrgReportUnits::SurveyId).eq(survey))
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
            cells: serde_json::from_str(&cells)
                .map_err(|e| crate::StoreError::Integrity(e.to_string()))?,
        })
    }

    /// One unit of survey `survey`'s stored report (0 for the whole company).
    pub async fn org_report_unit(
        &self,
        tenant: TenantId,
        survey: i64,
        department: i64,
    ) -> Result<Option<ReportUnit>> {
        let row: Option<UnitRow> = self
            .fetch_optional(
                &Store::report_units(tenant, survey)
                    .and_where(Expr::col(OrgReportUnits::DepartmentId).eq(department))
                    .to_owned(),
            )
            .await?;
        row.map(Store::report_unit_of).transpose()
    }

    /// The units directly below `parent` (0 for the company) in survey `survey`'s report.
    pub async fn org_report_children(
        &self,
        tenant: TenantId,
        survey: i64,
        parent: i64,
    ) -> Result<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = self
            .fetch_all(
                &Store::report_units(tenant, survey)
                    .and_where(Expr::col(OrgReportUnits::ParentId).eq(parent))
                    .to_owned(),
            )
            .await?;
        rows.into_iter().map(Store::report_unit_of).collect()
    }

    /// Every unit of survey `survey`'s stored report.
    pub async fn org_report_units(&self, tenant: TenantId, survey: i64) -> Result<Vec<ReportUnit>> {
        let rows: Vec<UnitRow> = self.fetch_all(&Store::report_units(tenant, survey)).await?;
        rows.into_iter().map(Store::report_unit_of).collect()
    }
}
