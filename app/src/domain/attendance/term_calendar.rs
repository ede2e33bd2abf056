//! A parent's calendar of their child's days: one mark per opening day of the setting,
//! grouped into weeks, with words and a text symbol for each mark so no state is shown by
//! colour alone.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::absence_report::parent_reason_label;

use super::sessions::{ChildPlan, Outcome, SessionRecord};
use super::windows::DateRange;
use crate::domain::calendar::{ClosedReason, SettingCalendar};
use crate::domain::reasons::AbsenceReason;

/// The mark for one opening day: what happened, or what is planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mark", rename_all = "snake_case")]
pub enum DayMark {
    /// The setting is closed for a bank holiday or one of its own closures, named in
    /// `reason`. Weekdays the setting never opens are left out of the calendar instead.
    Closed { reason: String },
    /// The child has no booked session on this day and came for none.
    NotBooked,
    /// A booked day whose sessions have not started or are not yet marked.
    Upcoming,
    /// A parent reported an absence in advance, and the child attended no session that day.
    Reported { reason: AbsenceReason },
    /// The child attended at least one session, booked or not, and missed no booked session.
    /// `late` when an attended booked session began late.
    Attended { late: bool },
    /// The child attended some sessions and missed at least one booked session.
    PartDay,
    /// The child missed every booked session so far. `reason` comes from the register.
    Absent { reason: Option<AbsenceReason> },
}

impl DayMark {
    /// Returns the mark in words for parents, such as "Here" or "You told us: Illness".
    pub fn words(&self) -> String {
        match self {
            Self::Closed { reason } => format!("Closed: {reason}"),
            Self::NotBooked => "Not booked".to_owned(),
            Self::Upcoming => "Booked".to_owned(),
            Self::Reported { reason } => format!("You told us: {}", parent_reason_label(*reason)),
            Self::Attended { late: false } => "Here".to_owned(),
            Self::Attended { late: true } => "Here (arrived late)".to_owned(),
            Self::PartDay => "Here for part of the day".to_owned(),
            Self::Absent {
                reason: None | Some(AbsenceReason::NotYetKnown),
            } => "Away: no reason given yet".to_owned(),
            Self::Absent {
                reason: Some(reason),
            } => format!("Away: {}", parent_reason_label(*reason)),
        }
    }

    /// Returns a one-character symbol for the mark, so no state relies on colour alone.
    /// The symbols are "✓" here, "½" part of the day, "–" away, "✉" reported by a parent,
    /// "○" booked and still to come, "·" not booked, and "×" closed. A late arrival also
    /// gets "✓", so lateness shows only in the words.
    pub fn symbol(&self) -> &'static str {
        match self {
            Self::Attended { .. } => "✓",
            Self::PartDay => "½",
            Self::Absent { .. } => "–",
            Self::Reported { .. } => "✉",
            Self::Upcoming => "○",
            Self::NotBooked => "·",
            Self::Closed { .. } => "×",
        }
    }
}

/// One day in a parent's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub mark: DayMark,
}

/// The calendar days of one week, in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarWeek {
    /// The Monday the week starts on, which may itself be left out.
    pub monday: NaiveDate,
    pub days: Vec<CalendarDay>,
}

/// Builds the child's calendar for `range`, one day per opening weekday of the setting,
/// grouped into weeks in date order.
///
/// Days before the child's start or after leaving are left out, and so are weeks with no
/// days left. Days are marked from `records`, the child's session records, and `reported`,
/// the absences parents reported in advance. A day with no records is not booked when the
/// plan books nothing on its weekday. Otherwise it is reported when it appears in
/// `reported`, upcoming from `today` on, and absent with no reason before `today`.
pub fn term_calendar(
    calendar: &SettingCalendar,
    plan: &ChildPlan,
    records: &[SessionRecord],
    reported: &[(NaiveDate, AbsenceReason)],
    range: DateRange,
    today: NaiveDate,
) -> Vec<CalendarWeek> {
    let mut weeks: Vec<CalendarWeek> = Vec::new();
    let mut date = range.from;
    while date <= range.to {
        if let Some(mark) = day_mark(calendar, plan, records, reported, date, today) {
            push_day(&mut weeks, CalendarDay { date, mark });
        }
        date += Duration::days(1);
    }
    weeks
}

/// Returns the mark for `date`, or `None` when the day is left out of the calendar.
fn day_mark(
    calendar: &SettingCalendar,
    plan: &ChildPlan,
    records: &[SessionRecord],
    reported: &[(NaiveDate, AbsenceReason)],
    date: NaiveDate,
    today: NaiveDate,
) -> Option<DayMark> {
    if !plan.on_roll(date) {
        return None;
    }
    match calendar.closed_reason(date) {
        Some(ClosedReason::NotAnOpeningDay) => return None,
        Some(ClosedReason::BankHoliday(reason) | ClosedReason::Closure(reason)) => {
            return Some(DayMark::Closed { reason });
        }
        None => {}
    }
    let day: Vec<&SessionRecord> = records.iter().filter(|r| r.date == date).collect();
    let report = reported
        .iter()
        .find(|(reported_on, _)| *reported_on == date)
        .map(|(_, reason)| *reason);
    let mark = mark_from_records(&day, report);
    Some(mark.unwrap_or_else(|| unmarked_day(plan, report, date, today)))
}

/// Marks a day from its session records. Returns `None` when no record says the child came
/// or missed a booked session.
///
/// A reason the register gives wins over the parent's report, because staff entered it on
/// the day. A report wins over a missed session with no reason or "not yet known".
fn mark_from_records(day: &[&SessionRecord], report: Option<AbsenceReason>) -> Option<DayMark> {
    let attended: Vec<&&SessionRecord> = day.iter().filter(|r| r.outcome.attended()).collect();
    let missed_booked = day.iter().any(|r| r.booked && !r.outcome.attended());
    if !attended.is_empty() {
        if missed_booked {
            return Some(DayMark::PartDay);
        }
        let late = attended
            .iter()
            .any(|r| r.booked && r.outcome == Outcome::Attended { late: true });
        return Some(DayMark::Attended { late });
    }
    if !missed_booked {
        return None;
    }
    let reason = register_reason(day);
    match (reason, report) {
        (None | Some(AbsenceReason::NotYetKnown), Some(reported)) => {
            Some(DayMark::Reported { reason: reported })
        }
        _ => Some(DayMark::Absent { reason }),
    }
}

/// Returns the register's absence reason for a day, preferring a known reason to "not yet
/// known".
fn register_reason(day: &[&SessionRecord]) -> Option<AbsenceReason> {
    let reasons = day.iter().filter_map(|record| match record.outcome {
        Outcome::Missed { reason } => reason,
        Outcome::Attended { .. } => None,
    });
    let mut first = None;
    for reason in reasons {
        if reason != AbsenceReason::NotYetKnown {
            return Some(reason);
        }
        first = Some(reason);
    }
    first
}

/// Marks an open day on roll that has no session records.
fn unmarked_day(
    plan: &ChildPlan,
    report: Option<AbsenceReason>,
    date: NaiveDate,
    today: NaiveDate,
) -> DayMark {
    if !plan.booked_on(date) {
        return DayMark::NotBooked;
    }
    if let Some(reason) = report {
        return DayMark::Reported { reason };
    }
    if date >= today {
        return DayMark::Upcoming;
    }
    // NOTE: a day the setting closed by marking the child absent "setting closed" has no
    // records either, so it shows as absent here. The records do not tell the two apart.
    DayMark::Absent { reason: None }
}

fn push_day(weeks: &mut Vec<CalendarWeek>, day: CalendarDay) {
    let monday = day.date - Duration::days(day.date.weekday().num_days_from_monday().into());
    match weeks.last_mut() {
        Some(week) if week.monday == monday => week.days.push(day),
        _ => weeks.push(CalendarWeek {
            monday,
            days: vec![day],
        }),
    }
}
