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

fn m0001_platform(engine: Engine) -> Statements {
    let mut out = Vec::new();
    let mut t = |stmt: TableCreateStatement| out.push(render(engine, &stmt));

    t(Table::create()
        .table(Tenants::Table)
        .col(id_col(Tenants::Id))
        .col(ColumnDef::new(Tenants::Slug).text().not_null())
        .col(ColumnDef::new(Tenants::Name).text().not_null())
        .col(
            ColumnDef::new(Tenants::FyStartMonth)
                .integer()
                .not_null()
                .default(4),
        )
        .col(
            ColumnDef::new(Tenants::AgeRule)
                .text()
                .not_null()
                .default("legal"),
        )
        .col(
            ColumnDef::new(Tenants::AnonymityK)
                .integer()
                .not_null()
                .default(5),
        )
        .col(
            ColumnDef::new(Tenants::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .to_owned());

    t(Table::create()
        .table(Departments::Table)
        .col(id_col(Departments::Id))
        .col(tenant_col(Departments::TenantId))
        .col(ColumnDef::new(Departments::Code).text().not_null())
        .col(ColumnDef::new(Departments::Name).text().not_null())
        .col(ColumnDef::new(Departments::ParentId).big_integer().null())
        .foreign_key(&mut fk(
            Departments::Table,
            Departments::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            Departments::Table,
            Departments::ParentId,
            Departments::Table,
            Departments::Id,
        ))
        .to_owned());

    t(Table::create()
        .table(People::Table)
        .col(id_col(People::Id))
        .col(tenant_col(People::TenantId))
        .col(ColumnDef::new(People::EmployeeNumber).text().not_null())
        .col(ColumnDef::new(People::Name).text().not_null())
        .col(
            ColumnDef::new(People::NameKana)
                .text()
                .not_null()
                .default(""),
        )
        .col(ColumnDef::new(People::Email).text().null())
        .col(ColumnDef::new(People::BirthDate).date().null())
        .col(ColumnDef::new(People::HireDate).date().null())
        .col(ColumnDef::new(People::DepartmentId).big_integer().null())
        .col(ColumnDef::new(People::Title).text().not_null().default(""))
        .col(ColumnDef::new(People::Grade).text().not_null().default(""))
        .col(ColumnDef::new(People::ManagerId).big_integer().null())
        .col(
            ColumnDef::new(People::Status)
                .text()
                .not_null()
                .default("active"),
        )
        .foreign_key(&mut fk(
            People::Table,
            People::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            People::Table,
            People::DepartmentId,
            Departments::Table,
            Departments::Id,
        ))
        .foreign_key(&mut fk(
            People::Table,
            People::ManagerId,
            People::Table,
            People::Id,
        ))
        .to_owned());

    t(Table::create()
        .table(Ratings::Table)
        .col(tenant_col(Ratings::TenantId))
        .col(ColumnDef::new(Ratings::PersonId).big_integer().not_null())
        .col(ColumnDef::new(Ratings::FiscalYear).integer().not_null())
        .col(ColumnDef::new(Ratings::Rating).text().not_null())
        .primary_key(
            Index::create()
                .col(Ratings::PersonId)
                .col(Ratings::FiscalYear),
        )
        .foreign_key(&mut fk(
            Ratings::Table,
            Ratings::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(
            &mut fk(Ratings::Table, Ratings::PersonId, People::Table, People::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned(),
        )
        .to_owned());

    t(Table::create()
        .table(Users::Table)
        .col(id_col(Users::Id))
        .col(tenant_col(Users::TenantId))
        .col(ColumnDef::new(Users::Email).text().not_null())
        .col(ColumnDef::new(Users::Name).text().not_null())
        .col(ColumnDef::new(Users::PersonId).big_integer().null())
        .col(ColumnDef::new(Users::PasswordHash).text().null())
        .col(
            ColumnDef::new(Users::Disabled)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(Users::FailedAttempts)
                .integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(Users::LockedUntil)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Users::SessionsValidAfter)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Users::LastSignInAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Users::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(&mut fk(
            Users::Table,
            Users::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            Users::Table,
            Users::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned());

    t(Table::create()
        .table(UserRoles::Table)
        .col(tenant_col(UserRoles::TenantId))
        .col(ColumnDef::new(UserRoles::UserId).big_integer().not_null())
        .col(ColumnDef::new(UserRoles::Role).text().not_null())
        .primary_key(Index::create().col(UserRoles::UserId).col(UserRoles::Role))
        .foreign_key(
            &mut fk(UserRoles::Table, UserRoles::UserId, Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned(),
        )
        .to_owned());

    t(Table::create()
        .table(ApiTokens::Table)
        .col(id_col(ApiTokens::Id))
        .col(tenant_col(ApiTokens::TenantId))
        .col(ColumnDef::new(ApiTokens::UserId).big_integer().not_null())
        .col(ColumnDef::new(ApiTokens::Label).text().not_null())
        .col(ColumnDef::new(ApiTokens::TokenHash).text().not_null())
        .col(
            ColumnDef::new(ApiTokens::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(ApiTokens::LastUsedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(ApiTokens::RevokedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(
            &mut fk(ApiTokens::Table, ApiTokens::UserId, Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned(),
        )
        .to_owned());

    t(Table::create()
        .table(AuditLog::Table)
        .col(id_col(AuditLog::Id))
        .col(ColumnDef::new(AuditLog::TenantId).big_integer().null())
        .col(
            ColumnDef::new(AuditLog::At)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(AuditLog::ActorUserId).big_integer().null())
        .col(
            ColumnDef::new(AuditLog::ActorEmail)
                .text()
                .not_null()
                .default(""),
        )
        .col(ColumnDef::new(AuditLog::Action).text().not_null())
        .col(ColumnDef::new(AuditLog::TargetType).text().null())
        .col(ColumnDef::new(AuditLog::TargetId).text().null())
        .col(ColumnDef::new(AuditLog::Ip).text().null())
        .col(ColumnDef::new(AuditLog::RequestId).text().null())
        .col(ColumnDef::new(AuditLog::Detail).text().null())
        .to_owned());

    let mut i = |stmt: IndexCreateStatement| out.push(render_index(engine, &stmt));
    i(Index::create()
        .name("tenants_slug")
        .table(Tenants::Table)
        .col(Tenants::Slug)
        .unique()
        .to_owned());
    i(Index::create()
        .name("users_tenant_email")
        .table(Users::Table)
        .col(Users::TenantId)
        .col(Users::Email)
        .unique()
        .to_owned());
    i(Index::create()
        .name("users_person")
        .table(Users::Table)
        .col(Users::PersonId)
        .to_owned());
    i(Index::create()
        .name("api_tokens_hash")
        .table(ApiTokens::Table)
        .col(ApiTokens::TokenHash)
        .unique()
        .to_owned());
    i(Index::create()
        .name("departments_tenant_code")
        .table(Departments::Table)
        .col(Departments::TenantId)
        .col(Departments::Code)
        .unique()
        .to_owned());
    i(Index::create()
        .name("departments_parent")
        .table(Departments::Table)
        .col(Departments::ParentId)
        .to_owned());
    i(Index::create()
        .name("people_tenant_number")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::EmployeeNumber)
        .unique()
        .to_owned());
    i(Index::create()
        .name("people_tenant_manager")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::ManagerId)
        .to_owned());
    // (tenant, department, status) covers head counts per department without reading rows.
    i(Index::create()
        .name("people_tenant_department")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::DepartmentId)
        .col(People::Status)
        .to_owned());
    i(Index::create()
        .name("people_tenant_status")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::Status)
        .to_owned());
    i(Index::create()
        .name("people_tenant_hire")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::HireDate)
        .to_owned());
    i(Index::create()
        .name("people_tenant_birth")
        .table(People::Table)
        .col(People::TenantId)
        .col(People::BirthDate)
        .to_owned());
    i(Index::create()
        .name("audit_tenant_at")
        .table(AuditLog::Table)
        .col(AuditLog::TenantId)
        .col(AuditLog::At)
        .to_owned());

    // The audit log is append-only: the database itself refuses changes.
    match engine {
        Engine::Sqlite => {
            out.push("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END".into());
            out.push("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END".into());
        }
        Engine::Postgres => {
            out.push("CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$".into());
            out.push("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()".into());
        }
    }
    out
}

fn m0002_imports(engine: Engine) -> Statements {
    let table = Table::create()
        .table(Imports::Table)
        .col(id_col(Imports::Id))
        .col(tenant_col(Imports::TenantId))
        .col(
            ColumnDef::new(Imports::At)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(Imports::ActorUserId).big_integer().null())
        .col(
            ColumnDef::new(Imports::ActorEmail)
                .text()
                .not_null()
                .default(""),
        )
        .col(ColumnDef::new(Imports::FileName).text().not_null())
        .col(ColumnDef::new(Imports::Source).text().not_null())
        .col(ColumnDef::new(Imports::Rows).big_integer().not_null())
        .col(ColumnDef::new(Imports::Added).big_integer().not_null())
        .col(ColumnDef::new(Imports::Updated).big_integer().not_null())
        .col(ColumnDef::new(Imports::Unchanged).big_integer().not_null())
        .col(ColumnDef::new(Imports::MarkedLeft).big_integer().not_null())
        .col(ColumnDef::new(Imports::Full).boolean().not_null())
        .foreign_key(&mut fk(
            Imports::Table,
            Imports::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    vec![
        render(engine, &table),
        render_index(
            engine,
            &Index::create()
                .name("imports_tenant_at")
                .table(Imports::Table)
                .col(Imports::TenantId)
                .col(Imports::At)
                .to_owned(),
        ),
    ]
}

/// Uploaded files waiting for the user to confirm their preview (kept in the database so
/// any server process can apply them).
fn m0003_pending_imports(engine: Engine) -> Statements {
    let table = Table::create()
        .table(PendingImports::Table)
        .col(id_col(PendingImports::Id))
        .col(tenant_col(PendingImports::TenantId))
        .col(
            ColumnDef::new(PendingImports::UserId)
                .big_integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(PendingImports::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(ColumnDef::new(PendingImports::FileName).text().not_null())
        .col(ColumnDef::new(PendingImports::Full).boolean().not_null())
        .col(ColumnDef::new(PendingImports::Content).blob().not_null())
        .foreign_key(&mut fk(
            PendingImports::Table,
            PendingImports::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(
            &mut fk(
                PendingImports::Table,
                PendingImports::UserId,
                Users::Table,
                Users::Id,
            )
            .on_delete(ForeignKeyAction::Cascade)
            .to_owned(),
        )
        .to_owned();
    vec![render(engine, &table)]
}

/// Each tenant's rating scale (label=value pairs), default S=5,A=4,B=3,C=2,D=1.
fn m0004_rating_scale(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::RatingScale)
                .text()
                .not_null()
                .default("S=5,A=4,B=3,C=2,D=1"),
        )
        .to_owned();
    vec![match engine {
        Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
        Engine::Postgres => alter.to_string(PostgresQueryBuilder),
    }]
}

/// SQLite keeps ratings in their primary key's own b-tree (`WITHOUT ROWID`) rather than
/// a row table plus a key index: every rating is written once instead of twice, which
/// made a 2.1-million-rating import about three times faster. PostgreSQL has no such
/// choice and is unchanged.
fn m0005_ratings_without_rowid(engine: Engine) -> Statements {
    match engine {
        Engine::Postgres => vec![],
        Engine::Sqlite => vec![
            "CREATE TABLE \"ratings_v5\" ( \"tenant_id\" integer NOT NULL, \"person_id\" integer NOT NULL, \"fiscal_year\" integer NOT NULL, \"rating\" text NOT NULL, PRIMARY KEY (\"person_id\", \"fiscal_year\"), FOREIGN KEY (\"tenant_id\") REFERENCES \"tenants\" (\"id\"), FOREIGN KEY (\"person_id\") REFERENCES \"people\" (\"id\") ON DELETE CASCADE ) WITHOUT ROWID".into(),
            "INSERT INTO \"ratings_v5\" SELECT \"tenant_id\", \"person_id\", \"fiscal_year\", \"rating\" FROM \"ratings\"".into(),
            "DROP TABLE \"ratings\"".into(),
            "ALTER TABLE \"ratings_v5\" RENAME TO \"ratings\"".into(),
        ],
    }
}

/// A counter bumped by every change to a tenant's people or departments: each server
/// process rebuilds its in-memory directory (search, org tree) when it moves.
fn m0006_directory_version(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(Tenants::DirectoryVersion)
                .big_integer()
                .not_null()
                .default(0),
        )
        .to_owned();
    vec![
        match engine {
            Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
            Engine::Postgres => alter.to_string(PostgresQueryBuilder),
        },
        // Planner statistics for databases loaded before imports refreshed them.
        "ANALYZE".into(),
    ]
}

/// キャリアシート: every save is a version (never updated); one autosaved draft per person.
fn m0007_career_sheets(engine: Engine) -> Statements {
    let versions = Table::create()
        .table(CareerSheetVersions::Table)
        .col(id_col(CareerSheetVersions::Id))
        .col(tenant_col(CareerSheetVersions::TenantId))
        .col(
            ColumnDef::new(CareerSheetVersions::PersonId)
                .big_integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(CareerSheetVersions::Version)
                .big_integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(CareerSheetVersions::Content)
                .text()
                .not_null(),
        )
        .col(
            ColumnDef::new(CareerSheetVersions::SavedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(CareerSheetVersions::SavedByUserId)
                .big_integer()
                .null(),
        )
        .foreign_key(&mut fk(
            CareerSheetVersions::Table,
            CareerSheetVersions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            CareerSheetVersions::Table,
            CareerSheetVersions::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let unique = Index::create()
        .name("career_sheet_versions_person_version")
        .table(CareerSheetVersions::Table)
        .col(CareerSheetVersions::PersonId)
        .col(CareerSheetVersions::Version)
        .unique()
        .to_owned();
    let drafts = Table::create()
        .table(CareerSheetDrafts::Table)
        .col(tenant_col(CareerSheetDrafts::TenantId))
        .col(
            ColumnDef::new(CareerSheetDrafts::PersonId)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(
            ColumnDef::new(CareerSheetDrafts::BaseVersion)
                .big_integer()
                .not_null(),
        )
        .col(ColumnDef::new(CareerSheetDrafts::Content).text().not_null())
        .col(
            ColumnDef::new(CareerSheetDrafts::UpdatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(&mut fk(
            CareerSheetDrafts::Table,
            CareerSheetDrafts::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            CareerSheetDrafts::Table,
            CareerSheetDrafts::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    vec![
        render(engine, &versions),
        render_index(engine, &unique),
        render(engine, &drafts),
    ]
}

/// 質問集: the questions a tenant adds to the built-in bank.
fn m0008_tenant_questions(engine: Engine) -> Statements {
    let table = Table::create()
        .table(TenantQuestions::Table)
        .col(id_col(TenantQuestions::Id))
        .col(tenant_col(TenantQuestions::TenantId))
        .col(ColumnDef::new(TenantQuestions::Category).text().not_null())
        .col(ColumnDef::new(TenantQuestions::TextJa).text().not_null())
        .col(ColumnDef::new(TenantQuestions::TextEn).text().not_null())
        .col(
            ColumnDef::new(TenantQuestions::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(&mut fk(
            TenantQuestions::Table,
            TenantQuestions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    vec![render(engine, &table)]
}

/// 行動計画・コミット: commitments recorded in a dialogue (their texts sealed), each edit
/// after confirmation a new version; and the outcome of a milestone interview
/// (`committed`, or `continued` when the next session was booked instead).
fn m0010_commitments(engine: Engine) -> Statements {
    let commitments = Table::create()
        .table(Commitments::Table)
        .col(id_col(Commitments::Id))
        .col(tenant_col(Commitments::TenantId))
        .col(big(Commitments::DialogueId))
        .col(big(Commitments::SubjectPersonId))
        .col(big(Commitments::Version))
        .col(
            ColumnDef::new(Commitments::SupersedesId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(Commitments::Replaced)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(text(Commitments::Content))
        .col(ColumnDef::new(Commitments::StartsOn).date().not_null())
        .col(ColumnDef::new(Commitments::DueOn).date().null())
        .col(ColumnDef::new(Commitments::Objective).boolean().not_null())
        .col(ColumnDef::new(Commitments::HasStart).boolean().not_null())
        .col(big(Commitments::RecordedByUserId))
        .col(ts(Commitments::RecordedAt))
        .col(
            ColumnDef::new(Commitments::ConfirmedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(text(Commitments::Status))
        .col(ColumnDef::new(Commitments::StatusReason).text().null())
        .col(
            ColumnDef::new(Commitments::StatusAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            Commitments::Table,
            Commitments::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .foreign_key(&mut fk(
            Commitments::Table,
            Commitments::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let by_dialogue = Index::create()
        .name("commitments_dialogue")
        .table(Commitments::Table)
        .col(Commitments::TenantId)
        .col(Commitments::DialogueId)
        .to_owned();
    let by_subject = Index::create()
        .name("commitments_subject")
        .table(Commitments::Table)
        .col(Commitments::TenantId)
        .col(Commitments::SubjectPersonId)
        .to_owned();
    let outcome = Table::alter()
        .table(Dialogues::Table)
        .add_column(ColumnDef::new(DialogueOutcome::Outcome).text().null())
        .to_owned();
    vec![
        render(engine, &commitments),
        render_index(engine, &by_dialogue),
        render_index(engine, &by_subject),
        match engine {
            Engine::Sqlite => outcome.to_string(SqliteQueryBuilder),
            Engine::Postgres => outcome.to_string(PostgresQueryBuilder),
        },
    ]
}

/// 面談所感: one report per consultant dialogue, drafted, then sent once to the manager,
/// who acknowledges it and records the support they gave. Texts sealed.
fn m0011_feedback_reports(engine: Engine) -> Statements {
    let reports = Table::create()
        .table(FeedbackReports::Table)
        .col(id_col(FeedbackReports::Id))
        .col(tenant_col(FeedbackReports::TenantId))
        .col(big(FeedbackReports::DialogueId))
        .col(big(FeedbackReports::SubjectPersonId))
        .col(big(FeedbackReports::AuthorUserId))
        .col(text(FeedbackReports::Content))
        .col(ts(FeedbackReports::CreatedAt))
        .col(ts(FeedbackReports::UpdatedAt))
        .col(
            ColumnDef::new(FeedbackReports::SentAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(FeedbackReports::AddressedToPersonId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(FeedbackReports::AcknowledgedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ColumnDef::new(FeedbackReports::Support).text().null())
        .col(
            ColumnDef::new(FeedbackReports::SupportAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            FeedbackReports::Table,
            FeedbackReports::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let one_per_dialogue = Index::create()
        .name("feedback_reports_dialogue")
        .table(FeedbackReports::Table)
        .col(FeedbackReports::DialogueId)
        .unique()
        .to_owned();
    let by_manager = Index::create()
        .name("feedback_reports_addressed")
        .table(FeedbackReports::Table)
        .col(FeedbackReports::TenantId)
        .col(FeedbackReports::AddressedToPersonId)
        .to_owned();
    vec![
        render(engine, &reports),
        render_index(engine, &one_per_dialogue),
        render_index(engine, &by_manager),
    ]
}

/// キャリア自律: the vision and its horizon as the facilitator recorded them in an
/// interview (sealed), and each tenant's own definition of a career-autonomous person.
fn m0012_autonomy(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    vec![
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(ColumnDef::new(VisionColumns::Vision).text().null())
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Dialogues::Table)
                .add_column(
                    ColumnDef::new(VisionColumns::VisionHorizon)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        ),
        alter(
            Table::alter()
                .table(Tenants::Table)
                .add_column(
                    ColumnDef::new(AutonomyColumn::AutonomyDefinition)
                        .text()
                        .null(),
                )
                .to_owned(),
        ),
    ]
}

/// 行動変容: one evaluation per person per fiscal year (re-evaluating replaces it); the
/// reason and the manager's input sealed.
fn m0013_behaviour_evaluations(engine: Engine) -> Statements {
    let table = Table::create()
        .table(BehaviourEvaluations::Table)
        .col(id_col(BehaviourEvaluations::Id))
        .col(tenant_col(BehaviourEvaluations::TenantId))
        .col(big(BehaviourEvaluations::PersonId))
        .col(big(BehaviourEvaluations::FiscalYear))
        .col(text(BehaviourEvaluations::Level))
        .col(text(BehaviourEvaluations::Reason))
        .col(text(BehaviourEvaluations::ManagerInput))
        .col(big(BehaviourEvaluations::EvaluatedByUserId))
        .col(ts(BehaviourEvaluations::EvaluatedAt))
        .foreign_key(&mut fk(
            BehaviourEvaluations::Table,
            BehaviourEvaluations::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let unique = Index::create()
        .name("behaviour_evaluations_person_year")
        .table(BehaviourEvaluations::Table)
        .col(BehaviourEvaluations::TenantId)
        .col(BehaviourEvaluations::PersonId)
        .col(BehaviourEvaluations::FiscalYear)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &unique)]
}

/// 損益分岐: the merits and demerits the employee weighs in an interview (texts sealed).
fn m0014_worksheet_items(engine: Engine) -> Statements {
    let table = Table::create()
        .table(WorksheetItems::Table)
        .col(id_col(WorksheetItems::Id))
        .col(tenant_col(WorksheetItems::TenantId))
        .col(big(WorksheetItems::DialogueId))
        .col(text(WorksheetItems::Side))
        .col(text(WorksheetItems::Text))
        .col(big(WorksheetItems::Weight))
        .col(ts(WorksheetItems::CreatedAt))
        .foreign_key(&mut fk(
            WorksheetItems::Table,
            WorksheetItems::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    vec![render(engine, &table)]
}

/// Days after a commitment's start before the follow-up asks whether it started (a tenant
/// setting; unset means the default).
fn m0015_check_in_grace(engine: Engine) -> Statements {
    let alter = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(GraceColumn::CheckInGraceDays)
                .big_integer()
                .null(),
        )
        .to_owned();
    vec![match engine {
        Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
        Engine::Postgres => alter.to_string(PostgresQueryBuilder),
    }]
}

/// The job queue (emails are jobs of kind `email`: the outbox), and the marks that make
/// the follow-up sweep idempotent: when a commitment's check-in was asked, when a
/// dialogue's reminder went out.
fn m0016_jobs(engine: Engine) -> Statements {
    let jobs = Table::create()
        .table(Jobs::Table)
        .col(id_col(Jobs::Id))
        .col(tenant_col(Jobs::TenantId))
        .col(text(Jobs::Kind))
        .col(text(Jobs::Key))
        .col(text(Jobs::Payload))
        .col(text(Jobs::State))
        .col(big(Jobs::Attempts))
        .col(big(Jobs::MaxAttempts))
        .col(ts(Jobs::RunAt))
        .col(
            ColumnDef::new(Jobs::LockedUntil)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ColumnDef::new(Jobs::LastError).text().null())
        .col(ts(Jobs::CreatedAt))
        .col(
            ColumnDef::new(Jobs::FinishedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            Jobs::Table,
            Jobs::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let unique_key = Index::create()
        .name("jobs_key")
        .table(Jobs::Table)
        .col(Jobs::Key)
        .unique()
        .to_owned();
    let due = Index::create()
        .name("jobs_due")
        .table(Jobs::Table)
        .col(Jobs::State)
        .col(Jobs::RunAt)
        .to_owned();
    let by_tenant = Index::create()
        .name("jobs_tenant")
        .table(Jobs::Table)
        .col(Jobs::TenantId)
        .col(Jobs::Kind)
        .col(Jobs::State)
        .to_owned();
    let mut out = vec![
        render(engine, &jobs),
        render_index(engine, &unique_key),
        render_index(engine, &due),
        render_index(engine, &by_tenant),
    ];
    for (table, col) in [
        (
            Commitments::Table.into_iden(),
            FollowUpColumns::CheckInAskedAt,
        ),
        (Dialogues::Table.into_iden(), FollowUpColumns::RemindedAt),
    ] {
        let alter = Table::alter()
            .table(table)
            .add_column(ColumnDef::new(col).timestamp_with_time_zone().null())
            .to_owned();
        out.push(match engine {
            Engine::Sqlite => alter.to_string(SqliteQueryBuilder),
            Engine::Postgres => alter.to_string(PostgresQueryBuilder),
        });
    }
    out
}

/// ロールモデル: colleagues' stories, seen by others only with the colleague's consent.
fn m0017_role_model_stories(engine: Engine) -> Statements {
    let t = RoleModelStories::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(RoleModelStories::Id))
        .col(tenant_col(RoleModelStories::TenantId))
        .col(big(RoleModelStories::SubjectPersonId))
        .col(big(RoleModelStories::AuthorUserId))
        .col(text(RoleModelStories::Title))
        .col(text(RoleModelStories::Body))
        .col(ColumnDef::new(RoleModelStories::Anchor).text().null())
        .col(text(RoleModelStories::Themes))
        .col(text(RoleModelStories::Outcome))
        .col(text(RoleModelStories::Consent))
        .col(
            ColumnDef::new(RoleModelStories::ShowName)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(ts(RoleModelStories::CreatedAt))
        .col(
            ColumnDef::new(RoleModelStories::ConsentAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            t,
            RoleModelStories::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            RoleModelStories::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            t,
            RoleModelStories::AuthorUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let by_consent = Index::create()
        .name("role_model_stories_consent")
        .table(t)
        .col(RoleModelStories::TenantId)
        .col(RoleModelStories::Consent)
        .to_owned();
    vec![render(engine, &table), render_index(engine, &by_consent)]
}

/// Career Anchor answer sheets, every take kept (history); scores are computed from them.
fn m0018_anchor_results(engine: Engine) -> Statements {
    let t = AnchorResults::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(AnchorResults::Id))
        .col(tenant_col(AnchorResults::TenantId))
        .col(big(AnchorResults::PersonId))
        .col(text(AnchorResults::Ratings))
        .col(text(AnchorResults::Picks))
        .col(ts(AnchorResults::TakenAt))
        .foreign_key(&mut fk(
            t,
            AnchorResults::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            AnchorResults::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let by_person = Index::create()
        .name("anchor_results_person")
        .table(t)
        .col(AnchorResults::TenantId)
        .col(AnchorResults::PersonId)
        .to_owned();
    vec![render(engine, &table), render_index(engine, &by_person)]
}

/// 節目プログラム: programmes with their frozen cohort (participants and their steps) and
/// training sessions (研修) with the instructor's style.
fn m0019_programmes(engine: Engine) -> Statements {
    let p = Programmes::Table;
    let programmes = Table::create()
        .table(p)
        .col(id_col(Programmes::Id))
        .col(tenant_col(Programmes::TenantId))
        .col(big(Programmes::FiscalYear))
        .col(text(Programmes::Name))
        .col(text(Programmes::Template))
        .col(text(Programmes::Rule))
        .col(
            ColumnDef::new(Programmes::Mandatory)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(text(Programmes::PreLearning))
        .col(big(Programmes::GroupMin))
        .col(big(Programmes::GroupMax))
        .col(big(Programmes::CreatedByUserId))
        .col(ts(Programmes::CreatedAt))
        .foreign_key(&mut fk(
            p,
            Programmes::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            p,
            Programmes::CreatedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let s = TrainingSessions::Table;
    let sessions = Table::create()
        .table(s)
        .col(id_col(TrainingSessions::Id))
        .col(tenant_col(TrainingSessions::TenantId))
        .col(big(TrainingSessions::ProgrammeId))
        .col(ts(TrainingSessions::StartsAt))
        .col(ts(TrainingSessions::EndsAt))
        .col(text(TrainingSessions::Place))
        .col(big(TrainingSessions::Capacity))
        .col(big(TrainingSessions::InstructorUserId))
        .col(text(TrainingSessions::Style))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .foreign_key(&mut fk(
            s,
            TrainingSessions::InstructorUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let pp = ProgrammeParticipants::Table;
    let participants = Table::create()
        .table(pp)
        .col(id_col(ProgrammeParticipants::Id))
        .col(tenant_col(ProgrammeParticipants::TenantId))
        .col(big(ProgrammeParticipants::ProgrammeId))
        .col(big(ProgrammeParticipants::PersonId))
        .col(ts(ProgrammeParticipants::AddedAt))
        .col(
            ColumnDef::new(ProgrammeParticipants::LateJoiner)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::PreLearningDoneAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::SessionId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::Pinned)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(ProgrammeParticipants::GroupNo)
                .big_integer()
                .null(),
        )
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::PersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            pp,
            ProgrammeParticipants::SessionId,
            TrainingSessions::Table,
            TrainingSessions::Id,
        ))
        .to_owned();
    let one_each = Index::create()
        .name("programme_participants_person")
        .table(pp)
        .col(ProgrammeParticipants::ProgrammeId)
        .col(ProgrammeParticipants::PersonId)
        .unique()
        .to_owned();
    let by_person = Index::create()
        .name("programme_participants_by_person")
        .table(pp)
        .col(ProgrammeParticipants::TenantId)
        .col(ProgrammeParticipants::PersonId)
        .to_owned();
    let by_instructor = Index::create()
        .name("training_sessions_instructor")
        .table(s)
        .col(TrainingSessions::TenantId)
        .col(TrainingSessions::InstructorUserId)
        .to_owned();
    vec![
        render(engine, &programmes),
        render(engine, &sessions),
        render(engine, &participants),
        render_index(engine, &one_each),
        render_index(engine, &by_person),
        render_index(engine, &by_instructor),
    ]
}

/// The pre-learning file of a programme (a video, a PDF or a text), served by the
/// product to its participants. One per programme; a new upload replaces it.
fn m0020_programme_files(engine: Engine) -> Statements {
    let t = ProgrammeFiles::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(ProgrammeFiles::Id))
        .col(tenant_col(ProgrammeFiles::TenantId))
        .col(big(ProgrammeFiles::ProgrammeId))
        .col(text(ProgrammeFiles::FileName))
        .col(text(ProgrammeFiles::ContentType))
        .col(ColumnDef::new(ProgrammeFiles::Bytes).blob().not_null())
        .col(big(ProgrammeFiles::Size))
        .col(big(ProgrammeFiles::UploadedByUserId))
        .col(ts(ProgrammeFiles::UploadedAt))
        .foreign_key(&mut fk(
            t,
            ProgrammeFiles::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            ProgrammeFiles::ProgrammeId,
            Programmes::Table,
            Programmes::Id,
        ))
        .foreign_key(&mut fk(
            t,
            ProgrammeFiles::UploadedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let one = Index::create()
        .name("programme_files_programme")
        .table(t)
        .col(ProgrammeFiles::ProgrammeId)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &one)]
}

/// Sign-in throttles: failures in a row per typed account and per client address, and
/// until when the next attempt waits (`domain::throttle`). The users' own lock-out
/// columns (`failed_attempts`, `locked_until`) are no longer used.
fn m0021_sign_in_throttles(engine: Engine) -> Statements {
    let t = SignInThrottles::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(SignInThrottles::Id))
        .col(tenant_col(SignInThrottles::TenantId))
        .col(text(SignInThrottles::Kind))
        .col(text(SignInThrottles::Subject))
        .col(big(SignInThrottles::Failures))
        .col(ts(SignInThrottles::LastFailureAt))
        .col(
            ColumnDef::new(SignInThrottles::BlockedUntil)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            t,
            SignInThrottles::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let one = Index::create()
        .name("sign_in_throttles_subject")
        .table(t)
        .col(SignInThrottles::TenantId)
        .col(SignInThrottles::Kind)
        .col(SignInThrottles::Subject)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &one)]
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

/// 面談・1on1: consultant assignments, dialogues (and recurring series), note items with
/// their earlier revisions, the employee's topics, and consent events. Confidential texts
/// are stored sealed (see `crypto`).
fn m0009_dialogues(engine: Engine) -> Statements {
    let assignments = Table::create()
        .table(ConsultantAssignments::Table)
        .col(id_col(ConsultantAssignments::Id))
        .col(tenant_col(ConsultantAssignments::TenantId))
        .col(big(ConsultantAssignments::ConsultantUserId))
        .col(big(ConsultantAssignments::PersonId))
        .col(ts(ConsultantAssignments::AssignedAt))
        .col(big(ConsultantAssignments::AssignedByUserId))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::ConsultantUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            ConsultantAssignments::Table,
            ConsultantAssignments::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let assignments_unique = Index::create()
        .name("consultant_assignments_pair")
        .table(ConsultantAssignments::Table)
        .col(ConsultantAssignments::TenantId)
        .col(ConsultantAssignments::ConsultantUserId)
        .col(ConsultantAssignments::PersonId)
        .unique()
        .to_owned();
    let series = Table::create()
        .table(DialogueSeries::Table)
        .col(id_col(DialogueSeries::Id))
        .col(tenant_col(DialogueSeries::TenantId))
        .col(text(DialogueSeries::Cadence))
        .col(big(DialogueSeries::Count))
        .col(ts(DialogueSeries::CreatedAt))
        .foreign_key(&mut fk(
            DialogueSeries::Table,
            DialogueSeries::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let dialogues = Table::create()
        .table(Dialogues::Table)
        .col(id_col(Dialogues::Id))
        .col(tenant_col(Dialogues::TenantId))
        .col(text(Dialogues::Kind))
        .col(big(Dialogues::SubjectPersonId))
        .col(big(Dialogues::FacilitatorUserId))
        .col(ts(Dialogues::StartsAt))
        .col(big(Dialogues::DurationMinutes))
        .col(text(Dialogues::Place))
        .col(text(Dialogues::State))
        .col(ColumnDef::new(Dialogues::SeriesId).big_integer().null())
        .col(big(Dialogues::CreatedByUserId))
        .col(ts(Dialogues::CreatedAt))
        .col(
            ColumnDef::new(Dialogues::ClosedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Dialogues::SubjectRating)
                .big_integer()
                .null(),
        )
        .col(ColumnDef::new(Dialogues::SubjectReflection).text().null())
        .col(
            ColumnDef::new(Dialogues::ReflectedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::SubjectPersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::FacilitatorUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            Dialogues::Table,
            Dialogues::SeriesId,
            DialogueSeries::Table,
            DialogueSeries::Id,
        ))
        .to_owned();
    let by_facilitator = Index::create()
        .name("dialogues_facilitator_starts")
        .table(Dialogues::Table)
        .col(Dialogues::TenantId)
        .col(Dialogues::FacilitatorUserId)
        .col(Dialogues::StartsAt)
        .to_owned();
    let by_subject = Index::create()
        .name("dialogues_subject_starts")
        .table(Dialogues::Table)
        .col(Dialogues::TenantId)
        .col(Dialogues::SubjectPersonId)
        .col(Dialogues::StartsAt)
        .to_owned();
    let notes = Table::create()
        .table(DialogueNotes::Table)
        .col(id_col(DialogueNotes::Id))
        .col(tenant_col(DialogueNotes::TenantId))
        .col(big(DialogueNotes::DialogueId))
        .col(big(DialogueNotes::AuthorUserId))
        .col(text(DialogueNotes::Visibility))
        .col(text(DialogueNotes::CarryOver))
        .col(
            ColumnDef::new(DialogueNotes::QuestionCategory)
                .text()
                .null(),
        )
        .col(text(DialogueNotes::Body))
        .col(big(DialogueNotes::Revision))
        .col(
            ColumnDef::new(DialogueNotes::AfterClose)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(ts(DialogueNotes::CreatedAt))
        .col(ts(DialogueNotes::UpdatedAt))
        .foreign_key(&mut fk(
            DialogueNotes::Table,
            DialogueNotes::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let notes_by_dialogue = Index::create()
        .name("dialogue_notes_dialogue")
        .table(DialogueNotes::Table)
        .col(DialogueNotes::TenantId)
        .col(DialogueNotes::DialogueId)
        .to_owned();
    let revisions = Table::create()
        .table(DialogueNoteRevisions::Table)
        .col(id_col(DialogueNoteRevisions::Id))
        .col(tenant_col(DialogueNoteRevisions::TenantId))
        .col(big(DialogueNoteRevisions::NoteId))
        .col(big(DialogueNoteRevisions::DialogueId))
        .col(big(DialogueNoteRevisions::Revision))
        .col(text(DialogueNoteRevisions::Visibility))
        .col(text(DialogueNoteRevisions::CarryOver))
        .col(text(DialogueNoteRevisions::Body))
        .col(ts(DialogueNoteRevisions::WrittenAt))
        .col(ts(DialogueNoteRevisions::ReplacedAt))
        .foreign_key(&mut fk(
            DialogueNoteRevisions::Table,
            DialogueNoteRevisions::NoteId,
            DialogueNotes::Table,
            DialogueNotes::Id,
        ))
        .to_owned();
    let topics = Table::create()
        .table(DialogueTopics::Table)
        .col(id_col(DialogueTopics::Id))
        .col(tenant_col(DialogueTopics::TenantId))
        .col(big(DialogueTopics::DialogueId))
        .col(big(DialogueTopics::AuthorUserId))
        .col(text(DialogueTopics::Wanted))
        .col(text(DialogueTopics::Body))
        .col(ts(DialogueTopics::CreatedAt))
        .foreign_key(&mut fk(
            DialogueTopics::Table,
            DialogueTopics::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let consents = Table::create()
        .table(DialogueConsents::Table)
        .col(id_col(DialogueConsents::Id))
        .col(tenant_col(DialogueConsents::TenantId))
        .col(big(DialogueConsents::DialogueId))
        .col(text(DialogueConsents::Event))
        .col(text(DialogueConsents::Withheld))
        .col(big(DialogueConsents::RecordedByUserId))
        .col(ts(DialogueConsents::RecordedAt))
        .foreign_key(&mut fk(
            DialogueConsents::Table,
            DialogueConsents::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let mut out = vec![
        render(engine, &assignments),
        render_index(engine, &assignments_unique),
        render(engine, &series),
        render(engine, &dialogues),
        render_index(engine, &by_facilitator),
        render_index(engine, &by_subject),
        render(engine, &notes),
        render_index(engine, &notes_by_dialogue),
        render(engine, &revisions),
        render(engine, &topics),
        render(engine, &consents),
    ];
    // Earlier revisions of note items and consent events are history: never changed or
    // removed (the same guard as the audit log), except re-sealing under a new key.
    out.extend(append_only(engine, "dialogue_consents", false));
    out.extend(append_only(engine, "dialogue_note_revisions", true));
    out
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
