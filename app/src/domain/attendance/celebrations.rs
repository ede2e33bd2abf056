//! Positive milestones in a child's attendance for parents and the lobby display: a full week,
//! a run of full weeks, and a rise over the last six weeks. Only booked sessions count, so an
//! extra unbooked session never helps or hurts.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::figures::{Figures, Rate};
use super::sessions::SessionRecord;
use super::windows::{previous_six_weeks, rolling_six_weeks, DateRange};

/// A milestone worth celebrating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Celebration {
    /// Every booked session so far in the week starting on Monday `week` was attended, and
    /// there was at least one.
    FullWeek { week: NaiveDate },
    /// `weeks` consecutive weeks (2 or more) in which every booked session was attended.
    /// Weeks with no booked sessions are skipped.
    Streak { weeks: u32 },
    /// The rolling six weeks' rate rose from the six weeks before; `from` and `to` are the
    /// whole percentages rounded down.
    Improved { from: u32, to: u32 },
}

impl Celebration {
    /// Returns the milestone in a few warm words, such as "Every session this week".
    pub fn words(&self) -> String {
        match self {
            Self::FullWeek { .. } => "Every session this week".to_owned(),
            Self::Streak { weeks } => format!("{weeks} weeks in a row of every session"),
            Self::Improved { from, to } => {
                format!("Up from {from}% to {to}% over the last six weeks")
            }
        }
    }
}

/// The shortest run of full weeks reported as a [`Celebration::Streak`].
pub const MIN_STREAK_WEEKS: u32 = 2;

/// Returns the milestones reached by `today`, in the order full week, streak, improvement.
///
/// The current week counts towards a streak only when it is a full week so far, so the
/// streak otherwise runs back from last week. An improvement needs data in both six-week
/// windows and a rise of at least `improved_points` percentage points, compared exactly.
/// A threshold of 0 still needs a strict rise.
pub fn celebrations(
    records: &[SessionRecord],
    today: NaiveDate,
    improved_points: u32,
) -> Vec<Celebration> {
    let weeks = weekly_rates(records, today);
    let monday = monday_of(today);
    let mut found = Vec::new();
    if weeks.get(&monday).copied().is_some_and(full) {
        found.push(Celebration::FullWeek { week: monday });
    }
    let streak = streak_weeks(&weeks, monday);
    if streak >= MIN_STREAK_WEEKS {
        found.push(Celebration::Streak { weeks: streak });
    }
    if let Some(improved) = improved(records, today, improved_points) {
        found.push(improved);
    }
    found
}

/// Returns the rates of the six weeks before the rolling six weeks and of the rolling six
/// weeks, in that order, when both have booked sessions. A lobby screen ranks children by
/// these to show the most improved.
pub fn improvement(records: &[SessionRecord], today: NaiveDate) -> Option<(Rate, Rate)> {
    let previous = rate_in(records, previous_six_weeks(today));
    let rolling = rate_in(records, rolling_six_weeks(today));
    (previous.has_data() && rolling.has_data()).then_some((previous, rolling))
}

fn improved(records: &[SessionRecord], today: NaiveDate, points: u32) -> Option<Celebration> {
    let (previous, rolling) = improvement(records, today)?;
    let risen = rolling.risen_from(previous, points) == Some(true);
    let strictly = previous.risen_from(rolling, 0) == Some(false);
    if !(risen && strictly) {
        return None;
    }
    Some(Celebration::Improved {
        from: previous.percent_floor()?,
        to: rolling.percent_floor()?,
    })
}

/// Counts full weeks back from the week of `monday`. The current week is left out unless it
/// is full, and weeks with no booked sessions neither count nor end the run.
fn streak_weeks(weeks: &BTreeMap<NaiveDate, Rate>, monday: NaiveDate) -> u32 {
    let mut count = 0;
    for (week, rate) in weeks.range(..=monday).rev() {
        if !rate.has_data() || (*week == monday && !full(*rate)) {
            continue;
        }
        if !full(*rate) {
            break;
        }
        count += 1;
    }
    count
}

/// Returns the rate of booked sessions for each week up to and including `today`'s, keyed by
/// the week's Monday. Records after `today` are ignored.
fn weekly_rates(records: &[SessionRecord], today: NaiveDate) -> BTreeMap<NaiveDate, Rate> {
    let mut weeks: BTreeMap<NaiveDate, Figures> = BTreeMap::new();
    for record in records.iter().filter(|record| record.date <= today) {
        weeks.entry(monday_of(record.date)).or_default().add(record);
    }
    weeks
        .into_iter()
        .map(|(monday, figures)| (monday, figures.rate))
        .collect()
}

fn rate_in(records: &[SessionRecord], range: DateRange) -> Rate {
    Figures::from_records(records.iter().filter(|record| range.contains(record.date))).rate
}

/// Whether every booked session was attended and there was at least one.
fn full(rate: Rate) -> bool {
    rate.has_data() && rate.attended == rate.possible
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday().into())
}
