//! The register's sync loop in the browser: load what the tablet kept, send the outbox, merge
//! the server's changes, and try again with growing pauses when the network is down.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::client::browser_now_millis;
use super::model::RegisterView;
use super::state::RegisterState;
use crate::domain::calendar::local_date;
use crate::domain::events::AttendanceEvent;
use crate::error::AppError;
use crate::sync::device::{self, STORAGE_PROBLEM};
use crate::sync::outbox::{Outbox, Settled};
use crate::sync::protocol::{SyncRequest, SyncResponse};
use crate::sync::status::{retry_delay_seconds, Link};
use crate::sync::stored::{self, RoomSnapshot, StoredProblem, OUTBOX_KEY};

/// How often a tablet with nothing to send asks for other tablets' marks, in seconds.
const POLL_SECONDS: u32 = 20;
/// Local storage key where an outbox this app cannot read is kept aside, never deleted.
const UNREADABLE_OUTBOX_KEY: &str = "here-today.outbox.unreadable";

/// The sync loop's own bookkeeping.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncRun {
    running: bool,
    /// Another sync was asked for while one was running.
    again: bool,
    /// Failed syncs in a row, for the back-off.
    failures: u32,
    /// Bumped on every new timer, so older timers do nothing when they fire.
    timer: u64,
}

/// Adds events the view does not hold yet to their children's cards; for events it holds,
/// takes the server's stored time.
fn merge_into(view: &mut RegisterView, events: &[AttendanceEvent]) {
    for event in events.iter().filter(|event| event.date == view.date) {
        let Some(card) = view
            .children
            .iter_mut()
            .find(|card| card.id == event.child_id)
        else {
            continue;
        };
        match card.events.iter_mut().find(|known| known.id == event.id) {
            Some(known) => {
                if known.recorded_at.is_none() {
                    known.recorded_at = event.recorded_at;
                }
            }
            None => card.events.push(event.clone()),
        }
    }
}

fn all_events(view: &RegisterView) -> Vec<AttendanceEvent> {
    view.children
        .iter()
        .flat_map(|card| card.events.iter().cloned())
        .collect()
}

impl RegisterState {
    /// Starts offline work once the page runs in the browser: reads the outbox and the room's
    /// last known register from local storage, merges them into the page, and starts syncing.
    pub fn start_in_browser(&self, device_id: String) {
        self.device.set_value(Some(device_id));
        let server = self
            .view
            .with_untracked(|view| view.server_now.timestamp_millis());
        self.skew_millis.set_value(server - browser_now_millis());
        self.load_outbox();
        self.load_room();
        self.refresh_counts();
        if self.is_stale() && !device::browser_online() {
            self.start_new_day_offline();
        }
        self.save_room();
        self.sync_now();
    }

    fn load_outbox(&self) {
        let text = match device::read(OUTBOX_KEY) {
            Ok(text) => text,
            Err(_) => {
                self.storage_problem.set(Some(STORAGE_PROBLEM.to_owned()));
                return;
            }
        };
        let Some(text) = text else { return };
        match stored::decode_outbox(&text) {
            Ok(outbox) => {
                self.view.update(|view| merge_into(view, &outbox.pending));
                self.outbox.set_value(outbox);
            }
            Err(StoredProblem::Newer(format)) => {
                self.outbox_locked.set_value(true);
                self.storage_problem.set(Some(format!(
                    "This tablet holds marks saved by a newer version of Here Today (format \
                     {format}). Reload the page while online to update; until then new marks \
                     are sent straight away and not kept on the tablet"
                )));
            }
            Err(StoredProblem::Unreadable(error)) => {
                leptos::logging::warn!("the stored outbox is unreadable: {error}");
                let _ = device::write(UNREADABLE_OUTBOX_KEY, &text);
            }
        }
    }

    fn load_room(&self) {
        let room = self.view.with_untracked(|view| view.room.id);
        let Ok(Some(text)) = device::read(&stored::room_key(room)) else {
            return;
        };
        let snapshot = match stored::decode_room(&text) {
            Ok(snapshot) => snapshot,
            Err(problem) => {
                leptos::logging::warn!("the stored register is not usable: {problem:?}");
                return;
            }
        };
        // A page served after the last sync came from the network, so the clock offset
        // measured from it is the newest. An older page came from the offline cache, and the
        // offset measured at the last sync is better.
        let page_is_newer = self
            .view
            .with_untracked(|view| snapshot.synced_at.is_none_or(|at| view.server_now > at));
        if !page_is_newer {
            self.skew_millis.set_value(snapshot.skew_millis);
        }
        self.synced_at.set_value(snapshot.synced_at);
        self.clock_check.set_value(snapshot.clock);
        self.clock_problem.set(
            snapshot
                .clock
                .filter(|clock| clock.flagged)
                .map(|clock| clock.words()),
        );
        self.view.update(|view| {
            let newer = snapshot.view.date > view.date
                || (snapshot.view.date == view.date
                    && snapshot.synced_at.is_some_and(|at| at > view.server_now));
            if newer {
                let page_events = all_events(view);
                *view = snapshot.view.clone();
                merge_into(view, &page_events);
            } else {
                merge_into(view, &all_events(&snapshot.view));
            }
        });
        self.cursor.set_value(snapshot.cursor);
        self.requeue_unsent();
    }

    /// Puts back in the outbox any mark the register shows as not yet sent that the outbox
    /// lacks, so a mark kept only in the room's copy is still sent. The server stores a mark it
    /// already has only once.
    fn requeue_unsent(&self) {
        let unsent: Vec<AttendanceEvent> = self.view.with_untracked(|view| {
            view.children
                .iter()
                .flat_map(|card| card.events.iter())
                .filter(|event| event.recorded_at.is_none())
                .cloned()
                .collect()
        });
        self.outbox.update_value(|outbox| {
            for event in unsent {
                if !outbox.is_known(event.id) {
                    outbox.push(event);
                }
            }
        });
    }

    /// Takes in marks another tab on this tablet wrote to the stored outbox.
    fn absorb_stored_outbox(&self) {
        if self.outbox_locked.get_value() {
            return;
        }
        let Ok(Some(text)) = device::read(OUTBOX_KEY) else {
            return;
        };
        if let Ok(stored) = stored::decode_outbox(&text) {
            let settled = self.settled_ids.get_value();
            self.outbox
                .update_value(|outbox| outbox.absorb(stored, &settled));
        }
    }

    /// Writes the outbox to local storage, or raises the storage banner when it cannot. Marks
    /// another tab stored meanwhile are kept.
    pub(super) fn save_outbox(&self) {
        self.absorb_stored_outbox();
        self.pending
            .set(self.outbox.with_value(|outbox| outbox.pending.len()));
        self.rejected
            .set(self.outbox.with_value(|outbox| outbox.rejected.clone()));
        if self.outbox_locked.get_value() {
            return;
        }
        let text = self
            .outbox
            .with_value(|outbox| stored::encode(outbox, self.now()));
        self.note_storage(device::write(OUTBOX_KEY, &text));
    }

    /// Writes the room's register, cursor and clock offset to local storage.
    pub(super) fn save_room(&self) {
        let snapshot = RoomSnapshot {
            view: self.view.get_untracked(),
            cursor: self.cursor.get_value(),
            synced_at: self.synced_at.get_value(),
            skew_millis: self.skew_millis.get_value(),
            clock: self.clock_check.get_value(),
        };
        let key = stored::room_key(snapshot.view.room.id);
        let text = stored::encode(&snapshot, self.now());
        self.note_storage(device::write(&key, &text));
    }

    fn note_storage(&self, result: Result<(), device::StorageUnavailable>) {
        match result {
            Ok(()) if !self.outbox_locked.get_value() => {
                if self.storage_problem.with_untracked(Option::is_some) {
                    self.storage_problem.set(None);
                }
            }
            Ok(()) => {}
            Err(_) => self.storage_problem.set(Some(STORAGE_PROBLEM.to_owned())),
        }
    }

    fn refresh_counts(&self) {
        self.pending
            .set(self.outbox.with_value(|outbox| outbox.pending.len()));
        self.rejected
            .set(self.outbox.with_value(|outbox| outbox.rejected.clone()));
    }

    /// Turns the register over to the new local day while offline: the same children, no
    /// marks yet, and bookings unknown until the server can be reached.
    pub fn start_new_day_offline(&self) {
        let today = local_date(self.view.with_untracked(RegisterView::zone), self.now());
        self.view.update(|view| {
            view.date = today;
            view.closed = None;
            for card in &mut view.children {
                card.events.clear();
                card.booked = false;
                card.sessions.clear();
            }
        });
        self.bookings_unknown.set(true);
        self.cursor.set_value(None);
        let pending = self.outbox.with_value(|outbox| outbox.pending.clone());
        self.view.update(|view| merge_into(view, &pending));
        self.save_room();
    }

    /// Removes a rejected mark from the list once staff have read it.
    pub fn dismiss_rejected(&self, id: Uuid) {
        self.settled_ids.update_value(|settled| {
            settled.insert(id);
        });
        self.outbox.update_value(|outbox| outbox.dismiss(id));
        self.save_outbox();
    }

    /// Returns false once the register page has been left and its state disposed. Timers and
    /// requests started earlier may still finish after that, and must then do nothing.
    pub fn is_alive(&self) -> bool {
        !self.sync.is_disposed() && !self.view.is_disposed()
    }

    /// Syncs now, or straight after the sync already running.
    pub fn sync_now(&self) {
        if !self.is_alive() {
            return;
        }
        let mut start = false;
        self.sync.update_value(|run| {
            if run.running {
                run.again = true;
            } else {
                run.running = true;
                start = true;
            }
        });
        if start {
            let state = *self;
            leptos::task::spawn_local(async move { state.run_syncs().await });
        }
    }

    /// Notes that the browser has lost its network.
    pub fn went_offline(&self) {
        if self.is_alive() && !matches!(self.link.get_untracked(), Link::Offline { .. }) {
            self.link.set(Link::Offline { since: self.now() });
        }
    }

    async fn run_syncs(self) {
        loop {
            let more = self.sync_once().await;
            if !self.is_alive() {
                return;
            }
            let again = {
                let mut again = false;
                self.sync.update_value(|run| {
                    again = run.again || more;
                    run.again = false;
                    if !again {
                        run.running = false;
                    }
                });
                again
            };
            if !again {
                break;
            }
        }
        let failures = self.sync.with_value(|run| run.failures);
        let delay = if failures == 0 {
            POLL_SECONDS
        } else {
            retry_delay_seconds(failures)
        };
        self.schedule(delay);
    }

    fn schedule(&self, seconds: u32) {
        let mut timer = 0;
        self.sync.update_value(|run| {
            run.timer += 1;
            timer = run.timer;
        });
        let state = *self;
        set_timeout(
            move || {
                let current = state
                    .sync
                    .try_with_value(|run| run.timer == timer)
                    .unwrap_or(false);
                if current {
                    state.sync_now();
                }
            },
            Duration::from_secs(seconds.into()),
        );
    }

    /// Sends one batch; returns true when more marks are waiting and the server is replying.
    async fn sync_once(&self) -> bool {
        let Some(device_id) = self.device.get_value() else {
            return false;
        };
        self.absorb_stored_outbox();
        let batch = self.outbox.with_value(Outbox::next_batch);
        let request = SyncRequest {
            device_id,
            room_id: self.view.with_untracked(|view| view.room.id),
            cursor: self.cursor.get_value(),
            device_now: DateTime::from_timestamp_millis(browser_now_millis())
                .unwrap_or_else(Utc::now),
            events: batch,
        };
        let sent_at = browser_now_millis();
        let result = device::post_sync(&request).await;
        let received_at = browser_now_millis();
        if !self.is_alive() {
            return false;
        }
        match result {
            Ok(reply) => {
                let midpoint = sent_at + (received_at - sent_at) / 2;
                self.skew_millis
                    .set_value(reply.server_now.timestamp_millis() - midpoint);
                self.sync.update_value(|run| run.failures = 0);
                self.apply_reply(reply, request.events.len())
            }
            Err(error) => {
                self.sync.update_value(|run| run.failures += 1);
                self.note_failure(error);
                false
            }
        }
    }

    fn note_failure(&self, error: AppError) {
        match error {
            AppError::Network { .. } => self.went_offline(),
            AppError::Revoked { message } => self.link.set(Link::Refused { message }),
            AppError::SignInNeeded => self.link.set(Link::Refused {
                message: "this tablet is not enrolled, so the server cannot take its marks. A \
                          manager can enrol it with a pairing code; the marks stay on this \
                          tablet until then"
                    .to_owned(),
            }),
            AppError::Internal => {
                leptos::logging::warn!("sync failed: {error}", error = AppError::Internal);
                self.link.set(Link::Failing {
                    message: "the server had a problem saving them. If this stays, tell the \
                              setting's manager"
                        .to_owned(),
                });
            }
            other => {
                leptos::logging::warn!("sync failed: {other}");
                self.link.set(Link::Failing {
                    message: format!(
                        "the server said: {other}. If this stays, tell the setting's manager"
                    ),
                });
            }
        }
    }

    fn apply_reply(&self, reply: SyncResponse, sent: usize) -> bool {
        let now = self.now();
        let mut settled = Settled::default();
        self.outbox.update_value(|outbox| {
            settled = outbox.settle(&reply.accepted, &reply.rejected, now);
        });
        self.settled_ids.update_value(|ids| {
            ids.extend(reply.accepted.iter().copied());
            ids.extend(reply.rejected.iter().map(|r| r.id));
        });
        let rejected: Vec<Uuid> = settled.rejected.iter().map(|r| r.event.id).collect();
        let pending = self.outbox.with_value(|outbox| outbox.pending.clone());
        if !rejected.is_empty() {
            // The "Not saved" list shows which and why, so the undo offer no longer applies.
            self.toast.set(None);
        }

        self.merge_reply(&reply, &pending, &rejected);

        self.cursor.set_value(Some(reply.cursor));
        self.synced_at.set_value(Some(reply.server_now));
        self.clock_check.set_value(Some(reply.clock));
        self.clock_problem
            .set(reply.clock.flagged.then(|| reply.clock.words()));
        self.link.set(Link::Online);
        self.save_outbox();
        self.save_room();
        settled.acknowledged > 0 && sent > 0 && !pending.is_empty()
    }

    /// Brings the server's register or changes into the view, keeping marks still waiting to
    /// be sent and dropping the ones the server rejected.
    fn merge_reply(&self, reply: &SyncResponse, pending: &[AttendanceEvent], rejected: &[Uuid]) {
        if reply.register.is_some() {
            self.bookings_unknown.set(false);
        }
        self.view.update(|view| {
            match &reply.register {
                Some(register) => *view = register.clone(),
                None => merge_into(view, &reply.events),
            }
            merge_into(view, pending);
            view.server_now = reply.server_now;
            for card in &mut view.children {
                card.events.retain(|event| !rejected.contains(&event.id));
                for event in &mut card.events {
                    if event.recorded_at.is_none() && reply.accepted.contains(&event.id) {
                        event.recorded_at = Some(reply.server_now);
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::domain::events::EventAction;
    use crate::domain::status::Counts;
    use crate::register::model::{ChildCard, RoomSummary};

    fn view() -> RegisterView {
        let card = |id: u128| ChildCard {
            id: Uuid::from_u128(id),
            first_name: "Ava".into(),
            last_name: "Thompson".into(),
            key_person: None,
            booked: true,
            sessions: "Morning".into(),
            events: Vec::new(),
            collectors: Vec::new(),
            has_collection_password: false,
            expected_absence: None,
            reported_reason: None,
        };
        RegisterView {
            setting_name: "Willow Tree".into(),
            time_zone: "Europe/London".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            server_now: Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap(),
            closed: None,
            room: RoomSummary {
                id: Uuid::from_u128(9),
                name: "Toddlers".into(),
                ages: "2 to 3 years".into(),
                counts: Counts::default(),
            },
            staff: Vec::new(),
            marking_as: None,
            pin_remember_minutes: 10,
            children: vec![card(1), card(2)],
        }
    }

    fn arrival(id: u128, child: u128, day: u32, recorded: bool) -> AttendanceEvent {
        let at = Utc.with_ymd_and_hms(2026, 12, day, 8, 30, 0).unwrap();
        AttendanceEvent {
            id: Uuid::from_u128(id),
            child_id: Uuid::from_u128(child),
            date: at.date_naive(),
            occurred_at: at,
            recorded_at: recorded.then_some(at),
            staff_id: None,
            device_id: None,
            action: EventAction::Arrived,
        }
    }

    #[test]
    fn merge_adds_each_event_once_to_its_child() {
        let mut view = view();
        let events = [arrival(10, 1, 2, false), arrival(11, 2, 2, true)];
        merge_into(&mut view, &events);
        merge_into(&mut view, &events);
        assert_eq!(view.children[0].events, vec![events[0].clone()]);
        assert_eq!(view.children[1].events, vec![events[1].clone()]);
    }

    #[test]
    fn merge_takes_the_stored_time_and_skips_other_days_and_children() {
        let mut view = view();
        merge_into(&mut view, &[arrival(10, 1, 2, false)]);
        let stored = arrival(10, 1, 2, true);
        merge_into(
            &mut view,
            &[
                stored.clone(),
                arrival(12, 1, 3, true),
                arrival(13, 7, 2, true),
            ],
        );
        assert_eq!(view.children[0].events, vec![stored]);
        assert!(view.children[1].events.is_empty());
    }
}
