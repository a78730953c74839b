//! キャリアコンサルタント as people of their own: each consultant keeps the profile
//! employees will choose from (`/consultant/profile`); HR lists the company's
//! consultants with their profiles and suspends or restores an account (`/consultants`).
//! The rules are `domain::consultant` (what a profile is) and `app::consultants` over
//! `domain::policy` (who may do what).

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::UserId;
use domain::consultant::{
    AgeBand, DiagnosisInput, Gender, MAX_DIAGNOSIS_THEMES, MAX_MESSAGE_CHARS, MAX_OWN_WORDS_CHARS,
    Profile, ProfileInput, Setting, Style, Theme, parse_diagnosis, parse_profile,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consultant/profile", get(profile_page).post(save_profile))
        .route("/consultants", get(list))
        .route("/consultants/{id}", get(view))
        .route(
            "/my/consultant-diagnosis",
            get(diagnosis_page).post(save_diagnosis),
        )
        .route("/consultants/{id}/suspend", post(suspend))
        .route("/consultants/{id}/restore", post(restore))
        .route("/consultants/allowance", post(usage::set_allowance))
        .route("/consultants/invite", post(invite::invite))
        .route("/consultant/photo", post(photo::upload))
        .route("/consultant/photo/remove", post(photo::remove))
        .route("/consultants/{id}/photo", get(photo::show))
        .route("/consultants/{id}/invite", post(invite::reinvite))
        .route("/consultant/slots", get(slots::page).post(slots::add))
        .route("/consultant/slots/{id}/remove", post(slots::remove))
        .route("/my/consultants", get(choose::page))
        .route("/my/consultants/book", post(choose::book))
        .route("/my/consultants/{id}/change", post(choose::change))
        .route("/my/consultants/sessions/{id}/rating", post(choose::rate))
}

pub mod api;
mod choose;
mod invite;
mod photo;
mod slots;
mod usage;

/// One choice on the form: (key, label, chosen).
pub type Choice = (&'static str, String, bool);

/// The choices the profile and the diagnosis forms share, as typed.
pub struct Choices {
    pub themes: Vec<Choice>,
    pub styles: Vec<Choice>,
    pub age_bands: Vec<Choice>,
    pub genders: Vec<Choice>,
}

fn choices(
    page: &Page,
    keys: impl IntoIterator<Item = &'static str>,
    prefix: &str,
    chosen: impl Fn(&str) -> bool,
) -> Vec<Choice> {
    keys.into_iter()
        .map(|k| (k, page.t(&format!("{prefix}.{k}")).to_string(), chosen(k)))
        .collect()
}

impl Choices {
    fn of(page: &Page, themes: &[String], style: &str, age_band: &str, gender: &str) -> Self {
        Choices {
            themes: choices(page, Theme::ALL.map(Theme::key), "consultant.theme", |k| {
                themes.iter().any(|t| t == k)
            }),
            styles: choices(page, Style::ALL.map(Style::key), "consultant.style", |k| {
                style == k
            }),
            age_bands: choices(
                page,
                AgeBand::ALL.map(AgeBand::key),
                "consultant.age_band",
                |k| age_band == k,
            ),
            genders: choices(
                page,
                Gender::ALL.map(Gender::key),
                "consultant.gender",
                |k| gender == k,
            ),
        }
    }
}

/// What is wrong with a form, field by field, in the reader's language.
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    /// The problems `domain` named, as `{prefix}.{field}.{problem}` messages.
    fn said(page: &Page, prefix: &str, problems: Vec<domain::consultant::FieldError>) -> Self {
        FieldErrors(
            problems
                .into_iter()
                .map(|(field, problem)| {
                    (
                        field,
                        page.t(&format!("{prefix}.{field}.{problem}")).to_string(),
                    )
                })
                .collect(),
        )
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/profile.html")]
struct ProfilePage {
    shell: Shell,
    /// The consultant's own id and whether they have a photo.
    me: i64,
    has_photo: bool,
    form: ProfileInput,
    c: Choices,
    errors: FieldErrors,
    saved: bool,
    message_limit: usize,
}

/// The form filled from a stored profile.
fn input_of(p: &Profile) -> ProfileInput {
    ProfileInput {
        display_name: p.display_name.clone(),
        kana: p.kana.clone(),
        registration_number: p.registration_number.clone(),
        certifications: p.certifications.clone(),
        years_of_practice: p.years_of_practice.to_string(),
        themes: p.themes.iter().map(|t| t.key().to_string()).collect(),
        industries: p.industries.clone(),
        job_families: p.job_families.clone(),
        age_band: p.age_band.map(|a| a.key()).unwrap_or_default().into(),
        gender: p.gender.map(|g| g.key()).unwrap_or_default().into(),
        style: p.style.key().into(),
        message: p.message.clone(),
        languages: p.languages.clone(),
        capacity_per_month: p.capacity_per_month.to_string(),
    }
}

fn render(
    page: &Page,
    auth: &Auth,
    form: ProfileInput,
    errors: FieldErrors,
    saved: bool,
    has_photo: bool,
) -> ProfilePage {
    ProfilePage {
        me: auth.user.id.0,
        has_photo,
        c: Choices::of(
            page,
            &form.themes,
            &form.style,
            &form.age_band,
            &form.gender,
        ),
        shell: page.shell(Some(auth), "/consultant/profile"),
        form,
        errors,
        saved,
        message_limit: MAX_MESSAGE_CHARS,
    }
}

/// GET /consultant/profile — プロフィール: the consultant's own.
async fn profile_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ProfilePage, AppError> {
    let caller = auth.caller(&Origin::default());
    let stored = app::consultants::my_profile(&state.store, &caller).await?;
    let saved = stored.is_some();
    let form = match stored {
        Some(p) => input_of(&p),
        None => ProfileInput {
            display_name: auth.user.name.clone(),
            ..ProfileInput::default()
        },
    };
    let has_photo = state.store.has_photo(auth.tenant(), auth.user.id).await?;
    Ok(render(
        &page,
        &auth,
        form,
        FieldErrors::default(),
        saved,
        has_photo,
    ))
}

/// POST /consultant/profile — checked as a whole; a refused form comes back as typed
/// with every problem beside its field, and nothing is saved.
async fn save_profile(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let caller = auth.caller(&origin);
    // Asked first, so that nobody else learns what the form would say.
    app::consultants::my_profile(&state.store, &caller).await?;
    let input = ProfileInput {
        display_name: form.get("display_name").into(),
        kana: form.get("kana").into(),
        registration_number: form.get("registration_number").into(),
        certifications: form.get("certifications").into(),
        years_of_practice: form.get("years_of_practice").into(),
        themes: form.get_all("themes").map(str::to_string).collect(),
        industries: form.get("industries").into(),
        job_families: form.get("job_families").into(),
        age_band: form.get("age_band").into(),
        gender: form.get("gender").into(),
        style: form.get("style").into(),
        message: form.get("message").into(),
        languages: form.get("languages").into(),
        capacity_per_month: form.get("capacity_per_month").into(),
    };
    match parse_profile(&input) {
        Ok(profile) => {
            app::consultants::save_profile(&state.store, &caller, &profile).await?;
            set_flash(&page.session, "success", page.t("consultant.saved")).await?;
            Ok(Redirect::to("/consultant/profile").into_response())
        }
        Err(problems) => {
            let errors = FieldErrors::said(&page, "consultant.error", problems);
            let has_photo = state.store.has_photo(auth.tenant(), auth.user.id).await?;
            let p = render(&page, &auth, input, errors, false, has_photo);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

/// A consultant on HR's list.
pub struct ConsultantRow {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub email: String,
    pub suspended: bool,
    pub internal: bool,
    pub has_profile: bool,
    pub registration_number: String,
    pub years: String,
    pub themes: Vec<String>,
    pub style: String,
    pub capacity: String,
    pub updated: String,
    /// Invited, no password set yet.
    pub pending: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ConsultantRow>,
    without_profile: usize,
    total: usize,
    /// Rows per page, this page (1-based) and the number of pages.
    per_page: usize,
    page_no: usize,
    pages: usize,
    usage: usage::UsageView,
    /// The invitation form as typed when it could not be sent: (e-mail, name).
    invite: (String, String),
}

/// Consultants listed per page.
const PER_PAGE: usize = 100;

#[derive(serde::Deserialize, Default)]
struct ListParams {
    #[serde(default)]
    page: usize,
}

/// GET /consultants — 外部コンサルタント (HR): every consultant account with its profile,
/// a hundred to a page, and the consultation figures (counts only).
async fn list(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(params): Query<ListParams>,
) -> Result<ListPage, AppError> {
    let caller = auth.caller(&Origin::default());
    let entries = app::consultants::list(&state.store, &caller).await?;
    let total = entries.len();
    let without_profile = entries.iter().filter(|e| e.profile.is_none()).count();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page_no = params.page.clamp(1, pages);
    let rows: Vec<ConsultantRow> = entries
        .into_iter()
        .skip((page_no - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|e| {
            let p = e.profile.as_ref();
            ConsultantRow {
                id: e.user.0,
                name: p.map(|p| p.display_name.clone()).unwrap_or(e.name.clone()),
                kana: p.map(|p| p.kana.clone()).unwrap_or_default(),
                email: e.email.clone(),
                suspended: e.disabled,
                internal: e.internal,
                has_profile: p.is_some(),
                registration_number: p.map(|p| p.registration_number.clone()).unwrap_or_default(),
                years: p
                    .map(|p| page.tf("consultant.years_n", "n", p.years_of_practice))
                    .unwrap_or_default(),
                themes: p
                    .map(|p| {
                        p.themes
                            .iter()
                            .map(|t| page.t(&format!("consultant.theme.{}", t.key())).to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                style: p
                    .map(|p| {
                        page.t(&format!("consultant.style.{}", p.style.key()))
                            .to_string()
                    })
                    .unwrap_or_default(),
                capacity: p
                    .map(|p| page.tf("consultant.capacity_n", "n", p.capacity_per_month))
                    .unwrap_or_default(),
                updated: e.updated_at.map(when).unwrap_or_default(),
                pending: !e.has_password && !e.disabled,
            }
        })
        .collect();
    Ok(ListPage {
        without_profile,
        total,
        per_page: PER_PAGE,
        page_no,
        pages,
        usage: usage::view(&state, &page, &auth).await?,
        invite: page
            .session
            .remove::<(String, String)>("invite_typed")
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
        shell: page.shell(Some(&auth), "/consultants"),
        rows,
    })
}

async fn set_suspended(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    id: i64,
    suspended: bool,
) -> Result<Redirect, AppError> {
    let changed =
        app::consultants::suspend(&state.store, &auth.caller(origin), UserId(id), suspended)
            .await?;
    let name = state.store.user(auth.tenant(), UserId(id)).await?.name;
    let key = match (changed, suspended) {
        (true, true) => "consultant.suspended_done",
        (true, false) => "consultant.restored_done",
        (false, _) => "consultant.nothing_changed",
    };
    set_flash(&page.session, "success", page.tf(key, "name", &name)).await?;
    Ok(Redirect::to("/consultants"))
}

/// POST /consultants/{id}/suspend — HR suspends a consultant's account (after a
/// confirmation naming the effect): they cannot sign in until restored.
async fn suspend(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    set_suspended(&state, &page, &auth, &origin, id, true).await
}

/// POST /consultants/{id}/restore — HR restores a suspended consultant's account.
async fn restore(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    set_suspended(&state, &page, &auth, &origin, id, false).await
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/view.html")]
struct ViewPage {
    shell: Shell,
    p: Profile,
    themes: Vec<String>,
    style: String,
    age_band: Option<String>,
    gender: Option<String>,
    mine: bool,
    /// Someone in the employee master may book one of the free slots.
    may_book: bool,
    /// Free slots in the next weeks: (id, when, minutes, setting).
    slots: Vec<(i64, String, u32, String)>,
    /// Where the employee came from (proposal, search), for matching quality.
    from: String,
    /// The employee chose this consultant already.
    chosen: bool,
    weeks: i64,
    id: i64,
    has_photo: bool,
}

#[derive(serde::Deserialize, Default)]
struct ViewParams {
    #[serde(default)]
    from: String,
}

/// GET /consultants/{id} — a consultant's profile, as employees read it, with the free
/// slots an employee may book.
async fn view(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
    Query(params): Query<ViewParams>,
) -> Result<ViewPage, AppError> {
    let caller = auth.caller(&Origin::default());
    let p = app::consultants::profile_of(&state.store, &caller, UserId(id)).await?;
    let mine = auth.user.id.0 == id;
    let may_book = !mine && auth.actor.person_id.is_some();
    let slots = if may_book {
        app::consultations::free_slots_of(&state.store, &caller, UserId(id), state.clock.now())
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    when(s.starts_at),
                    s.duration_minutes,
                    page.t(&format!("consultant.setting.{}", s.setting.key())),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let chosen = may_book
        && app::consultations::my_choices(&state.store, &caller)
            .await?
            .iter()
            .any(|c| c.consultant.0 == id);
    Ok(ViewPage {
        may_book,
        slots,
        from: match params.from.as_str() {
            "proposal" | "search" => params.from,
            _ => "profile".into(),
        },
        chosen,
        weeks: domain::matching::SLOT_WEEKS,
        id,
        has_photo: state.store.has_photo(auth.tenant(), UserId(id)).await?,
        themes: p
            .themes
            .iter()
            .map(|t| page.t(&format!("consultant.theme.{}", t.key())).to_string())
            .collect(),
        style: page
            .t(&format!("consultant.style.{}", p.style.key()))
            .to_string(),
        age_band: p.age_band.map(|a| {
            page.t(&format!("consultant.age_band.{}", a.key()))
                .to_string()
        }),
        gender: p.gender.map(|g| {
            page.t(&format!("consultant.gender.{}", g.key()))
                .to_string()
        }),
        mine,
        shell: page.shell(Some(&auth), "/consultants"),
        p,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "consultants/diagnosis.html")]
struct DiagnosisPage {
    shell: Shell,
    form: DiagnosisInput,
    c: Choices,
    settings: Vec<Choice>,
    /// The strongest anchors' names and when the inventory was taken.
    anchors: Option<(String, String)>,
    /// When the diagnosis was last saved.
    saved_at: Option<String>,
    errors: FieldErrors,
    max_themes: usize,
    words_limit: usize,
}

async fn render_diagnosis(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    typed: Option<(DiagnosisInput, FieldErrors)>,
) -> Result<DiagnosisPage, AppError> {
    let caller = auth.caller(&Origin::default());
    let mine = app::consultants::my_diagnosis(&state.store, &caller).await?;
    let saved = mine.diagnosis.as_ref().map(|(d, _)| d.clone());
    let (form, errors) = match typed {
        Some(t) => t,
        None => (
            saved
                .as_ref()
                .map(|d| DiagnosisInput {
                    themes: d.themes.iter().map(|t| t.key().to_string()).collect(),
                    own_words: d.own_words.clone(),
                    style: d.style.map(|s| s.key()).unwrap_or_default().into(),
                    age_band: d.age_band.map(|a| a.key()).unwrap_or_default().into(),
                    gender: d.gender.map(|g| g.key()).unwrap_or_default().into(),
                    industry: d.industry.clone(),
                    setting: d.setting.key().into(),
                })
                .unwrap_or_default(),
            FieldErrors::default(),
        ),
    };
    Ok(DiagnosisPage {
        c: Choices::of(
            page,
            &form.themes,
            &form.style,
            &form.age_band,
            &form.gender,
        ),
        settings: choices(
            page,
            Setting::ALL.map(Setting::key),
            "consultant.setting",
            |k| form.setting == k || (form.setting.is_empty() && k == "either"),
        ),
        anchors: mine.anchors.map(|(dominant, at)| {
            (
                dominant
                    .iter()
                    .map(|a| page.t(&format!("anchor.{}", a.key())).to_string())
                    .collect::<Vec<_>>()
                    .join("・"),
                crate::shared::time::jst(at).date().to_string(),
            )
        }),
        saved_at: mine.diagnosis.map(|(_, at)| when(at)),
        shell: page.shell(Some(auth), "/my"),
        form,
        errors,
        max_themes: MAX_DIAGNOSIS_THEMES,
        words_limit: MAX_OWN_WORDS_CHARS,
    })
}

/// GET /my/consultant-diagnosis — 価値観診断: the employee's own.
async fn diagnosis_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<DiagnosisPage, AppError> {
    render_diagnosis(&state, &page, &auth, None).await
}

/// POST /my/consultant-diagnosis — checked as a whole; redone by saving again. Saved,
/// it leads to the proposals it makes (相談相手を選ぶ).
async fn save_diagnosis(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    form: FormData,
) -> Result<Response, AppError> {
    let input = DiagnosisInput {
        themes: form.get_all("themes").map(str::to_string).collect(),
        own_words: form.get("own_words").into(),
        style: form.get("style").into(),
        age_band: form.get("age_band").into(),
        gender: form.get("gender").into(),
        industry: form.get("industry").into(),
        setting: form.get("setting").into(),
    };
    match parse_diagnosis(&input) {
        Ok(d) => {
            app::consultants::save_diagnosis(&state.store, &auth.caller(&origin), &d).await?;
            set_flash(
                &page.session,
                "success",
                page.t("consultant.diagnosis_saved"),
            )
            .await?;
            Ok(Redirect::to("/my/consultants").into_response())
        }
        Err(problems) => {
            let errors = FieldErrors::said(&page, "consultant.diagnosis_error", problems);
            let p = render_diagnosis(&state, &page, &auth, Some((input, errors))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}
