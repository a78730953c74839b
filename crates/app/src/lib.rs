//! Kyoritsu's use cases, shared by the pages, the JSON API and the command line: plain
//! async functions over the store, the acting user and the clock, returning domain
//! types. No HTTP here (no axum, askama or tower): `scripts/test` checks it.
//!
//! The layers read `domain ← store ← app ← web ← kyoritsu`. Features move in here one by
//! one (issue 15); today: programmes, the translations and the commitment checks in words.

#![forbid(unsafe_code)]

pub mod commitment_text;
pub mod i18n;
pub mod programmes;
