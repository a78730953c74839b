//! Migration 1: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

pub(super) fn m0001_platform(engine: Engine) -> Statements {
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
