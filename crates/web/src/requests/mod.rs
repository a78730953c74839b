//! 依頼: the employee asks their manager for a 1on1 or their consultant for a career
//! interview with up to three proposed times; the addressee books one (through the
//! booking policy) or declines with a reason; the employee may withdraw it. The rules are
//! `app::requests` over `domain::policy::may_request` and its neighbours.

pub mod api;

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::{jst, when};
use crate::{AppState, FormData, Origin};
use app::requests::Answer;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::UserId;
use domain::policy::RequestRefusal;
use domain::request::{MAX_MESSAGE_CHARS, MAX_SLOTS, RequestKind, RequestStatus, SlotProblem};
use store::requests::Request;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list).post(send))
        .route("/requests/{id}/book", post(book))
        .route("/requests/{id}/decline", post(decline))
        .route("/requests/{id}/withdraw", post(withdraw))
}

/// A request as the page shows it.
pub struct RequestRow {
    pub id: i64,
    pub kind: String,
    /// The other person's name.
    pub other: String,
    pub status_key: &'static str,
    pub status: String,
    pub message: String,
    pub answer: String,
    /// (index, Japan time as shown)
    pub slots: Vec<(usize, String)>,
    pub sent: String,
    pub dialogue_id: Option<i64>,
    /// Booking that slot overlaps another dialogue: (slot index, warnings).
    pub warning: Option<(usize, Vec<String>)>,
}

/// The request form as typed.
#[derive(Default, Clone)]
pub struct RequestForm {
    /// `one_on_one` or `career_interview:<consultant user id>`
    pub to: String,
    pub dates: Vec<String>,
    pub times: Vec<String>,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/list.html")]
struct RequestsPage {
    shell: Shell,
    /// Someone in the employee master: may ask.
    may_ask: bool,
    manager: Option<String>,
    /// (user id, name)
    consultants: Vec<(i64, String)>,
    form: RequestForm,
    error: Option<String>,
    to_me: Vec<RequestRow>,
    mine: Vec<RequestRow>,
    message_limit: usize,
    today: String,
}

fn row(page: &Page, r: &Request, to_me: bool) -> RequestRow {
    RequestRow {
        id: r.id,
        kind: page.t(&format!("request.kind.{}", r.kind.key())),
        other: if to_me {
            r.requester_name.clone()
        } else {
            r.addressee_name.clone()
        },
        status_key: r.status.key(),
        status: page.t(&format!("request.status.{}", r.status.key())),
        message: r.message.clone(),
        answer: r.answer.clone(),
        slots: r
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.format("%Y-%m-%d %H:%M").to_string()))
            .collect(),
        sent: when(r.created_at),
        dialogue_id: r.dialogue_id,
        warning: None,
    }
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    form: RequestForm,
    error: Option<String>,
    warning: Option<(i64, usize, Vec<String>)>,
) -> Result<RequestsPage, AppError> {
    let caller = auth.caller(origin);
    let whom = app::requests::addressees(&state.store, &caller).await?;
    let mut to_me: Vec<RequestRow> = app::requests::to_me(&state.store, &caller, false)
        .await?
        .iter()
        .map(|r| row(page, r, true))
        .collect();
    // Waiting ones first.
    to_me.sort_by_key(|r| r.status_key != RequestStatus::Open.key());
    if let Some((id, slot, ws)) = warning {
        for r in to_me.iter_mut().filter(|r| r.id == id) {
            r.warning = Some((slot, ws.clone()));
        }
    }
    let mine = app::requests::mine(&state.store, &caller)
        .await?
        .iter()
        .map(|r| row(page, r, false))
        .collect();
    let mut form = form;
    form.dates.resize(MAX_SLOTS, String::new());
    form.times.resize(MAX_SLOTS, String::new());
    Ok(RequestsPage {
        shell: page.shell(Some(auth), "/requests"),
        may_ask: auth.actor.person_id.is_some(),
        manager: whom.manager.map(|(_, n)| n),
        consultants: whom
            .consultants
            .into_iter()
            .map(|(u, n)| (u.0, n))
            .collect(),
        form,
        error,
        to_me,
        mine,
        message_limit: MAX_MESSAGE_CHARS,
        today: state.clock.today().to_string(),
    })
}

/// GET /requests — ask for a 1on1 or an interview; answer the requests sent to me.
async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<RequestsPage, AppError> {
    render(
        &state,
        &page,
        &auth,
        &origin,
        RequestForm::default(),
        None,
        None,
    )
    .await
}

fn refusal_text(page: &Page, r: RequestRefusal) -> String {
    page.t(match r {
        RequestRefusal::NotAnEmployee => "request.refused.not_an_employee",
        RequestRefusal::NotYourManager => "request.refused.not_your_manager",
        RequestRefusal::ConsultantNotAssigned => "request.refused.not_assigned",
    })
}

/// POST /requests — sends a request, or shows the form again as typed with the problem.
async fn send(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let typed = RequestForm {
        to: form.get("to").into(),
        dates: (0..MAX_SLOTS)
            .map(|i| form.get(&format!("date{i}")).trim().to_string())
            .collect(),
        times: (0..MAX_SLOTS)
            .map(|i| form.get(&format!("time{i}")).trim().to_string())
            .collect(),
        message: form.get("message").into(),
    };
    let again = |error: String| {
        let typed = typed.clone();
        let (state, page, auth, origin) = (&state, &page, &auth, &origin);
        async move {
            let p = render(state, page, auth, origin, typed, Some(error), None).await?;
            Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    };
    let caller = auth.caller(&origin);
    let whom = app::requests::addressees(&state.store, &caller).await?;
    let (kind, addressee) = match typed.to.split_once(':') {
        None if typed.to == "one_on_one" => match &whom.manager {
            Some((u, _)) => (RequestKind::OneOnOne, *u),
            None => return again(page.t("request.error.no_manager")).await,
        },
        Some(("career_interview", id)) => match id.parse::<i64>() {
            Ok(id) => (RequestKind::CareerInterview, UserId(id)),
            Err(_) => return again(page.t("request.error.to")).await,
        },
        _ => return again(page.t("request.error.to")).await,
    };
    let pairs: Vec<(&str, &str)> = typed
        .dates
        .iter()
        .zip(typed.times.iter())
        .map(|(d, t)| (d.as_str(), t.as_str()))
        .collect();
    let slots = match domain::request::parse_slots(&pairs, jst(state.clock.now())) {
        Ok(s) => s,
        Err(p) => {
            return again(page.t(match p {
                SlotProblem::None => "request.error.no_slot",
                SlotProblem::Unreadable => "request.error.slot_unreadable",
                SlotProblem::Past => "request.error.slot_past",
                SlotProblem::Repeated => "request.error.slot_repeated",
            }))
            .await;
        }
    };
    let Ok(message) = domain::dialogue::parse_text(&typed.message, MAX_MESSAGE_CHARS) else {
        return again(page.tf("dialogue.error.too_long", "n", MAX_MESSAGE_CHARS)).await;
    };
    match app::requests::send(&state.store, &caller, kind, addressee, &slots, &message).await? {
        Ok(id) => {
            notify(&state, &auth, addressee, "email.request", id).await?;
            set_flash(&page.session, "success", page.t("request.sent")).await?;
            Ok(Redirect::to("/requests").into_response())
        }
        Err(r) => again(refusal_text(&page, r)).await,
    }
}

/// Tells someone by email that a request (or an answer) waits on /requests — never its
/// words.
async fn notify(
    state: &AppState,
    auth: &Auth,
    to: UserId,
    key: &str,
    id: i64,
) -> Result<(), AppError> {
    let user = state.store.user(auth.tenant(), to).await?;
    // The notice is composed here; only the queueing is awaited.
    let queued = crate::shared::email::send_notice(
        state,
        auth.tenant(),
        format!("{key}-{id}"),
        user.email,
        key,
        &[("from", &auth.user.name)],
        "/requests",
    );
    queued.await?;
    Ok(())
}

async fn notify_requester(state: &AppState, auth: &Auth, r: &Request) -> Result<(), AppError> {
    if let Some((u, _)) = state
        .store
        .account_of_person(auth.tenant(), r.requester)
        .await?
    {
        notify(state, auth, u, "email.request_answered", r.id).await?;
    }
    Ok(())
}

/// POST /requests/{id}/book — the addressee books one of the proposed times.
async fn book(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let slot = form
        .get("slot")
        .parse::<usize>()
        .map_err(|_| AppError::bad_request())?;
    let confirmed = form.get("confirm") == "1";
    match app::requests::book(
        &state.store,
        &caller,
        state.clock.now(),
        id,
        slot,
        confirmed,
    )
    .await?
    {
        Answer::Booked(d) => {
            let r = app::requests::open(&state.store, &caller, id).await?;
            notify_requester(&state, &auth, &r).await?;
            set_flash(&page.session, "success", page.t("request.booked")).await?;
            Ok(Redirect::to(&format!("/dialogues/{d}")).into_response())
        }
        Answer::Warn(ws) => {
            let texts = ws
                .iter()
                .map(|w| crate::shared::booking::warning_text(&page, w))
                .collect();
            let p = render(
                &state,
                &page,
                &auth,
                &origin,
                RequestForm::default(),
                None,
                Some((id, slot, texts)),
            )
            .await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Answer::Refused(r) => {
            set_flash(
                &page.session,
                "error",
                page.t(crate::shared::booking::refusal_key(r)),
            )
            .await?;
            Ok(Redirect::to("/requests").into_response())
        }
        Answer::AlreadySettled => {
            set_flash(&page.session, "info", page.t("request.already_settled")).await?;
            Ok(Redirect::to("/requests").into_response())
        }
    }
}

/// POST /requests/{id}/decline — the addressee declines, saying why.
async fn decline(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    let Ok(reason) = domain::dialogue::parse_text(form.get("reason"), MAX_MESSAGE_CHARS) else {
        set_flash(
            &page.session,
            "error",
            page.tf("dialogue.error.too_long", "n", MAX_MESSAGE_CHARS),
        )
        .await?;
        return Ok(Redirect::to("/requests").into_response());
    };
    if reason.is_empty() {
        // Make sure it is theirs to answer before saying anything about the form.
        let r = app::requests::open(&state.store, &caller, id).await?;
        crate::shared::access::need(r.addressee == auth.user.id)?;
        set_flash(&page.session, "error", page.t("request.error.reason")).await?;
        return Ok(Redirect::to("/requests").into_response());
    }
    let done = app::requests::decline(&state.store, &caller, id, &reason).await?;
    if done {
        let r = app::requests::open(&state.store, &caller, id).await?;
        notify_requester(&state, &auth, &r).await?;
    }
    let (kind, key) = if done {
        ("success", "request.declined")
    } else {
        ("info", "request.already_settled")
    };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/requests").into_response())
}

/// POST /requests/{id}/withdraw — the employee takes it back.
async fn withdraw(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let done = app::requests::withdraw(&state.store, &auth.caller(&origin), id).await?;
    let (kind, key) = if done {
        ("success", "request.withdrawn")
    } else {
        ("info", "request.already_settled")
    };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/requests"))
}
