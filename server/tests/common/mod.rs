//! Test helpers: the real app on a random loopback port over a fresh SQLite file.

#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use uuid::Uuid;

use app::clock::Clock;

/// Wednesday 2 December 2026, 09:30 in London (GMT, so also 09:30 UTC).
pub fn wednesday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()
}

/// A running app and the database behind it.
pub struct TestApp {
    pub address: String,
    pub pool: SqlitePool,
    pub db_path: PathBuf,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// Ids of the fixture setting's records.
pub struct Fixture {
    pub setting: Uuid,
    pub room: Uuid,
    pub staff: Uuid,
    pub ava: Uuid,
    pub noah: Uuid,
    pub ava_mother: Uuid,
    pub ava_aunt: Uuid,
    pub noah_mother: Uuid,
}

/// Starts the app with its clock at `now`.
pub async fn spawn_app_at(now: DateTime<Utc>) -> TestApp {
    spawn_app_with(now, None).await
}

/// Starts the app with its clock at `now`, emailing one-time links through `mailer` if given.
pub async fn spawn_app_with(
    now: DateTime<Utc>,
    mailer: Option<server::mail::SmtpMailer>,
) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db_path = dir.path().join("test.db");
    let pool = server::db::open(&db_path).await.expect("database opens");
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a random port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let serve_pool = pool.clone();
    tokio::spawn(async move {
        let mailer = mailer.map(|mailer| app::auth::api::MailSender(std::sync::Arc::new(mailer)));
        server::serve_with(listener, serve_pool, Clock::starting_at(now), None, mailer)
            .await
            .expect("server runs");
    });
    TestApp {
        address,
        pool,
        db_path,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// Starts the app on Wednesday morning with the fixture setting. The app's client is a room
/// tablet enrolled to the fixture's room.
pub async fn spawn_app() -> (TestApp, Fixture) {
    let mut app = spawn_app_at(wednesday_morning()).await;
    let fixture = seed(&app.pool).await;
    let credential = enrol_tablet(&app, &fixture, fixture.room).await;
    app.client = client_with_cookie(&format!("here_today_device={credential}"));
    (app, fixture)
}

/// Password of the fixture's accounts.
pub const PASSWORD: &str = "a long test password";

/// Creates the fixture's manager account (Hannah Cole's staff record), if missing, and returns
/// its id.
pub async fn manager_account(app: &TestApp, f: &Fixture) -> Uuid {
    account(
        app,
        f,
        "manager@test.example",
        app::store::accounts::Role::Manager,
        Some(f.staff),
        vec![],
        vec![],
    )
    .await
}

/// Creates an account with [`PASSWORD`].
pub async fn account(
    app: &TestApp,
    f: &Fixture,
    email: &str,
    role: app::store::accounts::Role,
    staff: Option<Uuid>,
    rooms: Vec<Uuid>,
    children: Vec<Uuid>,
) -> Uuid {
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE email = ?")
        .bind(email)
        .fetch_optional(&app.pool)
        .await
        .unwrap();
    if let Some((id,)) = existing {
        return Uuid::parse_str(&id).unwrap();
    }
    let account = app::store::accounts::NewAccount {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        staff,
        rooms,
        children,
    };
    app::store::accounts::create_account_with_password(
        &app.pool,
        f.setting,
        account,
        PASSWORD,
        wednesday_morning(),
    )
    .await
    .expect("account created")
}

/// Enrols a room tablet for `room` through the store and returns its credential.
pub async fn enrol_tablet(app: &TestApp, f: &Fixture, room: Uuid) -> String {
    let manager = manager_account(app, f).await;
    let code = app::store::devices::start_enrolment(
        &app.pool,
        f.setting,
        Some(room),
        "Test tablet",
        manager,
        wednesday_morning(),
    )
    .await
    .expect("pairing code");
    let (credential, _) = app::store::devices::pair(&app.pool, &code.code, wednesday_morning())
        .await
        .expect("paired");
    credential
}

/// A client that sends `cookie` with every request and follows no redirects.
pub fn client_with_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in through the sign-in server function and returns a client holding the session.
pub async fn signed_in_client(app: &TestApp, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/api/sign-in", app.address))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "sign-in as {email} failed: {}",
        response.status()
    );
    client
}

async fn exec(pool: &SqlitePool, sql: &str, binds: &[String]) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(bind);
    }
    query
        .execute(pool)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// Inserts one setting with one room, one staff member and two children: Ava (booked every
/// weekday, two contacts of whom one may collect) and Noah (booked Mondays only).
pub async fn seed(pool: &SqlitePool) -> Fixture {
    let f = Fixture {
        setting: Uuid::now_v7(),
        room: Uuid::now_v7(),
        staff: Uuid::now_v7(),
        ava: Uuid::now_v7(),
        noah: Uuid::now_v7(),
        ava_mother: Uuid::now_v7(),
        ava_aunt: Uuid::now_v7(),
        noah_mother: Uuid::now_v7(),
    };
    let s = |id: Uuid| id.to_string();
    exec(pool, "INSERT INTO settings (id, name, created_at) VALUES (?, 'Test Nursery', '2026-01-01T00:00:00Z')", &[s(f.setting)]).await;
    exec(pool, "INSERT INTO setting_sessions VALUES (?, 'am', 'Morning', '08:00', '13:00'), (?, 'pm', 'Afternoon', '13:00', '18:00')", &[s(f.setting), s(f.setting)]).await;
    exec(pool, "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months) VALUES (?, ?, 'Pre-school', 36, 60)", &[s(f.room), s(f.setting)]).await;
    exec(
        pool,
        "INSERT INTO staff VALUES (?, ?, 'Hannah', 'Cole', 'practitioner', ?)",
        &[s(f.staff), s(f.setting), s(f.room)],
    )
    .await;
    for (child, first, last) in [(f.ava, "Ava", "Whitfield"), (f.noah, "Noah", "Ellison")] {
        exec(
            pool,
            "INSERT INTO children (id, setting_id, first_name, last_name, date_of_birth, room_id, key_person_id, start_date)
             VALUES (?, ?, ?, ?, '2022-03-14', ?, ?, '2025-09-01')",
            &[s(child), s(f.setting), first.into(), last.into(), s(f.room), s(f.staff)],
        )
        .await;
    }
    for weekday in 1..=5 {
        exec(
            pool,
            "INSERT INTO bookings VALUES (?, ?, 'am'), (?, ?, 'pm')",
            &[s(f.ava), weekday.to_string(), s(f.ava), weekday.to_string()],
        )
        .await;
    }
    exec(
        pool,
        "INSERT INTO bookings VALUES (?, 1, 'am')",
        &[s(f.noah)],
    )
    .await;
    exec(pool, "INSERT INTO contacts (id, child_id, name, relationship, may_collect) VALUES (?, ?, 'Laura Whitfield', 'Mother', 1)", &[s(f.ava_mother), s(f.ava)]).await;
    exec(pool, "INSERT INTO contacts (id, child_id, name, relationship, may_collect) VALUES (?, ?, 'Jo Barnes', 'Aunt', 0)", &[s(f.ava_aunt), s(f.ava)]).await;
    exec(pool, "INSERT INTO contacts (id, child_id, name, relationship, may_collect) VALUES (?, ?, 'Sarah Ellison', 'Mother', 1)", &[s(f.noah_mother), s(f.noah)]).await;
    f
}

/// Counts rows in the attendance log.
pub async fn event_count(pool: &SqlitePool) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attendance_events")
        .fetch_one(pool)
        .await
        .unwrap();
    count
}

/// Returns an arrival made `minutes_ago` before Wednesday morning on `device`, as JSON.
pub fn arrival_by(f: &Fixture, child: Uuid, minutes_ago: i64, device: &str) -> Value {
    let at = wednesday_morning() - Duration::minutes(minutes_ago);
    json!({
        "id": Uuid::now_v7(), "child_id": child, "date": "2026-12-02",
        "occurred_at": at, "staff_id": f.staff, "device_id": device, "kind": "arrived"
    })
}

/// Posts `body` as JSON to `path` and returns the status and the parsed reply.
pub async fn post_json(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    post_text(app, path, body.to_string()).await
}

/// Posts `body` as JSON text to `path` and returns the status and the parsed reply.
pub async fn post_text(app: &TestApp, path: &str, body: String) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Fetches a page's HTML.
pub async fn page(app: &TestApp, path: &str) -> String {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Enrols a device through the store: a room tablet for `room`, or a lobby display for `None`.
/// Returns the credential and the paired device.
pub async fn enrol_device(
    app: &TestApp,
    f: &Fixture,
    room: Option<Uuid>,
    name: &str,
) -> (String, app::auth::Device) {
    let manager = manager_account(app, f).await;
    let code = app::store::devices::start_enrolment(
        &app.pool,
        f.setting,
        room,
        name,
        manager,
        wednesday_morning(),
    )
    .await
    .expect("pairing code");
    app::store::devices::pair(&app.pool, &code.code, wednesday_morning())
        .await
        .expect("paired")
}

/// Posts form fields to the server function at `/api/{endpoint}` with `client`. Returns the
/// status and the reply, parsed as JSON, or as a JSON string when the reply is not JSON.
pub async fn call_fn(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = client
        .post(format!("{}/api/{endpoint}", app.address))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}
