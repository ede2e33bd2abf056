//! Tests for `Evidence::gather` (windows, one-day absences, weekdays, unexplained days) and
//! for the whole path from register events to a suggestion.

use chrono::{Datelike, Duration};

use super::*;
use crate::domain::attendance::rules::{suggest, CaseFacts, Evidence, Level, Rule, RuleSettings};
use crate::domain::attendance::windows::DateRange;

/// Monday 7 December 2026: the last six weeks are 26 October to 6 December, the six weeks
/// before are 14 September to 25 October.
fn today() -> NaiveDate {
    date(2026, 12, 7)
}

/// Booked morning records for every Monday to Friday from `from` to `to`, attended except
/// the dates listed in `missed`.
fn mornings(
    from: NaiveDate,
    to: NaiveDate,
    missed: &[(NaiveDate, Option<AbsenceReason>)],
) -> Vec<SessionRecord> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| WEEKDAYS.contains(&day.weekday()))
        .map(|day| {
            let absence = missed.iter().find(|(date, _)| *date == day);
            let outcome = absence.map_or(attended(), |(_, reason)| super::missed(*reason));
            record(day, "am", true, outcome)
        })
        .collect()
}

/// Full-day records for a day: `A` attended both, `X` missed both, `P` morning only.
fn full_day(day: NaiveDate, pattern: char) -> [SessionRecord; 2] {
    let (am, pm) = match pattern {
        'A' => (attended(), attended()),
        'X' => (missed(None), missed(None)),
        'P' => (attended(), missed(None)),
        other => panic!("unknown day pattern {other}"),
    };
    [record(day, "am", true, am), record(day, "pm", true, pm)]
}

fn reasons(evidence: &Evidence, case: &CaseFacts) -> Option<(Level, Vec<Rule>)> {
    suggest(&RuleSettings::default(), evidence, case, today()).map(|suggestion| {
        let rules = suggestion
            .reasons
            .iter()
            .map(|reason| reason.rule)
            .collect();
        (suggestion.to, rules)
    })
}

#[test]
fn gather_splits_the_two_windows() {
    let ill = Some(AbsenceReason::Illness);
    let missed = [
        // The six weeks before: two single days.
        (date(2026, 9, 22), ill),
        (date(2026, 10, 8), ill),
        // The last six weeks: three single days and one two-day absence.
        (date(2026, 11, 3), ill),
        (date(2026, 11, 12), None),
        (date(2026, 11, 16), Some(AbsenceReason::HolidayAgreed)),
        (date(2026, 11, 17), Some(AbsenceReason::HolidayAgreed)),
        (date(2026, 11, 25), Some(AbsenceReason::NotYetKnown)),
        // Today is outside both windows.
        (date(2026, 12, 7), None),
    ];
    let records = mornings(date(2026, 9, 14), today(), &missed);
    let evidence = Evidence::gather(&records, today());

    // 30 weekdays in each window.
    assert_eq!(evidence.recent.rate, rate(25, 30));
    assert_eq!(evidence.previous.rate, rate(28, 30));
    assert_eq!(
        evidence.recent_range,
        Some(DateRange {
            from: date(2026, 10, 26),
            to: date(2026, 12, 6)
        })
    );
    assert_eq!(evidence.occasional_recent, 3);
    assert_eq!(evidence.occasional_previous, 2);
    assert_eq!(
        evidence.unexplained_days,
        vec![date(2026, 11, 12), date(2026, 11, 25)]
    );
    let weekdays = BTreeMap::from([
        (0, (1, 6)),
        (1, (2, 6)),
        (2, (1, 6)),
        (3, (1, 6)),
        (4, (0, 6)),
    ]);
    assert_eq!(evidence.weekdays, weekdays);
}

#[test]
fn gathered_evidence_gives_reasons_with_figures() {
    // Same register as above: 83% (25 of 30), down from 93% (28 of 30).
    let missed = [
        (date(2026, 9, 22), Some(AbsenceReason::Illness)),
        (date(2026, 10, 8), Some(AbsenceReason::Illness)),
        (date(2026, 11, 3), Some(AbsenceReason::Illness)),
        (date(2026, 11, 12), None),
        (date(2026, 11, 16), Some(AbsenceReason::HolidayAgreed)),
        (date(2026, 11, 17), Some(AbsenceReason::HolidayAgreed)),
        (date(2026, 11, 25), Some(AbsenceReason::NotYetKnown)),
    ];
    let records = mornings(date(2026, 9, 14), date(2026, 12, 4), &missed);
    let evidence = Evidence::gather(&records, today());
    let suggestion = suggest(
        &RuleSettings::default(),
        &evidence,
        &CaseFacts::default(),
        today(),
    );
    let words: Vec<String> = suggestion
        .unwrap()
        .reasons
        .into_iter()
        .map(|reason| reason.words)
        .collect();
    let expected = [
        "83% over the last 6 weeks (25 of 30 sessions), below 90%",
        "83% over the last 6 weeks (25 of 30 sessions), down from 93% in the 6 weeks before",
        "3 one-day absences in the last 6 weeks, up from 2 in the 6 weeks before",
        "2 days of absence with no reason given in the last 6 weeks, most recently Wednesday 25 November",
    ];
    assert_eq!(words, expected);
}

#[test]
fn one_day_absence_patterns() {
    // Full-time days from Monday 9 November 2026 (inside the last six weeks), one pattern
    // letter a day: A attended, X missed all day, P morning only.
    let cases = [
        ("AXAAA", 1),
        ("AXXAA", 0),
        ("XAXAX", 3),
        ("XXXXX", 0),
        ("AAAAA", 0),
        // A day with one session missed is an absence of less than a day.
        ("APAAA", 1),
        ("APAPA", 2),
        // The first booked day has no day before it.
        ("XAAAA", 1),
    ];
    for (pattern, expected) in cases {
        let records: Vec<SessionRecord> = pattern
            .chars()
            .enumerate()
            .flat_map(|(index, letter)| full_day(date(2026, 11, 9 + index as u32), letter))
            .collect();
        let evidence = Evidence::gather(&records, today());
        assert_eq!(evidence.occasional_recent, expected, "{pattern}");
        assert_eq!(evidence.occasional_previous, 0, "{pattern}");
    }
}

#[test]
fn one_day_absence_booked_days() {
    // Booked Monday, Wednesday and Friday of the week of 9 November 2026. Tuesday and
    // Thursday are not booked, so Monday and Wednesday missed is a two-day absence.
    let cases: [(&[(u32, char)], u32); 3] = [
        (&[(9, 'X'), (11, 'X'), (13, 'A')], 0),
        (&[(9, 'X'), (11, 'A'), (13, 'X')], 2),
        (&[(9, 'A'), (11, 'X'), (13, 'A')], 1),
    ];
    for (days, expected) in cases {
        let records: Vec<SessionRecord> = days
            .iter()
            .flat_map(|(day, letter)| full_day(date(2026, 11, *day), *letter))
            .collect();
        let evidence = Evidence::gather(&records, today());
        assert_eq!(evidence.occasional_recent, expected, "{days:?}");
    }
}

#[test]
fn one_day_absence_window_edge() {
    // Friday 23 October (six weeks before) and Monday 26 October (last six weeks) are one
    // two-day absence, so neither window counts a one-day absence.
    let records: Vec<SessionRecord> = [(22, 'A'), (23, 'X'), (26, 'X'), (27, 'A')]
        .into_iter()
        .flat_map(|(day, letter)| full_day(date(2026, 10, day), letter))
        .collect();
    let evidence = Evidence::gather(&records, today());
    assert_eq!(evidence.occasional_recent, 0);
    assert_eq!(evidence.occasional_previous, 0);
}

#[test]
fn same_weekday_counts_partial_days() {
    // Booked Mondays 26 October to 30 November 2026: six in the last six weeks.
    let mondays: Vec<NaiveDate> = (0..6)
        .map(|week| date(2026, 10, 26) + Duration::weeks(week))
        .collect();
    // (missed Mondays as pattern letters, weekday entry, same-weekday words)
    let cases: [(&str, (u32, u32), Option<&str>); 4] = [
        (
            "AXAXAX",
            (3, 6),
            Some("missed 3 of 6 Mondays in the last 6 weeks"),
        ),
        (
            "AXAPAX",
            (3, 6),
            Some("missed 3 of 6 Mondays in the last 6 weeks"),
        ),
        ("AXAAAX", (2, 6), None),
        ("AAAAAA", (0, 6), None),
    ];
    for (pattern, entry, words) in cases {
        let records: Vec<SessionRecord> = mondays
            .iter()
            .zip(pattern.chars())
            .flat_map(|(day, letter)| full_day(*day, letter))
            .collect();
        let evidence = Evidence::gather(&records, today());
        assert_eq!(evidence.weekdays, BTreeMap::from([(0, entry)]), "{pattern}");
        let found: Vec<String> = suggest(
            &RuleSettings::default(),
            &evidence,
            &CaseFacts::default(),
            today(),
        )
        .map(|suggestion| suggestion.reasons)
        .unwrap_or_default()
        .into_iter()
        .filter(|reason| reason.rule == Rule::SameWeekday)
        .map(|reason| reason.words)
        .collect();
        let expected: Vec<String> = words.into_iter().map(str::to_owned).collect();
        assert_eq!(found, expected, "{pattern}");
    }
}

#[test]
fn unexplained_days_recent_booked_only() {
    let records = vec![
        // Sunday 25 October: the last day of the six weeks before.
        record(date(2026, 10, 25), "am", true, missed(None)),
        record(date(2026, 11, 2), "am", true, missed(None)),
        record(
            date(2026, 11, 3),
            "am",
            true,
            missed(Some(AbsenceReason::NotYetKnown)),
        ),
        record(
            date(2026, 11, 4),
            "am",
            true,
            missed(Some(AbsenceReason::Illness)),
        ),
        record(date(2026, 11, 5), "pm", false, missed(None)),
        record(
            date(2026, 11, 6),
            "am",
            true,
            missed(Some(AbsenceReason::Other)),
        ),
        // Today is not in the last six weeks.
        record(today(), "am", true, missed(None)),
    ];
    let evidence = Evidence::gather(&records, today());
    assert_eq!(
        evidence.unexplained_days,
        vec![date(2026, 11, 2), date(2026, 11, 3)]
    );
    assert_eq!(evidence.recent.unexplained, 2);
    assert_eq!(evidence.previous.unexplained, 1);
}

#[test]
fn no_records_or_only_extras_fire_nothing() {
    let extras = vec![
        record(date(2026, 11, 2), "am", false, attended()),
        record(date(2026, 11, 3), "pm", false, attended()),
    ];
    for records in [Vec::new(), extras] {
        let evidence = Evidence::gather(&records, today());
        assert!(!evidence.recent.rate.has_data(), "{records:?}");
        assert_eq!(evidence.occasional_recent, 0, "{records:?}");
        assert!(evidence.weekdays.is_empty(), "{records:?}");
        assert_eq!(
            reasons(&evidence, &CaseFacts::default()),
            None,
            "{records:?}"
        );
    }
}

#[test]
fn register_to_suggestion_end_to_end() {
    // Full-time mornings from 1 September 2026 with half-term closed 26-30 October. Every
    // open day from 14 September to 4 December is attended 08:00 to 12:00 except four days
    // of illness (3, 4, 17 and 18 November). It is 07:00 on Monday 7 December, before the
    // morning starts.
    let calendar = calendar_with(vec![closure(
        date(2026, 10, 26),
        date(2026, 10, 30),
        "term_break",
    )]);
    let ill = [
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 17),
        date(2026, 11, 18),
    ];
    let days: BTreeMap<NaiveDate, ChildDay> = date(2026, 9, 14)
        .iter_days()
        .take_while(|day| *day <= date(2026, 12, 4))
        .map(|day| {
            let child_day = if ill.contains(&day) {
                absent_day(day, AbsenceReason::Illness)
            } else {
                local_visit(day, (8, 0), (12, 0))
            };
            (day, child_day)
        })
        .collect();
    let plan = plan(date(2026, 9, 1), None, &WEEKDAYS, &["am"]);
    let now = london(today(), 7, 0);
    let list = records(&calendar, &plan, &days, (date(2026, 9, 14), today()), now);
    let evidence = Evidence::gather(&list, today());

    // Last six weeks: 2 November to 4 December, 25 open days, 21 attended. Before: 30 of 30.
    assert_eq!(evidence.recent.rate, rate(21, 25));
    assert_eq!(evidence.previous.rate, rate(30, 30));
    assert_eq!(evidence.occasional_recent, 0);
    assert!(evidence.unexplained_days.is_empty());

    let suggestion = suggest(
        &RuleSettings::default(),
        &evidence,
        &CaseFacts::default(),
        today(),
    )
    .unwrap();
    assert_eq!(suggestion.to, Level::EarlyIntervention);
    let words: Vec<&str> = suggestion
        .reasons
        .iter()
        .map(|reason| reason.words.as_str())
        .collect();
    assert_eq!(
        words,
        [
            "84% over the last 6 weeks (21 of 25 sessions), below 90%",
            "84% over the last 6 weeks (21 of 25 sessions), down from 100% in the 6 weeks before",
        ]
    );

    // At Level 2 since 26 October with a plan, starting from 80%: 84% is only 4 points up.
    let case = CaseFacts {
        level: Some((Level::EarlyIntervention, date(2026, 10, 26))),
        rate_at_level_start: Some(rate(20, 25)),
        plan_recorded: Some(date(2026, 11, 2)),
    };
    assert_eq!(
        reasons(&evidence, &case),
        Some((Level::Targeted, vec![Rule::NotImproved]))
    );
}
