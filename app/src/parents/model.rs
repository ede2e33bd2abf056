//! Data the parent's page receives from the server.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::attendance::parent::ParentPeriod;
use crate::domain::attendance::term_calendar::CalendarWeek;

/// Everything on a parent's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParentHome {
    pub setting_name: String,
    pub children: Vec<MyChild>,
    /// Reasons a parent may give, as (code, label).
    pub reasons: Vec<(String, String)>,
    /// The setting's local date today: the first day a report may cover.
    pub today: NaiveDate,
    /// The last day a report may reach.
    pub furthest: NaiveDate,
}

/// One of the parent's children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyChild {
    pub id: Uuid,
    pub first_name: String,
    pub room: String,
    /// Today's status in words, such as "Arrived at 08:12".
    pub today: String,
    /// This week, this half-term and this school year.
    pub periods: Vec<ParentPeriod>,
    /// Celebrations earned, in words.
    pub celebrations: Vec<String>,
    /// The sessions the child is booked for on some weekday, as (code, name).
    pub sessions: Vec<(String, String)>,
    /// Reports from today on, withdrawn ones left out.
    pub reports: Vec<ReportLine>,
    /// The term's name and its calendar.
    pub term: String,
    pub calendar: Vec<CalendarWeek>,
    pub letters: Vec<LetterLine>,
    /// An id for the next report, so a form sent twice without the app stores one report.
    pub next_report: Uuid,
}

/// A report as its parent sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub id: Uuid,
    /// "Monday 7 December 2026", or a range.
    pub days: String,
    /// "Illness", with the sessions when not the whole day.
    pub reason: String,
    pub note: Option<String>,
    /// True until the report's first day comes.
    pub may_withdraw: bool,
}

/// A letter the setting sent about the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterLine {
    pub title: String,
    /// "Friday 4 December 2026".
    pub sent: String,
    pub body: String,
}
