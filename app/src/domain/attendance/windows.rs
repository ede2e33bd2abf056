//! Date windows for figures: this week, the rolling six weeks, half-term, term, school year
//! and custom ranges. Every range includes both ends.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::bank_holidays::easter_sunday;
use crate::domain::calendar::SettingCalendar;

/// Days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The longest custom range, in days: a little over two school years.
pub const MAX_RANGE_DAYS: i64 = 800;

impl DateRange {
    /// Checks a custom range: `from` on or before `to`, and no longer than
    /// [`MAX_RANGE_DAYS`].
    pub fn custom(from: NaiveDate, to: NaiveDate) -> Result<Self, String> {
        if from > to {
            return Err(format!(
                "the start date {from} is after the end date {to}; swap them"
            ));
        }
        if (to - from).num_days() >= MAX_RANGE_DAYS {
            return Err(format!(
                "the range {from} to {to} is longer than {MAX_RANGE_DAYS} days; choose a shorter one"
            ));
        }
        Ok(Self { from, to })
    }

    /// Whether `date` lies in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The range in words, such as "2 Sep 2026 to 3 Dec 2026".
    pub fn label(&self) -> String {
        format!(
            "{} to {}",
            self.from.format("%-d %b %Y"),
            self.to.format("%-d %b %Y")
        )
    }
}

/// The years a date for the register, a case log or an export may fall in.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Checks a typed date lies in [`PLAUSIBLE_YEARS`], naming it otherwise.
pub fn check_plausible(date: NaiveDate) -> Result<NaiveDate, String> {
    if PLAUSIBLE_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!(
            "{date} is outside the years {} to {}; check the year",
            PLAUSIBLE_YEARS.start(),
            PLAUSIBLE_YEARS.end()
        ))
    }
}

/// Shortens a typed value for an error message to at most 40 characters.
pub fn quoted_value(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("\"{short}…\"")
    } else {
        format!("\"{short}\"")
    }
}

/// Length of the rolling window the graduated response looks at, in days.
pub const ROLLING_DAYS: i64 = 42;

/// Monday to Sunday of the week containing `today`.
pub fn this_week(today: NaiveDate) -> DateRange {
    let monday = today - Duration::days(today.weekday().num_days_from_monday().into());
    DateRange {
        from: monday,
        to: monday + Duration::days(6),
    }
}

/// The week before [`this_week`].
pub fn last_week(today: NaiveDate) -> DateRange {
    this_week(today - Duration::days(7))
}

/// The last six weeks: the 42 days up to and including yesterday. Today is left out so the
/// figures a manager acts on do not change while the morning's marks come in.
pub fn rolling_six_weeks(today: NaiveDate) -> DateRange {
    DateRange {
        from: today - Duration::days(ROLLING_DAYS),
        to: today - Duration::days(1),
    }
}

/// The six weeks before [`rolling_six_weeks`].
pub fn previous_six_weeks(today: NaiveDate) -> DateRange {
    DateRange {
        from: today - Duration::days(2 * ROLLING_DAYS),
        to: today - Duration::days(ROLLING_DAYS + 1),
    }
}

/// The school year containing `date`: 1 September to 31 August.
pub fn school_year(date: NaiveDate) -> DateRange {
    let start_year = if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    };
    DateRange {
        from: ymd(start_year, 9, 1),
        to: ymd(start_year + 1, 8, 31),
    }
}

/// The three terms of the school year containing `date`: autumn from 1 September to
/// 31 December, spring from 1 January to Easter Sunday, summer from Easter Monday to
/// 31 August.
pub fn terms(date: NaiveDate) -> [(&'static str, DateRange); 3] {
    let year = school_year(date);
    let easter = easter_sunday(year.to.year());
    [
        (
            "Autumn term",
            DateRange {
                from: year.from,
                to: ymd(year.from.year(), 12, 31),
            },
        ),
        (
            "Spring term",
            DateRange {
                from: ymd(year.to.year(), 1, 1),
                to: easter,
            },
        ),
        (
            "Summer term",
            DateRange {
                from: easter + Duration::days(1),
                to: year.to,
            },
        ),
    ]
}

/// The term containing `date`, with its name.
pub fn term(date: NaiveDate) -> (&'static str, DateRange) {
    terms(date)
        .into_iter()
        .find(|(_, range)| range.contains(date))
        .unwrap_or(("Autumn term", school_year(date)))
}

/// The term before the one containing `date`.
pub fn previous_term(date: NaiveDate) -> (&'static str, DateRange) {
    term(term(date).1.from - Duration::days(1))
}

/// The half-term containing `date`. A term is split by the setting's first term-break
/// closure that lies wholly inside it: the first half runs to the break's last day (the break
/// itself has no possible sessions) and the second starts the day after. A term with no such
/// break is split at its middle day.
pub fn half_term(calendar: &SettingCalendar, date: NaiveDate) -> DateRange {
    let (_, term) = term(date);
    let inside = calendar.closures.iter().find(|closure| {
        closure.kind == "term_break" && closure.first_day > term.from && closure.last_day < term.to
    });
    let (first_end, second_start) = match inside {
        Some(closure) => (closure.last_day, closure.last_day + Duration::days(1)),
        None => {
            let middle = term.from + Duration::days((term.to - term.from).num_days() / 2);
            (middle, middle + Duration::days(1))
        }
    };
    if date <= first_end {
        DateRange {
            from: term.from,
            to: first_end,
        }
    } else {
        DateRange {
            from: second_start,
            to: term.to,
        }
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}
