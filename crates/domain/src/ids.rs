//! Identifiers of stored things. Newtypes so a person id is never passed as a user id.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A company (テナント) sharing the deployment.
    TenantId
);
id_type!(
    /// An account that signs in.
    UserId
);
id_type!(
    /// A person in the employee master (社員). Not every person has an account.
    PersonId
);
