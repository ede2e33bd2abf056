//! Planning an import, which checks every row and turns the whole file into events or problems.

use std::collections::HashSet;

use chrono::NaiveDate;
use uuid::Uuid;

use super::check::{check_rows, duplicate_rows, CheckedRow};
use super::context::ImportContext;
use super::days::file_events;
use super::read::ParsedFile;
use super::RowError;
use crate::domain::events::AttendanceEvent;
use crate::followup::import::ImportSummary;

/// The events to store and the counts to report.
pub(super) struct ImportPlan {
    pub(super) events: Vec<AttendanceEvent>,
    pub(super) summary: ImportSummary,
}

/// Checks every row and turns the file into events, or returns every problem in line order.
pub(super) fn plan_import(
    parsed: ParsedFile,
    context: &ImportContext,
) -> Result<ImportPlan, Vec<RowError>> {
    let ParsedFile { rows, mut errors } = parsed;
    let row_count = rows.len() + errors.len();
    let checked = check_rows(&rows, context, &mut errors);
    errors.extend(duplicate_rows(&checked));
    let events = file_events(&checked, context, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|error| error.line);
        return Err(errors);
    }
    Ok(ImportPlan {
        summary: summarise(&checked, row_count, events.len()),
        events,
    })
}

fn summarise(rows: &[CheckedRow], row_count: usize, events: usize) -> ImportSummary {
    let dates: HashSet<NaiveDate> = rows.iter().map(|row| row.date).collect();
    let children: HashSet<Uuid> = rows.iter().map(|row| row.child.id).collect();
    ImportSummary {
        rows: row_count,
        days: dates.len(),
        children: children.len(),
        events,
        first_date: dates.iter().min().copied().unwrap_or_default(),
        last_date: dates.iter().max().copied().unwrap_or_default(),
    }
}
