//! Demo rooms and children, with each child's booking pattern and contacts.

use chrono::{Datelike, Duration, Months, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::bookings::{random_booking, same_each_day, WeeklyBooking};
use super::contacts::{build_contacts, ContactPlan, PhoneNumbers};
use super::names::{CHILD_FIRST_NAMES, SURNAMES};
use super::planted::{Pattern, PlantedChild, PLANTED_CHILDREN};
use super::staff::{build_staff, StaffPlan};
use super::term::DemoTerm;

/// A demo room, by the ages of the children in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomKind {
    /// Children from birth to 24 months.
    Babies,
    /// Children from 24 to 36 months.
    Toddlers,
    /// Children from 36 to 60 months.
    PreSchool,
}

impl RoomKind {
    /// Every room, in the order the setting lists them.
    pub const ALL: [RoomKind; 3] = [Self::Babies, Self::Toddlers, Self::PreSchool];

    /// Returns the room's name as stored in `rooms.name`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Babies => "Babies",
            Self::Toddlers => "Toddlers",
            Self::PreSchool => "Pre-school",
        }
    }

    /// Returns the minimum and maximum age in months, as stored in the `rooms` table.
    pub fn age_months(self) -> (u32, u32) {
        match self {
            Self::Babies => (0, 24),
            Self::Toddlers => (24, 36),
            Self::PreSchool => (36, 60),
        }
    }

    fn child_count(self) -> usize {
        match self {
            Self::Babies => 15,
            Self::Toddlers => 20,
            Self::PreSchool => 25,
        }
    }

    /// Ages in whole months today for children placed at random. Pre-school children stay
    /// under 53 months because most start school in the September after they turn four.
    fn random_ages(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Self::Babies => 6..=22,
            Self::Toddlers => 24..=35,
            Self::PreSchool => 36..=52,
        }
    }
}

pub(super) struct RoomPlan {
    pub id: Uuid,
    pub kind: RoomKind,
}

pub(super) struct ChildPlan {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub room_id: Uuid,
    pub key_person_id: Uuid,
    pub start_date: NaiveDate,
    pub leaving_date: Option<NaiveDate>,
    pub funded_hours: Option<i64>,
    pub display_consent: bool,
    pub booking: WeeklyBooking,
    pub pattern: Pattern,
    pub unexplained_absences: usize,
    pub contacts: Vec<ContactPlan>,
}

impl ChildPlan {
    /// Returns whether the child is on roll on `date`.
    pub fn on_roll(&self, date: NaiveDate) -> bool {
        self.start_date <= date && self.leaving_date.is_none_or(|leaving| date <= leaving)
    }
}

pub(super) struct People {
    pub rooms: Vec<RoomPlan>,
    pub staff: Vec<StaffPlan>,
    pub children: Vec<ChildPlan>,
}

/// Makes a random (version 4) UUID from the generator, so ids repeat for the same seed.
pub(super) fn new_id(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

/// Builds the rooms, staff and children of the demo setting.
pub(super) fn build_people(rng: &mut ChaCha8Rng, term: &DemoTerm) -> People {
    let rooms: Vec<RoomPlan> = RoomKind::ALL
        .iter()
        .map(|&kind| RoomPlan {
            id: new_id(rng),
            kind,
        })
        .collect();
    let staff = build_staff(rng, &rooms);
    let mut first_names = CHILD_FIRST_NAMES.to_vec();
    first_names.shuffle(rng);
    let mut surnames = SURNAMES.to_vec();
    surnames.shuffle(rng);
    let mut names = first_names.into_iter().zip(surnames);
    let mut phones = PhoneNumbers::new(rng);

    let mut children = Vec::new();
    for room in &rooms {
        let mut key_people: Vec<Uuid> = staff
            .iter()
            .filter(|member| member.room_id == Some(room.id) && member.role != "apprentice")
            .map(|member| member.id)
            .collect();
        key_people.shuffle(rng);
        let first_child = children.len();
        for planted in PLANTED_CHILDREN
            .iter()
            .filter(|planted| planted.room == room.kind)
        {
            children.push(planted_child(rng, term, room.id, planted));
        }
        while children.len() - first_child < room.kind.child_count() {
            let (first_name, last_name) = names.next().expect("enough names for every child");
            children.push(random_child(rng, term, room, first_name, last_name));
        }
        for (index, child) in children[first_child..].iter_mut().enumerate() {
            child.key_person_id = key_people[index % key_people.len()];
            child.contacts = build_contacts(rng, &child.last_name, &mut phones);
        }
    }
    mark_starters_and_leaver(term, &rooms, &mut children);
    People {
        rooms,
        staff,
        children,
    }
}

fn planted_child(
    rng: &mut ChaCha8Rng,
    term: &DemoTerm,
    room_id: Uuid,
    planted: &PlantedChild,
) -> ChildPlan {
    // Planted babies are at least 17 months old, so they joined (at four months old or
    // more) before the history starts, which is at most 12 months ago.
    let ages = match planted.room {
        RoomKind::Babies => 17..=22,
        kind => kind.random_ages(),
    };
    let date_of_birth = date_of_birth(rng, term.today, ages);
    let joined = term.history_start - Duration::days(rng.gen_range(30..=300));
    let start_date = monday_on_or_before(joined.max(date_of_birth + Duration::days(120)));
    ChildPlan {
        id: new_id(rng),
        first_name: planted.first_name.to_owned(),
        last_name: planted.last_name.to_owned(),
        date_of_birth,
        room_id,
        key_person_id: Uuid::nil(),
        start_date,
        leaving_date: None,
        funded_hours: planted.funded_hours,
        display_consent: true,
        booking: same_each_day(planted.weekdays, planted.sessions),
        pattern: planted.pattern,
        unexplained_absences: planted.unexplained_absences,
        contacts: Vec::new(),
    }
}

fn random_child(
    rng: &mut ChaCha8Rng,
    term: &DemoTerm,
    room: &RoomPlan,
    first_name: &str,
    last_name: &str,
) -> ChildPlan {
    let date_of_birth = date_of_birth(rng, term.today, room.kind.random_ages());
    // Most children joined before the history starts, and none before four months old, so
    // the youngest babies join during the history.
    let joined = term.history_start - Duration::days(rng.gen_range(7..=500));
    let start_date = monday_on_or_before(joined.max(date_of_birth + Duration::days(120)));
    let (booking, funded_hours) = random_booking(rng, room.kind);
    ChildPlan {
        id: new_id(rng),
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        date_of_birth,
        room_id: room.id,
        key_person_id: Uuid::nil(),
        start_date,
        leaving_date: None,
        funded_hours,
        display_consent: rng.gen_bool(0.9),
        booking,
        pattern: Pattern::Typical,
        unexplained_absences: 0,
        contacts: Vec::new(),
    }
}

/// Makes the first random toddler and pre-school child start in the middle of the history,
/// and the second random pre-school child leave on the last Friday of last month.
fn mark_starters_and_leaver(term: &DemoTerm, rooms: &[RoomPlan], children: &mut [ChildPlan]) {
    let midpoint = term.history_start + (term.today - term.history_start) / 2;
    let mid_term_monday = monday_on_or_before(midpoint + Duration::days(6));
    let first_of_month = term.today.with_day(1).expect("day 1 exists");
    let last_friday = friday_on_or_before(first_of_month - Duration::days(1));
    for (kind, picks) in [(RoomKind::Toddlers, 1), (RoomKind::PreSchool, 2)] {
        let room_id = rooms
            .iter()
            .find(|room| room.kind == kind)
            .expect("every room kind")
            .id;
        let mut random_in_room = children
            .iter_mut()
            .filter(|child| child.room_id == room_id && child.pattern == Pattern::Typical);
        for pick in 0..picks {
            let child = random_in_room
                .next()
                .expect("random children in every room");
            if pick == 0 {
                child.start_date = mid_term_monday;
            } else {
                child.leaving_date = Some(last_friday);
            }
        }
    }
}

/// Picks a date of birth that makes the child a whole number of months old today, within `ages`.
fn date_of_birth(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    ages: std::ops::RangeInclusive<u32>,
) -> NaiveDate {
    let months = rng.gen_range(ages);
    let birthday = today
        .checked_sub_months(Months::new(months))
        .expect("a date in range");
    birthday - Duration::days(rng.gen_range(0..28))
}

fn monday_on_or_before(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn friday_on_or_before(date: NaiveDate) -> NaiveDate {
    let back = (date.weekday().num_days_from_monday() + 7 - 4) % 7;
    date - Duration::days(i64::from(back))
}
