//! What every organisation report and dashboard shares: the organisation as units (the
//! whole company, then each department under its parent), where a reader may stand in it
//! (HR anywhere, a manager from their own department down), and what a row is.

use crate::{Caller, Error};
use domain::TenantId;
use domain::policy::{self, Action};
use std::sync::Arc;
use store::Store;
use store::directory::{Directory, OrgUnits};

/// What a row is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowLabel {
    /// The whole company (every unit).
    Company,
    Unit {
        id: i64,
        code: String,
        name: String,
    },
    /// An age band key (`AGE_BANDS`), or `unknown` for people without a birth date.
    Age {
        band: String,
    },
    /// A grade as imported, or empty for people without one.
    Grade {
        grade: String,
    },
}

/// Sub-units a report page lists at once; wider levels (a group with a thousand
/// companies under it) are paged.
pub const ROWS_PER_PAGE: usize = 50;

/// Which of a unit's sub-units a report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// The unit's own figures only (HR's home).
    Nothing,
    /// One page of [`ROWS_PER_PAGE`], counted from 1 (past the last: the last).
    Page(usize),
    /// Every one (exports, the API).
    All,
}

/// Which sub-units a report lists: the page shown (from 1), how many pages, how many
/// sub-units in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Paged {
    pub page: usize,
    pub pages: usize,
    pub units: usize,
}

impl Listing {
    /// Of `units` sub-units in order, which to list, and the paging that says so.
    pub fn range(self, units: usize) -> (std::ops::Range<usize>, Paged) {
        let pages = units.div_ceil(ROWS_PER_PAGE).max(1);
        match self {
            Listing::Nothing => (
                0..0,
                Paged {
                    page: 1,
                    pages: 1,
                    units,
                },
            ),
            Listing::All => (
                0..units,
                Paged {
                    page: 1,
                    pages: 1,
                    units,
                },
            ),
            Listing::Page(p) => {
                let page = p.clamp(1, pages);
                let from = (page - 1) * ROWS_PER_PAGE;
                (
                    from..(from + ROWS_PER_PAGE).min(units),
                    Paged { page, pages, units },
                )
            }
        }
    }
}

/// Why a report is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportUnavailable {
    /// The survey is still open: figures would move with each answer.
    StillOpen,
    /// The caller manages no unit (a manager without a department).
    NoUnit,
    /// The survey's report is being counted (a large organisation, just closed).
    Counting,
}

/// The organisation as a report's units: index 0 is the whole company; department `d`
/// is `unit_of[d]`; a top department's parent is the company. Read from the in-memory
/// directory (rebuilt only when people or departments change, in any process), so a
/// report does not read every department per request.
pub(crate) struct Tree {
    directory: Arc<Directory>,
}

impl Tree {
    pub(crate) async fn load(store: &Store, tenant: TenantId) -> Result<Tree, Error> {
        Ok(Tree {
            directory: store.directory(tenant).await?,
        })
    }

    fn org(&self) -> &OrgUnits {
        self.directory.units()
    }

    /// How many units (the company included).
    pub(crate) fn len(&self) -> usize {
        self.org().len()
    }

    /// Each unit's parent (None for the company).
    pub(crate) fn parent(&self) -> &[Option<usize>] {
        &self.org().parent
    }

    /// The department of unit `u` (none for the company).
    pub(crate) fn department(&self, u: usize) -> Option<&store::people::Department> {
        self.org().department(u)
    }

    pub(crate) fn has_children(&self, u: usize) -> bool {
        self.org().children.get(u).is_some_and(|c| !c.is_empty())
    }

    /// The unit of a department, the company for none or an unknown one.
    pub(crate) fn unit(&self, department: Option<i64>) -> usize {
        department
            .and_then(|d| self.org().unit_of.get(&d).copied())
            .unwrap_or(0)
    }

    pub(crate) fn label_of(&self, u: usize) -> RowLabel {
        match self.department(u) {
            None => RowLabel::Company,
            Some(d) => RowLabel::Unit {
                id: d.id,
                code: d.code.clone(),
                name: d.name.clone(),
            },
        }
    }

    pub(crate) fn children(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        self.org().children.get(at).into_iter().flatten().copied()
    }

    /// The sub-units of `at` by code, those `listing` asks for, and the paging.
    pub(crate) fn listed(&self, at: usize, listing: Listing) -> (Vec<usize>, Paged) {
        let mut all: Vec<usize> = self.children(at).collect();
        all.sort_by(|a, b| {
            let code = |u: usize| self.department(u).map(|d| d.code.as_str());
            code(*a).cmp(&code(*b))
        });
        let (range, paged) = listing.range(all.len());
        (all[range].to_vec(), paged)
    }

    /// Where a reader stands: the unit asked for (`unit`, a department id; their top when
    /// None) if it lies within their top (the company for HR, their own department for a
    /// manager), with the path from that top down to it.
    pub(crate) fn locate(
        &self,
        scope: &Scope,
        unit: Option<i64>,
    ) -> Result<(usize, Vec<(i64, String)>), Error> {
        let top = match scope.own {
            Some(d) => *self.org().unit_of.get(&d).ok_or(Error::NotFound("unit"))?,
            None => 0,
        };
        let at = match unit {
            None => top,
            Some(d) => *self.org().unit_of.get(&d).ok_or(Error::NotFound("unit"))?,
        };
        let mut path = Vec::new();
        let mut x = Some(at);
        while let Some(u) = x {
            if let Some(d) = self.department(u) {
                path.push((d.id, d.name.clone()));
            }
            if u == top {
                path.reverse();
                return Ok((at, path));
            }
            x = self.parent()[u];
        }
        // A manager goes no higher than their own unit, nor sideways.
        Err(Error::NotFound("unit"))
    }
}

/// Who reads a report: HR the whole company, a manager their own department.
pub(crate) struct Scope {
    pub(crate) whole_company: bool,
    pub(crate) own: Option<i64>,
}

/// The caller's scope, after the policy: forbidden for anyone who reads no report.
pub(crate) async fn scope(
    store: &Store,
    caller: &Caller,
) -> Result<Result<Scope, ReportUnavailable>, Error> {
    let tenant = caller.actor.tenant_id;
    let whole_company = policy::authorize(
        &caller.actor,
        Action::ReadOrgReport {
            tenant,
            whole_company: true,
        },
    )
    .is_ok();
    policy::authorize(
        &caller.actor,
        Action::ReadOrgReport {
            tenant,
            whole_company: false,
        },
    )
    .map_err(|_| Error::Forbidden)?;
    if whole_company {
        return Ok(Ok(Scope {
            whole_company,
            own: None,
        }));
    }
    match own_unit(store, caller).await? {
        Some(d) => Ok(Ok(Scope {
            whole_company,
            own: Some(d),
        })),
        None => Ok(Err(ReportUnavailable::NoUnit)),
    }
}

/// The caller's own unit when they read as a manager: their department.
async fn own_unit(store: &Store, caller: &Caller) -> Result<Option<i64>, Error> {
    let Some(me) = caller.actor.person_id else {
        return Ok(None);
    };
    Ok(store
        .person(caller.actor.tenant_id, me)
        .await?
        .and_then(|p| p.department_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_level_is_listed_a_page_at_a_time() {
        let n = 2 * ROWS_PER_PAGE + 3;
        let (r, p) = Listing::Page(1).range(n);
        assert_eq!((r, p.page, p.pages, p.units), (0..ROWS_PER_PAGE, 1, 3, n));
        let (r, p) = Listing::Page(3).range(n);
        assert_eq!((r, p.page), (2 * ROWS_PER_PAGE..n, 3));
        // Past the last page: the last; before the first: the first.
        assert_eq!(Listing::Page(9).range(n).1.page, 3);
        assert_eq!(Listing::Page(0).range(n).0, 0..ROWS_PER_PAGE);
        // Every unit at once (exports, the API), none (HR's home), and an empty level.
        assert_eq!(Listing::All.range(n).0, 0..n);
        assert_eq!(Listing::All.range(n).1.pages, 1);
        assert!(Listing::Nothing.range(n).0.is_empty());
        let (r, p) = Listing::Page(1).range(0);
        assert!(r.is_empty());
        assert_eq!(p.pages, 1);
        // A level that fits on one page has one page.
        assert_eq!(Listing::Page(1).range(ROWS_PER_PAGE).1.pages, 1);
    }
}
