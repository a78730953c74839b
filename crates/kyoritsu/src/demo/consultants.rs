//! The demo's pool of career consultants (相談相手を選ぶ): two thousand generated
//! external consultants with varied profiles and open slots over the next weeks, so the
//! ten proposals, the keyword search and booking have something real to work on; and a
//! few colleagues who already chose a consultant, held a session and rated it, so the
//! consultant's ratings and HR's counts show figures above the anonymity threshold.

use super::{GIVEN_NAMES, SURNAMES};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::consultant::{AgeBand, Gender, Profile, Setting, Style, Theme};
use domain::{PersonId, Role, TenantId, UserId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::consultants::NewConsultant;
use store::consultations::{SlotBooking, Source};

/// How many consultants the demo generates (the full pool from [`FULL_POOL_FROM`]
/// employees on, as `serve --demo` makes; a small one for the tests' small companies).
pub const GENERATED: usize = 2_000;
pub const FULL_POOL_FROM: usize = 1_000;

/// The size of the pool for a company of `employees`.
pub fn pool_size(employees: usize) -> usize {
    if employees >= FULL_POOL_FROM {
        GENERATED
    } else {
        (employees / 4).clamp(12, GENERATED)
    }
}

const INDUSTRIES: [&str; 12] = [
    "製造",
    "小売",
    "IT",
    "金融",
    "医療・福祉",
    "建設",
    "物流",
    "公務",
    "教育",
    "商社",
    "食品",
    "化学",
];
const JOB_FAMILIES: [&str; 10] = [
    "営業",
    "人事",
    "経理",
    "企画",
    "研究開発",
    "製造管理",
    "事務",
    "エンジニア",
    "販売",
    "介護職",
];

/// A sentence about a theme, in the consultant's own voice.
fn about(theme: Theme) -> &'static str {
    match theme {
        Theme::JobChange => {
            "社外への転職を考え始めた方の、迷いや準備のご相談を多く受けてきました。"
        }
        Theme::Independence => {
            "独立や起業を考える方と、いまの仕事で試せる小さな一歩を一緒に探します。"
        }
        Theme::CareAndWork => {
            "育児や親の介護と仕事の両立に悩む方のお話を、たくさん伺ってきました。"
        }
        Theme::MiddleSenior => "50代からの働き方、役職を離れた後のキャリアを一緒に考えます。",
        Theme::Management => "初めて部下を持った方、管理職としての悩みを抱える方を支えてきました。",
        Theme::EarlyCareer => "入社数年目の、これでいいのかという気持ちに丁寧に向き合います。",
        Theme::Transfer => "異動や社内公募など、社内で次の場所を探す方の相談が得意です。",
        Theme::Relearning => "資格の取得や学び直しを、仕事とどうつなげるかを一緒に整理します。",
        Theme::BeforeBurnout => "疲れがたまる前に、働き方と気持ちを立て直すお手伝いをします。",
        Theme::AfterRetirement => "定年後も働き続けるための準備を、早いうちから一緒に始めます。",
    }
}

fn style_line(style: Style) -> &'static str {
    match style {
        Style::Listen => "まずはゆっくりお話を聴くことから始めます。",
        Style::ThinkTogether => "答えを急がず、一緒に考えながら進めます。",
        Style::Advise => "経験をもとに、具体的な助言もお伝えします。",
    }
}

fn pick<'a, T>(rng: &mut StdRng, from: &'a [T], n: usize) -> Vec<&'a T> {
    let mut out: Vec<&T> = Vec::new();
    while out.len() < n.min(from.len()) {
        let x = &from[rng.random_range(0..from.len())];
        if !out.iter().any(|y| std::ptr::eq(*y, x)) {
            out.push(x);
        }
    }
    out
}

/// The generated consultants, the same for the same seed.
pub fn generate(n: usize, seed: u64) -> Vec<NewConsultant> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xC0_5017);
    (0..n)
        .map(|i| {
            let (s, sk) = SURNAMES[rng.random_range(0..SURNAMES.len())];
            let (g, gk) = GIVEN_NAMES[rng.random_range(0..GIVEN_NAMES.len())];
            let count = rng.random_range(1..=4);
            let mut themes: Vec<Theme> = pick(&mut rng, &Theme::ALL, count)
                .into_iter()
                .copied()
                .collect();
            themes.sort();
            let style = Style::ALL[rng.random_range(0..3)];
            let n_industries = rng.random_range(1..=3);
            let industries: Vec<&str> = pick(&mut rng, &INDUSTRIES, n_industries)
                .into_iter()
                .copied()
                .collect();
            let n_families = rng.random_range(1..=2);
            let families: Vec<&str> = pick(&mut rng, &JOB_FAMILIES, n_families)
                .into_iter()
                .copied()
                .collect();
            let years = rng.random_range(1..=30u8);
            let mut message: String = themes.iter().map(|t| about(*t)).collect();
            message.push_str(style_line(style));
            message.push_str(&format!(
                "{}の業界のことも分かります。",
                industries.join("・")
            ));
            NewConsultant {
                email: format!("consultant{:04}@partners.example.jp", i + 1),
                name: format!("{s} {g}"),
                profile: Profile {
                    display_name: format!("{s} {g}"),
                    kana: format!("{sk} {gk}"),
                    registration_number: format!(
                        "{:08}",
                        16_000_000 + (i as u32 * 7919) % 3_999_999
                    ),
                    certifications: if rng.random_ratio(1, 3) {
                        "2級キャリアコンサルティング技能士".into()
                    } else {
                        String::new()
                    },
                    years_of_practice: years,
                    themes,
                    industries: industries.join("、"),
                    job_families: families.join("、"),
                    age_band: rng
                        .random_ratio(4, 5)
                        .then(|| AgeBand::ALL[rng.random_range(0..AgeBand::ALL.len())]),
                    gender: rng
                        .random_ratio(7, 10)
                        .then(|| Gender::ALL[rng.random_range(0..2)]),
                    style,
                    message,
                    languages: if rng.random_ratio(3, 20) {
                        "日本語、英語".into()
                    } else {
                        "日本語".into()
                    },
                    capacity_per_month: rng.random_range(4..=30),
                },
            }
        })
        .collect()
}

/// Open slots for the next four weeks: zero to four per consultant, on weekdays.
fn slots(
    rng: &mut StdRng,
    ids: &[UserId],
    today: NaiveDate,
) -> Vec<(UserId, DateTime<Utc>, u32, Setting)> {
    let mut out = Vec::new();
    for id in ids {
        for _ in 0..rng.random_range(0..=4) {
            let mut day = today + Duration::days(rng.random_range(1..28));
            while chrono::Datelike::weekday(&day).number_from_monday() > 5 {
                day += Duration::days(1);
            }
            let hour = [10, 13, 15, 19][rng.random_range(0..4)];
            let setting = if rng.random_ratio(2, 3) {
                Setting::Online
            } else {
                Setting::InPerson
            };
            if let Some(at) = domain::japan_time::japan_time_on(day, hour, 0) {
                out.push((*id, at, 60, setting));
            }
        }
    }
    out
}

/// Writes the pool, its slots, the demo consultant's own slots, and a few colleagues'
/// past consultations with their ratings (`colleagues`: people away from the demo
/// accounts' lines).
pub async fn seed(
    store: &store::Store,
    t: TenantId,
    users: &[(Role, store::users::User)],
    colleagues: &[PersonId],
    pool_size: usize,
    now: DateTime<Utc>,
) -> Result<(), store::StoreError> {
    let pool = store.save_consultants(t, &generate(pool_size, 1)).await?;
    let today = domain::japan_time::japan_date(now);
    let mut rng = StdRng::seed_from_u64(17);
    store
        .add_slots_many(t, &slots(&mut rng, &pool, today))
        .await?;
    let Some(consultant) = users
        .iter()
        .find(|(r, _)| *r == Role::Consultant)
        .map(|(_, u)| u)
    else {
        return Ok(());
    };
    // The demo consultant's open slots: weekday mornings and evenings for four weeks.
    let mut own = Vec::new();
    for d in 1..28 {
        let day = today + Duration::days(d);
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 && d % 2 == 1 {
            for (hour, setting) in [(10, Setting::InPerson), (18, Setting::Online)] {
                if let Some(at) = domain::japan_time::japan_time_on(day, hour, 0) {
                    own.push((consultant.id, at, 60, setting));
                }
            }
        }
    }
    store.add_slots_many(t, &own).await?;
    // Colleagues who chose a consultant: half the demo consultant, half from the pool;
    // each held a session a few weeks ago and rated it.
    let levels = [5u8, 4, 5, 4, 3, 5, 4, 5, 4, 5];
    // Within this fiscal year, so HR's figures for the year show them.
    let cal = store.tenant(t).await?.settings.calendar;
    let fy_start = *cal.range(cal.fiscal_year_of(today)).start();
    for (i, person) in colleagues.iter().enumerate() {
        let whom = if i % 2 == 0 {
            consultant.id
        } else {
            pool[(i * 37) % pool.len()]
        };
        let day = (today - Duration::days(7 * (1 + i as i64 % 4) + 1)).max(fy_start);
        let Some(at) = domain::japan_time::japan_time_on(day, 16, 0) else {
            continue;
        };
        let slot = store
            .add_slots(t, whom, &[(at, 60, Setting::Online)])
            .await?;
        let Some(dialogue) = store
            .book_slot(
                t,
                &SlotBooking {
                    slot: slot[0],
                    subject: *person,
                    booked_by: store
                        .account_of_person(t, *person)
                        .await?
                        .map(|(u, _)| u)
                        .unwrap_or(consultant.id),
                    place: "オンライン".into(),
                    source: if i % 3 == 0 {
                        Source::Search
                    } else {
                        Source::Proposal
                    },
                },
            )
            .await?
        else {
            continue;
        };
        store
            .close_dialogue(t, dialogue, domain::dialogue::DialogueState::Held)
            .await?;
        store
            .rate_session(t, dialogue, whom, levels[i % levels.len()], i % 4 != 3)
            .await?;
    }
    Ok(())
}
