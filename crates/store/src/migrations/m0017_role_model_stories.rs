//! Migration 17: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// ロールモデル: colleagues' stories, seen by others only with the colleague's consent.
pub(super) fn m0017_role_model_stories(engine: Engine) -> Statements {
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
