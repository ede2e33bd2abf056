//! Attendance figures from session records: rates compared in whole numbers, bands, and
//! counts by reason and weekday.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::sessions::{Outcome, SessionRecord};
use crate::domain::reasons::AbsenceReason;

/// Attended possible sessions out of possible sessions. Comparisons are exact: no floating
/// point and no rounding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub attended: u32,
    pub possible: u32,
}

impl Rate {
    /// Whether there is anything to measure. With no possible sessions a rate is "no data"
    /// and no rule fires on it.
    pub fn has_data(self) -> bool {
        self.possible > 0
    }

    /// Whether the rate is strictly below `percent`; `None` with no data.
    pub fn below(self, percent: u32) -> Option<bool> {
        self.has_data()
            .then(|| u64::from(self.attended) * 100 < u64::from(percent) * u64::from(self.possible))
    }

    /// Whether the rate is `percent` or more; `None` with no data.
    pub fn at_least(self, percent: u32) -> Option<bool> {
        self.below(percent).map(|below| !below)
    }

    /// Whether this rate is at least `points` percentage points below `earlier`. `None` when
    /// either rate has no data.
    pub fn fallen_from(self, earlier: Rate, points: u32) -> Option<bool> {
        if !self.has_data() || !earlier.has_data() {
            return None;
        }
        // earlier.a/earlier.p - a/p >= points/100, multiplied out by 100·p·earlier.p.
        let lhs = 100
            * (i128::from(earlier.attended) * i128::from(self.possible)
                - i128::from(self.attended) * i128::from(earlier.possible));
        let rhs = i128::from(points) * i128::from(self.possible) * i128::from(earlier.possible);
        Some(lhs >= rhs)
    }

    /// Whether this rate is at least `points` percentage points above `earlier`.
    pub fn risen_from(self, earlier: Rate, points: u32) -> Option<bool> {
        let flipped = |rate: Rate| Rate {
            attended: rate.possible - rate.attended.min(rate.possible),
            possible: rate.possible,
        };
        flipped(self).fallen_from(flipped(earlier), points)
    }

    /// The whole percentage rounded down, so 89.95% reads 89% and never crosses a whole-number
    /// threshold upwards; `None` with no data.
    pub fn percent_floor(self) -> Option<u32> {
        self.has_data()
            .then(|| (u64::from(self.attended) * 100 / u64::from(self.possible)) as u32)
    }

    /// The percentage in words, such as "84%" or "no data".
    pub fn label(self) -> String {
        self.percent_floor()
            .map_or_else(|| "no data".to_owned(), |percent| format!("{percent}%"))
    }

    /// The rate with its sessions, such as "84% (21 of 25 sessions)".
    pub fn label_with_counts(self) -> String {
        if self.has_data() {
            format!(
                "{} ({} of {} sessions)",
                self.label(),
                self.attended,
                self.possible
            )
        } else {
            "no data (no booked sessions)".to_owned()
        }
    }
}

/// Counts for a set of session records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub rate: Rate,
    /// Attended possible sessions that began late.
    pub late: u32,
    /// Unbooked sessions attended. Shown, never counted in the rate.
    pub extra: u32,
    /// Missed possible sessions with no reason or "not yet known".
    pub unexplained: u32,
    /// Missed possible sessions by reason code; `not_recorded` when nothing was marked.
    pub by_reason: BTreeMap<String, u32>,
}

/// The code used in [`Figures::by_reason`] for a session with no mark at all.
pub const NOT_RECORDED: &str = "not_recorded";

/// The code used in [`Figures::by_reason`] for a session missed on a day the child came for
/// another part of it.
pub const PART_DAY: &str = "part_day";

/// Returns the label of a reason code from [`Figures::by_reason`].
pub fn reason_label(code: &str) -> &'static str {
    match AbsenceReason::from_code(code) {
        Some(reason) => reason.label(),
        None if code == PART_DAY => "Came for part of the day",
        None => "No mark recorded",
    }
}

impl Figures {
    /// Adds up `records`.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a SessionRecord>) -> Self {
        let mut figures = Figures::default();
        for record in records {
            figures.add(record);
        }
        figures
    }

    /// Adds one record.
    pub fn add(&mut self, record: &SessionRecord) {
        if !record.booked {
            if record.outcome.attended() {
                self.extra += 1;
            }
            return;
        }
        self.rate.possible += 1;
        match record.outcome {
            Outcome::Attended { late } => {
                self.rate.attended += 1;
                self.late += u32::from(late);
            }
            Outcome::Missed { reason } => {
                let code = match reason {
                    _ if record.part_day => PART_DAY,
                    Some(reason) => reason.code(),
                    None => NOT_RECORDED,
                };
                *self.by_reason.entry(code.to_owned()).or_default() += 1;
                self.unexplained += u32::from(record.unexplained());
            }
        }
    }

    /// Adds another set of figures to this one.
    pub fn merge(&mut self, other: &Figures) {
        self.rate.attended += other.rate.attended;
        self.rate.possible += other.rate.possible;
        self.late += other.late;
        self.extra += other.extra;
        self.unexplained += other.unexplained;
        for (code, count) in &other.by_reason {
            *self.by_reason.entry(code.clone()).or_default() += count;
        }
    }
}

/// Returns figures for each weekday from Monday to Sunday that has possible sessions.
pub fn by_weekday(records: &[SessionRecord]) -> Vec<(Weekday, Figures)> {
    let mut days: BTreeMap<u32, Figures> = BTreeMap::new();
    for record in records {
        days.entry(record.date.weekday().num_days_from_monday())
            .or_default()
            .add(record);
    }
    days.into_iter()
        .filter(|(_, figures)| figures.rate.has_data())
        .filter_map(|(day, figures)| {
            let weekday = Weekday::try_from(day as u8).ok()?;
            Some((weekday, figures))
        })
        .collect()
}

/// Returns figures for each week (starting Monday) that has records, oldest first.
pub fn by_week(records: &[SessionRecord]) -> Vec<(NaiveDate, Figures)> {
    let mut weeks: BTreeMap<NaiveDate, Figures> = BTreeMap::new();
    for record in records {
        let monday = record.date
            - chrono::Duration::days(record.date.weekday().num_days_from_monday().into());
        weeks.entry(monday).or_default().add(record);
    }
    weeks.into_iter().collect()
}

/// The lower bounds of a setting's attendance bands, in whole percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands {
    /// 97: the top band is this and above.
    pub excellent: u32,
    /// 95: the second band runs from this to just below `excellent`.
    pub good: u32,
    /// 90: below this is persistent absence.
    pub persistent: u32,
    /// 50: below this is severe absence.
    pub severe: u32,
}

impl Default for Bands {
    fn default() -> Self {
        Self {
            excellent: 97,
            good: 95,
            persistent: 90,
            severe: 50,
        }
    }
}

/// Where a rate falls among the bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Excellent,
    Good,
    Fair,
    Persistent,
    Severe,
    NoData,
}

impl Bands {
    /// Returns the band of `rate`. Boundaries belong to the higher band: exactly 90% is not
    /// persistent absence, exactly 50% is not severe.
    pub fn band(&self, rate: Rate) -> Band {
        let at_least = |percent| rate.at_least(percent) == Some(true);
        if !rate.has_data() {
            Band::NoData
        } else if at_least(self.excellent) {
            Band::Excellent
        } else if at_least(self.good) {
            Band::Good
        } else if at_least(self.persistent) {
            Band::Fair
        } else if at_least(self.severe) {
            Band::Persistent
        } else {
            Band::Severe
        }
    }

    /// Returns the band's label for managers, such as "95% to 97%".
    pub fn label(&self, band: Band) -> String {
        match band {
            Band::Excellent => format!("{}% or more", self.excellent),
            Band::Good => format!("{}% to under {}%", self.good, self.excellent),
            Band::Fair => format!("{}% to under {}%", self.persistent, self.good),
            Band::Persistent => format!("Persistent absence (under {}%)", self.persistent),
            Band::Severe => format!("Severe absence (under {}%)", self.severe),
            Band::NoData => "No data".to_owned(),
        }
    }

    /// Checks the bands are in order and within 1 to 100.
    pub fn check(&self) -> Result<(), String> {
        let Bands {
            excellent,
            good,
            persistent,
            severe,
        } = *self;
        if !(severe < persistent
            && persistent < good
            && good < excellent
            && excellent <= 100
            && severe >= 1)
        {
            return Err(format!(
                "bands must rise from severe to excellent between 1 and 100; got severe {severe}, \
                 persistent {persistent}, good {good}, excellent {excellent}"
            ));
        }
        Ok(())
    }
}
