//! HR invites a consultant (招待): the account is made for them and an e-mail carries a
//! link with which they set their own password; HR may send it again while they have
//! none. The rules are `app::consultants::invite` over `domain::policy`.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, FormData, Origin};
use app::consultants::{Invitation, InviteProblem};
use axum::extract::{Path, State};
use axum::response::Redirect;
use domain::UserId;

async fn send(state: &AppState, auth: &Auth, i: &Invitation) -> Result<(), AppError> {
    // A link that sets a password: by e-mail only, never an in-app notice.
    let mail = crate::shared::email::compose_link(
        &state.config.public_url,
        i.email.clone(),
        "email.invitation",
        &[
            ("name", &i.name),
            ("days", &store::invitations::VALID_FOR_DAYS),
        ],
        &format!("/invitations/{}", i.secret),
    );
    let now = state.clock.now();
    let job = store::jobs::NewJob::email(
        auth.tenant(),
        format!("email.invitation-{}", &i.secret[..12]),
        &mail,
        now,
    )?;
    state.store.enqueue_jobs(&[job], now).await?;
    Ok(())
}

async fn answer(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    outcome: Result<Invitation, InviteProblem>,
) -> Result<Redirect, AppError> {
    match outcome {
        Ok(i) => {
            send(state, auth, &i).await?;
            let text = page.lang.catalog().format(
                "consultant.invite_sent",
                &[("name", &i.name), ("email", &i.email)],
            );
            set_flash(&page.session, "success", text).await?;
        }
        Err(p) => {
            set_flash(
                &page.session,
                "error",
                page.t(&format!("consultant.invite_error.{}", p.key())),
            )
            .await?;
        }
    }
    Ok(Redirect::to("/consultants#invite"))
}

/// POST /consultants/invite — HR invites a consultant by e-mail and name.
pub async fn invite(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Redirect, AppError> {
    let outcome = app::consultants::invite(
        &state.store,
        &auth.caller(&origin),
        form.get("email"),
        form.get("name"),
        state.clock.now(),
    )
    .await?;
    if outcome.is_err() {
        // Kept for the form, which shows it again as typed.
        page.session
            .insert("invite_typed", (form.get("email"), form.get("name")))
            .await
            .map_err(|e| AppError::internal("session", e))?;
    }
    answer(&state, &page, &auth, outcome).await
}

/// POST /consultants/{id}/invite — sends the invitation again.
pub async fn reinvite(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let outcome = app::consultants::reinvite(
        &state.store,
        &auth.caller(&origin),
        UserId(id),
        state.clock.now(),
    )
    .await?;
    answer(&state, &page, &auth, outcome).await
}
