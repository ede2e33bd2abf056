//! The tablet's outbox: every mark made on the tablet stays here until the server has
//! acknowledged it, and every mark the server rejected stays until staff have read why.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::events::AttendanceEvent;
use crate::register::model::RejectedEvent;

/// Most events sent in one sync; a longer outbox goes in several syncs, oldest first.
pub const BATCH_LIMIT: usize = 500;

/// A mark the server rejected, with its reason, kept for staff to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedMark {
    pub event: AttendanceEvent,
    pub field: String,
    pub message: String,
    pub rejected_at: DateTime<Utc>,
}

/// Marks waiting for the server and marks it rejected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    /// Events the server has not acknowledged, in the order they were made.
    pub pending: Vec<AttendanceEvent>,
    /// Events the server rejected, until staff dismiss them.
    #[serde(default)]
    pub rejected: Vec<RejectedMark>,
}

/// The changes a server reply made to the outbox.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settled {
    /// How many pending events the reply acknowledged.
    pub acknowledged: usize,
    /// Pending events the server rejected, now moved to [`Outbox::rejected`].
    pub rejected: Vec<RejectedMark>,
}

impl Outbox {
    /// Adds an event to the end of the queue; an event already queued is not added twice.
    pub fn push(&mut self, event: AttendanceEvent) {
        if !self.pending.iter().any(|queued| queued.id == event.id) {
            self.pending.push(event);
        }
    }

    /// Returns the oldest pending events, at most [`BATCH_LIMIT`] of them.
    pub fn next_batch(&self) -> Vec<AttendanceEvent> {
        self.pending.iter().take(BATCH_LIMIT).cloned().collect()
    }

    /// Returns whether `id` is still waiting for the server.
    pub fn is_pending(&self, id: Uuid) -> bool {
        self.pending.iter().any(|event| event.id == id)
    }

    /// Applies a server reply: acknowledged events leave the queue, rejected ones move to the
    /// rejected list, and events the reply does not mention stay queued.
    pub fn settle(
        &mut self,
        accepted: &[Uuid],
        rejected: &[RejectedEvent],
        now: DateTime<Utc>,
    ) -> Settled {
        let mut settled = Settled::default();
        let mut kept = Vec::with_capacity(self.pending.len());
        for event in self.pending.drain(..) {
            if accepted.contains(&event.id) {
                settled.acknowledged += 1;
            } else if let Some(rejection) = rejected.iter().find(|r| r.id == event.id) {
                settled.rejected.push(RejectedMark {
                    event,
                    field: rejection.rejection.field.clone(),
                    message: rejection.rejection.message.clone(),
                    rejected_at: now,
                });
            } else {
                kept.push(event);
            }
        }
        self.pending = kept;
        self.rejected.extend(settled.rejected.iter().cloned());
        settled
    }

    /// Takes in the contents of another copy of the outbox (another tab on the same tablet
    /// writes to the same storage): its pending and rejected marks that this copy lacks, except the
    /// ids in `settled`, which this copy has already seen acknowledged, rejected or dismissed.
    pub fn absorb(&mut self, other: Outbox, settled: &HashSet<Uuid>) {
        for event in other.pending {
            if !settled.contains(&event.id) && !self.is_known(event.id) {
                self.pending.push(event);
            }
        }
        for rejected in other.rejected {
            let id = rejected.event.id;
            if !settled.contains(&id) && !self.rejected.iter().any(|r| r.event.id == id) {
                self.rejected.push(rejected);
            }
        }
    }

    /// Returns whether `id` is pending or rejected in this outbox.
    pub fn is_known(&self, id: Uuid) -> bool {
        self.is_pending(id) || self.rejected.iter().any(|r| r.event.id == id)
    }

    /// Removes a rejected mark once staff have read it.
    pub fn dismiss(&mut self, id: Uuid) {
        self.rejected.retain(|rejected| rejected.event.id != id);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::domain::events::{EventAction, Rejection};

    fn event(id: u128) -> AttendanceEvent {
        AttendanceEvent {
            id: Uuid::from_u128(id),
            child_id: Uuid::from_u128(100),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            occurred_at: Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap(),
            recorded_at: None,
            staff_id: None,
            device_id: None,
            action: EventAction::Arrived,
        }
    }

    #[test]
    fn settle_keeps_what_the_reply_does_not_mention() {
        let mut outbox = Outbox::default();
        for id in 1..=4 {
            outbox.push(event(id));
        }
        outbox.push(event(2));
        assert_eq!(outbox.pending.len(), 4);
        let rejected = vec![RejectedEvent {
            id: Uuid::from_u128(3),
            rejection: Rejection {
                field: "date".into(),
                message: "closed".into(),
            },
        }];
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 9, 5, 0).unwrap();
        let settled = outbox.settle(&[Uuid::from_u128(1), Uuid::from_u128(2)], &rejected, now);
        assert_eq!(settled.acknowledged, 2);
        assert_eq!(settled.rejected.len(), 1);
        assert_eq!(outbox.pending, vec![event(4)]);
        assert_eq!(outbox.rejected[0].message, "closed");
        outbox.dismiss(Uuid::from_u128(3));
        assert!(outbox.rejected.is_empty());
    }

    #[test]
    fn absorb_takes_another_tabs_marks_once() {
        let mut here = Outbox::default();
        here.push(event(1));
        here.push(event(2));
        let mut there = Outbox::default();
        for id in [2, 3, 4] {
            there.push(event(id));
        }
        let settled: HashSet<Uuid> = [Uuid::from_u128(4)].into();
        here.absorb(there, &settled);
        let ids: Vec<u128> = here.pending.iter().map(|e| e.id.as_u128()).collect();
        assert_eq!(ids, [1, 2, 3], "4 was acknowledged here already");
    }

    #[test]
    fn batches_are_oldest_first_and_bounded() {
        let mut outbox = Outbox::default();
        for id in 0..(BATCH_LIMIT as u128 + 20) {
            outbox.push(event(id + 1));
        }
        let batch = outbox.next_batch();
        assert_eq!(batch.len(), BATCH_LIMIT);
        assert_eq!(batch[0].id, Uuid::from_u128(1));
    }
}
