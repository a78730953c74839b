//! What the generated OpenAPI document cannot say by itself, added once for every
//! operation so that the document matches what the API answers (checked by schemathesis
//! in the test suite):
//!
//! - every operation with a path or query parameter may answer 400 (an id that is not a
//!   number), every operation with a body 400 (malformed or invalid JSON) and 415 (not
//!   JSON), always in the `ErrorBody` shape;
//! - fields that take one of a fixed set of values are enums, listed from the domain's
//!   own lists so they cannot drift apart.

use domain::anchor::Anchor;
use domain::audit::AuditAction;
use domain::behaviour::Change;
use domain::career_sheet::Section;
use domain::consultant::{Style, Theme};
use domain::dialogue::{
    Cadence, CarryOver, DialogueKind, DialogueState, Visibility, WantedResponse,
};
use domain::question_bank::Category;
use domain::role_model::{Outcome, Theme as StoryTheme};
use domain::{Role, RoleSet};
use serde_json::{Value, json};

/// (schema, property, allowed values): the fixed-value fields of the API's schemas.
fn enums() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let sections: Vec<&str> = Section::ALL.iter().map(|s| s.key()).collect();
    let kinds: Vec<&str> = DialogueKind::ALL.iter().map(|k| k.key()).collect();
    let states: Vec<&str> = [
        DialogueState::Scheduled,
        DialogueState::Held,
        DialogueState::Cancelled,
        DialogueState::NoShow,
    ]
    .iter()
    .map(|s| s.key())
    .collect();
    let visibilities: Vec<&str> = Visibility::ALL.iter().map(|v| v.key()).collect();
    let carry: Vec<&str> = CarryOver::ALL.iter().map(|c| c.key()).collect();
    let cadences: Vec<&str> = Cadence::ALL.iter().map(|c| c.key()).collect();
    let assignable: Vec<&str> = Role::ASSIGNABLE.iter().map(|r| r.as_str()).collect();
    let any_role: Vec<&str> = RoleSet::new(Role::ALL).iter().map(|r| r.as_str()).collect();
    let actions: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    // "" is taken as none.
    let categories: Vec<&str> = std::iter::once("")
        .chain(Category::ALL.iter().map(|c| c.key()))
        .collect();
    vec![
        ("SheetSection", "section", sections),
        ("DialogueBody", "kind", kinds.clone()),
        ("BookDialogue", "kind", kinds),
        ("DialogueBody", "state", states),
        ("NoteBody", "visibility", visibilities.clone()),
        ("AddNote", "visibility", visibilities),
        ("NoteBody", "carry_over", carry.clone()),
        ("AddNote", "carry_over", carry),
        ("AddNote", "question_category", categories),
        ("BookDialogue", "repeat", cadences),
        ("CreateUser", "roles", assignable.clone()),
        ("UserOut", "roles", any_role.clone()),
        ("Me", "roles", any_role),
        (
            "DialogueDetail",
            "role",
            vec!["facilitator", "subject", "subjects_manager", "scheduler"],
        ),
        ("AuditOut", "action", actions),
        (
            "BookConsultation",
            "from",
            vec!["proposal", "search", "profile"],
        ),
        ("RolesBody", "roles", assignable),
        (
            "TopicIn",
            "wanted",
            WantedResponse::ALL.iter().map(|w| w.key()).collect(),
        ),
        (
            "TopicBody",
            "wanted",
            WantedResponse::ALL.iter().map(|w| w.key()).collect(),
        ),
        (
            "ConsentIn",
            "action",
            vec!["give", "refuse", "confirm", "withdraw"],
        ),
        (
            "EvaluationIn",
            "level",
            Change::ALL.iter().map(|c| c.key()).collect(),
        ),
        (
            "EvaluationOut",
            "level",
            Change::ALL.iter().map(|c| c.key()).collect(),
        ),
    ]
}

/// The values of a list operation's query parameter, by the operation's path where the
/// same name means different lists ("" is no filter).
fn query_values(path: &str, name: &str) -> Option<Vec<&'static str>> {
    let any = |keys: Vec<&'static str>| std::iter::once("").chain(keys).collect();
    let stories = path.starts_with("/api/v1/role-models");
    Some(match name {
        "action" => audit_actions(),
        "theme" if stories => any(StoryTheme::ALL.iter().map(|t| t.key()).collect()),
        "theme" => any(Theme::ALL.iter().map(|t| t.key()).collect()),
        "anchor" if stories => any(Anchor::ALL.iter().map(|a| a.key()).collect()),
        "outcome" if stories => any(Outcome::ALL.iter().map(|o| o.key()).collect()),
        "style" => any(Style::ALL.iter().map(|s| s.key()).collect()),
        "by" => any(app::surveys::By::ALL.iter().map(|b| b.key()).collect()),
        _ => return None,
    })
}

/// The allowed values of the audit log's `action` filter ("" is no filter).
fn audit_actions() -> Vec<&'static str> {
    std::iter::once("")
        .chain(AuditAction::ALL.iter().map(|a| a.as_str()))
        .collect()
}

/// Turns a property's schema into the same schema restricted to `values` (an array's
/// items, for an array; `null` kept where the property allows it).
fn restrict(property: &mut Value, values: &[&str]) {
    if let Some(items) = property.get_mut("items") {
        restrict(items, values);
        return;
    }
    let nullable = match property.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let mut list: Vec<Value> = values.iter().map(|v| json!(v)).collect();
    if nullable {
        list.push(Value::Null);
    }
    if let Some(o) = property.as_object_mut() {
        o.insert("enum".into(), Value::Array(list));
    }
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

/// Applies the additions to a generated document.
pub fn complete(doc: &mut Value) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        // A survey's answers are points 1–5.
        if let Some(a) = schemas
            .get_mut("AnswerIn")
            .and_then(|s| s.pointer_mut("/properties/answers"))
        {
            a["additionalProperties"] = json!({"type": "integer", "minimum": 1, "maximum": 5});
        }
        // A series needs its count, and only a series has one.
        if let Some(book) = schemas
            .get_mut("BookDialogue")
            .and_then(Value::as_object_mut)
        {
            book.insert(
                "dependentRequired".into(),
                json!({"repeat": ["count"], "count": ["repeat"]}),
            );
        }
        // An inventory sheet: ratings 1–6, picks among the 40 statements, no pick twice.
        if let Some(take) = schemas.get_mut("TakeIn") {
            if let Some(items) = take.pointer_mut("/properties/ratings/items") {
                items["minimum"] = json!(1);
                items["maximum"] = json!(6);
            }
            if let Some(picks) = take.pointer_mut("/properties/picks") {
                picks["uniqueItems"] = json!(true);
                picks["items"]["minimum"] = json!(1);
                picks["items"]["maximum"] = json!(domain::anchor::STATEMENTS);
            }
        }
        for (schema, property, values) in enums() {
            if let Some(p) = schemas
                .get_mut(schema)
                .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
            {
                restrict(p, &values);
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                continue;
            }
            let has_params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            let has_body = op.get("requestBody").is_some();
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params {
                    let Some(values) = p
                        .get("name")
                        .and_then(Value::as_str)
                        .and_then(|name| query_values(path, name))
                    else {
                        continue;
                    };
                    if p.get("in") == Some(&json!("query"))
                        && let Some(s) = p.get_mut("schema")
                    {
                        restrict(s, &values);
                    }
                }
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if has_params || has_body {
                responses.entry("400").or_insert_with(|| {
                    error_response("The request is malformed: a parameter or the body is not valid")
                });
            }
            if has_body {
                responses.entry("415").or_insert_with(|| {
                    error_response("The body is not JSON (`Content-Type: application/json`)")
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_schemas_share_a_name() {
        // The generator keys schemas by the type's name: a second type of the same name
        // silently replaces the first in the document.
        fn files(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("a source folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    out.push((path.display().to_string(), text));
                }
            }
        }
        let mut sources = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut sources,
        );
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        let mut twice = Vec::new();
        for (path, text) in &sources {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.starts_with("#[derive(") && line.contains("ToSchema")) {
                    continue;
                }
                // The derive's item: the next `pub struct` or `pub enum`.
                let Some(item) = lines[i..]
                    .iter()
                    .find(|l| l.starts_with("pub struct ") || l.starts_with("pub enum "))
                else {
                    continue;
                };
                let name: String = item
                    .split_whitespace()
                    .nth(2)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(first) = seen.insert(name.clone(), path.clone()) {
                    twice.push(format!("{name}: {first} and {path}"));
                }
            }
        }
        assert!(seen.len() > 100, "found {} schemas", seen.len());
        assert!(twice.is_empty(), "schemas named twice: {twice:?}");
    }

    #[test]
    fn every_listed_enum_field_exists_in_the_document() {
        let api = crate::routes::openapi_json();
        for (schema, property, values) in enums() {
            let p = api
                .pointer(&format!(
                    "/components/schemas/{schema}/properties/{property}"
                ))
                .unwrap_or_else(|| panic!("{schema}.{property} is not in the document"));
            let listed = p
                .get("enum")
                .or_else(|| p.pointer("/items/enum"))
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("{schema}.{property} has no enum"));
            assert!(listed.len() >= values.len(), "{schema}.{property}");
        }
    }

    #[test]
    fn operations_document_their_refusals() {
        let api = crate::routes::openapi_json();
        let put = api
            .pointer("/paths/~1api~1v1~1me~1career-sheet/put/responses")
            .expect("put");
        assert!(put.get("400").is_some() && put.get("415").is_some());
        let get = api
            .pointer("/paths/~1api~1v1~1people~1{id}/get/responses")
            .expect("get");
        assert!(get.get("400").is_some());
        let params = api
            .pointer("/paths/~1api~1v1~1audit/get/parameters")
            .and_then(Value::as_array)
            .expect("audit parameters");
        assert!(params.iter().all(|p| p["in"] == "query"), "{params:?}");
    }
}
