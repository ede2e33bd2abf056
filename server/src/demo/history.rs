//! Attendance history for the demo: an arrival and a departure, or an absence, for every day
//! each child was booked and the setting was open, from the history start to yesterday.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use app::domain::events::{AttendanceEvent, Collector, Correction, EventAction};
use app::domain::reasons::AbsenceReason;

use super::absences::{next_open_day, plan_absences, BookedDays, PlannedAbsence};
use super::bookings::DaySessions;
use super::people::ChildPlan;
use super::planted::Pattern;
use super::term::DemoTerm;

/// Device id stored on every demo event.
pub(super) const DEMO_DEVICE: &str = "demo";

/// An event and the time the server stored it, a few seconds after it was made.
pub(super) struct PlannedEvent {
    /// The event with `recorded_at` left as `None`, as its JSON body is stored.
    pub event: AttendanceEvent,
    pub recorded_at: DateTime<Utc>,
}

/// Share of attended days on which a child with the late-arrivals pattern comes 15 to 40
/// minutes after the session starts.
const LATE_SHARE: f64 = 0.35;

/// Builds every child's events, ordered by the time they were made.
pub(super) fn build_history(
    rng: &mut ChaCha8Rng,
    term: &DemoTerm,
    children: &[ChildPlan],
) -> Vec<PlannedEvent> {
    let open_days = term.open_days();
    let mut events = Vec::new();
    for child in children {
        let booked: Vec<(NaiveDate, DaySessions)> = open_days
            .iter()
            .filter(|day| child.on_roll(**day))
            .filter_map(|day| booked_sessions(child, *day).map(|sessions| (*day, sessions)))
            .collect();
        let dates: Vec<NaiveDate> = booked.iter().map(|(day, _)| *day).collect();
        let booked_days = BookedDays {
            days: &dates,
            open_days: &open_days,
            today: term.today,
        };
        let absences = plan_absences(rng, child.pattern, child.unexplained_absences, &booked_days);
        let mut marker = Marker {
            rng: &mut *rng,
            term,
            child,
            events: &mut events,
        };
        for (day, sessions) in booked {
            match absences.get(&day) {
                Some(absence) => marker.mark_absence(day, sessions, absence, &open_days),
                None => marker.mark_attendance(day, sessions),
            }
        }
    }
    events.sort_by_key(|planned| (planned.event.occurred_at, planned.event.id));
    events
}

/// Returns the sessions `child` is booked for on the weekday of `day`.
fn booked_sessions(child: &ChildPlan, day: NaiveDate) -> Option<DaySessions> {
    child
        .booking
        .iter()
        .find(|(weekday, _)| *weekday == day.weekday())
        .map(|(_, sessions)| *sessions)
}

/// Builder of one child's events, each marked by the child's key person on the demo device.
struct Marker<'a> {
    rng: &'a mut ChaCha8Rng,
    term: &'a DemoTerm,
    child: &'a ChildPlan,
    events: &'a mut Vec<PlannedEvent>,
}

impl Marker<'_> {
    fn mark_attendance(&mut self, day: NaiveDate, sessions: DaySessions) {
        let late = self.child.pattern == Pattern::LateArrivals && self.rng.gen_bool(LATE_SHARE);
        let arrival_minutes = if late {
            self.rng.gen_range(15..=40)
        } else if self.rng.gen_bool(0.7) {
            self.rng.gen_range(-15..=0)
        } else {
            self.rng.gen_range(1..=10)
        };
        let arrived = self.local_instant(day, sessions.first_start(), arrival_minutes);
        self.push(day, arrived, EventAction::Arrived);

        let departure_minutes = self.rng.gen_range(-20..=5);
        let departed = self.local_instant(day, sessions.last_end(), departure_minutes);
        let collected_by = self.pick_collector();
        self.push(day, departed, EventAction::Departed { collected_by });
    }

    fn mark_absence(
        &mut self,
        day: NaiveDate,
        sessions: DaySessions,
        absence: &PlannedAbsence,
        open_days: &[NaiveDate],
    ) {
        let minutes = self.rng.gen_range(-30..=60);
        let marked = self.local_instant(day, sessions.first_start(), minutes);
        let action = EventAction::Absent {
            reason: absence.reason,
            note: absence.note.map(str::to_owned),
        };
        let target = self.push(day, marked, action);
        let Some(reason) = absence.corrected_to else {
            return;
        };
        let Some(next_day) = next_open_day(open_days, day) else {
            return;
        };
        let morning = NaiveTime::from_hms_opt(8, 30, 0).expect("valid time");
        let delay_minutes = self.rng.gen_range(0..=60);
        let corrected = self.local_instant(next_day, morning, delay_minutes);
        let action = EventAction::Corrected {
            target,
            correction: Correction::Reason { reason, note: None },
            reason: correction_text(reason).to_owned(),
        };
        // A correction belongs to the date of the mark it corrects.
        self.push(day, corrected, action);
    }

    /// Picks who collected the child: usually the first contact, otherwise any contact who
    /// may collect.
    fn pick_collector(&mut self) -> Collector {
        let allowed: Vec<_> = self
            .child
            .contacts
            .iter()
            .filter(|contact| contact.may_collect)
            .collect();
        let contact = if self.rng.gen_bool(0.6) {
            allowed[0]
        } else {
            allowed
                .choose(&mut *self.rng)
                .expect("every child has a contact who may collect")
        };
        Collector {
            contact_id: Some(contact.id),
            name: contact.name.clone(),
            on_list: true,
        }
    }

    /// Returns the instant `minutes` after `time` on the setting's local `day`, with a random
    /// second so marks do not all fall on the minute.
    fn local_instant(&mut self, day: NaiveDate, time: NaiveTime, minutes: i64) -> DateTime<Utc> {
        let seconds = self.rng.gen_range(0..60);
        self.term.calendar.instant_at(day, time)
            + Duration::minutes(minutes)
            + Duration::seconds(seconds)
    }

    /// Adds an event made at `occurred_at` and returns its id, a version 7 UUID from that time.
    fn push(
        &mut self,
        day: NaiveDate,
        occurred_at: DateTime<Utc>,
        action: EventAction,
    ) -> uuid::Uuid {
        let millis = u64::try_from(occurred_at.timestamp_millis()).expect("an instant after 1970");
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &self.rng.gen()).into_uuid();
        let recorded_at = occurred_at + Duration::seconds(self.rng.gen_range(1..=20));
        let event = AttendanceEvent {
            id,
            child_id: self.child.id,
            date: day,
            occurred_at,
            recorded_at: None,
            staff_id: Some(self.child.key_person_id),
            device_id: Some(DEMO_DEVICE.to_owned()),
            action,
        };
        self.events.push(PlannedEvent { event, recorded_at });
        id
    }
}

fn correction_text(reason: AbsenceReason) -> &'static str {
    match reason {
        AbsenceReason::Illness => "Parent phoned to say the child was ill",
        _ => "Parent gave the reason the next day",
    }
}
