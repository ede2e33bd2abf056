//! What a manager records: calls, decisions on suggestions and case-log entries.

use super::*;

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
            AppError::invalid(
                "outcome",
                format!(
                    "{} is not a call outcome; choose reached, no answer or wrong number",
                    quoted_value(&outcome)
                ),
            )
        })?;
        let note = check_note("note", &note)?;
        let reason = match reason.filter(|reason| !reason.is_empty()) {
            Some(code) => Some(AbsenceReason::from_code(&code).ok_or_else(|| {
                AppError::invalid(
                    "reason",
                    format!(
                        "{} is not an absence reason; choose one from the list",
                        quoted_value(&code)
                    ),
                )
            })?),
            None => None,
        };
        if reason.is_some() && outcome != CallOutcome::Reached {
            return Err(AppError::invalid(
                "reason",
                "a reason can only be given when the family was reached",
            ));
        }
        if reason.is_some_and(|reason| reason.needs_note()) && note.is_empty() {
            return Err(AppError::invalid(
                "note",
                format!(
                    "is needed with the reason \"{}\"; write what the family said",
                    reason.map_or("", |r| r.label())
                ),
            ));
        }
        check_still_missing(&ctx, child).await?;
        // The absence goes first: if the register rejects it, nothing is stored.
        if let Some(reason) = reason {
            record_absence(&ctx, child, reason, &note).await?;
        }
        let call = cases::NewCall {
            child,
            date: ctx.today,
            outcome,
            note: &note,
        };
        cases::log_call(&ctx.pool, &ctx.caller, &ctx.actor, call, ctx.now).await?;
        Ok(())
    })
    .await
}

/// Rejects a call about a child who is not booked today or already has a mark today, which
/// happens when the call list on screen is out of date.
async fn check_still_missing(ctx: &Ctx, child: Uuid) -> Result<(), AppError> {
    let today = DateRange {
        from: ctx.today,
        to: ctx.today,
    };
    let loaded = load_records(
        &ctx.pool,
        &ctx.setting,
        &ctx.rules,
        today,
        ctx.now,
        Some(child),
    )
    .await?;
    let record = loaded
        .first()
        .ok_or_else(|| AppError::not_found("This child"))?;
    if !record.child.plan.booked_on(ctx.today) {
        return Err(AppError::conflict(format!(
            "{} is not booked today, so there is no call to log; reload the page",
            record.child.first_name
        )));
    }
    if marked(record.days.get(&ctx.today)) {
        return Err(AppError::conflict(format!(
            "{} already has a mark today, so the call was not logged; reload the page",
            record.child.first_name
        )));
    }
    Ok(())
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
            note: (!note.is_empty()).then(|| note.to_owned()),
        },
    };
    let outcome = crate::store::record_events(&ctx.pool, &ctx.caller, vec![event], ctx.now).await?;
    if let Some(rejected) = outcome.rejected.first() {
        return Err(AppError::conflict(format!(
            "the absence could not be marked, so nothing was stored: {}",
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
                    "there is no suggestion of that level for this child now (it may have changed since the page was loaded); reload the page",
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
                format!(
                    "{} is not a decision; use confirm or dismiss",
                    quoted_value(other)
                ),
            )),
        }
    })
    .await
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
                format!(
                    "{} is not an action; choose one from the list",
                    quoted_value(&kind)
                ),
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
