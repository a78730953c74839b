//! Each role's home: マイキャリア for everyone with a person record, メンバー for managers.

use crate::AppState;
use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::cards::{CheckIn, Row, StoryCard, card, row};
use crate::shared::error::AppError;
use crate::shared::profile::{ProfileView, profile_view};
use crate::shared::shell::Shell;
use crate::shared::time::when;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::policy::{self, Action, Relation};
use domain::{PersonId, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my", get(my))
        .route("/members", get(members))
}

#[derive(Template, WebTemplate)]
#[template(path = "home/my.html")]
struct MyPage {
    shell: Shell,
    profile: Option<ProfileView>,
    /// My dialogues still to come.
    upcoming: Vec<Row>,
    /// Dialogues with commitments about me that I have not confirmed yet.
    to_confirm: Vec<i64>,
    /// My commitments whose start has come: 始めましたか？
    check_ins: Vec<CheckIn>,
    /// Role-model stories about me waiting for my answer.
    stories_to_answer: Vec<StoryCard>,
    milestones: Vec<String>,
    fiscal_year: i32,
    /// 節目プログラム I take part in: (id, FY, name, mandatory)
    /// (id, FY, name, mandatory, the post-training survey waits for an answer)
    programmes: Vec<(i64, i32, String, bool, bool)>,
    /// Pair invitations waiting for my answer.
    pair_invitations: usize,
    /// Feedback reports about me, as sent: (id, sent, consultant, withdrawn).
    reports_about_me: Vec<(i64, String, String, bool)>,
    /// My requests answered in the last two weeks.
    requests_answered: usize,
    /// Consent the consultant recorded for me, waiting for my confirmation: (dialogue,
    /// when and what kind).
    consents_to_confirm: Vec<(i64, String)>,
    /// Held consultations waiting for the employee's rating.
    sessions_to_rate: usize,
    /// Open surveys I have not answered: (id, title, last day).
    surveys_to_answer: Vec<(i64, String, String)>,
    /// Interview requests to my FA declaration in force, waiting for my answer.
    fa_requests_waiting: usize,
}

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
    let mut reports_about_me = Vec::new();
    let mut consents_to_confirm = Vec::new();
    let caller = auth.caller(&crate::Origin::default());
    let pair_invitations = app::pairs::awaiting_me(&state.store, &caller).await?.len();
    let fortnight = state.clock.now() - chrono::Duration::days(14);
    let requests_answered = app::requests::mine(&state.store, &caller)
        .await?
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                domain::request::RequestStatus::Booked | domain::request::RequestStatus::Declined
            ) && r.answered_at.is_some_and(|a| a > fortnight)
        })
        .count();
    if let Some(p) = &person {
        for r in state
            .store
            .reports_about(auth.tenant(), PersonId(p.id))
            .await?
        {
            let author = state
                .store
                .user(auth.tenant(), r.author)
                .await
                .map(|u| u.name)
                .unwrap_or_default();
            reports_about_me.push((
                r.id,
                r.sent_at.map(when).unwrap_or_default(),
                author,
                r.retracted_at.is_some(),
            ));
        }
        for g in state
            .store
            .programmes_of_person(auth.tenant(), PersonId(p.id))
            .await?
        {
            let feedback = matches!(
                app::training_feedback::standing(
                    &state.store,
                    auth.tenant(),
                    &g,
                    PersonId(p.id),
                    state.clock.now(),
                )
                .await?,
                app::training_feedback::Standing::Open { .. }
            );
            programmes.push((g.id, g.fiscal_year, g.name, g.mandatory, feedback));
        }
        for s in state
            .store
            .stories_about(auth.tenant(), PersonId(p.id))
            .await?
            .iter()
            .filter(|s| s.consent == domain::role_model::Consent::Pending)
        {
            stories_to_answer.extend(card(s, &auth));
        }
        let mine = app::commitments::mine(&state.store, &caller).await?;
        let grace = state.store.check_in_grace_days(auth.tenant()).await?;
        for c in app::commitments::due_check_ins(&mine, grace, state.clock.today()) {
            check_ins.push(CheckIn {
                dialogue_id: c.dialogue_id,
                action: c.content.action.clone(),
                starts_on: c.starts_on.to_string(),
                subject: String::new(),
            });
        }
        for c in mine {
            if c.confirmed_at.is_none()
                && domain::commitment::may_confirm(c.objective, c.has_start)
                && !to_confirm.contains(&c.dialogue_id)
            {
                to_confirm.push(c.dialogue_id);
            }
        }
        for d in state
            .store
            .dialogues_about(auth.tenant(), PersonId(p.id))
            .await?
        {
            let wanted = !d.is_closed() || d.kind.is_consultant_session();
            if !wanted
                || app::dialogues::role_in(&state.store, &auth.actor, &d).await?
                    != policy::DialogueRole::Subject
            {
                continue;
            }
            if d.kind.is_consultant_session()
                && store::dialogues::consent_in_force(
                    &state.store.consent_events(auth.tenant(), d.id).await?,
                )
                .is_some_and(|c| c.awaits_confirmation())
            {
                let r = row(&page, &d);
                consents_to_confirm.push((d.id, format!("{} {}", r.when, r.kind)));
            }
            if !d.is_closed() {
                upcoming.push(row(&page, &d));
            }
        }
    }
    let profile = match &person {
        Some(p) => {
            let fields = policy::person_fields(&auth.actor, Relation::Oneself)
                .ok_or_else(AppError::forbidden)?;
            if let Some(b) = p.birth_date {
                for age in domain::programme::MILESTONE_AGES
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
                for years in domain::programme::MILESTONE_TENURES
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
    let today = state.clock.today();
    let surveys_to_answer = app::surveys::mine(&state.store, &caller)
        .await?
        .into_iter()
        .filter(|(s, answered)| !answered && s.is_open(today))
        .map(|(s, _)| (s.id, s.title, s.closes_on.to_string()))
        .collect();
    let fa_requests_waiting = app::fa::mine(&state.store, &caller)
        .await?
        .iter()
        .filter(|(d, _)| d.active(today))
        .flat_map(|(_, r)| r)
        .filter(|r| r.status == domain::fa::InterviewStatus::Waiting)
        .count();
    Ok(MyPage {
        fa_requests_waiting,
        surveys_to_answer,
        shell: page.shell(Some(&auth), "/my"),
        profile,
        upcoming,
        to_confirm,
        check_ins,
        stories_to_answer,
        milestones,
        fiscal_year: fy.0,
        programmes,
        pair_invitations,
        reports_about_me,
        requests_answered,
        consents_to_confirm,
        sessions_to_rate: if person.is_some() {
            app::consultations::sessions_to_rate(
                &state.store,
                &auth.caller(&crate::Origin::default()),
            )
            .await?
            .len()
        } else {
            0
        },
    })
}

pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub department: String,
    pub title: String,
    pub depth: usize,
    /// My last 1on1 held with them, and my next one booked (dates, empty when none).
    pub last: String,
    pub next: String,
    /// A direct report without a 1on1 with me in the monthly rhythm.
    pub due: bool,
    /// Commitments from my 1on1s with them still under way.
    pub open_commitments: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/members.html")]
struct MembersPage {
    shell: Shell,
    members: Vec<MemberRow>,
    /// Requests from members waiting for my answer.
    requests_waiting: usize,
    /// Applications on the postings I hire for, still being considered.
    applications_waiting: usize,
    /// My direct reports' completed courses without my note on using them.
    completions_waiting: usize,
    /// Feedback reports sent to me that I have not acknowledged yet.
    reports_unread: usize,
    /// My 1on1s in the next seven days: (dialogue, when, member).
    this_week: Vec<(i64, String, String)>,
    /// Direct reports due a 1on1 (names).
    due: Vec<String>,
    /// Whether any member has a title on record (otherwise the column is left out).
    any_title: bool,
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
    let now = state.clock.now();
    let today = state.clock.today();
    // My own 1on1s (I facilitate them) and the commitments recorded in them: the
    // manager's side of each member, nothing of anyone else's dialogues.
    let mine: Vec<_> = state
        .store
        .dialogues_facilitated_by(auth.tenant(), auth.user.id)
        .await?
        .into_iter()
        .filter(|d| d.kind == domain::dialogue::DialogueKind::OneOnOne)
        .collect();
    let caller = auth.caller(&crate::Origin::default());
    let commitments = app::commitments::recorded_by_me(&state.store, &caller).await?;
    let week = now + chrono::Duration::days(7);
    let mut this_week = Vec::new();
    for d in mine
        .iter()
        .filter(|d| !d.is_closed() && d.starts_at >= now && d.starts_at < week)
    {
        this_week.push((d.id, when(d.starts_at), d.subject_name.clone()));
    }
    let mut due = Vec::new();
    let members: Vec<MemberRow> = reports
        .into_iter()
        .map(|(depth, p)| {
            let with = |d: &&store::dialogues::Dialogue| d.subject.0 == p.id;
            let last = mine
                .iter()
                .filter(with)
                .filter(|d| d.state == domain::dialogue::DialogueState::Held)
                .map(|d| d.starts_at)
                .max();
            let next = mine
                .iter()
                .filter(with)
                .filter(|d| !d.is_closed() && d.starts_at >= now)
                .map(|d| d.starts_at)
                .min();
            let is_due = depth == 1
                && domain::dialogue::one_on_one_due(
                    last.map(domain::japan_time::japan_date),
                    today,
                );
            if is_due {
                due.push(p.name.clone());
            }
            MemberRow {
                id: p.id,
                number: p.employee_number,
                department: p.department_name.unwrap_or_default(),
                title: p.title,
                depth,
                last: last
                    .map(|t| domain::japan_time::japan_date(t).to_string())
                    .unwrap_or_default(),
                next: next.map(when).unwrap_or_default(),
                due: is_due,
                open_commitments: commitments
                    .iter()
                    .filter(|c| {
                        c.subject.0 == p.id
                            && c.counts()
                            && matches!(
                                c.status,
                                domain::commitment::Status::NotStarted
                                    | domain::commitment::Status::Started
                                    | domain::commitment::Status::Continuing
                            )
                    })
                    .count(),
                name: p.name,
            }
        })
        .collect();
    let any_title = members.iter().any(|m| !m.title.trim().is_empty());
    let requests_waiting =
        app::requests::to_me(&state.store, &auth.caller(&crate::Origin::default()), true)
            .await?
            .len();
    let mut reports_unread = 0;
    for r in state.store.reports_to(auth.tenant(), me).await? {
        if r.acknowledged_at.is_none()
            && r.retracted_at.is_none()
            && state
                .store
                .relation(auth.tenant(), Some(me), r.subject)
                .await?
                == Relation::InReportingLine
        {
            reports_unread += 1;
        }
    }
    let applications_waiting =
        app::postings::waiting_for_me(&state.store, &auth.caller(&crate::Origin::default()))
            .await?;
    let completions_waiting =
        app::learning::waiting_for_manager(&state.store, &auth.caller(&crate::Origin::default()))
            .await?;
    Ok(MembersPage {
        completions_waiting,
        applications_waiting,
        shell: page.shell(Some(&auth), "/members"),
        members,
        requests_waiting,
        reports_unread,
        this_week,
        due,
        any_title,
    })
}
