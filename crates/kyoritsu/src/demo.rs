//! The demo company generator (`kyoritsu demo-data`, and `serve --demo` on an empty
//! database): deterministic from a seed and the reference date, realistic Japanese names
//! in kanji and kana, a 本部/部/課 tree with reporting lines, ages 22–65, grades and ten
//! fiscal years of ratings; one demo account per role attached to fitting people.

use chrono::{Datelike, Days, NaiveDate};
use domain::Role;
use domain::calendar::{FiscalCalendar, FiscalYear};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::people::{NewDepartment, NewPerson, OrgLoad};

pub mod consultants;
pub mod history;
pub mod learning;
pub mod postings;
pub mod surveys;

/// The password of every demo account. Demo data is for trying the product, never production.
pub const DEMO_PASSWORD: &str = "kyoritsu-demo";
/// The smallest company that has every demo role in a sensible place.
pub const MIN_EMPLOYEES: usize = 30;

const SURNAMES: [(&str, &str); 60] = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"),
    ("藤田", "フジタ"),
    ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"),
    ("村上", "ムラカミ"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
    ("坂本", "サカモト"),
    ("福田", "フクダ"),
    ("太田", "オオタ"),
    ("西村", "ニシムラ"),
    ("藤井", "フジイ"),
    ("金子", "カネコ"),
    ("岡本", "オカモト"),
    ("藤原", "フジワラ"),
    ("中野", "ナカノ"),
    ("三浦", "ミウラ"),
    ("原田", "ハラダ"),
    ("中川", "ナカガワ"),
    ("松田", "マツダ"),
    ("竹内", "タケウチ"),
    ("小野", "オノ"),
    ("田村", "タムラ"),
    ("中山", "ナカヤマ"),
    ("和田", "ワダ"),
    ("石田", "イシダ"),
    ("上田", "ウエダ"),
    ("森田", "モリタ"),
];

const GIVEN_NAMES: [(&str, &str); 44] = [
    ("翔太", "ショウタ"),
    ("大輔", "ダイスケ"),
    ("健太", "ケンタ"),
    ("拓也", "タクヤ"),
    ("直樹", "ナオキ"),
    ("誠", "マコト"),
    ("浩", "ヒロシ"),
    ("隆", "タカシ"),
    ("健一", "ケンイチ"),
    ("和也", "カズヤ"),
    ("亮", "リョウ"),
    ("大樹", "ダイキ"),
    ("達也", "タツヤ"),
    ("修", "オサム"),
    ("剛", "ツヨシ"),
    ("聡", "サトシ"),
    ("洋平", "ヨウヘイ"),
    ("俊介", "シュンスケ"),
    ("悠斗", "ユウト"),
    ("蓮", "レン"),
    ("陽介", "ヨウスケ"),
    ("正樹", "マサキ"),
    ("陽子", "ヨウコ"),
    ("美穂", "ミホ"),
    ("恵", "メグミ"),
    ("裕子", "ユウコ"),
    ("直美", "ナオミ"),
    ("由美", "ユミ"),
    ("智子", "トモコ"),
    ("明美", "アケミ"),
    ("真由美", "マユミ"),
    ("香織", "カオリ"),
    ("彩", "アヤ"),
    ("愛", "アイ"),
    ("舞", "マイ"),
    ("美咲", "ミサキ"),
    ("沙織", "サオリ"),
    ("千尋", "チヒロ"),
    ("陽菜", "ヒナ"),
    ("結衣", "ユイ"),
    ("葵", "アオイ"),
    ("優子", "ユウコ"),
    ("奈々", "ナナ"),
    ("早紀", "サキ"),
];

const DIVISIONS: [(&str, &[&str]); 5] = [
    (
        "管理本部",
        &["人事部", "総務部", "経理部", "情報システム部"],
    ),
    ("営業本部", &["東日本営業部", "西日本営業部", "法人営業部"]),
    ("技術本部", &["開発部", "基盤技術部", "品質保証部"]),
    (
        "事業推進本部",
        &["企画部", "マーケティング部", "カスタマーサクセス部"],
    ),
    ("製造本部", &["生産管理部", "調達部", "第一工場"]),
];
const DEPTS_PER_ROUND: usize = 16;
const MAX_SECTIONS_PER_DEPT: usize = 6;
const SECTION_NAMES: [&str; 6] = ["第一課", "第二課", "第三課", "第四課", "第五課", "第六課"];
const RATINGS: [(&str, u32); 5] = [("S", 5), ("A", 20), ("B", 50), ("C", 20), ("D", 5)];

/// One demo sign-in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub name: String,
    /// The person this account is, if any (the instructor is external).
    pub employee_number: Option<String>,
    pub roles: Vec<Role>,
}

/// A generated company.
pub struct DemoCompany {
    pub org: OrgLoad,
    pub accounts: Vec<DemoAccount>,
}

struct Gen {
    rng: StdRng,
    today: NaiveDate,
}

impl Gen {
    fn name(&mut self) -> (String, String) {
        let (s, sk) = SURNAMES[self.rng.random_range(0..SURNAMES.len())];
        let (g, gk) = GIVEN_NAMES[self.rng.random_range(0..GIVEN_NAMES.len())];
        (format!("{s} {g}"), format!("{sk} {gk}"))
    }

    fn birth_for_age(&mut self, lo: i32, hi: i32) -> NaiveDate {
        let age = self.rng.random_range(lo..=hi);
        let days = self.rng.random_range(0..365u64);
        let base = NaiveDate::from_ymd_opt(self.today.year() - age - 1, self.today.month(), 1)
            .unwrap_or(self.today);
        base.checked_add_days(Days::new(days)).unwrap_or(base)
    }

    /// New graduates join on 1 April of the year they turn 22 or 23; a third join mid-career.
    fn hire_for(&mut self, birth: NaiveDate) -> NaiveDate {
        let grad_year =
            birth.year() + 22 + i32::from(birth.month() >= 4) + self.rng.random_range(0..=1);
        let hire = if self.rng.random_ratio(2, 3) {
            NaiveDate::from_ymd_opt(grad_year, 4, 1)
        } else {
            let span = (self.today.year() - grad_year).max(1);
            let y = grad_year + self.rng.random_range(0..span);
            NaiveDate::from_ymd_opt(y, self.rng.random_range(1..=12), 1)
        };
        hire.unwrap_or(self.today).min(self.today)
    }

    fn rating(&mut self, bias: i32) -> &'static str {
        let roll: i32 = self.rng.random_range(0..100) - bias;
        let mut acc = 0i32;
        for (r, w) in RATINGS {
            acc += w as i32;
            if roll < acc {
                return r;
            }
        }
        "D"
    }
}

/// Generates `employees` people (at least [`MIN_EMPLOYEES`]) deterministically from `seed`.
pub fn generate(
    employees: usize,
    seed: u64,
    today: NaiveDate,
    cal: &FiscalCalendar,
) -> DemoCompany {
    let employees = employees.max(MIN_EMPLOYEES);
    let mut g = Gen {
        rng: StdRng::seed_from_u64(seed),
        today,
    };
    let fy = cal.fiscal_year_of(today);

    // Shape: about 13 people per section (課長 + members), up to 6 sections per 部.
    let sections = (employees / 13).max(2);
    let rounds = sections
        .div_ceil(DEPTS_PER_ROUND * MAX_SECTIONS_PER_DEPT)
        .max(1);
    let dept_count = DEPTS_PER_ROUND * rounds;
    let mut departments = Vec::new();
    let mut dept_sections: Vec<Vec<String>> = Vec::new(); // section codes per 部, in order
    let mut dept_of_division: Vec<(String, Vec<String>)> = Vec::new(); // division code → 部 codes
    for round in 0..rounds {
        for (di, (division, depts)) in DIVISIONS.iter().enumerate() {
            let suffix = if round == 0 {
                String::new()
            } else {
                format!("{}", round + 1)
            };
            let dcode = format!("D{:04}{}", round, di);
            departments.push(NewDepartment {
                code: dcode.clone(),
                name: format!("{division}{suffix}"),
                parent_code: None,
            });
            let mut codes = Vec::new();
            for (bi, bu) in depts.iter().enumerate() {
                let bcode = format!("{dcode}-{bi}");
                departments.push(NewDepartment {
                    code: bcode.clone(),
                    name: format!("{bu}{suffix}"),
                    parent_code: Some(dcode.clone()),
                });
                codes.push(bcode);
                dept_sections.push(Vec::new());
            }
            dept_of_division.push((dcode, codes));
        }
    }
    // Sections go round-robin over the 部, so small companies still have 人事部 and 営業.
    let all_bu: Vec<String> = dept_of_division
        .iter()
        .flat_map(|(_, b)| b.iter().cloned())
        .collect();
    for s in 0..sections {
        let bi = s % dept_count;
        let n = dept_sections[bi].len();
        let code = format!("{}-{}", all_bu[bi], n);
        departments.push(NewDepartment {
            code: code.clone(),
            name: SECTION_NAMES[n % SECTION_NAMES.len()].to_string(),
            parent_code: Some(all_bu[bi].clone()),
        });
        dept_sections[bi].push(code);
    }

    let mut people: Vec<NewPerson> = Vec::with_capacity(employees);
    let mut next_number = 1usize;
    let mut push = |g: &mut Gen,
                    people: &mut Vec<NewPerson>,
                    dept: &str,
                    manager: Option<String>,
                    title: &str,
                    grade: &str,
                    ages: (i32, i32)|
     -> String {
        let number = format!("E{:07}", next_number);
        next_number += 1;
        let (name, kana) = g.name();
        let birth = g.birth_for_age(ages.0, ages.1);
        let hire = g.hire_for(birth);
        let status = if title.is_empty() && g.rng.random_ratio(1, 50) {
            domain::PersonStatus::Leave
        } else {
            domain::PersonStatus::Active
        };
        people.push(NewPerson {
            employee_number: number.clone(),
            name,
            name_kana: kana,
            email: Some(format!("{}@demo.example.jp", number.to_lowercase())),
            birth_date: Some(birth),
            hire_date: Some(hire),
            department_code: Some(dept.to_string()),
            title: title.to_string(),
            grade: grade.to_string(),
            manager_number: manager,
            status,
        });
        number
    };

    let president = push(
        &mut g,
        &mut people,
        &dept_of_division[0].0,
        None,
        "代表取締役社長",
        "E",
        (60, 65),
    );
    let mut section_heads: Vec<(String, String)> = Vec::new(); // (section code, head number)
    let mut bu_index = 0;
    for (dcode, bus) in &dept_of_division {
        let division_head = push(
            &mut g,
            &mut people,
            dcode,
            Some(president.clone()),
            "本部長",
            "M3",
            (52, 62),
        );
        for bcode in bus {
            let sections_here = &dept_sections[bu_index];
            bu_index += 1;
            if sections_here.is_empty() {
                continue;
            }
            let bu_head = push(
                &mut g,
                &mut people,
                bcode,
                Some(division_head.clone()),
                "部長",
                "M2",
                (45, 58),
            );
            for scode in sections_here {
                let head = push(
                    &mut g,
                    &mut people,
                    scode,
                    Some(bu_head.clone()),
                    "課長",
                    "M1",
                    (38, 55),
                );
                section_heads.push((scode.clone(), head));
            }
        }
    }
    let heads = people.len();
    let members = employees.saturating_sub(heads);
    for i in 0..members {
        let (scode, head) = &section_heads[i % section_heads.len()];
        let age_band = if g.rng.random_ratio(1, 2) {
            (22, 40)
        } else {
            (22, 65)
        };
        let p_index = people.len();
        push(
            &mut g,
            &mut people,
            scode,
            Some(head.clone()),
            "",
            "",
            age_band,
        );
        let age = cal.age_on(people[p_index].birth_date.unwrap_or(today), today);
        people[p_index].grade = format!("G{}", ((age - 22) / 8 + 1).clamp(1, 5));
    }

    // Demo accounts on fitting people: the employee turns 50 this fiscal year and reports
    // to the demo manager; HR, the consultant and the admin sit in 管理本部.
    let member_in = |people: &[NewPerson], section: &str, skip: usize| -> Option<usize> {
        people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.title.is_empty() && p.department_code.as_deref() == Some(section))
            .map(|(i, _)| i)
            .nth(skip)
    };
    let hr_section = section_heads[0].0.clone(); // 管理本部 / 人事部 / 第一課
    let sales_section = section_heads
        .iter()
        .find(|(s, _)| s.starts_with("D00001"))
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| hr_section.clone());
    let admin_section = section_heads
        .iter()
        .find(|(s, _)| s.starts_with("D00000-3"))
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| hr_section.clone());
    let mut accounts = Vec::new();
    let mut attach = |people: &mut Vec<NewPerson>,
                      idx: Option<usize>,
                      role: Role,
                      email: &str,
                      roles: Vec<Role>,
                      title: Option<&str>| {
        let Some(i) = idx else { return };
        people[i].email = Some(email.to_string());
        if let Some(t) = title {
            people[i].title = t.to_string();
        }
        accounts.push(DemoAccount {
            role,
            email: email.into(),
            name: people[i].name.clone(),
            employee_number: Some(people[i].employee_number.clone()),
            roles,
        });
    };
    let employee_idx = member_in(&people, &sales_section, 0);
    if let Some(i) = employee_idx {
        // Born inside the cohort that turns 50 during the current fiscal year.
        let range = cal.birth_range_turning(50, fy);
        let span = (*range.end() - *range.start()).num_days().max(1) as u64;
        let birth = range
            .start()
            .checked_add_days(Days::new(g.rng.random_range(0..span)))
            .unwrap_or(*range.start());
        people[i].birth_date = Some(birth);
        people[i].hire_date =
            NaiveDate::from_ymd_opt(birth.year() + 23 + i32::from(birth.month() >= 4), 4, 1)
                .map(|h| h.min(today));
        people[i].grade = "G4".into();
        people[i].status = domain::PersonStatus::Active;
    }
    attach(
        &mut people,
        employee_idx,
        Role::Employee,
        "employee@demo.example.jp",
        vec![Role::Employee],
        None,
    );
    let manager_idx = section_heads
        .iter()
        .find(|(s, _)| *s == sales_section)
        .and_then(|(_, h)| people.iter().position(|p| &p.employee_number == h));
    attach(
        &mut people,
        manager_idx,
        Role::Manager,
        "manager@demo.example.jp",
        vec![Role::Employee],
        None,
    );
    let idx = member_in(&people, &hr_section, 0);
    attach(
        &mut people,
        idx,
        Role::Hr,
        "hr@demo.example.jp",
        vec![Role::Employee, Role::Hr],
        Some("人事担当"),
    );
    let idx = member_in(&people, &hr_section, 1);
    attach(
        &mut people,
        idx,
        Role::Consultant,
        "consultant@demo.example.jp",
        vec![Role::Employee, Role::Consultant],
        Some("キャリアコンサルタント"),
    );
    let admin_skip = if admin_section == hr_section { 2 } else { 0 };
    let idx = member_in(&people, &admin_section, admin_skip);
    attach(
        &mut people,
        idx,
        Role::Admin,
        "admin@demo.example.jp",
        vec![Role::Employee, Role::Admin],
        Some("システム管理者"),
    );
    accounts.push(DemoAccount {
        role: Role::Instructor,
        email: "instructor@demo.example.jp".into(),
        name: "森田 香織".into(),
        employee_number: None,
        roles: vec![Role::Instructor],
    });
    // An external mentor (社外メンター): paired with the demo employee by HR.
    accounts.push(DemoAccount {
        role: Role::Mentor,
        email: "mentor@demo.example.jp".into(),
        name: "高橋 誠".into(),
        employee_number: None,
        roles: vec![Role::Mentor],
    });
    accounts.sort_by_key(|a| Role::ALL.iter().position(|r| *r == a.role));

    // Ten fiscal years of ratings up to last year, for everyone employed by then.
    let mut ratings = Vec::with_capacity(people.len() * 8);
    for p in &people {
        let bias = g.rng.random_range(-15..=15);
        let Some(hire) = p.hire_date else { continue };
        for y in (fy.0 - 10)..fy.0 {
            if hire <= *cal.range(FiscalYear(y)).end() {
                let r = g.rating(bias);
                ratings.push((p.employee_number.clone(), y, r.to_string()));
            }
        }
    }
    DemoCompany {
        org: OrgLoad {
            departments,
            people,
            ratings,
        },
        accounts,
    }
}

/// Two versions of the demo employee's career sheet (キャリアシート), a few months apart in
/// spirit: the vision grew more concrete and a worry was kept private.
pub fn career_sheet_versions() -> Vec<domain::career_sheet::CareerSheet> {
    use domain::career_sheet::{CareerSheet, EntryInput, Section};
    let texts = |vision: &'static str, concerns: &'static str| {
        move |s: Section| {
            let (text, private) = match s {
                Section::WorkHistory => (
                    "2015年入社。法人営業部で中小企業向けの提案営業を5年、2020年から営業企画で販売データの分析を担当しています。",
                    false,
                ),
                Section::Skills => (
                    "基本情報技術者、日商簿記2級。SQLでの集計とダッシュボード作り。",
                    false,
                ),
                Section::Strengths => (
                    "数字を整理して、現場の人にわかる言葉で説明できること。",
                    false,
                ),
                Section::Meaning => (
                    "自分の分析がきっかけで、営業のやり方が変わったと言われたとき。",
                    false,
                ),
                Section::Intention => (
                    "データを使って、営業と企画をつなぐ役割を続けたいと考えています。",
                    false,
                ),
                Section::Vision => (vision, false),
                Section::Concerns => (concerns, true),
                Section::Events => (
                    "昨年、社内表彰の候補に挙がったものの選ばれず、自分の強みを見直すきっかけになりました。",
                    false,
                ),
                Section::Successes => (
                    "新人の頃、失注続きの顧客を半年かけて取り戻したこと。",
                    false,
                ),
            };
            EntryInput {
                text: text.into(),
                private,
            }
        }
    };
    [
        CareerSheet::parse(
            texts(
                "いずれは企画の仕事を続けたい。",
                "このまま分析だけを続けてよいのか迷っています。",
            ),
            "",
        ),
        CareerSheet::parse(
            texts(
                "3年後に、営業データの活用を全社に広げるチームの中心になっている。",
                "子どもの進学と、転勤の可能性が重なることが気がかりです。",
            ),
            "3",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The demo's dialogues (面談・1on1): the consultant is assigned to the demo employee and
/// a few others; one career interview was held two months ago (consent with a withheld
/// topic, notes of each visibility, items carried over, the employee's reflection), the
/// next is booked for next week with a topic the employee prepared, HR booked one for
/// another client, and the manager holds a monthly 1on1 series with the employee.
pub async fn seed_dialogues(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
) -> Result<(), store::StoreError> {
    use chrono::{Duration, NaiveTime, Utc};
    use domain::dialogue::{
        Cadence, CarryOver, DialogueKind, DialogueState, Visibility as V, WantedResponse,
    };
    use store::dialogues::{NewDialogue, NoteInput};
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(employee), Some(consultant), Some(manager), Some(hr)) = (
        user(Role::Employee),
        user(Role::Consultant),
        user(Role::Manager),
        user(Role::Hr),
    ) else {
        return Ok(());
    };
    let (Some(subject), Some(manager_person)) = (employee.person_id, manager.person_id) else {
        return Ok(());
    };
    // A day `days` from today at `hh:mm` Japan time, as a moment.
    let at = |days: i64, hh: u32, mm: u32| {
        let day = domain::japan_time::japan_date(Utc::now()) + Duration::days(days);
        domain::japan_time::from_japan(
            day.and_time(NaiveTime::from_hms_opt(hh, mm, 0).unwrap_or_default()),
        )
    };
    store
        .assign_consultant(t, consultant.id, subject, hr.id)
        .await?;
    let others: Vec<domain::PersonId> = store
        .reports_of(t, manager_person)
        .await?
        .into_iter()
        .map(|(_, p)| domain::PersonId(p.id))
        .filter(|p| *p != subject && Some(*p) != consultant.person_id)
        .take(3)
        .collect();
    for p in &others {
        store.assign_consultant(t, consultant.id, *p, hr.id).await?;
    }
    let book =
        |kind, subject, facilitator: &store::users::User, by: &store::users::User, starts| {
            NewDialogue {
                kind,
                subject,
                facilitator: facilitator.id,
                duration_minutes: 60,
                place: "本社 5階 相談室B".into(),
                created_by: by.id,
                starts,
                cadence: None,
            }
        };
    let note = |visibility, carry_over, category: Option<&str>, body: &str| NoteInput {
        visibility,
        carry_over,
        question_category: category.map(str::to_string),
        body: body.into(),
    };
    // An external career consultation four months ago whose feedback report reached the
    // manager, who acknowledged it and recorded the support given.
    let earlier = store
        .create_dialogues(
            t,
            &book(
                DialogueKind::Consultation,
                subject,
                consultant,
                consultant,
                vec![at(-120, 15, 0)],
            ),
        )
        .await?[0];
    store
        .record_consent(
            t,
            earlier,
            domain::dialogue::ConsentChange::Given,
            "",
            employee.id,
        )
        .await?;
    if let Some(d) = store.dialogue(t, earlier).await? {
        store
            .add_note(
                t,
                &d,
                consultant.id,
                &note(
                    V::ForManager,
                    CarryOver::None,
                    Some("strengths"),
                    "お客様の話をじっくり聞く力は、部内でも頼りにされている。",
                ),
            )
            .await?;
    }
    store
        .close_dialogue(t, earlier, DialogueState::Held)
        .await?;
    let parts = domain::feedback::Parts {
        unknown_side: "お客様の話をじっくり聞く姿勢が、後輩からも頼りにされています。ご本人は当たり前のことと思っていて、強みだと気づいていません。".into(),
        motivation: "人の成長に関わる役割を任されると、意欲が高まるようです。".into(),
        committed: "・来月から、後輩の商談に月2回同行し、終わった後に10分ふりかえりをします。".into(),
        support: "同行の時間を業務として認め、月に一度、ふりかえりの内容を聞いてあげてください。".into(),
    };
    store
        .save_report_draft(t, earlier, subject, consultant.id, &parts)
        .await?;
    if let Some(r) = store.report_of_dialogue(t, earlier).await? {
        store.send_report(t, r.id, manager_person, &[]).await?;
        store
            .acknowledge_report(
                t,
                r.id,
                Some("同行を業務計画に入れ、月末の1on1でふりかえりを聞くことにしました。"),
            )
            .await?;
    }
    // The career interview two months ago.
    let held = store
        .create_dialogues(
            t,
            &book(
                DialogueKind::CareerInterview,
                subject,
                consultant,
                consultant,
                vec![at(-60, 10, 0)],
            ),
        )
        .await?[0];
    store
        .add_topic(
            t,
            held,
            employee.id,
            WantedResponse::ThinkTogether,
            "50代からのキャリアにどんな選択肢があるのかを知りたいです。",
        )
        .await?;
    store
        .record_consent(
            t,
            held,
            domain::dialogue::ConsentChange::Given,
            "母の介護のこと",
            employee.id,
        )
        .await?;
    if let Some(d) = store.dialogue(t, held).await? {
        for n in [
            note(
                V::Private,
                CarryOver::Remember,
                Some("worries"),
                "母の介護が始まり、転勤のある異動には不安が大きい。上司には伝えないでほしいとのこと。",
            ),
            note(
                V::Shared,
                CarryOver::None,
                Some("strengths"),
                "営業で長年築いてきた顧客との信頼関係づくりは、ご本人が思っている以上の強みです。",
            ),
            note(
                V::ForManager,
                CarryOver::None,
                Some("meaning"),
                "後輩の相談に乗っているときに一番やりがいを感じている。育成に関わる役割があると力を発揮しやすい。",
            ),
            note(
                V::Shared,
                CarryOver::NextTime,
                Some("future"),
                "社内公募の募集要項を一緒に見て、関心のある職種を絞り込む。",
            ),
        ] {
            store.add_note(t, &d, consultant.id, &n).await?;
        }
    }
    // The commitment made there, confirmed by the employee: it counts.
    let today = domain::japan_time::japan_date(Utc::now());
    let next_month = chrono::NaiveDate::from_ymd_opt(
        today.year() + i32::from(today.month() == 12),
        today.month() % 12 + 1,
        1,
    )
    .unwrap_or(today);
    let commit = |action: &str, starts_on: chrono::NaiveDate, first_step: &str, evidence: &str| {
        domain::commitment::Input {
            content: domain::commitment::Content {
                action: action.into(),
                first_step: first_step.into(),
                evidence: evidence.into(),
                vision: "営業で培った信頼関係づくりを、育成の仕事に活かす".into(),
                target: String::new(),
                opportunity: None,
            },
            starts_on,
            due_on: None,
        }
    };
    let kept = commit(
        "来月1日から、毎週水曜の朝に30分、社内公募の募集情報を確認します",
        next_month,
        "社内ポータルの公募ページをブックマークする",
        "確認した募集を手帳に書き留め、次の面談で見せる",
    );
    let c = store
        .add_commitment(
            t,
            held,
            subject,
            consultant.id,
            &kept,
            &app::language::check(&kept.content.action),
        )
        .await?;
    store.confirm_commitment(t, c, subject).await?;
    store.close_dialogue(t, held, DialogueState::Held).await?;
    store
        .reflect_on_dialogue(
            t,
            held,
            4,
            "自分の強みを言葉にしてもらえて、少し自信がつきました。",
        )
        .await?;
    // The milestone programme (節目面談, turning 50 this year): the first session ended
    // without a commitment that counts, so the next one is booked.
    let first_milestone = store
        .create_dialogues(
            t,
            &book(
                DialogueKind::MilestoneInterview,
                subject,
                consultant,
                hr,
                vec![at(-20, 10, 0)],
            ),
        )
        .await?[0];
    // Agreed in the session and recorded by the consultant: it waits for the employee
    // to confirm it on their page before anything may go to the manager.
    store
        .record_consent(
            t,
            first_milestone,
            domain::dialogue::ConsentChange::Given,
            "",
            consultant.id,
        )
        .await?;
    if let Some(d) = store.dialogue(t, first_milestone).await? {
        store
            .add_note(
                t,
                &d,
                consultant.id,
                &note(
                    V::Shared,
                    CarryOver::None,
                    Some("how_to_be"),
                    "50歳を迎える今年、これからの働き方を自分で決めたいとのこと。",
                ),
            )
            .await?;
        let vague = commit(
            "もっと主体的にキャリアを考えるよう意識します",
            today,
            "",
            "",
        );
        let c = store
            .add_commitment(
                t,
                first_milestone,
                subject,
                consultant.id,
                &vague,
                &app::language::check(&vague.content.action),
            )
            .await?;
        store.confirm_commitment(t, c, subject).await?;
    }
    store
        .create_dialogues(
            t,
            &book(
                DialogueKind::MilestoneInterview,
                subject,
                consultant,
                hr,
                vec![at(14, 10, 0)],
            ),
        )
        .await?;
    store
        .close_with_outcome(
            t,
            first_milestone,
            domain::commitment::MilestoneOutcome::Continued,
        )
        .await?;
    // The next one, next week, with a topic the employee prepared.
    let next = store
        .create_dialogues(
            t,
            &book(
                DialogueKind::CareerInterview,
                subject,
                consultant,
                consultant,
                vec![at(7, 14, 0)],
            ),
        )
        .await?[0];
    store
        .add_topic(
            t,
            next,
            employee.id,
            WantedResponse::Advice,
            "社内公募に応募するかどうか迷っています。",
        )
        .await?;
    // HR booked an interview for another client.
    if let Some(other) = others.first() {
        store
            .create_dialogues(
                t,
                &book(
                    DialogueKind::CareerInterview,
                    *other,
                    consultant,
                    hr,
                    vec![at(10, 10, 0)],
                ),
            )
            .await?;
    }
    // The manager's monthly 1on1s: three held, three to come.
    let first = at(-84, 16, 0);
    let starts = Cadence::Monthly
        .occurrences(first.naive_utc(), 6)
        .into_iter()
        .map(|n| n.and_utc())
        .collect();
    let series = store
        .create_dialogues(
            t,
            &NewDialogue {
                kind: DialogueKind::OneOnOne,
                duration_minutes: 30,
                place: "オンライン（Teams）".into(),
                cadence: Some(Cadence::Monthly),
                ..book(DialogueKind::OneOnOne, subject, manager, manager, starts)
            },
        )
        .await?;
    let now = Utc::now();
    for (i, id) in series.iter().enumerate() {
        let Some(d) = store.dialogue(t, *id).await? else {
            continue;
        };
        if d.starts_at >= now {
            continue;
        }
        let text = [
            "今期の目標の進み具合を確認した。新しい顧客開拓で手応えを感じている。",
            "後輩の指導を任せてみる。来月から週に一度、同行営業の機会をつくる。",
            "キャリア面談で話した内容を、話せる範囲で共有してもらった。",
        ][i % 3];
        store
            .add_note(
                t,
                &d,
                manager.id,
                &note(V::Shared, CarryOver::None, None, text),
            )
            .await?;
        store.close_dialogue(t, *id, DialogueState::Held).await?;
    }
    // The manager's 1on1s with the rest of the team: most within the month, two longer
    // ago (due again), one more this week; a few members not met yet.
    let team: Vec<domain::PersonId> = store
        .reports_of(t, manager_person)
        .await?
        .into_iter()
        .filter(|(depth, p)| *depth == 1 && p.id != subject.0)
        .map(|(_, p)| domain::PersonId(p.id))
        .filter(|p| Some(*p) != consultant.person_id)
        .take(7)
        .collect();
    for (i, member) in team.iter().enumerate() {
        let id = store
            .create_dialogues(
                t,
                &NewDialogue {
                    duration_minutes: 30,
                    place: "本社 4階 会議室C".into(),
                    ..book(
                        DialogueKind::OneOnOne,
                        *member,
                        manager,
                        manager,
                        vec![at(-5 - 6 * i as i64, 17, 0)],
                    )
                },
            )
            .await?[0];
        store.close_dialogue(t, id, DialogueState::Held).await?;
    }
    if let Some(member) = team.first() {
        store
            .create_dialogues(
                t,
                &NewDialogue {
                    duration_minutes: 30,
                    place: "本社 4階 会議室C".into(),
                    ..book(
                        DialogueKind::OneOnOne,
                        *member,
                        manager,
                        manager,
                        vec![at(2, 17, 30)],
                    )
                },
            )
            .await?;
    }
    Ok(())
}

/// The demo consultant's profile (プロフィール), as employees read it, and the demo
/// employee's values diagnosis.
pub async fn seed_consultant_profile(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
) -> Result<(), store::StoreError> {
    use domain::consultant::{AgeBand, Profile, Style, Theme};
    let Some(consultant) = users
        .iter()
        .find(|(r, _)| *r == Role::Consultant)
        .map(|(_, u)| u)
    else {
        return Ok(());
    };
    // An internal consultant: the reading of their name comes from the employee master.
    let kana = match consultant.person_id {
        Some(p) => store
            .person(t, p)
            .await?
            .map(|p| p.name_kana)
            .unwrap_or_default(),
        None => String::new(),
    };
    store
        .save_consultant_profile(
            t,
            consultant.id,
            &Profile {
                display_name: consultant.name.clone(),
                kana: if kana.is_empty() {
                    "カウンセラー".into()
                } else {
                    kana
                },
                registration_number: "16012345".into(),
                certifications: "2級キャリアコンサルティング技能士、産業カウンセラー".into(),
                years_of_practice: 12,
                themes: vec![
                    Theme::CareAndWork,
                    Theme::MiddleSenior,
                    Theme::Transfer,
                ],
                industries: "製造、小売、IT".into(),
                job_families: "営業、人事、製造管理".into(),
                age_band: Some(AgeBand::Fifties),
                gender: None,
                style: Style::Listen,
                message: "仕事のこと、家族のこと、これからの働き方のこと。まだ言葉になっていない気持ちも、ゆっくり伺います。お話しいただいた内容は、あなたの同意なく会社に伝わることはありません。".into(),
                languages: "日本語".into(),
                capacity_per_month: 24,
            },
        )
        .await?;
    // The demo employee took the values diagnosis (価値観診断).
    if let Some(person) = users
        .iter()
        .find(|(r, _)| *r == Role::Employee)
        .and_then(|(_, u)| u.person_id)
    {
        store
            .save_diagnosis(
                t,
                person,
                &domain::consultant::Diagnosis {
                    themes: vec![Theme::CareAndWork, Theme::MiddleSenior],
                    own_words: "50歳を前に、親の介護とこれからの働き方をどう両立するかを考えたい。"
                        .into(),
                    style: Some(Style::Listen),
                    age_band: None,
                    gender: None,
                    industry: String::new(),
                    setting: domain::consultant::Setting::Either,
                },
            )
            .await?;
    }
    Ok(())
}

/// Ten fiscal years of career interviews for the demo's autonomy figures (demos of at
/// least [`HISTORY_FROM_EMPLOYEES`] people): each year a growing share of people stated a
/// vision and practised a confirmed commitment, rising from a low start and then
/// flattening, as in the seed. Held by an external consultant, so the demo accounts' own
/// lists stay readable. At most [`HISTORY_PER_YEAR`] people a year keep generation fast.
/// ペア: HR paired the demo employee with the external mentor (who prepares with the
/// sections the employee chose) and a mentor 1on1 is booked next week; a colleague from
/// another department has invited the employee to a cross-department 1on1, waiting on
/// the employee's answer.
pub async fn seed_pairs(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
) -> Result<(), store::StoreError> {
    use chrono::{Duration, NaiveTime, Utc};
    use domain::career_sheet::Section;
    use domain::dialogue::DialogueKind;
    use domain::pairing::{PairKind, PairSide, PairStatus};
    use store::pairs::NewPair;
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(employee), Some(mentor), Some(hr), Some(admin)) = (
        user(Role::Employee),
        user(Role::Mentor),
        user(Role::Hr),
        user(Role::Admin),
    ) else {
        return Ok(());
    };
    let Some(subject) = employee.person_id else {
        return Ok(());
    };
    let id = store
        .open_pair(
            t,
            &NewPair {
                kind: PairKind::Mentor,
                partner: mentor.id,
                subject,
                status: PairStatus::Active,
                awaiting: None,
                message: String::new(),
                created_by: hr.id,
                programme: None,
            },
        )
        .await?;
    store
        .set_pair_sections(
            t,
            id,
            &[Section::Meaning, Section::Vision, Section::Strengths],
        )
        .await?;
    let day = domain::japan_time::japan_date(Utc::now()) + Duration::days(8);
    store
        .create_dialogues(
            t,
            &store::dialogues::NewDialogue {
                kind: DialogueKind::MentorOneOnOne,
                subject,
                facilitator: mentor.id,
                duration_minutes: 45,
                place: "オンライン（Teams）".into(),
                created_by: mentor.id,
                starts: vec![domain::japan_time::from_japan(
                    day.and_time(NaiveTime::from_hms_opt(17, 30, 0).unwrap_or_default()),
                )],
                cadence: None,
            },
        )
        .await?;
    // The admin works in another part of 管理本部, outside the employee's line.
    if admin.person_id.is_some() {
        store
            .open_pair(
                t,
                &NewPair {
                    kind: PairKind::Cross,
                    partner: admin.id,
                    subject,
                    status: PairStatus::Invited,
                    awaiting: Some(PairSide::Subject),
                    message: "営業の現場で大切にしていることを、一度ゆっくり伺いたいです。月に一度、30分ほどいかがでしょうか。".into(),
                    created_by: admin.id,
                    programme: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// 依頼: the demo employee has asked their manager for a 1on1, proposing three times next
/// week; it waits on the manager's home.
pub async fn seed_requests(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
) -> Result<(), store::StoreError> {
    use chrono::{Duration, NaiveTime, Utc};
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(employee), Some(manager)) = (user(Role::Employee), user(Role::Manager)) else {
        return Ok(());
    };
    let Some(subject) = employee.person_id else {
        return Ok(());
    };
    let day = domain::japan_time::japan_date(Utc::now());
    let slot = |days: i64, hh: u32| {
        (day + Duration::days(days)).and_time(NaiveTime::from_hms_opt(hh, 0, 0).unwrap_or_default())
    };
    store
        .add_request(
            t,
            domain::request::RequestKind::OneOnOne,
            subject,
            manager.id,
            &[slot(5, 10), slot(6, 15), slot(8, 11)],
            "50歳を前に、これからの役割について一度ゆっくりご相談したいです。",
        )
        .await?;
    Ok(())
}

pub async fn seed_autonomy_history(
    store: &store::Store,
    t: domain::TenantId,
    numbers: &[String],
    skip: &[domain::PersonId],
    cal: &FiscalCalendar,
    today: NaiveDate,
) -> Result<(), store::StoreError> {
    use chrono::Duration;
    use domain::commitment::{Content, Input, Status};
    use domain::dialogue::{DialogueKind, DialogueState};
    if numbers.len() < HISTORY_FROM_EMPLOYEES {
        return Ok(());
    }
    let consultant = store
        .create_user(
            t,
            store::users::NewUser {
                email: domain::EmailAddress::parse("external-cc@demo.example.jp")
                    .map_err(store::StoreError::Invalid)?,
                name: "外部キャリアコンサルタント（デモ）".into(),
                roles: vec![Role::Consultant],
                person_id: None,
                password: None,
            },
        )
        .await?;
    // Share of people each year, oldest first: low, rising, then flat.
    const SHARE: [usize; 10] = [3, 8, 16, 26, 36, 44, 48, 50, 50, 50];
    let now = cal.fiscal_year_of(today);
    for (k, share) in SHARE.iter().enumerate() {
        let fy = FiscalYear(now.0 - 9 + k as i32);
        let day = (*cal.range(fy).start() + Duration::days(60 + (k as i64 % 5) * 7)).min(today);
        let at = (day.and_hms_opt(1, 0, 0).unwrap_or_default()).and_utc();
        let mut chosen = 0;
        for (i, number) in numbers.iter().enumerate() {
            if chosen >= HISTORY_PER_YEAR || (i * 37 + k * 11) % 100 >= *share {
                continue;
            }
            let Some(p) = store.person_by_number(t, number).await? else {
                continue;
            };
            let person = domain::PersonId(p.id);
            if skip.contains(&person) || p.hire_date.is_none_or(|h| h > day) {
                continue;
            }
            chosen += 1;
            let d = store
                .create_dialogues(
                    t,
                    &store::dialogues::NewDialogue {
                        kind: DialogueKind::CareerInterview,
                        subject: person,
                        facilitator: consultant.id,
                        duration_minutes: 60,
                        place: "オンライン".into(),
                        created_by: consultant.id,
                        starts: vec![at],
                        cadence: None,
                    },
                )
                .await?[0];
            // Most state a vision years ahead; some only a year out (not yet enough).
            let horizon = if i % 6 == 0 { 1 } else { 3 };
            store
                .record_vision(
                    t,
                    d,
                    "数年後、経験を活かして後輩の育成に携わっている。",
                    horizon,
                )
                .await?;
            let input = Input {
                content: Content {
                    action: "来月から、毎週金曜の朝に30分、専門分野の勉強をします".into(),
                    ..Content::default()
                },
                starts_on: day + Duration::days(20),
                due_on: None,
            };
            let c = store
                .add_commitment(
                    t,
                    d,
                    person,
                    consultant.id,
                    &input,
                    &app::language::check(&input.content.action),
                )
                .await?;
            store.confirm_commitment(t, c, person).await?;
            // Most start; some never get going.
            if i % 5 != 0 {
                store
                    .set_commitment_status(t, c, Status::Started, "")
                    .await?;
            }
            store.close_dialogue(t, d, DialogueState::Held).await?;
            // Past years were evaluated at year end, shaped like the seed's 2014–2020
            // figures (5.6 % / 69.8 % / 21.6 % / 3.0 %).
            if fy.0 < now.0 {
                let (level, why) = seeded_behaviour((i * 379 + k * 113) % 1000);
                store
                    .record_behaviour(t, person, fy.0, level, why, "", consultant.id)
                    .await?;
            }
        }
    }
    Ok(())
}

/// A year-end evaluation for a roll in 0..1000, shaped like the seed's 2014–2020 figures
/// (5.6 % / 69.8 % / 21.6 % / 3.0 %).
pub(crate) fn seeded_behaviour(roll: usize) -> (domain::behaviour::Change, &'static str) {
    use domain::behaviour::Change;
    match roll {
        0..56 => (
            Change::Remarkable,
            "後輩の育成を自分から引き受け、部内の勉強会を続けて主催している。",
        ),
        56..754 => (
            Change::Changed,
            "決めた行動を続けており、周囲からも変化が見えている。",
        ),
        754..970 => (Change::Trying, "意欲は語るが、行動にはまだ表れていない。"),
        _ => (
            Change::None,
            "業務の繁忙が続き、行動計画に手が回っていない。",
        ),
    }
}

/// Demos this large or larger get the autonomy history.
pub const HISTORY_FROM_EMPLOYEES: usize = 200;
/// At most this many people a year in the autonomy history.
pub const HISTORY_PER_YEAR: usize = 60;

/// ロールモデル for the demo: published stories of colleagues (named and not, including
/// tries that failed but gave something), and one about the demo employee waiting for
/// their answer on マイキャリア.
pub async fn seed_role_models(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
    colleagues: &[domain::PersonId],
) -> Result<(), store::StoreError> {
    use domain::role_model::{Consent, parse_story};
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(employee), Some(consultant), Some(hr)) =
        (user(Role::Employee), user(Role::Consultant), user(Role::Hr))
    else {
        return Ok(());
    };
    /// (title, story, anchor, themes, outcome, named)
    type DemoStory = (
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
        bool,
    );
    const STORIES: [DemoStory; 6] = [
        (
            "社内公募に二度落ちて、見えてきたこと",
            "企画部の公募に二度応募し、二度とも通りませんでした。面接で「いまの仕事で何を変えたか」を聞かれて答えに詰まったのがきっかけで、営業データを毎週まとめて課内に共有するようになりました。三年後、その資料が評価されて企画の仕事を任されています。落ちた経験がなければ、自分の仕事を数字で語る習慣は身につかなかったと思います。",
            "general_managerial",
            &["internal_move", "new_field"],
            "failed_but_gained",
            true,
        ),
        (
            "48歳で簿記2級に挑戦",
            "経理の経験はありませんでしたが、役職定年を前に「数字がわかる営業」になろうと決め、毎朝30分の勉強を続けました。一度目は不合格でしたが、二度目で合格。いまは取引先の決算書を読んで提案できるようになり、若手の相談にも乗っています。",
            "technical_functional",
            &["reskilling", "middle_senior"],
            "achieved",
            true,
        ),
        (
            "管理職を一度降りて、専門職として働く",
            "課長を三年務めたあと、自分が一番力を出せるのは技術の現場だと気づき、専門職の道を選びました。周りの目が気になって一年迷いましたが、上司と何度も1on1で話して決めました。いまは社内の技術相談の窓口をしています。",
            "technical_functional",
            &["management", "specialist"],
            "achieved",
            false,
        ),
        (
            "副業の試みはうまくいかなかったけれど",
            "社外の勉強会で知り合った仲間と小さなウェブサービスを始めましたが、半年で閉じました。それでも、企画から公開までを一人でやり切った経験は、社内の業務改善プロジェクトでそのまま役に立っています。失敗しても、やってみたことは無駄になりませんでした。",
            "entrepreneurial",
            &["side_job", "new_field"],
            "failed_but_gained",
            false,
        ),
        (
            "介護と仕事を両立しながら資格を取る",
            "父の介護が始まり、一時は退職も考えました。時短勤務と在宅勤務を組み合わせ、チームと予定を共有することで続けられています。通勤がなくなった時間で、キャリアコンサルタントの資格の勉強を始めました。",
            "lifestyle",
            &["work_life", "reskilling"],
            "in_progress",
            true,
        ),
        (
            "入社3年目、異動希望を出すまで",
            "配属先の仕事に慣れたころ、本当は人事の仕事がしたいと気づきました。キャリア面談で話したことをきっかけに、社内の勉強会の運営を手伝い始め、翌年の異動希望につながりました。",
            "service",
            &["early_career", "internal_move"],
            "achieved",
            true,
        ),
    ];
    for (i, (title, body, anchor, themes, outcome, named)) in STORIES.iter().enumerate() {
        let Some(person) = colleagues.get(i) else {
            break;
        };
        let Ok(input) = parse_story(title, body, anchor, themes, outcome) else {
            continue;
        };
        let author = if i % 2 == 0 { consultant.id } else { hr.id };
        let id = store.add_story(t, *person, author, &input).await?;
        store
            .set_story_consent(t, id, Consent::Pending, Consent::Given, *named)
            .await?;
    }
    if let (Some(me), Ok(input)) = (
        employee.person_id,
        parse_story(
            "顧客との信頼関係を、後輩に伝える",
            "長く担当してきたお客さまとの関係づくりを、後輩の育成に生かし始めています。毎週の同行と、商談のふりかえりを続けています。",
            "service",
            &["specialist"],
            "in_progress",
        ),
    ) {
        store.add_story(t, me, consultant.id, &input).await?;
    }
    Ok(())
}

/// Career Anchor answer sheets for the demo: the demo employee and some colleagues took
/// the inventory in the past months, each leaning to one anchor.
pub async fn seed_anchor_results(
    store: &store::Store,
    t: domain::TenantId,
    people: &[domain::PersonId],
    today: chrono::NaiveDate,
) -> Result<(), store::StoreError> {
    for (i, person) in people.iter().enumerate() {
        let at = (today - chrono::Duration::days(30 + (i as i64 % 300)))
            .and_hms_opt(3, 0, 0)
            .unwrap_or_default()
            .and_utc();
        store
            .save_anchor_result(t, *person, &anchor_sheet(i), at)
            .await?;
    }
    Ok(())
}

/// A plausible answer sheet whose dominant anchor varies with `i`.
fn anchor_sheet(i: usize) -> domain::anchor::AnswerSheet {
    use domain::anchor::STATEMENTS;
    let favoured = (i * 5 + 5) % 8;
    let ratings = (1..=STATEMENTS)
        .map(|n| {
            if (n - 1) % 8 == favoured {
                5 + (n % 2) as u8
            } else {
                2 + ((n * (i + 3)) % 3) as u8
            }
        })
        .collect();
    let picks = vec![favoured + 1, favoured + 9, favoured + 17];
    domain::anchor::AnswerSheet { ratings, picks }
}

/// A participant's account: theirs if they have one, otherwise a new employee account
/// without a password (`{prefix}-{number}@demo.example.jp`).
async fn account_for(
    store: &store::Store,
    t: domain::TenantId,
    p: &store::programmes::Participant,
    prefix: &str,
) -> Result<domain::UserId, store::StoreError> {
    if let Some((u, _)) = store.account_of_person(t, p.person).await? {
        return Ok(u);
    }
    Ok(store
        .create_user(
            t,
            store::users::NewUser {
                email: domain::EmailAddress::parse(&format!(
                    "{prefix}-{}@demo.example.jp",
                    p.employee_number.to_lowercase()
                ))
                .map_err(store::StoreError::Invalid)?,
                name: p.name.clone(),
                roles: vec![Role::Employee],
                person_id: Some(p.person),
                password: None,
            },
        )
        .await?
        .id)
}

/// This year's cross-department 1on1 programme (部署を越えた1on1) for people in their
/// third year: launched, not yet paired — HR's home says so, and the programme page
/// proposes the pairs. Most participants get an account; two are left without one, so
/// the plan shows who cannot take part and why.
pub async fn seed_cross_programme(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
    cal: &FiscalCalendar,
    today: NaiveDate,
) -> Result<(), store::StoreError> {
    use domain::programme::{CohortRule, Template};
    let Some(hr) = users.iter().find(|(r, _)| *r == Role::Hr).map(|(_, u)| u) else {
        return Ok(());
    };
    let fy = cal.fiscal_year_of(today);
    let rule = CohortRule::parse(Template::CrossOneOnOne, "", "3", "", "")
        .map_err(|e| store::StoreError::Integrity(format!("demo cross rule: {e}")))?;
    let Some((id, _)) = store
        .create_programme(
            t,
            &store::programmes::NewProgramme {
                fiscal_year: fy.0,
                name: format!("{}年度 部署を越えた1on1（入社3年目）", fy.0),
                template: Template::CrossOneOnOne,
                rule,
                mandatory: false,
                pre_learning: "他部署の先輩・同期と、月に一度30分話しましょう。相手役は、助言よりも聞くことを大切にしてください。話した内容は、本人が共有を選ばない限り、上司や人事には伝わりません。".into(),
                group_min: 4,
                group_max: 6,
            },
            cal,
            hr.id,
            domain::japan_time::from_japan(
                today
                    .and_hms_opt(9, 0, 0)
                    .unwrap_or_default(),
            ),
        )
        .await?
    else {
        return Ok(());
    };
    let participants = store.participants(t, id).await?;
    // Ten of them answered the anchor inventory last month, their strongest anchors
    // among three, so pairing by anchor has people to bring together.
    let taken = (today - chrono::Duration::days(30))
        .and_hms_opt(3, 0, 0)
        .unwrap_or_default()
        .and_utc();
    for (k, p) in participants.iter().take(10).enumerate() {
        if store.anchor_results_of(t, p.person).await?.is_empty() {
            store
                .save_anchor_result(t, p.person, &anchor_sheet(k % 3), taken)
                .await?;
        }
    }
    let without = participants.len().saturating_sub(2);
    for p in participants.iter().take(without) {
        account_for(store, t, p, "cross").await?;
    }
    Ok(())
}

/// This year's monthly-1on1 programme (毎月の1on1) for the managers of the demo manager's
/// division: each gets an account and 1on1s held with their reports in the months so
/// far, some every month and some patchily, so the cadence view has something to show.
pub async fn seed_cadence_programme(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
    cal: &FiscalCalendar,
    today: NaiveDate,
) -> Result<(), store::StoreError> {
    use chrono::{Datelike, Duration, Months, NaiveTime};
    use domain::dialogue::{DialogueKind, DialogueState};
    use domain::programme::{CohortRule, Template};
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(hr), Some(manager)) = (user(Role::Hr), user(Role::Manager)) else {
        return Ok(());
    };
    let Some(me) = manager.person_id else {
        return Ok(());
    };
    let Some(dept) = store.person(t, me).await?.and_then(|p| p.department_id) else {
        return Ok(());
    };
    let path = store.department_path(t, dept).await?;
    let Some(division) = path.first() else {
        return Ok(());
    };
    let accounts: Vec<domain::PersonId> = users.iter().filter_map(|(_, u)| u.person_id).collect();
    let fy = cal.fiscal_year_of(today);
    let rule = CohortRule::parse(Template::OneOnOneCadence, "", "", &division.code, "")
        .map_err(|e| store::StoreError::Integrity(format!("demo cadence rule: {e}")))?;
    let at = |day: NaiveDate, hh: u32| {
        domain::japan_time::from_japan(
            day.and_time(NaiveTime::from_hms_opt(hh, 0, 0).unwrap_or_default()),
        )
    };
    let start = *cal.range(fy).start();
    let Some((id, _)) = store
        .create_programme(
            t,
            &store::programmes::NewProgramme {
                fiscal_year: fy.0,
                name: format!("{}年度 毎月の1on1（{}）", fy.0, division.name),
                template: Template::OneOnOneCadence,
                rule,
                mandatory: false,
                pre_learning: "部下一人ひとりと、毎月30分の1on1を続けましょう。仕事の進み具合ではなく、本人が大切にしていることや、これからどうありたいかを聞く時間です。".into(),
                group_min: 4,
                group_max: 6,
            },
            cal,
            hr.id,
            at(start + Duration::days(7), 9).min(at(today, 9)),
        )
        .await?
    else {
        return Ok(());
    };
    for (i, p) in store.participants(t, id).await?.iter().enumerate() {
        if accounts.contains(&p.person) {
            continue;
        }
        let account = account_for(store, t, p, "manager").await?;
        let reports: Vec<domain::PersonId> = store
            .reports_of(t, p.person)
            .await?
            .into_iter()
            .filter(|(depth, _)| *depth == 1)
            .map(|(_, r)| domain::PersonId(r.id))
            .collect();
        // Some meet everyone every month, some let it slip.
        let keep = [100, 90, 70, 40][i % 4];
        let mut month = start.with_day(1).unwrap_or(start);
        let mut m = 0;
        while month < today {
            for (j, r) in reports.iter().enumerate() {
                if (j * 37 + m * 11 + i * 7) % 100 >= keep {
                    continue;
                }
                let day = month + Duration::days(((j * 3 + m) % 20) as i64 + 3);
                if day >= today {
                    continue;
                }
                let d = store
                    .create_dialogues(
                        t,
                        &store::dialogues::NewDialogue {
                            kind: DialogueKind::OneOnOne,
                            subject: *r,
                            facilitator: account,
                            duration_minutes: 30,
                            place: "会議室".into(),
                            created_by: account,
                            starts: vec![at(day, 10 + (j % 6) as u32)],
                            cadence: None,
                        },
                    )
                    .await?[0];
                store.close_dialogue(t, d, DialogueState::Held).await?;
            }
            month = month + Months::new(1);
            m += 1;
        }
    }
    Ok(())
}

/// Demos up to this size get the programme history (larger ones are for load tests).
pub const PROGRAMMES_UP_TO_EMPLOYEES: usize = 20_000;

/// 節目プログラム for the demo: the "turns 50" milestone programme of each of the last ten
/// fiscal years, run to the end (pre-learning, inventory, training, interviews until
/// commitment, starts, behaviour evaluations shaped like the seed's figures), and this
/// year's running at every stage: sessions held and one to come, interviews done and
/// continuing, the demo employee added late and still to place.
pub async fn seed_programmes(
    store: &store::Store,
    t: domain::TenantId,
    users: &[(Role, store::users::User)],
    cal: &FiscalCalendar,
    today: NaiveDate,
) -> Result<(), store::StoreError> {
    use chrono::{Duration, NaiveTime, Utc};
    // The demo accounts' own people keep their scripted story: no generated steps.
    let accounts: Vec<domain::PersonId> = users.iter().filter_map(|(_, u)| u.person_id).collect();
    use domain::commitment::{Content, Input, Status};
    use domain::dialogue::DialogueKind;
    use domain::programme::{CohortRule, Template};
    use domain::training::Style;
    use store::programmes::{NewProgramme, NewSession};
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(hr), Some(instructor), Some(employee)) =
        (user(Role::Hr), user(Role::Instructor), user(Role::Employee))
    else {
        return Ok(());
    };
    let new_user = |email: &str, name: &str, role: Role| {
        Ok::<_, store::StoreError>(store::users::NewUser {
            email: domain::EmailAddress::parse(email).map_err(store::StoreError::Invalid)?,
            name: name.into(),
            roles: vec![role],
            person_id: None,
            password: None,
        })
    };
    let energetic = store
        .create_user(
            t,
            new_user("instructor-do@demo.example.jp", "大川 健", Role::Instructor)?,
        )
        .await?;
    let past_cc = store
        .create_user(
            t,
            new_user(
                "milestone-cc@demo.example.jp",
                "節目面談担当コンサルタント（デモ）",
                Role::Consultant,
            )?,
        )
        .await?;
    // A day in Japan at hh:00, as a moment.
    let at = |day: NaiveDate, hh: u32| {
        domain::japan_time::from_japan(
            day.and_time(NaiveTime::from_hms_opt(hh, 0, 0).unwrap_or_default()),
        )
    };
    let now = at(today, 12).max(Utc::now());
    let this_fy = cal.fiscal_year_of(today);
    let rule = CohortRule::parse(Template::MilestoneAge, "50", "", "", "")
        .map_err(|e| store::StoreError::Integrity(format!("demo programme rule: {e}")))?;
    for fy in (this_fy.0 - 10)..=this_fy.0 {
        let current = fy == this_fy.0;
        let start = *cal.range(FiscalYear(fy)).start();
        let launched = at(start + Duration::days(14), 9).min(now);
        let Some((id, n)) = store
            .create_programme(
                t,
                &NewProgramme {
                    fiscal_year: fy,
                    name: format!("{fy}年度 50歳節目キャリア研修"),
                    template: Template::MilestoneAge,
                    rule: rule.clone(),
                    mandatory: true,
                    pre_learning: "この研修は、これまでの仕事を振り返り、これからのキャリアを自分の言葉で語れるようになるためのものです。\n研修の約1か月後に、キャリアコンサルタントとの節目面談があります。面談では、研修で考えたことをもとに、始める行動を一緒に決めます。".into(),
                    group_min: 4,
                    group_max: 6,
                },
                cal,
                hr.id,
                launched,
            )
            .await?
        else {
            continue;
        };
        // Sessions of up to 12, alternating instructors; this year's last one is ahead.
        let sessions = n.div_ceil(12).max(2);
        let mut days = Vec::new();
        for i in 0..sessions {
            let day = if current {
                today - Duration::days(60) + Duration::days(((75 * i) / (sessions - 1)) as i64)
            } else {
                start + Duration::days(60 + 7 * i as i64)
            };
            let (who, style) = if i % 2 == 0 {
                (instructor.id, Style::Calm)
            } else {
                (energetic.id, Style::Energetic)
            };
            let added = store
                .add_training_session(
                    t,
                    id,
                    &NewSession {
                        starts_at: at(day, 10),
                        ends_at: at(day, 17),
                        place: ["本社 研修室A", "大阪支社 会議室3"][i % 2].into(),
                        capacity: n.div_ceil(sessions) + 1,
                        instructor: who,
                        style,
                    },
                )
                .await?;
            if let Ok(sid) = added {
                days.push((sid, day));
            }
        }
        let participants = store.participants(t, id).await?;
        // Before training: pre-learning and the inventory, most of them.
        for (i, p) in participants.iter().enumerate() {
            if accounts.contains(&p.person) {
                continue;
            }
            if !current || i % 7 != 3 {
                store
                    .mark_pre_learning_done(t, id, p.person, launched + Duration::days(5))
                    .await?;
            }
            if !current || i % 4 != 1 {
                store
                    .save_anchor_result(
                        t,
                        p.person,
                        &anchor_sheet(i + fy as usize),
                        launched + Duration::days(10),
                    )
                    .await?;
            }
        }
        let programme = store
            .programme(t, id)
            .await?
            .ok_or(store::StoreError::NotFound)?;
        let plan = app::programmes::plan(store, t, &programme).await?;
        let placement: Vec<store::programmes::Placement> = plan
            .people
            .iter()
            .map(|p| (p.person, p.session, p.group))
            .collect();
        store.save_placement(t, id, &placement).await?;
        training_feedback(store, t, id, fy, &plan, &days, &accounts, |d| {
            at(d, 17) <= now
        })
        .await?;
        // Interviews about a month after training, repeated until a commitment counts, with
        // a consultant of their own (the demo consultant's list stays the demo's).
        let facilitator = &past_cc;
        for (i, p) in plan.people.iter().enumerate() {
            if accounts.contains(&p.person) {
                continue;
            }
            let Some(day) = p
                .session
                .and_then(|s| days.iter().find(|(sid, _)| *sid == s).map(|(_, d)| *d))
            else {
                continue;
            };
            if at(day, 17) > now {
                continue;
            }
            // How many interviews it takes: mostly one or two, the odd long road.
            let needed = match (i * 7 + fy as usize) % 20 {
                0 => 10,
                1 | 2 => 3,
                3..=8 => 2,
                _ => 1,
            };
            for k in 0..needed {
                let when = at(day + Duration::days(30 + 21 * k as i64), 14);
                let d = store
                    .create_dialogues(
                        t,
                        &store::dialogues::NewDialogue {
                            kind: DialogueKind::MilestoneInterview,
                            subject: p.person,
                            facilitator: facilitator.id,
                            duration_minutes: 60,
                            place: "オンライン".into(),
                            created_by: facilitator.id,
                            starts: vec![when],
                            cadence: None,
                        },
                    )
                    .await?[0];
                if when > now {
                    break; // the next one is booked
                }
                let last = k + 1 == needed;
                if !last {
                    store
                        .close_with_outcome(t, d, domain::commitment::MilestoneOutcome::Continued)
                        .await?;
                    continue;
                }
                store
                    .record_vision(
                        t,
                        d,
                        "数年後、培った経験を活かして若手の育成に携わっている。",
                        3,
                    )
                    .await?;
                let starts_on = (when + Duration::days(14)).date_naive();
                let input = Input {
                    content: Content {
                        action: "来月から、毎月第1金曜に若手向けの業務勉強会を開きます".into(),
                        ..Content::default()
                    },
                    starts_on,
                    due_on: None,
                };
                let c = store
                    .add_commitment(
                        t,
                        d,
                        p.person,
                        facilitator.id,
                        &input,
                        &app::language::check(&input.content.action),
                    )
                    .await?;
                store.confirm_commitment(t, c, p.person).await?;
                store
                    .close_with_outcome(t, d, domain::commitment::MilestoneOutcome::Committed)
                    .await?;
                if at(starts_on, 9) <= now && i % 8 != 5 {
                    store
                        .set_commitment_status(t, c, Status::Started, "")
                        .await?;
                }
                if !current {
                    let (level, why) = seeded_behaviour((i * 379 + fy as usize * 113) % 1000);
                    store
                        .record_behaviour(t, p.person, fy, level, why, "", facilitator.id)
                        .await?;
                }
            }
        }
        // This year the demo employee joined late and is still to be placed.
        if current && let Some(me) = employee.person_id {
            match store
                .add_participant(t, id, me, now - Duration::days(3))
                .await
            {
                Ok(()) | Err(store::StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// 研修後アンケート: most participants whose session has ended answer; an instructor of
/// their own segment's style suits them better than one of the other style, as the
/// placement rule expects (the report lets HR see whether it holds).
#[allow(clippy::too_many_arguments)]
async fn training_feedback(
    store: &store::Store,
    t: domain::TenantId,
    programme: i64,
    fy: i32,
    plan: &app::programmes::Plan,
    days: &[(i64, NaiveDate)],
    accounts: &[domain::PersonId],
    ended: impl Fn(NaiveDate) -> bool,
) -> Result<(), store::StoreError> {
    use domain::training_feedback::{Answer, Topic};
    for (i, p) in plan.people.iter().enumerate() {
        let seed = i * 13 + fy as usize * 7;
        let Some(sid) = p.session else { continue };
        let Some(day) = days.iter().find(|(s, _)| *s == sid).map(|(_, d)| *d) else {
            continue;
        };
        if accounts.contains(&p.person) || !ended(day) || seed % 10 >= 7 {
            continue;
        }
        let Some(style) = plan.sessions.iter().find(|s| s.id == sid).map(|s| s.style) else {
            continue;
        };
        let fit = if style == p.segment {
            [5, 4, 4, 5, 3][seed % 5]
        } else {
            [2, 3, 3, 4, 2][seed % 5]
        };
        let answer = Answer {
            useful: [4, 5, 3, 4, 4, 2][seed % 6],
            fit,
            topics: (0..1 + seed % 3)
                .map(|k| Topic::ALL[(seed + 3 * k) % Topic::ALL.len()])
                .collect(),
        };
        let _ = store
            .give_training_feedback(t, programme, p.person, style, p.segment, &answer)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    #[test]
    fn same_seed_same_company() {
        let cal = FiscalCalendar::default();
        let a = generate(200, 7, today(), &cal);
        let b = generate(200, 7, today(), &cal);
        let names = |c: &DemoCompany| {
            c.org
                .people
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&generate(200, 8, today(), &cal)));
    }

    #[test]
    fn company_has_the_requested_size_and_a_sound_tree() {
        let cal = FiscalCalendar::default();
        let c = generate(1000, 1, today(), &cal);
        assert_eq!(c.org.people.len(), 1000);
        let numbers: std::collections::HashSet<_> = c
            .org
            .people
            .iter()
            .map(|p| p.employee_number.as_str())
            .collect();
        assert_eq!(numbers.len(), 1000);
        assert!(c.org.people.iter().all(|p| {
            p.manager_number
                .as_deref()
                .is_none_or(|m| numbers.contains(m))
        }));
        assert_eq!(
            c.org
                .people
                .iter()
                .filter(|p| p.manager_number.is_none())
                .count(),
            1,
            "one president"
        );
        for p in &c.org.people {
            let age = cal.age_on(p.birth_date.expect("birth"), today());
            assert!((22..=66).contains(&age), "{} is {age}", p.name);
            assert!(p.hire_date.expect("hire") <= today());
            assert!(
                p.name.contains(' ')
                    && p.name_kana
                        .chars()
                        .all(|ch| ch == ' ' || ('ァ'..='ヶ').contains(&ch) || ch == 'ー')
            );
        }
        assert!(c.org.ratings.len() > 5000);
    }

    #[test]
    fn demo_accounts_fit_their_roles() {
        let cal = FiscalCalendar::default();
        for n in [MIN_EMPLOYEES, 100, 5000] {
            let c = generate(n, 42, today(), &cal);
            let roles: Vec<Role> = c.accounts.iter().map(|a| a.role).collect();
            assert_eq!(
                roles,
                vec![
                    Role::Employee,
                    Role::Manager,
                    Role::Consultant,
                    Role::Instructor,
                    Role::Mentor,
                    Role::Hr,
                    Role::Admin
                ],
                "n={n}"
            );
            let by_role = |r: Role| {
                c.accounts
                    .iter()
                    .find(|a| a.role == r)
                    .and_then(|a| a.employee_number.clone())
                    .expect("person")
            };
            let employee = c
                .org
                .people
                .iter()
                .find(|p| p.employee_number == by_role(Role::Employee))
                .expect("employee");
            assert!(cal.turns_during(
                employee.birth_date.expect("birth"),
                50,
                cal.fiscal_year_of(today())
            ));
            assert_eq!(
                employee.manager_number,
                Some(by_role(Role::Manager)),
                "the demo employee reports to the demo manager"
            );
        }
    }
}
