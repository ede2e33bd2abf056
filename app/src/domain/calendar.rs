//! The setting's calendar: local days and times, opening weekdays, sessions, closures and
//! bank holidays. All functions are pure so the server and the tablet agree on them.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::bank_holidays::bank_holiday_name;

/// The time zone a setting uses when none is configured.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::London;

/// A bookable part of the day, such as the morning from 08:00 to 13:00.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTime {
    /// Short identifier used in booking patterns, for example `am`.
    pub code: String,
    /// Label staff see, for example "Morning".
    pub name: String,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

/// The reason a setting is closed on a day, so no child can be marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ClosedReason {
    /// The setting does not open on this weekday.
    NotAnOpeningDay,
    BankHoliday(String),
    /// A closure the setting entered: a term break, a training day or another closure.
    Closure(String),
}

impl ClosedReason {
    /// Describes the closure in words, for example "closed: Boxing Day".
    pub fn describe(&self) -> String {
        match self {
            Self::NotAnOpeningDay => "closed: not an opening day".to_owned(),
            Self::BankHoliday(name) | Self::Closure(name) => format!("closed: {name}"),
        }
    }
}

/// A closure period entered by the setting, inclusive of both dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// `bank_holiday`, `term_break`, `training_day` or `other`.
    pub kind: String,
    pub name: String,
}

/// A setting's calendar facts: time zone, opening weekdays, sessions and closures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingCalendar {
    pub time_zone: Tz,
    /// Weekdays the setting opens, Monday first.
    pub open_weekdays: Vec<Weekday>,
    pub sessions: Vec<SessionTime>,
    pub closures: Vec<Closure>,
}

impl SettingCalendar {
    /// Returns why the setting is closed on `date`, or `None` when it is open.
    pub fn closed_reason(&self, date: NaiveDate) -> Option<ClosedReason> {
        if !self.open_weekdays.contains(&date.weekday()) {
            return Some(ClosedReason::NotAnOpeningDay);
        }
        if let Some(closure) = self
            .closures
            .iter()
            .find(|closure| closure.first_day <= date && date <= closure.last_day)
        {
            return Some(ClosedReason::Closure(closure.name.clone()));
        }
        bank_holiday_name(date).map(|name| ClosedReason::BankHoliday(name.to_owned()))
    }

    /// Returns the setting's local date at `instant`.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        local_date(self.time_zone, instant)
    }

    /// Returns the UTC instant of `time` on the setting's local `date`.
    pub fn instant_at(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        instant_at(self.time_zone, date, time)
    }

    /// Finds a session by its code.
    pub fn session(&self, code: &str) -> Option<&SessionTime> {
        self.sessions.iter().find(|session| session.code == code)
    }
}

/// Returns the local date in `zone` at `instant`.
pub fn local_date(zone: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// Formats `instant` as a 24-hour local time such as `08:12`.
pub fn local_time_label(zone: Tz, instant: DateTime<Utc>) -> String {
    instant.with_timezone(&zone).format("%H:%M").to_string()
}

/// Returns the UTC instant of a local wall-clock time. In the hour skipped when clocks go
/// forward the time is read as the instant just after the gap; in the repeated hour when
/// clocks go back the earlier instant is used.
pub fn instant_at(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(local) => local.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            let later = naive + chrono::Duration::hours(1);
            zone.from_local_datetime(&later).earliest().map_or_else(
                || Utc.from_utc_datetime(&naive),
                |local| local.with_timezone(&Utc),
            )
        }
    }
}

/// Parses a weekday pattern such as `Mon,Tue,Wed` (case-insensitive, any order).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    text.trim().parse::<Weekday>().ok()
}

/// Returns the short English name of `weekday`, for example `Mon`.
pub fn weekday_short(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> SettingCalendar {
        SettingCalendar {
            time_zone: DEFAULT_TIME_ZONE,
            open_weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            sessions: vec![],
            closures: vec![Closure {
                first_day: NaiveDate::from_ymd_opt(2026, 10, 26).unwrap(),
                last_day: NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
                kind: "term_break".into(),
                name: "Half-term".into(),
            }],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn mark_at_half_past_midnight_in_summer_is_that_local_day() {
        // 00:30 BST on 15 July 2026 is 23:30 UTC on 14 July.
        let instant = Utc.with_ymd_and_hms(2026, 7, 14, 23, 30, 0).unwrap();
        assert_eq!(calendar().local_date(instant), day(2026, 7, 15));
    }

    #[test]
    fn winter_local_date_equals_utc_date() {
        let instant = Utc.with_ymd_and_hms(2026, 12, 4, 23, 30, 0).unwrap();
        assert_eq!(calendar().local_date(instant), day(2026, 12, 4));
    }

    #[test]
    fn closed_reasons() {
        let calendar = calendar();
        assert_eq!(calendar.closed_reason(day(2026, 12, 4)), None);
        assert_eq!(
            calendar.closed_reason(day(2026, 12, 5)),
            Some(ClosedReason::NotAnOpeningDay)
        );
        assert_eq!(
            calendar.closed_reason(day(2026, 10, 28)),
            Some(ClosedReason::Closure("Half-term".into()))
        );
        assert_eq!(
            calendar.closed_reason(day(2026, 12, 25)),
            Some(ClosedReason::BankHoliday("Christmas Day".into()))
        );
    }

    #[test]
    fn instant_at_handles_clock_changes() {
        let zone = DEFAULT_TIME_ZONE;
        let summer = instant_at(
            zone,
            day(2026, 7, 15),
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        );
        assert_eq!(summer, Utc.with_ymd_and_hms(2026, 7, 15, 7, 0, 0).unwrap());
        // 01:30 on 29 March 2026 does not exist in London: it reads as 02:30 BST.
        let gap = instant_at(
            zone,
            day(2026, 3, 29),
            NaiveTime::from_hms_opt(1, 30, 0).unwrap(),
        );
        assert_eq!(gap, Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap());
    }
}
