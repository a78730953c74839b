//! What a commitment may point at: a posting open now, a course still offered, a
//! certification the company subsidises (`domain::commitment::Opportunity`). Every
//! employee may read all three, so a link shows its title to whoever reads the
//! commitment; it never says whether anyone applied.

use crate::{Caller, Error};
use chrono::NaiveDate;
use domain::commitment::Opportunity;
use store::Store;

/// Where a linked opportunity is, and its kind, as a reader follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    /// `posting`, `course` or `subsidy`.
    pub kind: &'static str,
    pub title: String,
    pub href: String,
}

/// The opportunities a facilitator may link a commitment to, today.
pub async fn choices(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<(Opportunity, Linked)>, Error> {
    let tenant = caller.actor.tenant_id;
    let mut out = Vec::new();
    for p in store.postings(tenant).await? {
        if p.accepts(today) {
            out.push((
                Opportunity::Posting(p.id),
                Linked {
                    kind: "posting",
                    title: p.posting.title.clone(),
                    href: format!("/postings/{}", p.id),
                },
            ));
        }
    }
    for c in store.courses(tenant).await? {
        if !c.retired {
            out.push((
                Opportunity::Course(c.id),
                Linked {
                    kind: "course",
                    title: c.course.title.clone(),
                    href: format!("/opportunities/learning#course-{}", c.id),
                },
            ));
        }
    }
    for c in store.subsidy_rules(tenant).await?.certifications {
        out.push((
            Opportunity::Subsidy(c.name.clone()),
            Linked {
                kind: "subsidy",
                title: c.name,
                href: "/opportunities/subsidies".into(),
            },
        ));
    }
    Ok(out)
}

/// May a commitment be linked to `o` today (it is among [`choices`])?
pub async fn may_link(
    store: &Store,
    caller: &Caller,
    o: &Opportunity,
    today: NaiveDate,
) -> Result<bool, Error> {
    Ok(choices(store, caller, today)
        .await?
        .iter()
        .any(|(c, _)| c == o))
}

/// A linked opportunity as a reader follows it; None once it is gone (a posting
/// deleted, a certification taken off the list): the commitment then reads without it.
pub async fn link(
    store: &Store,
    caller: &Caller,
    o: &Opportunity,
) -> Result<Option<Linked>, Error> {
    let tenant = caller.actor.tenant_id;
    Ok(match o {
        Opportunity::Posting(id) => store.posting(tenant, *id).await?.map(|p| Linked {
            kind: "posting",
            title: p.posting.title,
            href: format!("/postings/{id}"),
        }),
        Opportunity::Course(id) => store.course(tenant, *id).await?.map(|c| Linked {
            kind: "course",
            title: c.course.title,
            href: format!("/opportunities/learning#course-{id}"),
        }),
        Opportunity::Subsidy(name) => {
            store
                .subsidy_rules(tenant)
                .await?
                .find(name)
                .map(|c| Linked {
                    kind: "subsidy",
                    title: c.name.clone(),
                    href: "/opportunities/subsidies".into(),
                })
        }
    })
}
