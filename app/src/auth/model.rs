//! Data of the account, device and audit pages, shared by the server and the browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One account as the manager's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    /// Whether the invitation has been accepted.
    pub active: bool,
    /// Rooms of a practitioner or children of a parent, by name.
    pub links: Vec<String>,
}

/// One device as the manager's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceSummary {
    pub id: Uuid,
    pub name: String,
    /// The room's name, or "Lobby display".
    pub place: String,
    pub state: DeviceState,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Marks held from this device after it was removed, waiting for a decision.
    pub held: Vec<HeldMark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeviceState {
    /// Waiting for its pairing code to be typed.
    Waiting {
        expires_at: DateTime<Utc>,
    },
    Enrolled,
    Revoked {
        at: DateTime<Utc>,
    },
    /// The pairing code ran out before it was used.
    Expired,
}

/// A mark a revoked tablet sent, waiting for a manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldMark {
    pub id: Uuid,
    pub child_name: String,
    pub summary: String,
    pub received_at: DateTime<Utc>,
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor: String,
    pub origin: String,
    pub subject: String,
    pub detail: String,
}

/// A one-time link's purpose and account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkSummary {
    /// `invite`, `reset` or `setup`.
    pub purpose: String,
    pub email: String,
    pub name: String,
    /// Whether the set-up must also name the setting.
    pub needs_setting: bool,
}

/// A pairing code for the manager to read out or type on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingSummary {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}
