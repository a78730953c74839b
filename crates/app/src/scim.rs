//! SCIM 2.0 provisioning (RFC 7644): how a company's identity provider keeps accounts
//! in step — creating, changing, disabling (`active: false`, the leaver's path: sessions
//! and tokens stop at once) and deleting them, and keeping groups whose names give roles
//! (`domain::scim::role_of_group`). Each answer is the resource's JSON form or a
//! `ScimError`; nothing is stored unless the whole request is valid. Audited as the
//! provider ("scim").
//!
//! An account made by the provider is linked to the current person of the employee
//! master with its enterprise `employeeNumber`, else with its address, and is then an
//! employee's; it has no password (single sign-on, or an invitation, signs it in).

use crate::Error;
use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, detail};
use domain::scim::{self as rules, ENTERPRISE, GROUP, LIST, ResourceKind, ScimError, USER};
use domain::{PersonId, Role, RoleSet, TenantId, UserId};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use store::audit::NewAuditEntry;
use store::scim::{ScimGroup, ScimUser, ScimWrite};
use store::{Store, StoreError};

/// The most resources one list answers with.
pub const MAX_RESULTS: u64 = 500;
/// How many a list answers with unless asked.
pub const DEFAULT_COUNT: u64 = 100;

/// The company the bearer token belongs to, and where its resources live
/// (`…/scim/v2`, for `meta.location`).
#[derive(Debug, Clone)]
pub struct Provider {
    pub tenant: TenantId,
    pub base: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl Provider {
    fn entry(&self, action: AuditAction) -> NewAuditEntry {
        NewAuditEntry::new(Some(self.tenant), action)
            .actor(None, "scim")
            .origin(self.ip.clone(), self.request_id.clone())
    }
}

/// Either the answer or a SCIM refusal; `Err` is for the store failing.
pub type Answer<T> = Result<Result<T, ScimError>, Error>;

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn conflict(e: StoreError) -> Result<ScimError, Error> {
    match e {
        StoreError::Conflict(_) => Ok(ScimError::uniqueness(
            "another account already has this userName (e-mail address)",
        )),
        e => Err(e.into()),
    }
}

/// A list answer.
fn list(total: i64, start_index: u64, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// `startIndex` (1-based) and `count`, bounded.
fn page(start_index: Option<u64>, count: Option<u64>) -> (u64, u64) {
    (
        start_index.unwrap_or(1).max(1),
        count.unwrap_or(DEFAULT_COUNT).min(MAX_RESULTS),
    )
}

/// A list's filter, if one was given (an empty one is none).
fn filter_of(kind: ResourceKind, filter: Option<&str>) -> Result<Option<rules::Filter>, ScimError> {
    filter
        .filter(|f| !f.trim().is_empty())
        .map(|f| rules::parse_filter(kind, f))
        .transpose()
}

fn parse_id(id: &str) -> Option<i64> {
    id.parse::<i64>().ok().filter(|i| *i > 0)
}

// ----- users -----

/// An account's JSON form.
pub fn user_json(p: &Provider, u: &ScimUser) -> Value {
    let mut o: Map<String, Value> = u
        .attributes
        .as_deref()
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or_else(|| {
            let mut m = Map::new();
            m.insert("displayName".into(), Value::from(u.user.name.clone()));
            m
        });
    let mut schemas = vec![USER];
    if o.contains_key(ENTERPRISE) {
        schemas.push(ENTERPRISE);
    }
    o.insert("schemas".into(), json!(schemas));
    o.insert("id".into(), Value::from(u.user.id.0.to_string()));
    o.insert("userName".into(), Value::from(u.user.email.clone()));
    // `active` as the account is; left out only when the provider never gave it (or
    // removed it) and the account is enabled.
    if u.attributes.is_none() || o.contains_key("active") || u.user.disabled {
        o.insert("active".into(), Value::from(!u.user.disabled));
    }
    if let Some(e) = &u.external_id {
        o.insert("externalId".into(), Value::from(e.clone()));
    }
    o.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": time(u.user.created_at),
            "lastModified": time(u.updated_at.unwrap_or(u.user.created_at)),
            "location": format!("{}/Users/{}", p.base, u.user.id.0),
        }),
    );
    Value::Object(o)
}

async fn found_user(store: &Store, p: &Provider, id: &str) -> Answer<ScimUser> {
    let Some(id) = parse_id(id) else {
        return Ok(Err(ScimError::not_found("User")));
    };
    Ok(store
        .scim_user(p.tenant, UserId(id))
        .await?
        .ok_or_else(|| ScimError::not_found("User")))
}

pub async fn list_users(
    store: &Store,
    p: &Provider,
    filter: Option<&str>,
    start_index: Option<u64>,
    count: Option<u64>,
) -> Answer<Value> {
    let filter = match filter_of(ResourceKind::User, filter) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let (start, count) = page(start_index, count);
    let (total, users) = store
        .scim_users(
            p.tenant,
            filter.as_ref().map(|f| (f.attribute, f.value.as_str())),
            start - 1,
            count,
        )
        .await?;
    Ok(Ok(list(
        total,
        start,
        users.iter().map(|u| user_json(p, u)).collect(),
    )))
}

pub async fn get_user(store: &Store, p: &Provider, id: &str) -> Answer<Value> {
    Ok(found_user(store, p, id).await?.map(|u| user_json(p, &u)))
}

fn write_of<'a>(doc: &'a rules::UserDoc, name: &'a str, attributes: &'a str) -> ScimWrite<'a> {
    ScimWrite {
        email: &doc.user_name,
        name,
        external_id: doc.external_id.as_deref(),
        attributes,
        active: doc.enabled(),
    }
}

/// The current person of the master this account is for: by employee number, else by
/// address.
async fn person_for(
    store: &Store,
    tenant: TenantId,
    doc: &rules::UserDoc,
) -> Result<Option<PersonId>, Error> {
    if let Some(number) = doc.employee_number()
        && let Some(person) = store.person_by_number(tenant, number).await?
        && person.status == domain::PersonStatus::Active
        && store
            .account_of_person(tenant, PersonId(person.id))
            .await?
            .is_none()
    {
        return Ok(Some(PersonId(person.id)));
    }
    Ok(store
        .uninvited_person_with_email(tenant, &doc.user_name)
        .await?
        .map(|u| u.person))
}

/// POST /Users. An address the provider deleted before brings that account back.
pub async fn create_user(
    store: &Store,
    p: &Provider,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let doc = match rules::parse_user(body) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let name = doc.display_name();
    let attributes = Value::Object(doc.attributes.clone()).to_string();
    let w = write_of(&doc, &name, &attributes);
    if let Some(id) = store.scim_deleted_user(p.tenant, &doc.user_name).await? {
        store.scim_update_user(p.tenant, id, &w, now).await?;
        audit_user(store, p, AuditAction::UserEnabled, id).await?;
        return Ok(found_user(store, p, &id.0.to_string())
            .await?
            .map(|u| user_json(p, &u)));
    }
    if store
        .user_by_email(p.tenant, &doc.user_name)
        .await?
        .is_some()
    {
        return Ok(Err(ScimError::uniqueness(
            "an account with this userName (e-mail address) exists: find it with filter=userName eq \"…\"",
        )));
    }
    let person = person_for(store, p.tenant, &doc).await?;
    let roles: Vec<Role> = person.map(|_| Role::Employee).into_iter().collect();
    let id = match store
        .scim_create_user(p.tenant, &w, person, &roles, now)
        .await
    {
        Ok(id) => id,
        Err(e) => return Ok(Err(conflict(e)?)),
    };
    audit_user(store, p, AuditAction::UserCreated, id).await?;
    if !doc.enabled() {
        audit_user(store, p, AuditAction::UserDisabled, id).await?;
    }
    Ok(found_user(store, p, &id.0.to_string())
        .await?
        .map(|u| user_json(p, &u)))
}

async fn audit_user(
    store: &Store,
    p: &Provider,
    action: AuditAction,
    id: UserId,
) -> Result<(), Error> {
    store
        .append_audit(
            p.entry(action)
                .target("user", id.0)
                .detail(detail("scim", &[])),
        )
        .await?;
    Ok(())
}

/// Writes a checked document over an account; audits a change of `active`.
async fn write_user(
    store: &Store,
    p: &Provider,
    current: &ScimUser,
    doc: rules::UserDoc,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let name = doc.display_name();
    let attributes = Value::Object(doc.attributes.clone()).to_string();
    let w = write_of(&doc, &name, &attributes);
    if let Err(e) = store
        .scim_update_user(p.tenant, current.user.id, &w, now)
        .await
    {
        return Ok(Err(conflict(e)?));
    }
    if current.user.disabled == doc.enabled() {
        let action = if doc.enabled() {
            AuditAction::UserEnabled
        } else {
            AuditAction::UserDisabled
        };
        audit_user(store, p, action, current.user.id).await?;
    }
    Ok(found_user(store, p, &current.user.id.0.to_string())
        .await?
        .map(|u| user_json(p, &u)))
}

/// PUT /Users/{id}: the document replaces what the provider wrote.
pub async fn replace_user(
    store: &Store,
    p: &Provider,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let current = match found_user(store, p, id).await? {
        Ok(u) => u,
        Err(e) => return Ok(Err(e)),
    };
    match rules::parse_user(body) {
        Ok(doc) => write_user(store, p, &current, doc, now).await,
        Err(e) => Ok(Err(e)),
    }
}

/// PATCH /Users/{id}: the operations applied to the account's JSON form, the result
/// checked whole.
pub async fn patch_user(
    store: &Store,
    p: &Provider,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let current = match found_user(store, p, id).await? {
        Ok(u) => u,
        Err(e) => return Ok(Err(e)),
    };
    let mut resource = user_json(p, &current);
    if let Err(e) = rules::apply_patch(ResourceKind::User, &mut resource, body) {
        return Ok(Err(e));
    }
    match rules::parse_user(&resource) {
        Ok(doc) => write_user(store, p, &current, doc, now).await,
        Err(e) => Ok(Err(e)),
    }
}

/// DELETE /Users/{id}: the account stays, disabled, out of every group (and the roles
/// those gave), and is no longer listed.
pub async fn delete_user(store: &Store, p: &Provider, id: &str, now: DateTime<Utc>) -> Answer<()> {
    let current = match found_user(store, p, id).await? {
        Ok(u) => u,
        Err(e) => return Ok(Err(e)),
    };
    let before = derived_roles(store, p.tenant, current.user.id).await?;
    store
        .scim_delete_user(p.tenant, current.user.id, now)
        .await?;
    sync_roles(store, p, current.user.id, &before).await?;
    store
        .append_audit(
            p.entry(AuditAction::UserDisabled)
                .target("user", current.user.id.0)
                .detail(detail("scim_deleted", &[])),
        )
        .await?;
    Ok(Ok(()))
}

// ----- groups and the roles they give -----

async fn derived_roles(
    store: &Store,
    tenant: TenantId,
    user: UserId,
) -> Result<BTreeSet<Role>, Error> {
    Ok(store
        .scim_groups_of(tenant, user)
        .await?
        .iter()
        .filter_map(|g| rules::role_of_group(g))
        .collect())
}

/// After a change of groups: the roles the account's groups give now are added, those
/// they gave before and no longer give are taken away; roles given by hand stay.
async fn sync_roles(
    store: &Store,
    p: &Provider,
    user: UserId,
    before: &BTreeSet<Role>,
) -> Result<(), Error> {
    let after = derived_roles(store, p.tenant, user).await?;
    if after == *before {
        return Ok(());
    }
    let account = store.user(p.tenant, user).await?;
    let mut roles: BTreeSet<Role> = account.roles.iter().collect();
    for r in before.difference(&after) {
        roles.remove(r);
    }
    roles.extend(after.iter().copied());
    let new = RoleSet::new(roles.iter().copied());
    if new == account.roles {
        return Ok(());
    }
    let keys = |s: &RoleSet| s.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
    store.set_roles(p.tenant, user, &new).await?;
    store
        .append_audit(
            p.entry(AuditAction::RolesChanged)
                .target("user", user.0)
                .detail(detail(
                    "changed",
                    &[("from", &keys(&account.roles)), ("to", &keys(&new))],
                )),
        )
        .await?;
    Ok(())
}

pub fn group_json(p: &Provider, g: &ScimGroup) -> Value {
    let mut o = Map::new();
    o.insert("schemas".into(), json!([GROUP]));
    o.insert("id".into(), Value::from(g.id.to_string()));
    o.insert("displayName".into(), Value::from(g.display_name.clone()));
    if let Some(e) = &g.external_id {
        o.insert("externalId".into(), Value::from(e.clone()));
    }
    if !g.members.is_empty() {
        o.insert(
            "members".into(),
            Value::Array(
                g.members
                    .iter()
                    .map(|(id, _)| {
                        json!({
                            "value": id.0.to_string(),
                            "$ref": format!("{}/Users/{}", p.base, id.0),
                            "type": "User",
                        })
                    })
                    .collect(),
            ),
        );
    }
    o.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "created": time(g.created_at),
            "lastModified": time(g.updated_at),
            "location": format!("{}/Groups/{}", p.base, g.id),
        }),
    );
    Value::Object(o)
}

async fn found_group(store: &Store, p: &Provider, id: &str) -> Answer<ScimGroup> {
    let Some(id) = parse_id(id) else {
        return Ok(Err(ScimError::not_found("Group")));
    };
    Ok(store
        .scim_group(p.tenant, id)
        .await?
        .ok_or_else(|| ScimError::not_found("Group")))
}

pub async fn list_groups(
    store: &Store,
    p: &Provider,
    filter: Option<&str>,
    start_index: Option<u64>,
    count: Option<u64>,
) -> Answer<Value> {
    let filter = match filter_of(ResourceKind::Group, filter) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let (start, count) = page(start_index, count);
    let (total, groups) = store
        .scim_groups(
            p.tenant,
            filter.as_ref().map(|f| (f.attribute, f.value.as_str())),
            start - 1,
            count,
        )
        .await?;
    Ok(Ok(list(
        total,
        start,
        groups.iter().map(|g| group_json(p, g)).collect(),
    )))
}

pub async fn get_group(store: &Store, p: &Provider, id: &str) -> Answer<Value> {
    Ok(found_group(store, p, id).await?.map(|g| group_json(p, &g)))
}

/// The members named, as accounts the provider sees; an unknown one refuses the whole
/// request.
async fn members(store: &Store, p: &Provider, ids: &[String]) -> Answer<Vec<UserId>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let known = match parse_id(id) {
            Some(i) => store.scim_user(p.tenant, UserId(i)).await?.is_some(),
            None => false,
        };
        if !known {
            return Ok(Err(ScimError::bad(
                "invalidValue",
                format!("no user has the id '{id}'"),
            )));
        }
        out.push(UserId(parse_id(id).unwrap_or_default()));
    }
    Ok(Ok(out))
}

/// Writes a checked group (new when `current` is `None`) and brings its members' roles
/// in step.
async fn write_group(
    store: &Store,
    p: &Provider,
    current: Option<&ScimGroup>,
    doc: rules::GroupDoc,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let ids = match members(store, p, &doc.members).await? {
        Ok(ids) => ids,
        Err(e) => return Ok(Err(e)),
    };
    let mut affected: BTreeSet<i64> = ids.iter().map(|u| u.0).collect();
    if let Some(g) = current {
        affected.extend(g.members.iter().map(|(u, _)| u.0));
    }
    let mut before = Vec::with_capacity(affected.len());
    for u in &affected {
        before.push((
            UserId(*u),
            derived_roles(store, p.tenant, UserId(*u)).await?,
        ));
    }
    let id = store
        .scim_write_group(
            p.tenant,
            current.map(|g| g.id),
            &doc.display_name,
            doc.external_id.as_deref(),
            &ids,
            now,
        )
        .await?;
    for (u, roles) in &before {
        sync_roles(store, p, *u, roles).await?;
    }
    store
        .append_audit(
            p.entry(AuditAction::SettingsChanged)
                .target("group", id)
                .detail(detail(
                    "scim_group",
                    &[("name", &doc.display_name), ("n", &ids.len())],
                )),
        )
        .await?;
    Ok(found_group(store, p, &id.to_string())
        .await?
        .map(|g| group_json(p, &g)))
}

pub async fn create_group(
    store: &Store,
    p: &Provider,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    match rules::parse_group(body) {
        Ok(doc) => write_group(store, p, None, doc, now).await,
        Err(e) => Ok(Err(e)),
    }
}

pub async fn replace_group(
    store: &Store,
    p: &Provider,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let current = match found_group(store, p, id).await? {
        Ok(g) => g,
        Err(e) => return Ok(Err(e)),
    };
    match rules::parse_group(body) {
        Ok(doc) => write_group(store, p, Some(&current), doc, now).await,
        Err(e) => Ok(Err(e)),
    }
}

pub async fn patch_group(
    store: &Store,
    p: &Provider,
    id: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> Answer<Value> {
    let current = match found_group(store, p, id).await? {
        Ok(g) => g,
        Err(e) => return Ok(Err(e)),
    };
    let mut resource = group_json(p, &current);
    if let Err(e) = rules::apply_patch(ResourceKind::Group, &mut resource, body) {
        return Ok(Err(e));
    }
    match rules::parse_group(&resource) {
        Ok(doc) => write_group(store, p, Some(&current), doc, now).await,
        Err(e) => Ok(Err(e)),
    }
}

pub async fn delete_group(store: &Store, p: &Provider, id: &str) -> Answer<()> {
    let current = match found_group(store, p, id).await? {
        Ok(g) => g,
        Err(e) => return Ok(Err(e)),
    };
    let mut before = Vec::new();
    for (u, _) in &current.members {
        before.push((*u, derived_roles(store, p.tenant, *u).await?));
    }
    store.scim_delete_group(p.tenant, current.id).await?;
    for (u, roles) in &before {
        sync_roles(store, p, *u, roles).await?;
    }
    store
        .append_audit(
            p.entry(AuditAction::SettingsChanged)
                .target("group", current.id)
                .detail(detail(
                    "scim_group_deleted",
                    &[("name", &current.display_name)],
                )),
        )
        .await?;
    Ok(Ok(()))
}

// ----- searching by POST -----

/// What a `POST …/.search` asks (RFC 7644 §3.4.3), as the list parameters.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub filter: Option<String>,
    pub start_index: Option<u64>,
    pub count: Option<u64>,
    /// Comma-separated, as in a query string.
    pub attributes: Option<String>,
    pub excluded: Option<String>,
}

/// Reads a `SearchRequest` body.
pub fn search_request(body: &Value) -> Result<Search, ScimError> {
    let Value::Object(o) = body else {
        return Err(ScimError::bad(
            "invalidSyntax",
            "the body must be a JSON object",
        ));
    };
    let get = |k: &str| {
        o.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
    };
    let names = |k: &str| -> Result<Option<String>, ScimError> {
        match get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(
                a.iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        ScimError::bad("invalidValue", format!("'{k}' must list attribute names"))
                    })?
                    .join(","),
            )),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ScimError::bad(
                "invalidValue",
                format!("'{k}' must list attribute names"),
            )),
        }
    };
    let number = |k: &str| -> Result<Option<u64>, ScimError> {
        match get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(|n| Some(n.max(0) as u64))
                .ok_or_else(|| ScimError::bad("invalidValue", format!("'{k}' must be a number"))),
        }
    };
    Ok(Search {
        filter: match get("filter") {
            None | Some(Value::Null) => None,
            Some(Value::String(f)) => Some(f.clone()),
            Some(_) => return Err(ScimError::bad("invalidFilter", "'filter' must be a string")),
        },
        start_index: number("startIndex")?,
        count: number("count")?,
        attributes: names("attributes")?,
        excluded: names("excludedAttributes")?,
    })
}

/// `POST /.search`: users, then groups, one list (no filter across both).
pub async fn search_all(store: &Store, p: &Provider, q: &Search) -> Answer<Value> {
    if q.filter.as_deref().is_some_and(|f| !f.trim().is_empty()) {
        return Ok(Err(ScimError::bad(
            "invalidFilter",
            "filter users or groups at /Users/.search or /Groups/.search",
        )));
    }
    let (start, count) = page(q.start_index, q.count);
    let offset = start - 1;
    let (users_total, users) = store.scim_users(p.tenant, None, offset, count).await?;
    let mut resources: Vec<Value> = users.iter().map(|u| user_json(p, u)).collect();
    let left = count.saturating_sub(resources.len() as u64);
    let group_offset = offset.saturating_sub(users_total.max(0) as u64);
    let (groups_total, groups) = store
        .scim_groups(p.tenant, None, group_offset, left)
        .await?;
    resources.extend(groups.iter().map(|g| group_json(p, g)));
    Ok(Ok(list(users_total + groups_total, start, resources)))
}

// ----- the token -----

/// Makes the company's SCIM token (the earlier one stops); returns it to show once.
/// Audited.
pub async fn make_token(
    store: &Store,
    by: &crate::accounts::By,
    now: DateTime<Utc>,
) -> Result<String, Error> {
    let secret = store.set_scim_token(by.tenant(), now).await?;
    store
        .append_audit(
            by.entry(AuditAction::TokenCreated)
                .target("tenant", by.tenant().0)
                .detail(detail("scim_token", &[])),
        )
        .await?;
    Ok(secret)
}

/// Stops the company's SCIM token. Audited.
pub async fn revoke_token(store: &Store, by: &crate::accounts::By) -> Result<bool, Error> {
    let done = store.revoke_scim_token(by.tenant()).await?;
    if done {
        store
            .append_audit(
                by.entry(AuditAction::TokenRevoked)
                    .target("tenant", by.tenant().0)
                    .detail(detail("scim_token", &[])),
            )
            .await?;
    }
    Ok(done)
}
