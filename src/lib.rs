//! archlint: reviews a backend repository the way a senior backend architect would.
//!
//! Data flows one way: `discover` → `spec` (parse) → `model` → `rules` → `report`.

pub mod baseline;
pub mod changed;
pub mod cli;
pub mod code;
pub mod config;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod init;
pub mod model;
pub mod registry;
pub mod report;
pub mod rules;
pub mod source;
pub mod spec;
pub mod sql;
pub mod suppress;
pub mod timings;
