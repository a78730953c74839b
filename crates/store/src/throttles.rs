//! Sign-in throttles (`domain::throttle`): failures counted per typed account and per
//! client address within a tenant, and until when the next attempt waits. Written in one
//! transaction per failure, so concurrent failures all count.

use crate::schema::SignInThrottles;
use crate::{Result, Store, TenantId};
use chrono::{DateTime, Utc};
use domain::throttle::{self, ThrottleKind};
use sea_query::{Expr, ExprTrait, Order, Query};

/// One throttle as the admin sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Throttle {
    pub id: i64,
    pub kind: ThrottleKind,
    /// The email address typed, or the client address.
    pub subject: String,
    pub failures: i64,
    pub last_failure_at: DateTime<Utc>,
    /// Attempts wait until then (none: failures counted, no delay yet).
    pub blocked_until: Option<DateTime<Utc>>,
}

type Row = (
    i64,
    String,
    String,
    i64,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

fn throttle(r: Row) -> Option<Throttle> {
    Some(Throttle {
        id: r.0,
        kind: ThrottleKind::parse(&r.1)?,
        subject: r.2,
        failures: r.3,
        last_failure_at: r.4,
        blocked_until: r.5,
    })
}

fn columns() -> [SignInThrottles; 6] {
    [
        SignInThrottles::Id,
        SignInThrottles::Kind,
        SignInThrottles::Subject,
        SignInThrottles::Failures,
        SignInThrottles::LastFailureAt,
        SignInThrottles::BlockedUntil,
    ]
}

impl Store {
    /// Until when an attempt on any of these subjects must wait, if it must.
    pub async fn throttled_until(
        &self,
        tenant: TenantId,
        subjects: &[(ThrottleKind, &str)],
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut until: Option<DateTime<Utc>> = None;
        for (kind, subject) in subjects {
            let row: Option<(Option<DateTime<Utc>>,)> = self
                .fetch_optional(
                    &Query::select()
                        .column(SignInThrottles::BlockedUntil)
                        .from(SignInThrottles::Table)
                        .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                        .and_where(Expr::col(SignInThrottles::Kind).eq(kind.key()))
                        .and_where(Expr::col(SignInThrottles::Subject).eq(*subject))
                        .to_owned(),
                )
                .await?;
            if let Some((Some(u),)) = row
                && u > now
            {
                until = Some(until.map_or(u, |x| Ord::max(x, u)));
            }
        }
        Ok(until)
    }

    /// Counts one failed sign-in against a subject; returns the delay it now carries.
    pub async fn record_sign_in_failure(
        &self,
        tenant: TenantId,
        kind: ThrottleKind,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut tx = self.begin().await?;
        let found: Option<(i64, i64, DateTime<Utc>)> = tx
            .fetch_optional(
                &Query::select()
                    .columns([
                        SignInThrottles::Id,
                        SignInThrottles::Failures,
                        SignInThrottles::LastFailureAt,
                    ])
                    .from(SignInThrottles::Table)
                    .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SignInThrottles::Kind).eq(kind.key()))
                    .and_where(Expr::col(SignInThrottles::Subject).eq(subject))
                    .to_owned(),
            )
            .await?;
        let failures = match found {
            Some((_, n, last)) if now - last < throttle::window() => n + 1,
            _ => 1,
        };
        let until = throttle::delay_after(kind, u32::try_from(failures).unwrap_or(u32::MAX))
            .map(|d| now + d);
        match found {
            Some((id, _, _)) => {
                tx.execute(
                    &Query::update()
                        .table(SignInThrottles::Table)
                        .values([
                            (SignInThrottles::Failures, failures.into()),
                            (SignInThrottles::LastFailureAt, now.into()),
                            (SignInThrottles::BlockedUntil, until.into()),
                        ])
                        .and_where(Expr::col(SignInThrottles::Id).eq(id))
                        .to_owned(),
                )
                .await?;
            }
            None => {
                tx.execute(
                    &Query::insert()
                        .into_table(SignInThrottles::Table)
                        .columns([
                            SignInThrottles::TenantId,
                            SignInThrottles::Kind,
                            SignInThrottles::Subject,
                            SignInThrottles::Failures,
                            SignInThrottles::LastFailureAt,
                            SignInThrottles::BlockedUntil,
                        ])
                        .values_panic([
                            tenant.0.into(),
                            kind.key().into(),
                            subject.into(),
                            failures.into(),
                            now.into(),
                            until.into(),
                        ])
                        .to_owned(),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(until)
    }

    /// Forgets a subject's failures (a successful sign-in to that account).
    pub async fn forget_sign_in_failures(
        &self,
        tenant: TenantId,
        kind: ThrottleKind,
        subject: &str,
    ) -> Result<()> {
        self.execute(
            &Query::delete()
                .from_table(SignInThrottles::Table)
                .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                .and_where(Expr::col(SignInThrottles::Kind).eq(kind.key()))
                .and_where(Expr::col(SignInThrottles::Subject).eq(subject))
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    /// The throttles still counting (a failure within the window), latest first.
    pub async fn sign_in_throttles(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Throttle>> {
        let rows: Vec<Row> = self
            .fetch_all(
                &Query::select()
                    .columns(columns())
                    .from(SignInThrottles::Table)
                    .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                    .and_where(
                        Expr::col(SignInThrottles::LastFailureAt).gt(now - throttle::window()),
                    )
                    .order_by(SignInThrottles::LastFailureAt, Order::Desc)
                    .limit(500)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().filter_map(throttle).collect())
    }

    /// Clears one throttle (the admin's 解除); the throttle as it was, if it existed.
    pub async fn clear_sign_in_throttle(
        &self,
        tenant: TenantId,
        id: i64,
    ) -> Result<Option<Throttle>> {
        let row: Option<Row> = self
            .fetch_optional(
                &Query::select()
                    .columns(columns())
                    .from(SignInThrottles::Table)
                    .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                    .and_where(Expr::col(SignInThrottles::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        let Some(t) = row.and_then(throttle) else {
            return Ok(None);
        };
        self.execute(
            &Query::delete()
                .from_table(SignInThrottles::Table)
                .and_where(Expr::col(SignInThrottles::TenantId).eq(tenant.0))
                .and_where(Expr::col(SignInThrottles::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(Some(t))
    }
}
