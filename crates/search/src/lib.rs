//! Japanese full-text search, derived from the store and rebuildable at any time.
//!
//! Japanese has no spaces between words, so text is indexed as overlapping character
//! bigrams of CJK runs (の, 面談 → 面談; キャリア → キャ, ャリ, リア, …) plus whole
//! lower-cased words of Latin letters and digits. This needs no dictionary. Before
//! splitting, text is [`fold`]ed — full-width and half-width forms to one width,
//! hiragana to katakana, upper to lower case — so a query in any of those forms finds
//! the same words.
//!
//! [`profiles::ProfileIndex`] is the first tantivy index over these terms: consultants'
//! profiles, held in memory and rebuilt from the store when they change.

#![forbid(unsafe_code)]

pub mod profiles;

use unicode_normalization::UnicodeNormalization;

/// One form for searching: NFKC (full-width Latin and digits to half-width, half-width
/// katakana to full-width), hiragana to katakana, lower case.
pub fn fold(text: &str) -> String {
    text.nfkc()
        .map(|c| match c {
            'ぁ'..='ゖ' | 'ゝ' | 'ゞ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Is this a character written without spaces between words (kanji, kana, full-width forms)?
fn is_cjk(c: char) -> bool {
    // The middle dot and the double hyphen sit in the katakana block but separate words.
    if c == '・' || c == '゠' {
        return false;
    }
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '々' | '〆')
}

/// Splits text into index terms: CJK bigrams (a lone CJK character stays a unigram) and
/// lower-cased alphanumeric words. Punctuation and spaces separate terms.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cjk_run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            cjk_run.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk_run, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_cjk(&mut cjk_run, &mut out);
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    flush_cjk(&mut cjk_run, &mut out);
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn japanese_is_split_into_bigrams() {
        assert_eq!(terms("面談記録"), ["面談", "談記", "記録"]);
        assert_eq!(terms("キャリア"), ["キャ", "ャリ", "リア"]);
    }

    #[test]
    fn mixed_text_keeps_latin_words_whole_and_lowercased() {
        assert_eq!(terms("TOEICの点数"), ["toeic", "の点", "点数"]);
        assert_eq!(terms("1on1で話す"), ["1on1", "で話", "話す"]);
    }

    #[test]
    fn punctuation_separates_and_single_characters_survive() {
        assert_eq!(terms("夢、希望。"), ["夢", "希望"]);
        assert!(terms("  ・！？ ").is_empty());
    }

    #[test]
    fn widths_and_kana_fold_to_one_form() {
        assert_eq!(super::fold("たなか ﾕｷ ＴＯＥＩＣ"), "タナカ ユキ toeic");
        assert_eq!(terms(&super::fold("かいご")), terms(&super::fold("カイゴ")));
    }

    #[test]
    fn a_query_term_is_found_in_the_text_terms() {
        let text = terms("来月から英会話スクールに通い始めます");
        for t in terms("英会話") {
            assert!(text.contains(&t), "{t}");
        }
    }
}
