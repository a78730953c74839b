//! 質問集 (question bank): person-focused questions for career dialogues — about meaning,
//! values, the people someone admires, how they want to be, what changed — as opposed to
//! questions about the status of tasks. The built-in questions are our own wording, in
//! Japanese and English; each tenant may add its own.

use serde::{Deserialize, Serialize};

/// The categories of the bank, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// やりがい・充実感
    Meaning,
    /// 大切にしている価値観
    Values,
    /// 憧れの人・目標の人
    AdmiredPeople,
    /// ありたい姿
    HowToBe,
    /// 数か月前からの変化
    Change,
    /// 強み
    Strengths,
    /// 不安・悩み
    Worries,
    /// これから・将来
    Future,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Meaning,
        Category::Values,
        Category::AdmiredPeople,
        Category::HowToBe,
        Category::Change,
        Category::Strengths,
        Category::Worries,
        Category::Future,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Category::Meaning => "meaning",
            Category::Values => "values",
            Category::AdmiredPeople => "admired_people",
            Category::HowToBe => "how_to_be",
            Category::Change => "change",
            Category::Strengths => "strengths",
            Category::Worries => "worries",
            Category::Future => "future",
        }
    }

    pub fn parse(key: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// A built-in question: category, Japanese, English.
pub struct BuiltIn {
    pub category: Category,
    pub ja: &'static str,
    pub en: &'static str,
}

const fn q(category: Category, ja: &'static str, en: &'static str) -> BuiltIn {
    BuiltIn { category, ja, en }
}

/// The questions every tenant starts with.
pub const BUILT_IN: [BuiltIn; 24] = [
    q(
        Category::Meaning,
        "最近の仕事で、時間を忘れて取り組めたのはどんな場面でしたか。",
        "When in your recent work did you lose track of time?",
    ),
    q(
        Category::Meaning,
        "「この仕事をしていてよかった」と感じたのは、どんなときですか。",
        "When did you last feel glad to be doing this work?",
    ),
    q(
        Category::Meaning,
        "誰の役に立てたときに、一番うれしいと感じますか。",
        "Whose gratitude means the most to you, and why?",
    ),
    q(
        Category::Values,
        "仕事を選ぶとき、これだけは譲れないと思うことは何ですか。",
        "What would you never give up when choosing your work?",
    ),
    q(
        Category::Values,
        "最近、違和感を覚えた出来事はありますか。それはなぜだと思いますか。",
        "Has anything lately felt wrong to you? Why do you think it did?",
    ),
    q(
        Category::Values,
        "働くうえで、大切にしている言葉や考え方はありますか。",
        "Is there a saying or a principle you hold on to at work?",
    ),
    q(
        Category::AdmiredPeople,
        "「あの人のようになりたい」と思う人はいますか。どんなところに惹かれますか。",
        "Is there someone you would like to be like? What draws you to them?",
    ),
    q(
        Category::AdmiredPeople,
        "これまでに一番影響を受けた上司や先輩は誰ですか。",
        "Which manager or senior colleague influenced you the most?",
    ),
    q(
        Category::AdmiredPeople,
        "社外で、働き方が気になっている人はいますか。",
        "Is there anyone outside the company whose way of working interests you?",
    ),
    q(
        Category::HowToBe,
        "5年後、周りの人からどんな人だと言われていたいですか。",
        "In five years, how would you like others to describe you?",
    ),
    q(
        Category::HowToBe,
        "仕事と生活のバランスは、どんな形が理想ですか。",
        "What balance between work and the rest of your life would be ideal?",
    ),
    q(
        Category::HowToBe,
        "理想の一日の過ごし方を聞かせてください。",
        "Tell me about an ideal working day.",
    ),
    q(
        Category::Change,
        "数か月前の自分と比べて、変わったと思うことは何ですか。",
        "Compared with a few months ago, what has changed in you?",
    ),
    q(
        Category::Change,
        "前回お話ししたことで、その後考えが変わったことはありますか。",
        "Has your thinking changed on anything we talked about last time?",
    ),
    q(
        Category::Change,
        "最近、新しく始めたことや、やめたことはありますか。",
        "Have you started or stopped anything recently?",
    ),
    q(
        Category::Strengths,
        "周りの人から、よく頼まれることは何ですか。",
        "What do people around you often ask you to do?",
    ),
    q(
        Category::Strengths,
        "他の人は苦労しているのに、自分には当たり前にできることはありますか。",
        "What comes easily to you that others find hard?",
    ),
    q(
        Category::Strengths,
        "これまでで一番うまくいった仕事は何ですか。何が効いたと思いますか。",
        "What is the work that went best for you so far? What made it work?",
    ),
    q(
        Category::Worries,
        "今、キャリアについて一番気がかりなことは何ですか。",
        "What concerns you most about your career right now?",
    ),
    q(
        Category::Worries,
        "挑戦してみたいのに、踏み出せていないことはありますか。何が止めていますか。",
        "Is there something you want to try but have not? What holds you back?",
    ),
    q(
        Category::Worries,
        "仕事以外で、働き方に影響しそうなことはありますか。",
        "Is anything outside work likely to affect how you work?",
    ),
    q(
        Category::Future,
        "もし制約が何もなかったら、どんな仕事をしてみたいですか。",
        "If nothing held you back, what work would you like to do?",
    ),
    q(
        Category::Future,
        "これから身につけたい知識やスキルは何ですか。",
        "What would you like to learn next?",
    ),
    q(
        Category::Future,
        "そのために、最初の一歩として何ができそうですか。",
        "What could be a first step towards it?",
    ),
];

/// At most this many characters in a question a tenant adds.
pub const MAX_QUESTION_CHARS: usize = 300;

/// A question a tenant adds: Japanese required, English optional; trimmed, one line.
/// Errors: `required`, `too_long`, `line_break`.
pub fn parse_question(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        Err("required")
    } else if t.contains(['\n', '\r']) {
        Err("line_break")
    } else if t.chars().count() > MAX_QUESTION_CHARS {
        Err("too_long")
    } else {
        Ok(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_built_in_questions_in_both_languages() {
        for c in Category::ALL {
            let n = BUILT_IN.iter().filter(|b| b.category == c).count();
            assert!(n >= 3, "{c:?} has {n}");
            assert_eq!(Category::parse(c.key()), Some(c));
        }
        for b in &BUILT_IN {
            assert!(!b.ja.is_empty() && !b.en.is_empty());
            assert!(b.ja.chars().count() <= MAX_QUESTION_CHARS);
        }
    }

    #[test]
    fn added_questions_are_one_trimmed_line_within_the_limit() {
        assert_eq!(
            parse_question("  最近、誰と話しましたか。 "),
            Ok("最近、誰と話しましたか。".into())
        );
        assert_eq!(parse_question("  "), Err("required"));
        assert_eq!(parse_question("一行目\n二行目"), Err("line_break"));
        assert_eq!(
            parse_question(&"問".repeat(MAX_QUESTION_CHARS + 1)),
            Err("too_long")
        );
        assert!(parse_question(&"問".repeat(MAX_QUESTION_CHARS)).is_ok());
    }
}
