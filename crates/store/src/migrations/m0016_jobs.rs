//! Migration 16: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// The job queue (emails are jobs of kind `email`: the outbox), and the marks that make
/// the follow-up sweep idempotent: when a commitment's check-in was asked, when a
/// dialogue's reminder went out.
pub(super) fn m0016_jobs(engine: Engine) -> Statements {
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
