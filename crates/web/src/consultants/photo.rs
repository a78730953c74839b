//! A consultant's profile photo: uploaded on their profile page (multipart, checked by
//! content — PNG, JPEG or WebP, at most 2 MB and 4,000 pixels a side), removed, and
//! served to whoever may read the profile.

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::{AppState, Origin};
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::UserId;

/// POST /consultant/photo (multipart: `photo`) — replaces the consultant's own photo.
pub async fn upload(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    // Asked first, so that nobody else learns what the form would say.
    app::consultants::my_profile(&state.store, &caller).await?;
    let mut bytes = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| AppError::bad_request())?
    {
        if field.name() == Some("photo") {
            bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::bad_request())?
                .to_vec();
        }
    }
    let (kind, text) = match app::consultants::save_photo(&state.store, &caller, &bytes).await? {
        Ok(()) => ("success", page.t("consultant.photo_saved")),
        Err(r) => (
            "error",
            page.t(&format!("consultant.photo_error.{}", r.key())),
        ),
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to("/consultant/profile#photo").into_response())
}

/// POST /consultant/photo/remove — removes the consultant's own photo.
pub async fn remove(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Redirect, AppError> {
    app::consultants::remove_photo(&state.store, &auth.caller(&origin)).await?;
    set_flash(&page.session, "success", page.t("consultant.photo_removed")).await?;
    Ok(Redirect::to("/consultant/profile#photo"))
}

/// GET /consultants/{id}/photo — the photo, as stored and checked; never sniffed.
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (kind, bytes) =
        app::consultants::photo_of(&state.store, &auth.caller(&Origin::default()), UserId(id))
            .await?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
