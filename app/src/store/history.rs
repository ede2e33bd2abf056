//! Importing a setting's past register from a CSV file in the columns of the register export.
//!
//! The whole file is read and every row checked against the setting before anything is
//! written, and every problem is reported with its line number. Nothing is stored unless the
//! whole file is valid. A valid file becomes attendance events, at most an arrival and a
//! departure, or one absence, per child and day, all written in one `BEGIN IMMEDIATE`
//! transaction with an audit row. `docs/csv-import.md` describes the format for managers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use csv::StringRecord;
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::accounts::{write_audit, AuditEntry, Caller};
use super::attendance::load_rules;
use super::record::insert_event_row;
use super::setting::{load_setting, SettingRow};
use super::{parse_date, parse_id};
use crate::domain::attendance::sessions::{Outcome, SessionRecord};
use crate::domain::calendar::{ClosedReason, SessionTime};
use crate::domain::events::{AttendanceEvent, Collector, EventAction};
use crate::domain::reasons::AbsenceReason;
use crate::error::AppError;
use crate::followup::import::ImportSummary;

/// Columns of the register export, which a history import reads too, in file order.
pub const REGISTER_COLUMNS: [&str; 8] = [
    "child",
    "date",
    "session",
    "status",
    "arrival",
    "departure",
    "reason",
    "recorded_by",
];

/// Largest file a history import reads, in bytes.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Largest number of data rows in one history import.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// The `device_id` of every event a history import stores.
pub const IMPORT_DEVICE: &str = "history-import";
/// The collector's name on every departure a history import stores.
pub const IMPORTED_COLLECTOR: &str = "Recorded in imported history";

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/// Outcome of one booked or attended session, as the register export writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    /// Booked and attended, arriving on time.
    Attended,
    /// Booked and attended, arriving after the session's start plus the late margin.
    Late,
    /// Booked and missed with an absence reason.
    Absent,
    /// Booked, started, and with no mark at all.
    NotRecorded,
    /// Attended without a booking.
    Extra,
}

impl SessionStatus {
    /// Every status, in the order the documentation lists them.
    pub const ALL: [Self; 5] = [
        Self::Attended,
        Self::Late,
        Self::Absent,
        Self::NotRecorded,
        Self::Extra,
    ];

    /// Returns the code written in the `status` column.
    pub fn code(self) -> &'static str {
        match self {
            Self::Attended => "attended",
            Self::Late => "late",
            Self::Absent => "absent",
            Self::NotRecorded => "not_recorded",
            Self::Extra => "extra",
        }
    }

    /// Parses a code returned by [`SessionStatus::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Returns the status of a session record.
    pub fn of_record(record: &SessionRecord) -> Self {
        match record.outcome {
            Outcome::Attended { .. } if !record.booked => Self::Extra,
            Outcome::Attended { late: true } => Self::Late,
            Outcome::Attended { late: false } => Self::Attended,
            Outcome::Missed { reason: Some(_) } => Self::Absent,
            Outcome::Missed { reason: None } => Self::NotRecorded,
        }
    }

    /// Returns whether the child was at the setting for the session.
    pub fn present(self) -> bool {
        matches!(self, Self::Attended | Self::Late | Self::Extra)
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------------

/// Imports the past register in `text` into `setting`: either every row is stored, or none
/// is and the problems are returned. `caller` is named in the `history_imported` audit row.
pub async fn import_history(
    pool: &SqlitePool,
    setting: Uuid,
    caller: &Caller,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportFailure> {
    check_size(text)?;
    let parsed = read_rows(text).map_err(|error| reject(vec![error]))?;
    let rules = load_rules(pool, setting).await?;
    // IMMEDIATE takes the write lock now, so no mark can arrive for a child-day between the
    // check that the day has no marks and the inserts.
    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let context = load_context(&mut transaction, setting, rules.late_after_minutes, now).await?;
    let plan = plan_import(parsed, &context).map_err(reject)?;
    for event in &plan.events {
        insert_event_row(&mut transaction, setting, event, now).await?;
    }
    let entry = AuditEntry::new(caller, "history_imported")
        .setting(setting)
        .subject(format!(
            "register from {} to {}",
            plan.summary.first_date, plan.summary.last_date
        ))
        .detail(plan.summary.counts_label());
    write_audit(&mut transaction, &entry, now).await?;
    transaction.commit().await?;
    tracing::info!(
        rows = plan.summary.rows,
        days = plan.summary.days,
        children = plan.summary.children,
        events = plan.summary.events,
        "history import stored"
    );
    Ok(plan.summary)
}

/// Logs a rejected import by counts only, because the messages name children.
fn reject(errors: Vec<RowError>) -> ImportFailure {
    tracing::warn!(
        errors = errors.len(),
        "history import rejected; nothing was stored"
    );
    ImportFailure::Rejected(errors)
}

fn check_size(text: &str) -> Result<(), ImportFailure> {
    if text.len() <= MAX_IMPORT_BYTES {
        return Ok(());
    }
    let megabytes = text.len() as f64 / (1024.0 * 1024.0);
    Err(ImportFailure::Failed(AppError::TooLarge {
        message: format!(
            "the file is {megabytes:.1} MB and an import takes at most {} MB; split it into \
             parts by date and import each part",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
    }))
}

// ---------------------------------------------------------------------------------------------
// Reading the CSV text
// ---------------------------------------------------------------------------------------------

/// One data row as written in the file, each value trimmed.
#[derive(Debug, Clone, Default)]
struct RawRow {
    line: usize,
    child: String,
    date: String,
    session: String,
    status: String,
    arrival: String,
    departure: String,
    reason: String,
    recorded_by: String,
}

/// The data rows of a file, and the problems found while reading them.
#[derive(Debug, Default)]
struct ParsedFile {
    rows: Vec<RawRow>,
    errors: Vec<RowError>,
}

/// Reads the header and the data rows, skipping blank lines. Returns an error for a problem
/// that stops the whole file: unreadable CSV, a bad header, no rows or too many rows.
fn read_rows(text: &str) -> Result<ParsedFile, RowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut columns: Option<Columns> = None;
    let mut parsed = ParsedFile::default();
    for result in reader.records() {
        let record = result.map_err(|error| {
            RowError::file(format!(
                "the file could not be read as CSV ({error}); save it again as CSV UTF-8"
            ))
        })?;
        let byte = record.position().map_or(0, |position| position.byte());
        let line = lines.line_at(usize::try_from(byte).unwrap_or(usize::MAX));
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let Some(columns) = &columns else {
            columns = Some(Columns::parse(&record, line)?);
            continue;
        };
        if parsed.rows.len() + parsed.errors.len() >= MAX_IMPORT_ROWS {
            return Err(RowError::file(format!(
                "the file has more than {MAX_IMPORT_ROWS} rows; split it into parts by date and \
                 import each part"
            )));
        }
        match columns.row(&record, line) {
            Ok(row) => parsed.rows.push(row),
            Err(error) => parsed.errors.push(error),
        }
    }
    check_not_empty(columns.is_some(), &parsed)?;
    Ok(parsed)
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

/// Converts the byte offsets of CSV records into line numbers as a text editor shows them.
///
/// The csv crate skips blank lines, and a record's byte offset points before the blank lines
/// that come before it, so the counter first skips line breaks from the offset to where the
/// record's text starts. A line break inside a quoted value counts, as it does in an editor.
struct LineCounter<'t> {
    bytes: &'t [u8],
    /// Start of the last record's text.
    offset: usize,
    /// Line breaks before `offset`.
    breaks: usize,
}

impl<'t> LineCounter<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            breaks: 0,
        }
    }

    /// Returns the line of the record found at `byte`. Offsets must increase from call to call.
    fn line_at(&mut self, byte: usize) -> usize {
        let rest = self.bytes.get(byte..).unwrap_or_default();
        let start = byte
            + rest
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let between = self.bytes.get(self.offset..start).unwrap_or_default();
        self.breaks += count_line_breaks(between);
        self.offset = start.max(self.offset);
        self.breaks + 1
    }
}

/// Counts line breaks, each of which is CRLF, LF or a lone CR.
fn count_line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(index, &byte)| {
            byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        })
        .count()
}

// ---------------------------------------------------------------------------------------------
// What the checks need from the database
// ---------------------------------------------------------------------------------------------

/// A child as the checks need them.
#[derive(Debug, Clone)]
struct ChildFacts {
    id: Uuid,
    name: String,
    start: NaiveDate,
    leaving: Option<NaiveDate>,
}

/// The setting's facts that every row is checked against.
struct ImportContext {
    setting: SettingRow,
    /// The setting's local date now. Only earlier days can be imported.
    today: NaiveDate,
    /// Minutes after a session's start from which an arrival is late.
    late_after: Duration,
    /// Children by "First Last".
    children: HashMap<String, Vec<ChildFacts>>,
    /// Staff ids by "First Last".
    staff: HashMap<String, Vec<Uuid>>,
    /// Child-days that already have at least one event.
    marked_days: HashSet<(Uuid, NaiveDate)>,
}

async fn load_context(
    conn: &mut SqliteConnection,
    setting: Uuid,
    late_after_minutes: u32,
    now: DateTime<Utc>,
) -> Result<ImportContext, AppError> {
    let setting = load_setting(conn, setting).await?;
    let today = setting.calendar.local_date(now);
    let children = load_children_by_name(conn, setting.id).await?;
    let staff = load_staff_by_name(conn, setting.id).await?;
    let marked_days = load_marked_days(conn, setting.id).await?;
    Ok(ImportContext {
        setting,
        today,
        late_after: Duration::minutes(late_after_minutes.into()),
        children,
        staff,
        marked_days,
    })
}

async fn load_children_by_name(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashMap<String, Vec<ChildFacts>>, AppError> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, first_name, last_name, start_date, leaving_date FROM children
         WHERE setting_id = ?",
    )
    .bind(setting.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut children: HashMap<String, Vec<ChildFacts>> = HashMap::new();
    for (id, first, last, start, leaving) in rows {
        let name = format!("{first} {last}");
        let child = ChildFacts {
            id: parse_id(&id)?,
            name: name.clone(),
            start: parse_date(&start)?,
            leaving: leaving.as_deref().map(parse_date).transpose()?,
        };
        children.entry(name).or_default().push(child);
    }
    Ok(children)
}

async fn load_staff_by_name(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashMap<String, Vec<Uuid>>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, first_name || ' ' || last_name FROM staff WHERE setting_id = ?")
            .bind(setting.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut staff: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (id, name) in rows {
        staff.entry(name).or_default().push(parse_id(&id)?);
    }
    Ok(staff)
}

async fn load_marked_days(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashSet<(Uuid, NaiveDate)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT child_id, local_date FROM attendance_events WHERE setting_id = ?",
    )
    .bind(setting.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|(child, date)| Ok((parse_id(child)?, parse_date(date)?)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Checking rows
// ---------------------------------------------------------------------------------------------

/// A row that passed every check of its own values.
#[derive(Debug, Clone)]
struct CheckedRow {
    line: usize,
    child: ChildFacts,
    date: NaiveDate,
    session: SessionTime,
    status: SessionStatus,
    arrival: Option<NaiveTime>,
    departure: Option<NaiveTime>,
    reason: Option<AbsenceReason>,
    /// The staff member `recorded_by` names, when it names exactly one.
    staff: Option<Uuid>,
}

/// The events to store and the counts to report.
struct ImportPlan {
    events: Vec<AttendanceEvent>,
    summary: ImportSummary,
}

/// Checks every row and turns the file into events, or returns every problem in line order.
fn plan_import(parsed: ParsedFile, context: &ImportContext) -> Result<ImportPlan, Vec<RowError>> {
    let ParsedFile { rows, mut errors } = parsed;
    let row_count = rows.len() + errors.len();
    let mut checked = Vec::new();
    for raw in &rows {
        let mut problems = Vec::new();
        if let Some(row) = check_row(raw, context, &mut problems) {
            checked.push(row);
        }
        errors.extend(
            problems
                .into_iter()
                .map(|message| RowError::new(raw.line, message)),
        );
    }
    errors.extend(duplicate_rows(&checked));
    let mut days: BTreeMap<(NaiveDate, Uuid), Vec<&CheckedRow>> = BTreeMap::new();
    for row in &checked {
        days.entry((row.date, row.child.id)).or_default().push(row);
    }
    let mut events = Vec::new();
    for rows in days.values() {
        match day_events(rows, context) {
            Ok(mut day) => events.append(&mut day),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|error| error.line);
        return Err(errors);
    }
    Ok(ImportPlan {
        summary: summarise(&checked, row_count, events.len()),
        events,
    })
}

fn summarise(rows: &[CheckedRow], row_count: usize, events: usize) -> ImportSummary {
    let dates: HashSet<NaiveDate> = rows.iter().map(|row| row.date).collect();
    let children: HashSet<Uuid> = rows.iter().map(|row| row.child.id).collect();
    ImportSummary {
        rows: row_count,
        days: dates.len(),
        children: children.len(),
        events,
        first_date: dates.iter().min().copied().unwrap_or_default(),
        last_date: dates.iter().max().copied().unwrap_or_default(),
    }
}

/// Checks one row's values, adding a message to `problems` for each one that is wrong.
fn check_row(
    raw: &RawRow,
    context: &ImportContext,
    problems: &mut Vec<String>,
) -> Option<CheckedRow> {
    let child = keep(problems, check_child(&raw.child, context));
    let date = keep(problems, check_date(&raw.date, context));
    if let (Some(child), Some(date)) = (&child, date) {
        keep(problems, check_on_roll(child, date));
    }
    let session = keep(problems, check_session(&raw.session, context));
    let status = keep(problems, check_status(&raw.status));
    let (arrival, departure) = check_times(raw, status, problems);
    if let Some(session) = &session {
        keep(problems, check_within_session(session, arrival, departure));
    }
    let reason = keep(problems, check_reason(&raw.reason, status));
    if !problems.is_empty() {
        return None;
    }
    Some(CheckedRow {
        line: raw.line,
        child: child?,
        date: date?,
        session: session?,
        status: status?,
        arrival,
        departure,
        reason: reason?,
        staff: match context.staff.get(&raw.recorded_by).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        },
    })
}

/// Returns the value, or adds the problem to `problems` and returns `None`.
fn keep<T>(problems: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

fn check_child(name: &str, context: &ImportContext) -> Result<ChildFacts, String> {
    if name.is_empty() {
        return Err(
            "child is empty; write the child's first and last name, such as \"Ava Whitfield\""
                .to_owned(),
        );
    }
    match context.children.get(name).map(Vec::as_slice) {
        Some([child]) => Ok(child.clone()),
        Some(several) => Err(format!(
            "child \"{name}\" matches {} children in this setting, so the import cannot tell \
             which one is meant; remove these rows and mark those days in the register instead",
            several.len()
        )),
        None => Err(format!(
            "child \"{name}\" is not in this setting; check the spelling or import the child first"
        )),
    }
}

fn check_date(text: &str, context: &ImportContext) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| {
            format!(
                "date \"{text}\" is not a date; write it as YYYY-MM-DD, such as 2026-11-30, or \
                 as DD/MM/YYYY"
            )
        })?;
    if date >= context.today {
        return Err(format!(
            "date {date} is not in the past; import only days before today ({}), and mark today \
             in the register",
            context.today
        ));
    }
    if let Some(closed) = context.setting.calendar.closed_reason(date) {
        let closure_name = match closed {
            ClosedReason::NotAnOpeningDay => "not an opening day".to_owned(),
            ClosedReason::BankHoliday(name) | ClosedReason::Closure(name) => name,
        };
        return Err(format!(
            "date {date} is a day the setting is closed ({closure_name}); correct the date or remove the row"
        ));
    }
    Ok(date)
}

fn check_on_roll(child: &ChildFacts, date: NaiveDate) -> Result<(), String> {
    if date < child.start {
        return Err(format!(
            "date {date} is before {}'s start date {}; correct the date, or the start date in \
             the setting",
            child.name, child.start
        ));
    }
    match child.leaving {
        Some(leaving) if date > leaving => Err(format!(
            "date {date} is after {}'s leaving date {leaving}; correct the date, or the leaving \
             date in the setting",
            child.name
        )),
        _ => Ok(()),
    }
}

fn check_session(code: &str, context: &ImportContext) -> Result<SessionTime, String> {
    let calendar = &context.setting.calendar;
    calendar.session(code).cloned().ok_or_else(|| {
        let codes: Vec<&str> = calendar.sessions.iter().map(|s| s.code.as_str()).collect();
        format!(
            "session \"{code}\" is not one of this setting's sessions; use one of {}",
            codes.join(", ")
        )
    })
}

fn check_status(code: &str) -> Result<SessionStatus, String> {
    SessionStatus::from_code(code).ok_or_else(|| {
        let codes: Vec<&str> = SessionStatus::ALL.iter().map(|s| s.code()).collect();
        format!(
            "status \"{code}\" is not a status; use one of {}",
            codes.join(", ")
        )
    })
}

/// Checks the arrival and departure times: each is empty or HH:MM, both are empty for a
/// session the child did not attend, and the departure comes after the arrival.
fn check_times(
    raw: &RawRow,
    status: Option<SessionStatus>,
    problems: &mut Vec<String>,
) -> (Option<NaiveTime>, Option<NaiveTime>) {
    let arrival = keep(problems, parse_time("arrival", &raw.arrival)).flatten();
    let departure = keep(problems, parse_time("departure", &raw.departure)).flatten();
    if let Some(status) = status.filter(|status| !status.present()) {
        for (column, text) in [("arrival", &raw.arrival), ("departure", &raw.departure)] {
            if !text.is_empty() {
                problems.push(format!(
                    "{column} \"{text}\" is given for status {}; clear the time or change the \
                     status",
                    status.code()
                ));
            }
        }
    }
    if let (Some(arrival), Some(departure)) = (arrival, departure) {
        if departure <= arrival {
            problems.push(format!(
                "departure {} is not after arrival {}; correct one of the times",
                departure.format("%H:%M"),
                arrival.format("%H:%M")
            ));
        }
    }
    (arrival, departure)
}

/// Checks that the times given overlap the session, so that the stored visit covers it.
fn check_within_session(
    session: &SessionTime,
    arrival: Option<NaiveTime>,
    departure: Option<NaiveTime>,
) -> Result<(), String> {
    let code = &session.code;
    if let Some(arrival) = arrival.filter(|arrival| *arrival >= session.ends) {
        return Err(format!(
            "arrival {} is not before the end of session {code} at {}; correct the time or \
             the session",
            arrival.format("%H:%M"),
            session.ends.format("%H:%M")
        ));
    }
    if let Some(departure) = departure.filter(|departure| *departure <= session.starts) {
        return Err(format!(
            "departure {} is not after the start of session {code} at {}; correct the time or \
             the session",
            departure.format("%H:%M"),
            session.starts.format("%H:%M")
        ));
    }
    Ok(())
}

fn parse_time(column: &str, text: &str) -> Result<Option<NaiveTime>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(text, "%H:%M").map(Some).map_err(|_| {
        format!("{column} \"{text}\" is not a time; write it as HH:MM on the 24-hour clock, such as 08:05")
    })
}

fn check_reason(
    code: &str,
    status: Option<SessionStatus>,
) -> Result<Option<AbsenceReason>, String> {
    let codes = || {
        let codes: Vec<&str> = AbsenceReason::ALL.iter().map(|r| r.code()).collect();
        codes.join(", ")
    };
    let absent = status == Some(SessionStatus::Absent);
    match (code.is_empty(), absent) {
        (true, true) => Err(format!(
            "reason is missing for status absent; give one of {}",
            codes()
        )),
        (true, false) => Ok(None),
        (false, true) => AbsenceReason::from_code(code).map(Some).ok_or_else(|| {
            format!(
                "reason \"{code}\" is not a reason code; use one of {}",
                codes()
            )
        }),
        (false, false) => Err(format!(
            "reason \"{code}\" is given for status {}; clear the reason or change the status to \
             absent",
            status.map_or("that is not absent", SessionStatus::code)
        )),
    }
}

/// Reports each row that repeats the child, date and session of an earlier row.
fn duplicate_rows(rows: &[CheckedRow]) -> Vec<RowError> {
    let mut first_lines: HashMap<(Uuid, NaiveDate, &str), usize> = HashMap::new();
    let mut errors = Vec::new();
    for row in rows {
        let key = (row.child.id, row.date, row.session.code.as_str());
        match first_lines.get(&key) {
            Some(first) => errors.push(RowError::new(
                row.line,
                format!(
                    "{}, {}, {} repeats line {first}; delete one of the two rows",
                    row.child.name, row.date, row.session.code
                ),
            )),
            None => {
                first_lines.insert(key, row.line);
            }
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// Turning a child's day into events
// ---------------------------------------------------------------------------------------------

/// Returns the events for one child's day from its rows, which are in line order. A day with
/// any attended session gets an arrival and a departure. A day whose marked rows are all
/// absent gets one absence, and a day of `not_recorded` rows gets nothing.
fn day_events(
    rows: &[&CheckedRow],
    context: &ImportContext,
) -> Result<Vec<AttendanceEvent>, RowError> {
    let first = rows[0];
    if context.marked_days.contains(&(first.child.id, first.date)) {
        return Err(RowError::new(
            first.line,
            format!(
                "{} already has register marks on {}; remove that day's rows from the file, \
                 because an import adds only days with no marks",
                first.child.name, first.date
            ),
        ));
    }
    let present: Vec<&CheckedRow> = rows
        .iter()
        .copied()
        .filter(|row| row.status.present())
        .collect();
    let absent: Vec<&CheckedRow> = rows
        .iter()
        .copied()
        .filter(|row| row.status == SessionStatus::Absent)
        .collect();
    match (present.first(), absent.first()) {
        (Some(attended), Some(missed)) => Err(RowError::new(
            missed.line,
            format!(
                "{} is absent for {} on {} but attended another session that day (line {}); the \
                 register records an absence for a whole day, so change this row's status to \
                 not_recorded",
                missed.child.name, missed.session.code, missed.date, attended.line
            ),
        )),
        (Some(_), None) => visit_events(&present, context),
        (None, Some(_)) => absence_event(&absent, context).map(|event| vec![event]),
        (None, None) => Ok(Vec::new()),
    }
}

/// Returns the arrival and departure for the sessions a child attended on one day. A row
/// with no arrival time counts from its session's start, or from the start plus the late
/// margin for a `late` row. A row with no departure time counts to its session's end.
fn visit_events(
    rows: &[&CheckedRow],
    context: &ImportContext,
) -> Result<Vec<AttendanceEvent>, RowError> {
    let arrival_of = |row: &CheckedRow| {
        row.arrival.unwrap_or_else(|| match row.status {
            SessionStatus::Late => row.session.starts + context.late_after,
            _ => row.session.starts,
        })
    };
    let first = rows
        .iter()
        .copied()
        .min_by_key(|row| (arrival_of(row), row.line))
        .unwrap_or(rows[0]);
    let arrival = arrival_of(first);
    let departure = rows
        .iter()
        .map(|row| row.departure.unwrap_or(row.session.ends))
        .max()
        .unwrap_or(first.session.ends);
    if departure <= arrival {
        return Err(RowError::new(
            first.line,
            format!(
                "{}'s departure {} on {} is not after the day's arrival {}; give both times on \
                 the rows of that day",
                first.child.name,
                departure.format("%H:%M"),
                first.date,
                arrival.format("%H:%M")
            ),
        ));
    }
    let departed = EventAction::Departed {
        collected_by: Collector {
            contact_id: None,
            name: IMPORTED_COLLECTOR.into(),
            on_list: false,
        },
    };
    let arrived = imported_event(first, arrival, first.staff, EventAction::Arrived, context);
    Ok(vec![
        arrived,
        imported_event(first, departure, None, departed, context),
    ])
}

/// Returns the absence for a day on which every marked row is absent, at the start of the
/// first absent session. Every row must give the same reason.
fn absence_event(
    rows: &[&CheckedRow],
    context: &ImportContext,
) -> Result<AttendanceEvent, RowError> {
    let first = rows
        .iter()
        .copied()
        .min_by_key(|row| (row.session.starts, row.line))
        .unwrap_or(rows[0]);
    let reason = first.reason.unwrap_or(AbsenceReason::NotYetKnown);
    if let Some(other) = rows.iter().find(|row| row.reason != first.reason) {
        return Err(RowError::new(
            other.line,
            format!(
                "reason {} differs from {} on line {} for {} on {}; give one reason for the \
                 whole day",
                other.reason.map_or("", AbsenceReason::code),
                reason.code(),
                first.line,
                first.child.name,
                first.date
            ),
        ));
    }
    let action = EventAction::Absent { reason, note: None };
    Ok(imported_event(
        first,
        first.session.starts,
        first.staff,
        action,
        context,
    ))
}

fn imported_event(
    row: &CheckedRow,
    time: NaiveTime,
    staff: Option<Uuid>,
    action: EventAction,
    context: &ImportContext,
) -> AttendanceEvent {
    AttendanceEvent {
        id: Uuid::now_v7(),
        child_id: row.child.id,
        date: row.date,
        occurred_at: context.setting.calendar.instant_at(row.date, time),
        recorded_at: None,
        staff_id: staff,
        device_id: Some(IMPORT_DEVICE.into()),
        action,
    }
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

    #[test]
    fn status_codes_round_trip() {
        for status in SessionStatus::ALL {
            assert_eq!(SessionStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(SessionStatus::from_code("present"), None);
    }

    #[test]
    fn reason_rules() {
        let absent = Some(SessionStatus::Absent);
        let attended = Some(SessionStatus::Attended);
        assert_eq!(
            check_reason("illness", absent),
            Ok(Some(AbsenceReason::Illness))
        );
        assert!(check_reason("", absent).unwrap_err().contains("missing"));
        assert!(check_reason("poorly", absent)
            .unwrap_err()
            .contains("\"poorly\""));
        assert!(check_reason("illness", attended)
            .unwrap_err()
            .contains("status attended"));
        assert_eq!(check_reason("", attended), Ok(None));
    }
}
