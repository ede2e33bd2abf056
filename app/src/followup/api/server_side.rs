//! The server half of the follow-up functions: access checks, loading and recording.

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
use crate::domain::attendance::windows::{
    last_week, previous_six_weeks, previous_term, rolling_six_weeks, school_year, term, this_week,
    DateRange,
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
struct Ctx {
    caller: Caller,
    actor: Actor,
    pool: SqlitePool,
    setting: SettingRow,
    rules: RuleSettings,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
}

async fn context() -> Result<Ctx, AppError> {
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

async fn checked<T>(
    future: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    with_status(future.await)
}

/// Records for the twelve weeks the rules compare, up to now.
async fn rule_records(ctx: &Ctx, only: Option<Uuid>) -> Result<Vec<ChildRecords>, AppError> {
    let range = DateRange {
        from: previous_six_weeks(ctx.today).from,
        to: ctx.today,
    };
    load_records(&ctx.pool, &ctx.setting, &ctx.rules, range, ctx.now, only).await
}

async fn case_of(
    pool: &SqlitePool,
    child: Uuid,
) -> Result<(Vec<cases::LevelRow>, Vec<cases::CaseRow>), AppError> {
    Ok((
        cases::level_history(pool, child).await?,
        cases::case_log(pool, child).await?,
    ))
}

pub async fn morning() -> Result<MorningView, AppError> {
    checked(morning_inner()).await
}

async fn morning_inner() -> Result<MorningView, AppError> {
    let ctx = context().await?;
    let children = rule_records(&ctx, None).await?;
    let dismissed = cases::dismissals(&ctx.pool, ctx.setting.id).await?;
    let calls_today = cases::calls_on(&ctx.pool, ctx.setting.id, ctx.today).await?;
    let mut view = MorningView {
        setting_name: ctx.setting.name.clone(),
        today: long_date(ctx.today),
        closed: ctx
            .setting
            .calendar
            .closed_reason(ctx.today)
            .map(|reason| reason.describe()),
        calls: Vec::new(),
        call_after: ctx.rules.call_after_minutes,
        prompts: Vec::new(),
        suggestions: Vec::new(),
        reviews: Vec::new(),
        rooms: Vec::new(),
    };
    for child in children
        .iter()
        .filter(|child| child.child.plan.on_roll(ctx.today))
    {
        let (levels, log) = case_of(&ctx.pool, child.child.id).await?;
        let facts = cases::case_facts(&levels, &log);
        let mine: Vec<_> = dismissed
            .iter()
            .filter(|(id, ..)| *id == child.child.id)
            .map(|(_, level, rules, at)| (*level, rules.clone(), *at))
            .collect();
        if let Some(line) = suggestion_for(&ctx.rules, child, &facts, &mine, ctx.today) {
            view.suggestions.push(line);
        }
        let calls: Vec<_> = calls_today
            .iter()
            .filter(|call| call.0 == child.child.id)
            .collect();
        let due = call_due(
            &ctx.setting.calendar,
            &child.child.plan,
            child.days.get(&ctx.today),
            false,
            ctx.now,
            ctx.rules.call_after_minutes,
        );
        if let Some(due) = due {
            let expected = due - Duration::minutes(ctx.rules.call_after_minutes.into());
            view.calls.push(CallLine {
                child: child.child.id,
                name: child.child.full_name(),
                room: child.child.room.clone(),
                expected: format!(
                    "Expected at {}",
                    local_time_label(ctx.setting.calendar.time_zone, expected)
                ),
                contacts: contacts(&ctx.pool, child.child.id).await?,
                calls: calls
                    .iter()
                    .map(|(_, outcome, note, by, at)| {
                        let time = local_time_label(ctx.setting.calendar.time_zone, *at);
                        let note = if note.is_empty() {
                            String::new()
                        } else {
                            format!(": {note}")
                        };
                        format!("{time} {} ({by}){note}", outcome.label())
                    })
                    .collect(),
            });
        }
        let outcomes: Vec<CallOutcome> = calls.iter().map(|call| call.1).collect();
        let by_day = unexplained_by_day(&child.records);
        let run = unexplained_run(ctx.today, previous_six_weeks(ctx.today).from, |date| {
            if date == ctx.today {
                return due
                    .is_some()
                    .then_some(true)
                    .or_else(|| by_day.get(&date).copied());
            }
            by_day.get(&date).copied()
        });
        if let Some(words) =
            home_visit_prompt(&outcomes, run, ctx.rules.home_visit_days, due.is_some())
        {
            if !marked(child.days.get(&ctx.today)) {
                view.prompts.push(PromptLine {
                    child: child.child.id,
                    name: child.child.full_name(),
                    room: child.child.room.clone(),
                    words,
                });
            }
        }
        let entries: Vec<_> = log.iter().map(|e| (e.happened_on, e.next_review)).collect();
        if let Some(due) = review_due(&entries) {
            if due <= ctx.today + Duration::days(7) {
                view.reviews.push(ReviewLine {
                    child: child.child.id,
                    name: child.child.full_name(),
                    room: child.child.room.clone(),
                    due,
                    overdue: due < ctx.today,
                    level: facts.level.map_or(Level::Universal, |(level, _)| level),
                });
            }
        }
    }
    view.reviews.sort_by_key(|review| review.due);
    view.suggestions
        .sort_by_key(|line| std::cmp::Reverse(line.to));
    let today = crate::store::rooms_today(&ctx.pool, ctx.setting.id, ctx.now).await?;
    view.rooms = today
        .rooms
        .into_iter()
        .map(|room| RoomCounts {
            name: room.room.name,
            counts: room.room.counts,
        })
        .collect();
    Ok(view)
}

async fn contacts(pool: &SqlitePool, child: Uuid) -> Result<Vec<ContactLine>, AppError> {
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

pub async fn log_call(
    child: Uuid,
    outcome: String,
    reason: Option<String>,
    note: String,
) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        check_child(&ctx.pool, ctx.setting.id, child).await?;
        let outcome = CallOutcome::from_code(&outcome).ok_or_else(|| {
            AppError::invalid("outcome", format!("\"{outcome}\" is not a call outcome; choose reached, no answer or wrong number"))
        })?;
        let note = check_note("note", &note)?;
        let reason = match reason.filter(|reason| !reason.is_empty()) {
            Some(code) => Some(AbsenceReason::from_code(&code).ok_or_else(|| {
                AppError::invalid("reason", format!("\"{code}\" is not an absence reason; choose one from the list"))
            })?),
            None => None,
        };
        if reason.is_some() && outcome != CallOutcome::Reached {
            return Err(AppError::invalid("reason", "a reason can only be given when the family was reached"));
        }
        cases::log_call(&ctx.pool, &ctx.caller, &ctx.actor, child, ctx.today, outcome, &note, ctx.now).await?;
        if let Some(reason) = reason {
            record_absence(&ctx, child, reason, &note).await?;
        }
        Ok(())
    })
    .await
}

/// Marks the child absent today with the reason the family gave on the phone.
async fn record_absence(
    ctx: &Ctx,
    child: Uuid,
    reason: AbsenceReason,
    note: &str,
) -> Result<(), AppError> {
    let staff = ctx
        .caller
        .principal
        .person()
        .and_then(|person| person.staff);
    let event = AttendanceEvent {
        id: Uuid::now_v7(),
        child_id: child,
        date: ctx.today,
        occurred_at: ctx.now,
        recorded_at: None,
        staff_id: staff,
        device_id: Some("morning-calls".into()),
        action: EventAction::Absent {
            reason,
            note: (!note.is_empty()).then(|| format!("Given on the phone: {note}")),
        },
    };
    let outcome = crate::store::record_events(&ctx.pool, &ctx.caller, vec![event], ctx.now).await?;
    if let Some(rejected) = outcome.rejected.first() {
        return Err(AppError::conflict(format!(
            "the call was logged, but the absence could not be marked: {}",
            rejected.rejection.message
        )));
    }
    Ok(())
}

pub async fn decide(
    child: Uuid,
    to_level: u8,
    decision: String,
    note: String,
) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        check_child(&ctx.pool, ctx.setting.id, child).await?;
        let note = check_note("note", &note)?;
        let to = Level::from_number(to_level).ok_or_else(|| {
            AppError::invalid(
                "to_level",
                format!("{to_level} is not a level; use 1, 2 or 3"),
            )
        })?;
        let records = rule_records(&ctx, Some(child)).await?;
        let child_records = records
            .first()
            .ok_or_else(|| AppError::not_found("This child"))?;
        let (levels, log) = case_of(&ctx.pool, child).await?;
        let facts = cases::case_facts(&levels, &log);
        let line = suggestion_for(&ctx.rules, child_records, &facts, &[], ctx.today)
            .filter(|line| line.to == to)
            .ok_or_else(|| {
                AppError::conflict(
                    "this suggestion has changed since the page was loaded; reload the page",
                )
            })?;
        let rate = Evidence::gather(&child_records.records, ctx.today)
            .recent
            .rate;
        let change = NewLevel {
            child,
            level: to,
            since: ctx.today,
            rate: Some(rate),
            note,
            suggestion: Some((
                line.reasons
                    .iter()
                    .map(|reason| reason.rule.code().to_owned())
                    .collect(),
                line.reasons
                    .iter()
                    .map(|reason| reason.words.clone())
                    .collect(),
            )),
        };
        match decision.as_str() {
            "confirm" => {
                cases::set_level(&ctx.pool, &ctx.caller, &ctx.actor, change, ctx.now).await
            }
            "dismiss" if change.note.is_empty() => Err(AppError::invalid(
                "note",
                "say why the suggestion is dismissed, so the next person knows",
            )),
            "dismiss" => cases::dismiss(&ctx.pool, &ctx.caller, &ctx.actor, change, ctx.now).await,
            other => Err(AppError::invalid(
                "decision",
                format!("\"{other}\" is not a decision; use confirm or dismiss"),
            )),
        }
    })
    .await
}

fn parse_day(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    text.trim().parse().map_err(|_| {
        AppError::invalid(
            field,
            format!("\"{text}\" is not a date; use the form 2026-12-04"),
        )
    })
}

pub async fn dashboard(from: Option<String>, to: Option<String>) -> Result<Dashboard, AppError> {
    checked(async move {
        let ctx = context().await?;
        let custom = match (from.filter(|f| !f.is_empty()), to.filter(|t| !t.is_empty())) {
            (Some(from), Some(to)) => Some(
                DateRange::custom(parse_day("from", &from)?, parse_day("to", &to)?)
                    .map_err(|message| AppError::invalid("from", message))?,
            ),
            (None, None) => None,
            _ => {
                return Err(AppError::invalid(
                    "to",
                    "give both a start and an end date, or neither",
                ))
            }
        };
        let (term_name, this_term) = term(ctx.today);
        let (last_term_name, last_term) = previous_term(ctx.today);
        let period_range = custom.unwrap_or(this_term);
        let load_from = last_term
            .from
            .min(period_range.from)
            .min(last_week(ctx.today).from);
        let load_to = this_week(ctx.today).to.max(period_range.to);
        let range = DateRange {
            from: load_from,
            to: load_to,
        };
        let children =
            load_records(&ctx.pool, &ctx.setting, &ctx.rules, range, ctx.now, None).await?;
        let everything = all_records(&children, range);
        let period_name = if custom.is_some() {
            "Chosen dates"
        } else {
            term_name
        };
        let period = period(period_name, period_range, &everything);
        let mut rooms: Vec<FigureRow> = Vec::new();
        for child in &children {
            let figures = Figures::from_records(
                child
                    .records
                    .iter()
                    .filter(|r| period_range.contains(r.date)),
            );
            match rooms.iter_mut().find(|row| row.label == child.child.room) {
                Some(row) => row.figures.merge(&figures),
                None => rooms.push(FigureRow {
                    label: child.child.room.clone(),
                    figures,
                }),
            }
        }
        let period_records: Vec<_> = everything
            .iter()
            .copied()
            .filter(|record| period_range.contains(record.date))
            .cloned()
            .collect();
        let bands = ctx.rules.bands;
        let (mut counted, mut persistent, mut severe) = (0, 0, 0);
        for child in &children {
            let rate = Figures::from_records(
                child
                    .records
                    .iter()
                    .filter(|r| period_range.contains(r.date)),
            )
            .rate;
            match bands.band(rate) {
                Band::NoData => continue,
                Band::Severe => {
                    persistent += 1;
                    severe += 1;
                }
                Band::Persistent => persistent += 1,
                _ => {}
            }
            counted += 1;
        }
        Ok(Dashboard {
            setting_name: ctx.setting.name.clone(),
            this_week: period_of("This week", this_week(ctx.today), &everything),
            last_week: period_of("Last week", last_week(ctx.today), &everything),
            this_term: period_of(term_name, this_term, &everything),
            last_term: period_of(last_term_name, last_term, &everything),
            reasons: reason_rows(&period.figures),
            period,
            period_from: period_range.from,
            period_to: period_range.to,
            rooms,
            weekdays: weekday_rows(&period_records),
            children_counted: counted,
            persistent,
            severe,
            persistent_below: bands.persistent,
            severe_below: bands.severe,
            weekly: weekly(&period_records),
        })
    })
    .await
}

fn period_of(
    name: &str,
    range: DateRange,
    records: &[&crate::domain::attendance::sessions::SessionRecord],
) -> crate::followup::model::PeriodFigures {
    period(name, range, records)
}

pub async fn child_report(child: Uuid) -> Result<ChildReport, AppError> {
    checked(async move {
        let ctx = context().await?;
        check_child(&ctx.pool, ctx.setting.id, child).await?;
        let year = school_year(ctx.today);
        let range = DateRange {
            from: year.from.min(previous_six_weeks(ctx.today).from),
            to: ctx.today,
        };
        let loaded = load_records(
            &ctx.pool,
            &ctx.setting,
            &ctx.rules,
            range,
            ctx.now,
            Some(child),
        )
        .await?;
        let records = loaded
            .first()
            .ok_or_else(|| AppError::not_found("This child"))?;
        let (levels, log) = case_of(&ctx.pool, child).await?;
        let facts = cases::case_facts(&levels, &log);
        let dismissed: Vec<_> = cases::dismissals(&ctx.pool, ctx.setting.id)
            .await?
            .into_iter()
            .filter(|(id, ..)| *id == child)
            .map(|(_, level, rules, at)| (level, rules, at))
            .collect();
        let all: Vec<_> = records.records.iter().collect();
        let year_records: Vec<_> = records
            .records
            .iter()
            .filter(|r| year.contains(r.date))
            .cloned()
            .collect();
        let year_figures = period("This school year", year, &all);
        let key_person = key_person(&ctx.pool, child).await?;
        let entries: Vec<_> = log.iter().map(|e| (e.happened_on, e.next_review)).collect();
        let letters = cases::letters_sent(&ctx.pool, child)
            .await?
            .into_iter()
            .map(|(kind, by, at)| {
                format!("{}: sent {} by {by}", kind.label(), at.format("%-d %b %Y"))
            })
            .collect();
        Ok(ChildReport {
            id: child,
            name: records.child.full_name(),
            room: records.child.room.clone(),
            key_person,
            sen: records.child.sen,
            level: facts.level.map_or(Level::Universal, |(level, _)| level),
            level_since: facts
                .level
                .map(|(_, since)| since.format("%-d %B %Y").to_string()),
            reasons: reason_rows(&year_figures.figures),
            year: year_figures,
            recent: period("Last 6 weeks", rolling_six_weeks(ctx.today), &all),
            previous: period("The 6 weeks before", previous_six_weeks(ctx.today), &all),
            weekly: weekly(&year_records),
            weekdays: weekday_rows(&year_records),
            suggestion: suggestion_for(&ctx.rules, records, &facts, &dismissed, ctx.today),
            levels: levels
                .iter()
                .rev()
                .map(|row| LevelLine {
                    level: row.level,
                    since: row.since.format("%-d %b %Y").to_string(),
                    note: row.note.clone(),
                    by: row.decided_by.clone(),
                })
                .collect(),
            log: case_lines(&log),
            review_due: review_due(&entries).map(|date| date.format("%A %-d %B %Y").to_string()),
            letters,
            today: ctx.today,
        })
    })
    .await
}

fn case_lines(log: &[cases::CaseRow]) -> Vec<CaseLine> {
    log.iter()
        .rev()
        .map(|entry| CaseLine {
            id: entry.id,
            on: entry.happened_on.format("%-d %b %Y").to_string(),
            action: entry.kind.label().to_owned(),
            outcome: entry.outcome.clone(),
            review: entry
                .next_review
                .map(|date| date.format("%-d %b %Y").to_string()),
            corrects: entry.corrects.and_then(|id| {
                log.iter().find(|earlier| earlier.id == id).map(|earlier| {
                    format!(
                        "Corrects the entry of {}: {}",
                        earlier.happened_on.format("%-d %b %Y"),
                        earlier.kind.label()
                    )
                })
            }),
            by: entry.recorded_by.clone(),
        })
        .collect()
}

async fn key_person(pool: &SqlitePool, child: Uuid) -> Result<Option<String>, AppError> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT s.first_name, s.last_name FROM children c LEFT JOIN staff s ON s.id = c.key_person_id
         WHERE c.id = ?",
    )
    .bind(child.to_string())
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(first, last)| Some(format!("{} {}", first?, last.unwrap_or_default()))))
}

pub async fn add_case_entry(
    child: Uuid,
    kind: String,
    happened_on: String,
    outcome: String,
    next_review: Option<String>,
    corrects: Option<String>,
) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        check_child(&ctx.pool, ctx.setting.id, child).await?;
        let kind = ActionKind::from_code(&kind).ok_or_else(|| {
            AppError::invalid(
                "kind",
                format!("\"{kind}\" is not an action; choose one from the list"),
            )
        })?;
        let happened_on = parse_day("happened_on", &happened_on)?;
        if happened_on > ctx.today {
            return Err(AppError::invalid(
                "happened_on",
                format!("{happened_on} is in the future; record actions once they have happened"),
            ));
        }
        let next_review = match next_review.filter(|text| !text.trim().is_empty()) {
            Some(text) => Some(parse_day("next_review", &text)?),
            None => None,
        };
        if next_review.is_some_and(|review| review < happened_on) {
            return Err(AppError::invalid(
                "next_review",
                "the review date is before the action; choose a later date",
            ));
        }
        let corrects = match corrects.filter(|text| !text.is_empty()) {
            Some(text) => Some(Uuid::parse_str(&text).map_err(|_| {
                AppError::invalid("corrects", "choose the entry to correct from the list")
            })?),
            None => None,
        };
        let outcome = check_note("outcome", &outcome)?;
        let entry = NewCaseEntry {
            child,
            kind,
            happened_on,
            outcome,
            next_review,
            corrects,
        };
        cases::add_case_entry(&ctx.pool, &ctx.caller, &ctx.actor, entry, ctx.now).await?;
        Ok(())
    })
    .await
}

fn letter_kind(kind: &str) -> Result<LetterKind, AppError> {
    LetterKind::from_code(kind).ok_or_else(|| {
        AppError::invalid(
            "kind",
            format!("\"{kind}\" is not a letter; use concern or progress"),
        )
    })
}

async fn filled_letter(ctx: &Ctx, child: Uuid, kind: LetterKind) -> Result<LetterView, AppError> {
    check_child(&ctx.pool, ctx.setting.id, child).await?;
    let loaded = rule_records(ctx, Some(child)).await?;
    let records = loaded
        .first()
        .ok_or_else(|| AppError::not_found("This child"))?;
    let evidence = Evidence::gather(&records.records, ctx.today);
    let carer = contacts(&ctx.pool, child)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| "Parent or carer".to_owned(), |contact| contact.name);
    let template = cases::letter_template(&ctx.pool, ctx.setting.id, kind).await?;
    let values = [
        ("{carer}", carer),
        ("{child}", records.child.first_name.clone()),
        ("{setting}", ctx.setting.name.clone()),
        ("{manager}", ctx.actor.name.clone()),
        ("{recent_rate}", evidence.recent.rate.label()),
        (
            "{recent_attended}",
            evidence.recent.rate.attended.to_string(),
        ),
        (
            "{recent_possible}",
            evidence.recent.rate.possible.to_string(),
        ),
        ("{previous_rate}", evidence.previous.rate.label()),
    ];
    Ok(LetterView {
        child,
        child_name: records.child.full_name(),
        kind: kind.code().to_owned(),
        title: kind.label().to_owned(),
        date: ctx.today.format("%-d %B %Y").to_string(),
        body: fill(&template, &values),
    })
}

pub async fn letter(child: Uuid, kind: String) -> Result<LetterView, AppError> {
    checked(async move {
        let ctx = context().await?;
        filled_letter(&ctx, child, letter_kind(&kind)?).await
    })
    .await
}

pub async fn send_letter(child: Uuid, kind: String) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        let kind = letter_kind(&kind)?;
        let letter = filled_letter(&ctx, child, kind).await?;
        let body = format!("{}\n\n{}", letter.date, letter.body);
        cases::record_letter(
            &ctx.pool,
            &ctx.caller,
            &ctx.actor,
            child,
            kind,
            &body,
            ctx.today,
            ctx.now,
        )
        .await
    })
    .await
}

pub async fn letter_templates() -> Result<Vec<(String, String, String)>, AppError> {
    checked(async move {
        let ctx = context().await?;
        let mut list = Vec::new();
        for kind in LetterKind::ALL {
            let body = cases::letter_template(&ctx.pool, ctx.setting.id, kind).await?;
            list.push((kind.code().to_owned(), kind.label().to_owned(), body));
        }
        Ok(list)
    })
    .await
}

pub async fn save_letter_template(kind: String, body: String) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        let kind = letter_kind(&kind)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5_000 {
            return Err(AppError::invalid("body", "write the letter in 1 to 5,000 characters"));
        }
        let unknown = unknown_placeholders(body);
        if !unknown.is_empty() {
            return Err(AppError::invalid(
                "body",
                format!("{} is not a placeholder this letter can fill; check the spelling against the list", unknown.join(", ")),
            ));
        }
        cases::save_letter_template(&ctx.pool, &ctx.caller, &ctx.actor, kind, body, ctx.now).await
    })
    .await
}

pub async fn rules() -> Result<RuleSettings, AppError> {
    checked(async move { Ok(context().await?.rules) }).await
}

pub async fn save_rules(rules: RuleSettings) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        crate::store::attendance::save_rules(&ctx.pool, ctx.setting.id, &rules).await?;
        let entry = crate::store::accounts::AuditEntry::new(&ctx.caller, "thresholds_changed")
            .setting(ctx.setting.id)
            .detail(serde_json::to_string(&rules).unwrap_or_default());
        crate::store::accounts::audit(&ctx.pool, entry, ctx.now).await
    })
    .await
}
