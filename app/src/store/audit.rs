//! The audit view of one child's day: every event in the order it was made.

use chrono::{Datelike, NaiveDate};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::parse_id;
use super::record::load_child_events;
use super::setting::load_setting_from_pool;
use crate::domain::calendar::local_time_label;
use crate::domain::events::{derive_day, Correction, EventAction, Presence};
use crate::domain::status::status_words;
use crate::error::AppError;
use crate::register::model::{AuditEntry, ChildDayAudit};

/// Loads a child's day on `date` with every event, including undone and corrected ones.
pub async fn child_day_audit(
    pool: &SqlitePool,
    caller: &crate::auth::Principal,
    child: Uuid,
    date: NaiveDate,
) -> Result<ChildDayAudit, AppError> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT c.first_name, c.last_name, c.setting_id, r.id, r.name
         FROM children c JOIN rooms r ON r.id = c.room_id WHERE c.id = ?",
    )
    .bind(child.to_string())
    .fetch_optional(pool)
    .await?;
    let Some((first, last, setting_id, room_id, room_name)) = row else {
        return Err(AppError::not_found(format!("Child {child}")));
    };
    if !caller.may_see_child(parse_id(&setting_id)?, parse_id(&room_id)?, child) {
        return Err(AppError::not_found(format!("Child {child}")));
    }
    let setting = load_setting_from_pool(pool, parse_id(&setting_id)?).await?;
    let zone = setting.calendar.time_zone;
    let mut conn = pool.acquire().await?;
    let events = load_child_events(&mut conn, child, date).await?;
    drop(conn);

    let staff: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, first_name, last_name FROM staff WHERE setting_id = ?")
            .bind(&setting_id)
            .fetch_all(pool)
            .await?;
    let staff_name = |id: Option<Uuid>| {
        let id = id?.to_string();
        staff
            .iter()
            .find(|(staff_id, _, _)| *staff_id == id)
            .map(|(_, first, last)| format!("{first} {last}"))
    };
    let label = |instant| local_time_label(zone, instant);

    let day = derive_day(&events);
    let closed = setting.calendar.closed_reason(date);
    let (sessions,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM bookings WHERE child_id = ? AND weekday = ?")
            .bind(child.to_string())
            .bind(i64::from(date.weekday().number_from_monday()))
            .fetch_one(pool)
            .await?;
    let booked = closed.is_none() && sessions > 0;
    let status = match (&day.presence, &closed) {
        (Presence::NotMarked, Some(reason)) => format!("The setting was {}", reason.describe()),
        _ => status_words(&day.presence, booked, &label),
    };
    let entries = events
        .iter()
        .map(|event| AuditEntry {
            summary: describe_with_target(event, &events, &label),
            staff_name: staff_name(event.staff_id),
            occurred_label: label(event.occurred_at),
            recorded_label: event
                .recorded_at
                .map(|at| stored_label(zone, date, at))
                .unwrap_or_default(),
            event: event.clone(),
        })
        .collect();
    Ok(ChildDayAudit {
        child_name: format!("{first} {last}"),
        room_id: parse_id(&room_id)?,
        room_name,
        date,
        status,
        conflicts: day.conflicts,
        entries,
    })
}

/// Formats when an event was stored: the local time, with the date when it was stored on
/// another day than the one the event is for.
fn stored_label(zone: chrono_tz::Tz, date: NaiveDate, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&zone);
    if local.date_naive() == date {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b %Y %H:%M").to_string()
    }
}

/// Describes an event in words, naming the mark an undo or correction applies to.
fn describe_with_target(
    event: &crate::domain::events::AttendanceEvent,
    events: &[crate::domain::events::AttendanceEvent],
    label: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> String {
    let own = describe(&event.action, label);
    let Some(target) = event.action.target() else {
        return own;
    };
    let Some(marked) = events.iter().find(|other| other.id == target) else {
        return own;
    };
    let what = describe(&marked.action, label);
    let when = label(marked.occurred_at);
    match event.action {
        EventAction::Undone { .. } => format!("Undid the mark \"{what}\" made at {when}"),
        _ => format!("{own} (applies to \"{what}\" made at {when})"),
    }
}

/// Describes an event in words for the audit view.
pub fn describe(
    action: &EventAction,
    label: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> String {
    match action {
        EventAction::Arrived => "Arrived".to_owned(),
        EventAction::Departed { collected_by } => {
            let warning = if collected_by.on_list {
                ""
            } else {
                " (not on the collection list)"
            };
            format!("Went home, collected by {}{warning}", collected_by.name)
        }
        EventAction::Absent { reason, note } => match note {
            Some(note) if !note.is_empty() => format!("Absent: {} ({note})", reason.label()),
            _ => format!("Absent: {}", reason.label()),
        },
        EventAction::Undone { .. } => "Undid a mark".to_owned(),
        EventAction::Corrected {
            correction, reason, ..
        } => {
            let change = match correction {
                Correction::Time { at } => format!("time changed to {}", label(*at)),
                Correction::Reason { reason, .. } => {
                    format!("reason changed to {}", reason.label())
                }
                Correction::Withdraw => "mark withdrawn".to_owned(),
            };
            format!("Correction: {change}. Why: {reason}")
        }
    }
}

/// Returns a child's status today in words, such as "Here since 08:12", for a caller who may
/// see the child.
pub async fn child_today_words(
    pool: &SqlitePool,
    caller: &crate::auth::Principal,
    child: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT setting_id FROM children WHERE id = ?")
        .bind(child.to_string())
        .fetch_optional(pool)
        .await?;
    let Some((setting,)) = row else {
        return Err(AppError::not_found(format!("Child {child}")));
    };
    let setting = load_setting_from_pool(pool, parse_id(&setting)?).await?;
    let date = setting.calendar.local_date(now);
    Ok(child_day_audit(pool, caller, child, date).await?.status)
}
