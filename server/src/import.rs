//! CSV import of children, their weekly bookings and their contacts into the first setting.
//!
//! An import runs in three steps. [`parse_children_csv`] reads the file without the
//! database. The `resolve` step then matches rooms, key persons and existing children
//! against the setting, and the `store` step writes everything in one transaction. Errors
//! from every step are collected, so one report lists every bad row, and nothing is written
//! unless the whole file is valid. The columns and formats are described in
//! `docs/csv-import.md`.

mod fields;
mod header;
mod parse;
mod resolve;
mod row;
mod store;

#[cfg(test)]
mod db_tests;
#[cfg(test)]
mod test_support;

use std::fmt;

use sqlx::SqlitePool;

pub use fields::Session;
pub use parse::{parse_children_csv, Booking, ChildRow, ContactRow, MAX_ROWS};

/// Choices for [`import_children`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Creates rooms and key persons that the file names but the setting lacks, in place of
    /// reporting them as errors. New rooms take ages 0 to 60 months and new staff the role
    /// `practitioner` in the room of the first child that names them.
    pub create_missing: bool,
}

/// Counts of what an import stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub children: usize,
    pub contacts: usize,
    pub rooms_created: usize,
    pub staff_created: usize,
}

/// A problem with one value, one row or the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Row number as the spreadsheet shows it, with the header as row 1. Zero when the
    /// problem concerns the whole file, such as a file with no rows of children.
    pub row: usize,
    /// Column name as the documentation spells it, or empty when the problem concerns the
    /// whole row or file.
    pub column: String,
    /// The value as written in the file, trimmed.
    pub value: String,
    /// Description of the problem and of the fix.
    pub message: String,
}

impl RowError {
    /// Builds an error on `column` of spreadsheet row `row`.
    pub fn new(
        row: usize,
        column: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let (column, value, message) = (column.into(), value.into(), message.into());
        Self {
            row,
            column,
            value,
            message,
        }
    }

    /// Builds an error about the whole file, or about a row when `row` is not zero.
    pub fn file(row: usize, message: impl Into<String>) -> Self {
        Self::new(row, "", "", message)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row > 0 {
            write!(f, "row {}", self.row)?;
            if !self.column.is_empty() {
                write!(f, ", column {:?}, value {:?}", self.column, self.value)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Reasons an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has errors, listed in row order, one per line when displayed.
    #[error("{}", format_errors(.0))]
    Invalid(Vec<RowError>),
    #[error("the database has no setting; run `here-today demo` to create a demo setting, or create a setting before importing")]
    NoSetting,
    #[error("database error during import, so nothing was stored: {0}")]
    Database(#[from] sqlx::Error),
}

fn format_errors(errors: &[RowError]) -> String {
    let lines: Vec<String> = errors.iter().map(RowError::to_string).collect();
    lines.join("\n")
}

/// Imports every child in the CSV file `bytes`, with bookings and contacts, into the first
/// setting (the one created first). Either every row is stored or, on any error, none is.
pub async fn import_children(
    pool: &SqlitePool,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    tracing::info!(
        bytes = bytes.len(),
        create_missing = options.create_missing,
        "CSV import started"
    );
    // IMMEDIATE takes the write lock now, so no other writer can add a clashing child
    // between the duplicate check and the inserts.
    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let setting = store::load_setting(&mut transaction).await?;
    let parsed = parse::parse_file(bytes, setting.today);
    let plan = resolve::resolve(parsed, &setting, options).map_err(reject)?;
    let summary = store::write_plan(&mut transaction, &setting.id, &plan).await?;
    transaction.commit().await?;
    tracing::info!(
        children = summary.children,
        contacts = summary.contacts,
        rooms_created = summary.rooms_created,
        staff_created = summary.staff_created,
        "CSV import stored"
    );
    Ok(summary)
}

/// Logs a rejected import by counts and row numbers only, because the errors contain
/// names and phone numbers. Dropping the transaction afterwards rolls it back.
fn reject(errors: Vec<RowError>) -> ImportError {
    const LOGGED_ROWS: usize = 20;
    let mut rows: Vec<usize> = errors.iter().map(|error| error.row).collect();
    rows.dedup();
    let first_rows = &rows[..rows.len().min(LOGGED_ROWS)];
    tracing::warn!(
        errors = errors.len(),
        bad_rows = rows.len(),
        ?first_rows,
        "CSV import rejected; nothing was stored"
    );
    ImportError::Invalid(errors)
}
