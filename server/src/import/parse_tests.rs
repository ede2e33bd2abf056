//! Tests of reading CSV files without the database.

use super::super::test_support::{child, file, HEADER, SAMPLE_CSV};
use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// Parses `text` as of [`today`], expecting success.
fn parse_ok(text: &str) -> Vec<ChildRow> {
    let parsed = parse_file(text.as_bytes(), today());
    assert_eq!(parsed.errors, vec![]);
    parsed.rows
}

/// Parses `text` as of [`today`], expecting errors.
fn parse_errors(bytes: &[u8]) -> Vec<RowError> {
    let parsed = parse_file(bytes, today());
    assert!(!parsed.errors.is_empty(), "expected errors");
    parsed.errors
}

fn error(row: usize, column: &str, value: &str, message: &str) -> RowError {
    RowError::new(row, column, value, message)
}

/// Parses a file of one child with `changes`, expecting errors on row 2.
fn one_row_errors(changes: &[(&str, &str)]) -> Vec<RowError> {
    parse_errors(file(&[child("Ava", changes)]).as_bytes())
}

fn bookings(pairs: &[(u8, Session)]) -> Vec<Booking> {
    pairs
        .iter()
        .map(|&(weekday, session)| Booking { weekday, session })
        .collect()
}

#[test]
fn sample_file_parses() {
    let rows = parse_ok(SAMPLE_CSV);
    assert_eq!(rows.len(), 10);
    let rows_numbers: Vec<usize> = rows.iter().map(|row| row.row).collect();
    assert_eq!(rows_numbers, (2..=11).collect::<Vec<_>>());

    let ava = &rows[0];
    assert_eq!(ava.first_name, "Ava");
    assert_eq!(ava.last_name, "Whitfield");
    assert_eq!(ava.date_of_birth, day(2022, 3, 14));
    assert_eq!(ava.room, "Pre-school");
    assert_eq!(ava.key_person.as_deref(), Some("Hannah Cole"));
    assert_eq!(ava.start_date, day(2024, 9, 2));
    assert_eq!(ava.leaving_date, None);
    assert_eq!(ava.bookings.len(), 10);
    assert_eq!(ava.funded_hours, Some(30));
    assert!(ava.display_consent);
    assert_eq!(
        ava.contacts[1],
        ContactRow {
            position: 2,
            name: "Peter Whitfield".into(),
            relationship: "Father".into(),
            phone: "07700 900102".into(),
            email: None,
            may_collect: true,
            collection_password: None,
        }
    );
}

#[test]
fn sample_bookings_and_contacts() {
    let rows = parse_ok(SAMPLE_CSV);
    let isla = &rows[2];
    let expected = [
        (1, Session::Am),
        (1, Session::Pm),
        (3, Session::Am),
        (3, Session::Pm),
        (5, Session::Am),
        (5, Session::Pm),
    ];
    assert_eq!(isla.bookings, bookings(&expected));
    assert_eq!(isla.contacts.len(), 1);
    assert!(!isla.display_consent);

    let mia = &rows[4];
    assert_eq!(
        mia.bookings,
        bookings(&[(1, Session::Pm), (2, Session::Pm), (3, Session::Pm)])
    );
    assert_eq!(mia.funded_hours, None);

    let leo = &rows[3];
    assert_eq!(leo.contacts[1].name, "Aunt Jo Barnes");
    assert!(!leo.contacts[1].may_collect);
}

#[test]
fn bom_and_crlf_accepted() {
    let text = format!("\u{feff}{}", SAMPLE_CSV.replace('\n', "\r\n"));
    let rows = parse_ok(&text);
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].first_name, "Ava");
    assert!(rows[9].display_consent);
    assert!(rows[9].contacts[1].may_collect);
}

#[test]
fn dates_in_both_formats() {
    let rows = parse_ok(&file(&[
        child(
            "Ava",
            &[("Date of birth", "2022-03-14"), ("Start date", "2/9/2024")],
        ),
        child(
            "Bea",
            &[
                ("Date of birth", "14/03/2022"),
                ("Start date", "2024-09-02"),
            ],
        ),
    ]));
    for row in &rows {
        assert_eq!(row.date_of_birth, day(2022, 3, 14));
        assert_eq!(row.start_date, day(2024, 9, 2));
    }
}

#[test]
fn stray_spaces_trimmed() {
    let header = HEADER
        .replace(',', " , ")
        .replace("First name", "  FIRST   name");
    let row = child(
        "Ava",
        &[
            ("Room", "  Pre-school "),
            ("Mon", " am "),
            ("Contact 1 may collect", " Yes "),
        ],
    );
    let text = format!("{header}\n{}\n", row.replace(',', " ,  "));
    let rows = parse_ok(&text);
    assert_eq!(rows[0].first_name, "Ava");
    assert_eq!(rows[0].room, "Pre-school");
    assert_eq!(rows[0].contacts[0].phone, "07700 900101");
    assert!(rows[0].contacts[0].may_collect);
}

#[test]
fn columns_in_any_order() {
    let mut columns: Vec<&str> = HEADER.split(',').collect();
    let mut values: Vec<String> = child("Ava", &[]).split(',').map(str::to_owned).collect();
    columns.reverse();
    values.reverse();
    let rows = parse_ok(&format!("{}\n{}\n", columns.join(","), values.join(",")));
    assert_eq!(rows[0].first_name, "Ava");
    assert_eq!(rows[0].funded_hours, Some(30));
}

#[test]
fn blank_lines_skipped_and_counted() {
    let blank_row = ",".repeat(22);
    let text = format!(
        "\n{HEADER}\r\n{}\n\n{}\n{blank_row}\r\n\r\n\r{}\n  \n\n",
        child("Ava", &[("Contact 1 name", "Laura\r\nWhitfield")]),
        child("Bea", &[("Mon", "Sometimes")]),
        child("Cat", &[("Tue", "Sometimes")]),
    );
    let errors = parse_errors(text.as_bytes());
    // Row 1 is empty, the header is row 2 and Ava row 3, with a line break in a quoted
    // value. Row 4 is empty, Bea is row 5, rows 6 to 8 are blank and Cat is row 9.
    let rows: Vec<usize> = errors.iter().map(|error| error.row).collect();
    assert_eq!(rows, vec![5, 9]);
}

#[test]
fn quoted_line_break_is_one_row() {
    let text = file(&[
        child("Ava", &[("Contact 1 name", "Laura\nWhitfield")]),
        child("Bea", &[("Funded hours", "40")]),
    ]);
    let errors = parse_errors(text.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 3);
}

#[test]
fn optional_columns_read() {
    let header = format!("{HEADER},Leaving date,Contact 1 collection password,Contact 3 name,Contact 3 relationship,Contact 3 phone,Contact 3 email,Contact 3 may collect");
    let row = format!(
        "{},31/07/2027,Blue whale,Jo Smith,Childminder,07700 900199,,y",
        child("Ava", &[])
    );
    let rows = parse_ok(&format!("{header}\n{row}\n"));
    assert_eq!(rows[0].leaving_date, Some(day(2027, 7, 31)));
    assert_eq!(
        rows[0].contacts[0].collection_password.as_deref(),
        Some("Blue whale")
    );
    assert_eq!(rows[0].contacts.len(), 3);
    assert_eq!(rows[0].contacts[2].position, 3);
    assert_eq!(rows[0].contacts[2].relationship, "Childminder");
    assert!(rows[0].contacts[2].may_collect);
}

#[test]
fn empty_contact_skipped_and_positions_close_up() {
    let row = child(
        "Ava",
        &[
            ("Contact 1 name", ""),
            ("Contact 1 relationship", ""),
            ("Contact 1 phone", ""),
            ("Contact 1 email", ""),
            ("Contact 1 may collect", "no"),
        ],
    );
    let rows = parse_ok(&file(&[row]));
    assert_eq!(rows[0].contacts.len(), 1);
    assert_eq!(rows[0].contacts[0].name, "Peter Whitfield");
    assert_eq!(rows[0].contacts[0].position, 1);
}

#[test]
fn missing_required_values() {
    let changes = [
        ("Last name", ""),
        ("Date of birth", ""),
        ("Room", ""),
        ("Start date", ""),
    ];
    let errors = parse_errors(file(&[child("", &changes)]).as_bytes());
    let missing = "missing value; every child needs one";
    let expected: Vec<RowError> = [
        "First name",
        "Last name",
        "Date of birth",
        "Room",
        "Start date",
    ]
    .iter()
    .map(|column| error(2, column, "", missing))
    .collect();
    assert_eq!(errors, expected);
}

#[test]
fn invalid_dates() {
    assert_eq!(
        one_row_errors(&[("Date of birth", "31/02/2024")]),
        vec![error(
            2,
            "Date of birth",
            "31/02/2024",
            "not a real date; use dd/mm/yyyy"
        )]
    );
    assert_eq!(
        one_row_errors(&[("Start date", "2nd September")]),
        vec![error(
            2,
            "Start date",
            "2nd September",
            "not a date; use dd/mm/yyyy, for example 14/03/2022"
        )]
    );
}

#[test]
fn date_of_birth_in_future() {
    let errors = one_row_errors(&[
        ("Date of birth", "05/12/2026"),
        ("Start date", "01/01/2027"),
    ]);
    assert_eq!(
        errors,
        vec![error(
            2,
            "Date of birth",
            "05/12/2026",
            "date of birth is in the future; check the year"
        )]
    );
}

#[test]
fn date_of_birth_after_start() {
    let errors = one_row_errors(&[("Date of birth", "03/09/2024")]);
    let message = "date of birth is after the start date 02/09/2024; check both dates";
    assert_eq!(
        errors,
        vec![error(2, "Date of birth", "03/09/2024", message)]
    );
}

#[test]
fn leaving_before_start() {
    let header = format!("{HEADER},Leaving date");
    let text = format!("{header}\n{},01/09/2024\n", child("Ava", &[]));
    let errors = parse_errors(text.as_bytes());
    let message = "leaving date is before the start date 02/09/2024; check both dates";
    assert_eq!(
        errors,
        vec![error(2, "Leaving date", "01/09/2024", message)]
    );
}

#[test]
fn unknown_booking() {
    let errors = one_row_errors(&[("Wed", "Morning")]);
    let message = "unknown booking; use AM, PM or Full, or leave empty for no booking";
    assert_eq!(errors, vec![error(2, "Wed", "Morning", message)]);
}

#[test]
fn funded_hours_out_of_range() {
    let message = "funded hours must be from 0 to 30; use 15 or 30, or leave empty";
    assert_eq!(
        one_row_errors(&[("Funded hours", "31")]),
        vec![error(2, "Funded hours", "31", message)]
    );
    let message = "not a whole number of hours; use 15 or 30, or leave empty";
    assert_eq!(
        one_row_errors(&[("Funded hours", "15.5")]),
        vec![error(2, "Funded hours", "15.5", message)]
    );
}

#[test]
fn contact_without_relationship_or_phone() {
    let errors = one_row_errors(&[("Contact 2 relationship", ""), ("Contact 2 phone", "")]);
    assert_eq!(
        errors,
        vec![
            error(
                2,
                "Contact 2 relationship",
                "",
                "missing relationship; add it, for example Mother"
            ),
            error(
                2,
                "Contact 2 phone",
                "",
                "missing phone number; every contact needs one"
            ),
        ]
    );
}

#[test]
fn contact_without_name() {
    let errors = one_row_errors(&[("Contact 2 name", "")]);
    let message = "missing name for contact 2, whose relationship is filled in; add the name, or clear the contact's other columns";
    assert_eq!(errors, vec![error(2, "Contact 2 name", "", message)]);
}

#[test]
fn contact_phone_and_email_checked() {
    let errors = one_row_errors(&[
        ("Contact 1 phone", "ask Laura"),
        ("Contact 1 email", "laura at example.org"),
    ]);
    assert_eq!(
        errors,
        vec![
            error(
                2,
                "Contact 1 phone",
                "ask Laura",
                "not a phone number; write digits only, for example 07700 900101"
            ),
            error(
                2,
                "Contact 1 email",
                "laura at example.org",
                "not an email address; check it, for example name@example.org, or leave empty"
            ),
        ]
    );
}

#[test]
fn may_collect_not_yes_or_no() {
    let errors = one_row_errors(&[("Contact 1 may collect", "sometimes")]);
    let message = "not yes or no; use yes or no, or leave empty for no";
    assert_eq!(
        errors,
        vec![error(2, "Contact 1 may collect", "sometimes", message)]
    );
}

#[test]
fn display_consent_not_yes_or_no() {
    let errors = one_row_errors(&[("Display consent", "ask")]);
    let message = "not yes or no; use yes or no, or leave empty for no";
    assert_eq!(errors, vec![error(2, "Display consent", "ask", message)]);
}

#[test]
fn duplicate_child_in_file() {
    let text = file(&[
        child("Ava", &[]),
        child("Bea", &[]),
        child(" ava ", &[("Room", "Toddlers")]),
    ]);
    let errors = parse_errors(text.as_bytes());
    let column = "First name, Last name, Date of birth";
    let message = "the same child as row 2; delete one of the two rows";
    assert_eq!(
        errors,
        vec![error(4, column, "ava, Whitfield, 14/03/2022", message)]
    );
}

#[test]
fn value_without_header() {
    let text = format!("{HEADER},\n{},,Extra\n", child("Ava", &[]));
    let errors = parse_errors(text.as_bytes());
    let message = "value in a column with no header; delete it, or add the missing header";
    assert_eq!(
        errors,
        vec![error(2, "column Y (no header)", "Extra", message)]
    );
}

#[test]
fn many_errors_reported_together() {
    let text = file(&[
        child("Ava", &[("Date of birth", "31/02/2024"), ("Mon", "X")]),
        child("Bea", &[]),
        child(
            "",
            &[("Funded hours", "45"), ("Contact 1 may collect", "perhaps")],
        ),
    ]);
    let errors = parse_errors(text.as_bytes());
    let rows_and_columns: Vec<(usize, &str)> = errors
        .iter()
        .map(|error| (error.row, error.column.as_str()))
        .collect();
    assert_eq!(
        rows_and_columns,
        vec![
            (2, "Date of birth"),
            (2, "Mon"),
            (4, "First name"),
            (4, "Funded hours"),
            (4, "Contact 1 may collect"),
        ]
    );
}

#[test]
fn empty_file_rejected() {
    let expected = vec![RowError::file(
        0,
        "the file is empty; it needs a header row and one row per child",
    )];
    assert_eq!(parse_errors(b""), expected);
    assert_eq!(parse_errors(b"\xEF\xBB\xBF"), expected);
    assert_eq!(parse_errors(b"\r\n\r\n"), expected);
}

#[test]
fn header_only_rejected() {
    let message =
        "the file has a header row but no children; add one row per child under the header";
    assert_eq!(
        parse_errors(format!("{HEADER}\r\n\r\n").as_bytes()),
        vec![RowError::file(0, message)]
    );
}

#[test]
fn unknown_column_rejected() {
    let text = format!("{HEADER},Favourite colour\n{},Blue\n", child("Ava", &[]));
    let message =
        "unknown column; rename it to one of the columns in docs/csv-import.md, or delete it";
    assert_eq!(
        parse_errors(text.as_bytes()),
        vec![error(1, "Favourite colour", "Favourite colour", message)]
    );
}

#[test]
fn repeated_and_missing_columns() {
    let header = HEADER.replace("Display consent", "room");
    let errors = parse_errors(format!("{header}\n{}\n", child("Ava", &[])).as_bytes());
    assert_eq!(
        errors,
        vec![
            error(
                1,
                "room",
                "room",
                "column appears twice, in columns D and W; delete one of them"
            ),
            error(
                1,
                "Display consent",
                "",
                "missing column; add a column with this header"
            ),
        ]
    );
}

#[test]
fn partial_third_contact_rejected() {
    let text = format!("{HEADER},Contact 3 name\n{},\n", child("Ava", &[]));
    let columns: Vec<String> = parse_errors(text.as_bytes())
        .into_iter()
        .map(|error| error.column)
        .collect();
    let expected = ["relationship", "phone", "email", "may collect"]
        .map(|detail| format!("Contact 3 {detail}"));
    assert_eq!(columns, expected);
}

#[test]
fn not_utf8_rejected() {
    let mut bytes = file(&[child("Ava", &[]), child("Bea", &[])]).into_bytes();
    let position = bytes.iter().position(|&byte| byte == b'B').unwrap();
    bytes[position + 1] = 0xE9; // "é" in Latin-1
    let message = "the file is not UTF-8 text; in the spreadsheet, save it as \"CSV UTF-8\" and import it again";
    assert_eq!(parse_errors(&bytes), vec![RowError::file(3, message)]);
}

#[test]
fn row_limit_enforced() {
    let rows: Vec<String> = (0..MAX_ROWS)
        .map(|index| child(&format!("Child{index}"), &[]))
        .collect();
    assert_eq!(parse_ok(&file(&rows)).len(), MAX_ROWS);

    let mut rows = rows;
    rows.push(child("Extra", &[]));
    let message = "the file has more than 2000 children; split it into files of at most 2000 children and import each one";
    assert_eq!(
        parse_errors(file(&rows).as_bytes()),
        vec![RowError::file(0, message)]
    );
}

#[test]
fn public_parser_reports_errors() {
    let rows = parse_children_csv(SAMPLE_CSV.as_bytes()).unwrap();
    assert_eq!(rows.len(), 10);
    let errors = parse_children_csv(b"").unwrap_err();
    assert_eq!(errors.len(), 1);
}

#[test]
fn error_display_lines() {
    let errors = vec![
        error(
            4,
            "Date of birth",
            "31/02/2024",
            "not a real date; use dd/mm/yyyy",
        ),
        RowError::file(3, "the file is not UTF-8 text"),
        RowError::file(0, "the file is empty"),
    ];
    let text = crate::import::ImportError::Invalid(errors).to_string();
    let expected =
        "row 4, column \"Date of birth\", value \"31/02/2024\": not a real date; use dd/mm/yyyy\n\
                    row 3: the file is not UTF-8 text\n\
                    the file is empty";
    assert_eq!(text, expected);
}
