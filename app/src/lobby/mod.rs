//! The lobby display: a full-screen, rotating set of slides for the entrance hall that
//! celebrates good and improved attendance, and the manager's page for its messages.
//! `docs/lobby.md` describes what it shows and its privacy rules.

pub mod api;
pub mod page;
