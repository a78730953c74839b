//! Values parsed at the edge. Once parsed, valid everywhere.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address, trimmed and lower-cased. Deliberately permissive (one `@`, a dot in
/// the domain, no spaces): the mail server is the final judge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim().to_lowercase();
        let bad = || DomainError::InvalidEmail(s.trim().to_string());
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && t.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !t.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok { Ok(EmailAddress(t)) } else { Err(bad()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 社員番号: the key of the employee master.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EmployeeNumber(String);

impl EmployeeNumber {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim();
        let ok = (1..=32).contains(&t.len())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(EmployeeNumber(t.to_string()))
        } else {
            Err(DomainError::InvalidEmployeeNumber(t.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmployeeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tenant's short code (会社コード), used on the sign-in page and the CLI's `--tenant`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim().to_ascii_lowercase();
        let ok = (2..=40).contains(&t.len())
            && t.starts_with(|c: char| c.is_ascii_lowercase())
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(TenantSlug(t))
        } else {
            Err(DomainError::InvalidTenantSlug(s.trim().to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            EmailAddress::parse("  Sato@Example.CO.JP ").map(|e| e.0),
            Ok("sato@example.co.jp".into())
        );
        for bad in [
            "",
            "sato",
            "@example.com",
            "sato@",
            "sato@example",
            "sa to@example.com",
            "a@b@c.com",
            "a@.com",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn employee_number_accepts_codes_and_rejects_junk() {
        assert!(EmployeeNumber::parse(" E000123 ").is_ok());
        assert!(EmployeeNumber::parse("").is_err());
        assert!(EmployeeNumber::parse("佐藤").is_err());
        assert!(EmployeeNumber::parse(&"1".repeat(33)).is_err());
    }

    #[test]
    fn tenant_slug_rules() {
        assert_eq!(TenantSlug::parse("Demo").map(|s| s.0), Ok("demo".into()));
        assert!(TenantSlug::parse("1abc").is_err());
        assert!(TenantSlug::parse("a").is_err());
        assert!(TenantSlug::parse("de mo").is_err());
    }
}

/// Shortest and longest password someone may choose (counted in characters).
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The rule for a password someone sets themselves (from an invitation): at least
/// [`MIN_PASSWORD_CHARS`] characters, at most [`MAX_PASSWORD_CHARS`], not one character
/// repeated, and not the account's own e-mail address. The problem's key otherwise
/// (`password.error.{key}`).
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err("too_short");
    }
    if n > MAX_PASSWORD_CHARS {
        return Err("too_long");
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err("repetitive");
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("email");
    }
    Ok(())
}

#[cfg(test)]
mod password_tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_enough_varied_and_not_the_address() {
        assert_eq!(check_new_password("short", "a@b.jp"), Err("too_short"));
        assert_eq!(
            check_new_password(&"x".repeat(201), "a@b.jp"),
            Err("too_long")
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaaaa", "a@b.jp"),
            Err("repetitive")
        );
        assert_eq!(
            check_new_password("Mori@Partners.JP", "mori@partners.jp"),
            Err("email")
        );
        assert_eq!(
            check_new_password("相談を始める準備ができました", "a@b.jp"),
            Ok(())
        );
        assert_eq!(check_new_password("correct horse", "a@b.jp"), Ok(()));
    }
}
