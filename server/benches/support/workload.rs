//! The events the benches store: for `marks`, one arrival per child per open weekday, and
//! for `sync`, a full day of two visits per child. Callers pass open weekdays, and every
//! event's `occurred_at` falls on its `date` in Europe/London, so the server accepts it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use uuid::Uuid;

use app::domain::bank_holidays::bank_holiday_name;
use app::domain::events::{AttendanceEvent, Collector, EventAction};

use super::fixture::{collector_name, Child, Setting};

/// Device id sent with every bench event.
const DEVICE_ID: &str = "bench-tablet";

/// Open weekdays (Monday to Friday and not an England bank holiday), handed out in date
/// order so that no two series share a day.
pub struct OpenDays {
    next: NaiveDate,
    last: NaiveDate,
}

impl OpenDays {
    /// Hands out the open weekdays from `first` to `last`, both included.
    pub fn between(first: NaiveDate, last: NaiveDate) -> Self {
        Self { next: first, last }
    }

    /// Counts the open weekdays not yet handed out.
    pub fn remaining(&self) -> usize {
        self.next
            .iter_days()
            .take_while(|day| *day <= self.last)
            .filter(|day| is_open(*day))
            .count()
    }

    /// Takes the next `count` open weekdays. Panics when fewer remain, because a series
    /// would then store fewer events than its label gives. Each series gets days of its
    /// own, so no day gets marks from two series.
    pub fn take(&mut self, count: usize) -> Vec<NaiveDate> {
        let days: Vec<NaiveDate> = self
            .next
            .iter_days()
            .take_while(|day| *day <= self.last)
            .filter(|day| is_open(*day))
            .take(count)
            .collect();
        assert_eq!(
            days.len(),
            count,
            "only {} open weekdays remain up to {}, but a series needs {count}; \
             lower the series' day counts in the bench",
            days.len(),
            self.last
        );
        if let Some(last_taken) = days.last() {
            self.next = *last_taken + Duration::days(1);
        }
        days
    }
}

fn is_open(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && bank_holiday_name(day).is_none()
}

/// Builds one arrival for every child on each of `days`, in day order and then roll order.
/// Child number `i` arrives at 08:00 UTC plus `i` minutes. That instant falls on the same
/// date in Europe/London in winter (GMT) and summer (BST), as the server requires.
pub fn arrivals(setting: &Setting, days: &[NaiveDate]) -> Vec<AttendanceEvent> {
    let mut events = Vec::with_capacity(days.len() * setting.children.len());
    for day in days {
        let eight_utc: DateTime<Utc> = Utc.from_utc_datetime(
            &day.and_hms_opt(8, 0, 0)
                .expect("08:00 is a valid time of day"),
        );
        for (minutes, child) in (0i64..).zip(&setting.children) {
            events.push(mark(
                setting,
                child,
                *day,
                eight_utc + Duration::minutes(minutes),
                DEVICE_ID,
                EventAction::Arrived,
            ));
        }
    }
    events
}

/// Start of each phase of a full day as minutes after midnight UTC: morning arrivals,
/// lunchtime departures, afternoon arrivals and afternoon departures. Child number `i` is
/// marked `i` minutes after each start, so the last mark is at 16:29 UTC. Every mark falls on
/// the same date in Europe/London in winter (GMT) and summer (BST), and before the 17:00 UTC
/// server clock of the benches.
const FULL_DAY_PHASES: [i64; 4] = [8 * 60, 12 * 60, 13 * 60, 15 * 60 + 30];

/// Events of one full day for every child on each of `days`: arrival, departure, arrival,
/// departure, four per child. The departures name the child's collector from
/// [`Setting::insert_collectors`]. Events are oldest first, as a tablet sends them, and carry
/// `device_id`.
pub fn full_days(setting: &Setting, days: &[NaiveDate], device_id: &str) -> Vec<AttendanceEvent> {
    let mut events =
        Vec::with_capacity(days.len() * FULL_DAY_PHASES.len() * setting.children.len());
    for day in days {
        let midnight_utc: DateTime<Utc> = Utc.from_utc_datetime(
            &day.and_hms_opt(0, 0, 0)
                .expect("00:00 is a valid time of day"),
        );
        for (phase, start_minutes) in FULL_DAY_PHASES.iter().enumerate() {
            for (offset, child) in (0i64..).zip(&setting.children) {
                let at = midnight_utc + Duration::minutes(start_minutes + offset);
                let action = if phase % 2 == 0 {
                    EventAction::Arrived
                } else {
                    EventAction::Departed {
                        collected_by: Collector {
                            contact_id: Some(child.collector_id),
                            name: collector_name(child),
                            on_list: true,
                        },
                    }
                };
                events.push(mark(setting, child, *day, at, device_id, action));
            }
        }
    }
    events
}

/// Builds one event made by the setting's staff member on `device_id`, with a new id.
fn mark(
    setting: &Setting,
    child: &Child,
    date: NaiveDate,
    occurred_at: DateTime<Utc>,
    device_id: &str,
    action: EventAction,
) -> AttendanceEvent {
    AttendanceEvent {
        id: Uuid::now_v7(),
        child_id: child.id,
        date,
        occurred_at,
        recorded_at: None,
        staff_id: Some(setting.staff),
        device_id: Some(device_id.to_owned()),
        action,
    }
}
