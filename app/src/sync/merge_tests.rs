//! Property tests of offline marking and sync: several tablets mark the same children while
//! offline and sync in random orders, with replies lost and batches sent twice. The server
//! keeps each event once, no mark is lost, and every tablet ends with the server's day.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::outbox::Outbox;
use crate::domain::events::{
    check_event, check_new_event, derive_day, AttendanceEvent, CheckContext, Collector, Correction,
    EventAction,
};
use crate::domain::reasons::AbsenceReason;
use crate::register::model::RejectedEvent;

const CHILDREN: u128 = 3;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn minute(offset: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 7, 30, 0).unwrap() + chrono::Duration::minutes(offset.into())
}

fn label(instant: DateTime<Utc>) -> String {
    instant.format("%H:%M").to_string()
}

fn date_of(instant: DateTime<Utc>) -> NaiveDate {
    instant.date_naive()
}

fn context(occurred: DateTime<Utc>) -> CheckContext<'static> {
    CheckContext {
        now: minute(24 * 60 - 1),
        occurred_local_date: occurred.date_naive(),
        closed: None,
        time_label: &label,
        date_of: &date_of,
    }
}

fn for_child(events: &[AttendanceEvent], child: Uuid) -> Vec<AttendanceEvent> {
    events
        .iter()
        .filter(|event| event.child_id == child)
        .cloned()
        .collect()
}

/// The server's rule: store each new event that passes [`check_event`], once.
#[derive(Default)]
struct Server {
    stored: Vec<AttendanceEvent>,
}

impl Server {
    fn receive(&mut self, batch: &[AttendanceEvent]) -> (Vec<Uuid>, Vec<RejectedEvent>) {
        let mut accepted = Vec::new();
        let mut rejected = Vec::new();
        for event in batch {
            if self.stored.iter().any(|stored| stored.id == event.id) {
                accepted.push(event.id);
                continue;
            }
            let existing = for_child(&self.stored, event.child_id);
            match check_event(&existing, event, &context(event.occurred_at)) {
                Ok(()) => {
                    self.stored.push(event.clone());
                    accepted.push(event.id);
                }
                Err(rejection) => rejected.push(RejectedEvent {
                    id: event.id,
                    rejection,
                }),
            }
        }
        (accepted, rejected)
    }
}

/// A tablet: the events it has for the day, and its outbox.
#[derive(Default)]
struct Tablet {
    known: Vec<AttendanceEvent>,
    outbox: Outbox,
    made: Vec<AttendanceEvent>,
}

impl Tablet {
    /// Makes a mark if the tablet's own view allows it, as the register screen does.
    fn mark(&mut self, id: Uuid, child: Uuid, at: DateTime<Utc>, intent: u8) {
        let own = for_child(&self.known, child);
        let last_mark = own
            .iter()
            .rev()
            .find(|event| event.action.target().is_none())
            .map(|event| event.id);
        let action = match intent % 5 {
            0 => EventAction::Arrived,
            1 => EventAction::Departed {
                collected_by: Collector {
                    contact_id: None,
                    name: "Dad".into(),
                    on_list: false,
                },
            },
            2 => EventAction::Absent {
                reason: AbsenceReason::Illness,
                note: None,
            },
            3 => match last_mark {
                Some(target) => EventAction::Undone { target },
                None => return,
            },
            _ => match last_mark {
                Some(target) => EventAction::Corrected {
                    target,
                    correction: Correction::Withdraw,
                    reason: "marked on the wrong child".into(),
                },
                None => return,
            },
        };
        let event = AttendanceEvent {
            id,
            child_id: child,
            date: date(),
            occurred_at: at,
            recorded_at: None,
            staff_id: None,
            device_id: None,
            action,
        };
        if check_new_event(&own, &event, &context(at)).is_ok() {
            self.known.push(event.clone());
            self.outbox.push(event.clone());
            self.made.push(event);
        }
    }

    /// Sends the outbox; with `lose_reply`, the server stores the batch but the tablet never
    /// hears back, as when the connection drops mid-request.
    fn sync(&mut self, server: &mut Server, lose_reply: bool) {
        let batch = self.outbox.next_batch();
        let (accepted, rejected) = server.receive(&batch);
        if lose_reply {
            return;
        }
        let settled = self.outbox.settle(&accepted, &rejected, minute(0));
        for rejected in settled.rejected {
            self.known.retain(|event| event.id != rejected.event.id);
        }
        for event in &server.stored {
            if !self.known.iter().any(|known| known.id == event.id) {
                self.known.push(event.clone());
            }
        }
    }
}

/// One step of a run: a tablet marks a child, or syncs.
#[derive(Debug, Clone)]
enum Step {
    Mark {
        tablet: usize,
        child: u128,
        intent: u8,
    },
    Sync {
        tablet: usize,
        lose_reply: bool,
    },
}

fn step(tablets: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..tablets, 0..CHILDREN, any::<u8>())
            .prop_map(|(tablet, child, intent)| Step::Mark { tablet, child, intent }),
        1 => (0..tablets, any::<bool>())
            .prop_map(|(tablet, lose_reply)| Step::Sync { tablet, lose_reply }),
    ]
}

fn run(tablet_count: usize, steps: &[Step]) -> (Server, Vec<Tablet>) {
    let mut server = Server::default();
    let mut tablets: Vec<Tablet> = (0..tablet_count).map(|_| Tablet::default()).collect();
    for (index, step) in steps.iter().enumerate() {
        let index = u32::try_from(index).unwrap();
        match *step {
            Step::Mark {
                tablet,
                child,
                intent,
            } => {
                // Ids and times from the step number: unique, and in the order made.
                let id = Uuid::from_u128(1_000 + u128::from(index));
                tablets[tablet].mark(id, Uuid::from_u128(child), minute(index), intent);
            }
            Step::Sync { tablet, lose_reply } => tablets[tablet].sync(&mut server, lose_reply),
        }
    }
    // Everyone comes back online: two rounds, so each tablet hears the others' marks.
    for _ in 0..2 {
        for tablet in &mut tablets {
            tablet.sync(&mut server, false);
        }
    }
    (server, tablets)
}

fn days(events: &[AttendanceEvent]) -> HashMap<Uuid, crate::domain::events::ChildDay> {
    (0..CHILDREN)
        .map(Uuid::from_u128)
        .map(|child| (child, derive_day(&for_child(events, child))))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn tablets_and_server_converge(
        tablet_count in 2usize..5,
        steps in proptest::collection::vec(step(4), 1..60),
    ) {
        let steps: Vec<Step> = steps
            .into_iter()
            .map(|step| match step {
                Step::Mark { tablet, child, intent } =>
                    Step::Mark { tablet: tablet % tablet_count, child, intent },
                Step::Sync { tablet, lose_reply } =>
                    Step::Sync { tablet: tablet % tablet_count, lose_reply },
            })
            .collect();
        let (server, tablets) = run(tablet_count, &steps);

        // Nothing doubled: each event is stored once.
        let stored: BTreeSet<Uuid> = server.stored.iter().map(|event| event.id).collect();
        prop_assert_eq!(stored.len(), server.stored.len());

        // Nothing lost: every mark made is stored or shown to staff as rejected.
        for tablet in &tablets {
            prop_assert!(tablet.outbox.pending.is_empty());
            for made in &tablet.made {
                let rejected = tablet.outbox.rejected.iter().any(|r| r.event.id == made.id);
                prop_assert!(stored.contains(&made.id) || rejected, "lost {:?}", made);
            }
        }

        // Every tablet derives the server's day for every child.
        let expected = days(&server.stored);
        for tablet in &tablets {
            prop_assert_eq!(&days(&tablet.known), &expected);
        }

        // The tablets' batches arriving in the opposite order, each twice, store the same
        // events. A tablet only learns another's mark through the server, so an undo of it
        // always reaches the server after the mark: hold such an undo back until then.
        let mut reordered = Server::default();
        let mut waiting: Vec<AttendanceEvent> = tablets
            .iter()
            .rev()
            .flat_map(|tablet| tablet.made.iter().chain(tablet.made.iter()).cloned())
            .collect();
        while !waiting.is_empty() {
            let before = waiting.len();
            waiting.retain(|event| {
                let ready = event
                    .action
                    .target()
                    .is_none_or(|target| reordered.stored.iter().any(|s| s.id == target));
                if ready {
                    reordered.receive(std::slice::from_ref(event));
                }
                !ready
            });
            if waiting.len() == before {
                // The rest point at marks that were rejected: send them as they are.
                reordered.receive(&waiting);
                break;
            }
        }
        let reordered_ids: BTreeSet<Uuid> =
            reordered.stored.iter().map(|event| event.id).collect();
        prop_assert_eq!(&reordered_ids, &stored);
        prop_assert_eq!(days(&reordered.stored), expected);
    }
}
