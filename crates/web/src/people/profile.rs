//! A person's profile page (`/people/{id}`), with exactly the fields the policy allows.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page};
use crate::shared::error::AppError;
use crate::shared::profile::{ProfileView, profile_view, rating_chart};
use crate::shared::shell::Shell;
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
