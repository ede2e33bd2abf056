//! What the follow-up pages show, built on the server and sent to the browser.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::attendance::figures::{Figures, Rate};
use crate::domain::attendance::rules::{Level, Reason};
use crate::domain::status::Counts;

/// A phone number to call about a child who has not arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLine {
    pub name: String,
    pub relationship: String,
    pub phone: Option<String>,
}

/// A child on this morning's call list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallLine {
    pub child: Uuid,
    pub name: String,
    pub room: String,
    /// "Expected at 08:00".
    pub expected: String,
    pub contacts: Vec<ContactLine>,
    /// Today's calls in words, oldest first.
    pub calls: Vec<String>,
}

/// A safeguarding prompt to arrange a home visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptLine {
    pub child: Uuid,
    pub name: String,
    pub room: String,
    pub words: String,
}

/// A suggested level change waiting for the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionLine {
    pub child: Uuid,
    pub name: String,
    pub room: String,
    pub current: Level,
    pub to: Level,
    pub reasons: Vec<Reason>,
    /// The child has special educational needs support: involve the SENCO.
    pub sen: bool,
}

/// A case review that is due or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub child: Uuid,
    pub name: String,
    pub room: String,
    pub due: NaiveDate,
    pub overdue: bool,
    pub level: Level,
}

/// Today's counts for one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCounts {
    pub name: String,
    pub counts: Counts,
}

/// The manager's morning view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MorningView {
    pub setting_name: String,
    /// "Friday 4 December".
    pub today: String,
    /// Why the setting is closed today, when it is.
    pub closed: Option<String>,
    pub calls: Vec<CallLine>,
    /// Minutes after a session starts before a child joins the call list.
    pub call_after: u32,
    pub prompts: Vec<PromptLine>,
    /// Absences parents reported for today, which keep those children off the call list.
    #[serde(default)]
    pub reported: Vec<PromptLine>,
    pub suggestions: Vec<SuggestionLine>,
    pub reviews: Vec<ReviewLine>,
    pub rooms: Vec<RoomCounts>,
}

/// Figures for a named period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFigures {
    /// "This week", "Autumn term".
    pub name: String,
    /// "30 Nov 2026 to 6 Dec 2026".
    pub dates: String,
    pub figures: Figures,
}

/// A labelled row of figures, such as one room or one weekday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureRow {
    pub label: String,
    pub figures: Figures,
}

/// A rate at a point on a chart, such as a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartPoint {
    /// Short label under the bar, such as "30 Nov".
    pub label: String,
    pub rate: Rate,
}

/// The setting dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub setting_name: String,
    pub this_week: PeriodFigures,
    pub last_week: PeriodFigures,
    pub half_term: PeriodFigures,
    pub this_term: PeriodFigures,
    pub last_term: PeriodFigures,
    pub school_year: PeriodFigures,
    /// The period the breakdowns below cover: this term, or the custom range asked for.
    pub period: PeriodFigures,
    /// `YYYY-MM-DD` ends of the period, for the range form and the export links.
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub rooms: Vec<FigureRow>,
    pub weekdays: Vec<FigureRow>,
    /// Missed sessions by reason label.
    pub reasons: Vec<(String, u32)>,
    /// Children with data in the period, and how many are below the persistent and severe
    /// thresholds.
    pub children_counted: u32,
    pub persistent: u32,
    pub severe: u32,
    pub persistent_below: u32,
    pub severe_below: u32,
    pub weekly: Vec<ChartPoint>,
}

/// One entry of a child's level history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelLine {
    pub level: Level,
    pub since: String,
    pub note: String,
    pub by: String,
}

/// One entry of a child's case log in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLine {
    pub id: Uuid,
    pub on: String,
    pub action: String,
    pub outcome: String,
    pub review: Option<String>,
    /// "Corrects the entry of 3 Dec: Call made".
    pub corrects: Option<String>,
    pub by: String,
}

/// The manager's page for one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildReport {
    pub id: Uuid,
    pub name: String,
    pub room: String,
    pub key_person: Option<String>,
    pub sen: bool,
    pub level: Level,
    pub level_since: Option<String>,
    pub year: PeriodFigures,
    pub recent: PeriodFigures,
    pub previous: PeriodFigures,
    pub weekly: Vec<ChartPoint>,
    pub weekdays: Vec<FigureRow>,
    pub reasons: Vec<(String, u32)>,
    pub suggestion: Option<SuggestionLine>,
    pub levels: Vec<LevelLine>,
    pub log: Vec<CaseLine>,
    pub review_due: Option<String>,
    /// Letters sent, newest first, in words.
    pub letters: Vec<String>,
    /// Absences parents reported from today on, not withdrawn, in words with their notes.
    #[serde(default)]
    pub reported: Vec<String>,
    /// Today's date as `YYYY-MM-DD`, the default for new entries.
    pub today: NaiveDate,
    /// The persistent-absence threshold the weekly chart marks, in whole percent.
    pub threshold: u32,
}

/// A letter filled from a child's figures, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub child: Uuid,
    pub child_name: String,
    pub kind: String,
    pub title: String,
    pub date: String,
    pub body: String,
}
