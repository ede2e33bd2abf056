//! Checks of each imported row's values against the setting, and of rows that repeat.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

use super::context::{ChildFacts, ImportContext};
use super::read::RawRow;
use super::{RowError, SessionStatus};
use crate::domain::calendar::{ClosedReason, SessionTime};
use crate::domain::reasons::AbsenceReason;

/// A row that passed every check of its own values.
#[derive(Debug, Clone)]
pub(super) struct CheckedRow {
    pub(super) line: usize,
    pub(super) child: ChildFacts,
    pub(super) date: NaiveDate,
    pub(super) session: SessionTime,
    pub(super) status: SessionStatus,
    pub(super) arrival: Option<NaiveTime>,
    pub(super) departure: Option<NaiveTime>,
    pub(super) reason: Option<AbsenceReason>,
    /// The staff member `recorded_by` names, when it names exactly one.
    pub(super) staff: Option<Uuid>,
}

/// Checks each row's values, adds every problem to `errors` under the row's line, and returns
/// the rows that passed.
pub(super) fn check_rows(
    rows: &[RawRow],
    context: &ImportContext,
    errors: &mut Vec<RowError>,
) -> Vec<CheckedRow> {
    let mut checked = Vec::new();
    for raw in rows {
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
    checked
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
pub(super) fn duplicate_rows(rows: &[CheckedRow]) -> Vec<RowError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
