//! Reading the values Japanese HR files contain: Western and Japanese-era dates, Excel
//! date serials, full-width digits and letters.

use chrono::{Days, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// Full-width digits, letters and punctuation to their ASCII forms (NFKC), spaces trimmed.
/// For codes, numbers, dates and emails — never for names, whose characters are kept as
/// the person writes them.
pub fn normalise(s: &str) -> String {
    if s.is_ascii() {
        // NFKC leaves ASCII as it is; most cells (codes, dates, emails) are ASCII.
        return s.trim().to_string();
    }
    s.nfkc().collect::<String>().trim().to_string()
}

/// Trims surrounding spaces, including the ideographic space, and nothing else.
pub fn trim_name(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_string()
}

/// A Japanese era: its names and the first day it was in use.
struct Era {
    names: [&'static str; 3],
    start: (i32, u32, u32),
    end: Option<(i32, u32, u32)>,
}

const ERAS: [Era; 5] = [
    Era {
        names: ["明治", "M", "m"],
        start: (1868, 1, 25),
        end: Some((1912, 7, 29)),
    },
    Era {
        names: ["大正", "T", "t"],
        start: (1912, 7, 30),
        end: Some((1926, 12, 24)),
    },
    Era {
        names: ["昭和", "S", "s"],
        start: (1926, 12, 25),
        end: Some((1989, 1, 7)),
    },
    Era {
        names: ["平成", "H", "h"],
        start: (1989, 1, 8),
        end: Some((2019, 4, 30)),
    },
    Era {
        names: ["令和", "R", "r"],
        start: (2019, 5, 1),
        end: None,
    },
];

/// Why a date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a date format we know.
    Unreadable,
    /// The parts are numbers but no such day exists (2月30日).
    Impossible,
    /// A day outside the era it names (昭和65年, 平成31年5月1日).
    OutsideEra,
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::Impossible)
}

fn numbers(s: &str) -> Option<Vec<u32>> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().map(|p| p.parse::<u32>().ok()).collect()
}

/// Reads a date written as `1976-04-02`, `1976/4/2`, `1976.4.2`, `19760402`,
/// `1976年4月2日`, `昭和51年4月2日`, `S51.4.2`, `平成元年1月8日`, or an Excel serial
/// number (`27852`). Full-width digits are accepted.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    let s = normalise(raw);
    if s.is_empty() {
        return Err(DateError::Unreadable);
    }
    // Japanese era.
    for era in &ERAS {
        for name in era.names {
            if let Some(rest) = s.strip_prefix(name) {
                let rest = rest.trim_start();
                let rest = rest
                    .strip_prefix("元")
                    .map(|r| format!("1{r}"))
                    .unwrap_or_else(|| rest.to_string());
                let n = numbers(&rest).ok_or(DateError::Unreadable)?;
                let [year, month, day] = n[..] else {
                    return Err(DateError::Unreadable);
                };
                if year == 0 {
                    return Err(DateError::OutsideEra);
                }
                let date = ymd(era.start.0 + year as i32 - 1, month, day)?;
                let start = ymd(era.start.0, era.start.1, era.start.2)?;
                let within_end = era
                    .end
                    .map(|(y, m, d)| ymd(y, m, d).map(|e| date <= e))
                    .transpose()?
                    .unwrap_or(true);
                return if date >= start && within_end {
                    Ok(date)
                } else {
                    Err(DateError::OutsideEra)
                };
            }
        }
    }
    if !s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(DateError::Unreadable);
    }
    // 19760402
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        let (y, m, d) = (
            s[..4].parse().unwrap_or(0),
            s[4..6].parse().unwrap_or(0),
            s[6..].parse().unwrap_or(0),
        );
        return ymd(y, m, d);
    }
    // Excel serial (days since 1899-12-30, Excel's 1900 leap-year bug included), possibly with a time.
    if let Ok(serial) = s.parse::<f64>() {
        if (1.0..=2_958_465.0).contains(&serial) && s.len() <= 12 {
            return excel_serial(serial);
        }
        return Err(DateError::Unreadable);
    }
    let n = numbers(&s).ok_or(DateError::Unreadable)?;
    match n[..] {
        [y, m, d] if y >= 1000 => ymd(y as i32, m, d),
        _ => Err(DateError::Unreadable),
    }
}

/// An Excel date serial to a date (the time of day is dropped).
pub fn excel_serial(serial: f64) -> Result<NaiveDate, DateError> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return Err(DateError::Unreadable);
    }
    let days = serial.floor() as u64;
    let base = ymd(1899, 12, 30)?;
    // Serial 60 is Excel's fictional 1900-02-29; earlier serials are one day off.
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_days(Days::new(days))
        .ok_or(DateError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn western_formats() {
        for s in [
            "1976-04-02",
            "1976/4/2",
            "1976.4.2",
            "19760402",
            "1976年4月2日",
            "１９７６／４／２",
            " 1976-4-2 ",
        ] {
            assert_eq!(parse_date(s), Ok(d("1976-04-02")), "{s}");
        }
    }

    #[test]
    fn japanese_eras() {
        assert_eq!(parse_date("昭和51年4月2日"), Ok(d("1976-04-02")));
        assert_eq!(parse_date("S51.4.2"), Ok(d("1976-04-02")));
        assert_eq!(parse_date("Ｓ５１．４．２"), Ok(d("1976-04-02")));
        assert_eq!(parse_date("平成元年1月8日"), Ok(d("1989-01-08")));
        assert_eq!(parse_date("H1.1.8"), Ok(d("1989-01-08")));
        assert_eq!(parse_date("令和元年5月1日"), Ok(d("2019-05-01")));
        assert_eq!(parse_date("R2/4/1"), Ok(d("2020-04-01")));
        assert_eq!(parse_date("大正15年12月24日"), Ok(d("1926-12-24")));
    }

    #[test]
    fn dates_outside_their_era_or_impossible_are_refused() {
        assert_eq!(parse_date("昭和64年1月8日"), Err(DateError::OutsideEra));
        assert_eq!(parse_date("平成31年5月1日"), Err(DateError::OutsideEra));
        assert_eq!(parse_date("令和元年4月30日"), Err(DateError::OutsideEra));
        assert_eq!(parse_date("1976年2月30日"), Err(DateError::Impossible));
        assert_eq!(parse_date("2023-02-29"), Err(DateError::Impossible));
        assert_eq!(parse_date("19761302"), Err(DateError::Impossible));
        assert_eq!(parse_date("来年"), Err(DateError::Unreadable));
        assert_eq!(parse_date(""), Err(DateError::Unreadable));
        assert_eq!(parse_date("4/2"), Err(DateError::Unreadable));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(parse_date("27852"), Ok(d("1976-04-02")));
        assert_eq!(excel_serial(27852.75), Ok(d("1976-04-02")));
        assert_eq!(excel_serial(1.0), Ok(d("1900-01-01")));
        assert_eq!(excel_serial(61.0), Ok(d("1900-03-01")));
        assert_eq!(excel_serial(45383.0), Ok(d("2024-04-01")));
    }

    #[test]
    fn normalising_keeps_names_alone() {
        assert_eq!(normalise("ＥＭＰ００１ "), "EMP001");
        assert_eq!(trim_name("\u{3000}髙橋 﨑子 "), "髙橋 﨑子");
    }
}
