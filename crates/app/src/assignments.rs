//! Consultant assignments (担当): which consultant holds whose career interviews. HR sees
//! and changes them (the assignments page and the API read them here); a consultant
//! sees only their own clients (`store.assigned_people`).

use crate::{Caller, Error};
use domain::policy::{self, Action};
use store::Store;
use store::dialogues::Assignment;

/// Every assignment of the caller's company, for HR (who may see the organisation).
pub async fn all(store: &Store, caller: &Caller) -> Result<Vec<Assignment>, Error> {
    let tenant = caller.actor.tenant_id;
    policy::authorize(&caller.actor, Action::ViewOrganisationFigures { tenant })
        .map_err(|_| Error::Forbidden)?;
    Ok(store.assignments(tenant).await?)
}
