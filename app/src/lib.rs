//! Here Today's shared crate: pages and components, server functions, the error type and the
//! pure attendance rules used on both the server and the tablet.

pub mod auth;
pub mod build;
pub mod clock;
pub mod domain;
pub mod error;
pub mod followup;
mod home;
pub mod lobby;
pub mod parents;
pub mod register;
mod shell;
#[cfg(feature = "ssr")]
pub mod store;
pub mod sync;
mod ui;

pub use shell::{shell, App};
