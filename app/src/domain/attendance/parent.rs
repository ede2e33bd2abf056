//! What parents and carers see of their own child's attendance: a period's sessions with a
//! friendly band, in the same positive voice as the lobby display.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::figures::{Band, Bands, Figures};
use crate::domain::absence_report::parent_reason_label;
use crate::domain::events::Presence;
use crate::domain::reasons::AbsenceReason;

/// One period of a child's attendance, as a parent sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentPeriod {
    /// "This week", "This half-term", "This school year".
    pub name: String,
    pub attended: u32,
    pub possible: u32,
    /// The percentage rounded down, or `None` when nothing was booked yet.
    pub percent: Option<u32>,
    /// Friendly words for the band, such as "Very good".
    pub band: String,
}

impl ParentPeriod {
    /// Builds a period from its figures and the setting's bands.
    pub fn new(name: &str, figures: &Figures, bands: &Bands) -> Self {
        Self {
            name: name.to_owned(),
            attended: figures.rate.attended,
            possible: figures.rate.possible,
            percent: figures.rate.percent_floor(),
            band: friendly_band(bands.band(figures.rate)).to_owned(),
        }
    }

    /// The sessions in words, such as "9 of 10 sessions".
    pub fn sessions_words(&self) -> String {
        match self.possible {
            0 => "No booked sessions yet".to_owned(),
            1 => format!("{} of 1 session", self.attended),
            possible => format!("{} of {possible} sessions", self.attended),
        }
    }
}

/// Returns the words a parent sees for a band. Below the persistent-absence line the words
/// invite rather than judge.
pub fn friendly_band(band: Band) -> &'static str {
    match band {
        Band::Excellent => "Excellent",
        Band::Good => "Very good",
        Band::Fair => "Good",
        Band::Persistent | Band::Severe => "Every day counts: we are here to help",
        Band::NoData => "Nothing booked yet",
    }
}

/// Describes a child's day so far for their parent, such as "Arrived at 08:12" or "Collected
/// by Grandma at 15:30". `reported` is the reason from the parent's own report for today, and
/// `time_label` formats an instant as the setting's local time.
pub fn today_words(
    presence: &Presence,
    booked: bool,
    reported: Option<AbsenceReason>,
    time_label: &dyn Fn(DateTime<Utc>) -> String,
) -> String {
    match presence {
        Presence::NotMarked => match reported {
            Some(reason) => format!(
                "Away: you told us ({})",
                parent_reason_label(reason).to_lowercase()
            ),
            None if booked => "Expected, not arrived yet".to_owned(),
            None => "Not booked".to_owned(),
        },
        Presence::Here { since } => format!("Arrived at {}", time_label(*since)),
        Presence::GoneHome {
            departed,
            collected_by: Some(collector),
        } => format!(
            "Collected by {} at {}",
            collector.name,
            time_label(*departed)
        ),
        Presence::GoneHome { departed, .. } => format!("Went home at {}", time_label(*departed)),
        Presence::Absent { reason, .. } => {
            format!("Away: {}", parent_reason_label(*reason).to_lowercase())
        }
    }
}
