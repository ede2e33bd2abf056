//! The server half of the follow-up functions: access checks, loading and recording. Each
//! submodule serves one group of pages.

mod actions;
mod letters;
mod morning;
mod reports;

pub use actions::{add_case_entry, decide, log_call};
pub use letters::{letter, letter_templates, rules, save_letter_template, save_rules, send_letter};
pub use morning::morning;
pub use reports::{child_report, dashboard};

use chrono::{Duration, NaiveDate};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::compute::{
    all_records, long_date, marked, period, reason_rows, suggestion_for, unexplained_by_day,
    weekday_rows, weekly,
};
use crate::auth::api::{manager, pool_and_clock, with_status};
use crate::domain::attendance::case::{review_due, ActionKind};
use crate::domain::attendance::figures::{Band, Figures};
use crate::domain::attendance::first_day::{
    call_due, home_visit_prompt, unexplained_run, CallOutcome,
};
use crate::domain::attendance::letters::{fill, unknown_placeholders, LetterKind};
use crate::domain::attendance::rules::{Evidence, Level, RuleSettings};
use crate::domain::attendance::windows::quoted_value;
use crate::domain::attendance::windows::{
    half_term, last_week, previous_six_weeks, previous_term, rolling_six_weeks, school_year, term,
    this_week, DateRange,
};
use crate::domain::calendar::local_time_label;
use crate::domain::events::{AttendanceEvent, EventAction};
use crate::domain::reasons::AbsenceReason;
use crate::error::AppError;
use crate::followup::model::{
    CallLine, CaseLine, ChildReport, ContactLine, Dashboard, FigureRow, LetterView, LevelLine,
    MorningView, PromptLine, ReviewLine, RoomCounts,
};
use crate::store::accounts::Caller;
use crate::store::attendance::{load_records, load_rules, ChildRecords};
use crate::store::cases::{self, check_child, check_note, Actor, NewCaseEntry, NewLevel};
use crate::store::SettingRow;

/// The manager's context for one request.
pub(super) struct Ctx {
    caller: Caller,
    actor: Actor,
    pool: SqlitePool,
    setting: SettingRow,
    rules: RuleSettings,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
}

pub(super) async fn context() -> Result<Ctx, AppError> {
    let (caller, setting, _) = with_status(manager())?;
    let actor = Actor::of(&caller).ok_or(AppError::SignInNeeded)?;
    let (pool, clock) = pool_and_clock()?;
    let setting = crate::store::load_setting_from_pool(&pool, setting).await?;
    let rules = load_rules(&pool, setting.id).await?;
    let now = clock.now();
    let today = setting.calendar.local_date(now);
    Ok(Ctx {
        caller,
        actor,
        pool,
        setting,
        rules,
        now,
        today,
    })
}

pub(super) async fn checked<T>(
    future: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    with_status(future.await)
}

/// Records for the twelve weeks the rules compare, up to now.
pub(super) async fn rule_records(
    ctx: &Ctx,
    only: Option<Uuid>,
) -> Result<Vec<ChildRecords>, AppError> {
    let range = DateRange {
        from: previous_six_weeks(ctx.today).from,
        to: ctx.today,
    };
    load_records(&ctx.pool, &ctx.setting, &ctx.rules, range, ctx.now, only).await
}

pub(super) async fn case_of(
    pool: &SqlitePool,
    child: Uuid,
) -> Result<(Vec<cases::LevelRow>, Vec<cases::CaseRow>), AppError> {
    Ok((
        cases::level_history(pool, child).await?,
        cases::case_log(pool, child).await?,
    ))
}

pub(super) async fn contacts(pool: &SqlitePool, child: Uuid) -> Result<Vec<ContactLine>, AppError> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT name, relationship, phone FROM contacts WHERE child_id = ? ORDER BY position",
    )
    .bind(child.to_string())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, relationship, phone)| ContactLine {
            name,
            relationship,
            phone,
        })
        .collect())
}

pub(super) fn parse_day(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    let date: NaiveDate = text.trim().parse().map_err(|_| {
        AppError::invalid(
            field,
            format!(
                "{} is not a date; use the form 2026-12-04",
                crate::domain::attendance::windows::quoted_value(text)
            ),
        )
    })?;
    crate::domain::attendance::windows::check_plausible(date)
        .map_err(|message| AppError::invalid(field, message))
}
