//! The engine seam: one `Store` over either a SQLite or a PostgreSQL pool.
//! sea-query renders each statement for the engine in use; nothing outside this file
//! branches on the engine except the few engine-specific statements in `migrations`
//! and the session store adapter.

use crate::{Result, StoreError};
use sea_query::{Iden, PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{FromRow, Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle to the database. Cheap to clone; share one per process.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// SQLite only: the connection bulk loads run on ([`Store::begin_bulk`]).
    pub(crate) bulk: Option<SqlitePool>,
    /// Derived, per process: see [`crate::directory`].
    pub(crate) directory: std::sync::Arc<crate::directory::DirectoryCache>,
    /// Seals and opens confidential texts (see [`crate::crypto`]).
    pub(crate) keys: std::sync::Arc<crate::crypto::NoteKeys>,
}

/// A row type readable from both engines (derive `sqlx::FromRow`, or use a tuple).
pub trait AnyRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> AnyRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// Removes a password from a database URL before it is shown anywhere.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// This store within the process (its clones share it): what in-process work keyed
    /// by tenant adds so that two stores of one process — the test suite's many
    /// databases — never share a key.
    pub fn instance(&self) -> usize {
        std::sync::Arc::as_ptr(&self.directory) as usize
    }

    /// Opens a database from a URL: `sqlite://path` (created if absent) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        let fail = |reason: String| StoreError::Connect {
            target: redact_url(url),
            reason,
        };
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| fail(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Statement journals of multi-row INSERTs stay in memory.
                .pragma("temp_store", "memory")
                // Deleted content is overwritten, so freed pages keep no old text (a
                // session row that once held a message, a replaced draft).
                .pragma("secure_delete", "on");
            // Bulk loads get their own connection, opened when first needed and closed
            // soon after: a 64 MB page cache, and foreign keys not enforced row by row
            // (see `begin_bulk` for why that is safe). No other work ever runs on it.
            let bulk = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(0)
                .idle_timeout(Duration::from_secs(30))
                .acquire_timeout(Duration::from_secs(60))
                .connect_lazy_with(
                    opts.clone()
                        .foreign_keys(false)
                        .pragma("cache_size", "-65536"),
                );
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await
                .map_err(|e| fail(explain_connect_error(&e)))?;
            Ok(Store {
                pool: Pool::Sqlite(pool),
                bulk: Some(bulk),
                directory: Default::default(),
                keys: Default::default(),
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await
                .map_err(|e| fail(explain_connect_error(&e)))?;
            Ok(Store {
                pool: Pool::Postgres(pool),
                bulk: None,
                directory: Default::default(),
                keys: Default::default(),
            })
        } else {
            Err(fail(
                "the URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    /// Connects, applies pending migrations, and hands out a fresh pool. Migrating on a
    /// throw-away pool first matters for SQLite: connections that were open while a
    /// migration altered a table can keep describing its old columns.
    pub async fn open_migrated(url: &str) -> Result<Store> {
        let first = Store::connect(url).await?;
        let applied = crate::migrations::run(&first).await?;
        if applied.is_empty() {
            return Ok(first);
        }
        first.close().await;
        Store::connect(url).await
    }

    /// Brings the query planner's statistics up to date after a bulk write. Without them
    /// SQLite read a page of 50 people by id through the tenant index — a scan of every
    /// person — instead of the primary key (see bench/README.md).
    pub(crate) async fn refresh_statistics(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(_) => {
                // Approximate statistics: bounded work even for millions of rows. Then
                // move the bulk write out of the WAL into the database file, so readers
                // do not look pages up in a WAL of hundreds of megabytes. One string, so
                // one connection: the limit is a setting of the connection it is set on
                // (sent apart, ANALYZE could run on another, without it).
                self.execute_raw(
                    "PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)",
                )
                .await?;
            }
            Pool::Postgres(_) => {
                self.execute_raw("ANALYZE people, departments, ratings")
                    .await?;
            }
        }
        Ok(())
    }

    /// The same store, sealing and opening confidential texts with these keys.
    pub fn with_note_keys(mut self, keys: crate::crypto::NoteKeys) -> Store {
        self.keys = std::sync::Arc::new(keys);
        self
    }

    /// The keys confidential texts are sealed with.
    pub fn note_keys(&self) -> &crate::crypto::NoteKeys {
        &self.keys
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Closes every connection (graceful shutdown, tests).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => {
                if let Some(bulk) = &self.bulk {
                    bulk.close().await;
                }
                p.close().await
            }
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// Is the database answering? (`/healthz`)
    pub async fn ping(&self) -> Result<()> {
        self.execute_raw("SELECT 1").await.map(|_| ())
    }

    /// A transaction that writes a great many rows (imports, loads).
    ///
    /// On SQLite it runs on the store's bulk connection: a 64 MB page cache instead of
    /// 2 MB, so pages are not spilled to the WAL long before the commit, and foreign keys
    /// not checked row by row, which took a third of the time of writing 300,000 people
    /// and their 2.1 million ratings. That is safe because a bulk writer only refers to
    /// rows it read or created in the same transaction, which holds SQLite's write lock
    /// from its first statement (`BEGIN IMMEDIATE`): nothing it refers to can go
    /// meanwhile. Tests check bulk imports with `PRAGMA foreign_key_check`. Only inserts
    /// and updates may run on it: with the keys off, deletes would not cascade.
    pub(crate) async fn begin_bulk(&self) -> Result<Tx> {
        match &self.bulk {
            // IMMEDIATE: the write lock from the start, so the load never fails halfway
            // because another connection wrote after it read.
            Some(bulk) => Ok(Tx::Sqlite(bulk.begin_with("BEGIN IMMEDIATE").await?)),
            None => self.begin().await,
        }
    }

    /// A transaction for a write. Every transaction in the store writes, and most read
    /// first (the latest version, the current revision). On SQLite it takes the write
    /// lock at its start (`BEGIN IMMEDIATE`), waiting its turn under the busy timeout: a
    /// deferred transaction that read first cannot wait when it comes to write, because
    /// another writer may have changed what it read, and SQLite answered "database is
    /// locked" at once (35–41 % of career sheet saves failed at 16–64 concurrent users).
    /// Writes outside a transaction are single statements, which wait as well.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub(crate) async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => sqlx::query(sql).execute(p).await?.rows_affected(),
            Pool::Postgres(p) => sqlx::query(sql).execute(p).await?.rows_affected(),
        })
    }

    pub(crate) async fn execute<S: SqlxBinder>(&self, stmt: &S) -> Result<u64> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(&sql, values)
                    .execute(p)
                    .await?
                    .rows_affected()
            }
            Pool::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(&sql, values)
                    .execute(p)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub(crate) async fn fetch_all<T: AnyRow, S: SqlxBinder>(&self, stmt: &S) -> Result<Vec<T>> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(&sql, values).fetch_all(p).await?
            }
            Pool::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(&sql, values).fetch_all(p).await?
            }
        })
    }

    /// Every row of a large read of `columns` columns (order not kept). On SQLite the
    /// rows come back packed by SQLite into one JSON array (`json_group_array`): sqlx
    /// hands SQLite rows over one at a time between threads, which cost seconds for each
    /// 300,000-row read of a year's counts while SQLite itself took a tenth of that. On
    /// PostgreSQL, rows as they are. `columns` must be the select's count (SQLite refuses
    /// the packing otherwise); values arrive as JSON, so a boolean column is read as an
    /// integer (0/1) and a time as its stored text.
    pub(crate) async fn fetch_packed<T, S>(&self, stmt: &S, columns: usize) -> Result<Vec<T>>
    where
        T: AnyRow + serde::de::DeserializeOwned,
        S: SqlxBinder,
    {
        match &self.pool {
            Pool::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                let names: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
                let names = names.join(", ");
                let packed = format!(
                    "WITH packed({names}) AS ({sql}) \
                     SELECT json_group_array(json_array({names})) FROM packed"
                );
                let (text,): (String,) = sqlx::query_as_with(&packed, values).fetch_one(p).await?;
                serde_json::from_str(&text)
                    .map_err(|e| StoreError::Integrity(format!("packed rows: {e}")))
            }
            Pool::Postgres(_) => self.fetch_all(stmt).await,
        }
    }

    pub(crate) async fn fetch_optional<T: AnyRow, S: SqlxBinder>(
        &self,
        stmt: &S,
    ) -> Result<Option<T>> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(&sql, values).fetch_optional(p).await?
            }
            Pool::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(&sql, values).fetch_optional(p).await?
            }
        })
    }

    pub(crate) async fn fetch_one<T: AnyRow, S: SqlxBinder>(&self, stmt: &S) -> Result<T> {
        self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
    }
}

fn explain_connect_error(e: &sqlx::Error) -> String {
    let text = e.to_string();
    if text.contains("unable to open database file") || text.contains("code: 14") {
        "cannot open the SQLite file: check that its folder exists and is writable".into()
    } else if text.contains("Connection refused") || text.contains("connection refused") {
        "connection refused: is the server running and listening on that host and port?".into()
    } else if matches!(e, sqlx::Error::PoolTimedOut) {
        "no connection within the time limit: is the server running and listening on that host and port?".into()
    } else {
        text
    }
}

/// A transaction on either engine. Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// SQLite, before a bulk insert of `adding` rows: if that at least doubles the table,
    /// drops the table's indexes and returns their definitions for
    /// [`Tx::rebuild_indexes`]; otherwise, and on PostgreSQL, does nothing. Building an
    /// index once from the loaded rows sorts them; keeping it up during the load inserts
    /// into it row by row at random places, which cost 1.2 s more at 300,000 people. Both
    /// happen inside the transaction, so a rollback restores the indexes and other
    /// connections never see the table without them. Unique indexes stay: they guard the
    /// data, and dropping the people one gained nothing. PostgreSQL's bulk insert is the
    /// server's own work, and dropping indexes would lock the table for every tenant.
    pub(crate) async fn suspend_indexes(
        &mut self,
        table: impl Iden + 'static,
        adding: usize,
    ) -> Result<Vec<String>> {
        if self.engine() != Engine::Sqlite {
            return Ok(Vec::new());
        }
        let name = table.unquoted().to_string();
        let (count,): (i64,) = self
            .fetch_one(
                &sea_query::Query::select()
                    .expr(sea_query::Expr::cust("COUNT(*)"))
                    .from(table)
                    .to_owned(),
            )
            .await?;
        if (adding as i64) < count {
            return Ok(Vec::new());
        }
        let Tx::Sqlite(t) = self else {
            return Ok(Vec::new());
        };
        let defs: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
        )
        .bind(&name)
        .fetch_all(&mut **t)
        .await?;
        for (index, _) in &defs {
            sqlx::query(&format!("DROP INDEX \"{index}\""))
                .execute(&mut **t)
                .await?;
        }
        Ok(defs.into_iter().map(|(_, sql)| sql).collect())
    }

    /// Re-creates the indexes [`Tx::suspend_indexes`] dropped.
    pub(crate) async fn rebuild_indexes(&mut self, defs: &[String]) -> Result<()> {
        for sql in defs {
            self.execute_raw(sql).await?;
        }
        Ok(())
    }

    pub(crate) fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }

    pub(crate) async fn execute_raw(&mut self, sql: &str) -> Result<u64> {
        Ok(match self {
            Tx::Sqlite(t) => sqlx::query(sql).execute(&mut **t).await?.rows_affected(),
            Tx::Postgres(t) => sqlx::query(sql).execute(&mut **t).await?.rows_affected(),
        })
    }

    pub(crate) async fn execute<S: SqlxBinder>(&mut self, stmt: &S) -> Result<u64> {
        Ok(match self {
            Tx::Sqlite(t) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(&sql, values)
                    .execute(&mut **t)
                    .await?
                    .rows_affected()
            }
            Tx::Postgres(t) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(&sql, values)
                    .execute(&mut **t)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub(crate) async fn fetch_all<T: AnyRow, S: SqlxBinder>(&mut self, stmt: &S) -> Result<Vec<T>> {
        Ok(match self {
            Tx::Sqlite(t) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(&sql, values)
                    .fetch_all(&mut **t)
                    .await?
            }
            Tx::Postgres(t) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(&sql, values)
                    .fetch_all(&mut **t)
                    .await?
            }
        })
    }

    pub(crate) async fn fetch_optional<T: AnyRow, S: SqlxBinder>(
        &mut self,
        stmt: &S,
    ) -> Result<Option<T>> {
        Ok(match self {
            Tx::Sqlite(t) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(&sql, values)
                    .fetch_optional(&mut **t)
                    .await?
            }
            Tx::Postgres(t) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(&sql, values)
                    .fetch_optional(&mut **t)
                    .await?
            }
        })
    }

    pub(crate) async fn fetch_one<T: AnyRow, S: SqlxBinder>(&mut self, stmt: &S) -> Result<T> {
        self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
    }
}

impl Store {
    /// `column IN ids` as one parameter: a JSON array read by `json_each` on SQLite, an
    /// array literal on PostgreSQL. A list of a thousand parameters cost PostgreSQL more
    /// to plan than to run (300 ms for a dashboard's 1,206 units).
    pub(crate) fn in_ids(&self, column: &str, ids: &[i64]) -> sea_query::Expr {
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        match self.engine() {
            Engine::Sqlite => sea_query::Expr::cust_with_values(
                format!("\"{column}\" IN (SELECT value FROM json_each(?))"),
                [format!("[{}]", list.join(","))],
            ),
            Engine::Postgres => sea_query::Expr::cust_with_values(
                format!("\"{column}\" = ANY(CAST($1 AS bigint[]))"),
                [format!("{{{}}}", list.join(","))],
            ),
        }
    }
}

/// One value of a bulk insert ([`Tx::insert_many`]). Strings are borrowed: each is copied
/// once, into the engine. The variant carries the column's type even when the value is null.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Date(Option<chrono::NaiveDate>),
    Time(Option<chrono::DateTime<chrono::Utc>>),
    Bool(Option<bool>),
}

impl From<i64> for Cell<'_> {
    fn from(v: i64) -> Self {
        Cell::Int(Some(v))
    }
}
impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        Cell::Int(v)
    }
}
impl<'a> From<&'a str> for Cell<'a> {
    fn from(v: &'a str) -> Self {
        Cell::Text(Some(v))
    }
}
impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Cell::Text(v)
    }
}
impl From<Option<chrono::NaiveDate>> for Cell<'_> {
    fn from(v: Option<chrono::NaiveDate>) -> Self {
        Cell::Date(v)
    }
}
impl From<chrono::NaiveDate> for Cell<'_> {
    fn from(v: chrono::NaiveDate) -> Self {
        Cell::Date(Some(v))
    }
}
impl From<chrono::DateTime<chrono::Utc>> for Cell<'_> {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Self {
        Cell::Time(Some(v))
    }
}
impl From<bool> for Cell<'_> {
    fn from(v: bool) -> Self {
        Cell::Bool(Some(v))
    }
}

/// Rows per statement of a bulk insert on SQLite, within its limit of 32,766 bound values.
const SQLITE_ROWS_PER_INSERT: usize = 5000;
const SQLITE_MAX_VALUES: usize = 32_000;
/// Rows per statement on PostgreSQL (one array per column, so only memory limits it).
const PG_ROWS_PER_INSERT: usize = 20_000;

impl Tx {
    /// Inserts rows of `columns.len()` cells each (`cells` holds them one after another)
    /// in as few statements as the engine allows: multi-row `VALUES` on SQLite, `UNNEST`
    /// over one array per column on PostgreSQL. With `returning = Some((key, id))` it
    /// returns each new row's text `key` and integer `id`. This is the one bulk path: it
    /// skips the query builder because building and copying a value per cell cost more
    /// than the engine's own work for large imports (see bench/README.md).
    pub(crate) async fn insert_many(
        &mut self,
        table: impl Iden + Send,
        columns: &[&(dyn Iden + Sync)],
        cells: &[Cell<'_>],
        returning: Option<(&(dyn Iden + Sync), &(dyn Iden + Sync))>,
    ) -> Result<Vec<(String, i64)>> {
        let width = columns.len();
        if width == 0 || cells.is_empty() {
            return Ok(Vec::new());
        }
        let names: Vec<String> = columns
            .iter()
            .map(|c| format!("\"{}\"", c.unquoted()))
            .collect();
        let head = format!(
            "INSERT INTO \"{}\" ({})",
            table.unquoted(),
            names.join(", ")
        );
        let mut out = Vec::new();
        match self {
            Tx::Sqlite(t) => {
                // The ids are handed out here rather than read back with RETURNING, which
                // cost as much as the insert itself. Bulk transactions hold SQLite's one
                // write lock from the start, so nobody else can take these ids meanwhile;
                // the table's AUTOINCREMENT counter follows the largest id inserted.
                let mut next_id = match returning {
                    Some((_, id)) => {
                        let (n,): (i64,) = sqlx::query_as(&format!(
                            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), \
                             COALESCE((SELECT MAX(\"{}\") FROM \"{}\"), 0))",
                            id.unquoted(),
                            table.unquoted()
                        ))
                        .bind(table.unquoted())
                        .fetch_one(&mut **t)
                        .await?;
                        n + 1
                    }
                    None => 0,
                };
                let key_at = returning
                    .and_then(|(k, _)| columns.iter().position(|c| c.unquoted() == k.unquoted()));
                let (head, width_in_sql) = match returning {
                    Some((_, id)) => (
                        format!(
                            "INSERT INTO \"{}\" (\"{}\", {})",
                            table.unquoted(),
                            id.unquoted(),
                            names.join(", ")
                        ),
                        width + 1,
                    ),
                    None => (head, width),
                };
                let per_insert = (SQLITE_MAX_VALUES / width_in_sql).min(SQLITE_ROWS_PER_INSERT);
                let row = format!("({})", vec!["?"; width_in_sql].join(", "));
                for rows in cells.chunks(per_insert * width) {
                    let sql = format!(
                        "{head} VALUES {}",
                        vec![row.as_str(); rows.len() / width].join(", ")
                    );
                    let mut q = sqlx::query(&sql);
                    for row in rows.chunks(width) {
                        if returning.is_some() {
                            q = q.bind(next_id);
                            if let Some(Cell::Text(Some(key))) = key_at.map(|k| row[k]) {
                                out.push((key.to_string(), next_id));
                            }
                            next_id += 1;
                        }
                        for c in row {
                            q = match *c {
                                Cell::Int(v) => q.bind(v),
                                Cell::Text(v) => q.bind(v),
                                Cell::Date(v) => q.bind(v),
                                Cell::Time(v) => q.bind(v),
                                Cell::Bool(v) => q.bind(v),
                            };
                        }
                    }
                    q.execute(&mut **t).await?;
                }
            }
            Tx::Postgres(t) => {
                let tail = returning
                    .map(|(k, id)| {
                        format!(" RETURNING \"{}\", \"{}\"", k.unquoted(), id.unquoted())
                    })
                    .unwrap_or_default();
                for rows in cells.chunks(PG_ROWS_PER_INSERT * width) {
                    let n = rows.len() / width;
                    let casts: Vec<String> = (0..width)
                        .map(|i| {
                            let ty = match rows[i] {
                                Cell::Int(_) => "bigint",
                                Cell::Text(_) => "text",
                                Cell::Date(_) => "date",
                                Cell::Time(_) => "timestamptz",
                                Cell::Bool(_) => "boolean",
                            };
                            format!("${}::{ty}[]", i + 1)
                        })
                        .collect();
                    let sql = format!("{head} SELECT * FROM UNNEST({}){tail}", casts.join(", "));
                    let column = |i: usize| rows.iter().skip(i).step_by(width).take(n);
                    let mut args = sqlx::postgres::PgArguments::default();
                    for (i, first) in rows[..width].iter().enumerate() {
                        use sqlx::Arguments;
                        let bound = match first {
                            Cell::Int(_) => args.add(
                                column(i)
                                    .map(|c| match c {
                                        Cell::Int(v) => *v,
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                            Cell::Text(_) => args.add(
                                column(i)
                                    .map(|c| match c {
                                        Cell::Text(v) => *v,
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                            Cell::Date(_) => args.add(
                                column(i)
                                    .map(|c| match c {
                                        Cell::Date(v) => *v,
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                            Cell::Time(_) => args.add(
                                column(i)
                                    .map(|c| match c {
                                        Cell::Time(v) => *v,
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                            Cell::Bool(_) => args.add(
                                column(i)
                                    .map(|c| match c {
                                        Cell::Bool(v) => *v,
                                        _ => None,
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                        };
                        bound.map_err(sqlx::Error::Encode)?;
                    }
                    out.extend(
                        sqlx::query_as_with::<_, (String, i64), _>(&sql, args)
                            .fetch_all(&mut **t)
                            .await?,
                    );
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_appear_in_shown_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/k"),
            "postgres://app:***@db:5432/k"
        );
        assert_eq!(redact_url("sqlite://kyoritsu.db"), "sqlite://kyoritsu.db");
        assert_eq!(redact_url("postgres://app@db/k"), "postgres://app@db/k");
    }
}
