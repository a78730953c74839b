//! The demo's internal postings (社内公募): four postings of this year — three HR runs
//! for other departments, one the demo manager runs for their own section — and a closed
//! one of last year; applications at every stage, among them three from the demo
//! manager's own reports: two still hidden from the manager (書類選考, 面接) and one offered
//! (内定), which the manager now sees on the member's page. The demo employee has saved
//! one posting and applied to none, so they can apply themselves. And 社内FA: three
//! declarations (one by the manager's own report, which the manager never sees) and an
//! interview request from the manager waiting for an answer. 副業・兼業: the company's
//! rules and three applications — waiting for HR, approved, asked to change.

use chrono::{DateTime, Duration, Utc};
use domain::posting::{Outcome, Posting, PostingInput, Progress};
use domain::{PersonId, Role, TenantId, UserId};
use store::Store;
use store::postings::Application;

struct Demo {
    title: &'static str,
    work: &'static str,
    required: &'static str,
    welcome: &'static str,
    criteria: &'static str,
    grades: &'static str,
    headcount: u32,
    /// Days from today: (opens, closes).
    window: (i64, i64),
}

const POSTINGS: [Demo; 5] = [
    Demo {
        title: "新規事業開発（サステナビリティ領域）",
        work: "環境配慮型の新サービスを企画し、社内外の関係者と小さく試しながら事業計画にまとめます。\n最初の半年は市場調査と顧客へのヒアリングが中心です。",
        required: "法人営業または企画の経験3年以上",
        welcome: "新しい取り組みを自分で立ち上げた経験。データを使って仮説を検証した経験。",
        criteria: "書類選考では、これまでの仕事で自ら課題を見つけて動いた具体例を見ます。面接では、事業のアイデアを一つ持参いただき、その検証の進め方を伺います。",
        grades: "G3、G4、G5",
        headcount: 2,
        window: (-20, 25),
    },
    Demo {
        title: "人事部 キャリア支援担当",
        work: "キャリア面談の運営、研修の企画、社内公募の事務局を担当します。社員一人ひとりの相談に向き合う仕事です。",
        required: "人と向き合う仕事の経験（職種は問いません）",
        welcome: "キャリアコンサルタント資格、または取得の意欲",
        criteria: "相手の話を聴き、次の一歩を一緒に考えた経験を、具体的な場面で伺います。",
        grades: "",
        headcount: 1,
        window: (-10, 35),
    },
    Demo {
        title: "データ分析チーム（営業支援）",
        work: "営業データを分析し、営業部門の意思決定を支えるダッシュボードと提案資料を作ります。",
        required: "表計算ソフトでの集計・分析の経験",
        welcome: "SQLやPythonの経験。営業の現場経験。",
        criteria: "分析した結果から、誰がどう動いたかまで説明できることを重視します。",
        grades: "G2、G3、G4",
        headcount: 3,
        window: (-30, 10),
    },
    Demo {
        title: "営業課 新規開拓リーダー",
        work: "新しい地域の顧客開拓を、3名のチームを率いて進めます。",
        required: "法人営業の経験",
        welcome: "チームを率いた経験",
        criteria: "目標を自分で立て、振り返って次に活かした経験を伺います。",
        grades: "",
        headcount: 1,
        window: (-5, 40),
    },
    Demo {
        title: "海外事業部 アジア市場担当（昨年度）",
        work: "アジア市場の販売代理店との関係づくりを担当しました。",
        required: "英語での業務経験",
        welcome: "海外駐在の経験",
        criteria: "現地の相手と信頼関係を築いた経験を伺いました。",
        grades: "",
        headcount: 1,
        window: (-400, -360),
    },
];

const MOTIVATIONS: [&str; 6] = [
    "営業で培った顧客との関係づくりを、新しい事業の立ち上げで試したいと考え応募しました。",
    "後輩の相談に乗るうちに、人の成長を支える仕事を本業にしたいと思うようになりました。",
    "日々の営業で数字を見るのが好きで、分析を専門にして現場を支えたいと考えています。",
    "これまでの経験を活かし、チームで成果を出す役割に挑戦したいです。",
    "海外の取引先との仕事を通じて、より深く市場に関わりたいと考えました。",
    "今の仕事で身につけた調整力を、新しい分野で試したいと思い応募しました。",
];

const FA_WANTS: [&str; 3] = [
    "お客様と直接向き合う仕事に挑戦し、現場の声を商品づくりに活かしたいです。",
    "データ分析の経験を活かして、事業の意思決定を支える仕事がしたいです。",
    "海外の取引先と関わる仕事で、語学とこれまでの調整経験を活かしたいです。",
];

const FA_EXPERIENCE: [&str; 3] = [
    "経理部で8年、月次決算と予算管理を担当。業務改善で締め日を3日短縮しました。",
    "情報システム部で社内システムの導入を5件担当。部署をまたぐ調整が得意です。",
    "総務部で海外拠点の立ち上げ支援を担当。英語での打ち合わせの経験があります。",
];

fn input(d: &Demo, today: chrono::NaiveDate) -> PostingInput {
    PostingInput {
        title: d.title.into(),
        grades: d.grades.into(),
        work: d.work.into(),
        required: d.required.into(),
        welcome: d.welcome.into(),
        criteria: d.criteria.into(),
        headcount: d.headcount.to_string(),
        opens_on: (today + Duration::days(d.window.0)).to_string(),
        closes_on: (today + Duration::days(d.window.1)).to_string(),
        stages: String::new(),
        reveal_stage: String::new(),
    }
}

/// Moves an application through `outcomes` (each passed, the last as given).
async fn advance(
    store: &Store,
    t: TenantId,
    a: &Application,
    p: &Posting,
    to: Progress,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), store::StoreError> {
    let mut at = Progress::START;
    let mut stage = 0;
    let stages = p.stages.len();
    while at != to {
        let (outcome, reason) = match to {
            Progress::NotSelected { stage: s } if s == stage => (
                Outcome::NotSelected,
                "今回は、求める経験により近い方を選ばせていただきました。次の機会にもぜひご応募ください。",
            ),
            Progress::Withdrawn { .. } => break,
            _ => (
                Outcome::Passed,
                "ご経験と志望動機が、選考基準によく合っていました。",
            ),
        };
        let Ok(next) = at.record(stages, stage, outcome, reason) else {
            break;
        };
        let key = match outcome {
            Outcome::Passed => "passed",
            Outcome::NotSelected => "not_selected",
        };
        let current = Application {
            progress: at,
            ..a.clone()
        };
        store
            .record_application_stage(t, &current, (at, next), (stage, key), reason, Some(by), now)
            .await?;
        at = next;
        stage += 1;
    }
    Ok(())
}

pub async fn seed(
    store: &Store,
    t: TenantId,
    users: &[(Role, store::users::User)],
    others: &[PersonId],
    now: DateTime<Utc>,
) -> Result<(), store::StoreError> {
    let user = |r: Role| users.iter().find(|(role, _)| *role == r).map(|(_, u)| u);
    let (Some(hr), Some(manager), Some(employee)) =
        (user(Role::Hr), user(Role::Manager), user(Role::Employee))
    else {
        return Ok(());
    };
    let (Some(manager_person), Some(employee_person)) = (manager.person_id, employee.person_id)
    else {
        return Ok(());
    };
    let today = domain::japan_time::japan_date(now);
    let department_of = |p: Option<store::people::Person>| p.and_then(|p| p.department_id);
    let manager_dept = department_of(store.person(t, manager_person).await?);
    let hr_dept = department_of(
        store
            .person(t, hr.person_id.unwrap_or(manager_person))
            .await?,
    );
    // HR's postings are for departments away from the demo manager's line.
    let mut elsewhere = Vec::new();
    for (code, _) in store.department_choices(t, 200).await?.into_iter().rev() {
        if let Some(d) = store.department_by_code(t, &code).await?
            && Some(d) != manager_dept
            && Some(d) != hr_dept
            && !elsewhere.contains(&d)
        {
            elsewhere.push(d);
        }
        if elsewhere.len() >= 3 {
            break;
        }
    }
    let (Some(manager_dept), Some(hr_dept)) = (manager_dept, hr_dept) else {
        return Ok(());
    };
    let mut ids = Vec::new();
    for (i, d) in POSTINGS.iter().enumerate() {
        let Ok(posting) = input(d, today).parse() else {
            continue;
        };
        let (department, hiring) = match i {
            1 => (hr_dept, hr.id),
            3 => (manager_dept, manager.id),
            _ => (
                elsewhere
                    .get(i % elsewhere.len().max(1))
                    .copied()
                    .unwrap_or(hr_dept),
                hr.id,
            ),
        };
        let created = now - Duration::days(-d.window.0 + 1);
        let id = store
            .add_posting(t, &posting, department, hiring, hr.id, created)
            .await?;
        ids.push((id, posting, hiring));
    }
    // The demo manager's own reports (not the demo employee) apply to HR's postings.
    let reports: Vec<PersonId> = store
        .reports_of(t, manager_person)
        .await?
        .into_iter()
        .filter(|(depth, p)| *depth == 1 && p.id != employee_person.0)
        .map(|(_, p)| PersonId(p.id))
        .take(3)
        .collect();
    let stages_for_reports = [
        Progress::InStage { stage: 0 },
        Progress::InStage { stage: 1 },
        Progress::Offered,
    ];
    let mut applications: Vec<(PersonId, usize, Progress)> = reports
        .iter()
        .zip(stages_for_reports)
        .enumerate()
        .map(|(i, (p, s))| (*p, [0, 2, 1][i % 3], s))
        .collect();
    // Colleagues elsewhere, at every stage, to the postings HR and the manager run.
    let more = [
        (0, Progress::InStage { stage: 0 }),
        (0, Progress::NotSelected { stage: 0 }),
        (1, Progress::InStage { stage: 1 }),
        (2, Progress::Withdrawn { stage: 0 }),
        (3, Progress::InStage { stage: 0 }),
        (3, Progress::InStage { stage: 1 }),
        (4, Progress::Offered),
        (4, Progress::NotSelected { stage: 1 }),
    ];
    for (p, (posting, progress)) in others.iter().zip(more) {
        applications.push((*p, posting, progress));
    }
    for (n, (person, which, progress)) in applications.into_iter().enumerate() {
        let Some((posting_id, posting, hiring)) = ids.get(which) else {
            continue;
        };
        let applied = now - Duration::days(15 - (n as i64 % 10));
        let Some(id) = store
            .add_application(
                t,
                *posting_id,
                person,
                MOTIVATIONS[n % MOTIVATIONS.len()],
                applied,
            )
            .await?
        else {
            continue;
        };
        if let Some(a) = store.application(t, id).await? {
            if let Progress::Withdrawn { .. } = progress {
                store
                    .record_application_stage(
                        t,
                        &a,
                        (Progress::START, progress),
                        (0, "withdrawn"),
                        "今の部署で任された新しい仕事に専念することにしました。",
                        None,
                        applied + Duration::days(2),
                    )
                    .await?;
            } else {
                advance(
                    store,
                    t,
                    &a,
                    posting,
                    progress,
                    *hiring,
                    applied + Duration::days(3),
                )
                .await?;
            }
        }
    }
    // 社内FA: two colleagues elsewhere have declared, and one of the demo manager's own
    // reports (never shown to the manager); the manager asked one of the two for an
    // interview, not yet answered.
    let calendar = store.tenant(t).await?.settings.calendar;
    let mut declarants = Vec::new();
    for p in others.iter().rev() {
        let place = store.person(t, *p).await?;
        if declarants.len() < 2
            && place.as_ref().and_then(|x| x.department_id) != Some(manager_dept)
            && store.relation(t, Some(manager_person), *p).await?
                != domain::policy::Relation::InReportingLine
        {
            declarants.push(*p);
        }
    }
    declarants.extend(reports.last().copied());
    for (i, person) in declarants.iter().enumerate() {
        let d = domain::fa::Declaration {
            wants: FA_WANTS[i % FA_WANTS.len()].into(),
            experience: FA_EXPERIENCE[i % FA_EXPERIENCE.len()].into(),
        };
        let on = today - Duration::days(20 + 5 * i as i64);
        let id = store
            .add_declaration(
                t,
                *person,
                &d,
                (on, domain::fa::expires_on(&calendar, on)),
                now,
            )
            .await?;
        if i == 0
            && let Some(stored) = store.declaration(t, id).await?
        {
            store
                .add_interview_request(
                    t,
                    &stored,
                    manager.id,
                    "営業課で新規開拓のリーダーを探しています。一度お話を伺えませんか。",
                    now - Duration::days(3),
                )
                .await?;
        }
    }
    // チャット連携: people may connect their own Slack or Teams (no one has yet: a real
    // webhook is theirs to make).
    store
        .set_chat_services(
            t,
            &[
                domain::chat::ChatService::Slack,
                domain::chat::ChatService::Teams,
            ],
        )
        .await?;
    // 副業・兼業: the company's rules, and applications from colleagues — one waiting for
    // HR, one approved, one asked to change.
    store
        .set_side_job_rules(
            t,
            &domain::side_job::Rules {
                competing_fields: vec!["食品卸".into(), "物流".into()],
                competing_clients: vec!["株式会社ライバル商事".into()],
                hours_cap: 30,
            },
        )
        .await?;
    let jobs = [
        (
            "Webデザイン",
            "地域のNPO法人",
            "ホームページの更新と写真の撮影",
            12,
            None,
        ),
        (
            "大学の非常勤講師",
            "市内の大学",
            "マーケティング入門の講義（週1回）",
            16,
            Some((domain::side_job::Status::Approved, "")),
        ),
        (
            "翻訳",
            "個人の依頼者",
            "技術文書の英日翻訳",
            35,
            Some((
                domain::side_job::Status::ChangesRequested,
                "月の時間を30時間以内にして、改めて申請してください。",
            )),
        ),
    ];
    for (person, (field, client, work, hours, decided)) in others.iter().skip(2).zip(jobs) {
        let job = domain::side_job::SideJob {
            field: field.into(),
            client: client.into(),
            work: work.into(),
            hours_per_month: hours,
            starts_on: today + Duration::days(20),
            ends_on: today + Duration::days(200),
        };
        let id = store
            .add_side_job(t, *person, &job, now - Duration::days(6))
            .await?;
        if let (Some((to, reason)), Some(current)) = (decided, store.side_job(t, id).await?) {
            store
                .set_side_job_status(
                    t,
                    &current,
                    to,
                    reason,
                    Some(hr.id),
                    now - Duration::days(2),
                )
                .await?;
        }
    }
    // 会社の方針: the company's policy in its leaders' words, with notes on two schemes.
    let policy = domain::company_policy::PolicyInput {
        message: "私たちは、社員一人ひとりが自分のキャリアを自分で考え、選び、歩んでいくことを大切にします。\n会社はそのために、対話の場と、挑戦と学びの機会を用意し、上司とともに支えます。\n年齢や役職にかかわらず、次の一歩を一緒に考えましょう。".into(),
        notes: vec![
            ("career_interview".into(), "50歳と、入社3年目・10年目の年には、会社から必ずご案内します。".into()),
            ("postings".into(), "応募したことは、内定の段階まで上司には伝わりません。安心してご応募ください。".into()),
        ],
    };
    if let Ok(p) = policy.parse() {
        store
            .add_company_policy(t, &p, Some(hr.id), now - Duration::days(60))
            .await?;
    }
    // The demo employee keeps the first posting on their list.
    if let Some((first, _, _)) = ids.first() {
        store
            .set_posting_saved(t, *first, employee_person, true, now)
            .await?;
    }
    Ok(())
}
