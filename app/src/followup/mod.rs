//! Following up attendance: the manager's morning view, the graduated response, the setting
//! dashboard, each child's page and case log, letters, thresholds, and history import.

pub mod api;
mod charts;
pub mod child;
pub mod dashboard;
pub mod import;
pub mod letters;
pub mod model;
pub mod morning;
pub mod rules_page;
