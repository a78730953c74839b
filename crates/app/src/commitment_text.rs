//! Commitment checks in words: the reasons and the rephrasing of a
//! `domain::commitment::Check`, in the user's language. Used by the CLI and the pages.

use crate::i18n::Lang;
use domain::commitment::Check;

/// The explanations of every failed check, in order.
pub fn reasons(check: &Check, lang: Lang) -> Vec<String> {
    let c = lang.catalog();
    check
        .reasons
        .iter()
        .map(|r| c.format(r.key(), &[("word", &r.word()), ("deadline", &r.word())]))
        .collect()
}

/// The rephrasing offered, if any.
pub fn suggestion(check: &Check, lang: Lang) -> Option<String> {
    let c = lang.catalog();
    check
        .suggestion
        .as_ref()
        .map(|s| c.format(s.key, &[("core", &s.core), ("time", &s.time)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::commitment::check;

    #[test]
    fn reasons_and_suggestions_read_naturally_in_both_languages() {
        let c = check("後輩から頼られる存在になります");
        let r = reasons(&c, Lang::Ja);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(
            r[0].contains("「存在にな」") || r[0].contains("存在"),
            "{r:?}"
        );
        let s = suggestion(&c, Lang::Ja).expect("suggestion");
        assert!(s.starts_with("「後輩から頼られる」ために"), "{s}");
        assert!(!reasons(&c, Lang::En)[0].is_empty());
        let c = check("1年以内にTOEICの点数を100点上げます");
        assert!(reasons(&c, Lang::Ja)[0].contains("「1年以内に」は期限です"));
        assert!(
            suggestion(&c, Lang::Ja)
                .expect("s")
                .contains("「TOEICの点数を100点上げます」ために")
        );
        for text in reasons(&check("頑張ります"), Lang::Ja)
            .into_iter()
            .chain(reasons(&check("いつか応募します"), Lang::En))
        {
            assert!(!text.contains('{'), "placeholder left: {text}");
        }
    }
}
