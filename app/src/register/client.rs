//! Sending marks from the browser to `POST /api/events`.

use super::model::{BatchOutcome, EventBatch};
use crate::error::AppError;

/// Sends a batch of events and returns the server's outcome for each.
#[cfg(feature = "hydrate")]
pub async fn send_events(batch: &EventBatch) -> Result<BatchOutcome, AppError> {
    let network = |error: gloo_net::Error| AppError::Network {
        message: error.to_string(),
    };
    let response = gloo_net::http::Request::post("/api/events")
        .json(batch)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if response.ok() {
        return response.json::<BatchOutcome>().await.map_err(network);
    }
    match response.json::<AppError>().await {
        Ok(error) => Err(error),
        Err(_) => Err(AppError::Network {
            message: format!("the server returned status {}", response.status()),
        }),
    }
}

/// Sending needs a browser; during server rendering no mark is ever sent.
#[cfg(not(feature = "hydrate"))]
pub async fn send_events(_batch: &EventBatch) -> Result<BatchOutcome, AppError> {
    Err(AppError::Network {
        message: "marks can only be sent from a browser".to_owned(),
    })
}

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
