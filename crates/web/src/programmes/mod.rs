//! 節目プログラム pages: HR launches a programme from a template or a custom rule (the
//! cohort is frozen at launch), adds training sessions, places everyone with the button
//! (instructor fit by exact min-cost assignment, workshop groups by Career Anchor), makes
//! overrides, adds late joiners and reads the funnel. Instructors see their sessions'
//! rosters and groups; participants see their own path on マイキャリア.
//!
//! [`plan`] is the placement both the button and `kyoritsu programme assign` use, and
//! [`report`] the figures both the dashboard and `kyoritsu programme report` show.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::{from_jst, jst};
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::anchor::Anchor;
use domain::policy::Action;
use domain::programme::{CohortRule, Funnel, Stage, Step, StepState, Template as Kind};
use domain::training::Style;
use domain::{PersonId, Role, TenantId, UserId};
use std::collections::{BTreeMap, HashMap};
use store::programmes::{NewProgramme, NewSession, Programme, TrainingSession};

mod list;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(list::router())
        .route("/programmes/new", get(new_form).post(create))
        .route("/programmes/{id}", get(detail))
        .route("/programmes/{id}/sessions", post(add_session))
        .route("/programmes/{id}/place", post(place))
        .route(
            "/programmes/{id}/sessions/{sid}/delete",
            post(remove_session),
        )
        .route("/programmes/{id}/interviews", post(book_interviews))
        .route("/programmes/{id}/pin", post(pin))
        .route("/programmes/{id}/participants", post(add_late_joiner))
        .route("/programmes/{id}/sessions/{sid}", get(roster))
        .route(
            "/programmes/{id}/sessions/{sid}/roster.xlsx",
            get(roster_xlsx),
        )
        .route(
            "/programmes/{id}/sessions/{sid}/roster.pdf",
            get(roster_pdf),
        )
        .route("/programmes/{id}/export.xlsx", get(export_xlsx))
        .route(
            "/programmes/{id}/pre-learning",
            post(save_pre_learning).layer(axum::extract::DefaultBodyLimit::max(
                domain::programme::MAX_PRE_LEARNING_BYTES + 1024 * 1024,
            )),
        )
        .route(
            "/programmes/{id}/pre-learning/remove",
            post(remove_pre_learning_file),
        )
        .route("/programmes/{id}/pre-learning/file", get(pre_learning_file))
        .route("/my/programmes/{id}", get(my_path))
        .route("/my/programmes/{id}/pre-learning", post(pre_learning_done))
}

// Placement and figures are `app::programmes`, shared with the CLI.
use app::programmes::{AutonomyYear, Placed, Report, cadence_of, plan, report, segments};

/// Cohort against company by fiscal year, as paired bars (inline SVG).
fn autonomy_chart(
    years: &[AutonomyYear],
    cohort_label: &str,
    company_label: &str,
) -> Option<String> {
    if years
        .iter()
        .all(|y| y.cohort_rate.is_none() && y.company_rate.is_none())
    {
        return None;
    }
    let max = years
        .iter()
        .flat_map(|y| [y.cohort_rate, y.company_rate])
        .flatten()
        .fold(0.05_f64, f64::max)
        .min(1.0);
    let (bar, gap, h, top, bottom) = (20.0, 18.0, 190.0, 34.0, 22.0);
    // At least wide enough for the legend.
    let w = (years.len() as f64 * (2.0 * bar + gap) + gap + 10.0).max(gap + 134.0 + 90.0);
    let esc = |t: &str| {
        askama::filters::escape(t, askama::filters::Html)
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let mut svg = format!(
        r##"<svg class="chart" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" xmlns="http://www.w3.org/2000/svg"><rect x="{gap:.0}" y="6" width="10" height="10" fill="currentColor" opacity="0.85"/><text x="{:.0}" y="15">{}</text><rect x="{:.0}" y="6" width="10" height="10" fill="#9aa5b1"/><text x="{:.0}" y="15">{}</text>"##,
        gap + 14.0,
        esc(cohort_label),
        gap + 120.0,
        gap + 134.0,
        esc(company_label),
    );
    for (i, y) in years.iter().enumerate() {
        let x = gap + i as f64 * (2.0 * bar + gap);
        for (j, (rate, fill)) in [
            (y.cohort_rate, r#"fill="currentColor" opacity="0.85""#),
            (y.company_rate, r##"fill="#9aa5b1""##),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(r) = rate {
                let bh = (r / max) * (h - top - bottom);
                let bx = x + j as f64 * bar;
                svg += &format!(
                    r#"<rect x="{bx:.1}" y="{:.1}" width="{:.0}" height="{bh:.1}" {fill}/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="v">{:.0}%</text>"#,
                    h - bottom - bh,
                    bar - 2.0,
                    bx + bar / 2.0 - 1.0,
                    h - bottom - bh - 3.0,
                    r * 100.0
                );
            }
        }
        svg += &format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="fy">{}</text>"#,
            x + bar,
            h - 6.0,
            y.fiscal_year
        );
    }
    svg += "</svg>";
    Some(svg)
}

async fn department_name(
    state: &AppState,
    tenant: TenantId,
    rule: &CohortRule,
) -> store::Result<Option<String>> {
    match &rule.department {
        Some(code) => state.store.department_name(tenant, code).await,
        None => Ok(None),
    }
}

/// What a hidden behaviour-change figure says: "under k" when fewer than k were
/// evaluated, otherwise only "hidden" (a small cell must not be worked out).
pub fn hidden_label(page: &Page, evaluated: u64, k: u32) -> String {
    if evaluated < u64::from(k) {
        page.tf("programmes.suppressed", "k", k)
    } else {
        page.t("behaviour.hidden")
    }
}

/// A programme's line on the HR home: how far it got, year after year.
pub struct Summary {
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub rule: String,
    pub targeted: u64,
    pub committed: String,
    pub adherence: String,
    /// Behaviour-change rate, or "under k" / "not yet".
    pub behaviour: String,
}

/// Every programme with its headline figures (the funnel's, no autonomy).
pub async fn summaries(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    k: u32,
) -> store::Result<Vec<Summary>> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let now = state.clock.now();
    let mut out = Vec::new();
    for p in state.store.programmes(tenant).await? {
        let progress = state
            .store
            .programme_progress(tenant, &p, &cal, now)
            .await?;
        let f = Funnel::of(progress.iter().map(|(_, x)| x));
        let behaviour = if f.behaviour.evaluated() == 0 {
            "—".to_string()
        } else {
            match f.behaviour.anonymised(u64::from(k)).rate {
                Some(r) => pct(r),
                None => hidden_label(page, f.behaviour.evaluated(), k),
            }
        };
        // A 1on1 cadence programme has no interviews or evaluations of its own.
        let milestone = p.template != Kind::OneOnOneCadence;
        let or_dash = |v: String| if milestone { v } else { "—".to_string() };
        out.push(Summary {
            id: p.id,
            fiscal_year: p.fiscal_year,
            rule: rule_text(
                page,
                &p.rule,
                department_name(state, tenant, &p.rule).await?.as_deref(),
            ),
            name: p.name,
            targeted: f.count(Stage::Targeted),
            committed: or_dash(pct(f.rate(Stage::Committed))),
            adherence: or_dash(pct(f.start_adherence())),
            behaviour: or_dash(behaviour),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Interview scheduling (節目面談): about a month after training, with their consultant.

/// A trained participant still to commit, and their interview.
#[derive(Debug, Clone)]
pub struct InterviewPlan {
    pub person: PersonId,
    pub number: String,
    pub name: String,
    /// The consultant assigned to them (担当), if any.
    pub consultant: Option<(UserId, String)>,
    /// Their next interview, already booked.
    pub booked: Option<DateTime<Utc>>,
    /// A free slot of their consultant about a month after training (Japan time).
    pub suggested: Option<chrono::NaiveDateTime>,
}

/// Interviews for everyone trained and not yet committed: booked ones as they are, a
/// suggested slot for the others (each consultant's suggestions never overlap).
pub async fn interview_plan(
    state: &AppState,
    tenant: TenantId,
    programme: &Programme,
    progress: &[(store::programmes::Participant, domain::programme::Progress)],
    sessions: &[TrainingSession],
) -> store::Result<Vec<InterviewPlan>> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let booked = state
        .store
        .scheduled_interviews(tenant, programme, &cal)
        .await?;
    let mut consultant_of: HashMap<i64, (UserId, String)> = HashMap::new();
    // Newest first: the first assignment seen per person is the current one.
    for a in state.store.assignments(tenant).await? {
        consultant_of
            .entry(a.person_id)
            .or_insert((UserId(a.consultant_user_id), a.consultant_name));
    }
    let today = state.clock.today();
    let mut busy: HashMap<UserId, Vec<(chrono::NaiveDateTime, i64)>> = HashMap::new();
    let mut out = Vec::new();
    for (p, pr) in progress {
        if p.left() || !pr.trained || pr.committed() {
            continue;
        }
        let consultant = consultant_of.get(&p.person.0).cloned();
        let booked_at = booked.get(&p.person.0).map(|(at, _)| *at);
        let mut suggested = None;
        if let (None, Some((cid, _))) = (booked_at, &consultant) {
            let trained_on = p
                .session
                .and_then(|s| sessions.iter().find(|x| x.id == s))
                .map(|s| jst(s.ends_at).date())
                .unwrap_or(today);
            let from = (trained_on
                + chrono::Duration::days(domain::programme::INTERVIEW_AFTER_TRAINING_DAYS))
            .max(today + chrono::Duration::days(1));
            let taken = match busy.get_mut(cid) {
                Some(b) => b,
                None => {
                    let start = from_jst(from.and_time(NaiveTime::MIN));
                    let rows = state
                        .store
                        .bookings_between(tenant, *cid, start, start + chrono::Duration::days(90))
                        .await?;
                    busy.entry(*cid).or_insert(
                        rows.into_iter()
                            .map(|(_, at, minutes)| (jst(at), minutes))
                            .collect(),
                    )
                }
            };
            suggested = domain::programme::suggest_slot(from, 60, taken);
            if let Some(at) = suggested {
                taken.push((at, 60));
            }
        }
        out.push(InterviewPlan {
            person: p.person,
            number: p.employee_number.clone(),
            name: p.name.clone(),
            consultant,
            booked: booked_at,
            suggested,
        });
    }
    Ok(out)
}

/// POST /programmes/{id}/interviews — books every suggested interview (HR books for the
/// consultant, through the same rules as any booking).
async fn book_interviews(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load(&state, &auth, id).await?;
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let progress = state
        .store
        .programme_progress(tenant, &programme, &cal, state.clock.now())
        .await?;
    let sessions = state.store.training_sessions(tenant, id).await?;
    let plan = interview_plan(&state, tenant, &programme, &progress, &sessions).await?;
    let (mut booked, mut refused) = (0, 0);
    for p in &plan {
        let (Some(at), Some((consultant, _))) = (p.suggested, &p.consultant) else {
            continue;
        };
        let req = app::dialogues::BookingRequest {
            kind: domain::dialogue::DialogueKind::MilestoneInterview,
            subject: p.person,
            facilitator: *consultant,
            start: at,
            duration_minutes: 60,
            place: page.t("programme.interview_place"),
            cadence: None,
            count: 1,
            confirmed: true,
        };
        match app::dialogues::book(&state.store, &auth.actor, state.clock.now(), &req).await? {
            app::dialogues::BookingOutcome::Booked(_) => booked += 1,
            _ => refused += 1,
        }
    }
    let mut text = page.tf("programme.interviews_booked", "n", booked);
    if refused > 0 {
        text.push(' ');
        text += &page.tf("programme.interviews_refused", "n", refused);
    }
    set_flash(
        &page.session,
        if refused > 0 { "error" } else { "success" },
        text,
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#interviews")).into_response())
}

// ---------------------------------------------------------------------------------------
// Launching a programme.

/// The launch form as typed.
#[derive(Debug, Clone, Default)]
pub struct LaunchForm {
    pub name: String,
    pub fiscal_year: String,
    pub template: String,
    pub ages: String,
    pub tenures: String,
    pub department: String,
    pub grades: String,
    pub mandatory: bool,
    pub pre_learning: String,
    pub group_min: String,
    pub group_max: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme_new.html")]
struct NewPage {
    shell: Shell,
    form: LaunchForm,
    templates: Vec<&'static str>,
    errors: Vec<String>,
}

fn hr(auth: &Auth) -> Result<(), AppError> {
    allow(
        auth,
        Action::ManageProgrammes {
            tenant: auth.tenant(),
        },
    )
}

/// GET /programmes/new
async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<NewPage, AppError> {
    hr(&auth)?;
    let cal = state.store.tenant(auth.tenant()).await?.settings.calendar;
    let fy = cal.fiscal_year_of(state.clock.today()).0;
    Ok(NewPage {
        shell: page.shell(Some(&auth), "/programmes"),
        form: LaunchForm {
            name: page.tf("programme.default_name", "fy", fy),
            fiscal_year: fy.to_string(),
            template: Kind::MilestoneAge.key().into(),
            ages: "50".into(),
            mandatory: true,
            pre_learning: page.t("programme.default_pre_learning"),
            group_min: "4".into(),
            group_max: "6".into(),
            ..LaunchForm::default()
        },
        templates: Kind::ALL.iter().map(|t| t.key()).collect(),
        errors: Vec::new(),
    })
}

/// POST /programmes/new — launches it, or gives the form back as typed with every problem.
async fn create(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let typed = LaunchForm {
        name: form.get("name").trim().to_string(),
        fiscal_year: form.get("fiscal_year").trim().to_string(),
        template: form.get("template").to_string(),
        ages: form.get("ages").to_string(),
        tenures: form.get("tenures").to_string(),
        department: form.get("department").to_string(),
        grades: form.get("grades").to_string(),
        mandatory: form.get("mandatory") == "on",
        pre_learning: form.get("pre_learning").to_string(),
        group_min: form.get("group_min").trim().to_string(),
        group_max: form.get("group_max").trim().to_string(),
    };
    let mut errors = Vec::new();
    if typed.name.is_empty() {
        errors.push(page.t("programme.error.name"));
    }
    let fy = domain::import::values::normalise(&typed.fiscal_year)
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if fy.is_none() {
        errors.push(page.tf("programme.error.fiscal_year", "value", &typed.fiscal_year));
    }
    let sizes = (
        domain::import::values::normalise(&typed.group_min).parse::<usize>(),
        domain::import::values::normalise(&typed.group_max).parse::<usize>(),
    );
    let sizes = match sizes {
        (Ok(a), Ok(b)) if (2..=12).contains(&a) && a <= b && b <= 12 => Some((a, b)),
        _ => {
            errors.push(page.t("programme.error.group_sizes"));
            None
        }
    };
    let template = Kind::parse(&typed.template);
    let rule = match template {
        None => {
            errors.push(page.t("programme.error.template"));
            None
        }
        Some(k) => match CohortRule::parse(
            k,
            &typed.ages,
            &typed.tenures,
            &typed.department,
            &typed.grades,
        ) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(rule_error(&page, &e));
                None
            }
        },
    };
    if let (Some(fy), Some(k), Some(rule), Some((min, max)), true) =
        (fy, template, rule, sizes, errors.is_empty())
    {
        let settings = state.store.tenant(tenant).await?.settings;
        let new = NewProgramme {
            fiscal_year: fy,
            name: typed.name.clone(),
            template: k,
            rule,
            mandatory: typed.mandatory,
            pre_learning: typed.pre_learning.trim().to_string(),
            group_min: min,
            group_max: max,
        };
        match state
            .store
            .create_programme(
                tenant,
                &new,
                &settings.calendar,
                auth.user.id,
                state.clock.now(),
            )
            .await
        {
            Ok(Some((id, n))) => {
                set_flash(
                    &page.session,
                    "success",
                    page.tf("programme.launched", "n", n),
                )
                .await?;
                return Ok(Redirect::to(&format!("/programmes/{id}")).into_response());
            }
            Ok(None) => errors.push(page.t("programme.error.empty_cohort")),
            Err(store::StoreError::NotFound) => errors.push(page.tf(
                "programme.error.department",
                "code",
                typed.department.trim(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let p = NewPage {
        shell: page.shell(Some(&auth), "/programmes"),
        form: typed,
        templates: Kind::ALL.iter().map(|t| t.key()).collect(),
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

fn rule_error(page: &Page, e: &domain::programme::RuleError) -> String {
    use domain::programme::RuleError::*;
    match e {
        NeedAge => page.t("programme.error.need_age"),
        NeedTenure => page.t("programme.error.need_tenure"),
        NoCondition => page.t("programme.error.no_condition"),
        NotANumber { value } => page.tf("programme.error.not_a_number", "value", value),
        OutOfRange { value, min, max } => page.lang.catalog().format(
            "programme.error.out_of_range",
            &[("value", value), ("min", min), ("max", max)],
        ),
    }
}

// ---------------------------------------------------------------------------------------
// The programme page.

/// A participant's row.
pub struct Row {
    pub person: i64,
    pub number: String,
    pub name: String,
    pub department: String,
    pub left: bool,
    pub late: bool,
    pub segment: String,
    pub session: String,
    /// The session chosen by hand (0 when none).
    pub pinned_to: i64,
    pub pinned: bool,
    pub mismatched: bool,
    pub group: String,
    /// (step key, state key)
    pub steps: Vec<(&'static str, &'static str)>,
    pub interviews: u32,
}

pub struct SessionRow {
    pub id: i64,
    pub when: String,
    pub place: String,
    pub instructor: String,
    pub style: &'static str,
    pub capacity: usize,
    pub placed: usize,
    pub groups: usize,
}

/// The session form as typed.
#[derive(Debug, Clone, Default)]
pub struct SessionForm {
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub capacity: String,
    pub instructor: String,
    pub style: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme.html")]
struct DetailPage {
    shell: Shell,
    programme: Programme,
    template_label: String,
    rule_text: String,
    report: Report,
    funnel_chart: String,
    stages: Vec<(String, u64, String)>,
    behaviour: Vec<(String, String)>,
    behaviour_rate: Option<String>,
    mix: Vec<(String, String)>,
    autonomy_chart: Option<String>,
    /// (name, number, consultant, state key, when)
    interviews: Vec<(String, String, String, &'static str, String)>,
    suggestions: usize,
    /// (consultant, participants, booked, held)
    workload: Vec<(String, usize, usize, u32)>,
    /// (FY, cohort, company)
    autonomy_rows: Vec<(i32, String, String)>,
    to_commit: Vec<(u32, u64)>,
    to_commit_chart: Option<String>,
    is_cadence: bool,
    /// Month labels of the fiscal year so far.
    cadence_months: Vec<String>,
    /// (name, number, department, reports, per-month "met/reports", rate)
    cadence_rows: Vec<(String, String, String, usize, Vec<String>, String)>,
    cadence_overall: String,
    mean_to_commit: String,
    adherence: String,
    rows: Vec<Row>,
    sessions: Vec<SessionRow>,
    instructors: Vec<(i64, String)>,
    session_form: SessionForm,
    session_errors: Vec<String>,
    /// The pre-learning text as shown in its form (as typed after a refusal).
    pre_learning_text: String,
    pre_learning_error: Option<String>,
    /// (file name, size in KB)
    pre_learning_file: Option<(String, String)>,
    unplaced: usize,
    mismatches: Vec<String>,
    shortfalls: Vec<String>,
    steps: Vec<&'static str>,
}

/// A session's date and hours in Japan time.
pub fn fmt_when(s: &TrainingSession) -> String {
    crate::shared::time::span(s.starts_at, s.ends_at)
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Labelled horizontal bars with their count and share (inline SVG): the funnel, the
/// interviews to commitment.
fn bar_chart(stages: &[(String, u64, String)]) -> String {
    let max = stages.iter().map(|s| s.1).max().unwrap_or(0).max(1) as f64;
    // Wide enough for the longest label (full-width characters about 11 px each).
    let longest = stages
        .iter()
        .map(|s| s.0.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * 11.0 + 16.0).clamp(40.0, 170.0);
    let (bar_w, row_h) = (if label_w < 80.0 { 160.0 } else { 260.0 }, 26.0);
    let w = label_w + bar_w + 110.0;
    let h = stages.len() as f64 * row_h + 6.0;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, (label, n, rate)) in stages.iter().enumerate() {
        let y = 4.0 + i as f64 * row_h;
        let bw = (*n as f64 / max) * bar_w;
        svg += &format!(
            r#"<text x="{:.0}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_w:.0}" y="{y:.1}" width="{bw:.1}" height="{:.0}" fill="currentColor" opacity="0.75"/><text x="{:.1}" y="{:.1}" class="v">{n} ({rate})</text>"#,
            label_w - 8.0,
            y + 15.0,
            askama::filters::escape(label, askama::filters::Html)
                .map(|e| e.to_string())
                .unwrap_or_default(),
            row_h - 8.0,
            label_w + bw + 6.0,
            y + 15.0,
        );
    }
    svg += "</svg>";
    svg
}

async fn load(state: &AppState, auth: &Auth, id: i64) -> Result<Programme, AppError> {
    state
        .store
        .programme(auth.tenant(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// What the programme page shows in its forms after a refusal.
#[derive(Default)]
struct Typed {
    session: SessionForm,
    session_errors: Vec<String>,
    pre_learning: Option<(String, String)>,
}

async fn render_detail(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    programme: Programme,
    typed: Typed,
) -> Result<DetailPage, AppError> {
    let Typed {
        session: session_form,
        session_errors,
        pre_learning,
    } = typed;
    let tenant = auth.tenant();
    let file = state
        .store
        .pre_learning_file_info(tenant, programme.id)
        .await?
        .map(|f| (f.file_name, format!("{}", (f.size + 1023) / 1024)));
    let (pre_learning_text, pre_learning_error) = match pre_learning {
        Some((text, error)) => (text, Some(error)),
        None => (programme.pre_learning.clone(), None),
    };
    let now = state.clock.now();
    let settings = state.store.tenant(tenant).await?.settings;
    let report = report(&state.store, tenant, &programme, now).await?;
    let progress = state
        .store
        .programme_progress(tenant, &programme, &settings.calendar, now)
        .await?;
    let plan = plan(&state.store, tenant, &programme).await?;
    let sessions = plan.sessions.clone();
    let session_label = |id: Option<i64>| {
        id.and_then(|id| sessions.iter().position(|s| s.id == id))
            .map(|i| {
                let s = &sessions[i];
                format!("{} {}", jst(s.starts_at).format("%m/%d"), s.place)
            })
            .unwrap_or_default()
    };
    let planned: HashMap<i64, &Placed> = plan.people.iter().map(|p| (p.person.0, p)).collect();
    let rows = progress
        .iter()
        .map(|(p, pr)| {
            let planned = planned.get(&p.person.0);
            Row {
                person: p.person.0,
                number: p.employee_number.clone(),
                name: p.name.clone(),
                department: p.department.clone().unwrap_or_default(),
                left: p.left(),
                late: p.late_joiner,
                segment: planned
                    .map(|x| page.t(&format!("training.style.{}", x.segment.key())))
                    .unwrap_or_default(),
                session: session_label(p.session),
                pinned_to: p.session.filter(|_| p.pinned).unwrap_or(0),
                pinned: p.pinned,
                mismatched: planned.is_some_and(|x| x.mismatched && x.session == p.session),
                group: p.group_no.map(|g| g.to_string()).unwrap_or_default(),
                steps: pr
                    .path()
                    .into_iter()
                    .map(|(s, st)| (s.key(), state_key(st)))
                    .collect(),
                interviews: pr.interviews,
            }
        })
        .collect();
    let sessions_rows = sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id,
            when: fmt_when(s),
            place: s.place.clone(),
            instructor: s.instructor_name.clone(),
            style: s.style.key(),
            capacity: s.capacity,
            placed: progress
                .iter()
                .filter(|(p, _)| p.session == Some(s.id) && !p.left())
                .count(),
            groups: progress
                .iter()
                .filter(|(p, _)| p.session == Some(s.id))
                .filter_map(|(p, _)| p.group_no)
                .max()
                .unwrap_or(0) as usize,
        })
        .collect();
    let instructors = state
        .store
        .list_users(tenant)
        .await?
        .into_iter()
        .filter(|u| u.roles.contains(Role::Instructor) && !u.disabled)
        .map(|u| (u.id.0, u.name))
        .collect();
    let stages: Vec<(String, u64, String)> = report
        .funnel
        .iter()
        .map(|s| {
            (
                page.t(&format!("programme.stage.{}", s.stage.key())),
                s.count,
                pct(s.rate),
            )
        })
        .collect();
    let k = report.anonymity_k;
    let behaviour = domain::behaviour::Change::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                page.t(&format!("behaviour.level.{}", c.key())),
                match report.behaviour.shares {
                    Some(s) => pct(s[i]),
                    None => hidden_label(page, report.evaluated, k),
                },
            )
        })
        .collect();
    let mix = report
        .anchor_mix
        .iter()
        .map(|c| {
            (
                page.t(&format!("anchor.{}", c.anchor.key())),
                match c.count {
                    Some(n) => page.tf("unit.people", "n", n),
                    None => page.tf("programmes.suppressed", "k", k),
                },
            )
        })
        .collect();
    // Mismatches on the page are the ones in the current placement.
    let mismatches = plan
        .people
        .iter()
        .filter(|p| {
            p.mismatched
                && progress
                    .iter()
                    .any(|(q, _)| q.person == p.person && q.session == p.session)
        })
        .map(|p| {
            page.lang.catalog().format(
                "programme.mismatch",
                &[
                    ("name", &p.name),
                    (
                        "segment",
                        &page.t(&format!("training.style.{}", p.segment.key())),
                    ),
                    (
                        "why",
                        &if p.pinned {
                            page.t("programme.mismatch_pinned")
                        } else {
                            page.t("programme.mismatch_capacity")
                        },
                    ),
                ],
            )
        })
        .collect();
    let shortfalls = plan
        .shortfalls
        .iter()
        .map(|(style, people, seats)| {
            page.lang.catalog().format(
                "programme.shortfall",
                &[
                    (
                        "segment",
                        &page.t(&format!("training.style.{}", style.key())),
                    ),
                    ("people", people),
                    ("seats", seats),
                ],
            )
        })
        .collect();
    let unplaced = progress
        .iter()
        .filter(|(p, _)| p.session.is_none() && !p.left())
        .count();
    let plan_of_interviews =
        interview_plan(state, tenant, &programme, &progress, &sessions).await?;
    let fmt_local = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let interviews = plan_of_interviews
        .iter()
        .map(|i| {
            let (state_key, when) = match (i.booked, i.suggested, &i.consultant) {
                (Some(at), _, _) => ("booked", fmt_local(jst(at))),
                (None, Some(at), _) => ("suggested", fmt_local(at)),
                (None, None, Some(_)) => ("no_slot", String::new()),
                (None, None, None) => ("no_consultant", String::new()),
            };
            (
                i.name.clone(),
                i.number.clone(),
                i.consultant
                    .as_ref()
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
                state_key,
                when,
            )
        })
        .collect();
    let suggestions = plan_of_interviews
        .iter()
        .filter(|i| i.suggested.is_some())
        .count();
    // Workload per consultant over this programme's participants.
    let mut consultant_of: HashMap<i64, String> = HashMap::new();
    for a in state.store.assignments(tenant).await? {
        consultant_of
            .entry(a.person_id)
            .or_insert(a.consultant_name);
    }
    let booked_map = state
        .store
        .scheduled_interviews(tenant, &programme, &settings.calendar)
        .await?;
    let mut load_of: BTreeMap<String, (usize, usize, u32)> = BTreeMap::new();
    for (p, pr) in progress.iter().filter(|(p, _)| !p.left()) {
        if let Some(c) = consultant_of.get(&p.person.0) {
            let e = load_of.entry(c.clone()).or_default();
            e.0 += 1;
            e.1 += usize::from(booked_map.contains_key(&p.person.0));
            e.2 += pr.interviews;
        }
    }
    let workload = load_of
        .into_iter()
        .map(|(c, (a, b, h))| (c, a, b, h))
        .collect();
    Ok(DetailPage {
        shell: page.shell(Some(auth), "/programmes"),
        template_label: page.t(&format!("programme.template.{}", programme.template.key())),
        rule_text: rule_text(
            page,
            &programme.rule,
            department_name(state, tenant, &programme.rule)
                .await?
                .as_deref(),
        ),
        funnel_chart: bar_chart(&stages),
        to_commit_chart: to_commit_chart(page, &report),
        is_cadence: programme.template == Kind::OneOnOneCadence,
        cadence_months: report
            .cadence
            .first()
            .map(|c| {
                c.cadence
                    .months
                    .iter()
                    .map(|m| page.tf("programme.month", "m", chrono::Datelike::month(m)))
                    .collect()
            })
            .unwrap_or_default(),
        cadence_rows: report
            .cadence
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.employee_number.clone(),
                    c.department.clone().unwrap_or_default(),
                    c.cadence.reports,
                    c.cadence
                        .met
                        .iter()
                        .map(|m| format!("{m}/{}", c.cadence.reports))
                        .collect(),
                    pct(c.rate),
                )
            })
            .collect(),
        cadence_overall: {
            let (met, pairs) = report.cadence.iter().fold((0, 0), |(a, b), c| {
                (
                    a + c.cadence.met.iter().sum::<usize>(),
                    b + c.cadence.reports * c.cadence.months.len(),
                )
            });
            if pairs == 0 {
                "—".into()
            } else {
                pct(met as f64 / pairs as f64)
            }
        },
        behaviour_rate: report.behaviour.rate.map(pct),
        interviews,
        suggestions,
        workload,
        autonomy_chart: autonomy_chart(
            &report.autonomy,
            &page.t("programme.autonomy_cohort"),
            &page.t("programme.autonomy_company"),
        ),
        autonomy_rows: report
            .autonomy
            .iter()
            .map(|y| {
                let shown = |r: Option<f64>| {
                    r.map(pct)
                        .unwrap_or_else(|| page.tf("programmes.suppressed", "k", k))
                };
                (y.fiscal_year, shown(y.cohort_rate), shown(y.company_rate))
            })
            .collect(),
        stages,
        behaviour,
        mix,
        to_commit: report
            .sessions_to_commitment
            .iter()
            .map(|(a, b)| (*a, *b))
            .collect(),
        mean_to_commit: report
            .mean_sessions_to_commitment
            .map(|m| format!("{m:.1}"))
            .unwrap_or_else(|| "—".into()),
        adherence: pct(report.start_adherence),
        report,
        programme,
        rows,
        sessions: sessions_rows,
        instructors,
        session_form,
        session_errors,
        pre_learning_text,
        pre_learning_error,
        pre_learning_file: file,
        unplaced,
        mismatches,
        shortfalls,
        steps: [
            Step::PreLearning,
            Step::Anchors,
            Step::Training,
            Step::Interview,
            Step::Report,
            Step::FollowUp,
            Step::Evaluation,
        ]
        .iter()
        .map(|s| s.key())
        .collect(),
    })
}

fn to_commit_chart(page: &Page, report: &Report) -> Option<String> {
    let committed: u64 = report.sessions_to_commitment.values().sum();
    (committed > 0).then(|| {
        bar_chart(
            &report
                .sessions_to_commitment
                .iter()
                .map(|(n, c)| {
                    (
                        page.tf("programme.sessions_n", "n", n),
                        *c,
                        pct(*c as f64 / committed as f64),
                    )
                })
                .collect::<Vec<_>>(),
        )
    })
}

fn state_key(s: StepState) -> &'static str {
    match s {
        StepState::Done => "done",
        StepState::Open => "open",
        StepState::Waiting => "waiting",
        StepState::Closed => "closed",
    }
}

/// The rule in words ("年度中に50歳になる人 / 営業本部（D1）とその配下").
pub fn rule_text(page: &Page, rule: &CohortRule, department_name: Option<&str>) -> String {
    let join = |v: &[i32]| {
        v.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("・")
    };
    let mut parts = Vec::new();
    if !rule.ages.is_empty() {
        parts.push(page.tf("programme.rule.ages", "ages", join(&rule.ages)));
    }
    if !rule.tenures.is_empty() {
        parts.push(page.tf("programme.rule.tenures", "years", join(&rule.tenures)));
    }
    if let Some(d) = &rule.department {
        parts.push(match department_name {
            Some(name) => page.lang.catalog().format(
                "programme.rule.department_named",
                &[("name", &name), ("code", d)],
            ),
            None => page.tf("programme.rule.department", "code", d),
        });
    }
    if !rule.grades.is_empty() {
        parts.push(page.tf("programme.rule.grades", "grades", rule.grades.join("・")));
    }
    if rule.managers {
        parts.push(page.t("programme.rule.managers"));
    }
    if parts.is_empty() {
        parts.push(page.t("programme.rule.everyone"));
    }
    parts.join(" / ")
}

/// GET /programmes/{id}
async fn detail(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<DetailPage, AppError> {
    hr(&auth)?;
    let programme = load(&state, &auth, id).await?;
    render_detail(&state, &page, &auth, programme, Typed::default()).await
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(&domain::import::values::normalise(s), "%H:%M").ok()
}

/// POST /programmes/{id}/sessions — a session with an instructor who is free then.
async fn add_session(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load(&state, &auth, id).await?;
    let typed = SessionForm {
        date: form.get("date").trim().to_string(),
        start: form.get("start").trim().to_string(),
        end: form.get("end").trim().to_string(),
        place: form.get("place").trim().to_string(),
        capacity: form.get("capacity").trim().to_string(),
        instructor: form.get("instructor").to_string(),
        style: form.get("style").to_string(),
    };
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(&typed.date, "%Y-%m-%d").ok();
    let (start, end) = (parse_time(&typed.start), parse_time(&typed.end));
    let when = match (date, start, end) {
        (Some(d), Some(a), Some(b)) if a < b => {
            Some((from_jst(d.and_time(a)), from_jst(d.and_time(b))))
        }
        (Some(_), Some(_), Some(_)) => {
            errors.push(page.t("programme.error.session_order"));
            None
        }
        _ => {
            errors.push(page.t("programme.error.session_time"));
            None
        }
    };
    if typed.place.is_empty() {
        errors.push(page.t("programme.error.place"));
    }
    let capacity = domain::import::values::normalise(&typed.capacity)
        .parse::<usize>()
        .ok()
        .filter(|c| (1..=500).contains(c));
    if capacity.is_none() {
        errors.push(page.t("programme.error.capacity"));
    }
    let instructor = typed.instructor.parse::<i64>().ok().map(UserId);
    let instructor_ok = match instructor {
        Some(u) => state
            .store
            .list_users(tenant)
            .await?
            .iter()
            .any(|x| x.id == u && x.roles.contains(Role::Instructor) && !x.disabled),
        None => false,
    };
    if !instructor_ok {
        errors.push(page.t("programme.error.instructor"));
    }
    let style = Style::parse(&typed.style);
    if style.is_none() {
        errors.push(page.t("programme.error.style"));
    }
    if let (Some((starts_at, ends_at)), Some(capacity), Some(instructor), Some(style), true) =
        (when, capacity, instructor, style, errors.is_empty())
    {
        let new = NewSession {
            starts_at,
            ends_at,
            place: typed.place.clone(),
            capacity,
            instructor,
            style,
        };
        match state.store.add_training_session(tenant, id, &new).await? {
            Ok(_) => {
                set_flash(&page.session, "success", page.t("programme.session_added")).await?;
                return Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response());
            }
            Err(other) => errors.push(page.lang.catalog().format(
                "programme.error.double_booked",
                &[
                    ("name", &other.instructor_name),
                    ("when", &fmt_when(&other)),
                ],
            )),
        }
    }
    let p = render_detail(
        &state,
        &page,
        &auth,
        programme,
        Typed {
            session: typed,
            session_errors: errors,
            ..Typed::default()
        },
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// POST /programmes/{id}/sessions/{sid}/delete — a session entered by mistake goes; its
/// people are unplaced (told how many) and can be placed again.
async fn remove_session(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load(&state, &auth, id).await?;
    let placed = state
        .store
        .participants(tenant, id)
        .await?
        .iter()
        .filter(|p| p.session == Some(sid))
        .count();
    if !state.store.remove_training_session(tenant, id, sid).await? {
        return Err(AppError::not_found());
    }
    set_flash(
        &page.session,
        "success",
        page.tf("programme.session_removed", "n", placed),
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response())
}

/// POST /programmes/{id}/place — the placement button.
async fn place(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load(&state, &auth, id).await?;
    let plan = plan(&state.store, tenant, &programme).await?;
    if plan.sessions.is_empty() {
        set_flash(
            &page.session,
            "error",
            page.t("programme.error.no_sessions"),
        )
        .await?;
        return Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response());
    }
    let placement: Vec<store::programmes::Placement> = plan
        .people
        .iter()
        .map(|p| (p.person, p.session, p.group))
        .collect();
    state.store.save_placement(tenant, id, &placement).await?;
    let placed = plan.people.iter().filter(|p| p.session.is_some()).count();
    let mismatched = plan.people.iter().filter(|p| p.mismatched).count();
    let mut text = page.lang.catalog().format(
        "programme.placed",
        &[("placed", &placed), ("mismatched", &mismatched)],
    );
    if plan.unplaced > 0 {
        text.push(' ');
        text += &page.tf("programme.unplaced", "n", plan.unplaced);
    }
    let ungrouped: usize = plan.groups.iter().map(|g| g.without_anchors.len()).sum();
    if ungrouped > 0 {
        text.push(' ');
        text += &page.tf("programme.ungrouped", "n", ungrouped);
    }
    let kind = if plan.unplaced > 0 {
        "error"
    } else {
        "success"
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}

/// POST /programmes/{id}/pin — HR places someone by hand (kept by the button) or
/// releases them back to it.
async fn pin(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load(&state, &auth, id).await?;
    let person = form
        .get("person")
        .parse::<i64>()
        .map(PersonId)
        .map_err(|_| AppError::bad_request())?;
    let session = match form.get("session") {
        "" => None,
        s => {
            let sid = s.parse::<i64>().map_err(|_| AppError::bad_request())?;
            let sessions = state.store.training_sessions(tenant, id).await?;
            let Some(target) = sessions.iter().find(|x| x.id == sid) else {
                return Err(AppError::bad_request());
            };
            let taken = state
                .store
                .participants(tenant, id)
                .await?
                .iter()
                .filter(|p| p.session == Some(sid) && p.person != person && !p.left())
                .count();
            if taken >= target.capacity {
                set_flash(
                    &page.session,
                    "error",
                    page.t("programme.error.session_full"),
                )
                .await?;
                return Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response());
            }
            Some(sid)
        }
    };
    match state
        .store
        .pin_participant(tenant, id, person, session)
        .await
    {
        Ok(()) => {}
        Err(store::StoreError::NotFound) => return Err(AppError::not_found()),
        Err(e) => return Err(e.into()),
    }
    set_flash(&page.session, "success", page.t("programme.pinned")).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}

/// POST /programmes/{id}/participants — a late joiner by employee number.
async fn add_late_joiner(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load(&state, &auth, id).await?;
    let number = domain::import::values::normalise(form.get("employee_number"));
    let (kind, text) = match state.store.person_by_number(tenant, &number).await? {
        None => (
            "error",
            page.tf("programme.error.no_person", "number", &number),
        ),
        Some(p) if p.status == "left" => (
            "error",
            page.tf("programme.error.person_left", "number", &number),
        ),
        Some(p) => match state
            .store
            .add_participant(tenant, id, PersonId(p.id), state.clock.now())
            .await
        {
            Ok(()) => ("success", page.tf("programme.joined", "name", &p.name)),
            Err(store::StoreError::Conflict(_)) => (
                "error",
                page.tf("programme.error.already_in", "name", &p.name),
            ),
            Err(e) => return Err(e.into()),
        },
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}

// ---------------------------------------------------------------------------------------
// Pre-learning (事前学習): the text and a file (a short video, a PDF or a text).

/// POST /programmes/{id}/pre-learning (multipart: `text`, optional `file`) — all or
/// nothing: a refused file leaves the text unchanged too, and the form comes back as typed.
async fn save_pre_learning(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    mut form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load(&state, &auth, id).await?;
    let (mut text, mut file_name, mut bytes) = (String::new(), String::new(), Vec::new());
    let mut too_large = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // A body over the limit ends the stream early.
            Err(_) => {
                too_large = true;
                break;
            }
        };
        match field.name() {
            Some("text") => text = field.text().await.unwrap_or_default(),
            Some("file") => {
                file_name = field.file_name().unwrap_or("").trim().to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => too_large = true,
                }
            }
            _ => {}
        }
    }
    let refused = if too_large {
        Some(domain::programme::FileRefusal::TooLarge)
    } else if file_name.is_empty() && bytes.is_empty() {
        None
    } else {
        domain::programme::pre_learning_kind(&file_name, &bytes).err()
    };
    if let Some(r) = refused {
        let error = page.lang.catalog().format(
            &format!("programme.file.{}", r.key()),
            &[
                ("name", &file_name),
                (
                    "mb",
                    &(domain::programme::MAX_PRE_LEARNING_BYTES / 1024 / 1024),
                ),
            ],
        );
        let p = render_detail(
            &state,
            &page,
            &auth,
            programme,
            Typed {
                pre_learning: Some((text, error)),
                ..Typed::default()
            },
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    state
        .store
        .set_pre_learning_text(tenant, id, text.trim())
        .await?;
    if !bytes.is_empty() {
        let kind = domain::programme::pre_learning_kind(&file_name, &bytes)
            .map_err(|_| AppError::bad_request())?;
        state
            .store
            .set_pre_learning_file(
                tenant,
                id,
                &file_name,
                kind,
                bytes,
                auth.user.id,
                state.clock.now(),
            )
            .await?;
    }
    set_flash(
        &page.session,
        "success",
        page.t("programme.pre_learning_saved"),
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#pre-learning")).into_response())
}

/// POST /programmes/{id}/pre-learning/remove
async fn remove_pre_learning_file(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    load(&state, &auth, id).await?;
    state
        .store
        .remove_pre_learning_file(auth.tenant(), id)
        .await?;
    set_flash(&page.session, "success", page.t("programme.file_removed")).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#pre-learning")).into_response())
}

/// GET /programmes/{id}/pre-learning/file — served to HR and to the programme's
/// participants, with its checked type (never guessed by the browser).
async fn pre_learning_file(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let tenant = auth.tenant();
    let participant = match auth.actor.person_id {
        Some(me) => state.store.is_participant(tenant, id, me).await?,
        None => false,
    };
    allow(
        &auth,
        Action::ViewProgrammeMaterial {
            tenant,
            participant,
        },
    )?;
    let (info, bytes) = state
        .store
        .pre_learning_file(tenant, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let encoded: String = form_urlencoded::byte_serialize(info.file_name.as_bytes()).collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, info.content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{}", encoded.replace('+', "%20")),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=300".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// Rosters (HR and the session's instructor).

pub struct RosterGroup {
    pub number: i64,
    pub anchors: Vec<String>,
    pub homogeneity: String,
    pub members: Vec<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roster.html")]
struct RosterPage {
    shell: Shell,
    programme_id: i64,
    session_id: i64,
    programme_name: String,
    may_manage: bool,
    when: String,
    place: String,
    instructor: String,
    style_label: String,
    capacity: usize,
    /// (number, name, department, segment, group)
    people: Vec<(String, String, String, String, String)>,
    groups: Vec<RosterGroup>,
    ungrouped: Vec<String>,
}

/// GET /programmes/{id}/sessions/{sid} — who comes and the workshop groups, as saved by
/// the last placement. No notes, no ratings: the instructor sees names and anchors.
async fn roster(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<RosterPage, AppError> {
    roster_view(&state, &page, &auth, id, sid).await
}

/// The roster as printable rows: the header lines, the participants, the groups.
fn roster_sheets(page: &Page, r: &RosterPage) -> Vec<(String, Vec<Vec<String>>)> {
    let mut people = vec![vec![
        page.t("field.employee_number"),
        page.t("field.name"),
        page.t("field.department"),
        page.t("roster.group_col"),
    ]];
    if r.may_manage {
        people[0].insert(3, page.t("programme.segment"));
    }
    for (number, name, dept, segment, group) in &r.people {
        let mut row = vec![number.clone(), name.clone(), dept.clone(), group.clone()];
        if r.may_manage {
            row.insert(3, segment.clone());
        }
        people.push(row);
    }
    let mut groups = vec![vec![
        page.t("roster.group_col"),
        page.t("field.employee_number"),
        page.t("field.name"),
        page.t("programme.anchors_col"),
    ]];
    for g in &r.groups {
        for (number, name, anchors) in &g.members {
            groups.push(vec![
                g.number.to_string(),
                number.clone(),
                name.clone(),
                anchors.clone(),
            ]);
        }
    }
    vec![
        (page.t("roster.sheet_people"), people),
        (page.t("roster.sheet_groups"), groups),
    ]
}

fn download(content_type: &'static str, filename: String, bytes: Vec<u8>) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// GET /programmes/{id}/sessions/{sid}/roster.xlsx — the roster and groups for Excel.
async fn roster_xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let r = roster_view(&state, &page, &auth, id, sid).await?;
    let bytes = domain::import::export::sheets_to_xlsx(&roster_sheets(&page, &r))
        .map_err(|e| AppError::internal("roster xlsx", e))?;
    audit_export(
        &state,
        &auth,
        &origin,
        &format!("training roster {sid} (xlsx)"),
    )
    .await?;
    Ok(download(XLSX, format!("roster-{sid}.xlsx"), bytes))
}

/// GET /programmes/{id}/sessions/{sid}/roster.pdf — the roster to print (IPAexGothic).
async fn roster_pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    use crate::shared::pdf::Block;
    let r = roster_view(&state, &page, &auth, id, sid).await?;
    let title = format!("{} — {}", page.t("roster.title"), r.when);
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Meta(format!(
            "{} / {} / {}（{}） / {}",
            r.programme_name,
            r.place,
            r.instructor,
            r.style_label,
            page.tf("roster.capacity", "n", r.capacity)
        )),
        Block::Heading(page.t("roster.groups")),
    ];
    if r.groups.is_empty() {
        blocks.push(Block::Text(page.t("roster.no_groups")));
    }
    for g in &r.groups {
        blocks.push(Block::Labelled(
            page.tf("roster.group", "n", g.number),
            format!(
                "{}\n{}",
                g.anchors.join(" / "),
                g.members
                    .iter()
                    .map(|(number, name, _)| format!("{name}（{number}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ));
    }
    if !r.ungrouped.is_empty() {
        blocks.push(Block::Text(page.tf(
            "roster.ungrouped",
            "names",
            r.ungrouped.join("、"),
        )));
    }
    blocks.push(Block::Heading(page.tf(
        "roster.people",
        "n",
        r.people.len(),
    )));
    for (number, name, dept, _, group) in &r.people {
        let group = if group.is_empty() {
            String::new()
        } else {
            format!(" / {}", page.tf("roster.group", "n", group))
        };
        blocks.push(Block::Text(format!("{number}　{name}　{dept}{group}")));
    }
    blocks.push(Block::Meta(page.t("roster.no_notes")));
    let pdf = crate::shared::pdf::render(&title, &blocks)
        .map_err(|e| AppError::internal("roster pdf", e))?;
    audit_export(
        &state,
        &auth,
        &origin,
        &format!("training roster {sid} (pdf)"),
    )
    .await?;
    Ok(download(
        "application/pdf",
        format!("roster-{sid}.pdf"),
        pdf,
    ))
}

async fn audit_export(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    what: &str,
) -> Result<(), AppError> {
    auth.audit(
        state,
        origin,
        store::audit::NewAuditEntry::new(Some(auth.tenant()), domain::audit::AuditAction::Export)
            .detail(what),
    )
    .await?;
    Ok(())
}

/// GET /programmes/{id}/export.xlsx — the dashboard's figures and every participant's
/// step statuses, for Excel (HR; audited).
async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let programme = load(&state, &auth, id).await?;
    let d = render_detail(&state, &page, &auth, programme, Typed::default()).await?;
    let head = |keys: &[&str]| keys.iter().map(|k| page.t(k)).collect::<Vec<_>>();
    let mut funnel = vec![head(&[
        "programme.stage_col",
        "programmes.count",
        "programme.rate_col",
    ])];
    funnel.extend(
        d.stages
            .iter()
            .map(|(l, n, r)| vec![l.clone(), n.to_string(), r.clone()]),
    );
    let mut to_commit = vec![head(&["programme.sessions_col", "programmes.count"])];
    to_commit.extend(
        d.to_commit
            .iter()
            .map(|(n, c)| vec![n.to_string(), c.to_string()]),
    );
    to_commit.push(vec![page.tf("programme.adherence", "rate", &d.adherence)]);
    let mut behaviour = vec![head(&["behaviour.distribution_title", "programmes.count"])];
    behaviour.extend(d.behaviour.iter().map(|(l, v)| vec![l.clone(), v.clone()]));
    let mut mix = vec![head(&["programme.anchor_mix", "programmes.count"])];
    mix.extend(d.mix.iter().map(|(l, v)| vec![l.clone(), v.clone()]));
    let mut autonomy = vec![head(&[
        "autonomy.fy",
        "programme.autonomy_cohort",
        "programme.autonomy_company",
    ])];
    autonomy.extend(
        d.autonomy_rows
            .iter()
            .map(|(fy, c, a)| vec![fy.to_string(), c.clone(), a.clone()]),
    );
    let mut people = vec![
        [
            vec![
                page.t("field.employee_number"),
                page.t("field.name"),
                page.t("field.department"),
                page.t("programme.segment"),
            ],
            d.steps
                .iter()
                .map(|s| page.t(&format!("programme.step.{s}")))
                .collect(),
            vec![page.t("programme.session_col"), page.t("roster.group_col")],
        ]
        .concat(),
    ];
    for r in &d.rows {
        let mut row = vec![
            r.number.clone(),
            r.name.clone(),
            r.department.clone(),
            if r.left {
                page.t("programme.left")
            } else {
                r.segment.clone()
            },
        ];
        row.extend(
            r.steps
                .iter()
                .map(|(_, st)| page.t(&format!("programme.state.{st}"))),
        );
        row.push(r.session.clone());
        row.push(r.group.clone());
        people.push(row);
    }
    let sheets = vec![
        (page.t("programme.funnel"), funnel),
        (page.t("programme.sheet_interviews"), to_commit),
        (page.t("programme.sheet_behaviour"), behaviour),
        (page.t("programme.sheet_anchors"), mix),
        (page.t("programme.sheet_autonomy"), autonomy),
        (page.t("programme.sheet_people"), people),
    ];
    let bytes = domain::import::export::sheets_to_xlsx(&sheets)
        .map_err(|e| AppError::internal("programme xlsx", e))?;
    audit_export(&state, &auth, &origin, &format!("programme {id} (xlsx)")).await?;
    Ok(download(XLSX, format!("programme-{id}.xlsx"), bytes))
}

/// The roster page's data, for HR or the session's instructor.
async fn roster_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    id: i64,
    sid: i64,
) -> Result<RosterPage, AppError> {
    let tenant = auth.tenant();
    let session = state
        .store
        .training_session(tenant, sid)
        .await?
        .filter(|s| s.programme == id)
        .ok_or_else(AppError::not_found)?;
    allow(
        auth,
        Action::ViewSessionRoster {
            tenant,
            runs_it: session.instructor == auth.user.id,
        },
    )?;
    let programme = load(state, auth, id).await?;
    let participants: Vec<_> = state
        .store
        .participants(tenant, id)
        .await?
        .into_iter()
        .filter(|p| p.session == Some(sid) && !p.left())
        .collect();
    let mut by_group: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    let mut ungrouped = Vec::new();
    let mut dominant: Vec<Vec<Anchor>> = Vec::new();
    let sheets = state
        .store
        .latest_anchor_sheets_in_programme(tenant, id)
        .await?;
    for (i, p) in participants.iter().enumerate() {
        dominant.push(
            sheets
                .get(&p.person.0)
                .map(|s| domain::anchor::score(s).dominant)
                .unwrap_or_default(),
        );
        match p.group_no {
            Some(g) => by_group.entry(g).or_default().push(i),
            None => ungrouped.push(p.name.clone()),
        }
    }
    let anchor_names = |v: &[Anchor]| {
        v.iter()
            .map(|a| page.t(&format!("anchor.{}", a.key())))
            .collect::<Vec<_>>()
            .join("・")
    };
    let groups = by_group
        .into_iter()
        .map(|(number, members)| {
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for m in &members {
                if let Some(a) = dominant[*m].first() {
                    *counts.entry(*a as usize).or_default() += 1;
                }
            }
            let mut order: Vec<(usize, usize)> = counts.into_iter().collect();
            order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let top = order.first().map(|x| x.1).unwrap_or(0);
            RosterGroup {
                number,
                anchors: order
                    .iter()
                    .map(|(a, n)| {
                        format!(
                            "{} {}",
                            page.t(&format!("anchor.{}", Anchor::ALL[*a].key())),
                            page.tf("unit.people", "n", n)
                        )
                    })
                    .collect(),
                homogeneity: pct(top as f64 / members.len().max(1) as f64),
                members: members
                    .iter()
                    .map(|m| {
                        let p = &participants[*m];
                        (
                            p.employee_number.clone(),
                            p.name.clone(),
                            anchor_names(&dominant[*m]),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let segment_of =
        if domain::policy::authorize(&auth.actor, Action::ManageProgrammes { tenant }).is_ok() {
            Some(segments(&state.store, tenant, &programme).await?)
        } else {
            None
        };
    let people = participants
        .iter()
        .map(|p| {
            (
                p.employee_number.clone(),
                p.name.clone(),
                p.department.clone().unwrap_or_default(),
                segment_of
                    .as_ref()
                    .and_then(|s| s.get(&p.person.0))
                    .map(|s| page.t(&format!("training.style.{}", s.key())))
                    .unwrap_or_default(),
                p.group_no.map(|g| g.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    Ok(RosterPage {
        shell: page.shell(
            Some(auth),
            if segment_of.is_some() {
                "/programmes"
            } else {
                "/training"
            },
        ),
        programme_id: id,
        session_id: sid,
        programme_name: programme.name,
        may_manage: segment_of.is_some(),
        when: fmt_when(&session),
        place: session.place.clone(),
        instructor: session.instructor_name.clone(),
        style_label: page.t(&format!("training.style.{}", session.style.key())),
        capacity: session.capacity,
        people,
        groups,
        ungrouped,
    })
}

// ---------------------------------------------------------------------------------------
// The participant's own path (マイキャリア).

#[derive(Template, WebTemplate)]
#[template(path = "my_programme.html")]
struct MyPathPage {
    shell: Shell,
    programme: Programme,
    /// (content type, file name)
    file: Option<(String, String)>,
    /// A 1on1 cadence programme: my months as (month, "met/reports").
    cadence: Option<Vec<(String, String)>>,
    pre_learning_done: bool,
    /// (step key, state key, detail)
    steps: Vec<(&'static str, &'static str, String)>,
}

/// The person behind the signed-in user, who must be in the programme.
async fn me_in(state: &AppState, auth: &Auth, id: i64) -> Result<PersonId, AppError> {
    let me = auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    let participant = state.store.is_participant(auth.tenant(), id, me).await?;
    // Someone else's programme is simply not there for them.
    domain::policy::authorize(
        &auth.actor,
        Action::FollowOwnProgramme {
            tenant: auth.tenant(),
            participant,
        },
    )
    .map_err(|_| AppError::not_found())?;
    Ok(me)
}

/// A participant's steps with what each needs, for マイキャリア and its summary.
pub async fn path_of(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    programme: &Programme,
    me: PersonId,
) -> Result<Vec<(&'static str, &'static str, String)>, AppError> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let progress = state
        .store
        .programme_progress(tenant, programme, &cal, state.clock.now())
        .await?;
    let Some((p, pr)) = progress.into_iter().find(|(p, _)| p.person == me) else {
        return Err(AppError::not_found());
    };
    let session = match p.session {
        Some(sid) => state.store.training_session(tenant, sid).await?,
        None => None,
    };
    Ok(pr
        .path()
        .into_iter()
        .map(|(step, st)| {
            let detail = match step {
                Step::Training => match &session {
                    Some(s) => page.lang.catalog().format(
                        "programme.path.session",
                        &[("when", &fmt_when(s)), ("place", &s.place)],
                    ),
                    None => page.t("programme.path.no_session"),
                },
                Step::Interview if pr.interviews > 0 => {
                    page.tf("programme.path.interviews", "n", pr.interviews)
                }
                Step::PreLearning => p
                    .pre_learning_done_at
                    .map(|at| page.tf("programme.path.done_on", "date", jst(at).date()))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (step.key(), state_key(st), detail)
        })
        .collect())
}

/// GET /my/programmes/{id}
async fn my_path(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<MyPathPage, AppError> {
    let me = me_in(&state, &auth, id).await?;
    let programme = load(&state, &auth, id).await?;
    let steps = path_of(&state, &page, auth.tenant(), &programme, me).await?;
    let file = state
        .store
        .pre_learning_file_info(auth.tenant(), id)
        .await?
        .map(|f| (f.content_type, f.file_name));
    let cadence = if programme.template == Kind::OneOnOneCadence {
        let me_only: Vec<_> = state
            .store
            .participants(auth.tenant(), id)
            .await?
            .into_iter()
            .filter(|p| p.person == me)
            .collect();
        let rows = cadence_of(
            &state.store,
            auth.tenant(),
            &programme,
            &me_only,
            state.clock.today(),
        )
        .await?;
        Some(
            rows.first()
                .map(|c| {
                    c.cadence
                        .months
                        .iter()
                        .zip(&c.cadence.met)
                        .map(|(m, n)| {
                            (
                                page.tf("programme.month", "m", chrono::Datelike::month(m)),
                                format!("{n}/{}", c.cadence.reports),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        )
    } else {
        None
    };
    Ok(MyPathPage {
        file,
        cadence,
        shell: page.shell(Some(&auth), "/my"),
        pre_learning_done: steps.first().is_some_and(|s| s.1 == "done"),
        programme,
        steps,
    })
}

/// POST /my/programmes/{id}/pre-learning — the participant has read it.
async fn pre_learning_done(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = me_in(&state, &auth, id).await?;
    state
        .store
        .mark_pre_learning_done(auth.tenant(), id, me, state.clock.now())
        .await?;
    set_flash(
        &page.session,
        "success",
        page.t("programme.pre_learning_marked"),
    )
    .await?;
    Ok(Redirect::to(&format!("/my/programmes/{id}")).into_response())
}
