//! Commitments (行動計画) across dialogues: which follow-ups are due.

use domain::commitment;
use store::commitments::Commitment;

/// The check-ins due today among these commitments, `grace_days` after each start.
pub fn due_check_ins(
    commitments: &[Commitment],
    grace_days: i64,
    today: chrono::NaiveDate,
) -> Vec<&Commitment> {
    commitments
        .iter()
        .filter(|c| commitment::check_in_due(c.starts_on, today, grace_days, c.status, c.counts()))
        .collect()
}
