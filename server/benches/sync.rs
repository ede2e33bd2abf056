//! Tablet syncs through the real app: the time of one `POST /api/sync` carrying a full day or
//! a week's offline backlog for a 60-child room, the throughput of 50 tablets syncing at once,
//! and raw SQLite inserts of the same rows beside each.
//!
//! Run with `cargo bench -p server --bench sync`. Each of the three HTTP series starts the
//! app in this process on a loopback port over a fresh SQLite file in a temporary directory,
//! with the server clock from Friday 4 December 2026, 17:00 UTC. Every sync is for a room of
//! its own, in a setting of its own seeded before the clock starts, with one collecting parent
//! per child. A full day is four marks per child (arrival, departure, arrival, departure), and
//! the departures name that parent. The bench:
//!
//! 1. sends one full day (240 events) for today in each of 200 timed syncs, one after another,
//!    after 10 untimed ones;
//! 2. sends the full days of the 7 open weekdays before today (1,680 events) in each of 20
//!    timed syncs, after 2 untimed ones;
//! 3. runs 50 tablets at once, each a tokio task with its own client, device id and room.
//!    Each sends its room's full day for today as 60 syncs of 4 events, each sync carrying the
//!    cursor from the reply before;
//! 4. inserts the timed rows of each series with the app's `INSERT` straight through sqlx into
//!    a fresh file, committing as often as the app did: every 240, 1,680 and 4 rows.
//!
//! It checks every reply (200 OK, every event accepted, the register or changes it should
//! contain) and that each database contains exactly the events sent. It prints two tables to
//! stdout and writes files only in temporary directories.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tokio::sync::Barrier;

use app::clock::Clock;
use app::domain::events::{AttendanceEvent, Presence};
use app::sync::protocol::{SyncRequest, SyncResponse};

use support::fixture::{Setting, CHILDREN};
use support::http::{self, RunningApp, SyncExchange};
use support::report::{print_store_table, print_times_header, print_times_row, Series};
use support::sqlite::{self, Commits};
use support::workload::{full_days, open_days_before};

/// Marks per child in a full day: two visits, each an arrival and a departure.
const MARKS_PER_CHILD: usize = 4;
/// Untimed full-day syncs before the timed ones, to open the connection and warm SQLite.
const FULL_DAY_WARM_UP: usize = 10;
/// Timed full-day syncs, enough for a nearest-rank p99 that is not the maximum.
const FULL_DAY_SAMPLES: usize = 200;
/// Open weekdays in the offline backlog.
const BACKLOG_DAYS: usize = 7;
/// Untimed backlog syncs before the timed ones.
const BACKLOG_WARM_UP: usize = 2;
/// Timed backlog syncs.
const BACKLOG_SAMPLES: usize = 20;
/// Tablets syncing at once, each with its own room.
const TABLETS: usize = 50;
/// Events in each of a tablet's syncs. A full day divides into syncs of this size exactly.
const EVENTS_PER_SYNC: usize = 4;
/// Failed syncs of the concurrent series printed before the bench stops.
const FAILURES_SHOWN: usize = 5;

/// The timed syncs of one series, and what the raw inserts need to repeat them.
struct SyncSeries {
    settings: Vec<Setting>,
    /// Every timed event, in the order sent.
    events: Vec<AttendanceEvent>,
    /// Time of each timed sync.
    samples: Vec<Duration>,
    /// Time from the first timed send to the last reply; for sequential series, the sum of
    /// `samples`.
    elapsed: Duration,
    request_bytes: usize,
    response_bytes: usize,
}

/// What the concurrent series saw besides its timings.
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
    // Friday 4 December 2026, 17:00 in London (GMT). Syncs are for this date or earlier.
    let server_now = Utc
        .with_ymd_and_hms(2026, 12, 4, 17, 0, 0)
        .single()
        .expect("valid instant");
    let today = server_now.date_naive();
    let backlog_days = open_days_before(today, BACKLOG_DAYS);

    let full_day = run_sequential(server_now, &[today], FULL_DAY_WARM_UP, FULL_DAY_SAMPLES).await;
    let backlog = run_sequential(server_now, &backlog_days, BACKLOG_WARM_UP, BACKLOG_SAMPLES).await;
    let (concurrent, check) = run_concurrent(server_now).await;

    let clock = Clock::starting_at(server_now);
    let full_day_rows = full_day.events.len() / full_day.samples.len();
    let backlog_rows = backlog.events.len() / backlog.samples.len();
    let raw_series = [
        (&full_day, full_day_rows),
        (&backlog, backlog_rows),
        (&concurrent, EVENTS_PER_SYNC),
    ];
    let mut raw_times = Vec::new();
    for (series, rows) in raw_series {
        let elapsed = sqlite::insert_events_of(
            &series.settings,
            &series.events,
            Commits::Every(rows),
            clock,
        )
        .await;
        raw_times.push(elapsed);
    }

    let concurrent_label =
        format!("Sync, {EVENTS_PER_SYNC} events each, {TABLETS} tablets at once");
    let labelled = [
        ("Sync, full day, one at a time".to_owned(), &full_day),
        (
            format!("Sync, {BACKLOG_DAYS}-day backlog, one at a time"),
            &backlog,
        ),
        (concurrent_label.clone(), &concurrent),
    ];
    let mut rows = Vec::new();
    for ((label, series), (raw_elapsed, rows_per_transaction)) in labelled.iter().zip(
        raw_times
            .iter()
            .zip([full_day_rows, backlog_rows, EVENTS_PER_SYNC]),
    ) {
        rows.push(Series {
            label: label.clone(),
            events: series.events.len(),
            requests: Some(series.samples.len()),
            transactions: series.samples.len(),
            elapsed: series.elapsed,
        });
        rows.push(Series {
            label: format!("SQLite INSERT, {rows_per_transaction} rows per transaction"),
            events: series.events.len(),
            requests: None,
            transactions: series.events.len().div_ceil(rows_per_transaction),
            elapsed: *raw_elapsed,
        });
    }

    print_header(server_now, &backlog_days);
    print_store_table(&rows);
    println!();
    print_times_header("POST /api/sync (times in ms)");
    for (label, series) in &labelled {
        print_times_row(label, &series.samples, series.response_bytes);
    }
    println!();
    print_notes(&full_day, &backlog, &concurrent, &check);
    println!(
        "Whole bench: {:.1} s.",
        bench_started.elapsed().as_secs_f64()
    );
    assert_concurrent_ok(&check);
}

/// Starts the app over a fresh database seeded with `setting` and its collectors.
async fn start_app(server_now: DateTime<Utc>, setting: &Setting) -> RunningApp {
    let app = http::start(server_now, setting).await;
    setting
        .insert_collectors(&app.pool)
        .await
        .expect("seed the collectors");
    app
}

/// Seeds a new setting with collectors into the app's database.
async fn add_setting(app: &RunningApp) -> Setting {
    let setting = Setting::new();
    setting
        .insert(&app.pool)
        .await
        .expect("seed another setting");
    setting
        .insert_collectors(&app.pool)
        .await
        .expect("seed the collectors");
    setting
}

/// Sends `warm_up + samples` syncs one after another over one keep-alive connection, each
/// carrying the full days of `days` for a fresh room and no cursor, as a tablet does after a
/// day or more offline. Times only the last `samples`, and checks every reply and the count
/// of stored events.
async fn run_sequential(
    server_now: DateTime<Utc>,
    days: &[NaiveDate],
    warm_up: usize,
    samples: usize,
) -> SyncSeries {
    let first = Setting::new();
    let app = start_app(server_now, &first).await;
    let client = reqwest::Client::new();
    let tablet_clock = Clock::starting_at(server_now);
    let mut series = SyncSeries {
        settings: Vec::with_capacity(samples),
        events: Vec::new(),
        samples: Vec::with_capacity(samples),
        elapsed: Duration::ZERO,
        request_bytes: 0,
        response_bytes: 0,
    };
    let mut sent = 0;
    let mut next_setting = Some(first);
    for index in 0..warm_up + samples {
        let setting = match next_setting.take() {
            Some(setting) => setting,
            None => add_setting(&app).await,
        };
        let device_id = format!("bench-sequential-{index}");
        let request = SyncRequest {
            device_id: device_id.clone(),
            room_id: setting.room,
            cursor: None,
            device_now: tablet_clock.now(),
            events: full_days(&setting, days, &device_id),
        };
        let exchange = http::post_sync(&client, &app.address, &request).await;
        let reply = exchange
            .reply
            .as_ref()
            .unwrap_or_else(|error| panic!("sync {index} failed: {error}"));
        check_full_register(reply, server_now.date_naive(), days);
        sent += request.events.len();
        if index >= warm_up {
            series.samples.push(exchange.elapsed);
            series.elapsed += exchange.elapsed;
            series.request_bytes = exchange.request_bytes;
            series.response_bytes = exchange.response_bytes;
            series.events.extend(request.events);
            series.settings.push(setting);
        }
    }
    assert_stored(&app, sent).await;
    series
}

/// Checks that a reply to a sync without a cursor carries the whole register for `today`,
/// and that each child's day there is two finished visits when `days` holds today, or has no
/// marks otherwise.
fn check_full_register(reply: &SyncResponse, today: NaiveDate, days: &[NaiveDate]) {
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
    let marks_today = if days.contains(&today) {
        MARKS_PER_CHILD
    } else {
        0
    };
    for card in &register.children {
        assert_eq!(
            card.events.len(),
            marks_today,
            "{} {} has {} events today",
            card.first_name,
            card.last_name,
            card.events.len()
        );
        if marks_today > 0 {
            let day = card.day();
            assert!(
                matches!(day.presence, Presence::GoneHome { .. }),
                "{} {} is {:?} after a full day",
                card.first_name,
                card.last_name,
                day.presence
            );
            assert_eq!(day.visits.len(), 2, "a full day has two visits");
            assert!(day.conflicts.is_empty(), "conflicts: {:?}", day.conflicts);
        }
    }
}

/// Runs [`TABLETS`] tablets at once against one app. Each sends its room's full day for
/// today in syncs of [`EVENTS_PER_SYNC`] events, waiting for each reply and sending its cursor
/// with the next sync. Returns the series and what the replies and the database showed.
async fn run_concurrent(server_now: DateTime<Utc>) -> (SyncSeries, ConcurrentCheck) {
    let first = Setting::new();
    let app = start_app(server_now, &first).await;
    let mut settings = vec![first];
    while settings.len() < TABLETS {
        settings.push(add_setting(&app).await);
    }
    let today = server_now.date_naive();
    let plans: Vec<(String, Vec<AttendanceEvent>)> = settings
        .iter()
        .enumerate()
        .map(|(index, setting)| {
            let device_id = format!("bench-tablet-{index}");
            let events = full_days(setting, &[today], &device_id);
            (device_id, events)
        })
        .collect();

    let barrier = Arc::new(Barrier::new(TABLETS + 1));
    let mut tasks = Vec::with_capacity(TABLETS);
    for (setting, (device_id, events)) in settings.iter().zip(&plans) {
        let tablet = Tablet {
            address: app.address.clone(),
            device_id: device_id.clone(),
            room_id: setting.room,
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
        settings: Vec::new(),
        events: Vec::new(),
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
            match &exchange.reply {
                Ok(reply) if reply.register.is_some() => check.full_registers += 1,
                Ok(reply) => {
                    let returned: Vec<_> = reply.events.iter().map(|event| event.id).collect();
                    if let Some(missing) = sent.iter().find(|event| !returned.contains(&event.id)) {
                        check.failures.push(format!(
                            "{device_id}: the reply's changes lack event {} it just sent",
                            missing.id
                        ));
                    }
                }
                Err(error) => check.failures.push(format!("{device_id}: {error}")),
            }
        }
        series.events.extend(events.iter().cloned());
    }
    series.settings = settings;
    check.mismatches = stored_mismatches(&app, series.events.len(), &plans).await;
    (series, check)
}

/// One tablet of the concurrent series.
struct Tablet {
    address: String,
    device_id: String,
    room_id: uuid::Uuid,
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
        let (received,): (i64,) =
            sqlx::query_as("SELECT events_received FROM devices WHERE id = ?")
                .bind(device_id)
                .fetch_one(&app.pool)
                .await
                .expect("read a tablet's device row");
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

fn print_header(server_now: DateTime<Utc>, backlog_days: &[NaiveDate]) {
    let first = backlog_days.first().expect("the backlog has days");
    let last = backlog_days.last().expect("the backlog has days");
    println!();
    println!(
        "Here Today sync bench, run at {}",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "Server clock from {}; a fresh SQLite file (WAL, synchronous NORMAL) per HTTP series.",
        server_now.format("%Y-%m-%dT%H:%M:%SZ")
    );
    println!(
        "Rooms of {CHILDREN} children, {MARKS_PER_CHILD} marks each per day; \
         backlog days {first} to {last}; every event accepted."
    );
    println!();
}

fn print_notes(
    full_day: &SyncSeries,
    backlog: &SyncSeries,
    concurrent: &SyncSeries,
    check: &ConcurrentCheck,
) {
    println!(
        "Untimed syncs first: {FULL_DAY_WARM_UP} full days, {BACKLOG_WARM_UP} backlogs. \
         Body bytes are the last reply's."
    );
    println!(
        "Request bodies: full day {} bytes, backlog {} bytes, {EVENTS_PER_SYNC} events {} bytes.",
        full_day.request_bytes, backlog.request_bytes, concurrent.request_bytes
    );
    println!(
        "{TABLETS} tablets: {} syncs, {:.0} syncs/s, {} failed, {} replies with the whole register.",
        concurrent.samples.len(),
        concurrent.samples.len() as f64 / concurrent.elapsed.as_secs_f64(),
        check.failures.len(),
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
