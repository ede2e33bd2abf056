//! Marks stored per second through the real app, beside raw SQLite inserts of the same
//! rows, and the server's response time for a 60-child room register.
//!
//! Run with `cargo bench -p server --bench marks`. The bench starts the app in this process
//! on a loopback port over a fresh SQLite file in a temporary directory. It then:
//!
//! 1. posts arrivals to `POST /api/events` one after another over one keep-alive
//!    connection, with 1, 60 and 240 events per request;
//! 2. inserts the same rows with the app's `INSERT` straight through sqlx into a fresh
//!    file per series, one transaction per row and then all rows in one transaction;
//! 3. times `GET /rooms/{id}` (the server-rendered register, with every child arrived),
//!    and `GET /health` as the cost of a small request to the same server.
//!
//! It prints two tables to stdout and writes files only in temporary directories.

mod support;

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};

use app::clock::Clock;
use app::domain::events::AttendanceEvent;

use support::fixture::{start_date, Setting, CHILDREN};
use support::http::{self, RunningApp};
use support::report::{print_get_header, print_get_row, print_store_table, Series};
use support::sqlite::{self, Commits};
use support::workload::{arrivals, OpenDays};

/// HTTP series as (events per request, open weekdays of arrivals). Each day adds one
/// arrival per child, so a series stores `days * 60` events. The days of all series must
/// fit between the children's start date and the day before the server's date.
const HTTP_SERIES: [(usize, usize); 3] = [(1, 400), (60, 300), (240, 300)];
/// Untimed requests to each GET path before the timed ones, so that the timed ones find
/// the connection open and SQLite's page cache warm.
const GET_WARM_UP: usize = 50;
/// Timed requests to each GET path.
const GET_SAMPLES: usize = 1_000;

#[tokio::main]
async fn main() {
    let bench_started = Instant::now();
    // Friday 4 December 2026, 17:00 in London (GMT). The register shows this date.
    let server_now = Utc
        .with_ymd_and_hms(2026, 12, 4, 17, 0, 0)
        .single()
        .expect("valid instant");
    let today = server_now.date_naive();
    let setting = Setting::new();
    let app = http::start(server_now, &setting).await;

    // Every child arrives today, one request each. This fills the register page and opens
    // the keep-alive connection before any timed request.
    let today_arrivals = arrivals(&setting, &[today]);
    http::post_events(&app, &today_arrivals, 1).await;

    let mut days = OpenDays::between(start_date(), today - Duration::days(1));
    let open_days = days.remaining();
    let (mut rows, events) = run_http_series(&app, &setting, &mut days).await;
    let expected_rows = events.len() + today_arrivals.len();
    let stored = http::stored_events(&app).await;
    assert_eq!(
        usize::try_from(stored).ok(),
        Some(expected_rows),
        "the app's database contains {stored} events, but {expected_rows} were accepted"
    );
    rows.extend(run_raw_series(&setting, &events, Clock::starting_at(server_now)).await);

    http::check_register(&app, &setting).await;
    let register_path = format!("/rooms/{}", setting.room);
    let register = http::time_get(&app, &register_path, GET_WARM_UP, GET_SAMPLES).await;
    let health = http::time_get(&app, "/health", GET_WARM_UP, GET_SAMPLES).await;

    print_header(&app, open_days).await;
    print_store_table(&rows);
    println!();
    print_get_header();
    print_get_row(
        &format!("/rooms/{{id}}, {CHILDREN} children all arrived"),
        &register,
    );
    print_get_row("/health, small JSON", &health);
    println!();
    println!(
        "Each GET path had {GET_WARM_UP} untimed requests first. Whole bench: {:.1} s.",
        bench_started.elapsed().as_secs_f64()
    );
}

/// Runs each of [`HTTP_SERIES`] on days of its own and returns the timed rows and every
/// event stored, in the order sent.
async fn run_http_series(
    app: &RunningApp,
    setting: &Setting,
    days: &mut OpenDays,
) -> (Vec<Series>, Vec<AttendanceEvent>) {
    let mut rows = Vec::new();
    let mut all_events = Vec::new();
    for (per_request, day_count) in HTTP_SERIES {
        let events = arrivals(setting, &days.take(day_count));
        let elapsed = http::post_events(app, &events, per_request).await;
        let requests = events.len().div_ceil(per_request);
        rows.push(Series {
            label: format!("HTTP POST /api/events, {per_request} per request"),
            events: events.len(),
            requests: Some(requests),
            transactions: requests,
            elapsed,
        });
        all_events.extend(events);
    }
    (rows, all_events)
}

/// Inserts `events` straight into SQLite, once per commit mode, each into a fresh file.
async fn run_raw_series(
    setting: &Setting,
    events: &[AttendanceEvent],
    clock: Clock,
) -> Vec<Series> {
    let modes = [
        (
            Commits::EveryRow,
            "SQLite INSERT, 1 transaction per row",
            events.len(),
        ),
        (Commits::Once, "SQLite INSERT, all rows in 1 transaction", 1),
    ];
    let mut rows = Vec::new();
    for (commits, label, transactions) in modes {
        let elapsed = sqlite::insert_events(setting, events, commits, clock).await;
        rows.push(Series {
            label: label.to_owned(),
            events: events.len(),
            requests: None,
            transactions,
            elapsed,
        });
    }
    rows
}

async fn print_header(app: &RunningApp, open_days: usize) {
    let (sqlite_version,): (String,) = sqlx::query_as("SELECT sqlite_version()")
        .fetch_one(&app.pool)
        .await
        .expect("read the SQLite version");
    println!();
    println!(
        "Here Today marks bench, run at {}",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "App at {}: server clock from 2026-12-04T17:00:00Z; \
         SQLite {sqlite_version}, WAL, synchronous NORMAL.",
        app.address
    );
    println!(
        "Arrivals of {CHILDREN} children on past open weekdays ({open_days} available), \
         each series on days of its own; every event accepted."
    );
    println!();
}
