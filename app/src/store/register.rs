//! Queries that build the room register, the room chooser and the whole-setting view.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::setting::SettingRow;
use super::{parse_id, record::load_events_for_children};
use crate::auth::Principal;
use crate::domain::calendar::local_time_label;
use crate::domain::status::Counts;
use crate::error::AppError;
use crate::register::model::{
    ChildCard, CollectorOption, RegisterView, RoomSummary, RoomToday, SettingToday, StaffOption,
    TabletSummary,
};
use crate::sync::protocol::{ClockCheck, CLOCK_TOLERANCE_SECONDS};

/// A child on a room's roll, with the key person's name.
#[derive(sqlx::FromRow)]
struct RollRow {
    id: String,
    first_name: String,
    last_name: String,
    key_first: Option<String>,
    key_last: Option<String>,
}

struct RoomRow {
    id: Uuid,
    name: String,
    min_months: i64,
    max_months: i64,
}

fn ages_label(min_months: i64, max_months: i64) -> String {
    let part = |months: i64| {
        if months < 24 {
            format!("{months} months")
        } else {
            format!("{} years", months / 12)
        }
    };
    format!("{} to {}", part(min_months), part(max_months))
}

async fn rooms_of(pool: &SqlitePool, setting: &SettingRow) -> Result<Vec<RoomRow>, AppError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, name, min_age_months, max_age_months FROM rooms WHERE setting_id = ?
         ORDER BY position, name",
    )
    .bind(setting.id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, name, min_months, max_months)| {
            Ok(RoomRow {
                id: parse_id(&id)?,
                name,
                min_months,
                max_months,
            })
        })
        .collect()
}

/// Loads the cards of every child on the room's roll on `date`, sorted by first name.
async fn room_cards(
    pool: &SqlitePool,
    setting: &SettingRow,
    room_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<ChildCard>, AppError> {
    let date_text = date.to_string();
    let rows: Vec<RollRow> = sqlx::query_as(
        "SELECT c.id, c.first_name, c.last_name, s.first_name AS key_first, s.last_name AS key_last
         FROM children c LEFT JOIN staff s ON s.id = c.key_person_id
         WHERE c.room_id = ? AND c.start_date <= ? AND (c.leaving_date IS NULL OR c.leaving_date >= ?)
         ORDER BY c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE",
    )
    .bind(room_id.to_string())
    .bind(&date_text)
    .bind(&date_text)
    .fetch_all(pool)
    .await?;

    let weekday = date.weekday().number_from_monday() as i64;
    let bookings: Vec<(String, String)> = sqlx::query_as(
        "SELECT b.child_id, b.session_code FROM bookings b JOIN children c ON c.id = b.child_id
         WHERE c.room_id = ? AND b.weekday = ?",
    )
    .bind(room_id.to_string())
    .bind(weekday)
    .fetch_all(pool)
    .await?;
    let mut booked: HashMap<String, Vec<String>> = HashMap::new();
    for (child, code) in bookings {
        booked.entry(child).or_default().push(code);
    }

    let contacts: Vec<(String, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT k.child_id, k.id, k.name, k.relationship, k.may_collect, k.collection_password
         FROM contacts k JOIN children c ON c.id = k.child_id WHERE c.room_id = ?
         ORDER BY k.position, k.name",
    )
    .bind(room_id.to_string())
    .fetch_all(pool)
    .await?;
    let mut collectors: HashMap<String, Vec<CollectorOption>> = HashMap::new();
    let mut passwords: HashMap<String, bool> = HashMap::new();
    for (child, id, name, relationship, may_collect, password) in contacts {
        if password.as_deref().is_some_and(|p| !p.is_empty()) {
            passwords.insert(child.clone(), true);
        }
        if may_collect != 0 {
            collectors.entry(child).or_default().push(CollectorOption {
                id: parse_id(&id)?,
                name,
                relationship,
            });
        }
    }

    let ids: Vec<Uuid> = rows
        .iter()
        .map(|row| parse_id(&row.id))
        .collect::<Result<_, _>>()?;
    let mut events = load_events_for_children(pool, &ids, date).await?;
    let open = setting.calendar.closed_reason(date).is_none();
    let reports = super::absence_reports::load_reports(pool, setting.id, None, date).await?;

    let mut cards = Vec::with_capacity(rows.len());
    for (row, id) in rows.into_iter().zip(ids) {
        let RollRow {
            id: id_text,
            first_name,
            last_name,
            key_first,
            key_last,
        } = row;
        let codes = booked.remove(&id_text).unwrap_or_default();
        let sessions: Vec<String> = setting
            .calendar
            .sessions
            .iter()
            .filter(|session| codes.contains(&session.code))
            .map(|session| session.name.clone())
            .collect();
        let todays: Vec<_> = reports
            .iter()
            .filter(|report| {
                report.child == id
                    && setting
                        .calendar
                        .sessions
                        .iter()
                        .any(|session| report.covers(date, &session.code))
            })
            .collect();
        cards.push(ChildCard {
            id,
            first_name,
            last_name,
            key_person: key_first.map(|first| format!("{first} {}", key_last.unwrap_or_default())),
            booked: open && !sessions.is_empty(),
            sessions: sessions.join(", "),
            events: events.remove(&id).unwrap_or_default(),
            collectors: collectors.remove(&id_text).unwrap_or_default(),
            has_collection_password: passwords.contains_key(&id_text),
            // Every report for today, so a second one (say, for the afternoon) changes the
            // card and the roster, and reaches tablets at their next sync.
            expected_absence: Some(
                todays
                    .iter()
                    .map(|report| {
                        super::absence_reports::tablet_words(report, &setting.calendar, date)
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .filter(|words| !words.is_empty()),
            reported_reason: todays
                .iter()
                .max_by_key(|report| report.reported_at)
                .map(|report| report.reason),
        });
    }
    Ok(cards)
}

fn counts_of(cards: &[ChildCard]) -> Counts {
    let mut counts = Counts::default();
    for card in cards {
        counts.add(card.booked, &card.day().presence);
    }
    counts
}

/// Builds the room register for the setting's local today.
pub async fn room_register(
    pool: &SqlitePool,
    caller: &Principal,
    room_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegisterView, AppError> {
    let setting_id = super::sync::room_setting(pool, caller, room_id).await?;
    let setting = super::setting::load_setting_from_pool(pool, setting_id).await?;
    let rooms = rooms_of(pool, &setting).await?;
    let Some(room) = rooms.into_iter().find(|room| room.id == room_id) else {
        return Err(AppError::not_found(format!("Room {room_id}")));
    };
    let date = setting.calendar.local_date(now);
    let children = room_cards(pool, &setting, room.id, date).await?;

    let staff: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT s.id, s.first_name, s.last_name, p.pin_hash
         FROM staff s LEFT JOIN staff_pins p ON p.staff_id = s.id WHERE s.setting_id = ?
         ORDER BY (s.room_id = ?) DESC, s.first_name, s.last_name",
    )
    .bind(setting.id.to_string())
    .bind(room.id.to_string())
    .fetch_all(pool)
    .await?;
    // A tablet lists the staff with a PIN, and checks PINs itself; a signed-in person marks
    // as themselves, so their view carries no PINs.
    let tablet = matches!(caller, Principal::RoomTablet { .. });
    let staff = staff
        .into_iter()
        .filter(|(_, _, _, pin)| !tablet || pin.is_some())
        .map(|(id, first, last, pin)| {
            Ok(StaffOption {
                id: parse_id(&id)?,
                name: format!("{first} {last}"),
                pin_hash: if tablet { pin } else { None },
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let (pin_remember_minutes,): (i64,) =
        sqlx::query_as("SELECT pin_remember_minutes FROM settings WHERE id = ?")
            .bind(setting.id.to_string())
            .fetch_one(pool)
            .await?;

    Ok(RegisterView {
        setting_name: setting.name.clone(),
        time_zone: setting.calendar.time_zone.name().to_owned(),
        date,
        server_now: now,
        closed: setting
            .calendar
            .closed_reason(date)
            .map(|reason| reason.describe()),
        room: RoomSummary {
            id: room.id,
            ages: ages_label(room.min_months, room.max_months),
            name: room.name,
            counts: counts_of(&children),
        },
        staff,
        marking_as: caller.person().and_then(|person| person.staff),
        pin_remember_minutes: u32::try_from(pin_remember_minutes).unwrap_or(10),
        children,
    })
}

/// Lists the setting's rooms with today's counts, for the room chooser.
pub async fn rooms_today(
    pool: &SqlitePool,
    setting: Uuid,
    now: DateTime<Utc>,
) -> Result<SettingToday, AppError> {
    setting_today(pool, setting, now).await.map(|mut today| {
        for room in &mut today.rooms {
            room.not_yet_arrived.clear();
        }
        today.tablets.clear();
        today
    })
}

/// Builds the whole-setting view: each room's counts and who has not arrived yet.
pub async fn setting_today(
    pool: &SqlitePool,
    setting: Uuid,
    now: DateTime<Utc>,
) -> Result<SettingToday, AppError> {
    let setting = super::setting::load_setting_from_pool(pool, setting).await?;
    let date = setting.calendar.local_date(now);
    let mut totals = Counts::default();
    let mut rooms = Vec::new();
    for room in rooms_of(pool, &setting).await? {
        let cards = room_cards(pool, &setting, room.id, date).await?;
        let counts = counts_of(&cards);
        totals.merge(&counts);
        let not_yet_arrived = cards
            .iter()
            .filter(|card| {
                card.booked && card.day().presence == crate::domain::events::Presence::NotMarked
            })
            .map(|card| {
                format!(
                    "{} {}.",
                    card.first_name,
                    card.last_name.chars().next().unwrap_or(' ')
                )
            })
            .collect();
        rooms.push(RoomToday {
            room: RoomSummary {
                id: room.id,
                ages: ages_label(room.min_months, room.max_months),
                name: room.name,
                counts,
            },
            not_yet_arrived,
        });
    }
    let tablets = tablets_of(pool, &setting, &rooms, now).await?;
    Ok(SettingToday {
        tablets,
        setting_name: setting.name,
        date,
        closed: setting
            .calendar
            .closed_reason(date)
            .map(|reason| reason.describe()),
        rooms,
        totals,
    })
}

async fn tablets_of(
    pool: &SqlitePool,
    setting: &SettingRow,
    rooms: &[RoomToday],
    now: DateTime<Utc>,
) -> Result<Vec<TabletSummary>, AppError> {
    let zone = setting.calendar.time_zone;
    let today = setting.calendar.local_date(now);
    let devices = super::sync::devices_of_setting(pool, setting.id).await?;
    Ok(devices
        .into_iter()
        .map(|device| {
            let super::sync::SyncedDevice {
                id,
                name,
                room,
                last_sync,
                clock_offset_seconds: offset_seconds,
            } = device;
            let tail: String = id
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let clock = ClockCheck {
                offset_seconds,
                flagged: offset_seconds.abs() > CLOCK_TOLERANCE_SECONDS,
            };
            let time = local_time_label(zone, last_sync);
            let last_sync = if setting.calendar.local_date(last_sync) == today {
                time
            } else {
                format!("{} {time}", setting.calendar.local_date(last_sync))
            };
            TabletSummary {
                label: name.unwrap_or_else(|| format!("Tablet {tail}")),
                room_name: rooms
                    .iter()
                    .find(|r| r.room.id == room)
                    .map_or_else(|| "another room".to_owned(), |r| r.room.name.clone()),
                last_sync,
                clock_problem: clock.flagged.then(|| clock.words()),
            }
        })
        .collect())
}
