//! The register and figures exports and the history import, through the real app on a random
//! port with a real SQLite file, and the `import-history` command of the built binary.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use reqwest::Client;
use serde_json::Value;
use sqlx::SqlitePool;
use uuid::Uuid;

use app::domain::events::{AttendanceEvent, Collector, EventAction};
use app::domain::reasons::AbsenceReason;
use common::{
    call_fn, event_count, manager_account, signed_in_client, spawn_app, spawn_app_at,
    wednesday_morning, Fixture, TestApp,
};

const REGISTER_HEADER: &str = "child,date,session,status,arrival,departure,reason,recorded_by";
const FIGURES_HEADER: &str = "level,name,room,possible,attended,rate,late,extra,unexplained";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Signs in the fixture's manager and returns the client.
async fn manager(app: &TestApp, f: &Fixture) -> Client {
    manager_account(app, f).await;
    signed_in_client(app, "manager@test.example").await
}

/// A reply's status, headers and body.
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

async fn get(app: &TestApp, client: &Client, path: &str) -> Reply {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

/// Returns the lines of a CSV export, without the byte-order mark and the final line end.
fn lines(body: &str) -> Vec<String> {
    let text = body.strip_prefix('\u{feff}').unwrap_or(body);
    assert!(text.ends_with("\r\n"), "lines end with CRLF: {text:?}");
    text.trim_end_matches("\r\n")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

/// Returns the figures export's rows by level and name, each as its eight other values.
fn figures_by_name(body: &str) -> BTreeMap<(String, String), Vec<String>> {
    let lines = lines(body);
    assert_eq!(lines[0], FIGURES_HEADER);
    lines[1..]
        .iter()
        .map(|line| {
            let values: Vec<String> = line.split(',').map(str::to_owned).collect();
            ((values[0].clone(), values[1].clone()), values[2..].to_vec())
        })
        .collect()
}

async fn figures(
    app: &TestApp,
    client: &Client,
    from: &str,
    to: &str,
) -> BTreeMap<(String, String), Vec<String>> {
    let path = format!("/manage/export/figures.csv?from={from}&to={to}");
    let reply = get(app, client, &path).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    figures_by_name(&reply.body)
}

/// Returns the figure columns possible, attended, rate, late, extra and unexplained of one row.
fn counts(rows: &BTreeMap<(String, String), Vec<String>>, level: &str, name: &str) -> Vec<String> {
    rows.get(&(level.to_owned(), name.to_owned()))
        .unwrap_or_else(|| panic!("no {level} row {name}: {rows:?}"))[1..]
        .to_vec()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

/// Builds an event at `time` UTC on `date`, which in November is also London time.
fn event(
    child: Uuid,
    date: &str,
    time: &str,
    staff: Option<Uuid>,
    action: EventAction,
) -> AttendanceEvent {
    let date: NaiveDate = date.parse().unwrap();
    let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
    AttendanceEvent {
        id: Uuid::now_v7(),
        child_id: child,
        date,
        occurred_at: date.and_time(time).and_utc(),
        recorded_at: None,
        staff_id: staff,
        device_id: Some("test".into()),
        action,
    }
}

fn departed(name: &str) -> EventAction {
    EventAction::Departed {
        collected_by: Collector {
            contact_id: None,
            name: name.into(),
            on_list: true,
        },
    }
}

async fn insert(pool: &SqlitePool, setting: Uuid, events: &[AttendanceEvent]) {
    let mut conn = pool.acquire().await.unwrap();
    for event in events {
        app::store::insert_event_row(&mut conn, setting, event, wednesday_morning())
            .await
            .unwrap();
    }
}

/// Marks the fixture's week of 23 November 2026. Ava: Monday on time, Tuesday late, Wednesday
/// ill, Thursday unmarked. Noah (booked Monday mornings): Monday unmarked, and Tuesday morning
/// without a booking.
async fn mark_week(app: &TestApp, f: &Fixture) {
    let staff = Some(f.staff);
    let events = [
        event(f.ava, "2026-11-23", "07:55", staff, EventAction::Arrived),
        event(
            f.ava,
            "2026-11-23",
            "17:30",
            staff,
            departed("Laura Whitfield"),
        ),
        event(f.ava, "2026-11-24", "08:20", staff, EventAction::Arrived),
        event(
            f.ava,
            "2026-11-24",
            "16:00",
            staff,
            departed("Laura Whitfield"),
        ),
        event(
            f.ava,
            "2026-11-25",
            "08:40",
            staff,
            EventAction::Absent {
                reason: AbsenceReason::Illness,
                note: None,
            },
        ),
        event(f.noah, "2026-11-24", "08:00", None, EventAction::Arrived),
        event(
            f.noah,
            "2026-11-24",
            "12:00",
            None,
            departed("Sarah Ellison"),
        ),
    ];
    insert(&app.pool, f.setting, &events).await;
}

async fn audit_details(pool: &SqlitePool, action: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY at, id")
        .bind(action)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Posts `csv` to the import server function as `client`.
async fn import(app: &TestApp, client: &Client, csv: &str) -> (u16, Value) {
    call_fn(app, client, "import-history", &[("csv", csv)]).await
}

fn csv_of(rows: &[&str]) -> String {
    let mut text = format!("{REGISTER_HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

// ---------------------------------------------------------------------------------------------
// The register export
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_export_rows_and_audit() {
    let (app, f) = spawn_app().await;
    mark_week(&app, &f).await;
    let client = manager(&app, &f).await;

    let reply = get(
        &app,
        &client,
        "/manage/export/register.csv?from=2026-11-23&to=2026-11-26",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        reply.headers[CONTENT_DISPOSITION],
        "attachment; filename=\"register-2026-11-23-2026-11-26.csv\""
    );
    assert!(
        reply.body.starts_with('\u{feff}'),
        "starts with a byte-order mark"
    );
    let expected = [
        REGISTER_HEADER,
        "Ava Whitfield,2026-11-23,am,attended,07:55,17:30,,Hannah Cole",
        "Ava Whitfield,2026-11-23,pm,attended,07:55,17:30,,Hannah Cole",
        "Ava Whitfield,2026-11-24,am,late,08:20,16:00,,Hannah Cole",
        "Ava Whitfield,2026-11-24,pm,attended,08:20,16:00,,Hannah Cole",
        "Ava Whitfield,2026-11-25,am,absent,,,illness,Hannah Cole",
        "Ava Whitfield,2026-11-25,pm,absent,,,illness,Hannah Cole",
        "Ava Whitfield,2026-11-26,am,not_recorded,,,,",
        "Ava Whitfield,2026-11-26,pm,not_recorded,,,,",
        "Noah Ellison,2026-11-23,am,not_recorded,,,,",
        "Noah Ellison,2026-11-24,am,extra,08:00,12:00,,",
    ];
    assert_eq!(lines(&reply.body), strings(&expected));

    let audit = audit_details(&app.pool, "register_exported").await;
    assert_eq!(
        audit,
        vec![(
            "manager manager".to_owned(),
            "2026-11-23 to 2026-11-26".to_owned()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_export_rejects_bad_ranges() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    let cases = [
        (
            "from=2026-11-26&to=2026-11-23",
            &["2026-11-26", "2026-11-23", "swap"][..],
        ),
        ("to=2026-11-23", &["from", "missing", "YYYY-MM-DD"][..]),
        ("from=2026-11-23", &["to", "missing"][..]),
        (
            "from=23/11/2026&to=2026-11-26",
            &["\"23/11/2026\"", "YYYY-MM-DD"][..],
        ),
        (
            "from=2024-01-01&to=2026-11-26",
            &["longer than 800 days", "shorter"][..],
        ),
    ];
    for (query, words) in cases {
        for export in ["register", "figures"] {
            let path = format!("/manage/export/{export}.csv?{query}");
            let reply = get(&app, &client, &path).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.body);
            assert!(
                reply.headers[CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/plain"),
                "{path}"
            );
            for word in words {
                assert!(
                    reply.body.contains(word),
                    "{path}: {word:?} in {}",
                    reply.body
                );
            }
        }
    }
    assert!(audit_details(&app.pool, "register_exported")
        .await
        .is_empty());
    assert!(audit_details(&app.pool, "figures_exported")
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_for_managers_only() {
    let (app, f) = spawn_app().await;
    mark_week(&app, &f).await;
    let query = "?from=2026-11-23&to=2026-11-26";
    for export in ["register", "figures"] {
        let path = format!("/manage/export/{export}.csv{query}");
        // The app's own client is a room tablet.
        let tablet = get(&app, &app.client, &path).await;
        assert_eq!(tablet.status, 404, "{path}");
        assert!(!tablet.body.contains("Whitfield"), "{path}");

        let anonymous = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let reply = anonymous
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 303, "{path}");
        let location = reply.headers()[LOCATION].to_str().unwrap().to_owned();
        assert!(location.starts_with("/sign-in?next="), "{location}");
    }
    assert!(audit_details(&app.pool, "register_exported")
        .await
        .is_empty());
}

#[test]
fn csv_fields_quoted_and_guarded() {
    let row = strings(&[
        "=1+1",
        "a,b",
        "say \"hi\"",
        "two\nlines",
        "-5",
        "@home",
        "+44",
        "O'Neill",
    ]);
    let bytes = server::history::csv_bytes(&[row]).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text,
        "\u{feff}'=1+1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'-5,'@home,'+44,O'Neill\r\n"
    );
}

// ---------------------------------------------------------------------------------------------
// The figures export
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_export_adds_up() {
    let (app, f) = spawn_app().await;
    mark_week(&app, &f).await;
    let client = manager(&app, &f).await;
    let reply = get(
        &app,
        &client,
        "/manage/export/figures.csv?from=2026-11-23&to=2026-11-26",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.headers[CONTENT_DISPOSITION],
        "attachment; filename=\"figures-2026-11-23-2026-11-26.csv\""
    );
    let expected = [
        FIGURES_HEADER,
        // Ava: 8 booked sessions, 4 attended of which 1 late, Thursday's 2 unmarked.
        "child,Ava Whitfield,Pre-school,8,4,50%,1,0,2",
        // Noah: Monday morning unmarked, Tuesday morning without a booking.
        "child,Noah Ellison,Pre-school,1,0,0%,0,1,1",
        // 4 of 9 is 44.4%, rounded down.
        "room,Pre-school,Pre-school,9,4,44%,1,1,3",
        "setting,Test Nursery,,9,4,44%,1,1,3",
    ];
    assert_eq!(lines(&reply.body), strings(&expected));

    let rows = figures_by_name(&reply.body);
    let column = |level: &str, index: usize| -> u32 {
        rows.iter()
            .filter(|((row_level, _), _)| row_level == level)
            .map(|(_, values)| values[index].parse::<u32>().unwrap())
            .sum()
    };
    for (index, name) in [
        (1, "possible"),
        (2, "attended"),
        (4, "late"),
        (5, "extra"),
        (6, "unexplained"),
    ] {
        assert_eq!(column("child", index), column("setting", index), "{name}");
        assert_eq!(column("room", index), column("setting", index), "{name}");
    }
    let audit = audit_details(&app.pool, "figures_exported").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].1, "2026-11-23 to 2026-11-26");

    let weekend = figures(&app, &client, "2026-11-28", "2026-11-29").await;
    assert_eq!(
        counts(&weekend, "setting", "Test Nursery"),
        strings(&["0", "0", "no data", "0", "0", "0"])
    );
}

// ---------------------------------------------------------------------------------------------
// The history import
// ---------------------------------------------------------------------------------------------

/// A week for the fixture, 16 to 19 November 2026, as another system would write it.
fn valid_week() -> String {
    csv_of(&[
        "Ava Whitfield,2026-11-16,am,attended,08:05,17:00,,Hannah Cole",
        "Ava Whitfield,2026-11-16,pm,attended,08:05,17:00,,Hannah Cole",
        "Ava Whitfield,17/11/2026,am,late,08:30,,,Hannah Cole",
        "Ava Whitfield,2026-11-17,pm,attended,,,,",
        "Ava Whitfield,2026-11-18,am,absent,,,medical_appointment,Hannah Cole",
        "Ava Whitfield,2026-11-18,pm,absent,,,medical_appointment,",
        "Ava Whitfield,2026-11-19,am,not_recorded,,,,",
        "Noah Ellison,2026-11-16,am,absent,,,illness,Someone Unknown",
        "\"Noah Ellison\",2026-11-17,pm,extra,13:10,15:00,,",
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_stores_valid_file() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    // The fixture setting was created before these dates, so until the import Ava's ten
    // booked sessions count as missed with no mark.
    let before = figures(&app, &client, "2026-11-16", "2026-11-20").await;
    assert_eq!(
        counts(&before, "child", "Ava Whitfield"),
        strings(&["10", "0", "0%", "0", "0", "10"])
    );

    let (status, summary) = import(&app, &client, &valid_week()).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["rows"], 9);
    assert_eq!(summary["days"], 4);
    assert_eq!(summary["children"], 2);
    // Ava: two arrivals with departures and one absence; Noah: one absence, one visit.
    assert_eq!(summary["events"], 8);
    assert_eq!(event_count(&app.pool).await, 8);

    let after = figures(&app, &client, "2026-11-16", "2026-11-20").await;
    // Monday and Tuesday attended (Tuesday morning late), Wednesday absent with a reason,
    // Thursday and Friday unmarked.
    assert_eq!(
        counts(&after, "child", "Ava Whitfield"),
        strings(&["10", "4", "40%", "1", "0", "4"])
    );
    assert_eq!(
        counts(&after, "child", "Noah Ellison"),
        strings(&["1", "0", "0%", "0", "1", "0"])
    );

    let stored: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT kind, staff_id, device_id, occurred_at FROM attendance_events
         WHERE child_id = ? AND local_date = '2026-11-17' ORDER BY occurred_at",
    )
    .bind(f.ava.to_string())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let staff = Some(f.staff.to_string());
    let device = Some("history-import".to_owned());
    assert_eq!(
        stored,
        vec![
            (
                "arrived".into(),
                staff,
                device.clone(),
                "2026-11-17T08:30:00.000Z".into()
            ),
            // No departure was given, so the day ends with the afternoon session.
            (
                "departed".into(),
                None,
                device,
                "2026-11-17T18:00:00.000Z".into()
            ),
        ]
    );
    let (noah_staff,): (Option<String>,) = sqlx::query_as(
        "SELECT staff_id FROM attendance_events WHERE child_id = ? AND kind = 'absent'",
    )
    .bind(f.noah.to_string())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        noah_staff, None,
        "an unknown recorded_by stores no staff member"
    );

    let register = get(
        &app,
        &client,
        "/manage/export/register.csv?from=2026-11-17&to=2026-11-17",
    )
    .await;
    let collector = "Recorded in imported history";
    let (body,): (String,) = sqlx::query_as(
        "SELECT body FROM attendance_events WHERE child_id = ? AND kind = 'departed' LIMIT 1",
    )
    .bind(f.ava.to_string())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(body.contains(collector), "{body}");
    assert!(
        lines(&register.body)
            .contains(&"Ava Whitfield,2026-11-17,am,late,08:30,18:00,,Hannah Cole".to_owned()),
        "{}",
        register.body
    );

    let audit = audit_details(&app.pool, "history_imported").await;
    assert_eq!(
        audit,
        vec![(
            "manager manager".to_owned(),
            "9 rows, 4 days, 2 children".to_owned()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_with_bad_rows_stores_nothing() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    let csv = csv_of(&[
        "Ava Whitfield,2026-11-16,am,attended,08:05,12:00,,Hannah Cole",
        "Ava Thomson,2026-11-16,am,attended,08:05,12:00,,",
        "Noah Ellison,2026-11-16,am,absent,,,illness,",
        "Ava Whitfield,2026-11-17,am,present,,,,",
        "Ava Whitfield,2026-11-18,am,attended,,,,",
    ]);
    let before = event_count(&app.pool).await;
    let (status, reply) = import(&app, &client, &csv).await;
    assert_eq!(status, 422, "{reply}");
    assert_eq!(reply["error"], "invalid_input");
    assert_eq!(reply["field"], "csv");
    let message = reply["message"].as_str().unwrap();
    let problems: Vec<&str> = message.lines().collect();
    assert_eq!(
        problems,
        vec![
            "line 3: child \"Ava Thomson\" is not in this setting; check the spelling or import the child first",
            "line 5: status \"present\" is not a status; use one of attended, late, absent, not_recorded, extra",
        ]
    );
    assert_eq!(event_count(&app.pool).await, before, "nothing was stored");
    assert!(audit_details(&app.pool, "history_imported")
        .await
        .is_empty());
}

/// Gives the fixture a second child called Ava Whitfield, and renames Noah to Late Ellison with
/// a start date of 2 November 2026 and a mark on 23 November.
async fn add_namesake_and_late_starter(app: &TestApp, f: &Fixture) {
    let mark = event(f.noah, "2026-11-23", "08:00", None, EventAction::Arrived);
    insert(&app.pool, f.setting, &[mark]).await;
    sqlx::query(
        "INSERT INTO children
             (id, setting_id, first_name, last_name, date_of_birth, room_id, start_date)
         SELECT ?, setting_id, 'Ava', 'Whitfield', '2022-05-01', room_id, '2026-01-05'
         FROM children WHERE id = ?",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(f.noah.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE children SET start_date = '2026-11-02', first_name = 'Late' WHERE id = ?")
        .bind(f.noah.to_string())
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_checks_each_rule() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    add_namesake_and_late_starter(&app, &f).await;

    // Each row and the words of its one problem, or no words for a row with none. Row i of
    // the table is on line i + 2 of the file, after the header.
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("Ava Whitfield,2026-11-16,am,attended,,,,", &["\"Ava Whitfield\" matches 2 children"]),
        (",2026-11-16,am,attended,,,,", &["child is empty"]),
        ("Late Ellison,2026-11-31,am,attended,,,,", &["date \"2026-11-31\" is not a date"]),
        ("Late Ellison,2026-12-02,am,attended,,,,", &["date 2026-12-02 is not in the past"]),
        ("Late Ellison,2026-11-21,am,attended,,,,", &["2026-11-21", "not an opening day"]),
        ("Late Ellison,2026-10-30,am,attended,,,,", &["before Late Ellison's start date 2026-11-02"]),
        ("Late Ellison,2026-11-16,eve,attended,,,,", &["session \"eve\"", "am, pm"]),
        ("Late Ellison,2026-11-17,am,attended,8.05,,,", &["arrival \"8.05\" is not a time"]),
        ("Late Ellison,2026-11-18,am,attended,10:00,09:00,,", &["departure 09:00 is not after arrival 10:00"]),
        ("Late Ellison,2026-11-19,am,absent,08:00,,illness,", &["arrival \"08:00\" is given for status absent"]),
        ("Late Ellison,2026-11-20,am,absent,,,,", &["reason is missing for status absent"]),
        ("Late Ellison,2026-11-24,am,absent,,,poorly,", &["reason \"poorly\" is not a reason code"]),
        ("Late Ellison,2026-11-25,am,attended,,,illness,", &["reason \"illness\" is given for status attended"]),
        ("Late Ellison,2026-11-26,am,attended,,,,", &[]),
        ("Late Ellison,2026-11-26,am,late,08:20,,,", &["repeats line 15"]),
        ("Late Ellison,2026-11-23,am,attended,,,,", &["already has register marks on 2026-11-23"]),
        ("Late Ellison,2026-11-27,am,attended,,,,", &[]),
        ("Late Ellison,2026-11-27,pm,absent,,,illness,", &["absent for pm on 2026-11-27 but attended another session", "line 18"]),
        ("Late Ellison,2026-11-13,am,absent,,,illness,", &[]),
        ("Late Ellison,2026-11-13,pm,absent,,,holiday_agreed,", &["reason holiday_agreed differs from illness on line 20"]),
        ("Late Ellison,2026-11-12,am,attended,,,", &["7 values", "8 columns"]),
        ("Late Ellison,2026-11-10,am,attended,14:00,15:00,,", &["arrival 14:00 is not before the end of session am at 13:00"]),
        ("Late Ellison,2026-11-11,pm,attended,,12:30,,", &["departure 12:30 is not after the start of session pm at 13:00"]),
    ];
    let rows: Vec<&str> = cases.iter().map(|(row, _)| *row).collect();
    let (status, reply) = import(&app, &client, &csv_of(&rows)).await;
    assert_eq!(status, 422, "{reply}");

    let message = reply["message"].as_str().unwrap().to_owned();
    let problems: Vec<&str> = message.lines().collect();
    for (index, (row, words)) in cases.iter().enumerate() {
        let prefix = format!("line {}: ", index + 2);
        let found: Vec<&&str> = problems
            .iter()
            .filter(|line| line.starts_with(&prefix))
            .collect();
        if words.is_empty() {
            assert!(found.is_empty(), "{row}: {found:?}");
            continue;
        }
        assert_eq!(found.len(), 1, "{row}: {found:?}\n{message}");
        for word in *words {
            assert!(found[0].contains(word), "{row}: {word:?} in {}", found[0]);
        }
    }
    assert_eq!(event_count(&app.pool).await, 1, "nothing was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_twice_is_refused() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    let (status, reply) = import(&app, &client, &valid_week()).await;
    assert_eq!(status, 200, "{reply}");
    let stored = event_count(&app.pool).await;

    let (status, reply) = import(&app, &client, &valid_week()).await;
    assert_eq!(status, 422, "{reply}");
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.contains("line 2: Ava Whitfield already has register marks on 2026-11-16"),
        "{message}"
    );
    // Each child-day that got marks is reported once, on its first line. Ava's 19 November
    // had only a not_recorded row, so it stored nothing and is not reported.
    assert_eq!(message.lines().count(), 5, "{message}");
    assert_eq!(
        event_count(&app.pool).await,
        stored,
        "nothing more was stored"
    );
    assert_eq!(audit_details(&app.pool, "history_imported").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_limits_size_and_rows() {
    let (app, f) = spawn_app().await;
    let client = manager(&app, &f).await;
    let row = "Ava Whitfield,2026-11-16,am,not_recorded,,,,\n";
    let too_large = format!(
        "{REGISTER_HEADER}\n{}",
        row.repeat(5 * 1024 * 1024 / row.len() + 1)
    );
    let (status, reply) = import(&app, &client, &too_large).await;
    assert_eq!(status, 413, "{reply}");
    assert_eq!(reply["error"], "too_large");
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.contains("5.0 MB") && message.contains("at most 5 MB"),
        "{message}"
    );

    let short = "A B,2026-11-16,am,not_recorded,,,,\n";
    let too_many = format!("{REGISTER_HEADER}\n{}", short.repeat(100_001));
    let (status, reply) = import(&app, &client, &too_many).await;
    assert_eq!(status, 422, "{reply}");
    let message = reply["message"].as_str().unwrap();
    assert!(message.contains("more than 100000 rows"), "{message}");
    assert_eq!(event_count(&app.pool).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Export, then import into a fresh database
// ---------------------------------------------------------------------------------------------

/// Friday 4 December 2026, 09:30 in London.
fn friday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 9, 30, 0).unwrap()
}

/// Copies the setting, its calendar, rooms, staff, children and bookings of the database at
/// `from` into `to`, which must be empty: the same children with no register.
async fn copy_children(from: &std::path::Path, to: &SqlitePool) {
    let mut conn = to.acquire().await.unwrap();
    sqlx::query("ATTACH DATABASE ? AS source")
        .bind(from.to_str().unwrap())
        .execute(&mut *conn)
        .await
        .unwrap();
    for table in [
        "settings",
        "setting_sessions",
        "closures",
        "rooms",
        "staff",
        "children",
        "bookings",
    ] {
        sqlx::query(&format!(
            "INSERT INTO main.{table} SELECT * FROM source.{table}"
        ))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|error| panic!("copying {table}: {error}"));
    }
    sqlx::query("DETACH DATABASE source")
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// Signs in a new manager of the only setting in `app`.
async fn demo_manager(app: &TestApp) -> Client {
    let (setting,): (String,) = sqlx::query_as("SELECT id FROM settings")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let account = app::store::accounts::NewAccount {
        email: "manager@demo.example".into(),
        name: "Demo Manager".into(),
        role: app::store::accounts::Role::Manager,
        staff: None,
        rooms: vec![],
        children: vec![],
    };
    let setting = Uuid::parse_str(&setting).unwrap();
    app::store::accounts::create_account_with_password(
        &app.pool,
        setting,
        account,
        common::PASSWORD,
        friday_morning(),
    )
    .await
    .unwrap();
    signed_in_client(app, "manager@demo.example").await
}

/// Returns child, date, session, status and reason of each register row.
fn statuses(body: &str) -> Vec<String> {
    lines(body)
        .iter()
        .map(|line| {
            let values: Vec<&str> = line.split(',').collect();
            [values[0], values[1], values[2], values[3], values[6]].join(",")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_import_round_trip() {
    let source = spawn_app_at(friday_morning()).await;
    server::demo::create_demo_setting(&source.pool, server::demo::DEFAULT_SEED, friday_morning())
        .await
        .unwrap();
    let target = spawn_app_at(friday_morning()).await;
    copy_children(&source.db_path, &target.pool).await;
    let source_client = demo_manager(&source).await;
    let target_client = demo_manager(&target).await;

    let (from, to) = ("2026-09-01", "2026-12-03");
    let path = format!("/manage/export/register.csv?from={from}&to={to}");
    let exported = get(&source, &source_client, &path).await;
    assert_eq!(exported.status, 200, "{}", exported.body);
    assert!(
        lines(&exported.body).len() > 5_000,
        "the demo fills the range"
    );
    let csv = exported.body.strip_prefix('\u{feff}').unwrap();
    // The file is larger than the 256 KiB other forms may send.
    assert!(csv.len() > 256 * 1024, "{} bytes", csv.len());

    let (status, summary) = import(&target, &target_client, csv).await;
    assert_eq!(status, 200, "{summary}");
    let imported = get(&target, &target_client, &path).await;
    assert_eq!(statuses(&imported.body), statuses(&exported.body));
    let source_figures = figures(&source, &source_client, from, to).await;
    let target_figures = figures(&target, &target_client, from, to).await;
    assert_eq!(source_figures.len(), target_figures.len());
    for (key, values) in &source_figures {
        assert_eq!(Some(values), target_figures.get(key), "{key:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

fn here_today(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_here-today"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_import_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let pool = server::db::open(&db).await.unwrap();
    common::seed(&pool).await;
    let db = db.to_str().unwrap();
    let now = "--pretend-now=2026-12-02T09:30:00Z";

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        csv_of(&[
            "Ava Whitfield,2026-11-16,am,attended,08:05,12:00,,Hannah Cole",
            "Nobody Here,2026-11-16,am,attended,,,,",
            "Ava Whitfield,2026-11-17,pm,absent,,,,",
        ]),
    )
    .unwrap();
    let output = here_today(&[
        "--database",
        db,
        now,
        "import-history",
        bad.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("has 2 problems, so nothing was imported"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3: child \"Nobody Here\" is not in this setting"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: reason is missing for status absent"),
        "{stderr}"
    );
    assert_eq!(event_count(&pool).await, 0);

    let good = dir.path().join("good.csv");
    std::fs::write(&good, valid_week()).unwrap();
    let output = here_today(&[
        "--database",
        db,
        now,
        "import-history",
        good.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Imported 9 rows, 4 days, 2 children from 16 Nov 2026 to 19 Nov 2026"),
        "{stdout}"
    );
    assert_eq!(event_count(&pool).await, 8);
    let (actor,): (String,) =
        sqlx::query_as("SELECT actor FROM audit_log WHERE action = 'history_imported'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(actor, "someone not signed in");

    let missing = here_today(&["--database", db, "import-history", "/nonexistent/file.csv"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("could not read /nonexistent/file.csv")
    );
}
