//! Absences reported in advance by parents and carers: storing, withdrawing and loading them.
//! Both tables are append-only, and each change also goes to the audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::accounts::{write_audit, AuditEntry, Caller};
use super::{format_instant, parse_date, parse_id, parse_instant};
use crate::auth::Principal;
use crate::domain::absence_report::{
    check_report, may_withdraw, AbsenceReport, ReportFacts, ReportRequest,
};
use crate::domain::events::{derive_day, Presence};
use crate::domain::reasons::AbsenceReason;
use crate::error::AppError;

type ReportRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
);

const SELECT_REPORTS: &str =
    "SELECT r.id, r.child_id, r.first_day, r.last_day, r.sessions, r.reason, r.note, r.reported_at,
            w.report_id IS NOT NULL
     FROM absence_reports r LEFT JOIN absence_report_withdrawals w ON w.report_id = r.id";

fn report_from_row(row: ReportRow) -> Result<AbsenceReport, AppError> {
    let (id, child, first_day, last_day, sessions, reason, note, reported_at, withdrawn) = row;
    Ok(AbsenceReport {
        id: parse_id(&id)?,
        child: parse_id(&child)?,
        first_day: parse_date(&first_day)?,
        last_day: parse_date(&last_day)?,
        sessions: sessions
            .split(',')
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect(),
        reason: AbsenceReason::from_code(&reason).ok_or(AppError::Internal)?,
        note,
        reported_at: parse_instant(&reported_at)?,
        withdrawn: withdrawn != 0,
    })
}

/// Loads the setting's reports that end on or after `from`, withdrawn ones included, for one
/// child when `only` is given. Sorted by first day, then by when they were made.
pub async fn load_reports(
    pool: &SqlitePool,
    setting: Uuid,
    only: Option<Uuid>,
    from: NaiveDate,
) -> Result<Vec<AbsenceReport>, AppError> {
    let sql = format!(
        "{SELECT_REPORTS} WHERE r.setting_id = ?1 AND r.last_day >= ?2 AND (?3 IS NULL OR r.child_id = ?3)
         ORDER BY r.first_day, r.reported_at"
    );
    let rows: Vec<ReportRow> = sqlx::query_as(&sql)
        .bind(setting.to_string())
        .bind(from.to_string())
        .bind(only.map(|id| id.to_string()))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(report_from_row).collect()
}

async fn stored_report(
    conn: &mut SqliteConnection,
    id: Uuid,
) -> Result<Option<AbsenceReport>, AppError> {
    let sql = format!("{SELECT_REPORTS} WHERE r.id = ?");
    let row: Option<ReportRow> = sqlx::query_as(&sql)
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(report_from_row).transpose()
}

async fn child_reports(
    conn: &mut SqliteConnection,
    child: Uuid,
) -> Result<Vec<AbsenceReport>, AppError> {
    let sql = format!("{SELECT_REPORTS} WHERE r.child_id = ?");
    let rows: Vec<ReportRow> = sqlx::query_as(&sql)
        .bind(child.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(report_from_row).collect()
}

/// Returns the parent's account and setting when `child` is one of their children; anyone
/// else gets "not found", whether the child exists or not.
fn parent_of(caller: &Caller, child: Uuid) -> Result<(Uuid, Uuid), AppError> {
    match &caller.principal {
        Principal::Parent { person, children } if children.contains(&child) => {
            Ok((person.account, person.setting))
        }
        _ => Err(AppError::not_found(format!("Child {child}"))),
    }
}

/// True when the child has a mark in the register on `date`.
async fn marked_on(pool: &SqlitePool, child: Uuid, date: NaiveDate) -> Result<bool, AppError> {
    let events = super::record::load_events_for_children(pool, &[child], date).await?;
    Ok(events
        .get(&child)
        .is_some_and(|events| derive_day(events).presence != Presence::NotMarked))
}

/// Stores a parent's report after checking it. The same report sent again (same id and
/// content) returns the stored one and stores nothing new.
pub async fn save_report(
    pool: &SqlitePool,
    caller: &Caller,
    request: ReportRequest,
    now: DateTime<Utc>,
) -> Result<AbsenceReport, AppError> {
    let (account, setting_id) = parent_of(caller, request.child)?;
    let setting = super::load_setting_from_pool(pool, setting_id).await?;
    let rules = super::attendance::load_rules(pool, setting_id).await?;
    let children = super::attendance::load_children(pool, setting_id, Some(request.child)).await?;
    let Some(child) = children.first() else {
        return Err(AppError::not_found(format!("Child {}", request.child)));
    };
    let today = setting.calendar.local_date(now);
    let marked_today = marked_on(pool, child.id, today).await?;

    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(stored) = stored_report(&mut transaction, request.id).await? {
        transaction.rollback().await?;
        return same_report(stored, &request);
    }
    let existing = child_reports(&mut transaction, child.id).await?;
    let facts = ReportFacts {
        calendar: &setting.calendar,
        plan: &child.plan,
        first_name: &child.first_name,
        today,
        days_ahead: rules.report_days_ahead,
        marked_today,
        existing: &existing,
    };
    let checked = match check_report(&request, facts) {
        Ok(checked) => checked,
        Err(refusal) => {
            transaction.rollback().await?;
            return Err(AppError::invalid(refusal.field, refusal.message));
        }
    };
    sqlx::query(
        "INSERT INTO absence_reports (id, setting_id, child_id, first_day, last_day, sessions,
                                      reason, note, account_id, reported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(request.id.to_string())
    .bind(setting_id.to_string())
    .bind(child.id.to_string())
    .bind(checked.first_day.to_string())
    .bind(checked.last_day.to_string())
    .bind(checked.sessions.join(","))
    .bind(checked.reason.code())
    .bind(&checked.note)
    .bind(account.to_string())
    .bind(format_instant(now))
    .execute(&mut *transaction)
    .await?;
    let entry = AuditEntry::new(caller, "absence_reported")
        .setting(setting_id)
        .subject(format!("child {}", child.id))
        .detail(format!(
            "{} to {}, {} booked day(s), reason {}",
            checked.first_day,
            checked.last_day,
            checked.days.len(),
            checked.reason.code()
        ));
    write_audit(&mut transaction, &entry, now).await?;
    transaction.commit().await?;
    Ok(AbsenceReport {
        id: request.id,
        child: child.id,
        first_day: checked.first_day,
        last_day: checked.last_day,
        sessions: checked.sessions,
        reason: checked.reason,
        note: checked.note,
        reported_at: now,
        withdrawn: false,
    })
}

/// Returns the stored report when a resend matches it, or a conflict when its id was used for
/// other details.
fn same_report(stored: AbsenceReport, request: &ReportRequest) -> Result<AbsenceReport, AppError> {
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let last_day = if request.last_day.trim().is_empty() {
        day(&request.first_day)
    } else {
        day(&request.last_day)
    };
    let note = Some(request.note.trim()).filter(|note| !note.is_empty());
    let same = stored.child == request.child
        && Some(stored.first_day) == day(&request.first_day)
        && Some(stored.last_day) == last_day
        && stored.reason.code() == request.reason.trim()
        && stored.note.as_deref() == note;
    if same {
        Ok(stored)
    } else {
        Err(AppError::conflict(format!(
            "report {} is already stored with different details; make a new id for each report",
            request.id
        )))
    }
}

/// Withdraws a parent's future report. Withdrawing one already withdrawn changes nothing.
pub async fn withdraw_report(
    pool: &SqlitePool,
    caller: &Caller,
    report: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Everything that needs a second connection is read before the write transaction, which
    // holds one connection and SQLite's write lock until it ends.
    let not_found = || AppError::not_found(format!("Report {report}"));
    let stored = {
        let mut conn = pool.acquire().await?;
        stored_report(&mut conn, report).await?
    };
    let stored = stored.ok_or_else(not_found)?;
    let (account, setting_id) = parent_of(caller, stored.child).map_err(|_| not_found())?;
    let setting = super::load_setting_from_pool(pool, setting_id).await?;
    let today = setting.calendar.local_date(now);

    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let Some(stored) = stored_report(&mut transaction, report).await? else {
        transaction.rollback().await?;
        return Err(not_found());
    };
    if stored.withdrawn {
        transaction.rollback().await?;
        return Ok(());
    }
    if !may_withdraw(&stored, today) {
        transaction.rollback().await?;
        return Err(AppError::conflict(
            "this report has already started, so it stays on the register; phone the setting to change it",
        ));
    }
    sqlx::query(
        "INSERT INTO absence_report_withdrawals (report_id, account_id, withdrawn_at)
         VALUES (?, ?, ?)",
    )
    .bind(report.to_string())
    .bind(account.to_string())
    .bind(format_instant(now))
    .execute(&mut *transaction)
    .await?;
    let entry = AuditEntry::new(caller, "absence_report_withdrawn")
        .setting(setting_id)
        .subject(format!("child {}", stored.child))
        .detail(format!("report {report}"));
    write_audit(&mut transaction, &entry, now).await?;
    transaction.commit().await?;
    Ok(())
}

/// Describes a report for the room tablet, such as "Expected absent: Illness (reported by
/// parent at 07:45)". Only the reason and when are shown; the note stays with the manager.
pub fn tablet_words(
    report: &AbsenceReport,
    calendar: &crate::domain::calendar::SettingCalendar,
    today: NaiveDate,
) -> String {
    let zone = calendar.time_zone;
    let reported_on = crate::domain::calendar::local_date(zone, report.reported_at);
    let when = if reported_on == today {
        format!(
            "at {}",
            crate::domain::calendar::local_time_label(zone, report.reported_at)
        )
    } else {
        format!("on {}", reported_on.format("%a %-d %b"))
    };
    let sessions: Vec<&str> = report
        .sessions
        .iter()
        .filter_map(|code| calendar.session(code).map(|session| session.name.as_str()))
        .collect();
    let part = if sessions.is_empty() {
        String::new()
    } else {
        format!(" ({})", sessions.join(", "))
    };
    format!(
        "Expected absent{part}: {} (reported by parent {when})",
        crate::domain::absence_report::parent_reason_label(report.reason)
    )
}
