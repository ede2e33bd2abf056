//! The room register: the tablet screen key workers mark children on, and its data.

pub mod api;
pub mod audit;
mod card;
mod client;
mod correct;
mod device;
pub mod model;
pub mod page;
mod pin_sheet;
mod sheets;
mod state;
mod sync_engine;
mod sync_view;
