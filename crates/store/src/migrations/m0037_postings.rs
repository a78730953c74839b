//! Migration 37: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// 社内公募: postings, the people who saved them, applications (the motivation sealed)
/// and each stage's recorded outcome (the reason sealed); since when a person is in their
/// department, and the company's rule on months in one's department before applying.
/// 副業・兼業: applications (what, for whom, HR's reasons and the report back sealed)
/// and the company's rules (JSON on `tenants`).
/// 会社の方針: each version of the company's policy, kept whole.
/// 社内FA: declarations (what the declarant wants and brings, sealed) and hiring
/// managers' interview requests to them (message and answer sealed).
pub(super) fn m0037_postings(engine: Engine) -> Statements {
    let alter = |t: sea_query::TableAlterStatement| match engine {
        Engine::Sqlite => t.to_string(SqliteQueryBuilder),
        Engine::Postgres => t.to_string(PostgresQueryBuilder),
    };
    let since = Table::alter()
        .table(People::Table)
        .add_column(ColumnDef::new(People::DepartmentSince).date().null())
        .to_owned();
    let months = Table::alter()
        .table(Tenants::Table)
        .add_column(
            ColumnDef::new(PostingColumns::PostingMinMonths)
                .big_integer()
                .null(),
        )
        .to_owned();
    let p = Postings::Table;
    let postings = Table::create()
        .table(p)
        .col(id_col(Postings::Id))
        .col(tenant_col(Postings::TenantId))
        .col(big(Postings::DepartmentId))
        .col(big(Postings::HiringManagerUserId))
        .col(text(Postings::Title))
        .col(text(Postings::Grades))
        .col(text(Postings::Work))
        .col(text(Postings::Required))
        .col(text(Postings::Welcome))
        .col(text(Postings::Criteria))
        .col(big(Postings::Headcount))
        .col(ColumnDef::new(Postings::OpensOn).date().not_null())
        .col(ColumnDef::new(Postings::ClosesOn).date().not_null())
        .col(text(Postings::Stages))
        .col(big(Postings::RevealAt))
        .col(big(Postings::CreatedByUserId))
        .col(ts(Postings::CreatedAt))
        .col(ts(Postings::UpdatedAt))
        .col(
            ColumnDef::new(Postings::WithdrawnAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(p, Postings::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(
            p,
            Postings::DepartmentId,
            Departments::Table,
            Departments::Id,
        ))
        .foreign_key(&mut fk(
            p,
            Postings::HiringManagerUserId,
            Users::Table,
            Users::Id,
        ))
        .foreign_key(&mut fk(
            p,
            Postings::CreatedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let by_dates = Index::create()
        .name("postings_dates")
        .table(p)
        .col(Postings::TenantId)
        .col(Postings::ClosesOn)
        .to_owned();
    let s = PostingSaves::Table;
    let saves = Table::create()
        .table(s)
        .col(tenant_col(PostingSaves::TenantId))
        .col(big(PostingSaves::PostingId))
        .col(big(PostingSaves::PersonId))
        .col(ts(PostingSaves::SavedAt))
        .primary_key(
            Index::create()
                .col(PostingSaves::PostingId)
                .col(PostingSaves::PersonId),
        )
        .foreign_key(&mut fk(
            s,
            PostingSaves::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            s,
            PostingSaves::PostingId,
            Postings::Table,
            Postings::Id,
        ))
        .foreign_key(&mut fk(
            s,
            PostingSaves::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let saves_by_person = Index::create()
        .name("posting_saves_person")
        .table(s)
        .col(PostingSaves::TenantId)
        .col(PostingSaves::PersonId)
        .to_owned();
    let a = PostingApplications::Table;
    let applications = Table::create()
        .table(a)
        .col(id_col(PostingApplications::Id))
        .col(tenant_col(PostingApplications::TenantId))
        .col(big(PostingApplications::PostingId))
        .col(big(PostingApplications::PersonId))
        .col(text(PostingApplications::Motivation))
        .col(text(PostingApplications::Status))
        .col(big(PostingApplications::Stage))
        .col(ts(PostingApplications::CreatedAt))
        .col(ts(PostingApplications::UpdatedAt))
        .foreign_key(&mut fk(
            a,
            PostingApplications::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            a,
            PostingApplications::PostingId,
            Postings::Table,
            Postings::Id,
        ))
        .foreign_key(&mut fk(
            a,
            PostingApplications::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    // One application per person and posting.
    let one_each = Index::create()
        .name("posting_applications_one")
        .table(a)
        .col(PostingApplications::PostingId)
        .col(PostingApplications::PersonId)
        .unique()
        .to_owned();
    let by_person = Index::create()
        .name("posting_applications_person")
        .table(a)
        .col(PostingApplications::TenantId)
        .col(PostingApplications::PersonId)
        .to_owned();
    let o = PostingOutcomes::Table;
    let outcomes = Table::create()
        .table(o)
        .col(id_col(PostingOutcomes::Id))
        .col(tenant_col(PostingOutcomes::TenantId))
        .col(big(PostingOutcomes::ApplicationId))
        .col(big(PostingOutcomes::Stage))
        .col(text(PostingOutcomes::Outcome))
        .col(text(PostingOutcomes::Reason))
        .col(
            ColumnDef::new(PostingOutcomes::RecordedByUserId)
                .big_integer()
                .null(),
        )
        .col(ts(PostingOutcomes::RecordedAt))
        .foreign_key(&mut fk(
            o,
            PostingOutcomes::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            o,
            PostingOutcomes::ApplicationId,
            PostingApplications::Table,
            PostingApplications::Id,
        ))
        .foreign_key(&mut fk(
            o,
            PostingOutcomes::RecordedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let by_application = Index::create()
        .name("posting_outcomes_application")
        .table(o)
        .col(PostingOutcomes::ApplicationId)
        .to_owned();
    let f = FaDeclarations::Table;
    let declarations = Table::create()
        .table(f)
        .col(id_col(FaDeclarations::Id))
        .col(tenant_col(FaDeclarations::TenantId))
        .col(big(FaDeclarations::PersonId))
        .col(text(FaDeclarations::Wants))
        .col(text(FaDeclarations::Experience))
        .col(ColumnDef::new(FaDeclarations::DeclaredOn).date().not_null())
        .col(ColumnDef::new(FaDeclarations::ExpiresOn).date().not_null())
        .col(
            ColumnDef::new(FaDeclarations::WithdrawnAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ts(FaDeclarations::CreatedAt))
        .foreign_key(&mut fk(
            f,
            FaDeclarations::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            f,
            FaDeclarations::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let declarations_by_person = Index::create()
        .name("fa_declarations_person")
        .table(f)
        .col(FaDeclarations::TenantId)
        .col(FaDeclarations::PersonId)
        .to_owned();
    let r = FaRequests::Table;
    let requests = Table::create()
        .table(r)
        .col(id_col(FaRequests::Id))
        .col(tenant_col(FaRequests::TenantId))
        .col(big(FaRequests::DeclarationId))
        .col(big(FaRequests::FromUserId))
        .col(text(FaRequests::Message))
        .col(text(FaRequests::Status))
        .col(text(FaRequests::Answer))
        .col(ts(FaRequests::CreatedAt))
        .col(
            ColumnDef::new(FaRequests::AnsweredAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(&mut fk(
            r,
            FaRequests::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            r,
            FaRequests::DeclarationId,
            FaDeclarations::Table,
            FaDeclarations::Id,
        ))
        .foreign_key(&mut fk(r, FaRequests::FromUserId, Users::Table, Users::Id))
        .to_owned();
    // One request per hiring manager and declaration.
    let one_request = Index::create()
        .name("fa_requests_one")
        .table(r)
        .col(FaRequests::DeclarationId)
        .col(FaRequests::FromUserId)
        .unique()
        .to_owned();
    let rules = Table::alter()
        .table(Tenants::Table)
        .add_column(ColumnDef::new(SideJobColumns::SideJobRules).text().null())
        .to_owned();
    let j = SideJobs::Table;
    let side_jobs = Table::create()
        .table(j)
        .col(id_col(SideJobs::Id))
        .col(tenant_col(SideJobs::TenantId))
        .col(big(SideJobs::PersonId))
        .col(text(SideJobs::Field))
        .col(text(SideJobs::Client))
        .col(text(SideJobs::Work))
        .col(big(SideJobs::HoursPerMonth))
        .col(ColumnDef::new(SideJobs::StartsOn).date().not_null())
        .col(ColumnDef::new(SideJobs::EndsOn).date().not_null())
        .col(ts(SideJobs::PledgedAt))
        .col(text(SideJobs::Status))
        .col(text(SideJobs::Reason))
        .col(
            ColumnDef::new(SideJobs::DecidedByUserId)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(SideJobs::DecidedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(text(SideJobs::Report))
        .col(
            ColumnDef::new(SideJobs::ReportedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(ts(SideJobs::CreatedAt))
        .col(ts(SideJobs::UpdatedAt))
        .foreign_key(&mut fk(j, SideJobs::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(j, SideJobs::PersonId, People::Table, People::Id))
        .foreign_key(&mut fk(
            j,
            SideJobs::DecidedByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let side_jobs_by_person = Index::create()
        .name("side_jobs_person")
        .table(j)
        .col(SideJobs::TenantId)
        .col(SideJobs::PersonId)
        .to_owned();
    let c = CompanyPolicies::Table;
    let policies = Table::create()
        .table(c)
        .col(id_col(CompanyPolicies::Id))
        .col(tenant_col(CompanyPolicies::TenantId))
        .col(big(CompanyPolicies::Version))
        .col(text(CompanyPolicies::Message))
        .col(text(CompanyPolicies::Notes))
        .col(
            ColumnDef::new(CompanyPolicies::WrittenByUserId)
                .big_integer()
                .null(),
        )
        .col(ts(CompanyPolicies::WrittenAt))
        .foreign_key(&mut fk(
            c,
            CompanyPolicies::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            c,
            CompanyPolicies::WrittenByUserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let one_version = Index::create()
        .name("company_policies_version")
        .table(c)
        .col(CompanyPolicies::TenantId)
        .col(CompanyPolicies::Version)
        .unique()
        .to_owned();
    vec![
        alter(since),
        alter(rules),
        alter(months),
        render(engine, &postings),
        render_index(engine, &by_dates),
        render(engine, &saves),
        render_index(engine, &saves_by_person),
        render(engine, &applications),
        render_index(engine, &one_each),
        render_index(engine, &by_person),
        render(engine, &outcomes),
        render_index(engine, &by_application),
        render(engine, &declarations),
        render_index(engine, &declarations_by_person),
        render(engine, &requests),
        render_index(engine, &one_request),
        render(engine, &side_jobs),
        render_index(engine, &side_jobs_by_person),
        render(engine, &policies),
        render_index(engine, &one_version),
    ]
}
