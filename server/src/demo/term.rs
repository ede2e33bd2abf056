//! Demo calendar: the history window, the setting's closures, the open days in between and
//! the six-week windows that the planted attendance patterns are defined over.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};

use app::domain::bank_holidays::bank_holiday_name;
use app::domain::calendar::{Closure, SessionTime, SettingCalendar, DEFAULT_TIME_ZONE};

/// Session codes, names and local start and end times, as stored in `setting_sessions`.
pub(super) const SESSIONS: [(&str, &str, &str, &str); 2] = [
    ("am", "Morning", "08:00", "13:00"),
    ("pm", "Afternoon", "13:00", "18:00"),
];

/// Minimum length of the history, in days (13 weeks), so both six-week windows are covered.
const MIN_HISTORY_DAYS: i64 = 91;

/// Length of each comparison window, in days.
const WINDOW_DAYS: i64 = 42;

/// The part of the history a date falls in, counted back from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// Before the two six-week windows.
    Earlier,
    /// The six weeks before the last six: 84 to 43 days before today.
    PriorSixWeeks,
    /// The last six weeks: 42 days before today to yesterday.
    LastSixWeeks,
}

/// Returns the window `date` falls in, for a date before `today`.
pub fn window_of(date: NaiveDate, today: NaiveDate) -> Window {
    let days_ago = (today - date).num_days();
    if days_ago <= WINDOW_DAYS {
        Window::LastSixWeeks
    } else if days_ago <= 2 * WINDOW_DAYS {
        Window::PriorSixWeeks
    } else {
        Window::Earlier
    }
}

/// The dates the demo is built around, all derived from the setting's local date today.
#[derive(Debug, Clone)]
pub(super) struct DemoTerm {
    pub today: NaiveDate,
    /// First day with attendance history.
    pub history_start: NaiveDate,
    pub calendar: SettingCalendar,
}

impl DemoTerm {
    /// Builds the calendar for a setting whose local date is `today`.
    pub fn new(today: NaiveDate) -> Self {
        let year = school_year(today);
        let half_term = last_weekday_of_october(year, Weekday::Mon);
        let christmas_first = christmas_break_start(year);
        let mut closures = vec![
            closure(
                half_term,
                half_term + Duration::days(4),
                "term_break",
                "October half-term",
            ),
            closure(
                christmas_first,
                ymd(year + 1, 1, 1),
                "term_break",
                "Christmas break",
            ),
        ];
        let history_start = history_start(today);
        let training = training_day(today, &closures);
        closures.push(closure(
            training,
            training,
            "training_day",
            "Staff training day",
        ));
        closures.sort_by_key(|closure| closure.first_day);

        let calendar = SettingCalendar {
            time_zone: DEFAULT_TIME_ZONE,
            open_weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            sessions: SESSIONS
                .iter()
                .map(|&(code, name, starts, ends)| session(code, name, starts, ends))
                .collect(),
            closures,
        };
        Self {
            today,
            history_start,
            calendar,
        }
    }

    /// Lists the days from the history start to yesterday on which the setting was open.
    pub fn open_days(&self) -> Vec<NaiveDate> {
        self.history_start
            .iter_days()
            .take_while(|day| *day < self.today)
            .filter(|day| self.calendar.closed_reason(*day).is_none())
            .collect()
    }
}

/// Returns the calendar year in which the current school year began (it starts on 1 September).
fn school_year(today: NaiveDate) -> i32 {
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}

/// Returns the first Wednesday of September of the school year (the start of the autumn
/// term), or 13 weeks before today when the term began less than 13 weeks ago.
fn history_start(today: NaiveDate) -> NaiveDate {
    let year = school_year(today);
    let autumn_term =
        NaiveDate::from_weekday_of_month_opt(year, 9, Weekday::Wed, 1).expect("a first Wednesday");
    let earliest = today - Duration::days(MIN_HISTORY_DAYS);
    autumn_term.min(earliest)
}

fn last_weekday_of_october(year: i32, weekday: Weekday) -> NaiveDate {
    let last = ymd(year, 10, 31);
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last - Duration::days(i64::from(back))
}

/// Returns the Monday after the last full Monday-to-Friday week that ends before 25 December.
fn christmas_break_start(year: i32) -> NaiveDate {
    let christmas_eve = ymd(year, 12, 24);
    let back = (7 + christmas_eve.weekday().num_days_from_monday()
        - Weekday::Fri.num_days_from_monday())
        % 7;
    let last_friday = christmas_eve - Duration::days(i64::from(back));
    last_friday + Duration::days(3)
}

/// Picks the Friday on or before eight weeks ago, stepping back a week at a time past bank
/// holidays and the other closures. The result stays inside the history window because the
/// window is at least 13 weeks long and no closure lasts longer than two weeks.
fn training_day(today: NaiveDate, closures: &[Closure]) -> NaiveDate {
    let eight_weeks_ago = today - Duration::days(56);
    let back = (7 + eight_weeks_ago.weekday().num_days_from_monday()
        - Weekday::Fri.num_days_from_monday())
        % 7;
    let mut day = eight_weeks_ago - Duration::days(i64::from(back));
    let closed = |day: NaiveDate| {
        bank_holiday_name(day).is_some()
            || closures
                .iter()
                .any(|closure| closure.first_day <= day && day <= closure.last_day)
    };
    while closed(day) {
        day -= Duration::days(7);
    }
    day
}

fn closure(first_day: NaiveDate, last_day: NaiveDate, kind: &str, name: &str) -> Closure {
    Closure {
        first_day,
        last_day,
        kind: kind.to_owned(),
        name: name.to_owned(),
    }
}

fn session(code: &str, name: &str, starts: &str, ends: &str) -> SessionTime {
    SessionTime {
        code: code.to_owned(),
        name: name.to_owned(),
        starts: NaiveTime::parse_from_str(starts, "%H:%M").expect("valid session start"),
        ends: NaiveTime::parse_from_str(ends, "%H:%M").expect("valid session end"),
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closures_for_autumn_2026() {
        let term = DemoTerm::new(ymd(2026, 12, 4));
        assert_eq!(term.history_start, ymd(2026, 9, 2));
        let closures = &term.calendar.closures;
        assert_eq!(closures[0].first_day, ymd(2026, 10, 9), "training day");
        assert_eq!(closures[1].first_day, ymd(2026, 10, 26), "half-term start");
        assert_eq!(closures[1].last_day, ymd(2026, 10, 30), "half-term end");
        assert_eq!(closures[2].first_day, ymd(2026, 12, 21), "Christmas start");
        assert_eq!(closures[2].last_day, ymd(2027, 1, 1), "Christmas end");
    }

    #[test]
    fn christmas_break_follows_last_full_week() {
        // 25 December 2027 is a Saturday, so Monday 20 to Friday 24 is a full week before it.
        assert_eq!(christmas_break_start(2027), ymd(2027, 12, 27));
        assert_eq!(christmas_break_start(2025), ymd(2025, 12, 22));
    }

    #[test]
    fn history_is_at_least_thirteen_weeks() {
        let term = DemoTerm::new(ymd(2026, 9, 10));
        assert_eq!(term.history_start, ymd(2026, 6, 11));
        let spring = DemoTerm::new(ymd(2027, 3, 10));
        assert_eq!(spring.history_start, ymd(2026, 9, 2));
    }
}
