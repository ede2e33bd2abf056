//! Server functions for signing in and out, one-time links, enrolling devices, PINs, and the
//! manager's accounts, devices and audit trail. Each checks the caller itself, as well as the
//! route rule the server applies before it runs.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::register::model::{RegisterView, SettingToday};

#[cfg(feature = "ssr")]
pub use server_side::*;

/// The start page's content for the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "home", rename_all = "snake_case")]
pub enum Home {
    /// A manager or practitioner: the rooms they may open.
    Rooms { today: SettingToday, manager: bool },
    /// A room tablet: its room's register.
    Register { view: RegisterView },
    /// A lobby display: its slides.
    Lobby {
        view: crate::domain::attendance::lobby::LobbyView,
    },
}

/// The signed-in person's own account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub role: String,
    /// Whether the person can mark on a room tablet (has a staff record).
    pub staff: bool,
    pub has_pin: bool,
}

/// The manager's accounts page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<crate::auth::model::AccountSummary>,
    pub rooms: Vec<(Uuid, String)>,
    pub children: Vec<(Uuid, String)>,
    pub staff: Vec<(Uuid, String)>,
}

/// The manager's devices page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicesView {
    pub devices: Vec<crate::auth::model::DeviceSummary>,
    pub rooms: Vec<(Uuid, String)>,
    /// How long a room tablet remembers the practitioner who entered their PIN.
    pub pin_remember_minutes: u32,
}

/// A link made for someone to open, shown to the manager to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadeLink {
    pub url: String,
    /// The address the link was emailed to, when the server sends email and sending worked.
    pub emailed_to: Option<String>,
    /// Why the email was not sent, when the server sends email and sending failed.
    pub email_problem: Option<String>,
}

/// Signs in with an email and password, then goes to `next` (a path on this site) or home.
#[server(endpoint = "sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    server_side::sign_in_inner(email, password, next).await
}

/// Signs out this browser.
#[server(endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    server_side::sign_out_inner(false).await
}

/// Signs out every browser signed in to this account.
#[server(endpoint = "sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    server_side::sign_out_inner(true).await
}

/// Sets a password from an invitation, reset or set-up link, and signs in.
#[server(endpoint = "accept-link")]
pub async fn accept_link(
    token: String,
    password: String,
    #[server(default)] setting_name: String,
    #[server(default)] name: String,
    #[server(default)] email: String,
) -> Result<(), AppError> {
    server_side::accept_link_inner(token, password, setting_name, name, email).await
}

/// Reads what a one-time link is for.
#[server(endpoint = "link")]
pub async fn load_link(token: String) -> Result<crate::auth::model::LinkSummary, AppError> {
    server_side::load_link_inner(token).await
}

/// Enrols this browser as a device with a pairing code from the manager.
#[server(endpoint = "enrol")]
pub async fn enrol_device(code: String) -> Result<(), AppError> {
    server_side::enrol_inner(code).await
}

/// Loads the start page for the caller.
#[server(endpoint = "home")]
pub async fn load_home() -> Result<Home, AppError> {
    server_side::home_inner().await
}

/// Loads the signed-in person's account.
#[server(endpoint = "account")]
pub async fn load_account() -> Result<AccountView, AppError> {
    server_side::account_inner().await
}

/// Sets the signed-in person's 4-digit PIN for room tablets.
#[server(endpoint = "set-pin")]
pub async fn set_my_pin(pin: String) -> Result<(), AppError> {
    server_side::set_pin_inner(pin).await
}

/// Loads the setting's accounts, for the manager.
#[server(endpoint = "accounts")]
pub async fn load_accounts() -> Result<AccountsView, AppError> {
    server_side::accounts_inner().await
}

/// Creates an account and returns its one-time invitation link.
#[server(endpoint = "invite")]
pub async fn invite_account(
    email: String,
    name: String,
    role: String,
    #[server(default)] room: String,
    #[server(default)] child: String,
    #[server(default)] staff: String,
) -> Result<MadeLink, AppError> {
    let id = |field: &str, text: String| optional_id(field, &text);
    server_side::invite_inner(
        email,
        name,
        role,
        id("room", room)?,
        id("child", child)?,
        id("staff", staff)?,
    )
    .await
}

/// Reads an optional id from a form field: empty means none.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn optional_id(field: &str, text: &str) -> Result<Option<Uuid>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(text).map(Some).map_err(|_| {
        AppError::invalid(
            field,
            format!("\"{text}\" is not an id; choose from the list"),
        )
    })
}

/// Makes a one-time password-reset link for an account.
#[server(endpoint = "reset-link")]
pub async fn make_reset_link(account: Uuid) -> Result<MadeLink, AppError> {
    server_side::reset_link_inner(account).await
}

/// Loads the setting's devices, for the manager.
#[server(endpoint = "devices")]
pub async fn load_devices() -> Result<DevicesView, AppError> {
    server_side::devices_inner().await
}

/// Makes a pairing code for a new room tablet (`room` given) or lobby display.
#[server(endpoint = "pairing-code")]
pub async fn make_pairing_code(
    name: String,
    #[server(default)] room: String,
) -> Result<crate::auth::model::PairingSummary, AppError> {
    server_side::pairing_inner(name, optional_id("room", &room)?).await
}

/// Sets how long a room tablet remembers the practitioner who entered their PIN.
#[server(endpoint = "pin-minutes")]
pub async fn set_pin_minutes(minutes: u32) -> Result<(), AppError> {
    server_side::pin_minutes_inner(minutes).await
}

/// Revokes a device's enrolment.
#[server(endpoint = "revoke")]
pub async fn revoke_device(device: Uuid) -> Result<(), AppError> {
    server_side::revoke_inner(device).await
}

/// Accepts (records) or rejects a mark held from a revoked tablet.
#[server(endpoint = "held-mark")]
pub async fn decide_held_mark(mark: Uuid, accept: bool) -> Result<String, AppError> {
    server_side::held_inner(mark, accept).await
}

/// Reads the audit trail, newest first, optionally one action or rows mentioning `text`.
#[server(endpoint = "audit")]
pub async fn load_audit(
    #[server(default)] action: Option<String>,
    #[server(default)] text: Option<String>,
) -> Result<Vec<crate::auth::model::AuditLine>, AppError> {
    server_side::audit_inner(action, text).await
}

#[cfg(feature = "ssr")]
mod server_side {
    use std::collections::HashMap;
    use std::net::SocketAddr;
    use std::num::NonZeroU32;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use axum::extract::ConnectInfo;
    use axum::http::request::Parts;
    use chrono::{DateTime, Utc};
    use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
    use leptos::prelude::*;
    use sqlx::SqlitePool;
    use tower_sessions::Session;
    use uuid::Uuid;

    use super::*;
    use crate::auth::model::{AuditLine, LinkSummary, PairingSummary};
    use crate::auth::{Device, Principal};
    use crate::clock::Clock;
    use crate::store::accounts::{
        self, audit, AuditEntry, Caller, NewAccount, Role, SessionAuth, SetupDetails, SignedIn,
    };
    use crate::store::devices;

    /// Session key of the signed-in account.
    pub const SESSION_KEY: &str = "auth";
    /// Name of the cookie holding an enrolled device's credential.
    pub const DEVICE_COOKIE: &str = "here_today_device";
    /// How long a device credential cookie is kept: 400 days, the longest browsers allow.
    const DEVICE_COOKIE_SECONDS: i64 = 400 * 24 * 60 * 60;

    /// The site's public address and whether cookies are marked Secure.
    #[derive(Debug, Clone)]
    pub struct Site {
        /// Such as `https://register.example.org`, with no trailing slash.
        pub public_url: String,
        pub secure_cookies: bool,
    }

    /// The request's origin (network address, or device id and address), set by the server's
    /// middleware.
    #[derive(Debug, Clone)]
    pub struct RequestOrigin(pub String);

    /// Limits on failed sign-in, link and enrolment attempts, per account and per network
    /// address. Only failures count, so people who type their password right are never held up.
    #[derive(Clone)]
    pub struct RateLimits {
        per_account: Arc<DefaultKeyedRateLimiter<String>>,
        per_address: Arc<DefaultKeyedRateLimiter<String>>,
        /// Keys that used up their allowance, with the instant they may try again.
        blocked: Arc<Mutex<HashMap<String, Instant>>>,
    }

    impl Default for RateLimits {
        fn default() -> Self {
            let nz = |n| NonZeroU32::new(n).expect("non-zero");
            // Five failures for one account, then one more a minute; thirty from one address,
            // then one more every ten seconds.
            Self {
                per_account: Arc::new(RateLimiter::keyed(
                    Quota::per_minute(nz(1)).allow_burst(nz(5)),
                )),
                per_address: Arc::new(RateLimiter::keyed(
                    Quota::per_minute(nz(6)).allow_burst(nz(30)),
                )),
                blocked: Arc::default(),
            }
        }
    }

    fn too_many(wait: Duration, whom: &str) -> AppError {
        let seconds = wait.as_secs().max(1);
        let when = if seconds < 90 {
            format!("{seconds} seconds")
        } else {
            format!("{} minutes", seconds.div_ceil(60))
        };
        AppError::TooManyAttempts {
            message: format!("Too many failed attempts {whom}. Wait {when}, then try again."),
        }
    }

    fn limit_keys(account: Option<&str>, address: &str) -> Vec<(String, &'static str)> {
        let mut keys = Vec::new();
        if let Some(account) = account {
            keys.push((
                format!("account:{}", account.trim().to_lowercase()),
                "for this account",
            ));
        }
        keys.push((format!("address:{address}"), "from this device"));
        keys
    }

    impl RateLimits {
        /// Returns an error with the time to wait when earlier failures blocked `account` or
        /// `address`.
        pub fn check(&self, account: Option<&str>, address: &str) -> Result<(), AppError> {
            let now = Instant::now();
            let blocked = self
                .blocked
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            for (key, whom) in limit_keys(account, address) {
                if let Some(until) = blocked.get(&key).filter(|until| **until > now) {
                    return Err(too_many(*until - now, whom));
                }
            }
            Ok(())
        }

        /// Counts a failed attempt. Returns an error with the time to wait when this failure
        /// used up the allowance of `account` or `address`.
        pub fn failed(&self, account: Option<&str>, address: &str) -> Result<(), AppError> {
            let now = Instant::now();
            let clock = governor::clock::DefaultClock::default();
            for (key, whom) in limit_keys(account, address) {
                let limiter = if key.starts_with("account:") {
                    &self.per_account
                } else {
                    &self.per_address
                };
                if let Err(not_until) = limiter.check_key(&key) {
                    let wait = not_until.wait_time_from(governor::clock::Clock::now(&clock));
                    let mut blocked = self
                        .blocked
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner());
                    blocked.retain(|_, until| *until > now);
                    blocked.insert(key, now + wait);
                    return Err(too_many(wait, whom));
                }
            }
            Ok(())
        }
    }

    fn parts() -> Result<Parts, AppError> {
        use_context::<Parts>().ok_or_else(|| {
            tracing::error!("request parts missing from the server function context");
            AppError::Internal
        })
    }

    pub fn pool_and_clock() -> Result<(SqlitePool, Clock), AppError> {
        let pool = use_context::<SqlitePool>().ok_or_else(|| {
            tracing::error!("database pool missing from the server function context");
            AppError::Internal
        })?;
        Ok((pool, use_context::<Clock>().unwrap_or_default()))
    }

    /// Returns the caller of the current request: principal and origin.
    pub fn caller() -> Caller {
        let Ok(parts) = parts() else {
            return Caller {
                principal: Principal::Anonymous,
                origin: "unknown".to_owned(),
            };
        };
        Caller {
            principal: parts
                .extensions
                .get::<Principal>()
                .cloned()
                .unwrap_or_default(),
            origin: parts
                .extensions
                .get::<RequestOrigin>()
                .map(|origin| origin.0.clone())
                .or_else(|| {
                    parts
                        .extensions
                        .get::<ConnectInfo<SocketAddr>>()
                        .map(|info| info.0.ip().to_string())
                })
                .unwrap_or_else(|| "unknown".to_owned()),
        }
    }

    /// Sets the response status from `error` and passes the result on.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
                    response.set_status(status);
                }
            }
        }
        result
    }

    /// Returns the caller if they manage a setting, with its id and their account.
    pub fn manager() -> Result<(Caller, Uuid, Uuid), AppError> {
        let caller = caller();
        match &caller.principal {
            Principal::Manager { person } => {
                let (setting, account) = (person.setting, person.account);
                Ok((caller, setting, account))
            }
            Principal::Anonymous => Err(AppError::SignInNeeded),
            _ => Err(AppError::not_found("This page")),
        }
    }

    fn session() -> Result<Session, AppError> {
        parts()?
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| {
                tracing::error!("session layer missing");
                AppError::Internal
            })
    }

    fn safe_next(next: Option<String>) -> String {
        next.filter(|next| next.starts_with('/') && !next.starts_with("//") && !next.contains('\\'))
            .unwrap_or_else(|| "/".to_owned())
    }

    async fn start_session(signed_in: &SignedIn, now: DateTime<Utc>) -> Result<(), AppError> {
        let session = session()?;
        let auth = SessionAuth {
            account: signed_in.account,
            epoch: signed_in.epoch,
            signed_in_at: now,
            last_seen_at: now,
        };
        // A new session id at sign-in, so an id planted before cannot be used after.
        session.cycle_id().await.map_err(session_error)?;
        session
            .insert(SESSION_KEY, auth)
            .await
            .map_err(session_error)
    }

    fn session_error(error: tower_sessions::session::Error) -> AppError {
        tracing::error!(%error, "session store failed");
        AppError::Internal
    }

    pub async fn sign_in_inner(
        email: String,
        password: String,
        next: Option<String>,
    ) -> Result<(), AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let limits = use_context::<RateLimits>().unwrap_or_default();
        let now = clock.now();
        // The address tried goes to the audit trail for managers; the server log gets no
        // personal details and never the password.
        let audit_attempt = |action: &'static str, detail: &str| {
            let pool = pool.clone();
            let mut entry = AuditEntry::new(&caller, action)
                .subject(email.trim().to_owned())
                .detail(detail.to_owned());
            let email = email.clone();
            async move {
                entry.setting = known_setting(&pool, &email).await?;
                audit(&pool, entry, now).await
            }
        };
        if let Err(error) = limits.check(Some(&email), &caller.origin) {
            tracing::info!("sign-in rejected: rate limit reached");
            audit_attempt("sign_in_limited", "not checked: too many failed attempts").await?;
            return with_status(Err(error));
        }
        if password.chars().count() > crate::auth::secret::MAX_PASSWORD_CHARS {
            return with_status(Err(AppError::invalid("password", "is too long")));
        }
        let Some(signed_in) = accounts::check_password(&pool, &email, &password).await? else {
            tracing::info!("sign-in failed");
            if let Err(error) = limits.failed(Some(&email), &caller.origin) {
                audit_attempt("sign_in_limited", "wrong password; the limit is reached").await?;
                return with_status(Err(error));
            }
            audit_attempt("sign_in_failed", "wrong email or password").await?;
            return with_status(Err(AppError::invalid(
                "password",
                "that email and password do not match an account; check both and try again",
            )));
        };
        start_session(&signed_in, now).await?;
        audit(
            &pool,
            AuditEntry::new(&caller, "sign_in")
                .setting(signed_in.setting)
                .actor(signed_in.label.clone()),
            now,
        )
        .await?;
        leptos_axum::redirect(&landing(&signed_in, next));
        Ok(())
    }

    async fn known_setting(pool: &SqlitePool, email: &str) -> Result<Option<Uuid>, AppError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT setting_id FROM accounts WHERE email = ?")
                .bind(email.trim())
                .fetch_optional(pool)
                .await?;
        Ok(row.and_then(|(id,)| Uuid::parse_str(&id).ok()))
    }

    pub async fn sign_out_inner(everywhere: bool) -> Result<(), AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let Some(person) = caller.principal.person().cloned() else {
            return with_status(Err(AppError::SignInNeeded));
        };
        if everywhere {
            accounts::end_all_sessions(&pool, person.account).await?;
        }
        session()?.flush().await.map_err(session_error)?;
        let action = if everywhere {
            "sign_out_everywhere"
        } else {
            "sign_out"
        };
        audit(&pool, AuditEntry::new(&caller, action), clock.now()).await?;
        leptos_axum::redirect("/sign-in");
        Ok(())
    }

    pub async fn load_link_inner(token: String) -> Result<LinkSummary, AppError> {
        let (pool, clock) = pool_and_clock()?;
        let info = with_status(accounts::read_link(&pool, &token, clock.now()).await)?;
        Ok(LinkSummary {
            purpose: info.purpose,
            email: info.email,
            name: info.name,
            needs_setting: info.needs_setting,
        })
    }

    pub async fn accept_link_inner(
        token: String,
        password: String,
        setting_name: String,
        name: String,
        email: String,
    ) -> Result<(), AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let limits = use_context::<RateLimits>().unwrap_or_default();
        with_status(limits.check(None, &caller.origin))?;
        let now = clock.now();
        let setup = SetupDetails {
            setting_name,
            name,
            email,
        };
        let (signed_in, action) =
            match accounts::use_link(&pool, &token, &password, setup, now).await {
                Ok(done) => done,
                Err(error) => {
                    // A wrong or used token counts against the address; a too-short password
                    // does not.
                    if matches!(error, AppError::NotFound { .. }) {
                        with_status(limits.failed(None, &caller.origin))?;
                    }
                    return with_status(Err(error));
                }
            };
        start_session(&signed_in, now).await?;
        audit(
            &pool,
            AuditEntry::new(&caller, action)
                .setting(signed_in.setting)
                .actor(signed_in.label.clone()),
            now,
        )
        .await?;
        leptos_axum::redirect(&landing(&signed_in, None));
        Ok(())
    }

    /// Returns where a person goes after signing in: `next` when it is a path on this site,
    /// else a parent's children or the start page.
    fn landing(signed_in: &SignedIn, next: Option<String>) -> String {
        let target = safe_next(next);
        if target == "/" && signed_in.role == "parent" {
            "/my".to_owned()
        } else {
            target
        }
    }

    pub async fn enrol_inner(code: String) -> Result<(), AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let limits = use_context::<RateLimits>().unwrap_or_default();
        if let Err(error) = limits.check(None, &caller.origin) {
            tracing::info!("enrolment rejected: rate limit reached");
            return with_status(Err(error));
        }
        let now = clock.now();
        match devices::pair(&pool, &code, now).await {
            Ok((credential, device)) => {
                set_device_cookie(&credential);
                audit(
                    &pool,
                    AuditEntry::new(&caller, "device_enrolled")
                        .setting(device.setting)
                        .subject(describe(&device)),
                    now,
                )
                .await?;
                leptos_axum::redirect("/");
                Ok(())
            }
            Err(error) => {
                tracing::info!("enrolment failed: wrong or expired pairing code");
                audit(&pool, AuditEntry::new(&caller, "enrolment_failed"), now).await?;
                with_status(limits.failed(None, &caller.origin))?;
                with_status(Err(error))
            }
        }
    }

    fn describe(device: &Device) -> String {
        match device.room {
            Some(room) => format!("room tablet \"{}\" (room {room})", device.name),
            None => format!("lobby display \"{}\"", device.name),
        }
    }

    fn set_device_cookie(credential: &str) {
        let secure = use_context::<Site>().is_some_and(|site| site.secure_cookies);
        let cookie = format!(
            "{DEVICE_COOKIE}={credential}; Path=/; Max-Age={DEVICE_COOKIE_SECONDS}; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(&cookie),
        ) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }

    pub async fn home_inner() -> Result<Home, AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let now = clock.now();
        match &caller.principal {
            Principal::RoomTablet { device } => {
                let room = device.room.ok_or(AppError::Internal)?;
                let view = crate::store::room_register(&pool, &caller.principal, room, now).await?;
                Ok(Home::Register { view })
            }
            Principal::Manager { person } => Ok(Home::Rooms {
                today: crate::store::rooms_today(&pool, person.setting, now).await?,
                manager: true,
            }),
            Principal::Practitioner { person, rooms } => {
                let mut today = crate::store::rooms_today(&pool, person.setting, now).await?;
                today.rooms.retain(|room| rooms.contains(&room.room.id));
                Ok(Home::Rooms {
                    today,
                    manager: false,
                })
            }
            Principal::Lobby { .. } => Ok(Home::Lobby {
                view: crate::lobby::api::lobby_for_caller().await?,
            }),
            Principal::Anonymous => with_status(Err(AppError::SignInNeeded)),
            Principal::Revoked { .. } => with_status(Err(AppError::Revoked {
                message: REVOKED_WORDS.to_owned(),
            })),
            _ => with_status(Err(AppError::not_found("This page"))),
        }
    }

    /// The message sent to a revoked device.
    pub const REVOKED_WORDS: &str = "A manager removed this device from Here Today, so it can no longer read or send the register. Marks it still held were kept for the manager to check. Ask the manager for a new pairing code to use it again.";

    pub async fn account_inner() -> Result<AccountView, AppError> {
        let (pool, _) = pool_and_clock()?;
        let caller = caller();
        let Some(person) = caller.principal.person() else {
            return with_status(Err(AppError::SignInNeeded));
        };
        let (name, email, role): (String, String, String) =
            sqlx::query_as("SELECT name, email, role FROM accounts WHERE id = ?")
                .bind(person.account.to_string())
                .fetch_one(&pool)
                .await?;
        let has_pin = match person.staff {
            Some(staff) => {
                sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM staff_pins WHERE staff_id = ?")
                    .bind(staff.to_string())
                    .fetch_one(&pool)
                    .await?
                    .0
                    > 0
            }
            None => false,
        };
        Ok(AccountView {
            name,
            email,
            role,
            staff: person.staff.is_some(),
            has_pin,
        })
    }

    pub async fn set_pin_inner(pin: String) -> Result<(), AppError> {
        let (pool, clock) = pool_and_clock()?;
        let caller = caller();
        let Some(staff) = caller.principal.person().and_then(|person| person.staff) else {
            return with_status(Err(AppError::invalid(
                "pin",
                "your account has no staff record, so it cannot mark on a room tablet",
            )));
        };
        with_status(devices::set_pin(&pool, staff, &pin, clock.now()).await)?;
        audit(&pool, AuditEntry::new(&caller, "pin_changed"), clock.now()).await
    }

    async fn names(
        pool: &SqlitePool,
        sql: &str,
        setting: Uuid,
    ) -> Result<Vec<(Uuid, String)>, AppError> {
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .bind(setting.to_string())
            .fetch_all(pool)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, name)| Uuid::parse_str(&id).ok().map(|id| (id, name)))
            .collect())
    }

    async fn rooms_of(pool: &SqlitePool, setting: Uuid) -> Result<Vec<(Uuid, String)>, AppError> {
        names(
            pool,
            "SELECT id, name FROM rooms WHERE setting_id = ? ORDER BY position, name",
            setting,
        )
        .await
    }

    pub async fn accounts_inner() -> Result<AccountsView, AppError> {
        let (caller, setting, _) = with_status(manager())?;
        let _ = caller;
        let (pool, _) = pool_and_clock()?;
        let accounts = accounts::list_accounts(&pool, setting).await?;
        Ok(AccountsView {
            accounts,
            rooms: rooms_of(&pool, setting).await?,
            children: names(
                &pool,
                "SELECT id, first_name || ' ' || last_name FROM children
                 WHERE setting_id = ? AND leaving_date IS NULL ORDER BY first_name, last_name",
                setting,
            )
            .await?,
            staff: names(
                &pool,
                "SELECT id, first_name || ' ' || last_name FROM staff
                 WHERE setting_id = ? ORDER BY first_name, last_name",
                setting,
            )
            .await?,
        })
    }

    /// Sends email for the server: invitation and password-reset links. The server provides
    /// one when SMTP is configured.
    pub trait Mailer: Send + Sync {
        /// Sends a plain-text email to `to`.
        fn send(
            &self,
            to: String,
            subject: String,
            body: String,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + '_>>;
    }

    /// The configured [`Mailer`], provided as context.
    #[derive(Clone)]
    pub struct MailSender(pub Arc<dyn Mailer>);

    /// Builds the link for `path` and, when the server sends email, emails it to `email`.
    async fn make_link(path: &str, email: &str, subject: &str, intro: &str) -> MadeLink {
        let base = use_context::<Site>()
            .map(|site| site.public_url)
            .unwrap_or_default();
        let url = format!("{base}{path}");
        let mut link = MadeLink {
            url: url.clone(),
            emailed_to: None,
            email_problem: None,
        };
        if let Some(MailSender(mailer)) = use_context::<MailSender>() {
            let body = format!(
                "{intro}\n\n{url}\n\nThe link works once. If you did not expect this email, ignore it.\n"
            );
            match mailer
                .send(email.to_owned(), subject.to_owned(), body)
                .await
            {
                Ok(()) => link.emailed_to = Some(email.to_owned()),
                Err(error) => {
                    // The error can quote the address, so the log gets the failure only.
                    tracing::warn!("sending a link by email failed");
                    link.email_problem = Some(format!(
                        "The email could not be sent ({error}). Copy the link and send it yourself."
                    ));
                }
            }
        }
        link
    }

    pub async fn invite_inner(
        email: String,
        name: String,
        role: String,
        room: Option<Uuid>,
        child: Option<Uuid>,
        staff: Option<Uuid>,
    ) -> Result<MadeLink, AppError> {
        let (caller, setting, by) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let role = match role.as_str() {
            "manager" => Role::Manager,
            "practitioner" => Role::Practitioner,
            "parent" => Role::Parent,
            other => {
                return with_status(Err(AppError::invalid(
                    "role",
                    format!("\"{other}\" is not a role; choose manager, practitioner or parent"),
                )))
            }
        };
        if role == Role::Practitioner && room.is_none() {
            return with_status(Err(AppError::invalid(
                "room",
                "choose the room the practitioner works in",
            )));
        }
        if role == Role::Parent && child.is_none() {
            return with_status(Err(AppError::invalid("child", "choose the parent's child")));
        }
        let account = NewAccount {
            email,
            name,
            role,
            staff: if role == Role::Parent { None } else { staff },
            rooms: if role == Role::Practitioner {
                room.into_iter().collect()
            } else {
                Vec::new()
            },
            children: if role == Role::Parent {
                child.into_iter().collect()
            } else {
                Vec::new()
            },
        };
        let now = clock.now();
        let email = account.email.trim().to_owned();
        let subject = format!("{email} ({})", role.as_str());
        let (_, token) =
            with_status(accounts::invite(&pool, setting, Some(by), account, now).await)?;
        audit(
            &pool,
            AuditEntry::new(&caller, "account_invited").subject(subject),
            now,
        )
        .await?;
        let setting_name = setting_name(&pool, setting).await?;
        Ok(make_link(
            &format!("/invite/{token}"),
            &email,
            &format!("Your Here Today account at {setting_name}"),
            &format!("{setting_name} has made you an account on Here Today, its attendance register. Open this link to choose your password:"),
        )
        .await)
    }

    pub async fn reset_link_inner(account: Uuid) -> Result<MadeLink, AppError> {
        let (caller, setting, by) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let token = with_status(accounts::reset_link(&pool, setting, account, by, now).await)?;
        audit(
            &pool,
            AuditEntry::new(&caller, "reset_link_made").subject(format!("account {account}")),
            now,
        )
        .await?;
        let (email,): (String,) = sqlx::query_as("SELECT email FROM accounts WHERE id = ?")
            .bind(account.to_string())
            .fetch_one(&pool)
            .await?;
        let setting_name = setting_name(&pool, setting).await?;
        Ok(make_link(
            &format!("/reset/{token}"),
            &email,
            &format!("Choose a new Here Today password for {setting_name}"),
            "A manager made this link for you to choose a new password. It works for 24 hours:",
        )
        .await)
    }

    async fn setting_name(pool: &SqlitePool, setting: Uuid) -> Result<String, AppError> {
        let (name,): (String,) = sqlx::query_as("SELECT name FROM settings WHERE id = ?")
            .bind(setting.to_string())
            .fetch_one(pool)
            .await?;
        Ok(name)
    }

    pub async fn devices_inner() -> Result<DevicesView, AppError> {
        let (_, setting, _) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let devices = devices::list_devices(&pool, setting, clock.now())
            .await?
            .into_iter()
            .collect();
        let (minutes,): (i64,) =
            sqlx::query_as("SELECT pin_remember_minutes FROM settings WHERE id = ?")
                .bind(setting.to_string())
                .fetch_one(&pool)
                .await?;
        Ok(DevicesView {
            devices,
            rooms: rooms_of(&pool, setting).await?,
            pin_remember_minutes: u32::try_from(minutes).unwrap_or(10),
        })
    }

    pub async fn pairing_inner(
        name: String,
        room: Option<Uuid>,
    ) -> Result<PairingSummary, AppError> {
        let (caller, setting, by) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let code =
            with_status(devices::start_enrolment(&pool, setting, room, &name, by, now).await)?;
        audit(
            &pool,
            AuditEntry::new(&caller, "pairing_code_made")
                .subject(format!("device \"{}\"", name.trim())),
            now,
        )
        .await?;
        Ok(PairingSummary {
            code: code.code,
            expires_at: code.expires_at,
        })
    }

    pub async fn pin_minutes_inner(minutes: u32) -> Result<(), AppError> {
        let (caller, setting, _) = with_status(manager())?;
        if !(1..=480).contains(&minutes) {
            return with_status(Err(AppError::invalid(
                "minutes",
                format!("{minutes} is out of range; give 1 to 480 minutes"),
            )));
        }
        let (pool, clock) = pool_and_clock()?;
        sqlx::query("UPDATE settings SET pin_remember_minutes = ? WHERE id = ?")
            .bind(minutes)
            .bind(setting.to_string())
            .execute(&pool)
            .await?;
        audit(
            &pool,
            AuditEntry::new(&caller, "setting_changed")
                .subject("minutes a tablet remembers who is marking")
                .detail(format!("set to {minutes}")),
            clock.now(),
        )
        .await
    }

    pub async fn revoke_inner(device: Uuid) -> Result<(), AppError> {
        let (caller, setting, by) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let name = with_status(devices::revoke(&pool, setting, device, by, now).await)?;
        audit(
            &pool,
            AuditEntry::new(&caller, "device_revoked").subject(format!("device \"{name}\"")),
            now,
        )
        .await
    }

    pub async fn held_inner(mark: Uuid, accept: bool) -> Result<String, AppError> {
        let (caller, setting, by) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let event = with_status(devices::held_mark_event(&pool, setting, mark).await)?;
        if accept {
            // The mark carries the practitioner who made it on the tablet, so it is recorded
            // under the manager's authority without the check that a signed-in person's marks
            // carry their own staff id.
            let recorder = Caller {
                principal: match &caller.principal {
                    Principal::Manager { person } => Principal::Manager {
                        person: crate::auth::Person {
                            staff: None,
                            ..person.clone()
                        },
                    },
                    other => other.clone(),
                },
                origin: caller.origin.clone(),
            };
            let result = crate::store::record_events(&pool, &recorder, vec![event], now).await?;
            if let Some(rejected) = result.rejected.first() {
                // The mark stays waiting, so the manager can still reject it.
                return Ok(format!(
                    "The register rejected the mark ({}), so it is still waiting: reject it, or \
                     correct the register by hand.",
                    rejected.rejection.message
                ));
            }
        }
        with_status(devices::decide_held_mark(&pool, setting, mark, accept, by, now).await)?;
        let outcome = if accept {
            "The mark was added to the register.".to_owned()
        } else {
            "The mark was rejected and left out of the register.".to_owned()
        };
        audit(
            &pool,
            AuditEntry::new(
                &caller,
                if accept {
                    "held_mark_accepted"
                } else {
                    "held_mark_rejected"
                },
            )
            .subject(format!("mark {mark}"))
            .detail(outcome.clone()),
            now,
        )
        .await?;
        Ok(outcome)
    }

    pub async fn audit_inner(
        action: Option<String>,
        text: Option<String>,
    ) -> Result<Vec<AuditLine>, AppError> {
        let (_, setting, _) = with_status(manager())?;
        let (pool, _) = pool_and_clock()?;
        let action = action.filter(|action| !action.is_empty());
        let text = text
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty());
        let rows =
            accounts::read_audit(&pool, setting, action.as_deref(), text.as_deref(), 500).await?;
        Ok(rows)
    }
}
