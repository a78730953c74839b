//! SCIM 2.0 provisioning (RFC 7643/7644): what a company's identity provider (Entra ID,
//! Okta) may write, checked before anything is stored.
//!
//! A User's `userName` is the account's e-mail address — the address people sign in
//! with, and the one single sign-on matches. Besides it the product keeps `externalId`,
//! `active` and what its published schema names (`displayName`, `name`, `emails`, the
//! enterprise extension's `employeeNumber`); anything else is refused with the SCIM
//! error shape, never silently dropped. A Group is a name and its members; a group whose
//! name is a role's (`hr` or 人事, `admin` or 管理者, …) gives that role to its members.
//!
//! PATCH is applied to the resource's whole JSON form and the result is checked as a
//! PUT would be, so both take the same rules.

use crate::{EmailAddress, Role};
use serde_json::{Map, Value};

pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The longest text value taken.
pub const MAX_TEXT_CHARS: usize = 1000;
/// The most e-mail entries, members in one request, or operations in one PATCH.
pub const MAX_ITEMS: usize = 10_000;

/// A refusal in the SCIM error shape (RFC 7644 §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: u16,
    /// `invalidValue`, `invalidSyntax`, `invalidFilter`, `invalidPath`, `noTarget`,
    /// `uniqueness`, `mutability`, `tooMany`.
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> ScimError {
        ScimError {
            status: 400,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }

    pub fn status(status: u16, detail: impl Into<String>) -> ScimError {
        ScimError {
            status,
            scim_type: None,
            detail: detail.into(),
        }
    }

    pub fn not_found(what: &str) -> ScimError {
        ScimError::status(404, format!("{what} not found"))
    }

    pub fn uniqueness(detail: impl Into<String>) -> ScimError {
        ScimError {
            status: 409,
            scim_type: Some("uniqueness"),
            detail: detail.into(),
        }
    }

    /// The error as JSON.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        m.insert("schemas".into(), Value::from(vec![ERROR]));
        m.insert("status".into(), Value::from(self.status.to_string()));
        if let Some(t) = self.scim_type {
            m.insert("scimType".into(), Value::from(t));
        }
        m.insert("detail".into(), Value::from(self.detail.clone()));
        Value::Object(m)
    }
}

/// The kind of a value an attribute holds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Bool,
    /// A single complex attribute with these sub-attributes.
    Complex(&'static [(&'static str, Kind)]),
    /// A multi-valued complex attribute with these sub-attributes.
    Many(&'static [(&'static str, Kind)]),
}

const NAME: &[(&str, Kind)] = &[
    ("formatted", Kind::Text),
    ("familyName", Kind::Text),
    ("givenName", Kind::Text),
];
const EMAIL: &[(&str, Kind)] = &[
    ("value", Kind::Text),
    ("type", Kind::Text),
    ("primary", Kind::Bool),
];
const MEMBER: &[(&str, Kind)] = &[
    ("value", Kind::Text),
    ("$ref", Kind::Text),
    ("type", Kind::Text),
];

/// The attributes a User may carry besides `userName`, `externalId` and `active`.
const USER_ATTRS: &[(&str, Kind)] = &[
    ("displayName", Kind::Text),
    ("name", Kind::Complex(NAME)),
    ("emails", Kind::Many(EMAIL)),
];
const ENTERPRISE_ATTRS: &[(&str, Kind)] = &[("employeeNumber", Kind::Text)];

/// Which resource a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    User,
    Group,
}

impl ResourceKind {
    fn core(self) -> &'static str {
        match self {
            ResourceKind::User => USER,
            ResourceKind::Group => GROUP,
        }
    }

    /// Attributes of the core schema, with those every resource has.
    fn attributes(self) -> Vec<(&'static str, Kind)> {
        let mut out = vec![("externalId", Kind::Text)];
        match self {
            ResourceKind::User => {
                out.push(("userName", Kind::Text));
                out.push(("active", Kind::Bool));
                out.extend_from_slice(USER_ATTRS);
            }
            ResourceKind::Group => {
                out.push(("displayName", Kind::Text));
                out.push(("members", Kind::Many(MEMBER)));
            }
        }
        out
    }
}

fn find<'a>(attrs: &'a [(&'static str, Kind)], name: &str) -> Option<&'a (&'static str, Kind)> {
    attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
}

fn text(name: &str, v: &Value) -> Result<String, ScimError> {
    match v {
        Value::String(s)
            if s.chars().count() <= MAX_TEXT_CHARS
                && !s.chars().any(|c| c.is_control() && c != '\n') =>
        {
            Ok(s.clone())
        }
        Value::String(_) => Err(ScimError::bad(
            "invalidValue",
            format!("'{name}' is too long or holds control characters"),
        )),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("'{name}' must be a string"),
        )),
    }
}

/// A boolean, also as the strings "true"/"false" (Entra ID sends those in PATCH).
fn boolean(name: &str, v: &Value) -> Result<bool, ScimError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("'{name}' must be a boolean"),
        )),
    }
}

/// One value of an attribute, checked and with sub-attribute names made canonical;
/// `None` for a null (absent).
fn clean_value(name: &str, kind: Kind, v: &Value) -> Result<Option<Value>, ScimError> {
    if v.is_null() {
        return Ok(None);
    }
    Ok(Some(match kind {
        Kind::Text => Value::String(text(name, v)?),
        Kind::Bool => Value::Bool(boolean(name, v)?),
        Kind::Complex(subs) => Value::Object(clean_object(name, subs, v)?),
        Kind::Many(subs) => {
            let items = match v {
                Value::Array(a) => a.as_slice(),
                other => std::slice::from_ref(other),
            };
            if items.len() > MAX_ITEMS {
                return Err(ScimError::bad(
                    "tooMany",
                    format!("'{name}' has too many values"),
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let o = clean_object(name, subs, item)?;
                if !o.is_empty() {
                    out.push(Value::Object(o));
                }
            }
            if out.is_empty() {
                return Ok(None);
            }
            Value::Array(out)
        }
    }))
}

fn clean_object(
    name: &str,
    subs: &[(&'static str, Kind)],
    v: &Value,
) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(o) = v else {
        return Err(ScimError::bad(
            "invalidValue",
            format!("'{name}' must be an object"),
        ));
    };
    let mut out = Map::new();
    for (k, v) in o {
        let Some((canonical, kind)) = find(subs, k) else {
            return Err(ScimError::bad(
                "invalidValue",
                format!("'{name}.{k}' is not an attribute of this schema"),
            ));
        };
        if let Some(v) = clean_value(&format!("{name}.{canonical}"), *kind, v)? {
            out.insert((*canonical).to_string(), v);
        }
    }
    Ok(out)
}

/// A User as the identity provider wrote it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDoc {
    pub user_name: EmailAddress,
    pub external_id: Option<String>,
    /// `None`: not given (unassigned) — the account is not deactivated.
    pub active: Option<bool>,
    /// `displayName`, `name`, `emails`, `active` (when given) and the enterprise
    /// extension, as written.
    pub attributes: Map<String, Value>,
}

impl UserDoc {
    /// Whether the account may sign in: unless the provider said `active: false`.
    pub fn enabled(&self) -> bool {
        self.active != Some(false)
    }
}

impl UserDoc {
    /// The name to show: `displayName`, else `name.formatted`, else family and given
    /// names, else the address's local part.
    pub fn display_name(&self) -> String {
        let get = |k: &str| {
            self.attributes
                .get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        if let Some(d) = get("displayName") {
            return d.to_string();
        }
        let name = self.attributes.get("name");
        let part = |k: &str| {
            name.and_then(|n| n.get(k))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        if let Some(f) = part("formatted") {
            return f.to_string();
        }
        let joined = [part("familyName"), part("givenName")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !joined.is_empty() {
            return joined;
        }
        self.user_name
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// The enterprise extension's `employeeNumber` (社員番号), if given.
    pub fn employee_number(&self) -> Option<&str> {
        self.attributes
            .get(ENTERPRISE)
            .and_then(|e| e.get("employeeNumber"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// A document's core attributes, and its enterprise extension if it has one.
type Split = (Map<String, Value>, Option<Map<String, Value>>);

/// Checks the top level of a resource: `schemas` (when given) names only schemas of
/// this resource; `id` and `meta` are the server's and ignored; every other attribute
/// must be known.
fn split_document(kind: ResourceKind, doc: &Value) -> Result<Split, ScimError> {
    let Value::Object(o) = doc else {
        return Err(ScimError::bad(
            "invalidSyntax",
            "the body must be a JSON object",
        ));
    };
    let attrs = kind.attributes();
    let mut core = Map::new();
    let mut extension = None;
    for (k, v) in o {
        if k.eq_ignore_ascii_case("schemas") {
            let ok = v.as_array().is_some_and(|a| {
                a.iter().all(|s| {
                    s.as_str().is_some_and(|s| {
                        s.eq_ignore_ascii_case(kind.core())
                            || (kind == ResourceKind::User && s.eq_ignore_ascii_case(ENTERPRISE))
                    })
                })
            });
            if !ok {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("'schemas' must name {} only", kind.core()),
                ));
            }
            continue;
        }
        if k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("meta") {
            continue;
        }
        if kind == ResourceKind::User && k.eq_ignore_ascii_case(ENTERPRISE) {
            if !v.is_null() {
                // Some clients repeat the extension's `schemas` inside it.
                let mut ext = v.clone();
                if let Value::Object(o) = &mut ext {
                    o.retain(|k, _| !k.eq_ignore_ascii_case("schemas"));
                }
                extension = Some(clean_object("enterprise", ENTERPRISE_ATTRS, &ext)?);
            }
            continue;
        }
        let Some((canonical, k_kind)) = find(&attrs, k) else {
            return Err(ScimError::bad(
                "invalidValue",
                format!("'{k}' is not an attribute of this schema"),
            ));
        };
        if let Some(v) = clean_value(canonical, *k_kind, v)? {
            core.insert((*canonical).to_string(), v);
        }
    }
    Ok((core, extension))
}

/// A User document (POST or PUT, or after a PATCH), checked.
pub fn parse_user(doc: &Value) -> Result<UserDoc, ScimError> {
    let (mut core, extension) = split_document(ResourceKind::User, doc)?;
    let user_name = core
        .remove("userName")
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| ScimError::bad("invalidValue", "'userName' is required"))?;
    let user_name = EmailAddress::parse(user_name.trim()).map_err(|_| {
        ScimError::bad(
            "invalidValue",
            "'userName' must be the person's e-mail address (the address they sign in with)",
        )
    })?;
    let external_id = core
        .remove("externalId")
        .and_then(|v| v.as_str().map(str::to_string));
    let active = core.get("active").and_then(Value::as_bool);
    if let Some(e) = extension.filter(|e| !e.is_empty()) {
        core.insert(ENTERPRISE.to_string(), Value::Object(e));
    }
    Ok(UserDoc {
        user_name,
        external_id,
        active,
        attributes: core,
    })
}

/// A Group as the identity provider wrote it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDoc {
    pub display_name: String,
    pub external_id: Option<String>,
    /// The members' ids (users), as given.
    pub members: Vec<String>,
}

pub fn parse_group(doc: &Value) -> Result<GroupDoc, ScimError> {
    let (mut core, _) = split_document(ResourceKind::Group, doc)?;
    let display_name = core
        .remove("displayName")
        .and_then(|v| v.as_str().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ScimError::bad("invalidValue", "'displayName' is required"))?;
    let external_id = core
        .remove("externalId")
        .and_then(|v| v.as_str().map(str::to_string));
    let mut members = Vec::new();
    if let Some(Value::Array(list)) = core.remove("members") {
        for m in list {
            let value = m.get("value").and_then(Value::as_str).ok_or_else(|| {
                ScimError::bad(
                    "invalidValue",
                    "each member needs its 'value' (the user's id)",
                )
            })?;
            if let Some(t) = m.get("type").and_then(Value::as_str)
                && !t.eq_ignore_ascii_case("User")
            {
                return Err(ScimError::bad(
                    "invalidValue",
                    "members are users: groups within groups are not supported",
                ));
            }
            if !members.iter().any(|x| x == value) {
                members.push(value.to_string());
            }
        }
    }
    Ok(GroupDoc {
        display_name,
        external_id,
        members,
    })
}

/// The role a group gives its members: a group named after a role, by its key or its
/// Japanese name (case and surrounding spaces aside). `manager` is derived from the
/// organisation, never given.
pub fn role_of_group(display_name: &str) -> Option<Role> {
    let n = display_name.trim();
    const NAMES: [(Role, &str, &str); 5] = [
        (Role::Employee, "employee", "社員"),
        (Role::Hr, "hr", "人事"),
        (Role::Consultant, "consultant", "キャリアコンサルタント"),
        (Role::Instructor, "instructor", "講師"),
        (Role::Admin, "admin", "管理者"),
    ];
    NAMES
        .iter()
        .find(|(_, key, ja)| n.eq_ignore_ascii_case(key) || n == *ja)
        .map(|(r, _, _)| *r)
}

// ----- filters -----

/// A list filter the product answers: one attribute `eq` one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// `userName`, `externalId`, `id` (users); `displayName`, `externalId`, `id` (groups).
    pub attribute: &'static str,
    pub value: String,
}

/// Parses `attribute eq "value"`; anything else is an `invalidFilter` refusal.
pub fn parse_filter(kind: ResourceKind, filter: &str) -> Result<Filter, ScimError> {
    let f = filter.trim();
    let refuse = || {
        ScimError::bad(
            "invalidFilter",
            format!(
                "only 'ATTRIBUTE eq \"VALUE\"' filters are supported, on {}; got: {f}",
                match kind {
                    ResourceKind::User => "userName, externalId or id",
                    ResourceKind::Group => "displayName, externalId or id",
                }
            ),
        )
    };
    let mut parts = f.splitn(3, char::is_whitespace);
    let (Some(attr), Some(op), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(refuse());
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(refuse());
    }
    let attr = attr
        .strip_prefix(kind.core())
        .and_then(|a| a.strip_prefix(':'))
        .unwrap_or(attr);
    let allowed: &[&'static str] = match kind {
        ResourceKind::User => &["userName", "externalId", "id"],
        ResourceKind::Group => &["displayName", "externalId", "id"],
    };
    let attribute = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(attr))
        .copied()
        .ok_or_else(refuse)?;
    let value: String = serde_json::from_str::<String>(rest.trim()).map_err(|_| refuse())?;
    Ok(Filter { attribute, value })
}

// ----- PATCH -----

/// A path of a PATCH operation: `attr`, `attr.sub`, `attr[sub eq "v"]`,
/// `attr[sub eq "v"].sub`, any of them after the schema's URN.
#[derive(Debug, Clone, PartialEq)]
struct PatchPath {
    /// `None`: the core schema; `Some`: the enterprise extension.
    extension: bool,
    attribute: String,
    filter: Option<(String, Value)>,
    sub: Option<String>,
}

fn parse_path(kind: ResourceKind, path: &str) -> Result<PatchPath, ScimError> {
    let bad = || {
        ScimError::bad(
            "invalidPath",
            format!("the path '{path}' is not understood"),
        )
    };
    let mut p = path.trim();
    let mut extension = false;
    if kind == ResourceKind::User && p.eq_ignore_ascii_case(ENTERPRISE) {
        // The whole extension: kept at the top level under its URN.
        return Ok(PatchPath {
            extension: false,
            attribute: ENTERPRISE.to_string(),
            filter: None,
            sub: None,
        });
    }
    if kind == ResourceKind::User
        && p.len() > ENTERPRISE.len()
        && p[..ENTERPRISE.len()].eq_ignore_ascii_case(ENTERPRISE)
    {
        p = p[ENTERPRISE.len()..].strip_prefix(':').ok_or_else(bad)?;
        extension = true;
    } else if p.len() > kind.core().len()
        && p[..kind.core().len()].eq_ignore_ascii_case(kind.core())
    {
        p = p[kind.core().len()..].strip_prefix(':').ok_or_else(bad)?;
    }
    let (head, filter, sub) = match p.find('[') {
        Some(open) => {
            let close = p.rfind(']').ok_or_else(bad)?;
            let inner = &p[open + 1..close];
            let after = &p[close + 1..];
            let sub = match after {
                "" => None,
                s => Some(s.strip_prefix('.').ok_or_else(bad)?.to_string()),
            };
            let mut parts = inner.trim().splitn(3, char::is_whitespace);
            let (Some(a), Some(op), Some(v)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad());
            };
            if !op.eq_ignore_ascii_case("eq") {
                return Err(ScimError::bad(
                    "invalidFilter",
                    format!("only 'eq' filters are supported in a path: {path}"),
                ));
            }
            let value: Value = serde_json::from_str(v.trim()).map_err(|_| bad())?;
            (&p[..open], Some((a.to_string(), value)), sub)
        }
        None => match p.split_once('.') {
            Some((a, s)) => (a, None, Some(s.to_string())),
            None => (p, None, None),
        },
    };
    if head.is_empty() || head.contains(['[', ']', ' ']) {
        return Err(bad());
    }
    Ok(PatchPath {
        extension,
        attribute: head.to_string(),
        filter,
        sub,
    })
}

fn key_in(o: &Map<String, Value>, name: &str) -> String {
    o.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

fn matches(item: &Value, filter: &(String, Value)) -> bool {
    let Value::Object(o) = item else { return false };
    let Some(v) = o.get(&key_in(o, &filter.0)) else {
        return false;
    };
    match (v, &filter.1) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a == b,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Applies a PATCH body (`PatchOp`) to a resource's JSON form. The caller checks the
/// result as a whole (`parse_user`, `parse_group`) before keeping anything.
pub fn apply_patch(
    kind: ResourceKind,
    resource: &mut Value,
    body: &Value,
) -> Result<(), ScimError> {
    let schemas_ok = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP)))
        });
    if !schemas_ok {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("a PATCH body names the schema {PATCH_OP}"),
        ));
    }
    let ops = body
        .get("Operations")
        .or_else(|| body.get("operations"))
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ScimError::bad("invalidSyntax", "a PATCH body needs its 'Operations'"))?;
    if ops.len() > MAX_ITEMS {
        return Err(ScimError::bad("tooMany", "too many operations"));
    }
    let Value::Object(root) = resource else {
        return Err(ScimError::status(500, "the resource is not an object"));
    };
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let op_kind = match name.to_ascii_lowercase().as_str() {
            "add" => Op::Add,
            "replace" => Op::Replace,
            "remove" => Op::Remove,
            _ => {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("'op' must be add, replace or remove, not '{name}'"),
                ));
            }
        };
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        match op.get("path").and_then(Value::as_str) {
            None => {
                if op_kind == Op::Remove {
                    return Err(ScimError::bad("noTarget", "a remove needs a path"));
                }
                let Value::Object(values) = value else {
                    return Err(ScimError::bad(
                        "invalidValue",
                        "without a path, the value must be an object of attributes",
                    ));
                };
                for (k, v) in values {
                    if kind == ResourceKind::User && k.eq_ignore_ascii_case(ENTERPRISE) {
                        let Value::Object(ext) = v else {
                            return Err(ScimError::bad(
                                "invalidValue",
                                "the enterprise extension must be an object",
                            ));
                        };
                        for (ek, ev) in ext {
                            let path = PatchPath {
                                extension: true,
                                attribute: ek,
                                filter: None,
                                sub: None,
                            };
                            apply_one(kind, root, op_kind, &path, ev)?;
                        }
                        continue;
                    }
                    let path = match k.split_once('.') {
                        Some(_) => parse_path(kind, &k)?,
                        None => PatchPath {
                            extension: false,
                            attribute: k,
                            filter: None,
                            sub: None,
                        },
                    };
                    apply_one(kind, root, op_kind, &path, v)?;
                }
            }
            Some(p) => {
                let path = parse_path(kind, p)?;
                apply_one(kind, root, op_kind, &path, value)?;
            }
        }
    }
    Ok(())
}

fn apply_one(
    kind: ResourceKind,
    root: &mut Map<String, Value>,
    op: Op,
    path: &PatchPath,
    value: Value,
) -> Result<(), ScimError> {
    for fixed in ["id", "meta", "schemas"] {
        if !path.extension && path.attribute.eq_ignore_ascii_case(fixed) {
            return Err(ScimError::bad(
                "mutability",
                format!("'{fixed}' cannot be changed"),
            ));
        }
    }
    let target: &mut Map<String, Value> = if path.extension {
        let key = key_in(root, ENTERPRISE);
        let ext = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
        if !ext.is_object() {
            *ext = Value::Object(Map::new());
        }
        match ext {
            Value::Object(o) => o,
            _ => return Err(ScimError::status(500, "the extension is not an object")),
        }
    } else {
        root
    };
    let key = key_in(target, &path.attribute);
    let many = kind
        .attributes()
        .iter()
        .any(|(n, k)| n.eq_ignore_ascii_case(&path.attribute) && matches!(k, Kind::Many(_)));
    match (&path.filter, &path.sub) {
        (None, None) => match op {
            Op::Remove => {
                match (many, value.as_array()) {
                    // `members` with the values to remove (Entra ID's way).
                    (true, Some(gone)) if !gone.is_empty() => {
                        if let Some(Value::Array(items)) = target.get_mut(&key) {
                            items.retain(|i| {
                                !gone.iter().any(|g| {
                                    g.get("value").is_some_and(|v| Some(v) == i.get("value"))
                                })
                            });
                        }
                    }
                    _ => {
                        target.remove(&key);
                    }
                }
            }
            Op::Add if many => {
                let new = match value {
                    Value::Array(a) => a,
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                let entry = target
                    .entry(key)
                    .or_insert_with(|| Value::Array(Vec::new()));
                match entry {
                    Value::Array(items) => {
                        for n in new {
                            if !items.contains(&n) {
                                items.push(n);
                            }
                        }
                    }
                    other => *other = Value::Array(new),
                }
            }
            Op::Add | Op::Replace => {
                // A complex value added merges into what is there (RFC 7644 §3.5.2.1).
                match (target.get_mut(&key), value) {
                    (Some(Value::Object(existing)), Value::Object(new)) if op == Op::Add => {
                        for (k, v) in new {
                            let k2 = key_in(existing, &k);
                            existing.insert(k2, v);
                        }
                    }
                    (_, v) => {
                        target.insert(key, v);
                    }
                }
            }
        },
        (None, Some(sub)) => {
            let entry = target
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(o) = entry else {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("'{}' has no sub-attributes", path.attribute),
                ));
            };
            let sk = key_in(o, sub);
            match op {
                Op::Remove => {
                    o.remove(&sk);
                }
                Op::Add | Op::Replace => {
                    o.insert(sk, value);
                }
            }
        }
        (Some(filter), sub) => {
            if !many {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("'{}' is not multi-valued", path.attribute),
                ));
            }
            let entry = target
                .entry(key)
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = entry else {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("'{}' is not multi-valued", path.attribute),
                ));
            };
            let hit = items.iter().any(|i| matches(i, filter));
            match (op, sub) {
                (Op::Remove, None) => items.retain(|i| !matches(i, filter)),
                (Op::Remove, Some(sub)) => {
                    for i in items.iter_mut().filter(|i| matches(i, filter)) {
                        if let Value::Object(o) = i {
                            let sk = key_in(o, sub);
                            o.remove(&sk);
                        }
                    }
                }
                (_, Some(sub)) if !hit => {
                    // `emails[type eq "work"].value` when there is no work address yet.
                    let mut o = Map::new();
                    o.insert(filter.0.clone(), filter.1.clone());
                    o.insert(sub.clone(), value);
                    items.push(Value::Object(o));
                }
                (_, Some(sub)) => {
                    for i in items.iter_mut().filter(|i| matches(i, filter)) {
                        if let Value::Object(o) = i {
                            let sk = key_in(o, sub);
                            o.insert(sk, value.clone());
                        }
                    }
                }
                (_, None) => {
                    let Value::Object(new) = value else {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "a filtered path takes an object",
                        ));
                    };
                    if !hit {
                        return Err(ScimError::bad("noTarget", "the filter matches no value"));
                    }
                    for i in items.iter_mut().filter(|i| matches(i, filter)) {
                        if let Value::Object(o) = i {
                            for (k, v) in &new {
                                let k2 = key_in(o, k);
                                o.insert(k2, v.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

// ----- attribute projection -----

/// Keeps only the attributes asked for (`attributes`), or leaves out those named
/// (`excludedAttributes`); `schemas`, `id` and `meta` always stay. Names are
/// case-insensitive and may carry the schema URN or a `.sub`.
pub fn project(resource: &mut Value, attributes: Option<&str>, excluded: Option<&str>) {
    let Value::Object(o) = resource else { return };
    let names = |s: &str| -> Vec<(String, Option<String>)> {
        s.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                let n = [USER, GROUP, ENTERPRISE]
                    .iter()
                    .find_map(|u| n.strip_prefix(u).and_then(|r| r.strip_prefix(':')))
                    .unwrap_or(n);
                match n.split_once('.') {
                    Some((a, s)) => (a.to_ascii_lowercase(), Some(s.to_ascii_lowercase())),
                    None => (n.to_ascii_lowercase(), None),
                }
            })
            .collect()
    };
    let always = ["schemas", "id", "meta"];
    if let Some(a) = attributes.filter(|a| !a.trim().is_empty()) {
        let wanted = names(a);
        o.retain(|k, v| {
            let kl = k.to_ascii_lowercase();
            if always.contains(&kl.as_str()) {
                return true;
            }
            let subs: Vec<&Option<String>> = wanted
                .iter()
                .filter(|(n, _)| *n == kl)
                .map(|(_, s)| s)
                .collect();
            if subs.is_empty() {
                return false;
            }
            if subs.iter().any(|s| s.is_none()) {
                return true;
            }
            if let Value::Object(inner) = v {
                inner.retain(|ik, _| {
                    subs.iter()
                        .any(|s| s.as_deref() == Some(ik.to_ascii_lowercase().as_str()))
                });
            }
            true
        });
    } else if let Some(e) = excluded {
        let gone = names(e);
        o.retain(|k, v| {
            let kl = k.to_ascii_lowercase();
            if always.contains(&kl.as_str()) {
                return true;
            }
            for (n, s) in &gone {
                if *n == kl {
                    match s {
                        None => return false,
                        Some(s) => {
                            if let Value::Object(inner) = v {
                                inner.retain(|ik, _| ik.to_ascii_lowercase() != *s);
                            }
                        }
                    }
                }
            }
            true
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_user_is_its_address_and_the_attributes_the_schema_names() {
        let u = parse_user(&json!({
            "schemas": [USER, ENTERPRISE],
            "userName": "Sato.Hanako@Example.jp",
            "externalId": "e-1",
            "name": {"familyName": "佐藤", "givenName": "花子"},
            "emails": [{"value": "sato.hanako@example.jp", "type": "work", "primary": true}],
            "active": "False",
            ENTERPRISE: {"employeeNumber": "E0001"},
            "id": "ignored", "meta": {"x": 1}
        }))
        .expect("valid");
        assert_eq!(u.user_name.as_str(), "sato.hanako@example.jp");
        assert_eq!(u.active, Some(false));
        assert!(!u.enabled());
        assert_eq!(u.display_name(), "佐藤 花子");
        assert_eq!(u.employee_number(), Some("E0001"));
        assert_eq!(u.external_id.as_deref(), Some("e-1"));
    }

    #[test]
    fn unknown_attributes_and_non_addresses_are_refused() {
        let e = parse_user(&json!({"userName": "a@b.jp", "nickName": "x"})).expect_err("unknown");
        assert_eq!(e.scim_type, Some("invalidValue"));
        assert!(e.detail.contains("nickName"));
        assert!(parse_user(&json!({"userName": "a@b.jp", "name": {"middleName": "x"}})).is_err());
        assert!(parse_user(&json!({"userName": "not-an-address"})).is_err());
        assert!(
            parse_user(&json!({"displayName": "x"})).is_err(),
            "userName is required"
        );
        assert!(parse_user(&json!({"userName": "a@b.jp", "schemas": [GROUP]})).is_err());
        assert!(parse_user(&json!({"userName": "a@b.jp", "active": 3})).is_err());
        assert!(parse_group(&json!({"displayName": "  "})).is_err());
        assert!(
            parse_group(&json!({"displayName": "g", "members": [{"value": "1", "type": "Group"}]}))
                .is_err()
        );
    }

    #[test]
    fn groups_named_after_a_role_give_it() {
        assert_eq!(role_of_group(" HR "), Some(Role::Hr));
        assert_eq!(role_of_group("人事"), Some(Role::Hr));
        assert_eq!(role_of_group("管理者"), Some(Role::Admin));
        assert_eq!(role_of_group("manager"), None);
        assert_eq!(role_of_group("営業部"), None);
    }

    #[test]
    fn filters_are_one_attribute_equal_to_one_value() {
        assert_eq!(
            parse_filter(ResourceKind::User, r#"userName eq "a@b.jp""#),
            Ok(Filter {
                attribute: "userName",
                value: "a@b.jp".into()
            })
        );
        assert_eq!(
            parse_filter(ResourceKind::User, r#"USERNAME Eq "a\"b""#).map(|f| f.value),
            Ok("a\"b".into())
        );
        assert_eq!(
            parse_filter(ResourceKind::Group, r#"displayName eq "人事""#).map(|f| f.attribute),
            Ok("displayName")
        );
        for bad in [
            r#"userName co "a""#,
            r#"title eq "x""#,
            "userName eq a",
            "",
            r#"userName eq "a" and id eq "1""#,
        ] {
            assert_eq!(
                parse_filter(ResourceKind::User, bad).map_err(|e| e.scim_type),
                Err(Some("invalidFilter")),
                "{bad}"
            );
        }
    }

    fn patch(ops: Value) -> Value {
        json!({"schemas": [PATCH_OP], "Operations": ops})
    }

    #[test]
    fn patch_adds_replaces_and_removes_as_entra_and_okta_send_them() {
        let mut r = json!({"userName": "a@b.jp", "active": true, "emails": [{"value": "a@b.jp", "type": "work"}], "name": {"givenName": "A"}});
        apply_patch(
            ResourceKind::User,
            &mut r,
            &patch(json!([
                {"op": "Replace", "path": "active", "value": "False"},
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@b.jp"},
                {"op": "add", "path": "emails[type eq \"home\"].value", "value": "h@b.jp"},
                {"op": "add", "path": "name.familyName", "value": "B"},
                {"op": "add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "E1"},
                {"op": "replace", "value": {"displayName": "Bee", "name.formatted": "Bee A"}},
            ])),
        )
        .expect("applied");
        let u = parse_user(&r).expect("still valid");
        assert!(!u.enabled());
        assert_eq!(u.attributes["emails"][0]["value"], "c@b.jp");
        assert_eq!(
            u.attributes["emails"][1],
            json!({"type": "home", "value": "h@b.jp"})
        );
        assert_eq!(
            u.attributes["name"],
            json!({"givenName": "A", "familyName": "B", "formatted": "Bee A"})
        );
        assert_eq!(u.employee_number(), Some("E1"));
        assert_eq!(u.display_name(), "Bee");
        apply_patch(
            ResourceKind::User,
            &mut r,
            &patch(json!([
                {"op": "remove", "path": "emails[type eq \"home\"]"},
                {"op": "remove", "path": "name.givenName"},
                {"op": "remove", "path": "displayName"},
            ])),
        )
        .expect("applied");
        let u = parse_user(&r).expect("valid");
        assert_eq!(u.attributes["emails"].as_array().map(Vec::len), Some(1));
        assert!(u.attributes.get("displayName").is_none());
        // Members, added and removed by value.
        let mut g = json!({"displayName": "人事", "members": [{"value": "1"}]});
        apply_patch(
            ResourceKind::Group,
            &mut g,
            &patch(json!([
                {"op": "add", "path": "members", "value": [{"value": "2"}, {"value": "3"}]},
                {"op": "remove", "path": "members", "value": [{"value": "1"}]},
                {"op": "remove", "path": "members[value eq \"3\"]"},
            ])),
        )
        .expect("applied");
        assert_eq!(
            parse_group(&g).expect("valid").members,
            vec!["2".to_string()]
        );
    }

    #[test]
    fn a_bad_patch_is_refused_whole() {
        let r = json!({"userName": "a@b.jp"});
        for (body, kind) in [
            (
                json!({"Operations": [{"op": "add", "path": "displayName", "value": "x"}]}),
                "invalidSyntax",
            ),
            (
                patch(json!([{"op": "move", "path": "displayName"}])),
                "invalidSyntax",
            ),
            (patch(json!([{"op": "remove"}])), "noTarget"),
            (
                patch(json!([{"op": "replace", "path": "id", "value": "9"}])),
                "mutability",
            ),
            (
                patch(json!([{"op": "add", "path": "emails[type co \"w\"].value", "value": "x"}])),
                "invalidFilter",
            ),
        ] {
            let mut copy = r.clone();
            assert_eq!(
                apply_patch(ResourceKind::User, &mut copy, &body).map_err(|e| e.scim_type),
                Err(Some(kind)),
                "{body}"
            );
        }
        // An unknown attribute is caught when the result is checked.
        let mut copy = r.clone();
        apply_patch(
            ResourceKind::User,
            &mut copy,
            &patch(json!([{"op": "add", "path": "title", "value": "x"}])),
        )
        .expect("applied");
        assert!(parse_user(&copy).is_err());
    }

    #[test]
    fn projection_keeps_or_drops_what_is_named() {
        let base = json!({"schemas": [USER], "id": "1", "meta": {}, "userName": "a@b.jp", "displayName": "A", "name": {"givenName": "A", "familyName": "B"}});
        let mut r = base.clone();
        project(&mut r, Some("displayName,name.givenName"), None);
        assert_eq!(
            r,
            json!({"schemas": [USER], "id": "1", "meta": {}, "displayName": "A", "name": {"givenName": "A"}})
        );
        let mut r = base.clone();
        project(
            &mut r,
            None,
            Some(format!("{USER}:displayName,name.familyName").as_str()),
        );
        assert_eq!(
            r,
            json!({"schemas": [USER], "id": "1", "meta": {}, "userName": "a@b.jp", "name": {"givenName": "A"}})
        );
    }
}
