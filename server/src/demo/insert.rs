//! Writes a demo plan to the database through one open transaction. Each insert reuses the
//! statement sqlx prepared and cached on the connection for the first row.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use app::domain::calendar::weekday_short;
use app::store::format_instant;

use super::history::PlannedEvent;
use super::people::{ChildPlan, People};
use super::DemoPlan;

/// Inserts every row of `plan`, parents before the rows that refer to them.
pub(super) async fn insert_plan(
    conn: &mut SqliteConnection,
    plan: &DemoPlan,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    insert_setting(conn, plan, now).await?;
    insert_people(conn, plan, &plan.people).await?;
    insert_closures(conn, plan).await?;
    for planned in &plan.events {
        insert_event(conn, plan, planned).await?;
    }
    Ok(())
}

async fn insert_setting(
    conn: &mut SqliteConnection,
    plan: &DemoPlan,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let calendar = &plan.term.calendar;
    let weekdays: Vec<&str> = calendar
        .open_weekdays
        .iter()
        .map(|weekday| weekday_short(*weekday))
        .collect();
    sqlx::query("INSERT INTO settings (id, name, time_zone, open_weekdays, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(plan.setting_id.to_string())
        .bind(super::SETTING_NAME)
        .bind(calendar.time_zone.name())
        .bind(weekdays.join(","))
        .bind(format_instant(now))
        .execute(&mut *conn)
        .await?;
    for session in &calendar.sessions {
        sqlx::query("INSERT INTO setting_sessions (setting_id, code, name, starts, ends) VALUES (?, ?, ?, ?, ?)")
            .bind(plan.setting_id.to_string())
            .bind(&session.code)
            .bind(&session.name)
            .bind(session.starts.format("%H:%M").to_string())
            .bind(session.ends.format("%H:%M").to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn insert_people(
    conn: &mut SqliteConnection,
    plan: &DemoPlan,
    people: &People,
) -> Result<(), sqlx::Error> {
    for (position, room) in people.rooms.iter().enumerate() {
        let (min_age, max_age) = room.kind.age_months();
        sqlx::query(
            "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months, position)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(room.id.to_string())
        .bind(plan.setting_id.to_string())
        .bind(room.kind.name())
        .bind(min_age)
        .bind(max_age)
        .bind(position as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    for member in &people.staff {
        sqlx::query("INSERT INTO staff (id, setting_id, first_name, last_name, role, room_id) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(member.id.to_string())
            .bind(plan.setting_id.to_string())
            .bind(&member.first_name)
            .bind(&member.last_name)
            .bind(member.role)
            .bind(member.room_id.map(|room| room.to_string()))
            .execute(&mut *conn)
            .await?;
    }
    for child in &people.children {
        insert_child(conn, plan, child).await?;
    }
    Ok(())
}

async fn insert_child(
    conn: &mut SqliteConnection,
    plan: &DemoPlan,
    child: &ChildPlan,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO children (id, setting_id, first_name, last_name, date_of_birth, room_id, key_person_id,
         start_date, leaving_date, funded_hours, display_consent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(child.id.to_string())
    .bind(plan.setting_id.to_string())
    .bind(&child.first_name)
    .bind(&child.last_name)
    .bind(child.date_of_birth.to_string())
    .bind(child.room_id.to_string())
    .bind(child.key_person_id.to_string())
    .bind(child.start_date.to_string())
    .bind(child.leaving_date.map(|date| date.to_string()))
    .bind(child.funded_hours)
    .bind(i64::from(child.display_consent))
    .execute(&mut *conn)
    .await?;

    for (weekday, sessions) in &child.booking {
        for code in sessions.codes() {
            sqlx::query("INSERT INTO bookings (child_id, weekday, session_code) VALUES (?, ?, ?)")
                .bind(child.id.to_string())
                .bind(weekday.number_from_monday())
                .bind(*code)
                .execute(&mut *conn)
                .await?;
        }
    }

    for contact in &child.contacts {
        sqlx::query(
            "INSERT INTO contacts (id, child_id, name, relationship, phone, email, may_collect,
             collection_password, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(contact.id.to_string())
        .bind(child.id.to_string())
        .bind(&contact.name)
        .bind(contact.relationship)
        .bind(contact.phone.as_deref())
        .bind(contact.email.as_deref())
        .bind(i64::from(contact.may_collect))
        .bind(contact.collection_password)
        .bind(contact.position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn insert_closures(conn: &mut SqliteConnection, plan: &DemoPlan) -> Result<(), sqlx::Error> {
    for (closure, id) in plan.term.calendar.closures.iter().zip(&plan.closure_ids) {
        sqlx::query("INSERT INTO closures (id, setting_id, first_day, last_day, kind, name) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(id.to_string())
            .bind(plan.setting_id.to_string())
            .bind(closure.first_day.to_string())
            .bind(closure.last_day.to_string())
            .bind(&closure.kind)
            .bind(&closure.name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Inserts one event the way `app::store::record_events` stores it.
async fn insert_event(
    conn: &mut SqliteConnection,
    plan: &DemoPlan,
    planned: &PlannedEvent,
) -> Result<(), sqlx::Error> {
    app::store::insert_event_row(conn, plan.setting_id, &planned.event, planned.recorded_at).await
}
