//! Importing a setting's past register from a CSV file in the columns of the register export.
//!
//! The whole file is read and every row checked against the setting before anything is
//! written, and every problem is reported with its line number. Nothing is stored unless the
//! whole file is valid. A valid file becomes attendance events, at most an arrival and a
//! departure, or one absence, per child and day, all written in one `BEGIN IMMEDIATE`
//! transaction with an audit row. `docs/csv-import.md` describes the format for managers.
//!
//! Each stage has its own module. `read` parses the CSV text and `context` loads the
//! setting's facts. `check` validates each row, and `days` turns each child's day into events.
//! `plan` runs those steps over the whole file, and `write` stores the result.

mod check;
mod context;
mod days;
mod export;
mod lines;
mod plan;
mod read;
mod write;

use std::fmt;

use crate::error::AppError;

pub use export::{SessionStatus, REGISTER_COLUMNS};
pub use write::import_history;

/// Largest file a history import reads, in bytes.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Largest number of data rows in one history import.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// The `device_id` of every event a history import stores.
pub const IMPORT_DEVICE: &str = "history-import";
/// The collector's name on every departure a history import stores.
pub const IMPORTED_COLLECTOR: &str = "Recorded in imported history";

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line of the file as a text editor numbers it, with the header on line 1. Zero when the
    /// problem concerns the whole file.
    pub line: usize,
    /// Description of the problem, with the value and the fix.
    pub message: String,
}

impl RowError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }

    fn file(message: impl Into<String>) -> Self {
        Self::new(0, message)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: ", self.line)?;
        }
        f.write_str(&self.message)
    }
}

/// Reason a history import stored nothing.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file has problems, in line order.
    Rejected(Vec<RowError>),
    /// The import could not run: the file is too large, or the database failed.
    Failed(AppError),
}

impl From<AppError> for ImportFailure {
    fn from(error: AppError) -> Self {
        Self::Failed(error)
    }
}

impl From<sqlx::Error> for ImportFailure {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}
