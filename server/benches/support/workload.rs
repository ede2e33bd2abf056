//! The events the bench stores: one arrival per child per open weekday. The server accepts
//! an arrival only when the child is not already here that day, so each series gets days
//! of its own and no event is rejected.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use uuid::Uuid;

use app::domain::bank_holidays::bank_holiday_name;
use app::domain::events::{AttendanceEvent, EventAction};

use super::fixture::Setting;

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

    /// Takes the next `count` open weekdays. Panics when fewer remain, because a reused
    /// day would make the server reject the second arrival.
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
             lower the series' day counts in benches/marks.rs",
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
            events.push(AttendanceEvent {
                id: Uuid::now_v7(),
                child_id: child.id,
                date: *day,
                occurred_at: eight_utc + Duration::minutes(minutes),
                recorded_at: None,
                staff_id: Some(setting.staff),
                device_id: Some(DEVICE_ID.to_owned()),
                action: EventAction::Arrived,
            });
        }
    }
    events
}
