//! The demo's learning (学ぶ): a catalogue of six courses — internal training, external
//! courses, e-learning — with tags; the demo employee completed one and wrote how they
//! will use it, which waits for the demo manager's note (the manager's home says so); a
//! colleague's completion carries both notes. 資格取得支援: the company's rules, the
//! demo employee's paid claim, and colleagues' claims waiting for HR and waiting to be
//! paid (HR's home says so).

use chrono::{DateTime, Duration, Utc};
use domain::learning::{Claim, ClaimStatus, CourseInput, SubsidyRules};
use domain::{PersonId, Role, TenantId};
use store::Store;
use store::learning::Receipt;

/// A one-page PDF receipt (ASCII only: it carries no font).
const RECEIPT: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 88 >> stream
BT /F1 18 Tf 30 140 Td (RECEIPT - Examination fee) Tj 0 -40 Td (JPY 7,500  Paid in full) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

const COURSES: [(&str, &str, &str, &str, &str, &str, &str); 6] = [
    (
        "はじめての1on1（聞き手編）",
        "internal",
        "人事部 人材開発課",
        "部下の話を聴き、次の一歩を一緒に決める1on1の進め方を、ロールプレイで身につけます。",
        "",
        "マネジメント、1on1、対話",
        "3",
    ),
    (
        "データ活用の基礎",
        "e_learning",
        "DX推進室",
        "Excelでの集計から、グラフでの見せ方までを演習で学びます。自分のペースで進められます。",
        "https://learn.example.jp/data-basics",
        "データ、DX、Excel",
        "6",
    ),
    (
        "キャリアデザイン研修（40代向け）",
        "internal",
        "人事部 人材開発課",
        "これまでの経験を棚卸しし、これからの10年で挑戦したいことを言葉にします。",
        "",
        "キャリア、ミドル",
        "7",
    ),
    (
        "ロジカル・ライティング講座",
        "external",
        "ビジネス文章研究所",
        "結論から書く、読み手の疑問に先回りする——報告書と提案書の型を学びます。",
        "https://writing.example.jp/course",
        "文章、提案",
        "12",
    ),
    (
        "情報セキュリティの基本",
        "e_learning",
        "情報システム部",
        "毎年の必修です。メール、持ち出し、クラウド利用で気をつけることを確認します。",
        "https://learn.example.jp/security",
        "必修、セキュリティ",
        "1",
    ),
    (
        "簿記2級 受験対策講座",
        "external",
        "資格スクール",
        "全12回。資格取得支援の対象資格です。",
        "https://school.example.jp/boki2",
        "資格、会計",
        "36",
    ),
];

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
    let Some(me) = employee.person_id else {
        return Ok(());
    };
    let today = domain::japan_time::japan_date(now);
    let mut ids = Vec::new();
    for (title, kind, provider, description, url, tags, hours) in COURSES {
        let input = CourseInput {
            title: title.into(),
            kind: kind.into(),
            provider: provider.into(),
            description: description.into(),
            url: url.into(),
            tags: tags.into(),
            hours: hours.into(),
        };
        if let Ok(c) = input.check() {
            ids.push(
                store
                    .add_course(t, &c, hr.id, now - Duration::days(90))
                    .await?,
            );
        }
    }
    // The demo employee's completion, with their note; the manager's is still to write.
    if let Some(course) = ids.get(1)
        && let Some(id) = store
            .add_completion(t, me, *course, today - Duration::days(12), employee.id, now)
            .await?
        && let Some(c) = store.completion(t, id).await?
    {
        store
            .set_employee_use(
                t,
                &c,
                "毎月の売上報告をピボットテーブルで作り直し、課の会議でグラフにして共有します。",
                now,
            )
            .await?;
    }
    // A colleague's, with both notes.
    if let (Some(course), Some(person)) = (ids.first(), others.first())
        && let Some(id) = store
            .add_completion(t, *person, *course, today - Duration::days(40), hr.id, now)
            .await?
        && let Some(c) = store.completion(t, id).await?
    {
        store
            .set_employee_use(
                t,
                &c,
                "後輩との週1回の面談で、最後に次の一歩を一緒に決めるようにします。",
                now,
            )
            .await?;
        store
            .set_manager_use(t, &c, "来期から新人2名の1on1を任せます。", manager.id, now)
            .await?;
    }
    // 資格取得支援: the rules, the demo employee's paid claim, and colleagues' claims.
    let rules = SubsidyRules::parse(
        "基本情報技術者試験：100%\n応用情報技術者試験：100%\nTOEIC L&R：5000円\n日商簿記検定2級：50%\n中小企業診断士（1次試験）：20000円\nキャリアコンサルタント試験：50%",
        "50000",
    );
    let Ok(rules) = rules else {
        return Ok(());
    };
    store.set_subsidy_rules(t, &rules).await?;
    let settings = store.tenant(t).await?.settings;
    let claims = [
        (me, "基本情報技術者試験", 7_500, 40, ClaimStatus::Paid),
        (
            others.get(5).copied().unwrap_or(me),
            "TOEIC L&R",
            7_810,
            5,
            ClaimStatus::Submitted,
        ),
        (
            others.get(6).copied().unwrap_or(me),
            "日商簿記検定2級",
            4_720,
            20,
            ClaimStatus::Approved,
        ),
    ];
    for (person, certification, fee, days_ago, status) in claims {
        let Some(cert) = rules.find(certification) else {
            continue;
        };
        let claim = Claim {
            certification: cert.name.clone(),
            exam_on: today - Duration::days(days_ago),
            fee_yen: fee,
            note: String::new(),
        };
        let fy = settings.calendar.fiscal_year_of(claim.exam_on).0;
        let already = store.approved_in_fy(t, person, fy, None).await?;
        let amount = rules.subsidy(cert, fee, already);
        let id = store
            .add_claim(
                t,
                person,
                &claim,
                fy,
                amount,
                Receipt {
                    name: "領収書.pdf",
                    content_type: "application/pdf",
                    bytes: RECEIPT.to_vec(),
                },
                now - Duration::days(days_ago - 2),
            )
            .await?;
        if status == ClaimStatus::Submitted {
            continue;
        }
        if let Some(current) = store.claim(t, id).await? {
            store
                .set_claim_status(
                    t,
                    &current,
                    ClaimStatus::Approved,
                    "",
                    amount,
                    Some(hr.id),
                    now - Duration::days(days_ago - 4),
                )
                .await?;
        }
        if status == ClaimStatus::Paid {
            store
                .mark_claim_paid(t, id, today - Duration::days(days_ago - 10), now)
                .await?;
        }
    }
    Ok(())
}
