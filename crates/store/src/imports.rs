//! Applying an employee-master import: the diff against what is stored, then every change
//! in one transaction (or none, for a dry run). Re-importing the same file changes nothing.

use crate::people::{LoadProgress, PersonRow, departments_query, topological};
use crate::schema::{Imports, PendingImports, People, Ratings, Users};
use crate::{Result, Store, StoreError, TenantId, Tx, UserId};
use chrono::{NaiveDate, Utc};
use domain::import::employees::{
    Column, DepartmentRef, EmployeeRecord, Existing, PersonStatus, Problem, ProblemKind,
};
use sea_query::{Expr, ExprTrait, Query};
use std::collections::{HashMap, HashSet};

const BATCH: usize = 1000;
/// Rows written between two progress reports.
const PROGRESS_STEP: usize = 5000;
/// Ratings written in one go (and between two progress reports).
const RATINGS_PER_BATCH: usize = 20_000;
/// New people from which an import into a table it at least doubles builds the people
/// indexes after the rows rather than during ([`Tx::suspend_indexes`]).
const SUSPEND_INDEXES_FROM: usize = 10_000;
/// Lists in a summary are cut here; the counts stay exact.
const LIST_LIMIT: usize = 1000;

/// Who imports what.
#[derive(Debug, Clone, Default)]
pub struct ImportMeta {
    pub actor_user_id: Option<UserId>,
    pub actor_email: String,
    pub file_name: String,
    /// e.g. `csv shift_jis`, `xlsx Sheet1`
    pub source: String,
}

/// What to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// People missing from the file become leavers (退職).
    pub full: bool,
    /// Compute the diff, write nothing.
    pub dry_run: bool,
}

/// A person whose stored values the file changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UpdatedPerson {
    pub employee_number: String,
    /// Which fields change (`name`, `department`, `manager`, `status`, `ratings`, …).
    pub fields: Vec<&'static str>,
    /// Each changed field as (field, before, after), in words the preview can show:
    /// departments by name, managers by employee number, statuses by key, dates as
    /// YYYY-MM-DD (ratings are listed in `fields` only).
    pub changes: Vec<(&'static str, String, String)>,
}

/// The diff an import makes (or made).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub added_count: usize,
    pub updated_count: usize,
    pub unchanged_count: usize,
    pub marked_left_count: usize,
    /// Accounts of people who are leavers now, disabled by this import (their sessions
    /// and tokens stop at once).
    #[serde(default)]
    pub accounts_disabled_count: usize,
    pub departments_created_count: usize,
    /// Employee numbers (at most 1,000 each).
    pub added: Vec<String>,
    pub updated: Vec<UpdatedPerson>,
    pub marked_left: Vec<String>,
    pub departments_created: Vec<String>,
    pub dry_run: bool,
    /// The import record, when applied.
    pub import_id: Option<i64>,
}

/// The result: applied (or previewed), or refused with problems found against stored data.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    Done(ImportSummary),
    Rejected(Vec<Problem>),
}

#[derive(sqlx::FromRow, Clone)]
struct StoredPerson {
    id: i64,
    employee_number: String,
    name: String,
    name_kana: String,
    email: Option<String>,
    birth_date: Option<NaiveDate>,
    hire_date: Option<NaiveDate>,
    department_id: Option<i64>,
    title: String,
    grade: String,
    manager_id: Option<i64>,
    status: String,
}

/// One import record.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub at: chrono::DateTime<Utc>,
    pub actor_email: String,
    pub file_name: String,
    pub source: String,
    pub rows: i64,
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub marked_left: i64,
    pub full: bool,
}

/// Every stored person of a tenant as [`StoredPerson`] rows.
fn stored_people_query(tenant: TenantId) -> sea_query::SelectStatement {
    Query::select()
        .columns([
            People::Id,
            People::EmployeeNumber,
            People::Name,
            People::NameKana,
            People::Email,
            People::BirthDate,
            People::HireDate,
            People::DepartmentId,
            People::Title,
            People::Grade,
            People::ManagerId,
            People::Status,
        ])
        .from(People::Table)
        .and_where(Expr::col(People::TenantId).eq(tenant.0))
        .to_owned()
}

fn push_limited<T>(v: &mut Vec<T>, item: T) {
    if v.len() < LIST_LIMIT {
        v.push(item);
    }
}

impl Store {
    /// Stored people and their managers' numbers, for checking a file's reporting lines.
    pub async fn existing_reporting_lines(&self, tenant: TenantId) -> Result<Existing> {
        let rows: Vec<(i64, String, Option<i64>)> = self
            .fetch_all(
                &Query::select()
                    .columns([People::Id, People::EmployeeNumber, People::ManagerId])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let number_of: HashMap<i64, &str> =
            rows.iter().map(|(id, n, _)| (*id, n.as_str())).collect();
        Ok(Existing {
            managers: rows
                .iter()
                .map(|(_, n, m)| {
                    (
                        n.clone(),
                        m.and_then(|m| number_of.get(&m).map(|s| s.to_string())),
                    )
                })
                .collect(),
            rating_scale: None,
        })
    }

    /// Imports parsed employee records. Everything happens in one transaction: on any
    /// failure, or with `dry_run`, nothing is written.
    pub async fn import_employees(
        &self,
        tenant: TenantId,
        records: &[EmployeeRecord],
        columns: &[Column],
        opts: ImportOptions,
        meta: &ImportMeta,
    ) -> Result<ImportOutcome> {
        self.import_employees_with_progress(tenant, records, columns, opts, meta, &|_| {})
            .await
    }

    /// [`Store::import_employees`], telling `progress` how many new people and ratings
    /// have been written (for the command line's progress bar).
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, rows = records.len(), full = opts.full, dry_run = opts.dry_run))]
    pub async fn import_employees_with_progress(
        &self,
        tenant: TenantId,
        records: &[EmployeeRecord],
        columns: &[Column],
        opts: ImportOptions,
        meta: &ImportMeta,
        progress: &(dyn Fn(LoadProgress) + Sync),
    ) -> Result<ImportOutcome> {
        let started = std::time::Instant::now();
        let mut tx = self.begin_bulk().await?;
        let has = |c: Column| columns.contains(&c);
        let mut summary = ImportSummary {
            rows: records.len(),
            dry_run: opts.dry_run,
            ..Default::default()
        };

        // Departments: resolve every reference, creating missing ones from their name path.
        let mut depts = DepartmentIndex::load(&mut tx, tenant).await?;
        let mut dept_of: Vec<Option<i64>> = vec![None; records.len()];
        let mut problems = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let Some(d) = &r.department else { continue };
            match depts.resolve(d, &mut summary) {
                Some(id) => dept_of[i] = Some(id),
                None => problems.push(Problem::new(
                    r.line,
                    "所属コード",
                    d.code.as_deref().unwrap_or(""),
                    ProblemKind::UnknownDepartment,
                )),
            }
        }
        if !problems.is_empty() {
            return Ok(ImportOutcome::Rejected(problems));
        }
        let created = depts.create_planned(&mut tx, tenant).await?;
        for id in dept_of.iter_mut().flatten() {
            if *id < 0 {
                *id = created[id];
            }
        }
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            created = created.len(),
            "departments resolved"
        );

        let stored: Vec<StoredPerson> = tx.fetch_all(&stored_people_query(tenant)).await?;
        let mut id_of: HashMap<String, i64> = stored
            .iter()
            .map(|p| (p.employee_number.clone(), p.id))
            .collect();
        let by_number: HashMap<&str, &StoredPerson> = stored
            .iter()
            .map(|p| (p.employee_number.as_str(), p))
            .collect();
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            stored = stored.len(),
            "stored people read"
        );

        // New people, managers before their reports so every manager id is known on insert.
        let new: Vec<usize> = (0..records.len())
            .filter(|i| !by_number.contains_key(records[*i].employee_number.as_str()))
            .collect();
        let new_numbers: HashSet<&str> = new
            .iter()
            .map(|i| records[*i].employee_number.as_str())
            .collect();
        // The same ordering as a whole-organisation load: managers new in this file come
        // a level before their reports (stored managers already have ids).
        let new_records: Vec<&EmployeeRecord> = new.iter().map(|&i| &records[i]).collect();
        let levels: Vec<Vec<usize>> = topological(
            &new_records,
            |r| r.employee_number.as_str(),
            |r| {
                r.manager_number
                    .as_deref()
                    .filter(|m| new_numbers.contains(m))
            },
        )
        .map_err(|n| StoreError::Integrity(format!("reporting cycle at {n}")))?
        .into_iter()
        .map(|level| level.into_iter().map(|k| new[k]).collect())
        .collect();
        let mut done = 0u64;
        let mut total = new.len() as u64;
        // A load that at least doubles the people table builds its indexes afterwards.
        let suspended = if new.len() >= SUSPEND_INDEXES_FROM {
            tx.suspend_indexes(People::Table, new.len()).await?
        } else {
            Vec::new()
        };
        for chunk in levels.iter().flat_map(|level| level.chunks(PROGRESS_STEP)) {
            let rows: Vec<PersonRow> = chunk
                .iter()
                .map(|&i| {
                    let r = &records[i];
                    summary.added_count += 1;
                    push_limited(&mut summary.added, r.employee_number.clone());
                    PersonRow {
                        number: &r.employee_number,
                        name: &r.name,
                        name_kana: &r.name_kana,
                        email: r.email.as_deref(),
                        birth_date: r.birth_date,
                        hire_date: r.hire_date,
                        department: dept_of[i],
                        title: &r.title,
                        grade: &r.grade,
                        manager: r
                            .manager_number
                            .as_ref()
                            .and_then(|m| id_of.get(m).copied()),
                        status: r.status.as_str(),
                    }
                })
                .collect();
            let created = tx.insert_people(tenant, &rows).await?;
            id_of.extend(created);
            done += chunk.len() as u64;
            progress(LoadProgress {
                rows_done: done,
                rows_total: total,
            });
        }
        tx.rebuild_indexes(&suspended).await?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "new people inserted"
        );

        // Changed people: only the columns the file has.
        let dept_names: HashMap<i64, String> = tx
            .fetch_all::<(i64, String, String, Option<i64>), _>(&departments_query(tenant))
            .await?
            .into_iter()
            .map(|(id, _, name, _)| (id, name))
            .collect();
        let number_of: HashMap<i64, &str> = id_of.iter().map(|(n, id)| (*id, n.as_str())).collect();
        let dept_name = |d: Option<i64>| {
            d.and_then(|d| dept_names.get(&d).cloned())
                .unwrap_or_default()
        };
        let number = |m: Option<i64>| {
            m.and_then(|m| number_of.get(&m).map(|n| n.to_string()))
                .unwrap_or_default()
        };
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut changed_ids: Vec<i64> = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let Some(p) = by_number.get(r.employee_number.as_str()) else {
                continue;
            };
            let mut fields: Vec<&'static str> = Vec::new();
            let mut changes: Vec<(&'static str, String, String)> = Vec::new();
            let mut values: Vec<(People, Expr)> = Vec::new();
            let mut set = |changed: bool,
                           field: &'static str,
                           col: People,
                           v: Expr,
                           before: String,
                           after: String| {
                if changed {
                    fields.push(field);
                    changes.push((field, before, after));
                    values.push((col, v));
                }
            };
            set(
                has(Column::Name) && p.name != r.name,
                "name",
                People::Name,
                r.name.clone().into(),
                p.name.clone(),
                r.name.clone(),
            );
            set(
                has(Column::NameKana) && p.name_kana != r.name_kana,
                "name_kana",
                People::NameKana,
                r.name_kana.clone().into(),
                p.name_kana.clone(),
                r.name_kana.clone(),
            );
            set(
                has(Column::Email) && p.email != r.email,
                "email",
                People::Email,
                r.email.clone().into(),
                p.email.clone().unwrap_or_default(),
                r.email.clone().unwrap_or_default(),
            );
            set(
                has(Column::BirthDate) && p.birth_date != r.birth_date,
                "birth_date",
                People::BirthDate,
                r.birth_date.into(),
                day(p.birth_date),
                day(r.birth_date),
            );
            set(
                has(Column::HireDate) && p.hire_date != r.hire_date,
                "hire_date",
                People::HireDate,
                r.hire_date.into(),
                day(p.hire_date),
                day(r.hire_date),
            );
            let dept = dept_of[i];
            let dept_given = has(Column::DepartmentCode) || has(Column::DepartmentName);
            set(
                dept_given && p.department_id != dept,
                "department",
                People::DepartmentId,
                dept.into(),
                dept_name(p.department_id),
                dept_name(dept),
            );
            set(
                has(Column::Title) && p.title != r.title,
                "title",
                People::Title,
                r.title.clone().into(),
                p.title.clone(),
                r.title.clone(),
            );
            set(
                has(Column::Grade) && p.grade != r.grade,
                "grade",
                People::Grade,
                r.grade.clone().into(),
                p.grade.clone(),
                r.grade.clone(),
            );
            let manager = r
                .manager_number
                .as_ref()
                .and_then(|m| id_of.get(m).copied());
            set(
                has(Column::ManagerNumber) && p.manager_id != manager,
                "manager",
                People::ManagerId,
                manager.into(),
                number(p.manager_id),
                number(manager),
            );
            set(
                has(Column::Status) && p.status != r.status.as_str(),
                "status",
                People::Status,
                r.status.as_str().into(),
                p.status.clone(),
                r.status.as_str().to_string(),
            );
            // A move starts the time in the new department (社内公募's eligibility).
            if dept_given && p.department_id != dept {
                values.push((
                    People::DepartmentSince,
                    domain::japan_time::japan_date(Utc::now()).into(),
                ));
            }
            if !values.is_empty() {
                tx.execute(
                    &Query::update()
                        .table(People::Table)
                        .values(values)
                        .and_where(Expr::col(People::Id).eq(p.id))
                        .to_owned(),
                )
                .await?;
                changed_ids.push(p.id);
                summary.updated_count += 1;
                push_limited(
                    &mut summary.updated,
                    UpdatedPerson {
                        employee_number: r.employee_number.clone(),
                        fields,
                        changes,
                    },
                );
            }
        }

        // Ratings of the fiscal years the file has.
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "changed people updated"
        );
        let years: Vec<i32> = columns
            .iter()
            .filter_map(|c| {
                if let Column::Rating(y) = c {
                    Some(*y)
                } else {
                    None
                }
            })
            .collect();
        let mut rating_changed: HashSet<String> = HashSet::new();
        // Only people already stored can have ratings to compare with.
        let any_stored_in_file = records
            .iter()
            .any(|r| by_number.contains_key(r.employee_number.as_str()));
        if !years.is_empty() {
            let current: Vec<(i64, i32, String)> = if !any_stored_in_file {
                Vec::new()
            } else {
                tx.fetch_all(
                    &Query::select()
                        .columns([Ratings::PersonId, Ratings::FiscalYear, Ratings::Rating])
                        .from(Ratings::Table)
                        .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Ratings::FiscalYear).is_in(years.clone()))
                        .to_owned(),
                )
                .await?
            };
            let current: HashMap<(i64, i32), String> =
                current.into_iter().map(|(p, y, r)| ((p, y), r)).collect();
            // Written a batch at a time as they are found: 2 million ratings need not
            // sit in one list first.
            total += records.iter().map(|r| r.ratings.len() as u64).sum::<u64>();
            let mut inserts: Vec<(i64, i32, &str)> = Vec::with_capacity(RATINGS_PER_BATCH);
            for r in records {
                let Some(&pid) = id_of.get(&r.employee_number) else {
                    continue;
                };
                let stored_person = by_number.contains_key(r.employee_number.as_str());
                for (y, value) in &r.ratings {
                    match current.get(&(pid, *y)) {
                        Some(old) if old.as_str() == &**value => {}
                        Some(_) => {
                            tx.execute(
                                &Query::update()
                                    .table(Ratings::Table)
                                    .values([(Ratings::Rating, value.to_string().into())])
                                    .and_where(Expr::col(Ratings::PersonId).eq(pid))
                                    .and_where(Expr::col(Ratings::FiscalYear).eq(*y))
                                    .to_owned(),
                            )
                            .await?;
                            rating_changed.insert(r.employee_number.clone());
                        }
                        None => {
                            inserts.push((pid, *y, &**value));
                            if stored_person {
                                rating_changed.insert(r.employee_number.clone());
                            }
                        }
                    }
                }
                if inserts.len() >= RATINGS_PER_BATCH {
                    tx.insert_ratings(tenant, &inserts).await?;
                    done += inserts.len() as u64;
                    inserts.clear();
                    progress(LoadProgress {
                        rows_done: done,
                        rows_total: total,
                    });
                }
            }
            if !inserts.is_empty() || done < total {
                tx.insert_ratings(tenant, &inserts).await?;
                done = total;
                progress(LoadProgress {
                    rows_done: done,
                    rows_total: total,
                });
            }
        }
        // People whose only change is a rating count as updated too.
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "ratings written"
        );
        let new_set: HashSet<&str> = new_numbers;
        for number in &rating_changed {
            if new_set.contains(number.as_str()) {
                continue;
            }
            match summary
                .updated
                .iter_mut()
                .find(|u| &u.employee_number == number)
            {
                Some(u) => u.fields.push("ratings"),
                None => {
                    let id = id_of.get(number).copied().unwrap_or_default();
                    if !changed_ids.contains(&id) {
                        summary.updated_count += 1;
                        push_limited(
                            &mut summary.updated,
                            UpdatedPerson {
                                employee_number: number.clone(),
                                fields: vec!["ratings"],
                                changes: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
        summary
            .updated
            .sort_by(|a, b| a.employee_number.cmp(&b.employee_number));

        // A full import: whoever is missing has left.
        if opts.full {
            let in_file: HashSet<&str> =
                records.iter().map(|r| r.employee_number.as_str()).collect();
            let leavers: Vec<&StoredPerson> = stored
                .iter()
                .filter(|p| {
                    !in_file.contains(p.employee_number.as_str())
                        && p.status != PersonStatus::Left.as_str()
                })
                .collect();
            for chunk in leavers.chunks(BATCH) {
                tx.execute(
                    &Query::update()
                        .table(People::Table)
                        .values([(People::Status, PersonStatus::Left.as_str().into())])
                        .and_where(Expr::col(People::TenantId).eq(tenant.0))
                        .and_where(
                            Expr::col(People::Id)
                                .is_in(chunk.iter().map(|p| p.id).collect::<Vec<_>>()),
                        )
                        .to_owned(),
                )
                .await?;
            }
            summary.marked_left_count = leavers.len();
            for p in leavers {
                push_limited(&mut summary.marked_left, p.employee_number.clone());
            }
        }
        summary.accounts_disabled_count =
            disable_leavers_accounts(&mut tx, tenant, meta, Utc::now()).await?;
        summary.unchanged_count = records.len()
            - summary.added_count
            - summary
                .updated_count
                .min(records.len() - summary.added_count);

        if opts.dry_run {
            return Ok(ImportOutcome::Done(summary)); // the transaction rolls back on drop
        }
        let (id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(Imports::Table)
                    .columns([
                        Imports::TenantId,
                        Imports::At,
                        Imports::ActorUserId,
                        Imports::ActorEmail,
                        Imports::FileName,
                        Imports::Source,
                        Imports::Rows,
                        Imports::Added,
                        Imports::Updated,
                        Imports::Unchanged,
                        Imports::MarkedLeft,
                        Imports::Full,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        Utc::now().into(),
                        meta.actor_user_id.map(|u| u.0).into(),
                        meta.actor_email.clone().into(),
                        meta.file_name.clone().into(),
                        meta.source.clone().into(),
                        (summary.rows as i64).into(),
                        (summary.added_count as i64).into(),
                        (summary.updated_count as i64).into(),
                        (summary.unchanged_count as i64).into(),
                        (summary.marked_left_count as i64).into(),
                        opts.full.into(),
                    ])
                    .returning_col(Imports::Id)
                    .to_owned(),
            )
            .await?;
        tx.directory_changed(tenant).await?;
        tx.commit().await?;
        self.refresh_statistics().await?;
        // People, departments and ratings changed: every year's KPIs are due a recount.
        self.kpi_stale(tenant).await?;
        summary.import_id = Some(id);
        Ok(ImportOutcome::Done(summary))
    }

    /// Past imports, newest first.
    pub async fn list_imports(&self, tenant: TenantId, limit: u64) -> Result<Vec<ImportRecord>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Imports::Id,
                    Imports::At,
                    Imports::ActorEmail,
                    Imports::FileName,
                    Imports::Source,
                    Imports::Rows,
                    Imports::Added,
                    Imports::Updated,
                    Imports::Unchanged,
                    Imports::MarkedLeft,
                    Imports::Full,
                ])
                .from(Imports::Table)
                .and_where(Expr::col(Imports::TenantId).eq(tenant.0))
                .order_by(Imports::Id, sea_query::Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }
}

/// The tenant's departments, for resolving codes and name paths during one import.
/// Missing departments are planned in memory first (with negative placeholder ids) and
/// then created level by level, a batch per level, so a file naming 30,000 new units
/// costs a few statements rather than 30,000.
struct DepartmentIndex {
    by_code: HashMap<String, i64>,
    /// (parent, name) → id
    by_parent_name: HashMap<(Option<i64>, String), i64>,
    /// Departments to create, in the order the file first names them.
    planned: Vec<PlannedDepartment>,
}

struct PlannedDepartment {
    placeholder: i64,
    depth: usize,
    code: String,
    name: String,
    parent: Option<i64>,
}

impl DepartmentIndex {
    async fn load(tx: &mut Tx, tenant: TenantId) -> Result<Self> {
        let rows: Vec<(i64, String, String, Option<i64>)> =
            tx.fetch_all(&departments_query(tenant)).await?;
        let mut idx = DepartmentIndex {
            by_code: HashMap::new(),
            by_parent_name: HashMap::new(),
            planned: Vec::new(),
        };
        for (id, code, name, parent) in rows {
            idx.by_code.insert(code, id);
            idx.by_parent_name.entry((parent, name)).or_insert(id);
        }
        Ok(idx)
    }

    /// The department a reference names — a stored id, or a placeholder planned along its
    /// path; `None` when a code alone names nothing stored.
    fn resolve(&mut self, d: &DepartmentRef, summary: &mut ImportSummary) -> Option<i64> {
        let by_code = d.code.as_ref().and_then(|c| self.by_code.get(c).copied());
        if d.path.is_empty() || by_code.is_some() {
            return by_code;
        }
        let mut parent: Option<i64> = None;
        for (i, name) in d.path.iter().enumerate() {
            if let Some(id) = self.by_parent_name.get(&(parent, name.clone())) {
                parent = Some(*id);
                continue;
            }
            let last = i + 1 == d.path.len();
            let joined = d.path[..=i].join("/");
            let code = match (&d.code, last) {
                (Some(c), true) => c.clone(),
                _ => {
                    // A generated code, unique even if a company uses the same text as a code.
                    let mut code = joined.clone();
                    while self.by_code.contains_key(&code) {
                        code.push('+');
                    }
                    code
                }
            };
            let placeholder = -(self.planned.len() as i64) - 1;
            self.by_code.insert(code.clone(), placeholder);
            self.by_parent_name
                .insert((parent, name.clone()), placeholder);
            self.planned.push(PlannedDepartment {
                placeholder,
                depth: i,
                code,
                name: name.clone(),
                parent,
            });
            summary.departments_created_count += 1;
            push_limited(&mut summary.departments_created, joined);
            parent = Some(placeholder);
        }
        parent
    }

    /// Creates the planned departments, parents first, and returns placeholder → id.
    async fn create_planned(&self, tx: &mut Tx, tenant: TenantId) -> Result<HashMap<i64, i64>> {
        let mut real: HashMap<i64, i64> = HashMap::with_capacity(self.planned.len());
        let depth = self.planned.iter().map(|p| p.depth + 1).max().unwrap_or(0);
        for level in 0..depth {
            let at_level: Vec<&PlannedDepartment> =
                self.planned.iter().filter(|p| p.depth == level).collect();
            let rows: Vec<(&str, &str, Option<i64>)> = at_level
                .iter()
                .map(|p| {
                    let parent = p.parent.map(|id| real.get(&id).copied().unwrap_or(id));
                    (p.code.as_str(), p.name.as_str(), parent)
                })
                .collect();
            let id_of_code: HashMap<String, i64> = tx
                .insert_departments(tenant, &rows)
                .await?
                .into_iter()
                .collect();
            for p in at_level {
                let id = id_of_code.get(&p.code).copied().ok_or_else(|| {
                    StoreError::Integrity(format!("department {} was not created", p.code))
                })?;
                real.insert(p.placeholder, id);
            }
        }
        Ok(real)
    }
}

impl Store {
    /// Everyone in the tenant as export rows (same columns as the import), by employee
    /// number, with the fiscal years that have ratings.
    pub async fn export_people(
        &self,
        tenant: TenantId,
    ) -> Result<(Vec<domain::import::export::ExportRow>, Vec<i32>)> {
        let people: Vec<StoredPerson> = self
            .fetch_all(
                &stored_people_query(tenant)
                    .order_by(People::EmployeeNumber, sea_query::Order::Asc)
                    .to_owned(),
            )
            .await?;
        let depts: Vec<(i64, String, String, Option<i64>)> =
            self.fetch_all(&departments_query(tenant)).await?;
        let ratings: Vec<(i64, i32, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([Ratings::PersonId, Ratings::FiscalYear, Ratings::Rating])
                    .from(Ratings::Table)
                    .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let dept: HashMap<i64, (&str, &str, Option<i64>)> = depts
            .iter()
            .map(|(id, c, n, p)| (*id, (c.as_str(), n.as_str(), *p)))
            .collect();
        let path_of = |mut id: i64| -> String {
            let mut names = Vec::new();
            for _ in 0..64 {
                let Some((_, name, parent)) = dept.get(&id) else {
                    break;
                };
                names.push(*name);
                match parent {
                    Some(p) => id = *p,
                    None => break,
                }
            }
            names.reverse();
            names.join("/")
        };
        let number: HashMap<i64, &str> = people
            .iter()
            .map(|p| (p.id, p.employee_number.as_str()))
            .collect();
        let mut years: Vec<i32> = ratings.iter().map(|(_, y, _)| *y).collect();
        years.sort_unstable();
        years.dedup();
        let mut by_person: HashMap<i64, HashMap<i32, &str>> = HashMap::new();
        for (p, y, r) in &ratings {
            by_person.entry(*p).or_default().insert(*y, r.as_str());
        }
        let status_ja = |s: &str| {
            PersonStatus::parse(s)
                .map(|s| s.label_ja())
                .unwrap_or("在籍")
        };
        let rows = people
            .iter()
            .map(|p| domain::import::export::ExportRow {
                fixed: [
                    p.employee_number.clone(),
                    p.name.clone(),
                    p.name_kana.clone(),
                    p.email.clone().unwrap_or_default(),
                    p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                    p.hire_date.map(|d| d.to_string()).unwrap_or_default(),
                    p.department_id
                        .and_then(|d| dept.get(&d))
                        .map(|d| d.0.to_string())
                        .unwrap_or_default(),
                    p.department_id.map(path_of).unwrap_or_default(),
                    p.title.clone(),
                    p.grade.clone(),
                    p.manager_id
                        .and_then(|m| number.get(&m))
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    status_ja(&p.status).to_string(),
                ],
                ratings: years
                    .iter()
                    .map(|y| {
                        by_person
                            .get(&p.id)
                            .and_then(|r| r.get(y))
                            .map(|s| s.to_string())
                            .unwrap_or_default()
                    })
                    .collect(),
            })
            .collect();
        Ok((rows, years))
    }
}

/// An uploaded file waiting for confirmation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingImport {
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub full: bool,
    pub content: Vec<u8>,
}

impl Store {
    /// Keeps an uploaded file until its preview is confirmed; older uploads of the same
    /// user are dropped.
    pub async fn save_pending_import(
        &self,
        tenant: TenantId,
        user: UserId,
        file_name: &str,
        full: bool,
        content: &[u8],
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(PendingImports::Table)
                .and_where(Expr::col(PendingImports::TenantId).eq(tenant.0))
                .and_where(Expr::col(PendingImports::UserId).eq(user.0))
                .to_owned(),
        )
        .await?;
        let (id,): (i64,) = tx
            .fetch_one(
                &Query::insert()
                    .into_table(PendingImports::Table)
                    .columns([
                        PendingImports::TenantId,
                        PendingImports::UserId,
                        PendingImports::CreatedAt,
                        PendingImports::FileName,
                        PendingImports::Full,
                        PendingImports::Content,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        user.0.into(),
                        Utc::now().into(),
                        file_name.into(),
                        full.into(),
                        content.to_vec().into(),
                    ])
                    .returning_col(PendingImports::Id)
                    .to_owned(),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The pending upload `id` of this user, if it is still there.
    pub async fn pending_import(
        &self,
        tenant: TenantId,
        user: UserId,
        id: i64,
    ) -> Result<Option<PendingImport>> {
        self.fetch_optional(
            &Query::select()
                .columns([
                    PendingImports::Id,
                    PendingImports::UserId,
                    PendingImports::FileName,
                    PendingImports::Full,
                    PendingImports::Content,
                ])
                .from(PendingImports::Table)
                .and_where(Expr::col(PendingImports::TenantId).eq(tenant.0))
                .and_where(Expr::col(PendingImports::UserId).eq(user.0))
                .and_where(Expr::col(PendingImports::Id).eq(id))
                .to_owned(),
        )
        .await
    }

    pub async fn delete_pending_import(&self, tenant: TenantId, id: i64) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(PendingImports::Table)
                .and_where(Expr::col(PendingImports::TenantId).eq(tenant.0))
                .and_where(Expr::col(PendingImports::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// Disables every enabled account linked to a leaver (退職) — whoever left by this import,
/// by its status column or by being absent from a full file — voiding their sessions, in
/// the import's transaction; each disabled account is audited as the importer's act.
/// Returns how many.
async fn disable_leavers_accounts(
    tx: &mut crate::Tx,
    tenant: TenantId,
    meta: &ImportMeta,
    now: chrono::DateTime<Utc>,
) -> Result<usize> {
    let leavers = Query::select()
        .column(People::Id)
        .from(People::Table)
        .and_where(Expr::col(People::TenantId).eq(tenant.0))
        .and_where(Expr::col(People::Status).eq(PersonStatus::Left.as_str()))
        .to_owned();
    let disabled: Vec<(i64,)> = tx
        .fetch_all(
            &Query::update()
                .table(Users::Table)
                .values([
                    (Users::Disabled, true.into()),
                    (Users::SessionsValidAfter, now.into()),
                ])
                .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                .and_where(Expr::col(Users::Disabled).eq(false))
                .and_where(Expr::col(Users::PersonId).in_subquery(leavers))
                .returning_col(Users::Id)
                .to_owned(),
        )
        .await?;
    for (id,) in &disabled {
        tx.execute(&crate::audit::audit_insert(
            crate::audit::NewAuditEntry::new(
                Some(tenant),
                domain::audit::AuditAction::UserDisabled,
            )
            .actor(meta.actor_user_id, &meta.actor_email)
            .target("user", id)
            .detail(domain::audit::detail("left_company", &[])),
        ))
        .await?;
    }
    Ok(disabled.len())
}
