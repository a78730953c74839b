//! Role-model stories (ロールモデル): which published stories to offer someone whom the
//! fear of failure may hold back.

use domain::TenantId;
use domain::role_model::{self, Seeker};
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
