//! The formats the tablet keeps in local storage. Each stored value is wrapped in an envelope
//! with a format number, so a newer app can read what an older one wrote and an older app
//! never overwrites what a newer one wrote. Format 1 is the first.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::outbox::Outbox;
use super::protocol::ClockCheck;
use crate::register::model::RegisterView;

/// The format this build writes.
pub const FORMAT: u32 = 1;
/// Local storage key of the outbox, shared by every room on the tablet.
pub const OUTBOX_KEY: &str = "here-today.outbox";

/// Returns the local storage key of a room's last known register.
pub fn room_key(room: Uuid) -> String {
    format!("here-today.room.{room}")
}

/// A room's register as last known on the tablet, with where its sync got to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomSnapshot {
    /// The roster and every event known for the day, including marks still waiting to be sent.
    pub view: RegisterView,
    /// The cursor from the server's last reply.
    pub cursor: Option<String>,
    /// When the server last replied to a sync, by the server's clock.
    pub synced_at: Option<DateTime<Utc>>,
    /// Server clock minus tablet clock, in milliseconds, measured at the last sync.
    pub skew_millis: i64,
    /// The server's last verdict on the tablet's clock.
    #[serde(default)]
    pub clock: Option<ClockCheck>,
}

/// The reason a stored value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredProblem {
    /// A newer version of the app wrote it; leave it alone until the app updates.
    Newer(u32),
    /// It is in no format this app reads; keep a copy aside and start afresh.
    Unreadable(String),
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    format: u32,
    saved_at: DateTime<Utc>,
    data: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn {
    format: u32,
    data: serde_json::Value,
}

/// Wraps a value in the current format's envelope, as JSON.
pub fn encode<T: Serialize>(value: &T, saved_at: DateTime<Utc>) -> String {
    let envelope = EnvelopeOut {
        format: FORMAT,
        saved_at,
        data: value,
    };
    // Outbox and snapshot hold only strings, numbers and string-keyed maps.
    serde_json::to_string(&envelope).expect("stored values serialise to JSON")
}

/// Reads a value written by this or an older version of the app.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, StoredProblem> {
    let envelope: EnvelopeIn =
        serde_json::from_str(text).map_err(|error| StoredProblem::Unreadable(error.to_string()))?;
    match envelope.format {
        1 => serde_json::from_value(envelope.data)
            .map_err(|error| StoredProblem::Unreadable(error.to_string())),
        newer if newer > FORMAT => Err(StoredProblem::Newer(newer)),
        other => Err(StoredProblem::Unreadable(format!("unknown format {other}"))),
    }
}

/// Reads a stored outbox.
pub fn decode_outbox(text: &str) -> Result<Outbox, StoredProblem> {
    decode(text)
}

/// Reads a stored room snapshot.
pub fn decode_room(text: &str) -> Result<RoomSnapshot, StoredProblem> {
    decode(text)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// Written by format 1 of the app; later formats must keep reading it.
    const OUTBOX_V1: &str = include_str!("fixtures/outbox-v1.json");
    const ROOM_V1: &str = include_str!("fixtures/room-v1.json");

    #[test]
    fn reads_format_one_outbox() {
        let outbox = decode_outbox(OUTBOX_V1).unwrap();
        assert_eq!(outbox.pending.len(), 2);
        assert_eq!(outbox.pending[1].action.kind(), "departed");
        assert_eq!(outbox.rejected.len(), 1);
        assert!(outbox.rejected[0].message.contains("closed"));
    }

    #[test]
    fn reads_format_one_room() {
        let room = decode_room(ROOM_V1).unwrap();
        assert_eq!(room.view.room.name, "Caterpillars");
        assert_eq!(room.view.children.len(), 1);
        assert_eq!(room.view.children[0].events.len(), 1);
        assert_eq!(room.skew_millis, -1500);
        assert!(room.clock.is_some_and(|clock| !clock.flagged));
    }

    #[test]
    fn round_trips_and_refuses_newer_or_broken_text() {
        let outbox = decode_outbox(OUTBOX_V1).unwrap();
        let saved_at = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        assert_eq!(decode_outbox(&encode(&outbox, saved_at)).unwrap(), outbox);
        assert_eq!(
            decode_outbox(r#"{"format":2,"data":{}}"#),
            Err(StoredProblem::Newer(2))
        );
        assert!(matches!(
            decode_outbox("{\"format\":1,\"data\":"),
            Err(StoredProblem::Unreadable(_))
        ));
        assert!(matches!(
            decode_outbox(r#"{"format":0,"data":{}}"#),
            Err(StoredProblem::Unreadable(_))
        ));
    }
}
