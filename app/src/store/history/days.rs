//! Grouping checked rows into child-days and turning each day into attendance events.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

use super::check::CheckedRow;
use super::context::ImportContext;
use super::{RowError, SessionStatus, IMPORTED_COLLECTOR, IMPORT_DEVICE};
use crate::domain::events::{AttendanceEvent, Collector, EventAction};
use crate::domain::reasons::AbsenceReason;

/// Groups the rows by date and child and returns the events of every day in that order,
/// adding each day's problem to `errors`.
pub(super) fn file_events(
    rows: &[CheckedRow],
    context: &ImportContext,
    errors: &mut Vec<RowError>,
) -> Vec<AttendanceEvent> {
    let mut days: BTreeMap<(NaiveDate, Uuid), Vec<&CheckedRow>> = BTreeMap::new();
    for row in rows {
        days.entry((row.date, row.child.id)).or_default().push(row);
    }
    let mut events = Vec::new();
    for rows in days.values() {
        match day_events(rows, context) {
            Ok(mut day) => events.append(&mut day),
            Err(error) => errors.push(error),
        }
    }
    events
}

/// Returns the events for one child's day from its rows, which are in line order. A day with
/// any attended session gets an arrival and a departure. A day whose marked rows are all
/// absent gets one absence, and a day of `not_recorded` rows gets nothing.
fn day_events(
    rows: &[&CheckedRow],
    context: &ImportContext,
) -> Result<Vec<AttendanceEvent>, RowError> {
    check_unmarked(rows[0], context)?;
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
        (Some(attended), Some(missed)) => Err(absent_and_attended(missed, attended)),
        (Some(_), None) => visit_events(&present, context),
        (None, Some(_)) => absence_event(&absent, context).map(|event| vec![event]),
        (None, None) => Ok(Vec::new()),
    }
}

/// Rejects a child-day that already has register marks, because an import only adds days.
fn check_unmarked(first: &CheckedRow, context: &ImportContext) -> Result<(), RowError> {
    if !context.marked_days.contains(&(first.child.id, first.date)) {
        return Ok(());
    }
    Err(RowError::new(
        first.line,
        format!(
            "{} already has register marks on {}; remove that day's rows from the file, \
             because an import adds only days with no marks",
            first.child.name, first.date
        ),
    ))
}

fn absent_and_attended(missed: &CheckedRow, attended: &CheckedRow) -> RowError {
    RowError::new(
        missed.line,
        format!(
            "{} is absent for {} on {} but attended another session that day (line {}); the \
             register records an absence for a whole day, so change this row's status to \
             not_recorded",
            missed.child.name, missed.session.code, missed.date, attended.line
        ),
    )
}

/// Returns the arrival and departure for the sessions a child attended on one day. A row
/// with no arrival time counts from its session's start, or from the start plus the late
/// margin for a `late` row. A row with no departure time counts to its session's end.
fn visit_events(
    rows: &[&CheckedRow],
    context: &ImportContext,
) -> Result<Vec<AttendanceEvent>, RowError> {
    let first = rows
        .iter()
        .copied()
        .min_by_key(|row| (arrival_time(row, context), row.line))
        .unwrap_or(rows[0]);
    let arrival = arrival_time(first, context);
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
    let arrived = imported_event(first, arrival, first.staff, EventAction::Arrived, context);
    let departed = imported_event(first, departure, None, imported_departure(), context);
    Ok(vec![arrived, departed])
}

/// Returns the row's arrival time, or when it has none, its session's start, plus the late
/// margin for a `late` row.
fn arrival_time(row: &CheckedRow, context: &ImportContext) -> NaiveTime {
    row.arrival.unwrap_or_else(|| match row.status {
        SessionStatus::Late => row.session.starts + context.late_after,
        _ => row.session.starts,
    })
}

/// Returns the departure action of an imported visit, whose collector the file does not name.
fn imported_departure() -> EventAction {
    EventAction::Departed {
        collected_by: Collector {
            contact_id: None,
            name: IMPORTED_COLLECTOR.into(),
            on_list: false,
        },
    }
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
