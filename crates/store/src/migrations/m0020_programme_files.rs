//! Migration 20: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// The pre-learning file of a programme (a video, a PDF or a text), served by the
/// product to its participants. One per programme; a new upload replaces it.
pub(super) fn m0020_programme_files(engine: Engine) -> Statements {
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
