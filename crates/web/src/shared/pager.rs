//! Paging through a report's sub-units (`/kpi`, `/org-report`, `/org-report/themes`):
//! a level with more than `app::org_report::ROWS_PER_PAGE` units is listed a page at a
//! time, with links to the pages before and after (`templates/shared/_units_pager.html`).

use app::org_report::Paged;

pub struct UnitsPager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub page: usize,
    pub pages: usize,
    pub units: usize,
}

impl UnitsPager {
    /// None when every sub-unit fits on one page; `link(page)` is a page's address.
    pub fn of(p: Paged, link: impl Fn(usize) -> String) -> Option<UnitsPager> {
        (p.pages > 1).then(|| UnitsPager {
            prev: (p.page > 1).then(|| link(p.page - 1)),
            next: (p.page < p.pages).then(|| link(p.page + 1)),
            page: p.page,
            pages: p.pages,
            units: p.units,
        })
    }
}
