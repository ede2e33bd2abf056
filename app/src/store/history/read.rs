//! Reading the CSV text of a history import: the header, then one raw row per data line.

use csv::StringRecord;

use super::lines::LineCounter;
use super::{RowError, MAX_IMPORT_ROWS, REGISTER_COLUMNS};

/// One data row as written in the file, each value trimmed.
#[derive(Debug, Clone, Default)]
pub(super) struct RawRow {
    pub(super) line: usize,
    pub(super) child: String,
    pub(super) date: String,
    pub(super) session: String,
    pub(super) status: String,
    pub(super) arrival: String,
    pub(super) departure: String,
    pub(super) reason: String,
    pub(super) recorded_by: String,
}

/// The data rows of a file, and the problems found while reading them.
#[derive(Debug, Default)]
pub(super) struct ParsedFile {
    pub(super) rows: Vec<RawRow>,
    pub(super) errors: Vec<RowError>,
}

/// Reads the header and the data rows, skipping blank lines. Returns an error for a problem
/// that stops the whole file: unreadable CSV, a bad header, no rows or too many rows.
pub(super) fn read_rows(text: &str) -> Result<ParsedFile, RowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut columns: Option<Columns> = None;
    let mut parsed = ParsedFile::default();
    for result in reader.records() {
        let record = result.map_err(unreadable_csv)?;
        let line = lines.line_at(record_offset(&record));
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let Some(columns) = &columns else {
            columns = Some(Columns::parse(&record, line)?);
            continue;
        };
        if parsed.rows.len() + parsed.errors.len() >= MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
        match columns.row(&record, line) {
            Ok(row) => parsed.rows.push(row),
            Err(error) => parsed.errors.push(error),
        }
    }
    check_not_empty(columns.is_some(), &parsed)?;
    Ok(parsed)
}

fn unreadable_csv(error: csv::Error) -> RowError {
    RowError::file(format!(
        "the file could not be read as CSV ({error}); save it again as CSV UTF-8"
    ))
}

fn too_many_rows() -> RowError {
    RowError::file(format!(
        "the file has more than {MAX_IMPORT_ROWS} rows; split it into parts by date and import \
         each part"
    ))
}

/// Returns the byte offset at which the csv crate found `record`.
fn record_offset(record: &StringRecord) -> usize {
    let byte = record.position().map_or(0, |position| position.byte());
    usize::try_from(byte).unwrap_or(usize::MAX)
}

fn check_not_empty(has_header: bool, parsed: &ParsedFile) -> Result<(), RowError> {
    let columns = REGISTER_COLUMNS.join(",");
    if !has_header {
        return Err(RowError::file(format!(
            "the file is empty; it needs the header row {columns} and one row per child and session"
        )));
    }
    if parsed.rows.is_empty() && parsed.errors.is_empty() {
        return Err(RowError::file(
            "the file has a header row but no data rows; add one row per child and session under it",
        ));
    }
    Ok(())
}

/// Returns a value as written, trimmed, and without the apostrophe that the export puts before
/// a value starting with `=`, `+`, `-` or `@` to stop spreadsheets running it as a formula.
fn clean_value(value: &str) -> String {
    let value = value.trim();
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => value.to_owned(),
    }
}

/// Positions of the [`REGISTER_COLUMNS`] in the file.
struct Columns {
    /// Position in the file of each column of [`REGISTER_COLUMNS`], in that order.
    positions: [usize; 8],
    /// Number of columns in the header.
    width: usize,
}

impl Columns {
    /// Matches the header's names, ignoring case and spaces around them, to the columns.
    /// Columns may come in any order, and each must appear once.
    fn parse(header: &StringRecord, line: usize) -> Result<Self, RowError> {
        let expected = REGISTER_COLUMNS.join(",");
        let (positions, problems) = locate_columns(header);
        if problems.is_empty() {
            return Ok(Self {
                positions,
                width: header.len(),
            });
        }
        Err(RowError::new(
            line,
            format!(
                "the header is not the register export's; {}. The header must be {expected}",
                problems.join("; ")
            ),
        ))
    }

    fn row(&self, record: &StringRecord, line: usize) -> Result<RawRow, RowError> {
        if record.len() != self.width {
            return Err(RowError::new(
                line,
                format!(
                    "the row has {} values but the header has {} columns; check for a missing or \
                     extra comma, and put values that contain commas in double quotes",
                    record.len(),
                    self.width
                ),
            ));
        }
        let value = |index: usize| clean_value(record.get(self.positions[index]).unwrap_or(""));
        Ok(RawRow {
            line,
            child: value(0),
            date: value(1),
            session: value(2),
            status: value(3).to_lowercase(),
            arrival: value(4),
            departure: value(5),
            reason: value(6).to_lowercase(),
            recorded_by: value(7),
        })
    }
}

/// Returns the position in `header` of each of the [`REGISTER_COLUMNS`], `usize::MAX` for a
/// missing one, and a description of each name that is unknown, repeated or missing.
fn locate_columns(header: &StringRecord) -> ([usize; 8], Vec<String>) {
    let mut positions = [usize::MAX; 8];
    let mut problems = Vec::new();
    for (position, name) in header.iter().enumerate() {
        let name = clean_value(name).to_lowercase();
        match REGISTER_COLUMNS.iter().position(|column| *column == name) {
            Some(index) if positions[index] != usize::MAX => {
                problems.push(format!("column \"{name}\" appears twice; delete one"));
            }
            Some(index) => positions[index] = position,
            None => problems.push(format!("column \"{name}\" is not a register column")),
        }
    }
    for (index, column) in REGISTER_COLUMNS.iter().enumerate() {
        if positions[index] == usize::MAX {
            problems.push(format!("column \"{column}\" is missing"));
        }
    }
    (positions, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_skip_blank_lines() {
        let text = "child,date,session,status,arrival,departure,reason,recorded_by\r\n\r\n\
                    Ava Whitfield,2026-11-30,am,attended,08:00,,,\r\n\
                    \"Noah\nEllison\",2026-11-30,am,absent,,,illness,\r\n\
                    ,,,,,,,\r\n\
                    Ava Whitfield,2026-11-30,pm,attended,,,,\r\n";
        let parsed = read_rows(text).expect("the file reads");
        let lines: Vec<usize> = parsed.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, vec![3, 4, 7]);
        assert_eq!(parsed.rows[1].child, "Noah\nEllison");
    }

    #[test]
    fn header_in_any_order_and_case() {
        let text = "\u{feff}Date, Child ,session,STATUS,arrival,departure,reason,recorded_by\n\
                    2026-11-30,Ava Whitfield,am,Late,08:20,12:00,,Hannah Cole\n";
        let parsed = read_rows(text).expect("the file reads");
        assert_eq!(parsed.rows[0].child, "Ava Whitfield");
        assert_eq!(parsed.rows[0].date, "2026-11-30");
        assert_eq!(parsed.rows[0].status, "late");
    }

    #[test]
    fn bad_header_lists_every_problem() {
        let error = read_rows("child,date,session,state,arrival,date\n").unwrap_err();
        assert_eq!(error.line, 1);
        for part in [
            "column \"state\" is not a register column",
            "column \"date\" appears twice",
            "column \"status\" is missing",
            "column \"recorded_by\" is missing",
        ] {
            assert!(error.message.contains(part), "{part}: {}", error.message);
        }
    }

    #[test]
    fn empty_and_header_only_files() {
        assert!(read_rows("\n\n").unwrap_err().message.contains("empty"));
        let header_only = format!("{}\n", REGISTER_COLUMNS.join(","));
        assert!(read_rows(&header_only)
            .unwrap_err()
            .message
            .contains("no data rows"));
    }

    #[test]
    fn short_row_is_an_error() {
        let text = format!(
            "{}\nAva Whitfield,2026-11-30,am\n",
            REGISTER_COLUMNS.join(",")
        );
        let parsed = read_rows(&text).expect("the file reads");
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors[0].line, 2);
        assert!(parsed.errors[0].message.contains("3 values"));
    }

    #[test]
    fn formula_guard_is_removed() {
        assert_eq!(clean_value(" '=SUM(A1) "), "=SUM(A1)");
        assert_eq!(clean_value("'Connor"), "'Connor");
        assert_eq!(clean_value("O'Neill"), "O'Neill");
    }
}
