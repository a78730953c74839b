//! 相談相手の提案: ten consultants proposed from an employee's values diagnosis, each with
//! the reasons it was proposed, varied rather than ten of a kind (DOMAIN.md: Consultant
//! matching).
//!
//! Two steps. [`score`] rates each consultant against the wish: the themes the employee
//! wants to talk about, how those themes fit their strongest career anchors, the
//! preferences they gave, room in the consultant's month and open slots in the next
//! weeks, and ratings so far. [`propose`] then picks ten by maximal marginal relevance:
//! each next pick weighs its own score against how much it resembles those already
//! picked (themes, style, age band, gender), so a crowd of near-identical profiles
//! cannot fill the list while others fit too. Consultants with no room left this month
//! are never proposed. Ties go to the lower id, so the same inputs give the same ten.

use crate::anchor::Anchor;
use crate::consultant::{AgeBand, Diagnosis, Gender, Setting, Style, Theme};
use serde::Serialize;

/// How many consultants a proposal holds.
pub const PROPOSALS: usize = 10;
/// The weight of relevance against difference in each pick (1.0 = score alone).
pub const LAMBDA: f64 = 0.7;
/// Ratings count towards the score (and are named as a reason) only from this many on.
pub const MIN_RATINGS: u32 = 3;
/// How far ahead open slots count ("open slots in the next weeks").
pub const SLOT_WEEKS: i64 = 4;

/// The themes a career anchor leans towards: someone anchored in autonomy often wants to
/// talk about going independent, someone anchored in lifestyle about care and work.
pub fn themes_of_anchor(anchor: Anchor) -> &'static [Theme] {
    match anchor {
        Anchor::TechnicalFunctional => &[Theme::Relearning, Theme::JobChange],
        Anchor::GeneralManagerial => &[Theme::Management, Theme::Transfer],
        Anchor::Autonomy => &[Theme::Independence, Theme::JobChange],
        Anchor::Security => &[Theme::MiddleSenior, Theme::AfterRetirement],
        Anchor::Entrepreneurial => &[Theme::Independence],
        Anchor::Service => &[Theme::Transfer, Theme::Relearning],
        Anchor::PureChallenge => &[Theme::JobChange, Theme::Transfer],
        Anchor::Lifestyle => &[Theme::CareAndWork, Theme::BeforeBurnout],
    }
}

/// What the employee brings: their diagnosis and their strongest anchors (none when
/// they have not taken the inventory — proposals then come from themes alone).
#[derive(Debug, Clone)]
pub struct Wish {
    pub themes: Vec<Theme>,
    pub anchors: Vec<Anchor>,
    pub style: Option<Style>,
    pub age_band: Option<AgeBand>,
    pub gender: Option<Gender>,
    /// Industry words the employee typed, already split and folded (see [`words`]).
    pub industry_words: Vec<String>,
    pub setting: Setting,
}

impl Wish {
    pub fn new(d: &Diagnosis, anchors: Vec<Anchor>) -> Wish {
        Wish {
            themes: d.themes.clone(),
            anchors,
            style: d.style,
            age_band: d.age_band,
            gender: d.gender,
            industry_words: words(&d.industry),
            setting: d.setting,
        }
    }
}

/// A consultant as the matching sees them.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub themes: Vec<Theme>,
    pub style: Style,
    pub age_band: Option<AgeBand>,
    pub gender: Option<Gender>,
    /// The industries they know, folded (see [`fold`]).
    pub industries: String,
    pub years_of_practice: u8,
    /// Sessions they can still take this month (capacity less sessions booked).
    pub room_this_month: u32,
    /// Open slots in the next [`SLOT_WEEKS`] weeks, online and in person.
    pub open_online: u32,
    pub open_in_person: u32,
    /// Mean rating (1–5) and how many ratings.
    pub rating: Option<(f64, u32)>,
}

/// Why a consultant was proposed, strongest first. Pages and the command line word
/// each in the reader's language (`matching.reason.*`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Knows a theme the employee wants to talk about.
    Theme {
        theme: Theme,
    },
    /// Knows a theme that fits one of the employee's strongest anchors.
    AnchorFit {
        anchor: Anchor,
        theme: Theme,
    },
    /// Works in the style the employee asked for.
    Style {
        style: Style,
    },
    AgeBand {
        age_band: AgeBand,
    },
    Gender {
        gender: Gender,
    },
    /// Knows an industry the employee named.
    Industry {
        word: String,
    },
    /// Has open slots in the setting the employee prefers.
    Setting {
        setting: Setting,
    },
    /// Open slots in the next weeks.
    OpenSlots {
        count: u32,
    },
    /// Those who talked with them rated them well.
    WellRated {
        mean_tenths: u32,
        count: u32,
    },
    /// Years of practice (every proposal can at least say this).
    Experience {
        years: u8,
    },
}

/// One consultant's relevance and the reasons behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Text folded for matching industry words: NFKC-like width folding and lower case.
pub fn fold(text: &str) -> String {
    crate::import::values::normalise(text).to_lowercase()
}

/// The words of a free-text industry wish: split at the usual separators, folded,
/// empty ones dropped.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(['、', ',', '・', '/', ' ', '　', '。', ';', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Rates one consultant against the wish; `None` when they have no room this month.
pub fn score(wish: &Wish, c: &Candidate) -> Option<Scored> {
    let mut reasons = Vec::new();
    let score = evaluate(wish, c, Some(&mut reasons))?;
    Some(Scored { score, reasons })
}

/// The score alone, with nothing allocated: what [`propose`] computes for every
/// consultant before it words the reasons of the few it shortlists.
fn score_only(wish: &Wish, c: &Candidate) -> Option<f64> {
    evaluate(wish, c, None)
}

/// The one scoring, with or without its reasons.
fn evaluate(wish: &Wish, c: &Candidate, mut reasons: Option<&mut Vec<Reason>>) -> Option<f64> {
    if c.room_this_month == 0 {
        return None;
    }
    let mut say = |r: &dyn Fn() -> Reason| {
        if let Some(v) = reasons.as_deref_mut() {
            v.push(r());
        }
    };
    let mut score = 0.0;
    for t in &wish.themes {
        if c.themes.contains(t) {
            score += 3.0;
            say(&|| Reason::Theme { theme: *t });
        }
    }
    // Anchor fit counts once per anchor, and only for themes not already wished.
    for a in &wish.anchors {
        if let Some(t) = themes_of_anchor(*a)
            .iter()
            .find(|t| c.themes.contains(t) && !wish.themes.contains(t))
        {
            score += 1.5;
            say(&|| Reason::AnchorFit {
                anchor: *a,
                theme: *t,
            });
        }
    }
    if wish.style == Some(c.style) {
        score += 1.0;
        say(&|| Reason::Style { style: c.style });
    }
    if let Some(w) = wish
        .industry_words
        .iter()
        .find(|w| c.industries.contains(*w))
    {
        score += 1.0;
        say(&|| Reason::Industry { word: w.clone() });
    }
    if let (Some(want), Some(is)) = (wish.age_band, c.age_band)
        && want == is
    {
        score += 0.5;
        say(&|| Reason::AgeBand { age_band: is });
    }
    if let (Some(want), Some(is)) = (wish.gender, c.gender)
        && want == is
    {
        score += 0.5;
        say(&|| Reason::Gender { gender: is });
    }
    let open = match wish.setting {
        Setting::Online => c.open_online,
        Setting::InPerson => c.open_in_person,
        Setting::Either => c.open_online + c.open_in_person,
    };
    if wish.setting != Setting::Either && open > 0 {
        score += 0.5;
        say(&|| Reason::Setting {
            setting: wish.setting,
        });
    }
    if open > 0 {
        score += f64::from(open.min(4)) / 4.0;
        say(&|| Reason::OpenSlots { count: open });
    }
    if let Some((mean, n)) = c.rating
        && n >= MIN_RATINGS
    {
        score += (mean - 3.0) / 2.0;
        if mean >= 4.0 {
            say(&|| Reason::WellRated {
                mean_tenths: (mean * 10.0).round() as u32,
                count: n,
            });
        }
    }
    score += f64::from(c.years_of_practice.min(20)) / 40.0;
    say(&|| Reason::Experience {
        years: c.years_of_practice,
    });
    Some(score)
}

/// How alike two consultants are, 0–1: the Jaccard index of their features (themes,
/// style, age band, gender).
pub fn similarity(a: &Candidate, b: &Candidate) -> f64 {
    let mut shared = a.themes.iter().filter(|t| b.themes.contains(t)).count();
    let mut all = a.themes.len() + b.themes.len() - shared;
    let mut feature = |x: bool, present: bool| {
        if present {
            all += 1;
            if x {
                shared += 1;
            } else {
                all += 1;
            }
        }
    };
    feature(a.style == b.style, true);
    feature(
        a.age_band == b.age_band,
        a.age_band.is_some() || b.age_band.is_some(),
    );
    feature(
        a.gender == b.gender,
        a.gender.is_some() || b.gender.is_some(),
    );
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

/// One proposal: which candidate (by index into the slice given), with its score and
/// reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub index: usize,
    pub id: i64,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// How many of the best-scoring candidates the diversification step looks at.
const SHORTLIST: usize = 200;

/// Up to `n` proposals: scored, shortlisted, then picked by maximal marginal relevance.
/// Deterministic: equal scores go to the lower id.
pub fn propose(wish: &Wish, candidates: &[Candidate], n: usize) -> Vec<Proposal> {
    // Every consultant's score, without reasons; the best SHORTLIST go on.
    let mut quick: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score_only(wish, c).map(|s| (i, s)))
        .collect();
    let better = |a: &(usize, f64), b: &(usize, f64)| {
        b.1.total_cmp(&a.1)
            .then(candidates[a.0].id.cmp(&candidates[b.0].id))
    };
    if quick.len() > SHORTLIST {
        quick.select_nth_unstable_by(SHORTLIST - 1, better);
        quick.truncate(SHORTLIST);
    }
    quick.sort_by(better);
    let mut scored: Vec<(usize, Scored)> = quick
        .into_iter()
        .filter_map(|(i, _)| score(wish, &candidates[i]).map(|s| (i, s)))
        .collect();
    let top = scored.first().map(|s| s.1.score).unwrap_or(0.0);
    let relevance = |s: f64| if top > 0.0 { s / top } else { 0.0 };
    let mut picked: Vec<(usize, Scored)> = Vec::with_capacity(n);
    while picked.len() < n && !scored.is_empty() {
        let mut best: Option<(usize, f64)> = None;
        for (pos, (i, s)) in scored.iter().enumerate() {
            let nearest = picked
                .iter()
                .map(|(j, _)| similarity(&candidates[*i], &candidates[*j]))
                .fold(0.0, f64::max);
            let mmr = LAMBDA * relevance(s.score) - (1.0 - LAMBDA) * nearest;
            // `scored` is in order (score, then id), so a strict > keeps ties stable.
            if best.is_none_or(|(_, b)| mmr > b) {
                best = Some((pos, mmr));
            }
        }
        let Some((pos, _)) = best else { break };
        picked.push(scored.remove(pos));
    }
    picked
        .into_iter()
        .map(|(i, s)| Proposal {
            index: i,
            id: candidates[i].id,
            score: (s.score * 100.0).round() / 100.0,
            reasons: s.reasons,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wish() -> Wish {
        Wish {
            themes: vec![Theme::CareAndWork],
            anchors: vec![Anchor::Lifestyle],
            style: Some(Style::Listen),
            age_band: None,
            gender: None,
            industry_words: words("製造、小売"),
            setting: Setting::Online,
        }
    }

    fn candidate(id: i64, themes: &[Theme], style: Style) -> Candidate {
        Candidate {
            id,
            themes: themes.to_vec(),
            style,
            age_band: None,
            gender: None,
            industries: String::new(),
            years_of_practice: 5,
            room_this_month: 5,
            open_online: 2,
            open_in_person: 0,
            rating: None,
        }
    }

    #[test]
    fn the_reasons_name_what_fits_and_no_room_means_no_proposal() {
        let mut c = candidate(
            1,
            &[Theme::CareAndWork, Theme::BeforeBurnout],
            Style::Listen,
        );
        c.industries = fold("製造業、ＩＴ");
        c.rating = Some((4.5, 6));
        let s = score(&wish(), &c).expect("room");
        assert_eq!(
            s.reasons[0],
            Reason::Theme {
                theme: Theme::CareAndWork
            }
        );
        assert!(s.reasons.contains(&Reason::AnchorFit {
            anchor: Anchor::Lifestyle,
            theme: Theme::BeforeBurnout
        }));
        assert!(s.reasons.contains(&Reason::Style {
            style: Style::Listen
        }));
        assert!(s.reasons.contains(&Reason::Industry {
            word: "製造".into()
        }));
        assert!(s.reasons.contains(&Reason::WellRated {
            mean_tenths: 45,
            count: 6
        }));
        let full = Candidate {
            room_this_month: 0,
            ..c.clone()
        };
        assert_eq!(score(&wish(), &full), None, "at capacity: never proposed");
        let few = Candidate {
            rating: Some((1.0, MIN_RATINGS - 1)),
            ..c.clone()
        };
        assert!(
            (score(&wish(), &few).expect("room").score - s.score + 0.75).abs() < 1e-9,
            "ratings below the minimum count for nothing"
        );
        // Without anchors the proposal still comes, from themes alone.
        let no_anchor = Wish {
            anchors: vec![],
            ..wish()
        };
        let s = score(&no_anchor, &c).expect("room");
        assert!(
            !s.reasons
                .iter()
                .any(|r| matches!(r, Reason::AnchorFit { .. }))
        );
    }

    #[test]
    fn ten_are_varied_when_others_fit_and_the_same_inputs_give_the_same_ten() {
        // Fifteen copies of the best profile, then ten different ones that also fit.
        let mut all: Vec<Candidate> = (1..=15)
            .map(|id| candidate(id, &[Theme::CareAndWork, Theme::Management], Style::Listen))
            .collect();
        for (k, (themes, style)) in [
            (
                vec![Theme::CareAndWork, Theme::Relearning],
                Style::ThinkTogether,
            ),
            (vec![Theme::CareAndWork, Theme::MiddleSenior], Style::Advise),
            (
                vec![Theme::CareAndWork, Theme::Transfer],
                Style::ThinkTogether,
            ),
            (vec![Theme::BeforeBurnout], Style::Listen),
            (vec![Theme::CareAndWork, Theme::EarlyCareer], Style::Advise),
            (
                vec![Theme::CareAndWork, Theme::Independence],
                Style::ThinkTogether,
            ),
            (vec![Theme::CareAndWork], Style::Advise),
            (
                vec![Theme::BeforeBurnout, Theme::JobChange],
                Style::ThinkTogether,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            all.push(candidate(100 + k as i64, &themes, style));
        }
        let ten = propose(&wish(), &all, PROPOSALS);
        assert_eq!(ten.len(), PROPOSALS);
        let copies = ten.iter().filter(|p| p.id <= 15).count();
        assert!(
            copies < 6,
            "not ten of a kind: {copies} copies of the top profile in {:?}",
            ten.iter().map(|p| p.id).collect::<Vec<_>>()
        );
        assert_eq!(ten[0].id, 1, "the best fit comes first");
        // Same inputs, same ten, in the same order — also when the input is reordered.
        assert_eq!(propose(&wish(), &all, PROPOSALS), ten);
        let mut reversed = all.clone();
        reversed.reverse();
        let again: Vec<i64> = propose(&wish(), &reversed, PROPOSALS)
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(again, ten.iter().map(|p| p.id).collect::<Vec<_>>());
        for p in &ten {
            assert!(!p.reasons.is_empty(), "every proposal says why");
        }
    }

    #[test]
    fn similarity_is_one_for_twins_and_low_for_strangers() {
        let a = candidate(1, &[Theme::CareAndWork], Style::Listen);
        assert!((similarity(&a, &a.clone()) - 1.0).abs() < 1e-9);
        let b = candidate(2, &[Theme::JobChange], Style::Advise);
        assert!(similarity(&a, &b) < 0.01);
    }
}
