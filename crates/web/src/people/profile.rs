//! A person's profile page (`/people/{id}`), with exactly the fields the policy allows.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::cards::{Row, row};
use crate::shared::error::AppError;
use crate::shared::profile::{ProfileView, profile_view, rating_chart};
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use domain::PersonId;
use domain::audit::AuditAction;
use domain::policy::{self, Action, Relation};
use store::audit::NewAuditEntry;

#[derive(Template, WebTemplate)]
#[template(path = "people/profile.html")]
pub struct PersonPage {
    shell: Shell,
    p: ProfileView,
    chain: Option<Vec<String>>,
    reports: Option<Vec<(i64, String)>>,
    ratings: Option<Vec<(i32, String)>>,
    chart: Option<String>,
    /// For the member's manager: the career side first.
    career: Option<CareerSide>,
    /// Their applications to internal postings that the policy lets the reader see
    /// (their line above: only those past the posting's reveal stage): (id, role,
    /// (status key, words)).
    applications: Vec<(i64, String, (&'static str, String))>,
}

/// What a manager sees first on a member's page: their dialogues with the member (and
/// that others took place — date and kind only, as the policy allows), how long since
/// the last 1on1, the commitments recorded in the manager's own 1on1s, and the feedback
/// reports about the member sent to this manager.
pub struct CareerSide {
    /// (row, the manager holds it: a link to its notes)
    pub dialogues: Vec<(Row, bool)>,
    pub days_since_one_on_one: Option<i64>,
    pub next_one_on_one: Option<String>,
    /// (action, starts on, status)
    pub commitments: Vec<(String, String, String)>,
    /// (report id, sent, withdrawn at the member's request)
    pub reports: Vec<(i64, String, bool)>,
}

async fn career_side(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    target: PersonId,
) -> Result<CareerSide, AppError> {
    let tenant = auth.tenant();
    let now = state.clock.now();
    let mut dialogues = Vec::new();
    let mut commitments = Vec::new();
    let (mut last, mut next) = (None, None);
    for d in state.store.dialogues_about(tenant, target).await? {
        let role = app::dialogues::role_in(&state.store, &auth.actor, &d).await?;
        if !policy::may_see_dialogue(role) {
            continue;
        }
        let mine = role == policy::DialogueRole::Facilitator;
        if mine && d.kind == domain::dialogue::DialogueKind::OneOnOne {
            if d.state == domain::dialogue::DialogueState::Held && d.starts_at <= now {
                last = Some(
                    last.map_or(d.starts_at, |l: chrono::DateTime<chrono::Utc>| {
                        l.max(d.starts_at)
                    }),
                );
            }
            if !d.is_closed() && d.starts_at > now && next.is_none() {
                next = Some(when(d.starts_at));
            }
        }
        if mine {
            for c in state.store.commitments_of(tenant, d.id).await? {
                commitments.push((
                    c.content.action.clone(),
                    c.starts_on.to_string(),
                    page.t(&format!("commitment.status.{}", c.status.key())),
                ));
            }
        }
        dialogues.push((row(page, &d), mine));
    }
    dialogues.reverse();
    dialogues.truncate(12);
    let mut reports = Vec::new();
    if let Some(me) = auth.actor.person_id {
        for r in state.store.reports_to(tenant, me).await? {
            if r.subject == target {
                reports.push((
                    r.id,
                    r.sent_at.map(when).unwrap_or_default(),
                    r.retracted_at.is_some(),
                ));
            }
        }
    }
    Ok(CareerSide {
        dialogues,
        days_since_one_on_one: last.map(|l| (now - l).num_days()),
        next_one_on_one: next,
        commitments,
        reports,
    })
}

/// GET /people/{id} — a profile, with exactly the fields the policy allows.
pub async fn person(
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
                .detail(domain::audit::detail("profile", &[])),
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
    let career = if relation == Relation::InReportingLine && auth.actor.has(domain::Role::Manager) {
        Some(career_side(&state, &page, &auth, target).await?)
    } else {
        None
    };
    let applications = app::postings::of_person(&state.store, &auth.caller(&origin), target)
        .await?
        .into_iter()
        .map(|(a, p, _)| {
            (
                a.id,
                p.posting.title.clone(),
                crate::shared::applications::progress_text(&page, &p.posting.stages, a.progress),
            )
        })
        .collect();
    Ok(PersonPage {
        shell: page.shell(Some(&auth), section),
        applications,
        p: view,
        chain,
        reports,
        ratings,
        chart,
        career,
    })
}
