//! `kyoritsu demo-data --history`: ten fiscal years behind the demo company, so the KPI
//! dashboard, the organisation report and キャリア自律 are measured on a company with a
//! past — career interviews once or twice a year for a rising share of people (with
//! commitments, most of them started and judged for behaviour change at the year's end,
//! and the themes raised), 1on1s by every manager at
//! their own cadence (monthly, every other month, quarterly, or not at all), and a
//! 5-supports survey each year before the two the demo already has. Deterministic (a
//! hash of person and year), streamed in batches of one transaction each.

use chrono::{Datelike, Duration, NaiveDate};
use domain::calendar::{FiscalCalendar, FiscalYear};
use domain::commitment::Status;
use domain::dialogue::DialogueKind;
use domain::{PersonId, Role, TenantId, UserId};
use std::collections::HashMap;
use store::history::{PastCommitment, PastDialogue};

/// Dialogues written per transaction.
const BATCH: usize = 50_000;

/// Share (%) of people with a career interview in each of the ten years, oldest first.
const INTERVIEWED: [u64; 10] = [8, 12, 18, 24, 30, 34, 38, 40, 42, 44];

/// What was written.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Written {
    pub interviews: u64,
    pub one_on_ones: u64,
    pub commitments: u64,
    pub themes: u64,
    pub manager_accounts: u64,
    pub surveys: u64,
    pub behaviour_evaluations: u64,
}

fn hash(a: u64, b: u64) -> u64 {
    let mut x = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// A working-day moment in Japan on `day` at `hour`.
fn at(day: NaiveDate, hour: u32) -> chrono::DateTime<chrono::Utc> {
    domain::japan_time::from_japan(day.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// Writes the history; `progress` hears each step as it is done.
pub async fn seed(
    store: &store::Store,
    t: TenantId,
    cal: &FiscalCalendar,
    today: NaiveDate,
    progress: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<Written> {
    let mut written = Written::default();
    let people = store.past_people(t).await?;
    let users = store.list_users(t).await?;
    let hr = users
        .iter()
        .find(|u| u.roles.contains(Role::Hr))
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("the demo company has no HR account"))?;
    let consultants: Vec<UserId> = users
        .iter()
        .filter(|u| u.roles.contains(Role::Consultant) && !u.disabled)
        .map(|u| u.id)
        .collect();
    anyhow::ensure!(
        !consultants.is_empty(),
        "the demo company has no consultant"
    );
    // Every manager holds 1on1s under an account of their own.
    let mut account_of: HashMap<PersonId, UserId> = users
        .iter()
        .filter_map(|u| Some((u.person_id?, u.id)))
        .collect();
    let name_of: HashMap<PersonId, &str> = people.iter().map(|p| (p.id, p.name.as_str())).collect();
    let mut managers: Vec<PersonId> = people.iter().filter_map(|p| p.manager).collect();
    managers.sort_by_key(|p| p.0);
    managers.dedup();
    let new: Vec<(PersonId, String, String)> = managers
        .iter()
        .filter(|m| !account_of.contains_key(m))
        .map(|m| {
            (
                *m,
                format!("manager-{}@demo.example.jp", m.0),
                name_of.get(m).copied().unwrap_or("管理職").to_string(),
            )
        })
        .collect();
    let ids = store.create_past_accounts(t, &new, Role::Employee).await?;
    written.manager_accounts = ids.len() as u64;
    for ((m, _, _), id) in new.iter().zip(ids) {
        account_of.insert(*m, id);
    }
    progress(&format!("{} manager accounts", written.manager_accounts));
    let this_fy = cal.fiscal_year_of(today).0;
    let load = store.begin_past_writes().await?;
    let mut batch: Vec<PastDialogue> = Vec::with_capacity(BATCH);
    for (k, share) in INTERVIEWED.iter().enumerate() {
        // Behaviour change, judged at the end of each past year for those who started.
        let mut evaluations = Vec::new();
        let fy = this_fy - 9 + k as i32;
        let range = cal.range(FiscalYear(fy));
        let (first, last) = (
            *range.start(),
            (*range.end()).min(today - Duration::days(1)),
        );
        if last < first {
            continue;
        }
        let days = (last - first).num_days().max(1) as u64;
        for p in &people {
            let h = hash(p.id.0 as u64, fy as u64);
            if p.hire_date.is_some_and(|d| d > last) {
                continue;
            }
            // Career interviews: a rising share; some people twice a year.
            if h % 100 < *share {
                let times = if h.is_multiple_of(7) { 2 } else { 1 };
                for n in 0..times {
                    let day = first + Duration::days(((h >> 8) + n * 150) as i64 % days as i64);
                    let starts_at = at(day, 10 + (h % 7) as u32);
                    let committed = (h >> 16) % 100 < 62 && n + 1 == times;
                    let starts_on = day + Duration::days(14 + ((h >> 24) % 45) as i64);
                    let status = if starts_on > today {
                        Status::NotStarted
                    } else if (h >> 32) % 100 < 74 {
                        Status::Started
                    } else {
                        Status::NotStarted
                    };
                    let themes: Vec<&'static str> = (0..1 + (h >> 40) % 2)
                        .map(|j| {
                            domain::concern::BUILTIN
                                [((h >> 44) + j * 3) as usize % domain::concern::BUILTIN.len()]
                        })
                        .collect();
                    written.themes += themes.len() as u64;
                    written.commitments += u64::from(committed);
                    let facilitator = consultants[(h >> 4) as usize % consultants.len()];
                    if committed && status == Status::Started && fy < this_fy {
                        let (level, why) = super::seeded_behaviour(((h >> 48) % 1000) as usize);
                        evaluations.push((p.id, fy, level, why, facilitator));
                    }
                    written.interviews += 1;
                    batch.push(PastDialogue {
                        kind: DialogueKind::CareerInterview,
                        subject: p.id,
                        facilitator,
                        starts_at,
                        commitment: committed.then(|| PastCommitment {
                            action: "来月から、毎月第1金曜に若手向けの業務勉強会を開きます".into(),
                            starts_on,
                            status,
                        }),
                        themes,
                    });
                }
            }
            // 1on1s at the manager's cadence.
            let Some(by) = p.manager.and_then(|m| account_of.get(&m).copied()) else {
                continue;
            };
            let every = match hash(p.manager.map(|m| m.0).unwrap_or(0) as u64, 7) % 20 {
                0..=6 => 1,
                7..=12 => 2,
                13..=16 => 3,
                _ => 0,
            };
            if every == 0 {
                continue;
            }
            let mut month = first.with_day(1).unwrap_or(first);
            let mut i = 0u64;
            while month <= last {
                if i.is_multiple_of(every) {
                    let day = month + Duration::days((hash(p.id.0 as u64, i) % 20) as i64);
                    if day >= first && day <= last {
                        written.one_on_ones += 1;
                        batch.push(PastDialogue {
                            kind: DialogueKind::OneOnOne,
                            subject: p.id,
                            facilitator: by,
                            starts_at: at(day, 15),
                            commitment: None,
                            themes: Vec::new(),
                        });
                    }
                }
                i += 1;
                month = month
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(last + Duration::days(1));
            }
            if batch.len() >= BATCH {
                store.write_past_dialogues(t, &batch).await?;
                batch.clear();
            }
        }
        store.write_past_dialogues(t, &batch).await?;
        batch.clear();
        store.write_past_evaluations(t, &evaluations).await?;
        written.behaviour_evaluations += evaluations.len() as u64;
        // The 5-supports survey of the year (the last two years are the demo's own).
        if fy <= this_fy - 2 {
            let opened = at(NaiveDate::from_ymd_opt(fy, 10, 1).unwrap_or(first), 9);
            super::surveys::run_past(store, t, fy, opened, hr, fy as u64).await?;
            written.surveys += 1;
        }
        progress(&format!(
            "FY{fy}: {} interviews, {} 1on1s so far",
            written.interviews, written.one_on_ones
        ));
    }
    store.finish_past_writes(load).await?;
    progress("indexes and keys in place");
    store.kpi_stale(t).await?;
    Ok(written)
}
