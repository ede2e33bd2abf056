//! Database reads and writes for an import: loading the setting and inserting the planned
//! rooms, staff, children, bookings and contacts. The caller owns the transaction.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::SqliteConnection;

use app::domain::calendar::{local_date, parse_weekday, DEFAULT_TIME_ZONE};

use super::parse::{child_key, ChildKey, ContactRow};
use super::resolve::{NewRoom, NewStaff, Plan, PlannedChild, Room, SettingSnapshot, StaffMember};
use super::{ImportError, ImportSummary};

/// Format of dates in the database.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// Loads the first setting created, with its rooms, staff, sessions and children.
pub(super) async fn load_setting(
    conn: &mut SqliteConnection,
) -> Result<SettingSnapshot, ImportError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT id, time_zone, open_weekdays FROM settings ORDER BY created_at, id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, zone, weekdays)) = row else {
        return Err(ImportError::NoSetting);
    };
    let rooms = load_rooms(conn, &id).await?;
    let next_room_position = rooms
        .iter()
        .map(|(_, position)| position + 1)
        .max()
        .unwrap_or(0);
    Ok(SettingSnapshot {
        rooms: rooms.into_iter().map(|(room, _)| room).collect(),
        staff: load_staff(conn, &id).await?,
        session_codes: load_session_codes(conn, &id).await?,
        open_weekdays: weekdays
            .split(',')
            .filter_map(parse_weekday)
            .filter_map(|day| u8::try_from(day.number_from_monday()).ok())
            .collect(),
        children: load_children(conn, &id).await?,
        next_room_position,
        today: local_date(time_zone(&id, &zone), Utc::now()),
        id,
    })
}

/// Parses the setting's time zone, falling back to Europe/London when it is unknown.
fn time_zone(setting_id: &str, zone: &str) -> Tz {
    zone.parse().unwrap_or_else(|_| {
        tracing::warn!(
            setting = setting_id,
            zone,
            "unknown time zone stored for setting; using Europe/London"
        );
        DEFAULT_TIME_ZONE
    })
}

async fn load_rooms(
    conn: &mut SqliteConnection,
    setting_id: &str,
) -> Result<Vec<(Room, i64)>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, position FROM rooms WHERE setting_id = ? ORDER BY position, name",
    )
    .bind(setting_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, position)| (Room { id, name }, position))
        .collect())
}

async fn load_staff(
    conn: &mut SqliteConnection,
    setting_id: &str,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, first_name, last_name FROM staff WHERE setting_id = ?")
            .bind(setting_id)
            .fetch_all(conn)
            .await?;
    let staff = rows
        .into_iter()
        .map(|(id, first_name, last_name)| StaffMember {
            id,
            first_name,
            last_name,
        });
    Ok(staff.collect())
}

async fn load_session_codes(
    conn: &mut SqliteConnection,
    setting_id: &str,
) -> Result<HashSet<String>, sqlx::Error> {
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM setting_sessions WHERE setting_id = ?")
            .bind(setting_id)
            .fetch_all(conn)
            .await?;
    Ok(codes.into_iter().collect())
}

/// Loads the identity of every child in the setting. Children whose stored date of birth is
/// unreadable are skipped with a warning, so they are not checked for duplicates.
async fn load_children(
    conn: &mut SqliteConnection,
    setting_id: &str,
) -> Result<HashSet<ChildKey>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, first_name, last_name, date_of_birth FROM children WHERE setting_id = ?",
    )
    .bind(setting_id)
    .fetch_all(conn)
    .await?;
    let mut keys = HashSet::new();
    for (id, first_name, last_name, date_of_birth) in rows {
        match NaiveDate::parse_from_str(&date_of_birth, DATE_FORMAT) {
            Ok(date) => {
                keys.insert(child_key(&first_name, &last_name, date));
            }
            Err(error) => {
                tracing::warn!(child = id, %error, "unreadable date of birth in the database")
            }
        }
    }
    Ok(keys)
}

/// Inserts everything in `plan` into setting `setting_id`.
pub(super) async fn write_plan(
    conn: &mut SqliteConnection,
    setting_id: &str,
    plan: &Plan,
) -> Result<ImportSummary, sqlx::Error> {
    for room in &plan.new_rooms {
        insert_room(conn, setting_id, room).await?;
    }
    for staff in &plan.new_staff {
        insert_staff(conn, setting_id, staff).await?;
    }
    let mut contacts = 0;
    for child in &plan.children {
        insert_child(conn, setting_id, child).await?;
        insert_bookings(conn, child).await?;
        for contact in &child.row.contacts {
            insert_contact(conn, &child.id, contact).await?;
        }
        contacts += child.row.contacts.len();
    }
    Ok(ImportSummary {
        children: plan.children.len(),
        contacts,
        rooms_created: plan.new_rooms.len(),
        staff_created: plan.new_staff.len(),
    })
}

async fn insert_room(
    conn: &mut SqliteConnection,
    setting_id: &str,
    room: &NewRoom,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months, position) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&room.id)
    .bind(setting_id)
    .bind(&room.name)
    .bind(room.min_age_months)
    .bind(room.max_age_months)
    .bind(room.position)
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_staff(
    conn: &mut SqliteConnection,
    setting_id: &str,
    staff: &NewStaff,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff (id, setting_id, first_name, last_name, role, room_id) \
         VALUES (?, ?, ?, ?, 'practitioner', ?)",
    )
    .bind(&staff.id)
    .bind(setting_id)
    .bind(&staff.first_name)
    .bind(&staff.last_name)
    .bind(&staff.room_id)
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_child(
    conn: &mut SqliteConnection,
    setting_id: &str,
    child: &PlannedChild,
) -> Result<(), sqlx::Error> {
    let row = &child.row;
    sqlx::query(
        "INSERT INTO children (id, setting_id, first_name, last_name, date_of_birth, room_id, \
         key_person_id, start_date, leaving_date, funded_hours, display_consent, sen_support) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&child.id)
    .bind(setting_id)
    .bind(&row.first_name)
    .bind(&row.last_name)
    .bind(row.date_of_birth.format(DATE_FORMAT).to_string())
    .bind(&child.room_id)
    .bind(&child.key_person_id)
    .bind(row.start_date.format(DATE_FORMAT).to_string())
    .bind(
        row.leaving_date
            .map(|date| date.format(DATE_FORMAT).to_string()),
    )
    .bind(row.funded_hours.map(i64::from))
    .bind(i64::from(row.display_consent))
    .bind(i64::from(row.sen_support))
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_bookings(
    conn: &mut SqliteConnection,
    child: &PlannedChild,
) -> Result<(), sqlx::Error> {
    for booking in &child.row.bookings {
        sqlx::query("INSERT INTO bookings (child_id, weekday, session_code) VALUES (?, ?, ?)")
            .bind(&child.id)
            .bind(i64::from(booking.weekday))
            .bind(booking.session.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn insert_contact(
    conn: &mut SqliteConnection,
    child_id: &str,
    contact: &ContactRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contacts (id, child_id, name, relationship, phone, email, may_collect, \
         collection_password, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(child_id)
    .bind(&contact.name)
    .bind(&contact.relationship)
    .bind(&contact.phone)
    .bind(&contact.email)
    .bind(i64::from(contact.may_collect))
    .bind(&contact.collection_password)
    .bind(i64::from(contact.position))
    .execute(conn)
    .await?;
    Ok(())
}
