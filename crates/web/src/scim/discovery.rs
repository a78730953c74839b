//! The discovery documents (RFC 7644 §4): what this server supports, the resource types
//! it serves and the schemas of their attributes — exactly the attributes
//! `domain::scim` takes, so a provider (and `scim2-tester`) writes nothing else.
//! `schemas.json` was generated once from PyPI `scim2-models` and cut down to them.

use super::{Provider, Scim, refusal};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::scim::{ENTERPRISE, GROUP, LIST, ScimError, USER};
use serde_json::{Value, json};

const SCHEMAS: &str = include_str!("schemas.json");

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// GET /ServiceProviderConfig
pub async fn service_provider_config(Provider(p): Provider) -> Response {
    Scim(
        StatusCode::OK,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{}/api/docs", p.base.trim_end_matches("/scim/v2")),
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": app::scim::MAX_RESULTS},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The company's SCIM token (kyoritsu scim token, or 設定 → SCIM)",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{}/ServiceProviderConfig", p.base),
            },
        }),
    )
    .into_response()
}

fn resource_types_of(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "An account: its userName is the address it signs in with",
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": false}],
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")},
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A group; one named after a role (hr, 人事, admin, 管理者, …) gives it to its members",
            "schema": GROUP,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")},
        }),
    ]
}

/// GET /ResourceTypes
pub async fn resource_types(Provider(p): Provider) -> Response {
    Scim(StatusCode::OK, list(resource_types_of(&p.base))).into_response()
}

/// GET /ResourceTypes/{id}
pub async fn resource_type(Provider(p): Provider, Path(id): Path<String>) -> Response {
    match resource_types_of(&p.base).into_iter().find(|r| {
        r["id"]
            .as_str()
            .is_some_and(|i| i.eq_ignore_ascii_case(&id))
    }) {
        Some(r) => Scim(StatusCode::OK, r).into_response(),
        None => refusal(ScimError::not_found("ResourceType")),
    }
}

fn schemas_of(base: &str) -> Vec<Value> {
    let mut all: Vec<Value> = serde_json::from_str(SCHEMAS).unwrap_or_default();
    for s in &mut all {
        let id = s["id"].as_str().unwrap_or_default().to_string();
        s["meta"] = json!({"resourceType": "Schema", "location": format!("{base}/Schemas/{id}")});
    }
    all
}

/// GET /Schemas
pub async fn schemas(Provider(p): Provider) -> Response {
    Scim(StatusCode::OK, list(schemas_of(&p.base))).into_response()
}

/// GET /Schemas/{id}
pub async fn schema(Provider(p): Provider, Path(id): Path<String>) -> Response {
    match schemas_of(&p.base).into_iter().find(|s| {
        s["id"]
            .as_str()
            .is_some_and(|i| i.eq_ignore_ascii_case(&id))
    }) {
        Some(s) => Scim(StatusCode::OK, s).into_response(),
        None => refusal(ScimError::not_found("Schema")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_published_schemas_are_json_with_the_three_core_ones() {
        let all = super::schemas_of("http://x/scim/v2");
        let names: Vec<&str> = all.iter().filter_map(|s| s["name"].as_str()).collect();
        for n in [
            "User",
            "EnterpriseUser",
            "Group",
            "ResourceType",
            "ServiceProviderConfig",
            "Schema",
        ] {
            assert!(names.contains(&n), "{n}");
        }
    }
}
