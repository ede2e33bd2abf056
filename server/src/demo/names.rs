//! Name lists for the demo: children, parents, grandparents and staff, drawn from names common
//! in England today. The planted children's first names and surnames (see `planted.rs`) are
//! left out of the children's lists, so each planted name is unique in the demo.

/// Children's first names, used once each.
pub(super) const CHILD_FIRST_NAMES: &[&str] = &[
    "Aisha", "Alfie", "Anaya", "Arjun", "Arthur", "Callum", "Charlie", "Chloe", "Dev", "Dylan",
    "Eilidh", "Elijah", "Ella", "Emily", "Esme", "Evie", "Ezra", "Fatima", "Felix", "Finley",
    "Florence", "George", "Grace", "Hamza", "Hannah", "Harper", "Harry", "Hugo", "Ibrahim",
    "Imogen", "Isla", "Ivy", "Jack", "Jacob", "Jayden", "Jude", "Kai", "Kian", "Kofi", "Layla",
    "Lily", "Luca", "Maryam", "Mateo", "Mei", "Mia", "Muhammad", "Nia", "Niamh", "Noah", "Olivia",
    "Oliver", "Orla", "Poppy", "Priya", "Reuben", "Rhys", "Rohan", "Ronan", "Rosie", "Samuel",
    "Seren", "Sophia", "Tobias", "Willow", "Yusuf", "Zainab", "Zofia",
];

/// Family names, used once each for the children outside the planted list.
pub(super) const SURNAMES: &[&str] = &[
    "Abdi",
    "Adebayo",
    "Ali",
    "Begum",
    "Boateng",
    "Brown",
    "Campbell",
    "Chen",
    "Chowdhury",
    "Cooper",
    "Costa",
    "Davies",
    "Demir",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Harris",
    "Iqbal",
    "Ionescu",
    "Jackson",
    "Johnson",
    "Jones",
    "Kaczmarek",
    "Kamara",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Lewis",
    "MacLeod",
    "Martin",
    "Mensah",
    "Mistry",
    "Mohamed",
    "Morgan",
    "Murphy",
    "Murray",
    "Nguyen",
    "Nwosu",
    "O'Brien",
    "Owusu",
    "Papadopoulos",
    "Popescu",
    "Rahman",
    "Reid",
    "Roberts",
    "Robinson",
    "Rossi",
    "Santos",
    "Shah",
    "Sharma",
    "Silva",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Tran",
    "Turner",
    "Walker",
    "Ward",
    "Williams",
    "Wilson",
    "Wong",
    "Wood",
    "Wright",
    "Yilmaz",
];

/// First names for parents, childminders and staff.
pub(super) const ADULT_FEMALE_NAMES: &[&str] = &[
    "Aaliyah",
    "Agnieszka",
    "Ama",
    "Amina",
    "Amy",
    "Ana",
    "Bethan",
    "Cerys",
    "Charlotte",
    "Chiamaka",
    "Claire",
    "Elena",
    "Emma",
    "Gemma",
    "Hannah",
    "Ioana",
    "Jessica",
    "Joanna",
    "Keisha",
    "Kirsty",
    "Laura",
    "Maria",
    "Nadia",
    "Naomi",
    "Priya",
    "Rachel",
    "Sarah",
    "Shanice",
    "Siobhan",
    "Sophie",
    "Sunita",
    "Yasmin",
];

/// First names for parents and staff.
pub(super) const ADULT_MALE_NAMES: &[&str] = &[
    "Adam", "Ahmed", "Andrei", "Ben", "Chris", "Connor", "Daniel", "Dwayne", "Emeka", "Euan",
    "Gareth", "Hassan", "Imran", "James", "Jerome", "Kwame", "Luke", "Marco", "Mark", "Matthew",
    "Mehmet", "Minh", "Piotr", "Ravi", "Rhodri", "Sam", "Sanjay", "Tariq", "Thomas", "Tomasz",
    "Tunde", "Wei",
];

/// First names for grandmothers.
pub(super) const GRANDMOTHER_NAMES: &[&str] = &[
    "Bridget",
    "Christine",
    "Comfort",
    "Halina",
    "Janet",
    "Linda",
    "Margaret",
    "Maureen",
    "Nasreen",
    "Parveen",
    "Patricia",
    "Pauline",
    "Shirley",
    "Susan",
];

/// First names for grandfathers.
pub(super) const GRANDFATHER_NAMES: &[&str] = &[
    "Alan",
    "Brian",
    "Colin",
    "David",
    "Desmond",
    "Harjit",
    "John",
    "Keith",
    "Kenneth",
    "Michael",
    "Mohammed",
    "Peter",
    "Robert",
    "Stanislaw",
];

/// Words a family might choose as a collection password.
pub(super) const COLLECTION_PASSWORDS: &[&str] = &[
    "bluebell",
    "dragonfly",
    "lighthouse",
    "marmalade",
    "pebble",
    "sunflower",
    "teapot",
    "tiger lily",
];

/// Turns a name into the lower-case ASCII letters used in an example email address.
pub(super) fn email_part(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::planted::PLANTED_CHILDREN;

    #[test]
    fn planted_names_are_not_in_random_lists() {
        for child in PLANTED_CHILDREN {
            assert!(
                !CHILD_FIRST_NAMES.contains(&child.first_name),
                "{}",
                child.first_name
            );
            assert!(!SURNAMES.contains(&child.last_name), "{}", child.last_name);
        }
    }

    #[test]
    fn lists_cover_the_random_children() {
        assert!(CHILD_FIRST_NAMES.len() >= 50);
        assert!(SURNAMES.len() >= 50);
    }

    #[test]
    fn child_names_are_unique() {
        for list in [CHILD_FIRST_NAMES, SURNAMES] {
            let unique: std::collections::HashSet<&&str> = list.iter().collect();
            assert_eq!(unique.len(), list.len(), "a name repeats in {list:?}");
        }
    }

    #[test]
    fn email_part_keeps_letters_only() {
        assert_eq!(email_part("O'Brien"), "obrien");
    }
}
