//! The directory held in memory: what the people search and the org tree read, derived
//! from the tables and rebuilt whenever `tenants.directory_version` moves. Every write to
//! people or departments bumps that version in its own transaction, so each server
//! process notices a change made by any other and rebuilds its copy on the next request.
//!
//! At 300,000 people a search is a scan of short in-memory strings (milliseconds) rather
//! than a `LIKE` over the table with a join (hundreds of milliseconds), and the tree's head
//! counts are computed once per change rather than once per page.

use crate::people::{Department, DepartmentNode, MAX_DEPTH, departments_query};
use crate::schema::{People, Tenants};
use crate::{Result, Store, StoreError, TenantId, Tx};
use chrono::NaiveDate;
use memchr::memmem::Finder;
use sea_query::{Expr, ExprTrait, Query};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Directories by tenant, shared by every clone of a [`Store`].
#[derive(Debug, Default)]
pub(crate) struct DirectoryCache {
    by_tenant: Mutex<HashMap<i64, Arc<Directory>>>,
    /// Held while a tenant's directory is rebuilt, so concurrent requests wait for one
    /// rebuild instead of each starting their own.
    rebuilding: tokio::sync::Mutex<()>,
}

/// One tenant's directory at one version.
#[derive(Debug)]
pub struct Directory {
    version: i64,
    /// Every person's searchable text, by employee number, one line each: name and kana
    /// without spaces, employee number and department name, separated by U+0001, ASCII
    /// in lower case. One buffer, so a word is found with one
    /// vectorised scan rather than 300,000 small ones.
    text: String,
    /// Where each person's line starts in `text`, and who it is.
    starts: Vec<usize>,
    people: Vec<Entry>,
    departments: HashMap<i64, Department>,
    children: HashMap<Option<i64>, Vec<i64>>,
    /// Current (not left) people in each department and every department below it.
    subtree: HashMap<i64, i64>,
    units: OrgUnits,
}

/// The organisation as report units, in one fixed order: unit 0 is the whole company,
/// then every department in id order (so the same figures hide the same cells on every
/// request and in every process); a top department's parent is the company.
#[derive(Debug)]
pub struct OrgUnits {
    /// `departments[u - 1]` is unit `u`.
    pub departments: Vec<Department>,
    pub unit_of: HashMap<i64, usize>,
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
}

impl OrgUnits {
    fn new(mut departments: Vec<Department>) -> OrgUnits {
        departments.sort_by_key(|d| d.id);
        let unit_of: HashMap<i64, usize> = departments
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i + 1))
            .collect();
        let parent: Vec<Option<usize>> = std::iter::once(None)
            .chain(departments.iter().map(|d| {
                Some(
                    d.parent_id
                        .and_then(|p| unit_of.get(&p).copied())
                        .unwrap_or(0),
                )
            }))
            .collect();
        let mut children = vec![Vec::new(); parent.len()];
        for (u, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(u);
            }
        }
        OrgUnits {
            departments,
            unit_of,
            parent,
            children,
        }
    }

    /// The department of unit `u` (none for the company or out of range).
    pub fn department(&self, u: usize) -> Option<&Department> {
        u.checked_sub(1).and_then(|i| self.departments.get(i))
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Never: the whole company is always a unit.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[derive(Debug)]
struct Entry {
    id: i64,
    current: bool,
    birth_date: Option<NaiveDate>,
    hire_date: Option<NaiveDate>,
}

/// A search word and its katakana reading (hiragana typed for a kana name).
fn needles(query: &str) -> Vec<(String, String)> {
    query
        .split_whitespace()
        .take(5)
        .map(|w| {
            let w = w.to_ascii_lowercase();
            let kata: String = w
                .chars()
                .map(|c| {
                    if ('ぁ'..='ゖ').contains(&c) {
                        char::from_u32(c as u32 + 0x60).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect();
            (w, kata)
        })
        .collect()
}

impl Directory {
    /// Ids of the people matching every word (in name, kana, employee number or department
    /// name), optionally only among `scope`, in employee-number order: one page and the
    /// total.
    /// The organisation as report units (see [`OrgUnits`]).
    pub fn units(&self) -> &OrgUnits {
        &self.units
    }

    pub fn search(
        &self,
        query: &str,
        scope: Option<&HashSet<i64>>,
        limit: usize,
        offset: usize,
    ) -> (Vec<i64>, usize) {
        let words = needles(query);
        let matching: Vec<usize> = match words.split_first() {
            None => (0..self.people.len()).collect(),
            Some(((w, k), rest)) => {
                // Lines holding the first word (as typed or as katakana), then the others.
                let mut lines = self.lines_containing(w);
                if k != w {
                    lines.extend(self.lines_containing(k));
                    lines.sort_unstable();
                    lines.dedup();
                }
                let rest: Vec<(Finder, Finder)> = rest
                    .iter()
                    .map(|(w, k)| (Finder::new(w.as_bytes()), Finder::new(k.as_bytes())))
                    .collect();
                lines
                    .into_iter()
                    .filter(|&i| {
                        let line = self.line(i).as_bytes();
                        rest.iter()
                            .all(|(w, k)| w.find(line).is_some() || k.find(line).is_some())
                    })
                    .collect()
            }
        };
        let mut total = 0;
        let mut page = Vec::new();
        for i in matching {
            let id = self.people[i].id;
            if scope.is_some_and(|s| !s.contains(&id)) {
                continue;
            }
            if total >= offset && page.len() < limit {
                page.push(id);
            }
            total += 1;
        }
        (page, total)
    }

    fn line(&self, i: usize) -> &str {
        let end = self
            .starts
            .get(i + 1)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        &self.text[self.starts[i]..end]
    }

    /// Indices of the lines containing `needle`, in order, each once.
    fn lines_containing(&self, needle: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for at in Finder::new(needle.as_bytes()).find_iter(self.text.as_bytes()) {
            let i = self.starts.partition_point(|&s| s <= at) - 1;
            if out.last() != Some(&i) {
                out.push(i);
            }
        }
        out
    }

    /// Current people whose birth date (or hire date) falls in `range`.
    pub fn count_born_between(&self, range: &std::ops::RangeInclusive<NaiveDate>) -> i64 {
        self.count_current(|e| e.birth_date.is_some_and(|d| range.contains(&d)))
    }

    pub fn count_hired_between(&self, range: &std::ops::RangeInclusive<NaiveDate>) -> i64 {
        self.count_current(|e| e.hire_date.is_some_and(|d| range.contains(&d)))
    }

    fn count_current(&self, pick: impl Fn(&Entry) -> bool) -> i64 {
        self.people.iter().filter(|e| e.current && pick(e)).count() as i64
    }

    /// The departments directly under `parent` (the top when `None`) with head counts.
    pub fn children(&self, parent: Option<i64>) -> Vec<DepartmentNode> {
        let mut out: Vec<DepartmentNode> = self
            .children
            .get(&parent)
            .into_iter()
            .flatten()
            .filter_map(|id| self.departments.get(id))
            .map(|d| DepartmentNode {
                headcount: self.subtree.get(&d.id).copied().unwrap_or(0),
                has_children: self.children.contains_key(&Some(d.id)),
                department: d.clone(),
            })
            .collect();
        out.sort_by(|a, b| a.department.code.cmp(&b.department.code));
        out
    }

    /// Current people in the whole tenant.
    pub fn headcount(&self) -> i64 {
        self.count_current(|_| true)
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    employee_number: String,
    name: String,
    name_kana: String,
    department_id: Option<i64>,
    status: String,
    birth_date: Option<NaiveDate>,
    hire_date: Option<NaiveDate>,
}

impl Store {
    /// The tenant's directory, rebuilt first if people or departments changed since it
    /// was built (by this process or any other).
    #[tracing::instrument(skip_all, fields(tenant.id = %tenant))]
    pub async fn directory(&self, tenant: TenantId) -> Result<Arc<Directory>> {
        let version = self.directory_version(tenant).await?;
        if let Some(d) = self.cached_directory(tenant, version) {
            return Ok(d);
        }
        let _one_at_a_time = self.directory.rebuilding.lock().await;
        if let Some(d) = self.cached_directory(tenant, version) {
            return Ok(d);
        }
        let started = std::time::Instant::now();
        let built = Arc::new(self.build_directory(tenant, version).await?);
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis(),
            people = built.people.len(),
            version,
            "directory rebuilt"
        );
        self.directory
            .by_tenant
            .lock()
            .map_err(|_| StoreError::Integrity("directory cache poisoned".into()))?
            .insert(tenant.0, built.clone());
        Ok(built)
    }

    fn cached_directory(&self, tenant: TenantId, version: i64) -> Option<Arc<Directory>> {
        let map = self.directory.by_tenant.lock().ok()?;
        map.get(&tenant.0).filter(|d| d.version == version).cloned()
    }

    async fn directory_version(&self, tenant: TenantId) -> Result<i64> {
        let (v,): (i64,) = self
            .fetch_one(
                &Query::select()
                    .column(Tenants::DirectoryVersion)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        Ok(v)
    }

    async fn build_directory(&self, tenant: TenantId, version: i64) -> Result<Directory> {
        let depts: Vec<Department> = self.fetch_all(&departments_query(tenant)).await?;
        let rows: Vec<EntryRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        People::Id,
                        People::EmployeeNumber,
                        People::Name,
                        People::NameKana,
                        People::DepartmentId,
                        People::Status,
                        People::BirthDate,
                        People::HireDate,
                    ])
                    .from(People::Table)
                    .and_where(Expr::col(People::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let units = OrgUnits::new(depts.clone());
        let departments: HashMap<i64, Department> = depts.into_iter().map(|d| (d.id, d)).collect();
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for d in departments.values() {
            children.entry(d.parent_id).or_default().push(d.id);
        }
        let mut subtree: HashMap<i64, i64> = HashMap::new();
        let mut rows = rows;
        rows.sort_by(|a, b| a.employee_number.cmp(&b.employee_number));
        let mut text = String::with_capacity(rows.len() * 96);
        let mut starts = Vec::with_capacity(rows.len());
        let mut people = Vec::with_capacity(rows.len());
        let no_space = |s: &str| s.replace([' ', '\u{3000}'], "");
        for r in rows {
            let current = r.status != domain::PersonStatus::Left.as_str();
            if current {
                let mut cur = r.department_id;
                for _ in 0..MAX_DEPTH {
                    let Some(d) = cur else { break };
                    *subtree.entry(d).or_default() += 1;
                    cur = departments.get(&d).and_then(|d| d.parent_id);
                }
            }
            let dept = r
                .department_id
                .and_then(|d| departments.get(&d))
                .map(|d| d.name.as_str())
                .unwrap_or("");
            starts.push(text.len());
            // Names without their spaces only: a search word never holds a space, and any
            // such word found in "佐藤 花子" is found in "佐藤花子" too.
            for (i, part) in [
                no_space(&r.name).as_str(),
                &no_space(&r.name_kana),
                &r.employee_number,
                dept,
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    text.push('\u{1}');
                }
                // Line breaks cannot reach here (names refuse them), but a line must stay
                // one line whatever is stored.
                text.extend(part.chars().map(|c| match c {
                    '\n' => ' ',
                    c => c.to_ascii_lowercase(),
                }));
            }
            text.push('\n');
            people.push(Entry {
                id: r.id,
                current,
                birth_date: r.birth_date,
                hire_date: r.hire_date,
            });
        }
        Ok(Directory {
            version,
            text,
            starts,
            people,
            departments,
            children,
            subtree,
            units,
        })
    }
}

impl Tx {
    /// Marks the tenant's people or departments as changed: every process rebuilds its
    /// in-memory directory on its next read. Call it in the transaction that changes them.
    pub(crate) async fn directory_changed(&mut self, tenant: TenantId) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Tenants::Table)
                .value(
                    Tenants::DirectoryVersion,
                    Expr::col(Tenants::DirectoryVersion).add(1),
                )
                .and_where(Expr::col(Tenants::Id).eq(tenant.0))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }
}
