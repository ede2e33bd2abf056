//! Reading a CSV file of children into [`ChildRow`]s, without the database.
//!
//! The file may start with a UTF-8 byte-order mark, use CRLF line endings and end with
//! blank lines. Rows whose values are all blank are skipped wherever they appear. Row
//! numbers count lines as a spreadsheet shows them, so a quoted value that spans several
//! lines still counts as one row.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use csv::StringRecord;

use app::domain::calendar::{local_date, DEFAULT_TIME_ZONE};

use super::fields::Session;
use super::header::{normalise, Columns};
use super::row::RowReader;
use super::RowError;

/// Maximum number of children in one file.
pub const MAX_ROWS: usize = 2000;

/// One child read from the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    /// Row number as the spreadsheet shows it, with the header as row 1.
    pub row: usize,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// Room name as written in the file.
    pub room: String,
    /// Key person's name as written in the file (`First Last`), if given.
    pub key_person: Option<String>,
    pub start_date: NaiveDate,
    pub leaving_date: Option<NaiveDate>,
    /// Booked sessions, Monday first and the morning before the afternoon.
    pub bookings: Vec<Booking>,
    /// Weekly funded hours from 0 to 30, if given.
    pub funded_hours: Option<u8>,
    /// Contacts in file order, skipping contacts whose columns are all empty.
    pub contacts: Vec<ContactRow>,
    /// Whether the parents agreed to the child's name and photo being displayed.
    pub display_consent: bool,
    /// Whether the child has special educational needs support.
    pub sen_support: bool,
}

/// One booked session in the weekly pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    /// Weekday from 1 (Monday) to 5 (Friday), as stored in `bookings.weekday`.
    pub weekday: u8,
    pub session: Session,
}

/// One contact of a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// Order among the child's contacts, from 1.
    pub position: u8,
    pub name: String,
    /// Relationship to the child, for example `Mother`.
    pub relationship: String,
    pub phone: String,
    pub email: Option<String>,
    /// Whether this contact may collect the child.
    pub may_collect: bool,
    pub collection_password: Option<String>,
}

/// Everything read from a file: the valid rows and an error for each problem found.
#[derive(Debug, Default)]
pub(super) struct ParsedFile {
    pub rows: Vec<ChildRow>,
    /// Room and key person named on each data row, including rows with other errors, so
    /// that a room or key person not in the setting is reported on those rows too.
    pub references: Vec<SettingReference>,
    pub errors: Vec<RowError>,
}

impl ParsedFile {
    fn failed(errors: Vec<RowError>) -> Self {
        Self {
            errors,
            ..Self::default()
        }
    }
}

/// The room and key person that one data row names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SettingReference {
    pub row: usize,
    pub room: String,
    pub key_person: Option<String>,
}

/// Identity used to find the same child twice: first name, last name (both normalised
/// with [`normalise`]) and date of birth.
pub(super) type ChildKey = (String, String, NaiveDate);

/// Returns the identity used to detect duplicate children.
pub(super) fn child_key(first_name: &str, last_name: &str, date_of_birth: NaiveDate) -> ChildKey {
    (normalise(first_name), normalise(last_name), date_of_birth)
}

/// Parses a CSV file of children without touching the database. Returns every row, or an
/// error for each problem in the file. Dates of birth after today in England are rejected.
pub fn parse_children_csv(bytes: &[u8]) -> Result<Vec<ChildRow>, Vec<RowError>> {
    let today = local_date(DEFAULT_TIME_ZONE, Utc::now());
    let parsed = parse_file(bytes, today);
    if parsed.errors.is_empty() {
        Ok(parsed.rows)
    } else {
        Err(parsed.errors)
    }
}

/// Parses a CSV file, treating `today` as the latest valid date of birth.
pub(super) fn parse_file(bytes: &[u8], today: NaiveDate) -> ParsedFile {
    match read_records(bytes) {
        Ok(records) => parse_records(&records, today),
        Err(error) => ParsedFile::failed(vec![error]),
    }
}

/// A non-blank CSV record with its spreadsheet row number.
struct NumberedRecord {
    row: usize,
    record: StringRecord,
}

/// Reads the header and at most [`MAX_ROWS`] + 1 data records, so the caller can tell
/// that a file is too long without reading all of it.
fn read_records(bytes: &[u8]) -> Result<Vec<NumberedRecord>, RowError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut rows = RowCounter::new(text);
    for result in reader.records() {
        let record = result.map_err(|error| {
            RowError::file(
                0,
                format!("could not read the file as CSV ({error}); save it again as CSV UTF-8"),
            )
        })?;
        let byte = record.position().map_or(0, |position| position.byte());
        let row = rows.row_at(usize::try_from(byte).unwrap_or(usize::MAX), &record);
        if record.iter().any(|value| !value.trim().is_empty()) {
            records.push(NumberedRecord { row, record });
        }
        if records.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(records)
}

/// Converts the byte offsets of records into row numbers as a spreadsheet shows them.
///
/// The csv crate skips empty lines without counting them in `Position::line`, and a
/// record's byte offset points before any empty lines that precede it. So the counter
/// skips line breaks from the offset to find where the record's text starts, and counts
/// the lines before that. A line break inside a quoted value does not start a new row in a
/// spreadsheet, so those are subtracted.
struct RowCounter<'t> {
    text: &'t str,
    /// Start of the last record's text.
    offset: usize,
    line_breaks: usize,
    inner_line_breaks: usize,
}

impl<'t> RowCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line_breaks: 0,
            inner_line_breaks: 0,
        }
    }

    /// Returns the row of `record`, which the reader found at `byte`. Offsets must increase
    /// from call to call.
    fn row_at(&mut self, byte: usize, record: &StringRecord) -> usize {
        let rest = self.text.as_bytes().get(byte..).unwrap_or_default();
        let start = byte
            + rest
                .iter()
                .take_while(|&&b| matches!(b, b'\r' | b'\n'))
                .count();
        self.line_breaks += count_line_breaks(&self.text.as_bytes()[self.offset..start]);
        self.offset = start;
        let row = self.line_breaks + 1 - self.inner_line_breaks;
        self.inner_line_breaks += record
            .iter()
            .map(|value| count_line_breaks(value.as_bytes()))
            .sum::<usize>();
        row
    }
}

/// Counts line breaks, each of which is CRLF, LF or a lone CR.
fn count_line_breaks(bytes: &[u8]) -> usize {
    let lone_or_last = |(index, &byte): (usize, &u8)| {
        byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
    };
    bytes
        .iter()
        .enumerate()
        .filter(|&entry| lone_or_last(entry))
        .count()
}

/// Removes a UTF-8 byte-order mark and checks that the rest is UTF-8.
fn decode(bytes: &[u8]) -> Result<&str, RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let row = count_line_breaks(valid) + 1;
        RowError::file(
            row,
            "the file is not UTF-8 text; in the spreadsheet, save it as \"CSV UTF-8\" and import it again",
        )
    })
}

fn parse_records(records: &[NumberedRecord], today: NaiveDate) -> ParsedFile {
    let Some((header, data)) = records.split_first() else {
        return ParsedFile::failed(vec![RowError::file(
            0,
            "the file is empty; it needs a header row and one row per child",
        )]);
    };
    let columns = match Columns::parse(&header.record, header.row) {
        Ok(columns) => columns,
        Err(errors) => return ParsedFile::failed(errors),
    };
    if data.is_empty() {
        return ParsedFile::failed(vec![RowError::file(
            0,
            "the file has a header row but no children; add one row per child under the header",
        )]);
    }
    if data.len() > MAX_ROWS {
        let message = format!(
            "the file has more than {MAX_ROWS} children; split it into files of at most {MAX_ROWS} children and import each one"
        );
        return ParsedFile::failed(vec![RowError::file(0, message)]);
    }
    let mut parsed = ParsedFile::default();
    for numbered in data {
        parse_record(&columns, numbered, today, &mut parsed);
    }
    check_duplicate_rows(&mut parsed);
    parsed
}

fn parse_record(
    columns: &Columns,
    numbered: &NumberedRecord,
    today: NaiveDate,
    parsed: &mut ParsedFile,
) {
    let mut reader = RowReader::new(columns, &numbered.record, numbered.row);
    if let Some(reference) = reader.setting_reference() {
        parsed.references.push(reference);
    }
    let child = reader.child(today);
    if let (Some(child), true) = (child, reader.errors.is_empty()) {
        parsed.rows.push(child);
    }
    parsed.errors.append(&mut reader.errors);
}

/// Reports each row that repeats the first name, last name and date of birth of an earlier
/// row.
fn check_duplicate_rows(parsed: &mut ParsedFile) {
    let mut first_rows: HashMap<ChildKey, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    for child in &parsed.rows {
        let key = child_key(&child.first_name, &child.last_name, child.date_of_birth);
        match first_rows.get(&key) {
            Some(&first) => duplicates.push(duplicate_error(
                child,
                &format!("the same child as row {first}; delete one of the two rows"),
            )),
            None => {
                first_rows.insert(key, child.row);
            }
        }
    }
    parsed.errors.extend(duplicates);
    parsed.errors.sort_by_key(|error| error.row);
}

/// Builds an error that names a child by the three columns that identify it.
pub(super) fn duplicate_error(child: &ChildRow, message: &str) -> RowError {
    let value = format!(
        "{}, {}, {}",
        child.first_name,
        child.last_name,
        child.date_of_birth.format("%d/%m/%Y")
    );
    RowError::new(
        child.row,
        "First name, Last name, Date of birth",
        value,
        message,
    )
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
