//! The room register: the tablet screen key workers mark children on, and its data.

pub mod model;
