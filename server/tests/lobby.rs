//! The lobby display through the real app on a random port with a real SQLite file: what the
//! display's page and data hold, whom they are open to, the manager's messages, and a revoked
//! display. The fixture's clock reads Wednesday 2 December 2026, 09:30, so the week so far is
//! Monday 30 November and Tuesday 1 December.

mod common;

use serde_json::{json, Value};
use uuid::Uuid;

use common::{
    call_fn, client_with_cookie, enrol_device, manager_account, post_json, signed_in_client,
    spawn_app, Fixture, TestApp,
};

/// A third child in the fixture's room, booked every weekday, with display consent.
const MIA: (&str, &str) = ("Mia", "Hartley");

/// Marks `child` arrived at 08:00 on `date`, which covers the morning and afternoon.
fn arrival(f: &Fixture, child: Uuid, date: &str) -> Value {
    json!({
        "id": Uuid::now_v7(), "child_id": child, "date": date,
        "occurred_at": format!("{date}T08:00:00Z"), "staff_id": f.staff,
        "device_id": "lobby-test", "kind": "arrived"
    })
}

/// Marks `child` absent with illness on `date`.
fn illness(f: &Fixture, child: Uuid, date: &str) -> Value {
    json!({
        "id": Uuid::now_v7(), "child_id": child, "date": date,
        "occurred_at": format!("{date}T08:30:00Z"), "staff_id": f.staff,
        "device_id": "lobby-test", "kind": "absent", "reason": "illness", "note": null
    })
}

/// Adds Mia, then records the week so far: Ava and Noah came to every booked session, and Mia
/// was ill on Tuesday. Only Noah and Mia have display consent. Returns Mia's id.
async fn week_so_far(app: &TestApp, f: &Fixture) -> Uuid {
    let mia = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO children (id, setting_id, first_name, last_name, date_of_birth, room_id,
                               key_person_id, start_date, display_consent)
         VALUES (?, ?, ?, ?, '2022-05-01', ?, ?, '2025-09-01', 1)",
    )
    .bind(mia.to_string())
    .bind(f.setting.to_string())
    .bind(MIA.0)
    .bind(MIA.1)
    .bind(f.room.to_string())
    .bind(f.staff.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    for weekday in 1..=5 {
        sqlx::query("INSERT INTO bookings VALUES (?, ?, 'am')")
            .bind(mia.to_string())
            .bind(weekday)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE children SET display_consent = 1 WHERE id = ?")
        .bind(f.noah.to_string())
        .execute(&app.pool)
        .await
        .unwrap();
    let events = vec![
        arrival(f, f.ava, "2026-11-30"),
        arrival(f, f.ava, "2026-12-01"),
        arrival(f, f.noah, "2026-11-30"),
        arrival(f, mia, "2026-11-30"),
        illness(f, mia, "2026-12-01"),
    ];
    let (status, body) = post_json(app, "/api/events", &json!({ "events": events })).await;
    assert_eq!(status, 200, "{body}");
    mia
}

/// Returns a client of a lobby display enrolled to the fixture's setting, and its enrolment.
async fn lobby_display(app: &TestApp, f: &Fixture) -> (reqwest::Client, app::auth::Device) {
    let (credential, device) = enrol_device(app, f, None, "Lobby").await;
    (
        client_with_cookie(&format!("here_today_device={credential}")),
        device,
    )
}

async fn get_text(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Fails when `text` contains anything the display must never show.
fn assert_private(text: &str, f: &Fixture, mia: Uuid, what: &str) {
    let forbidden = [
        "Ava".to_owned(),
        "Whitfield".to_owned(),
        "Ellison".to_owned(),
        MIA.1.to_owned(),
        f.ava.to_string(),
        f.noah.to_string(),
        mia.to_string(),
        "illness".to_owned(),
        "Illness".to_owned(),
        "absen".to_owned(),
        "Absen".to_owned(),
        "level".to_owned(),
        "reason".to_owned(),
    ];
    for word in forbidden {
        assert!(!text.contains(&word), "{what} contains {word:?}");
    }
}

#[tokio::test]
async fn display_shows_consenting_names_only() {
    let (app, f) = spawn_app().await;
    let mia = week_so_far(&app, &f).await;
    let (display, _) = lobby_display(&app, &f).await;

    let (status, data) = call_fn(&app, &display, "lobby", &[]).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["full_week"], json!(["Noah E."]));
    assert_eq!(data["week_label"], json!("This week"));
    assert_private(&data.to_string(), &f, mia, "the display's data");

    for path in ["/", "/lobby"] {
        let (status, html) = get_text(&app, &display, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("Noah E."), "{path} lists Noah");
        assert!(html.contains("lobby-display"), "{path} shows the slides");
        assert_private(&html, &f, mia, path);
    }
}

#[tokio::test]
async fn small_room_shows_no_percentage() {
    let (app, f) = spawn_app().await;
    week_so_far(&app, &f).await;
    let (display, _) = lobby_display(&app, &f).await;
    let (status, data) = call_fn(&app, &display, "lobby", &[]).await;
    assert_eq!(status, 200, "{data}");
    // Three children had possible sessions, fewer than five.
    assert_eq!(data["rooms"][0]["name"], json!("Pre-school"));
    assert_eq!(data["rooms"][0]["percent"], Value::Null);
    assert_eq!(data["setting"]["percent"], Value::Null);
}

#[tokio::test]
async fn revoked_display_gets_no_data() {
    let (app, f) = spawn_app().await;
    let mia = week_so_far(&app, &f).await;
    let (display, device) = lobby_display(&app, &f).await;
    let manager = manager_account(&app, &f).await;
    app::store::devices::revoke(
        &app.pool,
        f.setting,
        device.enrolment,
        manager,
        common::wednesday_morning(),
    )
    .await
    .unwrap();

    let (status, data) = call_fn(&app, &display, "lobby", &[]).await;
    assert_eq!(status, 403, "{data}");
    assert!(!data.to_string().contains("Noah"), "{data}");
    for path in ["/", "/lobby"] {
        let (status, html) = get_text(&app, &display, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(!html.contains("Noah"), "{path} lists no child");
        assert!(
            html.contains("removed this device"),
            "{path} gives the reason"
        );
        assert_private(&html, &f, mia, path);
    }
}

#[tokio::test]
async fn room_tablet_and_parent_get_not_found() {
    let (app, f) = spawn_app().await;
    // The app's own client is a room tablet.
    let (status, _) = call_fn(&app, &app.client, "lobby", &[]).await;
    assert_eq!(status, 404);
    let (status, _) = get_text(&app, &app.client, "/lobby").await;
    assert_eq!(status, 404);
    common::account(
        &app,
        &f,
        "parent@test.example",
        app::store::accounts::Role::Parent,
        None,
        vec![],
        vec![f.ava],
    )
    .await;
    let parent = signed_in_client(&app, "parent@test.example").await;
    let (status, _) = call_fn(&app, &parent, "lobby", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn manager_edits_messages_with_audit() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let manager = signed_in_client(&app, "manager@test.example").await;
    let (display, _) = lobby_display(&app, &f).await;

    let (status, body) = call_fn(
        &app,
        &manager,
        "save-lobby-messages",
        &[("messages", "Thank you for coming!\n\n  Every day counts.  ")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, data) = call_fn(&app, &display, "lobby", &[]).await;
    assert_eq!(
        data["messages"],
        json!(["Thank you for coming!", "Every day counts."])
    );
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'lobby_messages_changed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(count, 1);

    let too_many: String = (0..11).map(|n| format!("Message {n}\n")).collect();
    let (status, body) = call_fn(
        &app,
        &manager,
        "save-lobby-messages",
        &[("messages", &too_many)],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let long = "a".repeat(161);
    let (status, _) = call_fn(
        &app,
        &manager,
        "save-lobby-messages",
        &[("messages", &long)],
    )
    .await;
    assert_eq!(status, 422);

    // An empty box goes back to the defaults.
    let (status, _) = call_fn(&app, &manager, "save-lobby-messages", &[("messages", "")]).await;
    assert_eq!(status, 200);
    let (_, data) = call_fn(&app, &display, "lobby", &[]).await;
    assert_eq!(
        data["messages"].as_array().unwrap().len(),
        app::domain::attendance::lobby::DEFAULT_MESSAGES.len()
    );
}
