//! The setting's children, staff and marked days, loaded once to check every imported row.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::error::AppError;
use crate::store::setting::{load_setting, SettingRow};
use crate::store::{parse_date, parse_id};

/// A child as the checks need them.
#[derive(Debug, Clone)]
pub(super) struct ChildFacts {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) start: NaiveDate,
    pub(super) leaving: Option<NaiveDate>,
}

/// The setting's facts that every row is checked against.
pub(super) struct ImportContext {
    pub(super) setting: SettingRow,
    /// The setting's local date now. Only earlier days can be imported.
    pub(super) today: NaiveDate,
    /// Minutes after a session's start from which an arrival is late.
    pub(super) late_after: Duration,
    /// Children by "First Last".
    pub(super) children: HashMap<String, Vec<ChildFacts>>,
    /// Staff ids by "First Last".
    pub(super) staff: HashMap<String, Vec<Uuid>>,
    /// Child-days that already have at least one event.
    pub(super) marked_days: HashSet<(Uuid, NaiveDate)>,
}

pub(super) async fn load_context(
    conn: &mut SqliteConnection,
    setting: Uuid,
    late_after_minutes: u32,
    now: DateTime<Utc>,
) -> Result<ImportContext, AppError> {
    let setting = load_setting(conn, setting).await?;
    let today = setting.calendar.local_date(now);
    let children = load_children_by_name(conn, setting.id).await?;
    let staff = load_staff_by_name(conn, setting.id).await?;
    let marked_days = load_marked_days(conn, setting.id).await?;
    Ok(ImportContext {
        setting,
        today,
        late_after: Duration::minutes(late_after_minutes.into()),
        children,
        staff,
        marked_days,
    })
}

async fn load_children_by_name(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashMap<String, Vec<ChildFacts>>, AppError> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, first_name, last_name, start_date, leaving_date FROM children
         WHERE setting_id = ?",
    )
    .bind(setting.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut children: HashMap<String, Vec<ChildFacts>> = HashMap::new();
    for (id, first, last, start, leaving) in rows {
        let name = format!("{first} {last}");
        let child = ChildFacts {
            id: parse_id(&id)?,
            name: name.clone(),
            start: parse_date(&start)?,
            leaving: leaving.as_deref().map(parse_date).transpose()?,
        };
        children.entry(name).or_default().push(child);
    }
    Ok(children)
}

async fn load_staff_by_name(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashMap<String, Vec<Uuid>>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, first_name || ' ' || last_name FROM staff WHERE setting_id = ?")
            .bind(setting.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut staff: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (id, name) in rows {
        staff.entry(name).or_default().push(parse_id(&id)?);
    }
    Ok(staff)
}

async fn load_marked_days(
    conn: &mut SqliteConnection,
    setting: Uuid,
) -> Result<HashSet<(Uuid, NaiveDate)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT child_id, local_date FROM attendance_events WHERE setting_id = ?",
    )
    .bind(setting.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|(child, date)| Ok((parse_id(child)?, parse_date(date)?)))
        .collect()
}
