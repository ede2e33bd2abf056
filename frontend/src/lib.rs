//! Browser entry point: hydrates the server-rendered HTML into the interactive app.
// Leptos view types nest deeply when `app` is built with both its ssr and hydrate features
// (as `cargo test --workspace` does); the default limit of 128 is too low for them.
#![recursion_limit = "256"]

/// Hydrates the page body once the WASM module has loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
