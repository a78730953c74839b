//! 行動計画・コミット on the dialogue page: the facilitator records the employee's
//! commitments with the two checks shown live while typing (htmx), the employee confirms
//! each in their own words, and a milestone interview closes as `committed` only when one
//! counts (otherwise the next session must be booked first).

use super::{Retry, again, load, need, saved};
use crate::commitment_text;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use chrono::NaiveDate;
use domain::commitment::{self, FieldError, MAX_ACTION_CHARS};
use domain::policy::DialogueRole;
use store::commitments::{Commitment, CommitmentEdit};
use store::dialogues::Dialogue;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/commitments/check", post(live_check))
        .route("/dialogues/{id}/commitments", post(add))
        .route("/dialogues/{id}/commitments/{cid}", post(edit))
        .route("/dialogues/{id}/commitments/{cid}/confirm", post(confirm))
        .route("/dialogues/{id}/commitments/{cid}/status", post(set_status))
}

/// The commitment form as typed, with its problems.
#[derive(Default, Clone)]
pub struct CommitmentForm {
    /// Set when the form edits an existing commitment.
    pub id: Option<i64>,
    pub action: String,
    pub starts_on: String,
    pub first_step: String,
    pub evidence: String,
    pub vision: String,
    pub target: String,
    pub due_on: String,
    /// The opportunity it points at, as the form's value (`posting:12`; empty for none).
    pub opportunity: String,
    /// (field, message)
    pub errors: Vec<(&'static str, String)>,
    /// The start date lies in the past; shown with a box to confirm.
    pub past_warning: bool,
}

impl CommitmentForm {
    /// The form as typed, without problems yet.
    pub fn typed(form: &FormData) -> CommitmentForm {
        CommitmentForm::from(form)
    }

    fn from(form: &FormData) -> CommitmentForm {
        CommitmentForm {
            id: None,
            action: form.get("action").into(),
            starts_on: form.get("starts_on").trim().into(),
            first_step: form.get("first_step").into(),
            evidence: form.get("evidence").into(),
            vision: form.get("vision").into(),
            target: form.get("target").into(),
            due_on: form.get("due_on").trim().into(),
            opportunity: form.get("opportunity").trim().into(),
            errors: Vec::new(),
            past_warning: false,
        }
    }

    fn parse(&self) -> Result<commitment::Input, Vec<FieldError>> {
        let opportunity = commitment::Opportunity::parse(&self.opportunity);
        let mut input = commitment::parse_input(
            &self.action,
            &self.starts_on,
            &self.first_step,
            &self.evidence,
            &self.vision,
            &self.target,
            &self.due_on,
        );
        if opportunity.is_none() && !self.opportunity.is_empty() {
            let unknown = FieldError {
                field: "opportunity",
                code: "opportunity",
            };
            match &mut input {
                Ok(_) => input = Err(vec![unknown]),
                Err(errors) => errors.push(unknown),
            }
        }
        input.map(|mut i| {
            i.content.opportunity = opportunity;
            i
        })
    }
}

/// The verdict of the two checks, as shown under the action (the live partial too).
#[derive(Template, WebTemplate)]
#[template(path = "dialogues/_commitment_check.html")]
pub struct CheckView {
    pub lang: crate::shared::i18n::Lang,
    pub empty: bool,
    pub objective: bool,
    pub has_start: bool,
    pub reasons: Vec<String>,
    pub suggestion: Option<String>,
}

impl CheckView {
    pub fn of(
        action: &str,
        starts_on: Option<NaiveDate>,
        lang: crate::shared::i18n::Lang,
    ) -> CheckView {
        let c = app::language::check_with_start(action, starts_on);
        CheckView {
            lang,
            empty: action.trim().is_empty(),
            objective: c.objective,
            has_start: c.has_start,
            reasons: commitment_text::reasons(&c, lang),
            suggestion: commitment_text::suggestion(&c, lang),
        }
    }

    fn t(&self, key: &str) -> String {
        self.lang.catalog().get(key).to_string()
    }
}

/// A commitment as the dialogue page lists it.
pub struct CommitmentView {
    pub id: i64,
    pub version: i64,
    pub action: String,
    pub first_step: String,
    pub evidence: String,
    pub vision: String,
    pub target: String,
    pub starts_on: String,
    pub due_on: String,
    pub confirmed: bool,
    /// Passes both checks, so the employee may confirm it.
    pub confirmable: bool,
    pub counts: bool,
    pub status: String,
    pub status_key: &'static str,
    pub status_reason: String,
    pub check: CheckView,
    /// The opportunity it points at: (kind in words, title, where it is).
    pub opportunity: Option<(String, String, String)>,
    /// Its form value, kept by the edit form.
    pub opportunity_key: String,
}

pub fn view(page: &Page, c: &Commitment) -> CommitmentView {
    CommitmentView {
        id: c.id,
        version: c.version,
        action: c.content.action.clone(),
        first_step: c.content.first_step.clone(),
        evidence: c.content.evidence.clone(),
        vision: c.content.vision.clone(),
        target: c.content.target.clone(),
        starts_on: c.starts_on.to_string(),
        due_on: c.due_on.map(|d| d.to_string()).unwrap_or_default(),
        confirmed: c.confirmed_at.is_some(),
        confirmable: commitment::may_confirm(c.objective, c.has_start),
        counts: c.counts(),
        status: page.t(&format!("commitment.status.{}", c.status.key())),
        status_key: c.status.key(),
        status_reason: c.status_reason.clone().unwrap_or_default(),
        check: CheckView::of(&c.content.action, Some(c.starts_on), page.lang),
        opportunity: None,
        opportunity_key: c
            .content
            .opportunity
            .as_ref()
            .map(|o| o.key())
            .unwrap_or_default(),
    }
}

/// The commitments as the page lists them, each with the opportunity it points at.
pub(super) async fn views(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    list: &[Commitment],
) -> Result<Vec<CommitmentView>, AppError> {
    let caller = auth.caller(&Origin::default());
    let mut out = Vec::new();
    for c in list {
        let mut v = view(page, c);
        if let Some(o) = &c.content.opportunity
            && let Some(l) = app::opportunities::link(&state.store, &caller, o).await?
        {
            v.opportunity = Some((
                page.t(&format!("commitment.opportunity_kind.{}", l.kind)),
                l.title,
                l.href,
            ));
        }
        out.push(v);
    }
    Ok(out)
}

/// What a facilitator may link a commitment to today: (form value, words).
pub(super) async fn opportunity_choices(
    state: &AppState,
    page: &Page,
    auth: &Auth,
) -> Result<Vec<(String, String)>, AppError> {
    let caller = auth.caller(&Origin::default());
    Ok(
        app::opportunities::choices(&state.store, &caller, state.clock.today())
            .await?
            .into_iter()
            .map(|(o, l)| {
                let kind = page.t(&format!("commitment.opportunity_kind.{}", l.kind));
                (o.key(), format!("{kind}：{}", l.title))
            })
            .collect(),
    )
}

/// POST /commitments/check — the live verdict while typing (an htmx partial). Reads only
/// what was sent; any signed-in user may ask.
async fn live_check(page: Page, _auth: Auth, form: FormData) -> CheckView {
    let form = form.scoped("commitment");
    let starts_on = NaiveDate::parse_from_str(form.get("starts_on").trim(), "%Y-%m-%d").ok();
    CheckView::of(form.get("action"), starts_on, page.lang)
}

fn field_message(page: &Page, e: &FieldError) -> String {
    match e.code {
        "required" => page.t("commitment.error.required"),
        "too_long" => page.tf("dialogue.error.too_long", "n", MAX_ACTION_CHARS),
        "date" => page.t("commitment.error.date"),
        "opportunity" => page.t("commitment.error.opportunity"),
        _ => page.t("commitment.error.due_before_start"),
    }
}

/// Parses the form; on a problem (or a start in the past not yet confirmed) the dialogue
/// page comes back with everything typed kept.
async fn parsed_or_again(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    (d, role): (&Dialogue, DialogueRole),
    (mut typed, form): (CommitmentForm, &FormData),
    kept_link: Option<&commitment::Opportunity>,
) -> Result<Result<commitment::Input, Response>, AppError> {
    let mut parsed = typed.parse();
    // A link to an opportunity open today; one the commitment has already may stay.
    if let Ok(input) = &parsed
        && let Some(o) = &input.content.opportunity
        && Some(o) != kept_link
        && !app::opportunities::may_link(&state.store, &auth.caller(origin), o, state.clock.today())
            .await?
    {
        parsed = Err(vec![FieldError {
            field: "opportunity",
            code: "opportunity",
        }]);
    }
    match parsed {
        Ok(input) if input.starts_on < state.clock.today() && form.get("confirm_past") != "1" => {
            typed.past_warning = true;
            Ok(Err(again(
                state,
                page,
                auth,
                origin,
                (d, role),
                StatusCode::CONFLICT,
                Retry {
                    commitment: Some(typed),
                    ..Default::default()
                },
            )
            .await?))
        }
        Ok(input) => Ok(Ok(input)),
        Err(errors) => {
            typed.errors = errors
                .iter()
                .map(|e| (e.field, field_message(page, e)))
                .collect();
            Ok(Err(again(
                state,
                page,
                auth,
                origin,
                (d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    commitment: Some(typed),
                    ..Default::default()
                },
            )
            .await?))
        }
    }
}

/// POST /dialogues/{id}/commitments — the facilitator records a commitment in the
/// employee's words; it counts once the employee confirms it.
async fn add(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("commitment");
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    let typed = CommitmentForm::from(&form);
    let input = match parsed_or_again(
        &state,
        &page,
        &auth,
        &origin,
        (&d, role),
        (typed, &form),
        None,
    )
    .await?
    {
        Ok(i) => i,
        Err(page_again) => return Ok(page_again),
    };
    let check = app::language::check_with_start(&input.content.action, Some(input.starts_on));
    state
        .store
        .add_commitment(auth.tenant(), d.id, d.subject, auth.user.id, &input, &check)
        .await?;
    set_flash(&page.session, "success", page.t("commitment.added")).await?;
    saved(&state, &page, &auth, &origin, id, &raw, "commitment").await
}

/// POST /dialogues/{id}/commitments/{cid} — the facilitator changes a commitment; once
/// confirmed, the change is a new version the employee confirms again.
async fn edit(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped(&format!("commitment-{cid}"));
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Facilitator)?;
    let existing = state
        .store
        .commitment(auth.tenant(), cid)
        .await?
        .filter(|c| c.dialogue_id == d.id)
        .ok_or_else(AppError::not_found)?;
    let typed = CommitmentForm {
        id: Some(cid),
        ..CommitmentForm::from(&form)
    };
    let input = match parsed_or_again(
        &state,
        &page,
        &auth,
        &origin,
        (&d, role),
        (typed, &form),
        existing.content.opportunity.as_ref(),
    )
    .await?
    {
        Ok(i) => i,
        Err(page_again) => return Ok(page_again),
    };
    let check = app::language::check_with_start(&input.content.action, Some(input.starts_on));
    let msg = match state
        .store
        .edit_commitment(auth.tenant(), cid, auth.user.id, &input, &check)
        .await?
    {
        CommitmentEdit::Changed => page.t("commitment.changed"),
        CommitmentEdit::NewVersion { .. } => page.t("commitment.new_version"),
    };
    set_flash(&page.session, "success", msg).await?;
    saved(
        &state,
        &page,
        &auth,
        &origin,
        id,
        &raw,
        &format!("commitment-{cid}"),
    )
    .await
}

/// POST /dialogues/{id}/commitments/{cid}/confirm — the employee confirms that this is
/// what they will do, in their own words.
async fn confirm(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let (d, role) = load(&state, &auth, id).await?;
    need(role == DialogueRole::Subject)?;
    let found = state
        .store
        .commitment(auth.tenant(), cid)
        .await?
        .filter(|c| c.dialogue_id == d.id);
    if found
        .as_ref()
        .is_some_and(|c| !commitment::may_confirm(c.objective, c.has_start))
    {
        set_flash(
            &page.session,
            "error",
            page.t("commitment.error.fails_checks"),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "confirm").await;
    }
    let ok = found.is_some()
        && state
            .store
            .confirm_commitment(auth.tenant(), cid, d.subject)
            .await?;
    if ok {
        set_flash(&page.session, "success", page.t("commitment.confirmed")).await?;
    } else {
        set_flash(
            &page.session,
            "error",
            page.t("commitment.error.not_confirmable"),
        )
        .await?;
    }
    saved(&state, &page, &auth, &origin, id, &raw, "confirm").await
}

/// POST /dialogues/{id}/commitments/{cid}/status — the follow-up (始めましたか？): the
/// employee, or the facilitator who asked them, records where it stands. Stopping needs a
/// reason, and is fine.
async fn set_status(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped(&format!("status-{cid}"));
    let (d, _) = load(&state, &auth, id).await?;
    let c = state
        .store
        .commitment(auth.tenant(), cid)
        .await?
        .filter(|c| c.dialogue_id == d.id)
        .ok_or_else(AppError::not_found)?;
    let caller = auth.caller(&origin);
    let (kind, msg) = match app::commitments::set_status(
        &state.store,
        &caller,
        c.id,
        form.get("status"),
        form.get("reason"),
        None,
    )
    .await?
    {
        Ok(c) => (
            "success",
            page.t(&format!("commitment.status_saved.{}", c.status.key())),
        ),
        Err(StatusRefusal::NotYours) => return Err(AppError::forbidden()),
        Err(StatusRefusal::Unconfirmed) => ("error", page.t("commitment.error.status_unconfirmed")),
        Err(StatusRefusal::Invalid("reason_required")) => {
            ("error", page.t("commitment.error.reason_required"))
        }
        Err(StatusRefusal::Invalid("too_long")) => (
            "error",
            page.tf("dialogue.error.too_long", "n", MAX_ACTION_CHARS),
        ),
        Err(StatusRefusal::Invalid(_)) | Err(StatusRefusal::Stale { .. }) => {
            ("error", page.t("commitment.error.status"))
        }
    };
    set_flash(&page.session, kind, msg).await?;
    saved(
        &state,
        &page,
        &auth,
        &origin,
        id,
        &raw,
        &format!("status-{cid}"),
    )
    .await
}

use app::commitments::StatusRefusal;
pub use app::commitments::{MilestoneClose, milestone_close, milestone_session_number};
