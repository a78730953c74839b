//! Fiscal years (年度) and ages (DOMAIN.md "Time").
//!
//! A fiscal year is named by the calendar year it starts in: with the default April
//! start, FY2026 is 2026-04-01 ..= 2027-03-31.
//!
//! Ages follow 年齢計算ニ関スル法律 by default: a person becomes one year older at the
//! *end* of the day before their birthday, so that day is the day they "turn" N. Someone
//! born 1976-04-01 turns 50 on 2026-03-31 (FY2025); someone born on 29 February turns
//! older at the end of 28 February every year. Tenants may switch to plain calendar
//! birthdays, where a 29 February birthday falls on 1 March in common years.
//! Tenure milestones (入社N年) count from the hire date the same way.

use crate::DomainError;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// How a birthday (or hire anniversary) advances a count of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeRule {
    /// 年齢計算ニ関スル法律: older at the end of the day before the anniversary.
    #[default]
    Legal,
    /// Older on the anniversary itself (29 Feb → 1 Mar in common years).
    CalendarBirthday,
}

impl AgeRule {
    pub fn as_str(self) -> &'static str {
        match self {
            AgeRule::Legal => "legal",
            AgeRule::CalendarBirthday => "calendar_birthday",
        }
    }

    pub fn parse(s: &str) -> Option<AgeRule> {
        match s {
            "legal" => Some(AgeRule::Legal),
            "calendar_birthday" => Some(AgeRule::CalendarBirthday),
            _ => None,
        }
    }
}

/// A tenant's calendar: when its fiscal year starts and how it counts ages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalCalendar {
    start_month: u32,
    pub age_rule: AgeRule,
}

impl Default for FiscalCalendar {
    fn default() -> Self {
        FiscalCalendar {
            start_month: 4,
            age_rule: AgeRule::Legal,
        }
    }
}

/// A fiscal year, named by the calendar year in which it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FiscalYear(pub i32);

impl FiscalCalendar {
    pub fn new(start_month: u32, age_rule: AgeRule) -> Result<Self, DomainError> {
        if !(1..=12).contains(&start_month) {
            return Err(DomainError::InvalidFiscalYearStartMonth(start_month));
        }
        Ok(FiscalCalendar {
            start_month,
            age_rule,
        })
    }

    pub fn start_month(&self) -> u32 {
        self.start_month
    }

    /// The fiscal year a date belongs to.
    pub fn fiscal_year_of(&self, date: NaiveDate) -> FiscalYear {
        if date.month() >= self.start_month {
            FiscalYear(date.year())
        } else {
            FiscalYear(date.year() - 1)
        }
    }

    /// First and last day of a fiscal year.
    pub fn range(&self, fy: FiscalYear) -> RangeInclusive<NaiveDate> {
        let start = ymd(fy.0, self.start_month, 1);
        let next = ymd(fy.0 + 1, self.start_month, 1);
        start..=prev_day(next)
    }

    /// Age at the end of `on`.
    pub fn age_on(&self, birth: NaiveDate, on: NaiveDate) -> i32 {
        years_completed(birth, on, self.age_rule)
    }

    /// The day a person born on `birth` turns `n` (or reaches `n` years since hire).
    pub fn turning_day(&self, birth: NaiveDate, n: i32) -> NaiveDate {
        turning_day(birth, n, self.age_rule)
    }

    /// Whether someone born on `birth` turns `n` during `fy` (e.g. "turns 50 in FY2026").
    pub fn turns_during(&self, birth: NaiveDate, n: i32, fy: FiscalYear) -> bool {
        self.range(fy).contains(&self.turning_day(birth, n))
    }

    /// The birth (or hire) dates of everyone who turns `n` during `fy`, as one range,
    /// for selecting a cohort in a single query.
    pub fn birth_range_turning(&self, n: i32, fy: FiscalYear) -> RangeInclusive<NaiveDate> {
        let fy_range = self.range(fy);
        // turning_day is non-decreasing in the birth date, so the dates that land inside
        // the fiscal year form one interval; find its ends by binary search.
        let approx = ymd(fy.0 - n, self.start_month, 1);
        let lo_bound = approx - Days::new(400);
        let hi_bound = approx + Days::new(800);
        let first = first_date_where(lo_bound, hi_bound, |b| {
            self.turning_day(b, n) >= *fy_range.start()
        });
        let after = first_date_where(lo_bound, hi_bound, |b| {
            self.turning_day(b, n) > *fy_range.end()
        });
        first..=prev_day(after)
    }
}

/// Completed years between `start` and the end of `on` under `rule` (never negative).
pub fn years_completed(start: NaiveDate, on: NaiveDate, rule: AgeRule) -> i32 {
    // Under the legal rule someone born on 1 January turns one year older on
    // 31 December, so the count can run one ahead of the difference in years.
    let mut n = on.year() - start.year() + 1;
    while n > 0 && turning_day(start, n, rule) > on {
        n -= 1;
    }
    n
}

fn turning_day(start: NaiveDate, n: i32, rule: AgeRule) -> NaiveDate {
    let y = start.year() + n;
    // The anniversary, with 29 February moved to 1 March in common years.
    let anniversary =
        NaiveDate::from_ymd_opt(y, start.month(), start.day()).unwrap_or_else(|| ymd(y, 3, 1));
    match rule {
        AgeRule::Legal => prev_day(anniversary),
        AgeRule::CalendarBirthday => anniversary,
    }
}

fn first_date_where(
    mut lo: NaiveDate,
    mut hi: NaiveDate,
    pred: impl Fn(NaiveDate) -> bool,
) -> NaiveDate {
    // Smallest date in [lo, hi] where pred holds, assuming pred is monotone and holds at hi.
    while lo < hi {
        let mid = lo + Days::new(((hi - lo).num_days() / 2) as u64);
        if pred(mid) {
            hi = mid
        } else {
            lo = mid + Days::new(1)
        }
    }
    lo
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Callers pass a month in 1..=12 and day 1 or 1 March: always a real date.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn prev_day(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn legal() -> FiscalCalendar {
        FiscalCalendar::default()
    }

    #[test]
    fn fy2026_runs_april_to_march() {
        let c = legal();
        assert_eq!(c.range(FiscalYear(2026)), d("2026-04-01")..=d("2027-03-31"));
        assert_eq!(c.fiscal_year_of(d("2026-03-31")), FiscalYear(2025));
        assert_eq!(c.fiscal_year_of(d("2026-04-01")), FiscalYear(2026));
        let jan = FiscalCalendar::new(1, AgeRule::Legal).expect("valid");
        assert_eq!(
            jan.range(FiscalYear(2026)),
            d("2026-01-01")..=d("2026-12-31")
        );
        assert!(FiscalCalendar::new(13, AgeRule::Legal).is_err());
        assert!(FiscalCalendar::new(0, AgeRule::Legal).is_err());
    }

    #[test]
    fn born_on_april_first_turns_fifty_in_the_earlier_fiscal_year() {
        let c = legal();
        assert_eq!(c.turning_day(d("1976-04-01"), 50), d("2026-03-31"));
        assert!(c.turns_during(d("1976-04-01"), 50, FiscalYear(2025)));
        assert!(!c.turns_during(d("1976-04-01"), 50, FiscalYear(2026)));
        assert!(c.turns_during(d("1976-04-02"), 50, FiscalYear(2026)));
        assert!(c.turns_during(d("1977-04-01"), 50, FiscalYear(2026)));
        assert!(!c.turns_during(d("1977-04-02"), 50, FiscalYear(2026)));
        assert_eq!(
            c.birth_range_turning(50, FiscalYear(2026)),
            d("1976-04-02")..=d("1977-04-01")
        );
    }

    #[test]
    fn calendar_birthdays_put_april_first_in_the_later_year() {
        let c = FiscalCalendar::new(4, AgeRule::CalendarBirthday).expect("valid");
        assert!(c.turns_during(d("1976-04-01"), 50, FiscalYear(2026)));
        assert_eq!(
            c.birth_range_turning(50, FiscalYear(2026)),
            d("1976-04-01")..=d("1977-03-31")
        );
    }

    #[test]
    fn leap_day_births_age_at_the_end_of_february_28() {
        let c = legal();
        let b = d("1980-02-29");
        assert_eq!(c.turning_day(b, 1), d("1981-02-28"));
        assert_eq!(c.turning_day(b, 4), d("1984-02-28"));
        assert_eq!(c.age_on(b, d("2026-02-27")), 45);
        assert_eq!(c.age_on(b, d("2026-02-28")), 46);
        let cal = FiscalCalendar::new(4, AgeRule::CalendarBirthday).expect("valid");
        assert_eq!(cal.age_on(b, d("2026-02-28")), 45);
        assert_eq!(cal.age_on(b, d("2026-03-01")), 46);
        assert_eq!(cal.age_on(b, d("2028-02-29")), 48);
    }

    #[test]
    fn age_is_counted_at_the_end_of_the_day() {
        let c = legal();
        assert_eq!(c.age_on(d("1976-04-02"), d("2026-03-31")), 49);
        assert_eq!(c.age_on(d("1976-04-02"), d("2026-04-01")), 50);
        assert_eq!(c.age_on(d("2000-01-01"), d("1999-01-01")), 0);
        assert_eq!(c.age_on(d("2000-01-01"), d("2000-12-31")), 1);
        assert_eq!(c.age_on(d("2000-01-01"), d("2000-12-30")), 0);
    }

    fn arb_date() -> impl Strategy<Value = NaiveDate> {
        (1940i32..2010, 1u32..=12, 1u32..=31).prop_filter_map("real date", |(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day)
        })
    }

    proptest! {
        #[test]
        fn birth_range_matches_turns_during(
            birth in arb_date(), n in 18i32..70, fy in 1990i32..2040, month in 1u32..=12, legal_rule in any::<bool>()
        ) {
            let rule = if legal_rule { AgeRule::Legal } else { AgeRule::CalendarBirthday };
            let c = FiscalCalendar::new(month, rule).expect("valid");
            let range = c.birth_range_turning(n, FiscalYear(fy));
            prop_assert_eq!(range.contains(&birth), c.turns_during(birth, n, FiscalYear(fy)));
        }

        #[test]
        fn each_birth_turns_n_in_exactly_one_fiscal_year(birth in arb_date(), n in 1i32..80, month in 1u32..=12) {
            let c = FiscalCalendar::new(month, AgeRule::Legal).expect("valid");
            let fy = c.fiscal_year_of(c.turning_day(birth, n));
            let hits = (fy.0 - 2..=fy.0 + 2).filter(|y| c.turns_during(birth, n, FiscalYear(*y))).count();
            prop_assert_eq!(hits, 1);
        }

        #[test]
        fn age_rises_by_one_on_the_turning_day(birth in arb_date(), n in 1i32..80, legal_rule in any::<bool>()) {
            let rule = if legal_rule { AgeRule::Legal } else { AgeRule::CalendarBirthday };
            let c = FiscalCalendar::new(4, rule).expect("valid");
            let day = c.turning_day(birth, n);
            prop_assert_eq!(c.age_on(birth, day), n);
            prop_assert_eq!(c.age_on(birth, prev_day(day)), n - 1);
        }

        #[test]
        fn fiscal_year_contains_its_dates(date in arb_date(), month in 1u32..=12) {
            let c = FiscalCalendar::new(month, AgeRule::Legal).expect("valid");
            prop_assert!(c.range(c.fiscal_year_of(date)).contains(&date));
        }
    }
}
