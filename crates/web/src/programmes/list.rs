//! The HR page of programmes and organisation figures (施策), and the instructor's home
//! (研修): the sessions they run.

use super::{Summary, fmt_when, hidden_label, summaries};
use crate::AppState;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::Role;
use domain::policy::{self, Action};
use domain::programme::{MILESTONE_AGES, MILESTONE_TENURES};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/training", get(training))
        .route("/programmes", get(programmes))
}

#[derive(Template, WebTemplate)]
#[template(path = "programmes/training.html")]
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
            fmt_when(&s),
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
#[template(path = "programmes/list.html")]
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
    programmes: Vec<Summary>,
    may_manage: bool,
    /// Running programmes that need HR (やること).
    to_do: Vec<app::programmes::ProgrammeToDo>,
    /// This year's KPIs of the whole company: (key, name, value as shown or empty when
    /// hidden or not counted yet).
    kpis: Vec<(&'static str, String, String)>,
    /// Side-job applications waiting for HR; applications on the postings HR hires for
    /// still being considered.
    side_jobs_waiting: usize,
    applications_waiting: usize,
    /// Subsidy claims waiting for HR's decision, and approved ones to pay.
    claims_waiting: (usize, usize),
}

/// GET /programmes — 施策 (HR): organisation figures, every cell under the anonymity rule.
async fn programmes(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: crate::Origin,
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
        let hidden = || hidden_label(&page, d.evaluated(), k);
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
    let programmes = summaries(&state, &page, auth.tenant(), k).await?;
    let to_do = if may_manage {
        app::programmes::to_do(
            &state.store,
            auth.tenant(),
            state.clock.now(),
            state.clock.today(),
        )
        .await?
    } else {
        Vec::new()
    };
    let reads_kpis = policy::authorize(
        &auth.actor,
        Action::ReadOrgReport {
            tenant: auth.tenant(),
            whole_company: true,
        },
    )
    .is_ok();
    let mut kpis = Vec::new();
    if reads_kpis {
        let caller = auth.caller(&origin);
        let now = state.clock.now();
        if let Ok(d) = app::kpi::dashboard(
            &state.store,
            &caller,
            fy.0,
            None,
            (false, app::org_report::Listing::Nothing),
            now,
        )
        .await?
            && d.as_of.is_some()
        {
            kpis = d
                .total
                .figures
                .iter()
                .map(|f| {
                    (
                        f.kpi.key(),
                        page.t(&format!("kpi.name.{}", f.kpi.key())),
                        crate::shared::figures::shown(&page, f),
                    )
                })
                .collect();
        }
    }
    let caller = auth.caller(&origin);
    let side_jobs_waiting = app::side_jobs::waiting(&state.store, &caller).await?;
    let applications_waiting = app::postings::waiting_for_me(&state.store, &caller).await?;
    let claims_waiting = app::learning::waiting_claims(&state.store, &caller).await?;
    Ok(ProgrammesPage {
        claims_waiting,
        side_jobs_waiting,
        applications_waiting,
        kpis,
        programmes,
        may_manage,
        to_do,
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
