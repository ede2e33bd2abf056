//! Columns and status codes of the register export, which a history import reads back.

use crate::domain::attendance::sessions::{Outcome, SessionRecord};

/// Columns of the register export, which a history import reads too, in file order.
pub const REGISTER_COLUMNS: [&str; 8] = [
    "child",
    "date",
    "session",
    "status",
    "arrival",
    "departure",
    "reason",
    "recorded_by",
];

/// Outcome of one booked or attended session, as the register export writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    /// Booked and attended, arriving on time.
    Attended,
    /// Booked and attended, arriving after the session's start plus the late margin.
    Late,
    /// Booked and missed with an absence reason.
    Absent,
    /// Booked, started, and with no mark at all.
    NotRecorded,
    /// Attended without a booking.
    Extra,
}

impl SessionStatus {
    /// Every status, in the order the documentation lists them.
    pub const ALL: [Self; 5] = [
        Self::Attended,
        Self::Late,
        Self::Absent,
        Self::NotRecorded,
        Self::Extra,
    ];

    /// Returns the code written in the `status` column.
    pub fn code(self) -> &'static str {
        match self {
            Self::Attended => "attended",
            Self::Late => "late",
            Self::Absent => "absent",
            Self::NotRecorded => "not_recorded",
            Self::Extra => "extra",
        }
    }

    /// Parses a code returned by [`SessionStatus::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Returns the status of a session record.
    pub fn of_record(record: &SessionRecord) -> Self {
        match record.outcome {
            Outcome::Attended { .. } if !record.booked => Self::Extra,
            Outcome::Attended { late: true } => Self::Late,
            Outcome::Attended { late: false } => Self::Attended,
            Outcome::Missed { reason: Some(_) } => Self::Absent,
            Outcome::Missed { reason: None } => Self::NotRecorded,
        }
    }

    /// Returns whether the child was at the setting for the session.
    pub fn present(self) -> bool {
        matches!(self, Self::Attended | Self::Late | Self::Extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for status in SessionStatus::ALL {
            assert_eq!(SessionStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(SessionStatus::from_code("present"), None);
    }
}
