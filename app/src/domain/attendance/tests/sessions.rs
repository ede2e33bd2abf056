//! Tests for `session_records`: bookings, roll dates, closures, clock changes, today's
//! sessions, extras, lateness and absence reasons.

use chrono::Weekday::{Fri, Mon, Sat, Thu, Tue, Wed};

use super::*;

/// Dates and codes of `records`, for comparing whole lists.
fn keys(records: &[SessionRecord]) -> Vec<(NaiveDate, &str)> {
    records
        .iter()
        .map(|record| (record.date, record.session.as_str()))
        .collect()
}

#[test]
fn part_time_patterns() {
    // Monday 9 to Friday 13 November 2026, nothing marked, looked at the next day.
    let window = (date(2026, 11, 9), date(2026, 11, 13));
    let now = london(date(2026, 11, 14), 12, 0);
    let cases: [(&str, &[Weekday], &[&str], u32); 6] = [
        ("mornings only", &WEEKDAYS, &["am"], 5),
        ("three full days", &[Mon, Wed, Fri], &["am", "pm"], 6),
        ("two afternoons", &[Tue, Thu], &["pm"], 2),
        ("full time", &WEEKDAYS, &["am", "pm"], 10),
        ("Saturday only", &[Sat], &["am"], 0),
        ("nothing booked", &[], &[], 0),
    ];
    for (name, days, codes, possible) in cases {
        let plan = plan(date(2026, 9, 1), None, days, codes);
        let result = records(&calendar(), &plan, &BTreeMap::new(), window, now);
        assert_eq!(counts(&result), (0, possible), "{name}");
        assert_eq!(result.len(), possible as usize, "{name}");
        assert!(result.iter().all(|record| record.booked), "{name}");
    }
}

#[test]
fn part_time_dates() {
    let plan = plan(date(2026, 9, 1), None, &[Tue, Thu], &["pm"]);
    let window = (date(2026, 11, 9), date(2026, 11, 13));
    let now = london(date(2026, 11, 14), 12, 0);
    let result = records(&calendar(), &plan, &BTreeMap::new(), window, now);
    assert_eq!(
        keys(&result),
        vec![(date(2026, 11, 10), "pm"), (date(2026, 11, 12), "pm")]
    );
}

#[test]
fn three_day_pattern_with_marks() {
    // Monday all day, Wednesday morning only (home at 12:00), Friday ill: 3 of 6.
    let plan = plan(date(2026, 9, 1), None, &[Mon, Wed, Fri], &["am", "pm"]);
    let days = BTreeMap::from([
        (
            date(2026, 11, 9),
            local_visit(date(2026, 11, 9), (8, 0), (17, 0)),
        ),
        (
            date(2026, 11, 11),
            local_visit(date(2026, 11, 11), (8, 0), (12, 0)),
        ),
        (
            date(2026, 11, 13),
            absent_day(date(2026, 11, 13), AbsenceReason::Illness),
        ),
    ]);
    let window = (date(2026, 11, 9), date(2026, 11, 13));
    let result = records(
        &calendar(),
        &plan,
        &days,
        window,
        london(date(2026, 11, 16), 9, 0),
    );
    let outcomes: Vec<Outcome> = result.iter().map(|record| record.outcome).collect();
    let ill = missed(Some(AbsenceReason::Illness));
    assert_eq!(
        outcomes,
        vec![attended(), attended(), attended(), missed(None), ill, ill]
    );
    assert_eq!(counts(&result), (3, 6));
    assert_eq!(Figures::from_records(&result).rate.label(), "50%");
}

#[test]
fn joiners_and_leavers_mid_term() {
    // Mornings, Monday 2 to Friday 13 November 2026: ten open days.
    let window = (date(2026, 11, 2), date(2026, 11, 13));
    let now = london(date(2026, 11, 16), 12, 0);
    let cases = [
        // On roll throughout: 2-6 and 9-13 November.
        (
            date(2026, 9, 1),
            None,
            10,
            Some(date(2026, 11, 2)),
            Some(date(2026, 11, 13)),
        ),
        // Joins Wednesday 4 November: 4, 5, 6 and 9-13.
        (
            date(2026, 11, 4),
            None,
            8,
            Some(date(2026, 11, 4)),
            Some(date(2026, 11, 13)),
        ),
        // Joins on Saturday 7 November: the next Monday is the first day.
        (
            date(2026, 11, 7),
            None,
            5,
            Some(date(2026, 11, 9)),
            Some(date(2026, 11, 13)),
        ),
        // Leaves after Tuesday 10 November: 2-6, 9 and 10.
        (
            date(2026, 9, 1),
            Some(date(2026, 11, 10)),
            7,
            Some(date(2026, 11, 2)),
            Some(date(2026, 11, 10)),
        ),
        // Joins 4 November and leaves 10 November: 4, 5, 6, 9, 10.
        (
            date(2026, 11, 4),
            Some(date(2026, 11, 10)),
            5,
            Some(date(2026, 11, 4)),
            Some(date(2026, 11, 10)),
        ),
        // Joins after the window.
        (date(2026, 11, 16), None, 0, None, None),
        // Left before the window.
        (date(2026, 9, 1), Some(date(2026, 10, 30)), 0, None, None),
    ];
    for (start, leaving, possible, first, last) in cases {
        let plan = plan(start, leaving, &WEEKDAYS, &["am"]);
        let result = records(&calendar(), &plan, &BTreeMap::new(), window, now);
        let label = format!("start {start}, leaving {leaving:?}");
        assert_eq!(counts(&result), (0, possible), "{label}");
        assert_eq!(result.first().map(|record| record.date), first, "{label}");
        assert_eq!(result.last().map(|record| record.date), last, "{label}");
    }
}

#[test]
fn closures_never_possible() {
    // Half-term 26-30 October and a training day on Monday 2 November 2026. The child has a
    // visit every weekday from 19 October to 6 November, closure days included.
    let calendar = calendar_with(vec![
        closure(date(2026, 10, 26), date(2026, 10, 30), "term_break"),
        closure(date(2026, 11, 2), date(2026, 11, 2), "training_day"),
    ]);
    let days: BTreeMap<NaiveDate, ChildDay> = date(2026, 10, 19)
        .iter_days()
        .take_while(|day| *day <= date(2026, 11, 6))
        .map(|day| (day, local_visit(day, (8, 0), (12, 0))))
        .collect();
    let plan = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am"]);
    let window = (date(2026, 10, 19), date(2026, 11, 6));
    let result = records(
        &calendar,
        &plan,
        &days,
        window,
        london(date(2026, 11, 9), 9, 0),
    );
    // Open days: 19-23 October (5) and 3-6 November (4). No extras on closed days either.
    assert_eq!(counts(&result), (9, 9));
    assert_eq!(result.len(), 9);
    assert_eq!(result[4].date, date(2026, 10, 23));
    assert_eq!(result[5].date, date(2026, 11, 3));
}

#[test]
fn bank_holidays_are_never_possible() {
    let cases = [
        // Christmas Day (Fri 25), Boxing Day substitute (Mon 28), New Year's Day (Fri 1 Jan).
        ("Christmas 2026", date(2026, 12, 21), date(2027, 1, 1), 7),
        // Good Friday 26 March and Easter Monday 29 March 2027.
        ("Easter 2027", date(2027, 3, 22), date(2027, 4, 2), 8),
        // Early May bank holiday, Monday 4 May 2026.
        ("early May 2026", date(2026, 5, 4), date(2026, 5, 8), 4),
        // Summer bank holiday, Monday 31 August 2026.
        ("late August 2026", date(2026, 8, 31), date(2026, 9, 4), 4),
    ];
    let plan = plan(date(2025, 9, 1), None, &WEEKDAYS, &["am"]);
    for (name, from, to, possible) in cases {
        let now = london(to, 23, 0);
        let result = records(&calendar(), &plan, &BTreeMap::new(), (from, to), now);
        assert_eq!(counts(&result), (0, possible), "{name}");
    }
}

#[test]
fn setting_closed_absence_removes_the_day() {
    // Mornings 9-13 November 2026: attended Mon, Tue and Fri, Wednesday marked "setting
    // closed", Thursday ill. Possible 4, attended 3.
    let mut days: BTreeMap<NaiveDate, ChildDay> = [9, 10, 13]
        .into_iter()
        .map(|day| date(2026, 11, day))
        .map(|day| (day, local_visit(day, (8, 0), (12, 0))))
        .collect();
    let closed = absent_day(date(2026, 11, 11), AbsenceReason::SettingClosed);
    days.insert(date(2026, 11, 11), closed);
    days.insert(
        date(2026, 11, 12),
        absent_day(date(2026, 11, 12), AbsenceReason::Illness),
    );

    let plan = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am"]);
    let window = (date(2026, 11, 9), date(2026, 11, 13));
    let result = records(
        &calendar(),
        &plan,
        &days,
        window,
        london(date(2026, 11, 16), 9, 0),
    );

    assert_eq!(counts(&result), (3, 4));
    assert!(result
        .iter()
        .all(|record| record.date != date(2026, 11, 11)));
    let figures = Figures::from_records(&result);
    assert_eq!(
        figures.by_reason,
        BTreeMap::from([("illness".to_owned(), 1)])
    );
}

#[test]
fn lateness_across_clock_changes() {
    // Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026. The
    // morning starts at 08:00 London: 08:00 UTC in winter, 07:00 UTC in summer.
    let cases = [
        ("Fri 27 Mar, 08:05 GMT", date(2026, 3, 27), (8, 5), false),
        ("Fri 27 Mar, 08:15 GMT", date(2026, 3, 27), (8, 15), true),
        ("Mon 30 Mar, 08:05 BST", date(2026, 3, 30), (7, 5), false),
        ("Mon 30 Mar, 09:05 BST", date(2026, 3, 30), (8, 5), true),
        ("Fri 23 Oct, 08:05 BST", date(2026, 10, 23), (7, 5), false),
        ("Fri 23 Oct, 09:05 BST", date(2026, 10, 23), (8, 5), true),
        ("Mon 26 Oct, 08:05 GMT", date(2026, 10, 26), (8, 5), false),
        ("Mon 26 Oct, 07:05 GMT", date(2026, 10, 26), (7, 5), false),
    ];
    let plan = plan(date(2026, 1, 5), None, &WEEKDAYS, &["am"]);
    for (name, day, (hour, minute), late) in cases {
        let arrived = utc(day, hour, minute);
        let days = BTreeMap::from([(day, visit_day(day, arrived, Some(utc(day, 11, 0))))]);
        let now = utc(day, 20, 0);
        let result = records(&calendar(), &plan, &days, (day, day), now);
        let expected = SessionRecord {
            date: day,
            session: "am".to_owned(),
            booked: true,
            outcome: Outcome::Attended { late },
            arrived: Some(arrived),
            part_day: false,
        };
        assert_eq!(result, vec![expected], "{name}");
    }
}

#[test]
fn session_start_instants_follow_london_time() {
    let calendar = calendar();
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    let cases = [
        (date(2026, 3, 27), utc(date(2026, 3, 27), 8, 0)),
        (date(2026, 3, 30), utc(date(2026, 3, 30), 7, 0)),
        (date(2026, 10, 23), utc(date(2026, 10, 23), 7, 0)),
        (date(2026, 10, 26), utc(date(2026, 10, 26), 8, 0)),
    ];
    for (day, expected) in cases {
        assert_eq!(calendar.instant_at(day, eight), expected, "{day}");
    }
}

#[test]
fn weeks_across_clock_changes() {
    // 08:05 London every open day is on time; 08:20 is late. Spring: Mon 23 March to Thu
    // 2 April 2026 (Good Friday is 3 April) is 9 days. Autumn: Mon 19 to Fri 30 October
    // 2026 is 10 days.
    let cases = [
        (date(2026, 3, 23), date(2026, 4, 2), (8, 5), 9, 0),
        (date(2026, 3, 23), date(2026, 4, 2), (8, 20), 9, 9),
        (date(2026, 10, 19), date(2026, 10, 30), (8, 5), 10, 0),
        (date(2026, 10, 19), date(2026, 10, 30), (8, 20), 10, 10),
    ];
    let plan = plan(date(2026, 1, 5), None, &WEEKDAYS, &["am"]);
    for (from, to, arrive, sessions, late) in cases {
        let days: BTreeMap<NaiveDate, ChildDay> = from
            .iter_days()
            .take_while(|day| *day <= to)
            .map(|day| (day, local_visit(day, arrive, (12, 0))))
            .collect();
        let result = records(&calendar(), &plan, &days, (from, to), london(to, 20, 0));
        let figures = Figures::from_records(&result);
        assert_eq!(
            counts(&result),
            (sessions, sessions),
            "{from} at {arrive:?}"
        );
        assert_eq!(figures.late, late, "{from} at {arrive:?}");
    }
}

#[test]
fn leap_day_is_an_ordinary_tuesday() {
    // Tuesday 29 February 2028.
    let tuesdays = plan(date(2027, 9, 1), None, &[Tue], &["am"]);
    let february = (date(2028, 2, 1), date(2028, 2, 29));
    let now = london(date(2028, 3, 1), 12, 0);
    let result = records(&calendar(), &tuesdays, &BTreeMap::new(), february, now);
    let dates: Vec<NaiveDate> = result.iter().map(|record| record.date).collect();
    let expected: Vec<NaiveDate> = [1, 8, 15, 22, 29].map(|day| date(2028, 2, day)).into();
    assert_eq!(dates, expected);

    // Mornings, Monday 28 February to Friday 3 March 2028.
    let week = (date(2028, 2, 28), date(2028, 3, 3));
    let now = london(date(2028, 3, 4), 12, 0);
    let cases = [
        (date(2027, 9, 1), None, 5),
        (date(2028, 2, 29), None, 4),
        (date(2027, 9, 1), Some(date(2028, 2, 29)), 2),
    ];
    for (start, leaving, possible) in cases {
        let plan = plan(start, leaving, &WEEKDAYS, &["am"]);
        let result = records(&calendar(), &plan, &BTreeMap::new(), week, now);
        assert_eq!(
            counts(&result),
            (0, possible),
            "start {start}, leaving {leaving:?}"
        );
    }
}

#[test]
fn today_counts_only_started_sessions() {
    // Monday 2 November 2026 (GMT, so London and UTC agree), full time. The window runs to
    // Friday, but later days have not happened yet.
    let today = date(2026, 11, 2);
    let window = (today, date(2026, 11, 6));
    let cases = [
        ((7, 59), None, (0, 0)),
        ((7, 59), Some((7, 50)), (0, 0)),
        ((8, 0), None, (0, 1)),
        ((8, 0), Some((7, 55)), (1, 1)),
        ((12, 59), Some((8, 10)), (1, 1)),
        ((13, 0), Some((8, 10)), (2, 2)),
        ((13, 0), None, (0, 2)),
        ((13, 0), Some((12, 30)), (2, 2)),
    ];
    for ((hour, minute), arrival, expected) in cases {
        let mut days = BTreeMap::new();
        if let Some((arrive_hour, arrive_minute)) = arrival {
            let arrived = london(today, arrive_hour, arrive_minute);
            days.insert(today, visit_day(today, arrived, None));
        }
        let now = london(today, hour, minute);
        let result = records(&calendar(), &full_time(), &days, window, now);
        assert_eq!(
            counts(&result),
            expected,
            "now {hour}:{minute}, arrival {arrival:?}"
        );
    }
}

#[test]
fn today_in_summer_starts_at_local_eight() {
    // Monday 15 June 2026 is BST: the morning starts at 07:00 UTC.
    let today = date(2026, 6, 15);
    let cases = [((6, 59), 0), ((7, 0), 1), ((11, 59), 1), ((12, 0), 2)];
    for ((hour, minute), possible) in cases {
        let now = utc(today, hour, minute);
        let result = records(
            &calendar(),
            &full_time(),
            &BTreeMap::new(),
            (today, today),
            now,
        );
        assert_eq!(counts(&result), (0, possible), "{hour}:{minute} UTC");
    }
}

/// A record's session code, whether it was booked, and its outcome.
type Found<'a> = (&'a str, bool, Outcome);

/// (booked sessions, arrival, records found, rate label, extras)
type ExtraCase<'a> = (&'a [&'a str], (u32, u32), Vec<Found<'a>>, &'a str, u32);

#[test]
fn unbooked_attended_sessions_are_extras() {
    // Monday 9 November 2026: the child arrives at the given time and stays until 17:00.
    let day = date(2026, 11, 9);
    let late = Outcome::Attended { late: true };
    let cases: [ExtraCase; 4] = [
        (
            &["am"],
            (8, 0),
            vec![("am", true, attended()), ("pm", false, attended())],
            "100%",
            1,
        ),
        (
            &["am"],
            (13, 30),
            vec![("am", true, missed(None)), ("pm", false, late)],
            "0%",
            1,
        ),
        (
            &[],
            (8, 0),
            vec![("am", false, attended()), ("pm", false, attended())],
            "no data",
            2,
        ),
        (
            &["am", "pm"],
            (8, 0),
            vec![("am", true, attended()), ("pm", true, attended())],
            "100%",
            0,
        ),
    ];
    for (codes, arrive, expected, label, extra) in cases {
        let plan = plan(date(2026, 9, 1), None, &[Mon], codes);
        let days = BTreeMap::from([(day, local_visit(day, arrive, (17, 0)))]);
        let now = london(date(2026, 11, 10), 9, 0);
        let result = records(&calendar(), &plan, &days, (day, day), now);
        let found: Vec<Found> = result
            .iter()
            .map(|record| (record.session.as_str(), record.booked, record.outcome))
            .collect();
        assert_eq!(found, expected, "booked {codes:?}");
        let figures = Figures::from_records(&result);
        assert_eq!(figures.rate.label(), label, "booked {codes:?}");
        assert_eq!(figures.extra, extra, "booked {codes:?}");
    }
}

#[test]
fn extras_never_exceed_full_rate() {
    // Mornings booked Monday to Friday 9-13 November 2026, attended all day every day.
    let days: BTreeMap<NaiveDate, ChildDay> = (9..=13)
        .map(|day| date(2026, 11, day))
        .map(|day| (day, local_visit(day, (8, 0), (17, 0))))
        .collect();
    let plan = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am"]);
    let window = (date(2026, 11, 9), date(2026, 11, 13));
    let result = records(
        &calendar(),
        &plan,
        &days,
        window,
        london(date(2026, 11, 16), 9, 0),
    );
    let figures = Figures::from_records(&result);
    assert_eq!(result.len(), 10);
    assert_eq!(figures.rate.attended, 5);
    assert_eq!(figures.rate.possible, 5);
    assert_eq!(figures.extra, 5);
    assert_eq!(figures.rate.percent_floor(), Some(100));
}

#[test]
fn late_arrival_counts_as_attended_and_late() {
    // Monday 9 November 2026, full time, 15-minute margin. Each case: arrival and departure
    // (London), morning outcome, afternoon outcome.
    let day = date(2026, 11, 9);
    let on_time = Outcome::Attended { late: false };
    let late = Outcome::Attended { late: true };
    let cases = [
        ((8, 14), (17, 0), on_time, on_time),
        ((8, 15), (17, 0), late, on_time),
        ((10, 0), (17, 0), late, on_time),
        ((12, 59), (17, 0), late, on_time),
        ((13, 0), (17, 0), missed(None), on_time),
        ((13, 14), (17, 0), missed(None), on_time),
        ((13, 15), (17, 0), missed(None), late),
        ((8, 0), (13, 0), on_time, missed(None)),
        ((8, 0), (13, 1), on_time, on_time),
    ];
    for (arrive, depart, morning, afternoon) in cases {
        let days = BTreeMap::from([(day, local_visit(day, arrive, depart))]);
        let now = london(date(2026, 11, 10), 9, 0);
        let result = records(&calendar(), &full_time(), &days, (day, day), now);
        let outcomes: Vec<Outcome> = result.iter().map(|record| record.outcome).collect();
        assert_eq!(
            outcomes,
            vec![morning, afternoon],
            "{arrive:?} to {depart:?}"
        );
    }
}

#[test]
fn late_sessions_are_counted_in_figures() {
    // Arrived 08:30 on Monday and 13:20 on Tuesday (morning missed), full time: 3 of 4
    // attended, 2 late. Tuesday's morning is missed on a day the child came, so it is not
    // unexplained.
    let days = BTreeMap::from([
        (
            date(2026, 11, 9),
            local_visit(date(2026, 11, 9), (8, 30), (17, 0)),
        ),
        (
            date(2026, 11, 10),
            local_visit(date(2026, 11, 10), (13, 20), (17, 0)),
        ),
    ]);
    let window = (date(2026, 11, 9), date(2026, 11, 10));
    let now = london(date(2026, 11, 11), 9, 0);
    let figures = Figures::from_records(&records(&calendar(), &full_time(), &days, window, now));
    assert_eq!(figures.rate.attended, 3);
    assert_eq!(figures.rate.possible, 4);
    assert_eq!(figures.late, 2);
    assert_eq!(figures.unexplained, 0);
    assert_eq!(figures.by_reason.get("part_day"), Some(&1));
}

#[test]
fn missed_sessions_carry_the_absence_reason() {
    // One morning each, Monday 9 to Friday 13 November 2026.
    let undone_arrival = undone_arrival_day(date(2026, 11, 13));
    // (date, register day, reason on the record, unexplained)
    let cases: [(NaiveDate, Option<ChildDay>, Option<AbsenceReason>, bool); 5] = [
        (date(2026, 11, 9), None, None, true),
        (
            date(2026, 11, 10),
            Some(absent_day(date(2026, 11, 10), AbsenceReason::Illness)),
            Some(AbsenceReason::Illness),
            false,
        ),
        (
            date(2026, 11, 11),
            Some(absent_day(date(2026, 11, 11), AbsenceReason::NotYetKnown)),
            Some(AbsenceReason::NotYetKnown),
            true,
        ),
        (
            date(2026, 11, 12),
            Some(absent_day(
                date(2026, 11, 12),
                AbsenceReason::HolidayNotAgreed,
            )),
            Some(AbsenceReason::HolidayNotAgreed),
            false,
        ),
        (date(2026, 11, 13), Some(undone_arrival), None, true),
    ];

    let plan = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am"]);
    let now = london(date(2026, 11, 16), 9, 0);
    let mut all = Vec::new();
    for (day, child_day, reason, unexplained) in cases {
        let days: BTreeMap<NaiveDate, ChildDay> = child_day.into_iter().map(|d| (day, d)).collect();
        let result = records(&calendar(), &plan, &days, (day, day), now);
        assert_eq!(result.len(), 1, "{day}");
        assert_eq!(result[0].outcome, missed(reason), "{day}");
        assert_eq!(result[0].outcome.unexplained(), unexplained, "{day}");
        all.extend(result);
    }

    let figures = Figures::from_records(&all);
    let expected = BTreeMap::from([
        ("holiday_not_agreed".to_owned(), 1),
        ("illness".to_owned(), 1),
        ("not_recorded".to_owned(), 2),
        ("not_yet_known".to_owned(), 1),
    ]);
    assert_eq!(figures.by_reason, expected);
    assert_eq!(figures.unexplained, 3);
    assert_eq!(counts(&all), (0, 5));
}
