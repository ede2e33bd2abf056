//! The correction sheet: change a mark's time or reason, or withdraw it, always with a reason.

use chrono::{DateTime, NaiveTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::sheets::names;
use super::state::RegisterState;
use crate::domain::calendar::instant_at;
use crate::domain::events::{AttendanceEvent, Correction, EventAction};
use crate::domain::reasons::AbsenceReason;

/// A mark still in force, with its time after any corrections.
#[derive(Debug, Clone, PartialEq)]
struct LiveMark {
    id: Uuid,
    at: DateTime<Utc>,
    action: EventAction,
}

/// Lists the marks in force, oldest first, with corrected times applied.
fn live_marks(events: &[AttendanceEvent]) -> Vec<LiveMark> {
    let mut ordered: Vec<&AttendanceEvent> = events.iter().collect();
    ordered.sort_by_key(|event| (event.occurred_at, event.id));
    let mut marks: Vec<LiveMark> = ordered
        .iter()
        .filter(|event| event.action.target().is_none())
        .map(|event| LiveMark {
            id: event.id,
            at: event.occurred_at,
            action: event.action.clone(),
        })
        .collect();
    for event in &ordered {
        match &event.action {
            EventAction::Undone { target }
            | EventAction::Corrected {
                target,
                correction: Correction::Withdraw,
                ..
            } => marks.retain(|mark| mark.id != *target),
            EventAction::Corrected {
                target,
                correction: Correction::Time { at },
                ..
            } => {
                if let Some(mark) = marks.iter_mut().find(|mark| mark.id == *target) {
                    mark.at = *at;
                }
            }
            _ => {}
        }
    }
    marks.sort_by_key(|mark| (mark.at, mark.id));
    marks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Time,
    Reason,
    Withdraw,
}

/// The correction sheet for one child.
#[component]
pub fn CorrectSheet(child: Uuid) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let (name, first) = names(&state, child);
    let marks = state
        .card(child)
        .map(|card| live_marks(&card.events))
        .unwrap_or_default();
    let chosen = RwSignal::new(None::<Uuid>);
    let change = RwSignal::new(None::<Change>);
    let time = RwSignal::new(String::new());
    let new_reason = RwSignal::new(None::<AbsenceReason>);
    let why = RwSignal::new(String::new());
    let label = move |at: DateTime<Utc>| state.view.with_untracked(|view| view.time_label(at));

    let mark_options = marks
        .iter()
        .map(|mark| {
            let id = mark.id;
            let at = mark.at;
            let text = match &mark.action {
                EventAction::Arrived => format!("Arrived at {}", label(at)),
                EventAction::Departed { collected_by } => format!("Went home at {} with {}", label(at), collected_by.name),
                EventAction::Absent { reason, .. } => format!("Absent: {}", reason.label()),
                _ => String::new(),
            };
            let is_absence = matches!(mark.action, EventAction::Absent { .. });
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="mark"
                        on:change=move |_| {
                            chosen.set(Some(id));
                            change.set(Some(if is_absence { Change::Reason } else { Change::Time }));
                            time.set(label(at));
                        }
                    />
                    <span>{text}</span>
                </label>
            }
        })
        .collect_view();
    let chosen_is_absence = {
        let marks = marks.clone();
        move || {
            chosen
                .get()
                .and_then(|id| marks.iter().find(|m| m.id == id))
                .is_some_and(|m| matches!(m.action, EventAction::Absent { .. }))
        }
    };
    let correction = move || -> Option<Correction> {
        match change.get()? {
            Change::Withdraw => Some(Correction::Withdraw),
            Change::Reason => new_reason
                .get()
                .map(|reason| Correction::Reason { reason, note: None }),
            Change::Time => {
                let parsed = NaiveTime::parse_from_str(time.get().trim(), "%H:%M").ok()?;
                let (zone, date) = state.view.with_untracked(|view| (view.zone(), view.date));
                Some(Correction::Time {
                    at: instant_at(zone, date, parsed),
                })
            }
        }
    };
    let ready =
        move || chosen.get().is_some() && correction().is_some() && !why.get().trim().is_empty();
    let confirm = move |_| {
        let (Some(target), Some(correction)) = (chosen.get_untracked(), correction()) else {
            return;
        };
        let reason = why.get_untracked().trim().to_owned();
        let Some(event) = state.new_event(
            child,
            EventAction::Corrected {
                target,
                correction,
                reason,
            },
        ) else {
            return;
        };
        state.sheet.set(None);
        state.submit(vec![event]);
        state.show_toast(format!("Correction saved for {first}."), None);
    };
    let is_absence = chosen_is_absence.clone();
    view! {
        <h2 id="sheet-title">"Correct a mark for " {name}</h2>
        <fieldset class="choices">
            <legend>"Which mark?"</legend>
            {mark_options}
        </fieldset>
        <Show when=move || chosen.get().is_some()>
            <fieldset class="choices">
                <legend>"What needs correcting?"</legend>
                {
                    let is_absence = is_absence.clone();
                    move || {
                        if is_absence() {
                            view! {
                                <label class="choice">
                                    <input type="radio" name="change" checked=move || change.get() == Some(Change::Reason) on:change=move |_| change.set(Some(Change::Reason)) />
                                    <span>"The reason"</span>
                                </label>
                            }
                                .into_any()
                        } else {
                            view! {
                                <label class="choice">
                                    <input type="radio" name="change" checked=move || change.get() == Some(Change::Time) on:change=move |_| change.set(Some(Change::Time)) />
                                    <span>"The time"</span>
                                </label>
                            }
                                .into_any()
                        }
                    }
                }
                <label class="choice">
                    <input type="radio" name="change" checked=move || change.get() == Some(Change::Withdraw) on:change=move |_| change.set(Some(Change::Withdraw)) />
                    <span>"It should not have been marked"</span>
                </label>
            </fieldset>
        </Show>
        <Show when=move || change.get() == Some(Change::Time)>
            <label class="field">
                <span>"Correct time"</span>
                <input type="time" prop:value=move || time.get() on:input=move |event| time.set(event_target_value(&event)) />
            </label>
        </Show>
        <Show when=move || change.get() == Some(Change::Reason)>
            <label class="field">
                <span>"Correct reason"</span>
                <select on:change=move |event| new_reason.set(AbsenceReason::from_code(&event_target_value(&event)))>
                    <option value="">"Choose a reason"</option>
                    {AbsenceReason::ALL
                        .into_iter()
                        .filter(|r| !r.needs_note())
                        .map(|r| view! { <option value=r.code()>{r.label()}</option> })
                        .collect_view()}
                </select>
            </label>
        </Show>
        <label class="field">
            <span>"Why is it being corrected? (required)"</span>
            <input type="text" maxlength="500" prop:value=move || why.get() on:input=move |event| why.set(event_target_value(&event)) />
        </label>
        <div class="sheet-actions">
            <button class="button primary" disabled=move || !ready() on:click=confirm>
                "Save correction"
            </button>
            <button class="button secondary" on:click=move |_| state.sheet.set(None)>
                "Cancel"
            </button>
        </div>
    }
}
