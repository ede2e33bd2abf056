//! The sheets that open over the register: options, sign-out, absence and correction.

use leptos::prelude::*;
use uuid::Uuid;

use super::correct::CorrectSheet;
use super::state::{RegisterState, Sheet};
use crate::domain::events::{Collector, Correction, EventAction, Presence};
use crate::domain::reasons::AbsenceReason;

/// Renders whichever sheet is open, over a dimmed register.
#[component]
pub fn SheetHost() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    view! {
        {move || {
            state
                .sheet
                .get()
                .map(|sheet| {
                    let body = match sheet {
                        Sheet::Options(child) => view! { <OptionsSheet child /> }.into_any(),
                        Sheet::SignOut(child) => view! { <SignOutSheet child /> }.into_any(),
                        Sheet::Absent(child) => view! { <AbsentSheet child /> }.into_any(),
                        Sheet::Correct(child) => view! { <CorrectSheet child /> }.into_any(),
                        Sheet::WhoIsMarking => {
                            view! { <super::pin_sheet::WhoIsMarkingSheet /> }.into_any()
                        }
                    };
                    view! {
                        <div class="sheet-backdrop" on:click=move |_| state.sheet.set(None)></div>
                        <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="sheet-title">
                            {body}
                        </div>
                    }
                })
        }}
    }
}

/// Returns the child's full name and first name.
pub(super) fn names(state: &RegisterState, child: Uuid) -> (String, String) {
    state
        .card(child)
        .map(|card| {
            (
                format!("{} {}", card.first_name, card.last_name),
                card.first_name,
            )
        })
        .unwrap_or_default()
}

#[component]
fn OptionsSheet(child: Uuid) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let (name, _) = names(&state, child);
    let card = state.card(child);
    let day = card.as_ref().map(|card| card.day());
    let presence = day
        .as_ref()
        .map(|day| day.presence.clone())
        .unwrap_or(Presence::NotMarked);
    let has_marks = day.as_ref().is_some_and(|day| {
        !day.visits.is_empty() || matches!(day.presence, Presence::Absent { .. })
    });
    let date = state.view.with_untracked(|view| view.date);
    let history = format!("/children/{child}/days/{date}");
    let go = move |sheet: Sheet| move |_| state.sheet.set(Some(sheet));
    let arrive = move |_| {
        state.sheet.set(None);
        state.mark_arrived(child);
    };
    let unknown_absence = matches!(
        presence,
        Presence::Absent {
            reason: AbsenceReason::NotYetKnown,
            ..
        }
    );
    let not_marked = presence == Presence::NotMarked;
    let gone_home = matches!(presence, Presence::GoneHome { .. });
    let here = matches!(presence, Presence::Here { .. });
    view! {
        <h2 id="sheet-title">{name}</h2>
        <div class="sheet-actions">
            {(not_marked || gone_home)
                .then(|| {
                    let label = if gone_home { "Mark arrived again" } else { "Mark arrived now" };
                    view! { <button class="button primary" on:click=arrive>{label}</button> }
                })}
            {here.then(|| view! { <button class="button primary" on:click=go(Sheet::SignOut(child))>"Sign out"</button> })}
            {not_marked.then(|| view! { <button class="button" on:click=go(Sheet::Absent(child))>"Mark absent"</button> })}
            {unknown_absence
                .then(|| view! { <button class="button primary" on:click=go(Sheet::Absent(child))>"Add the reason"</button> })}
            {has_marks.then(|| view! { <button class="button" on:click=go(Sheet::Correct(child))>"Correct a mark"</button> })}
            <a class="button secondary" href=history>
                "See the day's history"
            </a>
            <button class="button secondary" on:click=move |_| state.sheet.set(None)>
                "Close"
            </button>
        </div>
    }
}

#[component]
fn SignOutSheet(child: Uuid) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let (name, first) = names(&state, child);
    let card = state.card(child);
    let collectors = card
        .as_ref()
        .map(|card| card.collectors.clone())
        .unwrap_or_default();
    let has_password = card
        .as_ref()
        .is_some_and(|card| card.has_collection_password);
    // `None` until a collector is chosen, then `Some(None)` for someone not on the list.
    let chosen = RwSignal::new(None::<Option<Uuid>>);
    let other_name = RwSignal::new(String::new());

    let options = collectors
        .iter()
        .map(|contact| {
            let id = contact.id;
            view! {
                <label class="choice">
                    <input type="radio" name="collector" on:change=move |_| chosen.set(Some(Some(id))) />
                    <span>{contact.name.clone()} <span class="muted">" (" {contact.relationship.clone()} ")"</span></span>
                </label>
            }
        })
        .collect_view();
    let first_for_warning = first.clone();
    let warning = move || {
        (chosen.get() == Some(None)).then(|| {
            let password = if has_password { " Ask for the family's collection password." } else { "" };
            view! {
                <p class="panel warning" role="alert">
                    <strong>"⚠ Not on the collection list. "</strong>
                    {format!(
                        "Check who this is with a parent or the manager before {} goes home.{password}",
                        first_for_warning,
                    )}
                </p>
            }
        })
    };
    let ready = move || match chosen.get() {
        Some(Some(_)) => true,
        Some(None) => !other_name.get().trim().is_empty(),
        None => false,
    };
    let first_for_toast = first.clone();
    let confirm = move |_| {
        let collected_by = match chosen.get_untracked() {
            Some(Some(id)) => {
                let contact = collectors.iter().find(|c| c.id == id);
                Collector {
                    contact_id: Some(id),
                    name: contact.map(|c| c.name.clone()).unwrap_or_default(),
                    on_list: true,
                }
            }
            Some(None) => Collector {
                contact_id: None,
                name: other_name.get_untracked().trim().to_owned(),
                on_list: false,
            },
            None => return,
        };
        let who = collected_by.name.clone();
        let Some(event) = state.new_event(child, EventAction::Departed { collected_by }) else {
            return;
        };
        let time = state
            .view
            .with_untracked(|view| view.time_label(event.occurred_at));
        let undo = Some((child, event.id));
        state.sheet.set(None);
        state.submit(vec![event]);
        state.show_toast(
            format!("{first_for_toast} went home at {time}, collected by {who}."),
            undo,
        );
    };
    view! {
        <h2 id="sheet-title">"Sign out " {name}</h2>
        <fieldset class="choices">
            <legend>"Who is collecting?"</legend>
            {options}
            <label class="choice">
                <input type="radio" name="collector" on:change=move |_| chosen.set(Some(None)) />
                <span>"Someone else"</span>
            </label>
        </fieldset>
        <Show when=move || chosen.get() == Some(None)>
            <label class="field">
                <span>"Their name"</span>
                <input
                    type="text"
                    autocomplete="off"
                    maxlength="100"
                    prop:value=move || other_name.get()
                    on:input=move |event| other_name.set(event_target_value(&event))
                />
            </label>
        </Show>
        {warning}
        <div class="sheet-actions">
            <button class="button primary" disabled=move || !ready() on:click=confirm>
                "Sign out " {first.clone()}
            </button>
            <button class="button secondary" on:click=move |_| state.sheet.set(None)>
                "Cancel"
            </button>
        </div>
    }
}

#[component]
fn AbsentSheet(child: Uuid) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let (name, first) = names(&state, child);
    let existing = state
        .card(child)
        .and_then(|card| match card.day().presence {
            Presence::Absent { absence_id, .. } => Some(absence_id),
            _ => None,
        });
    // A parent's report for today preselects its reason, which staff may change.
    let reported = state.card(child).and_then(|card| card.reported_reason);
    let reason = RwSignal::new(reported);
    let note = RwSignal::new(String::new());
    let reasons = AbsenceReason::ALL
        .into_iter()
        .filter(|r| existing.is_none() || *r != AbsenceReason::NotYetKnown)
        .map(|r| {
            view! {
                <label class="choice">
                    <input type="radio" name="reason" prop:checked=move || reason.get() == Some(r)
                        on:change=move |_| reason.set(Some(r)) />
                    <span>{r.label()}</span>
                </label>
            }
        })
        .collect_view();
    let needs_note = move || reason.get().is_some_and(AbsenceReason::needs_note);
    let ready = move || reason.get().is_some() && (!needs_note() || !note.get().trim().is_empty());
    let confirm = move |_| {
        let Some(chosen) = reason.get_untracked() else {
            return;
        };
        let text = note.get_untracked().trim().to_owned();
        let note = (!text.is_empty()).then_some(text);
        let action = match existing {
            Some(target) => EventAction::Corrected {
                target,
                correction: Correction::Reason {
                    reason: chosen,
                    note,
                },
                reason: "Reason given after the absence was marked".to_owned(),
            },
            None => EventAction::Absent {
                reason: chosen,
                note,
            },
        };
        let Some(event) = state.new_event(child, action) else {
            return;
        };
        let undo = existing.is_none().then_some((child, event.id));
        state.sheet.set(None);
        state.submit(vec![event]);
        state.show_toast(
            format!("{first} marked absent: {}.", chosen.label().to_lowercase()),
            undo,
        );
    };
    let title = if existing.is_some() {
        "Reason for "
    } else {
        "Mark absent: "
    };
    view! {
        <h2 id="sheet-title">{title} {name}</h2>
        <fieldset class="choices reasons">
            <legend>"Reason"</legend>
            {reasons}
        </fieldset>
        <label class="field">
            <span>{move || if needs_note() { "Note (required)" } else { "Note (optional)" }}</span>
            <textarea
                maxlength="500"
                prop:value=move || note.get()
                on:input=move |event| note.set(event_target_value(&event))
            ></textarea>
        </label>
        <div class="sheet-actions">
            <button class="button primary" disabled=move || !ready() on:click=confirm>
                {if existing.is_some() { "Save the reason" } else { "Mark absent" }}
            </button>
            <button class="button secondary" on:click=move |_| state.sheet.set(None)>
                "Cancel"
            </button>
        </div>
    }
}
