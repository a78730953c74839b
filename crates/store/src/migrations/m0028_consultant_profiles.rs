//! Migration 28: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// キャリアコンサルタントのプロフィール: one per consultant account, kept by the consultant
/// (`domain::consultant::Profile`). Age band and gender are empty when not given.
pub(super) fn m0028_consultant_profiles(engine: Engine) -> Statements {
    let t = ConsultantProfiles::Table;
    let table = Table::create()
        .table(t)
        .col(id_col(ConsultantProfiles::Id))
        .col(tenant_col(ConsultantProfiles::TenantId))
        .col(big(ConsultantProfiles::UserId))
        .col(text(ConsultantProfiles::DisplayName))
        .col(text(ConsultantProfiles::Kana))
        .col(text(ConsultantProfiles::RegistrationNumber))
        .col(text(ConsultantProfiles::Certifications))
        .col(big(ConsultantProfiles::YearsOfPractice))
        .col(text(ConsultantProfiles::Themes))
        .col(text(ConsultantProfiles::Industries))
        .col(text(ConsultantProfiles::JobFamilies))
        .col(text(ConsultantProfiles::AgeBand))
        .col(text(ConsultantProfiles::Gender))
        .col(text(ConsultantProfiles::Style))
        .col(text(ConsultantProfiles::Message))
        .col(text(ConsultantProfiles::Languages))
        .col(big(ConsultantProfiles::CapacityPerMonth))
        .col(ts(ConsultantProfiles::UpdatedAt))
        .foreign_key(&mut fk(
            t,
            ConsultantProfiles::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            ConsultantProfiles::UserId,
            Users::Table,
            Users::Id,
        ))
        .to_owned();
    let one = Index::create()
        .name("consultant_profiles_user")
        .table(t)
        .col(ConsultantProfiles::TenantId)
        .col(ConsultantProfiles::UserId)
        .unique()
        .to_owned();
    vec![render(engine, &table), render_index(engine, &one)]
}
