//! The page shell every template extends: language, signed-in user, navigation, CSRF
//! token and the flash message.

use crate::shared::i18n::{Catalog, Lang};
use domain::Role;
use std::fmt::Display;

/// The signed-in user as the header shows them.
#[derive(Debug, Clone)]
pub struct ShellUser {
    pub name: String,
    pub roles: Vec<Role>,
    /// The account is someone in the employee master (an external instructor or mentor
    /// is not: they have no マイキャリア and no colleagues' stories).
    pub has_person: bool,
    /// Unread notices (お知らせ), shown as a count in the header.
    pub unread: i64,
}

/// A one-time message shown on the next page (POST-redirect-GET).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    /// `info`, `success` or `error`
    pub kind: String,
    pub text: String,
}

/// A navigation entry.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// Layout data for `base.html`.
pub struct Shell {
    pub lang: Lang,
    pub user: Option<ShellUser>,
    pub csrf: String,
    pub flash: Option<Flash>,
    /// The current path, for the language switch to come back to.
    pub path: String,
    /// Which navigation entry is active (its href).
    pub section: &'static str,
}

/// Home page of each role, in navigation order.
pub const HOMES: [(Role, &str, &str); 7] = [
    (Role::Employee, "/my", "nav.my"),
    (Role::Manager, "/members", "nav.members"),
    (Role::Consultant, "/clients", "nav.clients"),
    (Role::Instructor, "/training", "nav.training"),
    (Role::Mentor, "/pairs", "nav.pairs"),
    (Role::Hr, "/programmes", "nav.programmes"),
    (Role::Admin, "/admin", "nav.admin"),
];

/// Where a role lands after signing in.
pub fn home_of(role: Role) -> &'static str {
    HOMES
        .iter()
        .find(|(r, _, _)| *r == role)
        .map(|(_, h, _)| *h)
        .unwrap_or("/my")
}

impl Shell {
    fn catalog(&self) -> &'static Catalog {
        self.lang.catalog()
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.catalog().get(key)
    }

    pub fn tf(&self, key: &str, name: &str, value: impl Display) -> String {
        self.catalog().format(key, &[(name, &value)])
    }

    pub fn tf2(&self, key: &str, n1: &str, v1: impl Display, n2: &str, v2: impl Display) -> String {
        self.catalog().format(key, &[(n1, &v1), (n2, &v2)])
    }

    /// Navigation for the user's roles: each role's home, then admin tools.
    pub fn nav(&self) -> Vec<NavItem> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        let mut items: Vec<NavItem> = HOMES
            .iter()
            .filter(|(r, _, _)| {
                if *r == Role::Employee {
                    user.has_person
                } else {
                    user.roles.contains(r)
                }
            })
            .map(|(_, href, label)| NavItem {
                href,
                label,
                active: *href == self.section,
            })
            .collect();
        if user.roles.contains(&Role::Hr) || user.roles.contains(&Role::Admin) {
            items.push(NavItem {
                href: "/people",
                label: "nav.directory",
                active: self.section == "/people",
            });
            items.push(NavItem {
                href: "/org",
                label: "nav.org",
                active: self.section == "/org",
            });
            items.push(NavItem {
                href: "/people/import",
                label: "nav.people_import",
                active: self.section == "/people/import",
            });
        }
        // Dialogues (面談・1on1), for those who hold or book them.
        if [Role::Manager, Role::Consultant, Role::Mentor, Role::Hr]
            .iter()
            .any(|r| user.roles.contains(r))
        {
            items.push(NavItem {
                href: "/dialogues",
                label: "nav.dialogues",
                active: self.section == "/dialogues",
            });
        }
        if user.roles.contains(&Role::Manager) {
            items.push(NavItem {
                href: "/reports",
                label: "nav.reports",
                active: self.section == "/reports",
            });
        }
        if user.roles.contains(&Role::Consultant) {
            items.push(NavItem {
                href: "/consultant/profile",
                label: "nav.consultant_profile",
                active: self.section == "/consultant/profile",
            });
            items.push(NavItem {
                href: "/consultant/slots",
                label: "nav.consultant_slots",
                active: self.section == "/consultant/slots",
            });
        }
        // 相談相手を選ぶ: everyone in the employee master may choose a consultant.
        if user.has_person && !user.roles.contains(&Role::Mentor) {
            items.push(NavItem {
                href: "/my/consultants",
                label: "nav.choose_consultant",
                active: self.section == "/my/consultants",
            });
        }
        if user.roles.contains(&Role::Hr) {
            items.push(NavItem {
                href: "/consultants",
                label: "nav.consultants",
                active: self.section == "/consultants",
            });
            items.push(NavItem {
                href: "/autonomy",
                label: "nav.autonomy",
                active: self.section == "/autonomy",
            });
            items.push(NavItem {
                href: "/assignments",
                label: "nav.assignments",
                active: self.section == "/assignments",
            });
            items.push(NavItem {
                href: "/surveys",
                label: "nav.surveys",
                active: self.section == "/surveys",
            });
        }
        // The organisation report (組織レポート): HR for the company, managers for their unit.
        if user.roles.contains(&Role::Hr) || user.roles.contains(&Role::Manager) {
            items.push(NavItem {
                href: "/org-report",
                label: "nav.org_report",
                active: self.section == "/org-report",
            });
            items.push(NavItem {
                href: "/kpi",
                label: "nav.kpi",
                active: self.section == "/kpi",
            });
        }
        // The question bank (質問集), for those who hold dialogues (and HR, admin).
        if [
            Role::Manager,
            Role::Consultant,
            Role::Mentor,
            Role::Hr,
            Role::Admin,
        ]
        .iter()
        .any(|r| user.roles.contains(r))
        {
            items.push(NavItem {
                href: "/questions",
                label: "nav.questions",
                active: self.section == "/questions",
            });
        }
        // Pairs (ペア) for cross-department and mentor 1on1s: every employee may be in
        // one (a mentor has it as their home, above).
        if user.has_person && !user.roles.contains(&Role::Mentor) {
            items.push(NavItem {
                href: "/pairs",
                label: "nav.pairs",
                active: self.section == "/pairs",
            });
        }
        // 機会 (internal postings): everyone in the company browses them; HR and managers
        // publish and follow their own.
        if user.has_person || user.roles.contains(&Role::Hr) || user.roles.contains(&Role::Manager)
        {
            items.push(NavItem {
                href: "/opportunities",
                label: "nav.opportunities",
                active: self.section == "/opportunities",
            });
        }
        // Role models (ロールモデル): colleagues' stories, for everyone in the company.
        if user.has_person {
            items.push(NavItem {
                href: "/role-models",
                label: "nav.role_models",
                active: self.section == "/role-models",
            });
        }
        // 会社の方針: the company's policy and its schemes, for everyone.
        items.push(NavItem {
            href: "/policy",
            label: "nav.policy",
            active: self.section == "/policy",
        });
        if user.roles.contains(&Role::Admin) {
            items.push(NavItem {
                href: "/admin/users",
                label: "nav.users",
                active: self.section == "/admin/users",
            });
            items.push(NavItem {
                href: "/admin/audit",
                label: "nav.audit",
                active: self.section == "/admin/audit",
            });
        }
        items
    }
}
