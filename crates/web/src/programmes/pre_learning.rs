//! Pre-learning (事前学習): the text and a file (a short video, a PDF or a text).

use super::*;

/// POST /programmes/{id}/pre-learning (multipart: `text`, optional `file`) — all or
/// nothing: a refused file leaves the text unchanged too, and the form comes back as typed.
pub(super) async fn save_pre_learning(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    mut form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load_open(&state, &auth, id).await?;
    let (mut text, mut file_name, mut bytes) = (String::new(), String::new(), Vec::new());
    let mut too_large = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // A body over the limit ends the stream early.
            Err(_) => {
                too_large = true;
                break;
            }
        };
        match field.name() {
            Some("text") => text = field.text().await.unwrap_or_default(),
            Some("file") => {
                file_name = field.file_name().unwrap_or("").trim().to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => too_large = true,
                }
            }
            _ => {}
        }
    }
    let refused = if too_large {
        Some(domain::programme::FileRefusal::TooLarge)
    } else if file_name.is_empty() && bytes.is_empty() {
        None
    } else {
        domain::programme::pre_learning_kind(&file_name, &bytes).err()
    };
    if let Some(r) = refused {
        let error = page.lang.catalog().format(
            &format!("programme.file.{}", r.key()),
            &[
                ("name", &file_name),
                (
                    "mb",
                    &(domain::programme::MAX_PRE_LEARNING_BYTES / 1024 / 1024),
                ),
            ],
        );
        let p = render_detail(
            &state,
            &page,
            &auth,
            programme,
            Typed {
                pre_learning: Some((text, error)),
                ..Typed::default()
            },
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    state
        .store
        .set_pre_learning_text(tenant, id, text.trim())
        .await?;
    if !bytes.is_empty() {
        let kind = domain::programme::pre_learning_kind(&file_name, &bytes)
            .map_err(|_| AppError::bad_request())?;
        state
            .store
            .set_pre_learning_file(
                tenant,
                id,
                &file_name,
                kind,
                bytes,
                auth.user.id,
                state.clock.now(),
            )
            .await?;
    }
    set_flash(
        &page.session,
        "success",
        page.t("programme.pre_learning_saved"),
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#pre-learning")).into_response())
}

/// POST /programmes/{id}/pre-learning/remove
pub(super) async fn remove_pre_learning_file(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    load_open(&state, &auth, id).await?;
    state
        .store
        .remove_pre_learning_file(auth.tenant(), id)
        .await?;
    set_flash(&page.session, "success", page.t("programme.file_removed")).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#pre-learning")).into_response())
}

/// GET /programmes/{id}/pre-learning/file — served to HR and to the programme's
/// participants, with its checked type (never guessed by the browser).
pub(super) async fn pre_learning_file(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let tenant = auth.tenant();
    let participant = match auth.actor.person_id {
        Some(me) => state.store.is_participant(tenant, id, me).await?,
        None => false,
    };
    allow(
        &auth,
        Action::ViewProgrammeMaterial {
            tenant,
            participant,
        },
    )?;
    let (info, bytes) = state
        .store
        .pre_learning_file(tenant, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let encoded: String = form_urlencoded::byte_serialize(info.file_name.as_bytes()).collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, info.content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{}", encoded.replace('+', "%20")),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=300".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
