//! `kyoritsu consultants …`: the ten proposals for an employee, as support staff check
//! them, and the all-or-nothing import of consultants' profiles.

use anyhow::{Result, bail};
use store::Store;
use store::tenants::Tenant;

/// One proposal as printed.
#[derive(serde::Serialize)]
struct Printed {
    consultant_id: i64,
    name: String,
    score: f64,
    reasons: Vec<String>,
}

/// `kyoritsu consultants propose --employee NUMBER`: the ten proposals from the
/// employee's values diagnosis with scores and reasons (in Japanese).
pub(super) async fn propose(
    store: &Store,
    t: &Tenant,
    number: &str,
    now: chrono::DateTime<chrono::Utc>,
    json: bool,
) -> Result<()> {
    let Some(person) = store.person_by_number(t.id, number).await? else {
        bail!("no employee numbered '{number}' in tenant '{}'", t.slug);
    };
    let p = app::consultations::proposals_for(store, t.id, domain::PersonId(person.id), now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !p.diagnosed {
        bail!(
            "employee '{number}' has not taken the values diagnosis (価値観診断) yet: there is nothing to propose from"
        );
    }
    let catalog = app::i18n::Lang::Ja.catalog();
    let printed: Vec<Printed> = p
        .proposals
        .iter()
        .map(|v| Printed {
            consultant_id: v.consultant.0,
            name: v.name.clone(),
            score: v.score,
            reasons: v
                .reasons
                .iter()
                .map(|r| app::consultations::reason_text(catalog, r))
                .collect(),
        })
        .collect();
    if json {
        super::print_json(&serde_json::json!({
            "employee": number,
            "themes_alone": p.themes_alone,
            "proposals": printed,
        }))
    } else {
        out!(
            "{} proposal(s) for employee {number}{}",
            printed.len(),
            if p.themes_alone {
                " (no anchor results: from themes alone)"
            } else {
                ""
            }
        );
        for (i, pr) in printed.iter().enumerate() {
            out!(
                "{:>2}. {} (#{})  score {:.2}",
                i + 1,
                pr.name,
                pr.consultant_id,
                pr.score
            );
            for r in &pr.reasons {
                out!("      - {r}");
            }
        }
        Ok(())
    }
}

/// `kyoritsu consultants import FILE`: all or nothing; every problem listed by line.
pub(super) async fn import(
    store: &Store,
    t: &Tenant,
    file: &std::path::Path,
    sheet: Option<String>,
    lang: app::i18n::Lang,
    json: bool,
) -> Result<()> {
    use domain::import::table;
    let opts = table::ReadOptions {
        sheet,
        ..Default::default()
    };
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?
        .len();
    if size > opts.limits.file_bytes as u64 {
        bail!(
            "{} is larger than {} MB: nothing was imported",
            file.display(),
            opts.limits.file_bytes / 1024 / 1024
        );
    }
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let table = table::read_table(&bytes, &opts).map_err(|e| {
        anyhow::anyhow!(
            "{} cannot be read: {e}; nothing was imported",
            file.display()
        )
    })?;
    let outcome = app::consultants::import_profiles(store, t.id, &table, lang)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match outcome {
        Ok(done) => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            store
                .append_audit(
                    super::cli_audit(t, domain::audit::AuditAction::ConsultantProfileChanged)
                        .target("import", done.consultants as i64)
                        .detail(domain::audit::detail(
                            "consultant_import",
                            &[
                                ("file", &name),
                                ("rows", &done.consultants),
                                ("added", &done.new_accounts),
                            ],
                        )),
                )
                .await?;
            if json {
                super::print_json(&serde_json::json!({
                    "ok": true,
                    "consultants": done.consultants,
                    "new_accounts": done.new_accounts,
                }))
            } else {
                out!(
                    "Imported {} consultant profile(s); {} new account(s) without a password (they set one from an invitation).",
                    done.consultants,
                    done.new_accounts
                );
                Ok(())
            }
        }
        Err(problems) => {
            if json {
                super::print_json(&serde_json::json!({"ok": false, "problems": problems}))?;
            } else {
                for p in &problems {
                    out!("line {}: {}: {}", p.line, p.field, p.message);
                }
            }
            bail!(
                "{} problem(s) in {}: nothing was imported",
                problems.len(),
                file.display()
            )
        }
    }
}
