//! Turns loaded records into the follow-up views: suggestions, the call list and the
//! dashboard's breakdowns. No database access here.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::attendance::figures::{by_week, by_weekday, reason_label, Figures};
use crate::domain::attendance::rules::{suggest, CaseFacts, Evidence, Level, RuleSettings};
use crate::domain::attendance::sessions::SessionRecord;
use crate::domain::attendance::windows::DateRange;
use crate::domain::calendar::weekday_short;
use crate::domain::events::{ChildDay, Presence};
use crate::followup::model::{ChartPoint, FigureRow, PeriodFigures, SuggestionLine};
use crate::store::attendance::ChildRecords;

/// Figures for the records of `range`.
pub fn period(name: &str, range: DateRange, records: &[&SessionRecord]) -> PeriodFigures {
    PeriodFigures {
        name: name.to_owned(),
        dates: range.label(),
        figures: Figures::from_records(
            records
                .iter()
                .copied()
                .filter(|record| range.contains(record.date)),
        ),
    }
}

/// Every child's records in `range`, flattened.
pub fn all_records(children: &[ChildRecords], range: DateRange) -> Vec<&SessionRecord> {
    children
        .iter()
        .flat_map(|child| child.records.iter())
        .filter(|record| range.contains(record.date))
        .collect()
}

/// Weekly rates, oldest first, for a chart.
pub fn weekly(records: &[SessionRecord]) -> Vec<ChartPoint> {
    by_week(records)
        .into_iter()
        .filter(|(_, figures)| figures.rate.has_data())
        .map(|(monday, figures)| ChartPoint {
            label: monday.format("%-d %b").to_string(),
            rate: figures.rate,
        })
        .collect()
}

/// Figures by weekday as rows.
pub fn weekday_rows(records: &[SessionRecord]) -> Vec<FigureRow> {
    by_weekday(records)
        .into_iter()
        .map(|(day, figures)| FigureRow {
            label: weekday_short(day).to_owned(),
            figures,
        })
        .collect()
}

/// Missed sessions by reason label, most first.
pub fn reason_rows(figures: &Figures) -> Vec<(String, u32)> {
    let mut rows: Vec<(String, u32)> = figures
        .by_reason
        .iter()
        .map(|(code, count)| (reason_label(code).to_owned(), *count))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

/// The suggestion for a child, unless a manager dismissed the same move for the same rules
/// since the current level began.
pub fn suggestion_for(
    settings: &RuleSettings,
    child: &ChildRecords,
    case: &CaseFacts,
    dismissed: &[(Level, Vec<String>, DateTime<Utc>)],
    today: NaiveDate,
) -> Option<SuggestionLine> {
    if !child.child.plan.on_roll(today) {
        return None;
    }
    let evidence = Evidence::gather(&child.records, today);
    let suggestion = suggest(settings, &evidence, case, today)?;
    let level_began = case.level.map(|(_, since)| since);
    let hidden = dismissed.iter().any(|(level, rules, at)| {
        *level == suggestion.to
            && level_began.is_none_or(|since| at.date_naive() >= since)
            && suggestion
                .reasons
                .iter()
                .all(|reason| rules.iter().any(|rule| rule == reason.rule.code()))
    });
    if hidden {
        return None;
    }
    Some(SuggestionLine {
        child: child.child.id,
        name: child.child.full_name(),
        room: child.child.room.clone(),
        current: case.level.map_or(Level::Universal, |(level, _)| level),
        to: suggestion.to,
        reasons: suggestion.reasons,
        sen: child.child.sen,
    })
}

/// Whether each booked open day was missed with no reason: `Some(true)` unexplained,
/// `Some(false)` attended or explained, `None` no possible session.
pub fn unexplained_by_day(records: &[SessionRecord]) -> BTreeMap<NaiveDate, bool> {
    let mut days: BTreeMap<NaiveDate, bool> = BTreeMap::new();
    for record in records.iter().filter(|record| record.booked) {
        let unexplained = record.unexplained();
        days.entry(record.date)
            .and_modify(|day| *day &= unexplained)
            .or_insert(unexplained);
    }
    days
}

/// Whether the child has any mark today.
pub fn marked(day: Option<&ChildDay>) -> bool {
    day.is_some_and(|day| day.presence != Presence::NotMarked)
}

/// Label of a date such as "Friday 4 December".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A %-d %B").to_string()
}
