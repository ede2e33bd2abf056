//! The lobby display's slides and the manager's page for its messages.
//!
//! The display renders only the current slide, replacing it on each turn, so the page keeps
//! the same number of elements however long it runs. Its two timers and the `online` listener
//! are removed on cleanup. When a refresh fails, it keeps the last data and shows an offline
//! mark. A revoked display shows the reason and stops refreshing.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{load_lobby, load_lobby_messages, SaveLobbyMessages};
use crate::auth::manage::ManageNav;
use crate::auth::pages::{failure, FormError};
use crate::domain::attendance::lobby::{
    slides, LobbyView, Slide, WeekFigure, MAX_MESSAGES, MAX_MESSAGE_CHARS, NAMES_PER_SLIDE,
    STREAKS_PER_SLIDE,
};
use crate::error::AppError;
use crate::ui::ErrorPanel;

/// Time each slide shows, in milliseconds.
const ROTATE_MS: u64 = 12_000;
/// Time each slide shows when the device requests reduced motion: slower, with no fades.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const ROTATE_REDUCED_MS: u64 = 20_000;
/// Time between data refreshes, in milliseconds.
const REFRESH_MS: u64 = 60_000;
/// Shorter times for `?fast=1`, used by the browser tests and the soak script.
const FAST_ROTATE_MS: u64 = 1_500;
const FAST_REFRESH_MS: u64 = 2_000;

/// Whether the display's data is current.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Connection {
    Live,
    /// The last refresh failed; the slides show the last data.
    Offline,
    /// The server refused the display, with the reason. No more refreshes are made.
    Stopped(String),
}

/// The lobby display at `/lobby`, for a manager's preview and for a lobby display. A lobby
/// display also shows the slides at `/`.
#[component]
pub fn LobbyPage() -> impl IntoView {
    let initial = Resource::new(|| (), |_| load_lobby());
    view! {
        <Suspense fallback=|| view! { <main class="lobby-display"><p class="lobby-loading">"Loading…"</p></main> }>
            {move || Suspend::new(async move {
                match initial.await {
                    Ok(view) => view! { <LobbyScreen initial=view /> }.into_any(),
                    Err(error) => view! { <main class="page"><ErrorPanel error /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Returns the rotation and refresh intervals for this device and address.
fn intervals(fast: bool) -> (std::time::Duration, std::time::Duration) {
    let ms = std::time::Duration::from_millis;
    if fast {
        return (ms(FAST_ROTATE_MS), ms(FAST_REFRESH_MS));
    }
    (ms(rotate_ms()), ms(REFRESH_MS))
}

#[cfg(feature = "hydrate")]
fn rotate_ms() -> u64 {
    let reduced = window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if reduced {
        ROTATE_REDUCED_MS
    } else {
        ROTATE_MS
    }
}

#[cfg(not(feature = "hydrate"))]
fn rotate_ms() -> u64 {
    ROTATE_MS
}

/// Fetches new data; on success replaces the old, on failure keeps it and marks the display
/// offline or stopped.
fn refresh(data: RwSignal<LobbyView>, connection: RwSignal<Connection>, busy: StoredValue<bool>) {
    let stopped = matches!(
        connection.try_get_untracked(),
        None | Some(Connection::Stopped(_))
    );
    if stopped || busy.try_get_value().unwrap_or(true) {
        return;
    }
    busy.set_value(true);
    leptos::task::spawn_local(async move {
        let next = match load_lobby().await {
            Ok(view) => {
                data.try_set(view);
                Connection::Live
            }
            Err(AppError::Revoked { message }) => Connection::Stopped(message),
            Err(AppError::NotFound { .. } | AppError::SignInNeeded) => Connection::Stopped(
                "This display is no longer enrolled. Ask the manager for a new pairing code."
                    .to_owned(),
            ),
            Err(_) => Connection::Offline,
        };
        connection.try_set(next);
        busy.try_set_value(false);
    });
}

/// The slides, starting from `initial`, refreshing and turning on their own.
#[component]
pub fn LobbyScreen(initial: LobbyView) -> impl IntoView {
    let data = RwSignal::new(initial);
    let connection = RwSignal::new(Connection::Live);
    let turn = RwSignal::new(0_usize);
    let busy = StoredValue::new(false);
    let fast = use_query_map().with_untracked(|query| query.get("fast").is_some());

    Effect::new(move |_| {
        let (rotate_every, refresh_every) = intervals(fast);
        let rotate = set_interval_with_handle(
            move || {
                turn.try_update(|n| *n = n.wrapping_add(1));
            },
            rotate_every,
        );
        let reload =
            set_interval_with_handle(move || refresh(data, connection, busy), refresh_every);
        let online =
            window_event_listener(leptos::ev::online, move |_| refresh(data, connection, busy));
        let handles: Vec<_> = [rotate, reload]
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        on_cleanup(move || {
            online.remove();
            for handle in handles {
                handle.clear();
            }
        });
    });

    let setting_name = move || data.with(|view| view.setting_name.clone());
    let status = move || match connection.get() {
        Connection::Live => None,
        Connection::Offline => Some(view! {
            <p class="lobby-offline" role="status">
                <span aria-hidden="true">"⚠ "</span>
                {format!(
                    "Offline: showing the last update at {}",
                    data.with(|view| view.updated.clone()),
                )}
            </p>
        }),
        Connection::Stopped(_) => None,
    };
    let body = move || {
        if let Connection::Stopped(reason) = connection.get() {
            return view! {
                <section class="lobby-slide lobby-stopped" role="alert">
                    <h2>"This display has stopped"</h2>
                    <p>{reason}</p>
                </section>
            }
            .into_any();
        }
        let turn = turn.get();
        data.with(|view| {
            let list = slides(view);
            let index = turn % list.len();
            view! {
                <section class="lobby-slide" data-slide=slide_key(list[index])>
                    {slide_view(list[index], view)}
                </section>
                <SlideIndicator index count=list.len() />
            }
            .into_any()
        })
    };
    view! {
        <main class="lobby-display">
            <header class="lobby-top">
                <p class="lobby-setting">{setting_name}</p>
                {status}
            </header>
            {body}
        </main>
    }
}

/// Returns a stable name for a slide, used by tests and styles.
fn slide_key(slide: Slide) -> String {
    match slide {
        Slide::Setting => "setting".to_owned(),
        Slide::Rooms => "rooms".to_owned(),
        Slide::FullWeek(0) => "full-week".to_owned(),
        Slide::FullWeek(page) => format!("full-week-{}", page + 1),
        Slide::Improved => "improved".to_owned(),
        Slide::Streaks(0) => "streaks".to_owned(),
        Slide::Streaks(page) => format!("streaks-{}", page + 1),
        Slide::Message(n) => format!("message-{n}"),
    }
}

/// Shows the slide's place, such as "2 of 7", in words and as a row of marks, the current
/// one wider and filled.
#[component]
fn SlideIndicator(index: usize, count: usize) -> impl IntoView {
    let marks = (0..count)
        .map(|n| {
            let class = if n == index {
                "lobby-mark current"
            } else {
                "lobby-mark"
            };
            view! { <span class=class></span> }
        })
        .collect_view();
    view! {
        <footer class="lobby-indicator">
            <span class="lobby-marks" aria-hidden="true">{marks}</span>
            <span class="lobby-count">{format!("{} of {count}", index + 1)}</span>
        </footer>
    }
}

fn slide_view(slide: Slide, view: &LobbyView) -> AnyView {
    let week = view.week_label.to_lowercase();
    match slide {
        Slide::Setting => setting_slide(view),
        Slide::Rooms => {
            let rooms = view
                .rooms
                .iter()
                .map(|room| room_card(room, view.target))
                .collect_view();
            view! {
                <h2>{format!("{} in each room", view.week_label)}</h2>
                <ul class="lobby-rooms">{rooms}</ul>
            }
            .into_any()
        }
        Slide::FullWeek(page) => {
            let names = page_of(&view.full_week, page, NAMES_PER_SLIDE);
            let last = (page + 1) * NAMES_PER_SLIDE >= view.full_week.len();
            let more = (last && view.full_week_more > 0)
                .then(|| view! { <p class="lobby-more">{format!("and {} more!", view.full_week_more)}</p> });
            view! {
                <h2>{format!("Every session {week}")}</h2>
                <p class="lobby-lead">"Well done to:"</p>
                {name_list(names)}
                {more}
            }
            .into_any()
        }
        Slide::Improved => view! {
            <h2>"Coming more often"</h2>
            <p class="lobby-lead">"A big cheer for coming more often over the last six weeks:"</p>
            {name_list(&view.improved)}
        }
        .into_any(),
        Slide::Streaks(page) => {
            let last = (page + 1) * STREAKS_PER_SLIDE >= view.streaks.len();
            let items = page_of(&view.streaks, page, STREAKS_PER_SLIDE)
                .iter()
                .map(|streak| {
                    view! {
                        <li>
                            <span class="lobby-name">{streak.name.clone()}</span>
                            <span class="lobby-weeks">{format!("{} weeks", streak.weeks)}</span>
                        </li>
                    }
                })
                .collect_view();
            let more = (last && view.streaks_more > 0).then(
                || view! { <p class="lobby-more">{format!("and {} more!", view.streaks_more)}</p> },
            );
            view! {
                <h2>"Weeks in a row of every session"</h2>
                <ul class="lobby-streaks">{items}</ul>
                {more}
            }
            .into_any()
        }
        Slide::Message(n) => {
            let text = view.messages.get(n).cloned().unwrap_or_default();
            view! {
                <h2>"Why every day matters"</h2>
                <blockquote class="lobby-message">{text}</blockquote>
            }
            .into_any()
        }
    }
}

/// Returns page `page` (from 0) of `list`, `size` items long at most.
fn page_of<T>(list: &[T], page: usize, size: usize) -> &[T] {
    let start = (page * size).min(list.len());
    let end = (start + size).min(list.len());
    &list[start..end]
}

fn name_list(names: &[String]) -> impl IntoView {
    let items = names
        .iter()
        .map(|name| view! { <li>{name.clone()}</li> })
        .collect_view();
    view! { <ul class="lobby-names">{items}</ul> }
}

fn setting_slide(view: &LobbyView) -> AnyView {
    let figure = &view.setting;
    let headline = match figure.percent {
        Some(percent) => view! {
            <p class="lobby-big">
                {format!("{percent}%")}
                <span class="lobby-unit">" of booked sessions attended"</span>
            </p>
            {meter(percent, view.target)}
        }
        .into_any(),
        None => {
            view! { <p class="lobby-big lobby-words-only">{figure.words.clone()}</p> }.into_any()
        }
    };
    let words = figure.percent.is_some().then(|| {
        let badge = figure
            .met_target
            .then(|| view! { <span aria-hidden="true">"★ "</span> });
        view! { <p class="lobby-words">{badge}{figure.words.clone()}</p> }
    });
    view! {
        <h2>{format!("{} at {}", view.week_label, view.setting_name)}</h2>
        {headline}
        {words}
        <p class="lobby-target">{format!("Our target: {}% or more", view.target)}</p>
    }
    .into_any()
}

/// Draws a bar filled to `percent` with a line at the target, labelled in words.
fn meter(percent: u32, target: u32) -> impl IntoView {
    let label = format!("{percent}% attended; the target is {target}%");
    view! {
        <div class="lobby-meter" role="img" aria-label=label>
            <span class="lobby-meter-fill" style=format!("width: {}%", percent.min(100))></span>
            <span class="lobby-meter-target" style=format!("left: {}%", target.min(100))></span>
        </div>
    }
}

fn room_card(room: &WeekFigure, target: u32) -> impl IntoView {
    let figure = match room.percent {
        Some(percent) => view! {
            <span class="lobby-room-percent">{format!("{percent}%")}</span>
            {meter(percent, target)}
        }
        .into_any(),
        None => ().into_any(),
    };
    let badge = room
        .met_target
        .then(|| view! { <span aria-hidden="true">"★ "</span> });
    view! {
        <li class="lobby-room">
            <span class="lobby-room-name">{room.name.clone()}</span>
            {figure}
            <span class="lobby-room-words">{badge}{room.words.clone()}</span>
        </li>
    }
}

/// The manager's page at `/manage/lobby`: the display's messages and a link to preview it.
#[component]
pub fn LobbySettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveLobbyMessages>::new();
    let messages = Resource::new(move || save.version().get(), |_| load_lobby_messages());
    let saved = move || save.value().get().is_some_and(|result| result.is_ok());
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Lobby display"</h1>
                <p>
                    "A screen in the entrance that celebrates attendance. It shows children only with their carer's consent for display, by first name and last initial, and never shows absences. "
                    <a href="/lobby" rel="external">"Preview the display"</a>
                    ". To put it on a screen, make a pairing code with "
                    <strong>"Lobby display (no room)"</strong>
                    " under "
                    <a href="/manage/devices">"Tablets and displays"</a>
                    "."
                </p>
            </header>
            <FormError error=failure(save.value()) />
            <Show when=saved>
                <p class="panel all-clear" role="status">"Messages saved. The display shows them within a minute."</p>
            </Show>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(current) => {
                            let note = if current.defaults {
                                "These are the default messages. Change them, or leave the box empty to keep the defaults."
                            } else {
                                "Empty the box and save to go back to the default messages."
                            };
                            view! {
                                <ActionForm action=save attr:class="form panel">
                                    <label>
                                        <span>"Messages on why attendance matters, one per line"</span>
                                        <textarea name="messages" rows="10">{current.messages.join("\n")}</textarea>
                                        <small class="hint">
                                            {format!("At most {MAX_MESSAGES} messages of up to {MAX_MESSAGE_CHARS} characters each. {note}")}
                                        </small>
                                    </label>
                                    <button type="submit" class="button">"Save messages"</button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
