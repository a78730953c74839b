//! KPI (DOMAIN.md: KPIs): the figures that keep a company's career-autonomy programme
//! honest, year after year (PDCA). Each KPI of a unit and a fiscal year is a ratio of two
//! additive counts over the people it covers, so a unit's figure is the sum of its own
//! members' and its sub-units' counts, and the anonymity rule ([`crate::anonymity`])
//! decides which units show it.

use serde::{Deserialize, Serialize};

/// The KPIs, in the dashboard's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
    /// 面談実施率: people with a career or milestone interview held in the FY / people.
    InterviewCoverage,
    /// 12か月対話なし: people with no dialogue held in the 12 months up to the FY's end
    /// (or today) / people — キャリア孤立's plain sign.
    #[serde(rename = "no_dialogue_12_months")]
    NoDialogue12Months,
    /// 1on1実施率: (report, month) pairs with a 1on1 held with their manager / pairs due,
    /// over the FY's months begun; counted in the manager's unit.
    OneOnOneCadence,
    /// コミットメント率: people interviewed in the FY whose interview ended in a
    /// commitment that counts / people interviewed.
    CommitmentRate,
    /// コミットまでの面談回数: interviews held in the FY up to and including the one that
    /// ended in the person's first commitment that counts, averaged over those people.
    SessionsToCommitment,
    /// 開始率: people with a commitment that counts due to start in the FY (by today)
    /// who started one / those people.
    StartAdherence,
    /// 行動変容率: evaluations of the FY that are 著しい変化 or 変化あり / evaluations.
    BehaviourChange,
    /// キャリア自律率: people judged career-autonomous by the tenant's definition / people.
    AutonomyRate,
    /// 面談所感の確認率: feedback reports sent in the FY that the manager acknowledged /
    /// reports sent (counted in the employee's unit).
    FeedbackAcknowledged,
    /// アンケート回答率: people who answered the FY's surveys / people asked.
    SurveyParticipation,
    /// 5つの支援スコア: the mean of the five supports' scores (1–5) over the answers to
    /// the FY's closed 5-supports surveys.
    SupportScore,
    /// キャリア相談の利用率: people with a consultation (外部キャリア相談) held in the FY /
    /// people.
    ConsultantUsage,
    /// 機会の利用率: people who used an opportunity in the FY — applied to a posting,
    /// declared FA, applied for a side job, claimed a certification subsidy or completed
    /// a course — / people. HR's only ([`Kpi::hr_only`]).
    OpportunityUsage,
}

/// How a KPI's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share, 0–1 (shown as a percentage).
    Share,
    /// A mean number of sessions.
    Sessions,
    /// A mean score, 1–5.
    Score,
}

impl Kpi {
    pub const ALL: [Kpi; 13] = [
        Kpi::InterviewCoverage,
        Kpi::NoDialogue12Months,
        Kpi::OneOnOneCadence,
        Kpi::CommitmentRate,
        Kpi::SessionsToCommitment,
        Kpi::StartAdherence,
        Kpi::BehaviourChange,
        Kpi::AutonomyRate,
        Kpi::FeedbackAcknowledged,
        Kpi::SurveyParticipation,
        Kpi::SupportScore,
        Kpi::ConsultantUsage,
        Kpi::OpportunityUsage,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kpi::InterviewCoverage => "interview_coverage",
            Kpi::NoDialogue12Months => "no_dialogue_12_months",
            Kpi::OneOnOneCadence => "one_on_one_cadence",
            Kpi::CommitmentRate => "commitment_rate",
            Kpi::SessionsToCommitment => "sessions_to_commitment",
            Kpi::StartAdherence => "start_adherence",
            Kpi::BehaviourChange => "behaviour_change",
            Kpi::AutonomyRate => "autonomy_rate",
            Kpi::FeedbackAcknowledged => "feedback_acknowledged",
            Kpi::SurveyParticipation => "survey_participation",
            Kpi::SupportScore => "support_score",
            Kpi::ConsultantUsage => "consultant_usage",
            Kpi::OpportunityUsage => "opportunity_usage",
        }
    }

    pub fn parse(key: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn unit(self) -> Unit {
        match self {
            Kpi::SessionsToCommitment => Unit::Sessions,
            Kpi::SupportScore => Unit::Score,
            _ => Unit::Share,
        }
    }

    /// Shown to HR only. Opportunity usage counts applications, side jobs and subsidy
    /// claims, which a manager may not know of: with the completions they do see, a
    /// manager could work out from their unit's figure that one of their people applied
    /// somewhere (DOMAIN.md: an application stays hidden from the current manager).
    pub fn hr_only(self) -> bool {
        matches!(self, Kpi::OpportunityUsage)
    }

    /// Whether a higher value is the worse one (the dashboard colours it so).
    pub fn lower_is_better(self) -> bool {
        matches!(self, Kpi::NoDialogue12Months | Kpi::SessionsToCommitment)
    }
}

/// One KPI's counts in one place: `value = num / den`, over `people` people (what the
/// anonymity rule counts). Counts add up from units to their parents.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Count {
    pub num: f64,
    pub den: u64,
    pub people: u64,
}

impl Count {
    /// One person's counts.
    pub fn of(num: f64, den: u64) -> Count {
        Count {
            num,
            den,
            people: 1,
        }
    }

    pub fn add(&mut self, other: &Count) {
        self.num += other.num;
        self.den += other.den;
        self.people += other.people;
    }

    /// The value, None when nothing is counted.
    pub fn value(&self) -> Option<f64> {
        (self.den > 0).then(|| self.num / self.den as f64)
    }
}

/// One month of 1on1s due per report: the months of a fiscal year begun by `today`
/// (the whole year once it is over).
pub fn months_begun(fy_start: chrono::NaiveDate, today: chrono::NaiveDate) -> u64 {
    use chrono::Datelike;
    if today < fy_start {
        return 0;
    }
    let months =
        (today.year() - fy_start.year()) * 12 + today.month() as i32 - fy_start.month() as i32 + 1;
    months.clamp(0, 12) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn keys_round_trip_and_only_two_kpis_are_better_low() {
        for k in Kpi::ALL {
            assert_eq!(Kpi::parse(k.key()), Some(k));
        }
        assert_eq!(Kpi::parse("nope"), None);
        for k in Kpi::ALL {
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{}\"", k.key()), "serde and key agree");
        }
        let low: Vec<Kpi> = Kpi::ALL
            .into_iter()
            .filter(|k| k.lower_is_better())
            .collect();
        assert_eq!(
            low,
            vec![Kpi::NoDialogue12Months, Kpi::SessionsToCommitment]
        );
    }

    #[test]
    fn counts_add_up_and_an_empty_count_has_no_value() {
        let mut c = Count::default();
        assert_eq!(c.value(), None);
        c.add(&Count::of(1.0, 1));
        c.add(&Count::of(0.0, 1));
        c.add(&Count::of(0.0, 2));
        assert_eq!(c.people, 3);
        assert_eq!(c.value(), Some(0.25));
    }

    #[test]
    fn months_begun_counts_the_fiscal_year_so_far() {
        let start = d(2026, 4, 1);
        assert_eq!(months_begun(start, d(2026, 3, 31)), 0);
        assert_eq!(months_begun(start, d(2026, 4, 1)), 1);
        assert_eq!(months_begun(start, d(2026, 12, 6)), 9);
        assert_eq!(months_begun(start, d(2027, 3, 31)), 12);
        assert_eq!(months_begun(start, d(2030, 1, 1)), 12);
    }
}
