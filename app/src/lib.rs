//! Here Today's shared crate: pages and components, server functions, the error type and the
//! pure attendance rules used on both the server and the tablet.

pub mod domain;
pub mod error;
pub mod register;
#[cfg(feature = "ssr")]
pub mod store;
