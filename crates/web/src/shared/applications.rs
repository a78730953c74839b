//! How an application to an internal posting (社内公募) is said: its stage's name and
//! where it stands — on the postings' pages and on a member's page alike.

use crate::shared::auth::Page;
use domain::posting::Progress;

/// A stage's name, or "stage n" when the posting has no such stage.
pub fn stage_name(page: &Page, stages: &[String], i: usize) -> String {
    stages
        .get(i)
        .cloned()
        .unwrap_or_else(|| page.tf("postings.stage_n", "n", i + 1))
}

/// Where an application stands, in words: (key for styling, text).
pub fn progress_text(page: &Page, stages: &[String], p: Progress) -> (&'static str, String) {
    match p {
        Progress::InStage { stage } => (
            "in_stage",
            page.tf(
                "postings.progress.in_stage",
                "stage",
                stage_name(page, stages, stage),
            ),
        ),
        Progress::Offered => ("offered", page.t("postings.progress.offered")),
        Progress::NotSelected { stage } => (
            "not_selected",
            page.tf(
                "postings.progress.not_selected",
                "stage",
                stage_name(page, stages, stage),
            ),
        ),
        Progress::Withdrawn { .. } => ("withdrawn", page.t("postings.progress.withdrawn")),
    }
}
