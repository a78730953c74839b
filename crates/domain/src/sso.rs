//! Single sign-on with OpenID Connect (シングルサインオン): what a company's settings
//! must be, whose password still works when the company signs in through its provider
//! alone, and which address a provider's ID token vouches for.
//!
//! The protocol itself (discovery, PKCE, state, nonce, the ID token's signature and
//! audience) is the `openidconnect` crate's, at the web edge; these are the rules around
//! it.

use crate::{EmailAddress, UserId};

/// The longest issuer address, client id or claim name taken.
pub const MAX_FIELD_CHARS: usize = 500;
/// The longest client secret taken.
pub const MAX_SECRET_CHARS: usize = 2000;

/// A company's provider, as the admin set it (the secret is kept apart, sealed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SsoSettings {
    /// The provider's issuer (its discovery document lives under it).
    pub issuer: String,
    pub client_id: String,
    /// The ID token claim that carries the e-mail address (`email` unless set).
    pub email_claim: String,
    /// Whether someone the provider vouches for, who is in the employee master but has
    /// no account yet, gets an employee's account at their first sign-in.
    pub create_users: bool,
    /// Whether passwords stop working, but for the break-glass admin's.
    pub sso_only: bool,
    /// The one admin whose password still works when `sso_only` (for the day the
    /// provider is down or misconfigured).
    pub break_glass: Option<UserId>,
}

/// The claim that carries the address unless the admin names another.
pub const DEFAULT_EMAIL_CLAIM: &str = "email";

/// Why settings were refused; the key names the message (`sso.error.{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsProblem {
    /// The issuer is not an absolute URL with a host (or has a query, fragment or
    /// credentials in it).
    IssuerMalformed,
    /// The issuer is not HTTPS (plain HTTP is taken on the machine's own loopback only).
    IssuerNotHttps,
    ClientId,
    ClientSecret,
    EmailClaim,
    /// "SSO only" needs an enabled admin who keeps their password.
    BreakGlass,
}

impl SettingsProblem {
    pub fn key(self) -> &'static str {
        match self {
            SettingsProblem::IssuerMalformed => "issuer_malformed",
            SettingsProblem::IssuerNotHttps => "issuer_not_https",
            SettingsProblem::ClientId => "client_id",
            SettingsProblem::ClientSecret => "client_secret",
            SettingsProblem::EmailClaim => "email_claim",
            SettingsProblem::BreakGlass => "break_glass",
        }
    }
}

fn plain_field(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// The issuer as it will be compared with the provider's own (`iss`): trimmed, an
/// absolute `https://` URL with a host and no query, fragment or credentials; `http://`
/// only to the loopback (a provider on the same machine, as in development and tests).
pub fn parse_issuer(issuer: &str) -> Result<String, SettingsProblem> {
    let issuer = issuer.trim();
    if !plain_field(issuer, MAX_FIELD_CHARS) || issuer.contains(char::is_whitespace) {
        return Err(SettingsProblem::IssuerMalformed);
    }
    let (scheme, rest) = issuer
        .split_once("://")
        .ok_or(SettingsProblem::IssuerMalformed)?;
    if rest.contains(['?', '#']) {
        return Err(SettingsProblem::IssuerMalformed);
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(SettingsProblem::IssuerMalformed);
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(SettingsProblem::IssuerMalformed);
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(issuer.to_string()),
        "http"
            if matches!(
                host.to_ascii_lowercase().as_str(),
                "127.0.0.1" | "localhost" | "::1"
            ) =>
        {
            Ok(issuer.to_string())
        }
        "http" => Err(SettingsProblem::IssuerNotHttps),
        _ => Err(SettingsProblem::IssuerMalformed),
    }
}

/// A client id: present, one line, not too long.
pub fn parse_client_id(id: &str) -> Result<String, SettingsProblem> {
    let id = id.trim();
    if plain_field(id, MAX_FIELD_CHARS) {
        Ok(id.to_string())
    } else {
        Err(SettingsProblem::ClientId)
    }
}

/// A client secret: present, one line (a file's trailing newline is dropped), not too
/// long.
pub fn parse_client_secret(secret: &str) -> Result<String, SettingsProblem> {
    let secret = secret.trim();
    if plain_field(secret, MAX_SECRET_CHARS) {
        Ok(secret.to_string())
    } else {
        Err(SettingsProblem::ClientSecret)
    }
}

/// A claim name: letters, digits and `_ . : / -` (`email`, `upn`, `preferred_username`,
/// a URI-named claim); empty means the default, `email`.
pub fn parse_email_claim(claim: &str) -> Result<String, SettingsProblem> {
    let claim = claim.trim();
    if claim.is_empty() {
        return Ok(DEFAULT_EMAIL_CLAIM.to_string());
    }
    let ok = claim.chars().count() <= 100
        && claim
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '/' | '-'));
    if ok {
        Ok(claim.to_string())
    } else {
        Err(SettingsProblem::EmailClaim)
    }
}

/// Whether `user` may sign in with a password: always, unless the company signs in
/// through its provider alone — then only its break-glass admin. The same rule decides
/// whether a password may be set, changed or reset.
pub fn password_allowed(settings: Option<&SsoSettings>, user: UserId) -> bool {
    match settings {
        Some(s) if s.sso_only => s.break_glass == Some(user),
        _ => true,
    }
}

/// Why a sign-in through the provider did not sign anyone in; the key names the
/// message (`sso.refused.{key}`) and the audit detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The provider could not be reached, or answered what is not OpenID Connect.
    ProviderDown,
    /// The ID token failed a check: signature, issuer, audience, expiry or nonce.
    BadToken,
    /// The answer came for no sign-in this browser started, or for one already
    /// finished (a replayed or forged state).
    State,
    /// The person cancelled, or the provider refused them.
    Denied,
    /// The token carries no address in the configured claim.
    NoEmail,
    /// The provider says the address is not verified.
    Unverified,
    /// No account has this address, and none may be made for it.
    NoAccount,
    /// The account is disabled.
    Disabled,
    /// The company has no single sign-on configured.
    NotConfigured,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::ProviderDown => "provider_down",
            Refusal::BadToken => "bad_token",
            Refusal::State => "state",
            Refusal::Denied => "denied",
            Refusal::NoEmail => "no_email",
            Refusal::Unverified => "unverified",
            Refusal::NoAccount => "no_account",
            Refusal::Disabled => "disabled",
            Refusal::NotConfigured => "not_configured",
        }
    }
}

/// The address a verified ID token vouches for: the configured claim's value, if it is
/// an e-mail address; refused when the provider itself says the address is unverified
/// (`email_verified: false` — a provider that says nothing is taken at its word, as
/// Entra ID says nothing).
pub fn asserted_email(
    value: Option<&str>,
    verified: Option<bool>,
) -> Result<EmailAddress, Refusal> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(Refusal::NoEmail)?;
    let address = EmailAddress::parse(value).map_err(|_| Refusal::NoEmail)?;
    if verified == Some(false) {
        return Err(Refusal::Unverified);
    }
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_is_https_but_on_the_loopback() {
        assert_eq!(
            parse_issuer(" https://login.example.jp/tenant/v2.0 "),
            Ok("https://login.example.jp/tenant/v2.0".into())
        );
        assert_eq!(
            parse_issuer("http://127.0.0.1:4000"),
            Ok("http://127.0.0.1:4000".into())
        );
        assert_eq!(
            parse_issuer("http://localhost"),
            Ok("http://localhost".into())
        );
        assert_eq!(parse_issuer("http://[::1]:9"), Ok("http://[::1]:9".into()));
        assert_eq!(
            parse_issuer("http://idp.example.jp"),
            Err(SettingsProblem::IssuerNotHttps)
        );
        assert_eq!(
            parse_issuer("http://127.0.0.1.evil.example"),
            Err(SettingsProblem::IssuerNotHttps)
        );
        for bad in [
            "",
            "login.example.jp",
            "ftp://login.example.jp",
            "https://",
            "https://user:pw@login.example.jp",
            "https://login.example.jp/?x=1",
            "https://login.example.jp/#a",
            "https://login.example.jp/a b",
            "https://login.example.jp/a\nb",
        ] {
            assert!(parse_issuer(bad).is_err(), "{bad:?} was taken");
        }
    }

    #[test]
    fn a_claim_name_is_a_plain_word_and_defaults_to_email() {
        assert_eq!(parse_email_claim(""), Ok("email".into()));
        assert_eq!(parse_email_claim(" upn "), Ok("upn".into()));
        assert_eq!(
            parse_email_claim("https://example.jp/claims/mail"),
            Ok("https://example.jp/claims/mail".into())
        );
        assert_eq!(
            parse_email_claim("e mail"),
            Err(SettingsProblem::EmailClaim)
        );
        assert_eq!(
            parse_email_claim("メール"),
            Err(SettingsProblem::EmailClaim)
        );
    }

    #[test]
    fn secrets_and_ids_are_one_line() {
        assert_eq!(parse_client_secret("s3cret\n"), Ok("s3cret".into()));
        assert_eq!(
            parse_client_secret("  "),
            Err(SettingsProblem::ClientSecret)
        );
        assert_eq!(
            parse_client_secret("a\nb"),
            Err(SettingsProblem::ClientSecret)
        );
        assert_eq!(
            parse_client_secret(&"x".repeat(MAX_SECRET_CHARS + 1)),
            Err(SettingsProblem::ClientSecret)
        );
        assert_eq!(parse_client_id("kyoritsu"), Ok("kyoritsu".into()));
        assert_eq!(parse_client_id(""), Err(SettingsProblem::ClientId));
    }

    #[test]
    fn with_sso_only_the_break_glass_admin_alone_keeps_a_password() {
        let mut s = SsoSettings {
            issuer: "https://idp.example.jp".into(),
            client_id: "k".into(),
            email_claim: "email".into(),
            create_users: false,
            sso_only: false,
            break_glass: Some(UserId(1)),
        };
        assert!(password_allowed(None, UserId(2)));
        assert!(password_allowed(Some(&s), UserId(2)));
        s.sso_only = true;
        assert!(password_allowed(Some(&s), UserId(1)));
        assert!(!password_allowed(Some(&s), UserId(2)));
        s.break_glass = None;
        assert!(!password_allowed(Some(&s), UserId(1)));
    }

    #[test]
    fn the_token_must_carry_an_address_not_said_to_be_unverified() {
        assert_eq!(
            asserted_email(Some("Sato@Example.jp"), None).map(|a| a.as_str().to_string()),
            EmailAddress::parse("sato@example.jp")
                .map(|a| a.as_str().to_string())
                .map_err(|_| Refusal::NoEmail)
        );
        assert!(asserted_email(Some("a@example.jp"), Some(true)).is_ok());
        assert_eq!(
            asserted_email(Some("a@example.jp"), Some(false)).map(|_| ()),
            Err(Refusal::Unverified)
        );
        assert_eq!(
            asserted_email(None, None).map(|_| ()),
            Err(Refusal::NoEmail)
        );
        assert_eq!(
            asserted_email(Some("not an address"), None).map(|_| ()),
            Err(Refusal::NoEmail)
        );
    }
}
