//! The register's sync display: the status line, notices about storage, the clock and
//! bookings, and the marks the server rejected.

use leptos::prelude::*;

use super::state::RegisterState;
use crate::domain::events::EventAction;
use crate::sync::status::{status_line, Link, Tone};

/// Shows the status line, always in view: saved, waiting, or the error and what to do.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let line = Memo::new(move |_| {
        let pending = state.pending.get();
        state.link.with(|link| {
            state
                .view
                .with_untracked(|view| status_line(pending, link, |at| view.time_label(at)))
        })
    });
    let tone = move || line.with(|(tone, _)| *tone);
    let icon = move || match tone() {
        Tone::Saved => "✓",
        Tone::Waiting => "↻",
        Tone::Problem => "!",
    };
    let offline = move || state.link.with(|link| matches!(link, Link::Offline { .. }));
    view! {
        <div
            class=move || format!("sync-status tone-{}", tone().class())
            data-tone=move || tone().class()
            data-offline=move || offline().to_string()
        >
            <p role="status" aria-live="polite">
                <span class="sync-icon" aria-hidden="true">
                    {icon}
                </span>
                <span class="sync-words">{move || line.with(|(_, words)| words.clone())}</span>
            </p>
            <Show when=move || { state.pending.get() > 0 }>
                <button class="button secondary small" on:click=move |_| state.sync_now()>
                    "Send now"
                </button>
            </Show>
        </div>
    }
}

/// Notices that stay until their cause is gone: storage, the tablet's clock, unknown bookings.
#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    view! {
        {move || {
            state
                .storage_problem
                .get()
                .map(|problem| {
                    view! {
                        <p class="panel notice warning storage-notice" role="alert">
                            <span aria-hidden="true">"⚠ "</span>
                            {problem}
                            "."
                        </p>
                    }
                })
        }}
        {move || {
            state
                .clock_problem
                .get()
                .map(|problem| {
                    view! {
                        <p class="panel notice warning clock-notice">
                            <span aria-hidden="true">"⚠ "</span>
                            "This tablet's clock is "
                            {problem}
                            ". Marks are timed by the server's clock, so they are filed on the right day. Ask a manager to set the tablet's date and time."
                        </p>
                    }
                })
        }}
        <Show when=move || state.bookings_unknown.get()>
            <p class="panel notice">
                "A new day started while the tablet was offline. Every child in the room is shown; today's bookings appear when the tablet reconnects."
            </p>
        </Show>
    }
}

/// Marks the server rejected, each with its reason, until staff dismiss them.
#[component]
pub fn RejectedMarks() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let items = move || {
        state
            .rejected
            .get()
            .into_iter()
            .map(|rejected| {
                let id = rejected.event.id;
                let name = state.child_name(rejected.event.child_id);
                let what = describe(&rejected.event.action);
                let when = state.view.with_untracked(|view| {
                    format!(
                        "{} on {}",
                        view.time_label(rejected.event.occurred_at),
                        short_date(rejected.event.date)
                    )
                });
                view! {
                    <li>
                        <p>
                            <strong>{name}</strong>
                            <br />
                            {what}
                            " at "
                            {when}
                            ": "
                            {rejected.message}
                            "."
                        </p>
                        <button
                            class="button secondary small"
                            on:click=move |_| state.dismiss_rejected(id)
                        >
                            "Dismiss"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || state.rejected.with(|rejected| !rejected.is_empty())>
            <section class="panel rejected" aria-labelledby="rejected-heading">
                <h2 id="rejected-heading">
                    <span aria-hidden="true">"⚠ "</span>
                    "Not saved"
                </h2>
                <p>
                    "The server did not keep these marks. Check each child and mark again if needed."
                </p>
                <ul>{items}</ul>
            </section>
        </Show>
    }
}

/// Formats a date briefly, such as "Wed 2 Dec".
fn short_date(date: chrono::NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

fn describe(action: &EventAction) -> &'static str {
    match action {
        EventAction::Arrived => "Arrival",
        EventAction::Departed { .. } => "Sign-out",
        EventAction::Absent { .. } => "Absence",
        EventAction::Undone { .. } => "Undo",
        EventAction::Corrected { .. } => "Correction",
    }
}
