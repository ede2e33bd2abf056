//! The lobby display's data: which children have their carer's consent for display, and the
//! manager's messages.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::accounts::{write_audit, AuditEntry, Caller};
use super::parse_id;
use crate::error::AppError;

/// Loads the ids of the setting's children whose carers consented to display
/// (`children.display_consent = 1`).
pub async fn load_consent(pool: &SqlitePool, setting: Uuid) -> Result<HashSet<Uuid>, AppError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM children WHERE setting_id = ? AND display_consent = 1")
            .bind(setting.to_string())
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(|(id,)| parse_id(&id)).collect()
}

/// Loads the manager's messages; an empty list when none are saved, which means the defaults.
pub async fn load_messages(pool: &SqlitePool, setting: Uuid) -> Result<Vec<String>, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT lobby_messages FROM settings WHERE id = ?")
            .bind(setting.to_string())
            .fetch_optional(pool)
            .await?;
    let Some((Some(text),)) = row else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&text).map_err(|error| {
        tracing::error!(%error, %setting, "unreadable lobby messages stored");
        AppError::Internal
    })
}

/// Saves the manager's checked messages and records the change in the audit trail, both or
/// neither. An empty list goes back to the defaults.
pub async fn save_messages(
    pool: &SqlitePool,
    caller: &Caller,
    setting: Uuid,
    messages: &[String],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let stored = if messages.is_empty() {
        None
    } else {
        Some(serde_json::to_string(messages).map_err(|_| AppError::Internal)?)
    };
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE settings SET lobby_messages = ? WHERE id = ?")
        .bind(&stored)
        .bind(setting.to_string())
        .execute(&mut *tx)
        .await?;
    let detail = stored.unwrap_or_else(|| "default messages".to_owned());
    let entry = AuditEntry::new(caller, "lobby_messages_changed")
        .setting(setting)
        .detail(detail);
    write_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
