//! キャリアシート pages: the employee writes their own sheet, every save is a version,
//! drafts are autosaved while typing, and any two versions can be compared side by side.
//! Only the owner reaches these pages (`policy::career_sheet_view`).

use crate::AppState;
use crate::FormData;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::PersonId;
use domain::career_sheet::{
    self, CareerSheet, EntryInput, MAX_HORIZON_YEARS, MAX_SECTION_CHARS, Piece, Section,
};
use domain::policy::{self, SheetView};
use std::collections::BTreeMap;
use store::career_sheets::{SaveOutcome, SheetVersion};

pub mod api;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my/career-sheet", get(edit).post(save))
        .route("/my/career-sheet/draft", post(save_draft))
        .route("/my/career-sheet/draft/discard", post(discard_draft))
        .route("/my/career-sheet/versions/{version}", get(version))
        .route("/my/career-sheet/compare", get(compare))
}

/// The signed-in person, who must own a sheet (be in the employee master).
fn owner(auth: &Auth) -> Result<PersonId, AppError> {
    let me = auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    match policy::career_sheet_view(&auth.actor, auth.tenant(), me) {
        Some(SheetView::Full) => Ok(me),
        _ => Err(AppError::forbidden()),
    }
}

/// One section of the form as shown.
pub struct SectionField {
    pub key: &'static str,
    pub label: String,
    pub help: String,
    pub text: String,
    pub private: bool,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "career_sheet/edit.html")]
struct EditPage {
    shell: Shell,
    fields: Vec<SectionField>,
    horizon: String,
    horizon_error: Option<String>,
    base_version: i64,
    /// A notice above the form (draft restored, stale save, errors).
    notice: Option<(String, String)>,
    draft_restored: bool,
    /// (version, saved at) newest first.
    versions: Vec<(i64, String)>,
    limit: usize,
    max_horizon: u8,
}

/// The form's raw values: section texts, private flags and the horizon, as typed.
type Typed = BTreeMap<String, String>;

fn typed_from_form(form: &FormData) -> Typed {
    let mut t = Typed::new();
    for s in Section::ALL {
        t.insert(s.key().into(), form.get(s.key()).to_string());
        if !form.get(&format!("{}_private", s.key())).is_empty() {
            t.insert(format!("{}_private", s.key()), "on".into());
        }
    }
    t.insert(
        "vision_horizon_years".into(),
        form.get("vision_horizon_years").to_string(),
    );
    t
}

fn typed_from_sheet(sheet: &CareerSheet) -> Typed {
    let mut t = Typed::new();
    for (s, e) in &sheet.sections {
        t.insert(s.key().into(), e.text.clone());
        if e.private {
            t.insert(format!("{}_private", s.key()), "on".into());
        }
    }
    t.insert(
        "vision_horizon_years".into(),
        sheet
            .vision_horizon_years
            .map(|y| y.to_string())
            .unwrap_or_default(),
    );
    t
}

fn parse_typed(t: &Typed) -> Result<CareerSheet, Vec<career_sheet::FieldError>> {
    CareerSheet::parse(
        |s| EntryInput {
            text: t.get(s.key()).cloned().unwrap_or_default(),
            private: t.contains_key(&format!("{}_private", s.key())),
        },
        t.get("vision_horizon_years")
            .map(String::as_str)
            .unwrap_or(""),
    )
}

/// The form as it is to be shown again.
struct FormState<'a> {
    typed: &'a Typed,
    errors: &'a [career_sheet::FieldError],
    base_version: i64,
    /// (kind, text) of a notice above the form.
    notice: Option<(String, String)>,
    draft_restored: bool,
}

async fn render_edit(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    me: PersonId,
    form: FormState<'_>,
) -> Result<EditPage, AppError> {
    let FormState {
        typed,
        errors,
        base_version,
        notice,
        draft_restored,
    } = form;
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| match e.code {
                "too_long" => page.tf("sheet.error_too_long", "n", MAX_SECTION_CHARS),
                _ => page.tf("sheet.error_horizon", "n", MAX_HORIZON_YEARS),
            })
    };
    let fields = Section::ALL
        .into_iter()
        .map(|s| SectionField {
            key: s.key(),
            label: page.t(&format!("sheet.section.{}", s.key())),
            help: page.t(&format!("sheet.help.{}", s.key())),
            text: typed.get(s.key()).cloned().unwrap_or_default(),
            private: typed.contains_key(&format!("{}_private", s.key())),
            error: error_of(s.key()),
        })
        .collect();
    let versions = state
        .store
        .career_sheet_versions(auth.tenant(), me)
        .await?
        .into_iter()
        .map(|v| (v.version, when(v.saved_at)))
        .collect();
    Ok(EditPage {
        shell: page.shell(Some(auth), "/my"),
        fields,
        horizon: typed
            .get("vision_horizon_years")
            .cloned()
            .unwrap_or_default(),
        horizon_error: error_of("vision_horizon_years"),
        base_version,
        notice,
        draft_restored,
        versions,
        limit: MAX_SECTION_CHARS,
        max_horizon: MAX_HORIZON_YEARS,
    })
}

/// GET /my/career-sheet — the latest version, or the unsaved draft when there is one.
async fn edit(State(state): State<AppState>, page: Page, auth: Auth) -> Result<EditPage, AppError> {
    let me = owner(&auth)?;
    let latest = state.store.latest_career_sheet(auth.tenant(), me).await?;
    let base = latest.as_ref().map(|v| v.version).unwrap_or(0);
    let draft = state.store.career_sheet_draft(auth.tenant(), me).await?;
    if let Some(d) = draft
        && let Ok(typed) = serde_json::from_str::<Typed>(&d.content)
    {
        let notice = if d.base_version == base {
            page.tf("sheet.draft_restored", "at", when(d.updated_at))
        } else {
            page.tf("sheet.draft_restored_stale", "at", when(d.updated_at))
        };
        return render_edit(
            &state,
            &page,
            &auth,
            me,
            FormState {
                typed: &typed,
                errors: &[],
                base_version: d.base_version,
                notice: Some(("notice".into(), notice)),
                draft_restored: true,
            },
        )
        .await;
    }
    let typed = latest
        .as_ref()
        .map(|v| typed_from_sheet(&v.sheet))
        .unwrap_or_default();
    render_edit(
        &state,
        &page,
        &auth,
        me,
        FormState {
            typed: &typed,
            errors: &[],
            base_version: base,
            notice: None,
            draft_restored: false,
        },
    )
    .await
}

/// POST /my/career-sheet — saves a new version; bad input or a newer version saved
/// elsewhere keeps everything typed on the page and writes nothing.
async fn save(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    let me = owner(&auth)?;
    let typed = typed_from_form(&form);
    let base: i64 = form.get("base_version").parse().unwrap_or(-1);
    let sheet = match parse_typed(&typed) {
        Ok(s) => s,
        Err(errors) => {
            let p = render_edit(
                &state,
                &page,
                &auth,
                me,
                FormState {
                    typed: &typed,
                    errors: &errors,
                    base_version: base,
                    notice: Some(("error".into(), page.t("sheet.fix_errors"))),
                    draft_restored: false,
                },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    match state
        .store
        .save_career_sheet(auth.tenant(), me, auth.user.id, base, &sheet)
        .await?
    {
        SaveOutcome::Saved { version } => {
            set_flash(
                &page.session,
                "success",
                page.tf("sheet.saved", "version", version),
            )
            .await?;
            Ok(Redirect::to("/my/career-sheet").into_response())
        }
        SaveOutcome::Stale { latest } => {
            // Keep what was typed as the draft too, so a closed tab loses nothing.
            if let Ok(json) = serde_json::to_string(&typed) {
                state
                    .store
                    .save_career_sheet_draft(auth.tenant(), me, base.max(0), &json)
                    .await?;
            }
            let p = render_edit(
                &state,
                &page,
                &auth,
                me,
                FormState {
                    typed: &typed,
                    errors: &[],
                    base_version: latest,
                    notice: Some(("error".into(), page.tf("sheet.stale", "version", latest))),
                    draft_restored: false,
                },
            )
            .await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
    }
}

/// POST /my/career-sheet/draft — autosave while typing (also sent when the tab closes).
async fn save_draft(
    State(state): State<AppState>,
    auth: Auth,
    form: FormData,
) -> Result<StatusCode, AppError> {
    let me = owner(&auth)?;
    let typed = typed_from_form(&form);
    let base: i64 = form.get("base_version").parse().unwrap_or(0);
    let json = serde_json::to_string(&typed).map_err(|e| AppError::internal("draft json", e))?;
    if json.len() > store::career_sheets::MAX_DRAFT_BYTES {
        return Ok(StatusCode::PAYLOAD_TOO_LARGE);
    }
    state
        .store
        .save_career_sheet_draft(auth.tenant(), me, base.max(0), &json)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /my/career-sheet/draft/discard — back to the last saved version.
async fn discard_draft(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    _form: FormData,
) -> Result<Redirect, AppError> {
    let me = owner(&auth)?;
    state
        .store
        .discard_career_sheet_draft(auth.tenant(), me)
        .await?;
    set_flash(&page.session, "success", page.t("sheet.draft_discarded")).await?;
    Ok(Redirect::to("/my/career-sheet"))
}

/// One section of a version as shown.
pub struct ShownSection {
    pub label: String,
    pub text: String,
    pub private: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "career_sheet/version.html")]
struct VersionPage {
    shell: Shell,
    version: i64,
    saved_at: String,
    sections: Vec<ShownSection>,
    horizon: Option<u8>,
}

async fn load_version(
    state: &AppState,
    auth: &Auth,
    me: PersonId,
    v: i64,
) -> Result<SheetVersion, AppError> {
    state
        .store
        .career_sheet_version(auth.tenant(), me, v)
        .await?
        .ok_or_else(AppError::not_found)
}

/// GET /my/career-sheet/versions/{version}
async fn version(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(v): Path<i64>,
) -> Result<VersionPage, AppError> {
    let me = owner(&auth)?;
    let found = load_version(&state, &auth, me, v).await?;
    Ok(VersionPage {
        shell: page.shell(Some(&auth), "/my"),
        version: found.version,
        saved_at: when(found.saved_at),
        sections: found
            .sheet
            .sections
            .iter()
            .map(|(s, e)| ShownSection {
                label: page.t(&format!("sheet.section.{}", s.key())),
                text: e.text.clone(),
                private: e.private,
            })
            .collect(),
        horizon: found.sheet.vision_horizon_years,
    })
}

#[derive(serde::Deserialize)]
struct CompareQuery {
    from: i64,
    to: i64,
}

/// A compared section as shown.
pub struct ComparedSection {
    pub label: String,
    pub changed: bool,
    pub before: String,
    pub before_private: bool,
    pub after_private: bool,
    /// (kind, text): kind is `same`, `removed` or `added`.
    pub pieces: Vec<(&'static str, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "career_sheet/compare.html")]
struct ComparePage {
    shell: Shell,
    from: i64,
    from_at: String,
    to: i64,
    to_at: String,
    sections: Vec<ComparedSection>,
    changed_count: usize,
    horizon_before: Option<u8>,
    horizon_after: Option<u8>,
}

/// GET /my/career-sheet/compare?from=1&to=3 — side by side (変化を一緒にたどる).
async fn compare(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Query(q): Query<CompareQuery>,
) -> Result<ComparePage, AppError> {
    let me = owner(&auth)?;
    let (from, to) = (q.from.min(q.to), q.from.max(q.to));
    let a = load_version(&state, &auth, me, from).await?;
    let b = load_version(&state, &auth, me, to).await?;
    let changes = career_sheet::compare(&a.sheet, &b.sheet);
    let sections: Vec<ComparedSection> = changes
        .into_iter()
        .map(|c| ComparedSection {
            label: page.t(&format!("sheet.section.{}", c.section.key())),
            changed: c.changed,
            before: c.before.text,
            before_private: c.before.private,
            after_private: c.after.private,
            pieces: c
                .pieces
                .into_iter()
                .map(|p| match p {
                    Piece::Same(t) => ("same", t),
                    Piece::Removed(t) => ("removed", t),
                    Piece::Added(t) => ("added", t),
                })
                .collect(),
        })
        .collect();
    Ok(ComparePage {
        shell: page.shell(Some(&auth), "/my"),
        changed_count: sections.iter().filter(|s| s.changed).count(),
        from,
        from_at: when(a.saved_at),
        to,
        to_at: when(b.saved_at),
        sections,
        horizon_before: a.sheet.vision_horizon_years,
        horizon_after: b.sheet.vision_horizon_years,
    })
}
