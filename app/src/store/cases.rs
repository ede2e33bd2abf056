//! The graduated response's records: levels, decisions on suggestions, the case log, first-day
//! calls, letter templates and letters sent. Every table is append-only apart from the
//! templates, and each change also goes to the audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::accounts::{write_audit, AuditEntry, Caller};
use super::{format_instant, parse_date, parse_id, parse_instant};
use crate::domain::attendance::case::ActionKind;
use crate::domain::attendance::figures::Rate;
use crate::domain::attendance::first_day::CallOutcome;
use crate::domain::attendance::letters::LetterKind;
use crate::domain::attendance::rules::{CaseFacts, Level};
use crate::domain::events::MAX_NOTE_CHARS;
use crate::error::AppError;

/// Who is acting: the manager's name and account, for the record's "who" column.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub account: Option<Uuid>,
    pub setting: Uuid,
}

impl Actor {
    /// Returns the actor for a signed-in person, or `None` for anyone else.
    pub fn of(caller: &Caller) -> Option<Self> {
        let person = caller.principal.person()?;
        Some(Self {
            name: person.name.clone(),
            account: Some(person.account),
            setting: person.setting,
        })
    }
}

/// One level change in a child's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LevelRow {
    pub level: Level,
    pub since: NaiveDate,
    pub rate: Option<Rate>,
    pub note: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// One case-log entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseRow {
    pub id: Uuid,
    pub kind: ActionKind,
    pub happened_on: NaiveDate,
    pub outcome: String,
    pub next_review: Option<NaiveDate>,
    pub corrects: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Checks a free-text note: trimmed, at most [`MAX_NOTE_CHARS`].
pub fn check_note(field: &str, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    let length = text.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            field,
            format!("is {length} characters long; shorten it to {MAX_NOTE_CHARS} or fewer"),
        ));
    }
    Ok(text.to_owned())
}

/// Checks the child belongs to the actor's setting, returning "not found" otherwise.
pub async fn check_child(pool: &SqlitePool, setting: Uuid, child: Uuid) -> Result<(), AppError> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM children WHERE id = ? AND setting_id = ?")
            .bind(child.to_string())
            .bind(setting.to_string())
            .fetch_optional(pool)
            .await?;
    found
        .map(|_| ())
        .ok_or_else(|| AppError::not_found("This child"))
}

/// A `child_levels` row: level, since, rate attended and possible, note, who and when.
type LevelDbRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
);

/// Seconds within which a second identical request counts as a repeat, such as a double tap
/// or a form sent twice.
const REPEAT_SECONDS: i64 = 60;

/// Returns a conflict when `query` (with the child, a key and an instant as ?1 to ?3) finds a
/// row made in the last [`REPEAT_SECONDS`]. Runs inside the write transaction, so two
/// requests at once cannot both pass.
async fn reject_repeat(
    conn: &mut sqlx::SqliteConnection,
    query: &str,
    (child, key): (Uuid, String),
    now: DateTime<Utc>,
    message: &str,
) -> Result<(), AppError> {
    let since = format_instant(now - chrono::Duration::seconds(REPEAT_SECONDS));
    let found: Option<(i64,)> = sqlx::query_as(query)
        .bind(child.to_string())
        .bind(key)
        .bind(since)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some(_) => Err(AppError::conflict(message)),
        None => Ok(()),
    }
}

/// Loads a child's level history, oldest first.
pub async fn level_history(pool: &SqlitePool, child: Uuid) -> Result<Vec<LevelRow>, AppError> {
    let rows: Vec<LevelDbRow> = sqlx::query_as(
        "SELECT level, since, rate_attended, rate_possible, note, decided_by, decided_at
             FROM child_levels WHERE child_id = ? ORDER BY decided_at, id",
    )
    .bind(child.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(level, since, attended, possible, note, by, at)| {
            let rate = attended.zip(possible).map(|(attended, possible)| Rate {
                attended: attended as u32,
                possible: possible as u32,
            });
            Ok(LevelRow {
                level: Level::from_number(level as u8).ok_or(AppError::Internal)?,
                since: parse_date(&since)?,
                rate,
                note,
                decided_by: by,
                decided_at: parse_instant(&at)?,
            })
        })
        .collect()
}

/// Loads a child's case log, oldest first.
pub async fn case_log(pool: &SqlitePool, child: Uuid) -> Result<Vec<CaseRow>, AppError> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, happened_on, outcome, next_review, corrects_id, recorded_by, recorded_at
         FROM case_entries WHERE child_id = ? ORDER BY recorded_at, id",
    )
    .bind(child.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, kind, on, outcome, review, corrects, by, at)| {
            Ok(CaseRow {
                id: parse_id(&id)?,
                kind: ActionKind::from_code(&kind).ok_or(AppError::Internal)?,
                happened_on: parse_date(&on)?,
                outcome,
                next_review: review.as_deref().map(parse_date).transpose()?,
                corrects: corrects.as_deref().map(parse_id).transpose()?,
                recorded_by: by,
                recorded_at: parse_instant(&at)?,
            })
        })
        .collect()
}

/// Returns the entries no later entry corrects, oldest first. A corrected entry stays in the
/// log for the record but no longer counts as a family plan or sets a review.
pub fn in_force(log: &[CaseRow]) -> Vec<&CaseRow> {
    log.iter()
        .filter(|entry| !log.iter().any(|later| later.corrects == Some(entry.id)))
        .collect()
}

/// Builds the case facts the rules need from a child's levels and log.
pub fn case_facts(levels: &[LevelRow], log: &[CaseRow]) -> CaseFacts {
    let Some(current) = levels.last() else {
        return CaseFacts::default();
    };
    let plan_recorded = in_force(log)
        .into_iter()
        .filter(|entry| entry.kind.is_family_plan() && entry.happened_on >= current.since)
        .map(|entry| entry.happened_on)
        .min();
    CaseFacts {
        level: Some((current.level, current.since)),
        rate_at_level_start: current.rate,
        plan_recorded,
    }
}

/// A new level for a child, from a confirmed suggestion or a manager's own decision.
#[derive(Debug, Clone)]
pub struct NewLevel {
    pub child: Uuid,
    pub level: Level,
    pub since: NaiveDate,
    pub rate: Option<Rate>,
    pub note: String,
    /// The suggestion's rules and reasons, when confirming one.
    pub suggestion: Option<(Vec<String>, Vec<String>)>,
}

/// Records a level change (and the confirmed suggestion, if any) with an audit row.
pub async fn set_level(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    change: NewLevel,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    reject_repeat(
        &mut tx,
        "SELECT 1 FROM suggestion_decisions WHERE child_id = ?1 AND to_level = ?2 AND decided_at > ?3",
        (change.child, change.level.number().to_string()),
        now,
        "this suggestion was decided a moment ago; reload the page to see the result",
    )
    .await?;
    if let Some((rules, reasons)) = &change.suggestion {
        insert_decision(&mut tx, actor, &change, rules, reasons, "confirmed", now).await?;
    }
    sqlx::query(
        "INSERT INTO child_levels (id, setting_id, child_id, level, since, rate_attended,
             rate_possible, note, decided_by, account_id, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(actor.setting.to_string())
    .bind(change.child.to_string())
    .bind(i64::from(change.level.number()))
    .bind(change.since.to_string())
    .bind(change.rate.map(|rate| i64::from(rate.attended)))
    .bind(change.rate.map(|rate| i64::from(rate.possible)))
    .bind(&change.note)
    .bind(&actor.name)
    .bind(actor.account.map(|id| id.to_string()))
    .bind(format_instant(now))
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry::new(caller, "level_changed")
        .setting(actor.setting)
        .subject(format!("child {}", change.child))
        .detail(format!("{}; {}", change.level.label(), change.note));
    write_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a dismissed suggestion with the manager's note.
pub async fn dismiss(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    change: NewLevel,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (rules, reasons) = change.suggestion.clone().unwrap_or_default();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    reject_repeat(
        &mut tx,
        "SELECT 1 FROM suggestion_decisions WHERE child_id = ?1 AND to_level = ?2 AND decided_at > ?3",
        (change.child, change.level.number().to_string()),
        now,
        "this suggestion was decided a moment ago; reload the page to see the result",
    )
    .await?;
    insert_decision(&mut tx, actor, &change, &rules, &reasons, "dismissed", now).await?;
    let entry = AuditEntry::new(caller, "suggestion_dismissed")
        .setting(actor.setting)
        .subject(format!("child {}", change.child))
        .detail(format!("{}; {}", change.level.label(), change.note));
    write_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn insert_decision(
    conn: &mut sqlx::SqliteConnection,
    actor: &Actor,
    change: &NewLevel,
    rules: &[String],
    reasons: &[String],
    decision: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO suggestion_decisions (id, setting_id, child_id, to_level, rules, reasons,
             decision, note, decided_by, account_id, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(actor.setting.to_string())
    .bind(change.child.to_string())
    .bind(i64::from(change.level.number()))
    .bind(rules.join(","))
    .bind(reasons.join("\n"))
    .bind(decision)
    .bind(&change.note)
    .bind(&actor.name)
    .bind(actor.account.map(|id| id.to_string()))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The newest dismissal of a move to `level` for each child, as (rules, local date made),
/// for hiding a suggestion already dismissed with the same reasons.
pub async fn dismissals(
    pool: &SqlitePool,
    setting: Uuid,
) -> Result<Vec<(Uuid, Level, Vec<String>, DateTime<Utc>)>, AppError> {
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT child_id, to_level, rules, decided_at FROM suggestion_decisions
         WHERE setting_id = ? AND decision = 'dismissed' ORDER BY decided_at",
    )
    .bind(setting.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(child, level, rules, at)| {
            Ok((
                parse_id(&child)?,
                Level::from_number(level as u8).ok_or(AppError::Internal)?,
                rules.split(',').map(str::to_owned).collect(),
                parse_instant(&at)?,
            ))
        })
        .collect()
}

/// A new case-log entry.
#[derive(Debug, Clone)]
pub struct NewCaseEntry {
    pub child: Uuid,
    pub kind: ActionKind,
    pub happened_on: NaiveDate,
    pub outcome: String,
    pub next_review: Option<NaiveDate>,
    pub corrects: Option<Uuid>,
}

impl NewCaseEntry {
    /// An entry with no review date that corrects nothing.
    pub fn plain(child: Uuid, kind: ActionKind, happened_on: NaiveDate, outcome: String) -> Self {
        Self {
            child,
            kind,
            happened_on,
            outcome,
            next_review: None,
            corrects: None,
        }
    }
}

/// Inserts one case-log row with id `id`, recorded by `actor` at `now`.
async fn insert_case_row(
    conn: &mut sqlx::SqliteConnection,
    actor: &Actor,
    id: Uuid,
    entry: &NewCaseEntry,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_entries (id, setting_id, child_id, kind, happened_on, outcome,
             next_review, corrects_id, recorded_by, account_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(actor.setting.to_string())
    .bind(entry.child.to_string())
    .bind(entry.kind.code())
    .bind(entry.happened_on.to_string())
    .bind(&entry.outcome)
    .bind(entry.next_review.map(|date| date.to_string()))
    .bind(entry.corrects.map(|id| id.to_string()))
    .bind(&actor.name)
    .bind(actor.account.map(|id| id.to_string()))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends a case-log entry with an audit row.
pub async fn add_case_entry(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    entry: NewCaseEntry,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    reject_repeat(
        &mut tx,
        "SELECT 1 FROM case_entries WHERE child_id = ?1 AND kind = ?2 AND recorded_at > ?3",
        (entry.child, entry.kind.code().to_owned()),
        now,
        "the same action was added to this child's log a moment ago; reload the page to see it",
    )
    .await?;
    if let Some(corrects) = entry.corrects {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM case_entries WHERE id = ? AND child_id = ?")
                .bind(corrects.to_string())
                .bind(entry.child.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if found.is_none() {
            return Err(AppError::not_found(format!("Case-log entry {corrects}")));
        }
    }
    insert_case_row(&mut tx, actor, id, &entry, now).await?;
    let audit = AuditEntry::new(caller, "case_entry_added")
        .setting(actor.setting)
        .subject(format!("child {}", entry.child))
        .detail(entry.kind.label());
    write_audit(&mut tx, &audit, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A first-day call to record.
#[derive(Debug, Clone, Copy)]
pub struct NewCall<'a> {
    pub child: Uuid,
    /// The setting-local day of the call.
    pub date: NaiveDate,
    pub outcome: CallOutcome,
    pub note: &'a str,
}

/// Appends a first-day call and the matching case-log entry.
pub async fn log_call(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    call: NewCall<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let NewCall {
        child,
        date,
        outcome,
        note,
    } = call;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    reject_repeat(
        &mut tx,
        "SELECT 1 FROM calls WHERE child_id = ?1 AND outcome = ?2 AND made_at > ?3",
        (child, outcome.code().to_owned()),
        now,
        "this call was logged a moment ago; reload the page to see it",
    )
    .await?;
    sqlx::query(
        "INSERT INTO calls (id, setting_id, child_id, local_date, outcome, note, made_by,
             account_id, made_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(actor.setting.to_string())
    .bind(child.to_string())
    .bind(date.to_string())
    .bind(outcome.code())
    .bind(note)
    .bind(&actor.name)
    .bind(actor.account.map(|id| id.to_string()))
    .bind(format_instant(now))
    .execute(&mut *tx)
    .await?;
    let outcome_words = if note.is_empty() {
        outcome.label().to_owned()
    } else {
        format!("{}: {note}", outcome.label())
    };
    let entry = NewCaseEntry::plain(child, ActionKind::CallMade, date, outcome_words);
    insert_case_row(&mut tx, actor, Uuid::now_v7(), &entry, now).await?;
    let audit = AuditEntry::new(caller, "call_logged")
        .setting(actor.setting)
        .subject(format!("child {child}"))
        .detail(outcome.label());
    write_audit(&mut tx, &audit, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Today's calls in the setting as (child, outcome, note, who, when), oldest first.
pub async fn calls_on(
    pool: &SqlitePool,
    setting: Uuid,
    date: NaiveDate,
) -> Result<Vec<(Uuid, CallOutcome, String, String, DateTime<Utc>)>, AppError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT child_id, outcome, note, made_by, made_at FROM calls
         WHERE setting_id = ? AND local_date = ? ORDER BY made_at, id",
    )
    .bind(setting.to_string())
    .bind(date.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(child, outcome, note, by, at)| {
            Ok((
                parse_id(&child)?,
                CallOutcome::from_code(&outcome).ok_or(AppError::Internal)?,
                note,
                by,
                parse_instant(&at)?,
            ))
        })
        .collect()
}

/// The setting's template for `kind`, or the built-in one.
pub async fn letter_template(
    pool: &SqlitePool,
    setting: Uuid,
    kind: LetterKind,
) -> Result<String, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM letter_templates WHERE setting_id = ? AND kind = ?")
            .bind(setting.to_string())
            .bind(kind.code())
            .fetch_optional(pool)
            .await?;
    Ok(row.map_or_else(|| kind.default_template().to_owned(), |(body,)| body))
}

/// Saves an edited template, with an audit row.
pub async fn save_letter_template(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    kind: LetterKind,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "INSERT INTO letter_templates (setting_id, kind, body, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (setting_id, kind) DO UPDATE SET body = excluded.body,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(actor.setting.to_string())
    .bind(kind.code())
    .bind(body)
    .bind(&actor.name)
    .bind(format_instant(now))
    .execute(&mut *tx)
    .await?;
    let audit = AuditEntry::new(caller, "letter_template_saved")
        .setting(actor.setting)
        .subject(kind.label());
    write_audit(&mut tx, &audit, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A letter as sent: the child, the kind, the filled text and the setting-local day.
#[derive(Debug, Clone, Copy)]
pub struct SentLetter<'a> {
    pub child: Uuid,
    pub kind: LetterKind,
    pub body: &'a str,
    pub today: NaiveDate,
}

/// Records a letter as sent, with its text, a case-log entry and an audit row.
pub async fn record_letter(
    pool: &SqlitePool,
    caller: &Caller,
    actor: &Actor,
    letter: SentLetter<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let SentLetter {
        child,
        kind,
        body,
        today,
    } = letter;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    reject_repeat(
        &mut tx,
        "SELECT 1 FROM letters_sent WHERE child_id = ?1 AND kind = ?2 AND sent_at > ?3",
        (child, kind.code().to_owned()),
        now,
        "this letter was recorded as sent a moment ago; reload the page to see it",
    )
    .await?;
    sqlx::query(
        "INSERT INTO letters_sent (id, setting_id, child_id, kind, body, sent_by, account_id,
             sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(actor.setting.to_string())
    .bind(child.to_string())
    .bind(kind.code())
    .bind(body)
    .bind(&actor.name)
    .bind(actor.account.map(|id| id.to_string()))
    .bind(format_instant(now))
    .execute(&mut *tx)
    .await?;
    let entry = NewCaseEntry::plain(
        child,
        ActionKind::LetterSent,
        today,
        kind.label().to_owned(),
    );
    insert_case_row(&mut tx, actor, Uuid::now_v7(), &entry, now).await?;
    let audit = AuditEntry::new(caller, "letter_sent")
        .setting(actor.setting)
        .subject(format!("child {child}"))
        .detail(kind.label());
    write_audit(&mut tx, &audit, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Letters sent to a child's family as (kind, who, when), newest first.
pub async fn letters_sent(
    pool: &SqlitePool,
    child: Uuid,
) -> Result<Vec<(LetterKind, String, DateTime<Utc>)>, AppError> {
    letter_rows(pool, child, "sent_by").await
}

/// Lists the letters sent about a child with their text, newest first, for the child's parents.
pub async fn letter_texts(
    pool: &SqlitePool,
    child: Uuid,
) -> Result<Vec<(LetterKind, String, DateTime<Utc>)>, AppError> {
    letter_rows(pool, child, "body").await
}

/// Loads each letter sent about a child as its kind, one text column (`sent_by` or `body`) and
/// when it was sent, newest first.
async fn letter_rows(
    pool: &SqlitePool,
    child: Uuid,
    column: &'static str,
) -> Result<Vec<(LetterKind, String, DateTime<Utc>)>, AppError> {
    let sql = format!(
        "SELECT kind, {column}, sent_at FROM letters_sent WHERE child_id = ? ORDER BY sent_at DESC"
    );
    let rows: Vec<(String, String, String)> = sqlx::query_as(&sql)
        .bind(child.to_string())
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|(kind, text, at)| {
            Ok((
                LetterKind::from_code(&kind).ok_or(AppError::Internal)?,
                text,
                parse_instant(&at)?,
            ))
        })
        .collect()
}
