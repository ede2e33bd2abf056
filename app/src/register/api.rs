//! Server functions that read the register, and the browser's call that sends marks.

use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ChildDayAudit, RegisterView, SettingToday};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn server_parts() -> Result<(sqlx::SqlitePool, crate::clock::Clock), AppError> {
    let pool = use_context::<sqlx::SqlitePool>().ok_or_else(|| {
        tracing::error!("database pool missing from the server function context");
        AppError::Internal
    })?;
    let clock = use_context::<crate::clock::Clock>().unwrap_or_default();
    Ok((pool, clock))
}

/// Sets the HTTP status of the current response from `error` and passes it on.
#[cfg(feature = "ssr")]
fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
                response.set_status(status);
            }
        }
    }
    result
}

/// Loads today's register for a room.
#[server(endpoint = "register")]
pub async fn load_register(room: Uuid) -> Result<RegisterView, AppError> {
    let (pool, clock) = server_parts()?;
    with_status(crate::store::room_register(&pool, room, clock.now()).await)
}

/// Loads today's counts for every room, without children's names.
#[server(endpoint = "rooms")]
pub async fn load_rooms() -> Result<SettingToday, AppError> {
    let (pool, clock) = server_parts()?;
    with_status(crate::store::rooms_today(&pool, clock.now()).await)
}

/// Loads the whole setting today, with the booked children not yet arrived.
#[server(endpoint = "today")]
pub async fn load_setting_today() -> Result<SettingToday, AppError> {
    let (pool, clock) = server_parts()?;
    with_status(crate::store::setting_today(&pool, clock.now()).await)
}

/// Loads a child's day with its full history of marks and corrections.
#[server(endpoint = "child-day")]
pub async fn load_child_day(child: Uuid, date: NaiveDate) -> Result<ChildDayAudit, AppError> {
    let (pool, _) = server_parts()?;
    with_status(crate::store::child_day_audit(&pool, child, date).await)
}
