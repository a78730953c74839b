//! ロールモデル storage: colleagues' stories with the colleague's consent. Who may read a
//! story is `domain::policy::may_read_role_model`; this module returns what is stored,
//! scoped by tenant. Stories are written to be shared, so they are not sealed; one still
//! waiting for consent is shown to nobody but its writer and its colleague.

use crate::schema::{People, RoleModelStories};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::anchor::Anchor;
use domain::role_model::{Consent, Outcome, StoryInput, Theme};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

/// A story as stored, with the colleague's name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Story {
    pub id: i64,
    pub subject: PersonId,
    pub subject_name: String,
    pub author: UserId,
    pub title: String,
    pub body: String,
    pub anchor: Option<Anchor>,
    pub themes: Vec<Theme>,
    pub outcome: Outcome,
    pub consent: Consent,
    /// The colleague agreed to be named; otherwise the story is shown without a name.
    pub show_name: bool,
    pub created_at: DateTime<Utc>,
    pub consent_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    subject_person_id: i64,
    name: String,
    author_user_id: i64,
    title: String,
    body: String,
    anchor: Option<String>,
    themes: String,
    outcome: String,
    consent: String,
    show_name: bool,
    created_at: DateTime<Utc>,
    consent_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_story(self) -> Result<Story> {
        let bad = |what: &str, v: &str| StoreError::Integrity(format!("role model {what} '{v}'"));
        Ok(Story {
            id: self.id,
            subject: PersonId(self.subject_person_id),
            subject_name: self.name,
            author: UserId(self.author_user_id),
            title: self.title,
            body: self.body,
            anchor: match self.anchor {
                Some(a) => Some(Anchor::parse(&a).ok_or_else(|| bad("anchor", &a))?),
                None => None,
            },
            themes: self
                .themes
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| Theme::parse(t).ok_or_else(|| bad("theme", t)))
                .collect::<Result<_>>()?,
            outcome: Outcome::parse(&self.outcome).ok_or_else(|| bad("outcome", &self.outcome))?,
            consent: Consent::parse(&self.consent).ok_or_else(|| bad("consent", &self.consent))?,
            show_name: self.show_name,
            created_at: self.created_at,
            consent_at: self.consent_at,
        })
    }
}

fn select(tenant: TenantId) -> SelectStatement {
    let s = RoleModelStories::Table;
    Query::select()
        .columns([
            (s, RoleModelStories::Id),
            (s, RoleModelStories::SubjectPersonId),
            (s, RoleModelStories::AuthorUserId),
            (s, RoleModelStories::Title),
            (s, RoleModelStories::Body),
            (s, RoleModelStories::Anchor),
            (s, RoleModelStories::Themes),
            (s, RoleModelStories::Outcome),
            (s, RoleModelStories::Consent),
            (s, RoleModelStories::ShowName),
            (s, RoleModelStories::CreatedAt),
            (s, RoleModelStories::ConsentAt),
        ])
        .column((People::Table, People::Name))
        .from(s)
        .inner_join(
            People::Table,
            Expr::col((People::Table, People::Id)).equals((s, RoleModelStories::SubjectPersonId)),
        )
        .and_where(Expr::col((s, RoleModelStories::TenantId)).eq(tenant.0))
        .order_by((s, RoleModelStories::Id), Order::Desc)
        .to_owned()
}

fn themes_text(themes: &[Theme]) -> String {
    themes.iter().map(|t| t.key()).collect::<Vec<_>>().join(",")
}

impl Store {
    /// Writes a story about a colleague; it waits for their consent.
    pub async fn add_story(
        &self,
        tenant: TenantId,
        subject: PersonId,
        author: UserId,
        input: &StoryInput,
    ) -> Result<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(RoleModelStories::Table)
                    .columns([
                        RoleModelStories::TenantId,
                        RoleModelStories::SubjectPersonId,
                        RoleModelStories::AuthorUserId,
                        RoleModelStories::Title,
                        RoleModelStories::Body,
                        RoleModelStories::Anchor,
                        RoleModelStories::Themes,
                        RoleModelStories::Outcome,
                        RoleModelStories::Consent,
                        RoleModelStories::ShowName,
                        RoleModelStories::CreatedAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        subject.0.into(),
                        author.0.into(),
                        input.title.clone().into(),
                        input.body.clone().into(),
                        input.anchor.map(|a| a.key().to_string()).into(),
                        themes_text(&input.themes).into(),
                        input.outcome.key().into(),
                        Consent::Pending.key().into(),
                        false.into(),
                        Utc::now().into(),
                    ])
                    .returning_col(RoleModelStories::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    pub async fn story(&self, tenant: TenantId, id: i64) -> Result<Option<Story>> {
        self.fetch_optional::<Row, _>(
            &select(tenant)
                .and_where(Expr::col((RoleModelStories::Table, RoleModelStories::Id)).eq(id))
                .to_owned(),
        )
        .await?
        .map(Row::into_story)
        .transpose()
    }

    /// Stories everyone in the company may read (the colleague consented), newest first.
    pub async fn published_stories(&self, tenant: TenantId) -> Result<Vec<Story>> {
        self.fetch_all::<Row, _>(
            &select(tenant)
                .and_where(
                    Expr::col((RoleModelStories::Table, RoleModelStories::Consent))
                        .eq(Consent::Given.key()),
                )
                .to_owned(),
        )
        .await?
        .into_iter()
        .map(Row::into_story)
        .collect()
    }

    /// Stories about a colleague, whatever their state (for the colleague).
    pub async fn stories_about(&self, tenant: TenantId, person: PersonId) -> Result<Vec<Story>> {
        self.fetch_all::<Row, _>(
            &select(tenant)
                .and_where(
                    Expr::col((RoleModelStories::Table, RoleModelStories::SubjectPersonId))
                        .eq(person.0),
                )
                .to_owned(),
        )
        .await?
        .into_iter()
        .map(Row::into_story)
        .collect()
    }

    /// Stories someone wrote, whatever their state (for the writer).
    pub async fn stories_written_by(&self, tenant: TenantId, author: UserId) -> Result<Vec<Story>> {
        self.fetch_all::<Row, _>(
            &select(tenant)
                .and_where(
                    Expr::col((RoleModelStories::Table, RoleModelStories::AuthorUserId))
                        .eq(author.0),
                )
                .to_owned(),
        )
        .await?
        .into_iter()
        .map(Row::into_story)
        .collect()
    }

    /// The colleague's answer, applied only from the state it was read in (`from`), so a
    /// stale page cannot overwrite a newer answer. False when the story had moved on.
    pub async fn set_story_consent(
        &self,
        tenant: TenantId,
        id: i64,
        from: Consent,
        to: Consent,
        show_name: bool,
    ) -> Result<bool> {
        let n = self
            .execute(
                &Query::update()
                    .table(RoleModelStories::Table)
                    .value(RoleModelStories::Consent, to.key())
                    .value(
                        RoleModelStories::ShowName,
                        show_name && to == Consent::Given,
                    )
                    .value(RoleModelStories::ConsentAt, Utc::now())
                    .and_where(Expr::col(RoleModelStories::TenantId).eq(tenant.0))
                    .and_where(Expr::col(RoleModelStories::Id).eq(id))
                    .and_where(Expr::col(RoleModelStories::Consent).eq(from.key()))
                    .to_owned(),
            )
            .await?;
        Ok(n == 1)
    }
}
