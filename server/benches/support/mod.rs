//! Helpers for the `marks` bench: the seeded setting, the events sent, the HTTP and raw
//! SQLite series, and the printed table.

pub mod fixture;
pub mod http;
pub mod report;
pub mod sqlite;
pub mod workload;
