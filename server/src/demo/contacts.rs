//! Demo contacts: parents, grandparents, childminders and family friends, with phone numbers
//! from Ofcom's drama range (07700 900000 to 07700 900999) and example.org or example.com
//! email addresses, so no real person can be reached.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::names::{
    email_part, ADULT_FEMALE_NAMES, ADULT_MALE_NAMES, COLLECTION_PASSWORDS, GRANDFATHER_NAMES,
    GRANDMOTHER_NAMES, SURNAMES,
};
use super::people::new_id;

pub(super) struct ContactPlan {
    pub id: Uuid,
    pub name: String,
    pub relationship: &'static str,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub may_collect: bool,
    pub collection_password: Option<&'static str>,
    /// Order in the child's contact list, from 1.
    pub position: i64,
}

/// Unused numbers in the drama range, handed out without repeats.
pub(super) struct PhoneNumbers {
    unused: Vec<u32>,
}

impl PhoneNumbers {
    pub fn new(rng: &mut ChaCha8Rng) -> Self {
        let mut unused: Vec<u32> = (0..1000).collect();
        unused.shuffle(rng);
        Self { unused }
    }

    /// Returns the next unused number, formatted as `07700 900123`.
    fn next_number(&mut self) -> String {
        let last_digits = self.unused.pop().expect("fewer than 1,000 demo contacts");
        format!("07700 900{last_digits:03}")
    }
}

/// Builds one to three contacts for a child whose family name is `family_name`. The first
/// contact is a parent who may always collect.
pub(super) fn build_contacts(
    rng: &mut ChaCha8Rng,
    family_name: &str,
    phones: &mut PhoneNumbers,
) -> Vec<ContactPlan> {
    let mother_first = rng.gen_bool(0.75);
    let mut contacts = vec![parent(rng, mother_first, family_name, phones, 1)];
    if rng.gen_bool(0.8) {
        let second_is_mother = if rng.gen_bool(0.9) {
            !mother_first
        } else {
            mother_first
        };
        let surname = if rng.gen_bool(0.6) {
            family_name
        } else {
            SURNAMES.choose(rng).expect("surnames")
        };
        let mut second = parent(rng, second_is_mother, surname, phones, 2);
        second.may_collect = rng.gen_bool(0.9);
        if rng.gen_bool(0.5) {
            second.email = None;
        }
        contacts.push(second);
    }
    if rng.gen_bool(0.4) {
        let position = contacts.len() as i64 + 1;
        contacts.push(wider_family(rng, family_name, phones, position));
    }
    contacts
}

fn parent(
    rng: &mut ChaCha8Rng,
    mother: bool,
    surname: &str,
    phones: &mut PhoneNumbers,
    position: i64,
) -> ContactPlan {
    let (names, relationship) = if mother {
        (ADULT_FEMALE_NAMES, "mother")
    } else {
        (ADULT_MALE_NAMES, "father")
    };
    let first_name = names.choose(rng).expect("adult names");
    let domain = if rng.gen_bool(0.5) {
        "example.org"
    } else {
        "example.com"
    };
    let email = rng.gen_bool(0.9).then(|| {
        format!(
            "{}.{}@{domain}",
            email_part(first_name),
            email_part(surname)
        )
    });
    ContactPlan {
        id: new_id(rng),
        name: format!("{first_name} {surname}"),
        relationship,
        phone: Some(phones.next_number()),
        email,
        may_collect: true,
        collection_password: None,
        position,
    }
}

/// Builds a grandparent, aunt, childminder or family friend. Most may collect, and some of
/// those have a collection password.
fn wider_family(
    rng: &mut ChaCha8Rng,
    family_name: &str,
    phones: &mut PhoneNumbers,
    position: i64,
) -> ContactPlan {
    let (first_names, relationship) = match rng.gen_range(0..100) {
        0..=34 => (GRANDMOTHER_NAMES, "grandmother"),
        35..=59 => (GRANDFATHER_NAMES, "grandfather"),
        60..=74 => (ADULT_FEMALE_NAMES, "aunt"),
        75..=89 => (ADULT_FEMALE_NAMES, "childminder"),
        _ => (ADULT_MALE_NAMES, "family friend"),
    };
    let first_name = first_names.choose(rng).expect("adult names");
    let same_family =
        matches!(relationship, "grandmother" | "grandfather" | "aunt") && rng.gen_bool(0.5);
    let surname = if same_family {
        family_name
    } else {
        SURNAMES.choose(rng).expect("surnames")
    };
    let email = (relationship == "childminder").then(|| {
        format!(
            "{}.{}@example.com",
            email_part(first_name),
            email_part(surname)
        )
    });
    let may_collect = rng.gen_bool(0.75);
    let collection_password = if may_collect && rng.gen_bool(0.3) {
        COLLECTION_PASSWORDS.choose(rng).copied()
    } else {
        None
    };
    ContactPlan {
        id: new_id(rng),
        name: format!("{first_name} {surname}"),
        relationship,
        phone: Some(phones.next_number()),
        email,
        may_collect,
        collection_password,
        position,
    }
}
