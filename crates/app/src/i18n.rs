//! Translations: `locales/ja.toml` (first) and `locales/en.toml`, embedded in the binary.
//! Keys are `section.key`; `{name}` placeholders are filled by [`Catalog::format`]. The
//! pages, emails and the command line all speak through these files.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Reads the `lang` cookie from a `Cookie` header; Japanese unless it says English.
    pub fn from_cookie_header(header: Option<&str>) -> Lang {
        header
            .into_iter()
            .flat_map(|h| h.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::parse(v))
            .unwrap_or_default()
    }

    pub fn catalog(self) -> &'static Catalog {
        static JA: OnceLock<Catalog> = OnceLock::new();
        static EN: OnceLock<Catalog> = OnceLock::new();
        match self {
            Lang::Ja => JA.get_or_init(|| Catalog::parse(include_str!("../locales/ja.toml"))),
            Lang::En => EN.get_or_init(|| Catalog::parse(include_str!("../locales/en.toml"))),
        }
    }
}

/// One language's strings.
#[derive(Debug)]
pub struct Catalog {
    strings: HashMap<String, String>,
}

impl Catalog {
    fn parse(text: &str) -> Catalog {
        let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| {
            tracing::error!(error = %e, "translation file is not valid TOML");
            toml::Table::new()
        });
        let mut strings = HashMap::new();
        flatten("", &table, &mut strings);
        Catalog { strings }
    }

    /// The text for a key; the key itself if missing (a test keeps that from happening).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text for a key with `{name}` placeholders filled.
    pub fn format(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), &value.to_string());
        }
        s
    }

    /// Whether the catalog has this key.
    pub fn has(&self, key: &str) -> bool {
        self.strings.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn japanese_and_english_have_the_same_keys() {
        let ja: BTreeSet<&str> = Lang::Ja.catalog().keys().collect();
        let en: BTreeSet<&str> = Lang::En.catalog().keys().collect();
        assert!(ja.len() > 100, "the Japanese catalog did not load");
        let only_ja: Vec<_> = ja.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ja).collect();
        assert!(
            only_ja.is_empty() && only_en.is_empty(),
            "only in ja: {only_ja:?}; only in en: {only_en:?}"
        );
    }
}
