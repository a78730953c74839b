//! The translations live in `app::i18n` (the command line speaks through them too); this
//! module checks that every key the web crate's templates and code use exists.

pub use app::i18n::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        // Every literal t("…") / tf("…") in every template and source file of the crate
        // must be translated: the files are found, not listed, so a new one is checked too.
        fn files(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("a source folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                    out.push(std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        files(&root.join("src"), &mut sources);
        files(&root.join("templates"), &mut sources);
        assert!(sources.len() > 60, "found {} files", sources.len());
        let ja = Lang::Ja.catalog();
        let mut missing = Vec::new();
        for src in &sources {
            for start in ["t(\"", "tf(\"", "tf2(\"", "key: \"", "msg(\""] {
                for piece in src.split(start).skip(1) {
                    let key = piece.split('"').next().unwrap_or_default();
                    let looks_like_key = key.contains('.')
                        && key.split('.').all(|part| {
                            !part.is_empty()
                                && part.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
                                })
                        });
                    if looks_like_key && !ja.has(key) {
                        missing.push(key.to_string());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(Lang::Ja.catalog().format("unit.age", &[("n", &50)]), "50歳");
        assert_eq!(
            Lang::En.catalog().format("unit.fy", &[("fy", &2026)]),
            "FY2026"
        );
    }

    #[test]
    fn language_comes_from_the_cookie_and_defaults_to_japanese() {
        assert_eq!(Lang::from_cookie_header(None), Lang::Ja);
        assert_eq!(Lang::from_cookie_header(Some("a=b; lang=en")), Lang::En);
        assert_eq!(Lang::from_cookie_header(Some("lang=fr")), Lang::Ja);
    }
}
