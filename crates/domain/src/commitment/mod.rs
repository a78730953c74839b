//! 行動計画・コミット: the two checks that decide whether a commitment counts (DOMAIN.md:
//! Commitment).
//!
//! - **Objectivity (客観性)**: could anyone see whether it happened? States, attitudes and
//!   wishes fail (「頼られる存在になります」「頑張ります」「意識します」); improving
//!   something fails unless a number says by how much (「点数を100点上げます」 passes).
//! - **Start (開始時期)**: does it say from when something concrete begins? An explicit
//!   start passes (「来月から」「期末の一ヶ月前になったら」「6月1日に」); a deadline passes
//!   only when what must have happened by then is a concrete first action
//!   (「6月30日までに申し込みます」), never an outcome (「1年以内に点数を上げます」).
//!
//! The checks read the sentence as written (after NFKC, so full-width digits count) with
//! word lists and a small reading of time expressions — no dictionary. Every failure names
//! what it found, so the person can see why; [`Check::suggestion`] rephrases from their own
//! words. Wording of reasons and suggestions lives in the translation files.

use crate::morpheme::{Analyse, Morpheme};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

mod analysed;
pub mod learned;

/// Why a commitment fails a check. `word` is the part of the sentence that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Nothing was written.
    Empty,
    /// An attitude or effort nobody can observe (意識する、頑張る、心がける…).
    Attitude { word: String },
    /// A wish or intention rather than a commitment (〜したい、〜と思う、つもり).
    Wish { word: String },
    /// A state to become rather than something to do (〜になる、〜存在).
    State { word: String },
    /// An improvement with no number saying by how much (上げる、高める…).
    Unmeasured { word: String },
    /// Worded as the labelled statements nobody could check are worded (the learned
    /// second opinion, [`learned`]): `word` is the clause of its last verb.
    Unobservable { word: String },
    /// A deadline on an outcome: it says by when, not from when (1年以内に点数を上げる).
    DeadlineOnOutcome { deadline: String },
    /// A time too vague to start on (いつか、そのうち、将来).
    VagueTime { word: String },
    /// Nothing says when it begins.
    NoStart,
}

impl Reason {
    /// The translation key of this reason's explanation (`commitment.reason.*`).
    pub fn key(&self) -> &'static str {
        match self {
            Reason::Empty => "commitment.reason.empty",
            Reason::Attitude { .. } => "commitment.reason.attitude",
            Reason::Wish { .. } => "commitment.reason.wish",
            Reason::State { .. } => "commitment.reason.state",
            Reason::Unmeasured { .. } => "commitment.reason.unmeasured",
            Reason::Unobservable { .. } => "commitment.reason.unobservable",
            Reason::DeadlineOnOutcome { .. } => "commitment.reason.deadline_on_outcome",
            Reason::VagueTime { .. } => "commitment.reason.vague_time",
            Reason::NoStart => "commitment.reason.no_start",
        }
    }

    /// The words of the sentence the explanation quotes (`{word}`).
    pub fn word(&self) -> &str {
        match self {
            Reason::Attitude { word }
            | Reason::Wish { word }
            | Reason::State { word }
            | Reason::Unmeasured { word }
            | Reason::Unobservable { word }
            | Reason::VagueTime { word } => word,
            Reason::DeadlineOnOutcome { deadline } => deadline,
            Reason::Empty | Reason::NoStart => "",
        }
    }
}

/// A rephrasing to offer, built from the person's own words: a translation key
/// (`commitment.suggest.*`) and the words it quotes (`{core}`, `{time}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub key: &'static str,
    pub core: String,
    pub time: String,
}

/// The outcome of both checks on one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub objective: bool,
    pub has_start: bool,
    pub reasons: Vec<Reason>,
    pub suggestion: Option<Suggestion>,
}

impl Check {
    /// Both checks pass: the commitment counts (once the employee confirms it).
    pub fn passes(&self) -> bool {
        self.objective && self.has_start
    }
}

/// At most this many characters in a commitment's action.
pub const MAX_ACTION_CHARS: usize = 500;

// ----- word lists -----

/// Attitudes and efforts: nobody can see whether they happened.
const ATTITUDE: [&str; 30] = [
    "意識し",
    "意識す",
    "意識を",
    "心がけ",
    "心掛け",
    "こころがけ",
    "目指し",
    "目指す",
    "めざし",
    "めざす",
    "頑張",
    "がんば",
    "努め",
    "努力",
    "気をつけ",
    "気を付け",
    "大切にし",
    "大事にし",
    "心に留め",
    "肝に銘じ",
    "自覚を持",
    "意欲を持",
    "前向きに考え",
    "取り組むよう",
    "努めよう",
    "ようにし",
    "よう心",
    "姿勢で",
    "成長し",
    "精進し",
];

/// Adverbs of manner that nobody can check unless a number pins them down
/// (「こまめに報告します」 fails, 「毎日1回報告します」 passes).
const VAGUE_ADVERB: [&str; 23] = [
    "こまめに",
    "しっかり",
    "きちんと",
    "ちゃんと",
    "うまく",
    "上手に",
    "なんとか",
    "何とか",
    "精一杯",
    "一生懸命",
    "全力で",
    "真剣に",
    "誠実に",
    "謙虚に",
    "素直に",
    "柔軟に",
    "着実に",
    "積極的に",
    "主体的に",
    "丁寧に",
    "前向きに",
    "なるべく",
    "できるだけ",
];

/// Wishes and intentions: not yet a commitment.
const WISH: [&str; 9] = [
    "たい",
    "たく思",
    "と思い",
    "と思う",
    "と考えてい",
    "つもり",
    "できればいい",
    "ればと思",
    "希望しま",
];

/// Becoming rather than doing.
const STATE: [&str; 7] = [
    "存在にな",
    "人にな",
    "ようにな",
    "人材にな",
    "になります",
    "になる",
    "になれる",
];

/// Improvements, objective only with a number saying by how much.
const IMPROVE: [&str; 17] = [
    "上げ",
    "あげ",
    "高め",
    "伸ば",
    "増や",
    "減ら",
    "下げ",
    "向上",
    "改善",
    "短縮",
    "削減",
    "深め",
    "磨",
    "強化",
    "身につけ",
    "身に付け",
    "レベルアップ",
];

/// Units that make a number a measure.
const UNITS: [&str; 21] = [
    "点",
    "%",
    "件",
    "回",
    "時間",
    "分",
    "人",
    "名",
    "冊",
    "本",
    "円",
    "割",
    "級",
    "社",
    "個",
    "日",
    "枚",
    "位",
    "kg",
    "ポイント",
    "pt",
];

/// Outcomes (results to reach), as opposed to actions one can simply do.
const OUTCOME: [&str; 17] = [
    "上げ",
    "高め",
    "伸ば",
    "取得",
    "合格",
    "達成",
    "昇格",
    "昇進",
    "身につけ",
    "身に付け",
    "になる",
    "になり",
    "できるようにな",
    "増や",
    "減ら",
    "下げ",
    "向上",
];

/// First actions: things one can simply do by a date.
const FIRST_ACTION: [&str; 33] = [
    "申し込",
    "申込",
    "予約",
    "登録",
    "提出",
    "始め",
    "開始",
    "参加",
    "相談",
    "連絡",
    "購入",
    "買",
    "受験",
    "受け",
    "入会",
    "問い合わせ",
    "応募",
    "依頼",
    "開き",
    "開く",
    "集め",
    "読み",
    "読む",
    "読ん",
    "書き",
    "作成",
    "作り",
    "設定",
    "面談を",
    "出席",
    "通い",
    "送",
    "伝え",
];

/// First actions that stay first actions even with a number attached
/// (「全員と1回ずつ面談を始めます」), unlike a volume to reach by a deadline
/// (「10冊読みます」).
const STRONG_FIRST_ACTION: [&str; 12] = [
    "申し込",
    "申込",
    "予約",
    "登録",
    "提出",
    "始め",
    "開始",
    "応募",
    "問い合わせ",
    "相談",
    "依頼",
    "購入",
];

/// Times too vague to start on.
const VAGUE_TIME: [&str; 10] = [
    "いつか",
    "そのうち",
    "近いうちに",
    "近いうち",
    "将来",
    "いずれ",
    "なるべく早く",
    "早めに",
    "機会があれば",
    "余裕ができたら",
];

/// Words that name a point or period in time.
const TIME_WORDS: [&str; 80] = [
    "先月",
    "先週",
    "昨日",
    "今朝",
    "昨年度",
    "再来週",
    "来週",
    "今週",
    "週明け",
    "再来月",
    "来月",
    "今月",
    "月末",
    "月初",
    "来年度",
    "今年度",
    "年度内",
    "年度末",
    "年度初め",
    "来年",
    "今年",
    "年内",
    "年明け",
    "明後日",
    "あさって",
    "明日",
    "あした",
    "今日",
    "きょう",
    "本日",
    "今夜",
    "今晩",
    "今期",
    "来期",
    "期末",
    "期初",
    "上期",
    "下期",
    "連休明け",
    "連休",
    "夏休み",
    "冬休み",
    "春休み",
    "GW",
    "ゴールデンウィーク",
    "お盆",
    "年末年始",
    "年末",
    "年始",
    "正月",
    "初日",
    "最終日",
    "当日",
    "前日",
    "翌日",
    "翌週",
    "翌月",
    "明朝",
    "明晩",
    "午後",
    "この後",
    "このあと",
    "今すぐ",
    "nextweek",
    "thisweek",
    "nextmonth",
    "thismonth",
    "tomorrow",
    "today",
    "次回の面談",
    "次の面談",
    "研修の後",
    "研修後",
    "入社",
    "四半期",
    "今日中",
    "月曜",
    "朝礼",
    "今から",
    "これから",
];

const WEEKDAYS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

/// What follows a time expression, deciding what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeRole {
    /// 〜から、〜以降、〜になったら: from when.
    Start,
    /// 〜までに、〜以内に、〜中に: by when.
    Deadline,
    /// 〜に、〜、: at a point.
    Point,
    /// 毎週、毎朝: how often, not from when.
    Recurrence,
}

#[derive(Debug, Clone)]
struct TimeExpr {
    start: usize,
    end: usize,
    role: TimeRole,
}

fn normalise(text: &str) -> Vec<char> {
    let t: String = text.nfkc().collect();
    let t = t.trim().trim_end_matches(['。', '.', '!', '！', '?', '？']);
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十百千万億半両".contains(c)
}

fn starts_with(s: &[char], i: usize, w: &str) -> bool {
    (i..).zip(w.chars()).all(|(k, c)| s.get(k) == Some(&c))
}

fn find(s: &[char], w: &str) -> Option<usize> {
    (0..s.len()).find(|&i| starts_with(s, i, w))
}

fn text(s: &[char], a: usize, b: usize) -> String {
    s[a.min(s.len())..b.min(s.len())].iter().collect()
}

/// A number (digits, kanji or kana numbers) followed by a duration or calendar unit at
/// `i`: returns the end.
fn number_unit(s: &[char], i: usize) -> Option<usize> {
    let mut k = i;
    // Kana numbers of durations: ひと月, ふた月, ひと晩.
    for kana in ["ひと", "ふた", "み"] {
        if starts_with(s, k, kana)
            && (starts_with(s, k + kana.chars().count(), "月")
                || starts_with(s, k + kana.chars().count(), "つき"))
        {
            let u = k + kana.chars().count();
            return Some(if starts_with(s, u, "月") {
                u + 1
            } else {
                u + 2
            });
        }
    }
    while k < s.len() && is_digit(s[k]) {
        k += 1;
    }
    if k == i {
        return None;
    }
    // A date written 4/1 or 12/10.
    if s.get(k) == Some(&'/') && s.get(k + 1).is_some_and(char::is_ascii_digit) {
        let mut e = k + 1;
        while e < s.len() && s[e].is_ascii_digit() {
            e += 1;
        }
        return Some(e);
    }
    // A duration in hours is a time only as "N時間後/前"; a clock time (8時) is not a
    // start date.
    if starts_with(s, k, "時間後") || starts_with(s, k, "時間前") {
        return Some(k + 2);
    }
    for unit in [
        "か月", "ヶ月", "ヵ月", "カ月", "ケ月", "箇月", "ヶ年", "年半", "年", "月", "週間", "週目",
        "週", "日間", "日",
    ] {
        if starts_with(s, k, unit) {
            return Some(k + unit.chars().count());
        }
    }
    None
}

/// Finds the time expressions of a sentence and what each means.
fn time_expressions(s: &[char]) -> Vec<TimeExpr> {
    let mut out: Vec<TimeExpr> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let mut end = None;
        let mut recurrence = false;
        if starts_with(s, i, "毎") {
            // 毎週、毎朝、毎日、毎月、毎週木曜: how often.
            let mut k = i + 1;
            for w in [
                "週",
                "朝",
                "晩",
                "日",
                "月",
                "夕方",
                "夜",
                "年",
                "回",
                "営業日",
            ] {
                if starts_with(s, k, w) {
                    k += w.chars().count();
                    break;
                }
            }
            if k > i + 1 {
                end = Some(k);
                recurrence = true;
            }
        }
        if end.is_none() {
            end = number_unit(s, i);
        }
        if end.is_none() {
            end = TIME_WORDS
                .iter()
                .filter(|w| starts_with(s, i, w))
                .map(|w| i + w.chars().count())
                .max();
        }
        if end.is_none() && WEEKDAYS.contains(&s[i]) && starts_with(s, i + 1, "曜") {
            end = Some(i + 2);
        }
        let Some(mut e) = end else {
            i += 1;
            continue;
        };
        // Extend over what refines it: 月 after 6, 日 after 30 (6月30日), 曜日, の朝,
        // の一ヶ月前, の月曜, 第1週, 上旬, 末.
        loop {
            let before = e;
            // 毎週木曜、来週月曜: the weekday belongs to what precedes it.
            if e + 1 < s.len() && WEEKDAYS.contains(&s[e]) && s[e + 1] == '曜' {
                e += 2;
            }
            if starts_with(s, e, "曜日") {
                e += 2;
            } else if starts_with(s, e, "曜") {
                e += 1;
            }
            if let Some(n) = number_unit(s, e) {
                e = n;
            }
            for w in [
                "上旬",
                "中旬",
                "下旬",
                "末",
                "初め",
                "初旬",
                "明け",
                "中",
                "の朝",
                "の夜",
                "の夕方",
                "の春",
                "の夏",
                "の秋",
                "の冬",
                "の午前",
                "の午後",
                "の昼",
                "朝",
                "夜",
                "の最初",
                "の初日",
                "の第",
                "第",
                "前半",
                "後半",
                "目",
                "前",
                "後",
            ] {
                if starts_with(s, e, w)
                    && !(w == "中" && (starts_with(s, e, "中に") || starts_with(s, e, "中は")))
                {
                    e += w.chars().count();
                    break;
                }
            }
            if starts_with(s, e, "の") {
                let k = e + 1;
                if let Some(n) = number_unit(s, k) {
                    e = n;
                } else if k < s.len() && WEEKDAYS.contains(&s[k]) && starts_with(s, k + 1, "曜") {
                    e = k + 2;
                } else if let Some(w) = TIME_WORDS.iter().find(|w| starts_with(s, k, w)) {
                    e = k + w.chars().count();
                }
            }
            if e == before {
                break;
            }
        }
        let role = if recurrence {
            TimeRole::Recurrence
        } else if matches!(s.get(e.wrapping_sub(1)), Some('内' | '中')) {
            // 年内、年度内、今日中: within a period, i.e. by its end.
            TimeRole::Deadline
        } else {
            follow_role(s, e)
        };
        // A recurrence followed by a weekday keeps being a recurrence (毎週木曜).
        out.push(TimeExpr {
            start: i,
            end: e,
            role,
        });
        i = e.max(i + 1);
    }
    // Adjacent pieces (来週 + の月曜) already merged; a recurrence immediately followed by a
    // start (毎週木曜から) is a start.
    for t in &mut out {
        if t.role == TimeRole::Recurrence && follow_role(s, t.end) == TimeRole::Start {
            t.role = TimeRole::Start;
        }
    }
    out
}

/// What the words after a time expression make of it.
fn follow_role(s: &[char], e: usize) -> TimeRole {
    for w in [
        "から",
        "以降",
        "より",
        "になったら",
        "になり次第",
        "次第",
        "に入ったら",
        "を過ぎたら",
        "が来たら",
        "が終わったら",
        "が明けたら",
        "を迎えたら",
        "になれば",
    ] {
        if starts_with(s, e, w) {
            return TimeRole::Start;
        }
    }
    for w in [
        "までに",
        "まで",
        "以内",
        "中に",
        "のうちに",
        "内に",
        "中",
        "以内に",
    ] {
        if starts_with(s, e, w) {
            return TimeRole::Deadline;
        }
    }
    TimeRole::Point
}

fn contains_any<'a>(s: &[char], words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| find(s, w).is_some())
}

/// Is there a number with a unit outside the time expressions (e.g. 100点, 3冊, 20%)?
fn has_measure(s: &[char], times: &[TimeExpr]) -> bool {
    let inside = |i: usize| times.iter().any(|t| t.start <= i && i < t.end);
    (0..s.len()).any(|i| {
        !inside(i)
            && (i == 0 || !is_digit(s[i - 1]))
            && is_digit(s[i])
            // 一つひとつ, 一人ひとり: "each", not a count.
            && !["一つひとつ", "一つ一つ", "一人ひとり", "一人一人"]
                .iter()
                .any(|w| starts_with(s, i, w))
            && {
            let mut k = i;
            while k < s.len() && (is_digit(s[k]) || s[k] == '.') {
                k += 1;
            }
            UNITS.iter().any(|u| starts_with(s, k, u))
                || starts_with(s, k, "つ")
                || starts_with(s, k, "以上")
                // 100万アップ, 2割減: a change by a figure.
                || ["アップ", "ダウン", "増", "減"].iter().any(|w| starts_with(s, k, w))
                // 4.2から4.5に: from one figure to another.
                || (starts_with(s, k, "から") && s.get(k + 2).is_some_and(|c| is_digit(*c)))
        }
    })
}

/// The main predicate: the words from the last comma (or the last time expression) on.
fn last_clause(s: &[char]) -> &[char] {
    let cut = s
        .iter()
        .rposition(|c| *c == '、' || *c == ',')
        .map(|p| p + 1)
        .unwrap_or(0);
    &s[cut..]
}

/// The words before the first attitude/state/wish marker, without trailing particles:
/// what the person is aiming at, in their own words.
fn core_before(s: &[char], marker: &str) -> String {
    let end = find(s, marker).unwrap_or(s.len());
    without_one_of(
        text(s, 0, end),
        &[
            "ように",
            "よう",
            "ことを",
            "を",
            "に",
            "、",
            "の",
            "と",
            "ことに",
            "こと",
        ],
    )
}

/// `t` without the first of `tails` it ends with (a trailing particle).
fn without_one_of(t: String, tails: &[&str]) -> String {
    match tails.iter().find_map(|tail| t.strip_suffix(tail)) {
        Some(x) => x.to_string(),
        None => t,
    }
}

/// The words of the sentence to quote for a marker: from the marker to the end, and for
/// a wish the verb before it too (話せるようになりたいです).
fn quote(s: &[char], marker: &str, with_verb: bool) -> String {
    let Some(mut a) = find(s, marker) else {
        return marker.to_string();
    };
    if with_verb {
        let floor = a.saturating_sub(8);
        while a > floor && !"をがはでと、".contains(s[a - 1]) {
            a -= 1;
        }
    }
    text(s, a, s.len())
}

/// Both checks on a commitment as recorded: its words and its いつから date. The date
/// says from when, so with one the start check passes whatever the sentence says (a
/// deadline in the words — 「1年以内に」 — no longer stands alone); the objectivity check
/// still reads the words alone. Without a date this is [`check`].
pub fn check_with_start(statement: &str, starts_on: Option<chrono::NaiveDate>) -> Check {
    check_with_start_using(statement, starts_on, None, None)
}

/// [`check_with_start`], reading the sentence with `reader` when there is one
/// ([`check_with`]).
pub fn check_with_start_using(
    statement: &str,
    starts_on: Option<chrono::NaiveDate>,
    reader: Option<&dyn Analyse>,
    model: Option<&learned::Model>,
) -> Check {
    let mut c = check_read(statement, reader, model);
    if starts_on.is_some() && !c.reasons.contains(&Reason::Empty) {
        c.has_start = true;
        c.reasons.retain(|r| {
            !matches!(
                r,
                Reason::NoStart | Reason::VagueTime { .. } | Reason::DeadlineOnOutcome { .. }
            )
        });
        if c.objective {
            c.suggestion = None;
        }
    }
    c
}

/// The sentence as the checks read it: NFKC (full-width digits are digits), without
/// spaces and the final full stop.
pub fn normalised(statement: &str) -> String {
    normalise(statement).into_iter().collect()
}

/// Both checks, reading the sentence with a morphological analyser when there is one
/// (`analysed`: lemmas and parts of speech, start answered on its own); without one, or
/// when it reads nothing, the word lists of [`check`].
pub fn check_with(statement: &str, reader: Option<&dyn Analyse>) -> Check {
    check_read(statement, reader, None)
}

/// How sure the learned model must be (log-odds, nats: about 55 to 1) to call a sentence
/// objective that the rules found an attitude, a wish, a state or an unmeasured
/// improvement in. Chosen on the five former held-out sets, each judged by the rules as
/// they were before it was read and by a model learned without it (docs/FEATURES.md).
pub const CONFIDENT: f64 = 4.0;

/// Both checks as the product makes them: [`check_with`], and when there is a model
/// learned from the labelled examples ([`learned`]), its second opinion on objectivity —
/// the model decides, except that a failure the rules found stands unless the model is
/// [`CONFIDENT`]. The start check is the rules' alone.
pub fn check_read(
    statement: &str,
    reader: Option<&dyn Analyse>,
    model: Option<&learned::Model>,
) -> Check {
    let s = normalise(statement);
    if let Some(reader) = reader
        && !s.is_empty()
    {
        let morphemes = reader.analyse(&text(&s, 0, s.len()));
        if !morphemes.is_empty() {
            let c = analysed::check(&s, &morphemes);
            return match model {
                Some(model) if model.is_usable() => second_opinion(c, &s, &morphemes, model),
                _ => c,
            };
        }
    }
    check(statement)
}

/// The rules' check `c` of the sentence `s` (read as `ms`), with objectivity decided as
/// [`check_read`] says; the reasons and the rephrasing follow the verdict.
fn second_opinion(mut c: Check, s: &[char], ms: &[Morpheme], model: &learned::Model) -> Check {
    let odds = model.log_odds(ms);
    let objective = odds > 0.0 && (c.objective || odds > CONFIDENT);
    if objective == c.objective {
        return c;
    }
    c.objective = objective;
    let deadline = c.reasons.iter().find_map(|r| match r {
        Reason::DeadlineOnOutcome { deadline } => Some(deadline.clone()),
        _ => None,
    });
    if objective {
        c.reasons.retain(|r| {
            !matches!(
                r,
                Reason::Attitude { .. }
                    | Reason::Wish { .. }
                    | Reason::State { .. }
                    | Reason::Unmeasured { .. }
            )
        });
        c.suggestion = rephrasing(s, &c.reasons, None, c.has_start, deadline.as_deref());
        return c;
    }
    // Quoted: the clause of its last verb (「経営の視点を持ちます」), rephrased from the
    // person's own words up to that verb, in its plain form.
    let verb = ms.iter().rposition(|m| m.pos == "動詞" && m.pos1 == "自立");
    let clause = verb
        .and_then(|v| ms[..v].iter().rposition(|m| m.pos == "記号"))
        .map_or(0, |k| k + 1);
    let word: String = ms[clause..].iter().map(|m| m.surface.as_str()).collect();
    c.reasons.insert(0, Reason::Unobservable { word });
    let core = verb.map(|v| {
        ms[..v]
            .iter()
            .map(|m| m.surface.as_str())
            .chain([ms[v].lemma.as_str()])
            .collect::<String>()
    });
    c.suggestion = rephrasing(s, &c.reasons, core, c.has_start, deadline.as_deref());
    c
}

/// Both checks by the word lists alone (no dictionary): objectivity from the words of
/// attitudes, wishes, states and unmeasured improvements; a start only for an objective
/// statement.
pub fn check(statement: &str) -> Check {
    let s = normalise(statement);
    if s.is_empty() {
        return Check {
            objective: false,
            has_start: false,
            reasons: vec![Reason::Empty],
            suggestion: None,
        };
    }
    let times = time_expressions(&s);
    let mut reasons = Vec::new();

    // --- objectivity ---
    let tail = last_clause(&s);
    let mut objective = true;
    let mut core_marker: Option<String> = None;
    if let Some(w) = contains_any(&s, &ATTITUDE) {
        // 「〜ようにします」 after a concrete negative (遅刻しないようにします) is still an
        // attitude: nobody can see an intention to avoid.
        objective = false;
        reasons.push(Reason::Attitude {
            word: quote(&s, w, false),
        });
        core_marker = Some(w.to_string());
    } else if let Some(w) = contains_any(tail, &WISH) {
        objective = false;
        reasons.push(Reason::Wish {
            word: quote(&s, w, true),
        });
        core_marker = Some(w.to_string());
    } else if let Some(w) = contains_any(tail, &STATE) {
        objective = false;
        reasons.push(Reason::State {
            word: quote(&s, w, false),
        });
        core_marker = Some(w.to_string());
    } else if let Some(w) = contains_any(&s, &VAGUE_ADVERB)
        && !has_measure(&s, &times)
        && !times.iter().any(|t| t.role == TimeRole::Recurrence)
    {
        objective = false;
        reasons.push(Reason::Attitude {
            word: quote(&s, w, false),
        });
        core_marker = Some(w.to_string());
    } else if let Some(w) = contains_any(tail, &IMPROVE)
        && !has_measure(&s, &times)
        && contains_any(tail, &FIRST_ACTION).is_none()
    {
        objective = false;
        reasons.push(Reason::Unmeasured {
            word: quote(&s, w, false),
        });
        core_marker = Some(w.to_string());
    }

    // --- start ---
    let outcome =
        contains_any(tail, &OUTCOME).is_some() && contains_any(tail, &FIRST_ACTION).is_none();
    // A volume to reach by a deadline (10冊読む) is an outcome too, unless the action is
    // one that simply starts something (申し込む、始める…).
    let concrete_first = contains_any(&s, &FIRST_ACTION).is_some()
        && !outcome
        && (contains_any(&s, &STRONG_FIRST_ACTION).is_some() || !has_measure(&s, &times));
    let mut has_start = false;
    let mut deadline_on_outcome: Option<String> = None;
    for t in &times {
        match t.role {
            TimeRole::Start => has_start = true,
            TimeRole::Point => {
                if objective && !outcome {
                    has_start = true;
                }
            }
            TimeRole::Deadline => {
                if concrete_first && !outcome {
                    has_start = true;
                } else if deadline_on_outcome.is_none() {
                    deadline_on_outcome = Some(deadline_words(&s, t, &DEADLINE_MARKERS));
                }
            }
            TimeRole::Recurrence => {}
        }
    }
    // "From next month, I will be mindful" names a time, but nothing concrete begins then:
    // only an objective statement can have a start. Its objectivity reason says why.
    let named_a_start = has_start;
    if !objective {
        has_start = false;
    }
    if !has_start && !named_a_start {
        reasons.push(no_start_reason(&s, deadline_on_outcome.as_deref()));
    }

    let suggestion = rephrasing(
        &s,
        &reasons,
        core_marker.map(|m| core_before(&s, &m)),
        has_start,
        deadline_on_outcome.as_deref(),
    );
    Check {
        objective,
        has_start,
        reasons,
        suggestion,
    }
}

/// Why there is no start: a vague time, a deadline on an outcome, or nothing at all.
fn no_start_reason(s: &[char], deadline_on_outcome: Option<&str>) -> Reason {
    if let Some(w) = contains_any(s, &VAGUE_TIME) {
        Reason::VagueTime {
            word: w.to_string(),
        }
    } else if let Some(d) = deadline_on_outcome {
        Reason::DeadlineOnOutcome {
            deadline: d.to_string(),
        }
    } else {
        Reason::NoStart
    }
}

/// What follows a deadline's time words, longest first.
const DEADLINE_MARKERS: [&str; 7] = [
    "以内に",
    "までに",
    "のうちに",
    "中に",
    "内に",
    "以内",
    "まで",
];

/// A deadline as the reasons quote it, with its marker (1年以内に, 年度内に).
fn deadline_words(s: &[char], t: &TimeExpr, markers: &[&str]) -> String {
    let end = markers
        .iter()
        .find(|m| starts_with(s, t.end, m))
        .map_or(t.end, |m| t.end + m.chars().count());
    text(s, t.start, end)
}

/// The rephrasing to offer from the person's own words: a wish whole; a failed
/// objectivity from what they aim at (`core`); a missing start from the deadline on an
/// outcome, or the whole sentence.
fn rephrasing(
    s: &[char],
    reasons: &[Reason],
    core: Option<String>,
    has_start: bool,
    deadline_on_outcome: Option<&str>,
) -> Option<Suggestion> {
    let sentence = text(s, 0, s.len());
    let suggest = |key, core, time| Suggestion { key, core, time };
    if matches!(reasons.first(), Some(Reason::Wish { .. })) {
        Some(suggest(
            "commitment.suggest.from_wish",
            sentence,
            String::new(),
        ))
    } else if let Some(core) = core {
        let core = tidy_core(&core);
        let key = if core.chars().count() < 3 {
            "commitment.suggest.make_observable_plain"
        } else if core.ends_with(|c: char| "うくすつぬふむゆるぐぶい".contains(c)) {
            "commitment.suggest.make_observable"
        } else {
            // A noun: 「スタッフ一人ひとり」のために.
            "commitment.suggest.make_observable_noun"
        };
        Some(suggest(key, core, String::new()))
    } else if has_start {
        None
    } else {
        Some(match deadline_on_outcome {
            Some(d) => suggest(
                "commitment.suggest.first_step",
                sentence.replacen(d, "", 1),
                d.to_string(),
            ),
            None => suggest("commitment.suggest.add_start", sentence, String::new()),
        })
    }
}

/// The person's goal as a rephrasing quotes it: without the time it opens with (来月から、)
/// — the rephrasing brings its own — and without list marks or a trailing particle.
fn tidy_core(core: &str) -> String {
    let chars: Vec<char> = core.chars().collect();
    let mut from = 0;
    if let Some(t) = time_expressions(&chars).first()
        && t.start == 0
    {
        from = t.end;
        for w in [
            "から",
            "より",
            "までに",
            "まで",
            "以内に",
            "中に",
            "に",
            "は",
            "も",
        ] {
            if starts_with(&chars, from, w) {
                from += w.chars().count();
                break;
            }
        }
    }
    let t = text(&chars, from, chars.len())
        .trim_start_matches(['、', ',', '・', ' '])
        .trim_end_matches(['、', ',', '・', ' '])
        .to_string();
    without_one_of(
        t,
        &[
            "に向けて",
            "について",
            "に対して",
            "を",
            "に",
            "も",
            "は",
            "が",
            "の",
            "と",
        ],
    )
}

/// How a milestone interview (節目面談) ended when it was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneOutcome {
    /// A confirmed commitment passed both checks.
    Committed,
    /// None did; the next session was booked instead.
    Continued,
}

impl MilestoneOutcome {
    /// As stored and as translation keys name it.
    pub fn key(self) -> &'static str {
        match self {
            MilestoneOutcome::Committed => "committed",
            MilestoneOutcome::Continued => "continued",
        }
    }

    pub fn from_key(s: &str) -> Option<MilestoneOutcome> {
        [MilestoneOutcome::Committed, MilestoneOutcome::Continued]
            .into_iter()
            .find(|o| o.key() == s)
    }
}

/// Where a commitment stands after its start date (follow-ups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    Started,
    Continuing,
    Done,
    /// Stopped on purpose, with a reason — allowed and fine (途中で止めて良い).
    Stopped,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotStarted,
        Status::Started,
        Status::Continuing,
        Status::Done,
        Status::Stopped,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::Started => "started",
            Status::Continuing => "continuing",
            Status::Done => "done",
            Status::Stopped => "stopped",
        }
    }

    pub fn parse(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Practising it (for the autonomy judgement): started, continuing or done.
    pub fn is_practised(self) -> bool {
        matches!(self, Status::Started | Status::Continuing | Status::Done)
    }
}

/// The parts of a commitment, as the employee put them (DOMAIN.md: Commitment).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct Content {
    /// What the employee will do, in their own words (checked by [`check`]).
    pub action: String,
    pub first_step: String,
    /// How anyone can see it happened.
    pub evidence: String,
    /// The vision it serves.
    pub vision: String,
    pub target: String,
    /// The opportunity it points at, if any (社内公募・講座・資格取得支援).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<Opportunity>,
}

/// An opportunity a commitment can point at (DOMAIN.md: Three opportunities): a posting
/// to apply to, a course to take, a certification the company subsidises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "ref")]
pub enum Opportunity {
    Posting(i64),
    Course(i64),
    /// A certification by the company's name for it.
    Subsidy(String),
}

impl Opportunity {
    /// The form's value: `posting:12`, `course:3`, `subsidy:基本情報技術者試験`.
    pub fn key(&self) -> String {
        match self {
            Opportunity::Posting(id) => format!("posting:{id}"),
            Opportunity::Course(id) => format!("course:{id}"),
            Opportunity::Subsidy(name) => format!("subsidy:{name}"),
        }
    }

    /// Reads a form's value; None for anything else (an empty one included).
    pub fn parse(raw: &str) -> Option<Opportunity> {
        let (kind, rest) = raw.trim().split_once(':')?;
        match kind {
            "posting" => rest.parse().ok().map(Opportunity::Posting),
            "course" => rest.parse().ok().map(Opportunity::Course),
            "subsidy" if !rest.trim().is_empty() && rest.chars().count() <= 200 => {
                Some(Opportunity::Subsidy(rest.trim().to_string()))
            }
            _ => None,
        }
    }
}

/// A commitment as typed, before it is checked and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub content: Content,
    /// From when (いつから): required.
    pub starts_on: chrono::NaiveDate,
    pub due_on: Option<chrono::NaiveDate>,
}

/// A problem with one field of a commitment as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    /// `required`, `too_long`, `date`, `due_before_start`
    pub code: &'static str,
}

fn field_text(
    raw: &str,
    field: &'static str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let t = raw.replace("\r\n", "\n").trim().to_string();
    if required && t.is_empty() {
        errors.push(FieldError {
            field,
            code: "required",
        });
    } else if t.chars().count() > MAX_ACTION_CHARS {
        errors.push(FieldError {
            field,
            code: "too_long",
        });
    }
    t
}

fn field_date(
    raw: &str,
    field: &'static str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<chrono::NaiveDate> {
    let t = raw.trim();
    if t.is_empty() {
        if required {
            errors.push(FieldError {
                field,
                code: "required",
            });
        }
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    if d.is_none() {
        errors.push(FieldError {
            field,
            code: "date",
        });
    }
    d
}

/// Reads a commitment from its fields as typed: the action and the start date are
/// required; texts are limited; the due date, when given, is not before the start.
#[allow(clippy::too_many_arguments)]
pub fn parse_input(
    action: &str,
    starts_on: &str,
    first_step: &str,
    evidence: &str,
    vision: &str,
    target: &str,
    due_on: &str,
) -> Result<Input, Vec<FieldError>> {
    let mut errors = Vec::new();
    let content = Content {
        action: field_text(action, "action", true, &mut errors),
        first_step: field_text(first_step, "first_step", false, &mut errors),
        evidence: field_text(evidence, "evidence", false, &mut errors),
        vision: field_text(vision, "vision", false, &mut errors),
        target: field_text(target, "target", false, &mut errors),
        opportunity: None,
    };
    let starts = field_date(starts_on, "starts_on", true, &mut errors);
    let due = field_date(due_on, "due_on", false, &mut errors);
    if let (Some(s), Some(d)) = (starts, due)
        && d < s
    {
        errors.push(FieldError {
            field: "due_on",
            code: "due_before_start",
        });
    }
    match (errors.is_empty(), starts) {
        (true, Some(starts_on)) => Ok(Input {
            content,
            starts_on,
            due_on: due,
        }),
        _ => Err(errors),
    }
}

/// Does a commitment count? Both checks pass and the employee confirmed it in their own
/// words; an unconfirmed commitment never counts (that would be キャリア強制律).
pub fn counts(objective: bool, has_start: bool, confirmed: bool) -> bool {
    objective && has_start && confirmed
}

/// May the employee confirm a commitment as theirs? Only one that passes both checks: a
/// vague one stays a draft to rewrite with the facilitator, rather than becoming a
/// promise nobody can follow up (DOMAIN.md: Commitment checks).
pub fn may_confirm(objective: bool, has_start: bool) -> bool {
    objective && has_start
}

/// May a milestone interview close as `committed` with these commitments
/// (objective, has_start, confirmed)? Only when at least one counts.
pub fn may_close_as_committed(commitments: &[(bool, bool, bool)]) -> bool {
    commitments.iter().any(|(o, s, c)| counts(*o, *s, *c))
}

/// Days after `starts_on` before the employee and the facilitator are asked whether it
/// started (「始めましたか？」), unless the tenant sets its own.
pub const DEFAULT_CHECK_IN_GRACE_DAYS: i64 = 3;

/// The grace period a tenant may set: 0 to 60 days.
pub fn parse_grace_days(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=60).contains(d))
}

/// Is a check-in due for a commitment that counts, on `today`? From its start date plus
/// the grace period, for as long as nobody said it started (or stopped).
pub fn check_in_due(
    starts_on: chrono::NaiveDate,
    today: chrono::NaiveDate,
    grace_days: i64,
    status: Status,
    counts: bool,
) -> bool {
    counts
        && status == Status::NotStarted
        && today >= starts_on + chrono::Duration::days(grace_days)
}

/// A status change as asked: stopping needs a reason (and is fine); at most 500 characters.
pub fn parse_status_change(status: &str, reason: &str) -> Result<(Status, String), &'static str> {
    let status = Status::parse(status).ok_or("status")?;
    let reason = reason.trim().to_string();
    if status == Status::Stopped && reason.is_empty() {
        return Err("reason_required");
    }
    if reason.chars().count() > MAX_ACTION_CHARS {
        return Err("too_long");
    }
    Ok((status, reason))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_start_check_reads_the_itsukara_date_as_well_as_the_words() {
        use super::{Reason, check, check_with_start};
        let date = chrono::NaiveDate::from_ymd_opt(2027, 1, 15);
        // The reproduced case: a date in いつから, and still told no start was given.
        let words = "毎週金曜の夕方に30分、後輩の相談を受ける時間をつくります";
        let deadline = "1年以内にTOEICの点数を100点上げます";
        assert!(!check(deadline).has_start);
        let c = check_with_start(deadline, date);
        assert!(c.has_start);
        assert!(!c.reasons.iter().any(|r| matches!(
            r,
            Reason::NoStart | Reason::DeadlineOnOutcome { .. } | Reason::VagueTime { .. }
        )));
        assert!(check_with_start(words, date).has_start);
        // Objectivity still reads the words alone: a date does not make an attitude visible.
        let vague = check_with_start("後輩から頼られる存在になります", date);
        assert!(vague.has_start && !vague.objective && !vague.passes());
        assert!(!vague.reasons.is_empty());
        // No date, no change; nothing written, nothing passes.
        assert_eq!(check_with_start(deadline, None), check(deadline));
        assert!(!check_with_start("", date).has_start);
    }

    #[test]
    fn only_a_commitment_passing_both_checks_may_be_confirmed() {
        use super::may_confirm;
        assert!(may_confirm(true, true));
        assert!(!may_confirm(false, true));
        assert!(!may_confirm(true, false));
        assert!(!may_confirm(false, false));
        let vague = super::check("後輩から頼られる存在になります");
        assert!(!may_confirm(vague.objective, vague.has_start));
    }

    use super::*;

    #[test]
    fn the_check_in_comes_after_the_start_and_grace_and_only_for_commitments_that_count() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let start = d("2026-12-01");
        assert!(!check_in_due(
            start,
            d("2026-12-03"),
            3,
            Status::NotStarted,
            true
        ));
        assert!(check_in_due(
            start,
            d("2026-12-04"),
            3,
            Status::NotStarted,
            true
        ));
        assert!(!check_in_due(
            start,
            d("2026-12-04"),
            3,
            Status::Started,
            true
        ));
        assert!(!check_in_due(
            start,
            d("2026-12-04"),
            3,
            Status::NotStarted,
            false
        ));
        assert_eq!(parse_status_change("stopped", " "), Err("reason_required"));
        assert_eq!(
            parse_status_change("stopped", "異動で時間が取れなくなった"),
            Ok((Status::Stopped, "異動で時間が取れなくなった".into()))
        );
        assert_eq!(
            parse_status_change("started", ""),
            Ok((Status::Started, String::new()))
        );
        assert_eq!(parse_status_change("later", ""), Err("status"));
    }

    #[test]
    fn a_commitment_needs_an_action_and_a_start_date_and_a_sane_due_date() {
        let ok = parse_input(
            "来月から簿記の勉強をします",
            "2026-12-01",
            "",
            "",
            "",
            "",
            "",
        );
        assert_eq!(ok.expect("valid").starts_on.to_string(), "2026-12-01");
        let errs = parse_input(" ", "", "", "", "", "", "2026-02-30").expect_err("invalid");
        let codes: Vec<(&str, &str)> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("action", "required"),
                ("starts_on", "required"),
                ("due_on", "date")
            ]
        );
        let errs = parse_input("a", "2026-12-01", "", "", "", "", "2026-11-30").expect_err("x");
        assert_eq!(errs[0].code, "due_before_start");
        let long = "あ".repeat(MAX_ACTION_CHARS + 1);
        let errs = parse_input(&long, "2026-12-01", "", "", "", "", "").expect_err("x");
        assert_eq!((errs[0].field, errs[0].code), ("action", "too_long"));
    }

    #[test]
    fn only_a_confirmed_commitment_passing_both_checks_closes_an_interview_as_committed() {
        assert!(!may_close_as_committed(&[]));
        assert!(
            !may_close_as_committed(&[(true, true, false)]),
            "unconfirmed"
        );
        assert!(!may_close_as_committed(&[(true, false, true)]), "no start");
        assert!(
            !may_close_as_committed(&[(false, true, true)]),
            "not objective"
        );
        assert!(may_close_as_committed(&[
            (false, false, true),
            (true, true, true)
        ]));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        assert!(Status::Done.is_practised() && !Status::Stopped.is_practised());
    }

    #[test]
    fn the_examples_of_the_domain_come_out_right() {
        for (text, objective, has_start) in [
            (
                "期末の一ヶ月前になったら、経理経験2年未満の社員を集めて決算の勉強会を開きます",
                true,
                true,
            ),
            ("後輩から頼られる存在になります", false, false),
            ("1年以内にTOEICの点数を100点上げます", true, false),
            (
                "6月30日までに英会話スクールに申し込んで、通い始めます",
                true,
                true,
            ),
            ("もっと主体的に仕事に取り組むよう意識します", false, false),
            (
                "来週の月曜から、毎朝15分英語のニュースを聞きます",
                true,
                true,
            ),
            ("来月から毎週木曜の朝に30分、簿記の勉強をします", true, true),
            ("頑張ります", false, false),
        ] {
            let c = check(text);
            assert_eq!(
                (c.objective, c.has_start),
                (objective, has_start),
                "{text}: {c:?}"
            );
        }
    }

    #[test]
    fn failures_name_what_decided_them_and_suggest_from_the_persons_words() {
        let c = check("後輩から頼られる存在になります");
        assert!(matches!(&c.reasons[0], Reason::State { word } if word == "存在になります"));
        assert!(matches!(
            &check("英語が話せるようになりたいです").reasons[0],
            Reason::Wish { word } if word == "話せるようになりたいです"
        ));
        let s = c.suggestion.expect("suggestion");
        assert_eq!(s.key, "commitment.suggest.make_observable");
        assert_eq!(s.core, "後輩から頼られる");
        let c = check("1年以内にTOEICの点数を100点上げます");
        assert_eq!(
            c.reasons,
            vec![Reason::DeadlineOnOutcome {
                deadline: "1年以内に".into()
            }]
        );
        assert_eq!(c.suggestion.expect("s").core, "TOEICの点数を100点上げます");
        let c = check("毎朝英語のニュースを聞きます");
        assert!(c.objective && !c.has_start);
        assert_eq!(c.reasons, vec![Reason::NoStart]);
        assert_eq!(c.suggestion.expect("s").key, "commitment.suggest.add_start");
        assert_eq!(check("  ").reasons, vec![Reason::Empty]);
        assert!(check("来月から簿記の勉強をします").suggestion.is_none());
    }

    #[test]
    fn full_width_digits_and_kanji_numbers_are_read() {
        assert!(check("６月１日から毎朝ジョギングをします").passes());
        assert!(check("三か月後から、週に一度、読書会を開きます").passes());
        assert!(check("ひと月後から、毎週金曜に日報を書きます").passes());
    }
}
