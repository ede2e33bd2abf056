//! Local storage on the tablet: its device id. Reading or
//! writing storage can fail (private browsing, storage blocked or full), and the register then
//! still works without them: the device id lasts for the page's lifetime only.

use std::sync::OnceLock;

use uuid::Uuid;

use crate::sync::device::{read, write};

const DEVICE_KEY: &str = "here-today.device-id";

/// The device id used when local storage cannot keep one.
static PAGE_DEVICE_ID: OnceLock<String> = OnceLock::new();

/// Returns this tablet's id, making and storing one on first use.
pub fn device_id() -> String {
    if let Ok(Some(stored)) = read(DEVICE_KEY) {
        if let Ok(id) = serde_json::from_str::<String>(&stored) {
            return id;
        }
    }
    let id = PAGE_DEVICE_ID
        .get_or_init(|| format!("tablet-{}", Uuid::now_v7()))
        .clone();
    // The id is stored as a JSON string, the format earlier versions wrote.
    let _ = write(
        DEVICE_KEY,
        &serde_json::Value::String(id.clone()).to_string(),
    );
    id
}
