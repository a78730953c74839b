//! Each role's home page and the person profile.

use crate::auth::{Auth, Page};
use crate::error::AppError;
use crate::shell::Shell;
use crate::{AppState, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use chrono::{NaiveDate, Utc};
use domain::audit::AuditAction;
use domain::calendar::FiscalCalendar;
use domain::policy::{self, Action, PersonFields, Relation};
use domain::{PersonId, Role};
use store::audit::NewAuditEntry;
use store::people::Person;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my", get(my))
        .route("/members", get(members))
        .route("/training", get(training))
        .route("/programmes", get(programmes))
        .route("/people/{id}", get(person))
}

/// A moment shown in Japan time, where every tenant operates for now.
pub fn when(at: chrono::DateTime<Utc>) -> String {
    jst(at).format("%Y-%m-%d %H:%M").to_string()
}

/// A moment as Japan's wall-clock time.
pub fn jst(at: chrono::DateTime<Utc>) -> chrono::NaiveDateTime {
    domain::japan_time::to_japan(at)
}

/// Japan's wall-clock time as a moment.
pub fn from_jst(local: chrono::NaiveDateTime) -> chrono::DateTime<Utc> {
    domain::japan_time::from_japan(local)
}

/// Asks the policy; a refusal becomes a 403 page.
pub fn allow(auth: &Auth, action: Action) -> Result<(), AppError> {
    policy::authorize(&auth.actor, action).map_err(|reason| {
        tracing::info!(user.id = %auth.actor.user_id, ?action, ?reason, "access denied");
        AppError::forbidden()
    })
}

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

fn status_key(s: &str) -> &'static str {
    match s {
        "leave" => "status.leave",
        "left" => "status.left",
        _ => "status.active",
    }
}

async fn profile_view(
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
        status_key: status_key(&p.status),
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

#[derive(Template, WebTemplate)]
#[template(path = "my.html")]
struct MyPage {
    shell: Shell,
    profile: Option<ProfileView>,
    /// My dialogues still to come.
    upcoming: Vec<crate::dialogues::Row>,
    /// Dialogues with commitments about me that I have not confirmed yet.
    to_confirm: Vec<i64>,
    /// My commitments whose start has come: 始めましたか？
    check_ins: Vec<crate::commitments::CheckIn>,
    /// Role-model stories about me waiting for my answer.
    stories_to_answer: Vec<crate::role_models::StoryCard>,
    milestones: Vec<String>,
    fiscal_year: i32,
    /// 節目プログラム I take part in: (id, FY, name, mandatory)
    programmes: Vec<(i64, i32, String, bool)>,
}

/// Milestone ages and tenures DOMAIN.md's programmes target.
const MILESTONE_AGES: [i32; 4] = [30, 40, 50, 60];
const MILESTONE_TENURES: [i32; 3] = [3, 5, 10];

/// GET /my — マイキャリア
async fn my(State(state): State<AppState>, page: Page, auth: Auth) -> Result<MyPage, AppError> {
    allow(&auth, Action::OpenHome(Role::Employee))?;
    let tenant = state.store.tenant(auth.tenant()).await?;
    let cal = tenant.settings.calendar;
    let fy = cal.fiscal_year_of(state.clock.today());
    let person = state
        .store
        .person_of_user(auth.tenant(), auth.user.id)
        .await?;
    let mut milestones = Vec::new();
    let mut upcoming = Vec::new();
    let mut to_confirm = Vec::new();
    let mut check_ins = Vec::new();
    let mut stories_to_answer = Vec::new();
    let mut programmes = Vec::new();
    if let Some(p) = &person {
        for g in state
            .store
            .programmes_of_person(auth.tenant(), PersonId(p.id))
            .await?
        {
            programmes.push((g.id, g.fiscal_year, g.name, g.mandatory));
        }
        for s in state
            .store
            .stories_about(auth.tenant(), PersonId(p.id))
            .await?
            .iter()
            .filter(|s| s.consent == domain::role_model::Consent::Pending)
        {
            stories_to_answer.extend(crate::role_models::card(s, &auth));
        }
        let mine = state
            .store
            .commitments_about(auth.tenant(), PersonId(p.id))
            .await?;
        let grace = state.store.check_in_grace_days(auth.tenant()).await?;
        for c in crate::commitments::due_check_ins(&mine, grace, state.clock.today()) {
            check_ins.push(crate::commitments::CheckIn {
                dialogue_id: c.dialogue_id,
                action: c.content.action.clone(),
                starts_on: c.starts_on.to_string(),
                subject: String::new(),
            });
        }
        for c in mine {
            if c.confirmed_at.is_none() && !to_confirm.contains(&c.dialogue_id) {
                to_confirm.push(c.dialogue_id);
            }
        }
        for d in state
            .store
            .dialogues_about(auth.tenant(), PersonId(p.id))
            .await?
        {
            if !d.is_closed()
                && app::dialogues::role_in(&state.store, &auth.actor, &d).await?
                    == policy::DialogueRole::Subject
            {
                upcoming.push(crate::dialogues::row(&page, &d));
            }
        }
    }
    let profile = match &person {
        Some(p) => {
            let fields = policy::person_fields(&auth.actor, Relation::Oneself)
                .ok_or_else(AppError::forbidden)?;
            if let Some(b) = p.birth_date {
                for age in MILESTONE_AGES
                    .into_iter()
                    .filter(|a| cal.turns_during(b, *a, fy))
                {
                    milestones.push(
                        page.lang
                            .catalog()
                            .format("my.milestone", &[("fy", &fy.0), ("age", &age)]),
                    );
                }
            }
            if let Some(h) = p.hire_date {
                for years in MILESTONE_TENURES
                    .into_iter()
                    .filter(|y| cal.turns_during(h, *y, fy))
                {
                    milestones.push(page.tf("my.tenure_milestone", "years", years));
                }
            }
            Some(profile_view(&state, &auth, p, fields, &cal).await?)
        }
        None => None,
    };
    Ok(MyPage {
        shell: page.shell(Some(&auth), "/my"),
        profile,
        upcoming,
        to_confirm,
        check_ins,
        stories_to_answer,
        milestones,
        fiscal_year: fy.0,
        programmes,
    })
}

pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub department: String,
    pub title: String,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
struct MembersPage {
    shell: Shell,
    members: Vec<MemberRow>,
}

/// GET /members — メンバー: the manager's reporting line.
async fn members(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<MembersPage, AppError> {
    allow(&auth, Action::ListOwnReports)?;
    let me = auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    let reports = state.store.reports_of(auth.tenant(), me).await?;
    let members = reports
        .into_iter()
        .map(|(depth, p)| MemberRow {
            id: p.id,
            name: p.name,
            number: p.employee_number,
            department: p.department_name.unwrap_or_default(),
            title: p.title,
            depth,
        })
        .collect();
    Ok(MembersPage {
        shell: page.shell(Some(&auth), "/members"),
        members,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "training.html")]
struct TrainingPage {
    shell: Shell,
    /// (programme id, session id, when, place, programme name, seats taken, capacity)
    sessions: Vec<(i64, i64, String, String, String, usize, usize)>,
}

/// GET /training — 研修 (instructors): the sessions they run.
async fn training(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<TrainingPage, AppError> {
    allow(&auth, Action::OpenHome(Role::Instructor))?;
    let tenant = auth.tenant();
    let mut sessions = Vec::new();
    for s in state
        .store
        .sessions_of_instructor(tenant, auth.user.id)
        .await?
    {
        let programme = state.store.programme(tenant, s.programme).await?;
        let taken = state
            .store
            .participants(tenant, s.programme)
            .await?
            .iter()
            .filter(|p| p.session == Some(s.id) && !p.left())
            .count();
        sessions.push((
            s.programme,
            s.id,
            crate::programmes::fmt_when(&s),
            s.place,
            programme.map(|p| p.name).unwrap_or_default(),
            taken,
            s.capacity,
        ));
    }
    Ok(TrainingPage {
        shell: page.shell(Some(&auth), "/training"),
        sessions,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "programmes.html")]
struct ProgrammesPage {
    shell: Shell,
    headcount: String,
    fiscal_year: i32,
    cohorts: Vec<(String, String)>,
    divisions: Vec<(String, String)>,
    k: u32,
    /// (FY, cells per level, rate) of behaviour-change evaluations; cells suppressed below k.
    behaviour: Vec<(i32, Vec<String>, String)>,
    levels: Vec<String>,
    /// 節目プログラム, newest first.
    programmes: Vec<crate::programmes::Summary>,
    may_manage: bool,
}

/// GET /programmes — 施策 (HR): organisation figures, every cell under the anonymity rule.
async fn programmes(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ProgrammesPage, AppError> {
    allow(&auth, Action::OpenHome(Role::Hr))?;
    allow(
        &auth,
        Action::ViewOrganisationFigures {
            tenant: auth.tenant(),
        },
    )?;
    let tenant = state.store.tenant(auth.tenant()).await?;
    let cal = tenant.settings.calendar;
    let k = tenant.settings.anonymity_k;
    let fy = cal.fiscal_year_of(state.clock.today());
    let cell = |n: i64| -> String {
        if n > 0 && n < k as i64 {
            page.tf("programmes.suppressed", "k", k)
        } else {
            page.tf("unit.people", "n", n)
        }
    };
    let headcount = cell(state.store.count_people(auth.tenant()).await?);
    let mut cohorts = Vec::new();
    for age in MILESTONE_AGES {
        let n = state
            .store
            .count_born_between(auth.tenant(), cal.birth_range_turning(age, fy))
            .await?;
        cohorts.push((page.tf("programmes.turns", "age", age), cell(n)));
    }
    for years in MILESTONE_TENURES {
        let n = state
            .store
            .count_hired_between(auth.tenant(), cal.birth_range_turning(years, fy))
            .await?;
        cohorts.push((page.tf("programmes.tenure", "years", years), cell(n)));
    }
    let divisions = state
        .store
        .headcount_by_top_department(auth.tenant())
        .await?
        .into_iter()
        .map(|(name, n)| (name, cell(n)))
        .collect();
    // Behaviour change per fiscal year, under the anonymity rule (domain::behaviour).
    let mut behaviour = Vec::new();
    for (fy, d) in state.store.behaviour_distribution(auth.tenant()).await? {
        let shown = d.anonymised(u64::from(k));
        let hidden = || crate::programmes::hidden_label(&page, d.evaluated(), k);
        let cells = match shown.shares {
            Some(s) => s.iter().map(|x| format!("{:.1}%", x * 100.0)).collect(),
            None => vec![hidden(); 4],
        };
        let rate = match shown.rate {
            Some(r) => page.lang.catalog().format(
                "behaviour.rate_of",
                &[
                    ("rate", &format!("{:.1}", r * 100.0)),
                    ("n", &d.evaluated()),
                ],
            ),
            None => hidden(),
        };
        behaviour.push((fy, cells, rate));
    }
    behaviour.reverse();
    let may_manage = policy::authorize(
        &auth.actor,
        Action::ManageProgrammes {
            tenant: auth.tenant(),
        },
    )
    .is_ok();
    let programmes = crate::programmes::summaries(&state, &page, auth.tenant(), k).await?;
    Ok(ProgrammesPage {
        programmes,
        may_manage,
        behaviour,
        levels: domain::behaviour::Change::ALL
            .into_iter()
            .map(|c| page.t(&format!("behaviour.level.{}", c.key())))
            .collect(),
        shell: page.shell(Some(&auth), "/programmes"),
        headcount,
        fiscal_year: fy.0,
        cohorts,
        divisions,
        k,
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

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
struct PersonPage {
    shell: Shell,
    p: ProfileView,
    chain: Option<Vec<String>>,
    reports: Option<Vec<(i64, String)>>,
    ratings: Option<Vec<(i32, String)>>,
    chart: Option<String>,
}

/// GET /people/{id} — a profile, with exactly the fields the policy allows.
async fn person(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<PersonPage, AppError> {
    let target = PersonId(id);
    let relation = state
        .store
        .relation(auth.tenant(), auth.actor.person_id, target)
        .await?;
    allow(
        &auth,
        Action::ViewPerson {
            tenant: auth.tenant(),
            relation,
        },
    )?;
    let fields = policy::person_fields(&auth.actor, relation).ok_or_else(AppError::forbidden)?;
    let p = state
        .store
        .person(auth.tenant(), target)
        .await?
        .ok_or_else(AppError::not_found)?;
    if policy::person_read_is_audited(relation, fields) {
        auth.audit(
            &state,
            &origin,
            NewAuditEntry::new(Some(auth.tenant()), AuditAction::ConfidentialRead)
                .target("person", id)
                .detail("profile"),
        )
        .await?;
    }
    let tenant = state.store.tenant(auth.tenant()).await?;
    let view = profile_view(&state, &auth, &p, fields, &tenant.settings.calendar).await?;
    let (chain, reports) = if fields.reporting_line {
        let chain = state
            .store
            .manager_chain(auth.tenant(), target)
            .await?
            .into_iter()
            .map(|m| m.name)
            .collect();
        let reports = state
            .store
            .reports_of(auth.tenant(), target)
            .await?
            .into_iter()
            .filter(|(d, _)| *d == 1)
            .map(|(_, r)| (r.id, r.name))
            .collect();
        (Some(chain), Some(reports))
    } else {
        (None, None)
    };
    let ratings = if fields.ratings {
        Some(state.store.ratings_of(auth.tenant(), target).await?)
    } else {
        None
    };
    let section = if relation == Relation::Oneself {
        "/my"
    } else if relation == Relation::InReportingLine {
        "/members"
    } else {
        ""
    };
    let chart = ratings
        .as_deref()
        .and_then(|r| rating_chart(r, &tenant.settings.rating_scale));
    Ok(PersonPage {
        shell: page.shell(Some(&auth), section),
        p: view,
        chain,
        reports,
        ratings,
        chart,
    })
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
