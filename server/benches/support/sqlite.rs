//! Raw inserts: the app's `INSERT INTO attendance_events` (as in `app::store::record`)
//! run directly through sqlx, with none of the app's checks and no HTTP. Each series gets
//! its own fresh database file, opened by `server::db::open` like the app's.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use app::clock::Clock;
use app::domain::events::AttendanceEvent;

use super::fixture::{insert_rooms, Setting};

/// How often a raw series commits.
#[derive(Clone, Copy)]
pub enum Commits {
    /// One transaction per row, as the app does for a batch of one event.
    EveryRow,
    /// All rows in one transaction.
    Once,
    /// One transaction per this many rows (more than zero), as the app does for requests of
    /// this many events. The last transaction takes the rows left over.
    Every(usize),
}

impl Commits {
    fn rows_per_transaction(self, rows: usize) -> usize {
        match self {
            Self::EveryRow => 1,
            Self::Once => rows.max(1),
            Self::Every(count) => {
                assert!(count > 0, "a transaction must take at least one row");
                count
            }
        }
    }
}

/// Inserts `events` into a fresh database seeded with `setting` and returns the wall time
/// of the inserts and commits. Transactions start with `BEGIN IMMEDIATE`, as the app's do.
pub async fn insert_events(
    setting: &Setting,
    events: &[AttendanceEvent],
    commits: Commits,
    clock: Clock,
) -> Duration {
    insert_events_of(std::slice::from_ref(setting), events, commits, clock).await
}

/// Inserts `events`, whose children may be in any of `rooms`, into a fresh database seeded
/// with `rooms` by [`insert_rooms`], and returns the wall time of the inserts and commits.
/// Transactions start with `BEGIN IMMEDIATE`, as the app's do.
pub async fn insert_events_of(
    rooms: &[Setting],
    events: &[AttendanceEvent],
    commits: Commits,
    clock: Clock,
) -> Duration {
    let dir = tempfile::tempdir().expect("create a temporary directory for the database");
    let pool = server::db::open(&dir.path().join("raw.db"))
        .await
        .expect("open the raw insert database");
    insert_rooms(rooms, &pool)
        .await
        .expect("seed the raw insert database");
    let mut setting_of_child = HashMap::new();
    for room in rooms {
        for child in &room.children {
            setting_of_child.insert(child.id, room.setting);
        }
    }
    let mut conn = pool.acquire().await.expect("acquire a connection");

    let started = Instant::now();
    for transaction in events.chunks(commits.rows_per_transaction(events.len())) {
        execute(&mut conn, "BEGIN IMMEDIATE").await;
        for event in transaction {
            let setting = *setting_of_child.get(&event.child_id).unwrap_or_else(|| {
                panic!("event {} is for a child in none of the rooms", event.id)
            });
            insert_event(&mut conn, setting, event, clock.now()).await;
        }
        execute(&mut conn, "COMMIT").await;
    }
    let elapsed = started.elapsed();

    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendance_events")
        .fetch_one(&mut *conn)
        .await
        .expect("count the inserted rows");
    assert_eq!(
        usize::try_from(count).ok(),
        Some(events.len()),
        "the raw database contains {count} rows after inserting {}",
        events.len()
    );
    elapsed
}

async fn execute(conn: &mut SqliteConnection, sql: &str) {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|error| panic!("{sql} failed: {error}"));
}

/// Inserts one event through the app's own row insert, without any of its checks.
async fn insert_event(
    conn: &mut SqliteConnection,
    setting: Uuid,
    event: &AttendanceEvent,
    now: DateTime<Utc>,
) {
    app::store::insert_event_row(conn, setting, event, now)
        .await
        .unwrap_or_else(|error| panic!("insert event {} failed: {error}", event.id));
}
