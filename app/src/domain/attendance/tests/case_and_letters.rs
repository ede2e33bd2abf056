//! Tests for the case log's review dates and action kinds, and for letter templates.

use super::*;
use crate::domain::attendance::case::{review_due, ActionKind};
use crate::domain::attendance::letters::{fill, unknown_placeholders, LetterKind, PLACEHOLDERS};

/// Case-log entries as (date made, next review).
type Entries = Vec<(NaiveDate, Option<NaiveDate>)>;

#[test]
fn review_due_latest_unheld() {
    let jan = |day| date(2027, 1, day);
    let feb = date(2027, 2, 1);
    // (entries as (made, next review), review due)
    let cases: [(Entries, Option<NaiveDate>); 8] = [
        (vec![], None),
        (vec![(jan(1), None)], None),
        (vec![(jan(1), Some(jan(15)))], Some(jan(15))),
        // An entry before the review date does not count as the review.
        (
            vec![(jan(1), Some(jan(15))), (jan(10), None)],
            Some(jan(15)),
        ),
        // An entry on the review date does.
        (vec![(jan(1), Some(jan(15))), (jan(15), None)], None),
        (vec![(jan(1), Some(jan(15))), (jan(20), None)], None),
        // A later entry that sets a new review replaces the old one.
        (
            vec![(jan(1), Some(jan(15))), (jan(10), Some(feb))],
            Some(feb),
        ),
        (
            vec![
                (jan(1), Some(jan(15))),
                (jan(20), Some(feb)),
                (jan(25), None),
            ],
            Some(feb),
        ),
    ];
    for (entries, due) in cases {
        assert_eq!(review_due(&entries), due, "{entries:?}");
    }
}

#[test]
fn action_kinds_round_trip_and_plans() {
    for kind in ActionKind::ALL {
        assert_eq!(ActionKind::from_code(kind.code()), Some(kind));
        let plan = matches!(kind, ActionKind::FamilyMeeting | ActionKind::FamilyTarget);
        assert_eq!(kind.is_family_plan(), plan, "{kind:?}");
    }
    assert_eq!(ActionKind::from_code("phone"), None);
    assert_eq!(
        ActionKind::FamilyMeeting.label(),
        "Team-around-the-family meeting"
    );
}

fn values() -> Vec<(&'static str, String)> {
    [
        ("{carer}", "Sam Jones"),
        ("{child}", "Amara"),
        ("{setting}", "Little Acorns"),
        ("{manager}", "Priya Shah"),
        ("{recent_rate}", "84%"),
        ("{recent_attended}", "21"),
        ("{recent_possible}", "25"),
        ("{previous_rate}", "96%"),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_owned()))
    .collect()
}

#[test]
fn letters_fill_every_placeholder() {
    let concern = fill(LetterKind::Concern.default_template(), &values());
    assert!(concern.starts_with("Dear Sam Jones,\n"));
    assert!(concern.contains(
        "Over the last 6 weeks Amara attended 21 of 25 booked sessions (84%). \
         In the 6 weeks before that it was 96%."
    ));
    assert!(concern.ends_with("Priya Shah\nLittle Acorns"));
    assert!(!concern.contains('{'));

    let progress = fill(LetterKind::Progress.default_template(), &values());
    assert!(progress.contains(
        "Over the last 6 weeks Amara attended 21 of 25 booked sessions (84%). In the 6 weeks \
         before that it was 96%."
    ));
    assert!(!progress.contains('{'));
}

#[test]
fn letters_fill_leaves_unknown_names_as_written() {
    let cases = [
        (
            "Dear {carer}, {child} and {sibling}.",
            "Dear Sam Jones, Amara and {sibling}.",
        ),
        ("{{child}}", "{Amara}"),
        ("{} {child}", "{} Amara"),
        ("No closing {child", "No closing {child"),
        ("", ""),
    ];
    for (template, expected) in cases {
        assert_eq!(fill(template, &values()), expected, "{template}");
    }
}

#[test]
fn letters_fill_does_not_replace_inside_values() {
    // A name that happens to contain a placeholder is printed as typed.
    let values = [
        ("{carer}", "{child}'s gran".to_owned()),
        ("{child}", "Amara".to_owned()),
    ];
    assert_eq!(
        fill("Dear {carer}, about {child}", &values),
        "Dear {child}'s gran, about Amara"
    );
}

#[test]
fn unknown_placeholders_are_listed_in_order() {
    let cases: [(&str, Vec<&str>); 6] = [
        (LetterKind::Concern.default_template(), vec![]),
        (LetterKind::Progress.default_template(), vec![]),
        (
            "Dear {parent}, {child} is {Child}.",
            vec!["{parent}", "{Child}"],
        ),
        ("{{child}}", vec!["{{child}"]),
        // A brace left open is a placeholder typed half-way.
        ("No closing {child", vec!["{child"]),
        ("{} and {recent rate}", vec!["{}", "{recent rate}"]),
    ];
    for (template, expected) in cases {
        assert_eq!(unknown_placeholders(template), expected, "{template}");
    }
}

#[test]
fn letter_kinds_and_placeholders() {
    for kind in LetterKind::ALL {
        assert_eq!(LetterKind::from_code(kind.code()), Some(kind));
    }
    assert_eq!(LetterKind::Progress.label(), "Progress made");
    let names: Vec<&str> = PLACEHOLDERS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.len(), 8);
    assert!(names.contains(&"{recent_possible}"));
}
