//! Weekly booking patterns and funded hours for demo children.

use chrono::{NaiveTime, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::people::RoomKind;
use super::term::SESSIONS;

/// The sessions a child is booked for on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaySessions {
    Morning,
    Afternoon,
    /// Both the morning and the afternoon session.
    FullDay,
}

impl DaySessions {
    /// Returns the session codes booked, as stored in `bookings.session_code`.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Self::Morning => &["am"],
            Self::Afternoon => &["pm"],
            Self::FullDay => &["am", "pm"],
        }
    }

    /// Returns the local start time of the first booked session.
    pub fn first_start(self) -> NaiveTime {
        let (_, _, starts, _) = session_row(self.codes()[0]);
        parse_time(starts)
    }

    /// Returns the local end time of the last booked session.
    pub fn last_end(self) -> NaiveTime {
        let codes = self.codes();
        let (_, _, _, ends) = session_row(codes[codes.len() - 1]);
        parse_time(ends)
    }
}

fn session_row(code: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    SESSIONS
        .iter()
        .find(|row| row.0 == code)
        .copied()
        .expect("a known session code")
}

fn parse_time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").expect("valid session time")
}

/// A child's weekly pattern: the booked sessions on each booked weekday, Monday first.
pub type WeeklyBooking = Vec<(Weekday, DaySessions)>;

/// Builds a pattern with the same sessions on each of `weekdays`.
pub fn same_each_day(weekdays: &[Weekday], sessions: DaySessions) -> WeeklyBooking {
    weekdays
        .iter()
        .map(|weekday| (*weekday, sessions))
        .collect()
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Picks a booking pattern and the funded hours that go with it. Babies have no funded hours
/// in the demo. Every pre-school child has the universal 15 hours, or 30 when booked for at
/// least 30 hours a week. Some toddlers have 15 or 30 hours through their parents' work.
pub(super) fn random_booking(rng: &mut ChaCha8Rng, room: RoomKind) -> (WeeklyBooking, Option<i64>) {
    let roll = rng.gen_range(0..100);
    let (days, sessions) = match roll {
        0..=24 => (5, DaySessions::FullDay),
        25..=39 => (4, DaySessions::FullDay),
        40..=59 => (3, DaySessions::FullDay),
        60..=67 => (2, DaySessions::FullDay),
        68..=79 => (5, DaySessions::Morning),
        80..=91 => (3, DaySessions::Morning),
        _ => (3, DaySessions::Afternoon),
    };
    let booking = same_each_day(&pick_weekdays(rng, days), sessions);
    let weekly_hours = booking.len() as i64
        * if sessions == DaySessions::FullDay {
            10
        } else {
            5
        };
    let funded = match room {
        RoomKind::Babies => None,
        RoomKind::PreSchool if weekly_hours >= 30 => Some(30),
        RoomKind::PreSchool => Some(15),
        RoomKind::Toddlers if rng.gen_bool(0.5) => None,
        RoomKind::Toddlers => Some(if weekly_hours >= 30 { 30 } else { 15 }),
    };
    (booking, funded)
}

/// Picks `count` distinct weekdays, returned Monday first.
fn pick_weekdays(rng: &mut ChaCha8Rng, count: usize) -> Vec<Weekday> {
    let mut chosen: Vec<Weekday> = rand::seq::index::sample(rng, WEEKDAYS.len(), count)
        .into_iter()
        .map(|index| WEEKDAYS[index])
        .collect();
    chosen.sort_by_key(|weekday| weekday.num_days_from_monday());
    chosen
}
