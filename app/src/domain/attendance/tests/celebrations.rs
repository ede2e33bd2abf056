//! Tests for celebrations: full weeks, streaks across empty weeks, and improvement between
//! the two six-week windows.

use chrono::Duration;

use super::*;
use crate::domain::attendance::celebrations::{celebrations, improvement, Celebration};

/// Builds attended, booked morning and afternoon records for the first `days` days of the
/// week starting on `monday`.
fn attended_days(monday: NaiveDate, days: i64) -> Vec<SessionRecord> {
    (0..days)
        .flat_map(|offset| {
            let day = monday + Duration::days(offset);
            ["am", "pm"].map(|code| record(day, code, true, attended()))
        })
        .collect()
}

/// Builds a full week of attended records, Monday to Friday.
fn full_week(monday: NaiveDate) -> Vec<SessionRecord> {
    attended_days(monday, 5)
}

/// Builds a week with every session attended except Wednesday afternoon, missed with illness.
fn week_with_miss(monday: NaiveDate) -> Vec<SessionRecord> {
    let mut list = full_week(monday);
    list[5].outcome = missed(Some(AbsenceReason::Illness));
    list
}

/// Wednesday 18 November 2026 at about 10:00: Monday and Tuesday are over and Wednesday's
/// morning has started.
fn wednesday() -> NaiveDate {
    date(2026, 11, 18)
}

/// This week so far, as seen on [`wednesday`]: Monday, Tuesday and Wednesday morning.
fn so_far() -> Vec<SessionRecord> {
    let mut list = attended_days(date(2026, 11, 16), 2);
    list.push(record(wednesday(), "am", true, attended()));
    list
}

fn joined(parts: Vec<Vec<SessionRecord>>) -> Vec<SessionRecord> {
    parts.into_iter().flatten().collect()
}

#[test]
fn full_weeks_and_streaks() {
    // Mondays: 12, 19 and 26 October (half-term, nothing possible), 2, 9 and 16 November
    // 2026. Nothing falls in the six weeks before 7 October, so nothing counts as improved.
    let this_week = date(2026, 11, 16);
    let full_this_week = Celebration::FullWeek { week: this_week };
    let mut missed_today = so_far();
    missed_today[4].outcome = missed(None);
    let mut holiday_club = full_week(date(2026, 11, 9));
    holiday_club.push(record(date(2026, 10, 28), "am", false, attended()));
    let mut missed_extra = so_far();
    missed_extra.push(record(wednesday(), "pm", false, missed(None)));

    let cases: Vec<(&str, Vec<SessionRecord>, NaiveDate, Vec<Celebration>)> = vec![
        (
            "full week so far on Wednesday",
            so_far(),
            wednesday(),
            vec![full_this_week.clone()],
        ),
        // This week has a miss, so the streak counts back from last week: 9 and 2 November.
        (
            "miss this week counts streak from last week",
            joined(vec![
                missed_today.clone(),
                full_week(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
                week_with_miss(date(2026, 10, 19)),
            ]),
            wednesday(),
            vec![Celebration::Streak { weeks: 2 }],
        ),
        // Only last week is full: a streak of 1 is not reported.
        (
            "miss this week and one full week",
            joined(vec![
                missed_today,
                full_week(date(2026, 11, 9)),
                week_with_miss(date(2026, 11, 2)),
            ]),
            wednesday(),
            vec![],
        ),
        // Last week's miss stops the streak at this week alone.
        (
            "miss last week stops streak at one",
            joined(vec![
                so_far(),
                week_with_miss(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
                full_week(date(2026, 10, 19)),
            ]),
            wednesday(),
            vec![full_this_week.clone()],
        ),
        (
            "streak of two",
            joined(vec![
                so_far(),
                full_week(date(2026, 11, 9)),
                week_with_miss(date(2026, 11, 2)),
            ]),
            wednesday(),
            vec![full_this_week.clone(), Celebration::Streak { weeks: 2 }],
        ),
        // 16 and 9 and 2 November and 19 October; the half-term week is skipped and
        // 12 October's miss ends the run.
        (
            "half-term week skipped",
            joined(vec![
                so_far(),
                full_week(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
                full_week(date(2026, 10, 19)),
                week_with_miss(date(2026, 10, 12)),
            ]),
            wednesday(),
            vec![full_this_week.clone(), Celebration::Streak { weeks: 4 }],
        ),
        // An unbooked morning at a holiday club in half-term neither counts nor breaks.
        (
            "extra session in half-term skipped",
            joined(vec![
                so_far(),
                holiday_club,
                full_week(date(2026, 11, 2)),
                full_week(date(2026, 10, 19)),
                week_with_miss(date(2026, 10, 12)),
            ]),
            wednesday(),
            vec![full_this_week.clone(), Celebration::Streak { weeks: 4 }],
        ),
        // The same weeks, but the child missed a session the setting was open for in the
        // week of 26 October: 16, 9 and 2 November.
        (
            "miss in week of 26 October",
            joined(vec![
                so_far(),
                full_week(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
                vec![record(date(2026, 10, 27), "am", true, missed(None))],
                full_week(date(2026, 10, 19)),
            ]),
            wednesday(),
            vec![full_this_week.clone(), Celebration::Streak { weeks: 3 }],
        ),
        // Monday 16 November before the first session: nothing possible this week yet.
        (
            "nothing yet this week",
            joined(vec![
                full_week(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
                week_with_miss(date(2026, 10, 26)),
            ]),
            this_week,
            vec![Celebration::Streak { weeks: 2 }],
        ),
        (
            "missed unbooked session ignored",
            joined(vec![missed_extra, full_week(date(2026, 11, 9))]),
            wednesday(),
            vec![full_this_week.clone(), Celebration::Streak { weeks: 2 }],
        ),
        // Only an unbooked session this week: nothing possible, so no full week.
        (
            "only extra session this week",
            joined(vec![
                vec![record(this_week, "am", false, attended())],
                full_week(date(2026, 11, 9)),
                full_week(date(2026, 11, 2)),
            ]),
            wednesday(),
            vec![Celebration::Streak { weeks: 2 }],
        ),
        (
            "records after today ignored",
            joined(vec![
                so_far(),
                vec![record(date(2026, 11, 19), "am", true, missed(None))],
            ]),
            wednesday(),
            vec![full_this_week],
        ),
        ("no records", vec![], wednesday(), vec![]),
    ];

    for (name, list, today, expected) in cases {
        assert_eq!(celebrations(&list, today, 5), expected, "{name}");
    }
}

/// Builds `possible` booked records on the 42 days from `from`, the first `attended` of
/// them attended and the rest missed with no reason. Each record has its own session code.
fn spread(from: NaiveDate, attended_count: u32, possible: u32) -> Vec<SessionRecord> {
    (0..possible)
        .map(|index| {
            let day = from + Duration::days(i64::from(index % 42));
            let outcome = if index < attended_count {
                attended()
            } else {
                missed(None)
            };
            record(day, &format!("s{index}"), true, outcome)
        })
        .collect()
}

/// Monday 7 December 2026. The rolling six weeks run from 26 October to 6 December, the six
/// weeks before from 14 September to 25 October.
fn december() -> NaiveDate {
    date(2026, 12, 7)
}

/// Records with `previous` (attended, possible) in the earlier window and `rolling` in the
/// later one.
fn windows(previous: (u32, u32), rolling: (u32, u32)) -> Vec<SessionRecord> {
    joined(vec![
        spread(date(2026, 9, 14), previous.0, previous.1),
        spread(date(2026, 10, 26), rolling.0, rolling.1),
    ])
}

fn improved_only(list: &[SessionRecord], points: u32) -> Option<Celebration> {
    celebrations(list, december(), points)
        .into_iter()
        .find(|celebration| matches!(celebration, Celebration::Improved { .. }))
}

#[test]
fn improvement_threshold_is_exact() {
    // (previous, rolling, points, expected)
    let cases = [
        // 80% to 85%: exactly 5 points.
        ((16, 20), (17, 20), 5, Some((80, 85))),
        // 80% to 84.99%: 4.99 points.
        ((16, 20), (8499, 10000), 5, None),
        // 79.4% (27/34) to 84%: the whole percentages differ by 5 but the rise is 4.6.
        ((27, 34), (21, 25), 5, None),
        // 80% to 100%: 20 points.
        ((4, 5), (10, 10), 20, Some((80, 100))),
        ((4, 5), (10, 10), 21, None),
        // 90% to 100% with a threshold of 0 fires; 90% to 90% is no rise.
        ((9, 10), (10, 10), 0, Some((90, 100))),
        ((9, 10), (18, 20), 0, None),
        // A fall from 95% to 80%.
        ((19, 20), (16, 20), 5, None),
    ];
    for (previous, rolling, points, expected) in cases {
        let list = windows(previous, rolling);
        let expected = expected.map(|(from, to)| Celebration::Improved { from, to });
        assert_eq!(
            improved_only(&list, points),
            expected,
            "{previous:?} to {rolling:?} by {points}"
        );
    }
}

#[test]
fn improvement_needs_data_in_both_windows() {
    // (previous, rolling)
    let cases = [((0, 0), (10, 10)), ((5, 10), (0, 0)), ((0, 0), (0, 0))];
    for (previous, rolling) in cases {
        let list = windows(previous, rolling);
        assert_eq!(improvement(&list, december()), None, "{previous:?}");
        assert_eq!(improved_only(&list, 5), None, "{previous:?}");
    }
    // Unbooked sessions alone are no data.
    let mut list = spread(date(2026, 10, 26), 10, 10);
    list.push(record(date(2026, 9, 14), "am", false, attended()));
    assert_eq!(improvement(&list, december()), None);
}

#[test]
fn improvement_ignores_unbooked_sessions() {
    // 80% to 80% in booked sessions. Counting 20 attended extras would make the rolling
    // window 36/40, 90%, and fire.
    let mut list = windows((16, 20), (16, 20));
    for index in 0..20 {
        let day = date(2026, 10, 26) + Duration::days(index);
        list.push(record(day, "extra", false, attended()));
    }
    assert_eq!(
        improvement(&list, december()),
        Some((rate(16, 20), rate(16, 20)))
    );
    assert_eq!(improved_only(&list, 5), None);
}

#[test]
fn improvement_uses_window_edges() {
    // 13 September is before both windows and 7 December (today) after both. 25 October is
    // the last day of the earlier window and 26 October the first of the rolling one.
    let list = [
        record(date(2026, 9, 13), "am", true, missed(None)),
        record(date(2026, 9, 14), "am", true, attended()),
        record(date(2026, 10, 25), "am", true, missed(None)),
        record(date(2026, 10, 26), "am", true, attended()),
        record(date(2026, 12, 6), "am", true, attended()),
        record(date(2026, 12, 7), "am", true, missed(None)),
    ];
    assert_eq!(
        improvement(&list, december()),
        Some((rate(1, 2), rate(2, 2)))
    );
}

#[test]
fn celebrations_come_in_order() {
    // Wednesday 9 December 2026. The earlier window (16 September to 27 October) contains the
    // week of 12 October at 9 of 10, 90%. The rolling window (28 October to 8 December)
    // contains five full weeks from 2 November and Monday and Tuesday of this week: 54 of 54.
    // The streak runs from this week back to 2 November, six weeks, skipping the empty
    // weeks of 26 and 19 October, and ends at 12 October's miss.
    let today = date(2026, 12, 9);
    let mut list = week_with_miss(date(2026, 10, 12));
    for week in 0..5 {
        list.extend(full_week(date(2026, 11, 2) + Duration::weeks(week)));
    }
    list.extend(attended_days(date(2026, 12, 7), 2));
    list.push(record(today, "am", true, attended()));
    let expected = vec![
        Celebration::FullWeek {
            week: date(2026, 12, 7),
        },
        Celebration::Streak { weeks: 6 },
        Celebration::Improved { from: 90, to: 100 },
    ];
    assert_eq!(celebrations(&list, today, 5), expected);
}

#[test]
fn celebration_words() {
    let cases = [
        (
            Celebration::FullWeek {
                week: date(2026, 11, 16),
            },
            "Every session this week",
        ),
        (
            Celebration::Streak { weeks: 4 },
            "4 weeks in a row of every session",
        ),
        (
            Celebration::Improved { from: 80, to: 96 },
            "Up from 80% to 96% over the last six weeks",
        ),
    ];
    for (celebration, words) in cases {
        assert_eq!(celebration.words(), words, "{celebration:?}");
    }
}

#[test]
fn celebration_serde_uses_kind_tag() {
    let cases = [
        (
            Celebration::FullWeek {
                week: date(2026, 11, 16),
            },
            r#"{"kind":"full_week","week":"2026-11-16"}"#,
        ),
        (
            Celebration::Streak { weeks: 3 },
            r#"{"kind":"streak","weeks":3}"#,
        ),
        (
            Celebration::Improved { from: 80, to: 96 },
            r#"{"kind":"improved","from":80,"to":96}"#,
        ),
    ];
    for (celebration, json) in cases {
        assert_eq!(serde_json::to_string(&celebration).unwrap(), json);
        let back: Celebration = serde_json::from_str(json).unwrap();
        assert_eq!(back, celebration);
    }
}
