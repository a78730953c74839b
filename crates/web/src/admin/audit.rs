//! 監査ログ: browsing and exporting the audit log, each entry as a sentence — who did
//! what to what (accounts and programmes by name; a person, dialogue or report stays a
//! number, so the log tells its reader nothing about who saw a consultant).

use super::*;
use domain::TenantId;
use std::collections::HashMap;

#[derive(Debug, Default, serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub page: Option<u64>,
}

impl AuditQuery {
    /// The store filter, or which date could not be read.
    pub fn filter(&self) -> Result<AuditFilter, ()> {
        let date = |s: &str| -> Result<Option<NaiveDate>, ()> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| ())
            }
        };
        // Dates are days in Japan time.
        let start_of = |d: NaiveDate| Some(domain::japan_time::start_of_japan_day(d));
        Ok(AuditFilter {
            action: AuditAction::parse(&self.action),
            actor_email: Some(self.actor.trim().to_string()).filter(|s| !s.is_empty()),
            target_type: None,
            hidden_targets: Vec::new(),
            from: date(&self.from)?.and_then(start_of),
            until: date(&self.until)?
                .and_then(|d| d.succ_opt())
                .and_then(start_of),
        })
    }
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action_key: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
    /// The entry as a sentence: who did what, to what (by name where that tells the
    /// reader nothing confidential).
    pub sentence: String,
}

/// The translation key of a target type, for the ones the product writes.
fn target_key(t: &str) -> Option<&'static str> {
    Some(match t {
        "person" | "people" => "audit.target_type.person",
        "dialogue" => "audit.target_type.dialogue",
        "feedback_report" => "audit.target_type.feedback_report",
        "note" => "audit.target_type.note",
        "pair" => "audit.target_type.pair",
        "programme" => "audit.target_type.programme",
        "role_model_story" => "audit.target_type.role_model_story",
        "user" => "audit.target_type.user",
        "api_token" => "audit.target_type.api_token",
        "audit_log" => "audit.target_type.audit_log",
        "import" => "audit.target_type.import",
        "tenant" => "audit.target_type.tenant",
        "account" | "address" => "audit.target_type.sign_in",
        "posting" => "audit.target_type.posting",
        "application" => "audit.target_type.application",
        "fa_declaration" => "audit.target_type.fa_declaration",
        "side_job" => "audit.target_type.side_job",
        "company_policy" => "audit.target_type.company_policy",
        _ => return None,
    })
}

/// Names the audit log shows, looked up once per page. Actors are named; a target is
/// named only when it is an account or a programme — a person, dialogue or report stays
/// a number, so that the log does not tell its reader who saw a consultant.
struct Names<'a> {
    state: &'a AppState,
    tenant: TenantId,
    users_by_email: HashMap<String, Option<String>>,
}

impl Names<'_> {
    async fn actor(&mut self, page: &Page, email: &str) -> Result<String, AppError> {
        if email.is_empty() {
            return Ok(String::new());
        }
        if !self.users_by_email.contains_key(email) {
            let name = match domain::EmailAddress::parse(email) {
                Ok(e) => self
                    .state
                    .store
                    .user_by_email(self.tenant, &e)
                    .await?
                    .map(|u| u.name),
                Err(_) => None,
            };
            self.users_by_email.insert(email.to_string(), name);
        }
        Ok(match self.users_by_email.get(email).cloned().flatten() {
            Some(name) => page
                .lang
                .catalog()
                .format("audit.actor_named", &[("name", &name), ("email", &email)]),
            None => email.to_string(),
        })
    }

    async fn target(&mut self, page: &Page, t: &str, id: &str) -> Result<String, AppError> {
        let named = match (t, id.parse::<i64>()) {
            ("user", Ok(n)) => match self.state.store.user(self.tenant, UserId(n)).await {
                Ok(u) => Some(u.name),
                Err(store::StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            ("programme", Ok(n)) => self
                .state
                .store
                .programme(self.tenant, n)
                .await?
                .map(|p| format!("「{}」", p.name)),
            _ => None,
        };
        let kind = target_key(t)
            .map(|k| page.t(k))
            .unwrap_or_else(|| t.to_string());
        Ok(match named {
            Some(name) => format!("{kind} {name}"),
            None if id.is_empty() => kind,
            None => format!("{kind} #{id}"),
        })
    }
}

async fn audit_rows(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    entries: Vec<AuditEntry>,
) -> Result<Vec<AuditRow>, AppError> {
    let mut names = Names {
        state,
        tenant,
        users_by_email: HashMap::new(),
    };
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let actor = names.actor(page, &e.actor_email).await?;
        let target = match (&e.target_type, &e.target_id) {
            (Some(t), Some(i)) => names.target(page, t, i).await?,
            (Some(t), None) => names.target(page, t, "").await?,
            _ => String::new(),
        };
        let action = page.t(&format!("audit_action.{}", e.action));
        let who = if actor.is_empty() {
            page.t("audit.system")
        } else {
            actor.clone()
        };
        let sentence = if target.is_empty() {
            page.lang.catalog().format(
                "audit.sentence_no_target",
                &[("actor", &who), ("action", &action)],
            )
        } else {
            page.lang.catalog().format(
                "audit.sentence",
                &[("actor", &who), ("action", &action), ("target", &target)],
            )
        };
        out.push(AuditRow {
            at: crate::shared::time::when(e.at),
            actor,
            action_key: format!("audit_action.{}", e.action),
            target,
            ip: e.ip.unwrap_or_default(),
            detail: detail_text(page, e.detail.as_deref().unwrap_or_default()),
            sentence,
        });
    }
    Ok(out)
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub(super) struct AuditPage {
    shell: Shell,
    q: AuditQuery,
    query_string: String,
    actions: Vec<(&'static str, String)>,
    entries: Vec<AuditRow>,
    total: i64,
    page: u64,
    pages: u64,
    error: Option<String>,
}

const PAGE_SIZE: u64 = 50;

/// GET /admin/audit — browse and filter.
pub(super) async fn audit_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, AppError> {
    allow(
        &auth,
        Action::ViewAuditLog {
            tenant: auth.tenant(),
        },
    )?;
    let (mut filter, error) = match q.filter() {
        Ok(f) => (f, None),
        Err(()) => (AuditFilter::default(), Some(page.t("audit.bad_date"))),
    };
    filter.hidden_targets =
        crate::shared::access::hidden_targets(&state, &auth.caller(&origin)).await?;
    let current = q.page.unwrap_or(1).max(1);
    let (rows, total) = state
        .store
        .list_audit(
            auth.tenant(),
            &filter,
            PAGE_SIZE,
            (current - 1).saturating_mul(PAGE_SIZE),
        )
        .await?;
    let pages = (total as u64).div_ceil(PAGE_SIZE).max(1);
    let query_string = form_urlencoded::Serializer::new(String::new())
        .append_pair("action", &q.action)
        .append_pair("actor", &q.actor)
        .append_pair("from", &q.from)
        .append_pair("until", &q.until)
        .finish();
    Ok(AuditPage {
        shell: page.shell(Some(&auth), "/admin/audit"),
        actions: AuditAction::ALL
            .iter()
            .map(|a| (a.as_str(), format!("audit_action.{}", a.as_str())))
            .collect(),
        entries: audit_rows(&state, &page, auth.tenant(), rows).await?,
        q,
        query_string,
        total,
        page: current,
        pages,
        error,
    })
}

/// GET /admin/audit.csv — the filtered log as UTF-8 CSV with a BOM (opens in Excel). Audited.
pub(super) async fn audit_csv(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Query(q): Query<AuditQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    allow(
        &auth,
        Action::ExportAuditLog {
            tenant: auth.tenant(),
        },
    )?;
    let mut filter = q
        .filter()
        .map_err(|_| AppError::Page(crate::shared::error::ErrorPage::BadRequest))?;
    filter.hidden_targets =
        crate::shared::access::hidden_targets(&state, &auth.caller(&origin)).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let header = [
        "audit.at",
        "audit.actor",
        "audit.action",
        "audit.target",
        "audit.ip",
        "audit.detail",
    ]
    .map(|k| page.t(k));
    let write_err = |e: csv::Error| AppError::internal("csv", e);
    w.write_record(&header).map_err(write_err)?;
    let mut offset = 0;
    let mut count = 0;
    loop {
        let (rows, _) = state
            .store
            .list_audit(auth.tenant(), &filter, 5000, offset)
            .await?;
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as u64;
        for r in audit_rows(&state, &page, auth.tenant(), rows).await? {
            let action = page.t(&r.action_key);
            w.write_record([r.at, r.actor, action, r.target, r.ip, r.detail])
                .map_err(write_err)?;
            count += 1;
        }
    }
    let bytes = w.into_inner().map_err(|e| AppError::internal("csv", e))?;
    auth.audit(
        &state,
        &origin,
        NewAuditEntry::new(Some(auth.tenant()), AuditAction::Export)
            .target("audit_log", "csv")
            .detail(domain::audit::detail(
                "audit_csv",
                &[("count", &count), ("filter", &raw.unwrap_or_default())],
            )),
    )
    .await?;
    let filename = format!("audit-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// A stored detail in the reader's language: the pattern it was written with
/// (`domain::audit::read_detail`) as `audit_detail.{key}`, each value that names a key
/// (a role, a consent event, a visibility…) as `audit_value.{value}`. Anything that fits
/// no pattern is shown as stored.
fn detail_text(page: &Page, stored: &str) -> String {
    let Some((key, slots)) = domain::audit::read_detail(stored) else {
        return stored.to_string();
    };
    let catalog = page.lang.catalog();
    let mut text = page.t(&format!("audit_detail.{key}")).to_string();
    for (name, value) in slots {
        let shown = value
            .split(',')
            .map(|v| {
                let k = format!("audit_value.{}", v.trim());
                if catalog.has(&k) {
                    catalog.get(&k).to_string()
                } else {
                    v.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(&page.t("audit_value.separator"));
        text = text.replace(&format!("{{{name}}}"), &shown);
    }
    text
}

#[cfg(test)]
mod tests {
    use app::i18n::Lang;

    #[test]
    fn every_audit_detail_is_said_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            for (key, pattern) in domain::audit::DETAILS {
                let full = format!("audit_detail.{key}");
                assert!(lang.catalog().has(&full), "{lang:?}: {key}");
                let text = lang.catalog().get(&full);
                // The translation keeps every slot of the pattern.
                for slot in domain::audit::detail_slots(pattern) {
                    assert!(
                        text.contains(&format!("{{{slot}}}")),
                        "{lang:?} {key}: {slot}"
                    );
                }
            }
        }
    }
}
