//! The HTTP machinery every feature uses and none owns: sign-in and sessions with CSRF
//! (`auth`), error pages and API errors (`error`), the page frame (`shell`), translations
//! (`i18n`), operations endpoints and middleware (`ops`), the clock, PDF printing, the
//! API's extractors and schema completion, and small named helpers (`time`, `access`,
//! `forms`, `email`). Feature folders import from here and never from each other.

pub mod access;
pub mod api;
pub mod api_schema;
pub mod applications;
pub mod auth;
pub mod booking;
pub mod calendar;
pub mod cards;
pub mod clock;
pub mod download;
pub mod email;
pub mod error;
pub mod figures;
pub mod forms;
pub mod i18n;
pub mod oidc;
pub mod ops;
pub mod pager;
pub mod pdf;
pub mod profile;
pub mod report_doc;
pub mod shell;
pub mod time;
