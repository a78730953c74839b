//! Migration 31: released — never edit it (`crates/store/MIGRATIONS.md`).

use super::*;

/// アンケート: the tenant's questionnaires (one per kind, editable, in both languages);
/// surveys, each keeping the questionnaire it was opened with, its population and its
/// closing date; the people asked (`survey_targets`) with only whether they answered, for
/// reminders and participation; and the answers (`survey_answers`), which carry no person,
/// no time and no order: a random id, the unit, the age band and the grade a report needs,
/// and the scores. Nothing joins the two.
///
/// And 相談テーマ: the themes a facilitator tagged on a career interview or consultation
/// (`dialogue_concerns`, keys only — never words), and the company's own themes added to
/// the fixed list (`concern_themes`).
pub(super) fn m0031_surveys(engine: Engine) -> Statements {
    let q = SurveyQuestionnaires::Table;
    let questionnaires = Table::create()
        .table(q)
        .col(tenant_col(SurveyQuestionnaires::TenantId))
        .col(text(SurveyQuestionnaires::Kind))
        .col(text(SurveyQuestionnaires::Questionnaire))
        .col(ts(SurveyQuestionnaires::UpdatedAt))
        .primary_key(
            Index::create()
                .col(SurveyQuestionnaires::TenantId)
                .col(SurveyQuestionnaires::Kind),
        )
        .foreign_key(&mut fk(
            q,
            SurveyQuestionnaires::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let s = Surveys::Table;
    let surveys = Table::create()
        .table(s)
        .col(id_col(Surveys::Id))
        .col(tenant_col(Surveys::TenantId))
        .col(text(Surveys::Kind))
        .col(text(Surveys::Title))
        .col(big(Surveys::FiscalYear))
        .col(text(Surveys::Population))
        .col(text(Surveys::Questionnaire))
        .col(ts(Surveys::OpenedAt))
        .col(big(Surveys::OpenedBy))
        .col(ColumnDef::new(Surveys::ClosesOn).date().not_null())
        .col(
            ColumnDef::new(Surveys::ClosedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Surveys::Reminders)
                .big_integer()
                .not_null()
                .default(0),
        )
        .foreign_key(&mut fk(s, Surveys::TenantId, Tenants::Table, Tenants::Id))
        .foreign_key(&mut fk(s, Surveys::OpenedBy, Users::Table, Users::Id))
        .to_owned();
    let by_tenant = Index::create()
        .name("surveys_tenant_year")
        .table(s)
        .col(Surveys::TenantId)
        .col(Surveys::FiscalYear)
        .to_owned();
    let t = SurveyTargets::Table;
    let targets = Table::create()
        .table(t)
        .col(tenant_col(SurveyTargets::TenantId))
        .col(big(SurveyTargets::SurveyId))
        .col(big(SurveyTargets::PersonId))
        .col(ColumnDef::new(SurveyTargets::Answered).boolean().not_null())
        .primary_key(
            Index::create()
                .col(SurveyTargets::SurveyId)
                .col(SurveyTargets::PersonId),
        )
        .foreign_key(&mut fk(
            t,
            SurveyTargets::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            t,
            SurveyTargets::SurveyId,
            Surveys::Table,
            Surveys::Id,
        ))
        .foreign_key(&mut fk(
            t,
            SurveyTargets::PersonId,
            People::Table,
            People::Id,
        ))
        .to_owned();
    let targets_by_person = Index::create()
        .name("survey_targets_person")
        .table(t)
        .col(SurveyTargets::TenantId)
        .col(SurveyTargets::PersonId)
        .to_owned();
    let a = SurveyAnswers::Table;
    let answers = Table::create()
        .table(a)
        .col(
            ColumnDef::new(SurveyAnswers::Id)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(tenant_col(SurveyAnswers::TenantId))
        .col(big(SurveyAnswers::SurveyId))
        .col(
            ColumnDef::new(SurveyAnswers::DepartmentId)
                .big_integer()
                .null(),
        )
        .col(big(SurveyAnswers::AgeBand))
        .col(text(SurveyAnswers::Grade))
        .col(text(SurveyAnswers::Answers))
        .foreign_key(&mut fk(
            a,
            SurveyAnswers::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            a,
            SurveyAnswers::SurveyId,
            Surveys::Table,
            Surveys::Id,
        ))
        .to_owned();
    let answers_by_survey = Index::create()
        .name("survey_answers_survey")
        .table(a)
        .col(SurveyAnswers::TenantId)
        .col(SurveyAnswers::SurveyId)
        .to_owned();
    let c = ConcernThemes::Table;
    let custom = Table::create()
        .table(c)
        .col(tenant_col(ConcernThemes::TenantId))
        .col(text(ConcernThemes::Key))
        .col(text(ConcernThemes::LabelJa))
        .col(text(ConcernThemes::LabelEn))
        .col(ts(ConcernThemes::CreatedAt))
        .primary_key(
            Index::create()
                .col(ConcernThemes::TenantId)
                .col(ConcernThemes::Key),
        )
        .foreign_key(&mut fk(
            c,
            ConcernThemes::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .to_owned();
    let d = DialogueConcerns::Table;
    let tags = Table::create()
        .table(d)
        .col(tenant_col(DialogueConcerns::TenantId))
        .col(big(DialogueConcerns::DialogueId))
        .col(text(DialogueConcerns::Theme))
        .primary_key(
            Index::create()
                .col(DialogueConcerns::DialogueId)
                .col(DialogueConcerns::Theme),
        )
        .foreign_key(&mut fk(
            d,
            DialogueConcerns::TenantId,
            Tenants::Table,
            Tenants::Id,
        ))
        .foreign_key(&mut fk(
            d,
            DialogueConcerns::DialogueId,
            Dialogues::Table,
            Dialogues::Id,
        ))
        .to_owned();
    let tags_by_tenant = Index::create()
        .name("dialogue_concerns_tenant")
        .table(d)
        .col(DialogueConcerns::TenantId)
        .col(DialogueConcerns::Theme)
        .to_owned();
    vec![
        render(engine, &custom),
        render(engine, &tags),
        render_index(engine, &tags_by_tenant),
        render(engine, &questionnaires),
        render(engine, &surveys),
        render_index(engine, &by_tenant),
        render(engine, &targets),
        render_index(engine, &targets_by_person),
        // On SQLite a table has a hidden row id counting up in the order rows arrive —
        // the order people answered in. Kept in the primary key's b-tree alone, answers sit
        // in the order of their random ids.
        match engine {
            Engine::Sqlite => format!("{} WITHOUT ROWID", render(engine, &answers)),
            Engine::Postgres => render(engine, &answers),
        },
        render_index(engine, &answers_by_survey),
    ]
}
