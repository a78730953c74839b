//! まとめて割り当てる: HR pastes employee numbers (from Excel, one per line or separated by
//! commas or spaces) and assigns them to one consultant, or lets the product spread them
//! over the consultants with the fewest clients first. Every person is checked against
//! the policy before anyone is assigned; any problem assigns nobody.

use super::*;
use std::collections::HashMap;

/// At most this many people in one bulk assignment.
pub(super) const MAX_BULK: usize = 1000;

/// POST /assignments/bulk
pub(super) async fn assign_bulk(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    may_manage(&auth)?;
    let tenant = auth.tenant();
    let choice = form.get("consultant").trim().to_string();
    let typed = form.get("numbers").to_string();
    let numbers: Vec<&str> = typed
        .split(|c: char| c == ',' || c == '、' || c.is_whitespace())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let mut problems = Vec::new();
    if numbers.is_empty() {
        problems.push(page.t("assignments.bulk.error.empty"));
    }
    if numbers.len() > MAX_BULK {
        problems.push(page.tf("assignments.bulk.error.too_many", "n", MAX_BULK));
    }
    // The consultants to choose from, with how many clients each has now.
    let users: Vec<store::users::User> = state
        .store
        .list_users(tenant)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.roles.contains(Role::Consultant))
        .collect();
    let mut load: HashMap<UserId, usize> = users.iter().map(|u| (u.id, 0)).collect();
    for a in state.store.assignments(tenant).await? {
        if let Some(n) = load.get_mut(&UserId(a.consultant_user_id)) {
            *n += 1;
        }
    }
    let fixed = if choice == "auto" {
        None
    } else {
        match users.iter().find(|u| u.email == choice) {
            Some(u) => Some(u.clone()),
            None => {
                problems.push(page.t("assignments.error.no_consultant"));
                None
            }
        }
    };
    if users.is_empty() {
        problems.push(page.t("assignments.bulk.error.no_consultants"));
    }
    let mut plan: Vec<(store::users::User, store::people::Person)> = Vec::new();
    if problems.is_empty() {
        let mut seen = std::collections::HashSet::new();
        for (i, number) in numbers.iter().enumerate() {
            let say = |what: String| {
                page.lang.catalog().format(
                    "assignments.bulk.line",
                    &[("n", &(i + 1)), ("number", number), ("problem", &what)],
                )
            };
            if !seen.insert(*number) {
                problems.push(say(page.t("assignments.bulk.error.twice")));
                continue;
            }
            let Some(person) = state
                .store
                .person_by_number(tenant, number)
                .await?
                .filter(|p| p.status != domain::PersonStatus::Left)
            else {
                problems.push(say(page.t("assignments.error.no_person")));
                continue;
            };
            let subject = PersonId(person.id);
            let candidates: Vec<&store::users::User> = match &fixed {
                Some(u) => vec![u],
                None => {
                    let mut c: Vec<&store::users::User> = users.iter().collect();
                    c.sort_by_key(|u| (load.get(&u.id).copied().unwrap_or(0), u.id));
                    c
                }
            };
            let mut chosen = None;
            let mut last_refusal = None;
            for c in candidates {
                if state.store.is_assigned(tenant, c.id, subject).await? {
                    last_refusal = Some(page.t("assignments.error.already"));
                    continue;
                }
                let facts = assignment_facts(&state, &auth, c, subject).await?;
                match policy::may_assign_consultant(&auth.actor, &facts) {
                    Ok(()) => {
                        chosen = Some(c.clone());
                        break;
                    }
                    Err(r) => last_refusal = Some(refusal_text(&page, r)),
                }
            }
            match chosen {
                Some(c) => {
                    *load.entry(c.id).or_insert(0) += 1;
                    plan.push((c, person));
                }
                None => {
                    problems
                        .push(say(last_refusal
                            .unwrap_or_else(|| page.t("assignments.error.no_consultant"))))
                }
            }
        }
    }
    if !problems.is_empty() {
        let mut p = render(&state, &page, &auth, ("", ""), None).await?;
        p.bulk = (choice, typed);
        p.bulk_errors = problems;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let mut per: Vec<(String, usize)> = Vec::new();
    for (c, person) in &plan {
        match state
            .store
            .assign_consultant(tenant, c.id, PersonId(person.id), auth.user.id)
            .await
        {
            // Assigned a moment ago by someone else: nothing to do.
            Ok(()) | Err(store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        auth.audit(
            &state,
            &origin,
            NewAuditEntry::new(Some(tenant), AuditAction::AssignmentChanged)
                .target("person", person.id)
                .detail(domain::audit::detail(
                    "assigned_bulk",
                    &[("email", &c.email)],
                )),
        )
        .await?;
        match per.iter_mut().find(|(n, _)| *n == c.name) {
            Some((_, k)) => *k += 1,
            None => per.push((c.name.clone(), 1)),
        }
    }
    let breakdown = per
        .iter()
        .map(|(name, k)| {
            page.lang
                .catalog()
                .format("assignments.bulk.each", &[("name", name), ("n", k)])
        })
        .collect::<Vec<_>>()
        .join("、");
    let done = page.lang.catalog().format(
        "assignments.bulk.done",
        &[("n", &plan.len()), ("breakdown", &breakdown)],
    );
    set_flash(&page.session, "success", done).await?;
    Ok(Redirect::to("/assignments").into_response())
}
