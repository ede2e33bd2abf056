//! Demo staff: a manager and a deputy for the whole setting, and a room leader and two
//! practitioners in each room, plus an apprentice in the pre-school room.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::names::{ADULT_FEMALE_NAMES, ADULT_MALE_NAMES, SURNAMES};
use super::people::{new_id, RoomKind, RoomPlan};

pub(super) struct StaffPlan {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// One of the roles allowed by the `staff.role` check constraint.
    pub role: &'static str,
    pub room_id: Option<Uuid>,
}

/// Builds the staff list. The setting's manager and deputy have no room.
pub(super) fn build_staff(rng: &mut ChaCha8Rng, rooms: &[RoomPlan]) -> Vec<StaffPlan> {
    let mut women = ADULT_FEMALE_NAMES.to_vec();
    women.shuffle(rng);
    let mut women = women.into_iter();
    let mut next_woman = || women.next().expect("more women's names than staff");
    let mut roster: Vec<(&str, &'static str, Option<Uuid>)> = vec![
        (next_woman(), "manager", None),
        (next_woman(), "deputy_manager", None),
    ];
    for room in rooms {
        let room_id = Some(room.id);
        roster.push((next_woman(), "room_leader", room_id));
        roster.push((next_woman(), "practitioner", room_id));
        if room.kind == RoomKind::PreSchool {
            let man = ADULT_MALE_NAMES.choose(rng).expect("men's names");
            roster.push((man, "practitioner", room_id));
            roster.push((next_woman(), "apprentice", room_id));
        } else {
            roster.push((next_woman(), "practitioner", room_id));
        }
    }
    roster
        .into_iter()
        .map(|(first_name, role, room_id)| StaffPlan {
            id: new_id(rng),
            first_name: first_name.to_owned(),
            last_name: SURNAMES.choose(rng).expect("surnames").to_string(),
            role,
            room_id,
        })
        .collect()
}
