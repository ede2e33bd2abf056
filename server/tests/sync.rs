//! `POST /api/sync` through the real app on a random port with a real SQLite file: replays,
//! lost replies, changes from other tablets, roster changes, clocks and many tablets at once.

mod common;

use chrono::Duration;
use serde_json::{json, Value};
use uuid::Uuid;

use common::{
    arrival_by, event_count, post_json, post_text, signed_in_client, spawn_app, wednesday_morning,
    Fixture, TestApp,
};

fn request(f: &Fixture, device: &str, cursor: &Value, events: Vec<Value>) -> Value {
    json!({
        "device_id": device,
        "room_id": f.room,
        "cursor": cursor,
        "device_now": wednesday_morning(),
        "events": events,
    })
}

async fn sync(app: &TestApp, body: &Value) -> (u16, Value) {
    post_json(app, "/api/sync", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_returns_the_register_and_a_cursor() {
    let (app, f) = spawn_app().await;
    let (status, body) = sync(&app, &request(&f, "tablet-a", &Value::Null, vec![])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["date"], "2026-12-02");
    assert_eq!(body["register"]["room"]["id"], json!(f.room));
    assert_eq!(body["register"]["children"].as_array().unwrap().len(), 2);
    assert!(body["cursor"]
        .as_str()
        .unwrap()
        .starts_with("1.2026-12-02."));
    assert_eq!(body["clock"]["flagged"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_batch_stores_nothing_new_and_still_succeeds() {
    let (app, f) = spawn_app().await;
    let events = vec![
        arrival_by(&f, f.ava, 10, "tablet-a"),
        arrival_by(&f, f.noah, 8, "tablet-a"),
    ];
    let body = request(&f, "tablet-a", &Value::Null, events.clone());
    let (_, first) = sync(&app, &body).await;
    assert_eq!(first["accepted"].as_array().unwrap().len(), 2, "{first}");
    let (status, replay) = sync(&app, &body).await;
    assert_eq!(status, 200);
    assert_eq!(
        replay["accepted"], first["accepted"],
        "a replay is acknowledged again"
    );
    assert_eq!(replay["rejected"], json!([]));
    assert_eq!(event_count(&app.pool).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_reply_then_retry_stores_once() {
    let (app, f) = spawn_app().await;
    let (_, start) = sync(&app, &request(&f, "tablet-a", &Value::Null, vec![])).await;
    let cursor = start["cursor"].clone();
    let mark = arrival_by(&f, f.ava, 3, "tablet-a");
    // The tablet never hears this reply, so it keeps the mark and its old cursor.
    sync(&app, &request(&f, "tablet-a", &cursor, vec![mark.clone()])).await;
    let (_, retry) = sync(&app, &request(&f, "tablet-a", &cursor, vec![mark.clone()])).await;
    assert_eq!(retry["accepted"], json!([mark["id"]]), "{retry}");
    assert_eq!(event_count(&app.pool).await, 1);
    let changes = retry["events"].as_array().unwrap();
    assert_eq!(
        changes.len(),
        1,
        "the mark comes back once, with its stored time"
    );
    assert!(changes[0]["recorded_at"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_from_another_tablet_arrive_after_the_cursor() {
    let (app, f) = spawn_app().await;
    let (_, a) = sync(&app, &request(&f, "tablet-a", &Value::Null, vec![])).await;
    let (_, b) = sync(&app, &request(&f, "tablet-b", &Value::Null, vec![])).await;
    let mark = arrival_by(&f, f.noah, 2, "tablet-b");
    let (_, b2) = sync(
        &app,
        &request(&f, "tablet-b", &b["cursor"], vec![mark.clone()]),
    )
    .await;
    assert!(b2["register"].is_null(), "nothing but events changed: {b2}");

    let (_, a2) = sync(&app, &request(&f, "tablet-a", &a["cursor"], vec![])).await;
    assert!(a2["register"].is_null());
    assert_eq!(a2["events"].as_array().unwrap().len(), 1);
    assert_eq!(a2["events"][0]["id"], mark["id"]);
    assert_eq!(a2["events"][0]["device_id"], "tablet-b");

    let (_, a3) = sync(&app, &request(&f, "tablet-a", &a2["cursor"], vec![])).await;
    assert_eq!(a3["events"], json!([]), "nothing new since the last cursor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_roster_change_sends_register() {
    let (app, f) = spawn_app().await;
    let (_, first) = sync(&app, &request(&f, "tablet-a", &Value::Null, vec![])).await;
    sqlx::query(
        "INSERT INTO children (id, setting_id, first_name, last_name, date_of_birth, room_id,
                               key_person_id, start_date)
         VALUES (?, ?, 'Zara', 'Quinn', '2022-05-01', ?, ?, '2026-11-30')",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(f.setting.to_string())
    .bind(f.room.to_string())
    .bind(f.staff.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    let (_, next) = sync(&app, &request(&f, "tablet-a", &first["cursor"], vec![])).await;
    let children = next["register"]["children"]
        .as_array()
        .expect("a new roster");
    assert_eq!(children.len(), 3);

    let yesterday = first["cursor"]
        .as_str()
        .unwrap()
        .replace("2026-12-02", "2026-12-01");
    let (_, new_day) = sync(&app, &request(&f, "tablet-a", &json!(yesterday), vec![])).await;
    assert_eq!(new_day["register"]["date"], "2026-12-02");

    let (_, garbage) = sync(
        &app,
        &request(&f, "tablet-a", &json!("not a cursor"), vec![]),
    )
    .await;
    assert!(
        garbage["register"].is_object(),
        "an unknown cursor starts afresh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_rejects_unknown_and_withdrawn() {
    let (app, f) = spawn_app().await;
    sqlx::query("UPDATE children SET leaving_date = '2026-12-01' WHERE id = ?")
        .bind(f.noah.to_string())
        .execute(&app.pool)
        .await
        .unwrap();
    let unknown_child = Uuid::now_v7();
    let events = vec![
        arrival_by(&f, f.ava, 5, "tablet-a"),
        arrival_by(&f, f.noah, 5, "tablet-a"),
        arrival_by(&f, unknown_child, 5, "tablet-a"),
    ];
    let (status, body) = sync(&app, &request(&f, "tablet-a", &Value::Null, events)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accepted"].as_array().unwrap().len(), 1);
    let rejected = body["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2);
    assert!(rejected[0]["message"]
        .as_str()
        .unwrap()
        .contains("after the child's leaving date 2026-12-01"));
    assert!(rejected[1]["message"]
        .as_str()
        .unwrap()
        .contains(&unknown_child.to_string()));
    assert_eq!(event_count(&app.pool).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_flags_wrong_tablet_clock() {
    let (app, f) = spawn_app().await;
    let mut body = request(&f, "tablet-fast-clock", &Value::Null, vec![]);
    body["device_now"] = json!(wednesday_morning() + Duration::minutes(12));
    let (_, reply) = sync(&app, &body).await;
    assert_eq!(reply["clock"]["flagged"], true, "{reply}");
    // The server's clock has moved on a little since it started.
    let offset = reply["clock"]["offset_seconds"].as_i64().unwrap();
    assert!((700..=720).contains(&offset), "{offset}");

    body["device_id"] = json!("tablet-near");
    body["device_now"] = json!(wednesday_morning() + Duration::minutes(4));
    let (_, near) = sync(&app, &body).await;
    assert_eq!(near["clock"]["flagged"], false);

    let manager = signed_in_client(&app, "manager@test.example").await;
    let html = manager
        .get(format!("{}/today", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Room tablets"), "{html}");
    assert!(html.contains("12 minutes fast"), "{html}");
    assert_eq!(
        html.matches("class=\"clock-problem\"").count(),
        1,
        "only the wrong clock is flagged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_name_the_value() {
    let (app, f) = spawn_app().await;
    let mut body = request(&f, "", &Value::Null, vec![]);
    let (status, reply) = sync(&app, &body).await;
    assert_eq!(status, 422, "{reply}");
    assert_eq!(reply["field"], "device_id", "{reply}");

    body["device_id"] = json!("tablet-a");
    body["room_id"] = json!(Uuid::now_v7());
    let (status, reply) = sync(&app, &body).await;
    assert_eq!(status, 404, "{reply}");

    let (status, reply) = post_text(
        &app,
        "/api/sync",
        "{\"device_id\": \"tablet-a\", ".to_owned(),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{reply}"
    );
    assert_eq!(event_count(&app.pool).await, 0);
}

/// Eight tablets each send forty events at the same moment while pages are being read.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_tablets_syncing_at_once_store_every_event() {
    let (app, f) = spawn_app().await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for tablet in 0..8 {
        let device = format!("tablet-{tablet}");
        let events: Vec<Value> = (0..40)
            .map(|index| {
                let child = if index % 2 == 0 { f.ava } else { f.noah };
                arrival_by(&f, child, 60 - index, &device)
            })
            .collect();
        let body = request(&f, &device, &Value::Null, events);
        let app = app.clone();
        tasks.push(tokio::spawn(async move { sync(&app, &body).await }));
    }
    let mut readers = Vec::new();
    for _ in 0..8 {
        let app = app.clone();
        let url = format!("{}/rooms/{}", app.address, f.room);
        readers.push(tokio::spawn(async move {
            app.client.get(url).send().await.unwrap().status().as_u16()
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["rejected"], json!([]), "{body}");
        accepted += body["accepted"].as_array().unwrap().len();
    }
    for reader in readers {
        assert_eq!(reader.await.unwrap(), 200);
    }
    assert_eq!(accepted, 320);
    assert_eq!(event_count(&app.pool).await, 320);
    let (devices,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM devices")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(devices, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_worker_and_bundle_belong_to_one_build() {
    let (app, _) = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    // The tests run without a browser bundle, so the build is named "dev".
    assert_eq!(page.headers()["x-here-today-build"], "dev");
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"<meta name="here-today-build" content="dev">"#),
        "{html}"
    );
    assert!(
        html.contains("/b/dev/pkg/here-today.js"),
        "the page asks for its own build"
    );
    assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));

    let worker = app
        .client
        .get(format!("{}/sw.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    let script = worker.text().await.unwrap();
    assert!(script.contains(r#"const BUILD = "dev";"#));
    assert!(
        script.contains(r#""/b/dev/pkg/here-today.wasm""#),
        "{script}"
    );
    assert!(!script.contains("__ASSETS__"));

    let other = app
        .client
        .get(format!("{}/b/0badf00d/pkg/here-today.wasm", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status().as_u16(),
        404,
        "another build's code is never served"
    );
    let stranger = app
        .client
        .get(format!("{}/b/dev/pkg/secrets.txt", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_unserved_room_stores_nothing() {
    let (app, f) = spawn_app().await;
    let (other_setting, other_room) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query(
        "INSERT INTO settings (id, name, created_at) VALUES (?, 'Other', '2026-06-01T00:00:00Z')",
    )
    .bind(other_setting.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months)
         VALUES (?, ?, 'Elsewhere', 0, 24)",
    )
    .bind(other_room.to_string())
    .bind(other_setting.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    let mut body = request(
        &f,
        "tablet-a",
        &Value::Null,
        vec![arrival_by(&f, f.ava, 5, "tablet-a")],
    );
    body["room_id"] = json!(other_room);
    let (status, reply) = sync(&app, &body).await;
    assert_eq!(status, 404, "{reply}");
    assert_eq!(
        event_count(&app.pool).await,
        0,
        "nothing is stored for a room not served"
    );
}

/// Opens a connection of its own to the app's database file, waiting at most `busy` for locks.
async fn own_connection(app: &TestApp, busy: std::time::Duration) -> sqlx::SqliteConnection {
    use sqlx::ConnectOptions;
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&app.db_path)
        .busy_timeout(busy)
        .connect()
        .await
        .expect("a second connection opens")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_cut_off_half_way_leaves_the_database_writable() {
    let (app, f) = spawn_app().await;
    let events: Vec<Value> = (0..2_000)
        .map(|n| arrival_by(&f, if n % 2 == 0 { f.ava } else { f.noah }, 60, "tablet-a"))
        .collect();
    let body = request(&f, "tablet-a", &Value::Null, events).to_string();
    // Each request is abandoned part-way, as when a tablet loses its network mid-sync, and
    // the server drops the unfinished handler.
    for millis in [20, 50, 100, 200, 400] {
        let sent = app
            .client
            .post(format!("{}/api/sync", app.address))
            .header("content-type", "application/json")
            .timeout(std::time::Duration::from_millis(millis))
            .body(body.clone())
            .send()
            .await;
        if sent.is_ok() {
            continue;
        }
        // The server may still be storing the batch when the client gives up, so the writer
        // waits up to 30 s, which is long enough on a busy machine. A write lock left behind
        // by the abandoned request is never released, so the test still fails on that.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let mut other = own_connection(&app, std::time::Duration::from_secs(30)).await;
        let begun = sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await;
        assert!(
            begun.is_ok(),
            "another writer waits in vain after a request cut off at {millis} ms: {begun:?}"
        );
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    }
}
