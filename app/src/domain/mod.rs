//! Pure domain rules shared by the server and the tablet: no I/O, no clock reads.

pub mod absence_report;
pub mod attendance;
pub mod bank_holidays;
pub mod calendar;
pub mod events;
pub mod reasons;
pub mod status;

#[cfg(test)]
mod absence_report_tests;
