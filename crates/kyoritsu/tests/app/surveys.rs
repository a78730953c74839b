//! アンケートと組織レポート: HR opens a survey, the people asked answer once, reminders
//! reach only those who have not answered, and the organisation report — pages and API —
//! shows nothing below k and nothing that subtracting shown figures would reveal; a
//! manager reads their own unit only, and only when it has k respondents.

use super::*;
use domain::policy::Actor;
use domain::{PersonId, RoleSet, UserId};

fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Opens a survey as HR through the page; returns its id.
async fn open_survey(app: &TestApp, hr: &Browser, population: &[(&str, &str)], title: &str) -> i64 {
    let csrf = hr.csrf("/surveys").await;
    let fy = app.this_fy().await;
    let closes = day(14);
    let mut form = vec![
        ("_csrf", csrf.as_str()),
        ("kind", "five_supports"),
        ("title", title),
        ("fiscal_year", fy.as_str()),
        ("closes_on", closes.as_str()),
    ];
    form.extend_from_slice(population);
    let (s, _) = hr.post("/surveys", &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "opened");
    let t = app.demo_tenant().await;
    app.store
        .surveys(t.id)
        .await
        .expect("q")
        .into_iter()
        .find(|(s, _)| s.title == title)
        .expect("stored")
        .0
        .id
}

/// The caller a person answers as (no account needed: answers know no account).
fn as_person(tenant: domain::TenantId, p: i64) -> app::Caller {
    app::Caller {
        actor: Actor {
            user_id: UserId(0),
            tenant_id: tenant,
            person_id: Some(PersonId(p)),
            roles: RoleSet::new([]),
        },
        email: String::new(),
        ip: None,
        request_id: None,
    }
}

/// Answers every question with `v` as person `p`.
async fn answer_all(app: &TestApp, survey: i64, p: i64, v: &str) {
    let t = app.demo_tenant().await;
    let r = app::surveys::answer(
        &app.store,
        &as_person(t.id, p),
        survey,
        |_| Some(v),
        app.state.clock.today(),
    )
    .await
    .expect("answer");
    assert_eq!(r, Ok(()), "person {p}");
}

/// Active people by department id.
async fn people_by_department(app: &TestApp) -> Vec<(i64, Vec<i64>)> {
    let t = app.demo_tenant().await;
    let everyone = app
        .store
        .population_people(t.id, &domain::survey::Population::Everyone)
        .await
        .expect("q");
    let mut by: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for p in everyone {
        let person = app.store.person(t.id, p).await.expect("q").expect("p");
        if let Some(d) = person.department_id {
            by.entry(d).or_default().push(p.0);
        }
    }
    by.into_iter().collect()
}

async fn close_now(app: &TestApp, survey: i64) {
    let t = app.demo_tenant().await;
    app.store
        .close_survey(t.id, survey, chrono::Utc::now())
        .await
        .expect("close");
}

app_test!(
    hr_opens_a_survey_the_employee_answers_once_and_bad_input_changes_nothing,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let before = app.store.surveys(t.id).await.expect("q").len();
        // Bad input: the form comes back as typed, nothing opens.
        let csrf = hr.csrf("/surveys").await;
        let fy = app.this_fy().await;
        let (past, far) = (day(-1), day(200));
        for (title, closes, population, expected) in [
            ("", day(10), "everyone", "タイトルを100文字以内"),
            ("秋の調査", past.clone(), "everyone", "92日以内"),
            ("秋の調査", far.clone(), "everyone", "92日以内"),
            ("秋の調査", day(10), "department", "部署を選んでください"),
        ] {
            let (s, body) = hr
                .post(
                    "/surveys",
                    &[
                        ("_csrf", &csrf),
                        ("kind", "five_supports"),
                        ("title", title),
                        ("fiscal_year", &fy),
                        ("closes_on", &closes),
                        ("population", population),
                    ],
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
            assert!(body.contains(expected), "{expected}");
            if !title.is_empty() {
                assert!(body.contains(title), "kept as typed");
            }
        }
        assert_eq!(app.store.surveys(t.id).await.expect("q").len(), before);
        let id = open_survey(
            &app,
            &hr,
            &[("population", "everyone")],
            "2026年度 5つの支援サーベイ",
        )
        .await;
        let (s, page) = hr.get(&format!("/surveys/{id}")).await;
        assert!(
            page.contains("data-testid=\"survey-participation\""),
            "{s} {}",
            &page[..page.len().min(3000)]
        );
        assert!(page.contains("後手支手"));
        // The employee is asked on マイキャリア.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (_, my) = employee.get("/my").await;
        assert!(my.contains("data-testid=\"my-survey-to-answer\""));
        let (s, form) = employee.get(&format!("/my/surveys/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(form.contains("匿名"));
        // A form with questions left comes back with the choices kept, nothing stored.
        let csrf = employee.csrf(&format!("/my/surveys/{id}")).await;
        let (s, body) = employee
            .post(
                &format!("/my/surveys/{id}"),
                &[("_csrf", &csrf), ("q.q1", "4"), ("q.q2", "2")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("17問が未回答"), "{}", body.len());
        assert!(
            body.contains("data-testid=\"answer-q1-4\" checked")
                || body.contains("value=\"4\" checked")
        );
        assert!(
            app.store
                .survey_answers(t.id, id)
                .await
                .expect("q")
                .is_empty()
        );
        // Out of range is not an answer.
        let mut fields: Vec<(String, String)> =
            (1..=19).map(|i| (format!("q.q{i}"), "3".into())).collect();
        fields[0].1 = "9".into();
        fields.push(("_csrf".into(), csrf.clone()));
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (s, _) = employee.post(&format!("/my/surveys/{id}"), &refs).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        fields[0].1 = "4".into();
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (s, _) = employee.post(&format!("/my/surveys/{id}"), &refs).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Twice: refused, the first kept.
        fields[1].1 = "1".into();
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (s, body) = employee.post(&format!("/my/surveys/{id}"), &refs).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("最初の回答がそのまま残っています"));
        let stored = app.store.survey_answers(t.id, id).await.expect("q");
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].answers.0.get("q2"), Some(&3));
        // The API answers alike.
        let token = app.token("employee@demo.example.jp").await;
        let (s, body) = app
            .api_post(
                &token,
                &format!("/api/v1/surveys/{id}/answers"),
                serde_json::json!({"answers": {"q1": 5}}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        let (s, list) = app.api(Some(&token), "/api/v1/surveys").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list["asked"][0]["answered"], true);
        assert_eq!(list["managed"].as_array().map(Vec::len), Some(0), "HR only");
        // The report waits for the closing day.
        let (_, report) = hr.get(&format!("/org-report?survey={id}")).await;
        assert!(!report.contains("data-testid=\"org-report-heatmap\""));
        let hr_token = app.token("hr@demo.example.jp").await;
        let (s, _) = app
            .api(Some(&hr_token), &format!("/api/v1/org-report?survey={id}"))
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Closed: no more answers.
        let csrf = hr.csrf(&format!("/surveys/{id}")).await;
        let (s, _) = hr
            .post(&format!("/surveys/{id}/close"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let manager = app.person_of("manager@demo.example.jp").await;
        let late = app::surveys::answer(
            &app.store,
            &as_person(t.id, manager),
            id,
            |_| Some("3"),
            app.state.clock.today(),
        )
        .await
        .expect("q");
        assert_eq!(
            late,
            Err(app::surveys::AnswerProblem::Refused(
                store::surveys::AnswerRefused::Closed
            ))
        );
        // A survey for one department does not exist for anyone outside it.
        let me = app.report_of_manager().await;
        let (dept, _) = people_by_department(&app)
            .await
            .into_iter()
            .find(|(d, people)| !people.contains(&me) && !people.is_empty() && *d > 0)
            .expect("another department");
        let code = app
            .store
            .all_departments(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|d| d.id == dept)
            .expect("d")
            .code;
        let other = open_survey(
            &app,
            &hr,
            &[("population", "department"), ("department", &code)],
            "部署だけの調査",
        )
        .await;
        let (s, _) = employee.get(&format!("/my/surveys/{other}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app
            .api_post(
                &token,
                &format!("/api/v1/surveys/{other}/answers"),
                serde_json::json!({"answers": {"q1": 5}}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

app_test!(
    reminders_reach_only_those_who_have_not_answered,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let id = open_survey(&app, &hr, &[("population", "everyone")], "リマインドの確認").await;
        // Opening it tells everyone asked, by e-mail and in the app, once each.
        let me = app.signed_in("employee@demo.example.jp").await;
        let (_, notices) = me.get("/notifications").await;
        assert_eq!(
            notices.matches("アンケートへのご協力のお願い").count(),
            1,
            "opened: one notice"
        );
        for (user, _, _) in app.store.unanswered_accounts(t.id, id).await.expect("q") {
            let key = format!("email:survey:{id}:opened:{}", user.0);
            let queued = app.store.job_status(t.id, &key).await.expect("q");
            assert!(queued.is_some(), "e-mail to {}", user.0);
        }
        let employee = app.person_of("employee@demo.example.jp").await;
        answer_all(&app, id, employee, "4").await;
        let csrf = hr.csrf(&format!("/surveys/{id}")).await;
        let (s, _) = hr
            .post(&format!("/surveys/{id}/remind"), &[("_csrf", &csrf)])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let accounts = app.store.unanswered_accounts(t.id, id).await.expect("q");
        assert!(
            accounts
                .iter()
                .all(|(_, e, _)| e != "employee@demo.example.jp")
        );
        assert!(
            accounts
                .iter()
                .any(|(_, e, _)| e == "manager@demo.example.jp")
        );
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (_, notices) = manager.get("/notifications").await;
        assert!(
            notices.contains("アンケートへの回答のお願い"),
            "in-app notice"
        );
        let (_, notices) = me.get("/notifications").await;
        assert!(
            !notices.contains("アンケートへの回答のお願い"),
            "answered: no reminder"
        );
        let survey = app.store.survey(t.id, id).await.expect("q").expect("s");
        assert_eq!(survey.reminders, 1);
    }
);

/// Every cell of every view HR can ask for, from the API: (unit, by) → report.
async fn every_view(app: &TestApp, token: &str, survey: i64) -> Vec<serde_json::Value> {
    let t = app.demo_tenant().await;
    let mut units: Vec<Option<i64>> = vec![None];
    units.extend(
        app.store
            .all_departments(t.id)
            .await
            .expect("q")
            .into_iter()
            .map(|d| Some(d.id)),
    );
    let mut out = Vec::new();
    for u in units {
        for by in ["unit", "age", "grade"] {
            let path = match u {
                Some(u) => format!("/api/v1/org-report?survey={survey}&unit={u}&by={by}"),
                None => format!("/api/v1/org-report?survey={survey}&by={by}"),
            };
            let (s, body) = app.api(Some(token), &path).await;
            assert_eq!(s, StatusCode::OK, "{path}: {body}");
            out.push(body["survey"].clone());
        }
    }
    out
}

app_test!(
    one_unusual_answer_in_a_small_unit_cannot_be_told_apart_anywhere,
    |app| async move {
        let t = app.demo_tenant().await;
        let k = t.settings.anonymity_k as u64;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let id = open_survey(&app, &hr, &[("population", "everyone")], "匿名性の確認").await;
        // Everyone answers 3 or 4, except one person alone in their unit, who answers 1.
        let units = people_by_department(&app).await;
        let (lonely_unit, lonely) = units
            .iter()
            .find(|(_, people)| people.len() >= 2)
            .map(|(d, people)| (*d, people[0]))
            .expect("a unit");
        for (d, people) in &units {
            for (i, p) in people.iter().enumerate() {
                if *d == lonely_unit && *p != lonely {
                    continue;
                }
                let v = if *p == lonely {
                    "1"
                } else if i % 2 == 0 {
                    "3"
                } else {
                    "4"
                };
                answer_all(&app, id, *p, v).await;
            }
        }
        close_now(&app, id).await;
        let token = app.token("hr@demo.example.jp").await;
        let views = every_view(&app, &token, id).await;
        let mut shown_units = 0;
        for v in &views {
            for row in
                std::iter::once(&v["total"]).chain(v["rows"].as_array().into_iter().flatten())
            {
                let n = row["respondents"].as_u64();
                if let Some(n) = n {
                    assert!(n == 0 || n >= k, "a shown cell of {n}");
                    shown_units += 1;
                }
                if row["label"]["kind"] == "unit" && row["label"]["id"] == lonely_unit {
                    assert!(n.is_none(), "the lonely unit is hidden");
                }
                for c in row["cells"].as_array().into_iter().flatten() {
                    if let Some(x) = c["value"].as_f64() {
                        assert!(
                            (x - 1.0).abs() > 1e-9,
                            "no shown mean is the unusual answer alone"
                        );
                    }
                }
            }
            // Subtracting shown children from their shown parent leaves none or ≥ k.
            if v["by"] == "unit"
                && let Some(total) = v["total"]["respondents"].as_u64()
            {
                let shown: u64 = v["rows"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r["respondents"].as_u64())
                    .sum();
                let rest = total - shown;
                assert!(rest == 0 || rest >= k, "parent − children = {rest}");
            }
        }
        assert!(shown_units > 0, "the report shows something");
        // The pages show what the API shows.
        let (_, page) = hr.get(&format!("/org-report?survey={id}")).await;
        assert!(page.contains("data-testid=\"org-report-heatmap\""));
        // The exports too: the lonely unit's row says it is hidden, no mean is the unusual
        // answer alone; a colleague may not export.
        let unit_param = format!("&unit={lonely_unit}");
        for (format, kind) in [("xlsx", "spreadsheetml"), ("pdf", "application/pdf")] {
            for unit in ["", unit_param.as_str()] {
                let r = hr
                    .http
                    .get(format!(
                        "{}/org-report/export.{format}?survey={id}{unit}",
                        hr.base
                    ))
                    .send()
                    .await
                    .expect("export");
                assert_eq!(r.status(), StatusCode::OK);
                let ct = r.headers()["content-type"]
                    .to_str()
                    .expect("ct")
                    .to_string();
                assert!(ct.contains(kind), "{ct}");
                let bytes = r.bytes().await.expect("body");
                if format == "pdf" {
                    let dir = std::env::temp_dir().join(format!(
                        "kyoritsu-orgpdf-{}-{:?}",
                        std::process::id(),
                        app.store.engine()
                    ));
                    std::fs::create_dir_all(&dir).expect("dir");
                    let file = dir.join("report.pdf");
                    std::fs::write(&file, &bytes).expect("write");
                    let text = poppler("pdftotext", &[&file.to_string_lossy(), "-"]);
                    assert!(text.contains("組織レポート"), "{text}");
                    assert!(
                        !text.contains(" 1.0"),
                        "no shown mean is the unusual answer"
                    );
                }
            }
        }
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, _) = employee
            .get(&format!("/org-report/export.xlsx?survey={id}"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Nothing in the store ties an answer to a person.
        let answers = app.store.survey_answers(t.id, id).await.expect("q");
        assert_eq!(answers.len() as i64, {
            let all = app.store.surveys(t.id).await.expect("q");
            all.iter().find(|(s, _)| s.id == id).expect("s").1.answered
        });
    }
);

app_test!(
    a_manager_reads_their_own_unit_only_when_it_has_k_respondents,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let manager_person = app.person_of("manager@demo.example.jp").await;
        let mine = app
            .store
            .person(t.id, PersonId(manager_person))
            .await
            .expect("q")
            .expect("p")
            .department_id
            .expect("a department");
        let colleagues: Vec<i64> = people_by_department(&app)
            .await
            .into_iter()
            .find(|(d, _)| *d == mine)
            .map(|(_, p)| p)
            .expect("the unit");
        assert!(colleagues.len() >= 5, "the demo unit is big enough");
        // First survey: two of the unit answer — too few.
        let few = open_survey(&app, &hr, &[("population", "everyone")], "少人数").await;
        for p in colleagues.iter().take(2) {
            answer_all(&app, few, *p, "4").await;
        }
        close_now(&app, few).await;
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, page) = manager.get(&format!("/org-report?survey={few}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("data-testid=\"org-report-notice\""));
        assert!(!page.contains("data-testid=\"org-report-heatmap\""));
        // Second survey: the whole unit answers — shown, and only their unit.
        let many = open_survey(&app, &hr, &[("population", "everyone")], "全員").await;
        for p in &colleagues {
            answer_all(&app, many, *p, "4").await;
        }
        close_now(&app, many).await;
        let (_, page) = manager.get(&format!("/org-report?survey={many}")).await;
        assert!(page.contains("data-testid=\"org-report-heatmap\""), "shown");
        assert!(!page.contains("全社"), "not the whole company");
        let token = app.token("manager@demo.example.jp").await;
        let (s, r) = app
            .api(Some(&token), &format!("/api/v1/org-report?survey={many}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            r["survey"]["total"]["respondents"].as_u64(),
            Some(colleagues.len() as u64)
        );
        assert_eq!(r["survey"]["whole_company"], false);
        assert_eq!(r["themes"]["whole_company"], false);
        // Another unit, or the top: not found.
        let other = app
            .store
            .all_departments(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|d| d.parent_id.is_none())
            .expect("top");
        let (s, _) = manager
            .get(&format!("/org-report?survey={many}&unit={}", other.id))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Others may not read it at all, nor run surveys.
        for who in [
            "employee@demo.example.jp",
            "consultant@demo.example.jp",
            "admin@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let (s, _) = b.get(&format!("/org-report?survey={many}")).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
            let (s, _) = b.get("/surveys").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        let (s, _) = manager.get("/surveys").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let employee_token = app.token("employee@demo.example.jp").await;
        let (s, _) = app
            .api(
                Some(&employee_token),
                &format!("/api/v1/org-report?survey={many}"),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

/// A held career interview with `p` by the demo consultant this year, tagged with `themes`.
async fn interview_tagged(app: &TestApp, p: i64, themes: &[&str]) -> i64 {
    let t = app.demo_tenant().await;
    let id = app.held_interview(p).await;
    let themes: Vec<String> = themes.iter().map(|s| s.to_string()).collect();
    app.store
        .set_dialogue_concerns(t.id, id, &themes)
        .await
        .expect("tags");
    id
}

app_test!(
    the_facilitator_tags_themes_and_the_report_counts_people_never_below_k_nor_a_whole_group,
    |app| async move {
        let t = app.demo_tenant().await;
        let k = t.settings.anonymity_k as u64;
        // Only the facilitator tags, only themes of the list.
        let (held, _, _, _) = demo_dialogues(&app).await;
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf(&format!("/dialogues/{held}")).await;
        let (_, page) = consultant.get(&format!("/dialogues/{held}")).await;
        assert!(page.contains("data-testid=\"concerns\""));
        let (s, _) = consultant
            .post(
                &format!("/dialogues/{held}/concerns"),
                &[
                    ("_csrf", &csrf),
                    ("concern.present", "1"),
                    ("concern.theme", "job_change"),
                    ("concern.theme", "made_up"),
                    ("concern.theme", "care"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let mut tagged = app.store.dialogue_concerns(t.id, held).await.expect("q");
        tagged.sort();
        assert_eq!(tagged, vec!["care".to_string(), "job_change".to_string()]);
        // Ticks not yet saved survive saving another section: the page comes back with
        // them, nothing of them stored until their own button.
        let (s, body) = consultant
            .post(
                &format!("/dialogues/{held}/vision"),
                &[
                    ("_csrf", &csrf),
                    ("vision.vision", "3年後に営業企画の仕事をしている"),
                    ("vision.horizon", "3"),
                    ("concern.present", "1"),
                    ("concern.theme", "health"),
                ],
            )
            .await;
        assert_eq!(
            s,
            StatusCode::OK,
            "the page comes back with the unsaved ticks"
        );
        assert!(body.contains("value=\"health\" checked"));
        let mut tagged = app.store.dialogue_concerns(t.id, held).await.expect("q");
        tagged.sort();
        assert_eq!(tagged, vec!["care".to_string(), "job_change".to_string()]);
        for who in [
            "manager@demo.example.jp",
            "hr@demo.example.jp",
            "employee@demo.example.jp",
        ] {
            let b = app.signed_in(who).await;
            let csrf = b.csrf("/my").await;
            let (s, page) = b
                .post(
                    &format!("/dialogues/{held}/concerns"),
                    &[("_csrf", &csrf), ("concern.theme", "health")],
                )
                .await;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                "{who}"
            );
            assert!(!page.contains("data-testid=\"concerns\""));
            let (_, view) = b.get(&format!("/dialogues/{held}")).await;
            assert!(
                !view.contains("data-testid=\"concerns\""),
                "{who} sees no tags"
            );
        }
        // HR adds a theme of the company's own; a duplicate is refused, typed text kept.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/surveys").await;
        let (s, _) = hr
            .post(
                "/surveys/themes",
                &[
                    ("_csrf", &csrf),
                    ("label_ja", "副業"),
                    ("label_en", "Side jobs"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, body) = hr
            .post(
                "/surveys/themes",
                &[("_csrf", &csrf), ("label_ja", "健康"), ("label_en", "")],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("同じ名前のテーマ"));
        assert!(body.contains("value=\"健康\""));
        // Two more of its own, which nothing in the demo carries, so the counts below are
        // exactly this test's: 副業 (custom.1), 奨学金 (custom.2), 資格 (custom.3).
        for label in ["奨学金", "資格"] {
            let (s, _) = hr
                .post(
                    "/surveys/themes",
                    &[("_csrf", &csrf), ("label_ja", label), ("label_en", "")],
                )
                .await;
            assert_eq!(s, StatusCode::SEE_OTHER);
        }
        // Units: one where six were consulted and three raised 転職; one where all five
        // consulted raised 健康 (hidden: it would tell each of them did).
        let units = people_by_department(&app).await;
        // Units where nobody was consulted yet this year, so the counts below are theirs.
        let fy: i32 = app.this_fy().await.parse().expect("fy");
        let range = t.settings.calendar.range(domain::calendar::FiscalYear(fy));
        let consulted = app
            .store
            .consulted_between(
                t.id,
                domain::japan_time::start_of_japan_day(*range.start()),
                domain::japan_time::start_of_japan_day(*range.end()) + chrono::Duration::days(1),
            )
            .await
            .expect("q");
        let mut big = units.iter().filter(|(_, p)| p.len() >= 6);
        let (u1, p1) = big.next().expect("a unit of six");
        let (u2, p2) = big.next().expect("another");
        for (i, p) in p1.iter().take(6).enumerate() {
            let themes: &[&str] = match i {
                0..=2 => &["custom.3", "custom.1"],
                3 | 4 => &["custom.1"],
                _ => &[],
            };
            interview_tagged(&app, *p, themes).await;
        }
        // Everyone consulted in the second unit raises 奨学金 (those consulted before too).
        for (i, p) in p2.iter().enumerate() {
            if i < 5 || consulted.contains(p) {
                interview_tagged(&app, *p, &["custom.2"]).await;
            }
        }
        let r = app::concerns::report(
            &app.store,
            &app.caller("hr@demo.example.jp").await,
            fy,
            None,
            (app::surveys::By::Unit, app::surveys::Listing::All),
            chrono::Utc::now(),
        )
        .await
        .expect("report")
        .expect("shown");
        let health = r
            .themes
            .iter()
            .position(|k| k == "custom.2")
            .expect("奨学金");
        let job = r.themes.iter().position(|k| k == "custom.3").expect("資格");
        for row in std::iter::once(&r.total).chain(&r.rows) {
            for n in row.themes.iter().flatten().chain(row.consulted.iter()) {
                assert!(*n == 0 || *n >= k, "a shown count of {n}");
            }
        }
        // Five of six who raised 副業 shown; three who raised 資格 never; everyone consulted
        // in a unit who raised 奨学金 hidden — it would tell each of them did.
        let workload = r.themes.iter().position(|k| k == "custom.1").expect("副業");
        let at = |unit: i64| {
            let caller = app.caller("hr@demo.example.jp");
            let store = app.store.clone();
            async move {
                app::concerns::report(
                    &store,
                    &caller.await,
                    fy,
                    Some(unit),
                    (app::surveys::By::Unit, app::surveys::Listing::All),
                    chrono::Utc::now(),
                )
                .await
                .expect("report")
                .expect("shown")
            }
        };
        // The company as a whole: five raised 副業 (shown), three 資格 (never).
        assert_eq!(r.total.themes[workload], Some(5));
        assert_eq!(r.total.themes[job], None);
        // Everyone who raised 奨学金 is in that one unit, so the company's figure would tell
        // the unit's: hidden with it.
        assert_eq!(r.total.themes[health], None);
        // Inside the units (whose rows the anonymity rule may hide as a whole), a shown
        // count is never below k and 奨学金 — raised by everyone consulted there — never shows.
        let one = at(*u1).await;
        assert_eq!(one.total.themes[job], None);
        if one.total.consulted == Some(6) {
            assert_eq!(one.total.themes[workload], Some(5));
        }

        let two = at(*u2).await;
        assert_eq!(two.total.themes[health], None, "everyone raised it");

        // The page: HR reads it; a colleague does not.
        let (s, page) = hr.get(&format!("/org-report/themes?fy={fy}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("data-testid=\"themes-heatmap\""));
        assert!(page.contains("副業"));
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, _) = employee.get("/org-report/themes").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

app_test!(
    hr_edits_the_questions_a_scale_without_labels_is_refused_and_open_surveys_keep_theirs,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let before = open_survey(&app, &hr, &[("population", "everyone")], "変更前").await;
        let (s, page) = hr.get("/surveys/questions/five_supports").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("安全道路"));
        let q = app
            .store
            .survey_questionnaire(t.id, domain::survey::Kind::FiveSupports)
            .await
            .expect("q");
        let csrf = hr.csrf("/surveys/questions/five_supports").await;
        let mut fields: Vec<(String, String)> = vec![("_csrf".into(), csrf)];
        for (i, x) in q.questions.iter().enumerate() {
            let n = i + 1;
            fields.push((format!("q{n}.key"), x.key.clone()));
            fields.push((format!("q{n}.measure"), x.measure.key()));
            fields.push((
                format!("q{n}.ja"),
                if n == 1 {
                    "上司に安心して失敗を話せます。".into()
                } else {
                    x.text_ja.clone()
                },
            ));
            fields.push((format!("q{n}.en"), x.text_en.clone()));
            if n == 2 {
                fields.push((format!("q{n}.remove"), "1".into()));
            }
        }
        let n = q.questions.len() + 1;
        fields.push((format!("q{n}.key"), String::new()));
        fields.push((format!("q{n}.measure"), "support.future_outlook".into()));
        fields.push((
            format!("q{n}.ja"),
            "社外の人とキャリアについて話す機会があります。".into(),
        ));
        fields.push((
            format!("q{n}.en"),
            "I get to talk about my career with people outside.".into(),
        ));
        for p in 1..=5 {
            fields.push((
                format!("scale_ja{p}"),
                if p == 3 {
                    String::new()
                } else {
                    q.scale_ja[p - 1].clone()
                },
            ));
            fields.push((format!("scale_en{p}"), q.scale_en[p - 1].clone()));
        }
        // A scale point without its label: refused, everything typed comes back.
        let (s, body) = hr
            .post("/surveys/questions/five_supports", &as_refs(&fields))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("5段階すべてに日本語と英語のラベル"));
        assert!(body.contains("上司に安心して失敗を話せます。"));
        assert!(body.contains("社外の人とキャリアについて話す機会があります。"));
        assert_eq!(
            app.store
                .survey_questionnaire(t.id, domain::survey::Kind::FiveSupports)
                .await
                .expect("q"),
            q,
            "nothing saved"
        );
        for f in fields.iter_mut() {
            if f.0 == "scale_ja3" {
                f.1 = "どちらでもない".into();
            }
        }
        let (s, _) = hr
            .post("/surveys/questions/five_supports", &as_refs(&fields))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let saved = app
            .store
            .survey_questionnaire(t.id, domain::survey::Kind::FiveSupports)
            .await
            .expect("q");
        assert_eq!(saved.questions.len(), q.questions.len());
        assert_eq!(saved.questions[0].text_ja, "上司に安心して失敗を話せます。");
        assert!(saved.questions.iter().all(|x| x.key != "q2"), "removed");
        let added = saved.questions.last().expect("added");
        assert!(!q.questions.iter().any(|x| x.key == added.key), "a new key");
        assert_eq!(saved.scale_ja[2], "どちらでもない");
        // The open survey keeps its questions; the next one takes the new ones.
        let kept = app.store.survey(t.id, before).await.expect("q").expect("s");
        assert_eq!(kept.questionnaire, q);
        let after = open_survey(&app, &hr, &[("population", "everyone")], "変更後").await;
        let next = app.store.survey(t.id, after).await.expect("q").expect("s");
        assert_eq!(next.questionnaire, saved);
        // Nobody but HR edits them.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = manager.get("/surveys/questions/five_supports").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = hr.get("/surveys/questions/nothing").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

fn as_refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

app_test!(
    a_closed_survey_is_counted_once_and_again_when_k_changes,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let id = open_survey(&app, &hr, &[("population", "everyone")], "集計の確認").await;
        for (_, people) in people_by_department(&app).await {
            for p in people {
                answer_all(&app, id, p, "4").await;
            }
        }
        // The demo's closed surveys are counted, one a tick; this one, open, is not.
        let worker = app.worker(None);
        let mut ticks = 0;
        while worker.tick().await.expect("tick").org_reports > 0 {
            ticks += 1;
            assert!(
                ticks <= 20,
                "the demo's surveys and ten years' themes, one a tick"
            );
        }
        let counted = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                store
                    .org_report_counted(t.id, &app::report_store::survey_key(id))
                    .await
                    .expect("q")
            }
        };
        assert!(counted(&app).await.is_none(), "open: not counted");
        // Closed: the worker counts it once, however many workers tick at once.
        close_now(&app, id).await;
        let other = app.worker(None);
        let (a, b) = tokio::join!(worker.tick(), other.tick());
        let (a, b) = (a.expect("tick"), b.expect("tick"));
        assert_eq!(a.org_reports + b.org_reports, 1, "counted by one worker");
        let first = counted(&app).await.expect("counted");
        assert_eq!(first.k, t.settings.anonymity_k);
        assert_eq!(worker.tick().await.expect("tick").org_reports, 0);
        // Readers read what was stored: nothing is counted again.
        let token = app.token("hr@demo.example.jp").await;
        let path = format!("/api/v1/org-report?survey={id}&by=unit");
        let (s, before) = app.api(Some(&token), &path).await;
        assert_eq!(s, StatusCode::OK, "{before}");
        assert_eq!(before["survey"]["k"], t.settings.anonymity_k);
        assert_eq!(counted(&app).await.expect("c").counted_at, first.counted_at);
        let company = before["survey"]["total"]["respondents"]
            .as_u64()
            .expect("the company is shown");
        // A larger k: what was decided with the old k is not shown again; the worker would
        // count it, and the next reader counts it first, hiding what the new k hides.
        let k = 40;
        assert!(company >= k, "the company has {company} respondents");
        let mut settings = t.settings.clone();
        settings.anonymity_k = k as u32;
        app.store
            .update_tenant_settings(t.id, settings)
            .await
            .expect("k");
        let due = app::report_store::due_counts(&app.store, t.id, chrono::Utc::now())
            .await
            .expect("due");
        // Every closed survey (the demo's too) is due again, and every year's themes.
        assert!(
            due.iter()
                .any(|j| j.payload == app::report_store::survey_key(id)),
            "due again"
        );
        assert_eq!(
            due.iter()
                .filter(|j| j.payload.starts_with("survey:"))
                .count(),
            app.store
                .survey_list(t.id)
                .await
                .expect("q")
                .iter()
                .filter(|s| s.closed_at.is_some() || !s.is_open(chrono::Utc::now().date_naive()))
                .count()
        );
        let (s, after) = app.api(Some(&token), &path).await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert_eq!(after["survey"]["k"], k);
        assert_eq!(counted(&app).await.expect("c").k, k as u32);
        assert_eq!(after["survey"]["total"]["respondents"], company);
        let mut hidden = 0;
        for row in after["survey"]["rows"].as_array().expect("rows") {
            match row["respondents"].as_u64() {
                Some(n) => assert!(n == 0 || n >= k, "a shown unit of {n}"),
                None => hidden += 1,
            }
        }
        assert!(hidden > 0, "the larger k hides some units: {after}");
        // The job queued for the new k finds it counted and leaves it.
        let at = counted(&app).await.expect("c").counted_at;
        app::report_store::run_job(
            &app.store,
            t.id,
            &app::report_store::survey_key(id),
            chrono::Utc::now(),
        )
        .await
        .expect("job");
        assert_eq!(counted(&app).await.expect("c").counted_at, at);
    }
);
