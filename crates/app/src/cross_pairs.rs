//! The cross-1on1 programme (部署を越えた1on1): HR pairs its cohort across departments,
//! optionally people who share a dominant anchor first (`domain::pairing::
//! cross_rotation`). The plan is shown before anything is made; making it asks the policy
//! about every pair (`pairs::check`) and opens those it allows in force at once, tagged
//! with the programme, each audited. Only participants not yet in one of the programme's
//! open pairs are planned, so running it again pairs late joiners and nobody twice.

use crate::{Caller, Error};
use domain::anchor::Anchor;
use domain::pairing::{PairKind, Pairable, cross_rotation};
use domain::policy::{self, Action, PairRefusal};
use domain::programme::Template;
use domain::{PersonId, UserId};
use std::collections::{HashMap, HashSet};
use store::Store;
use store::programmes::Programme;

/// One side of a planned pair, as HR sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub person: PersonId,
    pub name: String,
    pub number: String,
    pub department: String,
}

/// A pair the plan proposes, and whether the policy would make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub partner: Side,
    pub partner_user: UserId,
    pub subject: Side,
    pub shared_anchor: Option<Anchor>,
    /// Why the policy refuses it (e.g. the two are in one reporting line after all).
    pub refused: Option<PairRefusal>,
}

/// Why a participant is not in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// No account: they could neither hold nor prepare a 1on1 in the product.
    NoAccount,
    /// Too many of the cohort are in their department (or they are alone) for them to
    /// meet someone from another one.
    NoOneOutside,
}

impl LeftOut {
    pub fn key(self) -> &'static str {
        match self {
            LeftOut::NoAccount => "no_account",
            LeftOut::NoOneOutside => "no_one_outside",
        }
    }
}

/// What pairing the programme now would do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub pairs: Vec<Planned>,
    pub left_out: Vec<(Side, LeftOut)>,
    /// Participants already in one of the programme's open pairs (not planned again).
    pub already_paired: usize,
}

impl Plan {
    /// The pairs that would be made.
    pub fn makeable(&self) -> usize {
        self.pairs.iter().filter(|p| p.refused.is_none()).count()
    }
}

/// A cross-1on1 programme HR may pair: not found in another tenant, forbidden to anyone
/// but HR, and only of the cross template and not cancelled (`None` otherwise).
async fn programme_to_pair(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> Result<Option<Programme>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ManagePairs { tenant })
        .map_err(|_| Error::Forbidden)?;
    let p = store
        .programme(tenant, id)
        .await?
        .ok_or(Error::NotFound("programme"))?;
    Ok((p.template == Template::CrossOneOnOne && p.cancelled_at.is_none()).then_some(p))
}

/// The plan for the programme's participants not yet paired by it. `None` when the
/// programme cannot be paired (not a cross-1on1 programme, or cancelled).
pub async fn plan(
    store: &Store,
    caller: &Caller,
    id: i64,
    by_anchor: bool,
) -> Result<Option<Plan>, Error> {
    let Some(programme) = programme_to_pair(store, caller, id).await? else {
        return Ok(None);
    };
    let tenant = caller.actor.tenant_id;
    let participants: Vec<_> = store
        .participants(tenant, programme.id)
        .await?
        .into_iter()
        .filter(|p| !p.left())
        .collect();
    let accounts: HashMap<i64, UserId> = store
        .list_users(tenant)
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .filter_map(|u| u.person_id.map(|p| (p.0, u.id)))
        .collect();
    let mut paired: HashSet<i64> = HashSet::new();
    for p in store.pairs_of_programme(tenant, programme.id).await? {
        if p.status.is_open() {
            paired.insert(p.subject.0);
            if let Some(pp) = p.partner_person {
                paired.insert(pp.0);
            }
        }
    }
    let sheets = if by_anchor {
        store
            .latest_anchor_sheets_in_programme(tenant, programme.id)
            .await?
    } else {
        HashMap::new()
    };
    // Departments by their last two levels (営業一部 第一課): names repeat across units.
    let mut labels: HashMap<i64, String> = HashMap::new();
    for d in participants.iter().filter_map(|p| p.department_id) {
        if let std::collections::hash_map::Entry::Vacant(e) = labels.entry(d) {
            let path = store.department_path(tenant, d).await?;
            let start = path.len().saturating_sub(2);
            e.insert(
                path[start..]
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
    }
    let side = |p: &store::programmes::Participant| Side {
        person: p.person,
        name: p.name.clone(),
        number: p.employee_number.clone(),
        department: p
            .department_id
            .and_then(|d| labels.get(&d).cloned())
            .or_else(|| p.department.clone())
            .unwrap_or_default(),
    };
    let mut out = Plan::default();
    let mut pairable = Vec::new();
    let mut by_person: HashMap<i64, &store::programmes::Participant> = HashMap::new();
    for p in &participants {
        if paired.contains(&p.person.0) {
            out.already_paired += 1;
            continue;
        }
        if !accounts.contains_key(&p.person.0) {
            out.left_out.push((side(p), LeftOut::NoAccount));
            continue;
        }
        by_person.insert(p.person.0, p);
        pairable.push(Pairable {
            who: p.person.0,
            department: p.department_id,
            anchor: sheets
                .get(&p.person.0)
                .and_then(|s| domain::anchor::score(s).dominant.first().copied()),
        });
    }
    let rotation = cross_rotation(&pairable, by_anchor);
    for who in rotation.left_out {
        if let Some(p) = by_person.get(&who) {
            out.left_out.push((side(p), LeftOut::NoOneOutside));
        }
    }
    for proposed in rotation.pairs {
        let (Some(partner), Some(subject), Some(user)) = (
            by_person.get(&proposed.partner),
            by_person.get(&proposed.subject),
            accounts.get(&proposed.partner),
        ) else {
            continue;
        };
        let req = request(&programme, *user, subject.person);
        let refused = crate::pairs::check(store, caller, &req).await?.err();
        out.pairs.push(Planned {
            partner: side(partner),
            partner_user: *user,
            subject: side(subject),
            shared_anchor: proposed.shared_anchor,
            refused,
        });
    }
    Ok(Some(out))
}

fn request(programme: &Programme, partner: UserId, subject: PersonId) -> crate::pairs::PairRequest {
    crate::pairs::PairRequest {
        kind: PairKind::Cross,
        partner,
        subject,
        message: String::new(),
        programme: Some(programme.id),
    }
}

/// Makes the plan's pairs the policy allows (in force at once, tagged with the
/// programme, each audited) and answers the plan with the pairs made (their ids beside
/// them, in plan order). `None` when the programme cannot be paired.
pub async fn make(
    store: &Store,
    caller: &Caller,
    id: i64,
    by_anchor: bool,
) -> Result<Option<(Plan, Vec<store::pairs::Pair>)>, Error> {
    let Some(plan) = plan(store, caller, id, by_anchor).await? else {
        return Ok(None);
    };
    let Some(programme) = programme_to_pair(store, caller, id).await? else {
        return Ok(None);
    };
    let mut made = Vec::new();
    for p in plan.pairs.iter().filter(|p| p.refused.is_none()) {
        let req = request(&programme, p.partner_user, p.subject.person);
        if let Ok((pair, _)) = crate::pairs::request(store, caller, &req).await? {
            made.push(pair);
        }
    }
    Ok(Some((plan, made)))
}
