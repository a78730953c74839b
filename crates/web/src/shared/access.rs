//! Turning the policy's answer into an HTTP answer.

use super::auth::Auth;
use super::error::AppError;
use domain::policy::{self, Action};

/// Asks the policy; a refusal becomes a 403 page.
pub fn allow(auth: &Auth, action: Action) -> Result<(), AppError> {
    policy::authorize(&auth.actor, action).map_err(|reason| {
        tracing::info!(user.id = %auth.actor.user_id, ?action, ?reason, "access denied");
        AppError::forbidden()
    })
}

/// A check already made (a role in a dialogue, a participant of a programme): `false`
/// becomes a 403 page.
pub fn need(ok: bool) -> Result<(), AppError> {
    if ok {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// What the audit log leaves out for this reader: the applications to internal postings
/// the FA declarations, side jobs, subsidy claims and course completions the policy hides from them (their own report's, above all).
pub async fn hidden_targets(
    state: &crate::AppState,
    caller: &app::Caller,
) -> Result<Vec<(&'static str, Vec<i64>)>, app::Error> {
    let today = state.clock.today();
    let (claims, completions) = app::learning::hidden_from(&state.store, caller).await?;
    Ok(vec![
        (
            "application",
            app::postings::hidden_from(&state.store, caller).await?,
        ),
        (
            "fa_declaration",
            app::fa::hidden_from(&state.store, caller, today).await?,
        ),
        (
            "side_job",
            app::side_jobs::hidden_from(&state.store, caller).await?,
        ),
        ("subsidy_claim", claims),
        ("completion", completions),
    ])
}
