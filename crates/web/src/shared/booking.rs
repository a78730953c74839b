//! How a booking's warnings and refusals are said: the booking form, the API and the
//! answer to an employee's request all book through `app::dialogues::book`.

use crate::shared::auth::Page;
use domain::dialogue::ScheduleWarning;
use domain::policy::ScheduleRefusal;

pub fn warning_text(page: &Page, w: &ScheduleWarning) -> String {
    match w {
        ScheduleWarning::InThePast => page.t("dialogue.warn_past"),
        ScheduleWarning::Overlaps { starts_at, .. } => page.tf(
            "dialogue.warn_overlap",
            "at",
            starts_at.format("%Y-%m-%d %H:%M"),
        ),
    }
}

pub fn refusal_key(r: ScheduleRefusal) -> &'static str {
    match r {
        ScheduleRefusal::NotYours => "dialogue.refused.not_yours",
        ScheduleRefusal::WithThemselves => "dialogue.refused.with_themselves",
        ScheduleRefusal::ConsultantNotAssigned => "dialogue.refused.not_assigned",
        ScheduleRefusal::NotInReportingLine => "dialogue.refused.not_in_line",
        ScheduleRefusal::SameReportingLine => "dialogue.refused.same_line",
        ScheduleRefusal::NotAMentor => "dialogue.refused.not_a_mentor",
        ScheduleRefusal::NoPerson => "dialogue.refused.no_person",
        ScheduleRefusal::NotPaired => "dialogue.refused.not_paired",
    }
}
