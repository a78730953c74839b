//! Migration 7: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// キャリアシート: every save is a version (never updated); one autosaved draft per person.
pub(super) fn m0007_career_sheets(engine: Engine) -> Statements {
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
