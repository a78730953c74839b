//! Roles (DOMAIN.md "People and roles"). `Manager` is never stored: it follows from
//! the reporting line at the time of the request.

use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A role a user can act in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 社員 / 本人
    Employee,
    /// 上司 — derived from the reporting line, never stored.
    Manager,
    /// キャリアコンサルタント
    Consultant,
    /// 講師
    Instructor,
    /// メンター
    Mentor,
    /// 人事
    Hr,
    /// 管理者
    Admin,
}

impl Role {
    /// Every role, in the order navigation shows them.
    pub const ALL: [Role; 7] = [
        Role::Employee,
        Role::Manager,
        Role::Consultant,
        Role::Instructor,
        Role::Mentor,
        Role::Hr,
        Role::Admin,
    ];

    /// Roles that can be granted and stored.
    pub const ASSIGNABLE: [Role; 6] = [
        Role::Employee,
        Role::Consultant,
        Role::Instructor,
        Role::Mentor,
        Role::Hr,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Manager => "manager",
            Role::Consultant => "consultant",
            Role::Instructor => "instructor",
            Role::Mentor => "mentor",
            Role::Hr => "hr",
            Role::Admin => "admin",
        }
    }

    /// Parses any role name, `manager` included (for reading, e.g. demo account labels).
    pub fn parse(s: &str) -> Result<Role, DomainError> {
        let s = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(DomainError::UnknownRole(s))
    }

    /// Parses a role that may be granted to a user: `manager` is refused with an explanation.
    pub fn parse_assignable(s: &str) -> Result<Role, DomainError> {
        match Role::parse(s)? {
            Role::Manager => Err(DomainError::ManagerRoleIsDerived),
            r => Ok(r),
        }
    }
}

/// The roles one user holds, manager included when they have reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        RoleSet(v)
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The role whose home page a user lands on after signing in: the most specific
    /// working role first, the employee's own page last.
    pub fn landing(&self) -> Role {
        const PRIORITY: [Role; 7] = [
            Role::Hr,
            Role::Consultant,
            Role::Instructor,
            Role::Manager,
            Role::Admin,
            Role::Mentor,
            Role::Employee,
        ];
        PRIORITY
            .into_iter()
            .find(|r| self.contains(*r))
            .unwrap_or(Role::Employee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
    }

    #[test]
    fn manager_cannot_be_granted() {
        assert_eq!(
            Role::parse_assignable("manager"),
            Err(DomainError::ManagerRoleIsDerived)
        );
        assert_eq!(Role::parse_assignable(" HR "), Ok(Role::Hr));
        assert!(matches!(
            Role::parse("boss"),
            Err(DomainError::UnknownRole(_))
        ));
    }

    #[test]
    fn landing_prefers_working_roles_over_employee() {
        assert_eq!(
            RoleSet::new([Role::Employee, Role::Manager]).landing(),
            Role::Manager
        );
        assert_eq!(RoleSet::new([Role::Employee]).landing(), Role::Employee);
        assert_eq!(
            RoleSet::new([Role::Admin, Role::Employee]).landing(),
            Role::Admin
        );
        assert_eq!(RoleSet::new([]).landing(), Role::Employee);
    }
}
