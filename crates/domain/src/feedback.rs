//! 面談所感: the consultant's feedback report to the employee's manager, in four parts
//! (DOMAIN.md: Feedback report). Whether it may be sent is `policy::may_send_feedback`;
//! this module says what a report is and finds what must never be in it.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// At most this many characters in one part.
pub const MAX_PART_CHARS: usize = 2000;

/// The four parts, in the order the manager reads them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parts {
    /// A side of your report you may not know (ご本人の、まだ知られていないかもしれない一面).
    pub unknown_side: String,
    /// The motivation likely to work (効きそうな動機づけ).
    pub motivation: String,
    /// What they committed to (本人が決めた行動計画).
    pub committed: String,
    /// The support you can give (上司としてできる支援).
    pub support: String,
}

impl Parts {
    pub const KEYS: [&'static str; 4] = ["unknown_side", "motivation", "committed", "support"];

    pub fn get(&self, key: &str) -> &str {
        match key {
            "unknown_side" => &self.unknown_side,
            "motivation" => &self.motivation,
            "committed" => &self.committed,
            _ => &self.support,
        }
    }

    pub fn is_empty(&self) -> bool {
        Parts::KEYS.iter().all(|k| self.get(k).trim().is_empty())
    }

    /// Reads the parts as typed; a part too long is named.
    pub fn parse(get: impl Fn(&str) -> String) -> Result<Parts, Vec<&'static str>> {
        let clean = |k: &str| get(k).replace("\r\n", "\n").trim().to_string();
        let p = Parts {
            unknown_side: clean("unknown_side"),
            motivation: clean("motivation"),
            committed: clean("committed"),
            support: clean("support"),
        };
        let too_long: Vec<&'static str> = Parts::KEYS
            .into_iter()
            .filter(|k| p.get(k).chars().count() > MAX_PART_CHARS)
            .collect();
        if too_long.is_empty() {
            Ok(p)
        } else {
            Err(too_long)
        }
    }
}

/// Something in a draft that must never reach the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leak {
    /// A topic the employee asked to withhold from their manager.
    Withheld { part: &'static str, topic: String },
    /// Wording of one of the consultant's private notes.
    PrivateNote { part: &'static str },
    /// Other words for a withheld topic (看病 for 介護, 他社への移籍 for 転職): a
    /// paraphrase reaches the manager just the same.
    WithheldParaphrase {
        part: &'static str,
        topic: String,
        /// The words in the part that gave it away.
        words: Vec<String>,
    },
    /// Two or more of the key words of a private note, in other wording.
    PrivateParaphrase {
        part: &'static str,
        words: Vec<String>,
    },
}

/// Words that carry a sensitive subject, grouped by what they are about: a paraphrase
/// says the same thing with another word of the group. Matched in the text as written
/// (after NFKC), so a stem such as 「悩」 also finds 悩んで・悩み.
const THEMES: &[&[&str]] = &[
    // care of a family member
    &[
        "介護",
        "看病",
        "看護",
        "介助",
        "ケア",
        "付き添",
        "付添",
        "見守り",
        "老老",
    ],
    // leaving for another employer
    &[
        "転職",
        "退職",
        "離職",
        "他社",
        "移籍",
        "社外",
        "辞め",
        "辞職",
        "転身",
        "引き抜",
    ],
    // a second job
    &[
        "副業",
        "兼業",
        "複業",
        "副収入",
        "パラレルキャリア",
        "請け負",
        "請負",
    ],
    // health
    &[
        "体調",
        "通院",
        "病院",
        "病気",
        "治療",
        "健康",
        "療養",
        "持病",
        "入院",
        "不調",
        "服薬",
        "メンタル",
        "診断",
        "手術",
        "休職",
    ],
    // marriage breaking down
    &["離婚", "別居", "夫婦", "配偶者"],
    // where one works
    &["転勤", "勤務地", "単身赴任", "引っ越", "転居", "赴任"],
    // worry and distress
    &[
        "不安",
        "心配",
        "気がかり",
        "悩",
        "苦し",
        "苦労",
        "つらい",
        "辛い",
        "負担",
        "ストレス",
    ],
    // the boss
    &["上司", "上長", "課長", "部長"],
    // confidence
    &["自信", "自己肯定"],
    // a child not going to school
    &["不登校", "登校", "学校に行け", "学校を休"],
    // working from home
    &["在宅", "テレワーク", "リモート"],
    // pregnancy and birth
    &[
        "妊娠",
        "出産",
        "不妊",
        "妊活",
        "産休",
        "育休",
        "育児休業",
        "つわり",
    ],
    // money troubles
    &["借金", "ローン", "返済", "債務"],
    // harassment
    &["ハラスメント", "パワハラ", "セクハラ", "モラハラ", "いじめ"],
    // evaluation and promotion
    &["昇格試験", "昇進試験", "評価面談", "降格"],
    // bereavement
    &["死別", "亡くな", "他界", "葬儀"],
];

/// Content words too common in any report to give a topic away on their own.
const GENERIC: &[&str] = &[
    "相談",
    "仕事",
    "会社",
    "関係",
    "状況",
    "今後",
    "自分",
    "気持",
    "業務",
    "時間",
    "予定",
    "場合",
    "本人",
    "職場",
    "部署",
    "希望",
    "検討",
    "意欲",
    "挑戦",
    "役割",
    "経験",
    "成長",
    "面談",
    "話",
    "最近",
    "将来",
    "今回",
    "以上",
    "必要",
    "支援",
    "機会",
    "内容",
    "チーム",
    "キャリア",
    "様子",
    "周囲",
    "姿勢",
    "理由",
    "事情",
    "大切",
    "一緒",
    "毎日",
    "毎週",
];

/// The key terms of a text, with the words that stand for each.
type Terms = Vec<(Term, String)>;

/// A key term of a text: a sensitive subject (by its [`THEMES`] group), or another
/// content word of two or more kanji, katakana or letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Term {
    Theme(usize),
    Word(String),
}

fn is_content_char(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆'
        | '\u{30A0}'..='\u{30FF}'
        | 'A'..='Z' | 'a'..='z' | '0'..='9')
}

/// The key terms of `text`, with the words in it that stand for each.
fn key_terms(text: &[char]) -> Terms {
    let mut out: Terms = Vec::new();
    let mut covered = vec![false; text.len()];
    for (g, words) in THEMES.iter().enumerate() {
        for w in *words {
            let w: Vec<char> = w.chars().collect();
            if w.is_empty() || w.len() > text.len() {
                continue;
            }
            for i in 0..=text.len() - w.len() {
                if text[i..i + w.len()] == w[..] {
                    covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
                    if !out.iter().any(|(t, _)| *t == Term::Theme(g)) {
                        out.push((Term::Theme(g), w.iter().collect()));
                    }
                }
            }
        }
    }
    // Runs of content characters that hold no theme word.
    let mut i = 0;
    while i < text.len() {
        if !is_content_char(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && is_content_char(text[i]) {
            i += 1;
        }
        let run: String = text[start..i].iter().collect();
        if i - start >= 2
            && !covered[start..i].iter().any(|c| *c)
            && !GENERIC.iter().any(|g| run == *g)
            && !out.iter().any(|(t, _)| *t == Term::Word(run.clone()))
        {
            out.push((Term::Word(run.clone()), run));
        }
    }
    out
}

/// Does `text` carry `term`? A theme by any word of its group; a word as written.
fn carries(text: &[char], text_terms: &Terms, term: &Term) -> Option<String> {
    match term {
        Term::Theme(_) => text_terms
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, w)| w.clone()),
        Term::Word(w) => {
            let w: Vec<char> = w.chars().collect();
            contains(text, &w).then(|| w.iter().collect())
        }
    }
}

fn squash(s: &str) -> Vec<char> {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The phrases of what the employee asked to withhold: split at line ends and
/// punctuation, without 「のこと」「について」 and the like.
pub fn withheld_topics(withheld: &str) -> Vec<String> {
    withheld
        .split(['\n', '、', '。', ',', '，', '・', '/', '／', ';', '；'])
        .map(|t| {
            let mut t = t.trim().to_string();
            for tail in ["のこと", "について", "の件", "の話", "こと"] {
                if let Some(x) = t.strip_suffix(tail) {
                    t = x.to_string();
                    break;
                }
            }
            t
        })
        .filter(|t| t.chars().count() >= 2)
        .collect()
}

/// Has the consultant confirmed, topic by topic, that none of what the employee asked to
/// withhold is in the report? The automatic check (`leaks`) cannot catch a paraphrase;
/// this tick is the consultant's own reading, required for every topic before sending.
/// `topics` are [`withheld_topics`]; `ticked` the ones the consultant ticked.
pub fn withheld_confirmed(topics: &[String], ticked: &[&str]) -> bool {
    topics.iter().all(|t| ticked.contains(&t.as_str()))
}

/// How many characters of a private note, appearing in a report, count as its wording.
const PRIVATE_WINDOW: usize = 8;

/// Everything in `parts` that must not reach the manager:
/// - a withheld topic as written, or any key term of it in other words — the same
///   sensitive subject ([`THEMES`]: 看病 for 介護) or the same content word;
/// - a run of eight characters (or a whole shorter note) taken from a private note, or
///   two of its key terms in other wording (one, for a note that has only one).
///
/// Judged on statements it was never tuned on in `tests/leak_guard_heldout.rs`; the
/// consultant's own tick per withheld topic ([`withheld_confirmed`]) stays required.
pub fn leaks(parts: &Parts, withheld: &str, private_notes: &[String]) -> Vec<Leak> {
    let topics: Vec<(String, Terms)> = withheld_topics(withheld)
        .into_iter()
        .map(|t| {
            let terms = key_terms(&squash(&t));
            (t, terms)
        })
        .collect();
    let notes: Vec<(Vec<char>, Terms)> = private_notes
        .iter()
        .map(|n| {
            let n = squash(n);
            let terms = key_terms(&n);
            (n, terms)
        })
        .collect();
    let mut out = Vec::new();
    for key in Parts::KEYS {
        let text = squash(parts.get(key));
        if text.is_empty() {
            continue;
        }
        let text_terms = key_terms(&text);
        for (t, terms) in &topics {
            if contains(&text, &squash(t)) {
                out.push(Leak::Withheld {
                    part: key,
                    topic: t.clone(),
                });
                continue;
            }
            let words: Vec<String> = terms
                .iter()
                .filter_map(|(term, _)| carries(&text, &text_terms, term))
                .collect();
            if !words.is_empty() {
                out.push(Leak::WithheldParaphrase {
                    part: key,
                    topic: t.clone(),
                    words,
                });
            }
        }
        let copied = notes.iter().any(|(n, _)| {
            if n.len() < PRIVATE_WINDOW {
                n.len() >= 4 && contains(&text, n)
            } else {
                n.windows(PRIVATE_WINDOW).any(|w| contains(&text, w))
            }
        });
        if copied {
            out.push(Leak::PrivateNote { part: key });
            continue;
        }
        for (_, terms) in &notes {
            let words: Vec<String> = terms
                .iter()
                .filter_map(|(term, _)| carries(&text, &text_terms, term))
                .collect();
            if !terms.is_empty() && words.len() >= terms.len().min(2) {
                out.push(Leak::PrivateParaphrase { part: key, words });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Parts {
        Parts {
            motivation: text.into(),
            ..Parts::default()
        }
    }

    #[test]
    fn every_withheld_topic_must_be_ticked() {
        let topics = withheld_topics("母の介護のこと、転職の相談");
        assert!(!withheld_confirmed(&topics, &[]));
        assert!(!withheld_confirmed(&topics, &["母の介護"]));
        assert!(withheld_confirmed(&topics, &["転職の相談", "母の介護"]));
        let none = withheld_topics("");
        assert!(
            withheld_confirmed(&none, &[]),
            "nothing withheld: nothing to tick"
        );
    }

    #[test]
    fn withheld_topics_are_read_as_phrases() {
        assert_eq!(
            withheld_topics("母の介護のこと、副業について\n 転職"),
            vec!["母の介護", "副業", "転職"]
        );
        assert!(withheld_topics("").is_empty());
    }

    #[test]
    fn a_withheld_topic_or_a_private_notes_wording_is_found_in_any_part() {
        let withheld = "母の介護のこと";
        let private = vec!["転勤のある異動には不安が大きい".to_string()];
        assert!(
            leaks(
                &parts("後輩の育成にやりがいを感じています"),
                withheld,
                &private
            )
            .is_empty()
        );
        assert_eq!(
            leaks(&parts("母の 介護 で大変な時期です"), withheld, &private),
            vec![Leak::Withheld {
                part: "motivation",
                topic: "母の介護".into()
            }]
        );
        // Full-width or spaced-out copies are the same words.
        let copied = Parts {
            support: "転勤のある異動には配慮をお願いします".into(),
            ..Parts::default()
        };
        assert_eq!(
            leaks(&copied, withheld, &private),
            vec![Leak::PrivateNote { part: "support" }]
        );
    }

    fn flagged(withheld: &str, private: &[&str], text: &str) -> bool {
        let private: Vec<String> = private.iter().map(|s| s.to_string()).collect();
        !leaks(&parts(text), withheld, &private).is_empty()
    }

    // The cases the paraphrase check was developed against. The ones it was never tuned
    // on are kept apart in tests/leak_guard_heldout.rs.
    #[test]
    fn a_withheld_topic_in_other_words_is_caught() {
        let w = "母の介護のこと";
        let found = leaks(&parts("お父様の介助で休日がつぶれがちです。"), w, &[]);
        assert_eq!(
            found,
            vec![Leak::WithheldParaphrase {
                part: "motivation",
                topic: "母の介護".into(),
                words: vec!["介助".into()]
            }]
        );
        assert!(flagged(w, &[], "介護休業の取得を考えています。"));
        assert!(flagged(
            "転職のこと",
            &[],
            "退職して他の会社に移ることも考えています。"
        ));
        assert!(flagged(
            "副業について",
            &[],
            "兼業の許可を取りたいそうです。"
        ));
        assert!(flagged(
            "持病のこと",
            &[],
            "月に一度、治療のため休みを取っています。"
        ));
        assert!(flagged("妊活", &[], "不妊治療と仕事の両立を考えています。"));
        assert!(flagged(
            "パワハラの件",
            &[],
            "前の部署でハラスメントを受けたことがあります。"
        ));
        // A withheld content word that is not a theme is caught as written.
        assert!(flagged(
            "宅建の勉強",
            &[],
            "宅建の資格取得を目指しています。"
        ));
    }

    #[test]
    fn ordinary_report_text_is_not_flagged() {
        for (w, text) in [
            ("母の介護のこと", "後輩の育成にやりがいを感じています。"),
            (
                "母の介護のこと",
                "ご家族を大切にしながら、仕事にも前向きです。",
            ),
            (
                "転職のこと",
                "社内の異動で新しい経験を積みたいと考えています。",
            ),
            ("副業について", "業務改善の提案を続けています。"),
            ("持病のこと", "チームの雰囲気づくりに気を配っています。"),
            ("上司との相談", "後輩の相談によく乗っています。"),
        ] {
            assert!(!flagged(w, &[], text), "{w} / {text}");
        }
    }

    #[test]
    fn a_private_note_in_other_words_needs_two_of_its_key_terms() {
        let note = ["異動の内示に強い不安を感じている"];
        // The subject (異動) and the feeling (不安 → 心配): the note retold.
        assert!(flagged(
            "",
            &note,
            "異動の話が出てから、ずっと心配しているようです。"
        ));
        // The subject alone is ordinary career talk.
        assert!(!flagged(
            "",
            &note,
            "次の異動では営業企画を希望しています。"
        ));
        let note = ["課長と意見が合わずに悩んでいる"];
        assert!(flagged(
            "",
            &note,
            "上司との意見の違いに苦しんでいるようです。"
        ));
        assert!(!flagged(
            "",
            &note,
            "上司の期待に応えようと努力しています。"
        ));
        // A note with a single key term: that term is enough.
        assert!(flagged("", &["借金がある"], "返済に追われているようです。"));
    }

    #[test]
    fn parts_are_limited_and_an_empty_report_is_known() {
        assert!(Parts::default().is_empty());
        let long = "あ".repeat(MAX_PART_CHARS + 1);
        let r = Parts::parse(|k| {
            if k == "support" {
                long.clone()
            } else {
                String::new()
            }
        });
        assert_eq!(r, Err(vec!["support"]));
    }
}
