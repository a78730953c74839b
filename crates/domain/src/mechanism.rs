//! 自律のメカニズム: what makes people act (DOMAIN.md: What makes people act). All three
//! together make people act almost always:
//!
//! 1. **Emotion** — an event or non-event that moved them (the career sheet's events);
//! 2. **Confidence** — past successes they may not even see (the sheet's successes);
//! 3. **Merits outweigh demerits** (損益分岐) — weighed by the person on the interview's
//!    worksheet.
//!
//! The facilitator sees which condition looks missing and the approach that fits it.

use serde::Serialize;

/// Which side of the worksheet an item is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// What acting would gain (メリット).
    Merit,
    /// What it would cost (デメリット).
    Demerit,
}

impl Side {
    pub fn key(self) -> &'static str {
        match self {
            Side::Merit => "merit",
            Side::Demerit => "demerit",
        }
    }

    pub fn parse(key: &str) -> Option<Side> {
        [Side::Merit, Side::Demerit]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// Weights run from 1 (a little) to 5 (a great deal), as the person feels them.
pub const WEIGHTS: std::ops::RangeInclusive<u8> = 1..=5;
/// At most this many characters in one item.
pub const MAX_ITEM_CHARS: usize = 200;

/// Reads one worksheet item as typed.
pub fn parse_item(
    side: &str,
    text: &str,
    weight: &str,
) -> Result<(Side, String, u8), &'static str> {
    let side = Side::parse(side).ok_or("side")?;
    let text = text.trim();
    if text.is_empty() {
        return Err("empty");
    }
    if text.chars().count() > MAX_ITEM_CHARS {
        return Err("too_long");
    }
    let weight = weight
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|w| WEIGHTS.contains(w))
        .ok_or("weight")?;
    Ok((side, text.to_string(), weight))
}

/// The balance: total weight of merits minus that of demerits.
pub fn balance(items: &[(Side, u8)]) -> i32 {
    items
        .iter()
        .map(|(s, w)| match s {
            Side::Merit => i32::from(*w),
            Side::Demerit => -i32::from(*w),
        })
        .sum()
}

/// The three conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Emotion,
    Confidence,
    Merits,
}

impl Condition {
    pub const ALL: [Condition; 3] = [Condition::Emotion, Condition::Confidence, Condition::Merits];

    pub fn key(self) -> &'static str {
        match self {
            Condition::Emotion => "emotion",
            Condition::Confidence => "confidence",
            Condition::Merits => "merits",
        }
    }
}

/// What the facilitator knows about the three conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signs {
    /// The career sheet names events or non-events that moved them (shared with the facilitator).
    pub moving_events: bool,
    /// The career sheet names past successes.
    pub successes: bool,
    /// The worksheet's balance, when it has items.
    pub balance: Option<i32>,
}

/// The conditions that look missing, in the order to work on them.
pub fn missing(signs: &Signs) -> Vec<Condition> {
    let mut out = Vec::new();
    if !signs.moving_events {
        out.push(Condition::Emotion);
    }
    if !signs.successes {
        out.push(Condition::Confidence);
    }
    if signs.balance.is_none_or(|b| b <= 0) {
        out.push(Condition::Merits);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_balance_weighs_merits_against_demerits() {
        assert_eq!(balance(&[]), 0);
        assert_eq!(
            balance(&[(Side::Merit, 5), (Side::Demerit, 3), (Side::Merit, 1)]),
            3
        );
        assert_eq!(balance(&[(Side::Demerit, 4)]), -4);
        assert_eq!(
            parse_item("merit", " 新しい人脈 ", "4"),
            Ok((Side::Merit, "新しい人脈".into(), 4))
        );
        assert_eq!(parse_item("merit", "x", "6"), Err("weight"));
        assert_eq!(parse_item("merit", " ", "3"), Err("empty"));
        assert_eq!(parse_item("maybe", "x", "3"), Err("side"));
        assert_eq!(
            parse_item("demerit", &"あ".repeat(MAX_ITEM_CHARS + 1), "3"),
            Err("too_long")
        );
    }

    #[test]
    fn the_missing_conditions_are_named_in_order() {
        let all = Signs {
            moving_events: true,
            successes: true,
            balance: Some(2),
        };
        assert!(missing(&all).is_empty());
        assert_eq!(
            missing(&Signs {
                successes: false,
                ..all
            }),
            vec![Condition::Confidence]
        );
        // Even or unweighed: the merits do not yet outweigh the demerits.
        assert_eq!(
            missing(&Signs {
                balance: Some(0),
                ..all
            }),
            vec![Condition::Merits]
        );
        assert_eq!(
            missing(&Signs {
                balance: None,
                ..all
            }),
            vec![Condition::Merits]
        );
        assert_eq!(
            missing(&Signs {
                moving_events: false,
                successes: false,
                balance: Some(-1)
            }),
            Condition::ALL.to_vec()
        );
    }
}
