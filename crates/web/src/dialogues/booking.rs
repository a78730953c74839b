//! Booking a dialogue or a series: the form, the people it offers, warnings about a time in the past or over another dialogue, and the policy's refusals.

use super::*;

pub(crate) use app::dialogues::{BookingOutcome, BookingRequest};

/// Asks the policy, checks the time, and books (`app::dialogues::book`). Shared by the
/// page and the API.
pub(crate) async fn book_dialogues(
    state: &AppState,
    actor: &policy::Actor,
    req: &BookingRequest,
) -> Result<BookingOutcome, store::StoreError> {
    app::dialogues::book(&state.store, actor, state.clock.now(), req).await
}

/// A person the booking form offers.
pub struct Candidate {
    pub id: i64,
    pub label: String,
}

/// The booking form as typed.
#[derive(Default, Clone)]
pub struct BookingForm {
    pub kind: String,
    pub subject: String,
    pub subject_number: String,
    pub facilitator_email: String,
    pub date: String,
    pub time: String,
    pub duration: String,
    pub place: String,
    pub repeat: String,
    pub count: String,
}

impl BookingForm {
    fn from(form: &FormData) -> BookingForm {
        BookingForm {
            kind: form.get("kind").into(),
            subject: form.get("subject").into(),
            subject_number: form.get("subject_number").trim().into(),
            facilitator_email: form.get("facilitator_email").trim().into(),
            date: form.get("date").trim().into(),
            time: form.get("time").trim().into(),
            duration: form.get("duration").trim().into(),
            place: form.get("place").into(),
            repeat: form.get("repeat").into(),
            count: form.get("count").trim().into(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dialogues/new.html")]
pub(super) struct NewPage {
    pub(super) shell: Shell,
    pub(super) form: BookingForm,
    pub(super) kinds: Vec<(&'static str, String)>,
    pub(super) candidates: Vec<Candidate>,
    pub(super) may_book_for_others: bool,
    /// (field, message)
    pub(super) errors: Vec<(&'static str, String)>,
    pub(super) warnings: Vec<String>,
    pub(super) place_limit: usize,
    pub(super) max_count: u32,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The people the actor typically books with: a consultant's assigned people, a
/// manager's reporting line.
pub(super) async fn candidates(state: &AppState, auth: &Auth) -> Result<Vec<Candidate>, AppError> {
    let mut out = Vec::new();
    if auth.actor.has(Role::Consultant) {
        for p in state
            .store
            .assigned_people(auth.tenant(), auth.user.id)
            .await?
        {
            out.push(Candidate {
                id: p.person_id,
                label: format!("{}（{}）", p.name, p.employee_number),
            });
        }
    }
    if let (true, Some(me)) = (auth.actor.has(Role::Manager), auth.actor.person_id) {
        for (_, p) in state.store.reports_of(auth.tenant(), me).await? {
            if !out.iter().any(|c| c.id == p.id) {
                out.push(Candidate {
                    id: p.id,
                    label: format!("{}（{}）", p.name, p.employee_number),
                });
            }
        }
    }
    // The people one holds cross-department or mentor 1on1s with: pairs in force.
    for p in state
        .store
        .pairs_of(auth.tenant(), auth.user.id, None)
        .await?
    {
        if p.status == domain::pairing::PairStatus::Active
            && p.partner == auth.user.id
            && !out.iter().any(|c| c.id == p.subject.0)
        {
            out.push(Candidate {
                id: p.subject.0,
                label: format!("{}（{}）", p.subject_name, p.subject_number),
            });
        }
    }
    Ok(out)
}

/// Who may open the booking form at all: those who facilitate, and HR.
pub(super) fn may_book(auth: &Auth) -> bool {
    [Role::Consultant, Role::Manager, Role::Mentor, Role::Hr]
        .into_iter()
        .any(|r| auth.actor.has(r))
        || auth.actor.person_id.is_some()
}

pub(super) async fn render_new(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    form: BookingForm,
    errors: Vec<(&'static str, String)>,
    warnings: Vec<String>,
) -> Result<NewPage, AppError> {
    Ok(NewPage {
        shell: page.shell(Some(auth), "/dialogues"),
        form,
        kinds: DialogueKind::ALL
            .into_iter()
            .map(|k| (k.key(), page.t(&format!("dialogue.kind.{}", k.key()))))
            .collect(),
        candidates: candidates(state, auth).await?,
        may_book_for_others: auth.actor.has(Role::Hr),
        errors,
        warnings,
        place_limit: MAX_PLACE_CHARS,
        max_count: MAX_SERIES_COUNT,
    })
}

#[derive(serde::Deserialize)]
pub(super) struct NewQuery {
    pub(super) subject: Option<i64>,
    pub(super) kind: Option<String>,
}

/// GET /dialogues/new — the booking form.
pub(super) async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, AppError> {
    need(may_book(&auth))?;
    let tomorrow = state.clock.today() + chrono::Duration::days(1);
    let default_kind = if auth.actor.has(Role::Consultant) {
        DialogueKind::CareerInterview
    } else {
        DialogueKind::OneOnOne
    };
    let form = BookingForm {
        kind: q
            .kind
            .filter(|k| DialogueKind::parse(k).is_some())
            .unwrap_or_else(|| default_kind.key().into()),
        subject: q.subject.map(|s| s.to_string()).unwrap_or_default(),
        date: tomorrow.format("%Y-%m-%d").to_string(),
        time: "10:00".into(),
        duration: "60".into(),
        repeat: "none".into(),
        count: "6".into(),
        ..Default::default()
    };
    render_new(&state, &page, &auth, form, Vec::new(), Vec::new()).await
}

/// POST /dialogues — books, or shows the form again with what was typed and every problem.
pub(super) async fn book(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    need(may_book(&auth))?;
    let typed = BookingForm::from(&form);
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let kind = DialogueKind::parse(&typed.kind);
    if kind.is_none() {
        errors.push(("kind", page.t("dialogue.error.kind")));
    }
    let subject = if !typed.subject_number.is_empty() {
        state
            .store
            .person_by_number(auth.tenant(), &typed.subject_number)
            .await?
            .map(|p| PersonId(p.id))
    } else {
        match typed.subject.parse::<i64>() {
            Ok(id) => state
                .store
                .person(auth.tenant(), PersonId(id))
                .await?
                .map(|p| PersonId(p.id)),
            Err(_) => None,
        }
    };
    if subject.is_none() {
        errors.push(("subject", page.t("dialogue.error.subject")));
    }
    let facilitator = if typed.facilitator_email.is_empty() || !auth.actor.has(Role::Hr) {
        Some(auth.user.id)
    } else {
        match domain::EmailAddress::parse(&typed.facilitator_email) {
            Ok(e) => state
                .store
                .user_by_email(auth.tenant(), &e)
                .await?
                .filter(|u| !u.disabled)
                .map(|u| u.id),
            Err(_) => None,
        }
    };
    if facilitator.is_none() {
        errors.push(("facilitator_email", page.t("dialogue.error.facilitator")));
    }
    let date = NaiveDate::parse_from_str(&typed.date, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(("date", page.t("dialogue.error.date")));
    }
    let time = NaiveTime::parse_from_str(&typed.time, "%H:%M").ok();
    if time.is_none() {
        errors.push(("time", page.t("dialogue.error.time")));
    }
    let duration = typed
        .duration
        .parse::<u32>()
        .ok()
        .filter(|m| dialogue::DURATION_MINUTES.contains(m));
    if duration.is_none() {
        errors.push((
            "duration",
            page.lang.catalog().format(
                "dialogue.error.duration",
                &[
                    ("min", dialogue::DURATION_MINUTES.start()),
                    ("max", dialogue::DURATION_MINUTES.end()),
                ],
            ),
        ));
    }
    let place = match dialogue::parse_text(&typed.place, MAX_PLACE_CHARS) {
        Ok(p) => p,
        Err(_) => {
            errors.push((
                "place",
                page.tf("dialogue.error.too_long", "n", MAX_PLACE_CHARS),
            ));
            String::new()
        }
    };
    let cadence = Cadence::parse(&typed.repeat);
    let count = if cadence.is_some() {
        match typed.count.parse::<u32>() {
            Ok(n) if (2..=MAX_SERIES_COUNT).contains(&n) => n,
            _ => {
                errors.push((
                    "count",
                    page.tf("dialogue.error.count", "max", MAX_SERIES_COUNT),
                ));
                1
            }
        }
    } else {
        1
    };
    let (Some(kind), Some(subject), Some(facilitator), Some(date), Some(time), Some(duration)) =
        (kind, subject, facilitator, date, time, duration)
    else {
        let p = render_new(&state, &page, &auth, typed, errors, Vec::new()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    };
    if !errors.is_empty() {
        let p = render_new(&state, &page, &auth, typed, errors, Vec::new()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let req = BookingRequest {
        kind,
        subject,
        facilitator,
        start: date.and_time(time),
        duration_minutes: duration,
        place,
        cadence,
        count,
        confirmed: form.get("confirm") == "1",
    };
    match book_dialogues(&state, &auth.actor, &req).await? {
        BookingOutcome::Booked(ids) => {
            let first = ids.first().copied().ok_or_else(AppError::not_found)?;
            set_flash(
                &page.session,
                "success",
                if ids.len() > 1 {
                    page.tf("dialogue.booked_series", "n", ids.len())
                } else {
                    page.t("dialogue.booked")
                },
            )
            .await?;
            Ok(Redirect::to(&format!("/dialogues/{first}")).into_response())
        }
        BookingOutcome::Warn(ws) => {
            let warnings = ws.iter().map(|w| warning_text(&page, w)).collect();
            let p = render_new(&state, &page, &auth, typed, Vec::new(), warnings).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        BookingOutcome::Refused(r) => {
            let p = render_new(
                &state,
                &page,
                &auth,
                typed,
                vec![("kind", page.t(refusal_key(r)))],
                Vec::new(),
            )
            .await?;
            Ok((StatusCode::FORBIDDEN, p).into_response())
        }
    }
}
