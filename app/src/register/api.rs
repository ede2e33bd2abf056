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

#[cfg(feature = "ssr")]
use crate::auth::api::{caller, with_status};

/// Loads today's register for a room.
#[server(endpoint = "register")]
pub async fn load_register(room: Uuid) -> Result<RegisterView, AppError> {
    let (pool, clock) = server_parts()?;
    let caller = caller();
    if let crate::auth::Principal::Revoked { .. } = caller.principal {
        return with_status(Err(AppError::Revoked {
            message: crate::auth::api::REVOKED_WORDS.to_owned(),
        }));
    }
    with_status(crate::store::room_register(&pool, &caller.principal, room, clock.now()).await)
}

/// Loads the whole setting today, with the booked children not yet arrived.
#[server(endpoint = "today")]
pub async fn load_setting_today() -> Result<SettingToday, AppError> {
    let (pool, clock) = server_parts()?;
    let caller = caller();
    let crate::auth::Principal::Manager { person } = &caller.principal else {
        return with_status(Err(AppError::not_found("This page")));
    };
    with_status(crate::store::setting_today(&pool, person.setting, clock.now()).await)
}

/// Loads a child's day with its full history of marks and corrections.
#[server(endpoint = "child-day")]
pub async fn load_child_day(child: Uuid, date: NaiveDate) -> Result<ChildDayAudit, AppError> {
    let (pool, _) = server_parts()?;
    let caller = caller();
    with_status(crate::store::child_day_audit(&pool, &caller.principal, child, date).await)
}
