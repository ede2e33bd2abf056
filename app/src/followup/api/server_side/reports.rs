//! The setting dashboard and each child's page.

use super::*;

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
        let year = school_year(ctx.today);
        let load_from = last_term
            .from
            .min(year.from)
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
            half_term: period_of(
                "This half-term",
                half_term(&ctx.setting.calendar, ctx.today),
                &everything,
            ),
            this_term: period_of(term_name, this_term, &everything),
            last_term: period_of(last_term_name, last_term, &everything),
            school_year: period_of("This school year", year, &everything),
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
        let entries: Vec<_> = cases::in_force(&log)
            .into_iter()
            .map(|entry| (entry.happened_on, entry.next_review))
            .collect();
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
            reported: reported_lines(&ctx, child).await?,
            today: ctx.today,
            threshold: ctx.rules.bands.persistent,
        })
    })
    .await
}

/// The child's reports from parents, from today on, for the manager: days, reason, sessions,
/// when it was made and the note.
async fn reported_lines(ctx: &Ctx, child: Uuid) -> Result<Vec<String>, AppError> {
    use crate::domain::absence_report::{parent_reason_label, range_words};
    let calendar = &ctx.setting.calendar;
    let reports = crate::store::absence_reports::load_reports(
        &ctx.pool,
        ctx.setting.id,
        Some(child),
        ctx.today,
    )
    .await?;
    Ok(reports
        .iter()
        .filter(|report| !report.withdrawn)
        .map(|report| {
            let sessions: Vec<&str> = report
                .sessions
                .iter()
                .filter_map(|code| calendar.session(code).map(|s| s.name.as_str()))
                .collect();
            let part = if sessions.is_empty() {
                String::new()
            } else {
                format!(" ({})", sessions.join(", "))
            };
            let made = report.reported_at.with_timezone(&calendar.time_zone);
            let note = report
                .note
                .as_ref()
                .map(|note| format!(" Note: {note}"))
                .unwrap_or_default();
            format!(
                "{}: {}{part}, reported {}.{note}",
                range_words(report.first_day, report.last_day),
                parent_reason_label(report.reason),
                made.format("%a %-d %b at %H:%M")
            )
        })
        .collect())
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
