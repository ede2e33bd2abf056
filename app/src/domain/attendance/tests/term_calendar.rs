//! Tests for a parent's term calendar: which days appear, how each is marked from real
//! session records, and the words and symbols for each mark.

use chrono::Weekday::{Mon, Thu, Tue, Wed};

use super::*;
use crate::domain::attendance::term_calendar::{term_calendar, CalendarDay, CalendarWeek, DayMark};
use crate::domain::attendance::windows::DateRange;

/// Absences parents reported in advance, by date.
type Reports = [(NaiveDate, AbsenceReason)];

/// A case for [`mark_of`]: name, date, records, reports and the expected mark.
type MarkCase<'a> = (
    &'a str,
    NaiveDate,
    Vec<SessionRecord>,
    &'a Reports,
    Option<DayMark>,
);

fn range(from: NaiveDate, to: NaiveDate) -> DateRange {
    DateRange { from, to }
}

/// Returns every day of `weeks`, in order.
fn flat_days(weeks: &[CalendarWeek]) -> Vec<CalendarDay> {
    weeks.iter().flat_map(|week| week.days.clone()).collect()
}

#[test]
fn part_time_child_who_started_mid_term() {
    // Monday 26 April to Sunday 9 May 2027, seen on Wednesday 5 May at 07:30, before the
    // first session. The child started on Wednesday 28 April, is booked all day Monday,
    // Tuesday and Thursday and on Wednesday mornings, and never on Friday. Monday 3 May is
    // the early May bank holiday. Weekends are left out, and so are 26 and 27 April.
    let mut child = plan(date(2027, 4, 28), None, &[Mon, Tue, Thu], &["am", "pm"]);
    child.bookings.push((Wed, "am".to_owned()));
    let days = BTreeMap::from([
        // 08:20 is after 08:00 plus the 15-minute margin.
        (
            date(2027, 4, 28),
            local_visit(date(2027, 4, 28), (8, 20), (12, 30)),
        ),
        // Collected at 12:00, so the afternoon was missed.
        (
            date(2027, 4, 29),
            local_visit(date(2027, 4, 29), (8, 0), (12, 0)),
        ),
        (
            date(2027, 5, 4),
            absent_day(date(2027, 5, 4), AbsenceReason::Illness),
        ),
    ]);
    let today = date(2027, 5, 5);
    let now = london(today, 7, 30);
    let window = (date(2027, 4, 26), date(2027, 5, 9));
    let list = records(&calendar(), &child, &days, window, now);
    let reported = [(date(2027, 5, 6), AbsenceReason::MedicalAppointment)];
    let weeks = term_calendar(
        &calendar(),
        &child,
        &list,
        &reported,
        range(window.0, window.1),
        today,
    );

    let expected = [
        (date(2027, 4, 28), DayMark::Attended { late: true }),
        (date(2027, 4, 29), DayMark::PartDay),
        (date(2027, 4, 30), DayMark::NotBooked),
        (
            date(2027, 5, 3),
            DayMark::Closed {
                reason: "Early May bank holiday".to_owned(),
            },
        ),
        (
            date(2027, 5, 4),
            DayMark::Absent {
                reason: Some(AbsenceReason::Illness),
            },
        ),
        (date(2027, 5, 5), DayMark::Upcoming),
        (
            date(2027, 5, 6),
            DayMark::Reported {
                reason: AbsenceReason::MedicalAppointment,
            },
        ),
        (date(2027, 5, 7), DayMark::NotBooked),
    ];
    let actual = flat_days(&weeks);
    assert_eq!(actual.len(), expected.len());
    for (day, (date, mark)) in actual.iter().zip(expected) {
        assert_eq!(day.date, date);
        assert_eq!(day.mark, mark, "{date}");
    }
    let mondays: Vec<NaiveDate> = weeks.iter().map(|week| week.monday).collect();
    assert_eq!(mondays, vec![date(2027, 4, 26), date(2027, 5, 3)]);
    assert_eq!(weeks[0].days.len(), 3);
    assert_eq!(weeks[1].days.len(), 5);
}

/// Returns the mark of the one day `day` for a child booked all day Monday to Thursday, seen
/// on Wednesday 11 November 2026.
fn mark_of(day: NaiveDate, list: &[SessionRecord], reported: &Reports) -> Option<DayMark> {
    let child = plan(date(2026, 9, 1), None, &[Mon, Tue, Wed, Thu], &["am", "pm"]);
    let weeks = term_calendar(
        &calendar(),
        &child,
        list,
        reported,
        range(day, day),
        date(2026, 11, 11),
    );
    let days = flat_days(&weeks);
    assert!(days.len() <= 1, "{day}: {days:?}");
    days.into_iter().next().map(|day| day.mark)
}

#[test]
fn marks_from_records_and_reports() {
    use AbsenceReason::{Illness, MedicalAppointment, NotYetKnown};
    let monday = date(2026, 11, 9);
    let wednesday = date(2026, 11, 11);
    let thursday = date(2026, 11, 12);
    let friday = date(2026, 11, 13);
    let late = Outcome::Attended { late: true };
    let both = |am: Outcome, pm: Outcome| {
        vec![
            record(monday, "am", true, am),
            record(monday, "pm", true, pm),
        ]
    };
    let ill = missed(Some(Illness));
    let reported_ill = [(monday, Illness)];
    let reported_ill_tomorrow = [(thursday, Illness)];
    let none: [(NaiveDate, AbsenceReason); 0] = [];
    let absent = |reason| Some(DayMark::Absent { reason });

    let cases: Vec<MarkCase> = vec![
        (
            "here all day",
            monday,
            both(attended(), attended()),
            &none,
            Some(DayMark::Attended { late: false }),
        ),
        (
            "late for the morning",
            monday,
            both(late, attended()),
            &none,
            Some(DayMark::Attended { late: true }),
        ),
        (
            "morning only",
            monday,
            both(attended(), missed(None)),
            &none,
            Some(DayMark::PartDay),
        ),
        (
            "away with no mark",
            monday,
            both(missed(None), missed(None)),
            &none,
            absent(None),
        ),
        (
            "away ill",
            monday,
            both(ill, ill),
            &none,
            absent(Some(Illness)),
        ),
        // The register's reason wins over the parent's.
        (
            "register reason over report",
            monday,
            both(
                missed(Some(MedicalAppointment)),
                missed(Some(MedicalAppointment)),
            ),
            &reported_ill,
            absent(Some(MedicalAppointment)),
        ),
        (
            "report over not yet known",
            monday,
            both(missed(Some(NotYetKnown)), missed(Some(NotYetKnown))),
            &reported_ill,
            Some(DayMark::Reported { reason: Illness }),
        ),
        (
            "report over no mark",
            monday,
            both(missed(None), missed(None)),
            &reported_ill,
            Some(DayMark::Reported { reason: Illness }),
        ),
        // Coming in contradicts the report.
        (
            "here despite report",
            monday,
            both(attended(), attended()),
            &reported_ill,
            Some(DayMark::Attended { late: false }),
        ),
        // Before the register started: booked, no records.
        (
            "past booked day, no records",
            monday,
            vec![],
            &none,
            absent(None),
        ),
        (
            "past booked day reported, no records",
            monday,
            vec![],
            &reported_ill,
            Some(DayMark::Reported { reason: Illness }),
        ),
        (
            "past day not booked",
            date(2026, 11, 6),
            vec![],
            &none,
            Some(DayMark::NotBooked),
        ),
        (
            "today after arriving",
            wednesday,
            vec![record(wednesday, "am", true, attended())],
            &none,
            Some(DayMark::Attended { late: false }),
        ),
        (
            "today before the session",
            wednesday,
            vec![],
            &none,
            Some(DayMark::Upcoming),
        ),
        (
            "tomorrow reported",
            thursday,
            vec![],
            &reported_ill_tomorrow,
            Some(DayMark::Reported { reason: Illness }),
        ),
        (
            "tomorrow",
            thursday,
            vec![],
            &reported_ill,
            Some(DayMark::Upcoming),
        ),
        (
            "future day not booked",
            friday,
            vec![],
            &none,
            Some(DayMark::NotBooked),
        ),
        ("Saturday left out", date(2026, 11, 14), vec![], &none, None),
    ];

    for (name, day, list, reported, expected) in cases {
        assert_eq!(mark_of(day, &list, reported), expected, "{name}");
    }
}

#[test]
fn extra_session_attended_is_here() {
    // Friday 6 November 2026 is not booked, but the child came for an extra morning, late.
    // Lateness counts only for booked sessions.
    let friday = date(2026, 11, 6);
    let list = [record(
        friday,
        "am",
        false,
        Outcome::Attended { late: true },
    )];
    assert_eq!(
        mark_of(friday, &list, &[]),
        Some(DayMark::Attended { late: false })
    );
    // An extra afternoon on a booked Monday, with the booked morning missed.
    let monday = date(2026, 11, 9);
    let list = [
        record(monday, "am", true, missed(None)),
        record(monday, "pm", false, attended()),
    ];
    assert_eq!(mark_of(monday, &list, &[]), Some(DayMark::PartDay));
}

#[test]
fn roll_dates_and_closures() {
    // Monday 19 October to Friday 13 November 2026 with half-term from 26 to 30 October. The
    // child starts on Tuesday 3 November and leaves on Tuesday 10 November, so the week of
    // 19 October is left out whole, and so are half-term and 2 November before the start.
    let half_term = closure(date(2026, 10, 26), date(2026, 10, 30), "term_break");
    let setting = calendar_with(vec![half_term]);
    let child = plan(
        date(2026, 11, 3),
        Some(date(2026, 11, 10)),
        &WEEKDAYS,
        &["am", "pm"],
    );
    let weeks = term_calendar(
        &setting,
        &child,
        &[],
        &[],
        range(date(2026, 10, 19), date(2026, 11, 13)),
        date(2026, 11, 2),
    );
    let mondays: Vec<NaiveDate> = weeks.iter().map(|week| week.monday).collect();
    assert_eq!(mondays, vec![date(2026, 11, 2), date(2026, 11, 9)]);
    let dates: Vec<NaiveDate> = flat_days(&weeks).iter().map(|day| day.date).collect();
    let expected = vec![
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 5),
        date(2026, 11, 6),
        date(2026, 11, 9),
        date(2026, 11, 10),
    ];
    assert_eq!(dates, expected);
    assert!(flat_days(&weeks)
        .iter()
        .all(|day| day.mark == DayMark::Upcoming));

    // The same child on roll from September: half-term shows as closed, with its name.
    let child = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am", "pm"]);
    let weeks = term_calendar(
        &setting,
        &child,
        &[],
        &[],
        range(date(2026, 10, 26), date(2026, 10, 30)),
        date(2026, 10, 1),
    );
    let marks: Vec<DayMark> = flat_days(&weeks).into_iter().map(|day| day.mark).collect();
    let closed = DayMark::Closed {
        reason: "term break".to_owned(),
    };
    assert_eq!(marks, vec![closed; 5]);
}

#[test]
fn day_mark_words_and_symbols() {
    let cases = [
        (DayMark::Attended { late: false }, "Here", "✓"),
        (DayMark::Attended { late: true }, "Here (arrived late)", "✓"),
        (DayMark::PartDay, "Here for part of the day", "½"),
        (
            DayMark::Absent {
                reason: Some(AbsenceReason::Illness),
            },
            "Away: Illness",
            "–",
        ),
        (
            DayMark::Absent { reason: None },
            "Away: no reason given yet",
            "–",
        ),
        (
            DayMark::Absent {
                reason: Some(AbsenceReason::NotYetKnown),
            },
            "Away: no reason given yet",
            "–",
        ),
        (
            DayMark::Reported {
                reason: AbsenceReason::Illness,
            },
            "You told us: Illness",
            "✉",
        ),
        (DayMark::Upcoming, "Booked", "○"),
        (DayMark::NotBooked, "Not booked", "·"),
        (
            DayMark::Closed {
                reason: "Christmas Day".to_owned(),
            },
            "Closed: Christmas Day",
            "×",
        ),
    ];
    for (mark, words, symbol) in cases {
        assert_eq!(mark.words(), words, "{mark:?}");
        assert_eq!(mark.symbol(), symbol, "{mark:?}");
    }
}

#[test]
fn day_mark_serde_uses_mark_tag() {
    let cases = [
        (
            DayMark::Closed {
                reason: "Boxing Day".to_owned(),
            },
            r#"{"mark":"closed","reason":"Boxing Day"}"#,
        ),
        (DayMark::NotBooked, r#"{"mark":"not_booked"}"#),
        (
            DayMark::Reported {
                reason: AbsenceReason::MedicalAppointment,
            },
            r#"{"mark":"reported","reason":"medical_appointment"}"#,
        ),
        (
            DayMark::Attended { late: true },
            r#"{"mark":"attended","late":true}"#,
        ),
        (DayMark::PartDay, r#"{"mark":"part_day"}"#),
        (
            DayMark::Absent { reason: None },
            r#"{"mark":"absent","reason":null}"#,
        ),
    ];
    for (mark, json) in cases {
        assert_eq!(serde_json::to_string(&mark).unwrap(), json);
        let back: DayMark = serde_json::from_str(json).unwrap();
        assert_eq!(back, mark);
    }
}
