//! KPI figures as every page writes them (the dashboard, HR's home).

use crate::shared::auth::Page;
use app::kpi::Figure;
use domain::kpi::Unit;

/// A figure as shown: 42.0% / 2.3回 / 3.80, or empty when hidden or not counted.
pub fn shown(page: &Page, f: &Figure) -> String {
    match (f.value, f.kpi.unit()) {
        (None, _) => String::new(),
        (Some(v), Unit::Share) => format!("{:.1}%", v * 100.0),
        (Some(v), Unit::Sessions) => page.tf("kpi.sessions_value", "n", format!("{v:.1}")),
        (Some(v), Unit::Score) => format!("{v:.2}"),
    }
}
