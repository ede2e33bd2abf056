//! Loading a setting and its calendar.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::{parse_date, parse_id};
use crate::domain::calendar::{parse_weekday, Closure, SessionTime, SettingCalendar};
use crate::error::AppError;

/// A setting with its calendar.
#[derive(Debug, Clone)]
pub struct SettingRow {
    pub id: Uuid,
    pub name: String,
    pub calendar: SettingCalendar,
}

/// Loads the first setting created. Until accounts tie a device to a setting, the screens
/// show this one.
pub async fn first_setting(pool: &SqlitePool) -> Result<SettingRow, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM settings ORDER BY created_at, id LIMIT 1")
            .fetch_optional(pool)
            .await?;
    let Some((id,)) = row else {
        return Err(AppError::not_found(
            "A setting (the database is empty; start the server with --demo or import children)",
        ));
    };
    load_setting_from_pool(pool, parse_id(&id)?).await
}

/// Loads a setting by id on a connection taken from the pool.
pub async fn load_setting_from_pool(pool: &SqlitePool, id: Uuid) -> Result<SettingRow, AppError> {
    let mut conn = pool.acquire().await?;
    load_setting(&mut conn, id).await
}

/// Loads a setting by id, with its sessions and closures. Takes a connection so that a write
/// transaction can load it without waiting for a second pooled connection.
pub async fn load_setting(conn: &mut SqliteConnection, id: Uuid) -> Result<SettingRow, AppError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, time_zone, open_weekdays FROM settings WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let Some((name, zone, weekdays)) = row else {
        return Err(AppError::not_found(format!("Setting {id}")));
    };
    let time_zone: Tz = zone.parse().map_err(|_| {
        tracing::error!(setting = %id, zone, "unknown time zone stored for setting");
        AppError::Internal
    })?;
    let open_weekdays: Vec<Weekday> = weekdays.split(',').filter_map(parse_weekday).collect();

    let sessions: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT code, name, starts, ends FROM setting_sessions WHERE setting_id = ? ORDER BY starts",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let sessions = sessions
        .into_iter()
        .map(|(code, name, starts, ends)| {
            Ok(SessionTime {
                code,
                name,
                starts: parse_time(&starts)?,
                ends: parse_time(&ends)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;

    let closures: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT first_day, last_day, kind, name FROM closures WHERE setting_id = ? ORDER BY first_day",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let closures = closures
        .into_iter()
        .map(|(first, last, kind, name)| {
            Ok(Closure {
                first_day: parse_date(&first)?,
                last_day: parse_date(&last)?,
                kind,
                name,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;

    Ok(SettingRow {
        id,
        name,
        calendar: SettingCalendar {
            time_zone,
            open_weekdays,
            sessions,
            closures,
        },
    })
}

fn parse_time(text: &str) -> Result<NaiveTime, AppError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|error| {
        tracing::error!(%error, "unreadable session time in the database");
        AppError::Internal
    })
}
