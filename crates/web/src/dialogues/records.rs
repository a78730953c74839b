//! My records (本人に返却): every dialogue about me with what I may read, as a page, CSV and PDF.

use super::*;

pub struct RecordView {
    pub row: Row,
    pub notes: Vec<(String, String)>,
    pub rating: Option<i64>,
    pub reflection: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dialogues/records.html")]
pub(super) struct RecordsPage {
    pub(super) shell: Shell,
    pub(super) records: Vec<RecordView>,
}

pub(super) async fn records_of_me(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    via: &str,
) -> Result<Vec<(Dialogue, Vec<Note>)>, AppError> {
    auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    Ok(app::dialogues::records(&state.store, &auth.caller(origin), via).await?)
}

/// GET /my/records — 面談の記録: every dialogue about me, its shared items, my reflections.
pub(super) async fn my_records(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<RecordsPage, AppError> {
    let records = records_of_me(&state, &auth, &origin, "page")
        .await?
        .into_iter()
        .rev()
        .map(|(d, notes)| RecordView {
            row: row(&page, &d),
            notes: notes
                .into_iter()
                .map(|n| (visibility_label(&page, n.visibility), n.body))
                .collect(),
            rating: d.subject_rating,
            reflection: d.subject_reflection.clone().unwrap_or_default(),
        })
        .collect();
    Ok(RecordsPage {
        shell: page.shell(Some(&auth), "/my"),
        records,
    })
}

/// GET /my/records.csv — the same, to keep (UTF-8 with BOM so Excel reads it).
pub(super) async fn my_records_csv(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    let records = records_of_me(&state, &auth, &origin, "csv").await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "dialogue.csv.date",
        "dialogue.csv.kind",
        "dialogue.csv.facilitator",
        "dialogue.csv.state",
        "dialogue.csv.item",
        "dialogue.csv.visibility",
        "dialogue.csv.rating",
        "dialogue.csv.reflection",
    ]
    .map(|k| page.t(k));
    let csv_err = |e: csv::Error| AppError::internal("records csv", e);
    w.write_record(&header).map_err(csv_err)?;
    for (d, notes) in &records {
        let r = row(&page, d);
        let rating = d.subject_rating.map(|r| r.to_string()).unwrap_or_default();
        let reflection = d.subject_reflection.clone().unwrap_or_default();
        let mut lines: Vec<(String, String)> = notes
            .iter()
            .map(|n| (n.body.clone(), visibility_label(&page, n.visibility)))
            .collect();
        if lines.is_empty() {
            lines.push((String::new(), String::new()));
        }
        for (body, vis) in lines {
            w.write_record([
                r.when.as_str(),
                r.kind.as_str(),
                r.facilitator.as_str(),
                r.state.as_str(),
                // A cell starting with = + - @ would be a formula in Excel: quote it.
                &spreadsheet_safe(&body),
                vis.as_str(),
                rating.as_str(),
                &spreadsheet_safe(&reflection),
            ])
            .map_err(csv_err)?;
        }
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        w.into_inner()
            .map_err(|e| AppError::internal("records csv", e))?,
    );
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export)
            .detail(domain::audit::detail("records_csv", &[])),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-records.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// GET /my/records.pdf — the same as a document to print or keep (IPAexGothic embedded).
pub(super) async fn my_records_pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
) -> Result<Response, AppError> {
    use crate::shared::pdf::Block;
    let records = records_of_me(&state, &auth, &origin, "pdf").await?;
    let mut blocks = vec![
        Block::Title(page.t("records.title")),
        Block::Meta(page.lang.catalog().format(
            "records.pdf_meta",
            &[("name", &auth.user.name), ("at", &when(Utc::now()))],
        )),
        Block::Text(page.t("records.lead")),
    ];
    if records.is_empty() {
        blocks.push(Block::Text(page.t("records.empty")));
    }
    for (d, notes) in records.iter().rev() {
        let r = row(&page, d);
        blocks.push(Block::Heading(format!(
            "{} {}（{}）",
            r.when, r.kind, r.state
        )));
        blocks.push(Block::Meta(page.tf("records.with", "name", &r.facilitator)));
        if d.state == DialogueState::Scheduled {
            blocks.push(Block::Text(page.t("records.not_yet_print")));
        } else if notes.is_empty() {
            blocks.push(Block::Text(page.t("records.no_items")));
        }
        for n in notes {
            blocks.push(Block::Labelled(
                visibility_label(&page, n.visibility),
                n.body.clone(),
            ));
        }
        if let Some(rating) = d.subject_rating {
            blocks.push(Block::Text(page.tf("records.rating", "n", rating)));
        }
        if let Some(text) = d.subject_reflection.as_ref().filter(|t| !t.is_empty()) {
            blocks.push(Block::Labelled(page.t("records.reflection"), text.clone()));
        }
    }
    let pdf = crate::shared::pdf::render(&page.t("records.title"), &blocks)
        .map_err(|e| AppError::internal("records pdf", e))?;
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export)
            .detail(domain::audit::detail("records_pdf", &[])),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-records.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// Text that a spreadsheet would take for a formula gets a leading apostrophe.
pub(super) fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn cells_that_look_like_formulas_are_neutralised() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("資格の勉強"), "資格の勉強");
    }
}
