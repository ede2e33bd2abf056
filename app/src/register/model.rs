//! Data the register screens receive from the server and the shape of a batch of marks.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::calendar::{local_time_label, DEFAULT_TIME_ZONE};
use crate::domain::events::{derive_day, AttendanceEvent, ChildDay, Rejection};
use crate::domain::reasons::AbsenceReason;
use crate::domain::status::Counts;

/// A room with today's counts, for the room chooser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub id: Uuid,
    pub name: String,
    /// Age range in words, such as "2 to 3 years".
    pub ages: String,
    pub counts: Counts,
}

/// A staff member who can make marks in a room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: Uuid,
    pub name: String,
    /// The Argon2id hash of the staff member's PIN, sent to room tablets only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
}

/// A contact who may collect a child. Phone numbers and emails stay off the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectorOption {
    pub id: Uuid,
    pub name: String,
    pub relationship: String,
}

/// One child's card on the room register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildCard {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub key_person: Option<String>,
    /// Whether the child has a session booked today.
    pub booked: bool,
    /// Today's booked sessions in words, such as "Morning, Afternoon".
    pub sessions: String,
    /// Every event recorded for the child today, so the tablet can derive the day itself.
    pub events: Vec<AttendanceEvent>,
    pub collectors: Vec<CollectorOption>,
    /// Whether a collection password is on file for people not on the list.
    pub has_collection_password: bool,
    /// A parent's report of absence for today, in words, such as "Expected absent: Illness
    /// (reported by parent at 07:45)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_absence: Option<String>,
    /// The reason of the latest of those reports, preselected when staff mark the absence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_reason: Option<AbsenceReason>,
}

impl ChildCard {
    /// Returns the child's initials, such as "AW".
    pub fn initials(&self) -> String {
        let first = self.first_name.chars().next().unwrap_or('?');
        let last = self.last_name.chars().next().unwrap_or('?');
        format!("{first}{last}").to_uppercase()
    }

    /// Derives today's state from the card's events.
    pub fn day(&self) -> ChildDay {
        derive_day(&self.events)
    }
}

/// Everything the room register screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterView {
    pub setting_name: String,
    /// IANA time zone name of the setting, such as `Europe/London`.
    pub time_zone: String,
    pub date: NaiveDate,
    /// The server's clock when it built this view; the tablet corrects its own clock by it.
    pub server_now: DateTime<Utc>,
    /// The reason the setting is closed today, in words, if it is.
    pub closed: Option<String>,
    pub room: RoomSummary,
    pub staff: Vec<StaffOption>,
    /// The staff id of the signed-in person viewing the register, who marks as themselves.
    /// `None` on a room tablet, where practitioners choose their name and enter a PIN.
    #[serde(default)]
    pub marking_as: Option<Uuid>,
    /// How long a room tablet remembers the practitioner who entered their PIN.
    #[serde(default = "default_pin_minutes")]
    pub pin_remember_minutes: u32,
    /// Sorted by first name, then last name.
    pub children: Vec<ChildCard>,
}

impl RegisterView {
    /// Returns the setting's time zone, falling back to Europe/London for an unknown name.
    pub fn zone(&self) -> Tz {
        self.time_zone.parse().unwrap_or(DEFAULT_TIME_ZONE)
    }

    /// Formats an instant as the setting's local time, such as `08:12`.
    pub fn time_label(&self, instant: DateTime<Utc>) -> String {
        local_time_label(self.zone(), instant)
    }
}

/// A batch of events sent to `POST /api/events`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventBatch {
    pub events: Vec<AttendanceEvent>,
}

/// The server's reply to a batch: each event is either stored (now or earlier) or rejected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchOutcome {
    /// Ids of events now stored, including ones stored by an earlier send of the same event.
    pub accepted: Vec<Uuid>,
    pub rejected: Vec<RejectedEvent>,
}

/// An event the server did not store, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedEvent {
    pub id: Uuid,
    #[serde(flatten)]
    pub rejection: Rejection,
}

/// A room's counts and the booked children not yet arrived, for the whole-setting view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomToday {
    pub room: RoomSummary,
    /// First name and last initial of each booked child with no mark yet.
    pub not_yet_arrived: Vec<String>,
}

/// The whole setting today, for a manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingToday {
    pub setting_name: String,
    pub date: NaiveDate,
    pub closed: Option<String>,
    pub rooms: Vec<RoomToday>,
    pub totals: Counts,
    /// Room tablets that have synced, most recent first.
    #[serde(default)]
    pub tablets: Vec<TabletSummary>,
}

/// A room tablet as the server last saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabletSummary {
    /// A short name made from the end of the tablet's id, such as "Tablet 3f9a".
    pub label: String,
    pub room_name: String,
    /// When it last synced, as a local time, or a date and time if not today.
    pub last_sync: String,
    /// How far its clock was out at the last sync, such as "12 minutes fast", when that is
    /// more than five minutes.
    pub clock_problem: Option<String>,
}

/// One line of a child's day in the audit view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub event: AttendanceEvent,
    /// The event in words.
    pub summary: String,
    pub staff_name: Option<String>,
    /// When the event happened and when it was stored, as local times.
    pub occurred_label: String,
    pub recorded_label: String,
}

/// A child's day with its full history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildDayAudit {
    pub child_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub date: NaiveDate,
    pub status: String,
    pub conflicts: Vec<String>,
    pub entries: Vec<AuditEntry>,
}

fn default_pin_minutes() -> u32 {
    10
}
