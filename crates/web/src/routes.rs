//! The whole URL surface in one place: every feature's page router, and every JSON API
//! operation under `/api/v1` (Bearer tokens, described by OpenAPI at
//! `/api/v1/openapi.json`, browsable at `/api/docs`). Each feature folder keeps its
//! handlers; this file only says which paths exist. Pages and API ask the same policy.

use crate::shared::auth;
use crate::shared::error::ErrorBody;
use crate::{
    AppState, account, admin, anchors, autonomy, career_sheet, clients, consultants, dialogues,
    home, kpi, notifications, opportunities, pairs, people, policy, programmes, questions, reports,
    requests, role_models, sign_in, surveys,
};
use axum::Router;
use axum::routing::get;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

/// Every page, by feature (the session and CSRF layers are added by [`crate::router`]).
pub fn pages() -> Router<AppState> {
    Router::new()
        // signing in, the language, each role's home
        .route("/", get(auth::root))
        .merge(sign_in::router())
        .route("/lang/{code}", get(auth::switch_language))
        .merge(home::router())
        // お知らせ: the in-app copy of every email notice
        .merge(notifications::router())
        // people: directory, organisation, profiles, the employee master
        .merge(people::router())
        // the employee's own career sheet
        .merge(career_sheet::router())
        // dialogues and their sections: notes, consent, topics, commitments, worksheet,
        // vision, the feedback-report draft; the employee's records
        .merge(dialogues::router())
        // feedback reports as the manager reads them
        .merge(reports::router())
        // the employee's requests for a 1on1 or an interview, and their answers
        .merge(requests::router())
        // career autonomy: the definition and the company's rates
        .merge(autonomy::router())
        // a consultant's clients, HR's assignments, behaviour evaluations
        .merge(clients::router())
        // consultants as people of their own: their profiles, HR's list and suspensions
        .merge(consultants::router())
        .merge(surveys::router())
        .merge(kpi::router())
        // 機会: internal postings, applications and their stages
        .merge(opportunities::router())
        // 会社の方針: the company's policy and its schemes
        .merge(policy::router())
        // one's own account: password links (invitation, reset) and settings
        .merge(account::router())
        // pairs for cross-department and mentor 1on1s: invitations, sections shared, HR pairing
        .merge(pairs::router())
        .merge(questions::router())
        .merge(role_models::router())
        .merge(anchors::router())
        // cohort programmes, training sessions, the instructor's home
        .merge(programmes::router())
        // settings, accounts, the audit log, the outbox
        .merge(admin::router())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kyoritsu API", description = "キャリア共律 — career co-autonomy platform. Authenticate with `Authorization: Bearer <token>` (create one with `kyoritsu token create --email …`). Errors answer `{\"error\": {\"code\", \"message\"}}` (a `409 stale` adds `current_version`: read it and try again); no text may contain U+0000."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The API's routes and the document generated from their annotations.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        // people
        .routes(routes!(people::api::me))
        .routes(routes!(people::api::person))
        .routes(routes!(people::api::members))
        .routes(routes!(people::api::search))
        .routes(routes!(people::api::org))
        .routes(routes!(people::api::org_children))
        .routes(routes!(notifications::api::list))
        .routes(routes!(questions::api::list))
        .routes(routes!(requests::api::list))
        .routes(routes!(notifications::api::read))
        .routes(routes!(notifications::api::read_all))
        // administration
        .routes(routes!(admin::api::list_users, admin::api::create_user))
        .routes(routes!(admin::api::set_user_disabled))
        .routes(routes!(admin::api::set_user_roles))
        .routes(routes!(admin::api::invite))
        .routes(routes!(admin::api::audit))
        // the career sheet
        .routes(routes!(
            career_sheet::api::get_sheet,
            career_sheet::api::put_sheet
        ))
        .routes(routes!(career_sheet::api::list_versions))
        .routes(routes!(career_sheet::api::get_version))
        // dialogues
        .routes(routes!(dialogues::api::list, dialogues::api::book))
        .routes(routes!(dialogues::api::get))
        .routes(routes!(dialogues::api::add_note))
        .routes(routes!(dialogues::consent_api::add_topic))
        .routes(routes!(dialogues::consent_api::consent))
        .routes(routes!(dialogues::api::my_records))
        // feedback reports as their manager reads them
        .routes(routes!(reports::api::inbox))
        .routes(routes!(reports::api::report))
        // commitments and their follow-ups
        .routes(routes!(dialogues::commitments_api::mine))
        .routes(routes!(dialogues::commitments_api::recorded))
        .routes(routes!(dialogues::commitments_api::set_status))
        // choosing a consultant
        .routes(routes!(consultants::api::search))
        .routes(routes!(consultants::api::slots))
        .routes(routes!(consultants::api::proposals))
        .routes(routes!(consultants::api::book))
        // surveys and the organisation report
        .routes(routes!(surveys::api::list))
        .routes(routes!(surveys::api::answer))
        .routes(routes!(surveys::api::org_report))
        .routes(routes!(kpi::api::kpi))
        .routes(routes!(autonomy::api::autonomy))
        .routes(routes!(
            opportunities::api::list,
            opportunities::api::publish
        ))
        .routes(routes!(opportunities::api::get))
        .routes(routes!(
            opportunities::api::applications_to,
            opportunities::api::apply
        ))
        .routes(routes!(opportunities::api::mine))
        .routes(routes!(opportunities::api::application))
        .routes(routes!(opportunities::api::record))
        .routes(routes!(
            opportunities::fa_api::list,
            opportunities::fa_api::declare
        ))
        .routes(routes!(opportunities::fa_api::request))
        .routes(routes!(opportunities::fa_api::answer))
        .routes(routes!(
            opportunities::side_jobs_api::list,
            opportunities::side_jobs_api::apply
        ))
        .routes(routes!(opportunities::side_jobs_api::decide))
        .routes(routes!(
            opportunities::learning_api::courses,
            opportunities::learning_api::add_course
        ))
        .routes(routes!(
            opportunities::learning_api::completions,
            opportunities::learning_api::record
        ))
        .routes(routes!(opportunities::learning_api::note_use))
        .routes(routes!(opportunities::learning_api::subsidies))
        .routes(routes!(opportunities::learning_api::decide))
        .routes(routes!(opportunities::learning_api::pay))
        .routes(routes!(role_models::api::list))
        .routes(routes!(role_models::api::get))
        .routes(routes!(anchors::api::statements))
        .routes(routes!(programmes::api::list))
        .routes(routes!(programmes::api::get))
        .routes(routes!(programmes::api::roster))
        .routes(routes!(clients::api::list))
        .routes(routes!(clients::api::assignments))
        .routes(routes!(pairs::api::list))
        .routes(routes!(clients::api::get, clients::api::put))
        .routes(routes!(anchors::api::mine, anchors::api::take))
        .split_for_parts()
}

/// The OpenAPI document as served at `/api/v1/openapi.json`: generated, then completed
/// with what the annotations cannot say (`api_schema`).
pub fn openapi_json() -> serde_json::Value {
    let (_, api) = parts();
    let mut doc = serde_json::to_value(&api).unwrap_or_default();
    crate::shared::api_schema::complete(&mut doc);
    doc
}

/// The JSON API and its documentation.
pub fn api() -> Router<AppState> {
    let (router, _) = parts();
    router
        .layer(axum::middleware::from_fn(crate::shared::api::etag))
        .merge(
            SwaggerUi::new("/api/docs")
                .external_url_unchecked("/api/v1/openapi.json", openapi_json()),
        )
}
