//! Loading what the attendance rules need: each child's plan, register days and the
//! setting's thresholds, then turning them into session records.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::record::event_from_row;
use super::setting::SettingRow;
use super::{parse_date, parse_id};
use crate::domain::absence_report::{explain_missed, AbsenceReport};
use crate::domain::attendance::rules::RuleSettings;
use crate::domain::attendance::sessions::{
    session_records, ChildPlan, RecordContext, SessionRecord,
};
use crate::domain::attendance::windows::DateRange;
use crate::domain::events::{derive_day, AttendanceEvent, ChildDay};
use crate::error::AppError;

/// A child with the facts the figures need.
#[derive(Debug, Clone)]
pub struct ChildInfo {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub room_id: Uuid,
    pub room: String,
    pub sen: bool,
    pub plan: ChildPlan,
}

impl ChildInfo {
    /// First name and surname.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Loads the setting's thresholds, or the defaults when none were saved.
pub async fn load_rules(pool: &SqlitePool, setting: Uuid) -> Result<RuleSettings, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT attendance_rules FROM settings WHERE id = ?")
            .bind(setting.to_string())
            .fetch_optional(pool)
            .await?;
    let Some((Some(text),)) = row else {
        return Ok(RuleSettings::default());
    };
    // Thresholds saved before a field existed take the field's default.
    let unreadable = |error: serde_json::Error| {
        tracing::error!(%error, setting = %setting, "unreadable attendance rules stored");
        AppError::Internal
    };
    let mut merged = serde_json::to_value(RuleSettings::default()).map_err(unreadable)?;
    let stored: serde_json::Value = serde_json::from_str(&text).map_err(unreadable)?;
    if let (Some(merged), Some(stored)) = (merged.as_object_mut(), stored.as_object()) {
        for (key, value) in stored {
            merged.insert(key.clone(), value.clone());
        }
    }
    serde_json::from_value(merged).map_err(unreadable)
}

/// Saves the setting's thresholds after checking them.
pub async fn save_rules(
    pool: &SqlitePool,
    setting: Uuid,
    rules: &RuleSettings,
) -> Result<(), AppError> {
    rules
        .check()
        .map_err(|message| AppError::invalid("thresholds", message))?;
    let text = serde_json::to_string(rules).map_err(|_| AppError::Internal)?;
    sqlx::query("UPDATE settings SET attendance_rules = ? WHERE id = ?")
        .bind(text)
        .bind(setting.to_string())
        .execute(pool)
        .await?;
    Ok(())
}

type ChildRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
);

/// Loads the setting's children (or one child) with rooms and booking patterns, including
/// children who have left, ordered by room then name.
pub async fn load_children(
    pool: &SqlitePool,
    setting: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<ChildInfo>, AppError> {
    let rows: Vec<ChildRow> = sqlx::query_as(
        "SELECT c.id, c.first_name, c.last_name, c.room_id, r.name, c.sen_support, c.start_date,
                c.leaving_date
         FROM children c JOIN rooms r ON r.id = c.room_id
         WHERE c.setting_id = ?1 AND (?2 IS NULL OR c.id = ?2)
         ORDER BY r.position, r.name, c.first_name, c.last_name",
    )
    .bind(setting.to_string())
    .bind(only.map(|id| id.to_string()))
    .fetch_all(pool)
    .await?;
    let bookings: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT b.child_id, b.weekday, b.session_code FROM bookings b
         JOIN children c ON c.id = b.child_id WHERE c.setting_id = ?1 AND (?2 IS NULL OR c.id = ?2)",
    )
    .bind(setting.to_string())
    .bind(only.map(|id| id.to_string()))
    .fetch_all(pool)
    .await?;
    let mut patterns: HashMap<String, Vec<(chrono::Weekday, String)>> = HashMap::new();
    for (child, weekday, code) in bookings {
        let day = u8::try_from(weekday - 1)
            .ok()
            .and_then(|day| chrono::Weekday::try_from(day).ok());
        if let Some(day) = day {
            patterns.entry(child).or_default().push((day, code));
        }
    }
    rows.into_iter()
        .map(
            |(id, first_name, last_name, room_id, room, sen, start, leaving)| {
                Ok(ChildInfo {
                    plan: ChildPlan {
                        start: parse_date(&start)?,
                        leaving: leaving.as_deref().map(parse_date).transpose()?,
                        bookings: patterns.remove(&id).unwrap_or_default(),
                    },
                    id: parse_id(&id)?,
                    first_name,
                    last_name,
                    room_id: parse_id(&room_id)?,
                    room,
                    sen: sen != 0,
                })
            },
        )
        .collect()
}

/// Loads register days from `range.from` to `range.to` for the setting's children (or one
/// child), derived from every stored event.
pub async fn load_days(
    pool: &SqlitePool,
    setting: Uuid,
    range: DateRange,
    only: Option<Uuid>,
) -> Result<HashMap<Uuid, BTreeMap<NaiveDate, ChildDay>>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT child_id, local_date, body, recorded_at FROM attendance_events
         WHERE setting_id = ?1 AND local_date BETWEEN ?2 AND ?3 AND (?4 IS NULL OR child_id = ?4)
         ORDER BY child_id, local_date",
    )
    .bind(setting.to_string())
    .bind(range.from.to_string())
    .bind(range.to.to_string())
    .bind(only.map(|id| id.to_string()))
    .fetch_all(pool)
    .await?;
    let mut grouped: HashMap<(String, String), Vec<AttendanceEvent>> = HashMap::new();
    for (child, date, body, recorded_at) in rows {
        grouped
            .entry((child, date))
            .or_default()
            .push(event_from_row(&body, &recorded_at)?);
    }
    let mut days: HashMap<Uuid, BTreeMap<NaiveDate, ChildDay>> = HashMap::new();
    for ((child, date), events) in grouped {
        days.entry(parse_id(&child)?)
            .or_default()
            .insert(parse_date(&date)?, derive_day(&events));
    }
    Ok(days)
}

/// A child with their session records over a range.
#[derive(Debug, Clone)]
pub struct ChildRecords {
    pub child: ChildInfo,
    pub records: Vec<SessionRecord>,
    /// Register days by date, for today's status and the call list.
    pub days: BTreeMap<NaiveDate, ChildDay>,
}

/// The first day the setting's figures count: the stored register start, or the day the
/// setting was created. Days before it are before the setting kept its register here (or
/// imported it), so they have no possible sessions. A mark dated earlier does not move it.
pub async fn register_start(
    pool: &SqlitePool,
    setting: &SettingRow,
) -> Result<NaiveDate, AppError> {
    let row: Option<(Option<String>, String)> =
        sqlx::query_as("SELECT register_start, created_at FROM settings WHERE id = ?")
            .bind(setting.id.to_string())
            .fetch_optional(pool)
            .await?;
    let Some((start, created)) = row else {
        return Err(AppError::not_found(format!("Setting {}", setting.id)));
    };
    match start {
        Some(start) => parse_date(&start),
        None => Ok(setting.calendar.local_date(super::parse_instant(&created)?)),
    }
}

/// Loads every child's (or one child's) session records from `range.from` to `range.to`,
/// starting no earlier than the first day of the setting's register.
pub async fn load_records(
    pool: &SqlitePool,
    setting: &SettingRow,
    rules: &RuleSettings,
    range: DateRange,
    now: DateTime<Utc>,
    only: Option<Uuid>,
) -> Result<Vec<ChildRecords>, AppError> {
    let children = load_children(pool, setting.id, only).await?;
    let mut days = load_days(pool, setting.id, range, only).await?;
    let start = register_start(pool, setting).await?;
    let range = DateRange {
        from: range.from.max(start),
        to: range.to,
    };
    let reports = super::absence_reports::load_reports(pool, setting.id, only, range.from).await?;
    let context = RecordContext {
        calendar: &setting.calendar,
        late_after_minutes: rules.late_after_minutes.into(),
        now,
    };
    Ok(children
        .into_iter()
        .map(|child| {
            let days = days.remove(&child.id).unwrap_or_default();
            let mut records = session_records(context, &child.plan, &days, range.from, range.to);
            let mine: Vec<AbsenceReport> = reports
                .iter()
                .filter(|report| report.child == child.id)
                .cloned()
                .collect();
            explain_missed(&mut records, &mine);
            ChildRecords {
                child,
                records,
                days,
            }
        })
        .collect())
}
