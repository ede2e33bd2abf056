//! Offline work and sync for the room tablet. Every mark goes into a local outbox first and
//! is shown at once; the tablet sends the outbox to `POST /api/sync` whenever it can, and the
//! server replies with what it stored and what changed since the last sync.
//!
//! The pure parts (the wire format, the outbox, the stored formats and the status words) build
//! for both the server and the browser and are tested natively; the loop that talks to the
//! network and to local storage runs only in the browser.

pub mod device;
pub mod outbox;
pub mod protocol;
pub mod status;
pub mod stored;

#[cfg(test)]
mod merge_tests;
