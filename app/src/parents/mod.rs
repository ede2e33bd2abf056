//! What parents and carers see and do: their own children's attendance, and absences reported
//! in advance, which wait on the phone when it is offline.

pub mod api;
pub mod model;
pub mod outbox;
pub mod page;
