//! Changing a programme: training sessions added or removed, placement by the button, pins and late joiners.

use super::*;

pub(super) fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(&domain::import::values::normalise(s), "%H:%M").ok()
}

/// POST /programmes/{id}/sessions — a session with an instructor who is free then.
pub(super) async fn add_session(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load_open(&state, &auth, id).await?;
    let typed = SessionForm {
        date: form.get("date").trim().to_string(),
        start: form.get("start").trim().to_string(),
        end: form.get("end").trim().to_string(),
        place: form.get("place").trim().to_string(),
        capacity: form.get("capacity").trim().to_string(),
        instructor: form.get("instructor").to_string(),
        style: form.get("style").to_string(),
    };
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(&typed.date, "%Y-%m-%d").ok();
    let (start, end) = (parse_time(&typed.start), parse_time(&typed.end));
    let when = match (date, start, end) {
        (Some(d), Some(a), Some(b)) if a < b => {
            Some((from_jst(d.and_time(a)), from_jst(d.and_time(b))))
        }
        (Some(_), Some(_), Some(_)) => {
            errors.push(page.t("programme.error.session_order"));
            None
        }
        _ => {
            errors.push(page.t("programme.error.session_time"));
            None
        }
    };
    if typed.place.is_empty() {
        errors.push(page.t("programme.error.place"));
    }
    let capacity = domain::import::values::normalise(&typed.capacity)
        .parse::<usize>()
        .ok()
        .filter(|c| (1..=500).contains(c));
    if capacity.is_none() {
        errors.push(page.t("programme.error.capacity"));
    }
    let instructor = typed.instructor.parse::<i64>().ok().map(UserId);
    let instructor_ok = match instructor {
        Some(u) => state
            .store
            .list_users(tenant)
            .await?
            .iter()
            .any(|x| x.id == u && x.roles.contains(Role::Instructor) && !x.disabled),
        None => false,
    };
    if !instructor_ok {
        errors.push(page.t("programme.error.instructor"));
    }
    let style = Style::parse(&typed.style);
    if style.is_none() {
        errors.push(page.t("programme.error.style"));
    }
    if let (Some((starts_at, ends_at)), Some(capacity), Some(instructor), Some(style), true) =
        (when, capacity, instructor, style, errors.is_empty())
    {
        let new = NewSession {
            starts_at,
            ends_at,
            place: typed.place.clone(),
            capacity,
            instructor,
            style,
        };
        match state.store.add_training_session(tenant, id, &new).await? {
            Ok(_) => {
                set_flash(&page.session, "success", page.t("programme.session_added")).await?;
                return Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response());
            }
            Err(other) => errors.push(page.lang.catalog().format(
                "programme.error.double_booked",
                &[
                    ("name", &other.instructor_name),
                    ("when", &fmt_when(&other)),
                ],
            )),
        }
    }
    let p = render_detail(
        &state,
        &page,
        &auth,
        programme,
        Typed {
            session: typed,
            session_errors: errors,
            ..Typed::default()
        },
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// POST /programmes/{id}/sessions/{sid}/delete — a session entered by mistake goes; its
/// people are unplaced (told how many) and can be placed again.
pub(super) async fn remove_session(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load_open(&state, &auth, id).await?;
    let placed = state
        .store
        .participants(tenant, id)
        .await?
        .iter()
        .filter(|p| p.session == Some(sid))
        .count();
    if !state.store.remove_training_session(tenant, id, sid).await? {
        return Err(AppError::not_found());
    }
    set_flash(
        &page.session,
        "success",
        page.tf("programme.session_removed", "n", placed),
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response())
}

/// POST /programmes/{id}/place — the placement button.
pub(super) async fn place(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let programme = load_open(&state, &auth, id).await?;
    let plan = plan(&state.store, tenant, &programme).await?;
    if plan.sessions.is_empty() {
        set_flash(
            &page.session,
            "error",
            page.t("programme.error.no_sessions"),
        )
        .await?;
        return Ok(Redirect::to(&format!("/programmes/{id}#sessions")).into_response());
    }
    let placement: Vec<store::programmes::Placement> = plan
        .people
        .iter()
        .map(|p| (p.person, p.session, p.group))
        .collect();
    state.store.save_placement(tenant, id, &placement).await?;
    let placed = plan.people.iter().filter(|p| p.session.is_some()).count();
    let mismatched = plan.people.iter().filter(|p| p.mismatched).count();
    let mut text = page.lang.catalog().format(
        "programme.placed",
        &[("placed", &placed), ("mismatched", &mismatched)],
    );
    if plan.unplaced > 0 {
        text.push(' ');
        text += &page.tf("programme.unplaced", "n", plan.unplaced);
    }
    let ungrouped: usize = plan.groups.iter().map(|g| g.without_anchors.len()).sum();
    if ungrouped > 0 {
        text.push(' ');
        text += &page.tf("programme.ungrouped", "n", ungrouped);
    }
    let kind = if plan.unplaced > 0 {
        "error"
    } else {
        "success"
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}

/// POST /programmes/{id}/pin — HR places someone by hand (kept by the button) or
/// releases them back to it.
pub(super) async fn pin(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load_open(&state, &auth, id).await?;
    let person = form
        .get("person")
        .parse::<i64>()
        .map(PersonId)
        .map_err(|_| AppError::bad_request())?;
    let session = match form.get("session") {
        "" => None,
        s => {
            let sid = s.parse::<i64>().map_err(|_| AppError::bad_request())?;
            let sessions = state.store.training_sessions(tenant, id).await?;
            let Some(target) = sessions.iter().find(|x| x.id == sid) else {
                return Err(AppError::bad_request());
            };
            let taken = state
                .store
                .participants(tenant, id)
                .await?
                .iter()
                .filter(|p| p.session == Some(sid) && p.person != person && !p.left())
                .count();
            if taken >= target.capacity {
                set_flash(
                    &page.session,
                    "error",
                    page.t("programme.error.session_full"),
                )
                .await?;
                return Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response());
            }
            Some(sid)
        }
    };
    match state
        .store
        .pin_participant(tenant, id, person, session)
        .await
    {
        Ok(()) => {}
        Err(store::StoreError::NotFound) => return Err(AppError::not_found()),
        Err(e) => return Err(e.into()),
    }
    set_flash(&page.session, "success", page.t("programme.pinned")).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}

/// POST /programmes/{id}/participants — a late joiner by employee number.
pub(super) async fn add_late_joiner(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    load_open(&state, &auth, id).await?;
    let number = domain::import::values::normalise(form.get("employee_number"));
    let (kind, text) = match state.store.person_by_number(tenant, &number).await? {
        None => (
            "error",
            page.tf("programme.error.no_person", "number", &number),
        ),
        Some(p) if p.status == domain::PersonStatus::Left => (
            "error",
            page.tf("programme.error.person_left", "number", &number),
        ),
        Some(p) => match state
            .store
            .add_participant(tenant, id, PersonId(p.id), state.clock.now())
            .await
        {
            Ok(()) => ("success", page.tf("programme.joined", "name", &p.name)),
            Err(store::StoreError::Conflict(_)) => (
                "error",
                page.tf("programme.error.already_in", "name", &p.name),
            ),
            Err(e) => return Err(e.into()),
        },
    };
    set_flash(&page.session, kind, text).await?;
    Ok(Redirect::to(&format!("/programmes/{id}#participants")).into_response())
}
