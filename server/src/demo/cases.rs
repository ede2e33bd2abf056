//! Planted case history for the graduated response: one child improving at Level 2, one
//! child at Level 2 with a family target whose attendance has not improved, and one child
//! with special educational needs support.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use sqlx::SqliteConnection;
use uuid::Uuid;

use app::store::format_instant;

/// A row id that depends only on what the row is about, so the demo stays repeatable.
fn row_id(parts: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(parts.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Returns `date`, or the Monday after it when it falls at a weekend.
fn weekday_on_or_after(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

/// The setting's manager's name, who the planted decisions and log entries are recorded by.
async fn manager_name(conn: &mut SqliteConnection, setting: Uuid) -> Result<String, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT first_name, last_name FROM staff WHERE setting_id = ? AND role = 'manager' LIMIT 1",
    )
    .bind(setting.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map_or_else(
        || "The manager".to_owned(),
        |(first, last)| format!("{first} {last}"),
    ))
}

/// Adds the planted levels, case-log entries and SEN flag. `today` is the setting's local date.
pub(super) async fn insert_cases(
    conn: &mut SqliteConnection,
    setting: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let who = Recorder {
        setting,
        manager: manager_name(conn, setting).await?,
        now,
    };
    sqlx::query(
        "UPDATE children SET sen_support = 1 WHERE setting_id = ? AND first_name = 'Amara'
         AND last_name = 'Osei'",
    )
    .bind(setting.to_string())
    .execute(&mut *conn)
    .await?;
    // Isaac Kowalski improved from about 70% to 100%: at Level 2 for nine weeks, his last six
    // weeks suggest a move back to Level 1.
    let isaac_since = today - Duration::weeks(9);
    if let Some(isaac) = child(conn, setting, "Isaac", "Kowalski").await? {
        level(
            conn,
            &who,
            &isaac,
            isaac_since,
            (21, 30),
            "Attendance below 90% in September.",
        )
        .await?;
        let entries = [
            (
                "call_made",
                isaac_since,
                "Spoke to Isaac's dad; mornings have been hard.",
                None,
            ),
            (
                "parent_meeting",
                isaac_since + Duration::days(7),
                "Agreed a morning routine.",
                None,
            ),
            (
                "family_target",
                isaac_since + Duration::days(7),
                "Target: 95% over the next 6 weeks.",
                Some(today - Duration::days(2)),
            ),
        ];
        for (kind, on, outcome, review) in entries {
            entry(conn, &who, &isaac, (kind, on, outcome, review)).await?;
        }
    }
    // Oscar Bennett stays at about 85%: at Level 2 for eight weeks with a family target, so
    // Level 3 is suggested.
    let oscar_since = today - Duration::weeks(8);
    if let Some(oscar) = child(conn, setting, "Oscar", "Bennett").await? {
        level(
            conn,
            &who,
            &oscar,
            oscar_since,
            (34, 40),
            "Patchy attendance all term.",
        )
        .await?;
        let entries = [
            (
                "call_made",
                oscar_since,
                "Spoke to Oscar's mum about coming in regularly.",
                None,
            ),
            (
                "family_target",
                oscar_since + Duration::days(5),
                "Target: 92% by the end of term.",
                Some(weekday_on_or_after(today + Duration::days(3))),
            ),
        ];
        for (kind, on, outcome, review) in entries {
            entry(conn, &who, &oscar, (kind, on, outcome, review)).await?;
        }
    }
    Ok(())
}

async fn child(
    conn: &mut SqliteConnection,
    setting: Uuid,
    first: &str,
    last: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM children WHERE setting_id = ? AND first_name = ? AND last_name = ?",
    )
    .bind(setting.to_string())
    .bind(first)
    .bind(last)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// The setting, the manager who records the planted rows, and when.
struct Recorder {
    setting: Uuid,
    manager: String,
    now: DateTime<Utc>,
}

async fn level(
    conn: &mut SqliteConnection,
    who: &Recorder,
    child: &str,
    since: NaiveDate,
    (attended, possible): (i64, i64),
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO child_levels (id, setting_id, child_id, level, since, rate_attended,
             rate_possible, note, decided_by, decided_at)
         VALUES (?, ?, ?, 2, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row_id(&format!("level {child} {since}")))
    .bind(who.setting.to_string())
    .bind(child)
    .bind(since.to_string())
    .bind(attended)
    .bind(possible)
    .bind(note)
    .bind(&who.manager)
    .bind(format_instant(who.now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn entry(
    conn: &mut SqliteConnection,
    who: &Recorder,
    child: &str,
    (kind, on, outcome, review): (&str, NaiveDate, &str, Option<NaiveDate>),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_entries (id, setting_id, child_id, kind, happened_on, outcome,
             next_review, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row_id(&format!("entry {child} {kind} {on}")))
    .bind(who.setting.to_string())
    .bind(child)
    .bind(kind)
    .bind(on.to_string())
    .bind(outcome)
    .bind(review.map(|date| date.to_string()))
    .bind(&who.manager)
    .bind(format_instant(who.now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
