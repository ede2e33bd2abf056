//! Unit tests for the attendance rules. Every expected value is worked out by hand from the
//! dates and counts in each case, and the comments beside the tables show the working.

mod case_and_letters;
mod celebrations;
mod evidence;
mod figures;
mod first_day;
mod lobby;
mod parent;
mod rules;
mod sessions;
mod term_calendar;
mod windows;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use uuid::Uuid;

use super::figures::{Figures, Rate};
use super::sessions::{session_records, ChildPlan, Outcome, RecordContext, SessionRecord};
use crate::domain::calendar::{Closure, SessionTime, SettingCalendar};
use crate::domain::events::{derive_day, AttendanceEvent, ChildDay, EventAction};
use crate::domain::reasons::AbsenceReason;

/// Monday to Friday, the opening days of the test calendar.
const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// The late margin used by [`records`], in minutes.
const LATE_AFTER: i64 = 15;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// Returns `hour:minute` UTC on `day`.
fn utc(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
}

/// Returns the UTC instant of `hour:minute` London time on `day`.
fn london(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    London
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn session(code: &str, starts: u32, ends: u32) -> SessionTime {
    SessionTime {
        code: code.to_owned(),
        name: code.to_owned(),
        starts: NaiveTime::from_hms_opt(starts, 0, 0).unwrap(),
        ends: NaiveTime::from_hms_opt(ends, 0, 0).unwrap(),
    }
}

/// Builds a London setting open Monday to Friday with a morning (`am`, 08:00 to 13:00) and an
/// afternoon (`pm`, 13:00 to 18:00) session.
fn calendar_with(closures: Vec<Closure>) -> SettingCalendar {
    SettingCalendar {
        time_zone: London,
        open_weekdays: WEEKDAYS.to_vec(),
        sessions: vec![session("am", 8, 13), session("pm", 13, 18)],
        closures,
    }
}

fn calendar() -> SettingCalendar {
    calendar_with(Vec::new())
}

fn closure(first_day: NaiveDate, last_day: NaiveDate, kind: &str) -> Closure {
    Closure {
        first_day,
        last_day,
        kind: kind.to_owned(),
        name: kind.replace('_', " "),
    }
}

/// Builds a plan that books each of `codes` on each of `days`.
fn plan(
    start: NaiveDate,
    leaving: Option<NaiveDate>,
    days: &[Weekday],
    codes: &[&str],
) -> ChildPlan {
    let bookings = days
        .iter()
        .flat_map(|day| codes.iter().map(|code| (*day, (*code).to_owned())))
        .collect();
    ChildPlan {
        start,
        leaving,
        bookings,
    }
}

/// Builds a full-time plan (both sessions, Monday to Friday) from 1 September 2025.
fn full_time() -> ChildPlan {
    plan(date(2025, 9, 1), None, &WEEKDAYS, &["am", "pm"])
}

fn event(id: u128, at: DateTime<Utc>, day: NaiveDate, action: EventAction) -> AttendanceEvent {
    AttendanceEvent {
        id: Uuid::from_u128(id),
        child_id: Uuid::from_u128(1),
        date: day,
        occurred_at: at,
        recorded_at: None,
        staff_id: None,
        device_id: None,
        action,
    }
}

fn departed() -> EventAction {
    EventAction::Departed {
        collected_by: crate::domain::events::Collector {
            contact_id: None,
            name: "Gran".to_owned(),
            on_list: true,
        },
    }
}

/// Derives a day with one visit from `arrived` to `left` (still here when `None`).
fn visit_day(day: NaiveDate, arrived: DateTime<Utc>, left: Option<DateTime<Utc>>) -> ChildDay {
    let mut events = vec![event(1, arrived, day, EventAction::Arrived)];
    if let Some(left) = left {
        events.push(event(2, left, day, departed()));
    }
    derive_day(&events)
}

/// Derives a day with one visit from `arrive` to `depart`, both London (hour, minute).
fn local_visit(day: NaiveDate, arrive: (u32, u32), depart: (u32, u32)) -> ChildDay {
    visit_day(
        day,
        london(day, arrive.0, arrive.1),
        Some(london(day, depart.0, depart.1)),
    )
}

/// Derives a day whose 08:00 arrival was undone a minute later, so it is not marked.
fn undone_arrival_day(day: NaiveDate) -> ChildDay {
    let arrival = event(1, london(day, 8, 0), day, EventAction::Arrived);
    let undo = EventAction::Undone {
        target: Uuid::from_u128(1),
    };
    derive_day(&[arrival, event(2, london(day, 8, 1), day, undo)])
}

fn absent_day(day: NaiveDate, reason: AbsenceReason) -> ChildDay {
    let action = EventAction::Absent { reason, note: None };
    derive_day(&[event(1, london(day, 7, 30), day, action)])
}

/// Returns the session records with a 15-minute late margin.
fn records(
    calendar: &SettingCalendar,
    plan: &ChildPlan,
    days: &BTreeMap<NaiveDate, ChildDay>,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Vec<SessionRecord> {
    let context = RecordContext {
        calendar,
        late_after_minutes: LATE_AFTER,
        now,
    };
    session_records(context, plan, days, from, to)
}

/// Counts attended and possible sessions in `records`.
fn counts(records: &[SessionRecord]) -> (u32, u32) {
    let rate = Figures::from_records(records).rate;
    (rate.attended, rate.possible)
}

/// Builds a session record by hand, for tests that start from records.
fn record(day: NaiveDate, code: &str, booked: bool, outcome: Outcome) -> SessionRecord {
    SessionRecord {
        date: day,
        session: code.to_owned(),
        booked,
        outcome,
        arrived: None,
        part_day: false,
    }
}

fn rate(attended: u32, possible: u32) -> Rate {
    Rate { attended, possible }
}

fn attended() -> Outcome {
    Outcome::Attended { late: false }
}

fn missed(reason: Option<AbsenceReason>) -> Outcome {
    Outcome::Missed { reason }
}
