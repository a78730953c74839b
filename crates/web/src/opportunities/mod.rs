//! 機会 (opportunities to challenge): internal postings (社内公募). Employees browse and
//! search them, save them and apply (`postings`); the applicant follows their
//! application and the hiring side records each stage's outcome (`applications`); HR
//! exports them (`export`). FA declarations (社内FA, `fa`): an employee declares they are
//! open to a move; hiring managers elsewhere ask for an interview. Side jobs (副業・兼業,
//! `side_jobs`): an application under the company's rules, HR's decision, the report back.
//! Learning (学ぶ, `learning`): the course catalogue, completions and the notes on using
//! them at work; certification subsidies (資格取得支援, `subsidies`): claims with the
//! receipt, HR's decision, the payment. The rules are `app::postings` over `domain::posting` and
//! `domain::policy::application_view` — the applicant's current manager sees nothing of
//! an application before the posting's reveal stage.

pub mod api;
mod applications;
mod export;
mod fa;
pub mod fa_api;
mod learning;
pub mod learning_api;
mod postings;
mod side_jobs;
pub mod side_jobs_api;
mod subsidies;

use crate::AppState;
pub(crate) use crate::shared::applications::{progress_text, stage_name};
use crate::shared::auth::Page;
use axum::Router;
use axum::routing::{get, post};
use domain::posting::{ApplyRefusal, PostingProblem, StageRefusal};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/opportunities", get(postings::list))
        .route("/postings", post(postings::create))
        .route("/postings/new", get(postings::new_form))
        .route("/postings/export.xlsx", get(export::xlsx))
        .route("/postings/eligibility", post(postings::eligibility))
        .route(
            "/postings/{id}",
            get(postings::detail).post(postings::update),
        )
        .route("/postings/{id}/edit", get(postings::edit_form))
        .route("/postings/{id}/save", post(postings::save))
        .route("/postings/{id}/apply", post(postings::apply))
        .route("/postings/{id}/take-down", post(postings::take_down))
        .route("/applications/{id}", get(applications::page))
        .route("/applications/{id}/stage", post(applications::stage))
        .route("/applications/{id}/withdraw", post(applications::withdraw))
        .route("/opportunities/fa", get(fa::page))
        .route("/fa/declarations", post(fa::declare))
        .route("/fa/declarations/{id}/withdraw", post(fa::withdraw))
        .route("/fa/declarations/{id}/requests", post(fa::request))
        .route("/fa/requests/{id}/answer", post(fa::answer))
        .route("/opportunities/side-jobs", get(side_jobs::page))
        .route("/side-jobs", post(side_jobs::apply))
        .route("/side-jobs/rules", post(side_jobs::rules))
        .route("/side-jobs/{id}/decision", post(side_jobs::decide))
        .route("/side-jobs/{id}/withdraw", post(side_jobs::withdraw))
        .route("/side-jobs/{id}/report", post(side_jobs::report))
        .route("/opportunities/learning", get(learning::page))
        .route("/courses", post(learning::save_course))
        .route("/courses/{id}/retire", post(learning::retire))
        .route("/courses/{id}/complete", post(learning::complete))
        .route("/completions/{id}/use", post(learning::note_use))
        .route("/opportunities/subsidies", get(subsidies::page))
        .route(
            "/subsidies",
            post(subsidies::claim).layer(axum::extract::DefaultBodyLimit::max(
                domain::learning::MAX_RECEIPT_BYTES + 64 * 1024,
            )),
        )
        .route("/subsidies/rules", post(subsidies::rules))
        .route("/subsidies/{id}/decision", post(subsidies::decide))
        .route("/subsidies/{id}/paid", post(subsidies::paid))
        .route("/subsidies/{id}/withdraw", post(subsidies::withdraw))
        .route("/subsidies/{id}/receipt", get(subsidies::receipt))
}

/// Why someone may not apply, each in words with the rule named.
pub(crate) fn refusal_text(page: &Page, r: &ApplyRefusal) -> String {
    let c = page.lang.catalog();
    match r {
        ApplyRefusal::NotOpenYet { opens_on } => {
            page.tf("postings.refusal.not_open_yet", "date", opens_on)
        }
        ApplyRefusal::Closed { closed_on } => page.tf("postings.refusal.closed", "date", closed_on),
        ApplyRefusal::AlreadyApplied => page.t("postings.refusal.already_applied"),
        ApplyRefusal::OwnDepartment => page.t("postings.refusal.own_department"),
        ApplyRefusal::OwnManagerHires => page.t("postings.refusal.own_manager_hires"),
        ApplyRefusal::GradeNotEligible { grade, grades } => c.format(
            "postings.refusal.grade",
            &[
                (
                    "grade",
                    &if grade.is_empty() {
                        page.t("postings.no_grade")
                    } else {
                        grade.clone()
                    },
                ),
                ("grades", &grades.join("・")),
            ],
        ),
        ApplyRefusal::TooSoonInRole { months, required } => c.format(
            "postings.refusal.too_soon",
            &[("months", months), ("required", required)],
        ),
        ApplyRefusal::MotivationMissing => page.t("postings.refusal.motivation_missing"),
        ApplyRefusal::MotivationTooLong { max } => {
            page.tf("postings.refusal.motivation_too_long", "n", max)
        }
    }
}

/// What is wrong with a posting as typed: (the field it belongs to, the words).
pub(crate) fn problem_text(page: &Page, p: &PostingProblem) -> (&'static str, String) {
    let field = |f: &str| page.t(&format!("postings.field.{f}"));
    match p {
        PostingProblem::TitleMissing => ("title", page.t("postings.problem.title_missing")),
        PostingProblem::TitleTooLong { max } => {
            ("title", page.tf("postings.problem.too_long", "n", max))
        }
        PostingProblem::WorkMissing => ("work", page.t("postings.problem.work_missing")),
        PostingProblem::CriteriaMissing => {
            ("criteria", page.t("postings.problem.criteria_missing"))
        }
        PostingProblem::TextTooLong { field: f, max } => (
            f,
            page.lang.catalog().format(
                "postings.problem.text_too_long",
                &[("field", &field(f)), ("n", max)],
            ),
        ),
        PostingProblem::HeadcountInvalid { max } => {
            ("headcount", page.tf("postings.problem.headcount", "n", max))
        }
        PostingProblem::DateInvalid { field: f } => {
            (f, page.tf("postings.problem.date", "field", field(f)))
        }
        PostingProblem::ClosesBeforeOpens => {
            ("closes_on", page.t("postings.problem.closes_before_opens"))
        }
        PostingProblem::TooManyStages { max } => (
            "stages",
            page.tf("postings.problem.too_many_stages", "n", max),
        ),
        PostingProblem::StageTooLong { max } => (
            "stages",
            page.tf("postings.problem.stage_too_long", "n", max),
        ),
        PostingProblem::StageRepeated { stage } => (
            "stages",
            page.tf("postings.problem.stage_repeated", "stage", stage),
        ),
        PostingProblem::RevealStageUnknown { stage } => (
            "reveal_stage",
            page.tf("postings.problem.reveal_unknown", "stage", stage),
        ),
        PostingProblem::StagesFixed => ("stages", page.t("postings.problem.stages_fixed")),
    }
}

/// Why a stage's outcome was not recorded.
pub(crate) fn stage_refusal_text(page: &Page, stages: &[String], r: StageRefusal) -> String {
    match r {
        StageRefusal::OutOfOrder { current: Some(c) } => page.tf(
            "postings.stage_refusal.out_of_order",
            "stage",
            stage_name(page, stages, c),
        ),
        StageRefusal::OutOfOrder { current: None } => {
            page.t("postings.stage_refusal.changed_meanwhile")
        }
        StageRefusal::Finished => page.t("postings.stage_refusal.finished"),
        StageRefusal::ReasonMissing => page.t("postings.stage_refusal.reason_missing"),
    }
}
