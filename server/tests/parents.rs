//! Absences reported by parents, through the real app on a random port with a real SQLite
//! file: reaching the room tablet and the call list, refusals, resends and withdrawals. The
//! fixture's clock reads Wednesday 2 December 2026, 09:30; Ava is booked every weekday morning
//! and afternoon, Noah on Monday mornings.

mod common;

use serde_json::{json, Value};
use uuid::Uuid;

use app::store::accounts::Role;
use common::{
    account, call_fn, manager_account, post_json, signed_in_client, spawn_app, Fixture, TestApp,
};

/// Signs in a parent of Ava and a manager.
async fn people(app: &TestApp, f: &Fixture) -> (reqwest::Client, reqwest::Client) {
    account(
        app,
        f,
        "ava.parent@test.example",
        Role::Parent,
        None,
        vec![],
        vec![f.ava],
    )
    .await;
    manager_account(app, f).await;
    let parent = signed_in_client(app, "ava.parent@test.example").await;
    let manager = signed_in_client(app, "manager@test.example").await;
    (parent, manager)
}

/// Sends a report for Ava and returns the status and reply.
async fn report(
    app: &TestApp,
    parent: &reqwest::Client,
    id: Uuid,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let id = id.to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend_from_slice(fields);
    call_fn(app, parent, "report-absence", &form).await
}

async fn report_count(app: &TestApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM absence_reports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    count
}

/// Reads the tablet's card for a child from a sync with no cursor.
async fn tablet_card(app: &TestApp, f: &Fixture, child: Uuid) -> Value {
    let (status, body) = post_json(
        app,
        "/api/sync",
        &json!({
            "device_id": "tablet-a", "room_id": f.room, "cursor": null,
            "device_now": common::wednesday_morning(), "events": []
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["register"]["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|card| card["id"] == json!(child))
        .cloned()
        .unwrap()
}

/// A report's fields, the status it gets, the field named and words in the message.
type BadReport<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str, &'a str);

fn names(morning: &Value, list: &str) -> Vec<String> {
    morning[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_for_today_reaches_the_tablet_and_clears_the_call_list() {
    let (app, f) = spawn_app().await;
    let (parent, manager) = people(&app, &f).await;
    let (_, morning) = call_fn(&app, &manager, "morning", &[]).await;
    assert_eq!(names(&morning, "calls"), ["Ava Whitfield"], "{morning}");
    let before = tablet_card(&app, &f, f.ava).await;
    assert!(before["expected_absence"].is_null());
    assert!(before["reported_reason"].is_null());

    let fields = [
        ("child", f.ava.to_string()),
        ("first_day", "2026-12-02".to_owned()),
        ("reason", "illness".to_owned()),
        ("note", "Temperature overnight".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = report(&app, &parent, Uuid::now_v7(), &fields).await;
    assert_eq!(status, 200, "{body}");

    let card = tablet_card(&app, &f, f.ava).await;
    assert_eq!(
        card["expected_absence"],
        "Expected absent: Illness (reported by parent at 09:30)"
    );
    assert_eq!(card["reported_reason"], "illness");
    assert!(
        !card.to_string().contains("Temperature"),
        "the note stays off the tablet"
    );
    let (_, morning) = call_fn(&app, &manager, "morning", &[]).await;
    assert!(names(&morning, "calls").is_empty(), "{morning}");
    assert_eq!(names(&morning, "reported"), ["Ava Whitfield"]);
    assert!(morning["reported"][0]["words"]
        .as_str()
        .unwrap()
        .ends_with("Note: Temperature overnight"));

    // The parent's page shows the day in words, and the manager's figures count the missed
    // morning as illness rather than unexplained.
    let (_, home) = call_fn(&app, &parent, "my-children", &[]).await;
    assert_eq!(home["children"][0]["today"], "Away: you told us (illness)");
    let ava = f.ava.to_string();
    let (_, child) = call_fn(&app, &manager, "child-report", &[("child", &ava)]).await;
    let reasons = child["reasons"].to_string();
    assert!(reasons.contains("Illness"), "{reasons}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_sent_twice_is_stored_once_and_bad_reports_say_why() {
    let (app, f) = spawn_app().await;
    let (parent, _) = people(&app, &f).await;
    let ava = f.ava.to_string();
    let id = Uuid::now_v7();
    let friday = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-04"),
        ("reason", "illness"),
    ];
    for _ in 0..2 {
        let (status, body) = report(&app, &parent, id, &friday).await;
        assert_eq!(status, 200, "a resend is accepted again: {body}");
    }
    assert_eq!(report_count(&app).await, 1);

    // (fields, status, field named, words in the message)
    let bad: Vec<BadReport> = vec![
        (
            friday.to_vec(),
            422,
            "first_day",
            "already reported away on Friday 4 December 2026",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2026-12-09"),
                ("last_day", "2026-12-08"),
                ("reason", "illness"),
            ],
            422,
            "last_day",
            "is before the first day",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2026-12-07"),
                ("reason", "sunburn"),
            ],
            422,
            "reason",
            "\"sunburn\"",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2027-06-07"),
                ("reason", "illness"),
            ],
            422,
            "last_day",
            "more than 60 days ahead",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2026-12-01"),
                ("reason", "illness"),
            ],
            422,
            "first_day",
            "has passed",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2026-12-25"),
                ("reason", "illness"),
            ],
            422,
            "first_day",
            "Christmas Day",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "next week"),
                ("reason", "illness"),
            ],
            422,
            "first_day",
            "is not a date",
        ),
        (
            vec![
                ("child", &ava),
                ("first_day", "2026-12-07"),
                ("reason", "illness"),
                ("sessions", "evening"),
            ],
            422,
            "sessions",
            "\"evening\"",
        ),
    ];
    for (fields, status, field, words) in bad {
        let (got, body) = report(&app, &parent, Uuid::now_v7(), &fields).await;
        assert_eq!(got, status, "{fields:?}: {body}");
        assert_eq!(body["field"], field, "{fields:?}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(words), "{fields:?}: {message}");
    }
    // Another family's child, or no child at all, is "not found".
    let noah = f.noah.to_string();
    let stranger = Uuid::now_v7().to_string();
    for child in [noah.as_str(), stranger.as_str()] {
        let fields = [
            ("child", child),
            ("first_day", "2026-12-07"),
            ("reason", "illness"),
        ];
        let (status, body) = report(&app, &parent, Uuid::now_v7(), &fields).await;
        assert_eq!(status, 404, "{body}");
    }
    // The same id with other details is refused, not stored over the first.
    let changed = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-07"),
        ("reason", "other"),
    ];
    let (status, body) = report(&app, &parent, id, &changed).await;
    assert_eq!(status, 409, "{body}");
    let noted = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-04"),
        ("reason", "illness"),
        ("note", "a different note"),
    ];
    let (status, body) = report(&app, &parent, id, &noted).await;
    assert_eq!(status, 409, "the same id with another note: {body}");
    let (status, body) = call_fn(&app, &parent, "report-absence", &[("id", "not-an-id")]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(report_count(&app).await, 1, "nothing else was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_withdraws_a_future_report_but_not_one_that_has_started() {
    let (app, f) = spawn_app().await;
    let (parent, _) = people(&app, &f).await;
    let ava = f.ava.to_string();
    let (future, today) = (Uuid::now_v7(), Uuid::now_v7());
    let range = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-07"),
        ("last_day", "2026-12-09"),
        ("sessions", "pm"),
        ("reason", "medical_appointment"),
    ];
    assert_eq!(report(&app, &parent, future, &range).await.0, 200);
    let now = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-02"),
        ("reason", "illness"),
    ];
    assert_eq!(report(&app, &parent, today, &now).await.0, 200);

    let (_, home) = call_fn(&app, &parent, "my-children", &[]).await;
    let reports = &home["children"][0]["reports"];
    assert_eq!(
        reports[1]["days"],
        "Monday 7 December 2026 to Wednesday 9 December 2026"
    );
    assert_eq!(
        reports[1]["reason"],
        "Medical or dental appointment (Afternoon)"
    );
    assert_eq!(reports[1]["may_withdraw"], true);
    assert_eq!(reports[0]["may_withdraw"], false);

    let withdraw = |id: Uuid| {
        let parent = parent.clone();
        let app = &app;
        async move {
            call_fn(
                app,
                &parent,
                "withdraw-absence",
                &[("report", &id.to_string())],
            )
            .await
        }
    };
    assert_eq!(withdraw(future).await.0, 200);
    assert_eq!(
        withdraw(future).await.0,
        200,
        "withdrawing twice changes nothing"
    );
    let (status, body) = withdraw(today).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("phone the setting"));
    assert_eq!(withdraw(Uuid::now_v7()).await.0, 404);

    let (_, home) = call_fn(&app, &parent, "my-children", &[]).await;
    assert_eq!(home["children"][0]["reports"].as_array().unwrap().len(), 1);
    // The withdrawn days can be reported again.
    assert_eq!(report(&app, &parent, Uuid::now_v7(), &range).await.0, 200);

    // Nothing is overwritten: both tables refuse updates and deletes.
    for sql in [
        "UPDATE absence_reports SET reason = 'other'",
        "DELETE FROM absence_reports",
        "DELETE FROM absence_report_withdrawals",
    ] {
        let refused = sqlx::query(sql).execute(&app.pool).await;
        assert!(refused.is_err(), "{sql} was allowed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_parent_cannot_see_or_withdraw_a_report() {
    let (app, f) = spawn_app().await;
    let (parent, _) = people(&app, &f).await;
    account(
        &app,
        &f,
        "noah.parent@test.example",
        Role::Parent,
        None,
        vec![],
        vec![f.noah],
    )
    .await;
    let other = signed_in_client(&app, "noah.parent@test.example").await;
    let id = Uuid::now_v7();
    let ava = f.ava.to_string();
    let fields = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-07"),
        ("reason", "illness"),
    ];
    assert_eq!(report(&app, &parent, id, &fields).await.0, 200);

    let (status, _) = call_fn(
        &app,
        &other,
        "withdraw-absence",
        &[("report", &id.to_string())],
    )
    .await;
    assert_eq!(status, 404);
    let (_, home) = call_fn(&app, &other, "my-children", &[]).await;
    let text = home.to_string();
    assert!(!text.contains("Ava") && !text.contains(&ava), "{text}");
    assert_eq!(home["children"][0]["first_name"], "Noah");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_withdrawals_at_once_all_succeed() {
    let (app, f) = spawn_app().await;
    let (parent, _) = people(&app, &f).await;
    let ava = f.ava.to_string();
    // Twelve weekdays from Monday 7 December, each its own report.
    let mut ids = Vec::new();
    for n in 0..12i64 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
            + chrono::Duration::days(7 * (n / 5) + n % 5);
        let day = day.to_string();
        let id = Uuid::now_v7();
        let fields = [
            ("child", ava.as_str()),
            ("first_day", day.as_str()),
            ("reason", "illness"),
        ];
        assert_eq!(report(&app, &parent, id, &fields).await.0, 200, "{day}");
        ids.push(id);
    }
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let (client, address) = (parent.clone(), app.address.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{address}/api/withdraw-absence"))
                    .form(&[("report", id.to_string())])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let (withdrawn,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM absence_report_withdrawals")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(withdrawn, 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_morning_report_waits_for_the_afternoon_and_shows_its_note() {
    let (app, f) = spawn_app().await;
    let (parent, manager) = people(&app, &f).await;
    let ava = f.ava.to_string();
    let morning_only = [
        ("child", ava.as_str()),
        ("first_day", "2026-12-02"),
        ("sessions", "am"),
        ("reason", "medical_appointment"),
        ("note", "Dentist at 9, back for lunch"),
    ];
    assert_eq!(
        report(&app, &parent, Uuid::now_v7(), &morning_only).await.0,
        200
    );

    // At 09:30 the afternoon (from 13:00) has not started, so Ava is not called yet.
    let (_, morning) = call_fn(&app, &manager, "morning", &[]).await;
    assert!(names(&morning, "calls").is_empty(), "{morning}");
    assert_eq!(names(&morning, "reported"), ["Ava Whitfield"]);
    let card = tablet_card(&app, &f, f.ava).await;
    assert_eq!(
        card["expected_absence"],
        "Expected absent (Morning): Medical or dental appointment (reported by parent at 09:30)"
    );
    let (_, home) = call_fn(&app, &parent, "my-children", &[]).await;
    assert_eq!(home["children"][0]["today"], "Expected, not arrived yet");
    let (_, child) = call_fn(&app, &manager, "child-report", &[("child", &ava)]).await;
    let reported = child["reported"][0].as_str().unwrap();
    assert!(
        reported.starts_with("Wednesday 2 December 2026: Medical or dental appointment (Morning)"),
        "{reported}"
    );
    assert!(
        reported.ends_with("Note: Dentist at 9, back for lunch"),
        "{reported}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carer_of_two_rooms_sees_both_children() {
    let (app, f) = spawn_app().await;
    let toddlers = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months) \
         VALUES (?, ?, 'Toddlers', 24, 36)",
    )
    .bind(toddlers.to_string())
    .bind(f.setting.to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE children SET room_id = ? WHERE id = ?")
        .bind(toddlers.to_string())
        .bind(f.noah.to_string())
        .execute(&app.pool)
        .await
        .unwrap();
    account(
        &app,
        &f,
        "carer@test.example",
        Role::Parent,
        None,
        vec![],
        vec![f.ava, f.noah],
    )
    .await;
    let carer = signed_in_client(&app, "carer@test.example").await;

    let (status, home) = call_fn(&app, &carer, "my-children", &[]).await;
    assert_eq!(status, 200, "{home}");
    let mut seen: Vec<(String, String)> = home["children"]
        .as_array()
        .expect("a list of children")
        .iter()
        .map(|child| {
            (
                child["first_name"].as_str().unwrap().to_owned(),
                child["room"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("Ava".to_owned(), "Pre-school".to_owned()),
            ("Noah".to_owned(), "Toddlers".to_owned()),
        ]
    );

    // The carer reports for the child in the other room; Noah is booked on Monday mornings.
    let noah = f.noah.to_string();
    let fields = [
        ("child", noah.as_str()),
        ("first_day", "2026-12-07"),
        ("reason", "illness"),
    ];
    let (status, body) = report(&app, &carer, Uuid::now_v7(), &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(report_count(&app).await, 1);
}
