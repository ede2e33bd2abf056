//! Pairing codes made from the command line, for setting up tablets without the web pages.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

/// Makes a pairing code for a device in the first setting, on behalf of its first manager.
/// `room` names the room of a room tablet; `None` makes a lobby display's code.
pub async fn pairing_code(
    pool: &SqlitePool,
    room: Option<&str>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let manager: Option<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.setting_id FROM accounts a JOIN settings s ON s.id = a.setting_id
         WHERE a.role = 'manager' AND a.disabled_at IS NULL
         ORDER BY s.created_at, a.created_at LIMIT 1",
    )
    .fetch_optional(pool)
    .await
    .map_err(|error| error.to_string())?;
    let Some((manager, setting)) = manager else {
        return Err("no manager account exists yet; set one up with the link printed when the server starts".into());
    };
    let parse = |text: &str| Uuid::parse_str(text).map_err(|error| error.to_string());
    let room = match room {
        Some(room_name) => {
            let found: Option<(String,)> =
                sqlx::query_as("SELECT id FROM rooms WHERE setting_id = ? AND name = ?")
                    .bind(&setting)
                    .bind(room_name)
                    .fetch_optional(pool)
                    .await
                    .map_err(|error| error.to_string())?;
            let (id,) = found.ok_or_else(|| {
                format!("no room is called \"{room_name}\"; check the spelling, capitals included")
            })?;
            Some(parse(&id)?)
        }
        None => None,
    };
    app::store::devices::start_enrolment(pool, parse(&setting)?, room, name, parse(&manager)?, now)
        .await
        .map(|code| code.code)
        .map_err(|error| error.to_string())
}
