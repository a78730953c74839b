//! The employee's consent (同意) to feedback for their manager: given or refused by the
//! employee on their own page, or recorded by the consultant as agreed in the session —
//! which permits nothing until the employee confirms it; withdrawn by either — after
//! sending, withdrawing retracts the report from the manager.

use super::*;
use domain::dialogue::ConsentChange;

/// Makes the change through `app::consent` (policy, audit); a refusal (nothing to
/// confirm or withdraw) is the flash `refused` names, and the section is shown again.
async fn change_consent(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    (d, role): (&Dialogue, DialogueRole),
    event: ConsentChange,
    withheld: &str,
) -> Result<Result<app::consent::Changed, app::consent::Refusal>, AppError> {
    Ok(app::consent::change(&state.store, &auth.caller(origin), d, role, event, withheld).await?)
}

/// POST /dialogues/{id}/consent — the consultant records the employee's answer and what
/// they ask to withhold from their manager.
pub(super) async fn record_consent(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let form = raw.scoped("consent");
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_record_consent(role) && d.kind.is_consultant_session())?;
    let event = match form.get("agreed") {
        "yes" => ConsentChange::Given,
        "no" => ConsentChange::Refused,
        _ => {
            return again(
                &state,
                &page,
                &auth,
                &origin,
                (&d, role),
                StatusCode::UNPROCESSABLE_ENTITY,
                Retry {
                    consent_error: Some(page.t("dialogue.error.consent_choice")),
                    ..Retry::keeping(&raw, "consent")
                },
            )
            .await;
        }
    };
    let Ok(withheld) = dialogue::parse_text(form.get("withheld"), MAX_WITHHELD_CHARS) else {
        return again(
            &state,
            &page,
            &auth,
            &origin,
            (&d, role),
            StatusCode::UNPROCESSABLE_ENTITY,
            Retry {
                consent_error: Some(page.tf("dialogue.error.too_long", "n", MAX_WITHHELD_CHARS)),
                ..Retry::keeping(&raw, "consent")
            },
        )
        .await;
    };
    let by_subject =
        match change_consent(&state, &auth, &origin, (&d, role), event, &withheld).await? {
            Ok(changed) => changed.by_subject,
            Err(_) => auth.actor.person_id == Some(d.subject),
        };
    if !by_subject {
        ask_to_confirm(&state, auth.tenant(), &auth.user.name, &d).await?;
    }
    set_flash(
        &page.session,
        "success",
        page.t(if by_subject {
            "dialogue.consent.recorded"
        } else {
            "dialogue.consent.recorded_to_confirm"
        }),
    )
    .await?;
    saved(&state, &page, &auth, &origin, id, &raw, "consent").await
}

/// Tells the employee that the consultant recorded their answer and it waits for them
/// (never what was recorded: the notice only points at the page).
pub(super) async fn ask_to_confirm(
    state: &AppState,
    tenant: domain::TenantId,
    from: &str,
    d: &Dialogue,
) -> Result<(), store::StoreError> {
    let Some((_, to)) = state.store.account_of_person(tenant, d.subject).await? else {
        return Ok(());
    };
    let queued = crate::shared::email::send_notice(
        state,
        tenant,
        format!("consent-confirm-{}-{}", d.id, state.clock.now().timestamp()),
        to,
        "email.consent_confirm",
        &[("from", &from)],
        &format!("/dialogues/{}#sec-consent", d.id),
    );
    queued.await?;
    Ok(())
}

/// POST /dialogues/{id}/consent/confirm — the employee confirms the answer the consultant
/// recorded for them; from then on it is theirs (and a report may be sent if they agreed).
pub(super) async fn confirm_consent(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_confirm_consent(role) && d.kind.is_consultant_session())?;
    let changed = change_consent(
        &state,
        &auth,
        &origin,
        (&d, role),
        ConsentChange::Confirmed,
        "",
    )
    .await?;
    if changed.is_err() {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.consent.nothing_to_confirm"),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "confirm").await;
    }
    set_flash(
        &page.session,
        "success",
        page.t("dialogue.consent.confirmed"),
    )
    .await?;
    saved(&state, &page, &auth, &origin, id, &raw, "confirm").await
}

/// POST /dialogues/{id}/consent/withdraw — the employee (or the consultant for them)
/// withdraws consent; from now on nothing may be fed back to the manager.
pub(super) async fn withdraw_consent(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let raw = form;
    let (d, role) = load(&state, &auth, id).await?;
    need(policy::may_withdraw_consent(role) && d.kind.is_consultant_session())?;
    let Ok(changed) = change_consent(
        &state,
        &auth,
        &origin,
        (&d, role),
        ConsentChange::Withdrawn,
        "",
    )
    .await?
    else {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.consent.nothing_to_withdraw"),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "withdraw").await;
    };
    set_flash(
        &page.session,
        "success",
        page.t(if changed.retracted {
            "dialogue.consent.withdrawn_retracted"
        } else {
            "dialogue.consent.withdrawn"
        }),
    )
    .await?;
    saved(&state, &page, &auth, &origin, id, &raw, "withdraw").await
}
