//! The attendance log: append-only events and the rules that derive a child's day from them.
//!
//! Nothing is updated or deleted. An undo or a correction is a later event that points at the
//! mark it changes, so the full history stays readable.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reasons::AbsenceReason;

/// Maximum length of a free-text note, reason or name, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The person who collected a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collector {
    /// The contact record, when the collector is one of the child's contacts.
    pub contact_id: Option<Uuid>,
    pub name: String,
    /// Whether the collector is on the child's list of people who may collect. The server
    /// sets this from its own records and ignores what the tablet sent.
    #[serde(default)]
    pub on_list: bool,
}

/// The change a correction makes to the mark it targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Correction {
    /// The arrival or departure happened at another time.
    Time { at: DateTime<Utc> },
    /// The absence had another reason, or a reason is now known.
    Reason {
        reason: AbsenceReason,
        note: Option<String>,
    },
    /// The mark should not have been made.
    Withdraw,
}

/// The fact an attendance event records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventAction {
    Arrived,
    Departed {
        collected_by: Collector,
    },
    Absent {
        reason: AbsenceReason,
        note: Option<String>,
    },
    /// Withdraws a mark moments after it was made.
    Undone {
        target: Uuid,
    },
    Corrected {
        target: Uuid,
        correction: Correction,
        reason: String,
    },
}

impl EventAction {
    /// Returns the stable name stored in the `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Arrived => "arrived",
            Self::Departed { .. } => "departed",
            Self::Absent { .. } => "absent",
            Self::Undone { .. } => "undone",
            Self::Corrected { .. } => "corrected",
        }
    }

    /// Returns the mark an undo or correction points at.
    pub fn target(&self) -> Option<Uuid> {
        match self {
            Self::Undone { target } | Self::Corrected { target, .. } => Some(*target),
            _ => None,
        }
    }
}

/// One entry in the attendance log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceEvent {
    /// Made by the device that recorded the mark (UUID v7), so a retry can never store it twice.
    pub id: Uuid,
    pub child_id: Uuid,
    /// The setting-local date the event belongs to.
    pub date: NaiveDate,
    /// When the mark was made, by the recording device's clock.
    pub occurred_at: DateTime<Utc>,
    /// When the server stored the event; `None` until it has.
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
    pub staff_id: Option<Uuid>,
    pub device_id: Option<String>,
    #[serde(flatten)]
    pub action: EventAction,
}

/// A time the child was at the setting. `departed` is `None` while the child is still here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub arrival_id: Uuid,
    pub arrived: DateTime<Utc>,
    pub departure_id: Option<Uuid>,
    pub departed: Option<DateTime<Utc>>,
    pub collected_by: Option<Collector>,
}

/// A child's state on a day, from the marks in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "presence", rename_all = "snake_case")]
pub enum Presence {
    NotMarked,
    Here {
        since: DateTime<Utc>,
    },
    GoneHome {
        departed: DateTime<Utc>,
        collected_by: Option<Collector>,
    },
    Absent {
        absence_id: Uuid,
        reason: AbsenceReason,
        note: Option<String>,
    },
}

/// A child's day, derived from every event for that child and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDay {
    pub presence: Presence,
    pub visits: Vec<Visit>,
    /// Marks that contradict each other, in words, for staff to resolve with a correction.
    pub conflicts: Vec<String>,
}

/// A mark (arrival, departure or absence) with every undo and correction applied.
#[derive(Debug, Clone, PartialEq)]
struct Mark {
    id: Uuid,
    at: DateTime<Utc>,
    action: EventAction,
    withdrawn: bool,
}

/// Derives a child's day from its events, in any order and with duplicates. Events are applied
/// in the order they were made (`occurred_at`, ties broken by id), so every device that has
/// the same events derives the same day. When tablets that were offline marked the same thing,
/// the earliest mark is kept in force: a second arrival while the child is here, a second departure and
/// a second absence change nothing. Marks that cannot both be true (absent and arrived, or a
/// departure with no arrival) are kept and listed in [`ChildDay::conflicts`].
pub fn derive_day(events: &[AttendanceEvent]) -> ChildDay {
    let mut ordered: Vec<&AttendanceEvent> = events.iter().collect();
    ordered.sort_by_key(|event| (event.occurred_at, event.id));
    ordered.dedup_by_key(|event| event.id);

    let mut marks: Vec<Mark> = ordered
        .iter()
        .filter(|event| event.action.target().is_none())
        .map(|event| Mark {
            id: event.id,
            at: event.occurred_at,
            action: event.action.clone(),
            withdrawn: false,
        })
        .collect();
    for event in &ordered {
        apply_change(&mut marks, &event.action);
    }

    let mut in_force: Vec<&Mark> = marks.iter().filter(|mark| !mark.withdrawn).collect();
    in_force.sort_by_key(|mark| (mark.at, mark.id));
    fold_marks(&in_force)
}

fn apply_change(marks: &mut [Mark], action: &EventAction) {
    let Some(target) = action.target() else {
        return;
    };
    let Some(mark) = marks.iter_mut().find(|mark| mark.id == target) else {
        return;
    };
    match action {
        EventAction::Undone { .. } => mark.withdrawn = true,
        EventAction::Corrected { correction, .. } => match correction {
            Correction::Withdraw => mark.withdrawn = true,
            Correction::Time { at } => mark.at = *at,
            Correction::Reason { reason, note } => {
                if let EventAction::Absent {
                    reason: old,
                    note: old_note,
                } = &mut mark.action
                {
                    *old = *reason;
                    *old_note = note.clone();
                }
            }
        },
        _ => {}
    }
}

fn fold_marks(marks: &[&Mark]) -> ChildDay {
    let mut visits: Vec<Visit> = Vec::new();
    let mut absence: Option<(Uuid, AbsenceReason, Option<String>)> = None;
    let mut conflicts = Vec::new();
    for mark in marks {
        let open = visits.last().is_some_and(|visit| visit.departed.is_none());
        match &mark.action {
            // Two tablets marking the same arrival or departure is a repeat, not a conflict:
            // the earlier mark is kept in force and the later one changes nothing.
            EventAction::Arrived if open => {}
            EventAction::Arrived => visits.push(Visit {
                arrival_id: mark.id,
                arrived: mark.at,
                departure_id: None,
                departed: None,
                collected_by: None,
            }),
            EventAction::Departed { collected_by } => match visits.last_mut() {
                Some(visit) if open => {
                    visit.departure_id = Some(mark.id);
                    visit.departed = Some(mark.at);
                    visit.collected_by = Some(collected_by.clone());
                }
                Some(_) => {}
                None => conflicts.push("a departure was marked with no arrival before it".into()),
            },
            EventAction::Absent { reason, note } if absence.is_none() => {
                absence = Some((mark.id, *reason, note.clone()));
            }
            _ => {}
        }
    }
    if absence.is_some() && !visits.is_empty() {
        conflicts.push("the child is marked both absent and arrived".into());
    }
    let presence = match (visits.last(), absence) {
        (Some(visit), _) => match visit.departed {
            None => Presence::Here {
                since: visit.arrived,
            },
            Some(departed) => Presence::GoneHome {
                departed,
                collected_by: visit.collected_by.clone(),
            },
        },
        (None, Some((absence_id, reason, note))) => Presence::Absent {
            absence_id,
            reason,
            note,
        },
        (None, None) => Presence::NotMarked,
    };
    ChildDay {
        presence,
        visits,
        conflicts,
    }
}

/// The reason a new event was rejected, in words for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The request field at fault, such as `occurred_at` or `target`.
    pub field: String,
    pub message: String,
}

impl Rejection {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Facts the checks of a new event need besides the child's existing events.
pub struct CheckContext<'a> {
    /// The server's clock when the event arrived.
    pub now: DateTime<Utc>,
    /// The local date of `occurred_at` in the setting's time zone.
    pub occurred_local_date: NaiveDate,
    /// The reason the setting is closed on the event's date, if it is.
    pub closed: Option<String>,
    /// Formats an instant as a local time for messages, such as `08:12`.
    pub time_label: &'a dyn Fn(DateTime<Utc>) -> String,
    /// Returns the local date of an instant.
    pub date_of: &'a dyn Fn(DateTime<Utc>) -> NaiveDate,
}

/// How far ahead of the server clock an event's time may be, to allow for small clock drift.
pub const FUTURE_TOLERANCE_SECONDS: i64 = 120;

/// Checks a new mark made on this device against the child's day as recorded on the device:
/// [`check_event`] first, then that the mark makes sense now (no arrival while already here,
/// no absence after an arrival, nothing that would leave the day inconsistent). Tablets run
/// this before making a mark; the server runs only [`check_event`], so that marks made on two
/// tablets while offline are all kept whatever order they arrive in.
pub fn check_new_event(
    existing: &[AttendanceEvent],
    event: &AttendanceEvent,
    context: &CheckContext<'_>,
) -> Result<(), Rejection> {
    check_event(existing, event, context)?;
    if existing.iter().any(|stored| stored.id == event.id) {
        return Ok(());
    }
    let day = derive_day(existing);
    match &event.action {
        EventAction::Arrived => check_arrival(&day, context)?,
        EventAction::Departed { .. } => check_departure(&day, event, context)?,
        EventAction::Absent { .. } => check_absence(&day, context)?,
        EventAction::Undone { target } | EventAction::Corrected { target, .. } => {
            check_not_withdrawn(existing, *target)?
        }
    }
    check_consistent(existing, event)
}

/// Checks that an event may be stored: its times, its day, its fields, and for an undo or a
/// correction, the mark it points at (`existing` must hold the child's events for the date).
/// The outcome does not depend on other marks for the child, so every order of arrival
/// stores the same events.
pub fn check_event(
    existing: &[AttendanceEvent],
    event: &AttendanceEvent,
    context: &CheckContext<'_>,
) -> Result<(), Rejection> {
    let latest_allowed = context.now + chrono::Duration::seconds(FUTURE_TOLERANCE_SECONDS);
    if event.occurred_at > latest_allowed {
        return Err(Rejection::new(
            "occurred_at",
            format!(
                "{} is in the future; check the tablet's clock and mark again",
                local_moment(context, event.occurred_at)
            ),
        ));
    }
    if existing.iter().any(|stored| stored.id == event.id) {
        return Ok(());
    }
    if context.occurred_local_date < event.date {
        return Err(Rejection::new(
            "occurred_at",
            format!(
                "{} is before {}, the day the mark is for; check the tablet's clock",
                local_moment(context, event.occurred_at),
                event.date
            ),
        ));
    }
    let is_mark = event.action.target().is_none();
    if is_mark {
        if context.occurred_local_date != event.date {
            return Err(Rejection::new(
                "occurred_at",
                format!(
                    "the mark was made at {}, which is not on {}; reload the register and \
                     mark it on the day it happened",
                    local_moment(context, event.occurred_at),
                    event.date
                ),
            ));
        }
        if let Some(closed) = &context.closed {
            return Err(Rejection::new(
                "date",
                format!(
                    "no marks can be made on {} because the setting is {closed}",
                    event.date
                ),
            ));
        }
    }
    match &event.action {
        EventAction::Arrived => Ok(()),
        EventAction::Departed { collected_by } => check_collector(collected_by),
        EventAction::Absent { reason, note } => check_reason_note(*reason, note.as_deref()),
        EventAction::Undone { target } => check_target(existing, *target).map(|_| ()),
        EventAction::Corrected {
            target,
            correction,
            reason,
        } => check_correction(existing, *target, correction, reason, context),
    }
}

/// Formats an instant as the setting's local date and time, such as `2026-12-03 00:00`.
fn local_moment(context: &CheckContext<'_>, instant: DateTime<Utc>) -> String {
    format!(
        "{} {}",
        (context.date_of)(instant),
        (context.time_label)(instant)
    )
}

/// Rejects an event that would make the day contradict itself, such as an undo of an arrival
/// after the departure, or a late-entered arrival inside a visit already recorded.
fn check_consistent(
    existing: &[AttendanceEvent],
    event: &AttendanceEvent,
) -> Result<(), Rejection> {
    let mut after: Vec<AttendanceEvent> = existing.to_vec();
    after.push(event.clone());
    let before_conflicts = derive_day(existing).conflicts.len();
    let after_day = derive_day(&after);
    if after_day.conflicts.len() > before_conflicts {
        let field = match event.action {
            EventAction::Corrected { .. } => "correction",
            EventAction::Undone { .. } => "target",
            _ => "kind",
        };
        return Err(Rejection::new(
            field,
            format!(
                "this would leave the day inconsistent ({}); correct the other marks first",
                after_day.conflicts.join("; ")
            ),
        ));
    }
    Ok(())
}

fn check_arrival(day: &ChildDay, context: &CheckContext<'_>) -> Result<(), Rejection> {
    match &day.presence {
        Presence::Here { since } => Err(Rejection::new(
            "kind",
            format!("already marked here since {}", (context.time_label)(*since)),
        )),
        Presence::Absent { reason, .. } => Err(Rejection::new(
            "kind",
            format!(
                "marked absent ({}); correct the absence before marking an arrival",
                reason.label().to_lowercase()
            ),
        )),
        _ => Ok(()),
    }
}

fn check_collector(collected_by: &Collector) -> Result<(), Rejection> {
    if collected_by.name.trim().is_empty() {
        return Err(Rejection::new(
            "collected_by",
            "say who collected the child",
        ));
    }
    check_text("collected_by", &collected_by.name)
}

fn check_departure(
    day: &ChildDay,
    event: &AttendanceEvent,
    context: &CheckContext<'_>,
) -> Result<(), Rejection> {
    match &day.presence {
        Presence::Here { since } if event.occurred_at < *since => Err(Rejection::new(
            "occurred_at",
            format!(
                "departure at {} is before the arrival at {}",
                (context.time_label)(event.occurred_at),
                (context.time_label)(*since)
            ),
        )),
        Presence::Here { .. } => Ok(()),
        _ => Err(Rejection::new(
            "kind",
            "the child is not marked here, so cannot be signed out",
        )),
    }
}

fn check_absence(day: &ChildDay, context: &CheckContext<'_>) -> Result<(), Rejection> {
    match &day.presence {
        Presence::NotMarked => Ok(()),
        Presence::Absent { reason, .. } => Err(Rejection::new(
            "kind",
            format!(
                "already marked absent ({}); correct that mark instead",
                reason.label().to_lowercase()
            ),
        )),
        Presence::Here { since } => Err(Rejection::new(
            "kind",
            format!(
                "arrived at {}; correct the arrival to mark an absence",
                (context.time_label)(*since)
            ),
        )),
        Presence::GoneHome { .. } => Err(Rejection::new(
            "kind",
            "the child attended today; correct the arrival to mark an absence",
        )),
    }
}

fn check_reason_note(reason: AbsenceReason, note: Option<&str>) -> Result<(), Rejection> {
    let note = note.map(str::trim).unwrap_or("");
    if reason.needs_note() && note.is_empty() {
        return Err(Rejection::new(
            "note",
            "a note is required when the reason is \"Other\"",
        ));
    }
    check_text("note", note)
}

fn check_text(field: &str, text: &str) -> Result<(), Rejection> {
    let length = text.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err(Rejection::new(
            field,
            format!("is {length} characters long; shorten it to {MAX_NOTE_CHARS} or fewer"),
        ));
    }
    Ok(())
}

fn check_target(existing: &[AttendanceEvent], target: Uuid) -> Result<&AttendanceEvent, Rejection> {
    let Some(mark) = existing.iter().find(|stored| stored.id == target) else {
        return Err(Rejection::new(
            "target",
            format!("no mark {target} for this child on this day; reload the register"),
        ));
    };
    if mark.action.target().is_some() {
        return Err(Rejection::new(
            "target",
            "corrections apply to marks, not to other corrections",
        ));
    }
    Ok(mark)
}

fn check_not_withdrawn(existing: &[AttendanceEvent], target: Uuid) -> Result<(), Rejection> {
    let withdrawn = existing.iter().any(|stored| match &stored.action {
        EventAction::Undone { target: t } => *t == target,
        EventAction::Corrected {
            target: t,
            correction: Correction::Withdraw,
            ..
        } => *t == target,
        _ => false,
    });
    if withdrawn {
        return Err(Rejection::new("target", "that mark was already withdrawn"));
    }
    Ok(())
}

fn check_correction(
    existing: &[AttendanceEvent],
    target: Uuid,
    correction: &Correction,
    reason: &str,
    context: &CheckContext<'_>,
) -> Result<(), Rejection> {
    if reason.trim().is_empty() {
        return Err(Rejection::new(
            "reason",
            "say why the mark is being corrected",
        ));
    }
    check_text("reason", reason)?;
    let mark = check_target(existing, target)?;
    match (correction, &mark.action) {
        (Correction::Time { at }, EventAction::Arrived | EventAction::Departed { .. }) => {
            if *at > context.now + chrono::Duration::seconds(FUTURE_TOLERANCE_SECONDS) {
                return Err(Rejection::new(
                    "at",
                    format!(
                        "{} is in the future; enter a time that has passed",
                        (context.time_label)(*at)
                    ),
                ));
            }
            if (context.date_of)(*at) != mark.date {
                return Err(Rejection::new(
                    "at",
                    format!(
                        "{} is not on {}; a corrected time must be on the same day",
                        local_moment(context, *at),
                        mark.date
                    ),
                ));
            }
        }
        (Correction::Time { .. }, _) => {
            return Err(Rejection::new(
                "correction",
                "only arrival and departure times can be changed",
            ));
        }
        (Correction::Reason { reason, note }, EventAction::Absent { .. }) => {
            check_reason_note(*reason, note.as_deref())?;
        }
        (Correction::Reason { .. }, _) => {
            return Err(Rejection::new(
                "correction",
                "only an absence has a reason to change",
            ));
        }
        (Correction::Withdraw, _) => {}
    }
    Ok(())
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
