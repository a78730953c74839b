//! Calendar invitations: a booking e-mails each attendee an `invite.ics` (METHOD:REQUEST)
//! and a cancellation one of the same UID with a higher SEQUENCE (METHOD:CANCEL), with no
//! note text — received by a real SMTP server and read by PyPI's icalendar.

use super::*;

/// What PyPI's icalendar reads in `ics`: (METHOD, UID, SEQUENCE, STATUS, attendees).
fn read_ics(ics: &str) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, json, icalendar\n\
             cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\n\
             evs = [c for c in cal.walk('VEVENT')]\n\
             assert len(evs) == 1, 'one event'\n\
             e = evs[0]\n\
             assert cal.get('VERSION') == '2.0' and cal.get('PRODID'), 'header'\n\
             assert e.get('DTSTAMP') and e.decoded('DTSTART') < e.decoded('DTEND'), 'times'\n\
             att = e.get('ATTENDEE')\n\
             att = att if isinstance(att, list) else [att]\n\
             print(json.dumps({'method': str(cal.get('METHOD')), 'uid': str(e.get('UID')),\n\
             \x20 'sequence': int(e.get('SEQUENCE')), 'status': str(e.get('STATUS') or ''),\n\
             \x20 'organizer': str(e.get('ORGANIZER')), 'attendees': sorted(str(a) for a in att),\n\
             \x20 'summary': str(e.get('SUMMARY'))}))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().expect("stdin").write_all(ics.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 with the icalendar package (scripts/test installs it)");
    assert!(
        out.status.success(),
        "not a valid invitation: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The invitations in the mails `sink` got for `address` (oldest first).
fn invitations_to(sink: &SmtpSink, address: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    sink.to(address)
        .into_iter()
        .filter_map(|m| {
            let cal = m["calendars"]
                .as_array()?
                .iter()
                .find(|c| c["filename"] == "invite.ics")?
                .clone();
            Some((m, cal))
        })
        .collect()
}

app_test!(
    a_booking_and_its_cancellation_reach_the_attendees_calendars,
    |app| async move {
        let sink = SmtpSink::start().await;
        let worker = app.worker(Some(sink.port));
        // The demo's generated meetings send nothing.
        worker.tick().await.expect("tick");
        assert!(
            invitations_to(&sink, "employee@demo.example.jp").is_empty(),
            "no invitation for what nobody booked"
        );
        // The manager books a 1on1 with their report for next week.
        let subject = app.report_of_manager().await.to_string();
        let manager = app.signed_in("manager@demo.example.jp").await;
        let day = (domain::japan_time::japan_date(chrono::Utc::now()) + chrono::Duration::days(8))
            .format("%Y-%m-%d")
            .to_string();
        let (s, location) = book(
            &manager,
            &[
                ("kind", "one_on_one"),
                ("subject", subject.as_str()),
                ("date", day.as_str()),
                ("time", "15:00"),
                ("duration", "30"),
                ("place", "会議室B"),
                ("repeat", "none"),
                ("confirm", "1"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
        let id: i64 = location
            .trim_start_matches("/dialogues/")
            .parse()
            .expect("id");
        let report = worker.tick().await.expect("tick");
        assert_eq!(report.calendar_invitations, 1);
        assert_eq!(
            worker.tick().await.expect("tick").calendar_invitations,
            0,
            "once"
        );
        let mut uid = String::new();
        for who in ["employee@demo.example.jp", "manager@demo.example.jp"] {
            let got = invitations_to(&sink, who);
            assert_eq!(got.len(), 1, "{who}");
            let (mail, cal) = &got[0];
            assert_eq!(cal["method"], "REQUEST");
            assert!(
                mail["subject"]
                    .as_str()
                    .expect("s")
                    .contains("予定のご案内")
            );
            assert!(mail["body"].as_str().expect("b").contains("会議室B"));
            let ics = cal["text"].as_str().expect("ics");
            let read = read_ics(ics);
            assert_eq!(read["method"], "REQUEST");
            assert_eq!(read["sequence"], 0);
            assert_eq!(read["uid"], format!("dialogue-{id}@kyoritsu"));
            assert!(
                read["organizer"]
                    .as_str()
                    .expect("o")
                    .contains("manager@demo.example.jp")
            );
            assert_eq!(
                read["attendees"],
                serde_json::json!([
                    "mailto:employee@demo.example.jp",
                    "mailto:manager@demo.example.jp"
                ])
            );
            uid = read["uid"].as_str().expect("uid").to_string();
        }
        // A note written in it never reaches a calendar.
        let path = format!("/dialogues/{id}");
        let csrf = manager.csrf(&path).await;
        manager
            .post(
                &format!("{path}/notes"),
                &[
                    ("_csrf", csrf.as_str()),
                    ("body", PRIVATE_NOTE),
                    ("visibility", "private"),
                ],
            )
            .await;
        // Cancelled: the same UID, a higher SEQUENCE, METHOD:CANCEL — to both.
        let (s, _) = manager
            .post(
                &format!("{path}/close"),
                &[("_csrf", csrf.as_str()), ("state", "cancelled")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(worker.tick().await.expect("tick").calendar_invitations, 1);
        for who in ["employee@demo.example.jp", "manager@demo.example.jp"] {
            let got = invitations_to(&sink, who);
            assert_eq!(got.len(), 2, "{who}");
            let (mail, cal) = &got[1];
            assert_eq!(cal["method"], "CANCEL");
            assert!(
                mail["subject"]
                    .as_str()
                    .expect("s")
                    .contains("予定の取り消し")
            );
            let read = read_ics(cal["text"].as_str().expect("ics"));
            assert_eq!(read["method"], "CANCEL");
            assert_eq!(read["uid"], uid.as_str(), "the same event");
            assert_eq!(read["sequence"], 1, "a newer version");
            assert_eq!(read["status"], "CANCELLED");
            for m in sink.to(who) {
                assert!(
                    !m.to_string().contains(PRIVATE_NOTE),
                    "no note text in any mail or calendar"
                );
            }
        }
    }
);

app_test!(
    a_private_calendar_feed_lists_ones_own_dialogues_until_stopped,
    |app| async move {
        let t = app.demo_tenant().await;
        let employee = app.signed_in("employee@demo.example.jp").await;
        let csrf = employee.csrf("/account").await;
        let (s, page) = employee
            .post(
                "/account/calendar",
                &[("_csrf", &csrf), ("action", "start")],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let url = page
            .split("data-testid=\"feed-url\"")
            .next()
            .and_then(|head| head.rsplit("value=\"").next())
            .and_then(|v| v.split('"').next())
            .expect("the address, shown once")
            .to_string();
        let path = url.trim_start_matches(app.base.as_str());
        assert!(
            path.starts_with("/calendar/") && path.ends_with(".ics"),
            "{url}"
        );
        let (_, again) = employee.get("/account").await;
        assert!(!again.contains(path), "shown only once");
        // No sign-in: the address is the credential.
        let guest = app.browser();
        let (s, ics) = guest.get(path).await;
        assert_eq!(s, StatusCode::OK);
        let me = domain::PersonId(app.report_of_manager().await);
        let since = chrono::Utc::now() - chrono::Duration::days(90);
        let mine: Vec<i64> = app
            .store
            .dialogues_about(t.id, me)
            .await
            .expect("q")
            .into_iter()
            .filter(|d| d.starts_at >= since)
            .map(|d| d.id)
            .collect();
        assert!(!mine.is_empty());
        for id in &mine {
            assert!(ics.contains(&format!("UID:dialogue-{id}@kyoritsu")), "{id}");
        }
        assert_eq!(
            ics.matches("BEGIN:VEVENT").count(),
            mine.len(),
            "only theirs"
        );
        assert!(!ics.contains(PRIVATE_NOTE));
        // Restarted: the old address stops; stopped: the new one too.
        let (_, page) = employee
            .post(
                "/account/calendar",
                &[("_csrf", &csrf), ("action", "start")],
            )
            .await;
        assert!(page.contains("data-testid=\"feed-created\""));
        let (s, _) = guest.get(path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        employee
            .post("/account/calendar", &[("_csrf", &csrf), ("action", "stop")])
            .await;
        assert!(
            !app.store
                .has_calendar_feed(t.id, app.user("employee@demo.example.jp").await.id)
                .await
                .expect("q")
        );
        for guess in [
            "/calendar/0000000000000000000000000000000000000000000000000000000000000000.ics",
            "/calendar/x.ics",
            "/calendar/.ics",
        ] {
            let (s, _) = guest.get(guess).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{guess}");
        }
    }
);
