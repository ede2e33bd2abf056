use chrono::{TimeZone, Utc};

use super::*;

const CHILD: Uuid = Uuid::from_u128(1);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, hour, minute, 0).unwrap()
}

fn event(id: u128, time: DateTime<Utc>, action: EventAction) -> AttendanceEvent {
    AttendanceEvent {
        id: Uuid::from_u128(id),
        child_id: CHILD,
        date: day(),
        occurred_at: time,
        recorded_at: None,
        staff_id: None,
        device_id: None,
        action,
    }
}

fn departed(name: &str) -> EventAction {
    EventAction::Departed {
        collected_by: Collector {
            contact_id: None,
            name: name.into(),
            on_list: true,
        },
    }
}

fn label(instant: DateTime<Utc>) -> String {
    instant.format("%H:%M").to_string()
}

fn date_of(instant: DateTime<Utc>) -> NaiveDate {
    instant.date_naive()
}

fn check(existing: &[AttendanceEvent], new: &AttendanceEvent) -> Result<(), Rejection> {
    let context = CheckContext {
        now: at(16, 0),
        occurred_local_date: new.occurred_at.date_naive(),
        closed: None,
        time_label: &label,
        date_of: &date_of,
    };
    check_new_event(existing, new, &context)
}

#[test]
fn derive_day_arrival_then_departure() {
    let events = [
        event(1, at(8, 12), EventAction::Arrived),
        event(2, at(15, 30), departed("Gran")),
    ];
    let result = derive_day(&events);
    assert_eq!(
        result.presence,
        Presence::GoneHome {
            departed: at(15, 30),
            collected_by: Some(Collector {
                contact_id: None,
                name: "Gran".into(),
                on_list: true
            })
        }
    );
    assert!(result.conflicts.is_empty());
}

#[test]
fn derive_day_out_of_order_and_duplicated() {
    let arrival = event(1, at(8, 12), EventAction::Arrived);
    let departure = event(2, at(15, 30), departed("Gran"));
    let in_order = derive_day(&[arrival.clone(), departure.clone()]);
    let shuffled = derive_day(&[departure.clone(), arrival.clone(), departure, arrival]);
    assert_eq!(in_order, shuffled);
    assert_eq!(shuffled.visits.len(), 1);
}

#[test]
fn derive_day_undo_withdraws_mark() {
    let events = [
        event(1, at(8, 12), EventAction::Arrived),
        event(
            2,
            at(8, 12) + chrono::Duration::seconds(3),
            EventAction::Undone {
                target: Uuid::from_u128(1),
            },
        ),
    ];
    assert_eq!(derive_day(&events).presence, Presence::NotMarked);
}

#[test]
fn derive_day_time_correction_moves_arrival() {
    let events = [
        event(1, at(9, 0), EventAction::Arrived),
        event(
            2,
            at(10, 0),
            EventAction::Corrected {
                target: Uuid::from_u128(1),
                correction: Correction::Time { at: at(8, 5) },
                reason: "marked late".into(),
            },
        ),
    ];
    assert_eq!(
        derive_day(&events).presence,
        Presence::Here { since: at(8, 5) }
    );
}

#[test]
fn derive_day_reason_added_later() {
    let events = [
        event(
            1,
            at(9, 0),
            EventAction::Absent {
                reason: AbsenceReason::NotYetKnown,
                note: None,
            },
        ),
        event(
            2,
            at(11, 0),
            EventAction::Corrected {
                target: Uuid::from_u128(1),
                correction: Correction::Reason {
                    reason: AbsenceReason::Illness,
                    note: None,
                },
                reason: "mother phoned".into(),
            },
        ),
    ];
    let Presence::Absent { reason, .. } = derive_day(&events).presence else {
        panic!("expected absent");
    };
    assert_eq!(reason, AbsenceReason::Illness);
}

#[test]
fn derive_day_flags_absent_and_arrived() {
    let events = [
        event(
            1,
            at(8, 0),
            EventAction::Absent {
                reason: AbsenceReason::Illness,
                note: None,
            },
        ),
        event(2, at(9, 0), EventAction::Arrived),
    ];
    let result = derive_day(&events);
    assert_eq!(result.presence, Presence::Here { since: at(9, 0) });
    assert_eq!(result.conflicts.len(), 1);
}

#[test]
fn check_rejects_departure_before_arrival() {
    let existing = [event(1, at(9, 0), EventAction::Arrived)];
    let rejection = check(&existing, &event(2, at(8, 30), departed("Gran"))).unwrap_err();
    assert_eq!(rejection.field, "occurred_at");
    assert!(
        rejection.message.contains("before the arrival at 09:00"),
        "{}",
        rejection.message
    );
}

#[test]
fn check_rejects_departure_without_arrival() {
    let rejection = check(&[], &event(2, at(15, 0), departed("Gran"))).unwrap_err();
    assert_eq!(rejection.field, "kind");
}

#[test]
fn check_rejects_second_arrival() {
    let existing = [event(1, at(9, 0), EventAction::Arrived)];
    let rejection = check(&existing, &event(2, at(9, 0), EventAction::Arrived)).unwrap_err();
    assert!(rejection
        .message
        .contains("already marked here since 09:00"));
}

#[test]
fn check_accepts_replayed_event() {
    let existing = [event(1, at(9, 0), EventAction::Arrived)];
    assert_eq!(check(&existing, &existing[0]), Ok(()));
}

#[test]
fn check_rejects_future_time() {
    let rejection = check(&[], &event(1, at(17, 0), EventAction::Arrived)).unwrap_err();
    assert_eq!(rejection.field, "occurred_at");
    assert!(rejection.message.contains("in the future"));
}

#[test]
fn check_rejects_closed_day() {
    let new = event(1, at(9, 0), EventAction::Arrived);
    let context = CheckContext {
        now: at(16, 0),
        occurred_local_date: day(),
        closed: Some("closed: Training day".into()),
        time_label: &label,
        date_of: &date_of,
    };
    let rejection = check_new_event(&[], &new, &context).unwrap_err();
    assert_eq!(rejection.field, "date");
    assert!(rejection.message.contains("Training day"));
}

#[test]
fn check_rejects_mark_on_another_local_day() {
    let mut new = event(1, at(9, 0), EventAction::Arrived);
    new.date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let rejection = check(&[], &new).unwrap_err();
    assert_eq!(rejection.field, "occurred_at");
}

#[test]
fn check_requires_note_for_other() {
    let new = event(
        1,
        at(9, 0),
        EventAction::Absent {
            reason: AbsenceReason::Other,
            note: Some("  ".into()),
        },
    );
    assert_eq!(check(&[], &new).unwrap_err().field, "note");
}

#[test]
fn check_requires_correction_reason() {
    let existing = [event(1, at(9, 0), EventAction::Arrived)];
    let new = event(
        2,
        at(10, 0),
        EventAction::Corrected {
            target: Uuid::from_u128(1),
            correction: Correction::Withdraw,
            reason: " ".into(),
        },
    );
    assert_eq!(check(&existing, &new).unwrap_err().field, "reason");
}

#[test]
fn check_rejects_correction_that_breaks_order() {
    let existing = [
        event(1, at(9, 0), EventAction::Arrived),
        event(2, at(12, 0), departed("Dad")),
    ];
    let new = event(
        3,
        at(13, 0),
        EventAction::Corrected {
            target: Uuid::from_u128(1),
            correction: Correction::Time { at: at(12, 30) },
            reason: "typo".into(),
        },
    );
    assert_eq!(check(&existing, &new).unwrap_err().field, "correction");
}

#[test]
fn check_rejects_unknown_target() {
    let new = event(
        2,
        at(10, 0),
        EventAction::Undone {
            target: Uuid::from_u128(99),
        },
    );
    assert_eq!(check(&[], &new).unwrap_err().field, "target");
}

#[test]
fn check_rejects_undo_of_withdrawn_mark() {
    let existing = [
        event(1, at(9, 0), EventAction::Arrived),
        event(
            2,
            at(9, 1),
            EventAction::Undone {
                target: Uuid::from_u128(1),
            },
        ),
    ];
    let new = event(
        3,
        at(9, 2),
        EventAction::Undone {
            target: Uuid::from_u128(1),
        },
    );
    assert!(check(&existing, &new)
        .unwrap_err()
        .message
        .contains("already withdrawn"));
}

#[test]
fn event_json_shape_is_flat() {
    let json = serde_json::to_value(event(1, at(9, 0), EventAction::Arrived)).unwrap();
    assert_eq!(json["kind"], "arrived");
    assert_eq!(json["date"], "2026-12-04");
}

#[test]
fn check_rejects_undo_after_departure() {
    let existing = [
        event(1, at(9, 0), EventAction::Arrived),
        event(2, at(12, 0), departed("Dad")),
    ];
    let undo = event(
        3,
        at(12, 1),
        EventAction::Undone {
            target: Uuid::from_u128(1),
        },
    );
    let rejection = check(&existing, &undo).unwrap_err();
    assert_eq!(rejection.field, "target");
    assert!(
        rejection.message.contains("no arrival before it"),
        "{}",
        rejection.message
    );
}

#[test]
fn late_arrival_inside_a_visit_is_a_repeat_that_changes_nothing() {
    let existing = vec![
        event(1, at(9, 0), EventAction::Arrived),
        event(2, at(12, 0), departed("Dad")),
    ];
    let late = event(3, at(10, 0), EventAction::Arrived);
    assert!(check(&existing, &late).is_ok());
    let mut after = existing.clone();
    after.push(late);
    assert_eq!(derive_day(&after), derive_day(&existing));
}

#[test]
fn check_accepts_arrival_after_going_home() {
    let existing = [
        event(1, at(9, 0), EventAction::Arrived),
        event(2, at(12, 0), departed("Dad")),
    ];
    assert_eq!(
        check(&existing, &event(3, at(14, 0), EventAction::Arrived)),
        Ok(())
    );
}

#[test]
fn check_rejects_correction_dated_before_day() {
    let existing = [event(1, at(9, 0), EventAction::Arrived)];
    let mut correction = event(
        2,
        at(9, 5),
        EventAction::Corrected {
            target: Uuid::from_u128(1),
            correction: Correction::Withdraw,
            reason: "mistake".into(),
        },
    );
    correction.occurred_at = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        check(&existing, &correction).unwrap_err().field,
        "occurred_at"
    );
}

mod order {
    use proptest::prelude::*;

    use super::*;

    /// Builds a plausible day: an arrival, maybe a departure, an undo or a correction, and
    /// maybe a later absence, with arbitrary times so some events conflict.
    fn day_events(minutes: Vec<u32>, shape: u8) -> Vec<AttendanceEvent> {
        let time = |index: usize| at(7, 0) + chrono::Duration::minutes(i64::from(minutes[index]));
        let mut events = vec![event(1, time(0), EventAction::Arrived)];
        if shape & 1 != 0 {
            events.push(event(2, time(1), departed("Dad")));
        }
        if shape & 2 != 0 {
            events.push(event(
                3,
                time(2),
                EventAction::Undone {
                    target: Uuid::from_u128(1),
                },
            ));
        }
        if shape & 4 != 0 {
            let correction = Correction::Time { at: time(3) };
            let action = EventAction::Corrected {
                target: Uuid::from_u128(2),
                correction,
                reason: "typo".into(),
            };
            events.push(event(4, time(4), action));
        }
        if shape & 8 != 0 {
            let action = EventAction::Absent {
                reason: AbsenceReason::Illness,
                note: None,
            };
            events.push(event(5, time(5), action));
        }
        events
    }

    proptest! {
        #[test]
        fn derive_day_ignores_order_and_duplicates(
            minutes in proptest::collection::vec(0u32..600, 6),
            shape in 0u8..16,
            picks in proptest::collection::vec(0usize..64, 0..12),
            seed in any::<u64>(),
        ) {
            let events = day_events(minutes, shape);
            let expected = derive_day(&events);

            // Replay copies of random events, then shuffle deterministically by `seed`.
            let mut mixed = events.clone();
            for pick in picks {
                mixed.push(events[pick % events.len()].clone());
            }
            let mut state = seed;
            for index in (1..mixed.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let other = (state >> 33) as usize % (index + 1);
                mixed.swap(index, other);
            }
            prop_assert_eq!(derive_day(&mixed), expected);
        }
    }
}
