//! One tenant, written out whole and read back (`kyoritsu backup` / `kyoritsu restore`):
//! how a company keeps a copy of its data, and how it moves from the embedded SQLite to
//! PostgreSQL. The two engines read and write the same file.
//!
//! # Format (`kyoritsu-backup`, version 1)
//!
//! UTF-8 JSON Lines, one JSON value per line:
//!
//! 1. a header: `{"format":"kyoritsu-backup","version":1,"schema_version":N,
//!    "tenant":"acme","written_at":"…","engine":"sqlite"}` — `schema_version` is the last
//!    migration of the database it came from; a backup restores only into a database at
//!    the same schema version;
//! 2. for every table of [`TABLES`], in that order (parents before children): a line
//!    `{"table":"people","columns":[["id","int"],["name","text"],…]}`, one JSON array per
//!    row with the values in the columns' order, and `{"end":"people","rows":N}`. Column
//!    kinds: `int`, `text`, `bool`, `timestamp` (RFC 3339, UTC, to the nanosecond),
//!    `date` (`YYYY-MM-DD`), `bytes` (standard base64); `null` where there is no value;
//! 3. a trailer: `{"end_of_backup":true,"tables":T,"rows":R}`. A file without it was cut
//!    short and is refused.
//!
//! Rows keep their ids, so references between them and the sealed texts (whose
//! associated data names the tenant and the dialogue) stay valid: confidential texts
//! travel sealed and open only with the same note key. Sessions are not kept (people sign
//! in again). The audit log is never deleted: restoring over a tenant keeps the audit
//! entries it has and adds those of the backup it lacks.

use crate::db::{Engine, Tx};
use crate::{Result, Store, StoreError, TenantId};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, Value};
use serde_json::{Value as Json, json};
use sqlx::Row;
use std::io::{BufRead, Write};

/// What a backup file says it is.
pub const FORMAT: &str = "kyoritsu-backup";
/// The version of the format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Every table that holds a tenant's data, parents before children. A test checks that
/// no other table of the schema holds tenant data, so a new table cannot be forgotten.
pub const TABLES: [&str; 67] = [
    "tenants",
    "departments",
    "people",
    "ratings",
    "users",
    "user_roles",
    "api_tokens",
    "audit_log",
    "imports",
    "pending_imports",
    "career_sheet_versions",
    "career_sheet_drafts",
    "tenant_questions",
    "consultant_assignments",
    "dialogue_series",
    "dialogues",
    "dialogue_notes",
    "dialogue_note_revisions",
    "dialogue_topics",
    "dialogue_consents",
    "commitments",
    "feedback_reports",
    "behaviour_evaluations",
    "worksheet_items",
    "jobs",
    "role_model_stories",
    "anchor_results",
    "programmes",
    "training_sessions",
    "programme_participants",
    "programme_files",
    "sign_in_throttles",
    "pairs",
    "dialogue_requests",
    "notifications",
    "consultant_profiles",
    "consultant_diagnoses",
    "consultant_slots",
    "consultation_choices",
    "consultation_ratings",
    "invitations",
    "consultant_photos",
    "survey_questionnaires",
    "surveys",
    "survey_targets",
    "survey_answers",
    "concern_themes",
    "dialogue_concerns",
    "kpi_years",
    "kpi_counts",
    "training_feedback",
    "org_reports",
    "org_report_units",
    "postings",
    "posting_saves",
    "posting_applications",
    "posting_outcomes",
    "fa_declarations",
    "fa_requests",
    "side_jobs",
    "company_policies",
    "courses",
    "course_completions",
    "subsidy_claims",
    "tenant_sso",
    "scim_groups",
    "scim_group_members",
];

/// Tables that are not a tenant's data: the schema's own record and the sessions.
const NOT_TENANT_DATA: [&str; 2] = ["schema_migrations", "tower_sessions"];

/// Columns that refer to a row of their own table: written after every row is in.
const SELF_REFERENCES: [(&str, &str); 2] = [("departments", "parent_id"), ("people", "manager_id")];

/// History tables whose rows the database refuses to delete (triggers); a restore over
/// a tenant lifts the guard for its own transaction only.
const GUARDED: [&str; 2] = ["dialogue_note_revisions", "dialogue_consents"];

/// Rows per INSERT statement when restoring (SQLite takes at most 32,766 parameters).
const BATCH_CELLS: usize = 30_000;

/// The kind of a column, as the file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Timestamp,
    Date,
    Bytes,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Text => "text",
            Kind::Bool => "bool",
            Kind::Timestamp => "timestamp",
            Kind::Date => "date",
            Kind::Bytes => "bytes",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Int,
            Kind::Text,
            Kind::Bool,
            Kind::Timestamp,
            Kind::Date,
            Kind::Bytes,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }

    /// From a column's declared type on either engine.
    fn of_declared(declared: &str) -> Option<Kind> {
        Some(match declared.to_ascii_lowercase().as_str() {
            "integer" | "bigint" | "int" | "int4" | "int8" | "smallint" | "int2" => Kind::Int,
            "text" | "varchar" | "character varying" => Kind::Text,
            "boolean" | "bool" => Kind::Bool,
            "timestamp_with_timezone_text" | "timestamptz" | "timestamp with time zone" => {
                Kind::Timestamp
            }
            "date_text" | "date" => Kind::Date,
            "blob" | "bytea" => Kind::Bytes,
            _ => return None,
        })
    }
}

/// What a backup or a restore did, per table.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    pub tenant: String,
    /// (table, rows), in the file's order.
    pub tables: Vec<(String, u64)>,
    pub rows: u64,
}

fn bad(reason: impl Into<String>) -> StoreError {
    StoreError::Backup(reason.into())
}

fn io(e: std::io::Error) -> StoreError {
    bad(format!("cannot write the backup: {e}"))
}

impl Tx {
    /// The columns of a table and their kinds, in the table's order.
    async fn columns_of(&mut self, table: &str) -> Result<Vec<(String, Kind)>> {
        let raw: Vec<(String, String)> = match self {
            Tx::Sqlite(t) => sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(|r| (r.get::<String, _>(1), r.get::<String, _>(2)))
                .collect(),
            Tx::Postgres(t) => sqlx::query_as(
                "SELECT column_name::text, udt_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut **t)
            .await?,
        };
        raw.into_iter()
            .map(|(name, declared)| {
                Kind::of_declared(&declared)
                    .map(|k| (name.clone(), k))
                    .ok_or_else(|| {
                        bad(format!(
                            "{table}.{name} has a type backups do not know: {declared}"
                        ))
                    })
            })
            .collect()
    }

    /// The names of every table of the schema.
    async fn table_names(&mut self) -> Result<Vec<String>> {
        Ok(match self {
            Tx::Sqlite(t) => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut **t)
            .await?,
            Tx::Postgres(t) => {
                sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                )
                .fetch_all(&mut **t)
                .await?
            }
        })
    }
}

/// `SELECT` of a table's rows of one tenant, every column as the file writes it.
fn select_sql(engine: Engine, table: &str, columns: &[(String, Kind)]) -> String {
    let list: Vec<String> = columns
        .iter()
        .map(|(c, k)| match (engine, k) {
            // PostgreSQL decodes only the width it stores; every integer goes out as i64.
            (Engine::Postgres, Kind::Int) => format!("CAST(\"{c}\" AS BIGINT)"),
            _ => format!("\"{c}\""),
        })
        .collect();
    let key = if table == "tenants" {
        "id"
    } else {
        "tenant_id"
    };
    let param = if engine == Engine::Postgres {
        "$1"
    } else {
        "?"
    };
    let order = if columns.iter().any(|(c, _)| c == "id") {
        "\"id\"".to_string()
    } else {
        (1..=columns.len().min(4))
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "SELECT {} FROM \"{table}\" WHERE \"{key}\" = {param} ORDER BY {order}",
        list.join(", ")
    )
}

macro_rules! cell {
    ($row:expr, $i:expr, $kind:expr) => {{
        let row = $row;
        let i = $i;
        match $kind {
            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Json::from),
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Json::from),
            Kind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Json::from),
            Kind::Timestamp => row
                .try_get::<Option<DateTime<Utc>>, _>(i)?
                .map(|t| Json::from(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))),
            Kind::Date => row
                .try_get::<Option<NaiveDate>, _>(i)?
                .map(|d| Json::from(d.to_string())),
            Kind::Bytes => row
                .try_get::<Option<Vec<u8>>, _>(i)?
                .map(|b| Json::from(base64::engine::general_purpose::STANDARD.encode(b))),
        }
        .unwrap_or(Json::Null)
    }};
}

/// One value of the file as the database takes it.
fn value_of(kind: Kind, v: &Json, table: &str, column: &str) -> Result<Value> {
    let wrong = || bad(format!("{table}.{column}: {v} is not a {}", kind.key()));
    Ok(match (kind, v) {
        (Kind::Int, Json::Null) => Value::BigInt(None),
        (Kind::Text, Json::Null) => Value::String(None),
        (Kind::Bool, Json::Null) => Value::Bool(None),
        (Kind::Timestamp, Json::Null) => Value::ChronoDateTimeUtc(None),
        (Kind::Date, Json::Null) => Value::ChronoDate(None),
        (Kind::Bytes, Json::Null) => Value::Bytes(None),
        (Kind::Int, Json::Number(n)) => Value::BigInt(Some(n.as_i64().ok_or_else(wrong)?)),
        (Kind::Text, Json::String(s)) => Value::String(Some(s.clone())),
        (Kind::Bool, Json::Bool(b)) => Value::Bool(Some(*b)),
        (Kind::Timestamp, Json::String(s)) => Value::ChronoDateTimeUtc(Some(
            DateTime::parse_from_rfc3339(s)
                .map_err(|_| wrong())?
                .with_timezone(&Utc),
        )),
        (Kind::Date, Json::String(s)) => {
            Value::ChronoDate(Some(s.parse::<NaiveDate>().map_err(|_| wrong())?))
        }
        (Kind::Bytes, Json::String(s)) => Value::Bytes(Some(
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| wrong())?,
        )),
        _ => return Err(wrong()),
    })
}

fn line(out: &mut impl Write, v: &Json) -> Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(|e| bad(e.to_string()))?;
    out.write_all(b"\n").map_err(io)
}

impl Store {
    /// The last migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64> {
        let (v,): (Option<i64>,) = self
            .fetch_one(
                &Query::select()
                    .expr(Expr::col(Alias::new("version")).max())
                    .from(Alias::new("schema_migrations"))
                    .to_owned(),
            )
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// A read-only transaction that sees one moment of the database throughout.
    async fn begin_snapshot(&self) -> Result<Tx> {
        Ok(match &self.pool {
            crate::db::Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN DEFERRED").await?),
            crate::db::Pool::Postgres(p) => Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// Writes every row of one tenant to `out` in the format above, as of one moment;
    /// `progress` hears of each table as it is done.
    pub async fn backup_tenant(
        &self,
        tenant: TenantId,
        out: &mut impl Write,
        progress: &(dyn Fn(&str, u64) + Sync),
    ) -> Result<Summary> {
        let schema_version = self.schema_version().await?;
        let mut tx = self.begin_snapshot().await?;
        let engine = tx.engine();
        let t = self.tenant(tenant).await?;
        let mut summary = Summary {
            tenant: t.slug.clone(),
            ..Default::default()
        };
        line(
            out,
            &json!({
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "schema_version": schema_version,
                "tenant": t.slug,
                "written_at": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "engine": match engine { Engine::Sqlite => "sqlite", Engine::Postgres => "postgres" },
            }),
        )?;
        for table in TABLES {
            let columns = tx.columns_of(table).await?;
            line(
                out,
                &json!({
                    "table": table,
                    "columns": columns.iter().map(|(c, k)| json!([c, k.key()])).collect::<Vec<_>>(),
                }),
            )?;
            let sql = select_sql(engine, table, &columns);
            let mut rows = 0u64;
            // The same loop on either engine's rows.
            macro_rules! write_rows {
                ($conn:expr) => {{
                    let mut stream = sqlx::query(&sql).bind(tenant.0).fetch(&mut **$conn);
                    while let Some(row) = stream.try_next().await? {
                        let cells: Vec<Json> = columns
                            .iter()
                            .enumerate()
                            .map(|(i, (_, k))| Ok(cell!(&row, i, *k)))
                            .collect::<Result<_>>()?;
                        line(out, &Json::Array(cells))?;
                        rows += 1;
                    }
                }};
            }
            match &mut tx {
                Tx::Sqlite(c) => write_rows!(c),
                Tx::Postgres(c) => write_rows!(c),
            }
            line(out, &json!({"end": table, "rows": rows}))?;
            progress(table, rows);
            summary.tables.push((table.to_string(), rows));
            summary.rows += rows;
        }
        line(
            out,
            &json!({"end_of_backup": true, "tables": summary.tables.len(), "rows": summary.rows}),
        )?;
        out.flush().map_err(io)?;
        Ok(summary)
    }

    /// The column names of one table of the schema (tests check that anonymous answers
    /// have no column that could name anyone).
    pub async fn table_columns(&self, table: &str) -> Result<Vec<String>> {
        let mut tx = self.begin_snapshot().await?;
        Ok(tx
            .columns_of(table)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect())
    }

    /// Every table of the schema that is neither in [`TABLES`] nor known not to be tenant
    /// data (a test keeps this empty).
    pub async fn tables_missing_from_backups(&self) -> Result<Vec<String>> {
        let mut tx = self.begin_snapshot().await?;
        Ok(tx
            .table_names()
            .await?
            .into_iter()
            .filter(|t| !TABLES.contains(&t.as_str()) && !NOT_TENANT_DATA.contains(&t.as_str()))
            .collect())
    }

    /// Recreates a tenant from a backup, all or nothing. A tenant of the same code is
    /// replaced only when `replace` is set; otherwise nothing is written.
    pub async fn restore_tenant(
        &self,
        input: impl BufRead,
        replace: bool,
        progress: &(dyn Fn(&str, u64) + Sync),
    ) -> Result<Summary> {
        let mut lines = input.lines().enumerate();
        let mut next = |what: &str| -> Result<(usize, Json)> {
            let (n, l) = lines
                .next()
                .ok_or_else(|| bad(format!("the file ends before {what}: it was cut short")))?;
            let l = l.map_err(|e| bad(format!("line {}: {e}", n + 1)))?;
            let v = serde_json::from_str(&l)
                .map_err(|e| bad(format!("line {} is not JSON: {e}", n + 1)))?;
            Ok((n + 1, v))
        };
        let (_, header) = next("the header")?;
        if header["format"] != FORMAT {
            return Err(bad(
                "this is not a Kyoritsu backup (no kyoritsu-backup header)",
            ));
        }
        if header["version"].as_u64() != Some(FORMAT_VERSION) {
            return Err(bad(format!(
                "the backup is in format version {}; this build reads version {FORMAT_VERSION}",
                header["version"]
            )));
        }
        let ours = self.schema_version().await?;
        if header["schema_version"].as_i64() != Some(ours) {
            return Err(bad(format!(
                "the backup was written at schema version {}, this database is at {ours}: restore with the build that wrote it",
                header["schema_version"]
            )));
        }
        let slug = header["tenant"].as_str().unwrap_or_default().to_string();
        let existing = self
            .tenant_by_slug(&slug)
            .await?
            .filter(|_| !slug.is_empty());
        if existing.is_some() && !replace {
            return Err(bad(format!(
                "a tenant '{slug}' exists in this database already; nothing was written (pass --replace to replace it with the backup)"
            )));
        }
        let mut tx = self.begin().await?;
        let engine = tx.engine();
        if let Some(old) = &existing {
            self.delete_tenant_rows(&mut tx, old.id).await?;
        }
        let mut summary = Summary {
            tenant: slug.clone(),
            ..Default::default()
        };
        let mut restored_tenant: Option<i64> = None;
        loop {
            let (n, v) = next("the end of the backup")?;
            if v["end_of_backup"] == true {
                if v["rows"].as_u64() != Some(summary.rows) {
                    return Err(bad(format!(
                        "the trailer counts {} rows, the file holds {}",
                        v["rows"], summary.rows
                    )));
                }
                break;
            }
            let table = v["table"]
                .as_str()
                .ok_or_else(|| bad(format!("line {n}: a table was expected")))?
                .to_string();
            if !TABLES.contains(&table.as_str()) {
                return Err(bad(format!("line {n}: unknown table '{table}'")));
            }
            let ours = tx.columns_of(&table).await?;
            let columns: Vec<(String, Kind)> = v["columns"]
                .as_array()
                .ok_or_else(|| bad(format!("line {n}: the columns of {table} are missing")))?
                .iter()
                .map(|c| {
                    let name = c[0].as_str().unwrap_or_default().to_string();
                    let kind = c[1].as_str().and_then(Kind::parse);
                    match (kind, ours.iter().find(|(o, _)| *o == name)) {
                        (Some(k), Some((_, theirs))) if k == *theirs => Ok((name, k)),
                        _ => Err(bad(format!(
                            "line {n}: {table}.{name} does not match this database's schema"
                        ))),
                    }
                })
                .collect::<Result<_>>()?;
            let self_ref = SELF_REFERENCES
                .iter()
                .find(|(t, _)| *t == table)
                .and_then(|(_, c)| columns.iter().position(|(name, _)| name == c));
            let id_at = columns.iter().position(|(c, _)| c == "id");
            let tenant_at = columns.iter().position(|(c, _)| {
                c == if table == "tenants" {
                    "id"
                } else {
                    "tenant_id"
                }
            });
            let per_batch = (BATCH_CELLS / columns.len().max(1)).max(1);
            let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_batch);
            let mut links: Vec<(i64, i64)> = Vec::new();
            let mut rows = 0u64;
            loop {
                let (n, v) = next(&format!("the end of {table}"))?;
                if let Some(end) = v.get("end") {
                    if end != table.as_str() || v["rows"].as_u64() != Some(rows) {
                        return Err(bad(format!("line {n}: {table} ends with a wrong count")));
                    }
                    break;
                }
                let cells = v
                    .as_array()
                    .filter(|c| c.len() == columns.len())
                    .ok_or_else(|| bad(format!("line {n}: a row of {table} was expected")))?;
                // Every row belongs to the backed-up tenant.
                let owner = tenant_at.and_then(|i| cells[i].as_i64());
                match (restored_tenant, owner) {
                    (None, Some(id)) if table == "tenants" => restored_tenant = Some(id),
                    (Some(t), Some(o)) if t == o => {}
                    _ => {
                        return Err(bad(format!(
                            "line {n}: a row of {table} belongs to another tenant"
                        )));
                    }
                }
                let mut values = Vec::with_capacity(columns.len());
                for (i, ((name, kind), cell)) in columns.iter().zip(cells).enumerate() {
                    if Some(i) == self_ref && !cell.is_null() {
                        let id = id_at.and_then(|a| cells[a].as_i64()).unwrap_or_default();
                        links.push((id, cell.as_i64().unwrap_or_default()));
                        values.push(Value::BigInt(None));
                    } else {
                        if let Some((key, false)) =
                            cell.as_str().and_then(|t| self.keys.sealed_with(t))
                        {
                            return Err(bad(format!(
                                "the backup holds texts sealed with note key {key}, which this database does not have; nothing was written. Set note_key (KYORITSU_NOTE_KEY) to the source's key — for SQLite, the content of its <database>.key file — and restore again"
                            )));
                        }
                        values.push(value_of(*kind, cell, &table, name)?);
                    }
                }
                batch.push(values);
                rows += 1;
                if batch.len() == per_batch {
                    insert_rows(&mut tx, &table, &columns, std::mem::take(&mut batch)).await?;
                }
            }
            insert_rows(&mut tx, &table, &columns, batch).await?;
            if let Some(i) = self_ref {
                link_rows(&mut tx, &table, &columns[i].0, &links).await?;
            }
            if engine == Engine::Postgres && id_at.is_some() {
                tx.execute_raw(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
                ))
                .await?;
            }
            progress(&table, rows);
            summary.tables.push((table, rows));
            summary.rows += rows;
        }
        if next("nothing").is_ok() {
            return Err(bad("there is more after the end of the backup"));
        }
        let Some(id) = restored_tenant else {
            return Err(bad("the backup holds no tenant"));
        };
        // Every process rebuilds its people directory for this tenant.
        tx.execute(
            &Query::update()
                .table(Alias::new("tenants"))
                .value(
                    Alias::new("directory_version"),
                    Expr::col(Alias::new("directory_version")).add(1),
                )
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await?;
        tx.commit().await?;
        self.refresh_statistics().await?;
        Ok(summary)
    }

    /// Deletes every row of a tenant but its audit log, children first, inside `tx`.
    async fn delete_tenant_rows(&self, tx: &mut Tx, tenant: TenantId) -> Result<()> {
        let engine = tx.engine();
        let mut restore_guards = Vec::new();
        for table in GUARDED {
            let (lift, restore) = crate::migrations::lift_history_guard(engine, table);
            for sql in lift {
                tx.execute_raw(&sql).await?;
            }
            restore_guards.extend(restore);
        }
        for table in TABLES.iter().rev() {
            if *table == "audit_log" {
                continue;
            }
            if let Some((_, column)) = SELF_REFERENCES.iter().find(|(t, _)| t == table) {
                tx.execute_raw(&format!(
                    "UPDATE \"{table}\" SET \"{column}\" = NULL WHERE tenant_id = {}",
                    tenant.0
                ))
                .await?;
            }
            let key = if *table == "tenants" {
                "id"
            } else {
                "tenant_id"
            };
            tx.execute_raw(&format!(
                "DELETE FROM \"{table}\" WHERE \"{key}\" = {}",
                tenant.0
            ))
            .await?;
        }
        for sql in restore_guards {
            tx.execute_raw(&sql).await?;
        }
        Ok(())
    }
}

async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[(String, Kind)],
    rows: Vec<Vec<Value>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut q = Query::insert();
    q.into_table(Alias::new(table))
        .columns(columns.iter().map(|(c, _)| Alias::new(c.as_str())));
    for r in rows {
        q.values_panic(r.into_iter().map(Expr::val));
    }
    // The audit log keeps what it has: a restore adds the entries it lacks.
    if table == "audit_log" {
        q.on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned());
    }
    tx.execute(&q).await.map_err(|e| match e {
        StoreError::Conflict(_) => bad(format!(
            "rows of {table} have ids that another tenant of this database uses: restore into a database without them"
        )),
        other => other,
    })?;
    Ok(())
}

/// Sets the self-references held back while the rows went in.
async fn link_rows(tx: &mut Tx, table: &str, column: &str, links: &[(i64, i64)]) -> Result<()> {
    for chunk in links.chunks(500) {
        let mut case = sea_query::CaseStatement::new();
        for (id, target) in chunk {
            case = case.case(Expr::col(Alias::new("id")).eq(*id), Expr::val(*target));
        }
        tx.execute(
            &Query::update()
                .table(Alias::new(table))
                .value(Alias::new(column), case)
                .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().map(|(id, _)| *id)))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}
