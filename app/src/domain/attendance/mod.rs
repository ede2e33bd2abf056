//! Attendance figures and the graduated response, computed from booked sessions and the
//! register. Pure: callers load the calendar, bookings, register days and case facts.

pub mod case;
pub mod celebrations;
pub mod figures;
pub mod first_day;
pub mod letters;
pub mod lobby;
pub mod parent;
pub mod rules;
pub mod sessions;
pub mod term_calendar;
pub mod windows;

#[cfg(test)]
mod tests;
