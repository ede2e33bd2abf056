//! Server functions of the lobby display. The display's view is built by
//! [`crate::domain::attendance::lobby::lobby_view`] from consenting children only, so no
//! surname, id, absence, reason or level is ever serialised.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::attendance::lobby::LobbyView;
use crate::error::AppError;

/// The manager's messages for the form, and whether the defaults are in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LobbyMessages {
    pub messages: Vec<String>,
    pub defaults: bool,
}

/// Loads what the lobby display shows. Open to lobby displays and the setting's managers.
#[server(endpoint = "lobby")]
pub async fn load_lobby() -> Result<LobbyView, AppError> {
    server_side::lobby().await
}

/// Loads the lobby display's messages for the manager's form.
#[server(endpoint = "lobby-messages")]
pub async fn load_lobby_messages() -> Result<LobbyMessages, AppError> {
    server_side::messages().await
}

/// Saves the lobby display's messages, one per line; no text at all goes back to the
/// defaults.
#[server(endpoint = "save-lobby-messages")]
pub async fn save_lobby_messages(messages: String) -> Result<(), AppError> {
    server_side::save_messages(messages).await
}

/// Builds the lobby view for the caller of the current request, for the start page.
#[cfg(feature = "ssr")]
pub(crate) async fn lobby_for_caller() -> Result<LobbyView, AppError> {
    server_side::lobby_inner().await
}

#[cfg(feature = "ssr")]
mod server_side {
    use chrono::Duration;

    use super::LobbyMessages;
    use crate::auth::api::{caller, manager, pool_and_clock, with_status, REVOKED_WORDS};
    use crate::auth::Principal;
    use crate::domain::attendance::lobby::{
        default_messages, lobby_view, parse_messages, LobbyChild, LobbyInput, LobbyView,
    };
    use crate::domain::attendance::windows::{previous_six_weeks, school_year, DateRange};
    use crate::domain::calendar::local_time_label;
    use crate::error::AppError;
    use crate::store::attendance::{load_records, load_rules};
    use crate::store::load_setting_from_pool;
    use crate::store::lobby;

    pub async fn lobby() -> Result<LobbyView, AppError> {
        with_status(lobby_inner().await)
    }

    pub async fn lobby_inner() -> Result<LobbyView, AppError> {
        let caller = caller();
        let setting = match &caller.principal {
            Principal::Lobby { device } => device.setting,
            Principal::Manager { person } => person.setting,
            Principal::Anonymous => return Err(AppError::SignInNeeded),
            Principal::Revoked { .. } => {
                return Err(AppError::Revoked {
                    message: REVOKED_WORDS.to_owned(),
                })
            }
            _ => return Err(AppError::not_found("This page")),
        };
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let setting = load_setting_from_pool(&pool, setting).await?;
        let rules = load_rules(&pool, setting.id).await?;
        let today = setting.calendar.local_date(now);
        // Far enough back for both six-week windows and for streaks through the school year.
        let range = DateRange {
            from: school_year(today)
                .from
                .min(previous_six_weeks(today).from)
                .min(today - Duration::days(84)),
            to: today,
        };
        let consent = lobby::load_consent(&pool, setting.id).await?;
        let children: Vec<LobbyChild> = load_records(&pool, &setting, &rules, range, now, None)
            .await?
            .into_iter()
            .map(|loaded| LobbyChild {
                consent: consent.contains(&loaded.child.id),
                first_name: loaded.child.first_name,
                last_name: loaded.child.last_name,
                room: loaded.child.room,
                records: loaded.records,
            })
            .collect();
        let messages = lobby::load_messages(&pool, setting.id).await?;
        Ok(lobby_view(LobbyInput {
            setting_name: setting.name.clone(),
            today,
            target: rules.bands.excellent,
            improved_points: rules.level3_improvement,
            children: &children,
            messages,
            updated: local_time_label(setting.calendar.time_zone, now),
        }))
    }

    pub async fn messages() -> Result<LobbyMessages, AppError> {
        let result = async {
            let (_, setting, _) = manager()?;
            let (pool, _) = pool_and_clock()?;
            let saved = lobby::load_messages(&pool, setting).await?;
            Ok(if saved.is_empty() {
                LobbyMessages {
                    messages: default_messages(),
                    defaults: true,
                }
            } else {
                LobbyMessages {
                    messages: saved,
                    defaults: false,
                }
            })
        };
        with_status(result.await)
    }

    pub async fn save_messages(text: String) -> Result<(), AppError> {
        let result = async {
            let (caller, setting, _) = manager()?;
            let (pool, clock) = pool_and_clock()?;
            let messages =
                parse_messages(&text).map_err(|message| AppError::invalid("messages", message))?;
            lobby::save_messages(&pool, &caller, setting, &messages, clock.now()).await
        };
        with_status(result.await)
    }
}
