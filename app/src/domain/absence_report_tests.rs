//! Checks of parents' absence reports against a London setting open Monday to Friday, with
//! "today" Friday 4 December 2026. Christmas Day and Boxing Day fall on Friday 25 and
//! Saturday 26 December; the bank holidays are Friday 25 and Monday 28 December.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use uuid::Uuid;

use super::absence_report::*;
use super::attendance::sessions::ChildPlan;
use super::calendar::{Closure, SessionTime, SettingCalendar};
use super::reasons::AbsenceReason;

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn session(code: &str, starts: u32, ends: u32) -> SessionTime {
    SessionTime {
        code: code.to_owned(),
        name: code.to_owned(),
        starts: NaiveTime::from_hms_opt(starts, 0, 0).unwrap(),
        ends: NaiveTime::from_hms_opt(ends, 0, 0).unwrap(),
    }
}

/// Open Monday to Friday, morning and afternoon, closed for a training day on Wednesday 16
/// December.
fn calendar() -> SettingCalendar {
    SettingCalendar {
        time_zone: London,
        open_weekdays: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        sessions: vec![session("am", 8, 13), session("pm", 13, 18)],
        closures: vec![Closure {
            first_day: date(12, 16),
            last_day: date(12, 16),
            kind: "training_day".to_owned(),
            name: "Training day".to_owned(),
        }],
    }
}

/// Booked Monday all day, and Tuesday and Friday mornings; on roll since 1 September.
fn plan() -> ChildPlan {
    ChildPlan {
        start: date(9, 1),
        leaving: None,
        bookings: vec![
            (Weekday::Mon, "am".to_owned()),
            (Weekday::Mon, "pm".to_owned()),
            (Weekday::Tue, "am".to_owned()),
            (Weekday::Fri, "am".to_owned()),
        ],
    }
}

fn request(first_day: &str, last_day: &str, sessions: &str, reason: &str) -> ReportRequest {
    ReportRequest {
        id: Uuid::nil(),
        child: Uuid::nil(),
        first_day: first_day.to_owned(),
        last_day: last_day.to_owned(),
        sessions: sessions.to_owned(),
        reason: reason.to_owned(),
        note: String::new(),
    }
}

fn check(
    request: &ReportRequest,
    plan: &ChildPlan,
    existing: &[AbsenceReport],
    marked: bool,
) -> Result<CheckedReport, Refusal> {
    check_report(
        request,
        ReportFacts {
            calendar: &calendar(),
            plan,
            first_name: "Mia",
            today: date(12, 4),
            days_ahead: 60,
            marked_today: marked,
            existing,
        },
    )
}

fn stored(
    first_day: NaiveDate,
    last_day: NaiveDate,
    sessions: &[&str],
    withdrawn: bool,
) -> AbsenceReport {
    AbsenceReport {
        id: Uuid::now_v7(),
        child: Uuid::nil(),
        first_day,
        last_day,
        sessions: sessions.iter().map(|s| (*s).to_owned()).collect(),
        reason: AbsenceReason::Illness,
        note: None,
        reported_at: Utc.with_ymd_and_hms(2026, 12, 4, 7, 45, 0).unwrap(),
        withdrawn,
    }
}

#[test]
fn accepted_reports_list_the_booked_open_days() {
    // (first, last, sessions, covered days)
    let cases: [(&str, &str, &str, &[NaiveDate]); 6] = [
        // Today, Friday: booked in the morning.
        ("2026-12-04", "", "", &[date(12, 4)]),
        // Monday 7 to Friday 11 December: Mon, Tue and Fri are booked; Wed and Thu are not.
        (
            "2026-12-07",
            "2026-12-11",
            "",
            &[date(12, 7), date(12, 8), date(12, 11)],
        ),
        // Afternoons only that week: just Monday has an afternoon booking.
        ("2026-12-07", "2026-12-11", "pm", &[date(12, 7)]),
        // Monday 14 to Friday 18: the training day is Wednesday, not booked anyway.
        (
            "2026-12-14",
            "2026-12-18",
            "am",
            &[date(12, 14), date(12, 15), date(12, 18)],
        ),
        // Thursday 24 to Tuesday 29 December: Christmas Day and Monday 28's bank holiday
        // are closed, leaving Tuesday 29.
        ("2026-12-24", "2026-12-29", "", &[date(12, 29)]),
        // Both sessions chosen is the whole day.
        ("2026-12-07", "", "am,pm", &[date(12, 7)]),
    ];
    for (first, last, sessions, days) in cases {
        let checked = check(
            &request(first, last, sessions, "illness"),
            &plan(),
            &[],
            false,
        )
        .unwrap_or_else(|refusal| panic!("{first}..{last} {sessions}: {refusal:?}"));
        assert_eq!(checked.days, days, "{first}..{last} {sessions}");
    }
    let whole = check(
        &request("2026-12-07", "", "am,pm", "illness"),
        &plan(),
        &[],
        false,
    )
    .unwrap();
    assert!(
        whole.sessions.is_empty(),
        "every session is stored as the whole day"
    );
}

#[test]
fn refused_reports_name_the_problem() {
    // (first, last, sessions, reason, field, words the message contains)
    let cases = [
        (
            "2026-12-03",
            "",
            "",
            "illness",
            "first_day",
            "Thursday 3 December 2026 has passed",
        ),
        (
            "2026-12-09",
            "2026-12-07",
            "",
            "illness",
            "last_day",
            "is before the first day",
        ),
        (
            "2026-12-07",
            "",
            "",
            "sunburn",
            "reason",
            "\"sunburn\" is not one of the reasons",
        ),
        (
            "2026-12-07",
            "",
            "",
            "setting_closed",
            "reason",
            "is not one of the reasons",
        ),
        (
            "2026-12-07",
            "",
            "",
            "not_yet_known",
            "reason",
            "is not one of the reasons",
        ),
        (
            "2026-12-07",
            "",
            "eve",
            "illness",
            "sessions",
            "\"eve\" is not a session here",
        ),
        (
            "7/12/2026",
            "",
            "",
            "illness",
            "first_day",
            "\"7/12/2026\" is not a date",
        ),
        (
            "2026-12-05",
            "",
            "",
            "illness",
            "first_day",
            "does not open on Saturdays",
        ),
        (
            "2026-12-25",
            "",
            "",
            "illness",
            "first_day",
            "closed on Friday 25 December 2026 (Christmas Day)",
        ),
        ("2026-12-16", "", "", "illness", "first_day", "Training day"),
        (
            "2026-12-09",
            "",
            "",
            "illness",
            "first_day",
            "Mia is not booked for any session on Wednesday",
        ),
        (
            "2026-12-08",
            "",
            "pm",
            "illness",
            "first_day",
            "not booked for that session",
        ),
        (
            "2026-12-09",
            "2026-12-10",
            "",
            "illness",
            "first_day",
            "no booked sessions from",
        ),
        // 60 days after Friday 4 December is Tuesday 2 February 2027; the 3rd is one too many.
        (
            "2027-02-01",
            "2027-02-03",
            "",
            "illness",
            "last_day",
            "more than 60 days ahead",
        ),
    ];
    for (first, last, sessions, reason, field, words) in cases {
        let refusal =
            check(&request(first, last, sessions, reason), &plan(), &[], false).expect_err(first);
        assert_eq!(refusal.field, field, "{first}..{last}: {}", refusal.message);
        assert!(
            refusal.message.contains(words),
            "{first}..{last}: {}",
            refusal.message
        );
    }
    // The furthest day allowed is accepted: Tuesday 2 February 2027, booked in the morning.
    let furthest = check(
        &request("2027-02-02", "", "", "illness"),
        &plan(),
        &[],
        false,
    )
    .unwrap();
    assert_eq!(
        furthest.days,
        [NaiveDate::from_ymd_opt(2027, 2, 2).unwrap()]
    );
}

#[test]
fn reports_before_the_start_or_after_leaving_are_refused() {
    let joiner = ChildPlan {
        start: date(12, 14),
        ..plan()
    };
    let refusal = check(
        &request("2026-12-07", "2026-12-08", "", "illness"),
        &joiner,
        &[],
        false,
    )
    .unwrap_err();
    assert!(
        refusal
            .message
            .contains("Mia starts on Monday 14 December 2026"),
        "{}",
        refusal.message
    );
    // A range running into the start date covers only the days from the start.
    let across = check(
        &request("2026-12-11", "2026-12-15", "", "illness"),
        &joiner,
        &[],
        false,
    )
    .unwrap();
    assert_eq!(across.days, [date(12, 14), date(12, 15)]);

    let leaver = ChildPlan {
        leaving: Some(date(12, 11)),
        ..plan()
    };
    let refusal = check(
        &request("2026-12-14", "", "", "illness"),
        &leaver,
        &[],
        false,
    )
    .unwrap_err();
    assert!(
        refusal
            .message
            .contains("last day is Friday 11 December 2026"),
        "{}",
        refusal.message
    );
}

#[test]
fn overlapping_reports_are_refused_and_withdrawn_ones_are_not_counted() {
    let monday_morning = [stored(date(12, 7), date(12, 7), &["am"], false)];
    let refusal = check(
        &request("2026-12-07", "2026-12-08", "", "illness"),
        &plan(),
        &monday_morning,
        false,
    )
    .unwrap_err();
    assert!(
        refusal
            .message
            .contains("already reported away on Monday 7 December 2026 (Illness)"),
        "{}",
        refusal.message
    );
    // Monday afternoon alone does not overlap a Monday-morning report.
    assert!(check(
        &request("2026-12-07", "", "pm", "illness"),
        &plan(),
        &monday_morning,
        false
    )
    .is_ok());
    let withdrawn = [stored(date(12, 7), date(12, 11), &[], true)];
    assert!(check(
        &request("2026-12-07", "2026-12-08", "", "illness"),
        &plan(),
        &withdrawn,
        false
    )
    .is_ok());
}

#[test]
fn a_child_already_on_todays_register_cannot_be_reported_for_today() {
    let refusal = check(
        &request("2026-12-04", "", "", "illness"),
        &plan(),
        &[],
        true,
    )
    .unwrap_err();
    assert!(
        refusal.message.contains("already on today's register"),
        "{}",
        refusal.message
    );
    assert!(check(
        &request("2026-12-07", "", "", "illness"),
        &plan(),
        &[],
        true
    )
    .is_ok());
}

#[test]
fn notes_are_trimmed_and_limited() {
    let mut long = request("2026-12-07", "", "", "illness");
    long.note = "a".repeat(MAX_NOTE_CHARS + 1);
    assert_eq!(check(&long, &plan(), &[], false).unwrap_err().field, "note");
    long.note = format!("  {}  ", "é".repeat(MAX_NOTE_CHARS));
    assert_eq!(
        check(&long, &plan(), &[], false)
            .unwrap()
            .note
            .map(|n| n.chars().count()),
        Some(MAX_NOTE_CHARS)
    );
    long.note = "   ".to_owned();
    assert_eq!(check(&long, &plan(), &[], false).unwrap().note, None);
}

#[test]
fn coverage_and_withdrawal_follow_the_dates() {
    let report = stored(date(12, 7), date(12, 8), &["am"], false);
    assert!(report.covers(date(12, 7), "am"));
    assert!(!report.covers(date(12, 7), "pm"));
    assert!(!report.covers(date(12, 9), "am"));
    // Monday is booked all day but the report covers the morning only; Tuesday is booked in
    // the morning only.
    assert!(!report.covers_booked_day(&plan(), &calendar(), date(12, 7)));
    assert!(report.covers_booked_day(&plan(), &calendar(), date(12, 8)));
    assert!(may_withdraw(&report, date(12, 6)));
    assert!(
        !may_withdraw(&report, date(12, 7)),
        "a report that has started stays"
    );
    assert!(!may_withdraw(
        &AbsenceReport {
            withdrawn: true,
            ..report.clone()
        },
        date(12, 4)
    ));
    assert!(!AbsenceReport {
        withdrawn: true,
        ..report
    }
    .covers(date(12, 7), "am"));
}

#[test]
fn a_morning_and_an_afternoon_report_cover_the_whole_day() {
    let morning = stored(date(12, 7), date(12, 7), &["am"], false);
    let afternoon = stored(date(12, 7), date(12, 7), &["pm"], false);
    let withdrawn = stored(date(12, 7), date(12, 7), &["pm"], true);
    assert!(day_covered(
        &[&morning, &afternoon],
        &plan(),
        &calendar(),
        date(12, 7)
    ));
    assert!(!day_covered(&[&morning], &plan(), &calendar(), date(12, 7)));
    assert!(!day_covered(
        &[&morning, &withdrawn],
        &plan(),
        &calendar(),
        date(12, 7)
    ));
    // Wednesday is not booked, so nothing can cover it.
    let wednesday = stored(date(12, 9), date(12, 9), &[], false);
    assert!(!day_covered(
        &[&wednesday],
        &plan(),
        &calendar(),
        date(12, 9)
    ));
}
