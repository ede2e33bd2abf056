//! The start page (a room tablet's register, the lobby display's slides, or the room
//! chooser) and the whole-setting view for a manager.

use leptos::prelude::*;

use crate::auth::api::{load_home, Home};
use crate::register::api::load_setting_today;
use crate::register::model::{RoomToday, SettingToday, TabletSummary};
use crate::ui::{long_date, CountsBar, ErrorPanel};

/// The start page: a room tablet's register, a lobby display's slides, or the rooms a manager
/// or practitioner may open.
#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_home());
    view! {
        <Suspense fallback=|| view! { <main class="page"><p class="loading">"Loading…"</p></main> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Home::Register { view }) => view! {
                        <main class="page register-page">
                            <crate::register::page::Register view />
                        </main>
                    }
                    .into_any(),
                    Ok(Home::Rooms { today, manager }) => view! {
                        <main class="page"><RoomChooser today manager /></main>
                    }
                    .into_any(),
                    Ok(Home::Lobby { view }) => view! { <crate::lobby::page::LobbyScreen initial=view /> }.into_any(),
                    Err(error) => view! { <main class="page"><ErrorPanel error /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoomChooser(today: SettingToday, manager: bool) -> impl IntoView {
    let rooms = today
        .rooms
        .into_iter()
        .map(|room| view! { <RoomLink room /> })
        .collect_view();
    view! {
        <header class="page-header">
            <p class="eyebrow">{today.setting_name}</p>
            <h1>"Choose your room"</h1>
            <p class="date">{long_date(today.date)}</p>
        </header>
        {today.closed.map(|closed| view! { <p class="panel notice">"The setting is " {closed} "."</p> })}
        <nav aria-label="Rooms">
            <ul class="room-list">{rooms}</ul>
        </nav>
        {manager
            .then(|| {
                view! {
                    <nav class="manage-links" aria-label="Manage">
                        <a class="button secondary" href="/today">"Whole setting today"</a>
                        <a class="button secondary" href="/manage/accounts">"Accounts"</a>
                        <a class="button secondary" href="/manage/devices">"Tablets and displays"</a>
                        <a class="button secondary" href="/manage/audit">"Audit trail"</a>
                    </nav>
                }
            })}
    }
}

#[component]
fn RoomLink(room: RoomToday) -> impl IntoView {
    let counts = room.room.counts;
    view! {
        <li>
            // A full page load, not an in-app navigation, so that with no network the
            // service worker can open the register the tablet kept.
            <a class="room-link" href=format!("/rooms/{}", room.room.id) rel="external">
                <span class="room-name">{room.room.name}</span>
                <span class="room-ages">{room.room.ages}</span>
                <span class="room-counts">
                    {format!(
                        "{} here · {} not yet arrived · {} expected",
                        counts.here,
                        counts.not_yet_arrived,
                        counts.expected,
                    )}
                </span>
            </a>
        </li>
    }
}

/// The whole setting today: every room's counts and the booked children not yet arrived.
#[component]
pub fn SettingTodayPage() -> impl IntoView {
    let today = Resource::new(|| (), |_| load_setting_today());
    view! {
        <main class="page">
            <p>
                <a class="back" href="/">
                    "← Rooms"
                </a>
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading today…"</p> }>
                {move || Suspend::new(async move {
                    match today.await {
                        Ok(today) => view! { <SettingOverview today /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn SettingOverview(today: SettingToday) -> impl IntoView {
    let totals = today.totals;
    let tablets = (!today.tablets.is_empty()).then(|| view! { <Tablets tablets=today.tablets /> });
    let rooms = today
        .rooms
        .into_iter()
        .map(|room| {
            let counts = room.room.counts;
            let missing = if room.not_yet_arrived.is_empty() {
                view! { <p class="all-in">"Everyone booked has arrived or been marked."</p> }
                    .into_any()
            } else {
                let names = room
                    .not_yet_arrived
                    .into_iter()
                    .map(|name| view! { <li>{name}</li> })
                    .collect_view();
                view! {
                    <h3 class="subhead">"Not yet arrived"</h3>
                    <ul class="name-list">{names}</ul>
                }
                .into_any()
            };
            view! {
                <section class="panel room-today" aria-labelledby=format!("room-{}", room.room.id)>
                    <h2 id=format!("room-{}", room.room.id)>
                        <a href=format!("/rooms/{}", room.room.id)>{room.room.name}</a>
                    </h2>
                    <CountsBar counts=Signal::stored(counts) />
                    {missing}
                </section>
            }
        })
        .collect_view();
    view! {
        <header class="page-header">
            <p class="eyebrow">{today.setting_name}</p>
            <h1>"Whole setting today"</h1>
            <p class="date">{long_date(today.date)}</p>
        </header>
        {today.closed.map(|closed| view! { <p class="panel notice">"The setting is " {closed} "."</p> })}
        <section aria-label="Whole setting">
            <CountsBar counts=Signal::stored(totals) />
        </section>
        <div class="room-grid">{rooms}</div>
        {tablets}
    }
}

/// Lists the room tablets that have synced, with a warning for any whose clock is out.
#[component]
fn Tablets(tablets: Vec<TabletSummary>) -> impl IntoView {
    let rows = tablets
        .into_iter()
        .map(|tablet| {
            let clock = match tablet.clock_problem {
                Some(problem) => view! {
                    <td class="clock-problem">
                        <span aria-hidden="true">"⚠ "</span>
                        "Clock " {problem} ". Set the tablet's date and time."
                    </td>
                }
                .into_any(),
                None => view! { <td>"Correct"</td> }.into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{tablet.label}</th>
                    <td>{tablet.room_name}</td>
                    <td>{tablet.last_sync}</td>
                    {clock}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel tablets" aria-labelledby="tablets-heading">
            <h2 id="tablets-heading">"Room tablets"</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Tablet"</th>
                        <th scope="col">"Room"</th>
                        <th scope="col">"Last saved"</th>
                        <th scope="col">"Clock"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
