//! Tests for the first-day call list, home-visit prompts and runs of unexplained days.

use chrono::Weekday::{Mon, Tue};

use super::*;
use crate::domain::attendance::first_day::{
    call_due, home_visit_prompt, unexplained_run, CallOutcome,
};

const MARGIN: u32 = 30;

/// A London wall-clock time as (hour, minute).
type Clock = (u32, u32);

/// (name, plan, register day, absence reported, now, due)
type CallCase<'a> = (
    &'a str,
    &'a ChildPlan,
    Option<&'a ChildDay>,
    bool,
    Clock,
    Option<Clock>,
);

/// (calls today, unexplained run, run needed, on call list, prompt)
type PromptCase<'a> = (&'a [CallOutcome], u32, u32, bool, Option<String>);

/// Monday 2 November 2026 (GMT, so London and UTC agree).
fn monday() -> NaiveDate {
    date(2026, 11, 2)
}

#[test]
fn call_due_after_margin() {
    let day = monday();
    let arrived = visit_day(day, london(day, 8, 5), None);
    let ill = absent_day(day, AbsenceReason::Illness);
    let not_known = absent_day(day, AbsenceReason::NotYetKnown);
    let undone = undone_arrival_day(day);

    let full = full_time();
    let afternoons = plan(date(2026, 9, 1), None, &[Mon], &["pm"]);
    let tuesdays = plan(date(2026, 9, 1), None, &[Tue], &["am", "pm"]);
    let joins_later = plan(date(2026, 11, 9), None, &WEEKDAYS, &["am"]);

    let cases: [CallCase; 13] = [
        ("before the margin", &full, None, false, (8, 29), None),
        ("at the margin", &full, None, false, (8, 30), Some((8, 30))),
        ("later", &full, None, false, (10, 0), Some((8, 30))),
        ("arrived", &full, Some(&arrived), false, (10, 0), None),
        ("marked ill", &full, Some(&ill), false, (10, 0), None),
        (
            "marked not yet known",
            &full,
            Some(&not_known),
            false,
            (10, 0),
            None,
        ),
        (
            "arrival undone",
            &full,
            Some(&undone),
            false,
            (10, 0),
            Some((8, 30)),
        ),
        ("parent reported", &full, None, true, (10, 0), None),
        ("not booked today", &tuesdays, None, false, (10, 0), None),
        (
            "afternoon only, morning",
            &afternoons,
            None,
            false,
            (10, 0),
            None,
        ),
        (
            "afternoon only, 13:29",
            &afternoons,
            None,
            false,
            (13, 29),
            None,
        ),
        (
            "afternoon only, 13:30",
            &afternoons,
            None,
            false,
            (13, 30),
            Some((13, 30)),
        ),
        ("not on roll yet", &joins_later, None, false, (10, 0), None),
    ];

    for (name, plan, child_day, reported, (hour, minute), due) in cases {
        let now = london(day, hour, minute);
        let found = call_due(
            &calendar(),
            plan,
            child_day,
            &|_: &str| reported,
            now,
            MARGIN,
        );
        let expected = due.map(|(hour, minute)| london(day, hour, minute));
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn call_due_local_time_closures() {
    // Monday 15 June 2026 is BST: the morning starts at 07:00 UTC, so the call is due at
    // 07:30 UTC.
    let summer = date(2026, 6, 15);
    let full = full_time();
    let found = call_due(
        &calendar(),
        &full,
        None,
        &|_: &str| false,
        utc(summer, 7, 29),
        MARGIN,
    );
    assert_eq!(found, None);
    let found = call_due(
        &calendar(),
        &full,
        None,
        &|_: &str| false,
        utc(summer, 7, 30),
        MARGIN,
    );
    assert_eq!(found, Some(utc(summer, 7, 30)));

    // A training day and a bank holiday (Christmas Day 2026) have no call list.
    let training = calendar_with(vec![closure(monday(), monday(), "training_day")]);
    let found = call_due(
        &training,
        &full,
        None,
        &|_: &str| false,
        london(monday(), 10, 0),
        MARGIN,
    );
    assert_eq!(found, None);
    let christmas = date(2026, 12, 25);
    let found = call_due(
        &calendar(),
        &full,
        None,
        &|_: &str| false,
        london(christmas, 10, 0),
        MARGIN,
    );
    assert_eq!(found, None);
}

#[test]
fn home_visit_prompt_cases() {
    let run_words = |days: u32| {
        format!(
            "Absent with no reason given for {days} booked days in a row: arrange a home visit \
             and follow your safeguarding procedure."
        )
    };
    let no_contact = "No contact with the family today: arrange a home visit and follow your \
                      safeguarding procedure."
        .to_owned();
    use CallOutcome::{NoAnswer, Reached, WrongNumber};
    let cases: [PromptCase; 9] = [
        (&[], 2, 2, false, Some(run_words(2))),
        (&[NoAnswer], 3, 2, true, Some(run_words(3))),
        (&[], 1, 2, false, None),
        (&[], 1, 2, true, None),
        (&[NoAnswer], 1, 2, true, Some(no_contact.clone())),
        (
            &[WrongNumber, NoAnswer],
            0,
            2,
            true,
            Some(no_contact.clone()),
        ),
        (&[NoAnswer, Reached], 1, 2, true, None),
        (&[WrongNumber], 0, 2, false, None),
        (&[], 2, 3, false, None),
    ];
    for (calls, run, needed, listed, prompt) in cases {
        let found = home_visit_prompt(calls, run, needed, listed);
        assert_eq!(
            found, prompt,
            "{calls:?}, run {run} of {needed}, listed {listed}"
        );
    }
}

#[test]
fn unexplained_run_cases() {
    // Friday 6 November 2026 back to Monday 2 November. `None` marks a day that is not a
    // booked open day and is skipped.
    let week = |fri, thu, wed, tue, mon| {
        move |day: NaiveDate| match day.format("%d").to_string().as_str() {
            "06" => fri,
            "05" => thu,
            "04" => wed,
            "03" => tue,
            "02" => mon,
            _ => Some(true),
        }
    };
    let cases = [
        (
            week(Some(true), Some(true), None, Some(true), Some(false)),
            date(2026, 11, 2),
            3,
        ),
        (
            week(Some(true), Some(true), None, Some(true), Some(false)),
            date(2026, 11, 4),
            2,
        ),
        (
            week(Some(false), Some(true), Some(true), Some(true), Some(true)),
            date(2026, 11, 2),
            0,
        ),
        (
            week(None, Some(true), Some(false), Some(true), Some(true)),
            date(2026, 11, 2),
            1,
        ),
        // Every day unexplained: the walk stops at the earliest date.
        (
            week(Some(true), Some(true), Some(true), Some(true), Some(true)),
            date(2026, 11, 2),
            5,
        ),
    ];
    for (index, (lookup, earliest, run)) in cases.into_iter().enumerate() {
        assert_eq!(
            unexplained_run(date(2026, 11, 6), earliest, lookup),
            run,
            "case {index}"
        );
    }
}

#[test]
fn call_outcome_codes_round_trip() {
    for outcome in CallOutcome::ALL {
        assert_eq!(CallOutcome::from_code(outcome.code()), Some(outcome));
    }
    assert_eq!(CallOutcome::NoAnswer.code(), "no_answer");
    assert_eq!(CallOutcome::Reached.label(), "Reached: reason given");
    assert_eq!(CallOutcome::from_code("engaged"), None);
}

#[test]
fn a_reported_morning_moves_the_call_to_the_afternoon() {
    // Booked all day; the parent reported the morning only. The afternoon starts at 13:00, so
    // the call is due at 13:30, not at 08:30.
    let full = full_time();
    let morning_only = |code: &str| code == "am";
    let at = |hour, minute| london(monday(), hour, minute);
    assert_eq!(
        call_due(&calendar(), &full, None, &morning_only, at(9, 0), MARGIN),
        None
    );
    assert_eq!(
        call_due(&calendar(), &full, None, &morning_only, at(13, 30), MARGIN),
        Some(at(13, 30))
    );
    let whole_day = |_: &str| true;
    assert_eq!(
        call_due(&calendar(), &full, None, &whole_day, at(15, 0), MARGIN),
        None
    );
}
