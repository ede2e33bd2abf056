//! The room register page: counts, the child cards, and the sheets for signing out,
//! absences and corrections.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::load_register;
use super::card::ChildCardView;
use super::model::RegisterView;
use super::sheets::SheetHost;
use super::state::RegisterState;
use super::sync_view::{Notices, RejectedMarks, SyncStatus};
use crate::domain::status::Counts;
use crate::error::AppError;
use crate::ui::{long_date, CountsBar, ErrorPanel};

/// How often a shared tablet checks whether the remembered practitioner's time has run out.
const MARKER_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// How often an open register checks whether a new day has started.
const DAY_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// The room register, loaded on the server for the first paint.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let room = move || {
        params
            .read()
            .get("room")
            .and_then(|room| Uuid::parse_str(&room).ok())
    };
    let register = Resource::new(room, |room| async move {
        match room {
            Some(room) => load_register(room).await,
            None => Err(AppError::not_found("That room")),
        }
    });
    view! {
        <main class="page register-page">
            <Suspense fallback=|| view! { <p class="loading">"Loading the register…"</p> }>
                {move || Suspend::new(async move {
                    match register.await {
                        Ok(view) => view! { <Register view /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub(crate) fn Register(view: RegisterView) -> impl IntoView {
    let state = RegisterState::new(view);
    provide_context(state);
    // A register left open overnight reloads itself for the new day once nothing is pending.
    // With no server to reload from, it turns over to the new day on the tablet.
    // NOTE: after the page is left through a link, this interval was seen still firing in
    // Chromium although its cleanup is registered, so the check first makes sure the page's
    // state still exists. The cause is not known.
    Effect::new(move |_| {
        let reload_when_stale = move || {
            if !state.is_alive() || !state.is_stale() {
                return;
            }
            if state.link.get_untracked() == crate::sync::status::Link::Online {
                if state.is_idle() {
                    super::client::reload_page();
                }
            } else {
                state.start_new_day_offline();
            }
        };
        match set_interval_with_handle(reload_when_stale, DAY_CHECK_INTERVAL) {
            Ok(handle) => on_cleanup(move || handle.clear()),
            Err(error) => leptos::logging::warn!("could not start the new-day check: {error:?}"),
        }
    });
    Effect::new(move |_| {
        let online = window_event_listener(leptos::ev::online, move |_| state.sync_now());
        let offline = window_event_listener(leptos::ev::offline, move |_| state.went_offline());
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !document().hidden() {
                state.sync_now();
            }
        });
        on_cleanup(move || {
            online.remove();
            offline.remove();
            visible.remove();
        });
        crate::sync::device::keep_page_for_offline();
    });
    Effect::new(move |_| {
        state.start_in_browser(super::device::device_id());
        let (room, marking_as) = state
            .view
            .with_untracked(|view| (view.room.id, view.marking_as));
        if marking_as.is_some() {
            state.staff.set(marking_as);
            return;
        }
        // On a shared tablet, the practitioner who entered their PIN is remembered for a while;
        // once the time runs out the next mark asks again.
        let forget_when_due = move || {
            if !state.is_alive() {
                return;
            }
            let now = state.now();
            // Local storage can fail; the time kept in memory then still counts.
            let in_memory = state
                .staff_until
                .get_value()
                .is_some_and(|until| until > now)
                .then(|| state.staff.get_untracked())
                .flatten();
            let remembered = super::pin_sheet::remembered_marker(room, now).or(in_memory);
            let known = remembered.filter(|staff| {
                state
                    .view
                    .with_untracked(|view| view.staff.iter().any(|s| s.id == *staff))
            });
            if state.staff.get_untracked() != known {
                state.staff.set(known);
            }
        };
        forget_when_due();
        match set_interval_with_handle(forget_when_due, MARKER_CHECK_INTERVAL) {
            Ok(handle) => on_cleanup(move || handle.clear()),
            Err(error) => leptos::logging::warn!("could not start the PIN timer: {error:?}"),
        }
    });
    let counts = Signal::derive(move || {
        state.view.with(|view| {
            let mut counts = Counts::default();
            for card in &view.children {
                counts.add(card.booked, &card.day().presence);
            }
            counts
        })
    });
    let (setting_name, room_name, tablet) = state.view.with_untracked(|view| {
        (
            view.setting_name.clone(),
            view.room.name.clone(),
            view.marking_as.is_none(),
        )
    });
    // The date and closure follow the view, which turns over to a new day without a reload
    // when the tablet is offline at midnight.
    let date = move || state.view.with(|view| long_date(view.date));
    let closed = move || state.view.with(|view| view.closed.clone());
    let ids = move || {
        state
            .view
            .with(|view| view.children.iter().map(|card| card.id).collect::<Vec<_>>())
    };
    view! {
        <header class="register-header">
            <div class="register-title">
                {(!tablet).then(|| view! {
                    <a class="back" href="/" rel="external">
                        "← Rooms"
                    </a>
                })}
                <h1>{room_name}</h1>
                <p class="date">{setting_name} " · " {date}</p>
            </div>
            <StaffPicker />
        </header>
        {move || {
            closed()
                .map(|closed| {
                    view! { <p class="panel notice">"The setting is " {closed} ". Marks cannot be made today."</p> }
                })
        }}
        <SyncStatus />
        <CountsBar counts />
        <Notices />
        <ErrorBanner />
        <RejectedMarks />
        <ul class="cards" aria-label="Children">
            <For each=ids key=|id| *id let:child>
                <ChildCardView child />
            </For>
        </ul>
        <SheetHost />
        <ToastBar />
    }
}

/// Who is marking: the signed-in person, or on a shared tablet the practitioner who entered
/// their PIN, with a button to change.
#[component]
fn StaffPicker() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let signed_in = state.view.with_untracked(|view| view.marking_as.is_some());
    let name = move || {
        let staff = state.staff.get()?;
        state.view.with(|view| {
            view.staff
                .iter()
                .find(|person| person.id == staff)
                .map(|person| person.name.clone())
        })
    };
    if signed_in {
        return view! {
            <p class="staff-picker">
                <span>"Marking as"</span>
                <strong>{move || name().unwrap_or_else(|| "you".to_owned())}</strong>
            </p>
        }
        .into_any();
    }
    let open = move |_| super::pin_sheet::ask_who_is_marking(&state);
    view! {
        <div class="staff-picker">
            <span>"Marking as"</span>
            <button type="button" class="button who" class:unset=move || state.staff.get().is_none() on:click=open>
                {move || name().unwrap_or_else(|| "Tap to choose your name".to_owned())}
            </button>
        </div>
    }
    .into_any()
}

#[component]
fn ErrorBanner() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    view! {
        <Show when=move || state.error.with(Option::is_some)>
            <div class="panel error-banner" role="alert">
                <span class="icon" aria-hidden="true">
                    "!"
                </span>
                <p>{move || state.error.get().unwrap_or_default()}</p>
                <button class="button secondary small" on:click=move |_| state.error.set(None)>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}

#[component]
fn ToastBar() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    view! {
        <div class="toast-area" role="status" aria-live="polite">
            {move || {
                state
                    .toast
                    .get()
                    .map(|toast| {
                        let undo = toast
                            .undo
                            .map(|(child, target)| {
                                view! {
                                    <button class="button toast-undo" on:click=move |_| state.undo(child, target)>
                                        "Undo"
                                    </button>
                                }
                            });
                        view! {
                            <div class="toast">
                                <p>{toast.message}</p>
                                {undo}
                            </div>
                        }
                    })
            }}
        </div>
    }
}
