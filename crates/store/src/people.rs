//! The employee master: departments (所属), people (社員) with their reporting line, and
//! performance ratings per fiscal year. Reporting lines are read at request time; the
//! policy's notion of "manager" comes from here.

use crate::db::Cell;
use crate::schema::{Departments, People, Ratings, Users};
use crate::{PersonId, Result, Store, StoreError, TenantId, Tx};
use chrono::NaiveDate;
use domain::calendar::FiscalYear;
use domain::policy::Relation;
use sea_query::{Expr, ExprTrait, Order, Query};
use std::collections::HashMap;

/// Rows per multi-row INSERT: well under both engines' bind-parameter limits.
const BATCH: usize = 5000;
/// Reporting lines deeper than this are treated as broken data, not followed forever.
pub(crate) const MAX_DEPTH: usize = 64;

/// A person row to insert, borrowed from wherever it comes from (a load, an import).
pub(crate) struct PersonRow<'a> {
    pub number: &'a str,
    pub name: &'a str,
    pub name_kana: &'a str,
    pub email: Option<&'a str>,
    pub birth_date: Option<NaiveDate>,
    pub hire_date: Option<NaiveDate>,
    pub department: Option<i64>,
    pub title: &'a str,
    pub grade: &'a str,
    pub manager: Option<i64>,
    pub status: &'a str,
}

impl Tx {
    /// Inserts people; returns (employee number, id) of each.
    pub(crate) async fn insert_people(
        &mut self,
        tenant: TenantId,
        rows: &[PersonRow<'_>],
    ) -> Result<Vec<(String, i64)>> {
        let mut cells: Vec<Cell> = Vec::with_capacity(rows.len() * 12);
        for p in rows {
            cells.extend::<[Cell; 12]>([
                tenant.0.into(),
                p.number.into(),
                p.name.into(),
                p.name_kana.into(),
                p.email.into(),
                p.birth_date.into(),
                p.hire_date.into(),
                p.department.into(),
                p.title.into(),
                p.grade.into(),
                p.manager.into(),
                p.status.into(),
            ]);
        }
        self.insert_many(
            People::Table,
            &[
                &People::TenantId,
                &People::EmployeeNumber,
                &People::Name,
                &People::NameKana,
                &People::Email,
                &People::BirthDate,
                &People::HireDate,
                &People::DepartmentId,
                &People::Title,
                &People::Grade,
                &People::ManagerId,
                &People::Status,
            ],
            &cells,
            Some((&People::EmployeeNumber, &People::Id)),
        )
        .await
    }

    /// Inserts departments given as (code, name, parent id); returns (code, id) of each.
    pub(crate) async fn insert_departments(
        &mut self,
        tenant: TenantId,
        rows: &[(&str, &str, Option<i64>)],
    ) -> Result<Vec<(String, i64)>> {
        let mut cells: Vec<Cell> = Vec::with_capacity(rows.len() * 4);
        for (code, name, parent) in rows {
            cells.extend::<[Cell; 4]>([
                tenant.0.into(),
                (*code).into(),
                (*name).into(),
                (*parent).into(),
            ]);
        }
        self.insert_many(
            Departments::Table,
            &[
                &Departments::TenantId,
                &Departments::Code,
                &Departments::Name,
                &Departments::ParentId,
            ],
            &cells,
            Some((&Departments::Code, &Departments::Id)),
        )
        .await
    }

    /// Inserts ratings given as (person id, fiscal year, rating).
    pub(crate) async fn insert_ratings(
        &mut self,
        tenant: TenantId,
        rows: &[(i64, i32, &str)],
    ) -> Result<()> {
        let mut cells: Vec<Cell> = Vec::with_capacity(rows.len() * 4);
        for (person, fy, rating) in rows {
            cells.extend::<[Cell; 4]>([
                tenant.0.into(),
                (*person).into(),
                i64::from(*fy).into(),
                (*rating).into(),
            ]);
        }
        self.insert_many(
            Ratings::Table,
            &[
                &Ratings::TenantId,
                &Ratings::PersonId,
                &Ratings::FiscalYear,
                &Ratings::Rating,
            ],
            &cells,
            None,
        )
        .await
        .map(|_| ())
    }
}

/// Every department of a tenant (as [`Department`] rows).
pub(crate) fn departments_query(tenant: TenantId) -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Departments::Id,
            Departments::Code,
            Departments::Name,
            Departments::ParentId,
        ])
        .from(Departments::Table)
        .and_where(Expr::col(Departments::TenantId).eq(tenant.0))
        // A stable order: reports number their units by it, and the anonymity rule breaks
        // ties by that number — the same figures must always hide the same cells.
        .order_by(Departments::Id, sea_query::Order::Asc)
        .to_owned()
}

/// A person as stored, with their department's name.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub employee_number: String,
    pub name: String,
    pub name_kana: String,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub hire_date: Option<NaiveDate>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub title: String,
    pub grade: String,
    pub manager_id: Option<i64>,
    /// 在籍区分, parsed as it is read.
    #[sqlx(try_from = "String")]
    pub status: domain::PersonStatus,
}

/// A department row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
}

/// A department to load; `parent_code` refers to another department in the same load.
#[derive(Debug, Clone)]
pub struct NewDepartment {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
}

/// A person to load; `manager_number` refers to another person in the same load.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub employee_number: String,
    pub name: String,
    pub name_kana: String,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub hire_date: Option<NaiveDate>,
    pub department_code: Option<String>,
    pub title: String,
    pub grade: String,
    pub manager_number: Option<String>,
    pub status: domain::PersonStatus,
}

/// A whole organisation to load into an empty tenant, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct OrgLoad {
    pub departments: Vec<NewDepartment>,
    pub people: Vec<NewPerson>,
    /// (employee number, fiscal year, rating)
    pub ratings: Vec<(String, i32, String)>,
}

/// Rows written so far, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadProgress {
    pub rows_done: u64,
    pub rows_total: u64,
}

impl OrgLoad {
    pub fn rows(&self) -> u64 {
        (self.departments.len() + self.people.len() + self.ratings.len()) as u64
    }
}

/// Groups items into levels so that each item's parent (department, manager) sits in an
/// earlier level. Returns the indices level by level, or the key of an item on a cycle or
/// pointing nowhere.
pub(crate) fn topological<'a, T>(
    items: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
    parent: impl Fn(&'a T) -> Option<&'a str>,
) -> Result<Vec<Vec<usize>>, String> {
    let index: HashMap<&str, usize> = items.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    let mut depth: Vec<Option<usize>> = vec![None; items.len()];
    for start in 0..items.len() {
        let mut chain = Vec::new();
        let mut cur = start;
        let base = loop {
            if let Some(d) = depth[cur] {
                break d + 1;
            }
            if chain.contains(&cur) || chain.len() > items.len() {
                return Err(key(&items[cur]).to_string());
            }
            chain.push(cur);
            match parent(&items[cur]) {
                None => break 0,
                Some(p) => match index.get(p) {
                    Some(&pi) => cur = pi,
                    None => return Err(p.to_string()),
                },
            }
        };
        for (offset, i) in chain.iter().rev().enumerate() {
            depth[*i] = Some(base + offset);
        }
        // The last element of `chain` is the root-most one: it got `base`.
    }
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for (i, d) in depth.iter().enumerate() {
        let d = d.unwrap_or(0);
        if levels.len() <= d {
            levels.resize_with(d + 1, Vec::new);
        }
        levels[d].push(i);
    }
    Ok(levels)
}

impl Store {
    /// Loads departments, people and ratings in one transaction: all or nothing.
    /// Parents and managers may appear in any order; a cycle or a dangling reference is
    /// refused before anything is written.
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant, rows = load.rows()))]
    pub async fn load_org(
        &self,
        tenant: TenantId,
        load: &OrgLoad,
        progress: &(dyn Fn(LoadProgress) + Sync),
    ) -> Result<()> {
        let dept_order = topological(
            &load.departments,
            |d| d.code.as_str(),
            |d| d.parent_code.as_deref(),
        )
        .map_err(|k| StoreError::Integrity(format!("department {k}: unknown parent or a cycle")))?;
        let people_order = topological(
            &load.people,
            |p| p.employee_number.as_str(),
            |p| p.manager_number.as_deref(),
        )
        .map_err(|k| {
            StoreError::Integrity(format!(
                "person {k}: unknown manager or a cycle in the reporting line"
            ))
        })?;
        let total = load.rows();
        let mut done = 0u64;
        let mut tx = self.begin_bulk().await?;

        let mut dept_ids: HashMap<String, i64> = HashMap::new();
        for chunk in dept_order.iter().flat_map(|level| level.chunks(BATCH)) {
            let rows: Vec<(&str, &str, Option<i64>)> = chunk
                .iter()
                .map(|&i| {
                    let d = &load.departments[i];
                    let parent = d
                        .parent_code
                        .as_ref()
                        .and_then(|c| dept_ids.get(c).copied());
                    (d.code.as_str(), d.name.as_str(), parent)
                })
                .collect();
            let created = tx.insert_departments(tenant, &rows).await?;
            dept_ids.extend(created);
            done += chunk.len() as u64;
            progress(LoadProgress {
                rows_done: done,
                rows_total: total,
            });
        }

        let mut person_ids: HashMap<String, i64> = HashMap::with_capacity(load.people.len());
        for chunk in people_order.iter().flat_map(|level| level.chunks(BATCH)) {
            let mut rows = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let p = &load.people[i];
                let department = match &p.department_code {
                    Some(c) => Some(*dept_ids.get(c).ok_or_else(|| {
                        StoreError::Integrity(format!(
                            "person {}: unknown department {c}",
                            p.employee_number
                        ))
                    })?),
                    None => None,
                };
                rows.push(PersonRow {
                    number: &p.employee_number,
                    name: &p.name,
                    name_kana: &p.name_kana,
                    email: p.email.as_deref(),
                    birth_date: p.birth_date,
                    hire_date: p.hire_date,
                    department,
                    title: &p.title,
                    grade: &p.grade,
                    manager: p
                        .manager_number
                        .as_ref()
                        .and_then(|m| person_ids.get(m).copied()),
                    status: p.status.as_str(),
                });
            }
            let created = tx.insert_people(tenant, &rows).await?;
            person_ids.extend(created);
            done += chunk.len() as u64;
            progress(LoadProgress {
                rows_done: done,
                rows_total: total,
            });
        }

        for chunk in load.ratings.chunks(BATCH) {
            let mut rows = Vec::with_capacity(chunk.len());
            for (number, fy, rating) in chunk {
                let pid = person_ids.get(number).ok_or_else(|| {
                    StoreError::Integrity(format!("rating for unknown person {number}"))
                })?;
                rows.push((*pid, *fy, rating.as_str()));
            }
            tx.insert_ratings(tenant, &rows).await?;
            done += chunk.len() as u64;
            progress(LoadProgress {
                rows_done: done,
                rows_total: total,
            });
        }
        tx.directory_changed(tenant).await?;
        tx.commit().await?;
        self.refresh_statistics().await
    }

    /// The department with `code` and every department below it (`NotFound` for an
    /// unknown code).
    pub(crate) async fn department_subtree(
        &self,
        tenant: TenantId,
        code: &str,
    ) -> Result<std::collections::HashSet<i64>> {
        let depts: Vec<(i64, String, Option<i64>)> = self
            .fetch_all(
                &Query::select()
                    .columns([Departments::Id, Departments::Code, Departments::ParentId])
                    .from(Departments::Table)
                    .and_where(Expr::col(Departments::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let root = depts
            .iter()
            .find(|(_, c, _)| c == code)
            .map(|(id, _, _)| *id)
            .ok_or(StoreError::NotFound)?;
        let mut children: std::collections::HashMap<i64, Vec<i64>> = Default::default();
        for (id, _, parent) in &depts {
            if let Some(p) = parent {
                children.entry(*p).or_default().push(*id);
            }
        }
        let mut inside = std::collections::HashSet::from([root]);
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            for c in children.get(&d).into_iter().flatten() {
                if inside.insert(*c) {
                    stack.push(*c);
                }
            }
        }
        Ok(inside)
    }

    pub(crate) fn select_people() -> sea_query::SelectStatement {
        Query::select()
            .column((People::Table, People::Id))
            .column((People::Table, People::EmployeeNumber))
            .column((People::Table, People::Name))
            .column((People::Table, People::NameKana))
            .column((People::Table, People::Email))
            .column((People::Table, People::BirthDate))
            .column((People::Table, People::HireDate))
            .column((People::Table, People::DepartmentId))
            .expr_as(
                Expr::col((Departments::Table, Departments::Name)),
                sea_query::Alias::new("department_name"),
            )
            .column((People::Table, People::Title))
            .column((People::Table, People::Grade))
            .column((People::Table, People::ManagerId))
            .column((People::Table, People::Status))
            .from(People::Table)
            .left_join(
                Departments::Table,
                Expr::col((Departments::Table, Departments::Id))
                    .equals((People::Table, People::DepartmentId)),
            )
            .to_owned()
    }

    pub async fn person(&self, tenant: TenantId, id: PersonId) -> Result<Option<Person>> {
        self.fetch_optional(
            &Self::select_people()
                .and_where(Expr::col((People::Table, People::TenantId)).eq(tenant.0))
                .and_where(Expr::col((People::Table, People::Id)).eq(id.0))
                .to_owned(),
        )
        .await
    }

    pub async fn person_by_number(&self, tenant: TenantId, number: &str) -> Result<Option<Person>> {
        self.fetch_optional(
            &Self::select_people()
                .and_where(Expr::col((People::Table, People::TenantId)).eq(tenant.0))
                .and_where(Expr::col((People::Table, People::EmployeeNumber)).eq(number))
                .to_owned(),
        )
        .await
    }

    /// Does this person have anyone reporting to them today?
    pub async fn has_reports(&self, tenant: TenantId, person: PersonId) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(People::Id)
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .and_where(Expr::col(People::ManagerId).eq(person.0))
                    .and_where(Expr::col(People::Status).ne(domain::PersonStatus::Left.as_str()))
                    .limit(1)
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// The people above someone, nearest first (上司, 上司の上司, …).
    pub async fn manager_chain(&self, tenant: TenantId, person: PersonId) -> Result<Vec<Person>> {
        let mut chain = Vec::new();
        let mut cur = self
            .person(tenant, person)
            .await?
            .and_then(|p| p.manager_id);
        while let Some(id) = cur {
            if chain.len() >= MAX_DEPTH || chain.iter().any(|p: &Person| p.id == id) {
                break;
            }
            match self.person(tenant, PersonId(id)).await? {
                Some(p) => {
                    cur = p.manager_id;
                    chain.push(p);
                }
                None => break,
            }
        }
        Ok(chain)
    }

    /// How `viewer` stands to `target`, from the reporting line as it is now.
    pub async fn relation(
        &self,
        tenant: TenantId,
        viewer: Option<PersonId>,
        target: PersonId,
    ) -> Result<Relation> {
        let Some(viewer) = viewer else {
            return Ok(Relation::Outside);
        };
        if viewer == target {
            return Ok(Relation::Oneself);
        }
        let chain = self.manager_chain(tenant, target).await?;
        Ok(if chain.iter().any(|p| p.id == viewer.0) {
            Relation::InReportingLine
        } else {
            Relation::Outside
        })
    }

    /// Is one of the two in the other's reporting line (either way), or are they the same
    /// person? Used where a line must not be crossed — a consultant's assignment, a
    /// cross-department pair.
    pub async fn in_one_line(&self, tenant: TenantId, a: PersonId, b: PersonId) -> Result<bool> {
        Ok(
            self.relation(tenant, Some(a), b).await? != Relation::Outside
                || self.relation(tenant, Some(b), a).await? != Relation::Outside,
        )
    }

    /// Everyone below a manager, direct reports first, with their depth (1 = direct).
    pub async fn reports_of(
        &self,
        tenant: TenantId,
        manager: PersonId,
    ) -> Result<Vec<(usize, Person)>> {
        let mut out = Vec::new();
        let mut level = vec![manager.0];
        let mut depth = 1;
        while !level.is_empty() && depth <= MAX_DEPTH {
            let mut next = Vec::new();
            for ids in level.chunks(BATCH) {
                let rows: Vec<Person> = self
                    .fetch_all(
                        &Self::select_people()
                            .and_where(Expr::col((People::Table, People::TenantId)).eq(tenant.0))
                            .and_where(
                                Expr::col((People::Table, People::ManagerId)).is_in(ids.to_vec()),
                            )
                            .and_where(
                                Expr::col((People::Table, People::Status))
                                    .ne(domain::PersonStatus::Left.as_str()),
                            )
                            .order_by((People::Table, People::EmployeeNumber), Order::Asc)
                            .to_owned(),
                    )
                    .await?;
                for p in rows {
                    next.push(p.id);
                    out.push((depth, p));
                }
            }
            level = next;
            depth += 1;
        }
        Ok(out)
    }

    /// A department's path from the top (e.g. 営業本部 / 東日本営業部 / 第一課).
    pub async fn department_path(
        &self,
        tenant: TenantId,
        department: i64,
    ) -> Result<Vec<Department>> {
        let mut path = Vec::new();
        let mut cur = Some(department);
        while let Some(id) = cur {
            if path.len() >= MAX_DEPTH {
                break;
            }
            let d: Option<Department> = self
                .fetch_optional(
                    &Query::select()
                        .columns([
                            Departments::Id,
                            Departments::Code,
                            Departments::Name,
                            Departments::ParentId,
                        ])
                        .from(Departments::Table)
                        .and_where(Expr::col(Departments::TenantId).eq(tenant.0))
                        .and_where(Expr::col(Departments::Id).eq(id))
                        .to_owned(),
                )
                .await?;
            match d {
                Some(d) => {
                    cur = d.parent_id;
                    path.push(d);
                }
                None => break,
            }
        }
        path.reverse();
        Ok(path)
    }

    /// Ratings by fiscal year, oldest first.
    pub async fn ratings_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<(i32, String)>> {
        self.fetch_all(
            &Query::select()
                .columns([Ratings::FiscalYear, Ratings::Rating])
                .from(Ratings::Table)
                .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                .and_where(Expr::col(Ratings::PersonId).eq(person.0))
                .order_by(Ratings::FiscalYear, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// People currently employed (not left).
    pub async fn count_people(&self, tenant: TenantId) -> Result<i64> {
        Ok(self.directory(tenant).await?.headcount())
    }

    /// How many current people were born within `births` (a cohort, e.g. turning 50 in a FY).
    pub async fn count_born_between(
        &self,
        tenant: TenantId,
        births: std::ops::RangeInclusive<NaiveDate>,
    ) -> Result<i64> {
        Ok(self.directory(tenant).await?.count_born_between(&births))
    }

    /// How many current people joined within `hires` (e.g. reaching 3 years of service in a FY).
    pub async fn count_hired_between(
        &self,
        tenant: TenantId,
        hires: std::ops::RangeInclusive<NaiveDate>,
    ) -> Result<i64> {
        Ok(self.directory(tenant).await?.count_hired_between(&hires))
    }

    /// Current people born within `births`, oldest first (a cohort such as "turns 50 in FY2026").
    pub async fn people_born_between(
        &self,
        tenant: TenantId,
        births: std::ops::RangeInclusive<NaiveDate>,
    ) -> Result<Vec<Person>> {
        self.people_with_date_between(tenant, People::BirthDate, births)
            .await
    }

    /// Current people hired within `hires`, earliest first ("3 years since hire in FY2026").
    pub async fn people_hired_between(
        &self,
        tenant: TenantId,
        hires: std::ops::RangeInclusive<NaiveDate>,
    ) -> Result<Vec<Person>> {
        self.people_with_date_between(tenant, People::HireDate, hires)
            .await
    }

    async fn people_with_date_between(
        &self,
        tenant: TenantId,
        column: People,
        range: std::ops::RangeInclusive<NaiveDate>,
    ) -> Result<Vec<Person>> {
        self.fetch_all(
            &Self::select_people()
                .and_where(Expr::col((People::Table, People::TenantId)).eq(tenant.0))
                .and_where(
                    Expr::col((People::Table, People::Status))
                        .ne(domain::PersonStatus::Left.as_str()),
                )
                .and_where(Expr::col((People::Table, column)).between(*range.start(), *range.end()))
                .order_by((People::Table, column), Order::Asc)
                .order_by((People::Table, People::EmployeeNumber), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Head count per top-level department (本部), largest first; empty ones left out.
    pub async fn headcount_by_top_department(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, i64)>> {
        let mut out: Vec<(String, i64)> = self
            .department_children(tenant, None)
            .await?
            .into_iter()
            .filter(|n| n.headcount > 0)
            .map(|n| (n.department.name, n.headcount))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    /// Is there at least one person in the tenant? (`serve --demo` fills empty databases.)
    pub async fn tenant_has_people(&self, tenant: TenantId) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(People::Id)
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .limit(1)
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// The current fiscal year's ratings count, for sanity checks of imported data.
    pub async fn count_ratings(&self, tenant: TenantId, fy: FiscalYear) -> Result<i64> {
        let (n,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(Ratings::PersonId).count())
                    .from(Ratings::Table)
                    .and_where(Expr::col(Ratings::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Ratings::FiscalYear).eq(fy.0))
                    .to_owned(),
            )
            .await?;
        Ok(n)
    }

    /// The person linked to a user account, if any.
    pub async fn person_of_user(
        &self,
        tenant: TenantId,
        user: crate::UserId,
    ) -> Result<Option<Person>> {
        let row: Option<(Option<i64>,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Users::PersonId)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Users::Id).eq(user.0))
                    .to_owned(),
            )
            .await?;
        match row.and_then(|(p,)| p) {
            Some(p) => self.person(tenant, PersonId(p)).await,
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::topological;

    #[test]
    fn topological_orders_parents_first_and_rejects_cycles() {
        let items = [("c", Some("b")), ("a", None), ("b", Some("a"))];
        let levels = topological(&items, |t| t.0, |t| t.1).expect("acyclic");
        assert_eq!(levels, vec![vec![1], vec![2], vec![0]]);
        let cyc = [("a", Some("b")), ("b", Some("a"))];
        assert!(topological(&cyc, |t| t.0, |t| t.1).is_err());
        let dangling = [("a", Some("zzz"))];
        assert_eq!(
            topological(&dangling, |t| t.0, |t| t.1),
            Err("zzz".to_string())
        );
        let wide = [("b", Some("a")), ("a", None), ("c", Some("a")), ("d", None)];
        assert_eq!(
            topological(&wide, |t| t.0, |t| t.1).expect("ok"),
            vec![vec![1, 3], vec![0, 2]]
        );
        let selfref = [("a", Some("a"))];
        assert!(topological(&selfref, |t| t.0, |t| t.1).is_err());
    }
}

/// A department with its head count including every department below it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DepartmentNode {
    pub department: Department,
    pub headcount: i64,
    pub has_children: bool,
}

impl Store {
    /// People matching every word of `query` in their name, kana (hiragana is read as
    /// katakana), employee number or department name; optionally only among `scope`.
    /// Returns one page, ordered by employee number, and the total.
    pub async fn search_people(
        &self,
        tenant: TenantId,
        query: &str,
        scope: Option<&[i64]>,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<Person>, i64)> {
        let directory = self.directory(tenant).await?;
        let scope: Option<std::collections::HashSet<i64>> =
            scope.map(|ids| ids.iter().copied().collect());
        let (ids, total) = directory.search(query, scope.as_ref(), limit as usize, offset as usize);
        if ids.is_empty() {
            return Ok((Vec::new(), total as i64));
        }
        let rows: Vec<Person> = self
            .fetch_all(
                &Self::select_people()
                    .and_where(Expr::col((People::Table, People::TenantId)).eq(tenant.0))
                    .and_where(Expr::col((People::Table, People::Id)).is_in(ids.clone()))
                    .to_owned(),
            )
            .await?;
        let mut by_id: HashMap<i64, Person> = rows.into_iter().map(|p| (p.id, p)).collect();
        Ok((
            ids.iter().filter_map(|id| by_id.remove(id)).collect(),
            total as i64,
        ))
    }

    /// Every department as (code, path of names from the top — 営業本部 / 東日本営業部),
    /// in tree order, at most `limit`: for pickers where a department is chosen.
    pub async fn department_choices(
        &self,
        tenant: TenantId,
        limit: usize,
    ) -> Result<Vec<(String, String)>> {
        let dir = self.directory(tenant).await?;
        let mut out = Vec::new();
        // Depth first, in the order the tree shows them.
        let mut stack: Vec<(Department, String)> = dir
            .children(None)
            .into_iter()
            .rev()
            .map(|n| {
                let name = n.department.name.clone();
                (n.department, name)
            })
            .collect();
        while let Some((d, path)) = stack.pop() {
            if out.len() >= limit {
                break;
            }
            for child in dir.children(Some(d.id)).into_iter().rev() {
                let p = format!("{path} / {}", child.department.name);
                stack.push((child.department, p));
            }
            out.push((d.code, path));
        }
        Ok(out)
    }

    /// The departments directly under `parent` (the top level when `None`), each with the
    /// number of current people in it and below it.
    pub async fn department_children(
        &self,
        tenant: TenantId,
        parent: Option<i64>,
    ) -> Result<Vec<DepartmentNode>> {
        Ok(self.directory(tenant).await?.children(parent))
    }
}
