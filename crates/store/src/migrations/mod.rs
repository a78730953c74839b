//! Versioned schema migrations, written once in Rust over sea-query's schema builder and
//! rendered for the engine in use. Run at start (and by `kyoritsu migrate`), each in its
//! own transaction, recorded in `schema_migrations`.
//!
//! Rules (`crates/store/MIGRATIONS.md`): never edit a released migration, only add
//! new ones; SQLite cannot alter constraints, so add tables or columns rather than
//! changing them.

use crate::db::{Engine, Tx};
use crate::schema::*;
use crate::{Result, Store, StoreError};
use sea_query::IntoIden;
use sea_query::{
    ColumnDef, Expr, ExprTrait, ForeignKey, ForeignKeyAction, Index, IndexCreateStatement,
    PostgresQueryBuilder, Query, SqliteQueryBuilder, Table, TableCreateStatement,
};

mod m0001_platform;
mod m0002_imports;
mod m0003_pending_imports;
mod m0004_rating_scale;
mod m0005_ratings_without_rowid;
mod m0006_directory_version;
mod m0007_career_sheets;
mod m0008_tenant_questions;
mod m0009_dialogues;
mod m0010_commitments;
mod m0011_feedback_reports;
mod m0012_autonomy;
mod m0013_behaviour_evaluations;
mod m0014_worksheet_items;
mod m0015_check_in_grace;
mod m0016_jobs;
mod m0017_role_model_stories;
mod m0018_anchor_results;
mod m0019_programmes;
mod m0020_programme_files;
mod m0021_sign_in_throttles;
mod m0022_pairs;
mod m0023_report_retraction;
mod m0024_dialogue_requests;
mod m0025_notifications;
mod m0026_programme_cancel;
mod m0027_pair_programme;
mod m0028_consultant_profiles;
mod m0029_consultant_diagnoses;
mod m0030_consultant_matching;
mod m0031_surveys;
mod m0032_kpi_counts;
mod m0033_training_feedback;
mod m0034_dialogue_time_index;
mod m0035_org_report_units;
mod m0036_dialogue_concerns_index;
mod m0037_postings;
mod m0038_learning;
mod m0039_accounts;
mod m0040_identity;

use m0001_platform::m0001_platform;
use m0002_imports::m0002_imports;
use m0003_pending_imports::m0003_pending_imports;
use m0004_rating_scale::m0004_rating_scale;
use m0005_ratings_without_rowid::m0005_ratings_without_rowid;
use m0006_directory_version::m0006_directory_version;
use m0007_career_sheets::m0007_career_sheets;
use m0008_tenant_questions::m0008_tenant_questions;
use m0009_dialogues::m0009_dialogues;
use m0010_commitments::m0010_commitments;
use m0011_feedback_reports::m0011_feedback_reports;
use m0012_autonomy::m0012_autonomy;
use m0013_behaviour_evaluations::m0013_behaviour_evaluations;
use m0014_worksheet_items::m0014_worksheet_items;
use m0015_check_in_grace::m0015_check_in_grace;
use m0016_jobs::m0016_jobs;
use m0017_role_model_stories::m0017_role_model_stories;
use m0018_anchor_results::m0018_anchor_results;
use m0019_programmes::m0019_programmes;
use m0020_programme_files::m0020_programme_files;
use m0021_sign_in_throttles::m0021_sign_in_throttles;
use m0022_pairs::m0022_pairs;
use m0023_report_retraction::m0023_report_retraction;
use m0024_dialogue_requests::m0024_dialogue_requests;
use m0025_notifications::m0025_notifications;
use m0026_programme_cancel::m0026_programme_cancel;
use m0027_pair_programme::m0027_pair_programme;
use m0028_consultant_profiles::m0028_consultant_profiles;
use m0029_consultant_diagnoses::m0029_consultant_diagnoses;
use m0030_consultant_matching::m0030_consultant_matching;
use m0031_surveys::m0031_surveys;
use m0032_kpi_counts::m0032_kpi_counts;
use m0033_training_feedback::m0033_training_feedback;
use m0034_dialogue_time_index::m0034_dialogue_time_index;
use m0035_org_report_units::m0035_org_report_units;
use m0036_dialogue_concerns_index::m0036_dialogue_concerns_index;
use m0037_postings::m0037_postings;
use m0038_learning::m0038_learning;
use m0039_accounts::m0039_accounts;
use m0040_identity::m0040_identity;

type Statements = Vec<String>;

struct Migration {
    version: i64,
    name: &'static str,
    up: fn(Engine) -> Statements,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "platform",
        up: m0001_platform,
    },
    Migration {
        version: 2,
        name: "imports",
        up: m0002_imports,
    },
    Migration {
        version: 3,
        name: "pending_imports",
        up: m0003_pending_imports,
    },
    Migration {
        version: 4,
        name: "rating_scale",
        up: m0004_rating_scale,
    },
    Migration {
        version: 5,
        name: "ratings_without_rowid",
        up: m0005_ratings_without_rowid,
    },
    Migration {
        version: 6,
        name: "directory_version",
        up: m0006_directory_version,
    },
    Migration {
        version: 7,
        name: "career_sheets",
        up: m0007_career_sheets,
    },
    Migration {
        version: 8,
        name: "tenant_questions",
        up: m0008_tenant_questions,
    },
    Migration {
        version: 9,
        name: "dialogues",
        up: m0009_dialogues,
    },
    Migration {
        version: 10,
        name: "commitments",
        up: m0010_commitments,
    },
    Migration {
        version: 11,
        name: "feedback_reports",
        up: m0011_feedback_reports,
    },
    Migration {
        version: 12,
        name: "autonomy",
        up: m0012_autonomy,
    },
    Migration {
        version: 13,
        name: "behaviour_evaluations",
        up: m0013_behaviour_evaluations,
    },
    Migration {
        version: 14,
        name: "worksheet_items",
        up: m0014_worksheet_items,
    },
    Migration {
        version: 15,
        name: "check_in_grace",
        up: m0015_check_in_grace,
    },
    Migration {
        version: 16,
        name: "jobs",
        up: m0016_jobs,
    },
    Migration {
        version: 17,
        name: "role_model_stories",
        up: m0017_role_model_stories,
    },
    Migration {
        version: 18,
        name: "anchor_results",
        up: m0018_anchor_results,
    },
    Migration {
        version: 19,
        name: "programmes",
        up: m0019_programmes,
    },
    Migration {
        version: 20,
        name: "programme_files",
        up: m0020_programme_files,
    },
    Migration {
        version: 21,
        name: "sign_in_throttles",
        up: m0021_sign_in_throttles,
    },
    Migration {
        version: 22,
        name: "pairs",
        up: m0022_pairs,
    },
    Migration {
        version: 23,
        name: "report_retraction",
        up: m0023_report_retraction,
    },
    Migration {
        version: 24,
        name: "dialogue_requests",
        up: m0024_dialogue_requests,
    },
    Migration {
        version: 25,
        name: "notifications",
        up: m0025_notifications,
    },
    Migration {
        version: 26,
        name: "programme_cancel",
        up: m0026_programme_cancel,
    },
    Migration {
        version: 27,
        name: "pair_programme",
        up: m0027_pair_programme,
    },
    Migration {
        version: 28,
        name: "consultant_profiles",
        up: m0028_consultant_profiles,
    },
    Migration {
        version: 29,
        name: "consultant_diagnoses",
        up: m0029_consultant_diagnoses,
    },
    Migration {
        version: 30,
        name: "consultant_matching",
        up: m0030_consultant_matching,
    },
    Migration {
        version: 31,
        name: "surveys",
        up: m0031_surveys,
    },
    Migration {
        version: 32,
        name: "kpi_counts",
        up: m0032_kpi_counts,
    },
    Migration {
        version: 33,
        name: "training_feedback",
        up: m0033_training_feedback,
    },
    Migration {
        version: 34,
        name: "dialogue_time_index",
        up: m0034_dialogue_time_index,
    },
    Migration {
        version: 35,
        name: "org_report_units",
        up: m0035_org_report_units,
    },
    Migration {
        version: 36,
        name: "dialogue_concerns_index",
        up: m0036_dialogue_concerns_index,
    },
    Migration {
        version: 37,
        name: "postings",
        up: m0037_postings,
    },
    Migration {
        version: 38,
        name: "learning",
        up: m0038_learning,
    },
    Migration {
        version: 39,
        name: "accounts",
        up: m0039_accounts,
    },
    Migration {
        version: 40,
        name: "identity",
        up: m0040_identity,
    },
];

/// Applies every migration not yet applied. Safe to call from several processes at
/// once on PostgreSQL (an advisory lock serialises them); SQLite serialises writers.
pub async fn run(store: &Store) -> Result<Vec<i64>> {
    let mut tx = store.begin().await?;
    if tx.engine() == Engine::Postgres {
        tx.execute_raw("SELECT pg_advisory_xact_lock(72517001)")
            .await?;
    }
    tx.execute_raw(&render(tx.engine(), &schema_migrations_table()))
        .await?;
    let done: Vec<(i64,)> = tx
        .fetch_all(
            &Query::select()
                .column(SchemaMigrations::Version)
                .from(SchemaMigrations::Table)
                .to_owned(),
        )
        .await?;
    tx.commit().await?;

    let mut applied = Vec::new();
    for m in MIGRATIONS {
        if done.iter().any(|(v,)| *v == m.version) {
            continue;
        }
        let mut tx = store.begin().await?;
        if tx.engine() == Engine::Postgres {
            tx.execute_raw("SELECT pg_advisory_xact_lock(72517001)")
                .await?;
            // Another process may have applied it while we waited for the lock.
            let again: Option<(i64,)> = tx
                .fetch_optional(
                    &Query::select()
                        .column(SchemaMigrations::Version)
                        .from(SchemaMigrations::Table)
                        .and_where(Expr::col(SchemaMigrations::Version).eq(m.version))
                        .to_owned(),
                )
                .await?;
            if again.is_some() {
                continue;
            }
        }
        apply(&mut tx, m).await.map_err(|e| StoreError::Migration {
            version: m.version,
            name: m.name,
            reason: e.to_string(),
        })?;
        tx.commit().await?;
        tracing::info!(
            migration.version = m.version,
            migration.name = m.name,
            "applied migration"
        );
        applied.push(m.version);
    }
    crate::sessions::SessionBackend::new(store)
        .migrate()
        .await
        .map_err(|e| StoreError::Migration {
            version: 0,
            name: "sessions",
            reason: e.to_string(),
        })?;
    Ok(applied)
}

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

async fn apply(tx: &mut Tx, m: &Migration) -> Result<()> {
    for sql in (m.up)(tx.engine()) {
        tx.execute_raw(&sql).await?;
    }
    tx.execute(
        &Query::insert()
            .into_table(SchemaMigrations::Table)
            .columns([
                SchemaMigrations::Version,
                SchemaMigrations::Name,
                SchemaMigrations::AppliedAt,
            ])
            .values_panic([m.version.into(), m.name.into(), chrono::Utc::now().into()])
            .to_owned(),
    )
    .await?;
    Ok(())
}

fn render(engine: Engine, t: &TableCreateStatement) -> String {
    match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    }
}

fn render_index(engine: Engine, i: &IndexCreateStatement) -> String {
    match engine {
        Engine::Sqlite => i.to_string(SqliteQueryBuilder),
        Engine::Postgres => i.to_string(PostgresQueryBuilder),
    }
}

fn schema_migrations_table() -> TableCreateStatement {
    Table::create()
        .table(SchemaMigrations::Table)
        .if_not_exists()
        .col(
            ColumnDef::new(SchemaMigrations::Version)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(ColumnDef::new(SchemaMigrations::Name).text().not_null())
        .col(
            ColumnDef::new(SchemaMigrations::AppliedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .to_owned()
}

fn id_col<T: sea_query::IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn tenant_col<T: sea_query::IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn ts<T: sea_query::IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn big<T: sea_query::IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn text<T: sea_query::IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

/// The statements that lift a history table's append-only guard, and those that put it
/// back exactly as its migration made it: a restore replacing a tenant deletes that
/// tenant's history inside its own transaction, between the two.
pub(crate) fn lift_history_guard(engine: Engine, table: &str) -> (Statements, Statements) {
    let rekey = table == "dialogue_note_revisions";
    match engine {
        Engine::Sqlite => (
            vec![
                format!("DROP TRIGGER {table}_no_update"),
                format!("DROP TRIGGER {table}_no_delete"),
            ],
            append_only(engine, table, rekey),
        ),
        Engine::Postgres => (
            vec![format!("DROP TRIGGER {table}_guard ON {table}")],
            append_only(engine, table, rekey).split_off(1),
        ),
    }
}

/// Triggers refusing UPDATE (unless only the sealed body changes, when `rekey` allows it)
/// and DELETE on a history table.
fn append_only(engine: Engine, table: &str, rekey: bool) -> Statements {
    let msg = format!("{table} is append-only");
    match engine {
        Engine::Sqlite => {
            let update_guard = if rekey {
                format!(
                    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} \
                     WHEN NEW.id IS NOT OLD.id OR NEW.revision IS NOT OLD.revision OR NEW.visibility IS NOT OLD.visibility OR NEW.written_at IS NOT OLD.written_at \
                     BEGIN SELECT RAISE(ABORT, '{msg}'); END"
                )
            } else {
                format!(
                    "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} \
                     WHEN NEW.id IS NOT OLD.id OR NEW.event IS NOT OLD.event OR NEW.recorded_at IS NOT OLD.recorded_at \
                     BEGIN SELECT RAISE(ABORT, '{msg}'); END"
                )
            };
            vec![
                update_guard,
                format!(
                    "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{msg}'); END"
                ),
            ]
        }
        Engine::Postgres => {
            let cond = if rekey {
                "NEW.id IS DISTINCT FROM OLD.id OR NEW.revision IS DISTINCT FROM OLD.revision OR NEW.visibility IS DISTINCT FROM OLD.visibility OR NEW.written_at IS DISTINCT FROM OLD.written_at"
            } else {
                "NEW.id IS DISTINCT FROM OLD.id OR NEW.event IS DISTINCT FROM OLD.event OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at"
            };
            vec![
                format!(
                    "CREATE FUNCTION {table}_guard() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP = 'DELETE' OR ({cond}) THEN RAISE EXCEPTION '{msg}'; END IF; \
                     RETURN NEW; END $$ LANGUAGE plpgsql"
                ),
                format!(
                    "CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION {table}_guard()"
                ),
            ]
        }
    }
}

fn fk<A, B, C, D>(from: A, from_col: B, to: C, to_col: D) -> sea_query::ForeignKeyCreateStatement
where
    A: sea_query::IntoIden,
    B: sea_query::IntoIden,
    C: sea_query::IntoIden,
    D: sea_query::IntoIden,
{
    ForeignKey::create()
        .from(from, from_col)
        .to(to, to_col)
        .to_owned()
}
