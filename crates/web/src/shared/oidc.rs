//! The company's OpenID Connect provider as our client (the `openidconnect` crate):
//! discovered from its issuer (its metadata and signing keys), with our client id,
//! the sealed secret opened, and our callback. Used by the sign-in flow and by the
//! admin's connection check.

use crate::AppState;
use crate::shared::error::AppError;
use domain::TenantId;
use domain::sso::{Refusal, SsoSettings};
use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, RedirectUrl};

/// How long the provider may take to answer one request.
const PROVIDER_TIMEOUT_SECONDS: u64 = 10;

/// Our callback, which the admin registers at the provider.
pub fn redirect_uri(state: &AppState) -> String {
    format!("{}/sso/callback", state.config.public_url)
}

pub fn http_client() -> Result<reqwest::Client, AppError> {
    // No redirects: a provider's endpoint answering with one is refused, not followed
    // (the crate's advice, against being led elsewhere).
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(PROVIDER_TIMEOUT_SECONDS))
        .build()
        .map_err(|e| AppError::internal("sso http client", e))
}

pub type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The company's provider, discovered from its issuer, as our client.
pub async fn client(
    state: &AppState,
    http: &reqwest::Client,
    tenant: TenantId,
    settings: &SsoSettings,
) -> Result<Result<Client, Refusal>, AppError> {
    let Some(secret) = state.store.sso_client_secret(tenant).await? else {
        return Ok(Err(Refusal::NotConfigured));
    };
    let Ok(issuer) = IssuerUrl::new(settings.issuer.clone()) else {
        return Ok(Err(Refusal::ProviderDown));
    };
    let metadata = match CoreProviderMetadata::discover_async(issuer, http).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(tenant = tenant.0, error = %e, "the SSO provider could not be discovered");
            return Ok(Err(Refusal::ProviderDown));
        }
    };
    let redirect = RedirectUrl::new(redirect_uri(state))
        .map_err(|e| AppError::internal("sso redirect url", e))?;
    Ok(Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect)))
}
