//! Feedback reports (面談所感) over the JSON API, as the manager's pages show them: the
//! reports sent to the caller (while each employee is in their line; a withdrawn one as
//! such), and one report — to its manager, the employee it is about and the consultant
//! who wrote it (`policy::feedback_view`); a withdrawn one answers 410 with nothing of
//! it. Reads by anyone but the author are audited, as on the page.

use crate::shared::api::ApiPath;
use crate::shared::api::{Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use crate::{AppState, Origin};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use domain::policy::ReportView;
use serde::Serialize;
use store::audit::NewAuditEntry;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ReportItem {
    id: i64,
    dialogue_id: i64,
    subject_id: i64,
    subject_name: String,
    sent_at: Option<DateTime<Utc>>,
    acknowledged_at: Option<DateTime<Utc>>,
    /// The employee withdrew consent after it was sent: it can no longer be read.
    withdrawn: bool,
}

/// The reports sent to the caller as a manager.
#[utoipa::path(get, path = "/api/v1/reports", tag = "dialogues", params(Paging),
    responses((status = 200, body = [ReportItem]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn inbox(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<ReportItem>, ApiError> {
    paging.only(&[])?;
    let items = app::reports::inbox(&state.store, &auth.actor).await?;
    Ok(paging.of(items
        .into_iter()
        .map(|i| ReportItem {
            id: i.report.id,
            dialogue_id: i.report.dialogue_id,
            subject_id: i.report.subject.0,
            subject_name: i.subject_name,
            sent_at: i.report.sent_at,
            acknowledged_at: i.report.acknowledged_at,
            withdrawn: i.report.retracted_at.is_some(),
        })
        .collect()))
}

#[derive(Serialize, ToSchema)]
pub struct PartsBody {
    /// ご本人の、まだ知られていないかもしれない一面
    unknown_side: String,
    /// 効きそうな動機づけ
    motivation: String,
    /// 本人が決めた行動計画
    committed: String,
    /// 上司としてできる支援
    support: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportBody {
    id: i64,
    dialogue_id: i64,
    subject_id: i64,
    subject_name: String,
    author_name: String,
    held_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    acknowledged_at: Option<DateTime<Utc>>,
    parts: PartsBody,
    /// What the manager recorded of the support they gave.
    manager_support: Option<String>,
}

/// One sent report, as its reader may see it.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "dialogues",
    params(("id" = i64, Path, description = "report id")),
    responses((status = 200, body = ReportBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 410, body = ErrorBody, description = "the employee withdrew consent: nothing of it is shown")))]
pub async fn report(
    State(state): State<AppState>,
    auth: ApiAuth,
    origin: Origin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportBody>, ApiError> {
    let (r, d, view) = app::reports::readable(&state.store, &auth.actor, id).await?;
    if view == ReportView::Withdrawn {
        return Err(ApiError::new(
            StatusCode::GONE,
            "withdrawn",
            "the employee withdrew their consent: this report is no longer shown",
        ));
    }
    if auth.user.id != r.author {
        auth.caller(&origin)
            .audit(
                &state.store,
                NewAuditEntry::new(Some(auth.actor.tenant_id), AuditAction::ConfidentialRead)
                    .target("feedback_report", r.id)
                    .detail(domain::audit::detail("report_api", &[])),
            )
            .await?;
    }
    Ok(Json(ReportBody {
        id: r.id,
        dialogue_id: d.id,
        subject_id: r.subject.0,
        subject_name: d.subject_name.clone(),
        author_name: d.facilitator_name.clone(),
        held_at: d.starts_at,
        sent_at: r.sent_at,
        acknowledged_at: r.acknowledged_at,
        parts: PartsBody {
            unknown_side: r.parts.unknown_side.clone(),
            motivation: r.parts.motivation.clone(),
            committed: r.parts.committed.clone(),
            support: r.parts.support.clone(),
        },
        manager_support: r.support.clone(),
    }))
}
