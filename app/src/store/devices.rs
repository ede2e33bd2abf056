//! Enrolled devices: pairing codes, credentials, revocation, marks held from revoked tablets,
//! and practitioners' PINs.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::{format_instant, parse_id, parse_instant};
use crate::auth::model::{DeviceState, DeviceSummary as DeviceRow, HeldMark};
use crate::auth::pin::check_pin_format;
use crate::auth::secret::{
    hash_secret, new_pairing_code, new_token, normalise_pairing_code, token_hash,
};
use crate::auth::Device;
use crate::domain::events::AttendanceEvent;
use crate::error::AppError;

use super::accounts::tokio_blocking;

/// How long a pairing code can be typed on a tablet.
pub const PAIRING_VALID: Duration = Duration::minutes(15);

/// A pairing code made for a new device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCode {
    pub enrolment: Uuid,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Makes an enrolment for a room tablet (`room` given) or lobby display, with a pairing code.
pub async fn start_enrolment(
    pool: &SqlitePool,
    setting: Uuid,
    room: Option<Uuid>,
    name: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<PairingCode, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            "give the device a name of 1 to 60 characters, such as \"Toddlers tablet\"",
        ));
    }
    if let Some(room) = room {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM rooms WHERE id = ? AND setting_id = ?")
                .bind(room.to_string())
                .bind(setting.to_string())
                .fetch_optional(pool)
                .await?;
        if found.is_none() {
            return Err(AppError::not_found(format!("Room {room}")));
        }
    }
    let code = new_pairing_code();
    let enrolment = Uuid::now_v7();
    let expires_at = now + PAIRING_VALID;
    sqlx::query(
        "INSERT INTO enrolments (id, setting_id, kind, room_id, name, pairing_code_hash,
                                 pairing_expires_at, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(enrolment.to_string())
    .bind(setting.to_string())
    .bind(if room.is_some() { "room" } else { "lobby" })
    .bind(room.map(|room| room.to_string()))
    .bind(name)
    .bind(token_hash(&normalise_pairing_code(&code)))
    .bind(format_instant(expires_at))
    .bind(by.to_string())
    .bind(format_instant(now))
    .execute(pool)
    .await?;
    Ok(PairingCode {
        enrolment,
        code,
        expires_at,
    })
}

/// Exchanges a typed pairing code for a device credential. The code works once.
pub async fn pair(
    pool: &SqlitePool,
    typed_code: &str,
    now: DateTime<Utc>,
) -> Result<(String, Device), AppError> {
    let code = normalise_pairing_code(typed_code);
    let wrong = || {
        AppError::invalid(
            "code",
            "that pairing code is not valid; check it, or ask the manager for a new one (codes last 15 minutes and work once)",
        )
    };
    if code.is_empty() || code.len() > 16 {
        return Err(wrong());
    }
    let credential = new_token();
    let updated = sqlx::query(
        "UPDATE enrolments SET credential_hash = ?, paired_at = ?, last_seen_at = ?,
                pairing_code_hash = NULL, pairing_expires_at = NULL
         WHERE pairing_code_hash = ? AND pairing_expires_at > ? AND revoked_at IS NULL
         RETURNING id, setting_id, room_id, name",
    )
    .bind(token_hash(&credential))
    .bind(format_instant(now))
    .bind(format_instant(now))
    .bind(token_hash(&code))
    .bind(format_instant(now))
    .fetch_optional(pool)
    .await?;
    let Some(row) = updated else {
        return Err(wrong());
    };
    use sqlx::Row;
    let device = Device {
        enrolment: parse_id(row.try_get::<&str, _>(0)?)?,
        setting: parse_id(row.try_get::<&str, _>(1)?)?,
        room: row
            .try_get::<Option<&str>, _>(2)?
            .map(parse_id)
            .transpose()?,
        name: row.try_get::<String, _>(3)?,
    };
    Ok((credential, device))
}

/// Revokes an enrolment of `setting`; returns the device's name.
pub async fn revoke(
    pool: &SqlitePool,
    setting: Uuid,
    enrolment: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE enrolments SET revoked_at = ?, revoked_by = ?, pairing_code_hash = NULL
         WHERE id = ? AND setting_id = ? AND revoked_at IS NULL RETURNING name",
    )
    .bind(format_instant(now))
    .bind(by.to_string())
    .bind(enrolment.to_string())
    .bind(setting.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|(name,)| name).ok_or_else(|| {
        AppError::not_found(format!("Device {enrolment} (or it is already removed)"))
    })
}

/// Notes that an enrolled device was seen.
pub async fn note_seen(
    pool: &SqlitePool,
    enrolment: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE enrolments SET last_seen_at = ? WHERE id = ?")
        .bind(format_instant(now))
        .bind(enrolment.to_string())
        .execute(pool)
        .await?;
    Ok(())
}

type DeviceDbRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Lists the devices of `setting`, newest first, with their held marks.
pub async fn list_devices(
    pool: &SqlitePool,
    setting: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<DeviceRow>, AppError> {
    let rows: Vec<DeviceDbRow> = sqlx::query_as(
        "SELECT e.id, e.name, r.name, e.pairing_expires_at, e.credential_hash, e.last_seen_at,
                e.revoked_at, e.paired_at
         FROM enrolments e LEFT JOIN rooms r ON r.id = e.room_id
         WHERE e.setting_id = ? ORDER BY e.created_at DESC",
    )
    .bind(setting.to_string())
    .fetch_all(pool)
    .await?;
    let mut devices = Vec::new();
    for (id, name, room, expires, credential, seen, revoked, _paired) in rows {
        let state = if let Some(at) = revoked {
            DeviceState::Revoked {
                at: parse_instant(&at)?,
            }
        } else if credential.is_some() {
            DeviceState::Enrolled
        } else {
            match expires.as_deref().map(parse_instant).transpose()? {
                Some(expires_at) if expires_at > now => DeviceState::Waiting { expires_at },
                _ => DeviceState::Expired,
            }
        };
        let id = parse_id(&id)?;
        devices.push(DeviceRow {
            id,
            name,
            place: room.unwrap_or_else(|| "Lobby display".to_owned()),
            state,
            last_seen_at: seen.as_deref().map(parse_instant).transpose()?,
            held: held_marks(pool, id).await?,
        });
    }
    Ok(devices)
}

async fn held_marks(pool: &SqlitePool, enrolment: Uuid) -> Result<Vec<HeldMark>, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, body, received_at FROM held_marks
         WHERE enrolment_id = ? AND decision IS NULL ORDER BY received_at, id",
    )
    .bind(enrolment.to_string())
    .fetch_all(pool)
    .await?;
    let mut marks = Vec::new();
    for (id, body, received) in rows {
        let event: AttendanceEvent = serde_json::from_str(&body).map_err(|error| {
            tracing::error!(%error, "unreadable held mark");
            AppError::Internal
        })?;
        let child: Option<(String, String)> =
            sqlx::query_as("SELECT first_name, last_name FROM children WHERE id = ?")
                .bind(event.child_id.to_string())
                .fetch_optional(pool)
                .await?;
        marks.push(HeldMark {
            id: parse_id(&id)?,
            child_name: child
                .map(|(first, last)| format!("{first} {last}"))
                .unwrap_or_else(|| "Unknown child".to_owned()),
            summary: format!(
                "{} on {} at {} UTC",
                event.action.kind(),
                event.date,
                event.occurred_at.format("%H:%M")
            ),
            received_at: parse_instant(&received)?,
        });
    }
    Ok(marks)
}

/// Keeps the marks a revoked tablet sent, once each; returns how many are held in all.
pub async fn hold_marks(
    pool: &SqlitePool,
    device: &Device,
    events: &[AttendanceEvent],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    for event in events {
        let body = serde_json::to_string(event).map_err(|_| AppError::Internal)?;
        sqlx::query(
            "INSERT INTO held_marks (id, enrolment_id, setting_id, body, received_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(event.id.to_string())
        .bind(device.enrolment.to_string())
        .bind(device.setting.to_string())
        .bind(body)
        .bind(format_instant(now))
        .execute(&mut *tx)
        .await?;
    }
    let (held,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM held_marks WHERE enrolment_id = ? AND decision IS NULL",
    )
    .bind(device.enrolment.to_string())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(usize::try_from(held).unwrap_or(0))
}

/// Returns a held mark of `setting` that is still waiting for a decision.
pub async fn held_mark_event(
    pool: &SqlitePool,
    setting: Uuid,
    mark: Uuid,
) -> Result<AttendanceEvent, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT body FROM held_marks WHERE id = ? AND setting_id = ? AND decision IS NULL",
    )
    .bind(mark.to_string())
    .bind(setting.to_string())
    .fetch_optional(pool)
    .await?;
    let (body,) = row.ok_or_else(|| {
        AppError::not_found(format!("Held mark {mark} (or it was already decided)"))
    })?;
    serde_json::from_str(&body).map_err(|_| AppError::Internal)
}

/// Records the manager's decision on a held mark of `setting`, taking it out of the waiting
/// list. [`held_mark_event`] reads the mark itself.
pub async fn decide_held_mark(
    pool: &SqlitePool,
    setting: Uuid,
    mark: Uuid,
    accept: bool,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE held_marks SET decision = ?, decided_by = ?, decided_at = ?
         WHERE id = ? AND setting_id = ? AND decision IS NULL RETURNING id",
    )
    .bind(if accept { "accepted" } else { "rejected" })
    .bind(by.to_string())
    .bind(format_instant(now))
    .bind(mark.to_string())
    .bind(setting.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|_| ())
        .ok_or_else(|| AppError::not_found(format!("Held mark {mark} (or it was already decided)")))
}

/// Sets a staff member's tablet PIN.
pub async fn set_pin(
    pool: &SqlitePool,
    staff: Uuid,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_pin_format(pin).map_err(|message| AppError::invalid("pin", message))?;
    let owned = pin.to_owned();
    let hash = tokio_blocking(move || hash_secret(&owned)).await??;
    sqlx::query(
        "INSERT INTO staff_pins (staff_id, pin_hash, set_at) VALUES (?, ?, ?)
         ON CONFLICT (staff_id) DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at",
    )
    .bind(staff.to_string())
    .bind(hash)
    .bind(format_instant(now))
    .execute(pool)
    .await?;
    Ok(())
}
