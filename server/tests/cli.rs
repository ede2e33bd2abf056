//! The `here-today` binary's commands, run as a user would, against real SQLite files.

use std::process::{Command, Output};

fn here_today(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_here-today"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn unreadable_database_stops_with_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-database.db");
    std::fs::write(&path, b"this is a spreadsheet, not a database").unwrap();
    let output = here_today(&["--database", path.to_str().unwrap(), "demo"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("not-a-database.db"), "{message}");
    assert!(message.contains("could not"), "{message}");
}

#[test]
fn missing_directory_stops_with_clear_message() {
    let output = here_today(&["--database", "/nonexistent-folder/here-today.db", "demo"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("could not open the database /nonexistent-folder/here-today.db")
    );
}

#[test]
fn demo_refuses_a_second_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let first = here_today(&["--database", db, "demo"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(String::from_utf8_lossy(&first.stdout).contains("Created the demo nursery"));
    let second = here_today(&["--database", db, "demo"]);
    assert!(!second.status.success());
    assert!(stderr(&second).contains("already"), "{}", stderr(&second));
}

#[test]
fn bad_csv_import_names_row_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let db = db.to_str().unwrap();
    assert!(here_today(&["--database", db, "demo"]).status.success());
    let csv = dir.path().join("children.csv");
    std::fs::write(
        &csv,
        "First name,Last name,Date of birth,Room,Key person,Start date,Mon,Tue,Wed,Thu,Fri,Funded hours,\
         Contact 1 name,Contact 1 relationship,Contact 1 phone,Contact 1 email,Contact 1 may collect,\
         Contact 2 name,Contact 2 relationship,Contact 2 phone,Contact 2 email,Contact 2 may collect,\
         Display consent\r\n\
         Rosa,Lindqvist,31/02/2023,Toddlers,,01/09/2025,Full,,,,,,\
         Eva Lindqvist,Mother,07700 900200,,yes,,,,,,yes\r\n",
    )
    .unwrap();
    let output = here_today(&["--database", db, "import", csv.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("row 2"), "{message}");
    assert!(message.contains("31/02/2023"), "{message}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let children: i64 = runtime.block_on(async {
        let pool = server::db::open(std::path::Path::new(db)).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM children")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!(
        children, 60,
        "the demo's children only: nothing was imported"
    );
}

#[test]
fn version_flag_prints_version() {
    let output = here_today(&["--version"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn changed_migration_stops_with_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tampered.db");
    let db = db.to_str().unwrap();
    assert!(here_today(&["--database", db, "demo"]).status.success());

    // Make the recorded checksum of the first migration disagree with the embedded one.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });

    let output = here_today(&["--database", db, "demo"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("could not update the database"),
        "{message}"
    );
    assert!(message.contains("tampered.db"), "{message}");
}
