//! Parent-facing figures, checked against hand-computed sessions and bands.

use super::*;
use crate::domain::attendance::figures::Bands;
use crate::domain::attendance::parent::{friendly_band, ParentPeriod};

/// The week of Monday 9 to Friday 13 November 2026 (GMT, no closures), seen on Friday at 14:00.
fn week() -> (NaiveDate, NaiveDate, DateTime<Utc>) {
    (
        date(2026, 11, 9),
        date(2026, 11, 13),
        london(date(2026, 11, 13), 14, 0),
    )
}

#[test]
fn part_time_child_counts_only_booked_mornings() {
    // Booked Monday and Wednesday mornings; here on Monday, absent ill on Wednesday, and here
    // on Friday afternoon without a booking. 1 of 2 sessions (50%), one extra.
    let (from, to, now) = week();
    let part_time = plan(
        date(2025, 9, 1),
        None,
        &[Weekday::Mon, Weekday::Wed],
        &["am"],
    );
    let days = BTreeMap::from([
        (from, local_visit(from, (8, 0), (12, 30))),
        (
            date(2026, 11, 11),
            absent_day(date(2026, 11, 11), AbsenceReason::Illness),
        ),
        (to, local_visit(to, (13, 0), (13, 50))),
    ]);
    let figures = Figures::from_records(&records(&calendar(), &part_time, &days, (from, to), now));
    let period = ParentPeriod::new("This week", &figures, &Bands::default());
    assert_eq!((period.attended, period.possible), (1, 2));
    assert_eq!(period.percent, Some(50));
    assert_eq!(period.band, "Every day counts: we are here to help");
    assert_eq!(period.sessions_words(), "1 of 2 sessions");
    assert_eq!(figures.extra, 1);
}

#[test]
fn child_who_started_this_week_counts_from_the_start() {
    // Full time, starting on Wednesday 11 November: Monday and Tuesday are before the start.
    // Wednesday and Thursday are attended all day and Friday morning too; Friday afternoon
    // started at 13:00 and was missed (collected at 12:00). 5 of 6 sessions, 83%.
    let (from, to, now) = week();
    let joiner = plan(date(2026, 11, 11), None, &WEEKDAYS, &["am", "pm"]);
    let days = BTreeMap::from([
        (
            date(2026, 11, 11),
            local_visit(date(2026, 11, 11), (8, 5), (17, 0)),
        ),
        (
            date(2026, 11, 12),
            local_visit(date(2026, 11, 12), (8, 5), (17, 0)),
        ),
        (to, local_visit(to, (8, 5), (12, 0))),
    ]);
    let figures = Figures::from_records(&records(&calendar(), &joiner, &days, (from, to), now));
    let period = ParentPeriod::new("This week", &figures, &Bands::default());
    assert_eq!((period.attended, period.possible), (5, 6));
    assert_eq!(period.percent, Some(83));
}

#[test]
fn friendly_words_for_each_band() {
    let bands = Bands::default();
    let cases = [
        (rate(97, 100), "Excellent"),
        (rate(96, 100), "Very good"),
        (rate(95, 100), "Very good"),
        (rate(90, 100), "Good"),
        (rate(89, 100), "Every day counts: we are here to help"),
        (rate(10, 100), "Every day counts: we are here to help"),
        (rate(0, 0), "Nothing booked yet"),
    ];
    for (rate, words) in cases {
        assert_eq!(friendly_band(bands.band(rate)), words, "{rate:?}");
    }
    let nothing = ParentPeriod::new("This week", &Figures::default(), &bands);
    assert_eq!(nothing.percent, None);
    assert_eq!(nothing.sessions_words(), "No booked sessions yet");
}

#[test]
fn todays_words_name_the_time_and_who_collected() {
    use crate::domain::attendance::parent::today_words;
    use crate::domain::events::{Collector, Presence};
    let at = |hour, minute| london(date(2026, 12, 4), hour, minute);
    let label = |instant: DateTime<Utc>| instant.format("%H:%M").to_string();
    let grandma = Collector {
        contact_id: None,
        name: "Grandma".to_owned(),
        on_list: true,
    };
    let cases = [
        (
            Presence::Here { since: at(8, 12) },
            true,
            None,
            "Arrived at 08:12",
        ),
        (
            Presence::GoneHome {
                departed: at(15, 30),
                collected_by: Some(grandma),
            },
            true,
            None,
            "Collected by Grandma at 15:30",
        ),
        (
            Presence::GoneHome {
                departed: at(12, 5),
                collected_by: None,
            },
            true,
            None,
            "Went home at 12:05",
        ),
        (Presence::NotMarked, true, None, "Expected, not arrived yet"),
        (Presence::NotMarked, false, None, "Not booked"),
        (
            Presence::NotMarked,
            true,
            Some(AbsenceReason::HolidayNotAgreed),
            "Away: you told us (holiday)",
        ),
        (
            Presence::Absent {
                absence_id: Uuid::nil(),
                reason: AbsenceReason::Illness,
                note: None,
            },
            true,
            Some(AbsenceReason::Illness),
            "Away: illness",
        ),
    ];
    for (presence, booked, reported, words) in cases {
        assert_eq!(today_words(&presence, booked, reported, &label), words);
    }
}
