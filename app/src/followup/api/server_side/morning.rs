//! The morning view: call list, home-visit prompts, suggestions, reviews and rooms.

use super::*;
use crate::domain::absence_report::AbsenceReport;
use crate::store::absence_reports::{load_reports, tablet_words};

/// One of today's calls: child, outcome, note, who and when.
type CallRow = (
    Uuid,
    CallOutcome,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
);

/// A dismissed suggestion: the level, the rules it gave and when.
type Dismissal = (Level, Vec<String>, chrono::DateTime<chrono::Utc>);

pub async fn morning() -> Result<MorningView, AppError> {
    checked(morning_inner()).await
}

async fn morning_inner() -> Result<MorningView, AppError> {
    let ctx = context().await?;
    let children = rule_records(&ctx, None).await?;
    let dismissed = cases::dismissals(&ctx.pool, ctx.setting.id).await?;
    let calls_today = cases::calls_on(&ctx.pool, ctx.setting.id, ctx.today).await?;
    let reports = load_reports(&ctx.pool, ctx.setting.id, None, ctx.today).await?;
    let mut view = empty_view(&ctx);
    for child in children.iter().filter(|c| c.child.plan.on_roll(ctx.today)) {
        let id = child.child.id;
        let (levels, log) = case_of(&ctx.pool, id).await?;
        let facts = cases::case_facts(&levels, &log);
        let mine: Vec<Dismissal> = dismissed
            .iter()
            .filter(|(child, ..)| *child == id)
            .map(|(_, level, rules, at)| (*level, rules.clone(), *at))
            .collect();
        view.suggestions
            .extend(suggestion_for(&ctx.rules, child, &facts, &mine, ctx.today));
        let calls: Vec<&CallRow> = calls_today.iter().filter(|call| call.0 == id).collect();
        let mine: Vec<&AbsenceReport> = reports
            .iter()
            .filter(|report| {
                report.child == id
                    && ctx
                        .setting
                        .calendar
                        .sessions
                        .iter()
                        .any(|session| report.covers(ctx.today, &session.code))
            })
            .collect();
        // Once the child has a mark of their own, the register speaks for the day.
        if !marked(child.days.get(&ctx.today)) {
            for report in &mine {
                view.reported.push(reported_line(&ctx, child, report));
            }
        }
        let due = call_due(
            &ctx.setting.calendar,
            &child.child.plan,
            child.days.get(&ctx.today),
            &|code: &str| mine.iter().any(|report| report.covers(ctx.today, code)),
            ctx.now,
            ctx.rules.call_after_minutes,
        );
        if let Some(due) = due {
            let contacts = contacts(&ctx.pool, id).await?;
            view.calls
                .push(call_line(&ctx, child, due, &calls, contacts));
        }
        view.prompts
            .extend(prompt_line(&ctx, child, due.is_some(), &calls));
        view.reviews.extend(review_line(&ctx, child, &facts, &log));
    }
    view.reviews.sort_by_key(|review| review.due);
    view.suggestions
        .sort_by_key(|line| std::cmp::Reverse(line.to));
    view.rooms = room_counts(&ctx).await?;
    Ok(view)
}

fn empty_view(ctx: &Ctx) -> MorningView {
    MorningView {
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
        reported: Vec::new(),
        suggestions: Vec::new(),
        reviews: Vec::new(),
        rooms: Vec::new(),
    }
}

/// A parent's report for today, with its note, for the manager.
fn reported_line(ctx: &Ctx, child: &ChildRecords, report: &AbsenceReport) -> PromptLine {
    let mut words = tablet_words(report, &ctx.setting.calendar, ctx.today);
    if let Some(note) = &report.note {
        words.push_str(&format!(". Note: {note}"));
    }
    PromptLine {
        child: child.child.id,
        name: child.child.full_name(),
        room: child.child.room.clone(),
        words,
    }
}

/// The call-list row of a child who joined the list at `due`.
fn call_line(
    ctx: &Ctx,
    child: &ChildRecords,
    due: chrono::DateTime<chrono::Utc>,
    calls: &[&CallRow],
    contacts: Vec<ContactLine>,
) -> CallLine {
    let zone = ctx.setting.calendar.time_zone;
    let expected = due - Duration::minutes(ctx.rules.call_after_minutes.into());
    let calls = calls
        .iter()
        .map(|(_, outcome, note, by, at)| {
            let time = local_time_label(zone, *at);
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(": {note}")
            };
            format!("{time} {} ({by}){note}", outcome.label())
        })
        .collect();
    CallLine {
        child: child.child.id,
        name: child.child.full_name(),
        room: child.child.room.clone(),
        expected: format!("Expected at {}", local_time_label(zone, expected)),
        contacts,
        calls,
    }
}

/// A home-visit prompt when nobody was reached today, or after unexplained absence on
/// consecutive booked days. Today counts once the child is on the call list, or when today's
/// mark is an absence with no reason.
fn prompt_line(
    ctx: &Ctx,
    child: &ChildRecords,
    on_call_list: bool,
    calls: &[&CallRow],
) -> Option<PromptLine> {
    let outcomes: Vec<CallOutcome> = calls.iter().map(|call| call.1).collect();
    let by_day = unexplained_by_day(&child.records);
    let marked_today = marked(child.days.get(&ctx.today));
    let run = unexplained_run(ctx.today, previous_six_weeks(ctx.today).from, |date| {
        if date != ctx.today || marked_today {
            by_day.get(&date).copied()
        } else if on_call_list {
            Some(true)
        } else {
            None
        }
    });
    let words = home_visit_prompt(&outcomes, run, ctx.rules.home_visit_days, on_call_list)?;
    Some(PromptLine {
        child: child.child.id,
        name: child.child.full_name(),
        room: child.child.room.clone(),
        words,
    })
}

/// The child's case review, when it is due within the next 7 days or overdue.
fn review_line(
    ctx: &Ctx,
    child: &ChildRecords,
    facts: &crate::domain::attendance::rules::CaseFacts,
    log: &[cases::CaseRow],
) -> Option<ReviewLine> {
    let entries: Vec<_> = cases::in_force(log)
        .into_iter()
        .map(|entry| (entry.happened_on, entry.next_review))
        .collect();
    let due = review_due(&entries).filter(|due| *due <= ctx.today + Duration::days(7))?;
    Some(ReviewLine {
        child: child.child.id,
        name: child.child.full_name(),
        room: child.child.room.clone(),
        due,
        overdue: due < ctx.today,
        level: facts.level.map_or(Level::Universal, |(level, _)| level),
    })
}

async fn room_counts(ctx: &Ctx) -> Result<Vec<RoomCounts>, AppError> {
    let today = crate::store::rooms_today(&ctx.pool, ctx.setting.id, ctx.now).await?;
    Ok(today
        .rooms
        .into_iter()
        .map(|room| RoomCounts {
            name: room.room.name,
            counts: room.room.counts,
        })
        .collect())
}
