//! Planted case history for the graduated response: one child improving at Level 2, one
//! child at Level 2 with a family target whose attendance has not improved, and one child
//! with special educational needs support.

use chrono::{DateTime, Duration, NaiveDate, Utc};
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

/// Who the planted decisions and log entries are recorded by.
const DEMO_MANAGER: &str = "Demo manager";

/// Adds the planted levels, case-log entries and SEN flag. `today` is the setting's local date.
pub(super) async fn insert_cases(
    conn: &mut SqliteConnection,
    setting: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
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
            setting,
            isaac.clone(),
            isaac_since,
            (21, 30),
            "Attendance below 90% in September.",
            now,
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
            entry(conn, setting, &isaac, kind, on, outcome, review, now).await?;
        }
    }
    // Oscar Bennett stays at about 85%: at Level 2 for eight weeks with a family target, so
    // Level 3 is suggested.
    let oscar_since = today - Duration::weeks(8);
    if let Some(oscar) = child(conn, setting, "Oscar", "Bennett").await? {
        level(
            conn,
            setting,
            oscar.clone(),
            oscar_since,
            (34, 40),
            "Patchy attendance all term.",
            now,
        )
        .await?;
        let entries = [
            ("letter_sent", oscar_since, "Concern about attendance", None),
            (
                "family_target",
                oscar_since + Duration::days(5),
                "Target: 92% by the end of term.",
                Some(today + Duration::days(3)),
            ),
        ];
        for (kind, on, outcome, review) in entries {
            entry(conn, setting, &oscar, kind, on, outcome, review, now).await?;
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

async fn level(
    conn: &mut SqliteConnection,
    setting: Uuid,
    child: String,
    since: NaiveDate,
    (attended, possible): (i64, i64),
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO child_levels (id, setting_id, child_id, level, since, rate_attended,
             rate_possible, note, decided_by, decided_at)
         VALUES (?, ?, ?, 2, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row_id(&format!("level {child} {since}")))
    .bind(setting.to_string())
    .bind(&child)
    .bind(since.to_string())
    .bind(attended)
    .bind(possible)
    .bind(note)
    .bind(DEMO_MANAGER)
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn entry(
    conn: &mut SqliteConnection,
    setting: Uuid,
    child: &str,
    kind: &str,
    on: NaiveDate,
    outcome: &str,
    review: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_entries (id, setting_id, child_id, kind, happened_on, outcome,
             next_review, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row_id(&format!("entry {child} {kind} {on}")))
    .bind(setting.to_string())
    .bind(child)
    .bind(kind)
    .bind(on.to_string())
    .bind(outcome)
    .bind(review.map(|date| date.to_string()))
    .bind(DEMO_MANAGER)
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
