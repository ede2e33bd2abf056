//! Matching parsed rows against the setting: rooms, key persons, existing children, opening
//! weekdays and sessions. This step is pure, so it decides what to write before anything is
//! written.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use super::header::{normalise, Field};
use super::parse::{child_key, duplicate_error, ChildKey, ChildRow, ParsedFile, SettingReference};
use super::{ImportOptions, RowError, Session};

/// Youngest and oldest age, in months, given to a room that the import creates.
const NEW_ROOM_AGES: (i64, i64) = (0, 60);

/// Full weekday names, Monday (weekday 1) first.
const WEEKDAY_NAMES: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// Setting data that the import checks rows against.
#[derive(Debug, Clone, Default)]
pub(super) struct SettingSnapshot {
    pub id: String,
    pub rooms: Vec<Room>,
    pub staff: Vec<StaffMember>,
    /// Codes of the setting's sessions, for example `am`.
    pub session_codes: HashSet<String>,
    /// Opening weekdays from 1 (Monday) to 7 (Sunday).
    pub open_weekdays: HashSet<u8>,
    pub children: HashSet<ChildKey>,
    /// `position` for the first room that the import creates.
    pub next_room_position: i64,
    /// Today's date in the setting's time zone.
    pub today: NaiveDate,
}

/// A room of the setting, existing or to be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Room {
    pub id: String,
    pub name: String,
}

/// A member of the setting's staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StaffMember {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
}

/// A room to create, with its age range in months and its place in the room list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NewRoom {
    pub id: String,
    pub name: String,
    pub min_age_months: i64,
    pub max_age_months: i64,
    pub position: i64,
}

/// A practitioner to create as a key person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NewStaff {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub room_id: String,
}

/// A child to insert, with the ids its row resolved to.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlannedChild {
    pub id: String,
    pub room_id: String,
    pub key_person_id: Option<String>,
    pub row: ChildRow,
}

/// Everything an import writes.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub new_rooms: Vec<NewRoom>,
    pub new_staff: Vec<NewStaff>,
    pub children: Vec<PlannedChild>,
}

/// Resolves every row against `setting`. Returns the plan, or all errors from parsing and
/// resolving in row order.
pub(super) fn resolve(
    parsed: ParsedFile,
    setting: &SettingSnapshot,
    options: ImportOptions,
) -> Result<Plan, Vec<RowError>> {
    let mut resolver = Resolver::new(setting, options.create_missing);
    for reference in &parsed.references {
        resolver.resolve_reference(reference);
    }
    let children: Vec<PlannedChild> = parsed
        .rows
        .into_iter()
        .filter_map(|row| resolver.plan_child(row))
        .collect();
    let mut errors = parsed.errors;
    errors.append(&mut resolver.errors);
    // A stable sort keeps each row's errors in column order.
    errors.sort_by_key(|error| error.row);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (new_rooms, new_staff) = (resolver.new_rooms, resolver.new_staff);
    Ok(Plan {
        new_rooms,
        new_staff,
        children,
    })
}

struct Resolver<'s> {
    setting: &'s SettingSnapshot,
    create_missing: bool,
    /// Room ids by normalised name, for existing rooms already matched and new rooms.
    room_ids: HashMap<String, String>,
    /// Staff ids by normalised `First Last`, for staff to create.
    new_staff_ids: HashMap<String, String>,
    /// Room and key person ids by spreadsheet row.
    row_rooms: HashMap<usize, String>,
    row_key_persons: HashMap<usize, String>,
    new_rooms: Vec<NewRoom>,
    new_staff: Vec<NewStaff>,
    errors: Vec<RowError>,
}

impl<'s> Resolver<'s> {
    fn new(setting: &'s SettingSnapshot, create_missing: bool) -> Self {
        Self {
            setting,
            create_missing,
            room_ids: HashMap::new(),
            new_staff_ids: HashMap::new(),
            row_rooms: HashMap::new(),
            row_key_persons: HashMap::new(),
            new_rooms: Vec::new(),
            new_staff: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn error(&mut self, row: usize, field: Field, value: &str, message: impl Into<String>) {
        self.errors
            .push(RowError::new(row, field.name(), value, message));
    }

    fn resolve_reference(&mut self, reference: &SettingReference) {
        let room_id = self.room_id(reference.row, &reference.room);
        if let Some(name) = &reference.key_person {
            if let Some(staff_id) = self.key_person_id(reference.row, name, room_id.as_deref()) {
                self.row_key_persons.insert(reference.row, staff_id);
            }
        }
        if let Some(room_id) = room_id {
            self.row_rooms.insert(reference.row, room_id);
        }
    }

    fn room_id(&mut self, row: usize, name: &str) -> Option<String> {
        let key = normalise(name);
        if let Some(id) = self.room_ids.get(&key) {
            return Some(id.clone());
        }
        let matches = self.matching_rooms(name, &key);
        match matches.as_slice() {
            [room] => {
                let id = room.id.clone();
                self.room_ids.insert(key, id.clone());
                Some(id)
            }
            [] if self.create_missing => Some(self.create_room(key, name)),
            [] => {
                let message = self.room_not_found_message();
                self.error(row, Field::Room, name, message);
                None
            }
            _ => {
                let message = "several rooms match this name when case is ignored; rename the rooms so their names differ in more than case";
                self.error(row, Field::Room, name, message);
                None
            }
        }
    }

    /// Returns the room named exactly `name` or, when there is none, every room whose
    /// normalised name is `key`.
    fn matching_rooms(&self, name: &str, key: &str) -> Vec<&'s Room> {
        let rooms = &self.setting.rooms;
        let exact: Vec<&Room> = rooms.iter().filter(|room| room.name == name).collect();
        if exact.len() == 1 {
            return exact;
        }
        rooms
            .iter()
            .filter(|room| normalise(&room.name) == key)
            .collect()
    }

    fn room_not_found_message(&self) -> String {
        if self.setting.rooms.is_empty() {
            return "room not found, because the setting has no rooms yet; import with --create-missing to add it".to_owned();
        }
        let names: Vec<&str> = self
            .setting
            .rooms
            .iter()
            .map(|room| room.name.as_str())
            .collect();
        format!(
            "room not found in the setting, which has {}; correct the name, or import with --create-missing to add the room",
            names.join(", ")
        )
    }

    fn create_room(&mut self, key: String, name: &str) -> String {
        let id = Uuid::now_v7().to_string();
        let position = self.setting.next_room_position + self.new_rooms.len() as i64;
        let (min_age_months, max_age_months) = NEW_ROOM_AGES;
        self.new_rooms.push(NewRoom {
            id: id.clone(),
            name: name.to_owned(),
            min_age_months,
            max_age_months,
            position,
        });
        self.room_ids.insert(key, id.clone());
        id
    }

    /// Finds the staff member called `name`, or plans a new one in `room_id` when the
    /// import may create missing staff. Returns `None` after reporting an error, and also
    /// without an error when the row's room was not found, because that is already reported.
    fn key_person_id(&mut self, row: usize, name: &str, room_id: Option<&str>) -> Option<String> {
        let key = normalise(name);
        if let Some(id) = self.new_staff_ids.get(&key) {
            return Some(id.clone());
        }
        let matches: Vec<&StaffMember> = self
            .setting
            .staff
            .iter()
            .filter(|staff| normalise(&format!("{} {}", staff.first_name, staff.last_name)) == key)
            .collect();
        match (matches.as_slice(), room_id) {
            ([staff], _) => Some(staff.id.clone()),
            ([], Some(room_id)) if self.create_missing => {
                self.create_staff(row, key, name, room_id)
            }
            ([], None) if self.create_missing => None,
            ([], _) => {
                let message = "key person not found among the setting's staff; check the spelling, or import with --create-missing to add them";
                self.error(row, Field::KeyPerson, name, message);
                None
            }
            _ => {
                let message = "several staff members have this name, so the key person is unclear; leave Key person empty";
                self.error(row, Field::KeyPerson, name, message);
                None
            }
        }
    }

    fn create_staff(
        &mut self,
        row: usize,
        key: String,
        name: &str,
        room_id: &str,
    ) -> Option<String> {
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some((first_name, last_names)) =
            words.split_first().filter(|(_, rest)| !rest.is_empty())
        else {
            let message =
                "key person needs a first and last name to be added, for example Hannah Cole";
            self.error(row, Field::KeyPerson, name, message);
            return None;
        };
        let id = Uuid::now_v7().to_string();
        self.new_staff.push(NewStaff {
            id: id.clone(),
            first_name: (*first_name).to_owned(),
            last_name: last_names.join(" "),
            room_id: room_id.to_owned(),
        });
        self.new_staff_ids.insert(key, id.clone());
        Some(id)
    }

    /// Checks one parsed row against the setting. Returns `None` when its room or key
    /// person was not resolved, which is already reported.
    fn plan_child(&mut self, row: ChildRow) -> Option<PlannedChild> {
        if self.setting.children.contains(&child_key(
            &row.first_name,
            &row.last_name,
            row.date_of_birth,
        )) {
            let message = "child already in the setting; delete this row, or correct it if it is a different child";
            self.errors.push(duplicate_error(&row, message));
        }
        self.check_bookings(&row);
        let room_id = self.row_rooms.get(&row.row)?.clone();
        let key_person_id = match row.key_person {
            Some(_) => Some(self.row_key_persons.get(&row.row)?.clone()),
            None => None,
        };
        Some(PlannedChild {
            id: Uuid::now_v7().to_string(),
            room_id,
            key_person_id,
            row,
        })
    }

    /// Reports bookings on days the setting does not open and sessions it does not have.
    fn check_bookings(&mut self, row: &ChildRow) {
        for weekday in 1..=5u8 {
            let sessions: Vec<Session> = row
                .bookings
                .iter()
                .filter(|booking| booking.weekday == weekday)
                .map(|booking| booking.session)
                .collect();
            let Some(value) = booking_label(&sessions) else {
                continue;
            };
            let field = Field::Day(weekday);
            if !self.setting.open_weekdays.contains(&weekday) {
                let day = WEEKDAY_NAMES[usize::from(weekday - 1)];
                let message = format!("the setting does not open on {day}s; clear this booking, or add the day to the setting's opening days");
                self.error(row.row, field, value, message);
            } else if let Some(missing) = sessions
                .iter()
                .find(|session| !self.setting.session_codes.contains(session.code()))
            {
                let message = format!("the setting has no session with code \"{}\"; add the session to the setting before importing", missing.code());
                self.error(row.row, field, value, message);
            }
        }
    }
}

/// Returns the booking value as the file writes it: `AM`, `PM` or `Full`.
fn booking_label(sessions: &[Session]) -> Option<&'static str> {
    match sessions {
        [] => None,
        [Session::Am] => Some("AM"),
        [Session::Pm] => Some("PM"),
        _ => Some("Full"),
    }
}
