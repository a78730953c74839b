//! 節目プログラム over the JSON API, as HR's pages and the instructor's roster show them:
//! the programmes (HR), one with its participants' paths, sessions and figures —
//! behaviour change under the anonymity rule, never anyone's own level — and a session's
//! roster with its workshop groups (HR and the session's instructor; the segment only to
//! HR). Everything is read through `app::programmes`.

use crate::AppState;
use crate::shared::api::{ApiPath, Listed, Paged, Paging};
use crate::shared::auth::ApiAuth;
use crate::shared::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::programme::StepState;
use serde::Serialize;
use store::programmes::{Programme, TrainingSession};
use utoipa::ToSchema;

/// Who a programme is for.
#[derive(Serialize, ToSchema)]
pub struct RuleOut {
    /// Ages turned during the fiscal year.
    ages: Vec<i32>,
    /// Years since hire reached during the fiscal year.
    tenures: Vec<i32>,
    /// A department code: it and everything below it.
    department: Option<String>,
    grades: Vec<String>,
    /// Only people with reports.
    managers: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeOut {
    id: i64,
    name: String,
    fiscal_year: i32,
    /// `milestone_50` … or `custom`.
    template: String,
    rule: RuleOut,
    mandatory: bool,
    /// Participants, leavers included.
    participants: i64,
    created_at: DateTime<Utc>,
    cancelled_at: Option<DateTime<Utc>>,
}

fn programme_out(p: &Programme) -> ProgrammeOut {
    ProgrammeOut {
        id: p.id,
        name: p.name.clone(),
        fiscal_year: p.fiscal_year,
        template: p.template.key().into(),
        rule: RuleOut {
            ages: p.rule.ages.clone(),
            tenures: p.rule.tenures.clone(),
            department: p.rule.department.clone(),
            grades: p.rule.grades.clone(),
            managers: p.rule.managers,
        },
        mandatory: p.mandatory,
        participants: p.participants,
        created_at: p.created_at,
        cancelled_at: p.cancelled_at,
    }
}

/// The company's programmes, newest year first (HR).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", params(Paging),
    responses((status = 200, body = [ProgrammeOut]), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: ApiAuth,
    paging: Paged,
) -> Result<Listed<ProgrammeOut>, ApiError> {
    paging.only(&[])?;
    let all = app::programmes::listed(&state.store, &auth.actor).await?;
    Ok(paging.of(all.iter().map(programme_out).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    instructor_user_id: i64,
    instructor_name: String,
    /// The instructor's style: `energetic` (動) or `calm` (静).
    style: String,
    capacity: usize,
}

fn session_out(s: &TrainingSession) -> SessionOut {
    SessionOut {
        id: s.id,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        place: s.place.clone(),
        instructor_user_id: s.instructor.0,
        instructor_name: s.instructor_name.clone(),
        style: s.style.key().into(),
        capacity: s.capacity,
    }
}

/// A step of a participant's path.
#[derive(Serialize, ToSchema)]
pub struct StepOut {
    /// `pre_learning`, `anchors`, `training`, `interview`, `report`, `follow_up` or
    /// `evaluation`.
    step: String,
    /// `done`, `open`, `waiting` (for an earlier step or a date) or `closed` (left).
    state: String,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantOut {
    person_id: i64,
    employee_number: String,
    name: String,
    department: Option<String>,
    left: bool,
    late_joiner: bool,
    session_id: Option<i64>,
    /// The session was chosen by hand (placement keeps it).
    pinned: bool,
    /// Workshop group within the session.
    group: Option<i64>,
    steps: Vec<StepOut>,
    /// Interviews held.
    interviews: u32,
}

#[derive(Serialize, ToSchema)]
pub struct FunnelStageOut {
    /// `targeted`, `pre_learning`, `anchors`, `trained`, `interviewed`, `committed`,
    /// `started` or `evaluated`.
    stage: String,
    count: u64,
    rate: f64,
}

/// Behaviour change (行動変容) of the cohort; the shares are absent while fewer than
/// `anonymity_k` people were evaluated, or when one level would single someone out.
#[derive(Serialize, ToSchema)]
pub struct BehaviourOut {
    evaluated: u64,
    /// Shares of `remarkable`, `changed`, `trying`, `none`.
    shares: Option<Vec<f64>>,
    /// (remarkable + changed) / evaluated.
    rate: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    funnel: Vec<FunnelStageOut>,
    left: u64,
    mean_sessions_to_commitment: Option<f64>,
    start_adherence: f64,
    behaviour: BehaviourOut,
    anonymity_k: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDetail {
    programme: ProgrammeOut,
    sessions: Vec<SessionOut>,
    participants: Vec<ParticipantOut>,
    figures: FiguresOut,
}

fn state_key(s: StepState) -> &'static str {
    match s {
        StepState::Done => "done",
        StepState::Open => "open",
        StepState::Waiting => "waiting",
        StepState::Closed => "closed",
    }
}

/// One programme with its sessions, its participants' paths and its figures (HR).
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = i64, Path, description = "programme id")),
    responses((status = 200, body = ProgrammeDetail), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgrammeDetail>, ApiError> {
    let d = app::programmes::detail(&state.store, &auth.actor, id, state.clock.now()).await?;
    let r = &d.report;
    Ok(Json(ProgrammeDetail {
        programme: programme_out(&d.programme),
        sessions: d.sessions.iter().map(session_out).collect(),
        participants: d
            .people
            .iter()
            .map(|(p, pr)| ParticipantOut {
                person_id: p.person.0,
                employee_number: p.employee_number.clone(),
                name: p.name.clone(),
                department: p.department.clone(),
                left: p.left(),
                late_joiner: p.late_joiner,
                session_id: p.session,
                pinned: p.pinned,
                group: p.group_no,
                steps: pr
                    .path()
                    .into_iter()
                    .map(|(s, st)| StepOut {
                        step: s.key().into(),
                        state: state_key(st).into(),
                    })
                    .collect(),
                interviews: pr.interviews,
            })
            .collect(),
        figures: FiguresOut {
            funnel: r
                .funnel
                .iter()
                .map(|s| FunnelStageOut {
                    stage: s.stage.key().into(),
                    count: s.count,
                    rate: s.rate,
                })
                .collect(),
            left: r.left,
            mean_sessions_to_commitment: r.mean_sessions_to_commitment,
            start_adherence: r.start_adherence,
            behaviour: BehaviourOut {
                evaluated: r.evaluated,
                shares: r.behaviour.shares.map(|s| s.to_vec()),
                rate: r.behaviour.rate,
            },
            anonymity_k: r.anonymity_k,
        },
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RosterPerson {
    employee_number: String,
    name: String,
    department: Option<String>,
    group: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RosterGroupOut {
    group: i64,
    /// The dominant anchor(s) most of its members share (ties joined); empty before
    /// the inventory. Never anyone's own result.
    theme: Vec<String>,
    /// Share of members whose dominant anchor is the theme.
    homogeneity: f64,
}

#[derive(Serialize, ToSchema)]
pub struct RosterOut {
    programme_id: i64,
    programme_name: String,
    session: SessionOut,
    people: Vec<RosterPerson>,
    groups: Vec<RosterGroupOut>,
}

/// A session's roster and workshop groups: for the instructor who runs it and HR.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/sessions/{sid}", tag = "programmes",
    params(("id" = i64, Path, description = "programme id"),
        ("sid" = i64, Path, description = "session id")),
    responses((status = 200, body = RosterOut), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn roster(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiPath((id, sid)): ApiPath<(i64, i64)>,
) -> Result<Json<RosterOut>, ApiError> {
    let r = app::programmes::roster(&state.store, &auth.actor, id, sid).await?;
    Ok(Json(RosterOut {
        programme_id: r.programme.id,
        programme_name: r.programme.name.clone(),
        session: session_out(&r.session),
        people: r
            .people
            .iter()
            .map(|p| RosterPerson {
                employee_number: p.employee_number.clone(),
                name: p.name.clone(),
                department: p.department.clone(),
                group: p.group_no,
            })
            .collect(),
        groups: r
            .themes
            .iter()
            .map(|(g, t)| RosterGroupOut {
                group: *g,
                theme: t.iter().map(|a| a.key().to_string()).collect(),
                homogeneity: r.homogeneity.get(g).copied().unwrap_or(0.0),
            })
            .collect(),
    }))
}
