//! The two checks reading the analysed sentence (形態素解析: lemmas and parts of speech)
//! instead of surface strings, so a verb is recognised in any of its forms and a word
//! inside a phrase that only describes a noun (「安全確認の手順を書いたカード」) does
//! not decide the sentence.
//!
//! - **Objectivity** fails on a cognitive or attitudinal predicate (考える, 意識する,
//!   心がける, 努力する, 頑張る, 目指す…), on a feeling as the manner of an act
//!   (「明るい気持ちで取り組む」), on becoming rather than doing (〜になる), on a wish
//!   (〜たい, 〜と思う), and on making something better with no number saying by how
//!   much (良くする, 明確にする, はっきりさせる, 高める, 深める…). Anything else done to
//!   a checkable object passes.
//! - **Start** is answered on its own: an explicit start (から), a dated point or event
//!   (明日, 4月1日に, 次の部会で), or a deadline on a concrete first act (申し込む, 予約する,
//!   提出する…) passes; a deadline or point on an outcome (合格する, 点数を上げる,
//!   独立する) does not, nor does a horizon of years (5年以内に): a first step is near.
//!   A statement may have a start and still fail objectivity (「来週から心がけます」).

use super::{
    Check, DEADLINE_MARKERS, FIRST_ACTION, Reason, TimeExpr, TimeRole, VAGUE_ADVERB, contains_any,
    core_before, deadline_words, has_measure, no_start_reason, quote, rephrasing, starts_with,
    text, time_expressions,
};
use crate::morpheme::Morpheme;

/// Thinking, minding, trying, aiming, valuing: nobody can see whether they happened.
const ATTITUDE: &[&str] = &[
    "注力する",
    "認識する",
    "再認識する",
    "浸透する",
    "浸透させる",
    "控える",
    "活用する",
    "推進する",
    "探す",
    "力を注ぐ",
    "習慣をつける",
    "バランスを取る",
    "手を差し伸べる",
    "寄り添う",
    "応援する",
    "還元する",
    "なじむ",
    "馴染む",
    "尊重する",
    "見守る",
    "注意を払う",
    "責任を果たす",
    "役割を果たす",
    "使命を果たす",
    "念頭に置く",
    "意識する",
    "心がける",
    "心掛ける",
    "こころがける",
    "努める",
    "努力する",
    "頑張る",
    "がんばる",
    "目指す",
    "めざす",
    "考える",
    "思う",
    "見直す",
    "理解する",
    "検討する",
    "精進する",
    "成長する",
    "励む",
    "尽くす",
    "貢献する",
    "向き合う",
    "臨む",
    "保つ",
    "持ち続ける",
    "注意する",
    "気をつける",
    "気を付ける",
    "大切にする",
    "大事にする",
    "心に留める",
    "肝に銘じる",
    "配慮する",
    "自覚する",
    "受け止める",
    "力を入れる",
    "耳を傾ける",
    "本気を出す",
    "やる気を出す",
    "元気を出す",
    "工夫する",
    "捉える",
    "とらえる",
    "取り組む",
    "取りくむ",
    "実践する",
    "振り返る",
    "見つめ直す",
    "感謝する",
    "徹底する",
    "こだわる",
    "恐れる",
    "目を配る",
    "気を配る",
    "心を配る",
    "目を向ける",
    "アンテナを張る",
    "気を引き締める",
];

/// Attitude verbs that, before a concrete act, give its purpose or first step.
const PURPOSE_OR_STEP: &[&str] = &["目指す", "めざす", "見直す", "振り返る"];

/// Verbs that say only that something is done, not what: checkable by what they take
/// (「簿記の勉強を30分する」), never by the manner alone (「もっと勉強する」「楽しく働く」).
const GENERIC: &[&str] = &[
    "挑む",
    "勤務する",
    "提供する",
    "続ける",
    "重ねる",
    "立つ",
    "あたる",
    "当たる",
    "する",
    "やる",
    "働く",
    "対応する",
    "行動する",
    "仕事する",
    "過ごす",
    "接する",
    "接す",
    "いく",
    "行く",
    "勉強する",
    "進める",
    "動く",
    "こなす",
    "挑戦する",
    "作業する",
];

/// Objects that name no particular thing to do (準備を進める, 努力をする).
const ABSTRACT_OBJECT: &[&str] = &[
    "習慣",
    "思い出",
    "価値",
    "体験",
    "安心",
    "満足",
    "化",
    "マネジメント",
    "生き方",
    "働き方",
    "運営",
    "支援",
    "サポート",
    "行動",
    "準備",
    "取り組み",
    "努力",
    "改善",
    "挑戦",
    "工夫",
    "活動",
    "研鑽",
    "仕事",
    "業務",
    "対応",
];

/// Verbs and nouns of idioms read as one predicate (気をつける, 身につける, 力を入れる,
/// 耳を傾ける, 本気を出す).
const IDIOM_VERBS: &[&str] = &[
    "注ぐ",
    "取る",
    "差し伸べる",
    "払う",
    "果たす",
    "置く",
    "引き締める",
    "配る",
    "張る",
    "向ける",
    "つける",
    "付ける",
    "入れる",
    "留める",
    "銘じる",
    "傾ける",
    "出す",
];
const IDIOM_NOUNS: &[&str] = &[
    "習慣",
    "バランス",
    "手",
    "注意",
    "責任",
    "役割",
    "使命",
    "念頭",
    "気",
    "身",
    "力",
    "心",
    "肝",
    "耳",
    "目",
    "本気",
    "やる気",
    "元気",
    "アンテナ",
];

/// Nouns of a quality that 〜にする makes (密にする): a change of state, like 明確にする.
const QUALITY: &[&str] = &["密", "緊密", "一層"];

/// Feelings and stances: as the manner of an act (〜で) or a thing to have (〜を持つ),
/// nobody can see them.
const FEELING: &[&str] = &[
    "やる気",
    "モチベーション",
    "士気",
    "責任",
    "使命",
    "本気",
    "全力",
    "気合い",
    "気合",
    "積極性",
    "協調性",
    "柔軟性",
    "根性",
    "気持ち",
    "姿勢",
    "意識",
    "心",
    "態度",
    "気概",
    "精神",
    "思い",
    "意欲",
    "自覚",
    "心構え",
    "向上心",
    "好奇心",
    "興味",
    "視野",
    "自信",
    "気",
    "感謝",
    "スピード感",
    "危機感",
    "責任感",
    "使命感",
    "緊張感",
    "やりがい",
    "誇り",
    "熱意",
    "情熱",
    "主体性",
    "覚悟",
];

/// Making something better, objective only with a number saying by how much.
const IMPROVE: &[&str] = &[
    "醸成する",
    "なくす",
    "無くす",
    "アップする",
    "スキルアップする",
    "落とす",
    "上げる",
    "あげる",
    "高める",
    "伸ばす",
    "増やす",
    "減らす",
    "下げる",
    "深める",
    "広げる",
    "磨く",
    "身につける",
    "身に付ける",
    "向上する",
    "改善する",
    "強化する",
    "短縮する",
    "削減する",
    "築く",
    "養う",
    "鍛える",
    "活かす",
    "生かす",
    "整える",
    "見つける",
    "レベルアップする",
    "改革する",
    "変革する",
    "刷新する",
    "活性化する",
    "効率化する",
    "強める",
];

/// Results to reach by some time, as opposed to acts one can simply do.
const OUTCOME: &[&str] = &[
    "稼ぐ",
    "落とす",
    "上げる",
    "高める",
    "伸ばす",
    "増やす",
    "減らす",
    "下げる",
    "取る",
    "取得する",
    "合格する",
    "達成する",
    "昇進する",
    "昇格する",
    "なる",
    "独立する",
    "立ち上げる",
    "起業する",
    "開業する",
    "身につける",
    "身に付ける",
    "向上する",
    "改善する",
    "育てる",
    "育成する",
    "入る",
    "開拓する",
    "獲得する",
    "受注する",
    "就く",
    "到達する",
    "突破する",
];

/// What 取る takes when it is an outcome (資格を取る, 800点を取る), not an act
/// (アポを取る, 休みを取る).
const ACHIEVEMENT: &[&str] = &[
    "表彰",
    "評価",
    "資格",
    "点",
    "級",
    "免許",
    "検定",
    "認定",
    "単位",
    "学位",
    "スコア",
    "賞",
    "内定",
    "契約",
];

/// What 作る makes when it is a quality, not a thing (風通しのよい職場をつくる).
const ABSTRACT_CREATION: &[&str] = &[
    "職場",
    "環境",
    "雰囲気",
    "関係",
    "組織",
    "文化",
    "風土",
    "場",
    "体制",
    "チーム",
];

/// Counters of things or times: with a number above one, a volume to reach
/// (「10冊読む」), unlike a duration (30分) or a single act (1回).
const COUNTERS: &[&str] = &[
    "件", "回", "人", "名", "冊", "本", "社", "個", "枚", "つ", "通", "台", "種類", "講座", "店",
];

/// Periods short enough that what is due within them is a first act, whatever its count
/// (今週中に3社へ送る, 今月中に2回参加する).
const NEAR: &[&str] = &[
    "今日",
    "本日",
    "明日",
    "明後日",
    "今週",
    "来週",
    "週末",
    "週明け",
    "今月",
    "来月",
    "月末",
    "休み",
    "連休",
    "お盆",
    "GW",
    "正月",
];

/// Acts one can simply do by a date: a deadline on one of these is a start.
const FIRST_ACT: &[&str] = &[
    "申し込む",
    "申込む",
    "予約する",
    "登録する",
    "提出する",
    "始める",
    "開始する",
    "参加する",
    "相談する",
    "連絡する",
    "購入する",
    "買う",
    "受験する",
    "受ける",
    "入会する",
    "問い合わせる",
    "応募する",
    "依頼する",
    "開く",
    "集める",
    "読む",
    "書く",
    "作成する",
    "作る",
    "設定する",
    "出席する",
    "通う",
    "送る",
    "伝える",
    "出す",
    "見せる",
    "配る",
    "書き出す",
    "発表する",
    "共有する",
    "報告する",
    "申請する",
    "申し出る",
    "頼む",
    "渡す",
    "話す",
    "聞く",
    "紹介する",
    "説明する",
    "載せる",
    "公開する",
    "設ける",
    "面談する",
    "受講する",
    "請求する",
    "通い始める",
];

/// Of those, the ones that stay first acts even with a number attached
/// (「全員と1回ずつ面談を始めます」), unlike a volume to reach by a deadline
/// (「10冊読みます」).
const STRONG_FIRST_ACT: &[&str] = &[
    "申し込む",
    "申込む",
    "予約する",
    "登録する",
    "提出する",
    "始める",
    "開始する",
    "応募する",
    "問い合わせる",
    "相談する",
    "依頼する",
    "購入する",
    "申請する",
    "通い始める",
];

/// Words that make the noun before で, に or まで a meeting or an event: a point in time
/// when something can be done (次の部会で, 秋の人事面談で, 来年の試験で).
const EVENT: &[&str] = &[
    "会議",
    "会",
    "面談",
    "朝礼",
    "朝会",
    "研修",
    "ミーティング",
    "MTG",
    "1on1",
    "定例",
    "打ち合わせ",
    "試験",
    "講座",
    "面接",
    "セミナー",
];

/// Words that make an event a particular one (次の…, 次回の…, 秋の…).
const EVENT_DETERMINER: &[&str] = &[
    "次", "次回", "今度", "今回", "春", "夏", "秋", "冬", "初回", "最初",
];

/// A predicate of the sentence: the verb (with the noun or adjective that makes it one:
/// 意識+する, 明確+に+する, 良く+する) and where it stands.
#[derive(Debug, Clone)]
struct Pred {
    lemma: String,
    /// Index of its first morpheme.
    first: usize,
    /// Index of its verb.
    verb: usize,
    /// Making something so (良くする, 明確にする, はっきりさせる): a change of state.
    evaluative: bool,
    /// It only describes a noun (「手順を書いたカード」): not what the person will do.
    relative: bool,
}

fn is(m: &Morpheme, pos: &str, pos1: &str) -> bool {
    m.pos == pos && (pos1.is_empty() || m.pos1 == pos1)
}

/// Does the verb at `i` (with its auxiliaries) describe the noun after it?
fn describes_noun(ms: &[Morpheme], i: usize) -> bool {
    let mut k = i + 1;
    while k < ms.len() && (ms[k].pos == "助動詞" || (ms[k].pos == "動詞" && ms[k].pos1 != "自立"))
    {
        k += 1;
    }
    ms.get(k)
        .is_some_and(|m| m.pos == "名詞" && m.pos1 != "非自立" && m.lemma != "よう")
}

fn predicates(ms: &[Morpheme]) -> Vec<Pred> {
    let mut out = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let prev = |k: usize| i.checked_sub(k).and_then(|j| ms.get(j));
        let sahen_at_end = m.pos == "名詞"
            && m.pos1 == "サ変接続"
            && ms.get(i + 1).is_none_or(|n| n.pos == "記号");
        if !(is(m, "動詞", "自立") || sahen_at_end) {
            continue;
        }
        // A verb's 連用形 taking a particle is a noun (「振り返りを行う」「聞き取りが」).
        if m.surface != m.lemma
            && ms.get(i + 1).is_some_and(|n| {
                n.pos == "助詞" && matches!(n.surface.as_str(), "を" | "が" | "の" | "は" | "も")
            })
        {
            continue;
        }
        let (lemma, first, evaluative) = if sahen_at_end {
            (format!("{}する", m.lemma), i, false)
        } else if matches!(m.lemma.as_str(), "する" | "できる" | "させる") {
            match (prev(1), prev(2)) {
                (Some(p), _) if is(p, "名詞", "サ変接続") => {
                    (format!("{}する", p.lemma), i - 1, false)
                }
                (Some(p), Some(q))
                    if p.surface == "に"
                        && (is(q, "名詞", "形容動詞語幹")
                            || QUALITY.contains(&q.lemma.as_str())) =>
                {
                    (format!("{}にする", q.lemma), i - 2, true)
                }
                (Some(p), Some(q))
                    if p.surface == "に" && (q.lemma == "大切" || q.lemma == "大事") =>
                {
                    (format!("{}にする", q.lemma), i - 2, false)
                }
                // メモにする, 一覧にする: made into a thing; 「選ばれる会社にする」: a state.
                (Some(p), Some(q))
                    if p.surface == "に"
                        && q.pos == "名詞"
                        && matches!(q.pos1.as_str(), "一般" | "サ変接続") =>
                {
                    let described =
                        i >= 3 && matches!(ms[i - 3].pos.as_str(), "動詞" | "助動詞" | "形容詞");
                    (format!("{}にする", q.lemma), i - 2, described)
                }
                (Some(p), _) if p.pos == "形容詞" => (format!("{}する", p.lemma), i - 1, true),
                // はっきりさせる, ちゃんとする: manner made the whole act.
                (Some(p), _) if p.pos == "副詞" => (format!("{}する", p.lemma), i - 1, true),
                (Some(p), Some(q)) if p.surface == "を" && is(q, "名詞", "サ変接続") => {
                    (format!("{}する", q.lemma), i - 2, false)
                }
                _ => ("する".to_string(), i, false),
            }
        } else if m.lemma == "図る"
            && prev(1).is_some_and(|p| p.surface == "を")
            && prev(2).is_some_and(|q| q.pos == "名詞")
        {
            // 効率化を図る, 改善を図る: the noun is the act.
            let nouns = noun_compound(&ms[..i - 1]);
            let head = if nouns.ends_with('化') {
                nouns
            } else {
                ms[i - 2].lemma.clone()
            };
            (format!("{head}する"), i - 2, false)
        } else if IDIOM_VERBS.contains(&m.lemma.as_str())
            && prev(1).is_some_and(|p| p.surface == "を" || p.surface == "に")
            && prev(2).is_some_and(|q| IDIOM_NOUNS.contains(&q.surface.as_str()))
        {
            let (p, q) = (&ms[i - 1], &ms[i - 2]);
            (
                format!("{}{}{}", q.surface, p.surface, m.lemma),
                i - 2,
                false,
            )
        } else if IDIOM_VERBS.contains(&m.lemma.as_str())
            && prev(1).is_some_and(|q| IDIOM_NOUNS.contains(&q.surface.as_str()))
        {
            // Written in haste without the particle: 本気出す.
            (format!("{}を{}", ms[i - 1].surface, m.lemma), i - 1, false)
        } else if m.lemma == "なる" && prev(1).is_some_and(|p| p.surface == "に") {
            let first = if prev(2).is_some_and(|q| q.lemma == "よう") {
                i - 2
            } else {
                i
            };
            ("なる".to_string(), first, false)
        } else if let Some(n) = ms.get(i + 1).filter(|n| is(n, "動詞", "非自立"))
            && let compound = format!("{}{}", m.surface, n.lemma)
            && known_predicate(&compound)
        {
            // 見つめ直す, 書き始める: the compound is the predicate.
            (compound, i, false)
        } else {
            (m.lemma.clone(), i, false)
        };
        out.push(Pred {
            lemma,
            first,
            verb: i,
            evaluative,
            relative: describes_noun(ms, i),
        });
    }
    out
}

/// The surface from morpheme `from` to the end: the words a reason quotes.
fn surface_from(ms: &[Morpheme], from: usize) -> String {
    ms[from.min(ms.len())..]
        .iter()
        .map(|m| m.surface.as_str())
        .collect()
}

/// Events named as points in time: a determiner (次, 次回, 秋…) or a time word, の, and
/// a noun naming a meeting or event, followed by で/に (a point) or まで (a deadline).
fn events(ms: &[Morpheme], times: &[TimeExpr]) -> Vec<TimeExpr> {
    // Morpheme i starts at character offset at[i] of the sentence.
    let mut at = Vec::with_capacity(ms.len() + 1);
    let mut pos = 0usize;
    for m in ms {
        at.push(pos);
        pos += m.surface.chars().count();
    }
    at.push(pos);
    let in_time = |c: usize| times.iter().any(|t| t.start <= c && c < t.end);
    let mut out = Vec::new();
    for i in 0..ms.len() {
        let determiner = EVENT_DETERMINER.contains(&ms[i].lemma.as_str())
            || (in_time(at[i]) && ms.get(i + 1).is_some_and(|n| n.surface == "の"));
        if !determiner {
            continue;
        }
        // Through の and nouns to the last noun before a particle.
        let mut k = i + 1;
        let mut last_noun = None;
        while k < ms.len() && k <= i + 6 {
            let m = &ms[k];
            if m.pos == "名詞" || m.surface == "の" || m.pos == "接頭詞" {
                if m.pos == "名詞" {
                    last_noun = Some(k);
                }
                k += 1;
            } else {
                break;
            }
        }
        let Some(n) = last_noun else { continue };
        let phrase: String = ms[i + 1..=n].iter().map(|m| m.surface.as_str()).collect();
        // After 次/次回/今度 any occasion is one (次の棚卸しで); after a time word, only a
        // meeting or event (来月の研修で), as the time word alone is already a point.
        let named = EVENT_DETERMINER.contains(&ms[i].lemma.as_str());
        let event = EVENT.iter().any(|e| phrase.ends_with(e));
        if !named && !event {
            continue;
        }
        // With に, an occasion needs naming as one (次の部会に, 次の休みに); 「次の段階に
        // 進む」 is a destination.
        let day = event
            || phrase.ends_with('日')
            || phrase.ends_with("休み")
            || phrase.ends_with('前')
            || phrase.ends_with('後');
        let toward = ms
            .get(n + 2)
            .is_some_and(|m| m.lemma.starts_with("向け") || m.lemma == "つく" || m.lemma == "とる");
        let role = match ms.get(n + 1).map(|m| m.surface.as_str()) {
            Some("で") => TimeRole::Point,
            // 次のフライトから: from the next occasion on.
            Some("から") if named => TimeRole::Start,
            Some("に") if day && !toward && phrase.ends_with('前') => TimeRole::Deadline,
            Some("に") if day && !toward => TimeRole::Point,
            Some("まで" | "までに") => TimeRole::Deadline,
            _ => continue,
        };
        if in_time(at[i]) && role == TimeRole::Point {
            // 来週の勉強会で: the time word already counts as a point.
            continue;
        }
        out.push(TimeExpr {
            start: at[i],
            end: at[n + 1],
            role,
        });
    }
    for i in 0..ms.len() {
        // 復帰後すぐに, 異動直後から: right after an event of one's own.
        let after = ms[i].pos1 == "接尾"
            && matches!(ms[i].lemma.as_str(), "後" | "直後")
            && i > 0
            && ms[i - 1].pos == "名詞"
            && ms[i - 1].pos1 != "数";
        if after && !in_time(at[i]) {
            let mut k = i + 1;
            if ms.get(k).is_some_and(|m| m.lemma == "すぐ") {
                k += 1;
            }
            // 帰任後の最初の月に: through の and nouns.
            if ms.get(k).is_some_and(|m| m.surface == "の") {
                let mut j = k + 1;
                while ms
                    .get(j)
                    .is_some_and(|m| m.pos == "名詞" || m.surface == "の")
                {
                    j += 1;
                }
                if j > k + 1 {
                    k = j;
                }
            }
            let role = match ms.get(k).map(|m| m.surface.as_str()) {
                Some("に" | "で") => Some(TimeRole::Point),
                Some("から") => Some(TimeRole::Start),
                _ => None,
            };
            if let Some(role) = role {
                out.push(TimeExpr {
                    start: at[i - 1],
                    end: at[k],
                    role,
                });
            }
        }
        // 次に新人が配属されたら: the next time something happens.
        let next = (ms[i].surface == "次に" && ms[i].pos == "接続詞")
            || (EVENT_DETERMINER.contains(&ms[i].lemma.as_str())
                && ms.get(i + 1).is_some_and(|m| m.surface == "に"));
        if next
            && let Some(k) = (i + 1..ms.len())
                .take_while(|&k| ms[k].pos != "記号")
                .find(|&k| ms[k].surface == "たら" || ms[k].surface == "だら")
        {
            out.push(TimeExpr {
                start: at[i],
                end: at[k + 1],
                role: TimeRole::Point,
            });
        }
    }
    out
}

/// A time word that only says which period a thing belongs to (「今期の新規契約件数を」):
/// の, nouns, then the thing's own particle — not when the person acts.
fn only_qualifies(ms: &[Morpheme], t: &TimeExpr) -> bool {
    let Some(mut k) = morpheme_at(ms, t.end).filter(|&k| ms[k].surface == "の") else {
        return false;
    };
    k += 1;
    while ms
        .get(k)
        .is_some_and(|m| m.pos == "名詞" || m.surface == "の" || m.pos == "接頭詞")
    {
        k += 1;
    }
    ms.get(k)
        .is_some_and(|m| matches!(m.surface.as_str(), "を" | "が" | "は" | "も"))
}

/// Is this word one the checks know as a predicate?
fn known_predicate(lemma: &str) -> bool {
    [ATTITUDE, IMPROVE, OUTCOME, FIRST_ACT, GENERIC]
        .iter()
        .any(|list| list.contains(&lemma))
}

/// A deadline or point years away (5年以内に, 3年後に, 60歳までに): a horizon for an
/// outcome, never a first step.
fn is_horizon(s: &[char], t: &TimeExpr) -> bool {
    let words = text(s, t.start, t.end);
    // Counted years (not 半年, not a month or a fiscal year): 5年以内, 三年後.
    let counted = words
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    (counted && words.contains('年') && !words.contains('月') && !words.contains("年度"))
        || words.ends_with('歳')
        || s.get(t.end) == Some(&'歳')
}

/// Both checks on the analysed sentence `s` (normalised) and its morphemes.
pub(super) fn check(s: &[char], ms: &[Morpheme]) -> Check {
    let mut times = time_expressions(s);
    let found = events(ms, &times);
    times.extend(found);
    times.retain(|t| t.role != TimeRole::Point || !(only_qualifies(ms, t) || counts_days(ms, t)));
    times.sort_by_key(|t| t.start);
    let preds = predicates(ms);
    let acting: Vec<&Pred> = preds.iter().filter(|p| !p.relative).collect();
    // The main act, when it is one anybody can see: an attitude or a feeling in a clause
    // before it is the reason or the manner, not the commitment
    // (「リーダーを目指して、来月から講座に通います」).
    let concrete_main = acting
        .last()
        .filter(|p| is_plain_act(p) && !(p.first > 0 && ms[p.first - 1].lemma == "よう"));
    // …and only as a purpose (〜ために, 〜を目指して) or a first step (見直して), not as
    // the manner of a routine act (「声のトーンに気をつけて電話に出ます」).
    let excused = |at: usize| {
        concrete_main.is_some_and(|m| {
            at < m.first
                && (ms[at..m.first]
                    .iter()
                    .any(|k| k.lemma == "ため" || k.surface == "ので")
                    || (PURPOSE_OR_STEP.contains(&ms[at].lemma.as_str())
                        && ms[at + 1..m.first]
                            .iter()
                            .any(|k| k.pos == "助詞" && k.pos1 == "接続助詞")))
        })
    };
    let measured = has_measure(s, &times);
    let mut reasons = Vec::new();

    // --- objectivity ---
    let mut objective = true;
    let mut marker: Option<String> = None;
    // What to rephrase, when it is not simply the words before the marker.
    let mut rephrase: Option<String> = None;
    let mut fail = |reason: Reason, m: String, objective: &mut bool| {
        if *objective {
            *objective = false;
            reasons.push(reason);
            marker = Some(m);
        }
    };
    // A wish: 〜たい on what the person does (not 「やりたいこと」), 〜と思う, つもり.
    for (i, m) in ms.iter().enumerate() {
        let said = ms.get(i + 1).is_some_and(|n| {
            (matches!(n.surface.as_str(), "こと" | "の" | "もの")
                && ms
                    .get(i + 2)
                    .is_some_and(|p| matches!(p.surface.as_str(), "を" | "が" | "について")))
                // 応募したいと伝える: what is told.
                || (n.surface == "と"
                    && ms.get(i + 2).is_some_and(|p| {
                        matches!(
                            p.lemma.as_str(),
                            "伝える" | "言う" | "話す" | "申し出る" | "相談する" | "書く"
                        )
                    }))
        });
        // 恩返ししたいので、…紹介します: the wish is the reason for a concrete act.
        let reason = gives_reason(ms, i) && concrete_main.is_some_and(|c| c.first > i);
        let wish =
            (m.pos == "助動詞" && m.lemma == "たい" && !describes_noun(ms, i) && !said && !reason)
                || (m.lemma == "つもり")
                || (m.surface == "と"
                    && ms
                        .get(i + 1)
                        .is_some_and(|n| n.lemma == "思う" || n.lemma == "考える")
                    && !reason);
        if wish {
            let start = acting
                .iter()
                .rev()
                .find(|p| p.verb <= i)
                .map_or(i, |p| p.first);
            let word = surface_from(ms, start);
            fail(Reason::Wish { word: word.clone() }, word, &mut objective);
        }
    }
    // Thinking, minding, trying: the predicate itself, or 〜ようにする.
    for p in &acting {
        let so_that = p.first > 0
            && ms[p.first - 1].surface == "に"
            && p.first > 1
            && ms[p.first - 2].lemma == "よう"
            && matches!(p.lemma.as_str(), "する" | "注意する" | "努める");
        let so_that = so_that || (p.first > 0 && ms[p.first - 1].lemma == "よう");
        // 〜よう頼む: asking someone else is the act.
        let so_that = so_that
            && !matches!(
                p.lemma.as_str(),
                "頼む" | "お願いする" | "依頼する" | "伝える" | "求める" | "言う"
            );
        if (ATTITUDE.contains(&p.lemma.as_str()) && !excused(p.verb)) || so_that {
            let word = surface_from(ms, p.first);
            fail(
                Reason::Attitude { word: word.clone() },
                word,
                &mut objective,
            );
        }
    }
    // A feeling as the manner of an act or a thing to have.
    for (i, m) in ms.iter().enumerate() {
        // The whole compound too: スピード+感, プロ+意識.
        let compound = noun_compound(&ms[..=i]);
        let feeling = FEELING.contains(&m.lemma.as_str())
            || (m.lemma == "感" && m.pos1 == "接尾" && i > 0)
            || FEELING
                .iter()
                .any(|f| f.chars().count() > 1 && compound.ends_with(f));
        if m.pos == "名詞"
            && feeling
            && ms.get(i + 1).is_some_and(|n| {
                n.surface == "で"
                    || n.surface == "を"
                    || n.surface == "が"
                    // 気持ち切り替えてく: the particle dropped in haste.
                    || (n.pos == "動詞" && n.pos1 == "自立")
            })
            && !describes_noun_after_particle(ms, i + 1)
            && !excused(i)
        {
            let start = (0..i)
                .rev()
                .take_while(|&k| !matches!(ms[k].pos.as_str(), "記号" | "助詞"))
                .last()
                .unwrap_or(i);
            let word = surface_from(ms, start);
            fail(
                Reason::Attitude { word: word.clone() },
                word,
                &mut objective,
            );
        }
    }
    // Only a description, no act (目標：信頼される人材).
    if acting.is_empty() && !preds.is_empty() && !measured && times.is_empty() {
        let word = text(s, 0, s.len());
        fail(Reason::State { word: word.clone() }, word, &mut objective);
    }
    // Nothing but qualities (・積極性 ・協調性, 気合い): no act at all.
    if acting.is_empty()
        && !measured
        && ms.iter().any(|m| {
            m.pos == "名詞"
                && (FEELING.contains(&m.lemma.as_str())
                    || (m.pos1 == "接尾" && matches!(m.lemma.as_str(), "性" | "感" | "力")))
        })
    {
        let word = text(s, 0, s.len());
        fail(
            Reason::Attitude { word: word.clone() },
            word,
            &mut objective,
        );
    }
    // Being rather than doing (信頼されるリーダーであり続ける, 頼れる先輩でいる).
    if let Some(p) = acting.last()
        && matches!(
            p.lemma.as_str(),
            "ある" | "いる" | "あり続ける" | "い続ける"
        )
        && p.first > 0
        && ms[p.first - 1].surface == "で"
    {
        let word = surface_from(ms, p.first - 1);
        fail(Reason::State { word: word.clone() }, word, &mut objective);
    }
    // Becoming rather than doing.
    if let Some(p) = acting.last()
        && p.lemma == "なる"
    {
        // Quote what they would become (存在になります); rephrase from what comes before.
        let ni = if ms[p.first].lemma == "よう" {
            p.first
        } else {
            p.first.saturating_sub(1)
        };
        let start = if ni == p.first {
            // 〜ようになる: quote the verb it follows (信頼されるようになります).
            let mut k = ni;
            while k > 0 && matches!(ms[k - 1].pos.as_str(), "助動詞" | "動詞") {
                k -= 1;
            }
            if k > 0 && ms[k - 1].pos1 == "サ変接続" {
                k -= 1;
            }
            k
        } else {
            (0..ni)
                .rev()
                .take_while(|&k| ms[k].pos == "名詞" || ms[k].pos == "接頭詞")
                .last()
                .unwrap_or(ni)
        };
        if objective {
            // 「後輩から頼られる存在になる」ために…: what they would become, as a goal.
            let before: String = ms[..p.first].iter().map(|m| m.surface.as_str()).collect();
            let before = before.strip_suffix('に').unwrap_or(&before).to_string();
            let become_ = if ms[p.first].lemma == "よう" {
                "ようになる"
            } else {
                "になる"
            };
            if !before.is_empty() {
                rephrase = Some(format!("{before}{become_}"));
            }
        }
        fail(
            Reason::State {
                word: surface_from(ms, start),
            },
            surface_from(ms, p.verb),
            &mut objective,
        );
    }
    // Doing, with only a manner to tell what (もっと勉強する, 楽しく働く, うまくやる).
    let recurring = times.iter().any(|t| t.role == TimeRole::Recurrence);
    if let Some(p) = acting.last()
        && GENERIC.contains(&p.lemma.as_str())
        && !goes_to_do(ms, p.first)
        && !measured
        && !recurring
        && p.first > 0
        && {
            let before = &ms[p.first - 1];
            before.pos == "副詞"
                || (before.pos == "形容詞" && before.surface.ends_with('く'))
                // 有意義に過ごす
                || (before.surface == "に"
                    && p.first >= 2
                    && ms[p.first - 2].pos1 == "形容動詞語幹")
        }
    {
        let word = surface_from(ms, p.first - 1);
        fail(
            Reason::Attitude { word: word.clone() },
            word,
            &mut objective,
        );
    }
    // Doing with nothing particular to do (準備を進める, 作業する).
    if let Some(p) = acting.last()
        && GENERIC.contains(&p.lemma.as_str())
        && !goes_to_do(ms, p.first)
        && !measured
        && !recurring
        && direct_object(ms, p.first)
            .or_else(|| topic_of(ms, p.first))
            .is_none_or(|(a, b)| {
                let object: String = ms[a..b].iter().map(|m| m.surface.as_str()).collect();
                ABSTRACT_OBJECT.iter().any(|w| object.ends_with(w))
            })
    {
        let word = surface_from(ms, direct_object(ms, p.first).map_or(p.first, |(a, _)| a));
        fail(
            Reason::Attitude { word: word.clone() },
            word,
            &mut objective,
        );
    }
    // Doing something made only of an attitude (寄り添ったサービスを提供する).
    if let Some(p) = acting.last()
        && let Some(a) = direct_object(ms, p.first)
            .map(|(a, _)| a)
            .or(Some(p.first).filter(|&f| f < p.verb))
        && let Some(r) = preds.iter().find(|r| {
            r.relative
                && ATTITUDE.contains(&r.lemma.as_str())
                && r.verb < a
                && ms[r.verb + 1..a]
                    .iter()
                    .all(|m| m.pos == "助動詞" || (m.pos == "動詞" && m.pos1 != "自立"))
        })
    {
        let word = surface_from(ms, r.first);
        fail(
            Reason::Attitude { word: word.clone() },
            word,
            &mut objective,
        );
    }
    // Making a quality (風通しのよい職場をつくる).
    if let Some(p) = acting.last()
        && matches!(p.lemma.as_str(), "つくる" | "作る" | "創る" | "築く")
        && !measured
        && let Some((a, b)) = direct_object(ms, p.first)
        && ABSTRACT_CREATION.contains(&ms[b - 1].lemma.as_str())
    {
        // The goal is the quality itself: 「風通しのよい職場をつくる」ために….
        let clause = (0..a)
            .rev()
            .find(|&k| ms[k].pos == "記号")
            .map_or(0, |k| k + 1);
        if objective {
            let goal: String = ms[clause..p.verb]
                .iter()
                .map(|m| m.surface.as_str())
                .chain([ms[p.verb].lemma.as_str()])
                .collect();
            rephrase = Some(goal);
        }
        let word = surface_from(ms, clause);
        fail(
            Reason::Attitude { word: word.clone() },
            word,
            &mut objective,
        );
    }
    // Manner nobody can check (こまめに, 積極的に…) unless a number or a schedule pins it.
    if let Some(w) = contains_any(s, &VAGUE_ADVERB)
        && !measured
        && !recurring
    {
        fail(
            Reason::Attitude {
                word: quote(s, w, false),
            },
            w.to_string(),
            &mut objective,
        );
    }
    // Making something better with no number saying by how much.
    let first_act = acting.iter().any(|p| FIRST_ACT.contains(&p.lemma.as_str()));
    if !measured
        && let Some(p) = acting.iter().find(|p| {
            p.evaluative || (IMPROVE.contains(&p.lemma.as_str()) && !uploads(ms, p.first))
        })
        && (p.evaluative || !first_act)
    {
        // Quote and rephrase from the object: 「関係をより良くします」 → 「関係を良くする」.
        let object = object_of(ms, p.first);
        let word = surface_from(ms, object.map_or(p.first, |(a, _)| a));
        let causative = ms
            .get(p.verb + 1)
            .filter(|n| n.pos == "動詞" && n.pos1 == "接尾" && n.lemma.ends_with("せる"));
        let verb: String = ms[p.first..p.verb]
            .iter()
            .map(|m| m.surface.as_str())
            .chain(match causative {
                // はっきりさせる: the causative keeps its own form.
                Some(n) => [ms[p.verb].surface.as_str(), n.lemma.as_str()],
                None => [ms[p.verb].lemma.as_str(), ""],
            })
            .collect();
        let core = match object {
            Some((a, b)) => format!(
                "{}を{verb}",
                ms[a..b]
                    .iter()
                    .map(|m| m.surface.as_str())
                    .collect::<String>()
            ),
            None => verb,
        };
        if objective {
            rephrase = Some(core);
        }
        fail(
            Reason::Unmeasured { word },
            surface_from(ms, p.first),
            &mut objective,
        );
    }
    // The old word lists still catch what the dictionary splits differently.
    if objective {
        let old = super::check(&text(s, 0, s.len()));
        if !old.objective
            && let Some(r) = old.reasons.first()
            && matches!(r, Reason::Attitude { .. } | Reason::Wish { .. })
            && !acting.iter().any(|p| FIRST_ACT.contains(&p.lemma.as_str()))
            && !(concrete_main.is_some()
                && (matches!(r, Reason::Wish { .. })
                    || concrete_main
                        .is_some_and(|c| ms[..c.first].iter().any(|m| m.lemma == "ため"))))
        {
            let word = r.word().to_string();
            fail(r.clone(), word, &mut objective);
        }
    }

    // --- start, on its own ---
    let main = acting.last();
    let outcome = main.is_some_and(|p| is_outcome(ms, p))
        && !acting
            .iter()
            .any(|p| STRONG_FIRST_ACT.contains(&p.lemma.as_str()));
    // Anything one simply does: not an outcome, an attitude, an improvement or a bare
    // "do".
    let doable = acting.iter().any(|p| is_plain_act(p) && !is_outcome(ms, p));
    let some_act = first_act || doable || contains_any(s, &FIRST_ACTION).is_some();
    let volume = counts_many(s, &times);
    let mut has_start = false;
    let mut deadline_on_outcome: Option<String> = None;
    for t in &times {
        let horizon = is_horizon(s, t);
        match t.role {
            TimeRole::Start => has_start = true,
            // 今年度は…: a frame for the whole sentence, not a moment to begin.
            TimeRole::Point if starts_with(s, t.end, "は") => {}
            TimeRole::Point if !outcome && !horizon => has_start = true,
            TimeRole::Deadline
                if some_act && !outcome && !horizon && (!volume || is_near(s, t)) =>
            {
                has_start = true
            }
            TimeRole::Point | TimeRole::Deadline => {
                if deadline_on_outcome.is_none() {
                    // A point on an outcome is quoted with its に (3年後に).
                    let mut markers = DEADLINE_MARKERS.to_vec();
                    markers.push("に");
                    deadline_on_outcome = Some(deadline_words(s, t, &markers));
                }
            }
            TimeRole::Recurrence => {}
        }
    }
    if !has_start {
        reasons.push(no_start_reason(s, deadline_on_outcome.as_deref()));
    }

    let core = marker.map(|m| rephrase.unwrap_or_else(|| core_before(s, &m)));
    let suggestion = rephrasing(s, &reasons, core, has_start, deadline_on_outcome.as_deref());
    Check {
        objective,
        has_start,
        reasons,
        suggestion,
    }
}

/// The object of the predicate starting at `first`: the nouns right before the を that
/// precedes it in the same clause, as (first, end) morpheme indices.
fn object_of(ms: &[Morpheme], first: usize) -> Option<(usize, usize)> {
    object_within(ms, first, |m| m.pos == "記号")
}

/// The object right before a predicate in its own clause (no verb or clause end between):
/// 「笑顔を絶やさず子どもと接する」 has none for 接する.
fn direct_object(ms: &[Morpheme], first: usize) -> Option<(usize, usize)> {
    object_within(ms, first, |m| {
        matches!(m.pos.as_str(), "記号" | "動詞" | "助動詞")
            || (m.pos == "助詞" && m.pos1 == "接続助詞")
    })
}

/// The nouns before the を nearest `first`, looking back no further than `ends_clause`.
fn object_within(
    ms: &[Morpheme],
    first: usize,
    ends_clause: impl Fn(&Morpheme) -> bool,
) -> Option<(usize, usize)> {
    let wo = (0..first)
        .rev()
        .take_while(|&k| !ends_clause(&ms[k]))
        .find(|&k| ms[k].surface == "を" && ms[k].pos == "助詞")?;
    Some((nouns_before(ms, wo)?, wo))
}

/// Where the run of nouns ending just before `end` begins, if there is one.
fn nouns_before(ms: &[Morpheme], end: usize) -> Option<usize> {
    (0..end)
        .rev()
        .take_while(|&k| ms[k].pos == "名詞" || ms[k].pos == "接頭詞")
        .last()
}

/// After a particle at `i`: does what follows only describe a noun
/// (「興味のある職種」 has の, not を; 「気持ちを書いたカード」)?
fn describes_noun_after_particle(ms: &[Morpheme], i: usize) -> bool {
    (i + 1..ms.len())
        .find(|&k| ms[k].pos == "動詞" && ms[k].pos1 == "自立")
        .is_some_and(|k| describes_noun(ms, k))
}

/// Is the predicate an outcome to reach (合格する, 点数を上げる, 資格を取る) rather than
/// an act? 取る and 受ける are one only with an achievement (アポを取る is an act).
fn is_outcome(ms: &[Morpheme], p: &Pred) -> bool {
    let achieved = || {
        ms[..p.first]
            .iter()
            .rev()
            .take_while(|m| m.pos != "記号")
            .take(6)
            .any(|m| ACHIEVEMENT.contains(&m.lemma.as_str()))
    };
    match p.lemma.as_str() {
        // 資格を取る, 表彰を受ける; not アポを取る, 研修を受ける.
        "取る" | "受ける" => achieved(),
        lemma => OUTCOME.contains(&lemma),
    }
}

/// 上げる with a destination (共有フォルダへ上げる, サイトに上げる): putting something
/// somewhere, not raising it.
fn uploads(ms: &[Morpheme], first: usize) -> bool {
    matches!(ms[first].lemma.as_str(), "上げる" | "あげる" | "アップする")
        && (0..first)
            .rev()
            .take_while(|&k| ms[k].pos != "記号")
            .any(|k| {
                ms[k].pos == "助詞"
                    && (ms[k].surface == "へ"
                        || (ms[k].surface == "に"
                            && k > 0
                            && ms[k - 1].pos == "名詞"
                            && !matches!(ms[k - 1].pos1.as_str(), "数" | "接尾" | "副詞可能")))
            })
}

/// A count above one of things or times, outside the time expressions (「10冊」「3社」;
/// not 「1回ずつ」 or 「30分」).
fn counts_many(s: &[char], times: &[TimeExpr]) -> bool {
    let inside = |i: usize| times.iter().any(|t| t.start <= i && i < t.end);
    let mut i = 0;
    while i < s.len() {
        if inside(i) || !(s[i].is_ascii_digit() || "一二三四五六七八九十百千".contains(s[i]))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < s.len() && (s[i].is_ascii_digit() || "一二三四五六七八九十百千万".contains(s[i]))
        {
            i += 1;
        }
        let number: String = s[start..i].iter().collect();
        let one = number == "1" || number == "一";
        if !one && COUNTERS.iter().any(|c| super::starts_with(s, i, c)) {
            return true;
        }
    }
    false
}

/// A deadline close enough that what is due by it is begun at once (今週中に, 今月中に,
/// 10月中に, 夏休み中に).
fn is_near(s: &[char], t: &TimeExpr) -> bool {
    let words = text(s, t.start, t.end);
    NEAR.iter().any(|w| words.contains(w))
        // A weekday (月曜の午前中に) is this week or next.
        || words.contains('曜')
        // The next meeting (次の1on1までに) is near by definition.
        || ["次", "次回", "今度"].iter().any(|w| words.starts_with(w))
        || (words.contains('月')
            && !words.contains('年')
            && !words.contains("ヶ")
            && !words.contains("か月")
            && !words.contains("カ月")
            && words.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// For a predicate made from a noun (簿記の勉強をする): the nouns joined to it by の.
fn topic_of(ms: &[Morpheme], first: usize) -> Option<(usize, usize)> {
    let no = first.checked_sub(1).filter(|&k| ms[k].surface == "の")?;
    Some((nouns_before(ms, no)?, no))
}

/// 聞きに行く, 食べ比べに行く, 説明会に行く: going is how the act or the event before it
/// is reached.
fn goes_to_do(ms: &[Morpheme], first: usize) -> bool {
    matches!(ms[first].lemma.as_str(), "行く" | "いく" | "来る" | "くる")
        && first >= 2
        && ms[first - 1].surface == "に"
        && {
            let before = &ms[first - 2];
            before.pos == "動詞"
                || before.pos1 == "サ変接続"
                || (first >= 3 && ms[first - 3].pos == "動詞")
                || EVENT.iter().any(|e| before.surface.ends_with(e))
        }
}

/// An act in itself: not an attitude, a bare "do", an improvement, a change of state or
/// becoming.
fn is_plain_act(p: &Pred) -> bool {
    let lemma = p.lemma.as_str();
    !(ATTITUDE.contains(&lemma)
        || GENERIC.contains(&lemma)
        || IMPROVE.contains(&lemma)
        || p.evaluative
        || lemma == "なる")
}

/// 「有給休暇を15日取る」: a number of days taken, not the 15th — the figure goes straight
/// into a verb.
fn counts_days(ms: &[Morpheme], t: &TimeExpr) -> bool {
    morpheme_at(ms, t.end).is_some_and(|k| {
        ms[k].pos == "動詞"
            // 平均12日にする: a figure to reach; 一日でも早く: as soon as can be.
            || (ms[k].surface == "に"
                && ms.get(k + 1).is_some_and(|n| matches!(n.lemma.as_str(), "する" | "なる")))
            || ms[k].surface == "でも"
    })
}

/// After the wish at `i` (〜たい, 〜と思う), does a reason clause follow
/// (〜たいので, 〜たいと考えているので)? Then the wish is why, not what.
fn gives_reason(ms: &[Morpheme], i: usize) -> bool {
    ms[i + 1..]
        .iter()
        .find(|m| {
            !(m.pos == "助動詞"
                || (m.pos == "動詞" && m.pos1 != "自立")
                || matches!(m.surface.as_str(), "と" | "て")
                || matches!(m.lemma.as_str(), "思う" | "考える"))
        })
        .is_some_and(|m| matches!(m.surface.as_str(), "ので" | "から" | "ため"))
}

/// The morpheme that begins at character `offset` of the sentence, if one does.
fn morpheme_at(ms: &[Morpheme], offset: usize) -> Option<usize> {
    let mut at = 0usize;
    for (k, m) in ms.iter().enumerate() {
        if at == offset {
            return Some(k);
        }
        if at > offset {
            return None;
        }
        at += m.surface.chars().count();
    }
    None
}

/// The nouns at the end of `ms`, written together (スピード+感 → スピード感).
fn noun_compound(ms: &[Morpheme]) -> String {
    let start = ms.len() - ms.iter().rev().take_while(|m| m.pos == "名詞").count();
    ms[start..].iter().map(|m| m.surface.as_str()).collect()
}
