//! The whole application over HTTP, on SQLite and PostgreSQL, one file per feature;
//! the shared helpers are in `support.rs`.

mod support;

use support::*;

macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app = TestApp::spawn(TestDb::sqlite().await).await;
                $body.await;
            }

            #[tokio::test]
            async fn postgres() {
                let $app = TestApp::spawn(TestDb::postgres().await).await;
                $body.await;
            }
        }
    };
}

mod accounts;
mod anchors;
mod api_matrix;
mod api_resources;
mod autonomy;
mod calendar;
mod career_sheet;
mod chat;
mod commitments;
mod company_policy;
mod confidentiality;
mod consultants;
mod consultations;
mod dialogues;
mod fa;
mod hardening;
mod kpi;
mod learning;
mod notifications;
mod operations;
mod pairs;
mod people;
mod permissions;
mod postings;
mod programmes;
mod questions;
mod records;
mod reports;
mod requests;
mod role_models;
mod scim;
mod side_jobs;
mod sign_in;
mod sso;
mod surveys;
mod training_feedback;
mod worksheet;
