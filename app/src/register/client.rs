//! Small browser helpers for the register: the clock and page reloads.

/// Returns the browser clock in milliseconds since the Unix epoch.
#[cfg(feature = "hydrate")]
pub fn browser_now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// Returns the system clock in milliseconds since the Unix epoch.
#[cfg(not(feature = "hydrate"))]
pub fn browser_now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Reloads the current page from the server.
#[cfg(feature = "hydrate")]
pub fn reload_page() {
    if let Err(error) = leptos::prelude::window().location().reload() {
        leptos::logging::warn!("could not reload the page: {error:?}");
    }
}

/// Reloading needs a browser; during server rendering it does nothing.
#[cfg(not(feature = "hydrate"))]
pub fn reload_page() {}
