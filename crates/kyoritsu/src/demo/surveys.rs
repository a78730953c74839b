//! The demo's surveys: last fiscal year's 5-supports survey and satisfaction survey,
//! closed, answered by about three in four people, so the organisation report has a story
//! (units that feel less supported, more isolation among people in their fifties, some
//! units too small to show); and this year's 5-supports survey, open, answered by about
//! two in five — not yet by the demo accounts, whose homes ask them to.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::survey::{self, Answers, Indicator, Kind, Measure, Population, Questionnaire};
use domain::{PersonId, Role, TenantId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::surveys::{AnswerPlace, NewSurvey};

/// One generated answer to `q` for a person with this climate (−1 … +1: how supported
/// their unit makes people feel) and age band.
fn answers(rng: &mut StdRng, q: &Questionnaire, climate: f64, band: i64) -> Answers {
    let mut out = Answers::default();
    let person: f64 = rng.random_range(-0.8..0.8);
    for question in &q.questions {
        if question.optional && rng.random_bool(0.3) {
            continue;
        }
        let base = match question.measure {
            // Agreeing with an indicator is bad news: more where the climate is poor, and
            // isolation more among people in their fifties and over.
            Measure::Indicator(Indicator::Isolation) => {
                2.2 - climate * 1.2 + if band >= 3 { 0.9 } else { 0.0 }
            }
            Measure::Indicator(Indicator::ForcedAutonomy) => 2.0 - climate,
            Measure::Support(survey::Support::FutureOutlook) if band >= 3 => 2.9 + climate,
            _ => 3.4 + climate,
        };
        let noise: f64 = rng.random_range(-1.0..1.0);
        let sign = if matches!(question.measure, Measure::Indicator(_)) {
            -1.0
        } else {
            1.0
        };
        let v = (base + sign * person + noise).round().clamp(1.0, 5.0) as u8;
        out.0.insert(question.key.clone(), v);
    }
    out
}

/// How supported a unit makes people feel, fixed per unit.
fn climate(department: Option<i64>) -> f64 {
    let d = department.unwrap_or(0) as u64;
    let h = d.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    (h % 1000) as f64 / 1000.0 * 1.6 - 0.7
}

/// Opens a survey at `opened`, has `share` of the people answer (skipping `skip`), and
/// closes it when `closed` is given.
#[allow(clippy::too_many_arguments)]
async fn run(
    store: &store::Store,
    t: TenantId,
    kind: Kind,
    title: &str,
    fy: i32,
    opened: DateTime<Utc>,
    closes_on: NaiveDate,
    closed: Option<DateTime<Utc>>,
    share: f64,
    skip: &[PersonId],
    by: domain::UserId,
    seed: u64,
) -> Result<i64, store::StoreError> {
    let q = store.survey_questionnaire(t, kind).await?;
    let people = store.people_places(t).await?;
    let targets: Vec<PersonId> = people.iter().map(|p| p.0).collect();
    let id = store
        .open_survey(
            t,
            &NewSurvey {
                kind,
                title,
                fiscal_year: fy,
                population: &Population::Everyone,
                questionnaire: &q,
                closes_on,
                opened_by: by,
            },
            &targets,
            opened,
        )
        .await?;
    let cal = store.tenant(t).await?.settings.calendar;
    let on = domain::japan_time::japan_date(opened);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut rows = Vec::new();
    for (p, department, birth, grade) in people {
        if skip.contains(&p) || !rng.random_bool(share) {
            continue;
        }
        let band = birth
            .map(|b| survey::age_band(cal.age_on(b, on).max(0) as u32) as i64)
            .unwrap_or(-1);
        let a = answers(&mut rng, &q, climate(department), band);
        rows.push((
            p,
            AnswerPlace {
                department_id: department,
                age_band: band,
                grade: grade.trim().to_string(),
            },
            a,
        ));
    }
    store.answer_survey_bulk(t, id, &rows).await?;
    if let Some(at) = closed {
        store.close_survey(t, id, at).await?;
    }
    Ok(id)
}

/// A past year's 5-supports survey for `--history`: opened on `opened`, answered by
/// about seven in ten, closed three weeks later.
pub async fn run_past(
    store: &store::Store,
    t: TenantId,
    fy: i32,
    opened: DateTime<Utc>,
    hr: domain::UserId,
    seed: u64,
) -> Result<i64, store::StoreError> {
    let closed = opened + Duration::days(21);
    run(
        store,
        t,
        Kind::FiveSupports,
        &format!("{fy}年度 5つの支援サーベイ"),
        fy,
        opened,
        domain::japan_time::japan_date(closed),
        Some(closed),
        0.7,
        &[],
        hr,
        seed,
    )
    .await
}

/// Writes the demo's surveys.
pub async fn seed(
    store: &store::Store,
    t: TenantId,
    users: &[(Role, store::users::User)],
    now: DateTime<Utc>,
) -> Result<(), store::StoreError> {
    let Some(hr) = users
        .iter()
        .find(|(r, _)| *r == Role::Hr)
        .map(|(_, u)| u.id)
    else {
        return Ok(());
    };
    let cal = store.tenant(t).await?.settings.calendar;
    let today = domain::japan_time::japan_date(now);
    let fy = cal.fiscal_year_of(today).0;
    // Last year's: opened in the autumn of the last FY, closed three weeks later.
    let last_open = domain::japan_time::start_of_japan_day(
        NaiveDate::from_ymd_opt(fy - 1, 10, 1).unwrap_or(today),
    ) + Duration::hours(9);
    let last_close = last_open + Duration::days(21);
    let closes = domain::japan_time::japan_date(last_close);
    run(
        store,
        t,
        Kind::FiveSupports,
        &format!("{}年度 5つの支援サーベイ", fy - 1),
        fy - 1,
        last_open,
        closes,
        Some(last_close),
        0.78,
        &[],
        hr,
        31,
    )
    .await?;
    run(
        store,
        t,
        Kind::Satisfaction,
        &format!("{}年度 キャリア支援満足度調査", fy - 1),
        fy - 1,
        last_open + Duration::days(1),
        closes,
        Some(last_close),
        0.7,
        &[],
        hr,
        32,
    )
    .await?;
    // 相談テーマ on every held interview and consultation of the last ten years: one to
    // three themes, career direction and workload most often.
    let from = domain::japan_time::start_of_japan_day(
        *cal.range(domain::calendar::FiscalYear(fy - 9)).start(),
    );
    let mut rng = StdRng::seed_from_u64(34);
    let weights: [(&str, u32); 10] = [
        ("career_direction", 30),
        ("workload", 20),
        ("evaluation", 14),
        ("manager_relationship", 10),
        ("relearning", 10),
        ("transfer", 8),
        ("job_change", 6),
        ("care", 6),
        ("health", 4),
        ("after_retirement", 4),
    ];
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    for (dialogue, _) in store
        .held_consultant_sessions(t, from, now + Duration::days(1))
        .await?
    {
        let n = rng.random_range(1..=3);
        let mut themes: Vec<String> = Vec::new();
        for _ in 0..n {
            let mut pick = rng.random_range(0..total);
            for (key, w) in weights {
                if pick < w {
                    if !themes.iter().any(|t| t == key) {
                        themes.push(key.to_string());
                    }
                    break;
                }
                pick -= w;
            }
        }
        store.set_dialogue_concerns(t, dialogue, &themes).await?;
    }
    // This year's, open for three more weeks; the demo accounts have not answered yet.
    let accounts: Vec<PersonId> = users.iter().filter_map(|(_, u)| u.person_id).collect();
    run(
        store,
        t,
        Kind::FiveSupports,
        &format!("{fy}年度 5つの支援サーベイ"),
        fy,
        now - Duration::days(7),
        today + Duration::days(21),
        None,
        0.4,
        &accounts,
        hr,
        33,
    )
    .await?;
    Ok(())
}
