//! Tablet syncs through the real app. The bench times one `POST /api/sync` carrying a full
//! day or a 7-day offline backlog for a 60-child room, and measures the throughput of 50
//! tablets syncing at once. Beside each, it times raw SQLite inserts of the same rows.
//!
//! Run with `cargo bench -p server --bench sync`. Each of the three HTTP series starts the
//! app in this process on a loopback port over a fresh SQLite file in a temporary directory,
//! with the server clock from Friday 4 December 2026, 17:00 UTC. Rooms have 60 children and
//! one collecting parent per child. A full day is four marks per child (arrival, departure,
//! arrival, departure), and the departures name that parent. The bench:
//!
//! 1. fills one room's register for today with a full day, then sends one full day for a
//!    past open weekday of its own in each of 200 timed syncs, one after another, after 10
//!    untimed ones. No sync carries a cursor, so every reply carries the whole register;
//! 2. does the same with the full days of 7 past open weekdays (1,680 events) in each of 20
//!    timed syncs, after 2 untimed ones;
//! 3. runs 50 tablets at once in 50 rooms of one setting, each tablet a tokio task with its
//!    own client and device id. Each sends its room's full day for today as 60 syncs of 4
//!    events, each sync carrying the cursor from the reply before;
//! 4. inserts the timed rows of each series with the app's `INSERT` straight through sqlx into
//!    a fresh file, committing as often as the app did: every 240, 1,680 and 4 rows.
//!
//! It checks every reply (200 OK, every event accepted, and the register or the changes it
//! should carry) and that each database contains exactly the events sent. It prints two tables
//! to stdout and writes files only in temporary directories.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tokio::sync::Barrier;
use uuid::Uuid;

use app::clock::Clock;
use app::domain::events::{AttendanceEvent, Presence};
use app::sync::protocol::{SyncRequest, SyncResponse};

use support::fixture::{start_date, Setting, CHILDREN};
use support::http::{self, RunningApp, SyncExchange};
use support::report::{print_store_table, print_times_header, print_times_row, Series};
use support::sqlite::{self, Commits};
use support::workload::{full_days, OpenDays};

/// Marks per child in a full day: two visits, each an arrival and a departure.
const MARKS_PER_CHILD: usize = 4;
/// Untimed full-day syncs before the timed ones, to open the connection and warm SQLite.
const FULL_DAY_WARM_UP: usize = 10;
/// Timed full-day syncs, enough for a nearest-rank p99 that is not the maximum.
const FULL_DAY_SAMPLES: usize = 200;
/// Open weekdays in an offline backlog.
const BACKLOG_DAYS: usize = 7;
/// Untimed backlog syncs before the timed ones.
const BACKLOG_WARM_UP: usize = 2;
/// Timed backlog syncs.
const BACKLOG_SAMPLES: usize = 20;
/// Tablets syncing at once, each in a room of its own.
const TABLETS: usize = 50;
/// Events in each of a tablet's syncs. A full day divides into syncs of this size exactly.
const EVENTS_PER_SYNC: usize = 4;
/// Failed syncs of the concurrent series printed before the bench stops.
const FAILURES_SHOWN: usize = 5;

/// The timed syncs of one series, and what the raw inserts need to repeat them.
struct SyncSeries {
    label: String,
    /// The rooms the events are for, all in one setting.
    rooms: Vec<Setting>,
    /// Every timed event, in the order sent.
    events: Vec<AttendanceEvent>,
    /// Events in each sync, and rows in each raw insert transaction.
    events_per_sync: usize,
    /// Time of each timed sync.
    samples: Vec<Duration>,
    /// For the sequential series the sum of `samples`, and for the concurrent series the
    /// time from the tablets' start to the last reply.
    elapsed: Duration,
    /// Sizes of the last timed sync's request and response bodies.
    request_bytes: usize,
    response_bytes: usize,
}

/// Problems and whole-register replies found in the concurrent series.
struct ConcurrentCheck {
    /// Syncs that failed or whose reply lacked the tablet's own events.
    failures: Vec<String>,
    /// Differences between the events sent and the app's database.
    mismatches: Vec<String>,
    /// Replies that carried the whole register. Only a tablet's first sync, which has no
    /// cursor, should get one.
    full_registers: usize,
}

#[tokio::main]
async fn main() {
    let bench_started = Instant::now();
    // Friday 4 December 2026, 17:00 in London (GMT). Every mark is on this date or earlier.
    let server_now = Utc
        .with_ymd_and_hms(2026, 12, 4, 17, 0, 0)
        .single()
        .expect("valid instant");

    let full_day = run_sequential(server_now, 1, FULL_DAY_WARM_UP, FULL_DAY_SAMPLES).await;
    let backlog = run_sequential(server_now, BACKLOG_DAYS, BACKLOG_WARM_UP, BACKLOG_SAMPLES).await;
    let (concurrent, check) = run_concurrent(server_now).await;
    let all_series = [full_day, backlog, concurrent];

    let clock = Clock::starting_at(server_now);
    let mut rows = Vec::new();
    for series in &all_series {
        rows.push(Series {
            label: series.label.clone(),
            events: series.events.len(),
            requests: Some(series.samples.len()),
            transactions: series.samples.len(),
            elapsed: series.elapsed,
        });
        let per_transaction = series.events_per_sync;
        let elapsed = sqlite::insert_events_of(
            &series.rooms,
            &series.events,
            Commits::Every(per_transaction),
            clock,
        )
        .await;
        rows.push(Series {
            label: format!("SQLite INSERT, {per_transaction} rows per transaction"),
            events: series.events.len(),
            requests: None,
            transactions: series.events.len().div_ceil(per_transaction),
            elapsed,
        });
    }

    print_header(server_now);
    print_store_table(&rows);
    println!();
    print_times_header("POST /api/sync (times in ms)");
    for series in &all_series {
        print_times_row(&series.label, &series.samples, series.response_bytes);
    }
    println!();
    print_notes(&all_series, &check);
    println!(
        "Whole bench: {:.1} s.",
        bench_started.elapsed().as_secs_f64()
    );
    assert_concurrent_ok(&check);
}

/// Starts the app over a fresh database seeded with `rooms` and their collectors.
async fn start_app(server_now: DateTime<Utc>, rooms: &[Setting]) -> RunningApp {
    let app = http::start(server_now, &rooms[0]).await;
    for room in &rooms[1..] {
        room.insert_room(&app.pool)
            .await
            .expect("seed another room");
    }
    for room in rooms {
        room.insert_collectors(&app.pool)
            .await
            .expect("seed the collectors");
    }
    app
}

/// Fills one room's register for today with a full day, then sends `warm_up + samples` syncs
/// for that room one after another over one keep-alive connection. Each carries the full
/// days of `days_per_sync` past open weekdays of its own and no cursor, as a tablet does
/// after a day or more offline. Times only the last `samples`, and checks every reply and the
/// count of stored events.
async fn run_sequential(
    server_now: DateTime<Utc>,
    days_per_sync: usize,
    warm_up: usize,
    samples: usize,
) -> SyncSeries {
    let room = Setting::new();
    let app = start_app(server_now, std::slice::from_ref(&room)).await;
    let client = reqwest::Client::new();
    let tablet_clock = Clock::starting_at(server_now);
    let today = server_now.date_naive();
    let device_id = "bench-tablet-sequential";
    let request_for = |days: &[NaiveDate]| SyncRequest {
        device_id: device_id.to_owned(),
        room_id: room.room,
        cursor: None,
        device_now: tablet_clock.now(),
        events: full_days(&room, days, device_id),
    };

    let today_request = request_for(&[today]);
    let exchange = http::post_sync(&client, &app.address, &today_request).await;
    let reply = exchange
        .reply
        .unwrap_or_else(|error| panic!("the sync of today's full day failed: {error}"));
    check_full_register(&reply, today);
    let mut sent = today_request.events.len();

    let label = if days_per_sync == 1 {
        "Sync, full day, one at a time".to_owned()
    } else {
        format!("Sync, {days_per_sync}-day backlog, one at a time")
    };
    let mut series = SyncSeries {
        label,
        rooms: Vec::new(),
        events: Vec::new(),
        events_per_sync: days_per_sync * MARKS_PER_CHILD * CHILDREN,
        samples: Vec::with_capacity(samples),
        elapsed: Duration::ZERO,
        request_bytes: 0,
        response_bytes: 0,
    };
    let mut open_days = OpenDays::between(start_date(), today - chrono::Duration::days(1));
    for index in 0..warm_up + samples {
        let request = request_for(&open_days.take(days_per_sync));
        let exchange = http::post_sync(&client, &app.address, &request).await;
        let reply = exchange
            .reply
            .unwrap_or_else(|error| panic!("sync {index} failed: {error}"));
        check_full_register(&reply, today);
        sent += request.events.len();
        if index >= warm_up {
            series.samples.push(exchange.elapsed);
            series.elapsed += exchange.elapsed;
            series.request_bytes = exchange.request_bytes;
            series.response_bytes = exchange.response_bytes;
            series.events.extend(request.events);
        }
    }
    assert_stored(&app, sent).await;
    series.rooms.push(room);
    series
}

/// Checks that a reply carries the whole register for `today`, and that each child's day
/// there is two finished visits.
fn check_full_register(reply: &SyncResponse, today: NaiveDate) {
    assert_eq!(reply.date, today, "the reply is for another date");
    let register = reply
        .register
        .as_ref()
        .expect("a sync without a cursor returns the whole register");
    assert_eq!(
        register.children.len(),
        CHILDREN,
        "the register lists {} children",
        register.children.len()
    );
    for card in &register.children {
        let name = format!("{} {}", card.first_name, card.last_name);
        assert_eq!(
            card.events.len(),
            MARKS_PER_CHILD,
            "{name} has {} events today",
            card.events.len()
        );
        let day = card.day();
        assert!(
            matches!(day.presence, Presence::GoneHome { .. }),
            "{name} is {:?} after a full day",
            day.presence
        );
        assert_eq!(day.visits.len(), 2, "{name} has other than two visits");
        assert!(day.conflicts.is_empty(), "{name}: {:?}", day.conflicts);
    }
}

/// Runs [`TABLETS`] tablets at once against one app, each in a room of its own. Each sends
/// its room's full day for today in syncs of [`EVENTS_PER_SYNC`] events, waiting for each
/// reply and sending its cursor with the next sync. Returns the series and what the replies
/// and the database showed.
async fn run_concurrent(server_now: DateTime<Utc>) -> (SyncSeries, ConcurrentCheck) {
    let first = Setting::new();
    let mut rooms = Vec::with_capacity(TABLETS);
    for number in 2..=TABLETS {
        rooms.push(first.another_room(number));
    }
    rooms.insert(0, first);
    let app = start_app(server_now, &rooms).await;
    let today = server_now.date_naive();
    let plans: Vec<(String, Vec<AttendanceEvent>)> = rooms
        .iter()
        .enumerate()
        .map(|(index, room)| {
            let device_id = format!("bench-tablet-{index}");
            let events = full_days(room, &[today], &device_id);
            (device_id, events)
        })
        .collect();

    let barrier = Arc::new(Barrier::new(TABLETS + 1));
    let mut tasks = Vec::with_capacity(TABLETS);
    for (room, (device_id, events)) in rooms.iter().zip(&plans) {
        let tablet = Tablet {
            address: app.address.clone(),
            device_id: device_id.clone(),
            room_id: room.room,
            clock: Clock::starting_at(server_now),
            events: events.clone(),
        };
        let barrier = Arc::clone(&barrier);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            barrier.wait().await;
            tablet.run(&client).await
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut exchanges = Vec::with_capacity(TABLETS);
    for task in tasks {
        exchanges.push(task.await.expect("a tablet task panicked"));
    }
    let elapsed = started.elapsed();

    let mut check = ConcurrentCheck {
        failures: Vec::new(),
        mismatches: Vec::new(),
        full_registers: 0,
    };
    let mut series = SyncSeries {
        label: format!("Sync, {EVENTS_PER_SYNC} events, {TABLETS} tablets at once"),
        rooms: Vec::new(),
        events: Vec::new(),
        events_per_sync: EVENTS_PER_SYNC,
        samples: Vec::new(),
        elapsed,
        request_bytes: 0,
        response_bytes: 0,
    };
    for (tablet_exchanges, (device_id, events)) in exchanges.into_iter().zip(&plans) {
        for (exchange, sent) in tablet_exchanges
            .into_iter()
            .zip(events.chunks(EVENTS_PER_SYNC))
        {
            series.samples.push(exchange.elapsed);
            series.request_bytes = exchange.request_bytes;
            series.response_bytes = exchange.response_bytes;
            check_changes(&mut check, device_id, sent, &exchange);
        }
        series.events.extend(events.iter().cloned());
    }
    check.mismatches = stored_mismatches(&app, series.events.len(), &plans).await;
    series.rooms = rooms;
    (series, check)
}

/// Records in `check` a failed sync, a whole register, or a reply whose changes lack an
/// event of `sent`. Changes since the cursor include the events just stored.
fn check_changes(
    check: &mut ConcurrentCheck,
    device_id: &str,
    sent: &[AttendanceEvent],
    exchange: &SyncExchange,
) {
    match &exchange.reply {
        Ok(reply) if reply.register.is_some() => check.full_registers += 1,
        Ok(reply) => {
            let returned: Vec<Uuid> = reply.events.iter().map(|event| event.id).collect();
            if let Some(missing) = sent.iter().find(|event| !returned.contains(&event.id)) {
                check.failures.push(format!(
                    "{device_id}: the reply's changes lack event {}, which it just sent",
                    missing.id
                ));
            }
        }
        Err(error) => check.failures.push(format!("{device_id}: {error}")),
    }
}

/// One tablet of the concurrent series.
struct Tablet {
    address: String,
    device_id: String,
    room_id: Uuid,
    clock: Clock,
    events: Vec<AttendanceEvent>,
}

impl Tablet {
    /// Sends the tablet's events in syncs of [`EVENTS_PER_SYNC`], each after the reply to the
    /// one before, and returns every exchange in order. A failed sync leaves the cursor as it
    /// was, and the tablet goes on with its next events.
    async fn run(self, client: &reqwest::Client) -> Vec<SyncExchange> {
        let mut cursor = None;
        let mut exchanges = Vec::with_capacity(self.events.len() / EVENTS_PER_SYNC);
        for batch in self.events.chunks(EVENTS_PER_SYNC) {
            let request = SyncRequest {
                device_id: self.device_id.clone(),
                room_id: self.room_id,
                cursor: cursor.clone(),
                device_now: self.clock.now(),
                events: batch.to_vec(),
            };
            let exchange = http::post_sync(client, &self.address, &request).await;
            if let Ok(reply) = &exchange.reply {
                cursor = Some(reply.cursor.clone());
            }
            exchanges.push(exchange);
        }
        exchanges
    }
}

/// Panics unless the app's database contains exactly `expected` events.
async fn assert_stored(app: &RunningApp, expected: usize) {
    let stored = http::stored_events(app).await;
    assert_eq!(
        usize::try_from(stored).ok(),
        Some(expected),
        "the app's database contains {stored} events, but {expected} were sent"
    );
}

/// Compares the app's database with the events sent: the total, each tablet's events by
/// device id, and the count on each tablet's device row. Returns one message per mismatch.
async fn stored_mismatches(
    app: &RunningApp,
    expected: usize,
    plans: &[(String, Vec<AttendanceEvent>)],
) -> Vec<String> {
    let mut mismatches = Vec::new();
    let stored = http::stored_events(app).await;
    if usize::try_from(stored).ok() != Some(expected) {
        mismatches.push(format!(
            "the app's database contains {stored} events, but {expected} were sent"
        ));
    }
    for (device_id, events) in plans {
        let (stored,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM attendance_events WHERE device_id = ?")
                .bind(device_id)
                .fetch_one(&app.pool)
                .await
                .expect("count a tablet's events");
        let received: Option<(i64,)> =
            sqlx::query_as("SELECT events_received FROM devices WHERE id = ?")
                .bind(device_id)
                .fetch_optional(&app.pool)
                .await
                .expect("read a tablet's device row");
        let received = received.map_or(0, |(count,)| count);
        let sent = i64::try_from(events.len()).expect("fewer than 2^63 events");
        if stored != sent {
            mismatches.push(format!(
                "{device_id}: {stored} events stored of {sent} sent"
            ));
        }
        if received != sent {
            mismatches.push(format!(
                "{device_id}: the device row counts {received} events received of {sent} sent"
            ));
        }
    }
    mismatches
}

fn print_header(server_now: DateTime<Utc>) {
    println!();
    println!(
        "Here Today sync bench, run at {}",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "Server clock from {}; SQLite WAL, synchronous NORMAL; a fresh file per HTTP series.",
        server_now.format("%Y-%m-%dT%H:%M:%SZ")
    );
    println!(
        "Rooms of {CHILDREN} children, {MARKS_PER_CHILD} marks per child per day; \
         every event accepted."
    );
    println!();
}

fn print_notes(all_series: &[SyncSeries], check: &ConcurrentCheck) {
    println!(
        "Untimed syncs first: {FULL_DAY_WARM_UP} full days, {BACKLOG_WARM_UP} backlogs. \
         Body bytes are the last reply's."
    );
    for series in all_series {
        println!(
            "{}: {:.1} syncs/s; last request body {} bytes.",
            series.label,
            series.samples.len() as f64 / series.elapsed.as_secs_f64(),
            series.request_bytes
        );
    }
    println!(
        "{TABLETS} tablets: {} failed syncs, {} database mismatches, \
         {} replies with the whole register.",
        check.failures.len(),
        check.mismatches.len(),
        check.full_registers
    );
}

/// Panics, after the tables are printed, if any concurrent sync failed, the stored events
/// differ from those sent, or a tablet got the whole register again after its first sync.
fn assert_concurrent_ok(check: &ConcurrentCheck) {
    for failure in check.failures.iter().take(FAILURES_SHOWN) {
        eprintln!("failed sync: {failure}");
    }
    for mismatch in &check.mismatches {
        eprintln!("stored events: {mismatch}");
    }
    assert!(
        check.failures.is_empty(),
        "{} of the concurrent syncs failed",
        check.failures.len()
    );
    assert!(
        check.mismatches.is_empty(),
        "the stored events differ from the events sent"
    );
    assert_eq!(
        check.full_registers, TABLETS,
        "only each tablet's first sync, which has no cursor, should return the whole register"
    );
}
