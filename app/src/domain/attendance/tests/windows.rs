//! Tests for the date windows: weeks, rolling six weeks, school year, terms and half-terms.

use super::*;
use crate::domain::attendance::windows::{
    half_term, last_week, previous_six_weeks, previous_term, rolling_six_weeks, school_year, term,
    terms, this_week, DateRange, MAX_RANGE_DAYS,
};

fn range(from: NaiveDate, to: NaiveDate) -> DateRange {
    DateRange { from, to }
}

#[test]
fn this_week_runs_monday_to_sunday() {
    let week = range(date(2026, 11, 2), date(2026, 11, 8));
    let cases = [date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 8)];
    for today in cases {
        assert_eq!(this_week(today), week, "{today}");
    }
    assert_eq!(
        this_week(date(2026, 11, 9)),
        range(date(2026, 11, 9), date(2026, 11, 15))
    );
    assert_eq!(last_week(date(2026, 11, 9)), week);
    // Tuesday 29 February 2028.
    assert_eq!(
        this_week(date(2028, 2, 29)),
        range(date(2028, 2, 28), date(2028, 3, 5))
    );
}

#[test]
fn rolling_six_weeks_ends_yesterday() {
    // (today, last six weeks, the six weeks before)
    let cases = [
        (
            date(2026, 12, 7),
            range(date(2026, 10, 26), date(2026, 12, 6)),
            range(date(2026, 9, 14), date(2026, 10, 25)),
        ),
        (
            date(2026, 12, 4),
            range(date(2026, 10, 23), date(2026, 12, 3)),
            range(date(2026, 9, 11), date(2026, 10, 22)),
        ),
        // Over 29 February 2028.
        (
            date(2028, 3, 1),
            range(date(2028, 1, 19), date(2028, 2, 29)),
            range(date(2027, 12, 8), date(2028, 1, 18)),
        ),
    ];
    for (today, recent, previous) in cases {
        let rolling = rolling_six_weeks(today);
        assert_eq!(rolling, recent, "{today}");
        assert!(!rolling.contains(today), "{today}");
        assert_eq!((rolling.to - rolling.from).num_days() + 1, 42, "{today}");
        assert_eq!(previous_six_weeks(today), previous, "{today}");
    }
}

#[test]
fn school_year_turns_on_first_of_september() {
    let cases = [
        (
            date(2026, 8, 31),
            range(date(2025, 9, 1), date(2026, 8, 31)),
        ),
        (date(2026, 9, 1), range(date(2026, 9, 1), date(2027, 8, 31))),
        (
            date(2026, 12, 31),
            range(date(2026, 9, 1), date(2027, 8, 31)),
        ),
        (date(2027, 1, 1), range(date(2026, 9, 1), date(2027, 8, 31))),
        (
            date(2028, 2, 29),
            range(date(2027, 9, 1), date(2028, 8, 31)),
        ),
    ];
    for (day, year) in cases {
        assert_eq!(school_year(day), year, "{day}");
    }
}

#[test]
fn terms_split_at_new_year_and_easter() {
    // Easter Sunday 2027 is 28 March, Easter Monday 29 March.
    let expected = [
        ("Autumn term", range(date(2026, 9, 1), date(2026, 12, 31))),
        ("Spring term", range(date(2027, 1, 1), date(2027, 3, 28))),
        ("Summer term", range(date(2027, 3, 29), date(2027, 8, 31))),
    ];
    assert_eq!(terms(date(2026, 10, 1)), expected);
    let cases = [
        (date(2026, 9, 1), "Autumn term"),
        (date(2026, 12, 31), "Autumn term"),
        (date(2027, 1, 1), "Spring term"),
        (date(2027, 3, 26), "Spring term"),
        (date(2027, 3, 28), "Spring term"),
        (date(2027, 3, 29), "Summer term"),
        (date(2027, 8, 31), "Summer term"),
    ];
    for (day, name) in cases {
        assert_eq!(term(day).0, name, "{day}");
    }
    // Easter Sunday 2028 is 16 April.
    assert_eq!(
        term(date(2028, 2, 29)),
        ("Spring term", range(date(2028, 1, 1), date(2028, 4, 16)))
    );
}

#[test]
fn previous_term_crosses_school_years() {
    let cases = [
        (
            date(2026, 10, 1),
            ("Summer term", range(date(2026, 4, 6), date(2026, 8, 31))),
        ),
        (
            date(2027, 2, 1),
            ("Autumn term", range(date(2026, 9, 1), date(2026, 12, 31))),
        ),
        (
            date(2027, 5, 1),
            ("Spring term", range(date(2027, 1, 1), date(2027, 3, 28))),
        ),
    ];
    for (day, expected) in cases {
        assert_eq!(previous_term(day), expected, "{day}");
    }
}

#[test]
fn half_term_middle_day_split() {
    // Autumn 2026: 1 September + 121 / 2 = 60 days is 31 October. Spring 2027: 1 January +
    // 86 / 2 = 43 days is 13 February. Summer 2027: 29 March + 155 / 2 = 77 days is 14 June.
    let cases = [
        (
            date(2026, 9, 1),
            range(date(2026, 9, 1), date(2026, 10, 31)),
        ),
        (
            date(2026, 10, 31),
            range(date(2026, 9, 1), date(2026, 10, 31)),
        ),
        (
            date(2026, 11, 1),
            range(date(2026, 11, 1), date(2026, 12, 31)),
        ),
        (
            date(2027, 2, 13),
            range(date(2027, 1, 1), date(2027, 2, 13)),
        ),
        (
            date(2027, 2, 14),
            range(date(2027, 2, 14), date(2027, 3, 28)),
        ),
        (
            date(2027, 6, 14),
            range(date(2027, 3, 29), date(2027, 6, 14)),
        ),
        (
            date(2027, 6, 15),
            range(date(2027, 6, 15), date(2027, 8, 31)),
        ),
    ];
    for (day, expected) in cases {
        assert_eq!(half_term(&calendar(), day), expected, "{day}");
    }
}

#[test]
fn half_term_break_split() {
    // Break 26-30 October 2026: first half 1 September to 30 October, second half from
    // 31 October. A training day is not a break, and a break on the term's first day is
    // not wholly inside it.
    let calendar = calendar_with(vec![
        closure(date(2026, 9, 1), date(2026, 9, 4), "term_break"),
        closure(date(2026, 10, 12), date(2026, 10, 12), "training_day"),
        closure(date(2026, 10, 26), date(2026, 10, 30), "term_break"),
    ]);
    let cases = [
        (
            date(2026, 9, 1),
            range(date(2026, 9, 1), date(2026, 10, 30)),
        ),
        (
            date(2026, 10, 28),
            range(date(2026, 9, 1), date(2026, 10, 30)),
        ),
        (
            date(2026, 10, 31),
            range(date(2026, 10, 31), date(2026, 12, 31)),
        ),
        (
            date(2026, 12, 31),
            range(date(2026, 10, 31), date(2026, 12, 31)),
        ),
        // No break inside spring 2027: the middle day rule applies.
        (
            date(2027, 2, 14),
            range(date(2027, 2, 14), date(2027, 3, 28)),
        ),
    ];
    for (day, expected) in cases {
        assert_eq!(half_term(&calendar, day), expected, "{day}");
    }

    // Spring 2027 with a break 15-19 February: halves 1 January to 19 February and
    // 20 February to Easter Sunday, 28 March.
    let spring = calendar_with(vec![closure(
        date(2027, 2, 15),
        date(2027, 2, 19),
        "term_break",
    )]);
    let cases = [
        (
            date(2027, 2, 14),
            range(date(2027, 1, 1), date(2027, 2, 19)),
        ),
        (
            date(2027, 2, 20),
            range(date(2027, 2, 20), date(2027, 3, 28)),
        ),
        (
            date(2027, 3, 28),
            range(date(2027, 2, 20), date(2027, 3, 28)),
        ),
    ];
    for (day, expected) in cases {
        assert_eq!(half_term(&spring, day), expected, "{day}");
    }
}

#[test]
fn custom_range_checks_order_and_length() {
    let from = date(2026, 9, 1);
    assert_eq!(DateRange::custom(from, from), Ok(range(from, from)));
    // 1 September 2026 plus 799 days is 8 November 2028: 800 days counting both ends.
    let longest = date(2028, 11, 8);
    assert_eq!((longest - from).num_days(), MAX_RANGE_DAYS - 1);
    assert_eq!(DateRange::custom(from, longest), Ok(range(from, longest)));
    assert_eq!(
        DateRange::custom(from, date(2028, 11, 9)),
        Err(
            "the range 2026-09-01 to 2028-11-09 is longer than 800 days; choose a shorter one"
                .to_owned()
        )
    );
    assert_eq!(
        DateRange::custom(date(2026, 9, 2), from),
        Err("the start date 2026-09-02 is after the end date 2026-09-01; swap them".to_owned())
    );
}

#[test]
fn date_range_label_and_contains() {
    let autumn = range(date(2026, 9, 2), date(2026, 12, 3));
    assert_eq!(autumn.label(), "2 Sep 2026 to 3 Dec 2026");
    assert!(autumn.contains(date(2026, 9, 2)));
    assert!(autumn.contains(date(2026, 12, 3)));
    assert!(!autumn.contains(date(2026, 9, 1)));
    assert!(!autumn.contains(date(2026, 12, 4)));
}
