//! Interview scheduling (節目面談): about a month after training, each participant with their consultant.

use super::*;

/// A trained participant still to commit, and their interview.
#[derive(Debug, Clone)]
pub struct InterviewPlan {
    pub person: PersonId,
    pub number: String,
    pub name: String,
    /// The consultant assigned to them (担当), if any.
    pub consultant: Option<(UserId, String)>,
    /// Their next interview, already booked.
    pub booked: Option<DateTime<Utc>>,
    /// A free slot of their consultant about a month after training (Japan time).
    pub suggested: Option<chrono::NaiveDateTime>,
}

/// Interviews for everyone trained and not yet committed: booked ones as they are, a
/// suggested slot for the others (each consultant's suggestions never overlap).
pub async fn interview_plan(
    state: &AppState,
    tenant: TenantId,
    programme: &Programme,
    progress: &[(store::programmes::Participant, domain::programme::Progress)],
    sessions: &[TrainingSession],
) -> store::Result<Vec<InterviewPlan>> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let booked = state
        .store
        .scheduled_interviews(tenant, programme, &cal)
        .await?;
    let mut consultant_of: HashMap<i64, (UserId, String)> = HashMap::new();
    // Newest first: the first assignment seen per person is the current one.
    for a in state.store.assignments(tenant).await? {
        consultant_of
            .entry(a.person_id)
            .or_insert((UserId(a.consultant_user_id), a.consultant_name));
    }
    let today = state.clock.today();
    let mut busy: HashMap<UserId, Vec<(chrono::NaiveDateTime, i64)>> = HashMap::new();
    let mut out = Vec::new();
    for (p, pr) in progress {
        if p.left() || !pr.trained || pr.committed() {
            continue;
        }
        let consultant = consultant_of.get(&p.person.0).cloned();
        let booked_at = booked.get(&p.person.0).map(|(at, _)| *at);
        let mut suggested = None;
        if let (None, Some((cid, _))) = (booked_at, &consultant) {
            let trained_on = p
                .session
                .and_then(|s| sessions.iter().find(|x| x.id == s))
                .map(|s| jst(s.ends_at).date())
                .unwrap_or(today);
            let from = (trained_on
                + chrono::Duration::days(domain::programme::INTERVIEW_AFTER_TRAINING_DAYS))
            .max(today + chrono::Duration::days(1));
            let taken = match busy.get_mut(cid) {
                Some(b) => b,
                None => {
                    let start = from_jst(from.and_time(NaiveTime::MIN));
                    let rows = state
                        .store
                        .bookings_between(tenant, *cid, start, start + chrono::Duration::days(90))
                        .await?;
                    busy.entry(*cid).or_insert(
                        rows.into_iter()
                            .map(|(_, at, minutes)| (jst(at), minutes))
                            .collect(),
                    )
                }
            };
            suggested = domain::programme::suggest_slot(from, 60, taken);
            if let Some(at) = suggested {
                taken.push((at, 60));
            }
        }
        out.push(InterviewPlan {
            person: p.person,
            number: p.employee_number.clone(),
            name: p.name.clone(),
            consultant,
            booked: booked_at,
            suggested,
        });
    }
    Ok(out)
}

/// POST /programmes/{id}/interviews — books every suggested interview (HR books for the
/// consultant, through the same rules as any booking).
pub(super) async fn book_interviews(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load_open(&state, &auth, id).await?;
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let progress = state
        .store
        .programme_progress(tenant, &programme, &cal, state.clock.now())
        .await?;
    let sessions = state.store.training_sessions(tenant, id).await?;
    let plan = interview_plan(&state, tenant, &programme, &progress, &sessions).await?;
    let (mut booked, mut refused) = (0, 0);
    for p in &plan {
        let (Some(at), Some((consultant, _))) = (p.suggested, &p.consultant) else {
            continue;
        };
        let req = app::dialogues::BookingRequest {
            kind: domain::dialogue::DialogueKind::MilestoneInterview,
            subject: p.person,
            facilitator: *consultant,
            start: at,
            duration_minutes: 60,
            place: page.t("programme.interview_place"),
            cadence: None,
            count: 1,
            confirmed: true,
        };
        match app::dialogues::book(&state.store, &auth.actor, state.clock.now(), &req).await? {
            app::dialogues::BookingOutcome::Booked(_) => booked += 1,
            _ => refused += 1,
        }
    }
    let mut text = page.tf("programme.interviews_booked", "n", booked);
    if refused > 0 {
        text.push(' ');
        text += &page.tf("programme.interviews_refused", "n", refused);
    }
    set_flash(
        &page.session,
        if refused > 0 { "error" } else { "success" },
        text,
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#interviews")).into_response())
}
