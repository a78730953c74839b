//! The web crate's layout rules (docs/ARCHITECTURE.md), checked on its own sources:
//! feature folders never import each other, `shared/` imports no feature, and no source
//! file grows past 800 lines. Runs with the rest of the suite (`scripts/test`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The folders directly under `src/` other than `shared`.
fn features() -> BTreeSet<String> {
    fs::read_dir(src())
        .expect("src")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "shared")
        .collect()
}

/// Every first path segment reached through `crate::` in this source: `crate::a::b`
/// gives `a`, and `use crate::{a, b::c}` gives `a` and `b`.
fn crate_roots(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A group: its items up to the matching brace, split at top-level commas.
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else if depth == 1 {
                    item.push(c);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn feature_folders_never_import_each_other() {
    let features = features();
    assert!(
        features.contains("dialogues") && features.contains("programmes"),
        "the feature folders were not found: {features:?}"
    );
    let mut problems = Vec::new();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let relative = file.strip_prefix(src()).expect("under src");
        let Some(folder) = relative
            .components()
            .next()
            .filter(|_| relative.components().count() > 1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
        else {
            continue; // lib.rs, routes.rs and worker.rs put the features together
        };
        let source = fs::read_to_string(&file).expect("read");
        for root in crate_roots(&source) {
            if features.contains(&root) && root != folder {
                problems.push(format!("{} imports crate::{root}", relative.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "feature folders may use shared/ and app, never another feature (move what both need to shared/ or app):\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = fs::read_to_string(f).expect("read").lines().count();
            (n > MAX_LINES).then(|| format!("{} has {n} lines", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by section:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_import_scanner_sees_grouped_and_nested_paths() {
    let found = crate_roots(
        "use crate::shared::auth::Auth;\nuse crate::{AppState, dialogues::{load, back}, Origin};\nlet x = crate::reports::f(); // crate::ignored",
    );
    let expected: BTreeSet<String> = ["shared", "AppState", "dialogues", "Origin", "reports"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}
