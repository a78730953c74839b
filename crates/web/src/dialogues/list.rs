//! The facilitator's list of dialogues, their reports' dialogues for a manager, HR's bookings, and the follow-ups due.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "dialogues/list.html")]
pub(super) struct ListPage {
    pub(super) shell: Shell,
    pub(super) upcoming: Vec<Row>,
    pub(super) past: Vec<Row>,
    pub(super) booked: Vec<Row>,
    pub(super) is_hr: bool,
    pub(super) members: Vec<Row>,
    pub(super) is_manager: bool,
    pub(super) check_ins: Vec<CheckIn>,
}

/// GET /dialogues — 面談: the dialogues I hold (and, for HR, those I booked for others).
pub(super) async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ListPage, AppError> {
    need(may_book(&auth))?;
    let mine = state
        .store
        .dialogues_facilitated_by(auth.tenant(), auth.user.id)
        .await?;
    let now = state.clock.now();
    let (mut past, upcoming): (Vec<&Dialogue>, Vec<&Dialogue>) = mine
        .iter()
        .partition(|d| d.is_closed() || d.ends_at() < now);
    past.reverse();
    // A manager learns when their reports had dialogues with others (date and kind only).
    let mut of_members = Vec::new();
    if let (true, Some(me)) = (auth.actor.has(Role::Manager), auth.actor.person_id) {
        let line: Vec<PersonId> = state
            .store
            .reports_of(auth.tenant(), me)
            .await?
            .into_iter()
            .map(|(_, p)| PersonId(p.id))
            .collect();
        for d in state
            .store
            .dialogues_about_any(auth.tenant(), &line)
            .await?
        {
            if app::dialogues::role_in(&state.store, &auth.actor, &d).await?
                == DialogueRole::SubjectsManager
            {
                of_members.push(d);
            }
        }
        of_members.reverse();
    }
    // Follow-ups due on commitments made in my dialogues (始めましたか？).
    let recorded =
        app::commitments::recorded_by_me(&state.store, &auth.caller(&Origin::default())).await?;
    let mut check_ins = Vec::new();
    let grace = state.store.check_in_grace_days(auth.tenant()).await?;
    for c in app::commitments::due_check_ins(&recorded, grace, state.clock.today()) {
        let subject = mine
            .iter()
            .find(|d| d.id == c.dialogue_id)
            .map(|d| d.subject_name.clone())
            .unwrap_or_default();
        check_ins.push(CheckIn {
            dialogue_id: c.dialogue_id,
            action: c.content.action.clone(),
            starts_on: c.starts_on.to_string(),
            subject,
        });
    }
    let booked = if auth.actor.has(Role::Hr) {
        state
            .store
            .dialogues_booked_by(auth.tenant(), auth.user.id)
            .await?
    } else {
        Vec::new()
    };
    Ok(ListPage {
        shell: page.shell(Some(&auth), "/dialogues"),
        upcoming: upcoming.into_iter().map(|d| row(&page, d)).collect(),
        past: past.into_iter().map(|d| row(&page, d)).collect(),
        booked: booked.iter().map(|d| row(&page, d)).collect(),
        is_hr: auth.actor.has(Role::Hr),
        members: of_members.iter().map(|d| row(&page, d)).collect(),
        is_manager: auth.actor.has(Role::Manager),
        check_ins,
    })
}
