//! Migration 38: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 学ぶ: the company's course catalogue (tags folded, one text), completions with the
/// employee's and the manager's notes on using them at work (sealed), certification
/// subsidy claims with their receipt (the reasons and the claimant's note sealed), and the
/// company's subsidy rules (JSON on `tenants`).
pub(super) fn m0038_learning(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    let rules = Table::alter()
        .table(Tenants::Table)
        .add_column(ColumnDef::new(LearningColumns::SubsidyRules).text().null())
        .to_owned();
    let c = Courses::Table;
    let courses = Table::create()
        .table(c)
        .col(id_col(Courses::Id))
        .col(tenant_col(Courses::TenantId))
        .col(text(Courses::Title))
        .col(text(Courses::Kind))
        .col(text(Courses::Provider))
        .col(text(Courses::Description))
        .col(ColumnDef::new(Courses::Url).text().null())
        .col(text(Courses::Tags))
        .col(ColumnDef::new(Courses::Hours).big_integer().null())
        .col(
            ColumnDef::new(Courses::Retired)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(Courses::CreatedByUserId)
                .big_integer()
                .null(),
        )
        .col(ts(Courses::CreatedAt))
        .col(ts(Courses::UpdatedAt))
        .foreign_key(&mut fk(c, Courses::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(
            c,
            Courses::CreatedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let courses_by_tenant = Index::create()
        .name("courses_tenant")
        .table(c)
        .col(Courses::TenantId)
        .col(Courses::Retired)
        .to_owned();
    let k = CourseCompletions::Table;
    let completions = Table::create()
        .table(k)
        .col(id_col(CourseCompletions::Id))
        .col(tenant_col(CourseCompletions::TenantId))
        .col(big(CourseCompletions::PersonId))
        .col(big(CourseCompletions::CourseId))
        .col(
            ColumnDef::new(CourseCompletions::CompletedOn)
                .date()
                .not_null(),
        )
        .col(text(CourseCompletions::EmployeeUse))
        .col(
            ColumnDef::new(CourseCompletions::EmployeeUseAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(text(CourseCompletions::ManagerUse))
        .col(
            ColumnDef::new(CourseCompletions::ManagerUseByUserId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(CourseCompletions::ManagerUseAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(CourseCompletions::RecordedByUserId)
                .big_integer()
                .null(),
        )
        .col(ts(CourseCompletions::CreatedAt))
        .foreign_key(&mut fk(
            k,
            CourseCompletions::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            k,
            CourseCompletions::PersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            k,
            CourseCompletions::CourseId,
            Courses::Table,
            Courses::Id,
        ))
        .foreign_key(&mut fk(
            k,
            CourseCompletions::ManagerUseByUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            k,
            CourseCompletions::RecordedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let one_completion = Index::create()
        .name("course_completions_one")
        .table(k)
        .col(CourseCompletions::TenantId)
        .col(CourseCompletions::PersonId)
        .col(CourseCompletions::CourseId)
        .col(CourseCompletions::CompletedOn)
        .unique()
        .to_owned();
    let s = SubsidyClaims::Table;
    let claims = Table::create()
        .table(s)
        .col(id_col(SubsidyClaims::Id))
        .col(tenant_col(SubsidyClaims::TenantId))
        .col(big(SubsidyClaims::PersonId))
        .col(text(SubsidyClaims::Certification))
        .col(ColumnDef::new(SubsidyClaims::ExamOn).date().not_null())
        .col(big(SubsidyClaims::FiscalYear))
        .col(big(SubsidyClaims::FeeYen))
        .col(big(SubsidyClaims::AmountYen))
        .col(text(SubsidyClaims::Note))
        .col(text(SubsidyClaims::ReceiptName))
        .col(text(SubsidyClaims::ReceiptType))
        .col(ColumnDef::new(SubsidyClaims::Receipt).blob().not_null())
        .col(text(SubsidyClaims::Status))
        .col(text(SubsidyClaims::Reason))
        .col(
            ColumnDef::new(SubsidyClaims::DecidedByUserId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(SubsidyClaims::DecidedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ColumnDef::new(SubsidyClaims::PaidOn).date().null())
        .col(ts(SubsidyClaims::CreatedAt))
        .col(ts(SubsidyClaims::UpdatedAt))
        .foreign_key(&mut fk(
            s,
            SubsidyClaims::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            s,
            SubsidyClaims::PersonId,
            People::Table,
            People::Id,
        ))
        .foreign_key(&mut fk(
            s,
            SubsidyClaims::DecidedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let claims_by_person = Index::create()
        .name("subsidy_claims_person")
        .table(s)
        .col(SubsidyClaims::TenantId)
        .col(SubsidyClaims::PersonId)
        .col(SubsidyClaims::FiscalYear)
        .to_owned();
    vec![
        alter(rules),
        render(engine, &courses),
        render_index(engine, &courses_by_tenant),
        render(engine, &completions),
        render_index(engine, &one_completion),
        render(engine, &claims),
        render_index(engine, &claims_by_person),
    ]
}
