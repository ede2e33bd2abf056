//! One child's card: a large tap target that marks arrival, or opens sign-out or options.

use leptos::prelude::*;
use uuid::Uuid;

use super::state::{RegisterState, Sheet};
use crate::domain::events::Presence;
use crate::domain::status::status_words;

/// The visual and spoken form of a status: CSS class, icon and words.
fn status_parts(presence: &Presence, booked: bool) -> (&'static str, &'static str) {
    match presence {
        Presence::NotMarked if booked => ("expected", "○"),
        Presence::NotMarked => ("not-booked", "–"),
        Presence::Here { .. } => ("here", "✓"),
        Presence::GoneHome { .. } => ("gone", "⌂"),
        Presence::Absent { .. } => ("absent", "✕"),
    }
}

/// A child's card on the register.
#[component]
pub fn ChildCardView(child: Uuid) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let card = Memo::new(move |_| state.card(child));
    let day = Memo::new(move |_| card.with(|card| card.as_ref().map(|card| card.day())));
    let presence = move || {
        day.with(|day| {
            day.as_ref()
                .map(|day| day.presence.clone())
                .unwrap_or(Presence::NotMarked)
        })
    };
    let booked = move || card.with(|card| card.as_ref().is_some_and(|card| card.booked));
    let words = move || {
        let presence = presence();
        state
            .view
            .with(|view| status_words(&presence, booked(), &|instant| view.time_label(instant)))
    };
    let parts = move || status_parts(&presence(), booked());
    let pending = move || {
        card.with(|card| {
            card.as_ref()
                .is_some_and(|card| card.events.iter().any(|event| event.recorded_at.is_none()))
        })
    };
    let name = move || {
        card.with(|card| {
            card.as_ref()
                .map(|c| format!("{} {}", c.first_name, c.last_name))
                .unwrap_or_default()
        })
    };
    let initials =
        move || card.with(|card| card.as_ref().map(|c| c.initials()).unwrap_or_default());
    let key_person = move || {
        card.with(|card| {
            card.as_ref()
                .and_then(|c| c.key_person.clone())
                .map(|k| format!("Key person: {k}"))
        })
    };
    let sessions = move || {
        card.with(|card| {
            card.as_ref()
                .filter(|c| !c.sessions.is_empty())
                .map(|c| c.sessions.clone())
        })
    };
    // A parent's report matters until the child has a mark of their own.
    let reported = move || {
        let unmarked = matches!(presence(), Presence::NotMarked);
        card.with(|card| {
            card.as_ref()
                .and_then(|c| c.expected_absence.clone())
                .filter(|_| unmarked)
        })
    };
    let conflict =
        move || day.with(|day| day.as_ref().is_some_and(|day| !day.conflicts.is_empty()));
    let action_hint = move || match presence() {
        Presence::NotMarked => "tap to mark arrival",
        Presence::Here { .. } => "tap to sign out",
        _ => "tap for options",
    };

    let on_tap = move |_| {
        if state.is_repeat_tap(child) {
            return;
        }
        match presence() {
            Presence::NotMarked => state.mark_arrived(child),
            Presence::Here { .. } => state.sheet.set(Some(Sheet::SignOut(child))),
            _ => state.sheet.set(Some(Sheet::Options(child))),
        }
    };

    view! {
        // One class string: the status and the pending flag change together.
        <li class=move || {
            let pending = if pending() { " pending" } else { "" };
            format!("card status-{}{pending}", parts().0)
        }>
            <button
                class="card-main"
                on:click=on_tap
                aria-label=move || {
                    let reported = reported().map(|r| format!(", {r}")).unwrap_or_default();
                    format!("{}, {}{reported}, {}", name(), words(), action_hint())
                }
            >
                <span class="avatar" aria-hidden="true">
                    {initials}
                </span>
                <span class="card-text">
                    <span class="child-name">{name}</span>
                    <span class="key-person">{key_person}</span>
                    <span class="status">
                        <span class="status-icon" aria-hidden="true">
                            {move || parts().1}
                        </span>
                        {words}
                    </span>
                    {move || sessions().map(|s| view! { <span class="sessions">{s}</span> })}
                    {move || {
                        reported()
                            .map(|words| {
                                view! {
                                    <span class="reported">
                                        <span aria-hidden="true">"✉ "</span>
                                        {words}
                                    </span>
                                }
                            })
                    }}
                    <Show when=pending>
                        <span class="saving">
                            <span aria-hidden="true">"↻ "</span>
                            "Waiting to send"
                        </span>
                    </Show>
                    <Show when=conflict>
                        <span class="conflict">"Marks disagree: check the day"</span>
                    </Show>
                </span>
            </button>
            <button
                class="card-more"
                aria-label=move || format!("Options for {}", name())
                on:click=move |_| state.sheet.set(Some(Sheet::Options(child)))
            >
                <span aria-hidden="true">"⋯"</span>
            </button>
        </li>
    }
}
