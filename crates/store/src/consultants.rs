//! Consultants' profiles (キャリアコンサルタントのプロフィール, `domain::consultant`): one
//! per consultant account, written by the consultant, scoped by tenant. Who may write or
//! list them is decided in `app::consultants` through `domain::policy`.

use crate::schema::{
    ConsultantDiagnoses as Cd, ConsultantPhotos as Cph, ConsultantProfiles as Cp, UserRoles, Users,
};
use crate::{PersonId, Result, Store, StoreError, TenantId, UserId};
use chrono::{DateTime, Utc};
use domain::consultant::{
    AgeBand, Diagnosis, Gender, Profile, Setting, Style, themes_from_text, themes_to_text,
};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

/// A consultant account with its profile, if they wrote one, as HR's list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsultantEntry {
    pub user: UserId,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    /// Internal consultants keep their employee record.
    pub internal: bool,
    pub profile: Option<Profile>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The account has a password (an invited consultant has none until they set it).
    pub has_password: bool,
    pub has_photo: bool,
}

type Row = (
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    DateTime<Utc>,
);

/// A profile row with its account's id first.
type KeyedRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    DateTime<Utc>,
);

fn unkey(k: KeyedRow) -> (i64, Row) {
    (
        k.0,
        (
            k.1, k.2, k.3, k.4, k.5, k.6, k.7, k.8, k.9, k.10, k.11, k.12, k.13, k.14, k.15,
        ),
    )
}

const COLUMNS: [Cp; 15] = [
    Cp::DisplayName,
    Cp::Kana,
    Cp::RegistrationNumber,
    Cp::Certifications,
    Cp::YearsOfPractice,
    Cp::Themes,
    Cp::Industries,
    Cp::JobFamilies,
    Cp::AgeBand,
    Cp::Gender,
    Cp::Style,
    Cp::Message,
    Cp::Languages,
    Cp::CapacityPerMonth,
    Cp::UpdatedAt,
];

fn profile_of(r: Row) -> Result<(Profile, DateTime<Utc>)> {
    let (name, kana, number, certs, years, themes, industries, families, age, gender, style) =
        (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10);
    Ok((
        Profile {
            display_name: name,
            kana,
            registration_number: number,
            certifications: certs,
            years_of_practice: u8::try_from(years).unwrap_or(u8::MAX),
            themes: themes_from_text(&themes),
            industries,
            job_families: families,
            age_band: AgeBand::parse(&age),
            gender: Gender::parse(&gender),
            style: Style::parse(&style)
                .ok_or_else(|| StoreError::Integrity(format!("consultant style '{style}'")))?,
            message: r.11,
            languages: r.12,
            capacity_per_month: u16::try_from(r.13).unwrap_or(u16::MAX),
        },
        r.14,
    ))
}

impl Store {
    /// A consultant's profile, if they wrote one.
    pub async fn consultant_profile(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<(Profile, DateTime<Utc>)>> {
        let row: Option<Row> = self
            .fetch_optional(
                &Query::select()
                    .columns(COLUMNS)
                    .from(Cp::Table)
                    .and_where(Expr::col(Cp::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cp::UserId).eq(user.0))
                    .to_owned(),
            )
            .await?;
        row.map(profile_of).transpose()
    }

    /// Writes a consultant's profile (the whole of it, replacing what was there).
    pub async fn save_consultant_profile(
        &self,
        tenant: TenantId,
        user: UserId,
        p: &Profile,
    ) -> Result<()> {
        let values = profile_values(tenant, user, p, Utc::now());
        let mut columns = vec![Cp::TenantId, Cp::UserId];
        columns.extend(COLUMNS);
        self.execute(
            &Query::insert()
                .into_table(Cp::Table)
                .columns(columns)
                .values_panic(values)
                .on_conflict(
                    OnConflict::columns([Cp::TenantId, Cp::UserId])
                        .update_columns(COLUMNS)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        self.bump_profiles_version(tenant).await
    }

    /// Every account holding the consultant role, with its profile, by name: two
    /// queries, whatever the number of consultants.
    pub async fn consultants(&self, tenant: TenantId) -> Result<Vec<ConsultantEntry>> {
        let rows: Vec<(i64, String, String, bool, Option<i64>, bool)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (Users::Table, Users::Id),
                        (Users::Table, Users::Name),
                        (Users::Table, Users::Email),
                        (Users::Table, Users::Disabled),
                        (Users::Table, Users::PersonId),
                    ])
                    .expr(Expr::col((Users::Table, Users::PasswordHash)).is_not_null())
                    .from(Users::Table)
                    .inner_join(
                        UserRoles::Table,
                        Expr::col((UserRoles::Table, UserRoles::UserId))
                            .equals((Users::Table, Users::Id)),
                    )
                    .and_where(Expr::col((Users::Table, Users::TenantId)).eq(tenant.0))
                    .and_where(
                        Expr::col((UserRoles::Table, UserRoles::Role))
                            .eq(domain::Role::Consultant.as_str()),
                    )
                    .order_by((Users::Table, Users::Name), Order::Asc)
                    .order_by((Users::Table, Users::Id), Order::Asc)
                    .to_owned(),
            )
            .await?;
        let mut columns = vec![Cp::UserId];
        columns.extend(COLUMNS);
        let keyed: Vec<KeyedRow> = self
            .fetch_all(
                &Query::select()
                    .columns(columns)
                    .from(Cp::Table)
                    .and_where(Expr::col(Cp::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let photos: Vec<(i64,)> = self
            .fetch_all(
                &Query::select()
                    .column(Cph::UserId)
                    .from(Cph::Table)
                    .and_where(Expr::col(Cph::TenantId).eq(tenant.0))
                    .to_owned(),
            )
            .await?;
        let photos: std::collections::HashSet<i64> = photos.into_iter().map(|(u,)| u).collect();
        let mut profiles: std::collections::HashMap<i64, (Profile, DateTime<Utc>)> =
            std::collections::HashMap::with_capacity(keyed.len());
        for k in keyed {
            let (user, row) = unkey(k);
            profiles.insert(user, profile_of(row)?);
        }
        Ok(rows
            .into_iter()
            .map(|(id, name, email, disabled, person, has_password)| {
                let profile = profiles.remove(&id);
                ConsultantEntry {
                    user: UserId(id),
                    name,
                    email,
                    disabled,
                    internal: person.is_some(),
                    updated_at: profile.as_ref().map(|(_, at)| *at),
                    profile: profile.map(|(p, _)| p),
                    has_password,
                    has_photo: photos.contains(&id),
                }
            })
            .collect())
    }

    // ----- values diagnosis (価値観診断) -----

    /// An employee's diagnosis, if they took it, with when.
    pub async fn diagnosis_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Option<(Diagnosis, DateTime<Utc>)>> {
        type DRow = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            DateTime<Utc>,
        );
        let row: Option<DRow> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        Cd::Themes,
                        Cd::OwnWords,
                        Cd::Style,
                        Cd::AgeBand,
                        Cd::Gender,
                        Cd::Industry,
                        Cd::Setting,
                        Cd::UpdatedAt,
                    ])
                    .from(Cd::Table)
                    .and_where(Expr::col(Cd::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cd::PersonId).eq(person.0))
                    .to_owned(),
            )
            .await?;
        row.map(
            |(themes, words, style, age, gender, industry, setting, at)| {
                Ok((
                    Diagnosis {
                        themes: themes_from_text(&themes),
                        own_words: self.keys.open(&diagnosis_aad(tenant, person), &words)?,
                        style: Style::parse(&style),
                        age_band: AgeBand::parse(&age),
                        gender: Gender::parse(&gender),
                        industry,
                        setting: Setting::parse(&setting).ok_or_else(|| {
                            StoreError::Integrity(format!("diagnosis setting '{setting}'"))
                        })?,
                    },
                    at,
                ))
            },
        )
        .transpose()
    }

    /// Writes an employee's diagnosis, replacing the one before (redone).
    pub async fn save_diagnosis(
        &self,
        tenant: TenantId,
        person: PersonId,
        d: &Diagnosis,
    ) -> Result<()> {
        let sealed = self
            .keys
            .seal(&diagnosis_aad(tenant, person), &d.own_words)?;
        let columns = [
            Cd::Themes,
            Cd::OwnWords,
            Cd::Style,
            Cd::AgeBand,
            Cd::Gender,
            Cd::Industry,
            Cd::Setting,
            Cd::UpdatedAt,
        ];
        let mut all = vec![Cd::TenantId, Cd::PersonId];
        all.extend(columns);
        self.execute(
            &Query::insert()
                .into_table(Cd::Table)
                .columns(all)
                .values_panic([
                    tenant.0.into(),
                    person.0.into(),
                    themes_to_text(&d.themes).into(),
                    sealed.into(),
                    d.style.map(|s| s.key()).unwrap_or_default().into(),
                    d.age_band.map(|a| a.key()).unwrap_or_default().into(),
                    d.gender.map(|g| g.key()).unwrap_or_default().into(),
                    d.industry.clone().into(),
                    d.setting.key().into(),
                    Utc::now().into(),
                ])
                .on_conflict(
                    OnConflict::columns([Cd::TenantId, Cd::PersonId])
                        .update_columns(columns)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// Bound to tenant and person, in the form key rotation re-seals (`rekey_notes`).
fn diagnosis_aad(tenant: TenantId, person: PersonId) -> String {
    format!("{}:{}", tenant.0, person.0)
}

impl Store {
    /// Writes many consultants at once, all or nothing (`kyoritsu consultants import`,
    /// the demo): each row's account is found by e-mail or created as a consultant
    /// without a password (they set one from an invitation), and its profile written
    /// whole. Existing accounts must already be consultants (checked by the caller).
    /// Returns the accounts in the rows' order.
    pub async fn save_consultants(
        &self,
        tenant: TenantId,
        rows: &[NewConsultant],
    ) -> Result<Vec<UserId>> {
        const CHUNK: usize = 500;
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let mut ids: Vec<Option<UserId>> = vec![None; rows.len()];
        for chunk in rows.chunks(CHUNK) {
            let found: Vec<(i64, String)> = tx
                .fetch_all(
                    &Query::select()
                        .columns([Users::Id, Users::Email])
                        .from(Users::Table)
                        .and_where(Expr::col(Users::TenantId).eq(tenant.0))
                        .and_where(
                            Expr::col(Users::Email).is_in(chunk.iter().map(|r| r.email.as_str())),
                        )
                        .to_owned(),
                )
                .await?;
            for (id, email) in found {
                for (i, r) in rows.iter().enumerate() {
                    if r.email == email {
                        ids[i] = Some(UserId(id));
                    }
                }
            }
        }
        let missing: Vec<usize> = (0..rows.len()).filter(|i| ids[*i].is_none()).collect();
        for chunk in missing.chunks(CHUNK) {
            let mut q = Query::insert()
                .into_table(Users::Table)
                .columns([Users::TenantId, Users::Email, Users::Name, Users::CreatedAt])
                .returning(Query::returning().columns([Users::Id, Users::Email]))
                .to_owned();
            for i in chunk {
                q.values_panic([
                    tenant.0.into(),
                    rows[*i].email.clone().into(),
                    rows[*i].name.trim().into(),
                    now.into(),
                ]);
            }
            let made: Vec<(i64, String)> = tx.fetch_all(&q).await?;
            let mut roles = Query::insert()
                .into_table(UserRoles::Table)
                .columns([UserRoles::TenantId, UserRoles::UserId, UserRoles::Role])
                .to_owned();
            for (id, email) in made {
                roles.values_panic([
                    tenant.0.into(),
                    id.into(),
                    domain::Role::Consultant.as_str().into(),
                ]);
                for i in chunk {
                    if rows[*i].email == email {
                        ids[*i] = Some(UserId(id));
                    }
                }
            }
            tx.execute(&roles).await?;
        }
        let ids: Vec<UserId> = ids
            .into_iter()
            .map(|i| i.ok_or_else(|| StoreError::Integrity("consultant account not made".into())))
            .collect::<Result<_>>()?;
        let mut columns = vec![Cp::TenantId, Cp::UserId];
        columns.extend(COLUMNS);
        for (chunk, chunk_ids) in rows.chunks(CHUNK).zip(ids.chunks(CHUNK)) {
            let mut q = Query::insert()
                .into_table(Cp::Table)
                .columns(columns.clone())
                .on_conflict(
                    OnConflict::columns([Cp::TenantId, Cp::UserId])
                        .update_columns(COLUMNS)
                        .to_owned(),
                )
                .to_owned();
            for (r, id) in chunk.iter().zip(chunk_ids) {
                q.values_panic(profile_values(tenant, *id, &r.profile, now));
            }
            tx.execute(&q).await?;
        }
        tx.commit().await?;
        self.bump_profiles_version(tenant).await?;
        Ok(ids)
    }
}

/// One consultant to write with [`Store::save_consultants`].
#[derive(Debug, Clone)]
pub struct NewConsultant {
    pub email: String,
    pub name: String,
    pub profile: Profile,
}

fn profile_values(
    tenant: TenantId,
    user: UserId,
    p: &Profile,
    now: DateTime<Utc>,
) -> Vec<sea_query::SimpleExpr> {
    vec![
        tenant.0.into(),
        user.0.into(),
        p.display_name.clone().into(),
        p.kana.clone().into(),
        p.registration_number.clone().into(),
        p.certifications.clone().into(),
        i64::from(p.years_of_practice).into(),
        themes_to_text(&p.themes).into(),
        p.industries.clone().into(),
        p.job_families.clone().into(),
        p.age_band.map(|a| a.key()).unwrap_or_default().into(),
        p.gender.map(|g| g.key()).unwrap_or_default().into(),
        p.style.key().into(),
        p.message.clone().into(),
        p.languages.clone().into(),
        i64::from(p.capacity_per_month).into(),
        now.into(),
    ]
}

impl Store {
    /// Writes a consultant's photo (checked by the caller), replacing the one before.
    pub async fn save_photo(
        &self,
        tenant: TenantId,
        user: UserId,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(Cph::Table)
                .and_where(Expr::col(Cph::TenantId).eq(tenant.0))
                .and_where(Expr::col(Cph::UserId).eq(user.0))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(Cph::Table)
                .columns([
                    Cph::TenantId,
                    Cph::UserId,
                    Cph::ContentType,
                    Cph::Bytes,
                    Cph::UpdatedAt,
                ])
                .values_panic([
                    tenant.0.into(),
                    user.0.into(),
                    content_type.into(),
                    bytes.to_vec().into(),
                    Utc::now().into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.commit().await
    }

    /// Does the consultant have a photo?
    pub async fn has_photo(&self, tenant: TenantId, user: UserId) -> Result<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Cph::Id)
                    .from(Cph::Table)
                    .and_where(Expr::col(Cph::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cph::UserId).eq(user.0))
                    .to_owned(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// Removes a consultant's photo; false when there was none.
    pub async fn remove_photo(&self, tenant: TenantId, user: UserId) -> Result<bool> {
        let n = self
            .execute(
                &Query::delete()
                    .from_table(Cph::Table)
                    .and_where(Expr::col(Cph::TenantId).eq(tenant.0))
                    .and_where(Expr::col(Cph::UserId).eq(user.0))
                    .to_owned(),
            )
            .await?;
        Ok(n > 0)
    }

    /// A consultant's photo: its content type and bytes.
    pub async fn photo(&self, tenant: TenantId, user: UserId) -> Result<Option<(String, Vec<u8>)>> {
        self.fetch_optional(
            &Query::select()
                .columns([Cph::ContentType, Cph::Bytes])
                .from(Cph::Table)
                .and_where(Expr::col(Cph::TenantId).eq(tenant.0))
                .and_where(Expr::col(Cph::UserId).eq(user.0))
                .to_owned(),
        )
        .await
    }
}
