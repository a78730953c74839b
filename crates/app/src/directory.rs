//! The people directory (社員名簿): HR and admins search everyone; a manager searches
//! only their own reporting line. The directory page and the API search here.

use crate::Error;
use domain::policy::{self, Action, Actor};
use store::Store;
use store::people::Person;

/// Whom `actor` may search: `None` for everyone, or the people of their line; `Forbidden`
/// for anyone with neither.
pub async fn scope(store: &Store, actor: &Actor) -> Result<Option<Vec<i64>>, Error> {
    let tenant = actor.tenant_id;
    if policy::authorize(actor, Action::BrowseDirectory { tenant }).is_ok() {
        return Ok(None);
    }
    policy::authorize(actor, Action::ListOwnReports).map_err(|_| Error::Forbidden)?;
    let me = actor.person_id.ok_or(Error::Forbidden)?;
    Ok(Some(
        store
            .reports_of(tenant, me)
            .await?
            .into_iter()
            .map(|(_, p)| p.id)
            .collect(),
    ))
}

/// One page of the people matching every word of `query` whom `actor` may search, and
/// how many match in all.
pub async fn search(
    store: &Store,
    actor: &Actor,
    query: &str,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Person>, i64, bool), Error> {
    let scope = scope(store, actor).await?;
    let (people, total) = store
        .search_people(
            actor.tenant_id,
            query.trim(),
            scope.as_deref(),
            limit,
            offset,
        )
        .await?;
    Ok((people, total, scope.is_some()))
}
