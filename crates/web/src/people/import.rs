//! 社員マスタの取り込みと書き出し (HR, admin): upload → preview (every problem, or the
//! diff) → confirm; and downloads of the master in CSV (UTF-8/Shift_JIS) or XLSX.

use crate::shared::access::allow;
use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::{AppError, ErrorPage};
use crate::shared::shell::Shell;
use crate::{AppState, FormData, Origin};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::audit::AuditAction;
use domain::import::employees::{Problem, ProblemKind, parse_employees_owned};
use domain::import::table::{
    FileError, MAX_FILE_BYTES, ReadOptions, Source, TextEncoding, read_table,
};
use domain::import::{employees::ParsedEmployees, export};
use domain::policy::{self, Action};
use store::audit::NewAuditEntry;
use store::imports::{ImportMeta, ImportOptions, ImportOutcome, ImportSummary};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/people/import",
            get(import_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 1024 * 1024)),
        )
        .route("/people/import/{id}/apply", post(apply))
        .route("/people/export", get(export_file))
}

pub struct ImportRow {
    pub at: String,
    pub who: String,
    pub file: String,
    pub counts: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import.html")]
struct ImportPage {
    shell: Shell,
    recent: Vec<ImportRow>,
}

/// GET /people/import
async fn import_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ImportPage, AppError> {
    allow(
        &auth,
        Action::ImportPeople {
            tenant: auth.tenant(),
        },
    )?;
    let recent = state
        .store
        .list_imports(auth.tenant(), 20)
        .await?
        .into_iter()
        .map(|r| ImportRow {
            at: crate::shared::time::when(r.at),
            who: r.actor_email,
            file: r.file_name,
            counts: page.lang.catalog().format(
                "import.counts",
                &[
                    ("rows", &r.rows),
                    ("added", &r.added),
                    ("updated", &r.updated),
                    ("left", &r.marked_left),
                ],
            ),
        })
        .collect();
    Ok(ImportPage {
        shell: page.shell(Some(&auth), "/people/import"),
        recent,
    })
}

pub struct ProblemRow {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/import_preview.html")]
struct PreviewPage {
    shell: Shell,
    file_name: String,
    source: String,
    file_error: Option<String>,
    problems: Vec<ProblemRow>,
    warnings: Vec<ProblemRow>,
    summary: Option<ImportSummary>,
    pending_id: i64,
    full: bool,
}

fn problem_rows(page: &Page, problems: &[Problem]) -> Vec<ProblemRow> {
    problems
        .iter()
        .map(|p| {
            let first_line = match p.kind {
                ProblemKind::DuplicateEmployeeNumber { first_line }
                | ProblemKind::DuplicateEmail { first_line } => first_line,
                _ => 0,
            };
            ProblemRow {
                line: p.line,
                column: p.column.clone(),
                value: p.value.clone(),
                message: page.lang.catalog().format(
                    &format!("import.problem.{}", p.kind.code()),
                    &[("first_line", &first_line)],
                ),
            }
        })
        .collect()
}

fn source_label(s: &Source) -> String {
    match s {
        Source::Csv { encoding, .. } => format!(
            "CSV ({})",
            match encoding {
                TextEncoding::Utf8 => "UTF-8",
                TextEncoding::ShiftJis => "Shift_JIS",
            }
        ),
        Source::Xlsx { sheet } => format!("Excel ({sheet})"),
    }
}

/// A file that could not be read, in the user's language, with the limit it went over.
fn file_error_text(page: &Page, e: &FileError) -> String {
    let text = page.tf(
        &format!("import.file_error.{}", e.code()),
        "limit",
        e.limit(),
    );
    match e.line() {
        Some(line) if matches!(e, FileError::TooManyColumns { .. }) => {
            format!(
                "{text}{}",
                page.tf("import.file_error.at_line", "line", line)
            )
        }
        _ => text,
    }
}

struct Checked {
    parsed: ParsedEmployees,
    source: Source,
}

async fn check(
    state: &AppState,
    auth: &Auth,
    bytes: Bytes,
    full: bool,
) -> Result<Result<Checked, FileError>, AppError> {
    // Reading a file is CPU work of up to seconds: off the threads that answer requests.
    // The readers work within their limits, so no file can exhaust the server's memory.
    let read = tokio::task::spawn_blocking(move || read_table(&bytes, &ReadOptions::default()))
        .await
        .map_err(|e| AppError::internal("reading an uploaded file", e))?;
    let table = match read {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let mut existing = state.store.existing_reporting_lines(auth.tenant()).await?;
    existing.rating_scale = Some(
        state
            .store
            .tenant(auth.tenant())
            .await?
            .settings
            .rating_scale,
    );
    Ok(Ok(Checked {
        source: table.source.clone(),
        parsed: parse_employees_owned(table, &existing, full),
    }))
}

/// POST /people/import (multipart: `file`, `full`) — checks the file and shows the preview.
async fn upload(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    mut form: Multipart,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ImportPeople {
            tenant: auth.tenant(),
        },
    )?;
    let mut file_name = String::new();
    let mut bytes = Bytes::new();
    let mut full = false;
    // A body over the limit fails while it is read: say so, with the limit.
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Ok(FileError::TooLarge {
                limit: MAX_FILE_BYTES,
            })
        } else {
            Err(AppError::Page(ErrorPage::BadRequest))
        }
    };
    let mut refused = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                refused = Some(too_large(e)?);
                break;
            }
        };
        match field.name() {
            Some("file") => {
                file_name = field.file_name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) => bytes = b,
                    Err(e) => {
                        refused = Some(too_large(e)?);
                        break;
                    }
                }
            }
            Some("full") => {
                full = field
                    .text()
                    .await
                    .map(|v| v == "on" || v == "true")
                    .unwrap_or(false)
            }
            _ => {}
        }
    }
    let mut preview = PreviewPage {
        shell: page.shell(Some(&auth), "/people/import"),
        file_name: file_name.clone(),
        source: String::new(),
        file_error: None,
        problems: Vec::new(),
        warnings: Vec::new(),
        summary: None,
        pending_id: 0,
        full,
    };
    // The file is kept for the confirmation first, so that it is not held in memory
    // while its rows are read and tried (a previewed file that turns out to be refused
    // is replaced by the next upload).
    let checked = match refused {
        Some(e) => Err(e),
        None if bytes.is_empty() => Err(FileError::Empty),
        None => {
            preview.pending_id = state
                .store
                .save_pending_import(auth.tenant(), auth.user.id, &file_name, full, &bytes)
                .await?;
            check(&state, &auth, std::mem::take(&mut bytes), full).await?
        }
    };
    let checked = match checked {
        Ok(c) => c,
        Err(e) => {
            let status = match e {
                FileError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            preview.file_error = Some(file_error_text(&page, &e));
            return Ok((status, preview).into_response());
        }
    };
    preview.source = source_label(&checked.source);
    preview.warnings = problem_rows(&page, &checked.parsed.warnings);
    if !checked.parsed.errors.is_empty() {
        preview.problems = problem_rows(&page, &checked.parsed.errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, preview).into_response());
    }
    let opts = ImportOptions {
        full,
        dry_run: true,
    };
    match state
        .store
        .import_employees(
            auth.tenant(),
            &checked.parsed.records,
            &checked.parsed.columns,
            opts,
            &ImportMeta::default(),
        )
        .await?
    {
        ImportOutcome::Rejected(problems) => {
            preview.pending_id = 0;
            preview.problems = problem_rows(&page, &problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, preview).into_response())
        }
        ImportOutcome::Done(summary) => {
            preview.summary = Some(summary);
            Ok(preview.into_response())
        }
    }
}

/// POST /people/import/{id}/apply — applies the previewed file, all or nothing.
async fn apply(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    _form: FormData,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ImportPeople {
            tenant: auth.tenant(),
        },
    )?;
    let Some(pending) = state
        .store
        .pending_import(auth.tenant(), auth.user.id, id)
        .await?
    else {
        set_flash(&page.session, "error", page.t("import.expired")).await?;
        return Ok(Redirect::to("/people/import").into_response());
    };
    // Checked again: the stored data may have changed since the preview.
    let checked = match check(&state, &auth, Bytes::from(pending.content), pending.full).await? {
        Ok(c) if c.parsed.errors.is_empty() => c,
        _ => {
            set_flash(
                &page.session,
                "error",
                page.t("import.changed_since_preview"),
            )
            .await?;
            return Ok(Redirect::to("/people/import").into_response());
        }
    };
    let meta = ImportMeta {
        actor_user_id: Some(auth.user.id),
        actor_email: auth.user.email.clone(),
        file_name: pending.file_name.clone(),
        source: source_label(&checked.source),
    };
    let opts = ImportOptions {
        full: pending.full,
        dry_run: false,
    };
    let summary = match state
        .store
        .import_employees(
            auth.tenant(),
            &checked.parsed.records,
            &checked.parsed.columns,
            opts,
            &meta,
        )
        .await?
    {
        ImportOutcome::Done(s) => s,
        ImportOutcome::Rejected(_) => {
            set_flash(
                &page.session,
                "error",
                page.t("import.changed_since_preview"),
            )
            .await?;
            return Ok(Redirect::to("/people/import").into_response());
        }
    };
    state.store.delete_pending_import(auth.tenant(), id).await?;
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Import)
            .target("import", summary.import_id.unwrap_or_default())
            .detail(domain::audit::detail(
                "import",
                &[
                    ("file", &pending.file_name),
                    ("rows", &summary.rows),
                    ("added", &summary.added_count),
                    ("updated", &summary.updated_count),
                    ("left", &summary.marked_left_count),
                ],
            )),
    )
    .await?;
    let text = page.lang.catalog().format(
        "import.done",
        &[
            ("added", &summary.added_count),
            ("updated", &summary.updated_count),
            ("unchanged", &summary.unchanged_count),
            ("left", &summary.marked_left_count),
        ],
    );
    set_flash(&page.session, "success", text).await?;
    Ok(Redirect::to("/people/import").into_response())
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    /// csv (default) or xlsx
    #[serde(default)]
    format: String,
    /// utf-8 (default) or shift_jis
    #[serde(default)]
    encoding: String,
}

/// GET /people/export?format=csv|xlsx&encoding=utf-8|shift_jis — audited.
async fn export_file(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ExportPeople {
            tenant: auth.tenant(),
        },
    )?;
    // The file carries exactly what the exporter may see of people outside their own
    // line on any page: the admin gets identity and contact, not birth dates or ratings.
    let selection = policy::person_fields(&auth.actor, policy::Relation::Outside)
        .map(export::Selection::of)
        .ok_or(AppError::Page(ErrorPage::Forbidden))?;
    let (rows, years) = state.store.export_people(auth.tenant()).await?;
    let xlsx = q.format == "xlsx";
    let encoding = TextEncoding::parse(&q.encoding).unwrap_or(TextEncoding::Utf8);
    let bytes = if xlsx {
        export::to_xlsx(&rows, &years, &selection)
    } else {
        export::to_csv(&rows, &years, &selection, encoding)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(export::ExportError::NotShiftJis(_)) => {
            set_flash(&page.session, "error", page.t("import.not_shift_jis")).await?;
            return Ok(Redirect::to("/people/import").into_response());
        }
        Err(e) => return Err(AppError::internal("export", e)),
    };
    let kind = if xlsx {
        "xlsx".to_string()
    } else {
        format!("csv {}", encoding.as_str())
    };
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export)
            .target("people", &kind)
            .detail(domain::audit::detail(
                "people_export",
                &[("n", &rows.len())],
            )),
    )
    .await?;
    let stamp = chrono::Utc::now().format("%Y%m%d");
    let (content_type, name) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("employees-{stamp}.xlsx"),
        )
    } else if encoding == TextEncoding::ShiftJis {
        (
            "text/csv; charset=shift_jis",
            format!("employees-{stamp}-sjis.csv"),
        )
    } else {
        ("text/csv; charset=utf-8", format!("employees-{stamp}.csv"))
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
