//! Career Anchor answer sheets (キャリア・アンカー). Every take is kept; the profile is
//! always computed from the sheet by `domain::anchor::score`, so a stored score can never
//! disagree with the rule.

use crate::schema::AnchorResults;
use crate::{PersonId, Result, Store, StoreError, TenantId};
use chrono::{DateTime, Utc};
use domain::anchor::AnswerSheet;
use sea_query::{Expr, ExprTrait, Order, Query};

/// One take of the inventory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AnchorResult {
    pub id: i64,
    pub person: PersonId,
    pub sheet: AnswerSheet,
    pub taken_at: DateTime<Utc>,
}

fn numbers<T: std::str::FromStr>(text: &str, what: &str) -> Result<Vec<T>> {
    text.split(',')
        .map(|n| {
            n.parse::<T>()
                .map_err(|_| StoreError::Integrity(format!("anchor result {what} '{text}'")))
        })
        .collect()
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Keeps a completed answer sheet.
    pub async fn save_anchor_result(
        &self,
        tenant: TenantId,
        person: PersonId,
        sheet: &AnswerSheet,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                &Query::insert()
                    .into_table(AnchorResults::Table)
                    .columns([
                        AnchorResults::TenantId,
                        AnchorResults::PersonId,
                        AnchorResults::Ratings,
                        AnchorResults::Picks,
                        AnchorResults::TakenAt,
                    ])
                    .values_panic([
                        tenant.0.into(),
                        person.0.into(),
                        join(&sheet.ratings).into(),
                        join(&sheet.picks).into(),
                        at.into(),
                    ])
                    .returning_col(AnchorResults::Id)
                    .to_owned(),
            )
            .await?;
        Ok(id)
    }

    /// The latest answer sheet of every participant of a programme who has one.
    pub async fn latest_anchor_sheets_in_programme(
        &self,
        tenant: TenantId,
        programme: i64,
    ) -> Result<std::collections::HashMap<i64, AnswerSheet>> {
        use crate::schema::ProgrammeParticipants as Pp;
        let rows: Vec<(i64, String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        AnchorResults::PersonId,
                        AnchorResults::Ratings,
                        AnchorResults::Picks,
                    ])
                    .from(AnchorResults::Table)
                    .and_where(Expr::col(AnchorResults::TenantId).eq(tenant.0))
                    .and_where(
                        Expr::col(AnchorResults::PersonId).in_subquery(
                            Query::select()
                                .column(Pp::PersonId)
                                .from(Pp::Table)
                                .and_where(Expr::col(Pp::TenantId).eq(tenant.0))
                                .and_where(Expr::col(Pp::ProgrammeId).eq(programme))
                                .to_owned(),
                        ),
                    )
                    .order_by(AnchorResults::TakenAt, Order::Asc)
                    .order_by(AnchorResults::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        // Oldest first, so the last one written per person is their latest.
        let mut out = std::collections::HashMap::new();
        for (person, ratings, picks) in rows {
            out.insert(
                person,
                AnswerSheet {
                    ratings: numbers(&ratings, "ratings")?,
                    picks: numbers(&picks, "picks")?,
                },
            );
        }
        Ok(out)
    }

    /// A person's takes, newest first.
    pub async fn anchor_results_of(
        &self,
        tenant: TenantId,
        person: PersonId,
    ) -> Result<Vec<AnchorResult>> {
        let rows: Vec<(i64, i64, String, String, DateTime<Utc>)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        AnchorResults::Id,
                        AnchorResults::PersonId,
                        AnchorResults::Ratings,
                        AnchorResults::Picks,
                        AnchorResults::TakenAt,
                    ])
                    .from(AnchorResults::Table)
                    .and_where(Expr::col(AnchorResults::TenantId).eq(tenant.0))
                    .and_where(Expr::col(AnchorResults::PersonId).eq(person.0))
                    .order_by(AnchorResults::TakenAt, Order::Desc)
                    .order_by(AnchorResults::Id, Order::Desc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(id, p, ratings, picks, taken_at)| {
                Ok(AnchorResult {
                    id,
                    person: PersonId(p),
                    sheet: AnswerSheet {
                        ratings: numbers(&ratings, "ratings")?,
                        picks: numbers(&picks, "picks")?,
                    },
                    taken_at,
                })
            })
            .collect()
    }
}
