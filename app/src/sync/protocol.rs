//! The JSON exchanged with `POST /api/sync`, documented in `docs/sync.md`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::events::AttendanceEvent;
use crate::register::model::{RegisterView, RejectedEvent};

/// The fixed path of the sync endpoint.
pub const SYNC_PATH: &str = "/api/sync";
/// A tablet clock further than this from the server's is flagged, in seconds.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 5 * 60;
/// Maximum length of a device id, in characters.
pub const MAX_DEVICE_ID_CHARS: usize = 100;

/// A tablet's request: the marks the server has not acknowledged yet, and the tablet's position
/// in the server's changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The tablet's own id, made on the tablet and kept in its local storage.
    pub device_id: String,
    /// The room whose register the tablet shows.
    pub room_id: Uuid,
    /// The cursor from the last reply, or `None` to ask for the whole register.
    #[serde(default)]
    pub cursor: Option<String>,
    /// The tablet's own clock when it sent the request, uncorrected.
    pub device_now: DateTime<Utc>,
    /// Unacknowledged events, oldest first. An event already stored is acknowledged again and
    /// stored nothing new.
    #[serde(default)]
    pub events: Vec<AttendanceEvent>,
}

/// The server's clock compared with the tablet's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockCheck {
    /// Tablet clock minus server clock, in whole seconds: positive when the tablet is fast.
    pub offset_seconds: i64,
    /// Whether the offset is more than [`CLOCK_TOLERANCE_SECONDS`].
    pub flagged: bool,
}

impl ClockCheck {
    /// Compares a tablet's clock with the server's.
    pub fn compare(device_now: DateTime<Utc>, server_now: DateTime<Utc>) -> Self {
        let offset_seconds = (device_now - server_now).num_seconds();
        Self {
            offset_seconds,
            flagged: offset_seconds.abs() > CLOCK_TOLERANCE_SECONDS,
        }
    }

    /// Describes the offset for staff, such as "12 minutes fast".
    pub fn words(&self) -> String {
        let seconds = self.offset_seconds.abs();
        let minutes = (seconds + 30) / 60;
        let size = match (minutes, seconds) {
            (_, 1) => "1 second".to_owned(),
            (_, seconds) if seconds < 60 => format!("{seconds} seconds"),
            (1, _) => "1 minute".to_owned(),
            (minutes, _) if minutes < 120 => format!("{minutes} minutes"),
            (minutes, _) if minutes < 48 * 60 => format!("{} hours", minutes / 60),
            (minutes, _) => format!("{} days", minutes / (24 * 60)),
        };
        let direction = if self.offset_seconds >= 0 {
            "fast"
        } else {
            "slow"
        };
        format!("{size} {direction}")
    }
}

/// The server's reply to a sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    /// Ids of events now stored, including ones stored by an earlier send.
    pub accepted: Vec<Uuid>,
    /// Events not stored, with the reason in words.
    pub rejected: Vec<RejectedEvent>,
    /// The server's clock when it replied.
    pub server_now: DateTime<Utc>,
    pub clock: ClockCheck,
    /// The setting's local date at `server_now`; `events` and `register` are for this date.
    pub date: NaiveDate,
    /// The whole register, when the tablet sent no cursor, the day has changed or the roster
    /// (children, bookings, staff, collectors) has changed since the cursor.
    pub register: Option<RegisterView>,
    /// Events stored since the cursor for the room's children on `date`, from every device,
    /// including the ones just sent. Empty when `register` is given, because the register contains them all.
    pub events: Vec<AttendanceEvent>,
    /// The tablet's new position, to send with the next sync.
    pub cursor: String,
}

/// A position in the server's changes for one room on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub date: NaiveDate,
    /// The highest event sequence number the tablet has been sent.
    pub sequence: i64,
    /// A fingerprint of the roster the tablet holds.
    pub roster: u64,
}

impl Cursor {
    /// Encodes the cursor as the opaque string the tablet stores.
    pub fn encode(&self) -> String {
        format!("1.{}.{}.{:016x}", self.date, self.sequence, self.roster)
    }

    /// Reads a cursor this server made; `None` for anything else, which the server treats as
    /// no cursor at all.
    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        if parts.next()? != "1" {
            return None;
        }
        let date = parts.next()?.parse().ok()?;
        let sequence = parts.next()?.parse().ok()?;
        let roster = u64::from_str_radix(parts.next()?, 16).ok()?;
        if parts.next().is_some() || sequence < 0 {
            return None;
        }
        Some(Self {
            date,
            sequence,
            roster,
        })
    }
}

/// Returns a stable 64-bit fingerprint (FNV-1a) of some bytes, the same on every build and
/// platform.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn cursor_round_trips_and_refuses_strangers() {
        let cursor = Cursor {
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            sequence: 4031,
            roster: 0xdead_beef,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for bad in [
            "",
            "2.2026-12-02.1.0",
            "1.2026-13-02.1.0",
            "1.2026-12-02.-1.0",
            "1.x.1.0",
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_check_flags_beyond_five_minutes() {
        let server = Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap();
        let near = ClockCheck::compare(server + chrono::Duration::seconds(300), server);
        assert!(!near.flagged);
        assert_eq!(near.words(), "5 minutes fast");
        let far = ClockCheck::compare(server - chrono::Duration::seconds(301), server);
        assert!(far.flagged);
        assert_eq!(far.words(), "5 minutes slow");
        let days = ClockCheck::compare(server + chrono::Duration::days(2), server);
        assert_eq!(days.words(), "2 days fast");
        let hours = ClockCheck::compare(server - chrono::Duration::hours(30), server);
        assert_eq!(hours.words(), "30 hours slow");
    }

    #[test]
    fn fingerprint_is_fixed() {
        assert_eq!(fingerprint(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fingerprint(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
