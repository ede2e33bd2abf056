//! Import tests against a real SQLite database file with the project's migrations.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use tempfile::TempDir;

use super::test_support::{child, file, SAMPLE_CSV};
use super::*;

const SETTING: &str = "0193a000-0000-7000-8000-000000000001";

/// Opens a new database in `dir` and applies the migrations.
async fn open_database(dir: &TempDir) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("here-today.db"))
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    pool
}

async fn execute(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// Opens a database with one setting open Monday to Friday, with morning and afternoon
/// sessions, the rooms Babies, Toddlers and Pre-school and the key persons the sample names.
async fn seeded_database(dir: &TempDir) -> SqlitePool {
    let pool = open_database(dir).await;
    execute(&pool, &format!(
        "INSERT INTO settings (id, name, created_at) VALUES ('{SETTING}', 'Test Nursery', '2026-01-01T00:00:00.000Z')"
    ))
    .await;
    execute(&pool, &format!(
        "INSERT INTO setting_sessions (setting_id, code, name, starts, ends) VALUES \
         ('{SETTING}', 'am', 'Morning', '08:00', '13:00'), ('{SETTING}', 'pm', 'Afternoon', '13:00', '18:00')"
    ))
    .await;
    execute(
        &pool,
        &format!(
        "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months, position) VALUES \
         ('room-babies', '{SETTING}', 'Babies', 0, 24, 0), \
         ('room-toddlers', '{SETTING}', 'Toddlers', 24, 36, 1), \
         ('room-preschool', '{SETTING}', 'Pre-school', 36, 60, 2)"
    ),
    )
    .await;
    execute(
        &pool,
        &format!(
            "INSERT INTO staff (id, setting_id, first_name, last_name, role, room_id) VALUES \
         ('staff-hannah', '{SETTING}', 'Hannah', 'Cole', 'room_leader', 'room-preschool'), \
         ('staff-marcus', '{SETTING}', 'Marcus', 'Reid', 'practitioner', 'room-preschool'), \
         ('staff-priya', '{SETTING}', 'Priya', 'Shah', 'room_leader', 'room-toddlers'), \
         ('staff-tom', '{SETTING}', 'Tom', 'Beckett', 'apprentice', 'room-toddlers'), \
         ('staff-ellie', '{SETTING}', 'Ellie', 'Dunn', 'room_leader', 'room-babies'), \
         ('staff-sam', '{SETTING}', 'Sam', 'Patel', 'practitioner', 'room-babies')"
        ),
    )
    .await;
    pool
}

/// Row counts of the tables an import writes: rooms, staff, children, bookings, contacts.
async fn table_counts(pool: &SqlitePool) -> [i64; 5] {
    let mut counts = [0; 5];
    for (count, table) in counts
        .iter_mut()
        .zip(["rooms", "staff", "children", "bookings", "contacts"])
    {
        *count = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .unwrap();
    }
    counts
}

async fn import(
    pool: &SqlitePool,
    text: &str,
    create_missing: bool,
) -> Result<ImportSummary, ImportError> {
    import_children(pool, text.as_bytes(), ImportOptions { create_missing }).await
}

fn invalid(result: Result<ImportSummary, ImportError>) -> Vec<RowError> {
    match result {
        Err(ImportError::Invalid(errors)) => errors,
        other => panic!("expected ImportError::Invalid, got {other:?}"),
    }
}

async fn child_id(pool: &SqlitePool, first_name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM children WHERE first_name = ?")
        .bind(first_name)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn sample_imports_ten_children() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let summary = import(&pool, SAMPLE_CSV, false).await.unwrap();
    let expected = ImportSummary {
        children: 10,
        contacts: 17,
        rooms_created: 0,
        staff_created: 0,
    };
    assert_eq!(summary, expected);
    assert_eq!(table_counts(&pool).await, [3, 6, 10, 56, 17]);
}

#[tokio::test]
async fn sample_child_stored_exactly() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    import(&pool, SAMPLE_CSV, false).await.unwrap();

    type ChildColumns = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<i64>,
        i64,
    );
    let ava: ChildColumns = sqlx::query_as(
        "SELECT setting_id, last_name, date_of_birth, room_id, key_person_id, start_date, leaving_date, \
         funded_hours, display_consent FROM children WHERE first_name = 'Ava'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(ava.0, SETTING);
    assert_eq!(ava.1, "Whitfield");
    assert_eq!(ava.2, "2022-03-14");
    assert_eq!(ava.3, "room-preschool");
    assert_eq!(ava.4.as_deref(), Some("staff-hannah"));
    assert_eq!(ava.5, "2024-09-02");
    assert_eq!(ava.6, None);
    assert_eq!(ava.7, Some(30));
    assert_eq!(ava.8, 1);

    let amelia: (Option<i64>, i64) = sqlx::query_as(
        "SELECT funded_hours, display_consent FROM children WHERE first_name = 'Amelia'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(amelia, (None, 0));
}

#[tokio::test]
async fn sample_bookings_stored() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    import(&pool, SAMPLE_CSV, false).await.unwrap();

    let isla = child_id(&pool, "Isla").await;
    let bookings: Vec<(i64, String)> =
        sqlx::query_as("SELECT weekday, session_code FROM bookings WHERE child_id = ? ORDER BY weekday, session_code")
            .bind(&isla)
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected: Vec<(i64, String)> = [
        (1, "am"),
        (1, "pm"),
        (3, "am"),
        (3, "pm"),
        (5, "am"),
        (5, "pm"),
    ]
    .into_iter()
    .map(|(weekday, code)| (weekday, code.to_owned()))
    .collect();
    assert_eq!(bookings, expected);

    let mia = child_id(&pool, "Mia").await;
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT session_code FROM bookings WHERE child_id = ?")
            .bind(&mia)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(codes, vec!["pm".to_owned()]);
}

#[tokio::test]
async fn sample_contacts_stored() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    import(&pool, SAMPLE_CSV, false).await.unwrap();

    let leo = child_id(&pool, "Leo").await;
    type ContactColumns = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
    );
    let contacts: Vec<ContactColumns> = sqlx::query_as(
        "SELECT position, name, relationship, phone, email, may_collect, collection_password \
         FROM contacts WHERE child_id = ? ORDER BY position",
    )
    .bind(&leo)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(contacts.len(), 2);
    let mother = &contacts[0];
    assert_eq!(mother.0, 1);
    assert_eq!(mother.1, "Kirsty Barnes");
    assert_eq!(mother.2, "Mother");
    assert_eq!(mother.3.as_deref(), Some("07700 900106"));
    assert_eq!(mother.4.as_deref(), Some("kbarnes@example.com"));
    assert_eq!(mother.5, 1);
    assert_eq!(mother.6, None);
    let aunt = &contacts[1];
    assert_eq!(aunt.0, 2);
    assert_eq!(aunt.1, "Aunt Jo Barnes");
    assert_eq!(aunt.4, None);
    assert_eq!(aunt.5, 0);
}

#[tokio::test]
async fn bad_row_stores_nothing() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let before = table_counts(&pool).await;
    let text = format!(
        "{SAMPLE_CSV}{}\n",
        child("Zara", &[("Date of birth", "31/02/2024")])
    );

    let errors = invalid(import(&pool, &text, false).await);
    let expected = RowError::new(
        12,
        "Date of birth",
        "31/02/2024",
        "not a real date; use dd/mm/yyyy",
    );
    assert_eq!(errors, vec![expected]);
    assert_eq!(table_counts(&pool).await, before);
}

#[tokio::test]
async fn reimport_reports_duplicates() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    import(&pool, SAMPLE_CSV, false).await.unwrap();
    let after_first = table_counts(&pool).await;

    let errors = invalid(import(&pool, SAMPLE_CSV, false).await);
    let rows: Vec<usize> = errors.iter().map(|error| error.row).collect();
    assert_eq!(rows, (2..=11).collect::<Vec<_>>());
    let message =
        "child already in the setting; delete this row, or correct it if it is a different child";
    assert!(errors.iter().all(|error| error.message == message));
    assert_eq!(errors[0].value, "Ava, Whitfield, 14/03/2022");
    assert_eq!(table_counts(&pool).await, after_first);
}

#[tokio::test]
async fn unknown_room_and_key_person_rejected() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let before = table_counts(&pool).await;
    let text = file(&[child(
        "Zara",
        &[("Room", "Rainbows"), ("Key person", "Jo March")],
    )]);

    let errors = invalid(import(&pool, &text, false).await);
    let room_message = "room not found in the setting, which has Babies, Toddlers, Pre-school; \
                        correct the name, or import with --create-missing to add the room";
    let staff_message = "key person not found among the setting's staff; check the spelling, \
                         or import with --create-missing to add them";
    assert_eq!(
        errors,
        vec![
            RowError::new(2, "Room", "Rainbows", room_message),
            RowError::new(2, "Key person", "Jo March", staff_message),
        ]
    );
    assert_eq!(table_counts(&pool).await, before);
}

#[tokio::test]
async fn names_match_ignoring_case() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let text = file(&[child(
        "Zara",
        &[("Room", "pre-SCHOOL"), ("Key person", " hannah   cole ")],
    )]);
    import(&pool, &text, false).await.unwrap();
    let stored: (String, String) =
        sqlx::query_as("SELECT room_id, key_person_id FROM children WHERE first_name = 'Zara'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        ("room-preschool".to_owned(), "staff-hannah".to_owned())
    );
}

#[tokio::test]
async fn create_missing_adds_room_and_key_person() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let text = file(&[
        child("Zara", &[("Room", "Rainbows"), ("Key person", "Jo March")]),
        child("Yusuf", &[("Room", "rainbows"), ("Key person", "jo march")]),
        child(
            "Xavier",
            &[("Room", "Toddlers"), ("Key person", "Ann de la Mare")],
        ),
    ]);

    let summary = import(&pool, &text, true).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            children: 3,
            contacts: 6,
            rooms_created: 1,
            staff_created: 2
        }
    );

    let room: (String, String, i64, i64, i64) = sqlx::query_as(
        "SELECT id, name, min_age_months, max_age_months, position FROM rooms WHERE name = 'Rainbows'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((room.2, room.3, room.4), (0, 60, 3));

    let jo: (String, String, String, Option<String>) =
        sqlx::query_as("SELECT id, last_name, role, room_id FROM staff WHERE first_name = 'Jo'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(jo.1, "March");
    assert_eq!(jo.2, "practitioner");
    assert_eq!(jo.3.as_deref(), Some(room.0.as_str()));

    let ann: (String, Option<String>) =
        sqlx::query_as("SELECT last_name, room_id FROM staff WHERE first_name = 'Ann'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        ann,
        ("de la Mare".to_owned(), Some("room-toddlers".to_owned()))
    );

    let children: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT room_id, key_person_id FROM children WHERE first_name IN ('Zara', 'Yusuf')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(children, vec![(room.0.clone(), Some(jo.0.clone())); 2]);
}

#[tokio::test]
async fn create_missing_needs_full_name() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let text = file(&[child("Zara", &[("Key person", "Jo")])]);
    let errors = invalid(import(&pool, &text, true).await);
    let message = "key person needs a first and last name to be added, for example Hannah Cole";
    assert_eq!(errors, vec![RowError::new(2, "Key person", "Jo", message)]);
}

#[tokio::test]
async fn closed_day_and_missing_session_rejected() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    execute(
        &pool,
        "UPDATE settings SET open_weekdays = 'Mon,Tue,Wed,Thu'",
    )
    .await;
    execute(&pool, "DELETE FROM setting_sessions WHERE code = 'pm'").await;
    let text = file(&[child(
        "Zara",
        &[("Mon", "AM"), ("Tue", "PM"), ("Wed", ""), ("Thu", "")],
    )]);

    let errors = invalid(import(&pool, &text, false).await);
    let session = "the setting has no session with code \"pm\"; add the session to the setting before importing";
    let closed = "the setting does not open on Fridays; clear this booking, or add the day to the setting's opening days";
    assert_eq!(
        errors,
        vec![
            RowError::new(2, "Tue", "PM", session),
            RowError::new(2, "Fri", "Full", closed)
        ]
    );
}

#[tokio::test]
async fn file_and_setting_errors_reported_together() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let text = file(&[
        child(
            "Zara",
            &[("Room", "Rainbows"), ("Start date", "31/09/2024")],
        ),
        child("Yusuf", &[("Key person", "Nobody Here")]),
    ]);
    let errors = invalid(import(&pool, &text, false).await);
    let columns: Vec<(usize, &str)> = errors
        .iter()
        .map(|error| (error.row, error.column.as_str()))
        .collect();
    assert_eq!(
        columns,
        vec![(2, "Start date"), (2, "Room"), (3, "Key person")]
    );
}

#[tokio::test]
async fn empty_database_has_no_setting() {
    let dir = TempDir::new().unwrap();
    let pool = open_database(&dir).await;
    let result = import(&pool, SAMPLE_CSV, false).await;
    assert!(matches!(result, Err(ImportError::NoSetting)), "{result:?}");
}

#[tokio::test]
async fn sen_support_column_is_stored() {
    let dir = TempDir::new().unwrap();
    let pool = seeded_database(&dir).await;
    let csv: String = SAMPLE_CSV
        .lines()
        .enumerate()
        .map(|(index, line)| match index {
            0 => format!("{line},SEN support\n"),
            _ if line.starts_with("Ava,") => format!("{line},yes\n"),
            _ => format!("{line},\n"),
        })
        .collect();
    import(&pool, &csv, false).await.unwrap();
    let flags: Vec<(String, i64)> =
        sqlx::query_as("SELECT first_name, sen_support FROM children ORDER BY first_name")
            .fetch_all(&pool)
            .await
            .unwrap();
    let ava = flags.iter().find(|(name, _)| name == "Ava").unwrap();
    assert_eq!(ava.1, 1);
    assert!(flags
        .iter()
        .filter(|(name, _)| name != "Ava")
        .all(|(_, sen)| *sen == 0));
}
