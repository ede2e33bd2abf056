//! "Who is marking?" on a shared room tablet: a practitioner taps their name and enters their
//! 4-digit PIN. The tablet checks the PIN against the hash in the register, so this works
//! offline, and remembers the practitioner for the setting's configured minutes.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::state::{RegisterState, Sheet};
use crate::auth::pin::{lock_words, pin_matches, PinGuard, FREE_ATTEMPTS, PIN_DIGITS};
use crate::register::model::StaffOption;
use crate::sync::device::{read, write};

/// The practitioner marking on this tablet and the end of their remembered time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Remembered {
    staff: Uuid,
    until: DateTime<Utc>,
}

fn marker_key(room: Uuid) -> String {
    format!("here-today.marker.{room}")
}

fn guard_key(staff: Uuid) -> String {
    format!("here-today.pin-guard.{staff}")
}

/// Returns the practitioner remembered for `room` at `now`, if the time has not run out.
pub fn remembered_marker(room: Uuid, now: DateTime<Utc>) -> Option<Uuid> {
    let stored = read(&marker_key(room)).ok().flatten()?;
    let remembered: Remembered = serde_json::from_str(&stored).ok()?;
    (remembered.until > now).then_some(remembered.staff)
}

/// Stores `staff` as marking in `room` for `minutes` from `now`. `None` clears the entry.
pub fn remember_marker(room: Uuid, staff: Option<Uuid>, now: DateTime<Utc>, minutes: u32) {
    let value = staff.map_or_else(
        || "null".to_owned(),
        |staff| {
            let remembered = Remembered {
                staff,
                until: now + Duration::minutes(i64::from(minutes)),
            };
            serde_json::to_string(&remembered).unwrap_or_default()
        },
    );
    let _ = write(&marker_key(room), &value);
}

fn load_guard(staff: Uuid) -> PinGuard {
    read(&guard_key(staff))
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_guard(staff: Uuid, guard: &PinGuard) {
    if let Ok(text) = serde_json::to_string(guard) {
        let _ = write(&guard_key(staff), &text);
    }
}

/// Shows the names of staff with a PIN, then the keypad for the chosen name.
#[component]
pub fn WhoIsMarkingSheet() -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let chosen = RwSignal::new(None::<StaffOption>);
    let names = move || {
        state
            .view
            .with_untracked(|view| view.staff.clone())
            .into_iter()
            .map(|person| {
                let shown = person.name.clone();
                view! {
                    <button
                        type="button"
                        class="button name-choice"
                        on:click=move |_| chosen.set(Some(person.clone()))
                    >
                        {shown}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <Show
            when=move || chosen.with(Option::is_some)
            fallback=move || {
                view! {
                    <h2 id="sheet-title">"Who is marking?"</h2>
                    <p>"Tap your name, then enter your PIN."</p>
                    <div class="name-choices">{names()}</div>
                    <p class="hint">
                        "Not listed? Set a PIN under Your account when signed in, then reload this register online."
                    </p>
                    <div class="sheet-actions">
                        <button type="button" class="button secondary" on:click=move |_| state.sheet.set(None)>
                            "Cancel"
                        </button>
                    </div>
                }
            }
        >
            {move || chosen.get().map(|person| view! { <PinPad person back=move || chosen.set(None) /> })}
        </Show>
    }
}

#[component]
fn PinPad(person: StaffOption, back: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let state = expect_context::<RegisterState>();
    let digits = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let staff = person.id;
    let hash = StoredValue::new(person.pin_hash.clone().unwrap_or_default());
    let locked_message = move || load_guard(staff).locked_for(state.now()).map(lock_words);
    if let Some(words) = locked_message() {
        message.set(Some(words));
    }
    let check = move || {
        let pin = digits.get_untracked();
        checking.set(true);
        leptos::task::spawn_local(async move {
            // Yields once so the page shows "Checking…" before hashing blocks the thread.
            #[cfg(feature = "hydrate")]
            gloo_timers::future::TimeoutFuture::new(30).await;
            let now = state.now();
            let mut guard = load_guard(staff);
            if pin_matches(&pin, &hash.get_value()) {
                guard.succeeded();
                save_guard(staff, &guard);
                let (room, minutes) = state
                    .view
                    .with_untracked(|view| (view.room.id, view.pin_remember_minutes));
                remember_marker(room, Some(staff), now, minutes);
                state
                    .staff_until
                    .set_value(Some(now + Duration::minutes(i64::from(minutes))));
                state.staff.set(Some(staff));
                state.error.set(None);
                state.sheet.set(None);
            } else {
                guard.failed(now);
                save_guard(staff, &guard);
                let words = match guard.locked_for(now) {
                    Some(left) => lock_words(left),
                    None => {
                        let left = FREE_ATTEMPTS.saturating_sub(guard.failures);
                        format!("That PIN is not right. {left} more tries before this name is locked for a minute.")
                    }
                };
                message.set(Some(words));
                digits.set(String::new());
            }
            checking.set(false);
        });
    };
    let press = move |digit: char| {
        if checking.get_untracked() || locked_message().is_some() {
            message.set(locked_message());
            return;
        }
        digits.update(|pin| {
            if pin.len() < PIN_DIGITS {
                pin.push(digit);
            }
        });
        if digits.with_untracked(String::len) == PIN_DIGITS {
            check();
        }
    };
    let keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9']
        .into_iter()
        .map(|digit| {
            view! {
                <button type="button" class="key" on:click=move |_| press(digit)>
                    {digit.to_string()}
                </button>
            }
        })
        .collect_view();
    let dots = move || {
        let entered = digits.with(String::len);
        (0..PIN_DIGITS)
            .map(|index| {
                let class = if index < entered { "dot filled" } else { "dot" };
                view! { <span class=class aria-hidden="true"></span> }
            })
            .collect_view()
    };
    let status = move || {
        if checking.get() {
            "Checking…".to_owned()
        } else {
            format!(
                "{} of {PIN_DIGITS} digits entered",
                digits.with(String::len)
            )
        }
    };
    view! {
        <h2 id="sheet-title">{person.name.clone()}</h2>
        <p>"Enter your 4-digit PIN."</p>
        <div class="pin-dots">{dots}</div>
        <p class="visually-hidden" aria-live="polite">{status}</p>
        {move || message.get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
        <div class="keypad">
            {keys}
            <button type="button" class="key secondary" on:click=move |_| back()>"Back"</button>
            <button type="button" class="key" on:click=move |_| press('0')>"0"</button>
            <button
                type="button"
                class="key secondary"
                aria-label="Delete the last digit"
                on:click=move |_| digits.update(|pin| { pin.pop(); })
            >
                "⌫"
            </button>
        </div>
    }
}

/// Opens the "Who is marking?" sheet.
pub fn ask_who_is_marking(state: &RegisterState) {
    state.sheet.set(Some(Sheet::WhoIsMarking));
}
