//! A person's profile as one viewer may see it ([`profile_view`], fields chosen by
//! `policy::person_fields` before), and their ratings as a small chart: the employee's own
//! home and the profile page show the same view.

use super::auth::Auth;
use super::error::AppError;
use crate::AppState;
use chrono::NaiveDate;
use domain::PersonId;
use domain::calendar::FiscalCalendar;
use domain::policy::PersonFields;
use store::people::Person;

/// A person's profile as one viewer may see it.
pub struct ProfileView {
    pub id: i64,
    pub name: String,
    pub name_kana: String,
    pub employee_number: String,
    pub department: String,
    pub title: String,
    pub status_key: &'static str,
    pub email: Option<String>,
    pub grade: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<i32>,
    pub hire_date: Option<NaiveDate>,
    pub tenure: Option<i32>,
    pub manager: Option<String>,
}

/// The translation key of a person's status (在籍・休職・退職).
pub fn status_key(s: domain::PersonStatus) -> &'static str {
    match s {
        domain::PersonStatus::Active => "status.active",
        domain::PersonStatus::Leave => "status.leave",
        domain::PersonStatus::Left => "status.left",
    }
}

pub async fn profile_view(
    state: &AppState,
    auth: &Auth,
    p: &Person,
    f: PersonFields,
    cal: &FiscalCalendar,
) -> Result<ProfileView, AppError> {
    let department = match p.department_id {
        Some(d) => state
            .store
            .department_path(auth.tenant(), d)
            .await?
            .into_iter()
            .map(|d| d.name)
            .collect::<Vec<_>>()
            .join(" / "),
        None => String::new(),
    };
    let manager = match (f.reporting_line, p.manager_id) {
        (true, Some(m)) => state
            .store
            .person(auth.tenant(), PersonId(m))
            .await?
            .map(|m| m.name),
        _ => None,
    };
    let today = state.clock.today();
    Ok(ProfileView {
        id: p.id,
        name: p.name.clone(),
        name_kana: p.name_kana.clone(),
        employee_number: p.employee_number.clone(),
        department,
        title: p.title.clone(),
        status_key: status_key(p.status),
        email: p.email.clone().filter(|_| f.email),
        grade: Some(p.grade.clone()).filter(|g| f.grade && !g.is_empty()),
        birth_date: p.birth_date.filter(|_| f.birth_date),
        age: p
            .birth_date
            .filter(|_| f.birth_date)
            .map(|b| cal.age_on(b, today)),
        hire_date: p.hire_date.filter(|_| f.hire_date),
        tenure: p
            .hire_date
            .filter(|_| f.hire_date)
            .map(|h| domain::calendar::years_completed(h, today, cal.age_rule)),
        manager,
    })
}

/// A small line chart of ratings by fiscal year, as inline SVG, using the tenant's scale
/// (higher is better). `None` when fewer than two ratings have a value on the scale.
pub fn rating_chart(
    ratings: &[(i32, String)],
    scale: &domain::rating::RatingScale,
) -> Option<String> {
    let points: Vec<(i32, &str, f64)> = ratings
        .iter()
        .filter_map(|(fy, r)| scale.value(r).map(|v| (*fy, r.as_str(), v)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let (lo, hi) = scale.bounds();
    let (w, h, left, top, bottom) = (40.0 * points.len() as f64 + 40.0, 120.0, 24.0, 14.0, 22.0);
    let x = |i: usize| left + 40.0 * i as f64;
    let y = |v: f64| {
        if hi > lo {
            top + (hi - v) / (hi - lo) * (h - top - bottom)
        } else {
            h / 2.0
        }
    };
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.2)))
        .collect();
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" xmlns="http://www.w3.org/2000/svg"><polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/>"#,
        line.join(" ")
    );
    for (i, (fy, label, v)) in points.iter().enumerate() {
        svg += &format!(
            r#"<circle cx="{:.1}" cy="{:.1}" r="3.5"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="v">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" class="fy">{}</text>"#,
            x(i),
            y(*v),
            x(i),
            y(*v) - 7.0,
            esc(label),
            x(i),
            h - 4.0,
            fy
        );
    }
    svg += "</svg>";
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::rating_chart;
    use domain::rating::RatingScale;

    #[test]
    fn the_rating_chart_plots_known_levels_higher_for_better_ratings() {
        let scale = RatingScale::default();
        let svg = rating_chart(
            &[(2024, "B".into()), (2025, "S".into()), (2026, "?".into())],
            &scale,
        )
        .expect("chart");
        assert!(
            svg.starts_with("<svg")
                && svg.contains(">2024<")
                && svg.contains(">S<")
                && !svg.contains(">2026<")
        );
        // S (5) is drawn above B (3): a smaller y.
        let ys: Vec<f64> = svg
            .split("cy=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        assert!(ys[1] < ys[0], "{ys:?}");
        assert!(rating_chart(&[(2025, "A".into())], &scale).is_none());
        assert!(rating_chart(&[(2024, "<b>".into()), (2025, "A".into())], &scale).is_none());
    }
}
