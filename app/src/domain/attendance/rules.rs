//! The graduated response: which level the rules suggest for a child, and why, in words with
//! the figures. The rules only suggest; a manager confirms or dismisses each suggestion.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::figures::{Bands, Figures, Rate};
use super::sessions::SessionRecord;
use super::windows::{previous_six_weeks, rolling_six_weeks, DateRange, ROLLING_DAYS};

/// A setting's thresholds. Percentages are whole numbers and compared exactly. Every field is
/// required when decoding, so a form that leaves one out is rejected rather than reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    pub bands: Bands,
    /// Level 2 when the six-week rate is below this (90).
    pub low_rate: u32,
    /// Level 2 when the six-week rate fell by this many points or more (5)…
    pub fall_points: u32,
    /// …and is below this (95).
    pub fall_below: u32,
    /// Level 2 when one-day absences in six weeks reach this (3) and exceed the six weeks before.
    pub occasional_min: u32,
    /// Level 2 when the same weekday is missed this many times in six weeks (3).
    pub weekday_min: u32,
    /// Minutes after a session starts before an unmarked child joins the call list (30).
    pub call_after_minutes: u32,
    /// Consecutive booked days of unexplained absence that prompt a home visit (2).
    pub home_visit_days: u32,
    /// Weeks at Level 2 before Level 3 can be suggested (6).
    pub level3_weeks: u32,
    /// Points the six-week rate must have risen since Level 2 began to avoid Level 3 (5).
    pub level3_improvement: u32,
    /// Back to Level 1 when the six-week rate is at least this (95).
    pub back_to_universal: u32,
    /// Minutes after a session starts from which an arrival counts as late (15).
    pub late_after_minutes: u32,
    /// How many days ahead parents may report an absence (60).
    pub report_days_ahead: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            bands: Bands::default(),
            low_rate: 90,
            fall_points: 5,
            fall_below: 95,
            occasional_min: 3,
            weekday_min: 3,
            call_after_minutes: 30,
            home_visit_days: 2,
            level3_weeks: 6,
            level3_improvement: 5,
            back_to_universal: 95,
            late_after_minutes: 15,
            report_days_ahead: 60,
        }
    }
}

impl RuleSettings {
    /// Checks every threshold is in range, naming the first that is not.
    pub fn check(&self) -> Result<(), String> {
        self.bands.check()?;
        let percents = [
            ("low_rate", self.low_rate),
            ("fall_points", self.fall_points),
            ("fall_below", self.fall_below),
            ("level3_improvement", self.level3_improvement),
            ("back_to_universal", self.back_to_universal),
        ];
        for (name, value) in percents {
            if !(1..=100).contains(&value) {
                return Err(format!(
                    "{name} must be a whole number from 1 to 100; got {value}"
                ));
            }
        }
        let counts = [
            ("occasional_min", self.occasional_min, 30),
            ("weekday_min", self.weekday_min, 6),
            ("call_after_minutes", self.call_after_minutes, 240),
            ("home_visit_days", self.home_visit_days, 10),
            ("level3_weeks", self.level3_weeks, 52),
            ("late_after_minutes", self.late_after_minutes, 120),
            ("report_days_ahead", self.report_days_ahead, 366),
        ];
        for (name, value, most) in counts {
            if !(1..=most).contains(&value) {
                return Err(format!(
                    "{name} must be a whole number from 1 to {most}; got {value}"
                ));
            }
        }
        Ok(())
    }
}

/// A level of the graduated response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Level 1: universal.
    Universal,
    /// Level 2: early intervention with the family.
    EarlyIntervention,
    /// Level 3: targeted, multi-agency support.
    Targeted,
}

impl Level {
    /// The level's number: 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            Self::Universal => 1,
            Self::EarlyIntervention => 2,
            Self::Targeted => 3,
        }
    }

    /// Reads a level from its number.
    pub fn from_number(number: u8) -> Option<Self> {
        match number {
            1 => Some(Self::Universal),
            2 => Some(Self::EarlyIntervention),
            3 => Some(Self::Targeted),
            _ => None,
        }
    }

    /// Label such as "Level 2: early intervention".
    pub fn label(self) -> &'static str {
        match self {
            Self::Universal => "Level 1: universal",
            Self::EarlyIntervention => "Level 2: early intervention",
            Self::Targeted => "Level 3: targeted support",
        }
    }
}

/// Which rule produced a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    LowRate,
    Falling,
    OccasionalRising,
    SameWeekday,
    Unexplained,
    NotImproved,
    Sustained,
}

impl Rule {
    /// Stable code stored with decisions.
    pub fn code(self) -> &'static str {
        match self {
            Self::LowRate => "low_rate",
            Self::Falling => "falling",
            Self::OccasionalRising => "occasional_rising",
            Self::SameWeekday => "same_weekday",
            Self::Unexplained => "unexplained",
            Self::NotImproved => "not_improved",
            Self::Sustained => "sustained",
        }
    }
}

/// One rule that fired, with its explanation in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: Rule,
    pub words: String,
}

/// A suggested move to another level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub to: Level,
    pub reasons: Vec<Reason>,
}

impl Suggestion {
    /// Whether the suggestion celebrates progress (a move back to Level 1).
    pub fn is_progress(&self) -> bool {
        self.to == Level::Universal
    }
}

/// What the case log says about a child, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFacts {
    /// The confirmed level and the day it began; Level 1 with no date when never changed.
    pub level: Option<(Level, NaiveDate)>,
    /// The six-week rate when the current level began.
    pub rate_at_level_start: Option<Rate>,
    /// The first date since the current level began on which a team-around-the-family
    /// meeting or a family attendance target was recorded.
    pub plan_recorded: Option<NaiveDate>,
}

/// Figures for the two six-week windows the rules compare.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evidence {
    pub recent: Figures,
    pub previous: Figures,
    pub recent_range: Option<DateRange>,
    /// One-day absences in each window: booked days with at least one missed possible session
    /// whose neighbouring booked days, when there are any, were not wholly missed. So a day
    /// with only its afternoon missed counts, and two wholly missed days in a row do not.
    pub occasional_recent: u32,
    pub occasional_previous: u32,
    /// For each weekday, booked days with at least one missed possible session, and booked
    /// days, in the recent window.
    pub weekdays: BTreeMap<u32, (u32, u32)>,
    /// Dates in the recent window with an unexplained missed session.
    pub unexplained_days: Vec<NaiveDate>,
}

impl Evidence {
    /// Builds the evidence from a child's records covering at least the twelve weeks before
    /// `today`.
    pub fn gather(records: &[SessionRecord], today: NaiveDate) -> Self {
        let recent_range = rolling_six_weeks(today);
        let previous_range = previous_six_weeks(today);
        let in_range = |range: DateRange| {
            records
                .iter()
                .filter(move |record| range.contains(record.date))
        };
        let recent = Figures::from_records(in_range(recent_range));
        let previous = Figures::from_records(in_range(previous_range));
        let days = booked_days(records);
        let occasional = |range: DateRange| {
            one_day_absences(&days)
                .into_iter()
                .filter(|date| range.contains(*date))
                .count() as u32
        };
        let mut weekdays: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
        let mut unexplained_days = Vec::new();
        for (date, day) in days
            .iter()
            .filter(|(date, _)| recent_range.contains(**date))
        {
            let entry = weekdays
                .entry(date.weekday().num_days_from_monday())
                .or_default();
            entry.1 += 1;
            entry.0 += u32::from(day.missed > 0);
            if day.unexplained {
                unexplained_days.push(*date);
            }
        }
        Self {
            occasional_recent: occasional(recent_range),
            occasional_previous: occasional(previous_range),
            recent,
            previous,
            recent_range: Some(recent_range),
            weekdays,
            unexplained_days,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct BookedDay {
    possible: u32,
    missed: u32,
    unexplained: bool,
}

fn booked_days(records: &[SessionRecord]) -> BTreeMap<NaiveDate, BookedDay> {
    let mut days: BTreeMap<NaiveDate, BookedDay> = BTreeMap::new();
    for record in records.iter().filter(|record| record.booked) {
        let day = days.entry(record.date).or_default();
        day.possible += 1;
        if !record.outcome.attended() {
            day.missed += 1;
            day.unexplained |= record.unexplained();
        }
    }
    days
}

/// Dates of absences that last one booked day or less: some possible session of the day was
/// missed, and the booked days before and after (when there are any) were not wholly missed.
fn one_day_absences(days: &BTreeMap<NaiveDate, BookedDay>) -> Vec<NaiveDate> {
    let list: Vec<(&NaiveDate, &BookedDay)> = days.iter().collect();
    let whole = |day: &BookedDay| day.missed == day.possible;
    list.iter()
        .enumerate()
        .filter(|(index, (_, day))| {
            day.missed > 0
                && (*index == 0 || !whole(list[index - 1].1))
                && list.get(index + 1).is_none_or(|(_, next)| !whole(next))
        })
        .map(|(_, (date, _))| **date)
        .collect()
}

/// Returns the suggested move for a child, if any. `today` is the setting's local date.
pub fn suggest(
    settings: &RuleSettings,
    evidence: &Evidence,
    case: &CaseFacts,
    today: NaiveDate,
) -> Option<Suggestion> {
    let (level, since) = case
        .level
        .map_or((Level::Universal, None), |(level, since)| {
            (level, Some(since))
        });
    match level {
        Level::Universal => {
            let reasons = early_intervention_reasons(settings, evidence);
            (!reasons.is_empty()).then_some(Suggestion {
                to: Level::EarlyIntervention,
                reasons,
            })
        }
        Level::EarlyIntervention | Level::Targeted => {
            let six_weeks_at_level =
                since.is_none_or(|since| today - since >= Duration::days(ROLLING_DAYS));
            let back = six_weeks_at_level
                .then(|| back_to_universal(settings, evidence))
                .flatten();
            back.or_else(|| {
                (level == Level::EarlyIntervention)
                    .then(|| targeted(settings, evidence, case, since?, today))
                    .flatten()
            })
        }
    }
}

/// The Level 2 rules that fire, each with its reason in words.
pub fn early_intervention_reasons(settings: &RuleSettings, evidence: &Evidence) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let recent = evidence.recent.rate;
    let previous = evidence.previous.rate;
    if recent.below(settings.low_rate) == Some(true) {
        reasons.push(Reason {
            rule: Rule::LowRate,
            words: format!(
                "{} over the last 6 weeks ({} of {} sessions), below {}%",
                recent.label(),
                recent.attended,
                recent.possible,
                settings.low_rate
            ),
        });
    }
    if recent.fallen_from(previous, settings.fall_points) == Some(true)
        && recent.below(settings.fall_below) == Some(true)
    {
        reasons.push(Reason {
            rule: Rule::Falling,
            words: format!(
                "{} over the last 6 weeks ({} of {} sessions), down from {} in the 6 weeks before",
                recent.label(),
                recent.attended,
                recent.possible,
                previous.label()
            ),
        });
    }
    if evidence.occasional_recent >= settings.occasional_min
        && evidence.occasional_recent > evidence.occasional_previous
    {
        reasons.push(Reason {
            rule: Rule::OccasionalRising,
            words: format!(
                "{} one-day absences in the last 6 weeks, up from {} in the 6 weeks before",
                evidence.occasional_recent, evidence.occasional_previous
            ),
        });
    }
    for (day, (missed, booked)) in &evidence.weekdays {
        if *missed >= settings.weekday_min {
            let name = Weekday::try_from(*day as u8).map_or("", weekday_plural);
            reasons.push(Reason {
                rule: Rule::SameWeekday,
                words: format!("missed {missed} of {booked} {name} in the last 6 weeks"),
            });
        }
    }
    if let Some(latest) = evidence.unexplained_days.last() {
        let count = evidence.unexplained_days.len();
        let days = if count == 1 { "day" } else { "days" };
        reasons.push(Reason {
            rule: Rule::Unexplained,
            words: format!(
                "{count} {days} of absence with no reason given in the last 6 weeks, most recently {}",
                latest.format("%A %-d %B")
            ),
        });
    }
    reasons
}

fn back_to_universal(settings: &RuleSettings, evidence: &Evidence) -> Option<Suggestion> {
    let recent = evidence.recent.rate;
    (recent.at_least(settings.back_to_universal) == Some(true)).then(|| Suggestion {
        to: Level::Universal,
        reasons: vec![Reason {
            rule: Rule::Sustained,
            words: format!(
                "progress made: {} over the last 6 weeks ({} of {} sessions), {}% or more",
                recent.label(),
                recent.attended,
                recent.possible,
                settings.back_to_universal
            ),
        }],
    })
}

fn targeted(
    settings: &RuleSettings,
    evidence: &Evidence,
    case: &CaseFacts,
    since: NaiveDate,
    today: NaiveDate,
) -> Option<Suggestion> {
    let weeks = Duration::weeks(settings.level3_weeks.into());
    if today - since < weeks {
        return None;
    }
    let plan = case.plan_recorded?;
    let recent = evidence.recent.rate;
    let start = case.rate_at_level_start.unwrap_or(evidence.previous.rate);
    if recent.risen_from(start, settings.level3_improvement) != Some(false) {
        return None;
    }
    Some(Suggestion {
        to: Level::Targeted,
        reasons: vec![Reason {
            rule: Rule::NotImproved,
            words: format!(
                "at Level 2 since {}, with a family plan recorded on {}; {} over the last 6 weeks \
                 ({} of {} sessions), was {} when Level 2 began: not up by {} points",
                since.format("%-d %B %Y"),
                plan.format("%-d %B %Y"),
                recent.label(),
                recent.attended,
                recent.possible,
                start.label(),
                settings.level3_improvement
            ),
        }],
    })
}

fn weekday_plural(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mondays",
        Weekday::Tue => "Tuesdays",
        Weekday::Wed => "Wednesdays",
        Weekday::Thu => "Thursdays",
        Weekday::Fri => "Fridays",
        Weekday::Sat => "Saturdays",
        Weekday::Sun => "Sundays",
    }
}
