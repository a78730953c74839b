//! キーワード検索 over consultants' profiles: name (kanji and kana), message, themes,
//! industries and job families, in memory. Built whole from the store's profiles (a
//! tenant's index is rebuilt when their profiles change); a query matches profiles that
//! hold every one of its terms, the name counting more than the rest.

use crate::{fold, terms};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

const TOKENIZER: &str = "ja_bigram";

/// What one profile contributes to the index.
#[derive(Debug, Clone, Default)]
pub struct ProfileDoc {
    pub id: i64,
    /// Display name and its kana reading.
    pub name: String,
    /// Everything else searched: message, theme names, industries, job families.
    pub body: String,
    /// Exact labels a search may require (e.g. `theme:care_and_work`, `style:listen`).
    pub tags: Vec<String>,
}

/// A tokenizer producing [`terms`] of the [`fold`]ed text.
#[derive(Clone, Default)]
struct Bigrams;

struct Stream {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for Bigrams {
    type TokenStream<'a> = Stream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
        let tokens = terms(&fold(text))
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            })
            .collect();
        Stream { tokens, at: 0 }
    }
}

impl TokenStream for Stream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self
            .at
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self
            .at
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

/// Why the index could not be built or asked.
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

/// The profiles of one tenant, searchable.
pub struct ProfileIndex {
    reader: IndexReader,
    name: Field,
    body: Field,
    tags: Field,
    len: usize,
}

impl ProfileIndex {
    /// Builds the index from every profile at once.
    pub fn build(docs: &[ProfileDoc]) -> Result<ProfileIndex, SearchError> {
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let mut schema = Schema::builder();
        let id = schema.add_i64_field("id", INDEXED | STORED | FAST);
        let name = schema.add_text_field("name", text.clone());
        let body = schema.add_text_field("body", text);
        let tags = schema.add_text_field("tags", STRING);
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(TOKENIZER, Bigrams);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_i64(id, d.id);
            doc.add_text(name, &d.name);
            doc.add_text(body, &d.body);
            for t in &d.tags {
                doc.add_text(tags, t);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        reader.reload()?;
        Ok(ProfileIndex {
            reader,
            name,
            body,
            tags,
            len: docs.len(),
        })
    }

    /// How many profiles it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids of profiles holding every term of `query` and every one of `tags`, best
    /// first, at most `limit`. An empty query (or one of punctuation only) matches
    /// nothing.
    pub fn search(
        &self,
        query: &str,
        tags: &[&str],
        limit: usize,
    ) -> Result<Vec<i64>, SearchError> {
        let mut wanted = terms(&fold(query));
        wanted.sort();
        wanted.dedup();
        if wanted.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        // One word and no tag — the usual search: names that hold it, then the rest of
        // the profiles, each asked alone so tantivy can skip blocks that cannot make the
        // top of the list (a nested query would score every matching profile).
        if let ([word], []) = (wanted.as_slice(), tags) {
            let mut out = Vec::with_capacity(limit);
            for field in [self.name, self.body] {
                let q = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                for id in self.top(&searcher, &q, limit)? {
                    if out.len() < limit && !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
            return Ok(out);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = wanted
            .iter()
            .map(|t| {
                let either: Vec<(Occur, Box<dyn Query>)> = vec![
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(self.name, t),
                                IndexRecordOption::WithFreqs,
                            )),
                            2.0,
                        )),
                    ),
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(self.body, t),
                            IndexRecordOption::WithFreqs,
                        )),
                    ),
                ];
                (
                    Occur::Must,
                    Box::new(BooleanQuery::new(either)) as Box<dyn Query>,
                )
            })
            .collect();
        for t in tags {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.tags, t),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        self.top(&searcher, &BooleanQuery::new(clauses), limit)
    }

    /// The ids of the best `limit` documents for a query.
    fn top(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        limit: usize,
    ) -> Result<Vec<i64>, SearchError> {
        let top = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let ids = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .i64("id")?;
            if let Some(v) = ids.first(addr.doc_id) {
                out.push(v);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl ProfileIndex {
        fn search_words(&self, q: &str, limit: usize) -> Result<Vec<i64>, SearchError> {
            self.search(q, &[], limit)
        }
    }

    fn index() -> ProfileIndex {
        ProfileIndex::build(&[
            ProfileDoc {
                id: 1,
                name: "田中 由紀 タナカ ユキ".into(),
                body: "育児・介護との両立 ミドルシニア 製造、小売 まずはゆっくりお話を伺います。"
                    .into(),
                tags: vec!["style:listen".into()],
            },
            ProfileDoc {
                id: 2,
                name: "佐藤 健 サトウ ケン".into(),
                body: "転職 独立・起業 IT 介護の経験はありません".into(),
                tags: vec!["style:advise".into()],
            },
            ProfileDoc {
                id: 3,
                name: "Maria Suzuki マリア スズキ".into(),
                body: "English 学び直し".into(),
                tags: vec![],
            },
        ])
        .expect("index")
    }

    #[test]
    fn a_word_in_kanji_kana_or_another_width_finds_the_profile() {
        let i = index();
        assert_eq!(i.len(), 3);
        let found = i.search_words("介護", 10).expect("search");
        assert!(found.contains(&1) && found.contains(&2), "{found:?}");
        assert_eq!(
            i.search_words("たなか", 10).expect("search"),
            vec![1],
            "hiragana → katakana"
        );
        assert_eq!(
            i.search_words("ﾀﾅｶ", 10).expect("search"),
            vec![1],
            "half-width kana"
        );
        assert_eq!(
            i.search_words("ＥＮＧＬＩＳＨ", 10).expect("search"),
            vec![3],
            "full-width Latin"
        );
        assert_eq!(
            i.search_words("介護 製造", 10).expect("search"),
            vec![1],
            "every term"
        );
        assert!(i.search_words("宇宙", 10).expect("search").is_empty());
        assert!(i.search_words("、。", 10).expect("search").is_empty());
        assert_eq!(
            i.search("介護", &["style:advise"], 10).expect("search"),
            vec![2],
            "a tag narrows"
        );
    }

    #[test]
    fn the_name_counts_more_than_the_message() {
        let i = ProfileIndex::build(&[
            ProfileDoc {
                id: 7,
                name: "山本".into(),
                body: "介護".into(),
                tags: vec![],
            },
            ProfileDoc {
                id: 8,
                name: "介護 花子".into(),
                body: "山本さんの紹介".into(),
                tags: vec![],
            },
        ])
        .expect("index");
        assert_eq!(i.search_words("介護", 10).expect("search"), vec![8, 7]);
    }
}
