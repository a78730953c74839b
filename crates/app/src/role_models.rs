//! Role-model stories (ロールモデル): which published stories to offer someone whom the
//! fear of failure may hold back, and which stories someone may read and how
//! (`policy::role_model_view`) — the search page, a story's page and the API ask here.

use domain::TenantId;
use domain::policy::{self, StoryFacts, StoryView};
use domain::role_model::{self, Search, Seeker};
use store::role_models::Story;
use store::{Store, StoreError};

/// Up to three published stories for these concerns (tried-and-failed ones first, as
/// `domain::role_model::suggest` orders them). The caller still asks
/// `policy::role_model_view` before showing one.
pub async fn suggestions(
    store: &Store,
    tenant: TenantId,
    concerns: &str,
) -> Result<Vec<Story>, StoreError> {
    let stories = store.published_stories(tenant).await?;
    let texts: Vec<String> = stories
        .iter()
        .map(|s| format!("{}\n{}", s.title, s.body))
        .collect();
    let candidates: Vec<role_model::Candidate<'_>> = stories
        .iter()
        .zip(&texts)
        .map(|(s, text)| role_model::Candidate {
            id: s.id,
            outcome: s.outcome,
            anchor: s.anchor,
            themes: &s.themes,
            text,
        })
        .collect();
    let seeker = Seeker {
        anchors: Vec::new(),
        concerns: role_model::fold(concerns),
    };
    Ok(role_model::suggest(&candidates, &seeker)
        .into_iter()
        .map(|i| stories[i].clone())
        .collect())
}

/// What the policy needs to know about `story`.
fn facts(actor: &domain::policy::Actor, s: &Story) -> StoryFacts {
    StoryFacts {
        tenant: actor.tenant_id,
        subject: s.subject,
        author: s.author,
        consent: s.consent,
        show_name: s.show_name,
    }
}

/// How `actor` may see `story`, if at all (`policy::role_model_view`).
pub fn view_of(actor: &domain::policy::Actor, s: &Story) -> Option<StoryView> {
    policy::role_model_view(actor, &facts(actor, s))
}

/// May `actor` (the colleague) answer whether `story` may be published.
pub fn may_answer(actor: &domain::policy::Actor, s: &Story) -> bool {
    policy::may_answer_role_model(actor, &facts(actor, s))
}

/// The published stories `actor` may read that match `search`, newest first as stored,
/// each with how they may see it (named or not). The search page and the API list this.
pub async fn found(
    store: &Store,
    actor: &domain::policy::Actor,
    search: &Search,
) -> Result<Vec<(Story, StoryView)>, StoreError> {
    Ok(store
        .published_stories(actor.tenant_id)
        .await?
        .into_iter()
        .filter(|s| search.matches(&s.title, &s.body, s.anchor, &s.themes, s.outcome))
        .filter_map(|s| view_of(actor, &s).map(|v| (s, v)))
        .collect())
}

/// The stories `actor` wrote, in any state (for writers; empty for anyone else).
pub async fn written(
    store: &Store,
    actor: &domain::policy::Actor,
) -> Result<Vec<(Story, StoryView)>, StoreError> {
    if !policy::may_write_role_model(actor, actor.tenant_id) {
        return Ok(Vec::new());
    }
    Ok(store
        .stories_written_by(actor.tenant_id, actor.user_id)
        .await?
        .into_iter()
        .filter_map(|s| view_of(actor, &s).map(|v| (s, v)))
        .collect())
}

/// One story as `actor` may see it; `None` when it does not exist or is not theirs to
/// see — the two look the same.
pub async fn readable(
    store: &Store,
    actor: &domain::policy::Actor,
    id: i64,
) -> Result<Option<(Story, StoryView)>, StoreError> {
    Ok(store
        .story(actor.tenant_id, id)
        .await?
        .and_then(|s| view_of(actor, &s).map(|v| (s, v))))
}
