//! The `kyoritsu` binary's library half: configuration, the command line, wiring and the
//! demo-company generator. `main.rs` only calls [`cli::main`].

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod demo;
