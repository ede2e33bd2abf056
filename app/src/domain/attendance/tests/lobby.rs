//! Tests for the lobby display's rules: who has a full week, streaks, the most improved, the
//! small-room rule, display names and the manager's messages.

use chrono::Duration;

use super::*;
use crate::domain::attendance::lobby::{
    display_name, lobby_view, parse_messages, slides, week_so_far, LobbyChild, LobbyInput,
    LobbyView, Slide, DEFAULT_MESSAGES, MAX_MESSAGES, MAX_NAMES_SHOWN, MIN_CHILDREN_FOR_PERCENT,
    NAMES_PER_SLIDE,
};

/// Thursday 19 November 2026: the week so far is Monday 16 to Wednesday 18 November.
fn thursday() -> NaiveDate {
    date(2026, 11, 19)
}

fn monday() -> NaiveDate {
    date(2026, 11, 16)
}

/// Booked morning records for `days` consecutive days from `first`, attended unless the
/// day's offset is in `missed_offsets`.
fn mornings(first: NaiveDate, days: i64, missed_offsets: &[i64]) -> Vec<SessionRecord> {
    (0..days)
        .map(|offset| {
            let outcome = if missed_offsets.contains(&offset) {
                missed(Some(AbsenceReason::Illness))
            } else {
                attended()
            };
            record(first + Duration::days(offset), "am", true, outcome)
        })
        .collect()
}

/// Weekday mornings from `first_monday` for `weeks` weeks, missing the days whose index (0 for
/// the first Monday, 5 for the next) is in `missed_days`.
fn weekday_mornings(
    first_monday: NaiveDate,
    weeks: i64,
    missed_days: &[i64],
) -> Vec<SessionRecord> {
    let mut list = Vec::new();
    for week in 0..weeks {
        for day in 0..5 {
            let index = week * 5 + day;
            let outcome = if missed_days.contains(&index) {
                missed(None)
            } else {
                attended()
            };
            let date = first_monday + Duration::days(week * 7 + day);
            list.push(record(date, "am", true, outcome));
        }
    }
    list
}

fn child(
    first: &str,
    last: &str,
    room: &str,
    consent: bool,
    records: Vec<SessionRecord>,
) -> LobbyChild {
    LobbyChild {
        first_name: first.into(),
        last_name: last.into(),
        room: room.into(),
        consent,
        records,
    }
}

fn view_of(children: &[LobbyChild]) -> LobbyView {
    lobby_view(LobbyInput {
        setting_name: "Test Nursery".into(),
        today: thursday(),
        target: 97,
        improved_points: 5,
        children,
        messages: vec![],
        updated: "09:30".into(),
    })
}

#[test]
fn week_so_far_ends_yesterday() {
    let cases = [
        // (today, first day, last day, label)
        (thursday(), monday(), date(2026, 11, 18), "This week"),
        (date(2026, 11, 17), monday(), monday(), "This week"),
        // A Monday shows the whole of last week.
        (monday(), date(2026, 11, 9), date(2026, 11, 15), "Last week"),
        // A Saturday covers Monday to Friday.
        (
            date(2026, 11, 21),
            monday(),
            date(2026, 11, 20),
            "This week",
        ),
    ];
    for (today, from, to, label) in cases {
        let (range, words) = week_so_far(today);
        assert_eq!(range.from, from, "{today}");
        assert_eq!(range.to, to, "{today}");
        assert_eq!(words, label, "{today}");
    }
}

#[test]
fn display_names_use_last_initial() {
    let cases = [
        ("Ava", "Whitfield", "Ava W."),
        (" Noah ", " ellison", "Noah E."),
        ("Zoë", "Ørsted", "Zoë Ø."),
        ("Kai", "", "Kai"),
    ];
    for (first, last, expected) in cases {
        assert_eq!(display_name(first, last), expected);
    }
}

#[test]
fn full_week_needs_every_booked_session() {
    let cases: Vec<(&str, Vec<SessionRecord>, bool)> = vec![
        ("all three days", mornings(monday(), 3, &[]), true),
        ("missed Tuesday", mornings(monday(), 3, &[1]), false),
        // Today's morning is not counted yet, so a missed morning today does not matter.
        ("missed today only", mornings(monday(), 4, &[3]), true),
        ("no booked sessions", vec![], false),
        (
            "unbooked extra only",
            vec![record(monday(), "pm", false, attended())],
            false,
        ),
        ("last week only", mornings(date(2026, 11, 9), 5, &[]), false),
    ];
    for (case, records, expected) in cases {
        let view = view_of(&[child("Ava", "Whitfield", "Pre-school", true, records)]);
        let listed = view.full_week == vec!["Ava W.".to_owned()];
        assert_eq!(listed, expected, "{case}");
    }
}

#[test]
fn children_without_consent_never_appear() {
    let full = mornings(monday(), 3, &[]);
    let view = view_of(&[
        child("Ava", "Whitfield", "Pre-school", false, full.clone()),
        child("Noah", "Ellison", "Pre-school", true, full),
    ]);
    assert_eq!(view.full_week, vec!["Noah E.".to_owned()]);
    let text = serde_json::to_string(&view).unwrap();
    assert!(!text.contains("Ava"), "{text}");
    assert!(!text.contains("Whitfield"), "{text}");
    assert!(!text.contains("Ellison"), "{text}");
}

#[test]
fn small_rooms_show_no_percentage() {
    let full = || mornings(monday(), 3, &[]);
    let mut children: Vec<LobbyChild> = (0..MIN_CHILDREN_FOR_PERCENT - 1)
        .map(|n| child(&format!("Baby{n}"), "Small", "Babies", true, full()))
        .collect();
    children.extend(
        (0..MIN_CHILDREN_FOR_PERCENT)
            .map(|n| child(&format!("Tod{n}"), "Big", "Toddlers", true, full())),
    );
    // A child with no sessions this week does not count towards the five.
    children.push(child("Kai", "Away", "Babies", true, vec![]));
    let view = view_of(&children);
    let babies = &view.rooms[0];
    assert_eq!(babies.name, "Babies");
    assert_eq!(babies.percent, None);
    assert!(!babies.met_target);
    let toddlers = &view.rooms[1];
    assert_eq!(toddlers.percent, Some(100));
    assert!(toddlers.met_target);
    assert_eq!(view.setting.percent, Some(100));
}

#[test]
fn setting_target_compared_exactly() {
    // 33 of 34 mornings is 97.05…%, which meets a 97% target; 32 of 33 is 96.96…%.
    let cases: [(i64, bool, Option<u32>); 2] = [(34, true, Some(97)), (33, false, Some(96))];
    for (sessions, met, percent) in cases {
        let mut children = Vec::new();
        // Sessions spread over 5 children, three mornings each (15), then single mornings.
        let mut left = sessions;
        let mut n = 0;
        while left > 0 {
            let days = left.min(3);
            children.push(child(
                &format!("C{n}"),
                "X",
                "Room",
                true,
                mornings(monday(), days, &[]),
            ));
            left -= days;
            n += 1;
        }
        // One missed morning in the first child's week.
        children[0].records[0].outcome = missed(None);
        let view = view_of(&children);
        assert_eq!(view.setting.percent, percent, "{sessions} sessions");
        assert_eq!(view.setting.met_target, met, "{sessions} sessions");
    }
}

#[test]
fn most_improved_by_exact_rise() {
    let today = thursday();
    // The previous six weeks are 84 to 43 days ago and the rolling six weeks 42 days ago to
    // yesterday; each child has one booked morning a day in both.
    let previous_start = today - Duration::days(84);
    let rolling_start = today - Duration::days(42);
    let history = |previous_missed: &[i64], rolling_missed: &[i64]| {
        let mut list = mornings(previous_start, 42, previous_missed);
        list.extend(mornings(rolling_start, 42, rolling_missed));
        list
    };
    let ten: Vec<i64> = (0..10).collect();
    let five: Vec<i64> = (0..5).collect();
    let two: Vec<i64> = (0..2).collect();
    let children = vec![
        // 32/42 to 42/42: up 23.8 points.
        child("Big", "Riser", "Room", true, history(&ten, &[])),
        // 37/42 to 42/42: up 11.9 points.
        child("Mid", "Riser", "Room", true, history(&five, &[])),
        // 40/42 to 42/42: up 4.8 points, below the 5-point threshold.
        child("Small", "Riser", "Room", true, history(&two, &[])),
        // Unchanged at 100%.
        child("Steady", "Full", "Room", true, history(&[], &[])),
        // Risen most of all, but without consent.
        child(
            "Hidden",
            "Riser",
            "Room",
            false,
            history(&(0..20).collect::<Vec<_>>(), &[]),
        ),
        // Fallen.
        child("Down", "Faller", "Room", true, history(&[], &ten)),
    ];
    let view = view_of(&children);
    assert_eq!(
        view.improved,
        vec!["Big R.".to_owned(), "Mid R.".to_owned()]
    );
}

#[test]
fn streaks_longest_first() {
    let first_monday = monday() - Duration::days(21);
    let children = vec![
        // Four full weeks including this week so far.
        child(
            "Four",
            "Weeks",
            "Room",
            true,
            weekday_mornings(first_monday, 3, &[])
                .into_iter()
                .chain(mornings(monday(), 3, &[]))
                .collect(),
        ),
        // Missed a day three weeks ago: a streak of the last two weeks and this one.
        child(
            "Three",
            "Weeks",
            "Room",
            true,
            weekday_mornings(first_monday, 3, &[2])
                .into_iter()
                .chain(mornings(monday(), 3, &[]))
                .collect(),
        ),
        // Missed a day this week: the streak runs back from last week, which was not full.
        child(
            "None",
            "Here",
            "Room",
            true,
            weekday_mornings(first_monday, 3, &[12])
                .into_iter()
                .chain(mornings(monday(), 3, &[0]))
                .collect(),
        ),
    ];
    let view = view_of(&children);
    let streaks: Vec<(String, u32)> = view
        .streaks
        .iter()
        .map(|s| (s.name.clone(), s.weeks))
        .collect();
    assert_eq!(
        streaks,
        vec![("Four W.".to_owned(), 4), ("Three W.".to_owned(), 3)]
    );
}

#[test]
fn slides_skip_empty_lists() {
    let view = view_of(&[child("Ava", "Whitfield", "Pre-school", true, vec![])]);
    assert_eq!(view.messages.len(), DEFAULT_MESSAGES.len());
    let list = slides(&view);
    assert_eq!(list[0], Slide::Setting);
    assert_eq!(list[1], Slide::Rooms);
    assert!(!list.contains(&Slide::FullWeek(0)));
    assert!(!list.contains(&Slide::Improved));
    assert!(!list.contains(&Slide::Streaks(0)));
    assert_eq!(list.len(), 2 + DEFAULT_MESSAGES.len());
}

#[test]
fn long_lists_split_over_slides() {
    let full = || mornings(monday(), 3, &[]);
    let children: Vec<LobbyChild> = (0..MAX_NAMES_SHOWN + 3)
        .map(|n| child(&format!("Child{n:02}"), "Full", "Room", true, full()))
        .collect();
    let view = view_of(&children);
    assert_eq!(view.full_week.len(), MAX_NAMES_SHOWN);
    assert_eq!(view.full_week_more, 3);
    let pages: Vec<Slide> = slides(&view)
        .into_iter()
        .filter(|slide| matches!(slide, Slide::FullWeek(_)))
        .collect();
    assert_eq!(pages.len(), MAX_NAMES_SHOWN / NAMES_PER_SLIDE);
}

#[test]
fn messages_checked() {
    assert_eq!(parse_messages("  \n\n").unwrap(), Vec::<String>::new());
    assert_eq!(
        parse_messages(" Hello \n\nThank you\n").unwrap(),
        vec!["Hello".to_owned(), "Thank you".to_owned()]
    );
    let too_many = (0..=MAX_MESSAGES)
        .map(|n| format!("Line {n}\n"))
        .collect::<String>();
    assert!(parse_messages(&too_many).is_err());
    assert!(parse_messages(&"a".repeat(161)).is_err());
    assert!(parse_messages(&"a".repeat(160)).is_ok());
}
