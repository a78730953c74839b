//! 相談相手を選ぶ: the employee chooses and books a consultant's open slot, changes
//! consultant without a reason, rates a held session; the consultant keeps their open
//! slots; HR reads counts only. The company — manager, HR, admin — never learns who
//! chose whom.

use super::*;
use domain::UserId;
use domain::consultant::Setting;

/// A consultant of the demo's generated pool with no session yet, and a new free slot
/// of theirs `days` from now at 11:00 Japan time.
async fn pool_slot(app: &TestApp, days: i64) -> (UserId, i64) {
    let t = app.demo_tenant().await;
    let c = app
        .store
        .consultants(t.id)
        .await
        .expect("q")
        .into_iter()
        .find(|c| c.email.starts_with("consultant0003@"))
        .expect("a generated consultant");
    let day = domain::japan_time::japan_date(chrono::Utc::now()) + chrono::Duration::days(days);
    let at = domain::japan_time::japan_time_on(day, 11, 0).expect("time");
    let slot = app
        .store
        .add_slots(t.id, c.user, &[(at, 60, Setting::Online)])
        .await
        .expect("slot")[0];
    (c.user, slot)
}

async fn book(b: &Browser, slot: i64, from: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/my/consultants").await;
    b.post(
        "/my/consultants/book",
        &[
            ("_csrf", &csrf),
            ("slot", &slot.to_string()),
            ("from", from),
        ],
    )
    .await
}

app_test!(
    an_employee_books_a_proposed_consultant_and_the_company_never_learns_of_it,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (s, page) = employee.get("/my/consultants").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            page.matches("data-testid=\"proposal\"").count(),
            10,
            "ten proposals"
        );
        assert!(page.contains("あなたが話したいテーマ『育児・介護との両立』"));
        let (consultant, slot) = pool_slot(&app, 3).await;
        let (s, location) = employee
            .post(
                "/my/consultants/book",
                &[
                    ("_csrf", &employee.csrf("/my/consultants").await),
                    ("slot", &slot.to_string()),
                    ("from", "proposal"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let booked = app
            .store
            .slot(t.id, slot)
            .await
            .expect("q")
            .and_then(|s| s.dialogue_id)
            .expect("the slot holds the session");
        let d = app
            .store
            .dialogue(t.id, booked)
            .await
            .expect("q")
            .expect("dialogue");
        assert_eq!(d.kind, domain::dialogue::DialogueKind::Consultation);
        assert_eq!(d.facilitator, consultant);
        assert_eq!(d.subject.0, app.person_of("employee@demo.example.jp").await);
        // The employee sees their session and choice; the consultant their new client.
        let (_, page) = employee.get("/my/consultants").await;
        assert!(page.contains(&format!("href=\"/dialogues/{booked}\"")));
        let (s, _) = employee.get(&format!("/dialogues/{booked}")).await;
        assert_eq!(s, StatusCode::OK);
        // The manager, HR and admin: no page, list or count names it.
        let name = app.user("employee@demo.example.jp").await.name;
        let consultant_name = app.store.user(t.id, consultant).await.expect("q").name;
        for who in ["manager", "hr", "admin"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let (s, _) = b.get(&format!("/dialogues/{booked}")).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who} may not open it");
            for path in [
                "/dialogues",
                "/my",
                "/members",
                "/assignments",
                "/consultants",
            ] {
                let (_, page) = b.get(path).await;
                assert!(
                    !page.contains(&format!("/dialogues/{booked}\"")),
                    "{who} {path} links the session"
                );
                // HR's assignments name who HR assigned, never whom someone chose; the
                // consultants' list names consultants, never their clients.
                if path == "/assignments" {
                    let table = page
                        .split("data-testid=\"assignments\"")
                        .nth(1)
                        .unwrap_or_default();
                    assert!(
                        !table.contains(&consultant_name),
                        "{who} {path} names the chosen consultant"
                    );
                }
                if path == "/consultants" {
                    assert!(!page.contains(&name), "{who} {path} names the employee");
                }
            }
        }
        let manager = app.signed_in("manager@demo.example.jp").await;
        let member = app.person_of("employee@demo.example.jp").await;
        let (_, page) = manager.get(&format!("/members/{member}")).await;
        assert!(
            !page.contains("外部キャリア相談"),
            "not even its kind and date"
        );
        let manager_token = app.token("manager@demo.example.jp").await;
        let (_, body) = app
            .api(Some(&manager_token), "/api/v1/dialogues?limit=500")
            .await;
        assert!(
            !body.to_string().contains(&format!("\"id\":{booked}")),
            "nor in the API"
        );
        // The audit log does not tie the employee to the consultant.
        let filter = store::audit::AuditFilter::default();
        let (audit, _) = app
            .store
            .list_audit(t.id, &filter, 1000, 0)
            .await
            .expect("q");
        let ids = [booked.to_string(), consultant.0.to_string()];
        assert!(
            !audit.iter().any(|e| e.actor_email.starts_with("employee@")
                && e.target_id.as_ref().is_some_and(|x| ids.contains(x))),
            "no entry ties the employee to the session or the consultant"
        );
    }
);

app_test!(
    two_employees_booking_the_last_slot_at_once_one_wins_and_the_other_is_offered_the_next,
    |app| async move {
        let t = app.demo_tenant().await;
        let (consultant, slot) = pool_slot(&app, 4).await;
        let later = domain::japan_time::japan_time_on(
            domain::japan_time::japan_date(chrono::Utc::now()) + chrono::Duration::days(9),
            11,
            0,
        )
        .expect("time");
        app.store
            .add_slots(t.id, consultant, &[(later, 60, Setting::InPerson)])
            .await
            .expect("slot");
        let a = app.signed_in("employee@demo.example.jp").await;
        let b = app.signed_in("hr@demo.example.jp").await;
        let (ra, rb) = tokio::join!(book(&a, slot, "search"), book(&b, slot, "search"));
        assert_eq!((ra.0, rb.0), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
        let mine = |who: &'static str| {
            let app = &app;
            async move {
                let p = domain::PersonId(app.person_of(who).await);
                app.store
                    .dialogues_about(t.id, p)
                    .await
                    .expect("q")
                    .into_iter()
                    .filter(|d| d.facilitator == consultant)
                    .count()
            }
        };
        let (na, nb) = (
            mine("employee@demo.example.jp").await,
            mine("hr@demo.example.jp").await,
        );
        assert_eq!(na + nb, 1, "exactly one booking: {na} + {nb}");
        let loser = if na == 0 { &a } else { &b };
        let (_, page) = loser.get(&format!("/consultants/{}", consultant.0)).await;
        assert!(
            page.contains("この枠は、ほかの方が先に予約しました。"),
            "told"
        );
        assert!(
            page.contains(
                &domain::japan_time::to_japan(later)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            ),
            "and offered the next free slot"
        );
    }
);

app_test!(
    past_slots_capacity_and_the_yearly_allowance_are_refused_and_nothing_is_booked,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let me = domain::PersonId(app.person_of("employee@demo.example.jp").await);
        let count = || async { app.store.dialogues_about(t.id, me).await.expect("q").len() };
        let before = count().await;
        // A slot that has passed.
        let (consultant, _) = pool_slot(&app, 5).await;
        let past = chrono::Utc::now() - chrono::Duration::hours(2);
        let gone = app
            .store
            .add_slots(t.id, consultant, &[(past, 60, Setting::Online)])
            .await
            .expect("slot")[0];
        book(&employee, gone, "profile").await;
        let (_, page) = employee
            .get(&format!("/consultants/{}", consultant.0))
            .await;
        assert!(page.contains("この枠の時間は過ぎています。"));
        // HR says the company pays for no session this year.
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/consultants").await;
        let (s, _) = hr
            .post(
                "/consultants/allowance",
                &[("_csrf", &csrf), ("allowance", "0")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, slot) = pool_slot(&app, 6).await;
        book(&employee, slot, "profile").await;
        let (_, page) = employee
            .get(&format!("/consultants/{}", consultant.0))
            .await;
        assert!(page.contains("会社の負担で受けられる相談の回数を使い切っています"));
        hr.post(
            "/consultants/allowance",
            &[("_csrf", &csrf), ("allowance", "千")],
        )
        .await;
        let (_, page) = hr.get("/consultants").await;
        assert!(
            page.contains("0〜100の数字で入力してください"),
            "a wrong number is refused"
        );
        assert_eq!(
            app.store.consultations_per_year(t.id).await.expect("q"),
            Some(0),
            "and changes nothing"
        );
        hr.post(
            "/consultants/allowance",
            &[("_csrf", &csrf), ("allowance", "")],
        )
        .await;
        assert_eq!(
            app.store.consultations_per_year(t.id).await.expect("q"),
            None
        );
        // A consultant whose month is full: capacity 1 and one session booked already.
        let mut profile = app
            .store
            .consultant_profile(t.id, consultant)
            .await
            .expect("q")
            .expect("profile")
            .0;
        profile.capacity_per_month = 1;
        app.store
            .save_consultant_profile(t.id, consultant, &profile)
            .await
            .expect("save");
        let day = domain::japan_time::japan_date(chrono::Utc::now());
        let month_start = chrono::Datelike::with_day(&day, 1).expect("first");
        let next_month = month_start
            .checked_add_months(chrono::Months::new(1))
            .expect("month");
        // Two slots late this month or early next month, in the same month.
        let d1 = if (next_month - day).num_days() > 3 {
            day + chrono::Duration::days(1)
        } else {
            next_month + chrono::Duration::days(1)
        };
        let at = |h| domain::japan_time::japan_time_on(d1, h, 0).expect("time");
        let ids = app
            .store
            .add_slots(
                t.id,
                consultant,
                &[(at(9), 60, Setting::Online), (at(14), 60, Setting::Online)],
            )
            .await
            .expect("slots");
        let other = app.signed_in("manager@demo.example.jp").await;
        let (s, _) = book(&other, ids[0], "profile").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(
            app.store
                .slot(t.id, ids[0])
                .await
                .expect("q")
                .is_some_and(|s| s.dialogue_id.is_some()),
            "the month's one session"
        );
        book(&employee, ids[1], "profile").await;
        let (_, page) = employee
            .get(&format!("/consultants/{}", consultant.0))
            .await;
        assert!(
            page.contains("その月の受け入れ上限に達しています"),
            "at capacity"
        );
        assert_eq!(count().await, before, "nothing was booked for the employee");
    }
);

app_test!(
    changing_consultant_cancels_coming_sessions_frees_the_slots_and_asks_no_reason,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (consultant, slot) = pool_slot(&app, 7).await;
        book(&employee, slot, "proposal").await;
        let d = app
            .store
            .slot(t.id, slot)
            .await
            .expect("q")
            .and_then(|s| s.dialogue_id)
            .expect("booked");
        let (_, page) = employee.get("/my/consultants").await;
        assert!(page.contains("相談相手を変える"));
        assert!(page.contains("理由を聞かれることはありません"));
        let csrf = employee.csrf("/my/consultants").await;
        let (s, _) = employee
            .post(
                &format!("/my/consultants/{}/change", consultant.0),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let after = app.store.dialogue(t.id, d).await.expect("q").expect("d");
        assert_eq!(after.state, domain::dialogue::DialogueState::Cancelled);
        assert_eq!(
            app.store
                .slot(t.id, slot)
                .await
                .expect("q")
                .expect("s")
                .dialogue_id,
            None,
            "the slot is free again"
        );
        let me = domain::PersonId(app.person_of("employee@demo.example.jp").await);
        assert!(
            !app.store.serves(t.id, consultant, me).await.expect("q"),
            "the consultant no longer serves them"
        );
        // Changing again: nothing to change.
        let (s, _) = employee
            .post(
                &format!("/my/consultants/{}/change", consultant.0),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

app_test!(
    a_held_session_is_rated_once_by_the_employee_and_the_consultant_sees_only_an_aggregate,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let (consultant, slot) = pool_slot(&app, 2).await;
        book(&employee, slot, "proposal").await;
        let d = app
            .store
            .slot(t.id, slot)
            .await
            .expect("q")
            .and_then(|s| s.dialogue_id)
            .expect("booked");
        let csrf = employee.csrf("/my/consultants").await;
        let rate = |level: &'static str| {
            let (employee, csrf) = (&employee, csrf.clone());
            async move {
                employee
                    .post(
                        &format!("/my/consultants/sessions/{d}/rating"),
                        &[("_csrf", &csrf), ("level", level), ("again", "1")],
                    )
                    .await
            }
        };
        // Not before it was held.
        let (s, _) = rate("5").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        app.store
            .close_dialogue(t.id, d, domain::dialogue::DialogueState::Held)
            .await
            .expect("held");
        let (_, page) = employee.get("/my/consultants").await;
        assert!(page.contains("data-testid=\"rate-form\""));
        let (s, _) = rate("9").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(app.store.rating_of_session(t.id, d).await.expect("q"), None);
        rate("4").await;
        assert_eq!(
            app.store.rating_of_session(t.id, d).await.expect("q"),
            Some((4, true))
        );
        rate("1").await;
        assert_eq!(
            app.store.rating_of_session(t.id, d).await.expect("q"),
            Some((4, true)),
            "rated once"
        );
        // Nobody else rates it: the consultant, the manager.
        for who in ["manager", "hr"] {
            let b = app.signed_in(&format!("{who}@demo.example.jp")).await;
            let csrf = b.csrf("/my").await;
            let (s, _) = b
                .post(
                    &format!("/my/consultants/sessions/{d}/rating"),
                    &[("_csrf", &csrf), ("level", "1")],
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        }
        // The pool consultant has one rating: below k, their page shows none.
        let (_, slots) = app
            .store
            .consultants(t.id)
            .await
            .expect("q")
            .into_iter()
            .find(|c| c.user == consultant)
            .map(|c| ((), c.email))
            .expect("c");
        app.store
            .set_password(t.id, consultant, "consultant-pass-123")
            .await
            .expect("pw");
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let b = app.browser();
        b.login(&slots, "consultant-pass-123").await;
        let (_, page) = b.get("/consultant/slots").await;
        assert!(page.contains("data-testid=\"my-ratings-hidden\""));
        // The demo consultant has five ratings from the demo's colleagues: shown as a mean.
        let demo = app.signed_in("consultant@demo.example.jp").await;
        let (_, page) = demo.get("/consultant/slots").await;
        assert!(
            page.contains("data-testid=\"my-ratings-figures\""),
            "{page}"
        );
    }
);

app_test!(
    hr_reads_counts_only_and_they_hide_below_the_anonymity_threshold,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("data-testid=\"usage-people\">10人"), "{page}");
        assert!(page.contains("data-testid=\"usage-held\">10件"));
        let mut settings = t.settings.clone();
        settings.anonymity_k = 20;
        app.store
            .update_tenant_settings(t.id, settings)
            .await
            .expect("k");
        let (_, page) = hr.get("/consultants").await;
        assert!(
            page.contains("data-testid=\"usage-people\">—"),
            "hidden below k"
        );
        assert!(page.contains("data-testid=\"usage-mean-rating\">—"));
        assert!(page.contains("data-testid=\"usage-from-proposals\">—"));
    }
);

app_test!(
    a_keyword_finds_a_consultant_by_kana_or_theme_and_a_changed_profile_is_found_at_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let me = app.user("consultant@demo.example.jp").await;
        let (profile, _) = app
            .store
            .consultant_profile(t.id, me.id)
            .await
            .expect("q")
            .expect("profile");
        // The demo consultant's kana, typed in hiragana.
        let hiragana: String = profile
            .kana
            .split(' ')
            .next()
            .expect("surname")
            .chars()
            .map(|c| char::from_u32(c as u32 - 0x60).unwrap_or(c))
            .collect();
        let (_, page) = employee
            .get(&format!("/my/consultants?q={}", urlencode(&hiragana)))
            .await;
        assert!(
            page.contains(&format!("href=\"/consultants/{}?from=search\"", me.id.0)),
            "found by kana: {hiragana}"
        );
        let (_, page) = employee
            .get(&format!(
                "/my/consultants?q={}&style=advise",
                urlencode("介護")
            ))
            .await;
        assert!(
            !page.contains(&format!("href=\"/consultants/{}?from=search\"", me.id.0)),
            "the style filter narrows (the demo consultant listens)"
        );
        // A changed profile is found at once (the index follows the version).
        let consultant = app.signed_in("consultant@demo.example.jp").await;
        let csrf = consultant.csrf("/consultant/profile").await;
        let mut fields: Vec<(&str, String)> = vec![
            ("_csrf", csrf),
            ("display_name", profile.display_name.clone()),
            ("kana", "ソウダン タロウ".into()),
            ("registration_number", profile.registration_number.clone()),
            ("years_of_practice", "12".into()),
            ("style", "listen".into()),
            ("message", "宇宙開発の現場も知っています。".into()),
            ("capacity_per_month", "20".into()),
        ];
        fields.push(("themes", "care_and_work".into()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, _) = consultant.post("/consultant/profile", &borrowed).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = employee
            .get(&format!("/my/consultants?q={}", urlencode("宇宙開発")))
            .await;
        assert!(page.contains(&format!("/consultants/{}?from=search", me.id.0)));
        let (_, page) = employee
            .get(&format!("/my/consultants?q={}", urlencode("ｿｳﾀﾞﾝ")))
            .await;
        assert!(
            page.contains(&format!("/consultants/{}?from=search", me.id.0)),
            "half-width kana"
        );
    }
);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

app_test!(
    the_api_proposes_searches_lists_slots_and_books_with_precise_errors,
    |app| async move {
        let token = app.token("employee@demo.example.jp").await;
        let (s, body) = app
            .api(Some(&token), "/api/v1/me/consultant-proposals")
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(body["diagnosed"], true);
        let proposals = body["proposals"].as_array().expect("proposals");
        assert_eq!(proposals.len(), 10);
        assert!(
            proposals
                .iter()
                .all(|p| !p["reasons"].as_array().expect("reasons").is_empty())
        );
        let (s, body) = app
            .api(
                Some(&token),
                "/api/v1/consultants?theme=care_and_work&style=listen",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        for c in body["consultants"].as_array().expect("list") {
            assert_eq!(c["style"], "listen");
            assert!(
                c["themes"]
                    .as_array()
                    .expect("themes")
                    .contains(&serde_json::json!("care_and_work"))
            );
        }
        let (s, body) = app
            .api(Some(&token), "/api/v1/consultants?theme=astrology")
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "bad_request");
        let (consultant, slot) = pool_slot(&app, 3).await;
        let (s, body) = app
            .api(
                Some(&token),
                &format!("/api/v1/consultants/{}/slots", consultant.0),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            body["slots"]
                .as_array()
                .expect("slots")
                .iter()
                .any(|x| x["id"] == slot)
        );
        let (s, body) = app
            .api_post(
                &token,
                "/api/v1/consultations",
                serde_json::json!({"slot_id": slot, "from": "search"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        assert!(body["dialogue_id"].as_i64().is_some());
        let other = app.token("hr@demo.example.jp").await;
        let (s, body) = app
            .api_post(
                &other,
                "/api/v1/consultations",
                serde_json::json!({"slot_id": slot}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "slot_taken");
        let (s, _) = app
            .api_post(
                &other,
                "/api/v1/consultations",
                serde_json::json!({"slot_id": 987654321}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let instructor = app.token("instructor@demo.example.jp").await;
        let (consultant2, slot2) = pool_slot(&app, 8).await;
        let _ = consultant2;
        let (s, body) = app
            .api_post(
                &instructor,
                "/api/v1/consultations",
                serde_json::json!({"slot_id": slot2}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    }
);

app_test!(
    hr_invites_a_consultant_who_sets_their_own_password_once,
    |app| async move {
        let t = app.demo_tenant().await;
        let hr = app.signed_in("hr@demo.example.jp").await;
        let csrf = hr.csrf("/consultants").await;
        // A wrong address: nothing made, the form keeps what was typed.
        let (s, _) = hr
            .post(
                "/consultants/invite",
                &[("_csrf", &csrf), ("email", "mori@"), ("name", "森 花子")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("メールアドレスの形が正しくありません"));
        assert!(page.contains("value=\"森 花子\""), "kept as typed");
        // An address that is HR's own account: not a consultant's.
        hr.post(
            "/consultants/invite",
            &[
                ("_csrf", &csrf),
                ("email", "hr@demo.example.jp"),
                ("name", "x"),
            ],
        )
        .await;
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("キャリアコンサルタントではありません"));
        let (s, _) = hr
            .post(
                "/consultants/invite",
                &[
                    ("_csrf", &csrf),
                    ("email", "mori@partners.example.jp"),
                    ("name", "森 花子"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let user = app
            .store
            .user_by_email(
                t.id,
                &domain::EmailAddress::parse("mori@partners.example.jp").expect("e"),
            )
            .await
            .expect("q")
            .expect("made");
        assert!(user.roles.contains(domain::Role::Consultant));
        assert!(!app.store.has_password(t.id, user.id).await.expect("q"));
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("data-testid=\"consultant-pending\""));
        let mail = app
            .store
            .recent_jobs(t.id, "email", 20)
            .await
            .expect("q")
            .into_iter()
            .find(|j| j.payload.contains("mori@partners.example.jp"))
            .expect("an invitation e-mail");
        let secret: String = mail
            .payload
            .split("/invitations/")
            .nth(1)
            .expect("link")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let path = format!("/invitations/{secret}");
        let guest = app.browser();
        let (s, page) = guest.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("mori@partners.example.jp"));
        let csrf = guest.csrf(&path).await;
        // Too short, then two entries that differ: said, nothing set.
        let (s, page) = guest
            .post(
                &path,
                &[
                    ("_csrf", &csrf),
                    ("password", "short"),
                    ("password_again", "short"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("12文字以上"));
        let (s, _) = guest
            .post(
                &path,
                &[
                    ("_csrf", &csrf),
                    ("password", "相談の準備ができました。"),
                    ("password_again", "相談の準備ができました！！"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!app.store.has_password(t.id, user.id).await.expect("q"));
        let (s, _) = guest
            .post(
                &path,
                &[
                    ("_csrf", &csrf),
                    ("password", "相談の準備ができました。"),
                    ("password_again", "相談の準備ができました。"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Signed in at once (no wait: nothing voids the new account's sessions).
        let b = app.browser();
        let (s, _) = b
            .login("mori@partners.example.jp", "相談の準備ができました。")
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "signs in with it");
        let (s, _) = b.get("/consultant/profile").await;
        assert_eq!(s, StatusCode::OK, "a consultant's page");
        // The link worked once.
        let (s, page) = app.browser().get(&path).await;
        assert_eq!(s, StatusCode::GONE);
        assert!(page.contains("すでに使われたか"));
        // Active now: no second invitation.
        let csrf = hr.csrf("/consultants").await;
        hr.post(
            &format!("/consultants/{}/invite", user.id.0),
            &[("_csrf", &csrf)],
        )
        .await;
        let (_, page) = hr.get("/consultants").await;
        assert!(page.contains("すでにパスワードを設定しています"));
        // Nobody but HR invites.
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/my").await;
        let (s, _) = employee
            .post(
                "/consultants/invite",
                &[
                    ("_csrf", &csrf),
                    ("email", "x@partners.example.jp"),
                    ("name", "x"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
