//! Helpers for the `marks` and `sync` benches: the seeded setting, the events sent, the HTTP
//! and raw SQLite series, and the printed tables.

// Each bench target compiles this module on its own and uses only part of it.
#![allow(dead_code)]

pub mod fixture;
pub mod http;
pub mod report;
pub mod sqlite;
pub mod workload;
