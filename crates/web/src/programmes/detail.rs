//! The programme page: funnel, figures, sessions, placement, overrides and the interview plan.

use super::*;

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
#[template(path = "programmes/detail.html")]
pub(super) struct DetailPage {
    pub(super) shell: Shell,
    pub(super) programme: Programme,
    pub(super) template_label: String,
    pub(super) rule_text: String,
    pub(super) report: Report,
    pub(super) funnel_chart: String,
    pub(super) stages: Vec<(String, u64, String)>,
    pub(super) behaviour: Vec<(String, String)>,
    pub(super) behaviour_rate: Option<String>,
    pub(super) mix: Vec<(String, String)>,
    pub(super) autonomy_chart: Option<String>,
    /// (name, number, consultant, state key, when)
    pub(super) interviews: Vec<(String, String, String, &'static str, String)>,
    pub(super) suggestions: usize,
    /// (consultant, participants, booked, held)
    pub(super) workload: Vec<(String, usize, usize, u32)>,
    /// (FY, cohort, company)
    pub(super) autonomy_rows: Vec<(i32, String, String)>,
    pub(super) to_commit: Vec<(u32, u64)>,
    pub(super) to_commit_chart: Option<String>,
    pub(super) is_cadence: bool,
    /// Participants go through training, the inventory and milestone interviews.
    pub(super) has_training: bool,
    /// A cross-1on1 programme: its pairs and, when asked, the plan to pair the rest.
    pub(super) cross: Option<CrossView>,
    /// Month labels of the fiscal year so far.
    pub(super) cadence_months: Vec<String>,
    /// (name, number, department, reports, per-month "met/reports", rate)
    pub(super) cadence_rows: Vec<(String, String, String, usize, Vec<String>, String)>,
    pub(super) cadence_overall: String,
    pub(super) mean_to_commit: String,
    pub(super) adherence: String,
    pub(super) rows: Vec<Row>,
    pub(super) sessions: Vec<SessionRow>,
    pub(super) instructors: Vec<(i64, String)>,
    pub(super) session_form: SessionForm,
    pub(super) session_errors: Vec<String>,
    /// The pre-learning text as shown in its form (as typed after a refusal).
    pub(super) pre_learning_text: String,
    pub(super) pre_learning_error: Option<String>,
    /// (file name, size in KB)
    pub(super) pre_learning_file: Option<(String, String)>,
    pub(super) unplaced: usize,
    pub(super) mismatches: Vec<String>,
    pub(super) shortfalls: Vec<String>,
    pub(super) steps: Vec<&'static str>,
    /// 研修後アンケート by instructor style × participant segment.
    pub(super) feedback: Option<FeedbackView>,
}

/// A session's date and hours in Japan time.
pub fn fmt_when(s: &TrainingSession) -> String {
    crate::shared::time::span(s.starts_at, s.ends_at)
}

pub(super) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Labelled horizontal bars with their count and share (inline SVG): the funnel, the
/// interviews to commitment.
pub(super) fn bar_chart(stages: &[(String, u64, String)]) -> String {
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

pub(super) async fn load(state: &AppState, auth: &Auth, id: i64) -> Result<Programme, AppError> {
    state
        .store
        .programme(auth.tenant(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// A programme to change: refused (409) once it was cancelled.
pub(super) async fn load_open(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> Result<Programme, AppError> {
    let p = load(state, auth, id).await?;
    if p.cancelled_at.is_some() {
        return Err(AppError::Page(crate::shared::error::ErrorPage::Closed));
    }
    Ok(p)
}

/// POST /programmes/{id}/cancel — HR cancels it, after a confirmation that names the
/// effect: it leaves every participant's マイキャリア and its reminders stop; its
/// participants, sessions, placements and dialogues stay as history. Audited.
pub(super) async fn cancel(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    hr(&auth)?;
    let programme = load(&state, &auth, id).await?;
    if state
        .store
        .cancel_programme(auth.tenant(), id, auth.user.id)
        .await?
    {
        auth.audit(
            &state,
            &origin,
            store::audit::NewAuditEntry::new(
                Some(auth.tenant()),
                domain::audit::AuditAction::ProgrammeCancelled,
            )
            .target("programme", id)
            .detail(domain::audit::detail(
                "programme_cancelled",
                &[("name", &programme.name), ("n", &programme.participants)],
            )),
        )
        .await?;
        set_flash(&page.session, "success", page.t("programme.cancelled")).await?;
    } else {
        set_flash(&page.session, "info", page.t("programme.already_cancelled")).await?;
    }
    Ok(Redirect::to(&format!("/programmes/{id}")))
}

/// What the programme page shows in its forms after a refusal.
#[derive(Default)]
pub(super) struct Typed {
    pub(super) session: SessionForm,
    pub(super) session_errors: Vec<String>,
    pub(super) pre_learning: Option<(String, String)>,
    /// The cross-1on1 pairing plan HR asked to see.
    pub(super) cross_plan: Option<PlanView>,
}

pub(super) async fn render_detail(
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
        cross_plan,
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
    let cross = if programme.template == Kind::CrossOneOnOne {
        Some(cross::view(state, page, tenant, &programme, cross_plan).await?)
    } else {
        None
    };
    let feedback = if programme.template.has_training() {
        Some(feedback_view(state, page, auth, &programme).await?)
    } else {
        None
    };
    Ok(DetailPage {
        feedback,
        cross,
        has_training: programme.template.has_training(),
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

pub(super) fn to_commit_chart(page: &Page, report: &Report) -> Option<String> {
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

pub(super) fn state_key(s: StepState) -> &'static str {
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
pub(super) async fn detail(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<DetailPage, AppError> {
    hr(&auth)?;
    let programme = load(&state, &auth, id).await?;
    render_detail(&state, &page, &auth, programme, Typed::default()).await
}
