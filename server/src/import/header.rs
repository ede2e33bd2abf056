//! The header row: matching column names to fields and checking that every required column
//! appears exactly once.
//!
//! Names match case-insensitively after trimming, and runs of spaces inside a name count as
//! one space, so `first  NAME ` is `First name`. Blank header cells are allowed, but
//! the row parser rejects any value written under one.

use std::collections::HashMap;

use csv::StringRecord;

use super::RowError;

/// Maximum number of contacts per child that a file can have columns for.
pub const MAX_CONTACTS: u8 = 3;

/// Number of contacts whose columns every file must have.
const REQUIRED_CONTACTS: u8 = 2;

/// Short names of the booking columns, Monday (weekday 1) first.
const DAY_COLUMNS: [&str; 5] = ["Mon", "Tue", "Wed", "Thu", "Fri"];

/// A column the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    FirstName,
    LastName,
    DateOfBirth,
    Room,
    KeyPerson,
    StartDate,
    LeavingDate,
    /// The booking for a weekday from 1 (Monday) to 5 (Friday).
    Day(u8),
    FundedHours,
    DisplayConsent,
    /// Whether the child has special educational needs support: yes, or no or empty.
    SenSupport,
    /// One detail of contact 1, 2 or 3.
    Contact(u8, ContactField),
}

/// One detail of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactField {
    Name,
    Relationship,
    Phone,
    Email,
    MayCollect,
    CollectionPassword,
}

impl ContactField {
    /// Every contact detail, in the column order the documentation uses.
    pub const ALL: [Self; 6] = [
        Self::Name,
        Self::Relationship,
        Self::Phone,
        Self::Email,
        Self::MayCollect,
        Self::CollectionPassword,
    ];

    /// Returns the column name after `Contact N `, for example `may collect`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Relationship => "relationship",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::MayCollect => "may collect",
            Self::CollectionPassword => "collection password",
        }
    }
}

impl Field {
    /// Returns the column name as the documentation spells it, for example `Date of birth`.
    pub fn name(self) -> String {
        let name = match self {
            Self::FirstName => "First name",
            Self::LastName => "Last name",
            Self::DateOfBirth => "Date of birth",
            Self::Room => "Room",
            Self::KeyPerson => "Key person",
            Self::StartDate => "Start date",
            Self::LeavingDate => "Leaving date",
            Self::Day(weekday) => DAY_COLUMNS[usize::from(weekday - 1)],
            Self::FundedHours => "Funded hours",
            Self::DisplayConsent => "Display consent",
            Self::SenSupport => "SEN support",
            Self::Contact(number, detail) => return format!("Contact {number} {}", detail.label()),
        };
        name.to_owned()
    }

    /// Returns every column the import reads, in the order the documentation lists them.
    fn all() -> Vec<Self> {
        let mut fields = vec![
            Self::FirstName,
            Self::LastName,
            Self::DateOfBirth,
            Self::Room,
            Self::KeyPerson,
            Self::StartDate,
        ];
        fields.extend((1..=5).map(Self::Day));
        fields.push(Self::FundedHours);
        for number in 1..=MAX_CONTACTS {
            fields.extend(ContactField::ALL.map(|detail| Self::Contact(number, detail)));
        }
        fields.extend([Self::DisplayConsent, Self::LeavingDate, Self::SenSupport]);
        fields
    }

    /// Returns whether a file must have this column, given how many contacts it has
    /// columns for.
    fn is_required(self, contact_count: u8) -> bool {
        match self {
            Self::LeavingDate
            | Self::SenSupport
            | Self::Contact(_, ContactField::CollectionPassword) => false,
            Self::Contact(number, _) => number <= contact_count,
            _ => true,
        }
    }
}

/// Positions of the recognised columns in a file.
#[derive(Debug)]
pub struct Columns {
    positions: HashMap<Field, usize>,
    /// Number of contacts the file has columns for: 2, or 3 when any `Contact 3` column
    /// is present.
    pub contact_count: u8,
}

impl Columns {
    /// Matches the header cells to fields. Returns an error for each unknown, repeated or
    /// missing column, all on spreadsheet row `row`.
    pub fn parse(header: &StringRecord, row: usize) -> Result<Self, Vec<RowError>> {
        let known: HashMap<String, Field> = Field::all()
            .into_iter()
            .map(|field| (normalise(&field.name()), field))
            .collect();
        let mut positions = HashMap::new();
        let mut errors = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            let text = cell.trim();
            if text.is_empty() {
                continue;
            }
            let Some(&field) = known.get(&normalise(text)) else {
                errors.push(unknown_column(row, text));
                continue;
            };
            if let Some(&first) = positions.get(&field) {
                errors.push(repeated_column(row, text, first, index));
            } else {
                positions.insert(field, index);
            }
        }
        let columns = Self {
            contact_count: contact_count(&positions),
            positions,
        };
        errors.extend(columns.missing_columns(row));
        if errors.is_empty() {
            Ok(columns)
        } else {
            Err(errors)
        }
    }

    /// Returns the trimmed value of `field` in `record`, or `""` when the file has no such
    /// column or the record is shorter than the header.
    pub fn value<'r>(&self, record: &'r StringRecord, field: Field) -> &'r str {
        self.positions
            .get(&field)
            .and_then(|&index| record.get(index))
            .map_or("", str::trim)
    }

    /// Returns whether the column at `index` is one the import reads.
    pub fn is_read(&self, index: usize) -> bool {
        self.positions.values().any(|&position| position == index)
    }

    fn missing_columns(&self, row: usize) -> Vec<RowError> {
        Field::all()
            .into_iter()
            .filter(|field| field.is_required(self.contact_count))
            .filter(|field| !self.positions.contains_key(field))
            .map(|field| missing_column(row, field))
            .collect()
    }
}

fn contact_count(positions: &HashMap<Field, usize>) -> u8 {
    let has_third = positions
        .keys()
        .any(|field| matches!(field, Field::Contact(MAX_CONTACTS, _)));
    if has_third {
        MAX_CONTACTS
    } else {
        REQUIRED_CONTACTS
    }
}

/// Lowercases `text` and reduces every run of whitespace to one space.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Returns the spreadsheet letter of the zero-based column `index`: A, B, …, Z, AA, AB, ….
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn unknown_column(row: usize, text: &str) -> RowError {
    RowError::new(
        row,
        text,
        text,
        "unknown column; rename it to one of the columns in docs/csv-import.md, or delete it",
    )
}

fn repeated_column(row: usize, text: &str, first: usize, again: usize) -> RowError {
    let message = format!(
        "column appears twice, in columns {} and {}; delete one of them",
        column_letter(first),
        column_letter(again)
    );
    RowError::new(row, text, text, message)
}

fn missing_column(row: usize, field: Field) -> RowError {
    let message = match field {
        Field::Contact(MAX_CONTACTS, _) => {
            "missing column; a file with any Contact 3 column needs Contact 3 name, \
             relationship, phone, email and may collect"
        }
        _ => "missing column; add a column with this header",
    };
    RowError::new(row, field.name(), "", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn names_normalised() {
        assert_eq!(normalise("  First   NAME "), "first name");
    }

    #[test]
    fn every_field_name_is_distinct() {
        let fields = Field::all();
        let mut names: Vec<String> = fields
            .iter()
            .map(|field| normalise(&field.name()))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), fields.len());
    }
}
