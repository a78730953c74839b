//! A word of Japanese text as a morphological analyser (形態素解析) reads it: its surface,
//! part of speech (品詞) with IPADIC's subdivisions, conjugated form (活用形) and lemma
//! (原形). The analyser itself (lindera with IPADIC) is the `morph` crate; the rules that
//! judge language (the commitment checks) read these, never the analyser.

/// One morpheme, as IPADIC describes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Morpheme {
    /// As written.
    pub surface: String,
    /// 品詞: 名詞, 動詞, 形容詞, 副詞, 助詞, 助動詞, 記号, …
    pub pos: String,
    /// 品詞細分類1: 自立, サ変接続, 格助詞, 数, 副詞可能, …
    pub pos1: String,
    /// 品詞細分類2: 一般, 助数詞, 時相名詞 (IPADIC's), …
    pub pos2: String,
    /// 活用形: 基本形, 連用形, 連用タ接続, … (`*` when it does not conjugate).
    pub form: String,
    /// 原形: the dictionary form (心がけ → 心がける); the surface when unknown.
    pub lemma: String,
    /// The dictionary knows the word (an unknown one is guessed from its characters).
    pub known: bool,
}

/// Whatever reads Japanese into morphemes (the `morph` crate's analyser). Reading never
/// fails: text it cannot read answers no morphemes.
pub trait Analyse: Send + Sync {
    fn analyse(&self, text: &str) -> Vec<Morpheme>;
}
