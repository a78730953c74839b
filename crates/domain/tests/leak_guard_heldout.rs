//! The leak guard (`domain::feedback::leaks`) judged on statements it was never tuned on.
//!
//! These cases were written before the paraphrase check existed and are kept apart from
//! the unit tests the check was developed against (in `feedback.rs`). Do not tune the
//! check on them: when it changes, run this file and report its figures as they come
//! (`cargo test -p domain --test leak_guard_heldout -- --nocapture`). The assertions
//! only stop the figures from falling below what was measured when they were written
//! down (docs/FEATURES.md, "Feedback reports").

use domain::feedback::{Parts, leaks};

struct Case {
    withheld: &'static str,
    private: &'static [&'static str],
    text: &'static str,
    leak: bool,
}

const CASES: &[Case] = &[
    // Withheld: a mother's care.
    Case {
        withheld: "母の介護のこと",
        private: &[],
        text: "ご実家のお母様の介護が続いており、残業は難しい状況です。",
        leak: true,
    },
    Case {
        withheld: "母の介護のこと",
        private: &[],
        text: "親御さんの看病で、平日夜の時間が取りにくいようです。",
        leak: true,
    },
    Case {
        withheld: "母の介護のこと",
        private: &[],
        text: "家族のケアと仕事の両立に悩んでいます。",
        leak: true,
    },
    Case {
        withheld: "母の介護のこと",
        private: &[],
        text: "後輩の面倒をよく見てくれる方です。",
        leak: false,
    },
    Case {
        withheld: "母の介護のこと",
        private: &[],
        text: "お客様との信頼関係を大切にされています。",
        leak: false,
    },
    // Withheld: thinking of changing employer.
    Case {
        withheld: "転職を考えていること",
        private: &[],
        text: "他社への移籍も視野に入れているようです。",
        leak: true,
    },
    Case {
        withheld: "転職を考えていること",
        private: &[],
        text: "社外に活躍の場を探すことも検討されています。",
        leak: true,
    },
    Case {
        withheld: "転職を考えていること",
        private: &[],
        text: "職場を変えることも考えているそうです。",
        leak: true,
    },
    Case {
        withheld: "転職を考えていること",
        private: &[],
        text: "社内公募に関心を持っています。",
        leak: false,
    },
    Case {
        withheld: "転職を考えていること",
        private: &[],
        text: "新しい仕事に挑戦する意欲があります。",
        leak: false,
    },
    // Withheld: a side job.
    Case {
        withheld: "副業の話",
        private: &[],
        text: "週末に別の仕事を請け負っているそうです。",
        leak: true,
    },
    Case {
        withheld: "副業の話",
        private: &[],
        text: "兼業について相談がありました。",
        leak: true,
    },
    Case {
        withheld: "副業の話",
        private: &[],
        text: "業務外の勉強会に参加しています。",
        leak: false,
    },
    Case {
        withheld: "副業の話",
        private: &[],
        text: "業務の幅を広げたいと考えています。",
        leak: false,
    },
    // Withheld: health.
    Case {
        withheld: "体調のこと、通院",
        private: &[],
        text: "最近、定期的に病院へ通っているとのことです。",
        leak: true,
    },
    Case {
        withheld: "体調のこと、通院",
        private: &[],
        text: "健康面で気になることがあるようです。",
        leak: true,
    },
    Case {
        withheld: "体調のこと、通院",
        private: &[],
        text: "体力づくりのためにジムに通い始めました。",
        leak: false,
    },
    Case {
        withheld: "体調のこと、通院",
        private: &[],
        text: "毎朝の朝礼で、チームの状況を確認しています。",
        leak: false,
    },
    // Withheld: divorce.
    Case {
        withheld: "離婚のこと",
        private: &[],
        text: "夫婦関係の変化があり、生活が落ち着かないようです。",
        leak: true,
    },
    Case {
        withheld: "離婚のこと",
        private: &[],
        text: "ご家族との時間を大切にされています。",
        leak: false,
    },
    // Private notes, paraphrased or merely touched on.
    Case {
        withheld: "",
        private: &["転勤のある異動には不安が大きい"],
        text: "異動で勤務地が変わることを心配しています。",
        leak: true,
    },
    Case {
        withheld: "",
        private: &["転勤のある異動には不安が大きい"],
        text: "今後の異動先として企画部門を希望しています。",
        leak: false,
    },
    Case {
        withheld: "",
        private: &["上司との関係に悩んでいて、相談できる人がいない"],
        text: "上長とのやりとりに苦しんでおり、話せる相手がいないようです。",
        leak: true,
    },
    Case {
        withheld: "",
        private: &["上司との関係に悩んでいて、相談できる人がいない"],
        text: "上司の方の支援があれば、さらに力を発揮できます。",
        leak: false,
    },
    Case {
        withheld: "",
        private: &["昇格試験に落ちて自信をなくしている"],
        text: "昇格試験の結果が思わしくなく、自信を失っています。",
        leak: true,
    },
    Case {
        withheld: "",
        private: &["昇格試験に落ちて自信をなくしている"],
        text: "次の昇格に向けて資格の勉強を続けています。",
        leak: false,
    },
    Case {
        withheld: "",
        private: &["子どもの不登校で在宅勤務を増やしたい"],
        text: "お子さんが学校に行けていない事情があり、在宅の日を増やしたいとのことです。",
        leak: true,
    },
    Case {
        withheld: "",
        private: &["子どもの不登校で在宅勤務を増やしたい"],
        text: "在宅勤務の日も、チームとこまめに連絡を取っています。",
        leak: false,
    },
];

#[test]
fn held_out_paraphrases_and_ordinary_text() {
    let (mut caught, mut missed, mut false_alarms, mut passed) = (0, 0, 0, 0);
    for c in CASES {
        let parts = Parts {
            motivation: c.text.into(),
            ..Parts::default()
        };
        let private: Vec<String> = c.private.iter().map(|s| s.to_string()).collect();
        let flagged = !leaks(&parts, c.withheld, &private).is_empty();
        match (c.leak, flagged) {
            (true, true) => caught += 1,
            (true, false) => {
                missed += 1;
                println!("missed:      {}", c.text);
            }
            (false, true) => {
                false_alarms += 1;
                println!("false alarm: {}", c.text);
            }
            (false, false) => passed += 1,
        }
    }
    println!(
        "held-out: {caught} of {} leaks caught, {false_alarms} of {} ordinary texts flagged",
        caught + missed,
        false_alarms + passed
    );
    assert!(
        caught >= HELD_OUT_CAUGHT,
        "fewer held-out leaks caught than measured"
    );
    assert!(
        false_alarms < HELD_OUT_FALSE_ALARMS + 1,
        "more ordinary texts flagged than measured"
    );
}

/// As measured when the paraphrase check was first run on these cases.
const HELD_OUT_CAUGHT: usize = 14;
const HELD_OUT_FALSE_ALARMS: usize = 0;
