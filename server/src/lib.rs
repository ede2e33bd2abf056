//! The Here Today server: configuration, database, HTTP routes, demo data and CSV import.

pub mod demo;
pub mod import;
