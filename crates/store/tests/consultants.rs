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
