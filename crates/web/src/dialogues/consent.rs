//! The employee's consent (同意) to feedback for their manager: given or refused by the
//! employee on their own page, or recorded by the consultant as agreed in the session —
//! which permits nothing until the employee confirms it; withdrawn by either — after
//! sending, withdrawing retracts the report from the manager.

use super::*;
use domain::dialogue::ConsentChange;

/// Appends a consent event and audits the change: consent is never changed silently.
/// True when a withdrawal retracted a report already sent.
pub(super) async fn change_consent(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    d: &Dialogue,
    event: ConsentChange,
    withheld: &str,
) -> Result<bool, AppError> {
    let retracted = state
        .store
        .record_consent(auth.tenant(), d.id, event, withheld, auth.user.id)
        .await?;
    let key = match (auth.actor.person_id == Some(d.subject), retracted) {
        (true, false) => "consent_subject",
        (true, true) => "consent_subject_retracted",
        (false, false) => "consent_recorded",
        (false, true) => "consent_recorded_retracted",
    };
    let detail = domain::audit::detail(key, &[("event", &event.key())]);
    auth.audit(
        state,
        origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::ConsentChanged)
            .target("dialogue", d.id)
            .detail(detail),
    )
    .await?;
    Ok(retracted)
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
    change_consent(&state, &auth, &origin, &d, event, &withheld).await?;
    let by_subject = auth.actor.person_id == Some(d.subject);
    if !by_subject {
        ask_to_confirm(&state, &auth, &d).await?;
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
async fn ask_to_confirm(state: &AppState, auth: &Auth, d: &Dialogue) -> Result<(), AppError> {
    let Some((_, to)) = state
        .store
        .account_of_person(auth.tenant(), d.subject)
        .await?
    else {
        return Ok(());
    };
    let queued = crate::shared::email::send_notice(
        state,
        auth.tenant(),
        format!("consent-confirm-{}-{}", d.id, state.clock.now().timestamp()),
        to,
        "email.consent_confirm",
        &[("from", &auth.user.name)],
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
    let events = state.store.consent_events(auth.tenant(), d.id).await?;
    if !consent_in_force(&events).is_some_and(|c| c.awaits_confirmation()) {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.consent.nothing_to_confirm"),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "confirm").await;
    }
    change_consent(&state, &auth, &origin, &d, ConsentChange::Confirmed, "").await?;
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
    let events = state.store.consent_events(auth.tenant(), d.id).await?;
    if !consent_in_force(&events).is_some_and(|c| c.given()) {
        set_flash(
            &page.session,
            "error",
            page.t("dialogue.consent.nothing_to_withdraw"),
        )
        .await?;
        return saved(&state, &page, &auth, &origin, id, &raw, "withdraw").await;
    }
    let retracted =
        change_consent(&state, &auth, &origin, &d, ConsentChange::Withdrawn, "").await?;
    set_flash(
        &page.session,
        "success",
        page.t(if retracted {
            "dialogue.consent.withdrawn_retracted"
        } else {
            "dialogue.consent.withdrawn"
        }),
    )
    .await?;
    saved(&state, &page, &auth, &origin, id, &raw, "withdraw").await
}
