//! `kyoritsu sso …` and `kyoritsu scim …`: the company's single sign-on provider
//! (シングルサインオン) and its SCIM provisioning token from the command line, under the
//! same rules as the admin's pages (`app::sso`, `app::scim`), audited as the operator.

use anyhow::{Result, anyhow, bail};
use std::path::Path;
use store::Store;
use store::tenants::Tenant;

/// What `sso set` was given.
pub(super) struct SetArgs<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret_file: &'a Path,
    pub email_claim: Option<&'a str>,
    pub create_users: bool,
    pub sso_only: bool,
    pub break_glass: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct Printed {
    issuer: String,
    client_id: String,
    email_claim: String,
    create_users: bool,
    sso_only: bool,
    break_glass: Option<String>,
    redirect_uri: String,
}

async fn printed(
    store: &Store,
    t: &Tenant,
    s: domain::sso::SsoSettings,
    public_url: &str,
) -> Result<Printed> {
    let break_glass = match s.break_glass {
        Some(id) => Some(store.user(t.id, id).await?.email),
        None => None,
    };
    Ok(Printed {
        issuer: s.issuer,
        client_id: s.client_id,
        email_claim: s.email_claim,
        create_users: s.create_users,
        sso_only: s.sso_only,
        break_glass,
        redirect_uri: format!("{public_url}/sso/callback"),
    })
}

fn show(p: &Printed, json: bool) -> Result<()> {
    if json {
        super::print_json(p)?;
        return Ok(());
    }
    out!("issuer:        {}", p.issuer);
    out!("client id:     {}", p.client_id);
    out!("email claim:   {}", p.email_claim);
    out!(
        "create users:  {}",
        if p.create_users {
            "yes (current people of the employee master, at their first sign-in)"
        } else {
            "no"
        }
    );
    match (&p.break_glass, p.sso_only) {
        (Some(admin), true) => out!("SSO only:      yes (break-glass admin: {admin})"),
        _ => out!("SSO only:      no (passwords work too)"),
    }
    out!(
        "redirect URI:  {} (register it at the provider)",
        p.redirect_uri
    );
    Ok(())
}

/// `kyoritsu sso set`: every problem at once, nothing changed unless all is well.
pub(super) async fn set(
    store: &Store,
    t: &Tenant,
    args: SetArgs<'_>,
    public_url: &str,
    json: bool,
) -> Result<()> {
    let secret = std::fs::read_to_string(args.client_secret_file).map_err(|e| {
        anyhow!(
            "cannot read the client secret from {}: {e}",
            args.client_secret_file.display()
        )
    })?;
    let input = app::sso::SsoInput {
        issuer: args.issuer.to_string(),
        client_id: args.client_id.to_string(),
        client_secret: secret,
        email_claim: args.email_claim.unwrap_or_default().to_string(),
        create_users: args.create_users,
        sso_only: args.sso_only,
        break_glass: args.break_glass.unwrap_or_default().to_string(),
    };
    let by = app::accounts::By::operator(t.id);
    match app::sso::set(store, &by, &input, chrono::Utc::now())
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        Ok(s) => show(&printed(store, t, s, public_url).await?, json),
        Err(problems) => {
            let catalog = app::i18n::Lang::En.catalog();
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("  - {}", catalog.get(&format!("sso.error.{}", p.key()))))
                .collect();
            bail!(
                "single sign-on was not set for tenant '{}':\n{}",
                t.slug,
                lines.join("\n")
            )
        }
    }
}

/// `kyoritsu sso show`
pub(super) async fn show_settings(
    store: &Store,
    t: &Tenant,
    public_url: &str,
    json: bool,
) -> Result<()> {
    match app::sso::settings(store, t.id)
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        Some(s) => show(&printed(store, t, s, public_url).await?, json),
        None if json => super::print_json(&serde_json::Value::Null),
        None => {
            out!("single sign-on is not set for tenant '{}'", t.slug);
            Ok(())
        }
    }
}

/// `kyoritsu sso remove`
pub(super) async fn remove(store: &Store, t: &Tenant) -> Result<()> {
    let by = app::accounts::By::operator(t.id);
    if app::sso::remove(store, &by)
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        out!(
            "single sign-on removed for tenant '{}': passwords work again",
            t.slug
        );
    } else {
        out!("single sign-on was not set for tenant '{}'", t.slug);
    }
    Ok(())
}

/// `kyoritsu scim token`: a new SCIM bearer token, printed once (the earlier one stops).
pub(super) async fn scim_token(
    store: &Store,
    t: &Tenant,
    public_url: &str,
    json: bool,
) -> Result<()> {
    let by = app::accounts::By::operator(t.id);
    let token = app::scim::make_token(store, &by, chrono::Utc::now())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let base = format!("{public_url}/scim/v2");
    if json {
        super::print_json(&serde_json::json!({"token": token, "base_url": base}))?;
    } else {
        out!("{token}");
        eprintln!(
            "the SCIM token for tenant '{}' (shown only now; any earlier one has stopped). Give your identity provider the base URL {base}",
            t.slug
        );
    }
    Ok(())
}

/// `kyoritsu scim revoke`
pub(super) async fn scim_revoke(store: &Store, t: &Tenant) -> Result<()> {
    let by = app::accounts::By::operator(t.id);
    if app::scim::revoke_token(store, &by)
        .await
        .map_err(|e| anyhow!("{e}"))?
    {
        out!("the SCIM token of tenant '{}' was revoked", t.slug);
    } else {
        out!("tenant '{}' had no SCIM token", t.slug);
    }
    Ok(())
}
