//! A child's register status in words, and the counts shown above a register.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::events::Presence;

/// Register counts for a room or the whole setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Children booked today.
    pub expected: u32,
    /// Children here now, booked or not.
    pub here: u32,
    pub gone_home: u32,
    pub absent: u32,
    /// Booked children with no mark yet.
    pub not_yet_arrived: u32,
}

impl Counts {
    /// Adds one child's day to the counts.
    pub fn add(&mut self, booked: bool, presence: &Presence) {
        if booked {
            self.expected += 1;
        }
        match presence {
            Presence::Here { .. } => self.here += 1,
            Presence::GoneHome { .. } => self.gone_home += 1,
            Presence::Absent { .. } => self.absent += 1,
            Presence::NotMarked if booked => self.not_yet_arrived += 1,
            Presence::NotMarked => {}
        }
    }

    /// Adds another set of counts to this one.
    pub fn merge(&mut self, other: &Counts) {
        self.expected += other.expected;
        self.here += other.here;
        self.gone_home += other.gone_home;
        self.absent += other.absent;
        self.not_yet_arrived += other.not_yet_arrived;
    }
}

/// Describes a child's status in words, such as "Here since 08:12" or "Absent: illness".
/// `time_label` formats an instant as the setting's local time.
pub fn status_words(
    presence: &Presence,
    booked: bool,
    time_label: &dyn Fn(DateTime<Utc>) -> String,
) -> String {
    match presence {
        Presence::NotMarked if booked => "Expected".to_owned(),
        Presence::NotMarked => "Not booked today".to_owned(),
        Presence::Here { since } => format!("Here since {}", time_label(*since)),
        Presence::GoneHome { departed, .. } => format!("Gone home at {}", time_label(*departed)),
        Presence::Absent { reason, .. } => format!("Absent: {}", reason.label().to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::domain::reasons::AbsenceReason;

    fn label(instant: DateTime<Utc>) -> String {
        instant.format("%H:%M").to_string()
    }

    #[test]
    fn words_for_each_status() {
        let since = Utc.with_ymd_and_hms(2026, 12, 4, 8, 12, 0).unwrap();
        let absent = Presence::Absent {
            absence_id: Uuid::nil(),
            reason: AbsenceReason::Illness,
            note: None,
        };
        let cases = [
            (Presence::NotMarked, true, "Expected"),
            (Presence::NotMarked, false, "Not booked today"),
            (Presence::Here { since }, true, "Here since 08:12"),
            (
                Presence::GoneHome {
                    departed: since,
                    collected_by: None,
                },
                true,
                "Gone home at 08:12",
            ),
            (absent, true, "Absent: illness"),
        ];
        for (presence, booked, expected) in cases {
            assert_eq!(status_words(&presence, booked, &label), expected);
        }
    }

    #[test]
    fn counts_add_up() {
        let since = Utc.with_ymd_and_hms(2026, 12, 4, 8, 12, 0).unwrap();
        let mut counts = Counts::default();
        counts.add(true, &Presence::NotMarked);
        counts.add(true, &Presence::Here { since });
        counts.add(false, &Presence::Here { since });
        counts.add(false, &Presence::NotMarked);
        let expected = Counts {
            expected: 2,
            here: 2,
            gone_home: 0,
            absent: 0,
            not_yet_arrived: 1,
        };
        assert_eq!(counts, expected);
    }
}
