//! The pages and the JSON API side by side: for every role of the demo company and every
//! id of each resource that has both a page and an API route (guessed ids included),
//! the page shows it exactly when the API returns it; and where a page lists a
//! resource, the API lists the same ones. A resource the API shows and the page hides —
//! or the other way round — is a policy applied in one place and not the other.
//!
//! Pages without an API route yet are listed in `docs/FEATURES.md` ("The JSON API").

use super::*;

const ROLES: [&str; 7] = [
    "employee",
    "manager",
    "consultant",
    "instructor",
    "mentor",
    "hr",
    "admin",
];

/// (page, API) address patterns with `{id}`, for the ids walked.
const PAIRS: [(&str, &str); 8] = [
    ("/dialogues/{id}", "/api/v1/dialogues/{id}"),
    ("/people/{id}", "/api/v1/people/{id}"),
    ("/postings/{id}", "/api/v1/postings/{id}"),
    ("/applications/{id}", "/api/v1/applications/{id}"),
    ("/reports/{id}", "/api/v1/reports/{id}"),
    ("/role-models/{id}", "/api/v1/role-models/{id}"),
    ("/programmes/{id}", "/api/v1/programmes/{id}"),
    ("/org/{id}/children", "/api/v1/org/{id}/children"),
];

/// (page, API) of lists without ids.
const LISTS: [(&str, &str); 8] = [
    ("/org", "/api/v1/org"),
    ("/people?q=", "/api/v1/people?q="),
    ("/questions", "/api/v1/questions"),
    ("/requests", "/api/v1/requests"),
    ("/clients", "/api/v1/clients"),
    ("/my/records", "/api/v1/me/records"),
    ("/pairs", "/api/v1/pairs"),
    ("/assignments", "/api/v1/assignments"),
];

/// The ids in a JSON list answer.
fn api_ids(body: &serde_json::Value) -> std::collections::BTreeSet<i64> {
    body.as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The numbers a page carries in `attr="…"` (e.g. `data-pair`).
fn attr_ids(page: &str, attr: &str) -> std::collections::BTreeSet<i64> {
    let pattern = format!("{attr}=\"");
    page.match_indices(&pattern)
        .filter_map(|(at, _)| {
            let rest = &page[at + pattern.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// Ids walked for each resource: the demo's and some beyond them.
const IDS: std::ops::RangeInclusive<i64> = 1..=45;

fn shown(s: StatusCode) -> Option<bool> {
    match s {
        StatusCode::OK => Some(true),
        // 410: a report the employee withdrew — gone for its manager on both.
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE => Some(false),
        _ => None,
    }
}

/// The ids a page links to as `{prefix}{id}`.
fn linked_ids(page: &str, prefix: &str) -> std::collections::BTreeSet<i64> {
    let pattern = format!("href=\"{prefix}");
    page.match_indices(&pattern)
        .filter_map(|(at, _)| {
            let rest = &page[at + pattern.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = rest[digits.len()..].chars().next();
            (!digits.is_empty() && matches!(after, Some('"') | Some('#') | Some('?')))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

async fn pages_and_api_show_the_same_things_to_the_same_people(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut mismatches = Vec::new();
    for role in ROLES {
        let email = format!("{role}@demo.example.jp");
        let browser = app.signed_in(&email).await;
        let token = app.token(&email).await;
        for (page, api) in PAIRS {
            for id in IDS {
                let (ps, _) = browser.get(&page.replace("{id}", &id.to_string())).await;
                let (as_, _) = app
                    .api(Some(&token), &api.replace("{id}", &id.to_string()))
                    .await;
                match (shown(ps), shown(as_)) {
                    (Some(p), Some(a)) if p == a => {}
                    _ => mismatches.push(format!("{role} {page} #{id}: page {ps}, API {as_}")),
                }
            }
        }
        // キャリア自律: the same definition for everyone; the yearly rates for HR alone,
        // as many years on both, each hidden on both or shown on both.
        let (ps, autonomy) = browser.get("/autonomy").await;
        let (s, body) = app.api(Some(&token), "/api/v1/autonomy").await;
        if shown(ps) != shown(s) {
            mismatches.push(format!("{role} /autonomy: page {ps}, API {s}"));
        }
        let page_years = autonomy.matches("data-testid=\"autonomy-year\"").count();
        let api_years = body["years"].as_array().map_or(0, Vec::len);
        if (role == "hr") != (api_years > 0) || page_years != api_years {
            mismatches.push(format!(
                "{role} /autonomy shows {page_years} years, the API {api_years}"
            ));
        }
        let horizon = body["definition"]["min_horizon_years"]
            .as_u64()
            .unwrap_or(0);
        if !autonomy.contains(&format!("{horizon}年")) {
            mismatches.push(format!(
                "{role} /autonomy: the API's horizon {horizon} is not the page's"
            ));
        }
        // 面談所感: the manager's list on both.
        let (ps, inbox) = browser.get("/reports").await;
        let (s, body) = app.api(Some(&token), "/api/v1/reports?limit=500").await;
        if shown(ps) != shown(s) {
            mismatches.push(format!("{role} /reports: page {ps}, API {s}"));
        } else if ps == StatusCode::OK {
            let on_page = linked_ids(&inbox, "/reports/");
            let from_api: std::collections::BTreeSet<i64> = body
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|r| r["withdrawn"] == false)
                        .filter_map(|r| r["id"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            if on_page != from_api {
                mismatches.push(format!(
                    "{role} /reports lists {on_page:?}, the API {from_api:?}"
                ));
            }
            if role == "manager" && from_api.is_empty() {
                mismatches.push("the demo manager has no report to compare".into());
            }
        }
        // Every session roster of every programme (guessed pairs included).
        for pid in 1..=6 {
            for sid in 1..=16 {
                let page = format!("/programmes/{pid}/sessions/{sid}");
                let (ps, _) = browser.get(&page).await;
                let (as_, _) = app.api(Some(&token), &format!("/api/v1{page}")).await;
                if shown(ps).is_none() || shown(ps) != shown(as_) {
                    mismatches.push(format!("{role} {page}: page {ps}, API {as_}"));
                }
            }
        }
        // The Career Anchor inventory: one's own takes, as many on both.
        let (ps, anchors) = browser.get("/my/anchors").await;
        let (s, body) = app.api(Some(&token), "/api/v1/me/anchors").await;
        if shown(ps) != shown(s) {
            mismatches.push(format!("{role} /my/anchors: page {ps}, API {s}"));
        } else if ps == StatusCode::OK {
            let takes = body.as_array().map_or(0, Vec::len);
            let on_page = if anchors.contains("data-testid=\"anchor-radar\"") {
                1 + anchors.matches("data-testid=\"anchor-past\"").count()
            } else {
                0
            };
            if takes != on_page {
                mismatches.push(format!(
                    "{role} /my/anchors shows {on_page} takes, the API {takes}"
                ));
            }
        }
        // Role models: the stories the search page lists are the API's (writers' own
        // unpublished ones are on their page too, under 自分が書いたもの).
        let (_, stories) = browser.get("/role-models").await;
        let (s, body) = app.api(Some(&token), "/api/v1/role-models?limit=500").await;
        let (on_page, from_api) = (linked_ids(&stories, "/role-models/"), api_ids(&body));
        let writer = matches!(role, "consultant" | "hr");
        if s != StatusCode::OK || !from_api.is_subset(&on_page) || (!writer && on_page != from_api)
        {
            mismatches.push(format!(
                "{role} /role-models lists {on_page:?}, the API {from_api:?}"
            ));
        }
        // Pages of one list each: shown by both or refused by both.
        for (page, api) in LISTS {
            let (ps, _) = browser.get(page).await;
            let (s, _) = app.api(Some(&token), api).await;
            if shown(ps).is_none() || shown(ps) != shown(s) {
                mismatches.push(format!("{role} {page}: page {ps}, API {s}"));
            }
        }
        // One's notices, the same ones on both.
        let (_, notices) = browser.get("/notifications").await;
        let (s, body) = app
            .api(Some(&token), "/api/v1/notifications?limit=100")
            .await;
        let on_page = linked_ids(&notices, "/notifications/");
        if s != StatusCode::OK || on_page != api_ids(&body) {
            mismatches.push(format!(
                "{role} /notifications lists {on_page:?}, the API {:?}",
                api_ids(&body)
            ));
        }
        // Programmes: HR's list on both.
        let (ps, list) = browser.get("/programmes").await;
        let (s, body) = app.api(Some(&token), "/api/v1/programmes?limit=500").await;
        if shown(ps) != shown(s) {
            mismatches.push(format!("{role} /programmes: page {ps}, API {s}"));
        } else if ps == StatusCode::OK {
            let on_page: std::collections::BTreeSet<i64> =
                linked_ids(&list, "/programmes/").into_iter().collect();
            if on_page != api_ids(&body) || on_page.is_empty() {
                mismatches.push(format!(
                    "{role} /programmes lists {on_page:?}, the API {:?}",
                    api_ids(&body)
                ));
            }
        }
        // Pairs: one's own (and, for HR, every open one) on both; the message and the
        // shared sections only for one's own.
        let (_, pairs) = browser.get("/pairs").await;
        let (s, mine) = app.api(Some(&token), "/api/v1/pairs?limit=500").await;
        let (s_all, all) = app
            .api(Some(&token), "/api/v1/pairs?scope=all&limit=500")
            .await;
        let mut from_api = api_ids(&mine);
        if s_all == StatusCode::OK {
            from_api.extend(api_ids(&all));
        }
        let hr_page = pairs.contains("data-testid=\"pairs-all\"");
        if s != StatusCode::OK
            || attr_ids(&pairs, "data-pair") != from_api
            || (s_all == StatusCode::OK) != hr_page
        {
            mismatches.push(format!(
                "{role} /pairs lists {:?}, the API {from_api:?} (all: {s_all})",
                attr_ids(&pairs, "data-pair")
            ));
        }
        for p in all.as_array().into_iter().flatten() {
            if p["my_side"].is_null() && !(p["message"].is_null() && p["shared_sections"].is_null())
            {
                mismatches.push(format!("{role} reads what pair {} said", p["id"]));
            }
        }
        // Assignments (HR): the same (consultant, person) rows on both.
        let (ps, page) = browser.get("/assignments").await;
        let (s, body) = app.api(Some(&token), "/api/v1/assignments?limit=500").await;
        if ps == StatusCode::OK && s == StatusCode::OK {
            let mut on_page: Vec<(i64, i64)> = page
                .split("data-testid=\"assignment\"")
                .skip(1)
                .filter_map(|row| {
                    let tag = &row[..row.find('>')?];
                    Some((
                        *attr_ids(tag, "data-consultant").first()?,
                        *attr_ids(tag, "data-person").first()?,
                    ))
                })
                .collect();
            let mut from_api: Vec<(i64, i64)> = body
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| Some((a["consultant_user_id"].as_i64()?, a["person_id"].as_i64()?)))
                .collect();
            on_page.sort();
            from_api.sort();
            if on_page != from_api || on_page.is_empty() {
                mismatches.push(format!(
                    "{role} /assignments lists {on_page:?}, the API {from_api:?}"
                ));
            }
        }
        // Where pages list a resource, the API lists the same: a dialogue is on 面談 (held,
        // a member's, booked), on マイキャリア (coming) or among one's records (held).
        let mut on_page = std::collections::BTreeSet::new();
        for list in ["/dialogues", "/my", "/my/records"] {
            let (s, body) = browser.get(list).await;
            if s == StatusCode::OK {
                on_page.extend(linked_ids(&body, "/dialogues/"));
            }
        }
        let (s, body) = app.api(Some(&token), "/api/v1/dialogues?limit=500").await;
        assert_eq!(s, StatusCode::OK, "{role}");
        let from_api: std::collections::BTreeSet<i64> = body
            .as_array()
            .map(|a| a.iter().filter_map(|d| d["id"].as_i64()).collect())
            .unwrap_or_default();
        if !from_api.is_subset(&on_page) || !on_page.is_subset(&from_api) {
            mismatches.push(format!(
                "{role} /dialogues lists {on_page:?}, the API {from_api:?}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "pages and API disagree:\n{}",
        mismatches.join("\n")
    );
}

#[tokio::test]
async fn pages_and_api_show_the_same_things_to_the_same_people_sqlite() {
    pages_and_api_show_the_same_things_to_the_same_people(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn pages_and_api_show_the_same_things_to_the_same_people_postgres() {
    pages_and_api_show_the_same_things_to_the_same_people(TestDb::postgres().await).await;
}
