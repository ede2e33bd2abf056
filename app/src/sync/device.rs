//! The tablet's side of sync that touches the browser: local storage and the network. During
//! server rendering these do nothing, as no page state is kept or sent from the server.

use crate::error::AppError;
use crate::sync::protocol::{SyncRequest, SyncResponse};

/// The message for staff when local storage cannot be used.
pub const STORAGE_PROBLEM: &str = "Marks cannot be kept on this tablet if the network drops: \
    its storage is full or blocked (a private window blocks it). Keep the tablet online until \
    this message goes";

/// Local storage is blocked (as in a private window) or full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageUnavailable;

// Local storage is reached through web-sys rather than gloo-storage, whose accessors panic
// when the browser blocks storage (as Chromium does for a site not allowed to keep data).
#[cfg(feature = "hydrate")]
mod browser {
    use super::StorageUnavailable;
    use web_sys::Storage;

    fn storage() -> Option<Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Reads a key; `Err` when local storage cannot be used at all.
    pub fn read(key: &str) -> Result<Option<String>, StorageUnavailable> {
        storage()
            .ok_or(StorageUnavailable)?
            .get_item(key)
            .map_err(|_| StorageUnavailable)
    }

    /// Writes a key; `Err` when storage is blocked or full.
    pub fn write(key: &str, value: &str) -> Result<(), StorageUnavailable> {
        storage()
            .ok_or(StorageUnavailable)?
            .set_item(key, value)
            .map_err(|_| StorageUnavailable)
    }
}

/// Reads a local storage key. `Err` means storage cannot be used.
pub fn read(key: &str) -> Result<Option<String>, StorageUnavailable> {
    #[cfg(feature = "hydrate")]
    return browser::read(key);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        Ok(None)
    }
}

/// Writes a local storage key. `Err` means the value was not kept.
pub fn write(key: &str, value: &str) -> Result<(), StorageUnavailable> {
    #[cfg(feature = "hydrate")]
    return browser::write(key, value);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        Ok(())
    }
}

/// Sends a sync request and returns the server's reply.
#[cfg(feature = "hydrate")]
pub async fn post_sync(request: &SyncRequest) -> Result<SyncResponse, AppError> {
    let network = |error: gloo_net::Error| AppError::Network {
        message: error.to_string(),
    };
    let response = gloo_net::http::Request::post(crate::sync::protocol::SYNC_PATH)
        .json(request)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if response.ok() {
        return response.json::<SyncResponse>().await.map_err(network);
    }
    match response.json::<AppError>().await {
        Ok(error) => Err(error),
        Err(_) => Err(AppError::Network {
            message: format!("the server returned status {}", response.status()),
        }),
    }
}

/// Syncing needs a browser; during server rendering nothing is sent.
#[cfg(not(feature = "hydrate"))]
pub async fn post_sync(_request: &SyncRequest) -> Result<SyncResponse, AppError> {
    Err(AppError::Network {
        message: "marks can only be sent from a browser".to_owned(),
    })
}

/// Returns whether the browser believes it has a network connection.
pub fn browser_online() -> bool {
    #[cfg(feature = "hydrate")]
    return web_sys::window().is_none_or(|window| window.navigator().on_line());
    #[cfg(not(feature = "hydrate"))]
    true
}

/// Asks the service worker to keep the current page for opening offline, by fetching it with
/// an HTML `Accept` header (the worker stores such responses for register pages).
pub fn keep_page_for_offline() {
    #[cfg(feature = "hydrate")]
    {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(path) = window.location().pathname() else {
            return;
        };
        if path != "/" && !path.starts_with("/rooms/") {
            return;
        }
        leptos::task::spawn_local(async move {
            let _ = gloo_net::http::Request::get(&path)
                .header("Accept", "text/html")
                .send()
                .await;
        });
    }
}

/// Registers the service worker that keeps the app and register pages for offline use.
pub fn register_service_worker() {
    #[cfg(feature = "hydrate")]
    {
        let Some(window) = web_sys::window() else {
            return;
        };
        // Browsers without service workers (or on plain HTTP away from localhost) have none.
        let container = window.navigator().service_worker();
        if container.is_undefined() {
            return;
        }
        let _ = container.register("/sw.js");
        // The first time a worker takes over, the page open now was loaded without it: ask
        // again so the worker keeps this page too.
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(keep_page_for_offline);
        container.set_oncontrollerchange(Some(wasm_bindgen::JsCast::unchecked_ref(
            on_change.as_ref(),
        )));
        on_change.forget();
    }
}
