//! Database queries behind the register: reading rooms, children and events, and appending
//! marks. Server-only.

pub mod absence_reports;
pub mod accounts;
pub mod attendance;
mod audit;
pub mod cases;
pub mod devices;
pub mod history;
pub mod lobby;
mod record;
mod register;
mod setting;
mod sync;

pub use audit::{child_day_audit, child_today_words};
pub use record::{insert_event_row, record_events};
pub use register::{room_register, rooms_today, setting_today};
pub use setting::{first_setting, load_setting_from_pool, SettingRow};
pub use sync::sync_room;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::AppError;

/// Parses a UUID read from the database.
fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text).map_err(|error| {
        tracing::error!(%error, "unreadable id in the database");
        AppError::Internal
    })
}

/// Parses a `YYYY-MM-DD` date read from the database.
fn parse_date(text: &str) -> Result<NaiveDate, AppError> {
    text.parse().map_err(|error| {
        tracing::error!(%error, "unreadable date in the database");
        AppError::Internal
    })
}

/// Parses an RFC 3339 instant read from the database.
fn parse_instant(text: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|error| {
            tracing::error!(%error, "unreadable instant in the database");
            AppError::Internal
        })
}

/// Formats an instant the way the database stores it: RFC 3339 in UTC with milliseconds,
/// so text order is time order.
pub fn format_instant(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
