//! 資格取得支援 (certification subsidies): the company's rules (which certifications,
//! how much, the cap per fiscal year), the employee's claim with the receipt (sent again
//! after HR asks for changes, or withdrawn), and HR's side (decide with a reason, record
//! the payment, set the rules). The rules are `app::learning` over `domain::learning` and
//! `domain::policy::may_see_subsidy`: only the claimant and HR see a claim.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::learning::{NotDecided, NotPaid, Upload};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::learning::{ClaimInput, ClaimProblem, ClaimStatus, Rate, RulesProblem, SubsidyRules};
use domain::side_job::{Decision, DecisionRefusal};
use store::learning::StoredClaim;

/// A claim as the page shows it.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub certification: String,
    pub exam_on: String,
    pub fee: String,
    pub amount: String,
    pub fiscal_year: i32,
    pub note: String,
    pub receipt_name: String,
    pub status: (&'static str, String),
    pub reason: String,
    pub decided: String,
    pub paid_on: String,
    pub may_resubmit: bool,
    pub may_withdraw: bool,
}

/// Yen with thousands separators (12,300).
pub(crate) fn yen(n: u32) -> String {
    domain::import::table::thousands(n as usize)
}

fn row(page: &Page, c: &StoredClaim) -> Row {
    Row {
        id: c.id,
        name: c.person_name.clone(),
        certification: c.claim.certification.clone(),
        exam_on: c.claim.exam_on.to_string(),
        fee: yen(c.claim.fee_yen),
        amount: yen(c.amount_yen),
        fiscal_year: c.fiscal_year,
        note: c.claim.note.clone(),
        receipt_name: c.receipt_name.clone(),
        status: (
            c.status.key(),
            page.t(&format!("subsidies.status.{}", c.status.key())),
        ),
        reason: c.reason.clone(),
        decided: c
            .decided_at
            .map(|at| {
                format!(
                    "{}・{}",
                    when(at),
                    c.decided_by_name.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        paid_on: c.paid_on.map(|d| d.to_string()).unwrap_or_default(),
        may_resubmit: c.status == ClaimStatus::ChangesRequested,
        may_withdraw: matches!(
            c.status,
            ClaimStatus::Submitted | ClaimStatus::ChangesRequested
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "opportunities/subsidies.html")]
pub(super) struct SubsidiesPage {
    shell: Shell,
    has_person: bool,
    is_hr: bool,
    /// The certifications with their rate in words, and the cap.
    certifications: Vec<(String, String)>,
    cap: String,
    rules_lines: String,
    /// The caller's fiscal year, what is approved in it, and what is left.
    year: Option<(i32, String, String)>,
    mine: Vec<Row>,
    form: ClaimInput,
    editing: Option<i64>,
    errors: Vec<String>,
    /// HR: claims waiting for a decision, approved ones to pay, and the rest.
    waiting: Vec<Row>,
    to_pay: Vec<Row>,
    done: Vec<Row>,
    row_error: Option<(i64, String)>,
    page_error: Option<String>,
    /// HR's rules form as typed and its problems.
    rules_typed: Option<(String, String)>,
    rules_errors: Vec<String>,
    today: String,
}

fn rate_text(page: &Page, r: Rate) -> String {
    match r {
        Rate::Percent(p) => page.tf("subsidies.rate_percent", "n", p),
        Rate::Fixed(y) => page.tf("subsidies.rate_fixed", "n", yen(y)),
    }
}

fn problem_text(page: &Page, p: &ClaimProblem) -> String {
    let c = page.lang.catalog();
    match p {
        ClaimProblem::Missing { field } => page.tf(
            "subsidies.problem.missing",
            "field",
            page.t(&format!("subsidies.field.{field}")),
        ),
        ClaimProblem::NotEligible => page.t("subsidies.problem.not_eligible"),
        ClaimProblem::DateInvalid => page.t("subsidies.problem.date"),
        ClaimProblem::ExamInFuture => page.t("subsidies.problem.future"),
        ClaimProblem::FeeInvalid { max } => page.tf("subsidies.problem.fee", "n", yen(*max)),
        ClaimProblem::NoteTooLong { max } => page.tf("subsidies.problem.note_too_long", "n", max),
        ClaimProblem::CapReached { cap } => page.tf("subsidies.problem.cap", "n", yen(*cap)),
        ClaimProblem::Receipt { refusal } => c.format(
            &format!("subsidies.problem.receipt_{}", refusal.key()),
            &[("mb", &(domain::learning::MAX_RECEIPT_BYTES / 1024 / 1024))],
        ),
        ClaimProblem::ReceiptMissing => page.t("subsidies.problem.receipt_missing"),
    }
}

fn rules_problem_text(page: &Page, p: &RulesProblem) -> String {
    match p {
        RulesProblem::Line { line } => page.tf("subsidies.rules_error.line", "n", line),
        RulesProblem::Twice { line } => page.tf("subsidies.rules_error.twice", "n", line),
        RulesProblem::TooMany { max } => page.tf("subsidies.rules_error.too_many", "n", max),
        RulesProblem::CapInvalid => page.t("subsidies.rules_error.cap"),
    }
}

/// What the page shows beside the claims: a problem, the forms as typed.
#[derive(Default)]
struct Typed {
    form: ClaimInput,
    editing: Option<i64>,
    errors: Vec<String>,
    row_error: Option<(i64, String)>,
    rules: Option<(String, String)>,
    rules_errors: Vec<String>,
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    typed: Typed,
) -> Result<SubsidiesPage, AppError> {
    let caller = auth.caller(origin);
    let store = &state.store;
    let today = state.clock.today();
    let rules: SubsidyRules = store.subsidy_rules(auth.tenant()).await?;
    let mine: Vec<Row> = app::learning::my_claims(store, &caller)
        .await?
        .iter()
        .map(|c| row(page, c))
        .collect();
    let mut waiting = Vec::new();
    let mut to_pay = Vec::new();
    let mut done = Vec::new();
    for c in app::learning::all_claims(store, &caller).await? {
        if auth.actor.person_id == Some(c.person) {
            continue;
        }
        match c.status {
            ClaimStatus::Submitted => waiting.push(row(page, &c)),
            ClaimStatus::Approved => to_pay.push(row(page, &c)),
            _ => done.push(row(page, &c)),
        }
    }
    let year = app::learning::my_year(store, &caller, today)
        .await?
        .map(|(fy, used, cap)| (fy, yen(used), yen(cap.saturating_sub(used))));
    let page_error = typed.row_error.as_ref().and_then(|(id, words)| {
        let shown = waiting
            .iter()
            .chain(to_pay.iter())
            .chain(mine.iter())
            .any(|r: &Row| r.id == *id);
        (!shown).then(|| words.clone())
    });
    Ok(SubsidiesPage {
        shell: page.shell(Some(auth), "/opportunities"),
        has_person: auth.actor.person_id.is_some(),
        is_hr: auth.actor.has(domain::Role::Hr),
        certifications: rules
            .certifications
            .iter()
            .map(|c| (c.name.clone(), rate_text(page, c.rate)))
            .collect(),
        cap: yen(rules.cap_per_fy),
        rules_lines: rules.lines(),
        year,
        mine,
        form: typed.form,
        editing: typed.editing,
        errors: typed.errors,
        waiting,
        to_pay,
        done,
        row_error: typed.row_error,
        page_error,
        rules_typed: typed.rules,
        rules_errors: typed.rules_errors,
        today: today.to_string(),
    })
}

#[derive(serde::Deserialize, Default)]
pub(super) struct EditQuery {
    /// The caller's claim HR asked to change: the form starts from it.
    edit: Option<i64>,
}

/// GET /opportunities/subsidies[?edit=ID]
pub(super) async fn page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<EditQuery>,
) -> Result<SubsidiesPage, AppError> {
    let caller = auth.caller(&origin);
    let mut typed = Typed::default();
    if let Some(id) = q.edit {
        let c = app::learning::open_claim(&state.store, &caller, id).await?;
        if auth.actor.person_id == Some(c.person) && c.status == ClaimStatus::ChangesRequested {
            typed.form = ClaimInput {
                certification: c.claim.certification.clone(),
                exam_on: c.claim.exam_on.to_string(),
                fee: c.claim.fee_yen.to_string(),
                note: c.claim.note.clone(),
            };
            typed.editing = Some(id);
        }
    }
    render(&state, &page, &auth, &origin, typed).await
}

/// POST /subsidies (multipart: certification, exam_on, fee, note, receipt; `id` to send
/// a claim again) — all or nothing: a refused receipt records nothing and the form comes
/// back as typed.
pub(super) async fn claim(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let mut input = ClaimInput::default();
    let mut editing = None;
    let mut upload = Upload {
        name: String::new(),
        bytes: Vec::new(),
    };
    let mut too_large = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "receipt" {
            upload.name = field.file_name().unwrap_or("").trim().to_string();
            match field.bytes().await {
                Ok(b) => upload.bytes = b.to_vec(),
                Err(_) => too_large = true,
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "certification" => input.certification = value,
            "exam_on" => input.exam_on = value,
            "fee" => input.fee = value,
            "note" => input.note = value,
            "id" => editing = value.parse::<i64>().ok(),
            _ => {}
        }
    }
    let caller = auth.caller(&origin);
    let now = state.clock.now();
    let result = if too_large {
        Err(vec![ClaimProblem::Receipt {
            refusal: domain::programme::FileRefusal::TooLarge,
        }])
    } else {
        match editing {
            Some(id) => {
                let receipt =
                    (!upload.bytes.is_empty() || !upload.name.is_empty()).then_some(&upload);
                app::learning::resubmit_claim(&state.store, &caller, id, &input, receipt, now)
                    .await?
                    .map(|()| id)
            }
            None => app::learning::claim(&state.store, &caller, &input, &upload, now).await?,
        }
    };
    match result {
        Ok(_) => {
            set_flash(&page.session, "success", page.t("subsidies.claimed")).await?;
            Ok(Redirect::to("/opportunities/subsidies").into_response())
        }
        Err(problems) => {
            let errors = problems.iter().map(|p| problem_text(&page, p)).collect();
            let typed = Typed {
                form: input,
                editing,
                errors,
                ..Typed::default()
            };
            let p = render(&state, &page, &auth, &origin, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

async fn again(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    id: i64,
    words: String,
) -> Result<Response, AppError> {
    let typed = Typed {
        row_error: Some((id, words)),
        ..Typed::default()
    };
    let p = render(state, page, auth, origin, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// Tells the claimant their claim moved (what waits and a link; no amounts or reasons).
pub(super) async fn tell_claimant(
    state: &AppState,
    tenant: domain::TenantId,
    c: &StoredClaim,
) -> Result<(), store::StoreError> {
    if let Some((u, _)) = state.store.account_of_person(tenant, c.person).await? {
        super::applications::notify(
            state,
            tenant,
            u,
            "email.subsidy_changed",
            &format!("subsidy:{}:{}", c.id, c.status.key()),
            "/opportunities/subsidies",
        )
        .await?;
    }
    Ok(())
}

/// POST /subsidies/{id}/decision — HR: decision = approve | request_changes | refuse.
pub(super) async fn decide(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let decision = match form.get("decision") {
        "approve" => Decision::Approve,
        "request_changes" => Decision::RequestChanges,
        "refuse" => Decision::Refuse,
        _ => {
            let words = page.t("subsidies.decision_missing");
            return again(&state, &page, &auth, &origin, id, words).await;
        }
    };
    let now = state.clock.now();
    let r =
        app::learning::decide_claim(&state.store, &caller, id, decision, form.get("reason"), now)
            .await?;
    let key = match r {
        Ok(_) => {
            let c = app::learning::open_claim(&state.store, &caller, id).await?;
            tell_claimant(&state, auth.tenant(), &c).await?;
            set_flash(&page.session, "success", page.t("subsidies.decided")).await?;
            return Ok(Redirect::to("/opportunities/subsidies").into_response());
        }
        Err(NotDecided::Refused(DecisionRefusal::ReasonMissing)) => "subsidies.reason_missing",
        Err(NotDecided::Refused(DecisionRefusal::NotWaiting)) => "subsidies.not_waiting",
        Err(NotDecided::CapUsed) => "subsidies.cap_used",
    };
    again(&state, &page, &auth, &origin, id, page.t(key)).await
}

/// POST /subsidies/{id}/paid — HR records the payment day of an approved claim.
pub(super) async fn paid(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let r = app::learning::mark_paid(
        &state.store,
        &caller,
        id,
        form.get("paid_on"),
        state.clock.now(),
    )
    .await?;
    let key = match r {
        Ok(()) => {
            let c = app::learning::open_claim(&state.store, &caller, id).await?;
            tell_claimant(&state, auth.tenant(), &c).await?;
            set_flash(&page.session, "success", page.t("subsidies.paid_saved")).await?;
            return Ok(Redirect::to("/opportunities/subsidies").into_response());
        }
        Err(NotPaid::NotApproved) => "subsidies.paid_error.not_approved",
        Err(NotPaid::DateInvalid) => "subsidies.paid_error.date",
        Err(NotPaid::InFuture) => "subsidies.paid_error.future",
    };
    again(&state, &page, &auth, &origin, id, page.t(key)).await
}

/// POST /subsidies/{id}/withdraw — after a confirmation on the page.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    app::learning::withdraw_claim(&state.store, &caller, id, state.clock.now()).await?;
    set_flash(&page.session, "success", page.t("subsidies.withdrawn")).await?;
    Ok(Redirect::to("/opportunities/subsidies").into_response())
}

/// GET /subsidies/{id}/receipt — for the claimant and HR, with its checked type.
pub(super) async fn receipt(
    State(state): State<AppState>,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (name, content_type, bytes) =
        app::learning::receipt(&state.store, &auth.caller(&origin), id).await?;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{}", encoded.replace('+', "%20")),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".into(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// POST /subsidies/rules — HR sets the certifications (one a line) and the cap.
pub(super) async fn rules(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let (lines, cap) = (form.get("certifications"), form.get("cap"));
    match SubsidyRules::parse(lines, cap) {
        Ok(rules) => {
            app::learning::set_rules(&state.store, &caller, &rules).await?;
            set_flash(&page.session, "success", page.t("subsidies.rules_saved")).await?;
            Ok(Redirect::to("/opportunities/subsidies").into_response())
        }
        Err(problems) => {
            let typed = Typed {
                rules: Some((lines.to_string(), cap.to_string())),
                rules_errors: problems
                    .iter()
                    .map(|p| rules_problem_text(&page, p))
                    .collect(),
                ..Typed::default()
            };
            let p = render(&state, &page, &auth, &origin, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
