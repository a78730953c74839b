//! Consultants' profiles, on SQLite and PostgreSQL: written whole and replaced, listed
//! with every consultant account (with or without a profile), scoped by tenant.

use domain::consultant::{AgeBand, Profile, Style, Theme};
use domain::{EmailAddress, Role, TenantSlug};
use store::users::NewUser;
use store::{Store, TenantId, db_test};

async fn tenant(s: &Store, slug: &str) -> TenantId {
    s.create_tenant(&TenantSlug::parse(slug).expect("slug"), "テスト株式会社")
        .await
        .expect("tenant")
        .id
}

async fn user(s: &Store, t: TenantId, email: &str, roles: Vec<Role>) -> domain::UserId {
    s.create_user(
        t,
        NewUser {
            email: EmailAddress::parse(email).expect("email"),
            name: email.split('@').next().unwrap_or_default().into(),
            roles,
            person_id: None,
            password: None,
        },
    )
    .await
    .expect("user")
    .id
}

fn profile(number: &str) -> Profile {
    Profile {
        display_name: "田中 由紀".into(),
        kana: "タナカ ユキ".into(),
        registration_number: number.into(),
        certifications: String::new(),
        years_of_practice: 8,
        themes: vec![Theme::CareAndWork, Theme::Transfer],
        industries: "製造".into(),
        job_families: String::new(),
        age_band: Some(AgeBand::Forties),
        gender: None,
        style: Style::ThinkTogether,
        message: "ゆっくり伺います。".into(),
        languages: "日本語".into(),
        capacity_per_month: 12,
    }
}

db_test!(
    a_profile_is_written_whole_listed_with_its_account_and_kept_to_its_tenant,
    |db| async move {
        let s = &db.store;
        let a = tenant(s, "acme").await;
        let b = tenant(s, "other").await;
        let cc = user(s, a, "cc@example.jp", vec![Role::Consultant]).await;
        user(s, a, "new-cc@example.jp", vec![Role::Consultant]).await;
        user(s, a, "hr@example.jp", vec![Role::Hr]).await;
        assert_eq!(s.consultant_profile(a, cc).await.expect("q"), None);
        s.save_consultant_profile(a, cc, &profile("16012345"))
            .await
            .expect("save");
        s.save_consultant_profile(a, cc, &profile("16098765"))
            .await
            .expect("replace");
        let (p, _) = s
            .consultant_profile(a, cc)
            .await
            .expect("q")
            .expect("profile");
        assert_eq!(p, profile("16098765"));
        let list = s.consultants(a).await.expect("list");
        assert_eq!(list.len(), 2, "consultants only, with or without a profile");
        assert_eq!(list.iter().filter(|c| c.profile.is_some()).count(), 1);
        assert!(s.consultants(b).await.expect("list").is_empty());
        assert_eq!(
            s.consultant_profile(b, cc).await.expect("q"),
            None,
            "not from another tenant"
        );
    }
);

db_test!(
    a_diagnosis_keeps_the_employees_own_words_sealed_and_is_replaced_when_redone,
    |db| async move {
        use domain::consultant::{Diagnosis, Setting};
        use store::people::{NewDepartment, NewPerson, OrgLoad};
        let s = &db.store;
        let t = tenant(s, "acme").await;
        s.load_org(
            t,
            &OrgLoad {
                departments: vec![NewDepartment {
                    code: "D1".into(),
                    name: "営業部".into(),
                    parent_code: None,
                }],
                people: vec![NewPerson {
                    employee_number: "E1".into(),
                    name: "社員".into(),
                    name_kana: "シャイン".into(),
                    email: None,
                    birth_date: None,
                    hire_date: None,
                    department_code: Some("D1".into()),
                    title: String::new(),
                    grade: String::new(),
                    manager_number: None,
                    status: domain::PersonStatus::Active,
                }],
                ratings: vec![],
            },
            &|_| {},
        )
        .await
        .expect("org");
        let person = domain::PersonId(s.person_by_number(t, "E1").await.expect("q").expect("p").id);
        const WORDS: &str = "母の介護のことを、まだ誰にも話せていません";
        let first = Diagnosis {
            themes: vec![Theme::CareAndWork],
            own_words: WORDS.into(),
            style: Some(Style::Listen),
            age_band: None,
            gender: None,
            industry: String::new(),
            setting: Setting::Online,
        };
        assert_eq!(s.diagnosis_of(t, person).await.expect("q"), None);
        s.save_diagnosis(t, person, &first).await.expect("save");
        let (read, _) = s.diagnosis_of(t, person).await.expect("q").expect("d");
        assert_eq!(read, first);
        let q = "SELECT own_words FROM consultant_diagnoses";
        let raw: Vec<(String,)> = if db.url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&db.url).await.expect("sqlite");
            sqlx::query_as(q).fetch_all(&pool).await.expect("raw")
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.expect("pg");
            sqlx::query_as(q).fetch_all(&pool).await.expect("raw")
        };
        assert!(raw.iter().all(|(w,)| !w.contains("介護")), "sealed at rest");
        let redone = Diagnosis {
            themes: vec![Theme::Transfer, Theme::Relearning],
            own_words: String::new(),
            ..first
        };
        s.save_diagnosis(t, person, &redone).await.expect("redo");
        let (read, _) = s.diagnosis_of(t, person).await.expect("q").expect("d");
        assert_eq!(read, redone);
        let other = tenant(s, "other").await;
        assert_eq!(s.diagnosis_of(other, person).await.expect("q"), None);
    }
);
