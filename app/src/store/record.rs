//! Appending attendance events. Every batch runs in one write transaction that starts as a
//! write (`BEGIN IMMEDIATE`), so concurrent tablets queue on SQLite's lock instead of failing.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::accounts::{write_audit, AuditEntry, Caller};
use super::setting::{load_setting, SettingRow};
use super::{format_instant, parse_date, parse_id, parse_instant};
use crate::domain::calendar::local_time_label;
use crate::domain::events::{check_event, AttendanceEvent, CheckContext, EventAction, Rejection};
use crate::error::AppError;
use crate::register::model::{BatchOutcome, RejectedEvent};

/// Maximum number of events in one batch.
pub const MAX_BATCH_EVENTS: usize = 2_000;
/// Maximum length of a device id, in characters.
const MAX_DEVICE_ID_CHARS: usize = 100;

pub(super) fn event_from_row(body: &str, recorded_at: &str) -> Result<AttendanceEvent, AppError> {
    let mut event: AttendanceEvent = serde_json::from_str(body).map_err(|error| {
        tracing::error!(%error, "unreadable attendance event body in the database");
        AppError::Internal
    })?;
    event.recorded_at = Some(parse_instant(recorded_at)?);
    Ok(event)
}

/// Loads every event for the given children on `date`, grouped by child.
pub(super) async fn load_events_for_children(
    pool: &SqlitePool,
    children: &[Uuid],
    date: NaiveDate,
) -> Result<HashMap<Uuid, Vec<AttendanceEvent>>, AppError> {
    let mut grouped: HashMap<Uuid, Vec<AttendanceEvent>> = HashMap::new();
    if children.is_empty() {
        return Ok(grouped);
    }
    let placeholders = vec!["?"; children.len()].join(",");
    let sql = format!(
        "SELECT child_id, body, recorded_at FROM attendance_events
         WHERE local_date = ? AND child_id IN ({placeholders}) ORDER BY occurred_at, id"
    );
    let mut query = sqlx::query_as::<_, (String, String, String)>(&sql).bind(date.to_string());
    for child in children {
        query = query.bind(child.to_string());
    }
    for (child, body, recorded_at) in query.fetch_all(pool).await? {
        grouped
            .entry(parse_id(&child)?)
            .or_default()
            .push(event_from_row(&body, &recorded_at)?);
    }
    Ok(grouped)
}

/// Loads one child's events on `date` through an open connection.
pub(super) async fn load_child_events(
    conn: &mut SqliteConnection,
    child: Uuid,
    date: NaiveDate,
) -> Result<Vec<AttendanceEvent>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT body, recorded_at FROM attendance_events WHERE child_id = ? AND local_date = ?
         ORDER BY occurred_at, id",
    )
    .bind(child.to_string())
    .bind(date.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|(body, recorded_at)| event_from_row(body, recorded_at))
        .collect()
}

/// Returns the event as a resend of it would look: without the server's stored time and
/// with the collector's list check cleared, as the server sets that itself.
fn as_sent(event: &AttendanceEvent) -> AttendanceEvent {
    let mut sent = event.clone();
    sent.recorded_at = None;
    if let EventAction::Departed { collected_by } = &mut sent.action {
        collected_by.on_list = false;
    }
    sent
}

/// Returns whether two events with one id record the same mark, so one is a resend of the
/// other.
fn same_mark(first: &AttendanceEvent, second: &AttendanceEvent) -> bool {
    as_sent(first) == as_sent(second)
}

async fn stored_event(
    conn: &mut SqliteConnection,
    id: Uuid,
) -> Result<Option<AttendanceEvent>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT body, recorded_at FROM attendance_events WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(body, recorded_at)| event_from_row(&body, &recorded_at))
        .transpose()
}

/// Rejects a batch that uses one id for two different marks: which of them was meant cannot
/// be known, so nothing of the batch is stored.
fn check_batch_ids(events: &[AttendanceEvent]) -> Result<(), AppError> {
    let mut seen: HashMap<Uuid, &AttendanceEvent> = HashMap::new();
    for event in events {
        match seen.entry(event.id) {
            Entry::Occupied(first) if !same_mark(first.get(), event) => {
                return Err(AppError::invalid(
                    "events",
                    format!(
                        "id {} is used for two different marks in this batch; make a new id \
                         for each mark",
                        event.id
                    ),
                ));
            }
            Entry::Occupied(_) => {}
            Entry::Vacant(slot) => {
                slot.insert(event);
            }
        }
    }
    Ok(())
}

struct ChildFacts {
    setting_id: Uuid,
    room_id: Uuid,
    start_date: NaiveDate,
    leaving_date: Option<NaiveDate>,
}

/// Describes a correction or an undone mark for the audit trail; `None` for other marks.
fn correction_words(event: &AttendanceEvent) -> Option<String> {
    match &event.action {
        EventAction::Undone { target } => Some(format!("undid mark {target}")),
        EventAction::Corrected {
            target,
            correction,
            reason,
        } => Some(format!(
            "corrected mark {target} to {}; reason given: {reason}",
            serde_json::to_string(correction).unwrap_or_default()
        )),
        _ => None,
    }
}

/// Stores a batch of events. Each event is checked against the child's day as stored,
/// including earlier events of the same batch; rejected events are reported and not stored.
/// An event whose id is already stored is reported as accepted and stored nothing new.
pub async fn record_events(
    pool: &SqlitePool,
    caller: &Caller,
    events: Vec<AttendanceEvent>,
    now: DateTime<Utc>,
) -> Result<BatchOutcome, AppError> {
    record_events_then(pool, caller, events, now, None).await
}

/// A tablet's sync, noted in the same transaction as its events.
pub(super) struct DeviceSync<'a> {
    pub device: &'a str,
    pub setting: Uuid,
    pub room: Uuid,
    pub clock_offset_seconds: i64,
    pub received: usize,
    /// The enrolment of a room tablet that synced.
    pub enrolment: Option<Uuid>,
}

/// Stores a batch as [`record_events`] does and, in the same write transaction, notes the
/// device that sent it, so a sync waits for SQLite's write lock once.
pub(super) async fn record_events_then(
    pool: &SqlitePool,
    caller: &Caller,
    events: Vec<AttendanceEvent>,
    now: DateTime<Utc>,
    device: Option<DeviceSync<'_>>,
) -> Result<BatchOutcome, AppError> {
    if events.len() > MAX_BATCH_EVENTS {
        return Err(AppError::invalid(
            "events",
            format!(
                "{} events in one batch; send at most {MAX_BATCH_EVENTS} at a time",
                events.len()
            ),
        ));
    }
    check_batch_ids(&events)?;
    // A sqlx transaction rolls back when dropped, so a request cancelled half-way (the tablet
    // went offline mid-sync) never returns a connection to the pool holding the write lock.
    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut result = record_in_transaction(&mut transaction, caller, events, now).await;
    if let (Ok(_), Some(device)) = (&result, device) {
        if let Err(error) = note_device(&mut transaction, &device, now).await {
            result = Err(error);
        }
    }
    match result {
        Ok(outcome) => {
            transaction.commit().await?;
            Ok(outcome)
        }
        Err(error) => {
            transaction.rollback().await?;
            Err(error)
        }
    }
}

async fn note_device(
    conn: &mut SqliteConnection,
    device: &DeviceSync<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now = format_instant(now);
    sqlx::query(
        "INSERT INTO devices (id, setting_id, room_id, first_seen_at, last_sync_at,
                              clock_offset_seconds, events_received, enrolment_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
             setting_id = excluded.setting_id, room_id = excluded.room_id,
             enrolment_id = excluded.enrolment_id,
             last_sync_at = excluded.last_sync_at,
             clock_offset_seconds = excluded.clock_offset_seconds,
             events_received = devices.events_received + excluded.events_received",
    )
    .bind(device.device)
    .bind(device.setting.to_string())
    .bind(device.room.to_string())
    .bind(&now)
    .bind(&now)
    .bind(device.clock_offset_seconds)
    .bind(i64::try_from(device.received).unwrap_or(i64::MAX))
    .bind(device.enrolment.map(|id| id.to_string()))
    .execute(&mut *conn)
    .await?;
    if let Some(enrolment) = device.enrolment {
        sqlx::query("UPDATE enrolments SET last_seen_at = ? WHERE id = ?")
            .bind(&now)
            .bind(enrolment.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn record_in_transaction(
    conn: &mut SqliteConnection,
    caller: &Caller,
    events: Vec<AttendanceEvent>,
    now: DateTime<Utc>,
) -> Result<BatchOutcome, AppError> {
    let mut outcome = BatchOutcome::default();
    let mut settings: HashMap<Uuid, SettingRow> = HashMap::new();
    let mut days: HashMap<(Uuid, NaiveDate), Vec<AttendanceEvent>> = HashMap::new();
    for mut event in events {
        let id = event.id;
        match stored_event(conn, id).await? {
            Some(stored) if same_mark(&stored, &event) => {
                if !outcome.accepted.contains(&id) {
                    outcome.accepted.push(id);
                }
                continue;
            }
            Some(_) => {
                let rejection = Rejection {
                    field: "id".to_owned(),
                    message: format!(
                        "{id} is already stored for a different mark; make a new id for each mark"
                    ),
                };
                outcome.rejected.push(RejectedEvent { id, rejection });
                continue;
            }
            None => {}
        }
        match prepare(conn, caller, &mut settings, &mut days, &mut event, now).await? {
            Ok(setting_id) => {
                insert_event(conn, setting_id, &event, now).await?;
                if let Some(change) = correction_words(&event) {
                    let entry = AuditEntry::new(caller, "mark_corrected")
                        .setting(setting_id)
                        .subject(format!("child {}", event.child_id))
                        .detail(change);
                    write_audit(&mut *conn, &entry, now).await?;
                }
                event.recorded_at = Some(now);
                days.entry((event.child_id, event.date))
                    .or_default()
                    .push(event);
                outcome.accepted.push(id);
            }
            Err(rejection) => {
                tracing::debug!(event = %id, field = %rejection.field, "event rejected");
                outcome.rejected.push(RejectedEvent { id, rejection });
            }
        }
    }
    Ok(outcome)
}

/// Checks one event; returns the child's setting id when it may be stored. Also fills in the
/// collector's `on_list` flag from the child's contacts.
async fn prepare(
    conn: &mut SqliteConnection,
    caller: &Caller,
    settings: &mut HashMap<Uuid, SettingRow>,
    days: &mut HashMap<(Uuid, NaiveDate), Vec<AttendanceEvent>>,
    event: &mut AttendanceEvent,
    now: DateTime<Utc>,
) -> Result<Result<Uuid, Rejection>, AppError> {
    let reject = |field: &str, message: String| {
        Ok(Err(Rejection {
            field: field.to_owned(),
            message,
        }))
    };
    let child = child_facts(conn, event.child_id).await?.filter(|child| {
        caller
            .principal
            .may_open_room(child.setting_id, child.room_id)
    });
    let Some(child) = child else {
        return reject(
            "child_id",
            format!(
                "no child with id {} in your rooms; reload the register",
                event.child_id
            ),
        );
    };
    if let Some(own) = caller.principal.person().and_then(|person| person.staff) {
        if event.staff_id != Some(own) {
            return reject(
                "staff_id",
                "must be your own staff id while you are signed in; reload the register".to_owned(),
            );
        }
    }
    if let Some(device) = &event.device_id {
        if device.chars().count() > MAX_DEVICE_ID_CHARS {
            return reject(
                "device_id",
                format!("is longer than {MAX_DEVICE_ID_CHARS} characters"),
            );
        }
    }
    let Some(staff_id) = event.staff_id else {
        return reject(
            "staff_id",
            "is missing; choose who is marking before marking".to_owned(),
        );
    };
    if !staff_in_setting(conn, staff_id, child.setting_id).await? {
        return reject(
            "staff_id",
            format!("no staff member with id {staff_id} in this setting"),
        );
    }
    if event.date < child.start_date {
        return reject(
            "date",
            format!(
                "{} is before the child's start date {}",
                event.date, child.start_date
            ),
        );
    }
    if let Some(leaving) = child.leaving_date.filter(|leaving| event.date > *leaving) {
        return reject(
            "date",
            format!("{} is after the child's leaving date {leaving}", event.date),
        );
    }
    if let EventAction::Departed { collected_by } = &mut event.action {
        match collector_on_list(
            conn,
            event.child_id,
            collected_by.contact_id,
            &collected_by.name,
        )
        .await?
        {
            Some(on_list) => collected_by.on_list = on_list,
            None => {
                return reject(
                    "collected_by",
                    "that contact does not belong to this child".to_owned(),
                )
            }
        }
    }

    if let Entry::Vacant(slot) = settings.entry(child.setting_id) {
        slot.insert(load_setting(conn, child.setting_id).await?);
    }
    let setting = &settings[&child.setting_id];
    let key = (event.child_id, event.date);
    if let Entry::Vacant(slot) = days.entry(key) {
        slot.insert(load_child_events(conn, event.child_id, event.date).await?);
    }
    let zone = setting.calendar.time_zone;
    let time_label = move |instant: DateTime<Utc>| local_time_label(zone, instant);
    let date_of = move |instant: DateTime<Utc>| crate::domain::calendar::local_date(zone, instant);
    let context = CheckContext {
        now,
        occurred_local_date: setting.calendar.local_date(event.occurred_at),
        closed: setting
            .calendar
            .closed_reason(event.date)
            .map(|reason| reason.describe()),
        time_label: &time_label,
        date_of: &date_of,
    };
    Ok(check_event(&days[&key], event, &context).map(|()| child.setting_id))
}

async fn child_facts(
    conn: &mut SqliteConnection,
    child: Uuid,
) -> Result<Option<ChildFacts>, AppError> {
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT setting_id, room_id, start_date, leaving_date FROM children WHERE id = ?",
    )
    .bind(child.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((setting, room, start, leaving)) = row else {
        return Ok(None);
    };
    Ok(Some(ChildFacts {
        setting_id: parse_id(&setting)?,
        room_id: parse_id(&room)?,
        start_date: parse_date(&start)?,
        leaving_date: leaving.as_deref().map(parse_date).transpose()?,
    }))
}

async fn staff_in_setting(
    conn: &mut SqliteConnection,
    staff: Uuid,
    setting: Uuid,
) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM staff WHERE id = ? AND setting_id = ?")
        .bind(staff.to_string())
        .bind(setting.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Returns whether the collector may collect the child: `None` when `contact_id` names a
/// contact of another child. A collector given only by name matches a contact by name.
async fn collector_on_list(
    conn: &mut SqliteConnection,
    child: Uuid,
    contact_id: Option<Uuid>,
    name: &str,
) -> Result<Option<bool>, AppError> {
    if let Some(contact) = contact_id {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT may_collect FROM contacts WHERE id = ? AND child_id = ?")
                .bind(contact.to_string())
                .bind(child.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        return Ok(row.map(|(may_collect,)| may_collect != 0));
    }
    let row: (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(may_collect) FROM contacts WHERE child_id = ? AND lower(trim(name)) = lower(trim(?))",
    )
    .bind(child.to_string())
    .bind(name)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(row.0.is_some_and(|may_collect| may_collect != 0)))
}

async fn insert_event(
    conn: &mut SqliteConnection,
    setting: Uuid,
    event: &AttendanceEvent,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    insert_event_row(conn, setting, event, now).await?;
    Ok(())
}

/// Appends one row to the attendance log with no checks: the body is the event as JSON
/// without `recorded_at`, and `target_id` is the mark an undo or correction points at. The
/// demo generator and the benchmarks write rows through this too, so all rows have one shape.
pub async fn insert_event_row(
    conn: &mut SqliteConnection,
    setting: Uuid,
    event: &AttendanceEvent,
    recorded_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut stored = event.clone();
    stored.recorded_at = None;
    // Every field serialises to JSON: the event has only strings, numbers and string keys.
    let body = serde_json::to_string(&stored).expect("an attendance event serialises to JSON");
    sqlx::query(
        "INSERT INTO attendance_events
         (id, setting_id, child_id, local_date, kind, target_id, occurred_at, recorded_at,
          staff_id, device_id, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.id.to_string())
    .bind(setting.to_string())
    .bind(event.child_id.to_string())
    .bind(event.date.to_string())
    .bind(event.action.kind())
    .bind(event.action.target().map(|target| target.to_string()))
    .bind(format_instant(event.occurred_at))
    .bind(format_instant(recorded_at))
    .bind(event.staff_id.map(|staff| staff.to_string()))
    .bind(event.device_id.as_deref())
    .bind(body)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
