//! The directory (社員検索): kanji, kana, employee number and department, within the caller's reach.

use super::*;

app_test!(
    the_directory_finds_people_by_kanji_kana_number_and_department_within_the_callers_reach,
    |app| async move {
        let t = app.demo_tenant().await;
        let outsider = app
            .store
            .person(t.id, domain::PersonId(app.outsider().await))
            .await
            .expect("q")
            .expect("p");
        let report = app
            .store
            .person(t.id, domain::PersonId(app.report_of_manager().await))
            .await
            .expect("q")
            .expect("p");
        let hr = app.signed_in("hr@demo.example.jp").await;
        // Kanji without the space, hiragana for the katakana reading, employee number.
        let hiragana: String = report
            .name_kana
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| {
                char::from_u32(c as u32 - 0x60)
                    .filter(|_| ('ァ'..='ヶ').contains(&c))
                    .unwrap_or(c)
            })
            .collect();
        for q in [
            report.name.replace(' ', ""),
            hiragana,
            report.employee_number.clone(),
        ] {
            let (status, body) = hr
                .get(&format!("/people?q={}", web::error::urlencode(&q)))
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                body.contains(&format!("/people/{}", report.id)),
                "HR searching {q} finds {}",
                report.name
            );
        }
        let (_, body) = hr
            .get(&format!("/people?q={}", web::error::urlencode("第一課")))
            .await;
        assert!(body.contains("data-testid=\"directory-row\""));
        // A manager searches only their own line.
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (status, body) = manager
            .get(&format!(
                "/people?q={}",
                web::error::urlencode(&report.employee_number)
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("/people/{}", report.id)));
        let (_, body) = manager
            .get(&format!(
                "/people?q={}",
                web::error::urlencode(&outsider.employee_number)
            ))
            .await;
        assert!(
            !body.contains(&format!("/people/{}", outsider.id)),
            "outside the manager's line"
        );
        assert!(!body.contains(&outsider.name));
        // The org tree's top level sums everyone below.
        let admin = app.signed_in("admin@demo.example.jp").await;
        let (status, body) = admin.get("/org").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("管理本部") && body.contains("営業本部"));
        let top = app
            .store
            .department_children(t.id, None)
            .await
            .expect("tree");
        assert_eq!(
            top.iter().map(|n| n.headcount).sum::<i64>(),
            app.store.count_people(t.id).await.expect("count")
        );
        let first = &top[0];
        let children = app
            .store
            .department_children(t.id, Some(first.department.id))
            .await
            .expect("children");
        assert!(!children.is_empty());
        let direct: i64 = app
            .store
            .search_people(t.id, "", None, 1000, 0)
            .await
            .expect("all")
            .0
            .iter()
            .filter(|p| {
                p.department_id == Some(first.department.id)
                    && p.status != domain::PersonStatus::Left
            })
            .count() as i64;
        assert_eq!(
            first.headcount,
            children.iter().map(|c| c.headcount).sum::<i64>() + direct
        );
        let (status, body) = admin
            .get(&format!("/org/{}/children", first.department.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&children[0].department.name));
    }
);

app_test!(
    the_managers_member_page_leads_with_the_career_side_and_shows_only_what_the_policy_allows,
    |app| async move {
        let (held, _, _, one) = demo_dialogues(&app).await;
        let me = app.report_of_manager().await;
        let manager = app.signed_in("manager@demo.example.jp").await;
        let (s, page) = manager.get(&format!("/people/{me}")).await;
        assert_eq!(s, StatusCode::OK);
        let career = page
            .find("data-testid=\"member-career\"")
            .expect("the career side");
        let ratings = page.find("評価の推移").expect("the ratings, below");
        assert!(career < ratings, "the career side comes before the ratings");
        assert!(page.contains("data-testid=\"member-cadence\""));
        // Their own 1on1s link to the notes; the consultant's interview is date and kind only.
        assert!(page.contains(&format!("/dialogues/{one}")));
        assert!(!page.contains(&format!("href=\"/dialogues/{held}\"")));
        assert!(page.contains("（日時と種類のみ）"));
        for secret in [PRIVATE_NOTE, SHARED_NOTE, FOR_MANAGER_NOTE, WITHHELD] {
            assert!(!page.contains(secret), "{secret}");
        }
        // Nobody else gets it: HR sees the profile, not the career side.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, page) = hr.get(&format!("/people/{me}")).await;
        assert!(!page.contains("member-career"));
    }
);

app_test!(
    hr_assigns_many_people_at_once_all_or_nothing_spread_by_workload,
    |app| async move {
        let t = app.demo_tenant().await;
        let manager = app.person_of("manager@demo.example.jp").await;
        let consultant = app.user("consultant@demo.example.jp").await;
        // Members of the sales line nobody is assigned to yet.
        let mut free = Vec::new();
        for (_, p) in app
            .store
            .reports_of(t.id, domain::PersonId(manager))
            .await
            .expect("q")
        {
            if !app
                .store
                .is_assigned(t.id, consultant.id, domain::PersonId(p.id))
                .await
                .expect("q")
            {
                free.push(p.employee_number);
            }
            if free.len() == 3 {
                break;
            }
        }
        assert_eq!(free.len(), 3);
        let count = || async { app.store.assignments(t.id).await.expect("q").len() };
        let before = count().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/assignments").await;
        // One unknown number and one repeated: nobody is assigned, each problem by item.
        let bad = format!("{}\nNOPE-1\n{}, {}", free[0], free[1], free[1]);
        let (s, body) = hr
            .post(
                "/assignments/bulk",
                &[
                    ("_csrf", csrf.as_str()),
                    ("consultant", "auto"),
                    ("numbers", bad.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("2件目「NOPE-1」") && body.contains("同じ社員番号が2回"),
            "{body}"
        );
        assert!(body.contains("NOPE-1"), "the numbers come back as typed");
        assert_eq!(count().await, before, "nobody assigned");
        // A clean batch goes, to the consultant with the fewest clients.
        let good = free.join("\n");
        let (s, _) = hr
            .post(
                "/assignments/bulk",
                &[
                    ("_csrf", csrf.as_str()),
                    ("consultant", "auto"),
                    ("numbers", good.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(count().await, before + 3);
        let (_, page) = hr.get("/assignments").await;
        assert!(page.contains("3名を割り当てました"));
        // Only HR.
        let m = app.signed_in("manager@demo.example.jp").await;
        let mcsrf = m.csrf("/my").await;
        let (s, _) = m
            .post(
                "/assignments/bulk",
                &[
                    ("_csrf", mcsrf.as_str()),
                    ("consultant", "auto"),
                    ("numbers", good.as_str()),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
