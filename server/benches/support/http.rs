//! The real app on a loopback port over a fresh SQLite file, and the timed HTTP requests:
//! marks posted to `POST /api/events`, the room register fetched from `GET /rooms/{id}`, and
//! tablet syncs posted to `POST /api/sync`. The `marks` requests go one after another over
//! one keep-alive connection. A sync goes through whichever client the caller passes.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use sqlx::SqlitePool;
use tokio::net::TcpListener;

use app::clock::Clock;
use app::domain::events::AttendanceEvent;
use app::register::model::BatchOutcome;
use app::sync::protocol::{SyncRequest, SyncResponse, SYNC_PATH};

use super::fixture::Setting;

/// The app serving on a loopback port, and the database behind it.
pub struct RunningApp {
    pub address: String,
    pub pool: SqlitePool,
    client: reqwest::Client,
    /// The database's temporary directory, deleted when the app is dropped.
    _dir: tempfile::TempDir,
}

/// Starts the app with its clock at `now` over a fresh database seeded with `setting`.
pub async fn start(now: DateTime<Utc>, setting: &Setting) -> RunningApp {
    let dir = tempfile::tempdir().expect("create a temporary directory for the database");
    let pool = server::db::open(&dir.path().join("http.db"))
        .await
        .expect("open the app's database");
    setting
        .insert(&pool)
        .await
        .expect("seed the app's database");
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = format!(
        "http://{}",
        listener.local_addr().expect("read the bound address")
    );
    let serve_pool = pool.clone();
    tokio::spawn(async move {
        server::serve(listener, serve_pool, Clock::starting_at(now))
            .await
            .expect("serve the app");
    });
    RunningApp {
        address,
        pool,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// Posts `events` to `POST /api/events`, `per_request` to a request, and returns the wall
/// time from the first send to the last response body read. Panics unless the server
/// accepted every event, because a rejected event would count as a stored mark.
pub async fn post_events(
    app: &RunningApp,
    events: &[AttendanceEvent],
    per_request: usize,
) -> Duration {
    // The bodies are encoded before the clock starts, so the time excludes the client's
    // JSON encoding but includes the server's decoding.
    let bodies: Vec<String> = events
        .chunks(per_request)
        .map(|chunk| {
            serde_json::to_string(&serde_json::json!({ "events": chunk }))
                .expect("encode a batch as JSON")
        })
        .collect();
    let url = format!("{}/api/events", app.address);
    let mut replies = Vec::with_capacity(bodies.len());
    let started = Instant::now();
    for body in bodies {
        let response = app
            .client
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .expect("send POST /api/events");
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .expect("read the POST /api/events response");
        replies.push((status, bytes));
    }
    let elapsed = started.elapsed();
    for (chunk, (status, bytes)) in events.chunks(per_request).zip(&replies) {
        assert_all_accepted(chunk, *status, bytes);
    }
    elapsed
}

fn assert_all_accepted(sent: &[AttendanceEvent], status: StatusCode, body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    assert_eq!(
        status,
        StatusCode::OK,
        "POST /api/events failed with body {text}"
    );
    let outcome: BatchOutcome = serde_json::from_slice(body)
        .unwrap_or_else(|error| panic!("invalid POST /api/events response ({error}): {text}"));
    assert!(
        outcome.rejected.is_empty(),
        "the server rejected {} of {} events; the first rejection: {:?}",
        outcome.rejected.len(),
        sent.len(),
        outcome.rejected[0]
    );
    let sent_ids: Vec<_> = sent.iter().map(|event| event.id).collect();
    assert_eq!(
        outcome.accepted, sent_ids,
        "the accepted ids differ from the ids sent"
    );
}

/// Fetches the room register once and panics unless the page names every child on the
/// roll, so that an error page is never timed.
pub async fn check_register(app: &RunningApp, setting: &Setting) {
    let url = format!("{}/rooms/{}", app.address, setting.room);
    let page = get_page(app, &url).await;
    for child in &setting.children {
        let name = format!("{} {}", child.first_name, child.last_name);
        assert!(
            page.contains(&name),
            "GET {url} returned a page without the child {name}; is it an error page?"
        );
    }
}

/// Response times of one GET path, and the size of its last response body.
pub struct GetTimes {
    pub samples: Vec<Duration>,
    pub body_bytes: usize,
}

/// Sends `GET path` `warm_up` times untimed, then `samples` times timed. Each time runs
/// from sending the request to reading the last byte of the body. Panics on any status
/// but 200 OK.
pub async fn time_get(app: &RunningApp, path: &str, warm_up: usize, samples: usize) -> GetTimes {
    let url = format!("{}{path}", app.address);
    for _ in 0..warm_up {
        get_page(app, &url).await;
    }
    let mut times = Vec::with_capacity(samples);
    let mut body_bytes = 0;
    for _ in 0..samples {
        let started = Instant::now();
        let body = get_page(app, &url).await;
        times.push(started.elapsed());
        body_bytes = body.len();
    }
    GetTimes {
        samples: times,
        body_bytes,
    }
}

/// Sends one GET and returns the body, panicking on any status but 200 OK.
async fn get_page(app: &RunningApp, url: &str) -> String {
    let response = app
        .client
        .get(url)
        .send()
        .await
        .unwrap_or_else(|error| panic!("send GET {url}: {error}"));
    let status = response.status();
    let page = response
        .text()
        .await
        .unwrap_or_else(|error| panic!("read the body of GET {url}: {error}"));
    assert_eq!(status, StatusCode::OK, "GET {url} failed with body {page}");
    page
}

/// Counts the rows in the app's attendance log.
pub async fn stored_events(app: &RunningApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendance_events")
        .fetch_one(&app.pool)
        .await
        .expect("count the stored events");
    count
}

/// One `POST /api/sync` as the client saw it.
pub struct SyncExchange {
    /// Time from sending the request to reading the last byte of the response body.
    pub elapsed: Duration,
    pub request_bytes: usize,
    pub response_bytes: usize,
    /// The reply, or what was wrong: a failed send, a status other than 200 OK, an unreadable
    /// body, a rejected event or accepted ids that differ from the ids sent.
    pub reply: Result<SyncResponse, String>,
}

/// Sends `request` to `POST /api/sync` on the app at `address` through `client`. The JSON
/// body is encoded before the clock starts, and the reply is decoded and checked after it
/// stops. Returns errors in [`SyncExchange::reply`] instead of panicking, so that a caller
/// running many tablets at once can count them.
pub async fn post_sync(
    client: &reqwest::Client,
    address: &str,
    request: &SyncRequest,
) -> SyncExchange {
    let body = serde_json::to_string(request).expect("encode a sync request as JSON");
    let request_bytes = body.len();
    let url = format!("{address}{SYNC_PATH}");
    let started = Instant::now();
    let sent = client
        .post(&url)
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await;
    let received = match sent {
        Ok(response) => {
            let status = response.status();
            response.bytes().await.map(|bytes| (status, bytes))
        }
        Err(error) => Err(error),
    };
    let elapsed = started.elapsed();
    let (status, bytes) = match received {
        Ok(received) => received,
        Err(error) => {
            return SyncExchange {
                elapsed,
                request_bytes,
                response_bytes: 0,
                reply: Err(format!("POST {url} failed: {error}")),
            }
        }
    };
    SyncExchange {
        elapsed,
        request_bytes,
        response_bytes: bytes.len(),
        reply: check_sync_reply(request, status, &bytes),
    }
}

/// Decodes a sync reply and checks that the server accepted every event of `request`.
fn check_sync_reply(
    request: &SyncRequest,
    status: StatusCode,
    body: &[u8],
) -> Result<SyncResponse, String> {
    let text = || String::from_utf8_lossy(body).into_owned();
    if status != StatusCode::OK {
        return Err(format!(
            "POST {SYNC_PATH} returned {status} with body {}",
            text()
        ));
    }
    let reply: SyncResponse = serde_json::from_slice(body)
        .map_err(|error| format!("invalid POST {SYNC_PATH} response ({error}): {}", text()))?;
    if let Some(first) = reply.rejected.first() {
        return Err(format!(
            "the server rejected {} of {} events; the first rejection: {first:?}",
            reply.rejected.len(),
            request.events.len()
        ));
    }
    let sent_ids: Vec<_> = request.events.iter().map(|event| event.id).collect();
    if reply.accepted != sent_ids {
        return Err(format!(
            "the server accepted {} ids, which differ from the {} ids sent",
            reply.accepted.len(),
            sent_ids.len()
        ));
    }
    Ok(reply)
}
