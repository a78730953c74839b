//! ペア: the pairs cross-department and mentor 1on1s need. Each side sees their own pairs
//! and the invitations waiting on them; an employee invites a colleague (either
//! direction) or a mentor; the subject chooses which career-sheet sections the partner
//! sees; either side ends a pair. HR pairs people one by one or in bulk and sees every
//! pair. The rules are `app::pairs` over `domain::policy::may_pair` and its neighbours.

use crate::shared::access::{allow, need};
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use app::pairs::{Change, PairRequest};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::career_sheet::Section;
use domain::pairing::{MAX_MESSAGE_CHARS, PairKind, PairSide, PairStatus};
use domain::policy::{Action, PairRefusal, PairStart};
use domain::{EmailAddress, PersonId, Role, UserId};
use store::pairs::Pair;

pub mod api;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pairs", get(list).post(create))
        .route("/pairs/bulk", post(bulk))
        .route("/pairs/{id}/accept", post(accept))
        .route("/pairs/{id}/decline", post(decline))
        .route("/pairs/{id}/end", post(end))
        .route("/pairs/{id}/sections", post(sections))
}

/// At most this many lines in one bulk pairing.
const MAX_BULK_LINES: usize = 500;
/// HR's list shows at most this many pairs, newest first.
const HR_LIST_LIMIT: u64 = 300;

/// One pair as its page shows it.
pub struct PairRow {
    pub id: i64,
    pub kind: String,
    /// The other side's name (for HR: both, "partner → subject").
    pub other: String,
    /// What the viewer is in it: 相手役 / 本人 (empty for HR).
    pub my_side: String,
    pub status_key: &'static str,
    pub status: String,
    pub message: String,
    pub since: String,
    /// The chosen sections, named.
    pub shared: Vec<String>,
    /// The viewer is the subject and may change the sections: every section with
    /// whether it is chosen.
    pub choose: Option<Vec<(&'static str, String, bool)>>,
    /// The viewer must answer this invitation.
    pub answer: bool,
    /// Booking link for the partner of a pair in force.
    pub book: Option<String>,
    pub may_end: bool,
}

/// The invitation form as typed.
#[derive(Default, Clone)]
pub struct InviteForm {
    pub kind: String,
    /// `ask` (I am the subject) or `offer` (I hold the colleague's 1on1s).
    pub direction: String,
    pub number: String,
    pub mentor: String,
    pub message: String,
}

/// HR's pairing form as typed.
#[derive(Default, Clone)]
pub struct HrForm {
    pub kind: String,
    pub partner: String,
    pub subject: String,
    pub lines: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairs/list.html")]
struct PairsPage {
    shell: Shell,
    waiting: Vec<PairRow>,
    mine: Vec<PairRow>,
    /// The viewer is in the employee master and may invite.
    may_invite: bool,
    /// (user id, name) of the tenant's mentors.
    mentors: Vec<(i64, String)>,
    invite: InviteForm,
    invite_error: Option<String>,
    message_limit: usize,
    hr: bool,
    hr_form: HrForm,
    hr_error: Option<String>,
    /// Bulk problems, by line as typed.
    bulk_errors: Vec<String>,
    all: Vec<PairRow>,
    all_limit: u64,
    bulk_limit: usize,
}

fn kind_label(page: &Page, k: PairKind) -> String {
    page.t(&format!("pair.kind.{}", k.key()))
}

fn section_names(page: &Page, sections: &[Section]) -> Vec<String> {
    sections
        .iter()
        .map(|s| page.t(&format!("sheet.section.{}", s.key())))
        .collect()
}

fn row(page: &Page, caller: &app::Caller, p: &Pair, hr_view: bool) -> PairRow {
    // HR's list names both sides, whichever side HR may be of it.
    let side = if hr_view {
        None
    } else {
        app::pairs::side_of(caller, p)
    };
    let other = match side {
        Some(PairSide::Partner) => format!("{}（{}）", p.subject_name, p.subject_number),
        Some(PairSide::Subject) => p.partner_name.clone(),
        None => page.lang.catalog().format(
            "pair.between",
            &[("partner", &p.partner_name), ("subject", &p.subject_name)],
        ),
    };
    let open = p.status.is_open();
    PairRow {
        id: p.id,
        kind: kind_label(page, p.kind),
        other,
        my_side: match side {
            Some(PairSide::Partner) => page.t("pair.side.partner"),
            Some(PairSide::Subject) => page.t("pair.side.subject"),
            None => String::new(),
        },
        status_key: p.status.key(),
        status: match (p.status, p.awaiting, side) {
            (PairStatus::Invited, Some(a), Some(s)) if a == s => page.t("pair.status.awaiting_you"),
            (PairStatus::Invited, _, Some(_)) => page.t("pair.status.awaiting_them"),
            (s, _, _) => page.t(&format!("pair.status.{}", s.key())),
        },
        message: p.message.clone(),
        since: when(p.updated_at),
        shared: section_names(page, &p.sections),
        choose: (open && side == Some(PairSide::Subject) && !hr_view).then(|| {
            Section::ALL
                .into_iter()
                .map(|s| {
                    (
                        s.key(),
                        page.t(&format!("sheet.section.{}", s.key())),
                        p.sections.contains(&s),
                    )
                })
                .collect()
        }),
        answer: !hr_view
            && p.status == PairStatus::Invited
            && p.awaiting.is_some()
            && p.awaiting == side,
        book: (p.status == PairStatus::Active && side == Some(PairSide::Partner) && !hr_view).then(
            || {
                format!(
                    "/dialogues/new?kind={}&subject={}",
                    p.kind.dialogue_kind().key(),
                    p.subject.0
                )
            },
        ),
        may_end: open,
    }
}

async fn mentors(state: &AppState, auth: &Auth) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .list_users(auth.tenant())
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.roles.contains(Role::Mentor) && u.id != auth.user.id)
        .map(|u| (u.id.0, u.name))
        .collect())
}

fn is_hr(auth: &Auth) -> bool {
    domain::policy::authorize(
        &auth.actor,
        Action::ManagePairs {
            tenant: auth.tenant(),
        },
    )
    .is_ok()
}

struct Typed {
    invite: InviteForm,
    invite_error: Option<String>,
    hr_form: HrForm,
    hr_error: Option<String>,
    bulk_errors: Vec<String>,
}

impl Default for Typed {
    fn default() -> Self {
        Typed {
            invite: InviteForm {
                kind: PairKind::Cross.key().into(),
                direction: "ask".into(),
                ..Default::default()
            },
            invite_error: None,
            hr_form: HrForm {
                kind: PairKind::Cross.key().into(),
                ..Default::default()
            },
            hr_error: None,
            bulk_errors: Vec::new(),
        }
    }
}

async fn render(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    typed: Typed,
) -> Result<PairsPage, AppError> {
    let caller = auth.caller(origin);
    let mut waiting = Vec::new();
    let mut mine = Vec::new();
    for p in app::pairs::mine(&state.store, &caller).await? {
        let r = row(page, &caller, &p, false);
        if r.answer {
            waiting.push(r);
        } else {
            mine.push(r);
        }
    }
    let hr = is_hr(auth);
    let all = if hr {
        app::pairs::all(&state.store, &caller, true, HR_LIST_LIMIT)
            .await?
            .iter()
            .map(|p| row(page, &caller, p, true))
            .collect()
    } else {
        Vec::new()
    };
    Ok(PairsPage {
        shell: page.shell(Some(auth), "/pairs"),
        waiting,
        mine,
        may_invite: auth.actor.person_id.is_some(),
        mentors: mentors(state, auth).await?,
        invite: typed.invite,
        invite_error: typed.invite_error,
        message_limit: MAX_MESSAGE_CHARS,
        hr,
        hr_form: typed.hr_form,
        hr_error: typed.hr_error,
        bulk_errors: typed.bulk_errors,
        all,
        all_limit: HR_LIST_LIMIT,
        bulk_limit: MAX_BULK_LINES,
    })
}

/// GET /pairs — my pairs, the invitations waiting on me, the invitation form; for HR
/// every open pair and the pairing forms.
async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<PairsPage, AppError> {
    render(&state, &page, &auth, &origin, Typed::default()).await
}

fn refusal_text(page: &Page, r: PairRefusal) -> String {
    page.t(&format!("pair.refused.{}", r.key()))
}

/// A colleague by employee number: their person and their account (a colleague without
/// an account cannot hold or book anything yet).
async fn colleague(
    state: &AppState,
    auth: &Auth,
    number: &str,
) -> Result<Result<(PersonId, Option<UserId>), &'static str>, AppError> {
    let number = number.trim();
    if number.is_empty() {
        return Ok(Err("pair.error.number"));
    }
    let Some(p) = state
        .store
        .person_by_number(auth.tenant(), number)
        .await?
        .filter(|p| p.status != domain::PersonStatus::Left)
    else {
        return Ok(Err("pair.error.no_person"));
    };
    let account = state
        .store
        .account_of_person(auth.tenant(), PersonId(p.id))
        .await?
        .map(|(u, _)| u);
    Ok(Ok((PersonId(p.id), account)))
}

/// A partner by e-mail address or employee number (HR's forms).
async fn partner_by(
    state: &AppState,
    auth: &Auth,
    typed: &str,
) -> Result<Result<UserId, &'static str>, AppError> {
    let typed = typed.trim();
    if typed.contains('@') {
        let Ok(e) = EmailAddress::parse(typed) else {
            return Ok(Err("pair.error.partner"));
        };
        return Ok(state
            .store
            .user_by_email(auth.tenant(), &e)
            .await?
            .filter(|u| !u.disabled)
            .map(|u| u.id)
            .ok_or("pair.error.partner"));
    }
    Ok(match colleague(state, auth, typed).await? {
        Ok((_, Some(u))) => Ok(u),
        Ok((_, None)) => Err("pair.error.no_account"),
        Err(_) => Err("pair.error.partner"),
    })
}

fn message_of(form: &FormData) -> Result<String, ()> {
    domain::dialogue::parse_text(form.get("message"), MAX_MESSAGE_CHARS).map_err(|_| ())
}

/// POST /pairs — an invitation from a side, or (HR, `hr=1`) a pair made directly.
async fn create(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let mut typed = Typed::default();
    let hr_form = form.get("hr") == "1";
    let outcome = if hr_form {
        allow(
            &auth,
            Action::ManagePairs {
                tenant: auth.tenant(),
            },
        )?;
        typed.hr_form = HrForm {
            kind: form.get("kind").into(),
            partner: form.get("partner").trim().into(),
            subject: form.get("subject").trim().into(),
            lines: String::new(),
        };
        hr_request(&state, &auth, &typed.hr_form).await?
    } else {
        need(auth.actor.person_id.is_some())?;
        typed.invite = InviteForm {
            kind: form.get("kind").into(),
            direction: form.get("direction").into(),
            number: form.get("number").trim().into(),
            mentor: form.get("mentor").into(),
            message: form.get("message").into(),
        };
        invite_request(&state, &auth, &typed.invite, &form).await?
    };
    let req = match outcome {
        Ok(r) => r,
        Err(key) => {
            let text = page.t(key);
            if hr_form {
                typed.hr_error = Some(text);
            } else {
                typed.invite_error = Some(text);
            }
            let p = render(&state, &page, &auth, &origin, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    match app::pairs::request(&state.store, &auth.caller(&origin), &req).await? {
        Ok((pair, start)) => {
            if let PairStart::Invite { awaiting } = start {
                invitation_email(&state, &auth, &pair, awaiting).await?;
            }
            let key = match start {
                PairStart::Direct => "pair.paired",
                PairStart::Invite { .. } => "pair.invited",
            };
            set_flash(&page.session, "success", page.t(key)).await?;
            Ok(Redirect::to("/pairs").into_response())
        }
        Err(r) => {
            let text = refusal_text(&page, r);
            if hr_form {
                typed.hr_error = Some(text);
            } else {
                typed.invite_error = Some(text);
            }
            let p = render(&state, &page, &auth, &origin, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

async fn invite_request(
    state: &AppState,
    auth: &Auth,
    f: &InviteForm,
    form: &FormData,
) -> Result<Result<PairRequest, &'static str>, AppError> {
    let Some(me) = auth.actor.person_id else {
        return Ok(Err("pair.error.no_person"));
    };
    let Ok(message) = message_of(form) else {
        return Ok(Err("pair.error.message"));
    };
    Ok(match PairKind::parse(&f.kind) {
        Some(PairKind::Cross) => match colleague(state, auth, &f.number).await? {
            Err(k) => Err(k),
            Ok((person, account)) => match f.direction.as_str() {
                // I ask them to hold my 1on1s: they are the partner and need an account.
                "ask" => match account {
                    Some(u) => Ok(PairRequest {
                        kind: PairKind::Cross,
                        partner: u,
                        subject: me,
                        message,
                        programme: None,
                    }),
                    None => Err("pair.error.no_account"),
                },
                // I offer to hold theirs.
                "offer" => match account {
                    Some(_) => Ok(PairRequest {
                        kind: PairKind::Cross,
                        partner: auth.user.id,
                        subject: person,
                        message,
                        programme: None,
                    }),
                    None => Err("pair.error.no_account"),
                },
                _ => Err("pair.error.direction"),
            },
        },
        Some(PairKind::Mentor) => match f.mentor.parse::<i64>() {
            Ok(id) => Ok(PairRequest {
                kind: PairKind::Mentor,
                partner: UserId(id),
                subject: me,
                message,
                programme: None,
            }),
            Err(_) => Err("pair.error.mentor"),
        },
        None => Err("pair.error.kind"),
    })
}

async fn hr_request(
    state: &AppState,
    auth: &Auth,
    f: &HrForm,
) -> Result<Result<PairRequest, &'static str>, AppError> {
    let Some(kind) = PairKind::parse(&f.kind) else {
        return Ok(Err("pair.error.kind"));
    };
    let partner = match partner_by(state, auth, &f.partner).await? {
        Ok(u) => u,
        Err(k) => return Ok(Err(k)),
    };
    let subject = match colleague(state, auth, &f.subject).await? {
        Ok((p, _)) => p,
        Err(k) => return Ok(Err(k)),
    };
    Ok(Ok(PairRequest {
        kind,
        partner,
        subject,
        message: String::new(),
        programme: None,
    }))
}

/// Tells the invited side an invitation waits on their ペア page (never its message).
async fn invitation_email(
    state: &AppState,
    auth: &Auth,
    pair: &Pair,
    awaiting: PairSide,
) -> Result<(), AppError> {
    let to = match awaiting {
        PairSide::Partner => Some(state.store.user(auth.tenant(), pair.partner).await?.email),
        PairSide::Subject => state
            .store
            .account_of_person(auth.tenant(), pair.subject)
            .await?
            .map(|(_, e)| e),
    };
    let Some(to) = to else {
        return Ok(());
    };
    // The notice is composed here; only the queueing is awaited.
    let queued = crate::shared::email::send_notice(
        state,
        auth.tenant(),
        format!(
            "pair-invitation-{}-{}",
            pair.id,
            pair.created_at.timestamp()
        ),
        to,
        "email.pair_invitation",
        &[("from", &auth.user.name)],
        "/pairs",
    );
    queued.await?;
    Ok(())
}

/// POST /pairs/bulk — HR pairs many at once, one `partner,subject` per line (e-mail or
/// employee number, then employee number). All or nothing: any problem pairs nobody.
async fn bulk(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ManagePairs {
            tenant: auth.tenant(),
        },
    )?;
    let kind_typed = form.get("kind").to_string();
    let lines_typed = form.get("lines").to_string();
    let mut problems = Vec::new();
    let mut requests = Vec::new();
    let kind = PairKind::parse(&kind_typed);
    if kind.is_none() {
        problems.push(page.t("pair.error.kind"));
    }
    let lines: Vec<(usize, &str)> = lines_typed
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        problems.push(page.t("pair.error.bulk_empty"));
    }
    if lines.len() > MAX_BULK_LINES {
        problems.push(page.tf("pair.error.bulk_too_many", "n", MAX_BULK_LINES));
    }
    if let (Some(kind), true) = (kind, problems.is_empty()) {
        for (n, line) in &lines {
            let cells: Vec<&str> = line.split([',', '\t']).map(str::trim).collect();
            let say = |key: &str| {
                page.lang
                    .catalog()
                    .format("pair.bulk_line", &[("n", n), ("problem", &page.t(key))])
            };
            let [partner, subject] = cells[..] else {
                problems.push(say("pair.error.bulk_cells"));
                continue;
            };
            let f = HrForm {
                kind: kind.key().into(),
                partner: partner.into(),
                subject: subject.into(),
                lines: String::new(),
            };
            match hr_request(&state, &auth, &f).await? {
                Ok(r) => requests.push((*n, r)),
                Err(k) => problems.push(say(k)),
            }
        }
    }
    // Ask the policy about every line before pairing anyone.
    if problems.is_empty() {
        let mut seen = std::collections::HashSet::new();
        for (n, r) in &requests {
            if !seen.insert((r.partner, r.subject)) {
                problems.push(page.lang.catalog().format(
                    "pair.bulk_line",
                    &[("n", n), ("problem", &page.t("pair.refused.already"))],
                ));
                continue;
            }
            if let Err(refusal) = app::pairs::check(&state.store, &auth.caller(&origin), r).await? {
                problems.push(page.lang.catalog().format(
                    "pair.bulk_line",
                    &[("n", n), ("problem", &refusal_text(&page, refusal))],
                ));
            }
        }
    }
    if !problems.is_empty() {
        let typed = Typed {
            hr_form: HrForm {
                kind: kind_typed,
                lines: lines_typed,
                ..Default::default()
            },
            bulk_errors: problems,
            ..Default::default()
        };
        let p = render(&state, &page, &auth, &origin, typed).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let mut made = 0usize;
    for (_, r) in &requests {
        if app::pairs::request(&state.store, &auth.caller(&origin), r)
            .await?
            .is_ok()
        {
            made += 1;
        }
    }
    set_flash(
        &page.session,
        "success",
        page.tf("pair.bulk_done", "n", made),
    )
    .await?;
    Ok(Redirect::to("/pairs").into_response())
}

async fn settle(page: &Page, change: Change, done_key: &str) -> Result<Redirect, AppError> {
    let (kind, key) = match change {
        Change::Done => ("success", done_key),
        Change::AlreadySettled => ("info", "pair.already_settled"),
    };
    set_flash(&page.session, kind, page.t(key)).await?;
    Ok(Redirect::to("/pairs"))
}

fn chosen(form: &FormData) -> Vec<Section> {
    form.get_all("section").filter_map(Section::parse).collect()
}

/// POST /pairs/{id}/accept — the awaited side accepts; a subject chooses the sections in
/// the same step.
async fn accept(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Redirect, AppError> {
    let caller = auth.caller(&origin);
    let change = app::pairs::respond(&state.store, &caller, id, true).await?;
    if change == Change::Done {
        let p = app::pairs::open(&state.store, &caller, id).await?;
        if app::pairs::side_of(&caller, &p) == Some(PairSide::Subject) {
            app::pairs::choose_sections(&state.store, &caller, id, &chosen(&form)).await?;
        }
    }
    settle(&page, change, "pair.accepted").await
}

/// POST /pairs/{id}/decline
async fn decline(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let change = app::pairs::respond(&state.store, &auth.caller(&origin), id, false).await?;
    settle(&page, change, "pair.declined").await
}

/// POST /pairs/{id}/end — either side or HR; the form asked for confirmation first.
async fn end(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let change = app::pairs::end(&state.store, &auth.caller(&origin), id).await?;
    settle(&page, change, "pair.ended").await
}

/// POST /pairs/{id}/sections — the subject chooses what the partner sees.
async fn sections(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Redirect, AppError> {
    app::pairs::choose_sections(&state.store, &auth.caller(&origin), id, &chosen(&form)).await?;
    set_flash(&page.session, "success", page.t("pair.sections_saved")).await?;
    Ok(Redirect::to("/pairs"))
}
