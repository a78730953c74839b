//! 招待 (`/invitations/{secret}`): someone whose account was made for them — a consultant
//! HR invited — opens the link from their e-mail and sets their own password, under the
//! rule the page states. The link works once and expires; a used or expired link says so
//! and who can send a new one. No sign-in is needed: the link is the credential.

use crate::shared::auth::{Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData};
use app::consultants::InvitationState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/invitations/{secret}", get(page).post(accept))
}

#[derive(Template, WebTemplate)]
#[template(path = "invitations/accept.html")]
pub struct AcceptPage {
    shell: Shell,
    /// (name, e-mail, until when) while the link works.
    open: Option<(String, String, String)>,
    error: Option<String>,
    min_chars: usize,
}

async fn render(
    state: &AppState,
    page: &Page,
    secret: &str,
    error: Option<String>,
) -> Result<AcceptPage, AppError> {
    let open =
        match app::consultants::open_invitation(&state.store, secret, state.clock.now()).await? {
            InvitationState::Open(i) => Some((i.name, i.email, when(i.expires_at))),
            InvitationState::Gone => None,
        };
    Ok(AcceptPage {
        shell: page.shell(None, ""),
        open,
        error,
        min_chars: domain::values::MIN_PASSWORD_CHARS,
    })
}

/// GET /invitations/{secret} — the form, or why the link no longer works.
async fn page(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let p = render(&state, &page, &secret, None).await?;
    let status = if p.open.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok((status, p).into_response())
}

/// POST /invitations/{secret} — sets the password; then to the sign-in page.
async fn accept(
    State(state): State<AppState>,
    page: Page,
    Path(secret): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let tenant = match app::consultants::open_invitation(&state.store, &secret, now).await? {
        InvitationState::Open(i) => Some(i.tenant),
        InvitationState::Gone => None,
    };
    match app::consultants::accept_invitation(
        &state.store,
        &secret,
        form.get("password"),
        form.get("password_again"),
        now,
    )
    .await?
    {
        Ok(()) => {
            let code = match tenant {
                Some(t) => state.store.tenant(t).await?.slug,
                None => String::new(),
            };
            set_flash(
                &page.session,
                "success",
                page.tf("invitation.done", "code", code),
            )
            .await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(problem) => {
            let p = render(
                &state,
                &page,
                &secret,
                Some(page.tf(
                    &format!("invitation.error.{problem}"),
                    "n",
                    domain::values::MIN_PASSWORD_CHARS,
                )),
            )
            .await?;
            let status = if p.open.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::GONE
            };
            Ok((status, p).into_response())
        }
    }
}
