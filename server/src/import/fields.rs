//! Parsers for single CSV values: dates, session bookings, yes/no values, funded hours,
//! phone numbers and email addresses.
//!
//! Each parser takes a value that is already trimmed and returns the message for a
//! [`RowError`](super::RowError) when the value is invalid. The message says what is wrong
//! and what to write instead.

use chrono::NaiveDate;

/// A bookable part of the day. The codes match `setting_sessions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Session {
    /// The morning session, code `am`.
    Am,
    /// The afternoon session, code `pm`.
    Pm,
}

impl Session {
    /// Returns the session code stored in `bookings.session_code`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Am => "am",
            Self::Pm => "pm",
        }
    }
}

/// Maximum weekly funded hours: the largest government entitlement in England is 30.
pub const MAX_FUNDED_HOURS: u8 = 30;

/// Parses a date written as `dd/mm/yyyy` (day and month may have one digit) or as ISO
/// `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Result<NaiveDate, &'static str> {
    let parts = if text.contains('/') {
        split_date(text, '/', [2, 2, 4]).map(|[day, month, year]| [year, month, day])
    } else {
        split_date(text, '-', [4, 2, 2])
    };
    let Some([year, month, day]) = parts else {
        return Err("not a date; use dd/mm/yyyy, for example 14/03/2022");
    };
    // The year has exactly four digits, so it fits in an i32.
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or("not a real date; use dd/mm/yyyy")
}

/// Splits `text` at `separator` into exactly three runs of ASCII digits, the nth at most
/// `max_digits[n]` long. The year part, the one with a maximum of 4, must have exactly 4
/// digits, so `14/03/22` is rejected instead of read as the year 22.
fn split_date(text: &str, separator: char, max_digits: [usize; 3]) -> Option<[u32; 3]> {
    let mut numbers = [0; 3];
    let mut parts = text.split(separator);
    for (number, max) in numbers.iter_mut().zip(max_digits) {
        let part = parts.next()?;
        let digits_ok = part.bytes().all(|byte| byte.is_ascii_digit());
        let length_ok = if max == 4 {
            part.len() == 4
        } else {
            (1..=max).contains(&part.len())
        };
        if !digits_ok || !length_ok {
            return None;
        }
        *number = part.parse().ok()?;
    }
    parts.next().is_none().then_some(numbers)
}

/// Parses a day's booking: empty, `AM`, `PM` or `Full` (both sessions), in any case.
pub fn parse_booking(text: &str) -> Result<&'static [Session], &'static str> {
    match text.to_ascii_lowercase().as_str() {
        "" => Ok(&[]),
        "am" => Ok(&[Session::Am]),
        "pm" => Ok(&[Session::Pm]),
        "full" => Ok(&[Session::Am, Session::Pm]),
        _ => Err("unknown booking; use AM, PM or Full, or leave empty for no booking"),
    }
}

/// Parses a yes/no value: `yes`, `no`, `y`, `n`, `true` or `false` in any case. An empty
/// value means no.
pub fn parse_yes_no(text: &str) -> Result<bool, &'static str> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" | "" => Ok(false),
        _ => Err("not yes or no; use yes or no, or leave empty for no"),
    }
}

/// Parses weekly funded hours: a whole number from 0 to 30, or empty for none.
pub fn parse_funded_hours(text: &str) -> Result<Option<u8>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err("not a whole number of hours; use 15 or 30, or leave empty");
    }
    match text.parse::<u8>() {
        Ok(hours) if hours <= MAX_FUNDED_HOURS => Ok(Some(hours)),
        _ => Err("funded hours must be from 0 to 30; use 15 or 30, or leave empty"),
    }
}

/// Checks that a phone number contains only digits, spaces, `+`, `-`, `(` and `)`, and
/// between 7 and 15 digits. 15 is the longest number E.164 allows.
pub fn check_phone(text: &str) -> Result<(), &'static str> {
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if allowed && (7..=15).contains(&digits) {
        Ok(())
    } else {
        Err("not a phone number; write digits only, for example 07700 900101")
    }
}

/// Checks that an email address has one `@` with text on both sides, a dot in the domain
/// and no spaces. Whether the address exists is not checked.
pub fn check_email(text: &str) -> Result<(), &'static str> {
    let valid = match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err("not an email address; check it, for example name@example.org, or leave empty")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn dates_in_both_formats() {
        assert_eq!(parse_date("14/03/2022"), Ok(day(2022, 3, 14)));
        assert_eq!(parse_date("4/3/2022"), Ok(day(2022, 3, 4)));
        assert_eq!(parse_date("2022-03-14"), Ok(day(2022, 3, 14)));
        assert_eq!(parse_date("29/02/2024"), Ok(day(2024, 2, 29)));
    }

    #[test]
    fn dates_rejected() {
        for text in [
            "14/03/22",
            "2022/03/14",
            "14-03-2022",
            "14.03.2022",
            "March 2022",
            "14/03",
        ] {
            assert_eq!(
                parse_date(text),
                Err("not a date; use dd/mm/yyyy, for example 14/03/2022"),
                "{text}"
            );
        }
        for text in ["31/02/2024", "29/02/2023", "00/01/2024", "2024-13-01"] {
            assert_eq!(
                parse_date(text),
                Err("not a real date; use dd/mm/yyyy"),
                "{text}"
            );
        }
    }

    #[test]
    fn bookings_any_case() {
        assert_eq!(parse_booking(""), Ok(&[][..]));
        assert_eq!(parse_booking("am"), Ok(&[Session::Am][..]));
        assert_eq!(parse_booking("Pm"), Ok(&[Session::Pm][..]));
        assert_eq!(parse_booking("FULL"), Ok(&[Session::Am, Session::Pm][..]));
        assert!(parse_booking("all day").is_err());
    }

    #[test]
    fn yes_no_answers() {
        for text in ["yes", "Y", "TRUE"] {
            assert_eq!(parse_yes_no(text), Ok(true), "{text}");
        }
        for text in ["no", "N", "false", ""] {
            assert_eq!(parse_yes_no(text), Ok(false), "{text}");
        }
        assert!(parse_yes_no("maybe").is_err());
    }

    #[test]
    fn funded_hours_range() {
        assert_eq!(parse_funded_hours(""), Ok(None));
        assert_eq!(parse_funded_hours("0"), Ok(Some(0)));
        assert_eq!(parse_funded_hours("30"), Ok(Some(30)));
        assert!(parse_funded_hours("31").is_err());
        assert!(parse_funded_hours("-1").is_err());
        assert!(parse_funded_hours("15.5").is_err());
        assert!(parse_funded_hours("300").is_err());
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(check_phone("07700 900101"), Ok(()));
        assert_eq!(check_phone("+44 (0)7700-900101"), Ok(()));
        assert!(check_phone("Mother").is_err());
        assert!(check_phone("12345").is_err());
    }

    #[test]
    fn email_addresses() {
        assert_eq!(check_email("laura.w@example.org"), Ok(()));
        assert!(check_email("laura.w").is_err());
        assert!(check_email("@example.org").is_err());
        assert!(check_email("laura@example").is_err());
        assert!(check_email("laura w@example.org").is_err());
    }
}
