//! 担当者 (a consultant's assigned people) and 担当割り当て (HR assigns consultants).
//! A consultant sees only the people assigned to them; an internal consultant is never
//! assigned within their own reporting line (`policy::may_assign_consultant`).

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::audit::AuditAction;
use domain::policy::{self, Action, AssignmentFacts, AssignmentRefusal};
use domain::{EmailAddress, PersonId, Role, UserId};
use store::audit::NewAuditEntry;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(clients))
        .route("/clients/{person}/behaviour", post(evaluate_behaviour))
        .route("/assignments", get(assignments).post(assign))
        .route("/assignments/remove", post(unassign))
        .route("/assignments/bulk", post(bulk::assign_bulk))
}

pub mod api;
mod bulk;

pub struct ClientRow {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub next: Option<(i64, String)>,
    pub last: Option<String>,
    pub count: usize,
    /// This year's behaviour-change evaluation: (level key, level label, reason, manager's input).
    pub evaluation: Option<(&'static str, String, String, String)>,
    /// What was typed into this person's evaluation form when it could not be saved.
    pub typed: Option<Typed>,
    /// They chose this consultant themselves (相談相手を選ぶ) rather than HR assigning
    /// them: their sessions are consultations, outside the company's programmes.
    pub chosen: bool,
}

impl ClientRow {
    /// What the evaluation form shows: as typed after a refused save, else as recorded.
    pub fn form_values(&self) -> (&str, &str, &str) {
        match (&self.typed, &self.evaluation) {
            (Some(t), _) => (&t.level, &t.reason, &t.manager_input),
            (None, Some(e)) => (e.0, &e.2, &e.3),
            (None, None) => ("", "", ""),
        }
    }
}

/// An evaluation form as typed, with what is wrong with it.
#[derive(Clone)]
pub struct Typed {
    pub level: String,
    pub reason: String,
    pub manager_input: String,
    pub error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "clients/clients.html")]
struct ClientsPage {
    shell: Shell,
    clients: Vec<ClientRow>,
    fiscal_year: i32,
    levels: Vec<(&'static str, String)>,
    limit: usize,
    /// Requests for an interview waiting for my answer.
    requests_waiting: usize,
    /// What waits on me, most pressing first: (dialogue id, what to do).
    to_do: Vec<(i64, String)>,
}

/// GET /clients — 担当者: the people assigned to me, with my dialogues with each.
async fn clients(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ClientsPage, AppError> {
    allow(&auth, Action::OpenHome(Role::Consultant))?;
    render_clients(&state, &page, &auth, None).await
}

/// The consultant's day: sessions today, sessions that took place and wait to be
/// confirmed, and reports the employee consented to that are not written or sent yet
/// (sessions of the last 90 days).
async fn to_do(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    mine: &[store::dialogues::Dialogue],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(i64, String)>, AppError> {
    let today = crate::shared::time::jst(now).date();
    let kind = |d: &store::dialogues::Dialogue| page.t(&format!("dialogue.kind.{}", d.kind.key()));
    let mut out = Vec::new();
    for d in mine.iter().filter(|d| !d.is_closed()) {
        let starts = crate::shared::time::jst(d.starts_at);
        if d.starts_at <= now {
            out.push((
                d.id,
                page.lang.catalog().format(
                    "clients.todo.confirm",
                    &[
                        ("when", &when(d.starts_at)),
                        ("name", &d.subject_name),
                        ("kind", &kind(d)),
                    ],
                ),
            ));
        } else if starts.date() == today {
            out.push((
                d.id,
                page.lang.catalog().format(
                    "clients.todo.today",
                    &[
                        ("time", &starts.format("%H:%M")),
                        ("name", &d.subject_name),
                        ("kind", &kind(d)),
                    ],
                ),
            ));
        }
    }
    let since = now - chrono::Duration::days(90);
    for d in mine.iter().filter(|d| {
        d.state == domain::dialogue::DialogueState::Held
            && d.kind.is_consultant_session()
            && d.starts_at >= since
    }) {
        let consent = store::dialogues::consent_in_force(
            &state.store.consent_events(auth.tenant(), d.id).await?,
        );
        if !consent.is_some_and(|c| c.permits_feedback()) {
            continue;
        }
        let sent = state
            .store
            .report_of_dialogue(auth.tenant(), d.id)
            .await?
            .is_some_and(|r| r.sent_at.is_some());
        if !sent {
            out.push((
                d.id,
                page.lang.catalog().format(
                    "clients.todo.report",
                    &[("when", &when(d.starts_at)), ("name", &d.subject_name)],
                ),
            ));
        }
    }
    Ok(out)
}

async fn render_clients(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: Option<(PersonId, Typed)>,
) -> Result<ClientsPage, AppError> {
    let people = state
        .store
        .assigned_people(auth.tenant(), auth.user.id)
        .await?;
    let mine = state
        .store
        .dialogues_facilitated_by(auth.tenant(), auth.user.id)
        .await?;
    let chosen_by = state.store.chosen_by(auth.tenant(), auth.user.id).await?;
    let assigned = state
        .store
        .assignments(auth.tenant())
        .await?
        .into_iter()
        .filter(|a| a.consultant_user_id == auth.user.id.0)
        .map(|a| a.person_id)
        .collect::<Vec<_>>();
    let now = state.clock.now();
    let to_do = to_do(state, page, auth, &mine, now).await?;
    let cal = state.store.tenant(auth.tenant()).await?.settings.calendar;
    let fy = cal.fiscal_year_of(state.clock.today()).0;
    let mut evaluations = Vec::new();
    for p in &people {
        evaluations.push(
            state
                .store
                .behaviour_of(auth.tenant(), PersonId(p.person_id), fy)
                .await?
                .map(|e| {
                    (
                        e.level.key(),
                        page.t(&format!("behaviour.level.{}", e.level.key())),
                        e.reason,
                        e.manager_input,
                    )
                }),
        );
    }
    let clients = people
        .into_iter()
        .zip(evaluations)
        .map(|(p, evaluation)| {
            let with: Vec<_> = mine.iter().filter(|d| d.subject.0 == p.person_id).collect();
            ClientRow {
                id: p.person_id,
                name: p.name,
                number: p.employee_number,
                next: with
                    .iter()
                    .find(|d| !d.is_closed() && d.ends_at() >= now)
                    .map(|d| (d.id, when(d.starts_at))),
                last: with
                    .iter()
                    .rev()
                    .find(|d| d.is_closed())
                    .map(|d| when(d.starts_at)),
                count: with.len(),
                evaluation,
                chosen: chosen_by.contains(&PersonId(p.person_id))
                    && !assigned.contains(&p.person_id),
                typed: typed
                    .as_ref()
                    .filter(|(who, _)| who.0 == p.person_id)
                    .map(|(_, t)| t.clone()),
            }
        })
        .collect();
    Ok(ClientsPage {
        shell: page.shell(Some(auth), "/clients"),
        clients,
        fiscal_year: fy,
        levels: domain::behaviour::Change::ALL
            .into_iter()
            .map(|c| (c.key(), page.t(&format!("behaviour.level.{}", c.key()))))
            .collect(),
        limit: domain::behaviour::MAX_REASON_CHARS,
        requests_waiting: app::requests::to_me(
            &state.store,
            &auth.caller(&crate::Origin::default()),
            true,
        )
        .await?
        .len(),
        to_do,
    })
}

/// POST /clients/{person}/behaviour — the assigned consultant records this year's
/// behaviour-change evaluation, with the manager's input they gathered.
async fn evaluate_behaviour(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    axum::extract::Path(person): axum::extract::Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    use app::behaviour::Refusal;
    use domain::behaviour::{Change, MAX_REASON_CHARS};
    let person = PersonId(person);
    let reason = form.get("reason");
    let input = form.get("manager_input");
    let (kind, msg) = match Change::parse(form.get("level")) {
        None => {
            // Refuse a stranger before saying anything about the form.
            app::behaviour::of_client(&state.store, &auth.actor, person, state.clock.today())
                .await?;
            ("error", page.t("behaviour.error.level"))
        }
        Some(level) => match app::behaviour::evaluate(
            &state.store,
            &auth.actor,
            person,
            level,
            reason,
            input,
            state.clock.today(),
        )
        .await?
        {
            Ok(()) => ("success", page.t("behaviour.saved")),
            Err(Refusal::NoReason) => ("error", page.t("behaviour.error.reason")),
            Err(Refusal::TooLong) => (
                "error",
                page.tf("dialogue.error.too_long", "n", MAX_REASON_CHARS),
            ),
        },
    };
    if kind == "error" {
        // The form comes back as typed, open, with what is wrong.
        let typed = Typed {
            level: form.get("level").to_string(),
            reason: form.get("reason").to_string(),
            manager_input: form.get("manager_input").to_string(),
            error: msg,
        };
        let body = render_clients(&state, &page, &auth, Some((person, typed))).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    set_flash(&page.session, kind, msg).await?;
    Ok(Redirect::to("/clients").into_response())
}

pub struct AssignmentRow {
    pub consultant_id: i64,
    pub consultant: String,
    pub person_id: i64,
    pub person: String,
    pub number: String,
    pub since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "clients/assignments.html")]
struct AssignmentsPage {
    shell: Shell,
    rows: Vec<AssignmentRow>,
    /// (email, name) of users holding the consultant role.
    consultants: Vec<(String, String)>,
    consultant: String,
    number: String,
    error: Option<String>,
    /// The bulk form as typed: (consultant or `auto`, employee numbers), and its problems.
    bulk: (String, String),
    bulk_errors: Vec<String>,
    bulk_limit: usize,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: (&str, &str),
    error: Option<String>,
) -> Result<AssignmentsPage, AppError> {
    let rows = app::assignments::all(&state.store, &auth.caller(&Origin::default()))
        .await?
        .into_iter()
        .map(|a| AssignmentRow {
            consultant_id: a.consultant_user_id,
            consultant: a.consultant_name,
            person_id: a.person_id,
            person: a.person_name,
            number: a.employee_number,
            since: when(a.assigned_at),
        })
        .collect();
    let consultants = state
        .store
        .list_users(auth.tenant())
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.roles.contains(Role::Consultant))
        .map(|u| (u.email, u.name))
        .collect();
    Ok(AssignmentsPage {
        shell: page.shell(Some(auth), "/assignments"),
        rows,
        consultants,
        consultant: typed.0.to_string(),
        number: typed.1.to_string(),
        error,
        bulk: ("auto".into(), String::new()),
        bulk_errors: Vec::new(),
        bulk_limit: bulk::MAX_BULK,
    })
}

/// What the policy needs to know to assign `consultant` to `subject`.
pub(super) async fn assignment_facts(
    state: &AppState,
    auth: &Auth,
    consultant: &store::users::User,
    subject: PersonId,
) -> Result<AssignmentFacts, AppError> {
    let same_line = match consultant.person_id {
        Some(c) => state.store.in_one_line(auth.tenant(), c, subject).await?,
        None => false,
    };
    Ok(AssignmentFacts {
        tenant: auth.tenant(),
        is_consultant: consultant.roles.contains(Role::Consultant),
        consultant_person: consultant.person_id,
        subject,
        same_reporting_line: same_line,
    })
}

fn may_manage(auth: &Auth) -> Result<(), AppError> {
    allow(
        auth,
        Action::ViewOrganisationFigures {
            tenant: auth.tenant(),
        },
    )
}

/// GET /assignments — HR: who is assigned to whom.
async fn assignments(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<AssignmentsPage, AppError> {
    may_manage(&auth)?;
    render(&state, &page, &auth, ("", ""), None).await
}

fn refusal_text(page: &Page, r: AssignmentRefusal) -> String {
    page.t(match r {
        AssignmentRefusal::NotHr => "assignments.error.not_hr",
        AssignmentRefusal::NotAConsultant => "assignments.error.not_consultant",
        AssignmentRefusal::SameReportingLine => "assignments.error.same_line",
        AssignmentRefusal::Themselves => "assignments.error.themselves",
    })
}

/// The page again with what was typed and why it was refused; nothing changed.
async fn refuse(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: (&str, &str),
    msg: String,
) -> Result<Response, AppError> {
    let p = render(state, page, auth, typed, Some(msg)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// POST /assignments — assigns a consultant to a person, if the policy allows it.
async fn assign(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    may_manage(&auth)?;
    let (email, number) = (form.get("consultant").trim(), form.get("number").trim());
    let consultant = match EmailAddress::parse(email) {
        Ok(e) => state.store.user_by_email(auth.tenant(), &e).await?,
        Err(_) => None,
    };
    let Some(consultant) = consultant.filter(|u| !u.disabled) else {
        return refuse(
            &state,
            &page,
            &auth,
            (email, number),
            page.t("assignments.error.no_consultant"),
        )
        .await;
    };
    let Some(person) = state
        .store
        .person_by_number(auth.tenant(), number)
        .await?
        .filter(|p| p.status != domain::PersonStatus::Left)
    else {
        return refuse(
            &state,
            &page,
            &auth,
            (email, number),
            page.t("assignments.error.no_person"),
        )
        .await;
    };
    let subject = PersonId(person.id);
    let facts = assignment_facts(&state, &auth, &consultant, subject).await?;
    if let Err(r) = policy::may_assign_consultant(&auth.actor, &facts) {
        return refuse(
            &state,
            &page,
            &auth,
            (email, number),
            refusal_text(&page, r),
        )
        .await;
    }
    match state
        .store
        .assign_consultant(auth.tenant(), consultant.id, subject, auth.user.id)
        .await
    {
        Ok(()) => {}
        Err(store::StoreError::Conflict(_)) => {
            return refuse(
                &state,
                &page,
                &auth,
                (email, number),
                page.t("assignments.error.already"),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::AssignmentChanged)
            .target("person", person.id)
            .detail(domain::audit::detail(
                "assigned",
                &[("email", &consultant.email)],
            )),
    )
    .await?;
    let done = page.lang.catalog().format(
        "assignments.assigned",
        &[("consultant", &consultant.name), ("person", &person.name)],
    );
    set_flash(&page.session, "success", done).await?;
    Ok(Redirect::to("/assignments").into_response())
}

/// POST /assignments/remove — ends an assignment.
async fn unassign(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Redirect, AppError> {
    may_manage(&auth)?;
    let (Ok(c), Ok(p)) = (
        form.get("consultant_id").parse::<i64>(),
        form.get("person_id").parse::<i64>(),
    ) else {
        return Err(AppError::not_found());
    };
    if state
        .store
        .unassign_consultant(auth.tenant(), UserId(c), PersonId(p))
        .await?
    {
        auth.audit(
            &state,
            &origin,
            NewAuditEntry::new(Some(auth.tenant()), AuditAction::AssignmentChanged)
                .target("person", p)
                .detail(domain::audit::detail("released", &[("id", &c)])),
        )
        .await?;
        set_flash(&page.session, "success", page.t("assignments.removed")).await?;
    }
    Ok(Redirect::to("/assignments"))
}
