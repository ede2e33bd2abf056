//! Turns a child's booking pattern and register days into one record per session: which
//! sessions were possible, which were attended, and why the others were missed.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::SettingCalendar;
use crate::domain::events::ChildDay;
use crate::domain::reasons::AbsenceReason;

/// A child's place at the setting: the dates on roll and the weekly booked sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildPlan {
    pub start: NaiveDate,
    /// The last day on roll, when the child has left or is leaving.
    pub leaving: Option<NaiveDate>,
    /// Booked sessions as (weekday, session code).
    pub bookings: Vec<(Weekday, String)>,
}

impl ChildPlan {
    /// Whether the child is on roll on `date`.
    pub fn on_roll(&self, date: NaiveDate) -> bool {
        date >= self.start && self.leaving.is_none_or(|leaving| date <= leaving)
    }

    /// Whether the child is booked for `code` on `date`'s weekday.
    pub fn booked(&self, date: NaiveDate, code: &str) -> bool {
        let weekday = date.weekday();
        self.bookings
            .iter()
            .any(|(day, booked)| *day == weekday && booked == code)
    }

    /// Whether the child has any booked session on `date`'s weekday.
    pub fn booked_on(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday();
        self.bookings.iter().any(|(day, _)| *day == weekday)
    }
}

/// What happened to one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The child was here for some of the session; `late` when they arrived after the
    /// session's start plus the setting's late margin.
    Attended { late: bool },
    /// The child was not here. `reason` is `None` when no absence was recorded.
    Missed { reason: Option<AbsenceReason> },
}

impl Outcome {
    /// Whether the child attended.
    pub fn attended(self) -> bool {
        matches!(self, Self::Attended { .. })
    }

    /// Whether the session was missed with no reason, or with "not yet known".
    pub fn unexplained(self) -> bool {
        matches!(
            self,
            Self::Missed {
                reason: None | Some(AbsenceReason::NotYetKnown)
            }
        )
    }
}

/// One session of one day for one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub date: NaiveDate,
    /// The session's code, such as `am`.
    pub session: String,
    /// Booked sessions are possible sessions. An unbooked session appears only when attended.
    pub booked: bool,
    pub outcome: Outcome,
    /// The arrival that covers the session, when attended.
    pub arrived: Option<DateTime<Utc>>,
    /// The session was missed on a day the child came for another part of it: collected
    /// early or brought in after the session. Such a session is missed but not unexplained.
    #[serde(default)]
    pub part_day: bool,
}

impl SessionRecord {
    /// Whether the session was missed with no reason given and the child did not come at all
    /// that day.
    pub fn unexplained(&self) -> bool {
        self.outcome.unexplained() && !self.part_day
    }
}

/// Everything [`session_records`] needs besides the child.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    pub calendar: &'a SettingCalendar,
    /// Minutes after a session starts from which an arrival is late.
    pub late_after_minutes: i64,
    pub now: DateTime<Utc>,
}

/// Returns the child's session records from `from` to `to` inclusive, in date and session
/// order. A booked session is possible when the setting is open, the child is on roll, and
/// the session has started by `now`; an absence marked "setting closed" makes the day's
/// sessions not possible. An unbooked session the child attended is included with
/// `booked: false`. `days` holds the child's derived register days by date.
pub fn session_records(
    context: RecordContext<'_>,
    plan: &ChildPlan,
    days: &BTreeMap<NaiveDate, ChildDay>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<SessionRecord> {
    let today = context.calendar.local_date(context.now);
    let last = to.min(today);
    let mut records = Vec::new();
    let mut date = from.max(plan.start);
    while date <= last {
        if plan.on_roll(date) && context.calendar.closed_reason(date).is_none() {
            day_records(context, plan, days.get(&date), date, &mut records);
        }
        date += Duration::days(1);
    }
    records
}

fn day_records(
    context: RecordContext<'_>,
    plan: &ChildPlan,
    day: Option<&ChildDay>,
    date: NaiveDate,
    records: &mut Vec<SessionRecord>,
) {
    let absence = day.and_then(|day| match &day.presence {
        crate::domain::events::Presence::Absent { reason, .. } => Some(*reason),
        _ => None,
    });
    if absence == Some(AbsenceReason::SettingClosed) {
        return;
    }
    let calendar = context.calendar;
    let came = day.is_some_and(|day| !day.visits.is_empty());
    for session in &calendar.sessions {
        let starts = calendar.instant_at(date, session.starts);
        if starts > context.now {
            continue;
        }
        let ends = calendar.instant_at(date, session.ends);
        let arrival = day.and_then(|day| {
            day.visits
                .iter()
                .find(|visit| visit.arrived < ends && visit.departed.is_none_or(|d| d > starts))
                .map(|visit| visit.arrived)
        });
        let booked = plan.booked(date, &session.code);
        let outcome = match arrival {
            Some(arrived) => Outcome::Attended {
                late: arrived >= starts + Duration::minutes(context.late_after_minutes),
            },
            None if booked => Outcome::Missed { reason: absence },
            None => continue,
        };
        records.push(SessionRecord {
            date,
            session: session.code.clone(),
            booked,
            outcome,
            arrived: arrival,
            part_day: arrival.is_none() && came,
        });
    }
}
