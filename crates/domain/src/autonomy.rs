//! キャリア自律した人: the company's definition of a career-autonomous person and the
//! judgement per person per fiscal year (DOMAIN.md: Career-autonomous person). The default
//! needs all three conditions:
//!
//! 1. **Performance** in the current job above average: the person's rating for the year
//!    (or, until it is imported, their latest earlier one) above the company's mean for
//!    that year — or at least a rating the company names.
//! 2. **Vision**: in an interview held that year the facilitator recorded a career vision
//!    with a horizon of at least `min_horizon_years` (default 2).
//! 3. **Practice**: at least one commitment that counts (both checks passed, confirmed by
//!    the employee), starting that year, marked started, continuing or done.

use serde::{Deserialize, Serialize};

/// How the performance condition reads ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum PerformanceRule {
    /// Above the mean of everyone rated that year.
    AboveMean,
    /// At least this level of the tenant's scale (e.g. `A`).
    AtLeast { rating: String },
}

/// The company's definition (editable by admin, shown to every employee).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub performance: PerformanceRule,
    /// The shortest horizon, in years, of a vision that counts.
    pub min_horizon_years: u8,
    /// The company's own words about what it means, shown with the conditions.
    #[serde(default)]
    pub statement: String,
}

impl Default for Definition {
    fn default() -> Self {
        Definition {
            performance: PerformanceRule::AboveMean,
            min_horizon_years: 2,
            statement: String::new(),
        }
    }
}

/// At most this many characters in the company's statement.
pub const MAX_STATEMENT_CHARS: usize = 1000;

impl Definition {
    /// Reads the admin form: `rule` is `above_mean` or `at_least` (with `rating`, which must
    /// be a level of the tenant's scale), the horizon 1–30 years.
    pub fn parse(
        rule: &str,
        rating: &str,
        horizon: &str,
        statement: &str,
        scale: &crate::rating::RatingScale,
    ) -> Result<Definition, &'static str> {
        let performance = match rule {
            "above_mean" => PerformanceRule::AboveMean,
            "at_least" => {
                let r = rating.trim();
                if scale.value(r).is_none() {
                    return Err("rating");
                }
                PerformanceRule::AtLeast { rating: r.into() }
            }
            _ => return Err("rule"),
        };
        let min_horizon_years = horizon
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|h| (1..=30).contains(h))
            .ok_or("horizon")?;
        let statement = statement.trim().to_string();
        if statement.chars().count() > MAX_STATEMENT_CHARS {
            return Err("statement");
        }
        Ok(Definition {
            performance,
            min_horizon_years,
            statement,
        })
    }
}

/// What the judgement needs to know about one person in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facts {
    /// The person's rating value for the year (or their latest earlier one).
    pub rating: Option<f64>,
    /// The longest horizon of a vision recorded in an interview that year.
    pub vision_horizon: Option<u8>,
    /// A commitment that counts, starting that year, is being practised.
    pub practised: bool,
}

/// The three conditions and the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub performance: bool,
    pub vision: bool,
    pub practice: bool,
}

impl Judgement {
    pub fn autonomous(&self) -> bool {
        self.performance && self.vision && self.practice
    }
}

/// Judges one person. `threshold` is the value performance must exceed (the mean) or
/// reach (a named rating), as [`threshold`] works it out.
pub fn judge(def: &Definition, facts: &Facts, threshold: Option<Threshold>) -> Judgement {
    let performance = Threshold::cleared(threshold, facts.rating);
    Judgement {
        performance,
        vision: facts
            .vision_horizon
            .is_some_and(|h| h >= def.min_horizon_years),
        practice: facts.practised,
    }
}

/// The bar a rating must clear.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    Above(f64),
    AtLeast(f64),
}

impl Threshold {
    /// Whether `rating` clears the bar (false without a rating or without a bar). Also
    /// the default segmentation's "rated above average" for training.
    pub fn cleared(bar: Option<Threshold>, rating: Option<f64>) -> bool {
        match (rating, bar) {
            (Some(r), Some(Threshold::Above(m))) => r > m,
            (Some(r), Some(Threshold::AtLeast(v))) => r >= v,
            _ => false,
        }
    }
}

/// The bar for a year: the mean of the ratings given (None when nobody was rated), or the
/// named rating's value.
pub fn threshold(
    def: &Definition,
    ratings: &[f64],
    scale: &crate::rating::RatingScale,
) -> Option<Threshold> {
    match &def.performance {
        PerformanceRule::AboveMean => (!ratings.is_empty())
            .then(|| Threshold::Above(ratings.iter().sum::<f64>() / ratings.len() as f64)),
        PerformanceRule::AtLeast { rating } => scale.value(rating).map(Threshold::AtLeast),
    }
}

/// The figures for a population.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Summary {
    pub population: u64,
    pub autonomous: u64,
    pub performance: u64,
    pub vision: u64,
    pub practice: u64,
}

impl Summary {
    pub fn add(&mut self, j: &Judgement) {
        self.population += 1;
        self.autonomous += u64::from(j.autonomous());
        self.performance += u64::from(j.performance);
        self.vision += u64::from(j.vision);
        self.practice += u64::from(j.practice);
    }

    /// Autonomous people / population (0 for an empty population).
    pub fn rate(&self) -> f64 {
        if self.population == 0 {
            0.0
        } else {
            self.autonomous as f64 / self.population as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::RatingScale;

    fn facts(rating: Option<f64>, horizon: Option<u8>, practised: bool) -> Facts {
        Facts {
            rating,
            vision_horizon: horizon,
            practised,
        }
    }

    #[test]
    fn all_three_conditions_are_needed() {
        let def = Definition::default();
        let bar = threshold(&def, &[3.0, 4.0, 5.0], &RatingScale::default());
        assert_eq!(bar, Some(Threshold::Above(4.0)));
        assert!(judge(&def, &facts(Some(5.0), Some(3), true), bar).autonomous());
        // Exactly average is not above average.
        assert!(!judge(&def, &facts(Some(4.0), Some(3), true), bar).performance);
        assert!(
            !judge(&def, &facts(Some(5.0), Some(1), true), bar).vision,
            "1 year < 2"
        );
        assert!(judge(&def, &facts(Some(5.0), Some(2), true), bar).vision);
        assert!(!judge(&def, &facts(Some(5.0), Some(3), false), bar).autonomous());
        assert!(
            !judge(&def, &facts(None, Some(3), true), bar).performance,
            "unrated"
        );
        assert!(
            !judge(&def, &facts(Some(5.0), None, true), bar).vision,
            "no vision"
        );
        assert_eq!(threshold(&def, &[], &RatingScale::default()), None);
    }

    #[test]
    fn a_company_may_name_the_rating_and_the_horizon() {
        let scale = RatingScale::default();
        let def = Definition::parse("at_least", "A", "5", " 自分で選び、続けている人 ", &scale)
            .expect("valid");
        assert_eq!(def.statement, "自分で選び、続けている人");
        let bar = threshold(&def, &[], &scale);
        assert!(
            judge(&def, &facts(Some(4.0), Some(5), true), bar).autonomous(),
            "A = 4"
        );
        assert!(!judge(&def, &facts(Some(3.0), Some(5), true), bar).performance);
        assert!(!judge(&def, &facts(Some(4.0), Some(4), true), bar).vision);
        assert_eq!(
            Definition::parse("at_least", "Z", "2", "", &scale),
            Err("rating")
        );
        assert_eq!(
            Definition::parse("above_mean", "", "0", "", &scale),
            Err("horizon")
        );
        assert_eq!(Definition::parse("coin", "", "2", "", &scale), Err("rule"));
    }

    #[test]
    fn the_rate_is_autonomous_people_over_the_population() {
        let def = Definition::default();
        let bar = Some(Threshold::Above(3.0));
        let mut s = Summary::default();
        for f in [
            facts(Some(4.0), Some(3), true),
            facts(Some(4.0), Some(3), false),
            facts(Some(2.0), Some(3), true),
            facts(Some(5.0), Some(2), true),
        ] {
            s.add(&judge(&def, &f, bar));
        }
        assert_eq!(
            (
                s.population,
                s.autonomous,
                s.performance,
                s.vision,
                s.practice
            ),
            (4, 2, 3, 4, 3)
        );
        assert!((s.rate() - 0.5).abs() < 1e-9);
        assert_eq!(Summary::default().rate(), 0.0);
    }
}
