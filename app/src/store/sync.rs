//! `POST /api/sync` on the server: store a tablet's batch, note the tablet's clock, and return
//! what changed for its room since its cursor.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::accounts::Caller;
use super::parse_instant;
use super::record::{event_from_row, record_events_then, DeviceSync};
use super::register::room_register;
use crate::auth::Principal;
use crate::domain::events::AttendanceEvent;
use crate::error::AppError;
use crate::register::model::RegisterView;
use crate::sync::protocol::{
    fingerprint, ClockCheck, Cursor, SyncRequest, SyncResponse, MAX_DEVICE_ID_CHARS,
};

/// Stores the request's events and replies with the room's changes since its cursor.
pub async fn sync_room(
    pool: &SqlitePool,
    caller: &Caller,
    request: SyncRequest,
    now: DateTime<Utc>,
) -> Result<SyncResponse, AppError> {
    check_device_id(&request.device_id)?;
    let setting_id = room_setting(pool, &caller.principal, request.room_id).await?;
    let clock = ClockCheck::compare(request.device_now, now);
    if clock.flagged {
        // Managers see this on the whole-setting view; it repeats on every sync, so it is
        // logged at debug level.
        tracing::debug!(
            device = %request.device_id,
            offset_seconds = clock.offset_seconds,
            "a tablet's clock is more than five minutes out"
        );
    }
    let device = DeviceSync {
        device: &request.device_id,
        setting: setting_id,
        room: request.room_id,
        clock_offset_seconds: clock.offset_seconds,
        received: request.events.len(),
        enrolment: match &caller.principal {
            Principal::RoomTablet { device } => Some(device.enrolment),
            _ => None,
        },
    };
    let outcome = record_events_then(pool, caller, request.events, now, Some(device)).await?;

    // Read the sequence before the register, so the register contains at least every event up to
    // it. An event sent twice is harmless because the tablet merges by id.
    let sequence = latest_sequence(pool).await?;
    let register = room_register(pool, &caller.principal, request.room_id, now).await?;
    let date = register.date;
    let roster = roster_fingerprint(&register);
    let cursor = request.cursor.as_deref().and_then(Cursor::decode);
    let (register, events, sequence) = match cursor {
        Some(cursor) if cursor.date == date && cursor.roster == roster => {
            let from = cursor.sequence.min(sequence);
            let (events, latest) = events_since(pool, &register, from).await?;
            (None, events, latest.max(from))
        }
        _ => (Some(register), Vec::new(), sequence),
    };
    Ok(SyncResponse {
        accepted: outcome.accepted,
        rejected: outcome.rejected,
        server_now: now,
        clock,
        date,
        register,
        events,
        cursor: Cursor {
            date,
            sequence,
            roster,
        }
        .encode(),
    })
}

fn check_device_id(device_id: &str) -> Result<(), AppError> {
    let length = device_id.chars().count();
    if device_id.trim().is_empty() {
        return Err(AppError::invalid(
            "device_id",
            "is empty; send the id the tablet keeps in its local storage",
        ));
    }
    if length > MAX_DEVICE_ID_CHARS {
        return Err(AppError::invalid(
            "device_id",
            format!("is {length} characters long; use at most {MAX_DEVICE_ID_CHARS}"),
        ));
    }
    Ok(())
}

/// Returns the setting of a room the caller may open; any other room is "not found".
pub(crate) async fn room_setting(
    pool: &SqlitePool,
    caller: &Principal,
    room: Uuid,
) -> Result<Uuid, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT setting_id FROM rooms WHERE id = ?")
        .bind(room.to_string())
        .fetch_optional(pool)
        .await?;
    match row {
        Some((setting,)) => {
            let setting = super::parse_id(&setting)?;
            if caller.may_open_room(setting, room) {
                Ok(setting)
            } else {
                Err(AppError::not_found(format!("Room {room}")))
            }
        }
        None => Err(AppError::not_found(format!("Room {room}"))),
    }
}

/// Fingerprints the tablet's data besides events: children, bookings, collectors, staff
/// and whether the setting is open. Events and counts change with every mark and are left out.
fn roster_fingerprint(view: &RegisterView) -> u64 {
    let mut roster = view.clone();
    roster.server_now = DateTime::<Utc>::UNIX_EPOCH;
    roster.room.counts = Default::default();
    for card in &mut roster.children {
        card.events.clear();
    }
    // A register view holds only strings, numbers and lists.
    let json = serde_json::to_vec(&roster).expect("a register view serialises to JSON");
    fingerprint(&json)
}

/// Returns the sequence number of the newest stored event, or 0 when there is none. Events
/// are never deleted, so the row id only grows, in the order transactions commit.
async fn latest_sequence(pool: &SqlitePool) -> Result<i64, AppError> {
    let (latest,): (Option<i64>,) = sqlx::query_as("SELECT MAX(rowid) FROM attendance_events")
        .fetch_one(pool)
        .await?;
    Ok(latest.unwrap_or(0))
}

/// Loads the room's events for the register's date stored after `sequence`, with the highest
/// sequence number among them.
async fn events_since(
    pool: &SqlitePool,
    register: &RegisterView,
    sequence: i64,
) -> Result<(Vec<AttendanceEvent>, i64), AppError> {
    let mut events = Vec::new();
    let mut latest = sequence;
    if register.children.is_empty() {
        return Ok((events, latest));
    }
    let placeholders = vec!["?"; register.children.len()].join(",");
    let sql = format!(
        "SELECT rowid, body, recorded_at FROM attendance_events
         WHERE rowid > ? AND local_date = ? AND child_id IN ({placeholders}) ORDER BY rowid"
    );
    let mut query = sqlx::query_as::<_, (i64, String, String)>(&sql)
        .bind(sequence)
        .bind(register.date.to_string());
    for card in &register.children {
        query = query.bind(card.id.to_string());
    }
    for (rowid, body, recorded_at) in query.fetch_all(pool).await? {
        latest = latest.max(rowid);
        events.push(event_from_row(&body, &recorded_at)?);
    }
    Ok((events, latest))
}

/// Lists the setting's tablets, most recent sync first, for the whole-setting view.
pub async fn devices_of_setting(
    pool: &SqlitePool,
    setting: Uuid,
) -> Result<Vec<SyncedDevice>, AppError> {
    let rows: Vec<(String, Option<String>, String, String, i64)> = sqlx::query_as(
        "SELECT d.id, e.name, d.room_id, d.last_sync_at, d.clock_offset_seconds
         FROM devices d LEFT JOIN enrolments e ON e.id = d.enrolment_id
         WHERE d.setting_id = ? ORDER BY d.last_sync_at DESC",
    )
    .bind(setting.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, name, room, last, offset)| {
            Ok(SyncedDevice {
                id,
                name,
                room: super::parse_id(&room)?,
                last_sync: parse_instant(&last)?,
                clock_offset_seconds: offset,
            })
        })
        .collect()
}

/// A tablet that has synced, as the whole-setting view lists it.
pub struct SyncedDevice {
    /// The id the tablet made for itself.
    pub id: String,
    /// The name given at enrolment, for an enrolled tablet.
    pub name: Option<String>,
    pub room: Uuid,
    pub last_sync: DateTime<Utc>,
    pub clock_offset_seconds: i64,
}
