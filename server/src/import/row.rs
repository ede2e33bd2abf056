//! Reading the values of one data row into a [`ChildRow`], collecting an error for each
//! invalid value so that one report lists them all.

use chrono::NaiveDate;
use csv::StringRecord;

use super::fields::{
    check_email, check_phone, parse_booking, parse_date, parse_funded_hours, parse_yes_no,
};
use super::header::{column_letter, Columns, ContactField, Field};
use super::parse::{Booking, ChildRow, ContactRow, SettingReference};
use super::RowError;

/// Reads the fields of one record, collecting an error for each invalid value.
pub(super) struct RowReader<'a> {
    columns: &'a Columns,
    record: &'a StringRecord,
    row: usize,
    /// Errors found so far, in the order the values were read.
    pub errors: Vec<RowError>,
}

/// The dates of one row after checking them against each other and today.
struct Dates {
    birth: NaiveDate,
    start: NaiveDate,
    leaving: Option<NaiveDate>,
}

impl<'a> RowReader<'a> {
    /// Starts reading `record`, which is spreadsheet row `row`.
    pub fn new(columns: &'a Columns, record: &'a StringRecord, row: usize) -> Self {
        Self {
            columns,
            record,
            row,
            errors: Vec::new(),
        }
    }

    fn text(&self, field: Field) -> &'a str {
        self.columns.value(self.record, field)
    }

    /// Returns the value of `field`, or `None` when it is empty.
    fn optional(&self, field: Field) -> Option<String> {
        Some(self.text(field))
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    }

    fn error(&mut self, field: Field, message: impl Into<String>) {
        let error = RowError::new(self.row, field.name(), self.text(field), message);
        self.errors.push(error);
    }

    /// Returns the room and key person this row names, or `None` when the room is empty.
    pub fn setting_reference(&self) -> Option<SettingReference> {
        let room = self.text(Field::Room);
        let key_person = self.optional(Field::KeyPerson);
        (!room.is_empty()).then(|| SettingReference {
            row: self.row,
            room: room.to_owned(),
            key_person,
        })
    }

    /// Reads the whole row. Returns `None` when a value needed to build the row is invalid,
    /// and a row that may still have errors otherwise, so callers check `errors` too.
    pub fn child(&mut self, today: NaiveDate) -> Option<ChildRow> {
        self.check_unread_values();
        let first_name = self.required(Field::FirstName);
        let last_name = self.required(Field::LastName);
        let birth = self.required_date(Field::DateOfBirth);
        let room = self.required(Field::Room);
        let key_person = self.optional(Field::KeyPerson);
        let start = self.required_date(Field::StartDate);
        let dates = self.dates(today, birth, start);
        let bookings = self.bookings();
        let funded_hours = self.parsed(Field::FundedHours, parse_funded_hours);
        let contacts = self.contacts();
        let display_consent = self.parsed(Field::DisplayConsent, parse_yes_no);
        let sen_support = self.parsed(Field::SenSupport, parse_yes_no);
        let dates = dates?;
        Some(ChildRow {
            row: self.row,
            first_name: first_name?,
            last_name: last_name?,
            date_of_birth: dates.birth,
            room: room?,
            key_person,
            start_date: dates.start,
            leaving_date: dates.leaving,
            bookings,
            funded_hours: funded_hours?,
            contacts,
            display_consent: display_consent?,
            sen_support: sen_support?,
        })
    }

    /// Reports values in columns that have no header, including values past the last
    /// header cell.
    fn check_unread_values(&mut self) {
        for (index, value) in self.record.iter().enumerate() {
            if !value.trim().is_empty() && !self.columns.is_read(index) {
                let column = format!("column {} (no header)", column_letter(index));
                let message =
                    "value in a column with no header; delete it, or add the missing header";
                self.errors
                    .push(RowError::new(self.row, column, value.trim(), message));
            }
        }
    }

    fn required(&mut self, field: Field) -> Option<String> {
        let text = self.text(field);
        if text.is_empty() {
            self.error(field, "missing value; every child needs one");
            return None;
        }
        Some(text.to_owned())
    }

    fn parsed<T>(
        &mut self,
        field: Field,
        parser: fn(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        parser(self.text(field))
            .map_err(|message| self.error(field, message))
            .ok()
    }

    /// Reads a date that may be empty. Returns `None` when the date is invalid.
    fn optional_date(&mut self, field: Field) -> Option<Option<NaiveDate>> {
        if self.text(field).is_empty() {
            return Some(None);
        }
        self.parsed(field, parse_date).map(Some)
    }

    fn required_date(&mut self, field: Field) -> Option<NaiveDate> {
        if self.text(field).is_empty() {
            self.error(field, "missing value; every child needs one");
            return None;
        }
        self.parsed(field, parse_date)
    }

    /// Reads the leaving date and checks the dates against each other and `today`.
    fn dates(
        &mut self,
        today: NaiveDate,
        birth: Option<NaiveDate>,
        start: Option<NaiveDate>,
    ) -> Option<Dates> {
        let leaving = self.optional_date(Field::LeavingDate);
        if birth.is_some_and(|birth| birth > today) {
            self.error(
                Field::DateOfBirth,
                "date of birth is in the future; check the year",
            );
        }
        if let (Some(birth), Some(start)) = (birth, start) {
            if birth > start {
                let message = format!(
                    "date of birth is after the start date {}; check both dates",
                    start.format("%d/%m/%Y")
                );
                self.error(Field::DateOfBirth, message);
            }
        }
        if let (Some(Some(leaving)), Some(start)) = (leaving, start) {
            if leaving < start {
                let message = format!(
                    "leaving date is before the start date {}; check both dates",
                    start.format("%d/%m/%Y")
                );
                self.error(Field::LeavingDate, message);
            }
        }
        Some(Dates {
            birth: birth?,
            start: start?,
            leaving: leaving?,
        })
    }

    fn bookings(&mut self) -> Vec<Booking> {
        let mut bookings = Vec::new();
        for weekday in 1..=5 {
            let Some(sessions) = self.parsed(Field::Day(weekday), parse_booking) else {
                continue;
            };
            bookings.extend(sessions.iter().map(|&session| Booking { weekday, session }));
        }
        bookings
    }

    fn contacts(&mut self) -> Vec<ContactRow> {
        let mut contacts = Vec::new();
        for number in 1..=self.columns.contact_count {
            if let Some(mut contact) = self.contact(number) {
                contact.position = u8::try_from(contacts.len() + 1).unwrap_or(u8::MAX);
                contacts.push(contact);
            }
        }
        contacts
    }

    /// Reads contact `number`. Returns `None` when all its columns are empty or its name is
    /// missing. The returned contact's `position` is 0 for the caller to set.
    fn contact(&mut self, number: u8) -> Option<ContactRow> {
        let field = |detail| Field::Contact(number, detail);
        let Some(name) = self.optional(field(ContactField::Name)) else {
            self.check_nameless_contact(number);
            return None;
        };

        self.check_contact_details(number);
        let may_collect = self.parsed(field(ContactField::MayCollect), parse_yes_no);
        Some(ContactRow {
            position: 0,
            name,
            relationship: self.text(field(ContactField::Relationship)).to_owned(),
            phone: self.text(field(ContactField::Phone)).to_owned(),
            email: self.optional(field(ContactField::Email)),
            may_collect: may_collect.unwrap_or(false),
            collection_password: self.optional(field(ContactField::CollectionPassword)),
        })
    }

    /// Reports a missing relationship or phone number, and an invalid phone number or email
    /// address, of a contact that has a name.
    fn check_contact_details(&mut self, number: u8) {
        let field = |detail| Field::Contact(number, detail);
        if self.text(field(ContactField::Relationship)).is_empty() {
            let message = "missing relationship; add it, for example Mother";
            self.error(field(ContactField::Relationship), message);
        }

        let phone = self.text(field(ContactField::Phone));
        let phone_check = if phone.is_empty() {
            Err("missing phone number; every contact needs one")
        } else {
            check_phone(phone)
        };
        if let Err(message) = phone_check {
            self.error(field(ContactField::Phone), message);
        }

        let email = self.text(field(ContactField::Email));
        if let (false, Err(message)) = (email.is_empty(), check_email(email)) {
            self.error(field(ContactField::Email), message);
        }
    }

    /// Reports a contact with other details but no name. A may-collect value that means
    /// no does not count as a detail, because spreadsheets often fill in `no` for every row.
    fn check_nameless_contact(&mut self, number: u8) {
        let filled = ContactField::ALL.into_iter().skip(1).find(|&detail| {
            let text = self.text(Field::Contact(number, detail));
            match detail {
                ContactField::MayCollect => parse_yes_no(text) != Ok(false),
                _ => !text.is_empty(),
            }
        });
        if let Some(detail) = filled {
            let message = format!(
                "missing name for contact {number}, whose {} is filled in; add the name, or clear the contact's other columns",
                detail.label()
            );
            self.error(Field::Contact(number, ContactField::Name), message);
        }
    }
}
