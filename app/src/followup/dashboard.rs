//! The setting dashboard: this week and term against the last, by room, by weekday, reasons,
//! persistent and severe absence, with charts and exports.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::load_dashboard;
use super::charts::RateChart;
use super::child::{FigureCard, FigureTable, ReasonTable};
use super::model::{ChartPoint, Dashboard};
use crate::auth::manage::ManageNav;
use crate::ui::ErrorPanel;

/// The dashboard at `/manage/attendance`, for this term or `?from=…&to=…`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let query = query.read();
        (query.get("from"), query.get("to"))
    };
    let data = Resource::new(range, |(from, to)| load_dashboard(from, to));
    view! {
        <main class="page">
            <ManageNav />
            <Suspense fallback=|| view! { <p class="loading">"Loading the figures…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Figures data /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Figures(data: Dashboard) -> impl IntoView {
    let from = data.period_from.to_string();
    let to = data.period_to.to_string();
    let exports = format!("from={from}&to={to}");
    let room_points: Vec<ChartPoint> = data
        .rooms
        .iter()
        .map(|row| ChartPoint {
            label: row.label.clone(),
            rate: row.figures.rate,
        })
        .collect();
    let weekday_points: Vec<ChartPoint> = data
        .weekdays
        .iter()
        .map(|row| ChartPoint {
            label: row.label.clone(),
            rate: row.figures.rate,
        })
        .collect();
    let threshold = data.persistent_below;
    view! {
        <header class="page-header">
            <p class="eyebrow">{data.setting_name}</p>
            <h1>"Attendance"</h1>
        </header>
        <div class="figure-cards">
            <FigureCard period=data.this_week />
            <FigureCard period=data.last_week />
            <FigureCard period=data.half_term />
            <FigureCard period=data.this_term />
            <FigureCard period=data.last_term />
            <FigureCard period=data.school_year />
        </div>
        <form class="panel form grid" method="get" action="/manage/attendance">
            <label><span>"From"</span><input type="date" name="from" value=from.clone() required /></label>
            <label><span>"To"</span><input type="date" name="to" value=to.clone() required /></label>
            <button type="submit" class="button secondary">"Show these dates"</button>
            <a class="button secondary" href="/manage/attendance">"This term"</a>
        </form>
        <section class="panel">
            <h2>{data.period.name.clone()} ": " {data.period.dates.clone()}</h2>
            <p class="figure-rate">{data.period.figures.rate.label()}</p>
            <p>
                {format!(
                    "{} of {} booked sessions attended",
                    data.period.figures.rate.attended,
                    data.period.figures.rate.possible,
                )}
            </p>
            <ul class="absence-counts">
                <li>
                    <strong>{data.persistent}</strong>
                    {format!(" of {} children below {}% (persistent absence)", data.children_counted, data.persistent_below)}
                </li>
                <li>
                    <strong>{data.severe}</strong>
                    {format!(" of {} children below {}% (severe absence)", data.children_counted, data.severe_below)}
                </li>
            </ul>
            <div class="button-row">
                <a class="button secondary" href=format!("/manage/export/register.csv?{exports}") rel="external" download>"Download the register (CSV)"</a>
                <a class="button secondary" href=format!("/manage/export/figures.csv?{exports}") rel="external" download>"Download the figures (CSV)"</a>
            </div>
        </section>
        <section class="panel">
            <h2>"Week by week"</h2>
            <RateChart title="Setting attendance each week".to_owned() points=data.weekly threshold id="setting-weeks" />
        </section>
        <div class="two-columns">
            <section class="panel">
                <h2>"By room"</h2>
                <RateChart title="Attendance by room".to_owned() points=room_points threshold id="rooms" />
                <FigureTable rows=data.rooms first="Room" />
            </section>
            <section class="panel">
                <h2>"By weekday"</h2>
                <RateChart title="Attendance by weekday".to_owned() points=weekday_points threshold id="weekdays" />
                <FigureTable rows=data.weekdays first="Weekday" />
            </section>
        </div>
        <section class="panel">
            <h2>"Missed sessions by reason"</h2>
            <ReasonTable rows=data.reasons />
        </section>
    }
}
