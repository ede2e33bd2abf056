//! The history import's entry point, which stores a valid file in one `BEGIN IMMEDIATE`
//! transaction with an audit row.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::context::load_context;
use super::plan::plan_import;
use super::read::read_rows;
use super::{ImportFailure, RowError, MAX_IMPORT_BYTES};
use crate::error::AppError;
use crate::followup::import::ImportSummary;
use crate::store::accounts::{write_audit, AuditEntry, Caller};
use crate::store::attendance::load_rules;
use crate::store::record::insert_event_row;

/// Imports the past register in `text` into `setting`: either every row is stored, or none
/// is and the problems are returned. `caller` is named in the `history_imported` audit row.
pub async fn import_history(
    pool: &SqlitePool,
    setting: Uuid,
    caller: &Caller,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportFailure> {
    check_size(text)?;
    let parsed = read_rows(text).map_err(|error| reject(vec![error]))?;
    let rules = load_rules(pool, setting).await?;
    // IMMEDIATE takes the write lock now, so no mark can arrive for a child-day between the
    // check that the day has no marks and the inserts.
    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let context = load_context(&mut transaction, setting, rules.late_after_minutes, now).await?;
    // A rejected file rolls back at once: a dropped transaction keeps SQLite's write lock
    // until its connection is next used, which blocks other processes such as the CLI.
    let plan = match plan_import(parsed, &context) {
        Ok(plan) => plan,
        Err(errors) => {
            transaction.rollback().await?;
            return Err(reject(errors));
        }
    };
    for event in &plan.events {
        insert_event_row(&mut transaction, setting, event, now).await?;
    }
    // The figures start at the earliest imported day from now on, so the import counts.
    if !plan.events.is_empty() {
        move_register_start(&mut transaction, setting, plan.summary.first_date).await?;
    }
    let entry = audit_entry(caller, setting, &plan.summary);
    write_audit(&mut transaction, &entry, now).await?;
    transaction.commit().await?;
    tracing::info!(
        rows = plan.summary.rows,
        days = plan.summary.days,
        children = plan.summary.children,
        events = plan.summary.events,
        "history import stored"
    );
    Ok(plan.summary)
}

/// Moves the setting's register start back to `first`, when that is earlier than the start in
/// force (the stored one, or the day the setting was created).
async fn move_register_start(
    conn: &mut sqlx::SqliteConnection,
    setting: Uuid,
    first: chrono::NaiveDate,
) -> Result<(), sqlx::Error> {
    // The creation instant's UTC date stands in for the local one: they differ only for a
    // setting created within an hour of midnight in summer.
    sqlx::query(
        "UPDATE settings
         SET register_start = MIN(COALESCE(register_start, substr(created_at, 1, 10)), ?1)
         WHERE id = ?2",
    )
    .bind(first.to_string())
    .bind(setting.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Builds the `history_imported` audit row, which names the imported dates and the counts.
fn audit_entry(caller: &Caller, setting: Uuid, summary: &ImportSummary) -> AuditEntry {
    AuditEntry::new(caller, "history_imported")
        .setting(setting)
        .subject(format!(
            "register from {} to {}",
            summary.first_date, summary.last_date
        ))
        .detail(summary.counts_label())
}

/// Logs a rejected import by counts only, because the messages name children.
fn reject(errors: Vec<RowError>) -> ImportFailure {
    tracing::warn!(
        errors = errors.len(),
        "history import rejected; nothing was stored"
    );
    ImportFailure::Rejected(errors)
}

fn check_size(text: &str) -> Result<(), ImportFailure> {
    // A browser reading a file that is not UTF-8 turns each unreadable byte into U+FFFD, which
    // would silently change names such as José.
    if text.contains('\u{FFFD}') {
        return Err(ImportFailure::Failed(AppError::invalid(
            "csv",
            "the file has characters that could not be read, so it is not UTF-8 text; save \
             it as \"CSV UTF-8\" in your spreadsheet and choose it again",
        )));
    }
    if text.len() <= MAX_IMPORT_BYTES {
        return Ok(());
    }
    let megabytes = text.len() as f64 / (1024.0 * 1024.0);
    Err(ImportFailure::Failed(AppError::TooLarge {
        message: format!(
            "the file is {megabytes:.1} MB and an import takes at most {} MB; split it into \
             parts by date and import each part",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
    }))
}
