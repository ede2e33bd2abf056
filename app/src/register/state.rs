//! The register's state on the tablet: the view from the server, the marks made since, and
//! the outbox that keeps them until the server has them (see [`crate::sync`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::client::{browser_now_millis, reload_page};
use super::model::{ChildCard, RegisterView};
use crate::domain::calendar::local_date;
use crate::domain::events::{AttendanceEvent, EventAction};
use crate::sync::outbox::{Outbox, RejectedMark};
use crate::sync::status::Link;

/// How long the undo offer stays on screen after a mark, in milliseconds.
pub const UNDO_MILLIS: u64 = 10_000;
/// Taps on the same card closer together than this are taken as one tap, in milliseconds.
const REPEAT_TAP_MILLIS: i64 = 800;

/// The sheet open over the register, with the child it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Options(Uuid),
    SignOut(Uuid),
    Absent(Uuid),
    Correct(Uuid),
    /// The names and PIN pad of a shared room tablet.
    WhoIsMarking,
}

/// The short message shown after a mark, with an undo while it is fresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub id: Uuid,
    pub message: String,
    /// The child and the event an undo would withdraw.
    pub undo: Option<(Uuid, Uuid)>,
}

/// Register state shared by the page's components through context. Every field is a signal
/// or stored value, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct RegisterState {
    pub view: RwSignal<RegisterView>,
    pub staff: RwSignal<Option<Uuid>>,
    /// On a shared tablet, when the practitioner in `staff` stops being remembered. Kept in
    /// memory as well as local storage, so a tablet whose storage fails still marks.
    pub(super) staff_until: StoredValue<Option<DateTime<Utc>>>,
    pub sheet: RwSignal<Option<Sheet>>,
    pub toast: RwSignal<Option<Toast>>,
    pub error: RwSignal<Option<String>>,
    /// The link to the server, for the status line.
    pub link: RwSignal<Link>,
    /// How many marks are waiting to be sent.
    pub pending: RwSignal<usize>,
    /// Marks the server rejected, for staff to read.
    pub rejected: RwSignal<Vec<RejectedMark>>,
    /// The message shown when local storage fails and marks cannot be kept on the tablet.
    pub storage_problem: RwSignal<Option<String>>,
    /// The server's warning about the tablet's clock, such as "12 minutes fast".
    pub clock_problem: RwSignal<Option<String>>,
    /// True when the register shows a day whose bookings could not be loaded.
    pub bookings_unknown: RwSignal<bool>,
    pub(super) device: StoredValue<Option<String>>,
    /// Server clock minus browser clock, in milliseconds.
    pub(super) skew_millis: StoredValue<i64>,
    pub(super) outbox: StoredValue<Outbox>,
    /// When a newer app version wrote the outbox, this one must not overwrite it.
    pub(super) outbox_locked: StoredValue<bool>,
    pub(super) cursor: StoredValue<Option<String>>,
    pub(super) synced_at: StoredValue<Option<DateTime<Utc>>>,
    pub(super) clock_check: StoredValue<Option<crate::sync::protocol::ClockCheck>>,
    pub(super) sync: StoredValue<super::sync_engine::SyncRun>,
    /// Ids this page has seen acknowledged, rejected or dismissed, so that copies of them in
    /// another tab's outbox are not taken back in.
    pub(super) settled_ids: StoredValue<std::collections::HashSet<Uuid>>,
    last_tap: StoredValue<HashMap<Uuid, i64>>,
}

impl RegisterState {
    /// Wraps the server's view in fresh state.
    pub fn new(view: RegisterView) -> Self {
        Self {
            view: RwSignal::new(view),
            staff: RwSignal::new(None),
            staff_until: StoredValue::new(None),
            sheet: RwSignal::new(None),
            toast: RwSignal::new(None),
            error: RwSignal::new(None),
            link: RwSignal::new(Link::Starting),
            pending: RwSignal::new(0),
            rejected: RwSignal::new(Vec::new()),
            storage_problem: RwSignal::new(None),
            clock_problem: RwSignal::new(None),
            bookings_unknown: RwSignal::new(false),
            device: StoredValue::new(None),
            skew_millis: StoredValue::new(0),
            outbox: StoredValue::new(Outbox::default()),
            outbox_locked: StoredValue::new(false),
            cursor: StoredValue::new(None),
            synced_at: StoredValue::new(None),
            clock_check: StoredValue::new(None),
            sync: StoredValue::new(Default::default()),
            settled_ids: StoredValue::new(Default::default()),
            last_tap: StoredValue::new(HashMap::new()),
        }
    }

    /// Returns the current instant, corrected to the server's clock.
    pub fn now(&self) -> DateTime<Utc> {
        let millis = browser_now_millis() + self.skew_millis.get_value();
        DateTime::from_timestamp_millis(millis).unwrap_or_else(Utc::now)
    }

    /// Returns true once the setting's local date has moved past the register's date.
    pub fn is_stale(&self) -> bool {
        let now = self.now();
        // Only a later date is a new day. An earlier one means the clock estimate is wrong (the
        // tablet's clock was changed since the last sync): the register keeps its day, and the
        // server rejects marks timed before it, which then show under "Not saved".
        self.view
            .with_untracked(|view| local_date(view.zone(), now) > view.date)
    }

    /// Returns true when no mark is waiting to be sent and no sheet is open.
    pub fn is_idle(&self) -> bool {
        self.pending.get_untracked() == 0 && self.sheet.get_untracked().is_none()
    }

    /// Returns a copy of one child's card.
    pub fn card(&self, child: Uuid) -> Option<ChildCard> {
        self.view
            .with(|view| view.children.iter().find(|card| card.id == child).cloned())
    }

    /// Returns true when this tap repeats a tap on the same card moments ago.
    pub fn is_repeat_tap(&self, child: Uuid) -> bool {
        let now = browser_now_millis();
        let mut repeat = false;
        self.last_tap.update_value(|taps| {
            repeat = taps
                .get(&child)
                .is_some_and(|last| now - last < REPEAT_TAP_MILLIS);
            if !repeat {
                taps.insert(child, now);
            }
        });
        repeat
    }

    /// Builds an event for `child` made now by the chosen staff member, or shows why not.
    pub fn new_event(&self, child: Uuid, action: EventAction) -> Option<AttendanceEvent> {
        if let Link::Refused { message } = self.link.get_untracked() {
            self.error.set(Some(message));
            return None;
        }
        let tablet = self.view.with_untracked(|view| view.marking_as.is_none());
        if tablet {
            let (room, minutes) = self
                .view
                .with_untracked(|view| (view.room.id, view.pin_remember_minutes));
            let now = self.now();
            let in_memory = self
                .staff_until
                .get_value()
                .is_some_and(|until| until > now);
            if super::pin_sheet::remembered_marker(room, now).is_none() && !in_memory {
                self.staff.set(None);
            }
            if let Some(staff) = self.staff.get_untracked() {
                // Each mark keeps the practitioner remembered for the full time again.
                super::pin_sheet::remember_marker(room, Some(staff), now, minutes);
                self.staff_until
                    .set_value(Some(now + chrono::Duration::minutes(i64::from(minutes))));
            }
        }
        let Some(staff) = self.staff.get_untracked() else {
            self.error.set(Some(
                "Tap your name and enter your PIN before marking.".to_owned(),
            ));
            super::pin_sheet::ask_who_is_marking(self);
            return None;
        };
        if self.is_stale() {
            if self.link.get_untracked() == Link::Online {
                self.error.set(Some(
                    "A new day has started, so this register is out of date. Reloading it now."
                        .to_owned(),
                ));
                reload_page();
                return None;
            }
            self.start_new_day_offline();
        }
        let date = self.view.with_untracked(|view| view.date);
        Some(AttendanceEvent {
            id: Uuid::now_v7(),
            child_id: child,
            date,
            occurred_at: self.now(),
            recorded_at: None,
            staff_id: Some(staff),
            device_id: self.device.get_value(),
            action,
        })
    }

    /// Shows the events on the child's card at once, keeps them in the outbox and starts a
    /// sync to send them.
    pub fn submit(&self, events: Vec<AttendanceEvent>) {
        self.error.set(None);
        self.view.update(|view| {
            for event in &events {
                if let Some(card) = view
                    .children
                    .iter_mut()
                    .find(|card| card.id == event.child_id)
                {
                    card.events.push(event.clone());
                }
            }
        });
        self.outbox.update_value(|outbox| {
            for event in events {
                outbox.push(event);
            }
        });
        self.save_outbox();
        self.save_room();
        self.sync_now();
    }

    /// Returns the card's first and last name for the child an event is about.
    pub(super) fn child_name(&self, child: Uuid) -> String {
        self.view
            .with_untracked(|view| {
                view.children
                    .iter()
                    .find(|card| card.id == child)
                    .map(|card| format!("{} {}", card.first_name, card.last_name))
            })
            .unwrap_or_else(|| "A child not on this room's register".to_owned())
    }

    /// Shows a message with an undo for the event, and hides it after [`UNDO_MILLIS`].
    pub fn show_toast(&self, message: String, undo: Option<(Uuid, Uuid)>) {
        let id = Uuid::now_v7();
        self.toast.set(Some(Toast { id, message, undo }));
        let toast = self.toast;
        set_timeout(
            move || {
                // The page may have been left since; its signals are then disposed.
                let current = toast
                    .try_with_untracked(|current| current.as_ref().is_some_and(|t| t.id == id))
                    .unwrap_or(false);
                if current {
                    toast.set(None);
                }
            },
            std::time::Duration::from_millis(UNDO_MILLIS),
        );
    }

    /// Marks `child` as arrived now.
    pub fn mark_arrived(&self, child: Uuid) {
        let Some(event) = self.new_event(child, EventAction::Arrived) else {
            return;
        };
        let Some(card) = self.card(child) else { return };
        let time = self
            .view
            .with_untracked(|view| view.time_label(event.occurred_at));
        let extra = if card.booked { "" } else { " (extra session)" };
        let message = format!("{} is here, arrived {time}{extra}.", card.first_name);
        let undo = Some((child, event.id));
        self.submit(vec![event]);
        self.show_toast(message, undo);
    }

    /// Withdraws a mark moments after it was made.
    pub fn undo(&self, child: Uuid, target: Uuid) {
        let Some(event) = self.new_event(child, EventAction::Undone { target }) else {
            return;
        };
        self.toast.set(None);
        self.submit(vec![event]);
        if let Some(card) = self.card(child) {
            self.show_toast(
                format!("Undone: {}'s last mark was withdrawn.", card.first_name),
                None,
            );
        }
    }
}
