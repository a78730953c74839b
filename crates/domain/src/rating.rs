//! A tenant's performance-rating scale (評価の段階): the labels it uses and the number each
//! stands for, so that later rules can say "above the company mean".

use crate::import::values::normalise;
use serde::Serialize;

/// Labels with their numeric values, best first as the tenant writes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingScale {
    levels: Vec<(String, f64)>,
}

/// Why a scale could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingScaleError {
    #[error(
        "write the scale as label=number pairs separated by commas, e.g. S=5,A=4,B=3,C=2,D=1 (problem at '{0}')"
    )]
    Malformed(String),
    #[error("the label '{0}' appears twice")]
    Duplicate(String),
    #[error("a scale needs at least two levels")]
    TooFew,
}

impl Default for RatingScale {
    fn default() -> Self {
        RatingScale::parse("S=5,A=4,B=3,C=2,D=1").unwrap_or(RatingScale { levels: Vec::new() })
    }
}

impl RatingScale {
    /// Reads `S=5,A=4,B=3,C=2,D=1` (full-width characters and spaces allowed).
    pub fn parse(s: &str) -> Result<RatingScale, RatingScaleError> {
        let text = normalise(s);
        let mut levels: Vec<(String, f64)> = Vec::new();
        for part in text
            .split([',', '、'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (label, value) = part
                .split_once('=')
                .ok_or_else(|| RatingScaleError::Malformed(part.to_string()))?;
            let label = label.trim().to_uppercase();
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| RatingScaleError::Malformed(part.to_string()))?;
            if label.is_empty() || label.chars().count() > 8 || !value.is_finite() {
                return Err(RatingScaleError::Malformed(part.to_string()));
            }
            if levels.iter().any(|(l, _)| *l == label) {
                return Err(RatingScaleError::Duplicate(label));
            }
            levels.push((label, value));
        }
        if levels.len() < 2 {
            return Err(RatingScaleError::TooFew);
        }
        Ok(RatingScale { levels })
    }

    /// The number a label stands for (labels compare after NFKC and upper-casing).
    pub fn value(&self, label: &str) -> Option<f64> {
        let l = normalise(label).to_uppercase();
        self.levels.iter().find(|(k, _)| *k == l).map(|(_, v)| *v)
    }

    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|(l, _)| l.as_str())
    }

    /// Lowest and highest values, for drawing charts.
    pub fn bounds(&self) -> (f64, f64) {
        let lo = self
            .levels
            .iter()
            .map(|(_, v)| *v)
            .fold(f64::INFINITY, f64::min);
        let hi = self
            .levels
            .iter()
            .map(|(_, v)| *v)
            .fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }
}

impl std::fmt::Display for RatingScale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .levels
            .iter()
            .map(|(l, v)| format!("{l}={v}"))
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_and_number_scales() {
        let s = RatingScale::default();
        assert_eq!(s.value("a"), Some(4.0));
        assert_eq!(s.value("Ｓ"), Some(5.0));
        assert_eq!(s.value("E"), None);
        assert_eq!(s.bounds(), (1.0, 5.0));
        let n = RatingScale::parse("5=5, 4=4, 3=3, 2=2, 1=1").expect("numbers");
        assert_eq!(n.value("３"), Some(3.0));
        assert_eq!(n.to_string(), "5=5,4=4,3=3,2=2,1=1");
        assert_eq!(RatingScale::parse(&s.to_string()), Ok(s));
    }

    #[test]
    fn malformed_scales_are_explained() {
        assert!(matches!(
            RatingScale::parse("S5,A=4"),
            Err(RatingScaleError::Malformed(_))
        ));
        assert!(matches!(
            RatingScale::parse("S=x,A=4"),
            Err(RatingScaleError::Malformed(_))
        ));
        assert_eq!(
            RatingScale::parse("S=5,s=4"),
            Err(RatingScaleError::Duplicate("S".into()))
        );
        assert_eq!(RatingScale::parse("S=5"), Err(RatingScaleError::TooFew));
        assert_eq!(RatingScale::parse(""), Err(RatingScaleError::TooFew));
    }
}
