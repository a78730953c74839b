//! アンケートと組織レポート: HR opens the 5-supports and satisfaction surveys, follows
//! participation, reminds those who have not answered and closes them (`manage`); the
//! people asked answer once on マイキャリア (`answer`); HR — and a manager for their own
//! unit — reads the organisation report once a survey closes, every cell decided by
//! `domain::anonymity` (`report`). The rules are `app::surveys`.

mod answer;
pub mod api;
mod export;
mod manage;
mod questions;
mod report;
mod themes;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(manage::list).post(manage::open))
        .route("/surveys/{id}", get(manage::detail))
        .route(
            "/surveys/questions/{kind}",
            get(questions::form).post(questions::save),
        )
        .route("/surveys/{id}/remind", post(manage::remind))
        .route("/surveys/{id}/close", post(manage::close))
        .route("/my/surveys", get(answer::mine))
        .route("/my/surveys/{id}", get(answer::form).post(answer::submit))
        .route("/org-report", get(report::page))
        .route("/org-report/themes", get(themes::page))
        .route("/org-report/export.xlsx", get(export::xlsx))
        .route("/org-report/export.pdf", get(export::pdf))
        .route("/surveys/themes", post(themes::add))
}

/// The survey's kind as the pages name it.
pub(crate) fn kind_label(page: &crate::shared::auth::Page, kind: domain::survey::Kind) -> String {
    page.t(&format!("surveys.kind.{}", kind.key()))
}

/// A report row's label as the pages, exports and the themes report name it.
pub(crate) fn row_label(page: &crate::shared::auth::Page, l: &app::surveys::RowLabel) -> String {
    use app::surveys::RowLabel;
    match l {
        RowLabel::Company => page.t("org_report.company"),
        RowLabel::Unit { name, .. } => name.clone(),
        RowLabel::Age { band } => page.t(&format!("org_report.age.{band}")),
        RowLabel::Grade { grade } if grade.is_empty() => page.t("org_report.no_grade"),
        RowLabel::Grade { grade } => grade.clone(),
    }
}
