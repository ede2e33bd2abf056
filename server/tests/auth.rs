//! Sign-in, sessions, enrolled devices, the route rules and the audit trail, through the real
//! app on a random port with a real SQLite file.
//!
//! Each principal in the access matrix sends from its own loopback address (127.0.0.x), so the
//! per-address limit on sign-in, link and enrolment attempts counts each principal apart.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::Client;
use serde_json::{json, Value};
use uuid::Uuid;

use app::store::accounts::{NewAccount, Role};
use common::{
    account, arrival_by, call_fn, client_with_cookie, enrol_device, event_count, manager_account,
    post_json, seed, signed_in_client, spawn_app, wednesday_morning, Fixture, TestApp, PASSWORD,
};

/// The date put in place of `{date}` in paths: the fixture's Wednesday.
const DATE: &str = "2026-12-02";
/// Text in every 403 reply to a revoked device, which states the reason.
const REVOKED_HINT: &str = "removed this device";
/// The bundle handler's reply when the test run has no browser bundle on disk.
const BUNDLE_MISSING: &str = "the bundle is missing on the server";

// ---------------------------------------------------------------------------------------------
// The access matrix
// ---------------------------------------------------------------------------------------------

/// A caller of the matrix, with one column of the expectation table each, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Principal {
    Anonymous,
    /// A practitioner of room A (the fixture's "Pre-school", where Ava is).
    PractitionerA,
    /// A practitioner of room B (where Noah is moved).
    PractitionerB,
    Manager,
    /// The manager of a second setting.
    OtherManager,
    ParentOfAva,
    ParentOfNoah,
    Lobby,
    /// A room tablet enrolled to room A.
    Tablet,
    /// A room tablet of room A whose enrolment was revoked.
    Revoked,
}

const EVERYONE: [Principal; 10] = [
    Principal::Anonymous,
    Principal::PractitionerA,
    Principal::PractitionerB,
    Principal::Manager,
    Principal::OtherManager,
    Principal::ParentOfAva,
    Principal::ParentOfNoah,
    Principal::Lobby,
    Principal::Tablet,
    Principal::Revoked,
];

/// What one principal should get from one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The handler runs and returns success: 200, or a redirect from a server function.
    A,
    /// Rejected. An anonymous caller is redirected to the sign-in page, or gets 401 from the API.
    /// Everyone else gets 404, but a revoked device may get 403 with the reason.
    D,
    /// A 303 redirect to `/my`: the start page of a parent.
    M,
    /// The handler runs and returns 422, because a parent has no staff record for a tablet PIN.
    I,
    /// The handler runs and returns 409: the fixture child has no Level 3 suggestion to
    /// decide on, and is already marked by the time a call about her is logged.
    C,
}

use Expect::{A, C, D, I, M};

/// Returns every route with what each principal gets from it, written by hand from the roles.
/// A manager reaches everything in their own setting. A practitioner reaches the register of
/// their rooms and the days of those rooms' children. A parent reaches their own children. A
/// lobby display reaches the start page and its slides, which a manager can preview, and a room
/// tablet its room's register. A revoked device reaches only the public routes, which everyone
/// reaches. Each person reaches their own account.
/// The routes that start or end a session come last, because they change the caller's cookies.
#[rustfmt::skip]
fn expectations() -> Vec<(&'static str, [Expect; 10])> {
    vec![
        //                                anon prA  prB  mgr  mgr2 parA parN lobby tab  rev
        ("/",                             [D,   A,   A,   A,   A,   M,   M,   A,    A,   D]),
        ("/today",                        [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/rooms/{room}",                 [D,   A,   D,   A,   D,   D,   D,   D,    A,   D]),
        ("/children/{child}/days/{date}", [D,   A,   D,   A,   D,   A,   D,   D,    A,   D]),
        ("/sign-in",                      [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/setup/{token}",                [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/invite/{token}",               [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/reset/{token}",                [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/enrol",                        [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/account",                      [D,   A,   A,   A,   A,   A,   A,   D,    D,   D]),
        ("/manage/accounts",              [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/devices",               [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/audit",                 [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/my",                           [D,   D,   D,   D,   D,   A,   A,   D,    D,   D]),
        ("/health",                       [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/sw.js",                        [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/b/{build}/{folder}/{file}",    [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/api/home",                     [D,   A,   A,   A,   A,   D,   D,   A,    A,   D]),
        ("/api/account",                  [D,   A,   A,   A,   A,   A,   A,   D,    D,   D]),
        ("/api/set-pin",                  [D,   A,   A,   A,   A,   I,   I,   D,    D,   D]),
        ("/api/register",                 [D,   A,   D,   A,   D,   D,   D,   D,    A,   D]),
        ("/api/child-day",                [D,   A,   D,   A,   D,   A,   D,   D,    A,   D]),
        ("/api/events",                   [D,   A,   D,   A,   D,   D,   D,   D,    A,   D]),
        ("/api/sync",                     [D,   A,   D,   A,   D,   D,   D,   D,    A,   D]),
        ("/api/today",                    [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/accounts",                 [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/devices",                  [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/audit",                    [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/invite",                   [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/reset-link",               [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/pairing-code",             [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/revoke",                   [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/held-mark",                [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/pin-minutes",              [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/my-children",              [D,   D,   D,   D,   D,   A,   A,   D,    D,   D]),
        ("/api/report-absence",           [D,   D,   D,   D,   D,   A,   D,   D,    D,   D]),
        ("/api/withdraw-absence",         [D,   D,   D,   D,   D,   A,   D,   D,    D,   D]),
        ("/manage/import",                [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/morning",               [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/attendance",            [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/letters",               [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/rules",                 [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/children/{child}",      [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/manage/children/{child}/letters/{kind}", [D, D, D, A, D, D, D, D,  D,   D]),
        ("/api/morning",                  [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/dashboard",                [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/letter-templates",         [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/save-letter-template",     [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/attendance-rules",         [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/save-attendance-rules",    [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/child-report",             [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/log-call",                 [D,   D,   D,   C,   D,   D,   D,   D,    D,   D]),
        ("/api/case-entry",               [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/letter",                   [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/send-letter",              [D,   D,   D,   A,   D,   D,   D,   D,    D,   D]),
        ("/api/decide-suggestion",        [D,   D,   D,   C,   D,   D,   D,   D,    D,   D]),
        ("/manage/export/register.csv",   [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/manage/export/figures.csv",    [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/import-history",           [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/lobby",                        [D,   D,   D,   A,   A,   D,   D,   A,    D,   D]),
        ("/manage/lobby",                 [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/lobby",                    [D,   D,   D,   A,   A,   D,   D,   A,    D,   D]),
        ("/api/lobby-messages",           [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/save-lobby-messages",      [D,   D,   D,   A,   A,   D,   D,   D,    D,   D]),
        ("/api/link",                     [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/api/enrol",                    [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/api/accept-link",              [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/api/sign-in",                  [A,   A,   A,   A,   A,   A,   A,   A,    A,   A]),
        ("/api/sign-out-everywhere",      [D,   A,   A,   A,   A,   A,   A,   D,    D,   D]),
        ("/api/sign-out",                 [D,   A,   A,   A,   A,   A,   A,   D,    D,   D]),
    ]
}

#[test]
fn table_covers_every_route() {
    assert_table_covers_every_route(&expectations());
}

/// Fails when a route exists that the table does not list, or the table lists a route that
/// no longer exists.
fn assert_table_covers_every_route(table: &[(&'static str, [Expect; 10])]) {
    let listed: BTreeSet<String> = table.iter().map(|(path, _)| (*path).to_owned()).collect();
    assert_eq!(
        listed.len(),
        table.len(),
        "a route is listed twice in the table"
    );
    let routes: BTreeSet<String> = server::routes::all_route_paths().into_iter().collect();
    let missing: Vec<_> = routes.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&routes).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes with no row in the table: {missing:?}; rows for routes that do not exist: {extra:?}"
    );
}

/// A principal of the matrix and the client that sends its requests.
struct Actor {
    principal: Principal,
    client: Client,
    /// The account of a signed-in person: its id and email.
    login: Option<(Uuid, String)>,
    /// The staff id its marks carry.
    staff: Uuid,
    /// The setting of its account or device.
    setting: Uuid,
}

/// The fixture for the matrix: two settings, two rooms, every principal, and links whose
/// pages can be opened.
struct World {
    app: TestApp,
    f: Fixture,
    /// The fixture manager's account, which makes the links, codes and revocations.
    manager: Uuid,
    /// An account that device and anonymous callers sign in as, and whose password they reset.
    visitor: (Uuid, String),
    /// The enrolment of the revoked tablet, whose held marks a manager decides on.
    revoked: app::auth::Device,
    build: String,
    setup_token: String,
    invite_token: String,
    reset_token: String,
    actors: Vec<Actor>,
    /// A counter for unique emails and device names.
    fresh: AtomicUsize,
}

impl World {
    fn fresh_number(&self) -> usize {
        self.fresh.fetch_add(1, Ordering::Relaxed)
    }
}

/// Builds a client that sends from `127.0.0.{host}` and never follows redirects. A client that
/// keeps cookies follows a signed-in person's session as it changes.
fn client_at(host: u8, device_cookie: Option<&str>, keep_cookies: bool) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(credential) = device_cookie {
        let cookie = format!("here_today_device={credential}");
        headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    }
    Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
        .default_headers(headers)
        .cookie_store(keep_cookies)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs `client` in as `email` with [`PASSWORD`].
async fn sign_in(app: &TestApp, client: &Client, email: &str) {
    let (status, reply) = call_fn(
        app,
        client,
        "sign-in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert!(
        (200..400).contains(&status),
        "sign-in as {email}: {status} {reply}"
    );
}

async fn exec(app: &TestApp, sql: &str, binds: &[String]) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(bind);
    }
    query
        .execute(&app.pool)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// Adds a staff member to `room` of the fixture setting and returns the id.
async fn add_staff(app: &TestApp, f: &Fixture, first: &str, room: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    exec(
        app,
        "INSERT INTO staff VALUES (?, ?, ?, 'Test', 'practitioner', ?)",
        &[
            id.to_string(),
            f.setting.to_string(),
            first.to_owned(),
            room.to_string(),
        ],
    )
    .await;
    id
}

/// Returns the details of a new account; the name is the email's first part.
fn new_account(
    email: &str,
    role: Role,
    staff: Option<Uuid>,
    rooms: Vec<Uuid>,
    children: Vec<Uuid>,
) -> NewAccount {
    let name = email.split('@').next().unwrap().to_owned();
    NewAccount {
        email: email.to_owned(),
        name,
        role,
        staff,
        rooms,
        children,
    }
}

/// Creates an account in `setting` with [`PASSWORD`] and signs it in from `127.0.0.{host}`.
async fn person(
    app: &TestApp,
    host: u8,
    principal: Principal,
    setting: &Fixture,
    details: NewAccount,
) -> Actor {
    let NewAccount {
        email,
        role,
        staff,
        rooms,
        children,
        ..
    } = details;
    let id = account(app, setting, &email, role, staff, rooms, children).await;
    let client = client_at(host, None, true);
    sign_in(app, &client, &email).await;
    Actor {
        principal,
        client,
        login: Some((id, email)),
        staff: staff.unwrap_or(setting.staff),
        setting: setting.setting,
    }
}

/// A caller from `127.0.0.{host}` holding the device credential, if any, of the fixture setting.
fn device(host: u8, principal: Principal, credential: Option<&str>, f: &Fixture) -> Actor {
    Actor {
        principal,
        client: client_at(host, credential, false),
        login: None,
        staff: f.staff,
        setting: f.setting,
    }
}

async fn build_world() -> World {
    let (app, f) = spawn_app().await;
    let now = wednesday_morning();
    let room_b = Uuid::now_v7();
    exec(
        &app,
        "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months)
         VALUES (?, ?, 'Toddlers', 18, 36)",
        &[room_b.to_string(), f.setting.to_string()],
    )
    .await;
    let noah_to_b = [room_b.to_string(), f.noah.to_string()];
    exec(
        &app,
        "UPDATE children SET room_id = ? WHERE id = ?",
        &noah_to_b,
    )
    .await;
    let staff_a = add_staff(&app, &f, "Priya", f.room).await;
    let staff_b = add_staff(&app, &f, "Tom", room_b).await;
    let other = seed(&app.pool).await;
    let manager = manager_account(&app, &f).await;
    let visitor_email = "visitor@test.example";
    let visitor = account(
        &app,
        &f,
        visitor_email,
        Role::Parent,
        None,
        vec![],
        vec![f.noah],
    )
    .await;

    let (lobby, _) = enrol_device(&app, &f, None, "Lobby display").await;
    let (tablet, _) = enrol_device(&app, &f, Some(f.room), "Room A tablet").await;
    let (old_tablet, revoked) = enrol_device(&app, &f, Some(f.room), "Old tablet").await;
    app::store::devices::revoke(&app.pool, f.setting, revoked.enrolment, manager, now)
        .await
        .expect("revoked");

    use Role::{Manager, Parent, Practitioner};
    // Principal, setting, email, role, staff record, rooms and children of each signed-in person.
    #[rustfmt::skip]
    let people = [
        (Principal::PractitionerA, &f, "practitioner-a@test.example", Practitioner, Some(staff_a), vec![f.room], vec![]),
        (Principal::PractitionerB, &f, "practitioner-b@test.example", Practitioner, Some(staff_b), vec![room_b], vec![]),
        (Principal::Manager, &f, "manager@test.example", Manager, Some(f.staff), vec![], vec![]),
        (Principal::OtherManager, &other, "other-manager@test.example", Manager, Some(other.staff), vec![], vec![]),
        (Principal::ParentOfAva, &f, "parent-ava@test.example", Parent, None, vec![], vec![f.ava]),
        (Principal::ParentOfNoah, &f, "parent-noah@test.example", Parent, None, vec![], vec![f.noah]),
    ];
    let mut actors = vec![device(20, Principal::Anonymous, None, &f)];
    for (host, (principal, setting, email, role, staff, rooms, children)) in (21..).zip(people) {
        let details = new_account(email, role, staff, rooms, children);
        actors.push(person(&app, host, principal, setting, details).await);
    }
    actors.push(device(27, Principal::Lobby, Some(&lobby), &f));
    actors.push(device(28, Principal::Tablet, Some(&tablet), &f));
    actors.push(device(29, Principal::Revoked, Some(&old_tablet), &f));
    let order: Vec<Principal> = actors.iter().map(|actor| actor.principal).collect();
    assert_eq!(
        order, EVERYONE,
        "one actor per column of the table, in its order"
    );

    let setup_token = app::auth::secret::new_token();
    exec(
        &app,
        "INSERT INTO account_links (token_hash, purpose, created_at, expires_at)
         VALUES (?, 'setup', '2026-12-02T09:00:00Z', '2026-12-09T09:00:00Z')",
        &[app::auth::secret::token_hash(&setup_token)],
    )
    .await;
    let invitee = new_account(
        "invitee@test.example",
        Role::Parent,
        None,
        vec![],
        vec![f.noah],
    );
    let (_, invite_token) =
        app::store::accounts::invite(&app.pool, f.setting, Some(manager), invitee, now)
            .await
            .expect("invitation");
    let reset_token = app::store::accounts::reset_link(&app.pool, f.setting, visitor, manager, now)
        .await
        .expect("reset link");
    let health = reqwest::get(format!("{}/health", app.address))
        .await
        .unwrap();
    let build = health.headers()["x-here-today-build"]
        .to_str()
        .unwrap()
        .to_owned();

    World {
        app,
        f,
        manager,
        visitor: (visitor, visitor_email.to_owned()),
        revoked,
        build,
        setup_token,
        invite_token,
        reset_token,
        actors,
        fresh: AtomicUsize::new(0),
    }
}

/// A request body.
enum Body {
    /// A GET with no body.
    Get,
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

/// Replaces the placeholders of `route` with real values.
fn concrete_path(w: &World, route: &str) -> String {
    let token = if route.starts_with("/setup/") {
        &w.setup_token
    } else if route.starts_with("/invite/") {
        &w.invite_token
    } else {
        &w.reset_token
    };
    route
        .replace("{room}", &w.f.room.to_string())
        .replace("{child}", &w.f.ava.to_string())
        .replace("{date}", DATE)
        .replace("{token}", token)
        .replace("{build}", &w.build)
        .replace("{folder}", "pkg")
        .replace("{file}", "here-today.js")
        .replace("{kind}", "concern")
        + export_query(route)
}

/// The default thresholds as the thresholds page posts them.
fn rules_form() -> Vec<(&'static str, String)> {
    let rules = app::domain::attendance::rules::RuleSettings::default();
    let b = rules.bands;
    vec![
        ("rules[bands][excellent]", b.excellent.to_string()),
        ("rules[bands][good]", b.good.to_string()),
        ("rules[bands][persistent]", b.persistent.to_string()),
        ("rules[bands][severe]", b.severe.to_string()),
        ("rules[low_rate]", rules.low_rate.to_string()),
        ("rules[fall_points]", rules.fall_points.to_string()),
        ("rules[fall_below]", rules.fall_below.to_string()),
        ("rules[occasional_min]", rules.occasional_min.to_string()),
        ("rules[weekday_min]", rules.weekday_min.to_string()),
        (
            "rules[call_after_minutes]",
            rules.call_after_minutes.to_string(),
        ),
        ("rules[home_visit_days]", rules.home_visit_days.to_string()),
        ("rules[level3_weeks]", rules.level3_weeks.to_string()),
        (
            "rules[level3_improvement]",
            rules.level3_improvement.to_string(),
        ),
        (
            "rules[back_to_universal]",
            rules.back_to_universal.to_string(),
        ),
        (
            "rules[late_after_minutes]",
            rules.late_after_minutes.to_string(),
        ),
        (
            "rules[report_days_ahead]",
            rules.report_days_ahead.to_string(),
        ),
    ]
}

/// The dates the exports need, which a request without them is rejected for.
fn export_query(route: &str) -> &'static str {
    if route.starts_with("/manage/export/") {
        "?from=2026-11-30&to=2026-12-02"
    } else {
        ""
    }
}

/// Makes a valid body for `route` as `actor` calls it, with fresh records where the call uses
/// them up. Returns the body and the id of the mark it sends, if any.
async fn body_for(w: &World, actor: &Actor, route: &str) -> (Body, Option<Uuid>) {
    let app = &w.app;
    let now = wednesday_morning();
    // A person signs in as themselves and resets their own password, so their client keeps its
    // principal. Devices and anonymous callers use the visitor account.
    let (login_id, login_email) = actor.login.clone().unwrap_or_else(|| w.visitor.clone());
    let body = match route {
        "/api/sign-in" => form(&[("email", login_email), ("password", PASSWORD.into())]),
        "/api/accept-link" => {
            let token = app::store::accounts::reset_link(
                &app.pool,
                actor.setting,
                login_id,
                w.manager,
                now,
            )
            .await
            .unwrap();
            form(&[("token", token), ("password", PASSWORD.into())])
        }
        "/api/link" => form(&[("token", w.invite_token.clone())]),
        "/api/enrol" => {
            let name = format!("Matrix display {}", w.fresh_number());
            let code = app::store::devices::start_enrolment(
                &app.pool,
                w.f.setting,
                None,
                &name,
                w.manager,
                now,
            )
            .await
            .unwrap();
            form(&[("code", code.code)])
        }
        "/api/set-pin" => form(&[("pin", "4829".into())]),
        "/api/pin-minutes" => form(&[("minutes", "15".into())]),
        // Each manager imports one morning into their own setting, which has children and
        // staff of the same names.
        "/api/import-history" => form(&[(
            "csv",
            "child,date,session,status,arrival,departure,reason,recorded_by\n\
             Ava Whitfield,2026-11-30,am,attended,08:00,12:00,,Hannah Cole\n"
                .into(),
        )]),
        "/api/register" => form(&[("room", w.f.room.to_string())]),
        "/api/child-report" => form(&[("child", w.f.ava.to_string())]),
        "/api/report-absence" => {
            // A different booked weekday each time, from Monday 7 December.
            let n = w.fresh_number() as i64;
            let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
                + chrono::Duration::days(7 * (n / 5) + n % 5);
            form(&[
                ("id", Uuid::now_v7().to_string()),
                ("child", w.f.ava.to_string()),
                ("first_day", day.to_string()),
                ("reason", "illness".into()),
            ])
        }
        "/api/withdraw-absence" => {
            let report = Uuid::now_v7();
            sqlx::query(
                "INSERT INTO absence_reports (id, setting_id, child_id, first_day, last_day, reason,
                                              account_id, reported_at)
                 SELECT ?, ?, ?, '2027-01-20', '2027-01-20', 'illness', account_id, ?
                 FROM account_children WHERE child_id = ? LIMIT 1",
            )
            .bind(report.to_string())
            .bind(w.f.setting.to_string())
            .bind(w.f.ava.to_string())
            .bind(now.to_rfc3339())
            .bind(w.f.ava.to_string())
            .execute(&app.pool)
            .await
            .unwrap();
            form(&[("report", report.to_string())])
        }
        "/api/log-call" => form(&[
            ("child", w.f.ava.to_string()),
            ("outcome", "no_answer".into()),
        ]),
        "/api/case-entry" => form(&[
            ("child", w.f.ava.to_string()),
            ("kind", "note".into()),
            ("happened_on", DATE.into()),
        ]),
        "/api/letter" | "/api/send-letter" => {
            form(&[("child", w.f.ava.to_string()), ("kind", "concern".into())])
        }
        "/api/decide-suggestion" => form(&[
            ("child", w.f.ava.to_string()),
            ("to_level", "3".into()),
            ("decision", "confirm".into()),
        ]),
        "/api/save-letter-template" => form(&[
            ("kind", "progress".into()),
            ("body", "Dear {carer}, thank you.".into()),
        ]),
        "/api/save-attendance-rules" => form(&rules_form()),
        "/api/save-lobby-messages" => form(&[("messages", "Thank you for coming.".into())]),
        "/api/child-day" => form(&[("child", w.f.ava.to_string()), ("date", DATE.into())]),
        "/api/invite" => form(&[
            (
                "email",
                format!("invited-{}@test.example", w.fresh_number()),
            ),
            ("name", "Invited Parent".into()),
            ("role", "parent".into()),
            ("child", w.f.ava.to_string()),
        ]),
        "/api/reset-link" => form(&[("account", w.visitor.0.to_string())]),
        "/api/pairing-code" => form(&[
            ("name", "Matrix tablet".into()),
            ("room", w.f.room.to_string()),
        ]),
        "/api/revoke" => {
            let name = format!("Matrix spare {}", w.fresh_number());
            let code = app::store::devices::start_enrolment(
                &app.pool,
                w.f.setting,
                None,
                &name,
                w.manager,
                now,
            )
            .await
            .unwrap();
            form(&[("device", code.enrolment.to_string())])
        }
        "/api/held-mark" => {
            let mark = arrival_by(&w.f, w.f.ava, 20, "old-tablet");
            let event = serde_json::from_value(mark.clone()).unwrap();
            app::store::devices::hold_marks(&app.pool, &w.revoked, &[event], now)
                .await
                .unwrap();
            form(&[
                ("mark", mark["id"].as_str().unwrap().to_owned()),
                ("accept", "true".into()),
            ])
        }
        "/api/events" => {
            let mut mark = arrival_by(&w.f, w.f.ava, 15, "matrix");
            mark["staff_id"] = json!(actor.staff);
            let id = Uuid::parse_str(mark["id"].as_str().unwrap()).unwrap();
            return (Body::Json(json!({ "events": [mark] })), Some(id));
        }
        "/api/sync" => Body::Json(json!({
            "device_id": format!("matrix-{:?}", actor.principal),
            "room_id": w.f.room,
            "cursor": null,
            "device_now": now,
            "events": [],
        })),
        api if api.starts_with("/api/") => Body::Form(vec![]),
        _ => Body::Get,
    };
    (body, None)
}

fn form(fields: &[(&'static str, String)]) -> Body {
    Body::Form(fields.to_vec())
}

/// A reply's status, redirect target and body text.
struct Reply {
    status: u16,
    location: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn send(w: &World, actor: &Actor, path: &str, body: Body) -> Reply {
    let url = format!("{}{path}", w.app.address);
    let request = match body {
        Body::Get => actor.client.get(url),
        Body::Form(fields) => actor.client.post(url).form(&fields),
        Body::Json(value) => actor.client.post(url).json(&value),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap();
    Reply {
        status,
        location,
        body,
    }
}

/// Returns whether `reply` is what the route returns to a caller that it allows.
fn is_allowed(principal: Principal, route: &str, reply: &Reply, mark: Option<Uuid>) -> bool {
    match route {
        // A lobby display's start page is its slides, headed with the setting's name.
        "/" if principal == Principal::Lobby => {
            reply.status == 200
                && reply.body.contains("lobby-display")
                && reply.body.contains("Test Nursery")
        }
        // A room tablet's start page is its room's register, which lists Ava.
        "/" if principal == Principal::Tablet => {
            reply.status == 200 && reply.body.contains("Whitfield")
        }
        "/api/events" => {
            reply.status == 200
                && reply.json()["accepted"]
                    .as_array()
                    .is_some_and(|ids| ids.contains(&json!(mark)))
        }
        // The tests run without a browser bundle on disk, so the bundle handler returns 404 with
        // this message.
        "/b/{build}/{folder}/{file}" => {
            reply.status == 200 || (reply.status == 404 && reply.body == BUNDLE_MISSING)
        }
        // Ava's day and her room's register name her.
        "/children/{child}/days/{date}" | "/api/child-day" | "/rooms/{room}" | "/api/register" => {
            reply.status == 200 && reply.body.contains("Whitfield")
        }
        // Server functions that sign in, out or enrol redirect on success.
        api if api.starts_with("/api/") => (200..400).contains(&reply.status),
        _ => reply.status == 200,
    }
}

/// Returns whether `reply` is the rejection that `principal` should get.
fn is_denied(principal: Principal, route: &str, reply: &Reply) -> bool {
    let api = route.starts_with("/api/");
    match principal {
        Principal::Anonymous if api => {
            reply.status == 401 && reply.json()["error"] == "sign_in_needed"
        }
        Principal::Anonymous => reply.status == 303 && reply.location.starts_with("/sign-in"),
        Principal::Revoked if reply.status == 403 => reply.body.contains(REVOKED_HINT),
        // The batch route reads every mark, and rejects one for a child outside the caller's
        // rooms by naming the field, as docs/api.md describes.
        _ if route == "/api/events" && reply.status == 200 => {
            reply.json()["rejected"][0]["field"] == "child_id"
        }
        _ => reply.status == 404,
    }
}

/// Surnames of the children `principal` may not see, which no reply to it may contain.
fn hidden_names(principal: Principal) -> Vec<&'static str> {
    const AVA: &str = "Whitfield";
    const NOAH: &str = "Ellison";
    match principal {
        Principal::Anonymous | Principal::Lobby | Principal::Revoked => vec![AVA, NOAH],
        Principal::PractitionerA | Principal::Tablet | Principal::ParentOfAva => vec![NOAH],
        Principal::PractitionerB | Principal::ParentOfNoah => vec![AVA],
        // The other setting has children of the same names; its manager is checked by id.
        Principal::Manager | Principal::OtherManager => vec![],
    }
}

/// Returns up to 400 characters of a reply body, from the page's `<main>` element if it has one.
fn excerpt(body: &str) -> String {
    let start = body.find("<main").unwrap_or(0);
    body[start..].chars().take(400).collect()
}

/// Checks one reply against the table and returns what was wrong.
fn judge(
    w: &World,
    principal: Principal,
    route: &str,
    expect: Expect,
    reply: &Reply,
    mark: Option<Uuid>,
) -> Result<(), String> {
    let fits = match expect {
        A => is_allowed(principal, route, reply, mark),
        D => is_denied(principal, route, reply),
        M => reply.status == 303 && reply.location == "/my",
        C => reply.status == 409 && reply.json()["error"] == "conflict",
        I => reply.status == 422 && reply.json()["error"] == "invalid_input",
    };
    if !fits {
        return Err(format!("expected {expect:?}"));
    }
    let mut hidden: Vec<String> = hidden_names(principal)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if expect == D {
        // A rejection names no child, whichever principal sent the request.
        hidden.extend(["Whitfield".to_owned(), "Ellison".to_owned()]);
    } else if principal == Principal::OtherManager {
        // Replies to the other setting's manager contain none of this setting's ids. Only a
        // rejection may repeat the id from the request.
        hidden.extend([w.f.setting, w.f.ava, w.f.noah, w.f.room].map(|id| id.to_string()));
    }
    match hidden
        .iter()
        .find(|text| reply.body.contains(text.as_str()))
    {
        Some(text) => Err(format!("the reply contains {text:?}")),
        None => Ok(()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_access_matches_table() {
    let table = expectations();
    assert_table_covers_every_route(&table);
    let w = build_world().await;
    let mut wrong = Vec::new();
    let mut calls = 0;
    for (column, actor) in w.actors.iter().enumerate() {
        for (route, row) in &table {
            let expect = row[column];
            let path = concrete_path(&w, route);
            let (body, mark) = body_for(&w, actor, route).await;
            let reply = send(&w, actor, &path, body).await;
            calls += 1;
            if let Err(problem) = judge(&w, actor.principal, route, expect, &reply, mark) {
                wrong.push(format!(
                    "{:?} {route}: {problem}; got {} {} {}",
                    actor.principal,
                    reply.status,
                    reply.location,
                    excerpt(&reply.body)
                ));
            }
            // Signing out everywhere ended this client's session, so it signs in again for the
            // last route.
            if *route == "/api/sign-out-everywhere" {
                if let Some((_, email)) = &actor.login {
                    sign_in(&w.app, &actor.client, email).await;
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {calls} replies differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Loads `path` with `client` `times` times and returns the statuses seen.
async fn page_statuses(app: &TestApp, client: &Client, path: &str, times: usize) -> BTreeSet<u16> {
    let mut statuses = BTreeSet::new();
    for _ in 0..times {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        statuses.insert(response.status().as_u16());
    }
    statuses
}

// A streamed page sends its status with the first chunk, before its data has loaded; the data
// pages render whole (`SsrMode::Async`) so that a rejection can set 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_pages_never_return_200() {
    let (app, f) = spawn_app().await;
    let noah_parent = "parent-noah@test.example";
    account(
        &app,
        &f,
        noah_parent,
        Role::Parent,
        None,
        vec![],
        vec![f.noah],
    )
    .await;
    let parent = signed_in_client(&app, noah_parent).await;
    let manager = manager_account(&app, &f).await;
    let (credential, device) = enrol_device(&app, &f, Some(f.room), "Old tablet").await;
    app::store::devices::revoke(
        &app.pool,
        f.setting,
        device.enrolment,
        manager,
        wednesday_morning(),
    )
    .await
    .unwrap();
    let revoked = client_with_cookie(&format!("here_today_device={credential}"));

    let ava_day = format!("/children/{}/days/{DATE}", f.ava);
    let statuses = page_statuses(&app, &parent, &ava_day, 20).await;
    assert_eq!(
        statuses,
        BTreeSet::from([404]),
        "a parent loads another child's day"
    );
    let room = format!("/rooms/{}", f.room);
    let statuses = page_statuses(&app, &revoked, &room, 20).await;
    assert!(
        statuses.iter().all(|status| [403, 404].contains(status)),
        "a revoked tablet loads its old room: {statuses:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Cross-site posts, sessions, revoked tablets, rate limits, the audit trail and invitations
// ---------------------------------------------------------------------------------------------

/// Builds a client with no cookies that never follows redirects.
fn plain_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Posts the sign-in form for the fixture's manager with one extra header.
async fn sign_in_with_header(app: &TestApp, name: &str, value: &str) -> reqwest::Response {
    plain_client()
        .post(format!("{}/api/sign-in", app.address))
        .header(name, value)
        .form(&[("email", "manager@test.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT actor, origin, subject FROM audit_log WHERE action = ? ORDER BY at, id")
        .bind(action)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_rejected() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let evil = sign_in_with_header(&app, "Origin", "http://evil.example").await;
    assert_eq!(evil.status().as_u16(), 403, "another site's Origin");
    let cross = sign_in_with_header(&app, "Sec-Fetch-Site", "cross-site").await;
    assert_eq!(cross.status().as_u16(), 403, "Sec-Fetch-Site: cross-site");
    assert!(
        audit_rows(&app, "sign_in").await.is_empty(),
        "neither post reached the sign-in"
    );

    let same = sign_in_with_header(&app, "Origin", &app.address).await;
    let status = same.status().as_u16();
    assert!(
        (200..400).contains(&status),
        "a same-origin post signs in: {status}"
    );
    let cookies: Vec<_> = same.headers().get_all(SET_COOKIE).iter().collect();
    assert!(
        cookies
            .iter()
            .any(|cookie| cookie.to_str().unwrap().starts_with("here_today_session=")),
        "{cookies:?}"
    );
    assert_eq!(audit_rows(&app, "sign_in").await.len(), 1);
}

/// Calls the server function for the whole setting's day, which only a signed-in manager may
/// read, and returns the status and reply.
async fn today_status(app: &TestApp, client: &Client) -> (u16, Value) {
    call_fn(app, client, "today", &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_session_is_anonymous() {
    let (app, _) = spawn_app().await;
    let forged = client_with_cookie(&format!(
        "here_today_session={}",
        app::auth::secret::new_token()
    ));
    let (status, body) = today_status(&app, &forged).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "sign_in_needed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_session_is_anonymous() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let manager = signed_in_client(&app, "manager@test.example").await;
    assert_eq!(today_status(&app, &manager).await.0, 200, "signed in");

    let columns: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info('sessions')")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let columns: Vec<_> = columns.into_iter().map(|(name,)| name).collect();
    assert!(columns.contains(&"expiry_date".to_owned()), "{columns:?}");
    // The session store writes expiry_date as text that starts with the year. It compares
    // that text with the current time, so a year in the past expires the session.
    let (kind, expiry): (String, String) =
        sqlx::query_as("SELECT typeof(expiry_date), expiry_date FROM sessions")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kind, "text", "{expiry}");
    assert!(expiry.starts_with("20"), "{expiry}");
    sqlx::query("UPDATE sessions SET expiry_date = '2000' || substr(expiry_date, 5)")
        .execute(&app.pool)
        .await
        .unwrap();

    let (status, body) = today_status(&app, &manager).await;
    assert_eq!(status, 401, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_ends_sessions() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let laptop = signed_in_client(&app, "manager@test.example").await;
    let phone = signed_in_client(&app, "manager@test.example").await;
    assert_eq!(today_status(&app, &phone).await.0, 200);

    let (status, body) = call_fn(&app, &laptop, "sign-out-everywhere", &[]).await;
    assert!((200..400).contains(&status), "{status} {body}");
    assert_eq!(
        today_status(&app, &phone).await.0,
        401,
        "the other session ended"
    );
    assert_eq!(
        today_status(&app, &laptop).await.0,
        401,
        "this session ended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_tablet_marks_are_held() {
    let (app, f) = spawn_app().await;
    let manager = manager_account(&app, &f).await;
    let (credential, device) = enrol_device(&app, &f, Some(f.room), "Pre-school tablet").await;
    app::store::devices::revoke(
        &app.pool,
        f.setting,
        device.enrolment,
        manager,
        wednesday_morning(),
    )
    .await
    .unwrap();
    let tablet = client_with_cookie(&format!("here_today_device={credential}"));
    let marks = vec![
        arrival_by(&f, f.ava, 10, "old"),
        arrival_by(&f, f.noah, 5, "old"),
    ];
    let request = json!({
        "device_id": "old", "room_id": f.room, "cursor": null,
        "device_now": wednesday_morning(), "events": marks,
    });
    let reply = tablet
        .post(format!("{}/api/sync", app.address))
        .json(&request)
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    let body: Value = reply.json().await.unwrap();
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "revoked");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("2 marks from this tablet are kept"),
        "{message}"
    );

    let (held,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM held_marks")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(held, 2);
    assert_eq!(
        event_count(&app.pool).await,
        0,
        "no held mark is in the register"
    );

    let signed_in = signed_in_client(&app, "manager@test.example").await;
    let first = marks[0]["id"].as_str().unwrap();
    let (status, outcome) = call_fn(
        &app,
        &signed_in,
        "held-mark",
        &[("mark", first), ("accept", "true")],
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome, "The mark was added to the register.");
    let stored: Vec<(String,)> = sqlx::query_as("SELECT id FROM attendance_events")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![(first.to_owned(),)],
        "only the accepted mark is stored"
    );
}

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Writes the server's log lines into [`LOGS`].
struct LogSink;

impl Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs a log subscriber that writes every event of this test process, at every level,
/// to [`LOGS`].
fn capture_logs() {
    static START: Once = Once::new();
    START.call_once(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| LogSink)
            .try_init()
            .expect("no other log subscriber in this test process");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_limited_never_stored() {
    capture_logs();
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let wrong = format!("wrong-password-{}", Uuid::now_v7().simple());
    let client = plain_client();
    let mut replies = Vec::new();
    for _ in 0..6 {
        let form = [
            ("email", "manager@test.example"),
            ("password", wrong.as_str()),
        ];
        replies.push(call_fn(&app, &client, "sign-in", &form).await);
    }
    for (status, body) in &replies[..5] {
        assert_eq!(*status, 422, "a wrong password before the limit: {body}");
    }
    let (status, body) = &replies[5];
    assert_eq!(*status, 429, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("Wait"), "{message}");
    // While blocked, even the right password is not checked.
    let form = [
        ("email", "manager@test.example"),
        ("password", common::PASSWORD),
    ];
    let (status, body) = call_fn(&app, &client, "sign-in", &form).await;
    assert_eq!(status, 429, "{body}");

    assert_eq!(audit_rows(&app, "sign_in_failed").await.len(), 5);
    assert_eq!(audit_rows(&app, "sign_in_limited").await.len(), 2);
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT at || action || actor || origin || subject || detail FROM audit_log",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        rows.iter().all(|(row,)| !row.contains(&wrong)),
        "an audit row contains the password"
    );

    let logs = String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned();
    assert!(logs.contains("sign-in failed"), "the log capture works");
    assert!(!logs.contains(&wrong), "the log contains the password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn right_passwords_are_not_limited() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let client = plain_client();
    let form = [
        ("email", "manager@test.example"),
        ("password", common::PASSWORD),
    ];
    for attempt in 1..=8 {
        let (status, body) = call_fn(&app, &client, "sign-in", &form).await;
        assert!(
            status < 400,
            "sign-in {attempt} was rejected: {status} {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_actions_are_audited() {
    let (app, f) = spawn_app().await;
    let manager_id = manager_account(&app, &f).await;
    let manager = signed_in_client(&app, "manager@test.example").await;
    // The fixture's manager account is named "manager", so its audit label is
    // "manager manager".
    let rows = audit_rows(&app, "sign_in").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("manager manager", "127.0.0.1")
    );

    let code = app::store::devices::start_enrolment(
        &app.pool,
        f.setting,
        Some(f.room),
        "Pre-school tablet 2",
        manager_id,
        wednesday_morning(),
    )
    .await
    .unwrap();
    let response = plain_client()
        .post(format!("{}/api/enrol", app.address))
        .form(&[("code", code.code.as_str())])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success() || response.status().is_redirection());
    let cookies: Vec<_> = response.headers().get_all(SET_COOKIE).iter().collect();
    assert!(
        cookies
            .iter()
            .any(|cookie| cookie.to_str().unwrap().starts_with("here_today_device=")),
        "{cookies:?}"
    );
    let rows = audit_rows(&app, "device_enrolled").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("someone not signed in", "127.0.0.1")
    );
    assert!(rows[0].2.contains("Pre-school tablet 2"), "{}", rows[0].2);

    let device = code.enrolment.to_string();
    let (status, body) = call_fn(&app, &manager, "revoke", &[("device", &device)]).await;
    assert_eq!(status, 200, "{body}");
    let rows = audit_rows(&app, "device_revoked").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("manager manager", "127.0.0.1")
    );

    // The app's own client is the room tablet "Test tablet".
    let mark = arrival_by(&f, f.ava, 30, "test-tablet");
    let mut correction = arrival_by(&f, f.ava, 1, "test-tablet");
    correction["kind"] = json!("corrected");
    correction["target"] = mark["id"].clone();
    correction["correction"] = json!({ "change": "time", "at": "2026-12-02T08:05:00Z" });
    correction["reason"] = json!("arrived with a sibling, marked late");
    let (status, body) = post_json(
        &app,
        "/api/events",
        &json!({ "events": [mark, correction] }),
    )
    .await;
    assert_eq!(
        body["accepted"].as_array().map(Vec::len),
        Some(2),
        "{status} {body}"
    );
    let rows = audit_rows(&app, "mark_corrected").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "room tablet Test tablet");
    assert!(
        rows[0].1.starts_with("device ") && rows[0].1.ends_with(" at 127.0.0.1"),
        "{}",
        rows[0].1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_is_append_only() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    signed_in_client(&app, "manager@test.example").await;
    let update = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(&app.pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(
        audit_rows(&app, "sign_in").await.len(),
        1,
        "the row is still there"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_link_works_once() {
    let (app, f) = spawn_app().await;
    manager_account(&app, &f).await;
    let manager = signed_in_client(&app, "manager@test.example").await;
    let child = f.ava.to_string();
    let invitation = [
        ("email", "new-parent@test.example"),
        ("name", "Laura Whitfield"),
        ("role", "parent"),
        ("child", child.as_str()),
    ];
    let (status, link) = call_fn(&app, &manager, "invite", &invitation).await;
    assert_eq!(status, 200, "{link}");
    let url = link["url"].as_str().unwrap();
    let (_, token) = url
        .split_once("/invite/")
        .unwrap_or_else(|| panic!("{url}"));
    assert!(!token.is_empty());

    let accept = [
        ("token", token),
        ("password", "a new parent's long password"),
    ];
    let parent = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (status, body) = call_fn(&app, &parent, "accept-link", &accept).await;
    assert!((200..400).contains(&status), "{status} {body}");
    let (status, children) = call_fn(&app, &parent, "my-children", &[]).await;
    assert_eq!(status, 200, "{children}");
    assert_eq!(children["children"][0]["id"], json!(f.ava), "{children}");

    let again = plain_client();
    let (status, body) = call_fn(&app, &again, "accept-link", &accept).await;
    assert_eq!(status, 404, "a used link: {body}");
    assert_eq!(
        today_status(&app, &again).await.0,
        401,
        "nobody was signed in"
    );
}
